/*
 * kh_lang.c — language codes, stopword lookup and language detection.
 *
 * Detection, in two steps:
 *   1. Script. Letters are counted by script (Arabic, Latin, other). Fewer
 *      than MIN_LETTERS letters, or no script with half of them: unknown.
 *   2. Stopword profile. Every word's key is looked up once in the stopword
 *      table, which answers for eight languages at a time (kh_stopwords.c).
 *      Arabic script is Arabic unless Persian/Urdu letters (پ چ ژ گ ک ی ...)
 *      are frequent or a long text has not one Arabic stopword (headlines
 *      and name lists often have none, so no ratio is required). Latin
 *      script goes to the language whose stopwords cover most words, among
 *      en, fr and also de, es, it, pt, nl: a win by one of the latter, a
 *      tie, or too few stopwords gives unknown, so German or Spanish text
 *      is never called English.
 * Like the stopword-ratio detectors of NLTK and langdetect's short-text
 * fallbacks, without n-gram models: three languages need no more. Only the
 * first DETECT_MAX bytes are read.
 */
#include "kh_text_internal.h"

#include <string.h>

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
    if (!code)
        return KH_LANG_UNKNOWN;
    if (strcmp(code, "ar") == 0)
        return KH_LANG_AR;
    if (strcmp(code, "en") == 0)
        return KH_LANG_EN;
    if (strcmp(code, "fr") == 0)
        return KH_LANG_FR;
    return KH_LANG_UNKNOWN;
}

int kh_is_stopword(kh_lang lang, const char *word, size_t word_len)
{
    unsigned bit = lang == KH_LANG_AR ? KHI_SW_AR
                   : lang == KH_LANG_EN ? KHI_SW_EN
                   : lang == KH_LANG_FR ? KHI_SW_FR : 0;
    return bit && word && (khi_stopword_langs(word, word_len) & bit) != 0;
}

#define DETECT_MAX ((size_t)1 << 16)
#define MIN_LETTERS 10
#define WORD_MAX 64

/* Persian and Urdu letters not used in Arabic. */
static int is_persian_letter(uint32_t cp)
{
    return cp == 0x067E || cp == 0x0686 || cp == 0x0698 || cp == 0x06AF || cp == 0x06A9 ||
           cp == 0x06CC || cp == 0x0679 || cp == 0x0688 || cp == 0x0691 || cp == 0x06BA ||
           cp == 0x06BE || cp == 0x06C1 || cp == 0x06D2;
}

typedef struct detect_counts {
    size_t letters[4];  /* by KHI_SCRIPT_* */
    size_t persian;
    size_t words[4];    /* words by script of their first letter */
    size_t hits[KHI_SW_NLANGS]; /* Latin words that are stopwords, per language */
    size_t ar_hits;
} detect_counts;

static void count_word(detect_counts *d, const char *w, size_t w_len, int script)
{
    char key[WORD_MAX]; /* >= 16 bytes, for khi_stopword_langs16 */
    size_t key_len;
    d->words[script]++;
    if (kh_text_normalize_to(key, sizeof key, w, w_len, &key_len) != KH_OK)
        return;
    unsigned langs = khi_stopword_langs16(key, key_len);
    if (script == KHI_SCRIPT_ARABIC) {
        d->ar_hits += (langs & KHI_SW_AR) != 0;
    } else if (script == KHI_SCRIPT_LATIN) {
        for (int b = 0; b < KHI_SW_NLANGS; b++)
            d->hits[b] += (langs >> b) & 1u;
    }
}

static void detect_count(detect_counts *dp, const char *text, size_t text_len)
{
    detect_counts d;
    memset(&d, 0, sizeof d);
    const unsigned char *s = (const unsigned char *)text;
    size_t n = KHI_MIN(text_len, DETECT_MAX), i = 0, ws = 0;
    int in_word = 0, wscript = KHI_SCRIPT_NONE;
    while (i <= n) {
        uint32_t cp = ' ';
        size_t len = 1;
        if (i < n) {
            len = khi_utf8_decode(s + i, n - i, &cp);
            if (len == 0) {
                cp = ' ';
                len = 1;
            }
        }
        int script;
        int cls = khi_char_class(cp, &script);
        if (cls == KHI_CC_LETTER) {
            d.letters[script]++;
            d.persian += is_persian_letter(cp);
        }
        int word_char = cls == KHI_CC_LETTER || cls == KHI_CC_DIGIT || (in_word && cls == KHI_CC_JOIN);
        if (in_word && cls == KHI_CC_LETTER && wscript != KHI_SCRIPT_NONE && script != wscript)
            word_char = 0; /* a change of script ends a word */
        if (in_word && !word_char) {
            if (wscript != KHI_SCRIPT_NONE)
                count_word(&d, text + ws, i - ws, wscript);
            in_word = 0;
        }
        if (!in_word && (cls == KHI_CC_LETTER || cls == KHI_CC_DIGIT)) {
            in_word = 1;
            ws = i;
            wscript = cls == KHI_CC_LETTER ? script : KHI_SCRIPT_NONE;
        } else if (in_word && cls == KHI_CC_LETTER && wscript == KHI_SCRIPT_NONE) {
            wscript = script;
        }
        i += len;
    }
    *dp = d;
}

kh_lang kh_lang_detect(const char *text, size_t text_len)
{
    if (!text)
        return KH_LANG_UNKNOWN;
    detect_counts d;
    detect_count(&d, text, text_len);
    size_t total = d.letters[KHI_SCRIPT_ARABIC] + d.letters[KHI_SCRIPT_LATIN] + d.letters[KHI_SCRIPT_OTHER];
    if (total < MIN_LETTERS)
        return KH_LANG_UNKNOWN;
    if (d.letters[KHI_SCRIPT_ARABIC] * 2 > total) {
        size_t nw = d.words[KHI_SCRIPT_ARABIC];
        if (d.persian * 30 > d.letters[KHI_SCRIPT_ARABIC] && d.persian >= 2)
            return KH_LANG_UNKNOWN; /* Persian, Urdu */
        if (nw >= 30 && d.ar_hits == 0)
            return KH_LANG_UNKNOWN; /* Arabic letters, no Arabic words */
        return KH_LANG_AR;
    }
    if (d.letters[KHI_SCRIPT_LATIN] * 2 > total) {
        size_t nw = d.words[KHI_SCRIPT_LATIN];
        if (nw < 3)
            return KH_LANG_UNKNOWN;
        int best = 0;
        for (int b = 1; b < KHI_SW_NLANGS; b++)
            if (d.hits[b] > d.hits[best])
                best = b;
        size_t second = 0;
        for (int b = 0; b < KHI_SW_NLANGS; b++)
            if (b != best && d.hits[b] > second)
                second = d.hits[b];
        if (d.hits[best] == second || d.hits[best] * 100 < nw * 15)
            return KH_LANG_UNKNOWN;
        if ((1u << best) == KHI_SW_EN)
            return KH_LANG_EN;
        if ((1u << best) == KHI_SW_FR)
            return KH_LANG_FR;
    }
    return KH_LANG_UNKNOWN;
}

unsigned khi_lang_bit(const char *code)
{
    static const struct { char code[3]; unsigned bit; } codes[] = {
        { "ar", KHI_SW_AR }, { "en", KHI_SW_EN }, { "fr", KHI_SW_FR }, { "de", KHI_SW_DE },
        { "es", KHI_SW_ES }, { "it", KHI_SW_IT }, { "pt", KHI_SW_PT }, { "nl", KHI_SW_NL },
    };
    if (!code || !code[0] || !code[1])
        return 0;
    char c0 = (char)(code[0] | 0x20), c1 = (char)(code[1] | 0x20);
    if (code[2] && code[2] != '-' && code[2] != '_')
        return 0; /* "deu", "english": not a two-letter code */
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].code[0] == c0 && codes[i].code[1] == c1)
            return codes[i].bit;
    return 0;
}

kh_lang khi_lang_of_bit(unsigned bit)
{
    return bit == KHI_SW_AR ? KH_LANG_AR : bit == KHI_SW_EN ? KH_LANG_EN
           : bit == KHI_SW_FR ? KH_LANG_FR : KH_LANG_UNKNOWN;
}

/* As kh_lang_detect(), but any language of the stopword table may win, and a
 * tie goes to the hint (the page's <html lang>) when the hint is among the
 * tied: the markup only settles what the text leaves open, so an Arabic page
 * under lang="en-US" is still Arabic. */
unsigned khi_lang_detect_bit(const char *text, size_t text_len, unsigned hint)
{
    if (!text)
        return 0;
    detect_counts d;
    detect_count(&d, text, text_len);
    size_t total = d.letters[KHI_SCRIPT_ARABIC] + d.letters[KHI_SCRIPT_LATIN] + d.letters[KHI_SCRIPT_OTHER];
    if (total < MIN_LETTERS)
        return 0;
    if (d.letters[KHI_SCRIPT_ARABIC] * 2 > total)
        return kh_lang_detect(text, text_len) == KH_LANG_AR ? KHI_SW_AR : 0;
    if (d.letters[KHI_SCRIPT_LATIN] * 2 <= total)
        return 0;
    size_t nw = d.words[KHI_SCRIPT_LATIN];
    if (nw < 3)
        return 0;
    int best = 0;
    for (int b = 1; b < KHI_SW_NLANGS; b++)
        if (d.hits[b] > d.hits[best])
            best = b;
    if (d.hits[best] * 100 < nw * 15)
        return 0;
    int tied = 0, hint_tied = 0;
    for (int b = 0; b < KHI_SW_NLANGS; b++)
        if (d.hits[b] == d.hits[best]) {
            tied++;
            hint_tied |= (1u << b) == hint;
        }
    if (tied == 1)
        return 1u << best;
    return hint_tied ? hint : 0;
}
