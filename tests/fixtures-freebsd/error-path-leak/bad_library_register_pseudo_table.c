/* Modelled on FreeBSD 12.0's iflib.c, a library that drivers call from
 * their attach: lib_device_register() attaches the admin task, a helper
 * allocates the MSI-X vectors, and the failure path gives the vectors
 * back but never calls taskqgroup_detach(). The exported attach passes
 * the result on with return (f(...)). The file has a method table of its
 * own, for a pseudo-device whose attach is a no-op defined elsewhere: its
 * exported functions are still where a driver's setup starts. */
#include <sys/bus.h>
#include <sys/gtaskqueue.h>
#include <dev/pci/pcivar.h>

struct lib_ctx {
	device_t ifc_dev;
	int ifc_nvec;
	struct grouptask ifc_admin_task;
};
typedef struct lib_ctx *lib_ctx_t;

lib_ctx_t lib_ctx_alloc(void *sc);
int lib_queues_alloc(lib_ctx_t ctx);
int noop_attach(device_t dev);
static int lib_pseudo_detach(device_t dev);
static void lib_admin(void *arg);

static int
lib_msix_init(lib_ctx_t ctx)
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
lib_free_intr_mem(lib_ctx_t ctx)
{
	pci_release_msi(ctx->ifc_dev);
}

int
lib_device_register(device_t dev, void *sc, lib_ctx_t *ctxp)
{
	lib_ctx_t ctx = lib_ctx_alloc(sc);
	int err, msix;

	ctx->ifc_dev = dev;
	GROUPTASK_INIT(&ctx->ifc_admin_task, 0, lib_admin, ctx);
	taskqgroup_attach(qgroup_if_config_tqg, &ctx->ifc_admin_task, ctx, dev,
			  NULL, "admin");
	msix = lib_msix_init(ctx);
	if ((err = lib_queues_alloc(ctx)) != 0) {
		device_printf(dev, "Unable to allocate queue memory\n");
		goto fail;
	}
	ctx->ifc_nvec = msix;
	*ctxp = ctx;
	return (0);
fail:
	lib_free_intr_mem(ctx);
	return (err); /* expect: error-path-leak */
}

int
lib_device_attach(device_t dev)
{
	lib_ctx_t ctx;

	return (lib_device_register(dev, NULL, &ctx));
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
