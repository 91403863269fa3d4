/* Reduced machine/bus.h for irqcheck's FreeBSD tree test; reached only
 * through the machine link prepare makes. */
#include <x86/bus_types.h>
