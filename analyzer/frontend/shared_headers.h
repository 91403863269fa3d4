/* Kernel headers parsed once per scan: the files of a scan whose flags
 * agree on everything the headers can see (architecture, configuration,
 * the tree's include directories, forced includes) share one precompiled
 * <linux/pci.h> with all it includes, and each is parsed on top of it.
 * A file whose result could differ parses alone, and says why. */
#ifndef IRQCHECK_SHARED_HEADERS_H
#define IRQCHECK_SHARED_HEADERS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct shared_headers;

/* Plans the groups of the files a scan will parse (their arguments,
 * without the file); nothing is built yet. min_group: the fewest files a
 * group needs before its headers are worth precompiling; under: the
 * directory to build them in (NULL: $TMPDIR). */
struct shared_headers *shared_headers_plan(const struct strvec *const *args,
					   size_t nfiles, size_t min_group,
					   const char *under);
/* Removes what was built. */
void shared_headers_free(struct shared_headers *sh);

/* How file i (of the plan) is parsed: true with the arguments to parse
 * it on top of its group's precompiled headers in *out (built on first
 * use; any thread), and the headers they hold in *headers; false with
 * the reason it parses alone in *why (a static sentence). */
bool shared_headers_use(struct shared_headers *sh, size_t i, const char *path,
			struct strvec *out, const struct strvec **headers,
			const char **why);

/* The macros C source text defines or undefines above its last #include
 * (maybe before a shared header is read), each once, but pr_fmt and
 * dev_fmt, which the headers only give a default. */
void shared_headers_defined_above_includes(const char *text, size_t len,
					   struct strvec *out);

/* Seconds spent building, and how many sets were built. */
double shared_headers_build_seconds(const struct shared_headers *sh,
				    unsigned *built);

#endif
