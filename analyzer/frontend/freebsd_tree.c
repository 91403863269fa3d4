/* FreeBSD source trees (see freebsd_tree.h). */
#define _XOPEN_SOURCE 700
#include "frontend/freebsd_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* the header whose absence says prepare did not run or did not finish */
#define PREPARED_MARK "device_if.h"

bool freebsd_tree_is(const char *src)
{
	char *pcivar = path_join(src, "sys/dev/pci/pcivar.h");
	char *awk = path_join(src, "sys/tools/makeobjops.awk");
	bool is = path_is_file(pcivar) && path_is_file(awk);

	free(pcivar);
	free(awk);
	return is;
}

/* Runs awk -f SCRIPT M -h in dir obj; returns its exit status. */
static int run_awk(const char *script, const char *m, const char *obj)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 1);
		if (chdir(obj))
			_exit(126);
		execlp("awk", "awk", "-f", script, m, "-h", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* nftw has no user pointer: the .m files found go here */
static struct strvec *found_m;

static int collect_m(const char *path, const struct stat *st, int type,
		     struct FTW *ftw)
{
	size_t len = strlen(path);

	(void)st;
	(void)ftw;
	if (type == FTW_F && len > 5 && !strcmp(path + len - 5, "_if.m"))
		strvec_push(found_m, path);
	return 0;
}

/* Writes an empty OBJ/name unless it exists. */
static bool empty_header(const char *obj, const char *name, char **err)
{
	char *p = path_join(obj, name);
	int fd = open(p, O_WRONLY | O_CREAT, 0644);

	if (fd < 0) {
		*err = xasprintf("cannot write %s: %s", p, strerror(errno));
		free(p);
		return false;
	}
	close(fd);
	free(p);
	return true;
}

/* The option headers config(8) would write from one options file: the
 * file named on an option's line, else opt_<option in lower case>.h. */
static bool option_headers(const char *file, const char *obj, char **err)
{
	char *text = read_file(file, NULL), *line, *save = NULL;
	bool ok = true;

	if (!text)
		return true; /* options.ARCH is optional */
	for (line = strtok_r(text, "\n", &save); line && ok;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[128], hdr[160];
		int n = sscanf(line, " %127s %159s", name, hdr);
		size_t i;

		if (n < 1 || name[0] == '#')
			continue;
		if (n < 2 || strncmp(hdr, "opt_", 4) || strlen(hdr) < 3 ||
		    strcmp(hdr + strlen(hdr) - 2, ".h")) {
			for (i = 0; name[i]; i++)
				if (name[i] >= 'A' && name[i] <= 'Z')
					name[i] = (char)(name[i] - 'A' + 'a');
			snprintf(hdr, sizeof(hdr), "opt_%s.h", name);
		}
		if (strchr(hdr, '/'))
			continue;
		ok = empty_header(obj, hdr, err);
	}
	free(text);
	return ok;
}

static bool include_link(const char *src, const char *obj, const char *name,
			 const char *target, char **err)
{
	char *to = xasprintf("%s/sys/%s", src, target);
	char *at = path_join(obj, name);
	bool ok = true;

	unlink(at);
	if (symlink(to, at)) {
		*err = xasprintf("cannot link %s to %s: %s", at, to,
				 strerror(errno));
		ok = false;
	}
	free(to);
	free(at);
	return ok;
}

bool freebsd_tree_prepare(const char *src, const char *obj, char **err)
{
	char *sys = path_join(src, "sys");
	char *awk = path_join(sys, "tools/makeobjops.awk");
	char *opts = path_join(sys, "conf/options");
	char *opts_arch = path_join(sys, "conf/options.amd64");
	struct strvec m = { 0 };
	bool ok = true;
	size_t i;

	found_m = &m;
	if (nftw(sys, collect_m, 32, FTW_PHYS)) {
		*err = xasprintf("cannot read the tree %s", sys);
		ok = false;
	}
	for (i = 0; ok && i < m.n; i++) {
		int rc = run_awk(awk, m.v[i], obj);
		if (rc) {
			*err = xasprintf("awk -f %s %s -h failed (status %d)",
					 awk, m.v[i], rc);
			ok = false;
		}
	}
	if (ok && !m.n) {
		*err = xasprintf("%s holds no kobj interface (*_if.m)", sys);
		ok = false;
	}
	ok = ok && option_headers(opts, obj, err) &&
	     option_headers(opts_arch, obj, err) &&
	     include_link(src, obj, "machine", "amd64/include", err) &&
	     include_link(src, obj, "x86", "x86/include", err);
	if (ok) {
		char *mark = path_join(obj, PREPARED_MARK);
		if (!path_is_file(mark)) {
			*err = xasprintf("%s made no %s from the tree's "
					 "kern/device_if.m",
					 awk, PREPARED_MARK);
			ok = false;
		}
		free(mark);
	}
	strvec_free(&m);
	free(sys);
	free(awk);
	free(opts);
	free(opts_arch);
	return ok;
}

/* "freebsd12.0" from sys/conf/newvers.sh's REVISION, else "freebsd". */
static char *target_os(const char *src)
{
	char *p = path_join(src, "sys/conf/newvers.sh");
	char *text = read_file(p, NULL), *line, *save = NULL, *os = NULL;

	free(p);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line && !os;
	     line = strtok_r(NULL, "\n", &save)) {
		char rev[32];
		if (sscanf(line, "REVISION=\"%31[0-9.]\"", rev) == 1)
			os = xasprintf("freebsd%s", rev);
	}
	free(text);
	return os ? os : xstrdup("freebsd");
}

bool freebsd_tree_open(struct kernel_tree *kt, const char *src, const char *obj,
		       char **err)
{
	char *mark;

	kt->freebsd = true;
	if (!obj) {
		*err = xasprintf("%s is a FreeBSD tree: give --build OBJ, the "
				 "directory 'irqcheck prepare %s --build OBJ' "
				 "made",
				 src, src);
		kernel_tree_close(kt);
		return false;
	}
	kt->obj = path_real(obj);
	mark = kt->obj ? path_join(kt->obj, PREPARED_MARK) : NULL;
	if (!mark || !path_is_file(mark)) {
		*err = xasprintf("build directory %s has no %s: run "
				 "'irqcheck prepare %s --build %s' first",
				 obj, PREPARED_MARK, src, obj);
		free(mark);
		kernel_tree_close(kt);
		return false;
	}
	free(mark);
	kt->arch = target_os(kt->src);
	return true;
}

bool freebsd_tree_flags(struct kernel_tree *kt, const char *relpath,
			struct strvec *args)
{
	(void)relpath;
	strvec_pushf(args, "--target=x86_64-unknown-%s", kt->arch);
	strvec_push(args, "-nostdinc");
	strvec_push(args, "-std=gnu99");
	strvec_push(args, "-D_KERNEL");
	strvec_push(args, "-DKLD_MODULE");
	strvec_pushf(args, "-I%s", kt->obj);
	strvec_pushf(args, "-I%s/sys", kt->src);
	strvec_pushf(args, "-I%s/sys/contrib/ck/include", kt->src);
	return true;
}
