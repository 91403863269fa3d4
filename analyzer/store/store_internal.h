/* What the parts of the store share (see store.h): the connection with
 * its content-hash cache, and small SQLite helpers. Not for other code. */
#ifndef IRQCHECK_STORE_INTERNAL_H
#define IRQCHECK_STORE_INTERNAL_H

#include <search.h>
#include <sqlite3.h>
#include <stdint.h>

#include "store/hash.h"
#include "store/store.h"

#define APPLICATION_ID 1769107811 /* 0x69726363, "ircc" */
#define FILES_PER_TRANSACTION 32
#define FINDING_COLUMNS \
	"rule, severity, path, line, col, function, message, suppressed, " \
	"unproven"

/* A content hash known for a path at a given stat. */
struct cached_hash {
	char *path;
	char *key; /* hsearch_key(path) */
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


/* One sentence for the last error, saying what was being done. */
char *store_db_error(struct store *s, const char *doing);
bool store_exec(struct store *s, const char *sql, const char *doing,
		char **err);
sqlite3_stmt *store_prepare(struct store *s, const char *sql);
long long store_query_int(struct store *s, const char *sql, bool *ok);

/* Content hashes, read again only when a file's stat changed
 * (hash_cache.c). */
void store_load_hash_cache(struct store *s);
bool store_content_hash(struct store *s, const char *path, char *out);
bool store_write_hash_cache(struct store *s);

/* Fingerprints of a scan's unique findings, "#2" on a repeat
 * (fingerprint.c). */
void store_fingerprint_unique(const struct finding **u, size_t n,
			      char (*out)[80]);

/* Reading findings back (read.c). */
void store_row_to_finding(sqlite3_stmt *st, int first, struct finding *f);
void store_load_steps(struct store *s, int64_t finding_id, struct finding *f);

char *store_now_text(void);

/* The fingerprints of a run's findings, by place (record.c). */
struct run_prints {
	const struct finding **unique;
	size_t n;
	char (*prints)[80];
};
/* The fingerprints of res's findings, and letting them go. */
void store_run_prints_make(const struct scan_result *res,
			   struct run_prints *fp);
void store_run_prints_release(struct run_prints *fp);
/* One file of a run, with its findings, summaries and suppressions, in
 * the caller's transaction (record.c). */
bool store_record_file(struct store *s, int64_t run_id,
		       const struct scan_file *f, const struct run_prints *fp);

/* A stored file's findings, notes and parse errors into f; the summaries
 * and links it offered its module into ex (reuse.c). */
void store_load_file_results(struct store *s, int64_t file_id,
			     struct scan_file *f);
void store_load_exports(struct store *s, int64_t file_id,
			struct module_exports *ex);

#endif
