/* A library without a method table, as iflib.c would be without its
 * pseudo-device: the exported attach returns (lib_register(...)), and
 * lib_register() keeps the admin task attached when its queue allocation
 * fails. The task must reach the attach through lib_register()'s summary
 * as the vectors would. */
#include <sys/bus.h>
#include <sys/gtaskqueue.h>
#include <dev/pci/pcivar.h>

struct lib_ctx {
	device_t ifc_dev;
	struct grouptask ifc_admin_task;
};
typedef struct lib_ctx *lib_ctx_t;

lib_ctx_t lib_ctx_alloc(void *sc);
int lib_queues_alloc(lib_ctx_t ctx);
static void lib_admin(void *arg);

static int
lib_register(device_t dev, lib_ctx_t *ctxp)
{
	lib_ctx_t ctx = lib_ctx_alloc(NULL);
	int err;

	ctx->ifc_dev = dev;
	GROUPTASK_INIT(&ctx->ifc_admin_task, 0, lib_admin, ctx);
	taskqgroup_attach(qgroup_if_config_tqg, &ctx->ifc_admin_task, ctx, dev,
			  NULL, "admin");
	if ((err = lib_queues_alloc(ctx)) != 0)
		return (err); /* expect: error-path-leak */
	*ctxp = ctx;
	return (0);
}

int
lib_attach(device_t dev)
{
	lib_ctx_t ctx;

	return (lib_register(dev, &ctx));
}
