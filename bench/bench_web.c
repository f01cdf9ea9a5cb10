/*
 * bench_web.c — the store and the web server under load, on loopback only.
 *
 * 1. Stores the first BENCH_ARTICLES articles of the real corpus
 *    (../shared/corpora/saudinewsnet/articles.jsonl.gz) in a fresh store,
 *    one story per article, in batches of 500: articles stored per second
 *    (full-text indexing included).
 * 2. Starts the server on 127.0.0.1 (a free port) and runs CLIENTS threads,
 *    each with one keep-alive connection sending REQUESTS GET requests in
 *    turn over the endpoints of `kinds` below: requests per second, errors,
 *    and latency percentiles, overall and per endpoint.
 *
 *   usage: bench_web [CLIENTS [REQUESTS [ARTICLES]]]   (default 50 200 2000)
 *   KH_BENCH_WEB_DB=FILE serves that store instead (e.g. khabar ingest of
 *   all of SaudiNewsNet), stories 1..the highest id.
 */
#include "bench_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One story per article, in batches of 500. Returns the articles stored,
 * or -1. */
static int store_all(kh_store *st, const bench_corpus *c)
{
    int n = 0;
    kh_store_begin(st);
    for (size_t i = 0; i < c->n; i++) {
        const bench_article *ar = &c->v[i];
        kh_store_story s;
        memset(&s, 0, sizeof s);
        s.headline = ar->title;
        s.first = s.last = ar->date;
        s.lang = "ar";
        s.account_json = "{\"summary\":[],\"sources\":[],\"entities\":[],\"disagreements\":[]}";
        int64_t sid = 0;
        kh_store_article a;
        memset(&a, 0, sizeof a);
        a.id = ar->id;
        a.title = s.headline;
        a.body = ar->text;
        a.body_len = ar->text_len;
        a.source = ar->source;
        a.date = s.first;
        a.lang = "ar";
        if (kh_store_put_story(st, &s, &sid) != KH_OK)
            return -1;
        a.story_id = sid;
        if (kh_store_put_article(st, &a, NULL) != KH_OK)
            return -1;
        if (++n % 500 == 0) {
            kh_store_commit(st);
            kh_store_begin(st);
        }
    }
    kh_store_commit(st);
    return n;
}

/* The endpoints, in the order each client takes them. */
static const char *const kinds[] = { "/", "/story/N", "/api/stories", "/api/story/N",
                                     "/search", "/api/search", "/feed/top.atom", "/breaking" };
#define N_KINDS (sizeof kinds / sizeof kinds[0])

typedef struct client {
    unsigned port;
    int requests;
    int stories;
    int seed;
    int ok, errors;
    double *lat; /* seconds per request; request i is of kind i % N_KINDS */
    pthread_barrier_t *start; /* every client warmed up: the clock starts */
} client;

static const char *const searches[] = {
    "%D8%A7%D9%84%D8%B1%D9%8A%D8%A7%D8%B6",             /* الرياض */
    "%D9%88%D8%B2%D9%8A%D8%B1+%D8%A7%D9%84%D8%B5%D8%AD%D8%A9", /* وزير الصحة */
    "%D8%A3%D9%85%D9%8A%D8%B1",                          /* أمير */
};

static int connect_loopback(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static char *find(char *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= hay_len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* Sends one request and reads the whole response; returns the status or -1. */
static int roundtrip(int fd, const char *path, char *buf, size_t cap)
{
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
        return -1;
    size_t have = 0;
    long body = -1;
    size_t head_end = 0;
    for (;;) {
        if (have == cap)
            return -1;
        ssize_t r = recv(fd, buf + have, cap - have, 0);
        if (r <= 0)
            return -1;
        have += (size_t)r;
        if (!head_end) {
            char *e = find(buf, have, "\r\n\r\n");
            if (!e)
                continue;
            head_end = (size_t)(e - buf) + 4;
            char *cl = find(buf, head_end, "Content-Length: ");
            if (!cl)
                return -1;
            body = strtol(cl + 16, NULL, 10);
        }
        if (have >= head_end + (size_t)body) {
            int status = atoi(buf + 9);
            /* anything past this response would be a protocol error here */
            return have == head_end + (size_t)body ? status : -1;
        }
    }
}

/* The path of request i of a client, by the same rule every client uses. */
static void request_path(int i, int story, char *path, size_t cap)
{
    switch (i % (int)N_KINDS) {
    case 0: snprintf(path, cap, "/"); break;
    case 1: snprintf(path, cap, "/story/%d", story); break;
    case 2: snprintf(path, cap, "/api/stories?page=%d", 1 + story % 5); break;
    case 3: snprintf(path, cap, "/api/story/%d", story); break;
    case 4: snprintf(path, cap, "/search?q=%s", searches[story % 3]); break;
    case 5: snprintf(path, cap, "/api/search?q=%s", searches[story % 3]); break;
    case 6: snprintf(path, cap, "/feed/top.atom"); break;
    default: snprintf(path, cap, "/breaking"); break;
    }
}

/* What a request costs when no answer is kept: each endpoint rendered
 * `rounds` times straight from the store, one request at a time, without
 * the server (and so without its cache). */
static void uncached(kh_ctx *ctx, const char *db, int stories, int rounds)
{
    kh_store *st;
    if (kh_store_open_readonly(ctx, db, &st) != KH_OK)
        return;
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    unsigned x = 7;
    for (size_t k = 0; k < N_KINDS; k++) {
        double sum = 0, worst = 0;
        for (int r = 0; r < rounds; r++) {
            x = x * 1103515245u + 12345u;
            int story = 1 + (int)((x >> 8) % (unsigned)stories);
            char path[256], decoded[256];
            request_path((int)k, story, path, sizeof path);
            /* the router takes the path and decoded arguments apart */
            kh_web_params a;
            memset(&a, 0, sizeof a);
            char *q = strchr(path, '?');
            if (q)
                *q++ = '\0';
            if (q && strncmp(q, "q=", 2) == 0) {
                size_t o = 0;
                for (const char *c = q + 2; *c && o + 1 < sizeof decoded; c++) {
                    if (*c == '%' && c[1] && c[2]) {
                        decoded[o++] = (char)strtol((char[]){ c[1], c[2], 0 }, NULL, 16);
                        c += 2;
                    } else {
                        decoded[o++] = *c == '+' ? ' ' : *c;
                    }
                }
                decoded[o] = '\0';
                a.q = decoded;
            } else if (q && strncmp(q, "page=", 5) == 0) {
                a.page = q + 5;
            }
            kh_buf_clear(&out);
            int status;
            const char *type;
            double t = bench_wall();
            kh_web_render_params(st, path, &a, &out, &status, &type);
            t = bench_wall() - t;
            sum += t;
            if (t > worst)
                worst = t;
        }
        printf("row\tweb\t%s uncached mean/max\t%.2f / %.2f\tms\t%d requests, one at a time, "
               "no server\n", kinds[k], sum / rounds * 1e3, worst * 1e3, rounds);
    }
    kh_buf_free(&out);
    kh_store_close(st);
}

static void *client_main(void *arg)
{
    client *c = arg;
    size_t cap = 8 << 20;
    char *buf = malloc(cap);
    int fd = connect_loopback(c->port);
    unsigned x = (unsigned)c->seed * 2654435761u + 1;
    /* One untimed round first: the latencies below are a server that has
     * been up a while (the uncached rows give the cost of a first answer). */
    for (int i = 0; fd >= 0 && i < (int)N_KINDS; i++) {
        char path[256];
        request_path(i, 1 + (c->seed + i) % c->stories, path, sizeof path);
        if (roundtrip(fd, path, buf, cap) < 0) {
            close(fd);
            fd = connect_loopback(c->port);
        }
    }
    pthread_barrier_wait(c->start);
    for (int i = 0; i < c->requests; i++) {
        char path[256];
        x = x * 1103515245u + 12345u;
        int story = 1 + (int)((x >> 8) % (unsigned)c->stories);
        request_path(i, story, path, sizeof path);
        double t = bench_wall();
        int status = fd >= 0 ? roundtrip(fd, path, buf, cap) : -1;
        c->lat[i] = bench_wall() - t;
        if (status == 200 || (status == 404 && i % (int)N_KINDS == 1) ||
            (status == 404 && i % (int)N_KINDS == 3)) { /* a story id with no story */
            c->ok++;
        } else {
            c->errors++;
            if (fd >= 0)
                close(fd);
            fd = connect_loopback(c->port); /* start again on a fresh connection */
        }
    }
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}

/* The highest story id seen (kh_store_list_stories() gives the newest). */
static int max_story(void *user, const kh_store_story *s);

/* Ingests BENCH_CORPUS into DIR/snn.db with the khabar beside this program
 * (SELF's folder/../khabar); on success db names it, *stories its highest
 * story id, and 0 is returned. */
static int ingest_corpus(const char *self, const char *dir, char *db, size_t db_size,
                         int *stories)
{
    char khabar[512], out[512], cmd[2048], qk[600], qo[600], qc[600];
    const char *slash = strrchr(self, '/');
    snprintf(khabar, sizeof khabar, "%.*s/../khabar", slash ? (int)(slash - self) : 1,
             slash ? self : ".");
    if (access(khabar, X_OK) != 0 || access(BENCH_CORPUS, R_OK) != 0)
        return -1;
    snprintf(out, sizeof out, "%s/snn.db", dir);
    bench_shell_quote(qk, sizeof qk, khabar);
    bench_shell_quote(qo, sizeof qo, out);
    bench_shell_quote(qc, sizeof qc, BENCH_CORPUS);
    snprintf(cmd, sizeof cmd, "%s ingest --db %s %s > /dev/null", qk, qo, qc);
    double t = bench_wall();
    if (system(cmd) != 0)
        return -1;
    printf("row\tweb\tingest_snn_wall\t%.1f\ts\tkhabar ingest of all of SaudiNewsNet into "
           "the store served below\n", bench_wall() - t);
    kh_ctx *ctx;
    kh_store *st;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return -1;
    int rc = -1;
    if (kh_store_open_readonly(ctx, out, &st) == KH_OK) {
        int64_t n = kh_store_count_stories(st);
        *stories = n > 0 ? (int)n : 0;
        kh_store_list_stories(st, 0, 1, max_story, stories);
        kh_store_close(st);
        snprintf(db, db_size, "%s", out);
        rc = *stories > 0 ? 0 : -1;
    }
    kh_ctx_free(ctx);
    return rc;
}

/* The highest story id seen (kh_store_list_stories() gives the newest). */
static int max_story(void *user, const kh_store_story *s)
{
    int *m = user;
    if (s->id > *m)
        *m = (int)s->id;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int clients = argc > 1 ? atoi(argv[1]) : 50;
    int requests = argc > 2 ? atoi(argv[2]) : 200;
    int articles = argc > 3 ? atoi(argv[3]) : 2000;
    if (clients < 1 || requests < 1 || articles < 1)
        return 2;
    char dir[] = "/tmp/khabar-bench-web.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char db[512];
    snprintf(db, sizeof db, "%s/news.db", dir);
    const char *given = getenv("KH_BENCH_WEB_DB");
    kh_ctx *ctx;
    kh_store *st;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    int stories = 0;
    if (given && *given) {
        snprintf(db, sizeof db, "%s", given);
        if (kh_store_open_readonly(ctx, db, &st) != KH_OK) {
            fprintf(stderr, "bench_web: %s\n", kh_errmsg(ctx));
            return 1;
        }
        kh_store_list_stories(st, 0, 1, max_story, &stories); /* newest first: not the max */
        int64_t n_all = kh_store_count_stories(st);
        if (n_all > stories)
            stories = (int)n_all;
        kh_store_close(st);
        printf("row\tweb\tstore\t%d\tstories\t%s\n", stories, db);
        goto serve;
    }
    if (kh_store_open(ctx, db, &st) != KH_OK) {
        fprintf(stderr, "bench_web: %s\n", kh_errmsg(ctx));
        return 1;
    }
    /* Reading the corpus is timed with the store, as before: figures stay
     * comparable with earlier runs. */
    bench_corpus c;
    double t0 = bench_wall();
    int n = -1;
    if (bench_corpus_load(&c, BENCH_CORPUS, (size_t)articles, 0, 0) == 0)
        n = store_all(st, &c);
    double load_s = bench_wall() - t0;
    stories = n;
    bench_corpus_free(&c);
    kh_store_close(st);
    if (n <= 0) {
        fprintf(stderr, "bench_web: could not load the corpus\n");
        return 1;
    }
    printf("row\tstore\tput_articles_per_s\t%.0f\tarticles/s\t%d articles, FTS indexed, "
           "batches of 500\n", (double)n / load_s, n);
    /* What a monitor serves is a real store: all of SaudiNewsNet through
     * khabar ingest, with its stories and accounts, when the CLI is built
     * beside this program. Else the store above, one story per article. */
    if (ingest_corpus(argv[0], dir, db, sizeof db, &stories) == 0)
        printf("row\tweb\tstore\t%d\tstories\tall of SaudiNewsNet, khabar ingest\n", stories);
serve:;
    uncached(ctx, db, stories, 40);

    kh_web_options opt;
    memset(&opt, 0, sizeof opt);
    opt.db_path = db;
    opt.bind = "127.0.0.1";
    opt.threads = 4;
    opt.max_connections = (unsigned)clients + 16;
    opt.max_per_ip = (unsigned)clients + 16; /* every client is on loopback */
    kh_web *web;
    if (kh_web_start(ctx, &opt, &web) != KH_OK) {
        fprintf(stderr, "bench_web: %s\n", kh_errmsg(ctx));
        return 1;
    }
    client *cs = calloc((size_t)clients, sizeof *cs);
    pthread_t *th = calloc((size_t)clients, sizeof *th);
    double *lat = calloc((size_t)clients * (size_t)requests, sizeof *lat);
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)clients + 1);
    for (int i = 0; i < clients; i++) {
        cs[i] = (client){ kh_web_port(web), requests, stories, i, 0, 0,
                          lat + (size_t)i * (size_t)requests, &start };
        pthread_create(&th[i], NULL, client_main, &cs[i]);
    }
    pthread_barrier_wait(&start);
    t0 = bench_wall();
    long ok = 0, errors = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(th[i], NULL);
        ok += cs[i].ok;
        errors += cs[i].errors;
    }
    double secs = bench_wall() - t0;
    pthread_barrier_destroy(&start);
    kh_web_stop(web);
    size_t total = (size_t)clients * (size_t)requests;
    /* per endpoint first, while each latency is still at its request */
    double *one = calloc(total, sizeof *one);
    for (size_t k = 0; one && k < N_KINDS; k++) {
        size_t m = 0;
        for (int cl = 0; cl < clients; cl++)
            for (int i = (int)k; i < requests; i += (int)N_KINDS)
                one[m++] = lat[(size_t)cl * (size_t)requests + (size_t)i];
        if (!m)
            continue;
        qsort(one, m, sizeof *one, cmp_double);
        printf("row\tweb\t%s p50/p99\t%.2f / %.2f\tms\t%zu requests\n", kinds[k],
               one[m / 2] * 1e3, one[m * 99 / 100] * 1e3, m);
    }
    free(one);
    qsort(lat, total, sizeof *lat, cmp_double);
    printf("row\tweb\trequests_per_s\t%.0f\treq/s\t%d clients x %d keep-alive requests, "
           "4 server threads, %zu endpoints in turn\n", (double)(ok + errors) / secs, clients,
           requests, N_KINDS);
    printf("row\tweb\terrors\t%ld\trequests\tof %zu\n", errors, total);
    printf("row\tweb\tlatency_p50\t%.2f\tms\t\n", lat[total / 2] * 1e3);
    printf("row\tweb\tlatency_p99\t%.2f\tms\t\n", lat[total * 99 / 100] * 1e3);
    free(cs);
    free(th);
    free(lat);
    kh_ctx_free(ctx);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir); /* empty when a store was given */
    if (system(cmd) != 0)
        fprintf(stderr, "bench_web: could not remove %s\n", dir);
    return errors ? 1 : 0;
}
