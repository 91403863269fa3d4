/* Flag sources (see flags.h). */
#include "frontend/flags.h"
#include "frontend/abspath.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool flags_open_compdb(struct flag_source *fs, const char *dir, char **err)
{
	CXCompilationDatabase_Error e;
	char *json;

	memset(fs, 0, sizeof(*fs));
	fs->kind = FLAGS_COMPDB;
	json = path_join(dir, "compile_commands.json");
	if (!path_is_file(json)) {
		*err = xasprintf("no compile_commands.json in %s", dir);
		free(json);
		return false;
	}
	free(json);
	{
		/* libclang prints its own parser messages on stderr; we say
		 * one sentence instead. */
		int saved = dup(2), null = open("/dev/null", O_WRONLY);
		fflush(stderr);
		if (null >= 0)
			dup2(null, 2);
		fs->db = clang_CompilationDatabase_fromDirectory(dir, &e);
		if (saved >= 0) {
			dup2(saved, 2);
			close(saved);
		}
		if (null >= 0)
			close(null);
	}
	if (e != CXCompilationDatabase_NoError || !fs->db) {
		*err = xasprintf("cannot load %s/compile_commands.json: it is not "
				 "a valid compilation database", dir);
		return false;
	}
	fs->db_dir = path_real(dir);
	return true;
}

bool flags_open_kernel(struct flag_source *fs, const char *src,
		       const char *obj, char **err)
{
	memset(fs, 0, sizeof(*fs));
	fs->kind = FLAGS_KERNEL;
	return kernel_tree_open(&fs->kernel, src, obj, err);
}

void flags_open_plain(struct flag_source *fs)
{
	memset(fs, 0, sizeof(*fs));
	fs->kind = FLAGS_PLAIN;
}

bool flags_open_tree_or_plain(struct flag_source *fs, const char *src,
			      const char *obj, char *const *extra,
			      size_t nextra, char **err)
{
	size_t i;

	if (src) {
		if (!flags_open_kernel(fs, src, obj, err))
			return false;
	} else {
		flags_open_plain(fs);
	}
	for (i = 0; i < nextra; i++)
		strvec_push(&fs->extra, extra[i]);
	return true;
}

void flags_close(struct flag_source *fs)
{
	if (fs->db)
		clang_CompilationDatabase_dispose(fs->db);
	if (fs->kind == FLAGS_KERNEL)
		kernel_tree_close(&fs->kernel);
	free(fs->db_dir);
	strvec_free(&fs->extra);
	memset(fs, 0, sizeof(*fs));
}

/* The absolute path of an entry's file: relative to the entry's
 * directory, and a relative directory to the database's. */
static char *command_file(const struct flag_source *fs, CXCompileCommand cmd)
{
	CXString f = clang_CompileCommand_getFilename(cmd);
	CXString d = clang_CompileCommand_getDirectory(cmd);
	const char *file = clang_getCString(f), *dir = clang_getCString(d);
	char *path = file[0] == '/' ? xstrdup(file) : path_join(dir, file);
	char *real;

	if (path[0] != '/') {
		char *in_db = path_join(fs->db_dir, path);
		free(path);
		path = in_db;
	}
	real = path_real(path);
	clang_disposeString(f);
	clang_disposeString(d);
	if (real) {
		free(path);
		return real;
	}
	return path;
}

void flags_compdb_files(struct flag_source *fs, struct strvec *out)
{
	CXCompileCommands cmds =
		clang_CompilationDatabase_getAllCompileCommands(fs->db);
	unsigned n = clang_CompileCommands_getSize(cmds), i;

	for (i = 0; i < n; i++) {
		char *p =
		    command_file(fs, clang_CompileCommands_getCommand(cmds, i));
		size_t len = strlen(p);
		if (len > 2 && !strcmp(p + len - 2, ".c"))
			strvec_push(out, p);
		free(p);
	}
	clang_CompileCommands_dispose(cmds);
}

static const char *const kept_prefixes[] = {
	"-I", "-D", "-U", "-std=", "-isystem", "-iquote", "-idirafter",
	"-include", "-imacros", "-nostdinc", "-m64", "-m32", "-mno-sse",
	"-mno-mmx", "-mno-3dnow", "-mno-avx", "-mno-red-zone", "-mcmodel=",
	"-fshort-wchar", "-funsigned-char", "-fsigned-char",
	"-fms-extensions", "-fno-common", "--target=", "-target", NULL,
};
static const char *const takes_argument[] = {
	"-I", "-D", "-U", "-isystem", "-iquote", "-idirafter", "-include",
	"-imacros", "-target", "-o", "-MF", "-MT", "-MQ", "-x", NULL,
};

static bool in_list(const char *w, const char *const *list, bool prefix)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (prefix ? !strncmp(w, list[i], strlen(list[i]))
			   : !strcmp(w, list[i]))
			return true;
	return false;
}

void flags_filter_gcc(const char *const *argv, size_t argc,
		      struct strvec *out)
{
	size_t i;

	for (i = 0; i < argc; i++) {
		const char *w = argv[i];
		bool keep = in_list(w, kept_prefixes, true);
		bool pair = in_list(w, takes_argument, false);

		if (pair && i + 1 < argc) {
			if (keep) {
				strvec_push(out, w);
				strvec_push(out, argv[i + 1]);
			}
			i++;
			continue;
		}
		if (keep)
			strvec_push(out, w);
	}
}

bool flags_for_file(struct flag_source *fs, const char *path,
		    const char *relpath, struct strvec *args, bool *not_built)
{
	size_t i;

	*not_built = false;
	switch (fs->kind) {
	case FLAGS_KERNEL:
		*not_built = !kernel_flags_for(&fs->kernel, relpath, args);
		break;
	case FLAGS_COMPDB: {
		CXCompileCommands cmds =
			clang_CompilationDatabase_getCompileCommands(fs->db, path);
		unsigned n = cmds ? clang_CompileCommands_getSize(cmds) : 0, j;
		const char **argv;
		CXString *strs;
		CXCompileCommand cmd;
		CXString dir;

		if (!n) {
			if (cmds)
				clang_CompileCommands_dispose(cmds);
			return false;
		}
		cmd = clang_CompileCommands_getCommand(cmds, 0);
		n = clang_CompileCommand_getNumArgs(cmd);
		argv = xcalloc(n, sizeof(*argv));
		strs = xcalloc(n, sizeof(*strs));
		for (j = 0; j < n; j++) {
			strs[j] = clang_CompileCommand_getArg(cmd, j);
			argv[j] = clang_getCString(strs[j]);
		}
		if (n > 1) {
			/* relative include paths are relative to the entry's
			 * directory */
			struct strvec kept = { 0 };
			flags_filter_gcc(argv + 1, n - 1, &kept);
			dir = clang_CompileCommand_getDirectory(cmd);
			flags_absolute_paths(&kept, clang_getCString(dir));
			clang_disposeString(dir);
			for (j = 0; j < kept.n; j++)
				strvec_push(args, kept.v[j]);
			strvec_free(&kept);
		}
		for (j = 0; j < n; j++)
			clang_disposeString(strs[j]);
		free(strs);
		free(argv);
		clang_CompileCommands_dispose(cmds);
		break;
	}
	case FLAGS_PLAIN:
		break;
	}
	for (i = 0; i < fs->extra.n; i++)
		strvec_push(args, fs->extra.v[i]);
	return true;
}
