/* Recording a finished scan as a run, in transactions (see store.h). */
#include "store/store_internal.h"
#include "suppress.h"

#include <errno.h>
#include <search.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- recording a run --------------------------------------------------- */

char *store_now_text(void)
{
	char buf[64];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static char *git_revision(const char *tree)
{
	char *cmd, line[128] = "";
	FILE *p;

	if (!tree || !*tree || strchr(tree, '\''))
		return NULL;
	cmd = xasprintf("git -C '%s' rev-parse HEAD 2>/dev/null", tree);
	p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return NULL;
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	return strlen(line) == 40 ? xstrdup(line) : NULL;
}

/* The header set of an analysed file: "path\thash" lines, sorted. */
static int64_t store_headers(struct store *s, const struct scan_file *f,
			     bool *ok)
{
	struct strvec lines = { 0 };
	struct strbuf sb;
	char digest[HASH_HEX_LEN + 1], h[HASH_HEX_LEN + 1];
	sqlite3_stmt *st;
	int64_t id = 0;
	size_t i;

	*ok = true;
	for (i = 0; i < f->headers.n; i++)
		if (store_content_hash(s, f->headers.v[i], h))
			strvec_pushf(&lines, "%s\t%s", f->headers.v[i], h);
	if (lines.n)
		qsort(lines.v, lines.n, sizeof(char *), compare_string_ptrs);
	sb_init(&sb);
	for (i = 0; i < lines.n; i++)
		if (!i || strcmp(lines.v[i], lines.v[i - 1]))
			sb_addf(&sb, "%s\n", lines.v[i]);
	strvec_free(&lines);
	hash_buffer(sb.buf ? sb.buf : "", sb.len, digest);
	st = store_prepare(s, "INSERT OR IGNORE INTO header_sets (digest, entries) "
			"VALUES (?1, ?2)");
	if (st) {
		sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, sb.buf ? sb.buf : "", -1, SQLITE_STATIC);
		*ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	sb_release(&sb);
	st = store_prepare(s, "SELECT id FROM header_sets WHERE digest = ?1");
	if (st) {
		sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	*ok &= id != 0;
	return id;
}

static bool insert_finding(struct store *s, int64_t file_id,
			   const struct finding *x, const char *fingerprint,
			   bool is_note)
{
	sqlite3_stmt *st = store_prepare(
	    s, "INSERT INTO findings (file_id, " FINDING_COLUMNS
	       ", fingerprint, is_note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	       "?8, ?9, ?10, ?11, ?12)");
	int64_t id;
	size_t i;
	bool ok;

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, file_id);
	sqlite3_bind_text(st, 2, x->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, severity_name(x->severity), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, x->file, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, (int)x->line);
	sqlite3_bind_int(st, 6, (int)x->col);
	sqlite3_bind_text(st, 7, x->function ? x->function : "", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(st, 8, x->message, -1, SQLITE_STATIC);
	if (x->suppressed)
		sqlite3_bind_text(st, 9, x->suppressed, -1, SQLITE_STATIC);
	if (x->unproven)
		sqlite3_bind_text(st, 10, x->unproven, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, is_note);
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	if (!ok)
		return false;
	id = sqlite3_last_insert_rowid(s->db);
	st = store_prepare(s, "INSERT INTO steps (finding_id, seq, path, line, col, "
			"text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	for (i = 0; st && ok && i < x->nsteps; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, (int)i);
		sqlite3_bind_text(st, 3, x->steps[i].file, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, (int)x->steps[i].line);
		sqlite3_bind_int(st, 5, (int)x->steps[i].col);
		sqlite3_bind_text(st, 6, x->steps[i].text, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return ok && st;
}


bool store_record_file(struct store *s, int64_t run_id,
		       const struct scan_file *f, const struct run_prints *fp)
{
	sqlite3_stmt *st;
	int64_t file_id, headers_id = 0;
	char *module = scan_file_module(f), *links;
	size_t i;
	bool ok = true;

	if (f->reused) {
		st = store_prepare(s, "SELECT headers_id FROM files WHERE id = ?1");
		if (st) {
			sqlite3_bind_int64(st, 1, f->prev_id);
			if (sqlite3_step(st) == SQLITE_ROW)
				headers_id = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
	} else if (f->headers.n || !scan_file_failed(f)) {
		headers_id = store_headers(s, f, &ok);
	}
	st = store_prepare(
	    s, "INSERT INTO files (run_id, path, content_hash, "
	       "flags_hash, module, headers_id, parse_errors, "
	       "first_error, not_built, reused, links, status) VALUES "
	       "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
	if (!st || !ok) {
		sqlite3_finalize(st);
		free(module);
		return false;
	}
	sqlite3_bind_int64(st, 1, run_id);
	sqlite3_bind_text(st, 2, f->display, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->content_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->flags_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, module, -1, SQLITE_STATIC);
	/* a file that did not parse has no header set worth reusing */
	if (headers_id && !scan_file_failed(f))
		sqlite3_bind_int64(st, 6, headers_id);
	sqlite3_bind_int(st, 7, (int)f->nerrors + (f->parse_failed ? 1 : 0));
	if (f->first_error)
		sqlite3_bind_text(st, 8, f->first_error, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 9, f->not_built);
	sqlite3_bind_int(st, 10, f->reused);
	links = module_links_json(&f->exports);
	sqlite3_bind_text(st, 11, links, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12,
			  f->fault ? isolate_fault_name(f->fault) : "analysed",
			  -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	free(links);
	free(module);
	if (!ok)
		return false;
	file_id = sqlite3_last_insert_rowid(s->db);
	/* summaries offered to the module (a reused file's were loaded) */
	st = store_prepare(s, "INSERT INTO functions (file_id, name, summary) "
			"VALUES (?1, ?2, ?3)");
	for (i = 0; st && ok && i < f->exports.nsummaries; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, file_id);
		sqlite3_bind_text(st, 2, f->exports.summaries[i]->sum.name, -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->exports.summaries[i]->text, -1,
				  SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	for (i = 0; ok && i < f->findings.n; i++) {
		const struct finding *x = &f->findings.items[i];
		const struct finding **hit =
			bsearch(&x, fp->unique, fp->n, sizeof(*fp->unique),
				scan_compare_findings);
		ok = insert_finding(s, file_id, x,
				    hit ? fp->prints[hit - fp->unique] : "", false);
	}
	for (i = 0; ok && i < f->notes.n; i++) {
		char fp[HASH_HEX_LEN + 1];
		store_fingerprint(&f->notes.items[i], fp);
		ok = insert_finding(s, file_id, &f->notes.items[i], fp, true);
	}
	st = store_prepare(s, "INSERT INTO suppressions (file_id, path, line, rule, "
			"reason) VALUES (?1, ?2, ?3, ?4, ?5)");
	for (i = 0; st && ok && i < f->nsuppressions; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, file_id);
		sqlite3_bind_text(st, 2, f->display, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, (int)f->suppressions[i].line);
		sqlite3_bind_text(st, 4, f->suppressions[i].rule, -1,
				  SQLITE_STATIC);
		if (f->suppressions[i].reason)
			sqlite3_bind_text(st, 5, f->suppressions[i].reason, -1,
					  SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 5);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return ok;
}

static bool record_run(struct store *s, const struct run_info *run,
		       const struct scan_result *res, const struct run_prints *fp,
		       int64_t *run_id, char **err)
{
	sqlite3_stmt *st;
	char *start = store_now_text(), *end;
	size_t i, failed = 0, findings = 0;
	bool ok;

	/* runs that never finished (killed) are dropped with their rows;
	 * the collections of irqcheck check are never finished */
	if (!store_exec(s, "BEGIN IMMEDIATE", "starting the run", err)) {
		free(start);
		return false;
	}
	ok = sqlite3_exec(s->db,
			  "DELETE FROM runs WHERE finished IS NULL AND id NOT "
			  "IN (SELECT run_id FROM collections)",
			  NULL, NULL, NULL) == SQLITE_OK;
	st = store_prepare(s, "INSERT INTO runs (tree, revision, flags_source, "
			"rules_hash, tool_version, started, files_considered) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (ok && st) {
		char *rev = git_revision(run->tree);
		sqlite3_bind_text(st, 1, run->tree, -1, SQLITE_STATIC);
		if (rev)
			sqlite3_bind_text(st, 2, rev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, run->flags_source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, run->rules_hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, IRQCHECK_VERSION, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, start, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, (long long)res->nconsidered);
		ok = sqlite3_step(st) == SQLITE_DONE;
		free(rev);
	}
	sqlite3_finalize(st);
	free(start);
	*run_id = sqlite3_last_insert_rowid(s->db);
	if (!ok || !store_exec(s, "COMMIT", "starting the run", err)) {
		if (!*err)
			*err = store_db_error(s, "starting the run");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		*run_id = 0; /* never written */
		return false;
	}
	for (i = 0; i < res->nfiles; i++) {
		const struct scan_file *f = &res->files[i];
		if (i % FILES_PER_TRANSACTION == 0 &&
		    !store_exec(s, "BEGIN IMMEDIATE", "recording the run", err))
			return false;
		if (!store_record_file(s, *run_id, f, fp)) {
			*err = store_db_error(s, "recording the run");
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
		failed += scan_file_failed(f);
		if ((i + 1) % FILES_PER_TRANSACTION == 0 &&
		    !store_exec(s, "COMMIT", "recording the run", err)) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
	}
	if (res->nfiles % FILES_PER_TRANSACTION &&
	    !store_exec(s, "COMMIT", "recording the run", err)) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	for (i = 0; i < fp->n; i++)
		findings += finding_counts(fp->unique[i]);
	if (!store_exec(s, "BEGIN IMMEDIATE", "finishing the run", err))
		return false;
	end = store_now_text();
	st = store_prepare(s, "UPDATE runs SET finished = ?1, files_parsed = ?2, "
			"files_reused = ?3, files_failed = ?4, findings = ?5 "
			"WHERE id = ?6");
	ok = store_write_hash_cache(s) && st;
	if (ok) {
		sqlite3_bind_text(st, 1, end, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (long long)res->nfiles);
		sqlite3_bind_int64(st, 3, (long long)res->nreused);
		sqlite3_bind_int64(st, 4, (long long)failed);
		sqlite3_bind_int64(st, 5, (long long)findings);
		sqlite3_bind_int64(st, 6, *run_id);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	free(end);
	if (!ok || !store_exec(s, "COMMIT", "finishing the run", err)) {
		if (!*err)
			*err = store_db_error(s, "finishing the run");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}

/* A run that could not be finished (a full disk, a size limit) is taken
 * out again at once, so nothing half-written stays behind; when even that
 * cannot be written, the next run that starts takes it out. */
static void drop_unfinished_run(struct store *s, int64_t run_id)
{
	sqlite3_stmt *st;

	if (!run_id)
		return;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	st = store_prepare(s, "DELETE FROM runs WHERE id = ?1 AND finished "
			      "IS NULL");
	if (st) {
		sqlite3_bind_int64(st, 1, run_id);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
}

bool store_record_run(struct store *s, const struct run_info *run,
		      const struct scan_result *res, double started,
		      int64_t *run_id, char **err)
{
	struct run_prints fp;
	bool ok;

	(void)started;
	*run_id = 0;
	store_run_prints_make(res, &fp);
	ok = record_run(s, run, res, &fp, run_id, err);
	if (!ok)
		drop_unfinished_run(s, *run_id);
	store_run_prints_release(&fp);
	return ok;
}

void store_run_prints_make(const struct scan_result *res,
			   struct run_prints *fp)
{
	fp->n = scan_unique_findings(res, &fp->unique);
	fp->prints = xcalloc(fp->n + 1, sizeof(*fp->prints));
	store_fingerprint_unique(fp->unique, fp->n, fp->prints);
}

void store_run_prints_release(struct run_prints *fp)
{
	free(fp->prints);
	free(fp->unique);
}
