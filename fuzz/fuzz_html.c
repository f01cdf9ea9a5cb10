/*
 * fuzz_html.c — any bytes as an HTML page (and as a text page) through the
 * cleaner: no crash, no leak, and every article it returns is well formed.
 * The HTML page goes through twice: with the default work budget, and with
 * one small enough for short inputs to reach each of its limits.
 */
#include <khabar.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(kh_ctx *ctx, kh_cleaner *cl, const uint8_t *data, size_t size, kh_content kind)
{
    kh_arena *a;
    if (kh_arena_create(ctx, &a) != KH_OK) return;
    kh_doc *d = kh_arena_alloc(a, sizeof *d);
    char *content = kh_arena_strndup(a, (const char *)data, size);
    if (!d || !content) {
        kh_arena_free(a);
        return;
    }
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->id = d->file = "fuzz";
    d->content = content;
    d->content_len = size;
    d->kind = kind;
    kh_cleaner_observe(cl, d);
    const kh_article *art;
    if (kh_clean_doc(cl, d, &art) == KH_OK) {
        for (size_t i = 0; i < art->n_body; i++)
            if (!art->body[i] || kh_utf8_check(art->body[i], strlen(art->body[i]), NULL) != KH_OK)
                abort();
        if (art->title && kh_utf8_check(art->title, strlen(art->title), NULL) != KH_OK) abort();
        if (art->date && strlen(art->date) >= KH_DATE_ISO_MAX) abort();
    }
    kh_doc_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) return 0;
    kh_cleaner *cl;
    if (kh_cleaner_create(ctx, 1024, &cl) == KH_OK) {
        run(ctx, cl, data, size, KH_CONTENT_HTML);
        run(ctx, cl, data, size, KH_CONTENT_PAGE);
        kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS, 4);
        kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS_TOTAL, 16);
        kh_ctx_limit(ctx, KH_LIMIT_HTML_ELEMENTS, 64);
        kh_ctx_limit(ctx, KH_LIMIT_HTML_DEPTH, 8);
        run(ctx, cl, data, size, KH_CONTENT_HTML);
        kh_cleaner_free(cl);
    }
    kh_ctx_free(ctx);
    return 0;
}
