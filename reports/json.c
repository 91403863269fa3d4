/* JSON output for scripts (see json.h). */
#include "reports/json.h"

#include <stdlib.h>

json_t *report_json_finding(const struct stored_finding *x)
{
	json_t *o = json_object(), *steps = json_array();
	size_t i;

	json_object_set_new(o, "rule", json_string(x->f.rule));
	json_object_set_new(o, "severity",
			    json_string(severity_name(x->f.severity)));
	json_object_set_new(o, "file", json_string(x->f.file));
	json_object_set_new(o, "line", json_integer(x->f.line));
	json_object_set_new(o, "column", json_integer(x->f.col));
	json_object_set_new(o, "function",
			    json_string(x->f.function ? x->f.function : ""));
	json_object_set_new(o, "message", json_string(x->f.message));
	json_object_set_new(o, "fingerprint", json_string(x->fingerprint));
	if (x->suppressed)
		json_object_set_new(o, "suppressed", json_string(x->suppressed));
	if (x->f.unproven)
		json_object_set_new(o, "unproven", json_string(x->f.unproven));
	if (x->fix)
		json_object_set_new(o, "fix", json_string(x->fix));
	else if (x->fix_refused)
		json_object_set_new(o, "fix_refused",
				    json_string(x->fix_refused));
	for (i = 0; i < x->f.nsteps; i++) {
		json_t *s = json_object();
		json_object_set_new(s, "file", json_string(x->f.steps[i].file));
		json_object_set_new(s, "line", json_integer(x->f.steps[i].line));
		json_object_set_new(s, "column", json_integer(x->f.steps[i].col));
		json_object_set_new(s, "text", json_string(x->f.steps[i].text));
		json_array_append_new(steps, s);
	}
	json_object_set_new(o, "steps", steps);
	return o;
}

void report_json_print(FILE *out, json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (text) {
		fputs(text, out);
		fputc('\n', out);
		free(text);
	}
	json_decref(root);
}

void report_json_findings(FILE *out, const struct stored_findings *l,
			  long long run, bool with_suppressed)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		if (with_suppressed || !l->items[i].suppressed)
			json_array_append_new(arr,
					      report_json_finding(&l->items[i]));
	json_object_set_new(root, "run", json_integer(run));
	json_object_set_new(root, "findings", arr);
	json_object_set_new(root, "files_not_analysed",
			    report_json_unanalysed(l));
	report_json_print(out, root);
}

json_t *report_json_unanalysed(const struct stored_findings *l)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < l->nunanalysed; i++)
		json_array_append_new(
		    arr, json_pack("{ss, ss, ss}", "file", l->unanalysed[i].path,
				   "status", l->unanalysed[i].status, "reason",
				   l->unanalysed[i].reason));
	return arr;
}
