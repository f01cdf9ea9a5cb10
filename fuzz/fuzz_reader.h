/*
 * fuzz_reader.h — what the reader fuzz targets share: feed bytes to the
 * readers through kh_reader_open_buffer() and read to the end, freeing every
 * document and checking what every document and error must satisfy.
 *
 * Detection is from content, so any target reaches every format; a target
 * steers where runs start by putting a format's opening in front of inputs
 * that lack it (gzip input is left as it is). Limits are lowered so that the
 * line and document caps are exercised.
 */
#ifndef KH_FUZZ_READER_H
#define KH_FUZZ_READER_H

#include "khabar.h"

#include <stdlib.h>
#include <string.h>

/* Reads data to the end as a file called name; traps on a broken invariant. */
static inline void fuzz_read_all(const char *name, const uint8_t *data, size_t size)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return;
    kh_ctx_limit(ctx, KH_LIMIT_LINE, 4096);
    kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 16384);
    kh_reader *r;
    if (kh_reader_open_buffer(ctx, name, data, size, &r) == KH_OK) {
        for (int guard = 0; guard < 100000; guard++) {
            kh_doc *d;
            kh_status rc = kh_reader_next(r, &d);
            if (rc == KH_E_NOMEM)
                break;
            if (rc != KH_OK) {
                /* every error names the input */
                if (strncmp(kh_errmsg(ctx), name, strlen(name)) != 0)
                    __builtin_trap();
                continue;
            }
            if (!d)
                break;
            if (d->content[d->content_len] != '\0' || memchr(d->content, 0, d->content_len) ||
                kh_utf8_check(d->content, d->content_len, NULL) != KH_OK || !d->id)
                __builtin_trap();
            kh_doc_free(d);
        }
        kh_reader_free(r);
    }
    kh_ctx_free(ctx);
}

/*
 * Reads data as name, with prefix put in front unless data already starts
 * with opening (or is gzip).
 */
static inline void fuzz_read_prefixed(const char *name, const uint8_t *data, size_t size,
                                      const char *opening, const char *prefix)
{
    size_t opening_len = strlen(opening), prefix_len = strlen(prefix);
    int gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    if (gz || (size >= opening_len && memcmp(data, opening, opening_len) == 0)) {
        fuzz_read_all(name, data, size);
        return;
    }
    uint8_t *copy = malloc(prefix_len + size);
    if (!copy)
        return;
    memcpy(copy, prefix, prefix_len);
    if (size)
        memcpy(copy + prefix_len, data, size);
    fuzz_read_all(name, copy, prefix_len + size);
    free(copy);
}

#endif /* KH_FUZZ_READER_H */
