inner-y := sub/d.o a.o
outer-y += $(inner-y) $(
obj-$(CONFIG_FOO) += outer.o
CFLAGS_a.o += -I ${obj}/x -D${CONFIG_NAME} -U$(undefined
subdir-ccflags-$(CONFIG_BAR) += -I../up -Dz=$(CONFIG_NAME)
