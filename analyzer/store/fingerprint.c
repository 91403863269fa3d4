/* Fingerprints of findings: stable across unrelated edits (see store.h). */
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fingerprints ---------------------------------------------------- */

/* Names called on the path: identifiers followed by "()". */
static void add_called_names(struct hasher *h, const char *text)
{
	const char *p;

	for (p = strstr(text, "()"); p; p = strstr(p + 2, "()")) {
		const char *b = p;
		while (b > text && (b[-1] == '_' || (b[-1] >= 'a' && b[-1] <= 'z') ||
				    (b[-1] >= 'A' && b[-1] <= 'Z') ||
				    (b[-1] >= '0' && b[-1] <= '9')))
			b--;
		if (b < p) {
			hasher_add(h, b, (size_t)(p - b));
			hasher_add(h, "", 1);
		}
	}
}

void store_fingerprint(const struct finding *f, char *out)
{
	struct hasher *h = hasher_new();
	size_t i;

	hasher_adds(h, f->rule);
	hasher_adds(h, f->file);
	hasher_adds(h, f->function ? f->function : "");
	add_called_names(h, f->message);
	for (i = 0; i < f->nsteps; i++)
		add_called_names(h, f->steps[i].text);
	hasher_finish(h, out);
}


/* Fingerprints of a scan's unique findings (sorted by place): the same
 * one twice gets "#2", "#3" in place order. */
void store_fingerprint_unique(const struct finding **u, size_t n,
			      char (*out)[80])
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		unsigned seen = 1;
		store_fingerprint(u[i], out[i]);
		for (j = 0; j < i; j++)
			seen += !strncmp(out[j], out[i], HASH_HEX_LEN);
		if (seen > 1)
			snprintf(out[i] + HASH_HEX_LEN, 80 - HASH_HEX_LEN,
				 "#%u", seen);
	}
}

void stored_findings_from_scan(const struct scan_result *res,
			       struct stored_findings *out)
{
	const struct finding **u;
	size_t n = scan_unique_findings(res, &u), i;
	char (*prints)[80] = xcalloc(n + 1, sizeof(*prints));

	memset(out, 0, sizeof(*out));
	store_fingerprint_unique(u, n, prints);
	for (i = 0; i < n; i++) {
		struct stored_finding x = { 0 };
		finding_copy(&x.f, u[i]);
		x.fingerprint = xstrdup(prints[i]);
		x.suppressed = u[i]->suppressed ? xstrdup(u[i]->suppressed)
						: NULL;
		ARRAY_PUSH(out->items, out->n, out->cap, x);
	}
	free(prints);
	free(u);
	for (i = 0; i < res->nfiles; i++) {
		const struct scan_file *f = &res->files[i];
		if (scan_file_failed(f) && !f->not_built)
			stored_findings_add_unanalysed(
			    out, f->display,
			    f->fault ? isolate_fault_name(f->fault)
				     : "parse-errors",
			    f->first_error);
	}
}
