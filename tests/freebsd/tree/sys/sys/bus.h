/* Reduced sys/bus.h for irqcheck's FreeBSD tree test. Without -D_KERNEL
 * it refuses to be used, as kernel headers do. */
#ifndef _KERNEL
#error "kernel header used outside the kernel"
#endif
#ifndef __x86_64__
#error "not parsed for x86_64"
#endif
#include <machine/bus.h>
#define NULL ((void *)0)
#define ENXIO 6
typedef struct device *device_t;
struct resource;
typedef void driver_intr_t(void *);
struct resource *bus_alloc_resource_any(device_t, int, int *, unsigned);
int bus_release_resource(device_t, int, int, struct resource *);
int bus_setup_intr(device_t, struct resource *, int, void *, driver_intr_t *,
		   void *, void **);
int bus_teardown_intr(device_t, struct resource *, void *);
void *device_get_softc(device_t);
typedef struct { const char *name; void *fn; } device_method_t;
#define DEVMETHOD(n, f) { #n, (void *)f }
#define DEVMETHOD_END { 0, 0 }
