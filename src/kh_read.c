/*
 * kh_read.c — PLACEHOLDER reader so the commands that read documents can
 * link and run while the real readers (text, HTML, WARC/WET, directories,
 * format detection) are written. Reads JSON Lines only, plain or gzip:
 * one object a line with "id" and "text" (or "content"), optionally
 * "date", "title", "source", "url". A line without an id gets "FILE:LINE".
 */
#include "kh_internal.h"

#include <jansson.h>
#include <string.h>
#include <zlib.h>

struct kh_reader {
    kh_ctx *ctx;
    const char *const *paths;
    size_t n_paths, next_path;
    const char *path;
    gzFile gz;
    uint64_t line, seq;
    kh_buf buf;
    kh_read_stats st;
};

kh_status kh_reader_open(kh_ctx *ctx, const char *const *paths, size_t n_paths, kh_reader **out)
{
    *out = NULL;
    if (!paths || n_paths == 0)
        return kh_ctx_error(ctx, KH_E_ARG, "no input paths");
    kh_reader *r = kh_malloc(ctx, sizeof *r);
    KHI_RETURN_IF(!r, KH_E_NOMEM);
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    r->paths = paths;
    r->n_paths = n_paths;
    kh_buf_init(&r->buf, ctx, kh_ctx_limit(ctx, KH_LIMIT_LINE, 0));
    *out = r;
    return KH_OK;
}

void kh_reader_free(kh_reader *r)
{
    if (!r)
        return;
    if (r->gz)
        gzclose(r->gz);
    kh_buf_free(&r->buf);
    kh_free(r->ctx, r, sizeof *r);
}

void kh_reader_stats(const kh_reader *r, kh_read_stats *stats)
{
    *stats = r->st;
}

/* Reads one line into r->buf; 0 at the end of the file, -1 when too long. */
static int read_line(kh_reader *r)
{
    kh_buf_clear(&r->buf);
    char chunk[65536];
    for (;;) {
        if (!gzgets(r->gz, chunk, sizeof chunk))
            return r->buf.len ? 1 : 0;
        size_t n = strlen(chunk);
        if (kh_buf_append(&r->buf, chunk, n) != KH_OK) {
            while (n && chunk[n - 1] != '\n' && gzgets(r->gz, chunk, sizeof chunk))
                n = strlen(chunk);
            return -1;
        }
        if (n && chunk[n - 1] == '\n')
            return 1;
    }
}

static const char *field(json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

kh_status kh_reader_next(kh_reader *r, kh_doc **out)
{
    *out = NULL;
    for (;;) {
        if (!r->gz) {
            if (r->next_path == r->n_paths)
                return KH_OK;
            r->path = r->paths[r->next_path++];
            r->gz = strcmp(r->path, "-") == 0 ? gzdopen(0, "rb") : gzopen(r->path, "rb");
            r->line = 0;
            if (!r->gz) {
                r->st.errors++;
                return kh_ctx_error(r->ctx, KH_E_IO, "%s: cannot open", r->path);
            }
            r->st.files++;
        }
        int got = read_line(r);
        if (got == 0) {
            gzclose(r->gz);
            r->gz = NULL;
            continue;
        }
        r->line++;
        r->st.bytes += r->buf.len;
        if (got < 0) {
            r->st.errors++;
            return kh_ctx_error(r->ctx, KH_E_TOOBIG, "%s:%llu: line too long", r->path,
                                (unsigned long long)r->line);
        }
        size_t len = r->buf.len;
        while (len && (r->buf.data[len - 1] == '\n' || r->buf.data[len - 1] == '\r'))
            len--;
        if (len == 0)
            continue;
        json_error_t err;
        json_t *o = json_loadb(r->buf.data, len, 0, &err);
        if (!o || !json_is_object(o)) {
            json_decref(o);
            r->st.errors++;
            return kh_ctx_error(r->ctx, KH_E_JSON, "%s:%llu: %s", r->path,
                                (unsigned long long)r->line, o ? "not an object" : err.text);
        }
        json_t *text = json_object_get(o, "text");
        if (!json_is_string(text))
            text = json_object_get(o, "content");
        if (!json_is_string(text)) {
            json_decref(o);
            r->st.errors++;
            return kh_ctx_error(r->ctx, KH_E_JSON, "%s:%llu: no \"text\" string", r->path,
                                (unsigned long long)r->line);
        }
        kh_arena *a;
        kh_status rc = kh_arena_create(r->ctx, &a);
        kh_doc *d = rc == KH_OK ? kh_arena_alloc(a, sizeof *d) : NULL;
        if (!d) {
            kh_arena_free(rc == KH_OK ? a : NULL);
            json_decref(o);
            return KH_E_NOMEM;
        }
        memset(d, 0, sizeof *d);
        d->arena = a;
        char idbuf[64];
        const char *id = field(o, "id");
        if (!id) {
            snprintf(idbuf, sizeof idbuf, "line %llu", (unsigned long long)r->line);
            id = idbuf;
        }
        const char *t = json_string_value(text);
        size_t tl = json_string_length(text);
        d->id = kh_arena_strndup(a, id, strlen(id));
        d->file = kh_arena_strndup(a, r->path, strlen(r->path));
        d->content = kh_arena_strndup(a, t, tl);
        d->content_len = tl;
#define OPT(f, name) \
        if (field(o, name)) d->f = kh_arena_strndup(a, field(o, name), strlen(field(o, name)));
        OPT(date, "date")
        OPT(title, "title")
        OPT(source, "source")
        OPT(url, "url")
#undef OPT
        json_decref(o);
        if (!d->id || !d->file || !d->content) {
            kh_arena_free(a);
            return KH_E_NOMEM;
        }
        d->line = r->line;
        d->seq = r->seq++;
        d->format = KH_FORMAT_JSONL;
        d->kind = KH_CONTENT_TEXT;
        r->st.docs++;
        *out = d;
        return KH_OK;
    }
}
