/* The cheap text scan that decides which files are worth parsing: a file
 * is a candidate when it names one of the rule pack's allocators or
 * releases, as the grep a maintainer would run. */
#ifndef IRQCHECK_PREFILTER_H
#define IRQCHECK_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "ruleset.h"
#include "util.h"

struct prefilter {
	struct strvec needles;
	size_t common; /* length of the prefix all needles share */
};

void prefilter_init(struct prefilter *pf, const struct ruleset *rs);
void prefilter_release(struct prefilter *pf);
bool prefilter_text_matches(const struct prefilter *pf, const char *text,
			    size_t len);
/* Reads the file; false when it cannot be read or does not match. */
bool prefilter_file_matches(const struct prefilter *pf, const char *path);

#endif
