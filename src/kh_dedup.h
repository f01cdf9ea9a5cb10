/*
 * kh_dedup.h — what the dedup modules share: the dedup key and MinHash
 * signatures (kh_minhash.c), LSH banding (kh_lsh.c), and the radix sort both
 * use. Internal: names start with khi_.
 */
#ifndef KH_DEDUP_H
#define KH_DEDUP_H

#include "kh_internal.h"

/* Per-thread scratch for fingerprinting one document at a time. */
typedef struct khi_minhash {
    kh_ctx *ctx;
    unsigned shingle;   /* words per shingle */
    unsigned k;         /* signature slots (bins), a power of two */
    unsigned log2k;
    kh_buf key;         /* the dedup key: folded words, one space between */
    uint64_t *words;    /* hash of each word of the key */
    size_t words_cap;
    uint64_t *mins;     /* k bins; UINT64_MAX = empty */
    uint16_t arabic[128]; /* how the scanner folds U+0600-067F */
} khi_minhash;

/* Shingle hashes kept of a document's beginning, for containment. */
#define KHI_HEAD 64

/* A document's fingerprints. */
typedef struct khi_fp {
    uint64_t exact[2];  /* XXH3-128 of the dedup key */
    uint32_t shingles;  /* distinct-position shingles hashed; 0 = no words */
    uint32_t words;     /* words of the dedup key */
    uint32_t head_n;    /* distinct hashes in head[], <= KHI_HEAD */
} khi_fp;

kh_status khi_minhash_init(khi_minhash *mh, kh_ctx *ctx, unsigned shingle, unsigned k);
void khi_minhash_free(khi_minhash *mh);

/* Appends the dedup key of text to out: words of letters and digits,
 * Arabic letter variants, tashkeel, tatweel, digits and case folded,
 * separated by one space. */
kh_status khi_dedup_key(kh_buf *out, const char *text, size_t text_len);

/* Fingerprints text: fills *fp, sig[0..k) and head[0..fp->head_n): the
 * distinct 32-bit hashes of the first KHI_HEAD shingles, ascending. */
kh_status khi_minhash_doc(khi_minhash *mh, const char *text, size_t text_len,
                          khi_fp *fp, uint16_t *sig, uint32_t *head);

/* |a ∩ b| of two ascending hash lists. */
size_t khi_head_common(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* Estimated Jaccard similarity of two k-slot signatures. */
double khi_minhash_similarity(const uint16_t *a, const uint16_t *b, unsigned k);

/* A sort record: 64-bit key and a 32-bit payload. */
typedef struct khi_kv {
    uint64_t key;
    uint32_t val;
    uint32_t aux;
} khi_kv;

/* Stable LSD radix sort of kv[0..n) by key, using tmp[0..n) as scratch;
 * only the bytes of key that vary are sorted. */
void khi_radix_sort(khi_kv *kv, khi_kv *tmp, size_t n);

/* How a verified pair is related. */
enum { KHI_NEAR = 1, KHI_A_IN_B = 2, KHI_B_IN_A = 3 };

/* A verified pair: ranks a < b, similarity (Jaccard for KHI_NEAR, the
 * contained one's containment otherwise). */
typedef struct khi_edge {
    uint32_t a, b;
    float sim;
    uint32_t kind;
} khi_edge;

/* The LSH job of one thread: bands band0, band0 + step, ... of the items. */
typedef struct khi_lsh_job {
    kh_ctx *ctx;
    const uint16_t *sigs;      /* signatures in input order, k slots each */
    const uint32_t *items;     /* document index of each item, in rank order */
    const uint32_t *item_rank; /* rank of each item */
    size_t n_items;
    unsigned k, rows, bands, band0, step, max_bucket;
    double threshold;
    /* containment (kh_dedup.c's CONTAINED COPIES): */
    const uint32_t *heads;     /* KHI_HEAD hashes a document, input order */
    const uint8_t *head_n;
    const uint32_t *nsh;       /* shingles a document */
    double contain;            /* 0: no containment */
    unsigned min_contained;    /* shingles the contained one needs */
    unsigned head_bands, head_rows; /* band0/step also pick these bands */
    /* out */
    khi_edge *edges;
    size_t n_edges, edges_cap;
    uint64_t candidates;
    kh_status status;
} khi_lsh_job;

/* Runs one LSH job (a pthread start routine's body). */
void khi_lsh_run(khi_lsh_job *job);

/* Frees a job's output. */
void khi_lsh_job_free(khi_lsh_job *job);

/* Wire agencies (kh_wire.c): their names, folded as dedup keys. Agencies
 * are numbered from 1; 0 is "none". */
#define KHI_WIRE_MAX_ALIASES 64
typedef struct khi_wire {
    kh_buf names;                        /* folded names, NUL after each */
    size_t off[KHI_WIRE_MAX_ALIASES];    /* where each name starts */
    uint8_t agency[KHI_WIRE_MAX_ALIASES];
    unsigned n;
    kh_buf scratch;
} khi_wire;

kh_status khi_wire_init(khi_wire *w, kh_ctx *ctx);
void khi_wire_free(khi_wire *w);
/* The name output uses for an agency, NULL for 0 or out of range. */
const char *khi_wire_name(unsigned agency);
/* The agency a source is (by its whole name or first words), 0 if none. */
unsigned khi_wire_source(khi_wire *w, const char *source);
/* The agency a credit line or dateline names anywhere, 0 if none. */
unsigned khi_wire_credit(khi_wire *w, const char *credit);
/* The agency credited in the dateline a body opens with, 0 if none. */
unsigned khi_wire_dateline(khi_wire *w, const char *text, size_t len);

/* One document as the deduper holds it once fingerprinted: everything the
 * grouping reads of it, and nothing of its body. A shard file
 * (kh_dedup_shard.c) is a list of these; the pointers borrow from whoever
 * filled the struct. */
typedef struct khi_dedup_fp {
    const char *id;
    size_t id_len;
    int64_t date;          /* parse_date()'s sortable form */
    uint8_t timed;         /* the date has a time of day */
    uint8_t agsrc, agcred; /* PROVENANCE: agency of the source, agency credited */
    uint8_t head_n;        /* <= KHI_HEAD */
    uint64_t src;          /* hash of the source, 0 = none */
    uint64_t exact[2];     /* XXH3-128 of the dedup key */
    uint32_t nsh;          /* shingles, 0 = no body */
    const uint32_t *heads; /* head_n ascending hashes */
    const uint16_t *sig;   /* k slots */
} khi_dedup_fp;

/* Fingerprints every document added so far and frees the batches: no
 * document may be added after it, kh_dedup_run() may follow. */
kh_status khi_dedup_seal(kh_deduper *dd);
/* Document i (i < kh_dedup_count(), after khi_dedup_seal()), borrowed
 * from dd until it is freed. */
void khi_dedup_fp_get(const kh_deduper *dd, size_t i, khi_dedup_fp *fp);
/* Adds a document fingerprinted elsewhere (a shard); only on a deduper no
 * document was added to by kh_dedup_add*(). */
kh_status khi_dedup_fp_add(kh_deduper *dd, const khi_dedup_fp *fp);
/* The options the deduper runs with (defaults filled in), its rows a band. */
void khi_dedup_options_get(const kh_deduper *dd, kh_dedup_options *opts, unsigned *rows);

/* Shard files (kh_dedup_shard.c). Encodes the documents of dd (sealed
 * here), the i-th at input position positions[i], as shard index of count
 * of a run that read docs documents; appends to out. */
kh_status khi_dedup_shard_encode(kh_ctx *ctx, kh_deduper *dd, const uint32_t *positions,
                                 unsigned index, unsigned count, uint64_t docs, kh_buf *out);
/* kh_dedup_merge_buffers() up to the run: *out holds every record, in
 * input order, and the buffers are no longer needed; the caller frees
 * them, then runs *out (kh_dedup_run()) or frees it. */
kh_status khi_dedup_merge_add(kh_ctx *ctx, const char *const *names, const void *const *data,
                              const size_t *lens, size_t n, unsigned threads, kh_deduper **out);
/* khi_dedup_shard_encode() into DIR/kh_dedup_shard_name(index, count),
 * streamed, and there whole or not at all (written aside and renamed). */
kh_status khi_dedup_shard_write(kh_ctx *ctx, kh_deduper *dd, const uint32_t *positions,
                                unsigned index, unsigned count, uint64_t docs, const char *dir);

#endif /* KH_DEDUP_H */
