/* What a path knows of an integer value (values.c): the signs it can
 * have, and possibly its exact value, a positive lower bound, or up to two
 * values it cannot have. Conditions refine a value for one branch; an empty
 * result means the branch cannot be taken. Pure functions over plain data. */
#ifndef IRQCHECK_VALUES_H
#define IRQCHECK_VALUES_H

#include <stdbool.h>
#include <stdint.h>

/* Sign sets. */
enum { SIGN_NEG = 1, SIGN_ZERO = 2, SIGN_POS = 4, SIGN_ANY = 7 };

#define VALUE_MAX_NE 2

struct value {
	uint8_t signs;	/* SIGN_* set; 0: no value (infeasible) */
	uint8_t has_eq; /* exactly eq */
	uint8_t nne;	/* ne[0..nne) are excluded */
	uint8_t spare;
	int32_t eq;
	int32_t ne[VALUE_MAX_NE];
	int32_t lo; /* 0, or at least 2: the value is lo or more (the
		       result of an allocation of at least lo vectors: "ret <
		       MIN" is then false). Only an allocation sets it; a
		       test only reads it */
};

/* Anything. */
struct value value_any(void);
/* Exactly k (an integer outside int32_t keeps only its sign). */
struct value value_of(long long k);
/* Only the signs in m. */
struct value value_of_signs(uint8_t m);
bool value_is_any(const struct value *v);
bool value_is_empty(const struct value *v);
bool value_equal(const struct value *a, const struct value *b);
/* Both at once; empty when they contradict. */
struct value value_meet(const struct value *a, const struct value *b);
/* Either (what two paths joined know). */
struct value value_join(const struct value *a, const struct value *b);
/* The value on the branch where "value OP k" is `truth`: op is one of
 * < <= > >= == != (a plain truth test is "!= 0"); empty when that
 * branch cannot be taken. */
struct value value_refine(const struct value *v, const char *op, long long k,
			  bool truth);
/* The negation of a comparison operator ("" for an unknown one), and the
 * operator with its operands swapped. */
const char *value_negate_op(const char *op);
const char *value_swap_op(const char *op);
/* Signs a value can have on the branch where "value op k" holds. */
uint8_t value_signs_for(const char *op, long long k);

#endif
