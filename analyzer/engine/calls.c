/* Calls on a path: dispatches each call to the room that knows its role
 * in the rule pack (enable, allocate, release, disable, a devres action,
 * handlers, irq numbers, acquired objects), to the callee's summary, or,
 * for a call the analysis cannot see into, to what it may do to objects.
 * Owns the enable/allocate/release/disable calls and devres actions. */
#include "engine/walk.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/fields.h"
#include "engine/report.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/* The key of the count asked for when an allocation asks for exactly
 * that many vectors (the same expression as fewest and most: "nvec,
 * nvec"), else -1: on success it returns that many. */
static int32_t exact_count_key(struct fn_ctx *fn, const struct api_entry *api,
			       CXCursor *args, size_t nargs)
{
	char *lo, *hi;
	int32_t key = -1;

	if (api->success != SUCCESS_COUNT || api->min_arg < 0 ||
	    api->max_arg < 0 || (size_t)api->min_arg >= nargs ||
	    (size_t)api->max_arg >= nargs)
		return -1;
	lo = canon_text(fn, args[api->min_arg]);
	hi = canon_text(fn, args[api->max_arg]);
	if (lo && hi && *hi && !strcmp(lo, hi) && !strpbrk(hi, "(=") &&
	    !strstr(hi, "++") && !strstr(hi, "--"))
		key = key_intern(fn, hi);
	free(lo);
	free(hi);
	return key;
}

/* The fewest vectors an allocation asks for, when that is a constant of 2
 * or more: on success it returns at least that many. Else 0. */
static int32_t least_count(const struct api_entry *api, CXCursor *args,
			   size_t nargs)
{
	long long k;

	if (api->success != SUCCESS_COUNT || api->min_arg < 0 ||
	    (size_t)api->min_arg >= nargs ||
	    !ast_eval_int(args[api->min_arg], &k) || k < 2 || k > INT32_MAX)
		return 0;
	return (int32_t)k;
}

/* The flags an allocation is given: a constant, or a variable the path
 * gave one (kept by cond_track_values()). */
static bool family_flags(struct fn_ctx *fn, const struct state *st,
			 CXCursor arg, long long *flags)
{
	int32_t key;
	struct value v;

	if (ast_eval_int(arg, flags))
		return true;
	key = key_of_cursor(fn, ast_strip(arg));
	if (!state_value_kept(fn, key))
		return false;
	v = state_value(st, key);
	if (!v.has_eq)
		return false;
	*flags = v.eq;
	return true;
}

static void handle_api_call(struct walk *w, CXCursor call,
			    const struct api_entry *api, CXCursor *args,
			    size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	struct state *st = w->st;
	char *dev_key, *dev_text, *text = NULL;
	int32_t site, key;
	int dev;
	struct effect e = {
	    .via = -1, .site = -1, .enable_site = -1, .exit_site = -1};

	if (api->dev_arg < 0 || (size_t)api->dev_arg >= nargs)
		return;
	dev_key = canon_device(fn, args[api->dev_arg]);
	dev = state_get_dev(fn, st, key_intern(fn, dev_key));
	free(dev_key);
	if (dev < 0)
		return;
	dev_text = canon_display(fn, args[api->dev_arg]);
	switch (api->role) {
	case ROLE_ENABLE:
		text = xasprintf("%s() enables %s (%s)", api->name, dev_text,
				 api->managed ? "managed" : "unmanaged");
		site = engine_add_site(fn->tu, call, text, fn->name);
		e.enable = api->managed ? EN_MANAGED : EN_UNMANAGED;
		e.site = e.enable_site = site;
		trace_add_step(fn, st, site);
		state_apply_effect(fn, st, dev, &e, api->name, site);
		break;
	case ROLE_DISABLE:
		text = xasprintf("%s() disables %s", api->name, dev_text);
		site = engine_add_site(fn->tu, call, text, fn->name);
		e.disables = 1;
		trace_add_step(fn, st, site);
		state_apply_effect(fn, st, dev, &e, api->name, site);
		break;
	case ROLE_ALLOC: {
		struct effect none = {
		    .via = -1, .site = -1, .enable_site = -1, .exit_site = -1};
		long long flags;
		e.family = (uint8_t)api->family;
		if (api->family_arg >= 0 && (size_t)api->family_arg < nargs &&
		    family_flags(fn, st, args[api->family_arg], &flags))
			e.family = (uint8_t)ruleset_family_of_flags(
			    fn->tu->rules, flags);
		if (!(e.family & (FAMILY_MSI | FAMILY_MSIX))) {
			/* INTx only: nothing to release, but vectors released
			 * before are in use again (pci_irq_vector() works);
			 * and the device has no MSI or MSI-X vectors, which
			 * would have made the allocation fail */
			if (st->c.dev[dev].vec == VEC_RELEASED ||
			    st->c.dev[dev].vec == VEC_ENTRY)
				st->c.dev[dev].vec = VEC_NONE;
			break;
		}
		text = xasprintf("%s() allocates interrupt vectors of %s",
				 api->name, dev_text);
		site = engine_add_site(fn->tu, call, text, fn->name);
		e.vec = VEC_HELD;
		e.managed_api = api->managed;
		e.confirmed = 1;
		e.site = site;
		trace_add_step(fn, st, site);
		if (api->entries_arg >= 0 && (size_t)api->entries_arg < nargs)
			handlers_remember_entry_array(
			    fn, args[api->entries_arg], args[api->dev_arg]);
		key = key_of_cursor(fn, call);
		state_settle_for_key(fn, st, key);
		if (api->success == SUCCESS_NONE)
			state_apply_effect(fn, st, dev, &e, api->name, site);
		else {
			state_add_pending(fn, st, key, api->success, dev,
					  api->name, site, &e, &none);
			st->c.pend[st->c.npend - 1].exact_key =
			    exact_count_key(fn, api, args, nargs);
			st->c.pend[st->c.npend - 1].least =
			    least_count(api, args, nargs);
		}
		break;
	}
	case ROLE_RELEASE:
		text = xasprintf("%s() releases the vectors of %s", api->name,
				 dev_text);
		site = engine_add_site(fn->tu, call, text, fn->name);
		state_settle_for_dev(fn, st, dev);
		e.vec = VEC_RELEASED;
		e.family = (uint8_t)api->family;
		e.site = site;
		trace_add_step(fn, st, site);
		state_apply_effect(fn, st, dev, &e, api->name, site);
		break;
	default:
		break;
	}
	free(text);
	free(dev_text);
}

/* The handlers a devres action frees on every way it returns are freed by
 * devres from now on, at detach and on probe's failure, as if requested
 * with devm_request_irq(). They are matched by vector index (the action
 * names its device through its "void *data", which a key does not
 * follow): an attached handler of the driver's device on the same
 * vector. */
static void devaction_takes_handlers(struct walk *w,
				     const struct fn_summary *sum)
{
	size_t i;
	int h;

	for (i = 0; i < sum->nhandlers; i++) {
		const char *index = strchr(sum->handlers[i].key, '#');
		if (sum->handlers[i].state != H_FREED ||
		    !(sum->handlers[i].outcomes & 1) || !index)
			continue;
		for (h = 0; h < w->st->c.nhandler; h++) {
			struct handler_track *t = &w->st->c.handler[h];
			const char *k = engine_key(w->fn, t->key);
			const char *ti = strchr(k, '#');
			if (t->state == H_ATTACHED && !t->devm && ti &&
			    !strcmp(ti, index))
				t->devm = HANDLER_DEVM_ACTION;
		}
	}
}

/* devm_add_action_or_reset(dev, fn, data): when fn's summary releases the
 * vectors of its argument, the driver has made the release its own
 * devres action, as the managed allocator would. */
static void handle_devaction(struct walk *w, CXCursor call,
			     const struct api_entry *api, CXCursor *args,
			     size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	CXCursor target;
	CXString name;
	struct fn_summary *sum;
	size_t i;

	if ((size_t)api->fn_arg >= nargs || (size_t)api->inner_arg >= nargs)
		return;
	target = clang_getCursorReferenced(ast_strip(args[api->fn_arg]));
	if (clang_getCursorKind(target) != CXCursor_FunctionDecl)
		return;
	name = clang_getCursorSpelling(target);
	sum = engine_find_summary(fn->tu, clang_getCString(name));
	clang_disposeString(name);
	if (!sum || !sum->analysed)
		return;
	devaction_takes_handlers(w, sum);
	for (i = 0; i < sum->neffects; i++) {
		const struct summary_effect *se = &sum->effects[i];
		char *key;
		int dev;
		if (se->on_success.vec != VEC_RELEASED)
			continue;
		/* an action whose data is the device ("void *data" taken
		 * for the driver's device): the device the argument names
		 * here, keyed as the allocation keyed it (mhi's and ivpu's
		 * helpers reach it through to_pci_dev()) */
		key = !strcmp(se->dev_key, DRIVER_DEVICE_KEY)
			  ? apply_devres_data_key(w, args[api->inner_arg])
			  : canon_substitute(fn, se->dev_key,
					     &args[api->inner_arg], 1);
		if (!key)
			continue;
		dev = state_get_dev(fn, w->st, key_intern(fn, key));
		free(key);
		if (dev < 0)
			continue;
		state_settle_for_dev(fn, w->st, dev);
		if (w->st->c.dev[dev].vec != VEC_HELD)
			sum->action_before_vectors = true;
		else {
			char *text = xasprintf("%s() registers %s() to release "
					       "the vectors at detach",
					       api->name, sum->name);
			int32_t site =
			    engine_add_site(fn->tu, call, text, fn->name);
			struct event ev = {.kind = EV_DEVRES_RELEASE,
					   .fn = fn,
					   .st = w->st,
					   .dev = dev,
					   .api = sum->name,
					   .site = site,
					   .callee_site = -1};
			free(text);
			/* before the vectors count as the action's */
			apply_devres_action_deferred(w, sum,
						     &args[api->inner_arg]);
			report_fire(&ev);
			w->st->c.dev[dev].managed_api = 1;
			trace_add_step(fn, w->st, site);
		}
	}
}

/* set_bit(BIT, &priv->flags) and friends: the bit of the driver's state
 * changes. A test-and-set or test-and-clear that a condition tests is
 * left to the condition, which reads the old value first. */
static void handle_bitop(struct walk *w, CXCursor call,
			 const struct api_entry *api, CXCursor *args,
			 size_t nargs)
{
	char *field, base[512];
	long long bit;

	if (!(api->bit_op & (BITOP_SET | BITOP_CLEAR)) ||
	    (size_t)api->bit_arg >= nargs || (size_t)api->addr_arg >= nargs)
		return;
	if ((api->bit_op & BITOP_TEST) &&
	    clang_equalCursors(call, w->cond_subject))
		return;
	if (!ast_eval_int(args[api->bit_arg], &bit))
		return;
	field = canon_field_key(w->fn->tu, call);
	if (field && fields_base_of(field, base, sizeof(base)))
		fields_write_bit(w->fn, w->st, base, bit,
				 (api->bit_op & BITOP_SET) != 0);
	free(field);
}

/* A call through a function pointer (an ops table, "dev->ops->sync(dev,
 * ...)") may run any function of the driver that takes the structures its
 * arguments point to, and write any of their fields: what the path knew
 * of those fields no longer holds (aacraid's sync command sets
 * max_msix). */
static void forget_fields_of_arguments(struct walk *w, CXCursor *args,
				       size_t nargs)
{
	size_t a;

	for (a = 0; a < nargs; a++) {
		CXType t = clang_getCanonicalType(clang_getCursorType(args[a]));
		CXCursor decl;
		CXString usr;
		char *text, *prefix;
		if (t.kind != CXType_Pointer)
			continue;
		/* what the path knows through the argument itself
		 * ("$0->max_msix"), and of the fields of its type */
		text = canon_text(w->fn, args[a]);
		prefix = xasprintf("%s->", text);
		fields_write_unknown_under(w->fn, w->st, prefix);
		free(prefix);
		free(text);
		decl = clang_getTypeDeclaration(
		    clang_getCanonicalType(clang_getPointeeType(t)));
		if (clang_getCursorKind(decl) != CXCursor_StructDecl)
			continue;
		usr = clang_getCursorUSR(decl);
		prefix = xasprintf("@%s@FI@", clang_getCString(usr));
		clang_disposeString(usr);
		fields_write_unknown_under(w->fn, w->st, prefix);
		free(prefix);
	}
}

void calls_handle(struct walk *w, CXCursor call)
{
	char *name = ast_call_name(call);
	const struct api_entry *api;
	struct fn_summary *sum = NULL;
	CXCursor *args = NULL;
	size_t nargs;
	int i, n;

	n = clang_Cursor_getNumArguments(call);
	nargs = n > 0 ? (size_t)n : 0;
	if (nargs) {
		args = xcalloc(nargs, sizeof(*args));
		for (i = 0; i < n; i++)
			args[i] = clang_Cursor_getArgument(call, (unsigned)i);
	}
	if (!*name) {
		forget_fields_of_arguments(w, args, nargs);
		free(args);
		free(name);
		return;
	}
	api = ruleset_lookup(w->fn->tu->rules, name);
	if (api && (api->role == ROLE_ENABLE || api->role == ROLE_ALLOC ||
		    api->role == ROLE_RELEASE || api->role == ROLE_DISABLE))
		handle_api_call(w, call, api, args, nargs);
	else if (api && api->role == ROLE_DEVACTION)
		handle_devaction(w, call, api, args, nargs);
	else if (api && api->role == ROLE_HANDLER)
		handlers_request(w, call, api, args, nargs);
	else if (api && api->role == ROLE_HANDLERFREE)
		handlers_free_call(w, call, api, args, nargs);
	else if (api && api->role == ROLE_IRQVEC && api->kind[0])
		objects_acquire(w, call, api, args, nargs);
	else if (api && api->role == ROLE_IRQVEC)
		handlers_irq_use(w, call, api, args, nargs);
	else if (api && api->role == ROLE_ACQUIRE)
		objects_acquire(w, call, api, args, nargs);
	else if (api && api->role == ROLE_BITOP)
		handle_bitop(w, call, api, args, nargs);
	else if (api && api->role == ROLE_UNDO)
		objects_undo(w, call, api, args, nargs);
	else if (!api && (sum = engine_find_summary(w->fn->tu, name)) &&
		 sum->analysed)
		apply_summary_call(w, call, sum, args, nargs);
	else if (!api && !sum)
		objects_forget_passed(w, args, nargs);
	free(args);
	free(name);
}
