/* An error inside a macro expanded in the file: IDXDIFF() of iflib.c on
 * the size of a ring whose structure <net/mp_ring.h> would complete. The
 * member access through the incomplete structure decides nothing; it
 * must not cost the function it is in, whose failure path keeps the
 * admin task attached. */
#include <sys/param.h>
#include <sys/bus.h>
#include <sys/gtaskqueue.h>
#include <net/mp_ring.h>
#include <dev/pci/pcivar.h>

#define IDXDIFF(head, tail, wrap) \
	((head) >= (tail) ? (head) - (tail) : (wrap) - (tail) + (head))

struct foo_softc {
	device_t dev;
	struct ifmp_ring *ring;
	struct grouptask admin_task;
};

static void foo_admin(void *arg);

static int
foo_attach(device_t dev)
{
	struct foo_softc *sc = device_get_softc(dev);
	struct ifmp_ring *r = sc->ring;
	int avail;

	sc->dev = dev;
	taskqgroup_attach(qgroup_if_config_tqg, &sc->admin_task, sc, -1,
			  "admin");
	avail = IDXDIFF(r->cidx, r->pidx, r->size);
	if (avail == 0)
		return (ENOMEM); /* expect: error-path-leak */
	return (0);
}

static int
foo_detach(device_t dev)
{
	struct foo_softc *sc = device_get_softc(dev);

	taskqgroup_detach(qgroup_if_config_tqg, &sc->admin_task);
	return (0);
}

static device_method_t foo_methods[] = {
	DEVMETHOD(device_attach, foo_attach),
	DEVMETHOD(device_detach, foo_detach),
	DEVMETHOD_END
};
