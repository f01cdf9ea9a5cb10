/*
 * fuzz_feed.c — the links of feeds, sitemaps and pages on arbitrary bytes.
 * The first byte picks an opening put in front of the rest (none, an RSS
 * item, a sitemap <url>, an HTML feed <link>) and whether a Content-Type
 * charset is given, so that most runs reach each format's walk. Every link
 * must be a normalized http(s) URL, given once, with UTF-8 text and a date
 * in one of the two ISO 8601 shapes.
 */
#include "kh_crawl_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seen {
    char *urls[64];
    size_t n;
} seen;

static int check_link(void *user, const khc_link *l)
{
    seen *s = user;
    if (strncmp(l->url, "http://", 7) != 0 && strncmp(l->url, "https://", 8) != 0)
        __builtin_trap();
    char *again = NULL;
    if (khc_url_normalize(NULL, l->url, &again) != KH_OK || strcmp(again, l->url) != 0)
        __builtin_trap();
    free(again);
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->urls[i], l->url) == 0)
            __builtin_trap(); /* given twice */
    if (s->n < 64)
        s->urls[s->n++] = strdup(l->url);
    const char *texts[] = { l->title, l->language, l->date };
    for (int i = 0; i < 3; i++)
        if (texts[i] && kh_utf8_check(texts[i], strlen(texts[i]), NULL) != KH_OK)
            __builtin_trap();
    if (l->date) {
        size_t n = strlen(l->date);
        if (n != 10 && n != 20 && n != 25)
            __builtin_trap();
        if (l->date[4] != '-' || l->date[7] != '-')
            __builtin_trap();
    }
    if (l->kind != KHC_LINK_ARTICLE && l->kind != KHC_LINK_FEED && l->kind != KHC_LINK_SITEMAP)
        __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const openings[] = {
        "",
        "<rss><channel><item><link>",
        "<urlset xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\"><url><loc>",
        "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"",
    };
    if (size == 0 || size > (1u << 20))
        return 0;
    const char *opening = openings[data[0] & 3];
    const char *ctype = data[0] & 4 ? "text/xml; charset=windows-1256" : NULL;
    size_t ol = strlen(opening);
    char *body = malloc(ol + size);
    if (!body)
        return 0;
    memcpy(body, opening, ol);
    memcpy(body + ol, data + 1, size - 1);
    seen s = { { 0 }, 0 };
    khc_doc_kind kind;
    kh_status rc = khc_links_parse(body, ol + size - 1, "https://example.com/news/feed", ctype,
                                   &kind, check_link, &s);
    if (rc != KH_OK && rc != KH_E_NOMEM)
        __builtin_trap();
    if (kind > KHC_DOC_HTML)
        __builtin_trap();
    for (size_t i = 0; i < s.n; i++)
        free(s.urls[i]);
    free(body);
    return 0;
}
