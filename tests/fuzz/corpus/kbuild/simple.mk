# SPDX-License-Identifier: GPL-2.0
obj-$(CONFIG_FOO)	+= a.o
obj-$(CONFIG_BAR)	+= b-c.o
obj-$(CONFIG_NONE)	+= sub/
ccflags-y := -I$(src)/include -DDEBUG
ccflags-$(CONFIG_FOO) += -DFOO_ON
CFLAGS_a.o = -I$(srctree)/drivers/fuzz -include $(obj)/a.h
subdir-ccflags-y += -DSUB
