/* Stand-in for FreeBSD's <sys/gtaskqueue.h>: group tasks and the task
 * queue groups iflib attaches its admin and queue tasks to. */
#ifndef _FIXTURE_SYS_GTASKQUEUE_H_
#define _FIXTURE_SYS_GTASKQUEUE_H_

#include <sys/bus.h>

typedef void gtask_fn_t(void *context);

struct grouptask {
	gtask_fn_t *gt_fn;
	void *gt_context;
	void *gt_taskqueue;
};
struct taskqgroup;

extern struct taskqgroup *qgroup_if_config_tqg;

#define GROUPTASK_INIT(gtask, priority, func, context)                        \
	do {                                                                  \
		(gtask)->gt_fn = (func);                                      \
		(gtask)->gt_context = (context);                              \
		(gtask)->gt_taskqueue = 0;                                    \
	} while (0)

void taskqgroup_attach(struct taskqgroup *qgroup, struct grouptask *grptask,
		       void *uniq, device_t dev, struct resource *irq,
		       const char *name);
void taskqgroup_detach(struct taskqgroup *qgroup, struct grouptask *gtask);

#endif
