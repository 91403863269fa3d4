/* Canonical text of expressions, so that pdev, priv->pdev and
 * to_pci_dev(&pdev->dev) name the same device: parameters become $N,
 * single-assignment pointer locals and fields are replaced by what they
 * hold, device casts are seen through, and in a driver the one device
 * parameter and the fields assigned from it name the bound device. All
 * results are malloc'd. */
#ifndef IRQCHECK_CANON_H
#define IRQCHECK_CANON_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fn_ctx;

/* Collects parameters, aliases and returned variables of fn->cursor. */
void canon_prepare_function(struct fn_ctx *fn);
/* Canonical text of any expression (result variables, conditions). */
char *canon_text(struct fn_ctx *fn, CXCursor c);
/* Canonical text of a device expression. */
char *canon_device(struct fn_ctx *fn, CXCursor c);
/* The source text of an expression, for messages. */
char *canon_display(struct fn_ctx *fn, CXCursor c);
/* Rewrites a callee's parameter-rooted device key in terms of the call's
 * arguments; NULL when the argument does not exist. */
char *canon_substitute(struct fn_ctx *fn, const char *key, CXCursor *args,
		       size_t nargs);
struct tu_ctx;
/* True when t points to the rule pack's device structure. */
bool canon_is_device_pointer(struct tu_ctx *tu, CXType t);
/* t is a pointer to struct TAG (false for a NULL tag). */
bool canon_points_to_struct(CXType t, const char *tag);
/* True when the call always yields an error code (rules: errorret). */
bool canon_is_error_call(struct fn_ctx *fn, CXCursor call);

/* Interned keys: one id per canonical text in a function, so that states
 * compare with memcmp(). */
int32_t key_intern(struct fn_ctx *fn, const char *text);
int32_t key_of_cursor(struct fn_ctx *fn, CXCursor c);
/* Whether key is one of keys[0..n). */
bool key_in(const int32_t *keys, size_t n, int32_t key);
/* A key that names something through a parameter ("$0", "$1->pdev"). */
bool key_is_param_rooted(const char *k);
/* A key that is a parameter itself ("$2"), not reached through one. */
bool key_is_parameter(const char *k);
/* The vector index of a "device#index" key is a number. */
bool key_index_is_constant(const char *key);
/* The text of a vector index: its value when it is a constant (an
 * enumerator or a macro names one vector), else its canonical text. */
char *key_index_text(struct fn_ctx *fn, CXCursor idx);
/* The part of an lvalue text that other functions write the same way:
 * "irqs[i]" of "priv->irqs[i]", the whole text for a global. */
const char *key_field_part(const char *text);

/* Alias lists (expression text -> what it stands for); the last entry
 * for a text wins. */
struct alias;
const char *alias_lookup(struct alias *list, size_t n, const char *from);
void alias_remember(struct alias **list, size_t *n, size_t *cap,
		    const char *from, const char *to);

/* Fields of the driver's state, the same key in every function and file
 * of a module: "@USR" for a field read ("priv->msix_enabled",
 * "adapter->hw.flags"), "@USR^MASK" (hexadecimal) for "field & MASK",
 * "@USR~BIT" for a bitop on bit BIT of it. NULL for anything else, and
 * for a field of an array element. Caller frees. */
char *canon_field_key(struct tu_ctx *tu, CXCursor c);
/* The USR of the file-scope variable e names, or NULL. Caller frees. */
char *canon_state_global(CXCursor e);
/* Whether a condition of the file tests the field key (driver.c lists
 * them before the walk): only those are worth their facts. */
bool canon_field_tested(const struct tu_ctx *tu, const char *key);

#endif
