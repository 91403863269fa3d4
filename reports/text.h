/* Terminal output in the style of gcc diagnostics: one line per finding,
 * `note:` lines for its path, and a one-line summary of the scan. */
#ifndef IRQCHECK_REPORT_TEXT_H
#define IRQCHECK_REPORT_TEXT_H

#include <stdio.h>

#include "scan.h"

void report_text_findings(FILE *out, const struct scan_result *res);
/* One finding and its path. */
void report_text_finding(FILE *out, const struct finding *f);
/* Prints the summary (and the files that did not parse) to out. */
void report_text_summary(FILE *out, const struct scan_result *res);
/* Findings not suppressed inline. */
size_t report_count_findings(const struct scan_result *res);
size_t report_count_suppressed(const struct scan_result *res);
size_t report_count_parse_failures(const struct scan_result *res);

/* Where the workers' time went (scan --timings). */
void report_text_timings(FILE *out, const struct scan_result *res);

#endif
