/* Include paths made absolute (see abspath.h). */
#include "frontend/abspath.h"

#include <stdlib.h>
#include <string.h>

static const char *const path_options[] = {
	"-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", NULL,
};

/* The path part of args->v[i] when it is glued to its option ("-Ifoo"),
 * else NULL; *separate is set when the option takes the next argument. */
static const char *glued_path(const char *arg, bool *separate)
{
	size_t i, n;

	*separate = false;
	for (i = 0; path_options[i]; i++) {
		n = strlen(path_options[i]);
		if (strncmp(arg, path_options[i], n))
			continue;
		if (!arg[n]) {
			*separate = true;
			return NULL;
		}
		return arg + n;
	}
	return NULL;
}

static char *absolute(const char *option, const char *path, const char *dir)
{
	char *joined = path_join(dir, path), *out;

	out = xasprintf("%s%s", option, joined);
	free(joined);
	return out;
}

void flags_absolute_paths(struct strvec *args, const char *dir)
{
	size_t i;

	for (i = 0; i < args->n; i++) {
		bool separate;
		const char *p = glued_path(args->v[i], &separate);
		if (separate && i + 1 < args->n) {
			i++;
			p = args->v[i];
			if (p[0] && p[0] != '/') {
				char *abs = absolute("", p, dir);
				free(args->v[i]);
				args->v[i] = abs;
			}
			continue;
		}
		if (p && p[0] && p[0] != '/') {
			size_t optlen = (size_t)(p - args->v[i]);
			char *opt = xstrndup(args->v[i], optlen);
			char *abs = absolute(opt, p, dir);
			free(opt);
			free(args->v[i]);
			args->v[i] = abs;
		}
	}
}
