/* The ways a function returns (returns.c). */
#ifndef IRQCHECK_RETURNS_H
#define IRQCHECK_RETURNS_H

#include <stdio.h>

#include "engine/engine.h"

/* What the exits of one outcome (failure, or not) did to device key:
 * of the exits idx[0..nidx), or of all when idx is NULL. */
void returns_merge(struct fn_ctx *fn, int32_t key, const size_t *idx,
		   size_t nidx, bool failure, struct effect *out);
/* Groups the exits of the function walked into fn->summary->returns
 * (none when there are more than MAX_RETURN_STATES ways even when facts
 * are left out). */
void returns_build(struct fn_ctx *fn);
/* Copies src's return states into dst, mapping each site. */
void returns_copy(struct fn_summary *dst, const struct fn_summary *src,
		  int32_t (*map_site)(void *ctx, int32_t site), void *ctx);
void returns_release(struct fn_summary *s);
/* The return states as text, for IRQCHECK_DEBUG=summaries. */
void returns_dump(const struct fn_summary *s, FILE *out);

#endif
