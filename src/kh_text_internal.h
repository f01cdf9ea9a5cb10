/*
 * kh_text_internal.h — what the text layer's files share: the character
 * classes and per-code-point folding of kh_norm.c, the stopword table of
 * kh_stopwords.c, and the light Arabic stemmer of kh_token.c.
 */
#ifndef KH_TEXT_INTERNAL_H
#define KH_TEXT_INTERNAL_H

#include "kh_internal.h"

/* Language bits of the stopword table (ar, en, fr are kh_lang's; the others
 * exist only so that kh_lang_detect() can tell them apart from en and fr). */
#define KHI_SW_AR 0x01u
#define KHI_SW_EN 0x02u
#define KHI_SW_FR 0x04u
#define KHI_SW_DE 0x08u
#define KHI_SW_ES 0x10u
#define KHI_SW_IT 0x20u
#define KHI_SW_PT 0x40u
#define KHI_SW_NL 0x80u
#define KHI_SW_NLANGS 8

/* @return the language bits of a matching key (0 when it is no stopword). */
unsigned khi_stopword_langs(const char *word, size_t word_len);
/* The same for a word with at least 16 readable bytes at word (those past
 * word_len may hold anything): no copy. */
unsigned khi_stopword_langs16(const char *word, size_t word_len);
/* The KHI_SW_* bit of a language code ("de", "en-US"), 0 for any other. */
unsigned khi_lang_bit(const char *code);
/* The kh_lang of a KHI_SW_* bit (KH_LANG_UNKNOWN for those khabar cannot stem). */
kh_lang khi_lang_of_bit(unsigned bit);
/* The KHI_SW_* bit of the language whose stopwords cover text best (any of
 * the table's), hint breaking a tie; 0 when the text does not say. */
unsigned khi_lang_detect_bit(const char *text, size_t text_len, unsigned hint);
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
