/*
 * kh_pipeline_store.c — the incremental end of the pipeline: a run's
 * articles into a store, and the store's stories kept equal to what one
 * batch over everything stored would give.
 *
 *   run's documents ──► clean (kh_pipeline.c) ──► store, batch per commit
 *   every stored article, in the order first stored
 *       ──► date, order, copies, stories (kh_pipeline.c, no accounts)
 *       ──► clusters ──► diff with the store ──► write what differs
 *
 * Idea. The story stage is online and order-dependent: an article's story
 * depends on every article before it in the stream (which stories are open,
 * the document frequencies), and an undated article borrows the time of the
 * dated one it resembles wherever that one stands. So a part cannot be
 * grouped against a summary of earlier parts and give the batch's answer.
 * Instead the stage runs again over the stored stream, which the store keeps
 * in its first-stored order (an article's row; a new version keeps its row),
 * and the result is compared with what is stored: only articles whose story
 * or copy group differs are written, and only stories that gained or lost
 * articles get their accounts again. Parts ingested in order therefore give
 * the stories of one batch: the invariant is
 *
 *     stored stories == kh_pipeline_run(stored articles in row order)
 *
 * after every run that ends. Its cost is the story stage over the whole
 * store (memory stays bounded: the replay is a pipeline, 32 bytes per
 * article plus the ids); a run that adds and changes nothing, with nothing
 * unfiled, does not replay at all.
 *
 * Why. The replay explains (opt.story.explain): each article's why, as
 * kh_story_why_json() writes it with its start's nearest story named by
 * the stored id, is written with the article when its story is; an article
 * whose why alone changed (the document frequencies and open stories before
 * it moved) gets the new why without a move. The diff compares a hash of
 * the stored JSON text with that of the new one. A nearest story that is
 * new in this run has no stored id until it is written: an article that
 * names it and is written first gets its why in the transaction that
 * creates that story, which files an unfiled article, so a kill leaves it
 * for the next run to write.
 *
 * Naming. A cluster of the replay keeps a stored story id when one of its
 * articles (the earliest that has one, in the order they joined) is filed
 * under a story no earlier cluster kept; else it is a new story. Stories
 * that no cluster keeps are emptied by the moves and removed. A copy group
 * is named by its original's id (a hash), so parts and batch name it alike.
 *
 * Kills. Writes go one cluster at a time: its articles, its account, and
 * the account of every story it took an article from (or that story's
 * removal, once empty), in one transaction that commits every
 * COMMIT_ARTICLES articles or COMMIT_SECONDS. Clusters that file no unfiled
 * article go first, so until the last commit some article is still unfiled
 * and the next run replays and finishes. A new version of a stored article
 * loses its copy group when it is stored, and counts as unfiled until the
 * regrouping gives it one, for the same reason.
 */
#include "kh_pipeline_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#define MAX_JSON ((size_t)64 << 20) /* cap of one account */
#define COMMIT_ARTICLES 1000        /* filed articles per transaction, at most */
#define COMMIT_SECONDS 1.0          /* and about this long */
#define MAX_TRIES 100               /* replays when other writers keep coming */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A copy group's id: a hash of its original's id. */
static int64_t group_of(const char *orig_id)
{
    return (int64_t)(XXH3_64bits(orig_id, strlen(orig_id)) >> 1) | 1;
}

/* ---- a set of story ids -------------------------------------------------- */

typedef struct idset {
    int64_t *keys; /* 0 = empty */
    uint8_t *vals;
    size_t cap, n;
} idset;

static uint8_t *idset_slot(kh_ctx *ctx, idset *s, int64_t key, int make)
{
    if (make && (s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        int64_t *k = kh_malloc(ctx, cap * sizeof *k);
        uint8_t *v = kh_malloc(ctx, cap);
        if (!k || !v) {
            kh_free(ctx, k, cap * sizeof *k);
            kh_free(ctx, v, cap);
            return NULL;
        }
        memset(k, 0, cap * sizeof *k);
        memset(v, 0, cap);
        for (size_t i = 0; i < s->cap; i++)
            if (s->keys[i]) {
                size_t j = (size_t)khi_mix64((uint64_t)s->keys[i]) & (cap - 1);
                while (k[j])
                    j = (j + 1) & (cap - 1);
                k[j] = s->keys[i];
                v[j] = s->vals[i];
            }
        kh_free(ctx, s->keys, s->cap * sizeof *s->keys);
        kh_free(ctx, s->vals, s->cap);
        s->keys = k;
        s->vals = v;
        s->cap = cap;
    }
    if (!s->cap)
        return NULL;
    size_t j = (size_t)khi_mix64((uint64_t)key) & (s->cap - 1);
    while (s->keys[j] && s->keys[j] != key)
        j = (j + 1) & (s->cap - 1);
    if (!s->keys[j]) {
        if (!make)
            return NULL;
        s->keys[j] = key;
        s->n++;
    }
    return &s->vals[j];
}

static void idset_free(kh_ctx *ctx, idset *s)
{
    kh_free(ctx, s->keys, s->cap * sizeof *s->keys);
    kh_free(ctx, s->vals, s->cap);
    memset(s, 0, sizeof *s);
}

/* idset values */
#define KEPT 1u   /* a cluster keeps this story id */
#define COUNTED 2u /* counted in stories_updated */

/* ---- the run ------------------------------------------------------------ */

typedef struct ingest {
    kh_pipeline *p;
    kh_ctx *ctx;
    kh_store *store;
    kh_pipeline_ingest_stats st;      /* committed */
    kh_pipeline_ingest_stats open;    /* in the open transaction */
    kh_buf json;
    /* the replay: per stored article (by row order) */
    size_t n, cap_n;
    struct stored {
        int64_t story, grp;           /* as stored (updated as written) */
        size_t id_at;                 /* offset of its id in ids */
        uint64_t why_hash;            /* XXH3 of its stored why; 0: none */
        uint64_t prov_hash;           /* prov_hash() of its stored copy fields */
    } *art;
    kh_buf ids;
    /* the replay's clusters: members[cl_at[c] .. cl_at[c + 1]) */
    uint64_t *cl_id;                  /* story id in the replay */
    size_t *cl_at;
    size_t n_cl, cap_cl;
    uint32_t *mem, *morig, *mrec;     /* members: seq, its original's, its record in
                                         q; one block of 3 * cap_mem, at mem */
    size_t *mprov;                    /* where its copy fields are in provs */
    size_t n_mem, cap_mem;
    kh_buf provs;                     /* per member: relation, copy_of, wire, each
                                         NUL-terminated ("" for none) */
    kh_buf pscratch;                  /* a provenance record read back */
    /* while filing: the replay, its clusters in id order, each one's story */
    kh_pipeline *q;
    size_t *by_id;
    int64_t *cl_target;               /* stored story, 0 while not yet made */
    kh_buf wj;                        /* a why's JSON */
    /* whys waiting for the story they name as nearest to be made */
    struct waiting {
        size_t k;                     /* member index */
        size_t near_cl;               /* the cluster of the nearest story */
    } *wait;
    size_t n_wait, cap_wait;
    kh_status rc;
} ingest;

static kh_status commit(ingest *in)
{
    KHI_FORWARD_IF_ERROR(kh_store_commit(in->store));
    in->st.commits++;
    in->st.added += in->open.added;
    in->st.updated += in->open.updated;
    in->st.filed += in->open.filed;
    in->st.copies += in->open.copies;
    in->st.stories_new += in->open.stories_new;
    in->st.stories_updated += in->open.stories_updated;
    memset(&in->open, 0, sizeof in->open);
    return KH_OK;
}

static void roll_back(ingest *in)
{
    if (kh_store_in_batch(in->store))
        kh_store_rollback(in->store);
    in->st.failed += in->open.added + in->open.updated;
    memset(&in->open, 0, sizeof in->open);
}

static void progress(ingest *in, const char *phase, uint64_t done, uint64_t total)
{
    if (in->p->opt.on_progress)
        in->p->opt.on_progress(in->p->opt.on_progress_user, phase, done, total);
}

/* ---- accounts from the store ------------------------------------------- */

typedef struct acct {
    kh_ctx *ctx;
    kh_arena *arena;
    khi_view *v;
    const char **copy_of, **wire; /* per article, as stored */
    size_t n, cap;
    const char *lang;
    kh_status rc;
} acct;

static char *keep(acct *c, const char *s, size_t len)
{
    if (!s)
        return NULL;
    char *d = kh_arena_strndup(c->arena, s, len);
    if (!d)
        c->rc = KH_E_NOMEM;
    return d;
}

static int acct_article(void *user, const kh_store_article *a)
{
    acct *c = user;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        khi_view *g = kh_realloc(c->ctx, c->v, c->cap * sizeof *g, cap * sizeof *g);
        if (g)
            c->v = g;
        const char **co = kh_realloc(c->ctx, c->copy_of, c->cap * sizeof *co, cap * sizeof *co);
        if (co)
            c->copy_of = co;
        const char **w = kh_realloc(c->ctx, c->wire, c->cap * sizeof *w, cap * sizeof *w);
        if (w)
            c->wire = w;
        if (!g || !co || !w) {
            c->rc = KH_E_NOMEM;
            return 1;
        }
        c->cap = cap;
    }
    c->copy_of[c->n] = keep(c, a->copy_of, a->copy_of ? strlen(a->copy_of) : 0);
    c->wire[c->n] = keep(c, a->wire, a->wire ? strlen(a->wire) : 0);
    khi_view *x = &c->v[c->n++];
    memset(x, 0, sizeof *x);
    x->id = keep(c, a->id, strlen(a->id));
    x->source = keep(c, a->source, a->source ? strlen(a->source) : 0);
    x->date = keep(c, a->date, a->date ? strlen(a->date) : 0);
    x->title = keep(c, a->title, a->title ? strlen(a->title) : 0);
    x->lang = kh_lang_from_code(a->lang);
    x->text = keep(c, a->body ? a->body : "", a->body ? a->body_len : 0);
    x->text_len = a->body ? a->body_len : 0;
    if (!c->lang && a->lang)
        c->lang = keep(c, a->lang, strlen(a->lang));
    return c->rc != KH_OK;
}

/* Builds story's account from its stored articles and stores it with the
 * story's headline, dates and language, in the open transaction. */
/* The account's names and their spellings, for kh_store_story_filter.name. */
static kh_status store_names(ingest *in, int64_t story, const kh_account *acc)
{
    size_t n = 0;
    for (size_t i = 0; i < acc->n_entities; i++)
        n += 1 + acc->entities[i].n_variants;
    const char **names = kh_malloc(in->ctx, (n ? n : 1) * sizeof *names);
    if (!names)
        return KH_E_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < acc->n_entities; i++) {
        const kh_account_entity *e = &acc->entities[i];
        names[k++] = e->name;
        for (size_t j = 0; j < e->n_variants; j++)
            names[k++] = e->variants[j];
    }
    kh_status rc = kh_store_set_story_names(in->store, story, names, k);
    kh_free(in->ctx, names, (n ? n : 1) * sizeof *names);
    return rc;
}

static kh_status build_account(ingest *in, int64_t story)
{
    acct c;
    memset(&c, 0, sizeof c);
    c.ctx = in->ctx;
    kh_status rc = kh_arena_create(in->ctx, &c.arena);
    int found = 0;
    if (rc == KH_OK)
        rc = kh_store_get_story(in->store, story, &found, NULL, acct_article, &c);
    if (rc == KH_E_STOPPED)
        rc = c.rc;
    kh_account *acc = NULL;
    if (rc == KH_OK && c.n)
        rc = khi_pipeline_account(in->p, c.v, NULL, c.n, NULL, &acc);
    if (rc == KH_OK && acc) {
        kh_buf_clear(&in->json);
        rc = kh_buf_puts(&in->json, "{");
        if (rc == KH_OK)
            rc = kh_account_json(acc, 0, &in->json);
        if (rc == KH_OK)
            rc = kh_buf_puts(&in->json, "}");
        if (rc == KH_OK) {
            kh_store_story s;
            memset(&s, 0, sizeof s);
            s.id = story;
            s.headline = acc->headline ? acc->headline : c.v[acc->headline_article].title;
            s.first = acc->date_first;
            s.last = acc->date_last;
            s.lang = c.lang;
            s.account_json = in->json.data;
            size_t independent = 0, wire_outlets = 0;
            rc = khi_story_sources(in->ctx, c.v, c.copy_of, c.wire, c.n, &independent, &s.wire,
                                   &wire_outlets);
            s.independent_sources = (int64_t)independent;
            s.wire_outlets = (int64_t)wire_outlets;
            if (rc == KH_OK)
                rc = kh_store_put_story(in->store, &s, NULL);
            if (rc == KH_OK)
                rc = store_names(in, story, acc);
        }
    }
    kh_account_free(acc);
    kh_free(in->ctx, c.v, c.cap * sizeof *c.v);
    kh_free(in->ctx, c.copy_of, c.cap * sizeof *c.copy_of);
    kh_free(in->ctx, c.wire, c.cap * sizeof *c.wire);
    kh_arena_free(c.arena);
    if (rc == KH_E_NOMEM)
        rc = kh_ctx_error(in->ctx, KH_E_NOMEM, "out of memory");
    return rc;
}

/* ---- 1. store the run's articles ----------------------------------------- */

static kh_status store_articles(ingest *in)
{
    kh_pipeline *p = in->p;
    kh_status rc = KH_OK;
    size_t in_batch = 0;
    for (size_t i = 0; rc == KH_OK && i < p->n; i++) {
        progress(in, "store", i, p->n);
        khi_view v;
        rc = khi_pipeline_load(p, &p->recs[i], &p->rd, &v);
        if (rc != KH_OK)
            break;
        kh_store_article a;
        memset(&a, 0, sizeof a);
        a.id = v.id;
        a.file = v.file;
        a.url = v.url;
        a.source = v.source;
        a.date = v.date;
        a.title = v.title && v.title[0] ? v.title : NULL;
        a.lang = kh_lang_code(v.lang);
        a.body = v.text;
        a.body_len = v.text_len;
        a.dateline = v.dateline;
        a.dateline_agency = v.dateline_agency;
        a.author = v.author;
        a.date_source = v.date_source;
        if (!kh_store_in_batch(in->store))
            rc = kh_store_begin(in->store);
        kh_store_saved saved = KH_STORE_UNCHANGED;
        int64_t story = 0;
        if (rc == KH_OK)
            rc = kh_store_save_article(in->store, &a, &saved, &story);
        if (rc == KH_E_UTF8) {
            in->st.errors++;
            rc = KH_OK;
            if (p->opt.on_problem) {
                kh_pipeline_problem pr;
                memset(&pr, 0, sizeof pr);
                pr.stage = "store";
                pr.id = v.id;
                pr.file = v.file;
                pr.status = KH_E_UTF8;
                if (p->opt.on_problem(p->opt.on_problem_user, &pr))
                    rc = KH_E_STOPPED;
            }
            continue;
        }
        /* The story's account quoted the old version: it is built again in
         * the transaction that stores the new one, so no kill leaves it
         * stale. */
        if (rc == KH_OK && saved == KH_STORE_UPDATED && story)
            rc = build_account(in, story);
        /* Its copies and story are to be found again: without a copy group
         * it waits for the regrouping (kh_store_count_unsettled), which a
         * kill cannot skip. */
        if (rc == KH_OK && saved == KH_STORE_UPDATED && story)
            rc = kh_store_set_article_story(in->store, v.id, story, 0);
        if (rc != KH_OK)
            break;
        if (saved == KH_STORE_UNCHANGED) {
            in->st.unchanged++;
            continue;
        }
        if (saved == KH_STORE_ADDED)
            in->open.added++;
        else
            in->open.updated++;
        if (++in_batch >= p->opt.batch) {
            in_batch = 0;
            rc = commit(in);
        }
    }
    /* a transaction that wrote nothing (every article unchanged) is not a
     * commit: a repeated run writes nothing */
    if (rc == KH_OK && kh_store_in_batch(in->store))
        rc = in_batch ? commit(in) : kh_store_rollback(in->store);
    progress(in, "store", p->n, p->n);
    return rc;
}

/* ---- 2. the replay ------------------------------------------------------- */

/* A why's hash for the diff; 0 is kept for "none". */
static uint64_t why_hash(const char *json, size_t len)
{
    uint64_t h = XXH3_64bits(json, len);
    return h ? h : 1;
}

/* A hash of an article's copy fields for the diff; 0 when it has none. */
static uint64_t prov_hash(const char *relation, const char *copy_of, const char *wire)
{
    if (!relation && !copy_of && !wire)
        return 0;
    const char *f[] = { relation, copy_of, wire };
    uint64_t h = 0;
    for (int i = 0; i < 3; i++) /* each field's hash seeds the next */
        h = XXH3_64bits_withSeed(f[i] ? f[i] : "", f[i] ? strlen(f[i]) + 1 : 1, h);
    return h ? h : 1;
}

/* Member k's copy fields as collect_cluster() kept them (NULL: none). */
static void member_prov(const ingest *in, size_t k, const char **relation, const char **copy_of,
                        const char **wire)
{
    const char *r = in->provs.data + in->mprov[k];
    const char *c = r + strlen(r) + 1;
    const char *w = c + strlen(c) + 1;
    *relation = *r ? r : NULL;
    *copy_of = *c ? c : NULL;
    *wire = *w ? w : NULL;
}

static uint64_t member_prov_hash(const ingest *in, size_t k)
{
    const char *r, *c, *w;
    member_prov(in, k, &r, &c, &w);
    return prov_hash(r, c, w);
}

typedef struct feed {
    ingest *in;
    kh_pipeline *q;
    kh_status rc;
} feed;

static int feed_article(void *user, const kh_store_article *a)
{
    feed *f = user;
    ingest *in = f->in;
    if (KHI_GROW(in->ctx, in->art, in->n, in->cap_n, 1024) != KH_OK) {
        f->rc = kh_ctx_error(in->ctx, KH_E_NOMEM, "out of memory");
        return 1;
    }
    in->art[in->n].story = a->story_id;
    in->art[in->n].grp = a->group_id;
    in->art[in->n].id_at = in->ids.len;
    in->art[in->n].why_hash = a->why ? why_hash(a->why, strlen(a->why)) : 0;
    in->art[in->n].prov_hash = prov_hash(a->copy_relation, a->copy_of, a->wire);
    f->rc = kh_buf_append(&in->ids, a->id, strlen(a->id) + 1);
    if (f->rc != KH_OK) {
        f->rc = kh_ctx_error(in->ctx, f->rc, "out of memory");
        return 1;
    }
    in->n++;
    f->rc = khi_pipeline_add_article(f->q, a);
    return f->rc != KH_OK;
}

static const char *id_of(const ingest *in, uint32_t seq)
{
    return in->ids.data + in->art[seq].id_at;
}

/* The replay's on_members: one cluster, kept for the diff. */
static int collect_cluster(void *user, const kh_story_info *info, const uint32_t *seqs,
                           const uint32_t *origs, const uint32_t *recs, const khi_prov *prov,
                           size_t n)
{
    ingest *in = user;
    if (in->n_cl + 2 > in->cap_cl) {
        size_t cap = in->cap_cl ? in->cap_cl * 2 : 256;
        uint64_t *id = kh_realloc(in->ctx, in->cl_id, in->cap_cl * sizeof *id, cap * sizeof *id);
        if (id)
            in->cl_id = id;
        size_t *at = kh_realloc(in->ctx, in->cl_at, in->cap_cl * sizeof *at, cap * sizeof *at);
        if (at)
            in->cl_at = at;
        if (!id || !at)
            goto nomem;
        in->cap_cl = cap;
    }
    while (in->n_mem + n > in->cap_mem) {
        /* mem, morig and mrec share one block, so they grow together */
        size_t cap = in->cap_mem ? in->cap_mem * 2 : 1024;
        uint32_t *b = kh_malloc(in->ctx, 3 * cap * sizeof *b);
        if (!b)
            goto nomem;
        if (in->n_mem) {
            memcpy(b, in->mem, in->n_mem * sizeof *b);
            memcpy(b + cap, in->morig, in->n_mem * sizeof *b);
            memcpy(b + 2 * cap, in->mrec, in->n_mem * sizeof *b);
        }
        size_t *pv = kh_realloc(in->ctx, in->mprov, in->cap_mem * sizeof *pv, cap * sizeof *pv);
        if (!pv) {
            kh_free(in->ctx, b, 3 * cap * sizeof *b);
            goto nomem;
        }
        in->mprov = pv;
        kh_free(in->ctx, in->mem, 3 * in->cap_mem * sizeof *b);
        in->mem = b;
        in->morig = b + cap;
        in->mrec = b + 2 * cap;
        in->cap_mem = cap;
    }
    for (size_t i = 0; i < n; i++) {
        kh_dedup_relation rel;
        const char *copy_of, *wire;
        kh_status rc = khi_pipeline_prov(in->q, &prov[i], &in->pscratch, &rel, &copy_of, &wire);
        if (rc != KH_OK) {
            in->rc = rc;
            return 1;
        }
        const char *relation = copy_of ? kh_dedup_relation_name(rel) : "";
        in->mprov[in->n_mem + i] = in->provs.len;
        if (kh_buf_append(&in->provs, relation, strlen(relation) + 1) != KH_OK ||
            kh_buf_append(&in->provs, copy_of ? copy_of : "", copy_of ? strlen(copy_of) + 1 : 1)
                != KH_OK ||
            kh_buf_append(&in->provs, wire ? wire : "", wire ? strlen(wire) + 1 : 1) != KH_OK)
            goto nomem;
    }
    in->cl_id[in->n_cl] = info->id;
    in->cl_at[in->n_cl] = in->n_mem;
    memcpy(in->mem + in->n_mem, seqs, n * sizeof *seqs);
    memcpy(in->morig + in->n_mem, origs, n * sizeof *origs);
    memcpy(in->mrec + in->n_mem, recs, n * sizeof *recs);
    in->n_mem += n;
    in->n_cl++;
    in->cl_at[in->n_cl] = in->n_mem;
    return 0;
nomem:
    in->rc = kh_ctx_error(in->ctx, KH_E_NOMEM, "out of memory");
    return 1;
}

typedef struct plan {
    size_t cl;        /* cluster index */
    uint64_t id;      /* its id in the replay */
    int64_t target;   /* stored story it keeps, 0: new */
    int write;        /* something differs */
    int moved;        /* an article's story or copy group differs: the
                         account is built again */
    int unfiled;      /* it files an unfiled article, or groups a new version */
} plan;

/* The cluster of replay story id, or (size_t)-1. */
static size_t cluster_of(const ingest *in, uint64_t id)
{
    size_t lo = 0, hi = in->n_cl;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t x = in->cl_id[in->by_id[mid]];
        if (x == id)
            return in->by_id[mid];
        if (x < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (size_t)-1;
}

/* in->wj = member k's why as stored: its nearest story named by its stored
 * id. *near_cl is set to the cluster of a nearest story not made yet (then
 * the JSON is not written), else to (size_t)-1. */
static kh_status member_why(ingest *in, size_t k, size_t *near_cl)
{
    kh_story_why w;
    *near_cl = (size_t)-1;
    KHI_FORWARD_IF_ERROR(khi_pipeline_why(in->q, in->mrec[k], &w));
    if (w.started && w.nearest) {
        size_t c = cluster_of(in, w.nearest);
        w.nearest = 0;
        if (c != (size_t)-1 && !in->cl_target[c]) {
            *near_cl = c;
            return KH_OK;
        }
        if (c != (size_t)-1)
            w.nearest = (uint64_t)in->cl_target[c];
    }
    kh_buf_clear(&in->wj);
    kh_status rc = kh_story_why_json(&w, id_of(in, in->mem[k]), &in->wj);
    return rc == KH_OK ? KH_OK : kh_ctx_error(in->ctx, rc, "out of memory");
}

/* Writes member k's why when it differs from the stored one. */
static kh_status write_why(ingest *in, size_t k)
{
    size_t near_cl;
    KHI_FORWARD_IF_ERROR(member_why(in, k, &near_cl));
    if (near_cl != (size_t)-1) { /* its nearest story is made later */
        if (KHI_GROW(in->ctx, in->wait, in->n_wait, in->cap_wait, 16) != KH_OK)
            return kh_ctx_error(in->ctx, KH_E_NOMEM, "out of memory");
        in->wait[in->n_wait].k = k;
        in->wait[in->n_wait].near_cl = near_cl;
        in->n_wait++;
        return KH_OK;
    }
    uint32_t m = in->mem[k];
    uint64_t h = why_hash(in->wj.data, in->wj.len);
    if (h == in->art[m].why_hash)
        return KH_OK;
    KHI_FORWARD_IF_ERROR(kh_store_set_article_why(in->store, id_of(in, m), in->wj.data));
    in->art[m].why_hash = h;
    return KH_OK;
}

/* Cluster cl's story was just made: the whys that name it as nearest. */
static kh_status write_waiting(ingest *in, size_t cl)
{
    kh_status rc = KH_OK;
    for (size_t i = 0; rc == KH_OK && i < in->n_wait;) {
        if (in->wait[i].near_cl != cl) {
            i++;
            continue;
        }
        size_t k = in->wait[i].k;
        in->wait[i] = in->wait[--in->n_wait];
        rc = write_why(in, k);
    }
    return rc;
}

static int plan_by_id(const void *a, const void *b)
{
    const plan *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int plan_by_write_order(const void *a, const void *b)
{
    const plan *x = a, *y = b;
    if (x->unfiled != y->unfiled)
        return x->unfiled - y->unfiled;
    return (x->id > y->id) - (x->id < y->id);
}

/* Stories an article left in this transaction: their accounts again, or
 * their removal once empty. */
typedef struct left {
    int64_t *v;
    size_t n, cap;
} left;

static kh_status left_add(ingest *in, left *l, int64_t story)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == story)
            return KH_OK;
    if (KHI_GROW(in->ctx, l->v, l->n, l->cap, 16) != KH_OK)
        return kh_ctx_error(in->ctx, KH_E_NOMEM, "out of memory");
    l->v[l->n++] = story;
    return KH_OK;
}

static int count_one(void *user, const kh_store_article *a)
{
    (void)a;
    (*(size_t *)user)++;
    return 0;
}

/* Writes one cluster: its articles under its story (made when new), its
 * account, and the accounts (or removal) of the stories it took from. */
static kh_status write_cluster(ingest *in, plan *pl, idset *kept, left *l)
{
    const size_t a0 = in->cl_at[pl->cl], a1 = in->cl_at[pl->cl + 1];
    kh_status rc = KH_OK;
    int existed = pl->target != 0;
    if (!pl->target) {
        kh_store_story s;
        memset(&s, 0, sizeof s);
        rc = kh_store_put_story(in->store, &s, &pl->target);
        in->open.stories_new++;
        in->cl_target[pl->cl] = pl->target;
        if (rc == KH_OK && in->n_wait)
            rc = write_waiting(in, pl->cl);
    }
    l->n = 0;
    for (size_t k = a0; rc == KH_OK && k < a1; k++) {
        uint32_t m = in->mem[k], o = in->morig[k];
        int64_t g = group_of(id_of(in, o));
        rc = write_why(in, k);
        uint64_t ph = member_prov_hash(in, k);
        if (rc == KH_OK && ph != in->art[m].prov_hash) {
            const char *relation, *copy_of, *wire;
            member_prov(in, k, &relation, &copy_of, &wire);
            rc = kh_store_set_article_copy(in->store, id_of(in, m), copy_of, relation, wire);
            if (rc == KH_OK)
                in->art[m].prov_hash = ph;
        }
        if (rc != KH_OK || (in->art[m].story == pl->target && in->art[m].grp == g))
            continue;
        if (in->art[m].story == 0) {
            in->open.filed++;
            in->open.copies += o != m;
        } else if (in->art[m].story != pl->target) {
            rc = left_add(in, l, in->art[m].story);
        }
        if (rc == KH_OK)
            rc = kh_store_set_article_story(in->store, id_of(in, m), pl->target, g);
        if (rc == KH_OK) {
            in->art[m].story = pl->target;
            in->art[m].grp = g;
        }
    }
    if (!pl->moved)
        return rc; /* only whys changed: the account stands */
    if (rc == KH_OK)
        rc = build_account(in, pl->target);
    if (rc == KH_OK && existed) {
        uint8_t *f = idset_slot(in->ctx, kept, pl->target, 1);
        if (!f)
            rc = kh_ctx_error(in->ctx, KH_E_NOMEM, "out of memory");
        else if (!(*f & COUNTED)) {
            *f |= COUNTED;
            in->open.stories_updated++;
        }
    }
    for (size_t i = 0; rc == KH_OK && i < l->n; i++) {
        size_t left_n = 0;
        int found = 0;
        rc = kh_store_get_story(in->store, l->v[i], &found, NULL, count_one, &left_n);
        if (rc == KH_OK && found)
            rc = left_n ? build_account(in, l->v[i]) : kh_store_delete_story(in->store, l->v[i]);
    }
    return rc;
}

/* One replay and its writes. *again is set, and nothing more written,
 * when another connection wrote to the store since it was read: the plan
 * may be stale, and the replay must run again. */
static kh_status file_once(ingest *in, int *again)
{
    kh_pipeline *p = in->p;
    *again = 0;
    int64_t unsettled = 0;
    int64_t version = 0;
    kh_status rc = kh_store_data_version(in->store, &version);
    if (rc == KH_OK)
        rc = kh_store_count_unsettled(in->store, &unsettled);
    if (rc != KH_OK || (!unsettled && in->st.added + in->st.updated == 0))
        return rc;

    kh_pipeline_options o = p->opt;
    o.flags |= KH_PIPELINE_NO_ACCOUNTS;
    o.story.explain = 1; /* each article's why, stored with it */
    o.on_story = NULL;
    o.on_problem = NULL;
    o.on_progress = NULL;
    kh_pipeline *q = NULL;
    rc = kh_pipeline_create(in->ctx, &o, &q);
    if (rc != KH_OK)
        return rc;
    q->on_members = collect_cluster;
    q->on_members_user = in;
    q->ended = 1;
    in->q = q;
    feed f = { in, q, KH_OK };
    rc = kh_store_articles_in_order(in->store, feed_article, &f);
    if (rc == KH_E_STOPPED)
        rc = f.rc;
    if (rc == KH_OK) {
        q->stats.articles = q->n;
        rc = khi_pipeline_stories(q);
        if (rc == KH_E_STOPPED)
            rc = in->rc;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < in->n; i++)
        total += in->art[i].story == 0;

    /* The plan: which stored story each cluster keeps, and what differs. */
    plan *pl = NULL;
    idset kept;
    memset(&kept, 0, sizeof kept);
    if (rc == KH_OK && in->n_cl) {
        pl = kh_malloc(in->ctx, in->n_cl * sizeof *pl);
        in->by_id = kh_malloc(in->ctx, in->n_cl * sizeof *in->by_id);
        in->cl_target = kh_malloc(in->ctx, in->n_cl * sizeof *in->cl_target);
        if (!pl || !in->by_id || !in->cl_target)
            rc = kh_ctx_error(in->ctx, KH_E_NOMEM, "out of memory");
    }
    for (size_t c = 0; rc == KH_OK && c < in->n_cl; c++) {
        pl[c].cl = c;
        pl[c].id = in->cl_id[c];
        in->cl_target[c] = 0;
    }
    if (rc == KH_OK && in->n_cl)
        qsort(pl, in->n_cl, sizeof *pl, plan_by_id);
    for (size_t c = 0; rc == KH_OK && c < in->n_cl; c++)
        in->by_id[c] = pl[c].cl;
    for (size_t c = 0; rc == KH_OK && c < in->n_cl; c++) {
        const size_t a0 = in->cl_at[pl[c].cl], a1 = in->cl_at[pl[c].cl + 1];
        pl[c].target = 0;
        pl[c].write = pl[c].moved = pl[c].unfiled = 0;
        for (size_t k = a0; k < a1 && !pl[c].target; k++) {
            int64_t s = in->art[in->mem[k]].story;
            uint8_t *f2 = s ? idset_slot(in->ctx, &kept, s, 0) : NULL;
            if (s && !(f2 && (*f2 & KEPT)))
                pl[c].target = s;
        }
        if (pl[c].target) {
            uint8_t *f2 = idset_slot(in->ctx, &kept, pl[c].target, 1);
            if (!f2) {
                rc = kh_ctx_error(in->ctx, KH_E_NOMEM, "out of memory");
                break;
            }
            *f2 |= KEPT;
        }
        in->cl_target[pl[c].cl] = pl[c].target;
        for (size_t k = a0; k < a1; k++) {
            uint32_t m = in->mem[k];
            pl[c].unfiled |= in->art[m].story == 0 || in->art[m].grp == 0;
            pl[c].moved |= in->art[m].story != pl[c].target ||
                           in->art[m].grp != group_of(id_of(in, in->morig[k])) ||
                           in->art[m].prov_hash != member_prov_hash(in, k);
        }
        pl[c].moved |= pl[c].target == 0;
        pl[c].write = pl[c].moved;
        /* the whys: a nearest story in a lower cluster has its target by now */
        for (size_t k = a0; rc == KH_OK && k < a1 && !pl[c].write; k++) {
            size_t near_cl;
            rc = member_why(in, k, &near_cl);
            pl[c].write |= near_cl != (size_t)-1 ||
                           why_hash(in->wj.data, in->wj.len) != in->art[in->mem[k]].why_hash;
        }
    }
    if (rc == KH_OK && in->n_cl)
        qsort(pl, in->n_cl, sizeof *pl, plan_by_write_order);

    /* The writes, committed about every second. */
    left l;
    memset(&l, 0, sizeof l);
    double since = now_s();
    uint64_t filed_since = 0;
    for (size_t c = 0; rc == KH_OK && c < in->n_cl; c++) {
        if (!pl[c].write)
            continue;
        if (!kh_store_in_batch(in->store)) {
            /* the write lock is held from here: is the plan still good? */
            int64_t v = 0;
            rc = kh_store_begin(in->store);
            if (rc == KH_OK)
                rc = kh_store_data_version(in->store, &v);
            if (rc == KH_OK && v != version) {
                rc = kh_store_rollback(in->store);
                *again = 1;
                break;
            }
        }
        uint64_t before = in->open.filed;
        if (rc == KH_OK)
            rc = write_cluster(in, &pl[c], &kept, &l);
        filed_since += in->open.filed - before + 1;
        if (rc == KH_OK && (filed_since >= COMMIT_ARTICLES || now_s() - since >= COMMIT_SECONDS)) {
            rc = commit(in);
            since = now_s();
            filed_since = 0;
            progress(in, "file", in->st.filed, total);
        }
    }
    if (rc == KH_OK && kh_store_in_batch(in->store))
        rc = commit(in);
    progress(in, "file", in->st.filed, total);
    kh_free(in->ctx, l.v, l.cap * sizeof *l.v);
    kh_free(in->ctx, pl, in->n_cl * sizeof *pl);
    kh_free(in->ctx, in->by_id, in->n_cl * sizeof *in->by_id);
    kh_free(in->ctx, in->cl_target, in->n_cl * sizeof *in->cl_target);
    in->by_id = NULL;
    in->cl_target = NULL;
    in->n_wait = 0;
    idset_free(in->ctx, &kept);
    kh_pipeline_free(q);
    in->q = NULL;
    return rc;
}

/* Replays until a plan is written with no other writer in between. */
static kh_status file_articles(ingest *in)
{
    for (int tries = 0;; tries++) {
        int again = 0;
        kh_status rc = file_once(in, &again);
        if (rc != KH_OK || !again)
            return rc;
        if (tries == MAX_TRIES)
            return kh_ctx_error(in->ctx, KH_E_DB, "the store kept changing while filing");
        in->n = 0;
        kh_buf_clear(&in->ids);
        in->n_cl = in->n_mem = 0;
        kh_buf_clear(&in->provs);
        in->rc = KH_OK;
    }
}

kh_status kh_pipeline_ingest(kh_pipeline *p, kh_store *store, kh_pipeline_ingest_stats *stats)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!p || !store)
        return KH_E_ARG;
    if (p->ended)
        return kh_ctx_error(p->ctx, KH_E_ARG, "pipeline: an end already ran");
    if (p->shard_count) /* SHARDS (kh_pipeline.c) */
        return kh_ctx_error(p->ctx, KH_E_ARG, "pipeline: a shard ends only in a shard file");
    p->ended = 1;
    ingest in;
    memset(&in, 0, sizeof in);
    in.p = p;
    in.ctx = p->ctx;
    in.store = store;
    kh_buf_init(&in.json, p->ctx, MAX_JSON);
    kh_buf_init(&in.ids, p->ctx, 0);
    kh_buf_init(&in.wj, p->ctx, 0);
    kh_buf_init(&in.provs, p->ctx, 0);
    kh_buf_init(&in.pscratch, p->ctx, 0);
    double t0 = now_s();
    kh_status rc = p->rc;
    if (rc == KH_OK)
        rc = khi_pipeline_clean(p);
    if (rc == KH_OK)
        rc = store_articles(&in);
    if (rc != KH_OK)
        roll_back(&in);
    double t1 = now_s();
    if (rc == KH_OK)
        rc = file_articles(&in);
    if (rc != KH_OK)
        roll_back(&in);
    in.st.store_seconds = t1 - t0;
    in.st.file_seconds = now_s() - t1;
    in.st.no_body = p->stats.no_body;
    in.st.errors += p->stats.skipped;
    if (stats)
        *stats = in.st;
    kh_buf_free(&in.json);
    kh_buf_free(&in.ids);
    kh_buf_free(&in.wj);
    kh_buf_free(&in.provs);
    kh_buf_free(&in.pscratch);
    kh_free(p->ctx, in.mprov, in.cap_mem * sizeof *in.mprov);
    kh_free(p->ctx, in.wait, in.cap_wait * sizeof *in.wait);
    kh_free(p->ctx, in.art, in.cap_n * sizeof *in.art);
    kh_free(p->ctx, in.cl_id, in.cap_cl * sizeof *in.cl_id);
    kh_free(p->ctx, in.cl_at, in.cap_cl * sizeof *in.cl_at);
    kh_free(p->ctx, in.mem, 3 * in.cap_mem * sizeof *in.mem);
    return rc;
}
