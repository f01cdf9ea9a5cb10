/*
 * kh_url.c — one spelling per page: resolves a link against its page and
 * normalizes it, so that the frontier, the robots check and the WARC files
 * agree on what a URL is.
 *
 * Idea. liburiparser does what it is good at, parsing and resolving (RFC
 * 3986 section 5), and this file rebuilds the URL from its parts, each
 * written in one canonical form:
 *
 *   scheme "://" [userinfo "@"] host [":" port] path ["?" query]
 *
 *   scheme    http or https, lower case; nothing else is crawled
 *   host      lower case; percent-escapes decoded; a non-ASCII label as
 *             punycode (RFC 3492, "xn--"); only [a-z0-9._-], an IPv4
 *             address or a bracketed IPv6 one; trailing dots dropped
 *   port      decimal, dropped when it is the scheme's default
 *   path      dot segments removed, "/" at least
 *   query     tracking parameters and empty pieces dropped; no "?" alone
 *   fragment  dropped: it never reaches the server
 *
 * In path, query and userinfo an escape of an unreserved character is
 * decoded and every other escape written with upper-case hex; a byte that
 * may not stand raw is escaped. Links on real pages are rarely valid RFC
 * 3986 (raw Arabic paths, spaces, "[]" in PHP queries, a stray '%'), so
 * before parsing such bytes are escaped as a browser would send them.
 *
 * Invariant: the output parses, and normalizing it again gives it back
 * unchanged (fuzz/fuzz_url.c checks this).
 */
#include "kh_crawl_int.h"

#include <stdlib.h>
#include <string.h>
#include <uriparser/Uri.h>
#include <utf8proc.h>

/* Links longer than this are spam or traps, not articles. */
#define KHC_URL_MAX 8192
#define KHC_HOST_MAX 253

/* A growing string with a sticky failure, so the builders below need no
 * check per append. */
typedef struct ubuf {
    char *data;
    size_t len, cap;
    int failed;
} ubuf;

static void ub_add(ubuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void ub_ch(ubuf *b, char c)
{
    ub_add(b, &c, 1);
}

static void ub_pct(ubuf *b, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char e[3] = { '%', hex[c >> 4], hex[c & 15] };
    ub_add(b, e, 3);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Bytes RFC 3986 never allows raw: controls, space, non-ASCII and
 * " < > \ ^ ` { | }. */
static int needs_escape(unsigned char c)
{
    return c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}", c) != NULL;
}

/*
 * What a browser would send for a link as written: white space around it
 * cut, tabs and newlines inside it dropped, '\' read as '/', the fragment
 * cut (a second '#' is not even valid), raw bytes escaped, a '%' that
 * starts no escape written "%25", and brackets escaped outside the
 * authority (where they only bracket an IPv6 address).
 */
static void pre_escape(ubuf *b, const char *s, size_t n)
{
    while (n && (unsigned char)*s <= 0x20)
        s++, n--;
    while (n && (unsigned char)s[n - 1] <= 0x20)
        n--;
    const char *hash = memchr(s, '#', n);
    if (hash)
        n = (size_t)(hash - s);
    /* The authority, when there is one: from "//" to the next / ? */
    size_t auth_from = n, auth_to = n;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '/' || s[i] == '?')
            break;
        if (s[i] == ':' && s[i + 1] == '/' && i + 2 < n && s[i + 2] == '/') {
            auth_from = i + 3;
            break;
        }
    }
    if (n >= 2 && s[0] == '/' && s[1] == '/')
        auth_from = 2;
    for (size_t i = auth_from; i < n; i++)
        if (s[i] == '/' || s[i] == '?' || s[i] == '\\') {
            auth_to = i;
            break;
        }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == '\\')
            ub_ch(b, '/');
        else if (c == '%' && !(i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0))
            ub_add(b, "%25", 3);
        else if (needs_escape(c) || ((c == '[' || c == ']') && (i < auth_from || i >= auth_to)))
            ub_pct(b, c);
        else
            ub_ch(b, (char)c);
    }
}

/* Writes a path, query or userinfo piece with escapes in canonical form. */
static void put_escaped(ubuf *b, const char *s, const char *end)
{
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        if (c == '%' && end - s >= 3 && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
            unsigned char v = (unsigned char)(hexval(s[1]) * 16 + hexval(s[2]));
            if (is_unreserved(v))
                ub_ch(b, (char)v);
            else
                ub_pct(b, v);
            s += 3;
            continue;
        }
        if (c == '%' || needs_escape(c) || c == '[' || c == ']' || c == '#')
            ub_pct(b, c);
        else
            ub_ch(b, (char)c);
        s++;
    }
}

/* RFC 3986 5.2.4 on a path that starts with '/', in place. */
static size_t remove_dot_segments(char *p, size_t n)
{
    size_t out = 0, i = 0;
    while (i < n) {
        /* p[i] == '/' here: a segment runs to the next '/' */
        size_t j = i + 1;
        while (j < n && p[j] != '/')
            j++;
        size_t seg = j - i - 1;
        int last = j == n;
        if (seg == 1 && p[i + 1] == '.') {
            if (last)
                p[out++] = '/';
        } else if (seg == 2 && p[i + 1] == '.' && p[i + 2] == '.') {
            while (out > 0 && p[out - 1] != '/')
                out--;
            if (out > 0)
                out--; /* the '/' before the popped segment */
            if (last)
                p[out++] = '/';
        } else {
            memmove(p + out, p + i, j - i);
            out += j - i;
        }
        i = j;
    }
    if (out == 0)
        p[out++] = '/';
    return out;
}

/* Names of query parameters that track the click, not the page. */
static int is_tracking(const char *name, size_t n)
{
    static const char *const names[] = { "fbclid", "gclid",  "dclid",  "msclkid", "mc_cid",
                                         "mc_eid", "_ga",    "igshid", "yclid",   "ref_src" };
    if (n >= 4 && strncmp(name, "utm_", 4) == 0)
        return 1;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0)
            return 1;
    return 0;
}

/* Writes "?query" without tracking parameters and empty pieces; nothing
 * when none is left. q is already in canonical escaped form. */
static void put_query(ubuf *b, const char *q, size_t n)
{
    int first = 1;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && q[j] != '&')
            j++;
        size_t name_len = 0;
        while (i + name_len < j && q[i + name_len] != '=')
            name_len++;
        if (j > i && !is_tracking(q + i, name_len)) {
            ub_ch(b, first ? '?' : '&');
            ub_add(b, q + i, j - i);
            first = 0;
        }
        i = j + 1;
    }
}

/* ---- punycode (RFC 3492), for hosts written in Arabic or any script ---- */

enum { PC_BASE = 36, PC_TMIN = 1, PC_TMAX = 26, PC_SKEW = 38, PC_DAMP = 700 };

static char pc_digit(uint32_t d)
{
    return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

static uint32_t pc_adapt(uint32_t delta, uint32_t points, int first)
{
    delta = first ? delta / PC_DAMP : delta / 2;
    delta += delta / points;
    uint32_t k = 0;
    while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
        delta /= PC_BASE - PC_TMIN;
        k += PC_BASE;
    }
    return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

/* Encodes the label cps[0..n) as "xn--..." into b. Returns 0 when the
 * label is too long to be a DNS label. */
static int punycode_label(ubuf *b, const uint32_t *cps, size_t n)
{
    size_t start = b->len;
    ub_add(b, "xn--", 4);
    uint32_t basic = 0;
    for (size_t i = 0; i < n; i++)
        if (cps[i] < 0x80) {
            ub_ch(b, lower((char)cps[i]));
            basic++;
        }
    if (basic)
        ub_ch(b, '-');
    uint32_t code = 0x80, delta = 0, bias = 72, h = basic;
    while (h < n) {
        uint32_t m = UINT32_MAX;
        for (size_t i = 0; i < n; i++)
            if (cps[i] >= code && cps[i] < m)
                m = cps[i];
        /* n <= 63 and m <= 0x10FFFF: no overflow */
        delta += (m - code) * (h + 1);
        code = m;
        for (size_t i = 0; i < n; i++) {
            if (cps[i] < code)
                delta++;
            if (cps[i] == code) {
                uint32_t q = delta;
                for (uint32_t k = PC_BASE;; k += PC_BASE) {
                    uint32_t t = k <= bias ? PC_TMIN : k >= bias + PC_TMAX ? PC_TMAX : k - bias;
                    if (q < t)
                        break;
                    ub_ch(b, pc_digit(t + (q - t) % (PC_BASE - t)));
                    q = (q - t) / (PC_BASE - t);
                }
                ub_ch(b, pc_digit(q));
                bias = pc_adapt(delta, h + 1, h == basic);
                delta = 0;
                h++;
            }
        }
        delta++;
        code++;
    }
    return b->len - start <= 63;
}

/*
 * Writes the host: escapes decoded, ASCII lower-cased, a non-ASCII label
 * in punycode, trailing dots dropped. Returns 0 for a host that is not a
 * DNS name or address we could fetch.
 */
static int put_host(ubuf *b, const UriUriA *u)
{
    const char *s = u->hostText.first, *end = u->hostText.afterLast;
    if (!s || s == end)
        return 0;
    if (u->hostData.ipFuture.first)
        return 0;
    if (u->hostData.ip6) {
        ub_ch(b, '[');
        for (; s < end; s++)
            ub_ch(b, lower(*s));
        ub_ch(b, ']');
        return 1;
    }
    /* decode escapes into raw bytes */
    size_t n = (size_t)(end - s);
    if (n > KHC_HOST_MAX * 3)
        return 0;
    unsigned char raw[KHC_HOST_MAX * 3];
    size_t rn = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            raw[rn++] = (unsigned char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            raw[rn++] = (unsigned char)lower(s[i]);
        }
    }
    while (rn && raw[rn - 1] == '.')
        rn--;
    if (!rn)
        return 0;
    size_t start = b->len;
    size_t i = 0;
    while (i < rn) {
        size_t j = i;
        int ascii = 1;
        while (j < rn && raw[j] != '.') {
            if (raw[j] >= 0x80)
                ascii = 0;
            j++;
        }
        if (j == i || j - i > 63 * 4)
            return 0; /* an empty label, or one no encoding makes short */
        if (i)
            ub_ch(b, '.');
        if (ascii) {
            for (size_t k = i; k < j; k++) {
                unsigned char c = raw[k];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
                    return 0;
                ub_ch(b, (char)c);
            }
        } else {
            /* UTS 46 maps a label roughly as NFKC with case folding:
             * "BÜCHER" and "bücher" are one name */
            utf8proc_uint8_t *folded = NULL;
            utf8proc_ssize_t fl = utf8proc_map(raw + i, (utf8proc_ssize_t)(j - i), &folded,
                                               UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                   UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
            if (fl < 0) {
                if (fl == UTF8PROC_ERROR_NOMEM)
                    b->failed = 1;
                return fl == UTF8PROC_ERROR_NOMEM;
            }
            uint32_t cps[64];
            size_t nc = 0, k = 0, fn = (size_t)fl;
            while (k < fn) {
                uint32_t cp;
                size_t l = khi_utf8_decode(folded + k, fn - k, &cp);
                if (!l || nc == 63) {
                    free(folded);
                    return 0;
                }
                if (cp >= 'A' && cp <= 'Z')
                    cp += 'a' - 'A';
                else if (cp < 0x80 && !((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
                                        cp == '-' || cp == '_')) {
                    free(folded);
                    return 0;
                }
                cps[nc++] = cp;
                k += l;
            }
            free(folded);
            if (!punycode_label(b, cps, nc))
                return 0;
        }
        i = j + 1;
    }
    return b->failed || b->len - start <= KHC_HOST_MAX;
}

/* Parses s[0..n) into u; 0 on failure (u then needs no freeing). */
static int parse(UriUriA *u, const char *s, size_t n)
{
    const char *err;
    if (uriParseSingleUriExA(u, s, s + n, &err) != URI_SUCCESS)
        return 0;
    return 1;
}

static int range_is(const UriTextRangeA *r, const char *word)
{
    size_t n = (size_t)(r->afterLast - r->first);
    if (!r->first || n != strlen(word))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(r->first[i]) != word[i])
            return 0;
    return 1;
}

/* Builds the canonical URL of the resolved u into b; 0 when it is not an
 * http(s) URL with a host. */
static int build(ubuf *b, const UriUriA *u)
{
    int https;
    if (range_is(&u->scheme, "http"))
        https = 0;
    else if (range_is(&u->scheme, "https"))
        https = 1;
    else
        return 0;
    ub_add(b, https ? "https://" : "http://", https ? 8 : 7);
    if (u->userInfo.first && u->userInfo.afterLast > u->userInfo.first) {
        put_escaped(b, u->userInfo.first, u->userInfo.afterLast);
        ub_ch(b, '@');
    }
    if (!put_host(b, u))
        return 0;
    if (u->portText.first && u->portText.afterLast > u->portText.first) {
        unsigned long port = 0;
        for (const char *p = u->portText.first; p < u->portText.afterLast; p++) {
            if (*p < '0' || *p > '9')
                return 0;
            port = port * 10 + (unsigned long)(*p - '0');
            if (port > 65535)
                return 0;
        }
        if (port == 0)
            return 0;
        if (port != (https ? 443u : 80u)) {
            char num[8];
            int l = snprintf(num, sizeof num, ":%lu", port);
            ub_add(b, num, (size_t)l);
        }
    }
    size_t path_at = b->len;
    for (const UriPathSegmentA *seg = u->pathHead; seg; seg = seg->next) {
        ub_ch(b, '/');
        put_escaped(b, seg->text.first, seg->text.afterLast);
    }
    if (b->failed)
        return 1;
    if (b->len == path_at)
        ub_ch(b, '/');
    else
        b->len = path_at + remove_dot_segments(b->data + path_at, b->len - path_at);
    if (b->failed)
        return 1;
    b->data[b->len] = '\0';
    if (u->query.first && u->query.afterLast > u->query.first) {
        ubuf q = { 0 };
        put_escaped(&q, u->query.first, u->query.afterLast);
        if (q.failed) {
            b->failed = 1;
            return 1;
        }
        put_query(b, q.data, q.len);
        free(q.data);
    }
    return 1;
}

kh_status khc_url_normalize(const char *base, const char *ref, char **out)
{
    *out = NULL;
    KHI_RETURN_IF(!ref, KH_E_ARG);
    size_t ref_len = strlen(ref);
    KHI_RETURN_IF(ref_len > KHC_URL_MAX, KH_E_ARG);
    ubuf rb = { 0 }, bb = { 0 }, ob = { 0 };
    pre_escape(&rb, ref, ref_len);
    if (base && strlen(base) <= KHC_URL_MAX)
        pre_escape(&bb, base, strlen(base));
    kh_status rc = KH_E_ARG;
    if (rb.failed || bb.failed) {
        rc = KH_E_NOMEM;
        goto done;
    }
    UriUriA ru, bu, abs;
    if (!rb.data || !parse(&ru, rb.data, rb.len))
        goto done;
    if (ru.scheme.first) {
        if (build(&ob, &ru))
            rc = KH_OK;
    } else if (bb.data && parse(&bu, bb.data, bb.len)) {
        if (bu.scheme.first && uriAddBaseUriExA(&abs, &ru, &bu, URI_RESOLVE_STRICTLY) == URI_SUCCESS) {
            if (build(&ob, &abs))
                rc = KH_OK;
            uriFreeUriMembersA(&abs);
        }
        uriFreeUriMembersA(&bu);
    }
    uriFreeUriMembersA(&ru);
    if (rc == KH_OK && ob.failed)
        rc = KH_E_NOMEM;
    if (rc == KH_OK && ob.len > KHC_URL_MAX)
        rc = KH_E_ARG;
done:
    free(rb.data);
    free(bb.data);
    if (rc == KH_OK)
        *out = ob.data;
    else
        free(ob.data);
    return rc;
}

/* Where the authority of url starts and ends; 0 when it has none. */
static int authority(const char *url, const char **from, const char **to)
{
    const char *p = strstr(url, "://");
    if (!p)
        return 0;
    p += 3;
    const char *e = p + strcspn(p, "/?#");
    const char *at = memchr(p, '@', (size_t)(e - p));
    *from = at ? at + 1 : p;
    *to = e;
    return *to > *from;
}

size_t khc_url_host(const char *url, char *buf, size_t cap)
{
    const char *from, *to;
    if (!url || !authority(url, &from, &to))
        return 0;
    size_t n = (size_t)(to - from);
    if (n + 1 > cap)
        return 0;
    memcpy(buf, from, n);
    buf[n] = '\0';
    return n;
}

const char *khc_url_path(const char *url)
{
    const char *from, *to;
    if (!url || !authority(url, &from, &to) || !*to)
        return "/";
    return to;
}
