/* Content hashes (SHA-256 through OpenSSL's EVP interface), in lowercase
 * hex: of a buffer, of a file, and of an argument vector. */
#ifndef IRQCHECK_HASH_H
#define IRQCHECK_HASH_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define HASH_HEX_LEN 64

/* out must hold HASH_HEX_LEN + 1 bytes. */
void hash_buffer(const void *data, size_t len, char *out);
/* False (errno set) when the file cannot be read. */
bool hash_file(const char *path, char *out);
/* Hash of the strings in order, each terminated by a NUL byte. */
void hash_strvec(const struct strvec *v, char *out);

/* What decides whether stored results still hold: the rule pack's text
 * (the file at pack_path), this very binary, the checks that run, and
 * whether the PCI core's hybrid rule is taken as gone. */
void hash_analysis_identity(const char *pack_path, unsigned long checks,
			    bool hybrid_gone, char *out);

/* Incremental hashing of several pieces. */
struct hasher;
struct hasher *hasher_new(void);
void hasher_add(struct hasher *h, const void *data, size_t len);
void hasher_adds(struct hasher *h, const char *s); /* with its NUL */
/* Writes the hex digest and frees the hasher. */
void hasher_finish(struct hasher *h, char *out);

#endif
