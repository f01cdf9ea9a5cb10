/*
 * kh_pipeline_int.h — what kh_pipeline.c (the batch chain) and
 * kh_pipeline_store.c (the incremental chain over a store) share.
 *
 * The pipeline keeps one rec (32 bytes) per article in memory; everything
 * else of the article lives in an unlinked temporary file, the spool:
 *
 *   spool:  [record][record]...     appended once, read back by offset
 *   record (article): id, title, source, date, credit, url, file
 *                     each a string:
 *                     u32 length (KHI_NO_STR when absent), bytes, NUL
 *                     u32 body length, body (paragraphs joined by '\n'), NUL
 *   record (page):    the kh_doc itself, to be cleaned once all pages of the
 *                     run have been observed
 *   why (explain):    see spool_why()
 *   provenance:       u32 kh_dedup_relation, copy_of id, wire (strings as
 *                     above), for an article that is a copy or in a copy
 *                     group only; found per block, and where it lies is
 *                     held only while the article's story is open
 */
#ifndef KH_PIPELINE_INT_H
#define KH_PIPELINE_INT_H

#include "kh_internal.h"

/* Records appended and read back by offset: the first few MiB in memory,
 * the rest in an unlinked temporary file made when they overflow. */
typedef struct khi_spool {
    int fd;
    uint64_t written;  /* bytes in the file */
    kh_buf pending;    /* appended, not yet written */
} khi_spool;

/* One article (or page not yet cleaned), in memory for the whole run. */
typedef struct khi_rec {
    uint64_t off;   /* its record in the spool */
    int64_t key;    /* its time in the stream: its own or estimated time,
                       else that of the dated article before it in the input */
    uint32_t len;   /* bytes of the record */
    uint32_t seq;   /* position in the input */
    uint32_t orig;  /* after the copies step: seq of the article it copies,
                       or its own seq; in a shard, until then, its position
                       among every document added */
    uint8_t flags;  /* KHI_REC_* */
    uint8_t lang;   /* kh_lang */
} khi_rec;

#define KHI_REC_DATED 1u     /* key is its own date */
#define KHI_REC_ESTIMATED 2u /* key was read from its content */
#define KHI_REC_PAGE 4u      /* the record is the page itself, not yet cleaned */
#define KHI_REC_FOREIGN 8u   /* a page of another shard: observed, never cleaned */

#define KHI_NO_STR UINT32_MAX /* a field length: the field is absent */

/* An article's record, read back: every string is NUL-terminated in the
 * buffer it was read into. */
typedef struct khi_view {
    const char *id, *title, *source, *date, *url, *file;
    /* what the cleaner found, NULL for none; credit is the agency, else
     * the dateline (what the copies step reads a wire from) */
    const char *dateline, *dateline_agency, *author, *date_source, *credit;
    char *text; /* the body: paragraphs joined by '\n' */
    size_t title_len, text_len;
    kh_lang lang;
} khi_view;

/* Where an article's provenance lies in the spool (len 0: it has none). */
typedef struct khi_prov {
    uint64_t off;
    uint32_t len;
} khi_prov;

/* Called as a story closes, instead of on_story, by the incremental chain:
 * the story's articles as positions in the input (seqs[i]), the position
 * of the article each copies (origs[i], its own when none), each one's
 * record (recs[i], an index of p->recs: what khi_pipeline_why() reads) and
 * where its provenance lies (prov[i], for khi_pipeline_prov()). */
typedef int (*khi_members_fn)(void *user, const kh_story_info *info, const uint32_t *seqs,
                              const uint32_t *origs, const uint32_t *recs,
                              const khi_prov *prov, size_t n);

/* Extras spooled beside the records, by record index: where each lies in
 * the spool (len 0: the record has none). Grown to p->n at the first. */
typedef struct khi_side {
    uint64_t *off;
    uint32_t *len;
    size_t cap;
} khi_side;

/* One story not yet closed: its articles' positions in the time order,
 * and where each one's provenance lies. */
typedef struct khi_members {
    uint32_t *pos;
    khi_prov *prov;
    uint32_t n, cap;
    int closed;
} khi_members;

/* One article's provenance read back into buf (cleared first): how it
 * copies copy_of (KH_DEDUP_NONE and NULL: it copies none) and the wire of
 * its copy group (NULL: none); the strings point into buf. */
kh_status khi_pipeline_prov(kh_pipeline *p, const khi_prov *at, kh_buf *buf,
                            kh_dedup_relation *rel, const char **copy_of, const char **wire);

/* A story's independent sources (distinct sources of the articles that copy
 * no other article of it), the wire most of its grouped articles came from
 * (ties: the first by name; NULL: none) and the distinct sources that ran
 * it, from each article's id and source (v[i]), the id it copies and the
 * wire of its copy group (NULL: none). *wire points into wire[]. */
kh_status khi_story_sources(kh_ctx *ctx, const khi_view *v, const char *const *copy_of,
                            const char *const *wire, size_t n, size_t *independent,
                            const char **wire_out, size_t *wire_outlets);

struct kh_pipeline {
    kh_ctx *ctx;
    kh_pipeline_options opt;
    khi_spool spool;
    khi_rec *recs;
    size_t n, cap;
    kh_buf enc;   /* a record being written */
    kh_buf rd;    /* a record read back for the step at hand */
    kh_buf load;  /* the records of the story being closed */
    kh_buf body;  /* a body being joined */
    kh_cleaner *cleaner;
    /* pages spooled but not yet observed (kh_cleaner_observe()): records
     * obs_from.. of recs, observed in batches on the worker threads */
    size_t obs_from, obs_pages;
    uint64_t obs_bytes;
    kh_tokenizer *tok;
    khi_account_words *account_words; /* built at the first account */
    /* story base + i is pend[head + i]; stories below base are closed */
    khi_members *pend;
    size_t head, n_pend, cap_pend;
    uint64_t base;
    /* with opt.story.explain: why each record joined its story, spooled */
    khi_side why_at;
    kh_buf why;              /* a why being written or read back */
    /* what the copies step found of an article that is a copy or in a
     * copy group (relation, copy_of, wire), spooled; where, in pend[] */
    kh_buf prov;             /* provenance being written, or a story's read back */
    khi_members_fn on_members; /* set by the incremental chain */
    void *on_members_user;
    kh_linker *linker;       /* with KH_PIPELINE_LINK: the closed stories */
    kh_buf lang_times;       /* and every article's khi_lang_time, sorted */
    int linked;              /* kh_link_run() ran */
    kh_pipeline_stats stats;
    kh_status rc;  /* sticky: the first failure */
    int ended;     /* an end ran */
    /* SHARDS (kh_pipeline.c): this run keeps documents shard_index,
     * shard_index + shard_count, ... of the input; shard_count 0: all */
    unsigned shard_index, shard_count;
};

/* Spools one clean article (already cleaned, e.g. read from a store) as
 * the next in the input. */
kh_status khi_pipeline_add_article(kh_pipeline *p, const kh_store_article *a);

/* Makes the pipeline's tokenizer when it has none yet. */
kh_status khi_pipeline_tokenizer(kh_pipeline *p);

/* The account of the articles v[0..n) (copy_of[i] the id of the article
 * v[i] copies, or NULL; copy_of may be NULL), hook (or NULL) handed its
 * words; their bodies are cut in place into paragraphs. */
kh_status khi_pipeline_account(kh_pipeline *p, khi_view *v, const char *const *copy_of,
                               size_t n, const khi_texts_hook *hook, kh_account **out);

/* Cleans the pages spooled whole, in input order; what cannot be cleaned is
 * reported and dropped. */
kh_status khi_pipeline_clean(kh_pipeline *p);

/* Dates, orders, finds copies and groups stories (the story stage of
 * kh_pipeline_run(), after cleaning). */
kh_status khi_pipeline_stories(kh_pipeline *p);

/* Reads back why the article of record k (an index of p->recs) went where
 * it did, as spooled with opt.story.explain; a zeroed why when none was. */
kh_status khi_pipeline_why(kh_pipeline *p, size_t k, kh_story_why *w);

/* Reads back rec's article into buf (cleared first). */
kh_status khi_pipeline_load(kh_pipeline *p, const khi_rec *r, kh_buf *buf, khi_view *v);

#endif /* KH_PIPELINE_INT_H */
