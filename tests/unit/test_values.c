/* Unit tests of the value domain (engine/values.c): signs, exact values,
 * exclusions, and the positive lower bound an allocation of at least MIN
 * vectors gives its result. */
#include "engine/values.h"
#include "unit.h"

static struct value at_least(int lo)
{
	struct value v = value_of_signs(SIGN_POS);

	v.lo = lo;
	return v;
}

int main(void)
{
	struct value any = value_any(), v, w;

	/* an exact negative value is no value below a bound (there is
	 * none) */
	v = value_of(-19);
	w = value_join(&v, &v);
	CHECK(w.has_eq && w.eq == -19 && w.signs == SIGN_NEG);
	w = value_meet(&v, &v);
	CHECK(w.has_eq && w.eq == -19);

	/* signs alone */
	v = value_refine(&any, "<", 0, false); /* ret >= 0 */
	CHECK(v.signs == (SIGN_ZERO | SIGN_POS) && !v.lo);
	v = value_refine(&any, ">", 0, true);
	CHECK(v.signs == SIGN_POS && !v.lo);

	/* a bound: "ret < 2" cannot hold, "ret < 3" can */
	v = value_meet(&any, &(struct value){.signs = SIGN_POS, .lo = 2});
	CHECK(v.lo == 2 && v.signs == SIGN_POS && !value_is_any(&v));
	w = value_refine(&v, "<", 2, true);
	CHECK(value_is_empty(&w));
	w = value_refine(&v, "<=", 1, true);
	CHECK(value_is_empty(&w));
	w = value_refine(&v, "<", 2, false); /* the false branch: kept */
	CHECK(w.lo == 2);
	w = value_refine(&v, "<", 3, true);
	CHECK(!value_is_empty(&w));
	w = value_refine(&v, "==", 1, true);
	CHECK(value_is_empty(&w));
	w = value_refine(&v, "==", 5, true);
	CHECK(w.has_eq && w.eq == 5 && !w.lo);

	/* a test makes no bound (only an allocation does): ">= 4" is only
	 * the sign */
	w = value_refine(&any, ">=", 4, true);
	CHECK(!w.lo && w.signs == SIGN_POS);
	w = value_refine(&v, ">=", 4, true); /* and keeps one */
	CHECK(w.lo == 2);
	w = value_refine(&any, ">", 0, true);
	CHECK(!w.lo);
	w = value_refine(&any, ">=", 1, true);
	CHECK(!w.lo && w.signs == SIGN_POS);

	/* meet keeps the higher bound, join the lower one */
	v = at_least(2);
	w = at_least(5);
	CHECK(value_meet(&v, &w).lo == 5);
	CHECK(value_join(&v, &w).lo == 2);
	/* joined with an exact value: no bound (kept only from a test or an
	 * allocation, not made up from values a path merges) */
	w = value_of(7);
	CHECK(!value_join(&v, &w).lo);
	/* with a value that allows less, no bound */
	w = value_of_signs(SIGN_POS);
	CHECK(!value_join(&v, &w).lo);
	w = value_of(0);
	CHECK(!value_join(&v, &w).lo);

	/* an exact value below the bound is empty */
	v = at_least(3);
	w = value_of(2);
	v = value_meet(&v, &w);
	CHECK(value_is_empty(&v));

	/* exclusions below the bound are dropped: one written form */
	v = value_refine(&any, "!=", 1, true);
	w = at_least(2);
	v = value_meet(&v, &w);
	CHECK(v.nne == 0 && v.lo == 2);
	CHECK(value_equal(&v, &(struct value){.signs = SIGN_POS, .lo = 2}));
	return unit_finish();
}
