/* The compile step of fix validation (see fix.h): the kernel build
 * directory's own command for the object (from its .o.cmd file, made by
 * building the object once), run on the original and on the patched copy,
 * with the object and dependency file sent to the scratch directory. */
#include "fix/fix.h"
#include "frontend/kbuild.h"
#include "process.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replaces every occurrence of `what` that ends at a word boundary. */
static char *replace_all(const char *text, const char *what, const char *with)
{
	struct strbuf sb;
	size_t wl = strlen(what);
	const char *p = text, *hit;

	sb_init(&sb);
	while ((hit = strstr(p, what))) {
		char after = hit[wl];
		sb_add(&sb, p, (size_t)(hit - p));
		if (!after || after == ' ' || after == ';' || after == '\n')
			sb_adds(&sb, with);
		else
			sb_add(&sb, hit, wl);
		p = hit + wl;
	}
	sb_adds(&sb, p);
	return sb_detach(&sb);
}

/* The compiler's first "error:" line, else its first line. */
static char *first_error(const struct process_output *po, const char *who)
{
	const char *e = po->err ? strstr(po->err, "error: ") : NULL;

	if (!e)
		return process_first_error_line(po, who);
	while (e > po->err && e[-1] != '\n')
		e--;
	return xstrndup(e, strcspn(e, "\n"));
}

/* Runs kbuild's make for obj with the assignments given (NULL ends). */
static bool make_object(const char *build, const char *obj,
			const struct strvec *assign, struct process_output *po)
{
	struct strvec argv = { 0 };
	size_t i;
	bool ok;

	strvec_push(&argv, "make");
	strvec_push(&argv, "-s");
	strvec_push(&argv, "-C");
	strvec_push(&argv, build);
	for (i = 0; assign && i < assign->n; i++)
		strvec_push(&argv, assign->v[i]);
	strvec_push(&argv, obj);
	ARRAY_PUSH(argv.v, argv.n, argv.cap, NULL);
	argv.n--;
	ok = process_run(NULL, (const char *const *)argv.v, NULL, po);
	strvec_free(&argv);
	return ok;
}

/* The CONFIG_X=m assignments that make kbuild build rel, which the
 * configuration leaves out (none when it builds it or the tree cannot be
 * read). */
static void switches_for(const char *tree, const char *build, const char *rel,
			 struct strvec *assign)
{
	struct kernel_tree kt;
	struct strvec configs = { 0 };
	char *err = NULL;
	size_t i;

	if (!kernel_tree_open(&kt, tree, build, &err)) {
		free(err);
		return;
	}
	kernel_unset_switches(&kt, rel, &configs);
	for (i = 0; i < configs.n; i++)
		strvec_pushf(assign, "%s=m", configs.v[i]);
	strvec_free(&configs);
	kernel_tree_close(&kt);
}

/* The command kbuild saved for obj (relative to the build directory). */
static char *saved_command(const char *tree, const char *build,
			   const char *obj, pthread_mutex_t *make_lock,
			   char **why, char **forced)
{
	char *dir = path_dirname(obj), *cmdfile, *text, *prefix, *line, *cmd;
	const char *base = strrchr(obj, '/') ? strrchr(obj, '/') + 1 : obj;
	struct strvec assign = { 0 };
	char *rel;
	size_t len;

	/* an object the configuration leaves out (the scan parsed it as the
	 * module its option would make it) is built with those options set */
	rel = xstrdup(obj);
	rel[strlen(rel) - 1] = 'c';
	switches_for(tree, build, rel, &assign);
	free(rel);
	if (assign.n) {
		struct strbuf sb;
		size_t i;
		sb_init(&sb);
		for (i = 0; i < assign.n; i++)
			sb_addf(&sb, "%s%s", i ? " " : "", assign.v[i]);
		*forced = sb_detach(&sb);
	}
	cmdfile = xasprintf("%s/%s/.%s.cmd", build, dir, base);
	free(dir);
	pthread_mutex_lock(make_lock);
	text = read_file(cmdfile, &len);
	if (!text) {
		struct process_output po;
		bool made = make_object(build, obj, &assign, &po);
		if (!made) {
			pthread_mutex_unlock(make_lock);
			char *first = first_error(&po, "make");
			*why = xasprintf("make %s does not build the unpatched "
					 "object in %s: %s",
					 obj, build, first);
			free(first);
			free(po.out);
			free(po.err);
			free(cmdfile);
			strvec_free(&assign);
			return NULL;
		}
		free(po.out);
		free(po.err);
		text = read_file(cmdfile, &len);
	}
	pthread_mutex_unlock(make_lock);
	free(cmdfile);
	strvec_free(&assign);
	if (!text) {
		*why = xasprintf("the build directory has no command for %s",
				 obj);
		return NULL;
	}
	prefix = xasprintf("savedcmd_%s := ", obj);
	line = strstr(text, prefix);
	cmd = line ? xstrndup(line + strlen(prefix),
			      strcspn(line + strlen(prefix), "\n"))
		   : NULL;
	if (!cmd)
		*why = xasprintf("the build directory's command file for %s "
				 "is not in the form kbuild writes",
				 obj);
	free(prefix);
	free(text);
	return cmd;
}

/* The warning messages of a compiler's error output, without their
 * file:line:col prefixes, one per line. */
static void warning_messages(const char *err, struct strvec *out)
{
	const char *line = err;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char *l = xstrndup(line, n), *w = strstr(l, "warning: ");
		if (w)
			strvec_push(out, w);
		free(l);
		line = nl ? nl + 1 : NULL;
	}
}

/* Runs the object's command on source, into scratch/<tag>.o. */
static bool compile_one(const char *build, const char *cmd, const char *obj,
			const char *source, const char *new_source,
			const char *scratch, const char *tag,
			struct process_output *po)
{
	char *dir = path_dirname(obj), *dep, *new_dep, *new_obj, *c1, *c2, *c3;
	const char *base = strrchr(obj, '/') ? strrchr(obj, '/') + 1 : obj;
	bool ok;

	dep = xasprintf("%s/.%s.d", dir, base);
	new_dep = xasprintf("%s/%s.d", scratch, tag);
	new_obj = xasprintf("%s/%s.o", scratch, tag);
	c1 = replace_all(cmd, dep, new_dep);
	c2 = replace_all(c1, obj, new_obj);
	c3 = replace_all(c2, source, new_source);
	{
		/* "local.h" includes of a copy outside the file's directory:
		 * the directory, right after the compiler's name */
		char *srcdir = path_dirname(source);
		size_t cc = strcspn(c3, " ");
		char *c4 = xasprintf("%.*s -iquote %s%s", (int)cc, c3, srcdir,
				     c3 + cc);
		free(srcdir);
		free(c3);
		c3 = c4;
	}
	{
		const char *argv[] = { "sh", "-c", c3, NULL };
		ok = process_run(build, argv, NULL, po);
	}
	free(dir);
	free(dep);
	free(new_dep);
	free(new_obj);
	free(c1);
	free(c2);
	free(c3);
	return ok;
}

char *fix_compile_check(const char *tree, const char *build, const char *rel,
			const char *patched, const char *scratch,
			pthread_mutex_t *make_lock, char **forced)
{
	char *obj = xstrdup(rel), *cmd, *why = NULL, *source;
	struct process_output before, after;
	struct strvec wb = { 0 }, wa = { 0 };
	bool patched_ok;
	size_t i;

	obj[strlen(obj) - 1] = 'o';
	*forced = NULL;
	cmd = saved_command(tree, build, obj, make_lock, &why, forced);
	if (!cmd) {
		free(obj);
		return why;
	}
	source = path_join(tree, rel);
	/* the patched copy first: when it compiles without a warning, no
	 * warning can be new and the original need not be compiled (most
	 * kernel files: half the compile time of a run) */
	patched_ok = compile_one(build, cmd, obj, source, patched, scratch,
				 "patched", &after);
	warning_messages(after.err, &wa);
	if (patched_ok && !wa.n) {
		free(after.out);
		free(after.err);
		goto done;
	}
	if (!compile_one(build, cmd, obj, source, source, scratch, "original",
			 &before)) {
		char *first = first_error(&before, "the compiler");
		why = xasprintf("the unpatched file does not compile with the "
				"build directory's command: %s",
				first);
		free(first);
	} else if (!patched_ok) {
		char *first = first_error(&after, "the compiler");
		why = xasprintf("the patched file does not compile: %s", first);
		free(first);
	} else {
		warning_messages(before.err, &wb);
		for (i = 0; i < wa.n && !why; i++)
			if (!strvec_has(&wb, wa.v[i]))
				why = xasprintf("the patched file compiles with a "
						"new %s",
						wa.v[i]);
	}
	free(after.out);
	free(after.err);
	free(before.out);
	free(before.err);
done:
	strvec_free(&wb);
	strvec_free(&wa);
	free(source);
	free(cmd);
	free(obj);
	return why;
}
