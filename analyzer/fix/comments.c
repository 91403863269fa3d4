/* What a managed conversion leaves behind, dropped: right above an
 * allocation switched to pcim_alloc_irq_vectors(), a comment (or one
 * paragraph of a block comment) that tells of the old implicit release
 * ("Managed release since we use pcim_enable_device", "... calls
 * pci_free_irq_vectors() automatically"), as maintainers drop them in
 * such conversions; a return the removal of an unwind label left right
 * after another return, where no path reaches it; and a label left right
 * above another, whose gotos go to that one. */
#include "fix/fix.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* What a comment that tells of the implicit release names. */
static bool tells_of_implicit_release(const char *text, size_t n)
{
	static const char *const names[] = { "pcim_enable_device",
					      "pci_free_irq_vectors",
					      "pci_setup_msi_context", "devres",
					      "Managed release" };
	size_t i;
	char *t = xstrndup(text, n);
	bool hit = false;

	for (i = 0; i < sizeof(names) / sizeof(names[0]) && !hit; i++)
		hit = strstr(t, names[i]) != NULL;
	free(t);
	return hit;
}

struct text_lines {
	const char **start;
	size_t *len;
	bool *drop;
	size_t n;
	char **owned; /* lines rewritten into buffers of their own */
	size_t nowned, capowned;
};

static void split_lines(const char *text, struct text_lines *l)
{
	const char *p = text;
	size_t cap = 0;

	memset(l, 0, sizeof(*l));
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (l->n == cap) {
			cap = cap ? 2 * cap : 256;
			l->start = xrealloc(l->start, cap * sizeof(*l->start));
			l->len = xrealloc(l->len, cap * sizeof(*l->len));
		}
		l->start[l->n] = p;
		l->len[l->n++] = len;
		p += len;
	}
	l->drop = xcalloc(l->n + 1, sizeof(*l->drop));
}

/* The lines not dropped, joined; frees l. */
static char *join_kept_lines(struct text_lines *l)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < l->n; i++)
		if (!l->drop[i])
			sb_add(&sb, l->start[i], l->len[i]);
	for (i = 0; i < l->nowned; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->start);
	free(l->len);
	free(l->drop);
	return sb_detach(&sb);
}

/* The line without its blanks and, for a comment's inner line, its
 * leading '*': whether anything is left. */
static bool blank_comment_line(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == '*' && !(i + 1 < n && s[i + 1] == '/'))
		i++;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i == n;
}

static bool starts_with(const char *s, size_t n, const char *prefix)
{
	size_t i = 0, k = strlen(prefix);

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return n - i >= k && !strncmp(s + i, prefix, k);
}

/* The line is `what` and blanks. */
static bool is_only(const char *s, size_t n, const char *what)
{
	size_t k = strlen(what);

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n == k && !strncmp(s, what, k);
}

static bool ends_with_close(const char *s, size_t n)
{
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n >= 2 && s[n - 2] == '*' && s[n - 1] == '/';
}

/* Marks what goes of the comment that ends on line `end`. */
static void drop_comment_above(struct text_lines *l, size_t end)
{
	size_t open = end, i, para;
	bool all = true;

	if (starts_with(l->start[end], l->len[end], "/*")) {
		/* one line */
		if (tells_of_implicit_release(l->start[end], l->len[end]))
			l->drop[end] = true;
		return;
	}
	while (open > 0 && !starts_with(l->start[open], l->len[open], "/*"))
		open--;
	if (!is_only(l->start[open], l->len[open], "/*") ||
	    !is_only(l->start[end], l->len[end], "*/"))
		return; /* not the kernel's block style: left as it is */
	/* paragraphs: runs of non-blank inner lines */
	for (i = open + 1; i < end; i = para) {
		const char *from;
		size_t n = 0;
		if (blank_comment_line(l->start[i], l->len[i])) {
			para = i + 1;
			continue;
		}
		from = l->start[i];
		for (para = i; para < end &&
			       !blank_comment_line(l->start[para], l->len[para]);
		     para++)
			n += l->len[para];
		if (!tells_of_implicit_release(from, n)) {
			all = false;
			continue;
		}
		memset(l->drop + i, true, para - i);
		/* with the blank line that set it apart */
		if (i > open + 1 && blank_comment_line(l->start[i - 1],
						       l->len[i - 1]))
			l->drop[i - 1] = true;
		else if (para < end)
			l->drop[para] = true;
	}
	if (all)
		memset(l->drop + open, true, end - open + 1);
}

char *fix_drop_release_comments(const char *original, const char *patched)
{
	struct text_lines l;
	size_t i;

	split_lines(patched, &l);
	for (i = 1; i < l.n; i++) {
		char *line = xstrndup(l.start[i], l.len[i]);
		bool converted = strstr(line, "pcim_alloc_irq_vectors") &&
				 !strstr(original, line);
		free(line);
		if (converted && ends_with_close(l.start[i - 1], l.len[i - 1]))
			drop_comment_above(&l, i - 1);
	}
	return join_kept_lines(&l);
}

/* The line's text after its indentation, and the indentation's length. */
static const char *after_indent(const char *s, size_t n, size_t *indent)
{
	*indent = 0;
	while (*indent < n && (s[*indent] == ' ' || s[*indent] == '\t'))
		++*indent;
	return s + *indent;
}

/* Whether a line (n bytes, its newline included) is one return
 * statement: "return ...;" on that line alone. */
static bool whole_return(const char *s, size_t n)
{
	size_t indent, end = n;
	const char *t = after_indent(s, n, &indent);

	while (end > indent && isspace((unsigned char)s[end - 1]))
		end--;
	return end > indent && s[end - 1] == ';' &&
	       (!strncmp(t, "return;", 7) || !strncmp(t, "return ", 7));
}

char *fix_drop_dead_returns(const char *original, const char *patched)
{
	struct text_lines l;
	size_t i, j, k;

	split_lines(patched, &l);
	for (i = 1; i < l.n; i++) {
		size_t ind_i, ind_j;
		char *pair;
		if (!whole_return(l.start[i], l.len[i]))
			continue;
		for (j = i; j > 0 && strspn(l.start[j - 1], " \t\n") >=
					   l.len[j - 1];
		     j--)
			;
		if (!j || !whole_return(l.start[j - 1], l.len[j - 1]))
			continue;
		j--;
		after_indent(l.start[i], l.len[i], &ind_i);
		after_indent(l.start[j], l.len[j], &ind_j);
		if (ind_i != ind_j || strncmp(l.start[i], l.start[j], ind_i))
			continue;
		/* the driver's own code has no such pair: the patch made it */
		pair = xstrndup(l.start[j],
				(size_t)(l.start[i] - l.start[j]) + l.len[i]);
		if (!strstr(original, pair))
			for (k = j + 1; k <= i; k++)
				l.drop[k] = true;
		free(pair);
	}
	return join_kept_lines(&l);
}

/* The label a line declares ("name:" alone, kernel style), copied to
 * name (up to 63 bytes), or false. */
static bool label_line(const char *s, size_t n, char *name)
{
	size_t indent, len;
	const char *t = after_indent(s, n, &indent);

	len = strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789_");
	if (!len || len > 63 || isdigit((unsigned char)t[0]) || t[len] != ':' ||
	    strspn(t + len + 1, " \t\n") < n - indent - len - 1 ||
	    !strncmp(t, "default", len))
		return false;
	memcpy(name, t, len);
	name[len] = '\0';
	return true;
}

/* Whether line s is a column-0 brace: "{" opens a function body in
 * kernel style, "}" closes it. */
static bool brace_line(const char *s, size_t n, char brace)
{
	return n >= 1 && s[0] == brace && (n == 1 || s[1] == '\n');
}

char *fix_merge_stacked_labels(const char *original, const char *patched)
{
	struct text_lines l;
	size_t i, j, k, first, last;
	char upper[64], lower[64];

	split_lines(patched, &l);
	for (i = 0; i + 1 < l.n; i++) {
		char *pair, *from, *to;
		if (!label_line(l.start[i], l.len[i], upper) ||
		    !label_line(l.start[i + 1], l.len[i + 1], lower))
			continue;
		pair = xstrndup(l.start[i], l.len[i] + l.len[i + 1]);
		if (strstr(original, pair)) {
			free(pair);
			continue;
		}
		free(pair);
		/* the function around it: column-0 braces */
		for (first = i; first > 0 &&
				!brace_line(l.start[first], l.len[first], '{');
		     first--)
			;
		for (last = i; last < l.n &&
			       !brace_line(l.start[last], l.len[last], '}');
		     last++)
			;
		from = xasprintf("goto %s;", upper);
		to = xasprintf("goto %s;", lower);
		for (j = first; j < last; j++) {
			const char *hit = strstr(l.start[j], from);
			if (!hit || hit >= l.start[j] + l.len[j])
				continue;
			/* the line is rewritten into a buffer of its own */
			{
				struct strbuf line;
				size_t at = (size_t)(hit - l.start[j]);
				sb_init(&line);
				sb_add(&line, l.start[j], at);
				sb_adds(&line, to);
				sb_add(&line, hit + strlen(from),
				       l.len[j] - at - strlen(from));
				k = line.len;
				l.start[j] = sb_detach(&line);
				l.len[j] = k;
				ARRAY_PUSH(l.owned, l.nowned, l.capowned,
					   (char *)l.start[j]);
			}
		}
		l.drop[i] = true;
		free(from);
		free(to);
	}
	return join_kept_lines(&l);
}

char *fix_tidy_conversion(const char *original, const char *patched)
{
	char *a = fix_drop_release_comments(original, patched);
	char *b = fix_drop_dead_returns(original, a);
	char *c = fix_merge_stacked_labels(original, b);

	free(a);
	free(b);
	return c;
}
