/* Summaries shared between the files of one module. A translation unit's
 * summaries name places by index into that unit's site table; an exported
 * summary carries its own copy of those places so that a caller in
 * another file of the module can intern them into its table and apply the
 * summary as if the callee had been defined there. The scan builds one
 * module table after a first pass over every file and re-analyses the
 * files whose calls, callers or driver structures cross a file boundary;
 * the table is read-only while workers use it. */
#ifndef IRQCHECK_MODULE_H
#define IRQCHECK_MODULE_H

#include "engine/engine.h"

/* A place, owned by the exported summary. */
struct portable_site {
	char *file, *text, *function;
	unsigned line, col;
};

/* A fn_summary whose site fields index `sites`. */
struct portable_summary {
	struct fn_summary sum;
	struct portable_site *sites;
	size_t nsites, cap_sites;
	char *text; /* canonical text, to see whether a re-analysis changed it */
};

/* What one analysed file offers to, and needs from, the rest of its
 * module. */
struct module_exports {
	struct portable_summary **summaries; /* non-static, with effects */
	size_t nsummaries, cap_summaries;
	struct strvec external_calls; /* called here, defined elsewhere */
	struct strvec globals;	      /* non-static functions defined here */
	struct driver_callbacks *drivers; /* the file's driver structures */
	size_t ndrivers, cap_drivers;
	unsigned allocators; /* ALLOCATES_* bits: the allocators it calls */
	bool changed; /* the last re-analysis changed a summary */
	bool differs; /* not what the last recorded run stored for the file */
};

struct module_file {
	const char *path;   /* the scan file's absolute path (not owned) */
	const char *module; /* KBUILD_MODNAME or directory (not owned) */
	const struct module_exports *exports;
	const struct module_exports *last; /* as the last run stored them */
};

struct module_table {
	struct module_file *files; /* sorted by module */
	size_t nfiles;
};

/* The view one translation unit gets: its own path and module. */
struct module_link {
	const struct module_table *table;
	const char *path;
	const char *module;
};

/* Copies the exported summaries of a translation unit just analysed. */
void module_exports_collect(struct tu_ctx *tu, struct module_exports *out);
/* True when the two exports offer the same summaries and links. */
bool module_exports_equal(const struct module_exports *a,
			  const struct module_exports *b);
void module_exports_release(struct module_exports *ex);
/* A deep copy (through the stored form). */
void module_exports_copy(struct module_exports *dst,
			 const struct module_exports *src,
			 const char *(*rule_id)(const char *id));

/* Builds the table over files[0..n) (the array is copied and sorted; the
 * strings stay owned by the caller). */
void module_table_build(struct module_table *t, const struct module_file *files,
			size_t n);
void module_table_release(struct module_table *t);

/* The other file of the module that exports `name`, or NULL. */
const struct module_file *module_find_file(const struct module_link *l,
					   const char *name);
/* A non-static function of another file of the module, or NULL. */
const struct portable_summary *module_find(const struct module_link *l,
					   const char *name);
/* True when another file of the module calls `name`. */
bool module_called_elsewhere(const struct module_link *l, const char *name);
/* True when another file of the module whose exports differ from the
 * last recorded run's (ex->differs) calls, is called by, or names in a
 * driver structure a function of `ex`, as it is now or as it was. */
bool module_touches_difference(const struct module_link *l,
			       const struct module_exports *ex);
/* A copy of a driver structure's callbacks, its names its own. */
struct driver_callbacks driver_callbacks_copy(const struct driver_callbacks *d);
/* ALLOCATES_* bits of the allocators the module's other files call. */
unsigned module_allocators(const struct module_link *l);
/* Calls fn for each driver structure of another file of the module. */
void module_each_driver(const struct module_link *l,
			void (*fn)(const struct driver_callbacks *d,
				   void *data),
			void *data);

/* The stored form (module_json.c): JSON with sorted keys. */
char *module_summary_json(const struct portable_summary *p);
/* The static rule id of a stored finding's rule (the scan passes the
 * registry's check_static_id(): the engine does not know the rules). */
typedef const char *(*rule_id_fn)(const char *id);
/* NULL when the text is not a summary. */
struct portable_summary *module_summary_from_json(const char *text,
						  rule_id_fn rule_id);
void module_summary_free(struct portable_summary *p);
char *module_links_json(const struct module_exports *ex);
bool module_links_from_json(const char *text, struct module_exports *ex);

/* Interns an exported summary into a caller's translation unit. */
struct fn_summary *module_import(struct tu_ctx *tu,
				 const struct portable_summary *p);

#endif
