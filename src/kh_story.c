/*
 * kh_story.c — stories: online, time-aware grouping of the articles that
 * report the same event.
 *
 * Idea. Articles arrive in time order. Each becomes a sparse TF-IDF vector of
 * its stemmed, normalized terms (kh_tokenize with KH_TOK_STEM |
 * KH_TOK_SKIP_STOPWORDS), hashed to 64 bits, read from the title and the
 * first BODY_WORDS (300) words of the body: news tells the event first,
 * and the tail of a long report (background, boilerplate) cost most of the
 * tokenizing without better stories (story_eval: the same example stories,
 * generated B-cubed F1 0.836 -> 0.842). Its QUERY_TERMS heaviest
 * terms are looked up in an inverted index of the open stories' top
 * INDEX_TERMS centroid terms; the RERANK stories sharing the most query
 * weight are scored by full cosine with their centroids; it joins the best
 * story at or above the threshold, else it starts one. A story that receives nothing for a window closes: its index
 * entries and centroid are dropped, so memory follows the window, not the
 * stream. This is the single-pass clustering of the Europe Media Monitor
 * (Steinberger et al., "An introduction to the Europe Media Monitor family
 * of applications", 2009) and of Miranda et al., "Multilingual Clustering of
 * Streaming News" (EMNLP 2018): TF-IDF on separate fields, a time window,
 * one model per language; we keep their fields (title, body, names,
 * numbers) as weights instead of a learned combination.
 *
 * Score. cosine(article, centroid) * (1 - 0.5 * min(1, dt / window)) * e, dt
 * the time between the article and the nearest of the story's core (its
 * first CENTROID_ARTICLES dated articles): news
 * of one event comes in bursts, and the factor keeps a story from absorbing
 * a related event reported two days later in the same words (the port deal
 * and the flood in the same city). A centroid is the sum of its first
 * CENTROID_ARTICLES articles only: past that, articles join without moving
 * it, which slows the drift by which a long story turns into a topic; and a
 * story closes max_span (7 days) after its first article whatever joins it,
 * so a chain of look-alike reports (daily weather, prayer times) cannot hold
 * a story and its article list open for the whole stream. e is the event
 * factor (below).
 *
 * One term, one part. In the cosine each shared term adds at most
 * 1/sqrt(n), n the terms of the shorter vector (term_cap()): one rare name
 * that dominates both texts cannot carry a pair of different happenings of
 * the same actor (SemEval-2022 dev stories F1 ar 0.771 -> 0.806, all
 * languages 0.667 -> 0.687; SaudiNewsNet labelled days B-cubed 0.9184 ->
 * 0.9191).
 *
 * Evidence. The score is then multiplied by 0.6 for each way the texts
 * disagree on what they report (the event factor e): both name key numbers
 * in their title or first LEAD_WORDS words (years aside) and share none, or
 * both date what they report (a month name next to a number) and share no
 * month of one calendar. A story's numbers and months are those of its core
 * articles. Recurring reports share a template and differ in exactly these:
 * another day's market close, another well and victim, last month's toll.
 * Only a disagreement counts, never an absence, and it lowers a score
 * rather than vetoing it: other outlets round or omit figures, so a veto
 * (or a factor below 0.6) cost more true pairs on SemEval than it saved.
 * Measured with bench/semeval_eval and bench/snn_eval (bench/README.md).
 *
 * Threshold. 0.35, set on real labelled data, not on the examples: on
 * SemEval-2022's pairs (bench/semeval_eval) the pair score's best F1 lies at
 * 0.33-0.46 in every language, and at the old 0.18 more than half of the
 * different-event pairs scored above it; on the hand-labelled SaudiNewsNet
 * days (bench/snn_eval) B-cubed F1 goes from 0.750 at 0.18 to 0.913 at 0.35
 * and the share of the stream in stories of 20 or more from 26.6% to 2.4%.
 * The project's own examples, paraphrased harder than real outlets write,
 * lose recall (B-cubed F1 per language 0.98 -> 0.86).
 *
 * Weights. For a term with tf_b occurrences in the body and tf_t in the title
 *     w = idf * ((tf_b ? 1 + ln tf_b : 0) + title_boost * (tf_t > 0)) * f
 * where f is name_boost for Latin words written capitalized inside a sentence
 * (offices written before a name, President or Başkan, aside) and for the
 * two Arabic words after a title or honorific (الأمير, الدكتور),
 * and for the pair of two such words in a row ("Ashton Carter"), and
 * number_weight for numbers. idf = ln((N + N0) / (df + 1)) with N the
 * articles of that language seen and N0 = 64 pseudo-articles in which no
 * term occurred: with few articles seen every term counts as fairly rare
 * instead of as common.
 * Document frequencies live in a capped hash table; when it fills, every df
 * and N are halved and zeros dropped (an exponential decay by volume that
 * keeps the ratios idf is made of).
 *
 * Explaining. With opt.explain the storyer keeps, for the last article
 * added, why it went where it did (kh_story_why_last): the story it joined
 * or started, the deciding score and its factors, and the shared terms with
 * their part of the cosine, read as text (the first spelling of each term,
 * kept in a per-article buffer only when explaining). kh_story_similarity
 * scores one article against another as a one-article story, with the same
 * weights and the storyer's document frequencies, counting neither: the
 * pair score that bench/semeval_eval ranks against people's labels.
 *
 * Invariants.
 *  - Every open story has a slot; its top INDEX_TERMS centroid terms each
 *    have exactly one posting (term -> slot) in the inverted index, and no
 *    posting names a closed story.
 *  - A story's centroid is the sum of its first CENTROID_ARTICLES articles'
 *    unit vectors, cut to its centroid_terms heaviest terms, sorted by hash;
 *    norm is its L2 norm.
 *  - Article ids of open stories are in the id map (hash -> story id), so a
 *    copy finds its original's story; closing a story removes them.
 *  - Nothing depends on addresses or on hash-table order where it could
 *    change a result: candidates are scored in slot order and the best is
 *    chosen by (score, lower id).
 *
 * Packed data of one open story (centroid_terms = K, here K = 96):
 *
 *   terms   [u64 hash 0][u64 hash 1] ... [u64 hash K-1]   ascending
 *   weights [f32 w 0   ][f32 w 1   ] ... [f32 w K-1   ]   same order
 *   index   [u64 top-1 ] ... [u64 top-24]                  ascending, subset
 *   ids     "a1\0a2\0a3\0..."  with offsets [u32 0][u32 3][u32 6] ...
 *   keynum  [u32 low half of a number's term] ... up to 32, from its core
 *   months  u32: bits 0-11 Gregorian months, 12-23 Hijri, from its core
 *
 * A closed story kept for reading (keep_closed) keeps ids, dates and its 16
 * heaviest terms.
 */
#include "kh_text_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define PRIOR_DOCS 64.0      /* N0 in idf */
#define ARTICLE_TERMS 128    /* terms kept per article vector */
#define QUERY_TERMS 16       /* article terms looked up in the index */
#define CENTROID_ARTICLES 8 /* articles that shape a centroid; later ones only join */
#define TIME_DECAY 0.5     /* similarity lost at a window's distance */
#define LOG_TABLE 4096
#define RERANK 8            /* candidates that get the full cosine */
#define INDEX_TERMS 24       /* centroid terms posted in the index */
#define CLOSED_TERMS 16      /* centroid terms kept by a closed story */
#ifndef BODY_WORDS
#define BODY_WORDS 300       /* body words (stopwords aside) read per article */
#endif
#define MAX_DISTINCT 8192    /* distinct terms read per article */
#define SEEN_MIN 1024        /* slots of the article's term map in use at first */
#define MAX_ARTICLES (1u << 24) /* articles per story */
#define MAX_ID_BYTES ((size_t)1 << 30)
#define KEY_NUMBERS 16       /* key numbers kept per article */
#define STORY_KEY_NUMBERS 32 /* ... and per story, from its core articles */
#define LEAD_WORDS 60         /* body words whose numbers are key numbers */
#define KEY_MIN 2            /* key numbers each side needs before they can disagree */
#define EVIDENCE_CONFLICT 0.6 /* what a score keeps per disagreement: numbers, dates */
#define MONTH_NAMES 32       /* month names known per language */

/* ------------------------------------------------------------------ */
/* A map u64 -> u32, open addressing with linear probing; key 0 is "empty"
 * (a real 0 key is stored as 1). Deletion shifts back, so there are no
 * tombstones. */
typedef struct hmap {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap; /* power of two, or 0 */
    size_t n;
    size_t max_cap;
} hmap;

static uint64_t hm_key(uint64_t k) { return k ? k : 1; }

static size_t hm_home(const hmap *m, uint64_t k)
{
    return (size_t)((k ^ (k >> 31)) * 0x9E3779B97F4A7C15ull >> 7) & (m->cap - 1);
}

/* Asks for k's home slot ahead of its lookup: the df table and the index
 * are megabytes, and an article looks up hundreds of terms; with lookups
 * issued PREFETCH_AHEAD terms early their cache misses overlap. */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif
#define PREFETCH_AHEAD 16

static void hm_prefetch(const hmap *m, uint64_t k)
{
    if (m->cap) {
        size_t i = hm_home(m, hm_key(k));
        PREFETCH(&m->keys[i]);
        PREFETCH(&m->vals[i]);
    }
}

static void hm_free(kh_ctx *ctx, hmap *m)
{
    if (m->cap) {
        kh_free(ctx, m->keys, m->cap * sizeof *m->keys);
        kh_free(ctx, m->vals, m->cap * sizeof *m->vals);
    }
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->n = 0;
}

static uint32_t *hm_find(const hmap *m, uint64_t k)
{
    if (!m->cap)
        return NULL;
    k = hm_key(k);
    for (size_t i = hm_home(m, k);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == k)
            return &m->vals[i];
        if (!m->keys[i])
            return NULL;
    }
}

static void hm_put_raw(hmap *m, uint64_t k, uint32_t v)
{
    size_t i = hm_home(m, k);
    while (m->keys[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i])
        m->n++;
    m->keys[i] = k;
    m->vals[i] = v;
}

static kh_status hm_resize(kh_ctx *ctx, hmap *m, size_t cap)
{
    uint64_t *keys = kh_malloc(ctx, cap * sizeof *keys);
    uint32_t *vals = kh_malloc(ctx, cap * sizeof *vals);
    if (!keys || !vals) {
        kh_free(ctx, keys, cap * sizeof *keys);
        kh_free(ctx, vals, cap * sizeof *vals);
        return KH_E_NOMEM;
    }
    memset(keys, 0, cap * sizeof *keys);
    hmap old = *m;
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    m->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i])
            hm_put_raw(m, old.keys[i], old.vals[i]);
    hm_free(ctx, &old);
    return KH_OK;
}

/* Makes room for one more key. KH_E_TOOBIG when the map is at max_cap. */
static kh_status hm_reserve1(kh_ctx *ctx, hmap *m)
{
    if ((m->n + 1) * 10 <= m->cap * 7)
        return KH_OK;
    size_t cap = m->cap ? m->cap * 2 : 64;
    KHI_RETURN_IF(cap > m->max_cap, KH_E_TOOBIG);
    return hm_resize(ctx, m, cap);
}

static kh_status hm_put(kh_ctx *ctx, hmap *m, uint64_t k, uint32_t v)
{
    uint32_t *p = hm_find(m, k);
    if (p) {
        *p = v;
        return KH_OK;
    }
    KHI_FORWARD_IF_ERROR(hm_reserve1(ctx, m));
    hm_put_raw(m, hm_key(k), v);
    return KH_OK;
}

static void hm_erase(hmap *m, uint64_t k)
{
    if (!m->cap)
        return;
    k = hm_key(k);
    size_t mask = m->cap - 1, i = hm_home(m, k);
    while (m->keys[i] != k) {
        if (!m->keys[i])
            return;
        i = (i + 1) & mask;
    }
    /* Backward shift: pull later entries of the run into the hole when the
     * hole lies on their way from home. */
    for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
        if (!m->keys[j])
            break;
        size_t h = hm_home(m, m->keys[j]);
        if (((j - h) & mask) >= ((j - i) & mask)) {
            m->keys[i] = m->keys[j];
            m->vals[i] = m->vals[j];
            i = j;
        }
    }
    m->keys[i] = 0;
    m->n--;
}

/* ------------------------------------------------------------------ */

/* The earliest and latest of the times seen; set is 0 before the first. */
typedef struct time_range {
    int set;
    int64_t first, last;
} time_range;

static void range_widen(time_range *r, int64_t t)
{
    if (!r->set || t < r->first)
        r->first = t;
    if (!r->set || t > r->last)
        r->last = t;
    r->set = 1;
}

typedef struct story {
    uint64_t id;
    kh_lang lang;
    int open;
    time_range core;       /* times of its first CENTROID_ARTICLES articles,
                              estimates included: the time factor */
    time_range own;        /* own dates only: what kh_story_get reports */
    int64_t touched;       /* clock time of the last article: expiry */
    int64_t born;          /* clock time of the first article: max_span */
    uint32_t slot;
    uint32_t n_art, cap_art;
    uint32_t *id_off;      /* offsets into ids */
    uint64_t *id_hash;     /* open stories only */
    kh_buf ids;
    uint32_t n_terms, cap_terms;
    uint64_t *terms;
    float *weights;
    double norm;
    uint32_t n_index;
    uint64_t index[INDEX_TERMS];
    uint32_t n_keynum;
    uint32_t months;       /* month bits of its core articles' dates */
    uint32_t keynum[STORY_KEY_NUMBERS]; /* key numbers, the low half of their terms */
} story;

/* A term and its weight. */
typedef struct hw {
    uint64_t h;
    float w;
    uint32_t kind; /* KH_STORY_TERM_* of an article's term (in the padding) */
} hw;

/* What gathering candidates needs of an open story, packed by slot so a
 * posting costs one cache line and no visit to the story itself. */
typedef struct slot_state {
    int64_t touched;  /* the story's touched and born times */
    int64_t born;
    uint32_t mark;    /* last article that saw the slot */
    float acc;        /* summed query weight; < 0: not a candidate */
    kh_lang lang;
} slot_state;

typedef struct posting {
    uint32_t *slots;
    uint32_t n, cap;
} posting;

/* One term of the article being added. */
typedef struct aterm {
    uint64_t hash;
    uint32_t tf_title, tf_body;
    uint32_t df;            /* document frequency, this article counted */
    unsigned name : 1, number : 1;
    uint32_t text_off;      /* the term as read, in texts (record_text only) */
    uint32_t text_len;
} aterm;

#define TEXTS_CAP (64u * 1024) /* bytes of term text kept per article when explaining */

struct kh_storyer {
    kh_ctx *ctx;
    kh_story_options opt;
    kh_tokenizer *tok;

    double n_docs[KH_LANG_COUNT_]; /* N per language, decayed with df */
    kh_lang lang;            /* of the article being added */
    hmap df;                 /* term -> document frequency */

    story **slots;           /* open stories; NULL = free slot */
    uint32_t n_slots, cap_slots;
    uint32_t *free_slots;
    uint32_t n_free;

    story **all;             /* by id - 1, when keep_closed */
    uint64_t n_stories;
    size_t cap_all;

    hmap index;              /* term -> posting number */
    posting *postings;
    uint32_t n_postings, cap_postings;
    uint32_t *free_postings;
    uint32_t n_free_postings, cap_free;

    hmap ids;                /* article id hash -> story slot (open stories) */

    int have_clock;          /* now runs: from dates, or from input order */
    int dated_clock;         /* ... from dates: some article had one */
    int df_frozen;           /* kh_story_observe() counted the batch ahead */
    int64_t now, last_sweep;
    const story *closing;    /* the story on_close is called for, found at once */

    /* scratch for one article */
    hmap seen;               /* term hash -> index in terms; cap is the part in use */
    size_t seen_alloc;       /* slots allocated for seen */
    uint64_t title_filter[4]; /* ar_title_filter() */
    aterm *terms;
    uint32_t n_terms;
    uint32_t keynum[KEY_NUMBERS]; /* the article's key numbers, as a story keeps them */
    uint32_t n_keynum;
    uint32_t months;         /* the article's dated months (month_names' bits) */
    /* month names per language, as terms: read on the language's first article */
    uint64_t month_hash[KH_LANG_COUNT_][MONTH_NAMES];
    uint8_t month_of[KH_LANG_COUNT_][MONTH_NAMES];
    uint8_t n_months[KH_LANG_COUNT_];
    uint8_t months_read[KH_LANG_COUNT_];
    slot_state *sx;          /* per slot: what candidate gathering reads */
    double log_table[LOG_TABLE]; /* ln(x + 1) */
    uint32_t mark;
    uint32_t *cands;
    hw *weighed;             /* weigh(): 2 * MAX_DISTINCT pairs */
    uint64_t qhash[ARTICLE_TERMS];
    float qw[ARTICLE_TERMS];
    uint32_t nq;
    uint8_t qkind[ARTICLE_TERMS]; /* KH_STORY_TERM_NAME / _NUMBER of qhash[i] */
    hw query[QUERY_TERMS];   /* heaviest first, raw weights */
    uint32_t n_query;
    hw merge[2 * (1024 + ARTICLE_TERMS)]; /* centroid_add: centroid + article, twice */

    /* explaining: the text of the article's terms, and the last decision */
    int record_text;
    char *texts;             /* TEXTS_CAP bytes, when explain or similarity asked */
    uint32_t texts_len;
    int why_set;
    kh_story_why why;
};

void kh_story_options_init(kh_story_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->window = 72 * 3600;
    opt->threshold = 0.35;
    opt->centroid_terms = 96;
    opt->title_boost = 2.0;
    opt->name_boost = 1.5;
    opt->number_weight = 0.3;
    opt->df_capacity = (size_t)1 << 18;
    opt->keep_closed = 1;
    opt->max_span = 7 * 86400;
    opt->undated_step = opt->window / 4096;
}

uint64_t kh_story_term_hash(kh_lang lang, const char *token, size_t token_len)
{
    return XXH3_64bits_withSeed(token, token_len, 0x6b68u + (uint64_t)lang);
}

/* ------------------------------------------------------------------ */
/* Dates */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, size_t len, size_t at, size_t n, int *out)
{
    if (at + n > len)
        return 0;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[at + i] < '0' || s[at + i] > '9')
            return 0;
        v = v * 10 + (s[at + i] - '0');
    }
    *out = v;
    return 1;
}

kh_status kh_story_parse_date(const char *text, size_t text_len, int64_t *time)
{
    int y, mo, d, h = 0, mi = 0, s = 0;
    KHI_RETURN_IF(!text || !time, KH_E_ARG);
    while (text_len && (text[text_len - 1] == ' ' || text[text_len - 1] == '\n'))
        text_len--;
    if (!digits(text, text_len, 0, 4, &y) || text_len < 10 || text[4] != '-' ||
        !digits(text, text_len, 5, 2, &mo) || text[7] != '-' || !digits(text, text_len, 8, 2, &d))
        return KH_E_ARG;
    static const unsigned char mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return KH_E_ARG;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return KH_E_ARG;
    size_t i = 10;
    int64_t offset = 0;
    if (i < text_len && (text[i] == 'T' || text[i] == ' ')) {
        if (!digits(text, text_len, i + 1, 2, &h) || i + 3 >= text_len || text[i + 3] != ':' ||
            !digits(text, text_len, i + 4, 2, &mi))
            return KH_E_ARG;
        i += 6;
        if (i < text_len && text[i] == ':') {
            if (!digits(text, text_len, i + 1, 2, &s))
                return KH_E_ARG;
            i += 3;
            if (i < text_len && text[i] == '.') {
                i++;
                while (i < text_len && text[i] >= '0' && text[i] <= '9')
                    i++;
            }
        }
        if (h > 23 || mi > 59 || s > 60)
            return KH_E_ARG;
        if (i < text_len && text[i] == 'Z') {
            i++;
        } else if (i < text_len && (text[i] == '+' || text[i] == '-')) {
            int oh, om = 0;
            if (!digits(text, text_len, i + 1, 2, &oh))
                return KH_E_ARG;
            size_t j = i + 3;
            if (j < text_len && text[j] == ':')
                j++;
            if (digits(text, text_len, j, 2, &om))
                j += 2;
            if (oh > 23 || om > 59)
                return KH_E_ARG;
            offset = (int64_t)(oh * 3600 + om * 60) * (text[i] == '-' ? -1 : 1);
            i = j;
        }
    }
    if (i != text_len)
        return KH_E_ARG;
    *time = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s -
            offset;
    return KH_OK;
}

/* ------------------------------------------------------------------ */
/* Creation and release */

static void ar_title_filter(uint64_t f[4]);

kh_status kh_storyer_create(kh_ctx *ctx, const kh_story_options *opt, kh_storyer **out)
{
    KHI_RETURN_IF(!out, KH_E_ARG);
    *out = NULL;
    KHI_RETURN_IF(!ctx, KH_E_ARG);
    kh_story_options o;
    if (opt)
        o = *opt;
    else
        kh_story_options_init(&o);
    if (o.window <= 0 || o.max_span < 0 || o.undated_step < 0 || !(o.threshold >= 0.0 && o.threshold <= 1.0) ||
        o.centroid_terms < CLOSED_TERMS || o.centroid_terms > 1024 || !(o.title_boost >= 0) ||
        !(o.name_boost > 0) || !(o.number_weight >= 0) || o.df_capacity < 1024)
        return kh_ctx_error(ctx, KH_E_ARG, "story options out of range");
    kh_storyer *st = kh_malloc(ctx, sizeof *st);
    KHI_RETURN_IF(!st, KH_E_NOMEM);
    memset(st, 0, sizeof *st);
    st->ctx = ctx;
    st->opt = o;
    ar_title_filter(st->title_filter);
    for (uint32_t i = 0; i < LOG_TABLE; i++)
        st->log_table[i] = log((double)i + 1.0);
    size_t dfcap = 1024;
    while (dfcap < o.df_capacity)
        dfcap *= 2;
    st->df.max_cap = dfcap * 2; /* kept below 0.7 load by decay */
    st->index.max_cap = (size_t)1 << 30;
    st->ids.max_cap = (size_t)1 << 30;
    st->seen.max_cap = MAX_DISTINCT * 2;
    st->terms = kh_malloc(ctx, MAX_DISTINCT * sizeof *st->terms);
    st->weighed = kh_malloc(ctx, 2 * MAX_DISTINCT * sizeof *st->weighed);
    if (o.explain) {
        st->texts = kh_malloc(ctx, TEXTS_CAP);
        st->record_text = 1;
    }
    kh_status rc = st->terms && st->weighed && (st->texts || !o.explain)
                       ? kh_tokenizer_create(ctx, &st->tok)
                       : KH_E_NOMEM;
    if (rc == KH_OK)
        rc = hm_resize(ctx, &st->seen, MAX_DISTINCT * 2);
    if (rc == KH_OK) {
        st->seen.cap = SEEN_MIN; /* the rest of the table is zero too */
        st->seen_alloc = MAX_DISTINCT * 2;
    }
    if (rc != KH_OK) {
        kh_storyer_free(st);
        return rc;
    }
    *out = st;
    return KH_OK;
}

static void story_free(kh_ctx *ctx, story *s)
{
    if (!s)
        return;
    kh_free(ctx, s->id_off, s->cap_art * sizeof *s->id_off);
    kh_free(ctx, s->id_hash, s->cap_art * sizeof *s->id_hash);
    kh_buf_free(&s->ids);
    kh_free(ctx, s->terms, s->cap_terms * sizeof *s->terms);
    kh_free(ctx, s->weights, s->cap_terms * sizeof *s->weights);
    kh_free(ctx, s, sizeof *s);
}

void kh_storyer_free(kh_storyer *st)
{
    if (!st)
        return;
    kh_ctx *ctx = st->ctx;
    if (st->all) {
        for (uint64_t i = 0; i < st->n_stories; i++)
            story_free(ctx, st->all[i]);
        kh_free(ctx, st->all, st->cap_all * sizeof *st->all);
    } else {
        for (uint32_t i = 0; i < st->n_slots; i++)
            story_free(ctx, st->slots[i]);
    }
    kh_free(ctx, st->slots, st->cap_slots * sizeof *st->slots);
    kh_free(ctx, st->free_slots, st->cap_slots * sizeof *st->free_slots);
    kh_free(ctx, st->sx, st->cap_slots * sizeof *st->sx);
    kh_free(ctx, st->cands, st->cap_slots * sizeof *st->cands);
    for (uint32_t i = 0; i < st->n_postings; i++)
        kh_free(ctx, st->postings[i].slots, st->postings[i].cap * sizeof(uint32_t));
    kh_free(ctx, st->postings, st->cap_postings * sizeof *st->postings);
    kh_free(ctx, st->free_postings, st->cap_free * sizeof *st->free_postings);
    hm_free(ctx, &st->df);
    hm_free(ctx, &st->index);
    hm_free(ctx, &st->ids);
    if (st->seen_alloc)
        st->seen.cap = st->seen_alloc;
    hm_free(ctx, &st->seen);
    kh_free(ctx, st->terms, MAX_DISTINCT * sizeof *st->terms);
    kh_free(ctx, st->weighed, 2 * MAX_DISTINCT * sizeof *st->weighed);
    kh_free(ctx, st->texts, st->texts ? TEXTS_CAP : 0);
    kh_tokenizer_free(st->tok);
    kh_free(ctx, st, sizeof *st);
}

/* ------------------------------------------------------------------ */
/* Document frequencies */

/* Halves every df and N, dropping terms that reach zero, until the table is
 * at most half full. */
static kh_status df_decay(kh_storyer *st)
{
    hmap *m = &st->df;
    while (m->n * 2 > m->max_cap / 2) {
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i])
                m->vals[i] /= 2;
        for (int l = 0; l < KH_LANG_COUNT_; l++)
            st->n_docs[l] /= 2;
        /* Rebuild without the zeros, at the same capacity. */
        hmap fresh = { NULL, NULL, 0, 0, m->max_cap };
        KHI_FORWARD_IF_ERROR(hm_resize(st->ctx, &fresh, m->cap));
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i] && m->vals[i])
                hm_put_raw(&fresh, m->keys[i], m->vals[i]);
        hm_free(st->ctx, m);
        *m = fresh;
    }
    return KH_OK;
}

static kh_status df_count(kh_storyer *st)
{
    if ((st->df.n + st->n_terms) * 10 > st->df.max_cap * 7)
        KHI_FORWARD_IF_ERROR(df_decay(st));
    for (uint32_t i = 0; i < st->n_terms && i < PREFETCH_AHEAD; i++)
        hm_prefetch(&st->df, st->terms[i].hash);
    for (uint32_t i = 0; i < st->n_terms; i++) {
        if (i + PREFETCH_AHEAD < st->n_terms)
            hm_prefetch(&st->df, st->terms[i + PREFETCH_AHEAD].hash);
        uint32_t *p = hm_find(&st->df, st->terms[i].hash);
        if (p) {
            if (*p < UINT32_MAX)
                (*p)++;
            st->terms[i].df = *p;
        } else {
            KHI_FORWARD_IF_ERROR(hm_put(st->ctx, &st->df, st->terms[i].hash, 1));
            st->terms[i].df = 1;
        }
    }
    st->n_docs[st->lang] += 1;
    return KH_OK;
}

/* ln(x + 1) for small integers from a table, else from libm. */
static double ln1p_count(const kh_storyer *st, uint32_t x)
{
    return x < LOG_TABLE ? st->log_table[x] : log((double)x + 1.0);
}

/* idf = ln(N + N0) - ln(df + 1); log_n is the first term, once per article. */
static double idf(const kh_storyer *st, double log_n, uint32_t df)
{
    return log_n - ln1p_count(st, df);
}

/* ------------------------------------------------------------------ */
/* Reading an article's terms */

typedef struct tok_state {
    kh_storyer *st;
    kh_lang lang;
    const char *text;
    int title;
    uint32_t body_words;  /* body words read, up to BODY_WORDS */
    kh_status rc;
    uint64_t prev_name; /* hash of the previous token when it was a name */
    const aterm *prev_term; /* ... and its term */
    size_t prev_end;
    int name_run;       /* Arabic: words still to read as a name after a title */
    int prev_number;    /* the previous word was a number */
    uint64_t prev_word; /* ... its term, 0 at the start of a field */
    size_t key_start;   /* Turkish: where the word of key[] starts */
    size_t key_len;     /* ... its key's length, 0 when none is kept */
    char key[64];       /* ... the key of the word being read, before its stem */
} tok_state;

/* Arabic has no capitals; a person's name follows a title or an honorific
 * ("الأمير خالد الفيصل", "الدكتور توفيق الربيعة"): the two words after one
 * are read as a name. Matched on the words as written. */
#define TITLE_WORD(lit) { lit, sizeof lit - 1 }
static const struct {
    const char *text;
    size_t len;
} ar_titles[] = {
    TITLE_WORD("الرئيس"), TITLE_WORD("الملك"), TITLE_WORD("الأمير"), TITLE_WORD("الامير"),
    TITLE_WORD("الشيخ"), TITLE_WORD("السيد"), TITLE_WORD("السيدة"), TITLE_WORD("الدكتور"),
    TITLE_WORD("الدكتورة"), TITLE_WORD("المهندس"), TITLE_WORD("اللواء"), TITLE_WORD("العميد"),
    TITLE_WORD("العقيد"), TITLE_WORD("الفريق"), TITLE_WORD("سمو"), TITLE_WORD("معالي"),
    TITLE_WORD("فضيلة"), TITLE_WORD("الإمام"), TITLE_WORD("الرئيسة"),
};

static int match_ar_title(const char *word, size_t len)
{
    for (size_t i = 0; i < sizeof ar_titles / sizeof ar_titles[0]; i++)
        if (ar_titles[i].len == len && ar_titles[i].text[len - 1] == word[len - 1] &&
            ar_titles[i].text[2] == word[2] && memcmp(ar_titles[i].text, word, len) == 0)
            return 1;
    return 0;
}

/* A 256-bit filter over (length, last two letters) of the titles as
 * written, bare or after و or ل (two bytes longer): most words fail it and
 * skip the list. Words here are at least 6 bytes. */
static unsigned title_bit(size_t len, const char *word)
{
    return (unsigned)(len * 7 + (unsigned char)word[len - 1] * 3 + (unsigned char)word[len - 3]) &
           255;
}

static void ar_title_filter(uint64_t f[4])
{
    memset(f, 0, 4 * sizeof *f);
    for (size_t i = 0; i < sizeof ar_titles / sizeof ar_titles[0]; i++) {
        unsigned b = title_bit(ar_titles[i].len, ar_titles[i].text), p = (b + 14) & 255;
        f[b >> 6] |= (uint64_t)1 << (b & 63);
        f[p >> 6] |= (uint64_t)1 << (p & 63);
    }
}

static int is_ar_title(const uint64_t *filter, const char *word, size_t len)
{
    if (len < 6 || len > 20 || (unsigned char)word[0] < 0xD8 || (unsigned char)word[0] > 0xD9)
        return 0;
    unsigned b = title_bit(len, word);
    if (!((filter[b >> 6] >> (b & 63)) & 1))
        return 0;
    /* a leading و (and) or ل (to) is part of the word as written */
    if ((unsigned char)word[0] == 0xD9 &&
        ((unsigned char)word[1] == 0x88 || (unsigned char)word[1] == 0x84) &&
        match_ar_title(word + 2, len - 2))
        return 1;
    return match_ar_title(word, len);
}

static int is_space_or_quote(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '(' || c == '[';
}

/* A Latin word written capitalized where capitals are not forced: not at
 * the start of the text or of a sentence, and not a word in all caps. */
/* Latin-script offices and honorifics written capitalized before a name
 * ("President Macron", "Başkan Ataç", "Princess Mary"): capitalized, they
 * would read as names and make a pair with the name that follows, which
 * would count the name twice. As with the Arabic titles above, the office
 * is no name: it stays a word of the text, with no name weight and no
 * pair. Matched on the word as written. */
static const struct {
    const char *text;
    size_t len;
} latin_titles[] = {
    /* en */
    TITLE_WORD("President"), TITLE_WORD("Prime"), TITLE_WORD("Minister"), TITLE_WORD("Governor"),
    TITLE_WORD("King"), TITLE_WORD("Queen"), TITLE_WORD("Prince"), TITLE_WORD("Princess"),
    TITLE_WORD("Crown"), TITLE_WORD("Mayor"), TITLE_WORD("Senator"), TITLE_WORD("Secretary"),
    TITLE_WORD("General"), TITLE_WORD("Sheikh"),
    /* es, pt, it */
    TITLE_WORD("Presidente"), TITLE_WORD("Presidenta"), TITLE_WORD("Ministro"), TITLE_WORD("Ministra"),
    TITLE_WORD("Alcalde"), TITLE_WORD("Alcaldesa"), TITLE_WORD("Gobernador"), TITLE_WORD("Senador"),
    TITLE_WORD("Rey"), TITLE_WORD("Reina"), TITLE_WORD("Príncipe"), TITLE_WORD("Princesa"),
    /* fr */
    TITLE_WORD("Président"), TITLE_WORD("Présidente"), TITLE_WORD("Ministre"), TITLE_WORD("Maire"),
    TITLE_WORD("Gouverneur"), TITLE_WORD("Préfet"), TITLE_WORD("Roi"), TITLE_WORD("Reine"),
    TITLE_WORD("Princesse"),
    /* tr */
    TITLE_WORD("Başkan"), TITLE_WORD("Başkanı"), TITLE_WORD("Bakan"), TITLE_WORD("Bakanı"),
    TITLE_WORD("Cumhurbaşkanı"), TITLE_WORD("Vali"), TITLE_WORD("Valisi"),
};

static int is_latin_title(const char *word, size_t len)
{
    for (size_t i = 0; i < sizeof latin_titles / sizeof latin_titles[0]; i++)
        if (latin_titles[i].len == len && memcmp(latin_titles[i].text, word, len) == 0)
            return 1;
    return 0;
}

static int is_name(const char *text, size_t start, size_t end)
{
    unsigned char c = (unsigned char)text[start];
    if (c < 'A' || c > 'Z')
        return 0;
    if (end - start >= 2 && text[start + 1] >= 'A' && text[start + 1] <= 'Z')
        return 0;
    if (is_latin_title(text + start, end - start))
        return 0;
    size_t i = start;
    while (i > 0 && is_space_or_quote((unsigned char)text[i - 1]))
        i--;
    if (i == 0)
        return 0;
    unsigned char p = (unsigned char)text[i - 1];
    if (p == '.' || p == '!' || p == '?' || p == '\n' || p == ':')
        return 0;
    if (i >= 2 && (unsigned char)text[i - 2] == 0xD8 && p == 0x9F) /* ؟ */
        return 0;
    return 1;
}

/* The article's term map works in the first SEEN_MIN slots of its table
 * (L1-sized: most articles have a few hundred terms) and doubles, up to
 * the whole table, when half full; read_terms shrinks it back. */
static void seen_grow(kh_storyer *st)
{
    hmap *m = &st->seen;
    memset(m->keys, 0, m->cap * sizeof *m->keys);
    m->cap *= 2;
    m->n = 0;
    for (uint32_t i = 0; i < st->n_terms; i++)
        hm_put_raw(m, hm_key(st->terms[i].hash), i);
}

static aterm *term_slot(tok_state *ts, uint64_t h)
{
    kh_storyer *st = ts->st;
    uint32_t *p = hm_find(&st->seen, h);
    if (p)
        return &st->terms[*p];
    if (st->n_terms >= MAX_DISTINCT)
        return NULL;
    if (st->seen.n * 2 >= st->seen.cap && st->seen.cap < st->seen.max_cap)
        seen_grow(st);
    hm_put_raw(&st->seen, hm_key(h), st->n_terms);
    aterm *t = &st->terms[st->n_terms++];
    memset(t, 0, sizeof *t);
    t->hash = h;
    return t;
}

/* Keeps the term's text (a, then " " b when b is given) the first time it
 * is read, for explanations; past TEXTS_CAP a term has no text. */
static void term_text(kh_storyer *st, aterm *t, const char *a, size_t a_len, const char *b,
                      size_t b_len)
{
    if (!st->record_text || t->tf_title || t->tf_body)
        return;
    size_t need = a_len + (b ? 1 + b_len : 0);
    if (need > 64 || st->texts_len + need > TEXTS_CAP)
        return;
    char *p = st->texts + st->texts_len;
    memcpy(p, a, a_len);
    if (b) {
        p[a_len] = ' ';
        memcpy(p + a_len + 1, b, b_len);
    }
    t->text_off = st->texts_len;
    t->text_len = (uint32_t)need;
    st->texts_len += (uint32_t)need;
}

static void term_add(tok_state *ts, aterm *t)
{
    if (!t)
        return;
    if (ts->title)
        t->tf_title++;
    else
        t->tf_body++;
}

/* Dates in the text. A month name next to a number ("23 de enero",
 * "January 23", "17 شوال") dates what the article reports; two reports that
 * both date themselves, in one calendar, and share no month tell of
 * different happenings (last February's figures and this March's). Each
 * calendar has 12 bits of a month set: Gregorian names 0-11, Hijri 12-23.
 * Names are kept as the terms the tokenizer makes of them, so they match
 * however the text inflects or spells them as far as the stemmer folds it. */
typedef struct month_name {
    kh_lang lang;
    uint8_t bit; /* calendar * 12 + month */
    const char *text;
} month_name;

#define GREGORIAN(l, a, b, c, d, e, f, g, h, i, j, k, m)                                           \
    { l, 0, a }, { l, 1, b }, { l, 2, c }, { l, 3, d }, { l, 4, e }, { l, 5, f }, { l, 6, g },       \
        { l, 7, h }, { l, 8, i }, { l, 9, j }, { l, 10, k }, { l, 11, m }
static const month_name month_names[] = {
    GREGORIAN(KH_LANG_EN, "january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december"),
    GREGORIAN(KH_LANG_FR, "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"),
    GREGORIAN(KH_LANG_ES, "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre"),
    GREGORIAN(KH_LANG_DE, "januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
              "september", "oktober", "november", "dezember"),
    GREGORIAN(KH_LANG_IT, "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
              "agosto", "settembre", "ottobre", "novembre", "dicembre"),
    GREGORIAN(KH_LANG_PT, "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
              "agosto", "setembro", "outubro", "novembro", "dezembro"),
    GREGORIAN(KH_LANG_TR, "ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos",
              "eylül", "ekim", "kasım", "aralık"),
    GREGORIAN(KH_LANG_AR, "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
              "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
    /* the Levantine names written in one word, then the Hijri months
     * (صفر, also "zero", is left out; the two Rabi' and the two Jumada
     * share a bit, as the second word tells them apart) */
    { KH_LANG_AR, 1, "شباط" }, { KH_LANG_AR, 2, "آذار" }, { KH_LANG_AR, 3, "نيسان" },
    { KH_LANG_AR, 4, "أيار" }, { KH_LANG_AR, 5, "حزيران" }, { KH_LANG_AR, 6, "تموز" },
    { KH_LANG_AR, 7, "آب" }, { KH_LANG_AR, 8, "أيلول" },
    { KH_LANG_AR, 12, "محرم" }, { KH_LANG_AR, 14, "ربيع" }, { KH_LANG_AR, 16, "جمادى" },
    { KH_LANG_AR, 18, "رجب" }, { KH_LANG_AR, 19, "شعبان" }, { KH_LANG_AR, 20, "رمضان" },
    { KH_LANG_AR, 21, "شوال" }, { KH_LANG_AR, 22, "القعدة" }, { KH_LANG_AR, 23, "الحجة" },
};
#define N_MONTH_NAMES (sizeof month_names / sizeof month_names[0])
/* Arabic has the most names (12 + 8 + 9; the seven other languages 12
 * each), and read_months() keeps no more than MONTH_NAMES of one language. */
_Static_assert(N_MONTH_NAMES - 7 * 12 <= MONTH_NAMES, "MONTH_NAMES too small for Arabic");
#define CALENDAR_BITS 0xFFFu

typedef struct month_read {
    kh_lang lang;
    uint64_t hash;
    int n;
} month_read;

static int on_month_token(void *user, unsigned flags, const char *token, size_t token_len,
                          size_t start, size_t end)
{
    (void)flags;
    (void)start;
    (void)end;
    month_read *m = user;
    if (!m->n++)
        m->hash = kh_story_term_hash(m->lang, token, token_len);
    return 0;
}

/* Reads lang's month names into terms, on its first article: stemmed by
 * the tokenizer the text goes through, so they are the terms the text
 * makes. On failure (no memory for a stemmer) none is kept, and the next
 * article tries again, so a result never depends on an allocation. */
static kh_status read_months(kh_storyer *st, kh_lang lang)
{
    st->n_months[lang] = 0;
    for (size_t i = 0; i < N_MONTH_NAMES && st->n_months[lang] < MONTH_NAMES; i++) {
        if (month_names[i].lang != lang)
            continue;
        month_read m = { lang, 0, 0 };
        kh_status rc = kh_tokenize(st->tok, lang, month_names[i].text,
                                   strlen(month_names[i].text), KH_TOK_STEM, on_month_token, &m);
        if (rc != KH_OK) {
            st->n_months[lang] = 0;
            return rc;
        }
        if (m.n != 1)
            continue;
        st->month_hash[lang][st->n_months[lang]] = m.hash;
        st->month_of[lang][st->n_months[lang]++] = (uint8_t)(month_names[i].bit + 1);
    }
    st->months_read[lang] = 1;
    return KH_OK;
}

/* @return the month bit + 1 of the term h in lang, or 0. */
static int month_of(const kh_storyer *st, kh_lang lang, uint64_t h)
{
    for (uint32_t i = 0; i < st->n_months[lang]; i++)
        if (st->month_hash[lang][i] == h)
            return st->month_of[lang][i];
    return 0;
}

/* A number that tells one report from another of the same kind: not a
 * year (Gregorian or Hijri), which every report of a season shares. */
static int is_key_number(const char *token, size_t token_len)
{
    if (token_len == 4 && ((token[0] == '1' && (token[1] == '9' || token[1] == '3' || token[1] == '4')) ||
                           (token[0] == '2' && token[1] == '0')))
        return 0;
    return 1;
}

static void keynum_add(uint32_t *set, uint32_t *n, uint32_t cap, uint32_t h)
{
    for (uint32_t i = 0; i < *n; i++)
        if (set[i] == h)
            return;
    if (*n < cap)
        set[(*n)++] = h;
}

/* 1 when the word at text[start] follows an apostrophe inside a word: in
 * Turkish that is a proper name's case ending (Ankara'da, Erdoğan'ın),
 * which tells nothing of the event. */
static int after_apostrophe(const char *text, size_t start)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t a = start >= 1 && t[start - 1] == '\'' ? 1
               : start >= 3 && t[start - 3] == 0xE2 && t[start - 2] == 0x80 && t[start - 1] == 0x99 ? 3
                                                                                          : 0;
    if (!a || start == a)
        return 0;
    unsigned char c = t[start - a - 1];
    return c >= 0x80 || (unsigned)((c | 0x20) - 'a') < 26u;
}

static int on_token(void *user, unsigned flags, const char *token, size_t token_len,
                    size_t start, size_t end)
{
    tok_state *ts = user;
    if (flags & KHI_TOKEN_KEY) {
        /* Turkish: the word's key comes before its stem. Snowball's Turkish
         * stemmer leaves one letter of some words (Fındık -> f, Cuma -> c,
         * günü -> g), which would lose the word; the key stands in then. */
        ts->key_len = 0;
        if (!(flags & (KH_TOKEN_STOPWORD | KH_TOKEN_NUMBER)) && token_len <= sizeof ts->key) {
            memcpy(ts->key, token, token_len);
            ts->key_len = token_len;
            ts->key_start = start;
        }
        return 0;
    }
    if (flags & (KH_TOKEN_STOPWORD | KH_TOKEN_COLOCATED))
        return 0;
    if (ts->lang == KH_LANG_TR && after_apostrophe(ts->text, start))
        return 0;
    int after_title = 0;
    if (ts->lang == KH_LANG_AR) {
        if (ts->name_run > 0) {
            after_title = 1;
            for (size_t i = ts->prev_end; i < start; i++)
                after_title &= ts->text[i] == ' ';
            ts->name_run = after_title ? ts->name_run - 1 : 0;
        }
        if (is_ar_title(ts->st->title_filter, ts->text + start, end - start)) {
            ts->name_run = 2;
            ts->prev_name = 0;
            ts->prev_end = end;
            return 0; /* the title itself is no feature of the event */
        }
    }
    if (!ts->title && ++ts->body_words > BODY_WORDS)
        return 1; /* the rest of the body adds tokenizing, not the event */
    /* One-letter words carry no event; a one-digit day still dates it
     * ("8 de abril", "January 5"). */
    size_t cps = 0;
    for (size_t i = 0; i < token_len; i++)
        cps += ((unsigned char)token[i] & 0xC0) != 0x80;
    if (cps < 2 && ts->key_len > token_len && ts->key_start == start) {
        token = ts->key;
        token_len = ts->key_len;
        cps = 2;
    }
    if (cps < 2) {
        int number = (flags & KH_TOKEN_NUMBER) != 0;
        if (number && ts->prev_word && !ts->prev_number) {
            int m = month_of(ts->st, ts->lang, ts->prev_word);
            if (m)
                ts->st->months |= 1u << (m - 1);
        }
        ts->prev_number = number;
        ts->prev_word = 0;
        return 0;
    }
    uint64_t h = kh_story_term_hash(ts->lang, token, token_len);
    aterm *t = term_slot(ts, h);
    if (!t)
        return 0;
    term_text(ts->st, t, token, token_len, NULL, 0);
    term_add(ts, t);
    /* A month next to a number, either side; looked up only there. */
    if ((flags & KH_TOKEN_NUMBER) && ts->prev_word && !ts->prev_number) {
        int m = month_of(ts->st, ts->lang, ts->prev_word);
        if (m)
            ts->st->months |= 1u << (m - 1);
    } else if (!(flags & KH_TOKEN_NUMBER) && ts->prev_number) {
        int m = month_of(ts->st, ts->lang, h);
        if (m)
            ts->st->months |= 1u << (m - 1);
    }
    ts->prev_number = (flags & KH_TOKEN_NUMBER) != 0;
    ts->prev_word = h;
    if (flags & KH_TOKEN_NUMBER) {
        t->number = 1;
        if ((ts->title || ts->body_words <= LEAD_WORDS) && is_key_number(token, token_len))
            keynum_add(ts->st->keynum, &ts->st->n_keynum, KEY_NUMBERS, (uint32_t)h);
    }
    if (after_title || is_name(ts->text, start, end)) {
        t->name = 1;
        if (ts->prev_name) {
            int adjacent = 1;
            for (size_t i = ts->prev_end; i < start; i++)
                adjacent &= ts->text[i] == ' ';
            if (adjacent) {
                aterm *pair = term_slot(ts, ts->prev_name * 0x9E3779B97F4A7C15ull ^ h);
                if (pair) {
                    const aterm *p = ts->prev_term;
                    if (p && p->text_len)
                        term_text(ts->st, pair, ts->st->texts + p->text_off, p->text_len, token,
                                  token_len);
                    term_add(ts, pair);
                    pair->name = 1;
                }
            }
        }
        ts->prev_name = h;
        ts->prev_term = t;
    } else {
        ts->prev_name = 0;
    }
    ts->prev_end = end;
    return 0;
}

static kh_status read_terms(kh_storyer *st, kh_lang lang, const kh_story_article *a)
{
    st->n_terms = 0;
    st->n_keynum = 0;
    st->months = 0;
    st->texts_len = 0;
    tok_state ts = { st, lang, NULL, 0, 0, KH_OK, 0, NULL, 0, 0, 0, 0, 0, 0, { 0 } };
    kh_status rc = st->months_read[lang] ? KH_OK : read_months(st, lang);
    if (rc != KH_OK)
        return rc;
    unsigned opts = KH_TOK_STEM | KH_TOK_SKIP_STOPWORDS;
    if (lang == KH_LANG_TR)
        opts |= KHI_TOK_KEYS_AND_TERMS; /* for stems of one letter (on_token) */
    if (a->title && a->title_len) {
        ts.text = a->title;
        ts.title = 1;
        rc = kh_tokenize(st->tok, lang, a->title, a->title_len, opts, on_token, &ts);
    }
    if (rc == KH_OK && a->text && a->text_len) {
        ts.text = a->text;
        ts.title = 0;
        ts.prev_name = 0;
        ts.prev_word = 0;
        ts.prev_number = 0;
        ts.name_run = 0;
        rc = kh_tokenize(st->tok, lang, a->text, a->text_len, opts, on_token, &ts);
        if (rc == KH_E_STOPPED)
            rc = KH_OK;
    }
    /* Clear the scratch map for the next article. */
    for (uint32_t i = 0; i < st->n_terms; i++) {
        uint64_t k = hm_key(st->terms[i].hash);
        size_t j = hm_home(&st->seen, k);
        while (st->seen.keys[j] != k)
            j = (j + 1) & (st->seen.cap - 1);
        st->seen.keys[j] = 0;
    }
    /* Every key of this article is gone (the search above runs past the
     * holes it makes, and each key is present), so the table is empty. */
    st->seen.n = 0;
    st->seen.cap = SEEN_MIN;
    return rc;
}

/* Sorts a[0..n) by hash: insertion sort of runs of 8, then bottom-up
 * merges through tmp (n entries). No comparator calls: this runs on every
 * article. */
static void sort_hw_by_hash(hw *a, uint32_t n, hw *tmp)
{
    for (uint32_t b = 0; b < n; b += 8) {
        uint32_t e = KHI_MIN(n, b + 8);
        for (uint32_t i = b + 1; i < e; i++) {
            hw x = a[i];
            uint32_t j = i;
            while (j > b && a[j - 1].h > x.h) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
    }
    hw *src = a, *dst = tmp;
    for (uint32_t width = 8; width < n; width *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * width) {
            uint32_t mid = KHI_MIN(n, lo + width), hi = KHI_MIN(n, lo + 2 * width);
            uint32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = src[j].h < src[i].h ? src[j++] : src[i++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        hw *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}


/* Heavier: by weight, then by lower hash. Without branches: on weights in
 * random order a branch is mispredicted every other time, and selection
 * is mostly comparisons. Weights are finite, never NaN. */
static inline int hw_heavier(const hw *a, const hw *b)
{
    return (a->w > b->w) | ((a->w == b->w) & (a->h < b->h));
}

static inline void hw_swap(hw *a, hw *b)
{
    hw t = *a;
    *a = *b;
    *b = t;
}

/* Keeps the k heaviest entries of a[0..n) (by weight, then lower hash), in
 * their order; scratch holds n entries. Returns min(n, k). Quickselect
 * (median-of-three pivot, Lomuto partition written without branches)
 * finds the k-th heaviest in O(n); a filter keeps what is at least as
 * heavy. Hashes are distinct, so "heavier" is a strict order and exactly
 * k entries are kept. */
static uint32_t keep_heaviest(hw *a, uint32_t n, uint32_t k, hw *scratch)
{
    if (n <= k)
        return n;
    memcpy(scratch, a, n * sizeof *a);
    uint32_t lo = 0, hi = n, want = k - 1;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2, last = hi - 1;
        /* The median of lo, mid, last goes to last as the pivot. */
        if (hw_heavier(&scratch[mid], &scratch[lo]))
            hw_swap(&scratch[mid], &scratch[lo]);
        if (hw_heavier(&scratch[last], &scratch[lo]))
            hw_swap(&scratch[last], &scratch[lo]);
        if (hw_heavier(&scratch[mid], &scratch[last]))
            hw_swap(&scratch[mid], &scratch[last]);
        hw pivot = scratch[last];
        uint32_t store = lo;
        for (uint32_t i = lo; i < last; i++) {
            hw x = scratch[i];
            int heavier = hw_heavier(&x, &pivot);
            scratch[i] = scratch[store];
            scratch[store] = x;
            store += (uint32_t)heavier;
        }
        hw_swap(&scratch[store], &scratch[last]);
        if (want == store)
            break;
        if (want < store)
            hi = store;
        else
            lo = store + 1;
    }
    hw kth = scratch[want];
    uint32_t out = 0;
    for (uint32_t i = 0; i < n; i++) {
        a[out] = a[i];
        out += (uint32_t)!hw_heavier(&kth, &a[i]);
    }
    return out;
}

/* Weighs the article's terms and keeps the heaviest ARTICLE_TERMS as a unit
 * vector sorted by hash in qhash/qw, and the QUERY_TERMS heaviest, heaviest
 * first with their raw weights, in query[]. Selection works on 16-byte
 * (hash, weight) pairs in O(n): most articles have more distinct terms
 * than ARTICLE_TERMS. */
static void weigh(kh_storyer *st)
{
    const kh_story_options *o = &st->opt;
    double log_n = log(st->n_docs[st->lang] + PRIOR_DOCS);
    hw *cand = st->weighed, *scratch = st->weighed + MAX_DISTINCT;
    uint32_t n = 0;
    for (uint32_t i = 0; i < st->n_terms; i++) {
        const aterm *t = &st->terms[i];
        double tf = (t->tf_body ? 1.0 + ln1p_count(st, t->tf_body - 1) : 0.0) +
                    (t->tf_title ? o->title_boost : 0.0);
        double f = t->number ? o->number_weight : t->name ? o->name_boost : 1.0;
        float w = (float)(idf(st, log_n, t->df) * tf * f);
        if (w > 0) {
            cand[n].h = t->hash;
            cand[n].kind = (t->name ? KH_STORY_TERM_NAME : 0) | (t->number ? KH_STORY_TERM_NUMBER : 0);
            cand[n++].w = w;
        }
    }
    n = keep_heaviest(cand, n, ARTICLE_TERMS, scratch);
    double norm = 0;
    for (uint32_t i = 0; i < n; i++)
        norm += (double)cand[i].w * cand[i].w;
    norm = norm > 0 ? sqrt(norm) : 1;
    hw tmp[ARTICLE_TERMS], merge[ARTICLE_TERMS];
    for (uint32_t i = 0; i < n; i++) {
        tmp[i].h = cand[i].h;
        tmp[i].kind = cand[i].kind;
        tmp[i].w = (float)(cand[i].w / norm);
    }
    sort_hw_by_hash(tmp, n, merge);
    for (uint32_t i = 0; i < n; i++) {
        st->qhash[i] = tmp[i].h;
        st->qw[i] = tmp[i].w;
        st->qkind[i] = (uint8_t)tmp[i].kind;
    }
    st->nq = n;
    /* The query: the heaviest, heaviest first (n is small). */
    uint32_t k = keep_heaviest(cand, n, QUERY_TERMS, scratch);
    for (uint32_t i = 1; i < k; i++) {
        hw x = cand[i];
        uint32_t j = i;
        while (j > 0 && hw_heavier(&x, &cand[j - 1])) {
            cand[j] = cand[j - 1];
            j--;
        }
        cand[j] = x;
    }
    memcpy(st->query, cand, k * sizeof *cand);
    st->n_query = k;
}

/* ------------------------------------------------------------------ */
/* Stories, slots, postings */

/* The most one shared term may add to the cosine of the article against s:
 * 1 / sqrt(n), n the terms of the shorter of the two vectors. A unit
 * vector of n equal terms gives each 1/sqrt(n), so two texts of n terms
 * that share a term of no more than average weight are not capped, and a
 * name that weighs far more than the rest of both texts counts as a
 * strong term, not as the whole pair: the pair needs about
 * threshold * sqrt(n) such terms (four of the 96 a centroid keeps, two of
 * a short report's 30). A fixed cap (0.12) would ask as much of a short
 * report as of a long one, and split short reports that share their place
 * and little else. */
static double term_cap(const kh_storyer *st, const story *s)
{
    uint32_t n = st->nq < s->n_terms ? st->nq : s->n_terms;
    return n ? 1.0 / sqrt((double)n) : 1.0;
}

static double cosine(const kh_storyer *st, const story *s)
{
    if (s->norm <= 0)
        return 0;
    /* Both vectors are sorted by hash: a merge without branches on the
     * data, summing in the centroid's order; each term's product capped at
     * term_cap() in the units of the dot product. */
    const uint64_t *a = st->qhash, *b = s->terms;
    const float *aw = st->qw, *bw = s->weights;
    uint32_t na = st->nq, nb = s->n_terms, i = 0, j = 0;
    double dot = 0, cap = term_cap(st, s) * s->norm;
    while (i < na && j < nb) {
        uint64_t x = a[i], y = b[j];
        double p = (double)(x == y) * ((double)aw[i] * bw[j]);
        dot += p < cap ? p : cap;
        i += x <= y;
        j += y <= x;
    }
    return dot / s->norm;
}

static kh_status posting_add(kh_storyer *st, uint64_t term, uint32_t slot)
{
    kh_ctx *ctx = st->ctx;
    uint32_t *pn = hm_find(&st->index, term);
    posting *p;
    if (pn) {
        p = &st->postings[*pn];
    } else {
        if (!st->n_free_postings && st->n_postings == st->cap_postings) {
            /* The free list grows first: cap_free >= cap_postings always,
             * so releasing a posting never needs memory. */
            uint32_t cap = st->cap_postings ? st->cap_postings * 2 : 256;
            if (st->cap_free < cap) {
                uint32_t *nf = kh_realloc(ctx, st->free_postings, st->cap_free * sizeof *nf,
                                          cap * sizeof *nf);
                KHI_RETURN_IF(!nf, KH_E_NOMEM);
                st->free_postings = nf;
                st->cap_free = cap;
            }
            posting *np = kh_realloc(ctx, st->postings, st->cap_postings * sizeof *np,
                                     cap * sizeof *np);
            KHI_RETURN_IF(!np, KH_E_NOMEM);
            st->postings = np;
            st->cap_postings = cap;
        }
        KHI_FORWARD_IF_ERROR(hm_reserve1(ctx, &st->index));
        uint32_t num = st->n_free_postings ? st->free_postings[--st->n_free_postings]
                                           : st->n_postings++;
        st->postings[num].slots = NULL;
        st->postings[num].n = st->postings[num].cap = 0;
        hm_put_raw(&st->index, hm_key(term), num);
        p = &st->postings[num];
    }
    if (p->n == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 4;
        uint32_t *ns = kh_realloc(ctx, p->slots, p->cap * sizeof *ns, cap * sizeof *ns);
        KHI_RETURN_IF(!ns, KH_E_NOMEM); /* an empty list stays valid */
        p->slots = ns;
        p->cap = cap;
    }
    p->slots[p->n++] = slot;
    return KH_OK;
}

static void posting_remove(kh_storyer *st, uint64_t term, uint32_t slot)
{
    uint32_t *pn = hm_find(&st->index, term);
    if (!pn)
        return;
    uint32_t num = *pn;
    posting *p = &st->postings[num];
    for (uint32_t i = 0; i < p->n; i++) {
        if (p->slots[i] == slot) {
            memmove(&p->slots[i], &p->slots[i + 1], (p->n - i - 1) * sizeof *p->slots);
            p->n--;
            break;
        }
    }
    if (p->n == 0) {
        kh_free(st->ctx, p->slots, p->cap * sizeof *p->slots);
        p->slots = NULL;
        p->cap = 0;
        hm_erase(&st->index, term);
        st->free_postings[st->n_free_postings++] = num;
    }
}

/* Recomputes which centroid terms are posted for s and updates the index.
 * On failure the story may be posted under fewer terms; the index stays
 * consistent with s->index. */
static kh_status reindex(kh_storyer *st, story *s)
{
    hw top[1024], scratch[1024];
    uint32_t n = s->n_terms;
    for (uint32_t i = 0; i < n; i++) {
        top[i].h = s->terms[i];
        top[i].w = s->weights[i];
    }
    n = keep_heaviest(top, n, INDEX_TERMS, scratch);
    /* Remove postings no longer wanted. */
    uint32_t keep = 0, j = 0;
    for (uint32_t i = 0; i < s->n_index; i++) {
        while (j < n && top[j].h < s->index[i])
            j++;
        if (j < n && top[j].h == s->index[i])
            s->index[keep++] = s->index[i];
        else
            posting_remove(st, s->index[i], s->slot);
    }
    s->n_index = keep;
    /* Add the new ones; s->index stays sorted by merging at the end. */
    uint64_t old[INDEX_TERMS];
    memcpy(old, s->index, keep * sizeof *old);
    kh_status rc = KH_OK;
    uint32_t added = 0;
    uint64_t fresh[INDEX_TERMS];
    j = 0;
    for (uint32_t i = 0; i < n && rc == KH_OK; i++) {
        while (j < keep && old[j] < top[i].h)
            j++;
        if (j < keep && old[j] == top[i].h)
            continue;
        rc = posting_add(st, top[i].h, s->slot);
        if (rc == KH_OK)
            fresh[added++] = top[i].h;
    }
    /* merge old[0..keep) and fresh[0..added) (both ascending) */
    uint32_t a = 0, b = 0, k = 0;
    while (a < keep || b < added)
        s->index[k++] = (b >= added || (a < keep && old[a] < fresh[b])) ? old[a++] : fresh[b++];
    s->n_index = k;
    return rc;
}

/* Adds the article's unit vector to s's centroid and cuts it to K terms. */
static kh_status centroid_add(kh_storyer *st, story *s)
{
    kh_ctx *ctx = st->ctx;
    uint32_t K = (uint32_t)st->opt.centroid_terms;
    uint32_t total = s->n_terms + st->nq;
    hw *m = st->merge; /* merge + scratch: 2 * (1024 + ARTICLE_TERMS) entries */
    if (s->cap_terms < K) {
        uint64_t *t = kh_malloc(ctx, K * sizeof *t);
        float *w = kh_malloc(ctx, K * sizeof *w);
        if (!t || !w) {
            kh_free(ctx, t, K * sizeof *t);
            kh_free(ctx, w, K * sizeof *w);
            return KH_E_NOMEM;
        }
        if (s->n_terms) {
            memcpy(t, s->terms, s->n_terms * sizeof *t);
            memcpy(w, s->weights, s->n_terms * sizeof *w);
        }
        kh_free(ctx, s->terms, s->cap_terms * sizeof *s->terms);
        kh_free(ctx, s->weights, s->cap_terms * sizeof *s->weights);
        s->terms = t;
        s->weights = w;
        s->cap_terms = K;
    }
    uint32_t i = 0, j = 0, n = 0;
    while (i < s->n_terms || j < st->nq) {
        if (j >= st->nq || (i < s->n_terms && s->terms[i] < st->qhash[j])) {
            m[n].h = s->terms[i];
            m[n++].w = s->weights[i++];
        } else if (i >= s->n_terms || st->qhash[j] < s->terms[i]) {
            m[n].h = st->qhash[j];
            m[n++].w = st->qw[j++];
        } else {
            m[n].h = s->terms[i];
            m[n++].w = s->weights[i++] + st->qw[j++];
        }
    }
    n = keep_heaviest(m, n, K, m + total);
    double norm = 0;
    for (i = 0; i < n; i++) {
        s->terms[i] = m[i].h;
        s->weights[i] = m[i].w;
        norm += (double)m[i].w * m[i].w;
    }
    s->n_terms = n;
    s->norm = sqrt(norm);
    return KH_OK;
}

/* Makes room for one more slot in every per-slot array. */
static kh_status slots_reserve(kh_storyer *st)
{
    if (st->n_free || st->n_slots < st->cap_slots)
        return KH_OK;
    kh_ctx *ctx = st->ctx;
    uint32_t old = st->cap_slots, cap = old ? old * 2 : 64;
    KHI_RETURN_IF(cap > (1u << 28), KH_E_TOOBIG);
    story **s = kh_malloc(ctx, cap * sizeof *s);
    uint32_t *f = kh_malloc(ctx, cap * sizeof *f);
    slot_state *mk = kh_malloc(ctx, cap * sizeof *mk);
    uint32_t *c = kh_malloc(ctx, cap * sizeof *c);
    if (!s || !f || !mk || !c) {
        kh_free(ctx, s, cap * sizeof *s);
        kh_free(ctx, f, cap * sizeof *f);
        kh_free(ctx, mk, cap * sizeof *mk);
        kh_free(ctx, c, cap * sizeof *c);
        return KH_E_NOMEM;
    }
    memset(mk, 0, cap * sizeof *mk);
    if (old) {
        memcpy(s, st->slots, old * sizeof *s);
        memcpy(f, st->free_slots, st->n_free * sizeof *f);
        memcpy(mk, st->sx, old * sizeof *mk);
    }
    kh_free(ctx, st->slots, old * sizeof *s);
    kh_free(ctx, st->free_slots, old * sizeof *f);
    kh_free(ctx, st->sx, old * sizeof *mk);
    kh_free(ctx, st->cands, old * sizeof *c);
    st->slots = s;
    st->free_slots = f;
    st->sx = mk;
    st->cands = c;
    st->cap_slots = cap;
    return KH_OK;
}

static kh_status story_append_article(kh_storyer *st, story *s, const char *id, uint64_t idh)
{
    kh_ctx *ctx = st->ctx;
    KHI_RETURN_IF(s->n_art >= MAX_ARTICLES, KH_E_TOOBIG);
    if (s->n_art == s->cap_art) {
        uint32_t cap = s->cap_art ? s->cap_art * 2 : 4;
        uint32_t *o = kh_malloc(ctx, cap * sizeof *o);
        uint64_t *h = kh_malloc(ctx, cap * sizeof *h);
        if (!o || !h) {
            kh_free(ctx, o, cap * sizeof *o);
            kh_free(ctx, h, cap * sizeof *h);
            return KH_E_NOMEM;
        }
        if (s->n_art) {
            memcpy(o, s->id_off, s->n_art * sizeof *o);
            memcpy(h, s->id_hash, s->n_art * sizeof *h);
        }
        kh_free(ctx, s->id_off, s->cap_art * sizeof *o);
        kh_free(ctx, s->id_hash, s->cap_art * sizeof *h);
        s->id_off = o;
        s->id_hash = h;
        s->cap_art = cap;
    }
    size_t len = strlen(id);
    size_t at = s->ids.len;
    KHI_FORWARD_IF_ERROR(kh_buf_reserve(&s->ids, len + 1));
    KHI_FORWARD_IF_ERROR(hm_reserve1(ctx, &st->ids));
    kh_buf_append(&s->ids, id, len + 1); /* NUL included; room reserved above */
    hm_put_raw(&st->ids, hm_key(idh), s->slot);
    s->id_off[s->n_art] = (uint32_t)at;
    s->id_hash[s->n_art] = idh;
    s->n_art++;
    return KH_OK;
}

/* Compacts a closed story to what kh_story_get() and the accessors need. */
static void story_compact(kh_storyer *st, story *s)
{
    kh_ctx *ctx = st->ctx;
    hw top[1024], scratch[1024];
    uint32_t n = s->n_terms;
    for (uint32_t i = 0; i < n; i++) {
        top[i].h = s->terms[i];
        top[i].w = s->weights[i];
    }
    n = keep_heaviest(top, n, CLOSED_TERMS, scratch);
    double norm = 0;
    for (uint32_t i = 0; i < n; i++) {
        s->terms[i] = top[i].h;
        s->weights[i] = top[i].w;
        norm += (double)top[i].w * top[i].w;
    }
    s->n_terms = n;
    s->norm = sqrt(norm);
    /* Shrink the term arrays; when realloc refuses, the larger ones stay. */
    if (s->cap_terms > CLOSED_TERMS) {
        uint64_t *t = kh_malloc(ctx, CLOSED_TERMS * sizeof *t);
        float *w = kh_malloc(ctx, CLOSED_TERMS * sizeof *w);
        if (t && w) {
            memcpy(t, s->terms, n * sizeof *t);
            memcpy(w, s->weights, n * sizeof *w);
            kh_free(ctx, s->terms, s->cap_terms * sizeof *t);
            kh_free(ctx, s->weights, s->cap_terms * sizeof *w);
            s->terms = t;
            s->weights = w;
            s->cap_terms = CLOSED_TERMS;
        } else {
            kh_free(ctx, t, CLOSED_TERMS * sizeof *t);
            kh_free(ctx, w, CLOSED_TERMS * sizeof *w);
        }
    }
    kh_free(ctx, s->id_hash, s->cap_art * sizeof *s->id_hash);
    s->id_hash = NULL; /* story_free() accepts it gone; cap_art still sizes id_off */
}

static void story_close(kh_storyer *st, story *s)
{
    if (st->opt.on_close) {
        st->closing = s;
        st->opt.on_close(st->opt.on_close_user, st, s->id);
        st->closing = NULL;
    }
    for (uint32_t i = 0; i < s->n_index; i++)
        posting_remove(st, s->index[i], s->slot);
    s->n_index = 0;
    for (uint32_t i = 0; i < s->n_art; i++)
        if (s->id_hash)
            hm_erase(&st->ids, s->id_hash[i]);
    st->slots[s->slot] = NULL;
    st->free_slots[st->n_free++] = s->slot;
    s->open = 0;
    if (st->opt.keep_closed)
        story_compact(st, s);
    else
        story_free(st->ctx, s);
}

static int past_span(const kh_storyer *st, const story *s);

/* Closes stories idle for more than a window (or past max_span). Run when the clock has moved
 * by a sixteenth of a window since the last sweep; stories found idle in
 * between are skipped as candidates, so results do not depend on sweeps. */
static void sweep(kh_storyer *st)
{
    if (!st->have_clock || st->now - st->last_sweep < st->opt.window / 16)
        return;
    st->last_sweep = st->now;
    for (uint32_t i = 0; i < st->n_slots; i++) {
        story *s = st->slots[i];
        if (s && (st->now - s->touched > st->opt.window || past_span(st, s)))
            story_close(st, s);
    }
}

/* An article's time, by its kh_story_article.dated: an estimate places it
 * (the time factor) but is not one of the story's own dates. */
static void story_note_time(story *s, int64_t t, int dated)
{
    if (!dated)
        return;
    if (s->n_art <= CENTROID_ARTICLES)
        range_widen(&s->core, t);
    if (dated != KH_STORY_TIME_ESTIMATED)
        range_widen(&s->own, t);
}

static story *new_story(kh_storyer *st, kh_lang lang, int64_t t, int dated)
{
    kh_ctx *ctx = st->ctx;
    if (slots_reserve(st) != KH_OK)
        return NULL;
    if (st->opt.keep_closed && KHI_GROW(ctx, st->all, st->n_stories, st->cap_all, 64) != KH_OK)
        return NULL;
    story *s = kh_malloc(ctx, sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    kh_buf_init(&s->ids, ctx, MAX_ID_BYTES);
    s->lang = lang;
    story_note_time(s, t, dated);
    s->touched = s->born = st->now;
    s->open = 1;
    s->slot = st->n_free ? st->free_slots[--st->n_free] : st->n_slots++;
    st->slots[s->slot] = s;
    slot_state *x = &st->sx[s->slot];
    x->touched = s->touched;
    x->born = s->born;
    x->mark = 0;
    x->acc = 0;
    x->lang = lang;
    return s;
}

/* Undoes new_story() for a story that never got its first article. */
static void drop_new_story(kh_storyer *st, story *s)
{
    for (uint32_t i = 0; i < s->n_index; i++)
        posting_remove(st, s->index[i], s->slot);
    for (uint32_t i = 0; i < s->n_art; i++)
        hm_erase(&st->ids, s->id_hash[i]);
    st->slots[s->slot] = NULL;
    st->free_slots[st->n_free++] = s->slot;
    story_free(st->ctx, s);
}

/* dated: the article's kh_story_article.dated. */
static void story_touch(kh_storyer *st, story *s, int64_t t, int dated)
{
    story_note_time(s, t, dated);
    s->touched = st->sx[s->slot].touched = st->now;
}

/* The time factor: 1 for an article within the times of the story's core
 * (the articles that shaped its centroid), falling linearly to
 * 1 - TIME_DECAY at a window's distance from them. Events are reported in
 * bursts; an article two days after a story's core needs more in common
 * with it than one from the same hour. Measured from the core, not from the
 * latest article: a chain of daily look-alike reports (oil prices, each
 * region's "teacher interviews" notice) no longer carries a story along day
 * by day (SaudiNewsNet: largest story 55 -> 30 articles, 2.4% -> 0.7% of
 * articles in stories of 20 or more, labelled days' B-cubed F1 0.913 ->
 * 0.914). */
static double recency(const kh_storyer *st, const story *s, int64_t t)
{
    if (!s->core.set)
        return 1.0;
    int64_t dt = t > s->core.last   ? t - s->core.last
                 : s->core.first > t ? s->core.first - t
                                       : 0;
    double x = (double)dt / (double)st->opt.window;
    return 1.0 - TIME_DECAY * (x < 1.0 ? x : 1.0);
}

/* 1, or EVIDENCE_CONFLICT when the article and the story both lead with
 * key numbers and share none: the same template filled with other figures
 * (another day's market close, another well, another age and distance). */
static double number_factor(const kh_storyer *st, const story *s)
{
    if (st->n_keynum < KEY_MIN || s->n_keynum < KEY_MIN)
        return 1.0;
    for (uint32_t i = 0; i < st->n_keynum; i++)
        for (uint32_t j = 0; j < s->n_keynum; j++)
            if (st->keynum[i] == s->keynum[j])
                return 1.0;
    return EVIDENCE_CONFLICT;
}

/* 1, or EVIDENCE_CONFLICT when the article and the story both date what
 * they report in one calendar and share no month of it. */
static double date_factor(const kh_storyer *st, const story *s)
{
    for (unsigned shift = 0; shift < 24; shift += 12) {
        uint32_t a = (st->months >> shift) & CALENDAR_BITS, b = (s->months >> shift) & CALENDAR_BITS;
        if (a && b && !(a & b))
            return EVIDENCE_CONFLICT;
    }
    return 1.0;
}

/* The score of the article being added (qhash/qw) against story s. */
static double join_score(const kh_storyer *st, const story *s, int64_t t, kh_story_why *why)
{
    double c = cosine(st, s), r = recency(st, s, t), e = number_factor(st, s) * date_factor(st, s);
    if (why) {
        why->cosine = c;
        why->time_factor = r;
        why->event_factor = e;
        why->score = c * r * e;
    }
    return c * r * e;
}

/* Copies a term's text into out (size 48), cut at a character boundary. */
static void why_text(const kh_storyer *st, const aterm *t, char *out)
{
    size_t n = t->text_len < 47 ? t->text_len : 47;
    if (!st->texts) {
        n = 0;
    } else if (n < t->text_len) {
        while (n > 0 && ((unsigned char)st->texts[t->text_off + n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(out, st->texts + t->text_off, n);
    out[n] = '\0';
}

/* Fills why's terms: the article's terms shared with s, by their part of
 * the cosine, largest first; and the parts of names and of numbers. */
static void why_terms(const kh_storyer *st, const story *s, kh_story_why *why)
{
    uint64_t hash[KH_STORY_WHY_TERMS];
    why->n_terms = 0;
    why->name_share = why->number_share = 0;
    if (s->norm <= 0)
        return;
    uint32_t i = 0, j = 0;
    double cap = term_cap(st, s);
    while (i < st->nq && j < s->n_terms) {
        uint64_t x = st->qhash[i], y = s->terms[j];
        if (x == y) {
            double share = (double)st->qw[i] * s->weights[j] / s->norm;
            share = share < cap ? share : cap;
            why->name_share += (st->qkind[i] & KH_STORY_TERM_NAME) ? share : 0;
            why->number_share += (st->qkind[i] & KH_STORY_TERM_NUMBER) ? share : 0;
            size_t k = why->n_terms < KH_STORY_WHY_TERMS ? why->n_terms++ : KH_STORY_WHY_TERMS;
            for (; k > 0 && why->terms[k - 1].share < share; k--)
                if (k < KH_STORY_WHY_TERMS) {
                    why->terms[k] = why->terms[k - 1];
                    hash[k] = hash[k - 1];
                }
            if (k < KH_STORY_WHY_TERMS) {
                why->terms[k].share = share;
                hash[k] = x;
            }
        }
        i += x <= y;
        j += y <= x;
    }
    for (size_t k = 0; k < why->n_terms; k++) {
        kh_story_why_term *w = &why->terms[k];
        w->text[0] = '\0';
        w->kind = 0;
        for (uint32_t n = 0; n < st->n_terms; n++) {
            const aterm *t = &st->terms[n];
            if (t->hash == hash[k]) {
                why_text(st, t, w->text);
                w->kind = (t->name ? KH_STORY_TERM_NAME : 0) |
                          (t->number ? KH_STORY_TERM_NUMBER : 0) |
                          (t->tf_title ? KH_STORY_TERM_TITLE : 0);
                break;
            }
        }
    }
}

static int past_span(const kh_storyer *st, const story *s)
{
    return st->have_clock && st->opt.max_span > 0 && st->now - s->born > st->opt.max_span;
}

static int is_open(const kh_storyer *st, const story *s)
{
    return s && s->open && (!st->have_clock || st->now - s->touched <= st->opt.window) &&
           !past_span(st, s);
}

static kh_lang article_lang(const kh_story_article *a)
{
    kh_lang lang = a->lang;
    if (lang == KH_LANG_UNKNOWN || lang >= KH_LANG_COUNT_) {
        lang = a->text_len ? kh_lang_detect(a->text, a->text_len) : KH_LANG_UNKNOWN;
        if (lang == KH_LANG_UNKNOWN && a->title_len)
            lang = kh_lang_detect(a->title, a->title_len);
    }
    return lang;
}

/* Sets each term's df as df_count() would, without counting the article. */
static void df_peek(kh_storyer *st)
{
    for (uint32_t i = 0; i < st->n_terms; i++) {
        uint32_t *p = hm_find(&st->df, st->terms[i].hash);
        st->terms[i].df = (p ? *p : 0) + 1;
    }
}

kh_status kh_story_similarity(kh_storyer *st, const kh_story_article *a,
                              const kh_story_article *b, kh_story_why *out)
{
    KHI_RETURN_IF(!st || !a || !b || !out, KH_E_ARG);
    memset(out, 0, sizeof *out);
    kh_lang lang = article_lang(a);
    if (lang != article_lang(b))
        return KH_OK;
    if (!st->texts) {
        st->texts = kh_malloc(st->ctx, TEXTS_CAP);
        KHI_RETURN_IF(!st->texts, KH_E_NOMEM);
    }
    int was_recording = st->record_text;
    st->record_text = 1;
    st->lang = lang;
    /* b as a story of its own: its vector cut to a centroid's size. */
    uint64_t terms[ARTICLE_TERMS];
    float weights[ARTICLE_TERMS];
    story one;
    memset(&one, 0, sizeof one);
    kh_status rc = read_terms(st, lang, b);
    if (rc == KH_OK) {
        df_peek(st);
        weigh(st);
        hw v[ARTICLE_TERMS], scratch[ARTICLE_TERMS];
        for (uint32_t i = 0; i < st->nq; i++) {
            v[i].h = st->qhash[i];
            v[i].w = st->qw[i];
        }
        uint32_t n = keep_heaviest(v, st->nq, (uint32_t)st->opt.centroid_terms, scratch);
        double norm = 0;
        for (uint32_t i = 0; i < n; i++) {
            terms[i] = v[i].h;
            weights[i] = v[i].w;
            norm += (double)v[i].w * v[i].w;
        }
        one.terms = terms;
        one.weights = weights;
        one.n_terms = n;
        one.norm = sqrt(norm);
        one.lang = lang;
        memcpy(one.keynum, st->keynum, st->n_keynum * sizeof *st->keynum);
        one.n_keynum = st->n_keynum;
        one.months = st->months;
        if (b->dated)
            range_widen(&one.core, b->time);
        rc = read_terms(st, lang, a);
    }
    if (rc == KH_OK) {
        df_peek(st);
        weigh(st);
        join_score(st, &one, a->dated ? a->time : b->time, out);
        why_terms(st, &one, out);
    }
    st->record_text = was_recording;
    return rc;
}

kh_status kh_story_observe(kh_storyer *st, const kh_story_article *a)
{
    KHI_RETURN_IF(!st || !a, KH_E_ARG);
    st->lang = article_lang(a);
    KHI_FORWARD_IF_ERROR(read_terms(st, st->lang, a));
    KHI_FORWARD_IF_ERROR(df_count(st));
    st->df_frozen = 1;
    return KH_OK;
}

kh_status kh_story_add(kh_storyer *st, const kh_story_article *a, uint64_t *story_out)
{
    if (story_out)
        *story_out = 0;
    KHI_RETURN_IF(!st || !a, KH_E_ARG);
    if (!a->id)
        return kh_ctx_error(st->ctx, KH_E_ARG, "story: article without an id");
    st->why_set = 0;
    kh_lang lang = article_lang(a);
    /* The clock: dated articles move it forward; undated ones take it. */
    int dated = a->dated != 0;
    if (!dated && !st->dated_clock && st->opt.undated_step > 0) {
        /* No date yet: the input order is the clock, so stories close. */
        if (st->have_clock)
            st->now += st->opt.undated_step;
        else
            st->have_clock = 1;
    }
    int64_t t = dated ? a->time : st->now;
    if (dated) {
        if (!st->dated_clock) {
            st->dated_clock = st->have_clock = 1;
            st->now = st->last_sweep = t;
            for (uint32_t i = 0; i < st->n_slots; i++)
                if (st->slots[i])
                    st->slots[i]->touched = st->slots[i]->born = st->sx[i].touched =
                        st->sx[i].born = t;
        } else if (t > st->now) {
            st->now = t;
        }
    }
    sweep(st);
    uint64_t idh = XXH3_64bits(a->id, strlen(a->id));

    /* A copy joins its original's story while that is open. */
    if (a->copy_of) {
        uint32_t *slot = hm_find(&st->ids, XXH3_64bits(a->copy_of, strlen(a->copy_of)));
        story *s = slot ? st->slots[*slot] : NULL;
        if (s && s->lang == lang && is_open(st, s)) {
            KHI_FORWARD_IF_ERROR(story_append_article(st, s, a->id, idh));
            story_touch(st, s, t, a->dated);
            if (st->opt.explain) {
                memset(&st->why, 0, sizeof st->why);
                st->why.story = s->id;
                st->why.copy = 1;
                st->why_set = 1;
            }
            if (story_out)
                *story_out = s->id;
            return KH_OK;
        }
    }

    st->lang = lang;
    kh_status rc = read_terms(st, lang, a);
    KHI_RETURN_IF(rc != KH_OK, rc);
    if (st->df_frozen)
        df_peek(st);
    else
        KHI_FORWARD_IF_ERROR(df_count(st));
    weigh(st);

    /* Candidates: open stories of the language posted under a query term,
     * ranked by the summed weight of the query terms they are posted under;
     * the RERANK best get the full cosine. */
    if (++st->mark == 0) {
        for (uint32_t i = 0; i < st->cap_slots; i++)
            st->sx[i].mark = 0;
        st->mark = 1;
    }
    uint32_t n_cands = 0;
    uint32_t nq = st->n_query;
    for (uint32_t q = 0; q < nq; q++)
        hm_prefetch(&st->index, st->query[q].h);
    const posting *qp[QUERY_TERMS];
    for (uint32_t q = 0; q < nq; q++) {
        uint32_t *pn = hm_find(&st->index, st->query[q].h);
        qp[q] = pn ? &st->postings[*pn] : NULL;
        if (qp[q])
            for (uint32_t b = 0; b < qp[q]->n && b < 64; b += 16)
                PREFETCH(&qp[q]->slots[b]);
    }
    for (uint32_t q = 0; q < nq; q++) {
        const posting *p = qp[q];
        if (!p)
            continue;
        float w = st->query[q].w;
        for (uint32_t k = 0; k < p->n; k++) {
            uint32_t slot = p->slots[k];
            slot_state *x = &st->sx[slot];
            if (x->mark != st->mark) {
                /* Postings name open stories only, keyed by language-seeded
                 * hashes; the language is checked all the same. A story
                 * idle past the window or past its span is no candidate
                 * (is_open, from the slot's copy of its times). */
                x->mark = st->mark;
                if (x->lang != lang ||
                    (st->have_clock && (st->now - x->touched > st->opt.window ||
                                        (st->opt.max_span > 0 &&
                                         st->now - x->born > st->opt.max_span)))) {
                    x->acc = -1;
                    continue;
                }
                x->acc = 0;
                st->cands[n_cands++] = slot;
            }
            if (x->acc >= 0)
                x->acc += w;
        }
    }
    story *top[RERANK];
    float top_acc[RERANK];
    uint32_t n_top = 0;
    for (uint32_t c = 0; c < n_cands; c++) {
        uint32_t slot = st->cands[c];
        float v = st->sx[slot].acc;
        if (n_top == RERANK && v < top_acc[RERANK - 1])
            continue;
        story *s = st->slots[slot];
        if (n_top == RERANK &&
            !(v > top_acc[RERANK - 1] || (v == top_acc[RERANK - 1] && s->id < top[RERANK - 1]->id)))
            continue;
        uint32_t i = n_top < RERANK ? n_top++ : RERANK - 1;
        while (i > 0 && (v > top_acc[i - 1] || (v == top_acc[i - 1] && s->id < top[i - 1]->id))) {
            top[i] = top[i - 1];
            top_acc[i] = top_acc[i - 1];
            i--;
        }
        top[i] = s;
        top_acc[i] = v;
    }
    for (uint32_t i = 0; i < n_top; i++)
        for (uint32_t b = 0; b < top[i]->n_terms; b += 8) {
            PREFETCH(&top[i]->terms[b]);
            PREFETCH(&top[i]->weights[b]);
        }
    story *best = NULL;
    double best_score = -1;
    for (uint32_t i = 0; i < n_top; i++) {
        double sc = join_score(st, top[i], t, NULL);
        if (sc > best_score || (sc == best_score && top[i]->id < best->id)) {
            best = top[i];
            best_score = sc;
        }
    }
    int created = 0;
    if (st->opt.explain) {
        kh_story_why *w = &st->why;
        memset(w, 0, sizeof *w);
        if (best) {
            join_score(st, best, t, w);
            why_terms(st, best, w);
        }
    }
    if (!best || best_score < st->opt.threshold || st->nq == 0) {
        if (st->opt.explain) {
            st->why.started = 1;
            st->why.nearest = best ? best->id : 0;
        }
        best = new_story(st, lang, t, a->dated);
        KHI_RETURN_IF(!best, KH_E_NOMEM);
        created = 1;
    }
    rc = story_append_article(st, best, a->id, idh);
    int moved = rc == KH_OK && best->n_art <= CENTROID_ARTICLES;
    if (moved) {
        rc = centroid_add(st, best);
        if (rc == KH_OK) {
            best->months |= st->months;
            for (uint32_t i = 0; i < st->n_keynum; i++)
                keynum_add(best->keynum, &best->n_keynum, STORY_KEY_NUMBERS, st->keynum[i]);
        }
    }
    if (rc != KH_OK) {
        if (created) {
            drop_new_story(st, best);
        } else {
            /* Take the article back out of the story. */
            best->n_art--;
            best->ids.len = best->id_off[best->n_art];
            hm_erase(&st->ids, idh);
        }
        return rc;
    }
    /* The posting may miss a term on failure, which costs recall only; a
     * centroid that did not move keeps its postings (unless some failed). */
    if (moved || best->n_index < KHI_MIN(best->n_terms, INDEX_TERMS))
        rc = reindex(st, best);
    if (rc != KH_OK && created) {
        best->n_art--;
        hm_erase(&st->ids, idh);
        drop_new_story(st, best);
        return rc;
    }
    if (created) {
        best->id = ++st->n_stories;
        if (st->opt.keep_closed)
            st->all[best->id - 1] = best;
    } else {
        story_touch(st, best, t, a->dated);
    }
    if (st->opt.explain) {
        st->why.story = best->id;
        st->why_set = 1;
    }
    if (story_out)
        *story_out = best->id;
    return KH_OK;
}

kh_status kh_story_why_last(const kh_storyer *st, kh_story_why *out)
{
    KHI_RETURN_IF(!st || !out || !st->why_set, KH_E_ARG);
    *out = st->why;
    return KH_OK;
}

void kh_story_flush(kh_storyer *st)
{
    if (!st)
        return;
    /* In id order: gather the open stories first. */
    for (;;) {
        story *next = NULL;
        for (uint32_t i = 0; i < st->n_slots; i++) {
            story *s = st->slots[i];
            if (s && (!next || s->id < next->id))
                next = s;
        }
        if (!next)
            break;
        story_close(st, next);
    }
}

uint64_t kh_story_count(const kh_storyer *st)
{
    return st ? st->n_stories : 0;
}

static const story *find_story(const kh_storyer *st, uint64_t id)
{
    if (!st || id == 0 || id > st->n_stories)
        return NULL;
    if (st->opt.keep_closed)
        return st->all[id - 1];
    /* Without keep_closed, the story an on_close call reads would be
     * searched for among every open slot, for each accessor call. */
    if (st->closing && st->closing->id == id)
        return st->closing;
    for (uint32_t i = 0; i < st->n_slots; i++)
        if (st->slots[i] && st->slots[i]->id == id)
            return st->slots[i];
    return NULL;
}

kh_status kh_story_get(const kh_storyer *st, uint64_t id, kh_story_info *out)
{
    const story *s = find_story(st, id);
    KHI_RETURN_IF(!s || !out, KH_E_ARG);
    out->id = s->id;
    out->lang = s->lang;
    out->n_articles = s->n_art;
    out->dated = s->own.set;
    out->first = s->own.set ? s->own.first : 0;
    out->last = s->own.set ? s->own.last : 0;
    out->open = is_open(st, s);
    return KH_OK;
}

const char *kh_story_article_id(const kh_storyer *st, uint64_t id, size_t i)
{
    const story *s = find_story(st, id);
    if (!s || i >= s->n_art)
        return NULL;
    return s->ids.data + s->id_off[i];
}

size_t kh_story_centroid(const kh_storyer *st, uint64_t id, const uint64_t **terms,
                         const float **weights)
{
    const story *s = find_story(st, id);
    if (!s) {
        if (terms)
            *terms = NULL;
        if (weights)
            *weights = NULL;
        return 0;
    }
    if (terms)
        *terms = s->terms;
    if (weights)
        *weights = s->weights;
    return s->n_terms;
}
