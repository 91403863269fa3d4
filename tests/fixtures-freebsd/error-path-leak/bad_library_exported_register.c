/* Modelled on iflib_pseudo_register() in FreeBSD 12's iflib.c: an
 * exported function that drivers call from their attach, in a file whose
 * own method table names a pseudo-device's attach defined elsewhere. It
 * attaches the admin task and, when the driver's attach-post step fails,
 * returns the error without detaching it. */
#include <sys/bus.h>
#include <sys/gtaskqueue.h>
#include <dev/pci/pcivar.h>

struct lib_ctx {
	device_t ifc_dev;
	struct grouptask ifc_admin_task;
};
typedef struct lib_ctx *lib_ctx_t;

lib_ctx_t lib_ctx_alloc(void *sc);
int lib_attach_post(lib_ctx_t ctx);
int noop_attach(device_t dev);
static int lib_pseudo_detach(device_t dev);
static void lib_admin(void *arg);

int
lib_pseudo_register(device_t dev, lib_ctx_t *ctxp)
{
	lib_ctx_t ctx = lib_ctx_alloc(NULL);
	int err;

	ctx->ifc_dev = dev;
	GROUPTASK_INIT(&ctx->ifc_admin_task, 0, lib_admin, ctx);
	taskqgroup_attach(qgroup_if_config_tqg, &ctx->ifc_admin_task, ctx, dev,
			  NULL, "admin");
	if ((err = lib_attach_post(ctx)) != 0) {
		device_printf(dev, "attach post failed %d\n", err);
		goto fail_detach;
	}
	*ctxp = ctx;
	return (0);
fail_detach:
	return (err); /* expect: error-path-leak */
}

static int
lib_pseudo_detach(device_t dev)
{
	return (0);
}

static device_method_t lib_pseudo_methods[] = {
	DEVMETHOD(device_attach, noop_attach),
	DEVMETHOD(device_detach, lib_pseudo_detach),
	DEVMETHOD_END
};
