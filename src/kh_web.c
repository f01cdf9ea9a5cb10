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
#include "kh_link_int.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <xxhash.h>

#define KHI_WEB_MAX_QUERY 1024                 /* bytes of q */
#define KHI_WEB_PAGE_SIZE 30                   /* stories per page */
#define KHI_WEB_MAX_PER_PAGE 100               /* per_page at most */
#define KHI_WEB_SEARCH_SIZE 20                 /* hits per search page */
#define KHI_WEB_MAX_PAGE 100000

static const char *const content_html = "text/html; charset=utf-8";
static const char *const content_json = "application/json; charset=utf-8";
static const char *const content_atom = "application/atom+xml; charset=utf-8";

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

struct web_args;

typedef struct page {
    kh_buf *out;
    kh_status rc;
    /* the feed page_head() advertises: its path and the arguments it
     * keeps, or NULL */
    const char *feed;
    const struct web_args *feed_args;
    int ar;   /* the page's own words in Arabic, laid out right to left */
} page;

/* The page's own words, in English and Arabic. */
enum {
    T_SEARCH, T_SUMMARY, T_SOURCES, T_NAMES, T_DIFFER, T_ARTICLES, T_FIRST, T_N_ARTICLES,
    T_IN_N_ARTICLES,
    T_UNKNOWN_SOURCE, T_OTHER_SOURCES, T_INDEPENDENT, T_WIRE, T_COPY_OF, T_SHOW_TEXT,
    T_COPY_WHY, T_JOINED, T_JOINED_EVENT, T_STARTED_NEAR, T_STARTED_ALONE, T_SHARED, T_ON, T_NO_ARTICLES,
    T_SAME_DAY, T_FIRST_TIME, T_FIRST_DATE, T_FIRST_TIED, T_NO_FIRST, T_QUOTES, T_REPORTED,
    T_OTHER_LANGS, T_LINK_SHARED,
    T_COUNT_
};
static const char *const words[T_COUNT_][2] = {
    [T_SEARCH] = { "search", "بحث" },
    [T_SUMMARY] = { "Summary", "الخلاصة" },
    [T_SOURCES] = { "Sources", "المصادر" },
    [T_NAMES] = { "Names", "الأسماء" },
    [T_DIFFER] = { "Where sources differ", "ما تختلف فيه المصادر" },
    [T_ARTICLES] = { "Articles", "المقالات" },
    [T_FIRST] = { "first to report", "أول من نشر" },
    [T_N_ARTICLES] = { "%lld articles", "المقالات: %lld" },
    [T_IN_N_ARTICLES] = { "in %lld articles", "المقالات: %lld" },
    [T_UNKNOWN_SOURCE] = { "%lld article%s of unknown source", "مقالات مصدرها غير معروف: %lld" },
    [T_OTHER_SOURCES] = { "and %lld articles from other sources", "مقالات من مصادر أخرى: %lld" },
    [T_INDEPENDENT] = { "independent sources: %lld", "مصادر مستقلة: %lld" },
    [T_WIRE] = { "outlets that ran the %s wire: %lld", "وسائل نشرت نص %s: %lld" },
    [T_COPY_OF] = { "copy of", "نسخة من" },
    [T_SHOW_TEXT] = { "show its text", "اعرض النص" },
    [T_COPY_WHY] = { "A copy of an article in this story.", "نسخة من مقال في هذه القصة." },
    [T_JOINED] = { "Joined at %.2f (cosine %.2f × time %.2f)",
                   "انضم بدرجة %.2f (تشابه %.2f × عامل الزمن %.2f)" },
    [T_JOINED_EVENT] = { "Joined at %.2f (cosine %.2f × time %.2f × event %.2f: numbers or dates "
                         "disagree)",
                         "انضم بدرجة %.2f (تشابه %.2f × عامل الزمن %.2f × عامل الحدث %.2f: "
                         "تختلف الأرقام أو التواريخ)" },
    [T_STARTED_NEAR] = { "Started this story; the nearest open story, <a href=\"/story/%llu\">"
                         "story %llu</a>, scored %.2f",
                         "بدأ هذه القصة؛ أقرب قصة مفتوحة، <a href=\"/story/%llu\">القصة "
                         "%llu</a>، نالت %.2f" },
    [T_STARTED_ALONE] = { "Started this story; no open story shared its terms",
                          "بدأ هذه القصة؛ لم تشاركه أي قصة مفتوحة ألفاظه" },
    [T_SHARED] = { "; it shared: ", "؛ شاركها: " },
    [T_ON] = { " on: ", " على: " },
    [T_NO_ARTICLES] = { "No articles stored for this story.", "لا مقالات محفوظة لهذه القصة." },
    [T_SAME_DAY] = { "same day", "في اليوم نفسه" },
    [T_QUOTES] = { "Who said what", "من قال ماذا" },
    [T_REPORTED] = { "reported", "نقلاً" },
    [T_OTHER_LANGS] = { "The same event in other languages", "الحدث نفسه بلغات أخرى" },
    [T_LINK_SHARED] = { "Linked on what they share (score %.2f): ",
                        "رُبطت بما تشترك فيه (الدرجة %.2f): " },
    [T_FIRST_TIME] = { "First to report by the time each report gives; copies defer to their "
                       "original.",
                       "الأول بحسب توقيت كل تقرير؛ النسخ تُحسب لأصلها." },
    [T_FIRST_DATE] = { "First to report: the only report of the earliest day.",
                       "الأول: التقرير الوحيد في أقدم يوم." },
    [T_FIRST_TIED] = { "Reported the same day: a date without a time cannot be ordered.",
                       "نُشرت في اليوم نفسه: لا يمكن ترتيب تاريخ بلا توقيت." },
    [T_NO_FIRST] = { "No first report named: %lld of %lld reports give no date.",
                     "لا يُسمّى أول من نشر: %lld من %lld تقارير بلا تاريخ." },
};

static const char *W(const page *p, int id)
{
    return words[id][p->ar ? 1 : 0];
}


static void put_feed_link(page *p);

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
    ".prov{margin:.3rem 0;font-size:.95rem}"
    "details.copy>summary{color:#5b6570;font-size:.85rem;cursor:pointer}"
    "form.filters{flex-wrap:wrap;gap:.3rem .8rem;font-size:.85rem;margin:.2rem 0 .6rem}"
    "form.filters input{width:8.5rem;max-width:100%;font:inherit;padding:.1rem .3rem}"
    "svg.timeline{width:100%;height:auto;background:#fff;border:1px solid #e4e1da;"
    "border-radius:6px}"
    ".why .term{background:#eef2f6;border-radius:3px;padding:0 .3rem}";

static void page_head(page *p, const char *title, const char *title_lang)
{
    put(p, p->ar ? "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">\n"
                 : "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n");
    put(p, "<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<title");
    putf(p, " lang=\"%s\" dir=\"auto\">", lang_attr(title_lang));
    esc(p, title);
    put(p, " — khabar</title>\n");
    put_feed_link(p);
    put(p, "<style>");
    put(p, page_css);
    put(p, "</style>\n</head>\n<body>\n<header><a class=\"home\" href=\"/\">khabar</a>");
    put(p, p->ar ? "<a href=\"/breaking?ui=ar\">عاجل</a>" : "<a href=\"/breaking\">breaking</a>");
    put(p, ""
           "<form action=\"/search\" method=\"get\" role=\"search\">"
           "<input type=\"search\" name=\"q\" dir=\"auto\" aria-label=\"search\" "
           "maxlength=\"200\" placeholder=\"search / بحث\"><button>");
    put(p, W(p, T_SEARCH));
    put(p, "</button></form></header>\n<main>\n");
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
        put(p, "\",\"code\":500}\n");
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

/* Digits in the page's script: Arabic-Indic under Arabic words. */
static void put_number(page *p, long v, int width)
{
    char d[24];
    snprintf(d, sizeof d, "%0*ld", width, v);
    if (!p->ar) {
        put(p, d);
        return;
    }
    for (const char *c = d; *c; c++) {
        char u[3] = { (char)0xd9, (char)(0xa0 + (*c - '0')), 0 }; /* U+0660.. */
        put(p, u);
    }
}

/* A count with its label: the English format takes the count (and "s"
 * where the plural wants it); the Arabic one is "label: %..." and its
 * count is written in Arabic-Indic digits. */
static void put_count(page *p, int id, long long n)
{
    if (!p->ar) {
        putf(p, W(p, id), n, n == 1 ? "" : "s");
        return;
    }
    const char *f = W(p, id), *pct = strchr(f, '%');
    size_t len = pct ? (size_t)(pct - f) : strlen(f);
    if (p->rc == KH_OK)
        p->rc = kh_buf_append(p->out, f, len);
    put_number(p, (long)n, 1);
}

/* A phrase with two counts (%lld, in order), in the page's digits. */
static void put_count2(page *p, int id, long long a, long long b)
{
    const char *f = W(p, id);
    long long v[2] = { a, b };
    int k = 0;
    for (const char *pct; (pct = strstr(f, "%lld")) != NULL; f = pct + 4) {
        if (p->rc == KH_OK) p->rc = kh_buf_append(p->out, f, (size_t)(pct - f));
        if (k < 2) put_number(p, (long)v[k++], 1);
    }
    put(p, f);
}

/* d Mon yyyy[, hh:mm] in the page's words and digits; hour -1: no time. */
static void put_date_text(page *p, long y, long m, long d, long hour, long minute)
{
    static const char *const en[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    static const char *const ar[12] = { "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
                                        "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر" };
    put_number(p, d, 1);
    put(p, " ");
    put(p, p->ar ? ar[m - 1] : en[m - 1]);
    put(p, " ");
    put_number(p, y, 4);
    if (hour >= 0) {
        put(p, p->ar ? "، " : ", ");
        put_number(p, hour, 2);
        put(p, ":");
        put_number(p, minute, 2);
    }
}

/* A stored date as people write it (25 Oct 2016, 14:30 / ٢٥ أكتوبر ٢٠١٦،
 * ١٤:٣٠) in a <time> element; anything else as it is. */
static void put_date(page *p, const char *iso)
{
    size_t n = iso ? strlen(iso) : 0;
    int ok = n >= 10 && iso[4] == '-' && iso[7] == '-';
    for (size_t i = 0; ok && i < 10; i++)
        ok = i == 4 || i == 7 || (iso[i] >= '0' && iso[i] <= '9');
    long y = 0, m = 0, d = 0;
    if (ok) {
        y = strtol(iso, NULL, 10);
        m = strtol(iso + 5, NULL, 10);
        d = strtol(iso + 8, NULL, 10);
        ok = m >= 1 && m <= 12 && d >= 1 && d <= 31;
    }
    if (!ok) {
        put(p, "<span dir=\"ltr\">");
        esc(p, iso);
        put(p, "</span>");
        return;
    }
    put(p, "<time datetime=\"");
    esc(p, iso);
    put(p, "\">");
    int timed = n >= 16 && iso[10] == 'T' && iso[13] == ':';
    put_date_text(p, y, m, d, timed ? strtol(iso + 11, NULL, 10) : -1,
                  timed ? strtol(iso + 14, NULL, 10) : 0);
    put(p, "</time>");
}

/* The date of minutes since 1970 as people write it, no markup (for SVG
 * text). */
static void put_span_date(page *p, long long minutes)
{
    int y, m, d;
    khi_civil_from_days((long)(minutes / 1440), &y, &m, &d);
    long in_day = (long)(minutes % 1440);
    put_date_text(p, y, m, d, in_day ? in_day / 60 : -1, in_day % 60);
}

static void time_span(page *p, const char *first, const char *last)
{
    if (first && last && strcmp(first, last) != 0) {
        put_date(p, first);
        put(p, p->ar ? " ← " : " → ");
        put_date(p, last);
    } else if (first || last) {
        put_date(p, first ? first : last);
    }
}

/* ---- the story list ----------------------------------------------------- */

/* A story's line under its headline: its dates, articles, outlets and
 * languages (the list and the story's own page). */
static void story_meta(page *p, const kh_store_story *s)
{
    put(p, "<div class=\"meta\">");
    time_span(p, s->first, s->last);
    if (p->ar) {
        put(p, " · المقالات: ");
        put_number(p, (long)s->n_articles, 1);
        put(p, " ");
    } else {
        putf(p, " · %lld article%s ", (long long)s->n_articles, s->n_articles == 1 ? "" : "s");
    }
    tag_list(p, s->sources, NULL);
    tag_list(p, s->langs, "lang");
    put(p, "</div>");
}

static int index_story(void *user, const kh_store_story *s)
{
    page *p = user;
    putf(p, "<li><a href=\"/story/%lld\">", (long long)s->id);
    text_el(p, "h3", s->lang, NULL, s->headline && *s->headline ? s->headline : "(no headline)");
    put(p, "</a>");
    story_meta(p, s);
    put(p, "</li>\n");
    return p->rc != KH_OK;
}

/* ---- arguments ------------------------------------------------------------- */

/* A request's arguments, checked. */
typedef struct web_args {
    const kh_web_params *raw;
    long page_no;
    long per_page;
    int per_page_given;
    int top;                      /* the top view: multi-source stories first */
    int breaking;                 /* /breaking: new stories many sources took up */
    int ui;                       /* ?ui=ar: 1, ?ui=en: 0, none: -1 */
    int bad_q;                    /* q is too long or not UTF-8 */
    kh_store_story_filter filter;
} web_args;

/* s starts with YYYY-MM-DD. */
static int is_day_prefix(const char *s)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static int is_day(const char *s)
{
    return s && strlen(s) == 10 && is_day_prefix(s);
}

static int bounded_number(const char *s, long lo, long hi, long *out)
{
    if (!s || !*s || strlen(s) > 9)
        return 0;
    long v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9')
            return 0;
        v = v * 10 + (*c - '0');
    }
    if (v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

/* *out = 1 for yes, 0 for no; 0 when v is neither. */
static int one_of(const char *v, const char *yes, const char *no, int *out)
{
    if (strcmp(v, yes) != 0 && strcmp(v, no) != 0)
        return 0;
    *out = strcmp(v, yes) == 0;
    return 1;
}

/* Checks raw into a (top: the view when none is asked for); NULL when
 * every argument is good, else what is wrong with one. */
static const char *parse_args(const kh_web_params *raw, int top, web_args *a)
{
    static const kh_web_params none;
    memset(a, 0, sizeof *a);
    a->raw = raw ? raw : &none;
    raw = a->raw;
    a->page_no = 1;
    a->per_page = KHI_WEB_PAGE_SIZE;
    if (raw->page && !bounded_number(raw->page, 1, KHI_WEB_MAX_PAGE, &a->page_no))
        return "page must be a number from 1";
    if (raw->per_page) {
        if (!bounded_number(raw->per_page, 1, KHI_WEB_MAX_PER_PAGE, &a->per_page))
            return "per_page must be a number from 1 to 100";
        a->per_page_given = 1;
    }
    if (raw->lang) {
        if (!*raw->lang || strcmp(lang_attr(raw->lang), raw->lang) != 0)
            return "lang must be a language code such as ar or en";
        a->filter.lang = raw->lang;
    }
    if (raw->source) {
        if (!*raw->source || strlen(raw->source) > 200 ||
            kh_utf8_check(raw->source, strlen(raw->source), NULL) != KH_OK)
            return "source must be an outlet's name (UTF-8, at most 200 bytes)";
        a->filter.source = raw->source;
    }
    if (raw->since) {
        if (!is_day(raw->since))
            return "since must be a day, YYYY-MM-DD";
        a->filter.since = raw->since;
    }
    if (raw->until) {
        if (!is_day(raw->until))
            return "until must be a day, YYYY-MM-DD";
        a->filter.until = raw->until;
    }
    a->ui = -1;
    if (raw->ui && !one_of(raw->ui, "ar", "en", &a->ui))
        return "ui must be ar or en";
    a->top = top;
    if (raw->view && !one_of(raw->view, "top", "all", &a->top))
        return "view must be top or all";
    /* the top view leaves out stories told by one source alone */
    a->filter.min_sources = a->top ? 2 : 0;
    if (raw->min_sources) {
        long m;
        if (!bounded_number(raw->min_sources, 0, 100000, &m))
            return "min_sources must be a number from 0";
        a->filter.min_sources = m;
    }
    a->filter.top = a->top;
    /* q filters a list; /search and its API and feed check it themselves */
    if (raw->q && *raw->q) {
        if (strlen(raw->q) <= KHI_WEB_MAX_QUERY &&
            kh_utf8_check(raw->q, strlen(raw->q), NULL) == KH_OK)
            a->filter.q = raw->q;
        else
            a->bad_q = 1;
    }
    return NULL;
}

/* A list's arguments past parse_args(): NULL when good. */
static const char *list_args_bad(const web_args *a)
{
#define KHI_STR_(x) #x
#define KHI_STR(x) KHI_STR_(x)
    return a->bad_q ? "q must be UTF-8, at most " KHI_STR(KHI_WEB_MAX_QUERY) " bytes" : NULL;
}

/* Breaking news, as the page states it: a story first reported on the
 * store's newest day or the day before, told by at least three
 * independent sources (outlets that copy none of its other articles). EMM
 * flags clusters that grow fast; here a story that three newsrooms took up
 * within a day has grown fast. */
#define BREAKING_DAYS 1
#define BREAKING_SOURCES 3
static void breaking_args(web_args *a)
{
    a->breaking = 1;
    a->top = 1;
    a->filter.top = 1;
    a->filter.new_days = BREAKING_DAYS;
    if (!a->raw->min_sources)
        a->filter.min_sources = BREAKING_SOURCES;
}

static void put_query_value(page *p, const char *q);

/* The arguments as a query string ("&amp;"-separated, for an HTML
 * attribute), less the page number; first is put before the first. */
static void put_args(page *p, const web_args *a, const char *first)
{
    const kh_web_params *r = a->raw;
    const char *names[] = { "q", "lang", "source", "since", "until", "min_sources", "view",
                            "per_page", "ui" };
    const char *values[] = { r->q, r->lang, r->source, r->since, r->until, r->min_sources,
                             r->view, r->per_page, r->ui };
    int n = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!values[i])
            continue;
        put(p, n++ ? "&amp;" : first);
        put(p, names[i]);
        put(p, "=");
        put_query_value(p, values[i]);
    }
}

static void put_feed_link(page *p)
{
    if (!p->feed)
        return;
    put(p, "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"");
    put(p, p->feed);
    if (p->feed_args)
        put_args(p, p->feed_args, "?");
    put(p, "\">\n");
}

/* A name as one path segment: percent-encoded. */
static void put_path_value(page *p, const char *v)
{
    put_query_value(p, v);
}

/* Opens a link to the listing a is on: here, or the entity page. */
static void put_here(page *p, const web_args *a, const char *here)
{
    put(p, "<a href=\"");
    if (here) {
        put(p, here);
    } else {
        put(p, "/entity/");
        put_path_value(p, a->filter.name);
    }
}

/* ---- the story list ----------------------------------------------------- */

/* A filter field of the index's form, its value kept. */
static void filter_input(page *p, const char *name, const char *label, const char *value,
                         const char *type)
{
    putf(p, "<label>%s <input name=\"%s\" type=\"%s\" dir=\"auto\" value=\"", label, name, type);
    esc(p, value);
    put(p, "\"></label> ");
}

static void move_back(page *p, size_t at, size_t from);

static kh_status render_index(kh_store *store, const web_args *args, page *p, int *status)
{
    int64_t total = -1;
    web_args top = *args;
    const web_args *a = &top;
    /* A store where no story has two independent sources yet (a small or
     * new one) shows its stories in the top order rather than nothing. */
    if (top.top && !top.raw->min_sources && !top.breaking) {
        kh_status rc = kh_store_list_stories_where(store, &top.filter, 0, 0, NULL, NULL, &total);
        if (rc != KH_OK)
            return store_failed(p, rc, status, 0, "the store could not be read");
        if (total == 0)
            top.filter.min_sources = 0;
    }
    /* counted already, unless the filter fell back just now */
    int64_t *count = total > 0 ? NULL : &total;
    p->feed = a->breaking ? "/feed/breaking.atom" : "/feed/top.atom";
    p->feed_args = a;
    int ar = p->ar;
    page_head(p, a->breaking ? (ar ? "عاجل" : "breaking") : (ar ? "القصص" : "stories"),
              ar ? "ar" : "en");
    if (a->filter.name) {
        put(p, ar ? "<h1>القصص التي تذكر " : "<h1>Stories that name ");
        text_el(p, "bdi", NULL, NULL, a->filter.name);
        put(p, "</h1>\n");
    } else if (a->breaking && ar) {
        put(p, "<h1>عاجل</h1>\n<p class=\"meta\">قصص نُشرت أولًا في أحدث يوم في المخزن أو في "
               "اليوم السابق له، رواها على الأقل ");
        put_number(p, (long)a->filter.min_sources, 1);
        put(p, " مصادر مستقلة (وسائل لم تنسخ أيًّا من مقالات القصة الأخرى)، الأكثر مصادر "
               "أولًا.</p>\n");
    } else if (a->breaking) {
        putf(p, "<h1>Breaking</h1>\n<p class=\"meta\">Stories first reported on the newest day "
                "in the store or the day before, told by at least %lld independent sources "
                "(outlets that copy none of the story's other articles), most sources first."
                "</p>\n", (long long)a->filter.min_sources);
    } else {
        put(p, ar ? "<h1>القصص</h1>\n" : "<h1>Stories</h1>\n");
    }
    if (a->filter.name) {
        put(p, "<form class=\"filters\" action=\"/entity/");
        put_path_value(p, a->filter.name);
        put(p, "\" method=\"get\">");
    } else {
        put(p, a->breaking ? "<form class=\"filters\" action=\"/breaking\" method=\"get\">"
                           : "<form class=\"filters\" action=\"/\" method=\"get\">");
    }
    filter_input(p, "q", ar ? "كلمات" : "words", a->raw->q, "search");
    filter_input(p, "lang", ar ? "اللغة" : "language", a->raw->lang, "text");
    filter_input(p, "source", ar ? "المصدر" : "outlet", a->raw->source, "text");
    filter_input(p, "since", ar ? "منذ" : "since", a->raw->since, "date");
    filter_input(p, "until", ar ? "حتى" : "until", a->raw->until, "date");
    filter_input(p, "min_sources", ar ? "المصادر ≥" : "sources ≥", a->raw->min_sources,
                 "number");
    if (a->raw->ui)
        putf(p, "<input type=\"hidden\" name=\"ui\" value=\"%s\">", ar ? "ar" : "en");
    putf(p, "<label>%s <select name=\"view\"><option value=\"top\"%s>%s</option>"
            "<option value=\"all\"%s>%s</option></select></label> <button>%s</button></form>\n",
         ar ? "العرض" : "view", a->top ? " selected" : "", ar ? "الأهم" : "top",
         a->top ? "" : " selected", ar ? "الكل، الأحدث أولًا" : "all, newest first",
         ar ? "اعرض" : "show");
    size_t mark = p->out->len;
    put(p, "<ul class=\"stories\">\n");
    kh_status rc = p->rc == KH_OK
                       ? kh_store_list_stories_where(store, &a->filter,
                                                     (size_t)(a->page_no - 1) * (size_t)a->per_page,
                                                     (size_t)a->per_page, index_story, p, count)
                       : p->rc;
    if (rc != KH_OK && rc != KH_E_STOPPED)
        return store_failed(p, rc, status, 0, "the store could not be read");
    put(p, "</ul>\n");
    /* the count goes above the list, once it is known */
    size_t from = p->out->len;
    put(p, "<p class=\"meta\">");
    if (ar) {
        put(p, "القصص: ");
        put_number(p, (long)total, 1);
        if (a->top && a->filter.min_sources > 0) {
            put(p, "، رواها على الأقل ");
            put_number(p, (long)a->filter.min_sources, 1);
            put(p, " مصادر مستقلة");
        }
        put(p, a->top ? "، حسب اليوم، الأكثر مصادر مستقلة أولًا · <a href=\"/?view=all&amp;"
                        "ui=ar\">الكل، الأحدث أولًا</a>"
                      : "، الأحدث أولًا · <a href=\"/?ui=ar\">الأهم</a>");
    } else if (a->top && a->filter.min_sources > 0) {
        putf(p, "%lld stories told by at least %lld independent source%s, by day, most sources "
                "first · <a href=\"/?view=all\">all stories</a>", (long long)total,
             (long long)a->filter.min_sources, a->filter.min_sources == 1 ? "" : "s");
    } else if (a->top) {
        putf(p, "%lld stories, by day, most independent sources first · <a href=\"/?view=all\">"
                "all, newest first</a>", (long long)total);
    } else {
        putf(p, "%lld stories, newest first · <a href=\"/\">top stories</a>", (long long)total);
    }
    put(p, "</p>\n");
    move_back(p, mark, from);
    if (total == 0)
        put(p, ar ? "<p class=\"empty\">لا قصص هنا بعد: شغّل khabar ingest أو وسّع المرشحات.</p>\n"
                  : "<p class=\"empty\">No stories here yet: run khabar ingest, or widen the "
                    "filters.</p>\n");
    put(p, "<nav class=\"pages\"><span>");
    const char *here = a->filter.name ? NULL : a->breaking ? "/breaking" : "/";
    if (a->page_no > 1) {
        put_here(p, a, here);
        putf(p, "?page=%ld", a->page_no - 1);
        put_args(p, a, "&amp;");
        put(p, ar ? "\">السابق</a>" : "\">← before</a>");
    }
    put(p, "</span><span>");
    if ((int64_t)a->page_no * a->per_page < total) {
        put_here(p, a, here);
        putf(p, "?page=%ld", a->page_no + 1);
        put_args(p, a, "&amp;");
        put(p, ar ? "\">التالي</a>" : "\">after →</a>");
    }
    put(p, "</span></nav>\n");
    page_tail(p);
    *status = 200;
    return p->rc;
}

/* ---- one story: the account from its JSON ------------------------------ */

/*
 * The account is stored as kh_account_json() writes it:
 *   {"headline", "time":{"first","last"}, "sources":[{"id","source","date","title"}],
 *    "first_source":{"id","source","date","basis","same_day":[..],..} or null,
 *    "summary":[{"text","ids":[..]}],
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
    putf(p, "<h2>%s</h2><div class=\"summary\">", W(p, T_SUMMARY));
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
    const json_t *same_day = json_object_get(first, "same_day");
    struct outlet {
        const char *name, *date, *url;
        int n, first, tied;
    } outlets[KHI_WEB_MAX_OUTLETS];
    size_t n_outlets = 0, unknown = 0, more = 0;
    size_t i;
    const json_t *v;
    json_array_foreach(sources, i, v) {
        const char *name = jtext(v, k_source);
        const char *id = jget_str(v, "id");
        int is_first = json_is_true(json_object_get(v, "first")) ||
                       (first_id && id && strcmp(first_id, id) == 0);
        int is_tied = 0;
        size_t t;
        const json_t *tv;
        json_array_foreach(same_day, t, tv) is_tied |=
            id && json_is_string(tv) && strcmp(json_string_value(tv), id) == 0;
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
                                                    jget_str(v, "url"), 0, 0, 0 };
        }
        outlets[k].n++;
        outlets[k].first |= is_first;
        outlets[k].tied |= is_tied;
    }
    putf(p, "<h2>%s</h2><ul class=\"sources\">", W(p, T_SOURCES));
    for (size_t k = 0; k < n_outlets; k++) {
        put(p, "<li>");
        text_el(p, "strong", NULL, NULL, outlets[k].name);
        if (outlets[k].first)
            putf(p, " <span class=\"tag first\">%s</span>", W(p, T_FIRST));
        else if (outlets[k].tied)
            putf(p, " <span class=\"tag first\">%s, %s</span>", W(p, T_FIRST), W(p, T_SAME_DAY));
        if (outlets[k].date) {
            put(p, " <span class=\"meta\">");
            put_date(p, outlets[k].date);
            put(p, "</span>");
        }
        if (outlets[k].n > 1) {
            put(p, " <span class=\"meta\">· ");
            put_count(p, T_N_ARTICLES, (long long)outlets[k].n);
            put(p, "</span>");
        }
        if (is_http_url(outlets[k].url)) {
            put(p, "<br>");
            link_url(p, outlets[k].url);
        }
        put(p, "</li>");
    }
    if (unknown) {
        put(p, "<li class=\"meta\">");
        put_count(p, T_UNKNOWN_SOURCE, (long long)unknown);
        put(p, "</li>");
    }
    if (more) {
        put(p, "<li class=\"meta\">");
        put_count(p, T_OTHER_SOURCES, (long long)more);
        put(p, "</li>");
    }
    put(p, "</ul>\n");
    /* the evidence for the first report, or why none is named */
    const char *basis = jget_str(first, "basis");
    if (basis && strcmp(basis, "time") == 0)
        putf(p, "<p class=\"meta\">%s</p>\n", W(p, T_FIRST_TIME));
    else if (basis && strcmp(basis, "date") == 0)
        putf(p, "<p class=\"meta\">%s</p>\n", W(p, T_FIRST_DATE));
    else if (basis && strcmp(basis, "same_day") == 0)
        putf(p, "<p class=\"meta\">%s</p>\n", W(p, T_FIRST_TIED));
    else if (json_is_null(json_object_get(root, "first_source")) && json_array_size(sources) > 1) {
        long long undated = 0;
        json_array_foreach(sources, i, v) undated += jget_str(v, "date") == NULL;
        put(p, "<p class=\"meta\">");
        put_count2(p, T_NO_FIRST, undated, (long long)json_array_size(sources));
        put(p, "</p>\n");
    }
}

static void account_entities(page *p, const json_t *root, const char *lang)
{
    const json_t *entities = json_object_get(root, "entities");
    if (!json_is_array(entities) || json_array_size(entities) == 0)
        return;
    static const char *const k_name[] = { "name", "text", NULL };
    putf(p, "<h2>%s</h2><ul>", W(p, T_NAMES));
    size_t i;
    const json_t *v;
    json_array_foreach(entities, i, v) {
        const char *name = jtext(v, k_name);
        if (!name)
            continue;
        /* the item takes the page's direction; each text keeps its own */
        put(p, "<li><a href=\"/entity/");
        put_path_value(p, name);
        put(p, "\">");
        text_el(p, "strong", lang, NULL, name);
        put(p, "</a>");
        const char *kind = jget_str(v, "kind");
        if (kind && strcmp(kind, "name") != 0) {
            static const char *const kinds[][2] = { { "person", "شخص" }, { "place", "مكان" },
                                                    { "org", "منظمة" } };
            const char *shown = kind;
            for (size_t k = 0; p->ar && k < sizeof kinds / sizeof kinds[0]; k++)
                if (strcmp(kind, kinds[k][0]) == 0)
                    shown = kinds[k][1];
            put(p, " <span class=\"tag\">");
            esc(p, shown);
            put(p, "</span>");
        }
        const json_t *n = json_is_object(v) ? json_object_get(v, "article_count") : NULL;
        if (!n && json_is_object(v))
            n = json_object_get(v, "articles"); /* stored before doc/formats.md */
        if (json_is_integer(n)) {
            put(p, " <span class=\"meta\">");
            put_count(p, T_IN_N_ARTICLES, (long long)json_integer_value(n));
            put(p, "</span>");
        }
        const json_t *vars = json_is_object(v) ? json_object_get(v, "variants") : NULL;
        if (json_is_array(vars) && json_array_size(vars) > 1) {
            putf(p, "<br><span class=\"meta\">%s</span>", p->ar ? "يكتب:" : "written as:");
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

/* Quotes: the speaker, the words (in quote marks when quoted), the
 * outlets that carry them; at most KHI_WEB_MAX_QUOTES. */
#define KHI_WEB_MAX_QUOTES 12
static void account_quotes(page *p, const json_t *root, const char *lang)
{
    const json_t *quotes = json_object_get(root, "quotes");
    const json_t *sources = json_object_get(root, "sources");
    if (!json_is_array(quotes) || json_array_size(quotes) == 0)
        return;
    putf(p, "<h2>%s</h2><ul class=\"quotes\">", W(p, T_QUOTES));
    size_t i;
    const json_t *v;
    json_array_foreach(quotes, i, v) {
        if (i == KHI_WEB_MAX_QUOTES) break;
        const char *speaker = jget_str(v, "speaker"), *text = jget_str(v, "text");
        const char *kind = jget_str(v, "kind");
        if (!speaker || !text) continue;
        put(p, "<li>");
        text_el(p, "strong", lang, NULL, speaker);
        put(p, ": ");
        int reported = kind && strcmp(kind, "reported") == 0;
        open_text(p, "q", lang, NULL);
        esc(p, text);
        put(p, "</q>");
        if (reported) putf(p, " <span class=\"meta\">(%s)</span>", W(p, T_REPORTED));
        putf(p, " <span class=\"meta\">%s</span>", p->ar ? "بحسب" : "according to");
        id_sources(p, sources, json_object_get(v, "ids"));
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
    putf(p, "<h2>%s</h2><ul>", W(p, T_DIFFER));
    size_t i;
    const json_t *v;
    json_array_foreach(dis, i, v) {
        const char *about = jtext(v, k_about);
        put(p, "<li>");
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
                putf(p, " <span class=\"meta\">%s</span>", p->ar ? "بحسب" : "according to");
                id_sources(p, sources, json_is_object(c) ? json_object_get(c, "ids") : NULL);
                const char *src = jget_str(c, "source");
                if (src) {
                    put(p, " ");
                    text_el(p, "span", NULL, "tag", src);
                }
                const char *sentence = jget_str(c, "sentence");
                if (sentence) { /* the value in its sentence, to check it against */
                    put(p, "<br>");
                    text_el(p, "q", lang, "meta", sentence);
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
    account_quotes(p, root, lang);
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
        put(p, W(p, T_COPY_WHY));
        put(p, "</p>");
        return;
    }
    if (!w.started && w.event_factor > 0 && w.event_factor < 1.0)
        putf(p, W(p, T_JOINED_EVENT), w.score, w.cosine, w.time_factor, w.event_factor);
    else if (!w.started)
        putf(p, W(p, T_JOINED), w.score, w.cosine, w.time_factor);
    else if (w.nearest)
        putf(p, W(p, T_STARTED_NEAR), (unsigned long long)w.nearest,
             (unsigned long long)w.nearest, w.score);
    else
        put(p, W(p, T_STARTED_ALONE));
    for (size_t t = 0; t < w.n_terms; t++) {
        put(p, t ? (p->ar ? "، " : ", ") : W(p, w.started ? T_SHARED : T_ON));
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
    int ui;          /* ?ui=: 1 Arabic, 0 English, -1 the story's language */
    /* The ids of the articles shown so far (ids[i] is anchor a<i+1>), so
     * that a copy links to its original when the original came first. */
    char **ids;
    size_t n_ids, cap_ids;
    /* for the timeline, parallel to ids: minutes since 1970 (-1: undated),
     * outlet (NULL: none; owned), and whether it is a copy */
    long long *minutes;
    char **outlets;
    unsigned char *copies;
    size_t timeline_at;      /* where in the page the timeline goes */
} story_view;

static void story_view_free(story_view *v)
{
    for (size_t i = 0; i < v->n_ids; i++) {
        free(v->ids[i]);
        free(v->outlets[i]);
    }
    free(v->ids);
    free(v->minutes);
    free(v->outlets);
    free(v->copies);
}

/* Minutes since 1970 of a stored date ("2015-08-02", "...T10:30"); -1
 * when it is none. */
static long long date_minutes(const char *iso)
{
    if (!iso || strlen(iso) < 10 || !is_day_prefix(iso))
        return -1;
    long y = strtol(iso, NULL, 10), m = strtol(iso + 5, NULL, 10), d = strtol(iso + 8, NULL, 10);
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    long long min = (long long)khi_days_from_civil((int)y, (int)m, (int)d) * 1440;
    if (strlen(iso) >= 16 && iso[10] == 'T' && iso[13] == ':')
        min += strtol(iso + 11, NULL, 10) * 60 + strtol(iso + 14, NULL, 10);
    return min;
}

/* Remembers the article shown as anchor a<n_ids+1>; out of memory only
 * costs the link. */
static void story_view_keep(story_view *v, const kh_store_article *a)
{
    if (v->n_ids == v->cap_ids) {
        size_t cap = v->cap_ids ? v->cap_ids * 2 : 16;
        char **ids = realloc(v->ids, cap * sizeof *ids);
        if (ids)
            v->ids = ids;
        long long *minutes = ids ? realloc(v->minutes, cap * sizeof *minutes) : NULL;
        if (minutes)
            v->minutes = minutes;
        char **outlets = minutes ? realloc(v->outlets, cap * sizeof *outlets) : NULL;
        if (outlets)
            v->outlets = outlets;
        unsigned char *copies = outlets ? realloc(v->copies, cap * sizeof *copies) : NULL;
        if (!copies)
            return;
        v->copies = copies;
        v->cap_ids = cap;
    }
    char *copy = strdup(a->id ? a->id : "");
    char *outlet = a->source && *a->source ? strdup(a->source) : NULL;
    if (!copy || (a->source && *a->source && !outlet)) {
        free(copy);
        free(outlet);
        return;
    }
    v->ids[v->n_ids] = copy;
    v->outlets[v->n_ids] = outlet;
    v->minutes[v->n_ids] = date_minutes(a->date);
    v->copies[v->n_ids] = a->copy_of && *a->copy_of;
    v->n_ids++;
}

/* The story's reports over time, one row per outlet (most reports first,
 * at most TIMELINE_ROWS), as inline SVG: no script, no external asset. An
 * original is a filled dot, a copy a ring; each links to its article. */
#define TIMELINE_ROWS 12
static void timeline_svg(page *p, const story_view *v)
{
    long long lo = -1, hi = -1;
    size_t dated = 0;
    for (size_t i = 0; i < v->n_ids; i++) {
        long long m = v->minutes[i];
        if (m < 0 || !v->outlets[i])
            continue;
        dated++;
        if (lo < 0 || m < lo) lo = m;
        if (hi < 0 || m > hi) hi = m;
    }
    if (dated < 2)
        return;
    /* outlets by reports, most first (a small story: quadratic is fine,
     * and the rows are capped) */
    const char *rows[TIMELINE_ROWS];
    size_t counts[TIMELINE_ROWS], n_rows = 0;
    for (size_t i = 0; i < v->n_ids; i++) {
        if (v->minutes[i] < 0 || !v->outlets[i])
            continue;
        size_t k = 0;
        while (k < n_rows && strcmp(rows[k], v->outlets[i]) != 0)
            k++;
        if (k < n_rows) {
            counts[k]++;
        } else if (n_rows < TIMELINE_ROWS) {
            rows[n_rows] = v->outlets[i];
            counts[n_rows++] = 1;
        }
    }
    for (size_t a = 1; a < n_rows; a++)
        for (size_t b = a; b > 0 && counts[b] > counts[b - 1]; b--) {
            size_t c = counts[b]; counts[b] = counts[b - 1]; counts[b - 1] = c;
            const char *r = rows[b]; rows[b] = rows[b - 1]; rows[b - 1] = r;
        }
    const int left = 130, width = 600, row_h = 22, top = 8;
    int height = top + (int)n_rows * row_h + 24;
    double span = hi > lo ? (double)(hi - lo) : 1.0;
    putf(p, "<h2>%s</h2>\n<svg class=\"timeline\" dir=\"ltr\" role=\"img\" viewBox=\"0 0 %d %d\" "
            "xmlns=\"http://www.w3.org/2000/svg\">", p->ar ? "الخط الزمني" : "Timeline", width,
         height);
    for (size_t k = 0; k < n_rows; k++) {
        int y = top + (int)k * row_h + row_h / 2;
        putf(p, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e4e1da\"/>", left, y,
             width - 10, y);
        putf(p, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" "
                "dominant-baseline=\"middle\">", left - 6, y);
        /* a long name is cut at a code point boundary */
        size_t len = strlen(rows[k]);
        if (len > 40) {
            len = 40;
            while (len && ((unsigned char)rows[k][len] & 0xC0) == 0x80)
                len--;
        }
        esc_n(p, rows[k], len);
        put(p, "</text>");
    }
    for (size_t i = 0; i < v->n_ids; i++) {
        if (v->minutes[i] < 0 || !v->outlets[i])
            continue;
        size_t k = 0;
        while (k < n_rows && strcmp(rows[k], v->outlets[i]) != 0)
            k++;
        if (k == n_rows)
            continue;
        int x = left + 8 + (int)((double)(v->minutes[i] - lo) / span * (width - left - 26));
        int y = top + (int)k * row_h + row_h / 2;
        putf(p, "<a href=\"#a%zu\"><circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"%s\" "
                "stroke=\"#a33\" stroke-width=\"2\"><title>", i + 1, x, y,
             v->copies[i] ? "#fff" : "#a33");
        esc(p, v->outlets[i]);
        put(p, v->copies[i] ? (p->ar ? " (نسخة)" : " (copy)") : "");
        put(p, "</title></circle></a>");
    }
    int base = top + (int)n_rows * row_h + 16;
    putf(p, "<text x=\"%d\" y=\"%d\" font-size=\"11\">", left + 8, base);
    put_span_date(p, lo);
    putf(p, "</text><text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">", width - 10,
         base);
    put_span_date(p, hi);
    put(p, "</text></svg>\n");
}

/* Moves the bytes from `from` to the end of the page back to `at`: what
 * can only be written once the rest is known (a count, a feed's time)
 * goes where it is read first. */
static void move_back(page *p, size_t at, size_t from)
{
    if (p->rc != KH_OK || from <= at || from > p->out->len)
        return;
    size_t n = p->out->len - from;
    char *tmp = malloc(n ? n : 1);
    if (!tmp) {
        p->rc = KH_E_NOMEM;
        return;
    }
    memcpy(tmp, p->out->data + from, n);
    memmove(p->out->data + at + n, p->out->data + at, from - at);
    memcpy(p->out->data + at, tmp, n);
    free(tmp);
}

/* The anchor number of an article already shown, else 0. */
static size_t story_view_anchor(const story_view *v, const char *id)
{
    for (size_t i = 0; id && i < v->n_ids; i++)
        if (strcmp(v->ids[i], id) == 0)
            return i + 1;
    return 0;
}

/* The story's provenance under its heading: how many outlets ran the same
 * wire text and how many sources are independent of each other. */
static void story_provenance(page *p, const kh_store_story *s)
{
    if (s->independent_sources <= 0)
        return; /* stored before the store kept provenance */
    put(p, "<p class=\"prov\">");
    if (s->wire && *s->wire && s->wire_outlets > 0) {
        if (p->ar) {
            put(p, "نص ");
            text_el(p, "span", NULL, "tag", s->wire);
            put(p, " في وسائل عددها ");
            put_number(p, (long)s->wire_outlets, 1);
            put(p, " · ");
        } else {
            putf(p, "%lld outlet%s ran the ", (long long)s->wire_outlets,
                 s->wire_outlets == 1 ? "" : "s");
            text_el(p, "span", NULL, "tag", s->wire);
            put(p, " wire · ");
        }
    }
    if (p->ar) {
        put(p, "مصادر مستقلة: ");
        put_number(p, (long)s->independent_sources, 1);
        put(p, "</p>\n");
    } else {
        putf(p, "%lld independent source%s</p>\n", (long long)s->independent_sources,
             s->independent_sources == 1 ? "" : "s");
    }
}

static int story_head(void *user, const kh_store_story *s)
{
    story_view *v = user;
    page *p = v->p;
    /* the page speaks the story's language where it can, unless ?ui= says */
    p->ar = v->ui >= 0 ? v->ui : (s->lang && strcmp(s->lang, "ar") == 0);
    page_head(p, s->headline && *s->headline ? s->headline : "story", s->lang);
    text_el(p, "h1", s->lang, NULL, s->headline && *s->headline ? s->headline : "(no headline)");
    story_meta(p, s);
    put(p, "\n");
    story_provenance(p, s);
    render_account(p, s->account_json, s->lang);
    v->timeline_at = p->out->len;
    putf(p, "<h2>%s</h2>\n", W(p, T_ARTICLES));
    return p->rc != KH_OK;
}

#define FOLD_AFTER 10

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
        put(p, " ");
        put_date(p, a->date);
    }
    if (is_http_url(a->url)) {
        put(p, "<br>");
        link_url(p, a->url);
    }
    put(p, "</div>");
    why_line(p, a->why);
    /* A copy's text is its original's: folded, so that a wire story run
     * by ten outlets reads once. */
    int copy = a->copy_of && *a->copy_of;
    if (copy) {
        put(p, "<details class=\"copy\"><summary>");
        const char *rel = a->copy_relation && *a->copy_relation ? a->copy_relation : "";
        if (p->ar) {
            static const char *const names[][2] = { { "exact", "مطابقة" },
                                                    { "near", "شبه مطابقة" },
                                                    { "contained", "جزئية" },
                                                    { "extended", "موسّعة" } };
            const char *ar_rel = NULL;
            for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
                if (strcmp(rel, names[i][0]) == 0)
                    ar_rel = names[i][1];
            put(p, "نسخة ");
            if (ar_rel) {
                put(p, ar_rel);
                put(p, " ");
            }
            put(p, "من ");
        } else {
            esc(p, *rel ? rel : "a");
            put(p, " copy of ");
        }
        size_t anchor = story_view_anchor(v, a->copy_of);
        if (anchor)
            putf(p, "<a href=\"#a%zu\">", anchor);
        text_el(p, "span", NULL, NULL, a->copy_of);
        if (anchor)
            put(p, "</a>");
        if (a->wire && *a->wire) {
            put(p, p->ar ? " (نص " : " (");
            text_el(p, "span", NULL, NULL, a->wire);
            put(p, p->ar ? ")" : " wire)");
        }
        putf(p, " — %s</summary>", W(p, T_SHOW_TEXT));
    }
    /* past the first FOLD_AFTER articles a long story's texts are folded:
     * the reader sees who reported what, and opens the text they want */
    int folded = !copy && v->articles > FOLD_AFTER;
    if (folded)
        putf(p, "<details class=\"copy\"><summary>%s</summary>", W(p, T_SHOW_TEXT));
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
    put(p, copy || folded ? "</div></details></article>\n" : "</div></article>\n");
    story_view_keep(v, a);
    return p->rc != KH_OK;
}

/* ---- the same event in other languages -------------------------------------- */

#define LINK_DAYS 3         /* the link window, each side of a story's dates */
#define LINK_CANDIDATES 300 /* other languages' stories a page reads, at most */

typedef struct story_dates {
    char first[KH_DATE_ISO_MAX], last[KH_DATE_ISO_MAX];
    char lang[16];
} story_dates;

static int dates_row(void *user, const kh_store_story *s)
{
    story_dates *d = user;
    snprintf(d->first, sizeof d->first, "%s", s->first ? s->first : "");
    snprintf(d->last, sizeof d->last, "%s", s->last ? s->last : "");
    snprintf(d->lang, sizeof d->lang, "%s", s->lang ? s->lang : "");
    return 0;
}

static int no_article(void *user, const kh_store_article *a)
{
    (void)user;
    (void)a;
    return 0;
}

/* The day days away from an ISO date's day, as "YYYY-MM-DD"; 0 when the
 * date does not read. */
static int day_moved(const char *iso, int days, char *out, size_t out_size)
{
    int64_t t;
    if (!iso[0] || kh_story_parse_date(iso, strlen(iso), &t) != KH_OK)
        return 0;
    t += (int64_t)days * 86400;
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, out_size, "%Y-%m-%d", &tm);
    return 1;
}

/* Links story id with the stored stories of other languages within
 * LINK_DAYS of its dates: all its page needs to name its event in other
 * languages (the store keeps no links; its own language's stories are not
 * read, so a set shows the stories linked with it directly). *out is NULL
 * for an undated story. */
static kh_status window_linker(kh_store *store, kh_ctx *ctx, int64_t id, kh_linker **out)
{
    *out = NULL;
    story_dates d;
    memset(&d, 0, sizeof d);
    int found = 0;
    KHI_FORWARD_IF_ERROR(kh_store_get_story(store, id, &found, dates_row, no_article, &d));
    char since[16], until[16];
    if (!found || !day_moved(d.first, -LINK_DAYS, since, sizeof since) ||
        !day_moved(d.last[0] ? d.last : d.first, LINK_DAYS, until, sizeof until))
        return KH_OK;
    /* Only the other languages' stories are read, and of those the
     * LINK_CANDIDATES told by the most sources: a page of a store's rare
     * language does not read the whole window of its common one. */
    kh_store_story_filter f;
    memset(&f, 0, sizeof f);
    f.since = since;
    f.until = until;
    f.not_lang = d.lang[0] ? d.lang : NULL;
    f.top = 1;
    /* most pages have no story of another language in their days: no
     * linker then, and no article read */
    int others = 0;
    if (f.not_lang)
        KHI_FORWARD_IF_ERROR(kh_store_other_lang(store, f.not_lang, since, until, &others));
    if (!others)
        return KH_OK;
    kh_linker *lk = NULL;
    kh_status rc = kh_linker_create(ctx, NULL, &lk);
    if (rc == KH_OK)
        rc = khi_link_add_stored_for(lk, store, &f, id, LINK_CANDIDATES);
    if (rc == KH_OK)
        rc = kh_link_run(lk);
    if (rc != KH_OK)
        kh_linker_free(lk);
    else
        *out = lk;
    return rc;
}

/* The section of a story page that names its event's stories in other
 * languages, each with its headline in its language, and what links them;
 * the headline in the reader's language first when the page asks one
 * (?ui=). Nothing when the story is linked to none. */
static void story_links(page *p, const kh_linker *lk, int64_t id, int ui)
{
    kh_link_info li;
    if (!lk || kh_link_get(lk, (uint64_t)id, &li) != KH_OK || !li.set)
        return;
    putf(p, "<section class=\"links\"><h2>%s</h2>\n", W(p, T_OTHER_LANGS));
    if (ui >= 0) {
        kh_lang reader = ui ? KH_LANG_AR : KH_LANG_EN;
        const char *h = kh_link_headline(lk, (uint64_t)id, reader);
        if (h)
            text_el(p, "p", kh_lang_code(reader), "headline", h);
    }
    put(p, "<ul>\n");
    for (size_t i = 0; i < li.n_stories; i++) {
        if (li.stories[i] == (uint64_t)id)
            continue;
        const char *code = kh_lang_code(li.langs[i]);
        putf(p, "<li><a href=\"/story/%llu\">", (unsigned long long)li.stories[i]);
        const kh_lang own = li.langs[i];
        const char *h = kh_link_headline(lk, li.stories[i], own);
        open_text(p, "span", code, NULL);
        esc(p, h ? h : "(no headline)");
        putf(p, "</span></a> (%s)</li>\n", code);
    }
    put(p, "</ul>\n<p>");
    putf(p, W(p, T_LINK_SHARED), li.score);
    const char *const *lists[3] = { li.names, li.numbers, li.dates };
    size_t counts[3] = { li.n_names, li.n_numbers, li.n_dates };
    int any = 0;
    for (int l = 0; l < 3; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            if (any++)
                put(p, p->ar ? "، " : ", ");
            esc(p, lists[l][i]);
        }
    put(p, "</p></section>\n");
}

static kh_status render_story(kh_store *store, int64_t id, int ui, page *p, int *status)
{
    story_view v;
    memset(&v, 0, sizeof v);
    v.p = p;
    v.ui = ui;
    int found;
    kh_linker *lk = NULL;
    kh_status rc = window_linker(store, p->out->ctx, id, &lk);
    if (rc == KH_OK)
        rc = kh_store_get_story(store, id, &found, story_head, story_article, &v);
    if (rc == KH_OK && found && p->rc == KH_OK) {
        /* drawn once every article is known, shown above them */
        size_t from = p->out->len;
        timeline_svg(p, &v);
        move_back(p, v.timeline_at, from);
        from = p->out->len;
        story_links(p, lk, id, ui);
        move_back(p, v.timeline_at, from);
    }
    kh_linker_free(lk);
    story_view_free(&v);
    if (rc == KH_OK && !found) {
        *status = 404;
        error_page(p, 404, "There is no such story.");
        return p->rc;
    }
    if (rc != KH_OK && p->rc == KH_OK)
        return store_failed(p, rc, status, 0, "the store could not be read");
    if (v.articles == 0)
        putf(p, "<p class=\"empty\">%s</p>\n", W(p, T_NO_ARTICLES));
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
        put(p, " ");
        put_date(p, a->date);
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

static kh_status render_search(kh_store *store, const web_args *a, page *p, int *status)
{
    const char *q = a->raw->q;
    long page_no = a->page_no;
    if (q && *q) { /* the search's own feed */
        p->feed = "/feed/search.atom";
        p->feed_args = a;
    }
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
    /* 0 independent sources: stored before the store kept provenance */
    if (s->independent_sources > 0)
        putf(p, ",\"independent_sources\":%lld", (long long)s->independent_sources);
    else
        put(p, ",\"independent_sources\":null");
    jput_str(p, "wire", s->wire, 1);
    putf(p, ",\"wire_outlets\":%lld", (long long)(s->wire_outlets > 0 ? s->wire_outlets : 0));
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

static kh_status render_api_stories(kh_store *store, const web_args *a, page *p, int *status)
{
    json_view v = { p, 0 };
    int64_t total = -1;
    put(p, "{\"page\":");
    size_t hole = p->out->len; /* the header is written once total is known */
    put(p, ",\"stories\":[");
    kh_status rc = p->rc == KH_OK
                       ? kh_store_list_stories_where(store, &a->filter,
                                                     (size_t)(a->page_no - 1) * (size_t)a->per_page,
                                                     (size_t)a->per_page, json_list_story, &v,
                                                     &total)
                       : p->rc;
    if (rc != KH_OK && p->rc == KH_OK)
        return store_failed(p, rc, status, 1, "the store could not be read");
    put(p, "]}\n");
    size_t from = p->out->len;
    putf(p, "%ld,\"per_page\":%ld,\"total\":%lld,\"view\":\"%s\"", a->page_no, a->per_page,
         (long long)total, a->top ? "top" : "all");
    move_back(p, hole, from);
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

/* Opens an article's object in a JSON list with the keys every listing of
 * articles shares (id, title, source, date, url, lang). */
static void json_article_open(json_view *v, const kh_store_article *a)
{
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
}

static int json_story_article(void *user, const kh_store_article *a)
{
    json_view *v = user;
    page *p = v->p;
    json_article_open(v, a);
    jput_str(p, "dateline", a->dateline, 1);
    jput_str(p, "dateline_agency", a->dateline_agency, 1);
    jput_str(p, "author", a->author, 1);
    jput_str(p, "date_source", a->date_source, 1);
    jput_str(p, "copy_of", a->copy_of, 1);
    jput_str(p, "relation", a->copy_of ? a->copy_relation : NULL, 1);
    jput_str(p, "wire", a->wire, 1);
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

static kh_status render_api_story(kh_store *store, int64_t id, int ui, page *p, int *status)
{
    json_view v = { p, 0 };
    int found = 0;
    kh_linker *lk = NULL;
    kh_status rc = window_linker(store, p->out->ctx, id, &lk);
    if (rc == KH_OK)
        rc = kh_store_get_story(store, id, &found, json_story_head, json_story_article, &v);
    if (rc == KH_OK && !found) {
        kh_linker_free(lk);
        *status = 404;
        put(p, "{\"error\":\"no such story\",\"code\":404}\n");
        return p->rc;
    }
    if (rc != KH_OK && p->rc == KH_OK) {
        kh_linker_free(lk);
        return store_failed(p, rc, status, 1, "the store could not be read");
    }
    /* the event in other languages, its headline in the reader's (?ui=) */
    put(p, "],\"link\":");
    kh_link_info li;
    if (lk && kh_link_get(lk, (uint64_t)id, &li) == KH_OK && li.set) {
        kh_lang reader = li.langs[0];
        for (size_t i = 0; i < li.n_stories; i++)
            if (li.stories[i] == (uint64_t)id) reader = li.langs[i];
        if (ui >= 0)
            reader = ui ? KH_LANG_AR : KH_LANG_EN;
        if (p->rc == KH_OK)
            p->rc = kh_link_json(lk, (uint64_t)id, reader, p->out);
    } else {
        put(p, "null");
    }
    put(p, "}\n");
    kh_linker_free(lk);
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

/* ---- /api/search ------------------------------------------------------------- */

static void jput_str(page *p, const char *key, const char *value, int comma);

static int json_search_hit(void *user, const kh_store_hit *h)
{
    json_view *v = user;
    page *p = v->p;
    const kh_store_article *a = h->article;
    json_article_open(v, a);
    if (a->story_id)
        putf(p, ",\"story\":%lld", (long long)a->story_id);
    else
        put(p, ",\"story\":null");
    /* the snippet as text; where the words matched, as code point spans */
    const char *sn = h->snippet ? h->snippet : "";
    char *text = malloc(strlen(sn) + 1);
    if (!text) {
        p->rc = KH_E_NOMEM;
        return 1;
    }
    char spans[512];
    size_t used = 0, cps = 0, open_at = 0, n = 0;
    spans[0] = 0;
    for (const char *c = sn; *c; c++) {
        if (*c == KH_STORE_MARK_OPEN) {
            open_at = cps;
        } else if (*c == KH_STORE_MARK_CLOSE) {
            if (used + 48 < sizeof spans)
                used += (size_t)snprintf(spans + used, sizeof spans - used, "%s[%zu,%zu]",
                                         used ? "," : "", open_at, cps);
        } else {
            text[n++] = *c;
            cps += ((unsigned char)*c & 0xC0) != 0x80;
        }
    }
    put(p, ",\"snippet\":");
    if (p->rc == KH_OK)
        p->rc = kh_buf_json_string(p->out, text, n);
    free(text);
    putf(p, ",\"matches\":[%s]", spans);
    putf(p, ",\"rank\":%.4f}", h->rank);
    return p->rc != KH_OK;
}

static kh_status render_api_search(kh_store *store, const web_args *a, page *p, int *status)
{
    const char *q = a->raw->q;
    json_view v = { p, 0 };
    putf(p, "{\"page\":%ld,\"per_page\":%ld,", a->page_no, a->per_page);
    jput_str(p, "q", q, 0);
    put(p, ",\"hits\":[");
    if (q && *q) {
        kh_status rc = kh_store_search(store, q, strlen(q),
                                       (size_t)(a->page_no - 1) * (size_t)a->per_page,
                                       (size_t)a->per_page, json_search_hit, &v);
        if (rc != KH_OK && rc != KH_E_STOPPED && p->rc == KH_OK)
            return store_failed(p, rc, status, 1, "the search failed");
    }
    put(p, "]}\n");
    *status = 200;
    return p->rc;
}

/* ---- Atom feeds (RFC 4287) --------------------------------------------------- */

/* Text for XML: escaped, and without what XML 1.0 forbids in a document
 * (C0 controls other than tab and newlines, U+FFFE and U+FFFF). */
static void xml_esc(page *p, const char *s)
{
    const char *run = s;
    for (const char *c = s; c && *c; c++) {
        size_t skip = (unsigned char)*c < 0x20 && *c != '\t' && *c != '\n' && *c != '\r' ? 1
                      : (unsigned char)c[0] == 0xEF && (unsigned char)c[1] == 0xBF &&
                                ((unsigned char)c[2] == 0xBE || (unsigned char)c[2] == 0xBF)
                          ? 3 : 0;
        if (skip) {
            esc_n(p, run, (size_t)(c - run));
            run = c + skip;
            c += skip - 1;
        }
    }
    if (run)
        esc(p, run);
}

/* An RFC 3339 time from a stored ISO date ("2015-08-02", with "T10:00"),
 * else from Unix seconds. Stored times carry no zone: read as UTC. */
static void atom_time(page *p, const char *iso, int64_t unix_s)
{
    char out[32];
    size_t n = iso ? strlen(iso) : 0;
    if (n >= 16 && is_day_prefix(iso) && iso[10] == 'T') {
        snprintf(out, sizeof out, "%.16s:00Z", iso);
    } else if (n == 10 && is_day_prefix(iso)) {
        snprintf(out, sizeof out, "%sT00:00:00Z", iso);
    } else {
        time_t t = (time_t)unix_s;
        struct tm tm;
        if (!gmtime_r(&t, &tm))
            memset(&tm, 0, sizeof tm);
        strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    put(p, out);
}

typedef struct feed_view {
    page *p;
    char updated[32];   /* the latest entry's time: the feed's */
    const char *q;      /* a search feed's words */
} feed_view;

static int feed_entry(void *user, const kh_store_story *s)
{
    feed_view *v = user;
    page *p = v->p;
    putf(p, "<entry><id>urn:khabar:story:%lld</id><title type=\"text\">", (long long)s->id);
    xml_esc(p, s->headline && *s->headline ? s->headline : "(no headline)");
    putf(p, "</title><link rel=\"alternate\" type=\"text/html\" href=\"/story/%lld\"/><updated>",
         (long long)s->id);
    size_t at = p->out->len;
    atom_time(p, s->last, s->updated_at);
    if (p->rc == KH_OK && p->out->len - at < sizeof v->updated &&
        memcmp(p->out->data + at, v->updated, p->out->len - at) > 0) {
        memcpy(v->updated, p->out->data + at, p->out->len - at);
        v->updated[p->out->len - at] = '\0';
    }
    putf(p, "</updated><summary type=\"text\">%lld article%s", (long long)s->n_articles,
         s->n_articles == 1 ? "" : "s");
    if (s->independent_sources > 0)
        putf(p, ", %lld independent source%s", (long long)s->independent_sources,
             s->independent_sources == 1 ? "" : "s");
    if (s->sources && *s->sources) {
        put(p, ": ");
        for (const char *c = s->sources; *c && p->rc == KH_OK; c++) {
            const char *e = strchr(c, '\n');
            size_t len = e ? (size_t)(e - c) : strlen(c);
            char tmp[256];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(len < 255 ? len : 255), c);
            if (c != s->sources)
                put(p, ", ");
            xml_esc(p, tmp);
            c += len;
            if (!e)
                break;
        }
    }
    put(p, "</summary></entry>\n");
    return p->rc != KH_OK;
}

/* A feed's head, up to the value of its <updated>, which only its
 * entries know: the returned offset is where feed_close() puts it. title
 * is plain text, then more (may be NULL) escaped; the feed's id is its
 * kind and arguments; alternate (may be NULL) is the page it follows. */
static size_t feed_open(page *p, const web_args *a, const char *title, const char *more,
                        const char *kind, const char *self, const char *alternate)
{
    put(p, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
           "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
    put(p, title);
    if (more)
        xml_esc(p, more);
    put(p, "</title>\n<id>urn:khabar:feed:");
    put(p, kind);
    put_args(p, a, "?");
    put(p, "</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
    put(p, self);
    put_args(p, a, "?");
    if (alternate) {
        put(p, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
        put(p, alternate);
        put_args(p, a, "?");
    }
    put(p, "\"/>\n<author><name>khabar</name></author>\n<updated>");
    size_t hole = p->out->len;
    put(p, "</updated>\n");
    return hole;
}

/* Ends a feed, its <updated> the latest of its entries'. */
static kh_status feed_close(page *p, size_t hole, const feed_view *v, int *status)
{
    put(p, "</feed>\n");
    size_t from = p->out->len;
    put(p, v->updated);
    move_back(p, hole, from);
    *status = 200;
    return p->rc;
}

/* An entry per article a search finds, its story the entry's link. */
static int feed_hit(void *user, const kh_store_hit *h)
{
    feed_view *v = user;
    page *p = v->p;
    const kh_store_article *a = h->article;
    /* an id may hold any character: the entry's id is a hash of it */
    putf(p, "<entry><id>urn:khabar:article:%016llx</id><title type=\"text\">",
         (unsigned long long)XXH3_64bits(a->id, strlen(a->id)));
    xml_esc(p, a->title && *a->title ? a->title : a->id);
    put(p, "</title>");
    if (a->story_id) {
        putf(p, "<link rel=\"alternate\" type=\"text/html\" href=\"/story/%lld\"/>",
             (long long)a->story_id);
    } else {
        put(p, "<link rel=\"alternate\" type=\"text/html\" href=\"/search?q=");
        put_query_value(p, v->q);
        put(p, "\"/>");
    }
    if (a->source && *a->source) {
        put(p, "<author><name>");
        xml_esc(p, a->source);
        put(p, "</name></author>");
    }
    put(p, "<updated>");
    size_t at = p->out->len;
    atom_time(p, a->date, 0);
    if (p->rc == KH_OK && p->out->len - at < sizeof v->updated &&
        memcmp(p->out->data + at, v->updated, p->out->len - at) > 0) {
        memcpy(v->updated, p->out->data + at, p->out->len - at);
        v->updated[p->out->len - at] = '\0';
    }
    /* the snippet's match marks are control bytes, which xml_esc() drops */
    put(p, "</updated><summary type=\"text\">");
    xml_esc(p, h->snippet ? h->snippet : "");
    put(p, "</summary></entry>\n");
    return p->rc != KH_OK;
}

/* /feed/search.atom?q=WORDS: what /search finds, best first, as Atom. */
static kh_status render_search_feed(kh_store *store, const web_args *a, page *p, int *status)
{
    feed_view v = { p, "1970-01-01T00:00:00Z", a->raw->q };
    size_t hole = feed_open(p, a, "khabar: search: ", v.q, "search", "/feed/search.atom", "/search");
    kh_status rc = p->rc == KH_OK
                       ? kh_store_search(store, v.q, strlen(v.q),
                                         (size_t)(a->page_no - 1) * (size_t)a->per_page,
                                         (size_t)a->per_page, feed_hit, &v)
                       : p->rc;
    if (rc != KH_OK && rc != KH_E_STOPPED && p->rc == KH_OK)
        return store_failed(p, rc, status, 0, "the search failed");
    return feed_close(p, hole, &v, status);
}

static kh_status render_feed(kh_store *store, const web_args *a, page *p, int *status)
{
    feed_view v = { p, "1970-01-01T00:00:00Z", NULL };
    size_t hole = feed_open(p, a,
                            a->breaking ? "khabar: breaking"
                            : a->top    ? "khabar: top stories"
                                        : "khabar: stories",
                            NULL, a->breaking ? "breaking" : a->top ? "top" : "all",
                            a->breaking ? "/feed/breaking.atom" : "/feed/top.atom", NULL);
    int64_t total = -1;
    kh_status rc = p->rc == KH_OK
                       ? kh_store_list_stories_where(store, &a->filter,
                                                     (size_t)(a->page_no - 1) * (size_t)a->per_page,
                                                     (size_t)a->per_page, feed_entry, &v, &total)
                       : p->rc;
    if (rc != KH_OK && p->rc == KH_OK)
        return store_failed(p, rc, status, 0, "the store could not be read");
    return feed_close(p, hole, &v, status);
}

/* ---- dispatch ------------------------------------------------------------------ */

/* A 400 for a bad argument: JSON {"error", "code"} under /api/, else a page. */
static kh_status bad_args(page *p, const char *path, const char *why, int *http_status,
                          const char **content_type)
{
    *http_status = 400;
    if (strncmp(path, "/api/", 5) == 0) {
        *content_type = content_json;
        put(p, "{\"error\":");
        if (p->rc == KH_OK)
            p->rc = kh_buf_json_string(p->out, why, strlen(why));
        put(p, ",\"code\":400}\n");
    } else {
        error_page(p, 400, why);
    }
    return p->rc;
}

kh_status kh_web_render_params(kh_store *store, const char *path, const kh_web_params *params,
                               kh_buf *out, int *http_status, const char **content_type)
{
    page p = { out, KH_OK, NULL, NULL, 0 };
    *http_status = 500;
    *content_type = content_html;
    if (!path || path[0] != '/') {
        *http_status = 400;
        error_page(&p, 400, "bad request path");
        return p.rc;
    }
    int breaking = strcmp(path, "/breaking") == 0 || strcmp(path, "/feed/breaking.atom") == 0;
    int top = breaking || strcmp(path, "/") == 0 || strcmp(path, "/feed/top.atom") == 0;
    web_args a;
    const char *why = parse_args(params, top, &a);
    if (why)
        return bad_args(&p, path, why, http_status, content_type);
    if (breaking)
        breaking_args(&a);
    const char *query = a.raw->q;
    p.ar = a.ui == 1;
    int list = top || strcmp(path, "/api/stories") == 0 || strncmp(path, "/entity/", 8) == 0 ||
               strncmp(path, "/api/entity/", 12) == 0;
    if (list && (why = list_args_bad(&a)) != NULL)
        return bad_args(&p, path, why, http_status, content_type);
    if (strcmp(path, "/") == 0 || strcmp(path, "/breaking") == 0)
        return render_index(store, &a, &p, http_status);
    int api_entity = strncmp(path, "/api/entity/", 12) == 0;
    if (api_entity || strncmp(path, "/entity/", 8) == 0) {
        const char *name = path + (api_entity ? 12 : 8);
        if (!*name || strlen(name) > 200 || kh_utf8_check(name, strlen(name), NULL) != KH_OK)
            return bad_args(&p, path, "the name must be UTF-8, 1 to 200 bytes", http_status,
                            content_type);
        a.filter.name = name;
        if (!a.raw->view && !a.raw->min_sources) { /* every story that names it, newest first */
            a.top = a.filter.top = 0;
            a.filter.min_sources = 0;
        }
        if (!api_entity)
            return render_index(store, &a, &p, http_status);
        *content_type = content_json;
        return render_api_stories(store, &a, &p, http_status);
    }
    if (strcmp(path, "/feed/top.atom") == 0 || strcmp(path, "/feed/breaking.atom") == 0) {
        *content_type = content_atom;
        return render_feed(store, &a, &p, http_status);
    }
    if (strcmp(path, "/feed/search.atom") == 0) {
        if (!query || !*query)
            return bad_args(&p, path, "q (the words to search for) is required", http_status,
                            content_type);
        if (strlen(query) > KHI_WEB_MAX_QUERY)
            return bad_args(&p, path, "q is too long", http_status, content_type);
        if (kh_utf8_check(query, strlen(query), NULL) != KH_OK)
            return bad_args(&p, path, "q is not valid UTF-8", http_status, content_type);
        if (!a.per_page_given)
            a.per_page = KHI_WEB_SEARCH_SIZE;
        *content_type = content_atom;
        return render_search_feed(store, &a, &p, http_status);
    }
    if (strncmp(path, "/story/", 7) == 0) {
        int64_t id = parse_id(path + 7);
        if (id == 0) {
            *http_status = 404;
            error_page(&p, 404, "There is no such story.");
            return p.rc;
        }
        return render_story(store, id, a.ui, &p, http_status);
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
        return render_search(store, &a, &p, http_status);
    }
    if (strcmp(path, "/api/stories") == 0) {
        *content_type = content_json;
        return render_api_stories(store, &a, &p, http_status);
    }
    if (strcmp(path, "/api/search") == 0) {
        if (query && strlen(query) > KHI_WEB_MAX_QUERY)
            return bad_args(&p, path, "q is too long", http_status, content_type);
        if (query && kh_utf8_check(query, strlen(query), NULL) != KH_OK)
            return bad_args(&p, path, "q is not valid UTF-8", http_status, content_type);
        *content_type = content_json;
        return render_api_search(store, &a, &p, http_status);
    }
    if (strncmp(path, "/api/story/", 11) == 0) {
        *content_type = content_json;
        int64_t id = parse_id(path + 11);
        if (id == 0) {
            *http_status = 404;
            put(&p, "{\"error\":\"no such story\",\"code\":404}\n");
            return p.rc;
        }
        return render_api_story(store, id, a.ui, &p, http_status);
    }
    *http_status = 404;
    if (strncmp(path, "/api/", 5) == 0) {
        *content_type = content_json;
        put(&p, "{\"error\":\"no such endpoint\",\"code\":404}\n");
        return p.rc;
    }
    error_page(&p, 404, "There is no such page.");
    return p.rc;
}

kh_status kh_web_render(kh_store *store, const char *path, const char *query,
                        const char *page_arg, kh_buf *out, int *http_status,
                        const char **content_type)
{
    kh_web_params params;
    memset(&params, 0, sizeof params);
    params.q = query;
    params.page = page_arg;
    return kh_web_render_params(store, path, &params, out, http_status, content_type);
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

/* %00 stays as the three characters: a NUL would silently cut the string
 * short ("/%00x" would read as "/"), so such a path is simply not found. */
size_t khi_web_unescape(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        int hi = r[0] == '%' ? khi_hex_digit(r[1]) : -1;
        int lo = hi >= 0 ? khi_hex_digit(r[2]) : -1;
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
    page p = { out, KH_OK, NULL, NULL, 0 };
    *http_status = status;
    if (path && strncmp(path, "/api/", 5) == 0) {
        *content_type = content_json;
        put(&p, "{\"error\":");
        if (p.rc == KH_OK)
            p.rc = kh_buf_json_string(out, message, strlen(message));
        putf(&p, ",\"code\":%d}\n", status);
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
    return kh_web_render_params(store, path, &req->args, out, http_status, content_type);
}
