/*
 * fuzz_normalize.c — the text layer on arbitrary bytes.
 *
 * Normalization reports KH_E_UTF8 on invalid input (and appends nothing);
 * the tokenizer treats invalid bytes as separators and sentence splitting
 * only looks at bytes, so both run on every input. For valid input the
 * checks are: every key is valid UTF-8, token offsets are in order and in
 * bounds (a word decomposing into several keys repeats its span), and sentences are non-empty, ordered and in bounds.
 */
#include "khabar.h"

#include <stdlib.h>
#include <string.h>

typedef struct state {
    size_t len, last, last_start;
} state;

static int on_token(void *user, unsigned flags, const char *t, size_t t_len, size_t s, size_t e)
{
    state *st = user;
    (void)flags;
    /* In order; a word that decomposes into several keys repeats its span. */
    int same_word = s == st->last_start && e == st->last;
    if (s >= e || e > st->len || (s < st->last && !same_word) ||
        kh_utf8_check(t, t_len, NULL) != KH_OK)
        abort();
    st->last = e;
    st->last_start = s;
    return 0;
}

static int on_span(void *user, size_t s, size_t e)
{
    state *st = user;
    if (s >= e || e > st->len || s < st->last)
        abort();
    st->last = e;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 0;
    int valid = kh_utf8_check(text, size, NULL) == KH_OK;
    kh_buf b;
    kh_buf_init(&b, ctx, 0);
    kh_status rc = kh_text_normalize(&b, text, size);
    if (valid ? rc != KH_OK : rc != KH_E_UTF8)
        abort();
    if (rc == KH_OK && kh_utf8_check(b.data ? b.data : "", b.len, NULL) != KH_OK)
        abort();
    kh_buf_clear(&b);
    rc = kh_text_nfkc(&b, text, size);
    if (valid != (rc == KH_OK))
        abort();
    kh_buf_free(&b);

    kh_tokenizer *tok;
    if (kh_tokenizer_create(ctx, &tok) == KH_OK) {
        for (unsigned opt = 0; opt < 4; opt++) {
            state st = { size, 0, 0 };
            if (kh_tokenize(tok, (kh_lang)(opt % KH_LANG_COUNT_), text, size, opt, on_token, &st) != KH_OK)
                abort();
        }
        /* Every language's stemmer: the one the input names by its first
         * byte, and the one detected. */
        kh_lang langs[2] = { size ? (kh_lang)(data[0] % KH_LANG_COUNT_) : KH_LANG_UNKNOWN,
                             kh_lang_detect(text, size) };
        for (int l = 0; l < 2; l++) {
            state st = { size, 0, 0 };
            if (kh_tokenize(tok, langs[l], text, size, KH_TOK_STEM, on_token, &st) != KH_OK)
                abort();
        }
        kh_tokenizer_free(tok);
    }
    state st = { size, 0, 0 };
    if (kh_text_sentences(text, size, on_span, &st) != KH_OK)
        abort();
    (void)kh_lang_detect(text, size);
    kh_ctx_free(ctx);
    return 0;
}
