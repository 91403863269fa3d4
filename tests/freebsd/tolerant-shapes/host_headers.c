/* Read in tolerant mode with no header at all: <sys/types.h> must not be
 * this machine's C library's (whose u_int typedef would clash with the
 * pack's own and leave the whole file unanalysed), so the attach below is
 * analysed and its leak of the vectors found. */
#include <sys/types.h>
#include <sys/param.h>
#include <sys/bus.h>
#include <dev/pci/pcivar.h>

struct foo_softc {
	device_t dev;
	u_int nvec;
	uint16_t flags;
};

int foo_setup_queues(struct foo_softc *sc);

static int
foo_attach(device_t dev)
{
	struct foo_softc *sc = device_get_softc(dev);
	int count = 1;

	sc->dev = dev;
	if (pci_alloc_msi(dev, &count) != 0)
		return (ENXIO);
	sc->nvec = count;
	if (foo_setup_queues(sc) != 0)
		return (ENXIO); /* expect: error-path-leak */
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
