/* Implementation of the small shared helpers declared in util.h. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

static void out_of_memory(void)
{
	fputs("irqcheck: out of memory.\n", stderr);
	exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	char tmp[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	if ((size_t)n < sizeof(tmp))
		return xstrdup(tmp);
	sb_init(&sb);
	grow_array((void **)&sb.buf, &sb.cap, (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(sb.buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return sb.buf;
}

void grow_array(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	*arr = xrealloc(*arr, ncap * elem);
	*cap = ncap;
}

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	grow_array((void **)&sb->buf, &sb->cap, sb->len + n + 1, 1);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grow_array((void **)&sb->buf, &sb->cap, sb->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

char *sb_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");
	sb_init(sb);
	return s;
}

void sb_release(struct strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (!b || b->size - b->used < n) {
		size_t size = n > 60000 ? n : 60000;
		b = xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	a->used_total += n;
	memset(p, 0, n);
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = arena_alloc(a, n);
	memcpy(d, s, n);
	return d;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->used_total = 0;
}

char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	sb_init(&sb);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_add(&sb, chunk, n);
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		sb_release(&sb);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(f);
	if (len)
		*len = sb.len;
	return sb_detach(&sb);
}

bool path_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	if (!*b)
		return xstrndup(a, la);
	return xasprintf("%.*s/%s", (int)la, a, b);
}

char *path_real(const char *path)
{
	char *r = realpath(path, NULL);
	if (!r && errno == ENOMEM)
		out_of_memory();
	return r;
}

void strvec_push(struct strvec *sv, const char *s)
{
	char *d = xstrdup(s);
	ARRAY_PUSH(sv->v, sv->n, sv->cap, d);
}

void strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	int n;
	char *d;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	sb_init(&sb);
	grow_array((void **)&sb.buf, &sb.cap, (size_t)(n > 0 ? n : 0) + 1, 1);
	va_start(ap, fmt);
	vsnprintf(sb.buf, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	d = sb.buf;
	ARRAY_PUSH(sv->v, sv->n, sv->cap, d);
}

void strvec_free(struct strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

char *path_uri(const char *path)
{
	struct strbuf sb;
	const unsigned char *p;

	sb_init(&sb);
	if (path[0] == '/')
		sb_adds(&sb, "file://");
	for (p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p))
			sb_add(&sb, (const char *)p, 1);
		else
			sb_addf(&sb, "%%%02X", *p);
	}
	return sb_detach(&sb);
}

char *path_ancestor_with(const char *path, const char *rel)
{
	char *dir = path_real(path);

	if (dir && !path_is_dir(dir)) {
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
	}
	while (dir && *dir) {
		char *probe = path_join(dir, rel), *slash;
		bool found = path_is_file(probe) || path_is_dir(probe);
		free(probe);
		if (found)
			return dir;
		slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	free(dir);
	return NULL;
}

bool parse_count(const char *text, long long max, long long *out)
{
	long long v = 0;
	const char *p;

	if (!*text)
		return false;
	for (p = text; *p; p++) {
		if (*p < '0' || *p > '9' || v > (max - (*p - '0')) / 10)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v < 1)
		return false;
	*out = v;
	return true;
}

char *hsearch_key(const char *text)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	return xasprintf("%016llx%s", h, text);
}

int output_written(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	fprintf(stderr, "irqcheck: could not write all of the output: %s.\n",
		strerror(errno));
	return 2;
}

int compare_string_ptrs(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

bool strvec_has(const struct strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

void path_make_parents(const char *path)
{
	char *copy = xstrdup(path), *p;

	for (p = copy + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(copy, 0755);
			*p = '/';
		}
	free(copy);
}

static int remove_entry(const char *path, const struct stat *sb, int type,
			struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

bool path_remove_tree(const char *dir)
{
	struct stat st;

	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return lstat(dir, &st) != 0 && errno == ENOENT;
}

char *scratch_dir_make(const char *under, const char *name)
{
	const char *tmp = under ? under : getenv("TMPDIR");
	char *dir = xasprintf("%s/irqcheck-%s-XXXXXX",
			      tmp && *tmp ? tmp : "/tmp", name);

	if (mkdtemp(dir))
		return dir;
	free(dir);
	return NULL;
}
