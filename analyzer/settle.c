/* Settling irqcheck check's collections into runs (see settle.h). */
#include "settle.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "checks/check_list.h"
#include "commands.h"
#include "scan.h"
#include "store/hash.h"
#include "store/store.h"

/* One collection: the cross-file rounds over the files as the checks
 * left them, recorded as a finished run. */
static bool settle_one(struct store *s, int64_t id,
		       const struct ruleset *rules, const char *rules_hash,
		       char **err)
{
	struct scan_options opt = {
	    .rules = rules, .record_headers = true, .share_headers = true};
	struct scan_result res;
	struct run_info run = { 0 };
	int64_t generation, run_id;
	char *tree;
	size_t fresh = 0, i;
	bool ok;

	if (!store_load_collection(s, id, rules_hash, &res, &tree, &generation,
				   err))
		return false;
	for (i = 0; i < res.nfiles; i++)
		fresh += !res.files[i].analyses;
	opt.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	opt.progress = isatty(2);
	scan_settle(&opt, &res);
	run.tree = tree;
	run.flags_source = "check";
	run.rules_hash = rules_hash;
	ok = store_record_run(s, &run, &res, 0, &run_id, err) &&
	     store_collection_settled(s, id, generation, err);
	if (ok) {
		fprintf(stderr,
			"irqcheck: the %zu files irqcheck check analysed in %s "
			"are settled as run %lld (%zu analysed again with "
			"their module's other files",
			res.nfiles, tree, (long long)run_id,
			res.nreanalysed);
		if (fresh)
			fprintf(stderr, ", %zu whose check another irqcheck "
					"binary or rule pack made",
				fresh);
		fprintf(stderr, ")\n");
	}
	free(run.revision);
	scan_result_release(&res);
	free(tree);
	return ok;
}

bool settle_collections(const char *db_path, char **err)
{
	struct store *s;
	struct ruleset *rules;
	char rules_hash[HASH_HEX_LEN + 1], *path, *ignored = NULL;
	int64_t *ids = NULL;
	size_t n = 0, i;
	bool ok = true;

	if (access(db_path, F_OK))
		return true;
	s = store_open(db_path, false, &ignored);
	if (!s) {
		free(ignored); /* the caller's own open says why */
		return true;
	}
	ok = store_unsettled_collections(s, &ids, &n, err);
	store_close(s);
	if (!ok || !n) {
		free(ids);
		return ok;
	}
	s = store_open(db_path, true, &ignored);
	if (!s) {
		*err = xasprintf("%s holds files irqcheck check analysed since "
				 "it was last settled, and settling them needs "
				 "to write it: %s",
				 db_path, ignored);
		free(ignored);
		free(ids);
		return false;
	}
	path = xasprintf("%s/linux-pci.rules", rules_dir());
	rules = ruleset_load(path, err);
	free(path);
	if (rules) {
		hash_analysis_identity(rules->path, check_default_mask(),
				       rules->hybrid_gone, rules_hash);
		for (i = 0; i < n && ok; i++)
			ok = settle_one(s, ids[i], rules, rules_hash, err);
		ruleset_free(rules);
	} else {
		ok = false;
	}
	store_close(s);
	free(ids);
	return ok;
}
