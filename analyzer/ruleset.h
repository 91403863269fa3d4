/* The API tables the engine runs on, loaded from a rules/<pack>.rules file:
 * which function enables a device, allocates or releases its vectors, and
 * how each reports success. The engine only ever sees roles. */
#ifndef IRQCHECK_RULESET_H
#define IRQCHECK_RULESET_H

#include <search.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum api_role {
	ROLE_ENABLE,
	ROLE_ALLOC,
	ROLE_RELEASE,
	ROLE_DEVCAST,
	ROLE_DRVDATA,
	ROLE_ERRORRET,
	ROLE_NORETURN,
	ROLE_QUERY,	/* tells whether vectors of a family are enabled */
	ROLE_DEVACTION, /* registers fn(arg) to run when the driver detaches */
	ROLE_HANDLER,	/* requests an interrupt handler */
	ROLE_HANDLERFREE, /* frees one */
	ROLE_IRQVEC,	  /* the irq number (or affinity) of vector vec= */
	ROLE_DISABLE, /* disables the device (its vectors stay as they are) */
	ROLE_ACQUIRE, /* acquires an object of the device that must be
			 given back (FreeBSD's taskqgroup_attach()) */
	ROLE_UNDO,    /* gives an acquired object back */
	ROLE_BITOP,   /* tests, sets or clears bit bit= of the word(s) at
			 addr= (the driver's flags: set_bit()) */
	ROLE_ZALLOC,  /* returns zeroed memory (kzalloc()): the fields of
			 the structure it is assigned to start at 0 */
	ROLE_ISERR,   /* tells whether the pointer in argument arg= is an
			 error pointer (IS_ERR()); nullok=yes: or NULL */
	ROLE_PURE,    /* its result depends on its arguments' data only
			 (sscanf(), strcmp()): a test of it is a test of
			 that data, not of an operation that may fail */
};

/* What a bitop does to its bit; a test-and-set or test-and-clear tests
 * the old value, then sets or clears. */
enum bit_op {
	BITOP_TEST = 1,
	BITOP_SET = 2,
	BITOP_CLEAR = 4,
};

/* Families of vectors, as a bit set. */
enum {
	FAMILY_INTX = 1,
	FAMILY_MSI = 2,
	FAMILY_MSIX = 4,
	FAMILY_ANY = 7,
};

enum success_kind {
	SUCCESS_NONE,  /* the result says nothing */
	SUCCESS_ZERO,  /* 0 on success, an error code otherwise */
	SUCCESS_COUNT, /* a count on success, a negative errno on failure */
	SUCCESS_ERRNO, /* 0 on success, a negative errno on failure */
	SUCCESS_POINTER, /* non-NULL on success, NULL on failure */
};

struct api_entry {
	char *name;
	enum api_role role;
	int dev_arg;	   /* argument index of the device, -1 if none */
	int inner_arg;	   /* devcast/drvdata/devaction: the data argument */
	int fn_arg;	   /* devaction: the argument naming the function */
	int irq_arg;	   /* handler/handlerfree: the irq number */
	int vec_arg;	   /* the vector index (pci_request_irq, irqvec) */
	int devid_arg;	   /* handler/handlerfree: the dev_id that tells
			      the handlers of one irq apart, -1 if none */
	int entries_arg;   /* alloc: the msix_entry array it fills */
	int min_arg, max_arg; /* alloc, success=count: the fewest and the
				 most vectors asked for (count=MIN,MAX) */
	bool any_vec;	   /* irqvec: every index counts after a release */
	bool names_only;   /* irqvec: names the vector's irq (a resource to
			      tie handlers to) but does not read it: no
			      use-after-free (use=no) */
	bool managed;	   /* devres-managed API */
	bool null_ok;	   /* iserr: NULL counts as an error too */
	unsigned family;   /* FAMILY_* bits, when fixed */
	int family_arg;	   /* argument holding flags, -1 when fixed */
	enum success_kind success;
	/* acquire/undo: the object's kind ("taskqgroup-task"); irqvec: the
	 * kind of object the call also acquires (holds=), keyed by the irq
	 * it names; "" for none */
	char kind[32];
	int obj_arg;	   /* acquire/undo: the argument naming the object */
	int bit_arg;	   /* bitop: the bit number */
	int addr_arg;	   /* bitop: the address of the flags word */
	unsigned bit_op;   /* bitop: BITOP_* bits */
	int when_arg;	   /* the call counts only when this argument ... */
	char when_text[32]; /* ... is spelled this way (SYS_RES_IRQ) */
};

struct driver_table {
	char *struct_name;
	char *probe_field, *remove_field, *shutdown_field;
	/* a method table of MACRO(method, function) entries (FreeBSD's
	 * DEVMETHOD(device_attach, foo_attach)) */
	char *method_macro;
	char *probe_method, *remove_method, *shutdown_method;
};

struct ruleset {
	char *pack;
	char *path;
	struct api_entry *apis;
	size_t n_apis, cap_apis;
	unsigned flagbit_family[32]; /* family each flag bit stands for */
	struct driver_table driver;
	char *device_type; /* the struct naming a device ("pci_dev") */
	char *embedded_device_type; /* the generic device inside it, which
				       a devcast turns back ("device" of
				       &pdev->dev), or NULL */
	bool errors_positive; /* failure is any non-zero return (FreeBSD's
				 positive errno), not a negative one */
	bool failed_remove_keeps;  /* a remove() that returns failure leaves
				      the device attached, with what it holds
				      (FreeBSD's device_detach) */
	bool hybrid_gone; /* the PCI core releases with devres only what a
			     managed allocator allocated: unmanaged vectors
			     on a managed device are the driver's to release
			     (set from the tree, not from the pack) */
	struct strvec error_names; /* errno names: "return (ENXIO)" fails
				      even where the name did not resolve */
	struct strvec tolerant_defines; /* "NAME=VALUE": what a tree without
					   its headers is parsed with */
	char *irq_field;   /* dev->FIELD is vector 0 ("irq") */
	char *entry_field; /* entries[i].FIELD is vector i ("vector") */
	struct hsearch_data index;
	bool indexed;
};

/* Loads a rules file. On failure returns NULL and writes one sentence
 * naming the file and line into err (caller frees). */
struct ruleset *ruleset_load(const char *path, char **err);
/* The same from text[0..len) (LF or CRLF line ends); name stands for the
 * file in messages and rs->path. */
struct ruleset *ruleset_parse(const char *text, size_t len, const char *name,
			      char **err);
void ruleset_free(struct ruleset *rs);
const struct api_entry *ruleset_lookup(const struct ruleset *rs,
				       const char *name);
/* Family bits of a constant flags value, through the flagbit lines. */
unsigned ruleset_family_of_flags(const struct ruleset *rs, long long flags);

#endif
