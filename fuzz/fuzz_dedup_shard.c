/*
 * fuzz_dedup_shard.c — the shard file reader (kh_dedup_merge_buffers) on
 * arbitrary bytes.
 *
 * The input is cut before each "KHSHARD\0" after its first byte, so that a
 * set of shard files written one after the other is a valid input; the
 * pieces are merged as one set. Checks: the merge succeeds or refuses with
 * KH_E_FORMAT, KH_E_EMPTY or KH_E_ARG and a message, never crashes or leaks;
 * on success every document's group is a document whose group is itself,
 * and its original is in that group.
 */
#include "khabar.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PIECES 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 0;
    const void *piece[MAX_PIECES];
    size_t len[MAX_PIECES];
    const char *names[MAX_PIECES] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7" };
    size_t n = 0, start = 0;
    for (size_t i = 1; i + 8 <= size && n + 1 < MAX_PIECES; i++)
        if (memcmp(data + i, "KHSHARD", 8) == 0) {
            piece[n] = data + start;
            len[n++] = i - start;
            start = i;
        }
    piece[n] = size ? data + start : (const void *)"";
    len[n++] = size - start;
    kh_deduper *dd = NULL;
    kh_status rc = kh_dedup_merge_buffers(ctx, names, piece, len, n, 1 + (size & 1), &dd);
    if (rc != KH_OK) {
        if (dd || (rc != KH_E_FORMAT && rc != KH_E_EMPTY && rc != KH_E_ARG && rc != KH_E_NOMEM))
            abort();
        if (!*kh_errmsg(ctx))
            abort();
    } else {
        size_t count = kh_dedup_count(dd);
        for (size_t d = 0; d < count; d++) {
            size_t g = kh_dedup_group(dd, d), o = kh_dedup_original(dd, d);
            if (g >= count || kh_dedup_group(dd, g) != g || o >= count ||
                kh_dedup_group(dd, o) != g || !kh_dedup_id(dd, d))
                abort();
        }
    }
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
    return 0;
}
