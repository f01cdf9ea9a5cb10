/*
 * kh_token.c — the tokenizer and the stemmers.
 *
 * Tokenizer. A word is a run of letters, digits and joiners (marks, tatweel,
 * zero-width and bidi characters) that starts with a letter or digit; a
 * change between Arabic and Latin letters, or between digits and Arabic
 * letters (2015م is a number and a letter), also ends a word. Classes come
 * from khi_char_class() (a table for ASCII and the Arabic block, utf8proc
 * for the rest). Each word's key is written by khi_norm_run() into a fixed
 * array inside the tokenizer, so tokenizing allocates nothing per token;
 * offsets reported are those of the ORIGINAL bytes, FTS5 xToken style.
 * Invalid UTF-8 bytes are treated as separators, so any input is safe.
 *
 * Rules per word (word_lang()): a word in the text language's own script
 * gets that language's stemmer and stopwords; of the others, Arabic words
 * get the Arabic rules and Latin words the English ones (a name in an
 * Arabic text), other scripts none. Text of unknown language gets none:
 * its words are reported as keys.
 *
 * Stemmers. Snowball (libstemmer) for every language but Arabic, one
 * sb_stemmer per language per tokenizer, created on first use, behind a
 * direct-mapped cache keyed by XXH3 of (language, word). English and French
 * stem the key itself. The other languages' algorithms read letters that
 * keys fold away (Turkish başkanı, Russian новый, Hungarian emberekről stem
 * to nothing or to something else once folded to baskani, новыи,
 * emberekrol), so they stem the word lowercased in NFC (utf8proc, into a
 * fixed array: nothing allocated) and their stem is folded into a key
 * afterwards: keys stay comparable, stems stay right; their cache entries
 * are keyed by the word as written, so a hit skips the lowercasing too.
 *
 * Arabic does NOT use Snowball's Arabic stemmer: measured on SaudiNewsNet
 * words it stems inconsistently for matching (والرقة -> والرق but رقة ->
 * رقة; والوزير kept but الوزير ->
 * وزير and وزير -> زير; القوات -> القو). Arabic gets a light stemmer in the
 * style of Larkey's light10, with guards that keep short words and names:
 *   prefixes  وبال فبال ولل فلل وال بال كال فال لل ال  (stem >= 3 letters left),
 *             bare و (stem >= 3, not before a root و: وزير وقت ولاية ...);
 *   suffixes  pronouns ها هم هما كما (stem >= 3), هن كم كن نا (stem >= 4);
 *             plural/dual ات (stem >= 3), ون ين ان (stem >= 4: names such
 *             as اشتون keep their ending);
 *             feminine ه (from ة, stem >= 3); final يا -> ي (سوريا ~ سورية);
 *             a ت left bare by a suffix becomes ه again (حكومتها ~ حكومة).
 * Bare ف ب ل ك are not stripped: too many words begin with them as root
 * letters (فريق بلد لبنان كبير) for a rule without a lexicon.
 *
 * Cache entry (64 bytes):
 *   | hash 8 | lang 1 | key_len 1 | stem_len 1 | pad 1 | key 26 | stem 26 |
 */
#include "kh_text_internal.h"

#include <libstemmer.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

#define WORD_MAX_IN 256  /* longer runs are data, not words: not reported */
#define KEY_MAX 4096     /* room for the key of the longest word */
#define CACHE_SLOTS 4096 /* power of two */
#define CACHE_WORD 26
#define LOWER_MAX (4 * WORD_MAX_IN) /* code points of a word lowercased in NFC */

typedef struct cache_entry {
    uint64_t hash;
    uint8_t lang, key_len, stem_len, used;
    char key[CACHE_WORD];
    char stem[CACHE_WORD];
} cache_entry;

struct kh_tokenizer {
    kh_ctx *ctx;
    struct sb_stemmer *sb[KH_LANG_COUNT_];
    uint8_t sb_missing[KH_LANG_COUNT_]; /* this libstemmer lacks the language */
    cache_entry *cache; /* CACHE_SLOTS entries, allocated on first stem */
    int32_t lower[LOWER_MAX]; /* a word in NFC lowercase, code points then UTF-8 */
    /* The rules of the kh_tokenize() call under way (set_rules()). */
    kh_lang rule_arabic, rule_latin, rule_other;
    const char *text; /* the text of that call */
    int plain;        /* the word being reported is ASCII and Arabic only */
    char key[KEY_MAX]; /* >= 16 bytes always readable, for khi_stopword_langs16 */
    char stem[KEY_MAX];
};

kh_status kh_tokenizer_create(kh_ctx *ctx, kh_tokenizer **out)
{
    *out = NULL;
    kh_tokenizer *tok = kh_malloc(ctx, sizeof *tok);
    KHI_RETURN_IF(!tok, KH_E_NOMEM);
    memset(tok, 0, sizeof *tok);
    tok->ctx = ctx;
    *out = tok;
    return KH_OK;
}

void kh_tokenizer_free(kh_tokenizer *tok)
{
    if (!tok)
        return;
    for (int l = 0; l < KH_LANG_COUNT_; l++)
        if (tok->sb[l])
            sb_stemmer_delete(tok->sb[l]);
    kh_free(tok->ctx, tok->cache, CACHE_SLOTS * sizeof *tok->cache);
    kh_free(tok->ctx, tok, sizeof *tok);
}

/* ---- the light Arabic stemmer ---------------------------------------- */

#define A_ALEF 0x0627
#define A_TEH 0x062A
#define A_HEH 0x0647
#define A_WAW 0x0648
#define A_YEH 0x064A

typedef struct affix {
    uint16_t cp[4];
    uint8_t len;
    uint8_t min_stem;
} affix;

static const affix prefixes[] = {
    { { 0x0648, 0x0628, 0x0627, 0x0644 }, 4, 3 }, /* وبال */
    { { 0x0641, 0x0628, 0x0627, 0x0644 }, 4, 3 }, /* فبال */
    { { 0x0648, 0x0644, 0x0644, 0 }, 3, 3 },      /* ولل */
    { { 0x0641, 0x0644, 0x0644, 0 }, 3, 3 },      /* فلل */
    { { 0x0648, 0x0627, 0x0644, 0 }, 3, 3 },      /* وال */
    { { 0x0628, 0x0627, 0x0644, 0 }, 3, 3 },      /* بال */
    { { 0x0643, 0x0627, 0x0644, 0 }, 3, 3 },      /* كال */
    { { 0x0641, 0x0627, 0x0644, 0 }, 3, 3 },      /* فال */
    { { 0x0644, 0x0644, 0, 0 }, 2, 3 },           /* لل */
    { { 0x0627, 0x0644, 0, 0 }, 2, 3 },           /* ال */
};

static const affix pronouns[] = {
    { { 0x0647, 0x0645, 0x0627, 0 }, 3, 3 }, /* هما */
    { { 0x0643, 0x0645, 0x0627, 0 }, 3, 3 }, /* كما */
    { { 0x0647, 0x0627, 0, 0 }, 2, 3 },      /* ها */
    { { 0x0647, 0x0645, 0, 0 }, 2, 3 },      /* هم */
    { { 0x0647, 0x0646, 0, 0 }, 2, 4 },      /* هن */
    { { 0x0643, 0x0645, 0, 0 }, 2, 4 },      /* كم */
    { { 0x0643, 0x0646, 0, 0 }, 2, 4 },      /* كن */
    { { 0x0646, 0x0627, 0, 0 }, 2, 4 },      /* نا */
};

static const affix plurals[] = {
    { { 0x0627, 0x062A, 0, 0 }, 2, 3 }, /* ات */
    { { 0x0648, 0x0646, 0, 0 }, 2, 4 }, /* ون */
    { { 0x064A, 0x0646, 0, 0 }, 2, 4 }, /* ين */
    { { 0x0627, 0x0646, 0, 0 }, 2, 4 }, /* ان */
};

/* Beginnings of frequent words whose first letter و is a root letter,
 * compared as UTF-8 bytes against the key. */
typedef struct root {
    const char *s;
    size_t len;
} root;
#define R(s) { s, sizeof(s) - 1 }
static const root waw_roots[] = {
    R("وزير"), R("وزار"), R("وزرا"), R("وقت"), R("وطن"), R("ولاي"), R("ولد"), R("والد"),
    R("واشنطن"), R("وكال"), R("وكيل"), R("وضع"), R("وصل"), R("وصول"), R("وفد"), R("وفود"),
    R("وقع"), R("وقوع"), R("وجه"), R("وجود"), R("واجه"), R("واحد"), R("وحد"), R("وحيد"),
    R("ورق"), R("وسط"), R("وسيط"), R("وفا"), R("وفق"), R("وقف"), R("وقود"), R("واقع"),
    R("وظيف"), R("وظائف"), R("وعد"), R("وعود"), R("وثيق"), R("وثائق"), R("ولي"), R("ورد"),
    R("وراء"), R("وسائل"), R("وسيل"), R("وجب"), R("وزن"), R("ورش"), R("وصف"), R("وافق"),
    R("واصل"), R("وارد"), R("واضح"), R("وادي"), R("وباء"), R("وهم"), R("وعي"), R("ودي"),
    R("وضح"), R("وقاي"), R("ولاء"), R("وجد"), R("وسع"), R("واسع"), R("وفر"), R("ورث"),
    R("وصي"), R("وهب"),
};
#undef R

/* Every root begins with و (2 bytes): the second letter's last byte is
 * compared first, so most roots cost one byte, not a memcmp call. Runs for
 * every word that begins with و. */
static int starts_with_waw_root(const char *word, size_t word_len)
{
    if (word_len < 4)
        return 0;
    for (size_t r = 0; r < sizeof waw_roots / sizeof waw_roots[0]; r++)
        if (waw_roots[r].s[3] == word[3] && waw_roots[r].len <= word_len &&
            memcmp(word, waw_roots[r].s, waw_roots[r].len) == 0)
            return 1;
    return 0;
}

static int has_suffix(const uint16_t *c, size_t b, size_t e, const affix *a)
{
    if (e - b < (size_t)a->len + a->min_stem)
        return 0;
    for (size_t k = 0; k < a->len; k++)
        if (c[e - a->len + k] != a->cp[k])
            return 0;
    return 1;
}

size_t khi_stem_arabic(char *word, size_t word_len)
{
    uint16_t c[64];
    size_t n = 0;
    const unsigned char *s = (const unsigned char *)word;
    if (word_len > 2 * sizeof c / sizeof c[0] || word_len % 2)
        return word_len;
    for (size_t i = 0; i < word_len; i += 2) {
        if (s[i] < 0xD8 || s[i] > 0xDB)
            return word_len; /* not all Arabic letters: leave it */
        c[n++] = (uint16_t)(((s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F));
    }
    if (n <= 3)
        return word_len;
    size_t b = 0, e = n;
    int stripped = 0;
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        const affix *a = &prefixes[p];
        if (n < (size_t)a->len + a->min_stem)
            continue;
        size_t k = 0;
        while (k < a->len && c[k] == a->cp[k])
            k++;
        if (k == a->len && !(c[0] == A_WAW && starts_with_waw_root(word, word_len))) {
            b = a->len;
            stripped = 1;
            break;
        }
    }
    if (!stripped && c[0] == A_WAW && n - 1 >= 3 && !starts_with_waw_root(word, word_len))
        b = 1;

    int suffix = 0;
    for (size_t p = 0; p < sizeof pronouns / sizeof pronouns[0]; p++)
        if (has_suffix(c, b, e, &pronouns[p])) {
            e -= pronouns[p].len;
            suffix = 1;
            break;
        }
    for (size_t p = 0; p < sizeof plurals / sizeof plurals[0]; p++)
        if (has_suffix(c, b, e, &plurals[p])) {
            int fem_plural = p == 0;
            e -= plurals[p].len;
            suffix = fem_plural ? 2 : 1;
            break;
        }
    /* A teh marbuta before a suffix is written ت: حكومتها, عمليتين. */
    if (suffix == 1 && c[e - 1] == A_TEH && e - b >= 5 && c[e - 2] != A_ALEF)
        c[e - 1] = A_HEH;
    if (c[e - 1] == A_HEH && e - b - 1 >= 3)
        e--;
    else if (!suffix && e - b >= 5 && c[e - 1] == A_ALEF && c[e - 2] == A_YEH)
        e--;

    size_t len = 0;
    for (size_t k = b; k < e; k++) {
        word[len++] = (char)(0xC0 | (c[k] >> 6));
        word[len++] = (char)(0x80 | (c[k] & 0x3F));
    }
    return len;
}

/* ---- Snowball, behind the cache -------------------------------------- */

static const char *const sb_names[KH_LANG_COUNT_] = {
    [KH_LANG_EN] = "english", [KH_LANG_FR] = "french", [KH_LANG_DE] = "german",
    [KH_LANG_ES] = "spanish", [KH_LANG_IT] = "italian", [KH_LANG_PT] = "portuguese",
    [KH_LANG_NL] = "dutch", [KH_LANG_CA] = "catalan", [KH_LANG_DA] = "danish",
    [KH_LANG_EL] = "greek", [KH_LANG_EU] = "basque", [KH_LANG_FI] = "finnish",
    [KH_LANG_GA] = "irish", [KH_LANG_HI] = "hindi", [KH_LANG_HU] = "hungarian",
    [KH_LANG_HY] = "armenian", [KH_LANG_ID] = "indonesian", [KH_LANG_LT] = "lithuanian",
    [KH_LANG_NE] = "nepali", [KH_LANG_NO] = "norwegian", [KH_LANG_RO] = "romanian",
    [KH_LANG_RU] = "russian", [KH_LANG_SR] = "serbian", [KH_LANG_SV] = "swedish",
    [KH_LANG_TA] = "tamil", [KH_LANG_TR] = "turkish", [KH_LANG_YI] = "yiddish",
};

/* Languages whose stemmer reads the word with its letters, the stem then
 * folded into a key; English and French stem the key. */
static int stems_letters(kh_lang lang)
{
    return lang != KH_LANG_EN && lang != KH_LANG_FR;
}

/* Creates lang's stemmer. @return 0 when it could not be allocated; a
 * language this libstemmer lacks is marked and left unstemmed. */
static int open_stemmer(kh_tokenizer *tok, kh_lang lang)
{
    tok->sb[lang] = sb_stemmer_new(sb_names[lang], "UTF_8");
    if (tok->sb[lang])
        return 1;
    for (const char **l = sb_stemmer_list(); *l; l++)
        if (strcmp(*l, sb_names[lang]) == 0)
            return 0; /* there, so out of memory */
    tok->sb_missing[lang] = 1;
    return 1;
}

/* Turkish capitals: I is the capital of ı, İ that of i. */
static utf8proc_int32_t turkish_case(utf8proc_int32_t cp, void *data)
{
    (void)data;
    return cp == 'I' ? 0x0131 : cp == 0x0130 ? 'i' : cp;
}

/* Writes word[0..word_len) lowercased in NFC (the form Snowball expects)
 * into tok->lower as UTF-8, with Turkish capitals when turkish is set.
 * @return its length, 0 when it does not fit. */
static size_t lower_nfc(kh_tokenizer *tok, const char *word, size_t word_len, int turkish)
{
    utf8proc_ssize_t n = utf8proc_decompose_custom(
        (const utf8proc_uint8_t *)word, (utf8proc_ssize_t)word_len, tok->lower, LOWER_MAX,
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE,
        turkish ? turkish_case : NULL, NULL);
    if (n <= 0 || n > LOWER_MAX)
        return 0;
    utf8proc_ssize_t len = utf8proc_reencode(tok->lower, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    return len > 0 ? (size_t)len : 0;
}

/* Stems key into tok->stem. When raw is given (the word as written, for a
 * language that stems letters), the cache is keyed by raw and a miss stems
 * raw lowercased in NFC: a hit costs no utf8proc pass. @return the stem
 * length, or SIZE_MAX when a stemmer or the cache could not be allocated. */
static size_t stem_into(kh_tokenizer *tok, kh_lang lang, const char *key, size_t key_len,
                        const char *raw, size_t raw_len)
{
    if (lang == KH_LANG_AR) {
        memcpy(tok->stem, key, key_len);
        return khi_stem_arabic(tok->stem, key_len);
    }
    if (lang <= KH_LANG_UNKNOWN || lang >= KH_LANG_COUNT_ || !sb_names[lang] ||
        tok->sb_missing[lang]) {
        memcpy(tok->stem, key, key_len);
        return key_len;
    }
    cache_entry *slot = NULL;
    uint64_t h = 0;
    /* Entries keyed by a raw word have the language's 0x80 bit set. */
    const char *ck = raw ? raw : key;
    size_t ck_len = raw ? raw_len : key_len;
    uint8_t cl = (uint8_t)(raw ? (unsigned)lang | 0x80u : (unsigned)lang);
    if (ck_len <= CACHE_WORD) {
        if (!tok->cache) {
            tok->cache = kh_malloc(tok->ctx, CACHE_SLOTS * sizeof *tok->cache);
            if (!tok->cache)
                return SIZE_MAX;
            memset(tok->cache, 0, CACHE_SLOTS * sizeof *tok->cache);
        }
        h = XXH3_64bits_withSeed(ck, ck_len, (uint64_t)cl);
        slot = &tok->cache[h & (CACHE_SLOTS - 1)];
        if (slot->used && slot->hash == h && slot->lang == cl && slot->key_len == ck_len &&
            memcmp(slot->key, ck, ck_len) == 0) {
            memcpy(tok->stem, slot->stem, slot->stem_len);
            return slot->stem_len;
        }
    }
    if (raw) {
        size_t n = lower_nfc(tok, raw, raw_len, lang == KH_LANG_TR);
        if (n > 0) {
            key = (const char *)tok->lower;
            key_len = n;
        }
    }
    if (!tok->sb[lang]) {
        if (!open_stemmer(tok, lang))
            return SIZE_MAX;
        if (tok->sb_missing[lang]) {
            memcpy(tok->stem, key, key_len);
            return key_len;
        }
    }
    const sb_symbol *st = sb_stemmer_stem(tok->sb[lang], (const sb_symbol *)key, (int)key_len);
    if (!st)
        return SIZE_MAX;
    size_t st_len = (size_t)sb_stemmer_length(tok->sb[lang]);
    if (st_len > KEY_MAX)
        st_len = KEY_MAX;
    size_t folded = 0, used;
    if (stems_letters(lang) &&
        khi_norm_run((const char *)st, st_len, tok->stem, &folded, KEY_MAX, &used) == KH_OK)
        st_len = folded; /* the stem as a key */
    else
        memcpy(tok->stem, st, st_len);
    st = (const sb_symbol *)tok->stem;
    if (slot && st_len <= CACHE_WORD) {
        slot->used = 1;
        slot->hash = h;
        slot->lang = cl;
        slot->key_len = (uint8_t)ck_len;
        slot->stem_len = (uint8_t)st_len;
        memcpy(slot->key, ck, ck_len);
        memcpy(slot->stem, st, st_len);
    }
    return st_len;
}

const char *kh_stem(kh_tokenizer *tok, kh_lang lang, const char *word, size_t word_len,
                    size_t *stem_len)
{
    if (word_len > KEY_MAX) {
        *stem_len = word_len;
        return word;
    }
    size_t n = stem_into(tok, lang, word, word_len, NULL, 0);
    if (n == SIZE_MAX) {
        *stem_len = word_len;
        return word;
    }
    *stem_len = n;
    return tok->stem;
}

/* ---- the tokenizer --------------------------------------------------- */

/* The writing system of the first letter of word (digits may come first). */
static int first_letter_system(const char *word, size_t word_len)
{
    const unsigned char *s = (const unsigned char *)word;
    for (size_t i = 0; i < word_len;) {
        uint32_t cp;
        size_t len = khi_utf8_decode(s + i, word_len - i, &cp);
        if (len == 0)
            return KHI_WS_NONE;
        int script;
        if (khi_char_class(cp, &script) == KHI_CC_LETTER)
            return khi_writing_system(cp);
        i += len;
    }
    return KHI_WS_NONE;
}

/* The rules the words of text in lang get, once per call. Text of unknown
 * language gets none. Otherwise the word's own script decides for Arabic;
 * Latin words follow lang when it is written in Latin, English otherwise (a
 * name in an Arabic text); other words follow lang when it is written in
 * their system (Russian, Greek, Hindi...) and get none otherwise. */
static void set_rules(kh_tokenizer *tok, kh_lang lang)
{
    tok->rule_arabic = tok->rule_latin = tok->rule_other = KH_LANG_UNKNOWN;
    if (lang <= KH_LANG_UNKNOWN || lang >= KH_LANG_COUNT_)
        return;
    tok->rule_arabic = KH_LANG_AR;
    tok->rule_latin = khi_lang_writes(lang, KHI_WS_LATIN) ? lang : KH_LANG_EN;
    if (lang == KH_LANG_SR || (lang != KH_LANG_AR && !khi_lang_writes(lang, KHI_WS_LATIN)))
        tok->rule_other = lang;
}

static kh_lang word_lang(const kh_tokenizer *tok, int script, const char *word, size_t word_len)
{
    if (script == KHI_SCRIPT_ARABIC)
        return tok->rule_arabic;
    if (script == KHI_SCRIPT_LATIN)
        return tok->rule_latin;
    if (script == KHI_SCRIPT_OTHER && tok->rule_other != KH_LANG_UNKNOWN &&
        khi_lang_writes(tok->rule_other, first_letter_system(word, word_len)))
        return tok->rule_other;
    return KH_LANG_UNKNOWN;
}

/* Reports one key (in tok->key[off..off+key_len), which it may rewrite) of
 * the word tok->text[start..end); tok->plain: its key is its lowercase form
 * (or the key is one of several words). */
static kh_status emit_key(kh_tokenizer *tok, size_t off, size_t key_len, size_t start,
                          size_t end, int script, unsigned options, kh_token_fn fn, void *user)
{
    char *key = tok->key + off;
    unsigned flags = 0;
    size_t d = 0;
    while (d < key_len && (unsigned)(key[d] - '0') < 10u)
        d++;
    if (d == key_len)
        flags |= KH_TOKEN_NUMBER;
    kh_lang wl = word_lang(tok, script, tok->text + start, end - start);
    unsigned sw_bit = KHI_SW_BIT(wl);
    int stopword = sw_bit && !(flags & KH_TOKEN_NUMBER) &&
                   (khi_stopword_langs16(key, key_len) & sw_bit);
    if (options & KHI_TOK_KEYS_AND_TERMS) {
        unsigned kf = flags | (stopword ? KH_TOKEN_STOPWORD : 0u) | KHI_TOKEN_KEY;
        KHI_RETURN_IF(fn(user, kf, key, key_len, start, end) != 0, KH_E_STOPPED);
        options |= KH_TOK_STEM | KH_TOK_SKIP_STOPWORDS;
    }
    if (stopword) {
        if (options & KH_TOK_SKIP_STOPWORDS)
            return KH_OK;
        flags |= KH_TOKEN_STOPWORD;
    }
    const char *out = key;
    size_t out_len = key_len;
    if ((options & KH_TOK_STEM) && !(flags & (KH_TOKEN_NUMBER | KH_TOKEN_STOPWORD))) {
        if (wl == KH_LANG_AR) {
            out_len = khi_stem_arabic(key, key_len); /* in place: no copy */
        } else if (wl != KH_LANG_UNKNOWN) {
            /* The word as written when its letters matter to the stemmer:
             * any non-ASCII letter, or a Turkish capital I (ı's). */
            const char *word = tok->text + start;
            int raw = stems_letters(wl) &&
                      (!tok->plain || (wl == KH_LANG_TR && memchr(word, 'I', end - start)));
            size_t n = stem_into(tok, wl, key, key_len, raw ? word : NULL, raw ? end - start : 0);
            KHI_RETURN_IF(n == SIZE_MAX, KH_E_NOMEM);
            if (n > 0) {
                out = tok->stem;
                out_len = n;
            }
        }
    }
    KHI_RETURN_IF(fn(user, flags, out, out_len, start, end) != 0, KH_E_STOPPED);
    return KH_OK;
}

/* Normalizes the word text[start..end) and reports its key. A few
 * compatibility characters decompose into several words (ﷺ -> صلى الله
 * عليه وسلم); each is then reported, all with the word's offsets. Only a
 * word with a character outside ASCII and the Arabic block (decomposed)
 * can hold such a character. */
static kh_status emit_word(kh_tokenizer *tok, const char *text, size_t start,
                           size_t end, int script, int decomposed, unsigned options,
                           kh_token_fn fn, void *user)
{
    if (end - start > WORD_MAX_IN)
        return KH_OK;
    size_t key_len = 0, used;
    if (khi_norm_run(text + start, end - start, tok->key, &key_len, KEY_MAX - 16, &used) != KH_OK ||
        key_len == 0)
        return KH_OK;
    tok->plain = !decomposed;
    if (!decomposed || !memchr(tok->key, ' ', key_len))
        return emit_key(tok, 0, key_len, start, end, script, options, fn, user);
    tok->plain = 1;
    size_t i = 0;
    while (i < key_len) {
        while (i < key_len && tok->key[i] == ' ')
            i++;
        size_t j = i;
        while (j < key_len && tok->key[j] != ' ')
            j++;
        if (j > i)
            KHI_FORWARD_IF_ERROR(
                emit_key(tok, i, j - i, start, end, script, options, fn, user));
        i = j;
    }
    return KH_OK;
}

kh_status kh_tokenize(kh_tokenizer *tok, kh_lang lang, const char *text, size_t text_len,
                      unsigned options, kh_token_fn fn, void *user)
{
    set_rules(tok, lang);
    tok->text = text;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, ws = 0, we = 0;
    int in_word = 0, wscript = KHI_SCRIPT_NONE;
    int slow = 0, wslow = 0; /* this character, the word: decoded by utf8proc */
    while (i < text_len) {
        uint32_t cp;
        size_t len;
        int cls, script;
        unsigned c = s[i];
        if (c < 0x80) {
            cp = c;
            len = 1;
            unsigned l = (c | 0x20) - 'a';
            if (l < 26u) {
                cls = KHI_CC_LETTER;
                script = KHI_SCRIPT_LATIN;
            } else {
                cls = c - '0' < 10u ? KHI_CC_DIGIT : KHI_CC_SEP;
                script = KHI_SCRIPT_NONE;
            }
        } else if (c >= 0xD8 && c <= 0xDB && i + 1 < text_len && (s[i + 1] & 0xC0) == 0x80) {
            /* The Arabic block, by table. */
            cp = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
            len = 2;
            cls = khi_ar_class[cp - 0x600];
            script = KHI_SCRIPT_ARABIC;
        } else {
            slow = 1;
            len = khi_utf8_decode(s + i, text_len - i, &cp);
            if (len == 0) {
                cls = KHI_CC_SEP;
                script = KHI_SCRIPT_NONE;
                len = 1;
            } else {
                cls = khi_char_class(cp, &script);
            }
        }
        if (in_word) {
            /* Digits and Arabic letters part: 2015م -> 2015 م. */
            int cont = (cls == KHI_CC_DIGIT && wscript != KHI_SCRIPT_ARABIC) ||
                       cls == KHI_CC_JOIN ||
                       (cls == KHI_CC_LETTER &&
                        (wscript == KHI_SCRIPT_NONE ? script != KHI_SCRIPT_ARABIC
                                                    : script == wscript));
            if (cont) {
                if (cls == KHI_CC_LETTER && wscript == KHI_SCRIPT_NONE)
                    wscript = script;
                if (!(cls == KHI_CC_JOIN && cp >= 0x2000)) /* trailing ZW/bidi stay out */
                    we = i + len;
                wslow |= slow;
                slow = 0;
                i += len;
                continue;
            }
            KHI_FORWARD_IF_ERROR(
                emit_word(tok, text, ws, we, wscript, wslow, options, fn, user));
            in_word = 0;
        }
        if (cls == KHI_CC_LETTER || cls == KHI_CC_DIGIT) {
            in_word = 1;
            ws = i;
            we = i + len;
            wscript = cls == KHI_CC_LETTER ? script : KHI_SCRIPT_NONE;
            wslow = slow;
        }
        slow = 0;
        i += len;
    }
    if (in_word)
        KHI_FORWARD_IF_ERROR(emit_word(tok, text, ws, we, wscript, wslow, options, fn, user));
    return KH_OK;
}
