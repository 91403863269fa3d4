/* A reply to a patch series that a bot can send to the list: for each
 * finding the series adds, the hunk of the series around the reported
 * line (quoted), the finding and its path. */
#ifndef IRQCHECK_REPORT_EMAIL_H
#define IRQCHECK_REPORT_EMAIL_H

#include <stdio.h>

#include "store/store.h"

/* diff_of(path) returns the series' unified diff of one file (caller
 * frees), or NULL. */
void report_email(FILE *out, const struct stored_finding *const *added,
		  size_t nadded, size_t nfixed,
		  char *(*diff_of)(void *ctx, const char *path), void *ctx);

#endif
