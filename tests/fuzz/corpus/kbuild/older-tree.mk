FULL_PATH=$(srctree)/$(src)/..
LATER_DIR = $(FULL_PATH)/$(FOLDER)
FOLDER = display
NOUVEAU_PATH ?= $(srctree)
ccflags-y := -I$(FULL_PATH)/include \
	-I $(LATER_DIR)/dc -I $(NOUVEAU_PATH)/$(src)/nvkm \
	-Idrivers/fuzz -include $(src)/cfg.h -I
sinclude $(src)/sub/Kbuild $(obj)/other.mk
-include ${srctree}/missing.mk
include
obj-${CONFIG_FOO} += a.o
foo-y := $(call cc-option,$(if $(CONFIG_BAR),-x,-y)) b-c.o
a-objs := sub/d.o
