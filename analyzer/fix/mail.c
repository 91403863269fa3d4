/* The patch mail of a fix (see fix.h): git format-patch form, with a
 * subject in the subsystem's style, a body that says what is wrong and on
 * which path, a Fixes: tag when the tree's history shows where the
 * pattern came from, and the diff. */
#include "fix/fix.h"
#include "gate/git.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The "a: b" prefix of a subject: its leading colon-separated words that
 * hold no space ("PCI: switchtec" of "PCI: switchtec: Fix a leak"). */
static char *prefix_of(const char *subject)
{
	const char *p = subject, *end = NULL;

	for (;;) {
		const char *colon = strstr(p, ": ");
		size_t word = colon ? (size_t)(colon - p) : 0;
		if (!colon || !word || memchr(p, ' ', word))
			break;
		end = colon;
		p = colon + 2;
	}
	return end ? xstrndup(subject, (size_t)(end - subject)) : NULL;
}

/* A prefix from the path, in the style most subsystems use. */
static char *prefix_from_path(const char *rel)
{
	static const struct {
		const char *dir, *name;
	} subsystems[] = {
		{ "drivers/pci/", "PCI" },
		{ "drivers/net/wireless/", "wifi" },
		{ "drivers/net/", "net" },
		{ "drivers/scsi/", "scsi" },
		{ "drivers/dma/", "dmaengine" },
		{ "drivers/gpu/drm/", "drm" },
		{ "drivers/tty/serial/", "serial" },
		{ "sound/", "ALSA" },
	};
	const char *slash = strrchr(rel, '/');
	const char *file = slash ? slash + 1 : rel;
	char *dir = path_dirname(rel), *name, *out;
	const char *last = strrchr(dir, '/');
	size_t i;

	/* the driver: its own directory when it has one, else the file */
	if (last && strcmp(last + 1, "busses") && strcmp(last + 1, "host") &&
	    strcmp(last + 1, "controller") && strcmp(last + 1, "switch") &&
	    strcmp(last + 1, "pci") && strncmp(dir, "drivers/", 8) == 0 &&
	    strchr(dir + 8, '/'))
		name = xstrdup(last + 1);
	else
		name = xstrndup(file, strcspn(file, "."));
	for (i = 0; i < sizeof(subsystems) / sizeof(subsystems[0]); i++)
		if (!strncmp(rel, subsystems[i].dir, strlen(subsystems[i].dir)))
			break;
	if (i < sizeof(subsystems) / sizeof(subsystems[0])) {
		out = xasprintf("%s%s%s", subsystems[i].name,
				!strcmp(subsystems[i].name, "drm") ? "/" : ": ",
				name);
	} else if (!strncmp(rel, "drivers/", 8) && strchr(rel + 8, '/') &&
		   strncmp(rel + 8, name, strcspn(rel + 8, "/"))) {
		out = xasprintf("%.*s: %s", (int)strcspn(rel + 8, "/"), rel + 8,
				name);
	} else {
		out = xstrdup(name);
	}
	free(dir);
	free(name);
	return out;
}

char *fix_subject_prefix(const char *tree, const char *rel)
{
	const char *args[] = { "log", "-n", "30", "--no-merges", "--format=%s",
			       "--", rel, NULL };
	char *log = NULL, *err = NULL, *line, *save = NULL, *best = NULL;
	struct strvec seen = { 0 };
	size_t i, j, best_count = 0;
	char *top = git_toplevel(tree);

	if (top && git_run(tree, args, &log, &err)) {
		for (line = strtok_r(log, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *p = prefix_of(line);
			if (p)
				strvec_push(&seen, p);
			free(p);
		}
		/* the most frequent; the most recent among equals */
		for (i = 0; i < seen.n; i++) {
			size_t count = 0;
			for (j = 0; j < seen.n; j++)
				count += !strcmp(seen.v[i], seen.v[j]);
			if (count > best_count) {
				best_count = count;
				best = seen.v[i];
			}
		}
		best = best ? xstrdup(best) : NULL;
	}
	free(top);
	free(log);
	free(err);
	strvec_free(&seen);
	return best ? best : prefix_from_path(rel);
}

/* Whether the tree's history is one commit (an unpacked source release
 * committed as it is: fetch-kernel's): nothing in it fixes anything. */
static bool history_is_one_commit(const char *tree)
{
	const char *args[] = { "rev-list", "--max-count=2", "HEAD", NULL };
	char *out = NULL, *err = NULL;
	bool one = false;

	if (git_run(tree, args, &out, &err) && out)
		one = strchr(out, '\n') == out + strlen(out) - 1;
	free(out);
	free(err);
	return one;
}

/* "Fixes: <12 hex> ("subject")" for the commit that completed the pattern:
 * the newest of the commits that last wrote the source lines named on the
 * findings' paths in this file. NULL when the tree is not a repository, or
 * when that commit is its first (an import, not a change). */
static char *fixes_tag(const struct fix_mail *m)
{
	char *top = git_toplevel(m->tree), *best = NULL;
	long best_time = -1;
	struct strvec asked = { 0 };
	size_t i, k;

	/* git log -L for every line of every path is most of the time of a
	 * fix run: not in a history of one commit, and once a line */
	if (!top || history_is_one_commit(m->tree)) {
		free(top);
		return NULL;
	}
	for (i = 0; i < m->nfixed; i++) {
		const struct finding *f = &m->fixed[i]->f;
		for (k = 0; k <= f->nsteps; k++) {
			unsigned line = k < f->nsteps ? f->steps[k].line : f->line;
			const char *file = k < f->nsteps ? f->steps[k].file
							 : f->file;
			char *range, *out = NULL, *err = NULL;
			if (strcmp(file, m->rel))
				continue;
			range = xasprintf("-L%u,%u:%s", line, line, file);
			if (strvec_has(&asked, range)) {
				free(range);
				continue;
			}
			strvec_push(&asked, range);
			{
				/* the newest commit touching that line wrote
				 * it as it is */
				const char *args[] = { "log", "-n", "1",
						       "--format=%H %ct %P", "-s",
						       range, NULL };
				if (git_run(m->tree, args, &out, &err) && out) {
					long t = 0;
					char h[41] = "", parent[41] = "";
					if (sscanf(out, "%40s %ld %40s", h, &t,
						   parent) == 3 &&
					    t > best_time) {
						best_time = t;
						free(best);
						best = xstrdup(h);
					} else if (sscanf(out, "%40s %ld", h, &t) ==
							   2 &&
						   t > best_time) {
						/* a root commit: no Fixes: */
						best_time = t;
						free(best);
						best = NULL;
					}
				}
			}
			free(range);
			free(out);
			free(err);
		}
	}
	if (best) {
		const char *args[] = { "log", "-1", "--format=%h (\"%s\")",
				       "--abbrev=12", best, NULL };
		char *out = NULL, *err = NULL, *tag = NULL;
		if (git_run(m->tree, args, &out, &err) && out && *out) {
			out[strcspn(out, "\n")] = '\0';
			tag = xasprintf("Fixes: %s", out);
		}
		free(out);
		free(err);
		free(best);
		free(top);
		strvec_free(&asked);
		return tag;
	}
	free(top);
	strvec_free(&asked);
	return NULL;
}

/* Appends text as lines of at most `width` columns (a longer word gets a
 * line of its own). */
static void add_wrapped(struct strbuf *sb, const char *text, size_t width)
{
	size_t col = 0;

	while (*text) {
		size_t word = strcspn(text, " ");
		if (col && col + 1 + word > width) {
			sb_adds(sb, "\n");
			col = 0;
		} else if (col) {
			sb_adds(sb, " ");
			col++;
		}
		sb_add(sb, text, word);
		col += word;
		text += word;
		while (*text == ' ')
			text++;
	}
	sb_adds(sb, "\n");
}

/* The rule whose text describes the change: the one the semantic patch
 * that made it is named after, not the first finding it clears (removing
 * a release can clear a free-with-handlers finding too). */
static const char *change_rule(const struct fix_mail *m)
{
	const char *named = fix_rule_named_by(m->semantic_patch);

	/* --convert's leak fixes are told as the leak they fix */
	if (m->convert && named && !strcmp(named, "hybrid-double-free") &&
	    (!strcmp(m->fixed[0]->f.rule, "error-path-leak") ||
	     !strcmp(m->fixed[0]->f.rule, "remove-leak")))
		return m->fixed[0]->f.rule;
	return named ? named : m->fixed[0]->f.rule;
}

/* True when a line the diff adds (sign '+') or removes ('-') contains
 * text. */
static bool diff_line_has(const char *diff, char sign, const char *text)
{
	const char *line;

	for (line = diff; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *hit, *code = line + 1;
		if (line[0] != sign || line[1] == sign)
			continue;
		/* a comment that names the call is not the call (cxl's
		 * paragraph on pci_free_irq_vectors()) */
		code += strspn(code, " \t");
		if (*code == '*' || !strncmp(code, "/*", 2) ||
		    !strncmp(code, "//", 2))
			continue;
		hit = strstr(line, text);
		if (hit && hit < line + strcspn(line, "\n"))
			return true;
	}
	return false;
}

static bool diff_adds(const char *diff, const char *text)
{
	return diff_line_has(diff, '+', text);
}

bool fix_diff_removes_release(const char *diff)
{
	return diff_line_has(diff, '-', "pci_free_irq_vectors(") ||
	       diff_line_has(diff, '-', "pci_disable_msi(") ||
	       diff_line_has(diff, '-', "pci_disable_msix(");
}

static const char *subject_text(const struct fix_mail *m)
{
	const char *rule = change_rule(m);

	if (m->convert && (!strcmp(rule, "error-path-leak") ||
			   !strcmp(rule, "remove-leak")))
		return "Use pcim_enable_device() and pcim_alloc_irq_vectors()";
	if (!strcmp(rule, "hybrid-double-free") && m->managed)
		return strstr(m->diff, "pcim_alloc_irq_vectors_affinity(")
			   ? "Use pcim_alloc_irq_vectors_affinity()"
			   : "Use pcim_alloc_irq_vectors()";
	if (!strcmp(rule, "implicit-devres-release"))
		return m->managed && diff_adds(m->diff, "pcim_alloc_irq_vectors(")
			   ? "Use pcim_alloc_irq_vectors()"
			   : "Don't rely on the implicit release of IRQ "
			     "vectors";
	if (!strcmp(rule, "free-with-handlers"))
		return "Release IRQ vectors after freeing the handlers";
	if (!strcmp(rule, "wrong-handler-free"))
		return "Free the IRQ handlers the unwind means to free";
	if (!strcmp(rule, "irq-handler-leak"))
		return "Free the IRQ handler on the error path";
	if (!strcmp(rule, "double-free"))
		return "Release the IRQ vectors once in the unwind";
	if (!strcmp(rule, "handler-double-free"))
		return "Free the devres-managed IRQ handler with devm_free_irq()";
	if (!strcmp(rule, "remove-leak"))
		return "Tear the device down in remove() on every path";
	if (!strcmp(rule, "mismatched-release"))
		return "Release the IRQ vectors of the family allocated";
	if (!strcmp(rule, "use-after-free"))
		return "Release the IRQ vectors after their last use";
	return "Release IRQ vectors on the error path";
}

/* True when a line the diff adds is a goto (a return sent to a label). */
static bool diff_adds_goto(const char *diff)
{
	const char *line;

	for (line = diff; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (line[0] == '+' && line[1] != '+' &&
		    !strncmp(line + 1 + strspn(line + 1, " \t"), "goto ", 5))
			return true;
	return false;
}

/* The paragraph that says what is wrong and what the patch does for a
 * finding of rule that is not one of the devres pair. */
static void rule_paragraph(struct strbuf *sb, const struct fix_mail *m,
			   const char *rule)
{
	if (!strcmp(rule, "free-with-handlers")) {
		sb_adds(sb, "The IRQ vectors are released while a handler is still "
			    "attached to one\nof them. Release them after "
			    "free_irq().\n");
	} else if (!strcmp(rule, "wrong-handler-free")) {
		sb_adds(sb,
			"free_irq() frees only the handler requested on that "
			"irq with the same\ndev_id pointer. The unwind below "
			"passes an irq or a dev_id that no\nrequest paired: "
			"it frees nothing (the core warns \"Trying to free\n"
			"already-free IRQ\") and the handlers stay attached "
			"when the vectors\nare released. Pass the irq and "
			"dev_id the request passed.\n");
	} else if (!strcmp(rule, "double-free")) {
		sb_adds(sb, "The IRQ vectors are released, and the way on falls "
			    "through to a later\nrelease of the same vectors, "
			    "which the paths that start there need.\nDrop the "
			    "earlier release: every path through it reaches "
			    "the later one.\n");
	} else if (!strcmp(rule, "handler-double-free")) {
		sb_adds(sb, "The handler is requested with devm_request_irq() but "
			    "freed with\nfree_irq(): devres frees it a second "
			    "time when the driver detaches,\nand the core warns "
			    "\"Trying to free already-free IRQ\". Free it with\n"
			    "devm_free_irq(), which also drops its devres "
			    "entry.\n");
	} else if (!strcmp(rule, "remove-leak")) {
		sb_adds(sb, "remove() tears the device down only when the test "
			    "before it goes one\nway; the other way only logs, "
			    "and the driver is unbound with its\nhandlers "
			    "attached and its IRQ vectors held: an interrupt "
			    "then runs\na handler of unloaded code, and the "
			    "next probe cannot allocate the\nvectors. remove() "
			    "cannot fail: tear down on both ways and keep the\n"
			    "message.\n");
	} else if (!strcmp(rule, "mismatched-release")) {
		sb_adds(sb, "The release is of the other family than the "
			    "allocation (MSI vectors\nreleased with "
			    "pci_disable_msix(), or the reverse): it finds "
			    "nothing\nenabled of its family and returns, and "
			    "the vectors stay allocated.\nUse the release that "
			    "matches the allocation.\n");
	} else if (!strcmp(rule, "use-after-free")) {
		sb_adds(sb, "A vector's irq number is read after the vectors "
			    "were released: the\nnumber is stale, or an error "
			    "pci_irq_vector() returns for a device\nwith no "
			    "vectors, and what it is passed to acts on the wrong "
			    "irq.\nRelease the vectors after that read.\n");
	} else if (!strcmp(rule, "irq-handler-leak")) {
		sb_adds(sb, "When a later step fails, this error path returns "
			    "with a handler the\nfunction requested still "
			    "attached: the next probe's request of that\nirq "
			    "fails, and the handler may run on a device the "
			    "driver gave up.\nFree it before returning, with "
			    "the irq and dev_id of its request.\n");
	} else if (diff_adds_goto(m->diff)) {
		sb_adds(sb, "The IRQ vectors are not released on this path, and "
			    "nothing releases\nthem later. Send it to the unwind "
			    "label that releases them, so the\nrest of the unwind "
			    "runs too.\n");
	} else {
		sb_adds(sb, "The IRQ vectors are not released on this path, and "
			    "nothing releases\nthem later. Release them before "
			    "returning.\n");
	}
}

/* What is wrong and what the patch does: the paragraph of the rule the
 * change is named after, then those of the other semantic patches that
 * changed the file. */
static void explain(struct strbuf *sb, const struct fix_mail *m)
{
	const char *rule = change_rule(m), *also;
	size_t i;
	bool converted = m->managed &&
			 diff_adds(m->diff, "pcim_alloc_irq_vectors(");

	if (m->convert && (!strcmp(rule, "error-path-leak") ||
			   !strcmp(rule, "remove-leak"))) {
		sb_adds(sb, "The IRQ vectors are not released on every path that "
			    "needs it. Make\nthe driver managed instead: enable "
			    "the device with pcim_enable_device()\nand allocate "
			    "the vectors with pcim_alloc_irq_vectors(), so that "
			    "devres\nreleases both when the driver detaches, "
			    "and drop the explicit\npci_free_irq_vectors() and "
			    "pci_disable_device() calls.\n");
		return;
	}
	if (!strcmp(rule, "hybrid-double-free") ||
	    !strcmp(rule, "implicit-devres-release")) {
		sb_adds(sb, "The device is enabled with pcim_enable_device(), so the "
			    "PCI core's\nhybrid devres rule makes the IRQ vectors "
			    "allocated on it managed:\nthey are released when the "
			    "driver detaches.");
		if (!strcmp(rule, "hybrid-double-free"))
			sb_adds(sb, " The explicit release\nbelow releases "
				    "them a second time.");
		else
			sb_adds(sb, " The driver relies on that\nsilent "
				    "release, which goes away when the hybrid "
				    "rule is removed.");
		if (converted && fix_diff_removes_release(m->diff))
			sb_adds(sb, "\n\nAllocate them with the managed "
				    "allocator, which says what happens,\nand "
				    "drop their explicit releases.\n");
		else if (converted)
			sb_adds(sb, "\n\nAllocate them with the managed "
				    "allocator, which says what happens.\n");
		if (converted && m->keeps_release)
			sb_adds(sb,
				"\nThe release the driver makes before it goes "
				"on without the vectors\n(to allocate them "
				"again, or to carry on without them) stays:\n"
				"it releases the managed vectors early, "
				"and devres then finds nothing\nenabled when the "
				"driver detaches.\n");
		if (converted && m->keeps_shutdown_release)
			sb_adds(sb,
				"\nThe release in the .shutdown callback stays: "
				"MSI must be off before\na kexec, and devres does "
				"not run at shutdown.\n");
		if (m->managed && m->managed_fallback && converted)
			sb_adds(sb,
				"\nWhere pcim_alloc_irq_vectors() cannot express "
				"the allocation as the\ndriver makes it (with a "
				"struct msix_entry table of its own), register\na "
				"devres action that releases the vectors right "
				"after it: it is the\none release with the hybrid "
				"rule gone, and the PCI core's own finds\nnothing "
				"to do while the rule stands.\n");
		else if (m->managed && m->managed_fallback)
			sb_adds(sb,
				"\n\npcim_alloc_irq_vectors() cannot express the "
				"allocation as the driver\nmakes it (with a struct "
				"msix_entry table of its own, for one).\n"
				"Register a devres action that releases them right "
				"after the\nallocation: it is the one release with "
				"the hybrid rule gone, and the\nPCI core's own "
				"finds nothing to do while the rule stands.\n");
		else if (!m->managed) /* implicit, a tree without it */
			sb_adds(sb,
				"\n\nRegister a devres action that releases "
				"them right after the\nallocation: while the "
				"rule stands the PCI core's own release then\n"
				"finds nothing to do, and once it goes the "
				"action is the only release.\n");
	} else {
		rule_paragraph(sb, m, rule);
	}
	/* what the other semantic patches that changed the file fix */
	for (i = 1; i < m->nused; i++) {
		also = fix_rule_named_by(m->used[i]);
		if (!also || !strcmp(also, rule) ||
		    !strcmp(also, "hybrid-double-free") ||
		    !strcmp(also, "implicit-devres-release"))
			continue;
		sb_adds(sb, sb->len && sb->buf[sb->len - 1] != '\n' ? "\n\n"
								    : "\n");
		rule_paragraph(sb, m, also);
	}
}

#define MAX_MAIL_STEPS 3

/* The steps of a finding's path a reviewer needs (the whole path stays in
 * the report): where the device, the vectors and the handlers were
 * taken or given back, and the failure that sends the path home; when
 * there are more than three, the first, the one at the reported place
 * (else the one before the last) and the last. Indices into
 * f->steps, in order. */
static size_t steps_that_matter(const struct finding *f, size_t *keep)
{
	static const char *const marks[] = {
		" allocates ", " enables ", " attaches ", " releases ",
		" frees ", " disables ", "(the call failed)",
	};
	size_t all[64], n = 0, i, j;

	for (i = 0; i < f->nsteps && n < 64; i++)
		for (j = 0; j < sizeof(marks) / sizeof(marks[0]); j++)
			if (strstr(f->steps[i].text, marks[j])) {
				all[n++] = i;
				break;
			}
	if (n <= MAX_MAIL_STEPS) {
		memcpy(keep, all, n * sizeof(*keep));
		return n;
	}
	keep[0] = all[0];
	keep[1] = all[n - 2];
	keep[2] = all[n - 1];
	/* the step at the reported place (the allocation a finding is
	 * about) rather than the one before the last */
	for (i = 1; i + 1 < n; i++)
		if (f->steps[all[i]].line == f->line &&
		    !strcmp(f->steps[all[i]].file, f->file)) {
			keep[1] = all[i];
			break;
		}
	return MAX_MAIL_STEPS;
}

char *fix_mail_subject(const struct fix_mail *m)
{
	char *prefix = fix_subject_prefix(m->tree, m->rel);
	char *subject = xasprintf("%s: %s", prefix, subject_text(m));

	free(prefix);
	return subject;
}

char *fix_mail_text(const struct fix_mail *m)
{
	struct strbuf sb;
	char *fixes;
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	size_t i, k;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	sb_init(&sb);
	sb_addf(&sb, "From 0000000000000000000000000000000000000000 Mon Sep 17 "
		     "00:00:00 2001\nFrom: %s\nDate: %s\nSubject: [PATCH] %s\n\n",
		m->from, date, m->subject);
	explain(&sb, m);
	sb_adds(&sb, "\nFound by irqcheck:\n");
	for (i = 0; i < m->nfixed; i++) {
		const struct finding *f = &m->fixed[i]->f;
		size_t keep[MAX_MAIL_STEPS], nkeep = steps_that_matter(f, keep);
		sb_addf(&sb, "\n  %s:%u: %s() [%s]\n", f->file, f->line,
			f->function ? f->function : "?", f->rule);
		for (k = 0; k < nkeep; k++)
			sb_addf(&sb, "    %s:%u: %s\n", f->steps[keep[k]].file,
				f->steps[keep[k]].line, f->steps[keep[k]].text);
	}
	fixes = fixes_tag(m);
	if (fixes || m->signoff)
		sb_adds(&sb, "\n");
	if (fixes)
		sb_addf(&sb, "%s\n", fixes);
	if (m->signoff)
		sb_addf(&sb, "Signed-off-by: %s\n", m->from);
	sb_adds(&sb, "---\n");
	{
		/* for the reviewers, not the commit: how it was made and
		 * checked */
		char *checked = xasprintf("Generated with cocci/%s and checked "
					  "by irqcheck fix: %s.",
					  m->semantic_patch, m->checks);
		add_wrapped(&sb, checked, 72);
		free(checked);
	}
	sb_addf(&sb, "\n%s\n", m->diffstat);
	sb_addf(&sb, "diff --git a/%s b/%s\n", m->rel, m->rel);
	{
		/* the diff without diff -u's own header lines */
		const char *body = m->diff;
		sb_addf(&sb, "--- a/%s\n+++ b/%s\n", m->rel, m->rel);
		for (k = 0; k < 2 && body; k++) {
			body = strchr(body, '\n');
			body = body ? body + 1 : NULL;
		}
		if (body)
			sb_adds(&sb, body);
	}
	sb_addf(&sb, "-- \nirqcheck %s\n\n", m->version);
	free(fixes);
	return sb_detach(&sb);
}
