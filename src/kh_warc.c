/*
 * kh_warc.c — the crawler's archive: each fetch written as WARC/1.1 records
 * that khabar's reader and the standard WARC tools (warcio, pywb, the
 * Internet Archive's) read back.
 *
 * Layout. A file is a warcinfo record, then per exchange a request record
 * (when the exchange has one) and a response record that name each other
 * in WARC-Concurrent-To. Every record is its own gzip member, so a reader
 * may seek to any record and a file cut by a crash loses only its last
 * record:
 *
 *   [gz: warcinfo][gz: request][gz: response][gz: request][gz: response]...
 *
 * A record is "WARC/1.1" CRLF, named fields, CRLF, the block, CRLF CRLF.
 * The response block is the HTTP head as received and the payload after
 * transfer and content decoding (what the cleaner wants). Since that
 * payload is no longer what the headers describe, Transfer-Encoding,
 * Content-Encoding and Content-Length are kept renamed "X-Crawler-..." and
 * a Content-Length of the stored payload is added, as Heritrix and
 * warcprox do, so that tools neither decode twice nor misframe the body.
 * Digests are SHA-1 in base 32 (the WARC convention), over the block and
 * over the payload.
 *
 * Files are written as NAME.warc.gz.open and renamed when closed, so a
 * reader that lists *.warc.gz never sees a file being written. A new file
 * starts before a record (or a request-response pair) would take the
 * current one past max_bytes, counted in compressed bytes; a pair larger
 * than max_bytes goes alone after the warcinfo.
 */
#include "kh_crawl_int.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

struct khc_warc {
    kh_ctx *ctx;
    char *dir, *prefix, *user_agent;
    uint64_t max_bytes;
    unsigned serial;      /* the NNNNN of the next file */
    FILE *f;              /* the open file, or NULL */
    char path[4096];      /* its final name; written with ".open" after it */
    char info_id[48];     /* its warcinfo's record id */
    uint64_t bytes;       /* compressed bytes written to it */
    int records;          /* records written to it after the warcinfo */
};

/* "urn:uuid:" and a random (version 4) UUID. getrandom() first; the
 * device when the call is missing or interrupted. */
static kh_status new_id(kh_ctx *ctx, char out[48])
{
    unsigned char b[16];
    ssize_t got = getrandom(b, sizeof b, GRND_NONBLOCK);
    if (got != (ssize_t)sizeof b) {
        FILE *u = fopen("/dev/urandom", "rb");
        size_t n = u ? fread(b, 1, sizeof b, u) : 0;
        if (u)
            fclose(u);
        if (n != sizeof b)
            return kh_ctx_error(ctx, KH_E_IO, "/dev/urandom: cannot read a record id");
    }
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, 48,
             "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
    return KH_OK;
}

/* "sha1:" and the SHA-1 of data in RFC 4648 base 32 (32 characters). */
static kh_status sha1_base32(kh_ctx *ctx, const void *a, size_t a_len, const void *b,
                             size_t b_len, char out[40])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    int ok = mc && EVP_DigestInit_ex(mc, EVP_sha1(), NULL) == 1 &&
             (!a_len || EVP_DigestUpdate(mc, a, a_len) == 1) &&
             (!b_len || EVP_DigestUpdate(mc, b, b_len) == 1) &&
             EVP_DigestFinal_ex(mc, md, &md_len) == 1 && md_len == 20;
    EVP_MD_CTX_free(mc);
    if (!ok)
        return kh_ctx_error(ctx, KH_E_NOMEM, "SHA-1 digest failed");
    memcpy(out, "sha1:", 5);
    char *o = out + 5;
    /* 20 bytes = 160 bits = 32 groups of 5 */
    for (int bit = 0; bit < 160; bit += 5) {
        int byte = bit / 8, shift = bit % 8;
        unsigned v = (unsigned)md[byte] << 8 | (byte + 1 < 20 ? md[byte + 1] : 0);
        *o++ = alphabet[(v >> (11 - shift)) & 31];
    }
    *o = '\0';
    return KH_OK;
}

/* WARC-Date: "YYYY-MM-DDTHH:MM:SSZ". */
static void warc_date(int64_t t, char out[32])
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int y, m, d;
    khi_civil_from_days((long)days, &y, &m, &d);
    if (y < 0 || y > 9999) { /* no 5-digit years in a WARC-Date */
        y = 1970;
        m = d = 1;
        secs = 0;
    }
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60));
}

/* Appends a header value with every control byte written as %XX, so that
 * a URL or user agent with a CR in it cannot forge a field; a URI also has
 * its spaces and non-ASCII bytes escaped, as RFC 3986 wants. */
static kh_status put_value(kh_buf *b, const char *s, int uri)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char e[3] = { '%', hex[c >> 4], hex[c & 15] };
        int esc = c < 0x20 || c == 0x7F || (uri && (c == ' ' || c >= 0x80));
        kh_status rc = esc ? kh_buf_append(b, e, 3) : kh_buf_append(b, s, 1);
        KHI_FORWARD_IF_ERROR(rc);
    }
    return KH_OK;
}

/* Whether s may stand as a WARC-IP-Address: hex digits, '.' and ':'. */
static int is_ip(const char *s)
{
    if (!s || !*s || strlen(s) > 45)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F') ||
              *s == '.' || *s == ':'))
            return 0;
    return 1;
}

/*
 * The stored HTTP head: lines as received (ends normalized to CRLF),
 * Transfer-Encoding, Content-Encoding and Content-Length renamed
 * "X-Crawler-...", a Content-Length of the stored payload last, then the
 * blank line. Anything after the head's blank line is not head.
 */
static kh_status rewrite_head(kh_buf *b, const char *head, size_t len, size_t payload_len)
{
    static const char *const renamed[] = { "transfer-encoding", "content-encoding",
                                           "content-length" };
    size_t i = 0;
    int first = 1;
    while (i < len) {
        size_t e = i;
        while (e < len && head[e] != '\n')
            e++;
        size_t n = e - i;
        if (n && head[i + n - 1] == '\r')
            n--;
        const char *line = head + i;
        i = e + 1;
        if (n == 0) {
            if (first)
                continue; /* stray blank lines before the status line */
            break;
        }
        if (!first) {
            const char *colon = memchr(line, ':', n);
            for (size_t k = 0; colon && k < sizeof renamed / sizeof *renamed; k++) {
                size_t rl = strlen(renamed[k]);
                if ((size_t)(colon - line) == rl && strncasecmp(line, renamed[k], rl) == 0) {
                    KHI_FORWARD_IF_ERROR(kh_buf_puts(b, "X-Crawler-"));
                    break;
                }
            }
        }
        first = 0;
        KHI_FORWARD_IF_ERROR(kh_buf_append(b, line, n));
        KHI_FORWARD_IF_ERROR(kh_buf_puts(b, "\r\n"));
    }
    if (first) /* no status line at all */
        KHI_FORWARD_IF_ERROR(kh_buf_puts(b, "HTTP/1.1 200 OK\r\n"));
    return kh_buf_printf(b, "Content-Length: %zu\r\n\r\n", payload_len);
}

/* One record: header fields (the caller's, already CRLF-ended), then the
 * block a + b, framed. */
static kh_status record(kh_buf *out, const char *type, const char *id, const char *date,
                        const char *fields, const char *content_type, const char *a,
                        size_t a_len, const char *b, size_t b_len)
{
    KHI_FORWARD_IF_ERROR(kh_buf_printf(out,
                                       "WARC/1.1\r\n"
                                       "WARC-Type: %s\r\n"
                                       "WARC-Record-ID: <%s>\r\n"
                                       "WARC-Date: %s\r\n"
                                       "%s"
                                       "Content-Type: %s\r\n"
                                       "Content-Length: %zu\r\n\r\n",
                                       type, id, date, fields, content_type, a_len + b_len));
    KHI_FORWARD_IF_ERROR(kh_buf_append(out, a, a_len));
    KHI_FORWARD_IF_ERROR(kh_buf_append(out, b, b_len));
    return kh_buf_puts(out, "\r\n\r\n");
}

/* Compresses data as one gzip member appended to out. */
static kh_status gzip_member(kh_ctx *ctx, const char *data, size_t len, kh_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 + 16: a gzip wrapper, not zlib's */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return kh_ctx_error(ctx, KH_E_NOMEM, "gzip: cannot start a member");
    kh_status rc = KH_OK;
    size_t at = 0;
    int zr = Z_OK;
    while (zr != Z_STREAM_END && rc == KH_OK) {
        size_t in = KHI_MIN(len - at, (size_t)1 << 30);
        z.next_in = (Bytef *)(uintptr_t)(data + at);
        z.avail_in = (uInt)in;
        size_t room = deflateBound(&z, (uLong)in) + 64;
        rc = kh_buf_reserve(out, room);
        if (rc != KH_OK)
            break;
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)KHI_MIN(out->cap - out->len - 1, (size_t)UINT32_MAX);
        int flush = at + in == len ? Z_FINISH : Z_NO_FLUSH;
        size_t before = z.total_out;
        zr = deflate(&z, flush);
        out->len += z.total_out - before;
        at += in - z.avail_in;
        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
            rc = kh_ctx_error(ctx, KH_E_INTERNAL, "gzip: deflate failed (%d)", zr);
    }
    deflateEnd(&z);
    if (rc == KH_OK && out->data)
        out->data[out->len] = '\0';
    return rc;
}

/* Writes len bytes to the open file. */
static kh_status put(khc_warc *w, const char *data, size_t len)
{
    if (fwrite(data, 1, len, w->f) != len)
        return kh_ctx_error(w->ctx, KH_E_IO, "%s.open: write failed: %s", w->path,
                            strerror(errno));
    w->bytes += len;
    return KH_OK;
}

/* Closes the open file and gives it its final name. */
static kh_status finish_file(khc_warc *w)
{
    if (!w->f)
        return KH_OK;
    char open_path[sizeof w->path + 8];
    snprintf(open_path, sizeof open_path, "%s.open", w->path);
    int bad = fflush(w->f) != 0;
    int err = errno;
    bad |= fclose(w->f) != 0;
    w->f = NULL;
    if (bad)
        return kh_ctx_error(w->ctx, KH_E_IO, "%s: close failed: %s", open_path, strerror(err));
    if (rename(open_path, w->path) != 0)
        return kh_ctx_error(w->ctx, KH_E_IO, "%s: cannot rename to %s: %s", open_path, w->path,
                            strerror(errno));
    return KH_OK;
}

/* Starts the next file with its warcinfo record. */
static kh_status start_file(khc_warc *w)
{
    char stamp[32], date[32];
    time_t now = time(NULL);
    warc_date((int64_t)now, date);
    /* 2016-10-25T11:34:00Z -> 20161025113400 */
    snprintf(stamp, sizeof stamp, "%.4s%.2s%.2s%.2s%.2s%.2s", date, date + 5, date + 8,
             date + 11, date + 14, date + 17);
    int n = snprintf(w->path, sizeof w->path, "%s/%s-%s-%05u.warc.gz", w->dir, w->prefix, stamp,
                     w->serial);
    if (n < 0 || (size_t)n >= sizeof w->path)
        return kh_ctx_error(w->ctx, KH_E_IO, "%s/%s-...: path too long", w->dir, w->prefix);
    w->serial++;
    char open_path[sizeof w->path + 8];
    snprintf(open_path, sizeof open_path, "%s.open", w->path);
    /* "x": two writers with one prefix must not share a file */
    w->f = fopen(open_path, "wbx");
    if (!w->f)
        return kh_ctx_error(w->ctx, KH_E_IO, "%s: cannot create: %s", open_path, strerror(errno));
    w->bytes = 0;
    w->records = 0;

    kh_buf fields, rec, gz;
    kh_buf_init(&fields, w->ctx, 0);
    kh_buf_init(&rec, w->ctx, 0);
    kh_buf_init(&gz, w->ctx, 0);
    const char *name = strrchr(w->path, '/') + 1;
    kh_status rc = new_id(w->ctx, w->info_id);
    if (rc == KH_OK)
        rc = kh_buf_printf(&fields, "WARC-Filename: %s\r\n", name);
    if (rc == KH_OK)
        rc = kh_buf_printf(&rec,
                           "software: khabar/%s\r\n"
                           "format: WARC File Format 1.1\r\n"
                           "conformsTo: https://iipc.github.io/warc-specifications/"
                           "specifications/warc-format/warc-1.1/\r\n"
                           "robots: obey\r\n"
                           "http-header-user-agent: ",
                           KH_VERSION_STRING);
    if (rc == KH_OK)
        rc = put_value(&rec, w->user_agent, 0);
    if (rc == KH_OK)
        rc = kh_buf_puts(&rec, "\r\n");
    kh_buf framed;
    kh_buf_init(&framed, w->ctx, 0);
    if (rc == KH_OK)
        rc = record(&framed, "warcinfo", w->info_id, date, fields.data,
                    "application/warc-fields", rec.data, rec.len, NULL, 0);
    if (rc == KH_OK)
        rc = gzip_member(w->ctx, framed.data, framed.len, &gz);
    if (rc == KH_OK)
        rc = put(w, gz.data, gz.len);
    kh_buf_free(&fields);
    kh_buf_free(&rec);
    kh_buf_free(&gz);
    kh_buf_free(&framed);
    if (rc != KH_OK) {
        fclose(w->f);
        w->f = NULL;
        remove(open_path);
    }
    return rc;
}

static void warc_free(khc_warc *w)
{
    kh_ctx *ctx = w->ctx;
    khi_strfree(ctx, w->dir);
    khi_strfree(ctx, w->prefix);
    khi_strfree(ctx, w->user_agent);
    kh_free(ctx, w, sizeof *w);
}

/* Makes dir and its missing parents, as `mkdir -p` does: a crawl told
 * `--warc warc/` should not fail for want of the folder. */
static kh_status make_dirs(kh_ctx *ctx, char *dir)
{
    size_t len = strlen(dir);
    for (size_t i = 1; i <= len; i++) {
        if (dir[i] != '/' && dir[i] != '\0') continue;
        char c = dir[i];
        dir[i] = '\0';
        struct stat st;
        int ok = mkdir(dir, 0777) == 0 || (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
        int err = errno;
        if (!ok) {
            kh_status rc = kh_ctx_error(ctx, KH_E_IO, "WARC: cannot make the directory %s: %s", dir,
                                        strerror(err == EEXIST ? ENOTDIR : err));
            dir[i] = c;
            return rc;
        }
        dir[i] = c;
    }
    return KH_OK;
}

kh_status khc_warc_open(kh_ctx *ctx, const char *dir, const char *prefix, uint64_t max_bytes,
                        const char *user_agent, khc_warc **out)
{
    *out = NULL;
    if (!dir || !*dir || !prefix || !*prefix || strchr(prefix, '/'))
        return kh_ctx_error(ctx, KH_E_ARG, "WARC: a directory and a prefix without '/' are needed");
    khc_warc *w = kh_malloc(ctx, sizeof *w);
    KHI_RETURN_IF(!w, KH_E_NOMEM);
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
    w->max_bytes = max_bytes;
    w->dir = khi_strdup(ctx, dir);
    w->prefix = khi_strdup(ctx, prefix);
    w->user_agent = khi_strdup(ctx, user_agent ? user_agent : "");
    if (!w->dir || !w->prefix || !w->user_agent) {
        warc_free(w);
        KHI_RETURN_IF(1, KH_E_NOMEM);
    }
    kh_status rc = make_dirs(ctx, w->dir);
    if (rc == KH_OK) rc = start_file(w);
    if (rc != KH_OK) {
        warc_free(w);
        return rc;
    }
    *out = w;
    return KH_OK;
}

kh_status khc_warc_write(khc_warc *w, const khc_exchange *ex)
{
    if (!w || !ex || !ex->url || !*ex->url)
        return w ? kh_ctx_error(w->ctx, KH_E_ARG, "WARC: an exchange needs a URL") : KH_E_ARG;
    kh_ctx *ctx = w->ctx;
    char date[32], req_id[48], resp_id[48], block_digest[40], payload_digest[40];
    warc_date(ex->fetched_unix, date);
    int has_req = ex->request && ex->request_len;
    kh_buf head, fields, rec, gz;
    kh_buf_init(&head, ctx, 0);
    kh_buf_init(&fields, ctx, 0);
    kh_buf_init(&rec, ctx, 0);
    kh_buf_init(&gz, ctx, 0);
    kh_status rc = new_id(ctx, resp_id);
    if (rc == KH_OK && has_req)
        rc = new_id(ctx, req_id);

    /* common fields: the target, the address, the warcinfo */
    kh_buf common;
    kh_buf_init(&common, ctx, 0);
    if (rc == KH_OK)
        rc = kh_buf_puts(&common, "WARC-Target-URI: ");
    if (rc == KH_OK)
        rc = put_value(&common, ex->url, 1);
    if (rc == KH_OK)
        rc = kh_buf_puts(&common, "\r\n");
    if (rc == KH_OK && is_ip(ex->ip))
        rc = kh_buf_printf(&common, "WARC-IP-Address: %s\r\n", ex->ip);

    /* the request */
    if (rc == KH_OK && has_req)
        rc = sha1_base32(ctx, ex->request, ex->request_len, NULL, 0, block_digest);
    if (rc == KH_OK && has_req)
        rc = kh_buf_printf(&fields, "%sWARC-Concurrent-To: <%s>\r\nWARC-Warcinfo-ID: <%s>\r\n"
                                    "WARC-Block-Digest: %s\r\n",
                           common.data, resp_id, w->info_id, block_digest);
    if (rc == KH_OK && has_req)
        rc = record(&rec, "request", req_id, date, fields.data, "application/http; msgtype=request",
                    ex->request, ex->request_len, NULL, 0);
    if (rc == KH_OK && has_req)
        rc = gzip_member(ctx, rec.data, rec.len, &gz);

    /* the response */
    if (rc == KH_OK)
        rc = rewrite_head(&head, ex->response_head ? ex->response_head : "",
                          ex->response_head ? ex->response_head_len : 0, ex->payload_len);
    if (rc == KH_OK)
        rc = sha1_base32(ctx, head.data, head.len, ex->payload, ex->payload_len, block_digest);
    if (rc == KH_OK)
        rc = sha1_base32(ctx, ex->payload, ex->payload_len, NULL, 0, payload_digest);
    if (rc == KH_OK) {
        kh_buf_clear(&fields);
        rc = kh_buf_puts(&fields, common.data);
    }
    if (rc == KH_OK && has_req)
        rc = kh_buf_printf(&fields, "WARC-Concurrent-To: <%s>\r\n", req_id);
    if (rc == KH_OK)
        rc = kh_buf_printf(&fields,
                           "WARC-Warcinfo-ID: <%s>\r\nWARC-Block-Digest: %s\r\n"
                           "WARC-Payload-Digest: %s\r\n",
                           w->info_id, block_digest, payload_digest);
    if (rc == KH_OK) {
        kh_buf_clear(&rec);
        rc = record(&rec, "response", resp_id, date, fields.data,
                    "application/http; msgtype=response", head.data, head.len,
                    ex->payload_len ? ex->payload : "", ex->payload_len);
    }
    if (rc == KH_OK)
        rc = gzip_member(ctx, rec.data, rec.len, &gz);

    /* a new file when this pair would take the current one past the cap */
    if (rc == KH_OK && (!w->f || (w->max_bytes && w->records > 0 &&
                                  w->bytes + gz.len > w->max_bytes))) {
        rc = finish_file(w);
        if (rc == KH_OK)
            rc = start_file(w);
    }
    if (rc == KH_OK)
        rc = put(w, gz.data, gz.len);
    if (rc == KH_OK)
        w->records += has_req ? 2 : 1;
    kh_buf_free(&head);
    kh_buf_free(&fields);
    kh_buf_free(&rec);
    kh_buf_free(&gz);
    kh_buf_free(&common);
    return rc;
}

kh_status khc_warc_close(khc_warc *w)
{
    if (!w)
        return KH_OK;
    kh_status rc = finish_file(w);
    warc_free(w);
    return rc;
}
