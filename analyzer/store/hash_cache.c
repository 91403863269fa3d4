/* The store's content hashes: a file whose path, mtime and size are as
 * cached is not read again (see store_internal.h). */
#include "store/store_internal.h"

#include <errno.h>
#include <search.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- content hashes with a stat cache ---------------------------------- */

static void index_hash(struct store *s, size_t i)
{
	ENTRY item = { s->hashes[i].key, (void *)(intptr_t)(i + 1) }, *found;

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
			ENTRY e = { s->hashes[j].key, (void *)(intptr_t)(j + 1) };
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

void store_load_hash_cache(struct store *s)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT path, mtime_ns, size, hash "
				      "FROM hash_cache");

	while (st && sqlite3_step(st) == SQLITE_ROW) {
		struct cached_hash h = { 0 };
		h.path = xstrdup((const char *)sqlite3_column_text(st, 0));
		h.key = hsearch_key(h.path);
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
bool store_content_hash(struct store *s, const char *path, char *out)
{
	struct stat sb;
	ENTRY item = { NULL, NULL }, *found = NULL;
	struct cached_hash *h = NULL;
	long long mtime;

	if (stat(path, &sb))
		return false;
	mtime = (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
	item.key = hsearch_key(path);
	if (s->index_ready && hsearch_r(item, FIND, &found, &s->hash_index))
		h = &s->hashes[(intptr_t)found->data - 1];
	free(item.key);
	if (h && h->mtime_ns == mtime && h->size == (long long)sb.st_size) {
		memcpy(out, h->hash, HASH_HEX_LEN + 1);
		return true;
	}
	if (!hash_file(path, out))
		return false;
	if (!h) {
		struct cached_hash n = { .path = xstrdup(path),
					 .key = hsearch_key(path) };
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


bool store_write_hash_cache(struct store *s)
{
	sqlite3_stmt *st = store_prepare(s, "INSERT OR REPLACE INTO hash_cache "
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

