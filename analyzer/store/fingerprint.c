/* Fingerprints of findings: stable across unrelated edits (see store.h). */
#include "store/store_internal.h"

#include <stdio.h>
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


/* Fingerprints of one file's findings: the same one twice in a run gets
 * "#2", "#3" in line order. */
void store_fingerprint_list(const struct finding_list *l, char (*out)[80])
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		unsigned seen = 1;
		store_fingerprint(&l->items[i], out[i]);
		for (j = 0; j < i; j++)
			seen += !strncmp(out[j], out[i], HASH_HEX_LEN);
		if (seen > 1)
			snprintf(out[i] + HASH_HEX_LEN, 80 - HASH_HEX_LEN,
				 "#%u", seen);
	}
}

