/* Unit tests of fix_patched_line(): where a line of the original is in
 * the patched file of a unified diff, before, inside and after hunks that
 * add and remove lines. */
#include "fix/fix.h"
#include "unit.h"

int main(void)
{
	/* two lines added after line 3, one removed at line 12 */
	const char *diff = "--- a/x.c\n"
			   "+++ b/x.c\n"
			   "@@ -2,3 +2,5 @@ int f(void)\n"
			   " a\n"
			   " b\n"
			   "+new1\n"
			   "+new2\n"
			   " c\n"
			   "@@ -10,4 +12,3 @@ int g(void)\n"
			   " d\n"
			   " e\n"
			   "-gone\n"
			   " f\n";

	CHECK(fix_patched_line(diff, 1) == 1);	 /* before every hunk */
	CHECK(fix_patched_line(diff, 3) == 3);	 /* context ahead of it */
	CHECK(fix_patched_line(diff, 4) == 6);	 /* after the additions */
	CHECK(fix_patched_line(diff, 8) == 10);	 /* between the hunks */
	CHECK(fix_patched_line(diff, 11) == 13); /* context of the second */
	CHECK(fix_patched_line(diff, 12) == 0);	 /* the removed line */
	CHECK(fix_patched_line(diff, 13) == 14); /* after the removal */
	CHECK(fix_patched_line(diff, 40) == 41); /* past the last hunk */
	/* lines added to an empty range: "-5,0" names the line before */
	CHECK(fix_patched_line("--- a/y.c\n+++ b/y.c\n@@ -5,0 +6,2 @@\n"
			       "+p\n+q\n",
			       6) == 8);
	CHECK(fix_patched_line("--- a/y.c\n+++ b/y.c\n@@ -5,0 +6,2 @@\n"
			       "+p\n+q\n",
			       5) == 5);
	return unit_finish();
}
