/*
 * test_dom.c — khabar's HTML parser builds the tree libxml2's recovering
 * parser builds: checked shape by shape (implied elements, elements closed
 * by a start tag, end tags that may not close, raw text, references,
 * blanks between tags), against libxml2 itself on the same bytes, and on
 * every real page of ../shared/corpora/webpages-dev when it is there.
 */
#include "dom_form.h"
#include "testhelp.h"

#include <dirent.h>
#include <zlib.h>

/* Both parsers on html; on a difference, the first one with its context. */
static int same_tree(kh_ctx *ctx, const char *what, const char *html, size_t len)
{
    char *x = libxml2_tree(html, len), *d = our_tree(ctx, html, len);
    int same = !strcmp(x, d);
    if (!same) {
        size_t i = 0;
        while (x[i] && x[i] == d[i]) i++;
        size_t from = i > 120 ? i - 120 : 0;
        fprintf(stderr, "  %s: trees differ at %zu\n    libxml2: %.240s\n    khabar:  %.240s\n",
                what, i, x + from, d + from);
    }
    free(x);
    free(d);
    return same;
}

/* ---- shapes ------------------------------------------------------------------ */

static void expect(kh_ctx *ctx, const char *html, const char *want)
{
    char *d = our_tree(ctx, html, strlen(html));
    KH_CHECK_STR(d, want);
    free(d);
    KH_CHECK(same_tree(ctx, html, html, strlen(html)));
}

static void test_shapes(kh_ctx *ctx)
{
    KH_TEST("implied html, head, body and p");
    expect(ctx, "<title>T</title><p>a</p>",
           "<html><head><title>T</title></head><body><p>a</p></body></html>");
    expect(ctx, "Hello <b>world</b>", "<html><body><p>Hello <b>world</b></p></body></html>");
    expect(ctx, "<html>text</html>", "<html><body><p>text</p></body></html>");

    KH_TEST("a start tag closes what it closes");
    expect(ctx, "<body><p>one<p>two<div>three</div>",
           "<html><body><p>one</p><p>two</p><div>three</div></body></html>");
    expect(ctx, "<ul><li>a<li>b</ul>", "<html><body><ul><li>a</li><li>b</li></ul></body></html>");
    expect(ctx, "<table><tr><td>1<td>2<tr><td>3</table>",
           "<html><body><table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table></body></html>");

    KH_TEST("an end tag closes down to its element, not past a higher rank");
    expect(ctx, "<div><span><b>x</div>y",
           "<html><body><div><span><b>x</b></span></div>y</body></html>");
    expect(ctx, "<table><tr><td><div>a</td>b</div></table>",
           "<html><body><table><tr><td><div>a</div></td>b</tr></table></body></html>");
    expect(ctx, "<div>a</span>b</div>", "<html><body><div>ab</div></body></html>");

    KH_TEST("a second body is dropped, with its end tag");
    expect(ctx, "<body class=a><div><body class=b>x</body>y</div></body>z",
           "<html><body class=\"a\"><div>xy</div></body><p>z</p></html>");

    KH_TEST("\"/>\" closes any element; empty elements close at once");
    expect(ctx, "<div/>after<br>x<img src=a.png>y",
           "<html><body><div></div>after<br></br>x<img src=\"a.png\"></img>y</body></html>");

    KH_TEST("script and style are raw text");
    expect(ctx, "<script>if (a<b) x = \"</div>\";</script><p>t",
           "<html><head><script>if (a<b) x = \"</div>\";</script></head><body><p>t</p></body></html>");

    KH_TEST("references");
    expect(ctx, "<p>a&amp;b &lt;c&gt; &nbsp;&eacute;&#233;&#x627; &foo; &amp &#0;z</p>",
           "<html><body><p>a&b <c> \xC2\xA0\xC3\xA9\xC3\xA9\xD8\xA7 &foo; &amp z</p></body></html>");
    expect(ctx, "<a href=\"/x?a=1&amp;b=2&c\" title='&#0;cut'>l</a>",
           "<html><body><a href=\"/x?a=1&b=2&c\" title=\"\">l</a></body></html>");

    KH_TEST("blanks between tags");
    expect(ctx, "<p><b>one</b> <i>two</i></p>\n<div>\n</div>",
           "<html><body><p><b>one</b> <i>two</i></p>\n<div>\n</div></body></html>");
    expect(ctx, "<html> <head> <title>t</title> </head> <body> <p>x</p> </body> </html>",
           "<html><head><title>t</title></head><body> <p>x</p> </body></html>");

    KH_TEST("comments, DOCTYPE and processing instructions");
    expect(ctx, "<!DOCTYPE html><!-- c --><p>a<!-- b -->c</p><!-- open",
           "<html><body><p>ac</p></body></html>");
    expect(ctx, "<?xml version=\"1.0\"?><p>x</p>", "<html><body><p>x</p></body></html>");

    KH_TEST("attributes: case, quotes, no value, duplicates");
    expect(ctx, "<DIV Class=\"A b\" ID=x data-x = 'q' hidden class=dup>t</DIV>",
           "<html><body><div class=\"A b\" id=\"x\" data-x=\"q\" hidden=\"\">t</div></body></html>");

    KH_TEST("content after </html> goes into a second <html>, or nowhere after a DOCTYPE");
    expect(ctx, "<p>in</p></html><p>out</p>",
           "<html><body><p>in</p></body><html><p>out</p></html></html>");
    expect(ctx, "<!DOCTYPE html><p>in</p></html><p>out</p>", "<html><body><p>in</p></body></html>");
    expect(ctx, "<!-- c --><p>in</p></html><p>out</p>", "<html><body><p>in</p></body></html>");
}

static void test_depth(kh_ctx *ctx)
{
    KH_TEST("more elements open than allowed stop the parse");
    char page[4096] = "";
    for (int i = 0; i < 300; i++) strcat(page, "<b>");
    kh_arena *a;
    KH_CHECK(kh_arena_create(ctx, &a) == KH_OK);
    khi_dom_node *root;
    khi_dom_over over;
    khi_dom_limits lim = { SIZE_MAX, SIZE_MAX, SIZE_MAX, 100 };
    KH_CHECK(khi_dom_parse(ctx, a, page, strlen(page), &lim, &root, &over) == KH_E_LIMIT);
    KH_CHECK(over.what == 'd' && over.at > 0 && over.at < strlen(page));
    lim.depth = 1000;
    KH_CHECK(khi_dom_parse(ctx, a, page, strlen(page), &lim, &root, &over) == KH_OK && root);

    KH_TEST("start tags and attributes past their limits stop the parse where they pass");
    static const char tags[] = "<p a=1 b=2>x</p><p c=3>y</p><p d=4 e=5 f=6>z</p>";
    khi_dom_limits few = { 2, 10, 100, 100 };
    KH_CHECK(khi_dom_parse(ctx, a, tags, strlen(tags), &few, &root, &over) == KH_E_LIMIT);
    KH_CHECK(over.what == 'e' && over.count == 3 && over.at == 28);
    khi_dom_limits narrow = { 10, 2, 100, 100 };
    KH_CHECK(khi_dom_parse(ctx, a, tags, strlen(tags), &narrow, &root, &over) == KH_E_LIMIT);
    KH_CHECK(over.what == 'a' && over.count == 3 && over.at == 28);
    khi_dom_limits total = { 10, 10, 4, 100 };
    KH_CHECK(khi_dom_parse(ctx, a, tags, strlen(tags), &total, &root, &over) == KH_E_LIMIT);
    KH_CHECK(over.what == 't' && over.at == 28);
    khi_dom_limits enough = { 3, 3, 6, 100 };
    KH_CHECK(khi_dom_parse(ctx, a, tags, strlen(tags), &enough, &root, &over) == KH_OK);
    kh_arena_free(a);

    KH_TEST("every name in the rules is a known tag");
    static const char *const names[] = { "a", "xmp", "noframes", "isindex", "listing", "tfoot",
                                         "figcaption", "template", "basefont", NULL };
    for (size_t i = 0; names[i]; i++)
        KH_CHECK(khi_dom_tag(names[i], strlen(names[i])) != KHI_TAG_OTHER);
    KH_CHECK(khi_dom_tag("custom-el", 9) == KHI_TAG_OTHER);
}

/* ---- real pages ------------------------------------------------------------- */

static char *read_gz(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 65536 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
        int r = gzread(f, buf + n, 65536);
        if (r <= 0) break;
        n += (size_t)r;
    }
    gzclose(f);
    *len = n;
    return buf;
}

static void test_real_pages(kh_ctx *ctx)
{
    static const char *const dirs[] = { "../shared/corpora/webpages-dev/extraction/pages",
                                        "../shared/corpora/webpages-dev/dates/pages", NULL };
    KH_TEST("real pages: the same tree as libxml2");
    for (size_t d = 0; dirs[d]; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir) {
            printf("  skipped: %s is not there\n", dirs[d]);
            continue;
        }
        size_t pages = 0, same = 0;
        struct dirent *e;
        while ((e = readdir(dir))) {
            size_t nl = strlen(e->d_name);
            if (nl < 8 || strcmp(e->d_name + nl - 8, ".html.gz")) continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dirs[d], e->d_name);
            size_t len;
            char *html = read_gz(path, &len);
            if (!html) continue;
            /* as the cleaner sees it: valid UTF-8 */
            if (kh_utf8_check(html, len, NULL) == KH_OK && !memchr(html, 0, len)) {
                pages++;
                same += same_tree(ctx, e->d_name, html, len);
            }
            free(html);
        }
        closedir(dir);
        printf("  %s: %zu of %zu pages give the same tree\n", dirs[d], same, pages);
        KH_CHECK(same == pages);
    }
}

static void test_nomem(void)
{
    KH_TEST("a failed allocation is KH_E_NOMEM, and nothing leaks");
    static const char page[] = "<html><head><title>t</title></head><body class=\"a b\">"
                               "<div id=x><p>one &amp; two<p>three <a href='/y?a&amp;b'>l</a>"
                               "</div><script>var a = 1;</script></body></html>";
    int ok = 0;
    for (long fail_at = 1; fail_at < 200 && !ok; fail_at++) {
        kh_test_alloc t = { 0, fail_at, 0 };
        kh_allocator al = { kh_test_alloc_fn, &t };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) continue;
        kh_arena *a;
        if (kh_arena_create(ctx, &a) == KH_OK) {
            khi_dom_node *root;
            khi_dom_over over;
            khi_dom_limits lim = { 1000, 100, 1000, 64 };
            kh_status rc = khi_dom_parse(ctx, a, page, sizeof page - 1, &lim, &root, &over);
            KH_CHECK(rc == KH_OK || rc == KH_E_NOMEM);
            ok = rc == KH_OK && root && root->tag == KHI_TAG_HTML;
            kh_arena_free(a);
        }
        kh_ctx_free(ctx);
        KH_CHECK(t.live == 0);
    }
    KH_CHECK(ok);
}

int main(void)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) return 1;
    xmlInitParser();
    test_shapes(ctx);
    test_depth(ctx);
    test_real_pages(ctx);
    test_nomem();
    kh_ctx_free(ctx);
    return kh_test_report("test_dom");
}
