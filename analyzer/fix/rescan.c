/* The re-scans of fix validation (see fix_internal.h): which files a
 * patched driver's re-scan covers, and the scan of them, on the tree or
 * with the patched copies overlaid. */
#include "fix/fix_internal.h"
#include "frontend/prefilter.h"
#include "overlay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_unique(struct strvec *v, const char *s)
{
	if (!strvec_has(v, s))
		strvec_push(v, s);
}

/* The paths (of a re-scan's) in a directory where `found` has a finding:
 * the module of a file is in its directory (rescan_paths()). */
void fix_paths_with_findings(const struct strvec *paths,
			     const struct stored_findings *found,
			     struct strvec *out)
{
	size_t i, j;

	for (i = 0; i < paths->n; i++) {
		char *dir = path_dirname(paths->v[i]);
		size_t n = strlen(dir);
		for (j = 0; j < found->n; j++) {
			const char *f = found->items[j].f.file;
			if (!strncmp(f, dir, n) && f[n] == '/' &&
			    !strchr(f + n + 1, '/')) {
				strvec_push(out, paths->v[i]);
				break;
			}
		}
		free(dir);
	}
}

/* The module a file of the tree links into, as the scan names it
 * (KBUILD_MODNAME from its flags, else its directory). */
static char *module_of(const struct fix_options *opt, const char *rel)
{
	struct scan_file f = { 0 };
	char *abs = path_join(opt->tree, rel), *module;
	bool not_built = false;

	f.display = (char *)rel;
	flags_for_file(opt->scan->flags, abs,
		       opt->scan->flags->kind == FLAGS_KERNEL ? rel : abs,
		       &f.args, &not_built);
	module = scan_file_module(&f);
	strvec_free(&f.args);
	free(abs);
	return module;
}

/* The patched files and the other candidate files of their modules
 * (found in the same directories: a module's files are in its
 * directory). Files of other modules in those directories are left out:
 * nothing links them to the patched ones, and the judgement ignores what
 * they report. */
void fix_rescan_paths(const struct fix_options *opt, struct fix_file *files,
		      size_t nfiles, struct strvec *out)
{
	struct prefilter pf;
	struct strvec dirs = { 0 }, modules = { 0 };
	size_t i, j, tl = strlen(opt->tree);

	prefilter_init(&pf, opt->scan->rules);
	for (i = 0; i < nfiles; i++) {
		char *d;
		if (files[i].refused)
			continue;
		add_unique(out, files[i].rel);
		d = path_dirname(files[i].rel);
		add_unique(&dirs, d);
		free(d);
		d = module_of(opt, files[i].rel);
		add_unique(&modules, d);
		free(d);
	}
	for (i = 0; i < dirs.n; i++) {
		char *abs = path_join(opt->tree, dirs.v[i]);
		struct strvec found = { 0 };
		scan_list_c_files(abs, &found);
		for (j = 0; j < found.n; j++) {
			const char *rel = found.v[j] + tl + 1;
			char *module;
			while (!strncmp(rel, "./", 2))
				rel += 2;
			if (strchr(rel + strlen(dirs.v[i]) + 1, '/') ||
			    strvec_has(out, rel) ||
			    prefilter_file_verdict(&pf, found.v[j]) ==
				PREFILTER_SKIP)
				continue;
			module = module_of(opt, rel);
			if (strvec_has(&modules, module))
				strvec_push(out, rel);
			free(module);
		}
		strvec_free(&found);
		free(abs);
	}
	prefilter_release(&pf);
	strvec_free(&dirs);
	strvec_free(&modules);
}

/* Re-scans paths (through the overlay when ov); the findings in *out, and
 * in *modules "file\tmodule" for each file analysed. With twin_rules,
 * the same parse is analysed under those too, into *twin_out. */
bool fix_rescan(const struct fix_options *opt, const struct ruleset *rules,
		const struct strvec *paths, struct overlay *ov,
		struct stored_findings *out, struct strvec *modules,
		const struct ruleset *twin_rules,
		struct stored_findings *twin_out, char **err)
{
	size_t i;
	struct scan_options so = *opt->scan;
	struct scan_result res, twin;

	memset(out, 0, sizeof(*out));
	if (twin_out)
		memset(twin_out, 0, sizeof(*twin_out));
	so.rules = rules;
	so.paths = (const char *const *)paths->v;
	so.npaths = paths->n;
	so.prefilter = false;
	/* the unpatched tree under the scan's own rules is what the run
	 * recorded, for every file unchanged since */
	so.before_analysis = !ov && rules == opt->scan->rules && !twin_rules
				     ? opt->reuse
				     : NULL;
	so.hook_ctx = opt->reuse_ctx;
	so.record_headers = false;
	so.progress = false;
	so.adjust_file = ov ? overlay_adjust_file : NULL;
	so.adjust_ctx = ov;
	so.twin_rules = twin_rules;
	so.twin = twin_rules ? &twin : NULL;
	if (!scan_run(&so, &res, err)) {
		if (twin_rules)
			scan_result_release(&twin);
		return false;
	}
	if (ov) {
		overlay_unmap_findings(ov, &res);
		if (twin_rules)
			overlay_unmap_findings(ov, &twin);
	}
	for (i = 0; modules && i < res.nfiles; i++)
		strvec_pushf(modules, "%s\t%s", res.files[i].display,
			     res.files[i].module ? res.files[i].module : "");
	stored_findings_from_scan(&res, out);
	scan_result_release(&res);
	if (twin_rules) {
		stored_findings_from_scan(&twin, twin_out);
		scan_result_release(&twin);
	}
	return true;
}
