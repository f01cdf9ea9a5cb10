/*
 * fuzz_names.c — finds the names of arbitrary text: the input is cut into
 * documents at blank lines (the first line a title when the document has
 * more than one), bytes that are not valid UTF-8 become '?', names are
 * found, and every span is checked to lie within its document on UTF-8
 * boundaries; each pair of consecutive lines is also compared by
 * kh_name_variants() and kh_name_similarity().
 */
#include "khabar.h"
#include "fuzz_text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DOCS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    /* valid UTF-8 without NUL: the input contract */
    char *text = fuzz_text_copy(data, size);
    if (!text) return 0;
    /* pairs of lines, before the text is cut */
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        if (!nl) break;
        char *next = nl + 1, *nl2 = strchr(next, '\n');
        size_t la = (size_t)(nl - p), lb = nl2 ? (size_t)(nl2 - next) : strlen(next);
        int same = kh_name_variants(p, la, next, lb);
        double sim = kh_name_similarity(p, la, next, lb);
        if (sim < 0 || sim > 1 || (same && sim != 1.0) || (!same && sim >= 1.0)) abort();
        p = next;
    }
    kh_names_doc docs[MAX_DOCS];
    size_t n = 0;
    char *p = text;
    while (*p && n < MAX_DOCS) {
        char *end = strstr(p, "\n\n");
        if (end) *end = '\0';
        char *nl = strchr(p, '\n');
        kh_names_doc *d = &docs[n++];
        memset(d, 0, sizeof *d);
        if (nl && n % 2) { /* a title, then the text */
            *nl = '\0';
            d->title = p;
            d->text = nl + 1;
        } else {
            d->text = p;
        }
        d->text_len = strlen(d->text);
        p = end ? end + 2 : p + strlen(p);
    }
    kh_ctx *ctx;
    kh_arena *arena;
    if (n && kh_ctx_create(&ctx, NULL) == KH_OK) {
        if (kh_arena_create(ctx, &arena) == KH_OK) {
            if (kh_names_find(ctx, NULL, docs, n, arena) == KH_OK) {
                for (size_t i = 0; i < n; i++) {
                    size_t tb = docs[i].title ? strlen(docs[i].title) + 1 : 0;
                    for (size_t k = 0; k < docs[i].n_names; k++) {
                        const kh_name *nm = &docs[i].names[k];
                        if (nm->byte_end <= nm->byte_start || nm->end <= nm->start ||
                            nm->byte_end > tb + docs[i].text_len || nm->end > nm->byte_end)
                            abort();
                        const char *at = nm->byte_start >= tb
                                             ? docs[i].text + nm->byte_start - tb
                                             : docs[i].title + nm->byte_start;
                        size_t bad;
                        if (kh_utf8_check(at, nm->byte_end - nm->byte_start, &bad) != KH_OK)
                            abort(); /* a span cut a character */
                    }
                }
            }
            kh_arena_free(arena);
        }
        kh_ctx_free(ctx);
    }
    free(text);
    return 0;
}
