/* Small helpers shared by every part of irqcheck: checked allocation,
 * growable strings and arrays, a bump arena, and file reading. */
#ifndef IRQCHECK_UTIL_H
#define IRQCHECK_UTIL_H

#include <stddef.h>
#include <stdbool.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of *cap elements of size elem) so that index need fits. */
void grow_array(void **arr, size_t *cap, size_t need, size_t elem);
#define ARRAY_PUSH(arr, len, cap, value)                                     \
	do {                                                                  \
		grow_array((void **)&(arr), &(cap), (len) + 1,                 \
			   sizeof(*(arr)));                                   \
		(arr)[(len)++] = (value);                                     \
	} while (0)

struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_init(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *sb_detach(struct strbuf *sb);
void sb_release(struct strbuf *sb);

/* A bump allocator: everything is freed at once with arena_free(). */
struct arena_block;
struct arena {
	struct arena_block *head;
	size_t used_total;
};
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
void arena_free(struct arena *a);

/* Reads a whole file; returns NULL and sets errno on failure. */
char *read_file(const char *path, size_t *len);
bool path_is_dir(const char *path);
bool path_is_file(const char *path);
/* Joins two path parts with exactly one slash. Caller frees. */
char *path_join(const char *a, const char *b);
/* The directory part of a relative or absolute path ("." for none).
 * Caller frees. */
char *path_dirname(const char *path);
/* Makes the directories leading to path (not path itself). */
void path_make_parents(const char *path);
/* Removes a directory and all it holds (symbolic links are not followed);
 * what cannot be removed stays. True when the directory is gone. */
bool path_remove_tree(const char *dir);
/* Makes a new private directory "irqcheck-NAME-XXXXXX" under `under`
 * (NULL: $TMPDIR, else /tmp). NULL with errno when it cannot; caller
 * frees. */
char *scratch_dir_make(const char *under, const char *name);
/* Absolute, normalised path of an existing file or dir. Caller frees. */
char *path_real(const char *path);

/* A URI reference for a path: unreserved characters and '/' as they are,
 * the rest percent-encoded; absolute paths become file:// URIs. Caller
 * frees. */
char *path_uri(const char *path);

/* A whole decimal number from 1 to max (no sign, no overflow, nothing
 * after it) into *out; false otherwise. For --run and -j. */
bool parse_count(const char *text, long long max, long long *out);

/* The nearest directory at or above path (a file or a directory) that
 * holds rel (for example the root of a source tree), or NULL. Caller
 * frees. */
char *path_ancestor_with(const char *path, const char *rel);

/* The exit status of a command whose output must all have been written:
 * status, or 2 with the reason on stderr when standard output could not
 * be (a full disk, a size limit). */
int output_written(int status);

/* The key under which text goes into a glibc hsearch_r() table: text
 * behind a 64-bit FNV-1a hash of it. hsearch_r() hashes little more than
 * a key's first characters, so keys sharing a long prefix (a file's
 * sites, the paths of one tree) would all probe one chain. Caller frees. */
char *hsearch_key(const char *text);

/* qsort()/bsearch() order of an array of strings. */
int compare_string_ptrs(const void *a, const void *b);
/* Seconds on the monotonic clock, for durations. */
double monotonic_seconds(void);

/* A growable list of owned strings (argument vectors). */
struct strvec {
	char **v;
	size_t n, cap;
};
void strvec_push(struct strvec *sv, const char *s);
void strvec_pushf(struct strvec *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strvec_free(struct strvec *sv);
/* True when sv holds s. */
bool strvec_has(const struct strvec *sv, const char *s);
#endif
