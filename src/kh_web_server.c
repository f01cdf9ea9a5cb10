/*
 * kh_web_server.c — the HTTP server behind kh_web_start(): libmicrohttpd,
 * the store connections requests borrow, and the guard that keeps slow or
 * idle clients from holding every connection.
 *
 * Threads and store connections
 *   libmicrohttpd runs a pool of `threads` threads, each polling its share of
 *   client connections and calling on_request() for one request at a time.
 *   SQLite connections are not shared between threads: the server opens a
 *   pool of `threads` store connections (each with its own kh_ctx) and every
 *   request borrows one for the time it renders, under a mutex. With one
 *   connection per thread a request never waits for a connection, and one
 *   connection is never used by two threads at once.
 *
 * Slow clients
 *   libmicrohttpd's own timeout only measures inactivity, so a client that
 *   sends one header byte a second keeps its connection forever, and a few
 *   hundred such clients fill every slot. The server therefore tracks each
 *   client connection from libmicrohttpd's STARTED notice to its CLOSED one
 *   (a web_client) and knows since when it has owed a request: since it
 *   connected, or since its previous answer was sent. It stops owing once
 *   the handler has the whole request.
 *     - A watchdog thread shuts down (shutdown(2); libmicrohttpd then sees
 *       the end of the stream and closes it) every client that has owed a
 *       request for longer than the header timeout, whatever it trickles.
 *     - When a new connection would pass the connection limit, or the limit
 *       per client address, the client that has owed a request the longest
 *       (from that address, for the second) is shut down to make room; only
 *       when every one is busy with a request is the newcomer turned away.
 *       Loopback clients all share 127.0.0.1, so a local client is never
 *       refused because of slow local ones: it evicts the oldest of them.
 *   libmicrohttpd's limit is set above ours (the headroom), so a newcomer is
 *   accepted and can make room instead of being refused in accept().
 *   The list, and every fd in it, is guarded by one mutex: a record leaves
 *   the list in the CLOSED notice, which libmicrohttpd sends before closing
 *   the socket, so a fd shut down under the mutex is never a reused one.
 *
 * Requests too big to parse
 *   libmicrohttpd 0.9.75 parses the query arguments into the connection's
 *   memory pool right after the request line; when they do not fit, it
 *   queues a 431 and then overwrites that state, and the client waits for an
 *   answer that never comes. The URI callback, which runs just before that
 *   parse, sends the target through khi_web_uri_admit(), which cuts a
 *   refused query after its '?', so the arguments are never parsed and the
 *   handler answers 414 or 400. Within KHI_WEB_MAX_URI and KHI_WEB_MAX_ARGS the
 *   arguments always fit: the read buffer takes half of the pool at first,
 *   and 64 argument records of 64 bytes take 4 KiB of the rest.
 */
#include "kh_web_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#define KHI_WEB_MAX_RESPONSE ((size_t)32 << 20) /* bytes of one response */
#define KHI_WEB_CONN_MEMORY ((size_t)32 << 10)  /* per-connection memory */
#define KHI_WEB_IDLE_TIMEOUT 15u                /* seconds without any traffic */
#define KHI_WEB_HEADER_TIMEOUT 10u              /* seconds to send a whole request */
#define KHI_WEB_MAX_CLIENTS 4096                /* most connections by default */
#define KHI_WEB_TICK_MS 100                     /* how often the watchdog looks */

static const char *const content_plain = "text/plain; charset=utf-8";

/* ---- store connections --------------------------------------------------- */

typedef struct web_conn {
    kh_ctx *ctx;
    kh_store *store;
    kh_buf out;
    khi_web_cache *cache; /* answers made on this connection (kh_web_cache.c) */
    kh_buf key;           /* a request's cache key */
    struct web_conn *next;
} web_conn;

/* One client connection; see "Slow clients" above. */
typedef struct web_client {
    struct web_client *prev, *next; /* in order of arrival */
    int fd;
    uint32_t ip;           /* client IPv4 address, host order */
    int64_t owing_since;   /* ms on the monotonic clock; 0 while its request is answered */
    int dropped;           /* shut down: no longer counted, its CLOSED notice is coming */
} web_client;

struct kh_web {
    kh_ctx *ctx;
    struct MHD_Daemon *daemon;
    khi_web_site site;
    char **hosts; /* site.hosts, copied */
    size_t n_hosts;
    pthread_mutex_t lock;
    pthread_cond_t ready;
    web_conn *conns;
    size_t n_conns;
    web_conn *idle;

    pthread_mutex_t clients_lock;
    pthread_cond_t wake; /* stops the watchdog */
    pthread_t watchdog;
    int watchdog_started, stopping;
    web_client *head, *tail;
    size_t n_live;         /* clients not dropped */
    size_t max_clients, max_per_ip;
    int64_t header_timeout_ms;
};

static web_conn *conn_borrow(kh_web *web)
{
    pthread_mutex_lock(&web->lock);
    while (!web->idle)
        pthread_cond_wait(&web->ready, &web->lock);
    web_conn *c = web->idle;
    web->idle = c->next;
    pthread_mutex_unlock(&web->lock);
    return c;
}

static void conn_return(kh_web *web, web_conn *c)
{
    pthread_mutex_lock(&web->lock);
    c->next = web->idle;
    web->idle = c;
    pthread_cond_signal(&web->ready);
    pthread_mutex_unlock(&web->lock);
}

/* ---- client connections ---------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Under clients_lock. */
static void client_drop(kh_web *web, web_client *c)
{
    shutdown(c->fd, SHUT_RDWR);
    c->dropped = 1;
    web->n_live--;
}

/* Admits c (under clients_lock): makes room by shutting down the client
 * that has owed a request the longest, from c's address when that address
 * is at its limit, else from anyone when the server is at its limit; turns
 * c away when nobody can go. */
static void client_admit(kh_web *web, web_client *c)
{
    size_t same = 0;
    web_client *oldest = NULL, *oldest_same = NULL;
    for (web_client *o = web->head; o; o = o->next) {
        if (o->dropped)
            continue;
        int is_same = o->ip == c->ip;
        same += is_same;
        if (!o->owing_since)
            continue;
        if (!oldest || o->owing_since < oldest->owing_since)
            oldest = o;
        if (is_same && (!oldest_same || o->owing_since < oldest_same->owing_since))
            oldest_same = o;
    }
    c->prev = web->tail;
    c->next = NULL;
    if (web->tail)
        web->tail->next = c;
    else
        web->head = c;
    web->tail = c;
    web->n_live++;
    web_client *victim = NULL;
    if (same >= web->max_per_ip)
        victim = oldest_same ? oldest_same : c;
    else if (web->n_live > web->max_clients)
        victim = oldest ? oldest : c;
    if (victim)
        client_drop(web, victim);
}

static void on_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    kh_web *web = cls;
    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        web_client *c = *socket_context;
        if (!c)
            return;
        pthread_mutex_lock(&web->clients_lock);
        if (c->prev)
            c->prev->next = c->next;
        else
            web->head = c->next;
        if (c->next)
            c->next->prev = c->prev;
        else
            web->tail = c->prev;
        if (!c->dropped)
            web->n_live--;
        pthread_mutex_unlock(&web->clients_lock);
        kh_free(web->ctx, c, sizeof *c);
        *socket_context = NULL;
        return;
    }
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!info)
        return;
    int fd = info->connect_fd;
    web_client *c = kh_malloc(web->ctx, sizeof *c);
    if (!c) {
        /* An untracked client could stall forever: turn it away. */
        shutdown(fd, SHUT_RDWR);
        return;
    }
    memset(c, 0, sizeof *c);
    c->fd = fd;
    info = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        c->ip = ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr);
    c->owing_since = now_ms();
    pthread_mutex_lock(&web->clients_lock);
    client_admit(web, c);
    pthread_mutex_unlock(&web->clients_lock);
    *socket_context = c;
}

/* Marks the client of mc as owing a request (since now) or not. */
static void client_owing(kh_web *web, struct MHD_Connection *mc, int owing)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    web_client *c = info ? info->socket_context : NULL;
    if (!c)
        return;
    int64_t t = owing ? now_ms() : 0;
    pthread_mutex_lock(&web->clients_lock);
    c->owing_since = t;
    pthread_mutex_unlock(&web->clients_lock);
}

static void *watchdog(void *arg)
{
    kh_web *web = arg;
    pthread_mutex_lock(&web->clients_lock);
    while (!web->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += KHI_WEB_TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&web->wake, &web->clients_lock, &until);
        int64_t now = now_ms();
        for (web_client *c = web->head; c; c = c->next)
            if (!c->dropped && c->owing_since &&
                now - c->owing_since >= web->header_timeout_ms)
                client_drop(web, c);
    }
    pthread_mutex_unlock(&web->clients_lock);
    return NULL;
}

/* ---- requests ----------------------------------------------------------------- */

static enum MHD_Result send_answer(struct MHD_Connection *mc, unsigned status, const char *type,
                                   const char *body, size_t body_len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(body_len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; "
                            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(mc, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* c->key = what the answer to req depends on: the path, the Host header
 * and every argument the router reads (absent and empty differ). Returns 0
 * when the answer must not be kept or looked up: a refused target, a body,
 * a method other than GET and HEAD, or a store whose version cannot be
 * read. The cache is first made to hold only answers of the store as it
 * is now. */
static int cache_key(web_conn *c, const khi_web_request *req)
{
    if (req->refused || req->has_body || !req->method ||
        (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0))
        return 0;
    int64_t version;
    if (kh_store_data_version(c->store, &version) != KH_OK)
        return 0;
    khi_web_cache_validate(c->cache, version);
    const kh_web_params *a = &req->args;
    const char *parts[] = { req->path, req->version, req->host, a->q, a->page, a->per_page,
                            a->lang, a->source, a->since, a->until, a->min_sources, a->view,
                            a->ui };
    kh_buf_clear(&c->key);
    kh_status rc = KH_OK;
    for (size_t i = 0; rc == KH_OK && i < sizeof parts / sizeof parts[0]; i++) {
        /* '=' and the part NUL-terminated, or '-' alone for an absent one */
        rc = kh_buf_append(&c->key, parts[i] ? "=" : "-", 1);
        if (rc == KH_OK && parts[i])
            rc = kh_buf_append(&c->key, parts[i], strlen(parts[i]) + 1);
    }
    return rc == KH_OK;
}

/* What a request carries between calls of on_request(), in *req_cls: the
 * status the URI callback gave its target, shifted, and two flags. */
enum { REQ_SEEN = 1, REQ_BODY = 2, REQ_REFUSED_SHIFT = 4 };

static enum MHD_Result answer(kh_web *web, struct MHD_Connection *mc, const char *url,
                              const char *method, const char *version, uintptr_t state)
{
    khi_web_request req;
    memset(&req, 0, sizeof req);
    req.method = method;
    req.version = version;
    req.path = url;
    req.host = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    kh_web_params *a = &req.args;
    a->q = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "q");
    a->page = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "page");
    a->per_page = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "per_page");
    a->lang = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "lang");
    a->source = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "source");
    a->since = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "since");
    a->until = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "until");
    a->min_sources = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "min_sources");
    a->view = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "view");
    a->ui = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "ui");
    req.refused = (int)(state >> REQ_REFUSED_SHIFT);
    req.has_body = (state & REQ_BODY) != 0;
    web_conn *c = conn_borrow(web);
    kh_buf_clear(&c->out);
    int status = 500;
    const char *type = content_plain;
    int keyed = cache_key(c, &req);
    const khi_web_answer *kept = keyed ? khi_web_cache_get(c->cache, c->key.data, c->key.len)
                                       : NULL;
    kh_status rc = KH_OK;
    if (!kept) {
        rc = khi_web_respond(&web->site, c->store, &req, &c->out, &status, &type);
        khi_web_answer made = { status, type, c->out.data ? c->out.data : "", c->out.len };
        if (rc == KH_OK && keyed && status == 200)
            khi_web_cache_put(c->cache, c->key.data, c->key.len, &made);
    }
    enum MHD_Result ret;
    if (kept) {
        ret = send_answer(mc, (unsigned)kept->status, kept->type, kept->body, kept->body_len);
    } else if (rc == KH_OK) {
        ret = send_answer(mc, (unsigned)status, type, c->out.data ? c->out.data : "",
                          c->out.len);
    } else {
        static const char msg[] = "the page could not be made\n";
        ret = send_answer(mc, MHD_HTTP_INTERNAL_SERVER_ERROR, content_plain, msg,
                          sizeof msg - 1);
    }
    /* Keep a modest buffer for the next request, not the largest ever. */
    if (c->out.cap > ((size_t)1 << 20))
        kh_buf_free(&c->out);
    conn_return(web, c);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    (void)upload_data;
    kh_web *web = cls;
    uintptr_t state = (uintptr_t)*req_cls;
    int get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
              strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    /* The first call only announces the request: answering a GET now would
     * make libmicrohttpd close the connection instead of keeping it alive.
     * Any other method is answered at once, so its body is never read. */
    if (!(state & REQ_SEEN)) {
        *req_cls = (void *)(state | REQ_SEEN);
        if (get)
            return MHD_YES;
        client_owing(web, mc, 0);
        return answer(web, mc, url, method, version, state);
    }
    /* A GET with a body has the body dropped and gets a 400. */
    if (*upload_data_size) {
        *upload_data_size = 0;
        *req_cls = (void *)(state | REQ_BODY);
        return MHD_YES;
    }
    client_owing(web, mc, 0);
    return answer(web, mc, url, method, version, state);
}

/* The request (answered or abandoned) is over: the client owes the next. */
static void on_completed(void *cls, struct MHD_Connection *mc, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)req_cls;
    (void)toe;
    client_owing(cls, mc, 1);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *mc)
{
    (void)cls;
    (void)mc;
    /* The target lives in the connection's own read buffer, which
     * libmicrohttpd modifies in place itself; see "Requests too big to
     * parse" above for why a refused query must go. */
    int status = khi_web_uri_admit((char *)uri);
    return (void *)((uintptr_t)status << REQ_REFUSED_SHIFT);
}

static size_t on_unescape(void *cls, struct MHD_Connection *mc, char *s)
{
    (void)cls;
    (void)mc;
    return khi_web_unescape(s);
}

/* ---- start and stop ---------------------------------------------------------- */

static void web_free(kh_web *web)
{
    if (web->watchdog_started) {
        pthread_mutex_lock(&web->clients_lock);
        web->stopping = 1;
        pthread_cond_signal(&web->wake);
        pthread_mutex_unlock(&web->clients_lock);
        pthread_join(web->watchdog, NULL);
    }
    /* Stopping the daemon sends every CLOSED notice, which frees the
     * clients. */
    if (web->daemon)
        MHD_stop_daemon(web->daemon);
    for (size_t i = 0; i < web->n_conns; i++) {
        web_conn *c = &web->conns[i];
        kh_buf_free(&c->out);
        kh_buf_free(&c->key);
        khi_web_cache_free(c->cache);
        kh_store_close(c->store);
        kh_ctx_free(c->ctx);
    }
    kh_free(web->ctx, web->conns, web->n_conns * sizeof *web->conns);
    for (size_t i = 0; i < web->n_hosts; i++)
        kh_free(web->ctx, web->hosts[i], strlen(web->hosts[i]) + 1);
    kh_free(web->ctx, web->hosts, (web->n_hosts + 1) * sizeof *web->hosts);
    pthread_cond_destroy(&web->wake);
    pthread_mutex_destroy(&web->clients_lock);
    pthread_cond_destroy(&web->ready);
    pthread_mutex_destroy(&web->lock);
    kh_free(web->ctx, web, sizeof *web);
}

/* Connections the open-file limit leaves room for: the limit less what the
 * process needs besides (standard streams, each thread's store files and
 * poll descriptor), less libmicrohttpd's headroom above our limit. */
static size_t clients_by_fd_limit(unsigned threads)
{
    struct rlimit rl;
    rlim_t fds = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
    rlim_t reserve = 64 + 8 * (rlim_t)threads;
    if (fds == RLIM_INFINITY || fds > ((rlim_t)1 << 24))
        fds = (rlim_t)1 << 24;
    size_t room = fds > reserve + 32 ? (size_t)(fds - reserve) : 32;
    return room - room / 9; /* + clients_headroom() fits in room */
}

static size_t clients_headroom(size_t max_clients)
{
    return KHI_MAX(16, max_clients / 8);
}

static kh_status copy_hosts(kh_web *web, const char *const *hosts)
{
    size_t n = 0;
    while (hosts && hosts[n])
        n++;
    web->hosts = kh_malloc(web->ctx, (n + 1) * sizeof *web->hosts);
    if (!web->hosts)
        return KH_E_NOMEM;
    memset(web->hosts, 0, (n + 1) * sizeof *web->hosts);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(hosts[i]);
        web->hosts[i] = kh_malloc(web->ctx, len + 1);
        if (!web->hosts[i])
            return KH_E_NOMEM;
        memcpy(web->hosts[i], hosts[i], len + 1);
        web->n_hosts++;
    }
    web->site.hosts = (const char *const *)web->hosts;
    return KH_OK;
}

kh_status kh_web_start(kh_ctx *ctx, const kh_web_options *options, kh_web **out)
{
    *out = NULL;
    if (!options || !options->db_path)
        return kh_ctx_error(ctx, KH_E_ARG, "kh_web_start: no database");
    const char *bind = options->bind ? options->bind : "127.0.0.1";
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)options->port);
    if (options->port > 65535 || inet_pton(AF_INET, bind, &addr.sin_addr) != 1)
        return kh_ctx_error(ctx, KH_E_ARG, "%s:%u: not an IPv4 address and port", bind,
                            options->port);
    unsigned threads = options->threads ? options->threads : 4;
    if (threads > 256)
        return kh_ctx_error(ctx, KH_E_ARG, "kh_web_start: %u threads is too many", threads);
    for (const char *const *h = options->hosts; h && *h; h++)
        if (!**h || strpbrk(*h, ":/ \t\r\n"))
            return kh_ctx_error(ctx, KH_E_ARG, "'%s': not a host name", *h);

    kh_web *web = kh_malloc(ctx, sizeof *web);
    if (!web)
        return kh_ctx_error(ctx, KH_E_NOMEM, "kh_web_start: out of memory");
    memset(web, 0, sizeof *web);
    web->ctx = ctx;
    pthread_mutex_init(&web->lock, NULL);
    pthread_cond_init(&web->ready, NULL);
    pthread_mutex_init(&web->clients_lock, NULL);
    pthread_condattr_t wake_attr;
    pthread_condattr_init(&wake_attr);
    pthread_condattr_setclock(&wake_attr, CLOCK_MONOTONIC);
    pthread_cond_init(&web->wake, &wake_attr);
    pthread_condattr_destroy(&wake_attr);
    web->site.bind = ntohl(addr.sin_addr.s_addr);
    /* Past the open-file limit accept() fails and nobody could be made
     * room for, so an explicit limit is held to it too. */
    size_t fd_clients = clients_by_fd_limit(threads);
    web->max_clients = options->max_connections
                           ? KHI_MIN((size_t)options->max_connections, fd_clients)
                           : KHI_MIN((size_t)KHI_WEB_MAX_CLIENTS, fd_clients);
    web->max_per_ip = options->max_per_ip ? options->max_per_ip
                                          : KHI_MAX(16, web->max_clients / 4);
    web->header_timeout_ms =
        (int64_t)(options->header_timeout ? options->header_timeout : KHI_WEB_HEADER_TIMEOUT) *
        1000;
    if (copy_hosts(web, options->hosts) != KH_OK) {
        web_free(web);
        return kh_ctx_error(ctx, KH_E_NOMEM, "kh_web_start: out of memory");
    }
    web->conns = kh_malloc(ctx, threads * sizeof *web->conns);
    if (!web->conns) {
        web_free(web);
        return kh_ctx_error(ctx, KH_E_NOMEM, "kh_web_start: out of memory");
    }
    memset(web->conns, 0, threads * sizeof *web->conns);
    web->n_conns = threads;
    for (unsigned i = 0; i < threads; i++) {
        web_conn *c = &web->conns[i];
        kh_status rc = kh_ctx_create(&c->ctx, &ctx->alloc);
        if (rc == KH_OK) {
            kh_buf_init(&c->out, c->ctx, KHI_WEB_MAX_RESPONSE);
            kh_buf_init(&c->key, c->ctx, 0);
            c->cache = khi_web_cache_new(c->ctx);
            rc = c->cache ? kh_store_open_readonly(c->ctx, options->db_path, &c->store)
                          : KH_E_NOMEM;
            if (rc != KH_OK)
                kh_ctx_error(ctx, rc, "%s", kh_errmsg(c->ctx));
        }
        if (rc != KH_OK) {
            if (rc == KH_E_NOMEM && !c->ctx)
                kh_ctx_error(ctx, rc, "kh_web_start: out of memory");
            web_free(web);
            return rc;
        }
        c->next = web->idle;
        web->idle = c;
    }
    if (pthread_create(&web->watchdog, NULL, watchdog, web) != 0) {
        web_free(web);
        return kh_ctx_error(ctx, KH_E_NOMEM, "kh_web_start: cannot start a thread");
    }
    web->watchdog_started = 1;
    size_t mhd_limit = web->max_clients + clients_headroom(web->max_clients);
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD;
    web->daemon = MHD_start_daemon(
        flags, (uint16_t)options->port, NULL, NULL, on_request, web,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)KHI_MIN(mhd_limit, (size_t)UINT32_MAX),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, KHI_WEB_CONN_MEMORY,
        MHD_OPTION_CONNECTION_TIMEOUT, KHI_WEB_IDLE_TIMEOUT,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, (void *)web,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, (void *)web,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, (void *)web,
        MHD_OPTION_UNESCAPE_CALLBACK, on_unescape, (void *)NULL,
        MHD_OPTION_END);
    if (!web->daemon) {
        web_free(web);
        return kh_ctx_error(ctx, KH_E_IO, "%s:%u: cannot listen (in use, or not allowed)", bind,
                            options->port);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(web->daemon,
                                                           MHD_DAEMON_INFO_BIND_PORT);
    web->site.port = info ? info->port : options->port;
    *out = web;
    return KH_OK;
}

unsigned kh_web_port(const kh_web *web)
{
    return web->site.port;
}

void kh_web_stop(kh_web *web)
{
    if (web)
        web_free(web);
}
