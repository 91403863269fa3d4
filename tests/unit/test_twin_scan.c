/* Unit test of a twin scan (scan.h: one parse analysed under two rule
 * sets, what fix's re-scans use): its findings under each rule set are
 * those of a scan under that rule set alone, cross-file rounds included,
 * and the two differ where the rule sets do (the hybrid rule present and
 * gone).
 *
 * usage: test_twin_scan SOURCE_DIR */
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "unit.h"

/* The findings of a result as one text, a line each, in a stable order. */
static char *findings_text(const struct scan_result *res)
{
	const struct finding **all;
	size_t n = scan_unique_findings(res, &all), i;
	struct strbuf sb;

	sb_init(&sb);
	for (i = 0; i < n; i++)
		sb_addf(&sb, "%s:%u:%s%s: %s\n", all[i]->file, all[i]->line,
			all[i]->unproven ? "unproven:" : "", all[i]->rule,
			all[i]->message);
	free(all);
	return sb.buf;
}

static size_t count_rule(const char *text, const char *rule)
{
	size_t n = 0;
	const char *p = text;

	while ((p = strstr(p, rule))) {
		n++;
		p += strlen(rule);
	}
	return n;
}

static void scan_or_die(struct scan_options *opt, struct scan_result *res)
{
	char *err = NULL;

	if (!scan_run(opt, res, &err)) {
		printf("scan failed: %s\n", err);
		exit(2);
	}
}

static bool note_reuse_asked(void *ctx, struct scan_result *res, char **err)
{
	(void)res;
	(void)err;
	*(bool *)ctx = true;
	return true;
}

int main(int argc, char **argv)
{
	struct ruleset *present, *gone;
	struct flag_source flags;
	struct scan_options opt = { 0 };
	struct scan_result alone_present, alone_gone, both, twin;
	char *err = NULL, *rules_path, *include, *paths[3];
	char *text_present, *text_gone, *text_both, *text_twin;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: test_twin_scan SOURCE_DIR\n");
		return 2;
	}
	rules_path = path_join(argv[1], "rules/linux-pci.rules");
	include = path_join(argv[1], "tests/fixtures/include");
	present = ruleset_load(rules_path, &err);
	gone = ruleset_load(rules_path, &err);
	if (!present || !gone) {
		printf("%s\n", err);
		return 2;
	}
	gone->hybrid_gone = true;
	/* devres drivers (where the two semantics differ) and drivers split
	 * over files (cross-file rounds) */
	paths[0] = path_join(argv[1], "tests/fixtures/hybrid-double-free");
	paths[1] = path_join(argv[1], "tests/fixtures/implicit-devres-release");
	paths[2] = path_join(argv[1], "tests/fixtures/error-path-leak");
	flags_open_plain(&flags);
	strvec_push(&flags.extra, "-nostdinc");
	strvec_push(&flags.extra, "-std=gnu11");
	strvec_pushf(&flags.extra, "-I%s", include);
	opt.flags = &flags;
	opt.paths = (const char *const *)paths;
	opt.npaths = 3;
	opt.jobs = 2;
	opt.extra_checks = ~0UL;

	opt.rules = present;
	scan_or_die(&opt, &alone_present);
	opt.rules = gone;
	scan_or_die(&opt, &alone_gone);
	opt.rules = present;
	opt.twin_rules = gone;
	opt.twin = &twin;
	scan_or_die(&opt, &both);

	text_present = findings_text(&alone_present);
	text_gone = findings_text(&alone_gone);
	text_both = findings_text(&both);
	text_twin = findings_text(&twin);
	CHECK(both.nfiles == alone_present.nfiles);
	CHECK(twin.nfiles == alone_gone.nfiles);
	CHECK(!strcmp(text_both, text_present));
	CHECK(!strcmp(text_twin, text_gone));
	/* the comparison means something: both sides report, and the
	 * semantics differ where they should */
	/* without the hybrid rule only a managed allocator's vectors are
	 * released twice */
	CHECK(count_rule(text_gone, ":hybrid-double-free: ") <
	      count_rule(text_present, ":hybrid-double-free: "));
	CHECK(strcmp(text_present, text_gone) != 0);
	CHECK(both.rounds > 0); /* the cross-file rounds ran */
	if (strcmp(text_twin, text_gone))
		printf("twin:\n%s\nalone:\n%s\n", text_twin, text_gone);

	/* a twin cannot take stored results: refused in one sentence */
	{
		struct scan_result r;
		bool called = false;
		struct scan_result unused;
		opt.twin = &unused;
		opt.before_analysis = note_reuse_asked;
		opt.hook_ctx = &called;
		CHECK(!scan_run(&opt, &r, &err));
		CHECK(!called);
		CHECK(err && strstr(err, "twin"));
		free(err);
	}

	free(text_present);
	free(text_gone);
	free(text_both);
	free(text_twin);
	scan_result_release(&alone_present);
	scan_result_release(&alone_gone);
	scan_result_release(&both);
	scan_result_release(&twin);
	for (i = 0; i < 3; i++)
		free(paths[i]);
	free(rules_path);
	free(include);
	flags_close(&flags);
	ruleset_free(present);
	ruleset_free(gone);
	return unit_finish();
}
