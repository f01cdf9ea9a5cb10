/*
 * kh_lang.c — language codes, stopword lookup and language detection.
 *
 * Languages. Every language Snowball (libstemmer) stems has a kh_lang, a
 * stopword list (src/stopwords/<code>.txt) and a writing system; Arabic has
 * its own light stemmer (kh_token.c). A language khabar cannot stem is
 * KH_LANG_UNKNOWN: its text is tokenized but neither stemmed nor stripped
 * of stopwords, and never called a language it is not.
 *
 * Detection reads the first DETECT_MAX bytes once, allocating nothing:
 *   1. Writing system. Letters are counted by system (Arabic, Latin,
 *      Cyrillic, Greek, Armenian, Hebrew, Devanagari, Tamil, other). Fewer
 *      than MIN_LETTERS letters, or no system with more than half of them:
 *      unknown. Greek, Armenian and Tamil have one language each here;
 *      other systems (CJK, Hangul, Thai, Georgian, Bengali...) have no
 *      stemmer: unknown.
 *   2. Stopwords. Every word's key is looked up once in the stopword table,
 *      which answers for every language at once (kh_stopwords.c); a hit
 *      counts for each language whose list holds the word.
 *   3. Letters that mark a language. A word with ñ counts once more for
 *      Spanish, one with ı or ğ for Turkish, ș ț ă for Romanian, ß for
 *      German, ä for German, Swedish and Finnish, and so on (letter_marks()).
 *      Words with letters of languages khabar cannot stem (Polish ł ś ż,
 *      Czech and Slovak ř ě ů ť ý, Latvian ā ē, Vietnamese, Icelandic;
 *      Ukrainian і ї є ґ, Belarusian ў, Macedonian ѓ ќ ѕ) are "foreign".
 * Within the winning system the language of highest score (stopword hits +
 * marked words) wins when it leads alone, its score is at least MIN_SHARE
 * percent of the system's words and foreign words are under a tenth; else
 * unknown, so Polish is not called Serbian nor Ukrainian Russian. Russian
 * also needs ы or э in a long text (Bulgarian has neither). Arabic script is
 * Arabic unless Persian/Urdu letters (پ چ ژ گ ک ی ...) are frequent or a
 * long text has not one Arabic stopword (headlines and name lists often
 * have none, so no share is required). Hebrew script is Yiddish only with
 * Yiddish stopwords or letters (װ ײ, rafe): Hebrew has no stemmer.
 * Devanagari is Hindi or Nepali by stopwords (Marathi: unknown).
 * Like the stopword-ratio detectors of NLTK and langdetect's short-text
 * fallbacks, without n-gram models: a few hundred function words and a
 * letter table tell these languages apart on a sentence or more.
 */
#include "kh_text_internal.h"

#include <string.h>

static const char lang_codes[KH_LANG_COUNT_][3] = {
    [KH_LANG_UNKNOWN] = "", [KH_LANG_AR] = "ar", [KH_LANG_EN] = "en", [KH_LANG_FR] = "fr",
    [KH_LANG_DE] = "de", [KH_LANG_ES] = "es", [KH_LANG_IT] = "it", [KH_LANG_PT] = "pt",
    [KH_LANG_NL] = "nl", [KH_LANG_CA] = "ca", [KH_LANG_DA] = "da", [KH_LANG_EL] = "el",
    [KH_LANG_EU] = "eu", [KH_LANG_FI] = "fi", [KH_LANG_GA] = "ga", [KH_LANG_HI] = "hi",
    [KH_LANG_HU] = "hu", [KH_LANG_HY] = "hy", [KH_LANG_ID] = "id", [KH_LANG_LT] = "lt",
    [KH_LANG_NE] = "ne", [KH_LANG_NO] = "no", [KH_LANG_RO] = "ro", [KH_LANG_RU] = "ru",
    [KH_LANG_SR] = "sr", [KH_LANG_SV] = "sv", [KH_LANG_TA] = "ta", [KH_LANG_TR] = "tr",
    [KH_LANG_YI] = "yi",
};

/* The writing system of each language; Serbian is also written in Cyrillic. */
static const uint8_t lang_ws[KH_LANG_COUNT_] = {
    [KH_LANG_UNKNOWN] = KHI_WS_NONE, [KH_LANG_AR] = KHI_WS_ARABIC,
    [KH_LANG_EN] = KHI_WS_LATIN, [KH_LANG_FR] = KHI_WS_LATIN, [KH_LANG_DE] = KHI_WS_LATIN,
    [KH_LANG_ES] = KHI_WS_LATIN, [KH_LANG_IT] = KHI_WS_LATIN, [KH_LANG_PT] = KHI_WS_LATIN,
    [KH_LANG_NL] = KHI_WS_LATIN, [KH_LANG_CA] = KHI_WS_LATIN, [KH_LANG_DA] = KHI_WS_LATIN,
    [KH_LANG_EL] = KHI_WS_GREEK, [KH_LANG_EU] = KHI_WS_LATIN, [KH_LANG_FI] = KHI_WS_LATIN,
    [KH_LANG_GA] = KHI_WS_LATIN, [KH_LANG_HI] = KHI_WS_DEVANAGARI, [KH_LANG_HU] = KHI_WS_LATIN,
    [KH_LANG_HY] = KHI_WS_ARMENIAN, [KH_LANG_ID] = KHI_WS_LATIN, [KH_LANG_LT] = KHI_WS_LATIN,
    [KH_LANG_NE] = KHI_WS_DEVANAGARI, [KH_LANG_NO] = KHI_WS_LATIN, [KH_LANG_RO] = KHI_WS_LATIN,
    [KH_LANG_RU] = KHI_WS_CYRILLIC, [KH_LANG_SR] = KHI_WS_LATIN, [KH_LANG_SV] = KHI_WS_LATIN,
    [KH_LANG_TA] = KHI_WS_TAMIL, [KH_LANG_TR] = KHI_WS_LATIN, [KH_LANG_YI] = KHI_WS_HEBREW,
};

const char *kh_lang_code(kh_lang lang)
{
    if (lang <= KH_LANG_UNKNOWN || lang >= KH_LANG_COUNT_)
        return "und";
    return lang_codes[lang];
}

kh_lang kh_lang_from_code(const char *code)
{
    if (!code || !code[0] || !code[1] || code[2])
        return KH_LANG_UNKNOWN;
    for (int l = 1; l < KH_LANG_COUNT_; l++)
        if (lang_codes[l][0] == code[0] && lang_codes[l][1] == code[1])
            return (kh_lang)l;
    return KH_LANG_UNKNOWN;
}

kh_lang khi_lang_of_tag(const char *code)
{
    if (!code || !code[0] || !code[1])
        return KH_LANG_UNKNOWN;
    if (code[2] && code[2] != '-' && code[2] != '_')
        return KH_LANG_UNKNOWN; /* "deu", "english": not a two-letter code */
    char c[3] = { (char)(code[0] | 0x20), (char)(code[1] | 0x20), 0 };
    if (strcmp(c, "nb") == 0)
        return KH_LANG_NO; /* Bokmål by its own code */
    return kh_lang_from_code(c);
}

int khi_lang_writes(kh_lang lang, int ws)
{
    if (lang <= KH_LANG_UNKNOWN || lang >= KH_LANG_COUNT_)
        return 0;
    return lang_ws[lang] == ws || (lang == KH_LANG_SR && ws == KHI_WS_CYRILLIC);
}

int khi_writing_system(uint32_t cp)
{
    if (cp < 0x0250)
        return KHI_WS_LATIN;
    if (cp < 0x0370)
        return KHI_WS_OTHER; /* IPA, spacing modifiers */
    if (cp < 0x0400)
        return KHI_WS_GREEK;
    if (cp < 0x0530)
        return KHI_WS_CYRILLIC;
    if (cp < 0x0590)
        return KHI_WS_ARMENIAN;
    if (cp < 0x0600)
        return KHI_WS_HEBREW;
    if (cp < 0x0700 || (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0x08A0 && cp <= 0x08FF))
        return KHI_WS_ARABIC;
    if (cp >= 0x0900 && cp <= 0x097F)
        return KHI_WS_DEVANAGARI;
    if (cp >= 0x0B80 && cp <= 0x0BFF)
        return KHI_WS_TAMIL;
    if (cp >= 0x1C80 && cp <= 0x1C8F)
        return KHI_WS_CYRILLIC;
    if ((cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2C60 && cp <= 0x2C7F) ||
        (cp >= 0xA720 && cp <= 0xA7FF) || (cp >= 0xFB00 && cp <= 0xFB06) ||
        (cp >= 0xFF21 && cp <= 0xFF5A))
        return KHI_WS_LATIN;
    if (cp >= 0x1F00 && cp <= 0x1FFF)
        return KHI_WS_GREEK;
    if ((cp >= 0x2DE0 && cp <= 0x2DFF) || (cp >= 0xA640 && cp <= 0xA69F))
        return KHI_WS_CYRILLIC;
    if (cp >= 0xFB13 && cp <= 0xFB17)
        return KHI_WS_ARMENIAN;
    if (cp >= 0xFB1D && cp <= 0xFB4F)
        return KHI_WS_HEBREW;
    if ((cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFE))
        return KHI_WS_ARABIC;
    return KHI_WS_OTHER;
}

int kh_is_stopword(kh_lang lang, const char *word, size_t word_len)
{
    unsigned bit = KHI_SW_BIT(lang);
    return bit && word && (khi_stopword_langs(word, word_len) & bit) != 0;
}

#define DETECT_MAX ((size_t)1 << 16)
#define MIN_LETTERS 10
#define MIN_SHARE 15 /* percent of words: stopwords and marked words of the winner */
#define WORD_MAX 64

/* Marks of letters: stopword-table bits, and FOREIGN for languages that
 * khabar does not stem. */
#define FOREIGN (1u << 31)
#define M(l) KHI_SW_BIT(KH_LANG_##l)

/* The languages a letter (either case) marks. Only non-ASCII code points. */
static uint32_t letter_marks(uint32_t cp)
{
    switch (cp) {
    case 0xDF: case 0x1E9E: return M(DE);                                   /* ß */
    case 0xE4: case 0xC4: return M(DE) | M(SV) | M(FI);                     /* ä */
    case 0xF6: case 0xD6: return M(DE) | M(SV) | M(FI) | M(TR) | M(HU);     /* ö */
    case 0xFC: case 0xDC: return M(DE) | M(TR) | M(HU);                     /* ü */
    case 0xF1: case 0xD1: return M(ES);                                     /* ñ */
    case 0xE1: case 0xC1: return M(ES) | M(PT) | M(HU) | M(GA);             /* á */
    case 0xED: case 0xCD: case 0xF3: case 0xD3: case 0xFA: case 0xDA:       /* í ó ú */
        return M(ES) | M(PT) | M(HU) | M(GA) | M(CA);
    case 0xE3: case 0xC3: case 0xF5: case 0xD5: return M(PT);               /* ã õ */
    case 0xE7: case 0xC7: return M(FR) | M(PT) | M(CA) | M(TR);             /* ç */
    case 0xE0: case 0xC0: return M(FR) | M(IT) | M(PT) | M(CA);             /* à */
    case 0xE8: case 0xC8: return M(FR) | M(IT) | M(CA);                     /* è */
    case 0xEC: case 0xCC: return M(IT);                                     /* ì */
    case 0xF2: case 0xD2: return M(IT) | M(CA);                             /* ò */
    case 0xF9: case 0xD9: return M(FR) | M(IT);                             /* ù */
    case 0xEA: case 0xCA: case 0xF4: case 0xD4: return M(FR) | M(PT);       /* ê ô */
    case 0xE2: case 0xC2: return M(FR) | M(PT) | M(RO) | M(TR);             /* â */
    case 0xEE: case 0xCE: return M(FR) | M(RO);                             /* î */
    case 0xFB: case 0xDB: case 0x153: case 0x152: return M(FR);             /* û œ */
    case 0xEF: case 0xCF: return M(FR) | M(NL) | M(CA);                     /* ï */
    case 0xEB: case 0xCB: return M(FR) | M(NL);                             /* ë */
    case 0xE6: case 0xC6: case 0xF8: case 0xD8: return M(DA) | M(NO);       /* æ ø */
    case 0xE5: case 0xC5: return M(DA) | M(NO) | M(SV);                     /* å */
    case 0x131: case 0x130: case 0x11F: case 0x11E: return M(TR);           /* ı İ ğ */
    case 0x15F: case 0x15E: return M(TR) | M(RO);                           /* ş */
    case 0x103: case 0x102: case 0x219: case 0x218: case 0x21B: case 0x21A: /* ă ș ț */
    case 0x163: case 0x162: return M(RO);                                   /* ţ */
    case 0x151: case 0x150: case 0x171: case 0x170: return M(HU);           /* ő ű */
    case 0x117: case 0x116: case 0x12F: case 0x12E: case 0x173: case 0x172: /* ė į ų */
    case 0x16B: case 0x16A: case 0x105: case 0x104: case 0x119: case 0x118: /* ū ą ę */
        return M(LT);
    case 0x10D: case 0x10C: case 0x161: case 0x160: case 0x17E: case 0x17D: /* č š ž */
        return M(LT) | M(SR);
    case 0x107: case 0x106: case 0x111: case 0x110: return M(SR);           /* ć đ */
    case 0x142: case 0x141: case 0x15B: case 0x15A: case 0x17C: case 0x17B: /* Polish ł ś ż */
    case 0x17A: case 0x179: case 0x144: case 0x143:                         /* ź ń */
    case 0x159: case 0x158: case 0x11B: case 0x11A: case 0x16F: case 0x16E: /* Czech ř ě ů */
    case 0x165: case 0x164: case 0x10F: case 0x10E: case 0x148: case 0x147: /* ť ď ň */
    case 0xFD: case 0xDD: case 0x13E: case 0x13D: case 0x13A: case 0x139:   /* ý, Slovak ľ ĺ */
    case 0x101: case 0x100: case 0x113: case 0x112: case 0x12B: case 0x12A: /* Latvian ā ē ī */
    case 0x123: case 0x122: case 0x137: case 0x136: case 0x13C: case 0x13B: /* ģ ķ ļ */
    case 0x146: case 0x145:                                                 /* ņ */
    case 0xF0: case 0xD0: case 0xFE: case 0xDE:                             /* Icelandic ð þ */
    case 0x1A1: case 0x1A0: case 0x1B0: case 0x1AF:                         /* Vietnamese ơ ư */
        return FOREIGN;
    case 0x44B: case 0x42B: case 0x44D: case 0x42D: case 0x451: case 0x401: /* ы э ё */
        return M(RU);
    case 0x458: case 0x408: case 0x459: case 0x409: case 0x45A: case 0x40A: /* ј љ њ */
    case 0x452: case 0x402: case 0x45B: case 0x40B: case 0x45F: case 0x40F: /* ђ ћ џ */
        return M(SR);
    case 0x456: case 0x406: case 0x457: case 0x407: case 0x454: case 0x404: /* Ukrainian і ї є */
    case 0x491: case 0x490: case 0x45E: case 0x40E:                         /* ґ, Belarusian ў */
    case 0x453: case 0x403: case 0x45C: case 0x40C: case 0x455: case 0x405: /* Macedonian ѓ ќ ѕ */
        return FOREIGN;
    case 0x5F0: case 0x5F1: case 0x5F2: case 0xFB1F: case 0x5BF: case 0xFB4E: /* װ ױ ײ, rafe */
        return M(YI);
    default:
        return cp >= 0x1EA0 && cp <= 0x1EF9 ? FOREIGN : 0; /* Vietnamese tone letters */
    }
}

/* Persian and Urdu letters not used in Arabic. */
static int is_persian_letter(uint32_t cp)
{
    return cp == 0x067E || cp == 0x0686 || cp == 0x0698 || cp == 0x06AF || cp == 0x06A9 ||
           cp == 0x06CC || cp == 0x0679 || cp == 0x0688 || cp == 0x0691 || cp == 0x06BA ||
           cp == 0x06BE || cp == 0x06C1 || cp == 0x06D2;
}

typedef struct detect_counts { /* counts of at most DETECT_MAX bytes: 32 bits */
    uint32_t letters[KHI_WS_COUNT];
    uint32_t words[KHI_WS_COUNT];   /* by the writing system of their first letter */
    uint32_t foreign[KHI_WS_COUNT]; /* words with a letter of a language not stemmed */
    uint32_t hits[32];              /* words that are stopwords, per language bit */
    uint32_t marks[32];             /* words with a letter that marks the language */
    uint32_t persian;
    uint32_t ar_hits;
} detect_counts;

static void add_bits(uint32_t *counts, uint32_t bits)
{
    while (bits) {
        counts[__builtin_ctz(bits)]++;
        bits &= bits - 1;
    }
}

static void count_word(detect_counts *d, const char *w, size_t w_len, int ws, uint32_t marks)
{
    char key[WORD_MAX]; /* >= 16 bytes, for khi_stopword_langs16 */
    size_t key_len;
    d->words[ws]++;
    if (marks & FOREIGN)
        d->foreign[ws]++;
    add_bits(d->marks, marks & ~FOREIGN);
    if (kh_text_normalize_to(key, sizeof key, w, w_len, &key_len) != KH_OK)
        return;
    uint32_t langs = khi_stopword_langs16(key, key_len);
    if (ws == KHI_WS_ARABIC)
        d->ar_hits += (langs & KHI_SW_AR) != 0;
    else
        add_bits(d->hits, langs);
}

/* One pass over the text: letters by writing system, words by the system
 * of their first letter (a change of script ends a word, as in kh_tokenize),
 * and each word's stopword bits and marks. ASCII and the Arabic block are
 * classified inline; only other code points go through utf8proc. */
static void detect_count(detect_counts *d, const char *text, size_t text_len)
{
    memset(d, 0, sizeof *d);
    const unsigned char *s = (const unsigned char *)text;
    size_t n = KHI_MIN(text_len, DETECT_MAX), i = 0, ws = 0;
    int in_word = 0, wscript = KHI_SCRIPT_NONE, wsys = KHI_WS_NONE;
    uint32_t wmarks = 0;
    while (i <= n) {
        uint32_t cp, marks = 0;
        size_t len;
        int cls, script, sys;
        unsigned c = i < n ? s[i] : ' ';
        if (c < 0x80) {
            cp = c;
            len = 1;
            if ((c | 0x20) - 'a' < 26u) {
                cls = KHI_CC_LETTER;
                script = KHI_SCRIPT_LATIN;
                sys = KHI_WS_LATIN;
            } else {
                cls = c - '0' < 10u ? KHI_CC_DIGIT : KHI_CC_SEP;
                script = KHI_SCRIPT_NONE;
                sys = KHI_WS_NONE;
            }
        } else if (c >= 0xD8 && c <= 0xDB && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
            cp = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
            len = 2;
            cls = khi_ar_class[cp - 0x600];
            script = KHI_SCRIPT_ARABIC;
            sys = KHI_WS_ARABIC;
        } else {
            len = khi_utf8_decode(s + i, n - i, &cp);
            if (len == 0) {
                cp = ' ';
                len = 1;
            }
            cls = khi_char_class(cp, &script);
            sys = cls != KHI_CC_LETTER ? KHI_WS_NONE
                  : script == KHI_SCRIPT_ARABIC ? KHI_WS_ARABIC : khi_writing_system(cp);
            if (sys != KHI_WS_ARABIC && (cls == KHI_CC_LETTER || cls == KHI_CC_JOIN))
                marks = letter_marks(cp);
            else if (cp == 0xBF || cp == 0xA1)
                d->marks[KH_LANG_ES - 1]++; /* ¿ ¡ */
        }
        if (cls == KHI_CC_LETTER) {
            d->letters[sys]++;
            if (sys == KHI_WS_ARABIC)
                d->persian += is_persian_letter(cp);
        }
        int word_char = cls == KHI_CC_LETTER || cls == KHI_CC_DIGIT || (in_word && cls == KHI_CC_JOIN);
        if (in_word && cls == KHI_CC_LETTER && wscript != KHI_SCRIPT_NONE && script != wscript)
            word_char = 0; /* a change of script ends a word */
        if (in_word && !word_char) {
            if (wscript != KHI_SCRIPT_NONE)
                count_word(d, text + ws, i - ws, wsys, wmarks);
            in_word = 0;
        }
        if (!in_word && (cls == KHI_CC_LETTER || cls == KHI_CC_DIGIT)) {
            in_word = 1;
            ws = i;
            wscript = cls == KHI_CC_LETTER ? script : KHI_SCRIPT_NONE;
            wsys = sys;
            wmarks = 0;
        } else if (in_word && cls == KHI_CC_LETTER && wscript == KHI_SCRIPT_NONE) {
            wscript = script;
            wsys = sys;
        }
        if (in_word)
            wmarks |= marks;
        i += len;
    }
}

/* The language of a system with several: stopwords and marks decide. */
static kh_lang by_profile(const detect_counts *d, int sys, kh_lang hint)
{
    size_t nw = d->words[sys];
    if (nw < 3 || (size_t)d->foreign[sys] * 10 > nw)
        return KH_LANG_UNKNOWN;
    size_t score[KH_LANG_COUNT_] = { 0 };
    kh_lang best = KH_LANG_UNKNOWN;
    for (int l = 1; l < KH_LANG_COUNT_; l++) {
        if (!khi_lang_writes((kh_lang)l, sys))
            continue;
        score[l] = (size_t)d->hits[l - 1] + d->marks[l - 1];
        if (best == KH_LANG_UNKNOWN || score[l] > score[best])
            best = (kh_lang)l;
    }
    if (best == KH_LANG_UNKNOWN || d->hits[best - 1] == 0 || score[best] * 100 < nw * MIN_SHARE)
        return KH_LANG_UNKNOWN;
    int tied = 0, hint_tied = 0;
    for (int l = 1; l < KH_LANG_COUNT_; l++)
        if (khi_lang_writes((kh_lang)l, sys) && score[l] == score[best]) {
            tied++;
            hint_tied |= l == (int)hint;
        }
    if (tied > 1)
        return hint_tied ? hint : KH_LANG_UNKNOWN;
    if (best == KH_LANG_RU && nw >= 30 && d->marks[KH_LANG_RU - 1] == 0)
        return KH_LANG_UNKNOWN; /* Cyrillic without ы or э: Bulgarian, not Russian */
    return best;
}

static kh_lang decide(const detect_counts *d, kh_lang hint)
{
    size_t total = 0;
    int sys = KHI_WS_NONE;
    for (int s = KHI_WS_ARABIC; s < KHI_WS_COUNT; s++) {
        total += d->letters[s];
        if (d->letters[s] > d->letters[sys])
            sys = s;
    }
    if (total < MIN_LETTERS || (size_t)d->letters[sys] * 2 <= total)
        return KH_LANG_UNKNOWN;
    switch (sys) {
    case KHI_WS_ARABIC:
        if ((size_t)d->persian * 30 > d->letters[sys] && d->persian >= 2)
            return KH_LANG_UNKNOWN; /* Persian, Urdu */
        if (d->words[sys] >= 30 && d->ar_hits == 0)
            return KH_LANG_UNKNOWN; /* Arabic letters, no Arabic words */
        return KH_LANG_AR;
    case KHI_WS_GREEK:
        return KH_LANG_EL;
    case KHI_WS_ARMENIAN:
        return KH_LANG_HY;
    case KHI_WS_TAMIL:
        return KH_LANG_TA;
    case KHI_WS_HEBREW: {
        size_t yi = (size_t)d->hits[KH_LANG_YI - 1] + d->marks[KH_LANG_YI - 1];
        return d->words[sys] >= 3 && yi * 100 >= (size_t)d->words[sys] * MIN_SHARE ? KH_LANG_YI
                                                                           : KH_LANG_UNKNOWN;
    }
    case KHI_WS_LATIN:
    case KHI_WS_CYRILLIC:
    case KHI_WS_DEVANAGARI:
        return by_profile(d, sys, hint);
    default:
        return KH_LANG_UNKNOWN;
    }
}

kh_lang khi_lang_detect_hint(const char *text, size_t text_len, kh_lang hint)
{
    if (!text)
        return KH_LANG_UNKNOWN;
    detect_counts d;
    detect_count(&d, text, text_len);
    return decide(&d, hint);
}

kh_lang kh_lang_detect(const char *text, size_t text_len)
{
    return khi_lang_detect_hint(text, text_len, KH_LANG_UNKNOWN);
}
