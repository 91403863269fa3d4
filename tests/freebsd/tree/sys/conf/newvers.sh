# Reduced for irqcheck's FreeBSD tree test: only the version line is read.
REVISION="12.0"
