/* What scan.c and scan_files.c share and nothing else needs. */
#ifndef IRQCHECK_SCAN_INTERNAL_H
#define IRQCHECK_SCAN_INTERNAL_H

#include <stdbool.h>

#include "scan.h"

/* The files the scan's paths name, sorted and each once: absolute in
 * *abs, as found (the path given or below it) in *given. False with one
 * sentence in *err when a path does not exist. */
bool scan_collect_files(const struct scan_options *opt, struct strvec *abs,
			struct strvec *given, char **err);

/* How a file is shown: from the tree or database root, else from the
 * current directory, else as given. Caller frees. */
char *scan_display_name(const struct scan_options *opt, const char *abs,
			const char *given);

#endif
