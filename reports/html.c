/* The HTML report (see html.h). */
#include "reports/html.h"
#include "checks/check_list.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CONTEXT_LINES 4
#define MAX_LISTING_LINES 240
#define MAX_CHART_BARS 16

static void put_escaped(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static FILE *create(const char *dir, const char *name, char **err)
{
	char *path = path_join(dir, name);
	FILE *f = fopen(path, "w");

	if (!f)
		*err = xasprintf("cannot write %s: %s", path, strerror(errno));
	free(path);
	return f;
}

static bool finish(FILE *f, const char *dir, const char *name, char **err)
{
	bool ok = !ferror(f);

	ok &= fclose(f) == 0;
	if (!ok)
		*err = xasprintf("cannot write %s/%s: %s", dir, name,
				 strerror(errno));
	return ok;
}

/* "drivers/net" for drivers/net/ethernet/..., the first two parts. */
static char *subsystem_of(const char *path)
{
	const char *a = strchr(path, '/'), *b = a ? strchr(a + 1, '/') : NULL;

	if (path[0] == '/' || !a)
		return xstrdup(".");
	return xstrndup(path, (size_t)((b ? b : a) - path));
}

struct bar {
	char *label;
	size_t count;
};

static void count_bar(struct bar **bars, size_t *n, size_t *cap,
		      const char *label)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*bars)[i].label, label)) {
			(*bars)[i].count++;
			return;
		}
	{
		struct bar b = { xstrdup(label), 1 };
		ARRAY_PUSH(*bars, *n, *cap, b);
	}
}

static int by_count(const void *a, const void *b)
{
	const struct bar *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->label, y->label);
}

static void put_chart(FILE *out, const char *title, struct bar *bars,
		      size_t n)
{
	size_t i, max = 1, shown = n < MAX_CHART_BARS ? n : MAX_CHART_BARS;
	unsigned height = (unsigned)shown * 22 + 30;

	qsort(bars, n, sizeof(*bars), by_count);
	for (i = 0; i < shown; i++)
		if (bars[i].count > max)
			max = bars[i].count;
	fprintf(out, "<figure class=\"chart\"><figcaption>");
	put_escaped(out, title);
	fprintf(out, "</figcaption><svg width=\"500\" height=\"%u\" "
		     "role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">\n",
		height);
	for (i = 0; i < shown; i++) {
		unsigned y = (unsigned)i * 22 + 4;
		unsigned w = (unsigned)(bars[i].count * 260 / max);
		fprintf(out, "<text x=\"0\" y=\"%u\" class=\"label\">", y + 14);
		put_escaped(out, bars[i].label);
		fprintf(out, "</text><rect x=\"200\" y=\"%u\" width=\"%u\" "
			     "height=\"16\" class=\"bar\"/><text x=\"%u\" "
			     "y=\"%u\">%zu</text>\n",
			y, w ? w : 1, 206 + w, y + 14, bars[i].count);
	}
	if (n > shown)
		fprintf(out, "<text x=\"0\" y=\"%u\">and %zu more</text>\n",
			(unsigned)shown * 22 + 18, n - shown);
	fputs("</svg></figure>\n", out);
}

static void put_head(FILE *out, const char *title, const char *up)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<title>", out);
	put_escaped(out, title);
	fprintf(out, "</title><link rel=\"stylesheet\" href=\"%sreport.css\">"
		     "</head><body>\n", up);
}

/* ---- the index --------------------------------------------------------- */

static void put_filters(FILE *out, const struct stored_findings *l)
{
	size_t nchecks, c, i;
	const struct check *const *checks = check_registry(&nchecks);

	fputs("<form id=\"filters\" onsubmit=\"return false\">"
	      "<label>rule <select id=\"f-rule\"><option value=\"\">all"
	      "</option>", out);
	for (c = 0; c < nchecks; c++) {
		bool used = false;
		for (i = 0; i < l->n && !used; i++)
			used = !strcmp(l->items[i].f.rule, checks[c]->id);
		if (!used)
			continue;
		fprintf(out, "<option>%s</option>", checks[c]->id);
	}
	fputs("</select></label> <label>severity <select id=\"f-severity\">"
	      "<option value=\"\">all</option><option>error</option>"
	      "<option>warning</option><option>note</option></select></label> "
	      "<label>path <input id=\"f-path\" placeholder=\"drivers/net\">"
	      "</label> <label>text <input id=\"f-text\" "
	      "placeholder=\"function or message\"></label> ", out);
	for (i = 0; i < l->n; i++)
		if (l->items[i].f.unproven) {
			fputs("<label><input type=\"checkbox\" id=\"f-unproven\">"
			      " also unproven</label> ", out);
			break;
		}
	fputs("<span id=\"shown\"></span></form>\n", out);
}

static void put_table(FILE *out, const struct stored_findings *l)
{
	size_t i;

	fputs("<table id=\"findings\"><thead><tr><th data-key=\"rule\">rule"
	      "</th><th data-key=\"severity\">severity</th><th "
	      "data-key=\"path\">location</th><th data-key=\"function\">"
	      "function</th><th data-key=\"message\">message</th></tr></thead>"
	      "<tbody>\n", out);
	for (i = 0; i < l->n; i++) {
		const struct finding *f = &l->items[i].f;
		const char *sev = severity_name(f->severity);
		fprintf(out, "<tr data-rule=\"%s\" data-severity=\"%s\" "
			     "data-path=\"", f->rule, sev);
		put_escaped(out, f->file);
		fprintf(out, "\" data-line=\"%u\"%s><td>%s</td><td class=\"%s\">"
			     "%s</td><td><a href=\"findings/%zu.html\">",
			f->line, f->unproven ? " data-unproven=\"1\" hidden" : "",
			f->rule, sev, sev, i + 1);
		put_escaped(out, f->file);
		fprintf(out, ":%u</a></td><td>", f->line);
		put_escaped(out, f->function);
		fputs("</td><td>", out);
		if (f->unproven)
			fputs("(unproven) ", out);
		put_escaped(out, f->message);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static bool write_index(const char *dir, const struct stored_findings *l,
			const struct html_run *run, char **err)
{
	FILE *out = create(dir, "index.html", err);
	struct bar *rules = NULL, *subsystems = NULL;
	size_t nr = 0, cr = 0, ns = 0, cs = 0, i, counted = 0;

	if (!out)
		return false;
	for (i = 0; i < l->n; i++) {
		char *sub;
		if (l->items[i].f.unproven)
			continue; /* listed, not charted */
		counted++;
		sub = subsystem_of(l->items[i].f.file);
		count_bar(&rules, &nr, &cr, l->items[i].f.rule);
		count_bar(&subsystems, &ns, &cs, sub);
		free(sub);
	}
	put_head(out, "irqcheck report", "");
	fputs("<header><h1>irqcheck report</h1><p>", out);
	if (run->id)
		fprintf(out, "Run %lld", run->id);
	else
		fputs("A scan not recorded in a store", out);
	if (run->tree) {
		fputs(" of <code>", out);
		put_escaped(out, run->tree);
		fputs("</code>", out);
	}
	if (run->started) {
		fputs(", ", out);
		put_escaped(out, run->started);
	}
	fprintf(out, ": <strong>%zu findings</strong> in %zu subsystems",
		counted, ns);
	if (counted < l->n)
		fprintf(out, "; %zu more are unproven (their paths rest on "
			     "values the analysis could not establish) and are "
			     "listed only with \"also unproven\"",
			l->n - counted);
	fputs(".</p>", out);
	if (l->nunanalysed) {
		fprintf(out, "<p class=\"unanalysed\"><strong>%zu file%s "
			     "could not be analysed</strong>; findings in them "
			     "may be missing:</p><ul class=\"unanalysed\">",
			l->nunanalysed, l->nunanalysed == 1 ? "" : "s");
		for (i = 0; i < l->nunanalysed; i++) {
			fputs("<li><code>", out);
			put_escaped(out, l->unanalysed[i].path);
			fputs("</code> (", out);
			put_escaped(out, l->unanalysed[i].status);
			fputs("): ", out);
			put_escaped(out, l->unanalysed[i].reason);
			fputs("</li>", out);
		}
		fputs("</ul>", out);
	}
	fputs("</header>\n<section class=\"charts\">", out);
	put_chart(out, "findings by rule", rules, nr);
	put_chart(out, "findings by subsystem", subsystems, ns);
	fputs("</section>\n", out);
	put_filters(out, l);
	put_table(out, l);
	fputs("<script src=\"report.js\"></script>\n</body></html>\n", out);
	for (i = 0; i < nr; i++)
		free(rules[i].label);
	for (i = 0; i < ns; i++)
		free(subsystems[i].label);
	free(rules);
	free(subsystems);
	return finish(out, dir, "index.html", err);
}

/* ---- one page per finding ----------------------------------------------- */

/* The kind of a step, for its colour: from the words the engine uses. */
static const char *step_kind(const char *text)
{
	if (strstr(text, "enables"))
		return "enable";
	if (strstr(text, "allocates"))
		return "alloc";
	if (strstr(text, "releases") || strstr(text, "no ") == text)
		return "release";
	if (strstr(text, "branch"))
		return "branch";
	if (strstr(text, "handler"))
		return "handler";
	if (strstr(text, "return") || strstr(text, "end of the function"))
		return "exit";
	return "call";
}

static char *source_path(const struct html_run *run, const char *file)
{
	if (file[0] == '/' || !run->tree)
		return xstrdup(file);
	return path_join(run->tree, file);
}

/* Lines of a file, NULL when it cannot be read. */
static char **read_lines(const char *path, size_t *n)
{
	size_t len, cap = 0;
	char *text = read_file(path, &len), *p, **lines = NULL;

	*n = 0;
	if (!text)
		return NULL;
	for (p = text; p < text + len;) {
		char *nl = memchr(p, '\n', (size_t)(text + len - p));
		char *line = xstrndup(p, nl ? (size_t)(nl - p)
					    : (size_t)(text + len - p));
		ARRAY_PUSH(lines, *n, cap, line);
		if (!nl)
			break;
		p = nl + 1;
	}
	free(text);
	return lines;
}

static void put_listing(FILE *out, const struct finding *f,
			const struct html_run *run, const char *file)
{
	unsigned lo = f->line && !strcmp(f->file, file) ? f->line : UINT32_MAX;
	unsigned hi = lo == UINT32_MAX ? 0 : lo, line;
	size_t i, n;
	char *path = source_path(run, file);
	char **lines = read_lines(path, &n);

	for (i = 0; i < f->nsteps; i++)
		if (!strcmp(f->steps[i].file, file)) {
			if (f->steps[i].line < lo)
				lo = f->steps[i].line;
			if (f->steps[i].line > hi)
				hi = f->steps[i].line;
		}
	fputs("<h3 class=\"file\">", out);
	put_escaped(out, file);
	fputs("</h3>\n", out);
	if (!lines) {
		fputs("<p class=\"missing\">The source is not readable from here: ",
		      out);
		put_escaped(out, path);
		fputs("</p>\n", out);
		free(path);
		return;
	}
	lo = lo > CONTEXT_LINES ? lo - CONTEXT_LINES : 1;
	hi = hi + CONTEXT_LINES;
	if (hi > n)
		hi = (unsigned)n;
	if (hi > lo + MAX_LISTING_LINES)
		hi = lo + MAX_LISTING_LINES;
	fputs("<pre class=\"source\">", out);
	for (line = lo; line <= hi; line++) {
		bool marked = f->line == line && !strcmp(f->file, file);
		fprintf(out, "<span id=\"L%u-", line);
		put_escaped(out, file);
		fprintf(out, "\" class=\"line");
		for (i = 0; i < f->nsteps; i++)
			if (f->steps[i].line == line &&
			    !strcmp(f->steps[i].file, file)) {
				fprintf(out, " step %s",
					step_kind(f->steps[i].text));
				break;
			}
		fprintf(out, "%s\"><span class=\"no\">%5u</span> ",
			marked ? " reported" : "", line);
		put_escaped(out, lines[line - 1]);
		for (i = 0; i < f->nsteps; i++)
			if (f->steps[i].line == line &&
			    !strcmp(f->steps[i].file, file))
				fprintf(out, " <span class=\"badge\">%zu</span>",
					i + 1);
		if (marked)
			fputs(" <span class=\"badge here\">!</span>", out);
		/* a block per line: no newline between them in the <pre> */
		fputs("</span>", out);
	}
	fputs("</pre>\n", out);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(path);
}

static void put_rule_page(FILE *out, const char *rules_dir, const char *rule)
{
	char *path = xasprintf("%s/%s.md", rules_dir, rule);
	size_t len;
	char *page = read_file(path, &len);

	fputs("<section class=\"rule\"><h2>The rule</h2>", out);
	if (page) {
		fputs("<pre class=\"doc\">", out);
		put_escaped(out, page);
		fputs("</pre>", out);
	} else {
		fputs("<p>No page for this rule.</p>", out);
	}
	fputs("</section>\n", out);
	free(page);
	free(path);
}

static bool write_finding(const char *dir, size_t index,
			  const struct stored_finding *x,
			  const struct html_run *run, char **err)
{
	const struct finding *f = &x->f;
	char *name = xasprintf("findings/%zu.html", index);
	FILE *out = create(dir, name, err);
	struct strvec files = { 0 };
	size_t i, j;

	if (!out) {
		free(name);
		return false;
	}
	put_head(out, f->message, "../");
	fprintf(out, "<nav><a href=\"../index.html\">all findings</a></nav>\n"
		     "<header><h1 class=\"%s\">", severity_name(f->severity));
	put_escaped(out, f->message);
	fprintf(out, "</h1><p><span class=\"rule-id\">%s</span> %s in <code>",
		f->rule, severity_name(f->severity));
	put_escaped(out, f->function);
	fputs("()</code> at <code>", out);
	put_escaped(out, f->file);
	fprintf(out, ":%u:%u</code></p>", f->line, f->col);
	if (x->suppressed) {
		fputs("<p class=\"suppressed\">Suppressed inline: ", out);
		put_escaped(out, x->suppressed);
		fputs("</p>", out);
	}
	if (f->unproven) {
		fputs("<p class=\"unproven\">Unproven: ", out);
		put_escaped(out, f->unproven);
		fputs("</p>", out);
	}
	fputs("</header>\n<section class=\"path\"><h2>The path</h2><ol "
	      "id=\"steps\">\n", out);
	for (i = 0; i < f->nsteps; i++) {
		const struct finding_step *s = &f->steps[i];
		fprintf(out, "<li class=\"%s\"><a href=\"#L%u-",
			step_kind(s->text), s->line);
		put_escaped(out, s->file);
		fputs("\"><code>", out);
		put_escaped(out, s->file);
		fprintf(out, ":%u</code></a> ", s->line);
		put_escaped(out, s->text);
		fputs("</li>\n", out);
	}
	fputs("<li class=\"reported\"><code>", out);
	put_escaped(out, f->file);
	fprintf(out, ":%u</code> ", f->line);
	put_escaped(out, f->message);
	fputs("</li></ol></section>\n<section class=\"sources\"><h2>The "
	      "source</h2>\n", out);
	/* each file the path touches, in the order the path reaches it */
	for (i = 0; i <= f->nsteps; i++) {
		const char *file = i < f->nsteps ? f->steps[i].file : f->file;
		for (j = 0; j < files.n && strcmp(files.v[j], file); j++)
			;
		if (j == files.n)
			strvec_push(&files, file);
	}
	for (j = 0; j < files.n; j++)
		put_listing(out, f, run, files.v[j]);
	strvec_free(&files);
	fputs("</section>\n", out);
	if (x->fix) {
		fputs("<section class=\"fix\"><h2>The fix</h2><pre "
		      "class=\"patch\">", out);
		put_escaped(out, x->fix);
		fputs("</pre></section>\n", out);
	} else if (x->fix_refused) {
		fputs("<section class=\"fix\"><h2>No fix offered</h2><p>"
		      "irqcheck fix made no patch it could validate: ",
		      out);
		put_escaped(out, x->fix_refused);
		fputs(".</p></section>\n", out);
	}
	put_rule_page(out, run->rules_dir, f->rule);
	fputs("</body></html>\n", out);
	{
		bool ok = finish(out, dir, name, err);
		free(name);
		return ok;
	}
}

/* ---- assets -------------------------------------------------------------- */

static const char css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
	"code,pre{font:13px/1.35 ui-monospace,monospace}\n"
	"header h1{font-size:1.3em}h1.error{color:#a40000}"
	"h1.warning{color:#8a5a00}\n"
	".charts{display:flex;flex-wrap:wrap;gap:2em}.charts figure{margin:0}"
	"figcaption{font-weight:600;margin-bottom:.3em}"
	".chart rect.bar{fill:#4a78b0}.chart text{font-size:12px}\n"
	"table{border-collapse:collapse;width:100%}th{cursor:pointer;"
	"text-align:left;background:#eee}th,td{padding:3px 6px;border-bottom:"
	"1px solid #ddd;vertical-align:top}\n"
	"td.error{color:#a40000}td.warning{color:#8a5a00}td.note{color:#555}\n"
	"td:nth-child(3){word-break:break-all;min-width:16em}"
	"td:nth-child(1){white-space:nowrap}\n"
	"#filters{margin:1em 0}#shown{margin-left:1em;color:#555}\n"
	"pre.source{background:#fafafa;border:1px solid #ddd;padding:.5em;"
	"overflow-x:auto}.line{display:block}.no{color:#999}\n"
	".step{background:#fff3c4}.step.alloc,.step.enable{background:#dff0d8}"
	".step.release{background:#f2dede}.step.exit,.reported{background:"
	"#f9d0d0}\n.badge{background:#4a78b0;color:#fff;border-radius:8px;"
	"padding:0 5px;font-size:11px}.badge.here{background:#a40000}\n"
	"#steps li{margin:.2em 0}#steps li.alloc,#steps li.enable{color:#2d6a2d}"
	"#steps li.release{color:#8a1f1f}\n"
	"pre.doc{white-space:pre-wrap;background:#f6f6f6;padding:1em}\n"
	"pre.patch{background:#f4f8f4;border:1px solid #cdc;padding:.5em}\n";

static const char js[] =
	"// Sorting and filtering of the findings table; filters also come\n"
	"// from the URL: index.html#rule=ID&severity=S&path=P&q=TEXT&unproven=1\n"
	"(function () {\n"
	"  var table = document.getElementById('findings');\n"
	"  if (!table) return;\n"
	"  var body = table.tBodies[0];\n"
	"  var rows = Array.prototype.slice.call(body.rows);\n"
	"  var f = {rule: document.getElementById('f-rule'),\n"
	"    severity: document.getElementById('f-severity'),\n"
	"    path: document.getElementById('f-path'),\n"
	"    q: document.getElementById('f-text')};\n"
	"  var unproven = document.getElementById('f-unproven');\n"
	"  function apply() {\n"
	"    var rule = f.rule.value, sev = f.severity.value;\n"
	"    var path = f.path.value.toLowerCase(), q = f.q.value.toLowerCase();\n"
	"    var n = 0, all = 0, withU = unproven && unproven.checked;\n"
	"    rows.forEach(function (r) {\n"
	"      var listed = withU || !r.dataset.unproven;\n"
	"      if (listed) all++;\n"
	"      var ok = listed && (!rule || r.dataset.rule === rule) &&\n"
	"        (!sev || r.dataset.severity === sev) &&\n"
	"        (!path || r.dataset.path.toLowerCase().indexOf(path) >= 0) &&\n"
	"        (!q || r.textContent.toLowerCase().indexOf(q) >= 0);\n"
	"      r.hidden = !ok;\n"
	"      if (ok) n++;\n"
	"    });\n"
	"    document.getElementById('shown').textContent = n + ' of ' +\n"
	"      all + ' shown';\n"
	"    document.body.dataset.shown = n;\n"
	"  }\n"
	"  function fromHash() {\n"
	"    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {\n"
	"      var p = kv.split('='), k = p[0], v = decodeURIComponent(p[1] || '');\n"
	"      if (f[k]) f[k].value = v;\n"
	"      if (k === 'unproven' && unproven) unproven.checked = v === '1';\n"
	"    });\n"
	"  }\n"
	"  var dir = {};\n"
	"  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {\n"
	"    th.addEventListener('click', function () {\n"
	"      var key = th.dataset.key, d = dir[key] = -(dir[key] || -1);\n"
	"      rows.sort(function (a, b) {\n"
	"        var x = a.cells[i].textContent, y = b.cells[i].textContent;\n"
	"        if (key === 'path') {\n"
	"          x = a.dataset.path + ':' + ('000000' + a.dataset.line).slice(-6);\n"
	"          y = b.dataset.path + ':' + ('000000' + b.dataset.line).slice(-6);\n"
	"        }\n"
	"        return x < y ? -d : x > y ? d : 0;\n"
	"      });\n"
	"      rows.forEach(function (r) { body.appendChild(r); });\n"
	"    });\n"
	"  });\n"
	"  ['rule', 'severity', 'path', 'q'].forEach(function (k) {\n"
	"    f[k].addEventListener('input', apply);\n"
	"  });\n"
	"  if (unproven) unproven.addEventListener('change', apply);\n"
	"  window.addEventListener('hashchange', function () { fromHash(); apply(); });\n"
	"  fromHash();\n"
	"  apply();\n"
	"})();\n";

bool report_html(const char *dir, const struct stored_findings *l,
		 const struct html_run *run, char **err)
{
	char *sub = path_join(dir, "findings");
	FILE *out;
	size_t i;

	if ((mkdir(dir, 0755) && errno != EEXIST) ||
	    (mkdir(sub, 0755) && errno != EEXIST)) {
		*err = xasprintf("cannot create %s: %s", sub, strerror(errno));
		free(sub);
		return false;
	}
	free(sub);
	if (!(out = create(dir, "report.css", err)))
		return false;
	fputs(css, out);
	if (!finish(out, dir, "report.css", err))
		return false;
	if (!(out = create(dir, "report.js", err)))
		return false;
	fputs(js, out);
	if (!finish(out, dir, "report.js", err))
		return false;
	if (!write_index(dir, l, run, err))
		return false;
	for (i = 0; i < l->n; i++)
		if (!write_finding(dir, i + 1, &l->items[i], run, err))
			return false;
	return true;
}
