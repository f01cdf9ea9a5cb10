/*
 * cmd_ingest.c — `khabar ingest`: puts articles into a store, in batches.
 *
 * What it does today: reads every input the readers accept, cleans crawled
 * pages and HTML down to their article (kh_clean_doc; clean text passes
 * through), stores each new article and files it under a story: an exact
 * copy of a stored body (same XXH3-64 body hash) joins that article's story
 * and copy group and remakes the story's span and sources; any other
 * article starts a story of its own whose account holds its headline,
 * first paragraph and source. Near copies and same-event articles are not
 * grouped here yet. Pages with no article in them are counted (no_body).
 *
 * Each batch of --batch articles is one transaction: a run killed at any
 * point leaves whole batches only, and running it again skips the ids
 * already stored, so the result is the same as one uninterrupted run.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAX_JSON ((size_t)16 << 20) /* cap of one account */

typedef struct ingest {
    kh_ctx *ctx;
    kh_store *store;
    kh_cleaner *cleaner;
    kh_buf body;       /* the article's paragraphs joined by '\n' */
    kh_buf json;       /* account JSON being built */
    size_t batch;      /* articles per transaction */
    size_t in_batch;
    uint64_t read, added, skipped, errors, copies, no_body;
    cli_progress progress;
} ingest;

/* Starts a transaction when none is open; commits when the batch is full. */
static kh_status batch_tick(ingest *in, int after)
{
    if (!after && !kh_store_in_batch(in->store))
        return kh_store_begin(in->store);
    if (after && ++in->in_batch >= in->batch) {
        in->in_batch = 0;
        return kh_store_commit(in->store);
    }
    return KH_OK;
}

typedef struct copy_of {
    const char *self;
    int64_t story;
    int64_t group;
    int found;
} copy_of;

static int first_copy(void *user, const kh_store_article *a)
{
    copy_of *c = user;
    if (strcmp(a->id, c->self) == 0)
        return 0;
    c->story = a->story_id;
    c->group = a->group_id;
    c->found = 1;
    return 1;
}

/*
 * A story's account, remade from its stored articles (oldest first) each
 * time one joins, in the shape kh_account_json() gives: headline, time
 * span, sources with the first reporter, and the first paragraph of the
 * first report as the summary, carried by every copy. Names and
 * disagreements need the account stage and stay empty.
 */
typedef struct remake {
    kh_buf *json;   /* the account being written */
    kh_buf ids;     /* ids of the story's articles, as JSON strings with commas */
    kh_buf tail;    /* "first" and "summary" members, written at the first article */
    kh_buf dates;   /* headline, lang, then every article's date: NUL-separated */
    int n;
    kh_status rc;
} remake;

static kh_status json_or_null(kh_buf *b, const char *s)
{
    return s ? kh_buf_json_string(b, s, strlen(s)) : kh_buf_puts(b, "null");
}

static int remake_story(void *user, const kh_store_story *s)
{
    remake *r = user;
    const char *f[2] = { s->headline ? s->headline : "", s->lang ? s->lang : "" };
    kh_status rc = KH_OK;
    for (int i = 0; i < 2 && rc == KH_OK; i++)
        rc = kh_buf_append(&r->dates, f[i], strlen(f[i]) + 1);
    if (rc == KH_OK) rc = kh_buf_puts(r->json, "{\"headline\":");
    if (rc == KH_OK) rc = json_or_null(r->json, s->headline);
    if (rc == KH_OK) rc = kh_buf_puts(r->json, ",\"sources\":[");
    r->rc = rc;
    return rc != KH_OK;
}

static int remake_article(void *user, const kh_store_article *a)
{
    remake *r = user;
    kh_buf *b = r->json;
    kh_status rc = kh_buf_puts(b, r->n ? ",{\"id\":" : "{\"id\":");
    if (rc == KH_OK) rc = json_or_null(b, a->id);
    if (rc == KH_OK) rc = kh_buf_puts(b, ",\"source\":");
    if (rc == KH_OK) rc = json_or_null(b, a->source);
    if (rc == KH_OK) rc = kh_buf_puts(b, ",\"date\":");
    if (rc == KH_OK) rc = json_or_null(b, a->date);
    if (rc == KH_OK) rc = kh_buf_puts(b, ",\"title\":");
    if (rc == KH_OK) rc = json_or_null(b, a->title);
    if (rc == KH_OK) rc = kh_buf_puts(b, "}");
    if (rc == KH_OK && r->n) rc = kh_buf_puts(&r->ids, ",");
    if (rc == KH_OK) rc = json_or_null(&r->ids, a->id);
    if (rc == KH_OK)
        rc = kh_buf_append(&r->dates, a->date ? a->date : "", strlen(a->date ? a->date : "") + 1);
    if (rc == KH_OK && r->n == 0) {
        const char *nl = a->body ? memchr(a->body, '\n', a->body_len) : NULL;
        size_t para = nl ? (size_t)(nl - a->body) : a->body_len;
        rc = kh_buf_puts(&r->tail, ",\"first\":{\"id\":");
        if (rc == KH_OK) rc = json_or_null(&r->tail, a->id);
        if (rc == KH_OK) rc = kh_buf_puts(&r->tail, ",\"source\":");
        if (rc == KH_OK) rc = json_or_null(&r->tail, a->source);
        if (rc == KH_OK) rc = kh_buf_puts(&r->tail, ",\"date\":");
        if (rc == KH_OK) rc = json_or_null(&r->tail, a->date);
        if (rc == KH_OK) rc = kh_buf_puts(&r->tail, "},\"summary\":[{\"text\":");
        if (rc == KH_OK) rc = kh_buf_json_string(&r->tail, a->body ? a->body : "", para);
    }
    r->n++;
    r->rc = rc;
    return rc != KH_OK;
}

static kh_status remake_account(ingest *in, int64_t story)
{
    remake r;
    memset(&r, 0, sizeof r);
    r.json = &in->json;
    kh_buf_clear(&in->json);
    kh_buf_init(&r.ids, in->ctx, MAX_JSON);
    kh_buf_init(&r.tail, in->ctx, MAX_JSON);
    kh_buf_init(&r.dates, in->ctx, MAX_JSON);
    int found = 0;
    kh_status rc = kh_store_get_story(in->store, story, &found, remake_story, remake_article, &r);
    if (rc == KH_E_STOPPED)
        rc = r.rc;
    if (rc == KH_OK && (!found || r.n == 0))
        rc = kh_ctx_error(in->ctx, KH_E_INTERNAL, "story %lld has no articles", (long long)story);
    const char *headline = r.dates.data, *lang = NULL, *first = NULL, *last = NULL;
    if (rc == KH_OK) {
        /* articles come oldest first, undated last */
        lang = headline + strlen(headline) + 1;
        for (const char *d = lang + strlen(lang) + 1; d < r.dates.data + r.dates.len;
             d += strlen(d) + 1) {
            if (!*d)
                continue;
            if (!first)
                first = d;
            if (!last || strcmp(d, last) > 0)
                last = d;
        }
        rc = kh_buf_puts(&in->json, "],\"time\":{\"first\":");
    }
    if (rc == KH_OK) rc = json_or_null(&in->json, first);
    if (rc == KH_OK) rc = kh_buf_puts(&in->json, ",\"last\":");
    if (rc == KH_OK) rc = json_or_null(&in->json, last);
    if (rc == KH_OK) rc = kh_buf_puts(&in->json, "}");
    if (rc == KH_OK) rc = kh_buf_append(&in->json, r.tail.data, r.tail.len);
    if (rc == KH_OK) rc = kh_buf_puts(&in->json, ",\"ids\":[");
    if (rc == KH_OK) rc = kh_buf_append(&in->json, r.ids.data, r.ids.len);
    if (rc == KH_OK) rc = kh_buf_puts(&in->json, "]}],\"entities\":[],\"disagreements\":[]}");
    if (rc == KH_OK) {
        kh_store_story s;
        memset(&s, 0, sizeof s);
        s.id = story;
        s.headline = *headline ? headline : NULL;
        s.lang = *lang ? lang : NULL;
        s.first = first;
        s.last = last;
        s.account_json = in->json.data;
        rc = kh_store_put_story(in->store, &s, NULL);
    }
    kh_buf_free(&r.ids);
    kh_buf_free(&r.tail);
    kh_buf_free(&r.dates);
    return rc;
}

static kh_status add_article(ingest *in, kh_store_article *a)
{
    kh_status rc = batch_tick(in, 0);
    if (rc != KH_OK)
        return rc;
    a->body_hash = XXH3_64bits(a->body, a->body_len); /* the store's own hash */
    if (a->body_hash == 0)
        a->body_hash = 1;
    int is_new = 0;
    rc = kh_store_put_article(in->store, a, &is_new);
    if (rc != KH_OK)
        return rc;
    if (!is_new) {
        in->skipped++;
        return KH_OK;
    }
    in->added++;
    copy_of c = { a->id, 0, 0, 0 };
    rc = kh_store_find_hash(in->store, a->body_hash, first_copy, &c);
    if (rc != KH_OK && rc != KH_E_STOPPED)
        return rc;
    int64_t story = c.story, group = c.group;
    if (c.found && story) {
        in->copies++;
    } else {
        kh_store_story s;
        memset(&s, 0, sizeof s);
        s.first = s.last = a->date;
        s.headline = a->title;
        s.lang = a->lang;
        rc = kh_store_put_story(in->store, &s, &story);
        if (rc != KH_OK)
            return rc;
    }
    rc = kh_store_set_article_story(in->store, a->id, story, group ? group : story);
    if (rc == KH_OK)
        rc = remake_account(in, story);
    if (rc != KH_OK)
        return rc;
    return batch_tick(in, 1);
}

/* Stores one document read. Clean articles (kind text) go in as they are;
 * crawled pages and HTML wait for the cleaning stage and are counted. */
static kh_status ingest_doc(ingest *in, kh_doc *d)
{
    in->read++;
    cli_progress_tick(&in->progress, in->read);
    int found = 0;
    kh_status rc = kh_store_has_article(in->store, d->id, &found);
    if (rc != KH_OK || found) {
        in->skipped += (uint64_t)found;
        return rc;
    }
    /* Crawled pages and HTML down to their article; clean text passes. */
    const kh_article *art = NULL;
    rc = kh_clean_doc(in->cleaner, d, &art);
    if (rc == KH_E_NOMEM)
        return rc;
    if (rc != KH_OK) {
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
    rc = add_article(in, &a);
    if (rc == KH_E_UTF8) { /* a field the page gave is not text: skip the article */
        cli_error("%s", kh_errmsg(in->ctx));
        in->errors++;
        return KH_OK;
    }
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
    if (first_path >= argc && !check)
        return cli_usage_error(&cli_cmd_ingest, "no PATH to read");

    ingest in;
    memset(&in, 0, sizeof in);
    in.batch = (size_t)batch;
    if (kh_ctx_create(&in.ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    if (kh_store_open(in.ctx, db, &in.store) != KH_OK ||
        kh_cleaner_create(in.ctx, 0, &in.cleaner) != KH_OK) {
        cli_error("%s", kh_errmsg(in.ctx));
        kh_store_close(in.store);
        kh_ctx_free(in.ctx);
        return CLI_FAIL;
    }
    kh_buf_init(&in.body, in.ctx, kh_ctx_limit(in.ctx, KH_LIMIT_DOCUMENT, 0));
    kh_buf_init(&in.json, in.ctx, MAX_JSON);
    cli_progress_start(&in.progress, "articles", 0);
    double t0 = cli_now();
    kh_status rc = KH_OK;
    kh_reader *reader = NULL;
    if (first_path < argc) {
        rc = kh_reader_open(in.ctx, (const char *const *)(argv + first_path),
                            (size_t)(argc - first_path), &reader);
    }
    while (rc == KH_OK && reader) {
        kh_doc *d = NULL;
        kh_status r = kh_reader_next(reader, &d);
        if (r == KH_E_NOMEM) {
            rc = r;
            break;
        }
        if (r != KH_OK) {
            cli_error("%s", kh_errmsg(in.ctx)); /* a bad record: skipped */
            in.errors++;
            continue;
        }
        if (!d)
            break;
        rc = ingest_doc(&in, d);
        kh_doc_free(d);
    }
    kh_reader_free(reader);
    if (rc == KH_OK && kh_store_in_batch(in.store))
        rc = kh_store_commit(in.store);
    if (rc == KH_OK && check)
        rc = kh_store_check(in.store);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(in.ctx));
        if (kh_store_in_batch(in.store))
            kh_store_rollback(in.store);
    }
    cli_progress_end(&in.progress);
    double secs = cli_now() - t0;
    kh_buf out;
    kh_buf_init(&out, in.ctx, 0);
    kh_buf_puts(&out, "{\"db\":");
    kh_buf_json_string(&out, db, strlen(db));
    kh_buf_printf(&out,
                  ",\"read\":%llu,\"added\":%llu,\"skipped\":%llu,\"copies\":%llu,"
                  "\"no_body\":%llu,\"errors\":%llu,\"seconds\":%.3f,\"articles_per_s\":%.1f%s}\n",
                  (unsigned long long)in.read, (unsigned long long)in.added,
                  (unsigned long long)in.skipped, (unsigned long long)in.copies,
                  (unsigned long long)in.no_body,
                  (unsigned long long)in.errors, secs,
                  secs > 0 ? (double)in.read / secs : 0.0,
                  check ? (rc == KH_OK ? ",\"check\":\"ok\"" : ",\"check\":\"failed\"") : "");
    cli_flush(&out);
    kh_buf_free(&out);
    kh_buf_free(&in.json);
    kh_buf_free(&in.body);
    kh_cleaner_free(in.cleaner);
    kh_store_close(in.store);
    kh_ctx_free(in.ctx);
    return rc == KH_OK ? CLI_OK : CLI_FAIL;
}

const cli_command cli_cmd_ingest = {
    "ingest",
    "store articles in a database for khabar serve",
    "khabar ingest --db FILE [--batch N] [--check] PATH...",
    "Options:\n"
    "  --db FILE    the store (created when missing)\n"
    "  --batch N    articles per transaction (default 500)\n"
    "  --check      then check the file (integrity, foreign keys, search index);\n"
    "               without PATH only the check runs\n\n"
    "Reads the inputs khabar read accepts and cleans crawled pages and HTML\n"
    "down to their article (as khabar clean does). Each new article is stored\n"
    "once (ids already stored are skipped, so a run can be repeated or resumed\n"
    "after a crash) and filed under a story: exact copies share one, other\n"
    "articles start their own. Pages without an article count as no_body.\n"
    "Bad records are reported on stderr and skipped. Prints one JSON line of\n"
    "counts.\n",
    run,
};
