/* Reduced dev/pci/pcivar.h for irqcheck's FreeBSD tree test. */
#include <sys/bus.h>
int pci_alloc_msi(device_t, int *);
int pci_release_msi(device_t);
int pci_msi_count(device_t);
