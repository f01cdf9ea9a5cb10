/*
 * cmd_stories.c — `khabar stories`: reads articles, puts them in time order
 * and groups the ones that report the same event, one JSON line (or a
 * Markdown section) per story, printed as each story closes; with --db,
 * prints the stories a store holds (as khabar ingest filed them) in the
 * same shape.
 */
#include "cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

static const char help_text[] =
    "Reads every input, orders the articles by date and groups them online\n"
    "into stories (articles reporting the same event), then prints one record\n"
    "per story, in order of creation:\n"
    "  {\"story\": 1, \"articles\": [\"id\", ...], \"first\": \"date\", \"last\": \"date\"}\n"
    "first/last are the earliest and latest of its articles' own dates, in the\n"
    "cleaner's shape (2016-10-25, 2016-10-25T14:30; no zone is claimed; times\n"
    "given with an offset are moved to UTC); null when none has a date.\n"
    "\n"
    "Pages and HTML are cleaned first (title, date, body), as by khabar clean;\n"
    "copies (exact or near, as found by kh_dedup) join their original's story.\n"
    "Articles are compared by TF-IDF cosine (stemmed terms, title and names\n"
    "weighted up) with the stories of their own language that are still open;\n"
    "a story closes when no article joined it for a window. An undated article\n"
    "is placed at the time of the dated article it most resembles, else of the\n"
    "dated article before it in the input; that estimate is not reported as\n"
    "its date.\n"
    "\n"
    "Stories are printed as they close, so memory follows the open stories,\n"
    "not the length of the input: each article waits in a temporary file (in\n"
    "$TMPDIR, else /tmp; removed at exit) with 32 bytes of it in memory.\n"
    "Undated articles among dated ones are the exception: dating them reads\n"
    "every article's text at once.\n"
    "\n"
    "With --db FILE no PATH is read: the stories of the store that khabar\n"
    "ingest filled are printed instead, in story-id order (stable from run to\n"
    "run, so scripts can rely on it), each with its articles in date order and\n"
    "its stored account, in the same record shape (or Markdown) as above.\n"
    "The store is opened read-only; a missing file is an error.\n"
    "\n"
    "A bad record is reported on stderr and skipped. A summary on stderr (a\n"
    "terminal, --stats, or when records were skipped) counts them:\n"
    "records read = articles + skipped with errors, and the stories.\n"
    "With no PATH, a piped standard input is read.\n"
    "\n"
    "Options (before or after the paths; -- ends them):\n"
    "  --db FILE       print the stories stored in FILE instead of reading PATHs\n"
    "  --window W      how long a story stays open without a new article:\n"
    "                  72h (default), 3d, 90m, or seconds\n"
    "  --threshold X   score an article needs to join a story, 0..1 (0.35)\n"
    "  --format F      jsonl (default) or md\n"
    "  --stats         print the summary on stderr even when it is not a terminal\n"
    "  --strict        stop at the first bad record and exit 1\n"
    "  -h, --help      show this help\n";

/* Parses "72h", "3d", "90m", "45s" or plain seconds. */
static int parse_window(const char *s, int64_t *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v > 0))
        return -1;
    double unit = 1;
    if (*end == 'h')
        unit = 3600, end++;
    else if (*end == 'd')
        unit = 86400, end++;
    else if (*end == 'm')
        unit = 60, end++;
    else if (*end == 's')
        end++;
    if (*end || v * unit > 1e12 || v * unit < 1)
        return -1;
    *out = (int64_t)(v * unit);
    return 0;
}

/* A time in the shape the cleaner gives article dates (kh_date): the day
 * alone at midnight, minutes, seconds only when there are some. No zone
 * is claimed: most pages give a local time without one; times that came
 * with an offset have been moved to UTC. */
static void format_time(int64_t t, char *out, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (t % 86400 == 0)
        strftime(out, size, "%Y-%m-%d", &tm);
    else if (t % 60 == 0)
        strftime(out, size, "%Y-%m-%dT%H:%M", &tm);
    else
        strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* One story's record: info from the storyer, ids[0..info->n_articles) its
 * articles in the order they joined. */
static kh_status print_story(kh_buf *out, const kh_story_info *story, const char *const *ids,
                             int md, const kh_account *acc)
{
    kh_story_info info = *story;
    uint64_t id = info.id;
    kh_status w;
    char first[32] = "", last[32] = "";
    if (info.dated) {
        format_time(info.first, first, sizeof first);
        format_time(info.last, last, sizeof last);
    }
    if (md) {
        w = kh_buf_printf(out, "## Story %llu (%s, %zu article%s", (unsigned long long)id,
                          kh_lang_code(info.lang), info.n_articles,
                          info.n_articles == 1 ? "" : "s");
        if (w == KH_OK && info.dated)
            w = strcmp(first, last) ? kh_buf_printf(out, ", %s to %s", first, last)
                                    : kh_buf_printf(out, ", %s", first);
        if (w == KH_OK)
            w = kh_buf_puts(out, ")\n\n");
        for (size_t i = 0; w == KH_OK && i < info.n_articles; i++)
            w = kh_buf_printf(out, "- %s\n", ids[i]);
        if (w == KH_OK)
            w = kh_buf_puts(out, "\n");
        if (w == KH_OK && acc)
            w = kh_account_markdown(acc, out);
        if (w == KH_OK && acc)
            w = kh_buf_puts(out, "\n");
        return w;
    }
    w = kh_buf_printf(out, "{\"story\": %llu, \"articles\": [", (unsigned long long)id);
    for (size_t i = 0; w == KH_OK && i < info.n_articles; i++) {
        const char *a = ids[i];
        if (i)
            w = kh_buf_puts(out, ", ");
        if (w == KH_OK)
            w = kh_buf_json_string(out, a, strlen(a));
    }
    if (w == KH_OK)
        w = info.dated ? kh_buf_printf(out, "], \"first\": \"%s\", \"last\": \"%s\"", first, last)
                       : kh_buf_puts(out, "], \"first\": null, \"last\": null");
    if (w == KH_OK && acc)
        w = kh_buf_puts(out, ", ");
    if (w == KH_OK && acc)
        w = kh_account_json(acc, KH_ACCOUNT_JSON_IN_STORY, out);
    if (w == KH_OK)
        w = kh_buf_puts(out, "}\n");
    return w;
}

/* ---- --db: the stories of a store ---------------------------------------- */

typedef struct db_ids {
    int64_t *v;
    size_t n, cap;
} db_ids;

static int collect_story(void *user, const kh_store_story *story)
{
    db_ids *ids = user;
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 256;
        int64_t *v = realloc(ids->v, cap * sizeof *v);
        if (!v)
            return 1;
        ids->v = v;
        ids->cap = cap;
    }
    ids->v[ids->n++] = story->id;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* One stored story as it is read: the row, then its articles. */
typedef struct db_story {
    kh_ctx *ctx;
    kh_buf row;      /* the story's first/last/lang/account, NUL-separated */
    kh_buf articles; /* article ids, NUL-terminated one after another */
    size_t n_articles;
    size_t first, last, lang, account; /* offsets in row; (size_t)-1 = NULL */
    kh_status rc;
} db_story;

static size_t keep_str(db_story *d, const char *s)
{
    if (!s)
        return (size_t)-1;
    size_t at = d->row.len;
    kh_status rc = kh_buf_append(&d->row, s, strlen(s) + 1);
    if (rc != KH_OK) {
        d->rc = rc;
        return (size_t)-1;
    }
    return at;
}

static int db_story_row(void *user, const kh_store_story *story)
{
    db_story *d = user;
    d->first = keep_str(d, story->first);
    d->last = keep_str(d, story->last);
    d->lang = keep_str(d, story->lang);
    d->account = keep_str(d, story->account_json);
    return d->rc != KH_OK;
}

static int db_story_article(void *user, const kh_store_article *article)
{
    db_story *d = user;
    d->rc = kh_buf_append(&d->articles, article->id, strlen(article->id) + 1);
    d->n_articles++;
    return d->rc != KH_OK;
}

static const char *row_str(const db_story *d, size_t at)
{
    return at == (size_t)-1 ? NULL : d->row.data + at;
}

/* Prints one stored story as print_story() prints one grouped here. */
static kh_status print_db_story(kh_buf *out, int64_t id, const db_story *d, int md,
                                const kh_account *acc)
{
    const char *first = row_str(d, d->first), *last = row_str(d, d->last);
    if (!first || !last)
        first = last = NULL;
    kh_status w;
    if (md) {
        const char *lang = row_str(d, d->lang);
        w = kh_buf_printf(out, "## Story %lld (%s, %zu article%s", (long long)id,
                          lang ? lang : "und", d->n_articles, d->n_articles == 1 ? "" : "s");
        if (w == KH_OK && first)
            w = strcmp(first, last) ? kh_buf_printf(out, ", %s to %s", first, last)
                                    : kh_buf_printf(out, ", %s", first);
        if (w == KH_OK)
            w = kh_buf_puts(out, ")\n\n");
        const char *a = d->articles.data;
        for (size_t i = 0; w == KH_OK && i < d->n_articles; i++, a += strlen(a) + 1)
            w = kh_buf_printf(out, "- %s\n", a);
        if (w == KH_OK)
            w = kh_buf_puts(out, "\n");
        if (w == KH_OK && acc)
            w = kh_account_markdown(acc, out);
        if (w == KH_OK && acc)
            w = kh_buf_puts(out, "\n");
        return w;
    }
    w = kh_buf_printf(out, "{\"story\": %lld, \"articles\": [", (long long)id);
    const char *a = d->articles.data;
    for (size_t i = 0; w == KH_OK && i < d->n_articles; i++, a += strlen(a) + 1) {
        if (i)
            w = kh_buf_puts(out, ", ");
        if (w == KH_OK)
            w = kh_buf_json_string(out, a, strlen(a));
    }
    if (w == KH_OK)
        w = kh_buf_puts(out, "], \"first\": ");
    if (w == KH_OK)
        w = first ? kh_buf_json_string(out, first, strlen(first)) : kh_buf_puts(out, "null");
    if (w == KH_OK)
        w = kh_buf_puts(out, ", \"last\": ");
    if (w == KH_OK)
        w = last ? kh_buf_json_string(out, last, strlen(last)) : kh_buf_puts(out, "null");
    if (w == KH_OK && acc)
        w = kh_buf_puts(out, ", ");
    if (w == KH_OK && acc)
        w = kh_account_json(acc, KH_ACCOUNT_JSON_IN_STORY, out);
    if (w == KH_OK)
        w = kh_buf_puts(out, "}\n");
    return w;
}

/* khabar stories --db FILE: every stored story, in story-id order. */
static int run_db(kh_ctx *ctx, const char *path, int md)
{
    kh_store *store = NULL;
    if (kh_store_open_readonly(ctx, path, &store) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        return CLI_FAIL;
    }
    int status = CLI_OK;
    db_ids ids = { NULL, 0, 0 };
    kh_status rc = kh_store_list_stories(store, 0, SIZE_MAX, collect_story, &ids);
    if (rc == KH_E_STOPPED) {
        cli_error("out of memory");
        status = CLI_FAIL;
    } else if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
    }
    if (ids.n)
        qsort(ids.v, ids.n, sizeof *ids.v, cmp_i64);
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    db_story d;
    memset(&d, 0, sizeof d);
    kh_buf_init(&d.row, ctx, 0);
    kh_buf_init(&d.articles, ctx, 0);
    for (size_t i = 0; status == CLI_OK && i < ids.n; i++) {
        kh_buf_clear(&d.row);
        kh_buf_clear(&d.articles);
        d.n_articles = 0;
        d.rc = KH_OK;
        d.first = d.last = d.lang = d.account = (size_t)-1;
        int found = 0;
        rc = kh_store_get_story(store, ids.v[i], &found, db_story_row, db_story_article, &d);
        if (rc == KH_E_STOPPED)
            rc = d.rc;
        if (rc != KH_OK) {
            cli_error("%s: story %lld: %s", path, (long long)ids.v[i],
                      rc == KH_E_DB ? kh_errmsg(ctx) : kh_strerror(rc));
            status = CLI_FAIL;
            break;
        }
        if (!found) /* removed since it was listed */
            continue;
        kh_account *acc = NULL;
        const char *json = row_str(&d, d.account);
        if (json && (rc = kh_store_account_parse(ctx, json, strlen(json), &acc)) != KH_OK) {
            cli_error("%s: story %lld: %s", path, (long long)ids.v[i], kh_errmsg(ctx));
            status = CLI_FAIL;
            break;
        }
        rc = print_db_story(&out, ids.v[i], &d, md, acc);
        kh_account_free(acc);
        if (rc != KH_OK || cli_flush_chunk(&out) != 0) {
            cli_error("cannot write output");
            status = CLI_FAIL;
        }
    }
    if (status == CLI_OK && cli_flush_end(&out) != 0) {
        cli_error("cannot write output");
        status = CLI_FAIL;
    }
    kh_buf_free(&d.row);
    kh_buf_free(&d.articles);
    kh_buf_free(&out);
    free(ids.v);
    kh_store_close(store);
    return status;
}

/* ---- PATHs: read, clean, date, copies, stories, accounts ------------------
 *
 * Memory follows the open stories, not the stream. Stories are built in
 * time order, and the input need not be in that order, so the whole batch
 * is read before the first article is grouped; but what stays in memory for
 * each article is one rec (32 bytes: where its record lies in a spool file,
 * its time, a few flags). Its id, title, source, date and cleaned text are
 * written once to the spool and read back when a step needs them.
 *
 *   read ──► clean ──► spool ──► rec[] in input order (32 B each)
 *            (pages are spooled whole, cleaned once all were observed)
 *   date undated ──► sort rec[] by stream time ──► cut into blocks
 *   per block: kh_dedup over it and max_span before it (copies)
 *              ──► storyer, closed stories released
 *              ──► on close: account from the story's records, printed
 *                  in id order once every lower id is printed
 *
 * What is held besides rec[]: the storyer's open stories; per open story,
 * the positions of its articles; the printed records of closed stories
 * waiting for an older story still open (at most max_span, 7 days, of
 * stories); and one dedup run (below). The one step that
 * still reads the whole batch at once is dating undated articles among
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
 * signature), for two blocks' worth at most.
 */

#ifndef DEDUP_BLOCK
#define DEDUP_BLOCK 16384
#endif

/* One article, in memory for the whole run. */
typedef struct rec {
    uint64_t off;   /* its record in the spool */
    int64_t key;    /* its time in the stream: its own or estimated time,
                       else that of the dated article before it in the input */
    uint32_t len;   /* bytes of the record */
    uint32_t seq;   /* position in the input */
    uint8_t flags;  /* REC_* */
    uint8_t lang;   /* kh_lang */
} rec;

#define REC_DATED 1u     /* key is its own date */
#define REC_ESTIMATED 2u /* key was read from its content */
#define REC_PAGE 4u      /* the record is the page itself, not yet cleaned */

#define NO_STR UINT32_MAX /* a field length: the field is absent */

/* An article's record, read back: every string is NUL-terminated in the
 * read buffer. */
typedef struct article_view {
    const char *id, *title, *source, *date;
    char *text; /* paragraphs, each followed by '\n' */
    size_t title_len, text_len;
    kh_lang lang;
} article_view;

/* One story not yet printed. */
typedef struct pending_story {
    uint32_t *members;  /* its articles' positions in the time order */
    uint32_t n, cap;
    char *text;         /* its printed record, once it is closed */
    size_t text_len;
    int closed;
} pending_story;

typedef struct job {
    kh_ctx *ctx;
    int md, strict, status;
    cli_spool spool;
    rec *recs;
    size_t n, cap;
    kh_buf enc;   /* a record being written */
    kh_buf rd;    /* a record read back for the step at hand */
    kh_buf load;  /* the records of the story being closed */
    kh_buf one;   /* the story being printed */
    kh_buf out;
    kh_tokenizer *tok;
    /* story base + i is pend[head + i]; stories below base are printed */
    pending_story *pend;
    size_t head, n_pend, cap_pend;
    uint64_t base;
    /* read = articles kept (n) + skipped, the summary's identity */
    uint64_t n_read, skipped;
} job;

static void job_fail(job *j, const char *what)
{
    if (j->status == CLI_OK)
        cli_error("%s", what);
    j->status = CLI_FAIL;
}

/* Fails the job for rc: KH_E_IO is the spool's, with errno saying why. */
static void job_fail_rc(job *j, kh_status rc)
{
    if (j->status == CLI_OK) {
        if (rc == KH_E_NOMEM)
            cli_error("out of memory");
        else if (rc == KH_E_IO)
            cli_error("temporary file: %s", strerror(errno));
        else
            cli_error("%s", kh_strerror(rc));
    }
    j->status = CLI_FAIL;
}

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

/* A string field: its length (NO_STR when s is NULL), its bytes, a NUL. */
static void put_str(kh_buf *b, const char *s, size_t len, kh_status *rc)
{
    if (len >= NO_STR) {
        if (*rc == KH_OK)
            *rc = KH_E_TOOBIG;
        return;
    }
    put_u32(b, s ? (uint32_t)len : NO_STR, rc);
    if (s && *rc == KH_OK)
        *rc = kh_buf_append(b, s, len);
    if (s && *rc == KH_OK)
        *rc = kh_buf_append(b, "", 1);
}

/* Reads records written by put_*(); any short read leaves p NULL. */
typedef struct reader_pos {
    char *p, *end;
} reader_pos;

/* Copies the next n bytes into out (zeroed when they are not all there). */
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
    if (!r->p || n == NO_STR)
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

static int add_rec(job *j, const rec *r)
{
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 1024;
        rec *v = realloc(j->recs, cap * sizeof *v);
        if (!v)
            return -1;
        j->recs = v;
        j->cap = cap;
    }
    j->recs[j->n++] = *r;
    return 0;
}

/* Writes r's record from the enc buffer to the spool. */
static kh_status spool_rec(job *j, rec *r)
{
    if (j->enc.len >= UINT32_MAX)
        return KH_E_TOOBIG;
    r->len = (uint32_t)j->enc.len;
    return cli_spool_append(&j->spool, j->enc.data, j->enc.len, &r->off) == 0 ? KH_OK : KH_E_IO;
}

/* Spools what the story stage needs of one cleaned document: id, title,
 * source, date and body (one paragraph a line), and notes it in r. */
static kh_status spool_article(job *j, const kh_doc *d, const kh_article *art, rec *r)
{
    kh_status rc = KH_OK;
    const char *title = art->title ? art->title : d->title ? d->title : "";
    size_t text_len = 0;
    for (size_t i = 0; i < art->n_body; i++)
        text_len += strlen(art->body[i]) + 1;
    kh_buf_clear(&j->enc);
    put_str(&j->enc, d->id, strlen(d->id), &rc);
    put_str(&j->enc, title, strlen(title), &rc);
    put_str(&j->enc, art->source, art->source ? strlen(art->source) : 0, &rc);
    put_str(&j->enc, art->date, art->date ? strlen(art->date) : 0, &rc);
    put_u32(&j->enc, text_len >= NO_STR ? 0 : (uint32_t)text_len, &rc);
    if (rc == KH_OK && text_len >= NO_STR)
        rc = KH_E_TOOBIG;
    for (size_t i = 0; rc == KH_OK && i < art->n_body; i++) {
        rc = kh_buf_append(&j->enc, art->body[i], strlen(art->body[i]));
        if (rc == KH_OK)
            rc = kh_buf_append(&j->enc, "\n", 1);
    }
    if (rc == KH_OK)
        rc = kh_buf_append(&j->enc, "", 1);
    if (rc == KH_OK)
        rc = spool_rec(j, r);
    if (rc != KH_OK)
        return rc;
    r->flags &= (uint8_t)~REC_PAGE;
    r->lang = (uint8_t)(art->lang != KH_LANG_UNKNOWN ? art->lang : d->lang);
    const char *date = art->date ? art->date : d->date;
    if (date && kh_story_parse_date(date, strlen(date), &r->key) == KH_OK)
        r->flags |= REC_DATED;
    return KH_OK;
}

/* Reads back an article's record into buf (cleared first). */
static kh_status load_article(job *j, const rec *r, kh_buf *buf, article_view *v)
{
    kh_buf_clear(buf);
    if (cli_spool_read(&j->spool, r->off, r->len, buf) != 0)
        return KH_E_IO;
    reader_pos p = { buf->data, buf->data + buf->len };
    size_t len;
    v->id = get_str(&p, &len);
    v->title = get_str(&p, &v->title_len);
    v->source = get_str(&p, &len);
    v->date = get_str(&p, &len);
    v->text_len = get_u32(&p);
    v->text = p.p;
    v->lang = (kh_lang)r->lang;
    if (!v->id || !v->title || !p.p || (size_t)(p.end - p.p) != v->text_len + 1)
        return KH_E_IO;
    return KH_OK;
}

/* Spools a page or HTML document whole: it is cleaned once every page has
 * been observed (see clean_pages()). */
static kh_status spool_page(job *j, const kh_doc *d, rec *r)
{
    kh_status rc = KH_OK;
    kh_buf_clear(&j->enc);
    put_u64(&j->enc, d->line, &rc);
    put_u64(&j->enc, d->offset, &rc);
    put_u64(&j->enc, d->seq, &rc);
    put_u64(&j->enc, d->n_lines, &rc);
    put_u64(&j->enc, d->n_chars, &rc);
    put_u32(&j->enc, (uint32_t)d->format, &rc);
    put_u32(&j->enc, (uint32_t)d->kind, &rc);
    put_u32(&j->enc, (uint32_t)d->lang, &rc);
    const char *s[6] = { d->id, d->file, d->url, d->source, d->date, d->title };
    for (size_t i = 0; i < 6; i++)
        put_str(&j->enc, s[i], s[i] ? strlen(s[i]) : 0, &rc);
    put_str(&j->enc, d->content ? d->content : "", d->content ? d->content_len : 0, &rc);
    if (rc == KH_OK)
        rc = spool_rec(j, r);
    if (rc == KH_OK)
        r->flags |= REC_PAGE;
    return rc;
}

/* The document spool_page() wrote, rebuilt in an arena of its own. */
static kh_status load_page(job *j, const rec *r, kh_doc **out)
{
    *out = NULL;
    kh_buf_clear(&j->rd);
    if (cli_spool_read(&j->spool, r->off, r->len, &j->rd) != 0)
        return KH_E_IO;
    reader_pos p = { j->rd.data, j->rd.data + j->rd.len };
    kh_arena *a;
    if (kh_arena_create(j->ctx, &a) != KH_OK)
        return KH_E_NOMEM;
    kh_doc *d = kh_arena_alloc(a, sizeof *d);
    if (!d) {
        kh_arena_free(a);
        return KH_E_NOMEM;
    }
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->line = get_u64(&p);
    d->offset = get_u64(&p);
    d->seq = get_u64(&p);
    d->n_lines = (size_t)get_u64(&p);
    d->n_chars = (size_t)get_u64(&p);
    d->format = (kh_format)get_u32(&p);
    d->kind = (kh_content)get_u32(&p);
    d->lang = (kh_lang)get_u32(&p);
    const char **s[7] = { &d->id, &d->file, &d->url, &d->source, &d->date, &d->title,
                          &d->content };
    kh_status rc = KH_OK;
    for (size_t i = 0; rc == KH_OK && i < 7; i++) {
        size_t len;
        const char *f = get_str(&p, &len);
        if (!p.p)
            rc = KH_E_IO;
        else if (f && !(*s[i] = kh_arena_strndup(a, f, len)))
            rc = KH_E_NOMEM;
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

/* Reads every input. Clean records are cleaned at once; pages and HTML are
 * observed (the cleaner learns the lines each site repeats) and spooled
 * whole, to be cleaned when all have been seen. */
static void read_inputs(job *j, kh_reader *reader, kh_cleaner *cleaner)
{
    while (j->status == CLI_OK) {
        kh_doc *d;
        kh_status rc = kh_reader_next(reader, &d);
        if (rc != KH_OK) {
            cli_error("%s%s", rc == KH_E_DUPLICATE ? "warning: " : "", kh_errmsg(j->ctx));
            if (j->strict || rc == KH_E_NOMEM)
                j->status = CLI_FAIL;
            j->n_read++;
            j->skipped++;
            continue;
        }
        if (!d)
            break;
        j->n_read++;
        if (j->n >= UINT32_MAX) {
            kh_doc_free(d);
            job_fail(j, "too many articles for one run");
            break;
        }
        rec r;
        memset(&r, 0, sizeof r);
        r.seq = (uint32_t)j->n;
        if (kh_cleaner_observe(cleaner, d) != KH_OK) {
            kh_doc_free(d);
            job_fail(j, "out of memory");
            break;
        }
        const kh_article *art = NULL;
        rc = KH_E_ARG;
        if (d->kind == KH_CONTENT_TEXT)
            rc = kh_clean_doc(cleaner, d, &art);
        if (rc == KH_OK)
            rc = spool_article(j, d, art, &r);
        else if (rc != KH_E_NOMEM) /* a page, or an error reported in order later */
            rc = spool_page(j, d, &r);
        kh_doc_free(d);
        if (rc == KH_OK && add_rec(j, &r) != 0)
            rc = KH_E_NOMEM;
        if (rc != KH_OK)
            job_fail_rc(j, rc);
    }
}

/* Cleans the spooled pages, in input order, now that the cleaner has seen
 * them all; those that cannot be cleaned are dropped (and said so). */
static void clean_pages(job *j, kh_cleaner *cleaner)
{
    size_t w = 0;
    for (size_t i = 0; i < j->n; i++) {
        rec r = j->recs[i];
        if (j->status == CLI_OK && (r.flags & REC_PAGE)) {
            kh_doc *d = NULL;
            const kh_article *art = NULL;
            kh_status rc = load_page(j, &r, &d);
            if (rc == KH_OK) {
                rc = kh_clean_doc(cleaner, d, &art);
                if (rc == KH_E_NOMEM) {
                    job_fail(j, "out of memory");
                } else if (rc != KH_OK) {
                    if (rc == KH_E_LIMIT) /* the message names the record and the limit */
                        cli_error("%s", kh_errmsg(j->ctx));
                    else
                        cli_error("%s: %s", d->file, kh_strerror(rc));
                    if (j->strict)
                        j->status = CLI_FAIL;
                    j->skipped++;
                    kh_doc_free(d);
                    continue;
                } else if ((rc = spool_article(j, d, art, &r)) != KH_OK) {
                    job_fail_rc(j, rc);
                }
            } else {
                job_fail_rc(j, rc);
            }
            kh_doc_free(d);
        }
        j->recs[w++] = r;
    }
    j->n = w;
}

/* An undated article takes the time of the dated article it reports the
 * same event as (cli_date_undated); the only step that holds every text. */
static void date_undated(job *j)
{
    size_t undated = 0;
    for (size_t i = 0; i < j->n; i++)
        undated += !(j->recs[i].flags & REC_DATED);
    if (j->status != CLI_OK || undated == 0 || undated == j->n)
        return;
    kh_story_article *arts = calloc(j->n, sizeof *arts);
    size_t *at = calloc(j->n, sizeof *at);
    kh_buf all;
    kh_buf_init(&all, j->ctx, 0);
    kh_status rc = arts && at ? KH_OK : KH_E_NOMEM;
    for (size_t i = 0; rc == KH_OK && i < j->n; i++) {
        at[i] = all.len;
        if (cli_spool_read(&j->spool, j->recs[i].off, j->recs[i].len, &all) != 0)
            rc = KH_E_IO;
    }
    for (size_t i = 0; rc == KH_OK && i < j->n; i++) {
        const rec *r = &j->recs[i];
        reader_pos p = { all.data + at[i], all.data + at[i] + r->len };
        size_t len;
        arts[i].id = get_str(&p, &len);
        arts[i].title = get_str(&p, &arts[i].title_len);
        get_str(&p, &len);
        get_str(&p, &len);
        arts[i].text_len = get_u32(&p);
        arts[i].text = p.p;
        arts[i].lang = (kh_lang)r->lang;
        arts[i].dated = (r->flags & REC_DATED) != 0;
        arts[i].time = arts[i].dated ? r->key : 0;
        if (!p.p)
            rc = KH_E_IO;
    }
    if (rc == KH_OK)
        rc = cli_date_undated(j->ctx, j->tok, arts, j->n);
    for (size_t i = 0; rc == KH_OK && i < j->n; i++)
        if (arts[i].dated == KH_STORY_TIME_ESTIMATED) {
            j->recs[i].flags |= REC_ESTIMATED;
            j->recs[i].key = arts[i].time;
        }
    if (rc != KH_OK) {
        cli_error("%s", kh_strerror(rc));
        j->status = CLI_FAIL;
    }
    kh_buf_free(&all);
    free(at);
    free(arts);
}

/* Story order: by key, then input order. */
static int cmp_rec(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Gives every article its place in the stream and sorts rec[] by it. One
 * that has no time keeps its place after the dated one before it in the
 * input. */
static void order_by_time(job *j)
{
    int64_t prev = INT64_MIN; /* before every date */
    for (size_t i = 0; i < j->n; i++) {
        rec *r = &j->recs[i];
        if (r->flags & (REC_DATED | REC_ESTIMATED))
            prev = r->key;
        r->key = prev;
    }
    if (j->n)
        qsort(j->recs, j->n, sizeof *j->recs, cmp_rec);
}

/* ---- closed stories, printed in id order ---- */

static pending_story *pending_get(job *j, uint64_t id)
{
    if (id < j->base || id - j->base >= j->n_pend - j->head)
        return NULL;
    return &j->pend[j->head + (size_t)(id - j->base)];
}

/* Notes that the article at position pos joined story id. */
static int pending_add(job *j, uint64_t id, uint32_t pos)
{
    pending_story *p = pending_get(j, id);
    if (!p) {
        if (id != j->base + (j->n_pend - j->head))
            return -1; /* ids come in order: a gap cannot happen */
        if (j->head > 0 && j->head >= j->n_pend / 2) {
            memmove(j->pend, j->pend + j->head, (j->n_pend - j->head) * sizeof *j->pend);
            j->n_pend -= j->head;
            j->head = 0;
        }
        if (j->n_pend == j->cap_pend) {
            size_t cap = j->cap_pend ? j->cap_pend * 2 : 256;
            pending_story *v = realloc(j->pend, cap * sizeof *v);
            if (!v)
                return -1;
            j->pend = v;
            j->cap_pend = cap;
        }
        p = &j->pend[j->n_pend++];
        memset(p, 0, sizeof *p);
    }
    if (p->n == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 4;
        uint32_t *v = realloc(p->members, cap * sizeof *v);
        if (!v)
            return -1;
        p->members = v;
        p->cap = cap;
    }
    p->members[p->n++] = pos;
    return 0;
}

/* Writes the closed stories that no older open story holds back. */
static void pending_print(job *j)
{
    while (j->status == CLI_OK && j->head < j->n_pend && j->pend[j->head].closed) {
        pending_story *p = &j->pend[j->head];
        if (kh_buf_append(&j->out, p->text, p->text_len) != KH_OK ||
            cli_flush_chunk(&j->out) != 0)
            job_fail(j, "cannot write output");
        free(p->text);
        p->text = NULL;
        j->head++;
        j->base++;
    }
}

static void pending_free(job *j)
{
    for (size_t i = j->head; i < j->n_pend; i++) {
        free(j->pend[i].members);
        free(j->pend[i].text);
    }
    free(j->pend);
}

/* The account of one story: headline, summary, sources, names and
 * disagreements, from its articles' cleaned text (one paragraph a line). */
static kh_status story_account(kh_ctx *ctx, kh_tokenizer *tok, article_view *v, size_t n,
                               kh_account **out)
{
    *out = NULL;
    kh_account_article *arts = calloc(n ? n : 1, sizeof *arts);
    size_t lines = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < v[i].text_len; k++) lines += v[i].text[k] == '\n';
        lines++;
    }
    const char **paras = calloc(lines + 1, sizeof *paras);
    if (!arts || !paras) {
        free(arts);
        free(paras);
        return KH_E_NOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        kh_account_article *a = &arts[i];
        a->id = v[i].id;
        a->source = v[i].source;
        a->date = v[i].date;
        a->title = v[i].title[0] ? v[i].title : NULL;
        a->lang = v[i].lang;
        a->body = paras + k;
        /* the text is one paragraph a line; cut it in place (it was read
         * back for this story alone) */
        for (char *line = v[i].text; line && *line && k < lines;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = '\0';
            if (*line) paras[k++] = line;
            line = nl ? nl + 1 : NULL;
        }
        a->n_body = (size_t)(paras + k - a->body);
    }
    kh_status rc = n ? kh_account_build(ctx, tok, arts, n, NULL, out) : KH_OK;
    free(arts);
    free(paras);
    return rc;
}

/* The storyer's on_close: the story is complete, so its account is built
 * and its record printed (or kept until the stories before it close), and
 * its articles' records are read back for that alone. */
static void story_closed(void *user, const kh_storyer *st, uint64_t id)
{
    job *j = user;
    pending_story *p = pending_get(j, id);
    if (j->status != CLI_OK || !p)
        return;
    kh_story_info info;
    kh_status rc = kh_story_get(st, id, &info);
    size_t *at = calloc(p->n ? p->n : 1, sizeof *at);
    article_view *v = calloc(p->n ? p->n : 1, sizeof *v);
    const char **ids = calloc(p->n ? p->n : 1, sizeof *ids);
    if (rc == KH_OK && (!at || !v || !ids))
        rc = KH_E_NOMEM;
    kh_buf_clear(&j->load);
    for (uint32_t i = 0; rc == KH_OK && i < p->n; i++) {
        at[i] = j->load.len;
        const rec *r = &j->recs[p->members[i]];
        if (cli_spool_read(&j->spool, r->off, r->len, &j->load) != 0)
            rc = KH_E_IO;
    }
    for (uint32_t i = 0; rc == KH_OK && i < p->n; i++) {
        const rec *r = &j->recs[p->members[i]];
        reader_pos q = { j->load.data + at[i], j->load.data + at[i] + r->len };
        size_t len;
        v[i].id = get_str(&q, &len);
        v[i].title = get_str(&q, &v[i].title_len);
        v[i].source = get_str(&q, &len);
        v[i].date = get_str(&q, &len);
        v[i].text_len = get_u32(&q);
        v[i].text = q.p;
        v[i].lang = (kh_lang)r->lang;
        ids[i] = v[i].id;
        if (!q.p || !v[i].id || !v[i].title)
            rc = KH_E_IO;
    }
    kh_account *acc = NULL;
    if (rc == KH_OK)
        rc = story_account(j->ctx, j->tok, v, p->n, &acc);
    if (rc != KH_OK) {
        cli_error("story %llu: %s%s", (unsigned long long)id,
                  rc == KH_E_IO ? "temporary file: " : "",
                  rc == KH_E_IO ? strerror(errno) : kh_errmsg(j->ctx));
        j->status = CLI_FAIL;
    } else {
        kh_buf_clear(&j->one);
        info.n_articles = p->n;
        if (print_story(&j->one, &info, ids, j->md, acc) != KH_OK ||
            !(p->text = malloc(j->one.len ? j->one.len : 1))) {
            job_fail(j, "cannot write output");
        } else {
            memcpy(p->text, j->one.data, j->one.len);
            p->text_len = j->one.len;
            p->closed = 1;
        }
    }
    kh_account_free(acc);
    free(at);
    free(v);
    free(ids);
    free(p->members);
    p->members = NULL;
    pending_print(j);
}

/* ---- copies and stories, block by block of the time order ---- */

/* recs[from, to) in input order: (seq << 32 | position) pairs, sorted. */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Finds the copies among recs[from, to) (the articles before this block
 * whose story may still be open, and the block)
 * and names, for each article of recs[mid, to), the id of its original,
 * or NULL (copy[k - mid]). The ids live in *dd until it is freed. */
static kh_status find_copies(job *j, size_t from, size_t mid, size_t to, kh_deduper **dd,
                             const char **copy)
{
    *dd = NULL;
    size_t m = to - from;
    for (size_t k = mid; k < to; k++)
        copy[k - mid] = NULL;
    if (m < 2)
        return KH_OK;
    uint64_t *run = malloc(m * sizeof *run);
    if (!run)
        return KH_E_NOMEM;
    for (size_t k = from; k < to; k++)
        run[k - from] = (uint64_t)j->recs[k].seq << 32 | (uint64_t)(k - from);
    /* in input order, as one run over the whole batch would take them:
     * ties between copies of one date go to the earlier in the input */
    qsort(run, m, sizeof *run, cmp_u64);
    kh_status rc = kh_dedup_create(j->ctx, NULL, dd);
    char date[32];
    for (size_t i = 0; rc == KH_OK && i < m; i++) {
        const rec *r = &j->recs[from + (uint32_t)run[i]];
        article_view v;
        rc = load_article(j, r, &j->rd, &v);
        if (rc == KH_OK && (r->flags & REC_DATED))
            format_time(r->key, date, sizeof date);
        if (rc == KH_OK)
            rc = kh_dedup_add(*dd, v.id, (r->flags & REC_DATED) ? date : NULL, v.text,
                              v.text_len);
    }
    if (rc == KH_OK)
        rc = kh_dedup_run(*dd);
    for (size_t i = 0; rc == KH_OK && i < m; i++) {
        size_t k = from + (uint32_t)run[i];
        size_t rep = kh_dedup_group(*dd, i);
        if (k >= mid && rep != i && rep < m)
            copy[k - mid] = kh_dedup_id(*dd, rep);
    }
    free(run);
    return rc;
}

/* Where the block that starts at b0 ends: past DEDUP_BLOCK articles and
 * more than span after its first article's time. */
static size_t block_end(const job *j, size_t b0, int64_t span)
{
    if (span <= 0 || j->n - b0 <= DEDUP_BLOCK)
        return j->n;
    size_t b1 = b0 + DEDUP_BLOCK;
    int64_t k0 = j->recs[b0].key;
    int64_t limit = k0 > INT64_MAX - span ? INT64_MAX : k0 + span;
    while (b1 < j->n && j->recs[b1].key <= limit)
        b1++;
    return b1;
}

static void add_article(job *j, kh_storyer *st, size_t k, const char *copy_of)
{
    const rec *r = &j->recs[k];
    article_view v;
    kh_status rc = load_article(j, r, &j->rd, &v);
    if (rc != KH_OK) {
        job_fail_rc(j, rc);
        return;
    }
    kh_story_article a;
    memset(&a, 0, sizeof a);
    a.id = v.id;
    a.dated = (r->flags & REC_DATED) ? 1 : (r->flags & REC_ESTIMATED) ? KH_STORY_TIME_ESTIMATED : 0;
    a.time = a.dated ? r->key : 0;
    a.lang = v.lang;
    a.title = v.title;
    a.title_len = v.title_len;
    a.text = v.text;
    a.text_len = v.text_len;
    /* empty bodies are all "copies" of each other: not a story */
    a.copy_of = v.text_len > 0 ? copy_of : NULL;
    uint64_t id = 0;
    rc = kh_story_add(st, &a, &id);
    if (j->status != CLI_OK)
        return;
    if (rc != KH_OK) {
        cli_error("%s: %s", a.id, kh_strerror(rc));
        j->status = CLI_FAIL;
    } else if (pending_add(j, id, (uint32_t)k) != 0) {
        job_fail(j, "out of memory");
    }
}

/* Copies found block by block, then every article to the storyer in time
 * order; stories are printed as they close. */
static void group(job *j, kh_story_options *opt)
{
    opt->keep_closed = 0;
    opt->on_close = story_closed;
    opt->on_close_user = j;
    kh_storyer *st = NULL;
    if (kh_storyer_create(j->ctx, opt, &st) != KH_OK) {
        cli_error("%s", kh_errmsg(j->ctx));
        j->status = CLI_FAIL;
        return;
    }
    const char **copy = NULL;
    size_t from = 0;
    for (size_t b0 = 0; j->status == CLI_OK && b0 < j->n;) {
        size_t b1 = block_end(j, b0, opt->max_span);
        /* the articles up to max_span before the block: where the original
         * of a copy in it may be, with its story still open */
        int64_t k0 = j->recs[b0].key;
        int64_t lower = k0 < INT64_MIN + opt->max_span ? INT64_MIN : k0 - opt->max_span;
        while (from < b0 && j->recs[from].key < lower)
            from++;
        const char **c = realloc(copy, (b1 - b0) * sizeof *c);
        if (!c) {
            job_fail(j, "out of memory");
            break;
        }
        copy = c;
        kh_deduper *dd = NULL;
        kh_status rc = find_copies(j, from, b0, b1, &dd, copy);
        if (rc == KH_E_IO) {
            job_fail_rc(j, rc);
        } else if (rc != KH_OK) {
            cli_error("%s", kh_errmsg(j->ctx));
            j->status = CLI_FAIL;
        }
        for (size_t k = b0; j->status == CLI_OK && k < b1; k++)
            add_article(j, st, k, copy[k - b0]);
        kh_dedup_free(dd);
        b0 = b1;
    }
    free(copy);
    if (j->status == CLI_OK)
        kh_story_flush(st);
    kh_storyer_free(st);
}

/* khabar stories PATH...: everything above, in order. */
static int run_paths(kh_ctx *ctx, const char **paths, size_t n_paths, kh_story_options *opt,
                     int md, int strict, int stats)
{
    kh_reader *reader;
    kh_status rc = kh_reader_open(ctx, paths, n_paths, &reader);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        return CLI_FAIL;
    }
    job j;
    memset(&j, 0, sizeof j);
    j.ctx = ctx;
    j.md = md;
    j.strict = strict;
    j.status = CLI_OK;
    j.base = 1; /* story ids start at 1 */
    kh_buf_init(&j.enc, ctx, 0);
    kh_buf_init(&j.rd, ctx, 0);
    kh_buf_init(&j.load, ctx, 0);
    kh_buf_init(&j.one, ctx, 0);
    kh_buf_init(&j.out, ctx, 0);
    if (cli_spool_open(&j.spool, ctx) != 0) {
        cli_error("cannot create a temporary file: %s", strerror(errno));
        j.status = CLI_FAIL;
    }
    kh_cleaner *cleaner = NULL;
    if (j.status == CLI_OK && kh_cleaner_create(ctx, 0, &cleaner) != KH_OK)
        job_fail(&j, "out of memory");
    if (j.status == CLI_OK)
        read_inputs(&j, reader, cleaner);
    kh_reader_free(reader);
    if (j.status == CLI_OK)
        clean_pages(&j, cleaner);
    kh_cleaner_free(cleaner);
    if (j.status == CLI_OK && kh_tokenizer_create(ctx, &j.tok) != KH_OK)
        job_fail(&j, "out of memory");
    date_undated(&j);
    if (j.status == CLI_OK)
        order_by_time(&j);
    if (j.status == CLI_OK)
        group(&j, opt);
    if (j.status == CLI_OK && j.head != j.n_pend)
        job_fail(&j, "a story was never closed");
    if (j.status == CLI_OK && cli_flush_end(&j.out) != 0)
        job_fail(&j, "cannot write output");
    if (j.status == CLI_OK && (stats || j.skipped || isatty(STDERR_FILENO)))
        fprintf(stderr, "khabar stories: %llu read, %llu skipped with errors, %llu articles, "
                        "%llu stories\n",
                (unsigned long long)j.n_read, (unsigned long long)j.skipped,
                (unsigned long long)j.n, (unsigned long long)(j.base - 1));
    pending_free(&j);
    kh_tokenizer_free(j.tok);
    kh_buf_free(&j.enc);
    kh_buf_free(&j.rd);
    kh_buf_free(&j.load);
    kh_buf_free(&j.one);
    kh_buf_free(&j.out);
    free(j.recs);
    cli_spool_close(&j.spool);
    return j.status;
}

static int run(int argc, char **argv)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_story_options opt;
    kh_story_options_init(&opt);
    int strict = 0, md = 0, n = 0, options = 1, stats = 0;
    const char *db = NULL;
    const char **paths = kh_malloc(ctx, (size_t)argc * sizeof *paths);
    if (!paths) {
        cli_error("out of memory");
        kh_ctx_free(ctx);
        return CLI_FAIL;
    }
#define USAGE_FAIL(...)                                              \
    do {                                                             \
        kh_free(ctx, paths, (size_t)argc * sizeof *paths);           \
        kh_ctx_free(ctx);                                            \
        return cli_usage_error(&cli_cmd_stories, __VA_ARGS__);       \
    } while (0)
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && strcmp(a, "--") == 0) {
            options = 0;
        } else if (options && strcmp(a, "--stats") == 0) {
            stats = 1;
        } else if (options && strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (options && (strcmp(a, "--window") == 0 || strcmp(a, "--threshold") == 0 ||
                               strcmp(a, "--format") == 0 || strcmp(a, "--db") == 0)) {
            if (i + 1 >= argc)
                USAGE_FAIL("stories: %s needs a value", a);
            const char *v = argv[++i];
            if (a[2] == 'd') {
                db = v;
            } else if (a[2] == 'w') {
                if (parse_window(v, &opt.window) != 0)
                    USAGE_FAIL("stories: bad --window '%s' (e.g. 72h, 3d, 90m)", v);
            } else if (a[2] == 't') {
                char *end;
                double x = strtod(v, &end);
                if (end == v || *end || !(x >= 0 && x <= 1))
                    USAGE_FAIL("stories: bad --threshold '%s' (a number from 0 to 1)", v);
                opt.threshold = x;
            } else if (strcmp(v, "jsonl") == 0 || strcmp(v, "md") == 0) {
                md = v[0] == 'm';
            } else {
                USAGE_FAIL("stories: bad --format '%s' (jsonl or md)", v);
            }
        } else if (options && a[0] == '-' && a[1] != '\0') {
            USAGE_FAIL("stories: unknown option '%s'", a);
        } else {
            paths[n++] = a;
        }
    }
    if (db && n > 0) {
        const char *extra = paths[0];
        USAGE_FAIL("stories: --db reads the store, not PATHs ('%s')", extra);
    }
    if (!db && n == 0 && cli_stdin_is_input())
        paths[n++] = "-";
    if (!db && n == 0)
        USAGE_FAIL("stories: no input PATH given");
#undef USAGE_FAIL
    if (db) {
        kh_free(ctx, paths, (size_t)argc * sizeof *paths);
        int st_db = run_db(ctx, db, md);
        kh_ctx_free(ctx);
        return st_db;
    }

    int status = run_paths(ctx, paths, (size_t)n, &opt, md, strict, stats);
    kh_free(ctx, paths, (size_t)argc * sizeof *paths);
    kh_ctx_free(ctx);
    return status;
}

const cli_command cli_cmd_stories = {
    "stories",
    "group articles that report the same event into stories",
    "khabar stories [--window 72h] [--threshold X] [--format jsonl|md] PATH...\n"
    "       khabar stories --db FILE [--format jsonl|md]",
    help_text,
    run,
};
