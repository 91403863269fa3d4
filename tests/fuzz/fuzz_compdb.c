/* Fuzz target: compile_commands.json. The input is written as the
 * database of a scratch directory (one per process); libclang parses the
 * JSON, and flags_open_compdb(), flags_compdb_files() and
 * flags_for_file() handle what it returns: the files listed and each
 * one's filtered arguments. A database that loads names its files by
 * absolute path. */
#include <unistd.h>

#include "frontend/flags.h"
#include "fuzz.h"

static char scratch[] = "/tmp/irqcheck-fuzz-compdb-XXXXXX";
static char *db_path;

static void remove_scratch(void)
{
	unlink(db_path);
	rmdir(scratch);
	free(db_path);
}

static void write_db(const uint8_t *data, size_t size)
{
	if (!db_path) {
		if (!mkdtemp(scratch))
			abort();
		db_path = path_join(scratch, "compile_commands.json");
		atexit(remove_scratch);
	}
	fuzz_write_file(db_path, data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct flag_source fs;
	struct strvec files = {0};
	char *err = NULL;
	size_t i;

	write_db(data, size);
	if (!flags_open_compdb(&fs, scratch, &err)) {
		FUZZ_CHECK(err && !strchr(err, '\n'));
		free(err);
		flags_close(&fs);
		return 0;
	}
	flags_compdb_files(&fs, &files);
	for (i = 0; i < files.n; i++) {
		struct strvec args = {0};
		bool not_built;
		FUZZ_CHECK(files.v[i][0] == '/');
		flags_for_file(&fs, files.v[i], NULL, &args, &not_built);
		FUZZ_CHECK(!not_built);
		strvec_free(&args);
	}
	strvec_free(&files);
	flags_close(&fs);
	return 0;
}
