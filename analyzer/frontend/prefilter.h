/* The cheap text scan that decides which files are worth parsing: a file
 * is a candidate when it names one of the rule pack's allocators or
 * releases, as the grep a maintainer would run. A file that names none but
 * enables its device with a managed enable (pcim_enable_device()) is a
 * companion: a scan parses it when another file of its module is a
 * candidate, for what its probe() leaves the module's other files. */
#ifndef IRQCHECK_PREFILTER_H
#define IRQCHECK_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "ruleset.h"
#include "util.h"

struct prefilter {
	struct strvec needles;
	size_t common; /* length of the prefix all needles share */
	struct strvec companion_needles; /* the managed enables */
};

enum prefilter_verdict {
	PREFILTER_SKIP,
	PREFILTER_PARSE,     /* names an allocator or a release */
	PREFILTER_COMPANION, /* names only a managed enable */
};

void prefilter_init(struct prefilter *pf, const struct ruleset *rs);
void prefilter_release(struct prefilter *pf);
bool prefilter_text_matches(const struct prefilter *pf, const char *text,
			    size_t len);
/* Reads the file (PREFILTER_SKIP when it cannot be read). */
enum prefilter_verdict prefilter_file_verdict(const struct prefilter *pf,
					      const char *path);

#endif
