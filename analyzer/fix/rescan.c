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

/* The patched files and the other candidate files of their directories
 * (their modules' other parts). */
void fix_rescan_paths(const struct fix_options *opt, struct fix_file *files,
		      size_t nfiles, struct strvec *out)
{
	struct prefilter pf;
	struct strvec dirs = {0};
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
	}
	for (i = 0; i < dirs.n; i++) {
		char *abs = path_join(opt->tree, dirs.v[i]);
		struct strvec found = {0};
		scan_list_c_files(abs, &found);
		for (j = 0; j < found.n; j++) {
			const char *rel = found.v[j] + tl + 1;
			while (!strncmp(rel, "./", 2))
				rel += 2;
			if (!strchr(rel + strlen(dirs.v[i]) + 1, '/') &&
			    prefilter_file_matches(&pf, found.v[j]))
				add_unique(out, rel);
		}
		strvec_free(&found);
		free(abs);
	}
	prefilter_release(&pf);
	strvec_free(&dirs);
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
