/* Content hashes (see hash.h). */
#include "store/hash.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hasher {
	EVP_MD_CTX *ctx;
};

struct hasher *hasher_new(void)
{
	struct hasher *h = xcalloc(1, sizeof(*h));

	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
		fprintf(stderr, "irqcheck: OpenSSL cannot compute SHA-256\n");
		abort();
	}
	return h;
}

void hasher_add(struct hasher *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

void hasher_adds(struct hasher *h, const char *s)
{
	EVP_DigestUpdate(h->ctx, s, strlen(s) + 1);
}

void hasher_finish(struct hasher *h, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_DigestFinal_ex(h->ctx, md, &n);
	for (i = 0; i < n && i * 2 < HASH_HEX_LEN; i++)
		sprintf(out + i * 2, "%02x", md[i]);
	out[HASH_HEX_LEN] = '\0';
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void hash_buffer(const void *data, size_t len, char *out)
{
	struct hasher *h = hasher_new();

	hasher_add(h, data, len);
	hasher_finish(h, out);
}

bool hash_file(const char *path, char *out)
{
	size_t len;
	char *text = read_file(path, &len);

	if (!text)
		return false;
	hash_buffer(text, len, out);
	free(text);
	return true;
}

void hash_strvec(const struct strvec *v, char *out)
{
	struct hasher *h = hasher_new();
	size_t i;

	for (i = 0; i < v->n; i++)
		hasher_adds(h, v->v[i]);
	hasher_finish(h, out);
}

void hash_analysis_identity(const char *pack_path, unsigned long checks,
			    bool hybrid_gone, char *out)
{
	struct hasher *h = hasher_new();
	char part[HASH_HEX_LEN + 1];

	snprintf(part, sizeof(part), "checks %lx%s", checks,
		 hybrid_gone ? " hybrid-gone" : "");
	hasher_adds(h, part);
	if (hash_file(pack_path, part))
		hasher_adds(h, part);
	if (hash_file("/proc/self/exe", part))
		hasher_adds(h, part);
	hasher_finish(h, out);
}
