/* The SQLite store: opening a database (what the file is, migrations),
 * and the helpers its parts share (see store.h). */
#include "store/store_internal.h"
#include "store/schema_sql.h"

#include <errno.h>
#include <search.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* how long one process waits for another's hold on the store */
enum { STORE_BUSY_MS = 30000 };
#include <unistd.h>

/* ---- errors ------------------------------------------------------------ */

char *store_db_error(struct store *s, const char *doing)
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

bool store_exec(struct store *s, const char *sql, const char *doing,
		 char **err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return true;
	*err = store_db_error(s, doing);
	return false;
}

sqlite3_stmt *store_prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

long long store_query_int(struct store *s, const char *sql, bool *ok)
{
	sqlite3_stmt *st = store_prepare(s, sql);
	long long v = 0;

	*ok = st && sqlite3_step(st) == SQLITE_ROW;
	if (*ok)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- opening: what the file is, and migrations ------------------------ */

/* Switching a new store to WAL upgrades a read lock to a write lock, and
 * SQLite answers a contended upgrade with SQLITE_BUSY at once, without
 * the busy handler (waiting could deadlock two upgraders). Sixteen
 * checks opening a fresh store together meet that: wait and try again,
 * as long as the busy timeout would have waited. */
static bool switch_to_wal(struct store *s, char **err)
{
	int waited_ms = 0;

	for (;;) {
		int rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL,
				      NULL, NULL);

		if (rc == SQLITE_OK)
			return true;
		if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= STORE_BUSY_MS)
			break;
		waited_ms += sqlite3_sleep(10);
	}
	*err = store_db_error(s, "opening it");
	return false;
}

static bool migrate(struct store *s, int from, char **err)
{
	int v;

	for (v = from + 1; v <= STORE_SCHEMA_VERSION; v++) {
		const char *sql = v == 1 ? irqcheck_schema_sql
					 : irqcheck_migrations[v - 2];
		char *doing = xasprintf("migrating it to schema version %d", v);
		bool ok = store_exec(s, "BEGIN IMMEDIATE", doing, err);
		bool read = false;
		/* another process (make -j running irqcheck check) may have
		 * taken it there while this one waited for the lock */
		long long now = ok ? store_query_int(s, "PRAGMA user_version",
						     &read)
				   : 0;
		if (ok && !read) {
			*err = store_db_error(s, doing);
			ok = false;
		}
		if (ok && now < v)
			ok = store_exec(s, sql, doing, err);
		ok = ok && store_exec(s, "COMMIT", doing, err);
		free(doing);
		if (!ok) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return false;
		}
	}
	return true;
}

/* "file:PATH?immutable=1": a database SQLite reads without creating its
 * shared-memory file, for a directory nothing can write. */
static char *immutable_uri(const char *path)
{
	char *encoded = path_uri(path), *uri;

	/* path_uri() gives "file://..." for an absolute path */
	uri = xasprintf("%s%s?immutable=1", path[0] == '/' ? "" : "file:",
			encoded);
	free(encoded);
	return uri;
}

/* A read-only open that SQLite refused because it could not make the
 * -shm file beside the database (a read-only directory or mount): when no
 * write-ahead log is waiting there, it is read as an immutable file. */
static bool reopen_immutable(struct store *s, char **err)
{
	char *wal = xasprintf("%s-wal", s->path), *uri;
	struct stat st;
	bool pending = !stat(wal, &st) && st.st_size > 0;
	int rc;

	free(wal);
	if (pending) {
		*err =
		    xasprintf("%s: cannot be read here: its directory is "
			      "read-only and its write-ahead log (%s-wal) "
			      "holds changes not yet written into it; open it "
			      "once where it can be written",
			      s->path, s->path);
		return false;
	}
	sqlite3_close(s->db);
	s->db = NULL;
	uri = immutable_uri(s->path);
	rc = sqlite3_open_v2(uri, &s->db,
			     SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		*err =
		    xasprintf("%s: cannot open the database: %s", s->path,
			      s->db ? sqlite3_errmsg(s->db) : "out of memory");
		return false;
	}
	sqlite3_extended_result_codes(s->db, 1);
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
		char *dir = path_dirname(path);
		if (write && access(path, F_OK) && access(dir, W_OK))
			*err = xasprintf("%s: cannot create the database: its "
					 "directory %s cannot be written (%s)",
					 path, dir, strerror(errno));
		else
			*err = xasprintf("%s: cannot %s the database: %s", path,
					 write ? "create or open" : "open",
					 s->db ? sqlite3_errmsg(s->db)
					       : "out of memory");
		free(dir);
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	sqlite3_extended_result_codes(s->db, 1);
	app = store_query_int(s, "PRAGMA application_id", &ok);
	if (!ok && !write &&
	    (sqlite3_errcode(s->db) & 0xff) == SQLITE_CANTOPEN) {
		if (!reopen_immutable(s, err)) {
			store_close(s);
			return NULL;
		}
		app = store_query_int(s, "PRAGMA application_id", &ok);
	}
	if (!ok) {
		int code = sqlite3_errcode(s->db) & 0xff;
		*err = store_db_error(s, write ? "opening it" : "reading it");
		/* what store_db_error() names stands; anything else means
		 * the file is not a database SQLite can read */
		if (code != SQLITE_NOTADB && code != SQLITE_CORRUPT &&
		    code != SQLITE_CANTOPEN && code != SQLITE_READONLY &&
		    code != SQLITE_PERM && code != SQLITE_IOERR &&
		    code != SQLITE_FULL) {
			free(*err);
			*err = xasprintf("%s: is not a usable irqcheck database "
					 "(%s)", path, sqlite3_errmsg(s->db));
		}
		store_close(s);
		return NULL;
	}
	/* one statement, one snapshot: a store another process is making
	 * (make -j running irqcheck check) is seen before or after, never
	 * with its tables but not yet its application id */
	{
		sqlite3_stmt *st = store_prepare(
		    s, "SELECT (SELECT application_id FROM "
		       "pragma_application_id), (SELECT user_version FROM "
		       "pragma_user_version), (SELECT count(*) FROM "
		       "sqlite_master)");
		ok = st && sqlite3_step(st) == SQLITE_ROW;
		if (ok) {
			app = sqlite3_column_int64(st, 0);
			version = sqlite3_column_int64(st, 1);
			tables = sqlite3_column_int64(st, 2);
		}
		sqlite3_finalize(st);
	}
	if (!ok) {
		*err = store_db_error(s, write ? "opening it" : "reading it");
		store_close(s);
		return NULL;
	}
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
	if (!switch_to_wal(s, err) ||
	    !store_exec(s, "PRAGMA foreign_keys = ON", "opening it", err) ||
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
	for (i = 0; i < s->nhashes; i++) {
		free(s->hashes[i].path);
		free(s->hashes[i].key);
	}
	free(s->hashes);
	if (s->index_ready)
		hdestroy_r(&s->hash_index);
	free(s->path);
	free(s);
}

int store_user_version(struct store *s)
{
	bool ok;

	return (int)store_query_int(s, "PRAGMA user_version", &ok);
}

