/*
 * kh_entity.c — the names a story's articles share, each with every way the
 * outlets wrote it, found without a trained model.
 *
 * Idea. Names are proposed by cues, then the proposals are grouped by
 * spelling rules, then counted across the story:
 *   1. cues (per sentence, on folded words):
 *        - Arabic titles: وزير الدفاع الأمريكي آشتون كارتر — a title word,
 *          then modifiers (ال-words, nisba adjectives, "باسم X", "إقليم X"),
 *          then 1-4 name words; -> person;
 *        - speech verbs: وقال كوفي أنان -> person (read as after a title);
 *        - place words: مدينة/محافظة/إقليم/بلدة + next word -> place;
 *        - group words: تنظيم/حركة/حزب + name -> organization (a head that
 *          only says what a foreign name is stays off it: شركة توتال);
 *        - Latin script: runs of capitalized words (titles dropped);
 *        - a cue's one word with a neighbour tied to it (مدحت صالح).
 *      A small stoplist of function and common words (days, months, verbs)
 *      stops a name; it lists no names. A cue's word must also be name-like
 *      in the texts at hand (the evidence: every key written, with ال or
 *      without, and every two keys in a row, counted): no verb the texts
 *      conjugate (يعتقد beside تعتقد) or write after التي, لم, قد; no
 *      common noun they write with ال; no adjective they write without
 *      it; no word with a pronoun attached (بلاده); no adverb in ـًا whose
 *      stem they write; no verbal noun of the derived stems (استخدام).
 *   2. grouping (union-find over proposals of compatible kinds):
 *        a. same key once spaces and hyphens are removed (لو دريان/لودريان),
 *           keys folded (أشتون/آشتون) and without ال and attached particles;
 *        b. same number of words, each pair the same word, where two words
 *           are the same when their consonant skeletons (hamza and internal
 *           ا و ي dropped) are equal or one edit apart (هولاند/أولاند,
 *           الأمريكي/الأميركي);
 *        c. a shorter form that fits inside the longer forms of exactly one
 *           group joins it (كارتر -> آشتون كارتر); fitting two groups is
 *           ambiguous and joins neither;
 *        d. across scripts, the same consonant classes as transliterations
 *           write them (فيصل المنصوري / Faisal Al-Mansouri: F S L M N S R),
 *           or one class apart when there are five or more.
 *   3. counting: every form of every group is looked for in every title and
 *      body (longest form first); a group named in min_articles articles or
 *      more is an entity; its name is its most common written form.
 *
 * Invariant: a variant is always a form that was written in the story; the
 * rules only decide which forms go together.
 *
 * References: Larkey, Ballesteros & Connell, "Light stemming for Arabic"
 * (particles and ال); Levenshtein distance on consonant skeletons, as in
 * Arabic name-matching work (e.g. Freeman et al., "Cross linguistic name
 * matching in English and Arabic", NAACL 2006).
 */
#include "kh_account_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <xxhash.h>

/* ------------------------------------------------------------------ */
/* Folding and words                                                    */
/* ------------------------------------------------------------------ */

/* The comparing form of one code point; 0 drops it. */
static uint32_t fold_cp(uint32_t cp)
{
    switch (cp) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: return 0x0627; /* alef forms */
    case 0x0649: case 0x0626: case 0x06CC: return 0x064A;              /* ى ئ ی -> ي */
    case 0x0629: return 0x0647;                                        /* ة -> ه */
    case 0x0624: return 0x0648;                                        /* ؤ -> و */
    case 0x06A9: return 0x0643;                                        /* ک -> ك */
    case 0x0640: return 0;                                             /* tatweel */
    default: break;
    }
    if (cp >= 0x0660 && cp <= 0x0669) return '0' + (cp - 0x0660);
    if (cp >= 0x06F0 && cp <= 0x06F9) return '0' + (cp - 0x06F0);
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    /* Arabic letters (Lo, no case) stay, harakat (Mn) go: what utf8proc
     * says of them, without its table walk for the commonest letters */
    if (cp >= 0x0621 && cp <= 0x064A) return cp;
    if (cp >= 0x064B && cp <= 0x065F) return 0;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    if (c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_ME || c == UTF8PROC_CATEGORY_MC ||
        c == UTF8PROC_CATEGORY_CF)
        return 0;
    return (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
}

kh_status khi_fold(kh_buf *out, const char *text, size_t text_len)
{
    size_t i = 0;
    while (i < text_len) {
        uint32_t cp;
        size_t n = khi_utf8_decode((const unsigned char *)text + i, text_len - i, &cp);
        if (n == 0) { i++; continue; }
        i += n;
        uint32_t f = fold_cp(cp);
        if (!f) continue;
        char enc[4];
        KHI_FORWARD_IF_ERROR(kh_buf_append(out, enc, khi_utf8_encode(f, enc)));
    }
    return KH_OK;
}

/* A letter, mark, number or format character. ASCII and U+0621-U+0669
 * (Arabic letters Lo, tatweel Lm, harakat Mn, digits Nd: all of them
 * word characters) are answered here, the rest by utf8proc. */
static int is_word_cp(uint32_t cp)
{
    if (cp < 0x80) return (cp | 0x20) - 'a' < 26u || cp - '0' < 10u;
    if (cp >= 0x0621 && cp <= 0x0669) return 1;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO) || c == UTF8PROC_CATEGORY_CF;
}

static int is_digit_cp(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0x0660 && cp <= 0x0669) ||
           (cp >= 0x06F0 && cp <= 0x06F9);
}

static unsigned brk_of(uint32_t cp, int spaced)
{
    switch (cp) {
    case ' ': case '\t': case 0xA0: return 0;
    case '.': case '!': case '?': case 0x061F: case ':': case ';': case 0x061B:
    case '(': case ')': case '[': case ']': case '{': case '}': case '\n': case '\r':
    case 0x2026: case '|': case 0x2022:
        return KHI_BRK_HARD;
    case ',': case 0x060C: return KHI_BRK_COMMA;
    case '"': case 0xAB: case 0xBB: case 0x201C: case 0x201D: case 0x2018: case 0x2019:
    case '\'': case 0x201E:
        return KHI_BRK_QUOTE;
    case '-': case 0x2010: case 0x2011:
        return spaced ? KHI_BRK_OTHER : KHI_BRK_HYPHEN;
    default:
        return KHI_BRK_OTHER;
    }
}

/* khi_utf8_decode(), with ASCII and two-byte sequences (all of Arabic)
 * decoded here: the word splitter decodes every byte of every text. */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c < 0xE0 && len >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    return khi_utf8_decode(s, len, cp);
}

/* Writes the folded key of the word s[start, end) to k; returns its length.
 * Folding may lengthen a code point (a few Latin letters lower to longer
 * encodings); the key stops before the first that would make it longer
 * than the word. */
static size_t fold_word(const unsigned char *s, size_t start, size_t end, char *k)
{
    size_t klen = 0;
    for (size_t p = start; p < end;) {
        uint32_t c;
        size_t l = decode(s + p, end - p, &c);
        if (l == 0) { p++; continue; }
        p += l;
        uint32_t f = fold_cp(c);
        if (!f) continue;
        char enc[4];
        size_t el = khi_utf8_encode(f, enc);
        if (klen + el > end - start) break; /* folding never grows a key */
        for (size_t e = 0; e < el; e++) k[klen + e] = enc[e]; /* 1-4 bytes: no call */
        klen += el;
    }
    return klen;
}

kh_status khi_words(kh_arena *arena, const char *text, size_t text_len, khi_word **out,
                    size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    const unsigned char *s = (const unsigned char *)text;
    /* A word is at least one byte and two words need a separator. */
    size_t cap = text_len / 2 + 1, n = 0;
    khi_word *w = kh_arena_alloc(arena, cap * sizeof *w);
    /* every key: at most its word's bytes, and a NUL */
    char *keys = kh_arena_alloc(arena, text_len + cap);
    KHI_RETURN_IF(!w || !keys, KH_E_NOMEM);
    size_t keys_used = 0;
    unsigned brk = KHI_BRK_HARD;
    int spaced = 1;
    size_t i = 0;
    while (i < text_len) {
        uint32_t cp;
        size_t len = decode(s + i, text_len - i, &cp);
        if (len == 0) { i++; brk |= KHI_BRK_OTHER; continue; }
        if (!is_word_cp(cp)) {
            unsigned b = brk_of(cp, spaced);
            brk |= b;
            spaced = b == 0;
            i += len;
            continue;
        }
        size_t start = i, j = i;
        uint32_t prev = 0;
        int arabic = 0, upper = cp < 0x80 ? cp - 'A' < 26u
                              : cp >= 0x0621 && cp <= 0x0669
                                  ? 0 /* no case */
                                  : utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LU;
        /* the key is folded as the word is read; a code point that folds
         * longer sends the word to fold_word(), which knows its length */
        char *k = keys + keys_used;
        size_t klen = 0;
        int grew = 0;
        while (j < text_len) {
            uint32_t c;
            size_t l = decode(s + j, text_len - j, &c);
            if (l == 0) break;
            if (!is_word_cp(c)) {
                /* 1,000 and 3.5 and ٣٫٥ stay one word */
                if ((c == ',' || c == '.' || c == 0x066B || c == 0x066C) && is_digit_cp(prev) &&
                    j + l < text_len) {
                    uint32_t nx;
                    size_t l2 = decode(s + j + l, text_len - j - l, &nx);
                    if (l2 && is_digit_cp(nx)) {
                        prev = c;
                        j += l;
                        if (!grew) { /* , and . fold to themselves, ٫ ٬ to 2 bytes */
                            char enc[4];
                            size_t el = khi_utf8_encode(fold_cp(c), enc);
                            for (size_t e = 0; e < el; e++) k[klen + e] = enc[e];
                            klen += el;
                        }
                        continue;
                    }
                }
                break;
            }
            if (c >= 0x0600 && c <= 0x06FF) arabic = 1;
            prev = c;
            j += l;
            if (grew) continue;
            uint32_t f = fold_cp(c);
            if (!f) continue;
            char enc[4];
            size_t el = khi_utf8_encode(f, enc);
            if (el > l) { grew = 1; continue; }
            for (size_t e = 0; e < el; e++) k[klen + e] = enc[e]; /* 1-4 bytes: no call */
            klen += el;
        }
        i = j;
        if (grew) klen = fold_word(s, start, j, k);
        k[klen] = '\0';
        if (klen == 0) { brk |= KHI_BRK_OTHER; continue; } /* a lone tatweel or mark */
        keys_used += klen + 1;
        if (n > 0) w[n - 1].brk_after = brk;
        w[n].start = start;
        w[n].end = j;
        w[n].brk = brk;
        w[n].brk_after = KHI_BRK_HARD;
        w[n].key = k;
        w[n].key_len = klen;
        w[n].arabic = arabic;
        w[n].upper = upper;
        w[n].lex = NULL;
        n++;
        brk = 0;
        spaced = 0;
    }
    *out = n ? w : NULL;
    *n_out = n;
    return KH_OK;
}

static void lexeme_lists(const khi_wordlists *wl, khi_lexeme *x, const khi_listword *key,
                         const khi_listword *after_particle);
static int particle_letter(const char *k, size_t n);

kh_status khi_lexicon_init(khi_lexicon *lx, const khi_wordlists *lists, kh_arena *arena,
                           size_t max_words)
{
    size_t cap = 16;
    while (cap < 2 * max_words) cap *= 2;
    lx->lists = lists;
    lx->arena = arena;
    lx->cap = cap;
    lx->n = 0;
    lx->slots = kh_arena_alloc(arena, cap * sizeof *lx->slots);
    KHI_RETURN_IF(!lx->slots, KH_E_NOMEM);
    memset(lx->slots, 0, cap * sizeof *lx->slots);
    return KH_OK;
}

kh_status khi_lexicon_add(khi_lexicon *lx, khi_word *words, size_t n_words)
{
    size_t mask = lx->cap - 1;
    for (size_t k = 0; k < n_words; k++) {
        khi_word *w = &words[k];
        uint64_t h = XXH3_64bits(w->key, w->key_len);
        size_t i = (size_t)h & mask;
        khi_lexeme *e;
        while ((e = lx->slots[i]) != NULL) {
            if (e->hash == h && e->key_len == w->key_len && memcmp(e->key, w->key, w->key_len) == 0)
                break;
            i = (i + 1) & mask;
        }
        if (!e) {
            /* sized for every word at half load: a full table is a caller's bug */
            KHI_RETURN_IF(2 * (lx->n + 1) > lx->cap, KH_E_INTERNAL);
            e = kh_arena_alloc(lx->arena, sizeof *e);
            KHI_RETURN_IF(!e, KH_E_NOMEM);
            memset(e, 0, sizeof *e);
            e->key = w->key;
            e->key_len = w->key_len;
            e->hash = h;
            if (lx->lists) {
                /* the key and the key after a particle: both finders ask of them */
                const khi_listword *key = khi_wordlists_get(lx->lists, e->key, e->key_len, h);
                const khi_listword *after = NULL;
                if (e->key_len > 4 && particle_letter(e->key, e->key_len))
                    after = khi_wordlists_get(lx->lists, e->key + 2, e->key_len - 2,
                                              XXH3_64bits(e->key + 2, e->key_len - 2));
                lexeme_lists(lx->lists, e, key, after);
                khi_lexeme_numbers(e, key, after);
            }
            lx->slots[i] = e;
            lx->n++;
        }
        w->lex = e;
    }
    return KH_OK;
}

#define AR_ALEF "\xd8\xa7"
#define AR_LAM "\xd9\x84"

const char *khi_bare(const char *key, size_t key_len, size_t *bare_len)
{
    const char *k = key;
    size_t n = key_len;
    /* و or ف before another particle: ولل, وبال (not وماليزيا, whose ال
     * is no article) */
    if (n >= 8 && (memcmp(k, "\xd9\x88", 2) == 0 || memcmp(k, "\xd9\x81", 2) == 0) &&
        (memcmp(k + 2, AR_LAM AR_LAM, 4) == 0 ||
         (memcmp(k + 4, AR_ALEF AR_LAM, 4) == 0 && n >= 12 &&
          (memcmp(k + 2, "\xd8\xa8", 2) == 0 || memcmp(k + 2, "\xd9\x83", 2) == 0)))) {
        k += 2;
        n -= 2;
    }
    if (n >= 8 && memcmp(k, AR_LAM AR_LAM, 4) == 0) { /* لل = ل + ال */
        k += 4;
        n -= 4;
    } else if (n >= 10 && memcmp(k + 2, AR_ALEF AR_LAM, 4) == 0 &&
               (memcmp(k, "\xd9\x88", 2) == 0 || memcmp(k, "\xd9\x81", 2) == 0 ||
                memcmp(k, "\xd8\xa8", 2) == 0 || memcmp(k, "\xd9\x83", 2) == 0)) {
        k += 6;
        n -= 6;
    } else if (n >= 8 && memcmp(k, AR_ALEF AR_LAM, 4) == 0) {
        k += 4;
        n -= 4;
    }
    *bare_len = n;
    return k;
}

/* Non-zero when the key carries the definite article (with or without a particle). */
static int has_al(const char *key, size_t key_len)
{
    size_t bl;
    return khi_bare(key, key_len, &bl) != key;
}

size_t khi_skeleton(const char *key, size_t key_len, uint32_t *out, size_t out_cap)
{
    size_t n = 0, i = 0;
    while (i < key_len && n < out_cap) {
        uint32_t cp;
        size_t l = khi_utf8_decode((const unsigned char *)key + i, key_len - i, &cp);
        if (l == 0) { i++; continue; }
        i += l;
        if (cp == 0x0621) continue; /* hamza on the line */
        out[n++] = cp;
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t c = out[k];
        if (k > 0 && k + 1 < n && (c == 0x0627 || c == 0x0648 || c == 0x064A)) continue;
        out[m++] = c;
    }
    return m;
}

size_t khi_edit_distance(const uint32_t *a, size_t a_len, const uint32_t *b, size_t b_len,
                         size_t cap)
{
    enum { MAXL = 64 };
    if (a_len > MAXL || b_len > MAXL) {
        if (a_len == b_len && memcmp(a, b, a_len * sizeof *a) == 0) return 0;
        return cap + 1;
    }
    size_t diff = a_len > b_len ? a_len - b_len : b_len - a_len;
    if (diff > cap) return cap + 1;
    size_t row[MAXL + 1];
    for (size_t j = 0; j <= b_len; j++) row[j] = j;
    for (size_t i = 1; i <= a_len; i++) {
        size_t diag = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= b_len; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v) v = up + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best) best = v;
        }
        if (best > cap) return cap + 1;
    }
    return row[b_len];
}

/* ------------------------------------------------------------------ */
/* Word lists (folded, without ال), each in byte order (strcmp) for     */
/* binary search. Function and common words only.                      */
/* ------------------------------------------------------------------ */

static const char *const stop_words[] = {
    "a", "according", "after", "all", "also", "an", "and", "april", "as", "at", "august", "avec",
    "before", "but", "by", "ce", "cette", "dans", "de", "december", "des", "dimanche", "dr", "du",
    "elle", "en", "et", "february", "for", "friday", "from", "he", "her", "here", "his", "how",
    "however", "i", "if", "il", "ils", "in", "it", "its", "january", "jeudi", "july", "june", "la",
    "le", "les", "lundi", "mais", "march", "mardi", "may", "meanwhile", "mercredi", "monday", "mr",
    "mrs", "ms", "my", "new", "no", "not", "november", "october", "of", "on", "or", "our", "par",
    "pour", "said", "samedi", "saturday", "says", "september", "she", "some", "sunday", "sur",
    "that", "the", "their", "there", "these", "they", "this", "those", "thursday", "to", "tuesday",
    "un", "une", "vendredi", "we", "wednesday", "what", "when", "where", "while", "who", "why",
    "with", "you", "اب", "ابريل", "ابلغ", "اثر", "اثنين", "احد", "اخر", "اخرون", "اخري", "اداره",
    "اذ", "اذا", "اذار", "اربعاء", "اسبوع", "اشار", "اشخاص", "اضاف", "اضافت", "اطباء", "اعتبر",
    "اعلن", "اعلنت", "اغسطس", "اقل", "اقليمي", "اكبر", "اكتوبر", "اكثر", "اكد", "اكدت", "الا",
    "التي", "الذي", "الي", "ام", "اما", "امس", "ان", "انني", "انه", "انها", "اني", "اهالي", "اهم",
    "اهميه", "او", "اوضح", "اول", "اولي", "اي", "ايار", "ايام", "ايضا", "ايلول", "بحسب", "بدايه",
    "بسبب", "بطول", "بعثه", "بعد", "بعض", "بعيد", "بل", "به", "بها", "بيان", "بين", "تابع", "تجار",
    "تشرين", "تصريح", "تصريحات", "تعالي", "تقارير", "تلك", "تموز", "تي", "ثاني", "ثلاثاء", "ثم",
    "جاءت", "جاري", "جانبه", "جانبها", "جدا", "جديد", "جديده", "جمعه", "جنوب", "حاليا", "حتي",
    "حديث", "حديثه", "حذر", "حرص", "حزيران", "حضور", "حول", "حيث", "خبراء", "خلال", "خميس", "دعا",
    "دولار", "دولي", "دون", "ديسمبر", "ذاته", "ذاتها", "ذكر", "ذلك", "ذي", "ذين", "راي", "رمضان",
    "رييس", "ساعه", "سبت", "سبتمبر", "سكان", "سلطات", "سنه", "شاهد", "شباط", "شخص", "شدد", "شرق",
    "شعبان", "شمال", "شهر", "شهود", "شوال", "صباح", "صرح", "صغير", "صغيره", "صلي", "ضد", "طلاب",
    "طول", "ظهر", "عام", "عايلات", "عبر", "عدد", "عده", "عشر", "عصر", "عقب", "علي", "عليه", "عليها",
    "عمال", "عن", "عند", "عنها", "غدا", "غرب", "غير", "فبراير", "فجر", "فرق", "فريق", "فقط", "فورا",
    "في", "فيه", "فيها", "قال", "قالت", "قايلا", "قبل", "قد", "قديم", "قديمه", "قريب", "قوات",
    "قياده", "كان", "كانت", "كانون", "كبير", "كبيره", "كشف", "كل", "كلمه", "كله", "كلها", "كما",
    "لا", "لان", "لدي", "لصالح", "لفت", "لقد", "لكن", "لم", "لن", "له", "لها", "ليل", "ليله", "ما",
    "مارس", "ماضي", "مايو", "محرم", "محللون", "مراسل", "مراقبون", "مساء", "مسوول", "مسوولو",
    "مسوولون", "مسوولين", "مصادر", "مصدر", "مصدرا", "مطلع", "مع", "معظم", "من", "منتصف", "منذ",
    "منه", "منها", "مواطنون", "موتمر", "موقع", "ناشطون", "نحن", "نحو", "نفس", "نفسه", "نفسها",
    "نفي", "نهايه", "نواب", "نوفمبر", "نيسان", "هذا", "هذه", "هم", "هما", "هنا", "هناك", "هو", "هي",
    "واحد", "واحده", "وان", "وزراء", "وزير", "وصف", "وطني", "وفي", "وقد", "وكالات", "وكذا", "ولا",
    "يقول", "يناير", "يورو", "يوليو", "يوم", "يونيو",
};

static const char *const title_words[] = {
    "ambassador", "army", "brig", "capt", "captain", "ceo", "chairman", "chancellor", "chief",
    "col", "colonel", "commissioner", "defence", "defense", "deputy", "director", "dr", "foreign",
    "gen", "general", "gov", "governor", "général", "interior", "judge", "king", "lieutenant",
    "lord", "lt", "m", "maj", "mayor", "minister", "minister's", "ministre", "mr", "mrs", "ms",
    "officer", "pope", "premier", "president", "prime", "prince", "prof", "professor", "président",
    "queen", "secretary", "senator", "sergeant", "sheikh", "sir", "spokesman", "spokesperson",
    "spokeswoman", "state", "vice", "استاذ", "استاذه", "امير", "امين", "امينه", "جلاله", "جنرال",
    "حاكم", "دكتور", "دكتوره", "رايد", "رييس", "رييسه", "زعيم", "سعاده", "سفير", "سفيره", "سماحه",
    "سمو", "سيد", "سيده", "سيناتور", "شيخ", "صاحب", "ضابط", "عاهل", "عضو", "عقيد", "عميد", "فخامه",
    "فضيله", "قاضي", "قايد", "لواء", "مبعوث", "متحدث", "متحدثه", "محافظ", "محامي", "محلل", "مدرب",
    "مدير", "مديره", "مرشح", "مساعد", "مستشار", "مستشاره", "معالي", "مقدم", "ملك", "ممثل", "مندوب",
    "منسق", "مهندس", "موفد", "نايب", "نايبه", "نظير", "نظيره", "نظيرها", "نقيب", "وزير", "وزيرا",
    "وزيره", "وكيل", "ولي",
};

static const char *const speech_verbs[] = {
    "ابلغ", "اشار", "اشارت", "اضاف", "اضافت", "اعتبر", "اعلن", "اعلنت", "اكد", "اكدت", "اوضح",
    "اوضحت", "تابع", "حذر", "دعا", "ذكر", "ذكرت", "راي", "شدد", "صرح", "صرحت", "طالب", "قال",
    "قالت", "كشف", "لفت", "ناشد", "نفي", "وصف",
};

static const char *const place_words[] = {
    "اقليم", "بلده", "عاصمه", "قريه", "محافظه", "مدينه", "مقاطعه", "ناحيه", "ولايه",
};

/* Place words that belong to the name they open: وادي السدر, خربة السوسنة. */
static const char *const place_heads[] = {
    "بحيره", "جبل", "جزيره", "خربه", "سهل", "نهر", "هضبه", "وادي",
};

/* Group words that are not part of the name they introduce: تنظيم داعش. */
static const char *const org_words[] = {
    "تنظيم", "جماعه", "صحيفه", "مجله", "ميليشيا", "ميليشيات",
};

/* Group words that open the name: هيئة الموانئ, مصرف الساحل المركزي. */
static const char *const org_heads[] = {
    "اتحاد", "ايتلاف", "بنك", "بورصه", "جامعه", "جبهه", "حزب", "دايره", "شركه", "صندوق", "مجلس",
    "مجموعه", "مرصد", "مصرف", "مكتب", "منظمه", "موسسه", "نادي", "هييه", "وزاره", "وكاله",
};

/* A minister's portfolio, written without ال after the title: "وزير دفاع". */
static const char *const portfolio_words[] = {
    "اتصالات", "اعلام", "اقتصاد", "تعليم", "ثقافه", "خارجيه", "داخليه", "دفاع", "دوله", "زراعه",
    "سياحه", "صحه", "طاقه", "عدل", "عمل", "ماليه", "نفط", "نقل",
};

/* Words that, after a title, introduce its domain: "رئيس إقليم كردستان". */
static const char *const domain_words[] = {
    "اداره", "اقليم", "امانه", "ايه", "باسم", "بلديه", "بنك", "جامعه", "جمعيه", "جمهوريه", "جوازات",
    "حرس", "حركه", "حزب", "حكومه", "دايره", "دوله", "ديوان", "شرطه", "شركه", "صندوق", "فرع", "قسم",
    "قياده", "لجنه", "مجلس", "مجموعه", "محافظه", "مديريه", "مدينه", "مركز", "مصرف", "مكتب", "منتخب",
    "منظمه", "موسسه", "نادي", "هييه", "وزاره", "وكاله",
};

/* What أمين is the title of: أمين عام, أمين سر, أمين صندوق. */
static const char *const secretary_words[] = { /* byte order */
    "سر", "صندوق", "عام", "عامه",
};

/* The ordinals a king's or a pope's name ends with (folded, without ال). */
static const char *const ordinals[] = { /* byte order */
    "اول", "ثالث", "ثامن", "ثاني", "خامس", "رابع", "سابع", "سادس", "عاشر",
};

/* Word lists are kept in byte order (strcmp): a lookup is a binary search.
 * w/w_len need not be NUL-terminated. */
static int word_cmp(const char *w, size_t w_len, const char *word)
{
    /* A byte loop, not strncmp: the words are short, the lookups many (a
     * tenth of an ingest went to strncmp's call and setup). */
    for (size_t i = 0; i < w_len; i++) {
        unsigned char a = (unsigned char)w[i], b = (unsigned char)word[i];
        if (a != b) return a < b ? -1 : 1; /* word ending (b == 0) sorts first */
    }
    return word[w_len] ? -1 : 0;
}

static int in_list(const char *const *list, size_t n, const char *w, size_t w_len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = word_cmp(w, w_len, list[mid]);
        if (c == 0) return 1;
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return 0;
}

#define IN(list, w, len) in_list(list, sizeof list / sizeof list[0], w, len)

/* Are the lists in byte order, as the binary search needs? (For tests.) */
int khi_word_lists_sorted(void)
{
    const char *const *lists[] = { stop_words, title_words, speech_verbs, place_words,
                                   place_heads, org_words, org_heads, portfolio_words,
                                   domain_words, ordinals, secretary_words };
    const size_t sizes[] = {
        sizeof stop_words / sizeof stop_words[0], sizeof title_words / sizeof title_words[0],
        sizeof speech_verbs / sizeof speech_verbs[0], sizeof place_words / sizeof place_words[0],
        sizeof place_heads / sizeof place_heads[0], sizeof org_words / sizeof org_words[0],
        sizeof org_heads / sizeof org_heads[0], sizeof portfolio_words / sizeof portfolio_words[0],
        sizeof domain_words / sizeof domain_words[0], sizeof ordinals / sizeof ordinals[0],
        sizeof secretary_words / sizeof secretary_words[0],
    };
    for (size_t l = 0; l < sizeof sizes / sizeof sizes[0]; l++)
        for (size_t i = 1; i < sizes[l]; i++)
            if (strcmp(lists[l][i - 1], lists[l][i]) >= 0) return 0;
    return 1;
}

int khi_stopword(const char *bare, size_t bare_len)
{
    return IN(stop_words, bare, bare_len);
}

/* The lexeme answers of this file (khi_lexeme.known, .yes), and the bits of
 * khi_listword.lists: one per word list asked through WORD_IN, then the
 * stopword tests and the keys names are matched on. */
enum {
    LEX_title_words, LEX_speech_verbs, LEX_place_words, LEX_place_heads, LEX_org_words,
    LEX_org_heads, LEX_portfolio_words, LEX_domain_words,
    LEX_STOP,       /* the key or the bare key is a stopword; in lists: stop_words */
    LEX_STOP_PART,  /* an attached particle and a stopword (ولن, بانه) */
    LEX_MATCH,      /* match_first[0]: the bare key's first pattern */
    LEX_MATCH_PART  /* match_first[1]: the key's without a leading particle */
};

#define LEX_LISTS (((uint32_t)1 << (LEX_domain_words + 1)) - 1) /* the WORD_IN lists */

/* The slot of the static word w, taken when w is not in the table yet. */
static khi_listword *wordlists_slot(khi_wordlists *wl, const char *w)
{
    size_t len = strlen(w);
    size_t i = (size_t)XXH3_64bits(w, len) & (wl->cap - 1);
    while (wl->slots[i].word && !(wl->slots[i].len == len && memcmp(wl->slots[i].word, w, len) == 0))
        i = (i + 1) & (wl->cap - 1);
    wl->slots[i].word = w;
    wl->slots[i].len = (uint32_t)len;
    return &wl->slots[i];
}

kh_status khi_wordlists_init(khi_wordlists *wl, kh_arena *arena)
{
    static const struct {
        const char *const *words;
        size_t n;
        unsigned bit;
    } lists[] = {
#define LIST(l, bit) { l, sizeof l / sizeof l[0], bit }
        LIST(title_words, LEX_title_words), LIST(speech_verbs, LEX_speech_verbs),
        LIST(place_words, LEX_place_words), LIST(place_heads, LEX_place_heads),
        LIST(org_words, LEX_org_words), LIST(org_heads, LEX_org_heads),
        LIST(portfolio_words, LEX_portfolio_words), LIST(domain_words, LEX_domain_words),
        LIST(stop_words, LEX_STOP),
#undef LIST
    };
    size_t total = 0, n_num = 0, n_part = 0;
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) total += lists[l].n;
    while (khi_number_word(n_num)) n_num++;
    while (khi_number_particle(n_part)) n_part++;
    total += n_num + n_part;
    size_t cap = 16;
    while (cap < 2 * total) cap *= 2;
    wl->cap = cap;
    wl->slots = kh_arena_alloc(arena, cap * sizeof *wl->slots);
    KHI_RETURN_IF(!wl->slots, KH_E_NOMEM);
    memset(wl->slots, 0, cap * sizeof *wl->slots);
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (size_t k = 0; k < lists[l].n; k++)
            wordlists_slot(wl, lists[l].words[k])->lists |= (uint32_t)1 << lists[l].bit;
    for (size_t k = 0; k < n_num; k++) wordlists_slot(wl, khi_number_word(k))->num = (int)k + 1;
    for (size_t k = 0; k < n_part; k++)
        wordlists_slot(wl, khi_number_particle(k))->lists |= KHI_LIST_PARTICLE;
    return KH_OK;
}

const khi_listword *khi_wordlists_get(const khi_wordlists *wl, const char *w, size_t w_len,
                                      uint64_t h)
{
    for (size_t i = (size_t)h & (wl->cap - 1);; i = (i + 1) & (wl->cap - 1)) {
        const khi_listword *s = &wl->slots[i];
        if (!s->word) return NULL;
        if (s->len == w_len && memcmp(s->word, w, w_len) == 0) return s;
    }
}

/* The lists that hold w[0..len) (bits 1 << LEX_*), h its XXH3. */
static uint32_t lists_of(const khi_wordlists *wl, const char *w, size_t len, uint64_t h)
{
    const khi_listword *s = khi_wordlists_get(wl, w, len, h);
    return s ? s->lists : 0;
}

static uint32_t lists_of_key(const khi_wordlists *wl, const char *w, size_t len)
{
    return lists_of(wl, w, len, XXH3_64bits(w, len));
}

int khi_wordlists_stopword(const khi_wordlists *wl, const char *bare, size_t bare_len)
{
    return (lists_of_key(wl, bare, bare_len) >> LEX_STOP) & 1u;
}

/* Does k start with و or ف, which take no particle before them? */
static int conjunction_first(const char *k)
{
    return memcmp(k, "\xd9\x88", 2) == 0 || memcmp(k, "\xd9\x81", 2) == 0;
}

/* Is the first letter one of the particles that attach (و ف ب ل ك)? */
static int particle_letter(const char *k, size_t n)
{
    if (n < 2) return 0;
    static const char *const p[] = { "\xd9\x88", "\xd9\x81", "\xd8\xa8", "\xd9\x84", "\xd9\x83" };
    for (size_t i = 0; i < 5; i++)
        if (memcmp(k, p[i], 2) == 0) return 1;
    return 0;
}

/* The first code point's length when it is an attached particle (و ف ب ل ك)
 * and at least three letters follow; else 0. */
static size_t particle_len(const char *key, size_t key_len)
{
    return key_len >= 8 && particle_letter(key, key_len) ? 2 : 0;
}

/* Does the word (bare, or without a leading particle) belong to list? */
static int word_in(const char *const *list, size_t n, const khi_word *w)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    if (in_list(list, n, b, bl)) return 1;
    size_t p = particle_len(w->key, w->key_len);
    if (p && !has_al(w->key, w->key_len)) {
        b = khi_bare(w->key + p, w->key_len - p, &bl);
        if (in_list(list, n, b, bl)) return 1;
    }
    return 0;
}

/* word_in() for every WORD_IN list, and is_stop_key() both ways, of a new
 * lexeme: the same tests by table lookups. */
static void lexeme_lists(const khi_wordlists *wl, khi_lexeme *x, const khi_listword *key,
                         const khi_listword *after_particle)
{
    const char *k = x->key;
    size_t n = x->key_len, bl;
    uint32_t in_key = key ? key->lists : 0;
    uint32_t in_after = after_particle ? after_particle->lists : 0; /* k + 2, when looked up */
    const char *b = khi_bare(k, n, &bl);
    uint32_t bare = b == k ? in_key : lists_of_key(wl, b, bl);
    uint32_t in = bare;
    size_t p = particle_len(k, n);
    if (p && b == k) {
        size_t pl;
        const char *pb = khi_bare(k + p, n - p, &pl);
        in |= pb == k + p ? in_after : lists_of_key(wl, pb, pl);
    }
    x->yes |= in & LEX_LISTS;
    const uint32_t stop = (uint32_t)1 << LEX_STOP, part = (uint32_t)1 << LEX_STOP_PART;
    if ((bare & stop) || (b != k && (in_key & stop)))
        x->yes |= stop;
    else if (b == k && n >= 6 && particle_letter(k, n) && !conjunction_first(k + 2) &&
             (in_after & stop))
        x->yes |= part;
    x->known |= LEX_LISTS | stop | part;
}

/* word_in(), asked of a word's lexeme once. */
static int word_in_lex(const khi_word *w, unsigned bit, const char *const *list, size_t n)
{
    khi_lexeme *x = w->lex;
    if (!x) return word_in(list, n, w);
    uint32_t m = (uint32_t)1 << bit;
    if (!(x->known & m)) {
        if (word_in(list, n, w)) x->yes |= m;
        x->known |= m;
    }
    return (x->yes & m) != 0;
}

#define WORD_IN(list, w) word_in_lex(w, LEX_##list, list, sizeof list / sizeof list[0])

static int is_stop_key(const khi_word *w, int arabic)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    if (khi_stopword(b, bl) || khi_stopword(w->key, w->key_len)) return 1;
    /* ولن, بانه: a particle and a stopword (not كوفي: no particle goes
     * before the و of وفي) */
    if (arabic && b == w->key && w->key_len >= 6 && particle_letter(w->key, w->key_len) &&
        !conjunction_first(w->key + 2))
        return khi_stopword(w->key + 2, w->key_len - 2);
    return 0;
}

static int is_stop(const khi_word *w)
{
    khi_lexeme *x = w->lex;
    if (!x) return is_stop_key(w, w->arabic);
    const uint32_t stop = (uint32_t)1 << LEX_STOP, part = (uint32_t)1 << LEX_STOP_PART;
    if (!(x->known & stop)) {
        /* whether the word is Arabic is no part of the key: keep both answers */
        if (is_stop_key(w, 0)) x->yes |= stop;
        else if (is_stop_key(w, 1)) x->yes |= part;
        x->known |= stop | part;
    }
    return (x->yes & stop) || (w->arabic && (x->yes & part));
}

int khi_word_is_stop(const khi_word *w)
{
    return is_stop(w);
}

/* A word shaped like an imperfect verb: ي/ت + ... + ون/ان/ين (يمثلون). */
static int verb_like(const khi_word *w)
{
    const char *k = w->key;
    size_t n = w->key_len;
    if (n < 8 || !w->arabic) return 0;
    int prefix = memcmp(k, "\xd9\x8a", 2) == 0 || memcmp(k, "\xd8\xaa", 2) == 0;
    int suffix = memcmp(k + n - 2, "\xd9\x86", 2) == 0 &&
                 (memcmp(k + n - 4, "\xd9\x88", 2) == 0 || memcmp(k + n - 4, "\xd8\xa7", 2) == 0 ||
                  memcmp(k + n - 4, "\xd9\x8a", 2) == 0);
    return prefix && suffix;
}

/* Ends in ي or يه: a nisba adjective when it has ال, or an indefinite one. */
static int nisba_ending(const khi_word *w)
{
    const char *k = w->key;
    size_t n = w->key_len;
    return w->arabic && n >= 6 && (memcmp(k + n - 4, "\xd9\x8a\xd9\x87", 4) == 0);
}

static int has_digit(const khi_word *w)
{
    for (size_t i = 0; i < w->key_len; i++)
        if (w->key[i] >= '0' && w->key[i] <= '9') return 1;
    return 0;
}

/* An ال-word ending in ي or يه: a nisba adjective (الأمريكي, السورية). */
static int is_nisba(const khi_word *w)
{
    if (!has_al(w->key, w->key_len)) return 0;
    const char *k = w->key;
    size_t n = w->key_len;
    if (n >= 2 && memcmp(k + n - 2, "\xd9\x8a", 2) == 0) return 1;
    if (n >= 4 && memcmp(k + n - 4, "\xd9\x8a\xd9\x87", 4) == 0) return 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Name forms and the matching rules                                    */
/* ------------------------------------------------------------------ */

#define NAME_TOKS 6
#define TOK_BYTES 64
#define TOK_CPS 32

typedef struct ntok {
    char s[TOK_BYTES]; /* folded, bare */
    size_t len;
    uint32_t skel[TOK_CPS];
    size_t skel_len;
    int al;            /* written with ال */
    int arabic;
} ntok;

#define SOUND_CPS 64

typedef struct nform {
    size_t n;
    ntok tok[NAME_TOKS];
    char joined[NAME_TOKS * TOK_BYTES];
    size_t joined_len;
    int script;                 /* 1 Arabic, 2 Latin, 3 both */
    uint32_t sound[SOUND_CPS];  /* consonant classes, for names across scripts */
    size_t sound_len;
} nform;

/* The consonant class of an Arabic letter ('B', 'T', ...), or 0 when it
 * is a vowel letter, hamza or ع, which transliterations drop. */
static uint32_t arabic_sound(uint32_t cp)
{
    switch (cp) {
    case 0x0628: case 0x067E: return 'B';
    case 0x062A: case 0x062B: case 0x0637: return 'T';
    case 0x062C: case 0x06AF: return 'J';
    case 0x062D: case 0x0647: return 'H';
    case 0x062E: case 0x0642: case 0x0643: return 'K';
    case 0x062F: case 0x0630: case 0x0636: return 'D';
    case 0x0631: return 'R';
    case 0x0632: case 0x0638: return 'S'; /* ز: a Latin s between vowels (Jones, جونز) */
    case 0x0633: case 0x0634: case 0x0635: case 0x0686: return 'S';
    case 0x063A: return 'J'; /* غ: how Arabic writes a Latin g (غريغوري, Gregory) */
    case 0x0641: case 0x06A4: return 'F';
    case 0x0644: return 'L';
    case 0x0645: return 'M';
    case 0x0646: return 'N';
    default: return 0; /* ا و ي ء ع ة and the rest */
    }
}

/* Appends the consonant classes of one folded token to f->sound: Arabic
 * letters by arabic_sound(), Latin by the usual transliterations (kh sh th
 * dh gh digraphs, g = j, q = k, vowels, w and y dropped, a final h after a
 * vowel dropped); doubled classes count once. */
static void sound_append(uint32_t *sound, size_t *sound_len, size_t cap, const char *tok,
                         size_t len);

static void sound_add(nform *f, const char *tok, size_t len)
{
    sound_append(f->sound, &f->sound_len, SOUND_CPS, tok, len);
}

size_t khi_name_sound(const char *key, size_t key_len, uint32_t *out, size_t out_cap)
{
    size_t n = 0;
    sound_append(out, &n, out_cap, key, key_len);
    return n;
}

static void sound_append(uint32_t *sound, size_t *sound_len, size_t cap, const char *tok,
                         size_t len)
{
    uint32_t cps[TOK_CPS];
    size_t n = 0;
    for (size_t i = 0; i < len && n < TOK_CPS;) {
        uint32_t cp;
        size_t l = khi_utf8_decode((const unsigned char *)tok + i, len - i, &cp);
        if (l == 0) break;
        cps[n++] = cp;
        i += l;
    }
    if (n == 2 && ((cps[0] == 'a' && cps[1] == 'l') || (cps[0] == 'e' && cps[1] == 'l')))
        return; /* the article written apart: Al-Ansari */
    uint32_t last = 0;
    for (size_t i = 0; i < n && *sound_len < cap; i++) {
        uint32_t c = cps[i], next = i + 1 < n ? cps[i + 1] : 0, out = 0;
        if (c >= 0x0600 && c <= 0x06FF) {
            out = arabic_sound(c);
            if (c == 0x0647 && i + 1 == n) out = 0; /* final ه: the folded ة */
        } else if (c < 0x80) {
            if (next == 'h' && (c == 'k' || c == 's' || c == 'c' || c == 't' || c == 'd' ||
                                c == 'g' || c == 'p')) {
                static const char dig[] = "kKsScStTdDgJpF";
                for (size_t d = 0; d < sizeof dig - 1; d += 2)
                    if ((uint32_t)dig[d] == c) out = (uint32_t)dig[d + 1];
                i++;
            } else {
                switch (c) {
                case 'b': case 'p': out = 'B'; break;
                case 'c': out = next == 'e' || next == 'i' || next == 'y' ? 'S' : 'K'; break;
                case 'k': case 'q': out = 'K'; break;
                case 'd': out = 'D'; break;
                case 'f': case 'v': out = 'F'; break;
                case 'g': case 'j': out = 'J'; break;
                case 'h': out = i + 1 == n && i > 0 ? 0 : 'H'; break;
                case 'l': out = 'L'; break;
                case 'm': out = 'M'; break;
                case 'n': out = 'N'; break;
                case 'r': out = 'R'; break;
                case 's': case 'x': out = 'S'; break;
                case 't': out = 'T'; break;
                case 'z': out = 'S'; break;
                default: out = 0; break; /* vowels, w, y */
                }
            }
        }
        if (out && out != last) sound[(*sound_len)++] = out;
        if (out) last = out;
    }
}

/* Builds the form of a written name: words folded, each without ال and
 * particles. Returns 0 when the text has no word or too many. */
static int nform_build(nform *f, const char *text, size_t text_len)
{
    memset(f, 0, sizeof *f);
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    char buf[TOK_BYTES];
    size_t blen = 0;
    int arabic = 0, madda = 0;
    for (;;) {
        uint32_t cp = 0;
        size_t l = 0;
        if (i < text_len) {
            l = khi_utf8_decode(s + i, text_len - i, &cp);
            if (l == 0) { i++; continue; }
        }
        if (i >= text_len || !is_word_cp(cp)) {
            if (blen) {
                if (f->n == NAME_TOKS) return 0;
                ntok *t = &f->tok[f->n++];
                size_t bl = blen;
                /* آل is no article: آلان, آلي keep their first letters */
                const char *b = madda ? buf : khi_bare(buf, blen, &bl);
                t->al = b != buf;
                memcpy(t->s, b, bl);
                t->len = bl;
                t->arabic = arabic;
                t->skel_len = khi_skeleton(t->s, t->len, t->skel, TOK_CPS);
                f->script |= arabic ? 1 : 2;
                sound_add(f, b, bl);
                if (f->joined_len + bl <= sizeof f->joined) {
                    memcpy(f->joined + f->joined_len, b, bl);
                    f->joined_len += bl;
                }
                blen = 0;
                arabic = 0;
                madda = 0;
            }
            if (i >= text_len) break;
            i += l;
            continue;
        }
        i += l;
        uint32_t fc = fold_cp(cp);
        if (!fc) continue;
        if (blen == 0) madda = cp == 0x0622;
        if (cp >= 0x0600 && cp <= 0x06FF) arabic = 1;
        char enc[4];
        size_t el = khi_utf8_encode(fc, enc);
        if (blen + el <= sizeof buf && khi_cp_count(buf, blen) < TOK_CPS) {
            memcpy(buf + blen, enc, el);
            blen += el;
        }
    }
    return f->n > 0;
}

static int tok_same(const ntok *a, const ntok *b)
{
    if (a->len == b->len && memcmp(a->s, b->s, a->len) == 0) return 1;
    if (a->arabic && b->arabic) {
        if (a->skel_len >= 2 && a->skel_len == b->skel_len &&
            memcmp(a->skel, b->skel, a->skel_len * sizeof a->skel[0]) == 0)
            return 1;
        /* one substituted consonant (هولاند / أولاند); an added or lost
         * letter changes words too often (هولاند / هولندا) */
        if (a->skel_len >= 4 && a->skel_len == b->skel_len) {
            size_t diff = 0;
            for (size_t i = 0; i < a->skel_len; i++) diff += a->skel[i] != b->skel[i];
            return diff <= 1;
        }
        return 0;
    }
    if (!a->arabic && !b->arabic && a->skel_len >= 5 && b->skel_len >= 5)
        return khi_edit_distance(a->skel, a->skel_len, b->skel, b->skel_len, 1) <= 1;
    return 0;
}

/* Rule d: one name written in Arabic and Latin letters (فيصل المنصوري /
 * Faisal Al-Mansouri): the same consonant classes, or one apart when
 * there are five or more (خربة السوسنة / Khirbet al-Sawsana). */
static int nform_same_sound(const nform *a, const nform *b)
{
    if (!((a->script == 1 && b->script == 2) || (a->script == 2 && b->script == 1))) return 0;
    /* two consonant classes are evidence only when they are all of both
     * (آدم / Adam); a one-class name matches too much */
    if (a->sound_len < 2 || b->sound_len < 2) return 0;
    if ((a->sound_len == 2 || b->sound_len == 2) && (a->n != 1 || b->n != 1)) return 0;
    if (a->sound_len == b->sound_len &&
        memcmp(a->sound, b->sound, a->sound_len * sizeof a->sound[0]) == 0)
        return 1;
    return a->sound_len >= 5 && b->sound_len >= 5 &&
           khi_edit_distance(a->sound, a->sound_len, b->sound, b->sound_len, 1) <= 1;
}

/* Rules a and b: the two forms are variants of one name. */
static int nform_same(const nform *a, const nform *b)
{
    if (a->joined_len == b->joined_len && memcmp(a->joined, b->joined, a->joined_len) == 0)
        return 1;
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++)
        if (!tok_same(&a->tok[i], &b->tok[i])) return 0;
    return 1;
}

/* Rule c: a (shorter) fits inside b: a run of b's words joins to a's key,
 * or matches a's words one by one. */
static int nform_fits(const nform *a, const nform *b)
{
    if (a->n >= b->n && a->joined_len >= b->joined_len) return 0;
    for (size_t i = 0; i < b->n; i++) {
        size_t len = 0;
        for (size_t j = i; j < b->n; j++) {
            len += b->tok[j].len;
            if (len > a->joined_len) break;
            if (len == a->joined_len && (j > i || b->n > a->n)) {
                size_t off = 0;
                int eq = 1;
                for (size_t k = i; k <= j && eq; k++) {
                    eq = memcmp(a->joined + off, b->tok[k].s, b->tok[k].len) == 0;
                    off += b->tok[k].len;
                }
                if (eq) return 1;
            }
        }
        if (i + a->n <= b->n && a->n < b->n) {
            size_t k = 0;
            while (k < a->n && tok_same(&a->tok[k], &b->tok[i + k])) k++;
            if (k == a->n) return 1;
        }
    }
    return 0;
}

int kh_name_variants(const char *a, size_t a_len, const char *b, size_t b_len)
{
    if (!a || !b) return 0;
    nform fa, fb;
    if (!nform_build(&fa, a, a_len) || !nform_build(&fb, b, b_len)) return 0;
    return nform_same(&fa, &fb) || nform_same_sound(&fa, &fb);
}

double kh_name_similarity(const char *a, size_t a_len, const char *b, size_t b_len)
{
    if (!a || !b) return 0;
    nform fa, fb;
    if (!nform_build(&fa, a, a_len) || !nform_build(&fb, b, b_len)) return 0;
    if (nform_same(&fa, &fb) || nform_same_sound(&fa, &fb)) return 1;
    size_t longer = fa.sound_len > fb.sound_len ? fa.sound_len : fb.sound_len;
    if (longer == 0) return 0;
    size_t d = khi_edit_distance(fa.sound, fa.sound_len, fb.sound, fb.sound_len, longer);
    if (d == 0) return 0.99; /* the same classes, too few to tell (آبي / Abe) */
    return d >= longer ? 0 : 1.0 - (double)d / (double)longer;
}

const char *kh_entity_kind_name(kh_entity_kind kind)
{
    switch (kind) {
    case KH_ENTITY_PERSON: return "person";
    case KH_ENTITY_PLACE: return "place";
    case KH_ENTITY_ORG: return "org";
    default: return "name";
    }
}

static uint64_t hash_bytes(const char *s, size_t len)
{
    return XXH3_64bits(s, len);
}

/* A set of word keys (their hashes) for one call: open addressing,
 * linear probing, at most half full; 0 marks an empty slot, so every
 * hash has its low bit set. */
typedef struct key_set {
    uint64_t *slot;
    size_t cap;             /* power of two */
} key_set;

static kh_status key_set_init(key_set *ks, kh_arena *tmp, size_t max_keys)
{
    ks->cap = 16;
    while (ks->cap < 2 * max_keys) ks->cap *= 2;
    ks->slot = kh_arena_alloc(tmp, ks->cap * sizeof *ks->slot);
    KHI_RETURN_IF(!ks->slot, KH_E_NOMEM);
    memset(ks->slot, 0, ks->cap * sizeof *ks->slot);
    return KH_OK;
}

/* The slot of key s[0..len): where it is, or the empty one it would take. */
static uint64_t *key_set_slot(const key_set *ks, const char *s, size_t len)
{
    uint64_t h = hash_bytes(s, len) | 1;
    size_t at = (size_t)h & (ks->cap - 1);
    while (ks->slot[at] && ks->slot[at] != h) at = (at + 1) & (ks->cap - 1);
    return &ks->slot[at];
}

static void key_set_add(key_set *ks, const char *s, size_t len)
{
    *key_set_slot(ks, s, len) = hash_bytes(s, len) | 1;
}

static int key_set_has(const key_set *ks, const char *s, size_t len)
{
    return *key_set_slot(ks, s, len) != 0;
}

/* How often each key (or pair of keys) is written: a key_set and a count
 * for each slot. */
typedef struct key_count {
    key_set keys;
    uint32_t *n;
} key_count;

static kh_status key_count_init(key_count *kc, kh_arena *tmp, size_t max_keys)
{
    KHI_FORWARD_IF_ERROR(key_set_init(&kc->keys, tmp, max_keys));
    kc->n = kh_arena_alloc(tmp, kc->keys.cap * sizeof *kc->n);
    KHI_RETURN_IF(!kc->n, KH_E_NOMEM);
    memset(kc->n, 0, kc->keys.cap * sizeof *kc->n);
    return KH_OK;
}

static size_t key_count_at(const key_count *kc, uint64_t h)
{
    size_t at = (size_t)h & (kc->keys.cap - 1);
    while (kc->keys.slot[at] && kc->keys.slot[at] != h) at = (at + 1) & (kc->keys.cap - 1);
    return at;
}

static void key_count_add(key_count *kc, uint64_t h)
{
    size_t at = key_count_at(kc, h | 1);
    kc->keys.slot[at] = h | 1;
    kc->n[at]++;
}

static uint32_t key_count_get(const key_count *kc, uint64_t h)
{
    return kc->n[key_count_at(kc, h | 1)] & ~((uint32_t)1 << 31);
}

/* Marks the key of hash h, which the table holds; was it marked before?
 * (The mark is the count's top bit: no key is written 2^31 times.) */
static int key_count_mark(key_count *kc, uint64_t h)
{
    size_t at = key_count_at(kc, h | 1);
    int was = (kc->n[at] >> 31) & 1u;
    kc->n[at] |= (uint32_t)1 << 31;
    return was;
}

/* The hash of two keys written one after the other, from theirs. */
static uint64_t pair_hash(uint64_t a, uint64_t b)
{
    return a * 0x9E3779B97F4A7C15ull ^ b;
}

static void key_set_add_hash(key_set *ks, uint64_t h)
{
    h |= 1;
    size_t at = (size_t)h & (ks->cap - 1);
    while (ks->slot[at] && ks->slot[at] != h) at = (at + 1) & (ks->cap - 1);
    ks->slot[at] = h;
}

/* key_set_has() of a key by its hash_bytes() | 1. */
static int key_set_has_hash(const key_set *ks, uint64_t h)
{
    size_t at = (size_t)h & (ks->cap - 1);
    while (ks->slot[at] && ks->slot[at] != h) at = (at + 1) & (ks->cap - 1);
    return ks->slot[at] != 0;
}

/* ------------------------------------------------------------------ */
/* Proposals                                                            */
/* ------------------------------------------------------------------ */

#define MAX_CANDS 4096

typedef struct cand {
    char *written;       /* as written (particles before ال dropped) */
    size_t written_len;
    kh_entity_kind kind;
    nform *form;
    size_t parent;       /* union-find */
    size_t mentions;
    size_t first_seen;
    int known;           /* from the gazetteer (2: a strict entry), not a cue */
} cand;

/* What the texts being searched say of their words, for telling a name
 * from a plain word that a cue happened to precede: the keys written
 * without ال (and without a leading particle), and the bare keys written
 * with it. */
typedef struct evidence {
    key_set plain;
    key_set with_al;
    key_count words; /* every Arabic key, how often */
    key_count pairs; /* every two Arabic keys in a row (pair_hash()), how often */
    uint64_t before_verb[8]; /* the hashes of before_verbs[] */
    uint64_t prep[6];        /* the hashes of place_preps[] */
} evidence;

typedef struct finder {
    kh_arena *tmp;
    cand *c;
    size_t n;
    size_t seen;
    const evidence *ev;  /* NULL: word shapes alone */
    const char *text;    /* the text being proposed from */
    size_t last;         /* the proposal propose() added or found; SIZE_MAX: none */
} finder;

static int kinds_fit(kh_entity_kind a, kh_entity_kind b)
{
    return a == b || a == KH_ENTITY_NAME || b == KH_ENTITY_NAME;
}

/* Adds the proposal text[start, end) of kind; duplicates are counted once. */
static kh_status propose(finder *fd, const char *text, size_t start, size_t end,
                         kh_entity_kind kind, int al_prefix)
{
    if (end <= start || fd->n >= MAX_CANDS) return KH_OK;
    size_t len = end - start + (al_prefix ? 4 : 0);
    for (size_t i = 0; i < fd->n; i++) {
        cand *c = &fd->c[i];
        if (c->kind == kind && c->written_len == len &&
            memcmp(c->written + (al_prefix ? 4 : 0), text + start, end - start) == 0 &&
            (!al_prefix || memcmp(c->written, AR_ALEF AR_LAM, 4) == 0)) {
            fd->last = i;
            return KH_OK;
        }
    }
    nform *f = kh_arena_alloc(fd->tmp, sizeof *f);
    char *w = kh_arena_alloc(fd->tmp, len + 1);
    KHI_RETURN_IF(!f || !w, KH_E_NOMEM);
    if (al_prefix) memcpy(w, AR_ALEF AR_LAM, 4);
    memcpy(w + (al_prefix ? 4 : 0), text + start, end - start);
    w[len] = '\0';
    if (!nform_build(f, w, len)) return KH_OK;
    cand *c = &fd->c[fd->n];
    c->written = w;
    c->written_len = len;
    c->kind = kind;
    c->form = f;
    c->parent = fd->n;
    c->mentions = 0;
    c->first_seen = fd->seen++;
    c->known = 0;
    fd->last = fd->n;
    fd->n++;
    return KH_OK;
}

/* Proposes an ال-word as written, dropping a particle before ال (بالرقة ->
 * الرقة, للرقة -> الرقة). */
static kh_status propose_word(finder *fd, const char *text, const khi_word *w,
                              kh_entity_kind kind)
{
    size_t start = w->start;
    int al_prefix = 0;
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    if (b != w->key) {
        /* count the bytes of the particles in the written text by code points */
        size_t drop = khi_cp_count(w->key, (size_t)(b - w->key)) - 2; /* keep ال */
        if (w->key_len >= 4 && memcmp(w->key, AR_LAM AR_LAM, 4) == 0) {
            drop = 2;
            al_prefix = 1;
        } else if (w->key_len >= 6 && memcmp(w->key + 2, AR_LAM AR_LAM, 4) == 0) {
            drop = 3;
            al_prefix = 1;
        }
        while (drop > 0 && start < w->end) {
            uint32_t cp;
            size_t l = khi_utf8_decode((const unsigned char *)text + start, w->end - start, &cp);
            if (l == 0) break;
            start += l;
            if (fold_cp(cp)) drop--;
        }
    }
    return propose(fd, text, start, w->end, kind, al_prefix);
}

/* Proposes text from word a to word b, as written, without a particle
 * attached to a's front (لمجموعة -> مجموعة, بوادي -> وادي, بالرقة -> الرقة). */
static kh_status propose_span(finder *fd, const char *text, const khi_word *a, const khi_word *b,
                              kh_entity_kind kind)
{
    if (a == b) return propose_word(fd, text, a, kind);
    size_t start = a->start;
    size_t bl;
    const char *bare = khi_bare(a->key, a->key_len, &bl);
    int drop = 0, al_prefix = 0;
    if (bare != a->key) {
        if (memcmp(a->key, AR_LAM AR_LAM, 4) == 0) { drop = 2; al_prefix = 1; }
        else if (memcmp(a->key, AR_ALEF AR_LAM, 4) != 0) drop = 1;
    } else if (particle_len(a->key, a->key_len) &&
               (WORD_IN(org_heads, a) || WORD_IN(place_heads, a) || WORD_IN(place_words, a)) &&
               !IN(org_heads, a->key, a->key_len) &&
               !IN(place_heads, a->key, a->key_len)) {
        drop = 1;
    }
    while (drop > 0 && start < a->end) {
        uint32_t cp;
        size_t l = khi_utf8_decode((const unsigned char *)text + start, a->end - start, &cp);
        if (l == 0) break;
        start += l;
        if (fold_cp(cp)) drop--;
    }
    return propose(fd, text, start, b->end, kind, al_prefix);
}

/* An ordinal without ال, masculine or feminine (خامس, خامسة). */
static int ordinal(const khi_word *w)
{
    size_t n = w->key_len;
    if (IN(ordinals, w->key, n)) return 1;
    return n > 2 && memcmp(w->key + n - 2, "\xd9\x87", 2) == 0 && IN(ordinals, w->key, n - 2);
}

/* An ordinal with ال, masculine or feminine (الثانية, الأولى). */
static int al_ordinal(const khi_word *w)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    if (b != w->key + 4) return 0;
    if (IN(ordinals, b, bl) || (bl > 2 && memcmp(b + bl - 2, "\xd9\x87", 2) == 0 && IN(ordinals, b, bl - 2)))
        return 1;
    return bl == 6 && memcmp(b, "\xd8\xa7\xd9\x88\xd9\x84\xd9\x8a", 6) == 0; /* الأولى */
}

/* First halves of two-word names: عبد الرحمن, أبو الغيط, ابن خلدون. */
static const char *const name_halves[] = { /* byte order */
    "ابن", "ابو", "ال", "ام", "بن", "سيف", "عبد", "نور",
};

/* الله: an ال-word whose bare rest (له) is a particle, yet the second
 * half of many names (عبد الله, حزب الله, نصر الله). */
static int is_allah(const khi_word *w)
{
    return w->key_len == 8 && memcmp(w->key, "\xd8\xa7\xd9\x84\xd9\x84\xd9\x87", 8) == 0;
}

#define AR_HEH "\xd9\x87"
#define AR_TEH "\xd8\xaa"
#define AR_YEH "\xd9\x8a"
#define AR_NOON "\xd9\x86"
#define AR_WAW "\xd9\x88"

/* Is prefix + k[0..n) + suffix a word the texts write without ال? */
static int written_plain(const finder *fd, const char *prefix, const char *k, size_t n,
                         const char *suffix)
{
    char buf[TOK_BYTES + 8];
    size_t pl = strlen(prefix), sl = strlen(suffix);
    if (pl + n + sl > sizeof buf) return 0;
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, k, n);
    memcpy(buf + pl + n, suffix, sl);
    return key_set_has(&fd->ev->plain, buf, pl + n + sl);
}

/* Does the Arabic key k (no ال, two bytes a letter) conjugate like a verb
 * in these texts? A name keeps its shape; a verb is written again with
 * another person's prefix or a plural ending: يعتقد beside تعتقد or
 * يعتقدون, تضم beside يضم, انطلقت beside ينطلق, ترك beside يترك and تركت.
 * Only words that carry a verb's affix are asked (احمد, حسن are not). */
static int conjugates(const finder *fd, const char *k, size_t n)
{
    size_t letters = n / 2;
    if (letters < 3) return 0;
    int yeh = memcmp(k, AR_YEH, 2) == 0, teh = memcmp(k, AR_TEH, 2) == 0,
        noon = memcmp(k, AR_NOON, 2) == 0;
    /* يضم beside تضم: three letters, a prefix and a stem of two */
    if ((yeh || teh) && letters == 3 &&
        written_plain(fd, yeh ? AR_TEH : AR_YEH, k + 2, n - 2, ""))
        return 1;
    if ((yeh || teh || noon) && letters >= 4) {
        const char *stem = k + 2;
        size_t sn = n - 2;
        if ((!yeh && written_plain(fd, AR_YEH, stem, sn, "")) ||
            (!teh && written_plain(fd, AR_TEH, stem, sn, "")) ||
            (!noon && written_plain(fd, AR_NOON, stem, sn, "")) ||
            written_plain(fd, "", k, n, AR_WAW AR_NOON) || written_plain(fd, "", k, n, AR_WAW AR_ALEF))
            return 1;
    }
    /* a past tense in ت: انطلقت (ينطلق), جاءت */
    if (letters >= 4 && memcmp(k + n - 2, AR_TEH, 2) == 0) {
        const char *stem = k;
        size_t sn = n - 2;
        if (written_plain(fd, AR_YEH, stem, sn, "") || written_plain(fd, "", stem, sn, AR_WAW AR_ALEF))
            return 1;
        if (memcmp(stem, AR_ALEF, 2) == 0 && written_plain(fd, AR_YEH, stem + 2, sn - 2, ""))
            return 1;
    }
    /* a bare past tense of three letters: ترك (يترك, تركت) */
    if (letters == 3 && written_plain(fd, AR_YEH, k, n, "") &&
        (written_plain(fd, "", k, n, AR_TEH) || written_plain(fd, "", k, n, AR_WAW AR_ALEF)))
        return 1;
    return 0;
}

/* The written word ends in ه, not ة: a pronoun attached (بلاده, جلالته,
 * قوله, سموه, معاليه, ربه), unless it is one of the names that end so:
 * عبدالله, طه, شاه, and the French names in يه (جوزيه, أندريه) when
 * their stem is not a word of the texts (معالي is). After عبد, a name
 * reads its second half whatever it is (عبد ربه). */
static int pronoun_attached(const finder *fd, const khi_word *w)
{
    const unsigned char *t = (const unsigned char *)fd->text;
    size_t e = w->end;
    /* marks after the last letter (ـهُ) */
    while (e >= w->start + 2 && t[e - 2] == 0xd9 && t[e - 1] >= 0x8b && t[e - 1] <= 0x92) e -= 2;
    const char *k = w->key;
    size_t n = w->key_len, letters = n / 2;
    if (e >= w->start + 2 && t[e - 2] == 0xd9 && t[e - 1] == 0x87) {
        /* three letters: ربه, but not شاه */
        if (letters < 3 || (letters == 3 && memcmp(k + 2, AR_ALEF, 2) == 0)) return 0;
        if (memcmp(k + n - 6, AR_LAM AR_LAM AR_HEH, 6) == 0 ||
            memcmp(k + n - 6, AR_ALEF AR_LAM AR_HEH, 6) == 0)
            return 0; /* عبدالله, عبدالاله */
        if (IN(name_halves, k, n - 2)) return 0; /* عبده */
        if (memcmp(k, "\xd8\xb9\xd8\xa8\xd8\xaf", 6) == 0) return 0; /* عبدربه written as one */
        if (memcmp(k + n - 4, AR_YEH AR_HEH, 4) == 0)
            return IN(title_words, k, n - 2) || (fd->ev && written_plain(fd, "", k, n - 2, ""));
        return 1;
    }
    /* ها, هم, هما, كم after a stem of three letters or more (عنها is a stopword) */
    if (letters >= 5 && (memcmp(k + n - 4, AR_HEH AR_ALEF, 4) == 0 ||
                         memcmp(k + n - 4, AR_HEH "\xd9\x85", 4) == 0 ||
                         memcmp(k + n - 4, "\xd9\x83\xd9\x85", 4) == 0))
        return 1;
    if (letters >= 6 && memcmp(k + n - 6, AR_HEH "\xd9\x85" AR_ALEF, 6) == 0) return 1;
    /* نا on an imperfect verb: يجمعنا, تجمعنا */
    if (letters >= 5 && memcmp(k + n - 4, AR_NOON AR_ALEF, 4) == 0 &&
        (memcmp(k, AR_YEH, 2) == 0 || memcmp(k, AR_TEH, 2) == 0))
        return 1;
    return 0;
}

/* The verbal nouns of the derived stems that no name shares: استفعال
 * (استخدام, استقبال), افتعال (اعتقال, اجتماع) and تفاعل (تعاون, تجاوز).
 * Of their lengths exactly: أستراليا, إسطنبول are longer. */
static int masdar(const char *k, size_t n)
{
    /* تفاعل: تعاون, تجاوز, تبادل */
    if (n == 10 && memcmp(k, AR_TEH, 2) == 0 && memcmp(k + 4, AR_ALEF, 2) == 0) return 1;
    if (memcmp(k, AR_ALEF, 2) != 0) return 0;
    if (n == 14 && memcmp(k + 2, "\xd8\xb3" AR_TEH, 4) == 0 && memcmp(k + 10, AR_ALEF, 2) == 0)
        return 1;
    return n == 12 && memcmp(k + 4, AR_TEH, 2) == 0 && memcmp(k + 8, AR_ALEF, 2) == 0;
}

/* The prepositions a place follows (في بريطانيا) and an adverb does not. */
static const char *const place_preps[] = { "في", "الي", "من", "عن", "مع", "بين" };

/* Words a verb follows and no name does: the relative pronouns and the
 * particles of a verb's tense or mood (التي تضم, لا يعلم, لم يذكر). */
static const char *const before_verbs[] = {
    "الذي", "الذين", "التي", "قد", "لا", "لم", "لن", "سوف",
};

/* Do the texts write w right after one of before_verbs[]? */
static int after_verb_word(const finder *fd, const khi_word *w)
{
    uint64_t h = w->lex ? w->lex->hash : hash_bytes(w->key, w->key_len);
    for (size_t i = 0; i < sizeof before_verbs / sizeof before_verbs[0]; i++)
        if (key_count_get(&fd->ev->pairs, pair_hash(fd->ev->before_verb[i], h)) > 0) return 1;
    return 0;
}

/* An Arabic word without ال that is no name by its shape or by how the
 * texts write it: a verb form, a pronoun-suffixed noun or preposition, or
 * an adverb in ـًا whose stem the texts write alone (فورا, ردا, طالبا). */
static int plain_word(const finder *fd, const khi_word *w)
{
    if (!w->arabic || !fd->text) return 0;
    /* التزام, التقاء: a verbal noun whose ل is no article */
    if (has_al(w->key, w->key_len)) return masdar(w->key, w->key_len);
    if (pronoun_attached(fd, w)) return 1;
    const char *k = w->key;
    size_t n = w->key_len;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)k[i] < 0x80) return 0; /* two bytes a letter below */
    if (masdar(k, n)) return 1;
    /* the verbs of the same stems: تناولت (تفاعل + ت), افتتح, اجتمع (افتعل),
     * alone or after و */
    for (size_t o = 0; o <= 2; o += 2) {
        const char *v = k + o;
        size_t vn = n - o;
        if (o && !conjunction_first(k)) break;
        if (vn == 12 && memcmp(v + vn - 2, AR_TEH, 2) == 0 && masdar(v, vn - 2)) return 1;
        /* not آشتون, آستون: a long vowel after the ت is a foreign name's */
        if (vn == 10 && memcmp(v, AR_ALEF, 2) == 0 && memcmp(v + 4, AR_TEH, 2) == 0 &&
            memcmp(v + 6, AR_WAW, 2) != 0 && memcmp(v + 6, AR_YEH, 2) != 0)
            return 1;
    }
    /* بتأمين, لتسهيل: a verb's preposition on a verbal noun تفعيل (alone,
     * توفيق is a name) */
    if (n == 12 && (memcmp(k, "\xd8\xa8", 2) == 0 || memcmp(k, AR_LAM, 2) == 0) &&
        memcmp(k + 2, AR_TEH, 2) == 0 && memcmp(k + 8, AR_YEH, 2) == 0)
        return 1;
    if (n > 2 && (memcmp(k, "\xd8\xa8", 2) == 0 || memcmp(k, AR_LAM, 2) == 0) &&
        masdar(k + 2, n - 2))
        return 1;
    if (!fd->ev) return 0;
    if (conjugates(fd, k, n) || after_verb_word(fd, w)) return 1;
    /* نا on a noun the texts write with ال: منتخبنا, بلادنا (not أثينا) */
    if (n >= 10 && memcmp(k + n - 4, AR_NOON AR_ALEF, 4) == 0 &&
        key_set_has(&fd->ev->with_al, k, n - 4))
        return 1;
    /* after و or ف (وقتل, ويعتقد), or the future's س (ستزور) */
    if (n >= 8 && (memcmp(k, AR_WAW, 2) == 0 || memcmp(k, "\xd9\x81", 2) == 0 ||
                   (memcmp(k, "\xd8\xb3", 2) == 0 &&
                    (memcmp(k + 2, AR_YEH, 2) == 0 || memcmp(k + 2, AR_TEH, 2) == 0 ||
                     memcmp(k + 2, AR_NOON, 2) == 0))) &&
        conjugates(fd, k + 2, n - 2))
        return 1;
    /* و or ف before a word of the texts: a conjunction (وطالبة), not a
     * name's first letter (وليد, وائل) */
    if (n >= 8 && (memcmp(k, AR_WAW, 2) == 0 || memcmp(k, "\xd9\x81", 2) == 0) &&
        key_count_get(&fd->ev->words, hash_bytes(k + 2, n - 2)) > 0)
        return 1;
    /* an accusative participle: مؤكدا, مشيرا, موضحا (not مايا, مانيلا:
     * a long ا after the م; not منغوليا) */
    if (n >= 10 && memcmp(k, "\xd9\x85", 2) == 0 && memcmp(k + n - 2, AR_ALEF, 2) == 0 &&
        memcmp(k + 2, AR_ALEF, 2) != 0 && memcmp(k + n - 4, AR_YEH, 2) != 0 &&
        memcmp(k + n - 4, AR_ALEF, 2) != 0)
        return 1;
    /* the adverb's ا: the stem is a word of the texts, not a nisba (روسيا) */
    if (n >= 6 && memcmp(k + n - 2, AR_ALEF, 2) == 0 && memcmp(k + n - 4, AR_YEH, 2) != 0 &&
        memcmp(k + n - 4, AR_WAW, 2) != 0 && memcmp(k + n - 4, AR_ALEF, 2) != 0 &&
        (key_set_has(&fd->ev->plain, k, n - 2) || key_set_has(&fd->ev->with_al, k, n - 2)))
        return 1;
    /* a preposition on a noun the texts write with ال: لكرة (الكرة),
     * لمحطة; not كوفي, whose وفي is a word too */
    size_t p = particle_len(k, n);
    if (p && memcmp(k, AR_WAW, 2) != 0 && memcmp(k, "\xd9\x81", 2) != 0 &&
        key_set_has(&fd->ev->with_al, k + p, n - p))
        return 1;
    return 0;
}

/* An ال-word in ي or ية whose other gender the texts write too: an
 * adjective (السعودية beside السعودي), where a noun of that shape (الجمعية,
 * النادي) has no such twin. */
static int adjective(const finder *fd, const khi_word *w)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    if (!fd->ev || b == w->key || bl < 6) return 0;
    char twin[TOK_BYTES];
    if (memcmp(b + bl - 4, AR_YEH AR_HEH, 4) == 0)
        return key_set_has(&fd->ev->with_al, b, bl - 2);
    if (memcmp(b + bl - 2, AR_YEH, 2) == 0 && bl + 2 <= sizeof twin) {
        memcpy(twin, b, bl);
        memcpy(twin + bl, AR_HEH, 2);
        return key_set_has(&fd->ev->with_al, twin, bl + 2);
    }
    return 0;
}

/* Shaped as an imperfect verb: ي, ت, ن or ا and three letters or more
 * (تنظيم داعش يسيطر, شركة أرامكو تعلن: the name's end is clear). */
static int imperfect_shape(const khi_word *w)
{
    const char *k = w->key;
    return w->key_len >= 8 && (memcmp(k, AR_YEH, 2) == 0 || memcmp(k, AR_TEH, 2) == 0 ||
                               memcmp(k, AR_NOON, 2) == 0 || memcmp(k, AR_ALEF, 2) == 0);
}

/* An Arabic word without ال that the texts also write with it: a common
 * noun (إدارة beside الإدارة). */
static int common_noun(const finder *fd, const khi_word *w)
{
    return fd->ev && w->arabic && !has_al(w->key, w->key_len) &&
           key_set_has(&fd->ev->with_al, w->key, w->key_len);
}

static int opens_name(const finder *fd, const khi_word *w);

/* A word that goes on a name of foreign words after its first: Arabic,
 * without ال, a name word, and one the texts write after the word before
 * it twice or more and half the times at least (كونج after هونج, يونايتد
 * after مانشستر, and after مانشيستر), where a verb or a noun that follows
 * a name (غزة أصيب, عدن كشفت) is written elsewhere too, or once. */
static int foreign_word(const finder *fd, const khi_word *w)
{
    if (!w->arabic || has_al(w->key, w->key_len) || !opens_name(fd, w) ||
        IN(name_halves, w->key, w->key_len) || !fd->ev)
        return 0;
    /* جدة واقعة, نابلس ومخيمي: a word in و starts the next phrase (ف starts
     * many a foreign name: سان فرانسيسكو) */
    if (w->key_len >= 8 && memcmp(w->key, AR_WAW, 2) == 0) return 0;
    uint64_t h = hash_bytes(w->key, w->key_len);
    uint32_t alone = key_count_get(&fd->ev->words, h);
    uint32_t after = key_count_get(&fd->ev->pairs, pair_hash(hash_bytes(w[-1].key, w[-1].key_len), h));
    size_t p = particle_len(w[-1].key, w[-1].key_len);
    if (p) {
        uint32_t a2 = key_count_get(&fd->ev->pairs,
                                    pair_hash(hash_bytes(w[-1].key + p, w[-1].key_len - p), h));
        if (a2 > after) after = a2;
    }
    return after >= 2 && 2 * after >= alone;
}

/* علي written with ي: the name Ali, where the preposition على folds to
 * the same key but is written with ى (where the writer tells them apart).
 * Taken inside a name only: a name علي alone would be found in every على. */
static int ali(const finder *fd, const khi_word *w)
{
    return fd->text && w->key_len == 6 && memcmp(w->key, "\xd8\xb9\xd9\x84\xd9\x8a", 6) == 0 &&
           w->end - w->start == 6 && memcmp(fd->text + w->start + 4, "\xd9\x8a", 2) == 0;
}

static int name_word(const finder *fd, const khi_word *w)
{
    return (!is_stop(w) || is_allah(w)) && !has_digit(w) && !WORD_IN(title_words, w) &&
           !verb_like(w) && !WORD_IN(speech_verbs, w) && khi_cp_count(w->key, w->key_len) >= 2 &&
           !plain_word(fd, w);
}

/* A word that may open a name right after a speech verb: a name word that
 * is none of the tokenizer's Arabic stopwords either (قال مما, قال بسبب).
 * Inside a name those words may belong to it (جان إيف لو دريان). */
static int opens_name(const finder *fd, const khi_word *w)
{
    return name_word(fd, w) && !(w->arabic && kh_is_stopword(KH_LANG_AR, w->key, w->key_len));
}

static size_t name_end(const finder *fd, const khi_word *w, size_t n, size_t j, int strict);
static int tied(const finder *fd, const khi_word *a, const khi_word *b, int a_side);
static uint32_t together(const finder *fd, const khi_word *a, const khi_word *b);

/* A person after a title: modifiers skipped, then one to four name words. */
static kh_status after_title(finder *fd, const char *text, const khi_word *w, size_t n, size_t i)
{
    size_t j = i + 1, skipped = 0;
    while (j < n && skipped < 4) {
        if (w[j].brk & KHI_BRK_HARD) return KH_OK;
        if (WORD_IN(domain_words, &w[j]) && !has_al(w[j].key, w[j].key_len)) {
            j += 2;
            skipped += 2;
            continue;
        }
        /* المتحدثة باسمها, باسمه: the pronoun is the domain */
        if (w[j].key_len > 8 && memcmp(w[j].key, "\xd8\xa8\xd8\xa7\xd8\xb3\xd9\x85", 8) == 0 &&
            pronoun_attached(fd, &w[j])) {
            j++;
            skipped++;
            continue;
        }
        if (has_al(w[j].key, w[j].key_len) || WORD_IN(portfolio_words, &w[j])) {
            j++;
            skipped++;
            continue;
        }
        /* a complement with ل: رئيس الاتحاد السعودي لكرة القدم, وزير
         * الدولة لشؤون الخليج; not لطفي الخولي, where طفي is no word of
         * the texts and the ال-word is a family's nisba */
        if (j + 1 < n && w[j].arabic && w[j].key_len >= 6 &&
            memcmp(w[j].key, AR_LAM, 2) == 0 && has_al(w[j + 1].key, w[j + 1].key_len) &&
            (!is_nisba(&w[j + 1]) ||
             (fd->ev && (key_set_has(&fd->ev->with_al, w[j].key + 2, w[j].key_len - 2) ||
                         key_count_get(&fd->ev->words,
                                       hash_bytes(w[j].key + 2, w[j].key_len - 2)) > 0)))) {
            j += 2;
            skipped += 2;
            continue;
        }
        break;
    }
    if (j >= n || (w[j].brk & (KHI_BRK_HARD | KHI_BRK_OTHER))) return KH_OK;
    /* after a comma the name stands apart (وزير الدفاع، آشتون كارتر،):
     * no stopword of the tokenizer's (فيما) and no word in و, which
     * opens the next phrase (ولحكومة) */
    if ((w[j].brk & KHI_BRK_COMMA) && w[j].arabic &&
        (!opens_name(fd, &w[j]) || (w[j].key_len >= 8 && memcmp(w[j].key, AR_WAW, 2) == 0)))
        return KH_OK;
    if (!w[j].arabic && !w[j].upper) return KH_OK;
    if (!name_word(fd, &w[j]) || has_al(w[j].key, w[j].key_len)) return KH_OK;
    size_t last = name_end(fd, w, n, j, 0);
    if (last == SIZE_MAX) return KH_OK;
    return propose(fd, text, w[j].start, w[last].end, KH_ENTITY_PERSON, 0);
}

/* The last word of a person's name that starts at word j (a name word
 * without ال): one to four name words, and more while a first half asks
 * for its name; SIZE_MAX when a first half has no name after it. strict:
 * the tokenizer's stopwords end it too (قال محفوظ فيما), as no title
 * vouches for the words after a verb. */
static size_t name_end(const finder *fd, const khi_word *w, size_t n, size_t j, int strict)
{
    size_t last = j;
    /* عبد الله, أبو مازن: a first half never ends a name */
    if (IN(name_halves, w[j].key, w[j].key_len)) {
        if (j + 1 >= n || (w[j + 1].brk & ~(unsigned)KHI_BRK_HYPHEN) || !w[j + 1].arabic)
            return SIZE_MAX;
        last = j + 1;
    }
    /* four words, and more while a first half asks for its name (حمد بن
     * خليفة آل ثاني): a name never ends on بن, آل, أبو */
    for (size_t k = last + 1;
         k < n && (k < j + 4 || (k < j + NAME_TOKS && IN(name_halves, w[k - 1].key, w[k - 1].key_len)));
         k++) {
        if (w[k].brk & ~(unsigned)KHI_BRK_HYPHEN) break;
        /* عبدالله الثاني, محمد الخامس: a king's ordinal ends his name */
        size_t ol;
        if ((!has_al(w[k - 1].key, w[k - 1].key_len) || is_allah(&w[k - 1])) &&
            khi_bare(w[k].key, w[k].key_len, &ol) == w[k].key + 4 &&
            IN(ordinals, w[k].key + 4, ol)) {
            last = k;
            break;
        }
        /* عبدالله بن مساعد, حمد بن خليفة آل ثاني: after بن or آل a title
         * word or a stopword is a name */
        int after_half = IN(name_halves, w[k - 1].key, w[k - 1].key_len) && w[k].arabic &&
                         !has_al(w[k].key, w[k].key_len) && !particle_len(w[k].key, w[k].key_len) &&
                         !has_digit(&w[k]) &&
                         !kh_is_stopword(KH_LANG_AR, w[k].key, w[k].key_len);
        /* بوتين الترويج, مبارك التعاون: a verbal noun with the article is
         * no family name (an organization's name may hold one: منظمة
         * التحرير) */
        if (has_al(w[k].key, w[k].key_len)) {
            size_t bl;
            const char *b = khi_bare(w[k].key, w[k].key_len, &bl);
            if (masdar(b, bl) || (bl == 10 && memcmp(b, AR_TEH, 2) == 0 && memcmp(b + 6, AR_YEH, 2) == 0))
                break;
        }
        /* أحمد علي عبد الله: علي inside a name, never a name alone */
        int inside = after_half || ali(fd, &w[k]);
        if (!name_word(fd, &w[k]) && !inside) break;
        if (strict && !opens_name(fd, &w[k]) && !inside) break;
        if (w[k].arabic != w[j].arabic) break;
        if (!w[k].arabic && !w[k].upper) break;
        if (has_al(w[k].key, w[k].key_len)) {
            size_t bl;
            if (khi_bare(w[k].key, w[k].key_len, &bl) != w[k].key + 4) break; /* وال بال لل */
            /* a feminine adjective is no family name: نوكيا الفنلندية, where
             * the texts write الفنلندي too (العطية has no such twin); nor,
             * after a verb, a noun the texts write without ال (روسيا الحرب) */
            if (fd->ev && bl > 4 && memcmp(w[k].key + w[k].key_len - 4, AR_YEH AR_HEH, 4) == 0 &&
                (key_set_has(&fd->ev->with_al, w[k].key + 4, bl - 2) ||
                 key_set_has(&fd->ev->plain, w[k].key + 4, bl - 2)))
                break;
            if (strict && fd->ev && !is_allah(&w[k]) && key_set_has(&fd->ev->plain, w[k].key + 4, bl))
                break;
            last = k;
            /* عبد الرحمن, أبو الغيط: the ال-word is the second half of a name */
            if (IN(name_halves, w[k - 1].key, w[k - 1].key_len)) continue;
            break;
        }
        if (particle_len(w[k].key, w[k].key_len) && memcmp(w[k].key, "\xd9\x88", 2) == 0) break;
        last = k;
    }
    return last;
}

/* Latin script: a run of capitalized words, titles dropped from its start. */
static size_t latin_run(finder *fd, const char *text, const khi_word *w, size_t n, size_t i,
                        kh_status *rc)
{
    size_t j = i, last = i;
    while (j + 1 < n) {
        size_t k = j + 1;
        if (w[k].brk & ~(unsigned)KHI_BRK_HYPHEN) break;
        if (!w[k].arabic && w[k].upper && !is_stop(&w[k])) { j = last = k; continue; }
        /* connectors inside names: bin, al, de, van, von, of */
        static const char *const conn[] = { /* byte order */
            "al", "bin", "da", "de", "del", "of", "van", "von",
        };
        if (k + 1 < n && IN(conn, w[k].key, w[k].key_len) && !w[k + 1].arabic && w[k + 1].upper &&
            !(w[k + 1].brk & ~(unsigned)KHI_BRK_HYPHEN)) {
            j = last = k + 1;
            continue;
        }
        break;
    }
    /* the name starts after the last title word: Defence Secretary Ashton Carter */
    size_t s = i;
    for (size_t k = i; k <= last; k++)
        if (IN(title_words, w[k].key, w[k].key_len)) s = k + 1;
    while (s <= last && is_stop(&w[s])) s++;
    *rc = KH_OK;
    if (s <= last) {
        /* a lone word opening a sentence is only a name when seen inside one */
        int lone_opening = s == last && s == i && (w[i].brk & (KHI_BRK_HARD | KHI_BRK_QUOTE));
        if (!lone_opening && khi_cp_count(w[s].key, w[s].key_len) >= 2)
            *rc = propose(fd, text, w[s].start, w[last].end, KH_ENTITY_NAME, 0);
    }
    return last;
}

static kh_status propose_text(finder *fd, const char *text, const khi_word *w, size_t n,
                              int is_title)
{
    fd->text = text;
    for (size_t i = 0; i < n; i++) {
        const khi_word *x = &w[i];
        if (!x->arabic) {
            /* English titles capitalize every word: no cue there */
            if (x->upper && !has_digit(x) && !is_title) {
                kh_status rc;
                i = latin_run(fd, text, w, n, i, &rc);
                KHI_FORWARD_IF_ERROR(rc);
            }
            continue;
        }
        if (WORD_IN(title_words, x)) {
            /* أمين فارس: a first name, where the title is أمين عام, أمين سر */
            if (i + 1 < n && x->key_len == 8 && memcmp(x->key, "\xd8\xa7\xd9\x85\xd9\x8a\xd9\x86", 8) == 0 &&
                !w[i + 1].brk && w[i + 1].arabic && !has_al(w[i + 1].key, w[i + 1].key_len) &&
                !IN(secretary_words, w[i + 1].key, w[i + 1].key_len))
                continue;
            KHI_FORWARD_IF_ERROR(after_title(fd, text, w, n, i));
            continue;
        }
        if (i + 1 >= n || (w[i + 1].brk & ~(unsigned)KHI_BRK_QUOTE)) continue;
        const khi_word *y = &w[i + 1];
        if (WORD_IN(speech_verbs, x)) {
            /* طالب وطالبة, مواطن ومواطنة: the verb's word was a noun */
            size_t xo = x->key_len > 6 && conjunction_first(x->key) ? 2 : 0;
            if (y->arabic && y->key_len > x->key_len - xo + 2 && memcmp(y->key, AR_WAW, 2) == 0 &&
                memcmp(y->key + 2, x->key + xo, x->key_len - xo) == 0)
                continue;
            if (y->arabic && IN(name_halves, y->key, y->key_len) && i + 2 < n && !w[i + 2].brk &&
                w[i + 2].arabic && khi_cp_count(w[i + 2].key, w[i + 2].key_len) >= 3) {
                /* وقال عبد الله, قال أبو مازن, قال أبو عبد الله: the half
                 * and its name */
                size_t last = name_end(fd, w, n, i + 1, 1);
                if (last == SIZE_MAX || last < i + 2) last = i + 2;
                KHI_FORWARD_IF_ERROR(
                    propose(fd, text, y->start, w[last].end, KH_ENTITY_PERSON, 0));
            } else if (y->arabic && opens_name(fd, y) && !has_al(y->key, y->key_len) &&
                       khi_cp_count(y->key, y->key_len) >= 3 && !WORD_IN(org_heads, y) &&
                       !WORD_IN(org_words, y) && !WORD_IN(place_words, y) &&
                       !IN(name_halves, y->key, y->key_len) && !(y->brk & KHI_BRK_QUOTE)) {
                /* the subject's whole name: وقال كوفي أنان, قال أحمد أبو الغيط */
                /* a common noun (عملية الإنزال) is no subject's name */
                if (fd->ev && key_set_has(&fd->ev->with_al, y->key, y->key_len)) continue;
                size_t last = name_end(fd, w, n, i + 1, 1);
                if (last == SIZE_MAX) last = i + 1;
                KHI_FORWARD_IF_ERROR(propose(fd, text, y->start, w[last].end, KH_ENTITY_PERSON, 0));
            }
        } else if (WORD_IN(place_words, x) || WORD_IN(place_heads, x)) {
            /* a plain word or an ال-word (not وال, بال: those start a new phrase) */
            size_t bl;
            int y_al = has_al(y->key, y->key_len);
            if (has_al(x->key, x->key_len) && !y_al) {
                /* المحافظة مُنى الحكيم: "the governor", a title */
                size_t xl;
                const char *xb = khi_bare(x->key, x->key_len, &xl);
                if (xl == strlen("محافظه") && memcmp(xb, "محافظه", xl) == 0)
                    KHI_FORWARD_IF_ERROR(after_title(fd, text, w, n, i));
                continue;
            }
            /* المدينة المنورة, العاصمة المقدسة are names whole: an adjective
             * the texts write after the place word only and twice at least,
             * no nisba (المدينة الواقعة, العاصمة البريطانية describe); and
             * the capital is named after it (العاصمة الرياض) */
            if (has_al(x->key, x->key_len)) {
                size_t xl2, yl2;
                const char *xb2 = khi_bare(x->key, x->key_len, &xl2);
                int city = xb2 == x->key + 4 && xl2 == strlen("مدينه") && memcmp(xb2, "مدينه", xl2) == 0;
                int capital = xb2 == x->key + 4 && xl2 == strlen("عاصمه") &&
                              memcmp(xb2, "عاصمه", xl2) == 0;
                if ((city || capital) && y_al && khi_bare(y->key, y->key_len, &yl2) == y->key + 4 &&
                    memcmp(y->key, AR_ALEF AR_LAM, 4) == 0 && name_word(fd, y) && !is_nisba(y) &&
                    !WORD_IN(place_words, y) && fd->ev) {
                    uint32_t alone = key_count_get(&fd->ev->words, hash_bytes(y->key, y->key_len));
                    uint32_t after = key_count_get(
                        &fd->ev->pairs, pair_hash(hash_bytes(x->key, x->key_len),
                                                  hash_bytes(y->key, y->key_len)));
                    if (alone >= 2 && after >= alone)
                        KHI_FORWARD_IF_ERROR(propose_span(fd, text, x, y, KH_ENTITY_PLACE));
                    else if (capital && opens_name(fd, y))
                        KHI_FORWARD_IF_ERROR(propose_word(fd, text, y, KH_ENTITY_PLACE));
                }
                continue;
            }
            if (y_al && khi_bare(y->key, y->key_len, &bl) != y->key + 4) continue;
            if (!y->arabic || !opens_name(fd, y) || is_nisba(y) || nisba_ending(y) ||
                WORD_IN(place_words, y) || WORD_IN(org_words, y) || WORD_IN(org_heads, y) ||
                IN(name_halves, y->key, y->key_len) || common_noun(fd, y) || ordinal(y))
                continue;
            size_t last = i + 1;
            /* construct names: مرسى النخيل, رأس الخيمة */
            if (!y_al && i + 2 < n && !w[i + 2].brk && w[i + 2].arabic &&
                khi_bare(w[i + 2].key, w[i + 2].key_len, &bl) == w[i + 2].key + 4 &&
                name_word(fd, &w[i + 2]) && !is_nisba(&w[i + 2]))
                last = i + 2;
            /* a foreign name's own words: هونج كونج, نيو أورليانز */
            for (size_t k = i + 2; !y_al && last == k - 1 && k < n && k < i + 4; k++)
                if (!w[k].brk && foreign_word(fd, &w[k])) last = k;
            /* وادي السدر is one name; in جبل مايون, جزيرة جاوا the head
             * only says what مايون is */
            if (WORD_IN(place_heads, x) && y_al)
                KHI_FORWARD_IF_ERROR(propose_span(fd, text, x, &w[last], KH_ENTITY_PLACE));
            else
                KHI_FORWARD_IF_ERROR(propose_span(fd, text, y, &w[last], KH_ENTITY_PLACE));
        } else if (WORD_IN(org_heads, x) || (WORD_IN(org_words, x) && !has_al(x->key, x->key_len))) {
            int head = WORD_IN(org_heads, x);
            size_t bl;
            int y_al = has_al(y->key, y->key_len);
            if (!y->arabic || !opens_name(fd, y) || (nisba_ending(y) && !y_al)) continue;
            if (!y_al && (common_noun(fd, y) || IN(name_halves, y->key, y->key_len))) continue;
            /* مجلس إدارة الشركة, اتحاد كرة القدم, هيئة كبار العلماء: a noun
             * in construct, no name (شركة أرامكو السعودية has an adjective;
             * after تنظيم, جماعة the word is the name: تنظيم داعش المتشدد) */
            if (head && !y_al && i + 2 < n && !w[i + 2].brk && w[i + 2].arabic &&
                has_al(w[i + 2].key, w[i + 2].key_len) && !adjective(fd, &w[i + 2]))
                continue;
            if (y_al && khi_bare(y->key, y->key_len, &bl) != y->key + 4 && !is_allah(y)) continue;
            /* التنظيم: anaphora; المجموعة الثانية, النادي الإسباني: a
             * description, unless a لل-word makes it the body's full name
             * (الوكالة الدولية للطاقة الذرية) or the adjective is tied to
             * the head, written beside it half the times at least or three
             * times (الاتحاد الأوروبي, المرصد السوري); an ordinal never is */
            int described = has_al(x->key, x->key_len), full = 0;
            if (described && !(head && is_nisba(y))) continue;
            size_t last = i + 1;
            for (size_t k = i + 2; k < n && k < i + 4; k++) {
                if (w[k].brk || (w[k - 1].brk & KHI_BRK_QUOTE)) break; /* «الدولة» ends it */
                /* ال or لل words go on the name: الدولة الإسلامية, أمواج للموانئ */
                const char *b = khi_bare(w[k].key, w[k].key_len, &bl);
                if (!y_al) {
                    /* a foreign name goes on with its own words (فرانس برس,
                     * بوكو حرام), never with an adjective (توتال الفرنسية) */
                    if (!foreign_word(fd, &w[k])) break;
                    last = k;
                    continue;
                }
                int plain_al = b == w[k].key + 4 && memcmp(w[k].key, AR_ALEF AR_LAM, 4) == 0;
                int lil = w[k].key_len > 4 && memcmp(w[k].key, AR_LAM AR_LAM, 4) == 0;
                if (!(plain_al || (lil && head)) || !name_word(fd, &w[k])) break;
                last = k;
                full |= lil;
            }
            if (described && !full &&
                ((!tied(fd, x, y, 0) && together(fd, x, y) < 3) || al_ordinal(y)))
                continue;
            /* شركة طيران ناس: a word that could go on the name but is not
             * tied to it leaves the name's end unknown */
            if (!y_al && last == i + 1 && i + 2 < n && !w[i + 2].brk && w[i + 2].arabic &&
                !has_al(w[i + 2].key, w[i + 2].key_len) && opens_name(fd, &w[i + 2]) &&
                !common_noun(fd, &w[i + 2]) && !particle_len(w[i + 2].key, w[i + 2].key_len) &&
                !imperfect_shape(&w[i + 2]))
                continue;
            /* هيئة الموانئ, مصرف الساحل is one name; in شركة توتال, نادي
             * أرسنال the head only says what توتال is */
            if (head && y_al)
                KHI_FORWARD_IF_ERROR(propose_span(fd, text, x, &w[last], KH_ENTITY_ORG));
            else
                KHI_FORWARD_IF_ERROR(propose_span(fd, text, y, &w[last], KH_ENTITY_ORG));
        }
    }
    return KH_OK;
}

/* Does a short candidate (one or two words: long ones may be overruns
 * themselves) other than skip have a word equal to t? */
static int word_elsewhere(const finder *fd, size_t skip, const ntok *t)
{
    for (size_t i = 0; i < fd->n; i++) {
        if (i == skip || fd->c[i].form->n > 2) continue;
        const nform *f = fd->c[i].form;
        for (size_t k = 0; k < f->n; k++)
            if (f->tok[k].len == t->len && memcmp(f->tok[k].s, t->s, t->len) == 0) return 1;
    }
    return 0;
}

/* A name that ran past its end: another candidate is its beginning and
 * the words after it occur in no short candidate (فرانسوا هولاند لبحث
 * الحرب, where فرانسوا هولاند was also proposed). Such candidates go. */
static void drop_overruns(finder *fd)
{
    size_t out = 0;
    for (size_t i = 0; i < fd->n; i++) {
        const nform *f = fd->c[i].form;
        int overrun = 0;
        for (size_t j = 0; j < fd->n && !overrun && f->n >= 3; j++) {
            const nform *g = fd->c[j].form;
            if (j == i || g->n < 2 || g->n >= f->n) continue;
            size_t k = 0;
            while (k < g->n && g->tok[k].len == f->tok[k].len &&
                   memcmp(g->tok[k].s, f->tok[k].s, g->tok[k].len) == 0)
                k++;
            if (k < g->n) continue;
            overrun = 1;
            for (k = g->n; k < f->n && overrun; k++)
                overrun = !word_elsewhere(fd, i, &f->tok[k]);
        }
        if (overrun) continue;
        fd->c[out] = fd->c[i];
        fd->c[out].parent = out;
        out++;
    }
    fd->n = out;
}

/* ------------------------------------------------------------------ */
/* Grouping                                                             */
/* ------------------------------------------------------------------ */

static size_t find(cand *c, size_t i)
{
    while (c[i].parent != i) {
        c[i].parent = c[c[i].parent].parent;
        i = c[i].parent;
    }
    return i;
}

static void unite(cand *c, size_t a, size_t b)
{
    a = find(c, a);
    b = find(c, b);
    if (a == b) return;
    if (a < b) c[b].parent = a;
    else c[a].parent = b;
}

/* The kind of a group: the first specific kind among its members. */
static kh_entity_kind group_kind(cand *c, size_t n, size_t root)
{
    for (size_t i = 0; i < n; i++)
        if (find(c, i) == root && c[i].kind != KH_ENTITY_NAME) return c[i].kind;
    return KH_ENTITY_NAME;
}

/* What the grouping reads of every form for every pair, packed close
 * together: a form itself is over a kilobyte, and the pairs would read
 * each one from memory again. sig holds the lengths of the token
 * skeletons, six bits each, when every token is Arabic (0 otherwise): two
 * Arabic tokens are the same word only with skeletons of one length
 * (tok_same), so forms whose signatures differ are never the same name. */
typedef struct form_key {
    uint64_t joined_hash;
    uint64_t sig;
    uint32_t n;
    uint32_t joined_len;
    int script;
} form_key;

static void form_key_of(const nform *f, form_key *k)
{
    k->n = (uint32_t)f->n;
    k->joined_len = (uint32_t)f->joined_len;
    k->joined_hash = XXH3_64bits(f->joined, f->joined_len);
    k->script = f->script;
    k->sig = f->n;
    for (size_t t = 0; t < f->n; t++) {
        if (!f->tok[t].arabic) {
            k->sig = 0;
            break;
        }
        k->sig |= (uint64_t)(f->tok[t].skel_len & 63) << (3 + 6 * t);
    }
}

/* Could rule a, b or d group the two forms? A cheap necessary condition. */
static int may_be_same(const form_key *a, const form_key *b)
{
    if (a->joined_hash == b->joined_hash) return 1;
    if ((a->script == 1 && b->script == 2) || (a->script == 2 && b->script == 1)) return 1;
    if (a->n != b->n) return 0;
    return !a->sig || !b->sig || a->sig == b->sig;
}

static void group(cand *c, size_t n, form_key *key)
{
    for (size_t i = 0; i < n; i++) form_key_of(c[i].form, &key[i]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (may_be_same(&key[i], &key[j]) &&
                ((kinds_fit(c[i].kind, c[j].kind) &&
                  (nform_same(c[i].form, c[j].form) || nform_same_sound(c[i].form, c[j].form))) ||
                 (c[i].form->joined_len == c[j].form->joined_len &&
                  memcmp(c[i].form->joined, c[j].form->joined, c[i].form->joined_len) == 0)))
                unite(c, i, j);
    /* shorter forms join the one group whose longer forms hold them; a
     * second pass lets a form join once its longer forms have joined */
    for (size_t pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
        size_t target = SIZE_MAX;
        int ambiguous = 0;
        size_t gi = find(c, i);
        for (size_t j = 0; j < n && !ambiguous; j++) {
            /* nform_fits() wants fewer words or a shorter key */
            if (key[i].n >= key[j].n && key[i].joined_len >= key[j].joined_len) continue;
            size_t gj = find(c, j);
            if (gj == gi || !kinds_fit(c[i].kind, c[j].kind)) continue;
            if (!nform_fits(c[i].form, c[j].form)) continue;
            if (target == SIZE_MAX) target = gj;
            else if (target != gj) ambiguous = 1;
        }
        if (target != SIZE_MAX && !ambiguous &&
            kinds_fit(group_kind(c, n, gi), group_kind(c, n, target)))
            unite(c, i, target);
    }
}

/* ------------------------------------------------------------------ */
/* Counting                                                             */
/* ------------------------------------------------------------------ */

typedef struct pattern {
    uint64_t h;       /* hash of the first token */
    size_t cand;
    size_t n_tok;
} pattern;

static int pattern_cmp(const void *a, const void *b)
{
    const pattern *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    if (x->n_tok != y->n_tok) return x->n_tok > y->n_tok ? -1 : 1; /* longest first */
    return x->cand < y->cand ? -1 : x->cand > y->cand;
}

/* Does the word match the name token (bare keys, or without a leading
 * particle)? A one-word name written with ال must be written with it. */
static int word_matches(const khi_word *w, const ntok *t, int alone)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    int al = b != w->key;
    if (bl == t->len && memcmp(b, t->s, bl) == 0) return !alone || al == t->al;
    size_t p = particle_len(w->key, w->key_len);
    /* لصالح is a preposition, not ل before صالح */
    if (p && !al && !t->al && w->key_len - p == t->len && memcmp(w->key + p, t->s, t->len) == 0)
        return !is_stop(w);
    return 0;
}

/* The first pattern (in ct->pat, sorted by hash) with hash h; n_pat when none. */
static size_t first_pattern(const pattern *pat, size_t n_pat, uint64_t h)
{
    size_t lo = 0, hi = n_pat;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (pat[mid].h < h) lo = mid + 1;
        else hi = mid;
    }
    return lo < n_pat && pat[lo].h == h ? lo : n_pat;
}

/* Where count_text() starts looking a word up, worked out once per
 * lexeme (the patterns are one account's): the first pattern of its bare
 * key, and of its key without a leading particle when it has one and no
 * ال (LEX_MATCH_PART). */
static const size_t *match_first(const pattern *pat, size_t n_pat, const khi_word *w)
{
    khi_lexeme *x = w->lex;
    const uint32_t m = (uint32_t)1 << LEX_MATCH;
    if (!(x->known & m)) {
        size_t bl;
        const char *b = khi_bare(w->key, w->key_len, &bl);
        x->match_first[0] = first_pattern(pat, n_pat, hash_bytes(b, bl));
        size_t p = particle_len(w->key, w->key_len);
        if (p && b == w->key) {
            x->match_first[1] = first_pattern(pat, n_pat, hash_bytes(w->key + p, w->key_len - p));
            x->yes |= (uint32_t)1 << LEX_MATCH_PART;
        }
        x->known |= m | (uint32_t)1 << LEX_MATCH_PART;
    }
    return x->match_first;
}

#define SEEN_BIT(bits, i) (((bits)[(i) / 8] >> ((i) % 8)) & 1u)

typedef struct counter {
    cand *c;
    size_t n_c;
    pattern *pat;
    size_t n_pat;
    unsigned char *seen; /* bits [article][candidate-root]: SEEN_BIT() */
    size_t article;
    /* khi_name_spans(): every match kept, when hits_arena is set */
    kh_arena *hits_arena;
    khi_name_hit *hits;
    size_t n_hits, cap_hits;
    size_t text;
    kh_status rc;
} counter;

static void keep_hit(counter *ct, const khi_word *first, const khi_word *last, size_t root)
{
    if (ct->n_hits == ct->cap_hits) {
        size_t cap = ct->cap_hits ? ct->cap_hits * 2 : 64;
        khi_name_hit *h = kh_arena_alloc(ct->hits_arena, cap * sizeof *h);
        if (!h) {
            ct->rc = KH_E_NOMEM;
            return;
        }
        if (ct->n_hits) memcpy(h, ct->hits, ct->n_hits * sizeof *h);
        ct->hits = h;
        ct->cap_hits = cap;
    }
    khi_name_hit *h = &ct->hits[ct->n_hits++];
    h->article = ct->article;
    h->text = ct->text;
    h->start = first->start;
    h->end = last->end;
    h->group = root;
    h->kind = KH_ENTITY_NAME;
}

static void count_text(counter *ct, const khi_word *w, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t adv = 1;
        const size_t *first = match_first(ct->pat, ct->n_pat, &w[i]);
        for (int pass = 0; pass < 2 && adv == 1; pass++) {
            if (pass == 1 && !(w[i].lex->yes & ((uint32_t)1 << LEX_MATCH_PART))) break;
            size_t lo = first[pass];
            uint64_t h = lo < ct->n_pat ? ct->pat[lo].h : 0;
            for (size_t p = lo; p < ct->n_pat && ct->pat[p].h == h; p++) {
                const nform *f = ct->c[ct->pat[p].cand].form;
                if (i + f->n > n) continue;
                size_t k = 0;
                while (k < f->n) {
                    if (k > 0 && (w[i + k].brk & ~(unsigned)(KHI_BRK_HYPHEN | KHI_BRK_QUOTE)))
                        break;
                    if (!word_matches(&w[i + k], &f->tok[k], f->n == 1)) break;
                    k++;
                }
                if (k < f->n) continue;
                size_t ci = ct->pat[p].cand;
                ct->c[ci].mentions++;
                size_t root = find(ct->c, ci);
                size_t bit = ct->article * ct->n_c + root;
                ct->seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
                if (ct->hits_arena) keep_hit(ct, &w[i], &w[i + f->n - 1], root);
                adv = f->n;
                break;
            }
        }
        i += adv;
    }
}

/* ------------------------------------------------------------------ */
/* The finder                                                           */
/* ------------------------------------------------------------------ */

/* Every word of the texts, for key_set_init()'s size. */
static size_t count_words(const khi_article_texts *texts, size_t n_arts)
{
    size_t n = 0;
    for (size_t oi = 0; oi < n_arts; oi++)
        for (size_t k = 0; k < texts[oi].n_texts; k++) n += texts[oi].texts[k].n_words;
    return n;
}

/* The evidence of the texts: every Arabic word's key without ال (and
 * without a leading particle), and its bare key when written with ال. */
#define KHI_AL_KEY 128 /* ال and a bare key, for the evidence's pairs */

static kh_status gather_evidence(evidence *ev, kh_arena *tmp, const khi_article_texts *texts,
                                 size_t n_arts)
{
    size_t n_words = count_words(texts, n_arts);
    /* plain and pairs take two keys a word at most: sized for 1.5 a word,
     * a table is at least twice that, never full; every table is cleared
     * for every story, and the smaller the quicker */
    KHI_FORWARD_IF_ERROR(key_set_init(&ev->plain, tmp, n_words + n_words / 2 + 1));
    KHI_FORWARD_IF_ERROR(key_set_init(&ev->with_al, tmp, n_words));
    KHI_FORWARD_IF_ERROR(key_count_init(&ev->words, tmp, n_words));
    KHI_FORWARD_IF_ERROR(key_count_init(&ev->pairs, tmp, n_words + n_words / 2 + 1));
    for (size_t i = 0; i < sizeof before_verbs / sizeof before_verbs[0]; i++)
        ev->before_verb[i] = hash_bytes(before_verbs[i], strlen(before_verbs[i]));
    for (size_t i = 0; i < sizeof place_preps / sizeof place_preps[0]; i++)
        ev->prep[i] = hash_bytes(place_preps[i], strlen(place_preps[i]));
    for (size_t oi = 0; oi < n_arts; oi++)
        for (size_t k = 0; k < texts[oi].n_texts; k++) {
            const khi_word *words = texts[oi].texts[k].words;
            /* each key hashed once: the lexeme's hash is the same XXH3 */
            uint64_t prev = 0, prev_bare = 0; /* 0: no Arabic word before */
            for (size_t i = 0; i < texts[oi].texts[k].n_words; i++) {
                const khi_word *w = &words[i];
                if (!w->arabic) {
                    prev = prev_bare = 0;
                    continue;
                }
                uint64_t h = w->lex ? w->lex->hash : hash_bytes(w->key, w->key_len);
                key_count_add(&ev->words, h);
                /* after the word as written and without its particle:
                 * مانشستر يونايتد and لمانشستر يونايتد are one pair */
                if (prev) key_count_add(&ev->pairs, pair_hash(prev, h));
                if (prev_bare) key_count_add(&ev->pairs, pair_hash(prev_bare, h));
                prev = h;
                size_t p = particle_len(w->key, w->key_len);
                uint64_t hp = p ? hash_bytes(w->key + p, w->key_len - p) : 0;
                prev_bare = hp;
                size_t bl;
                const char *b = khi_bare(w->key, w->key_len, &bl);
                if (b != w->key) {
                    key_set_add(&ev->with_al, b, bl);
                    /* للأمم is written الأمم before المتحدة in a name */
                    char al[KHI_AL_KEY];
                    if (memcmp(w->key, AR_ALEF AR_LAM, 4) != 0 && bl + 4 <= sizeof al) {
                        memcpy(al, AR_ALEF AR_LAM, 4);
                        memcpy(al + 4, b, bl);
                        prev_bare = hash_bytes(al, bl + 4);
                    }
                    continue;
                }
                key_set_add_hash(&ev->plain, h);
                if (hp) key_set_add_hash(&ev->plain, hp);
            }
        }
    return KH_OK;
}

/* Is the one-word name written, of token t, shaped as an adjective of a
 * word the texts write: شمالي of شمال, مركزي of مركز, سليمة of سليم? */
static int adjective_of_word(const finder *fd, const char *written, const ntok *t)
{
    if (t->al || !t->arabic || t->len < 8) return 0;
    size_t wl = strlen(written);
    int yeh = memcmp(t->s + t->len - 2, AR_YEH, 2) == 0;
    int teh_marbuta = wl >= 2 && memcmp(written + wl - 2, "\xd8\xa9", 2) == 0;
    if (!yeh && !teh_marbuta) return 0;
    uint64_t h = hash_bytes(t->s, t->len - 2);
    return key_count_get(&fd->ev->words, h) > 0 || key_set_has_hash(&fd->ev->with_al, h | 1);
}

/* A one-word Arabic proposal written without ال whose word the texts also
 * write with ال (صحيفة / الصحيفة, عملية / بالعملية) is a common noun that
 * a cue happened to precede: names seldom take the article. The other
 * way round, a one-word ال-proposal whose word the texts also write
 * without it (العربي / عربي, الثقافة / ثقافة) is an adjective or a noun,
 * as a name with ال (العراق, الجزائر) keeps it. Such proposals go. */
static void drop_common_nouns(finder *fd)
{
    size_t out = 0;
    for (size_t i = 0; i < fd->n; i++) {
        const nform *f = fd->c[i].form;
        const ntok *t = &f->tok[0];
        if (f->n == 1 && t->arabic &&
            (t->al ? fd->c[i].known != 1 && key_set_has(&fd->ev->plain, t->s, t->len)
                   : key_set_has(&fd->ev->with_al, t->s, t->len) || conjugates(fd, t->s, t->len)))
            continue;
        /* a one-word province (العاصمة, الشمالية, الوسطى, أبي, شمالي) is
         * as often a word: a name of the province kind must look like none
         * (an ال-adjective in ي or ية, or one of a word the texts write, a
         * list word, a stopword, three letters) */
        if (f->n == 1 && fd->c[i].known == 2 && t->arabic &&
            (khi_stopword(t->s, t->len) || kh_is_stopword(KH_LANG_AR, t->s, t->len) ||
             khi_cp_count(t->s, t->len) < (t->al ? 3u : 4u) || IN(place_words, t->s, t->len) ||
             IN(place_heads, t->s, t->len) || IN(org_heads, t->s, t->len) ||
             (t->al && (memcmp(t->s + t->len - 2, AR_YEH, 2) == 0 ||
                        (t->len >= 4 && memcmp(t->s + t->len - 4, AR_YEH AR_HEH, 4) == 0))) ||
             masdar(t->s, t->len) || adjective_of_word(fd, fd->c[i].written, t)))
            continue;
        /* ترك (a Micronesian town, and a verb the texts write as يترك): a
         * known name of three letters gives way to a verb's evidence */
        if (f->n == 1 && fd->c[i].known && t->arabic && !t->al && t->len == 6 &&
            written_plain(fd, AR_YEH, t->s, t->len, ""))
            continue;
        /* جنوب غرب: a province named by words alone */
        if (fd->c[i].known == 2 && f->n > 1) {
            size_t k = 0;
            while (k < f->n && khi_stopword(f->tok[k].s, f->tok[k].len)) k++;
            if (k == f->n) continue;
        }
        fd->c[out] = fd->c[i];
        fd->c[out].parent = out;
        out++;
    }
    fd->n = out;
}

/* Is the word of hash h (khi_name_word_hash()) written in the texts,
 * bare or after a particle? */
static int written_hash(const finder *fd, uint64_t h)
{
    return key_set_has_hash(&fd->ev->plain, h) || key_set_has_hash(&fd->ev->with_al, h);
}

/* Proposes the known names (a gazetteer) whose first word the texts write
 * and whose words they write two by two: the others could match nothing,
 * and each proposal costs the grouping a pass over all the others. */
static kh_status propose_known(finder *fd, const khi_gazetteer *gaz)
{
    for (size_t i = 0; i < gaz->n; i++) {
        if (!written_hash(fd, gaz->first[i])) continue;
        const uint64_t *pr = &gaz->pairs[i * KHI_NAME_PAIRS];
        size_t k = 0;
        while (k < KHI_NAME_PAIRS && pr[k] && key_count_get(&fd->ev->pairs, pr[k]) > 0) k++;
        if (k < KHI_NAME_PAIRS && pr[k]) continue;
        fd->last = SIZE_MAX;
        size_t len = strlen(gaz->names[i]);
        KHI_FORWARD_IF_ERROR(propose(fd, gaz->names[i], 0, len, gaz->kinds[i], 0));
        /* a name both lists give is held to the laxer one */
        if (fd->last != SIZE_MAX && fd->c[fd->last].known != 1)
            fd->c[fd->last].known = gaz->strict && gaz->strict[i] ? 2 : 1;
    }
    return KH_OK;
}

uint64_t khi_name_word_hash(const char *name, size_t len)
{
    nform f;
    if (!nform_build(&f, name, len)) return 0;
    return hash_bytes(f.tok[0].s, f.tok[0].len) | 1;
}

kh_status khi_name_pair_hashes(kh_arena *arena, const char *name, size_t len,
                               uint64_t out[KHI_NAME_PAIRS])
{
    for (size_t i = 0; i < KHI_NAME_PAIRS; i++) out[i] = 0;
    khi_word *w;
    size_t n;
    KHI_FORWARD_IF_ERROR(khi_words(arena, name, len, &w, &n));
    /* the evidence pairs Arabic words only: a Latin name is looked for whole */
    for (size_t i = 0; i < n; i++)
        if (!w[i].arabic) return KH_OK;
    for (size_t i = 1; i < n && i <= KHI_NAME_PAIRS; i++)
        out[i - 1] = pair_hash(hash_bytes(w[i - 1].key, w[i - 1].key_len),
                               hash_bytes(w[i].key, w[i].key_len)) | 1;
    return KH_OK;
}


/* Is the word of hash h written right after a preposition? */
static int after_prep(const finder *fd, uint64_t h)
{
    for (size_t i = 0; i < sizeof place_preps / sizeof place_preps[0]; i++)
        if (key_count_get(&fd->ev->pairs, pair_hash(fd->ev->prep[i], h)) > 0) return 1;
    return 0;
}

/* Is the key k[0..n) a word of the texts, with ال or without? */
static int written_word(const finder *fd, const char *k, size_t n)
{
    return key_count_get(&fd->ev->words, hash_bytes(k, n)) > 0 || key_set_has(&fd->ev->with_al, k, n);
}

/* A country or a continent named in ا whose adjective the texts write in
 * both genders with ال, and never the name itself with ال: فرنسا beside
 * الفرنسي and الفرنسية, أمريكا beside الأمريكي, بريطانيا beside البريطاني.
 * The stem before the ا is no word of the texts (an adverb's is: يوميا of
 * يوم); a name in يا, shaped as an adverb in يا (سياسيا), must also be
 * written after a preposition, as a place is and an adverb is not. */
static kh_status propose_nisba_places(finder *fd, evidence *ev, kh_arena *tmp,
                                      const khi_article_texts *texts, size_t n_arts)
{
    /* names not in ا wait for the count of their constructs */
    typedef struct pending {
        const khi_text *t;
        const khi_word *w;
        uint64_t h;
    } pending;
    pending *wait = NULL;
    size_t n_wait = 0, cap_wait = 0;
    char nisba[TOK_BYTES + 4];
    for (size_t oi = 0; oi < n_arts; oi++)
        for (size_t k = 0; k < texts[oi].n_texts; k++) {
            const khi_text *t = &texts[oi].texts[k];
            if (!t->text) continue;
            fd->text = t->text;
            for (size_t i = 0; i < t->n_words; i++) {
                const khi_word *w = &t->words[i];
                const char *key = w->key;
                size_t n = w->key_len;
                if (!w->arabic || n < 6 || n > TOK_BYTES || memcmp(key + n - 2, AR_HEH, 2) == 0)
                    continue;
                /* تركيًا, سوريًا: the tanwin writes an adverb (the name may
                 * be written elsewhere without it) */
                if (w->end - w->start >= 4 &&
                    (memcmp(fd->text + w->end - 4, "\xd9\x8b", 2) == 0 ||
                     memcmp(fd->text + w->end - 2, "\xd9\x8b", 2) == 0))
                    continue;
                uint64_t h = w->lex ? w->lex->hash : hash_bytes(key, n);
                if (key_count_mark(&ev->words, h)) continue; /* asked already */
                /* a particle before it (وفرنسا) finds no adjective: no need
                 * to tell it from a name's first letter (بريطانيا, كندا) */
                int in_alef = n >= 10 && memcmp(key + n - 2, AR_ALEF, 2) == 0;
                size_t bl = !in_alef ? n : memcmp(key + n - 4, AR_YEH, 2) == 0 ? n - 4 : n - 2;
                /* the cheap test first: most words follow no preposition */
                if ((!in_alef || bl == n - 4) && !after_prep(fd, h)) continue;
                if (has_al(key, n) || key_set_has(&fd->ev->with_al, key, n)) continue;
                memcpy(nisba, key, bl);
                memcpy(nisba + bl, AR_YEH AR_HEH, 4);
                if (!key_set_has(&fd->ev->with_al, nisba, bl + 2) ||
                    !key_set_has(&fd->ev->with_al, nisba, bl + 4))
                    continue;
                /* the stem of an adverb in ا is a word (يوميا of يوم); one in
                 * يا has the shape of a name in يا (سياسيا), told by the
                 * preposition before it */
                if (in_alef && written_word(fd, key, bl)) continue;
                if (!in_alef && n == 10 && memcmp(key, AR_TEH, 2) == 0 && memcmp(key + 6, AR_YEH, 2) == 0)
                    continue; /* تنفيذ: a verbal noun of تفعيل */
                if (!opens_name(fd, w) || WORD_IN(place_words, w) || WORD_IN(place_heads, w) ||
                    WORD_IN(org_heads, w) || WORD_IN(domain_words, w))
                    continue;
                if (in_alef) {
                    KHI_FORWARD_IF_ERROR(propose(fd, t->text, w->start, w->end, KH_ENTITY_PLACE, 0));
                    continue;
                }
                if (n_wait == cap_wait) {
                    size_t cap = cap_wait ? 2 * cap_wait : 16;
                    pending *x = kh_arena_alloc(tmp, cap * sizeof *x);
                    KHI_RETURN_IF(!x, KH_E_NOMEM);
                    if (n_wait) memcpy(x, wait, n_wait * sizeof *x);
                    wait = x;
                    cap_wait = cap;
                }
                wait[n_wait].t = t;
                wait[n_wait].w = w;
                wait[n_wait].h = h;
                n_wait++;
            }
        }
    if (!n_wait) return KH_OK;
    /* مصر beside المصري and المصرية is followed by an ال-word that is no
     * adjective a quarter of its mentions at most, where a noun in
     * construct is far more (من داخل القاعة, في حال الطوارئ) */
    key_set waiting;
    key_count construct;
    KHI_FORWARD_IF_ERROR(key_set_init(&waiting, tmp, n_wait));
    KHI_FORWARD_IF_ERROR(key_count_init(&construct, tmp, n_wait));
    for (size_t x = 0; x < n_wait; x++) key_set_add_hash(&waiting, wait[x].h);
    for (size_t oi = 0; oi < n_arts; oi++)
        for (size_t k = 0; k < texts[oi].n_texts; k++) {
            const khi_word *w = texts[oi].texts[k].words;
            for (size_t i = 0; i + 1 < texts[oi].texts[k].n_words; i++) {
                if (!w[i].arabic || !w[i].lex || !key_set_has_hash(&waiting, w[i].lex->hash | 1))
                    continue;
                if (!w[i + 1].brk && has_al(w[i + 1].key, w[i + 1].key_len) && !is_nisba(&w[i + 1]))
                    key_count_add(&construct, w[i].lex->hash);
            }
        }
    for (size_t x = 0; x < n_wait; x++)
        if (4 * key_count_get(&construct, wait[x].h) <= key_count_get(&fd->ev->words, wait[x].h)) {
            fd->text = wait[x].t->text;
            KHI_FORWARD_IF_ERROR(
                propose(fd, wait[x].t->text, wait[x].w->start, wait[x].w->end, KH_ENTITY_PLACE, 0));
        }
    return KH_OK;
}

/* Does the texts' evidence tie word b to word a before it: the two are
 * written together twice or more, and b (or a, when a_side) half the
 * times it is written at least (كوفي before أنان, and before عنان)? */
static int tied(const finder *fd, const khi_word *a, const khi_word *b, int a_side)
{
    const khi_word *x = a_side ? a : b;
    uint64_t hx = x->lex ? x->lex->hash : hash_bytes(x->key, x->key_len);
    uint32_t alone = key_count_get(&fd->ev->words, hx);
    if (alone < 2) return 0;
    uint64_t ha = a->lex ? a->lex->hash : hash_bytes(a->key, a->key_len);
    uint64_t hb = b->lex ? b->lex->hash : hash_bytes(b->key, b->key_len);
    uint32_t next = key_count_get(&fd->ev->pairs, pair_hash(ha, hb));
    return next >= 2 && 2 * next >= alone;
}

/* How often the texts write b right after a. */
static uint32_t together(const finder *fd, const khi_word *a, const khi_word *b)
{
    uint64_t ha = a->lex ? a->lex->hash : hash_bytes(a->key, a->key_len);
    uint64_t hb = b->lex ? b->lex->hash : hash_bytes(b->key, b->key_len);
    return key_count_get(&fd->ev->pairs, pair_hash(ha, hb));
}

/* A word that may join a name found beside it: Arabic, a name word that
 * opens names, no particle and no title. */
static int joins_name(const finder *fd, const khi_word *w)
{
    return w->arabic && opens_name(fd, w) && !particle_len(w->key, w->key_len) &&
           !IN(name_halves, w->key, w->key_len) && !WORD_IN(place_words, w) &&
           !WORD_IN(org_words, w) && !WORD_IN(org_heads, w) && !common_noun(fd, w);
}

/* A name the cues found in part (أنان of كوفي أنان, صالح of مدحت صالح)
 * is proposed whole where the word beside it is written only there: a
 * first name or a family's, not a word of the sentence. */
static kh_status extend_names(finder *fd, kh_arena *tmp, const khi_article_texts *texts,
                              size_t n_arts)
{
    size_t n0 = fd->n;
    pattern *pat = kh_arena_alloc(tmp, (n0 ? n0 : 1) * sizeof *pat);
    KHI_RETURN_IF(!pat, KH_E_NOMEM);
    size_t n_pat = 0;
    for (size_t i = 0; i < n0; i++) {
        const nform *f = fd->c[i].form;
        /* a cue's one word: a gazetteer's names, places and longer ones
         * are whole (غزو العراق, إسرائيل أعطت, مقاتلو حزب الله are no
         * names) */
        if (!f->tok[0].arabic || f->n > 1 || fd->c[i].known || fd->c[i].kind == KH_ENTITY_PLACE)
            continue;
        pat[n_pat].h = hash_bytes(f->tok[0].s, f->tok[0].len);
        pat[n_pat].cand = i;
        pat[n_pat].n_tok = f->n;
        n_pat++;
    }
    if (!n_pat) return KH_OK;
    qsort(pat, n_pat, sizeof *pat, pattern_cmp);
    for (size_t oi = 0; oi < n_arts; oi++)
        for (size_t k = 0; k < texts[oi].n_texts; k++) {
            const khi_text *t = &texts[oi].texts[k];
            const khi_word *w = t->words;
            if (!t->text) continue;
            fd->text = t->text;
            for (size_t i = 0; i < t->n_words; i++) {
                if (!w[i].arabic || particle_len(w[i].key, w[i].key_len)) continue;
                size_t bl;
                const char *b = khi_bare(w[i].key, w[i].key_len, &bl);
                size_t p = first_pattern(pat, n_pat, b == w[i].key && w[i].lex ? w[i].lex->hash
                                                                             : hash_bytes(b, bl));
                uint64_t h = p < n_pat ? pat[p].h : 0;
                for (; p < n_pat && pat[p].h == h; p++) {
                    const cand *c = &fd->c[pat[p].cand];
                    const nform *f = c->form;
                    if (i + f->n > t->n_words) continue;
                    size_t m = 0;
                    while (m < f->n && (m == 0 || !(w[i + m].brk & ~(unsigned)KHI_BRK_HYPHEN)) &&
                           word_matches(&w[i + m], &f->tok[m], f->n == 1))
                        m++;
                    if (m < f->n) continue;
                    size_t last = i + f->n - 1;
                    if (i > 0 && !w[i].brk && !has_al(w[i - 1].key, w[i - 1].key_len) &&
                        joins_name(fd, &w[i - 1]) && tied(fd, &w[i - 1], &w[i], 1))
                        KHI_FORWARD_IF_ERROR(
                            propose(fd, t->text, w[i - 1].start, w[last].end, c->kind, 0));
                    /* an ال-word after it is a person's family name, or an
                     * adjective (داعش الإرهابي, سالزبورغ النمساوية) */
                    if (last + 1 < t->n_words && !w[last + 1].brk && joins_name(fd, &w[last + 1]) &&
                        (!has_al(w[last + 1].key, w[last + 1].key_len) ||
                         (c->kind == KH_ENTITY_PERSON && !adjective(fd, &w[last + 1]))) &&
                        tied(fd, &w[last], &w[last + 1], 0))
                        KHI_FORWARD_IF_ERROR(
                            propose(fd, t->text, w[i].start, w[last + 1].end, c->kind, 0));
                    break;
                }
            }
        }
    return KH_OK;
}

/* Proposes names from every text, groups the proposals, and finds every
 * form of every group in every text (ct->hits_arena set: each match kept).
 * fd->n is 0 when nothing was proposed. */
static kh_status find_forms(finder *fd, counter *ct, kh_arena *tmp,
                            const khi_article_texts *texts, size_t n_arts,
                            const khi_gazetteer *gaz)
{
    fd->tmp = tmp;
    fd->c = kh_arena_alloc(tmp, MAX_CANDS * sizeof *fd->c);
    KHI_RETURN_IF(!fd->c, KH_E_NOMEM);
    evidence *ev = kh_arena_alloc(tmp, sizeof *ev);
    KHI_RETURN_IF(!ev, KH_E_NOMEM);
    KHI_FORWARD_IF_ERROR(gather_evidence(ev, tmp, texts, n_arts));
    fd->ev = ev;
    for (size_t oi = 0; oi < n_arts; oi++) {
        for (size_t k = 0; k < texts[oi].n_texts; k++) {
            const khi_text *t = &texts[oi].texts[k];
            if (t->text)
                KHI_FORWARD_IF_ERROR(propose_text(fd, t->text, t->words, t->n_words, k == 0));
        }
    }
    if (gaz) KHI_FORWARD_IF_ERROR(propose_known(fd, gaz));
    KHI_FORWARD_IF_ERROR(propose_nisba_places(fd, ev, tmp, texts, n_arts));
    drop_common_nouns(fd);
    if (fd->n == 0) return KH_OK;
    KHI_FORWARD_IF_ERROR(extend_names(fd, tmp, texts, n_arts));
    drop_overruns(fd);
    form_key *key = kh_arena_alloc(tmp, fd->n * sizeof *key);
    KHI_RETURN_IF(!key, KH_E_NOMEM);
    group(fd->c, fd->n, key);

    ct->c = fd->c;
    ct->n_c = fd->n;
    ct->pat = kh_arena_alloc(tmp, fd->n * sizeof *ct->pat);
    size_t seen_bytes = (n_arts * fd->n + 7) / 8;
    ct->seen = kh_arena_alloc(tmp, seen_bytes);
    KHI_RETURN_IF(!ct->pat || !ct->seen, KH_E_NOMEM);
    memset(ct->seen, 0, seen_bytes);
    for (size_t i = 0; i < fd->n; i++) {
        const ntok *t = &fd->c[i].form->tok[0];
        ct->pat[ct->n_pat].h = hash_bytes(t->s, t->len);
        ct->pat[ct->n_pat].cand = i;
        ct->pat[ct->n_pat].n_tok = fd->c[i].form->n;
        ct->n_pat++;
    }
    qsort(ct->pat, ct->n_pat, sizeof *ct->pat, pattern_cmp);
    for (size_t oi = 0; oi < n_arts; oi++) {
        ct->article = oi;
        for (size_t k = 0; k < texts[oi].n_texts; k++) {
            const khi_text *t = &texts[oi].texts[k];
            ct->text = k;
            if (t->text) count_text(ct, t->words, t->n_words);
        }
    }
    return ct->rc;
}

kh_status khi_name_spans(kh_arena *dst, kh_arena *tmp, const khi_article_texts *texts,
                         size_t n_arts, const khi_gazetteer *gaz, khi_name_hit **out,
                         size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    finder fd = { 0 };
    counter ct = { 0 };
    ct.hits_arena = dst;
    KHI_FORWARD_IF_ERROR(find_forms(&fd, &ct, tmp, texts, n_arts, gaz));
    /* a group's kind: the first specific kind among its members */
    kh_entity_kind *kind = kh_arena_alloc(tmp, (fd.n ? fd.n : 1) * sizeof *kind);
    KHI_RETURN_IF(!kind, KH_E_NOMEM);
    for (size_t i = 0; i < fd.n; i++) kind[i] = KH_ENTITY_NAME;
    for (size_t i = 0; i < fd.n; i++) {
        size_t r = find(fd.c, i);
        if (kind[r] == KH_ENTITY_NAME) kind[r] = fd.c[i].kind;
    }
    for (size_t i = 0; i < ct.n_hits; i++) ct.hits[i].kind = kind[ct.hits[i].group];
    *out = ct.hits;
    *n_out = ct.n_hits;
    return KH_OK;
}

kh_status khi_entities(kh_arena *dst, kh_arena *tmp, const kh_account_article *arts,
                       size_t n_arts, const size_t *order, const khi_article_texts *texts,
                       size_t min_articles, kh_account_entity **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    finder fd = { 0 };
    counter ct = { 0 };
    KHI_FORWARD_IF_ERROR(find_forms(&fd, &ct, tmp, texts, n_arts, NULL));
    if (fd.n == 0) return KH_OK;

    /* the outlets' own names (سبق, الرياض as a newspaper) are who reported,
     * not whom the story is about */
    nform *outlet = kh_arena_alloc(tmp, (n_arts ? n_arts : 1) * sizeof *outlet);
    KHI_RETURN_IF(!outlet, KH_E_NOMEM);
    size_t n_outlets = 0;
    for (size_t i = 0; i < n_arts; i++)
        if (arts[i].source && nform_build(&outlet[n_outlets], arts[i].source, strlen(arts[i].source)))
            n_outlets++;

    /* one entity per group named in enough articles */
    size_t n_ent = 0;
    kh_account_entity *ent = kh_arena_alloc(dst, fd.n * sizeof *ent);
    KHI_RETURN_IF(!ent, KH_E_NOMEM);
    size_t *members = kh_arena_alloc(tmp, fd.n * sizeof *members);
    KHI_RETURN_IF(!members, KH_E_NOMEM);
    for (size_t r = 0; r < fd.n; r++) {
        if (find(fd.c, r) != r) continue;
        size_t na = 0;
        for (size_t oi = 0; oi < n_arts; oi++) na += SEEN_BIT(ct.seen, oi * fd.n + r);
        if (na < min_articles || na == 0) continue;
        size_t nm = 0, mentions = 0;
        for (size_t i = r; i < fd.n; i++) {
            if (find(fd.c, i) != r) continue;
            /* distinct written forms; a duplicate of another kind adds its count */
            size_t d = 0;
            while (d < nm && strcmp(fd.c[members[d]].written, fd.c[i].written) != 0) d++;
            if (d == nm) members[nm++] = i;
            else fd.c[members[d]].mentions += fd.c[i].mentions;
            mentions += fd.c[i].mentions;
        }
        /* most common first, then first seen */
        for (size_t x = 1; x < nm; x++) {
            size_t v = members[x], y = x;
            while (y > 0 && (fd.c[members[y - 1]].mentions < fd.c[v].mentions ||
                             (fd.c[members[y - 1]].mentions == fd.c[v].mentions &&
                              fd.c[members[y - 1]].first_seen > fd.c[v].first_seen))) {
                members[y] = members[y - 1];
                y--;
            }
            members[y] = v;
        }
        int is_outlet = 0;
        for (size_t x = 0; x < nm && !is_outlet; x++)
            for (size_t o = 0; o < n_outlets && !is_outlet; o++)
                is_outlet = nform_same(fd.c[members[x]].form, &outlet[o]);
        if (is_outlet) continue;
        const char **vars = kh_arena_alloc(dst, nm * sizeof *vars);
        size_t *ids = kh_arena_alloc(dst, na * sizeof *ids);
        KHI_RETURN_IF(!vars || !ids, KH_E_NOMEM);
        for (size_t x = 0; x < nm; x++) {
            vars[x] = kh_arena_strndup(dst, fd.c[members[x]].written, fd.c[members[x]].written_len);
            KHI_RETURN_IF(!vars[x], KH_E_NOMEM);
        }
        size_t k = 0;
        for (size_t oi = 0; oi < n_arts; oi++)
            if (SEEN_BIT(ct.seen, oi * fd.n + r)) ids[k++] = order[oi];
        kh_account_entity *e = &ent[n_ent++];
        e->name = vars[0];
        e->kind = group_kind(fd.c, fd.n, r);
        e->variants = vars;
        e->n_variants = nm;
        e->articles = ids;
        e->n_articles = na;
        e->n_mentions = mentions;
    }
    /* most widely named first */
    for (size_t x = 1; x < n_ent; x++) {
        kh_account_entity v = ent[x];
        size_t y = x;
        while (y > 0 && (ent[y - 1].n_articles < v.n_articles ||
                         (ent[y - 1].n_articles == v.n_articles &&
                          ent[y - 1].n_mentions < v.n_mentions))) {
            ent[y] = ent[y - 1];
            y--;
        }
        ent[y] = v;
    }
    *out = n_ent ? ent : NULL;
    *n_out = n_ent;
    return KH_OK;
}
