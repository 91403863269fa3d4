/* What the fuzz targets share: the libFuzzer entry point they define, a
 * NUL-terminated copy of an input, writing an input to a scratch file,
 * and the check that stops the run when
 * a property of a parser does not hold. */
#ifndef IRQCHECK_FUZZ_H
#define IRQCHECK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data[0..size) with a NUL after it (caller frees). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		abort();
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

/* Writes len bytes of data as the file path; any failure ends the run
 * (the target's scratch space is broken, not the parser). */
static inline void fuzz_write_file(const char *path, const void *data,
				   size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		abort();
}

/* Stops the run (libFuzzer keeps the input) when cond does not hold. */
#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: property failed: %s\n",        \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

#endif
