/* irqcheck prepare SRC [--build OBJ] [--arch ARCH] [--config FILE|TARGET]:
 * makes a kernel build directory ready for scanning (make olddefconfig
 * prepare, or make TARGET prepare). The config is FILE, a configuration
 * target of the tree's Makefile (allmodconfig, defconfig...), else
 * Debian's packaged config for the tree's version, else defconfig. With
 * --build nothing is written into SRC. A FreeBSD tree (sys/dev/pci/pcivar.h
 * and sys/tools/makeobjops.awk) gets what its module build generates,
 * into OBJ (frontend/freebsd_tree.c). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "frontend/freebsd_tree.h"
#include "util.h"

static const char prepare_usage[] =
    "usage: irqcheck prepare SRC [--build OBJ] [--arch ARCH]\n"
    "                        [--config FILE|TARGET] [-j N]\n"
    "\n"
    "Runs 'make olddefconfig prepare' for the kernel tree SRC, in OBJ when\n"
    "given (SRC is then left untouched). The configuration comes from\n"
    "FILE (.xz accepted), or is made by TARGET, a configuration target\n"
    "of the tree (allmodconfig, allyesconfig, defconfig, an arch's\n"
    "NAME_defconfig), else Debian's linux-config package for the tree's\n"
    "version (amd64), else 'make defconfig'. --arch ARCH (arm64, x86...)\n"
    "configures for that architecture. With --arch or a TARGET, make runs\n"
    "with LLVM=1 (clang, ld.lld: no cross compiler needed). The make\n"
    "output goes to OBJ/irqcheck-prepare.log.\n"
    "\n"
    "On a FreeBSD source tree (SRC/sys/dev/pci/pcivar.h), --build OBJ is\n"
    "required: OBJ gets what a module build generates, the kobj headers\n"
    "from every SRC/sys/**/*_if.m made with the tree's makeobjops.awk, an\n"
    "empty opt_*.h for each option header of sys/conf/options, and the\n"
    "machine and x86 include links.\n";

/* A FreeBSD tree: what a module build generates, into OBJ (frees src). */
static int prepare_freebsd(char *src, const char *build, bool configured)
{
	char *obj, *err = NULL;
	int rc = 2;

	if (!build || configured) {
		fprintf(stderr,
			"irqcheck prepare: %s is a FreeBSD tree: give "
			"--build OBJ and no --config or --arch.\n",
			src);
	} else if (mkdir(build, 0755) && errno != EEXIST) {
		fprintf(stderr, "irqcheck prepare: cannot create %s: %s.\n",
			build, strerror(errno));
	} else if (!freebsd_tree_prepare(src, obj = path_real(build), &err)) {
		fprintf(stderr, "irqcheck prepare: %s.\n", err);
		free(err);
		free(obj);
	} else {
		printf("%s\n", obj);
		free(obj);
		rc = 0;
	}
	free(src);
	return rc;
}

/* Runs argv with stdout and stderr appended to log; returns exit status. */
static int run_logged(char *const argv[], const char *log)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static char *tree_version(const char *src)
{
	char *mk = path_join(src, "Makefile"), *text = read_file(mk, NULL);
	int version = -1, patch = -1;
	char *line;

	free(mk);
	if (!text)
		return NULL;
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		sscanf(line, "VERSION = %d", &version);
		sscanf(line, "PATCHLEVEL = %d", &patch);
	}
	free(text);
	if (version < 0 || patch < 0)
		return NULL;
	return xasprintf("%d.%d", version, patch);
}

/* Writes the chosen config to OBJ/.config; returns false with *err set. */
static bool install_config(const char *config, const char *obj, char **err)
{
	char *dest = path_join(obj, ".config");
	size_t len = strlen(config);
	char *cmd;
	int rc;

	if (len > 3 && !strcmp(config + len - 3, ".xz"))
		cmd = xasprintf("xz -dc '%s' > '%s'", config, dest);
	else
		cmd = xasprintf("cp '%s' '%s'", config, dest);
	rc = system(cmd);
	free(cmd);
	if (rc) {
		*err = xasprintf("cannot install the configuration %s into %s",
				 config, dest);
		free(dest);
		return false;
	}
	free(dest);
	return true;
}

/* Whether name is a configuration target of the tree for srcarch:
 * one of Kconfig's own, or a defconfig file of the arch. */
static bool config_target(const char *src, const char *srcarch,
			  const char *name)
{
	static const char *const kconfig_targets[] = {
	    "defconfig",   "allmodconfig", "allyesconfig",
	    "allnoconfig", "tinyconfig",
	};
	size_t i, len = strlen(name);
	char *file;
	bool found;

	for (i = 0; i < sizeof(kconfig_targets) / sizeof(kconfig_targets[0]);
	     i++)
		if (!strcmp(name, kconfig_targets[i]))
			return true;
	if (strchr(name, '/') || len < 10 ||
	    strcmp(name + len - 10, "_defconfig"))
		return false;
	file = xasprintf("%s/arch/%s/configs/%s", src, srcarch, name);
	found = path_is_file(file);
	free(file);
	return found;
}

/* The arch/ directory of a make ARCH= value (x86_64 and i386 are x86). */
static const char *source_arch(const char *arch)
{
	if (!strcmp(arch, "x86_64") || !strcmp(arch, "i386"))
		return "x86";
	return arch;
}

static bool have_program(const char *name)
{
	char *cmd = xasprintf("command -v %s >/dev/null 2>&1", name);
	int rc = system(cmd);

	free(cmd);
	return rc == 0;
}

int cmd_prepare(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"build", required_argument, NULL, 'b'},
	    {"config", required_argument, NULL, 'c'},
	    {"arch", required_argument, NULL, 'a'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *build = NULL, *config = NULL, *arch = NULL, *target = NULL;
	char *src, *obj, *log, *err = NULL, *version, *debian = NULL;
	char jobs[32], *objarg, *archarg = NULL, *settings;
	bool llvm;
	long long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hj:", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			build = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'a':
			arch = optarg;
			break;
		case 'j':
			if (!parse_count(optarg, 256, &ncpu)) {
				fprintf(stderr, "irqcheck prepare: -j takes a "
						"number from 1 to 256.\n");
				return 2;
			}
			break;
		case 'h':
			fputs(prepare_usage, stdout);
			return 0;
		default:
			fputs(prepare_usage, stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fputs(prepare_usage, stderr);
		return 2;
	}
	src = path_real(argv[optind]);
	if (!src || !path_is_dir(src)) {
		fprintf(stderr, "irqcheck prepare: kernel tree %s does not "
				"exist.\n", argv[optind]);
		free(src);
		return 2;
	}
	if (freebsd_tree_is(src))
		return prepare_freebsd(src, build, config || arch);
	{
		char *pci = path_join(src, "include/linux/pci.h");
		bool ok = path_is_file(pci);
		free(pci);
		if (!ok) {
			fprintf(stderr, "irqcheck prepare: %s is not a Linux "
					"source tree.\n", src);
			free(src);
			return 2;
		}
	}
	if (arch) {
		char *dir = xasprintf("%s/arch/%s", src, source_arch(arch));
		bool ok = !strchr(arch, '/') && path_is_dir(dir);
		free(dir);
		if (!ok) {
			fprintf(stderr,
				"irqcheck prepare: %s has no architecture "
				"'%s' (no arch/%s directory).\n",
				src, arch, source_arch(arch));
			free(src);
			return 2;
		}
	}
	if (config && !path_is_file(config)) {
		if (!config_target(src, source_arch(arch ? arch : "x86"),
				   config)) {
			fprintf(stderr,
				"irqcheck prepare: configuration %s is "
				"neither a file nor a configuration "
				"target of the tree (allmodconfig, "
				"defconfig...).\n",
				config);
			free(src);
			return 2;
		}
		target = config;
		config = NULL;
	}
	/* no cross compiler here: another arch, or a configuration made
	 * from scratch, is configured and prepared with clang */
	llvm = arch || target;
	if (llvm && !have_program("clang")) {
		fprintf(stderr, "irqcheck prepare: --arch and configuration "
				"targets need clang, ld.lld and llvm-ar (make "
				"LLVM=1), and there is no clang on PATH.\n");
		free(src);
		return 2;
	}
	if (build && mkdir(build, 0755) && errno != EEXIST) {
		fprintf(stderr, "irqcheck prepare: cannot create %s: %s.\n",
			build, strerror(errno));
		free(src);
		return 2;
	}
	obj = build ? path_real(build) : xstrdup(src);
	log = path_join(obj, "irqcheck-prepare.log");
	unlink(log);
	version = tree_version(src);
	if (!config && !target && !arch && version) {
		debian = xasprintf("/usr/src/linux-config-%s/"
				   "config.amd64_none_amd64.xz", version);
		if (path_is_file(debian))
			config = debian;
	}
	snprintf(jobs, sizeof(jobs), "-j%lld", ncpu > 0 ? ncpu : 1);
	objarg = xasprintf("O=%s", obj);
	if (arch)
		archarg = xasprintf("ARCH=%s", arch);
	settings = xasprintf("%s%s%s", archarg ? archarg : "",
			     archarg ? " " : "", llvm ? "LLVM=1 " : "");
	if (config) {
		if (!install_config(config, obj, &err)) {
			fprintf(stderr, "irqcheck prepare: %s.\n", err);
			rc = 2;
			goto out;
		}
		fprintf(stderr, "irqcheck prepare: using configuration %s\n",
			config);
	} else {
		const char *what = target ? target : "defconfig";
		char *argv_def[8];
		size_t n = 0;
		argv_def[n++] = "make";
		argv_def[n++] = "-C";
		argv_def[n++] = src;
		argv_def[n++] = objarg;
		if (archarg)
			argv_def[n++] = archarg;
		if (llvm)
			argv_def[n++] = "LLVM=1";
		argv_def[n++] = (char *)what;
		argv_def[n] = NULL;
		if (target)
			fprintf(stderr, "irqcheck prepare: make %s%s\n",
				settings, target);
		else
			fprintf(stderr, "irqcheck prepare: no configuration "
					"given or packaged: using defconfig\n");
		if (run_logged(argv_def, log)) {
			fprintf(stderr,
				"irqcheck prepare: 'make %s%s' failed; "
				"see %s.\n",
				settings, what, log);
			rc = 2;
			goto out;
		}
	}
	{
		char *argv_make[10];
		size_t n = 0;
		argv_make[n++] = "make";
		argv_make[n++] = "-C";
		argv_make[n++] = src;
		argv_make[n++] = build ? objarg : "-s";
		argv_make[n++] = jobs;
		if (archarg)
			argv_make[n++] = archarg;
		if (llvm)
			argv_make[n++] = "LLVM=1";
		/* a file's configuration is completed first; one a target
		 * made is complete */
		if (!target)
			argv_make[n++] = "olddefconfig";
		argv_make[n++] = "prepare";
		argv_make[n] = NULL;
		fprintf(stderr, "irqcheck prepare: make %s%sprepare in %s\n",
			settings, target ? "" : "olddefconfig ", obj);
		rc = run_logged(argv_make, log);
		if (rc) {
			fprintf(stderr,
				"irqcheck prepare: 'make %s%sprepare' "
				"failed (status %d); see %s.\n",
				settings, target ? "" : "olddefconfig ", rc,
				log);
			rc = 2;
			goto out;
		}
	}
	printf("%s\n", obj);
	rc = 0;
out:
	free(objarg);
	free(archarg);
	free(settings);
	free(debian);
	free(version);
	free(log);
	free(obj);
	free(src);
	return rc;
}
