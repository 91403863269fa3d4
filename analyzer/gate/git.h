/* Running git for the gate: commands are spawned with argument vectors
 * (no shell), their output captured. Nothing here writes to the user's
 * work tree or index: blobs are read with "git show", and a patch series
 * is applied to a private index file and committed with commit-tree. */
#ifndef IRQCHECK_GIT_H
#define IRQCHECK_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Runs git -C dir ARGS...; its standard output in *out (may be NULL) and
 * its first error line in *err on failure. */
bool git_run(const char *dir, const char *const *args, char **out,
	     char **err);

/* The top of the repository holding dir, or NULL. */
char *git_toplevel(const char *dir);

/* The full commit id of rev, or NULL. */
char *git_commit(const char *repo, const char *rev);

/* Paths (relative to the top) that differ between two commits. */
bool git_changed_paths(const char *repo, const char *base, const char *head,
		       struct strvec *out, char **err);

/* Writes the blob rev:path to dest (creating its directories). False when
 * the path does not exist at rev. */
bool git_show_to_file(const char *repo, const char *rev, const char *path,
		      const char *dest);

/* Applies a series (a directory of patch files, or an mbox) on top of
 * base without a work tree; returns the resulting commit, or NULL and
 * *err naming the patch that does not apply. */
char *git_apply_series(const char *repo, const char *base, const char *series,
		       char **err);

/* True when text is an mbox (starts with a "From " envelope line). */
bool mail_is_mbox(const char *text, size_t len);
/* The Subject header of a mail or format-patch file, folded lines joined
 * and blanks trimmed; NULL when its headers have none. */
char *mail_subject(const char *text, size_t len);

/* The unified diff of one path between two commits, with 3 lines of
 * context. */
char *git_diff_path(const char *repo, const char *base, const char *head,
		    const char *path);

#endif
