/* Where a line of a file went in a unified diff of it (fix.h): the diff
 * is irqcheck's own (diff -up of the patched copy), headers first. */
#include "fix/fix.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The new line of original line `old`; when the diff removed it, the
 * first line added in its place when replaced, else 0. */
static unsigned line_in_patched(const char *diff, unsigned old, bool replaced)
{
	const char *p = diff;
	long shift = 0;
	bool removed = false;

	while ((p = strstr(p, "\n@@ -"))) {
		unsigned a, b = 1, c, d = 1, ol, nl;
		const char *q;
		p++;
		if (sscanf(p, "@@ -%u,%u +%u,%u @@", &a, &b, &c, &d) < 4 &&
		    sscanf(p, "@@ -%u +%u,%u @@", &a, &c, &d) < 3)
			continue;
		/* a range of no lines names the line before it */
		ol = b ? a : a + 1;
		nl = d ? c : c + 1;
		if (old < ol)
			break;
		for (q = strchr(p, '\n'); q && q[1] && q[1] != '@';) {
			char kind = q[1];
			if (removed && kind != '-')
				return kind == '+' ? nl : 0;
			if (kind == ' ' || kind == '-') {
				if (ol == old && kind == ' ')
					return nl;
				if (ol == old && !replaced)
					return 0;
				removed = removed || ol == old;
				ol++;
			}
			if (kind == ' ' || kind == '+')
				nl++;
			q = strchr(q + 1, '\n');
		}
		if (removed)
			return 0;
		shift = (long)nl - (long)ol;
	}
	return (unsigned)((long)old + shift);
}

unsigned fix_patched_line(const char *diff, unsigned old)
{
	return line_in_patched(diff, old, false);
}

unsigned fix_rewritten_line(const char *diff, unsigned old)
{
	return line_in_patched(diff, old, true);
}
