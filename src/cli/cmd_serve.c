/*
 * cmd_serve.c — `khabar serve`: the local web page over a store.
 *
 * SIGINT and SIGTERM are blocked before the server's threads start (they
 * inherit the mask), and the main thread waits for them with sigwait(), so
 * a signal never lands inside a request; then the server is stopped
 * cleanly: its threads joined, its connections closed.
 *
 * The open-file limit's soft value is raised toward its hard value first:
 * the server sizes its connection limit from it, and the usual soft limit
 * of 1024 would cap it well below what the system allows.
 */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static int parse_uint(const char *s, unsigned max, unsigned *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Raises the soft open-file limit toward the hard one; past 65536 the server
 * has no use for more. A refusal leaves the old limit, still usable. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    rlim_t want = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
    if (rl.rlim_cur < want) {
        rl.rlim_cur = want;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* hosts has room for one name per argument (--host may repeat). */
static int serve(int argc, char **argv, const char **hosts)
{
    kh_web_options opt;
    memset(&opt, 0, sizeof opt);
    opt.port = 8080;
    opt.hosts = hosts;
    size_t n_hosts = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--db") == 0 && val) {
            opt.db_path = val;
            i++;
        } else if (strcmp(a, "--bind") == 0 && val) {
            opt.bind = val;
            i++;
        } else if (strcmp(a, "--port") == 0 && val) {
            if (parse_uint(val, 65535, &opt.port))
                return cli_usage_error(&cli_cmd_serve, "--port wants 0..65535, not '%s'", val);
            i++;
        } else if (strcmp(a, "--threads") == 0 && val) {
            if (parse_uint(val, 256, &opt.threads) || opt.threads == 0)
                return cli_usage_error(&cli_cmd_serve, "--threads wants 1..256, not '%s'", val);
            i++;
        } else if (strcmp(a, "--max-connections") == 0 && val) {
            if (parse_uint(val, 1000000, &opt.max_connections) || opt.max_connections == 0)
                return cli_usage_error(&cli_cmd_serve,
                                       "--max-connections wants 1..1000000, not '%s'", val);
            i++;
        } else if (strcmp(a, "--max-per-ip") == 0 && val) {
            if (parse_uint(val, 1000000, &opt.max_per_ip) || opt.max_per_ip == 0)
                return cli_usage_error(&cli_cmd_serve, "--max-per-ip wants 1..1000000, not '%s'",
                                       val);
            i++;
        } else if (strcmp(a, "--header-timeout") == 0 && val) {
            if (parse_uint(val, 3600, &opt.header_timeout) || opt.header_timeout == 0)
                return cli_usage_error(&cli_cmd_serve,
                                       "--header-timeout wants 1..3600 seconds, not '%s'", val);
            i++;
        } else if (strcmp(a, "--host") == 0 && val) {
            hosts[n_hosts++] = val;
            i++;
        } else {
            return cli_usage_error(&cli_cmd_serve, "unknown or incomplete option '%s'", a);
        }
    }
    if (!opt.db_path)
        return cli_usage_error(&cli_cmd_serve, "--db is required");

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    raise_fd_limit();
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_web *web;
    if (kh_web_start(ctx, &opt, &web) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        kh_ctx_free(ctx);
        return CLI_FAIL;
    }
    fprintf(stderr, "serving http://%s:%u/\n", opt.bind ? opt.bind : "127.0.0.1",
            kh_web_port(web));
    fflush(stderr);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "khabar: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    kh_web_stop(web);
    kh_ctx_free(ctx);
    return CLI_OK;
}

static int run(int argc, char **argv)
{
    const char **hosts = calloc((size_t)argc + 1, sizeof *hosts);
    if (!hosts) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    int rc = serve(argc, argv, hosts);
    free(hosts);
    return rc;
}

const cli_command cli_cmd_serve = {
    "serve",
    "serve the stories of a store as a local web page",
    "khabar serve --db FILE [--bind ADDR] [--port N] [--threads N] [--host NAME]...\n"
    "             [--max-connections N] [--max-per-ip N] [--header-timeout S]",
    "Options:\n"
    "  --db FILE      the store to serve (made by khabar ingest)\n"
    "  --bind ADDR    IPv4 address to listen on (default 127.0.0.1)\n"
    "  --port N       port (default 8080; 0 picks a free one)\n"
    "  --threads N    server threads, each with its own database connection (default 4)\n"
    "  --host NAME    a name to answer to in the Host header besides the address;\n"
    "                 repeatable\n"
    "  --max-connections N\n"
    "                 open connections at most (default 4096), and never more than\n"
    "                 the open-file limit leaves room for (its soft value is raised\n"
    "                 to the hard one, up to 65536, first)\n"
    "  --max-per-ip N connections from one client address, enforced the same way\n"
    "                 (default a quarter of the connections, at least 16)\n"
    "  --header-timeout S\n"
    "                 seconds a client has to send a whole request (default 10)\n\n"
    "Pages: /  /breaking  /story/ID  /entity/NAME  /search?q=WORDS; JSON at\n"
    "/api/stories  /api/story/ID  /api/entity/NAME  /api/search?q=WORDS (its keys:\n"
    "khabar help formats); Atom feeds at /feed/top.atom, /feed/breaking.atom and\n"
    "/feed/search.atom?q=WORDS (each page that has a feed names it in a <link>).\n"
    "A search ranks (BM25) the 1000 most recently stored articles that match.\n"
    "/breaking lists the stories first reported on the store's newest day or the\n"
    "day before that three or more independent sources told. /entity/NAME lists\n"
    "the stories whose account names NAME; a story's page links each name there.\n"
    "/ lists the top stories: each day's stories told by two or more independent\n"
    "sources (outlets that copy none of the story's other articles), most sources\n"
    "first (every story in that order while none has two). /, /api/stories and the\n"
    "feed take q=WORDS (an article of the story has every word, as search matches\n"
    "them), lang=CODE, source=OUTLET, since=YYYY-MM-DD, until=YYYY-MM-DD,\n"
    "min_sources=N, view=top|all (all: newest first, the API's default), page=N\n"
    "and per_page=1..100. A bad argument gets 400; under /api/ every error is JSON\n"
    "{\"error\": ..., \"code\": STATUS}.\n"
    "A story's page folds each copy's text under the article it copies and says how\n"
    "many outlets ran the wire and how many sources are independent. It speaks its\n"
    "story's language: an Arabic story's page is laid out right to left with Arabic\n"
    "labels and dates (٢٥ أكتوبر ٢٠١٦); ui=en or ui=ar chooses.\n"
    "A story's page says why each article is in it (started the story, joined it\n"
    "at a score on the terms it shares, or came as a copy), as khabar ingest\n"
    "stored it; /api/story/ID gives each article's \"why\" in the shape khabar\n"
    "stories prints (null for one stored before whys were kept).\n"
    "Each connection to the store keeps its last 256 answers (8 MB at most) and\n"
    "serves a repeated request from them until the store changes: an ingest into\n"
    "the served file is seen by the next request.\n"
    "A story's page names the same event's stories in other languages: linked as\n"
    "khabar stories links them, with the stored stories of other languages within\n"
    "three days (the store keeps no links: a page of a story in a store's main\n"
    "language reads few, one in a rare language reads many; about 0.07 s and 0.8 s\n"
    "on 6000 SaudiNewsNet articles), with the headline in the ui= language when\n"
    "one is asked; /api/story/ID gives it as \"link\".\n"
    "Prints 'serving http://ADDR:PORT/' on stderr and runs until SIGINT or SIGTERM.\n\n"
    "Limits: a client that has not sent a whole request within the header timeout is\n"
    "disconnected, however slowly it trickles. When the connections are all taken, a\n"
    "new one closes the one that has waited longest without sending a request (never\n"
    "one whose request is being answered). A request target over 8 KiB gets 414,\n"
    "more than 64 query parameters 400, headers too large 431. The Host header must\n"
    "name the address listened on (and port), localhost on a loopback or 0.0.0.0\n"
    "address, or a --host name; any other gets 421 (a guard against DNS rebinding).\n"
    "HTTP/1.0 requests need no Host.\n",
    run,
};
