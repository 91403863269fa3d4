/* A FreeBSD source tree as a kernel tree: detecting one, preparing a
 * build directory with what a module build generates (the kobj headers
 * made from the tree's .m files by its own makeobjops.awk, an empty
 * opt_*.h for every option header, the machine and x86 include links),
 * and the compiler arguments a module's C file is parsed with. */
#ifndef IRQCHECK_FREEBSD_TREE_H
#define IRQCHECK_FREEBSD_TREE_H

#include <stdbool.h>

#include "frontend/kbuild.h"
#include "util.h"

/* Whether src holds sys/dev/pci/pcivar.h and sys/tools/makeobjops.awk. */
bool freebsd_tree_is(const char *src);

/* Generates into obj (which exists); false with one sentence in *err. */
bool freebsd_tree_prepare(const char *src, const char *obj, char **err);

/* Opens a prepared FreeBSD tree (kt->src already set); obj is required.
 * On failure closes kt and returns false with one sentence in *err. */
bool freebsd_tree_open(struct kernel_tree *kt, const char *src, const char *obj,
		       char **err);

/* Appends the arguments for a file of the tree (path relative to src). */
bool freebsd_tree_flags(struct kernel_tree *kt, const char *relpath,
			struct strvec *args);

#endif
