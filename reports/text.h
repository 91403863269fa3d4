/* Terminal output in the style of gcc diagnostics: one line per finding,
 * `note:` lines for its path, and a one-line summary of the scan. */
#ifndef IRQCHECK_REPORT_TEXT_H
#define IRQCHECK_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "scan.h"

/* The findings, without the suppressed ones and, unless with_unproven,
 * without the unproven ones; then the analysis notes. */
void report_text_findings(FILE *out, const struct scan_result *res,
			  bool with_unproven);
/* A file name as text output shows it: as it is, or, when it holds a
 * control character, a double quote or a backslash, in double quotes with
 * C escapes (as git quotes such names), so one finding stays one line. */
void report_text_path(FILE *out, const char *path);
/* One finding and its path (and why it is unproven, when it is). */
void report_text_finding(FILE *out, const struct finding *f);
/* Prints the summary (and the files that did not parse) to out. */
void report_text_summary(FILE *out, const struct scan_result *res);
/* Findings neither suppressed inline nor unproven. */
size_t report_count_findings(const struct scan_result *res);
size_t report_count_suppressed(const struct scan_result *res);
size_t report_count_unproven(const struct scan_result *res);
size_t report_count_parse_failures(const struct scan_result *res);

/* Where the workers' time went (scan --timings). */
void report_text_timings(FILE *out, const struct scan_result *res);

#endif
