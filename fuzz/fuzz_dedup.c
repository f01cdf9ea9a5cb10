/*
 * fuzz_dedup.c — copy detection on arbitrary bytes.
 *
 * The input is cut at 0x1E bytes into up to 16 documents (any bytes: the key
 * scanner takes invalid UTF-8 as separators), and the first one is added a
 * second time. Checks: the run succeeds; the repeated document is in its
 * original's group unless it has no body (then both are alone); every
 * representative is its own representative (groups are stars, never
 * chains); each document's copy_of is in its group, and its chain of
 * copy_of ends at the group's original; similarities are in [0, 1].
 */
#include "khabar.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 0;
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    o.threads = 1 + (size & 1); /* both paths: inline and worker threads */
    o.threshold = 0.5;
    kh_deduper *dd;
    if (kh_dedup_create(ctx, &o, &dd) != KH_OK)
        abort();
    const char *text = (const char *)data;
    size_t start = 0, n = 0, first_len = 0;
    char id[32];
    for (size_t i = 0; i <= size && n < 16; i++) {
        if (i < size && data[i] != 0x1E)
            continue;
        snprintf(id, sizeof id, "d%zu", n);
        if (n == 0)
            first_len = i - start;
        if (kh_dedup_add(dd, id, n % 3 ? "2015-07-01" : NULL, text + start, i - start) != KH_OK)
            abort();
        n++;
        start = i + 1;
    }
    if (kh_dedup_add(dd, "again", "2016", text, first_len) != KH_OK)
        abort();
    if (kh_dedup_run(dd) != KH_OK)
        abort();
    size_t count = kh_dedup_count(dd);
    if (count != n + 1)
        abort();
    if (kh_dedup_relation_of(dd, 0) == KH_DEDUP_NO_BODY
            ? kh_dedup_group(dd, n) != n || kh_dedup_group(dd, 0) != 0
            : kh_dedup_group(dd, n) != kh_dedup_group(dd, 0))
        abort();
    for (size_t i = 0; i < count; i++) {
        size_t g = kh_dedup_group(dd, i);
        double s = kh_dedup_similarity(dd, i);
        if (g >= count || kh_dedup_group(dd, g) != g || s < 0 || s > 1)
            abort();
        size_t c = kh_dedup_copy_of(dd, i);
        if (c >= count || kh_dedup_group(dd, c) != g)
            abort();
        /* Every copy_of chain ends, within the group, at its original. */
        size_t orig = kh_dedup_original(dd, i), at = i, steps = 0;
        if (orig >= count || kh_dedup_group(dd, orig) != g || kh_dedup_copy_of(dd, orig) != orig ||
            kh_dedup_original(dd, g) != orig)
            abort();
        while (at != orig && steps++ < count)
            at = kh_dedup_copy_of(dd, at);
        if (at != orig)
            abort();
    }
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
    return 0;
}
