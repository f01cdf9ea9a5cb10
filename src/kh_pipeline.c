/*
 * kh_pipeline.c — the one driver of the chain: clean -> copies -> dating ->
 * ordering -> stories -> accounts, for a batch of documents.
 *
 * Idea. Stories are built in time order, and the input need not be in that
 * order, so the whole batch is read before the first article is grouped;
 * but what stays in memory for each article is one khi_rec (32 bytes: where
 * its record lies in the spool, its time, a few flags). Its id, title,
 * source, date and cleaned body are written once to the spool and read back
 * when a step needs them (layout in kh_pipeline_int.h).
 *
 *   add_doc ──► observe ──► spool (pages whole; text records cleaned)
 *   clean pages, once all were observed ──► rec[] in input order
 *   date undated ──► sort rec[] by stream time ──► cut into blocks
 *   per block: kh_dedup over it and max_span before it (copies)
 *              ──► storyer, closed stories released
 *              ──► on close: account from the story's records ──► on_story
 *
 * What is held besides rec[]: the storyer's open stories; per open story,
 * the positions of its articles and where their provenance lies; and one
 * dedup run (below). The one step
 * that still reads the whole batch at once is dating undated articles among
 * dated ones (kh_story_date_by_content compares every pair that shares a
 * term): a stream of dated articles never takes it.
 *
 * Copies. A copy joins its original's story only while that story is open,
 * and a story closes max_span after it began; so an original that matters
 * is at most max_span older than its copy, in stream time. The time order
 * is cut into blocks, and each block's copies are found by one kh_dedup run
 * over the block and the articles up to max_span before it: an article's
 * original is the earliest copy of it in that span. This differs from one
 * run over the whole batch only for a chain of copies longer than max_span
 * (whose earliest member's story has closed by then) and for undated copies
 * of an article dated more than a block later. A block holds at least
 * DEDUP_BLOCK articles, so that a batch that small is one run over all of
 * it, and spans at least max_span, so that no article is fingerprinted
 * more than twice; a run holds about 300 bytes per article (kh_dedup's
 * signature), for two blocks' worth at most. What a run finds of each
 * article of its block that is a copy or in a copy group (the one it was
 * verified to copy, how, the group's wire) is spooled; where it lies is
 * held with the article's place in its open story, and read back as the
 * story closes: its provenance in kh_pipeline_story.
 *
 * Invariant: rec[] is in input order until khi_pipeline_stories() sorts it
 * by (key, seq); seq always names the input position.
 *
 * SHARDS. A shard (kh_pipeline_shard(p, i, n)) keeps the documents at
 * input positions i, i + n, ... (every document added counts) and ends
 * with kh_pipeline_dedup_shard(): its articles' fingerprints, each with its
 * input position (in rec.orig), go to a shard file that kh_dedup_merge_*
 * interleaves with the others. A page is cleaned with the line counts of
 * every page of the run (kh_cleaner_observe()), so every shard still reads
 * and observes every page; a page of another shard is spooled flagged
 * KHI_REC_FOREIGN, observed, and dropped before cleaning, and a text record
 * of another shard is not kept at all. What a shard saves is the cleaning
 * and fingerprinting of the others' share, the costly part; reading and
 * observing stay whole (doc/scale.md).
 */
#include "kh_pipeline_int.h"
#include "kh_link_int.h"
#include "kh_dedup.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef DEDUP_BLOCK
#define DEDUP_BLOCK 16384
#endif

/* Appends wait in memory until this many bytes are waiting, then go to the
 * file; a run smaller than this never makes one. */
#define SPOOL_PENDING ((size_t)4 << 20)

/* ---- the spool ----------------------------------------------------------- */

static void spool_open(khi_spool *sp, kh_ctx *ctx)
{
    memset(sp, 0, sizeof *sp);
    sp->fd = -1;
    kh_buf_init(&sp->pending, ctx, 0);
}

/* Makes the file, unlinked at once: nothing is left behind, however the
 * process ends. */
static kh_status spool_create(kh_ctx *ctx, khi_spool *sp)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t len = strlen(dir) + sizeof "/khabar-spool-XXXXXX";
    char *path = kh_malloc(ctx, len);
    if (!path)
        return kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    snprintf(path, len, "%s/khabar-spool-XXXXXX", dir);
    sp->fd = mkstemp(path);
    int err = errno;
    if (sp->fd >= 0)
        unlink(path);
    kh_free(ctx, path, len);
    if (sp->fd < 0)
        return kh_ctx_error(ctx, KH_E_IO, "cannot create a temporary file: %s", strerror(err));
    return KH_OK;
}

/* Writes what is waiting to the file. */
static kh_status spool_drain(kh_ctx *ctx, khi_spool *sp)
{
    if (sp->fd < 0)
        KHI_FORWARD_IF_ERROR(spool_create(ctx, sp));
    const char *p = sp->pending.data;
    size_t left = sp->pending.len;
    while (left) {
        ssize_t w = pwrite(sp->fd, p, left, (off_t)sp->written);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return kh_ctx_error(ctx, KH_E_IO, "temporary file: %s", strerror(errno));
        }
        p += w;
        left -= (size_t)w;
        sp->written += (uint64_t)w;
    }
    kh_buf_clear(&sp->pending);
    return KH_OK;
}

/* Appends len bytes; *off receives where they start. */
static kh_status spool_append(kh_ctx *ctx, khi_spool *sp, const void *bytes, size_t len,
                              uint64_t *off)
{
    *off = sp->written + sp->pending.len;
    if (kh_buf_append(&sp->pending, bytes, len) != KH_OK)
        return kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    return sp->pending.len >= SPOOL_PENDING ? spool_drain(ctx, sp) : KH_OK;
}

/* Appends the len bytes at off to out (NUL-terminated after them). */
static kh_status spool_read(kh_ctx *ctx, khi_spool *sp, uint64_t off, size_t len, kh_buf *out)
{
    if (off < sp->written && off + len > sp->written)
        KHI_FORWARD_IF_ERROR(spool_drain(ctx, sp)); /* half written: all to the file */
    if (kh_buf_reserve(out, len + 1) != KH_OK)
        return kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    char *p = out->data + out->len;
    if (off >= sp->written) { /* still waiting in memory */
        if (off - sp->written + len > sp->pending.len)
            return kh_ctx_error(ctx, KH_E_INTERNAL, "temporary file: read past the end");
        memcpy(p, sp->pending.data + (off - sp->written), len);
    } else {
        size_t got = 0;
        while (got < len) {
            ssize_t r = pread(sp->fd, p + got, len - got, (off_t)(off + got));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                if (r == 0)
                    errno = EIO;
                return kh_ctx_error(ctx, KH_E_IO, "temporary file: %s", strerror(errno));
            }
            got += (size_t)r;
        }
    }
    out->len += len;
    out->data[out->len] = '\0';
    return KH_OK;
}

static void spool_close(khi_spool *sp)
{
    if (sp->fd >= 0)
        close(sp->fd);
    sp->fd = -1;
    kh_buf_free(&sp->pending);
}

/* ---- records --------------------------------------------------------------- */

static void put_u32(kh_buf *b, uint32_t v, kh_status *rc)
{
    if (*rc == KH_OK)
        *rc = kh_buf_append(b, &v, sizeof v);
}

static void put_u64(kh_buf *b, uint64_t v, kh_status *rc)
{
    if (*rc == KH_OK)
        *rc = kh_buf_append(b, &v, sizeof v);
}

/* A string field: its length (KHI_NO_STR when s is NULL), its bytes, a NUL. */
static void put_str(kh_buf *b, const char *s, size_t len, kh_status *rc)
{
    if (len >= KHI_NO_STR) {
        if (*rc == KH_OK)
            *rc = KH_E_TOOBIG;
        return;
    }
    put_u32(b, s ? (uint32_t)len : KHI_NO_STR, rc);
    if (s && *rc == KH_OK)
        *rc = kh_buf_append(b, s, len);
    if (s && *rc == KH_OK)
        *rc = kh_buf_append(b, "", 1);
}

static void put_cstr(kh_buf *b, const char *s, kh_status *rc)
{
    put_str(b, s, s ? strlen(s) : 0, rc);
}

/* Reads records written by put_*(); any short read leaves p NULL. */
typedef struct reader_pos {
    char *p, *end;
} reader_pos;

static void get_raw(reader_pos *r, void *out, size_t n)
{
    if (r->p && r->end - r->p >= (ptrdiff_t)n) {
        memcpy(out, r->p, n);
        r->p += n;
    } else {
        memset(out, 0, n);
        r->p = NULL;
    }
}

static uint32_t get_u32(reader_pos *r)
{
    uint32_t v;
    get_raw(r, &v, sizeof v);
    return v;
}

static uint64_t get_u64(reader_pos *r)
{
    uint64_t v;
    get_raw(r, &v, sizeof v);
    return v;
}

static char *get_str(reader_pos *r, size_t *len)
{
    uint32_t n = get_u32(r);
    *len = 0;
    if (!r->p || n == KHI_NO_STR)
        return NULL;
    if ((size_t)(r->end - r->p) < (size_t)n + 1) {
        r->p = NULL;
        return NULL;
    }
    char *s = r->p;
    r->p += (size_t)n + 1;
    *len = n;
    return s;
}

/* Sets ctx's message to prefix + its current message (copied first: the
 * message is the buffer being written). */
static kh_status rewrap(kh_pipeline *p, kh_status rc, const char *prefix)
{
    char was[512];
    snprintf(was, sizeof was, "%s", kh_errmsg(p->ctx));
    return kh_ctx_error(p->ctx, rc, "%s%s", prefix, was);
}

/* Sets the sticky failure (the first one wins) and returns it. */
static kh_status fail(kh_pipeline *p, kh_status rc)
{
    if (p->rc == KH_OK)
        p->rc = rc;
    return p->rc;
}

static kh_status add_rec(kh_pipeline *p, const khi_rec *r)
{
    if (KHI_GROW(p->ctx, p->recs, p->n, p->cap, 1024) != KH_OK)
        return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    p->recs[p->n++] = *r;
    return KH_OK;
}

/* Writes r's record from the enc buffer to the spool. */
static kh_status spool_rec(kh_pipeline *p, khi_rec *r)
{
    if (p->enc.len >= UINT32_MAX)
        return kh_ctx_error(p->ctx, KH_E_TOOBIG, "a record over 4 GiB");
    r->len = (uint32_t)p->enc.len;
    return spool_append(p->ctx, &p->spool, p->enc.data, p->enc.len, &r->off);
}

kh_status kh_pipeline_body_join(const char *const *paragraphs, size_t n, kh_buf *out)
{
    kh_status rc = KH_OK;
    for (size_t i = 0; rc == KH_OK && i < n; i++) {
        if (i)
            rc = kh_buf_append(out, "\n", 1);
        if (rc == KH_OK)
            rc = kh_buf_puts(out, paragraphs[i]);
    }
    return rc;
}

size_t kh_pipeline_body_split(char *body, const char **paragraphs, size_t cap)
{
    size_t k = 0;
    for (char *line = body; line && *line && k < cap;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (*line)
            paragraphs[k++] = line;
        line = nl ? nl + 1 : NULL;
    }
    return k;
}

/* Spools one clean article: the fields of a khi_view and its body. */
static kh_status spool_fields(kh_pipeline *p, khi_rec *r, const khi_view *f, kh_lang lang,
                              const char *body, size_t body_len)
{
    kh_status rc = KH_OK;
    const char *id = f->id;
    kh_buf_clear(&p->enc);
    put_cstr(&p->enc, id, &rc);
    put_cstr(&p->enc, f->title ? f->title : "", &rc);
    put_cstr(&p->enc, f->source, &rc);
    put_cstr(&p->enc, f->date, &rc);
    put_cstr(&p->enc, f->dateline, &rc);
    put_cstr(&p->enc, f->dateline_agency, &rc);
    put_cstr(&p->enc, f->author, &rc);
    put_cstr(&p->enc, f->date_source, &rc);
    put_cstr(&p->enc, f->url, &rc);
    put_cstr(&p->enc, f->file, &rc);
    if (rc == KH_OK && body_len >= KHI_NO_STR)
        rc = KH_E_TOOBIG;
    put_u32(&p->enc, (uint32_t)body_len, &rc);
    if (rc == KH_OK)
        rc = kh_buf_append(&p->enc, body, body_len);
    if (rc == KH_OK)
        rc = kh_buf_append(&p->enc, "", 1);
    if (rc != KH_OK)
        return kh_ctx_error(p->ctx, rc, "%s: %s", id, kh_strerror(rc));
    KHI_FORWARD_IF_ERROR(spool_rec(p, r));
    r->flags &= (uint8_t)~KHI_REC_PAGE;
    r->lang = (uint8_t)lang;
    const char *date = f->date;
    if (date && kh_story_parse_date(date, strlen(date), &r->key) == KH_OK)
        r->flags |= KHI_REC_DATED;
    return KH_OK;
}

/* Spools what the later stages need of one cleaned document. The one
 * preference order of every field: the cleaned value (for a date, the
 * record's own when it gives one: the cleaner takes it first), else the
 * record's. */
static kh_status spool_article(kh_pipeline *p, const kh_doc *d, const kh_article *art,
                               khi_rec *r)
{
    kh_buf_clear(&p->body);
    kh_status rc = kh_pipeline_body_join(art->body, art->n_body, &p->body);
    if (rc != KH_OK)
        return kh_ctx_error(p->ctx, rc, "%s: %s", d->id, kh_strerror(rc));
    khi_view f;
    memset(&f, 0, sizeof f);
    f.id = d->id;
    f.title = art->title ? art->title : d->title;
    f.source = art->source ? art->source : d->source;
    f.date = art->date ? art->date : d->date;
    f.dateline = art->dateline;
    f.dateline_agency = art->dateline_agency;
    f.author = art->author;
    f.date_source = art->date_source;
    f.url = art->url ? art->url : d->url;
    f.file = d->file;
    return spool_fields(p, r, &f, art->lang != KH_LANG_UNKNOWN ? art->lang : d->lang,
                        p->body.data ? p->body.data : "", p->body.len);
}

kh_status khi_pipeline_add_article(kh_pipeline *p, const kh_store_article *a)
{
    if (p->n >= UINT32_MAX)
        return fail(p, kh_ctx_error(p->ctx, KH_E_TOOBIG, "too many articles for one run"));
    khi_rec r;
    memset(&r, 0, sizeof r);
    r.seq = r.orig = (uint32_t)p->n;
    khi_view f;
    memset(&f, 0, sizeof f);
    f.id = a->id;
    f.title = a->title;
    f.source = a->source;
    f.date = a->date;
    f.url = a->url;
    f.file = a->file;
    f.dateline = a->dateline;
    f.dateline_agency = a->dateline_agency;
    f.author = a->author;
    f.date_source = a->date_source;
    kh_status rc = spool_fields(p, &r, &f, kh_lang_from_code(a->lang), a->body ? a->body : "",
                                a->body ? a->body_len : 0);
    if (rc == KH_OK)
        rc = add_rec(p, &r);
    if (rc == KH_OK)
        p->stats.docs++;
    return rc == KH_OK ? KH_OK : fail(p, rc);
}

/* Reads the article record r wrote at data (r->len bytes, NUL after them)
 * into v, pointing into data. @return 0 when it does not read back whole. */
static int view_decode(const khi_rec *r, char *data, khi_view *v)
{
    reader_pos q = { data, data + r->len };
    size_t len;
    v->id = get_str(&q, &len);
    v->title = get_str(&q, &v->title_len);
    v->source = get_str(&q, &len);
    v->date = get_str(&q, &len);
    v->dateline = get_str(&q, &len);
    v->dateline_agency = get_str(&q, &len);
    v->author = get_str(&q, &len);
    v->date_source = get_str(&q, &len);
    v->credit = v->dateline_agency ? v->dateline_agency : v->dateline;
    v->url = get_str(&q, &len);
    v->file = get_str(&q, &len);
    v->text_len = get_u32(&q);
    v->text = q.p;
    v->lang = (kh_lang)r->lang;
    return v->id && q.p && (size_t)(q.end - q.p) == (size_t)v->text_len + 1;
}

kh_status khi_pipeline_load(kh_pipeline *p, const khi_rec *r, kh_buf *buf, khi_view *v)
{
    kh_buf_clear(buf);
    KHI_FORWARD_IF_ERROR(spool_read(p->ctx, &p->spool, r->off, r->len, buf));
    if (buf->len != r->len || !view_decode(r, buf->data, v) || !v->title)
        return kh_ctx_error(p->ctx, KH_E_IO, "temporary file: a record does not read back");
    return KH_OK;
}

/* Spools a page or HTML document whole: it is cleaned once every page has
 * been observed (see khi_pipeline_clean()). */
static kh_status spool_page(kh_pipeline *p, const kh_doc *d, khi_rec *r)
{
    kh_status rc = KH_OK;
    kh_buf_clear(&p->enc);
    put_u64(&p->enc, d->line, &rc);
    put_u64(&p->enc, d->offset, &rc);
    put_u64(&p->enc, d->seq, &rc);
    put_u64(&p->enc, d->n_lines, &rc);
    put_u64(&p->enc, d->n_chars, &rc);
    put_u32(&p->enc, (uint32_t)d->format, &rc);
    put_u32(&p->enc, (uint32_t)d->kind, &rc);
    put_u32(&p->enc, (uint32_t)d->lang, &rc);
    const char *s[6] = { d->id, d->file, d->url, d->source, d->date, d->title };
    for (size_t i = 0; i < 6; i++)
        put_cstr(&p->enc, s[i], &rc);
    put_str(&p->enc, d->content ? d->content : "", d->content ? d->content_len : 0, &rc);
    if (rc != KH_OK)
        return kh_ctx_error(p->ctx, rc, "%s: %s", d->id, kh_strerror(rc));
    KHI_FORWARD_IF_ERROR(spool_rec(p, r));
    r->flags |= KHI_REC_PAGE;
    return KH_OK;
}

/* The document spool_page() wrote, rebuilt in an arena of its own. */
static kh_status load_page(kh_pipeline *p, const khi_rec *r, kh_doc **out)
{
    *out = NULL;
    kh_buf_clear(&p->rd);
    KHI_FORWARD_IF_ERROR(spool_read(p->ctx, &p->spool, r->off, r->len, &p->rd));
    reader_pos q = { p->rd.data, p->rd.data + p->rd.len };
    kh_arena *a;
    if (kh_arena_create(p->ctx, &a) != KH_OK)
        return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    kh_doc *d = kh_arena_alloc(a, sizeof *d);
    if (!d) {
        kh_arena_free(a);
        return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    }
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->line = get_u64(&q);
    d->offset = get_u64(&q);
    d->seq = get_u64(&q);
    d->n_lines = (size_t)get_u64(&q);
    d->n_chars = (size_t)get_u64(&q);
    d->format = (kh_format)get_u32(&q);
    d->kind = (kh_content)get_u32(&q);
    d->lang = (kh_lang)get_u32(&q);
    const char **s[7] = { &d->id, &d->file, &d->url, &d->source, &d->date, &d->title,
                          &d->content };
    kh_status rc = KH_OK;
    for (size_t i = 0; rc == KH_OK && i < 7; i++) {
        size_t len;
        const char *f = get_str(&q, &len);
        if (!q.p)
            rc = kh_ctx_error(p->ctx, KH_E_IO, "temporary file: a record does not read back");
        else if (f && !(*s[i] = kh_arena_strndup(a, f, len)))
            rc = kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
        if (i == 6)
            d->content_len = len;
    }
    if (rc != KH_OK) {
        kh_doc_free(d);
        return rc;
    }
    *out = d;
    return KH_OK;
}

/* Tells on_problem about a document left out; KH_E_STOPPED when it asks
 * to stop. */
static kh_status problem(kh_pipeline *p, const kh_doc *d, kh_status status, unsigned warnings)
{
    if (!p->opt.on_problem)
        return KH_OK;
    kh_pipeline_problem pr;
    memset(&pr, 0, sizeof pr);
    pr.stage = "clean";
    pr.id = d->id;
    pr.file = d->file;
    pr.line = d->line;
    pr.format = d->format;
    pr.status = status;
    pr.warnings = warnings;
    return p->opt.on_problem(p->opt.on_problem_user, &pr) ? fail(p, KH_E_STOPPED) : KH_OK;
}

/* An article without a body, when such are left out. */
static int drop_empty(kh_pipeline *p, const kh_doc *d, const kh_article *art, kh_status *rc)
{
    if (art->n_body > 0 || !(p->opt.flags & KH_PIPELINE_SKIP_EMPTY))
        return 0;
    p->stats.no_body++;
    *rc = problem(p, d, KH_OK, art->warnings);
    return 1;
}

/* ---- extras beside the records --------------------------------------------- */

static void side_free(kh_pipeline *p, khi_side *s)
{
    kh_free(p->ctx, s->off, s->cap * sizeof *s->off);
    kh_free(p->ctx, s->len, s->cap * sizeof *s->len);
    memset(s, 0, sizeof *s);
}

/* Spools b's bytes as record k's extra of kind s. */
static kh_status side_put(kh_pipeline *p, khi_side *s, size_t k, const kh_buf *b)
{
    if (k >= s->cap) {
        size_t cap = p->n > k ? p->n : k + 1;
        uint64_t *off = kh_realloc(p->ctx, s->off, s->cap * sizeof *off, cap * sizeof *off);
        if (off)
            s->off = off;
        uint32_t *len = off ? kh_realloc(p->ctx, s->len, s->cap * sizeof *len, cap * sizeof *len)
                            : NULL;
        if (!off || !len)
            return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
        s->len = len;
        for (size_t i = s->cap; i < cap; i++)
            s->len[i] = 0;
        s->cap = cap;
    }
    if (b->len >= UINT32_MAX)
        return kh_ctx_error(p->ctx, KH_E_TOOBIG, "a record over 4 GiB");
    s->len[k] = (uint32_t)b->len;
    return spool_append(p->ctx, &p->spool, b->data, b->len, &s->off[k]);
}

/* Appends record k's extra of kind s to out; *len 0 when it has none. */
static kh_status side_get(kh_pipeline *p, const khi_side *s, size_t k, kh_buf *out,
                          uint32_t *len)
{
    *len = k < s->cap ? s->len[k] : 0;
    return *len ? spool_read(p->ctx, &p->spool, s->off[k], *len, out) : KH_OK;
}

/* ---- lifetime and input ---------------------------------------------------- */

void kh_pipeline_options_init(kh_pipeline_options *opts)
{
    memset(opts, 0, sizeof *opts);
    kh_story_options_init(&opts->story);
    kh_dedup_options_init(&opts->dedup);
    opts->batch = 500;
}

kh_status kh_pipeline_create(kh_ctx *ctx, const kh_pipeline_options *opts, kh_pipeline **out)
{
    *out = NULL;
    if (!ctx)
        return KH_E_ARG;
    kh_pipeline *p = kh_malloc(ctx, sizeof *p);
    if (!p)
        return kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    memset(p, 0, sizeof *p);
    p->ctx = ctx;
    if (opts)
        p->opt = *opts;
    else
        kh_pipeline_options_init(&p->opt);
    if (p->opt.batch == 0)
        p->opt.batch = 500;
    p->base = 1; /* story ids start at 1 */
    kh_buf_init(&p->enc, ctx, 0);
    kh_buf_init(&p->rd, ctx, 0);
    kh_buf_init(&p->load, ctx, 0);
    kh_buf_init(&p->why, ctx, 0);
    kh_buf_init(&p->lang_times, ctx, 0);
    kh_buf_init(&p->prov, ctx, 0);
    kh_buf_init(&p->body, ctx, kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 0));
    spool_open(&p->spool, ctx);
    kh_status rc = KH_OK;
    if (kh_cleaner_create(ctx, 0, &p->cleaner) != KH_OK)
        rc = kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    if (rc != KH_OK) {
        kh_pipeline_free(p);
        return rc;
    }
    *out = p;
    return KH_OK;
}

/* Frees what one story's members hold. */
static void members_clear(kh_pipeline *p, khi_members *m)
{
    kh_free(p->ctx, m->pos, m->cap * sizeof *m->pos);
    kh_free(p->ctx, m->prov, m->cap * sizeof *m->prov);
    m->pos = NULL;
    m->prov = NULL;
    m->n = m->cap = 0;
}

static void members_free(kh_pipeline *p)
{
    for (size_t i = p->head; i < p->n_pend; i++)
        members_clear(p, &p->pend[i]);
    kh_free(p->ctx, p->pend, p->cap_pend * sizeof *p->pend);
    p->pend = NULL;
    p->head = p->n_pend = p->cap_pend = 0;
}

void kh_pipeline_free(kh_pipeline *p)
{
    if (!p)
        return;
    members_free(p);
    kh_cleaner_free(p->cleaner);
    kh_tokenizer_free(p->tok);
    khi_account_words_free(p->account_words);
    kh_linker_free(p->linker);
    kh_buf_free(&p->lang_times);
    kh_buf_free(&p->enc);
    kh_buf_free(&p->rd);
    kh_buf_free(&p->load);
    kh_buf_free(&p->why);
    kh_buf_free(&p->prov);
    side_free(p, &p->why_at);
    kh_buf_free(&p->body);
    kh_free(p->ctx, p->recs, p->cap * sizeof *p->recs);
    spool_close(&p->spool);
    kh_free(p->ctx, p, sizeof *p);
}

void kh_pipeline_stats_get(const kh_pipeline *p, kh_pipeline_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    if (p)
        *stats = p->stats;
}

/* Pages wait to be observed in batches this large (see observe_pending()). */
#define OBSERVE_BATCH_PAGES 4096
#define OBSERVE_BATCH_BYTES ((uint64_t)64 << 20)

static kh_status observe_pending(kh_pipeline *p);

kh_status kh_pipeline_add_doc(kh_pipeline *p, kh_doc *doc)
{
    if (!p || !doc || !doc->id)
        return KH_E_ARG;
    if (p->ended)
        return kh_ctx_error(p->ctx, KH_E_ARG, "pipeline: a document added after the end ran");
    if (p->rc != KH_OK)
        return p->rc;
    if (p->n >= UINT32_MAX)
        return fail(p, kh_ctx_error(p->ctx, KH_E_TOOBIG, "too many articles for one run"));
    uint64_t at = p->stats.docs++;
    khi_rec r;
    memset(&r, 0, sizeof r);
    r.seq = r.orig = (uint32_t)p->n;
    int foreign = 0;
    if (p->shard_count) {
        if (at > UINT32_MAX)
            return fail(p, kh_ctx_error(p->ctx, KH_E_TOOBIG, "too many documents for one run"));
        r.orig = (uint32_t)at; /* SHARDS: the position the merge orders by */
        foreign = at % p->shard_count != p->shard_index;
        if (foreign && doc->kind == KH_CONTENT_TEXT)
            return KH_OK; /* another shard's: nothing of it is needed here */
    }
    const kh_article *art = NULL;
    kh_status rc = KH_E_ARG;
    if (doc->kind == KH_CONTENT_TEXT) {
        /* cleaned now, with the counts of every page before it */
        rc = observe_pending(p);
        if (rc != KH_OK)
            return fail(p, rc);
        rc = kh_clean_doc(p->cleaner, doc, &art);
        if (rc == KH_OK && drop_empty(p, doc, art, &rc))
            return rc == KH_OK ? KH_OK : fail(p, rc);
        if (rc == KH_OK)
            rc = spool_article(p, doc, art, &r);
        else if (rc != KH_E_NOMEM) /* an error reported in order later */
            rc = spool_page(p, doc, &r);
    } else {
        rc = spool_page(p, doc, &r);
        if (foreign)
            r.flags |= KHI_REC_FOREIGN;
    }
    if (rc == KH_E_NOMEM)
        rc = kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    if (rc == KH_OK)
        rc = add_rec(p, &r);
    if (rc == KH_OK && doc->kind != KH_CONTENT_TEXT) {
        /* observed with the pages around it, on the worker threads */
        p->obs_pages++;
        p->obs_bytes += r.len;
        if (p->obs_pages >= OBSERVE_BATCH_PAGES || p->obs_bytes >= OBSERVE_BATCH_BYTES)
            rc = observe_pending(p);
    }
    return rc == KH_OK ? KH_OK : fail(p, rc);
}

/* One page's result, taken in input order: its article spooled, or the
 * page left out (a problem, or no body). c is kh_clean_doc()'s status and
 * msg its message when it failed in another context (NULL: p->ctx holds
 * it). 1 when the article is kept. */
static int take_cleaned(kh_pipeline *p, khi_rec *r, kh_doc *d, const kh_article *art,
                        kh_status c, const char *msg, kh_status *rc)
{
    if (c == KH_E_NOMEM) {
        *rc = kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
        return 0;
    }
    if (c != KH_OK) {
        p->stats.skipped++;
        if (msg)
            kh_ctx_error(p->ctx, c, "%s", msg);
        *rc = problem(p, d, c, 0);
        return 0;
    }
    if (drop_empty(p, d, art, rc))
        return 0;
    *rc = spool_article(p, d, art, r);
    return *rc == KH_OK;
}

/* Pages are cleaned in batches on the worker threads: read in order,
 * cleaned by forks of the cleaner (the counts observed are final by now,
 * and cleaning only reads them), taken in order. Articles, problems and
 * messages come out as one thread gives them. A batch is bounded in pages
 * and in bytes, so memory does not follow the input. */
#define CLEAN_BATCH_PAGES 256
#define CLEAN_BATCH_BYTES ((uint64_t)16 << 20)
#define CLEAN_MAX_THREADS 64

typedef struct clean_item {
    khi_rec rec;
    kh_doc *doc;            /* NULL: not a page */
    const kh_article *art;  /* cleaning: the article */
    kh_status status;
    const char *msg;        /* the failure's message, in doc's arena */
    const uint64_t *keys;   /* observing: the page's line keys, in doc's arena */
    size_t n_keys;
    uint64_t salt;
    int counted;
} clean_item;

typedef struct clean_pool {
    clean_item *items;
    size_t n;
    int observe;            /* observe the pages instead of cleaning them */
    atomic_size_t next;     /* the next item a worker takes */
} clean_pool;

typedef struct clean_worker {
    clean_pool *pool;
    kh_ctx *ctx;
    kh_cleaner *cleaner;
    pthread_t thread;
} clean_worker;

static void *clean_worker_main(void *arg)
{
    clean_worker *w = arg;
    clean_pool *pool = w->pool;
    for (;;) {
        size_t i = atomic_fetch_add(&pool->next, 1);
        if (i >= pool->n)
            break;
        clean_item *it = &pool->items[i];
        if (!it->doc)
            continue;
        if (pool->observe) {
            const uint64_t *keys;
            it->status = khi_cleaner_observe_keys(w->cleaner, it->doc, &keys, &it->n_keys,
                                                  &it->salt, &it->counted);
            if (it->status == KH_OK && it->counted && it->n_keys) {
                uint64_t *copy = kh_arena_alloc(it->doc->arena, it->n_keys * sizeof *copy);
                if (copy)
                    memcpy(copy, keys, it->n_keys * sizeof *copy);
                else
                    it->status = KH_E_NOMEM;
                it->keys = copy;
            }
            continue;
        }
        it->status = kh_clean_doc(w->cleaner, it->doc, &it->art);
        if (it->status != KH_OK && it->status != KH_E_NOMEM) {
            const char *m = kh_errmsg(w->ctx);
            it->msg = kh_arena_strndup(it->doc->arena, m, strlen(m));
        }
    }
    return NULL;
}

/* Cleans pool->items on n workers: workers 1.. in threads, worker 0 here. */
static void clean_batch(clean_worker *w, unsigned n, clean_pool *pool)
{
    atomic_store(&pool->next, 0);
    unsigned started = 1;
    for (unsigned t = 1; t < n; t++, started++) {
        w[t].pool = pool;
        if (pthread_create(&w[t].thread, NULL, clean_worker_main, &w[t]) != 0)
            break; /* fewer threads: the rest is done here */
    }
    w[0].pool = pool;
    clean_worker_main(&w[0]);
    for (unsigned t = 1; t < started; t++)
        pthread_join(w[t].thread, NULL);
}

static unsigned clean_threads(const kh_pipeline *p)
{
    unsigned n = p->opt.dedup.threads;
    if (n == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores > 0 ? (unsigned)cores : 1;
    }
    return n > CLEAN_MAX_THREADS ? CLEAN_MAX_THREADS : n;
}

static kh_status clean_one_thread(kh_pipeline *p)
{
    size_t w = 0;
    kh_status rc = p->rc;
    for (size_t i = 0; rc == KH_OK && i < p->n; i++) {
        khi_rec r = p->recs[i];
        if (r.flags & KHI_REC_FOREIGN)
            continue;
        if (r.flags & KHI_REC_PAGE) {
            kh_doc *d = NULL;
            const kh_article *art = NULL;
            rc = load_page(p, &r, &d);
            if (rc == KH_OK) {
                kh_status c = kh_clean_doc(p->cleaner, d, &art);
                int kept = take_cleaned(p, &r, d, art, c, NULL, &rc);
                kh_doc_free(d);
                if (!kept)
                    continue;
            }
        }
        r.seq = (uint32_t)w; /* positions among the articles kept */
        if (!p->shard_count)
            r.orig = r.seq;
        p->recs[w++] = r;
    }
    if (rc == KH_OK)
        p->n = w;
    return rc;
}

/* Workers w[0..n) with forks of p's cleaner, and a pool of items. */
static kh_status workers_start(kh_pipeline *p, clean_worker *w, unsigned n, clean_pool *pool)
{
    khi_html_init();
    memset(w, 0, n * sizeof *w);
    memset(pool, 0, sizeof *pool);
    pool->items = kh_malloc(p->ctx, CLEAN_BATCH_PAGES * sizeof *pool->items);
    kh_status rc = pool->items ? KH_OK : KH_E_NOMEM;
    for (unsigned t = 0; rc == KH_OK && t < n; t++) {
        rc = khi_ctx_fork(p->ctx, &w[t].ctx);
        if (rc == KH_OK)
            rc = khi_cleaner_fork(p->cleaner, w[t].ctx, &w[t].cleaner);
    }
    return rc == KH_OK ? KH_OK : kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
}

static void workers_stop(kh_pipeline *p, clean_worker *w, unsigned n, clean_pool *pool)
{
    for (unsigned t = 0; t < n; t++) {
        /* what a worker observed is cleaned later without parsing it again */
        if (w[t].cleaner)
            khi_cleaner_memo_adopt(p->cleaner, w[t].cleaner);
        kh_cleaner_free(w[t].cleaner);
        kh_ctx_free(w[t].ctx);
    }
    kh_free(p->ctx, pool->items, CLEAN_BATCH_PAGES * sizeof *pool->items);
}

/* Observes the pages waiting since p->obs_from: their line keys found on
 * the worker threads, the counts added here in input order, so the counts
 * are those of observing each page as it came. Called when a batch is full,
 * before a text record is cleaned at once (it reads the counts), and before
 * the pages are cleaned. */
static kh_status observe_pending(kh_pipeline *p)
{
    if (p->obs_pages == 0) {
        p->obs_from = p->n;
        return KH_OK;
    }
    unsigned n_threads = clean_threads(p);
    if (n_threads > p->obs_pages)
        n_threads = (unsigned)p->obs_pages;
    clean_worker w[CLEAN_MAX_THREADS];
    clean_pool pool;
    kh_status rc = workers_start(p, w, n_threads, &pool);
    pool.observe = 1;
    size_t i = p->obs_from;
    while (rc == KH_OK && i < p->n) {
        size_t k = 0;
        for (; rc == KH_OK && i < p->n && k < CLEAN_BATCH_PAGES; i++) {
            if (!(p->recs[i].flags & KHI_REC_PAGE))
                continue;
            clean_item *it = &pool.items[k++];
            memset(it, 0, sizeof *it);
            rc = load_page(p, &p->recs[i], &it->doc);
        }
        pool.n = rc == KH_OK ? k : 0;
        if (pool.n)
            clean_batch(w, n_threads, &pool);
        for (size_t j = 0; j < k; j++) {
            clean_item *it = &pool.items[j];
            if (rc == KH_OK && it->status == KH_E_NOMEM)
                rc = kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
            if (rc == KH_OK && it->counted)
                khi_cleaner_observe_add(p->cleaner, it->keys, it->n_keys, it->salt);
            kh_doc_free(it->doc);
        }
    }
    workers_stop(p, w, n_threads, &pool);
    p->obs_from = p->n;
    p->obs_pages = 0;
    p->obs_bytes = 0;
    return rc;
}

static kh_status clean_threaded(kh_pipeline *p, unsigned n_threads)
{
    clean_worker w[CLEAN_MAX_THREADS];
    clean_pool pool;
    kh_status rc = workers_start(p, w, n_threads, &pool);
    size_t kept = 0, i = 0;
    while (rc == KH_OK && i < p->n) {
        size_t k = 0;
        uint64_t bytes = 0;
        for (; rc == KH_OK && i < p->n && k < CLEAN_BATCH_PAGES && bytes < CLEAN_BATCH_BYTES;
             i++, k++) {
            clean_item *it = &pool.items[k];
            memset(it, 0, sizeof *it);
            it->rec = p->recs[i];
            if (it->rec.flags & KHI_REC_FOREIGN)
                continue; /* an item with no doc, not kept below */
            if (it->rec.flags & KHI_REC_PAGE) {
                rc = load_page(p, &it->rec, &it->doc);
                bytes += it->rec.len;
            }
        }
        pool.n = rc == KH_OK ? k : 0;
        if (pool.n)
            clean_batch(w, n_threads, &pool);
        for (size_t j = 0; j < k; j++) {
            clean_item *it = &pool.items[j];
            int keep = rc == KH_OK && !(it->rec.flags & KHI_REC_FOREIGN);
            if (keep && it->doc)
                keep = take_cleaned(p, &it->rec, it->doc, it->art, it->status, it->msg, &rc);
            kh_doc_free(it->doc);
            if (!keep)
                continue;
            /* positions among the articles kept; kept <= i, so the records
             * not yet read are not overwritten */
            it->rec.seq = (uint32_t)kept;
            if (!p->shard_count)
                it->rec.orig = it->rec.seq;
            p->recs[kept++] = it->rec;
        }
    }
    if (rc == KH_OK)
        p->n = kept;
    workers_stop(p, w, n_threads, &pool);
    return rc;
}

kh_status khi_pipeline_clean(kh_pipeline *p)
{
    kh_status rc = p->rc;
    if (rc == KH_OK)
        rc = observe_pending(p);
    if (rc == KH_OK) {
        size_t pages = 0;
        for (size_t i = 0; i < p->n && pages < 2; i++)
            pages += (p->recs[i].flags & KHI_REC_PAGE) != 0;
        unsigned n_threads = clean_threads(p);
        rc = pages > 1 && n_threads > 1 ? clean_threaded(p, n_threads) : clean_one_thread(p);
    }
    p->stats.articles = p->n;
    return rc == KH_OK ? KH_OK : fail(p, rc);
}

/* ---- dating and ordering --------------------------------------------------- */

kh_status khi_pipeline_tokenizer(kh_pipeline *p)
{
    if (!p->tok && kh_tokenizer_create(p->ctx, &p->tok) != KH_OK)
        return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    return KH_OK;
}

/* An undated article takes the time of the dated article it reports the
 * same event as (kh_story_date_by_content), so that where it stands in the
 * input does not decide its story; the only step that holds every text. */
static kh_status date_undated(kh_pipeline *p)
{
    size_t undated = 0;
    for (size_t i = 0; i < p->n; i++)
        undated += !(p->recs[i].flags & KHI_REC_DATED);
    if (undated == 0 || undated == p->n)
        return KH_OK; /* nothing to date, or no date to lend */
    KHI_FORWARD_IF_ERROR(khi_pipeline_tokenizer(p));
    kh_story_article *arts = kh_malloc(p->ctx, p->n * sizeof *arts);
    size_t *at = kh_malloc(p->ctx, p->n * sizeof *at);
    kh_buf all;
    kh_buf_init(&all, p->ctx, 0);
    kh_status rc = arts && at ? KH_OK : kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    if (rc == KH_OK)
        memset(arts, 0, p->n * sizeof *arts);
    for (size_t i = 0; rc == KH_OK && i < p->n; i++) {
        at[i] = all.len;
        rc = spool_read(p->ctx, &p->spool, p->recs[i].off, p->recs[i].len, &all);
    }
    for (size_t i = 0; rc == KH_OK && i < p->n; i++) {
        const khi_rec *r = &p->recs[i];
        khi_view v;
        if (!view_decode(r, all.data + at[i], &v)) {
            rc = kh_ctx_error(p->ctx, KH_E_IO, "temporary file: a record does not read back");
            break;
        }
        arts[i].id = v.id;
        arts[i].title = v.title;
        arts[i].title_len = v.title_len;
        arts[i].text_len = v.text_len;
        arts[i].text = v.text;
        arts[i].lang = v.lang;
        arts[i].dated = (r->flags & KHI_REC_DATED) != 0;
        arts[i].time = arts[i].dated ? r->key : 0;
    }
    if (rc == KH_OK) {
        rc = kh_story_date_by_content(p->ctx, p->tok, arts, p->n,
                                      KH_STORY_UNDATED_MIN_SIMILARITY, NULL);
        if (rc != KH_OK)
            rc = kh_ctx_error(p->ctx, rc, "%s", kh_strerror(rc));
    }
    for (size_t i = 0; rc == KH_OK && i < p->n; i++)
        if (arts[i].dated == KH_STORY_TIME_ESTIMATED) {
            p->recs[i].flags |= KHI_REC_ESTIMATED;
            p->recs[i].key = arts[i].time;
        }
    kh_buf_free(&all);
    kh_free(p->ctx, at, p->n * sizeof *at);
    kh_free(p->ctx, arts, p->n * sizeof *arts);
    return rc;
}

/* Story order: by key, then input order. */
static int cmp_rec(const void *a, const void *b)
{
    const khi_rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Gives every article its place in the stream and sorts rec[] by it. One
 * that has no time keeps its place after the dated one before it in the
 * input. */
static void order_by_time(kh_pipeline *p)
{
    int64_t prev = INT64_MIN; /* before every date */
    for (size_t i = 0; i < p->n; i++) {
        khi_rec *r = &p->recs[i];
        if (r->flags & (KHI_REC_DATED | KHI_REC_ESTIMATED))
            prev = r->key;
        r->key = prev;
    }
    if (p->n)
        qsort(p->recs, p->n, sizeof *p->recs, cmp_rec);
}

/* ---- open stories' members --------------------------------------------------- */

static khi_members *members_get(kh_pipeline *p, uint64_t id)
{
    if (id < p->base || id - p->base >= p->n_pend - p->head)
        return NULL;
    return &p->pend[p->head + (size_t)(id - p->base)];
}

/* Notes that the article at position pos, its provenance at prov,
 * joined story id. */
static kh_status members_add(kh_pipeline *p, uint64_t id, uint32_t pos, khi_prov prov)
{
    khi_members *m = members_get(p, id);
    if (!m) {
        if (id != p->base + (p->n_pend - p->head))
            return kh_ctx_error(p->ctx, KH_E_INTERNAL, "story %llu out of order",
                                (unsigned long long)id);
        if (p->head > 0 && p->head >= p->n_pend / 2) {
            memmove(p->pend, p->pend + p->head, (p->n_pend - p->head) * sizeof *p->pend);
            p->n_pend -= p->head;
            p->head = 0;
        }
        if (KHI_GROW(p->ctx, p->pend, p->n_pend, p->cap_pend, 256) != KH_OK)
            return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
        m = &p->pend[p->n_pend++];
        memset(m, 0, sizeof *m);
    }
    if (m->n == m->cap) {
        uint32_t cap = m->cap ? m->cap * 2 : 4;
        uint32_t *v = kh_malloc(p->ctx, cap * sizeof *v);
        khi_prov *w = kh_malloc(p->ctx, cap * sizeof *w);
        if (!v || !w) {
            kh_free(p->ctx, v, cap * sizeof *v);
            kh_free(p->ctx, w, cap * sizeof *w);
            return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
        }
        if (m->n) {
            memcpy(v, m->pos, m->n * sizeof *v);
            memcpy(w, m->prov, m->n * sizeof *w);
        }
        kh_free(p->ctx, m->pos, m->cap * sizeof *m->pos);
        kh_free(p->ctx, m->prov, m->cap * sizeof *m->prov);
        m->pos = v;
        m->prov = w;
        m->cap = cap;
    }
    m->prov[m->n] = prov;
    m->pos[m->n++] = pos;
    return KH_OK;
}

/* Releases closed stories from the front. */
static void members_release(kh_pipeline *p)
{
    while (p->head < p->n_pend && p->pend[p->head].closed) {
        members_clear(p, &p->pend[p->head]);
        p->head++;
        p->base++;
    }
}

/* ---- accounts ---------------------------------------------------------------- */

/* The account of the articles v[0..n): headline, summary, sources, names
 * and disagreements, from their bodies (cut in place into paragraphs). */
kh_status khi_pipeline_account(kh_pipeline *p, khi_view *v, const char *const *copy_of,
                               size_t n, const khi_texts_hook *hook, kh_account **out)
{
    *out = NULL;
    KHI_FORWARD_IF_ERROR(khi_pipeline_tokenizer(p));
    size_t lines = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < v[i].text_len; k++)
            lines += v[i].text[k] == '\n';
        lines++;
    }
    kh_account_article *arts = kh_malloc(p->ctx, (n ? n : 1) * sizeof *arts);
    const char **paras = kh_malloc(p->ctx, (lines + 1) * sizeof *paras);
    kh_status rc = arts && paras ? KH_OK : kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; rc == KH_OK && i < n; i++) {
        kh_account_article *a = &arts[i];
        memset(a, 0, sizeof *a);
        a->id = v[i].id;
        a->source = v[i].source;
        a->date = v[i].date;
        a->title = v[i].title && v[i].title[0] ? v[i].title : NULL;
        a->lang = v[i].lang;
        a->copy_of = copy_of ? copy_of[i] : NULL;
        a->body = paras + k;
        a->n_body = kh_pipeline_body_split(v[i].text, paras + k, lines - k);
        k += a->n_body;
    }
    /* one word table for every account of the run */
    if (rc == KH_OK && n && !p->account_words &&
        khi_account_words_create(p->ctx, &p->account_words) != KH_OK)
        rc = kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    if (rc == KH_OK && n) {
        rc = khi_account_build(p->ctx, p->tok, p->account_words, arts, n, NULL, hook, out);
    }
    kh_free(p->ctx, arts, (n ? n : 1) * sizeof *arts);
    kh_free(p->ctx, paras, (lines + 1) * sizeof *paras);
    return rc;
}

/* ---- stories ------------------------------------------------------------------- */

/* A why in the spool: flags (1 started, 2 copy), term count, nearest story,
 * score, cosine, time and event factors, then each term's text, kind and
 * share. Doubles travel as their bits. */
static void put_f64(kh_buf *b, double v, kh_status *rc)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put_u64(b, bits, rc);
}

static double get_f64(reader_pos *r)
{
    uint64_t bits = get_u64(r);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Spools why the article of record k went where it did. */
static kh_status spool_why(kh_pipeline *p, kh_storyer *st, size_t k)
{
    kh_story_why w;
    if (kh_story_why_last(st, &w) != KH_OK)
        return KH_OK;
    kh_status rc = KH_OK;
    kh_buf_clear(&p->why);
    put_u32(&p->why, (uint32_t)((w.started ? 1u : 0u) | (w.copy ? 2u : 0u)), &rc);
    put_u32(&p->why, (uint32_t)w.n_terms, &rc);
    put_u64(&p->why, w.nearest, &rc);
    put_f64(&p->why, w.score, &rc);
    put_f64(&p->why, w.cosine, &rc);
    put_f64(&p->why, w.time_factor, &rc);
    put_f64(&p->why, w.event_factor, &rc);
    for (size_t i = 0; i < w.n_terms; i++) {
        put_cstr(&p->why, w.terms[i].text, &rc);
        put_u32(&p->why, w.terms[i].kind, &rc);
        put_f64(&p->why, w.terms[i].share, &rc);
    }
    if (rc != KH_OK)
        return kh_ctx_error(p->ctx, rc, "out of memory");
    return side_put(p, &p->why_at, k, &p->why);
}

kh_status khi_pipeline_why(kh_pipeline *p, size_t k, kh_story_why *w)
{
    memset(w, 0, sizeof *w);
    uint32_t bytes;
    kh_buf_clear(&p->why);
    KHI_FORWARD_IF_ERROR(side_get(p, &p->why_at, k, &p->why, &bytes));
    if (!bytes)
        return KH_OK;
    reader_pos q = { p->why.data, p->why.data + bytes };
    uint32_t flags = get_u32(&q), n = get_u32(&q);
    w->started = (flags & 1u) != 0;
    w->copy = (flags & 2u) != 0;
    w->nearest = get_u64(&q);
    w->score = get_f64(&q);
    w->cosine = get_f64(&q);
    w->time_factor = get_f64(&q);
    w->event_factor = get_f64(&q);
    for (uint32_t i = 0; i < n && i < KH_STORY_WHY_TERMS && q.p; i++) {
        size_t len;
        const char *t = get_str(&q, &len);
        if (t && len < sizeof w->terms[i].text)
            memcpy(w->terms[i].text, t, len + 1);
        w->terms[i].kind = get_u32(&q);
        w->terms[i].share = get_f64(&q);
        w->n_terms = i + 1;
    }
    if (!q.p)
        return kh_ctx_error(p->ctx, KH_E_IO, "temporary file: a record does not read back");
    return KH_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The number of distinct strings among v[0..n), which it sorts. */
static size_t count_distinct(const char **v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_str);
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += i == 0 || strcmp(v[i - 1], v[i]) != 0;
    return d;
}

kh_status khi_story_sources(kh_ctx *ctx, const khi_view *v, const char *const *copy_of,
                            const char *const *wire, size_t n, size_t *independent,
                            const char **wire_out, size_t *wire_outlets)
{
    *independent = *wire_outlets = 0;
    *wire_out = NULL;
    size_t cap = n ? n : 1;
    const char **ids = kh_malloc(ctx, 2 * cap * sizeof *ids), **list = ids + cap;
    if (!ids)
        return kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        ids[i] = v[i].id;
    if (n > 1)
        qsort(ids, n, sizeof *ids, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if ((!copy_of[i] || !bsearch(&copy_of[i], ids, n, sizeof *ids, cmp_str)) &&
            v[i].source && *v[i].source)
            list[k++] = v[i].source;
    *independent = count_distinct(list, k);
    k = 0;
    for (size_t i = 0; i < n; i++)
        if (wire[i])
            list[k++] = wire[i];
    if (k > 1)
        qsort(list, k, sizeof *list, cmp_str);
    size_t best = 0;
    for (size_t i = 0, run = 0; i < k; i++) {
        run = i && !strcmp(list[i - 1], list[i]) ? run + 1 : 1;
        if (run > best) {
            best = run;
            *wire_out = list[i];
        }
    }
    k = 0;
    for (size_t i = 0; *wire_out && i < n; i++)
        if (wire[i] && !strcmp(wire[i], *wire_out) && v[i].source && *v[i].source)
            list[k++] = v[i].source;
    *wire_outlets = count_distinct(list, k);
    kh_free(ctx, ids, 2 * cap * sizeof *ids);
    return KH_OK;
}

/* Decodes a provenance record spooled by spool_prov() at data (len bytes). */
static int prov_decode(char *data, size_t len, kh_dedup_relation *rel, const char **copy_of,
                       const char **wire)
{
    reader_pos q = { data, data + len };
    size_t l;
    *rel = (kh_dedup_relation)get_u32(&q);
    *copy_of = get_str(&q, &l);
    *wire = get_str(&q, &l);
    return q.p != NULL;
}

kh_status khi_pipeline_prov(kh_pipeline *p, const khi_prov *at, kh_buf *buf,
                            kh_dedup_relation *rel, const char **copy_of, const char **wire)
{
    *rel = KH_DEDUP_NONE;
    *copy_of = *wire = NULL;
    kh_buf_clear(buf);
    if (!at->len)
        return KH_OK;
    KHI_FORWARD_IF_ERROR(spool_read(p->ctx, &p->spool, at->off, at->len, buf));
    if (!prov_decode(buf->data, buf->len, rel, copy_of, wire))
        return kh_ctx_error(p->ctx, KH_E_IO, "temporary file: a record does not read back");
    return KH_OK;
}

/* The provenance of a closing story's n articles (spooled at prov[i], read
 * back into v[i]) into s, pointing into p->prov and into copy_of[] and
 * rel[] (n each): what find_provenance() spooled per article, and for the
 * story its sources (khi_story_sources()). */
static kh_status story_provenance(kh_pipeline *p, const khi_prov *prov, const khi_view *v,
                                  size_t n, const char **copy_of, kh_dedup_relation *rel,
                                  kh_pipeline_story *s)
{
    size_t cap = n ? n : 1;
    size_t *at = kh_malloc(p->ctx, cap * sizeof *at); /* where each is in p->prov */
    const char **wire = kh_malloc(p->ctx, cap * sizeof *wire);
    if (!at || !wire) {
        kh_free(p->ctx, at, at ? cap * sizeof *at : 0);
        kh_free(p->ctx, wire, wire ? cap * sizeof *wire : 0);
        return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    }
    kh_status rc = KH_OK;
    kh_buf_clear(&p->prov);
    for (size_t i = 0; rc == KH_OK && i < n; i++) {
        at[i] = p->prov.len;
        if (prov[i].len)
            rc = spool_read(p->ctx, &p->spool, prov[i].off, prov[i].len, &p->prov);
    }
    for (size_t i = 0; rc == KH_OK && i < n; i++) {
        copy_of[i] = wire[i] = NULL;
        rel[i] = KH_DEDUP_NONE;
        if (prov[i].len &&
            !prov_decode(p->prov.data + at[i], prov[i].len, &rel[i], &copy_of[i], &wire[i]))
            rc = kh_ctx_error(p->ctx, KH_E_IO, "temporary file: a record does not read back");
    }
    if (rc == KH_OK)
        rc = khi_story_sources(p->ctx, v, copy_of, wire, n, &s->independent_sources, &s->wire,
                               &s->wire_outlets);
    if (rc == KH_OK) {
        s->copy_of = copy_of;
        s->relation = rel;
    }
    kh_free(p->ctx, at, cap * sizeof *at);
    kh_free(p->ctx, wire, cap * sizeof *wire);
    return rc;
}

/* The thread's CPU time in seconds, for the stage timings. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* An article's language and place in the stream, for link_near(). */
typedef struct khi_lang_time {
    uint32_t lang;
    int64_t time;
} khi_lang_time;

static int cmp_lang_time(const void *a, const void *b)
{
    const khi_lang_time *x = a, *y = b;
    if (x->lang != y->lang)
        return x->lang < y->lang ? -1 : 1;
    return x->time < y->time ? -1 : x->time > y->time;
}

/* Every article's (language, time), sorted, once the records are in time
 * order. */
static kh_status link_times(kh_pipeline *p)
{
    kh_buf_clear(&p->lang_times);
    KHI_FORWARD_IF_ERROR(kh_buf_reserve(&p->lang_times, (p->n ? p->n : 1) *
                                                            sizeof(khi_lang_time)));
    khi_lang_time *lt = (khi_lang_time *)p->lang_times.data;
    for (size_t i = 0; i < p->n; i++) {
        lt[i].lang = p->recs[i].lang;
        lt[i].time = p->recs[i].key;
    }
    p->lang_times.len = p->n * sizeof *lt;
    if (p->n)
        qsort(lt, p->n, sizeof *lt, cmp_lang_time);
    return KH_OK;
}

/* How many articles lie before time t: of any language (recs, in time
 * order), or of lang (lang_times). */
static size_t recs_before(const kh_pipeline *p, int64_t t)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->recs[mid].key < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t lang_before(const kh_pipeline *p, uint32_t lang, int64_t t)
{
    const khi_lang_time *lt = (const khi_lang_time *)p->lang_times.data;
    size_t lo = 0, hi = p->lang_times.len / sizeof *lt;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (lt[mid].lang < lang || (lt[mid].lang == lang && lt[mid].time < t))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether an article of another language lies within the link window of a
 * dated story: a story with none can link to nothing, and its lead need
 * not be read (in a corpus of one language, linking then costs nothing). */
static int link_near(const kh_pipeline *p, const kh_story_info *info)
{
    if (!info->dated)
        return 1;
    kh_link_options lo;
    kh_link_options_init(&lo);
    int64_t a = info->first > INT64_MIN + lo.window ? info->first - lo.window : INT64_MIN;
    int64_t b = info->last < INT64_MAX - lo.window - 1 ? info->last + lo.window + 1 : INT64_MAX;
    size_t all = recs_before(p, b) - recs_before(p, a);
    size_t same = lang_before(p, info->lang, b) - lang_before(p, info->lang, a);
    return all > same;
}

/* Gives a closed story to the linker when the account's hook did not: with
 * its articles' titles and bodies in the order they joined (near: an
 * article of another language lies within the window; else without its
 * lead), and the account's headline. */
static kh_status link_add(kh_pipeline *p, const kh_story_info *info, const khi_view *v, size_t n,
                          const kh_account *acc, int near)
{
    double t0 = cpu_seconds();
    /* the account has cut the bodies into paragraphs (NULs): lengths */
    const char *texts[16];
    size_t lens[16], nt = 0;
    for (size_t i = 0; i < n && nt + 2 <= sizeof texts / sizeof texts[0]; i++) {
        texts[nt] = v[i].title ? v[i].title : "";
        lens[nt] = v[i].title ? v[i].title_len : 0;
        nt++;
        texts[nt] = v[i].text ? v[i].text : "";
        lens[nt] = v[i].text ? v[i].text_len : 0;
        nt++;
    }
    kh_link_story ls;
    memset(&ls, 0, sizeof ls);
    ls.id = info->id;
    ls.lang = info->lang;
    ls.dated = info->dated;
    ls.first = info->first;
    ls.last = info->last;
    ls.n_articles = n;
    ls.headline = acc && acc->headline ? acc->headline : n ? v[0].title : NULL;
    ls.texts = texts;
    ls.text_lens = lens;
    ls.n_texts = near ? nt : 0;
    kh_status rc = kh_link_add(p->linker, &ls);
    p->stats.link_seconds += cpu_seconds() - t0;
    return rc;
}

/* What the account's hook needs to give a story's words to the linker. */
typedef struct link_hook {
    kh_pipeline *p;
    const kh_story_info *info;
    size_t n;
    const char *title; /* the headline when the account has none */
    int added;
} link_hook;

/* The account's hook: the story's lead read from the words the account
 * split, which it would otherwise be split again for. */
static kh_status link_texts(void *user, const struct khi_article_texts *texts, size_t n_articles,
                            const char *headline)
{
    link_hook *h = user;
    double t0 = cpu_seconds();
    kh_link_story ls;
    memset(&ls, 0, sizeof ls);
    ls.id = h->info->id;
    ls.lang = h->info->lang;
    ls.dated = h->info->dated;
    ls.first = h->info->first;
    ls.last = h->info->last;
    ls.n_articles = h->n;
    ls.headline = headline ? headline : h->title;
    kh_status rc = khi_link_add_texts(h->p->linker, &ls, texts, n_articles);
    h->added = rc == KH_OK;
    h->p->stats.link_seconds += cpu_seconds() - t0;
    return rc;
}

/* The story's articles read back, its account built, on_story called. */
static kh_status story_finished(kh_pipeline *p, const kh_storyer *st, uint64_t id,
                                const khi_members *m)
{
    kh_story_info info;
    KHI_FORWARD_IF_ERROR(kh_story_get(st, id, &info));
    if (p->on_members) {
        uint32_t *seqs = kh_malloc(p->ctx, (m->n ? m->n : 1) * sizeof *seqs * 2);
        if (!seqs)
            return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
        for (uint32_t i = 0; i < m->n; i++) {
            seqs[i] = p->recs[m->pos[i]].seq;
            seqs[m->n + i] = p->recs[m->pos[i]].orig;
        }
        int stop = p->on_members(p->on_members_user, &info, seqs, seqs + m->n, m->pos,
                                 m->prov, m->n);
        kh_free(p->ctx, seqs, (m->n ? m->n : 1) * sizeof *seqs * 2);
        return stop ? KH_E_STOPPED : KH_OK;
    }
    size_t *at = kh_malloc(p->ctx, (m->n ? m->n : 1) * sizeof *at);
    khi_view *v = kh_malloc(p->ctx, (m->n ? m->n : 1) * sizeof *v);
    const char **ids = kh_malloc(p->ctx, (m->n ? m->n : 1) * sizeof *ids);
    const char **copy_of = kh_malloc(p->ctx, (m->n ? m->n : 1) * sizeof *copy_of);
    kh_dedup_relation *rel = kh_malloc(p->ctx, (m->n ? m->n : 1) * sizeof *rel);
    kh_status rc = at && v && ids && copy_of && rel
                       ? KH_OK
                       : kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    kh_buf_clear(&p->load);
    for (uint32_t i = 0; rc == KH_OK && i < m->n; i++) {
        at[i] = p->load.len;
        const khi_rec *r = &p->recs[m->pos[i]];
        rc = spool_read(p->ctx, &p->spool, r->off, r->len, &p->load);
    }
    for (uint32_t i = 0; rc == KH_OK && i < m->n; i++) {
        if (!view_decode(&p->recs[m->pos[i]], p->load.data + at[i], &v[i]) || !v[i].title)
            rc = kh_ctx_error(p->ctx, KH_E_IO, "temporary file: a record does not read back");
        ids[i] = v[i].id;
    }
    kh_story_why *why = NULL;
    if (rc == KH_OK && p->opt.story.explain) {
        why = kh_malloc(p->ctx, (m->n ? m->n : 1) * sizeof *why);
        if (!why)
            rc = kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
        for (uint32_t i = 0; rc == KH_OK && i < m->n; i++)
            rc = khi_pipeline_why(p, m->pos[i], &why[i]);
    }
    kh_pipeline_story s;
    memset(&s, 0, sizeof s);
    if (rc == KH_OK)
        rc = story_provenance(p, m->prov, v, m->n, copy_of, rel, &s);
    kh_account *acc = NULL;
    /* a story near another language's articles gives the linker its lead
     * from the account's words */
    link_hook lh = { p, &info, m->n, m->n ? v[0].title : NULL, 0 };
    khi_texts_hook hook = { link_texts, &lh };
    int near = rc == KH_OK && p->linker && link_near(p, &info);
    if (rc == KH_OK && !(p->opt.flags & KH_PIPELINE_NO_ACCOUNTS))
        rc = khi_pipeline_account(p, v, NULL, m->n, near ? &hook : NULL, &acc);
    if (rc != KH_OK && rc != KH_E_NOMEM) {
        char prefix[48];
        snprintf(prefix, sizeof prefix, "story %llu: ", (unsigned long long)id);
        rc = rewrap(p, rc, prefix);
    }
    if (rc == KH_OK && p->linker && !lh.added)
        rc = link_add(p, &info, v, m->n, acc, near);
    if (rc == KH_OK && p->opt.on_story) {
        s.id = id;
        s.lang = info.lang;
        s.dated = info.dated;
        s.first = info.first;
        s.last = info.last;
        s.n_articles = m->n;
        s.ids = ids;
        s.why = why;
        s.account = acc;
        if (p->opt.on_story(p->opt.on_story_user, &s))
            rc = KH_E_STOPPED;
    }
    kh_free(p->ctx, why, why ? (m->n ? m->n : 1) * sizeof *why : 0);
    kh_account_free(acc);
    kh_free(p->ctx, at, (m->n ? m->n : 1) * sizeof *at);
    kh_free(p->ctx, v, (m->n ? m->n : 1) * sizeof *v);
    kh_free(p->ctx, ids, (m->n ? m->n : 1) * sizeof *ids);
    kh_free(p->ctx, copy_of, (m->n ? m->n : 1) * sizeof *copy_of);
    kh_free(p->ctx, rel, (m->n ? m->n : 1) * sizeof *rel);
    return rc;
}

/* The storyer's on_close: the story is complete. */
static void story_closed(void *user, const kh_storyer *st, uint64_t id)
{
    kh_pipeline *p = user;
    khi_members *m = members_get(p, id);
    if (p->rc != KH_OK || !m)
        return;
    kh_status rc = story_finished(p, st, id, m);
    if (rc != KH_OK)
        fail(p, rc);
    m->closed = 1;
    members_clear(p, m);
    p->stats.stories++;
    members_release(p);
}

/* Spools what the copies step found of an article: how it copies copy_of
 * (its id, or NULL), and the wire of its copy group (or NULL); *at
 * receives where. */
static kh_status spool_prov(kh_pipeline *p, khi_prov *at, kh_dedup_relation rel,
                            const char *copy_of, const char *wire)
{
    kh_status rc = KH_OK;
    kh_buf_clear(&p->prov);
    put_u32(&p->prov, (uint32_t)rel, &rc);
    put_cstr(&p->prov, copy_of, &rc);
    put_cstr(&p->prov, wire, &rc);
    if (rc != KH_OK)
        return kh_ctx_error(p->ctx, rc, "out of memory");
    if (p->prov.len >= UINT32_MAX)
        return kh_ctx_error(p->ctx, KH_E_TOOBIG, "a record over 4 GiB");
    at->len = (uint32_t)p->prov.len;
    return spool_append(p->ctx, &p->spool, p->prov.data, p->prov.len, &at->off);
}

/* The provenance of recs[mid, to) from the run dd over recs[from, to)
 * (run[i] names the record of document i), spooled, prov[k - mid] where:
 * for a copy, the document it was verified to copy and how; for a member
 * of a copy group, the group's wire. Empty bodies are no copies, as the
 * storyer takes them. */
static kh_status find_provenance(kh_pipeline *p, const kh_deduper *dd, const uint64_t *run,
                                 size_t from, size_t mid, size_t m, khi_prov *prov)
{
    uint8_t *grouped = kh_malloc(p->ctx, m);
    if (!grouped)
        return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    memset(grouped, 0, m);
    for (size_t i = 0; i < m; i++) {
        size_t g = kh_dedup_group(dd, i);
        if (g != i && g < m && kh_dedup_relation_of(dd, i) != KH_DEDUP_NO_BODY)
            grouped[i] = grouped[g] = 1;
    }
    kh_status rc = KH_OK;
    for (size_t i = 0; rc == KH_OK && i < m; i++) {
        size_t k = from + (uint32_t)run[i];
        if (k < mid || !grouped[i])
            continue;
        kh_dedup_relation rel = kh_dedup_relation_of(dd, i);
        size_t c = kh_dedup_copy_of(dd, i);
        int copy = c != i && c < m && rel != KH_DEDUP_NONE && rel != KH_DEDUP_NO_BODY;
        rc = spool_prov(p, &prov[k - mid], copy ? rel : KH_DEDUP_NONE,
                        copy ? kh_dedup_id(dd, c) : NULL, kh_dedup_wire(dd, i));
    }
    kh_free(p->ctx, grouped, m);
    return rc;
}

/* Finds the copies among recs[from, to) (the articles before this block
 * whose story may still be open, and the block) and sets, for each article
 * of recs[mid, to), orig to the seq of its original (its own when none);
 * with copy, also copy[k - mid] to the id of that original, and spools
 * each one's provenance, prov[k - mid] where (find_provenance()). */
static kh_status find_copies(kh_pipeline *p, size_t from, size_t mid, size_t to,
                             kh_deduper **out, const char **copy, khi_prov *prov)
{
    *out = NULL;
    size_t m = to - from;
    if (copy)
        for (size_t k = mid; k < to; k++) {
            copy[k - mid] = NULL;
            prov[k - mid].off = 0;
            prov[k - mid].len = 0;
        }
    if (m < 2)
        return KH_OK;
    uint64_t *run = kh_malloc(p->ctx, m * sizeof *run);
    if (!run)
        return kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    for (size_t k = from; k < to; k++)
        run[k - from] = (uint64_t)p->recs[k].seq << 32 | (uint64_t)(k - from);
    /* in input order, as one run over the whole batch would take them:
     * ties between copies of one date go to the earlier in the input */
    qsort(run, m, sizeof *run, khi_cmp_u64);
    kh_deduper *dd = NULL;
    kh_status rc = kh_dedup_create(p->ctx, &p->opt.dedup, &dd);
    for (size_t i = 0; rc == KH_OK && i < m; i++) {
        const khi_rec *r = &p->recs[from + (uint32_t)run[i]];
        khi_view v;
        rc = khi_pipeline_load(p, r, &p->rd, &v);
        if (rc == KH_OK)
            rc = kh_dedup_add_from(dd, v.id, (r->flags & KHI_REC_DATED) ? v.date : NULL,
                                   v.source, v.credit, v.text, v.text_len);
    }
    if (rc == KH_OK)
        rc = kh_dedup_run(dd);
    for (size_t i = 0; rc == KH_OK && i < m; i++) {
        size_t k = from + (uint32_t)run[i];
        size_t rep = kh_dedup_group(dd, i);
        if (k >= mid && rep != i && rep < m) {
            p->recs[k].orig = p->recs[from + (uint32_t)run[rep]].seq;
            if (copy)
                copy[k - mid] = kh_dedup_id(dd, rep);
        }
    }
    if (rc == KH_OK && copy)
        rc = find_provenance(p, dd, run, from, mid, m, prov);
    kh_free(p->ctx, run, m * sizeof *run);
    *out = dd;
    return rc;
}

/* Where the block that starts at b0 ends: past DEDUP_BLOCK articles and
 * more than span after its first article's time. */
static size_t block_end(const kh_pipeline *p, size_t b0, int64_t span)
{
    if (span <= 0 || p->n - b0 <= DEDUP_BLOCK)
        return p->n;
    size_t b1 = b0 + DEDUP_BLOCK;
    int64_t k0 = p->recs[b0].key;
    int64_t limit = k0 > INT64_MAX - span ? INT64_MAX : k0 + span;
    while (b1 < p->n && p->recs[b1].key <= limit)
        b1++;
    return b1;
}

/* The story stage's view of a spooled article: id, language, title, body;
 * undated and no copy until the caller says otherwise. */
static void story_article_of(const khi_view *v, kh_story_article *a)
{
    memset(a, 0, sizeof *a);
    a->id = v->id;
    a->lang = v->lang;
    a->title = v->title;
    a->title_len = v->title_len;
    a->text = v->text;
    a->text_len = v->text_len;
}

static kh_status add_article(kh_pipeline *p, kh_storyer *st, size_t k, const char *copy_of,
                             khi_prov prov)
{
    const khi_rec *r = &p->recs[k];
    khi_view v;
    KHI_FORWARD_IF_ERROR(khi_pipeline_load(p, r, &p->rd, &v));
    kh_story_article a;
    story_article_of(&v, &a);
    a.dated = (r->flags & KHI_REC_DATED)       ? 1
              : (r->flags & KHI_REC_ESTIMATED) ? KH_STORY_TIME_ESTIMATED
                                               : 0;
    a.time = a.dated ? r->key : 0;
    /* empty bodies are all "copies" of each other: not a story */
    a.copy_of = v.text_len > 0 ? copy_of : NULL;
    uint64_t id = 0;
    kh_status rc = kh_story_add(st, &a, &id);
    if (p->rc != KH_OK)
        return p->rc;
    if (rc != KH_OK)
        return kh_ctx_error(p->ctx, rc, "%s: %s", a.id, kh_strerror(rc));
    if (p->opt.story.explain)
        KHI_FORWARD_IF_ERROR(spool_why(p, st, k));
    return members_add(p, id, (uint32_t)k, prov);
}

/* Batches of at least this many articles are counted for idf before they
 * are grouped: four times the storyer's 64 pseudo-documents of prior. */
#define OBSERVE_MIN 256

/* Copies found block by block, then every article to the storyer in time
 * order; stories are finished as they close. */
static kh_status group(kh_pipeline *p)
{
    kh_story_options opt = p->opt.story;
    opt.keep_closed = 0;
    opt.on_close = story_closed;
    opt.on_close_user = p;
    kh_storyer *st = NULL;
    kh_status rc = kh_storyer_create(p->ctx, &opt, &st);
    if (rc != KH_OK)
        return rc;
    /* A large batch is counted in the document frequencies first: each
     * article is then scored with the batch's idf, not with that of the
     * articles before it, so the input's order moves fewer stories
     * (SemEval, ten shuffles: Arabic F1 0.676..0.778 -> 0.735..0.778) for
     * one more tokenizing pass (SaudiNewsNet: 6% more CPU). A small batch
     * is not: there one event's words are a large part of every df (the
     * five seed reports would score their shared words as common and fall
     * apart), and the online df, which counts only the articles before,
     * serves better. */
    for (size_t k = 0; rc == KH_OK && p->n >= OBSERVE_MIN && k < p->n; k++) {
        khi_view v;
        rc = khi_pipeline_load(p, &p->recs[k], &p->rd, &v);
        if (rc != KH_OK)
            break;
        kh_story_article a;
        story_article_of(&v, &a);
        rc = kh_story_observe(st, &a);
    }
    size_t from = 0;
    const char **copy = NULL; /* per article of the block: its original's id */
    khi_prov *prov = NULL;    /* and where its provenance was spooled */
    size_t copy_n = 0;
    for (size_t b0 = 0; rc == KH_OK && b0 < p->n;) {
        size_t b1 = block_end(p, b0, opt.max_span);
        /* the articles up to max_span before the block: where the original
         * of a copy in it may be, with its story still open */
        int64_t k0 = p->recs[b0].key;
        int64_t lower = k0 < INT64_MIN + opt.max_span ? INT64_MIN : k0 - opt.max_span;
        while (from < b0 && p->recs[from].key < lower)
            from++;
        if (b1 - b0 > copy_n) {
            size_t n = b1 - b0;
            const char **c = kh_malloc(p->ctx, n * sizeof *c);
            khi_prov *w = kh_malloc(p->ctx, n * sizeof *w);
            if (!c || !w) {
                kh_free(p->ctx, c, n * sizeof *c);
                kh_free(p->ctx, w, n * sizeof *w);
                rc = kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
                break;
            }
            kh_free(p->ctx, copy, copy_n * sizeof *copy);
            kh_free(p->ctx, prov, copy_n * sizeof *prov);
            copy = c;
            prov = w;
            copy_n = n;
        }
        kh_deduper *dd = NULL;
        rc = find_copies(p, from, b0, b1, &dd, copy, prov);
        for (size_t k = b0; rc == KH_OK && k < b1; k++) {
            rc = add_article(p, st, k, copy[k - b0], prov[k - b0]);
            if (rc == KH_OK)
                rc = p->rc;
        }
        kh_dedup_free(dd);
        b0 = b1;
    }
    kh_free(p->ctx, copy, copy_n * sizeof *copy);
    kh_free(p->ctx, prov, copy_n * sizeof *prov);
    if (rc == KH_OK)
        kh_story_flush(st);
    kh_storyer_free(st);
    if (rc == KH_OK)
        rc = p->rc;
    if (rc == KH_OK && p->head != p->n_pend)
        rc = kh_ctx_error(p->ctx, KH_E_INTERNAL, "a story was never closed");
    return rc;
}

kh_status khi_pipeline_stories(kh_pipeline *p)
{
    double t0 = cpu_seconds();
    kh_status rc = KH_OK;
    /* the incremental chain (on_members) files stories; links are the
     * batch end's */
    if ((p->opt.flags & KH_PIPELINE_LINK) && !p->on_members && !p->linker) {
        kh_link_options lo;
        kh_link_options_init(&lo);
        lo.lexicon = p->opt.lexicon;
        rc = kh_linker_create(p->ctx, &lo, &p->linker);
    }
    if (rc == KH_OK)
        rc = date_undated(p);
    if (rc == KH_OK)
        order_by_time(p);
    if (rc == KH_OK && p->linker) {
        double t1 = cpu_seconds();
        rc = link_times(p);
        p->stats.link_seconds += cpu_seconds() - t1;
    }
    if (rc == KH_OK)
        rc = group(p);
    if (rc == KH_OK && p->linker) {
        double t1 = cpu_seconds();
        rc = kh_link_run(p->linker);
        p->linked = rc == KH_OK;
        for (uint64_t id = 1; rc == KH_OK && id <= p->stats.stories; id++) {
            kh_link_info info;
            if (kh_link_get(p->linker, id, &info) == KH_OK && info.set)
                p->stats.linked++;
        }
        p->stats.link_seconds += cpu_seconds() - t1;
    }
    p->stats.story_seconds += cpu_seconds() - t0;
    return rc == KH_OK ? KH_OK : fail(p, rc);
}

const kh_linker *kh_pipeline_linker(const kh_pipeline *p)
{
    return p && p->linked ? p->linker : NULL;
}

/* Marks the end as run; KH_E_ARG when one already ran. */
/* Starts an end; shard says it is the shard end, the only one a shard
 * may run (SHARDS: a shard holds a share of the articles, and any other end
 * would report on that share as if it were the run). */
static kh_status start_end_as(kh_pipeline *p, int shard)
{
    if (!p)
        return KH_E_ARG;
    if (p->ended)
        return kh_ctx_error(p->ctx, KH_E_ARG, "pipeline: an end already ran");
    if (!shard && p->shard_count)
        return kh_ctx_error(p->ctx, KH_E_ARG, "pipeline: a shard ends only in a shard file");
    p->ended = 1;
    return p->rc;
}

static kh_status start_end(kh_pipeline *p)
{
    return start_end_as(p, 0);
}

kh_status kh_pipeline_run(kh_pipeline *p)
{
    KHI_FORWARD_IF_ERROR(start_end(p));
    KHI_FORWARD_IF_ERROR(khi_pipeline_clean(p));
    return khi_pipeline_stories(p);
}

kh_status kh_pipeline_account(kh_pipeline *p, kh_account **out, size_t *n_articles)
{
    *out = NULL;
    if (n_articles)
        *n_articles = 0;
    KHI_FORWARD_IF_ERROR(start_end(p));
    KHI_FORWARD_IF_ERROR(khi_pipeline_clean(p));
    if (p->n == 0)
        return kh_ctx_error(p->ctx, KH_E_EMPTY, "no article found");
    size_t n = p->n;
    kh_deduper *dd = NULL;
    kh_status rc = n > 1 ? find_copies(p, 0, 0, n, &dd, NULL, NULL) : KH_OK;
    size_t *at = kh_malloc(p->ctx, n * sizeof *at);
    khi_view *v = kh_malloc(p->ctx, n * sizeof *v);
    const char **copy_of = kh_malloc(p->ctx, n * sizeof *copy_of);
    if (rc == KH_OK && (!at || !v || !copy_of))
        rc = kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory");
    kh_buf_clear(&p->load);
    for (size_t i = 0; rc == KH_OK && i < n; i++) {
        at[i] = p->load.len;
        rc = spool_read(p->ctx, &p->spool, p->recs[i].off, p->recs[i].len, &p->load);
    }
    for (size_t i = 0; rc == KH_OK && i < n; i++)
        if (!view_decode(&p->recs[i], p->load.data + at[i], &v[i]))
            rc = kh_ctx_error(p->ctx, KH_E_IO, "temporary file: a record does not read back");
    for (size_t i = 0; rc == KH_OK && i < n; i++)
        copy_of[i] = p->recs[i].orig != p->recs[i].seq ? v[p->recs[i].orig].id : NULL;
    if (rc == KH_OK)
        rc = khi_pipeline_account(p, v, copy_of, n, NULL, out);
    if (rc == KH_OK && n_articles)
        *n_articles = n;
    kh_dedup_free(dd);
    kh_free(p->ctx, at, n * sizeof *at);
    kh_free(p->ctx, v, n * sizeof *v);
    kh_free(p->ctx, copy_of, n * sizeof *copy_of);
    return rc == KH_OK ? KH_OK : fail(p, rc);
}

kh_status kh_pipeline_dedup(kh_pipeline *p, kh_deduper **out)
{
    *out = NULL;
    KHI_FORWARD_IF_ERROR(start_end(p));
    KHI_FORWARD_IF_ERROR(khi_pipeline_clean(p));
    kh_deduper *dd = NULL;
    kh_status rc = kh_dedup_create(p->ctx, &p->opt.dedup, &dd);
    for (size_t i = 0; rc == KH_OK && i < p->n; i++) {
        khi_view v;
        rc = khi_pipeline_load(p, &p->recs[i], &p->rd, &v);
        if (rc == KH_OK)
            rc = kh_dedup_add_from(dd, v.id, v.date, v.source, v.credit, v.text, v.text_len);
    }
    if (rc == KH_OK)
        rc = kh_dedup_run(dd);
    if (rc != KH_OK) {
        kh_dedup_free(dd);
        return fail(p, rc);
    }
    *out = dd;
    return KH_OK;
}

kh_status kh_pipeline_shard(kh_pipeline *p, unsigned index, unsigned count)
{
    if (!p)
        return KH_E_ARG;
    if (count == 0 || count > 65536 || index >= count)
        return kh_ctx_error(p->ctx, KH_E_ARG, "shard %u of %u: not a shard of the run", index,
                            count);
    if (p->stats.docs || p->ended)
        return kh_ctx_error(p->ctx, KH_E_ARG, "pipeline: made a shard after a document");
    p->shard_index = index;
    p->shard_count = count;
    return KH_OK;
}

kh_status kh_pipeline_dedup_shard(kh_pipeline *p, const char *dir, kh_buf *out)
{
    if (p && !p->shard_count)
        return kh_ctx_error(p->ctx, KH_E_ARG, "pipeline: a shard end on a run that is no shard");
    if (p && !out && !dir)
        return kh_ctx_error(p->ctx, KH_E_ARG, "pipeline: a shard end with nowhere to write");
    KHI_FORWARD_IF_ERROR(start_end_as(p, 1));
    KHI_FORWARD_IF_ERROR(khi_pipeline_clean(p));
    kh_deduper *dd = NULL;
    uint32_t *positions = p->n ? kh_malloc(p->ctx, p->n * sizeof *positions) : NULL;
    kh_status rc = p->n && !positions ? kh_ctx_error(p->ctx, KH_E_NOMEM, "out of memory") : KH_OK;
    if (rc == KH_OK)
        rc = kh_dedup_create(p->ctx, &p->opt.dedup, &dd);
    for (size_t i = 0; rc == KH_OK && i < p->n; i++) {
        khi_view v;
        rc = khi_pipeline_load(p, &p->recs[i], &p->rd, &v);
        if (rc == KH_OK)
            rc = kh_dedup_add_from(dd, v.id, v.date, v.source, v.credit, v.text, v.text_len);
        positions[i] = p->recs[i].orig; /* SHARDS */
    }
    if (rc == KH_OK && out)
        rc = khi_dedup_shard_encode(p->ctx, dd, positions, p->shard_index, p->shard_count,
                                    p->stats.docs, out);
    else if (rc == KH_OK)
        rc = khi_dedup_shard_write(p->ctx, dd, positions, p->shard_index, p->shard_count,
                                   p->stats.docs, dir);
    kh_dedup_free(dd);
    kh_free(p->ctx, positions, p->n * sizeof *positions);
    return rc == KH_OK ? KH_OK : fail(p, rc);
}
