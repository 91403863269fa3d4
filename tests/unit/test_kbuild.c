/* Unit tests of Kbuild flag synthesis on a small fake tree made here:
 * per-directory and per-object flags, subdir flags, -DMODULE only for
 * objects the config builds as modules, composite module names, and the
 * error for an unprepared tree. */
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
				   "obj-$(CONFIG_FOO) += foo/\n");
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
	want = xasprintf("%s/drivers/extra", kt.src);
	CHECK(has(&v, want));
	free(want);
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

	strvec_free(&v);
	kernel_tree_close(&kt);
	cmd = xasprintf("rm -rf '%s'", root);
	if (system(cmd))
		printf("could not remove %s\n", root);
	free(cmd);
	free(s);
	free(o);
	return unit_finish();
}
