/* Unit tests of Kbuild flag synthesis on small fake trees made here:
 * per-directory and per-object flags, subdir flags, -DMODULE only for
 * objects the config builds as modules, composite module names, and the
 * error for an unprepared tree; the Makefile forms of older trees (a
 * relative $(src) under $(srctree), variables set later or in an
 * included Makefile, "-I dir"); and an arm64 configuration's target,
 * include directories and defines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/kbuild.h"
#include "unit.h"

static void put(const char *root, const char *rel, const char *text)
{
	char *path = path_join(root, rel), *p;
	FILE *f;

	for (p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

static bool has(struct strvec *v, const char *arg)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], arg))
			return true;
	return false;
}

static void flags(struct kernel_tree *kt, const char *rel, struct strvec *out)
{
	strvec_free(out);
	kernel_flags_for(kt, rel, out);
}

/* The files 'make prepare' leaves in a build directory for arch. */
static void prepared(const char *obj, const char *arch, const char *config)
{
	char *asm_dir = xasprintf("arch/%s/include/generated/asm/x.h", arch);

	put(obj, ".config", config);
	put(obj, "include/generated/autoconf.h", "");
	put(obj, "include/config/auto.conf", "");
	put(obj, "include/generated/uapi/linux/version.h", "");
	put(obj, "include/generated/bounds.h", "");
	put(obj, "include/generated/asm-offsets.h", "");
	put(obj, asm_dir, "");
	free(asm_dir);
}

/* -I and the directory, as one argument (the synthesis writes -Idir). */
static bool has_dir(struct strvec *v, const char *root, const char *rel)
{
	char *want = xasprintf("-I%s/%s", root, rel);
	bool found = has(v, want);

	free(want);
	return found;
}

/* A tree whose Kbuild sets $(src) to the relative $(obj), as before 6.10:
 * Makefiles write $(srctree)/$(src), often through a variable. */
static void test_relative_src(const char *root)
{
	char *s = path_join(root, "old-src"), *o = path_join(root, "old-obj");
	struct kernel_tree kt;
	struct strvec v = {0};
	char *err = NULL;

	put(s, "include/linux/pci.h", "");
	put(s, "scripts/Makefile.build", "src := $(obj)\n");
	/* amdgpu: a path variable, a Makefile included through it, and a
	 * "=" variable naming one set after it */
	put(s, "drivers/gpu/amd/amdgpu/Makefile",
	    "FULL_AMD_PATH=$(srctree)/$(src)/..\n"
	    "DISPLAY = $(FULL_AMD_PATH)/$(DISPLAY_FOLDER)\n"
	    "DISPLAY_FOLDER = display\n"
	    "ccflags-y := -I$(FULL_AMD_PATH)/include \\\n"
	    "\t-I$(DISPLAY)/dc\n"
	    "AMDKFD_PATH := ../amdkfd\n"
	    "include $(FULL_AMD_PATH)/amdkfd/Makefile\n"
	    "amdgpu-y += amdgpu_irq.o $(AMDKFD_FILES)\n"
	    "obj-$(CONFIG_AMD) += amdgpu.o\n");
	put(s, "drivers/gpu/amd/amdkfd/Makefile",
	    "AMDKFD_FILES := $(AMDKFD_PATH)/kfd_module.o\n"
	    "ccflags-y += -I $(FULL_AMD_PATH)/amdkfd\n");
	/* nouveau: "?=" path variable, "-I dir", a Kbuild per subdirectory
	 * included relative to the tree */
	put(s, "drivers/gpu/nouveau/Kbuild",
	    "NOUVEAU_PATH ?= $(srctree)\n"
	    "ccflags-y += -I $(NOUVEAU_PATH)/$(src)/include\n"
	    "include $(src)/nvkm/Kbuild\n"
	    "nouveau-y += $(nvkm-y)\n"
	    "obj-${CONFIG_NOUVEAU} += nouveau.o\n");
	put(s, "drivers/gpu/nouveau/nvkm/Kbuild",
	    "nvkm-y := nvkm/pci/base.o\n"
	    "ccflags-y += -I $(srctree)/$(src)/nvkm\n");
	/* a path relative to the build directory, and -include */
	put(s, "drivers/net/qtn/Makefile",
	    "ccflags-y += -Idrivers/net/qtn -include $(src)/cfg.h\n"
	    "obj-m += qtn.o\n");
	put(s, "drivers/net/qtn/cfg.h", "");
	prepared(o, "x86", "CONFIG_X86_64=y\nCONFIG_AMD=m\nCONFIG_NOUVEAU=m\n");
	CHECK(kernel_tree_open(&kt, s, o, &err));
	if (err)
		printf("  %s\n", err);
	CHECK(kt.src_relative);

	strvec_free(&v);
	CHECK(kernel_flags_for(&kt, "drivers/gpu/amd/amdgpu/amdgpu_irq.c", &v));
	CHECK(has_dir(&v, kt.src, "drivers/gpu/amd/amdgpu/../include"));
	CHECK(has_dir(&v, kt.src, "drivers/gpu/amd/amdgpu/../display/dc"));
	CHECK(has_dir(&v, kt.src, "drivers/gpu/amd/amdgpu/../amdkfd"));
	CHECK(has(&v, "-DKBUILD_MODNAME=\"amdgpu\""));
	CHECK(has(&v, "-DMODULE"));

	strvec_free(&v);
	CHECK(kernel_flags_for(&kt, "drivers/gpu/nouveau/nvkm/pci/base.c", &v));
	CHECK(has_dir(&v, kt.src, "drivers/gpu/nouveau/include"));
	CHECK(has_dir(&v, kt.src, "drivers/gpu/nouveau/nvkm"));
	CHECK(has(&v, "-DKBUILD_MODNAME=\"nouveau\""));
	CHECK(has(&v, "-DMODULE"));

	strvec_free(&v);
	kernel_flags_for(&kt, "drivers/net/qtn/qtn.c", &v);
	CHECK(has_dir(&v, kt.obj, "drivers/net/qtn"));
	CHECK(has_dir(&v, kt.src, "drivers/net/qtn"));
	CHECK(!has(&v, "-Idrivers/net/qtn"));
	{
		char *cfg = xasprintf("%s/drivers/net/qtn/cfg.h", kt.src);
		CHECK(has(&v, cfg));
		free(cfg);
	}
	strvec_free(&v);
	kernel_tree_close(&kt);
	free(s);
	free(o);
}

/* An arm64 configuration: clang's target, arch/arm64's include
 * directories, and the defines arch/arm64/Makefile derives from it. */
static void test_arm64(const char *root)
{
	char *s = path_join(root, "arm-src"), *o = path_join(root, "arm-obj");
	struct kernel_tree kt;
	struct strvec v = {0};
	char *err = NULL;

	put(s, "include/linux/pci.h", "");
	put(s, "drivers/qcom/Makefile", "obj-$(CONFIG_QCOM) += q.o\n");
	prepared(o, "x86", "CONFIG_RISCV=y\n");
	CHECK(!kernel_tree_open(&kt, s, o, &err));
	CHECK(err && strstr(err, "architecture irqcheck does not support"));
	free(err);
	err = NULL;
	put(o, ".config",
	    "CONFIG_ARM64=y\nCONFIG_QCOM=m\nCONFIG_KASAN_GENERIC=y\n"
	    "CONFIG_AS_HAS_ARMV8_4=y\nCONFIG_AS_HAS_ARMV8_2=y\n"
	    "CONFIG_DYNAMIC_FTRACE_WITH_ARGS=y\n");
	CHECK(!kernel_tree_open(&kt, s, o, &err));
	CHECK(err &&
	      strstr(err, "arch/arm64/include/generated/asm is missing"));
	free(err);
	err = NULL;
	prepared(o, "arm64",
		 "CONFIG_ARM64=y\nCONFIG_QCOM=m\nCONFIG_KASAN_GENERIC=y\n"
		 "CONFIG_AS_HAS_ARMV8_4=y\nCONFIG_AS_HAS_ARMV8_2=y\n"
		 "CONFIG_DYNAMIC_FTRACE_WITH_ARGS=y\n");
	CHECK(kernel_tree_open(&kt, s, o, &err));
	if (err)
		printf("  %s\n", err);
	CHECK(!kt.src_relative);
	kernel_flags_for(&kt, "drivers/qcom/q.c", &v);
	CHECK(has(&v, "--target=aarch64-linux-gnu"));
	CHECK(has_dir(&v, kt.src, "arch/arm64/include"));
	CHECK(has_dir(&v, kt.obj, "arch/arm64/include/generated"));
	CHECK(has_dir(&v, kt.src, "arch/arm64/include/uapi"));
	CHECK(has_dir(&v, kt.obj, "arch/arm64/include/generated/uapi"));
	CHECK(!has_dir(&v, kt.src, "arch/x86/include"));
	CHECK(has(&v, "-mlittle-endian"));
	CHECK(has(&v, "-DKASAN_SHADOW_SCALE_SHIFT=3"));
	CHECK(has(&v, "-DARM64_ASM_ARCH=\"armv8.4-a\""));
	CHECK(has(&v, "-DCC_USING_PATCHABLE_FUNCTION_ENTRY"));
	CHECK(!has(&v, "-mcmodel=kernel"));
	CHECK(!has(&v, "-DCC_USING_FENTRY"));
	CHECK(has(&v, "-DMODULE"));
	kernel_tree_close(&kt);

	/* big-endian, no KASAN: the shift is defined empty, as Kbuild does */
	put(o, ".config", "CONFIG_ARM64=y\nCONFIG_CPU_BIG_ENDIAN=y\n");
	CHECK(kernel_tree_open(&kt, s, o, &err));
	strvec_free(&v);
	kernel_flags_for(&kt, "drivers/qcom/q.c", &v);
	CHECK(has(&v, "-mbig-endian"));
	CHECK(has(&v, "-DKASAN_SHADOW_SCALE_SHIFT="));
	CHECK(!has(&v, "-DCC_USING_PATCHABLE_FUNCTION_ENTRY"));
	strvec_free(&v);
	kernel_tree_close(&kt);
	free(s);
	free(o);
}

int main(void)
{
	char root[] = "/tmp/irqcheck-kbuild-XXXXXX";
	struct kernel_tree kt;
	struct strvec v = { 0 };
	char *err = NULL, *s, *o, *want, *cmd;

	if (!mkdtemp(root))
		return 2;
	s = path_join(root, "src");
	o = path_join(root, "obj");
	put(s, "include/linux/pci.h", "");
	put(s, "drivers/Makefile", "subdir-ccflags-y += -DSUBDIR_FLAG\n"
				   "obj-$(CONFIG_FOO) += foo/\n"
				   "obj-$(CONFIG_OFF) += off/\n");
	put(s, "drivers/off/Makefile", "obj-$(CONFIG_OFFDRV) += offdrv.o\n");
	put(s, "drivers/foo/Makefile",
	    "ccflags-y += -I $(srctree)/drivers/extra \\\n"
	    "\t-DCONT_LINE\n"
	    "ccflags-$(CONFIG_BAR) += -DBAR_ON\n"
	    "ccflags-$(CONFIG_NOPE) += -DNOPE_ON\n"
	    "obj-$(CONFIG_FOO) += foo.o\n"
	    "obj-$(CONFIG_BAR) += bar.o\n"
	    "CFLAGS_foo.o := -DPER_OBJECT -O2\n"
	    "INC_DIR = $(src)/inc\n"
	    "ccflags-y += -I$(INC_DIR)\n"
	    "qux-y := a.o b-c.o sub/deep.o\n"
	    "obj-$(CONFIG_QUX) += qux.o\n"
	    "baz_mod-objs := baz.o\n"
	    "obj-$(CONFIG_BAZ) += baz_mod.o\n");

	/* not prepared yet */
	CHECK(!kernel_tree_open(&kt, s, o, &err));
	CHECK(err && strstr(err, "does not exist"));
	free(err);
	err = NULL;
	put(o, ".config", "CONFIG_X86_64=y\nCONFIG_FOO=m\nCONFIG_BAR=y\n"
			  "CONFIG_QUX=m\n# CONFIG_BAZ is not set\n");
	CHECK(!kernel_tree_open(&kt, s, o, &err));
	CHECK(err && strstr(err, "not prepared"));
	free(err);
	err = NULL;
	put(o, "include/generated/autoconf.h", "");
	put(o, "include/config/auto.conf", "");
	/* a prepare that stopped half way: configured, headers missing */
	put(o, "irqcheck-prepare.log", "");
	CHECK(!kernel_tree_open(&kt, s, o, &err));
	CHECK(err && strstr(err, "include/generated/uapi/linux/version.h is "
				 "missing; the last prepare did not finish"));
	free(err);
	err = NULL;
	put(o, "include/generated/uapi/linux/version.h", "");
	put(o, "include/generated/bounds.h", "");
	put(o, "include/generated/asm-offsets.h", "");
	CHECK(!kernel_tree_open(&kt, s, o, &err));
	CHECK(err && strstr(err, "arch/x86/include/generated/asm is missing"));
	free(err);
	err = NULL;
	put(o, "arch/x86/include/generated/asm/syscalls_64.h", "");
	CHECK(kernel_tree_open(&kt, s, o, &err));
	if (err)
		printf("  %s\n", err);

	flags(&kt, "drivers/foo/foo.c", &v);
	CHECK(has(&v, "-DMODULE"));
	CHECK(has(&v, "-DKBUILD_MODNAME=\"foo\""));
	CHECK(has(&v, "-DKBUILD_BASENAME=\"foo\""));
	CHECK(has(&v, "-DSUBDIR_FLAG"));
	CHECK(has(&v, "-DCONT_LINE"));
	CHECK(has(&v, "-DBAR_ON"));
	CHECK(!has(&v, "-DNOPE_ON"));
	CHECK(has(&v, "-DPER_OBJECT"));
	CHECK(!has(&v, "-O2"));
	CHECK(has(&v, "-D__KERNEL__"));
	CHECK(has(&v, "-nostdinc"));
	CHECK(has_dir(&v, kt.src, "drivers/extra"));
	want = xasprintf("%s/include/linux/kconfig.h", kt.src);
	CHECK(has(&v, want));
	free(want);

	flags(&kt, "drivers/foo/bar.c", &v);
	CHECK(!has(&v, "-DMODULE"));
	CHECK(!has(&v, "-DPER_OBJECT"));

	flags(&kt, "drivers/foo/b-c.c", &v);
	CHECK(has(&v, "-DMODULE"));
	CHECK(has(&v, "-DKBUILD_MODNAME=\"qux\""));
	CHECK(has(&v, "-DKBUILD_BASENAME=\"b_c\""));

	/* not built by the config: set up as the module its option makes */
	strvec_free(&v);
	CHECK(!kernel_flags_for(&kt, "drivers/foo/baz.c", &v));
	CHECK(has(&v, "-DMODULE"));
	CHECK(has(&v, "-DCONFIG_BAZ_MODULE=1"));
	CHECK(has(&v, "-DKBUILD_MODNAME=\"baz_mod\""));

	/* built from the parent directory's Makefile, with its flags */
	strvec_free(&v);
	CHECK(kernel_flags_for(&kt, "drivers/foo/sub/deep.c", &v));
	CHECK(has(&v, "-DMODULE"));
	CHECK(has(&v, "-DKBUILD_MODNAME=\"qux\""));
	CHECK(has(&v, "-DCONT_LINE"));
	want = xasprintf("-I%s/drivers/foo/inc", kt.src);
	CHECK(has(&v, want));
	free(want);

	CHECK(kernel_config(&kt, "FOO") && !strcmp(kernel_config(&kt, "FOO"), "m"));
	CHECK(kernel_config(&kt, "BAZ") == NULL);

	/* what keeps kbuild from building an object: its own option, and
	 * each directory's on the way (fix compiles octeontx2 that way) */
	{
		struct strvec sw = { 0 };
		kernel_unset_switches(&kt, "drivers/foo/baz.c", &sw);
		CHECK(sw.n == 1 && !strcmp(sw.v[0], "CONFIG_BAZ"));
		strvec_free(&sw);
		kernel_unset_switches(&kt, "drivers/foo/foo.c", &sw);
		CHECK(sw.n == 0);
		strvec_free(&sw);
		kernel_unset_switches(&kt, "drivers/off/offdrv.c", &sw);
		CHECK(sw.n == 2 && has(&sw, "CONFIG_OFFDRV") &&
		      has(&sw, "CONFIG_OFF"));
		strvec_free(&sw);
	}

	/* x86_64: the host's target named, the x86 code model */
	CHECK(has(&v, "--target=x86_64-linux-gnu"));
	CHECK(has(&v, "-mcmodel=kernel"));
	CHECK(!kt.src_relative);

	strvec_free(&v);
	kernel_tree_close(&kt);
	test_relative_src(root);
	test_arm64(root);
	cmd = xasprintf("rm -rf '%s'", root);
	if (system(cmd))
		printf("could not remove %s\n", root);
	free(cmd);
	free(s);
	free(o);
	return unit_finish();
}
