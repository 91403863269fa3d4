/* Reduced x86/bus_types.h for irqcheck's FreeBSD tree test. */
#define SYS_RES_IRQ 1
#define RF_ACTIVE 0x0002
