/* Kernel headers parsed once per scan (shared_headers.h).
 *
 * A group is the files whose arguments agree once what only names the
 * file is left out: KBUILD_MODNAME, KBUILD_BASENAME, __KBUILD_MODNAME and
 * the include directories of the driver's own (an -I not on every file's
 * command line). Its precompiled header holds <linux/pci.h>, which every
 * file a PCI scan parses includes, so it declares nothing a file would
 * not see anyway; including it first changes only what a macro defined
 * above the file's includes could change, and such a file parses alone
 * when a shared header names that macro. A group too small to pay for
 * its build uses the largest group whose arguments differ only by -D
 * options, when no shared header names the macros that differ. */
#include "frontend/shared_headers.h"
#include "ast.h"

#include <clang-c/Index.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the header text: KBUILD_MODNAME is read inside inline functions of some
 * headers, so it has a stand-in while they are read, gone afterwards */
static const char group_header[] =
    "/* irqcheck: the headers a scan's files share */\n"
    "#define KBUILD_MODNAME \"irqcheck\"\n"
    "#define KBUILD_BASENAME \"irqcheck\"\n"
    "#include <linux/pci.h>\n"
    "#undef KBUILD_MODNAME\n"
    "#undef KBUILD_BASENAME\n";

struct header_group {
	struct strvec args;    /* what its headers are built with */
	char *key;	       /* args, one per line */
	struct strvec defines; /* its -D/-U options not on every file */
	char *core;	       /* its arguments without those */
	size_t nfiles;
	int base;	/* the largest group of the same core */
	bool buildable; /* enough files would use what it builds */
	bool tried, built;
	char *pch;
	struct strvec headers; /* what the precompiled header holds */
	char *text;	       /* their text, for the names they read */
	size_t len;
	bool text_partial; /* a header could not be read: every name counts
			      as read */
};

struct planned_file {
	const struct strvec *args;
	int group; /* -1: parses alone, for why */
	const char *why;
};

struct shared_headers {
	pthread_mutex_t lock;
	struct header_group *groups;
	size_t ngroups, cap;
	struct planned_file *files;
	size_t nfiles;
	char *under; /* where to make dir, or NULL for $TMPDIR */
	char *dir; /* where the precompiled headers are, once one is */
	double build_seconds;
	unsigned built;
};

static bool is_define(const char *a)
{
	return !strncmp(a, "-D", 2) || !strncmp(a, "-U", 2);
}

static bool names_the_file(const char *a)
{
	return !strncmp(a, "-DKBUILD_MODNAME=", 17) ||
	       !strncmp(a, "-DKBUILD_BASENAME=", 18) ||
	       !strncmp(a, "-D__KBUILD_MODNAME=", 19);
}

/* The arguments on every file's command line, of those test() picks. */
static void common_arguments(const struct strvec *const *args, size_t n,
			     bool (*test)(const char *), struct strvec *out)
{
	size_t i, j, k;

	for (j = 0; n && j < args[0]->n; j++) {
		const char *a = args[0]->v[j];
		bool everywhere = test(a) && !strvec_has(out, a);
		for (i = 1; everywhere && i < n; i++) {
			for (k = 0; k < args[i]->n; k++)
				if (!strcmp(args[i]->v[k], a))
					break;
			everywhere = k < args[i]->n;
		}
		if (everywhere)
			strvec_push(out, a);
	}
}

static bool is_include_dir(const char *a)
{
	return !strncmp(a, "-I", 2);
}

static char *joined(const struct strvec *v)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < v->n; i++) {
		sb_adds(&sb, v->v[i]);
		sb_add(&sb, "\n", 1);
	}
	return sb_detach(&sb);
}

/* The group a file's arguments fall in, made when new. */
static int group_of(struct shared_headers *sh, const struct strvec *kept,
		    const struct strvec *global_defines)
{
	struct strvec core = {0}, defines = {0};
	char *key;
	size_t g, i;

	for (i = 0; i < kept->n; i++) {
		const char *a = kept->v[i];
		if (is_define(a) && !strvec_has(global_defines, a))
			strvec_push(&defines, a);
		else
			strvec_push(&core, a);
	}
	key = joined(kept);
	for (g = 0; g < sh->ngroups; g++)
		if (!strcmp(sh->groups[g].key, key))
			break;
	if (g == sh->ngroups) {
		struct header_group hg = {0};
		for (i = 0; i < kept->n; i++)
			strvec_push(&hg.args, kept->v[i]);
		hg.key = key;
		key = NULL;
		hg.defines = defines;
		memset(&defines, 0, sizeof(defines));
		hg.core = joined(&core);
		ARRAY_PUSH(sh->groups, sh->ngroups, sh->cap, hg);
	}
	sh->groups[g].nfiles++;
	free(key);
	strvec_free(&core);
	strvec_free(&defines);
	return (int)g;
}

/* Whether every -D/-U of a is one of b's. */
static bool defines_within(const struct strvec *a, const struct strvec *b)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (!strvec_has(b, a->v[i]))
			return false;
	return true;
}

static void choose_bases(struct shared_headers *sh, size_t min_group)
{
	size_t g, h;

	for (g = 0; g < sh->ngroups; g++) {
		struct header_group *hg = &sh->groups[g];
		hg->base = (int)g;
		for (h = 0; h < sh->ngroups; h++)
			if (!strcmp(sh->groups[h].core, hg->core) &&
			    sh->groups[h].nfiles > sh->groups[hg->base].nfiles)
				hg->base = (int)h;
	}
	for (g = 0; g < sh->ngroups; g++) {
		struct header_group *hg = &sh->groups[g];
		size_t users = hg->nfiles;
		if (hg->base == (int)g)
			for (h = 0; h < sh->ngroups; h++)
				if (h != g && sh->groups[h].base == (int)g &&
				    defines_within(&hg->defines,
						   &sh->groups[h].defines))
					users += sh->groups[h].nfiles;
		hg->buildable = users >= min_group;
	}
}

struct shared_headers *shared_headers_plan(const struct strvec *const *args,
					   size_t nfiles, size_t min_group,
					   const char *under)
{
	struct shared_headers *sh = xcalloc(1, sizeof(*sh));
	struct strvec global_dirs = {0}, global_defines = {0};
	size_t i, j;

	pthread_mutex_init(&sh->lock, NULL);
	sh->under = under ? xstrdup(under) : NULL;
	sh->files = xcalloc(nfiles + 1, sizeof(*sh->files));
	sh->nfiles = nfiles;
	common_arguments(args, nfiles, is_include_dir, &global_dirs);
	common_arguments(args, nfiles, is_define, &global_defines);
	for (i = 0; i < nfiles; i++) {
		struct planned_file *pf = &sh->files[i];
		struct strvec kept = {0};
		bool own_dir_seen = false;
		pf->args = args[i];
		pf->group = -1;
		for (j = 0; j < args[i]->n; j++) {
			const char *a = args[i]->v[j];
			if (!strcmp(a, "-I") || !strcmp(a, "-isystem") ||
			    !strcmp(a, "-iquote")) {
				pf->why = "an include directory is given in a "
					  "form this does not read";
				break;
			}
			if (names_the_file(a))
				continue;
			if (is_include_dir(a) && !strvec_has(&global_dirs, a)) {
				own_dir_seen = true;
				continue;
			}
			if (is_include_dir(a) && own_dir_seen) {
				pf->why = "an include directory of its own "
					  "comes before the tree's";
				break;
			}
			strvec_push(&kept, a);
		}
		if (!pf->why)
			pf->group = group_of(sh, &kept, &global_defines);
		strvec_free(&kept);
	}
	choose_bases(sh, min_group ? min_group : 1);
	strvec_free(&global_dirs);
	strvec_free(&global_defines);
	return sh;
}

void shared_headers_free(struct shared_headers *sh)
{
	size_t g;

	if (!sh)
		return;
	for (g = 0; g < sh->ngroups; g++) {
		struct header_group *hg = &sh->groups[g];
		free(hg->pch);
		strvec_free(&hg->args);
		free(hg->key);
		strvec_free(&hg->defines);
		strvec_free(&hg->headers);
		free(hg->core);
		free(hg->text);
	}
	if (sh->dir) /* the headers and what they were built into */
		path_remove_tree(sh->dir);
	free(sh->dir);
	free(sh->under);
	free(sh->groups);
	free(sh->files);
	pthread_mutex_destroy(&sh->lock);
	free(sh);
}

static void note_header(CXFile included, CXSourceLocation *stack,
			unsigned depth, CXClientData data)
{
	struct header_group *hg = data;
	CXString name;

	(void)stack;
	if (!depth)
		return; /* the group's own header */
	name = clang_getFileName(included);
	if (clang_getCString(name) &&
	    !strvec_has(&hg->headers, clang_getCString(name)))
		strvec_push(&hg->headers, clang_getCString(name));
	clang_disposeString(name);
}

/* The text of every header it holds, one after another. */
static void read_header_text(struct header_group *hg)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < hg->headers.n; i++) {
		size_t len = 0;
		char *text = read_file(hg->headers.v[i], &len);
		if (text)
			sb_add(&sb, text, len);
		else
			hg->text_partial = true;
		sb_add(&sb, "\n", 1);
		free(text);
	}
	hg->len = sb.len;
	hg->text = sb_detach(&sb);
}

/* Builds group g's precompiled header; called with the lock held. */
static void build_group(struct shared_headers *sh, size_t g)
{
	struct header_group *hg = &sh->groups[g];
	double t0 = monotonic_seconds();
	CXIndex index;
	CXTranslationUnit tu = NULL;
	struct strvec args = {0};
	char *header;
	FILE *out;
	size_t i;

	hg->tried = true;
	if (!sh->dir)
		sh->dir = scratch_dir_make(sh->under, "headers");
	if (!sh->dir)
		return;
	header = xasprintf("%s/group%zu.h", sh->dir, g);
	out = fopen(header, "w");
	if (!out || fputs(group_header, out) < 0) {
		if (out)
			fclose(out);
		free(header);
		return;
	}
	if (fclose(out)) {
		free(header);
		return;
	}
	strvec_push(&args, "-x");
	strvec_push(&args, "c-header");
	for (i = 0; i < hg->args.n; i++)
		strvec_push(&args, hg->args.v[i]);
	index = clang_createIndex(0, 0);
	if (clang_parseTranslationUnit2(index, header,
					(const char *const *)args.v,
					(int)args.n, NULL, 0,
					CXTranslationUnit_Incomplete |
					    CXTranslationUnit_ForSerialization,
					&tu) == CXError_Success &&
	    tu && !ast_tu_has_errors(tu)) {
		char *pch = xasprintf("%s/group%zu.pch", sh->dir, g);
		clang_getInclusions(tu, note_header, hg);
		if (clang_saveTranslationUnit(tu, pch,
					      clang_defaultSaveOptions(tu)) ==
		    CXSaveError_None) {
			hg->pch = pch;
			hg->built = true;
			read_header_text(hg);
			sh->built++;
		} else {
			free(pch);
		}
	}
	if (tu)
		clang_disposeTranslationUnit(tu);
	clang_disposeIndex(index);
	strvec_free(&args);
	free(header);
	sh->build_seconds += monotonic_seconds() - t0;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Whether the group's headers name the identifier anywhere. */
static bool headers_name(const struct header_group *hg, const char *name)
{
	size_t n = strlen(name);
	const char *p = hg->text, *end = hg->text + hg->len;

	if (hg->text_partial)
		return true;
	while (n && p < end) {
		const char *hit = memmem(p, (size_t)(end - p), name, n);
		if (!hit)
			return false;
		if ((hit == hg->text || !is_name_char(hit[-1])) &&
		    (hit + n == end || !is_name_char(hit[n])))
			return true;
		p = hit + 1;
	}
	return false;
}

/* "-DNAME=VALUE" or "-UNAME": NAME. */
static char *define_name(const char *a)
{
	const char *s = a + 2;
	size_t n = 0;

	while (is_name_char(s[n]))
		n++;
	return xstrndup(s, n);
}

/* The line from s to end starts with word. */
static bool starts_word(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(end - s) >= n && !memcmp(s, word, n);
}

/* The line starting at p, up to end: where it ends (its newline or end),
 * and the directive word after its '#' in *directive, or NULL. */
static const char *next_line(const char *p, const char *end,
			     const char **directive)
{
	const char *line = memchr(p, '\n', (size_t)(end - p)), *s = p;

	if (!line)
		line = end;
	*directive = NULL;
	while (s < line && isspace((unsigned char)*s))
		s++;
	if (s < line && *s == '#') {
		s++;
		while (s < line && isspace((unsigned char)*s))
			s++;
		*directive = s;
	}
	return line;
}

void shared_headers_defined_above_includes(const char *text, size_t len,
					   struct strvec *out)
{
	const char *p, *line, *d, *end = text + len, *last = NULL;

	for (p = text; p < end; p = line + 1) {
		line = next_line(p, end, &d);
		if (d && starts_word(d, line, "include"))
			last = line;
	}
	for (p = text; last && p < last; p = line + 1) {
		size_t n = 0;
		line = next_line(p, end, &d);
		if (!d || !(starts_word(d, line, "define") ||
			    starts_word(d, line, "undef")))
			continue;
		d += d[0] == 'd' ? 6 : 5;
		while (d < line && isspace((unsigned char)*d))
			d++;
		while (d + n < line && is_name_char(d[n]))
			n++;
		if (n) {
			char *name = xstrndup(d, n);
			if (strcmp(name, "pr_fmt") && strcmp(name, "dev_fmt") &&
			    !strvec_has(out, name))
				strvec_push(out, name);
			free(name);
		}
	}
}

/* The group whose precompiled header file pf uses, built, or -1 with
 * *why. Called with the lock held. */
static int serving_group(struct shared_headers *sh,
			 const struct planned_file *pf, const char **why)
{
	struct header_group *own = &sh->groups[pf->group], *base;
	size_t i;

	if (own->buildable) {
		if (!own->tried)
			build_group(sh, (size_t)pf->group);
		if (own->built)
			return pf->group;
		*why = "its group's shared headers did not build";
		return -1;
	}
	base = &sh->groups[own->base];
	if (own->base == pf->group || !base->buildable ||
	    !defines_within(&base->defines, &own->defines)) {
		*why = "too few other files share its flags";
		return -1;
	}
	if (!base->tried)
		build_group(sh, (size_t)own->base);
	if (!base->built) {
		*why = "its group's shared headers did not build";
		return -1;
	}
	for (i = 0; i < own->defines.n; i++) {
		char *name;
		bool named;
		if (strvec_has(&base->defines, own->defines.v[i]))
			continue;
		name = define_name(own->defines.v[i]);
		named = headers_name(base, name);
		free(name);
		if (named) {
			*why = "a -D option of its own is read by the shared "
			       "headers";
			return -1;
		}
	}
	return own->base;
}

bool shared_headers_use(struct shared_headers *sh, size_t i, const char *path,
			struct strvec *out, const struct strvec **headers,
			const char **why)
{
	const struct planned_file *pf;
	const struct header_group *hg;
	struct strvec early = {0};
	size_t k;
	int g;

	if (!sh || i >= sh->nfiles) {
		*why = "shared headers are off";
		return false;
	}
	pf = &sh->files[i];
	if (pf->group < 0) {
		*why = pf->why;
		return false;
	}
	pthread_mutex_lock(&sh->lock);
	g = serving_group(sh, pf, why);
	pthread_mutex_unlock(&sh->lock);
	if (g < 0)
		return false;
	/* built and never changed again: read without the lock */
	hg = &sh->groups[g];
	{
		size_t len = 0;
		char *text = read_file(path, &len);
		if (text)
			shared_headers_defined_above_includes(text, len,
							      &early);
		free(text);
	}
	for (k = 0; k < early.n; k++)
		if (headers_name(hg, early.v[k])) {
			*why = "it defines a macro the shared headers read, "
			       "above its includes";
			strvec_free(&early);
			return false;
		}
	strvec_free(&early);
	for (k = 0; k < pf->args->n; k++) {
		if (!strcmp(pf->args->v[k], "-include") &&
		    k + 1 < pf->args->n) {
			k++; /* in the precompiled header already */
			continue;
		}
		strvec_push(out, pf->args->v[k]);
	}
	strvec_push(out, "-include-pch");
	strvec_push(out, hg->pch);
	*headers = &hg->headers;
	return true;
}

double shared_headers_build_seconds(const struct shared_headers *sh,
				    unsigned *built)
{
	*built = sh ? sh->built : 0;
	return sh ? sh->build_seconds : 0;
}
