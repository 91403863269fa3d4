/* Writes to the fields of the driver's state (fields.c): what setting a
 * field, or some of its bits, does to the facts of the keys the file's
 * conditions test ("@USR", "@USR^MASK", "@USR~BIT"). */
#ifndef IRQCHECK_FIELDS_H
#define IRQCHECK_FIELDS_H

#include "engine/engine.h"

/* The field "@USR" (base) is given a value (value_any(): unknown). */
void fields_write(struct fn_ctx *fn, struct state *st, const char *base,
		  const struct value *val);
/* The bits of mask are set ("|=", set_bit()) or cleared ("&= ~",
 * clear_bit()). */
void fields_write_bits(struct fn_ctx *fn, struct state *st, const char *base,
		       unsigned long long mask, bool set);
/* Bit number bit is set or cleared (bitops on a bitmap, whose bits may
 * lie beyond the first word). */
void fields_write_bit(struct fn_ctx *fn, struct state *st, const char *base,
		      long long bit, bool set);
/* Memory a zeroing allocator returned, as a pointer of type pointer: every
 * field of the structure it points to (and of the ones it embeds) is 0. */
void fields_zero_struct(struct fn_ctx *fn, struct state *st, CXType pointer);
/* What c writes, when it is a write: the left side of "=", of a
 * compound assignment or of "++"/"--", the address a set/clear bitop of
 * the pack writes at, or the operand whose address "&" takes (with
 * address_taken: a write may follow through it). */
bool fields_written_by(struct tu_ctx *tu, CXCursor c, bool address_taken,
		       CXCursor *target);
/* Every fact whose key starts with prefix ("@USR@FI@" for all fields of
 * a structure, "$0->" for what a pointer reaches) becomes written with a
 * value nobody knows; not dropped, so a later test is no assumption
 * about the function's entry. */
void fields_write_unknown_under(struct fn_ctx *fn, struct state *st,
				const char *prefix);
/* Whether key is the field base ("@USR") or one of its masks or bits. */
bool fields_key_is_of(const char *key, const char *base);
/* The field's base ("@USR") of a key, in buf; false for a key that is
 * not a field's. */
bool fields_base_of(const char *key, char *buf, size_t size);

#endif
