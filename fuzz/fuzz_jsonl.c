/*
 * fuzz_jsonl.c — feeds arbitrary bytes to the readers through
 * kh_reader_open_buffer() and reads to the end, freeing every document.
 * The corpus holds small jsonl inputs; detection is from content, so any
 * target reaches every format: the corpus only steers where it starts.
 * Here a small JSON line is put in front of inputs that do not start with
 * '{', so that most runs reach the JSON Lines reader (gzip input is left
 * as it is).
 * Limits are lowered so that the line and document caps are exercised.
 */
#include "khabar.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prefix[] = "{\"id\":\"f\",\"text\":\"x\"}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = NULL;
    int gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    if (!gz && !(size >= 1 && data[0] == '{')) {
        copy = malloc(sizeof prefix - 1 + size);
        if (!copy)
            return 0;
        memcpy(copy, prefix, sizeof prefix - 1);
        if (size)
            memcpy(copy + sizeof prefix - 1, data, size);
        data = copy;
        size += sizeof prefix - 1;
    }
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        free(copy);
        return 0;
    }
    kh_ctx_limit(ctx, KH_LIMIT_LINE, 4096);
    kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 16384);
    kh_reader *r;
    if (kh_reader_open_buffer(ctx, "fuzz.jsonl", data, size, &r) == KH_OK) {
        for (int guard = 0; guard < 100000; guard++) {
            kh_doc *d;
            kh_status rc = kh_reader_next(r, &d);
            if (rc == KH_E_NOMEM)
                break;
            if (rc != KH_OK) {
                /* every error names the input */
                if (strncmp(kh_errmsg(ctx), "fuzz.jsonl", strlen("fuzz.jsonl")) != 0)
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
    free(copy);
    return 0;
}
