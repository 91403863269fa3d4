/* Recording what irqcheck fix made of a run's findings (see store.h):
 * one row per finding in the fixes table, replacing what an earlier fix
 * run recorded for it, all in one transaction. */
#include "store/store_internal.h"

#include <stdlib.h>

bool store_record_fixes(struct store *s, int64_t run,
			const struct store_fix *fixes, size_t n, char **err)
{
	sqlite3_stmt *del = NULL, *ins = NULL;
	bool ok;
	size_t i;

	ok = store_exec(s, "BEGIN IMMEDIATE", "recording the fixes", err);
	if (!ok)
		return false;
	del = store_prepare(
		s, "DELETE FROM fixes WHERE finding_id IN (SELECT f.id FROM "
		   "findings f JOIN files ON f.file_id = files.id WHERE "
		   "files.run_id = ?1 AND f.fingerprint = ?2)");
	ins = store_prepare(
		s, "INSERT INTO fixes (finding_id, semantic_patch, patch, "
		   "validated, validation) SELECT f.id, ?3, ?4, ?5, ?6 FROM "
		   "findings f JOIN files ON f.file_id = files.id WHERE "
		   "files.run_id = ?1 AND f.fingerprint = ?2");
	ok = del && ins;
	for (i = 0; ok && i < n; i++) {
		const struct store_fix *x = &fixes[i];
		sqlite3_bind_int64(del, 1, run);
		sqlite3_bind_text(del, 2, x->fingerprint, -1, SQLITE_STATIC);
		ok = sqlite3_step(del) == SQLITE_DONE;
		sqlite3_reset(del);
		sqlite3_bind_int64(ins, 1, run);
		sqlite3_bind_text(ins, 2, x->fingerprint, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3,
				  x->semantic_patch ? x->semantic_patch : "",
				  -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, x->patch ? x->patch : "", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int(ins, 5, x->validated);
		sqlite3_bind_text(ins, 6, x->validation, -1, SQLITE_STATIC);
		ok = ok && sqlite3_step(ins) == SQLITE_DONE;
		sqlite3_reset(ins);
	}
	if (!ok) {
		*err = store_db_error(s, "recording the fixes");
		sqlite3_finalize(del);
		sqlite3_finalize(ins);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	if (!store_exec(s, "COMMIT", "recording the fixes", err)) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}
