/* Unit tests of fix_patched_line() and fix_rewritten_line(): where a line of the original is in
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
	/* a rewritten line: line 3 replaced by two, line 5 removed */
	{
		const char *rw = "--- a/z.c\n+++ b/z.c\n@@ -2,5 +2,5 @@\n"
				 " a\n"
				 "-old\n"
				 "+new1\n"
				 "+new2\n"
				 " b\n"
				 "-gone\n"
				 " c\n";
		CHECK(fix_patched_line(rw, 3) == 0);
		CHECK(fix_rewritten_line(rw, 3) == 3);
		CHECK(fix_rewritten_line(rw, 4) == 5);
		CHECK(fix_rewritten_line(rw, 5) == 0);
		CHECK(fix_patched_line(rw, 6) == 6);
		CHECK(fix_rewritten_line(rw, 6) == 6);
		CHECK(fix_rewritten_line(rw, 9) == 9);
	}
	/* the same as fix_patched_line() where nothing was replaced */
	CHECK(fix_rewritten_line(diff, 12) == 0);
	CHECK(fix_rewritten_line(diff, 13) == 14);
	CHECK(fix_rewritten_line(diff, 4) == 6);
	return unit_finish();
}
