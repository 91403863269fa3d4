/* SARIF 2.1.0 output (see sarif.h). */
#include "reports/sarif.h"
#include "checks/check_list.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *level_of(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}


static json_t *physical_location(const char *file, unsigned line,
				 unsigned col)
{
	char *uri = path_uri(file);
	json_t *art = json_pack("{ss}", "uri", uri);

	if (file[0] != '/')
		json_object_set_new(art, "uriBaseId", json_string("SRCROOT"));
	free(uri);
	return json_pack("{s:o, s:{s:i, s:i}}", "artifactLocation", art,
			 "region", "startLine", line ? line : 1, "startColumn",
			 col ? col : 1);
}

/* The first paragraph under "## What it finds" of a rule page. */
static char *what_it_finds(const char *page)
{
	const char *p = strstr(page, "## What it finds");
	const char *end;
	struct strbuf sb;

	if (!p)
		return NULL;
	p = strchr(p, '\n');
	while (p && *p == '\n')
		p++;
	if (!p || !*p)
		return NULL;
	end = strstr(p, "\n\n");
	if (!end)
		end = p + strlen(p);
	sb_init(&sb);
	for (; p < end; p++)
		sb_add(&sb, *p == '\n' ? " " : p, 1);
	return sb_detach(&sb);
}

static json_t *rule_json(const char *id, const char *summary,
			 enum severity sev, const char *rules_dir)
{
	char *path = xasprintf("%s/%s.md", rules_dir, id);
	size_t len;
	char *page = read_file(path, &len), *full = page ? what_it_finds(page)
							 : NULL;
	json_t *r = json_pack("{ss, ss, s:{ss}, s:{ss}}", "id", id, "name", id,
			      "shortDescription", "text", summary,
			      "defaultConfiguration", "level", level_of(sev));

	json_object_set_new(r, "fullDescription",
			    json_pack("{ss}", "text", full ? full : summary));
	if (page)
		json_object_set_new(r, "help", json_pack("{ssss}", "text", page,
							 "markdown", page));
	free(full);
	free(page);
	free(path);
	return r;
}

static json_t *result_json(const struct stored_finding *x, int rule_index)
{
	const struct finding *f = &x->f;
	json_t *related = json_array(), *flow = json_array(), *res;
	size_t i;

	for (i = 0; i < f->nsteps; i++) {
		const struct finding_step *s = &f->steps[i];
		json_t *loc = physical_location(s->file, s->line, s->col);
		json_array_append_new(
			related, json_pack("{si, sO, s:{ss}}", "id", (int)i + 1,
					   "physicalLocation", loc, "message",
					   "text", s->text));
		json_array_append_new(
			flow, json_pack("{s:{s:o, s:{ss}}, si}", "location",
					"physicalLocation", loc, "message",
					"text", s->text, "executionOrder",
					(int)i + 1));
	}
	/* the reported place ends the flow */
	json_array_append_new(
		flow, json_pack("{s:{s:o, s:{ss}}, si}", "location",
				"physicalLocation",
				physical_location(f->file, f->line, f->col),
				"message", "text", f->message, "executionOrder",
				(int)f->nsteps + 1));
	res = json_pack("{ss, si, ss, s:{ss}}", "ruleId", f->rule, "ruleIndex",
			rule_index, "level", level_of(f->severity), "message",
			"text", f->message);
	json_object_set_new(
		res, "locations",
		json_pack("[{s:o, s:[{ss, ss}]}]", "physicalLocation",
			  physical_location(f->file, f->line, f->col),
			  "logicalLocations", "name",
			  f->function ? f->function : "", "kind", "function"));
	json_object_set_new(res, "relatedLocations", related);
	json_object_set_new(res, "partialFingerprints",
			    json_pack("{ss}", "irqcheckFingerprint/v1",
				      x->fingerprint ? x->fingerprint : ""));
	json_object_set_new(res, "codeFlows",
			    json_pack("[{s:[{s:o}]}]", "threadFlows",
				      "locations", flow));
	if (x->suppressed)
		json_object_set_new(res, "suppressions",
				    json_pack("[{ss, ss}]", "kind", "inSource",
					      "justification", x->suppressed));
	return res;
}

/* The run's invocation: it did not succeed when a file could not be
 * analysed, and each such file is a notification at error level. */
static json_t *invocation_json(const struct stored_findings *l)
{
	json_t *notes = json_array();
	size_t i;

	for (i = 0; i < l->nunanalysed; i++) {
		const struct unanalysed_file *u = &l->unanalysed[i];
		char *text = xasprintf("%s (%s): %s", u->path,
				       u->status, u->reason);
		json_array_append_new(
		    notes, json_pack("{ss, s:{ss}, s:[{s:o}]}", "level", "error",
				     "message", "text", text, "locations",
				     "physicalLocation",
				     physical_location(u->path, 1, 1)));
		free(text);
	}
	return json_pack("{sb, so}", "executionSuccessful",
			 l->nunanalysed == 0, "toolExecutionNotifications",
			 notes);
}

json_t *report_sarif(const struct stored_findings *l,
		     const struct sarif_run *run)
{
	size_t nchecks, c, i;
	const struct check *const *checks = check_registry(&nchecks);
	json_t *rules = json_array(), *results = json_array(), *root, *srun;
	char cwd[PATH_MAX], *root_uri;
	const char *base;

	for (c = 0; c < nchecks; c++)
		json_array_append_new(rules, rule_json(checks[c]->id,
						       checks[c]->summary,
						       checks[c]->severity,
						       run->rules_dir));
	json_array_append_new(
		rules, json_pack("{ss, ss, s:{ss}, s:{ss}, s:{ss}}", "id",
				 SUPPRESSION_RULE, "name", SUPPRESSION_RULE,
				 "shortDescription", "text",
				 "an inline suppression gives no reason",
				 "fullDescription", "text",
				 "A comment 'irqcheck: ignore RULE' without '- "
				 "reason' suppresses nothing: every accepted "
				 "finding must say why.",
				 "defaultConfiguration", "level", "warning"));
	for (i = 0; i < l->n; i++) {
		int index = -1;
		for (c = 0; c < nchecks; c++)
			if (!strcmp(checks[c]->id, l->items[i].f.rule))
				index = (int)c;
		if (!strcmp(l->items[i].f.rule, SUPPRESSION_RULE))
			index = (int)nchecks;
		if (index < 0)
			continue; /* analysis notes are not results */
		if (l->items[i].f.unproven)
			continue; /* not shown feasible: not an alert */
		json_array_append_new(results, result_json(&l->items[i], index));
	}
	base = run->src_root ? run->src_root : getcwd(cwd, sizeof(cwd));
	{
		char *with_slash = xasprintf("%s/", base ? base : "/");
		root_uri = path_uri(with_slash);
		free(with_slash);
	}
	srun = json_pack("{s:{s:{ss, ss, so}}, s:{s:{ss}}, so}", "tool",
			 "driver", "name", "irqcheck", "version",
			 IRQCHECK_VERSION, "rules", rules, "originalUriBaseIds",
			 "SRCROOT", "uri", root_uri, "results", results);
	free(root_uri);
	json_object_set_new(srun, "invocations",
			    json_pack("[o]", invocation_json(l)));
	root = json_pack("{ss, ss, s:[o]}", "$schema",
			 "https://json.schemastore.org/sarif-2.1.0.json",
			 "version", "2.1.0", "runs", srun);
	return root;
}
