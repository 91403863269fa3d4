/* SARIF 2.1.0: one run with irqcheck's rules (descriptions and help from
 * rules/<id>.md) and one result per finding, with its primary location,
 * the path steps as related locations and as a code flow, and the store's
 * fingerprint as a partial fingerprint. */
#ifndef IRQCHECK_REPORT_SARIF_H
#define IRQCHECK_REPORT_SARIF_H

#include <jansson.h>

#include "store/store.h"

struct sarif_run {
	const char *rules_dir; /* for the rule pages */
	const char *src_root;  /* what relative paths are relative to, or
				  NULL for the current directory */
};

json_t *report_sarif(const struct stored_findings *l,
		     const struct sarif_run *run);

#endif
