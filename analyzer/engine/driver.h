/* The functions and driver structures of a translation unit (driver.c).
 * summary.c walks the functions in the order given here. */
#ifndef IRQCHECK_DRIVER_H
#define IRQCHECK_DRIVER_H

#include "engine/engine.h"

struct function {
	CXCursor cursor;
	char *name;
	char **callees;
	size_t ncallees, cap_callees;
	bool has_caller;
	bool skipped; /* spans a parse error */
	int mark;     /* 0 new, 1 on the DFS stack, 2 done */
	struct fn_summary *summary;
	struct strvec writes; /* fields of the driver's state it writes */
};

struct tu_functions {
	struct function *items;
	size_t n, cap;
	struct function **order;
	size_t norder, cap_order;
};

/* Finds the functions of the main file, the driver structures (this
 * file's first, then those of other files of the module whose callbacks
 * are defined here) and the device fields. */
void driver_discover(struct tu_ctx *tu, struct tu_functions *fs);
/* Links callers and callees and orders the functions callees first,
 * probe() and its callees before everything else (fs->order). */
void driver_order(struct tu_ctx *tu, struct tu_functions *fs);
void driver_functions_release(struct tu_functions *fs);
/* The fields of the driver's state each function writes (f->writes), and
 * those that functions outside every probe()'s chain of calls (and
 * outside remove() and shutdown()) write: what probe left in them may
 * have changed by the time remove() runs (tu->volatile_fields). */
void driver_find_volatile_fields(struct tu_ctx *tu, struct tu_functions *fs);

struct function *driver_find_function(struct tu_functions *fs,
				      const char *name);
/* The driver structure that names function name in role, or NULL. */
const struct driver_callbacks *driver_with(struct tu_ctx *tu, const char *name,
					   enum driver_role role);

#endif
