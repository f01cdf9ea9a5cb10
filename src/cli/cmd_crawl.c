/*
 * cmd_crawl.c — `khabar crawl`: outlets' home pages, feeds and sitemaps
 * fetched politely, their articles stored and filed into stories.
 *
 * The work is kh_crawl_run()'s (src/kh_crawl.c). This file parses the
 * options (durations like 10m, sizes like 10M), reads the seed list, prints
 * each problem with a URL on stderr, shows progress when stderr is a
 * terminal, stops gracefully on SIGINT or SIGTERM (what was fetched is
 * stored first) and prints one JSON line of counts.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEEDS_MAX 100000
#define SEED_LINE_MAX 8192

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

typedef struct crawl_cli {
    kh_ctx *ctx;
    int quiet;
    int progress;    /* stderr is a terminal */
    int drawn;
} crawl_cli;

static int crawl_problem(void *user, const kh_crawl_problem *p)
{
    crawl_cli *cc = user;
    if (cc->quiet)
        return 0;
    if (cc->drawn) {
        fputs("\r\033[K", stderr);
        cc->drawn = 0;
    }
    cli_error("%s", p->message);
    return 0;
}

static int crawl_progress(void *user, const kh_crawl_stats *s)
{
    crawl_cli *cc = user;
    if (cc->progress) {
        fprintf(stderr, "\r\033[K%llu hosts, %llu queued, %llu fetched (%llu articles), %.1f/s, "
                        "%llu errors",
                (unsigned long long)s->hosts, (unsigned long long)s->queued,
                (unsigned long long)s->fetched, (unsigned long long)s->articles,
                s->seconds > 0 ? (double)s->requests / s->seconds : 0.0,
                (unsigned long long)s->errors);
        cc->drawn = 1;
    }
    return stop_requested != 0;
}

/* "10m", "30s", "1.5h", "2d", "500ms", "0.3" (seconds). @return 0 or -1. */
static int parse_duration(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !(v >= 0) || v > 1e9)
        return -1;
    double unit = 1;
    if (strcmp(end, "ms") == 0)
        unit = 0.001;
    else if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
        unit = 1;
    else if (strcmp(end, "m") == 0)
        unit = 60;
    else if (strcmp(end, "h") == 0)
        unit = 3600;
    else if (strcmp(end, "d") == 0)
        unit = 86400;
    else
        return -1;
    *out = v * unit;
    return 0;
}

/* "10M", "512K", "1G", "1000" (bytes). @return 0 or -1. */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !(v > 0))
        return -1;
    double unit = 1;
    if (*end == 'K' || *end == 'k')
        unit = 1024, end++;
    else if (*end == 'M' || *end == 'm')
        unit = 1024.0 * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        unit = 1024.0 * 1024 * 1024, end++;
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v * unit >= 1e15)
        return -1;
    *out = (uint64_t)(v * unit);
    return 0;
}

static int parse_count(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* Reads a seed list: one URL a line, '#' starts a comment, blank lines
 * skipped. Appends to *seeds. @return 0, or -1 with a message printed. */
static int read_seeds(const char *path, char ***seeds, size_t *n, size_t *cap)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        cli_error("%s: %s", path, strerror(errno));
        return -1;
    }
    char line[SEED_LINE_MAX];
    unsigned long no = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            cli_error("%s:%lu: line longer than %d bytes", path, no, SEED_LINE_MAX - 2);
            rc = -1;
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *b = line;
        while (*b == ' ' || *b == '\t')
            b++;
        char *e = b + strlen(b);
        while (e > b && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (!*b)
            continue;
        if (*n >= SEEDS_MAX) {
            cli_error("%s: more than %d seeds", path, SEEDS_MAX);
            rc = -1;
            break;
        }
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            char **s = realloc(*seeds, nc * sizeof *s);
            if (!s) {
                rc = -1;
                break;
            }
            *seeds = s;
            *cap = nc;
        }
        if (!((*seeds)[*n] = strdup(b))) {
            rc = -1;
            break;
        }
        (*n)++;
    }
    if (rc == 0 && ferror(f)) {
        cli_error("%s: read error", path);
        rc = -1;
    }
    if (f != stdin)
        fclose(f);
    return rc;
}

static int run(int argc, char **argv)
{
    kh_crawl_options o;
    kh_crawl_options_init(&o);
    o.pipeline.flags = KH_PIPELINE_SKIP_EMPTY;
    const char *db = NULL, *state = NULL;
    char **seeds = NULL;
    size_t n_seeds = 0, cap_seeds = 0;
    const char *seed_files[64];
    size_t n_seed_files = 0;
    int quiet = 0;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] != '-' || !a[1]) {
            break;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
            continue;
        } else if (!v) {
            return cli_usage_error(&cli_cmd_crawl, "unknown or incomplete option '%s'", a);
        } else if (strcmp(a, "--db") == 0) {
            db = v;
        } else if (strcmp(a, "--state") == 0) {
            state = v;
        } else if (strcmp(a, "--warc") == 0) {
            o.warc_dir = v;
        } else if (strcmp(a, "--warc-size") == 0) {
            if (parse_size(v, &o.warc_max_bytes) != 0)
                return cli_usage_error(&cli_cmd_crawl, "--warc-size wants a size such as 1G");
        } else if (strcmp(a, "--seeds") == 0) {
            if (n_seed_files == sizeof seed_files / sizeof seed_files[0])
                return cli_usage_error(&cli_cmd_crawl, "too many --seeds files");
            seed_files[n_seed_files++] = v;
        } else if (strcmp(a, "--every") == 0) {
            if (parse_duration(v, &o.every) != 0 || o.every < 1)
                return cli_usage_error(&cli_cmd_crawl, "--every wants a period such as 10m (1s at least)");
        } else if (strcmp(a, "--rounds") == 0) {
            if (parse_count(v, 1, 1000000, &n) != 0)
                return cli_usage_error(&cli_cmd_crawl, "--rounds wants 1..1000000");
            o.rounds = (unsigned)n;
        } else if (strcmp(a, "--delay") == 0) {
            if (parse_duration(v, &o.delay) != 0 || o.delay > 3600)
                return cli_usage_error(&cli_cmd_crawl, "--delay wants seconds such as 5 or 0.5");
        } else if (strcmp(a, "--contact") == 0) {
            if (!*v || strpbrk(v, "\r\n()"))
                return cli_usage_error(&cli_cmd_crawl, "--contact wants a URL or an address");
            o.contact = v;
        } else if (strcmp(a, "--max-bytes") == 0) {
            if (parse_size(v, &o.max_bytes) != 0)
                return cli_usage_error(&cli_cmd_crawl, "--max-bytes wants a size such as 10M");
        } else if (strcmp(a, "--timeout") == 0) {
            if (parse_duration(v, &o.timeout) != 0 || o.timeout <= 0)
                return cli_usage_error(&cli_cmd_crawl, "--timeout wants seconds");
            if (o.connect_timeout > o.timeout)
                o.connect_timeout = o.timeout;
            if (o.low_speed_time > o.timeout)
                o.low_speed_time = o.timeout;
        } else if (strcmp(a, "--max-age") == 0) {
            if (parse_duration(v, &o.max_age) != 0)
                return cli_usage_error(&cli_cmd_crawl, "--max-age wants a period such as 2d");
        } else if (strcmp(a, "--max-wait") == 0) {
            if (parse_duration(v, &o.max_wait) != 0)
                return cli_usage_error(&cli_cmd_crawl, "--max-wait wants seconds");
        } else if (strcmp(a, "--connections") == 0) {
            if (parse_count(v, 1, 1000, &n) != 0)
                return cli_usage_error(&cli_cmd_crawl, "--connections wants 1..1000");
            o.max_connections = (unsigned)n;
        } else if (strcmp(a, "--per-host") == 0) {
            if (parse_count(v, 1, 16, &n) != 0)
                return cli_usage_error(&cli_cmd_crawl, "--per-host wants 1..16");
            o.per_host = (unsigned)n;
        } else if (strcmp(a, "--max-pages") == 0) {
            if (parse_count(v, 1, 1000000000, &n) != 0)
                return cli_usage_error(&cli_cmd_crawl, "--max-pages wants 1..1000000000");
            o.max_pages = n;
        } else if (strcmp(a, "--batch") == 0) {
            if (parse_count(v, 1, 1000000, &n) != 0)
                return cli_usage_error(&cli_cmd_crawl, "--batch wants 1..1000000");
            o.batch = n;
        } else {
            return cli_usage_error(&cli_cmd_crawl, "unknown or incomplete option '%s'", a);
        }
        i++; /* the value */
    }
    int rc_cli = CLI_OK, oom = 0;
    for (; i < argc && rc_cli == CLI_OK; i++) {
        if (n_seeds == cap_seeds) {
            size_t nc = cap_seeds ? cap_seeds * 2 : 16;
            char **s = realloc(seeds, nc * sizeof *s);
            if (!s) {
                rc_cli = CLI_FAIL, oom = 1;
                break;
            }
            seeds = s;
            cap_seeds = nc;
        }
        if (!(seeds[n_seeds] = strdup(argv[i])))
            rc_cli = CLI_FAIL, oom = 1;
        else
            n_seeds++;
    }
    for (size_t f = 0; f < n_seed_files && rc_cli == CLI_OK; f++)
        if (read_seeds(seed_files[f], &seeds, &n_seeds, &cap_seeds) != 0)
            rc_cli = CLI_FAIL;
    char *state_buf = NULL;
    if (rc_cli == CLI_OK && !state) {
        /* The frontier lives beside the store, or in the working folder. */
        if (db) {
            size_t len = strlen(db);
            state_buf = malloc(len + sizeof ".crawl");
            if (state_buf) {
                memcpy(state_buf, db, len);
                memcpy(state_buf + len, ".crawl", sizeof ".crawl");
            }
            state = state_buf;
        } else {
            state = "khabar-crawl.db";
        }
        if (!state)
            rc_cli = CLI_FAIL, oom = 1;
    }
    /* Nothing to crawl: said before a store is made for it. */
    if (rc_cli == CLI_OK && n_seeds == 0 && access(state, F_OK) != 0) {
        int r = cli_usage_error(&cli_cmd_crawl, "no SEED, and no crawl to resume in %s", state);
        for (size_t k = 0; k < n_seeds; k++)
            free(seeds[k]);
        free(seeds);
        free(state_buf);
        return r;
    }
    crawl_cli cc;
    memset(&cc, 0, sizeof cc);
    cc.quiet = quiet;
    cc.progress = isatty(STDERR_FILENO);
    kh_store *store = NULL;
    kh_status rc = KH_OK;
    if (rc_cli == CLI_OK && kh_ctx_create(&cc.ctx, NULL) != KH_OK)
        rc_cli = CLI_FAIL, oom = 1;
    if (rc_cli != CLI_OK) {
        if (oom)
            cli_error("out of memory");
        goto done;
    }
    if (db)
        rc = kh_store_open(cc.ctx, db, &store);
    if (rc == KH_OK) {
        o.seeds = (const char *const *)seeds;
        o.n_seeds = n_seeds;
        o.state_path = state;
        o.on_problem = crawl_problem;
        o.on_problem_user = &cc;
        o.on_progress = crawl_progress;
        o.on_progress_user = &cc;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
    }
    if (rc == KH_OK && !o.contact && !quiet)
        cli_error("warning: no --contact: the sites crawled cannot tell whom to ask about it");
    kh_crawl_stats st;
    memset(&st, 0, sizeof st);
    if (rc == KH_OK)
        rc = kh_crawl_run(cc.ctx, &o, store, &st);
    if (cc.drawn)
        fputs("\r\033[K", stderr);
    if (rc == KH_E_STOPPED && stop_requested) {
        cli_error("stopped; run again to resume");
        rc = KH_OK;
    } else if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(cc.ctx));
    }
    if (rc == KH_OK || st.requests) {
        kh_buf out;
        kh_buf_init(&out, cc.ctx, 0);
        kh_buf_puts(&out, "{\"state\":");
        kh_buf_json_string(&out, state, strlen(state));
        kh_buf_puts(&out, ",\"db\":");
        if (db)
            kh_buf_json_string(&out, db, strlen(db));
        else
            kh_buf_puts(&out, "null");
        kh_buf_printf(&out,
                      ",\"rounds\":%llu,\"hosts\":%llu,\"queued\":%llu,\"requests\":%llu,"
                      "\"fetched\":%llu,\"not_modified\":%llu,\"article_pages\":%llu,"
                      "\"new_urls\":%llu,\"too_old\":%llu,\"disallowed\":%llu,\"redirects\":%llu,"
                      "\"retries\":%llu,\"errors\":%llu,\"bytes\":%llu,\"warc_records\":%llu,"
                      "\"added\":%llu,\"updated\":%llu,\"unchanged\":%llu,\"no_body\":%llu,"
                      "\"batches\":%llu,\"seconds\":%.3f,\"requests_per_s\":%.1f}\n",
                      (unsigned long long)st.rounds, (unsigned long long)st.hosts,
                      (unsigned long long)st.queued, (unsigned long long)st.requests,
                      (unsigned long long)st.fetched, (unsigned long long)st.not_modified,
                      (unsigned long long)st.articles, (unsigned long long)st.links,
                      (unsigned long long)st.too_old,
                      (unsigned long long)st.disallowed, (unsigned long long)st.redirects,
                      (unsigned long long)st.retries, (unsigned long long)st.errors,
                      (unsigned long long)st.bytes, (unsigned long long)st.warc_records,
                      (unsigned long long)st.stored_added, (unsigned long long)st.stored_updated,
                      (unsigned long long)st.stored_unchanged, (unsigned long long)st.no_body,
                      (unsigned long long)st.batches, st.seconds,
                      st.seconds > 0 ? (double)st.requests / st.seconds : 0.0);
        if (cli_flush_end(&out) != 0) {
            cli_error("cannot write output");
            rc = KH_E_IO;
        }
        kh_buf_free(&out);
    }
    if (rc != KH_OK)
        rc_cli = rc == KH_E_ARG && !st.requests ? CLI_USAGE : CLI_FAIL;
done:
    kh_store_close(store);
    kh_ctx_free(cc.ctx);
    for (size_t k = 0; k < n_seeds; k++)
        free(seeds[k]);
    free(seeds);
    free(state_buf);
    return rc_cli;
}

const cli_command cli_cmd_crawl = {
    "crawl",
    "fetch outlets' feeds, sitemaps and articles politely, into a store",
    "khabar crawl [--db FILE] [--warc DIR] [--every PERIOD] [OPTIONS] [SEED...]",
    "Options:\n"
    "  --db FILE          store the articles and file them into stories\n"
    "                     (as khabar ingest does), in batches as they come\n"
    "  --state FILE       the frontier (default: FILE.crawl beside --db, else\n"
    "                     khabar-crawl.db); a killed crawl resumes from it\n"
    "  --seeds FILE       seed URLs, one a line, # starts a comment\n"
    "  --warc DIR         write every response to WARC/1.1 files in DIR\n"
    "  --warc-size SIZE   start a new WARC file past SIZE (default 1G)\n"
    "  --every PERIOD     crawl again every PERIOD (10m, 1h...) until stopped\n"
    "                     (SIGINT or SIGTERM: what was fetched is stored first)\n"
    "  --rounds N         with --every: stop after N rounds\n"
    "  --delay SECONDS    between two requests to one host (default 5; a\n"
    "                     larger robots.txt Crawl-delay wins)\n"
    "  --contact URL      in the User-Agent: khabar/VERSION (+URL), so that a\n"
    "                     site's operator can reach you (a warning without it)\n"
    "  --max-bytes SIZE   a response larger than SIZE is dropped (default 10M)\n"
    "  --timeout SECONDS  for a whole transfer (default 60)\n"
    "  --max-age PERIOD   articles a feed or sitemap dates earlier than PERIOD\n"
    "                     ago (2d, 12h...) are not fetched (default: any age)\n"
    "  --max-wait SECONDS a round ends when nothing is due sooner (default 30)\n"
    "  --connections N    transfers at once over all hosts (default 32)\n"
    "  --per-host N       transfers at once to one host (default 1)\n"
    "  --max-pages N      requests per round (default: no cap)\n"
    "  --batch N          articles stored per filing run (default 100)\n"
    "  --quiet            do not print problems with single URLs\n\n"
    "SEEDs are outlet home pages, feed URLs or sitemap URLs (a document's kind\n"
    "is told by its content). A home page gives its feeds (<link\n"
    "rel=alternate>, else /feed, /rss, /rss.xml, /feed.xml and /atom.xml are\n"
    "tried); robots.txt gives the sitemaps of a seed's host; feeds and\n"
    "sitemaps give article URLs with their titles and dates, which the\n"
    "cleaner takes as the article's. robots.txt is obeyed (read first on\n"
    "every host), one connection per host, 429 and 503 back off for\n"
    "Retry-After. Feeds and sitemaps are fetched again each round with\n"
    "If-None-Match / If-Modified-Since; an article is fetched again only when\n"
    "a feed dates it later. An article's id is its URL, so a crawl stored\n"
    "twice stores each article once. Only the seeds given (and what they led\n"
    "to) are crawled again; given no SEED, the crawl in the state file\n"
    "resumes.\n"
    "Problems with single URLs (timeouts, HTTP errors, oversized or malformed\n"
    "documents, redirect loops) are printed on stderr and counted; they do\n"
    "not fail the run. Progress is shown on stderr when it is a terminal.\n"
    "Prints one JSON line of counts (khabar help formats).\n",
    run,
};
