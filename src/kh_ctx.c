/*
 * kh_ctx.c — the context: allocator, limits, version, and error reporting.
 *
 * Every allocation in the library goes through ctx->alloc, so a program can
 * count, cap or fail allocations (the tests fail the Nth one on purpose).
 * The last error's message lives in a fixed array inside the context: a
 * failure to allocate can still be described.
 */
#include "kh_internal.h"

#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *opaque, void *ptr, size_t old_size, size_t new_size)
{
    (void)opaque;
    (void)old_size;
    if (new_size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, new_size);
}

static const size_t default_limits[KH_LIMIT_COUNT_] = {
    [KH_LIMIT_LINE] = (size_t)16 << 20,
    [KH_LIMIT_DOCUMENT] = (size_t)64 << 20,
    [KH_LIMIT_HTML_ATTRS] = 512,
    [KH_LIMIT_HTML_ATTRS_TOTAL] = (size_t)1 << 18,
    [KH_LIMIT_HTML_ELEMENTS] = (size_t)1 << 18,
    [KH_LIMIT_HTML_DEPTH] = 512,
};

unsigned kh_version_number(void) { return KH_VERSION_NUMBER; }
const char *kh_version_string(void) { return KH_VERSION_STRING; }

const char *kh_strerror(kh_status code)
{
    static const char *const text[KH_STATUS_COUNT_] = {
        [KH_OK] = "ok",
        [KH_E_NOMEM] = "out of memory",
        [KH_E_IO] = "input/output error",
        [KH_E_UTF8] = "invalid UTF-8",
        [KH_E_NUL] = "NUL byte in text",
        [KH_E_TOOBIG] = "too big",
        [KH_E_EMPTY] = "empty input",
        [KH_E_JSON] = "bad JSON",
        [KH_E_WARC] = "bad WARC record",
        [KH_E_FORMAT] = "unknown input format",
        [KH_E_ARG] = "bad argument",
        [KH_E_GZIP] = "bad gzip stream",
        [KH_E_DB] = "database error",
        [KH_E_INTERNAL] = "internal error",
        [KH_E_STOPPED] = "stopped by callback",
        [KH_E_LIMIT] = "page over a work limit",
        [KH_E_DUPLICATE] = "id already read",
    };
    if ((unsigned)code >= KH_STATUS_COUNT_ || !text[code])
        return "unknown error";
    return text[code];
}

kh_status kh_ctx_create(kh_ctx **out, const kh_allocator *alloc)
{
    kh_allocator a = { default_alloc, NULL };
    if (alloc && alloc->fn)
        a = *alloc;
    *out = NULL;
    kh_ctx *ctx = a.fn(a.opaque, NULL, 0, sizeof *ctx);
    KHI_RETURN_IF(!ctx, KH_E_NOMEM);
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = a;
    memcpy(ctx->limits, default_limits, sizeof ctx->limits);
    *out = ctx;
    return KH_OK;
}

kh_status khi_ctx_fork(const kh_ctx *parent, kh_ctx **out)
{
    KHI_FORWARD_IF_ERROR(kh_ctx_create(out, &parent->alloc));
    memcpy((*out)->limits, parent->limits, sizeof parent->limits);
    return KH_OK;
}

void kh_ctx_free(kh_ctx *ctx)
{
    if (!ctx)
        return;
    kh_allocator a = ctx->alloc;
    a.fn(a.opaque, ctx, sizeof *ctx, 0);
}

size_t kh_ctx_limit(kh_ctx *ctx, kh_limit which, size_t value)
{
    if ((unsigned)which >= KH_LIMIT_COUNT_)
        return 0;
    size_t old = ctx->limits[which];
    if (value)
        ctx->limits[which] = value;
    return old;
}

const char *kh_errmsg(const kh_ctx *ctx)
{
    if (!ctx)
        return kh_strerror(KH_E_NOMEM);
    return ctx->errmsg;
}

kh_status khi_ctx_verror(kh_ctx *ctx, kh_status code, const char *fmt, va_list ap)
{
    if (!ctx)
        return code;
    ctx->last_code = code;
    vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
    return code;
}

kh_status kh_ctx_error(kh_ctx *ctx, kh_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    khi_ctx_verror(ctx, code, fmt, ap);
    va_end(ap);
    return code;
}

void *kh_malloc(kh_ctx *ctx, size_t size)
{
    if (size == 0)
        size = 1;
    return ctx->alloc.fn(ctx->alloc.opaque, NULL, 0, size);
}

char *khi_strndup(kh_ctx *ctx, const char *s, size_t len)
{
    char *p = kh_malloc(ctx, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *khi_strdup(kh_ctx *ctx, const char *s)
{
    return s ? khi_strndup(ctx, s, strlen(s)) : NULL;
}

void khi_strfree(kh_ctx *ctx, char *s)
{
    if (s)
        kh_free(ctx, s, strlen(s) + 1);
}

kh_status khi_grow(kh_ctx *ctx, void *arrayp, size_t *cap, size_t elem, size_t first)
{
    size_t ncap = *cap ? *cap * 2 : first;
    if (ncap <= *cap || ncap > SIZE_MAX / elem)
        return KH_E_NOMEM;
    /* the pointer is read and written as bytes: arrayp may be the address
     * of a pointer to any type */
    void *old, *grown;
    memcpy(&old, arrayp, sizeof old);
    grown = kh_realloc(ctx, old, *cap * elem, ncap * elem);
    if (!grown)
        return KH_E_NOMEM;
    memcpy(arrayp, &grown, sizeof grown);
    *cap = ncap;
    return KH_OK;
}

void *kh_realloc(kh_ctx *ctx, void *ptr, size_t old_size, size_t new_size)
{
    if (new_size == 0)
        new_size = 1;
    return ctx->alloc.fn(ctx->alloc.opaque, ptr, old_size, new_size);
}

void kh_free(kh_ctx *ctx, void *ptr, size_t size)
{
    if (ptr)
        ctx->alloc.fn(ctx->alloc.opaque, ptr, size, 0);
}
