/*
 * fuzz_page.c — feeds arbitrary bytes to the readers through
 * kh_reader_open_buffer() and reads to the end, freeing every document.
 * The corpus holds small page inputs; detection is from content, so any
 * target reaches every format: the corpus only steers where it starts.
 * Limits are lowered so that the line and document caps are exercised.
 */
#include "khabar.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 0;
    kh_ctx_limit(ctx, KH_LIMIT_LINE, 4096);
    kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 16384);
    kh_reader *r;
    if (kh_reader_open_buffer(ctx, "fuzz.page", data, size, &r) == KH_OK) {
        for (int guard = 0; guard < 100000; guard++) {
            kh_doc *d;
            kh_status rc = kh_reader_next(r, &d);
            if (rc == KH_E_NOMEM)
                break;
            if (rc != KH_OK) {
                /* every error names the input */
                if (strncmp(kh_errmsg(ctx), "fuzz.page", strlen("fuzz.page")) != 0)
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
    return 0;
}
