/* An overlay: a scratch directory holding other contents for some files
 * of a tree, at their paths, which a scan reads instead of the tree's
 * (the gate's two ends of a range, the fix command's patched files). The
 * tree itself is never written. */
#ifndef IRQCHECK_OVERLAY_H
#define IRQCHECK_OVERLAY_H

#include "scan.h"

struct overlay {
	char *tree;		    /* what relative paths are relative to */
	char *scratch;		    /* the scratch directory */
	struct strvec overlaid;	    /* paths (relative) present in scratch */
	struct strvec absent;	    /* paths that do not exist on this side */
	struct strvec overlay_dirs; /* dirs (relative) holding overlaid
				       headers */
};

/* Makes the scratch directory (prefix names it for the user). */
bool overlay_create(struct overlay *ov, const char *tree, const char *prefix,
		    char **err);
/* Where the overlaid copy of `rel` goes: its directories are made, and
 * the path is recorded as overlaid. Caller frees. */
char *overlay_add(struct overlay *ov, const char *rel);
/* Records that `rel` does not exist on this side. */
void overlay_add_absent(struct overlay *ov, const char *rel);
/* Removes the scratch directory. */
void overlay_release(struct overlay *ov, const char *who);

/* A scan hook (scan_options.adjust_file): points an overlaid file at its
 * copy and puts the scratch copy of a header directory before the
 * tree's own. */
bool overlay_adjust_file(void *ov, struct scan_file *f);
/* struct reuse_view's two views of a scan over the overlay (ov): the
 * file that holds what a tree path holds on this side, and a file's
 * arguments without what overlay_adjust_file() added. */
char *overlay_content_of(void *ov, const char *tree_path);
void overlay_tree_args(void *ov, const struct scan_file *f, struct strvec *out);
/* Shows paths inside the scratch copy as the tree's, in every finding
 * of res. */
void overlay_unmap_findings(const struct overlay *ov, struct scan_result *res);

#endif
