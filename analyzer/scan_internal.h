/* What scan.c and scan_files.c share and nothing else needs. */
#ifndef IRQCHECK_SCAN_INTERNAL_H
#define IRQCHECK_SCAN_INTERNAL_H

#include <clang-c/Index.h>
#include <stdbool.h>

#include "scan.h"

/* Files a group needs before its headers are precompiled: a build costs
 * about one parse, and each file on it saves about half of one. */
#define SHARED_HEADERS_MIN_GROUP 3

/* The files the scan's paths name, sorted and each once: absolute in
 * *abs, as found (the path given or below it) in *given. False with one
 * sentence in *err when a path does not exist. */
bool scan_collect_files(const struct scan_options *opt, struct strvec *abs,
			struct strvec *given, char **err);

/* How a file is shown: from the tree or database root, else from the
 * current directory, else as given. Caller frees. */
char *scan_display_name(const struct scan_options *opt, const char *abs,
			const char *given);

/* Parses f (file fi of the scan, for its shared headers); NULL, and f
 * says why, when it cannot. *shared: what the shared headers it was
 * parsed on hold, or NULL (the plan's, valid while the scan runs). */
CXTranslationUnit scan_parse_file(CXIndex index, const struct scan_options *opt,
				  struct scan_file *f, size_t fi,
				  unsigned options,
				  const struct strvec **shared);
/* Fills f->headers with what the parse included, shared headers too. */
void scan_record_headers(CXTranslationUnit tu, const struct strvec *shared,
			 struct scan_file *f);

#endif
