/*
 * test_crawl_parts.c — the crawler's pure parts (src/kh_crawl_int.h) on
 * real-shaped input: URL normalization, robots.txt, the links of feeds,
 * sitemaps and home pages, and the WARC writer read back by khabar's own
 * reader.
 */
#include "testhelp.h"
#include "kh_crawl_int.h"

#include <stdint.h>
#include <stdlib.h>

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

int main(void)
{
    (void)kh_test_alloc_fn;
    test_url();
    test_robots();
    return kh_test_report("test_crawl_parts");
}
