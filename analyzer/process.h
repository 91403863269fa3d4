/* Running other programs (git, spatch, make, the compiler): spawned from
 * an argument vector, never through a shell, with both outputs captured
 * and the locale fixed so their messages can be read. */
#ifndef IRQCHECK_PROCESS_H
#define IRQCHECK_PROCESS_H

#include <stdbool.h>

#include "util.h"

struct process_output {
	char *out, *err; /* what it wrote; owned by the caller */
	int status;	 /* exit status, or -1 when it could not run or was
			    killed */
};

/* Runs argv (argv[0] looked up in PATH) in directory dir (NULL: here),
 * with env_add appended to the environment. True when it ran and exited
 * with status 0. */
bool process_run(const char *dir, const char *const *argv,
		 const char *const *env_add, struct process_output *po);
/* The first non-empty line of what a failed run wrote on its error
 * output, or a sentence saying it could not run. Caller frees. */
char *process_first_error_line(const struct process_output *po,
			       const char *program);
/* True when `program` can be found in PATH. */
bool process_in_path(const char *program);

#endif
