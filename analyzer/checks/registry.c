/* The one list of rules, in reporting order, and the lookups on it. It
 * knows the rules by their struct check only. */
#include "checks/check_list.h"

#include <stdlib.h>
#include <string.h>

static const struct check *const all_checks[] = {
    &check_hybrid_double_free,	&check_implicit_devres_release,
    &check_error_path_leak,	&check_double_free,
    &check_mismatched_release,	&check_remove_leak,
    &check_free_with_handlers,	&check_irq_handler_leak,
    &check_handler_double_free, &check_use_after_free,
    &check_shutdown_leak,	&check_wrong_handler_free,
};

#define NCHECKS (sizeof(all_checks) / sizeof(all_checks[0]))

unsigned long check_default_mask(void)
{
	size_t i;
	unsigned long mask = 0;

	for (i = 0; i < NCHECKS; i++)
		if (!all_checks[i]->off_by_default)
			mask |= 1UL << i;
	return mask;
}

unsigned long check_mask_of(const char *id)
{
	size_t i;

	for (i = 0; i < NCHECKS; i++)
		if (!strcmp(all_checks[i]->id, id))
			return 1UL << i;
	return 0;
}

size_t check_select(unsigned long mask, const struct check **out)
{
	size_t i, n = 0;

	for (i = 0; i < NCHECKS; i++)
		if (mask & (1UL << i))
			out[n++] = all_checks[i];
	return n;
}

const struct check *const *check_registry(size_t *n)
{
	*n = NCHECKS;
	return all_checks;
}

const struct check *check_find(const char *id)
{
	size_t i;

	for (i = 0; i < NCHECKS; i++)
		if (!strcmp(all_checks[i]->id, id))
			return all_checks[i];
	return NULL;
}

const char *check_static_id(const char *id)
{
	const struct check *c = check_find(id);

	if (c)
		return c->id;
	if (!strcmp(id, SUPPRESSION_RULE))
		return SUPPRESSION_RULE;
	return "irqcheck";
}
