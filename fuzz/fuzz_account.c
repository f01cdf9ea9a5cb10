/*
 * fuzz_account.c — builds an account from arbitrary text: the input is cut
 * into articles at blank lines and into paragraphs at line breaks (the
 * first line of an article is its title, a line "date:..." its date), bytes
 * that are not valid UTF-8 become '?', and the account is built, written as
 * JSON (read back as the store reads it) and Markdown, and freed.
 */
#include "khabar.h"
#include "fuzz_text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARTICLES 16
#define MAX_PARAS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    /* valid UTF-8 without NUL: the input contract */
    char *text = fuzz_text_copy(data, size);
    if (!text) return 0;
    static const char *ids[MAX_ARTICLES] = { "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7",
                                             "a8", "a9", "a10", "a11", "a12", "a13", "a14", "a15" };
    kh_account_article arts[MAX_ARTICLES];
    const char *paras[MAX_ARTICLES][MAX_PARAS];
    size_t n = 0;
    memset(arts, 0, sizeof arts);
    char *p = text;
    while (*p && n < MAX_ARTICLES) {
        kh_account_article *a = &arts[n];
        a->id = ids[n];
        a->body = paras[n];
        a->lang = (kh_lang)(n % KH_LANG_COUNT_);
        if (n % 3 == 2) a->copy_of = "a0";
        int first = 1;
        while (*p) {
            char *nl = strchr(p, '\n');
            if (nl) *nl = '\0';
            if (!*p) { p = nl ? nl + 1 : p + strlen(p); break; } /* blank line: next article */
            if (first) a->title = p;
            else if (strncmp(p, "date:", 5) == 0) a->date = p + 5;
            else if (a->n_body < MAX_PARAS) paras[n][a->n_body++] = p;
            first = 0;
            p = nl ? nl + 1 : p + strlen(p);
        }
        n++;
    }
    kh_ctx *ctx;
    kh_tokenizer *tok;
    if (n && kh_ctx_create(&ctx, NULL) == KH_OK) {
        if (kh_tokenizer_create(ctx, &tok) == KH_OK) {
            kh_account *acc;
            if (kh_account_build(ctx, tok, arts, n, NULL, &acc) == KH_OK) {
                kh_buf b;
                kh_buf_init(&b, ctx, 1 << 20);
                kh_buf_puts(&b, "{");
                if (kh_account_json(acc, 0, &b) == KH_OK && kh_buf_puts(&b, "}") == KH_OK) {
                    /* what the store keeps reads back (quotes, first report included) */
                    kh_account *back = NULL;
                    if (kh_store_account_parse(ctx, b.data, b.len, &back) != KH_OK) abort();
                    kh_account_free(back);
                }
                kh_buf_clear(&b);
                kh_account_markdown(acc, &b);
                kh_buf_free(&b);
                kh_account_free(acc);
            }
            kh_tokenizer_free(tok);
        }
        kh_ctx_free(ctx);
    }
    free(text);
    return 0;
}
