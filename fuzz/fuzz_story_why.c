/*
 * fuzz_story_why.c — reads arbitrary bytes as a stored why (what the store
 * keeps in articles.why and the web page and khabar stories --db read back):
 * a why that reads is written as JSON, read again and written again, and
 * the two texts must be the same (the writer's output is the reader's
 * input, so a stored why prints as it was stored); anything else must be
 * refused with KH_E_JSON.
 */
#include "khabar.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 0;
    kh_story_why w;
    kh_status rc = kh_story_why_parse(ctx, (const char *)data, size, &w);
    if (rc != KH_OK && rc != KH_E_JSON)
        abort();
    if (rc == KH_OK) {
        kh_buf one, two;
        kh_buf_init(&one, ctx, 1 << 20);
        kh_buf_init(&two, ctx, 1 << 20);
        kh_story_why again;
        if (kh_story_why_json(&w, "x", &one) != KH_OK ||
            kh_story_why_parse(ctx, one.data, one.len, &again) != KH_OK ||
            kh_story_why_json(&again, "x", &two) != KH_OK || one.len != two.len ||
            memcmp(one.data, two.data, one.len) != 0)
            abort();
        kh_buf_free(&one);
        kh_buf_free(&two);
    }
    kh_ctx_free(ctx);
    return 0;
}
