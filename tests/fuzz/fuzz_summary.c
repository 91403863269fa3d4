/* Fuzz target: the stored form of what a file offers its module
 * (module_summary_from_json(), module_links_from_json()). Text that reads
 * as a summary or as links must survive a round trip: written again,
 * read again and written once more, the two texts are equal. A summary
 * read is then imported into a translation unit (module_import()), as a
 * caller in another file of the module does. */
#include "checks/check_list.h"
#include "engine/module.h"
#include "fuzz.h"

/* The translation unit summaries are imported into: one for many inputs
 * (its site index is large), emptied now and then. */
static struct tu_ctx tu;

static void import(const struct portable_summary *p)
{
	static unsigned imported;
	size_t i;

	module_import(&tu, p);
	if (++imported % 1000)
		return;
	for (i = 0; i < tu.nsummaries; i++) {
		summary_release(tu.summaries[i]);
		free(tu.summaries[i]);
	}
	free(tu.summaries);
	engine_release_sites(&tu);
	arena_free(&tu.arena);
	memset(&tu, 0, sizeof(tu));
}

/* Stops the run when the text written after a round trip differs from
 * the first; frees both. */
static void same_texts(const char *what, char *first, char *second)
{
	if (strcmp(first, second)) {
		fprintf(stderr, "%s round trip differs:\n%s\n%s\n", what, first,
			second);
		abort();
	}
	free(first);
	free(second);
}

static void summary_round_trip(const char *text)
{
	struct portable_summary *p =
	    module_summary_from_json(text, check_static_id);
	struct portable_summary *q;
	char *first, *second;

	if (!p)
		return;
	first = module_summary_json(p);
	FUZZ_CHECK(!strcmp(first, p->text));
	q = module_summary_from_json(first, check_static_id);
	FUZZ_CHECK(q != NULL);
	second = module_summary_json(q);
	same_texts("summary", first, second);
	import(p);
	module_summary_free(p);
	module_summary_free(q);
}

static void links_round_trip(const char *text)
{
	struct module_exports a = {0}, b = {0};
	char *first, *second;

	if (!module_links_from_json(text, &a)) {
		module_exports_release(&a);
		return;
	}
	first = module_links_json(&a);
	FUZZ_CHECK(module_links_from_json(first, &b));
	second = module_links_json(&b);
	same_texts("links", first, second);
	module_exports_release(&a);
	module_exports_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);

	summary_round_trip(text);
	links_round_trip(text);
	free(text);
	return 0;
}
