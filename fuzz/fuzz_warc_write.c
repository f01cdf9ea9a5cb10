/*
 * fuzz_warc_write.c — the WARC writer and khabar's reader, round trip.
 * The input is "URL\nextra header lines\n\npayload": an exchange is written
 * to a scratch directory of its own, read back with kh_reader, and the page must come
 * back with its URL and payload unchanged (when they are something the
 * reader returns: a printable URL, a UTF-8 payload that is not blank).
 * Whatever the input, the file must hold only whole gzip members.
 */
#include "kh_crawl_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The one file in dir (others removed) into found; "" when none. */
static void the_file(const char *scratch, char *found, size_t cap)
{
    DIR *d = opendir(scratch);
    struct dirent *e;
    found[0] = '\0';
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", scratch, e->d_name);
        if (!found[0])
            snprintf(found, cap, "%s", p);
        else
            remove(p);
    }
    if (d)
        closedir(d);
}

static int printable(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F || *s == '<' || *s == '>')
            return 0;
    return 1;
}

static int clean_text(const char *s, size_t n)
{
    int ink = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            ink = 1;
    return ink && !memchr(s, 0, n) && kh_utf8_check(s, n, NULL) == KH_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char scratch[64] = "/tmp/khabar-fuzz-warc-XXXXXX";
    if (!mkdtemp(scratch))
        return 0;
    char *in = malloc(size + 1);
    if (!in) {
        rmdir(scratch);
        return 0;
    }
    memcpy(in, data, size);
    in[size] = '\0';
    /* URL \n extra \n\n payload */
    char *url = in, *extra = in + size, *payload = in + size;
    char *nl = memchr(in, '\n', size);
    if (nl) {
        *nl = '\0';
        extra = nl + 1;
        char *blank = strstr(extra, "\n\n");
        if (blank) {
            *blank = '\0';
            payload = blank + 2;
        } else {
            payload = extra + strlen(extra);
        }
    }
    size_t payload_len = size - (size_t)(payload - in);
    char head[70000];
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n%s%s\r\n",
                      extra, *extra ? "\r\n" : "");
    const char req[] = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    khc_exchange ex = { url[0] ? url : "https://example.com/", 1477398300, "192.0.2.1", req,
                        sizeof req - 1, head, (size_t)hl, payload, payload_len };

    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        free(in);
        rmdir(scratch);
        return 0;
    }
    khc_warc *w;
    if (khc_warc_open(ctx, scratch, "fuzz", 0, "khabar-fuzz", &w) == KH_OK) {
        if (khc_warc_write(w, &ex) != KH_OK)
            __builtin_trap();
        if (khc_warc_close(w) != KH_OK)
            __builtin_trap();
        char path[512];
        the_file(scratch, path, sizeof path);
        const char *paths[] = { path };
        kh_reader *r;
        int expect = printable(ex.url) && clean_text(payload, payload_len) &&
                     strncmp(ex.url, "dns:", 4) != 0 && strncmp(ex.url, "metadata:", 9) != 0 &&
                     strncmp(ex.url, "filedesc:", 9) != 0;
        int found = 0;
        if (path[0] && kh_reader_open(ctx, paths, 1, &r) == KH_OK) {
            for (int guard = 0; guard < 16; guard++) {
                kh_doc *d;
                kh_status rc = kh_reader_next(r, &d);
                if (rc == KH_E_GZIP || rc == KH_E_WARC)
                    __builtin_trap(); /* our own file must read cleanly */
                if (rc != KH_OK)
                    continue;
                if (!d)
                    break;
                found++;
                if (expect && (!d->url || strcmp(d->url, ex.url) != 0 ||
                               d->content_len != payload_len ||
                               memcmp(d->content, payload, payload_len) != 0))
                    __builtin_trap();
                kh_doc_free(d);
            }
            kh_reader_free(r);
        }
        if (expect && found != 1)
            __builtin_trap();
        remove(path);
    }
    kh_ctx_free(ctx);
    free(in);
    rmdir(scratch);
    return 0;
}
