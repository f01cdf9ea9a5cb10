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

int main(void)
{
    (void)kh_test_alloc_fn;
    test_url();
    return kh_test_report("test_crawl_parts");
}
