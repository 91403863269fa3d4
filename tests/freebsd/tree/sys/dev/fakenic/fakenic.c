/* A made-up FreeBSD driver for irqcheck's FreeBSD tree test: its attach
 * leaks the MSI vector when the interrupt resource cannot be had. It
 * parses only with what prepare generates (device_if.h, pci_if.h,
 * opt_inet.h, opt_fakenic_debug.h, machine/) and the kernel defines. */
#include "opt_inet.h"
#include "opt_fakenic_debug.h"
#include <dev/pci/pcivar.h>
#include "device_if.h"
#include "pci_if.h"

struct fakenic_softc {
	struct resource *irq;
	void *tag;
};

static void fakenic_intr(void *arg)
{
	(void)arg;
}

static int fakenic_attach(device_t dev)
{
	struct fakenic_softc *sc = device_get_softc(dev);
	int count = 1, rid = 1;

	if (pci_alloc_msi(dev, &count) != 0)
		return (ENXIO);
	sc->irq = bus_alloc_resource_any(dev, SYS_RES_IRQ, &rid, RF_ACTIVE);
	if (sc->irq == NULL)
		return (ENXIO);
	if (bus_setup_intr(dev, sc->irq, 0, NULL, fakenic_intr, sc,
			   &sc->tag) != 0) {
		bus_release_resource(dev, SYS_RES_IRQ, rid, sc->irq);
		pci_release_msi(dev);
		return (ENXIO);
	}
	return (0);
}

static int fakenic_detach(device_t dev)
{
	struct fakenic_softc *sc = device_get_softc(dev);

	bus_teardown_intr(dev, sc->irq, sc->tag);
	bus_release_resource(dev, SYS_RES_IRQ, 1, sc->irq);
	pci_release_msi(dev);
	return (0);
}

static device_method_t fakenic_methods[] = {
	DEVMETHOD(device_attach, fakenic_attach),
	DEVMETHOD(device_detach, fakenic_detach),
	DEVMETHOD_END
};
