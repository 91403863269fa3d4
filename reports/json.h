/* JSON output for scripts: one object per finding with stable field names
 * (documented in the README): rule, severity, file, line, column,
 * function, message, fingerprint, suppressed (when it is), steps (file,
 * line, column, text). */
#ifndef IRQCHECK_REPORT_JSON_H
#define IRQCHECK_REPORT_JSON_H

#include <jansson.h>
#include <stdio.h>

#include "store/store.h"

json_t *report_json_finding(const struct stored_finding *x);
/* {"run": N (0 when not recorded), "findings": [...]} on out. */
void report_json_findings(FILE *out, const struct stored_findings *l,
			  long long run, bool with_suppressed);
/* Writes and frees a JSON value, indented, with a final newline. */
void report_json_print(FILE *out, json_t *root);
/* The files of a run whose findings may be missing, as a JSON array of
 * {file, status, reason}. */
json_t *report_json_unanalysed(const struct stored_findings *l);

#endif
