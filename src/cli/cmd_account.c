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
    "  {\"articles\":N,\"headline\",\"time\":{\"first\",\"last\"},\"sources\":[...],\"first\",\n"
    "   \"summary\":[{\"text\",\"ids\"}],\"entities\":[{\"name\",\"kind\",\"variants\",\"articles\"}],\n"
    "   \"disagreements\":[{\"about\",\"values\":[{\"value\",\"ids\"}]}]}\n"
    "or, with --format md, the same as Markdown.\n"
    "\n"
    "Inputs (PATH) are read as by `khabar read`. Articles must be clean text\n"
    "(JSON Lines records with \"text\": paragraphs separated by line breaks);\n"
    "crawled pages and HTML are skipped with a message.\n"
    "\n"
    "Options (before or after the paths; -- ends them):\n"
    "  --format json|md   output format (json)\n"
    "  -h, --help         show this help\n";

typedef struct story_in {
    kh_doc **docs;
    kh_account_article *arts;
    const char **paras; /* every paragraph; articles point into it */
    size_t n;
} story_in;

/* Makes the articles from the documents read: a clean text's non-empty
 * lines are its paragraphs (cut in place: the documents are ours). */
static int make_articles(story_in *st)
{
    size_t total = 0;
    for (size_t i = 0; i < st->n; i++) total += st->docs[i]->n_lines + 1;
    st->paras = calloc(total + 1, sizeof *st->paras);
    if (!st->paras) return -1;
    size_t k = 0;
    for (size_t i = 0; i < st->n; i++) {
        kh_doc *d = st->docs[i];
        kh_account_article *a = &st->arts[i];
        memset(a, 0, sizeof *a);
        a->id = d->id;
        a->source = d->source;
        a->date = d->date;
        a->title = d->title;
        a->lang = kh_lang_detect(d->content, d->content_len);
        a->body = st->paras + k;
        for (char *line = (char *)d->content; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = '\0';
            while (*line == ' ' || *line == '\t' || *line == '\r') line++;
            if (*line && k < total) st->paras[k++] = line;
            line = nl ? nl + 1 : NULL;
        }
        a->n_body = (size_t)(st->paras + k - a->body);
    }
    return 0;
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
    story_in st = { calloc(MAX_ARTICLES, sizeof(kh_doc *)),
                    calloc(MAX_ARTICLES, sizeof(kh_account_article)), NULL, 0 };
    int status = st.docs && st.arts ? CLI_OK : CLI_FAIL;
    while (status == CLI_OK) {
        kh_doc *d;
        rc = kh_reader_next(reader, &d);
        if (rc != KH_OK) {
            cli_error("%s", kh_errmsg(ctx));
            if (rc == KH_E_NOMEM) status = CLI_FAIL;
            continue;
        }
        if (!d) break;
        if (d->kind != KH_CONTENT_TEXT) {
            cli_error("%s: %s: a %s, not clean text; skipped", d->file, d->id,
                      kh_content_name(d->kind));
            kh_doc_free(d);
            continue;
        }
        if (st.n == MAX_ARTICLES) {
            cli_error("%s: more than %d articles; the rest are left out", d->file, MAX_ARTICLES);
            kh_doc_free(d);
            break;
        }
        st.docs[st.n++] = d;
    }
    kh_reader_free(reader);
    kh_tokenizer *tok = NULL;
    kh_account *acc = NULL;
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    if (status == CLI_OK && st.n == 0) {
        cli_error("account: no article read");
        status = CLI_FAIL;
    }
    if (status == CLI_OK && make_articles(&st) != 0) {
        cli_error("out of memory");
        status = CLI_FAIL;
    }
    if (status == CLI_OK &&
        (kh_tokenizer_create(ctx, &tok) != KH_OK ||
         kh_account_build(ctx, tok, st.arts, st.n, NULL, &acc) != KH_OK)) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
    }
    if (status == CLI_OK) {
        kh_status w = KH_OK;
        if (md) {
            w = kh_account_markdown(acc, &out);
        } else {
            w = kh_buf_printf(&out, "{\"articles\":%zu,", st.n);
            if (w == KH_OK) w = kh_account_json(acc, &out);
            if (w == KH_OK) w = kh_buf_puts(&out, "}\n");
        }
        if (w != KH_OK || cli_flush(&out) != 0 || fflush(stdout) != 0) {
            cli_error("cannot write output");
            status = CLI_FAIL;
        }
    }
    kh_buf_free(&out);
    kh_account_free(acc);
    kh_tokenizer_free(tok);
    for (size_t i = 0; i < st.n; i++) kh_doc_free(st.docs[i]);
    free(st.docs);
    free(st.arts);
    free(st.paras);
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
