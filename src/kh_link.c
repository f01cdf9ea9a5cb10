/*
 * kh_link.c — one event across languages: links stories of different
 * languages that report the same event, on evidence that needs no model.
 *
 * Stories stay per language (their TF-IDF needs one vocabulary); this step
 * runs after them, over finished stories. Each story gives a signature, a
 * sorted set of keys read from its lead (the title and the first LEAD_BYTES
 * of the body of each of its first LEAD_ARTICLES articles, where reports
 * say who, what, where and when):
 *
 *   name     the consonant classes of a name word as transliterations write
 *            them (khi_name_sound, kh_entity.c's cross-script rule):
 *            مرسى / Marsa -> M R S. Arabic words that are no stopword;
 *            Latin words written with a capital. Three classes at least.
 *   pair     two name words in a row (مرسى النخيل / Marsa al-Nakheel; a
 *            Latin al-, el- between them is skipped): a name's strong form.
 *   number   a quantity, either digit set, with its multiplier:
 *            1.2 مليار = $1.2bn = 1,2 milliard. Under 13 says too little.
 *   date     a day of a month (25 يونيو / June 25 / 25 juin).
 *   weekday  الأربعاء / Wednesday / mercredi: weak alone.
 *   word     with a lexicon (kh_bilex.c) only, and kept apart from the
 *            keys above: the English glosses of a lead's ordinary words
 *            (ميناء / port / port -> port). Weak: each shared word adds
 *            WORD_WEIGHT times its idf, all of them at most WORD_CAP, to
 *            a pair that the other keys already made; they never make a
 *            pair nor count toward the two names or facts a link needs.
 *            A word that is a name (a Latin capital), or whose name key
 *            the pair shares, is never glossed: a lexicon match never
 *            overrides a name match (الرقة is Raqqa, not "tenderness").
 *
 * Two stories of different languages whose spans are within the window
 * score the sum, over the keys they share, of the kind's weight times the
 * key's idf (log((N + 100) / df) over the N stories given: as if 100 more
 * stories, none with the key, had been seen, so that a handful of stories
 * scores as a corpus would). They link when
 * the score reaches the threshold and the shared keys hold at least two
 * names, pairs, numbers or dates: one shared place name is no event. Of
 * the pairs at the threshold, each story keeps its best in each other
 * language (and is kept by the stories whose best it is), so a place that
 * two events share does not chain them. Linked stories form sets
 * (union-find); a set is named by its smallest story id.
 *
 * Keys pack their kind in the top 3 bits (so a sort groups kinds):
 *
 *   name, pair:      [kind:3][hash of the consonant classes:61]
 *   number:          [kind:3][0...][mantissa 100..999:10][exponent + 32:6]
 *   date, weekday:   [kind:3][0...][month:4][day:5] / [weekday 0..6]
 *
 * so numbers and dates are read back from the key for `why`; names are
 * shown as a Latin-script story wrote them (its written forms are kept;
 * an Arabic story's are not, to keep memory at 8 bytes a key).
 *
 * Invariant: a story's keys are sorted and unique. Postings (key, story)
 * sorted by key give the pairs of stories that share a key without
 * comparing every two stories; a key held by more than MAX_DF stories is
 * skipped (its idf is near zero anyway). A corpus of one language makes
 * no pair: the cost is then reading the leads.
 */
#include "kh_link_int.h"
#include "kh_clean_int.h"
#include "kh_text_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEAD_ARTICLES 2
#define LEAD_BYTES 1000
#define DATE_BYTES 400      /* dates are read in the first bytes only: the
                               dateline and the first sentence say when */
#define KEYS_MAX 128        /* per story */
#define MAX_DF 64
#define SOUND_MAX 16
#define WHY_MAX 8           /* names, numbers, dates each in a set's why */
/* idf counts this many stories more than were given, none holding the key:
 * a few stories alone would otherwise make every shared key common (two
 * stories sharing a name: log(3/2)) and no pair could reach a threshold
 * that suits thousands */
#define PRIOR_STORIES 100

enum { K_NAME = 1, K_PAIR = 2, K_NUMBER = 3, K_DATE = 4, K_WEEKDAY = 5 };

static const double kind_weight[] = { 0, 1.0, 2.0, 1.0, 1.0, 0.3 };

#define K_WORD 6            /* in an edge's keys only: a shared gloss */
#define WORDS_MAX 96        /* glossed words and name sounds kept per story */
#define WORD_WEIGHT 0.3     /* times the word's idf */
#define WORD_CAP 2.0        /* all words of a pair together */

#define KEY_KIND(k) ((unsigned)((k) >> 61))
#define KEY_MAKE(kind, v) (((uint64_t)(kind) << 61) | ((v) & (((uint64_t)1 << 61) - 1)))

/* A word of a lead by its English gloss, and the name key the word
 * itself would make (0: none), so that a shared name is never glossed.
 * gloss 0: the sound of a Latin story's name (two classes or more), which
 * the other story's words may not be glossed as. */
typedef struct lk_word {
    uint64_t gloss;
    uint64_t name;
} lk_word;

/* A word as read, and where in the lead. */
typedef struct raw_word {
    lk_word w;
    size_t order;
} raw_word;

/* One written name form of a Latin-script story, for why. */
typedef struct lk_shown {
    uint64_t key;
    const char *text;
} lk_shown;

typedef struct lk_story {
    uint64_t id;
    kh_lang lang;
    int dated;
    int64_t first, last;
    size_t n_articles;
    const char *headline;     /* in the arena */
    size_t key_off, n_keys;   /* in keys */
    size_t shown_off, n_shown; /* in shown */
    size_t word_off, n_words;  /* in words, sorted by gloss */
    size_t parent;            /* union-find */
    size_t set;               /* after run: index into sets */
} lk_story;

/* A kept link between stories a < b, and the keys they share. */
typedef struct lk_edge {
    size_t a, b;
    double score;
    size_t key_off, n_keys;   /* in edge_keys */
} lk_edge;

typedef struct lk_set {
    uint64_t id;
    size_t member_off, n_members; /* in members (story ids) / member_langs */
    double score;
    const char **names, **numbers, **dates, **words;
    size_t n_names, n_numbers, n_dates, n_words;
} lk_set;

struct kh_linker {
    kh_ctx *ctx;
    kh_link_options opt;
    kh_arena *arena;     /* headlines, shown names, why strings */
    kh_arena *scratch;   /* one story's words; reset after each */
    kh_buf stories;      /* lk_story[] */
    kh_buf keys;         /* uint64_t[] */
    kh_buf shown;        /* lk_shown[] */
    kh_buf words;        /* lk_word[] */
    kh_buf edges;        /* lk_edge[] */
    kh_buf edge_keys;    /* uint64_t[] */
    kh_buf sets;         /* lk_set[] */
    kh_buf members;      /* uint64_t[] */
    kh_buf member_langs; /* kh_lang[] */
    kh_buf by_id;        /* size_t[]: story indexes by id */
    uint64_t weekday_key[7][3]; /* hash_bytes() of the folded weekday names */
    int ran;
};

#define STORY(lk, i) (((lk_story *)(lk)->stories.data)[i])
#define N_STORIES(lk) ((lk)->stories.len / sizeof(lk_story))

void kh_link_options_init(kh_link_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->threshold = KH_LINK_THRESHOLD;
    opt->window = 72 * 3600;
}

/* FNV-1a over bytes, finished by khi_mix64. */
static uint64_t hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Weekday names: Arabic (folded as khi_fold folds them), English, French. */
static const char *const weekdays[7][3] = {
    { "الاحد", "sunday", "dimanche" },      { "الاثنين", "monday", "lundi" },
    { "الثلاثاء", "tuesday", "mardi" },     { "الاربعاء", "wednesday", "mercredi" },
    { "الخميس", "thursday", "jeudi" },      { "الجمعه", "friday", "vendredi" },
    { "السبت", "saturday", "samedi" },
};

kh_status kh_linker_create(kh_ctx *ctx, const kh_link_options *opt, kh_linker **out)
{
    *out = NULL;
    if (!ctx)
        return KH_E_ARG;
    kh_linker *lk = kh_malloc(ctx, sizeof *lk);
    if (!lk)
        return kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    memset(lk, 0, sizeof *lk);
    lk->ctx = ctx;
    if (opt)
        lk->opt = *opt;
    else
        kh_link_options_init(&lk->opt);
    if (!(lk->opt.threshold > 0) || lk->opt.window <= 0) {
        kh_free(ctx, lk, sizeof *lk);
        return kh_ctx_error(ctx, KH_E_ARG, "link: threshold and window must be positive");
    }
    kh_buf *bufs[] = { &lk->stories, &lk->keys,    &lk->shown,        &lk->words, &lk->edges,
                       &lk->edge_keys, &lk->sets, &lk->members, &lk->member_langs, &lk->by_id };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        kh_buf_init(bufs[i], ctx, 0);
    kh_status rc = kh_arena_create(ctx, &lk->arena);
    if (rc == KH_OK)
        rc = kh_arena_create(ctx, &lk->scratch);
    kh_buf fold;
    kh_buf_init(&fold, ctx, 0);
    for (int d = 0; rc == KH_OK && d < 7; d++)
        for (int l = 0; rc == KH_OK && l < 3; l++) {
            kh_buf_clear(&fold);
            rc = khi_fold(&fold, weekdays[d][l], strlen(weekdays[d][l]));
            if (rc == KH_OK)
                lk->weekday_key[d][l] = hash_bytes(fold.data, fold.len, 0xcbf29ce484222325ULL);
        }
    kh_buf_free(&fold);
    if (rc != KH_OK) {
        kh_linker_free(lk);
        return rc;
    }
    *out = lk;
    return KH_OK;
}

void kh_linker_free(kh_linker *lk)
{
    if (!lk)
        return;
    kh_buf *bufs[] = { &lk->stories, &lk->keys,    &lk->shown,        &lk->words, &lk->edges,
                       &lk->edge_keys, &lk->sets, &lk->members, &lk->member_langs, &lk->by_id };
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        kh_buf_free(bufs[i]);
    kh_arena_free(lk->arena);
    kh_arena_free(lk->scratch);
    kh_free(lk->ctx, lk, sizeof *lk);
}

/* ---- reading a story's keys ------------------------------------------- */

/* Keys of one story being read, before sorting. */
typedef struct lk_reader {
    kh_linker *lk;
    kh_buf *keys;     /* uint64_t[] */
    kh_buf *shown;    /* lk_shown[], Latin-script stories only */
    kh_buf *words;    /* raw_word[], with a lexicon only */
    int latin;
    kh_lang lang;
    const char *ref;  /* "YYYY-MM-DD" of the story, for dates without a year */
    kh_status rc;
} lk_reader;

static void put_key(lk_reader *r, uint64_t key, const char *text, size_t text_len)
{
    if (r->rc != KH_OK)
        return;
    r->rc = kh_buf_append(r->keys, &key, sizeof key);
    if (r->rc == KH_OK && text && r->latin) {
        lk_shown s = { key, kh_arena_strndup(r->lk->arena, text, text_len) };
        r->rc = s.text ? kh_buf_append(r->shown, &s, sizeof s) : KH_E_NOMEM;
    }
}

/* The consonant classes of a name word: 0 when it is no name word (a
 * stopword, a number, a Latin word without a capital, too few classes). */
static size_t name_sound(const khi_word *w, int arabic_story, uint32_t *sound)
{
    if (!w->key_len || (w->key[0] >= '0' && w->key[0] <= '9'))
        return 0;
    /* names in the story's own script: the Latin names an Arabic list of
     * films quotes are no evidence that an English story is its event */
    if (w->arabic != arabic_story)
        return 0;
    if (!w->arabic) {
        if (!w->upper || khi_stopword_langs(w->key, w->key_len) != 0)
            return 0;
        return khi_name_sound(w->key, w->key_len, sound, SOUND_MAX);
    }
    if (khi_word_is_stop(w))
        return 0;
    size_t bl;
    const char *b = khi_bare(w->key, w->key_len, &bl);
    return khi_name_sound(b, bl, sound, SOUND_MAX);
}

/* A Latin word that may stand inside a name: al-, el-, bin, ibn, abu. */
static int name_joiner(const khi_word *w)
{
    static const char *const j[] = { "al", "el", "bin", "ibn", "abu", "ben", "bint" };
    for (size_t i = 0; i < sizeof j / sizeof j[0]; i++)
        if (w->key_len == strlen(j[i]) && memcmp(w->key, j[i], w->key_len) == 0)
            return 1;
    return 0;
}

static uint64_t sound_hash(const uint32_t *s, size_t n, uint64_t seed)
{
    return khi_mix64(hash_bytes(s, n * sizeof *s, seed));
}

/* Names and pairs of a text's words. */
static void read_names(lk_reader *r, const char *text, const khi_word *w, size_t n)
{
    uint32_t prev[SOUND_MAX], cur[SOUND_MAX];
    size_t prev_n = 0, prev_start = 0;
    for (size_t i = 0; i < n && r->rc == KH_OK; i++) {
        size_t cn = name_sound(&w[i], !r->latin, cur);
        if (cn == 0) {
            /* al-Nakheel: the joiner neither makes nor breaks a name */
            if (!(!w[i].arabic && name_joiner(&w[i]) && !(w[i].brk & KHI_BRK_HARD)))
                prev_n = 0;
            continue;
        }
        if (w[i].brk & (KHI_BRK_HARD | KHI_BRK_COMMA | KHI_BRK_QUOTE))
            prev_n = 0;
        /* a Latin -at, -et, -it may write ة (Khirbet, خربة), which
         * Arabic keys drop: both readings are keys */
        size_t kl = w[i].key_len;
        int ta = !w[i].arabic && kl >= 4 && w[i].key[kl - 1] == 't' &&
                 strchr("aei", w[i].key[kl - 2]) && cn >= 2 && cur[cn - 1] == 'T';
        for (int v = 0; v <= ta; v++) {
            size_t vn = cn - (size_t)v;
            if (vn >= 3)
                put_key(r, KEY_MAKE(K_NAME, sound_hash(cur, vn, 1)), text + w[i].start,
                        w[i].end - w[i].start);
            if (prev_n && prev_n + vn >= 3) {
                uint32_t both[2 * SOUND_MAX + 1];
                memcpy(both, prev, prev_n * sizeof *prev);
                both[prev_n] = '|';
                memcpy(both + prev_n + 1, cur, vn * sizeof *cur);
                put_key(r, KEY_MAKE(K_PAIR, sound_hash(both, prev_n + 1 + vn, 2)),
                        text + prev_start, w[i].end - prev_start);
            }
        }
        if (ta)
            cn--; /* as the first word of a pair, the Arabic reading */
        memcpy(prev, cur, cn * sizeof *cur);
        prev_n = cn;
        prev_start = w[i].start;
    }
}

/* The multiplier a word gives the number before it (0: none). */
static double multiplier(const khi_word *w)
{
    static const struct { const char *k; double v; } m[] = {
        { "مليار", 1e9 }, { "مليارات", 1e9 }, { "billion", 1e9 }, { "billions", 1e9 },
        { "milliard", 1e9 }, { "milliards", 1e9 }, { "bn", 1e9 },
        { "مليون", 1e6 }, { "ملايين", 1e6 }, { "million", 1e6 }, { "millions", 1e6 },
        { "mn", 1e6 }, { "الف", 1e3 }, { "الاف", 1e3 }, { "thousand", 1e3 }, { "mille", 1e3 },
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (w->key_len == strlen(m[i].k) && memcmp(w->key, m[i].k, w->key_len) == 0)
            return m[i].v;
    return 0;
}

/* Digits with a decimal point or comma (1,2 in French; 1,200 is a
 * thousands comma) and a unit letter (1.2bn, 500m, 300k); 0 when the key
 * is not that. */
static int digits_of(const char *k, size_t n, double *value)
{
    double v = 0, scale = 1;
    int frac = 0, any = 0;
    size_t i = 0, group = 0;
    for (; i < n; i++) {
        char c = k[i];
        if (c >= '0' && c <= '9') {
            any = 1;
            if (frac) {
                scale /= 10;
                v += (c - '0') * scale;
            } else {
                v = v * 10 + (c - '0');
            }
            group++;
        } else if (c == '.' || c == ',') {
            /* a comma followed by exactly three digits groups thousands */
            size_t d = 0;
            while (i + 1 + d < n && k[i + 1 + d] >= '0' && k[i + 1 + d] <= '9') d++;
            if (c == ',' && d == 3 && !frac)
                continue;
            if (frac)
                return 0;
            frac = 1;
        } else {
            break;
        }
    }
    if (!any)
        return 0;
    const char *u = k + i;
    size_t ul = n - i;
    if (ul == 0)
        ;
    else if ((ul == 2 && memcmp(u, "bn", 2) == 0) || (ul == 1 && *u == 'b'))
        v *= 1e9;
    else if ((ul == 1 && *u == 'm') || (ul == 2 && memcmp(u, "mn", 2) == 0))
        v *= 1e6;
    else if (ul == 1 && *u == 'k')
        v *= 1e3;
    else
        return 0;
    *value = v;
    return 1;
}

static double number_of_key(uint64_t key);

/* A number's key: three significant digits and the exponent. */
static int number_key(double v, uint64_t *key)
{
    if (!(v >= 13) || v > 1e18)
        return 0;
    int e = 0;
    while (v >= 999.5) v /= 10, e++;
    while (v < 99.95) v *= 10, e--;
    uint64_t m = (uint64_t)(v + 0.5);
    *key = KEY_MAKE(K_NUMBER, (m << 6) | (uint64_t)(e + 32));
    return 1;
}

/* Whether a number key is a year of the calendar news is dated in: many
 * events name 2030 or 1990, so it adds weight but is no fact alone. */
static int number_is_year(uint64_t key)
{
    double v = number_of_key(key);
    return v >= 1900 && v <= 2100 && v == (double)(long)v;
}

static double number_of_key(uint64_t key)
{
    double v = (double)((key >> 6) & 1023);
    int e = (int)(key & 63) - 32;
    for (; e > 0; e--) v *= 10;
    for (; e < 0; e++) v /= 10;
    return v;
}

static void read_numbers(lk_reader *r, const khi_word *w, size_t n)
{
    for (size_t i = 0; i < n && r->rc == KH_OK; i++) {
        double v = 0;
        size_t used = 0;
        if (w[i].key_len && w[i].key[0] >= '0' && w[i].key[0] <= '9') {
            if (!digits_of(w[i].key, w[i].key_len, &v))
                continue;
            used = 1;
            if (i + 1 < n && !(w[i + 1].brk & KHI_BRK_HARD)) {
                double m = multiplier(&w[i + 1]);
                if (m > 0) v *= m, used = 2;
            }
        } else if (i + 1 < n && multiplier(&w[i + 1]) > 0 &&
                   (((w[i].key_len == 6 || w[i].key_len == 8) &&
                     memcmp(w[i].key + w[i].key_len - 6, "نصف", 6) == 0) ||
                    (w[i].key_len == 4 && memcmp(w[i].key, "half", 4) == 0))) {
            v = 0.5 * multiplier(&w[i + 1]); /* نصف مليار, half a billion */
            used = 2;
        } else {
            used = khi_number_at(w, n, i, &v);
            if (!used)
                continue;
        }
        uint64_t key;
        if (number_key(v, &key))
            put_key(r, key, NULL, 0);
        i += used - 1;
    }
}

static void read_weekdays(lk_reader *r, const khi_word *w, size_t n)
{
    for (size_t i = 0; i < n && r->rc == KH_OK; i++) {
        if (w[i].key_len < 5 || w[i].key_len > 16)
            continue;
        uint64_t h = hash_bytes(w[i].key, w[i].key_len, 0xcbf29ce484222325ULL);
        for (unsigned d = 0; d < 7; d++)
            for (int l = 0; l < 3; l++)
                if (r->lk->weekday_key[d][l] == h)
                    put_key(r, KEY_MAKE(K_WEEKDAY, d), NULL, 0);
    }
}

/* Days of months the text names (kh_date's reader, year or not). */
static void read_dates(lk_reader *r, const char *text, size_t len)
{
    size_t at = 0;
    for (int k = 0; k < 8 && at < len && r->rc == KH_OK; k++) {
        char iso[KH_DATE_ISO_MAX];
        size_t s = 0, e = 0;
        if (khi_date_find(text + at, len - at, r->ref, iso, sizeof iso, &s, &e) != KH_OK)
            break;
        if (e == 0)
            break;
        at += e;
        int month = atoi(iso + 5), day = atoi(iso + 8);
        if (month >= 1 && month <= 12 && day >= 1 && day <= 31)
            put_key(r, KEY_MAKE(K_DATE, (uint64_t)(month << 5 | day)), NULL, 0);
    }
}

/* The glosses of a text's ordinary words (with a lexicon): an English
 * story's own words that the lexicon knows as a gloss, another's glosses.
 * A Latin word with a capital is a name and is not glossed. */
static void read_glosses(lk_reader *r, const khi_word *w, size_t n)
{
    const kh_bilex *lx = r->lk->opt.lexicon;
    for (size_t i = 0; i < n && r->rc == KH_OK; i++) {
        if (w[i].arabic != !r->latin)
            continue;
        lk_word x = { 0, 0 };
        uint32_t sound[SOUND_MAX];
        size_t cn = 0;
        if (r->latin && w[i].upper) {
            cn = name_sound(&w[i], 0, sound);
            /* a name's sound, even a short one (Raqqa: R Q), so that the
             * other story's word that sounds as it is not glossed */
            if (cn >= 2) {
                raw_word rw = { { 0, KEY_MAKE(K_NAME, sound_hash(sound, cn, 1)) },
                                r->words->len / sizeof rw };
                r->rc = kh_buf_append(r->words, &rw, sizeof rw);
            }
            continue;
        }
        if (r->lang == KH_LANG_EN) {
            x.gloss = khi_bilex_key(&w[i], 1);
            if (!x.gloss || !khi_bilex_text(lx, x.gloss))
                continue;
            raw_word rw = { x, r->words->len / sizeof rw };
            r->rc = kh_buf_append(r->words, &rw, sizeof rw);
            continue;
        }
        const uint64_t *g = NULL;
        size_t ng = khi_bilex_glosses(lx, &w[i], &g);
        if (!ng)
            continue;
        if (!r->latin)
            cn = name_sound(&w[i], 1, sound);
        if (cn >= 2)
            x.name = KEY_MAKE(K_NAME, sound_hash(sound, cn, 1));
        for (size_t k = 0; k < ng && r->rc == KH_OK; k++) {
            x.gloss = g[k];
            raw_word rw = { x, r->words->len / sizeof rw };
            r->rc = kh_buf_append(r->words, &rw, sizeof rw);
        }
    }
}

/* Reads the keys of one text's words w[0..n), and dates in its first
 * date_len bytes (at most DATE_BYTES). */
static void read_words(lk_reader *r, const char *text, size_t date_len, const khi_word *w,
                       size_t n)
{
    read_names(r, text, w, n);
    read_numbers(r, w, n);
    read_weekdays(r, w, n);
    if (r->lk->opt.lexicon && date_len) {
        /* words in the title and the first sentences only, as dates: a
         * lookup per word costs as much as the rest of the lead */
        size_t nw = n, lim = date_len < DATE_BYTES ? date_len : DATE_BYTES;
        while (nw > 0 && w[nw - 1].end > lim) nw--;
        read_glosses(r, w, nw);
    }
    if (date_len)
        read_dates(r, text, date_len < DATE_BYTES ? date_len : DATE_BYTES);
}

/* Reads one text (cut to LEAD_BYTES at a space) into keys. */
static void read_text(lk_reader *r, const char *text, size_t len)
{
    if (!text || r->rc != KH_OK)
        return;
    if (len > LEAD_BYTES) {
        size_t cut = LEAD_BYTES;
        while (cut > 0 && text[cut] != ' ' && text[cut] != '\n') cut--;
        len = cut;
    }
    khi_word *w = NULL;
    size_t n = 0;
    r->rc = khi_words(r->lk->scratch, text, len, &w, &n);
    if (r->rc == KH_OK)
        read_words(r, text, len, w, n);
}

/* Reads the lead of articles already split into words (an account's):
 * each title, then body paragraphs up to LEAD_BYTES of each body. */
static void read_article_texts(lk_reader *r, const khi_article_texts *texts, size_t n)
{
    for (size_t k = 0; k < n && k < LEAD_ARTICLES && r->rc == KH_OK; k++) {
        size_t used = 0;
        for (size_t p = 0; p < texts[k].n_texts && r->rc == KH_OK; p++) {
            const khi_text *x = &texts[k].texts[p];
            if (!x->text)
                continue;
            if (p == 0) {
                read_words(r, x->text, x->text_len, x->words, x->n_words);
                continue;
            }
            if (used >= LEAD_BYTES)
                break;
            size_t room = LEAD_BYTES - used, nw = x->n_words;
            while (nw > 0 && x->words[nw - 1].end > room) nw--;
            /* dates in the first paragraph only: the dateline and the first
             * sentence say when */
            read_words(r, x->text, p == 1 ? x->text_len : 0, x->words, nw);
            used += x->text_len + 1;
        }
    }
}

static int cmp_word(const void *x, const void *y)
{
    const lk_word *a = x, *b = y;
    if (a->gloss != b->gloss)
        return a->gloss < b->gloss ? -1 : 1;
    return a->name < b->name ? -1 : a->name > b->name;
}

static int cmp_raw_word(const void *x, const void *y)
{
    const raw_word *a = x, *b = y;
    int c = cmp_word(&a->w, &b->w);
    return c ? c : a->order < b->order ? -1 : a->order > b->order;
}

static int cmp_raw_order(const void *x, const void *y)
{
    const raw_word *a = x, *b = y;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Keeps a story's first WORDS_MAX distinct words (lead order), sorted by
 * gloss. raw: raw_word[] with order filled, reordered here. */
static kh_status keep_words(kh_linker *lk, lk_story *st, kh_buf *raw)
{
    raw_word *w = (raw_word *)raw->data;
    size_t n = raw->len / sizeof *w, m = 0;
    if (n)
        qsort(w, n, sizeof *w, cmp_raw_word);
    for (size_t i = 0; i < n; i++)
        if (m == 0 || cmp_word(&w[i].w, &w[m - 1].w) != 0)
            w[m++] = w[i]; /* its first reading: the smallest order */
    if (m > WORDS_MAX) {
        qsort(w, m, sizeof *w, cmp_raw_order);
        m = WORDS_MAX;
        qsort(w, m, sizeof *w, cmp_raw_word);
    }
    st->word_off = lk->words.len / sizeof(lk_word);
    st->n_words = m;
    kh_status rc = KH_OK;
    for (size_t i = 0; rc == KH_OK && i < m; i++)
        rc = kh_buf_append(&lk->words, &w[i].w, sizeof w[i].w);
    return rc;
}

/* A key of one story and how often it was read. */
typedef struct key_count {
    uint64_t key;
    unsigned count;
} key_count;

#define COUNT_MAX 64 /* counts above are counted as 64 when keys are chosen */

/* Reads one story's keys, from its texts or from words already split
 * (texts, n_arts: NULL, 0 for none), and adds it. */
static kh_status add_story(kh_linker *lk, const kh_link_story *s, const khi_article_texts *texts,
                           size_t n_arts)
{
    if (!lk || !s || (s->n_texts && !s->texts) || lk->ran)
        return KH_E_ARG;
    lk_story st;
    memset(&st, 0, sizeof st);
    st.id = s->id;
    st.lang = s->lang;
    st.dated = s->dated;
    st.first = s->first;
    st.last = s->last;
    st.n_articles = s->n_articles;
    st.word_off = lk->words.len / sizeof(lk_word);
    st.headline = s->headline ? kh_arena_strndup(lk->arena, s->headline, strlen(s->headline))
                              : NULL;
    if (s->headline && !st.headline)
        return kh_ctx_error(lk->ctx, KH_E_NOMEM, "out of memory");
    kh_buf raw, raw_words;
    kh_buf_init(&raw, lk->ctx, 0);
    kh_buf_init(&raw_words, lk->ctx, 0);
    char ref[KH_DATE_ISO_MAX] = "";
    if (s->dated) {
        int y, m, d;
        long days = (long)(s->first >= 0 ? s->first / 86400 : -((-s->first + 86399) / 86400));
        khi_civil_from_days(days, &y, &m, &d);
        snprintf(ref, sizeof ref, "%04d-%02d-%02d", y, m, d);
    }
    lk_reader r = { lk, &raw, &lk->shown, &raw_words, 0, s->lang, s->dated ? ref : NULL, KH_OK };
    r.latin = s->lang != KH_LANG_AR;
    st.shown_off = lk->shown.len / sizeof(lk_shown);
    size_t limit = s->n_texts < 2 * LEAD_ARTICLES ? s->n_texts : 2 * LEAD_ARTICLES;
    for (size_t i = 0; i < limit && r.rc == KH_OK; i++)
        read_text(&r, s->texts[i],
                  !s->texts[i] ? 0 : s->text_lens ? s->text_lens[i] : strlen(s->texts[i]));
    if (texts)
        read_article_texts(&r, texts, n_arts);
    kh_arena_reset(lk->scratch);
    kh_status rc = r.rc;
    /* unique keys, the most repeated first (then the earliest), capped:
     * counted in a hash table (key 0 is never made: a key's kind is not 0) */
    size_t n = raw.len / sizeof(uint64_t);
    const uint64_t *k = (const uint64_t *)raw.data;
    kh_buf cnt;
    kh_buf_init(&cnt, lk->ctx, 0);
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    if (rc == KH_OK && n)
        rc = kh_buf_reserve(&cnt, cap * sizeof(key_count) + (KEYS_MAX + 1) * sizeof(uint64_t));
    if (rc == KH_OK && n) {
        key_count *t = (key_count *)cnt.data;
        uint64_t *kept = (uint64_t *)(t + cap);
        memset(t, 0, cap * sizeof *t);
        size_t m = 0;
        unsigned hist[COUNT_MAX + 1] = { 0 };
        for (size_t i = 0; i < n; i++) {
            size_t h = (size_t)khi_mix64(k[i]) & (cap - 1);
            while (t[h].key && t[h].key != k[i]) h = (h + 1) & (cap - 1);
            if (!t[h].key) {
                t[h].key = k[i];
                m++;
            }
            t[h].count++;
        }
        /* the smallest count kept: all keys above it fit */
        for (size_t h = 0; h < cap; h++)
            if (t[h].key) hist[t[h].count < COUNT_MAX ? t[h].count : COUNT_MAX]++;
        unsigned floor_count = 1;
        size_t above = 0;
        if (m > KEYS_MAX)
            for (unsigned c = COUNT_MAX; c >= 1; c--) {
                if (above + hist[c] >= KEYS_MAX) {
                    floor_count = c;
                    break;
                }
                above += hist[c];
            }
        /* above the floor: all; at the floor: the earliest, in text order */
        size_t nk = 0, room = KEYS_MAX - (m > KEYS_MAX ? above : 0);
        for (size_t h = 0; h < cap; h++)
            if (t[h].key && (m <= KEYS_MAX || t[h].count > floor_count) && nk < KEYS_MAX)
                kept[nk++] = t[h].key;
        for (size_t i = 0; i < n && m > KEYS_MAX && room > 0; i++) {
            size_t h = (size_t)khi_mix64(k[i]) & (cap - 1);
            while (t[h].key != k[i]) h = (h + 1) & (cap - 1);
            if (t[h].count == floor_count) {
                kept[nk++] = k[i];
                t[h].count = 0; /* taken */
                room--;
            }
        }
        qsort(kept, nk, sizeof *kept, khi_cmp_u64);
        st.key_off = lk->keys.len / sizeof(uint64_t);
        st.n_keys = nk;
        rc = kh_buf_append(&lk->keys, kept, nk * sizeof *kept);
    }
    kh_buf_free(&cnt);
    kh_buf_free(&raw);
    if (rc == KH_OK)
        rc = keep_words(lk, &st, &raw_words);
    kh_buf_free(&raw_words);
    st.n_shown = lk->shown.len / sizeof(lk_shown) - st.shown_off;
    st.parent = N_STORIES(lk);
    if (rc == KH_OK)
        rc = kh_buf_append(&lk->stories, &st, sizeof st);
    if (rc != KH_OK) {
        lk->shown.len = st.shown_off * sizeof(lk_shown);
        lk->words.len = st.word_off * sizeof(lk_word);
        return rc == KH_E_NOMEM ? kh_ctx_error(lk->ctx, rc, "out of memory") : rc;
    }
    return KH_OK;
}

kh_ctx *khi_link_ctx(const kh_linker *lk)
{
    return lk->ctx;
}

kh_status kh_link_add(kh_linker *lk, const kh_link_story *s)
{
    return add_story(lk, s, NULL, 0);
}

kh_status khi_link_add_texts(kh_linker *lk, const kh_link_story *s,
                             const khi_article_texts *texts, size_t n_articles)
{
    return add_story(lk, s, texts, n_articles);
}

/* ---- linking ----------------------------------------------------------- */

typedef struct posting {
    uint64_t key;
    size_t story;
} posting;

typedef struct shared {
    size_t a, b;
    uint64_t key;
    double idf;
} shared;

static int cmp_posting(const void *x, const void *y)
{
    const posting *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->story < b->story ? -1 : a->story > b->story;
}

static int cmp_shared(const void *x, const void *y)
{
    const shared *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

static int near_in_time(const kh_linker *lk, const lk_story *a, const lk_story *b)
{
    if (!a->dated || !b->dated)
        return 1;
    int64_t w = lk->opt.window;
    return !(a->last + w < b->first || b->last + w < a->first);
}

static size_t find_root(lk_story *s, size_t i)
{
    while (s[i].parent != i) {
        s[i].parent = s[s[i].parent].parent;
        i = s[i].parent;
    }
    return i;
}

/* A candidate pair: its score and strong evidence, and where its keys are. */
typedef struct cand {
    size_t a, b;
    double score;
    size_t from, to;     /* in the shared[] run */
    size_t word_off, n_words; /* its shared glosses, in cand_words */
} cand;

static int cmp_cand_score(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* A story's id and index, to sort stories by id. */
typedef struct id_index {
    uint64_t id;
    size_t index;
} id_index;

static int cmp_id_index(const void *x, const void *y)
{
    const id_index *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

static const char *shown_name(const kh_linker *lk, const lk_story *s, uint64_t key)
{
    const lk_shown *sh = (const lk_shown *)lk->shown.data + s->shown_off;
    for (size_t i = 0; i < s->n_shown; i++)
        if (sh[i].key == key)
            return sh[i].text;
    return NULL;
}

/* Adds text to list (n of WHY_MAX) unless it is there. */
static void why_add(const char **list, size_t *n, const char *text)
{
    if (!text || *n >= WHY_MAX)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], text) == 0)
            return;
    list[(*n)++] = text;
}

static kh_status build_sets(kh_linker *lk);

/* Stories holding a gloss, as sorted glosses (one per story) give it. */
static size_t word_df(const uint64_t *all, size_t n, uint64_t gloss)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (all[mid] < gloss) lo = mid + 1; else hi = mid;
    }
    size_t first = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (all[mid] <= gloss) lo = mid + 1; else hi = mid;
    }
    return lo - first;
}

/* Whether story s has a name that sounds as name (its gloss-0 words,
 * sorted first). */
static int named(const kh_linker *lk, const lk_story *s, uint64_t name)
{
    const lk_word *w = (const lk_word *)lk->words.data + s->word_off;
    for (size_t i = 0; i < s->n_words && w[i].gloss == 0; i++)
        if (w[i].name == name)
            return 1;
    return 0;
}

/* Whether key is among the shared keys s[0..n). */
static int shares(const shared *s, size_t n, uint64_t key)
{
    for (size_t i = 0; i < n; i++)
        if (s[i].key == key)
            return 1;
    return 0;
}

/* The weak score of the glosses two stories share, and the glosses into
 * out: a word whose own name key the pair shares (sh[0..n_sh)) is a name
 * and is skipped. */
static double word_score(const kh_linker *lk, const lk_story *a, const lk_story *b,
                         const shared *sh, size_t n_sh, const uint64_t *all, size_t n_all,
                         double n_stories, kh_buf *out, kh_status *rc)
{
    const lk_word *w = (const lk_word *)lk->words.data;
    const lk_word *x = w + a->word_off, *xe = x + a->n_words;
    const lk_word *y = w + b->word_off, *ye = y + b->n_words;
    double score = 0;
    uint64_t last = 0;
    while (x < xe && y < ye && *rc == KH_OK) {
        if (x->gloss != y->gloss) {
            if (x->gloss < y->gloss) x++; else y++;
            continue;
        }
        uint64_t g = x->gloss;
        /* every reading of the gloss on either side: none may be a
         * shared name */
        int name = 0;
        const lk_word *x2 = x, *y2 = y;
        for (; x2 < xe && x2->gloss == g; x2++)
            name |= x2->name && (shares(sh, n_sh, x2->name) || named(lk, b, x2->name));
        for (; y2 < ye && y2->gloss == g; y2++)
            name |= y2->name && (shares(sh, n_sh, y2->name) || named(lk, a, y2->name));
        x = x2, y = y2;
        if (g == 0)
            continue; /* names' sounds */
        size_t df = word_df(all, n_all, g);
        if (name || g == last || df < 2 || df > MAX_DF)
            continue;
        last = g;
        score += WORD_WEIGHT * log((n_stories + PRIOR_STORIES) / (double)df);
        uint64_t key = KEY_MAKE(K_WORD, g);
        *rc = kh_buf_append(out, &key, sizeof key);
    }
    return score < WORD_CAP ? score : WORD_CAP;
}

kh_status kh_link_run(kh_linker *lk)
{
    if (!lk || lk->ran)
        return KH_E_ARG;
    lk->ran = 1;
    size_t ns = N_STORIES(lk);
    lk_story *st = (lk_story *)lk->stories.data;
    const uint64_t *keys = (const uint64_t *)lk->keys.data;
    kh_buf post, sh, cands, all_words, cand_words;
    kh_buf_init(&post, lk->ctx, 0);
    kh_buf_init(&sh, lk->ctx, 0);
    kh_buf_init(&cands, lk->ctx, 0);
    kh_buf_init(&all_words, lk->ctx, 0);
    kh_buf_init(&cand_words, lk->ctx, 0);
    kh_status rc = KH_OK;
    /* each story's glosses once, sorted: a gloss's df is a range */
    const lk_word *lw = (const lk_word *)lk->words.data;
    for (size_t i = 0; rc == KH_OK && i < ns; i++)
        for (size_t j = 0; rc == KH_OK && j < st[i].n_words; j++) {
            const lk_word *x = &lw[st[i].word_off + j];
            if (x->gloss && (j == 0 || x->gloss != x[-1].gloss))
                rc = kh_buf_append(&all_words, &x->gloss, sizeof x->gloss);
        }
    size_t n_all = all_words.len / sizeof(uint64_t);
    if (n_all)
        qsort(all_words.data, n_all, sizeof(uint64_t), khi_cmp_u64);
    size_t nk = lk->keys.len / sizeof(uint64_t);
    /* Every pair holds a story of a language other than the one most
     * stories are in, and shares one of its keys: the stories of that
     * language post only keys the others hold (in a corpus of one
     * language, none). */
    size_t per_lang[KH_LANG_COUNT_] = { 0 };
    for (size_t i = 0; i < ns; i++) per_lang[st[i].lang < KH_LANG_COUNT_ ? st[i].lang : 0]++;
    unsigned major = 0;
    for (unsigned l = 1; l < KH_LANG_COUNT_; l++)
        if (per_lang[l] > per_lang[major]) major = l;
    kh_buf minor;
    kh_buf_init(&minor, lk->ctx, 0);
    for (size_t i = 0; rc == KH_OK && i < ns; i++)
        if (st[i].lang != major)
            rc = kh_buf_append(&minor, keys + st[i].key_off, st[i].n_keys * sizeof *keys);
    size_t n_minor = minor.len / sizeof *keys;
    uint64_t *mk = (uint64_t *)minor.data;
    if (n_minor)
        qsort(mk, n_minor, sizeof *mk, khi_cmp_u64);
    if (rc == KH_OK && n_minor)
        rc = kh_buf_reserve(&post, nk * sizeof(posting));
    if (rc == KH_OK && n_minor) {
        posting *p = (posting *)post.data;
        size_t m = 0;
        for (size_t i = 0; i < ns; i++)
            for (size_t j = 0; j < st[i].n_keys; j++) {
                uint64_t key = keys[st[i].key_off + j];
                if (st[i].lang == major && !bsearch(&key, mk, n_minor, sizeof *mk, khi_cmp_u64))
                    continue;
                p[m].key = key;
                p[m].story = i;
                m++;
            }
        qsort(p, m, sizeof *p, cmp_posting);
        for (size_t i = 0; rc == KH_OK && i < m;) {
            size_t j = i;
            while (j < m && p[j].key == p[i].key) j++;
            size_t df = j - i;
            if (df >= 2 && df <= MAX_DF) {
                double idf = log((double)(ns + PRIOR_STORIES) / (double)df);
                for (size_t x = i; rc == KH_OK && x < j; x++)
                    for (size_t y = x + 1; rc == KH_OK && y < j; y++) {
                        const lk_story *a = &st[p[x].story], *b = &st[p[y].story];
                        if (a->lang == b->lang || !near_in_time(lk, a, b))
                            continue;
                        shared s = { p[x].story, p[y].story, p[i].key, idf };
                        rc = kh_buf_append(&sh, &s, sizeof s);
                    }
            }
            i = j;
        }
    }
    size_t nsh = sh.len / sizeof(shared);
    shared *s = (shared *)sh.data;
    if (rc == KH_OK && nsh)
        qsort(s, nsh, sizeof *s, cmp_shared);
    /* each pair's score, and its evidence: distinct names (a shared pair
     * and the two shared names it is made of are one name: Marsa, Nakhil,
     * Marsa al-Nakhil), numbers and dates; weekdays add score only */
    for (size_t i = 0; rc == KH_OK && i < nsh;) {
        size_t j = i;
        double score = 0;
        int names = 0, pairs = 0, facts = 0;
        while (j < nsh && s[j].a == s[i].a && s[j].b == s[i].b) {
            unsigned kind = KEY_KIND(s[j].key);
            score += kind_weight[kind] * s[j].idf;
            names += kind == K_NAME;
            pairs += kind == K_PAIR;
            facts += (kind == K_NUMBER && !number_is_year(s[j].key)) || kind == K_DATE;
            j++;
        }
        int strong = facts + (pairs > names - pairs ? pairs : names - pairs);
        /* two first names (George, Walter) are no event: a full name
         * (a pair) or a fact must be among the evidence; words only add
         * to a pair that has them */
        size_t word_off = cand_words.len / sizeof(uint64_t);
        if (strong >= 2 && (pairs || facts) && n_all)
            score += word_score(lk, &st[s[i].a], &st[s[i].b], s + i, j - i,
                                (const uint64_t *)all_words.data, n_all, (double)ns, &cand_words,
                                &rc);
        if (rc == KH_OK && score >= lk->opt.threshold && strong >= 2 && (pairs || facts)) {
            cand c = { s[i].a, s[i].b, score, i, j, word_off,
                       cand_words.len / sizeof(uint64_t) - word_off };
            rc = kh_buf_append(&cands, &c, sizeof c);
        } else {
            cand_words.len = word_off * sizeof(uint64_t);
        }
        i = j;
    }
    /* keep, for each story, its best pair with each other language */
    size_t nc = cands.len / sizeof(cand);
    cand *c = (cand *)cands.data;
    if (nc)
        qsort(c, nc, sizeof *c, cmp_cand_score);
    kh_buf best;
    kh_buf_init(&best, lk->ctx, 0);
    /* best[story * KH_LANG_COUNT_ + lang]: taken */
    if (rc == KH_OK && nc)
        rc = kh_buf_reserve(&best, ns * KH_LANG_COUNT_);
    if (rc == KH_OK && nc)
        memset(best.data, 0, ns * KH_LANG_COUNT_);
    for (size_t i = 0; rc == KH_OK && i < nc; i++) {
        unsigned char *taken = (unsigned char *)best.data;
        size_t ka = c[i].a * KH_LANG_COUNT_ + st[c[i].b].lang;
        size_t kb = c[i].b * KH_LANG_COUNT_ + st[c[i].a].lang;
        if (taken[ka] && taken[kb])
            continue;
        taken[ka] = taken[kb] = 1;
        lk_edge e = { c[i].a, c[i].b, c[i].score, lk->edge_keys.len / sizeof(uint64_t),
                      c[i].to - c[i].from + c[i].n_words };
        for (size_t k = c[i].from; rc == KH_OK && k < c[i].to; k++)
            rc = kh_buf_append(&lk->edge_keys, &s[k].key, sizeof s[k].key);
        if (rc == KH_OK && c[i].n_words)
            rc = kh_buf_append(&lk->edge_keys, (const uint64_t *)cand_words.data + c[i].word_off,
                               c[i].n_words * sizeof(uint64_t));
        if (rc == KH_OK)
            rc = kh_buf_append(&lk->edges, &e, sizeof e);
        size_t ra = find_root(st, c[i].a), rb = find_root(st, c[i].b);
        if (ra != rb)
            st[ra > rb ? ra : rb].parent = ra < rb ? ra : rb;
    }
    kh_buf_free(&best);
    kh_buf_free(&minor);
    kh_buf_free(&post);
    kh_buf_free(&sh);
    kh_buf_free(&cands);
    kh_buf_free(&all_words);
    kh_buf_free(&cand_words);
    if (rc == KH_OK)
        rc = build_sets(lk);
    if (rc != KH_OK) { /* a failed run links nothing */
        for (size_t i = 0; i < ns; i++) st[i].set = SIZE_MAX;
        lk->sets.len = 0;
    }
    return rc == KH_E_NOMEM ? kh_ctx_error(lk->ctx, rc, "out of memory") : rc;
}

/* Gathers each set: its stories (by id), languages, best score and why. */
static kh_status build_sets(kh_linker *lk)
{
    size_t ns = N_STORIES(lk);
    lk_story *st = (lk_story *)lk->stories.data;
    kh_status rc = kh_buf_reserve(&lk->by_id, (ns ? ns : 1) * sizeof(size_t));
    if (rc != KH_OK)
        return rc;
    size_t *by_id = (size_t *)lk->by_id.data;
    if (ns) {
        id_index *ix = kh_malloc(lk->ctx, ns * sizeof *ix);
        if (!ix)
            return KH_E_NOMEM;
        for (size_t i = 0; i < ns; i++) ix[i] = (id_index){ st[i].id, i };
        qsort(ix, ns, sizeof *ix, cmp_id_index);
        for (size_t i = 0; i < ns; i++) by_id[i] = ix[i].index;
        kh_free(lk->ctx, ix, ns * sizeof *ix);
    }
    lk->by_id.len = ns * sizeof(size_t);
    for (size_t i = 0; i < ns; i++) st[i].set = SIZE_MAX;
    size_t ne = lk->edges.len / sizeof(lk_edge);
    if (ne == 0)
        return KH_OK;
    /* the roots of linked stories, marked; then sets in order of their
     * smallest story id, walking stories by id */
    const size_t has_edge = SIZE_MAX - 1;
    for (size_t e = 0; e < ne; e++)
        st[find_root(st, ((const lk_edge *)lk->edges.data)[e].a)].set = has_edge;
    for (size_t k = 0; rc == KH_OK && k < ns; k++) {
        size_t i = by_id[k], root = find_root(st, i);
        if (st[root].set == SIZE_MAX)
            continue; /* linked to none */
        if (st[root].set == has_edge) {
            lk_set set;
            memset(&set, 0, sizeof set);
            set.id = st[i].id;
            st[root].set = lk->sets.len / sizeof(lk_set);
            rc = kh_buf_append(&lk->sets, &set, sizeof set);
        }
        st[i].set = st[root].set;
    }
    if (rc != KH_OK)
        return rc;
    /* members in id order: counted, then placed */
    size_t nsets = lk->sets.len / sizeof(lk_set), n_members = 0;
    lk_set *sets = (lk_set *)lk->sets.data;
    for (size_t i = 0; i < ns; i++)
        if (st[i].set != SIZE_MAX) {
            sets[st[i].set].n_members++;
            n_members++;
        }
    if (rc == KH_OK && n_members)
        rc = kh_buf_reserve(&lk->members, n_members * sizeof(uint64_t));
    if (rc == KH_OK && n_members)
        rc = kh_buf_reserve(&lk->member_langs, n_members * sizeof(kh_lang));
    for (size_t t = 0, at = 0; rc == KH_OK && t < nsets; t++) {
        sets[t].member_off = at;
        at += sets[t].n_members;
        sets[t].n_members = 0;
    }
    if (rc == KH_OK) {
        uint64_t *mem = (uint64_t *)lk->members.data;
        kh_lang *langs = (kh_lang *)lk->member_langs.data;
        for (size_t k = 0; k < ns; k++) {
            const lk_story *m = &st[by_id[k]];
            if (m->set == SIZE_MAX)
                continue;
            lk_set *set = &sets[m->set];
            mem[set->member_off + set->n_members] = m->id;
            langs[set->member_off + set->n_members] = m->lang;
            set->n_members++;
        }
        lk->members.len = n_members * sizeof(uint64_t);
        lk->member_langs.len = n_members * sizeof(kh_lang);
    }
    for (size_t t = 0; rc == KH_OK && t < nsets; t++) {
        lk_set *set = &sets[t];
        set->names = kh_arena_alloc(lk->arena, WHY_MAX * sizeof *set->names);
        set->numbers = kh_arena_alloc(lk->arena, WHY_MAX * sizeof *set->numbers);
        set->dates = kh_arena_alloc(lk->arena, WHY_MAX * sizeof *set->dates);
        set->words = kh_arena_alloc(lk->arena, WHY_MAX * sizeof *set->words);
        if (!set->names || !set->numbers || !set->dates || !set->words)
            rc = KH_E_NOMEM;
    }
    /* why: the evidence of the set's edges, the best edges first */
    for (size_t e = 0; rc == KH_OK && e < ne; e++) {
        const lk_edge *ed = (const lk_edge *)lk->edges.data + e;
        lk_set *set = (lk_set *)lk->sets.data + st[ed->a].set;
        if (ed->score > set->score)
            set->score = ed->score;
        const uint64_t *k = (const uint64_t *)lk->edge_keys.data + ed->key_off;
        for (size_t j = 0; rc == KH_OK && j < ed->n_keys; j++) {
            unsigned kind = KEY_KIND(k[j]);
            char tmp[32];
            const char *text = NULL;
            if (kind == K_NAME || kind == K_PAIR) {
                text = shown_name(lk, &st[ed->a], k[j]);
                if (!text)
                    text = shown_name(lk, &st[ed->b], k[j]);
                why_add(set->names, &set->n_names, text);
                continue;
            }
            if (kind == K_WORD) {
                why_add(set->words, &set->n_words,
                        khi_bilex_text(lk->opt.lexicon, k[j] & (((uint64_t)1 << 61) - 1)));
                continue;
            }
            if (kind == K_NUMBER)
                snprintf(tmp, sizeof tmp, "%.15g", number_of_key(k[j]));
            else if (kind == K_DATE)
                snprintf(tmp, sizeof tmp, "--%02u-%02u", (unsigned)((k[j] >> 5) & 15),
                         (unsigned)(k[j] & 31));
            else
                snprintf(tmp, sizeof tmp, "%s", weekdays[k[j] & 7][1]);
            const char **list = kind == K_NUMBER ? set->numbers : set->dates;
            size_t *n = kind == K_NUMBER ? &set->n_numbers : &set->n_dates;
            int seen = 0;
            for (size_t x = 0; x < *n; x++) seen |= strcmp(list[x], tmp) == 0;
            if (seen || *n >= WHY_MAX)
                continue;
            text = kh_arena_strndup(lk->arena, tmp, strlen(tmp));
            if (!text)
                rc = KH_E_NOMEM;
            else
                why_add(list, n, text);
        }
    }
    return rc;
}

static const lk_story *story_by_id(const kh_linker *lk, uint64_t id)
{
    const lk_story *st = (const lk_story *)lk->stories.data;
    const size_t *by_id = (const size_t *)lk->by_id.data;
    size_t lo = 0, hi = lk->by_id.len / sizeof(size_t);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (st[by_id[mid]].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lk->by_id.len / sizeof(size_t) && st[by_id[lo]].id == id ? &st[by_id[lo]] : NULL;
}

kh_status kh_link_get(const kh_linker *lk, uint64_t story, kh_link_info *out)
{
    if (!lk || !out || !lk->ran)
        return KH_E_ARG;
    memset(out, 0, sizeof *out);
    const lk_story *s = story_by_id(lk, story);
    if (!s)
        return KH_E_ARG;
    if (s->set == SIZE_MAX)
        return KH_OK;
    const lk_set *set = (const lk_set *)lk->sets.data + s->set;
    out->set = set->id;
    out->stories = (const uint64_t *)lk->members.data + set->member_off;
    out->langs = (const kh_lang *)lk->member_langs.data + set->member_off;
    out->n_stories = set->n_members;
    out->score = set->score;
    out->names = set->names;
    out->n_names = set->n_names;
    out->numbers = set->numbers;
    out->n_numbers = set->n_numbers;
    out->dates = set->dates;
    out->n_dates = set->n_dates;
    out->words = set->words;
    out->n_words = set->n_words;
    return KH_OK;
}

const char *kh_link_headline(const kh_linker *lk, uint64_t story, kh_lang lang)
{
    if (!lk || !lk->ran)
        return NULL;
    const lk_story *s = story_by_id(lk, story);
    if (!s)
        return NULL;
    if (s->set == SIZE_MAX)
        return s->headline;
    const lk_story *best = NULL;
    const lk_story *st = (const lk_story *)lk->stories.data;
    /* the set's largest story in lang; failing that, its largest */
    for (int pass = 0; pass < 2 && !best; pass++)
        for (size_t i = 0; i < N_STORIES(lk); i++) {
            if (st[i].set != s->set || !st[i].headline)
                continue;
            if (pass == 0 && st[i].lang != lang)
                continue;
            if (!best || st[i].n_articles > best->n_articles)
                best = &st[i];
        }
    return best ? best->headline : s->headline;
}

kh_status kh_link_json(const kh_linker *lk, uint64_t story, kh_lang reader, kh_buf *out)
{
    kh_link_info info;
    KHI_FORWARD_IF_ERROR(kh_link_get(lk, story, &info));
    if (!info.set)
        return kh_buf_puts(out, "null");
    kh_status w = kh_buf_printf(out, "{\"set\": %llu, \"stories\": [",
                                (unsigned long long)info.set);
    for (size_t i = 0; w == KH_OK && i < info.n_stories; i++)
        w = kh_buf_printf(out, "%s%llu", i ? ", " : "", (unsigned long long)info.stories[i]);
    if (w == KH_OK)
        w = kh_buf_puts(out, "], \"langs\": [");
    /* the set's languages, each once, in the order of its stories */
    for (size_t i = 0, k = 0; w == KH_OK && i < info.n_stories; i++) {
        size_t j = 0;
        while (j < i && info.langs[j] != info.langs[i]) j++;
        if (j < i)
            continue;
        w = kh_buf_printf(out, "%s\"%s\"", k++ ? ", " : "", kh_lang_code(info.langs[i]));
    }
    const char *h = kh_link_headline(lk, story, reader);
    if (w == KH_OK)
        w = kh_buf_puts(out, "], \"headline\": ");
    if (w == KH_OK)
        w = h ? kh_buf_json_string(out, h, strlen(h)) : kh_buf_puts(out, "null");
    if (w == KH_OK)
        w = kh_buf_printf(out, ", \"score\": %.4f, \"why\": {", info.score);
    const char *const *lists[4] = { info.names, info.numbers, info.dates, info.words };
    size_t counts[4] = { info.n_names, info.n_numbers, info.n_dates, info.n_words };
    static const char *const labels[4] = { "names", "numbers", "dates", "words" };
    for (int l = 0; w == KH_OK && l < 4; l++) {
        w = kh_buf_printf(out, "%s\"%s\": [", l ? ", " : "", labels[l]);
        for (size_t i = 0; w == KH_OK && i < counts[l]; i++) {
            if (i)
                w = kh_buf_puts(out, ", ");
            if (w == KH_OK)
                w = kh_buf_json_string(out, lists[l][i], strlen(lists[l][i]));
        }
        if (w == KH_OK)
            w = kh_buf_puts(out, "]");
    }
    if (w == KH_OK)
        w = kh_buf_puts(out, "}}");
    return w;
}
