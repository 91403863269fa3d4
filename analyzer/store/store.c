/* The SQLite store (see store.h). */
#include "store/store.h"
#include "checks/check_list.h"
#include "store/hash.h"
#include "store/schema_sql.h"
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

#define APPLICATION_ID 1769107811 /* 0x69726363, "ircc" */
#define FILES_PER_TRANSACTION 32

/* A content hash known for a path at a given stat. */
struct cached_hash {
	char *path;
	long long mtime_ns, size;
	char hash[HASH_HEX_LEN + 1];
	bool dirty; /* to be written back */
};

struct store {
	sqlite3 *db;
	char *path;
	struct cached_hash *hashes;
	size_t nhashes, cap_hashes;
	struct hsearch_data hash_index; /* path -> index + 1 */
	bool index_ready;
	size_t index_cap, index_used;
};

/* ---- errors ------------------------------------------------------------ */

static char *db_error(struct store *s, const char *doing)
{
	int code = sqlite3_extended_errcode(s->db) & 0xff;

	switch (code) {
	case SQLITE_FULL:
		return xasprintf("%s: the disk is full while %s; earlier runs "
				 "in it are unchanged", s->path, doing);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		return xasprintf("%s: cannot be written while %s (read-only "
				 "file or directory)", s->path, doing);
	case SQLITE_IOERR:
		return xasprintf("%s: writing failed while %s (%s: a full disk "
				 "or a file size limit); earlier runs in it are "
				 "unchanged", s->path, doing, sqlite3_errmsg(s->db));
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return xasprintf("%s: is not a usable irqcheck database (%s)",
				 s->path, sqlite3_errmsg(s->db));
	default:
		return xasprintf("%s: database error while %s: %s", s->path,
				 doing, sqlite3_errmsg(s->db));
	}
}

static bool exec(struct store *s, const char *sql, const char *doing,
		 char **err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return true;
	*err = db_error(s, doing);
	return false;
}

static sqlite3_stmt *prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

static long long query_int(struct store *s, const char *sql, bool *ok)
{
	sqlite3_stmt *st = prepare(s, sql);
	long long v = 0;

	*ok = st && sqlite3_step(st) == SQLITE_ROW;
	if (*ok)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- opening: what the file is, and migrations ------------------------ */

static bool migrate(struct store *s, int from, char **err)
{
	int v;

	for (v = from + 1; v <= STORE_SCHEMA_VERSION; v++) {
		const char *sql = v == 1 ? irqcheck_schema_sql
					 : irqcheck_migrations[v - 2];
		char *doing = xasprintf("migrating it to schema version %d", v);
		bool ok = exec(s, "BEGIN IMMEDIATE", doing, err) &&
			  exec(s, sql, doing, err) &&
			  exec(s, "COMMIT", doing, err);
		free(doing);
		if (!ok) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
	}
	return true;
}

struct store *store_open(const char *path, bool write, char **err)
{
	struct store *s = xcalloc(1, sizeof(*s));
	int flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
			  : SQLITE_OPEN_READONLY;
	long long app, version, tables;
	bool ok;

	s->path = xstrdup(path);
	if (!write && access(path, F_OK)) {
		*err = xasprintf("%s: no such database; run 'irqcheck scan' "
				 "first", path);
		store_close(s);
		return NULL;
	}
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		*err = xasprintf("%s: cannot %s the database: %s", path,
				 write ? "create or open" : "open",
				 s->db ? sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	app = query_int(s, "PRAGMA application_id", &ok);
	if (!ok) {
		*err = db_error(s, "reading it");
		if ((sqlite3_errcode(s->db) & 0xff) != SQLITE_NOTADB &&
		    (sqlite3_errcode(s->db) & 0xff) != SQLITE_CORRUPT) {
			free(*err);
			*err = xasprintf("%s: is not a usable irqcheck database "
					 "(%s)", path, sqlite3_errmsg(s->db));
		}
		store_close(s);
		return NULL;
	}
	version = query_int(s, "PRAGMA user_version", &ok);
	tables = query_int(s, "SELECT count(*) FROM sqlite_master", &ok);
	if (app != APPLICATION_ID && (app != 0 || tables || version)) {
		*err = xasprintf("%s: is a SQLite database of another program, "
				 "not an irqcheck database", path);
		store_close(s);
		return NULL;
	}
	if (version > STORE_SCHEMA_VERSION) {
		*err = xasprintf("%s: was written by a newer irqcheck (schema "
				 "version %lld; this one knows up to %d)",
				 path, version, STORE_SCHEMA_VERSION);
		store_close(s);
		return NULL;
	}
	if (!write) {
		if (version < STORE_SCHEMA_VERSION) {
			*err = xasprintf("%s: has an older schema (version %lld); "
					 "run 'irqcheck scan' to migrate it",
					 path, version);
			store_close(s);
			return NULL;
		}
		return s;
	}
	if (sqlite3_db_readonly(s->db, "main") == 1) {
		*err = xasprintf("%s: cannot be written (read-only file or "
				 "directory)", path);
		store_close(s);
		return NULL;
	}
	if (!exec(s, "PRAGMA journal_mode = WAL", "opening it", err) ||
	    !exec(s, "PRAGMA foreign_keys = ON", "opening it", err) ||
	    !migrate(s, (int)version, err)) {
		store_close(s);
		return NULL;
	}
	return s;
}

void store_close(struct store *s)
{
	size_t i;

	if (!s)
		return;
	if (s->db)
		sqlite3_close(s->db);
	for (i = 0; i < s->nhashes; i++)
		free(s->hashes[i].path);
	free(s->hashes);
	if (s->index_ready)
		hdestroy_r(&s->hash_index);
	free(s->path);
	free(s);
}

int store_user_version(struct store *s)
{
	bool ok;

	return (int)query_int(s, "PRAGMA user_version", &ok);
}

/* ---- content hashes with a stat cache ---------------------------------- */

static void index_hash(struct store *s, size_t i)
{
	ENTRY item = { s->hashes[i].path, (void *)(intptr_t)(i + 1) }, *found;

	if (s->index_used + 1 >= s->index_cap * 3 / 4) {
		size_t j;
		if (s->index_ready)
			hdestroy_r(&s->hash_index);
		memset(&s->hash_index, 0, sizeof(s->hash_index));
		s->index_cap = s->index_cap ? s->index_cap * 4 : 1 << 15;
		if (!hcreate_r(s->index_cap, &s->hash_index))
			abort();
		s->index_ready = true;
		s->index_used = 0;
		for (j = 0; j < s->nhashes; j++) {
			ENTRY e = { s->hashes[j].path, (void *)(intptr_t)(j + 1) };
			hsearch_r(e, ENTER, &found, &s->hash_index);
			s->index_used++;
		}
		return;
	}
	if (hsearch_r(item, ENTER, &found, &s->hash_index)) {
		found->data = item.data;
		s->index_used++;
	}
}

static void load_hash_cache(struct store *s)
{
	sqlite3_stmt *st = prepare(s, "SELECT path, mtime_ns, size, hash "
				      "FROM hash_cache");

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		struct cached_hash h = { 0 };
		h.path = xstrdup((const char *)sqlite3_column_text(st, 0));
		h.mtime_ns = sqlite3_column_int64(st, 1);
		h.size = sqlite3_column_int64(st, 2);
		snprintf(h.hash, sizeof(h.hash), "%s",
			 (const char *)sqlite3_column_text(st, 3));
		ARRAY_PUSH(s->hashes, s->nhashes, s->cap_hashes, h);
		index_hash(s, s->nhashes - 1);
	}
	sqlite3_finalize(st);
}

/* The content hash of a file, read again only when its stat changed.
 * False when it cannot be read. */
static bool content_hash(struct store *s, const char *path, char *out)
{
	struct stat sb;
	ENTRY item = { (char *)path, NULL }, *found = NULL;
	struct cached_hash *h = NULL;
	long long mtime;

	if (stat(path, &sb))
		return false;
	mtime = (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
	if (s->index_ready && hsearch_r(item, FIND, &found, &s->hash_index))
		h = &s->hashes[(intptr_t)found->data - 1];
	if (h && h->mtime_ns == mtime && h->size == (long long)sb.st_size) {
		memcpy(out, h->hash, HASH_HEX_LEN + 1);
		return true;
	}
	if (!hash_file(path, out))
		return false;
	if (!h) {
		struct cached_hash n = { .path = xstrdup(path) };
		ARRAY_PUSH(s->hashes, s->nhashes, s->cap_hashes, n);
		h = &s->hashes[s->nhashes - 1];
		index_hash(s, s->nhashes - 1);
	}
	h->mtime_ns = mtime;
	h->size = (long long)sb.st_size;
	memcpy(h->hash, out, HASH_HEX_LEN + 1);
	h->dirty = true;
	return true;
}

/* ---- fingerprints ---------------------------------------------------- */

/* Names called on the path: identifiers followed by "()". */
static void add_called_names(struct hasher *h, const char *text)
{
	const char *p;

	for (p = strstr(text, "()"); p; p = strstr(p + 2, "()")) {
		const char *b = p;
		while (b > text && (b[-1] == '_' || (b[-1] >= 'a' && b[-1] <= 'z') ||
				    (b[-1] >= 'A' && b[-1] <= 'Z') ||
				    (b[-1] >= '0' && b[-1] <= '9')))
			b--;
		if (b < p) {
			hasher_add(h, b, (size_t)(p - b));
			hasher_add(h, "", 1);
		}
	}
}

void store_fingerprint(const struct finding *f, char *out)
{
	struct hasher *h = hasher_new();
	size_t i;

	hasher_adds(h, f->rule);
	hasher_adds(h, f->file);
	hasher_adds(h, f->function ? f->function : "");
	add_called_names(h, f->message);
	for (i = 0; i < f->nsteps; i++)
		add_called_names(h, f->steps[i].text);
	hasher_finish(h, out);
}

/* ---- reuse ----------------------------------------------------------- */

static int64_t last_run_for(struct store *s, const char *rules_hash)
{
	sqlite3_stmt *st = prepare(
		s, "SELECT id FROM runs WHERE finished IS NOT NULL AND "
		   "rules_hash = ?1 AND tool_version = ?2 ORDER BY id DESC LIMIT 1");
	int64_t id = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, rules_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, IRQCHECK_VERSION, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

/* The headers recorded for a file still have the hashes they had. */
static bool headers_unchanged(struct store *s, int64_t headers_id)
{
	sqlite3_stmt *st = prepare(s, "SELECT entries FROM header_sets "
				      "WHERE id = ?1");
	bool same = false;

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, headers_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		char *entries = xstrdup((const char *)sqlite3_column_text(st, 0));
		char *line, *save = NULL, now[HASH_HEX_LEN + 1];
		same = true;
		for (line = strtok_r(entries, "\n", &save); line && same;
		     line = strtok_r(NULL, "\n", &save)) {
			char *tab = strrchr(line, '\t');
			if (!tab)
				same = false;
			else {
				*tab = '\0';
				same = content_hash(s, line, now) &&
				       !strcmp(now, tab + 1);
			}
		}
		free(entries);
	}
	sqlite3_finalize(st);
	return same;
}

static const char *static_rule(const char *rule)
{
	const struct check *c = check_find(rule);

	if (c)
		return c->id;
	if (!strcmp(rule, SUPPRESSION_RULE))
		return SUPPRESSION_RULE;
	return "irqcheck";
}

static enum severity severity_of(const char *name)
{
	if (!strcmp(name, "error"))
		return SEV_ERROR;
	if (!strcmp(name, "warning"))
		return SEV_WARNING;
	return SEV_NOTE;
}

static void load_steps(struct store *s, int64_t finding_id, struct finding *f)
{
	sqlite3_stmt *st = prepare(s, "SELECT path, line, col, text FROM steps "
				      "WHERE finding_id = ?1 ORDER BY seq");
	size_t cap = 0;

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, finding_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct finding_step step;
		step.file = xstrdup((const char *)sqlite3_column_text(st, 0));
		step.line = (unsigned)sqlite3_column_int(st, 1);
		step.col = (unsigned)sqlite3_column_int(st, 2);
		step.text = xstrdup((const char *)sqlite3_column_text(st, 3));
		ARRAY_PUSH(f->steps, f->nsteps, cap, step);
	}
	sqlite3_finalize(st);
}

static void row_to_finding(sqlite3_stmt *st, int first, struct finding *f)
{
	const unsigned char *sup;

	memset(f, 0, sizeof(*f));
	f->rule = static_rule((const char *)sqlite3_column_text(st, first));
	f->severity = severity_of((const char *)sqlite3_column_text(st, first + 1));
	f->file = xstrdup((const char *)sqlite3_column_text(st, first + 2));
	f->line = (unsigned)sqlite3_column_int(st, first + 3);
	f->col = (unsigned)sqlite3_column_int(st, first + 4);
	f->function = xstrdup((const char *)sqlite3_column_text(st, first + 5));
	f->message = xstrdup((const char *)sqlite3_column_text(st, first + 6));
	sup = sqlite3_column_text(st, first + 7);
	f->suppressed = sup ? xstrdup((const char *)sup) : NULL;
}

#define FINDING_COLUMNS \
	"rule, severity, path, line, col, function, message, suppressed"

/* Fills a reused file's results from its row in the last run. */
static void load_file_results(struct store *s, int64_t file_id,
			      struct scan_file *f)
{
	sqlite3_stmt *st = prepare(
		s, "SELECT id, is_note, " FINDING_COLUMNS " FROM findings "
		   "WHERE file_id = ?1 ORDER BY id");

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, file_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct finding x;
		row_to_finding(st, 2, &x);
		if (!strcmp(x.rule, SUPPRESSION_RULE)) {
			finding_release(&x); /* made again from the source */
			continue;
		}
		load_steps(s, sqlite3_column_int64(st, 0), &x);
		finding_list_push(sqlite3_column_int(st, 1) ? &f->notes
							    : &f->findings,
				  &x);
	}
	sqlite3_finalize(st);
	st = prepare(s, "SELECT parse_errors, first_error FROM files "
			"WHERE id = ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, file_id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const unsigned char *e = sqlite3_column_text(st, 1);
			f->nerrors = (unsigned)sqlite3_column_int(st, 0);
			f->first_error = e ? xstrdup((const char *)e) : NULL;
		}
		sqlite3_finalize(st);
	}
}

/* The summaries and links a file of the last run offered its module. */
static void load_exports(struct store *s, int64_t file_id,
			 struct module_exports *ex)
{
	sqlite3_stmt *st = prepare(s, "SELECT summary FROM functions WHERE "
				      "file_id = ?1 ORDER BY id");

	module_exports_release(ex);
	while (st && (sqlite3_bind_int64(st, 1, file_id), true) &&
	       sqlite3_step(st) == SQLITE_ROW) {
		struct portable_summary *p = module_summary_from_json(
			(const char *)sqlite3_column_text(st, 0));
		if (p)
			ARRAY_PUSH(ex->summaries, ex->nsummaries,
				   ex->cap_summaries, p);
	}
	sqlite3_finalize(st);
	st = prepare(s, "SELECT links FROM files WHERE id = ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, file_id);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL)
			module_links_from_json(
				(const char *)sqlite3_column_text(st, 0), ex);
		sqlite3_finalize(st);
	}
}

struct module_state {
	char *module;
	bool lost_file; /* a file of the last run is gone */
};

bool store_plan_reuse(struct store *s, const struct run_info *run,
		      struct scan_result *res, char **err)
{
	int64_t last;
	sqlite3_stmt *st;
	struct module_state *mods = NULL;
	size_t nmods = 0, capmods = 0, i, j;
	char **module_of_file = xcalloc(res->nfiles + 1, sizeof(char *));

	load_hash_cache(s);
	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		if (!content_hash(s, f->path, f->content_hash)) {
			*err = xasprintf("%s: cannot be read: %s", f->display,
					 strerror(errno));
			free(module_of_file);
			return false;
		}
		hash_strvec(&f->args, f->flags_hash);
	}
	last = last_run_for(s, run->rules_hash);
	st = last ? prepare(s, "SELECT id, content_hash, flags_hash, headers_id "
			       "FROM files WHERE run_id = ?1 AND path = ?2")
		  : NULL;
	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		bool reusable = false;
		module_of_file[i] = scan_file_module(f);
		if (st) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, last);
			sqlite3_bind_text(st, 2, f->display, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW) {
				f->prev_id = sqlite3_column_int64(st, 0);
				reusable =
					!strcmp((const char *)sqlite3_column_text(st, 1),
						f->content_hash) &&
					!strcmp((const char *)sqlite3_column_text(st, 2),
						f->flags_hash) &&
					sqlite3_column_type(st, 3) != SQLITE_NULL &&
					headers_unchanged(s, sqlite3_column_int64(st, 3));
			}
		}
		for (j = 0; j < nmods; j++)
			if (!strcmp(mods[j].module, module_of_file[i]))
				break;
		if (j == nmods) {
			struct module_state m = { module_of_file[i], false };
			ARRAY_PUSH(mods, nmods, capmods, m);
		}
		f->reused = reusable;
	}
	sqlite3_finalize(st);
	/* a file of the last run's module that is gone changes the module */
	st = last ? prepare(s, "SELECT module, path FROM files WHERE run_id = ?1")
		  : NULL;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		const char *p = (const char *)sqlite3_column_text(st, 1);
		bool present = false;
		for (j = 0; j < nmods && strcmp(mods[j].module, m); j++)
			;
		if (j == nmods || mods[j].lost_file)
			continue;
		for (i = 0; i < res->nfiles && !present; i++)
			present = !strcmp(res->files[i].display, p);
		if (!present)
			mods[j].lost_file = true;
	}
	sqlite3_finalize(st);
	/* Files are reused one by one; the cross-file rounds bring back
	 * the ones whose module mates now offer something else. A module
	 * that lost a file is analysed whole (what the file offered is
	 * gone, and nothing records who used it). */
	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		for (j = 0; j < nmods; j++)
			if (!strcmp(mods[j].module, module_of_file[i]))
				break;
		if (f->reused && mods[j].lost_file)
			f->reused = false;
		if (f->prev_id)
			load_exports(s, f->prev_id,
				     f->reused ? &f->exports : &f->last_exports);
		if (f->reused)
			load_file_results(s, f->prev_id, f);
	}
	for (i = 0; i < res->nfiles; i++)
		free(module_of_file[i]);
	free(module_of_file);
	free(mods);
	return true;
}

/* ---- recording a run --------------------------------------------------- */

static char *now_text(void)
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

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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
		if (content_hash(s, f->headers.v[i], h))
			strvec_pushf(&lines, "%s\t%s", f->headers.v[i], h);
	if (lines.n)
		qsort(lines.v, lines.n, sizeof(char *), compare_strings);
	sb_init(&sb);
	for (i = 0; i < lines.n; i++)
		if (!i || strcmp(lines.v[i], lines.v[i - 1]))
			sb_addf(&sb, "%s\n", lines.v[i]);
	strvec_free(&lines);
	hash_buffer(sb.buf ? sb.buf : "", sb.len, digest);
	st = prepare(s, "INSERT OR IGNORE INTO header_sets (digest, entries) "
			"VALUES (?1, ?2)");
	if (st) {
		sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, sb.buf ? sb.buf : "", -1, SQLITE_STATIC);
		*ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_finalize(st);
	}
	sb_release(&sb);
	st = prepare(s, "SELECT id FROM header_sets WHERE digest = ?1");
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
	sqlite3_stmt *st = prepare(
		s, "INSERT INTO findings (file_id, " FINDING_COLUMNS
		   ", fingerprint, is_note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
		   "?8, ?9, ?10, ?11)");
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
	sqlite3_bind_text(st, 10, fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 11, is_note);
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	if (!ok)
		return false;
	id = sqlite3_last_insert_rowid(s->db);
	st = prepare(s, "INSERT INTO steps (finding_id, seq, path, line, col, "
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

/* Fingerprints of one file's findings: the same one twice in a run gets
 * "#2", "#3" in line order. */
static void fingerprint_list(const struct finding_list *l, char (*out)[80])
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		unsigned seen = 1;
		store_fingerprint(&l->items[i], out[i]);
		for (j = 0; j < i; j++)
			seen += !strncmp(out[j], out[i], HASH_HEX_LEN);
		if (seen > 1)
			snprintf(out[i] + HASH_HEX_LEN, 80 - HASH_HEX_LEN,
				 "#%u", seen);
	}
}

static bool record_file(struct store *s, int64_t run_id,
			const struct scan_file *f)
{
	sqlite3_stmt *st;
	int64_t file_id, headers_id = 0;
	char *module = scan_file_module(f), *links;
	char (*prints)[80];
	size_t i;
	bool ok = true;

	if (f->reused) {
		st = prepare(s, "SELECT headers_id FROM files WHERE id = ?1");
		if (st) {
			sqlite3_bind_int64(st, 1, f->prev_id);
			if (sqlite3_step(st) == SQLITE_ROW)
				headers_id = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
	} else if (f->headers.n || !scan_file_failed(f)) {
		headers_id = store_headers(s, f, &ok);
	}
	st = prepare(s, "INSERT INTO files (run_id, path, content_hash, "
			"flags_hash, module, headers_id, parse_errors, "
			"first_error, not_built, reused, links) VALUES (?1, ?2, "
			"?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
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
	ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	free(links);
	free(module);
	if (!ok)
		return false;
	file_id = sqlite3_last_insert_rowid(s->db);
	/* summaries offered to the module (a reused file's were loaded) */
	st = prepare(s, "INSERT INTO functions (file_id, name, summary) "
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
	prints = xcalloc(f->findings.n + 1, sizeof(*prints));
	fingerprint_list(&f->findings, prints);
	for (i = 0; ok && i < f->findings.n; i++)
		ok = insert_finding(s, file_id, &f->findings.items[i], prints[i],
				    false);
	free(prints);
	for (i = 0; ok && i < f->notes.n; i++) {
		char fp[HASH_HEX_LEN + 1];
		store_fingerprint(&f->notes.items[i], fp);
		ok = insert_finding(s, file_id, &f->notes.items[i], fp, true);
	}
	st = prepare(s, "INSERT INTO suppressions (file_id, path, line, rule, "
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

static bool write_hash_cache(struct store *s)
{
	sqlite3_stmt *st = prepare(s, "INSERT OR REPLACE INTO hash_cache "
				      "(path, mtime_ns, size, hash) VALUES "
				      "(?1, ?2, ?3, ?4)");
	size_t i;
	bool ok = st != NULL;

	for (i = 0; ok && i < s->nhashes; i++) {
		struct cached_hash *h = &s->hashes[i];
		if (!h->dirty)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, h->path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, h->mtime_ns);
		sqlite3_bind_int64(st, 3, h->size);
		sqlite3_bind_text(st, 4, h->hash, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return ok;
}

bool store_record_run(struct store *s, const struct run_info *run,
		      const struct scan_result *res, double started,
		      int64_t *run_id, char **err)
{
	sqlite3_stmt *st;
	char *start = now_text(), *end;
	size_t i, failed = 0, findings = 0;
	bool ok;

	(void)started;
	/* runs that never finished (killed) are dropped with their rows */
	if (!exec(s, "BEGIN IMMEDIATE", "starting the run", err)) {
		free(start);
		return false;
	}
	ok = sqlite3_exec(s->db, "DELETE FROM runs WHERE finished IS NULL",
			  NULL, NULL, NULL) == SQLITE_OK;
	st = prepare(s, "INSERT INTO runs (tree, revision, flags_source, "
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
	if (!ok || !exec(s, "COMMIT", "starting the run", err)) {
		if (!*err)
			*err = db_error(s, "starting the run");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	for (i = 0; i < res->nfiles; i++) {
		const struct scan_file *f = &res->files[i];
		if (i % FILES_PER_TRANSACTION == 0 &&
		    !exec(s, "BEGIN IMMEDIATE", "recording the run", err))
			return false;
		if (!record_file(s, *run_id, f)) {
			*err = db_error(s, "recording the run");
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
		failed += scan_file_failed(f);
		if ((i + 1) % FILES_PER_TRANSACTION == 0 &&
		    !exec(s, "COMMIT", "recording the run", err)) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
	}
	if (res->nfiles % FILES_PER_TRANSACTION &&
	    !exec(s, "COMMIT", "recording the run", err)) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	{
		const struct finding **all;
		size_t n = scan_unique_findings(res, &all), k;
		for (k = 0; k < n; k++)
			findings += !all[k]->suppressed;
		free(all);
	}
	if (!exec(s, "BEGIN IMMEDIATE", "finishing the run", err))
		return false;
	end = now_text();
	st = prepare(s, "UPDATE runs SET finished = ?1, files_parsed = ?2, "
			"files_reused = ?3, files_failed = ?4, findings = ?5 "
			"WHERE id = ?6");
	ok = write_hash_cache(s) && st;
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
	if (!ok || !exec(s, "COMMIT", "finishing the run", err)) {
		if (!*err)
			*err = db_error(s, "finishing the run");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}

/* ---- reading ----------------------------------------------------------- */

int64_t store_last_run(struct store *s)
{
	bool ok;

	return query_int(s, "SELECT coalesce(max(id), 0) FROM runs WHERE "
			    "finished IS NOT NULL", &ok);
}

bool store_run_exists(struct store *s, int64_t run)
{
	sqlite3_stmt *st = prepare(s, "SELECT 1 FROM runs WHERE id = ?1 AND "
				      "finished IS NOT NULL");
	bool found = false;

	if (st) {
		sqlite3_bind_int64(st, 1, run);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

bool store_load_run(struct store *s, int64_t run, bool with_steps,
		    struct stored_findings *out, char **err)
{
	sqlite3_stmt *st = prepare(
		s, "SELECT f.id, f.fingerprint, f.rule, f.severity, f.path, "
		   "f.line, f.col, f.function, f.message, f.suppressed "
		   "FROM findings f JOIN files ON f.file_id = files.id "
		   "WHERE files.run_id = ?1 AND f.is_note = 0 "
		   "ORDER BY f.path, f.line, f.col, f.rule");

	memset(out, 0, sizeof(*out));
	if (!st) {
		*err = db_error(s, "reading findings");
		return false;
	}
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct stored_finding x = { 0 };
		row_to_finding(st, 2, &x.f);
		if (out->n) {
			/* made by two files' analyses: once */
			const struct finding *p = &out->items[out->n - 1].f;
			if (p->line == x.f.line && p->col == x.f.col &&
			    !strcmp(p->rule, x.f.rule) &&
			    !strcmp(p->file, x.f.file)) {
				finding_release(&x.f);
				continue;
			}
		}
		x.fingerprint = xstrdup((const char *)sqlite3_column_text(st, 1));
		x.suppressed = x.f.suppressed ? xstrdup(x.f.suppressed) : NULL;
		if (with_steps)
			load_steps(s, sqlite3_column_int64(st, 0), &x.f);
		ARRAY_PUSH(out->items, out->n, out->cap, x);
	}
	sqlite3_finalize(st);
	return true;
}

void stored_findings_release(struct stored_findings *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		finding_release(&l->items[i].f);
		free(l->items[i].fingerprint);
		free(l->items[i].suppressed);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* ---- baseline ---------------------------------------------------------- */

bool store_baseline_save(struct store *s, int64_t run, size_t *saved,
			 char **err)
{
	struct stored_findings all;
	sqlite3_stmt *st;
	char *when = now_text();
	size_t i;
	bool ok;

	if (!store_load_run(s, run, false, &all, err)) {
		free(when);
		return false;
	}
	ok = exec(s, "BEGIN IMMEDIATE", "saving the baseline", err) &&
	     exec(s, "DELETE FROM baseline", "saving the baseline", err);
	st = ok ? prepare(s, "INSERT OR REPLACE INTO baseline (fingerprint, "
			     "rule, path, function, message, saved) VALUES "
			     "(?1, ?2, ?3, ?4, ?5, ?6)")
		: NULL;
	*saved = 0;
	for (i = 0; st && ok && i < all.n; i++) {
		const struct stored_finding *x = &all.items[i];
		if (x->suppressed)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, x->fingerprint, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, x->f.rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, x->f.file, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, x->f.function, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, x->f.message, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, when, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		*saved += ok;
	}
	sqlite3_finalize(st);
	free(when);
	stored_findings_release(&all);
	if (!ok || !st || !exec(s, "COMMIT", "saving the baseline", err)) {
		if (!*err)
			*err = db_error(s, "saving the baseline");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}

bool store_baseline_has(struct store *s, const char *fingerprint)
{
	sqlite3_stmt *st = prepare(s, "SELECT 1 FROM baseline WHERE "
				      "fingerprint = ?1");
	bool found = false;

	if (st) {
		sqlite3_bind_text(st, 1, fingerprint, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}
