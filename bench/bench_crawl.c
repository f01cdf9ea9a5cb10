/*
 * bench_crawl.c — the crawler's own cost, on loopback only: HOSTS plain
 * outlets served by tests/crawl_server.py --bench, each a feed of ARTICLES
 * articles, crawled with no delay (the politeness wait is the outlets' to
 * set, not a cost), once fetching only and once into a fresh store.
 *
 * Reports pages per second of wall time (the Python server on the same
 * cores bounds it) and CPU per page of this process alone (the crawler:
 * scheduling, frontier, parsing, and with a store the pipeline), which is
 * the figure that says what a crawl costs the machine that runs it.
 *
 *   usage: bench_crawl [HOSTS [ARTICLES]]   (default 8 100)
 */
#include "bench_util.h"

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct run_result {
    double wall, cpu;
    kh_crawl_stats st;
    kh_status rc;
} run_result;

static run_result crawl_once(const char *const *seeds, size_t n, const char *state, const char *db)
{
    run_result r;
    memset(&r, 0, sizeof r);
    kh_ctx *ctx = NULL;
    kh_store *store = NULL;
    kh_ctx_create(&ctx, NULL);
    r.rc = db ? kh_store_open(ctx, db, &store) : KH_OK;
    kh_crawl_options o;
    kh_crawl_options_init(&o);
    o.seeds = seeds;
    o.n_seeds = n;
    o.state_path = state;
    o.delay = 0;
    o.batch = 500;
    o.pipeline.flags = KH_PIPELINE_SKIP_EMPTY;
    double w0 = bench_wall(), c0 = bench_cpu();
    if (r.rc == KH_OK)
        r.rc = kh_crawl_run(ctx, &o, store, &r.st);
    r.wall = bench_wall() - w0;
    r.cpu = bench_cpu() - c0;
    if (r.rc != KH_OK)
        fprintf(stderr, "crawl: %s\n", kh_errmsg(ctx));
    kh_store_close(store);
    kh_ctx_free(ctx);
    return r;
}

static void report(const char *what, const run_result *r)
{
    uint64_t pages = r->st.fetched;
    fprintf(stderr, "%s: %llu requests, %llu fetched, %llu errors, %.2f s wall, %.2f s CPU\n",
            what, (unsigned long long)r->st.requests, (unsigned long long)pages,
            (unsigned long long)r->st.errors, r->wall, r->cpu);
    if (r->rc != KH_OK || !pages)
        return;
    printf("row\tcrawl\t%s_pages_per_s\t%.0f\tpages/s\twall, loopback Python server on the same cores\n",
           what, (double)pages / r->wall);
    printf("row\tcrawl\t%s_cpu_per_page\t%.0f\tus\tthis process only\n", what,
           r->cpu * 1e6 / (double)pages);
}

static void remove_db(const char *path)
{
    char p[512];
    const char *sfx[] = { "", "-wal", "-shm", ".crawl", ".crawl-wal", ".crawl-shm" };
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

int main(int argc, char **argv)
{
    int hosts = argc > 1 ? atoi(argv[1]) : 8;
    int articles = argc > 2 ? atoi(argv[2]) : 100;
    if (hosts < 1 || hosts > 200 || articles < 1 || articles > 100000) {
        fprintf(stderr, "usage: bench_crawl [HOSTS [ARTICLES]]\n");
        return 2;
    }
    char dir[] = "/tmp/khabar-bench-crawl-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char log[300], ports[300], hs[16], as[16];
    snprintf(log, sizeof log, "%s/log", dir);
    snprintf(ports, sizeof ports, "%s/ports", dir);
    snprintf(hs, sizeof hs, "%d", hosts);
    snprintf(as, sizeof as, "%d", articles);
    char *args[] = { "python3", "tests/crawl_server.py", "--bench", hs, as, log, ports, NULL };
    pid_t pid;
    if (posix_spawnp(&pid, "python3", NULL, NULL, args, environ) != 0) {
        fprintf(stderr, "bench_crawl: python3 missing, skipped\n");
        return 0;
    }
    FILE *f = NULL;
    for (int i = 0; i < 100 && !f; i++) {
        usleep(100000);
        f = fopen(ports, "r");
    }
    if (!f) {
        kill(pid, SIGTERM);
        fprintf(stderr, "bench_crawl: the server did not start\n");
        return 1;
    }
    char **seeds = bench_xrealloc(NULL, (size_t)hosts * sizeof *seeds);
    size_t n = 0;
    unsigned port;
    while (n < (size_t)hosts && fscanf(f, "%u", &port) == 1) {
        char url[64];
        snprintf(url, sizeof url, "http://127.0.0.1:%u/feed.xml", port);
        seeds[n++] = bench_xstrdup(url);
    }
    fclose(f);

    char state[300], db[300];
    snprintf(state, sizeof state, "%s/fetch.crawl", dir);
    snprintf(db, sizeof db, "%s/news.db", dir);
    run_result a = crawl_once((const char *const *)seeds, n, state, NULL);
    report("fetch", &a);
    char dbstate[320];
    snprintf(dbstate, sizeof dbstate, "%s.crawl", db);
    run_result c = crawl_once((const char *const *)seeds, n, dbstate, db);
    report("store", &c);

    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    remove_db(state);
    remove_db(db);
    unlink(log);
    unlink(ports);
    rmdir(dir);
    for (size_t i = 0; i < n; i++)
        free(seeds[i]);
    free(seeds);
    return a.rc == KH_OK && c.rc == KH_OK ? 0 : 1;
}
