/*
 * cmd_account.c — `khabar account`: reads the articles of one story and
 * prints its account (headline, summary, sources, names, disagreements) as
 * one JSON line or as Markdown.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ARTICLES 10000

#define KH_CLI_FORWARD(expr)            \
    do {                                \
        kh_status rc_ = (expr);         \
        if (rc_ != KH_OK) return rc_;   \
    } while (0)

static const char help_text[] =
    "Takes every document read as a report of one story and prints the story's\n"
    "account: one JSON object\n"
    "  {\"articles\":N,\"headline\",\"time\":{\"first\",\"last\"},\"sources\":[...],\"first\",\n"
    "   \"summary\":[{\"text\",\"ids\"}],\"entities\":[{\"name\",\"kind\",\"variants\",\"articles\"}],\n"
    "   \"disagreements\":[{\"about\",\"values\":[{\"value\",\"ids\"}]}]}\n"
    "or, with --format md, the same as Markdown.\n"
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

typedef struct story_in {
    kh_doc **docs;
    kh_account_article *arts;
    size_t n;
} story_in;

/* Marks near copies (kh_dedup): an article whose group's earliest member
 * is another article gets copy_of, so the summary quotes the original. */
static kh_status mark_copies(kh_ctx *ctx, kh_account_article *arts, size_t n)
{
    kh_deduper *dd;
    KH_CLI_FORWARD(kh_dedup_create(ctx, NULL, &dd));
    kh_buf text;
    kh_buf_init(&text, ctx, 0);
    kh_status rc = KH_OK;
    for (size_t i = 0; i < n && rc == KH_OK; i++) {
        kh_buf_clear(&text);
        for (size_t p = 0; p < arts[i].n_body && rc == KH_OK; p++) {
            rc = kh_buf_puts(&text, arts[i].body[p]);
            if (rc == KH_OK) rc = kh_buf_puts(&text, "\n");
        }
        if (rc == KH_OK)
            rc = kh_dedup_add(dd, arts[i].id, arts[i].date, text.data ? text.data : "", text.len);
    }
    if (rc == KH_OK) rc = kh_dedup_run(dd);
    for (size_t i = 0; i < n && rc == KH_OK; i++) {
        size_t rep = kh_dedup_group(dd, i);
        if (rep != i && rep < n) arts[i].copy_of = arts[rep].id;
    }
    kh_buf_free(&text);
    kh_dedup_free(dd);
    return rc;
}

/* Cleans every document (pages: the article inside; clean text passes
 * through) and makes the account's articles from what has a body. The
 * documents are observed first so that lines repeated across pages of a
 * site are known as boilerplate. */
static kh_status make_articles(kh_ctx *ctx, story_in *st, size_t *n_arts)
{
    kh_cleaner *cl;
    KH_CLI_FORWARD(kh_cleaner_create(ctx, 0, &cl));
    kh_status rc = KH_OK;
    for (size_t i = 0; i < st->n && rc == KH_OK; i++) rc = kh_cleaner_observe(cl, st->docs[i]);
    size_t k = 0;
    for (size_t i = 0; i < st->n && rc == KH_OK; i++) {
        const kh_article *art;
        rc = kh_clean_doc(cl, st->docs[i], &art);
        if (rc == KH_E_UTF8 || rc == KH_E_LIMIT) {
            cli_error("%s: %s: %s; skipped", st->docs[i]->file, st->docs[i]->id, kh_errmsg(ctx));
            rc = KH_OK;
            continue;
        }
        if (rc != KH_OK) break;
        if (art->n_body == 0) {
            cli_error("%s: %s: no article found (%s); skipped", st->docs[i]->file,
                      st->docs[i]->id, kh_clean_warning_text(art->warnings & -art->warnings));
            continue;
        }
        kh_account_article *a = &st->arts[k++];
        memset(a, 0, sizeof *a);
        a->id = st->docs[i]->id;
        a->source = art->source;
        a->date = art->date;
        a->title = art->title;
        a->body = art->body;
        a->n_body = art->n_body;
        a->lang = art->lang;
    }
    kh_cleaner_free(cl);
    *n_arts = k;
    if (rc == KH_OK && k > 1) rc = mark_copies(ctx, st->arts, k);
    return rc;
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
    story_in st = { calloc(MAX_ARTICLES, sizeof(kh_doc *)),
                    calloc(MAX_ARTICLES, sizeof(kh_account_article)), 0 };
    int status = st.docs && st.arts ? CLI_OK : CLI_FAIL;
    while (status == CLI_OK) {
        kh_doc *d;
        rc = kh_reader_next(reader, &d);
        if (rc != KH_OK) {
            cli_error("%s%s", rc == KH_E_DUPLICATE ? "warning: " : "", kh_errmsg(ctx));
            if (rc == KH_E_NOMEM) status = CLI_FAIL;
            continue;
        }
        if (!d) break;
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
    size_t n_arts = 0;
    if (status == CLI_OK && make_articles(ctx, &st, &n_arts) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
    }
    if (status == CLI_OK && n_arts == 0) {
        cli_error("account: no article found");
        status = CLI_FAIL;
    }
    if (status == CLI_OK &&
        (kh_tokenizer_create(ctx, &tok) != KH_OK ||
         kh_account_build(ctx, tok, st.arts, n_arts, NULL, &acc) != KH_OK)) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
    }
    if (status == CLI_OK) {
        kh_status w = KH_OK;
        if (md) {
            w = kh_account_markdown(acc, &out);
        } else {
            w = kh_buf_printf(&out, "{\"articles\":%zu,", n_arts);
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
    kh_tokenizer_free(tok);
    for (size_t i = 0; i < st.n; i++) kh_doc_free(st.docs[i]);
    free(st.docs);
    free(st.arts);
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
