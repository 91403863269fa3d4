/* A minimal assertion kit for irqcheck's unit tests: CHECK() records a
 * failure with its line and goes on; unit_finish() prints the count line
 * and returns the exit status. */
#ifndef IRQCHECK_UNIT_H
#define IRQCHECK_UNIT_H

#include <stdio.h>

static int unit_passed, unit_failed;

#define CHECK(cond)                                                          \
	do {                                                                  \
		if (cond) {                                                   \
			unit_passed++;                                        \
		} else {                                                      \
			unit_failed++;                                        \
			printf("%s:%d: check failed: %s\n", __FILE__,         \
			       __LINE__, #cond);                              \
		}                                                             \
	} while (0)

static inline int unit_finish(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
