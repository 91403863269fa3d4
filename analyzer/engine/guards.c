/* The driver's own bookkeeping: "if (adapter->flags & FOO_MSIX_ENABLED)
 * pci_disable_msix(pdev);" is a condition on a field of the driver's
 * state with a release of one family on one branch only. On the other
 * branch the driver's bookkeeping says no vectors of that family are held;
 * when they were allocated outside the function being walked (in probe,
 * for remove(); in a helper), the walk believes it, since whoever
 * allocated them also set the field. */
#include "engine/walk.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <stdlib.h>
#include <string.h>

struct release_search {
	struct fn_ctx *fn;
	int32_t dev_key;
	uint8_t family;
};

/* A callee of the file that releases a device of its arguments on every
 * way it returns ("if (msi_on) foo_free_msi(pdev);"). */
static bool find_releasing_callee(struct release_search *rs, CXCursor call,
				  const char *name)
{
	struct fn_summary *sum = engine_find_summary(rs->fn->tu, name);
	int n = clang_Cursor_getNumArguments(call), i;
	CXCursor *args;
	size_t e;

	if (!sum || !sum->analysed || n <= 0)
		return false;
	args = xcalloc((size_t)n, sizeof(*args));
	for (i = 0; i < n; i++)
		args[i] = clang_Cursor_getArgument(call, (unsigned)i);
	for (e = 0; e < sum->neffects && rs->dev_key < 0; e++) {
		const struct summary_effect *se = &sum->effects[e];
		char *dk;
		if (se->on_success.vec != VEC_RELEASED)
			continue;
		dk = canon_substitute(rs->fn, se->dev_key, args, (size_t)n);
		if (!dk)
			continue;
		rs->dev_key = key_intern(rs->fn, dk);
		rs->family = se->on_success.family;
		free(dk);
	}
	free(args);
	return rs->dev_key >= 0;
}

static bool find_release_call(CXCursor call, void *data)
{
	struct release_search *rs = data;
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(rs->fn->tu->rules, name);

	if (!api && find_releasing_callee(rs, call, name)) {
		free(name);
		return false;
	}
	free(name);
	if (api && api->role == ROLE_RELEASE && api->dev_arg >= 0 &&
	    api->dev_arg < clang_Cursor_getNumArguments(call)) {
		char *dk = canon_device(
		    rs->fn,
		    clang_Cursor_getArgument(call, (unsigned)api->dev_arg));
		rs->dev_key = key_intern(rs->fn, dk);
		rs->family = (uint8_t)api->family;
		free(dk);
		return false;
	}
	return true;
}

/* The first release on the straight-line code from node `at`. */
static bool branch_releases(struct fn_ctx *fn, struct cfg *cfg, int at,
			    struct release_search *rs)
{
	int hops;

	rs->fn = fn;
	rs->dev_key = -1;
	for (hops = 0; hops < 8 && at >= 0; hops++) {
		const struct cfg_node *n = &cfg->nodes[at];
		if (n->kind != CFG_STMT && n->kind != CFG_NOP)
			break;
		if (!clang_Cursor_isNull(n->expr))
			cfg_visit_calls(n->expr, find_release_call, rs);
		if (rs->dev_key >= 0)
			return true;
		at = n->nsucc == 1 ? n->succ[0] : -1;
	}
	return false;
}

/* Whether any release is reachable from `at` within a few dozen nodes,
 * without passing through the condition `cond` again. */
static bool reaches_release(struct fn_ctx *fn, struct cfg *cfg, int at,
			    size_t cond)
{
	int *queue = xcalloc(cfg->n + 1, sizeof(*queue));
	bool *seen = xcalloc(cfg->n + 1, sizeof(*seen));
	size_t head = 0, tail = 0, visited = 0, s;
	bool found = false;

	queue[tail++] = at;
	seen[at] = true;
	while (head < tail && !found && visited++ < 48) {
		const struct cfg_node *n = &cfg->nodes[queue[head++]];
		struct release_search rs = {fn, -1, 0};
		if (!clang_Cursor_isNull(n->expr) && n->kind != CFG_RETURN)
			cfg_visit_calls(n->expr, find_release_call, &rs);
		found = rs.dev_key >= 0;
		for (s = 0; s < n->nsucc; s++) {
			int to = n->succ[s];
			if ((size_t)to != cond && !seen[to]) {
				seen[to] = true;
				queue[tail++] = to;
			}
		}
	}
	free(queue);
	free(seen);
	return found;
}

/* A field of the driver's state, or a copy of one, tested for being set
 * ("$0->flags&FOO_MSIX", "priv->msi", "cfg_flags&BNAD_CF_MSIX"): not a
 * call's result, not a comparison (a loop's bound). */
static bool is_bookkeeping_condition(const char *text, bool macro_field)
{
	const char *p = strrchr(text, ')');

	/* a field of a structure a call returned (a private structure from
	 * devm_kzalloc() is named by that call) is still a field; text with
	 * parentheses but no call is a macro that tests a field
	 * ("FOO_FLAG_ON(foo, FOO_F_IRQ)"), read whole */
	if (p && !macro_field)
		text = p + 1;
	if (strpbrk(text, macro_field ? "<=" : "(<="))
		return false;
	for (p = strchr(text, '>'); p; p = strchr(p + 1, '>'))
		if (p == text || p[-1] != '-')
			return false; /* a comparison, not a field */
	/* and one that records the interrupt mode ("msix_entries",
	 * "FLAG_MSI_ENABLED", "irq_vectors"), not the device's health
	 * ("if (priv->dead) return;" before a release is a skipped release) */
	return strcasestr(text, "msi") || strcasestr(text, "irq") ||
	       strcasestr(text, "vec") || strcasestr(text, "intr");
}

static bool note_any_call(CXCursor call, void *data)
{
	(void)call;
	*(bool *)data = true;
	return false;
}

/* Whether the expression makes a call (a macro that only tests a field
 * makes none). */
static bool calls_anything(CXCursor expr)
{
	bool found = false;

	cfg_visit_calls(expr, note_any_call, &found);
	return found;
}

void guards_find(struct fn_ctx *fn, struct cfg *cfg,
		 const struct cond_info *conds, struct release_guard *guards)
{
	size_t i;

	for (i = 0; i < cfg->n; i++) {
		const struct cfg_node *n = &cfg->nodes[i];
		struct release_search on[2];
		bool found[2] = {false, false};
		int b;

		guards[i].dev_key = -1;
		if (n->kind != CFG_COND || n->nsucc != 2 ||
		    !is_bookkeeping_condition(engine_key(fn, conds[i].whole),
					      !calls_anything(n->expr)))
			continue;
		for (b = 0; b < 2; b++)
			found[b] = branch_releases(fn, cfg, n->succ[b], &on[b]);
		if (found[0] == found[1])
			continue;
		b = found[0] ? 0 : 1;
		/* the other branch must not reach the release later (after
		 * an inner if that stopped the straight-line search) */
		if (reaches_release(fn, cfg, n->succ[!b], i))
			continue;
		if (!(on[b].family & (FAMILY_MSI | FAMILY_MSIX)))
			continue;
		guards[i].dev_key = on[b].dev_key;
		guards[i].family = on[b].family;
		guards[i].release_idx = (uint8_t)b;
	}
}

void guards_trust(struct fn_ctx *fn, struct state *st,
		  const struct release_guard *g, CXCursor cond)
{
	int dev = state_find_dev(st, g->dev_key);
	struct dev_track *d;
	bool local;
	unsigned fam = g->family & (FAMILY_MSI | FAMILY_MSIX);

	if (dev < 0) {
		if (!key_is_param_rooted(engine_key(fn, g->dev_key)))
			return;
		dev = state_get_dev(fn, st, g->dev_key);
		if (dev < 0)
			return;
	}
	d = &st->c.dev[dev];
	local = d->alloc_site >= 0 && fn->tu->sites[d->alloc_site].function &&
		!strcmp(fn->tu->sites[d->alloc_site].function, fn->name);
	if (d->vec == VEC_ENTRY) {
		d->released |= (uint8_t)fam;
		d->trusted |= (uint8_t)fam;
	} else if (d->vec == VEC_HELD && !local) {
		/* the family the driver says is not held is out; what is
		 * left is held for sure (no release "by choice") */
		d->family &= (uint8_t)~fam;
		d->trusted |= (uint8_t)fam;
		if (!((d->family & (FAMILY_MSI | FAMILY_MSIX)) &
		      ((d->family & (FAMILY_MSI | FAMILY_MSIX)) - 1)))
			d->family_uncertain = 0;
		if (!(d->family & (FAMILY_MSI | FAMILY_MSIX))) {
			char *text = xasprintf(
			    "the driver's state says no %s vectors are "
			    "held here",
			    fam == FAMILY_MSIX	? "MSI-X"
			    : fam == FAMILY_MSI ? "MSI"
						: "MSI/MSI-X");
			d->vec = VEC_RELEASED;
			d->release_site =
			    engine_add_site(fn->tu, cond, text, fn->name);
			trace_add_step(fn, st, d->release_site);
			free(text);
		}
	}
}
