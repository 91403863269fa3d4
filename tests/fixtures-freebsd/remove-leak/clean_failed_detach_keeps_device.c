/* Clean: the shape of mpr/mps's detach. Detach first asks the driver
 * core to stop (mpr_free()), and when that fails returns its error
 * before tearing the interrupt down: in FreeBSD a detach that fails
 * leaves the device attached, handler, IRQ resource and vectors with
 * it, and a later detach releases them. Only a detach that returns
 * success must have given everything back. */
#include <sys/bus.h>
#include <dev/pci/pcivar.h>

struct foo_softc {
	device_t dev;
	struct resource *irq_res;
	int irq_rid;
	void *intr_tag;
};

static void foo_intr(void *arg);
int foo_core_stop(struct foo_softc *sc);

static int
foo_attach(device_t dev)
{
	struct foo_softc *sc = device_get_softc(dev);
	int count = 1, error;

	sc->dev = dev;
	if (pci_alloc_msix(dev, &count) != 0)
		return (ENXIO);
	sc->irq_rid = 1;
	sc->irq_res = bus_alloc_resource_any(dev, SYS_RES_IRQ, &sc->irq_rid,
					     RF_ACTIVE);
	if (sc->irq_res == NULL) {
		pci_release_msi(dev);
		return (ENXIO);
	}
	error = bus_setup_intr(dev, sc->irq_res, INTR_TYPE_NET | INTR_MPSAFE,
			       NULL, foo_intr, sc, &sc->intr_tag);
	if (error) {
		bus_release_resource(dev, SYS_RES_IRQ, sc->irq_rid, sc->irq_res);
		pci_release_msi(dev);
		return (error);
	}
	return (0);
}

static int
foo_detach(device_t dev)
{
	struct foo_softc *sc = device_get_softc(dev);
	int error;

	if ((error = foo_core_stop(sc)) != 0)
		return (error);
	bus_teardown_intr(dev, sc->irq_res, sc->intr_tag);
	bus_release_resource(dev, SYS_RES_IRQ, sc->irq_rid, sc->irq_res);
	pci_release_msi(dev);
	return (0);
}

static device_method_t foo_methods[] = {
	DEVMETHOD(device_attach, foo_attach),
	DEVMETHOD(device_detach, foo_detach),
	DEVMETHOD_END
};
