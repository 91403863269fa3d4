/* Tolerant mode's side of parsing (scan --tolerant): which errors of a
 * file whose headers are missing are only the missing names, the include
 * directories such a file may use, and the opaque types that stand in for
 * the type names its missing headers would have declared. */
#ifndef IRQCHECK_TOLERANT_H
#define IRQCHECK_TOLERANT_H

#include <clang-c/Index.h>
#include <stdbool.h>

#include "util.h"

/* The path of the generated header of opaque types, as it is given to
 * libclang (an unsaved file: nothing is written to disk). */
#define TOLERANT_OPAQUE_HEADER "/irqcheck-tolerant/opaque-types.h"

/* Arguments that keep the host's headers out (-nostdinc) and, for a file
 * inside a FreeBSD or Linux tree, add the tree's own include directory. */
void tolerant_add_includes(const char *path, struct strvec *args);

/* True when the error is one that a missing header explains: an include
 * not found, a name it would declare (unknown type, undeclared
 * identifier), or a structure it would complete (a field, a variable, a
 * sizeof or a member access of an incomplete type). The name goes to
 * *unresolved (once, at most 64). */
bool tolerant_error(CXDiagnostic d, struct strvec *unresolved);

/* The type names a tolerant parse found used as types but declared
 * nowhere: "unknown type name 'X'", and an undeclared identifier written
 * where only a type can stand ("X y;", "X *y;"). Adds to *names those not
 * yet in it; returns how many it added. */
size_t tolerant_unknown_types(CXTranslationUnit tu, struct strvec *names);

/* The text of the header that declares each name as an opaque type: a
 * pointer to a structure never completed, so that variables of that
 * type, and the calls that take them, stay in the analysis (a member
 * access through one still fails, and decides nothing); integer-like
 * names (uint16_t, size_t, u_int) are unsigned long. Caller frees. */
char *tolerant_opaque_header(const struct strvec *names);

#endif
