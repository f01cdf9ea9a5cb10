/*
 * test_crawl.c — kh_crawl_run() without a network: its options and
 * argument errors, a host that cannot be reached (robots.txt unavailable:
 * the host waits, the round ends, the URL stays queued for the next run),
 * a crawl resumed from its state file with no seeds, and a stop asked by a
 * callback. Fetching real pages is tests/cli/crawl.sh's, against
 * tests/crawl_server.py. Files go to a fresh directory under /tmp.
 */
#include "testhelp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* A loopback port nothing listens on: bound, then closed. */
static unsigned closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    unsigned port = 9;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

typedef struct seen {
    int problems, robots_problems, will_retry, progress;
    int stop_after; /* progress calls before asking to stop; 0: never */
} seen;

static int on_problem(void *user, const kh_crawl_problem *p)
{
    seen *s = user;
    s->problems++;
    s->robots_problems += p->kind == KH_CRAWL_ROBOTS;
    s->will_retry += p->will_retry;
    KH_CHECK(p->url && p->message && strstr(p->message, p->url) == p->message);
    return 0;
}

static int on_progress(void *user, const kh_crawl_stats *st)
{
    seen *s = user;
    (void)st;
    s->progress++;
    return s->stop_after && s->progress >= s->stop_after;
}

static void remove_state(const char *state)
{
    char path[300];
    const char *sfx[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", state, sfx[i]);
        unlink(path);
    }
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

int main(void)
{
    kh_ctx *ctx = NULL;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    char dir[] = "/tmp/khabar-test-crawl-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char state[256], url[64];
    snprintf(state, sizeof state, "%s/state.db", dir);
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", closed_port());

    KH_TEST("names and defaults");
    KH_CHECK_STR(kh_crawl_kind_name(KH_CRAWL_ARTICLE), "article");
    KH_CHECK_STR(kh_crawl_kind_name(KH_CRAWL_ROBOTS), "robots");
    KH_CHECK_STR(kh_crawl_kind_name((kh_crawl_kind)99), "unknown");
    kh_crawl_options o;
    kh_crawl_options_init(&o);
    KH_CHECK(o.delay == 5.0);
    KH_CHECK_INT(o.per_host, 1);
    KH_CHECK_INT(o.max_bytes, 10 << 20);
    KH_CHECK_INT(o.max_redirects, 5);

    KH_TEST("argument errors");
    kh_crawl_stats st;
    KH_CHECK_INT(kh_crawl_run(ctx, NULL, NULL, &st), KH_E_ARG);
    KH_CHECK_INT(kh_crawl_run(ctx, &o, NULL, &st), KH_E_ARG); /* no state file */
    o.state_path = state;
    o.delay = -1;
    KH_CHECK_INT(kh_crawl_run(ctx, &o, NULL, &st), KH_E_ARG);
    o.delay = 0;
    /* no seeds and nothing to resume: refused, and no file made */
    KH_CHECK_INT(kh_crawl_run(ctx, &o, NULL, &st), KH_E_ARG);
    KH_CHECK(!exists(state));
    const char *bad[] = { "ftp://example.org/" };
    o.seeds = bad;
    o.n_seeds = 1;
    KH_CHECK_INT(kh_crawl_run(ctx, &o, NULL, &st), KH_E_ARG);
    KH_CHECK(strstr(kh_errmsg(ctx), "ftp://example.org/") != NULL);

    KH_TEST("a store is no state file");
    char store_path[300];
    snprintf(store_path, sizeof store_path, "%s/news.db", dir);
    kh_store *store = NULL;
    KH_CHECK_INT(kh_store_open(ctx, store_path, &store), KH_OK);
    kh_store_close(store);
    const char *one[] = { "http://127.0.0.1:9/" };
    o.seeds = one;
    o.n_seeds = 1;
    o.state_path = store_path;
    KH_CHECK_INT(kh_crawl_run(ctx, &o, NULL, &st), KH_E_DB);
    KH_CHECK(strstr(kh_errmsg(ctx), "not the state file of a crawl") != NULL);
    store = NULL;
    KH_CHECK_INT(kh_store_open(ctx, store_path, &store), KH_OK); /* still a store */
    kh_store_close(store);
    remove_state(store_path);
    o.state_path = state;

    KH_TEST("an unreachable host");
    const char *seeds[] = { url, url }; /* twice: one URL in the frontier */
    seen s;
    memset(&s, 0, sizeof s);
    o.seeds = seeds;
    o.n_seeds = 2;
    o.max_wait = 0;
    o.timeout = 2;
    o.connect_timeout = 2;
    o.on_problem = on_problem;
    o.on_problem_user = &s;
    o.on_progress = on_progress;
    o.on_progress_user = &s;
    KH_CHECK_INT(kh_crawl_run(ctx, &o, NULL, &st), KH_OK);
    KH_CHECK_INT(st.rounds, 1);
    KH_CHECK_INT(st.hosts, 1);
    KH_CHECK_INT(st.requests, 1);   /* robots.txt, and nothing after it */
    KH_CHECK_INT(st.fetched, 0);
    KH_CHECK_INT(st.errors, 1);
    KH_CHECK_INT(st.queued, 1);     /* the seed waits for the next run */
    KH_CHECK_INT(s.robots_problems, 1);
    KH_CHECK_INT(s.will_retry, 1);
    KH_CHECK(exists(state));

    KH_TEST("resumed without seeds");
    memset(&s, 0, sizeof s);
    o.seeds = NULL;
    o.n_seeds = 0;
    KH_CHECK_INT(kh_crawl_run(ctx, &o, NULL, &st), KH_OK);
    KH_CHECK_INT(st.requests, 1);
    KH_CHECK_INT(st.queued, 1);
    KH_CHECK_INT(s.problems, 1);

    KH_TEST("a callback stops the crawl");
    memset(&s, 0, sizeof s);
    s.stop_after = 1;
    o.every = 3600; /* would wait an hour for the next round */
    KH_CHECK_INT(kh_crawl_run(ctx, &o, NULL, &st), KH_E_STOPPED);
    KH_CHECK_INT(s.progress, 1);
    KH_CHECK(st.seconds < 60);

    KH_TEST("allocation failures");
    /* Fail the nth allocation until the crawl gets through: each run ends
     * KH_OK or KH_E_NOMEM, and gives back every byte. */
    int clean = 1, done = 0;
    for (long n = 1; n < 2000 && !done; n++) {
        remove_state(state);
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *fctx = NULL;
        if (kh_ctx_create(&fctx, &al) != KH_OK)
            continue;
        kh_crawl_options fo = o;
        fo.seeds = seeds;
        fo.n_seeds = 2;
        fo.every = 0;
        fo.on_problem = NULL;
        fo.on_progress = NULL;
        kh_status rc = kh_crawl_run(fctx, &fo, NULL, &st);
        kh_ctx_free(fctx);
        if (rc != KH_OK && rc != KH_E_NOMEM) {
            fprintf(stderr, "  allocation %ld: %s\n", n, kh_strerror(rc));
            clean = 0;
        }
        if (ta.live != 0) {
            fprintf(stderr, "  allocation %ld: %lld bytes leaked\n", n, ta.live);
            clean = 0;
        }
        done = rc == KH_OK && ta.calls < n;
    }
    KH_CHECK(clean);
    KH_CHECK(done);

    remove_state(state);
    rmdir(dir);
    kh_ctx_free(ctx);
    return kh_test_report("test_crawl");
}
