/*
 * kh_lsh.c — MinHash signatures to verified candidate pairs, by banding and
 * sorting.
 *
 * Idea (Leskovec, Rajaraman & Ullman, "Mining of Massive Datasets", ch. 3.4).
 * Cut each k-slot signature into b bands of r slots. Two documents whose
 * Jaccard similarity is s agree on a whole band with probability s^r, so
 * they share at least one band with probability 1 - (1 - s^r)^b: an S-curve
 * whose midpoint is about (1/b)^(1/r). With k = 128, r = 6, b = 21 the
 * midpoint is 0.60 and a pair at s = 0.8 becomes a candidate with
 * probability 0.998 (0.9999 at 0.85), while a pair at s = 0.3 does with
 * probability 0.015. Candidates are then verified on the full signature,
 * so the low midpoint costs a few verifications, never precision.
 *
 * Buckets are found by SORTING, not hashing: for one band, every item gets
 * a record (key, rank) where key is a 64-bit hash of its r slots and the
 * band number; a stable LSD radix sort puts equal keys together, with ranks
 * (the items' positions by date, then input order) ascending inside each
 * run. Sorting touches memory sequentially, needs no resizing, and one
 * band's table (16 bytes an item, plus as much scratch) is all the memory a
 * thread holds. A run longer than max_bucket pairs each member only with its
 * first max_bucket members (a boilerplate bucket must not cost n^2).
 *
 * Invariant: each candidate pair is emitted once, by the first band in
 * which the two signatures agree (the band loop checks the earlier bands'
 * slots), so threads that take different bands never emit the same pair and
 * no global de-duplication is needed; the set of pairs does not depend on
 * how bands are split among threads.
 *
 * Band key of band j (r slots of 16 bits, hashed to 64 bits):
 *
 *   sig:  ... | s[j*r] | s[j*r+1] | ... | s[j*r+r-1] | ...
 *                 \________ XXH3_64(2r bytes, seed j) ________/
 *                                  |
 *   record:  [ key: 64 bits ][ rank: 32 bits ][ aux: 32 bits ]  (16 bytes)
 */
#include "kh_dedup.h"

#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

void khi_radix_sort(khi_kv *kv, khi_kv *tmp, size_t n)
{
    if (n < 2)
        return;
    uint64_t or_all = 0, and_all = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        or_all |= kv[i].key;
        and_all &= kv[i].key;
    }
    uint64_t varies = or_all ^ and_all;
    khi_kv *src = kv, *dst = tmp;
    size_t count[256];
    for (unsigned pass = 0; pass < 8; pass++) {
        unsigned shift = pass * 8;
        if (((varies >> shift) & 0xFF) == 0)
            continue;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(src[i].key >> shift) & 0xFF]++;
        size_t sum = 0;
        for (unsigned b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].key >> shift) & 0xFF]++] = src[i];
        khi_kv *t = src;
        src = dst;
        dst = t;
    }
    if (src != kv)
        memcpy(kv, src, n * sizeof *kv);
}

static int push_edge(khi_lsh_job *job, uint32_t a, uint32_t b, double sim)
{
    if (job->n_edges == job->edges_cap) {
        size_t cap = job->edges_cap ? job->edges_cap * 2 : 4096;
        khi_edge *e = kh_realloc(job->ctx, job->edges, job->edges_cap * sizeof *e,
                                 cap * sizeof *e);
        if (!e)
            return -1;
        job->edges = e;
        job->edges_cap = cap;
    }
    khi_edge *e = &job->edges[job->n_edges++];
    e->a = a < b ? a : b;
    e->b = a < b ? b : a;
    e->sim = (float)sim;
    return 0;
}

/* Non-zero when signatures x and y agree on every slot of some band before
 * band j: the pair was already emitted there. */
static int met_before(const uint16_t *x, const uint16_t *y, unsigned rows, unsigned j)
{
    for (unsigned band = 0; band < j; band++) {
        const uint16_t *p = x + band * rows, *q = y + band * rows;
        unsigned r = 0;
        while (r < rows && p[r] == q[r])
            r++;
        if (r == rows)
            return 1;
    }
    return 0;
}

void khi_lsh_run(khi_lsh_job *job)
{
    job->status = KH_OK;
    size_t n = job->n_items;
    if (n < 2)
        return;
    khi_kv *kv = kh_malloc(job->ctx, n * sizeof *kv);
    khi_kv *tmp = kh_malloc(job->ctx, n * sizeof *tmp);
    if (!kv || !tmp) {
        job->status = KH_E_NOMEM;
        goto done;
    }
    const unsigned k = job->k, rows = job->rows;
    for (unsigned j = job->band0; j < job->bands; j += job->step) {
        for (size_t i = 0; i < n; i++) {
            const uint16_t *s = job->sigs + (size_t)job->items[i] * k + (size_t)j * rows;
            kv[i].key = XXH3_64bits_withSeed(s, rows * sizeof *s, j);
            kv[i].val = (uint32_t)i;
            kv[i].aux = 0;
        }
        khi_radix_sort(kv, tmp, n);
        for (size_t lo = 0; lo < n;) {
            size_t hi = lo + 1;
            while (hi < n && kv[hi].key == kv[lo].key)
                hi++;
            size_t heads = hi - lo;
            if (heads > job->max_bucket)
                heads = job->max_bucket;
            for (size_t p = lo; p < lo + heads; p++) {
                const uint16_t *x = job->sigs + (size_t)job->items[kv[p].val] * k;
                for (size_t q = p + 1; q < hi; q++) {
                    const uint16_t *y = job->sigs + (size_t)job->items[kv[q].val] * k;
                    /* A key collision without equal slots is no candidate. */
                    if (memcmp(x + j * rows, y + j * rows, rows * sizeof *x) != 0)
                        continue;
                    if (met_before(x, y, rows, j))
                        continue;
                    job->candidates++;
                    double sim = khi_minhash_similarity(x, y, k);
                    if (sim + 1e-9 < job->threshold)
                        continue;
                    if (push_edge(job, job->item_rank[kv[p].val], job->item_rank[kv[q].val], sim)) {
                        job->status = KH_E_NOMEM;
                        goto done;
                    }
                }
            }
            lo = hi;
        }
    }
done:
    kh_free(job->ctx, kv, n * sizeof *kv);
    kh_free(job->ctx, tmp, n * sizeof *tmp);
}

void khi_lsh_job_free(khi_lsh_job *job)
{
    kh_free(job->ctx, job->edges, job->edges_cap * sizeof *job->edges);
    job->edges = NULL;
    job->n_edges = job->edges_cap = 0;
}
