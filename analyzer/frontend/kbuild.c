/* Kbuild flag synthesis (see kbuild.h). The Makefiles are read, not run:
 * assignments are collected with $(CONFIG_*), $(srctree), $(src) and
 * $(obj) expanded; conditionals are ignored, so a flag set under an ifdef
 * is applied anyway, which only ever adds include paths and defines. */
#include "frontend/kbuild.h"
#include "frontend/freebsd_tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct kbuild_var {
	char *name;	/* expanded: obj-$(CONFIG_FOO) is obj-m, obj-y or obj- */
	char *raw_name; /* as written */
	char *value;
};

struct kbuild_makefile {
	char *dir; /* relative to src, "" for the top */
	struct kbuild_var *vars;
	size_t nvars, cap;
};

static bool load_config(struct kernel_tree *kt, const char *path, char **err)
{
	size_t len;
	char *text = read_file(path, &len), *line, *next;

	if (!text) {
		*err = xasprintf("cannot read %s: %s", path, strerror(errno));
		return false;
	}
	memset(&kt->config, 0, sizeof(kt->config));
	if (!hcreate_r(65536, &kt->config)) {
		free(text);
		*err = xstrdup("cannot index the kernel configuration");
		return false;
	}
	for (line = text; line; line = next) {
		char *eq;
		ENTRY item, *found;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "CONFIG_", 7) || !(eq = strchr(line, '=')))
			continue;
		*eq = '\0';
		item.key = hsearch_key(line + 7);
		item.data = xstrdup(eq + 1);
		ARRAY_PUSH(kt->config_keys, kt->nconfig, kt->cap_config, item.key);
		ARRAY_PUSH(kt->config_keys, kt->nconfig, kt->cap_config,
			   (char *)item.data);
		hsearch_r(item, ENTER, &found, &kt->config);
	}
	free(text);
	return true;
}

const char *kernel_config(struct kernel_tree *kt, const char *name)
{
	ENTRY item = { .key = hsearch_key(name) }, *found = NULL;
	bool known = hsearch_r(item, FIND, &found, &kt->config);

	free(item.key);
	return known ? found->data : NULL;
}

/* Why a path that should be a directory is not one, or NULL. */
static char *not_a_directory(const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return xasprintf("%s %s does not exist", what, path);
	if (!S_ISDIR(st.st_mode))
		return xasprintf("%s %s is a file, not a directory", what,
				 path);
	return NULL;
}

/* What a build directory holds once 'make prepare' has finished: the
 * configuration, and generated headers from its first step to its last
 * (asm-offsets.h is made last). A tree where one is missing would parse
 * with errors in every header, so it is refused before any parse. */
static char *unprepared_part(const struct kernel_tree *kt)
{
	static const char *const needed[] = {
	    ".config",
	    "include/config/auto.conf",
	    "include/generated/autoconf.h",
	    "include/generated/uapi/linux/version.h",
	    "include/generated/bounds.h",
	    "include/generated/asm-offsets.h",
	};
	size_t i;
	char *p;

	for (i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		p = path_join(kt->obj, needed[i]);
		if (!path_is_file(p)) {
			free(p);
			return xstrdup(needed[i]);
		}
		free(p);
	}
	if (kt->arch) {
		char *rel =
		    xasprintf("arch/%s/include/generated/asm", kt->arch);
		p = path_join(kt->obj, rel);
		if (!path_is_dir(p)) {
			free(p);
			return rel;
		}
		free(p);
		free(rel);
	}
	return NULL;
}

/* What the front end needs of an architecture's Makefile
 * (arch/ARCH/Makefile): clang's target and the flags that change what
 * the headers declare; code generation options are left out (arm64's
 * -mgeneral-regs-only, x86's retpolines). */
struct kbuild_arch {
	const char *dir;    /* under arch/ */
	const char *symbol; /* the configuration symbol that selects it */
	const char *target; /* clang --target */
	const char *const *flags;
	/* flags that follow the configuration, or NULL */
	void (*config_flags)(struct kernel_tree *kt, struct strvec *args);
};

static const char *const x86_64_flags[] = {
    "-m64",
    "-mno-sse",
    "-mno-mmx",
    "-mno-sse2",
    "-mno-3dnow",
    "-mno-avx",
    "-mno-red-zone",
    "-mcmodel=kernel",
    "-DCC_USING_FENTRY",
    NULL,
};
static const char *const x86_32_flags[] = {
    "-m32",	  "-mregparm=3", "-freg-struct-return",
    "-mno-sse",	  "-mno-mmx",	 "-mno-sse2",
    "-mno-3dnow", "-mno-avx",	 NULL,
};
static const char *const arm64_flags[] = {NULL};

/* arch/arm64/Makefile: byte order, the KASAN shadow scale (defined empty
 * without KASAN, as Kbuild does), the assembler's architecture level for
 * inline assembly, and the ftrace entry the headers test. */
static void arm64_config_flags(struct kernel_tree *kt, struct strvec *args)
{
	static const char *const levels[][2] = {
	    {"AS_HAS_ARMV8_5", "armv8.5-a"},
	    {"AS_HAS_ARMV8_4", "armv8.4-a"},
	    {"AS_HAS_ARMV8_3", "armv8.3-a"},
	    {"AS_HAS_ARMV8_2", "armv8.2-a"},
	};
	const char *shift = "";
	size_t i;

	strvec_push(args, kernel_config(kt, "CPU_BIG_ENDIAN")
			      ? "-mbig-endian"
			      : "-mlittle-endian");
	if (kernel_config(kt, "KASAN_SW_TAGS"))
		shift = "4";
	else if (kernel_config(kt, "KASAN_GENERIC"))
		shift = "3";
	strvec_pushf(args, "-DKASAN_SHADOW_SCALE_SHIFT=%s", shift);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (kernel_config(kt, levels[i][0])) {
			strvec_pushf(args, "-DARM64_ASM_ARCH=\"%s\"",
				     levels[i][1]);
			break;
		}
	if (kernel_config(kt, "DYNAMIC_FTRACE_WITH_CALL_OPS") ||
	    kernel_config(kt, "DYNAMIC_FTRACE_WITH_ARGS"))
		strvec_push(args, "-DCC_USING_PATCHABLE_FUNCTION_ENTRY");
}

static const struct kbuild_arch arches[] = {
    {"x86", "X86_64", "x86_64-linux-gnu", x86_64_flags, NULL},
    {"x86", "X86_32", "i386-linux-gnu", x86_32_flags, NULL},
    {"arm64", "ARM64", "aarch64-linux-gnu", arm64_flags, arm64_config_flags},
};

/* The architecture the configuration is for. */
static bool pick_arch(struct kernel_tree *kt, char **err)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (kernel_config(kt, arches[i].symbol)) {
			kt->arch_info = &arches[i];
			kt->arch = xstrdup(arches[i].dir);
			return true;
		}
	*err = xasprintf("kernel tree %s is configured for an architecture "
			 "irqcheck does not support yet (x86 and arm64 only)",
			 kt->obj);
	return false;
}

/* Whether the tree's Kbuild sets $(src) to the relative $(obj), as
 * before 6.10 (since, it is $(srctree)/$(obj) in an out-of-tree build,
 * and Makefiles no longer write $(srctree)/$(src)). */
static bool src_is_relative(const char *src)
{
	char *path = path_join(src, "scripts/Makefile.build");
	char *text = read_file(path, NULL), *line, *save = NULL;
	bool relative = false;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strcmp(line, "src := $(obj)"))
			relative = true;
	free(text);
	free(path);
	return relative;
}

static bool refuse_unprepared(struct kernel_tree *kt, const char *src,
			      const char *obj, const char *missing, char **err)
{
	char *log = path_join(kt->obj, "irqcheck-prepare.log");
	bool unfinished = path_is_file(log);

	*err = xasprintf(
	    "%s %s is not prepared (%s is missing%s%s): run "
	    "'irqcheck prepare %s%s%s'",
	    obj ? "build directory" : "kernel tree", kt->obj, missing,
	    unfinished ? "; the last prepare did not finish, see " : "",
	    unfinished ? log : "", src, obj ? " --build " : "", obj ? obj : "");
	free(log);
	kernel_tree_close(kt);
	return false;
}

bool kernel_tree_open(struct kernel_tree *kt, const char *src,
		      const char *obj, char **err)
{
	char *p, *missing;

	memset(kt, 0, sizeof(*kt));
	*err = not_a_directory("kernel tree", src);
	if (*err)
		return false;
	kt->src = path_real(src);
	if (freebsd_tree_is(kt->src))
		return freebsd_tree_open(kt, src, obj, err);
	p = path_join(kt->src, "include/linux/pci.h");
	if (!path_is_file(p)) {
		*err = xasprintf("%s is not a Linux source tree (no "
				 "include/linux/pci.h)", src);
		free(p);
		kernel_tree_close(kt);
		return false;
	}
	free(p);
	if (obj && (*err = not_a_directory("build directory", obj))) {
		if (!path_is_file(obj)) {
			free(*err);
			*err = xasprintf("build directory %s does not exist: "
					 "run 'irqcheck prepare %s --build %s' "
					 "first",
					 obj, src, obj);
		}
		kernel_tree_close(kt);
		return false;
	}
	kt->obj = obj ? path_real(obj) : xstrdup(kt->src);
	p = path_join(kt->obj, ".config");
	if (!path_is_file(p)) {
		free(p);
		return refuse_unprepared(kt, src, obj, ".config", err);
	}
	if (!load_config(kt, p, err)) {
		free(p);
		kernel_tree_close(kt);
		return false;
	}
	free(p);
	if (!pick_arch(kt, err)) {
		kernel_tree_close(kt);
		return false;
	}
	kt->src_relative = src_is_relative(kt->src);
	missing = unprepared_part(kt);
	if (missing) {
		bool refused = refuse_unprepared(kt, src, obj, missing, err);
		free(missing);
		return refused;
	}
	return true;
}

static void free_makefile(struct kbuild_makefile *m)
{
	size_t i;

	for (i = 0; i < m->nvars; i++) {
		free(m->vars[i].name);
		free(m->vars[i].raw_name);
		free(m->vars[i].value);
	}
	free(m->vars);
	free(m->dir);
	free(m);
}

void kernel_tree_close(struct kernel_tree *kt)
{
	size_t i;

	if (kt->config_keys)
		hdestroy_r(&kt->config);
	for (i = 0; i < kt->nconfig; i++)
		free(kt->config_keys[i]);
	free(kt->config_keys);
	for (i = 0; i < kt->nmakefiles; i++)
		free_makefile(kt->makefiles[i]);
	free(kt->makefiles);
	free(kt->src);
	free(kt->obj);
	free(kt->arch);
	memset(kt, 0, sizeof(*kt));
}

static const char *var(struct kbuild_makefile *m, const char *name);

/* Past this length an expansion substitutes nothing more. */
#define EXPANSION_MAX (256 * 1024)

/* The ")" or "}" closing the reference that opens at s ("$(" or "${"),
 * past nested ones, or NULL. */
static const char *reference_end(const char *s)
{
	char open = s[1], close = open == '(' ? ')' : '}';
	int depth = 0;

	for (s++; *s; s++) {
		if (*s == open)
			depth++;
		else if (*s == close && --depth == 0)
			return s;
	}
	return NULL;
}

/* Expands the references we understand: configuration symbols, the
 * tree's directories and variables the Makefile set earlier. Others stay
 * as they are (and flags holding them are dropped later). $(src) is the
 * source directory: relative, like $(obj), in trees before 6.10, and
 * $(srctree)/$(obj) since (kt->src_relative tells which). */
static char *expand(struct kernel_tree *kt, struct kbuild_makefile *m,
		    const char *s)
{
	const char *dir = *m->dir ? m->dir : ".";
	struct strbuf sb;

	sb_init(&sb);
	while (*s) {
		const char *close = NULL;
		char *name;
		if (sb.len > EXPANSION_MAX) {
			/* a variable doubling itself: keep the rest as is */
			sb_adds(&sb, s);
			break;
		}
		if (s[0] == '$' && (s[1] == '(' || s[1] == '{'))
			close = reference_end(s);
		if (!close) {
			sb_add(&sb, s, 1);
			s++;
			continue;
		}
		name = xstrndup(s + 2, (size_t)(close - s - 2));
		if (!strncmp(name, "CONFIG_", 7)) {
			const char *v = kernel_config(kt, name + 7);
			if (v)
				sb_adds(&sb, v);
		} else if (!strcmp(name, "srctree")) {
			sb_adds(&sb, kt->src);
		} else if (!strcmp(name, "objtree")) {
			sb_adds(&sb, kt->obj);
		} else if (!strcmp(name, "src") && kt->src_relative) {
			sb_adds(&sb, dir);
		} else if (!strcmp(name, "src")) {
			sb_addf(&sb, "%s%s%s", kt->src, *m->dir ? "/" : "",
				m->dir);
		} else if (!strcmp(name, "obj")) {
			sb_adds(&sb, dir);
		} else if (var(m, name)) {
			sb_adds(&sb, var(m, name));
		} else {
			sb_add(&sb, s, (size_t)(close - s + 1));
		}
		free(name);
		s = close + 1;
	}
	return sb_detach(&sb);
}

static void add_var(struct kbuild_makefile *m, const char *name,
		    const char *raw_name, const char *value, bool append)
{
	size_t i;

	/* Object lists stay apart per raw name (obj-$(CONFIG_A) and
	 * obj-$(CONFIG_B) both unset must keep their symbols); everything
	 * else merges by expanded name (ccflags-y and ccflags-$(CONFIG_X)). */
	bool keep_raw = !strncmp(name, "obj-", 4);

	for (i = 0; i < m->nvars; i++)
		if (keep_raw ? !strcmp(m->vars[i].raw_name, raw_name)
			     : !strcmp(m->vars[i].name, name)) {
			char *v = append ? xasprintf("%s %s", m->vars[i].value,
						     value)
					 : xstrdup(value);
			free(m->vars[i].value);
			m->vars[i].value = v;
			return;
		}
	{
		struct kbuild_var v = { xstrdup(name), xstrdup(raw_name),
					xstrdup(value) };
		ARRAY_PUSH(m->vars, m->nvars, m->cap, v);
	}
}

/* Adds "-I dir" for a directory a Makefile names. The compiler runs in
 * the build directory, so a relative one is under it; the source tree's
 * directory of the same name is added too (in-tree, they are one), as
 * Kbuild did for relative -I before out-of-tree builds needed
 * $(srctree). */
static void add_include_dir(struct kernel_tree *kt, struct strvec *args,
			    const char *dir)
{
	char *in_obj, *in_src;

	if (dir[0] == '/') {
		strvec_pushf(args, "-I%s", dir);
		return;
	}
	in_obj = path_join(kt->obj, dir);
	in_src = path_join(kt->src, dir);
	strvec_pushf(args, "-I%s", in_obj);
	if (strcmp(in_obj, in_src))
		strvec_pushf(args, "-I%s", in_src);
	free(in_obj);
	free(in_src);
}

/* A file a Makefile names relative to the build directory, else to the
 * source tree (make searches --include-dir=$(srctree) after the current
 * directory). Caller frees. */
static char *tree_file(struct kernel_tree *kt, const char *path)
{
	char *p;

	if (path[0] == '/')
		return xstrdup(path);
	p = path_join(kt->obj, path);
	if (path_is_file(p))
		return p;
	free(p);
	return path_join(kt->src, path);
}

/* The file list of an "include", "-include" or "sinclude" line, or NULL. */
static const char *include_directive(const char *line)
{
	static const char *const words[] = {"include", "-include", "sinclude"};
	size_t i, n;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		if (!strncmp(line, words[i], n) &&
		    (line[n] == ' ' || line[n] == '\t'))
			return line + n + 1;
	}
	return NULL;
}

static void parse_makefile(struct kernel_tree *kt, struct kbuild_makefile *m,
			   char *text, int depth)
{
	char *line = text, *next;

	/* join continuation lines */
	for (char *p = text; *p; p++)
		if (p[0] == '\\' && p[1] == '\n')
			p[0] = p[1] = ' ';
	for (; line; line = next) {
		char *op, *name, *value, *hash;
		bool append = false;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (include_directive(line) && depth < 4) {
			/* nouveau's Kbuild includes one Kbuild per subdir;
			 * amdgpu's Makefile the Makefiles of amdkfd, pm... */
			char *path = expand(kt, m, include_directive(line));
			char *save = NULL, *w;
			for (w = strtok_r(path, " \t", &save); w;
			     w = strtok_r(NULL, " \t", &save)) {
				char *file = tree_file(kt, w);
				char *sub = read_file(file, NULL);
				if (sub) {
					parse_makefile(kt, m, sub, depth + 1);
					free(sub);
				}
				free(file);
			}
			free(path);
			continue;
		}
		op = strstr(line, "=");
		if (!op || op == line)
			continue;
		value = op + 1;
		while (*value == ' ' || *value == '\t')
			value++;
		if (op[-1] == '+' || op[-1] == ':' || op[-1] == '?') {
			append = op[-1] == '+';
			op--;
		}
		*op = '\0';
		if (!strncmp(line, "export ", 7) || !strncmp(line, "override ", 9))
			continue;
		for (char *e = op - 1; e >= line && (*e == ' ' || *e == '\t'); e--)
			*e = '\0';
		if (!*line || strchr(line, ' ') || strchr(line, '\t'))
			continue;
		name = expand(kt, m, line);
		value = expand(kt, m, value);
		add_var(m, name, line, value, append);
		free(name);
		free(value);
	}
}

static struct kbuild_makefile *makefile_for(struct kernel_tree *kt,
					    const char *dir)
{
	struct kbuild_makefile *m;
	const char *names[] = { "Kbuild", "Makefile" };
	size_t i;

	for (i = 0; i < kt->nmakefiles; i++)
		if (!strcmp(kt->makefiles[i]->dir, dir))
			return kt->makefiles[i];
	m = xcalloc(1, sizeof(*m));
	m->dir = xstrdup(dir);
	for (i = 0; i < 2; i++) {
		char *rel = *dir ? xasprintf("%s/%s", dir, names[i])
				 : xstrdup(names[i]);
		char *path = path_join(kt->src, rel);
		char *text = read_file(path, NULL);
		free(rel);
		free(path);
		if (text) {
			parse_makefile(kt, m, text, 0);
			free(text);
			break;
		}
	}
	ARRAY_PUSH(kt->makefiles, kt->nmakefiles, kt->cap_makefiles, m);
	return m;
}

static const char *var(struct kbuild_makefile *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nvars; i++)
		if (!strcmp(m->vars[i].name, name))
			return m->vars[i].value;
	return NULL;
}

static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (list && (p = strstr(p, word))) {
		bool start = p == list || p[-1] == ' ' || p[-1] == '\t';
		bool end = !p[n] || p[n] == ' ' || p[n] == '\t';
		if (start && end)
			return true;
		p += n;
	}
	return false;
}

/* Copies the preprocessor-relevant flags of a variable of m. Variables
 * set with "=" may name variables set after them: what is still
 * unexpanded is expanded again now that the whole Makefile is read. */
static void add_cpp_flags(struct kernel_tree *kt, struct kbuild_makefile *m,
			  struct strvec *args, const char *name)
{
	const char *flags = var(m, name);
	char *copy, *save = NULL, *w;
	int round;

	if (!flags)
		return;
	copy = xstrdup(flags);
	for (round = 0; round < 4 && strstr(copy, "$("); round++) {
		char *again = expand(kt, m, copy);
		bool same = !strcmp(again, copy);
		free(copy);
		copy = again;
		if (same)
			break;
	}
	for (w = strtok_r(copy, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		const char *arg = NULL;
		bool include = !strcmp(w, "-include");
		if (strstr(w, "$("))
			continue;
		if (!strcmp(w, "-I") || include) {
			arg = strtok_r(NULL, " \t", &save);
			if (!arg || strstr(arg, "$("))
				continue;
		} else if (!strncmp(w, "-I", 2)) {
			arg = w + 2;
		}
		if (include) {
			char *file = tree_file(kt, arg);
			strvec_push(args, w);
			strvec_push(args, file);
			free(file);
		} else if (arg) {
			add_include_dir(kt, args, arg);
		} else if (!strncmp(w, "-D", 2) || !strncmp(w, "-U", 2)) {
			strvec_push(args, w);
		}
	}
	free(copy);
}

struct object_info {
	char *builder; /* directory whose Makefile builds the object */
	char mode;     /* 'm', 'y', or 0 when the configuration skips it */
	char *modname; /* the module (or composite object) it belongs to */
	char *config;  /* the CONFIG_ symbol deciding that, when known */
};

/* The configuration symbol in a raw variable name "obj-$(CONFIG_FOO)". */
static char *config_of(const char *raw)
{
	const char *p = strstr(raw, "$(CONFIG_"), *e;

	if (!p || !(e = strchr(p, ')')))
		return NULL;
	return xstrndup(p + 2, (size_t)(e - p - 2));
}

/* Finds "obj-* += name" among the Makefile's object lists. */
static bool find_in_obj_lists(struct kbuild_makefile *m, const char *name,
			      struct object_info *info)
{
	size_t i;

	for (i = 0; i < m->nvars; i++) {
		const char *n = m->vars[i].name;
		if (strncmp(n, "obj-", 4) || !word_in(m->vars[i].value, name))
			continue;
		if (!strcmp(n, "obj-m"))
			info->mode = 'm';
		else if (!strcmp(n, "obj-y"))
			info->mode = 'y';
		else
			info->mode = 0;
		free(info->config);
		info->config = config_of(m->vars[i].raw_name);
		return true;
	}
	return false;
}

/* The composite object ("foo" of foo-y/foo-objs/foo-$(CONFIG_X)) whose
 * list holds name, or NULL. A list that only feeds another one
 * (nouveau's nvkm-y, added to nouveau-y) loses to a composite an obj-
 * list names. Caller frees. */
static char *composite_holding(struct kbuild_makefile *m, const char *name)
{
	struct object_info ignored = {0};
	char *first = NULL;
	size_t i;

	for (i = 0; i < m->nvars; i++) {
		const char *n = m->vars[i].name;
		size_t len = strlen(n), cut = 0;
		char *composite, *cobj;
		bool listed;
		if (!strncmp(n, "obj-", 4) || !strncmp(n, "ccflags", 7) ||
		    !strncmp(n, "subdir-", 7) || !strncmp(n, "lib-", 4) ||
		    !word_in(m->vars[i].value, name))
			continue;
		if (len > 2 && (!strcmp(n + len - 2, "-y") ||
				!strcmp(n + len - 2, "-m")))
			cut = 2;
		else if (len > 5 && !strcmp(n + len - 5, "-objs"))
			cut = 5;
		else if (len > 1 && n[len - 1] == '-')
			cut = 1;
		if (!cut)
			continue;
		composite = xstrndup(n, len - cut);
		cobj = xasprintf("%s.o", composite);
		listed = find_in_obj_lists(m, cobj, &ignored);
		free(cobj);
		if (listed) {
			free(first);
			free(ignored.config);
			return composite;
		}
		if (first)
			free(composite);
		else
			first = composite;
	}
	free(ignored.config);
	return first;
}

/* Finds the Makefile that builds dir/base.o (the file's own directory, or
 * an ancestor listing "sub/base.o"), and how the configuration builds it. */
static void find_object(struct kernel_tree *kt, const char *dir,
			const char *base, struct object_info *info)
{
	char *at = xstrdup(dir), *rel = xasprintf("%s.o", base);
	int depth;

	memset(info, 0, sizeof(*info));
	for (depth = 0; depth < 6; depth++) {
		struct kbuild_makefile *m = makefile_for(kt, at);
		char *composite = NULL, *slash, *up;
		if (find_in_obj_lists(m, rel, info) ||
		    (composite = composite_holding(m, rel))) {
			info->builder = at;
			info->modname = xstrdup(base);
			if (composite) {
				char *cobj = xasprintf("%s.o", composite);
				free(info->modname);
				info->modname = composite;
				if (!find_in_obj_lists(m, cobj, info)) {
					/* composite listed further up */
					info->mode = 0;
				}
				free(cobj);
			}
			free(rel);
			return;
		}
		if (!*at)
			break;
		slash = strrchr(at, '/');
		up = xasprintf("%s/%s", slash ? slash + 1 : at, rel);
		free(rel);
		rel = up;
		*(slash ? slash : at) = '\0';
	}
	free(rel);
	info->builder = xstrdup(dir);
	info->modname = xstrdup(base);
	free(at);
}

/* A source path's directory ("" at the top) and its name without the
 * extension, as find_object() takes them. Caller frees both. */
static void split_source_path(const char *relpath, char **dir, char **base)
{
	const char *slash = strrchr(relpath, '/');
	char *p;

	*dir = slash ? xstrndup(relpath, (size_t)(slash - relpath))
		     : xstrdup("");
	*base = xstrdup(slash ? slash + 1 : relpath);
	if ((p = strrchr(*base, '.')))
		*p = '\0';
}

void kernel_unset_switches(struct kernel_tree *kt, const char *relpath,
			   struct strvec *configs)
{
	char *dir, *base, *at;
	struct object_info obj;

	split_source_path(relpath, &dir, &base);
	find_object(kt, dir, base, &obj);
	if (!obj.mode && obj.config && !kernel_config(kt, obj.config + 7))
		strvec_push(configs, obj.config);
	/* each directory up to the tree's top, as its parent lists it */
	at = xstrdup(obj.builder);
	while (*at) {
		struct object_info sub = { 0 };
		char *cut = strrchr(at, '/'), *child;
		child = xasprintf("%s/", cut ? cut + 1 : at);
		*(cut ? cut : at) = '\0';
		if (find_in_obj_lists(makefile_for(kt, at), child, &sub) &&
		    !sub.mode && sub.config &&
		    !kernel_config(kt, sub.config + 7) &&
		    !strvec_has(configs, sub.config))
			strvec_push(configs, sub.config);
		free(sub.config);
		free(child);
	}
	free(at);
	free(obj.builder);
	free(obj.modname);
	free(obj.config);
	free(dir);
	free(base);
}

bool kernel_flags_for(struct kernel_tree *kt, const char *relpath,
		      struct strvec *args)
{
	const char *s = kt->src, *o = kt->obj, *a = kt->arch;
	char *dir, *base, *p, *cflags_name, *bdir;
	struct object_info obj;
	bool built;
	size_t i;

	if (kt->freebsd)
		return freebsd_tree_flags(kt, relpath, args);
	split_source_path(relpath, &dir, &base);
	find_object(kt, dir, base, &obj);
	bdir = obj.builder;

	strvec_push(args, "-nostdinc");
	strvec_pushf(args, "-I%s/arch/%s/include", s, a);
	strvec_pushf(args, "-I%s/arch/%s/include/generated", o, a);
	strvec_pushf(args, "-I%s/include", s);
	strvec_pushf(args, "-I%s/include", o);
	strvec_pushf(args, "-I%s/arch/%s/include/uapi", s, a);
	strvec_pushf(args, "-I%s/arch/%s/include/generated/uapi", o, a);
	strvec_pushf(args, "-I%s/include/uapi", s);
	strvec_pushf(args, "-I%s/include/generated/uapi", o);
	strvec_push(args, "-include");
	strvec_pushf(args, "%s/include/linux/compiler-version.h", s);
	strvec_push(args, "-include");
	strvec_pushf(args, "%s/include/linux/kconfig.h", s);
	strvec_push(args, "-include");
	strvec_pushf(args, "%s/include/linux/compiler_types.h", s);
	strvec_push(args, "-D__KERNEL__");
	strvec_push(args, "-std=gnu11");
	strvec_push(args, "-fshort-wchar");
	strvec_push(args, "-funsigned-char");
	strvec_push(args, "-fno-common");
	strvec_pushf(args, "--target=%s", kt->arch_info->target);
	for (i = 0; kt->arch_info->flags[i]; i++)
		strvec_push(args, kt->arch_info->flags[i]);
	if (kt->arch_info->config_flags)
		kt->arch_info->config_flags(kt, args);

	/* subdir-ccflags-y of every directory from the top down to the
	 * building Makefile's, then its ccflags-y and CFLAGS_base.o. */
	{
		char *walk = xstrdup(bdir);
		size_t len = strlen(walk);
		for (i = 0; i <= len; i++) {
			if (i == len || walk[i] == '/') {
				char saved = walk[i];
				walk[i] = '\0';
				add_cpp_flags(kt, makefile_for(kt, walk), args,
					      "subdir-ccflags-y");
				walk[i] = saved;
			}
		}
		free(walk);
	}
	{
		struct kbuild_makefile *m = makefile_for(kt, bdir);
		add_cpp_flags(kt, m, args, "ccflags-y");
		add_cpp_flags(kt, m, args, "EXTRA_CFLAGS");
		cflags_name = xasprintf("CFLAGS_%s.o", base);
		add_cpp_flags(kt, m, args, cflags_name);
		free(cflags_name);
	}
	strvec_pushf(args, "-I%s/%s", s, bdir);
	if (strcmp(s, o))
		strvec_pushf(args, "-I%s/%s", o, bdir);

	for (p = obj.modname; *p; p++)
		if (*p == '-')
			*p = '_';
	built = obj.mode != 0;
	if (!built && obj.config) {
		/* Not built by this configuration: parse it as the module
		 * it would be when its own option is enabled. */
		strvec_pushf(args, "-D%s_MODULE=1", obj.config);
		obj.mode = 'm';
	}
	if (obj.mode == 'm')
		strvec_push(args, "-DMODULE");
	else /* built in (or not built): MODULE_LICENSE() names the file */
		strvec_pushf(args, "-DKBUILD_MODFILE=\"%s%s%s\"", bdir,
			     *bdir ? "/" : "", obj.modname);
	for (p = base; *p; p++)
		if (*p == '-')
			*p = '_';
	strvec_pushf(args, "-DKBUILD_BASENAME=\"%s\"", base);
	strvec_pushf(args, "-DKBUILD_MODNAME=\"%s\"", obj.modname);
	strvec_pushf(args, "-D__KBUILD_MODNAME=kmod_%s", obj.modname);
	free(obj.modname);
	free(obj.config);
	free(obj.builder);
	free(dir);
	free(base);
	return built;
}
