/* Integer values along a path (see values.h): sign sets, an exact value,
 * excluded values, and how a comparison with a constant refines them. */
#include "engine/values.h"

#include <limits.h>
#include <string.h>

static uint8_t sign_of(long long k)
{
	return k < 0 ? SIGN_NEG : k == 0 ? SIGN_ZERO : SIGN_POS;
}

static bool fits(long long k)
{
	return k >= INT32_MIN && k <= INT32_MAX;
}

struct value value_any(void)
{
	struct value v;

	memset(&v, 0, sizeof(v));
	v.signs = SIGN_ANY;
	return v;
}

struct value value_of_signs(uint8_t m)
{
	struct value v = value_any();

	v.signs = m & SIGN_ANY;
	return v;
}

struct value value_of(long long k)
{
	struct value v = value_of_signs(sign_of(k));

	if (fits(k) && k != 0) {
		v.has_eq = 1;
		v.eq = (int32_t)k;
	}
	return v;
}

bool value_is_any(const struct value *v)
{
	return v->signs == SIGN_ANY && !v->has_eq && !v->nne && !v->lo;
}

bool value_is_empty(const struct value *v)
{
	return !v->signs;
}

bool value_equal(const struct value *a, const struct value *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static bool excludes(const struct value *v, long long k)
{
	int i;

	for (i = 0; i < v->nne; i++)
		if (v->ne[i] == k)
			return true;
	return false;
}

/* Whether k is a value v allows. */
static bool allows(const struct value *v, long long k)
{
	if (!(v->signs & sign_of(k)) || (v->lo && k < v->lo))
		return false;
	if (v->has_eq)
		return v->eq == k;
	return !excludes(v, k);
}

static void add_excluded(struct value *v, long long k)
{
	if (k == 0) {
		v->signs &= (uint8_t)~SIGN_ZERO;
		return;
	}
	if (!fits(k) || excludes(v, k) || v->nne >= VALUE_MAX_NE)
		return;
	v->ne[v->nne++] = (int32_t)k;
	/* keep the excluded values in order, so equal values compare equal */
	if (v->nne == 2 && v->ne[0] > v->ne[1]) {
		int32_t t = v->ne[0];
		v->ne[0] = v->ne[1];
		v->ne[1] = t;
	}
}

/* Puts a value in its one written form: an exact value carries no
 * exclusions, and an empty value is all zero. */
static struct value normal(struct value v)
{
	int i, kept = 0;

	if (v.lo < 2)
		v.lo = 0;
	else
		v.signs &= SIGN_POS;
	if (!v.signs) {
		memset(&v, 0, sizeof(v));
		return v;
	}
	if (v.has_eq) {
		if (!(v.signs & sign_of(v.eq)) || excludes(&v, v.eq) ||
		    (v.lo && v.eq < v.lo)) {
			memset(&v, 0, sizeof(v));
			return v;
		}
		v.signs = sign_of(v.eq);
		v.nne = 0;
		v.lo = 0;
		memset(v.ne, 0, sizeof(v.ne));
	}
	/* values below the bound need no exclusion */
	for (i = 0; i < v.nne; i++)
		if (v.ne[i] >= v.lo || !v.lo)
			v.ne[kept++] = v.ne[i];
	for (i = kept; i < v.nne; i++)
		v.ne[i] = 0;
	v.nne = (uint8_t)kept;
	if (v.signs == SIGN_ZERO) {
		v.nne = 0;
		memset(v.ne, 0, sizeof(v.ne));
	}
	return v;
}

struct value value_meet(const struct value *a, const struct value *b)
{
	struct value v = *a;
	int i;

	v.signs &= b->signs;
	if (b->has_eq) {
		if (v.has_eq && v.eq != b->eq)
			v.signs = 0;
		v.has_eq = 1;
		v.eq = b->eq;
	}
	for (i = 0; i < b->nne; i++)
		add_excluded(&v, b->ne[i]);
	if (b->lo > v.lo)
		v.lo = b->lo;
	return normal(v);
}

struct value value_join(const struct value *a, const struct value *b)
{
	struct value v = value_of_signs(a->signs | b->signs);
	int i;

	if (value_is_empty(a))
		return *b;
	if (value_is_empty(b))
		return *a;
	if (a->has_eq && b->has_eq && a->eq == b->eq) {
		v.has_eq = 1;
		v.eq = a->eq;
	}
	/* a value both exclude stays excluded */
	for (i = 0; i < a->nne; i++)
		if (!allows(b, a->ne[i]))
			add_excluded(&v, a->ne[i]);
	if (a->lo && b->lo) /* the lower of two bounds */
		v.lo = a->lo < b->lo ? a->lo : b->lo;
	return normal(v);
}

static bool sign_class_satisfies(int cls, const char *op, long long k)
{
	long long lo, hi;

	switch (cls) {
	case SIGN_NEG:
		lo = LLONG_MIN, hi = -1;
		break;
	case SIGN_ZERO:
		lo = hi = 0;
		break;
	default:
		lo = 1, hi = LLONG_MAX;
		break;
	}
	if (!strcmp(op, "<"))
		return lo < k;
	if (!strcmp(op, "<="))
		return lo <= k;
	if (!strcmp(op, ">"))
		return hi > k;
	if (!strcmp(op, ">="))
		return hi >= k;
	if (!strcmp(op, "=="))
		return lo <= k && k <= hi;
	if (!strcmp(op, "!="))
		return !(lo == k && hi == k);
	return true;
}

uint8_t value_signs_for(const char *op, long long k)
{
	uint8_t m = 0;

	if (sign_class_satisfies(SIGN_NEG, op, k))
		m |= SIGN_NEG;
	if (sign_class_satisfies(SIGN_ZERO, op, k))
		m |= SIGN_ZERO;
	if (sign_class_satisfies(SIGN_POS, op, k))
		m |= SIGN_POS;
	return m;
}

const char *value_negate_op(const char *op)
{
	static const char *const pairs[][2] = {
	    {"<", ">="}, {"<=", ">"},  {">", "<="},
	    {">=", "<"}, {"==", "!="}, {"!=", "=="},
	};
	size_t i;

	for (i = 0; i < 6; i++)
		if (!strcmp(op, pairs[i][0]))
			return pairs[i][1];
	return "";
}

const char *value_swap_op(const char *op)
{
	if (!strcmp(op, "<"))
		return ">";
	if (!strcmp(op, ">"))
		return "<";
	if (!strcmp(op, "<="))
		return ">=";
	if (!strcmp(op, ">="))
		return "<=";
	return op;
}

static bool holds(long long x, const char *op, long long k)
{
	if (!strcmp(op, "<"))
		return x < k;
	if (!strcmp(op, "<="))
		return x <= k;
	if (!strcmp(op, ">"))
		return x > k;
	if (!strcmp(op, ">="))
		return x >= k;
	if (!strcmp(op, "=="))
		return x == k;
	if (!strcmp(op, "!="))
		return x != k;
	return true;
}

struct value value_refine(const struct value *v, const char *op, long long k,
			  bool truth)
{
	const char *o = truth ? op : value_negate_op(op);
	struct value r = *v;

	if (!*o)
		return r; /* an operator it does not know: no refinement */
	if (v->has_eq) {
		if (!holds(v->eq, o, k))
			memset(&r, 0, sizeof(r));
		return r;
	}
	r.signs &= value_signs_for(o, k);
	if ((!strcmp(o, "<") || !strcmp(o, "<=")) && r.lo &&
	    (!strcmp(o, "<") ? k - 1 : k) < r.lo)
		r.signs = 0; /* below the bound */
	if (!strcmp(o, "==")) {
		if (!allows(&r, k))
			r.signs = 0;
		else if (fits(k) && k != 0) {
			r.has_eq = 1;
			r.eq = (int32_t)k;
		}
	} else if (!strcmp(o, "!=")) {
		add_excluded(&r, k);
	}
	return normal(r);
}
