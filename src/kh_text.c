/*
 * kh_text.c — PLACEHOLDER text layer so every stage can link and run while
 * the real one (normalization, sentences, tokenizer, stemmer, language) is
 * written. Behaviour here is deliberately minimal.
 */
#include "kh_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct kh_tokenizer {
    kh_ctx *ctx;
    kh_buf scratch;
};

const char *kh_lang_code(kh_lang lang)
{
    switch (lang) {
    case KH_LANG_AR: return "ar";
    case KH_LANG_EN: return "en";
    case KH_LANG_FR: return "fr";
    default: return "und";
    }
}

kh_lang kh_lang_from_code(const char *code)
{
    if (!code) return KH_LANG_UNKNOWN;
    if (strcmp(code, "ar") == 0) return KH_LANG_AR;
    if (strcmp(code, "en") == 0) return KH_LANG_EN;
    if (strcmp(code, "fr") == 0) return KH_LANG_FR;
    return KH_LANG_UNKNOWN;
}

kh_lang kh_lang_detect(const char *text, size_t text_len)
{
    size_t arabic = 0, latin = 0;
    for (size_t i = 0; i < text_len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == 0xD8 || c == 0xD9) arabic++;
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') latin++;
    }
    if (arabic > 10 && arabic * 2 > latin) return KH_LANG_AR;
    if (latin > 20) return KH_LANG_EN;
    return KH_LANG_UNKNOWN;
}

kh_status kh_text_nfkc(kh_buf *out, const char *text, size_t text_len)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)text_len,
                                      &dst, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    if (n < 0) return KH_E_UTF8;
    kh_status rc = kh_buf_append(out, dst, (size_t)n);
    free(dst);
    return rc;
}

kh_status kh_text_normalize(kh_buf *out, const char *text, size_t text_len)
{
    size_t start = out->len;
    KHI_FORWARD_IF_ERROR(kh_text_nfkc(out, text, text_len));
    for (size_t i = start; i < out->len; i++)
        if (out->data[i] >= 'A' && out->data[i] <= 'Z') out->data[i] += 32;
    return KH_OK;
}

kh_status kh_text_sentences(const char *text, size_t text_len, kh_span_fn fn, void *user)
{
    size_t start = 0;
    for (size_t i = 0; i <= text_len; i++) {
        if (i == text_len || text[i] == '\n' || text[i] == '.') {
            if (i > start && fn(user, start, i + (i < text_len && text[i] == '.')))
                return KH_E_STOPPED;
            start = i + 1;
        }
    }
    return KH_OK;
}

kh_status kh_tokenizer_create(kh_ctx *ctx, kh_tokenizer **out)
{
    *out = kh_malloc(ctx, sizeof **out);
    KHI_RETURN_IF(!*out, KH_E_NOMEM);
    (*out)->ctx = ctx;
    kh_buf_init(&(*out)->scratch, ctx, 0);
    return KH_OK;
}

void kh_tokenizer_free(kh_tokenizer *tok)
{
    if (!tok) return;
    kh_buf_free(&tok->scratch);
    kh_free(tok->ctx, tok, sizeof *tok);
}

static int is_sep(unsigned char c)
{
    return c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9');
}

kh_status kh_tokenize(kh_tokenizer *tok, kh_lang lang, const char *text, size_t text_len,
                      unsigned options, kh_token_fn fn, void *user)
{
    KHI_UNUSED(lang);
    KHI_UNUSED(options);
    size_t i = 0;
    while (i < text_len) {
        while (i < text_len && is_sep((unsigned char)text[i])) i++;
        size_t s = i;
        while (i < text_len && !is_sep((unsigned char)text[i])) i++;
        if (i > s) {
            kh_buf_clear(&tok->scratch);
            KHI_FORWARD_IF_ERROR(kh_text_normalize(&tok->scratch, text + s, i - s));
            if (fn(user, 0, tok->scratch.data, tok->scratch.len, s, i))
                return KH_E_STOPPED;
        }
    }
    return KH_OK;
}

const char *kh_stem(kh_tokenizer *tok, kh_lang lang, const char *word, size_t word_len,
                    size_t *stem_len)
{
    KHI_UNUSED(tok);
    KHI_UNUSED(lang);
    *stem_len = word_len;
    return word;
}

int kh_is_stopword(kh_lang lang, const char *word, size_t word_len)
{
    KHI_UNUSED(lang);
    KHI_UNUSED(word);
    KHI_UNUSED(word_len);
    return 0;
}
