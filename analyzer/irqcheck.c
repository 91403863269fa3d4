/* irqcheck's entry point: the table of subcommands and the dispatch. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "datadir.h"
#include "util.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "scan", cmd_scan, "analyse a kernel tree, a compile database or files" },
	{ "prepare", cmd_prepare, "make a kernel build directory ready to scan" },
	{ "explain", cmd_explain, "print the documentation of a rule" },
	{ "show", cmd_show, "print the findings of a recorded run, or a diff" },
	{ "baseline", cmd_baseline, "accept a run's findings; check for new ones" },
	{ "report", cmd_report, "write a run as SARIF, JSON or an HTML site" },
	{ "gate", cmd_gate, "new findings of a commit range or patch series" },
	{ "fix", cmd_fix, "validated Coccinelle patches for a run's findings" },
	{ "check", cmd_check, "the checker kbuild runs per file (make C=1)" },
};

const char *rules_dir(void)
{
	static char *dir;

	if (!dir)
		dir = data_dir("rules", "IRQCHECK_RULES");
	return dir;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: irqcheck <command> [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].help);
	fprintf(out, "\n'irqcheck <command> --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	/* past a file size limit (ulimit -f) a write fails with EFBIG, which
	 * is reported like a full disk, instead of a silent kill */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("irqcheck %s\n", IRQCHECK_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return output_written(
			    subcommands[i].run(argc - 1, argv + 1));
	fprintf(stderr, "irqcheck: '%s' is not a command; run 'irqcheck --help' "
			"for the list.\n", argv[1]);
	return 2;
}
