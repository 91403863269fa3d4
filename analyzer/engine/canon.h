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
/* True when the call always yields an error code (rules: errorret). */
bool canon_is_error_call(struct fn_ctx *fn, CXCursor call);

#endif
