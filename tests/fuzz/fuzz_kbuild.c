/* Fuzz target: the Kbuild Makefile reader (kbuild.c), which reads a
 * kernel tree's Makefiles to synthesise a file's flags. A scratch tree
 * (one per process) holds the files a prepared tree must have and a small
 * .config; the input is drivers/fuzz/Makefile, and after its first NUL
 * byte, if any, drivers/Makefile. kernel_flags_for() then reads and
 * expands them for a few files; every file gets its KBUILD_MODNAME. */
#include <ftw.h>
#include <unistd.h>

#include "frontend/kbuild.h"
#include "fuzz.h"

static char tree[] = "/tmp/irqcheck-fuzz-kbuild-XXXXXX";
/* what kernel_tree_open() looks for in a prepared tree */
static const char *const tree_files[][2] = {
    {"include/linux/pci.h", ""},
    {"include/generated/autoconf.h", ""},
    {"include/generated/uapi/linux/version.h", ""},
    {"include/generated/bounds.h", ""},
    {"include/generated/asm-offsets.h", ""},
    {"arch/x86/include/generated/asm/irq.h", ""},
    {"include/config/auto.conf", ""},
    {".config", "CONFIG_X86_64=y\nCONFIG_PCI=y\nCONFIG_FOO=m\n"
		"CONFIG_BAR=y\nCONFIG_NAME=\"x\"\n"},
};
static const char *const makefiles[] = {"drivers/fuzz/Makefile",
					"drivers/Makefile"};

static void write_file(const char *rel, const char *text, size_t len)
{
	char *path = path_join(tree, rel);

	path_make_parents(path);
	fuzz_write_file(path, text, len);
	free(path);
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	return remove(path);
}

static void remove_tree(void)
{
	nftw(tree, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void make_tree(void)
{
	size_t i;

	if (!mkdtemp(tree))
		abort();
	atexit(remove_tree);
	for (i = 0; i < sizeof(tree_files) / sizeof(tree_files[0]); i++)
		write_file(tree_files[i][0], tree_files[i][1],
			   strlen(tree_files[i][1]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool made;
	static const char *const files[] = {
	    "drivers/fuzz/a.c", "drivers/fuzz/b-c.c", "drivers/fuzz/sub/d.c"};
	const char *text = (const char *)data, *nul = memchr(text, 0, size);
	struct kernel_tree kt;
	char *err = NULL;
	size_t i, first = nul ? (size_t)(nul - text) : size;

	if (!made) {
		make_tree();
		made = true;
	}
	write_file(makefiles[0], text, first);
	if (nul) {
		write_file(makefiles[1], nul + 1, size - first - 1);
	} else {
		char *p = path_join(tree, makefiles[1]);
		unlink(p);
		free(p);
	}
	if (!kernel_tree_open(&kt, tree, NULL, &err)) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct strvec args = {0};
		kernel_flags_for(&kt, files[i], &args);
		FUZZ_CHECK(args.n > 0 &&
			   !strncmp(args.v[args.n - 1],
				    "-D__KBUILD_MODNAME=kmod_", 24));
		strvec_free(&args);
	}
	kernel_tree_close(&kt);
	return 0;
}
