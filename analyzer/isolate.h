/* Per-file isolation: a crash or a hang in libclang or in the analysis of
 * one file costs that file, never the scan. A command runs in a child
 * process that tells its parent, through a pipe, which files it has in
 * flight. When the child dies of a signal it did not get from outside, or
 * a file outlives its time budget (the parent kills the child), the
 * command runs again with that file marked crashed or timed-out: it is not
 * parsed, and the run records it with that status. When several files
 * were in flight, they are first run one at a time to tell which it was.
 * Signals sent to the parent (SIGINT, SIGTERM, SIGHUP) go to the child,
 * and the parent ends as the child did. IRQCHECK_NO_ISOLATION=1 runs the
 * command in-process (for a debugger). */
#ifndef IRQCHECK_ISOLATE_H
#define IRQCHECK_ISOLATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum file_fault_kind {
	FAULT_NONE,
	FAULT_CRASHED,	 /* the analyser died of a signal on it */
	FAULT_TIMED_OUT, /* it outlived the per-file budget */
};

struct file_fault {
	char *path; /* the file as the scan shows it (scan_file.display) */
	enum file_fault_kind kind;
	int signal;	  /* FAULT_CRASHED: which */
	unsigned seconds; /* FAULT_TIMED_OUT: the budget */
};

struct isolation {
	int report_fd; /* where the child reports; -1 when not isolated */
	pthread_mutex_t report_lock; /* one report at a time on the pipe */
	struct file_fault *faults;
	size_t nfaults, cap;
	struct strvec alone; /* files to analyse one at a time */
	/* a directory the watching parent made for the worker's scratch
	 * files and removes once it ends, however it ends; NULL when not
	 * isolated */
	char *scratch;
};

/* The default per-file budget, in seconds (scan --file-timeout). */
#define ISOLATE_DEFAULT_BUDGET 600

/* Runs run(argc, argv, iso) isolated as described above and returns its
 * exit status (2 when it cannot run at all). */
int isolate_command(int (*run)(int argc, char **argv, struct isolation *iso),
		    const char *name, int argc, char **argv);

/* In the child: the budget per file (0: none), said once options are
 * read; a file's analysis starts or ends. All do nothing when iso is NULL
 * or not isolated. Safe from several threads. */
void isolate_set_budget(struct isolation *iso, unsigned seconds);
void isolate_file_started(struct isolation *iso, const char *path);
void isolate_file_ended(struct isolation *iso, const char *path);

/* What an earlier try learnt of path, or NULL. */
const struct file_fault *isolate_fault_of(const struct isolation *iso,
					  const char *path);
/* Whether path is to be analysed with no other file in flight. */
bool isolate_alone(const struct isolation *iso, const char *path);
/* The name of a fault as the store and the reports spell it ("crashed",
 * "timed-out"), NULL for FAULT_NONE. */
const char *isolate_fault_name(enum file_fault_kind kind);
/* One sentence on why a faulted file was not analysed. Caller frees. */
char *isolate_fault_text(const struct file_fault *f);

#endif
