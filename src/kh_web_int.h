/*
 * kh_web_int.h — what the web page's two files share: the request policy
 * and router in kh_web.c, and the server in kh_web_server.c that feeds it
 * what libmicrohttpd parsed. fuzz/fuzz_web_request.c calls the same entry
 * points with requests it parses itself, so the policy is fuzzed without
 * sockets.
 */
#ifndef KH_WEB_INT_H
#define KH_WEB_INT_H

#include "kh_internal.h"

#include <stdint.h>

/* A request target longer than this is answered 414, and one with more
 * query arguments than KHI_WEB_MAX_ARGS is answered 400: libmicrohttpd is
 * never asked to parse them (see khi_web_uri_admit). */
#define KHI_WEB_MAX_URI 8192
#define KHI_WEB_MAX_ARGS 64

/* Where the server listens, for the Host check. */
typedef struct khi_web_site {
    uint32_t bind;            /* IPv4 address, host byte order; 0 = every address */
    _Atomic unsigned port;    /* the port bound: written after the server threads start */
    const char *const *hosts; /* more names accepted as Host, NULL-terminated; may be NULL */
} khi_web_site;

/* One request as the router sees it: every string NUL-terminated and
 * already percent-decoded (by khi_web_unescape). */
typedef struct khi_web_request {
    const char *method;   /* "GET", "HEAD", ... */
    const char *version;  /* "HTTP/1.1", "HTTP/1.0", or "" */
    const char *path;     /* without the query */
    const char *host;     /* the Host header; NULL when absent */
    kh_web_params args;   /* the arguments; NULL when absent */
    int refused;          /* 0, or the status khi_web_uri_admit() gave the target */
    int has_body;         /* the request carried a body */
} khi_web_request;

/* The status the request target (path and query as received, before any
 * parsing) earns: 0 when it may be parsed, 414 when it is longer than
 * KHI_WEB_MAX_URI, 400 when it has more than KHI_WEB_MAX_ARGS arguments.
 * A refused target loses its query (cut after the '?') so that nothing
 * parses the arguments. NULL is 0. */
int khi_web_uri_admit(char *uri);

/* Decodes %XX in place, except %00, which stays as three characters.
 * Returns the new length. */
size_t khi_web_unescape(char *s);

/* Whether a Host header value names this server (see kh_web.c). */
int khi_web_host_ok(const khi_web_site *site, const char *host);

/* The whole answer to one request: the Host check, the method, a refused
 * target, a body, then kh_web_render() over store. Same outputs as
 * kh_web_render(); http_status may also be 405 or 421. */
kh_status khi_web_respond(const khi_web_site *site, kh_store *store,
                          const khi_web_request *req, kh_buf *out, int *http_status,
                          const char **content_type);

/* ---- answers kept until the store changes (kh_web_cache.c) ---- */

#define KHI_WEB_CACHE_ENTRIES 256                 /* answers per store connection */
#define KHI_WEB_CACHE_BYTES ((size_t)8 << 20)     /* their keys and bodies, at most */
#define KHI_WEB_CACHE_MAX_ANSWER ((size_t)1 << 20) /* a larger answer is not kept */

/* One answer: a status, a content type (one of the router's constant
 * strings) and a body. */
typedef struct khi_web_answer {
    int status;
    const char *type;
    const char *body;
    size_t body_len;
} khi_web_answer;

typedef struct khi_web_cache khi_web_cache;

/* NULL when out of memory. */
khi_web_cache *khi_web_cache_new(kh_ctx *ctx);
void khi_web_cache_free(khi_web_cache *c);
void khi_web_cache_clear(khi_web_cache *c);

/* Drops every answer unless version is the store's data version they were
 * made at (kh_store_data_version() on the same connection). */
void khi_web_cache_validate(khi_web_cache *c, int64_t version);

/* The answer kept under key, or NULL; valid until the next put or clear. */
const khi_web_answer *khi_web_cache_get(khi_web_cache *c, const char *key, size_t key_len);

/* Keeps a copy of answer under key, making room by dropping the least
 * recently used; 0 when it is not kept (too large, or out of memory). */
int khi_web_cache_put(khi_web_cache *c, const char *key, size_t key_len,
                      const khi_web_answer *answer);

/* Bytes of keys and bodies held. */
size_t khi_web_cache_bytes(const khi_web_cache *c);

#endif /* KH_WEB_INT_H */
