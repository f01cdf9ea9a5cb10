/*
 * test_html_budget.c — the work budget of an HTML page: the KH_LIMIT_HTML_*
 * limits refuse hostile pages with KH_E_LIMIT and a message naming the
 * record, the count and the limit; pages within them (deep <font> soup,
 * markup inside scripts, comments and quoted values) still give their
 * article; and only what the parser reads as a start tag is counted.
 */
#include "testhelp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* A real-looking article: three paragraphs of Arabic prose. */
static const char *const article =
    "<h1>وزير الخارجية يبحث مع نظيره الفرنسي الأزمة في المنطقة</h1>"
    "<p>بحث وزير الخارجية مع نظيره الفرنسي يوم الثلاثاء الأزمة في المنطقة، وسبل إنهاء القتال "
    "الدائر منذ سنوات في عدة دول.</p>"
    "<p>وقال الوزير في مؤتمر صحفي إن بلاده تدعم كل الجهود الرامية إلى وقف إطلاق النار، وإن "
    "الحل السياسي هو الطريق الوحيد.</p>"
    "<p>وأضاف أن الاجتماع تناول أيضا العلاقات الثنائية بين البلدين وسبل تطويرها في مجالات "
    "الاقتصاد والتعليم.</p>";

/* A growable string for building pages. */
typedef struct page {
    char *s;
    size_t len, cap;
} page;

static void put(page *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(page *p, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(p->s ? p->s + p->len : NULL, p->s ? p->cap - p->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) abort();
        if (p->s && p->len + (size_t)n < p->cap) {
            p->len += (size_t)n;
            return;
        }
        size_t cap = (p->cap + (size_t)n + 1) * 2;
        char *s = realloc(p->s, cap);
        if (!s) abort();
        p->s = s;
        p->cap = cap;
    }
}

static kh_doc *make_doc(kh_ctx *ctx, const char *file, const char *content)
{
    return kh_test_doc(ctx, file, content, KH_CONTENT_HTML);
}

/* Cleans html; returns the status and, on KH_OK, whether the article's
 * three paragraphs are the body. */
static kh_status clean(kh_ctx *ctx, kh_cleaner *cl, const char *html, int *found)
{
    kh_doc *d = make_doc(ctx, "page.html", html);
    const kh_article *art = NULL;
    kh_status rc = d ? kh_clean_doc(cl, d, &art) : KH_E_NOMEM;
    *found = rc == KH_OK && art->n_body == 3 && strstr(art->body[0], "بحث وزير الخارجية") &&
             strstr(art->body[2], "الاقتصاد والتعليم");
    kh_doc_free(d);
    return rc;
}

static void test_defaults(kh_ctx *ctx)
{
    KH_TEST("defaults");
    KH_CHECK_INT((long)kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS, 0), 512);
    KH_CHECK_INT((long)kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS_TOTAL, 0), 262144);
    KH_CHECK_INT((long)kh_ctx_limit(ctx, KH_LIMIT_HTML_ELEMENTS, 0), 262144);
    KH_CHECK_INT((long)kh_ctx_limit(ctx, KH_LIMIT_HTML_DEPTH, 0), 512);
    KH_CHECK_INT(KH_E_LIMIT, 15);
    KH_CHECK_STR(kh_strerror(KH_E_LIMIT), "page over a work limit");
}

/* One element with n attributes before the article. */
static void test_attrs_per_element(kh_ctx *ctx, kh_cleaner *cl)
{
    KH_TEST("attributes on one element");
    static const struct { size_t n; kh_status want; } cases[] = {
        { 40, KH_OK }, { 512, KH_OK }, { 513, KH_E_LIMIT }, { 100000, KH_E_LIMIT },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        page p = { 0 };
        put(&p, "<html><body><div");
        for (size_t i = 0; i < cases[c].n; i++) put(&p, " data-a%zu=\"%zu\"", i, i);
        put(&p, ">%s</div></body></html>", article);
        int found;
        KH_CHECK_INT(clean(ctx, cl, p.s, &found), cases[c].want);
        if (cases[c].want == KH_OK) {
            KH_CHECK(found);
        } else {
            char want[128];
            snprintf(want, sizeof want, "page.html: %zu attributes on one element at byte 12, limit 512",
                     cases[c].n);
            KH_CHECK_STR(kh_errmsg(ctx), want);
        }
        free(p.s);
    }

    /* Raised by the caller, the limit lets the page through. */
    page p = { 0 };
    put(&p, "<html><body><p");
    for (size_t i = 0; i < 600; i++) put(&p, " a%zu", i);
    put(&p, ">x</p>%s</body></html>", article);
    int found;
    KH_CHECK_INT(clean(ctx, cl, p.s, &found), KH_E_LIMIT);
    size_t old = kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS, 1000);
    KH_CHECK_INT(clean(ctx, cl, p.s, &found), KH_OK);
    KH_CHECK(found);
    kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS, old);
    free(p.s);
}

/* Totals over the page: many elements of few attributes each. */
static void test_totals(kh_ctx *ctx, kh_cleaner *cl)
{
    KH_TEST("totals");
    page p = { 0 };
    put(&p, "<html><body>");
    for (size_t i = 0; i < 300; i++) put(&p, "<span class=\"c%zu\" id=\"s%zu\">.</span>", i, i);
    put(&p, "%s</body></html>", article);
    int found;
    KH_CHECK_INT(clean(ctx, cl, p.s, &found), KH_OK);
    KH_CHECK(found);

    size_t old = kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS_TOTAL, 500);
    KH_CHECK_INT(clean(ctx, cl, p.s, &found), KH_E_LIMIT);
    KH_CHECK(strstr(kh_errmsg(ctx), "page.html: more than 500 attributes in the page") != NULL);
    KH_CHECK(strstr(kh_errmsg(ctx), "limit 500") != NULL);
    kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS_TOTAL, old);

    old = kh_ctx_limit(ctx, KH_LIMIT_HTML_ELEMENTS, 250);
    KH_CHECK_INT(clean(ctx, cl, p.s, &found), KH_E_LIMIT);
    KH_CHECK(strstr(kh_errmsg(ctx), "page.html: more than 250 elements") != NULL);
    kh_ctx_limit(ctx, KH_LIMIT_HTML_ELEMENTS, old);
    free(p.s);
}

/* Nesting: libxml2 used to stop at 256 and drop the rest of the page. */
static void test_depth(kh_ctx *ctx, kh_cleaner *cl)
{
    KH_TEST("depth");
    static const struct { const char *tag; size_t n; kh_status want; } cases[] = {
        { "<font>", 260, KH_OK },     /* unclosed <font> soup: real pages do this */
        { "<font size=2>", 500, KH_OK },
        { "<div>", 300, KH_OK },
        { "<font>", 600, KH_E_LIMIT },
        { "<div>", 100000, KH_E_LIMIT },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        page p = { 0 };
        put(&p, "<html><body>");
        for (size_t i = 0; i < cases[c].n; i++) put(&p, "%s", cases[c].tag);
        put(&p, "%s</body></html>", article);
        int found;
        KH_CHECK_INT(clean(ctx, cl, p.s, &found), cases[c].want);
        if (cases[c].want == KH_OK)
            KH_CHECK(found);
        else
            KH_CHECK(strstr(kh_errmsg(ctx), "page.html: elements nested deeper than 512") != NULL);
        free(p.s);
    }
}

/* Markup that is not markup to the parser is not counted, and markup that
 * is, is: the counts are the parser's own. */
static void test_tokenizer(kh_ctx *ctx, kh_cleaner *cl)
{
    KH_TEST("what counts as a start tag");
    page many = { 0 };
    put(&many, "<b");
    for (size_t i = 0; i < 600; i++) put(&many, " a%zu=1", i);
    put(&many, ">");
    static const struct { const char *name, *before, *after; kh_status want; } cases[] = {
        /* hidden from the parser */
        { "script", "<script>var s = '", "';</script>", KH_OK },
        { "style", "<style>/* ", " */</style>", KH_OK },
        { "comment", "<!-- ", " -->", KH_OK },
        { "comment --!>", "<!-- ", " --!>", KH_OK },
        { "quoted value", "<a title=\"", "\">x</a>", KH_OK },
        { "single-quoted value", "<a title='", "'>x</a>", KH_OK },
        { "doctype literal", "<!DOCTYPE html SYSTEM \"", "\">", KH_OK },
        { "script, end tag of nothing open", "<script></zz>var s = '", "';</script>", KH_OK },
        /* seen by the parser */
        { "after script", "<script>var s = 1;</script>", "", KH_E_LIMIT },
        { "after SCRIPT", "<SCRIPT>if (a </b) x();</SCRIPT >", "", KH_E_LIMIT },
        { "self-closed script", "<script/>", "", KH_E_LIMIT },
        { "short comment", "<!---->", "", KH_E_LIMIT },
        { "after comment", "<!-- <a title=\" -->", "", KH_E_LIMIT },
        { "script closed by open ancestor", "<div><script></div>", "</script>", KH_E_LIMIT },
        { "end tag", "</p title=\"x\">", "", KH_E_LIMIT },
        { "processing instruction", "<?php echo 1 ?>", "", KH_E_LIMIT },
        { "stray <", "a < b <3 <!x", "", KH_E_LIMIT },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        KH_TEST(cases[c].name);
        page p = { 0 };
        put(&p, "<html><body>%s%s%s%s</body></html>", cases[c].before, many.s, cases[c].after,
            article);
        int found;
        KH_CHECK_INT(clean(ctx, cl, p.s, &found), cases[c].want);
        if (cases[c].want == KH_OK)
            KH_CHECK(found);
        else
            KH_CHECK(strstr(kh_errmsg(ctx), "600 attributes on one element") != NULL);
        free(p.s);
    }
    free(many.s);
}

/* A record of a JSON Lines file is named file:line; observe skips a page
 * over the budget (kh_clean_doc reports it). */
static void test_record_name(kh_ctx *ctx, kh_cleaner *cl)
{
    KH_TEST("record name");
    page p = { 0 };
    put(&p, "<p");
    for (size_t i = 0; i < 513; i++) put(&p, " a%zu", i);
    put(&p, ">%s", article);
    kh_doc *d = make_doc(ctx, "feed.jsonl", p.s);
    KH_CHECK(d != NULL);
    if (d) {
        d->format = KH_FORMAT_JSONL;
        d->line = 12;
        KH_CHECK_INT(kh_cleaner_observe(cl, d), KH_OK);
        const kh_article *art;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_E_LIMIT);
        KH_CHECK_STR(kh_errmsg(ctx), "feed.jsonl:12: 513 attributes on one element at byte 0, limit 512");
        KH_CHECK(art == NULL);
    }
    kh_doc_free(d);
    free(p.s);
}

/* A page observed within the budget and cleaned after the caller lowered a
 * limit is over it: what observing kept is not used past a changed budget. */
static void test_budget_changed(kh_ctx *ctx, kh_cleaner *cl)
{
    KH_TEST("a limit lowered between observing and cleaning");
    page p = { 0 };
    put(&p, "<html><body><p");
    for (size_t i = 0; i < 40; i++) put(&p, " a%zu=1", i);
    put(&p, ">x</p>%s</body></html>", article);
    kh_doc *d = make_doc(ctx, "page.html", p.s);
    KH_CHECK(d != NULL);
    if (d) {
        KH_CHECK_INT(kh_cleaner_observe(cl, d), KH_OK);
        size_t old = kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS, 20);
        const kh_article *art;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_E_LIMIT);
        KH_CHECK(strstr(kh_errmsg(ctx), "40 attributes on one element") != NULL);
        kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS, old);
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
        KH_CHECK(art && art->n_body == 3);
    }
    kh_doc_free(d);
    free(p.s);
}

/* Fail each allocation in turn on a deep page within the budget: a correct
 * article or KH_E_NOMEM, nothing leaked. */
static void test_alloc_failure(void)
{
    KH_TEST("allocation failure");
    page p = { 0 };
    put(&p, "<html><body>");
    for (size_t i = 0; i < 300; i++) put(&p, "<font>");
    put(&p, "%s</body></html>", article);
    int ok = 0, nomem = 0, leaks = 0, bad = 0;
    for (long fail = 1; fail < 2000; fail++) {
        kh_test_alloc ta = { 0, 0, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) { bad++; break; }
        ta.fail_at = fail + ta.calls;
        kh_cleaner *cl = NULL;
        int found = 0;
        kh_status rc = kh_cleaner_create(ctx, 1000, &cl);
        if (rc == KH_OK) rc = clean(ctx, cl, p.s, &found);
        if (rc == KH_OK) ok++, bad += !found;
        else if (rc == KH_E_NOMEM) nomem++;
        else bad++;
        kh_cleaner_free(cl);
        kh_ctx_free(ctx);
        if (ta.live != 0) leaks++;
        if (rc == KH_OK && ta.calls < fail + 1) break;
    }
    KH_CHECK(ok >= 1);
    KH_CHECK(nomem >= 5);
    KH_CHECK_INT(leaks, 0);
    KH_CHECK_INT(bad, 0);
    free(p.s);
}

int main(void)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) return 1;
    kh_cleaner *cl;
    if (kh_cleaner_create(ctx, 0, &cl) != KH_OK) return 1;
    test_defaults(ctx);
    test_attrs_per_element(ctx, cl);
    test_totals(ctx, cl);
    test_depth(ctx, cl);
    test_tokenizer(ctx, cl);
    test_record_name(ctx, cl);
    test_budget_changed(ctx, cl);
    kh_cleaner_free(cl);
    kh_ctx_free(ctx);
    test_alloc_failure();
    return kh_test_report("test_html_budget");
}
