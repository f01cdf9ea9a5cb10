/*
 * cmd_stories.c — `khabar stories`: reads articles, puts them in time order
 * and groups the ones that report the same event, one JSON line (or a
 * Markdown section) per story; with --db, prints the stories a store holds
 * (as khabar ingest filed them) in the same shape.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help_text[] =
    "Reads every input, orders the articles by date and groups them online\n"
    "into stories (articles reporting the same event), then prints one record\n"
    "per story, in order of creation:\n"
    "  {\"story\": 1, \"articles\": [\"id\", ...], \"first\": \"date\", \"last\": \"date\"}\n"
    "first/last are the earliest and latest of its articles' own dates, in the\n"
    "cleaner's shape (2016-10-25, 2016-10-25T14:30; no zone is claimed; times\n"
    "given with an offset are moved to UTC); null when none has a date.\n"
    "\n"
    "Pages and HTML are cleaned first (title, date, body), as by khabar clean;\n"
    "copies (exact or near, as found by kh_dedup) join their original's story.\n"
    "Articles are compared by TF-IDF cosine (stemmed terms, title and names\n"
    "weighted up) with the stories of their own language that are still open;\n"
    "a story closes when no article joined it for a window. An undated article\n"
    "is placed at the time of the dated article it most resembles, else of the\n"
    "dated article before it in the input; that estimate is not reported as\n"
    "its date.\n"
    "\n"
    "With --db FILE no PATH is read: the stories of the store that khabar\n"
    "ingest filled are printed instead, in story-id order (stable from run to\n"
    "run, so scripts can rely on it), each with its articles in date order and\n"
    "its stored account, in the same record shape (or Markdown) as above.\n"
    "The store is opened read-only; a missing file is an error.\n"
    "\n"
    "A bad record is reported on stderr and skipped. A summary on stderr (a\n"
    "terminal, --stats, or when records were skipped) counts them:\n"
    "records read = articles + skipped with errors, and the stories.\n"
    "\n"
    "Options (before or after the paths; -- ends them):\n"
    "  --db FILE       print the stories stored in FILE instead of reading PATHs\n"
    "  --window W      how long a story stays open without a new article:\n"
    "                  72h (default), 3d, 90m, or seconds\n"
    "  --threshold X   score an article needs to join a story, 0..1 (0.18)\n"
    "  --format F      jsonl (default) or md\n"
    "  --stats         print the summary on stderr even when it is not a terminal\n"
    "  --strict        stop at the first bad record and exit 1\n"
    "  -h, --help      show this help\n";

/* One article waiting to be grouped. */
typedef struct item {
    char *id;
    char *title;
    char *text;
    char *source; /* NULL when unknown */
    char *date;   /* ISO, NULL when undated */
    size_t title_len, text_len;
    kh_lang lang;
    int dated;    /* its own date, as read */
    int64_t time;
    int64_t key;  /* its story time, or that of the dated article before it */
} item;

typedef struct items {
    item *v;
    size_t n, cap;
} items;

/* Story order of pointers into one items array: by key, then input order. */
static int cmp_key(const void *a, const void *b)
{
    const item *x = *(item *const *)a, *y = *(item *const *)b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Parses "72h", "3d", "90m", "45s" or plain seconds. */
static int parse_window(const char *s, int64_t *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v > 0))
        return -1;
    double unit = 1;
    if (*end == 'h')
        unit = 3600, end++;
    else if (*end == 'd')
        unit = 86400, end++;
    else if (*end == 'm')
        unit = 60, end++;
    else if (*end == 's')
        end++;
    if (*end || v * unit > 1e12 || v * unit < 1)
        return -1;
    *out = (int64_t)(v * unit);
    return 0;
}

/* A time in the shape the cleaner gives article dates (kh_date): the day
 * alone at midnight, minutes, seconds only when there are some. No zone
 * is claimed: most pages give a local time without one; times that came
 * with an offset have been moved to UTC. */
static void format_time(int64_t t, char *out, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (t % 86400 == 0)
        strftime(out, size, "%Y-%m-%d", &tm);
    else if (t % 60 == 0)
        strftime(out, size, "%Y-%m-%dT%H:%M", &tm);
    else
        strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
}

static char *dup_text(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* Keeps what the story stage needs from one cleaned document. */
static int keep_article(items *list, const kh_doc *d, const kh_article *art)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 256;
        item *v = realloc(list->v, cap * sizeof *v);
        if (!v)
            return -1;
        list->v = v;
        list->cap = cap;
    }
    item *it = &list->v[list->n];
    memset(it, 0, sizeof *it);
    const char *title = art->title ? art->title : d->title ? d->title : "";
    size_t text_len = 0;
    for (size_t i = 0; i < art->n_body; i++)
        text_len += strlen(art->body[i]) + 1;
    it->id = dup_text(d->id, strlen(d->id));
    it->title = dup_text(title, strlen(title));
    it->text = malloc(text_len + 1);
    it->source = art->source ? dup_text(art->source, strlen(art->source)) : NULL;
    it->date = art->date ? dup_text(art->date, strlen(art->date)) : NULL;
    if (!it->id || !it->title || !it->text || (art->source && !it->source) ||
        (art->date && !it->date)) {
        free(it->id);
        free(it->title);
        free(it->text);
        free(it->source);
        free(it->date);
        return -1;
    }
    size_t at = 0;
    for (size_t i = 0; i < art->n_body; i++) {
        size_t len = strlen(art->body[i]);
        memcpy(it->text + at, art->body[i], len);
        at += len;
        it->text[at++] = '\n';
    }
    it->text[at] = '\0';
    it->title_len = strlen(title);
    it->text_len = at;
    it->lang = art->lang != KH_LANG_UNKNOWN ? art->lang : d->lang;
    const char *date = art->date ? art->date : d->date;
    if (date && kh_story_parse_date(date, strlen(date), &it->time) == KH_OK)
        it->dated = 1;
    list->n++;
    return 0;
}

static void free_items(items *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->v[i].id);
        free(list->v[i].title);
        free(list->v[i].text);
        free(list->v[i].source);
        free(list->v[i].date);
    }
    free(list->v);
}

/* by_id: the items in byte order of ids, for find_item(). */
static int cmp_by_id(const void *a, const void *b)
{
    return strcmp((*(item *const *)a)->id, (*(item *const *)b)->id);
}

static item *find_item(items *list, item *const *by_id, const char *id)
{
    size_t lo = 0, hi = list->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(id, by_id[mid]->id);
        if (c == 0) return by_id[mid];
        if (c < 0) hi = mid;
        else lo = mid + 1;
    }
    return NULL;
}

/* The account of one story: headline, summary, sources, names and
 * disagreements, from its articles' cleaned text (one paragraph a line). */
static kh_status story_account(kh_ctx *ctx, kh_tokenizer *tok, const kh_storyer *st, uint64_t id,
                               size_t n, items *list, item *const *by_id, kh_account **out)
{
    *out = NULL;
    kh_account_article *arts = calloc(n ? n : 1, sizeof *arts);
    size_t lines = 0;
    for (size_t i = 0; i < n; i++) {
        item *it = find_item(list, by_id, kh_story_article_id(st, id, i));
        for (size_t k = 0; it && k < it->text_len; k++) lines += it->text[k] == '\n';
        lines++;
    }
    const char **paras = calloc(lines + 1, sizeof *paras);
    if (!arts || !paras) {
        free(arts);
        free(paras);
        return KH_E_NOMEM;
    }
    size_t k = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        item *it = find_item(list, by_id, kh_story_article_id(st, id, i));
        if (!it) continue;
        kh_account_article *a = &arts[m++];
        a->id = it->id;
        a->source = it->source;
        a->date = it->date;
        a->title = it->title[0] ? it->title : NULL;
        a->lang = it->lang;
        a->body = paras + k;
        /* the text is one paragraph a line; cut it in place (grouping is done) */
        for (char *line = it->text; line && *line && k < lines;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = '\0';
            if (*line) paras[k++] = line;
            line = nl ? nl + 1 : NULL;
        }
        a->n_body = (size_t)(paras + k - a->body);
    }
    kh_status rc = m ? kh_account_build(ctx, tok, arts, m, NULL, out) : KH_OK;
    free(arts);
    free(paras);
    return rc;
}

static kh_status print_story(kh_buf *out, const kh_storyer *st, uint64_t id, int md,
                             const kh_account *acc)
{
    kh_story_info info;
    kh_status w = kh_story_get(st, id, &info);
    if (w != KH_OK)
        return w;
    char first[32] = "", last[32] = "";
    if (info.dated) {
        format_time(info.first, first, sizeof first);
        format_time(info.last, last, sizeof last);
    }
    if (md) {
        w = kh_buf_printf(out, "## Story %llu (%s, %zu article%s", (unsigned long long)id,
                          kh_lang_code(info.lang), info.n_articles,
                          info.n_articles == 1 ? "" : "s");
        if (w == KH_OK && info.dated)
            w = strcmp(first, last) ? kh_buf_printf(out, ", %s to %s", first, last)
                                    : kh_buf_printf(out, ", %s", first);
        if (w == KH_OK)
            w = kh_buf_puts(out, ")\n\n");
        for (size_t i = 0; w == KH_OK && i < info.n_articles; i++)
            w = kh_buf_printf(out, "- %s\n", kh_story_article_id(st, id, i));
        if (w == KH_OK)
            w = kh_buf_puts(out, "\n");
        if (w == KH_OK && acc)
            w = kh_account_markdown(acc, out);
        if (w == KH_OK && acc)
            w = kh_buf_puts(out, "\n");
        return w;
    }
    w = kh_buf_printf(out, "{\"story\": %llu, \"articles\": [", (unsigned long long)id);
    for (size_t i = 0; w == KH_OK && i < info.n_articles; i++) {
        const char *a = kh_story_article_id(st, id, i);
        if (i)
            w = kh_buf_puts(out, ", ");
        if (w == KH_OK)
            w = kh_buf_json_string(out, a, strlen(a));
    }
    if (w == KH_OK)
        w = info.dated ? kh_buf_printf(out, "], \"first\": \"%s\", \"last\": \"%s\"", first, last)
                       : kh_buf_puts(out, "], \"first\": null, \"last\": null");
    if (w == KH_OK && acc)
        w = kh_buf_puts(out, ", ");
    if (w == KH_OK && acc)
        w = kh_account_json(acc, KH_ACCOUNT_JSON_IN_STORY, out);
    if (w == KH_OK)
        w = kh_buf_puts(out, "}\n");
    return w;
}

/* ---- --db: the stories of a store ---------------------------------------- */

typedef struct db_ids {
    int64_t *v;
    size_t n, cap;
} db_ids;

static int collect_story(void *user, const kh_store_story *story)
{
    db_ids *ids = user;
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 256;
        int64_t *v = realloc(ids->v, cap * sizeof *v);
        if (!v)
            return 1;
        ids->v = v;
        ids->cap = cap;
    }
    ids->v[ids->n++] = story->id;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* One stored story as it is read: the row, then its articles. */
typedef struct db_story {
    kh_ctx *ctx;
    kh_buf row;      /* the story's first/last/lang/account, NUL-separated */
    kh_buf articles; /* article ids, NUL-terminated one after another */
    size_t n_articles;
    size_t first, last, lang, account; /* offsets in row; (size_t)-1 = NULL */
    kh_status rc;
} db_story;

static size_t keep_str(db_story *d, const char *s)
{
    if (!s)
        return (size_t)-1;
    size_t at = d->row.len;
    kh_status rc = kh_buf_append(&d->row, s, strlen(s) + 1);
    if (rc != KH_OK) {
        d->rc = rc;
        return (size_t)-1;
    }
    return at;
}

static int db_story_row(void *user, const kh_store_story *story)
{
    db_story *d = user;
    d->first = keep_str(d, story->first);
    d->last = keep_str(d, story->last);
    d->lang = keep_str(d, story->lang);
    d->account = keep_str(d, story->account_json);
    return d->rc != KH_OK;
}

static int db_story_article(void *user, const kh_store_article *article)
{
    db_story *d = user;
    d->rc = kh_buf_append(&d->articles, article->id, strlen(article->id) + 1);
    d->n_articles++;
    return d->rc != KH_OK;
}

static const char *row_str(const db_story *d, size_t at)
{
    return at == (size_t)-1 ? NULL : d->row.data + at;
}

/* Prints one stored story as print_story() prints one grouped here. */
static kh_status print_db_story(kh_buf *out, int64_t id, const db_story *d, int md,
                                const kh_account *acc)
{
    const char *first = row_str(d, d->first), *last = row_str(d, d->last);
    if (!first || !last)
        first = last = NULL;
    kh_status w;
    if (md) {
        const char *lang = row_str(d, d->lang);
        w = kh_buf_printf(out, "## Story %lld (%s, %zu article%s", (long long)id,
                          lang ? lang : "und", d->n_articles, d->n_articles == 1 ? "" : "s");
        if (w == KH_OK && first)
            w = strcmp(first, last) ? kh_buf_printf(out, ", %s to %s", first, last)
                                    : kh_buf_printf(out, ", %s", first);
        if (w == KH_OK)
            w = kh_buf_puts(out, ")\n\n");
        const char *a = d->articles.data;
        for (size_t i = 0; w == KH_OK && i < d->n_articles; i++, a += strlen(a) + 1)
            w = kh_buf_printf(out, "- %s\n", a);
        if (w == KH_OK)
            w = kh_buf_puts(out, "\n");
        if (w == KH_OK && acc)
            w = kh_account_markdown(acc, out);
        if (w == KH_OK && acc)
            w = kh_buf_puts(out, "\n");
        return w;
    }
    w = kh_buf_printf(out, "{\"story\": %lld, \"articles\": [", (long long)id);
    const char *a = d->articles.data;
    for (size_t i = 0; w == KH_OK && i < d->n_articles; i++, a += strlen(a) + 1) {
        if (i)
            w = kh_buf_puts(out, ", ");
        if (w == KH_OK)
            w = kh_buf_json_string(out, a, strlen(a));
    }
    if (w == KH_OK)
        w = kh_buf_puts(out, "], \"first\": ");
    if (w == KH_OK)
        w = first ? kh_buf_json_string(out, first, strlen(first)) : kh_buf_puts(out, "null");
    if (w == KH_OK)
        w = kh_buf_puts(out, ", \"last\": ");
    if (w == KH_OK)
        w = last ? kh_buf_json_string(out, last, strlen(last)) : kh_buf_puts(out, "null");
    if (w == KH_OK && acc)
        w = kh_buf_puts(out, ", ");
    if (w == KH_OK && acc)
        w = kh_account_json(acc, KH_ACCOUNT_JSON_IN_STORY, out);
    if (w == KH_OK)
        w = kh_buf_puts(out, "}\n");
    return w;
}

/* khabar stories --db FILE: every stored story, in story-id order. */
static int run_db(kh_ctx *ctx, const char *path, int md)
{
    kh_store *store = NULL;
    if (kh_store_open_readonly(ctx, path, &store) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        return CLI_FAIL;
    }
    int status = CLI_OK;
    db_ids ids = { NULL, 0, 0 };
    kh_status rc = kh_store_list_stories(store, 0, SIZE_MAX, collect_story, &ids);
    if (rc == KH_E_STOPPED) {
        cli_error("out of memory");
        status = CLI_FAIL;
    } else if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
    }
    if (ids.n)
        qsort(ids.v, ids.n, sizeof *ids.v, cmp_i64);
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    db_story d;
    memset(&d, 0, sizeof d);
    kh_buf_init(&d.row, ctx, 0);
    kh_buf_init(&d.articles, ctx, 0);
    for (size_t i = 0; status == CLI_OK && i < ids.n; i++) {
        kh_buf_clear(&d.row);
        kh_buf_clear(&d.articles);
        d.n_articles = 0;
        d.rc = KH_OK;
        d.first = d.last = d.lang = d.account = (size_t)-1;
        int found = 0;
        rc = kh_store_get_story(store, ids.v[i], &found, db_story_row, db_story_article, &d);
        if (rc == KH_E_STOPPED)
            rc = d.rc;
        if (rc != KH_OK) {
            cli_error("%s: story %lld: %s", path, (long long)ids.v[i],
                      rc == KH_E_DB ? kh_errmsg(ctx) : kh_strerror(rc));
            status = CLI_FAIL;
            break;
        }
        if (!found) /* removed since it was listed */
            continue;
        kh_account *acc = NULL;
        const char *json = row_str(&d, d.account);
        if (json && (rc = kh_store_account_parse(ctx, json, strlen(json), &acc)) != KH_OK) {
            cli_error("%s: story %lld: %s", path, (long long)ids.v[i], kh_errmsg(ctx));
            status = CLI_FAIL;
            break;
        }
        rc = print_db_story(&out, ids.v[i], &d, md, acc);
        kh_account_free(acc);
        if (rc != KH_OK || cli_flush_chunk(&out) != 0) {
            cli_error("cannot write output");
            status = CLI_FAIL;
        }
    }
    if (status == CLI_OK && cli_flush_end(&out) != 0) {
        cli_error("cannot write output");
        status = CLI_FAIL;
    }
    kh_buf_free(&d.row);
    kh_buf_free(&d.articles);
    kh_buf_free(&out);
    free(ids.v);
    kh_store_close(store);
    return status;
}

static int run(int argc, char **argv)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_story_options opt;
    kh_story_options_init(&opt);
    int strict = 0, md = 0, n = 0, options = 1, stats = 0;
    const char *db = NULL;
    const char **paths = kh_malloc(ctx, (size_t)argc * sizeof *paths);
    if (!paths) {
        cli_error("out of memory");
        kh_ctx_free(ctx);
        return CLI_FAIL;
    }
#define USAGE_FAIL(...)                                              \
    do {                                                             \
        kh_free(ctx, paths, (size_t)argc * sizeof *paths);           \
        kh_ctx_free(ctx);                                            \
        return cli_usage_error(&cli_cmd_stories, __VA_ARGS__);       \
    } while (0)
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && strcmp(a, "--") == 0) {
            options = 0;
        } else if (options && strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (options && strcmp(a, "--stats") == 0) {
            stats = 1;
        } else if (options && (strcmp(a, "--window") == 0 || strcmp(a, "--threshold") == 0 ||
                               strcmp(a, "--format") == 0 || strcmp(a, "--db") == 0)) {
            if (i + 1 >= argc)
                USAGE_FAIL("stories: %s needs a value", a);
            const char *v = argv[++i];
            if (a[2] == 'd') {
                db = v;
            } else if (a[2] == 'w') {
                if (parse_window(v, &opt.window) != 0)
                    USAGE_FAIL("stories: bad --window '%s' (e.g. 72h, 3d, 90m)", v);
            } else if (a[2] == 't') {
                char *end;
                double x = strtod(v, &end);
                if (end == v || *end || !(x >= 0 && x <= 1))
                    USAGE_FAIL("stories: bad --threshold '%s' (a number from 0 to 1)", v);
                opt.threshold = x;
            } else if (strcmp(v, "jsonl") == 0 || strcmp(v, "md") == 0) {
                md = v[0] == 'm';
            } else {
                USAGE_FAIL("stories: bad --format '%s' (jsonl or md)", v);
            }
        } else if (options && a[0] == '-' && a[1] != '\0') {
            USAGE_FAIL("stories: unknown option '%s'", a);
        } else {
            paths[n++] = a;
        }
    }
    if (db && n > 0) {
        const char *extra = paths[0];
        USAGE_FAIL("stories: --db reads the store, not PATHs ('%s')", extra);
    }
    if (!db && n == 0)
        USAGE_FAIL("stories: no input PATH given");
#undef USAGE_FAIL
    if (db) {
        kh_free(ctx, paths, (size_t)argc * sizeof *paths);
        int st_db = run_db(ctx, db, md);
        kh_ctx_free(ctx);
        return st_db;
    }

    kh_reader *reader;
    kh_status rc = kh_reader_open(ctx, paths, (size_t)n, &reader);
    kh_free(ctx, paths, (size_t)argc * sizeof *paths);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        kh_ctx_free(ctx);
        return CLI_FAIL;
    }
    /* Pages are cleaned in two passes: the cleaner first sees every page,
     * to learn the lines each site repeats, then cleans each one. */
    kh_doc **docs = NULL;
    size_t n_docs = 0, cap_docs = 0;
    items list = { NULL, 0, 0 };
    int status = CLI_OK;
    uint64_t n_read = 0, skipped = 0; /* n_read = articles (list.n) + skipped */
    kh_cleaner *cleaner = NULL;
    if (kh_cleaner_create(ctx, 0, &cleaner) != KH_OK) {
        cli_error("out of memory");
        status = CLI_FAIL;
    }
    while (status == CLI_OK) {
        kh_doc *d;
        rc = kh_reader_next(reader, &d);
        if (rc != KH_OK) {
            cli_error("%s", kh_errmsg(ctx));
            if (strict || rc == KH_E_NOMEM)
                status = CLI_FAIL;
            n_read++;
            skipped++;
            continue;
        }
        if (!d)
            break;
        n_read++;
        if (n_docs == cap_docs) {
            size_t cap = cap_docs ? cap_docs * 2 : 256;
            kh_doc **nd = realloc(docs, cap * sizeof *nd);
            if (!nd) {
                kh_doc_free(d);
                cli_error("out of memory");
                status = CLI_FAIL;
                break;
            }
            docs = nd;
            cap_docs = cap;
        }
        docs[n_docs++] = d;
        if (kh_cleaner_observe(cleaner, d) != KH_OK) {
            cli_error("out of memory");
            status = CLI_FAIL;
        }
    }
    kh_reader_free(reader);
    for (size_t i = 0; i < n_docs; i++) {
        const kh_article *art = NULL;
        if (status == CLI_OK) {
            rc = kh_clean_doc(cleaner, docs[i], &art);
            if (rc == KH_E_NOMEM) {
                cli_error("out of memory");
                status = CLI_FAIL;
            } else if (rc != KH_OK) {
                if (rc == KH_E_LIMIT) /* the message names the record and the limit */
                    cli_error("%s", kh_errmsg(ctx));
                else
                    cli_error("%s: %s", docs[i]->file, kh_strerror(rc));
                if (strict)
                    status = CLI_FAIL;
                skipped++;
            } else if (keep_article(&list, docs[i], art) != 0) {
                cli_error("out of memory");
                status = CLI_FAIL;
            }
        }
        kh_doc_free(docs[i]);
    }
    free(docs);
    kh_cleaner_free(cleaner);

    /* The articles as the storyer takes them, in input order, built once:
     * dedup names the copies' originals in it, undated ones get a time in
     * it, and the storyer reads it in time order. */
    kh_story_article *arts = calloc(list.n ? list.n : 1, sizeof *arts);
    if (status == CLI_OK && !arts) {
        cli_error("out of memory");
        status = CLI_FAIL;
    }
    for (size_t i = 0; arts && i < list.n; i++) {
        const item *it = &list.v[i];
        arts[i].id = it->id;
        arts[i].dated = it->dated;
        arts[i].time = it->time;
        arts[i].lang = it->lang;
        arts[i].title = it->title;
        arts[i].title_len = it->title_len;
        arts[i].text = it->text;
        arts[i].text_len = it->text_len;
    }

    /* Copies (exact or near, kh_dedup) join their original's story. */
    kh_deduper *dd = NULL;
    if (status == CLI_OK && list.n > 1) {
        rc = kh_dedup_create(ctx, NULL, &dd);
        char date[32];
        for (size_t i = 0; rc == KH_OK && i < list.n; i++) {
            const item *it = &list.v[i];
            if (it->dated)
                format_time(it->time, date, sizeof date);
            rc = kh_dedup_add(dd, it->id, it->dated ? date : NULL, it->text, it->text_len);
        }
        if (rc == KH_OK)
            rc = kh_dedup_run(dd);
        for (size_t i = 0; rc == KH_OK && i < list.n; i++) {
            size_t rep = kh_dedup_group(dd, i);
            /* empty bodies are all "copies" of each other: not a story */
            if (rep != i && rep < list.n && list.v[i].text_len > 0)
                arts[i].copy_of = list.v[rep].id;
        }
        if (rc != KH_OK) {
            cli_error("%s", kh_errmsg(ctx));
            status = CLI_FAIL;
        }
        kh_dedup_free(dd);
    }

    /* An undated article takes the time of the dated article it reports
     * the same event as; one that resembles none keeps its place after the
     * dated one before it in the input. */
    kh_tokenizer *tok = NULL;
    if (status == CLI_OK && kh_tokenizer_create(ctx, &tok) != KH_OK) {
        cli_error("out of memory");
        status = CLI_FAIL;
    }
    if (status == CLI_OK && (rc = cli_date_undated(ctx, tok, arts, list.n)) != KH_OK) {
        cli_error("%s", kh_strerror(rc));
        status = CLI_FAIL;
    }
    int64_t prev = INT64_MIN; /* before every date */
    for (size_t i = 0; arts && i < list.n; i++) {
        if (arts[i].dated)
            prev = arts[i].time;
        list.v[i].key = prev;
    }
    item **order = calloc(list.n ? list.n : 1, sizeof *order);
    if (status == CLI_OK && !order) {
        cli_error("out of memory");
        status = CLI_FAIL;
    }
    for (size_t i = 0; order && i < list.n; i++)
        order[i] = &list.v[i];
    if (order)
        qsort(order, list.n, sizeof *order, cmp_key);

    kh_storyer *st = NULL;
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    if (status == CLI_OK && (rc = kh_storyer_create(ctx, &opt, &st)) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
    }
    for (size_t k = 0; status == CLI_OK && k < list.n; k++) {
        const kh_story_article *a = &arts[order[k] - list.v];
        rc = kh_story_add(st, a, NULL);
        if (rc != KH_OK) {
            cli_error("%s: %s", a->id, kh_strerror(rc));
            status = CLI_FAIL;
        }
    }
    /* each story's account, from its articles found by id: the storyer is
     * done with order, which is sorted by id for find_item() */
    if (order)
        qsort(order, list.n, sizeof *order, cmp_by_id);
    for (uint64_t s = 1; status == CLI_OK && s <= kh_story_count(st); s++) {
        kh_story_info info;
        kh_account *acc = NULL;
        rc = kh_story_get(st, s, &info);
        if (rc == KH_OK) rc = story_account(ctx, tok, st, s, info.n_articles, &list, order, &acc);
        if (rc != KH_OK) {
            cli_error("story %llu: %s", (unsigned long long)s, kh_errmsg(ctx));
            status = CLI_FAIL;
            break;
        }
        rc = print_story(&out, st, s, md, acc);
        kh_account_free(acc);
        if (rc != KH_OK || cli_flush_chunk(&out) != 0) {
            cli_error("cannot write output");
            status = CLI_FAIL;
        }
    }
    if (status == CLI_OK && cli_flush_end(&out) != 0) {
        cli_error("cannot write output");
        status = CLI_FAIL;
    }
    if (status == CLI_OK && (stats || skipped || isatty(STDERR_FILENO)))
        fprintf(stderr, "khabar stories: %llu read, %llu skipped with errors, %llu articles, "
                        "%llu stories\n",
                (unsigned long long)n_read, (unsigned long long)skipped,
                (unsigned long long)list.n, (unsigned long long)kh_story_count(st));
    kh_buf_free(&out);
    kh_tokenizer_free(tok);
    free(order);
    free(arts);
    kh_storyer_free(st);
    free_items(&list);
    kh_ctx_free(ctx);
    return status;
}

const cli_command cli_cmd_stories = {
    "stories",
    "group articles that report the same event into stories",
    "khabar stories [--window 72h] [--threshold X] [--format jsonl|md] PATH...\n"
    "       khabar stories --db FILE [--format jsonl|md]",
    help_text,
    run,
};
