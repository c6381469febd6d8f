/* sha256.h: SHA-256 (FIPS 180-4), for checksums of the lexicon files a run
 * used, so a report can say exactly which rules produced it. */
#ifndef DYAD_SHA256_H
#define DYAD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE 65   /* 64 hex digits and a NUL */

typedef struct sha256_ctx {
    uint32_t state[8];
    uint64_t total;          /* bytes hashed so far */
    unsigned char block[64]; /* the partial block not yet compressed */
    size_t used;             /* bytes in block */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
/* Pad, finish and write the digest; the context must be initialised again
 * before reuse. */
void sha256_final(sha256_ctx *c, unsigned char digest[SHA256_DIGEST_SIZE]);

/* One-shot helpers. */
void sha256(const void *data, size_t n, unsigned char digest[SHA256_DIGEST_SIZE]);
/* The digest as 64 lowercase hex digits, NUL-terminated. */
void sha256_hex(const void *data, size_t n, char hex[SHA256_HEX_SIZE]);

#endif
