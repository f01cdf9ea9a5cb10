/*
 * cmd_read.c — `khabar read`: reads inputs and prints one JSON line per
 * document, so what the readers see can be checked by eye or by jq.
 */
#include "cli.h"

#include <string.h>

static const char help_text[] =
    "Prints one JSON object a line for each document read:\n"
    "  {\"id\",\"file\",\"format\",\"kind\",\"lang\",\"chars\",\"lines\"}\n"
    "plus \"url\" and \"title\" when the input gives them.\n"
    "\n"
    "Inputs (PATH): a crawled page's text (one document a file), HTML, JSON Lines\n"
    "(optional id, url, source, date, title and one of text/page/html), WARC/WET\n"
    "files (fetched pages only: warcinfo, request, metadata and revisit records,\n"
    "redirects and non-HTML payloads are skipped and counted), any\n"
    "of them gzipped, directories (read recursively in byte order of names; hidden\n"
    "dot-files and entries that are not regular files are skipped), or - for\n"
    "standard input. Formats are detected from content, never from names.\n"
    "Text is UTF-8; HTML that is not, and that declares its charset (HTTP\n"
    "Content-Type or <meta>, e.g. windows-1256), is converted to UTF-8. HTML\n"
    "that is UTF-8 but for a few stray bytes or NULs is read with each replaced\n"
    "by U+FFFD, and a warning names the file and the first such byte.\n"
    "\n"
    "A document's id names the article, so that a page crawled again keeps it:\n"
    "the record's id (JSON Lines \"id\"), else its URL (JSON Lines \"url\",\n"
    "WARC-Target-URI without <>), else its path from the folder that holds the\n"
    "PATH given (site/a/index.html for PATH site; page.html for PATH\n"
    "x/page.html), else that path and the record's line (feed.jsonl:7). Ids are\n"
    "unique in a run: a record whose id was already read is skipped with a\n"
    "warning naming its file and line, and counted.\n"
    "\n"
    "Options (before or after the paths; -- ends them):\n"
    "  --strict   stop at the first bad record and exit 1\n"
    "  -h, --help show this help\n"
    "\n"
    "Bad records (invalid UTF-8 or bytes invalid in the declared charset, an\n"
    "unknown charset, NUL bytes, malformed JSON, lying WARC lengths, over-long\n"
    "lines, unreadable files) are reported on stderr, one line each,\n"
    "and skipped. At the end a summary line on stderr counts them. The exit\n"
    "status stays 0 when records were skipped (a crawl always has some); it is 1\n"
    "with --strict or when nothing could be read at all, 2 for a bad command line.\n";

static int run(int argc, char **argv)
{
    int strict = 0, n = 0, options = 1;
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    /* Options may come before or after paths; "--" ends them. */
    const char **paths = kh_malloc(ctx, (size_t)argc * sizeof *paths);
    if (!paths) {
        cli_error("out of memory");
        kh_ctx_free(ctx);
        return CLI_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        if (options && strcmp(argv[i], "--") == 0) {
            options = 0;
        } else if (options && strcmp(argv[i], "--strict") == 0) {
            strict = 1;
        } else if (options && argv[i][0] == '-' && argv[i][1] != '\0') {
            kh_free(ctx, paths, (size_t)argc * sizeof *paths);
            kh_ctx_free(ctx);
            return cli_usage_error(&cli_cmd_read, "read: unknown option '%s'", argv[i]);
        } else {
            paths[n++] = argv[i];
        }
    }
    if (n == 0 && cli_stdin_is_input())
        paths[n++] = "-";
    if (n == 0) {
        kh_free(ctx, paths, (size_t)argc * sizeof *paths);
        kh_ctx_free(ctx);
        return cli_usage_error(&cli_cmd_read, "read: no input PATH given");
    }
    kh_reader *reader;
    kh_status rc = kh_reader_open(ctx, paths, (size_t)n, &reader);
    kh_free(ctx, paths, (size_t)argc * sizeof *paths);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        kh_ctx_free(ctx);
        return CLI_FAIL;
    }
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    cli_progress prog;
    cli_progress_start(&prog, "documents", 0);
    int status = CLI_OK;
    uint64_t repaired = 0; /* documents read with stray bytes replaced */
    for (;;) {
        kh_doc *d;
        rc = kh_reader_next(reader, &d);
        if (rc != KH_OK) {
            cli_error("%s%s", rc == KH_E_DUPLICATE ? "warning: " : "", kh_errmsg(ctx));
            if (strict || rc == KH_E_NOMEM) {
                status = CLI_FAIL;
                break;
            }
            continue;
        }
        if (!d)
            break;
        repaired += (uint64_t)cli_doc_repaired(d);
        d->lang = kh_lang_detect(d->content, d->content_len);
        kh_status w = kh_buf_puts(&out, "{\"id\":");
        if (w == KH_OK) w = kh_buf_json_string(&out, d->id, strlen(d->id));
        if (w == KH_OK) w = kh_buf_puts(&out, ",\"file\":");
        if (w == KH_OK) w = kh_buf_json_string(&out, d->file, strlen(d->file));
        if (w == KH_OK)
            w = kh_buf_printf(&out, ",\"format\":\"%s\",\"kind\":\"%s\",\"lang\":\"%s\","
                              "\"chars\":%zu,\"lines\":%zu",
                              kh_format_name(d->format), kh_content_name(d->kind),
                              kh_lang_code(d->lang), d->n_chars, d->n_lines);
        if (w == KH_OK && d->url) {
            w = kh_buf_puts(&out, ",\"url\":");
            if (w == KH_OK) w = kh_buf_json_string(&out, d->url, strlen(d->url));
        }
        if (w == KH_OK && d->title) {
            w = kh_buf_puts(&out, ",\"title\":");
            if (w == KH_OK) w = kh_buf_json_string(&out, d->title, strlen(d->title));
        }
        if (w == KH_OK) w = kh_buf_puts(&out, "}\n");
        kh_doc_free(d);
        if (w != KH_OK || cli_flush_chunk(&out) != 0) {
            cli_error("cannot write output: %s", kh_strerror(w != KH_OK ? w : KH_E_IO));
            status = CLI_FAIL;
            break;
        }
        kh_read_stats st;
        kh_reader_stats(reader, &st);
        cli_progress_tick(&prog, st.docs);
    }
    cli_progress_end(&prog);
    if (cli_flush_end(&out) != 0) {
        cli_error("cannot write output");
        status = CLI_FAIL;
    }
    kh_read_stats st;
    kh_reader_stats(reader, &st);
    if (status == CLI_OK && repaired)
        cli_error("warning: %llu documents read with invalid bytes replaced",
                  (unsigned long long)repaired);
    if (status == CLI_OK && (st.errors || st.duplicates)) {
        if (st.duplicates)
            cli_error("read %llu documents from %llu files; skipped %llu records with errors "
                      "and %llu with an id already read",
                      (unsigned long long)st.docs, (unsigned long long)st.files,
                      (unsigned long long)st.errors, (unsigned long long)st.duplicates);
        else
            cli_error("read %llu documents from %llu files; skipped %llu records with errors",
                      (unsigned long long)st.docs, (unsigned long long)st.files,
                      (unsigned long long)st.errors);
        if (st.docs == 0)
            status = CLI_FAIL;
    }
    kh_buf_free(&out);
    kh_reader_free(reader);
    kh_ctx_free(ctx);
    return status;
}

const cli_command cli_cmd_read = {
    "read",
    "read inputs and print one JSON line per document",
    "khabar read [--strict] PATH...",
    help_text,
    run,
};
