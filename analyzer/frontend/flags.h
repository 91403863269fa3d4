/* Where a file's compiler arguments come from: a compile_commands.json
 * (read with libclang's CXCompilationDatabase), a prepared kernel tree
 * (flags synthesized as Kbuild would), or arguments given by the user. */
#ifndef IRQCHECK_FLAGS_H
#define IRQCHECK_FLAGS_H

#include <clang-c/CXCompilationDatabase.h>
#include <stdbool.h>

#include "frontend/kbuild.h"
#include "util.h"

enum flag_source_kind { FLAGS_COMPDB, FLAGS_KERNEL, FLAGS_PLAIN };

struct flag_source {
	enum flag_source_kind kind;
	CXCompilationDatabase db;
	char *db_dir;
	struct kernel_tree kernel;
	struct strvec extra; /* user arguments, appended to every file */
};

bool flags_open_compdb(struct flag_source *fs, const char *dir, char **err);
bool flags_open_kernel(struct flag_source *fs, const char *src,
		       const char *obj, char **err);
void flags_open_plain(struct flag_source *fs);
/* A kernel tree's flags when src is given, else plain ones; either way
 * the nextra arguments after "--" are added to every file's. */
bool flags_open_tree_or_plain(struct flag_source *fs, const char *src,
			      const char *obj, char *const *extra,
			      size_t nextra, char **err);
void flags_close(struct flag_source *fs);

/* All source files the compile database knows (absolute paths). */
void flags_compdb_files(struct flag_source *fs, struct strvec *out);

/* Compiler arguments for one file (without the compiler and the file).
 * path is absolute; relpath is relative to the kernel tree in kernel
 * mode. Returns false when the database has no entry for the file.
 * *not_built is set when the kernel configuration does not build it. */
bool flags_for_file(struct flag_source *fs, const char *path,
		    const char *relpath, struct strvec *args, bool *not_built);

/* Keeps only what the front end needs of a GCC command line: include
 * paths, macros, forced includes, the language standard and the target
 * switches clang understands; GCC-only options are dropped. */
void flags_filter_gcc(const char *const *argv, size_t argc,
		      struct strvec *out);

#endif
