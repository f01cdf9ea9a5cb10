/*
 * test_core.c — context, errors, arena and buffer: the memory every stage
 * writes into, including allocation failure on purpose.
 */
#include "kh_internal.h"
#include "testhelp.h"

#include <stdint.h>

static void test_version_and_errors(void)
{
    KH_TEST("version");
    KH_CHECK_INT(kh_version_number(), KH_VERSION_NUMBER);
    KH_CHECK_STR(kh_version_string(), KH_VERSION_STRING);

    KH_TEST("strerror");
    KH_CHECK_STR(kh_strerror(KH_OK), "ok");
    KH_CHECK_STR(kh_strerror(KH_E_TOOBIG), "too big");
    KH_CHECK_STR(kh_strerror((kh_status)9999), "unknown error");
    /* Codes are pinned: a renumbering breaks logs and bindings. */
    KH_CHECK_INT(KH_E_NOMEM, 1);
    KH_CHECK_INT(KH_E_UTF8, 3);
    KH_CHECK_INT(KH_E_JSON, 7);
    KH_CHECK_INT(KH_E_STOPPED, 14);

    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    KH_TEST("errmsg");
    KH_CHECK_STR(kh_errmsg(ctx), "");
    KH_CHECK(kh_ctx_error(ctx, KH_E_JSON, "%s:%d: truncated object", "a.jsonl", 12) == KH_E_JSON);
    KH_CHECK_STR(kh_errmsg(ctx), "a.jsonl:12: truncated object");
    KH_CHECK_STR(kh_errmsg(NULL), "out of memory");

    KH_TEST("limits");
    KH_CHECK_INT(kh_ctx_limit(ctx, KH_LIMIT_LINE, 0), 16 << 20);
    KH_CHECK_INT(kh_ctx_limit(ctx, KH_LIMIT_LINE, 100), 16 << 20);
    KH_CHECK_INT(kh_ctx_limit(ctx, KH_LIMIT_LINE, 0), 100);
    KH_CHECK_INT(kh_ctx_limit(ctx, (kh_limit)77, 5), 0);
    kh_ctx_free(ctx);
    kh_ctx_free(NULL);
}

static void test_arena(void)
{
    KH_TEST("arena");
    kh_test_alloc ta = { 0, 0, 0 };
    kh_allocator al = { kh_test_alloc_fn, &ta };
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, &al) == KH_OK);
    kh_arena *a;
    KH_CHECK(kh_arena_create(ctx, &a) == KH_OK);
    char *prev = NULL;
    int aligned = 1, distinct = 1;
    for (int i = 0; i < 1000; i++) {
        char *p = kh_arena_alloc(a, (size_t)(i % 37) + 1);
        aligned &= ((uintptr_t)p % 16) == 0;
        distinct &= p != prev;
        memset(p, 'x', (size_t)(i % 37) + 1);
        prev = p;
    }
    KH_CHECK(aligned);
    KH_CHECK(distinct);
    char *big = kh_arena_alloc(a, 1 << 20);
    KH_CHECK(big != NULL);
    char *s = kh_arena_strndup(a, "كارتر", strlen("كارتر"));
    KH_CHECK_STR(s, "كارتر");
    size_t before = kh_arena_footprint(a);
    kh_arena_reset(a);
    KH_CHECK(kh_arena_footprint(a) < before);
    KH_CHECK(kh_arena_alloc(a, 10) != NULL);
    KH_CHECK(kh_arena_alloc(a, SIZE_MAX) == NULL);
    kh_arena_free(a);
    kh_arena_free(NULL);
    kh_ctx_free(ctx);
    KH_CHECK_INT(ta.live, 0);
}

static void test_buf(void)
{
    KH_TEST("buf");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_buf b;
    kh_buf_init(&b, ctx, 16);
    KH_CHECK(kh_buf_puts(&b, "0123456789") == KH_OK);
    KH_CHECK(kh_buf_printf(&b, "%d", 12345) == KH_OK);
    KH_CHECK_STR(b.data, "012345678912345");
    KH_CHECK(kh_buf_puts(&b, "xx") == KH_E_TOOBIG);
    KH_CHECK_STR(b.data, "012345678912345"); /* a failed append changes nothing */
    kh_buf_free(&b);

    KH_TEST("buf json");
    kh_buf_init(&b, ctx, 0);
    const char raw[] = "قال \"كارتر\"\n\t\\ \x01";
    KH_CHECK(kh_buf_json_string(&b, raw, sizeof raw - 1) == KH_OK);
    KH_CHECK_STR(b.data, "\"قال \\\"كارتر\\\"\\n\\t\\\\ \\u0001\"");
    kh_buf_clear(&b);
    KH_CHECK_INT(b.len, 0);
    KH_CHECK(kh_buf_printf(&b, "%0300d", 7) == KH_OK); /* longer than the stack buffer */
    KH_CHECK_INT(b.len, 300);
    KH_CHECK(b.data[299] == '7');
    kh_buf_free(&b);
    kh_ctx_free(ctx);
}

/* Every allocation the arena makes is failed once in turn. */
static void test_arena_nomem(void)
{
    KH_TEST("arena nomem");
    int clean = 1;
    for (long n = 1; n < 50; n++) {
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) {
            clean &= ta.live == 0;
            continue;
        }
        kh_arena *a;
        if (kh_arena_create(ctx, &a) == KH_OK) {
            for (int i = 0; i < 20; i++)
                if (!kh_arena_alloc(a, 3000))
                    break;
            kh_arena_free(a);
        }
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
}

static void test_utf8(void)
{
    KH_TEST("utf8 check");
    static const struct {
        const char *bytes;
        size_t len;
        int ok;
        size_t bad;
    } cases[] = {
        { "plain ascii text, longer than eight", 35, 1, 0 },
        { "\xd9\x83\xd8\xa7\xd8\xb1\xd8\xaa\xd8\xb1", 10, 1, 0 }, /* كارتر */
        { "ab\xff", 3, 0, 2 },                 /* never valid */
        { "\xc0\xaf", 2, 0, 0 },               /* overlong '/' */
        { "abc\xed\xa0\x80", 6, 0, 3 },        /* surrogate U+D800 */
        { "\xf4\x90\x80\x80", 4, 0, 0 },       /* above U+10FFFF */
        { "\xd9", 1, 0, 0 },                   /* truncated */
        { "\xf0\x9f\x98\x80", 4, 1, 0 },       /* U+1F600 */
        { "12345678\xd9\x83\x80", 11, 0, 10 }, /* stray continuation after ASCII run */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t bad = 999;
        kh_status rc = kh_utf8_check(cases[i].bytes, cases[i].len, &bad);
        KH_CHECK_INT(rc, cases[i].ok ? KH_OK : KH_E_UTF8);
        if (!cases[i].ok)
            KH_CHECK_INT(bad, cases[i].bad);
    }
}

/* A growing array keeps its elements, doubles, and is left whole when
 * memory runs out. */
static void test_grow(void)
{
    KH_TEST("grow");
    kh_test_alloc ta = { 0, 0, 0 };
    kh_allocator al = { kh_test_alloc_fn, &ta };
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, &al) == KH_OK);
    long long base = ta.live;
    int64_t *v = NULL;
    size_t n = 0, cap = 0;
    int kept = 1;
    for (int64_t i = 0; i < 1000; i++) {
        KH_CHECK(KHI_GROW(ctx, v, n, cap, 8) == KH_OK);
        v[n++] = i * 7;
    }
    for (size_t i = 0; i < n; i++)
        kept &= v[i] == (int64_t)i * 7;
    KH_CHECK(kept);
    KH_CHECK_INT((long long)cap, 1024); /* 8, 16, ... 1024 */
    while (n < cap)
        v[n++] = 0;
    int64_t *before = v;
    ta.fail_at = ta.calls + 1;
    KH_CHECK(KHI_GROW(ctx, v, n, cap, 8) == KH_E_NOMEM);
    ta.fail_at = 0;
    KH_CHECK(v == before && cap == 1024 && v[999] == 999 * 7);
    kh_free(ctx, v, cap * sizeof *v);
    KH_CHECK_INT(ta.live, base);
    kh_ctx_free(ctx);
}

int main(void)
{
    test_utf8();
    test_version_and_errors();
    test_arena();
    test_buf();
    test_arena_nomem();
    test_grow();
    return kh_test_report("test_core");
}
