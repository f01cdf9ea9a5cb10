/*
 * kh_buf.c — growable byte buffers with a cap, and JSON string escaping.
 *
 * Every buffer that grows has a maximum set at init (curl's dynbuf idea):
 * input that would grow it past the cap fails with KH_E_TOOBIG, which the
 * caller turns into "file:line: line too long" instead of exhausting memory.
 */
#include "kh_internal.h"

#include <stdarg.h>
#include <string.h>

void kh_buf_init(kh_buf *buf, kh_ctx *ctx, size_t max)
{
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max ? max : SIZE_MAX / 2;
    buf->ctx = ctx;
}

void kh_buf_free(kh_buf *buf)
{
    if (buf->data)
        kh_free(buf->ctx, buf->data, buf->cap);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
}

void kh_buf_clear(kh_buf *buf)
{
    buf->len = 0;
    if (buf->data)
        buf->data[0] = '\0';
}

kh_status kh_buf_reserve(kh_buf *buf, size_t extra)
{
    KHI_RETURN_IF(extra > buf->max || buf->len > buf->max - extra, KH_E_TOOBIG);
    size_t need = buf->len + extra + 1; /* room for the NUL */
    if (need <= buf->cap)
        return KH_OK;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = kh_realloc(buf->ctx, buf->data, buf->cap, cap);
    KHI_RETURN_IF(!p, KH_E_NOMEM);
    buf->data = p;
    buf->cap = cap;
    return KH_OK;
}

kh_status kh_buf_append(kh_buf *buf, const void *bytes, size_t len)
{
    KHI_FORWARD_IF_ERROR(kh_buf_reserve(buf, len));
    if (len)
        memcpy(buf->data + buf->len, bytes, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return KH_OK;
}

kh_status kh_buf_puts(kh_buf *buf, const char *s)
{
    return kh_buf_append(buf, s, strlen(s));
}

kh_status kh_buf_printf(kh_buf *buf, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    KHI_RETURN_IF(n < 0, KH_E_INTERNAL);
    if ((size_t)n < sizeof small)
        return kh_buf_append(buf, small, (size_t)n);
    KHI_FORWARD_IF_ERROR(kh_buf_reserve(buf, (size_t)n));
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return KH_OK;
}

kh_status kh_buf_json_string(kh_buf *buf, const char *text, size_t text_len)
{
    static const char hex[] = "0123456789abcdef";
    /* Worst case every byte becomes \u00XX. */
    KHI_FORWARD_IF_ERROR(kh_buf_reserve(buf, text_len * 6 + 2));
    char *o = buf->data + buf->len;
    *o++ = '"';
    for (size_t i = 0; i < text_len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o++ = '"';
    buf->len = (size_t)(o - buf->data);
    buf->data[buf->len] = '\0';
    return KH_OK;
}
