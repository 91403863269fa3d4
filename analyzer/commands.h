/* The subcommands of irqcheck, one file each (cmd_<name>.c), dispatched
 * from the table in irqcheck.c. Each parses its own options and returns
 * the process exit code: 0 clean, 1 findings, 2 could not run. */
#ifndef IRQCHECK_COMMANDS_H
#define IRQCHECK_COMMANDS_H

int cmd_scan(int argc, char **argv);
int cmd_prepare(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_check(int argc, char **argv);

/* Where the rule packs and rule documents live: $IRQCHECK_RULES, else the
 * installed share/irqcheck/rules beside the binary, else the rules/
 * directory of the source tree irqcheck was built from (datadir.h). */
const char *rules_dir(void);

#endif
