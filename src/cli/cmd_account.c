/*
 * cmd_account.c — `khabar account`: reads the articles of one story and
 * prints its account (headline, summary, sources, names, disagreements) as
 * one JSON line or as Markdown.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ARTICLES 10000

static const char help_text[] =
    "Takes every document read as a report of one story and prints the story's\n"
    "account: one JSON object\n"
    "  {\"article_count\":N,\"headline\",\"time\":{\"first\",\"last\"},\"sources\":[...],\n"
    "   \"first_source\",\"summary\":[{\"text\",\"ids\"}],\n"
    "   \"entities\":[{\"name\",\"kind\",\"variants\",\"article_count\",\"mentions\"}],\n"
    "   \"disagreements\":[{\"about\",\"values\":[{\"value\",\"ids\"}]}]}\n"
    "or, with --format md, the same as Markdown. The keys mean what they mean\n"
    "in every output of khabar (khabar help formats).\n"
    "\n"
    "Inputs (PATH) are read as by `khabar read` and cleaned as by `khabar clean`:\n"
    "crawled pages and HTML give the article inside them (title, date, source,\n"
    "body), clean text records pass through. A page where no article is found\n"
    "is skipped with a message. Near copies are found as by `khabar dedup`: the\n"
    "summary quotes originals, and a copy still counts among a sentence's\n"
    "sources.\n"
    "\n"
    "Options (before or after the paths; -- ends them):\n"
    "  --format json|md   output format (json)\n"
    "  -h, --help         show this help\n";

/* on_problem: a document left out is said; one that could not be cleaned
 * for another reason than bad UTF-8 or a work limit ends the run. */
static int account_problem(void *user, const kh_pipeline_problem *pr)
{
    kh_ctx *ctx = user;
    if (pr->status == KH_OK) {
        cli_error("%s: %s: no article found (%s); skipped", pr->file, pr->id,
                  kh_clean_warning_text(pr->warnings & -pr->warnings));
        return 0;
    }
    cli_error("%s: %s: %s%s", pr->file, pr->id, kh_errmsg(ctx),
              pr->status == KH_E_UTF8 || pr->status == KH_E_LIMIT ? "; skipped" : "");
    return pr->status != KH_E_UTF8 && pr->status != KH_E_LIMIT;
}

static int run(int argc, char **argv)
{
    int n = 0, options = 1, md = 0;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    if (!paths) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        if (options && strcmp(argv[i], "--") == 0) {
            options = 0;
        } else if (options && strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "md") == 0) md = 1;
            else if (strcmp(argv[i], "json") == 0) md = 0;
            else {
                free(paths);
                return cli_usage_error(&cli_cmd_account, "account: unknown format '%s'", argv[i]);
            }
        } else if (options && argv[i][0] == '-' && argv[i][1] != '\0') {
            free(paths);
            return cli_usage_error(&cli_cmd_account, "account: unknown option '%s'", argv[i]);
        } else {
            paths[n++] = argv[i];
        }
    }
    if (n == 0 && cli_stdin_is_input())
        paths[n++] = "-";
    if (n == 0) {
        free(paths);
        return cli_usage_error(&cli_cmd_account, "account: no input PATH given");
    }
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        free(paths);
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_reader *reader;
    kh_status rc = kh_reader_open(ctx, paths, (size_t)n, &reader);
    free(paths);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        kh_ctx_free(ctx);
        return CLI_FAIL;
    }
    kh_pipeline_options po;
    kh_pipeline_options_init(&po);
    po.flags = KH_PIPELINE_SKIP_EMPTY;
    po.on_problem = account_problem;
    po.on_problem_user = ctx;
    kh_pipeline *p = NULL;
    int status = CLI_OK;
    if (kh_pipeline_create(ctx, &po, &p) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
    }
    size_t n_docs = 0;
    while (status == CLI_OK) {
        kh_doc *d;
        rc = kh_reader_next(reader, &d);
        if (rc != KH_OK) {
            cli_error("%s%s", rc == KH_E_DUPLICATE ? "warning: " : "", kh_errmsg(ctx));
            if (rc == KH_E_NOMEM) status = CLI_FAIL;
            continue;
        }
        if (!d) break;
        if (n_docs == MAX_ARTICLES) {
            cli_error("%s: more than %d articles; the rest are left out", d->file, MAX_ARTICLES);
            kh_doc_free(d);
            break;
        }
        rc = kh_pipeline_add_doc(p, d);
        kh_doc_free(d);
        n_docs++;
        if (rc != KH_OK) {
            cli_error("%s", kh_errmsg(ctx));
            status = CLI_FAIL;
        }
    }
    kh_reader_free(reader);
    kh_account *acc = NULL;
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    if (status == CLI_OK && n_docs == 0) {
        cli_error("account: no article read");
        status = CLI_FAIL;
    }
    size_t n_arts = 0;
    if (status == CLI_OK) {
        rc = kh_pipeline_account(p, &acc, &n_arts);
        if (rc == KH_E_EMPTY)
            cli_error("account: no article found");
        else if (rc != KH_OK && rc != KH_E_STOPPED)
            cli_error("%s", kh_errmsg(ctx));
        if (rc != KH_OK)
            status = CLI_FAIL;
    }
    if (status == CLI_OK) {
        kh_status w = KH_OK;
        if (md) {
            w = kh_account_markdown(acc, &out);
        } else {
            w = kh_buf_printf(&out, "{\"article_count\":%zu,", n_arts);
            if (w == KH_OK) w = kh_account_json(acc, 0, &out);
            if (w == KH_OK) w = kh_buf_puts(&out, "}\n");
        }
        if (w != KH_OK || cli_flush_end(&out) != 0) {
            cli_error("cannot write output");
            status = CLI_FAIL;
        }
    }
    kh_buf_free(&out);
    kh_account_free(acc);
    kh_pipeline_free(p);
    kh_ctx_free(ctx);
    return status;
}

const cli_command cli_cmd_account = {
    "account",
    "print the account of one story: headline, summary, sources, names, disagreements",
    "khabar account [--format json|md] PATH...",
    help_text,
    run,
};
