/* The fix for the iflib case: the single-vector failure releases the
 * MSI-X vector before it returns. Clean. */
#include <sys/bus.h>
#include <dev/pci/pcivar.h>

struct foo_softc {
	device_t dev;
	int nvec;
};

static int foo_setup_queues(struct foo_softc *sc);

static int
foo_attach(device_t dev)
{
	struct foo_softc *sc = device_get_softc(dev);
	int count, error;

	sc->dev = dev;
	count = pci_msix_count(dev);
	if (count == 0)
		return (ENXIO);
	if (pci_alloc_msix(dev, &count) != 0)
		return (ENXIO);
	if (count < 2) {
		device_printf(dev, "need an admin and a queue vector\n");
		pci_release_msi(dev);
		return (ENXIO);
	}
	sc->nvec = count;
	error = foo_setup_queues(sc);
	if (error) {
		pci_release_msi(dev);
		return (error);
	}
	return (0);
}

static int
foo_detach(device_t dev)
{
	pci_release_msi(dev);
	return (0);
}

static device_method_t foo_methods[] = {
	DEVMETHOD(device_attach, foo_attach),
	DEVMETHOD(device_detach, foo_detach),
	DEVMETHOD_END
};
