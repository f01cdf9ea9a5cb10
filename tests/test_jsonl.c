/*
 * test_jsonl.c — the JSON Lines fast path (src/kh_jsonl.c) against jansson.
 *
 * Every case goes through khi_jsonl_scan() and through jansson as the
 * reader used it (json_loadb with JSON_REJECT_DUPLICATES, an object, the
 * known members strings or null). The scanner may give up on a line jansson
 * takes (the reader then falls back to jansson), but it must never take a
 * line jansson refuses, and what it takes it must decode to jansson's bytes.
 * The same check runs on every line of the SaudiNewsNet corpus when it is
 * there, where the scanner must also take every line. Then the reader:
 * documents from the fast path, the fallback for a line the scanner leaves
 * to jansson, and allocation failure.
 */
#include "kh_jsonl.h"
#include "testhelp.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define CORPUS "../shared/corpora/saudinewsnet/articles.jsonl.gz"

/* Code points in valid UTF-8. */
static size_t n_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/*
 * Scans line with both parsers. Sets *fast (the scanner took it) and *slow
 * (jansson took it and the reader would read its members).
 * @return NULL when they agree, else what differs.
 */
static const char *differ(const unsigned char *line, size_t len, int *fast, int *slow)
{
    char *buf = malloc(len + KHI_JSONL_SLACK);
    khi_jstr f[KHI_JF_COUNT];
    const char *why = NULL;
    *fast = khi_jsonl_scan(line, len, buf, f);
    json_error_t err;
    json_t *obj = json_loadb((const char *)line, len, JSON_REJECT_DUPLICATES, &err);
    *slow = obj && json_is_object(obj);
    for (int i = 0; *slow && i < KHI_JF_COUNT; i++) {
        json_t *v = json_object_get(obj, khi_jsonl_names[i]);
        if (v && !json_is_null(v) && !json_is_string(v))
            *slow = 0;
    }
    if (*fast && !*slow)
        why = "the scanner took a line jansson refuses";
    for (int i = 0; *fast && *slow && !why && i < KHI_JF_COUNT; i++) {
        json_t *v = json_object_get(obj, khi_jsonl_names[i]);
        const char *want = v && json_is_string(v) ? json_string_value(v) : NULL;
        size_t want_len = want ? json_string_length(v) : 0;
        if (!want != !f[i].text)
            why = "a member present in one and absent in the other";
        else if (want && (want_len != f[i].text_len || memcmp(want, f[i].text, want_len) != 0 ||
                          f[i].text[want_len] != '\0'))
            why = "a member decoded differently";
        else if (want && f[i].n_chars != n_chars(want, want_len))
            why = "a wrong count of code points";
    }
    json_decref(obj);
    free(buf);
    return why;
}

typedef struct scan_case {
    const char *name;
    const char *line;
    size_t len; /* 0: strlen(line) */
    int take;   /* the scanner takes it */
} scan_case;

static const scan_case cases[] = {
    /* Taken. */
    { "arabic", "{\"id\":\"snn-1\",\"title\":\"أمير منطقة الرياض يفتتح المعرض\","
                "\"text\":\"افتتح أمير منطقة الرياض صباح اليوم معرض الكتاب الدولي.\\n\\nوقال إن المعرض\"}", 0, 1 },
    { "english", "{\"id\":\"en-1\",\"url\":\"https://example.com/a?b=1&c=2\",\"source\":\"Reuters\","
                 "\"date\":\"2015-01-01\",\"title\":\"Oil prices fall\",\"text\":\"Oil fell on Monday, "
                 "traders said.\"}", 0, 1 },
    { "every escape", "{\"id\":\"e\",\"text\":\"q\\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t.\"}", 0, 1 },
    { "unicode escapes", "{\"id\":\"\\u0633\\u0644\\u0627\\u0645\",\"text\":\"\\u00e9\\u00E9 \\u20AC \\u0041\\u007f\\u0080\\u07FF\\u0800\\uFFFF\"}", 0, 1 },
    { "surrogate pair", "{\"id\":\"s\",\"text\":\"smile \\uD83D\\uDE00 and \\ud835\\udd38\"}", 0, 1 },
    { "raw 3 and 4 byte", "{\"id\":\"r\",\"text\":\"“quoted” — ﷺ 𝔸 😀\"}", 0, 1 },
    { "white space everywhere", " \t{ \"id\" \t: \r\"x\" ,\n\"text\"  :  \"y\"  ,\"n\" : [ 1 , { } , [ ] ] } \r ", 0, 1 },
    { "no white space", "{\"id\":\"x\",\"n\":[1,{},[]],\"text\":\"y\"}", 0, 1 },
    { "nested skipped", "{\"id\":\"n\",\"meta\":{\"a\":[1,2,{\"b\":\"c\\\"}\"}],\"d\":{}},"
                        "\"tags\":[\"x\",\"y\\n\",\"\\uD83D\\uDE00\"],\"text\":\"t\"}", 0, 1 },
    { "numbers", "{\"id\":\"n\",\"a\":-0,\"b\":1.5e10,\"c\":0.25,\"d\":1E-5,\"e\":-123456789012345678,"
                 "\"f\":2e+250,\"g\":1e-250,\"h\":0,\"text\":\"x\"}", 0, 1 },
    { "literals", "{\"id\":\"b\",\"a\":true,\"b\":false,\"c\":null,\"url\":null,\"text\":\"x\"}", 0, 1 },
    { "same key in sibling objects", "{\"id\":\"x\",\"o\":{\"id\":1},\"p\":{\"id\":2},\"text\":\"y\"}", 0, 1 },
    { "same key outside and inside", "{\"id\":\"x\",\"o\":{\"id\":1,\"o\":2},\"text\":\"y\"}", 0, 1 },
    { "empty key", "{\"\":1,\"id\":\"x\",\"text\":\"y\"}", 0, 1 },
    { "page body", "{\"id\":\"p\",\"page\":\"line one\\nline two\\n\"}", 0, 1 },
    { "html body", "{\"id\":\"h\",\"html\":\"<p class=\\\"x\\\">مرحبا</p>\"}", 0, 1 },
    /* Taken by the scanner; the reader then refuses the record (via jansson). */
    { "no id", "{\"text\":\"y\"}", 0, 1 },
    { "empty id", "{\"id\":\"\",\"text\":\"y\"}", 0, 1 },
    { "two bodies", "{\"id\":\"a\",\"text\":\"y\",\"html\":\"z\"}", 0, 1 },
    { "empty object", "{}", 0, 1 },
    /* Left to jansson, which takes them. */
    { "escaped key", "{\"i\\u0064\":\"a\",\"text\":\"x\"}", 0, 0 },
    { "deep nesting", "{\"id\":\"d\",\"n\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"text\":\"x\"}", 0, 0 },
    { "long integer", "{\"id\":\"n\",\"n\":1234567890123456789,\"text\":\"x\"}", 0, 0 },
    { "top-level array", "[{\"id\":\"a\",\"text\":\"x\"}]", 0, 0 },
    /* Refused by both. */
    { "lone high surrogate", "{\"id\":\"s\",\"text\":\"\\uD83D\"}", 0, 0 },
    { "lone high surrogate then text", "{\"id\":\"s\",\"text\":\"\\uD83Dabcdef\"}", 0, 0 },
    { "lone low surrogate", "{\"id\":\"s\",\"text\":\"\\uDE00\"}", 0, 0 },
    { "high then not low", "{\"id\":\"s\",\"text\":\"\\uD83D\\u0041\"}", 0, 0 },
    { "high then high", "{\"id\":\"s\",\"text\":\"\\uD83D\\uD83D\"}", 0, 0 },
    { "\\u0000 in a value", "{\"id\":\"s\",\"text\":\"a\\u0000b\"}", 0, 0 },
    { "\\u0000 in a key", "{\"a\\u0000\":1,\"id\":\"s\",\"text\":\"x\"}", 0, 0 },
    { "raw tab in a string", "{\"id\":\"s\",\"text\":\"a\tb\"}", 0, 0 },
    { "raw control byte", "{\"id\":\"s\",\"text\":\"a\x1f" "b\"}", 0, 0 },
    { "raw NUL", "{\"id\":\"s\",\"text\":\"a\0b\"}", 23, 0 },
    { "bad UTF-8", "{\"id\":\"s\",\"text\":\"\xC3\x28\"}", 0, 0 },
    { "overlong", "{\"id\":\"s\",\"text\":\"\xC0\xAF\"}", 0, 0 },
    { "encoded surrogate", "{\"id\":\"s\",\"text\":\"\xED\xA0\x80\"}", 0, 0 },
    { "above U+10FFFF", "{\"id\":\"s\",\"text\":\"\xF4\x90\x80\x80\"}", 0, 0 },
    { "truncated sequence", "{\"id\":\"s\",\"text\":\"\xD8\"}", 0, 0 },
    { "bad UTF-8 in a key", "{\"\xFF\":1,\"id\":\"s\",\"text\":\"x\"}", 0, 0 },
    { "bad UTF-8 outside strings", "{\"id\":\"s\",\"text\":\"x\"}\xC3\xA9", 0, 0 },
    { "duplicate id", "{\"id\":\"a\",\"id\":\"b\",\"text\":\"x\"}", 0, 0 },
    { "duplicate after null", "{\"id\":\"a\",\"url\":null,\"url\":\"u\",\"text\":\"x\"}", 0, 0 },
    { "duplicate unknown", "{\"id\":\"a\",\"text\":\"x\",\"k\":1,\"k\":2}", 0, 0 },
    { "duplicate nested", "{\"o\":{\"a\":1,\"a\":2},\"id\":\"a\",\"text\":\"x\"}", 0, 0 },
    { "id a number", "{\"id\":5,\"text\":\"x\"}", 0, 0 },
    { "text an array", "{\"id\":\"a\",\"text\":[\"x\"]}", 0, 0 },
    { "title true", "{\"id\":\"a\",\"title\":true,\"text\":\"x\"}", 0, 0 },
    { "trailing garbage", "{\"id\":\"a\",\"text\":\"x\"} x", 0, 0 },
    { "two objects", "{\"id\":\"a\",\"text\":\"x\"}{}", 0, 0 },
    { "extra brace", "{\"id\":\"a\",\"text\":\"x\"}}", 0, 0 },
    { "trailing comma", "{\"id\":\"a\",\"text\":\"x\",}", 0, 0 },
    { "trailing comma in array", "{\"id\":\"a\",\"n\":[1,],\"text\":\"x\"}", 0, 0 },
    { "missing colon", "{\"id\" \"a\",\"text\":\"x\"}", 0, 0 },
    { "missing comma", "{\"id\":\"a\" \"text\":\"x\"}", 0, 0 },
    { "single quotes", "{'id':'a','text':'x'}", 0, 0 },
    { "unquoted key", "{id:\"a\",\"text\":\"x\"}", 0, 0 },
    { "unterminated string", "{\"id\":\"a\",\"text\":\"x", 0, 0 },
    { "unterminated object", "{\"id\":\"a\",\"text\":\"x\"", 0, 0 },
    { "open brace alone", "{", 0, 0 },
    { "empty", "", 0, 0 },
    { "white space only", "   ", 0, 0 },
    { "bad escape", "{\"id\":\"a\",\"text\":\"\\x41\"}", 0, 0 },
    { "bad hex", "{\"id\":\"a\",\"text\":\"\\u12G4\"}", 0, 0 },
    { "short \\u", "{\"id\":\"a\",\"text\":\"\\u12\"}", 0, 0 },
    { "backslash at the end", "{\"id\":\"a\",\"text\":\"\\", 0, 0 },
    { "leading zero", "{\"id\":\"a\",\"n\":01,\"text\":\"x\"}", 0, 0 },
    { "bare point", "{\"id\":\"a\",\"n\":1.,\"text\":\"x\"}", 0, 0 },
    { "point first", "{\"id\":\"a\",\"n\":.5,\"text\":\"x\"}", 0, 0 },
    { "lone minus", "{\"id\":\"a\",\"n\":-,\"text\":\"x\"}", 0, 0 },
    { "empty exponent", "{\"id\":\"a\",\"n\":1e,\"text\":\"x\"}", 0, 0 },
    { "plus sign", "{\"id\":\"a\",\"n\":+1,\"text\":\"x\"}", 0, 0 },
    { "real overflow", "{\"id\":\"a\",\"n\":1e400,\"text\":\"x\"}", 0, 0 },
    { "integer overflow", "{\"id\":\"a\",\"n\":123456789012345678901,\"text\":\"x\"}", 0, 0 },
    { "NaN", "{\"id\":\"a\",\"n\":NaN,\"text\":\"x\"}", 0, 0 },
    { "short literal", "{\"id\":\"a\",\"n\":tru,\"text\":\"x\"}", 0, 0 },
    { "long literal", "{\"id\":\"a\",\"n\":nulls,\"text\":\"x\"}", 0, 0 },
    { "capital literal", "{\"id\":\"a\",\"n\":True,\"text\":\"x\"}", 0, 0 },
    { "form feed as space", "{\"id\":\"a\",\f\"text\":\"x\"}", 0, 0 },
    { "BOM", "\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"x\"}", 0, 0 },
};

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const scan_case *c = &cases[i];
        KH_TEST(c->name);
        size_t len = c->len ? c->len : strlen(c->line);
        int fast, slow;
        const char *why = differ((const unsigned char *)c->line, len, &fast, &slow);
        if (why)
            fprintf(stderr, "%s: %s\n", c->name, why);
        KH_CHECK(why == NULL);
        KH_CHECK_INT(fast, c->take);
    }
}

/* Decoded values, checked by hand rather than against jansson. */
static void test_values(void)
{
    KH_TEST("decoded values");
    const char *line = "{\"id\":\"\\u0633\\u0644\\u0627\\u0645\",\"x\":{\"text\":1},"
                       "\"text\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\uD83D\\uDE00 ب\"}";
    size_t len = strlen(line);
    char buf[256];
    khi_jstr f[KHI_JF_COUNT];
    KH_CHECK(khi_jsonl_scan((const unsigned char *)line, len, buf, f) == 1);
    KH_CHECK_STR(f[KHI_JF_ID].text, "سلام");
    KH_CHECK_INT(f[KHI_JF_ID].n_chars, 4);
    KH_CHECK_STR(f[KHI_JF_TEXT].text, "a\"\\/\b\f\n\r\t😀 ب");
    KH_CHECK_INT(f[KHI_JF_TEXT].text_len, strlen("a\"\\/\b\f\n\r\t😀 ب"));
    KH_CHECK_INT(f[KHI_JF_TEXT].n_chars, 12);
    KH_CHECK(f[KHI_JF_URL].text == NULL && f[KHI_JF_TITLE].text == NULL);

    /* Block edges: a two-byte letter, an escape and the closing quote at
     * every position around the 16-byte blocks, in strings of every length
     * up to 70. Each line is checked against jansson and by hand. */
    KH_TEST("block edges");
    int bad = 0, taken = 0;
    for (int pre = 0; pre < 40; pre++) {
        for (int kind = 0; kind < 4; kind++) {
            char l[256], want[256];
            int n = snprintf(l, sizeof l, "{\"id\":\"b\",\"text\":\"");
            int w = 0;
            for (int i = 0; i < pre; i++)
                l[n++] = want[w++] = (char)('a' + i % 26);
            static const char *const add[4][2] = {
                { "ب", "ب" }, { "\\n", "\n" }, { "€x", "€x" }, { "𝔸\\u00e9", "𝔸é" },
            };
            n += snprintf(l + n, sizeof l - (size_t)n, "%s%.*s\"}", add[kind][0], pre % 31,
                          "ثم قال الوزير إن المشروع");
            w += snprintf(want + w, sizeof want - (size_t)w, "%s%.*s", add[kind][1], pre % 31,
                          "ثم قال الوزير إن المشروع");
            if (pre % 31 && ((unsigned char)want[w - 1] & 0xC0) == 0xC0)
                continue; /* the cut went through a letter */
            int fast, slow;
            if (differ((const unsigned char *)l, (size_t)n, &fast, &slow))
                bad++;
            if (slow) {
                taken += fast;
                khi_jstr g[KHI_JF_COUNT];
                char out[300];
                if (!khi_jsonl_scan((const unsigned char *)l, (size_t)n, out, g) ||
                    g[KHI_JF_TEXT].text_len != (size_t)w ||
                    memcmp(g[KHI_JF_TEXT].text, want, (size_t)w) != 0)
                    bad++;
            }
        }
    }
    KH_CHECK_INT(bad, 0);
    KH_CHECK(taken > 80);

    /* Broken sequences at every position of a block: a lead byte with no
     * continuation, a continuation with no lead, a lead before a lead, an
     * overlong lead, a three-byte lead cut short, a lead before a quote. */
    KH_TEST("broken UTF-8 at block edges");
    static const char *const broken[] = { "\xD8 ", "\xA8", "\xD8\xD8\xA8", "\xC1\xA8",
                                          "\xE2\x80 ", "\xD8" };
    int refused = 0, tried = 0;
    for (int pre = 0; pre < 40; pre++) {
        for (size_t b = 0; b < sizeof broken / sizeof broken[0]; b++) {
            char l[256];
            int n = snprintf(l, sizeof l, "{\"id\":\"b\",\"text\":\"");
            for (int i = 0; i < pre; i++) {
                /* Arabic letters, with a space now and then */
                if (i % 5 == 4) {
                    l[n++] = ' ';
                } else {
                    l[n++] = '\xD8';
                    l[n++] = (char)(0xA7 + i % 20);
                }
            }
            n += snprintf(l + n, sizeof l - (size_t)n, "%s%s\"}", broken[b],
                          b == 5 ? "" : "بعد ذلك قال الوزير");
            int fast, slow;
            tried++;
            if (differ((const unsigned char *)l, (size_t)n, &fast, &slow) == NULL && !fast &&
                !slow)
                refused++;
        }
    }
    KH_CHECK_INT(refused, tried);
}

/* Every line of the corpus: the scanner takes all and agrees with jansson. */
static void test_corpus(void)
{
    KH_TEST("corpus");
    if (access(CORPUS, R_OK) != 0) {
        printf("test_jsonl: %s absent, corpus check skipped\n", CORPUS);
        return;
    }
    gzFile g = gzopen(CORPUS, "rb");
    KH_CHECK(g != NULL);
    if (!g)
        return;
    size_t cap = (size_t)1 << 20, len = 0, lines = 0, taken = 0, differs = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (cap - len < ((size_t)1 << 16)) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        int n = gzread(g, buf + len, (unsigned)(cap - len));
        if (n <= 0 && len == 0)
            break;
        len += n > 0 ? (size_t)n : 0;
        char *p = buf, *end = buf + len, *nl;
        while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL || (n <= 0 && p < end)) {
            size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
            int fast, slow;
            const char *why = differ((const unsigned char *)p, l, &fast, &slow);
            if (why && differs++ < 3)
                fprintf(stderr, "corpus line %zu: %s\n", lines + 1, why);
            lines++;
            taken += fast;
            p += l + (nl != NULL);
        }
        memmove(buf, p, (size_t)(end - p));
        len = (size_t)(end - p);
        if (n <= 0)
            break;
    }
    gzclose(g);
    free(buf);
    printf("test_jsonl: %zu corpus lines, %zu taken by the scanner\n", lines, taken);
    KH_CHECK(lines > 20000);
    KH_CHECK_INT(differs, 0);
    KH_CHECK_INT(taken, lines);
}

/* Reads text as JSON Lines; returns the documents' count and frees them,
 * keeping the first in *first (or NULL). */
static int read_buffer(kh_ctx *ctx, const char *text, kh_doc **first, int *errors)
{
    kh_reader *r;
    int docs = 0;
    *first = NULL;
    *errors = 0;
    if (kh_reader_open_buffer(ctx, "t.jsonl", text, strlen(text), &r) != KH_OK)
        return -1;
    for (;;) {
        kh_doc *d;
        kh_status rc = kh_reader_next(r, &d);
        if (rc == KH_E_NOMEM) {
            docs = -1;
            break;
        }
        if (rc != KH_OK) {
            (*errors)++;
            continue;
        }
        if (!d)
            break;
        if (docs++ == 0)
            *first = d;
        else
            kh_doc_free(d);
    }
    kh_reader_free(r);
    return docs;
}

static void test_reader(void)
{
    KH_TEST("reader documents");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    const char *text =
        "{\"id\":\"a-1\",\"url\":\"https://example.sa/1\",\"source\":\"okaz\",\"date\":\"2015-06-01\","
        "\"title\":\"عنوان الخبر\",\"text\":\"السطر الأول\\nالسطر الثاني\"}\n"
        "{\"i\\u0064\":\"b-2\",\"page\":\"escaped key, read by jansson\"}\n"
        "{\"id\":\"c\",\"id\":\"d\",\"text\":\"duplicate\"}\n";
    kh_doc *d;
    int errors;
    KH_CHECK_INT(read_buffer(ctx, text, &d, &errors), 2);
    KH_CHECK_INT(errors, 1);
    KH_CHECK(d != NULL);
    if (d) {
        KH_CHECK_STR(d->id, "a-1");
        KH_CHECK_STR(d->url, "https://example.sa/1");
        KH_CHECK_STR(d->source, "okaz");
        KH_CHECK_STR(d->date, "2015-06-01");
        KH_CHECK_STR(d->title, "عنوان الخبر");
        KH_CHECK_STR(d->content, "السطر الأول\nالسطر الثاني");
        KH_CHECK_INT(d->content_len, strlen("السطر الأول\nالسطر الثاني"));
        KH_CHECK_INT(d->n_chars, 24);
        KH_CHECK_INT(d->n_lines, 2);
        KH_CHECK(d->kind == KH_CONTENT_TEXT && d->format == KH_FORMAT_JSONL);
        KH_CHECK_STR(d->file, "t.jsonl");
        KH_CHECK_INT(d->line, 1);
        KH_CHECK_INT(d->offset, 0);
        kh_doc_free(d);
    }
    /* The line the scanner leaves to jansson still gives its document. */
    KH_CHECK_INT(read_buffer(ctx, "{\"i\\u0064\":\"b-2\",\"page\":\"p\\u00e9\"}\n", &d, &errors), 1);
    if (d) {
        KH_CHECK_STR(d->id, "b-2");
        KH_CHECK_STR(d->content, "pé");
        KH_CHECK(d->kind == KH_CONTENT_PAGE);
        KH_CHECK_INT(d->n_chars, 2);
        kh_doc_free(d);
    }
    /* A record the scanner takes but the reader refuses: jansson's message. */
    KH_CHECK_INT(read_buffer(ctx, "{\"id\":\"x\",\"text\":\"a\",\"html\":\"b\"}\n", &d, &errors), 0);
    KH_CHECK_INT(errors, 1);
    KH_CHECK_STR(kh_errmsg(ctx),
                 "t.jsonl:1: needs exactly one of \"text\", \"page\" or \"html\" (found 2)");
    kh_ctx_free(ctx);

    KH_TEST("allocation failure");
    int clean = 1, full = 0, nomem = 0;
    for (long n = 1; n < 200 && !full; n++) {
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        if (kh_ctx_create(&ctx, &al) != KH_OK) {
            clean &= ta.live == 0;
            continue;
        }
        int docs = read_buffer(ctx, text, &d, &errors);
        if (docs < 0) {
            nomem++;
        } else {
            full = 1;
            KH_CHECK_INT(docs, 2);
            KH_CHECK(d && strcmp(d->content, "السطر الأول\nالسطر الثاني") == 0);
        }
        kh_doc_free(d);
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
    KH_CHECK(full);
    KH_CHECK(nomem > 3);
}

int main(void)
{
    test_cases();
    test_values();
    test_corpus();
    test_reader();
    return kh_test_report("test_jsonl");
}
