# Reduced kobj interface for irqcheck's FreeBSD tree test.
INTERFACE device;
METHOD int probe {
	device_t dev;
};
METHOD int attach {
	device_t dev;
};
