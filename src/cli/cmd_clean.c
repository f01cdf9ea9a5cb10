/*
 * cmd_clean.c — `khabar clean`: one clean article per input page.
 *
 * Two passes, as the cleaner wants: every page of the run is first shown to
 * kh_cleaner_observe() (lines that recur across pages are boilerplate),
 * then cleaned and printed in input order. Pages are kept in memory between
 * the passes up to --keep-mb megabytes (default 256); past that, the rest
 * are read again from their files in the second pass, so memory stays
 * bounded whatever the size of the run (standard input is always kept).
 */
#include "cli.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct input {
    char *path;   /* file path, "-" for stdin */
    kh_doc *doc;  /* kept between passes, or NULL */
} input;

typedef struct inputs {
    input *v;
    size_t n, cap;
} inputs;

static int add_input(inputs *in, const char *path)
{
    if (in->n == in->cap) {
        size_t ncap = in->cap ? in->cap * 2 : 64;
        input *nv = realloc(in->v, ncap * sizeof *nv);
        if (!nv) return -1;
        in->v = nv;
        in->cap = ncap;
    }
    in->v[in->n].path = strdup(path);
    in->v[in->n].doc = NULL;
    if (!in->v[in->n].path) return -1;
    in->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds path, or every file under it in byte order of names. */
static int collect(inputs *in, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return add_input(in, path);
    DIR *d = opendir(path);
    if (!d) return add_input(in, path);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) { rc = -1; break; }
            names = nn;
        }
        size_t l = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(l);
        if (!names[n]) { rc = -1; break; }
        snprintf(names[n++], l, "%s/%s", path, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (!rc) rc = collect(in, names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Reads a whole file ("-" = stdin) into a new document. */
static kh_status load(kh_ctx *ctx, const char *path, kh_doc **out)
{
    *out = NULL;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return kh_ctx_error(ctx, KH_E_IO, "%s: cannot open", path);
    kh_buf b;
    kh_buf_init(&b, ctx, kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 0));
    char chunk[65536];
    size_t r;
    kh_status rc = KH_OK;
    while (rc == KH_OK && (r = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = kh_buf_append(&b, chunk, r);
    int err = ferror(f);
    if (f != stdin) fclose(f);
    if (rc == KH_E_TOOBIG)
        rc = kh_ctx_error(ctx, rc, "%s: larger than the document limit", path);
    else if (rc == KH_OK && err)
        rc = kh_ctx_error(ctx, KH_E_IO, "%s: read error", path);
    kh_arena *a = NULL;
    if (rc == KH_OK) rc = kh_arena_create(ctx, &a);
    kh_doc *d = NULL;
    if (rc == KH_OK) {
        d = kh_arena_alloc(a, sizeof *d);
        if (!d) rc = KH_E_NOMEM;
    }
    if (rc == KH_OK) {
        memset(d, 0, sizeof *d);
        d->arena = a;
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        d->id = kh_arena_strndup(a, base, strlen(base));
        d->file = kh_arena_strndup(a, path, strlen(path));
        char *content = kh_arena_strndup(a, b.data ? b.data : "", b.len);
        if (!d->id || !d->file || !content) rc = KH_E_NOMEM;
        d->content = content;
        d->content_len = b.len;
        size_t i = 0;
        while (i < b.len && (b.data[i] == ' ' || b.data[i] == '\t' || b.data[i] == '\r' ||
                             b.data[i] == '\n'))
            i++;
        /* a UTF-8 byte order mark */
        if (i + 3 <= b.len && !memcmp(b.data + i, "\xEF\xBB\xBF", 3)) i += 3;
        int is_html = i < b.len && b.data[i] == '<';
        d->format = is_html ? KH_FORMAT_HTML : KH_FORMAT_TEXT;
        d->kind = is_html ? KH_CONTENT_HTML : KH_CONTENT_PAGE;
        for (size_t k = 0; k < b.len; k++) d->n_lines += b.data[k] == '\n';
        if (b.len && b.data[b.len - 1] != '\n') d->n_lines++;
    }
    kh_buf_free(&b);
    if (rc != KH_OK) {
        if (d) kh_doc_free(d);
        else kh_arena_free(a);
        return rc;
    }
    *out = d;
    return KH_OK;
}

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
    if (rc == KH_OK && strcmp(d->file, "-") != 0) {
        const char *base = strrchr(d->file, '/');
        rc = put_field(o, "file", base ? base + 1 : d->file);
    }
    if (rc == KH_OK) rc = put_field(o, "url", art->url);
    if (rc == KH_OK) rc = put_field(o, "lang", kh_lang_code(art->lang));
    if (rc == KH_OK) rc = put_field(o, "title", art->title);
    if (rc == KH_OK) rc = put_field(o, "date", art->date);
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
    const char *parts[4] = { art->date, art->source, art->url, NULL };
    for (size_t i = 0; rc == KH_OK && i < 3; i++)
        if (parts[i]) {
            rc = kh_buf_printf(o, "%s%s", meta ? " · " : "*", parts[i]);
            meta = 1;
        }
    if (rc == KH_OK && meta) rc = kh_buf_puts(o, "*\n\n");
    for (size_t i = 0; rc == KH_OK && i < art->n_body; i++)
        rc = kh_buf_printf(o, "%s\n\n", art->body[i]);
    return rc;
}

static int run(int argc, char **argv)
{
    const char *format = "jsonl", *fetch = NULL;
    size_t keep_mb = 256;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (a[0] != '-' || strcmp(a, "-") == 0) break;
        if (strcmp(a, "--format") == 0 && i + 1 < argc) format = argv[++i];
        else if (strncmp(a, "--format=", 9) == 0) format = a + 9;
        else if (strcmp(a, "--fetch-date") == 0 && i + 1 < argc) fetch = argv[++i];
        else if (strncmp(a, "--fetch-date=", 13) == 0) fetch = a + 13;
        else if (strcmp(a, "--keep-mb") == 0 && i + 1 < argc) keep_mb = strtoul(argv[++i], NULL, 10);
        else return cli_usage_error(&cli_cmd_clean, "clean: unknown option '%s'", a);
    }
    int md = 0;
    if (strcmp(format, "md") == 0) md = 1;
    else if (strcmp(format, "jsonl") != 0)
        return cli_usage_error(&cli_cmd_clean, "clean: --format is jsonl or md, not '%s'", format);
    if (i >= argc) return cli_usage_error(&cli_cmd_clean, "clean: no PATH given");

    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_cleaner *cl = NULL;
    int status = CLI_OK;
    inputs in = { 0 };
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
    for (; i < argc; i++)
        if (collect(&in, argv[i]) != 0) {
            cli_error("out of memory");
            status = CLI_FAIL;
            goto done;
        }

    /* Pass 1: observe (and keep what fits). */
    size_t kept = 0, budget = keep_mb << 20;
    for (size_t k = 0; k < in.n; k++) {
        kh_doc *d;
        if (load(ctx, in.v[k].path, &d) != KH_OK) continue; /* reported in pass 2 */
        if (kh_cleaner_observe(cl, d) != KH_OK) {
            cli_error("%s: %s", in.v[k].path, kh_errmsg(ctx));
            kh_doc_free(d);
            status = CLI_FAIL;
            goto done;
        }
        if (strcmp(in.v[k].path, "-") == 0 || kept + d->content_len <= budget) {
            in.v[k].doc = d;
            kept += d->content_len;
        } else {
            kh_doc_free(d);
        }
    }
    /* Pass 2: clean and print, in input order. */
    for (size_t k = 0; k < in.n; k++) {
        kh_doc *d = in.v[k].doc;
        in.v[k].doc = NULL;
        if (!d && strcmp(in.v[k].path, "-") == 0) continue; /* stdin failed in pass 1 */
        if (!d && load(ctx, in.v[k].path, &d) != KH_OK) {
            cli_error("%s", kh_errmsg(ctx));
            status = CLI_FAIL;
            continue;
        }
        const kh_article *art;
        kh_status rc = kh_clean_doc(cl, d, &art);
        if (rc != KH_OK) {
            cli_error("%s", kh_errmsg(ctx));
            kh_doc_free(d);
            if (rc == KH_E_NOMEM) { status = CLI_FAIL; goto done; }
            status = CLI_FAIL;
            continue;
        }
        for (unsigned w = 1; w <= KH_CLEAN_W_UNKNOWN_LANG; w <<= 1)
            if (art->warnings & w) cli_error("%s: warning: %s", d->file, kh_clean_warning_text(w));
        rc = md ? print_md(&out, d, art, k == 0) : print_jsonl(&out, d, art);
        kh_doc_free(d);
        if (rc != KH_OK || cli_flush(&out) != 0) {
            cli_error("write error");
            status = CLI_FAIL;
            goto done;
        }
    }
done:
    for (size_t k = 0; k < in.n; k++) {
        kh_doc_free(in.v[k].doc);
        free(in.v[k].path);
    }
    free(in.v);
    kh_buf_free(&out);
    kh_cleaner_free(cl);
    kh_ctx_free(ctx);
    return status;
}

const cli_command cli_cmd_clean = {
    "clean",
    "find the article in crawled pages: title, date, source, body",
    "khabar clean [--format jsonl|md] [--fetch-date YYYY-MM-DD] [--keep-mb N] PATH...",
    "Reads crawled pages (text or HTML; directories recursively; - for stdin)\n"
    "and prints one record per page, in input order:\n"
    "  {\"id\",\"file\",\"url\",\"lang\",\"title\",\"date\",\"source\",\"dateline\",\n"
    "   \"dateline_agency\",\"body\":[paragraphs]}   (absent values omitted)\n"
    "All pages are first read once to count lines that recur across pages\n"
    "(menus, footers), then cleaned.\n\n"
    "Options:\n"
    "  --format jsonl|md   JSON Lines (default) or readable Markdown\n"
    "  --fetch-date DATE   the crawl date; relative dates (\"منذ ساعتين\") count from it\n"
    "  --keep-mb N         keep up to N MB of pages between the passes (default 256);\n"
    "                      the rest is read again\n\n"
    "Pages with no text, no article, only links, or an unknown language give a\n"
    "record with an empty body and a warning on stderr (not an error).\n",
    run,
};
