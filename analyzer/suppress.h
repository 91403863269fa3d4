/* Inline suppressions: a comment "irqcheck: ignore RULE - REASON" on the
 * line of a finding or the line above it marks the finding suppressed
 * with that reason. A suppression without a reason suppresses nothing and
 * is itself reported (rule SUPPRESSION_RULE), so that every accepted
 * finding says why. */
#ifndef IRQCHECK_SUPPRESS_H
#define IRQCHECK_SUPPRESS_H

#include "scan.h"

struct suppression {
	unsigned line;
	char *rule;
	char *reason; /* NULL when the comment gives none */
};

/* Reads the suppressions of every analysed file (into scan_file) and
 * applies them to the findings of the scan. */
void suppress_apply(struct scan_result *res);

/* Parses the suppressions in a source text (for tests). */
void suppress_parse(const char *text, struct suppression **out, size_t *n);
void suppressions_free(struct suppression *s, size_t n);

#endif
