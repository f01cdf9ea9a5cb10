/*
 * kh_numbers.c — numbers in the articles' bodies, and the quantities the
 * sources give different values for.
 *
 * Idea. Every number is read, whether written in ASCII or Arabic-Indic
 * digits or in Arabic or English words (ثلاثة عشر, أحد عشر, thirteen), and
 * kept with its context: up to three content words on each side within the
 * clause (function words skipped; commas and sentence ends stop it). Each
 * context word is reduced to comparison keys: folded, without ال and
 * attached particles, without ة and the sound-plural endings, then to its
 * consonant skeleton, so that وزير and وزراء (broken plural), الدفاع and
 * دفاع give the same key. Two mentions count the same thing when
 *   - they share a pair of consecutive context words (وزير دفاع / وزراء
 *     الدفاع), on either side of the number, or
 *   - the word just before and the word just after both agree
 *     (killed 13 people / killed 11 people), or
 *   - the counted noun agrees and another word on the same side does
 *     (وزراء وممثلين عن 13 دولة / وزراء ومسؤولو المياه في إحدى عشرة دولة), or
 *   - both are tolls: a death (or injury) word beside each, and counted
 *     nouns that are the same or generic (7 أشخاص مصرعهم / تسعة قتلى).
 * Words between two numbers (بطول 24 كيلومترا ويضم 19 محطة) could belong to
 * either and make no pair; one written word never links two mentions.
 * Mentions are grouped by these links (union-find); a group whose articles
 * give two or more values is a disagreement, "about" the shared words as
 * the earliest article wrote them.
 *
 * Not numbers for this purpose: years (1900-2100 in digits), days of a
 * month (next to a month name, or "من الشهر"), times (13:46), percentages,
 * ordinals written with ال (الـ15), numbers of a past event ("قبل ثماني
 * سنوات أودت بحياة أربعة"). Exact values only: "عشرات" is no number, and a
 * loose value (نحو أربعين, about 40) within 10% of a better supported one
 * is the same value said loosely, not a disagreement; a value more than
 * MAX_RATIO times from the best supported one counts something else.
 *
 * Invariant: a value reported for an article was read from that article's
 * body, and every value group holds at least one article.
 */
#include "kh_account_int.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* ------------------------------------------------------------------ */
/* Reading numbers                                                      */
/* ------------------------------------------------------------------ */

typedef struct numword {
    const char *w;
    double v;
    unsigned kind; /* 1 unit (1-10), 2 tens, 3 hundreds, 4 multiplier, 5 teen-unit */
} numword;

/* In byte order (strcmp), for binary search: English and French first,
 * then Arabic. kind says what each is. */
static const numword num_words[] = {
    { "billion", 1e9, 4 }, { "cent", 100, 4 }, { "cinq", 5, 1 }, { "cinquante", 50, 2 },
    { "deux", 2, 1 }, { "dix", 10, 1 }, { "douze", 12, 1 }, { "eight", 8, 1 },
    { "eighteen", 18, 1 }, { "eighty", 80, 2 }, { "eleven", 11, 1 }, { "fifteen", 15, 1 },
    { "fifty", 50, 2 }, { "five", 5, 1 }, { "forty", 40, 2 }, { "four", 4, 1 },
    { "fourteen", 14, 1 }, { "huit", 8, 1 }, { "hundred", 100, 4 }, { "mille", 1000, 4 },
    { "million", 1e6, 4 }, { "neuf", 9, 1 }, { "nine", 9, 1 }, { "nineteen", 19, 1 },
    { "ninety", 90, 2 }, { "one", 1, 1 }, { "onze", 11, 1 }, { "quarante", 40, 2 },
    { "quatorze", 14, 1 }, { "quatre", 4, 1 }, { "quinze", 15, 1 }, { "seize", 16, 1 },
    { "sept", 7, 1 }, { "seven", 7, 1 }, { "seventeen", 17, 1 }, { "seventy", 70, 2 },
    { "six", 6, 1 }, { "sixteen", 16, 1 }, { "sixty", 60, 2 }, { "soixante", 60, 2 },
    { "ten", 10, 1 }, { "thirteen", 13, 1 }, { "thirty", 30, 2 }, { "thousand", 1000, 4 },
    { "three", 3, 1 }, { "treize", 13, 1 }, { "trente", 30, 2 }, { "trois", 3, 1 },
    { "twelve", 12, 1 }, { "twenty", 20, 2 }, { "two", 2, 1 }, { "vingt", 20, 2 },
    { "اثنا", 2, 5 }, { "اثنان", 2, 1 }, { "اثنتا", 2, 5 }, { "اثنتان", 2, 1 }, { "اثنتي", 2, 5 },
    { "اثنتين", 2, 1 }, { "اثني", 2, 5 }, { "اثنين", 2, 1 }, { "احد", 1, 5 }, { "احدي", 1, 5 },
    { "اربع", 4, 1 }, { "اربعه", 4, 1 }, { "اربعون", 40, 2 }, { "اربعين", 40, 2 },
    { "الاف", 1000, 4 }, { "الف", 1000, 4 }, { "الفان", 2000, 3 }, { "الفين", 2000, 3 },
    { "تسع", 9, 1 }, { "تسعه", 9, 1 }, { "تسعون", 90, 2 }, { "تسعين", 90, 2 }, { "ثلاث", 3, 1 },
    { "ثلاثه", 3, 1 }, { "ثلاثون", 30, 2 }, { "ثلاثين", 30, 2 }, { "ثمان", 8, 1 },
    { "ثمانون", 80, 2 }, { "ثماني", 8, 1 }, { "ثمانين", 80, 2 }, { "ثمانيه", 8, 1 },
    { "خمس", 5, 1 }, { "خمسه", 5, 1 }, { "خمسون", 50, 2 }, { "خمسين", 50, 2 }, { "سبع", 7, 1 },
    { "سبعه", 7, 1 }, { "سبعون", 70, 2 }, { "سبعين", 70, 2 }, { "ست", 6, 1 }, { "سته", 6, 1 },
    { "ستون", 60, 2 }, { "ستين", 60, 2 }, { "عشر", 10, 1 }, { "عشره", 10, 1 }, { "عشرون", 20, 2 },
    { "عشرين", 20, 2 }, { "مايتان", 200, 3 }, { "مايتي", 200, 3 }, { "مايتين", 200, 3 },
    { "مايه", 100, 3 }, { "ملايين", 1e6, 4 }, { "مليار", 1e9, 4 }, { "مليارات", 1e9, 4 },
    { "مليون", 1e6, 4 }, { "ميتان", 200, 3 }, { "ميتي", 200, 3 }, { "ميتين", 200, 3 },
    { "ميه", 100, 3 }, { "واحد", 1, 1 }, { "واحده", 1, 1 },
};

/* Does the NUL-terminated word equal k[0..len)? */
static int word_eq(const char *word, const char *k, size_t len)
{
    return len && word[0] == k[0] && strncmp(word, k, len) == 0 && word[len] == '\0';
}

/* Compares k[0..len) with the NUL-terminated word, in byte order. */
static int key_cmp(const char *k, size_t len, const char *word)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char a = (unsigned char)k[i], b = (unsigned char)word[i];
        if (a != b) return a < b ? -1 : 1; /* word ending (b == 0) sorts first */
    }
    return word[len] ? -1 : 0;
}

static const numword *lookup(const char *k, size_t len)
{
    if (!len) return NULL;
    size_t lo = 0, hi = sizeof num_words / sizeof num_words[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(k, len, num_words[mid].w);
        if (c == 0) return &num_words[mid];
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return NULL;
}

const char *khi_number_word(size_t i)
{
    return i < sizeof num_words / sizeof num_words[0] ? num_words[i].w : NULL;
}

int khi_number_words_sorted(void)
{
    for (size_t i = 1; i < sizeof num_words / sizeof num_words[0]; i++)
        if (strcmp(num_words[i - 1].w, num_words[i].w) >= 0) return 0;
    return 1;
}

/* The lexeme answers of this file (khi_lexeme.known, .yes), bits 16-27. */
enum {
    LEX_NUM = 16,   /* num_plain, num_word, num_particle hold the number words */
    LEX_DIGITS,     /* digits holds the value; yes: the key is digits */
    LEX_PARTICLE,   /* a function word the context skips */
    LEX_MONTH,      /* a month name (bare) */
    LEX_APPROX,     /* نحو, about */
    LEX_TIME_UNIT,  /* سنوات, years */
    LEX_CONTEXT,    /* ctx_key, ctx_cls hold its context keys */
    LEX_CHANGE,     /* ارتفع, rose: a change between two numbers */
    LEX_AGE,        /* العمر, aged */
    LEX_MEASURE     /* a unit of measure or of time */
};

static int lex_bit(const khi_lexeme *x, unsigned bit)
{
    return (x->yes >> bit) & 1u;
}

/* Sets the answer bit of x (known, and yes when yes). */
static void lex_set(khi_lexeme *x, unsigned bit, int yes)
{
    x->known |= (uint32_t)1 << bit;
    if (yes) x->yes |= (uint32_t)1 << bit;
}

static int lex_known(const khi_lexeme *x, unsigned bit)
{
    return (x->known >> bit) & 1u;
}

/* A number word, possibly after one particle (بثلاثة, وعشرون). */
/* The number word after a particle (بثلاثة, وعشرون), the key itself not
 * being one. */
static const numword *number_after_particle(const khi_word *w, int *particle)
{
    const numword *nw;
    *particle = 0;
    if (w->key_len > 4) {
        static const char *const p[] = { "\xd9\x88", "\xd9\x81", "\xd8\xa8", "\xd9\x84", "\xd9\x83" };
        for (size_t i = 0; i < 5; i++)
            if (memcmp(w->key, p[i], 2) == 0 && (nw = lookup(w->key + 2, w->key_len - 2))) {
                *particle = i == 0 ? 1 : 2; /* 1: و (joins compounds) */
                return nw;
            }
    }
    return NULL;
}

static const numword *number_word_key(const khi_word *w, int *particle)
{
    *particle = 0;
    const numword *nw = lookup(w->key, w->key_len);
    return nw ? nw : number_after_particle(w, particle);
}

/* The number words of a word's key, learnt once per lexeme: *plain of the
 * key itself (lookup), the result that of the key or after a particle. */
static const numword *number_words(const khi_word *w, const numword **plain, int *particle)
{
    khi_lexeme *x = w->lex;
    if (!x) {
        *plain = lookup(w->key, w->key_len);
        return number_word_key(w, particle);
    }
    if (!lex_known(x, LEX_NUM)) {
        const numword *p = lookup(w->key, w->key_len);
        int part = 0;
        const numword *nw = p ? p : number_after_particle(w, &part); /* number_word_key() */
        x->num_plain = p ? (int)(p - num_words) : -1;
        x->num_word = nw ? (int)(nw - num_words) : -1;
        x->num_particle = part;
        lex_set(x, LEX_NUM, 1);
    }
    *plain = x->num_plain >= 0 ? &num_words[x->num_plain] : NULL;
    *particle = x->num_particle;
    return x->num_word >= 0 ? &num_words[x->num_word] : NULL;
}

void khi_lexeme_numbers(khi_lexeme *x, const khi_listword *key,
                        const khi_listword *after_particle)
{
    /* number_words(): the key, else the key after its particle */
    x->num_plain = key && key->num ? key->num - 1 : -1;
    x->num_word = x->num_plain;
    x->num_particle = 0;
    if (x->num_word < 0 && x->key_len > 4 && after_particle && after_particle->num) {
        x->num_word = after_particle->num - 1;
        x->num_particle = memcmp(x->key, "\xd9\x88", 2) == 0 ? 1 : 2; /* 1: و (joins compounds) */
    }
    lex_set(x, LEX_NUM, 1);
    lex_set(x, LEX_PARTICLE, key && (key->lists & KHI_LIST_PARTICLE));
}

static const numword *number_word(const khi_word *w, int *particle)
{
    const numword *plain;
    return number_words(w, &plain, particle);
}

static const numword *number_plain(const khi_word *w)
{
    const numword *plain;
    int particle;
    number_words(w, &plain, &particle);
    return plain;
}

/* Digits: 1,000 and 3.5 (ASCII after folding) and ٣٫٥ / ١٬٠٠٠. */
static int digits_value_key(const khi_word *w, double *value)
{
    double v = 0, frac = 0, scale = 1;
    int in_frac = 0, any = 0;
    const char *k = w->key;
    size_t n = w->key_len, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)k[i];
        if (c >= '0' && c <= '9') {
            any = 1;
            if (in_frac) { scale /= 10; frac += (c - '0') * scale; }
            else v = v * 10 + (c - '0');
            i++;
        } else if (c == ',') {
            i++;
        } else if (c == '.') {
            if (in_frac) return 0;
            in_frac = 1;
            i++;
        } else if (i + 2 <= n && memcmp(k + i, "\xd9\xab", 2) == 0) { /* ٫ decimal */
            if (in_frac) return 0;
            in_frac = 1;
            i += 2;
        } else if (i + 2 <= n && memcmp(k + i, "\xd9\xac", 2) == 0) { /* ٬ thousands */
            i += 2;
        } else {
            return 0;
        }
    }
    *value = v + frac;
    return any;
}

static int digits_value(const khi_word *w, double *value)
{
    khi_lexeme *x = w->lex;
    if (!x) return digits_value_key(w, value);
    if (!lex_known(x, LEX_DIGITS)) {
        double v = 0;
        int any = digits_value_key(w, &v);
        x->digits = v;
        lex_set(x, LEX_DIGITS, any);
    }
    if (!lex_bit(x, LEX_DIGITS)) return 0;
    *value = x->digits;
    return 1;
}

size_t khi_number_at(const khi_word *w, size_t n, size_t i, double *value)
{
    double v;
    size_t used;
    int particle;
    if (digits_value(&w[i], &v)) {
        used = 1;
    } else {
        const numword *nw = number_word(&w[i], &particle);
        if (!nw || nw->kind == 4) return 0;
        v = nw->v;
        used = 1;
        if (nw->kind == 5 || nw->kind == 1) {
            /* teens: أحد عشر, ثلاثة عشر */
            if (i + 1 < n && !w[i + 1].brk && v < 10) {
                const numword *t = number_plain(&w[i + 1]);
                if (t && t->v == 10 && t->kind == 1) { v += 10; used = 2; }
            }
            if (nw->kind == 5 && used == 1) return 0; /* أحد alone is not a number */
        }
        /* unit و tens: خمسة وعشرون; English twenty-one */
        if (used == 1 && i + 1 < n && !(w[i + 1].brk & ~(unsigned)KHI_BRK_HYPHEN)) {
            int p2;
            const numword *t = number_word(&w[i + 1], &p2);
            if (t && nw->kind == 1 && v < 10 && t->kind == 2 && p2 == 1) { v += t->v; used = 2; }
            else if (t && nw->kind == 2 && t->kind == 1 && t->v < 10 &&
                     (w[i + 1].brk & KHI_BRK_HYPHEN)) { v += t->v; used = 2; }
        }
    }
    /* multipliers: 300 ألف, three hundred, 2.5 million */
    if (i + used < n && !w[i + used].brk) {
        int p2;
        const numword *m = number_word(&w[i + used], &p2);
        if (m && m->kind == 4 && !p2) { v *= m->v; used++; }
    }
    *value = v;
    return used;
}

/* ------------------------------------------------------------------ */
/* Context keys                                                         */
/* ------------------------------------------------------------------ */

static const char *const particles[] = {
    "في", "من", "الي", "علي", "عن", "مع", "ان", "او", "ثم", "بل", "لا", "لم", "لن", "ما", "قد",
    "كل", "بين", "حتي", "منذ", "بعد", "قبل", "عند", "لدي", "خلال", "نحو", "حول", "اكثر", "اقل",
    "فقط", "حوالي", "قرابه", "يقارب", "نحوا", "زهاء", "ايضا", "هذه", "هذا", "التي", "الذي",
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "with", "from", "about", "over",
    "nearly", "some", "than", "more", "less", "least", "almost", "around", "only", "and", "or",
    "were", "was", "are", "is", "be", "been", "had", "have", "has", "de", "des", "du", "la", "le",
    "les", "et", "à", "en",
};

const char *khi_number_particle(size_t i)
{
    return i < sizeof particles / sizeof particles[0] ? particles[i] : NULL;
}

static int is_particle_key(const khi_word *w)
{
    for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
        if (word_eq(particles[i], w->key, w->key_len)) return 1;
    return 0;
}

/* Asks test of w's key once per lexeme (answer bit), or each time without one. */
static int lex_ask(const khi_word *w, unsigned bit, int (*test)(const khi_word *))
{
    khi_lexeme *x = w->lex;
    if (!x) return test(w);
    if (!lex_known(x, bit)) lex_set(x, bit, test(w));
    return lex_bit(x, bit);
}

static int is_particle(const khi_word *w)
{
    return lex_ask(w, LEX_PARTICLE, is_particle_key);
}

static int ends_with(const char *s, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    return n >= m && memcmp(s + n - m, suf, m) == 0;
}

/* One key of a context word: stem-ish skeleton hashed. 0 when too short. */
static uint64_t one_key(const char *s, size_t n, int arabic)
{
    if (arabic) {
        if (n > 6 && ends_with(s, n, "\xd9\x87")) n -= 2;                           /* ه (ة) */
        if (n > 8 && (ends_with(s, n, "\xd8\xa7\xd8\xaa") || ends_with(s, n, "\xd9\x88\xd9\x86") ||
                      ends_with(s, n, "\xd9\x8a\xd9\x86")))
            n -= 4;                                                                  /* ات ون ين */
    } else {
        if (n > 3 && s[n - 1] == 's') n--;
    }
    uint32_t sk[64];
    size_t m = khi_skeleton(s, n, sk, sizeof sk / sizeof sk[0]);
    if (arabic && m > 2 && sk[m - 1] == 0x0627) m--; /* وزراء -> وزر */
    if (m < 2) return 0;
    return XXH3_64bits(sk, m * sizeof sk[0]) | 1;
}

/* Word classes that make different nouns count the same thing. */
#define CLS_DEAD 1     /* killed, قتلى, مصرع, وفاة ... */
#define CLS_HURT 2     /* injured, جرحى ... */
#define CLS_PEOPLE 3   /* a generic counted noun: people, أشخاص */

static const char *const dead_words[] = {
    "قتيل", "قتلي", "قتلا", "مصرع", "مصرعهم", "مصرعه", "وفاه", "وفيات", "حتف", "حتفهم", "حياه",
    "ضحايا", "ضحيه", "killed", "dead", "died", "deaths", "death", "fatalities", "tués", "morts",
    "victimes", "mort",
};
static const char *const hurt_words[] = {
    "جريح", "جرحي", "مصاب", "مصابين", "مصابا", "اصابه", "اصابات", "injured", "wounded",
    "injuries", "blessés",
};
static const char *const people_words[] = {
    "اشخاص", "شخص", "شخصا", "people", "persons", "personnes",
};

typedef struct ckey {
    uint64_t k[2];
    unsigned cls;
    size_t start, end; /* the word as written */
} ckey;

static int in_words(const char *const *list, size_t n, const char *w, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (word_eq(list[i], w, len)) return 1;
    return 0;
}

static unsigned word_class(const char *b, size_t bl)
{
#define CLS_IN(list) in_words(list, sizeof list / sizeof list[0], b, bl)
    if (CLS_IN(dead_words)) return CLS_DEAD;
    if (CLS_IN(hurt_words)) return CLS_HURT;
    if (CLS_IN(people_words)) return CLS_PEOPLE;
    return 0;
#undef CLS_IN
}

static void context_key_of(const khi_word *w, ckey *out)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    out->k[0] = one_key(b, bl, w->arabic);
    out->k[1] = 0;
    out->cls = word_class(b, bl);
    if (w->arabic && b == w->key && w->key_len >= 8) {
        unsigned char c0 = (unsigned char)w->key[0], c1 = (unsigned char)w->key[1];
        int particle = (c0 == 0xD9 && (c1 == 0x88 || c1 == 0x81 || c1 == 0x84 || c1 == 0x83)) ||
                       (c0 == 0xD8 && c1 == 0xA8);
        if (particle) {
            out->k[1] = one_key(w->key + 2, w->key_len - 2, 1);
            if (!out->cls) out->cls = word_class(w->key + 2, w->key_len - 2);
        }
    }
    out->start = w->start;
    out->end = w->end;
}

/* context_key_of(), its keys and class worked out once per lexeme. */
static void context_key(const khi_word *w, ckey *out)
{
    khi_lexeme *x = w->lex;
    if (!x) { context_key_of(w, out); return; }
    if (!lex_known(x, LEX_CONTEXT)) {
        ckey k;
        context_key_of(w, &k);
        x->ctx_key[0] = k.k[0];
        x->ctx_key[1] = k.k[1];
        x->ctx_cls = k.cls;
        lex_set(x, LEX_CONTEXT, 1);
    }
    out->k[0] = x->ctx_key[0];
    out->k[1] = x->ctx_key[1];
    out->cls = x->ctx_cls;
    out->start = w->start;
    out->end = w->end;
}

static int ckey_same(const ckey *a, const ckey *b)
{
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            if (a->k[i] && a->k[i] == b->k[j]) return 1;
    return 0;
}

#define SIDE 3

typedef struct mention {
    double value;
    size_t article;      /* story position */
    const char *text;    /* the paragraph */
    size_t text_len;
    size_t at;           /* byte of the number in text */
    const khi_text *t;   /* its paragraph's words */
    ckey before[SIDE];   /* nearest first */
    size_t n_before;
    ckey after[SIDE];    /* nearest first */
    size_t n_after;
    int approx;          /* نحو, about, حوالي ... before it */
    int before_bounded;  /* the before words run back to another number */
    int after_bounded;   /* the after words run on to another number */
    size_t parent;
} mention;

static const char *const month_words[] = {
    "يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس", "سبتمبر", "اكتوبر",
    "نوفمبر", "ديسمبر", "كانون", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب",
    "ايلول", "تشرين", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "janvier", "février", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    /* Hijri: ٨ ذي القعدة, ٢٨ رمضان */
    "محرم", "صفر", "ربيع", "جمادي", "رجب", "شعبان", "رمضان", "شوال", "ذي", "ذو",
};

static int is_month_key(const khi_word *w)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    for (size_t i = 0; i < sizeof month_words / sizeof month_words[0]; i++)
        if (word_eq(month_words[i], b, bl)) return 1;
    return 0;
}

static int is_month(const khi_word *w)
{
    return lex_ask(w, LEX_MONTH, is_month_key);
}

static int key_is(const khi_word *w, const char *s)
{
    return word_eq(s, w->key, w->key_len);
}

static int key_is_bare(const char *b, size_t bl, const char *s)
{
    return word_eq(s, b, bl);
}

/* Is the number at words [i, i+used) one to leave out (year, date, time, %)? */
static int excluded(const char *text, size_t text_len, const khi_word *w, size_t n, size_t i,
                    size_t used, double v)
{
    const khi_word *x = &w[i];
    int digits = x->key[0] >= '0' && x->key[0] <= '9';
    if (digits && used == 1 && v >= 1900 && v <= 2100 && v == (double)(long)v) return 1;
    size_t e = x->end;
    /* a time 13:46 or a ratio 2:1 */
    if (e < text_len && text[e] == ':') return 1;
    if (x->start > 0 && text[x->start - 1] == ':') return 1;
    /* a percentage: 12% ١٢٪ */
    size_t j = w[i + used - 1].end;
    while (j < text_len && text[j] == ' ') j++;
    if (j < text_len && text[j] == '%') return 1;
    if (j + 2 <= text_len && memcmp(text + j, "\xd9\xaa", 2) == 0) return 1;
    if (i + used < n) {
        const khi_word *y = &w[i + used];
        size_t bl;
        const char *b = khi_bare(y->key, y->key_len, &bl);
        int per_hundred = b != y->key && (key_is_bare(b, bl, "ميه") || key_is_bare(b, bl, "مايه"));
        if (key_is(y, "percent") || key_is(y, "pourcent") || per_hundred)
            return 1; /* بالمئة / بالمائة */
        if (!(y->brk & KHI_BRK_HARD) && is_month(y)) return 1;
        /* من الشهر */
        if (i + used + 1 < n && key_is(y, "من") && key_is(&w[i + used + 1], "الشهر")) return 1;
    }
    if (i > 0 && !(x->brk & KHI_BRK_HARD) && is_month(&w[i - 1])) return 1;
    return 0;
}

static int is_number_word(const khi_word *w, size_t n, size_t i)
{
    double v;
    return khi_number_at(w, n, i, &v) > 0;
}

/* ------------------------------------------------------------------ */
/* Grouping and the result                                              */
/* ------------------------------------------------------------------ */

#define MAX_MENTIONS 4096
#define MAX_RATIO 3.0 /* values further apart than this are not one quantity */

static size_t mfind(mention *m, size_t i)
{
    while (m[i].parent != i) {
        m[i].parent = m[m[i].parent].parent;
        i = m[i].parent;
    }
    return i;
}

/* The pairs of context words nearest the number, in reading order: the two
 * words just before it and the two just after it. */
static size_t bigrams(const mention *m, const ckey **a, const ckey **b)
{
    /* words between two numbers may belong to either: no pair from there */
    size_t k = 0;
    if (m->n_before >= 2 && !m->before_bounded) {
        a[k] = &m->before[1];
        b[k] = &m->before[0];
        k++;
    }
    if (m->n_after >= 2 && !m->after_bounded) {
        a[k] = &m->after[0];
        b[k] = &m->after[1];
        k++;
    }
    return k;
}

/* Two context words agree, and are not one and the same written word (two
 * numbers of one sentence share their context words). */
static int agree(const mention *x, const ckey *a, const mention *y, const ckey *b)
{
    if (x->text == y->text && a->start == b->start) return 0;
    return ckey_same(a, b);
}

static int has_class(const mention *m, unsigned cls)
{
    for (size_t i = 0; i < m->n_before && i < 2; i++)
        if (m->before[i].cls == cls) return 1;
    for (size_t i = 0; i < m->n_after && i < 2; i++)
        if (m->after[i].cls == cls) return 1;
    return 0;
}

static int same_thing(const mention *x, const mention *y)
{
    /* a pair of words next to the number: "وزير دفاع" / "وزراء الدفاع" */
    const ckey *xa[2 * SIDE], *xb[2 * SIDE], *ya[2 * SIDE], *yb[2 * SIDE];
    size_t nx = bigrams(x, xa, xb), ny = bigrams(y, ya, yb);
    for (size_t i = 0; i < nx; i++)
        for (size_t j = 0; j < ny; j++)
            if (agree(x, xa[i], y, ya[j]) && agree(x, xb[i], y, yb[j])) return 1;
    /* the same word on each side: killed 13 people / killed 11 people */
    if (x->n_before && y->n_before && x->n_after && y->n_after &&
        agree(x, &x->before[0], y, &y->before[0]) && agree(x, &x->after[0], y, &y->after[0]))
        return 1;
    /* the same counted noun and another word on the same side:
     * وزراء وممثلين عن 13 دولة / وزراء ومسؤولو المياه في إحدى عشرة دولة;
     * not for a generic noun (أشخاص, people), which counts anything */
    if (x->n_after && y->n_after && x->after[0].cls != CLS_PEOPLE &&
        agree(x, &x->after[0], y, &y->after[0])) {
        for (size_t i = 0; i < x->n_before; i++)
            for (size_t j = 0; j < y->n_before; j++)
                if (agree(x, &x->before[i], y, &y->before[j])) return 1;
        for (size_t i = 1; i < x->n_after; i++)
            for (size_t j = 1; j < y->n_after; j++)
                if (agree(x, &x->after[i], y, &y->after[j])) return 1;
    }
    /* a toll: a death (or injury) word near both, and counted nouns that
     * fit (the same, or a generic one: 7 أشخاص مصرعهم / 9 قتلى) */
    for (unsigned cls = CLS_DEAD; cls <= CLS_HURT; cls++) {
        if (!has_class(x, cls) || !has_class(y, cls)) continue;
        const ckey *cx = x->n_after ? &x->after[0] : NULL, *cy = y->n_after ? &y->after[0] : NULL;
        if (!cx || !cy || cx->cls == cls || cy->cls == cls || cx->cls == CLS_PEOPLE ||
            cy->cls == CLS_PEOPLE || agree(x, cx, y, cy))
            return 1;
    }
    return 0;
}

static const char *const approx_words[] = {
    "نحو", "حوالي", "قرابه", "زهاء", "يقارب", "تقارب", "تقريبا", "about", "around", "nearly",
    "almost", "some", "roughly", "approximately", "environ", "près",
};

static int is_approx_key(const khi_word *w)
{
    return in_words(approx_words, sizeof approx_words / sizeof approx_words[0], w->key, w->key_len);
}

static int is_approx(const khi_word *w)
{
    return lex_ask(w, LEX_APPROX, is_approx_key);
}

static const char *const time_units[] = {
    "سنوات", "سنه", "سنين", "اعوام", "عاما", "عام", "شهور", "اشهر", "شهرا", "ايام", "اسابيع",
    "years", "year", "months", "weeks", "ans", "mois", "يوما", "يوم", "days", "day", "jours",
    "ساعه", "ساعات", "hours", "صباحا", "مساء", "ظهرا", "فجرا", "am", "pm",
};

static int is_time_unit(const khi_word *w)
{
    return in_words(time_units, sizeof time_units / sizeof time_units[0], w->key, w->key_len);
}

/* Is the number at i told of a past event: "قبل ثماني سنوات أودت بحياة
 * أربعة", "three years ago ... five died"? Looks back in the sentence for
 * قبل + number + time unit, or number + time unit + ago. */
static int past_clause(const khi_word *w, size_t n, size_t i)
{
    for (size_t k = i; k > 0 && i - k < 8; k--) {
        if (w[k].brk & KHI_BRK_HARD) break;
        const khi_word *u = &w[k - 1];
        if (!lex_ask(u, LEX_TIME_UNIT, is_time_unit)) continue;
        if (k < 2 || !is_number_word(w, n, k - 2)) continue;
        if (k >= 3 && key_is(&w[k - 3], "قبل")) return 1;
        if (k < n && key_is(&w[k], "ago")) return 1;
    }
    return 0;
}

/* Words that make two numbers of one clause a change, not a
 * disagreement: ارتفع إلى 350 بعد أن كان 300, rose to 350 from 300,
 * بدلا من. Folded, without ال. */
static const char *const change_words[] = {
    "ارتفاع", "ارتفع", "ارتفعت", "انخفاض", "انخفض", "انخفضت", "بدلا", "تراجع", "تراجعت",
    "زاد", "زادت", "زياده", "صعد", "مقابل", "مقارنه", "compared", "decreased", "down", "fell",
    "increased", "instead", "rose", "up", "versus",
};

static int is_change_key(const khi_word *w)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    /* و ف ب before it: وارتفع, بانخفاض */
    size_t p = w->arabic && b == w->key && w->key_len > 4 &&
                       (memcmp(w->key, "\xd9\x88", 2) == 0 || memcmp(w->key, "\xd9\x81", 2) == 0 ||
                        memcmp(w->key, "\xd8\xa8", 2) == 0)
                   ? 2
                   : 0;
    return in_words(change_words, sizeof change_words / sizeof change_words[0], b + p, bl - p);
}

/* Words of age: a number of years beside them is someone's age, and two
 * people's ages are no disagreement (58 / 27 عاماً). */
static const char *const age_words[] = {
    "aged", "age", "old", "البالغ", "البالغه", "العمر", "بلغ", "تبلغ", "عمر", "عمره", "عمرها",
    "يبلغ",
};

static int is_age_key(const khi_word *w)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    return in_words(age_words, sizeof age_words / sizeof age_words[0], w->key, w->key_len) ||
           in_words(age_words, sizeof age_words / sizeof age_words[0], b, bl);
}

/* Units of measure: money, length, weight, time, speed, index points,
 * shares. Sources that give different measures in one story most often
 * measure different things (a price on two days, two devices' speeds);
 * disagreements are about counts of people, things and events. Folded,
 * without ال. */
static const char *const measure_units[] = {
    "barrel", "cents", "dollars", "euros", "km", "points", "pounds", "shares", "tonnes",
    "اسهم", "اميال", "برميل", "جرام", "جراما", "جنيه", "جنيها", "جيجا", "درجات", "درجه",
    "درهم", "درهما", "دقيقه", "دقايق", "دولار", "دولارا", "دينار", "دينارا", "ساعات",
    "ساعه", "سم", "سنتا", "سنتات", "سهم", "طن", "طنا", "غرام", "غراما", "كلم", "كيلو",
    "كيلوغرام", "كيلومتر", "كيلومترا", "كيلومترات", "لتر", "لترا", "متر", "مترا",
    "امتار", "ملم", "ميل", "ميلا", "نقطه", "نقاط", "هيرتز", "يورو", "ريال", "ريالا",
    "ريالات", "ليره", "ليرات",
};

static int is_measure(const khi_word *w)
{
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    if (in_words(measure_units, sizeof measure_units / sizeof measure_units[0], b, bl))
        return 1;
    /* a particle on it: بالدولار, بـ 5 دولارات */
    if (w->arabic && b == w->key && bl > 4 &&
        in_words(measure_units, sizeof measure_units / sizeof measure_units[0], b + 2, bl - 2))
        return 1;
    return lex_ask(w, LEX_TIME_UNIT, is_time_unit);
}

static int is_number_word(const khi_word *w, size_t n, size_t i);

/* Is the number at words [i, i+used) one of two numbers of a clause that
 * states a change (from one to the other), or someone's age? Such numbers
 * take no part in disagreements; a toll that "rose to 9" alone still does. */
static int change_or_age(const char *text, const khi_word *w, size_t n, size_t i, size_t used)
{
    size_t lo = i, hi = i + used;
    while (lo > 0 && i - lo < 8 && !(w[lo].brk & KHI_BRK_HARD)) lo--;
    while (hi < n && hi - i < 8 && !(w[hi].brk & KHI_BRK_HARD)) hi++;
    int years = i + used < n && !(w[i + used].brk & KHI_BRK_HARD) &&
                lex_ask(&w[i + used], LEX_TIME_UNIT, is_time_unit);
    /* (58 عاماً): a number of years in parentheses is an age */
    if (years && w[i].start > 0 && text[w[i].start - 1] == '(') return 1;
    int change = 0, other_number = 0;
    for (size_t k = lo; k < hi; k++) {
        if (k >= i && k < i + used) continue;
        change |= lex_ask(&w[k], LEX_CHANGE, is_change_key);
        other_number |= is_number_word(w, n, k);
        if (years && lex_ask(&w[k], LEX_AGE, is_age_key)) return 1;
    }
    return change && other_number;
}

static void collect(const khi_text *t, size_t article, mention *m, size_t *n_m)
{
    const char *text = t->text;
    size_t text_len = t->text_len;
    const khi_word *w = t->words;
    size_t n = t->n_words;
    for (size_t i = 0; i < n && *n_m < MAX_MENTIONS;) {
        double v;
        size_t used = khi_number_at(w, n, i, &v);
        if (!used) { i++; continue; }
        if (excluded(text, text_len, w, n, i, used, v)) { i += used; continue; }
        if (past_clause(w, n, i)) { i += used; continue; }
        if (change_or_age(text, w, n, i, used)) { i += used; continue; }
        /* a clock time (الساعة 0621, at 9) or a score (6 - 5) is no count */
        if (i > 0 && !(w[i].brk & (KHI_BRK_HARD | KHI_BRK_COMMA)) &&
            (key_is(&w[i - 1], "الساعه") || key_is(&w[i - 1], "ساعه") || key_is(&w[i - 1], "at"))) {
            i += used;
            continue;
        }
        if ((i + used < n && (w[i + used].brk & (KHI_BRK_HYPHEN | KHI_BRK_OTHER)) &&
             is_number_word(w, n, i + used)) ||
            (i > 0 && (w[i].brk & (KHI_BRK_HYPHEN | KHI_BRK_OTHER)) && is_number_word(w, n, i - 1))) {
            i += used;
            continue;
        }
        /* counts only: no fractions, no measures (350 ريالاً, 1.3 جيجا هيرتز, 60 يوما) */
        if (v != (double)(long long)v ||
            (i + used < n && !(w[i + used].brk & (KHI_BRK_HARD | KHI_BRK_COMMA)) &&
             lex_ask(&w[i + used], LEX_MEASURE, is_measure))) {
            i += used;
            continue;
        }
        mention *x = &m[*n_m];
        memset(x, 0, sizeof *x);
        x->text_len = text_len;
        x->at = w[i].start;
        x->t = t;
        x->approx = i > 0 && !(w[i].brk & (KHI_BRK_HARD | KHI_BRK_COMMA)) && is_approx(&w[i - 1]);
        /* أكثر من 1300, more than 1300: a bound, said loosely */
        if (!x->approx && i > 1 && !(w[i].brk & (KHI_BRK_HARD | KHI_BRK_COMMA)) &&
            (key_is(&w[i - 1], "من") || key_is(&w[i - 1], "than")) &&
            (key_is(&w[i - 2], "اكثر") || key_is(&w[i - 2], "اقل") || key_is(&w[i - 2], "لاكثر") ||
             key_is(&w[i - 2], "باكثر") || key_is(&w[i - 2], "more") ||
             key_is(&w[i - 2], "less") || key_is(&w[i - 2], "over")))
            x->approx = 1;
        x->value = v;
        x->article = article;
        x->text = text;
        x->parent = *n_m;
        /* before: back from i-1 while the clause goes on */
        for (size_t k = i; k > 0 && x->n_before < SIDE;) {
            if (w[k].brk & (KHI_BRK_HARD | KHI_BRK_COMMA)) break;
            k--;
            if (is_particle(&w[k])) continue;
            if (is_number_word(w, n, k)) { x->before_bounded = 1; break; }
            context_key(&w[k], &x->before[x->n_before++]);
        }
        for (size_t k = i + used; k < n && x->n_after < SIDE; k++) {
            if (w[k].brk & (KHI_BRK_HARD | KHI_BRK_COMMA)) break;
            if (is_particle(&w[k])) continue;
            if (is_number_word(w, n, k)) { x->after_bounded = 1; break; }
            context_key(&w[k], &x->after[x->n_after++]);
        }
        if (x->n_before || x->n_after) (*n_m)++;
        i += used;
    }
}

/* The words a group is about: the pair of context words most of its
 * mentions share, as the earliest one wrote them. */
static kh_status about_of(kh_arena *dst, mention *m, size_t n_m, size_t root, const char **out)
{
    size_t best = 0, best_m = SIZE_MAX;
    const ckey *ba = NULL, *bb = NULL;
    for (size_t i = 0; i < n_m; i++) {
        if (mfind(m, i) != root) continue;
        const ckey *xa[2 * SIDE], *xb[2 * SIDE];
        size_t nx = bigrams(&m[i], xa, xb);
        for (size_t p = 0; p < nx; p++) {
            size_t count = 0;
            for (size_t j = 0; j < n_m; j++) {
                if (mfind(m, j) != root) continue;
                const ckey *ya[2 * SIDE], *yb[2 * SIDE];
                size_t ny = bigrams(&m[j], ya, yb);
                for (size_t q = 0; q < ny; q++)
                    if (ckey_same(xa[p], ya[q]) && ckey_same(xb[p], yb[q])) { count++; break; }
            }
            if (count > best) {
                best = count;
                best_m = i;
                ba = xa[p];
                bb = xb[p];
            }
        }
    }
    const char *text;
    size_t s, e;
    if (best >= 2) {
        text = m[best_m].text;
        s = ba->start;
        e = bb->end;
    } else {
        /* linked by the words around the number: name the counted word,
         * with the next one when it is a death or injury word (أشخاص
         * مصرعهم, people killed) */
        size_t i = 0;
        while (mfind(m, i) != root) i++;
        text = m[i].text;
        const ckey *k = m[i].n_after ? &m[i].after[0] : &m[i].before[0];
        s = k->start;
        e = k->end;
        if (m[i].n_after >= 2 && (m[i].after[1].cls == CLS_DEAD || m[i].after[1].cls == CLS_HURT))
            e = m[i].after[1].end;
    }
    /* the counted noun most mentions share, when the words above miss it:
     * "وزراء وممثلين … دولة" */
    const mention *cm = NULL;
    size_t best_c = 0;
    for (size_t i = 0; i < n_m; i++) {
        if (mfind(m, i) != root || !m[i].n_after) continue;
        size_t c = 0;
        for (size_t j = 0; j < n_m; j++)
            if (mfind(m, j) == root && m[j].n_after && ckey_same(&m[i].after[0], &m[j].after[0]))
                c++;
        if (c > best_c) { best_c = c; cm = &m[i]; }
    }
    int inside = cm && best >= 2 && (ckey_same(&cm->after[0], ba) || ckey_same(&cm->after[0], bb));
    if (cm && best >= 2 && best_c >= 2 && !inside) {
        const ckey *k = &cm->after[0];
        size_t len = (e - s) + strlen(" … ") + (k->end - k->start);
        char *a = kh_arena_alloc(dst, len + 1);
        KHI_RETURN_IF(!a, KH_E_NOMEM);
        memcpy(a, text + s, e - s);
        memcpy(a + (e - s), " … ", strlen(" … "));
        memcpy(a + len - (k->end - k->start), cm->text + k->start, k->end - k->start);
        a[len] = '\0';
        *out = a;
        return KH_OK;
    }
    *out = kh_arena_strndup(dst, text + s, e - s);
    KHI_RETURN_IF(!*out, KH_E_NOMEM);
    return KH_OK;
}

/* The content words of a mention's sentence (not stopwords, not numbers),
 * as hashes of their bare keys, sorted; n in *n. */
#define SENT_WORDS 64
static size_t sentence_words(const mention *x, uint64_t *out)
{
    size_t ss, se, n = 0;
    khi_sentence_at(x->text, x->text_len, x->at, &ss, &se);
    const khi_word *w = x->t->words;
    for (size_t k = 0; k < x->t->n_words && n < SENT_WORDS; k++) {
        if (w[k].start < ss || w[k].end > se) continue;
        size_t bl;
        const char *b = khi_bare(w[k].key, w[k].key_len, &bl);
        if (bl < 4 || (b[0] >= '0' && b[0] <= '9')) continue; /* short words, digits */
        if (kh_is_stopword(w[k].arabic ? KH_LANG_AR : KH_LANG_EN, w[k].key, w[k].key_len))
            continue;
        if (is_number_word(w, x->t->n_words, k)) continue;
        out[n++] = XXH3_64bits(b, bl);
    }
    qsort(out, n, sizeof *out, khi_cmp_u64);
    return n;
}

/* How many content words two sentences share. */
static size_t shared_words(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, c = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            uint64_t v = a[i];
            c++;
            while (i < na && a[i] == v) i++;
            while (j < nb && b[j] == v) j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return c;
}

/* Two reports disagree on a quantity only when they tell the same thing
 * around it: some two mentions of different values, from different
 * articles, share MIN_SHARED content words in their sentences besides the
 * counted words (13 وزير دفاع ... اجتماع ... باريس / 11 وزير دفاع ...
 * اجتماع باريس), not only the noun (six strikes on Monday, twelve on
 * another front). */
#define MIN_SHARED 4
static kh_status same_claim(kh_arena *tmp, mention *m, size_t n_m, size_t root,
                            const double *vals, size_t nv, int *same)
{
    *same = 0;
    /* the group's mentions of the values kept, each sentence read once */
    size_t n = 0;
    for (size_t i = 0; i < n_m; i++) n += mfind(m, i) == root;
    size_t *idx = kh_arena_alloc(tmp, n * sizeof *idx);
    uint64_t *words = kh_arena_alloc(tmp, n * SENT_WORDS * sizeof *words);
    size_t *n_words = kh_arena_alloc(tmp, n * sizeof *n_words);
    KHI_RETURN_IF(!idx || !words || !n_words, KH_E_NOMEM);
    size_t k = 0;
    for (size_t i = 0; i < n_m; i++) {
        if (mfind(m, i) != root) continue;
        int kept = 0;
        for (size_t v = 0; v < nv; v++) kept |= m[i].value == vals[v];
        if (!kept) continue;
        idx[k] = i;
        n_words[k] = sentence_words(&m[i], words + k * SENT_WORDS);
        k++;
    }
    for (size_t a = 0; a < k && !*same; a++)
        for (size_t b = a + 1; b < k && !*same; b++) {
            const mention *x = &m[idx[a]], *y = &m[idx[b]];
            if (x->value == y->value || x->article == y->article) continue;
            *same = shared_words(words + a * SENT_WORDS, n_words[a], words + b * SENT_WORDS,
                                 n_words[b]) >= MIN_SHARED;
        }
    return KH_OK;
}

kh_status khi_disagreements(kh_arena *dst, kh_arena *tmp, const kh_account_article *arts,
                            size_t n_arts, const size_t *order, const khi_article_texts *texts,
                            kh_account_disagreement **out, size_t *n_out)
{
    (void)arts;
    *out = NULL;
    *n_out = 0;
    mention *m = kh_arena_alloc(tmp, MAX_MENTIONS * sizeof *m);
    KHI_RETURN_IF(!m, KH_E_NOMEM);
    size_t n_m = 0;
    for (size_t oi = 0; oi < n_arts; oi++)
        for (size_t k = 1; k < texts[oi].n_texts; k++) /* bodies: [0] is the title */
            if (texts[oi].texts[k].text) collect(&texts[oi].texts[k], oi, m, &n_m);
    for (size_t i = 0; i < n_m; i++)
        for (size_t j = i + 1; j < n_m; j++)
            if (mfind(m, i) != mfind(m, j) && same_thing(&m[i], &m[j])) {
                size_t a = mfind(m, i), b = mfind(m, j);
                if (a < b) m[b].parent = a;
                else m[a].parent = b;
            }

    kh_account_disagreement *d = kh_arena_alloc(dst, (n_m ? n_m : 1) * sizeof *d);
    KHI_RETURN_IF(!d, KH_E_NOMEM);
    size_t n_d = 0;
    double *vals = kh_arena_alloc(tmp, (n_m ? n_m : 1) * sizeof *vals);
    unsigned char *has = kh_arena_alloc(tmp, n_arts ? n_arts : 1);
    KHI_RETURN_IF(!vals || !has, KH_E_NOMEM);
    for (size_t r = 0; r < n_m; r++) {
        if (mfind(m, r) != r) continue;
        /* distinct values and articles */
        size_t nv = 0, na = 0;
        memset(has, 0, n_arts);
        for (size_t i = r; i < n_m; i++) {
            if (mfind(m, i) != r) continue;
            size_t k = 0;
            while (k < nv && vals[k] != m[i].value) k++;
            if (k == nv) vals[nv++] = m[i].value;
            if (!has[m[i].article]) { has[m[i].article] = 1; na++; }
        }
        /* an approximate value near a better supported one is the same
         * value said loosely: نحو أربعين / 42 */
        for (size_t a = 0; a < nv;) {
            size_t sup_a = 0, approx_a = 1;
            for (size_t i = r; i < n_m; i++)
                if (mfind(m, i) == r && m[i].value == vals[a]) { sup_a++; approx_a &= m[i].approx; }
            int drop = 0;
            for (size_t b = 0; b < nv && approx_a && !drop; b++) {
                if (b == a) continue;
                double hi = vals[a] > vals[b] ? vals[a] : vals[b];
                double diff = vals[a] > vals[b] ? vals[a] - vals[b] : vals[b] - vals[a];
                if (diff > 0.1 * hi) continue;
                size_t sup_b = 0;
                for (size_t i = r; i < n_m; i++)
                    if (mfind(m, i) == r && m[i].value == vals[b]) sup_b++;
                drop = sup_b > sup_a || (sup_b == sup_a && b < a);
            }
            if (drop) vals[a] = vals[--nv];
            else a++;
        }
        /* values far apart count different things that share words (10
         * million beneficiaries, 27,000 tonnes): keep those within a
         * factor of MAX_RATIO of the best supported value */
        if (nv >= 2) {
            size_t best = 0, best_sup = 0;
            for (size_t a = 0; a < nv; a++) {
                size_t sup = 0;
                for (size_t i = r; i < n_m; i++)
                    if (mfind(m, i) == r && m[i].value == vals[a]) sup++;
                if (sup > best_sup) { best_sup = sup; best = a; }
            }
            double ref = vals[best];
            for (size_t a = 0; a < nv;) {
                double lo = vals[a] < ref ? vals[a] : ref, hi = vals[a] < ref ? ref : vals[a];
                if (a != best && !(lo > 0 && hi <= MAX_RATIO * lo)) {
                    vals[a] = vals[--nv];
                    if (best == nv) best = a;
                } else {
                    a++;
                }
            }
            /* the articles left */
            na = 0;
            memset(has, 0, n_arts);
            for (size_t i = r; i < n_m; i++) {
                if (mfind(m, i) != r) continue;
                int kept = 0;
                for (size_t a = 0; a < nv; a++) kept |= m[i].value == vals[a];
                if (kept && !has[m[i].article]) { has[m[i].article] = 1; na++; }
            }
        }
        if (nv < 2 || na < 2 || nv > 4) continue;
        int same;
        KHI_FORWARD_IF_ERROR(same_claim(tmp, m, n_m, r, vals, nv, &same));
        if (!same) continue;
        kh_account_value *v = kh_arena_alloc(dst, nv * sizeof *v);
        KHI_RETURN_IF(!v, KH_E_NOMEM);
        for (size_t k = 0; k < nv; k++) {
            size_t *ids = kh_arena_alloc(dst, n_arts * sizeof *ids);
            KHI_RETURN_IF(!ids, KH_E_NOMEM);
            memset(has, 0, n_arts);
            for (size_t i = r; i < n_m; i++)
                if (mfind(m, i) == r && m[i].value == vals[k]) has[m[i].article] = 1;
            size_t c = 0;
            for (size_t oi = 0; oi < n_arts; oi++)
                if (has[oi]) ids[c++] = order[oi];
            v[k].value = vals[k];
            v[k].articles = ids;
            v[k].n_articles = c;
            /* the sentence of its first mention, as written */
            v[k].sentence = NULL;
            for (size_t i = r; i < n_m && !v[k].sentence; i++) {
                if (mfind(m, i) != r || m[i].value != vals[k]) continue;
                size_t ss, se;
                khi_sentence_at(m[i].text, m[i].text_len, m[i].at, &ss, &se);
                v[k].sentence = kh_arena_strndup(dst, m[i].text + ss, se - ss);
                KHI_RETURN_IF(!v[k].sentence, KH_E_NOMEM);
            }
        }
        /* most supported first; stable otherwise (first read first) */
        for (size_t x = 1; x < nv; x++) {
            kh_account_value t = v[x];
            size_t y = x;
            while (y > 0 && v[y - 1].n_articles < t.n_articles) { v[y] = v[y - 1]; y--; }
            v[y] = t;
        }
        /* only a disagreement when two articles report different values */
        int differ = 0;
        for (size_t a = 0; a < nv && !differ; a++)
            for (size_t b = 0; b < nv && !differ; b++) {
                if (a == b) continue;
                for (size_t p = 0; p < v[a].n_articles && !differ; p++) {
                    int also = 0;
                    for (size_t q = 0; q < v[b].n_articles; q++)
                        also |= v[b].articles[q] == v[a].articles[p];
                    differ = !also;
                }
            }
        if (!differ) continue;
        d[n_d].values = v;
        d[n_d].n_values = nv;
        KHI_FORWARD_IF_ERROR(about_of(dst, m, n_m, r, &d[n_d].about));
        n_d++;
    }
    *out = n_d ? d : NULL;
    *n_out = n_d;
    return KH_OK;
}
