/* How fix judges a patch from the re-scans of its driver (see
 * fix_internal.h): what is new after it, under the tree's semantics and
 * with the hybrid rule gone, and which of its findings it clears. */
#include "fix/fix_internal.h"
#include "frontend/flags.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *module_of(const struct strvec *modules, const char *file)
{
	size_t i, n = strlen(file);

	for (i = 0; i < modules->n; i++)
		if (!strncmp(modules->v[i], file, n) &&
		    modules->v[i][n] == '\t')
			return modules->v[i] + n + 1;
	return NULL;
}

/* True when a finding in `file` can come from a change to `patched`: the
 * same file, or a file linked into the same module. */
static bool same_module(const struct strvec *modules, const char *file,
			const char *patched)
{
	const char *a, *b;

	if (!strcmp(file, patched))
		return true;
	a = module_of(modules, file);
	b = module_of(modules, patched);
	return a && b && *a && !strcmp(a, b);
}

/* True when a file of rel's module (or rel) enables its device with
 * pcim_enable_device(): devres then owns the vectors, and a release added
 * by hand would release them twice even where the analysis, which does
 * not always connect the device across files, does not see it. */
static bool module_is_managed(const struct fix_options *opt,
			      const struct strvec *modules, const char *rel)
{
	const char *module = module_of(modules, rel);
	char *dir = path_dirname(rel), *absdir = path_join(opt->tree, dir);
	struct strvec found = {0};
	size_t i, len, dl = strlen(absdir);
	bool managed = false;

	/* the other .c files of its directory that call it, in its module
	 * by their KBUILD_MODNAME (the re-scan parsed only the candidates) */
	scan_list_c_files(absdir, &found);
	for (i = 0; i < found.n && !managed; i++) {
		const char *abs = found.v[i];
		char *text;
		if (strncmp(abs, absdir, dl) || strchr(abs + dl + 1, '/'))
			continue;
		text = read_file(abs, &len);
		if (text && strstr(text, "pcim_enable_device(")) {
			struct scan_file other = {0};
			bool not_built = false;
			char *m;
			other.display = path_join(dir, abs + dl + 1);
			if (!strcmp(other.display, rel)) {
				managed = true;
			} else if (module &&
				   flags_for_file(opt->scan->flags, abs,
						  other.display, &other.args,
						  &not_built)) {
				m = scan_file_module(&other);
				managed = !strcmp(m, module);
				free(m);
			}
			strvec_free(&other.args);
			free(other.display);
		}
		free(text);
	}
	strvec_free(&found);
	free(dir);
	free(absdir);
	return managed;
}

/* Two reports of one finding that differ only in the path's steps and
 * the line numbers the message quotes: a release the patch puts on the
 * path (a devres action) changes the steps of a report the driver had. */
static bool same_report(const struct finding *a, const struct finding *b)
{
	const char *p = a->message, *q = b->message;

	if (strcmp(a->rule, b->rule) || strcmp(a->file, b->file) ||
	    strcmp(a->function ? a->function : "",
		   b->function ? b->function : ""))
		return false;
	while (*p && *q) {
		if (isdigit((unsigned char)*p) && isdigit((unsigned char)*q)) {
			p += strspn(p, "0123456789");
			q += strspn(q, "0123456789");
		} else if (*p++ != *q++) {
			return false;
		}
	}
	return !*p && !*q;
}

static bool had_report(const struct stored_findings *before,
		       const struct finding *f)
{
	size_t i;

	for (i = 0; i < before->n; i++)
		if (same_report(&before->items[i].f, f))
			return true;
	return false;
}

/* Whether fn is a function the patch added: its name is nowhere in the
 * file as it is in the tree. */
static bool added_by_patch(const struct fix_file *ff, const char *fn)
{
	return fn && *fn && ff->original && !strstr(ff->original, fn);
}

/* The start of line n (from 1) of text, or NULL when it has fewer. */
static const char *line_start(const char *text, unsigned n)
{
	for (; text && n > 1; n--) {
		text = strchr(text, '\n');
		text = text ? text + 1 : NULL;
	}
	return n ? text : NULL;
}

/* Whether the line at s (up to its newline) releases vectors. */
static bool line_releases(const char *s)
{
	size_t len = strcspn(s, "\n");

	return memmem(s, len, "pci_free_irq_vectors(", 21) ||
	       memmem(s, len, "pci_disable_msi", 15);
}

/* Whether the line of the patched copy that f is reported at releases
 * vectors and was in the file before the patch: the driver's own explicit
 * release, which the devres action the patch adds makes a second release
 * of, harmless in both worlds (the later one finds nothing enabled), as
 * the PCI core's hybrid release made it before. */
static bool kept_explicit_release(const struct fix_file *ff,
				  const struct finding *f)
{
	size_t len;
	char *patched = read_file(ff->copy, &len), *needle;
	const char *line = patched ? line_start(patched, f->line) : NULL;
	bool kept = false;

	if (line && ff->original && line_releases(line)) {
		needle = xasprintf("\n%.*s\n", (int)strcspn(line, "\n"), line);
		kept = strstr(ff->original, needle) != NULL;
		free(needle);
	}
	free(patched);
	return kept;
}

/* Whether f, a finding of the patched file after the patch, is b as it
 * was before it: the same report at the same place (b's line moved by
 * the patch), with other calls on its path. The managed conversion
 * renames the allocator, and the fingerprint hashes the names called on
 * the path. */
static bool renamed_report(const struct fix_file *ff, const struct finding *b,
			   const struct finding *f)
{
	return ff->diff && !strcmp(f->file, ff->rel) && same_report(b, f) &&
	       b->nsteps == f->nsteps &&
	       fix_rewritten_line(ff->diff, b->line) == f->line;
}

/* Whether f is renamed_report() of some finding before the patch. */
static bool had_renamed_report(const struct fix_file *ff,
			       const struct stored_findings *before,
			       const struct finding *f)
{
	size_t i;

	for (i = 0; i < before->n; i++)
		if (renamed_report(ff, &before->items[i].f, f))
			return true;
	return false;
}

/* Whether target t is still reported after the patch. */
static bool still_reported(const struct fix_file *ff,
			   const struct stored_findings *after,
			   const struct stored_finding *t)
{
	size_t i;

	if (stored_findings_has(after, t->fingerprint))
		return true;
	for (i = 0; i < after->n; i++)
		if (renamed_report(ff, &t->f, &after->items[i].f))
			return true;
	return false;
}

/* The hybrid-double-free target of the file whose release the patch
 * kept, when f reports that release again as one of managed vectors: the
 * managed conversion switched the allocator, and hybrid-double-free.cocci
 * kept the release because the driver goes on without the vectors after
 * it (it allocates them again, or probe goes on without them). That is
 * an early release of managed vectors, harmless in both worlds (devres
 * finds nothing enabled at detach), and the message names it. NULL when
 * f is something else. */
static const struct fix_outcome *
kept_managed_release(const struct fix_result *res, const struct fix_file *ff,
		     const struct finding *f)
{
	size_t i;

	if (strcmp(f->rule, "hybrid-double-free") || strcmp(f->file, ff->rel) ||
	    !strstr(f->message, "from a managed allocator") ||
	    !kept_explicit_release(ff, f))
		return NULL;
	for (i = 0; i < ff->ntargets; i++) {
		const struct fix_outcome *o = &res->items[ff->targets[i]];
		const struct finding *t = &o->finding->f;
		if (!strcmp(t->rule, "hybrid-double-free") && ff->diff &&
		    fix_patched_line(ff->diff, t->line) == f->line &&
		    fix_kept_because(ff, t->line))
			return o;
	}
	return NULL;
}

const char *fix_kept_because(const struct fix_file *ff, unsigned line)
{
	size_t i;

	for (i = 0; i < ff->kept_lines.n; i++) {
		char *end;
		const char *why;
		if (strtoul(ff->kept_lines.v[i], &end, 10) != line ||
		    *end != ' ')
			continue;
		why = end + 1;
		if (!strcmp(why, "fallback"))
			return "fallback";
		if (!strcmp(why, "goes-on"))
			return "goes-on";
		if (!strcmp(why, "shutdown"))
			return "shutdown";
	}
	return NULL;
}

/* The first finding of the re-scan after the patch, in the patched file's
 * module, that the one before it did not have, or NULL. Not counted: the
 * reports a devres action the patch adds makes of what was there (it is
 * on the paths of the hybrid-double-free reports the driver had, its own
 * release in the helper the patch adds is the one the message names, and
 * a release the driver already made is now reported beside it), and a
 * release the managed conversion kept (kept_managed_release()). */
static const struct stored_finding *
new_finding(const struct fix_result *res, const struct fix_file *ff,
	    const struct stored_findings *before,
	    const struct stored_findings *after, const struct strvec *modules)
{
	size_t i;

	for (i = 0; i < after->n; i++) {
		const struct stored_finding *x = &after->items[i];
		if (!finding_counts(&x->f) ||
		    !same_module(modules, x->f.file, ff->rel) ||
		    stored_findings_has(before, x->fingerprint))
			continue;
		if (ff->adds_devres_action &&
		    !strcmp(x->f.rule, "hybrid-double-free") &&
		    (had_report(before, &x->f) ||
		     added_by_patch(ff, x->f.function) ||
		     kept_explicit_release(ff, &x->f)))
			continue;
		if (kept_managed_release(res, ff, &x->f) ||
		    had_renamed_report(ff, before, &x->f))
			continue;
		return x;
	}
	return NULL;
}

/* Notes in ff->kept the hybrid-double-free targets whose release the
 * managed conversion left in place: they are not cleared (the release is
 * there after the patch, of managed vectors now, whether the re-scan
 * reports it again or not), and offer() says why they stay
 * (fix_kept_because()). */
static void note_kept_releases(bool managed, const struct fix_result *res,
			       struct fix_file *ff)
{
	size_t t;

	if (!managed || !ff->diff || !ff->original ||
	    !strstr(ff->diff, "pcim_alloc_irq_vectors"))
		return;
	for (t = 0; t < ff->ntargets; t++) {
		const struct finding *f =
		    &res->items[ff->targets[t]].finding->f;
		const char *line = line_start(ff->original, f->line);
		if (!strcmp(f->rule, "hybrid-double-free") &&
		    !strcmp(f->file, ff->rel) &&
		    fix_patched_line(ff->diff, f->line) && line &&
		    line_releases(line) && !fix_file_keeps(ff, t))
			ARRAY_PUSH(ff->kept, ff->nkept, ff->keptcap, t);
	}
}

bool fix_file_keeps(const struct fix_file *ff, size_t t)
{
	size_t i;

	for (i = 0; i < ff->nkept; i++)
		if (ff->kept[i] == t)
			return true;
	return false;
}

/* The first line of original with a call to an allocator whose vectors
 * devres does not release once the hybrid rule goes, that the patch
 * (diff) left as it is; 0 when there is none. A comment that names one
 * ("pci_alloc_irq_vectors()") is not a call. */
static unsigned unmanaged_allocation_kept(const char *original,
					  const char *diff)
{
	static const char *const allocators[] = {
	    "pci_alloc_irq_vectors(", "pci_alloc_irq_vectors_affinity(",
	    "pci_enable_msi(",	      "pci_enable_msix_range(",
	    "pci_enable_msix_exact(", "pci_enable_msi_range(",
	};
	const char *line = original;
	unsigned n;

	for (n = 1; line && *line; n++) {
		size_t len = strcspn(line, "\n"), i;
		for (i = 0; i < sizeof(allocators) / sizeof(allocators[0]);
		     i++) {
			/* within the line: a search of the rest of the file
			 * from each line would be quadratic */
			const char *p = memmem(line, len, allocators[i],
					       strlen(allocators[i]));
			if (!p ||
			    (p > line &&
			     (isalnum((unsigned char)p[-1]) || p[-1] == '_')) ||
			    p[strlen(allocators[i])] == ')')
				continue;
			if (fix_patched_line(diff, n))
				return n;
		}
		line = line[len] ? line + len + 1 : NULL;
	}
	return 0;
}

/* Refuses a managed conversion that drops releases while the driver
 * still allocates with an unmanaged allocator somewhere the conversion
 * did not reach: on a path that never meets a converted allocation,
 * nothing releases those once the hybrid rule goes. Conservative: the
 * release pcim_alloc_irq_vectors() registers frees whatever the device
 * holds at detach, so an allocation that always follows a converted one
 * (rts5208's resume() after probe) is covered, and this cannot tell the
 * two apart. Only in a file of one PCI driver at most, where every device
 * is the driver's; a managed fallback gives its allocation a release of
 * its own. */
static void refuse_unmanaged_allocation_left(const struct fix_options *opt,
					     struct fix_file *ff)
{
	const char *p;
	unsigned drivers = 0, line;

	if (!opt->managed || ff->managed_fallback || !ff->diff ||
	    !strvec_has(&ff->used, "hybrid-double-free.cocci") ||
	    !strstr(ff->diff, "pcim_alloc_irq_vectors") ||
	    !fix_diff_removes_release(ff->diff))
		return;
	if (!ff->original)
		return;
	for (p = strstr(ff->original, "struct pci_driver "); p;
	     p = strstr(p + 1, "struct pci_driver "))
		drivers++;
	line = drivers <= 1 ? unmanaged_allocation_kept(ff->original, ff->diff)
			    : 0;
	if (line)
		fix_refuse(ff, xasprintf("the driver still allocates vectors "
					 "with an unmanaged allocator at line "
					 "%u, which the conversion does not "
					 "reach: with the releases the patch "
					 "drops, nothing releases those once "
					 "the PCI core drops the hybrid rule",
					 line));
}

/* Compares the re-scans for one file: refuses it when something new
 * appears in it or its module; marks each target cleared or not. */
void fix_judge_rescan(const struct fix_options *opt, struct fix_result *res,
		      struct fix_file *ff, const struct stored_findings *before,
		      const struct stored_findings *after,
		      const struct strvec *modules, size_t *cleared)
{
	const struct stored_finding *x;
	size_t i;

	*cleared = 0;
	refuse_unmanaged_allocation_left(opt, ff);
	if (ff->adds_release && module_is_managed(opt, modules, ff->rel))
		fix_refuse(
		    ff, xstrdup("the driver enables its device with "
				"pcim_enable_device(), so devres releases the "
				"vectors: a release added by hand would "
				"release them twice"));
	x = new_finding(res, ff, before, after, modules);
	if (x)
		fix_refuse(
		    ff, xasprintf("the re-scan of the patched driver reports "
				  "something new: %s at %s:%u",
				  x->f.rule, x->f.file, x->f.line));
	if (!ff->refused)
		note_kept_releases(opt->managed, res, ff);
	for (i = 0; i < ff->ntargets; i++) {
		struct fix_outcome *o = &res->items[ff->targets[i]];
		const char *fp = o->finding->fingerprint;
		if (fix_file_keeps(ff, i))
			continue;
		if (!stored_findings_has(before, fp))
			fix_outcome_set(o, false,
					"a fresh scan of the tree does not "
					"report it (the database is older "
					"than the tree: scan again)");
		else if (still_reported(ff, after, o->finding))
			fix_outcome_set(o, false,
					"the patch of its file does not "
					"clear it");
		else
			++*cleared;
	}
	if (!ff->refused && !*cleared)
		fix_refuse(ff, xstrdup("the patch clears none of the file's "
				       "findings"));
}

/* The allocation line of a leak finding: remove-leak at the allocation,
 * or "allocated at line N" in an error-path-leak's message; 0 when it
 * names none. */
static unsigned leaked_allocation(const struct finding *f)
{
	const char *at;

	if (!strcmp(f->rule, "remove-leak") &&
	    strstr(f->message, "allocated here"))
		return f->line;
	if (!strcmp(f->rule, "error-path-leak") &&
	    (at = strstr(f->message, "allocated at line ")))
		return (unsigned)strtoul(at + strlen("allocated at line "),
					 NULL, 10);
	return 0;
}

/* Validates one file's patch against a PCI core without the hybrid rule,
 * the one it will meet upstream: the re-scan of the patched driver must
 * report nothing new there, and an implicit-devres-release it clears must
 * leave no leak of that allocation there. */
void fix_judge_without_hybrid_rule(struct fix_result *res, struct fix_file *ff,
				   const struct stored_findings *before,
				   const struct stored_findings *after,
				   const struct strvec *modules)
{
	const struct stored_finding *x;
	size_t i, j;

	x = new_finding(res, ff, before, after, modules);
	if (x)
		fix_refuse(ff,
			   xasprintf("once the PCI core drops the hybrid rule "
				     "(--hybrid-rule gone), the re-scan of the "
				     "patched driver reports something new: "
				     "%s at %s:%u",
				     x->f.rule, x->f.file, x->f.line));
	for (i = 0; i < ff->ntargets && !ff->refused; i++) {
		const struct finding *t =
		    &res->items[ff->targets[i]].finding->f;
		unsigned moved;
		if (strcmp(t->rule, "implicit-devres-release"))
			continue;
		/* the managed conversion rewrites the allocation's line */
		moved =
		    ff->diff ? fix_rewritten_line(ff->diff, t->line) : t->line;
		for (j = 0; moved && j < after->n && !ff->refused; j++) {
			const struct finding *leak = &after->items[j].f;
			if (!finding_counts(leak) ||
			    strcmp(leak->file, ff->rel) ||
			    leaked_allocation(leak) != moved)
				continue;
			fix_refuse(
			    ff, xasprintf("once the PCI core drops the "
					  "hybrid rule (--hybrid-rule gone), "
					  "the patched driver still leaks "
					  "the vectors: %s at %s:%u",
					  leak->rule, leak->file, leak->line));
		}
	}
}
