/* Writes to the fields of the driver's state (see fields.h). Only the
 * keys some condition of the file tests carry facts; a write updates
 * each of them that reads the field written. */
#include "engine/fields.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/state.h"

#include <stdlib.h>
#include <string.h>

/* What follows base in key: '\0' (the field itself), '^' (a mask) or '~'
 * (a bit); 0 when key is not of that field. */
static char part_of(const char *key, const char *base, size_t n)
{
	if (strncmp(key, base, n))
		return 0;
	if (!key[n])
		return '=';
	return key[n] == '^' || key[n] == '~' ? key[n] : 0;
}

static void put_value(struct fn_ctx *fn, struct state *st, const char *key,
		      const struct value *v)
{
	state_put_fact(fn, st, key_intern(fn, key), v, FACT_WRITTEN);
}

static void put(struct fn_ctx *fn, struct state *st, const char *key,
		uint8_t signs)
{
	struct value v = value_of_signs(signs);

	put_value(fn, st, key, &v);
}

void fields_write(struct fn_ctx *fn, struct state *st, const char *base,
		  const struct value *val)
{
	const struct strvec *t = &fn->tu->tested_fields;
	size_t n = strlen(base), i;
	/* an exact value (zero is one) decides every mask and bit */
	bool exact = val->has_eq || val->signs == SIGN_ZERO;
	unsigned long long v =
	    val->has_eq ? (unsigned long long)(long long)val->eq : 0;

	for (i = 0; i < t->n; i++) {
		const char *k = t->v[i];
		char part = part_of(k, base, n);
		unsigned long long m;
		long long bit;
		if (!part)
			continue;
		if (part == '=') {
			put_value(fn, st, k, val);
		} else if (!exact) {
			put(fn, st, k, SIGN_ANY);
		} else if (part == '^') {
			m = strtoull(k + n + 1, NULL, 16);
			put(fn, st, k,
			    (v & m) ? SIGN_NEG | SIGN_POS : SIGN_ZERO);
		} else {
			bit = strtoll(k + n + 1, NULL, 10);
			put(fn, st, k,
			    bit >= 0 && bit < 64 && ((v >> bit) & 1)
				? SIGN_POS
				: SIGN_ZERO);
		}
	}
}

void fields_write_bits(struct fn_ctx *fn, struct state *st, const char *base,
		       unsigned long long mask, bool set)
{
	const struct strvec *t = &fn->tu->tested_fields;
	size_t n = strlen(base), i;

	for (i = 0; i < t->n; i++) {
		const char *k = t->v[i];
		char part = part_of(k, base, n);
		unsigned long long m;
		long long bit;
		if (!part)
			continue;
		if (part == '=') {
			/* some bits of it set: non-zero; cleared: unknown */
			put(fn, st, k,
			    set && mask ? SIGN_NEG | SIGN_POS : SIGN_ANY);
		} else if (part == '^') {
			m = strtoull(k + n + 1, NULL, 16);
			if (set && (m & mask))
				put(fn, st, k, SIGN_NEG | SIGN_POS);
			else if (!set && !(m & ~mask))
				put(fn, st, k, SIGN_ZERO);
			else if (!set && (m & mask))
				put(fn, st, k, SIGN_ANY);
		} else {
			bit = strtoll(k + n + 1, NULL, 10);
			if (bit >= 0 && bit < 64 && ((mask >> bit) & 1))
				put(fn, st, k, set ? SIGN_POS : SIGN_ZERO);
		}
	}
}

void fields_write_bit(struct fn_ctx *fn, struct state *st, const char *base,
		      long long bit, bool set)
{
	const struct strvec *t = &fn->tu->tested_fields;
	size_t n = strlen(base), i;

	if (bit >= 0 && bit < 64) {
		fields_write_bits(fn, st, base, 1ULL << bit, set);
		return;
	}
	/* a bit beyond the first word of a bitmap: only its own key */
	for (i = 0; i < t->n; i++)
		if (part_of(t->v[i], base, n) == '~' &&
		    strtoll(t->v[i] + n + 1, NULL, 10) == bit)
			put(fn, st, t->v[i], set ? SIGN_POS : SIGN_ZERO);
}

bool fields_key_is_of(const char *key, const char *base)
{
	return part_of(key, base, strlen(base)) != 0;
}

bool fields_base_of(const char *key, char *buf, size_t size)
{
	size_t n;

	if (!key || key[0] != '@')
		return false;
	n = strcspn(key, "^~");
	if (n >= size)
		return false;
	memcpy(buf, key, n);
	buf[n] = '\0';
	return true;
}

struct zero_walk {
	struct fn_ctx *fn;
	struct state *st;
	int depth;
};

static enum CXVisitorResult zero_field(CXCursor field, CXClientData data)
{
	struct zero_walk *z = data;
	CXString usr = clang_getCursorUSR(field);
	CXType t = clang_getCanonicalType(clang_getCursorType(field));
	struct value zero = value_of(0);

	if (*clang_getCString(usr)) {
		char *base = xasprintf("@%s", clang_getCString(usr));
		fields_write(z->fn, z->st, base, &zero);
		free(base);
	}
	clang_disposeString(usr);
	/* a structure embedded in it is zeroed too */
	if (t.kind == CXType_Record && z->depth < 3) {
		struct zero_walk inner = {z->fn, z->st, z->depth + 1};
		clang_Type_visitFields(t, zero_field, &inner);
	}
	return CXVisit_Continue;
}

void fields_zero_struct(struct fn_ctx *fn, struct state *st, CXType pointer)
{
	CXType t = clang_getCanonicalType(pointer);
	struct zero_walk z = {fn, st, 0};

	if (t.kind != CXType_Pointer || !fn->tu->tested_fields.n)
		return;
	t = clang_getCanonicalType(clang_getPointeeType(t));
	if (t.kind == CXType_Record)
		clang_Type_visitFields(t, zero_field, &z);
}

void fields_write_unknown_under(struct fn_ctx *fn, struct state *st,
				const char *prefix)
{
	const struct value any = value_any();
	size_t len = strlen(prefix);
	int f;

	for (f = st->c.nfact - 1; f >= 0; f--)
		if (!strncmp(engine_key(fn, st->c.fact[f].key), prefix, len))
			state_put_fact(fn, st, st->c.fact[f].key, &any,
				       FACT_WRITTEN);
}

bool fields_written_by(struct tu_ctx *tu, CXCursor c, bool address_taken,
		       CXCursor *target)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor *kids = NULL;
	const char *op;
	bool writes = false;
	size_t n;

	if (k == CXCursor_CallExpr) {
		char *name = ast_call_name(c);
		const struct api_entry *api = ruleset_lookup(tu->rules, name);
		free(name);
		if (api && api->role == ROLE_BITOP &&
		    (api->bit_op & (BITOP_SET | BITOP_CLEAR)) &&
		    api->addr_arg < clang_Cursor_getNumArguments(c)) {
			*target = clang_Cursor_getArgument(
			    c, (unsigned)api->addr_arg);
			return true;
		}
		return false;
	}
	if (k != CXCursor_BinaryOperator &&
	    k != CXCursor_CompoundAssignOperator && k != CXCursor_UnaryOperator)
		return false;
	op = cfg_operator(&tu->cfg_env, c);
	n = ast_children(c, &kids);
	if (n && (k == CXCursor_CompoundAssignOperator ||
		  (k == CXCursor_BinaryOperator && !strcmp(op, "=")) ||
		  (k == CXCursor_UnaryOperator &&
		   (!strcmp(op, "++") || !strcmp(op, "--") ||
		    (address_taken && !strcmp(op, "&")))))) {
		*target = kids[0];
		writes = true;
	}
	free(kids);
	return writes;
}
