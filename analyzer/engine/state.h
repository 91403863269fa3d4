/* One path's state and its transitions (state.c): the devices on the
 * path, the call results not yet tested, the value facts kept for
 * conditions, and the handler table. Transitions that a rule listens to
 * (an enable, an allocation, a release) fire their events here, with the
 * state as it was before. Nothing in here reads the AST. */
#ifndef IRQCHECK_STATE_H
#define IRQCHECK_STATE_H

#include "engine/engine.h"

struct state *state_clone(struct fn_ctx *fn, const struct state *st);

/* The index of the device with key on the path, or -1 (find); get adds it
 * (-1 when the table is full, which marks the analysis incomplete). A
 * parameter-rooted device starts as its caller left it (EN_ENTRY,
 * VEC_ENTRY). */
int state_find_dev(struct state *st, int32_t key);
int state_get_dev(struct fn_ctx *fn, struct state *st, int32_t key);

/* Value facts of the expressions the function keeps facts for
 * (state_value_kept(): variables it returns or tests twice, and every
 * field of the driver's state). Kept in key order. */
bool state_value_kept(struct fn_ctx *fn, int32_t key);
/* From now on, facts of key are kept (a call's result that a return
 * state gives a value, the variable it is stored in). */
void state_keep_value(struct fn_ctx *fn, int32_t key);
const struct fact *state_fact(const struct state *st, int32_t key);
/* The value known of key, value_any() when nothing is. */
struct value state_value(const struct state *st, int32_t key);
/* Sets what is known of key (written on this path, or assumed of the
 * value at entry). */
void state_put_fact(struct fn_ctx *fn, struct state *st, int32_t key,
		    const struct value *v, uint8_t origin);
/* Written: only the signs in `signs` (SIGN_ANY forgets the value). */
void state_set_fact(struct fn_ctx *fn, struct state *st, int32_t key,
		    uint8_t signs);
/* Adds v to what is known of key (a branch taken); false when the two
 * contradict, so the branch cannot be taken. A value first learnt this
 * way is assumed of the entry. */
bool state_refine_fact(struct fn_ctx *fn, struct state *st, int32_t key,
		       const struct value *v);
void state_drop_fact(struct state *st, int32_t key);
/* Keys known to hold the same value on this path; a key assigned again
 * is forgotten (also as a pending result's exact count). */
void state_add_equal(struct state *st, int32_t a, int32_t b);
bool state_known_equal(const struct state *st, int32_t a, int32_t b);
void state_forget_equal(struct state *st, int32_t key);
uint8_t state_fact_signs(struct state *st, int32_t key);

/* Applies an effect to device dev, firing the events rules listen to. */
void state_apply_effect(struct fn_ctx *fn, struct state *st, int dev,
			const struct effect *e, const char *api,
			int32_t call_site);

/* The handler table (handlers and acquired objects). */
int state_find_handler(struct state *st, int32_t key);
void state_remove_handler(struct state *st, int i);
/* devid: the type of its dev_id (struct handler_track), 0 unknown */
void state_set_handler(struct fn_ctx *fn, struct state *st, int dev,
		       int32_t key, uint8_t state, bool devm, bool local,
		       int32_t site, int32_t devid);

/* Pending call results: a call whose effect waits for the test of its
 * result. Resolving one applies the effect of its outcome. */
void state_add_pending(struct fn_ctx *fn, struct state *st, int32_t key,
		       enum success_kind success, int dev, const char *api,
		       int32_t call_site, const struct effect *ok,
		       const struct effect *fail);
/* A successful allocation's result is at least the fewest vectors it
 * asked for (pending.least, when 2 or more): "ret < MIN" is then false. */
void state_note_least(struct fn_ctx *fn, struct state *st, int32_t key,
		      int32_t least);
void state_resolve_pending(struct fn_ctx *fn, struct state *st, int i,
			   bool success, bool confirmed);
/* Taken as succeeded, unproven: no test decided it. */
void state_settle_unconfirmed(struct fn_ctx *fn, struct state *st, int i);
void state_settle_for_key(struct fn_ctx *fn, struct state *st, int32_t key);
void state_settle_for_dev(struct fn_ctx *fn, struct state *st, int dev);

#endif
