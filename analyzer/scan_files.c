/* Which files a scan covers: the .c files under the paths given (or the
 * compile database's files below them), each once, and the name each is
 * shown by. */
#include "scan.h"
#include "scan_internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void scan_list_c_files(const char *dir, struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *p;
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		p = path_join(dir, e->d_name);
		if (e->d_type == DT_DIR ||
		    (e->d_type == DT_UNKNOWN && path_is_dir(p)))
			scan_list_c_files(p, out);
		else if (len > 2 && !strcmp(e->d_name + len - 2, ".c"))
			strvec_push(out, p);
		free(p);
	}
	closedir(d);
}

/* Resolves a user path: relative to the kernel tree in kernel mode. */
static char *resolve_path(const struct scan_options *opt, const char *p)
{
	if (opt->flags->kind == FLAGS_KERNEL && p[0] != '/') {
		char *in_tree = path_join(opt->flags->kernel.src, p);
		char *real = path_real(in_tree);
		free(in_tree);
		if (real)
			return real;
	}
	return path_real(p);
}

char *scan_display_name(const struct scan_options *opt, const char *abs,
			  const char *given)
{
	const char *root = NULL;
	size_t n;

	if (opt->flags->kind == FLAGS_KERNEL)
		root = opt->flags->kernel.src;
	else if (opt->flags->kind == FLAGS_COMPDB)
		root = opt->flags->db_dir;
	if (root) {
		n = strlen(root);
		if (!strncmp(abs, root, n) && abs[n] == '/')
			return xstrdup(abs + n + 1);
	}
	if (given && given[0] == '/') {
		/* found under a directory argument: show it from the
		 * current directory when it is below it */
		char *cwd = getcwd(NULL, 0);
		if (cwd) {
			n = strlen(cwd);
			if (!strncmp(given, cwd, n) && given[n] == '/') {
				char *rel = xstrdup(given + n + 1);
				free(cwd);
				return rel;
			}
			free(cwd);
		}
	}
	return xstrdup(given ? given : abs);
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

struct path_at {
	const char *path;
	size_t at;
};

static int compare_path_at(const void *a, const void *b)
{
	const struct path_at *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Paths that overlap (a directory and one below it, a file named twice)
 * find the same file more than once: it is scanned once, where it was
 * first found. abs and given stay parallel. */
static void drop_repeated_files(struct strvec *abs, struct strvec *given)
{
	struct path_at *sorted = xcalloc(abs->n + 1, sizeof(*sorted));
	bool *repeat = xcalloc(abs->n + 1, sizeof(*repeat));
	size_t i, kept = 0;

	for (i = 0; i < abs->n; i++)
		sorted[i] = (struct path_at){abs->v[i], i};
	qsort(sorted, abs->n, sizeof(*sorted), compare_path_at);
	for (i = 1; i < abs->n; i++)
		if (!strcmp(sorted[i].path, sorted[i - 1].path))
			repeat[sorted[i].at] = true;
	for (i = 0; i < abs->n; i++) {
		if (repeat[i]) {
			free(abs->v[i]);
			free(given->v[i]);
			continue;
		}
		abs->v[kept] = abs->v[i];
		given->v[kept++] = given->v[i];
	}
	abs->n = given->n = kept;
	free(sorted);
	free(repeat);
}

bool scan_collect_files(const struct scan_options *opt, struct strvec *abs,
			  struct strvec *given, char **err)
{
	size_t i, j;
	struct strvec roots = { 0 };

	for (i = 0; i < opt->npaths; i++) {
		char *r = resolve_path(opt, opt->paths[i]);
		if (!r) {
			*err = xasprintf("%s: no such file or directory",
					 opt->paths[i]);
			strvec_free(&roots);
			return false;
		}
		strvec_push(&roots, r);
		free(r);
	}
	if (opt->flags->kind == FLAGS_COMPDB) {
		struct strvec all = { 0 };
		flags_compdb_files(opt->flags, &all);
		qsort(all.v, all.n, sizeof(char *), compare_string_ptrs);
		for (i = 0; i < all.n; i++) {
			bool keep = !roots.n;
			for (j = 0; j < roots.n && !keep; j++)
				keep = under(all.v[i], roots.v[j]);
			if (keep && (!abs->n || strcmp(abs->v[abs->n - 1], all.v[i]))) {
				strvec_push(abs, all.v[i]);
				strvec_push(given, all.v[i]);
			}
		}
		strvec_free(&all);
	} else {
		for (i = 0; i < roots.n; i++) {
			if (path_is_dir(roots.v[i])) {
				struct strvec found = { 0 };
				scan_list_c_files(roots.v[i], &found);
				qsort(found.v, found.n, sizeof(char *),
				      compare_string_ptrs);
				for (j = 0; j < found.n; j++) {
					strvec_push(abs, found.v[j]);
					strvec_push(given, found.v[j]);
				}
				strvec_free(&found);
			} else {
				strvec_push(abs, roots.v[i]);
				strvec_push(given, opt->paths[i]);
			}
		}
		drop_repeated_files(abs, given);
	}
	strvec_free(&roots);
	return true;
}
