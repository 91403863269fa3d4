/* Stand-in for FreeBSD's <dev/pci/pcivar.h>: the MSI/MSI-X interface the
 * fixtures use. */
#ifndef _FIXTURE_PCIVAR_H_
#define _FIXTURE_PCIVAR_H_

#include <sys/bus.h>

int pci_msix_count(device_t dev);
int pci_msi_count(device_t dev);
int pci_alloc_msix(device_t dev, int *count);
int pci_alloc_msi(device_t dev, int *count);
int pci_release_msi(device_t dev);
int pci_enable_busmaster(device_t dev);

#endif
