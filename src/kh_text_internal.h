/*
 * kh_text_internal.h — what the text layer's files share: the character
 * classes and per-code-point folding of kh_norm.c, the stopword table of
 * kh_stopwords.c, and the light Arabic stemmer of kh_token.c.
 */
#ifndef KH_TEXT_INTERNAL_H
#define KH_TEXT_INTERNAL_H

#include "kh_internal.h"

/* Language bits of the stopword table: kh_lang lang has bit 1 << (lang - 1),
 * so every language khabar stems has a list and KH_LANG_UNKNOWN none. */
#define KHI_SW_BIT(lang) \
    ((lang) > KH_LANG_UNKNOWN && (lang) < KH_LANG_COUNT_ ? 1u << ((unsigned)(lang) - 1u) : 0u)
#define KHI_SW_AR KHI_SW_BIT(KH_LANG_AR)
#define KHI_SW_EN KHI_SW_BIT(KH_LANG_EN)
#define KHI_SW_FR KHI_SW_BIT(KH_LANG_FR)
_Static_assert(KH_LANG_COUNT_ - 1 <= 32, "stopword language bits are 32");

/* An option of kh_tokenize() for the library only: each word is reported
 * twice, first its key as with no options, flagged KHI_TOKEN_KEY, then,
 * unless it is a stopword, its term as with KH_TOK_STEM |
 * KH_TOK_SKIP_STOPWORDS. A caller that wants both (the account's
 * sentences) splits and normalizes the text once instead of twice. */
#define KHI_TOK_KEYS_AND_TERMS 0x100u
#define KHI_TOKEN_KEY 0x100u

/* @return the language bits of a matching key (0 when it is no stopword). */
unsigned khi_stopword_langs(const char *word, size_t word_len);
/* The same for a word with at least 16 readable bytes at word (those past
 * word_len may hold anything): no copy. */
unsigned khi_stopword_langs16(const char *word, size_t word_len);
/* The language of a code as written in markup ("de", "en-US", "pt_BR"),
 * KH_LANG_UNKNOWN for any other. */
kh_lang khi_lang_of_tag(const char *code);
/* As kh_lang_detect(), but hint (a page's <html lang>) breaks a tie between
 * languages of one script when it is among the tied. */
kh_lang khi_lang_detect_hint(const char *text, size_t text_len, kh_lang hint);
/* The i-th key of the table (for tests), or NULL past the end. */
const char *khi_stopword_at(size_t i, size_t *len, unsigned *langs);

/* The tokenizer class of each code point of the Arabic block U+0600-U+06FF. */
extern const uint8_t khi_ar_class[256];

/* What a code point is to the tokenizer. */
enum {
    KHI_CC_SEP = 0,    /* ends a word */
    KHI_CC_LETTER = 1, /* a letter: starts or continues a word */
    KHI_CC_DIGIT = 2,  /* a decimal digit (any script) */
    KHI_CC_JOIN = 3    /* mark, tatweel, zero-width or bidi: continues a word, never starts one */
};

/* Scripts, for choosing per-word rules. */
enum { KHI_SCRIPT_NONE = 0, KHI_SCRIPT_ARABIC = 1, KHI_SCRIPT_LATIN = 2, KHI_SCRIPT_OTHER = 3 };

/* Writing systems, finer than KHI_SCRIPT_* (which decide where a word ends):
 * what language detection counts and what decides a word's stemmer. */
enum {
    KHI_WS_NONE = 0,
    KHI_WS_ARABIC,
    KHI_WS_LATIN,
    KHI_WS_CYRILLIC,
    KHI_WS_GREEK,
    KHI_WS_ARMENIAN,
    KHI_WS_HEBREW,
    KHI_WS_DEVANAGARI,
    KHI_WS_TAMIL,
    KHI_WS_OTHER, /* CJK, Hangul, Thai, Georgian, Bengali...: no stemmer */
    KHI_WS_COUNT
};

/* @return the KHI_WS_* of a letter (by code point range; no table). */
int khi_writing_system(uint32_t cp);
/* @return non-zero when lang is written in KHI_WS_* ws (Serbian in two). */
int khi_lang_writes(kh_lang lang, int ws);

/* @return the KHI_CC_* class of cp; *script receives its KHI_SCRIPT_*. */
int khi_char_class(uint32_t cp, int *script);

/*
 * The normalizer's core: appends the matching key of text[0..text_len) to
 * out[*out_len..out_cap). Stops early when out is nearly full.
 * @return KH_OK when all input was consumed, KH_E_TOOBIG when it stopped for
 * room (*consumed tells how far it got; grow and call again with the rest),
 * KH_E_UTF8 at an invalid sequence (*consumed is its offset).
 */
kh_status khi_norm_run(const char *text, size_t text_len, char *out, size_t *out_len,
                       size_t out_cap, size_t *consumed);

/* The light Arabic stemmer: stems a matching key in place (it only shortens
 * or rewrites letters). @return the new length. */
size_t khi_stem_arabic(char *word, size_t word_len);

#endif /* KH_TEXT_INTERNAL_H */
