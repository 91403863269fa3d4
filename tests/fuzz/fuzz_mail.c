/* Fuzz target: the mail reader of "gate --series": mail_is_mbox() and
 * mail_subject() on any text. A subject found is one line, trimmed. */
#include <stdbool.h>

#include "fuzz.h"
#include "gate/git.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *subject = mail_subject(text, size);

	FUZZ_CHECK(mail_is_mbox(text, size) ==
		   (size >= 5 && !memcmp(text, "From ", 5)));
	if (subject) {
		size_t n = strlen(subject);
		FUZZ_CHECK(!strchr(subject, '\n'));
		FUZZ_CHECK(!n ||
			   (subject[0] != ' ' && subject[0] != '\t' &&
			    subject[n - 1] != ' ' && subject[n - 1] != '\t'));
		free(subject);
	}
	return 0;
}
