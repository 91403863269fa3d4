/* Stand-in for FreeBSD's <sys/bus.h> and <sys/rman.h>: devices, resources,
 * interrupt set-up and the DEVMETHOD table, as the fixtures use them. */
#ifndef _FIXTURE_SYS_BUS_H_
#define _FIXTURE_SYS_BUS_H_

#include <sys/param.h>

typedef struct device *device_t;
struct resource;

#define SYS_RES_IRQ 1
#define SYS_RES_MEMORY 3
#define RF_ACTIVE 0x0002
#define RF_SHAREABLE 0x0004
#define INTR_TYPE_NET 4
#define INTR_MPSAFE 512

typedef int driver_filter_t(void *);
typedef void driver_intr_t(void *);

void *device_get_softc(device_t dev);
int device_printf(device_t dev, const char *fmt, ...);
struct resource *bus_alloc_resource_any(device_t dev, int type, int *rid,
					u_int flags);
int bus_release_resource(device_t dev, int type, int rid,
			 struct resource *r);
int bus_setup_intr(device_t dev, struct resource *r, int flags,
		   driver_filter_t filter, driver_intr_t handler, void *arg,
		   void **cookiep);
int bus_teardown_intr(device_t dev, struct resource *r, void *cookie);
int bus_generic_detach(device_t dev);

typedef int (*devop_t)(void);
typedef struct {
	const char *desc;
	devop_t func;
} device_method_t;
#define DEVMETHOD(NAME, FUNC) { #NAME, (devop_t)FUNC }
#define DEVMETHOD_END { 0, 0 }

typedef struct {
	const char *name;
	device_method_t *methods;
	size_t size;
} driver_t;

#endif
