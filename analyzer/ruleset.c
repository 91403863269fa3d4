/* Parser for rules/<pack>.rules files (format described in the file
 * rules/linux-pci.rules) and name lookup over the loaded table. */
#include "ruleset.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *word;
	enum api_role role;
} role_words[] = {
    {"enable", ROLE_ENABLE},
    {"alloc", ROLE_ALLOC},
    {"release", ROLE_RELEASE},
    {"devcast", ROLE_DEVCAST},
    {"drvdata", ROLE_DRVDATA},
    {"errorret", ROLE_ERRORRET},
    {"noreturn", ROLE_NORETURN},
    {"query", ROLE_QUERY},
    {"devaction", ROLE_DEVACTION},
    {"handler", ROLE_HANDLER},
    {"handlerfree", ROLE_HANDLERFREE},
    {"irqvec", ROLE_IRQVEC},
    {"disable", ROLE_DISABLE},
    {"acquire", ROLE_ACQUIRE},
    {"undo", ROLE_UNDO},
    {"bitop", ROLE_BITOP},
    {"zalloc", ROLE_ZALLOC},
    {"iserr", ROLE_ISERR},
    {"pure", ROLE_PURE},
};

static unsigned family_word(const char *w)
{
	if (!strcmp(w, "msi"))
		return FAMILY_MSI;
	if (!strcmp(w, "msix"))
		return FAMILY_MSIX;
	if (!strcmp(w, "intx"))
		return FAMILY_INTX;
	if (!strcmp(w, "any"))
		return FAMILY_ANY;
	return 0;
}

static bool parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < -1 || v > 64)
		return false;
	*out = (int)v;
	return true;
}

/* Applies one key=value word to an entry; returns an error text or NULL. */
static const char *apply_key(struct api_entry *e, char *word)
{
	char *eq = strchr(word, '=');
	const char *val;

	if (!eq)
		return "expected key=value";
	*eq = '\0';
	val = eq + 1;
	if (!strcmp(word, "dev")) {
		if (!parse_int(val, &e->dev_arg))
			return "dev= takes an argument index";
	} else if (!strcmp(word, "fn")) {
		if (!parse_int(val, &e->fn_arg))
			return "fn= takes an argument index";
	} else if (!strcmp(word, "irq")) {
		if (!parse_int(val, &e->irq_arg))
			return "irq= takes an argument index";
	} else if (!strcmp(word, "vec")) {
		if (!parse_int(val, &e->vec_arg))
			return "vec= takes an argument index";
	} else if (!strcmp(word, "devid")) {
		if (!parse_int(val, &e->devid_arg))
			return "devid= takes an argument index";
	} else if (!strcmp(word, "entries")) {
		if (!parse_int(val, &e->entries_arg))
			return "entries= takes an argument index";
	} else if (!strcmp(word, "count")) {
		char *comma = strchr(val, ',');
		if (!comma)
			return "count= takes two argument indexes, MIN,MAX";
		*comma = '\0';
		if (!parse_int(val, &e->min_arg) ||
		    !parse_int(comma + 1, &e->max_arg) || e->min_arg < 0 ||
		    e->max_arg < 0)
			return "count= takes two argument indexes, MIN,MAX";
	} else if (!strcmp(word, "use")) {
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return "use= takes yes or no";
		e->names_only = !strcmp(val, "no");
	} else if (!strcmp(word, "anyvec")) {
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return "anyvec= takes yes or no";
		e->any_vec = !strcmp(val, "yes");
	} else if (!strcmp(word, "arg")) {
		if (!parse_int(val, &e->inner_arg))
			return "arg= takes an argument index";
	} else if (!strcmp(word, "nullok")) {
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return "nullok= takes yes or no";
		e->null_ok = !strcmp(val, "yes");
	} else if (!strcmp(word, "managed")) {
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return "managed= takes yes or no";
		e->managed = !strcmp(val, "yes");
	} else if (!strcmp(word, "family")) {
		if (!strncmp(val, "flags:", 6)) {
			if (!parse_int(val + 6, &e->family_arg))
				return "family=flags:N takes an argument index";
			e->family = FAMILY_ANY;
		} else if (!(e->family = family_word(val))) {
			return "family= takes msi, msix, intx, any or flags:N";
		}
	} else if (!strcmp(word, "kind") || !strcmp(word, "holds")) {
		if (!*val || strlen(val) >= sizeof(e->kind) ||
		    strpbrk(val, "#@:"))
			return "kind= and holds= take a short name without # @ :";
		strcpy(e->kind, val);
	} else if (!strcmp(word, "bit")) {
		if (!parse_int(val, &e->bit_arg))
			return "bit= takes an argument index";
	} else if (!strcmp(word, "addr")) {
		if (!parse_int(val, &e->addr_arg))
			return "addr= takes an argument index";
	} else if (!strcmp(word, "op")) {
		if (!strcmp(val, "test"))
			e->bit_op = BITOP_TEST;
		else if (!strcmp(val, "set"))
			e->bit_op = BITOP_SET;
		else if (!strcmp(val, "clear"))
			e->bit_op = BITOP_CLEAR;
		else if (!strcmp(val, "test-set"))
			e->bit_op = BITOP_TEST | BITOP_SET;
		else if (!strcmp(val, "test-clear"))
			e->bit_op = BITOP_TEST | BITOP_CLEAR;
		else
			return "op= takes test, set, clear, test-set or "
			       "test-clear";
	} else if (!strcmp(word, "obj")) {
		if (!parse_int(val, &e->obj_arg))
			return "obj= takes an argument index";
	} else if (!strcmp(word, "when")) {
		const char *colon = strchr(val, ':');
		char index[8];
		if (!colon || (size_t)(colon - val) >= sizeof(index) ||
		    !colon[1] || strlen(colon + 1) >= sizeof(e->when_text))
			return "when= takes N:NAME";
		memcpy(index, val, (size_t)(colon - val));
		index[colon - val] = '\0';
		if (!parse_int(index, &e->when_arg) || e->when_arg < 0)
			return "when= takes N:NAME";
		strcpy(e->when_text, colon + 1);
	} else if (!strcmp(word, "success")) {
		if (!strcmp(val, "zero"))
			e->success = SUCCESS_ZERO;
		else if (!strcmp(val, "count"))
			e->success = SUCCESS_COUNT;
		else if (!strcmp(val, "errno"))
			e->success = SUCCESS_ERRNO;
		else if (!strcmp(val, "pointer"))
			e->success = SUCCESS_POINTER;
		else
			return "success= takes zero, errno, count or pointer";
	} else {
		return "unknown key";
	}
	return NULL;
}

/* "probe=X remove=Y shutdown=Z" into slots[0..2]. */
static const char *parse_callbacks(char **save, char **slots[3],
				   const char *usage)
{
	static const char *const keys[3] = { "probe", "remove", "shutdown" };
	char *word;
	int k;

	while ((word = strtok_r(NULL, " \t", save))) {
		char *eq = strchr(word, '=');
		if (!eq)
			return "expected key=value";
		*eq = '\0';
		for (k = 0; k < 3 && strcmp(word, keys[k]); k++)
			;
		if (k == 3)
			return usage;
		free(*slots[k]);
		*slots[k] = xstrdup(eq + 1);
	}
	return NULL;
}

static const char *parse_line(struct ruleset *rs, char *line)
{
	char *save = NULL, *word, *name, *embeds;
	struct api_entry e = { .dev_arg = -1, .inner_arg = -1,
			       .family_arg = -1, .fn_arg = -1, .irq_arg = -1,
			       .vec_arg = -1, .devid_arg = -1,
			       .entries_arg = -1, .min_arg = -1, .max_arg = -1,
			       .obj_arg = -1, .when_arg = -1, .bit_arg = -1,
			       .addr_arg = -1 };
	size_t i;

	word = strtok_r(line, " \t", &save);
	if (!word)
		return NULL;
	if (!strcmp(word, "pack")) {
		name = strtok_r(NULL, " \t", &save);
		if (!name)
			return "pack needs a name";
		free(rs->pack);
		rs->pack = xstrdup(name);
		return NULL;
	}
	if (!strcmp(word, "devtype")) {
		name = strtok_r(NULL, " \t", &save);
		if (!name)
			return "devtype needs a struct name";
		/* "embeds=STRUCT": the generic device inside it (&pdev->dev),
		 * which a devcast turns back into the device */
		embeds = strtok_r(NULL, " \t", &save);
		if (embeds && (strncmp(embeds, "embeds=", 7) || !embeds[7]))
			return "devtype takes a struct name and embeds=STRUCT";
		free(rs->device_type);
		rs->device_type = xstrdup(name);
		free(rs->embedded_device_type);
		rs->embedded_device_type = embeds ? xstrdup(embeds + 7) : NULL;
		return NULL;
	}
	if (!strcmp(word, "irqfield") || !strcmp(word, "entryfield")) {
		char **slot = word[0] == 'i' ? &rs->irq_field : &rs->entry_field;
		name = strtok_r(NULL, " \t", &save);
		if (!name)
			return "irqfield and entryfield need a field name";
		free(*slot);
		*slot = xstrdup(name);
		return NULL;
	}
	if (!strcmp(word, "flagbit")) {
		char *bit = strtok_r(NULL, " \t", &save);
		char *fam = strtok_r(NULL, " \t", &save);
		int b;
		if (!bit || !fam || !parse_int(bit, &b) || b < 0 || b > 31 ||
		    !family_word(fam))
			return "flagbit takes a bit number and a family";
		rs->flagbit_family[b] = family_word(fam);
		return NULL;
	}
	if (!strcmp(word, "define")) {
		char *value;
		name = strtok_r(NULL, " \t", &save);
		value = strtok_r(NULL, "", &save);
		if (!name)
			return "define takes a name and a value";
		while (value && (*value == ' ' || *value == '\t'))
			value++;
		strvec_pushf(&rs->tolerant_defines, "%s=%s", name,
			     value ? value : "");
		return NULL;
	}
	if (!strcmp(word, "errnames")) {
		while ((name = strtok_r(NULL, " \t", &save)))
			strvec_push(&rs->error_names, name);
		return NULL;
	}
	if (!strcmp(word, "errors")) {
		name = strtok_r(NULL, " \t", &save);
		if (!name || (strcmp(name, "positive") && strcmp(name, "negative")))
			return "errors takes positive or negative";
		rs->errors_positive = !strcmp(name, "positive");
		return NULL;
	}
	if (!strcmp(word, "remove-failure")) {
		name = strtok_r(NULL, " \t", &save);
		if (!name ||
		    (strcmp(name, "keeps") && strcmp(name, "detaches")))
			return "remove-failure takes keeps or detaches";
		rs->failed_remove_keeps = !strcmp(name, "keeps");
		return NULL;
	}
	if (!strcmp(word, "methods") || !strcmp(word, "driver")) {
		/* "driver STRUCT probe=F ..." names struct fields, "methods
		 * MACRO probe=M ..." method names of a MACRO(method, fn) table */
		struct driver_table *d = &rs->driver;
		bool methods = word[0] == 'm';
		char **head = methods ? &d->method_macro : &d->struct_name;
		char **slots[3] = {
			methods ? &d->probe_method : &d->probe_field,
			methods ? &d->remove_method : &d->remove_field,
			methods ? &d->shutdown_method : &d->shutdown_field,
		};
		name = strtok_r(NULL, " \t", &save);
		if (!name)
			return methods ? "methods needs a macro name"
				       : "driver needs a struct name";
		free(*head);
		*head = xstrdup(name);
		return parse_callbacks(&save, slots,
				       methods ? "methods takes probe=, remove=, "
						 "shutdown="
					       : "driver takes probe=, remove=, "
						 "shutdown=");
	}
	for (i = 0; i < sizeof(role_words) / sizeof(role_words[0]); i++)
		if (!strcmp(word, role_words[i].word))
			break;
	if (i == sizeof(role_words) / sizeof(role_words[0]))
		return "unknown role";
	e.role = role_words[i].role;
	name = strtok_r(NULL, " \t", &save);
	if (!name)
		return "missing function name";
	while ((word = strtok_r(NULL, " \t", &save))) {
		const char *msg = apply_key(&e, word);
		if (msg)
			return msg;
	}
	if ((e.role == ROLE_ENABLE || e.role == ROLE_ALLOC ||
	     e.role == ROLE_RELEASE || e.role == ROLE_QUERY ||
	     e.role == ROLE_DISABLE) && e.dev_arg < 0)
		return "this role needs dev=";
	if ((e.role == ROLE_ALLOC || e.role == ROLE_RELEASE ||
	     e.role == ROLE_QUERY) && !e.family)
		return "this role needs family=";
	if (e.role == ROLE_DEVACTION && (e.fn_arg < 0 || e.inner_arg < 0))
		return "devaction needs fn= and arg=";
	if ((e.role == ROLE_HANDLER || e.role == ROLE_HANDLERFREE) &&
	    e.irq_arg < 0 && (e.dev_arg < 0 || e.vec_arg < 0))
		return "this role needs irq=, or dev= and vec=";
	if (e.devid_arg >= 0 && e.role != ROLE_HANDLER &&
	    e.role != ROLE_HANDLERFREE)
		return "devid= belongs to handler and handlerfree";
	if (e.role == ROLE_IRQVEC && (e.dev_arg < 0 || e.vec_arg < 0))
		return "irqvec needs dev= and vec=";
	if (e.role == ROLE_ACQUIRE &&
	    (e.dev_arg < 0 || e.obj_arg < 0 || !e.kind[0]))
		return "acquire needs dev=, obj= and kind=";
	if (e.role == ROLE_UNDO &&
	    (!e.kind[0] || (e.irq_arg < 0) == (e.obj_arg < 0)))
		return "undo needs kind= and one of irq= or obj=";
	if (e.kind[0] && e.role != ROLE_ACQUIRE && e.role != ROLE_UNDO &&
	    e.role != ROLE_IRQVEC)
		return "kind= and holds= belong to acquire, undo and irqvec";
	if (e.role == ROLE_BITOP &&
	    (e.bit_arg < 0 || e.addr_arg < 0 || !e.bit_op))
		return "bitop needs bit=, addr= and op=";
	if ((e.role == ROLE_DEVCAST || e.role == ROLE_DRVDATA ||
	     e.role == ROLE_ISERR) &&
	    e.inner_arg < 0)
		return "this role needs arg=";
	e.name = xstrdup(name);
	ARRAY_PUSH(rs->apis, rs->n_apis, rs->cap_apis, e);
	return NULL;
}

static bool build_index(struct ruleset *rs)
{
	size_t i;

	memset(&rs->index, 0, sizeof(rs->index));
	if (!hcreate_r(rs->n_apis * 2 + 16, &rs->index))
		return false;
	rs->indexed = true;
	for (i = 0; i < rs->n_apis; i++) {
		ENTRY item = { .key = rs->apis[i].name, .data = &rs->apis[i] };
		ENTRY *found;
		if (!hsearch_r(item, ENTER, &found, &rs->index))
			return false;
		found->data = &rs->apis[i]; /* a later line wins */
	}
	return true;
}

/* What is wrong with the characters of one line (its '\n' already cut,
 * a CRLF's '\r' too), or NULL. */
static const char *bad_characters(const char *line, size_t len)
{
	if (memchr(line, '\0', len))
		return "a NUL byte: a rule pack is a text file";
	if (memchr(line, '\r', len))
		return "a carriage return (\\r) inside the line: lines end "
		       "with LF or CRLF";
	return NULL;
}

struct ruleset *ruleset_parse(const char *text, size_t len, const char *name,
			      char **err)
{
	struct ruleset *rs = xcalloc(1, sizeof(*rs));
	const char *line = text, *end = text + len;
	int lineno = 0;

	rs->path = xstrdup(name);
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = (nl ? nl : end) - line;
		const char *msg;
		char *copy, *hash;

		lineno++;
		if (n && line[n - 1] == '\r')
			n--; /* CRLF */
		msg = bad_characters(line, n);
		if (!msg) {
			copy = xstrndup(line, n);
			hash = strchr(copy, '#');
			if (hash)
				*hash = '\0';
			msg = parse_line(rs, copy);
			free(copy);
		}
		if (msg) {
			*err = xasprintf("%s:%d: %s", name, lineno, msg);
			ruleset_free(rs);
			return NULL;
		}
		line = nl ? nl + 1 : end;
	}
	if (!rs->pack || !rs->n_apis) {
		*err = xasprintf("%s is not a rule pack (no 'pack' line or "
				 "no APIs)",
				 name);
		ruleset_free(rs);
		return NULL;
	}
	if (!build_index(rs)) {
		*err = xasprintf("cannot index rule pack %s", name);
		ruleset_free(rs);
		return NULL;
	}
	return rs;
}

struct ruleset *ruleset_load(const char *path, char **err)
{
	struct ruleset *rs;
	size_t len;
	char *text = read_file(path, &len);

	if (!text) {
		*err = xasprintf("cannot read rule pack %s: %s", path,
				 strerror(errno));
		return NULL;
	}
	rs = ruleset_parse(text, len, path, err);
	free(text);
	return rs;
}

void ruleset_free(struct ruleset *rs)
{
	size_t i;

	if (!rs)
		return;
	if (rs->indexed)
		hdestroy_r(&rs->index);
	for (i = 0; i < rs->n_apis; i++)
		free(rs->apis[i].name);
	free(rs->apis);
	free(rs->pack);
	free(rs->path);
	free(rs->device_type);
	free(rs->embedded_device_type);
	free(rs->irq_field);
	free(rs->entry_field);
	free(rs->driver.struct_name);
	strvec_free(&rs->error_names);
	strvec_free(&rs->tolerant_defines);
	free(rs->driver.method_macro);
	free(rs->driver.probe_method);
	free(rs->driver.remove_method);
	free(rs->driver.shutdown_method);
	free(rs->driver.probe_field);
	free(rs->driver.remove_field);
	free(rs->driver.shutdown_field);
	free(rs);
}

const struct api_entry *ruleset_lookup(const struct ruleset *rs,
				       const char *name)
{
	ENTRY item = { .key = (char *)name }, *found = NULL;

	if (!rs->indexed ||
	    !hsearch_r(item, FIND, &found,
		       (struct hsearch_data *)&rs->index))
		return NULL;
	return found->data;
}

unsigned ruleset_family_of_flags(const struct ruleset *rs, long long flags)
{
	unsigned fam = 0;
	int b;

	for (b = 0; b < 32; b++)
		if ((flags >> b) & 1)
			fam |= rs->flagbit_family[b];
	return fam;
}
