/* Overlays of a tree (see overlay.h). */
#include "overlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool overlay_create(struct overlay *ov, const char *tree, const char *prefix,
		    char **err)
{
	memset(ov, 0, sizeof(*ov));
	ov->scratch = scratch_dir_make("/tmp", prefix);
	if (!ov->scratch) {
		*err = xasprintf("cannot make a scratch directory: %s",
				 strerror(errno));
		return false;
	}
	ov->tree = xstrdup(tree);
	return true;
}

char *overlay_add(struct overlay *ov, const char *rel)
{
	char *dest = path_join(ov->scratch, rel);
	size_t n = strlen(rel);

	path_make_parents(dest);
	if (!strvec_has(&ov->overlaid, rel))
		strvec_push(&ov->overlaid, rel);
	if (n > 2 && !strcmp(rel + n - 2, ".h")) {
		char *d = path_dirname(rel);
		if (!strvec_has(&ov->overlay_dirs, d))
			strvec_push(&ov->overlay_dirs, d);
		free(d);
	}
	return dest;
}

void overlay_add_absent(struct overlay *ov, const char *rel)
{
	strvec_push(&ov->absent, rel);
}

void overlay_release(struct overlay *ov, const char *who)
{
	if (ov->scratch && !path_remove_tree(ov->scratch))
		fprintf(stderr, "irqcheck %s: could not remove %s\n", who,
			ov->scratch);
	free(ov->scratch);
	free(ov->tree);
	strvec_free(&ov->overlaid);
	strvec_free(&ov->absent);
	strvec_free(&ov->overlay_dirs);
	memset(ov, 0, sizeof(*ov));
}

bool overlay_adjust_file(void *data, struct scan_file *f)
{
	struct overlay *ov = data;
	const char *tree = ov->tree;
	size_t tl = strlen(tree), i, j;
	struct strvec args = { 0 };
	char *dir;

	if (strvec_has(&ov->absent, f->display))
		return false;
	dir = path_dirname(f->display);
	for (i = 0; i < f->args.n; i++) {
		const char *a = f->args.v[i];
		/* -I<tree>/sub, or -Isub relative to the tree (scans of an
		 * overlay run from its top) */
		bool in_tree = !strncmp(a, "-I", 2) &&
			       ((!strncmp(a + 2, tree, tl) &&
				 (a[2 + tl] == '/' || !a[2 + tl])) ||
				(a[2] && a[2] != '/'));
		if (in_tree) {
			const char *sub = a[2] != '/' ? a + 2
					  : a[2 + tl] ? a + 3 + tl
						      : "";
			for (j = 0; j < ov->overlay_dirs.n; j++) {
				const char *od = ov->overlay_dirs.v[j];
				size_t sl = strlen(sub);
				if (!strncmp(od, sub, sl) &&
				    (!sl || od[sl] == '/' || !od[sl])) {
					strvec_pushf(&args, "-I%s/%s", ov->scratch,
						     sub);
					break;
				}
			}
		}
		strvec_push(&args, a);
	}
	/* the file's own directory in the tree, for "local.h" includes of
	 * a file read from the scratch copy */
	if (strvec_has(&ov->overlaid, f->display)) {
		char *p = path_join(ov->scratch, f->display);
		strvec_pushf(&args, "-iquote%s/%s", ov->scratch, dir);
		strvec_pushf(&args, "-iquote%s/%s", tree, dir);
		free(f->path);
		f->path = p;
	}
	strvec_free(&f->args);
	f->args = args;
	free(dir);
	return true;
}

void overlay_unmap_findings(const struct overlay *ov, struct scan_result *res)
{
	size_t i, j, k, sl = strlen(ov->scratch);

	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		for (j = 0; j < f->findings.n; j++) {
			struct finding *x = &f->findings.items[j];
			for (k = 0; k < x->nsteps; k++)
				if (!strncmp(x->steps[k].file, ov->scratch, sl) &&
				    x->steps[k].file[sl] == '/') {
					char *t = xstrdup(x->steps[k].file + sl + 1);
					free(x->steps[k].file);
					x->steps[k].file = t;
				}
		}
	}
}

/* The path relative to the tree, or NULL for a path outside it. */
static const char *tree_relative(const struct overlay *ov, const char *path)
{
	size_t tl = strlen(ov->tree);

	if (strncmp(path, ov->tree, tl) || path[tl] != '/')
		return NULL;
	return path + tl + 1;
}

char *overlay_content_of(void *data, const char *tree_path)
{
	const struct overlay *ov = data;
	const char *rel = tree_relative(ov, tree_path);

	if (rel && strvec_has(&ov->absent, rel))
		return NULL;
	if (rel && strvec_has(&ov->overlaid, rel))
		return path_join(ov->scratch, rel);
	return xstrdup(tree_path);
}

void overlay_tree_args(void *data, const struct scan_file *f,
		       struct strvec *out)
{
	const struct overlay *ov = data;
	size_t sl = strlen(ov->scratch), i, n = f->args.n;

	/* overlay_adjust_file() ends an overlaid file's arguments with two
	 * -iquote and puts -I<scratch>/... before the tree's directories */
	if (strvec_has(&ov->overlaid, f->display) && n >= 2)
		n -= 2;
	for (i = 0; i < n; i++) {
		const char *a = f->args.v[i];
		if (!strncmp(a, "-I", 2) && !strncmp(a + 2, ov->scratch, sl) &&
		    (a[2 + sl] == '/' || !a[2 + sl]))
			continue;
		strvec_push(out, a);
	}
}
