/* iflib_device_register() of FreeBSD 12.0 with the tree's headers: so
 * many of its ways leave different tasks attached that its summary keeps
 * none of them apart (more than the summary holds), and the exported
 * attach passes its result on with return (lib_register(...)). The admin
 * task attached first, and the queue tasks of the configuration, are
 * still attached when the queue allocation fails: the leak is at
 * lib_register()'s failing return, where the task was attached (not at
 * the attach's return, "acquired" at the call). One finding there names
 * every task kept. */
#include <sys/bus.h>
#include <sys/gtaskqueue.h>
#include <dev/pci/pcivar.h>

struct lib_ctx {
	device_t ifc_dev;
	int ifc_want_rx, ifc_want_tx, ifc_want_vflr, ifc_want_link;
	struct grouptask ifc_admin_task;
	struct grouptask ifc_rx_task, ifc_tx_task, ifc_vflr_task;
	struct grouptask ifc_link_task;
};
typedef struct lib_ctx *lib_ctx_t;

lib_ctx_t lib_ctx_alloc(void *sc);
int lib_queues_alloc(lib_ctx_t ctx);
static void lib_task(void *arg);

static int
lib_register(device_t dev, lib_ctx_t *ctxp)
{
	lib_ctx_t ctx = lib_ctx_alloc(NULL);
	int err;

	ctx->ifc_dev = dev;
	GROUPTASK_INIT(&ctx->ifc_admin_task, 0, lib_task, ctx);
	taskqgroup_attach(qgroup_if_config_tqg, &ctx->ifc_admin_task, ctx, dev,
			  NULL, "admin");
	if (ctx->ifc_want_rx)
		taskqgroup_attach(qgroup_if_config_tqg, &ctx->ifc_rx_task, ctx,
				  dev, NULL, "rx");
	if (ctx->ifc_want_tx)
		taskqgroup_attach(qgroup_if_config_tqg, &ctx->ifc_tx_task, ctx,
				  dev, NULL, "tx");
	if (ctx->ifc_want_vflr)
		taskqgroup_attach(qgroup_if_config_tqg, &ctx->ifc_vflr_task,
				  ctx, dev, NULL, "vflr");
	if (ctx->ifc_want_link)
		taskqgroup_attach(qgroup_if_config_tqg, &ctx->ifc_link_task,
				  ctx, dev, NULL, "link");
	if ((err = lib_queues_alloc(ctx)) != 0)
		goto fail;
	*ctxp = ctx;
	return (0);
fail:
	return (err); /* expect: error-path-leak */
}

int
lib_attach(device_t dev)
{
	lib_ctx_t ctx;

	return (lib_register(dev, &ctx));
}
