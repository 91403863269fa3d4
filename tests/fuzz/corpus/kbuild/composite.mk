obj-$(CONFIG_FOO) += foo.o
foo-y := a.o b-c.o \
	 sub/d.o
foo-$(CONFIG_BAR) += extra.o
foo-objs += more.o
EXTRA_CFLAGS += -I$(obj) -U$(NAME)
override x = y
export y := z
DIR := $(srctree)/x
ccflags-y += -I$(DIR) $(call cc-option,-foo)
include $(src)/missing/Kbuild
