/* The shape of iflib_device_register() in FreeBSD 12.0's sys/net/iflib.c
 * as tolerant mode reads it without a header: if_ctx_t and
 * if_shared_ctx_t come from the missing <net/iflib.h>, so each variable
 * of those types must stay a variable (an opaque type) for the
 * taskqgroup_attach(), the MSI-X allocation and the failure path's
 * releases to be analysed; 12's taskqgroup_attach() takes an irq number
 * (-1) where 13's takes the device; the pseudo-device's method table
 * names an attach no header declares; the exported attach passes the
 * result on with return (f(...)). The failure path releases the vectors
 * and leaves the admin task attached. */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/gtaskqueue.h>
#include <net/iflib.h>
#include <dev/pci/pcivar.h>

struct iflib_ctx {
	device_t ifc_dev;
	if_shared_ctx_t ifc_sctx;
	struct grouptask ifc_admin_task;
	int ifc_vectors;
};

static void _task_fn_admin(void *context);
static int iflib_pseudo_detach(device_t dev);

static int
iflib_msix_init(if_ctx_t ctx)
{
	device_t dev = ctx->ifc_dev;
	int vectors = pci_msix_count(dev);

	if (vectors < 2)
		return (0);
	if (pci_alloc_msix(dev, &vectors) != 0)
		return (0);
	return (vectors);
}

static void
iflib_free_intr_mem(if_ctx_t ctx)
{
	pci_release_msi(ctx->ifc_dev);
}

int
iflib_device_register(device_t dev, void *sc, if_shared_ctx_t sctx,
		      if_ctx_t *ctxp)
{
	int err, msix;
	if_ctx_t ctx;

	ctx = iflib_ctx_alloc(sc, sctx);
	ctx->ifc_dev = dev;
	GROUPTASK_INIT(&ctx->ifc_admin_task, 0, _task_fn_admin, ctx);
	taskqgroup_attach(qgroup_if_config_tqg, &ctx->ifc_admin_task, ctx, -1,
			  "admin");
	msix = iflib_msix_init(ctx);
	if ((err = iflib_queues_alloc(ctx))) {
		device_printf(dev, "Unable to allocate queue memory\n");
		goto fail;
	}
	ctx->ifc_vectors = msix;
	*ctxp = ctx;
	return (0);
fail:
	iflib_free_intr_mem(ctx);
	return (err); /* expect: error-path-leak */
}

int
iflib_device_attach(device_t dev)
{
	if_ctx_t ctx;
	if_shared_ctx_t sctx;

	sctx = iflib_sctx_of(dev);
	return (iflib_device_register(dev, NULL, sctx, &ctx));
}

static int
iflib_pseudo_detach(device_t dev)
{
	return (0);
}

static device_method_t iflib_pseudo_methods[] = {
	DEVMETHOD(device_attach, noop_attach),
	DEVMETHOD(device_detach, iflib_pseudo_detach),
	DEVMETHOD_END
};
