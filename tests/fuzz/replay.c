/* The main() of a fuzz target built without libFuzzer (gcc): runs
 * LLVMFuzzerTestOneInput() once on every file given, and on every file
 * of every directory given (in name order), so that the seed corpus and
 * the regression inputs are replayed by every build.
 *   usage: TARGET FILE|DIR... */
#include <dirent.h>

#include "fuzz.h"
#include "util.h"

static int run_file(const char *path)
{
	size_t len;
	char *data = read_file(path, &len);

	if (!data) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

static int run_dir(const char *dir, size_t *count)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), i, bad = 0;

	if (n < 0) {
		fprintf(stderr, "replay: cannot read %s\n", dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		char *path = path_join(dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && path_is_file(path)) {
			bad |= run_file(path);
			++*count;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		if (path_is_dir(argv[i])) {
			bad |= run_dir(argv[i], &count);
		} else {
			bad |= run_file(argv[i]);
			count++;
		}
	}
	printf("replay: %zu inputs run\n", count);
	return bad;
}
