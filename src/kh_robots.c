/*
 * kh_robots.c — what a site's robots.txt lets the crawler fetch (RFC 9309).
 *
 * Idea. One pass over the lines keeps two rule lists: the rules of every
 * group that names our product token and those of every "*" group; RFC
 * 9309 section 2.2.1 merges groups of the same agent, and a group that
 * names both goes to both lists. At the end the first list is kept when any
 * group named us (even one without rules: then everything is allowed),
 * else the second. A group is a run of User-agent lines and the rules that
 * follow it; a User-agent line after a rule starts the next group; rules
 * before any User-agent line belong to nobody. Sitemap lines belong to the
 * file, not to a group.
 *
 * Matching. Rule paths and the path asked about are put in one escaped
 * form, the one kh_url.c writes (escapes of unreserved characters decoded,
 * other escapes upper-case, raw non-ASCII bytes escaped), so that "/خبر"
 * in the file and "/%D8%AE%D8%A8%D8%B1" in the URL meet. A pattern is
 * pieces between '*'s; each piece is found leftmost after the previous one
 * (leftmost is enough when '*' is the only wildcard), a final '$' pins the
 * last piece to the end of the path. So a check costs the path's length per
 * rule, and rules are capped. The longest pattern that matches decides;
 * Allow wins a tie. "/robots.txt" itself is always allowed.
 *
 * Caps: 512 KiB of file (RFC 9309 2.5 allows ignoring the rest), 16384
 * rules per list, 1024 Sitemap URLs; lines that are not UTF-8 text are
 * skipped.
 */
#define _GNU_SOURCE /* memmem: a linear substring search */
#include "kh_crawl_int.h"

#include <stdlib.h>
#include <string.h>

#define KHC_ROBOTS_MAX_BYTES (512u * 1024u)
#define KHC_ROBOTS_MAX_RULES 16384
#define KHC_ROBOTS_MAX_SITEMAPS 1024

typedef struct rule {
    char *pattern; /* escaped as a path; '*' and a final '$' are wildcards */
    size_t len;
    int allow;
} rule;

typedef struct rule_list {
    rule *rules;
    size_t n, cap;
    double delay; /* < 0: none given */
    int seen;     /* a group of this list was found */
} rule_list;

struct khc_robots {
    rule_list list;
    char **sitemaps;
    size_t n_sitemaps;
};

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

static int ieq(const char *a, size_t n, const char *word)
{
    size_t wn = strlen(word);
    if (n != wn)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != word[i])
            return 0;
    }
    return 1;
}

/*
 * Writes s[0..n) in the escaped form of kh_url.c into out (room for 3n+1
 * bytes); returns the length. A '%' that starts no escape is kept as "%25".
 */
static size_t escape_path(const char *s, size_t n, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            unsigned char v = (unsigned char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
            if (is_unreserved(v)) {
                out[o++] = (char)v;
                continue;
            }
            c = v;
        } else if (!(c <= 0x20 || c >= 0x7F || c == '%' || strchr("\"<>\\^`{|}#[]", c))) {
            out[o++] = (char)c;
            continue;
        }
        out[o++] = '%';
        out[o++] = hex[c >> 4];
        out[o++] = hex[c & 15];
    }
    out[o] = '\0';
    return o;
}

/* Adds a rule to l; 0 when out of memory. Over the cap, rules are dropped:
 * the file is too large to be anyone's real intent. */
static int add_rule(rule_list *l, const char *value, size_t n, int allow)
{
    if (l->n == KHC_ROBOTS_MAX_RULES)
        return 1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        rule *r = realloc(l->rules, cap * sizeof *r);
        if (!r)
            return 0;
        l->rules = r;
        l->cap = cap;
    }
    /* "page.html" is read as "/page.html", as common crawlers do */
    int slash = value[0] != '/' && value[0] != '*';
    char *p = malloc(3 * n + 2);
    if (!p)
        return 0;
    size_t len = 0;
    if (slash)
        p[len++] = '/';
    /* '$' only means "end" last; elsewhere it is a character */
    int dollar = n && value[n - 1] == '$';
    len += escape_path(value, n - (size_t)dollar, p + len);
    if (dollar)
        p[len++] = '$';
    p[len] = '\0';
    l->rules[l->n++] = (rule){ p, len, allow };
    return 1;
}

static void free_list(rule_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->rules[i].pattern);
    free(l->rules);
    memset(l, 0, sizeof *l);
}

/* Seconds with an optional fraction ("2", "0.5"); < 0 when unreadable. */
static double parse_delay(const char *s, size_t n)
{
    double v = 0, scale = 0;
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (digits++ < 12) {
                if (scale > 0) {
                    v += (c - '0') * scale;
                    scale /= 10;
                } else {
                    v = v * 10 + (c - '0');
                }
            }
        } else if (c == '.' && scale == 0) {
            scale = 0.1;
        } else {
            return -1;
        }
    }
    return digits ? v : -1;
}

/* The product token of a User-agent value or of our agent: up to white
 * space or '/' ("Googlebot/2.1" names Googlebot). */
static size_t token_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != '/' && s[i] != ' ' && s[i] != '\t')
        i++;
    return i;
}

static int is_text_line(const char *s, size_t n)
{
    return !memchr(s, '\0', n) && kh_utf8_check(s, n, NULL) == KH_OK;
}

static int add_sitemap(khc_robots *r, const char *value, size_t n)
{
    if (r->n_sitemaps == KHC_ROBOTS_MAX_SITEMAPS)
        return 1;
    char *copy = malloc(n + 1);
    if (!copy)
        return 0;
    memcpy(copy, value, n);
    copy[n] = '\0';
    char *url = NULL;
    kh_status rc = khc_url_normalize(NULL, copy, &url);
    free(copy);
    if (rc == KH_E_NOMEM)
        return 0;
    if (rc != KH_OK)
        return 1;
    for (size_t i = 0; i < r->n_sitemaps; i++)
        if (strcmp(r->sitemaps[i], url) == 0) {
            free(url);
            return 1;
        }
    if ((r->n_sitemaps & (r->n_sitemaps - 1)) == 0) {
        char **s = realloc(r->sitemaps, (r->n_sitemaps ? r->n_sitemaps * 2 : 4) * sizeof *s);
        if (!s) {
            free(url);
            return 0;
        }
        r->sitemaps = s;
    }
    r->sitemaps[r->n_sitemaps++] = url;
    return 1;
}

kh_status khc_robots_parse(const char *txt, size_t len, const char *agent, khc_robots **out)
{
    *out = NULL;
    khc_robots *r = calloc(1, sizeof *r);
    KHI_RETURN_IF(!r, KH_E_NOMEM);
    rule_list mine = { .delay = -1 }, star = { .delay = -1 };
    const char *ag = agent ? agent : "";
    size_t ag_len = token_len(ag, strlen(ag));
    if (!txt)
        len = 0;
    if (len > KHC_ROBOTS_MAX_BYTES)
        len = KHC_ROBOTS_MAX_BYTES;
    size_t i = 0;
    if (len >= 3 && memcmp(txt, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    /* the group being read: whom it names, and whether a rule has ended
     * its User-agent lines */
    int g_mine = 0, g_star = 0, g_rules = 1;
    int ok = 1;
    while (i < len && ok) {
        size_t start = i;
        while (i < len && txt[i] != '\n' && txt[i] != '\r')
            i++;
        const char *line = txt + start;
        size_t n = i - start;
        if (i < len && txt[i] == '\r')
            i++;
        else if (i < len && txt[i] == '\n')
            i++;
        if (i < len && txt[i] == '\n' && txt[i - 1] == '\r')
            i++;
        if (!is_text_line(line, n))
            continue;
        const char *hash = memchr(line, '#', n);
        if (hash)
            n = (size_t)(hash - line);
        const char *colon = memchr(line, ':', n);
        if (!colon)
            continue;
        const char *key = line, *val = colon + 1;
        size_t key_len = (size_t)(colon - line), val_len = n - key_len - 1;
        while (key_len && (*key == ' ' || *key == '\t'))
            key++, key_len--;
        while (key_len && (key[key_len - 1] == ' ' || key[key_len - 1] == '\t'))
            key_len--;
        while (val_len && (*val == ' ' || *val == '\t'))
            val++, val_len--;
        while (val_len && (val[val_len - 1] == ' ' || val[val_len - 1] == '\t'))
            val_len--;

        if (ieq(key, key_len, "user-agent")) {
            if (g_rules) {
                /* a new group */
                g_mine = g_star = 0;
                g_rules = 0;
            }
            size_t tl = token_len(val, val_len);
            if (tl == 1 && val[0] == '*') {
                g_star = 1;
                star.seen = 1;
            } else if (tl && tl == ag_len) {
                int same = 1;
                for (size_t k = 0; k < tl && same; k++) {
                    char a = val[k], b = ag[k];
                    if (a >= 'A' && a <= 'Z')
                        a = (char)(a - 'A' + 'a');
                    if (b >= 'A' && b <= 'Z')
                        b = (char)(b - 'A' + 'a');
                    same = a == b;
                }
                if (same) {
                    g_mine = 1;
                    mine.seen = 1;
                }
            }
        } else if (ieq(key, key_len, "allow") || ieq(key, key_len, "disallow")) {
            g_rules = 1;
            int allow = key_len == 5;
            /* an empty Disallow allows all: it adds nothing */
            if (val_len == 0)
                continue;
            if (g_mine)
                ok = add_rule(&mine, val, val_len, allow);
            if (ok && g_star)
                ok = add_rule(&star, val, val_len, allow);
        } else if (ieq(key, key_len, "crawl-delay")) {
            g_rules = 1;
            double d = parse_delay(val, val_len);
            if (d >= 0 && g_mine && mine.delay < 0)
                mine.delay = d;
            if (d >= 0 && g_star && star.delay < 0)
                star.delay = d;
        } else if (ieq(key, key_len, "sitemap")) {
            ok = add_sitemap(r, val, val_len);
        }
    }
    if (mine.seen) {
        r->list = mine;
        free_list(&star);
    } else {
        r->list = star;
        free_list(&mine);
    }
    if (!ok) {
        khc_robots_free(r);
        KHI_RETURN_IF(1, KH_E_NOMEM);
    }
    *out = r;
    return KH_OK;
}

/* Whether pattern p[0..pn) (escaped; '*', final '$') matches a prefix of
 * path s[0..n), or all of it with '$'. */
static int match(const char *p, size_t pn, const char *s, size_t n)
{
    int anchored = pn && p[pn - 1] == '$';
    if (anchored)
        pn--;
    size_t pi = 0, si = 0;
    int first = 1;
    while (pi <= pn) {
        size_t pe = pi;
        while (pe < pn && p[pe] != '*')
            pe++;
        size_t piece = pe - pi;
        int last = pe == pn;
        if (last && anchored) {
            /* the last piece ends the path */
            if (n - si < piece || memcmp(s + n - piece, p + pi, piece) != 0)
                return 0;
            if (first && n != piece)
                return 0;
            return 1;
        }
        if (first) {
            if (n < piece || memcmp(s, p + pi, piece) != 0)
                return 0;
            si = piece;
        } else if (piece) {
            const char *at = memmem(s + si, n - si, p + pi, piece);
            if (!at)
                return 0;
            si = (size_t)(at - s) + piece;
        }
        if (last)
            return 1;
        first = 0;
        pi = pe + 1;
    }
    return 1;
}

int khc_robots_allowed(const khc_robots *robots, const char *path)
{
    if (!robots || !path)
        return 1;
    size_t n = strlen(path);
    if (n == 0) {
        path = "/";
        n = 1;
    }
    char *esc = malloc(3 * n + 1);
    const char *s = path;
    if (esc) {
        n = escape_path(path, n, esc);
        s = esc;
    }
    int allowed = 1;
    if (!(n == 11 && memcmp(s, "/robots.txt", 11) == 0)) {
        size_t best = 0;
        int have = 0;
        for (size_t i = 0; i < robots->list.n; i++) {
            const rule *ru = &robots->list.rules[i];
            if (have && (ru->len < best || (ru->len == best && !ru->allow)))
                continue;
            if (!match(ru->pattern, ru->len, s, n))
                continue;
            if (!have || ru->len > best || ru->allow) {
                allowed = ru->allow;
                best = ru->len;
                have = 1;
            }
        }
    }
    free(esc);
    return allowed;
}

double khc_robots_crawl_delay(const khc_robots *robots)
{
    return robots ? robots->list.delay : -1;
}

size_t khc_robots_sitemaps(const khc_robots *robots, const char *const **urls)
{
    if (!robots) {
        *urls = NULL;
        return 0;
    }
    *urls = (const char *const *)robots->sitemaps;
    return robots->n_sitemaps;
}

void khc_robots_free(khc_robots *robots)
{
    if (!robots)
        return;
    free_list(&robots->list);
    for (size_t i = 0; i < robots->n_sitemaps; i++)
        free(robots->sitemaps[i]);
    free(robots->sitemaps);
    free(robots);
}
