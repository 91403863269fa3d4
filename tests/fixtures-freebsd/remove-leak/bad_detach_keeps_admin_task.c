/* attach unwinds correctly, but detach tears down the handler, releases
 * the IRQ resource and the vectors and forgets taskqgroup_detach(): the
 * admin task stays on the shared config queue group after the softc is
 * freed (iflib's skipped detach, which made a later unload panic). */
#include <sys/bus.h>
#include <sys/gtaskqueue.h>
#include <dev/pci/pcivar.h>

struct foo_softc {
	device_t dev;
	struct resource *irq_res;
	int irq_rid;
	void *intr_tag;
	struct grouptask admin_task;
};

static void foo_admin(void *arg);
static void foo_intr(void *arg);

static int
foo_attach(device_t dev)
{
	struct foo_softc *sc = device_get_softc(dev);
	int count, error;

	sc->dev = dev;
	GROUPTASK_INIT(&sc->admin_task, 0, foo_admin, sc);
	taskqgroup_attach(qgroup_if_config_tqg, &sc->admin_task, sc, dev, NULL,
			  "admin");
	count = pci_msix_count(dev);
	if (count == 0) {
		error = ENXIO;
		goto fail_detach;
	}
	if (pci_alloc_msix(dev, &count) != 0) {
		error = ENXIO;
		goto fail_detach;
	}
	if (count < 2) {
		device_printf(dev, "one vector, no MSI or INTx fallback\n");
		pci_release_msi(dev);
		taskqgroup_detach(qgroup_if_config_tqg, &sc->admin_task);
		return (ENXIO);
	}
	sc->irq_rid = 1;
	sc->irq_res = bus_alloc_resource_any(dev, SYS_RES_IRQ, &sc->irq_rid,
					     RF_ACTIVE);
	if (sc->irq_res == NULL) {
		error = ENXIO;
		goto fail_msi;
	}
	error = bus_setup_intr(dev, sc->irq_res, INTR_TYPE_NET | INTR_MPSAFE,
			       NULL, foo_intr, sc, &sc->intr_tag);
	if (error) {
		device_printf(dev, "cannot set up the interrupt\n");
		goto fail_res;
	}
	return (0);
fail_res:
	bus_release_resource(dev, SYS_RES_IRQ, sc->irq_rid, sc->irq_res);
fail_msi:
	pci_release_msi(dev);
fail_detach:
	taskqgroup_detach(qgroup_if_config_tqg, &sc->admin_task);
	return (error);
}

static int
foo_detach(device_t dev)
{
	struct foo_softc *sc = device_get_softc(dev);

	bus_teardown_intr(dev, sc->irq_res, sc->intr_tag);
	bus_release_resource(dev, SYS_RES_IRQ, sc->irq_rid, sc->irq_res);
	pci_release_msi(dev);
	return (0); /* expect: remove-leak */
}

static device_method_t foo_methods[] = {
	DEVMETHOD(device_attach, foo_attach),
	DEVMETHOD(device_detach, foo_detach),
	DEVMETHOD_END
};
