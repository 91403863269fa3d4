/* irqcheck explain RULE: prints rules/<RULE>.md, the rule's documentation;
 * without an argument, lists the rules with their severity. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check_list.h"
#include "commands.h"
#include "util.h"

static const char explain_usage[] =
    "usage: irqcheck explain [RULE]\n"
    "\n"
    "Without RULE, lists every rule with its severity and what it finds.\n"
    "With RULE, prints the rule's page: what it finds, why it matters,\n"
    "how to fix it and where it falls short. The pages are the .md files\n"
    "of the rules directory ($IRQCHECK_RULES, else share/irqcheck/rules\n"
    "of the installation, else rules/ of the source tree). Exit status:\n"
    "0 printed, 2 no such rule or its page cannot be read.\n";

int cmd_explain(int argc, char **argv)
{
	const struct check *const *checks;
	size_t n, i;
	char *path, *text;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(explain_usage, stdout);
		return 0;
	}
	checks = check_registry(&n);
	if (argc < 2) {
		for (i = 0; i < n; i++)
			printf("%-24s %-7s %s\n", checks[i]->id,
			       severity_name(checks[i]->severity),
			       checks[i]->summary);
		return 0;
	}
	if (!check_find(argv[1])) {
		fprintf(stderr, "irqcheck explain: there is no rule '%s'; "
				"'irqcheck explain' lists them.\n", argv[1]);
		return 2;
	}
	path = xasprintf("%s/%s.md", rules_dir(), argv[1]);
	text = read_file(path, NULL);
	if (!text) {
		fprintf(stderr, "irqcheck explain: cannot read %s: %s.\n", path,
			strerror(errno));
		free(path);
		return 2;
	}
	fputs(text, stdout);
	free(text);
	free(path);
	return 0;
}
