/*
 * kh_crawl.c — kh_crawl_run(): the crawler's engine. A frontier in SQLite,
 * a scheduler that keeps each host to one connection and its delay, a
 * libcurl multi loop that fetches many hosts at once, robots.txt per host,
 * conditional GET, back-off, and the hand-off of articles to the pipeline
 * and the store. The pure parts (URLs, robots.txt, feed and sitemap links,
 * WARC) are kh_crawl_int.h's.
 *
 * The frontier (the state file)
 *   urls(url PRIMARY KEY, host, kind, status, due, attempts, hops, etag,
 *        last_modified, title, date, http, error, fetched_at, via)
 *   hosts(host PRIMARY KEY, robots, etag, last_modified, fetched_at)
 *   A URL is QUEUED until its transfer starts and FETCHED while it runs;
 *   an article stays FETCHED until the ingest batch that stored it has
 *   committed, and only then is DONE,
 *   so a crawl killed at any point re-fetches what the store may lack
 *   (FETCHED rows go back to QUEUED when a run starts) and stores nothing
 *   twice (the store keys articles by URL). Times are Unix seconds (wall
 *   clock), since they outlive the process.
 *
 *   via names the seed a URL was found from (NULL for a seed), so that a
 *   run given a shorter seed list stops crawling what the missing seeds led
 *   to; a run given none resumes everything.
 *
 * Rounds
 *   A round re-queues the run's seeds and the feeds and sitemaps they led
 *   to, each with its validators
 *   (If-None-Match / If-Modified-Since), fetches what is due, and ends when
 *   nothing is due within max_wait and no transfer runs. Articles are never
 *   re-queued by a round: only a feed or sitemap giving a newer date does
 *   that (link_cb).
 *
 * Scheduling
 *   Hosts live in memory, each with the time it may be asked again (next_ok:
 *   the end of its last transfer plus its delay, or a back-off), its robots
 *   rules and the earliest due time of its queued URLs (next_due, kept as a
 *   lower bound, so that a host with nothing due costs no query). Each turn
 *   of the loop gives every ready host at most one new transfer, asks for
 *   its robots.txt first, and lets curl_multi_poll() sleep until a transfer
 *   moves or the next host becomes ready.
 *
 * Redirects are the crawler's, not libcurl's (except for robots.txt, which
 * RFC 9309 asks to follow): the target enters the frontier like a new URL,
 * so robots.txt, the host's delay and the duplicate check apply to it, and
 * the hop count caps chains and loops.
 */
#include "kh_crawl_int.h"

#include <curl/curl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

/* URL status in the frontier. */
enum {
    ST_QUEUED = 0,
    ST_DONE = 1,
    ST_FAILED = 2,
    ST_DISALLOWED = 3,
    ST_REDIRECTED = 4,
    ST_FETCHED = 5 /* in flight, or an article waiting for its batch to commit */
};

/* A host's robots.txt, as far as the crawl knows it. */
enum { ROBOTS_UNKNOWN = 0, ROBOTS_FETCHING, ROBOTS_READY, ROBOTS_DENY };

#define HOST_MAX 256            /* "host:port" */
#define HEAD_MAX ((size_t)64 << 10) /* response and request heads */
#define ROBOTS_MAX ((size_t)512 << 10)
#define ROBOTS_RETRY 60.0       /* seconds before a failed robots.txt is asked again */
#define ROBOTS_TTL 86400.0      /* robots.txt is fetched again after a day */
#define CRAWL_DELAY_MAX 60.0    /* a Crawl-delay past this is taken as this */
#define BACKOFF_MAX 3600.0
#define HOSTS_MAX 100000

typedef struct crawl_host {
    char *name;
    int robots_state;
    khc_robots *robots;
    double robots_at;    /* when robots.txt was read, or may be asked again (DENY) */
    double next_ok;      /* no request before this */
    double delay;        /* between two requests */
    double backoff;      /* the last back-off wait */
    double next_due;     /* a lower bound of the earliest due queued URL */
    unsigned active;
    int seeded;          /* a seed lives here: its sitemaps are crawled */
} crawl_host;

/* One transfer in flight. */
typedef struct xfer {
    struct xfer *prev, *next; /* the crawl's transfers in flight */
    CURL *easy;
    crawl_host *host;
    char *url;
    kh_crawl_kind kind;
    int attempts, hops;
    char *title, *date;  /* the article's hints */
    char *via;           /* the seed it was found from (NULL: a seed) */
    kh_buf body, head, req;
    int too_big;         /* the body passed max_bytes */
    int nomem;           /* a buffer could not grow: the run fails */
    struct curl_slist *headers;
    double started;
    char errbuf[CURL_ERROR_SIZE];
} xfer;

typedef struct crawl {
    kh_ctx *ctx;
    const kh_crawl_options *o;
    kh_store *store;
    kh_crawl_stats st;
    sqlite3 *db;
    sqlite3_stmt *s_insert, *s_find, *s_set, *s_pick, *s_min_due, *s_requeue, *s_count;
    CURLM *multi;
    char ua[512];
    crawl_host **hosts;
    size_t n_hosts, cap_hosts;
    uint32_t *host_index;  /* open addressing: 1 + position in hosts, 0 empty */
    size_t index_cap;      /* a power of two, at least twice n_hosts */
    size_t active;
    xfer *flying;        /* transfers in flight, to requeue when stopped */
    khc_warc *warc;
    kh_pipeline *pipe;
    char **batch_urls;   /* articles added to pipe, to mark DONE once stored */
    size_t n_batch, cap_batch;
    uint64_t n_urls;     /* rows in the frontier (for max_urls) */
    uint64_t round_requests;
    uint64_t turns;      /* turns of the main loop */
    double counted_at;   /* when st.queued was counted */
    double started;
    int stop;            /* a callback asked to stop */
    kh_buf scratch;
    char msg[1024];
} crawl;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Strings the crawl keeps come from the context's allocator (khi_strdup),
 * as all of its memory does; khc_url_normalize()'s come from malloc, by
 * contract. */

const char *kh_crawl_kind_name(kh_crawl_kind kind)
{
    static const char *const names[] = { "seed", "feed", "sitemap", "probe", "article", "robots" };
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "unknown";
}

void kh_crawl_options_init(kh_crawl_options *o)
{
    memset(o, 0, sizeof *o);
    o->warc_max_bytes = (uint64_t)1 << 30;
    o->delay = 5.0;
    o->max_connections = 32;
    o->per_host = 1;
    o->max_bytes = (uint64_t)10 << 20;
    o->connect_timeout = 10;
    o->timeout = 60;
    o->low_speed_bytes = 100;
    o->low_speed_time = 15;
    o->max_redirects = 5;
    o->max_attempts = 3;
    o->max_wait = 30;
    o->max_urls = 1000000;
    o->batch = 100;
    kh_pipeline_options_init(&o->pipeline);
}

/* ------------------------------------------------------------------ *
 *  Problems
 * ------------------------------------------------------------------ */

/* Reports a problem with one URL: counted, given to on_problem. */
static void problem(crawl *c, const char *url, kh_crawl_kind kind, kh_status status, long http,
                    int will_retry, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
static void problem(crawl *c, const char *url, kh_crawl_kind kind, kh_status status, long http,
                    int will_retry, const char *fmt, ...)
{
    int n = snprintf(c->msg, sizeof c->msg, "%s: ", url);
    if (n < 0 || (size_t)n >= sizeof c->msg)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg + n, sizeof c->msg - (size_t)n, fmt, ap);
    va_end(ap);
    c->st.errors++;
    if (!c->o->on_problem)
        return;
    kh_crawl_problem p = { url, kind, status, http, c->msg, will_retry };
    if (c->o->on_problem(c->o->on_problem_user, &p))
        c->stop = 1;
}

/* ------------------------------------------------------------------ *
 *  The frontier
 * ------------------------------------------------------------------ */

static kh_status db_error(crawl *c, const char *what)
{
    return kh_ctx_error(c->ctx, KH_E_DB, "%s: %s: %s", c->o->state_path, what, sqlite3_errmsg(c->db));
}

static kh_status db_exec(crawl *c, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(c->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        kh_status rc = kh_ctx_error(c->ctx, KH_E_DB, "%s: %s", c->o->state_path,
                                    err ? err : "error");
        sqlite3_free(err);
        return rc;
    }
    return KH_OK;
}

/* PRAGMA application_id of a state file: "khcr". */
#define STATE_APP_ID 0x6b686372
#define STATE_APP_ID_SQL "PRAGMA application_id=1802003314;"

static const char SCHEMA[] =
    STATE_APP_ID_SQL
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS urls("
    "  url TEXT PRIMARY KEY, host TEXT NOT NULL, kind INTEGER NOT NULL,"
    "  status INTEGER NOT NULL DEFAULT 0, due REAL NOT NULL DEFAULT 0,"
    "  attempts INTEGER NOT NULL DEFAULT 0, hops INTEGER NOT NULL DEFAULT 0,"
    "  etag TEXT, last_modified TEXT, title TEXT, date TEXT,"
    "  http INTEGER, error TEXT, fetched_at REAL, via TEXT);"
    "CREATE INDEX IF NOT EXISTS urls_host_due ON urls(host, status, due);"
    /* the next URL of a host, feeds and sitemaps before articles, without
     * sorting the host's queue at each pick */
    "CREATE INDEX IF NOT EXISTS urls_host_pick ON urls(host, status, kind=4, due);"
    "CREATE TEMP TABLE run_seeds(url TEXT PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS hosts("
    "  host TEXT PRIMARY KEY, robots BLOB, etag TEXT, last_modified TEXT, fetched_at REAL);";

static kh_status prepare(crawl *c, sqlite3_stmt **st, const char *sql)
{
    if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK)
        return db_error(c, "prepare");
    return KH_OK;
}

static kh_status state_open(crawl *c)
{
    /* Without seeds there is only a crawl to resume: no file is made. */
    int flags = SQLITE_OPEN_READWRITE | (c->o->n_seeds ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(c->o->state_path, &c->db, flags, NULL) != SQLITE_OK) {
        if (!c->o->n_seeds)
            return kh_ctx_error(c->ctx, KH_E_ARG, "crawl: no seeds, and no crawl to resume in %s",
                                c->o->state_path);
        return db_error(c, "cannot open");
    }
    sqlite3_busy_timeout(c->db, 10000);
    /* A file with tables that is not a crawl's state (the store itself,
     * given by mistake) is left as it is. */
    sqlite3_stmt *q = NULL;
    KHI_FORWARD_IF_ERROR(prepare(c, &q, "SELECT (SELECT count(*) FROM sqlite_master),"
                                        " (SELECT application_id FROM pragma_application_id)"));
    int tables = 0, app = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        tables = sqlite3_column_int(q, 0);
        app = sqlite3_column_int(q, 1);
    }
    sqlite3_finalize(q);
    if (tables && app != STATE_APP_ID)
        return kh_ctx_error(c->ctx, KH_E_DB, "%s: not the state file of a crawl", c->o->state_path);
    KHI_FORWARD_IF_ERROR(db_exec(c, SCHEMA));
    /* Articles fetched by a run that did not live to store them. */
    KHI_FORWARD_IF_ERROR(db_exec(c, "UPDATE urls SET status=0 WHERE status=5"));
    KHI_FORWARD_IF_ERROR(prepare(c, &c->s_insert,
        "INSERT OR IGNORE INTO urls(url, host, kind, due, hops, title, date, via)"
        " VALUES(?,?,?,?,?,?,?,?)"));
    KHI_FORWARD_IF_ERROR(prepare(c, &c->s_find,
        "SELECT status, date, kind FROM urls WHERE url=?"));
    KHI_FORWARD_IF_ERROR(prepare(c, &c->s_set,
        "UPDATE urls SET status=?2, due=?3, attempts=?4, http=?5, error=?6, fetched_at=?7,"
        " etag=coalesce(?8, etag), last_modified=coalesce(?9, last_modified),"
        " kind=coalesce(?10, kind) WHERE url=?1"));
    KHI_FORWARD_IF_ERROR(prepare(c, &c->s_pick,
        "SELECT url, kind, attempts, hops, etag, last_modified, title, date, via FROM urls"
        " WHERE host=?1 AND status=0 AND (kind=4)=?3 AND due<=?2 ORDER BY due LIMIT 1"));
    KHI_FORWARD_IF_ERROR(prepare(c, &c->s_min_due,
        "SELECT min(due) FROM urls WHERE host=?1 AND status=0"));
    KHI_FORWARD_IF_ERROR(prepare(c, &c->s_requeue,
        "UPDATE urls SET status=0, due=?2, title=coalesce(?3, title), date=?4, hops=0"
        " WHERE url=?1"));
    KHI_FORWARD_IF_ERROR(prepare(c, &c->s_count, "SELECT count(*) FROM urls WHERE status=0"));
    sqlite3_stmt *n = NULL;
    KHI_FORWARD_IF_ERROR(prepare(c, &n, "SELECT count(*) FROM urls"));
    if (sqlite3_step(n) == SQLITE_ROW)
        c->n_urls = (uint64_t)sqlite3_column_int64(n, 0);
    sqlite3_finalize(n);
    return KH_OK;
}

static void state_close(crawl *c)
{
    sqlite3_stmt *all[] = { c->s_insert, c->s_find, c->s_set, c->s_pick, c->s_min_due,
                            c->s_requeue, c->s_count };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(c->db);
}

static void bind_text(sqlite3_stmt *s, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(s, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static size_t host_hash(const char *name)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (size_t)khi_mix64(h);
}

/* The slot of name in the index: where it is, or the empty slot it would take. */
static size_t host_slot(const crawl *c, const char *name)
{
    size_t mask = c->index_cap - 1, i = host_hash(name) & mask;
    while (c->host_index[i] && strcmp(c->hosts[c->host_index[i] - 1]->name, name) != 0)
        i = (i + 1) & mask;
    return i;
}

static crawl_host *host_find(crawl *c, const char *name)
{
    if (!c->index_cap)
        return NULL;
    uint32_t at = c->host_index[host_slot(c, name)];
    return at ? c->hosts[at - 1] : NULL;
}

/* Keeps the index at most half full. */
static kh_status host_index_grow(crawl *c)
{
    if (c->index_cap && (c->n_hosts + 1) * 2 <= c->index_cap)
        return KH_OK;
    size_t cap = c->index_cap ? c->index_cap * 2 : 64;
    uint32_t *idx = kh_malloc(c->ctx, cap * sizeof *idx);
    if (!idx)
        return KH_E_NOMEM;
    memset(idx, 0, cap * sizeof *idx);
    if (c->host_index)
        kh_free(c->ctx, c->host_index, c->index_cap * sizeof *idx);
    c->host_index = idx;
    c->index_cap = cap;
    for (size_t i = 0; i < c->n_hosts; i++)
        idx[host_slot(c, c->hosts[i]->name)] = (uint32_t)(i + 1);
    return KH_OK;
}

static kh_status host_get(crawl *c, const char *name, crawl_host **out)
{
    *out = host_find(c, name);
    if (*out)
        return KH_OK;
    if (c->n_hosts >= HOSTS_MAX)
        return kh_ctx_error(c->ctx, KH_E_TOOBIG, "more than %d hosts", HOSTS_MAX);
    KHI_FORWARD_IF_ERROR(KHI_GROW(c->ctx, c->hosts, c->n_hosts, c->cap_hosts, 16));
    KHI_FORWARD_IF_ERROR(host_index_grow(c));
    crawl_host *h = kh_malloc(c->ctx, sizeof *h);
    if (h)
        memset(h, 0, sizeof *h);
    if (!h || !(h->name = khi_strdup(c->ctx, name))) {
        if (h)
            kh_free(c->ctx, h, sizeof *h);
        return KH_E_NOMEM;
    }
    h->delay = c->o->delay;
    h->next_due = INFINITY;
    c->host_index[host_slot(c, name)] = (uint32_t)(c->n_hosts + 1);
    c->hosts[c->n_hosts++] = h;
    c->st.hosts = c->n_hosts;
    *out = h;
    return KH_OK;
}

/* Puts a normalized URL in the frontier unless it is there. *is_new (may
 * be NULL) receives 1 when inserted. */
static kh_status url_add(crawl *c, const char *url, kh_crawl_kind kind, int hops, const char *title,
                         const char *date, const char *via, double due, int *is_new)
{
    char host[HOST_MAX];
    if (is_new)
        *is_new = 0;
    if (!khc_url_host(url, host, sizeof host))
        return KH_OK; /* no host worth a request */
    if (c->n_urls >= c->o->max_urls)
        return KH_OK;
    crawl_host *h;
    KHI_FORWARD_IF_ERROR(host_get(c, host, &h));
    sqlite3_stmt *s = c->s_insert;
    sqlite3_reset(s);
    bind_text(s, 1, url);
    bind_text(s, 2, host);
    sqlite3_bind_int(s, 3, (int)kind);
    sqlite3_bind_double(s, 4, due);
    sqlite3_bind_int(s, 5, hops);
    bind_text(s, 6, title);
    bind_text(s, 7, date);
    bind_text(s, 8, via);
    if (sqlite3_step(s) != SQLITE_DONE)
        return db_error(c, "insert");
    if (sqlite3_changes(c->db) > 0) {
        c->n_urls++;
        if (due < h->next_due)
            h->next_due = due;
        if (is_new)
            *is_new = 1;
    }
    if (kind == KH_CRAWL_SEED)
        h->seeded = 1;
    return KH_OK;
}

/* Records what became of a URL. etag, last_modified and kind (-1: kept)
 * are only written when given. */
static kh_status url_set(crawl *c, const char *url, int status, double due, int attempts, long http,
                         const char *error, const char *etag, const char *last_modified, int kind)
{
    sqlite3_stmt *s = c->s_set;
    sqlite3_reset(s);
    bind_text(s, 1, url);
    sqlite3_bind_int(s, 2, status);
    sqlite3_bind_double(s, 3, due);
    sqlite3_bind_int(s, 4, attempts);
    if (http)
        sqlite3_bind_int64(s, 5, http);
    else
        sqlite3_bind_null(s, 5);
    bind_text(s, 6, error);
    sqlite3_bind_double(s, 7, now_s());
    bind_text(s, 8, etag);
    bind_text(s, 9, last_modified);
    if (kind >= 0)
        sqlite3_bind_int(s, 10, kind);
    else
        sqlite3_bind_null(s, 10);
    if (sqlite3_step(s) != SQLITE_DONE)
        return db_error(c, "update");
    return KH_OK;
}

/* Puts a URL back in the queue at due (the host learns of it). */
static kh_status url_requeue(crawl *c, crawl_host *h, const char *url, int attempts, long http,
                             const char *error, double due)
{
    KHI_FORWARD_IF_ERROR(url_set(c, url, ST_QUEUED, due, attempts, http, error, NULL, NULL, -1));
    if (h && due < h->next_due)
        h->next_due = due;
    return KH_OK;
}

/* ------------------------------------------------------------------ *
 *  Links found in fetched documents
 * ------------------------------------------------------------------ */

typedef struct link_ctx {
    crawl *c;
    const char *via;    /* the seed the document was found from */
    int feeds;          /* feed links seen (a home page without any is probed) */
    kh_status rc;
} link_ctx;

static int link_cb(void *user, const khc_link *l)
{
    link_ctx *lc = user;
    crawl *c = lc->c;
    kh_crawl_kind kind = l->kind == KHC_LINK_FEED ? KH_CRAWL_FEED
                         : l->kind == KHC_LINK_SITEMAP ? KH_CRAWL_SITEMAP : KH_CRAWL_ARTICLE;
    if (kind == KH_CRAWL_FEED)
        lc->feeds++;
    int is_new = 0;
    double now = now_s();
    int64_t when = 0;
    int dated = l->date && kh_story_parse_date(l->date, strlen(l->date), &when) == KH_OK;
    if (kind == KH_CRAWL_ARTICLE && dated && c->o->max_age > 0 &&
        (double)when < now - c->o->max_age) {
        c->st.too_old++;
        return 0;
    }
    lc->rc = url_add(c, l->url, kind, 0, l->title, l->date, lc->via, now, &is_new);
    if (lc->rc != KH_OK)
        return 1;
    if (is_new) {
        c->st.links++;
        return 0;
    }
    if (kind != KH_CRAWL_ARTICLE || !dated)
        return 0;
    /* A known article: fetched again only when the feed dates it later
     * than it was. */
    sqlite3_stmt *s = c->s_find;
    sqlite3_reset(s);
    bind_text(s, 1, l->url);
    if (sqlite3_step(s) != SQLITE_ROW)
        return 0;
    int status = sqlite3_column_int(s, 0);
    const char *old = (const char *)sqlite3_column_text(s, 1);
    int kind_there = sqlite3_column_int(s, 2);
    /* (a date where there was none says nothing of a change) */
    int64_t was = 0;
    int newer = kind_there == KH_CRAWL_ARTICLE && (status == ST_DONE || status == ST_FAILED) &&
                old && kh_story_parse_date(old, strlen(old), &was) == KH_OK && when > was;
    sqlite3_reset(s);
    if (!newer)
        return 0;
    sqlite3_stmt *r = c->s_requeue;
    sqlite3_reset(r);
    bind_text(r, 1, l->url);
    sqlite3_bind_double(r, 2, now);
    bind_text(r, 3, l->title);
    bind_text(r, 4, l->date);
    if (sqlite3_step(r) != SQLITE_DONE) {
        lc->rc = db_error(c, "requeue");
        return 1;
    }
    char host[HOST_MAX];
    crawl_host *h = khc_url_host(l->url, host, sizeof host) ? host_find(c, host) : NULL;
    if (h && now < h->next_due)
        h->next_due = now;
    return 0;
}

/* The common places of a feed, tried on a home page that links none. */
static kh_status add_probes(crawl *c, const char *home, const char *via)
{
    static const char *const paths[] = { "/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char *u = NULL;
        kh_status rc = khc_url_normalize(home, paths[i], &u);
        if (rc == KH_OK)
            rc = url_add(c, u, KH_CRAWL_PROBE, 0, NULL, NULL, via, now_s(), NULL);
        free(u);
        if (rc != KH_OK && rc != KH_E_ARG)
            return rc;
    }
    return KH_OK;
}

/* ------------------------------------------------------------------ *
 *  HTTP heads
 * ------------------------------------------------------------------ */

/* The value of header name in a response head, copied into out (white
 * space trimmed); 0 when absent or longer than cap - 1. */
static int head_value(const kh_buf *head, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    const char *p = head->data, *end = head->data + head->len;
    while (p && p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        if ((size_t)(le - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1;
            while (v < le && (*v == ' ' || *v == '\t'))
                v++;
            const char *ve = le;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            if ((size_t)(ve - v) >= cap)
                return 0;
            memcpy(out, v, (size_t)(ve - v));
            out[ve - v] = '\0';
            return 1;
        }
        p = eol ? eol + 1 : NULL;
    }
    return 0;
}

/* Retry-After: seconds, or an HTTP date. @return seconds from now, or -1. */
static double retry_after(const kh_buf *head)
{
    char v[128];
    if (!head_value(head, "Retry-After", v, sizeof v))
        return -1;
    char *end;
    double s = strtod(v, &end);
    if (end != v && *end == '\0' && s >= 0)
        return s;
    time_t t = curl_getdate(v, NULL);
    if (t < 0)
        return -1;
    double d = (double)t - now_s();
    return d > 0 ? d : 0;
}

/* ------------------------------------------------------------------ *
 *  Transfers
 * ------------------------------------------------------------------ */

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
    xfer *x = user;
    size_t len = size * n;
    kh_status rc = kh_buf_append(&x->body, data, len);
    if (rc != KH_OK) {
        x->too_big = rc == KH_E_TOOBIG;
        x->nomem = rc == KH_E_NOMEM;
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
    xfer *x = user;
    size_t len = size * n;
    /* A new status line (after 100 Continue, or the next hop of robots.txt's
     * redirects) starts the head over. */
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0)
        kh_buf_clear(&x->head);
    kh_status rc = kh_buf_append(&x->head, data, len);
    x->nomem |= rc == KH_E_NOMEM;
    return rc == KH_OK ? len : 0;
}

static int on_debug(CURL *easy, curl_infotype type, char *data, size_t len, void *user)
{
    (void)easy;
    xfer *x = user;
    if (type == CURLINFO_HEADER_OUT) {
        kh_buf_clear(&x->req);
        x->nomem |= kh_buf_append(&x->req, data, len) == KH_E_NOMEM;
    }
    return 0;
}

static void xfer_free(crawl *c, xfer *x)
{
    if (!x)
        return;
    if (x->prev)
        x->prev->next = x->next;
    else if (c->flying == x)
        c->flying = x->next;
    if (x->next)
        x->next->prev = x->prev;
    if (x->easy) {
        curl_multi_remove_handle(c->multi, x->easy);
        curl_easy_cleanup(x->easy);
    }
    curl_slist_free_all(x->headers);
    kh_buf_free(&x->body);
    kh_buf_free(&x->head);
    kh_buf_free(&x->req);
    khi_strfree(c->ctx, x->url);
    khi_strfree(c->ctx, x->title);
    khi_strfree(c->ctx, x->date);
    khi_strfree(c->ctx, x->via);
    kh_free(c->ctx, x, sizeof *x);
}

/* Starts fetching url from host h. etag and last_modified make it
 * conditional. */
static kh_status xfer_start(crawl *c, crawl_host *h, const char *url, kh_crawl_kind kind,
                            int attempts, int hops, const char *etag, const char *last_modified,
                            const char *title, const char *date, const char *via)
{
    const kh_crawl_options *o = c->o;
    xfer *x = kh_malloc(c->ctx, sizeof *x);
    if (!x)
        return KH_E_NOMEM;
    memset(x, 0, sizeof *x);
    kh_buf_init(&x->body, c->ctx, (size_t)o->max_bytes);
    kh_buf_init(&x->head, c->ctx, HEAD_MAX);
    kh_buf_init(&x->req, c->ctx, HEAD_MAX);
    x->host = h;
    x->kind = kind;
    x->attempts = attempts;
    x->hops = hops;
    x->url = khi_strdup(c->ctx, url);
    x->title = khi_strdup(c->ctx, title);
    x->date = khi_strdup(c->ctx, date);
    x->via = khi_strdup(c->ctx, via);
    x->easy = curl_easy_init();
    if (!x->url || (title && !x->title) || (date && !x->date) || (via && !x->via) || !x->easy) {
        xfer_free(c, x);
        return KH_E_NOMEM;
    }
    char line[1024];
    if (etag && strlen(etag) < 900) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        x->headers = curl_slist_append(x->headers, line);
    }
    if (last_modified && strlen(last_modified) < 900) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", last_modified);
        struct curl_slist *l = curl_slist_append(x->headers, line);
        if (l)
            x->headers = l;
    }
    CURL *e = x->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_USERAGENT, c->ua);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    /* Only robots.txt is followed by libcurl (RFC 9309: five hops). */
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, kind == KH_CRAWL_ROBOTS ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)o->max_redirects);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(o->connect_timeout * 1000));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_bytes);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)ceil(o->low_speed_time));
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    /* The request head as sent, for the WARC request record. */
    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(e, CURLOPT_DEBUGDATA, x);
    curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    if (curl_multi_add_handle(c->multi, e) != CURLM_OK) {
        xfer_free(c, x);
        return kh_ctx_error(c->ctx, KH_E_INTERNAL, "curl_multi_add_handle failed");
    }
    x->next = c->flying;
    if (c->flying)
        c->flying->prev = x;
    c->flying = x;
    x->started = now_s();
    h->active++;
    c->active++;
    c->st.requests++;
    c->round_requests++;
    return KH_OK;
}

/* ------------------------------------------------------------------ *
 *  Articles into the store
 * ------------------------------------------------------------------ */

static int pipe_problem(void *user, const kh_pipeline_problem *pr)
{
    crawl *c = user;
    if (pr->status == KH_OK)
        return 0; /* no article on the page: counted by the ingest */
    problem(c, pr->id ? pr->id : "?", KH_CRAWL_ARTICLE, pr->status, 0, 0, "%s: %s", pr->stage,
            kh_errmsg(c->ctx));
    return c->stop;
}

/* Stores the articles added since the last batch, then marks them DONE. */
static kh_status batch_flush(crawl *c)
{
    if (!c->pipe)
        return KH_OK;
    kh_pipeline_ingest_stats is;
    memset(&is, 0, sizeof is);
    kh_status rc = kh_pipeline_ingest(c->pipe, c->store, &is);
    kh_pipeline_free(c->pipe);
    c->pipe = NULL;
    c->st.stored_added += is.added;
    c->st.stored_updated += is.updated;
    c->st.stored_unchanged += is.unchanged;
    c->st.no_body += is.no_body;
    c->st.batches++;
    if (rc == KH_OK) {
        rc = db_exec(c, "BEGIN");
        for (size_t i = 0; rc == KH_OK && i < c->n_batch; i++)
            rc = url_set(c, c->batch_urls[i], ST_DONE, 0, 0, 200, NULL, NULL, NULL, -1);
        if (rc == KH_OK)
            rc = db_exec(c, "COMMIT");
        else
            db_exec(c, "ROLLBACK");
    }
    for (size_t i = 0; i < c->n_batch; i++)
        khi_strfree(c->ctx, c->batch_urls[i]);
    c->n_batch = 0;
    return rc;
}

/*
 * Hands one fetched article to the pipeline: the body wrapped as a WARC
 * resource record read back by kh_reader_open_buffer(), so that it is read
 * exactly as a crawled page from a file is (the HTTP charset when the page
 * is not UTF-8, stray bytes repaired), with the feed's title and date as
 * the document's.
 */
static kh_status batch_add(crawl *c, xfer *x, const char *ctype)
{
    kh_buf *w = &c->scratch;
    kh_buf_clear(w);
    kh_buf_printf(w, "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: %s\r\n"
                     "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                  x->url, ctype, x->body.len);
    kh_buf_append(w, x->body.data, x->body.len);
    kh_status rc = kh_buf_append(w, "\r\n\r\n", 4);
    if (rc != KH_OK)
        return rc;
    kh_reader *r = NULL;
    KHI_FORWARD_IF_ERROR(kh_reader_open_buffer(c->ctx, x->url, w->data, w->len, &r));
    kh_doc *d = NULL;
    rc = kh_reader_next(r, &d);
    if (rc != KH_OK || !d) {
        kh_reader_free(r);
        if (rc == KH_E_NOMEM)
            return rc;
        problem(c, x->url, x->kind, rc == KH_OK ? KH_E_FORMAT : rc, 200, 0, "%s",
                rc == KH_OK ? "not a page" : kh_errmsg(c->ctx));
        return url_set(c, x->url, ST_FAILED, 0, x->attempts, 200, "unreadable", NULL, NULL, -1);
    }
    kh_reader_free(r);
    if (x->title)
        d->title = kh_arena_strndup(d->arena, x->title, strlen(x->title));
    if (x->date)
        d->date = kh_arena_strndup(d->arena, x->date, strlen(x->date));
    if ((x->title && !d->title) || (x->date && !d->date)) {
        kh_doc_free(d);
        return KH_E_NOMEM;
    }
    if (!c->pipe) {
        kh_pipeline_options po = c->o->pipeline;
        po.on_problem = pipe_problem;
        po.on_problem_user = c;
        rc = kh_pipeline_create(c->ctx, &po, &c->pipe);
        if (rc != KH_OK) {
            kh_doc_free(d);
            return rc;
        }
    }
    rc = kh_pipeline_add_doc(c->pipe, d);
    kh_doc_free(d);
    KHI_FORWARD_IF_ERROR(rc);
    KHI_FORWARD_IF_ERROR(KHI_GROW(c->ctx, c->batch_urls, c->n_batch, c->cap_batch, 64));
    if (!(c->batch_urls[c->n_batch] = khi_strdup(c->ctx, x->url)))
        return KH_E_NOMEM;
    c->n_batch++;
    KHI_FORWARD_IF_ERROR(url_set(c, x->url, ST_FETCHED, 0, x->attempts, 200, NULL, NULL, NULL, -1));
    if (c->n_batch >= c->o->batch)
        return batch_flush(c);
    return KH_OK;
}

/* ------------------------------------------------------------------ *
 *  What a finished transfer means
 * ------------------------------------------------------------------ */

static kh_status robots_apply(crawl *c, crawl_host *h, const char *txt, size_t len)
{
    khc_robots_free(h->robots);
    h->robots = NULL;
    KHI_FORWARD_IF_ERROR(khc_robots_parse(txt, len, "khabar", &h->robots));
    double cd = khc_robots_crawl_delay(h->robots);
    if (cd > CRAWL_DELAY_MAX)
        cd = CRAWL_DELAY_MAX;
    h->delay = cd > c->o->delay ? cd : c->o->delay;
    h->robots_state = ROBOTS_READY;
    h->robots_at = now_s();
    if (!h->seeded)
        return KH_OK;
    const char *const *maps = NULL;
    size_t n = khc_robots_sitemaps(h->robots, &maps);
    if (!n)
        return KH_OK;
    /* The sitemaps belong to the host's seed (one of this run's first). */
    sqlite3_stmt *s = NULL;
    KHI_FORWARD_IF_ERROR(prepare(c, &s, "SELECT coalesce(via, url) FROM urls WHERE host=?1 AND kind=0"
                                        " ORDER BY url IN temp.run_seeds DESC LIMIT 1"));
    bind_text(s, 1, h->name);
    char *via = sqlite3_step(s) == SQLITE_ROW
                    ? khi_strdup(c->ctx, (const char *)sqlite3_column_text(s, 0)) : NULL;
    sqlite3_finalize(s);
    kh_status rc = KH_OK;
    for (size_t i = 0; rc == KH_OK && i < n; i++) {
        char *u = NULL;
        if (khc_url_normalize(NULL, maps[i], &u) == KH_OK) {
            int is_new = 0;
            rc = url_add(c, u, KH_CRAWL_SITEMAP, 0, NULL, NULL, via, now_s(), &is_new);
            c->st.links += (uint64_t)is_new;
            free(u);
        }
    }
    khi_strfree(c->ctx, via);
    return rc;
}

static kh_status robots_done(crawl *c, xfer *x, CURLcode res, long http)
{
    crawl_host *h = x->host;
    char etag[512] = "", lm[128] = "";
    sqlite3_stmt *s = NULL;
    kh_status rc = KH_OK;
    if (res == CURLE_OK && http == 304) {
        c->st.not_modified++;
        rc = prepare(c, &s, "SELECT robots FROM hosts WHERE host=?");
        if (rc == KH_OK) {
            bind_text(s, 1, h->name);
            if (sqlite3_step(s) == SQLITE_ROW)
                rc = robots_apply(c, h, sqlite3_column_blob(s, 0),
                                  (size_t)sqlite3_column_bytes(s, 0));
            else
                rc = robots_apply(c, h, "", 0);
        }
        sqlite3_finalize(s);
        return rc;
    }
    if (res == CURLE_OK && http >= 200 && http < 300) {
        c->st.fetched++;
        head_value(&x->head, "ETag", etag, sizeof etag);
        head_value(&x->head, "Last-Modified", lm, sizeof lm);
        size_t len = KHI_MIN(x->body.len, ROBOTS_MAX);
        rc = prepare(c, &s, "INSERT OR REPLACE INTO hosts(host, robots, etag, last_modified,"
                            " fetched_at) VALUES(?,?,?,?,?)");
        if (rc == KH_OK) {
            bind_text(s, 1, h->name);
            sqlite3_bind_blob(s, 2, len ? x->body.data : "", (int)len, SQLITE_TRANSIENT);
            bind_text(s, 3, etag[0] ? etag : NULL);
            bind_text(s, 4, lm[0] ? lm : NULL);
            sqlite3_bind_double(s, 5, now_s());
            if (sqlite3_step(s) != SQLITE_DONE)
                rc = db_error(c, "robots");
        }
        sqlite3_finalize(s);
        KHI_FORWARD_IF_ERROR(rc);
        return robots_apply(c, h, x->body.data ? x->body.data : "", len);
    }
    if (res == CURLE_OK && http >= 400 && http < 500 && http != 429) {
        /* RFC 9309: unavailable robots.txt, every path allowed. */
        return robots_apply(c, h, "", 0);
    }
    /* Unreachable or a server error: nothing is fetched from the host until
     * robots.txt is read, a minute from now. */
    h->robots_state = ROBOTS_DENY;
    h->robots_at = now_s() + ROBOTS_RETRY;
    if (h->robots_at > h->next_ok)
        h->next_ok = h->robots_at;
    problem(c, x->url, KH_CRAWL_ROBOTS, KH_E_IO, res == CURLE_OK ? http : 0, 1,
            "robots.txt unavailable (%s); the host waits",
            res == CURLE_OK ? "server error" : (x->errbuf[0] ? x->errbuf : curl_easy_strerror(res)));
    return KH_OK;
}

/* The Content-Type's media type is a page the pipeline reads. */
static int page_type(const char *ct, const kh_buf *body)
{
    if (!ct[0]) {
        size_t i = 0;
        while (i < body->len && (body->data[i] == ' ' || body->data[i] == '\n' ||
                                 body->data[i] == '\r' || body->data[i] == '\t'))
            i++;
        return i < body->len && body->data[i] == '<';
    }
    return strncasecmp(ct, "text/html", 9) == 0 || strncasecmp(ct, "application/xhtml", 17) == 0;
}

/*
 * A body that is a gzip file (sitemap.xml.gz, served as it is rather than
 * with a Content-Encoding) is inflated into out, within max_bytes like any
 * body. @return KH_OK, KH_E_TOOBIG, KH_E_GZIP or KH_E_NOMEM.
 */
static kh_status gunzip_body(crawl *c, const kh_buf *body, kh_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return KH_E_NOMEM;
    z.next_in = (Bytef *)body->data;
    z.avail_in = (uInt)body->len;
    kh_status rc = KH_OK;
    int zr = Z_OK;
    unsigned char chunk[16384];
    while (rc == KH_OK && zr != Z_STREAM_END) {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        zr = inflate(&z, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END) {
            rc = KH_E_GZIP;
            break;
        }
        rc = kh_buf_append(out, chunk, sizeof chunk - z.avail_out);
        if (zr == Z_OK && z.avail_in == 0 && z.avail_out != 0)
            rc = rc == KH_OK ? KH_E_GZIP : rc; /* truncated */
    }
    inflateEnd(&z);
    KHI_UNUSED(c);
    return rc;
}

static kh_status doc_done(crawl *c, xfer *x, long http)
{
    char etag[512] = "", lm[128] = "", ct[256] = "";
    head_value(&x->head, "ETag", etag, sizeof etag);
    head_value(&x->head, "Last-Modified", lm, sizeof lm);
    head_value(&x->head, "Content-Type", ct, sizeof ct);
    c->st.fetched++;
    if (x->kind == KH_CRAWL_ARTICLE) {
        c->st.articles++;
        if (c->store && page_type(ct, &x->body))
            return batch_add(c, x, ct[0] ? ct : "text/html");
        return url_set(c, x->url, ST_DONE, 0, x->attempts, http, NULL, etag[0] ? etag : NULL,
                       lm[0] ? lm : NULL, -1);
    }
    if (x->body.len >= 2 && (unsigned char)x->body.data[0] == 0x1f &&
        (unsigned char)x->body.data[1] == 0x8b && x->body.len <= UINT_MAX) {
        kh_buf plain;
        kh_buf_init(&plain, c->ctx, (size_t)c->o->max_bytes);
        kh_status gr = gunzip_body(c, &x->body, &plain);
        if (gr == KH_E_NOMEM) {
            kh_buf_free(&plain);
            return gr;
        }
        if (gr != KH_OK) {
            kh_buf_free(&plain);
            problem(c, x->url, x->kind, gr, http, 0, "%s",
                    gr == KH_E_TOOBIG ? "gzip file inflates past the size cap"
                                      : "corrupt or truncated gzip file");
            return url_set(c, x->url, ST_FAILED, 0, x->attempts + 1, http, "bad gzip", NULL, NULL, -1);
        }
        kh_buf_free(&x->body);
        x->body = plain;
    }
    link_ctx lc = { c, x->via ? x->via : x->url, 0, KH_OK };
    khc_doc_kind dk = KHC_DOC_UNKNOWN;
    /* One transaction for the document's links: a sitemap holds 50,000. */
    KHI_FORWARD_IF_ERROR(db_exec(c, "BEGIN"));
    kh_status rc = khc_links_parse(x->body.data ? x->body.data : "", x->body.len, x->url,
                                   ct[0] ? ct : NULL, &dk, link_cb, &lc);
    if (lc.rc != KH_OK)
        rc = lc.rc;
    if (rc == KH_E_STOPPED)
        rc = KH_OK;
    if (rc != KH_OK) {
        db_exec(c, "ROLLBACK");
        return rc;
    }
    KHI_FORWARD_IF_ERROR(db_exec(c, "COMMIT"));
    int kind = -1;
    if (x->kind == KH_CRAWL_PROBE && dk != KHC_DOC_HTML && dk != KHC_DOC_UNKNOWN)
        kind = KH_CRAWL_FEED; /* a probe that found a feed is a feed from now on */
    if (x->kind == KH_CRAWL_SEED && dk == KHC_DOC_HTML && lc.feeds == 0)
        KHI_FORWARD_IF_ERROR(add_probes(c, x->url, lc.via));
    if (dk == KHC_DOC_UNKNOWN && x->kind != KH_CRAWL_PROBE)
        problem(c, x->url, x->kind, KH_E_FORMAT, http, 0,
                "neither a feed, a sitemap nor a web page (%zu bytes)", x->body.len);
    int soft404 = x->kind == KH_CRAWL_PROBE && (dk == KHC_DOC_HTML || dk == KHC_DOC_UNKNOWN);
    return url_set(c, x->url, soft404 ? ST_FAILED : ST_DONE, 0, 0, http, NULL,
                   etag[0] ? etag : NULL, lm[0] ? lm : NULL, kind);
}

static kh_status redirect_done(crawl *c, xfer *x, long http)
{
    char loc[4096];
    char *target = NULL;
    c->st.redirects++;
    if (!head_value(&x->head, "Location", loc, sizeof loc) ||
        khc_url_normalize(x->url, loc, &target) != KH_OK) {
        problem(c, x->url, x->kind, KH_E_FORMAT, http, 0, "redirect without a usable Location");
        return url_set(c, x->url, ST_FAILED, 0, x->attempts, http, "bad redirect", NULL, NULL, -1);
    }
    kh_status rc;
    if ((unsigned)x->hops + 1 > c->o->max_redirects) {
        problem(c, x->url, x->kind, KH_E_LIMIT, http, 0, "more than %u redirects",
                c->o->max_redirects);
        rc = url_set(c, x->url, ST_FAILED, 0, x->attempts, http, "too many redirects", NULL, NULL, -1);
    } else {
        int is_new = 0;
        rc = url_add(c, target, x->kind, x->hops + 1, x->title, x->date,
                     x->via ? x->via : x->url, now_s(), &is_new);
        if (rc == KH_OK && !is_new && strcmp(target, x->url) != 0) {
            /* A target met before: a loop when it redirected too. */
            sqlite3_stmt *s = c->s_find;
            sqlite3_reset(s);
            bind_text(s, 1, target);
            if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) == ST_REDIRECTED)
                problem(c, x->url, x->kind, KH_E_LIMIT, http, 0, "redirect loop through %s",
                        target);
            sqlite3_reset(s);
        } else if (rc == KH_OK && !is_new) {
            problem(c, x->url, x->kind, KH_E_LIMIT, http, 0, "redirects to itself");
        }
        if (rc == KH_OK)
            rc = url_set(c, x->url, ST_REDIRECTED, 0, x->attempts, http, NULL, NULL, NULL, -1);
    }
    free(target);
    return rc;
}

/* Writes the exchange to WARC (every response with a status but 304). */
static kh_status warc_out(crawl *c, xfer *x, long http)
{
    if (!c->warc || http == 304 || !x->head.len)
        return KH_OK;
    char *ip = NULL;
    curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip);
    khc_exchange ex;
    memset(&ex, 0, sizeof ex);
    ex.url = x->url;
    ex.fetched_unix = (int64_t)x->started;
    ex.ip = ip && ip[0] ? ip : NULL;
    ex.request = x->req.len ? x->req.data : NULL;
    ex.request_len = x->req.len;
    ex.response_head = x->head.data;
    ex.response_head_len = x->head.len;
    ex.payload = x->body.data ? x->body.data : "";
    ex.payload_len = x->body.len;
    kh_status rc = khc_warc_write(c->warc, &ex);
    if (rc == KH_OK)
        c->st.warc_records++;
    return rc;
}

/* A failure worth another try (a timeout, a reset, a 5xx) waits longer each
 * time; past max_attempts the URL fails. */
static kh_status retry_or_fail(crawl *c, xfer *x, long http, kh_status status, const char *why,
                               double wait)
{
    int attempts = x->attempts + 1;
    int again = (unsigned)attempts < c->o->max_attempts;
    problem(c, x->url, x->kind, status, http, again, "%s%s", why, again ? "; will retry" : "");
    if (!again)
        return url_set(c, x->url, ST_FAILED, 0, attempts, http, why, NULL, NULL, -1);
    c->st.retries++;
    return url_requeue(c, x->host, x->url, attempts, http, why, now_s() + wait);
}

/* The wait before trying a failed URL again: the host's delay doubled
 * each attempt, plus a second, at most BACKOFF_MAX. */
static double backoff_wait(const crawl_host *h, int attempts)
{
    double w = ldexp(h->delay, attempts < 20 ? attempts : 20) + 1;
    return w < BACKOFF_MAX ? w : BACKOFF_MAX;
}

static kh_status xfer_done(crawl *c, xfer *x, CURLcode res)
{
    crawl_host *h = x->host;
    long http = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &http);
    double now = now_s();
    h->active--;
    c->active--;
    if (x->nomem)
        return KH_E_NOMEM;
    if (now + h->delay > h->next_ok)
        h->next_ok = now + h->delay;
    c->st.bytes += x->body.len;
    if (c->o->on_page && (res == CURLE_OK || http)) {
        kh_crawl_page pg = { x->url, x->kind, http, x->body.len, now - x->started };
        if (c->o->on_page(c->o->on_page_user, &pg))
            c->stop = 1;
    }
    if (x->kind == KH_CRAWL_ROBOTS) {
        /* The host's delay is robots.txt's to set. */
        kh_status rc = res == CURLE_OK ? warc_out(c, x, http) : KH_OK;
        if (rc == KH_OK)
            rc = robots_done(c, x, res, http);
        if (now + h->delay > h->next_ok)
            h->next_ok = now + h->delay;
        return rc;
    }
    if (res != CURLE_OK) {
        const char *why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(res);
        if (x->too_big || res == CURLE_FILESIZE_EXCEEDED) {
            problem(c, x->url, x->kind, KH_E_TOOBIG, http, 0, "more than %llu bytes",
                    (unsigned long long)c->o->max_bytes);
            return url_set(c, x->url, ST_FAILED, 0, x->attempts + 1, http, "too big", NULL,
                           NULL, -1);
        }
        return retry_or_fail(c, x, http, KH_E_IO, why, backoff_wait(h, x->attempts));
    }
    KHI_FORWARD_IF_ERROR(warc_out(c, x, http));
    if (http == 304) {
        c->st.not_modified++;
        return url_set(c, x->url, ST_DONE, 0, 0, http, NULL, NULL, NULL, -1);
    }
    if (http == 429 || http == 503) {
        double ra = retry_after(&x->head);
        if (ra < 0)
            ra = h->backoff > 0 ? h->backoff * 2 : KHI_MAX(h->delay, 1.0);
        if (ra > BACKOFF_MAX)
            ra = BACKOFF_MAX;
        h->backoff = ra;
        if (now + ra > h->next_ok)
            h->next_ok = now + ra;
        char why[64];
        snprintf(why, sizeof why, "HTTP %ld, retry after %.0f s", http, ra);
        return retry_or_fail(c, x, http, KH_E_IO, why, ra);
    }
    h->backoff = 0;
    if (http >= 300 && http < 400)
        return redirect_done(c, x, http);
    if (http >= 200 && http < 300) {
        KHI_FORWARD_IF_ERROR(doc_done(c, x, http));
        return KH_OK;
    }
    char why[32];
    snprintf(why, sizeof why, "HTTP %ld", http);
    if (http >= 500)
        return retry_or_fail(c, x, http, KH_E_IO, why, backoff_wait(h, x->attempts));
    if (x->kind != KH_CRAWL_PROBE)
        problem(c, x->url, x->kind, KH_E_IO, http, 0, "%s", why);
    return url_set(c, x->url, ST_FAILED, 0, x->attempts + 1, http, why, NULL, NULL, -1);
}

/* ------------------------------------------------------------------ *
 *  The scheduler
 * ------------------------------------------------------------------ */

/* Starts robots.txt on h, at the scheme and host of url. */
static kh_status robots_start(crawl *c, crawl_host *h, const char *url)
{
    char *ru = NULL;
    kh_status rc = khc_url_normalize(url, "/robots.txt", &ru);
    if (rc == KH_E_ARG)
        return robots_apply(c, h, "", 0); /* no robots.txt to ask for: none */
    KHI_FORWARD_IF_ERROR(rc);
    char *etag = NULL, *lm = NULL;
    sqlite3_stmt *s = NULL;
    rc = prepare(c, &s, "SELECT etag, last_modified FROM hosts WHERE host=?");
    if (rc == KH_OK) {
        bind_text(s, 1, h->name);
        if (sqlite3_step(s) == SQLITE_ROW) {
            etag = khi_strdup(c->ctx, (const char *)sqlite3_column_text(s, 0));
            lm = khi_strdup(c->ctx, (const char *)sqlite3_column_text(s, 1));
        }
        sqlite3_finalize(s);
        h->robots_state = ROBOTS_FETCHING;
        rc = xfer_start(c, h, ru, KH_CRAWL_ROBOTS, 0, 0, etag, lm, NULL, NULL, NULL);
    }
    khi_strfree(c->ctx, etag);
    khi_strfree(c->ctx, lm);
    free(ru);
    return rc;
}

/* Gives host h its next transfer, when one is due. */
static kh_status host_turn(crawl *c, crawl_host *h, double now)
{
    if (h->active >= c->o->per_host || h->next_ok > now || h->next_due > now)
        return KH_OK;
    if (h->robots_state == ROBOTS_FETCHING)
        return KH_OK;
    if (h->robots_state == ROBOTS_DENY && h->robots_at > now)
        return KH_OK;
    sqlite3_stmt *s = c->s_pick;
    for (;;) {
        if (c->o->max_pages && c->round_requests >= c->o->max_pages)
            return KH_OK;
        int r = SQLITE_DONE;
        for (int articles = 0; articles < 2 && r == SQLITE_DONE; articles++) {
            sqlite3_reset(s);
            bind_text(s, 1, h->name);
            sqlite3_bind_double(s, 2, now);
            sqlite3_bind_int(s, 3, articles);
            r = sqlite3_step(s);
        }
        if (r == SQLITE_DONE) {
            /* Nothing due now: learn when, so the host costs nothing until then. */
            sqlite3_reset(s);
            sqlite3_stmt *m = c->s_min_due;
            sqlite3_reset(m);
            bind_text(m, 1, h->name);
            h->next_due = INFINITY;
            if (sqlite3_step(m) == SQLITE_ROW && sqlite3_column_type(m, 0) != SQLITE_NULL)
                h->next_due = sqlite3_column_double(m, 0);
            sqlite3_reset(m);
            return KH_OK;
        }
        if (r != SQLITE_ROW)
            return db_error(c, "pick");
        char *url = khi_strdup(c->ctx, (const char *)sqlite3_column_text(s, 0));
        kh_crawl_kind kind = (kh_crawl_kind)sqlite3_column_int(s, 1);
        int attempts = sqlite3_column_int(s, 2), hops = sqlite3_column_int(s, 3);
        const char *col[5];
        char *etag, *lm, *title, *date, *via;
        for (int k = 0; k < 5; k++)
            col[k] = (const char *)sqlite3_column_text(s, 4 + k);
        etag = khi_strdup(c->ctx, col[0]);
        lm = khi_strdup(c->ctx, col[1]);
        title = khi_strdup(c->ctx, col[2]);
        date = khi_strdup(c->ctx, col[3]);
        via = khi_strdup(c->ctx, col[4]);
        sqlite3_reset(s);
        kh_status rc = url && (etag || !col[0]) && (lm || !col[1]) && (title || !col[2]) &&
                               (date || !col[3]) && (via || !col[4]) ? KH_OK : KH_E_NOMEM;
        int started = 0;
        if (rc == KH_OK && (h->robots_state == ROBOTS_UNKNOWN ||
                            (h->robots_state == ROBOTS_READY && now - h->robots_at > ROBOTS_TTL) ||
                            h->robots_state == ROBOTS_DENY)) {
            rc = robots_start(c, h, url);
            started = 1;
        } else if (rc == KH_OK && !khc_robots_allowed(h->robots, khc_url_path(url))) {
            c->st.disallowed++;
            rc = url_set(c, url, ST_DISALLOWED, 0, attempts, 0, "robots.txt", NULL, NULL, -1);
        } else if (rc == KH_OK) {
            /* Articles are fetched whole; only indexes are asked whether
             * they changed (an article is queued again only when its feed
             * dates it later, so its old validators would hide the change
             * only when the server lies). */
            int cond = kind != KH_CRAWL_ARTICLE;
            rc = xfer_start(c, h, url, kind, attempts, hops, cond ? etag : NULL,
                            cond ? lm : NULL, title, date, via);
            if (rc == KH_OK)
                rc = url_set(c, url, ST_FETCHED, 0, attempts, 0, NULL, NULL, NULL, -1);
            started = 1;
        }
        khi_strfree(c->ctx, url);
        khi_strfree(c->ctx, etag);
        khi_strfree(c->ctx, lm);
        khi_strfree(c->ctx, title);
        khi_strfree(c->ctx, date);
        khi_strfree(c->ctx, via);
        if (rc != KH_OK || started)
            return rc;
    }
}

/* A new round: every seed, feed and sitemap is due again. */
static kh_status round_start(crawl *c)
{
    double now = now_s();
    c->st.rounds++;
    c->round_requests = 0;
    sqlite3_stmt *s = NULL;
    /* With seeds given, only they and what was found from them: a seed
     * left out of the list is an outlet no longer crawled. */
    KHI_FORWARD_IF_ERROR(prepare(c, &s, "UPDATE urls SET status=0, due=?1, attempts=0, hops=0"
                                        " WHERE kind IN (0,1,2) AND status IN (1,2) AND (?2"
                                        " OR url IN temp.run_seeds OR via IN temp.run_seeds)"));
    sqlite3_bind_double(s, 1, now);
    sqlite3_bind_int(s, 2, c->o->n_seeds == 0);
    int r = sqlite3_step(s);
    sqlite3_finalize(s);
    if (r != SQLITE_DONE)
        return db_error(c, "round");
    for (size_t i = 0; i < c->n_hosts; i++)
        c->hosts[i]->next_due = now; /* asked again at their turn */
    return KH_OK;
}

static kh_status seeds_add(crawl *c)
{
    double now = now_s();
    KHI_FORWARD_IF_ERROR(db_exec(c, "BEGIN"));
    kh_status rc = KH_OK;
    for (size_t i = 0; rc == KH_OK && i < c->o->n_seeds; i++) {
        char *u = NULL;
        rc = khc_url_normalize(NULL, c->o->seeds[i], &u);
        if (rc == KH_E_ARG)
            rc = kh_ctx_error(c->ctx, KH_E_ARG, "seed '%s' is not an http(s) URL", c->o->seeds[i]);
        if (rc == KH_OK)
            rc = url_add(c, u, KH_CRAWL_SEED, 0, NULL, NULL, NULL, now, NULL);
        if (rc == KH_OK) {
            sqlite3_stmt *r = NULL;
            rc = prepare(c, &r, "INSERT OR IGNORE INTO temp.run_seeds(url) VALUES(?)");
            if (rc == KH_OK) {
                bind_text(r, 1, u);
                if (sqlite3_step(r) != SQLITE_DONE)
                    rc = db_error(c, "seeds");
            }
            sqlite3_finalize(r);
        }
        free(u);
    }
    if (rc == KH_OK)
        return db_exec(c, "COMMIT");
    db_exec(c, "ROLLBACK");
    return rc;
}

/* Hosts with queued URLs (a run resumed), and hosts that hold a seed. */
static kh_status hosts_load(crawl *c)
{
    sqlite3_stmt *s = NULL;
    KHI_FORWARD_IF_ERROR(prepare(c, &s, "SELECT host, max(kind=0 AND (?1 OR url IN temp.run_seeds"
                                        " OR via IN temp.run_seeds)) FROM urls"
                                        " WHERE status=0 OR kind=0 GROUP BY host"));
    sqlite3_bind_int(s, 1, c->o->n_seeds == 0);
    kh_status rc = KH_OK;
    int r;
    while (rc == KH_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
        crawl_host *h;
        rc = host_get(c, (const char *)sqlite3_column_text(s, 0), &h);
        if (rc == KH_OK) {
            h->next_due = 0;
            h->seeded |= sqlite3_column_int(s, 1);
        }
    }
    sqlite3_finalize(s);
    return rc;
}

/* The counts for a report. queued is a scan of the frontier, so a
 * progress report takes it again only every few seconds (force: now). */
static void stats_refresh(crawl *c, int force)
{
    double now = now_s();
    c->st.seconds = now - c->started;
    if (!force && now - c->counted_at < 5)
        return;
    c->counted_at = now;
    sqlite3_reset(c->s_count);
    if (sqlite3_step(c->s_count) == SQLITE_ROW)
        c->st.queued = (uint64_t)sqlite3_column_int64(c->s_count, 0);
    sqlite3_reset(c->s_count);
}

static kh_status check_options(kh_ctx *ctx, const kh_crawl_options *o)
{
    if (!o || !o->state_path || !o->state_path[0])
        return kh_ctx_error(ctx, KH_E_ARG, "crawl: no state file");
    if (!(o->delay >= 0) || !(o->every >= 0) || o->max_connections == 0 || o->per_host == 0 ||
        o->max_bytes == 0 || !(o->connect_timeout > 0) || !(o->timeout > 0) ||
        o->max_attempts == 0 || o->batch == 0 || !(o->max_wait >= 0) || !(o->max_age >= 0))
        return kh_ctx_error(ctx, KH_E_ARG, "crawl: an option is out of range");
    if (o->n_seeds && !o->seeds)
        return kh_ctx_error(ctx, KH_E_ARG, "crawl: n_seeds without seeds");
    return KH_OK;
}

/* The main loop of one crawl. */
static kh_status crawl_loop(crawl *c)
{
    const kh_crawl_options *o = c->o;
    double next_round = now_s() + o->every;
    double last_progress = 0;
    int round_open = 1;
    for (;;) {
        double now = now_s();
        if (c->stop)
            return KH_E_STOPPED;
        /* Every ready host gets at most one new transfer per turn; the
         * first asked moves on each turn, so that with every connection
         * taken no host is always last. */
        double wake = INFINITY;
        size_t first = c->n_hosts ? (size_t)(c->turns++ % c->n_hosts) : 0;
        for (size_t k = 0; k < c->n_hosts && c->active < o->max_connections; k++) {
            crawl_host *h = c->hosts[(first + k) % c->n_hosts];
            KHI_FORWARD_IF_ERROR(host_turn(c, h, now));
        }
        /* With every connection busy only a transfer's end can start
         * another: ready hosts do not shorten the wait. */
        for (size_t i = 0; i < c->n_hosts && c->active < o->max_connections; i++) {
            crawl_host *h = c->hosts[i];
            if (h->active >= o->per_host || h->robots_state == ROBOTS_FETCHING)
                continue;
            double t = KHI_MAX(h->next_ok, h->next_due);
            if (h->robots_state == ROBOTS_DENY)
                t = KHI_MAX(t, h->robots_at);
            if (o->max_pages && c->round_requests >= o->max_pages)
                t = INFINITY;
            if (t < wake)
                wake = t;
        }
        if (c->active == 0 && round_open && !(wake <= now + o->max_wait)) {
            /* The round is over: what was fetched is stored. */
            KHI_FORWARD_IF_ERROR(batch_flush(c));
            round_open = 0;
            if (o->every <= 0 || (o->rounds && c->st.rounds >= o->rounds))
                return KH_OK;
        }
        if (!round_open && now >= next_round) {
            KHI_FORWARD_IF_ERROR(round_start(c));
            next_round += o->every;
            if (next_round < now)
                next_round = now + o->every;
            round_open = 1;
            continue;
        }
        if (!round_open && next_round < wake)
            wake = next_round;
        /* At most half a second, for progress and a stop asked by it. */
        double timeout = KHI_MIN(wake - now, 0.5);
        int ms = timeout <= 0 ? 0 : (int)ceil(timeout * 1000);
        int running = 0;
        if (c->active)
            curl_multi_poll(c->multi, NULL, 0, ms, NULL);
        else if (ms > 0) {
            struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
            nanosleep(&ts, NULL);
        }
        curl_multi_perform(c->multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
            if (m->msg != CURLMSG_DONE)
                continue;
            xfer *x = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            CURLcode res = m->data.result;
            kh_status rc = xfer_done(c, x, res);
            xfer_free(c, x);
            if (rc != KH_OK)
                return rc;
        }
        now = now_s();
        if (now - last_progress >= 0.5) {
            last_progress = now;
            if (o->on_progress) {
                stats_refresh(c, 0);
                if (o->on_progress(o->on_progress_user, &c->st))
                    c->stop = 1;
            }
        }
    }
}

kh_status kh_crawl_run(kh_ctx *ctx, const kh_crawl_options *opts, kh_store *store,
                       kh_crawl_stats *stats)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    KHI_RETURN_IF(!ctx, KH_E_ARG);
    KHI_FORWARD_IF_ERROR(check_options(ctx, opts));
    crawl c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.o = opts;
    c.store = store;
    c.started = now_s();
    kh_buf_init(&c.scratch, ctx, (size_t)opts->max_bytes + 65536);
    /* No contact of the project's own is made up: the operator gives one. */
    if (opts->contact && opts->contact[0])
        snprintf(c.ua, sizeof c.ua, "khabar/%s (+%s)", kh_version_string(), opts->contact);
    else
        snprintf(c.ua, sizeof c.ua, "khabar/%s", kh_version_string());
    kh_status rc = KH_OK;
    int curl_ok = 0;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        rc = kh_ctx_error(ctx, KH_E_INTERNAL, "curl_global_init failed");
    else
        curl_ok = 1;
    if (rc == KH_OK && !(c.multi = curl_multi_init()))
        rc = KH_E_NOMEM;
    if (rc == KH_OK) {
        curl_multi_setopt(c.multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)opts->per_host);
        curl_multi_setopt(c.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)opts->max_connections);
        rc = state_open(&c);
    }
    if (rc == KH_OK)
        rc = seeds_add(&c);
    if (rc == KH_OK)
        rc = hosts_load(&c);
    if (rc == KH_OK && c.n_urls == 0)
        rc = kh_ctx_error(ctx, KH_E_ARG, "crawl: no seeds, and %s holds nothing to resume",
                          opts->state_path);
    if (rc == KH_OK && opts->warc_dir)
        rc = khc_warc_open(ctx, opts->warc_dir, "khabar", opts->warc_max_bytes, c.ua, &c.warc);
    if (rc == KH_OK)
        rc = round_start(&c);
    if (rc == KH_OK)
        rc = crawl_loop(&c);
    /* Stopped or failed: what was fetched is still stored when it can be. */
    if (c.pipe && (rc == KH_OK || rc == KH_E_STOPPED)) {
        kh_status fr = batch_flush(&c);
        if (rc == KH_OK)
            rc = fr;
    }
    kh_pipeline_free(c.pipe);
    for (size_t i = 0; i < c.n_batch; i++)
        khi_strfree(ctx, c.batch_urls[i]);
    if (c.batch_urls)
        kh_free(ctx, c.batch_urls, c.cap_batch * sizeof *c.batch_urls);
    /* Transfers cut short stay queued for the next run. */
    while (c.flying) {
        xfer *x = c.flying;
        if (c.db && x->kind != KH_CRAWL_ROBOTS)
            url_set(&c, x->url, ST_QUEUED, 0, x->attempts, 0, NULL, NULL, NULL, -1);
        xfer_free(&c, x);
    }
    if (c.warc) {
        kh_status wr = khc_warc_close(c.warc);
        if (rc == KH_OK)
            rc = wr;
    }
    if (c.db) {
        stats_refresh(&c, 1);
        state_close(&c);
    }
    c.st.seconds = now_s() - c.started;
    if (stats)
        *stats = c.st;
    for (size_t i = 0; i < c.n_hosts; i++) {
        khc_robots_free(c.hosts[i]->robots);
        khi_strfree(ctx, c.hosts[i]->name);
        kh_free(ctx, c.hosts[i], sizeof *c.hosts[i]);
    }
    if (c.hosts)
        kh_free(ctx, c.hosts, c.cap_hosts * sizeof *c.hosts);
    if (c.host_index)
        kh_free(ctx, c.host_index, c.index_cap * sizeof *c.host_index);
    kh_buf_free(&c.scratch);
    if (c.multi)
        curl_multi_cleanup(c.multi);
    if (curl_ok)
        curl_global_cleanup();
    return rc;
}
