/* attach sets up the interrupt handler on the MSI-X vector's IRQ
 * resource; detach releases the resource and the vectors but never calls
 * bus_teardown_intr(): the vectors go while the handler is attached (the
 * missing teardown of iflib's cleanup, which made a later unload panic). */
#include <sys/bus.h>
#include <dev/pci/pcivar.h>

struct foo_softc {
	device_t dev;
	struct resource *irq_res;
	int irq_rid;
	void *intr_tag;
};

static void foo_intr(void *arg);

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

	bus_release_resource(dev, SYS_RES_IRQ, sc->irq_rid, sc->irq_res); /* expect: free-with-handlers */
	pci_release_msi(dev); /* expect: free-with-handlers */
	return (0);
}

static device_method_t foo_methods[] = {
	DEVMETHOD(device_attach, foo_attach),
	DEVMETHOD(device_detach, foo_detach),
	DEVMETHOD_END
};
