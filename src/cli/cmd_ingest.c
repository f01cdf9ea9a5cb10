/*
 * cmd_ingest.c — `khabar ingest`: puts articles into a store, in batches.
 *
 * What it does today: reads every input the readers accept, stores each new
 * clean article (documents of kind text: JSON Lines "text" records) and
 * files it under a story: an exact copy of a stored body (same XXH3-64 body
 * hash) joins that article's story and copy group and remakes the story's
 * span and sources; any other article starts a story of its own whose
 * account holds its headline, first paragraph and source. Crawled pages and
 * HTML are counted as not_clean and left out until the cleaning stage
 * exists; near copies and same-event articles are not grouped here yet.
 *
 * Each batch of --batch articles is one transaction: a run killed at any
 * point leaves whole batches only, and running it again skips the ids
 * already stored, so the result is the same as one uninterrupted run.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAX_LINE ((size_t)16 << 20)

typedef struct ingest {
    kh_ctx *ctx;
    kh_store *store;
    kh_buf json;       /* account JSON being built */
    size_t batch;      /* articles per transaction */
    size_t in_batch;
    uint64_t read, added, skipped, errors, copies, not_clean;
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

/* The account of a story of one article. */
static kh_status single_account(kh_buf *b, const kh_store_article *a)
{
    kh_buf_clear(b);
    const char *title = a->title ? a->title : "";
    size_t para = a->body_len;
    const char *nl = memchr(a->body, '\n', a->body_len);
    if (nl)
        para = (size_t)(nl - a->body);
    kh_status rc = kh_buf_puts(b, "{\"headline\":");
    if (rc == KH_OK) rc = kh_buf_json_string(b, title, strlen(title));
    if (rc == KH_OK) rc = kh_buf_puts(b, ",\"summary\":[");
    if (rc == KH_OK) rc = kh_buf_json_string(b, a->body, para);
    if (rc == KH_OK) rc = kh_buf_puts(b, "],\"sources\":[{\"source\":");
    if (rc == KH_OK && a->source) rc = kh_buf_json_string(b, a->source, strlen(a->source));
    else if (rc == KH_OK) rc = kh_buf_puts(b, "null");
    if (rc == KH_OK) rc = kh_buf_puts(b, ",\"first\":true,\"date\":");
    if (rc == KH_OK && a->date) rc = kh_buf_json_string(b, a->date, strlen(a->date));
    else if (rc == KH_OK) rc = kh_buf_puts(b, "null");
    if (rc == KH_OK) rc = kh_buf_puts(b, ",\"articles\":1}],\"entities\":[],\"disagreements\":[]}");
    return rc;
}

/* A story gained a copy: its span and its account's sources are made again
 * from its articles (oldest first, so the first source is the first
 * reporter). */
typedef struct regrow {
    kh_buf *json;
    kh_buf head;    /* headline, lang, then each article's date: NUL-separated */
    kh_buf summary; /* the first paragraph of the first report */
    int n;
    kh_status rc;
} regrow;

static int regrow_story(void *user, const kh_store_story *s)
{
    regrow *r = user;
    const char *f[2] = { s->headline, s->lang };
    for (int i = 0; i < 2 && r->rc == KH_OK; i++)
        r->rc = kh_buf_append(&r->head, f[i] ? f[i] : "", strlen(f[i] ? f[i] : "") + 1);
    if (r->rc == KH_OK)
        r->rc = kh_buf_puts(r->json, "{\"headline\":");
    if (r->rc == KH_OK)
        r->rc = kh_buf_json_string(r->json, s->headline ? s->headline : "",
                                   strlen(s->headline ? s->headline : ""));
    if (r->rc == KH_OK)
        r->rc = kh_buf_puts(r->json, ",\"sources\":[");
    return r->rc != KH_OK;
}

static int regrow_article(void *user, const kh_store_article *a)
{
    regrow *r = user;
    kh_buf *b = r->json;
    kh_status rc = kh_buf_printf(b, "%s{\"source\":", r->n ? "," : "");
    if (rc == KH_OK && a->source) rc = kh_buf_json_string(b, a->source, strlen(a->source));
    else if (rc == KH_OK) rc = kh_buf_puts(b, "null");
    if (rc == KH_OK) rc = kh_buf_printf(b, ",\"first\":%s,\"date\":", r->n ? "false" : "true");
    if (rc == KH_OK && a->date) rc = kh_buf_json_string(b, a->date, strlen(a->date));
    else if (rc == KH_OK) rc = kh_buf_puts(b, "null");
    if (rc == KH_OK) rc = kh_buf_puts(b, ",\"url\":");
    if (rc == KH_OK && a->url) rc = kh_buf_json_string(b, a->url, strlen(a->url));
    else if (rc == KH_OK) rc = kh_buf_puts(b, "null");
    if (rc == KH_OK) rc = kh_buf_puts(b, "}");
    if (rc == KH_OK)
        rc = kh_buf_append(&r->head, a->date ? a->date : "", strlen(a->date ? a->date : "") + 1);
    if (r->n == 0 && rc == KH_OK && a->body) {
        const char *nl = memchr(a->body, '\n', a->body_len);
        rc = kh_buf_append(&r->summary, a->body, nl ? (size_t)(nl - a->body) : a->body_len);
    }
    r->n++;
    r->rc = rc;
    return rc != KH_OK;
}

static kh_status regrow_account(ingest *in, int64_t story)
{
    regrow r = { &in->json, { 0 }, { 0 }, 0, KH_OK };
    kh_buf_clear(&in->json);
    kh_buf_init(&r.head, in->ctx, 0);
    kh_buf_init(&r.summary, in->ctx, 0);
    int found = 0;
    kh_status rc = kh_store_get_story(in->store, story, &found, regrow_story, regrow_article, &r);
    if (rc == KH_E_STOPPED)
        rc = r.rc;
    if (rc == KH_OK && found)
        rc = kh_buf_puts(&in->json, "],\"summary\":[");
    if (rc == KH_OK && found)
        rc = kh_buf_json_string(&in->json, r.summary.len ? r.summary.data : "", r.summary.len);
    if (rc == KH_OK && found)
        rc = kh_buf_puts(&in->json, "],\"entities\":[],\"disagreements\":[]}");
    if (rc == KH_OK && found && r.head.len) {
        const char *headline = r.head.data;
        const char *lang = headline + strlen(headline) + 1;
        const char *first = lang + strlen(lang) + 1; /* articles come oldest first */
        const char *last = first;
        for (const char *d = first + strlen(first) + 1; d < r.head.data + r.head.len;
             d += strlen(d) + 1)
            if (strcmp(d, last) > 0)
                last = d;
        kh_store_story s;
        memset(&s, 0, sizeof s);
        s.id = story;
        s.headline = headline;
        s.lang = *lang ? lang : NULL;
        s.first = *first ? first : NULL;
        s.last = *last ? last : NULL;
        s.account_json = in->json.data;
        rc = kh_store_put_story(in->store, &s, NULL);
    }
    kh_buf_free(&r.head);
    kh_buf_free(&r.summary);
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
        s.first = a->date;
        s.last = a->date;
        s.headline = a->title;
        s.lang = a->lang;
        rc = single_account(&in->json, a);
        if (rc != KH_OK)
            return rc;
        s.account_json = in->json.data;
        rc = kh_store_put_story(in->store, &s, &story);
        if (rc != KH_OK)
            return rc;
    }
    rc = kh_store_set_article_story(in->store, a->id, story, group ? group : story);
    if (rc == KH_OK && c.found && story)
        rc = regrow_account(in, story);
    if (rc != KH_OK)
        return rc;
    return batch_tick(in, 1);
}

/* Stores one document read. Clean articles (kind text) go in as they are;
 * crawled pages and HTML wait for the cleaning stage and are counted. */
static kh_status ingest_doc(ingest *in, const kh_doc *d)
{
    in->read++;
    cli_progress_tick(&in->progress, in->read);
    if (d->kind != KH_CONTENT_TEXT) {
        in->not_clean++;
        return KH_OK;
    }
    kh_store_article a;
    memset(&a, 0, sizeof a);
    a.id = d->id;
    a.file = d->file;
    a.url = d->url;
    a.source = d->source;
    a.date = d->date;
    a.title = d->title;
    a.body = d->content;
    a.body_len = d->content_len;
    kh_lang lang = d->lang != KH_LANG_UNKNOWN ? d->lang : kh_lang_detect(d->content, d->content_len);
    a.lang = kh_lang_code(lang);
    return add_article(in, &a);
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
    if (kh_store_open(in.ctx, db, &in.store) != KH_OK) {
        cli_error("%s", kh_errmsg(in.ctx));
        kh_ctx_free(in.ctx);
        return CLI_FAIL;
    }
    kh_buf_init(&in.json, in.ctx, MAX_LINE);
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
                  "\"not_clean\":%llu,\"errors\":%llu,\"seconds\":%.3f,\"articles_per_s\":%.1f%s}\n",
                  (unsigned long long)in.read, (unsigned long long)in.added,
                  (unsigned long long)in.skipped, (unsigned long long)in.copies,
                  (unsigned long long)in.not_clean,
                  (unsigned long long)in.errors, secs,
                  secs > 0 ? (double)in.read / secs : 0.0,
                  check ? (rc == KH_OK ? ",\"check\":\"ok\"" : ",\"check\":\"failed\"") : "");
    cli_flush(&out);
    kh_buf_free(&out);
    kh_buf_free(&in.json);
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
    "Reads the inputs khabar read accepts. Each new clean article (JSON Lines\n"
    "records with a \"text\" field) is stored once (ids already stored are\n"
    "skipped, so a run can be repeated or resumed after a crash) and filed\n"
    "under a story: exact copies share one, other articles start their own.\n"
    "Crawled pages and HTML are counted as not_clean and not stored yet.\n"
    "Bad records are reported on stderr and skipped. Prints one JSON line of\n"
    "counts.\n",
    run,
};
