/* Whole-translation-unit analysis: finds the functions defined in the main
 * file and the driver structure's callbacks, walks functions callees
 * first so that each call can use its callee's summary, and settles the
 * findings that depended on a caller once the roots are known. */
#ifndef IRQCHECK_SUMMARY_H
#define IRQCHECK_SUMMARY_H

#include "engine/engine.h"

/* Lines of the main file that carry a parse error: functions spanning one
 * are not analysed. */
struct error_lines {
	unsigned *lines;
	size_t n, cap;
};

/* Analyses every function of the translation unit; findings go to
 * tu->out, notes (incomplete analyses, skipped functions) to tu->notes. */
void summary_analyze_tu(struct tu_ctx *tu, const struct error_lines *errors);
void summary_free_all(struct tu_ctx *tu);

#endif
