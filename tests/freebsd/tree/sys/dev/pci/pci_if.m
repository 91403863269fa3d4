# Reduced kobj interface for irqcheck's FreeBSD tree test.
INTERFACE pci;
METHOD int alloc_msi {
	device_t dev;
};
