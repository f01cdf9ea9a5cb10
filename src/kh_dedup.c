/*
 * kh_dedup.c — copies grouped: exact hashes, LSH candidates, verification,
 * and groups that cannot chain.
 *
 * Pipeline of one deduper:
 *
 *   kh_dedup_add ──► batch of bodies ──► worker threads: dedup key, XXH3-128,
 *   (caller's thread)   (double-buffered)    MinHash signature (kh_minhash.c)
 *                                             │ bodies dropped
 *   kh_dedup_run:                             ▼
 *     1. rank documents by (date, input order)          radix sort
 *     2. exact copies: equal XXH3-128 of the key -> the earliest one stands
 *        for them all                                   radix sort
 *     3. LSH over the remaining signatures, bands split among threads;
 *        each candidate verified on its full signature  (kh_lsh.c)
 *     4. verified pairs sorted by (rank a, rank b); groups formed around
 *        representatives in rank order (below)
 *
 * Anti-chaining. Union-find over verified pairs would join A and C when
 * A≈B and B≈C even if A and C have little in common, and on millions of
 * news articles such chains grow into giant false groups. Instead groups
 * are stars: documents are visited in rank order; one not yet in a group
 * becomes a representative, and takes every later document not yet in a
 * group whose verified similarity to it reaches the threshold. The
 * invariant: every member of a group is a verified near (or exact) copy of
 * the group's representative, which is its earliest document; a group's
 * diameter is bounded by the threshold, whatever the input. This is
 * union-find with the union restricted to representatives (a member's
 * "find" is one step), computed in one O(n + pairs) pass. The price: a copy
 * close only to another copy, not to the earliest document, stays apart.
 *
 * CONTAINED COPIES. A teaser (the lead and "read more") or a trimmed copy
 * sits at Jaccard 0.3-0.7 against its original but nearly all of its
 * shingles are in it. The rule: the shorter document X is a contained copy
 * of Y when
 *   (1) X has at least MIN_CONTAINED (24) shingles: one shared opening
 *       sentence or dateline is no copy;
 *   (2) at least `containment` (0.8) of X's shingles are in Y: counted
 *       exactly on the heads (the distinct hashes of each document's first
 *       KHI_HEAD = 64 shingles) when X's head is all of X; when X is longer,
 *       both X's head against Y's head and, for the whole, the estimate from
 *       the signatures J (|X| + |Y|) / ((1 + J) |X|) must reach it.
 * So at most a fifth of X is text Y lacks: a follow-up that puts the lead
 * of Y over a body of its own has most of its shingles outside Y and is no
 * copy, while the lead alone (a teaser) is. Candidates come from the
 * signature bands and from HEAD_BANDS extra bands of HEAD_ROWS minima over
 * the heads (a teaser's head is most of its original's head, Jaccard
 * 0.3-1, whatever the original's length); verification decides.
 *
 * Grouping with containment. In the star pass (phase A) a center takes a
 * later document that is contained in it, never one that contains it. Then
 * (phase B) a star whose center is contained in a document of another star
 * moves, whole, into that star (the container with the highest
 * containment, then the earliest), unless the container's star would move
 * too: moves are one level deep, so a chain teaser -> article -> follow-up
 * never forms. The merged group's representative is its earliest center,
 * so an earlier complete text that a later outlet framed with more words
 * stays the original. Each document records the one it was verified against
 * (copy_of), how (exact, near, contained), and the similarity.
 *
 * MINIMUM TEXT. A body of fewer than min_words words of the dedup key
 * (default 12) is "no body": it is no one's exact, near or contained copy
 * and stays its own group, counted in no_body. A page whose article the
 * cleaner missed leaves nothing, or the same caption, share bar or "read
 * more" line as every other page of its site; equal hashes of those say
 * nothing about a common source, and grouping them made one giant false
 * group of unrelated pages. Twelve words is under any news item (the
 * shortest SaudiNewsNet article has 60) and over such leftovers; a
 * signature of under a dozen shingles is also too coarse to estimate a
 * similarity from.
 *
 * PROVENANCE. Each group names its original by evidence, in this order:
 *   (a) a wire credit: the agency (kh_wire.c's table) that most members
 *       credit in their dateline or credit line, when a member is that
 *       agency's own copy (its source is the agency): the original is among
 *       those own copies. Outlets rewrite the time a wire item went out;
 *       they do not credit an agency they did not take it from;
 *   (b) the earliest date with a time; a date without a time counts as the
 *       end of its day, since "2015-07-01" says only that it appeared by
 *       then, and cannot beat a copy stamped 09:00 that day;
 *   (c) the most complete text (most shingles): a later outlet trims, it
 *       rarely adds the wire's words back;
 *   then input order. The group's id stays its representative (the star
 *   center: the earliest by (date, input order)), so that groups, stories
 *   and stores keyed on it keep their ids; the original is a separate
 *   result. copy_of chains are turned around along the path from the
 *   original to the representative, so each one ends at the original; a
 *   "contained" step read backwards is "extended" (the later document holds
 *   the earlier one whole and adds to it). The group's wire is the
 *   original's own agency, else the agency most members credit; its outlets
 *   are the distinct source strings of its members.
 *
 * Threads never change a result: fingerprints are per document; LSH emits
 * each pair once whichever thread owns the band; pairs are sorted before
 * use; the grouping pass is sequential.
 *
 * Per-document state (k = 128), kept in flat arrays indexed by input
 * position, never the bodies:
 *
 *   sigs   [ k x uint16 ]  256 B    MinHash signature
 *   exact  [ 2 x uint64 ]   16 B    XXH3-128 of the dedup key
 *   dates  [ int64 ]         8 B    sortable date
 *   nsh    [ uint32 ]        4 B    shingle count (0 = no body)
 *   heads  [ 64 x uint32 ] 256 B    distinct hashes of the first 64 shingles,
 *   head_n [ uint8 ]         1 B      ascending, and how many
 *   copy_of, rel [ uint32, uint8 ] 5 B  results
 *   id_off [ uint64 ]        8 B    offset of the id in one id buffer
 *   src    [ uint64 ]        8 B    hash of the source (PROVENANCE)
 *   agsrc, agcred, timed  [ 3 x uint8 ]  3 B  its agency, the one credited,
 *                                   whether its date has a time
 *   orig, gwire, outlets [ uint32, uint8, uint32 ] 9 B  results
 *   group, sim [ uint32, float ] 8 B  results
 *   + the id's bytes
 */
#include "kh_dedup.h"

#include <math.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define BATCH_DOCS 2048
#define BATCH_BYTES ((size_t)8 << 20)
#define MAX_DOCS ((size_t)INT32_MAX)
#define MAX_THREADS 256u
#define DATE_UNKNOWN INT64_MAX
#define MIN_CONTAINED 24 /* shingles of a contained copy (CONTAINED COPIES) */
#define HEAD_BANDS 24    /* LSH bands over the heads, of HEAD_ROWS rows */
#define HEAD_ROWS 2

typedef struct batch {
    kh_buf text;      /* bodies, back to back */
    size_t *off;      /* BATCH_DOCS + 1 offsets into text */
    size_t first;     /* input position of the batch's first document */
    size_t n;
} batch;

struct kh_deduper;

typedef struct worker {
    struct kh_deduper *dd;
    khi_minhash mh;
    batch *b;
    unsigned index;
    kh_status status;
    pthread_t thread;
} worker;

struct kh_deduper {
    kh_ctx *ctx;
    kh_dedup_options o;
    unsigned k, rows, bands, threads;

    size_t n, cap;
    uint16_t *sigs;
    uint64_t *exact;
    int64_t *dates;
    uint32_t *nsh;
    uint32_t *heads;  /* KHI_HEAD a document */
    uint8_t *head_n;
    uint64_t *id_off;
    uint64_t *src;    /* hash of the folded source; 0 = none given */
    uint8_t *agsrc;   /* the agency the source is (kh_wire.c), 0 = none */
    uint8_t *agcred;  /* the agency its credit or dateline names, 0 = none */
    uint8_t *timed;   /* its date has a time of day */
    kh_buf ids;
    khi_wire wire;
    uint64_t bytes;
    kh_cleaner *cleaner; /* for pages and HTML, made on first need */
    kh_buf body;         /* a cleaned body, joined */

    batch batches[2];
    int cur;          /* batch being filled */
    int in_flight;    /* the other batch is being hashed */
    worker *workers;

    int ran;
    int sealed;       /* batches freed by kh_dedup_run(): no more documents */
    kh_status failed; /* a batch could not be fingerprinted: the deduper is spent */
    uint32_t *group;
    float *sim;
    uint32_t *copy_of; /* the document each one was verified against */
    uint8_t *rel;      /* kh_dedup_relation */
    uint32_t *orig;    /* the original of each one's group (PROVENANCE) */
    uint8_t *gwire;    /* the agency of each one's group, 0 = none */
    uint32_t *outlets; /* distinct sources in each one's group */
    kh_dedup_stats st;
};

void kh_dedup_options_init(kh_dedup_options *opts)
{
    opts->threshold = 0.8;
    opts->threads = 0;
    opts->shingle = 2;
    opts->num_perms = 128;
    opts->band_rows = 0;
    opts->max_bucket = 256;
    opts->min_words = 12;
    opts->containment = 0.8;
}

/* Largest r whose S-curve midpoint (1/b)^(1/r) sits at least 0.15 below the
 * threshold, so that pairs at the threshold are found with probability
 * > 0.99. */
static unsigned pick_rows(double threshold, unsigned k)
{
    unsigned best = 1;
    for (unsigned r = 1; r <= 16 && r <= k; r++) {
        double b = (double)(k / r);
        double mid = pow(1.0 / b, 1.0 / r);
        if (mid <= threshold - 0.15)
            best = r;
    }
    return best;
}

static unsigned online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > (long)MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

static size_t deduper_memory(const kh_deduper *dd)
{
    size_t per = (size_t)dd->k * sizeof *dd->sigs + 2 * sizeof *dd->exact + sizeof *dd->dates +
                 sizeof *dd->nsh + KHI_HEAD * sizeof *dd->heads + sizeof *dd->head_n +
                 sizeof *dd->id_off + sizeof *dd->src + sizeof *dd->agsrc + sizeof *dd->agcred +
                 sizeof *dd->timed;
    size_t m = sizeof *dd + dd->cap * per + dd->ids.cap;
    if (dd->group)
        m += dd->n * (sizeof *dd->group + sizeof *dd->sim + sizeof *dd->copy_of +
                      sizeof *dd->rel + sizeof *dd->orig + sizeof *dd->gwire +
                      sizeof *dd->outlets);
    for (int i = 0; i < 2; i++)
        m += dd->batches[i].text.cap + (dd->batches[i].off ? (BATCH_DOCS + 1) * sizeof(size_t) : 0);
    return m;
}

static void free_arrays(kh_deduper *dd)
{
    kh_ctx *ctx = dd->ctx;
    kh_free(ctx, dd->sigs, dd->cap * dd->k * sizeof *dd->sigs);
    kh_free(ctx, dd->exact, dd->cap * 2 * sizeof *dd->exact);
    kh_free(ctx, dd->dates, dd->cap * sizeof *dd->dates);
    kh_free(ctx, dd->nsh, dd->cap * sizeof *dd->nsh);
    kh_free(ctx, dd->heads, dd->cap * KHI_HEAD * sizeof *dd->heads);
    kh_free(ctx, dd->head_n, dd->cap * sizeof *dd->head_n);
    kh_free(ctx, dd->id_off, dd->cap * sizeof *dd->id_off);
    kh_free(ctx, dd->src, dd->cap * sizeof *dd->src);
    kh_free(ctx, dd->agsrc, dd->cap);
    kh_free(ctx, dd->agcred, dd->cap);
    kh_free(ctx, dd->timed, dd->cap);
    dd->src = NULL;
    dd->agsrc = dd->agcred = dd->timed = NULL;
    dd->heads = NULL;
    dd->head_n = NULL;
    dd->sigs = NULL;
    dd->exact = NULL;
    dd->dates = NULL;
    dd->nsh = NULL;
    dd->id_off = NULL;
}

static void free_batches(kh_deduper *dd)
{
    for (int i = 0; i < 2; i++) {
        kh_buf_free(&dd->batches[i].text);
        kh_free(dd->ctx, dd->batches[i].off, (BATCH_DOCS + 1) * sizeof(size_t));
        dd->batches[i].off = NULL;
    }
}

static kh_status join_workers(kh_deduper *dd);

static void free_results(kh_deduper *dd)
{
    size_t n = dd->n;
    kh_free(dd->ctx, dd->group, n * sizeof *dd->group);
    kh_free(dd->ctx, dd->sim, n * sizeof *dd->sim);
    kh_free(dd->ctx, dd->copy_of, n * sizeof *dd->copy_of);
    kh_free(dd->ctx, dd->rel, n * sizeof *dd->rel);
    kh_free(dd->ctx, dd->orig, n * sizeof *dd->orig);
    kh_free(dd->ctx, dd->gwire, n * sizeof *dd->gwire);
    kh_free(dd->ctx, dd->outlets, n * sizeof *dd->outlets);
    dd->orig = NULL;
    dd->gwire = NULL;
    dd->outlets = NULL;
    dd->group = NULL;
    dd->sim = NULL;
    dd->copy_of = NULL;
    dd->rel = NULL;
}

void kh_dedup_free(kh_deduper *dd)
{
    if (!dd)
        return;
    join_workers(dd);
    kh_ctx *ctx = dd->ctx;
    if (dd->workers) {
        for (unsigned t = 0; t < dd->threads; t++)
            khi_minhash_free(&dd->workers[t].mh);
        kh_free(ctx, dd->workers, dd->threads * sizeof *dd->workers);
    }
    free_arrays(dd);
    free_batches(dd);
    kh_buf_free(&dd->ids);
    kh_buf_free(&dd->body);
    khi_wire_free(&dd->wire);
    kh_cleaner_free(dd->cleaner);
    free_results(dd);
    kh_free(ctx, dd, sizeof *dd);
}

kh_status kh_dedup_create(kh_ctx *ctx, const kh_dedup_options *opts, kh_deduper **out)
{
    *out = NULL;
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    if (opts)
        o = *opts;
    if (!(o.threshold > 0 && o.threshold <= 1))
        return kh_ctx_error(ctx, KH_E_ARG, "dedup: threshold %g is not in (0, 1]", o.threshold);
    if (o.shingle < 1 || o.shingle > 16)
        return kh_ctx_error(ctx, KH_E_ARG, "dedup: shingle size %u is not in 1..16", o.shingle);
    if (o.num_perms < 16 || o.num_perms > 1024 || (o.num_perms & (o.num_perms - 1)))
        return kh_ctx_error(ctx, KH_E_ARG,
                            "dedup: num_perms %u is not a power of two in 16..1024", o.num_perms);
    if (o.band_rows > 16 || o.band_rows > o.num_perms)
        return kh_ctx_error(ctx, KH_E_ARG, "dedup: band_rows %u is not in 0..16", o.band_rows);
    if (o.threads > MAX_THREADS)
        return kh_ctx_error(ctx, KH_E_ARG, "dedup: %u threads is more than %u", o.threads,
                            MAX_THREADS);
    if (o.max_bucket == 0)
        o.max_bucket = 256;
    if (!(o.containment >= 0 && o.containment <= 1))
        return kh_ctx_error(ctx, KH_E_ARG, "dedup: containment %g is not in [0, 1]",
                            o.containment);
    kh_deduper *dd = kh_malloc(ctx, sizeof *dd);
    KHI_RETURN_IF(!dd, KH_E_NOMEM);
    memset(dd, 0, sizeof *dd);
    dd->ctx = ctx;
    dd->o = o;
    dd->k = o.num_perms;
    dd->rows = o.band_rows ? o.band_rows : pick_rows(o.threshold, dd->k);
    dd->bands = dd->k / dd->rows;
    dd->threads = o.threads ? o.threads : online_cores();
    kh_buf_init(&dd->ids, ctx, (size_t)1 << 36);
    kh_buf_init(&dd->body, ctx, kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 0) * 2);
    kh_status rc = KH_OK;
    dd->workers = kh_malloc(ctx, dd->threads * sizeof *dd->workers);
    if (!dd->workers) {
        kh_free(ctx, dd, sizeof *dd);
        return KH_E_NOMEM;
    }
    rc = khi_wire_init(&dd->wire, ctx);
    memset(dd->workers, 0, dd->threads * sizeof *dd->workers);
    for (unsigned t = 0; t < dd->threads && rc == KH_OK; t++) {
        dd->workers[t].dd = dd;
        dd->workers[t].index = t;
        rc = khi_minhash_init(&dd->workers[t].mh, ctx, o.shingle, dd->k);
    }
    size_t limit = kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 0);
    for (int i = 0; i < 2 && rc == KH_OK; i++) {
        kh_buf_init(&dd->batches[i].text, ctx, BATCH_BYTES + limit);
        dd->batches[i].off = kh_malloc(ctx, (BATCH_DOCS + 1) * sizeof(size_t));
        if (!dd->batches[i].off)
            rc = KH_E_NOMEM;
    }
    if (rc != KH_OK) {
        kh_dedup_free(dd);
        return rc;
    }
    *out = dd;
    return KH_OK;
}

/* Grows the per-document arrays to hold at least want documents: all new
 * arrays are allocated before any old one is given up, so a failure leaves
 * the deduper as it was. */
static kh_status grow(kh_deduper *dd, size_t want)
{
    if (want <= dd->cap)
        return KH_OK;
    size_t cap = dd->cap ? dd->cap : 4096;
    while (cap < want)
        cap += cap / 2;
    kh_ctx *ctx = dd->ctx;
    size_t old = dd->cap, k = dd->k;
    uint16_t *sigs = kh_malloc(ctx, cap * k * sizeof *sigs);
    uint64_t *exact = kh_malloc(ctx, cap * 2 * sizeof *exact);
    int64_t *dates = kh_malloc(ctx, cap * sizeof *dates);
    uint32_t *nsh = kh_malloc(ctx, cap * sizeof *nsh);
    uint32_t *heads = kh_malloc(ctx, cap * KHI_HEAD * sizeof *heads);
    uint8_t *head_n = kh_malloc(ctx, cap * sizeof *head_n);
    uint64_t *id_off = kh_malloc(ctx, cap * sizeof *id_off);
    uint64_t *src = kh_malloc(ctx, cap * sizeof *src);
    uint8_t *agsrc = kh_malloc(ctx, cap), *agcred = kh_malloc(ctx, cap);
    uint8_t *timed = kh_malloc(ctx, cap);
    if (!sigs || !exact || !dates || !nsh || !heads || !head_n || !id_off || !src || !agsrc ||
        !agcred || !timed) {
        kh_free(ctx, src, cap * sizeof *src);
        kh_free(ctx, agsrc, cap);
        kh_free(ctx, agcred, cap);
        kh_free(ctx, timed, cap);
        kh_free(ctx, heads, cap * KHI_HEAD * sizeof *heads);
        kh_free(ctx, head_n, cap * sizeof *head_n);
        kh_free(ctx, sigs, cap * k * sizeof *sigs);
        kh_free(ctx, exact, cap * 2 * sizeof *exact);
        kh_free(ctx, dates, cap * sizeof *dates);
        kh_free(ctx, nsh, cap * sizeof *nsh);
        kh_free(ctx, id_off, cap * sizeof *id_off);
        return kh_ctx_error(ctx, KH_E_NOMEM, "dedup: out of memory for %zu documents", cap);
    }
    if (old) {
        memcpy(sigs, dd->sigs, old * k * sizeof *sigs);
        memcpy(exact, dd->exact, old * 2 * sizeof *exact);
        memcpy(dates, dd->dates, old * sizeof *dates);
        memcpy(nsh, dd->nsh, old * sizeof *nsh);
        memcpy(heads, dd->heads, old * KHI_HEAD * sizeof *heads);
        memcpy(head_n, dd->head_n, old * sizeof *head_n);
        memcpy(id_off, dd->id_off, old * sizeof *id_off);
        memcpy(src, dd->src, old * sizeof *src);
        memcpy(agsrc, dd->agsrc, old);
        memcpy(agcred, dd->agcred, old);
        memcpy(timed, dd->timed, old);
    }
    free_arrays(dd);
    dd->sigs = sigs;
    dd->exact = exact;
    dd->dates = dates;
    dd->nsh = nsh;
    dd->heads = heads;
    dd->head_n = head_n;
    dd->id_off = id_off;
    dd->src = src;
    dd->agsrc = agsrc;
    dd->agcred = agcred;
    dd->timed = timed;
    dd->cap = cap;
    return KH_OK;
}

/* Fingerprints the documents of batch b given to worker w (every
 * threads-th one, so that long and short bodies spread evenly). */
static void *worker_main(void *arg)
{
    worker *w = arg;
    kh_deduper *dd = w->dd;
    batch *b = w->b;
    w->status = KH_OK;
    /* A batch of empty bodies never allocated its text: no offset may be
     * added to that NULL, not even 0. */
    const char *text = b->text.data ? b->text.data : "";
    for (size_t i = w->index; i < b->n; i += dd->threads) {
        size_t doc = b->first + i;
        khi_fp fp;
        kh_status rc = khi_minhash_doc(&w->mh, text + b->off[i], b->off[i + 1] - b->off[i],
                                       &fp, dd->sigs + doc * dd->k,
                                       dd->heads + doc * KHI_HEAD);
        if (rc != KH_OK) {
            w->status = rc;
            break;
        }
        dd->exact[2 * doc] = fp.exact[0];
        dd->exact[2 * doc + 1] = fp.exact[1];
        /* No body: takes no part in matching (see MINIMUM TEXT above). */
        dd->nsh[doc] = fp.words < dd->o.min_words ? 0 : fp.shingles;
        dd->head_n[doc] = (uint8_t)fp.head_n;
    }
    return NULL;
}

static kh_status join_workers(kh_deduper *dd)
{
    if (!dd->in_flight)
        return KH_OK;
    kh_status rc = KH_OK;
    for (unsigned t = 0; t < dd->threads; t++) {
        pthread_join(dd->workers[t].thread, NULL);
        if (rc == KH_OK)
            rc = dd->workers[t].status;
    }
    dd->in_flight = 0;
    return rc;
}

/* Hashes the current batch: on the caller's thread with one thread, else on
 * the workers while the caller fills the other batch. */
static kh_status submit(kh_deduper *dd)
{
    batch *b = &dd->batches[dd->cur];
    if (b->n == 0)
        return KH_OK;
    kh_status rc = join_workers(dd);
    if (rc != KH_OK)
        return kh_ctx_error(dd->ctx, rc, "dedup: fingerprinting failed: %s", kh_strerror(rc));
    if (dd->threads == 1) {
        dd->workers[0].b = b;
        worker_main(&dd->workers[0]);
        rc = dd->workers[0].status;
        if (rc != KH_OK)
            return kh_ctx_error(dd->ctx, rc, "dedup: fingerprinting failed: %s", kh_strerror(rc));
    } else {
        /* The next batch's documents must find room without moving the
         * arrays the workers write into. */
        KHI_FORWARD_IF_ERROR(grow(dd, dd->n + BATCH_DOCS));
        unsigned started = 0;
        for (unsigned t = 0; t < dd->threads; t++) {
            dd->workers[t].b = b;
            if (pthread_create(&dd->workers[t].thread, NULL, worker_main, &dd->workers[t]) != 0)
                break;
            started++;
        }
        if (started < dd->threads) {
            for (unsigned t = 0; t < started; t++)
                pthread_join(dd->workers[t].thread, NULL);
            return kh_ctx_error(dd->ctx, KH_E_NOMEM, "dedup: cannot start a thread");
        }
        dd->in_flight = 1;
        dd->cur ^= 1;
    }
    batch *next = &dd->batches[dd->cur];
    kh_buf_clear(&next->text);
    next->n = 0;
    return KH_OK;
}

/* "YYYY-MM-DD[ T]HH:MM[:SS]" as YYYYMMDDHHMMSS, read as far as it goes;
 * text that does not start with a year is DATE_UNKNOWN. *timed says
 * whether it gave an hour. */
static int64_t parse_date(const char *s, uint8_t *timed)
{
    *timed = 0;
    if (!s)
        return DATE_UNKNOWN;
    static const int width[6] = { 4, 2, 2, 2, 2, 2 };
    int64_t v = 0;
    int parts = 0;
    while (parts < 6) {
        int64_t x = 0;
        for (int i = 0; i < width[parts]; i++) {
            if (s[i] < '0' || s[i] > '9')
                goto stop;
            x = x * 10 + (s[i] - '0');
        }
        v = v * 100 + x;
        s += width[parts];
        parts++;
        if (parts < 6) {
            if (*s == '-' || *s == '/' || *s == ':' || *s == 'T' || *s == ' ')
                s++;
            else
                break;
        }
    }
stop:
    if (parts == 0)
        return DATE_UNKNOWN;
    *timed = parts >= 4;
    for (int i = parts; i < 6; i++)
        v *= 100;
    return v;
}

kh_status kh_dedup_add(kh_deduper *dd, const char *id, const char *date, const char *text,
                       size_t text_len)
{
    return kh_dedup_add_from(dd, id, date, NULL, NULL, text, text_len);
}

kh_status kh_dedup_add_from(kh_deduper *dd, const char *id, const char *date,
                            const char *source, const char *credit, const char *text,
                            size_t text_len)
{
    if (dd->ran || dd->sealed)
        return kh_ctx_error(dd->ctx, KH_E_ARG, "dedup: a document added after the run");
    if (dd->failed)
        return kh_ctx_error(dd->ctx, dd->failed, "dedup: an earlier batch failed: %s",
                            kh_strerror(dd->failed));
    if (!id || !*id)
        return kh_ctx_error(dd->ctx, KH_E_ARG, "dedup: a document without an id");
    if (!text && text_len)
        return kh_ctx_error(dd->ctx, KH_E_ARG, "dedup: %s: NULL text", id);
    if (dd->n >= MAX_DOCS)
        return kh_ctx_error(dd->ctx, KH_E_TOOBIG, "dedup: more than %zu documents", MAX_DOCS);
    KHI_FORWARD_IF_ERROR(grow(dd, dd->n + 1));
    batch *b = &dd->batches[dd->cur];
    size_t ids_len = dd->ids.len, text_len0 = b->text.len;
    kh_status rc = kh_buf_append(&dd->ids, id, strlen(id) + 1);
    if (rc == KH_OK && text_len)
        rc = kh_buf_append(&b->text, text, text_len);
    if (rc != KH_OK) {
        dd->ids.len = ids_len;
        b->text.len = text_len0;
        return kh_ctx_error(dd->ctx, rc, "dedup: %s: %s", id, kh_strerror(rc));
    }
    size_t doc = dd->n++;
    dd->id_off[doc] = ids_len;
    dd->dates[doc] = parse_date(date, &dd->timed[doc]);
    /* PROVENANCE: who the outlet is and whom the text credits. */
    dd->src[doc] = 0;
    if (source && *source) {
        uint64_t h = XXH3_64bits(source, strlen(source));
        dd->src[doc] = h ? h : 1;
    }
    dd->agsrc[doc] = (uint8_t)khi_wire_source(&dd->wire, source);
    unsigned ag = khi_wire_credit(&dd->wire, credit);
    if (!ag)
        ag = khi_wire_dateline(&dd->wire, text, text_len);
    dd->agcred[doc] = (uint8_t)ag;
    dd->bytes += text_len;
    if (b->n == 0) {
        b->first = doc;
        b->off[0] = text_len0;
    }
    b->off[++b->n] = b->text.len;
    if (b->n == BATCH_DOCS || b->text.len >= BATCH_BYTES) {
        rc = submit(dd);
        if (rc != KH_OK)
            dd->failed = rc;
        return rc;
    }
    return KH_OK;
}

kh_status kh_dedup_add_doc(kh_deduper *dd, kh_doc *doc)
{
    if (!doc)
        return kh_ctx_error(dd->ctx, KH_E_ARG, "dedup: NULL document");
    if (doc->kind == KH_CONTENT_TEXT || !doc->content)
        return kh_dedup_add_from(dd, doc->id, doc->date, doc->source, NULL,
                                 doc->content ? doc->content : "",
                                 doc->content ? doc->content_len : 0);
    /* CLEANED BODY: a page or HTML document is fingerprinted by the body
     * kh_clean_doc() finds in it, so that menus, footers and related-article
     * lists do not make two outlets' pages look alike (or a copy look
     * different). One page at a time, so without the repetition a batch
     * shows: kh_pipeline_dedup() is the chain that observes the run first.
     * Body, date and source take the pipeline's one shape and order. */
    if (!dd->cleaner)
        KHI_FORWARD_IF_ERROR(kh_cleaner_create(dd->ctx, 0, &dd->cleaner));
    const kh_article *art;
    kh_status rc = kh_clean_doc(dd->cleaner, doc, &art);
    if (rc == KH_E_LIMIT)
        return rc; /* its message names the record and the limit */
    if (rc != KH_OK)
        return kh_ctx_error(dd->ctx, rc, "dedup: %s: cannot clean: %s",
                            doc->id ? doc->id : "?", kh_strerror(rc));
    kh_buf_clear(&dd->body);
    rc = kh_pipeline_body_join(art->body, art->n_body, &dd->body);
    if (rc != KH_OK)
        return kh_ctx_error(dd->ctx, rc, "dedup: %s: %s", doc->id ? doc->id : "?", kh_strerror(rc));
    /* The cleaner may have taken the dateline off the body: its agency,
     * or the dateline itself, is the credit. */
    const char *credit = art->dateline_agency ? art->dateline_agency : art->dateline;
    return kh_dedup_add_from(dd, doc->id, art->date ? art->date : doc->date,
                             art->source ? art->source : doc->source, credit,
                             dd->body.data ? dd->body.data : "", dd->body.len);
}

size_t kh_dedup_count(const kh_deduper *dd)
{
    return dd ? dd->n : 0;
}

const char *kh_dedup_id(const kh_deduper *dd, size_t i)
{
    if (!dd || i >= dd->n)
        return NULL;
    return dd->ids.data + dd->id_off[i];
}

size_t kh_dedup_group(const kh_deduper *dd, size_t i)
{
    if (!dd || !dd->ran || i >= dd->n)
        return (size_t)-1;
    return dd->group[i];
}

double kh_dedup_similarity(const kh_deduper *dd, size_t i)
{
    if (!dd || !dd->ran || i >= dd->n)
        return 0;
    return dd->sim[i];
}

kh_dedup_relation kh_dedup_relation_of(const kh_deduper *dd, size_t i)
{
    if (!dd || !dd->ran || i >= dd->n)
        return KH_DEDUP_NONE;
    return (kh_dedup_relation)dd->rel[i];
}

size_t kh_dedup_copy_of(const kh_deduper *dd, size_t i)
{
    if (!dd || !dd->ran || i >= dd->n)
        return (size_t)-1;
    return dd->copy_of[i];
}

size_t kh_dedup_original(const kh_deduper *dd, size_t i)
{
    if (!dd || !dd->ran || i >= dd->n)
        return (size_t)-1;
    return dd->orig[i];
}

const char *kh_dedup_wire(const kh_deduper *dd, size_t i)
{
    if (!dd || !dd->ran || i >= dd->n)
        return NULL;
    return khi_wire_name(dd->gwire[i]);
}

size_t kh_dedup_outlets(const kh_deduper *dd, size_t i)
{
    if (!dd || !dd->ran || i >= dd->n)
        return 0;
    return dd->outlets[i];
}

const char *kh_dedup_relation_name(kh_dedup_relation rel)
{
    switch (rel) {
    case KH_DEDUP_EXACT: return "exact";
    case KH_DEDUP_NEAR: return "near";
    case KH_DEDUP_CONTAINED: return "contained";
    case KH_DEDUP_NO_BODY: return "no body";
    case KH_DEDUP_EXTENDED: return "extended";
    default: return "none";
    }
}

void kh_dedup_stats_get(const kh_deduper *dd, kh_dedup_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    if (!dd)
        return;
    *stats = dd->st;
    stats->docs = dd->n;
    stats->bytes = dd->bytes;
    stats->memory = deduper_memory(dd);
    stats->bytes_per_doc = dd->n ? (double)stats->memory / (double)dd->n : 0;
}

typedef struct lsh_thread {
    khi_lsh_job job;
    pthread_t thread;
} lsh_thread;

static void *lsh_main(void *arg)
{
    khi_lsh_run(&((lsh_thread *)arg)->job);
    return NULL;
}

/* PROVENANCE: when date-only values compare with timed ones, a date
 * without a time counts as the end of its day (YYYYMMDD240000 sorts after
 * every time of that day and before the next day). */
static int64_t time_key(const kh_deduper *dd, size_t d)
{
    int64_t t = dd->dates[d];
    return t == DATE_UNKNOWN || dd->timed[d] ? t : t + 240000;
}

/* Whether document a makes a better original than b by rules (b) and (c),
 * then input order. */
static int better_original(const kh_deduper *dd, size_t a, size_t b)
{
    int64_t ta = time_key(dd, a), tb = time_key(dd, b);
    if (ta != tb)
        return ta < tb;
    if (dd->nsh[a] != dd->nsh[b])
        return dd->nsh[a] > dd->nsh[b];
    return a < b;
}

/* Names each group's original (PROVENANCE at the top of the file), turns
 * the copy_of path from it to the representative around, and counts each
 * group's outlets. */
static kh_status provenance(kh_deduper *dd)
{
    kh_ctx *ctx = dd->ctx;
    size_t n = dd->n;
    size_t *start = kh_malloc(ctx, (n + 1) * sizeof *start);
    uint32_t *mem = kh_malloc(ctx, n * sizeof *mem);
    uint64_t *hs = kh_malloc(ctx, n * sizeof *hs);
    kh_status rc = KH_OK;
    if (!start || !mem || !hs) {
        rc = KH_E_NOMEM;
        goto done;
    }
    /* Members of each group, by representative: a counting sort. */
    memset(start, 0, (n + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[dd->group[i] + 1]++;
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    for (size_t i = 0; i < n; i++)
        mem[start[dd->group[i]]++] = (uint32_t)i;
    for (size_t i = n; i > 0; i--)
        start[i] = start[i - 1];
    start[0] = 0;
    for (size_t g = 0; g < n; g++) {
        const uint32_t *m = mem + start[g];
        size_t k = start[g + 1] - start[g];
        if (k == 0)
            continue;
        if (k == 1) {
            dd->orig[g] = (uint32_t)g;
            dd->gwire[g] = dd->agsrc[g];
            dd->outlets[g] = dd->src[g] != 0;
            continue;
        }
        /* (a) The agency most members credit whose own copy is here. */
        unsigned credits[KHI_WIRE_MAX_ALIASES + 1] = { 0 }, own[KHI_WIRE_MAX_ALIASES + 1] = { 0 };
        for (size_t j = 0; j < k; j++) {
            credits[dd->agcred[m[j]]]++;
            own[dd->agsrc[m[j]]]++;
        }
        unsigned wire = 0, credited = 0;
        for (unsigned a = 1; a <= KHI_WIRE_MAX_ALIASES; a++) {
            if (credits[a] > (credited ? credits[credited] : 0))
                credited = a;
            if (credits[a] && own[a] && (!wire || credits[a] > credits[wire]))
                wire = a;
        }
        /* (b), (c): among the wire's own copies, else among all. */
        size_t best = SIZE_MAX;
        for (size_t j = 0; j < k; j++) {
            if (wire && dd->agsrc[m[j]] != wire)
                continue;
            if (best == SIZE_MAX || better_original(dd, m[j], best))
                best = m[j];
        }
        if (!wire)
            wire = dd->agsrc[best] ? dd->agsrc[best] : credited;
        /* Turn the path best -> ... -> representative around, so that every
         * copy_of chain ends at the original. A "contained" step read
         * backwards is "extended": the later one holds the earlier whole. */
        size_t prev = best, cur = dd->copy_of[best], steps = 0;
        uint8_t prel = dd->rel[best];
        float psim = dd->sim[best];
        while (prev != g && steps++ < k) {
            size_t next = dd->copy_of[cur];
            uint8_t crel = dd->rel[cur];
            float csim = dd->sim[cur];
            dd->copy_of[cur] = (uint32_t)prev;
            dd->rel[cur] = prel == KH_DEDUP_CONTAINED ? KH_DEDUP_EXTENDED
                           : prel == KH_DEDUP_EXTENDED ? KH_DEDUP_CONTAINED : prel;
            dd->sim[cur] = psim;
            if (cur == g)
                break;
            prev = cur;
            cur = next;
            prel = crel;
            psim = csim;
        }
        dd->copy_of[best] = (uint32_t)best;
        dd->rel[best] = KH_DEDUP_NONE;
        dd->sim[best] = 1.0f;
        /* Distinct outlets: sources hashed, sorted, counted. */
        size_t nh = 0, outlets = 0;
        for (size_t j = 0; j < k; j++)
            if (dd->src[m[j]])
                hs[nh++] = dd->src[m[j]];
        qsort(hs, nh, sizeof *hs, khi_cmp_u64);
        for (size_t j = 0; j < nh; j++)
            outlets += j == 0 || hs[j] != hs[j - 1];
        for (size_t j = 0; j < k; j++) {
            dd->orig[m[j]] = (uint32_t)best;
            dd->gwire[m[j]] = (uint8_t)wire;
            dd->outlets[m[j]] = (uint32_t)outlets;
        }
    }
done:
    kh_free(ctx, start, (n + 1) * sizeof *start);
    kh_free(ctx, mem, n * sizeof *mem);
    kh_free(ctx, hs, n * sizeof *hs);
    return rc;
}

/* Steps 1-4 of the pipeline (see the top of the file). */
static kh_status group_all(kh_deduper *dd)
{
    kh_ctx *ctx = dd->ctx;
    size_t n = dd->n;
    kh_status rc = KH_OK;
    if (n == 0)
        return KH_OK;
    khi_kv *kv = kh_malloc(ctx, n * sizeof *kv);
    khi_kv *tmp = kh_malloc(ctx, n * sizeof *tmp);
    uint32_t *order = kh_malloc(ctx, n * sizeof *order);  /* rank -> doc */
    uint32_t *center = kh_malloc(ctx, n * sizeof *center); /* rank -> center rank */
    uint32_t *items = kh_malloc(ctx, n * sizeof *items);
    uint32_t *item_rank = kh_malloc(ctx, n * sizeof *item_rank);
    lsh_thread *lt = kh_malloc(ctx, dd->threads * sizeof *lt);
    khi_edge *edges = NULL;
    uint32_t *via = NULL; /* rank -> rank of the document it was verified against */
    uint8_t *relr = NULL; /* rank -> kh_dedup_relation */
    float *bsim = NULL;
    uint8_t *dep = NULL;
    void *dep_rep = NULL;
    size_t n_edges = 0, kv_n = n;
    unsigned n_lt = 0;
    if (!kv || !tmp || !order || !center || !items || !item_rank || !lt) {
        rc = KH_E_NOMEM;
        goto done;
    }
    /* 1. Rank by (date, input order): the sort is stable. */
    for (size_t i = 0; i < n; i++) {
        kv[i].key = (uint64_t)dd->dates[i] ^ ((uint64_t)1 << 63);
        kv[i].val = (uint32_t)i;
    }
    khi_radix_sort(kv, tmp, n);
    for (size_t r = 0; r < n; r++)
        order[r] = kv[r].val;

    /* 2. Exact copies: ranks ascending inside each run of equal hashes. */
    size_t n_body = 0;
    for (size_t r = 0; r < n; r++) {
        center[r] = UINT32_MAX;
        if (dd->nsh[order[r]] == 0) { /* no body: never anyone's exact twin */
            dd->st.no_body++;
            continue;
        }
        kv[n_body].key = dd->exact[2 * (size_t)order[r]];
        kv[n_body++].val = (uint32_t)r;
    }
    khi_radix_sort(kv, tmp, n_body);
    for (size_t lo = 0; lo < n_body;) {
        size_t hi = lo + 1;
        while (hi < n_body && kv[hi].key == kv[lo].key)
            hi++;
        for (size_t p = lo; p < hi; p++) { /* the second half of the hash too */
            if (center[kv[p].val] != UINT32_MAX)
                continue;
            uint64_t lo64 = dd->exact[2 * (size_t)order[kv[p].val] + 1];
            for (size_t q = p + 1; q < hi; q++)
                if (center[kv[q].val] == UINT32_MAX &&
                    dd->exact[2 * (size_t)order[kv[q].val] + 1] == lo64) {
                    center[kv[q].val] = kv[p].val; /* points at its exact twin */
                    dd->st.exact_dups++;
                }
        }
        lo = hi;
    }
    size_t n_items = 0;
    for (size_t r = 0; r < n; r++)
        if (center[r] == UINT32_MAX && dd->nsh[order[r]] > 0) {
            items[n_items] = order[r];
            item_rank[n_items++] = (uint32_t)r;
        }
    kh_free(ctx, kv, n * sizeof *kv);
    kh_free(ctx, tmp, n * sizeof *tmp);
    kv = tmp = NULL;

    /* 3. LSH, bands split among threads. */
    unsigned all_bands = dd->bands + (dd->o.containment > 0 ? HEAD_BANDS : 0);
    unsigned nt = dd->threads < all_bands ? dd->threads : all_bands;
    for (unsigned t = 0; t < nt; t++) {
        khi_lsh_job *j = &lt[t].job;
        memset(j, 0, sizeof *j);
        j->ctx = ctx;
        j->sigs = dd->sigs;
        j->items = items;
        j->item_rank = item_rank;
        j->n_items = n_items;
        j->k = dd->k;
        j->rows = dd->rows;
        j->bands = dd->bands;
        j->band0 = t;
        j->step = nt;
        j->max_bucket = dd->o.max_bucket;
        j->threshold = dd->o.threshold;
        j->heads = dd->heads;
        j->head_n = dd->head_n;
        j->nsh = dd->nsh;
        j->contain = dd->o.containment;
        j->min_contained = MIN_CONTAINED;
        j->head_bands = HEAD_BANDS;
        j->head_rows = HEAD_ROWS;
    }
    if (nt == 1) {
        khi_lsh_run(&lt[0].job);
        n_lt = 1;
    } else {
        for (; n_lt < nt; n_lt++)
            if (pthread_create(&lt[n_lt].thread, NULL, lsh_main, &lt[n_lt]) != 0)
                break;
        for (unsigned t = 0; t < n_lt; t++)
            pthread_join(lt[t].thread, NULL);
        if (n_lt < nt) {
            rc = KH_E_NOMEM;
            goto done;
        }
    }
    for (unsigned t = 0; t < n_lt; t++) {
        if (lt[t].job.status != KH_OK)
            rc = lt[t].job.status;
        n_edges += lt[t].job.n_edges;
        dd->st.candidates += lt[t].job.candidates;
    }
    if (rc != KH_OK)
        goto done;

    /* 4. Pairs in (a, b) order, then stars around representatives. */
    kv_n = n_edges ? n_edges : 1;
    edges = kh_malloc(ctx, kv_n * sizeof *edges);
    kv = kh_malloc(ctx, kv_n * sizeof *kv);
    tmp = kh_malloc(ctx, kv_n * sizeof *tmp);
    if (!edges || !kv || !tmp) {
        rc = KH_E_NOMEM;
        goto done;
    }
    size_t e = 0;
    for (unsigned t = 0; t < n_lt; t++)
        for (size_t i = 0; i < lt[t].job.n_edges; i++, e++) {
            kv[e].key = ((uint64_t)lt[t].job.edges[i].a << 32) | lt[t].job.edges[i].b;
            kv[e].val = (uint32_t)t;
            kv[e].aux = (uint32_t)i;
        }
    khi_radix_sort(kv, tmp, n_edges);
    /* A pair met in several head bands was pushed more than once, with the
     * same verdict: keep one. */
    size_t m = 0;
    for (e = 0; e < n_edges; e++) {
        if (m && kv[e].key == kv[m - 1].key)
            continue;
        edges[m] = lt[kv[e].val].job.edges[kv[e].aux];
        kv[m++].key = kv[e].key;
    }
    n_edges = m;
    dd->st.verified = n_edges;
    for (unsigned t = 0; t < n_lt; t++)
        khi_lsh_job_free(&lt[t].job);
    n_lt = 0;

    /* Phase A, stars. center[] holds, for an exact copy, its exact twin's
     * rank (earlier); UINT32_MAX for a document still free. Reuse items[]
     * as "assigned". */
    float *simr = (float *)item_rank; /* rank -> similarity to via[] */
    uint32_t *assigned = items;       /* rank -> center rank, or UINT32_MAX */
    via = kh_malloc(ctx, n * sizeof *via);
    relr = kh_malloc(ctx, n * sizeof *relr);
    bsim = kh_malloc(ctx, n * sizeof *bsim);
    dep = kh_malloc(ctx, n * sizeof *dep);
    dep_rep = kh_malloc(ctx, n * sizeof(uint32_t));
    if (!via || !relr || !bsim || !dep || !dep_rep) {
        rc = KH_E_NOMEM;
        goto done;
    }
    for (size_t r = 0; r < n; r++) {
        assigned[r] = UINT32_MAX;
        simr[r] = 1.0f;
        via[r] = (uint32_t)r;
        relr[r] = dd->nsh[order[r]] ? KH_DEDUP_NONE : KH_DEDUP_NO_BODY;
    }
    e = 0;
    for (size_t r = 0; r < n; r++) {
        if (center[r] != UINT32_MAX) { /* an exact copy: its twin's group */
            assigned[r] = assigned[center[r]];
            via[r] = center[r];
            relr[r] = KH_DEDUP_EXACT;
            while (e < n_edges && edges[e].a == r)
                e++;
            continue;
        }
        int is_center = assigned[r] == UINT32_MAX;
        if (is_center)
            assigned[r] = (uint32_t)r;
        for (; e < n_edges && edges[e].a == r; e++) {
            uint32_t b = edges[e].b;
            if (edges[e].kind == KHI_A_IN_B)
                continue; /* r is the part: phase B */
            if (!is_center) {
                dd->st.refused += assigned[b] == UINT32_MAX;
                continue;
            }
            if (assigned[b] == UINT32_MAX) {
                assigned[b] = (uint32_t)r;
                simr[b] = edges[e].sim;
                via[b] = (uint32_t)r;
                relr[b] = edges[e].kind == KHI_NEAR ? KH_DEDUP_NEAR : KH_DEDUP_CONTAINED;
            }
        }
    }
    /* Phase B, contained representatives. A star whose center is contained
     * in a document of another star is "dependent"; it moves, whole, into
     * the star of its best container (highest containment, then earliest)
     * among those of stars that are not dependent themselves, so a move is
     * one level deep and never follows a chain. center[] now holds each
     * center's best container, bsim[] its containment, dep[] whether the
     * star is dependent. The merged group keeps its earliest center as
     * representative (below). */
    for (size_t r = 0; r < n; r++) {
        center[r] = UINT32_MAX;
        bsim[r] = 0;
        dep[r] = 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (e = 0; e < n_edges; e++) {
            if (edges[e].kind == KHI_NEAR)
                continue;
            uint32_t part = edges[e].kind == KHI_A_IN_B ? edges[e].a : edges[e].b;
            uint32_t whole = part == edges[e].a ? edges[e].b : edges[e].a;
            if (assigned[part] != part || assigned[whole] == part)
                continue;
            /* An outlet does not copy itself: its earlier text inside its
             * own later one that is mostly new words is what the later
             * report was built on, a follow-up (SaudiNewsNet's hand-checked
             * sample: a day's brief at the top of the next day's report,
             * two thirds of it new). Another outlet's later text that holds
             * it whole is a republication with more around it. */
            if (part < whole && dd->src[order[part]] &&
                dd->src[order[part]] == dd->src[order[whole]] &&
                2 * (uint64_t)dd->nsh[order[part]] < dd->nsh[order[whole]])
                continue;
            if (pass == 0) {
                dep[part] = 1;
                continue;
            }
            if (dep[assigned[whole]])
                continue;
            float c = edges[e].sim;
            if (center[part] == UINT32_MAX || c > bsim[part] ||
                (c == bsim[part] && whole < center[part])) {
                center[part] = whole;
                bsim[part] = c;
            }
        }
    }
    for (size_t r = 0; r < n; r++)
        if (center[r] != UINT32_MAX) {
            via[r] = center[r];
            simr[r] = bsim[r];
            relr[r] = KH_DEDUP_CONTAINED;
        }
    /* A merged group's representative is its earliest center: an earlier
     * part (a first publication that a later outlet framed with a dateline
     * and more) stays the original. rep[]: host center -> earliest center
     * moved into it. */
    uint32_t *rep = (uint32_t *)dep_rep;
    for (size_t r = 0; r < n; r++)
        rep[r] = (uint32_t)r;
    for (size_t r = 0; r < n; r++)
        if (center[r] != UINT32_MAX) {
            uint32_t host = assigned[center[r]];
            if (r < rep[host])
                rep[host] = (uint32_t)r;
        }
    for (size_t r = 0; r < n; r++)
        if (assigned[r] == r && center[r] == UINT32_MAX && rep[r] != r) {
            /* a host center that is no longer the earliest: it contains the
             * representative, or a document near to it (so "extended") */
            via[r] = rep[r];
            simr[r] = simr[rep[r]];
            relr[r] = KH_DEDUP_EXTENDED;
            via[rep[r]] = rep[r];
            relr[rep[r]] = KH_DEDUP_NONE;
            simr[rep[r]] = 1.0f;
        }
    for (size_t r = 0; r < n; r++) {
        uint32_t c = assigned[r];
        if (center[c] != UINT32_MAX)
            c = assigned[center[c]];
        assigned[r] = rep[c];
    }
    for (size_t r = 0; r < n; r++) {
        size_t d = order[r];
        dd->group[d] = order[assigned[r]];
        dd->sim[d] = simr[r];
        dd->copy_of[d] = order[via[r]];
        dd->rel[d] = relr[r];
    }
    rc = provenance(dd);
    if (rc != KH_OK)
        goto done;
    for (size_t d = 0; d < n; d++) {
        dd->st.near += dd->rel[d] == KH_DEDUP_NEAR;
        dd->st.contained += dd->rel[d] == KH_DEDUP_CONTAINED ||
                            dd->rel[d] == KH_DEDUP_EXTENDED;
    }
    /* Group sizes, counted per representative in center[]. */
    memset(center, 0, n * sizeof *center);
    for (size_t i = 0; i < n; i++)
        center[dd->group[i]]++;
    for (size_t i = 0; i < n; i++)
        if (center[i] >= 2) {
            dd->st.groups++;
            dd->st.grouped_docs += center[i];
            if (center[i] > dd->st.largest_group)
                dd->st.largest_group = center[i];
        }
done:
    for (unsigned t = 0; t < n_lt; t++)
        khi_lsh_job_free(&lt[t].job);
    kh_free(ctx, kv, kv_n * sizeof *kv);
    kh_free(ctx, tmp, kv_n * sizeof *tmp);
    kh_free(ctx, edges, kv_n * sizeof *edges);
    kh_free(ctx, order, n * sizeof *order);
    kh_free(ctx, center, n * sizeof *center);
    kh_free(ctx, items, n * sizeof *items);
    kh_free(ctx, item_rank, n * sizeof *item_rank);
    kh_free(ctx, lt, dd->threads * sizeof *lt);
    kh_free(ctx, via, n * sizeof *via);
    kh_free(ctx, relr, n * sizeof *relr);
    kh_free(ctx, bsim, n * sizeof *bsim);
    kh_free(ctx, dep, n * sizeof *dep);
    kh_free(ctx, dep_rep, n * sizeof(uint32_t));
    return rc;
}

kh_status khi_dedup_seal(kh_deduper *dd)
{
    if (dd->sealed)
        return KH_OK;
    if (dd->failed)
        return kh_ctx_error(dd->ctx, dd->failed, "dedup: an earlier batch failed: %s",
                            kh_strerror(dd->failed));
    kh_status rc = submit(dd);
    if (rc == KH_OK) {
        rc = join_workers(dd);
        if (rc != KH_OK) {
            dd->failed = rc;
            return kh_ctx_error(dd->ctx, rc, "dedup: fingerprinting failed: %s", kh_strerror(rc));
        }
    } else {
        join_workers(dd);
        dd->failed = rc;
        return rc;
    }
    free_batches(dd);
    dd->sealed = 1;
    return KH_OK;
}

void khi_dedup_fp_get(const kh_deduper *dd, size_t i, khi_dedup_fp *fp)
{
    memset(fp, 0, sizeof *fp);
    fp->id = dd->ids.data + dd->id_off[i];
    fp->id_len = strlen(fp->id);
    fp->date = dd->dates[i];
    fp->timed = dd->timed[i];
    fp->agsrc = dd->agsrc[i];
    fp->agcred = dd->agcred[i];
    fp->head_n = dd->head_n[i];
    fp->src = dd->src[i];
    fp->exact[0] = dd->exact[2 * i];
    fp->exact[1] = dd->exact[2 * i + 1];
    fp->nsh = dd->nsh[i];
    fp->heads = dd->heads + i * KHI_HEAD;
    fp->sig = dd->sigs + i * dd->k;
}

kh_status khi_dedup_fp_add(kh_deduper *dd, const khi_dedup_fp *fp)
{
    if (dd->ran)
        return kh_ctx_error(dd->ctx, KH_E_ARG, "dedup: a document added after the run");
    if (!dd->sealed) {
        if (dd->n)
            return kh_ctx_error(dd->ctx, KH_E_ARG, "dedup: fingerprints added to a deduper "
                                                   "that fingerprints");
        free_batches(dd); /* nothing to fingerprint here */
        dd->sealed = 1;
    }
    if (!fp->id_len || memchr(fp->id, 0, fp->id_len) || fp->head_n > KHI_HEAD)
        return kh_ctx_error(dd->ctx, KH_E_ARG, "dedup: a fingerprint without an id or with "
                                               "too long a head");
    if (dd->n >= MAX_DOCS)
        return kh_ctx_error(dd->ctx, KH_E_TOOBIG, "dedup: more than %zu documents", MAX_DOCS);
    KHI_FORWARD_IF_ERROR(grow(dd, dd->n + 1));
    size_t ids_len = dd->ids.len;
    kh_status rc = kh_buf_append(&dd->ids, fp->id, fp->id_len);
    if (rc == KH_OK)
        rc = kh_buf_append(&dd->ids, "", 1);
    if (rc != KH_OK) {
        dd->ids.len = ids_len;
        return kh_ctx_error(dd->ctx, rc, "dedup: %.*s: %s", (int)KHI_MIN(fp->id_len, 200),
                            fp->id, kh_strerror(rc));
    }
    size_t doc = dd->n++;
    dd->id_off[doc] = ids_len;
    dd->dates[doc] = fp->date;
    dd->timed[doc] = fp->timed;
    dd->agsrc[doc] = fp->agsrc;
    dd->agcred[doc] = fp->agcred;
    dd->head_n[doc] = fp->head_n;
    dd->src[doc] = fp->src;
    dd->exact[2 * doc] = fp->exact[0];
    dd->exact[2 * doc + 1] = fp->exact[1];
    dd->nsh[doc] = fp->nsh;
    memset(dd->heads + doc * KHI_HEAD, 0, KHI_HEAD * sizeof *dd->heads);
    if (fp->head_n)
        memcpy(dd->heads + doc * KHI_HEAD, fp->heads, fp->head_n * sizeof *dd->heads);
    memcpy(dd->sigs + doc * dd->k, fp->sig, dd->k * sizeof *dd->sigs);
    return KH_OK;
}

void khi_dedup_options_get(const kh_deduper *dd, kh_dedup_options *opts, unsigned *rows)
{
    *opts = dd->o;
    *rows = dd->rows;
}

kh_status kh_dedup_run(kh_deduper *dd)
{
    if (dd->ran)
        return kh_ctx_error(dd->ctx, KH_E_ARG, "dedup: run twice");
    kh_status rc = khi_dedup_seal(dd);
    if (rc != KH_OK)
        return rc;
    size_t n = dd->n;
    if (n == 0) {
        dd->ran = 1;
        memset(&dd->st, 0, sizeof dd->st);
        return KH_OK;
    }
    dd->group = kh_malloc(dd->ctx, n * sizeof *dd->group);
    dd->sim = kh_malloc(dd->ctx, n * sizeof *dd->sim);
    dd->copy_of = kh_malloc(dd->ctx, n * sizeof *dd->copy_of);
    dd->rel = kh_malloc(dd->ctx, n * sizeof *dd->rel);
    dd->orig = kh_malloc(dd->ctx, n * sizeof *dd->orig);
    dd->gwire = kh_malloc(dd->ctx, n * sizeof *dd->gwire);
    dd->outlets = kh_malloc(dd->ctx, n * sizeof *dd->outlets);
    if (!dd->group || !dd->sim || !dd->copy_of || !dd->rel || !dd->orig || !dd->gwire ||
        !dd->outlets) {
        free_results(dd);
        return kh_ctx_error(dd->ctx, KH_E_NOMEM, "dedup: out of memory");
    }
    memset(&dd->st, 0, sizeof dd->st);
    rc = group_all(dd);
    if (rc != KH_OK) {
        free_results(dd);
        memset(&dd->st, 0, sizeof dd->st);
        return kh_ctx_error(dd->ctx, rc, "dedup: grouping failed: %s", kh_strerror(rc));
    }
    dd->ran = 1;
    if (!dd->st.largest_group)
        dd->st.largest_group = 1;
    return KH_OK;
}

kh_status kh_dedup_groups(kh_deduper *dd, kh_dedup_group_fn fn, void *user)
{
    if (!dd->ran)
        return kh_ctx_error(dd->ctx, KH_E_ARG, "dedup: groups asked before the run");
    size_t n = dd->n;
    /* Counting sort of documents by representative: start[rep] .. */
    size_t *start = kh_malloc(dd->ctx, (n + 1) * sizeof *start);
    size_t *members = kh_malloc(dd->ctx, (n ? n : 1) * sizeof *members);
    kh_status rc = KH_OK;
    if (!start || !members) {
        rc = kh_ctx_error(dd->ctx, KH_E_NOMEM, "dedup: out of memory");
        goto done;
    }
    memset(start, 0, (n + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[dd->group[i] + 1]++;
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    for (size_t i = 0; i < n; i++)
        members[start[dd->group[i]]++] = i;
    /* start[rep] now points one past the group: shift back. */
    for (size_t i = n; i > 0; i--)
        start[i] = start[i - 1];
    start[0] = 0;
    for (size_t rep = 0; rep < n; rep++) {
        size_t m = start[rep + 1] - start[rep];
        if (m < 2)
            continue;
        double min_sim = 1.0;
        for (size_t j = start[rep]; j < start[rep + 1]; j++)
            if (dd->sim[members[j]] < min_sim)
                min_sim = dd->sim[members[j]];
        if (fn(user, rep, members + start[rep], m, min_sim)) {
            rc = KH_E_STOPPED;
            break;
        }
    }
done:
    kh_free(dd->ctx, start, (n + 1) * sizeof *start);
    kh_free(dd->ctx, members, (n ? n : 1) * sizeof *members);
    return rc;
}
