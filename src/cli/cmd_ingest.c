/*
 * cmd_ingest.c — `khabar ingest`: the whole pipeline into a store.
 *
 *   read ─► clean ─► store article ──(batches)──►  articles (unfiled)
 *   unfiled + stored articles of the time window before them
 *       ─► dedup ─► stories ─► accounts ─► store (one transaction)
 *
 * Pass 1 streams the inputs: each document is cleaned (clean articles pass
 * through) and stored under its id (the reader's id rule: the record's id,
 * else its URL, else its path), one transaction per --batch articles. An id
 * not stored yet is a new article, stored without a story. A stored id is
 * the same article read again: when its title or body changed, the new
 * version replaces the stored one in its row, keeping its story and copy
 * group, and its story's account is built again in the same transaction;
 * when nothing changed, nothing is written. Pass 2 files every unfiled article: the
 * stored articles dated from one story window before the earliest unfiled
 * one are read back with them, deduplicated together (an unfiled article
 * that copies another gets its group), and replayed in date order through
 * the story clusterer; a clusterer story that holds stored articles maps to
 * their stored story, others become new stories. Stored articles never move.
 * Each story that gained an article gets its account built again
 * (kh_account_build) from all its stored articles and stored as
 * kh_account_json() writes it. Pass 2 takes the oldest FILE_CHUNK unfiled
 * articles at a time, so its memory is bounded whatever the backlog, and
 * writes them one story at a time: a story's new articles and its account
 * go in together, and the transaction commits every FILE_COMMIT_ARTICLES
 * articles or FILE_COMMIT_SECONDS, whichever comes first, so a kill loses
 * about a second of filing, not a whole chunk.
 *
 * Killed at any point, a run leaves whole batches of stored articles and
 * whole stories filed with their accounts; the next run stores what is
 * missing and files every unfiled article, so nothing is lost or doubled.
 * Another ingest may file some of a chunk's articles between two commits:
 * each story's articles are checked to be still unfiled inside the
 * transaction that files them, and the chunk is read again when one is not.
 *
 * Counts add up: every record read is added (a new article stored by a
 * transaction that committed), updated (a new version stored likewise),
 * unchanged (stored already as it is), skipped (its id was already read in
 * this run: a warning), no_body, errors (a bad record) or failed (read when
 * the run failed, or stored by a transaction that did not commit). A count
 * joins the summary only once its transaction has committed.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#define MAX_JSON ((size_t)64 << 20) /* cap of one account */
#define WINDOW_DAYS 3               /* stored context read back before new articles */
#define FILE_CHUNK 20000            /* unfiled articles read, deduplicated and grouped at once */
#define FILE_COMMIT_ARTICLES 1000   /* filed articles per transaction, at most */
#define FILE_COMMIT_SECONDS 1.0     /* and about this long */

/* What pass 2 did: kept per transaction, added to the run's on commit. */
typedef struct filing {
    uint64_t filed, copies, stories_new, stories_touched;
} filing;

typedef struct ingest {
    kh_ctx *ctx;
    kh_store *store;
    kh_cleaner *cleaner;
    kh_tokenizer *tok; /* for the accounts */
    kh_buf body;       /* paragraphs joined by '\n' */
    kh_buf json;
    size_t batch;
    size_t in_batch;
    int filing;        /* the progress counts filed articles from now on */
    /* read = added + updated + unchanged + skipped + no_body + errors +
     * failed once the run ends; pending and pending_updated are stored in
     * the open transaction, not yet added or updated */
    uint64_t read, added, pending, updated, pending_updated, unchanged, skipped, no_body, errors,
        failed;
    filing done, open; /* pass 2: committed, and in the open transaction */
    uint64_t commits;
    cli_progress progress;
} ingest;

/* Records read so far that have their category. */
static uint64_t accounted(const ingest *in)
{
    return in->added + in->pending + in->updated + in->pending_updated + in->unchanged +
           in->skipped + in->no_body + in->errors + in->failed;
}

/* Commits the open transaction: only now does what it stored count. */
static kh_status commit(ingest *in)
{
    kh_status rc = kh_store_commit(in->store);
    if (rc != KH_OK)
        return rc;
    in->commits++;
    in->added += in->pending;
    in->pending = 0;
    in->updated += in->pending_updated;
    in->pending_updated = 0;
    in->done.filed += in->open.filed;
    if (in->filing)
        cli_progress_tick(&in->progress, in->done.filed);
    in->done.copies += in->open.copies;
    in->done.stories_new += in->open.stories_new;
    in->done.stories_touched += in->open.stories_touched;
    memset(&in->open, 0, sizeof in->open);
    return KH_OK;
}

/* The open transaction is given up (or its commit failed): what it stored
 * is not stored, and its articles count as failed. */
static void roll_back(ingest *in)
{
    if (kh_store_in_batch(in->store))
        kh_store_rollback(in->store);
    in->failed += in->pending + in->pending_updated;
    in->pending = in->pending_updated = 0;
    memset(&in->open, 0, sizeof in->open);
}

/* ---- pass 1: read, clean, store ------------------------------------------ */

static kh_status batch_open(ingest *in)
{
    return kh_store_in_batch(in->store) ? KH_OK : kh_store_begin(in->store);
}

static kh_status batch_done(ingest *in)
{
    if (++in->in_batch < in->batch)
        return KH_OK;
    in->in_batch = 0;
    return commit(in);
}

static kh_status build_account(ingest *in, int64_t story);

static kh_status ingest_doc(ingest *in, kh_doc *d)
{
    in->read++;
    cli_progress_tick(&in->progress, in->read);
    const kh_article *art = NULL;
    kh_status rc = kh_clean_doc(in->cleaner, d, &art);
    if (rc == KH_E_NOMEM)
        return rc;
    if (rc != KH_OK) {
        if (rc == KH_E_LIMIT) /* the message names the record */
            cli_error("%s", kh_errmsg(in->ctx));
        else
            cli_error("%s:%llu: %s", d->file, (unsigned long long)d->line, kh_errmsg(in->ctx));
        in->errors++;
        return KH_OK;
    }
    if (art->n_body == 0) {
        in->no_body++;
        return KH_OK;
    }
    kh_buf_clear(&in->body);
    for (size_t i = 0; i < art->n_body && rc == KH_OK; i++) {
        if (i)
            rc = kh_buf_append(&in->body, "\n", 1);
        if (rc == KH_OK)
            rc = kh_buf_puts(&in->body, art->body[i]);
    }
    if (rc != KH_OK)
        return kh_ctx_error(in->ctx, rc, "%s: %s", d->id, kh_strerror(rc));
    kh_store_article a;
    memset(&a, 0, sizeof a);
    a.id = d->id;
    a.file = d->file;
    a.url = art->url ? art->url : d->url;
    a.source = art->source ? art->source : d->source;
    a.date = art->date ? art->date : d->date;
    a.title = art->title ? art->title : d->title;
    kh_lang lang = art->lang != KH_LANG_UNKNOWN ? art->lang : d->lang;
    a.lang = kh_lang_code(lang);
    a.body = in->body.data;
    a.body_len = in->body.len;
    rc = batch_open(in);
    kh_store_saved saved = KH_STORE_UNCHANGED;
    int64_t story = 0;
    if (rc == KH_OK)
        rc = kh_store_save_article(in->store, &a, &saved, &story);
    if (rc == KH_E_UTF8) {
        cli_error("%s", kh_errmsg(in->ctx));
        in->errors++;
        return KH_OK;
    }
    /* The story's account quoted the old version: it is built again in the
     * transaction that stores the new one, so no kill leaves it stale. */
    if (rc == KH_OK && saved == KH_STORE_UPDATED && story)
        rc = build_account(in, story);
    if (rc != KH_OK)
        return rc;
    switch (saved) {
    case KH_STORE_ADDED: in->pending++; break;
    case KH_STORE_UPDATED: in->pending_updated++; break;
    case KH_STORE_UNCHANGED: in->unchanged++; return KH_OK;
    }
    return batch_done(in);
}

/* ---- pass 2: dedup, stories, accounts ------------------------------------- */

/* One article of pass 2, its strings in the arena. */
typedef struct item {
    const char *id, *date, *title, *body;
    size_t body_len;
    kh_lang lang;
    int64_t story;     /* stored story, 0 when unfiled */
    int64_t group;
    int dated;         /* its own date, as stored */
    int64_t time;
    size_t rep;        /* dedup representative (index) */
} item;

typedef struct pass2 {
    ingest *in;
    kh_arena *arena;
    item *items;
    size_t n, cap;
    size_t limit;      /* collect stops here (bounded memory) */
    kh_status rc;
} pass2;

static char *dup_str(pass2 *p, const char *s)
{
    if (!s)
        return NULL;
    char *c = kh_arena_strndup(p->arena, s, strlen(s));
    if (!c)
        p->rc = KH_E_NOMEM;
    return c;
}

static int collect(void *user, const kh_store_article *a)
{
    pass2 *p = user;
    if (p->limit && p->n >= p->limit)
        return 1;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        item *g = kh_realloc(p->in->ctx, p->items, p->cap * sizeof *g, cap * sizeof *g);
        if (!g) {
            p->rc = KH_E_NOMEM;
            return 1;
        }
        p->items = g;
        p->cap = cap;
    }
    item *it = &p->items[p->n];
    memset(it, 0, sizeof *it);
    it->id = dup_str(p, a->id);
    it->date = dup_str(p, a->date);
    it->title = dup_str(p, a->title);
    it->body = kh_arena_strndup(p->arena, a->body ? a->body : "", a->body ? a->body_len : 0);
    it->body_len = a->body ? a->body_len : 0;
    it->lang = kh_lang_from_code(a->lang);
    it->story = a->story_id;
    it->group = a->group_id;
    it->dated = a->date && kh_story_parse_date(a->date, strlen(a->date), &it->time) == KH_OK;
    if (!it->id || !it->body)
        p->rc = KH_E_NOMEM;
    p->n++;
    return p->rc != KH_OK;
}

/* Context: stored, filed articles of the window before the unfiled ones. */
static int collect_filed(void *user, const kh_store_article *a)
{
    return a->story_id ? collect(user, a) : 0;
}

/* Story order of pointers into one article array: dated ones (own or
 * estimated times alike) by time, then the undated, each in input order. */
static int by_time(const void *x, const void *y)
{
    const kh_story_article *a = *(const kh_story_article *const *)x;
    const kh_story_article *b = *(const kh_story_article *const *)y;
    if (!a->dated != !b->dated)
        return a->dated ? -1 : 1;
    if (a->dated && a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a < b ? -1 : a > b;
}

static int64_t group_of(const char *rep_id)
{
    return (int64_t)(XXH3_64bits(rep_id, strlen(rep_id)) >> 1) | 1;
}

/* Account building: a story's stored articles as kh_account_article. */
typedef struct acct {
    ingest *in;
    kh_arena *arena;
    kh_account_article *arts;
    size_t n, cap;
    const char *lang;
    kh_status rc;
} acct;

static int acct_article(void *user, const kh_store_article *a)
{
    acct *c = user;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        kh_account_article *g =
            kh_realloc(c->in->ctx, c->arts, c->cap * sizeof *g, cap * sizeof *g);
        if (!g) {
            c->rc = KH_E_NOMEM;
            return 1;
        }
        c->arts = g;
        c->cap = cap;
    }
    kh_account_article *x = &c->arts[c->n];
    memset(x, 0, sizeof *x);
    x->id = kh_arena_strndup(c->arena, a->id, strlen(a->id));
    x->source = a->source ? kh_arena_strndup(c->arena, a->source, strlen(a->source)) : NULL;
    x->date = a->date ? kh_arena_strndup(c->arena, a->date, strlen(a->date)) : NULL;
    x->title = a->title ? kh_arena_strndup(c->arena, a->title, strlen(a->title)) : NULL;
    x->lang = kh_lang_from_code(a->lang);
    if (!c->lang && a->lang)
        c->lang = kh_arena_strndup(c->arena, a->lang, strlen(a->lang));
    size_t n_par = 1;
    for (size_t i = 0; i < a->body_len; i++)
        n_par += a->body[i] == '\n';
    const char **pars = kh_arena_alloc(c->arena, n_par * sizeof *pars);
    char *body = kh_arena_strndup(c->arena, a->body ? a->body : "", a->body_len);
    if (!x->id || !pars || !body) {
        c->rc = KH_E_NOMEM;
        return 1;
    }
    size_t k = 0;
    for (char *s = body;;) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = 0;
        if (*s)
            pars[k++] = s;
        if (!nl)
            break;
        s = nl + 1;
    }
    x->body = pars;
    x->n_body = k;
    c->n++;
    return 0;
}

static kh_status build_account(ingest *in, int64_t story)
{
    acct c;
    memset(&c, 0, sizeof c);
    c.in = in;
    kh_status rc = kh_arena_create(in->ctx, &c.arena);
    int found = 0;
    if (rc == KH_OK)
        rc = kh_store_get_story(in->store, story, &found, NULL, acct_article, &c);
    if (rc == KH_E_STOPPED)
        rc = c.rc;
    kh_account *acc = NULL;
    if (rc == KH_OK && c.n)
        rc = kh_account_build(in->ctx, in->tok, c.arts, c.n, NULL, &acc);
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
            s.headline = acc->headline ? acc->headline : c.arts[acc->headline_article].title;
            s.first = acc->date_first;
            s.last = acc->date_last;
            s.lang = c.lang;
            s.account_json = in->json.data;
            rc = kh_store_put_story(in->store, &s, NULL);
        }
    }
    kh_account_free(acc);
    kh_free(in->ctx, c.arts, c.cap * sizeof *c.arts);
    kh_arena_free(c.arena);
    return rc;
}

/* Reads one stored article's story: 0 while it is unfiled. */
static int story_of(void *user, const kh_store_article *a)
{
    *(int64_t *)user = a->story_id;
    return 0;
}

/* Files one cluster's unfiled articles (first, then each next[]) under
 * *story (made when 0) and builds the story's account, in the open
 * transaction.
 * @param taken set, and nothing written, when another ingest filed one of
 *        them since the chunk was read. */
static kh_status file_story(ingest *in, pass2 *p, const size_t *next, size_t first,
                            int64_t *story, int *taken)
{
    kh_status rc = KH_OK;
    for (size_t k = first; rc == KH_OK && k != SIZE_MAX && !*taken; k = next[k]) {
        int found = 0;
        int64_t now = 0;
        rc = kh_store_get_article(in->store, p->items[k].id, &found, story_of, &now);
        *taken = !found || now != 0;
    }
    if (rc != KH_OK || *taken)
        return rc;
    const item *lead = &p->items[first];
    if (!*story) {
        kh_store_story s;
        memset(&s, 0, sizeof s);
        s.headline = lead->title;
        s.first = s.last = lead->date;
        s.lang = kh_lang_code(lead->lang);
        rc = kh_store_put_story(in->store, &s, story);
        in->open.stories_new++;
    }
    for (size_t k = first; rc == KH_OK && k != SIZE_MAX; k = next[k]) {
        const item *it = &p->items[k];
        const item *rep = &p->items[it->rep];
        int64_t group = rep->group ? rep->group : group_of(rep->id);
        in->open.copies += it->rep != k;
        in->open.filed++;
        rc = kh_store_set_article_story(in->store, it->id, *story, group);
    }
    in->open.stories_touched++;
    if (rc == KH_OK)
        rc = build_account(in, *story);
    return rc;
}

/* Files up to FILE_CHUNK unfiled articles (the oldest), one story at a time,
 * committing as it goes (see the top of the file).
 * @param more set when unfiled articles remain. */
static kh_status file_chunk(ingest *in, int *more)
{
    pass2 p;
    memset(&p, 0, sizeof p);
    p.in = in;
    kh_deduper *dd = NULL;
    kh_storyer *sr = NULL;
    kh_story_article *arts = NULL;
    kh_story_article **order = NULL;
    int64_t *map = NULL;
    size_t map_n = 0;
    size_t *head = NULL, *tail = NULL, *next = NULL;
    uint64_t *sids = NULL;
    size_t n_unfiled = 0;
    *more = 0;
    /* Read outside a transaction: grouping takes a while, and another
     * ingest may write meanwhile (file_story() checks what it files). */
    kh_status rc = kh_arena_create(in->ctx, &p.arena);
    /* The unfiled articles first, then the filed ones of the window before. */
    if (rc == KH_OK) {
        p.limit = FILE_CHUNK;
        rc = kh_store_articles_unfiled(in->store, collect, &p);
        if (rc == KH_E_STOPPED)
            rc = p.rc;
        n_unfiled = p.n;
        *more = p.n == FILE_CHUNK;
        p.limit = 0;
    }
    if (rc == KH_OK && n_unfiled && p.items[0].dated) {
        char since[16];
        time_t t = (time_t)(p.items[0].time - (int64_t)WINDOW_DAYS * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(since, sizeof since, "%Y-%m-%d", &tm);
        rc = kh_store_articles_since(in->store, since, collect_filed, &p);
        if (rc == KH_E_STOPPED)
            rc = p.rc;
    }
    if (rc != KH_OK || n_unfiled == 0)
        goto done;

    /* Copies: every article of the window against every other. */
    rc = kh_dedup_create(in->ctx, NULL, &dd);
    for (size_t i = 0; rc == KH_OK && i < p.n; i++)
        rc = kh_dedup_add(dd, p.items[i].id, p.items[i].date, p.items[i].body,
                          p.items[i].body_len);
    if (rc == KH_OK)
        rc = kh_dedup_run(dd);
    for (size_t i = 0; rc == KH_OK && i < p.n; i++) {
        p.items[i].rep = kh_dedup_group(dd, i);
        if (p.items[i].rep >= p.n)
            p.items[i].rep = i;
    }

    /* The articles as the storyer takes them, built once: an undated one
     * takes the time of the dated one it reports the same event as, so
     * where it stood in the input does not decide its story. */
    arts = kh_malloc(in->ctx, p.n * sizeof *arts);
    if (rc == KH_OK && !arts)
        rc = KH_E_NOMEM;
    if (rc == KH_OK) {
        memset(arts, 0, p.n * sizeof *arts);
        for (size_t i = 0; i < p.n; i++) {
            const item *it = &p.items[i];
            arts[i].id = it->id;
            arts[i].dated = it->dated;
            arts[i].time = it->time;
            arts[i].lang = it->lang;
            arts[i].title = it->title;
            arts[i].title_len = it->title ? strlen(it->title) : 0;
            arts[i].text = it->body;
            arts[i].text_len = it->body_len;
            arts[i].copy_of = it->rep != i ? p.items[it->rep].id : NULL;
        }
        rc = cli_date_undated(in->ctx, in->tok, arts, p.n);
    }

    /* Stories, in time order. */
    order = kh_malloc(in->ctx, p.n * sizeof *order);
    map_n = p.n + 1;
    map = kh_malloc(in->ctx, map_n * sizeof *map);
    head = kh_malloc(in->ctx, map_n * sizeof *head);
    tail = kh_malloc(in->ctx, map_n * sizeof *tail);
    next = kh_malloc(in->ctx, p.n * sizeof *next);
    sids = kh_malloc(in->ctx, p.n * sizeof *sids);
    if (rc == KH_OK && (!order || !map || !head || !tail || !next || !sids))
        rc = KH_E_NOMEM;
    if (rc == KH_OK) {
        for (size_t i = 0; i < p.n; i++)
            order[i] = &arts[i];
        qsort(order, p.n, sizeof *order, by_time);
        memset(map, 0, map_n * sizeof *map);
        for (size_t s = 0; s < map_n; s++)
            head[s] = tail[s] = SIZE_MAX;
        rc = kh_storyer_create(in->ctx, NULL, &sr);
    }
    /* First every article through the storyer, in time order; then each
     * cluster is named by a stored story of its members (the one the
     * earliest stored member is in), so a new article that comes before the
     * stored reports of its event still joins their story. Each cluster's
     * unfiled members are listed in time order (head, next). */
    for (size_t k = 0; rc == KH_OK && k < p.n; k++) {
        size_t idx = (size_t)(order[k] - arts);
        const item *it = &p.items[idx];
        uint64_t sid = 0;
        rc = kh_story_add(sr, order[k], &sid);
        if (rc == KH_OK && (sid == 0 || sid >= map_n))
            rc = kh_ctx_error(in->ctx, KH_E_INTERNAL, "story id %llu out of range",
                              (unsigned long long)sid);
        if (rc != KH_OK)
            break;
        sids[k] = sid;
        if (it->story && !map[sid])
            map[sid] = it->story; /* stored: its story stays, and names the cluster */
        if (!it->story) {
            next[idx] = SIZE_MAX;
            if (tail[sid] == SIZE_MAX)
                head[sid] = idx;
            else
                next[tail[sid]] = idx;
            tail[sid] = idx;
        }
    }
    /* Then the clusters with unfiled articles, in the order their first one
     * comes (new stories are numbered in time order), each with its account
     * in the transaction that files its articles. */
    if (rc == KH_OK)
        rc = kh_store_begin(in->store);
    double since_commit = cli_now();
    size_t filed_since = 0;
    for (size_t k = 0; rc == KH_OK && k < p.n; k++) {
        size_t idx = (size_t)(order[k] - arts);
        uint64_t sid = sids[k];
        if (head[sid] != idx)
            continue;
        int taken = 0;
        uint64_t before = in->open.filed;
        rc = file_story(in, &p, next, idx, &map[sid], &taken);
        if (rc == KH_OK && taken) {
            /* Another ingest filed some of this chunk: read it again. */
            *more = 1;
            break;
        }
        filed_since += (size_t)(in->open.filed - before);
        if (rc == KH_OK && (filed_since >= FILE_COMMIT_ARTICLES ||
                            cli_now() - since_commit >= FILE_COMMIT_SECONDS)) {
            rc = commit(in);
            if (rc == KH_OK)
                rc = kh_store_begin(in->store);
            since_commit = cli_now();
            filed_since = 0;
        }
    }
done:
    if (rc == KH_OK && kh_store_in_batch(in->store))
        rc = commit(in);
    if (rc != KH_OK)
        roll_back(in);
    kh_storyer_free(sr);
    kh_dedup_free(dd);
    kh_free(in->ctx, sids, p.n * sizeof *sids);
    kh_free(in->ctx, next, p.n * sizeof *next);
    kh_free(in->ctx, head, map_n * sizeof *head);
    kh_free(in->ctx, tail, map_n * sizeof *tail);
    kh_free(in->ctx, order, p.n * sizeof *order);
    kh_free(in->ctx, arts, p.n * sizeof *arts);
    kh_free(in->ctx, map, map_n * sizeof *map);
    kh_free(in->ctx, p.items, p.cap * sizeof *p.items);
    kh_arena_free(p.arena);
    return rc;
}

static kh_status file_unfiled(ingest *in)
{
    int more = 1;
    kh_status rc = KH_OK;
    while (rc == KH_OK && more)
        rc = file_chunk(in, &more);
    return rc;
}

static int run(int argc, char **argv)
{
    const char *db = NULL;
    long batch = 500;
    int check = 0;
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(a, "--batch") == 0 && i + 1 < argc) {
            char *end;
            batch = strtol(argv[++i], &end, 10);
            if (*end || batch < 1 || batch > 1000000)
                return cli_usage_error(&cli_cmd_ingest, "--batch wants 1..1000000");
        } else if (strcmp(a, "--check") == 0) {
            check = 1;
        } else if (strcmp(a, "--") == 0) {
            first_path = i + 1;
            break;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(&cli_cmd_ingest, "unknown or incomplete option '%s'", a);
        } else {
            first_path = i;
            break;
        }
    }
    if (!db)
        return cli_usage_error(&cli_cmd_ingest, "--db is required");
    static char *const from_stdin[] = { "-", NULL };
    if (first_path >= argc && !check) {
        if (!cli_stdin_is_input())
            return cli_usage_error(&cli_cmd_ingest, "no PATH to read");
        argv = (char **)from_stdin;
        argc = 1;
        first_path = 0;
    }

    ingest in;
    memset(&in, 0, sizeof in);
    in.batch = (size_t)batch;
    if (kh_ctx_create(&in.ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_status rc = kh_store_open(in.ctx, db, &in.store);
    if (rc == KH_OK)
        rc = kh_cleaner_create(in.ctx, 0, &in.cleaner);
    if (rc == KH_OK)
        rc = kh_tokenizer_create(in.ctx, &in.tok);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(in.ctx));
        kh_cleaner_free(in.cleaner);
        kh_store_close(in.store);
        kh_ctx_free(in.ctx);
        return CLI_FAIL;
    }
    kh_buf_init(&in.body, in.ctx, kh_ctx_limit(in.ctx, KH_LIMIT_DOCUMENT, 0));
    kh_buf_init(&in.json, in.ctx, MAX_JSON);
    cli_progress_start(&in.progress, "articles read", 0);
    double t0 = cli_now();
    kh_reader *reader = NULL;
    if (first_path < argc)
        rc = kh_reader_open(in.ctx, (const char *const *)(argv + first_path),
                            (size_t)(argc - first_path), &reader);
    while (rc == KH_OK && reader) {
        kh_doc *d = NULL;
        kh_status r = kh_reader_next(reader, &d);
        if (r == KH_E_NOMEM) {
            rc = r;
            break;
        }
        if (r == KH_E_DUPLICATE) {
            cli_error("warning: %s", kh_errmsg(in.ctx));
            in.read++;
            in.skipped++;
            continue;
        }
        if (r != KH_OK) {
            cli_error("%s", kh_errmsg(in.ctx)); /* a bad record: skipped */
            in.read++;
            in.errors++;
            continue;
        }
        if (!d)
            break;
        uint64_t before = accounted(&in);
        rc = ingest_doc(&in, d);
        if (rc != KH_OK && accounted(&in) == before)
            in.failed++; /* the record the run failed on */
        kh_doc_free(d);
    }
    kh_reader_free(reader);
    if (rc == KH_OK && kh_store_in_batch(in.store))
        rc = commit(&in);
    if (rc != KH_OK)
        roll_back(&in);
    double t1 = cli_now();
    if (rc == KH_OK) {
        /* Second phase, on its own line: what this run stored is what it
         * files (plus what a killed run left unfiled, when there is any). */
        cli_progress_end(&in.progress);
        cli_progress_start(&in.progress, "articles filed", in.added + in.updated);
        in.filing = 1;
        rc = file_unfiled(&in);
    }
    double t2 = cli_now();
    if (rc == KH_OK && check)
        rc = kh_store_check(in.store);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(in.ctx));
        roll_back(&in);
    }
    cli_progress_end(&in.progress);
    double secs = cli_now() - t0;
    kh_buf out;
    kh_buf_init(&out, in.ctx, 0);
    kh_buf_puts(&out, "{\"db\":");
    kh_buf_json_string(&out, db, strlen(db));
    kh_buf_printf(&out,
                  ",\"read\":%llu,\"added\":%llu,\"updated\":%llu,\"unchanged\":%llu,"
                  "\"skipped\":%llu,\"no_body\":%llu,"
                  "\"errors\":%llu,\"failed\":%llu,\"filed\":%llu,\"copies\":%llu,"
                  "\"stories_new\":%llu,\"stories_updated\":%llu,\"commits\":%llu,"
                  "\"seconds\":%.3f,\"store_seconds\":%.3f,"
                  "\"file_seconds\":%.3f,\"articles_per_s\":%.1f%s}\n",
                  (unsigned long long)in.read, (unsigned long long)in.added,
                  (unsigned long long)in.updated, (unsigned long long)in.unchanged,
                  (unsigned long long)in.skipped, (unsigned long long)in.no_body,
                  (unsigned long long)in.errors, (unsigned long long)in.failed,
                  (unsigned long long)in.done.filed, (unsigned long long)in.done.copies,
                  (unsigned long long)in.done.stories_new,
                  (unsigned long long)in.done.stories_touched,
                  (unsigned long long)in.commits, secs, t1 - t0, t2 - t1,
                  secs > 0 ? (double)in.read / secs : 0.0,
                  check ? (rc == KH_OK ? ",\"check\":\"ok\"" : ",\"check\":\"failed\"") : "");
    /* The store is committed whatever happens here; a lost summary is still
     * a failure the caller must see. */
    int write_failed = cli_flush_end(&out) != 0;
    if (write_failed)
        cli_error("cannot write output");
    kh_buf_free(&out);
    kh_buf_free(&in.body);
    kh_buf_free(&in.json);
    kh_tokenizer_free(in.tok);
    kh_cleaner_free(in.cleaner);
    kh_store_close(in.store);
    kh_ctx_free(in.ctx);
    return rc == KH_OK && !write_failed ? CLI_OK : CLI_FAIL;
}

const cli_command cli_cmd_ingest = {
    "ingest",
    "clean, dedup and group articles into stories in a database for khabar serve",
    "khabar ingest --db FILE [--batch N] [--check] PATH...",
    "Options:\n"
    "  --db FILE    the store (created when missing)\n"
    "  --batch N    articles stored per transaction (default 500)\n"
    "  --check      then check the file (integrity, foreign keys, search index);\n"
    "               without PATH only the check runs\n\n"
    "Reads the inputs khabar read accepts, cleans crawled pages down to their\n"
    "article, and stores each article under its id (see khabar help read: the\n"
    "record's id, else its URL, else its path from the PATH's folder). An id\n"
    "already stored is the same article again: when its title or body\n"
    "changed, the new version replaces the stored one (updated; it keeps its\n"
    "story, whose account is built again), else nothing is written\n"
    "(unchanged), so a run can be repeated, resumed after a crash, or run on\n"
    "a new crawl of the same site. A record whose id was already read in this\n"
    "run is skipped with a warning. Then files\n"
    "every article not yet in a story: copies are grouped (khabar dedup) and\n"
    "articles are grouped into stories (khabar stories) together with the\n"
    "stored articles of the days before them; stored articles keep their\n"
    "stories. Each story that gained an article gets its account again.\n"
    "Bad records are reported on stderr and skipped. Filing commits about\n"
    "every second, so a killed run loses little. Prints one JSON line of\n"
    "counts, each made only of committed work; they add up:\n"
    "  read = added (new articles) + updated (new versions) + unchanged\n"
    "         (stored already as they are) + skipped (id read twice in this\n"
    "         run) + no_body + errors (bad records) + failed (not stored: the\n"
    "         run failed before committing)\n"
    "filed, copies, stories_new and stories_updated count what filing did;\n"
    "commits the transactions of both passes.\n",
    run,
};
