/* The HTML report: a static site that opens from the file system. An
 * index with the run's summary, bar charts (SVG) of findings by rule and
 * by subsystem and a table that plain JavaScript sorts and filters (the
 * filter can also come from the URL: index.html#rule=ID&q=TEXT), and one
 * page per finding with the source around its path, the steps numbered
 * on their lines, the validated fix patch when the store has one, and
 * the rule's explanation. Every text from the source
 * or the database is HTML-escaped. */
#ifndef IRQCHECK_REPORT_HTML_H
#define IRQCHECK_REPORT_HTML_H

#include <stdbool.h>

#include "store/store.h"

struct html_run {
	long long id;	       /* the run, 0 when not recorded */
	const char *tree;      /* what relative paths are relative to */
	const char *started;   /* when, as text, or NULL */
	const char *rules_dir; /* for the rule pages */
};

/* Writes DIR/index.html, DIR/report.css, DIR/report.js and
 * DIR/findings/N.html. False with one sentence in *err. */
bool report_html(const char *dir, const struct stored_findings *l,
		 const struct html_run *run, char **err);

#endif
