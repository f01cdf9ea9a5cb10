/*
 * kh_account.c — one account per story: headline, summary, sources, names
 * with their variants, disagreements; and its JSON and Markdown forms.
 *
 * Idea. The account is a pure function of the story's articles.
 *   1. Story order: dated articles first by date, then undated, input order
 *      breaking ties. sources[] is that order; sources[0] reported first.
 *   2. Centroid: each article (title + body) is a TF-IDF vector over the
 *      tokenizer's stemmed keys, weight (1 + ln tf) * idf, with
 *      idf = ln(1 + N / df) where df counts the story's articles holding
 *      the term (or, when a df callback is given, ln(1 + D / (df + 1)) over
 *      the reference corpus of D documents). The centroid is the mean of the
 *      L2-normalized article vectors.
 *   3. Headline: the title with the highest cosine to the centroid (ties to
 *      the earliest article), " | site" and " - site" suffixes stripped.
 *   4. Summary: maximal marginal relevance (Carbonell & Goldstein, SIGIR
 *      1998) over body sentences (kh_text_sentences boundaries):
 *        score(s) = lambda * cos(s, centroid) - (1 - lambda) * max J(s, t)
 *      over the sentences t already chosen (the first prose sentence of
 *      each article counts LEAD_BONUS more), J the Jaccard index of the
 *      normalized token sets; a sentence with J > max_jaccard against a
 *      chosen one is never taken. Boilerplate never competes: sentences too
 *      short or too long, mostly non-letters, holding a URL or ©, and
 *      near copies' sentences. A chosen sentence is carried by every article
 *      that has a sentence with J >= 0.5 to it. The summary is printed in
 *      story order.
 *   5. Names (kh_entity.c) and disagreements (kh_numbers.c).
 *
 * Memory. Everything the account points to lives in one arena it owns
 * (internal_); scratch work lives in a second arena freed before return.
 * The term table is open addressing over 64-bit hashes of the keys:
 *
 *   slot: [ hash:64 | id+1:32 ]   (id+1 == 0: empty)   capacity 2^k, <= 70% full
 *
 * Invariant: every summary sentence is a byte-exact span of one body
 * paragraph, and the headline is a prefix of one title.
 */
#include "kh_account_int.h"
#include "kh_text_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAX_TERMS ((size_t)1 << 20)
#define MAX_ARTICLES ((size_t)1 << 16) /* a story past this is refused: KH_E_TOOBIG */
#define LEAD_BONUS 0.15 /* relevance added to each article's first prose sentence */

void kh_account_options_init(kh_account_options *opts)
{
    if (!opts) return;
    memset(opts, 0, sizeof *opts);
    opts->summary_min = 3;
    opts->summary_max = 6;
    opts->mmr_lambda = 0.7;
    opts->max_jaccard = 0.5;
    opts->min_entity_articles = 2;
}

/* ------------------------------------------------------------------ */
/* Terms                                                                */
/* ------------------------------------------------------------------ */

typedef struct slot {
    uint64_t hash;
    uint32_t id1;
} slot;

typedef struct terms {
    slot *slots;
    size_t cap;       /* power of two */
    size_t n;
    const char **key; /* the key of each id (for the df callback) */
    size_t *key_len;
    size_t *df;       /* articles holding it */
    size_t *last;     /* last article counted + 1 */
    double *idf;
    double *centroid;
    kh_arena *tmp;
} terms;

/* The slot of hash h: its term's, or the empty one where it would go. */
static size_t term_slot(const terms *t, uint64_t h)
{
    size_t mask = t->cap - 1, i = (size_t)h & mask;
    while (t->slots[i].id1 && t->slots[i].hash != h) i = (i + 1) & mask;
    return i;
}

/* Adds key (hash h) at its empty slot i; *id is UINT32_MAX when the table
 * is full. */
static kh_status term_add(terms *t, size_t i, uint64_t h, const char *key, size_t key_len,
                          uint32_t *id)
{
    if ((t->n + 1) * 10 > t->cap * 7) { *id = UINT32_MAX; return KH_OK; }
    char *k = kh_arena_strndup(t->tmp, key, key_len);
    KHI_RETURN_IF(!k, KH_E_NOMEM);
    t->slots[i].hash = h;
    t->slots[i].id1 = (uint32_t)(t->n + 1);
    t->key[t->n] = k;
    t->key_len[t->n] = key_len;
    t->df[t->n] = 0;
    t->last[t->n] = 0;
    *id = (uint32_t)t->n++;
    return KH_OK;
}

/* A growing list of uint32 or uint64 in a kh_buf. */
typedef struct collect {
    terms *t;
    const khi_wordlists *lists;
    kh_buf *buf;      /* term ids (on_term) or token hashes (on_word) */
    kh_buf *words;    /* token hashes, when on_key_or_term fills both */
    kh_status rc;
    size_t n_words;
} collect;

static int is_noise_key(const khi_wordlists *lists, const char *token, size_t len)
{
    size_t bl;
    const char *b = khi_bare(token, len, &bl);
    if (khi_wordlists_stopword(lists, token, len) || khi_wordlists_stopword(lists, b, bl))
        return 1;
    size_t cps = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)token[i] & 0xC0) != 0x80) cps++;
    return cps < 2;
}

static int on_term(void *user, unsigned flags, const char *token, size_t token_len,
                   size_t start, size_t end)
{
    (void)start;
    (void)end;
    collect *c = user;
    if (flags & (KH_TOKEN_STOPWORD | KH_TOKEN_NUMBER | KH_TOKEN_COLOCATED)) return 0;
    /* a term already in the table passed the noise test when it was added */
    uint64_t h = XXH3_64bits(token, token_len);
    size_t i = term_slot(c->t, h);
    uint32_t id = c->t->slots[i].id1 - 1;
    if (!c->t->slots[i].id1) {
        if (is_noise_key(c->lists, token, token_len)) return 0;
        c->rc = term_add(c->t, i, h, token, token_len, &id);
        if (c->rc != KH_OK) return 1;
        if (id == UINT32_MAX) return 0;
    }
    c->rc = kh_buf_append(c->buf, &id, sizeof id);
    return c->rc != KH_OK;
}

static int on_word(void *user, unsigned flags, const char *token, size_t token_len,
                   size_t start, size_t end)
{
    (void)start;
    (void)end;
    collect *c = user;
    if (flags & KH_TOKEN_COLOCATED) return 0;
    uint64_t h = XXH3_64bits(token, token_len);
    c->n_words++;
    c->rc = kh_buf_append(c->buf, &h, sizeof h);
    return c->rc != KH_OK;
}

/* One pass for both lists (KHI_TOK_KEYS_AND_TERMS): keys go to on_word's
 * list, terms to on_term's. */
static int on_key_or_term(void *user, unsigned flags, const char *token, size_t token_len,
                          size_t start, size_t end)
{
    collect *c = user;
    if (!(flags & KHI_TOKEN_KEY)) return on_term(user, flags, token, token_len, start, end);
    kh_buf *terms_buf = c->buf;
    c->buf = c->words;
    int r = on_word(user, flags & ~KHI_TOKEN_KEY, token, token_len, start, end);
    c->buf = terms_buf;
    return r;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* A sentence has a few dozen terms: insertion sort beats qsort's calls
 * through a comparison pointer there. Integers, so any sort gives the
 * same order. */
#define SMALL_SORT 64

static void sort_u32(uint32_t *v, size_t n)
{
    if (n > SMALL_SORT) { qsort(v, n, sizeof *v, cmp_u32); return; }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) { v[j] = v[j - 1]; j--; }
        v[j] = x;
    }
}

/* An article's term ids (thousands, below max): LSD radix sort, a byte a
 * pass, only over the bytes max needs; tmp holds n. The same order as any
 * sort. */
static void radix_u32(uint32_t *v, size_t n, uint32_t *tmp, uint32_t max)
{
    for (unsigned shift = 0; shift < 32 && (max >> shift); shift += 8) {
        size_t count[257] = { 0 };
        for (size_t i = 0; i < n; i++) count[((v[i] >> shift) & 0xFF) + 1]++;
        for (size_t d = 1; d < 257; d++) count[d] += count[d - 1];
        for (size_t i = 0; i < n; i++) tmp[count[(v[i] >> shift) & 0xFF]++] = v[i];
        memcpy(v, tmp, n * sizeof *v);
    }
}

static void sort_u64(uint64_t *v, size_t n)
{
    if (n > SMALL_SORT) { qsort(v, n, sizeof *v, khi_cmp_u64); return; }
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) { v[j] = v[j - 1]; j--; }
        v[j] = x;
    }
}

/* ------------------------------------------------------------------ */
/* Sentences                                                            */
/* ------------------------------------------------------------------ */

typedef struct sent {
    size_t article;   /* story position */
    size_t para;
    size_t start, end;
    uint32_t *terms;  /* sorted, repeated per occurrence */
    size_t n_terms;
    uint64_t *set;    /* sorted unique token hashes */
    size_t n_set;
    size_t n_words;
    double rel;
    int eligible;
    int chosen;
} sent;

typedef struct builder {
    kh_ctx *ctx;
    kh_tokenizer *tok;
    kh_arena *tmp;
    terms t;
    const khi_wordlists *lists; /* given, or own_lists */
    khi_wordlists own_lists;
    kh_buf buf;
    kh_buf wbuf;      /* a sentence's token hashes, beside its term ids in buf */
    sent *s;
    size_t n_s, cap_s;
    const kh_account_article *arts;
    size_t n_arts;
    const size_t *order;   /* story order: order[k] is the k-th article */
    uint32_t **title_terms; /* per article in story order: its title's term ids */
    size_t *n_title;
    size_t *first_sent;    /* where article k's sentences start in s; [n] = n_s */
    double cnorm;          /* the centroid's norm */
    size_t cur_article, cur_para;
    const char *cur_text;
    size_t cur_len;
    kh_lang cur_lang;
    const khi_texts_hook *hook; /* or NULL */
    kh_status rc;
} builder;

/* Tokenizes text into sorted term ids (stemmed) and a set of token hashes. */
static kh_status analyse(builder *b, const char *text, size_t text_len, uint32_t **terms_out,
                         size_t *n_terms, uint64_t **set_out, size_t *n_set, size_t *n_words)
{
    collect c = { &b->t, b->lists, &b->buf, &b->wbuf, KH_OK, 0 };
    kh_buf_clear(&b->buf);
    kh_buf_clear(&b->wbuf);
    /* a sentence wants its token hashes too: one pass gives both */
    kh_status rc = set_out ? kh_tokenize(b->tok, b->cur_lang, text, text_len,
                                         KHI_TOK_KEYS_AND_TERMS, on_key_or_term, &c)
                           : kh_tokenize(b->tok, b->cur_lang, text, text_len,
                                         KH_TOK_STEM | KH_TOK_SKIP_STOPWORDS, on_term, &c);
    if (c.rc != KH_OK) return c.rc;
    if (rc != KH_OK && rc != KH_E_STOPPED) return rc;
    size_t n = b->buf.len / sizeof(uint32_t);
    uint32_t *ids = kh_arena_alloc(b->tmp, (n ? n : 1) * sizeof *ids);
    KHI_RETURN_IF(!ids, KH_E_NOMEM);
    if (n) memcpy(ids, b->buf.data, n * sizeof *ids);
    sort_u32(ids, n);
    *terms_out = ids;
    *n_terms = n;
    if (!set_out) return KH_OK;

    n = b->wbuf.len / sizeof(uint64_t);
    uint64_t *h = kh_arena_alloc(b->tmp, (n ? n : 1) * sizeof *h);
    KHI_RETURN_IF(!h, KH_E_NOMEM);
    if (n) memcpy(h, b->wbuf.data, n * sizeof *h);
    sort_u64(h, n);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || h[u - 1] != h[i]) h[u++] = h[i];
    *set_out = h;
    *n_set = u;
    *n_words = c.n_words;
    return KH_OK;
}

static double jaccard(const sent *a, const sent *b)
{
    size_t i = 0, j = 0, inter = 0;
    while (i < a->n_set && j < b->n_set) {
        if (a->set[i] == b->set[j]) { inter++; i++; j++; }
        else if (a->set[i] < b->set[j]) i++;
        else j++;
    }
    size_t uni = a->n_set + b->n_set - inter;
    return uni ? (double)inter / (double)uni : 0.0;
}

static size_t count_words(const char *s, size_t len);

/* Boilerplate: mostly non-letters, links, ©, too short or too long. */
static int looks_like_prose(const char *text, size_t len, size_t n_words)
{
    if (n_words < 6 || n_words > 60) return 0;
    size_t letters = 0, other = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t l = khi_utf8_decode((const unsigned char *)text + i, len - i, &cp);
        if (l == 0) return 0;
        i += l;
        if (cp == ' ') continue;
        if ((cp >= 0x0621 && cp <= 0x064A) || (cp >= 'a' && cp <= 'z') ||
            (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F))
            letters++;
        else
            other++;
        if (cp == 0xA9) return 0; /* © */
    }
    if (letters < 2 * other) return 0;
    /* http:// https:// www. @: one pass, each looked for only where its
     * first byte is */
    for (size_t i = 0; i < len; i++) {
        const char *p = text + i;
        size_t left = len - i;
        switch (*p) {
        case '@': return 0;
        case 'h':
            if ((left >= 7 && memcmp(p, "http://", 7) == 0) ||
                (left >= 8 && memcmp(p, "https://", 8) == 0))
                return 0;
            break;
        case 'w':
            if (left >= 4 && memcmp(p, "www.", 4) == 0) return 0;
            break;
        default: break;
        }
    }
    /* a lead-in that ends on a colon announces what follows it */
    size_t e = len;
    while (e > 0 && (text[e - 1] == ' ')) e--;
    if (e > 0 && text[e - 1] == ':') return 0;
    return 1;
}

static int is_ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A summary never holds a piece of a sentence: the span must start where
 * the paragraph or a sentence starts, and end where one ends. A period
 * inside a number (1.2, 4.75) or a word (U.S.) is no end, whatever
 * splitter gave the span. */
static int whole_sentence(const char *text, size_t text_len, size_t start, size_t end)
{
    size_t p = start;
    while (p > 0 && text[p - 1] == ' ') p--;
    if (p > 0) {
        char c = text[p - 1];
        if (!(c == '.' || c == '!' || c == '?' || c == '\n' || (unsigned char)c == 0x9F /* ؟ */ ||
              (unsigned char)c == 0xA6 /* … */ || c == '"' || (unsigned char)c == 0x9D /* ” */ ||
              (unsigned char)c == 0xBB /* » */))
            return 0;
        if (c == '.' && p >= 2 && is_ascii_alnum(text[p - 2]) && start == p &&
            is_ascii_alnum(text[start]))
            return 0;
    }
    if (end < text_len && end > 0) {
        char c = text[end - 1];
        if (c == '.' && is_ascii_alnum(text[end])) return 0; /* 1.|2 */
        if (is_ascii_alnum(c) && is_ascii_alnum(text[end])) return 0;
    }
    return 1;
}

/* A lead that opens with a dateline ("PLACE (AGENCY) - ", "PLACE — ")
 * starts, for the summary, after it. Returns the new start. */
static size_t after_dateline(const char *text, size_t start, size_t end)
{
    static const char *const dashes[] = { " - ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", " \xd9\x80 " };
    size_t limit = end - start < 80 ? end : start + 80;
    for (size_t i = start; i < limit; i++) {
        if (text[i] != ' ') continue; /* every dash starts with a space */
        for (size_t k = 0; k < sizeof dashes / sizeof dashes[0]; k++) {
            size_t dl = strlen(dashes[k]);
            if (i + dl > end || memcmp(text + i, dashes[k], dl) != 0) continue;
            if (count_words(text + start, i - start) > 5) return start;
            return i + dl;
        }
    }
    return start;
}

static int on_sentence(void *user, size_t start, size_t end)
{
    builder *b = user;
    if (b->n_s == b->cap_s) {
        size_t cap = b->cap_s ? b->cap_s * 2 : 64;
        sent *s = kh_arena_alloc(b->tmp, cap * sizeof *s);
        if (!s) { b->rc = KH_E_NOMEM; return 1; }
        if (b->n_s) memcpy(s, b->s, b->n_s * sizeof *s);
        b->s = s;
        b->cap_s = cap;
    }
    int whole = whole_sentence(b->cur_text, b->cur_len, start, end);
    start = after_dateline(b->cur_text, start, end);
    sent *s = &b->s[b->n_s];
    memset(s, 0, sizeof *s);
    s->article = b->cur_article;
    s->para = b->cur_para;
    s->start = start;
    s->end = end;
    b->rc = analyse(b, b->cur_text + start, end - start, &s->terms, &s->n_terms, &s->set,
                    &s->n_set, &s->n_words);
    if (b->rc != KH_OK) return 1;
    const kh_account_article *a = &b->arts[b->order[b->cur_article]];
    s->eligible = !a->copy_of && whole &&
                  looks_like_prose(b->cur_text + start, end - start, s->n_words);
    b->n_s++;
    return 0;
}

/* Weighted vector of sorted ids: returns the dot product with the centroid
 * and the vector's norm. */
static void weigh(const terms *t, const uint32_t *ids, size_t n, double *dot, double *norm)
{
    double d = 0, q = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && ids[j] == ids[i]) j++;
        double w = (1.0 + log((double)(j - i))) * t->idf[ids[i]];
        d += w * t->centroid[ids[i]];
        q += w * w;
        i = j;
    }
    *dot = d;
    *norm = sqrt(q);
}

/* ------------------------------------------------------------------ */
/* Building                                                             */
/* ------------------------------------------------------------------ */

/* Insertion sort by (dated first, date, input index): stable and small. */
static void story_order(const kh_account_article *arts, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++) order[i] = i;
    for (size_t i = 1; i < n; i++) {
        size_t v = order[i], j = i;
        while (j > 0) {
            const kh_account_article *p = &arts[order[j - 1]], *q = &arts[v];
            int before;
            if (p->date && q->date) before = strcmp(q->date, p->date) < 0;
            else before = q->date && !p->date;
            if (!before) break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

/* When a report came out: its day as written, and when it gives a time,
 * its minute (UTC when the date carries an offset). */
typedef struct report_time {
    long day;
    long minute;      /* minutes since 1970, valid when has_time */
    int has_time;
} report_time;

static int digits(const char *s, size_t n, int *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* Reads "YYYY-MM-DD[THH:MM[:SS][.frac][Z|+HH:MM|-HH:MM]]". 0: not a date. */
static int report_time_of(const char *iso, report_time *t)
{
    int y, mo, d, h, mi;
    size_t len = strlen(iso);
    if (len < 10 || iso[4] != '-' || iso[7] != '-' || !digits(iso, 4, &y) ||
        !digits(iso + 5, 2, &mo) || !digits(iso + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 ||
        d > khi_days_in_month(y, mo))
        return 0;
    t->day = khi_days_from_civil(y, mo, d);
    t->has_time = 0;
    t->minute = 0;
    if (len < 16 || (iso[10] != 'T' && iso[10] != ' ') || iso[13] != ':' ||
        !digits(iso + 11, 2, &h) || !digits(iso + 14, 2, &mi) || h > 23 || mi > 59)
        return 1;
    t->has_time = 1;
    t->minute = t->day * 1440 + h * 60 + mi;
    const char *z = iso + 16;
    if (*z == ':') z += 3; /* seconds */
    if (*z == '.') do z++; while (*z >= '0' && *z <= '9');
    int oh, om;
    if ((*z == '+' || *z == '-') && strlen(z) >= 6 && z[3] == ':' && digits(z + 1, 2, &oh) &&
        digits(z + 4, 2, &om))
        t->minute -= (*z == '+' ? 1 : -1) * (oh * 60 + om);
    return 1;
}

/* The first report (kh_account_first), or NULL when none can be named.
 * src is in story order; order[k] is the article of src[k]. */
static kh_status first_report(kh_arena *dst, kh_arena *tmp, const kh_account_article *arts,
                              size_t n, const size_t *order, const kh_account_first **out)
{
    *out = NULL;
    report_time *rt = kh_arena_alloc(tmp, n * sizeof *rt);
    int *orig = kh_arena_alloc(tmp, n * sizeof *orig);
    KHI_RETURN_IF(!rt || !orig, KH_E_NOMEM);
    size_t n_orig = 0, n_dated = 0, best = SIZE_MAX;
    for (size_t k = 0; k < n; k++) {
        const kh_account_article *a = &arts[order[k]];
        /* a copy of an article of the story is no report of its own */
        orig[k] = 1;
        for (size_t j = 0; a->copy_of && j < n && orig[k]; j++)
            orig[k] = !(j != order[k] && strcmp(arts[j].id, a->copy_of) == 0);
        if (!orig[k]) continue;
        n_orig++;
        if (!a->date || !report_time_of(a->date, &rt[k])) {
            orig[k] = 2; /* an undated original */
            continue;
        }
        n_dated++;
        if (best == SIZE_MAX || rt[k].day < rt[best].day ||
            (rt[k].day == rt[best].day && rt[k].has_time &&
             (!rt[best].has_time || rt[k].minute < rt[best].minute)))
            best = k;
    }
    if (best == SIZE_MAX || 2 * n_dated < n_orig) return KH_OK;
    /* tied: the same day, and no two times to order them by */
    size_t *tied = kh_arena_alloc(dst, n * sizeof *tied), n_tied = 0;
    kh_account_first *f = kh_arena_alloc(dst, sizeof *f);
    KHI_RETURN_IF(!tied || !f, KH_E_NOMEM);
    for (size_t k = 0; k < n; k++)
        if (k != best && orig[k] == 1 && rt[k].day == rt[best].day &&
            !(rt[k].has_time && rt[best].has_time))
            tied[n_tied++] = k;
    f->source = best;
    f->tied = n_tied ? tied : NULL;
    f->n_tied = n_tied;
    f->basis = n_tied ? "same_day" : rt[best].has_time ? "time" : "date";
    f->n_originals = n_orig;
    f->n_dated = n_dated;
    *out = f;
    return KH_OK;
}

static const char *dup(kh_arena *a, const char *s, kh_status *rc)
{
    if (!s) return NULL;
    char *d = kh_arena_strndup(a, s, strlen(s));
    if (!d) *rc = KH_E_NOMEM;
    return d;
}

static size_t count_words(const char *s, size_t len)
{
    size_t n = 0;
    int in = 0;
    for (size_t i = 0; i < len; i++) {
        int sp = s[i] == ' ';
        if (!sp && !in) n++;
        in = !sp;
    }
    return n;
}

/* The title without a trailing " | site" or " - site" (the site part short,
 * the rest long enough to stand alone). */
static size_t strip_site(const char *title, size_t len)
{
    static const char *const seps[] = { " | ", " - ", " – ", " — ", " :: ", " « " };
    size_t best = len;
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        size_t sl = strlen(seps[k]);
        for (size_t i = len; i-- > 0;) {
            /* every separator starts with a space */
            if (title[i] != ' ' || i + sl > len || memcmp(title + i, seps[k], sl) != 0) continue;
            size_t tail = count_words(title + i + sl, len - i - sl);
            size_t head = count_words(title, i);
            if (tail >= 1 && tail <= 4 && head >= 3 && i < best) best = i;
            break; /* only the last separator of each kind */
        }
    }
    while (best > 0 && title[best - 1] == ' ') best--;
    return best;
}

/* 1. The articles in story order, their ids, sources and time span, and
 * the first report. */
static kh_status account_sources(builder *b, kh_arena *dst, kh_account *acc)
{
    const kh_account_article *arts = b->arts;
    size_t n = b->n_arts;
    kh_status rc = KH_OK;
    size_t *order = kh_arena_alloc(b->tmp, n * sizeof *order);
    const char **ids = kh_arena_alloc(dst, n * sizeof *ids);
    kh_account_source *src = kh_arena_alloc(dst, n * sizeof *src);
    KHI_RETURN_IF(!order || !ids || !src, KH_E_NOMEM);
    story_order(arts, n, order);
    b->order = order;
    for (size_t i = 0; i < n; i++) ids[i] = dup(dst, arts[i].id, &rc);
    for (size_t k = 0; k < n; k++) {
        const kh_account_article *a = &arts[order[k]];
        src[k].article = order[k];
        src[k].id = ids[order[k]];
        src[k].source = dup(dst, a->source, &rc);
        src[k].date = dup(dst, a->date, &rc);
        src[k].title = dup(dst, a->title, &rc);
        if (src[k].date) {
            if (!acc->date_first) acc->date_first = src[k].date;
            acc->date_last = src[k].date;
        }
    }
    KHI_FORWARD_IF_ERROR(rc);
    KHI_FORWARD_IF_ERROR(first_report(dst, b->tmp, arts, n, order, &acc->first));
    acc->n_articles = n;
    acc->ids = ids;
    acc->sources = src;
    acc->n_sources = n;
    return KH_OK;
}

/* 2. The term table, sized from the text, capped. */
static kh_status account_terms(builder *b)
{
    const kh_account_article *arts = b->arts;
    size_t n = b->n_arts;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        if (arts[i].title) bytes += strlen(arts[i].title) + 1;
        for (size_t k = 0; k < arts[i].n_body; k++)
            if (arts[i].body[k]) bytes += strlen(arts[i].body[k]) + 1;
    }
    size_t want = bytes / 3 + 16, cap = 64;
    while (cap < want * 2 && cap < MAX_TERMS * 2) cap *= 2;
    terms *t = &b->t;
    t->tmp = b->tmp;
    t->cap = cap;
    t->slots = kh_arena_alloc(b->tmp, cap * sizeof *t->slots);
    t->key = kh_arena_alloc(b->tmp, cap * sizeof *t->key);
    t->key_len = kh_arena_alloc(b->tmp, cap * sizeof *t->key_len);
    t->df = kh_arena_alloc(b->tmp, cap * sizeof *t->df);
    t->last = kh_arena_alloc(b->tmp, cap * sizeof *t->last);
    KHI_RETURN_IF(!t->slots || !t->key || !t->key_len || !t->df || !t->last, KH_E_NOMEM);
    memset(t->slots, 0, cap * sizeof *t->slots);
    return KH_OK;
}

/* 3. Titles and body sentences analysed, in story order: each article's
 * title terms, and where its sentences start in b->s. */
static kh_status account_sentences(builder *b)
{
    const kh_account_article *arts = b->arts;
    const size_t *order = b->order;
    size_t n = b->n_arts;
    uint32_t **title_terms = kh_arena_alloc(b->tmp, n * sizeof *title_terms);
    size_t *n_title = kh_arena_alloc(b->tmp, n * sizeof *n_title);
    size_t *first_sent = kh_arena_alloc(b->tmp, (n + 1) * sizeof *first_sent);
    b->title_terms = title_terms;
    b->n_title = n_title;
    b->first_sent = first_sent;
    KHI_RETURN_IF(!title_terms || !n_title || !first_sent, KH_E_NOMEM);
    for (size_t k = 0; k < n; k++) {
        const kh_account_article *a = &arts[order[k]];
        b->cur_article = k;
        b->cur_lang = a->lang;
        title_terms[k] = NULL;
        n_title[k] = 0;
        if (a->title)
            KHI_FORWARD_IF_ERROR(analyse(b, a->title, strlen(a->title), &title_terms[k],
                                         &n_title[k], NULL, NULL, NULL));
        first_sent[k] = b->n_s;
        for (size_t p = 0; p < a->n_body; p++) {
            if (!a->body[p]) continue;
            b->cur_para = p;
            b->cur_text = a->body[p];
            b->cur_len = strlen(a->body[p]);
            kh_status r = kh_text_sentences(a->body[p], b->cur_len, on_sentence, b);
            KHI_FORWARD_IF_ERROR(b->rc);
            if (r != KH_OK && r != KH_E_STOPPED) return r;
        }
    }
    first_sent[n] = b->n_s;
    return KH_OK;
}

/* 4. Document frequencies across the story's articles, idf (the run's,
 * when the options give one) and the story's centroid. */
static kh_status account_centroid(builder *b, const kh_account_options *o)
{
    size_t n = b->n_arts;
    terms *t = &b->t;
    uint32_t *const *title_terms = b->title_terms;
    const size_t *n_title = b->n_title, *first_sent = b->first_sent;
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < n_title[k]; i++) {
            uint32_t id = title_terms[k][i];
            if (t->last[id] != k + 1) { t->last[id] = k + 1; t->df[id]++; }
        }
        for (size_t s = first_sent[k]; s < first_sent[k + 1]; s++)
            for (size_t i = 0; i < b->s[s].n_terms; i++) {
                uint32_t id = b->s[s].terms[i];
                if (t->last[id] != k + 1) { t->last[id] = k + 1; t->df[id]++; }
            }
    }
    t->idf = kh_arena_alloc(b->tmp, (t->n ? t->n : 1) * sizeof *t->idf);
    t->centroid = kh_arena_alloc(b->tmp, (t->n ? t->n : 1) * sizeof *t->centroid);
    KHI_RETURN_IF(!t->idf || !t->centroid, KH_E_NOMEM);
    for (size_t i = 0; i < t->n; i++) {
        double idf = log(1.0 + (double)n / (double)(t->df[i] ? t->df[i] : 1));
        if (o->df && o->df_docs > 0) {
            double d = o->df(o->df_user, t->key[i], t->key_len[i]);
            if (d >= 0) idf = log(1.0 + o->df_docs / (d + 1.0));
        }
        t->idf[i] = idf;
        t->centroid[i] = 0;
    }
    for (size_t k = 0; k < n; k++) {
        /* the article's ids: title and sentences, sorted */
        size_t m = n_title[k];
        for (size_t s = first_sent[k]; s < first_sent[k + 1]; s++) m += b->s[s].n_terms;
        if (m == 0) continue;
        uint32_t *all = kh_arena_alloc(b->tmp, 2 * m * sizeof *all);
        KHI_RETURN_IF(!all, KH_E_NOMEM);
        size_t c = 0;
        for (size_t i = 0; i < n_title[k]; i++) all[c++] = title_terms[k][i];
        for (size_t s = first_sent[k]; s < first_sent[k + 1]; s++)
            for (size_t i = 0; i < b->s[s].n_terms; i++) all[c++] = b->s[s].terms[i];
        if (m <= SMALL_SORT) sort_u32(all, m);
        else radix_u32(all, m, all + m, (uint32_t)(t->n ? t->n - 1 : 0));
        double dot, norm;
        weigh(t, all, m, &dot, &norm);
        if (norm <= 0) continue;
        for (size_t i = 0; i < m;) {
            size_t j = i;
            while (j < m && all[j] == all[i]) j++;
            double w = (1.0 + log((double)(j - i))) * t->idf[all[i]];
            t->centroid[all[i]] += w / norm / (double)n;
            i = j;
        }
    }
    double cnorm = 0;
    for (size_t i = 0; i < t->n; i++) cnorm += t->centroid[i] * t->centroid[i];
    cnorm = sqrt(cnorm);
    if (cnorm <= 0) cnorm = 1;
    b->cnorm = cnorm;
    return KH_OK;
}

/* 5. The headline: the most central title, ties to the earliest. */
static kh_status account_headline(builder *b, kh_arena *dst, kh_account *acc)
{
    const kh_account_article *arts = b->arts;
    const size_t *order = b->order;
    size_t n = b->n_arts;
    terms *t = &b->t;
    double cnorm = b->cnorm;
    uint32_t *const *title_terms = b->title_terms;
    const size_t *n_title = b->n_title;
    double best = -1;
    for (size_t k = 0; k < n; k++) {
        const kh_account_article *a = &arts[order[k]];
        if (!a->title || !a->title[0]) continue;
        double dot, norm;
        weigh(t, title_terms[k], n_title[k], &dot, &norm);
        double cos = norm > 0 ? dot / (norm * cnorm) : 0;
        if (cos > best + 1e-12) {
            best = cos;
            acc->headline_article = order[k];
            size_t len = strip_site(a->title, strlen(a->title));
            acc->headline = kh_arena_strndup(dst, a->title, len);
            KHI_RETURN_IF(!acc->headline, KH_E_NOMEM);
        }
    }
    return KH_OK;
}

/* 6. The summary: sentences chosen by maximal marginal relevance, shown
 * in story order, each with the articles that carry it. */
static kh_status account_summary(builder *b, kh_arena *dst, const kh_account_options *o,
                                 kh_account *acc)
{
    const kh_account_article *arts = b->arts;
    const size_t *order = b->order;
    size_t n = b->n_arts;
    terms *t = &b->t;
    double cnorm = b->cnorm;
    const size_t *first_sent = b->first_sent;
    size_t n_elig = 0;
    for (size_t k = 0; k < n; k++) {
        int lead = 1;
        for (size_t s = first_sent[k]; s < first_sent[k + 1]; s++) {
            double dot, norm;
            weigh(t, b->s[s].terms, b->s[s].n_terms, &dot, &norm);
            b->s[s].rel = norm > 0 ? dot / (norm * cnorm) : 0;
            /* news puts what happened first: the lead counts a little more */
            if (b->s[s].eligible && lead) {
                b->s[s].rel *= 1.0 + LEAD_BONUS;
                lead = 0;
            }
            n_elig += b->s[s].eligible;
        }
    }
    size_t target = o->summary_min + n / 2;
    if (target > o->summary_max) target = o->summary_max;
    if (target < o->summary_min) target = o->summary_min;
    size_t *chosen = kh_arena_alloc(b->tmp, (target ? target : 1) * sizeof *chosen);
    KHI_RETURN_IF(!chosen, KH_E_NOMEM);
    /* red[s]: the highest Jaccard of s with a chosen sentence, kept up to
     * date as each is chosen rather than worked out again every round */
    double *red = kh_arena_alloc(b->tmp, (b->n_s ? b->n_s : 1) * sizeof *red);
    KHI_RETURN_IF(!red, KH_E_NOMEM);
    for (size_t s = 0; s < b->n_s; s++) red[s] = 0;
    size_t n_chosen = 0;
    while (n_chosen < target) {
        size_t pick = SIZE_MAX;
        double pick_score = -1e9;
        for (size_t s = 0; s < b->n_s; s++) {
            sent *x = &b->s[s];
            if (!x->eligible || x->chosen) continue;
            if (red[s] > o->max_jaccard) continue;
            double score = o->mmr_lambda * x->rel - (1.0 - o->mmr_lambda) * red[s];
            if (score > pick_score + 1e-12) { pick_score = score; pick = s; }
        }
        if (pick == SIZE_MAX) break;
        b->s[pick].chosen = 1;
        chosen[n_chosen++] = pick;
        if (n_chosen == target) break;
        for (size_t s = 0; s < b->n_s; s++) {
            sent *x = &b->s[s];
            if (!x->eligible || x->chosen || red[s] > o->max_jaccard) continue;
            double j = jaccard(x, &b->s[pick]);
            if (j > red[s]) red[s] = j;
        }
    }
    /* story order: the sentence index already is */
    for (size_t i = 1; i < n_chosen; i++) {
        size_t v = chosen[i], j = i;
        while (j > 0 && chosen[j - 1] > v) { chosen[j] = chosen[j - 1]; j--; }
        chosen[j] = v;
    }
    kh_account_sentence *sum = kh_arena_alloc(dst, (n_chosen ? n_chosen : 1) * sizeof *sum);
    KHI_RETURN_IF(!sum, KH_E_NOMEM);
    for (size_t i = 0; i < n_chosen; i++) {
        const sent *x = &b->s[chosen[i]];
        const kh_account_article *a = &arts[order[x->article]];
        sum[i].text = kh_arena_strndup(dst, a->body[x->para] + x->start, x->end - x->start);
        size_t *car = kh_arena_alloc(dst, n * sizeof *car);
        KHI_RETURN_IF(!sum[i].text || !car, KH_E_NOMEM);
        size_t nc = 0;
        for (size_t k = 0; k < n; k++) {
            int has = 0;
            for (size_t s = first_sent[k]; s < first_sent[k + 1] && !has; s++) {
                /* J <= min/max: sets of sizes under half apart never reach 0.5 */
                size_t lo = x->n_set < b->s[s].n_set ? x->n_set : b->s[s].n_set;
                size_t hi = x->n_set < b->s[s].n_set ? b->s[s].n_set : x->n_set;
                if (2 * lo < hi) continue;
                has = jaccard(x, &b->s[s]) >= 0.5;
            }
            if (has) car[nc++] = order[k];
        }
        sum[i].article = order[x->article];
        sum[i].paragraph = x->para;
        sum[i].offset = x->start;
        sum[i].carriers = car;
        sum[i].n_carriers = nc;
        sum[i].relevance = x->rel;
    }
    acc->summary = n_chosen ? sum : NULL;
    acc->n_summary = n_chosen;
    (void)n_elig;
    return KH_OK;
}

/* 7. Names, disagreements and quotes, from the same words of each text. */
static kh_status account_names(builder *b, kh_arena *dst, const kh_account_options *o,
                               kh_account *acc)
{
    const kh_account_article *arts = b->arts;
    const size_t *order = b->order;
    size_t n = b->n_arts;
    khi_article_texts *texts = kh_arena_alloc(b->tmp, n * sizeof *texts);
    KHI_RETURN_IF(!texts, KH_E_NOMEM);
    size_t n_words = 0;
    for (size_t k = 0; k < n; k++) {
        const kh_account_article *a = &arts[order[k]];
        texts[k].n_texts = 1 + a->n_body;
        texts[k].texts = kh_arena_alloc(b->tmp, texts[k].n_texts * sizeof *texts[k].texts);
        KHI_RETURN_IF(!texts[k].texts, KH_E_NOMEM);
        for (size_t p = 0; p < texts[k].n_texts; p++) {
            khi_text *x = &texts[k].texts[p];
            x->text = p == 0 ? a->title : a->body[p - 1];
            x->text_len = x->text ? strlen(x->text) : 0;
            x->words = NULL;
            x->n_words = 0;
            if (x->text)
                KHI_FORWARD_IF_ERROR(khi_words(b->tmp, x->text, x->text_len, &x->words,
                                               &x->n_words));
            n_words += x->n_words;
        }
    }
    khi_lexicon lex;
    KHI_FORWARD_IF_ERROR(khi_lexicon_init(&lex, b->lists, b->tmp, n_words));
    for (size_t k = 0; k < n; k++)
        for (size_t p = 0; p < texts[k].n_texts; p++)
            KHI_FORWARD_IF_ERROR(
                khi_lexicon_add(&lex, texts[k].texts[p].words, texts[k].texts[p].n_words));
    kh_account_entity *ent;
    size_t n_ent;
    KHI_FORWARD_IF_ERROR(khi_entities(dst, b->tmp, arts, n, order, texts,
                                      o->min_entity_articles, &ent, &n_ent));
    acc->entities = ent;
    acc->n_entities = n_ent;
    kh_account_disagreement *dis;
    size_t n_dis;
    KHI_FORWARD_IF_ERROR(khi_disagreements(dst, b->tmp, arts, n, order, texts, &dis, &n_dis));
    acc->disagreements = dis;
    acc->n_disagreements = n_dis;
    /* after the name and number finders: the words' lexemes know their
     * answers by now */
    if (b->hook)
        KHI_FORWARD_IF_ERROR(b->hook->fn(b->hook->user, texts, n, acc->headline));
    kh_account_quote *quotes;
    size_t n_quotes;
    KHI_FORWARD_IF_ERROR(
        khi_quotes(dst, b->tmp, n, order, texts, ent, n_ent, &quotes, &n_quotes));
    acc->quotes = quotes;
    acc->n_quotes = n_quotes;
    return KH_OK;
}

static kh_status build(builder *b, kh_arena *dst, const kh_account_options *o, kh_account *acc)
{
    if (!b->lists) {
        KHI_FORWARD_IF_ERROR(khi_wordlists_init(&b->own_lists, b->tmp));
        b->lists = &b->own_lists;
    }
    KHI_FORWARD_IF_ERROR(account_sources(b, dst, acc));
    KHI_FORWARD_IF_ERROR(account_terms(b));
    KHI_FORWARD_IF_ERROR(account_sentences(b));
    KHI_FORWARD_IF_ERROR(account_centroid(b, o));
    KHI_FORWARD_IF_ERROR(account_headline(b, dst, acc));
    KHI_FORWARD_IF_ERROR(account_summary(b, dst, o, acc));
    return account_names(b, dst, o, acc);
}

struct khi_account_words {
    kh_ctx *ctx;
    kh_arena *arena; /* the table's slots */
    khi_wordlists lists;
};

kh_status khi_account_words_create(kh_ctx *ctx, khi_account_words **out)
{
    *out = NULL;
    khi_account_words *w = kh_malloc(ctx, sizeof *w);
    KHI_RETURN_IF(!w, KH_E_NOMEM);
    w->ctx = ctx;
    w->arena = NULL;
    kh_status rc = kh_arena_create(ctx, &w->arena);
    if (rc == KH_OK) rc = khi_wordlists_init(&w->lists, w->arena);
    if (rc != KH_OK) {
        khi_account_words_free(w);
        return rc;
    }
    *out = w;
    return KH_OK;
}

void khi_account_words_free(khi_account_words *words)
{
    if (!words) return;
    kh_arena_free(words->arena);
    kh_free(words->ctx, words, sizeof *words);
}

kh_status kh_account_build(kh_ctx *ctx, kh_tokenizer *tok, const kh_account_article *articles,
                           size_t n_articles, const kh_account_options *opts, kh_account **out)
{
    return khi_account_build(ctx, tok, NULL, articles, n_articles, opts, NULL, out);
}

kh_status khi_account_build(kh_ctx *ctx, kh_tokenizer *tok, const khi_account_words *words,
                            const kh_account_article *articles, size_t n_articles,
                            const kh_account_options *opts, const khi_texts_hook *hook,
                            kh_account **out)
{
    if (out) *out = NULL;
    if (!ctx || !tok || !out || !articles || n_articles == 0)
        return kh_ctx_error(ctx, KH_E_ARG, "%s:%d: account: no articles", __FILE__, __LINE__);
    if (n_articles > MAX_ARTICLES)
        return kh_ctx_error(ctx, KH_E_TOOBIG, "%s:%d: account: %zu articles, more than %zu",
                            __FILE__, __LINE__, n_articles, MAX_ARTICLES);
    for (size_t i = 0; i < n_articles; i++) {
        if (!articles[i].id)
            return kh_ctx_error(ctx, KH_E_ARG, "%s:%d: account: article %zu has no id",
                                __FILE__, __LINE__, i);
        if (articles[i].n_body && !articles[i].body)
            return kh_ctx_error(ctx, KH_E_ARG, "%s:%d: account: article %zu: body is NULL",
                                __FILE__, __LINE__, i);
    }
    kh_account_options o;
    if (opts) o = *opts;
    else kh_account_options_init(&o);
    if (o.summary_max < o.summary_min) o.summary_max = o.summary_min;

    kh_arena *dst = NULL, *tmp = NULL;
    kh_status rc = kh_arena_create(ctx, &dst);
    if (rc == KH_OK) rc = kh_arena_create(ctx, &tmp);
    kh_account *acc = NULL;
    builder b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    b.tok = tok;
    b.tmp = tmp;
    b.arts = articles;
    b.n_arts = n_articles;
    b.lists = words ? &words->lists : NULL;
    b.hook = hook;
    kh_buf_init(&b.buf, ctx, 0);
    kh_buf_init(&b.wbuf, ctx, 0);
    if (rc == KH_OK) {
        acc = kh_arena_alloc(dst, sizeof *acc);
        if (!acc) rc = KH_E_NOMEM;
    }
    if (rc == KH_OK) {
        memset(acc, 0, sizeof *acc);
        acc->internal_ = dst;
        rc = build(&b, dst, &o, acc);
    }
    kh_buf_free(&b.buf);
    kh_buf_free(&b.wbuf);
    kh_arena_free(tmp);
    if (rc != KH_OK) {
        kh_arena_free(dst);
        if (rc == KH_E_NOMEM)
            kh_ctx_error(ctx, rc, "%s:%d: account: out of memory", __FILE__, __LINE__);
        return rc;
    }
    *out = acc;
    return KH_OK;
}

void kh_account_free(kh_account *account)
{
    if (!account) return;
    kh_arena_free(account->internal_);
}

/* ------------------------------------------------------------------ */
/* JSON and Markdown                                                    */
/* ------------------------------------------------------------------ */

static kh_status json_str(kh_buf *out, const char *s)
{
    if (!s) return kh_buf_puts(out, "null");
    return kh_buf_json_string(out, s, strlen(s));
}

static kh_status json_ids(kh_buf *out, const kh_account *acc, const size_t *idx, size_t n)
{
    KHI_FORWARD_IF_ERROR(kh_buf_puts(out, "["));
    for (size_t i = 0; i < n; i++) {
        if (i) KHI_FORWARD_IF_ERROR(kh_buf_puts(out, ","));
        KHI_FORWARD_IF_ERROR(json_str(out, acc->ids[idx[i]]));
    }
    return kh_buf_puts(out, "]");
}

kh_status kh_account_json(const kh_account *acc, unsigned flags, kh_buf *out)
{
    int in_story = (flags & KH_ACCOUNT_JSON_IN_STORY) != 0;
    KHI_RETURN_IF(!acc || !out, KH_E_ARG);
    size_t mark = out->len;
    kh_status rc;
#define J(expr) do { if ((rc = (expr)) != KH_OK) goto fail; } while (0)
    J(kh_buf_puts(out, "\"headline\":"));
    J(json_str(out, acc->headline));
    if (!in_story) {
        J(kh_buf_puts(out, ",\"time\":{\"first\":"));
        J(json_str(out, acc->date_first));
        J(kh_buf_puts(out, ",\"last\":"));
        J(json_str(out, acc->date_last));
        J(kh_buf_puts(out, "}"));
    }
    J(kh_buf_puts(out, ",\"sources\":["));
    for (size_t i = 0; i < acc->n_sources; i++) {
        const kh_account_source *s = &acc->sources[i];
        J(kh_buf_puts(out, i ? ",{\"id\":" : "{\"id\":"));
        J(json_str(out, s->id));
        J(kh_buf_puts(out, ",\"source\":"));
        J(json_str(out, s->source));
        J(kh_buf_puts(out, ",\"date\":"));
        J(json_str(out, s->date));
        J(kh_buf_puts(out, ",\"title\":"));
        J(json_str(out, s->title));
        J(kh_buf_puts(out, "}"));
    }
    J(kh_buf_puts(out, "],\"first_source\":"));
    if (acc->first && acc->first->source < acc->n_sources) {
        const kh_account_first *f = acc->first;
        const kh_account_source *s = &acc->sources[f->source];
        J(kh_buf_puts(out, "{\"id\":"));
        J(json_str(out, s->id));
        J(kh_buf_puts(out, ",\"source\":"));
        J(json_str(out, s->source));
        J(kh_buf_puts(out, ",\"date\":"));
        J(json_str(out, s->date));
        if (f->basis) { /* NULL: read back from an account stored without it */
            J(kh_buf_printf(out, ",\"basis\":\"%s\",\"same_day\":[", f->basis));
            for (size_t i = 0; i < f->n_tied; i++) {
                if (i) J(kh_buf_puts(out, ","));
                J(json_str(out, acc->sources[f->tied[i]].id));
            }
            J(kh_buf_printf(out, "],\"originals\":%zu,\"dated\":%zu", f->n_originals,
                            f->n_dated));
        }
        J(kh_buf_puts(out, "}"));
    } else {
        J(kh_buf_puts(out, "null"));
    }
    J(kh_buf_puts(out, ",\"summary\":["));
    for (size_t i = 0; i < acc->n_summary; i++) {
        J(kh_buf_puts(out, i ? ",{\"text\":" : "{\"text\":"));
        J(json_str(out, acc->summary[i].text));
        J(kh_buf_puts(out, ",\"ids\":"));
        J(json_ids(out, acc, acc->summary[i].carriers, acc->summary[i].n_carriers));
        J(kh_buf_puts(out, "}"));
    }
    J(kh_buf_puts(out, "],\"entities\":["));
    for (size_t i = 0; i < acc->n_entities; i++) {
        const kh_account_entity *e = &acc->entities[i];
        J(kh_buf_puts(out, i ? ",{\"name\":" : "{\"name\":"));
        J(json_str(out, e->name));
        J(kh_buf_printf(out, ",\"kind\":\"%s\",\"variants\":[", kh_entity_kind_name(e->kind)));
        for (size_t v = 0; v < e->n_variants; v++) {
            if (v) J(kh_buf_puts(out, ","));
            J(json_str(out, e->variants[v]));
        }
        J(kh_buf_printf(out, "],\"article_count\":%zu,\"mentions\":%zu}", e->n_articles,
                        e->n_mentions));
    }
    J(kh_buf_puts(out, "],\"disagreements\":["));
    for (size_t i = 0; i < acc->n_disagreements; i++) {
        const kh_account_disagreement *d = &acc->disagreements[i];
        J(kh_buf_puts(out, i ? ",{\"about\":" : "{\"about\":"));
        J(json_str(out, d->about));
        J(kh_buf_puts(out, ",\"values\":["));
        for (size_t v = 0; v < d->n_values; v++) {
            J(kh_buf_printf(out, "%s{\"value\":%.15g,\"ids\":", v ? "," : "", d->values[v].value));
            J(json_ids(out, acc, d->values[v].articles, d->values[v].n_articles));
            if (d->values[v].sentence) { /* NULL: read back from an older store */
                J(kh_buf_puts(out, ",\"sentence\":"));
                J(json_str(out, d->values[v].sentence));
            }
            J(kh_buf_puts(out, "}"));
        }
        J(kh_buf_puts(out, "]}"));
    }
    J(kh_buf_puts(out, "],\"quotes\":["));
    for (size_t i = 0; i < acc->n_quotes; i++) {
        const kh_account_quote *q = &acc->quotes[i];
        J(kh_buf_puts(out, i ? ",{\"speaker\":" : "{\"speaker\":"));
        J(json_str(out, q->speaker));
        J(kh_buf_puts(out, ",\"text\":"));
        J(json_str(out, q->text));
        J(kh_buf_printf(out, ",\"kind\":\"%s\",\"sentence\":", q->reported ? "reported" : "direct"));
        J(json_str(out, q->sentence));
        J(kh_buf_puts(out, ",\"ids\":"));
        J(json_ids(out, acc, q->carriers, q->n_carriers));
        J(kh_buf_puts(out, "}"));
    }
    J(kh_buf_puts(out, "]"));
#undef J
    return KH_OK;
fail:
    out->len = mark;
    if (out->data) out->data[mark] = '\0';
    return rc;
}

/* A short name for an article in Markdown: its source, else its id. */
static const char *who(const kh_account *acc, size_t article)
{
    for (size_t i = 0; i < acc->n_sources; i++)
        if (acc->sources[i].article == article)
            return acc->sources[i].source ? acc->sources[i].source : acc->sources[i].id;
    return acc->ids[article];
}

static kh_status md_marks(kh_buf *out, const kh_account *acc, const size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        KHI_FORWARD_IF_ERROR(kh_buf_printf(out, "%s%s", i ? ", " : "", who(acc, idx[i])));
    return KH_OK;
}

kh_status kh_account_markdown(const kh_account *acc, kh_buf *out)
{
    KHI_RETURN_IF(!acc || !out, KH_E_ARG);
    size_t mark = out->len;
    kh_status rc;
#define M(expr) do { if ((rc = (expr)) != KH_OK) goto fail; } while (0)
    M(kh_buf_printf(out, "## %s\n\n", acc->headline ? acc->headline : "(untitled)"));
    if (acc->date_first && strcmp(acc->date_first, acc->date_last) != 0)
        M(kh_buf_printf(out, "*%s to %s*", acc->date_first, acc->date_last));
    else if (acc->date_first)
        M(kh_buf_printf(out, "*%s*", acc->date_first));
    else
        M(kh_buf_puts(out, "*undated*"));
    M(kh_buf_printf(out, " · %zu reports\n\n", acc->n_sources));
    if (acc->n_summary) {
        M(kh_buf_puts(out, "### What happened\n\n"));
        for (size_t i = 0; i < acc->n_summary; i++) {
            M(kh_buf_printf(out, "- %s (", acc->summary[i].text));
            M(md_marks(out, acc, acc->summary[i].carriers, acc->summary[i].n_carriers));
            M(kh_buf_puts(out, ")\n"));
        }
        M(kh_buf_puts(out, "\n"));
    }
    M(kh_buf_puts(out, "### Sources\n\n"));
    for (size_t i = 0; i < acc->n_sources; i++) {
        const kh_account_source *s = &acc->sources[i];
        int first = acc->first && acc->first->source == i;
        int tied = 0;
        for (size_t k = 0; acc->first && k < acc->first->n_tied; k++)
            tied |= acc->first->tied[k] == i;
        M(kh_buf_printf(out, "%zu. %s%s — %s (%s)%s\n", i + 1,
                        first ? "**first:** " : tied ? "**first, same day:** " : "",
                        s->source ? s->source : "unknown source", s->title ? s->title : s->id,
                        s->date ? s->date : "undated", ""));
    }
    if (acc->n_entities) {
        M(kh_buf_puts(out, "\n### Names\n\n"));
        for (size_t i = 0; i < acc->n_entities; i++) {
            const kh_account_entity *e = &acc->entities[i];
            M(kh_buf_printf(out, "- **%s** (%s, %zu reports)", e->name, kh_entity_kind_name(e->kind),
                            e->n_articles));
            if (e->n_variants > 1) {
                M(kh_buf_puts(out, ": "));
                for (size_t v = 0; v < e->n_variants; v++)
                    M(kh_buf_printf(out, "%s%s", v ? " / " : "", e->variants[v]));
            }
            M(kh_buf_puts(out, "\n"));
        }
    }
    if (acc->n_disagreements) {
        M(kh_buf_puts(out, "\n### Where the reports differ\n\n"));
        for (size_t i = 0; i < acc->n_disagreements; i++) {
            const kh_account_disagreement *d = &acc->disagreements[i];
            M(kh_buf_printf(out, "- %s: ", d->about));
            for (size_t v = 0; v < d->n_values; v++) {
                M(kh_buf_printf(out, "%s%.15g (", v ? "; " : "", d->values[v].value));
                M(md_marks(out, acc, d->values[v].articles, d->values[v].n_articles));
                M(kh_buf_puts(out, ")"));
            }
            M(kh_buf_puts(out, "\n"));
        }
    }
    if (acc->n_quotes) {
        M(kh_buf_puts(out, "\n### Who said what\n\n"));
        for (size_t i = 0; i < acc->n_quotes; i++) {
            const kh_account_quote *q = &acc->quotes[i];
            if (q->reported)
                M(kh_buf_printf(out, "- **%s** (reported): %s (", q->speaker, q->text));
            else
                M(kh_buf_printf(out, "- **%s**: «%s» (", q->speaker, q->text));
            M(md_marks(out, acc, q->carriers, q->n_carriers));
            M(kh_buf_puts(out, ")\n"));
        }
    }
#undef M
    return KH_OK;
fail:
    out->len = mark;
    if (out->data) out->data[mark] = '\0';
    return rc;
}
