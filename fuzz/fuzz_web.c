/*
 * fuzz_web.c — the page renderer on hostile input.
 *
 * Input: PATH '\n' Q '\n' ACCOUNT_JSON '\n' ARTICLE_TEXT. A story is stored
 * with the account and an article with the text (both also as title and
 * source), then PATH is rendered with Q as the search and as the page
 * number. Whatever the bytes, rendering must succeed with a known status
 * and no markup from the input may reach the page.
 */
#include "fuzz_page_check.h"
#include "khabar.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Next '\n'-separated field, NUL-terminated, as valid UTF-8 (or empty). */
static char *field(const uint8_t **p, const uint8_t *end)
{
    const uint8_t *s = *p;
    const uint8_t *e = s;
    while (e < end && *e != '\n')
        e++;
    size_t n = (size_t)(e - s);
    char *out = malloc(n + 1);
    memcpy(out, s, n);
    out[n] = 0;
    if (memchr(out, 0, n) || kh_utf8_check(out, n, NULL) != KH_OK)
        out[0] = 0;
    *p = e < end ? e + 1 : e;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    char *path = field(&p, end);
    char *q = field(&p, end);
    char *account = field(&p, end);
    char *text = field(&p, end);
    kh_ctx *ctx;
    kh_store *st;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_store_open(ctx, ":memory:", &st) != KH_OK)
        abort();
    kh_store_story s;
    memset(&s, 0, sizeof s);
    s.headline = text;
    s.first = s.last = q;
    s.lang = q;
    s.account_json = account;
    int64_t sid;
    if (kh_store_put_story(st, &s, &sid) != KH_OK)
        abort();
    kh_store_article a;
    memset(&a, 0, sizeof a);
    a.id = "a";
    a.title = text;
    a.source = text;
    a.url = text;
    a.lang = q;
    a.body = text;
    a.body_len = strlen(text);
    a.story_id = sid;
    if (kh_store_put_article(st, &a, NULL) != KH_OK)
        abort();
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    int status;
    const char *type;
    if (kh_web_render(st, *path ? path : "/story/1", *q ? q : NULL, NULL, &out, &status,
                      &type) != KH_OK)
        abort();
    if (status != 200 && status != 400 && status != 404 && status != 414)
        abort();
    int html = strncmp(type, "text/html", 9) == 0; /* JSON carries text as it is */
    if (html && out.len && (strstr(out.data, "<script") || strstr(out.data, "<img") ||
                    !fuzz_links_ok(out.data)))
        abort();
    if (strncmp(type, "application/atom+xml", 20) == 0 && !fuzz_xml_ok(out.data, out.len))
        abort();
    /* the feed carries the story's headline, the crawled text */
    kh_buf_clear(&out);
    kh_web_params all;
    memset(&all, 0, sizeof all);
    all.view = "all";
    if (kh_web_render_params(st, "/feed/top.atom", &all, &out, &status, &type) != KH_OK ||
        status != 200 || !fuzz_xml_ok(out.data, out.len) || !strstr(out.data, "<entry>"))
        abort();
    kh_buf_clear(&out);
    if (kh_web_render(st, "/search", *q ? q : "a", *q ? q : NULL, &out, &status, &type) != KH_OK)
        abort();
    if (out.len && strstr(out.data, "<script"))
        abort();
    /* a search's feed carries crawled text too: titles, sources, snippets */
    kh_buf_clear(&out);
    if (kh_web_render(st, "/feed/search.atom", *q ? q : "a", NULL, &out, &status, &type) !=
            KH_OK ||
        (status == 200 && !fuzz_xml_ok(out.data, out.len)))
        abort();
    kh_buf_free(&out);
    kh_store_close(st);
    kh_ctx_free(ctx);
    free(path);
    free(q);
    free(account);
    free(text);
    return 0;
}
