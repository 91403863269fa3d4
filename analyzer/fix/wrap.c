/* Lines a semantic patch added that run past 80 columns, broken as kernel
 * code is (see fix.h): Coccinelle prints a call it adds on one line. And
 * the continuation lines of a call whose name a patch made longer, aligned
 * under its parenthesis again. Added lines lose trailing blanks. */
#include "fix/fix.h"

#include <stdlib.h>
#include <string.h>

#define WRAP_COLUMNS 80
#define CHECKPATCH_COLUMNS 100

/* The column after text[0..n) starting at column col (tabs to the next
 * multiple of 8). */
static size_t column_after(const char *text, size_t n, size_t col)
{
	size_t i;

	for (i = 0; i < n; i++)
		col = text[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
	return col;
}

/* Whether line (n bytes, without its newline) is a whole line of text. */
static bool has_line(const char *text, const char *line, size_t n)
{
	const char *p = text, *end = text + strlen(text);

	while (p < end && (p = memmem(p, (size_t)(end - p), line, n))) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return true;
		p++;
	}
	return false;
}

/* Appends indentation reaching column col: tabs, then spaces. */
static void add_indent(struct strbuf *sb, size_t col)
{
	size_t i;

	for (i = 0; i < col / 8; i++)
		sb_add(sb, "\t", 1);
	for (i = 0; i < col % 8; i++)
		sb_add(sb, " ", 1);
}

/* Breaks one line (n bytes, no newline) after the last ", " outside a
 * string that leaves the part before it within the limit; the rest goes
 * under the column after the innermost parenthesis still open there,
 * and is broken again when it is still too long. */
static void wrap_line(struct strbuf *sb, const char *line, size_t n)
{
	size_t start_col = 0, lead = strspn(line, "\t ");

	while (column_after(line, n, start_col) > WRAP_COLUMNS) {
		size_t i, cut = 0, open[32], depth = 0, cut_open = 0;
		bool quoted = false;
		for (i = lead; i + 1 < n; i++) {
			char c = line[i];
			if (c == '"' && (i == 0 || line[i - 1] != '\\'))
				quoted = !quoted;
			if (quoted)
				continue;
			if (c == '(' && depth < 32)
				open[depth++] = column_after(line, i + 1,
							     start_col);
			else if (c == ')' && depth)
				depth--;
			else if (c == ',' && line[i + 1] == ' ' && depth &&
				 column_after(line, i + 1, start_col) <=
				     WRAP_COLUMNS) {
				cut = i + 1;
				cut_open = open[depth - 1];
			}
		}
		if (!cut || cut_open >= WRAP_COLUMNS - 8)
			break;
		sb_add(sb, line, cut);
		sb_add(sb, "\n", 1);
		add_indent(sb, cut_open);
		line += cut + 1; /* the space after the comma goes */
		n -= cut + 1;
		start_col = cut_open;
		lead = 0;
	}
	sb_add(sb, line, n);
}

/* The parentheses line (n bytes) leaves open, counted from depth, and
 * the column after the innermost one it opened that stays open (0 when
 * none does). */
static size_t parens_left_open(const char *line, size_t n, size_t depth,
			       size_t *align)
{
	size_t i, open[32], opened = 0;
	bool quoted = false;

	*align = 0;
	for (i = 0; i < n; i++) {
		char c = line[i];
		if (c == '"' && (i == 0 || line[i - 1] != '\\'))
			quoted = !quoted;
		if (quoted)
			continue;
		if (c == '(') {
			if (opened < 32)
				open[opened] = column_after(line, i + 1, 0);
			opened++;
			depth++;
		} else if (c == ')' && depth) {
			if (opened)
				opened--;
			depth--;
		}
	}
	if (opened && opened <= 32)
		*align = open[opened - 1];
	return depth;
}

/* Whether a continuation line that ends at column `was` may move to end
 * at column `would`: within 80 columns, or, for a line the driver already
 * ran past 80, within checkpatch's limit of 100. */
static bool moved_fits(size_t was, size_t would)
{
	return would <= WRAP_COLUMNS ||
	       (was > WRAP_COLUMNS && would <= CHECKPATCH_COLUMNS);
}

char *fix_wrap_added_lines(const char *original, const char *patched)
{
	struct strbuf sb;
	const char *line = patched;
	size_t depth = 0, align = 0;

	sb_init(&sb);
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		size_t lead = strspn(line, "\t "), col;
		bool kept = has_line(original, line, n);
		col = column_after(line, lead, 0);
		if (!kept && column_after(line, n, 0) > WRAP_COLUMNS) {
			wrap_line(&sb, line, n);
		} else if (kept && depth && align > col && align - col <= 4 &&
			   moved_fits(column_after(line, n, 0),
				      column_after(line + lead, n - lead,
						   align))) {
			/* a continuation aligned under a call whose name the
			 * patch made longer: under its parenthesis again */
			add_indent(&sb, align);
			sb_add(&sb, line + lead, n - lead);
		} else if (!kept) {
			/* Coccinelle leaves a space where it took a token
			 * off the end of a line ("} else {" made "} ") */
			size_t end = n;
			while (end > 0 &&
			       (line[end - 1] == ' ' || line[end - 1] == '\t'))
				end--;
			sb_add(&sb, line, end);
		} else {
			sb_add(&sb, line, n);
		}
		if (!kept) {
			depth = parens_left_open(line, n, 0, &align);
		} else if (depth) {
			size_t inner;
			depth = parens_left_open(line, n, depth, &inner);
			if (inner)
				depth = 0; /* its own parentheses: left alone */
		}
		if (!nl)
			break;
		sb_add(&sb, "\n", 1);
		line = nl + 1;
	}
	return sb_detach(&sb);
}
