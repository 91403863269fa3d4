/* irqcheck prepare SRC [--build OBJ] [--config FILE]: makes a kernel build
 * directory ready for scanning (make olddefconfig prepare). The config is
 * FILE, else Debian's packaged config for the tree's version, else
 * defconfig. With --build nothing is written into SRC. */
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
#include "util.h"

static const char prepare_usage[] =
	"usage: irqcheck prepare SRC [--build OBJ] [--config FILE] [-j N]\n"
	"\n"
	"Runs 'make olddefconfig prepare' for the kernel tree SRC, in OBJ when\n"
	"given (SRC is then left untouched). The configuration comes from\n"
	"FILE (.xz accepted), else Debian's linux-config package for the\n"
	"tree's version, else 'make defconfig'. The make output goes to\n"
	"OBJ/irqcheck-prepare.log.\n";

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

int cmd_prepare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "build", required_argument, NULL, 'b' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *build = NULL, *config = NULL;
	char *src, *obj, *log, *err = NULL, *version, *debian = NULL;
	char jobs[32], *objarg;
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
	if (config && !path_is_file(config)) {
		fprintf(stderr, "irqcheck prepare: configuration %s does not "
				"exist.\n", config);
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
	if (!config && version) {
		debian = xasprintf("/usr/src/linux-config-%s/"
				   "config.amd64_none_amd64.xz", version);
		if (path_is_file(debian))
			config = debian;
	}
	snprintf(jobs, sizeof(jobs), "-j%lld", ncpu > 0 ? ncpu : 1);
	objarg = xasprintf("O=%s", obj);
	if (config) {
		if (!install_config(config, obj, &err)) {
			fprintf(stderr, "irqcheck prepare: %s.\n", err);
			rc = 2;
			goto out;
		}
		fprintf(stderr, "irqcheck prepare: using configuration %s\n",
			config);
	} else {
		char *argv_def[] = { "make", "-C", src, objarg, "defconfig", NULL };
		fprintf(stderr, "irqcheck prepare: no configuration given or "
				"packaged: using defconfig\n");
		if (run_logged(argv_def, log)) {
			fprintf(stderr, "irqcheck prepare: 'make defconfig' "
					"failed; see %s.\n", log);
			rc = 2;
			goto out;
		}
	}
	{
		char *argv_make[] = { "make", "-C", src, objarg, jobs,
				      "olddefconfig", "prepare", NULL };
		if (!build)
			argv_make[3] = "-s";
		fprintf(stderr, "irqcheck prepare: make olddefconfig prepare in "
				"%s\n", obj);
		rc = run_logged(argv_make, log);
		if (rc) {
			fprintf(stderr, "irqcheck prepare: 'make olddefconfig "
					"prepare' failed (status %d); see %s.\n",
				rc, log);
			rc = 2;
			goto out;
		}
	}
	printf("%s\n", obj);
	rc = 0;
out:
	free(objarg);
	free(debian);
	free(version);
	free(log);
	free(obj);
	free(src);
	return rc;
}
