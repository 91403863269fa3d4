/* Fuzz target: the macros C source defines above its includes
 * (shared_headers_defined_above_includes()), which decide whether a file
 * may be parsed on the shared headers. Each name is an identifier that
 * the text holds, listed once, never pr_fmt or dev_fmt; text with no
 * #include gives none. */
#include <ctype.h>

#include "frontend/shared_headers.h"
#include "fuzz.h"

static bool identifier(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return i > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	size_t len = strlen(text), i, j;
	struct strvec names = {0};

	shared_headers_defined_above_includes(text, len, &names);
	for (i = 0; i < names.n; i++) {
		FUZZ_CHECK(identifier(names.v[i]));
		FUZZ_CHECK(strstr(text, names.v[i]) != NULL);
		FUZZ_CHECK(strcmp(names.v[i], "pr_fmt") &&
			   strcmp(names.v[i], "dev_fmt"));
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(names.v[i], names.v[j]));
	}
	if (!strstr(text, "include"))
		FUZZ_CHECK(names.n == 0);
	strvec_free(&names);
	free(text);
	return 0;
}
