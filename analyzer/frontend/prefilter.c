/* Prefilter (see prefilter.h): one memmem() pass over the needles' shared
 * prefix, then a comparison of each needle at every hit. */
#include "frontend/prefilter.h"

#include <stdlib.h>
#include <string.h>

void prefilter_init(struct prefilter *pf, const struct ruleset *rs)
{
	size_t i, j;

	memset(pf, 0, sizeof(*pf));
	for (i = 0; i < rs->n_apis; i++)
		if (rs->apis[i].role == ROLE_ALLOC ||
		    rs->apis[i].role == ROLE_RELEASE)
			strvec_push(&pf->needles, rs->apis[i].name);
		else if (rs->apis[i].role == ROLE_ENABLE && rs->apis[i].managed)
			strvec_push(&pf->companion_needles, rs->apis[i].name);
	if (!pf->needles.n)
		return;
	pf->common = strlen(pf->needles.v[0]);
	for (i = 1; i < pf->needles.n; i++) {
		for (j = 0; j < pf->common && pf->needles.v[i][j] ==
						      pf->needles.v[0][j];
		     j++)
			;
		pf->common = j;
	}
}

void prefilter_release(struct prefilter *pf)
{
	strvec_free(&pf->needles);
	strvec_free(&pf->companion_needles);
}

bool prefilter_text_matches(const struct prefilter *pf, const char *text,
			    size_t len)
{
	size_t i;

	if (!pf->common) {
		for (i = 0; i < pf->needles.n; i++)
			if (memmem(text, len, pf->needles.v[i],
				   strlen(pf->needles.v[i])))
				return true;
		return false;
	}
	{
		const char *p = text, *end = text + len;
		while ((p = memmem(p, (size_t)(end - p), pf->needles.v[0],
				   pf->common))) {
			for (i = 0; i < pf->needles.n; i++) {
				size_t n = strlen(pf->needles.v[i]);
				if ((size_t)(end - p) >= n && !memcmp(p, pf->needles.v[i], n))
					return true;
			}
			p += pf->common;
		}
	}
	return false;
}

static bool names_companion_needle(const struct prefilter *pf, const char *text,
				   size_t len)
{
	size_t i;

	for (i = 0; i < pf->companion_needles.n; i++)
		if (memmem(text, len, pf->companion_needles.v[i],
			   strlen(pf->companion_needles.v[i])))
			return true;
	return false;
}

enum prefilter_verdict prefilter_file_verdict(const struct prefilter *pf,
					      const char *path)
{
	size_t len;
	char *text = read_file(path, &len);
	enum prefilter_verdict v = PREFILTER_SKIP;

	if (!text)
		return v;
	if (prefilter_text_matches(pf, text, len))
		v = PREFILTER_PARSE;
	else if (names_companion_needle(pf, text, len))
		v = PREFILTER_COMPANION;
	free(text);
	return v;
}
