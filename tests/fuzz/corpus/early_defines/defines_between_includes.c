#define DEBUG
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/pci.h>
#undef FOO
#include "local.h"
#define AFTER 1
int x;
