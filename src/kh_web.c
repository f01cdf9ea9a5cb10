/*
 * kh_web.c — the local web page: HTML pages and a JSON API over a store,
 * and the policy every request passes before it is rendered. The server
 * that feeds it (libmicrohttpd, connections, deadlines) is kh_web_server.c.
 *
 * Safety
 *   Everything read from the store came from crawled pages and is escaped
 *   (& < > " ') before it reaches HTML; control characters are dropped. A
 *   URL becomes a link only when it starts with http:// or https://. Pages
 *   load nothing from elsewhere (inline CSS, no scripts) and say so in a
 *   Content-Security-Policy header. Requests are bounded: the target at
 *   KHI_WEB_MAX_URI bytes and KHI_WEB_MAX_ARGS arguments, q again at
 *   KHI_WEB_MAX_QUERY, responses by the server's buffer cap; only GET and HEAD
 *   are served, and only to a Host that names this server (DNS rebinding
 *   would otherwise let any web page read a loopback server).
 */
#include "kh_web_int.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KHI_WEB_MAX_QUERY 1024                 /* bytes of q */
#define KHI_WEB_PAGE_SIZE 30                   /* stories per page */
#define KHI_WEB_SEARCH_SIZE 20                 /* hits per search page */
#define KHI_WEB_MAX_PAGE 100000

static const char *const content_html = "text/html; charset=utf-8";
static const char *const content_json = "application/json; charset=utf-8";

/* ---- escaping ----------------------------------------------------------- */

/* Appends text escaped; with marks, KH_STORE_MARK_OPEN/_CLOSE become
 * <mark>...</mark> (balanced whatever the text holds). */
static kh_status escape_marked(kh_buf *out, const char *text, size_t text_len, int marks)
{
    size_t run = 0; /* start of the pending run of plain bytes */
    int open = 0;
    kh_status rc = KH_OK;
    for (size_t i = 0; i < text_len && rc == KH_OK; i++) {
        unsigned char c = (unsigned char)text[i];
        const char *rep;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\t': case '\n': case '\r': continue;
        case KH_STORE_MARK_OPEN:
            rep = marks && !open ? "<mark>" : "";
            open = marks ? 1 : open;
            break;
        case KH_STORE_MARK_CLOSE:
            rep = marks && open ? "</mark>" : "";
            open = 0;
            break;
        default:
            if (c >= 0x20 && c != 0x7f)
                continue;
            rep = ""; /* other control characters are dropped */
        }
        rc = kh_buf_append(out, text + run, i - run);
        if (rc == KH_OK)
            rc = kh_buf_puts(out, rep);
        run = i + 1;
    }
    if (rc == KH_OK)
        rc = kh_buf_append(out, text + run, text_len - run);
    if (rc == KH_OK && open)
        rc = kh_buf_puts(out, "</mark>");
    return rc;
}

kh_status kh_web_escape(kh_buf *out, const char *text, size_t text_len)
{
    /* NULL with text_len 0 is empty text; escape_marked() adds offsets to it */
    return escape_marked(out, text_len ? text : "", text_len, 0);
}

/* ---- page writer: a buffer plus the first error ------------------------ */

typedef struct page {
    kh_buf *out;
    kh_status rc;
} page;

static void put(page *p, const char *s)
{
    if (p->rc == KH_OK)
        p->rc = kh_buf_puts(p->out, s);
}

static void putf(page *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void putf(page *p, const char *fmt, ...)
{
    if (p->rc != KH_OK)
        return;
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        p->rc = KH_E_INTERNAL;
    else
        p->rc = kh_buf_append(p->out, tmp, (size_t)n);
}

static void esc(page *p, const char *s)
{
    if (p->rc == KH_OK && s)
        p->rc = kh_web_escape(p->out, s, strlen(s));
}

static void esc_n(page *p, const char *s, size_t n)
{
    if (p->rc == KH_OK && s)
        p->rc = kh_web_escape(p->out, s, n);
}

/* A language attribute value: a short code of letters and '-', else "und". */
static const char *lang_attr(const char *lang)
{
    if (!lang || !*lang || strlen(lang) > 12)
        return "und";
    for (const char *c = lang; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '-'))
            return "und";
    return lang;
}

/* Opens an element holding crawled text: <TAG lang=".." dir="auto"> */
static void open_text(page *p, const char *tag, const char *lang, const char *cls)
{
    putf(p, "<%s lang=\"%s\" dir=\"auto\"", tag, lang_attr(lang));
    if (cls)
        putf(p, " class=\"%s\"", cls);
    put(p, ">");
}

/* <TAG lang dir=auto>escaped text</TAG> */
static void text_el(page *p, const char *tag, const char *lang, const char *cls, const char *s)
{
    open_text(p, tag, lang, cls);
    esc(p, s);
    putf(p, "</%s>", tag);
}

static int is_http_url(const char *url)
{
    if (!url)
        return 0;
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return 0;
    for (const unsigned char *c = (const unsigned char *)url; *c; c++)
        if (*c <= 0x20 || *c == 0x7f)
            return 0;
    return 1;
}

static void link_url(page *p, const char *url)
{
    if (!is_http_url(url))
        return;
    put(p, "<a class=\"url\" dir=\"ltr\" rel=\"noopener noreferrer nofollow\" href=\"");
    esc(p, url);
    put(p, "\">");
    esc(p, url);
    put(p, "</a>");
}

static const char page_css[] =
    "*{box-sizing:border-box}"
    "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Naskh Arabic','Noto Sans Arabic',"
    "Tahoma,sans-serif;max-width:46rem;margin:0 auto;padding:.75rem 1rem 3rem;line-height:1.65;"
    "color:#1d2329;background:#fbfaf7;overflow-wrap:anywhere;word-wrap:break-word}"
    "header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;border-bottom:2px solid #a33;"
    "padding-bottom:.5rem;margin-bottom:1rem}"
    "header a.home{font-weight:700;font-size:1.3rem;color:#a33;text-decoration:none;margin-inline-end:auto}"
    "form{display:flex;gap:.3rem;flex:1 1 12rem}"
    "input[type=search]{flex:1;min-width:0;font:inherit;padding:.3rem .5rem;border:1px solid #bbb;border-radius:4px}"
    "button{font:inherit;padding:.3rem .7rem;border:0;border-radius:4px;background:#a33;color:#fff}"
    "a{color:#154c8a}"
    "h1{font-size:1.45rem;line-height:1.35;margin:.4rem 0}"
    "h2{font-size:1.1rem;margin:1.4rem 0 .4rem;border-bottom:1px solid #ddd}"
    "h3{font-size:1.05rem;margin:.2rem 0}"
    "ul.stories,ul.hits{list-style:none;padding:0;margin:0}"
    "ul.stories li,ul.hits li{padding:.6rem 0;border-bottom:1px solid #e4e1da}"
    ".meta{color:#5b6570;font-size:.85rem}"
    ".tag{display:inline-block;font-size:.75rem;background:#e9e4d8;border-radius:3px;padding:0 .35rem;"
    "margin:.1rem .15rem}"
    ".first{background:#a33;color:#fff}"
    "article{background:#fff;border:1px solid #e4e1da;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}"
    "article p{margin:.45rem 0}"
    ".summary p{font-size:1.02rem}"
    ".claims{margin:.2rem 0 .6rem;padding-inline-start:1.2rem}"
    "mark{background:#fde58a}"
    ".url{font-size:.8rem;word-break:break-all}"
    "nav.pages{display:flex;justify-content:space-between;margin-top:1rem}"
    ".empty{color:#5b6570;font-style:italic}"
    ".why{color:#5b6570;font-size:.85rem;margin:.2rem 0}"
    ".why .term{background:#eef2f6;border-radius:3px;padding:0 .3rem}";

static void page_head(page *p, const char *title, const char *title_lang)
{
    put(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<title");
    putf(p, " lang=\"%s\" dir=\"auto\">", lang_attr(title_lang));
    esc(p, title);
    put(p, " — khabar</title>\n<style>");
    put(p, page_css);
    put(p, "</style>\n</head>\n<body>\n<header><a class=\"home\" href=\"/\">khabar</a>"
           "<form action=\"/search\" method=\"get\" role=\"search\">"
           "<input type=\"search\" name=\"q\" dir=\"auto\" aria-label=\"search\" "
           "maxlength=\"200\" placeholder=\"search / بحث\"><button>search</button></form>"
           "</header>\n<main>\n");
}

static void page_tail(page *p)
{
    put(p, "</main>\n</body>\n</html>\n");
}

static void error_page(page *p, int status, const char *message)
{
    char title[32];
    snprintf(title, sizeof title, "%d", status);
    page_head(p, title, "en");
    putf(p, "<h1>%d</h1><p>", status);
    esc(p, message);
    put(p, "</p><p><a href=\"/\">all stories</a></p>\n");
    page_tail(p);
}

/* A store call behind the page failed with rc: an allocation failure is the
 * caller's to report (kh_web_render() returns it, like every other), any
 * other error becomes a 500 page, in HTML or as a JSON {"error"} object.
 * @return what the renderer returns. */
static kh_status store_failed(page *p, kh_status rc, int *status, int json, const char *message)
{
    if (rc == KH_E_NOMEM)
        return rc;
    kh_buf_clear(p->out);
    *status = 500;
    if (json) {
        put(p, "{\"error\":\"");
        put(p, message);
        put(p, "\"}\n");
    } else {
        error_page(p, 500, message);
    }
    return p->rc;
}

/* "a\nb\nc" as tags */
static void tag_list(page *p, const char *list, const char *cls)
{
    if (!list)
        return;
    const char *s = list;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n) {
            putf(p, "<span class=\"tag%s%s\" dir=\"auto\">", cls ? " " : "", cls ? cls : "");
            esc_n(p, s, n);
            put(p, "</span>");
        }
        s += n + (e ? 1 : 0);
    }
}

static void time_span(page *p, const char *first, const char *last)
{
    if (first && last && strcmp(first, last) != 0) {
        put(p, "<span dir=\"ltr\">");
        esc(p, first);
        put(p, " → ");
        esc(p, last);
        put(p, "</span>");
    } else if (first || last) {
        put(p, "<span dir=\"ltr\">");
        esc(p, first ? first : last);
        put(p, "</span>");
    }
}

/* ---- the story list ----------------------------------------------------- */

static int index_story(void *user, const kh_store_story *s)
{
    page *p = user;
    putf(p, "<li><a href=\"/story/%lld\">", (long long)s->id);
    text_el(p, "h3", s->lang, NULL, s->headline && *s->headline ? s->headline : "(no headline)");
    put(p, "</a><div class=\"meta\">");
    time_span(p, s->first, s->last);
    putf(p, " · %lld article%s ", (long long)s->n_articles, s->n_articles == 1 ? "" : "s");
    tag_list(p, s->sources, NULL);
    tag_list(p, s->langs, "lang");
    put(p, "</div></li>\n");
    return p->rc != KH_OK;
}

static kh_status render_index(kh_store *store, long page_no, page *p, int *status)
{
    int64_t total = kh_store_count_stories(store);
    if (total < 0)
        return store_failed(p, KH_E_DB, status, 0, "the store could not be read");
    page_head(p, "stories", "en");
    putf(p, "<h1>Stories</h1><p class=\"meta\">%lld stories, newest first</p>\n"
            "<ul class=\"stories\">\n", (long long)total);
    kh_status rc = kh_store_list_stories(store, (size_t)(page_no - 1) * KHI_WEB_PAGE_SIZE,
                                         KHI_WEB_PAGE_SIZE, index_story, p);
    if (rc != KH_OK && rc != KH_E_STOPPED)
        return store_failed(p, rc, status, 0, "the store could not be read");
    put(p, "</ul>\n");
    if (total == 0)
        put(p, "<p class=\"empty\">No stories yet: run khabar ingest.</p>\n");
    put(p, "<nav class=\"pages\"><span>");
    if (page_no > 1)
        putf(p, "<a href=\"/?page=%ld\">← newer</a>", page_no - 1);
    put(p, "</span><span>");
    if ((int64_t)page_no * KHI_WEB_PAGE_SIZE < total)
        putf(p, "<a href=\"/?page=%ld\">older →</a>", page_no + 1);
    put(p, "</span></nav>\n");
    page_tail(p);
    *status = 200;
    return p->rc;
}

/* ---- one story: the account from its JSON ------------------------------ */

/*
 * The account is stored as kh_account_json() writes it:
 *   {"headline", "time":{"first","last"}, "sources":[{"id","source","date","title"}],
 *    "first_source":{"id","source","date"}, "summary":[{"text","ids":[..]}],
 *    "entities":[{"name","kind","variants":[..],"article_count":n}],
 * (stores written before doc/formats.md have "first" and "articles" there).
 *    "disagreements":[{"about","values":[{"value","ids":[..]}]}]}
 * Rendering is tolerant: a member that is missing or of another type is
 * left out, plain strings stand for objects with one text, so an account
 * written by an older or newer khabar still shows what it can.
 */

static const char *jget_str(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A string, or the first string member of obj among keys. */
static const char *jtext(const json_t *obj, const char *const *keys)
{
    if (json_is_string(obj))
        return json_string_value(obj);
    for (; json_is_object(obj) && *keys; keys++) {
        const char *s = jget_str(obj, *keys);
        if (s)
            return s;
    }
    return NULL;
}

static const char *const k_text[] = { "text", "sentence", NULL };
static const char *const k_source[] = { "source", "name", NULL };

/* The outlet of the article with this id, from the account's sources. */
static const char *source_of(const json_t *sources, const char *id)
{
    size_t i;
    const json_t *v;
    if (!id)
        return NULL;
    json_array_foreach(sources, i, v) {
        const char *sid = jget_str(v, "id");
        if (sid && strcmp(sid, id) == 0)
            return jget_str(v, "source");
    }
    return NULL;
}

/* The distinct outlets behind a list of article ids, as tags. */
static void id_sources(page *p, const json_t *sources, const json_t *ids)
{
    if (!json_is_array(ids))
        return;
    const char *shown[16];
    size_t n_shown = 0;
    size_t i;
    const json_t *v;
    json_array_foreach(ids, i, v) {
        const char *src = source_of(sources, json_string_value(v));
        if (!src)
            continue;
        int dup = 0;
        for (size_t k = 0; k < n_shown; k++)
            dup |= strcmp(shown[k], src) == 0;
        if (dup)
            continue;
        if (n_shown == sizeof shown / sizeof shown[0]) {
            put(p, " …");
            break;
        }
        shown[n_shown++] = src;
        put(p, " ");
        text_el(p, "span", NULL, "tag", src);
    }
}

static void account_summary(page *p, const json_t *root, const char *lang)
{
    const json_t *summary = json_object_get(root, "summary");
    const json_t *sources = json_object_get(root, "sources");
    if (!json_is_array(summary) && !json_is_string(summary))
        return;
    put(p, "<h2>Summary</h2><div class=\"summary\">");
    if (json_is_string(summary)) {
        text_el(p, "p", lang, NULL, json_string_value(summary));
    } else {
        size_t i;
        const json_t *v;
        json_array_foreach(summary, i, v) {
            const char *t = jtext(v, k_text);
            if (!t)
                continue;
            open_text(p, "p", lang, NULL);
            esc(p, t);
            id_sources(p, sources, json_is_object(v) ? json_object_get(v, "ids") : NULL);
            put(p, "</p>");
        }
    }
    put(p, "</div>\n");
}

/* Sources, one line per outlet in order of its first report: its first
 * date, how many of the story's articles it gave, the first reporter
 * marked. Article titles are in the Articles section. */
#define KHI_WEB_MAX_OUTLETS 64
static void account_sources(page *p, const json_t *root, const char *lang)
{
    (void)lang;
    const json_t *sources = json_object_get(root, "sources");
    if (!json_is_array(sources) || json_array_size(sources) == 0)
        return;
    const json_t *first = json_object_get(root, "first_source");
    if (!json_is_object(first)) /* an account stored before doc/formats.md */
        first = json_object_get(root, "first");
    const char *first_id = jget_str(first, "id");
    struct outlet {
        const char *name, *date, *url;
        int n, first;
    } outlets[KHI_WEB_MAX_OUTLETS];
    size_t n_outlets = 0, unknown = 0, more = 0;
    size_t i;
    const json_t *v;
    json_array_foreach(sources, i, v) {
        const char *name = jtext(v, k_source);
        const char *id = jget_str(v, "id");
        int is_first = json_is_true(json_object_get(v, "first")) ||
                       (first_id && id && strcmp(first_id, id) == 0);
        if (!name) {
            unknown++;
            continue;
        }
        size_t k = 0;
        while (k < n_outlets && strcmp(outlets[k].name, name) != 0)
            k++;
        if (k == n_outlets) {
            if (n_outlets == KHI_WEB_MAX_OUTLETS) {
                more++;
                continue;
            }
            outlets[n_outlets++] = (struct outlet){ name, jget_str(v, "date"),
                                                    jget_str(v, "url"), 0, 0 };
        }
        outlets[k].n++;
        outlets[k].first |= is_first;
    }
    put(p, "<h2>Sources</h2><ul class=\"sources\">");
    for (size_t k = 0; k < n_outlets; k++) {
        put(p, "<li>");
        text_el(p, "strong", NULL, NULL, outlets[k].name);
        if (outlets[k].first)
            put(p, " <span class=\"tag first\">first to report</span>");
        if (outlets[k].date) {
            put(p, " <span class=\"meta\" dir=\"ltr\">");
            esc(p, outlets[k].date);
            put(p, "</span>");
        }
        if (outlets[k].n > 1)
            putf(p, " <span class=\"meta\">· %d articles</span>", outlets[k].n);
        if (is_http_url(outlets[k].url)) {
            put(p, "<br>");
            link_url(p, outlets[k].url);
        }
        put(p, "</li>");
    }
    if (unknown)
        putf(p, "<li class=\"meta\">%zu article%s of unknown source</li>", unknown,
             unknown == 1 ? "" : "s");
    if (more)
        putf(p, "<li class=\"meta\">and %zu articles from other sources</li>", more);
    put(p, "</ul>\n");
}

static void account_entities(page *p, const json_t *root, const char *lang)
{
    const json_t *entities = json_object_get(root, "entities");
    if (!json_is_array(entities) || json_array_size(entities) == 0)
        return;
    static const char *const k_name[] = { "name", "text", NULL };
    put(p, "<h2>Names</h2><ul>");
    size_t i;
    const json_t *v;
    json_array_foreach(entities, i, v) {
        const char *name = jtext(v, k_name);
        if (!name)
            continue;
        put(p, "<li dir=\"auto\">");
        text_el(p, "strong", lang, NULL, name);
        const char *kind = jget_str(v, "kind");
        if (kind && strcmp(kind, "name") != 0) {
            put(p, " <span class=\"tag\">");
            esc(p, kind);
            put(p, "</span>");
        }
        const json_t *n = json_is_object(v) ? json_object_get(v, "article_count") : NULL;
        if (!n && json_is_object(v))
            n = json_object_get(v, "articles"); /* stored before doc/formats.md */
        if (json_is_integer(n))
            putf(p, " <span class=\"meta\">in %lld articles</span>",
                 (long long)json_integer_value(n));
        const json_t *vars = json_is_object(v) ? json_object_get(v, "variants") : NULL;
        if (json_is_array(vars) && json_array_size(vars) > 1) {
            put(p, "<br><span class=\"meta\">written as:</span>");
            size_t j;
            const json_t *w;
            json_array_foreach(vars, j, w) {
                if (json_is_string(w)) {
                    put(p, " ");
                    text_el(p, "span", lang, "tag", json_string_value(w));
                }
            }
        }
        put(p, "</li>");
    }
    put(p, "</ul>\n");
}

static void account_disagreements(page *p, const json_t *root, const char *lang)
{
    const json_t *dis = json_object_get(root, "disagreements");
    const json_t *sources = json_object_get(root, "sources");
    if (!json_is_array(dis) || json_array_size(dis) == 0)
        return;
    static const char *const k_about[] = { "about", "topic", "text", NULL };
    put(p, "<h2>Where sources differ</h2><ul>");
    size_t i;
    const json_t *v;
    json_array_foreach(dis, i, v) {
        const char *about = jtext(v, k_about);
        put(p, "<li dir=\"auto\">");
        if (about)
            text_el(p, "strong", lang, NULL, about);
        const json_t *values = json_is_object(v) ? json_object_get(v, "values") : NULL;
        if (json_is_array(values)) {
            put(p, "<ul class=\"claims\">");
            size_t j;
            const json_t *c;
            json_array_foreach(values, j, c) {
                const json_t *num = json_is_object(c) ? json_object_get(c, "value") : c;
                const char *t = jtext(c, k_text);
                if (json_is_number(num)) {
                    putf(p, "<li><span dir=\"ltr\">%.15g</span>", json_number_value(num));
                } else if (t) {
                    open_text(p, "li", lang, NULL);
                    esc(p, t);
                } else {
                    continue;
                }
                put(p, " <span class=\"meta\">according to</span>");
                id_sources(p, sources, json_is_object(c) ? json_object_get(c, "ids") : NULL);
                const char *src = jget_str(c, "source");
                if (src) {
                    put(p, " ");
                    text_el(p, "span", NULL, "tag", src);
                }
                put(p, "</li>");
            }
            put(p, "</ul>");
        }
        put(p, "</li>");
    }
    put(p, "</ul>\n");
}

static void render_account(page *p, const char *json, const char *lang)
{
    json_error_t err;
    json_t *root = json ? json_loadb(json, strlen(json), 0, &err) : NULL;
    if (!json_is_object(root)) {
        put(p, "<p class=\"empty\">No account yet for this story.</p>\n");
        json_decref(root);
        return;
    }
    account_summary(p, root, lang);
    account_sources(p, root, lang);
    account_entities(p, root, lang);
    account_disagreements(p, root, lang);
    json_decref(root);
}

/* An article's stored why (kh_story_why_json()'s text) read back; 0 when
 * it has none or it is not one (then nothing is said of it). */
static int read_why(page *p, const char *json, kh_story_why *w)
{
    return json && kh_story_why_parse(p->out->ctx, json, strlen(json), w) == KH_OK;
}

/* The kinds of a shared term, for its tooltip. */
static const char *term_kinds(unsigned kind)
{
    static const char *const names[] = { "", "a name", "a number", "a name and a number",
                                         "in the title", "a name in the title",
                                         "a number in the title",
                                         "a name and a number in the title" };
    return names[kind & 7u];
}

/* Why an article is in its story, in a sentence: "Joined at 0.52 (cosine
 * 0.60 × time 0.87) on: جدة 0.310, flood 0.120", "Started this story",
 * "A copy of an article in this story". Terms are crawled text: escaped,
 * each in its own direction. At most KH_STORY_WHY_TERMS terms of 47 bytes. */
static void why_line(page *p, const char *json)
{
    kh_story_why w;
    if (!read_why(p, json, &w))
        return;
    put(p, "<p class=\"why\">");
    if (w.copy) {
        put(p, "A copy of an article in this story.</p>");
        return;
    }
    if (!w.started && w.event_factor > 0 && w.event_factor < 1.0)
        putf(p, "Joined at %.2f (cosine %.2f × time %.2f × event %.2f: numbers or dates disagree)",
             w.score, w.cosine, w.time_factor, w.event_factor);
    else if (!w.started)
        putf(p, "Joined at %.2f (cosine %.2f × time %.2f)", w.score, w.cosine, w.time_factor);
    else if (w.nearest)
        putf(p, "Started this story; the nearest open story, <a href=\"/story/%llu\">story "
                "%llu</a>, scored %.2f", (unsigned long long)w.nearest,
             (unsigned long long)w.nearest, w.score);
    else
        put(p, "Started this story; no open story shared its terms");
    for (size_t t = 0; t < w.n_terms; t++) {
        put(p, t ? ", " : (w.started ? "; it shared: " : " on: "));
        put(p, "<span class=\"term\" dir=\"auto\"");
        if (w.terms[t].kind & 7u)
            putf(p, " title=\"%s\"", term_kinds(w.terms[t].kind));
        put(p, ">");
        esc_n(p, w.terms[t].text, strnlen(w.terms[t].text, sizeof w.terms[t].text));
        putf(p, "</span> <span dir=\"ltr\">%.3f</span>", w.terms[t].share);
    }
    put(p, ".</p>");
}

typedef struct story_view {
    page *p;
    int articles;
} story_view;

static int story_head(void *user, const kh_store_story *s)
{
    story_view *v = user;
    page *p = v->p;
    page_head(p, s->headline && *s->headline ? s->headline : "story", s->lang);
    text_el(p, "h1", s->lang, NULL, s->headline && *s->headline ? s->headline : "(no headline)");
    put(p, "<div class=\"meta\">");
    time_span(p, s->first, s->last);
    putf(p, " · %lld article%s ", (long long)s->n_articles, s->n_articles == 1 ? "" : "s");
    tag_list(p, s->sources, NULL);
    tag_list(p, s->langs, "lang");
    put(p, "</div>\n");
    render_account(p, s->account_json, s->lang);
    put(p, "<h2>Articles</h2>\n");
    return p->rc != KH_OK;
}

static int story_article(void *user, const kh_store_article *a)
{
    story_view *v = user;
    page *p = v->p;
    v->articles++;
    putf(p, "<article id=\"a%d\">", v->articles);
    text_el(p, "h3", a->lang, NULL, a->title && *a->title ? a->title : "(no title)");
    put(p, "<div class=\"meta\">");
    if (a->source)
        text_el(p, "span", NULL, "tag", a->source);
    if (a->date) {
        put(p, " <span dir=\"ltr\">");
        esc(p, a->date);
        put(p, "</span>");
    }
    if (is_http_url(a->url)) {
        put(p, "<br>");
        link_url(p, a->url);
    }
    put(p, "</div>");
    why_line(p, a->why);
    open_text(p, "div", a->lang, "body");
    const char *s = a->body;
    const char *end = a->body + a->body_len;
    while (s && s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        size_t n = e ? (size_t)(e - s) : (size_t)(end - s);
        if (n) {
            put(p, "<p>");
            esc_n(p, s, n);
            put(p, "</p>");
        }
        s += n + 1;
    }
    put(p, "</div></article>\n");
    return p->rc != KH_OK;
}

static kh_status render_story(kh_store *store, int64_t id, page *p, int *status)
{
    story_view v = { p, 0 };
    int found;
    kh_status rc = kh_store_get_story(store, id, &found, story_head, story_article, &v);
    if (rc == KH_OK && !found) {
        *status = 404;
        error_page(p, 404, "There is no such story.");
        return p->rc;
    }
    if (rc != KH_OK && p->rc == KH_OK)
        return store_failed(p, rc, status, 0, "the store could not be read");
    if (v.articles == 0)
        put(p, "<p class=\"empty\">No articles stored for this story.</p>\n");
    page_tail(p);
    *status = 200;
    return p->rc;
}

/* ---- search --------------------------------------------------------------- */

typedef struct search_view {
    page *p;
    int hits;
} search_view;

static int search_hit(void *user, const kh_store_hit *h)
{
    search_view *v = user;
    page *p = v->p;
    const kh_store_article *a = h->article;
    v->hits++;
    put(p, "<li>");
    if (a->story_id)
        putf(p, "<a href=\"/story/%lld\">", (long long)a->story_id);
    text_el(p, "h3", a->lang, NULL, a->title && *a->title ? a->title : a->id);
    if (a->story_id)
        put(p, "</a>");
    put(p, "<div class=\"meta\">");
    if (a->source)
        text_el(p, "span", NULL, "tag", a->source);
    if (a->date) {
        put(p, " <span dir=\"ltr\">");
        esc(p, a->date);
        put(p, "</span>");
    }
    put(p, "</div>");
    open_text(p, "p", a->lang, NULL);
    if (p->rc == KH_OK && h->snippet)
        p->rc = escape_marked(p->out, h->snippet, strlen(h->snippet), 1);
    put(p, "</p></li>\n");
    return p->rc != KH_OK;
}

/* Appends q percent-encoded for a query string. */
static void put_query_value(page *p, const char *q)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *c = (const unsigned char *)q; *c && p->rc == KH_OK; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            *c == '-' || *c == '_' || *c == '.' || *c == '~') {
            p->rc = kh_buf_append(p->out, c, 1);
        } else {
            char e[3] = { '%', hex[*c >> 4], hex[*c & 15] };
            p->rc = kh_buf_append(p->out, e, 3);
        }
    }
}

static kh_status render_search(kh_store *store, const char *q, long page_no, page *p,
                               int *status)
{
    page_head(p, q && *q ? q : "search", NULL);
    put(p, "<h1>Search</h1><form action=\"/search\" method=\"get\">"
           "<input type=\"search\" name=\"q\" dir=\"auto\" value=\"");
    esc(p, q);
    put(p, "\"><button>search</button></form>\n");
    search_view v = { p, 0 };
    if (q && *q) {
        put(p, "<ul class=\"hits\">\n");
        kh_status rc = kh_store_search(store, q, strlen(q),
                                       (size_t)(page_no - 1) * KHI_WEB_SEARCH_SIZE,
                                       KHI_WEB_SEARCH_SIZE, search_hit, &v);
        if (rc != KH_OK && rc != KH_E_STOPPED)
            return store_failed(p, rc, status, 0, "the search failed");
        put(p, "</ul>\n");
        if (v.hits == 0)
            put(p, "<p class=\"empty\">Nothing found.</p>\n");
        put(p, "<nav class=\"pages\"><span>");
        if (page_no > 1) {
            put(p, "<a href=\"/search?q=");
            put_query_value(p, q);
            putf(p, "&amp;page=%ld\">← better matches</a>", page_no - 1);
        }
        put(p, "</span><span>");
        if (v.hits == KHI_WEB_SEARCH_SIZE) {
            put(p, "<a href=\"/search?q=");
            put_query_value(p, q);
            putf(p, "&amp;page=%ld\">more →</a>", page_no + 1);
        }
        put(p, "</span></nav>\n");
    }
    page_tail(p);
    *status = 200;
    return p->rc;
}

/* ---- JSON API --------------------------------------------------------------- */

static void jput_str(page *p, const char *key, const char *value, int comma)
{
    if (p->rc != KH_OK)
        return;
    if (comma)
        put(p, ",");
    p->rc = kh_buf_json_string(p->out, key, strlen(key));
    put(p, ":");
    if (p->rc != KH_OK)
        return;
    if (value)
        p->rc = kh_buf_json_string(p->out, value, strlen(value));
    else
        put(p, "null");
}

static void jput_list(page *p, const char *key, const char *list)
{
    put(p, ",");
    if (p->rc == KH_OK)
        p->rc = kh_buf_json_string(p->out, key, strlen(key));
    put(p, ":[");
    const char *s = list;
    int n = 0;
    while (s && *s && p->rc == KH_OK) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (n++)
            put(p, ",");
        if (p->rc == KH_OK)
            p->rc = kh_buf_json_string(p->out, s, len);
        s += len + (e ? 1 : 0);
    }
    put(p, "]");
}

/* The keys are those of doc/formats.md: a story's number is "story" (as in
 * khabar stories; "id" is an article's), a count is "article_count" and
 * the outlets' names are "source_names" ("articles" and "sources" are
 * lists of articles). */
static void json_story_fields(page *p, const kh_store_story *s)
{
    putf(p, "{\"story\":%lld", (long long)s->id);
    jput_str(p, "headline", s->headline, 1);
    jput_str(p, "first", s->first, 1);
    jput_str(p, "last", s->last, 1);
    jput_str(p, "lang", s->lang, 1);
    putf(p, ",\"article_count\":%lld", (long long)s->n_articles);
    jput_list(p, "source_names", s->sources);
    jput_list(p, "langs", s->langs);
}

typedef struct json_view {
    page *p;
    int n;
} json_view;

static int json_list_story(void *user, const kh_store_story *s)
{
    json_view *v = user;
    if (v->n++)
        put(v->p, ",");
    json_story_fields(v->p, s);
    put(v->p, "}");
    return v->p->rc != KH_OK;
}

static kh_status render_api_stories(kh_store *store, long page_no, page *p, int *status)
{
    int64_t total = kh_store_count_stories(store);
    json_view v = { p, 0 };
    putf(p, "{\"page\":%ld,\"per_page\":%d,\"total\":%lld,\"stories\":[", page_no,
         KHI_WEB_PAGE_SIZE, (long long)total);
    kh_status rc = total < 0 ? KH_E_DB
                             : kh_store_list_stories(store,
                                                     (size_t)(page_no - 1) * KHI_WEB_PAGE_SIZE,
                                                     KHI_WEB_PAGE_SIZE, json_list_story, &v);
    if (rc != KH_OK && p->rc == KH_OK)
        return store_failed(p, rc, status, 1, "the store could not be read");
    put(p, "]}\n");
    *status = 200;
    return p->rc;
}

/* A copy of obj with the key from renamed to, in place, order kept;
 * NULL when out of memory. */
static json_t *json_renamed(json_t *obj, const char *from, const char *to)
{
    json_t *copy = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        if (copy && json_object_set(copy, strcmp(k, from) == 0 ? to : k, v) != 0) {
            json_decref(copy);
            copy = NULL;
        }
    }
    return copy;
}

/* An account stored before doc/formats.md named the first reporter "first"
 * and a name's count "articles": gives it the names of today. @return 1
 * when it changed root, 0 when root is as today's, -1 out of memory. */
static int account_today(json_t **root)
{
    int changed = 0;
    if (json_is_object(json_object_get(*root, "first")) && !json_object_get(*root, "first_source")) {
        json_t *r = json_renamed(*root, "first", "first_source");
        if (!r)
            return -1;
        json_decref(*root);
        *root = r;
        changed = 1;
    }
    json_t *entities = json_object_get(*root, "entities");
    size_t i;
    json_t *e;
    json_array_foreach(entities, i, e) {
        if (!json_is_object(e) || !json_object_get(e, "articles") ||
            json_object_get(e, "article_count"))
            continue;
        json_t *r = json_renamed(e, "articles", "article_count");
        if (!r || json_array_set_new(entities, i, r) != 0)
            return -1;
        changed = 1;
    }
    return changed;
}

static int json_story_head(void *user, const kh_store_story *s)
{
    json_view *v = user;
    page *p = v->p;
    json_story_fields(p, s);
    put(p, ",\"account\":");
    json_error_t err;
    json_t *root = s->account_json
                       ? json_loadb(s->account_json, strlen(s->account_json), 0, &err)
                       : NULL;
    int changed = root ? account_today(&root) : 0;
    char *today = changed > 0 ? json_dumps(root, JSON_COMPACT) : NULL;
    if (changed < 0 || (changed > 0 && !today)) {
        if (p->rc == KH_OK)
            p->rc = KH_E_NOMEM;
    } else if (today) {
        put(p, today);
    } else if (root) {
        put(p, s->account_json); /* valid JSON, as stored */
    } else {
        put(p, "null");
    }
    free(today);
    json_decref(root);
    put(p, ",\"items\":[");
    return p->rc != KH_OK;
}

static int json_story_article(void *user, const kh_store_article *a)
{
    json_view *v = user;
    page *p = v->p;
    if (v->n++)
        put(p, ",");
    put(p, "{");
    jput_str(p, "id", a->id, 0);
    jput_str(p, "title", a->title, 1);
    jput_str(p, "source", a->source, 1);
    jput_str(p, "date", a->date, 1);
    jput_str(p, "url", a->url, 1);
    jput_str(p, "lang", a->lang, 1);
    /* The copy group as a string: a 64-bit id does not survive JSON
     * readers that hold numbers as doubles (JavaScript, jq). */
    if (a->group_id)
        putf(p, ",\"group\":\"%lld\",\"why\":", (long long)a->group_id);
    else
        put(p, ",\"group\":null,\"why\":");
    kh_story_why w; /* as khabar stories prints it, or null */
    if (read_why(p, a->why, &w)) {
        if (p->rc == KH_OK)
            p->rc = kh_story_why_json(&w, a->id, p->out);
    } else {
        put(p, "null");
    }
    put(p, ",");
    if (p->rc == KH_OK)
        p->rc = kh_buf_json_string(p->out, "body", 4);
    put(p, ":");
    if (p->rc == KH_OK)
        p->rc = kh_buf_json_string(p->out, a->body ? a->body : "", a->body ? a->body_len : 0);
    put(p, "}");
    return p->rc != KH_OK;
}

static kh_status render_api_story(kh_store *store, int64_t id, page *p, int *status)
{
    json_view v = { p, 0 };
    int found;
    kh_status rc = kh_store_get_story(store, id, &found, json_story_head, json_story_article, &v);
    if (rc == KH_OK && !found) {
        *status = 404;
        put(p, "{\"error\":\"no such story\"}\n");
        return p->rc;
    }
    if (rc != KH_OK && p->rc == KH_OK)
        return store_failed(p, rc, status, 1, "the store could not be read");
    put(p, "]}\n");
    *status = 200;
    return p->rc;
}

/* ---- routing ----------------------------------------------------------------- */

/* Parses a positive decimal number of at most 18 digits; 0 when it is not one. */
static int64_t parse_id(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return 0;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

kh_status kh_web_render(kh_store *store, const char *path, const char *query,
                        const char *page_arg, kh_buf *out, int *http_status,
                        const char **content_type)
{
    page p = { out, KH_OK };
    *http_status = 500;
    *content_type = content_html;
    long page_no = 1;
    if (page_arg) {
        int64_t n = parse_id(page_arg);
        if (n < 1 || n > KHI_WEB_MAX_PAGE) {
            *http_status = 400;
            error_page(&p, 400, "page must be a number from 1");
            return p.rc;
        }
        page_no = (long)n;
    }
    if (!path || path[0] != '/') {
        *http_status = 400;
        error_page(&p, 400, "bad request path");
        return p.rc;
    }
    if (strcmp(path, "/") == 0)
        return render_index(store, page_no, &p, http_status);
    if (strncmp(path, "/story/", 7) == 0) {
        int64_t id = parse_id(path + 7);
        if (id == 0) {
            *http_status = 404;
            error_page(&p, 404, "There is no such story.");
            return p.rc;
        }
        return render_story(store, id, &p, http_status);
    }
    if (strcmp(path, "/search") == 0) {
        if (query && strlen(query) > KHI_WEB_MAX_QUERY) {
            *http_status = 414;
            error_page(&p, 414, "The search is too long.");
            return p.rc;
        }
        if (query && kh_utf8_check(query, strlen(query), NULL) != KH_OK) {
            *http_status = 400;
            error_page(&p, 400, "The search is not valid UTF-8.");
            return p.rc;
        }
        return render_search(store, query, page_no, &p, http_status);
    }
    if (strcmp(path, "/api/stories") == 0) {
        *content_type = content_json;
        return render_api_stories(store, page_no, &p, http_status);
    }
    if (strncmp(path, "/api/story/", 11) == 0) {
        *content_type = content_json;
        int64_t id = parse_id(path + 11);
        if (id == 0) {
            *http_status = 404;
            put(&p, "{\"error\":\"no such story\"}\n");
            return p.rc;
        }
        return render_api_story(store, id, &p, http_status);
    }
    *http_status = 404;
    error_page(&p, 404, "There is no such page.");
    return p.rc;
}

/* ---- request policy ------------------------------------------------------------ */

int khi_web_uri_admit(char *uri)
{
    if (!uri)
        return 0;
    size_t n = strnlen(uri, KHI_WEB_MAX_URI + 1);
    int status = 0;
    if (n > KHI_WEB_MAX_URI) {
        status = 414;
    } else {
        const char *qm = memchr(uri, '?', n);
        size_t args = qm ? 1 : 0;
        for (const char *c = qm ? qm + 1 : uri + n; c < uri + n; c++)
            args += *c == '&';
        status = args > KHI_WEB_MAX_ARGS ? 400 : 0;
    }
    char *qm = status ? strchr(uri, '?') : NULL;
    if (qm)
        qm[1] = 0;
    return status;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* %00 stays as the three characters: a NUL would silently cut the string
 * short ("/%00x" would read as "/"), so such a path is simply not found. */
size_t khi_web_unescape(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        int hi = r[0] == '%' ? hex_value(r[1]) : -1;
        int lo = hi >= 0 ? hex_value(r[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
    return (size_t)(w - s);
}

/*
 * DNS rebinding points a name the attacker owns at 127.0.0.1, and the
 * browser then sends that name as Host; so a name passes only when the
 * server was told it. An address is different: a page can only reach an
 * address by naming it, so the listening address passes (any IPv4 address
 * when listening on all of them), and so does localhost when the server
 * listens on loopback. A port, when given, must be the one bound, written
 * as browsers write it (no leading zeros).
 */
int khi_web_host_ok(const khi_web_site *site, const char *host)
{
    if (!host)
        return 0;
    size_t len = strlen(host);
    const char *colon = strrchr(host, ':');
    if (colon) {
        char port[16];
        snprintf(port, sizeof port, "%u", site->port);
        if (strcmp(colon + 1, port) != 0)
            return 0;
        len = (size_t)(colon - host);
    }
    if (len == 0)
        return 0;
    char name[16];
    if (len < sizeof name) {
        memcpy(name, host, len);
        name[len] = 0;
        struct in_addr a;
        if (inet_pton(AF_INET, name, &a) == 1)
            return site->bind == 0 || ntohl(a.s_addr) == site->bind;
    }
    int loopback = site->bind == 0 || (site->bind >> 24) == 127;
    if (loopback && len == 9 && strncasecmp(host, "localhost", 9) == 0)
        return 1;
    for (const char *const *h = site->hosts; h && *h; h++)
        if (strlen(*h) == len && strncasecmp(*h, host, len) == 0)
            return 1;
    return 0;
}

/* An error in the shape of the page asked for: JSON under /api/, HTML
 * elsewhere. */
static kh_status error_answer(const char *path, int status, const char *message, kh_buf *out,
                              int *http_status, const char **content_type)
{
    page p = { out, KH_OK };
    *http_status = status;
    if (path && strncmp(path, "/api/", 5) == 0) {
        *content_type = content_json;
        put(&p, "{\"error\":");
        if (p.rc == KH_OK)
            p.rc = kh_buf_json_string(out, message, strlen(message));
        put(&p, "}\n");
    } else {
        *content_type = content_html;
        error_page(&p, status, message);
    }
    return p.rc;
}

kh_status khi_web_respond(const khi_web_site *site, kh_store *store,
                          const khi_web_request *req, kh_buf *out, int *http_status,
                          const char **content_type)
{
    const char *path = req->path;
    const char *version = req->version ? req->version : "";
    /* HTTP/1.0 predates Host; from HTTP/1.1 on it is required. */
    int host_needed = strcmp(version, "HTTP/1.0") != 0 && strcmp(version, "HTTP/0.9") != 0 &&
                      *version;
    if (req->host && !khi_web_host_ok(site, req->host))
        return error_answer(path, 421, "This server answers only to the address it listens on "
                            "(and localhost, or the names it was given): the Host header "
                            "names another.", out, http_status, content_type);
    if (!req->host && host_needed)
        return error_answer(path, 400, "An HTTP/1.1 request needs a Host header.", out,
                            http_status, content_type);
    if (!req->method || (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0))
        return error_answer(path, 405, "Only GET and HEAD are served.", out, http_status,
                            content_type);
    if (req->refused == 414)
        return error_answer(path, 414, "The address is too long.", out, http_status,
                            content_type);
    if (req->refused)
        return error_answer(path, 400, "Too many query parameters.", out, http_status,
                            content_type);
    if (req->has_body)
        return error_answer(path, 400, "No request body expected.", out, http_status,
                            content_type);
    return kh_web_render(store, path, req->q, req->page, out, http_status, content_type);
}
