/*
 * cmd_clean.c — `khabar clean`: one clean article per input document.
 *
 * Two passes, as the cleaner wants: every page of the run is first shown to
 * kh_cleaner_observe() (lines that recur across pages are boilerplate),
 * then cleaned and printed in input order. Pages are kept in memory between
 * the passes up to --keep-mb megabytes (default 256); past that, the rest
 * are read again from their files in the second pass, so memory stays
 * bounded whatever the size of the run (standard input is always kept).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static kh_status put_field(kh_buf *o, const char *name, const char *value)
{
    if (!value) return KH_OK;
    kh_status rc = kh_buf_printf(o, ",\"%s\":", name);
    if (rc == KH_OK) rc = kh_buf_json_string(o, value, strlen(value));
    return rc;
}

static kh_status print_jsonl(kh_buf *o, const kh_doc *d, const kh_article *art)
{
    kh_status rc = kh_buf_puts(o, "{\"id\":");
    if (rc == KH_OK) rc = kh_buf_json_string(o, d->id, strlen(d->id));
    if (rc == KH_OK) rc = put_field(o, "file", d->file); /* as khabar read writes it */
    if (rc == KH_OK) rc = put_field(o, "url", art->url);
    if (rc == KH_OK) rc = put_field(o, "lang", kh_lang_code(art->lang));
    if (rc == KH_OK) rc = put_field(o, "title", art->title);
    if (rc == KH_OK) rc = put_field(o, "date", art->date);
    if (rc == KH_OK) rc = put_field(o, "date_source", art->date_source);
    if (rc == KH_OK) rc = put_field(o, "author", art->author);
    if (rc == KH_OK) rc = put_field(o, "source", art->source);
    if (rc == KH_OK) rc = put_field(o, "dateline", art->dateline);
    if (rc == KH_OK) rc = put_field(o, "dateline_agency", art->dateline_agency);
    if (rc == KH_OK) rc = kh_buf_puts(o, ",\"body\":[");
    for (size_t i = 0; rc == KH_OK && i < art->n_body; i++) {
        if (i) rc = kh_buf_puts(o, ",");
        if (rc == KH_OK) rc = kh_buf_json_string(o, art->body[i], strlen(art->body[i]));
    }
    if (rc == KH_OK) rc = kh_buf_puts(o, "]}\n");
    return rc;
}

static kh_status print_md(kh_buf *o, const kh_doc *d, const kh_article *art, int first)
{
    kh_status rc = first ? KH_OK : kh_buf_puts(o, "\n---\n\n");
    if (rc == KH_OK) rc = kh_buf_printf(o, "# %s\n\n", art->title ? art->title : d->id);
    int meta = 0;
    const char *parts[4] = { art->date, art->author, art->source, art->url };
    for (size_t i = 0; rc == KH_OK && i < 4; i++)
        if (parts[i]) {
            rc = kh_buf_printf(o, "%s%s", meta ? " · " : "*", parts[i]);
            if (rc == KH_OK && i == 0 && art->date_source)
                rc = kh_buf_printf(o, " (%s)", art->date_source);
            meta = 1;
        }
    if (rc == KH_OK && meta) rc = kh_buf_puts(o, "*\n\n");
    for (size_t i = 0; rc == KH_OK && i < art->n_body; i++)
        rc = kh_buf_printf(o, "%s\n\n", art->body[i]);
    return rc;
}

/*
 * The readers report an empty (or all-white-space) file as KH_E_EMPTY,
 * "FILE: message". For clean, an empty page is a page with nothing in it:
 * it gets its record (empty body, a warning), so a document of its own is
 * made here, named after the file the message names.
 */
static kh_doc *empty_doc(kh_ctx *ctx, const char *msg)
{
    const char *colon = strrchr(msg, ':');
    size_t len = colon ? (size_t)(colon - msg) : strlen(msg);
    kh_arena *a;
    if (kh_arena_create(ctx, &a) != KH_OK) return NULL;
    kh_doc *d = kh_arena_alloc(a, sizeof *d);
    char *file = kh_arena_strndup(a, msg, len);
    if (!d || !file) {
        kh_arena_free(a);
        return NULL;
    }
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->file = file;
    const char *base = strrchr(file, '/');
    d->id = base ? base + 1 : file;
    d->content = "";
    d->kind = KH_CONTENT_PAGE;
    return d;
}

typedef struct kept {
    kh_doc **v;
    size_t n, cap, bytes;
} kept;

/* Cleans d, prints its record and warnings, frees it. */
static int emit(kh_cleaner *cl, kh_ctx *ctx, kh_buf *out, kh_doc *d, int md, int *first)
{
    const kh_article *art;
    kh_status rc = kh_clean_doc(cl, d, &art);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        kh_doc_free(d);
        return rc == KH_E_NOMEM ? -1 : 1;
    }
    for (unsigned w = 1; w <= KH_CLEAN_W_UNKNOWN_LANG; w <<= 1)
        if (art->warnings & w) cli_error("%s: warning: %s", d->file, kh_clean_warning_text(w));
    rc = md ? print_md(out, d, art, *first) : print_jsonl(out, d, art);
    *first = 0;
    kh_doc_free(d);
    if (rc != KH_OK || cli_flush_chunk(out) != 0) {
        cli_error("cannot write output");
        return -1;
    }
    return 0;
}

static int run(int argc, char **argv)
{
    const char *format = "jsonl", *fetch = NULL;
    size_t keep_mb = 256;
    int strict = 0, options = 1, n = 0, stdin_used = 0;
    const char **paths = malloc((size_t)argc * sizeof *paths);
    if (!paths) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && strcmp(a, "--") == 0) options = 0;
        else if (options && strcmp(a, "--format") == 0 && i + 1 < argc) format = argv[++i];
        else if (options && strncmp(a, "--format=", 9) == 0) format = a + 9;
        else if (options && strcmp(a, "--fetch-date") == 0 && i + 1 < argc) fetch = argv[++i];
        else if (options && strncmp(a, "--fetch-date=", 13) == 0) fetch = a + 13;
        else if (options && strcmp(a, "--keep-mb") == 0 && i + 1 < argc) keep_mb = strtoul(argv[++i], NULL, 10);
        else if (options && strcmp(a, "--strict") == 0) strict = 1;
        else if (options && a[0] == '-' && a[1] != '\0') {
            free(paths);
            return cli_usage_error(&cli_cmd_clean, "clean: unknown option '%s'", a);
        } else {
            paths[n++] = a;
            stdin_used |= strcmp(a, "-") == 0;
        }
    }
    int md = 0;
    if (strcmp(format, "md") == 0) md = 1;
    else if (strcmp(format, "jsonl") != 0) {
        free(paths);
        return cli_usage_error(&cli_cmd_clean, "clean: --format is jsonl or md, not '%s'", format);
    }
    if (n == 0 && cli_stdin_is_input()) {
        paths[n++] = "-";
        stdin_used = 1;
    }
    if (n == 0) {
        free(paths);
        return cli_usage_error(&cli_cmd_clean, "clean: no input PATH given");
    }

    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        free(paths);
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_cleaner *cl = NULL;
    kh_reader *reader = NULL;
    kept k = { 0 };
    int status = CLI_OK, first = 1;
    /* errors: bad records and documents that failed to clean, so that
     * cleaned + errors = records read */
    uint64_t docs = 0, cleaned = 0, errors = 0, repaired = 0;
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    if (kh_cleaner_create(ctx, 0, &cl) != KH_OK) {
        cli_error("out of memory");
        status = CLI_FAIL;
        goto done;
    }
    if (fetch && kh_cleaner_set_fetch_date(cl, fetch) != KH_OK) {
        status = cli_usage_error(&cli_cmd_clean, "%s", kh_errmsg(ctx));
        goto done;
    }

    /* Pass 1: observe every document; keep them while they fit. Standard
     * input cannot be read twice, so with "-" everything is kept. */
    size_t budget = keep_mb << 20;
    int spilled = 0;
    if (kh_reader_open(ctx, paths, (size_t)n, &reader) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
        goto done;
    }
    for (;;) {
        kh_doc *d;
        kh_status rc = kh_reader_next(reader, &d);
        if (rc == KH_E_EMPTY && (d = empty_doc(ctx, kh_errmsg(ctx))) != NULL) {
            rc = KH_OK;
        } else if (rc != KH_OK) {
            cli_error("%s%s", rc == KH_E_DUPLICATE ? "warning: " : "", kh_errmsg(ctx));
            errors++;
            if (strict || rc == KH_E_NOMEM) { status = CLI_FAIL; goto done; }
            continue;
        }
        if (!d) break;
        docs++;
        repaired += (uint64_t)cli_doc_repaired(d);
        if (kh_cleaner_observe(cl, d) != KH_OK) {
            cli_error("%s: %s", d->file, kh_errmsg(ctx));
            kh_doc_free(d);
            status = CLI_FAIL;
            goto done;
        }
        if (!spilled && (stdin_used || k.bytes + d->content_len <= budget)) {
            if (k.n == k.cap) {
                size_t ncap = k.cap ? k.cap * 2 : 256;
                kh_doc **nv = realloc(k.v, ncap * sizeof *nv);
                if (!nv) { kh_doc_free(d); cli_error("out of memory"); status = CLI_FAIL; goto done; }
                k.v = nv;
                k.cap = ncap;
            }
            k.v[k.n++] = d;
            k.bytes += d->content_len;
        } else {
            spilled = 1;
            kh_doc_free(d);
        }
    }
    kh_reader_free(reader);
    reader = NULL;

    /* Pass 2: clean and print in input order: the kept documents, then the
     * rest read again (their errors were reported in pass 1). */
    for (size_t i = 0; i < k.n; i++) {
        kh_doc *d = k.v[i];
        k.v[i] = NULL;
        int e = emit(cl, ctx, &out, d, md, &first);
        if (e < 0 || (e > 0 && strict)) { status = CLI_FAIL; goto done; }
        if (e > 0) errors++;
        else cleaned++;
    }
    if (spilled) {
        if (kh_reader_open(ctx, paths, (size_t)n, &reader) != KH_OK) {
            cli_error("%s", kh_errmsg(ctx));
            status = CLI_FAIL;
            goto done;
        }
        size_t skip = k.n;
        for (;;) {
            kh_doc *d;
            kh_status rc = kh_reader_next(reader, &d);
            if (rc == KH_E_NOMEM) { cli_error("out of memory"); status = CLI_FAIL; goto done; }
            if (rc == KH_E_EMPTY && (d = empty_doc(ctx, kh_errmsg(ctx))) != NULL) rc = KH_OK;
            if (rc != KH_OK) continue;
            if (!d) break;
            if (skip) { skip--; kh_doc_free(d); continue; }
            int e = emit(cl, ctx, &out, d, md, &first);
            if (e < 0 || (e > 0 && strict)) { status = CLI_FAIL; goto done; }
            if (e > 0) errors++;
            else cleaned++;
        }
    }
    if (cli_flush_end(&out) != 0) {
        cli_error("cannot write output");
        status = CLI_FAIL;
    }
    if (status == CLI_OK && errors) {
        cli_error("cleaned %llu documents; skipped %llu records with errors",
                  (unsigned long long)cleaned, (unsigned long long)errors);
        if (docs == 0) status = CLI_FAIL;
    }
    if (status == CLI_OK && repaired)
        cli_error("warning: %llu documents read with invalid bytes replaced",
                  (unsigned long long)repaired);
done:
    for (size_t i = 0; i < k.n; i++) kh_doc_free(k.v[i]);
    free(k.v);
    free(paths);
    kh_reader_free(reader);
    kh_buf_free(&out);
    kh_cleaner_free(cl);
    kh_ctx_free(ctx);
    return status;
}

const cli_command cli_cmd_clean = {
    "clean",
    "find the article in crawled pages: title, date, source, body",
    "khabar clean [--format jsonl|md] [--fetch-date YYYY-MM-DD] [--keep-mb N] [--strict] PATH...",
    "Reads documents as `khabar read` does (page text, HTML, JSON Lines, WARC/WET,\n"
    "gzipped or not; directories recursively; - for stdin) and prints one record\n"
    "per document, in input order:\n"
    "  {\"id\",\"file\",\"url\",\"lang\",\"title\",\"date\",\"date_source\",\"author\",\"source\",\"dateline\",\n"
    "   \"dateline_agency\",\"body\":[paragraphs]}   (absent values omitted)\n"
    "file is the input file as given (- for standard input), as in khabar read.\n"
    "All pages are first read once to count lines that recur across pages\n"
    "(menus, footers), then cleaned.\n\n"
    "Options:\n"
    "  --format jsonl|md   JSON Lines (default) or readable Markdown\n"
    "  --fetch-date DATE   the crawl date; relative dates (\"منذ ساعتين\") count from it\n"
    "  --keep-mb N         keep up to N MB of pages between the passes (default 256);\n"
    "                      the rest is read again (with - everything is kept)\n"
    "  --strict            stop at the first bad record and exit 1\n\n"
    "The body comes out in any language: the language is detected from the\n"
    "text (<html lang> only breaks a tie); one khabar has no stemmer for\n"
    "(see `khabar help tokens` for those it has) is recorded as unknown, with\n"
    "a warning, and is not stemmed later.\n"
    "Pages with no text or no article give a record with an empty body and a\n"
    "warning on stderr (not an error). Bad\n"
    "records are reported and skipped; the exit status is 1 only with --strict\n"
    "or when nothing could be read. An HTML page past the work budget (more\n"
    "than 512 attributes on one element, 262144 attributes or start tags in\n"
    "all, or elements nested deeper than 512) is a bad record, e.g.\n"
    "  khabar: page.html: 100000 attributes on one element at byte 7, limit 512\n",
    run,
};
