/* The gate: does a range of commits (or a patch series) add a vector
 * ownership bug? The files the range can affect are analysed as they are
 * at the base and at the head, from blobs read with git into scratch
 * directories laid over the tree (the user's work tree and index are
 * never written), and the findings are compared by fingerprint: new at
 * the head, or fixed by the range. */
#ifndef IRQCHECK_GATE_H
#define IRQCHECK_GATE_H

#include "scan.h"
#include "store/store.h"

struct gate_options {
	const struct scan_options *scan; /* flags, rules, jobs, paths */
	const char *repo;		 /* the repository's top */
	const char *tree;		 /* what display paths are relative to */
	const char *base, *head;	 /* commit ids */
	const char *db_path; /* a store with a run of this tree (includers of
				headers, and results of files as they were
				in it), or NULL */
};

struct gate_result {
	struct strvec changed;	/* paths the range touches */
	struct strvec analysed; /* files analysed at each side */
	bool all_candidates;	/* no store: every candidate was analysed */
	struct stored_findings base, head;
	/* pointers into base and head: new errors and warnings (what the
	 * gate fails on), new notes (the implicit-devres-release note that
	 * removing a redundant release brings is one), fixed findings */
	const struct stored_finding **added, **added_notes, **fixed;
	size_t nadded, nadded_notes, nfixed;
	size_t base_parse_failures, head_parse_failures;
	/* files whose results came from the store's run of the tree */
	size_t base_reused, head_reused;
	double seconds;
};

bool gate_run(const struct gate_options *opt, struct gate_result *res,
	      char **err);
void gate_result_release(struct gate_result *res);

#endif
