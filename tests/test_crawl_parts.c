/*
 * test_crawl_parts.c — the crawler's pure parts (src/kh_crawl_int.h) on
 * real-shaped input: URL normalization, robots.txt, the links of feeds,
 * sitemaps and home pages, and the WARC writer read back by khabar's own
 * reader (files go to a fresh directory under /tmp, removed at the end).
 */
#include "testhelp.h"
#include "kh_crawl_int.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* ------------------------------------------------------------------ */
/*  URLs                                                               */
/* ------------------------------------------------------------------ */

/* want NULL: the link must be refused with KH_E_ARG. */
static void check_url(const char *base, const char *ref, const char *want)
{
    char *got = NULL;
    kh_status rc = khc_url_normalize(base, ref, &got);
    if (!want) {
        KH_CHECK_INT(rc, KH_E_ARG);
        KH_CHECK(got == NULL);
        if (got)
            fprintf(stderr, "  %s -> %s\n", ref, got);
    } else {
        KH_CHECK_INT(rc, KH_OK);
        KH_CHECK_STR(got, want);
        /* normalizing the output again changes nothing */
        char *again = NULL;
        if (got) {
            KH_CHECK_INT(khc_url_normalize(NULL, got, &again), KH_OK);
            KH_CHECK_STR(again, got);
        }
        free(again);
    }
    free(got);
}

static void test_url(void)
{
    const char *base = "https://www.aljazeera.net/news/politics/2016/10/25/story";
    const struct { const char *base, *ref, *want; } cases[] = {
        /* relative resolution */
        { base, "other", "https://www.aljazeera.net/news/politics/2016/10/25/other" },
        { base, "../26/x.html", "https://www.aljazeera.net/news/politics/2016/10/26/x.html" },
        { base, "/", "https://www.aljazeera.net/" },
        { base, "//cdn.example.com/a.js", "https://cdn.example.com/a.js" },
        { base, "?page=2", "https://www.aljazeera.net/news/politics/2016/10/25/story?page=2" },
        { base, "  /news/economy \n", "https://www.aljazeera.net/news/economy" },
        { NULL, "https://example.com/a/./b/../c/./", "https://example.com/a/c/" },
        { NULL, "http://example.com/a/%2e%2E/b", "http://example.com/b" },
        { NULL, "http://example.com/../../x", "http://example.com/x" },
        /* default ports, empty path, case */
        { NULL, "HTTP://WWW.Example.COM:80", "http://www.example.com/" },
        { NULL, "https://example.com:443/x", "https://example.com/x" },
        { NULL, "https://example.com:8443/x", "https://example.com:8443/x" },
        { NULL, "http://example.com:/x", "http://example.com/x" },
        { NULL, "http://Example.com./A/B", "http://example.com/A/B" },
        /* escapes: unreserved decoded, the rest upper-case hex */
        { NULL, "http://example.com/%7euser/%41b%2fc%3a", "http://example.com/~user/Ab%2Fc%3A" },
        { NULL, "http://example.com/a b/\"q\"", "http://example.com/a%20b/%22q%22" },
        { NULL, "http://example.com/100%", "http://example.com/100%25" },
        /* a raw Arabic path is escaped as a browser sends it */
        { NULL, "https://www.bbc.com/arabic/أخبار",
          "https://www.bbc.com/arabic/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1" },
        /* tracking parameters and fragments */
        { NULL, "https://example.com/a?utm_source=tw&id=7&utm_medium=social&fbclid=XYZ#top",
          "https://example.com/a?id=7" },
        { NULL, "https://example.com/a?gclid=1&_ga=2&igshid=3", "https://example.com/a" },
        { NULL, "https://example.com/a?", "https://example.com/a" },
        { NULL, "https://example.com/a#frag#more", "https://example.com/a" },
        { NULL, "https://example.com/a?x[]=1&&y=2", "https://example.com/a?x%5B%5D=1&y=2" },
        { NULL, "https://example.com/a?utm=1&ref=2", "https://example.com/a?utm=1&ref=2" },
        /* IDN and addresses */
        { NULL, "http://مثال.إختبار/", "http://xn--mgbh0fb.xn--kgbechtv/" },
        { NULL, "http://BÜCHER.example/", "http://xn--bcher-kva.example/" },
        { NULL, "http://xn--BCHER-KVA.example/", "http://xn--bcher-kva.example/" },
        { NULL, "http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/" },
        { NULL, "http://192.0.2.1/x", "http://192.0.2.1/x" },
        { NULL, "http://user:pw@example.com/", "http://user:pw@example.com/" },
        /* refused */
        { base, "javascript:alert(1)", NULL },
        { base, "mailto:desk@example.com", NULL },
        { base, "ftp://example.com/file", NULL },
        { base, "data:text/html,hi", NULL },
        { NULL, "/relative/without/base", NULL },
        { NULL, "http:///nohost", NULL },
        { NULL, "http://exa mple.com/", NULL },
        { NULL, "http://a..b/", NULL },
        { NULL, "http://example.com:99999/", NULL },
        { NULL, "", NULL },
        { NULL, "   ", NULL },
    };
    KH_TEST("url normalize");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_url(cases[i].base, cases[i].ref, cases[i].want);

    KH_TEST("url host and path");
    char host[64];
    KH_CHECK_INT(khc_url_host("https://example.com:8443/a?b", host, sizeof host), 16);
    KH_CHECK_STR(host, "example.com:8443");
    KH_CHECK_INT(khc_url_host("http://u:p@example.com/", host, sizeof host), 11);
    KH_CHECK_STR(host, "example.com");
    KH_CHECK_INT(khc_url_host("https://example.com/", host, 5), 0);
    KH_CHECK_INT(khc_url_host("no url", host, sizeof host), 0);
    KH_CHECK_STR(khc_url_path("https://example.com/a/b?c=d"), "/a/b?c=d");
    KH_CHECK_STR(khc_url_path("https://example.com/"), "/");
    KH_CHECK_STR(khc_url_path("https://example.com"), "/");

    KH_TEST("url too long");
    size_t big = 10000;
    char *s = malloc(big + 1);
    memcpy(s, "http://example.com/", 19);
    memset(s + 19, 'a', big - 19);
    s[big] = '\0';
    check_url(NULL, s, NULL);
    free(s);
}

/* ------------------------------------------------------------------ */
/*  robots.txt                                                         */
/* ------------------------------------------------------------------ */

/* Shaped like a large Arabic news site's file: several groups, one named
 * twice, wildcards, '$', Crawl-delay, Sitemap lines, comments, CRLFs. */
static const char robots_txt[] =
    "\xEF\xBB\xBF# robots.txt for www.example-news.com\r\n"
    "User-agent: *\r\n"
    "Disallow: /search\r\n"
    "Disallow: /*?print=\r\n"
    "Disallow: /*.pdf$\r\n"
    "Allow: /search/about\r\n"
    "Crawl-delay: 10\r\n"
    "\r\n"
    "User-agent: Googlebot\r\n"
    "User-agent: Bingbot\r\n"
    "Disallow: /private/\r\n"
    "\r\n"
    "Sitemap: https://www.example-news.com/sitemap-news.xml\r\n"
    "Sitemap: https://www.example-news.com/sitemap-index.xml   # all of it\r\n"
    "\r\n"
    "User-agent: KHABAR/1.0\r\n"
    "Disallow: /ar/اخبار/\r\n"
    "Disallow: /tmp\r\n"
    "Allow: /tmp/public\r\n"
    "Allow: /page\r\n"
    "Disallow: /*.php\r\n"
    "Crawl-delay: 2.5\r\n"
    "\r\n"
    "User-agent: other\r\n"
    "Disallow: /\r\n"
    "\r\n"
    "user-agent: khabar\r\n"
    "disallow: /merged-group\r\n"
    "Disallow: /x$y\r\n"
    "SITEMAP: not-a-url\r\n";

static void test_robots(void)
{
    khc_robots *r;
    KH_TEST("robots: our group, merged across two groups");
    KH_CHECK_INT(khc_robots_parse(robots_txt, sizeof robots_txt - 1, "khabar", &r), KH_OK);
    const struct { const char *path; int allowed; } ours[] = {
        { "/", 1 },
        { "/search", 1 },            /* the * group is not ours */
        { "/private/x", 1 },         /* nor Googlebot's */
        { "/tmp", 0 },
        { "/tmp/x", 0 },
        { "/tmp/public/a", 1 },      /* longer Allow wins */
        { "/merged-group/a", 0 },    /* from the second khabar group */
        { "/index.php?id=1", 0 },    /* '*' */
        { "/page.php", 0 },          /* the Disallow pattern is longer than "/page" */
        { "/pages/a.html", 1 },
        { "/ar/%D8%A7%D8%AE%D8%A8%D8%A7%D8%B1/1", 0 }, /* raw UTF-8 rule, escaped path */
        { "/ar/%d8%a7%d8%ae%d8%a8%d8%a7%d8%b1/1", 0 }, /* lower-case hex */
        { "/ar/other", 1 },
        { "/x$y", 0 },               /* '$' inside is a character */
        { "/x$yz", 0 },
        { "/robots.txt", 1 },
    };
    for (size_t i = 0; i < sizeof ours / sizeof *ours; i++) {
        int got = khc_robots_allowed(r, ours[i].path);
        if (got != ours[i].allowed)
            fprintf(stderr, "  path %s\n", ours[i].path);
        KH_CHECK_INT(got, ours[i].allowed);
    }
    KH_CHECK(khc_robots_crawl_delay(r) == 2.5);
    const char *const *maps;
    KH_CHECK_INT(khc_robots_sitemaps(r, &maps), 2);
    KH_CHECK_STR(maps[0], "https://www.example-news.com/sitemap-news.xml");
    KH_CHECK_STR(maps[1], "https://www.example-news.com/sitemap-index.xml");
    khc_robots_free(r);

    KH_TEST("robots: the * group when none names us");
    KH_CHECK_INT(khc_robots_parse(robots_txt, sizeof robots_txt - 1, "newsbot", &r), KH_OK);
    const struct { const char *path; int allowed; } star[] = {
        { "/", 1 },
        { "/search", 0 },
        { "/search?q=x", 0 },
        { "/search/about", 1 },
        { "/article?print=1", 0 },
        { "/files/report.pdf", 0 },
        { "/files/report.pdf?x=1", 1 }, /* '$': the path must end there */
        { "/tmp", 1 },
    };
    for (size_t i = 0; i < sizeof star / sizeof *star; i++) {
        int got = khc_robots_allowed(r, star[i].path);
        if (got != star[i].allowed)
            fprintf(stderr, "  path %s\n", star[i].path);
        KH_CHECK_INT(got, star[i].allowed);
    }
    KH_CHECK(khc_robots_crawl_delay(r) == 10);
    khc_robots_free(r);

    KH_TEST("robots: Allow wins a tie; empty Disallow; rules before any group");
    const char tie[] = "Disallow: /all\nUser-agent: *\nDisallow: /a\nAllow: /a\nDisallow:\n";
    KH_CHECK_INT(khc_robots_parse(tie, sizeof tie - 1, "khabar", &r), KH_OK);
    KH_CHECK_INT(khc_robots_allowed(r, "/a/b"), 1);
    KH_CHECK_INT(khc_robots_allowed(r, "/all"), 1);
    KH_CHECK(khc_robots_crawl_delay(r) < 0);
    khc_robots_free(r);

    KH_TEST("robots: a group naming us with no rules allows all");
    const char empty_group[] = "User-agent: *\nDisallow: /\n\nUser-agent: khabar\n";
    KH_CHECK_INT(khc_robots_parse(empty_group, sizeof empty_group - 1, "khabar", &r), KH_OK);
    KH_CHECK_INT(khc_robots_allowed(r, "/anything"), 1);
    khc_robots_free(r);
    KH_CHECK_INT(khc_robots_parse(empty_group, sizeof empty_group - 1, "other", &r), KH_OK);
    KH_CHECK_INT(khc_robots_allowed(r, "/anything"), 0);
    khc_robots_free(r);

    KH_TEST("robots: binary junk, NUL bytes, bad UTF-8 lines skipped");
    const char junk[] = "User-agent: *\n\xff\xfe Disallow: /bad\nDisallow: /a\0b\nDisallow: /good\n"
                        "\x01\x02\x03";
    KH_CHECK_INT(khc_robots_parse(junk, sizeof junk - 1, "khabar", &r), KH_OK);
    KH_CHECK_INT(khc_robots_allowed(r, "/bad"), 1);
    KH_CHECK_INT(khc_robots_allowed(r, "/a"), 1);
    KH_CHECK_INT(khc_robots_allowed(r, "/good"), 0);
    khc_robots_free(r);
    KH_CHECK_INT(khc_robots_parse(NULL, 0, "khabar", &r), KH_OK);
    KH_CHECK_INT(khc_robots_allowed(r, "/"), 1);
    khc_robots_free(r);
    KH_CHECK_INT(khc_robots_allowed(NULL, "/x"), 1);

    KH_TEST("robots: bytes past 512 KiB are ignored");
    size_t big = 600 * 1024;
    char *b = malloc(big);
    memset(b, '#', big);
    const char head[] = "User-agent: *\nDisallow: /early\n";
    memcpy(b, head, sizeof head - 1);
    b[sizeof head - 1 + 10] = '\n';
    const char late[] = "\nDisallow: /late\n";
    memcpy(b + 520 * 1024, late, sizeof late - 1);
    KH_CHECK_INT(khc_robots_parse(b, big, "khabar", &r), KH_OK);
    KH_CHECK_INT(khc_robots_allowed(r, "/early"), 0);
    KH_CHECK_INT(khc_robots_allowed(r, "/late"), 1);
    khc_robots_free(r);
    memcpy(b + 500 * 1024, late, sizeof late - 1);
    KH_CHECK_INT(khc_robots_parse(b, big, "khabar", &r), KH_OK);
    KH_CHECK_INT(khc_robots_allowed(r, "/late"), 0);
    khc_robots_free(r);
    free(b);

    KH_TEST("robots: many wildcards cost linear time");
    size_t wn = 200000;
    char *w = malloc(wn + 64);
    size_t wl = (size_t)sprintf(w, "User-agent: *\nDisallow: /");
    for (size_t i = 0; wl < wn; i++)
        w[wl++] = i % 2 ? '*' : 'a';
    w[wl++] = 'b';
    w[wl++] = '$';
    KH_CHECK_INT(khc_robots_parse(w, wl, "khabar", &r), KH_OK);
    char *path = malloc(8001);
    path[0] = '/';
    memset(path + 1, 'a', 7999);
    path[8000] = '\0';
    KH_CHECK_INT(khc_robots_allowed(r, path), 1);
    khc_robots_free(r);
    free(path);
    free(w);
}

/* ------------------------------------------------------------------ */
/*  Links of feeds, sitemaps and pages                                 */
/* ------------------------------------------------------------------ */

typedef struct link_log {
    char text[16384];
    size_t len;
    int stop_after; /* 0: never */
    int calls;
} link_log;

/* One line a link: "kind|url|title|date|language", "-" for NULL. */
static int log_link(void *user, const khc_link *l)
{
    link_log *g = user;
    static const char *const kinds[] = { "article", "feed", "sitemap" };
    int n = snprintf(g->text + g->len, sizeof g->text - g->len, "%s|%s|%s|%s|%s\n",
                     kinds[l->kind], l->url, l->title ? l->title : "-", l->date ? l->date : "-",
                     l->language ? l->language : "-");
    if (n > 0 && (size_t)n < sizeof g->text - g->len)
        g->len += (size_t)n;
    g->calls++;
    return g->stop_after && g->calls >= g->stop_after;
}

static void check_links(const char *body, const char *url, const char *content_type,
                        khc_doc_kind want_kind, const char *want)
{
    link_log g;
    memset(&g, 0, sizeof g);
    khc_doc_kind k = (khc_doc_kind)99;
    KH_CHECK_INT(khc_links_parse(body, strlen(body), url, content_type, &k, log_link, &g), KH_OK);
    KH_CHECK_INT(k, want_kind);
    KH_CHECK_STR(g.text, want);
}

static const char rss_feed[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
    "     xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
    "<channel>\n"
    "  <title>الجزيرة نت - أخبار</title>\n"
    "  <link>https://www.aljazeera.net/</link>\n"
    "  <language>ar</language>\n"
    "  <atom:link href=\"https://www.aljazeera.net/rss\" rel=\"self\" type=\"application/rss+xml\"/>\n"
    "  <item>\n"
    "    <title><![CDATA[كارتر يدعو إلى عزل   الرقة]]></title>\n"
    "    <link>https://www.aljazeera.net/news/2016/10/25/carter?utm_source=rss&amp;utm_medium=feed</link>\n"
    "    <guid isPermaLink=\"false\">aj-2016-10-25-1</guid>\n"
    "    <pubDate>Tue, 25 Oct 2016 11:34:00 +0300</pubDate>\n"
    "  </item>\n"
    "  <item>\n"
    "    <title>Markets &amp; oil\n  prices</title>\n"
    "    <guid>https://www.aljazeera.net/ebusiness/2016/10/25/oil</guid>\n"
    "    <pubDate>Tue, 25 Oct 2016 08:05:09 GMT</pubDate>\n"
    "  </item>\n"
    "  <item>\n"
    "    <title>same story, tracked link</title>\n"
    "    <link>https://WWW.aljazeera.net/news/2016/10/25/carter#comments</link>\n"
    "  </item>\n"
    "  <item>\n"
    "    <title>relative link, Dublin Core date</title>\n"
    "    <link>/news/2016/10/26/mosul</link>\n"
    "    <dc:date>2016-10-26T07:00:00+03:00</dc:date>\n"
    "  </item>\n"
    "  <item><title>no link at all</title><guid isPermaLink=\"false\">x-1</guid></item>\n"
    "  <item><title>an id, not a link</title><guid>aj-2016-10-25-9</guid></item>\n"
    "  <item><title>script</title><link>javascript:void(0)</link></item>\n"
    "  <item>\n"
    "    <title>bad date</title>\n"
    "    <link>https://www.aljazeera.net/news/3</link>\n"
    "    <pubDate>الثلاثاء 25 أكتوبر</pubDate>\n"
    "  </item>\n"
    "  <item>\n"
    "    <link>https://www.aljazeera.net/news/4</link>\n"
    "    <pubDate>Wed, 2 Nov 16 9:05 EST</pubDate>\n"
    "  </item>\n"
    "</channel>\n"
    "</rss>\n";

static const char atom_feed[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ar\"\n"
    "      xml:base=\"https://www.bbc.com/arabic/\">\n"
    "  <title>BBC Arabic</title>\n"
    "  <link rel=\"self\" href=\"https://feeds.bbci.co.uk/arabic/rss.xml\"/>\n"
    "  <updated>2016-10-25T12:00:00Z</updated>\n"
    "  <entry>\n"
    "    <title type=\"text\">مقتل 20 في هجوم</title>\n"
    "    <link rel=\"self\" href=\"https://api.bbc.com/x/1\"/>\n"
    "    <link rel=\"alternate\" type=\"text/html\" href=\"middleeast-37760000\"/>\n"
    "    <id>urn:bbc:37760000</id>\n"
    "    <published>2016-10-25T11:34:00+03:00</published>\n"
    "    <updated>2016-10-25T13:00:00+03:00</updated>\n"
    "  </entry>\n"
    "  <entry xml:lang=\"en\">\n"
    "    <title>Only updated</title>\n"
    "    <link href=\"https://www.bbc.com/news/world-37761111\"/>\n"
    "    <updated>2016-10-25T09:30:00.250-05:00</updated>\n"
    "  </entry>\n"
    "  <entry>\n"
    "    <title>No link</title>\n"
    "    <link rel=\"enclosure\" href=\"https://www.bbc.com/a.mp3\"/>\n"
    "  </entry>\n"
    "</feed>\n";

static const char rdf_feed[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
    "         xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
    "  <channel rdf:about=\"https://www.alquds.co.uk/\">\n"
    "    <title>القدس العربي</title>\n"
    "    <dc:language>ar</dc:language>\n"
    "    <items><rdf:Seq><rdf:li rdf:resource=\"https://www.alquds.co.uk/a1\"/></rdf:Seq></items>\n"
    "  </channel>\n"
    "  <item rdf:about=\"https://www.alquds.co.uk/a1\">\n"
    "    <title>أول خبر</title>\n"
    "    <link>https://www.alquds.co.uk/a1</link>\n"
    "    <dc:date>2016-10-25</dc:date>\n"
    "  </item>\n"
    "  <item rdf:about=\"https://www.alquds.co.uk/a2\">\n"
    "    <title>ثاني خبر</title>\n"
    "    <dc:date>2016-10-24T22:15:00Z</dc:date>\n"
    "  </item>\n"
    "</rdf:RDF>\n";

static const char news_sitemap[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"\n"
    "        xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n"
    "  <url>\n"
    "    <loc>https://www.alarabiya.net/ar/arab-and-world/2016/10/25/1</loc>\n"
    "    <lastmod>2016-10-25T10:00:00+03:00</lastmod>\n"
    "    <news:news>\n"
    "      <news:publication><news:name>العربية</news:name>"
    "<news:language>ar</news:language></news:publication>\n"
    "      <news:publication_date>2016-10-25T09:45:00+03:00</news:publication_date>\n"
    "      <news:title>عنوان الخبر &amp; تفاصيله</news:title>\n"
    "    </news:news>\n"
    "  </url>\n"
    "  <url><loc>https://www.alarabiya.net/ar/2</loc><lastmod>2016-10-24</lastmod></url>\n"
    "  <url><loc> https://www.alarabiya.net/ar/3 </loc></url>\n"
    "  <url><loc>https://www.alarabiya.net/ar/2</loc></url>\n"
    "</urlset>\n";

static const char sitemap_index[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    "  <sitemap><loc>https://www.example-news.com/sitemap-2016-10.xml</loc>"
    "<lastmod>2016-10-31T23:59:59Z</lastmod></sitemap>\n"
    "  <sitemap><loc>/sitemap-2016-11.xml.gz</loc></sitemap>\n"
    "</sitemapindex>\n";

static const char home_page[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"ar\" dir=\"rtl\"><head>\n"
    "<meta charset=\"utf-8\">\n"
    "<title>الرئيسية</title>\n"
    "<base href=\"https://www.example-news.com/ar/\">\n"
    "<link rel=\"stylesheet\" href=\"/style.css\">\n"
    "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"آخر الأخبار\" href=\"rss.xml\">\n"
    "<link rel=\"Alternate\" type=\"application/atom+xml; charset=utf-8\" href=\"/atom\">\n"
    "<link rel=\"alternate\" hreflang=\"en\" href=\"https://www.example-news.com/en/\">\n"
    "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"rss.xml\">\n"
    "</head><body>\n"
    "<a href=\"/ar/news/1\">خبر</a>\n"
    "<link rel=\"alternate\" type=\"application/rdf+xml\" href=\"https://www.example-news.com/rdf\">\n"
    "</body></html>\n";

static void test_feed(void)
{
    KH_TEST("links: RSS 2.0");
    check_links(rss_feed, "https://www.aljazeera.net/rss", NULL, KHC_DOC_RSS,
                "article|https://www.aljazeera.net/news/2016/10/25/carter|كارتر يدعو إلى عزل الرقة|2016-10-25T11:34:00+03:00|ar\n"
                "article|https://www.aljazeera.net/ebusiness/2016/10/25/oil|Markets & oil prices|2016-10-25T08:05:09Z|ar\n"
                "article|https://www.aljazeera.net/news/2016/10/26/mosul|relative link, Dublin Core date|2016-10-26T07:00:00+03:00|ar\n"
                "article|https://www.aljazeera.net/news/3|bad date|-|ar\n"
                "article|https://www.aljazeera.net/news/4|-|2016-11-02T09:05:00-05:00|ar\n");

    KH_TEST("links: Atom");
    check_links(atom_feed, "https://feeds.bbci.co.uk/arabic/rss.xml", NULL, KHC_DOC_ATOM,
                "article|https://www.bbc.com/arabic/middleeast-37760000|مقتل 20 في هجوم|2016-10-25T11:34:00+03:00|ar\n"
                "article|https://www.bbc.com/news/world-37761111|Only updated|2016-10-25T09:30:00-05:00|en\n");

    KH_TEST("links: RDF");
    check_links(rdf_feed, "https://www.alquds.co.uk/feed/rdf", NULL, KHC_DOC_RDF,
                "article|https://www.alquds.co.uk/a1|أول خبر|2016-10-25|ar\n"
                "article|https://www.alquds.co.uk/a2|ثاني خبر|2016-10-24T22:15:00Z|ar\n");

    KH_TEST("links: Google News sitemap");
    check_links(news_sitemap, "https://www.alarabiya.net/sitemap-news.xml", NULL, KHC_DOC_SITEMAP,
                "article|https://www.alarabiya.net/ar/arab-and-world/2016/10/25/1|عنوان الخبر & تفاصيله|2016-10-25T09:45:00+03:00|ar\n"
                "article|https://www.alarabiya.net/ar/2|-|2016-10-24|-\n"
                "article|https://www.alarabiya.net/ar/3|-|-|-\n");

    KH_TEST("links: sitemap index");
    check_links(sitemap_index, "https://www.example-news.com/sitemap-index.xml", NULL,
                KHC_DOC_SITEMAP_INDEX,
                "sitemap|https://www.example-news.com/sitemap-2016-10.xml|-|2016-10-31T23:59:59Z|-\n"
                "sitemap|https://www.example-news.com/sitemap-2016-11.xml.gz|-|-|-\n");

    KH_TEST("links: a home page's feeds");
    check_links(home_page, "https://www.example-news.com/", NULL, KHC_DOC_HTML,
                "feed|https://www.example-news.com/ar/rss.xml|آخر الأخبار|-|-\n"
                "feed|https://www.example-news.com/atom|-|-|-\n"
                "feed|https://www.example-news.com/rdf|-|-|-\n");

    KH_TEST("links: a truncated feed gives the items before the damage");
    const char *cut = strstr(rss_feed, "<title>relative link");
    char *trunc = malloc((size_t)(cut - rss_feed) + 1);
    memcpy(trunc, rss_feed, (size_t)(cut - rss_feed));
    trunc[cut - rss_feed] = '\0';
    check_links(trunc, "https://www.aljazeera.net/rss", NULL, KHC_DOC_RSS,
                "article|https://www.aljazeera.net/news/2016/10/25/carter|كارتر يدعو إلى عزل الرقة|2016-10-25T11:34:00+03:00|ar\n"
                "article|https://www.aljazeera.net/ebusiness/2016/10/25/oil|Markets & oil prices|2016-10-25T08:05:09Z|ar\n");
    free(trunc);
    check_links("<rss><channel><item><link>https://a.example/1</link></item><item><link>https://a.ex",
                "https://a.example/", NULL, KHC_DOC_RSS, "article|https://a.example/1|-|-|-\n");
    check_links("<rss><channel><item><link>https://a.example/1</link></item><item><<<&&&</rss>",
                "https://a.example/", NULL, KHC_DOC_RSS, "article|https://a.example/1|-|-|-\n");

    KH_TEST("links: windows-1256 named only by the Content-Type");
    const char cp1256[] =
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><item><title>"
        "\xCE\xC8\xD1\x20\xDA\xC7\xCC\xE1\x3A\x20\xDE\xE3\xC9\x20\xDD\xED\x20\xC7\xE1\xD1\xED\xC7\xD6"
        "</title><link>http://www.alriyadh.com/1</link></item></channel></rss>\n";
    check_links(cp1256, "http://www.alriyadh.com/rss", "text/xml; charset=windows-1256",
                KHC_DOC_RSS, "article|http://www.alriyadh.com/1|خبر عاجل: قمة في الرياض|-|-\n");
    /* the document's own declaration wins over the header */
    check_links("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel><item><title>نص</title>"
                "<link>http://a.example/</link></item></channel></rss>",
                "http://a.example/", "text/xml; charset=windows-1256", KHC_DOC_RSS,
                "article|http://a.example/|نص|-|-\n");

    KH_TEST("links: entities are not expanded, DTDs not loaded");
    check_links("<?xml version=\"1.0\"?>\n"
                "<!DOCTYPE rss [\n"
                " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
                " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
                " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
                " <!ENTITY x SYSTEM \"file:///etc/passwd\">\n"
                "]>\n"
                "<rss><channel><item><link>https://a.example/1</link><title>t&e;&x;</title>"
                "</item><item><link>https://a.example/2</link></item></channel></rss>\n",
                "https://a.example/", NULL, KHC_DOC_RSS, "article|https://a.example/1|t|-|-\n");

    KH_TEST("links: a tag with too many attributes ends the readable part");
    /* libxml2 compares every pair of an element's attributes: 100000
     * would cost 5e9 comparisons, so the parse stops before that tag */
    for (int n_attrs = 1500; n_attrs <= 100000; n_attrs += 98500) {
        size_t cap = (size_t)n_attrs * 12 + 1024, bl = 0;
        char *big = malloc(cap);
        bl += (size_t)sprintf(big, "<rss><channel><item><link>https://a.example/1</link></item>"
                                   "<item><link>https://a.example/2</link></item><item");
        for (int i = 0; i < n_attrs; i++)
            bl += (size_t)sprintf(big + bl, " a%d=\"1\"", i);
        sprintf(big + bl, "><link>https://a.example/3</link></item>"
                          "<item><link>https://a.example/4</link></item></channel></rss>");
        check_links(big, "https://a.example/", NULL, KHC_DOC_RSS,
                    "article|https://a.example/1|-|-|-\narticle|https://a.example/2|-|-|-\n");
        free(big);
    }
    /* 1000 is fine, and '=' inside quoted values does not count */
    {
        size_t bl = 0;
        char *ok = malloc(64 * 1024);
        bl += (size_t)sprintf(ok, "<rss><channel><item q=\"");
        for (int i = 0; i < 3000; i++)
            ok[bl++] = '=';
        bl += (size_t)sprintf(ok + bl, "\"");
        for (int i = 0; i < 999; i++)
            bl += (size_t)sprintf(ok + bl, " a%d='1'", i);
        sprintf(ok + bl, "><link>https://a.example/1</link></item></channel></rss>");
        check_links(ok, "https://a.example/", NULL, KHC_DOC_RSS, "article|https://a.example/1|-|-|-\n");
        free(ok);
    }

    KH_TEST("links: a page nested too deep stops being read");
    {
        size_t depth = 200000, bl = 0;
        char *deep = malloc(depth * 11 + 1024);
        bl += (size_t)sprintf(deep, "<html><head><link rel=alternate type=application/rss+xml "
                                    "href=/rss></head><body><script>if (a<b && c>d) x='<div';"
                                    "</script>");
        for (size_t i = 0; i < depth; i++)
            bl += (size_t)sprintf(deep + bl, "<div>");
        sprintf(deep + bl, "<link rel=alternate type=application/atom+xml href=/atom>");
        check_links(deep, "https://a.example/", NULL, KHC_DOC_HTML, "feed|https://a.example/rss|-|-|-\n");
        free(deep);
    }

    KH_TEST("links: not markup, empty, a stop");
    check_links("just some text, no tags", "https://a.example/", NULL, KHC_DOC_UNKNOWN, "");
    check_links("", "https://a.example/", NULL, KHC_DOC_UNKNOWN, "");
    link_log g;
    memset(&g, 0, sizeof g);
    g.stop_after = 1;
    KH_CHECK_INT(khc_links_parse(rss_feed, sizeof rss_feed - 1, "https://www.aljazeera.net/", NULL,
                                 NULL, log_link, &g),
                 KH_E_STOPPED);
    KH_CHECK_INT(g.calls, 1);
    /* an XHTML page read as XML would lose nothing either */
    check_links("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head>"
                "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom\"/>"
                "</head><body/></html>",
                "https://a.example/x/", NULL, KHC_DOC_HTML,
                "feed|https://a.example/feed.atom|-|-|-\n");
}

/* ------------------------------------------------------------------ */
/*  WARC out, read back                                                */
/* ------------------------------------------------------------------ */

static char warc_dir[64];

/* Inflates every gzip member of path into one buffer, as `gzip -t` and
 * `zcat` would, counting the members; NULL when a member is corrupt. */
static char *inflate_members(const char *path, size_t *out_len, int *members)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static unsigned char in[1 << 20];
    size_t n = fread(in, 1, sizeof in, f);
    fclose(f);
    size_t cap = 1 << 22, len = 0;
    char *out = malloc(cap);
    *members = 0;
    size_t at = 0;
    while (at < n) {
        z_stream z;
        memset(&z, 0, sizeof z);
        if (inflateInit2(&z, 15 + 16) != Z_OK)
            break;
        z.next_in = in + at;
        z.avail_in = (uInt)(n - at);
        z.next_out = (Bytef *)out + len;
        z.avail_out = (uInt)(cap - len - 1);
        int zr = inflate(&z, Z_FINISH);
        if (zr != Z_STREAM_END) {
            inflateEnd(&z);
            free(out);
            return NULL;
        }
        at += (size_t)(z.next_in - (in + at));
        len += z.total_out;
        inflateEnd(&z);
        (*members)++;
    }
    out[len] = '\0';
    *out_len = len;
    return out;
}

/* The names of the files in warc_dir, sorted, into names; their count. */
static size_t list_warcs(char names[][256], size_t cap)
{
    DIR *d = opendir(warc_dir);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' && n < cap)
            snprintf(names[n++], 256, "%s", e->d_name);
    if (d)
        closedir(d);
    qsort(names, n, 256, (int (*)(const void *, const void *))strcmp);
    return n;
}

static void clear_warcs(void)
{
    char names[64][256];
    size_t n = list_warcs(names, 64);
    for (size_t i = 0; i < n; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", warc_dir, names[i]);
        remove(p);
    }
}

/* The value of field name in the first record of text at or after from. */
static int field_is(const char *text, const char *name, const char *want)
{
    const char *p = strstr(text, name);
    if (!p)
        return 0;
    p += strlen(name);
    return strncmp(p, want, strlen(want)) == 0;
}

static const char page_html[] =
    "<!DOCTYPE html><html lang=\"ar\"><head><meta charset=\"utf-8\">"
    "<title>كارتر يدعو إلى عزل الرقة</title></head><body><article>"
    "<h1>كارتر يدعو إلى عزل الرقة</h1><p>دعا وزير الدفاع الأمريكي آشتون كارتر إلى عزل "
    "مدينة الرقة.</p></article></body></html>\n";

static void test_warc(void)
{
    snprintf(warc_dir, sizeof warc_dir, "/tmp/khabar-warc-XXXXXX");
    if (!mkdtemp(warc_dir)) {
        perror("mkdtemp");
        exit(2);
    }
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);

    KH_TEST("warc: write three exchanges");
    khc_warc *w;
    KH_CHECK_INT(khc_warc_open(ctx, warc_dir, "news", 0, "khabar-test/1.0 (+https://example.com/bot)", &w), KH_OK);
    const char req1[] = "GET /news/2016/10/25/carter HTTP/1.1\r\nHost: www.aljazeera.net\r\n"
                        "User-Agent: khabar-test/1.0\r\nAccept-Encoding: gzip\r\n\r\n";
    const char head1[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                         "Content-Length: 999\r\nServer: nginx\r\n\r\n";
    khc_exchange ex1 = { "https://www.aljazeera.net/news/2016/10/25/carter", 1477384440,
                         "198.51.100.7", req1, sizeof req1 - 1, head1, sizeof head1 - 1,
                         page_html, sizeof page_html - 1 };
    KH_CHECK_INT(khc_warc_write(w, &ex1), KH_OK);
    const char req2[] = "GET /arabic/middleeast-37760000 HTTP/1.1\r\nHost: www.bbc.com\r\n\r\n";
    const char head2[] = "HTTP/1.1 200 OK\n"
                         "Content-Type: text/html\n"
                         "Content-Encoding: gzip\n"
                         "Transfer-Encoding: chunked\n"
                         "Vary: Accept-Encoding\n\n";
    const char body2[] = "<html><body>hi</body></html>";
    khc_exchange ex2 = { "https://www.bbc.com/arabic/middleeast-37760000", 1477398245, "2001:db8::1",
                         req2, sizeof req2 - 1, head2, sizeof head2 - 1, body2, sizeof body2 - 1 };
    KH_CHECK_INT(khc_warc_write(w, &ex2), KH_OK);
    /* no request record; a URL with a line break must not forge a field */
    const char head3[] = "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n";
    khc_exchange ex3 = { "https://example.com/rss\r\nWARC-Type: forged", 1477398300, NULL, NULL, 0,
                         head3, sizeof head3 - 1, "<rss/>", 6 };
    KH_CHECK_INT(khc_warc_write(w, &ex3), KH_OK);
    /* still under its working name */
    char names[64][256];
    KH_CHECK_INT(list_warcs(names, 64), 1);
    KH_CHECK(strstr(names[0], ".warc.gz.open") != NULL);
    KH_CHECK_INT(khc_warc_close(w), KH_OK);

    KH_TEST("warc: one file, its name, every member a whole gzip member");
    KH_CHECK_INT(list_warcs(names, 64), 1);
    size_t nl = strlen(names[0]);
    KH_CHECK(nl == strlen("news-20161025113400-00000.warc.gz"));
    KH_CHECK(strncmp(names[0], "news-", 5) == 0);
    KH_CHECK(nl > 14 && strcmp(names[0] + nl - 14, "-00000.warc.gz") == 0);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", warc_dir, names[0]);
    size_t len = 0;
    int members = 0;
    char *text = inflate_members(path, &len, &members);
    KH_CHECK(text != NULL);
    KH_CHECK_INT(members, 6); /* warcinfo, 2 + 2 + 1 */
    if (text) {
        KH_CHECK(strncmp(text, "WARC/1.1\r\nWARC-Type: warcinfo\r\n", 31) == 0);
        KH_CHECK(strstr(text, "http-header-user-agent: khabar-test/1.0 (+https://example.com/bot)\r\n"));
        KH_CHECK(strstr(text, "WARC-Filename: news-"));
        /* request and response name each other */
        const char *req = strstr(text, "WARC-Type: request");
        const char *resp = strstr(text, "WARC-Type: response");
        KH_CHECK(req && resp && req < resp);
        char req_id[64] = "", resp_id[64] = "";
        if (req && resp) {
            sscanf(strstr(req, "WARC-Record-ID: ") + 16, "%63s", req_id);
            sscanf(strstr(resp, "WARC-Record-ID: ") + 16, "%63s", resp_id);
            KH_CHECK(strncmp(req_id, "<urn:uuid:", 10) == 0 && strlen(req_id) == 47);
            KH_CHECK(req_id[24] == '4'); /* version 4: random */
            KH_CHECK(strcmp(req_id, resp_id) != 0);
            KH_CHECK(field_is(req, "WARC-Concurrent-To: ", resp_id));
            KH_CHECK(field_is(resp, "WARC-Concurrent-To: ", req_id));
            KH_CHECK(field_is(resp, "WARC-Target-URI: ", "https://www.aljazeera.net/news/2016/10/25/carter\r\n"));
            KH_CHECK(field_is(resp, "WARC-Date: ", "2016-10-25T08:34:00Z\r\n"));
            KH_CHECK(field_is(resp, "WARC-IP-Address: ", "198.51.100.7\r\n"));
            KH_CHECK(field_is(resp, "Content-Type: ", "application/http; msgtype=response\r\n"));
            KH_CHECK(field_is(req, "Content-Type: ", "application/http; msgtype=request\r\n"));
        }
        /* the decoded body's headers: renamed, and its true length added */
        const char *h2 = strstr(text, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n");
        KH_CHECK(h2 != NULL);
        if (h2) {
            const char want[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                "X-Crawler-Content-Encoding: gzip\r\n"
                                "X-Crawler-Transfer-Encoding: chunked\r\n"
                                "Vary: Accept-Encoding\r\n"
                                "Content-Length: 28\r\n\r\n<html><body>hi</body></html>\r\n\r\n";
            KH_CHECK(strncmp(h2, want, sizeof want - 1) == 0);
        }
        KH_CHECK(strstr(text, "X-Crawler-Content-Length: 999\r\n") != NULL);
        /* the SHA-1 of the payload, base 32 */
        KH_CHECK(strstr(text, "WARC-Payload-Digest: sha1:QNF64SULHC3J2D777JNEW7IBJC7XFIGJ\r\n") != NULL);
        KH_CHECK(strstr(text, "\nWARC-Type: forged") == NULL);
        KH_CHECK(strstr(text, "WARC-Target-URI: https://example.com/rss%0D%0AWARC-Type:%20forged\r\n") != NULL);
        KH_CHECK(strstr(text, "<https://") == NULL); /* no angle brackets around URLs */
    }
    free(text);

    KH_TEST("warc: khabar's reader reads it back");
    kh_reader *r;
    const char *paths[] = { path };
    KH_CHECK_INT(kh_reader_open(ctx, paths, 1, &r), KH_OK);
    kh_doc *d;
    KH_CHECK_INT(kh_reader_next(r, &d), KH_OK);
    KH_CHECK(d != NULL);
    if (d) {
        KH_CHECK_STR(d->url, "https://www.aljazeera.net/news/2016/10/25/carter");
        KH_CHECK_STR(d->date, "2016-10-25T08:34:00Z");
        KH_CHECK(d->content_len == sizeof page_html - 1 && memcmp(d->content, page_html, d->content_len) == 0);
        kh_doc_free(d);
    }
    KH_CHECK_INT(kh_reader_next(r, &d), KH_OK);
    KH_CHECK(d != NULL);
    if (d) {
        KH_CHECK_STR(d->url, "https://www.bbc.com/arabic/middleeast-37760000");
        KH_CHECK_STR(d->content, body2);
        kh_doc_free(d);
    }
    /* the RSS response is not a page: skipped, and nothing else follows */
    KH_CHECK_INT(kh_reader_next(r, &d), KH_OK);
    KH_CHECK(d == NULL);
    kh_read_stats st;
    kh_reader_stats(r, &st);
    KH_CHECK_INT(st.skipped, 4); /* warcinfo, 2 requests, the feed */
    kh_reader_free(r);
    clear_warcs();

    KH_TEST("warc: rotation by size, each file opening with warcinfo");
    KH_CHECK_INT(khc_warc_open(ctx, warc_dir, "rot", 3000, "khabar-test/1.0", &w), KH_OK);
    /* bodies that do not compress, so the sizes are known */
    char body[1500];
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 6; i++) {
        for (size_t k = 0; k < sizeof body - 1; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            body[k] = (char)('a' + x % 26);
        }
        memcpy(body, "<p>", 3);
        body[sizeof body - 1] = '\0';
        char url[64];
        snprintf(url, sizeof url, "https://example.com/a/%d", i);
        khc_exchange ex = { url, 1477398300 + i, NULL, req2, sizeof req2 - 1, head1, sizeof head1 - 1,
                            body, sizeof body - 1 };
        KH_CHECK_INT(khc_warc_write(w, &ex), KH_OK);
    }
    KH_CHECK_INT(khc_warc_close(w), KH_OK);
    size_t nf = list_warcs(names, 64);
    KH_CHECK(nf >= 3);
    int responses = 0;
    for (size_t i = 0; i < nf; i++) {
        char want_tail[32];
        snprintf(want_tail, sizeof want_tail, "-%05zu.warc.gz", i);
        size_t l = strlen(names[i]);
        KH_CHECK(l > strlen(want_tail) && strcmp(names[i] + l - strlen(want_tail), want_tail) == 0);
        snprintf(path, sizeof path, "%s/%s", warc_dir, names[i]);
        text = inflate_members(path, &len, &members);
        KH_CHECK(text && strncmp(text, "WARC/1.1\r\nWARC-Type: warcinfo\r\n", 31) == 0);
        KH_CHECK(members >= 3);
        struct stat sb;
        stat(path, &sb);
        /* over the cap only when the file holds a single pair */
        KH_CHECK(sb.st_size <= 3000 || members == 3);
        for (const char *p = text; p && (p = strstr(p, "WARC-Type: response")); p++)
            responses++;
        free(text);
    }
    KH_CHECK_INT(responses, 6);
    clear_warcs();

    KH_TEST("warc: a missing directory is made, with its parents");
    {
        char nested[128];
        snprintf(nested, sizeof nested, "%s/new/deeper", warc_dir);
        KH_CHECK_INT(khc_warc_open(ctx, nested, "x", 0, "ua", &w), KH_OK);
        KH_CHECK_INT(khc_warc_close(w), KH_OK);
        w = NULL;
        DIR *dh = opendir(nested);
        size_t files = 0;
        for (struct dirent *e; dh && (e = readdir(dh)) != NULL;)
            files += strncmp(e->d_name, "x-", 2) == 0;
        if (dh) closedir(dh);
        KH_CHECK_INT(files, 1);
        for (DIR *d2 = opendir(nested); d2;) {
            struct dirent *e = readdir(d2);
            if (!e) { closedir(d2); break; }
            if (e->d_name[0] == '.') continue;
            char f[512];
            if (snprintf(f, sizeof f, "%s/%s", nested, e->d_name) < (int)sizeof f) remove(f);
        }
        rmdir(nested);
        snprintf(nested, sizeof nested, "%s/new", warc_dir);
        rmdir(nested);
    }

    KH_TEST("warc: errors name the path");
    {
        /* a directory under a plain file cannot be made */
        char file[128], under[160];
        snprintf(file, sizeof file, "%s/plain", warc_dir);
        FILE *fh = fopen(file, "w");
        KH_CHECK(fh != NULL);
        if (fh) fclose(fh);
        snprintf(under, sizeof under, "%s/sub", file);
        KH_CHECK_INT(khc_warc_open(ctx, under, "x", 0, "ua", &w), KH_E_IO);
        KH_CHECK(w == NULL);
        KH_CHECK(strstr(kh_errmsg(ctx), file) != NULL);
        remove(file);
    }
    KH_CHECK_INT(khc_warc_close(NULL), KH_OK);
    kh_ctx_free(ctx);

    KH_TEST("warc: allocation failure");
    kh_status rc = KH_E_NOMEM;
    for (long fail = 1; fail < 400 && rc != KH_OK; fail++) {
        kh_test_alloc ta = { 0, fail, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *c2;
        if (kh_ctx_create(&c2, &al) != KH_OK)
            continue;
        char prefix[32];
        snprintf(prefix, sizeof prefix, "nomem%ld", fail);
        rc = khc_warc_open(c2, warc_dir, prefix, 0, "ua", &w);
        if (rc == KH_OK) {
            rc = khc_warc_write(w, &ex1);
            kh_status rc2 = khc_warc_close(w);
            if (rc == KH_OK)
                rc = rc2;
        }
        KH_CHECK(rc == KH_OK || rc == KH_E_NOMEM);
        kh_ctx_free(c2);
        KH_CHECK_INT(ta.live, 0);
    }
    KH_CHECK_INT(rc, KH_OK);
    clear_warcs();
    rmdir(warc_dir);
}

int main(void)
{
    test_url();
    test_robots();
    test_feed();
    test_warc();
    return kh_test_report("test_crawl_parts");
}
