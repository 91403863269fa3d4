/* Fuzz target: inline suppression comments (suppress_parse()) in any
 * source text. Each suppression found names a rule made of rule-id
 * characters, sits on a line of the text, in order, and has a reason
 * that is either absent or trimmed and non-empty. */
#include <ctype.h>

#include "fuzz.h"
#include "suppress.h"

static bool rule_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct suppression *s;
	size_t n, i, j, len = strlen(text);
	unsigned lines = 1;

	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	suppress_parse(text, &s, &n);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(s[i].line >= 1 && s[i].line <= lines);
		FUZZ_CHECK(i == 0 || s[i].line >= s[i - 1].line);
		FUZZ_CHECK(s[i].rule && s[i].rule[0]);
		for (j = 0; s[i].rule[j]; j++)
			FUZZ_CHECK(rule_char(s[i].rule[j]));
		if (s[i].reason) {
			size_t r = strlen(s[i].reason);
			FUZZ_CHECK(r > 0 &&
				   !isspace((unsigned char)s[i].reason[0]) &&
				   !isspace((unsigned char)s[i].reason[r - 1]));
		}
	}
	suppressions_free(s, n);
	free(text);
	return 0;
}
