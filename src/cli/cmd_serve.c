/*
 * cmd_serve.c — `khabar serve`: the local web page over a store.
 *
 * SIGINT and SIGTERM are blocked before the server's threads start (they
 * inherit the mask), and the main thread waits for them with sigwait(), so
 * a signal never lands inside a request; then the server is stopped
 * cleanly: its threads joined, its connections closed.
 */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

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

static int run(int argc, char **argv)
{
    kh_web_options opt;
    memset(&opt, 0, sizeof opt);
    opt.port = 8080;
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

const cli_command cli_cmd_serve = {
    "serve",
    "serve the stories of a store as a local web page",
    "khabar serve --db FILE [--bind ADDR] [--port N] [--threads N]",
    "Options:\n"
    "  --db FILE      the store to serve (made by khabar ingest)\n"
    "  --bind ADDR    IPv4 address to listen on (default 127.0.0.1)\n"
    "  --port N       port (default 8080; 0 picks a free one)\n"
    "  --threads N    server threads, each with its own database connection (default 4)\n\n"
    "Pages: /  /story/ID  /search?q=WORDS  and JSON at /api/stories  /api/story/ID.\n"
    "Prints 'serving http://ADDR:PORT/' on stderr and runs until SIGINT or SIGTERM.\n",
    run,
};
