/*
 * fuzz_web_request.c — a raw HTTP request through the server's own policy
 * and router, without sockets.
 *
 * Input: the bytes a client sends. They are split the way libmicrohttpd
 * splits them (a request line, header lines up to an empty one), the target
 * goes through khi_web_uri_admit() as in the server's URI callback, the
 * path and the q and page arguments are decoded by khi_web_unescape(), and
 * khi_web_respond() answers over a small store, as the server's handler
 * does. The server listens on 127.0.0.1:8080 and also answers to
 * news.example.
 *
 * Oracle: a known status; 421 exactly when a Host is given that names
 * neither the address, localhost nor news.example (checked here by prefix,
 * independently of the server's parser); 200 only for GET and HEAD; HTML
 * carries no markup from the request or the store and links only to our
 * pages or http(s); JSON parses.
 */
#include "fuzz_page_check.h"
#include "kh_web_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One store for every input: rendering only reads it. */
static kh_store *shared_store(void)
{
    static kh_ctx *ctx;
    static kh_store *st;
    if (st)
        return st;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_store_open(ctx, ":memory:", &st) != KH_OK)
        abort();
    kh_store_story s;
    memset(&s, 0, sizeof s);
    s.headline = "<script>alert(1)</script> آشتون تصل إلى القاهرة";
    s.first = s.last = "2013-07-29";
    s.lang = "ar";
    s.account_json = "{\"headline\":\"آشتون\",\"summary\":[{\"text\":\"<img src=x>\",\"ids\":[\"a\"]}],"
                     "\"sources\":[{\"id\":\"a\",\"source\":\"وكالة\",\"url\":\"HTTPS://example.org/a\"}]}";
    int64_t sid;
    if (kh_store_put_story(st, &s, &sid) != KH_OK)
        abort();
    kh_store_article a;
    memset(&a, 0, sizeof a);
    a.id = "a";
    a.title = "آشتون في القاهرة";
    a.source = "<b>evil</b>";
    a.url = "javascript:alert(4)";
    a.lang = "ar";
    a.body = "وصلت كاثرين آشتون إلى القاهرة.\n\" onerror=\"alert(2)";
    a.body_len = strlen(a.body);
    a.story_id = sid;
    if (kh_store_put_article(st, &a, NULL) != KH_OK)
        abort();
    return st;
}

/* Next line of s (ending in \n, an \r before it dropped), NUL-terminated in
 * place; NULL at the end. */
static char *next_line(char **s)
{
    if (!*s)
        return NULL;
    char *line = *s;
    char *nl = strchr(line, '\n');
    if (nl) {
        *nl = 0;
        *s = nl + 1;
    } else {
        *s = NULL;
    }
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[n - 1] = 0;
    return line;
}

static int host_named(const char *host)
{
    static const char *const names[] = { "127.0.0.1", "localhost", "news.example" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i]);
        if (strncasecmp(host, names[i], n) == 0 &&
            (host[n] == 0 || strcmp(host + n, ":8080") == 0))
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = 0; /* an inner NUL ends the request, as it ends a C string */
    char *rest = buf;

    /* The request line: METHOD SP TARGET [SP VERSION]; libmicrohttpd skips
     * empty lines before it. */
    char *line;
    do
        line = next_line(&rest);
    while (line && !*line);
    char *sp = line ? strchr(line, ' ') : NULL;
    if (!sp) {
        free(buf);
        return 0;
    }
    *sp = 0;
    khi_web_request req;
    memset(&req, 0, sizeof req);
    req.method = line;
    char *target = sp + 1;
    char *vsp = strrchr(target, ' ');
    req.version = "";
    if (vsp) {
        *vsp = 0;
        req.version = vsp + 1;
    }
    while (rest && (line = next_line(&rest)) && *line) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = 0;
        char *value = colon + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        if (strcasecmp(line, "Host") == 0 && !req.host)
            req.host = value;
        else if ((strcasecmp(line, "Content-Length") == 0 && strtoul(value, NULL, 10) > 0) ||
                 strcasecmp(line, "Transfer-Encoding") == 0)
            req.has_body = 1;
    }

    req.refused = khi_web_uri_admit(target);
    char *query = strchr(target, '?');
    if (query)
        *query++ = 0;
    khi_web_unescape(target);
    req.path = target;
    while (query && *query) {
        char *amp = strchr(query, '&');
        if (amp)
            *amp = 0;
        char *eq = strchr(query, '=');
        if (eq) {
            *eq = 0;
            khi_web_unescape(query);
            khi_web_unescape(eq + 1);
            kh_web_params *a = &req.args;
            struct { const char *name; const char **value; } args[] = {
                { "q", &a->q }, { "page", &a->page }, { "per_page", &a->per_page },
                { "lang", &a->lang }, { "source", &a->source }, { "since", &a->since },
                { "until", &a->until }, { "min_sources", &a->min_sources }, { "view", &a->view }, { "ui", &a->ui },
            };
            for (size_t i = 0; i < sizeof args / sizeof args[0]; i++)
                if (strcmp(query, args[i].name) == 0 && !*args[i].value)
                    *args[i].value = eq + 1;
        }
        query = amp ? amp + 1 : NULL;
    }

    khi_web_site site;
    memset(&site, 0, sizeof site);
    static const char *const hosts[] = { "news.example", NULL };
    site.bind = 0x7f000001;
    site.port = 8080;
    site.hosts = hosts;
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        abort();
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    int status;
    const char *type;
    if (khi_web_respond(&site, shared_store(), &req, &out, &status, &type) != KH_OK)
        abort();
    if (status != 200 && status != 400 && status != 404 && status != 405 && status != 414 &&
        status != 421)
        abort();
    if ((status == 421) != (req.host && !host_named(req.host)))
        abort();
    if (status == 200 && strcmp(req.method, "GET") != 0 && strcmp(req.method, "HEAD") != 0)
        abort();
    const char *body = out.data ? out.data : "";
    if (strncmp(type, "text/html", 9) == 0) {
        if (strstr(body, "<script") || strstr(body, "<img") || strstr(body, "<b>") ||
            !fuzz_links_ok(body))
            abort();
    } else if (strncmp(type, "application/atom+xml", 20) == 0) {
        if (!fuzz_xml_ok(body, out.len) || strstr(body, "<script"))
            abort();
    } else {
        json_error_t err;
        json_t *root = json_loadb(body, out.len, 0, &err);
        if (!root)
            abort();
        json_decref(root);
    }
    kh_buf_free(&out);
    kh_ctx_free(ctx);
    free(buf);
    return 0;
}
