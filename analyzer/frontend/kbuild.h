/* A prepared Linux kernel tree and the compile flags Kbuild would use for
 * one of its C files: the arch and generated include directories, the
 * forced includes, the per-directory and per-object flags from the
 * Makefiles (ccflags-y, subdir-ccflags-y, CFLAGS_foo.o) and -DMODULE when
 * the configuration builds the object as a module. The architecture is
 * the configuration's (x86 32/64-bit, arm64): clang's --target and the
 * arch's include directories and defines follow it. */
#ifndef IRQCHECK_KBUILD_H
#define IRQCHECK_KBUILD_H

#include <search.h>
#include <stdbool.h>

#include "util.h"

struct kbuild_makefile;
struct kbuild_arch;

struct kernel_tree {
	char *src; /* absolute source directory */
	char *obj; /* absolute build directory (== src for in-tree builds) */
	char *arch; /* arch/ directory: "x86", "arm64"; FreeBSD: "freebsd12.0" */
	bool freebsd; /* a FreeBSD tree (frontend/freebsd_tree.c) */
	const struct kbuild_arch *arch_info;
	bool src_relative; /* $(src) is relative (Kbuild before 6.10) */
	struct hsearch_data config;
	char **config_keys; /* owned keys and values of the config table */
	size_t nconfig, cap_config;
	struct kbuild_makefile **makefiles; /* cache, one per directory */
	size_t nmakefiles, cap_makefiles;
};

/* Opens a prepared tree. obj may be NULL (in-tree build). On failure
 * returns false with one sentence in *err. */
bool kernel_tree_open(struct kernel_tree *kt, const char *src,
		      const char *obj, char **err);
void kernel_tree_close(struct kernel_tree *kt);

/* Value of CONFIG_<name> ("y", "m", a string), or NULL when unset. */
const char *kernel_config(struct kernel_tree *kt, const char *name);

/* Appends the compiler arguments for a file (path relative to src).
 * Returns false when the configuration does not build the file (it is
 * then set up as the module its own option would make it). */
bool kernel_flags_for(struct kernel_tree *kt, const char *relpath,
		      struct strvec *args);

/* Appends the CONFIG_ symbols the configuration leaves unset that keep
 * kbuild from building a file (relpath relative to src): the object's
 * own and each directory's on the way down to it. */
void kernel_unset_switches(struct kernel_tree *kt, const char *relpath,
			   struct strvec *configs);

#endif
