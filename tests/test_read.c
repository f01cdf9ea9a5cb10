/*
 * test_read.c — the readers, on good and bad input written to a fresh
 * temporary directory: page text, HTML (also in a declared charset), JSON
 * Lines, WARC/WET, gzip, directories, memory buffers, and allocation failure.
 *
 * Each case reads a whole stream into a log, one line per document
 * ("id|format|kind|line|offset|chars|lines") or error ("!code: message",
 * with the temporary directory cut out of messages), and compares the log
 * with the expected one: what was read, in what order, and every error.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static char tmpdir[64];

static void path_of(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", tmpdir, name);
}

static void write_file(const char *name, const void *data, size_t len)
{
    char p[256];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        perror(p);
        exit(2);
    }
    if (len)
        fwrite(data, 1, len, f);
    fclose(f);
}

static void write_str(const char *name, const char *text)
{
    write_file(name, text, strlen(text));
}

/* Writes each part as its own gzip member, like Common Crawl. */
static void write_gz_members(const char *name, const char *const *parts, size_t n)
{
    char p[256];
    path_of(p, sizeof p, name);
    remove(p);
    for (size_t i = 0; i < n; i++) {
        gzFile g = gzopen(p, "ab");
        gzwrite(g, parts[i], (unsigned)strlen(parts[i]));
        gzclose(g);
    }
}

/* Appends s to log, with every "tmpdir/" cut out. */
static void log_add(kh_buf *log, const char *s)
{
    size_t tl = strlen(tmpdir);
    while (*s) {
        if (strncmp(s, tmpdir, tl) == 0 && s[tl] == '/') {
            s += tl + 1;
            continue;
        }
        kh_buf_append(log, s, 1);
        s++;
    }
}

/* Reads everything; returns the log (caller frees with kh_buf_free). */
static void read_log(kh_ctx *ctx, kh_reader *r, kh_buf *log, int with_content)
{
    kh_buf_init(log, ctx, 0);
    for (int guard = 0; guard < 1000; guard++) {
        kh_doc *d;
        kh_status rc = kh_reader_next(r, &d);
        if (rc != KH_OK) {
            kh_buf_printf(log, "!%d: ", (int)rc);
            log_add(log, kh_errmsg(ctx));
            kh_buf_puts(log, "\n");
            if (rc == KH_E_NOMEM)
                break;
            continue;
        }
        if (!d)
            break;
        kh_buf_printf(log, "%s|%s|%s|%llu|%llu|%zu|%zu", d->id, kh_format_name(d->format),
                      kh_content_name(d->kind), (unsigned long long)d->line,
                      (unsigned long long)d->offset, d->n_chars, d->n_lines);
        if (d->url)
            kh_buf_printf(log, "|url=%s", d->url);
        if (d->title)
            kh_buf_printf(log, "|title=%s", d->title);
        if (d->date)
            kh_buf_printf(log, "|date=%s", d->date);
        if (d->source)
            kh_buf_printf(log, "|source=%s", d->source);
        if (d->repaired)
            kh_buf_printf(log, "|repaired=%llu@%llu", (unsigned long long)d->repaired,
                          (unsigned long long)d->repaired_at);
        if (with_content)
            kh_buf_printf(log, "|[%s]", d->content);
        kh_buf_puts(log, "\n");
        /* Fields every document must have. */
        KH_CHECK(d->content && d->content[d->content_len] == '\0');
        KH_CHECK(strlen(d->content) == d->content_len);
        KH_CHECK(d->lang == KH_LANG_UNKNOWN);
        KH_CHECK(d->file && d->file[0]);
        kh_doc_free(d);
    }
}

/* Reads the given files (names in tmpdir) and compares the log. */
static kh_read_stats check_read(const char *const *names, size_t n, const char *want,
                                int with_content)
{
    kh_ctx *ctx;
    kh_read_stats st;
    memset(&st, 0, sizeof st);
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return st;
    kh_ctx_limit(ctx, KH_LIMIT_LINE, 256);
    kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 4096);
    char paths[8][256];
    const char *pp[8];
    for (size_t i = 0; i < n && i < 8; i++) {
        if (strcmp(names[i], "-") == 0)
            snprintf(paths[i], sizeof paths[i], "-");
        else
            path_of(paths[i], sizeof paths[i], names[i]);
        pp[i] = paths[i];
    }
    kh_reader *r;
    KH_CHECK(kh_reader_open(ctx, pp, n, &r) == KH_OK);
    kh_buf log;
    read_log(ctx, r, &log, with_content);
    KH_CHECK_STR(log.data ? log.data : "", want);
    kh_reader_stats(r, &st);
    kh_buf_free(&log);
    kh_reader_free(r);
    kh_ctx_free(ctx);
    return st;
}

#define CHECK_READ1(name, want) \
    do { const char *n1_[] = { name }; check_read(n1_, 1, want, 0); } while (0)

/* ------------------------------------------------------------------ */

static const char page_ar[] =
    "كارتر يدعو إلى عزل التنظيم\n"
    "آخر تحديث 11:34\n"
    "\n"
    "دعا وزير الدفاع إلى عزل المدينة.\n";

static void test_page(void)
{
    KH_TEST("page text");
    write_str("page.txt", page_ar);
    /* 4 lines; chars = code points including the newlines. */
    CHECK_READ1("page.txt", "page.txt|text|page|1|0|77|4\n");
    const char *n[] = { "page.txt" };
    check_read(n, 1, "page.txt|text|page|1|0|77|4|[كارتر يدعو إلى عزل التنظيم\n"
                     "آخر تحديث 11:34\n\nدعا وزير الدفاع إلى عزل المدينة.\n]\n", 1);

    KH_TEST("page without final newline, English");
    write_str("en.txt", "Carter urges isolation\nof Raqqa");
    check_read((const char *[]){ "en.txt" }, 1, "en.txt|text|page|1|0|31|2|[Carter urges isolation\nof Raqqa]\n", 1);

    KH_TEST("page: invalid UTF-8 names line and byte");
    /* Line 3 starts at byte 6 ("ab\n" + "cd\n"); the bad byte is 2 further. */
    write_str("bad.txt", "ab\ncd\nxy\xff z\nok\n");
    CHECK_READ1("bad.txt", "!3: bad.txt:3: invalid UTF-8 at byte 8\n");

    KH_TEST("page: NUL byte");
    write_file("nul.txt", "abc\ndef\0ghi\n", 12);
    CHECK_READ1("nul.txt", "!4: nul.txt:2: NUL byte at byte 7\n");

    KH_TEST("page: overlong and surrogate");
    write_str("over.txt", "good line\n\xc0\xaf\n");
    CHECK_READ1("over.txt", "!3: over.txt:2: invalid UTF-8 at byte 10\n");
    write_str("surr.txt", "\xed\xa0\x80\n");
    CHECK_READ1("surr.txt", "!3: surr.txt:1: invalid UTF-8 at byte 0\n");

    KH_TEST("page: empty and blank files");
    write_file("empty.txt", "", 0);
    CHECK_READ1("empty.txt", "!6: empty.txt: empty file\n");
    write_str("blank.txt", "  \n\t\n\n");
    CHECK_READ1("blank.txt", "!6: blank.txt: only white space\n");

    KH_TEST("page: line over the limit (256 in these tests)");
    char big[1200];
    memset(big, 'a', sizeof big);
    memcpy(big, "first\n", 6);
    big[sizeof big - 1] = '\n';
    write_file("long.txt", big, sizeof big);
    CHECK_READ1("long.txt", "!5: long.txt:2: line longer than 256 bytes\n");

    KH_TEST("page: document over the limit (4096 in these tests)");
    char doc[6000];
    for (size_t i = 0; i < sizeof doc; i++)
        doc[i] = (i % 100 == 99) ? '\n' : 'b';
    write_file("bigdoc.txt", doc, sizeof doc);
    CHECK_READ1("bigdoc.txt", "!5: bigdoc.txt:41: document longer than 4096 bytes\n");

    KH_TEST("page: binary garbage");
    unsigned char junk[300];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 151 + 7);
    write_file("junk.bin", junk, sizeof junk);
    CHECK_READ1("junk.bin", "!3: junk.bin:1: invalid UTF-8 at byte 1\n");
}

static void test_html(void)
{
    KH_TEST("html with BOM and leading space");
    write_str("p.html", "\xEF\xBB\xBF \n<!DOCTYPE html>\n<html><body><p>مرحبا</p></body></html>\n");
    check_read((const char *[]){ "p.html" }, 1,
               "p.html|html|html|1|3|57|3|[ \n<!DOCTYPE html>\n<html><body><p>مرحبا</p></body></html>\n]\n", 1);
    KH_TEST("html, bad UTF-8 (windows-1256 bytes)");
    write_str("w.html", "<html><body>\xc7\xe1\xd1\xed\xc7\xd6</body></html>\n");
    CHECK_READ1("w.html", "!3: w.html:1: invalid UTF-8 at byte 12\n");
}

static void test_jsonl(void)
{
    KH_TEST("jsonl good");
    write_str("a.jsonl",
              "{\"id\":\"n1\",\"title\":\"عنوان\",\"text\":\"فقرة أولى\\nفقرة ثانية\",\"source\":\"SPA\","
              "\"date\":\"2015-07-31\",\"extra\":[1,2]}\n"
              "\n"
              "   \n"
              "{\"id\":\"n2\",\"url\":\"https://example.com/a\",\"page\":\"Home | News\\nCarter urges\"}\n"
              "{\"id\":\"n3\",\"html\":\"<p>hi</p>\",\"title\":null}");
    check_read((const char *[]){ "a.jsonl" }, 1,
               "n1|jsonl|text|1|0|20|2|title=عنوان|date=2015-07-31|source=SPA|[فقرة أولى\nفقرة ثانية]\n"
               "n2|jsonl|page|4|135|24|2|url=https://example.com/a|[Home | News\nCarter urges]\n"
               "n3|jsonl|html|5|212|9|1|[<p>hi</p>]\n",
               1);

    KH_TEST("jsonl character references decoded in title, source and text");
    /* r1 goes through the scanner; r2's "extra", nested deeper than the
     * scanner goes, sends it to jansson */
    write_str("refs.jsonl",
              "{\"id\":\"r1\",\"title\":\"&quot;عرب نيوز&quot; &#8220;الأولى&#8221;\","
              "\"source\":\"A&amp;B\",\"text\":\"قال &laquo;نعم&raquo;. AT&T &foo; &#0; &amp x\"}\n"
              "{\"id\":\"r2\",\"extra\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"
              "\"title\":\"&#x1F600; &lt;b&gt;\","
              "\"page\":\"Home\\nIt&#39;s &eacute;t&eacute;\"}\n"
              "{\"id\":\"r3\",\"html\":\"<p>&amp;</p>\"}\n");
    check_read((const char *[]){ "refs.jsonl" }, 1,
               "r1|jsonl|text|1|0|33|1|title=\"عرب نيوز\" “الأولى”|source=A&B|"
               "[قال «نعم». AT&T &foo; &#0; &amp x]\n"
               "r2|jsonl|page|2|157|13|2|title=😀 <b>|[Home\nIt's été]\n"
               "r3|jsonl|html|3|319|12|1|[<p>&amp;</p>]\n",
               1);

    KH_TEST("jsonl bad lines, each skipped with file:line");
    write_str("b.jsonl",
              "{\"id\":\"g1\",\"text\":\"one\"}\n"
              "{\"id\":\"t\",\"text\":\"cut he\n"            /* 2 truncated */
              "{\"id\":5,\"text\":\"x\"}\n"                  /* 3 id wrong type */
              "{\"id\":\"a\",\"text\":[\"a\"]}\n"            /* 4 text wrong type */
              "{\"id\":\"b\",\"text\":\"x\",\"page\":\"y\"}\n" /* 5 both */
              "{\"id\":\"c\",\"title\":\"x\"}\n"             /* 6 neither */
              "{\"id\":\"d\",\"text\":\"\xff\"}\n"           /* 7 bad UTF-8 */
              "{\"id\":\"e\",\"text\":\"a\\u0000b\"}\n"      /* 8 \u0000 */
              "{\"id\":\"f\",\"id\":\"g\",\"text\":\"x\"}\n" /* 9 duplicate key */
              "[1,2]\n"                                      /* 10 not an object */
              "{\"text\":\"x\"}\n"                           /* 11 no id */
              "{\"id\":\"h\",\"text\":\"\"}\n"               /* 12 empty text */
              "{\"id\":\"i\",\"text\":\"x\"} trailing\n"     /* 13 garbage after */
              "{\"id\":\"g2\",\"text\":\"two\"}\n");
    kh_read_stats st = check_read(
        (const char *[]){ "b.jsonl" }, 1,
        "g1|jsonl|text|1|0|3|1\n"
        "!7: b.jsonl:2: truncated JSON at column 24\n"
        "!7: b.jsonl:3: \"id\" must be a string\n"
        "!7: b.jsonl:4: \"text\" must be a string\n"
        "!7: b.jsonl:5: needs exactly one of \"text\", \"page\" or \"html\" (found 2)\n"
        "!7: b.jsonl:6: needs exactly one of \"text\", \"page\" or \"html\" (found 0)\n"
        "!3: b.jsonl:7: invalid UTF-8 at column 18\n"
        "!4: b.jsonl:8: \\u0000 in a string at column 27\n"
        "!7: b.jsonl:9: bad JSON at column 14: duplicate object key near '\"id\"'\n"
        "!7: b.jsonl:10: a line must hold one JSON object\n"
        "b.jsonl:11|jsonl|text|11|238|1|1\n"
        "!6: b.jsonl:12: \"text\" is empty\n"
        "!7: b.jsonl:13: bad JSON at column 30: end of file expected near 'trailing'\n"
        "g2|jsonl|text|14|303|3|1\n",
        0);
    KH_CHECK_INT(st.docs, 3); /* line 11 has no id: it is named by its line */
    KH_CHECK_INT(st.errors, 11);
    KH_CHECK_INT(st.files, 1);

    KH_TEST("jsonl raw NUL byte, long line, truncated last line");
    char buf[600];
    size_t n = 0;
    memcpy(buf + n, "{\"id\":\"z\",\"text\":\"a\0b\"}\n", 24);
    n += 24;
    n += (size_t)sprintf(buf + n, "{\"id\":\"long\",\"text\":\"");
    memset(buf + n, 'x', 300);
    n += 300;
    n += (size_t)sprintf(buf + n, "\"}\n{\"id\":\"ok\",\"text\":\"fine\"}\n{\"id\":\"end\",\"te");
    write_file("c.jsonl", buf, n);
    CHECK_READ1("c.jsonl", "!4: c.jsonl:1: NUL byte at column 20\n"
                           "!5: c.jsonl:2: line longer than 256 bytes\n"
                           "ok|jsonl|text|3|348|4|1\n"
                           "!7: c.jsonl:4: truncated JSON at column 15\n");

    KH_TEST("a pretty-printed JSON document is not JSON Lines");
    write_str("doc.json", "{\n \"story\": \"x\",\n \"documents\": []\n}\n");
    CHECK_READ1("doc.json", "!9: doc.json:1: a JSON document over many lines, not JSON Lines "
                            "(one object a line); file skipped\n");
}

/* ------------------------------------------------------------------ */

static void warc_record(kh_buf *b, const char *type, const char *id, const char *uri,
                        const char *ctype, const char *block, long lie)
{
    size_t len = strlen(block);
    kh_buf_printf(b, "WARC/1.0\r\nWARC-Type: %s\r\n", type);
    if (id)
        kh_buf_printf(b, "WARC-Record-ID: <urn:uuid:%s>\r\n", id);
    if (uri)
        kh_buf_printf(b, "WARC-Target-URI: %s\r\n", uri);
    kh_buf_printf(b, "WARC-Date: 2016-10-25T11:34:37Z\r\n");
    if (ctype)
        kh_buf_printf(b, "Content-Type: %s\r\n", ctype);
    kh_buf_printf(b, "Content-Length: %ld\r\n\r\n%s\r\n\r\n", (long)len + lie, block);
}

static const char http_html[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-A: b\r\n\r\n"
    "<html><body><h1>كارتر</h1></body></html>";
static const char http_png[] = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG...";
static const char wet_text[] = "كارتر يدعو إلى عزل داعش\nواشنطن - المغرب اليوم\n";

static void test_warc(void)
{
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_buf b;
    kh_buf_init(&b, ctx, 0);

    KH_TEST("warc: response, conversion, skipped types");
    warc_record(&b, "warcinfo", "00000000-0000-0000-0000-000000000000", NULL,
                "application/warc-fields", "software: test\r\n", 0);
    warc_record(&b, "request", "r1", "http://a.example/x", "application/http; msgtype=request",
                "GET /x HTTP/1.1\r\nHost: a.example\r\n\r\n", 0);
    warc_record(&b, "response", "r2", "http://a.example/x", "application/http; msgtype=response",
                http_html, 0);
    warc_record(&b, "response", "r3", "http://a.example/p.png", "application/http; msgtype=response",
                http_png, 0);
    warc_record(&b, "conversion", "r4", "http://b.example/", "text/plain", wet_text, 0);
    warc_record(&b, "resource", "r5", "file:///n.txt", "text/plain", "English resource text.\n", 0);
    warc_record(&b, "metadata", "r6", "http://a.example/x", "application/warc-fields", "via: x\r\n", 0);
    write_file("good.warc", b.data, b.len);
    kh_read_stats st = check_read(
        (const char *[]){ "good.warc" }, 1,
        "http://a.example/x|warc|html|24|452|40|1|url=http://a.example/x|date=2016-10-25T11:34:37Z"
        "|[<html><body><h1>كارتر</h1></body></html>]\n"
        "http://b.example/|wet|page|51|1035|46|2|url=http://b.example/|date=2016-10-25T11:34:37Z"
        "|[كارتر يدعو إلى عزل داعش\nواشنطن - المغرب اليوم\n]\n"
        "file:///n.txt|warc|page|63|1302|23|1|url=file:///n.txt|date=2016-10-25T11:34:37Z"
        "|[English resource text.\n]\n",
        1);
    KH_CHECK_INT(st.docs, 3);
    KH_CHECK_INT(st.skipped, 4);
    KH_CHECK_INT(st.errors, 0);

    KH_TEST("warc: payload sniffed when HTTP gives no Content-Type; revisit skipped");
    kh_buf_clear(&b);
    warc_record(&b, "response", "s1", "http://s/1", NULL,
                "HTTP/1.0 200 OK\r\nServer: x\r\n\r\n  <p>مرحبا</p>", 0);
    warc_record(&b, "response", "s2", "http://s/2", NULL,
                "HTTP/1.0 200 OK\r\nServer: x\r\n\r\nplain words", 0);
    warc_record(&b, "revisit", "s3", "http://s/1", NULL, "HTTP/1.0 304\r\n\r\n", 0);
    write_file("sniff.warc", b.data, b.len);
    st = check_read((const char *[]){ "sniff.warc" }, 1,
                    "http://s/1|warc|html|1|0|14|1|url=http://s/1|date=2016-10-25T11:34:37Z"
                    "|[  <p>مرحبا</p>]\n",
                    1);
    KH_CHECK_INT(st.skipped, 2);

    KH_TEST("warc: the middle of three records lies about its length");
    kh_buf_clear(&b);
    warc_record(&b, "conversion", "a", "http://a/", "text/plain", "first record\n", 0);
    size_t second = b.len;
    warc_record(&b, "conversion", "b", "http://b/", "text/plain", "second record\n", 40);
    warc_record(&b, "conversion", "c", "http://c/", "text/plain", "third record\n", 0);
    write_file("lie.warc", b.data, b.len);
    char want[512];
    /* The third record's offset: find it in the bytes rather than guess. */
    const char *third = strstr(b.data + second + 8, "WARC/1.0");
    snprintf(want, sizeof want,
             "http://a/|wet|page|1|0|13|1|url=http://a/|date=2016-10-25T11:34:37Z\n"
             "!8: lie.warc: record at offset %zu: Content-Length 54 does not end at a record boundary\n"
             "http://c/|wet|page|23|%zu|13|1|url=http://c/|date=2016-10-25T11:34:37Z\n",
             second, (size_t)(third - b.data));
    CHECK_READ1("lie.warc", want);

    KH_TEST("warc: too short a length, then one running past the end");
    kh_buf_clear(&b);
    warc_record(&b, "conversion", "a", NULL, "text/plain", "first record\n", -5);
    warc_record(&b, "conversion", "b", NULL, "text/plain", "second record\n", 0);
    size_t last = b.len;
    warc_record(&b, "conversion", "c", NULL, "text/plain", "third\n", 2000);
    write_file("short.warc", b.data, b.len);
    const char *rec_b = strstr(b.data + 8, "WARC/1.0");
    snprintf(want, sizeof want,
             "!8: short.warc: record at offset 0: Content-Length 8 does not end at a record boundary\n"
             "short.warc:11|wet|page|11|%zu|14|1|date=2016-10-25T11:34:37Z\n"
             "!8: short.warc: record at offset %zu: Content-Length 2006 runs past the end of the file\n",
             (size_t)(rec_b - b.data), last);
    CHECK_READ1("short.warc", want);

    KH_TEST("warc: no Content-Length, garbage between records");
    kh_buf_clear(&b);
    kh_buf_puts(&b, "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <x>\r\n\r\nbody\r\n\r\n");
    kh_buf_puts(&b, "garbage line\r\n");
    warc_record(&b, "conversion", "ok", NULL, "text/plain", "text\n", 0);
    write_file("nolen.warc", b.data, b.len);
    CHECK_READ1("nolen.warc", "!8: nolen.warc: record at offset 0: no Content-Length\n"
                              "nolen.warc:8|wet|page|8|78|5|1|date=2016-10-25T11:34:37Z\n");

    KH_TEST("warc: bad UTF-8 in a payload is one error, next record read");
    kh_buf_clear(&b);
    warc_record(&b, "conversion", "u1", NULL, "text/plain", "bad \xd8 text\n", 0);
    warc_record(&b, "conversion", "u2", NULL, "text/plain", "good\n", 0);
    write_file("utf.warc", b.data, b.len);
    const char *rec_u2 = strstr(b.data + 8, "WARC/1.0");
    snprintf(want, sizeof want, "!3: utf.warc: record at offset 0: invalid UTF-8 at byte %zu\n"
                                "utf.warc:11|wet|page|11|%zu|5|1|date=2016-10-25T11:34:37Z\n",
             (size_t)(strstr(b.data, "bad ") - b.data) + 4, (size_t)(rec_u2 - b.data));
    CHECK_READ1("utf.warc", want);

    KH_TEST("warc: a record over the document limit is skipped unread");
    kh_buf_clear(&b);
    char huge[5001];
    memset(huge, 'w', 5000);
    huge[5000] = '\0';
    warc_record(&b, "conversion", "big", NULL, "text/plain", huge, 0);
    warc_record(&b, "conversion", "after", NULL, "text/plain", "after\n", 0);
    write_file("big.warc", b.data, b.len);
    const char *rec_after = strstr(b.data + 5000, "WARC/1.0");
    snprintf(want, sizeof want,
             "!5: big.warc: record at offset 0: Content-Length 5000 is over the document limit of 4096 bytes\n"
             "big.warc:10|wet|page|10|%zu|6|1|date=2016-10-25T11:34:37Z\n",
             (size_t)(rec_after - b.data));
    st = check_read((const char *[]){ "big.warc" }, 1, want, 0);
    KH_CHECK_INT(st.bytes, b.len);
    KH_CHECK_INT(st.errors, 1);

    KH_TEST("warc.gz: one gzip member per record, and a lie inside");
    kh_buf_clear(&b);
    kh_buf c1, c2, c3;
    kh_buf_init(&c1, ctx, 0);
    kh_buf_init(&c2, ctx, 0);
    kh_buf_init(&c3, ctx, 0);
    warc_record(&c1, "conversion", "g1", NULL, "text/plain", "one\n", 0);
    warc_record(&c2, "conversion", "g2", NULL, "text/plain", "two\n", 99);
    warc_record(&c3, "conversion", "g3", NULL, "text/plain", "three\n", 0);
    const char *parts[] = { c1.data, c2.data, c3.data };
    write_gz_members("x.warc.gz", parts, 3);
    snprintf(want, sizeof want,
             "x.warc.gz:1|wet|page|1|0|4|1|date=2016-10-25T11:34:37Z\n"
             "!8: x.warc.gz: record at offset %zu: Content-Length 103 does not end at a record boundary\n"
             "x.warc.gz:21|wet|page|21|%zu|6|1|date=2016-10-25T11:34:37Z\n",
             c1.len, c1.len + c2.len);
    CHECK_READ1("x.warc.gz", want);
    kh_buf_free(&c1);
    kh_buf_free(&c2);
    kh_buf_free(&c3);

    kh_buf_free(&b);
    kh_ctx_free(ctx);
}

/* ------------------------------------------------------------------ */

/* One article in three charsets: title, then two paragraphs. */
#define AR_TITLE "الرقة تحت الحصار"
#define AR_P1 "قال وزير الدفاع إن المدينة محاصرة منذ أسابيع وإن السكان يعانون من نقص الغذاء والدواء."
#define AR_P2 "وأضاف أن الحكومة تعمل مع الشركاء على إيصال المساعدات إلى الأحياء المحاصرة قريبا."
#define W_TITLE "\xc7\xe1\xd1\xde\xc9 \xca\xcd\xca \xc7\xe1\xcd\xd5\xc7\xd1"
#define W_P1                                                                                     \
    "\xde\xc7\xe1 \xe6\xd2\xed\xd1 \xc7\xe1\xcf\xdd\xc7\xda \xc5\xe4 \xc7\xe1\xe3\xcf\xed\xe4\xc9 "        \
    "\xe3\xcd\xc7\xd5\xd1\xc9 \xe3\xe4\xd0 \xc3\xd3\xc7\xc8\xed\xda \xe6\xc5\xe4 \xc7\xe1\xd3\xdf\xc7\xe4 " \
    "\xed\xda\xc7\xe4\xe6\xe4 \xe3\xe4 \xe4\xde\xd5 \xc7\xe1\xdb\xd0\xc7\xc1 \xe6\xc7\xe1\xcf\xe6\xc7\xc1."
#define W_P2                                                                                     \
    "\xe6\xc3\xd6\xc7\xdd \xc3\xe4 \xc7\xe1\xcd\xdf\xe6\xe3\xc9 \xca\xda\xe3\xe1 \xe3\xda "                 \
    "\xc7\xe1\xd4\xd1\xdf\xc7\xc1 \xda\xe1\xec \xc5\xed\xd5\xc7\xe1 \xc7\xe1\xe3\xd3\xc7\xda\xcf\xc7\xca " \
    "\xc5\xe1\xec \xc7\xe1\xc3\xcd\xed\xc7\xc1 \xc7\xe1\xe3\xcd\xc7\xd5\xd1\xc9 \xde\xd1\xed\xc8\xc7."
#define I_TITLE "\xc7\xe4\xd1\xe2\xc9 \xca\xcd\xca \xc7\xe4\xcd\xd5\xc7\xd1"
#define I_P1                                                                                     \
    "\xe2\xc7\xe4 \xe8\xd2\xea\xd1 \xc7\xe4\xcf\xe1\xc7\xd9 \xc5\xe6 \xc7\xe4\xe5\xcf\xea\xe6\xc9 "        \
    "\xe5\xcd\xc7\xd5\xd1\xc9 \xe5\xe6\xd0 \xc3\xd3\xc7\xc8\xea\xd9 \xe8\xc5\xe6 \xc7\xe4\xd3\xe3\xc7\xe6 " \
    "\xea\xd9\xc7\xe6\xe8\xe6 \xe5\xe6 \xe6\xe2\xd5 \xc7\xe4\xda\xd0\xc7\xc1 \xe8\xc7\xe4\xcf\xe8\xc7\xc1."
#define I_P2                                                                                     \
    "\xe8\xc3\xd6\xc7\xe1 \xc3\xe6 \xc7\xe4\xcd\xe3\xe8\xe5\xc9 \xca\xd9\xe5\xe4 \xe5\xd9 "                 \
    "\xc7\xe4\xd4\xd1\xe3\xc7\xc1 \xd9\xe4\xe9 \xc5\xea\xd5\xc7\xe4 \xc7\xe4\xe5\xd3\xc7\xd9\xcf\xc7\xca " \
    "\xc5\xe4\xe9 \xc7\xe4\xc3\xcd\xea\xc7\xc1 \xc7\xe4\xe5\xcd\xc7\xd5\xd1\xc9 \xe2\xd1\xea\xc8\xc7."

/* An article page around a head element and the text in some charset. */
#define ARTICLE(head, title, p1, p2)                                              \
    "<html><head>" head "\n<title>" title "</title></head><body>\n<h1>" title \
    "</h1>\n<p>" p1 "</p>\n<p>" p2 "</p>\n</body></html>\n"

static size_t count_nl(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

/* Reads the one document in name (any format) and checks that its content
 * is want and that it cleans to the Arabic title and both paragraphs. */
static void check_decoded(const char *name, const char *want)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return;
    kh_ctx_limit(ctx, KH_LIMIT_LINE, 256);
    kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 4096);
    char p[256];
    path_of(p, sizeof p, name);
    const char *pp[] = { p };
    kh_reader *r;
    kh_doc *d = NULL;
    kh_cleaner *cl = NULL;
    const kh_article *art = NULL;
    KH_CHECK(kh_reader_open(ctx, pp, 1, &r) == KH_OK);
    kh_status rc = kh_reader_next(r, &d);
    KH_CHECK_STR(rc == KH_OK ? "" : kh_errmsg(ctx), "");
    if (d) {
        KH_CHECK_STR(d->content, want);
        KH_CHECK_INT(d->content_len, strlen(want));
        KH_CHECK(kh_utf8_check(d->content, d->content_len, NULL) == KH_OK);
        KH_CHECK(kh_cleaner_create(ctx, 1024, &cl) == KH_OK);
        KH_CHECK(kh_clean_doc(cl, d, &art) == KH_OK);
        if (art) {
            KH_CHECK_STR(art->title ? art->title : "", AR_TITLE);
            KH_CHECK_INT(art->n_body, 2);
            if (art->n_body == 2) {
                KH_CHECK_STR(art->body[0], AR_P1);
                KH_CHECK_STR(art->body[1], AR_P2);
            }
        }
        kh_cleaner_free(cl);
        kh_doc_free(d);
    }
    kh_reader_free(r);
    kh_ctx_free(ctx);
}

static void test_charset(void)
{
    KH_TEST("charset: windows-1256 page with <meta charset>");
    write_str("w1256.html", ARTICLE("<meta charset=\"windows-1256\">", W_TITLE, W_P1, W_P2));
    check_decoded("w1256.html", ARTICLE("<meta charset=\"windows-1256\">", AR_TITLE, AR_P1, AR_P2));

    KH_TEST("charset: ISO-8859-6 by http-equiv, label in upper case");
    write_str("iso.html", ARTICLE("<META HTTP-EQUIV=Content-Type CONTENT='text/html; Charset=ISO-8859-6'>",
                                  I_TITLE, I_P1, I_P2));
    check_decoded("iso.html", ARTICLE("<META HTTP-EQUIV=Content-Type CONTENT='text/html; Charset=ISO-8859-6'>",
                                      AR_TITLE, AR_P1, AR_P2));

    KH_TEST("charset: valid UTF-8 declared windows-1256 is kept as it is");
    write_str("mis.html", ARTICLE("<meta charset=\"windows-1256\">", AR_TITLE, AR_P1, AR_P2));
    check_decoded("mis.html", ARTICLE("<meta charset=\"windows-1256\">", AR_TITLE, AR_P1, AR_P2));

    KH_TEST("charset: counts and lines are those of the UTF-8");
    write_str("small.html", "<meta charset=windows-1256>\n<p>" W_TITLE "</p>\n");
    check_read((const char *[]){ "small.html" }, 1,
               "small.html|html|html|1|0|52|2|[<meta charset=windows-1256>\n<p>" AR_TITLE "</p>\n]\n", 1);

    KH_TEST("charset: latin1 and us-ascii read as windows-1252");
    write_str("l1.html", "<meta charset=\"Latin1\"><p>\x93quoted\x94 caf\xe9</p>\n");
    check_read((const char *[]){ "l1.html" }, 1,
               "l1.html|html|html|1|0|44|1|[<meta charset=\"Latin1\"><p>“quoted” café</p>\n]\n", 1);
    write_str("ascii.html", "<meta charset=us-ascii>\n<p>ok</p>\n<p>\x81</p>\n");
    CHECK_READ1("ascii.html", "!3: ascii.html:3: invalid windows-1252 at byte 37\n");

    KH_TEST("charset: bytes invalid in the declared charset");
    /* 0xa1 is not a character of ISO-8859-6. */
    write_str("badiso.html", "<meta charset=iso-8859-6>\n<p>" I_TITLE "</p>\n<p>\xc7\xa1</p>\n");
    CHECK_READ1("badiso.html", "!3: badiso.html:3: invalid iso-8859-6 at byte 54\n");

    KH_TEST("charset: unknown charset, and a label iconv must never see");
    write_str("foo.html", "<meta charset=\"x-foo\"><p>\xc7\xe1</p>\n");
    CHECK_READ1("foo.html", "!9: foo.html: unknown charset 'x-foo'\n");
    write_str("opt.html", "<meta charset=\"windows-1256//IGNORE\"><p>\xc7\xe1</p>\n");
    CHECK_READ1("opt.html", "!9: opt.html: unknown charset 'windows-1256//IGNORE'\n");

    KH_TEST("charset: no declaration, or one the prescan must not see");
    /* Then the page is UTF-8 with stray bytes: each becomes U+FFFD, and the
     * document counts them and says where the first was. */
#define FFFD "\xEF\xBF\xBD"
    write_str("none.html", "<html><body>\n<p>\xc7\xe1</p>\n");
    check_read((const char *[]){ "none.html" }, 1,
               "none.html|html|html|1|0|23|2|repaired=2@16|[<html><body>\n<p>" FFFD FFFD "</p>\n]\n", 1);
    write_str("comment.html", "<!-- <meta charset=windows-1256> --><p>\xc7\xe1</p>\n");
    CHECK_READ1("comment.html", "comment.html|html|html|1|0|46|1|repaired=2@39\n");
    write_str("nopragma.html", "<meta content=\"text/html; charset=windows-1256\"><p>\xc7</p>\n");
    CHECK_READ1("nopragma.html", "nopragma.html|html|html|1|0|57|1|repaired=1@51\n");
    write_str("attr.html", "<a title='<meta charset=windows-1256>'><p>\xc7</p>\n");
    CHECK_READ1("attr.html", "attr.html|html|html|1|0|48|1|repaired=1@42\n");
    write_str("utf8.html", "<meta charset=utf-8><p>\xc7</p>\n");
    CHECK_READ1("utf8.html", "utf8.html|html|html|1|0|29|1|repaired=1@23\n");
    /* A BOM says UTF-8 whatever the page declares. */
    write_str("bom.html", "\xEF\xBB\xBF<meta charset=windows-1256><p>\xc7</p>\n");
    CHECK_READ1("bom.html", "bom.html|html|html|1|3|36|1|repaired=1@33\n");
    /* Text pages are never converted nor repaired. */
    write_str("meta.txt", "see <meta charset=windows-1256> \xc7\n");
    CHECK_READ1("meta.txt", "!3: meta.txt:1: invalid UTF-8 at byte 32\n");

    KH_TEST("charset: declared late in the head, not in the body");
    /* Past the first 1024 bytes (scripts and styles first), the head's
     * declaration still holds; one in the body does not. */
    char late[1200];
    memset(late, ' ', sizeof late);
    for (size_t i = 100; i < sizeof late; i += 100)
        late[i] = '\n';
    memcpy(late, "<head><p>\xc7</p>", 14);
    memcpy(late + 1030, "<meta charset=windows-1256></head>", 34);
    write_file("late.html", late, sizeof late);
    CHECK_READ1("late.html", "late.html|html|html|1|0|1200|12\n");
    memcpy(late + 1030, "<body><meta charset=windows-1256>", 33);
    write_file("body.html", late, sizeof late);
    CHECK_READ1("body.html", "body.html|html|html|1|0|1200|12|repaired=1@9\n");

    KH_TEST("charset: NUL after the first bad byte");
    /* Converted from the declared charset, the NUL replaced. */
    write_file("nul.html", "<meta charset=windows-1256>\n\xc7\n<p>a\0b</p>\n", 41);
    check_read((const char *[]){ "nul.html" }, 1,
               "nul.html|html|html|1|0|41|3|repaired=1@34|[<meta charset=windows-1256>\n\xD8\xA7\n<p>a" FFFD
               "b</p>\n]\n", 1);

    KH_TEST("html: stray bytes and NULs are replaced, binary data is not HTML");
    write_file("stray.html", "<p>Le caf\xe9 est \x93ouvert\x94 ce matin.</p>\n<p>a\0b</p>\n", 49);
    check_read((const char *[]){ "stray.html" }, 1,
               "stray.html|html|html|1|0|49|2|repaired=4@9|[<p>Le caf" FFFD " est " FFFD "ouvert" FFFD
               " ce matin.</p>\n<p>a" FFFD "b</p>\n]\n", 1);
    /* NULs alone leave valid UTF-8 as it is, whatever the page declares. */
    write_file("nulonly.html", "<meta charset=windows-1256><p>\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 "
               "a\0b, and some more text.</p>\n", 70);
    check_read((const char *[]){ "nulonly.html" }, 1,
               "nulonly.html|html|html|1|0|65|1|repaired=1@42|[<meta charset=windows-1256><p>مرحبا a" FFFD
               "b, and some more text.</p>\n]\n", 1);
    /* More than one byte in eight: an error naming the first. */
    write_file("bin.html", "<p>\0\0\0\0\0\0\0\0\xff\xfe</p>\n", 18);
    CHECK_READ1("bin.html", "!4: bin.html:1: NUL byte at byte 3\n");
#undef FFFD

    KH_TEST("charset: the document limit holds for the UTF-8");
    /* 3748 bytes of windows-1256, near 6500 once in UTF-8 (limit 4096). */
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_buf b;
    kh_buf_init(&b, ctx, 0);
    kh_buf_puts(&b, "<meta charset=windows-1256>\n");
    for (int i = 0; i < 40; i++)
        kh_buf_puts(&b, "<p>" W_P1 "</p>\n");
    write_file("grow.html", b.data, b.len);
    CHECK_READ1("grow.html", "!5: grow.html: document longer than 4096 bytes once converted "
                             "from windows-1256 to UTF-8\n");

    KH_TEST("charset: WARC response declared in the HTTP header");
    kh_buf_clear(&b);
    warc_record(&b, "response", "w1", "http://ar.example/1", "application/http; msgtype=response",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"Windows-1256\"\r\n\r\n"
                ARTICLE("", W_TITLE, W_P1, W_P2), 0);
    write_file("w1256.warc", b.data, b.len);
    check_decoded("w1256.warc", ARTICLE("", AR_TITLE, AR_P1, AR_P2));

    KH_TEST("charset: WARC header says UTF-8, the meta says ISO-8859-6");
    kh_buf_clear(&b);
    warc_record(&b, "response", "w2", NULL, "application/http; msgtype=response",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                ARTICLE("<meta charset=iso-8859-6>", I_TITLE, I_P1, I_P2), 0);
    write_file("iso.warc", b.data, b.len);
    check_decoded("iso.warc", ARTICLE("<meta charset=iso-8859-6>", AR_TITLE, AR_P1, AR_P2));

    KH_TEST("charset: WARC errors name the record, the next one is read");
    kh_buf_clear(&b);
    warc_record(&b, "response", "e1", NULL, "application/http; msgtype=response",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=x-foo\r\n\r\n<p>\xc7</p>", 0);
    size_t e2 = b.len;
    warc_record(&b, "resource", "e2", NULL, "text/html; charset=iso-8859-6", "<p>\xa1\xc7</p>", 0);
    size_t e3 = b.len;
    warc_record(&b, "response", "e3", NULL, "application/http; msgtype=response",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>\xc7\xc7</p>", 0);
    size_t e4 = b.len;
    warc_record(&b, "resource", "e4", NULL, "text/html; charset=windows-1256", "<p>" W_TITLE "</p>", 0);
    /* A WET record is plain text: never converted. */
    warc_record(&b, "conversion", "e5", NULL, "text/plain; charset=windows-1256", "\xc7\n", 0);
    write_file("err.warc", b.data, b.len);
    char want[1024];
    const char *pay2 = strstr(b.data + e2, "<p>"), *pay3 = strstr(b.data + e3, "\r\n\r\n<p>");
    const char *rec5 = strstr(b.data + e4 + 8, "WARC/1.0");
    snprintf(want, sizeof want,
             "!9: err.warc: record at offset 0: unknown charset 'x-foo'\n"
             "!3: err.warc: record at offset %zu: invalid iso-8859-6 at byte %zu\n"
             "!3: err.warc: record at offset %zu: invalid UTF-8 at byte %zu\n"
             "err.warc:%d|warc|html|%d|%zu|23|1|date=2016-10-25T11:34:37Z|[<p>" AR_TITLE "</p>]\n"
             "!3: err.warc: record at offset %zu: invalid UTF-8 at byte %zu\n",
             e2, (size_t)(pay2 - b.data) + 3, e3, (size_t)(pay3 - b.data) + 7,
             1 + (int)count_nl(b.data, e4), 1 + (int)count_nl(b.data, e4), e4,
             (size_t)(rec5 - b.data), (size_t)(strstr(rec5, "\r\n\r\n\xc7") - b.data) + 4);
    check_read((const char *[]){ "err.warc" }, 1, want, 1);

    KH_TEST("WARC: an HTML payload with a stray byte and a NUL is repaired");
    kh_buf_clear(&b);
    warc_record(&b, "response", "s1", "http://en.example/1", "application/http; msgtype=response",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                "<p>The caf\xe9 opens at nine.</p>", 0);
    size_t s2 = b.len;
    static const char nul_pay[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
                               "<p>The bus leaves a\0b at ten.</p>";
    kh_buf_printf(&b, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://en.example/2\r\n"
                      "WARC-Date: 2016-10-25T11:34:37Z\r\nContent-Type: application/http; msgtype=response\r\n"
                      "Content-Length: %zu\r\n\r\n", sizeof nul_pay - 1);
    kh_buf_append(&b, nul_pay, sizeof nul_pay - 1);
    kh_buf_puts(&b, "\r\n\r\n");
    write_file("stray.warc", b.data, b.len);
    const char *sp1 = strstr(b.data, "caf\xe9"), *sp2 = memchr(b.data + s2, '\0', b.len - s2);
    snprintf(want, sizeof want,
             "http://en.example/1|warc|html|1|0|30|1|url=http://en.example/1|date=2016-10-25T11:34:37Z"
             "|repaired=1@%zu|[<p>The caf\xEF\xBF\xBD opens at nine.</p>]\n"
             "http://en.example/2|warc|html|%d|%zu|33|1|url=http://en.example/2|date=2016-10-25T11:34:37Z"
             "|repaired=1@%zu|[<p>The bus leaves a\xEF\xBF\xBD" "b at ten.</p>]\n",
             (size_t)(sp1 - b.data) + 3, 1 + (int)count_nl(b.data, s2), s2, (size_t)(sp2 - b.data));
    check_read((const char *[]){ "stray.warc" }, 1, want, 1);
    kh_buf_free(&b);
    kh_ctx_free(ctx);
}

static void test_gzip(void)
{
    KH_TEST("gzip: jsonl in two members, page, detection by content");
    const char *parts[] = { "{\"id\":\"z1\",\"text\":\"أول\"}\n", "{\"id\":\"z2\",\"text\":\"ثان\"}\n" };
    write_gz_members("articles.data", parts, 2); /* the name says nothing */
    CHECK_READ1("articles.data", "z1|jsonl|text|1|0|3|1\nz2|jsonl|text|2|28|3|1\n");
    const char *page[] = { page_ar };
    write_gz_members("page.txt.gz", page, 1);
    CHECK_READ1("page.txt.gz", "page.txt.gz|text|page|1|0|77|4\n");

    KH_TEST("gzip: truncated stream");
    char p[256];
    path_of(p, sizeof p, "page.txt.gz");
    FILE *f = fopen(p, "rb");
    unsigned char gz[4096];
    size_t n = fread(gz, 1, sizeof gz, f);
    fclose(f);
    write_file("cut.gz", gz, n - 12);
    char want[256];
    snprintf(want, sizeof want, "!11: cut.gz: gzip stream truncated at byte %zu (compressed)\n", n - 12);
    CHECK_READ1("cut.gz", want);

    KH_TEST("gzip: corrupt data");
    memcpy(gz + 30, "\xff\xff\xff\xff\xff\xff", 6);
    write_file("bad.gz", gz, n);
    const char *names[] = { "bad.gz", "page.txt" };
    kh_read_stats st = check_read(names, 2, "!11: bad.gz: bad gzip data at byte 45 (compressed): invalid bit length repeat\n"
                                            "page.txt|text|page|1|0|77|4\n", 0);
    KH_CHECK_INT(st.errors, 1);
    KH_CHECK_INT(st.files, 2);
}

static void test_dirs(void)
{
    KH_TEST("directory: byte order, recursion, dot-files skipped");
    char p[256];
    path_of(p, sizeof p, "tree");
    mkdir(p, 0755);
    path_of(p, sizeof p, "tree/sub");
    mkdir(p, 0755);
    path_of(p, sizeof p, "tree/.git");
    mkdir(p, 0755);
    write_str("tree/b.txt", "bee\n");
    write_str("tree/a.txt", "ay\n");
    write_str("tree/A.txt", "capital\n");
    write_str("tree/.hidden", "never read\n");
    write_str("tree/.git/x.txt", "never read\n");
    write_str("tree/sub/c.jsonl", "{\"id\":\"c1\",\"text\":\"سي\"}\n");
    write_str("tree/sub/é.txt", "accent\n");
    write_str("tree/z.txt", "");
    kh_read_stats st = check_read((const char *[]){ "tree", "missing.txt", "tree/a.txt" }, 3,
                                  "tree/A.txt|text|page|1|0|8|1\n"
                                  "tree/a.txt|text|page|1|0|3|1\n"
                                  "tree/b.txt|text|page|1|0|4|1\n"
                                  "c1|jsonl|text|1|0|2|1\n"
                                  "tree/sub/é.txt|text|page|1|0|7|1\n"
                                  "!6: tree/z.txt: empty file\n"
                                  "!2: missing.txt: cannot open: No such file or directory\n"
                                  "a.txt|text|page|1|0|3|1\n",
                                  0);
    KH_CHECK_INT(st.docs, 6);
    KH_CHECK_INT(st.errors, 2);
    KH_CHECK_INT(st.files, 7);

    KH_TEST("directory loop through a symlink");
    path_of(p, sizeof p, "looped");
    mkdir(p, 0755);
    write_str("looped/a.txt", "in the loop\n");
    path_of(p, sizeof p, "looped/back");
    KH_CHECK(symlink(".", p) == 0);
    CHECK_READ1("looped", "looped/a.txt|text|page|1|0|12|1\n"
                          "!2: looped/back: directory loop, skipped\n");

    if (geteuid() != 0) { /* root reads any directory */
        KH_TEST("directory that cannot be read");
        path_of(p, sizeof p, "locked");
        mkdir(p, 0755);
        write_str("locked/x.txt", "x\n");
        chmod(p, 0);
        CHECK_READ1("locked", "!2: locked: cannot read directory: Permission denied\n");
        chmod(p, 0755);
    }
}

static void test_buffer(void)
{
    KH_TEST("buffer: jsonl, gzip, warc, empty");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    static const char jl[] = "{\"id\":\"m1\",\"text\":\"نص\"}\n{\"id\":\"m2\",\"html\":\"<b>x</b>\"}\n";
    kh_reader *r;
    KH_CHECK(kh_reader_open_buffer(ctx, "mem.jsonl", jl, sizeof jl - 1, &r) == KH_OK);
    kh_buf log;
    read_log(ctx, r, &log, 0);
    KH_CHECK_STR(log.data, "m1|jsonl|text|1|0|2|1\nm2|jsonl|html|2|26|8|1\n");
    kh_buf_free(&log);
    kh_reader_free(r);

    /* gzip in memory */
    unsigned char gz[512];
    uLongf gzlen = sizeof gz;
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)jl;
    z.avail_in = sizeof jl - 1;
    z.next_out = gz;
    z.avail_out = sizeof gz;
    deflate(&z, Z_FINISH);
    gzlen = sizeof gz - z.avail_out;
    deflateEnd(&z);
    KH_CHECK(kh_reader_open_buffer(ctx, NULL, gz, gzlen, &r) == KH_OK);
    read_log(ctx, r, &log, 0);
    KH_CHECK_STR(log.data, "m1|jsonl|text|1|0|2|1\nm2|jsonl|html|2|26|8|1\n");
    kh_read_stats st;
    kh_reader_stats(r, &st);
    KH_CHECK_INT(st.bytes, gzlen);
    kh_buf_free(&log);
    kh_reader_free(r);

    KH_CHECK(kh_reader_open_buffer(ctx, "none", NULL, 0, &r) == KH_OK);
    read_log(ctx, r, &log, 0);
    KH_CHECK_STR(log.data, "!6: none: empty file\n");
    kh_buf_free(&log);
    kh_reader_free(r);

    KH_TEST("open: bad arguments");
    KH_CHECK(kh_reader_open(ctx, NULL, 0, &r) == KH_E_ARG);
    KH_CHECK(r == NULL);
    KH_CHECK(kh_reader_open_buffer(ctx, "x", NULL, 5, &r) == KH_E_ARG);
    kh_reader_free(NULL);
    kh_doc_free(NULL);
    kh_ctx_free(ctx);
}

/* Fails each allocation in turn over a mixed directory. */
static void test_nomem(void)
{
    KH_TEST("allocation failure");
    write_str("mix/1.txt", page_ar);
    write_str("mix/2.jsonl", "{\"id\":\"j\",\"text\":\"x\"}\n{\"id\":\"k\",\"page\":\"y\"}\n");
    const char *parts[] = { "{\"id\":\"g\",\"text\":\"gz\"}\n" };
    write_gz_members("mix/3.gz", parts, 1);
    kh_buf w;
    kh_ctx *c0;
    kh_ctx_create(&c0, NULL);
    kh_buf_init(&w, c0, 0);
    warc_record(&w, "conversion", "w", NULL, "text/plain", "warc text\n", 0);
    write_file("mix/4.warc", w.data, w.len);
    write_str("mix/5.html", ARTICLE("<meta charset=windows-1256>", W_TITLE, W_P1, W_P2));
    kh_buf_free(&w);
    kh_ctx_free(c0);

    char dir[256];
    path_of(dir, sizeof dir, "mix");
    const char *paths[] = { dir };
    int clean = 1, full = 0, nomem = 0;
    for (long n = 1; n < 400 && !full; n++) {
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) {
            clean &= ta.live == 0;
            continue;
        }
        kh_reader *r;
        int docs = 0, ok = 1;
        if (kh_reader_open(ctx, paths, 1, &r) == KH_OK) {
            for (;;) {
                kh_doc *d;
                kh_status rc = kh_reader_next(r, &d);
                if (rc == KH_E_NOMEM) {
                    ok = 0;
                    nomem++;
                    /* the reader stays unusable, and says so */
                    KH_CHECK(kh_reader_next(r, &d) == KH_E_NOMEM && d == NULL);
                    break;
                }
                if (rc != KH_OK) {
                    ok = 0;
                    clean = 0; /* no other error may appear */
                    fprintf(stderr, "unexpected: %s\n", kh_errmsg(ctx));
                    break;
                }
                if (!d)
                    break;
                docs++;
                kh_doc_free(d);
            }
            kh_reader_free(r);
        } else {
            ok = 0;
        }
        if (ok) {
            full = 1;
            KH_CHECK_INT(docs, 6);
        }
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
    KH_CHECK(full);
    KH_CHECK(nomem > 10);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/khabar-test-read-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    char p[256];
    path_of(p, sizeof p, "mix");
    mkdir(p, 0755);
    test_page();
    test_html();
    test_charset();
    test_jsonl();
    test_warc();
    test_gzip();
    test_dirs();
    test_buffer();
    test_nomem();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return kh_test_report("test_read");
}
