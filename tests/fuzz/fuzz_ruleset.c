/* Fuzz target: the rule pack reader (ruleset_parse()). Any text either
 * loads, and then every API it lists can be looked up by its name, or
 * is refused with one line naming the pack and why. */
#include "fuzz.h"
#include "ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL;
	struct ruleset *rs =
	    ruleset_parse((const char *)data, size, "fuzz.rules", &err);
	size_t i;

	if (!rs) {
		FUZZ_CHECK(err && !strncmp(err, "fuzz.rules", 10));
		FUZZ_CHECK(!strchr(err, '\n'));
		free(err);
		return 0;
	}
	FUZZ_CHECK(!err && rs->pack && rs->n_apis > 0);
	for (i = 0; i < rs->n_apis; i++) {
		const struct api_entry *e =
		    ruleset_lookup(rs, rs->apis[i].name);
		/* the last line naming a function wins */
		FUZZ_CHECK(e && !strcmp(e->name, rs->apis[i].name) &&
			   e >= &rs->apis[i]);
	}
	(void)ruleset_family_of_flags(rs, -1);
	ruleset_free(rs);
	return 0;
}
