/* Where irqcheck's data files are (see datadir.h): the environment, the
 * installed share/irqcheck/ found from the binary's own path, or the
 * source tree of a build directory. The two compiled-in paths come from
 * cmake/install.cmake. */
#include <stdlib.h>

#include "datadir.h"
#include "util.h"

#ifndef IRQCHECK_SOURCE_DIR
#error "IRQCHECK_SOURCE_DIR (the source tree) is set by the build"
#endif
#ifndef IRQCHECK_DATA_FROM_BIN
#error "IRQCHECK_DATA_FROM_BIN (share/irqcheck from bin/) is set by the build"
#endif

/* <dir of the running binary>/<IRQCHECK_DATA_FROM_BIN>/<name>, or NULL
 * when /proc/self/exe cannot be read. */
static char *installed_dir(const char *name)
{
	char *exe = path_real("/proc/self/exe"), *bindir, *dir;

	if (!exe)
		return NULL;
	bindir = path_dirname(exe);
	dir = xasprintf("%s/%s/%s", bindir, IRQCHECK_DATA_FROM_BIN, name);
	free(bindir);
	free(exe);
	return dir;
}

char *data_dir(const char *name, const char *env)
{
	const char *value = getenv(env);
	char *installed, *source;

	if (value && *value)
		return xstrdup(value);
	installed = installed_dir(name);
	if (installed && path_is_dir(installed)) {
		/* /usr/share/irqcheck/rules, not /usr/bin/../share/... */
		char *real = path_real(installed);
		if (real) {
			free(installed);
			return real;
		}
		return installed;
	}
	source = path_join(IRQCHECK_SOURCE_DIR, name);
	if (path_is_dir(source) || !installed) {
		free(installed);
		return source;
	}
	free(source);
	return installed;
}
