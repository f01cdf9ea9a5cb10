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

static int push_edge(khi_lsh_job *job, uint32_t a, uint32_t b, double sim, unsigned kind)
{
    if (KHI_GROW(job->ctx, job->edges, job->n_edges, job->edges_cap, 4096) != KH_OK)
        return -1;
    khi_edge *e = &job->edges[job->n_edges++];
    e->a = a < b ? a : b;
    e->b = a < b ? b : a;
    e->sim = (float)sim;
    if (a > b && kind != KHI_NEAR)
        kind = kind == KHI_A_IN_B ? KHI_B_IN_A : KHI_A_IN_B;
    e->kind = kind;
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

/*
 * Verifies documents x and y (input positions): KHI_NEAR when the estimated
 * Jaccard reaches the threshold; else KHI_A_IN_B (x in y) or KHI_B_IN_A by
 * the containment rule of kh_dedup.c (CONTAINED COPIES): the shorter one
 * has at least min_contained shingles, and at least `contain` of them are
 * in the longer one, counted exactly on the two heads when the head holds
 * all of the shorter one, else on the heads and, for the rest, estimated
 * from the signatures and the shingle counts
 * (|X ∩ Y| / |X| = J (|X| + |Y|) / ((1 + J) |X|)). 0: no relation.
 */
static unsigned verify(const khi_lsh_job *job, uint32_t x, uint32_t y, double *sim)
{
    const unsigned k = job->k;
    double j = khi_minhash_similarity(job->sigs + (size_t)x * k, job->sigs + (size_t)y * k, k);
    if (j + 1e-9 >= job->threshold) {
        *sim = j;
        return KHI_NEAR;
    }
    if (job->contain <= 0)
        return 0;
    uint32_t small = job->nsh[x] <= job->nsh[y] ? x : y, big = small == x ? y : x;
    if (job->nsh[small] < job->min_contained || job->head_n[small] == 0)
        return 0;
    size_t common = khi_head_common(job->heads + (size_t)small * KHI_HEAD, job->head_n[small],
                                    job->heads + (size_t)big * KHI_HEAD, job->head_n[big]);
    double c = (double)common / job->head_n[small];
    if (c + 1e-9 < job->contain)
        return 0;
    if (job->nsh[small] > KHI_HEAD) {
        double ns = job->nsh[small], nb = job->nsh[big];
        double cf = j * (ns + nb) / ((1 + j) * ns);
        if (cf + 1e-9 < job->contain)
            return 0;
        c = cf < 1 ? cf : 1;
    }
    *sim = c;
    return small == x ? KHI_A_IN_B : KHI_B_IN_A;
}

/* The key of head band h of a document: the minima of head_rows hash
 * functions h_t(v) = high 32 bits of (a_t v + b_t) over its head. With two
 * rows both minima fit in the key, so equal keys are equal bands. */
static uint64_t head_key(const khi_lsh_job *job, const uint32_t *head, unsigned n, unsigned h)
{
    uint64_t key = 0;
    for (unsigned t = 0; t < job->head_rows; t++) {
        uint64_t a = khi_mix64(((uint64_t)h << 8) + 2 * t + 1) | 1;
        uint64_t b = khi_mix64(((uint64_t)h << 8) + 2 * t + 2);
        uint32_t m = UINT32_MAX;
        for (unsigned i = 0; i < n; i++) {
            uint32_t v = (uint32_t)((a * head[i] + b) >> 32);
            m = v < m ? v : m;
        }
        key = job->head_rows <= 2 ? (key << 32) | m : khi_mix64(key ^ m);
    }
    return key;
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
    unsigned all = job->bands + (job->contain > 0 ? job->head_bands : 0);
    for (unsigned j = job->band0; j < all; j += job->step) {
        int head = j >= job->bands;
        for (size_t i = 0; i < n; i++) {
            uint32_t d = job->items[i];
            if (head) {
                kv[i].key = head_key(job, job->heads + (size_t)d * KHI_HEAD, job->head_n[d],
                                     j - job->bands);
            } else {
                const uint16_t *s = job->sigs + (size_t)d * k + (size_t)j * rows;
                kv[i].key = XXH3_64bits_withSeed(s, rows * sizeof *s, j);
            }
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
                uint32_t dx = job->items[kv[p].val];
                const uint16_t *x = job->sigs + (size_t)dx * k;
                for (size_t q = p + 1; q < hi; q++) {
                    uint32_t dy = job->items[kv[q].val];
                    const uint16_t *y = job->sigs + (size_t)dy * k;
                    /* A key collision without equal slots is no candidate;
                     * a head band's key is its slots. */
                    if (!head && memcmp(x + j * rows, y + j * rows, rows * sizeof *x) != 0)
                        continue;
                    /* A pair met in a signature band was verified there; one
                     * met again in another head band is verified again and
                     * dropped when the edges are merged. */
                    if (met_before(x, y, rows, head ? job->bands : j))
                        continue;
                    job->candidates++;
                    double sim;
                    unsigned kind = verify(job, dx, dy, &sim);
                    if (!kind)
                        continue;
                    if (push_edge(job, job->item_rank[kv[p].val], job->item_rank[kv[q].val], sim,
                                  kind)) {
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
