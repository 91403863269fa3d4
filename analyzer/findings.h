/* Findings: what a check reports (rule, place, message and the path that
 * proves it), and lists of them. Strings are owned by the finding. */
#ifndef IRQCHECK_FINDINGS_H
#define IRQCHECK_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR };

struct finding_step {
	char *file;
	unsigned line, col;
	char *text;
};

struct finding {
	const char *rule; /* static: from the check registry */
	enum severity severity;
	char *file;
	unsigned line, col;
	char *function;
	char *message;
	struct finding_step *steps;
	size_t nsteps;
	char *suppressed; /* the reason of an inline suppression, or NULL */
	char *unproven;	  /* why its path is not shown feasible (it rests
			     on a value the analysis could not establish),
			     or NULL */
};

/* True when a finding is shown, counted and gated by default: it is
 * neither suppressed inline nor unproven. */
static inline bool finding_counts(const struct finding *f)
{
	return !f->suppressed && !f->unproven;
}

/* The rule id of findings about a suppression comment itself. */
#define SUPPRESSION_RULE "suppression-without-reason"

struct finding_list {
	struct finding *items;
	size_t n, cap;
};

void finding_copy(struct finding *dst, const struct finding *src);
void finding_release(struct finding *f);
void finding_list_push(struct finding_list *l, struct finding *f);
void finding_list_release(struct finding_list *l);
/* Sorts by file, line, column and rule. */
void finding_list_sort(struct finding_list *l);
const char *severity_name(enum severity s);

#endif
