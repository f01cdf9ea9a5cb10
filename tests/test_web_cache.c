/*
 * test_web_cache.c — the server's kept answers: found again by their exact
 * key, gone when the store's version moves, bounded in count and bytes with
 * the least recently used answer leaving first.
 */
#include "kh_web_int.h"
#include "testhelp.h"

#include <stdio.h>
#include <string.h>

static const char html[] = "text/html; charset=utf-8";

static int put_text(khi_web_cache *c, const char *key, const char *body)
{
    khi_web_answer a = { 200, html, body, strlen(body) };
    return khi_web_cache_put(c, key, strlen(key), &a);
}

static const char *get_text(khi_web_cache *c, const char *key)
{
    const khi_web_answer *a = khi_web_cache_get(c, key, strlen(key));
    return a ? a->body : NULL;
}

static void test_found_by_key(kh_ctx *ctx)
{
    KH_TEST("an answer is found by its exact key only");
    khi_web_cache *c = khi_web_cache_new(ctx);
    KH_CHECK(c != NULL);
    khi_web_cache_validate(c, 7);
    KH_CHECK(put_text(c, "/story/1", "<p>one</p>"));
    KH_CHECK(put_text(c, "/story/10", "<p>ten</p>"));
    KH_CHECK_STR(get_text(c, "/story/1"), "<p>one</p>");
    KH_CHECK_STR(get_text(c, "/story/10"), "<p>ten</p>");
    KH_CHECK(get_text(c, "/story/") == NULL);
    KH_CHECK(get_text(c, "/story/100") == NULL);
    /* keys may hold NULs: "=a\0-" and "=a\0=" differ past the first NUL */
    khi_web_answer a = { 200, html, "x", 1 };
    KH_CHECK(khi_web_cache_put(c, "=a\0-", 4, &a));
    KH_CHECK(khi_web_cache_get(c, "=a\0=", 4) == NULL);
    KH_CHECK(khi_web_cache_get(c, "=a\0-", 4) != NULL);
    const khi_web_answer *got = khi_web_cache_get(c, "/story/1", 8);
    KH_CHECK(got && got->status == 200 && got->type == html && got->body_len == 10);

    KH_TEST("the same version keeps the answers, another drops them all");
    khi_web_cache_validate(c, 7);
    KH_CHECK_STR(get_text(c, "/story/1"), "<p>one</p>");
    khi_web_cache_validate(c, 8);
    KH_CHECK(get_text(c, "/story/1") == NULL);
    KH_CHECK(get_text(c, "/story/10") == NULL);
    KH_CHECK_INT((long long)khi_web_cache_bytes(c), 0);
    khi_web_cache_free(c);
}

static void test_bounds(kh_ctx *ctx)
{
    KH_TEST("at most KHI_WEB_CACHE_ENTRIES answers; the least recently used leaves");
    khi_web_cache *c = khi_web_cache_new(ctx);
    khi_web_cache_validate(c, 1);
    char key[32];
    for (int i = 0; i < KHI_WEB_CACHE_ENTRIES; i++) {
        snprintf(key, sizeof key, "/story/%d", i);
        KH_CHECK(put_text(c, key, "body"));
    }
    KH_CHECK(get_text(c, "/story/0") != NULL); /* 0 is now the most recent */
    KH_CHECK(put_text(c, "/new", "body"));    /* evicts 1, the oldest unused */
    KH_CHECK(get_text(c, "/story/0") != NULL);
    KH_CHECK(get_text(c, "/story/1") == NULL);
    KH_CHECK(get_text(c, "/story/2") != NULL);
    KH_CHECK(get_text(c, "/new") != NULL);

    KH_TEST("an answer over KHI_WEB_CACHE_MAX_ANSWER is not kept");
    size_t big_len = KHI_WEB_CACHE_MAX_ANSWER + 1;
    char *big = kh_malloc(ctx, big_len);
    KH_CHECK(big != NULL);
    memset(big, 'x', big_len);
    khi_web_answer a = { 200, html, big, big_len };
    KH_CHECK(!khi_web_cache_put(c, "/big", 4, &a));
    KH_CHECK(khi_web_cache_get(c, "/big", 4) == NULL);

    KH_TEST("bodies stay within KHI_WEB_CACHE_BYTES");
    khi_web_cache_clear(c);
    a.body_len = KHI_WEB_CACHE_MAX_ANSWER;
    size_t fit = KHI_WEB_CACHE_BYTES / (KHI_WEB_CACHE_MAX_ANSWER + 16);
    for (size_t i = 0; i < fit + 3; i++) {
        snprintf(key, sizeof key, "/page/%zu", i);
        KH_CHECK(khi_web_cache_put(c, key, strlen(key), &a));
        KH_CHECK(khi_web_cache_bytes(c) <= KHI_WEB_CACHE_BYTES);
    }
    KH_CHECK(get_text(c, "/page/0") == NULL);  /* the oldest made room */
    snprintf(key, sizeof key, "/page/%zu", fit + 2);
    const khi_web_answer *last = khi_web_cache_get(c, key, strlen(key));
    KH_CHECK(last && last->body_len == KHI_WEB_CACHE_MAX_ANSWER && last->body[0] == 'x');
    kh_free(ctx, big, big_len);
    khi_web_cache_free(c);
}

static void test_no_memory(void)
{
    KH_TEST("out of memory: the answer is not kept, nothing leaks");
    kh_test_alloc ta = { 0, 0, 0 };
    kh_allocator al = { kh_test_alloc_fn, &ta };
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, &al) == KH_OK);
    long long base = ta.live;
    khi_web_cache *c = khi_web_cache_new(ctx);
    KH_CHECK(c != NULL);
    khi_web_cache_validate(c, 1);
    KH_CHECK(put_text(c, "/a", "kept"));
    ta.fail_at = ta.calls + 1;
    KH_CHECK(!put_text(c, "/b", "not kept"));
    ta.fail_at = 0;
    KH_CHECK(get_text(c, "/b") == NULL);
    KH_CHECK_STR(get_text(c, "/a"), "kept");
    khi_web_cache_free(c);
    KH_CHECK_INT(ta.live, base);
    kh_ctx_free(ctx);
}

int main(void)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    test_found_by_key(ctx);
    test_bounds(ctx);
    kh_ctx_free(ctx);
    test_no_memory();
    return kh_test_report("test_web_cache");
}
