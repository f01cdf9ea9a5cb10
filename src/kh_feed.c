/*
 * kh_feed.c — the links a fetched document leads to: the items of RSS,
 * Atom and RDF feeds, the URLs of sitemaps (Google News ones included), the
 * sitemaps of a sitemap index and the feeds a home page announces.
 *
 * Idea. The kind is told by the first element of the body (any namespace
 * prefix): rss, feed, RDF, urlset and sitemapindex are parsed as XML, any
 * other markup as HTML. libxml2 builds the tree in recover mode, so a
 * document cut or broken halfway still gives the links before the damage;
 * the walk then reads only the few elements each format defines, by local
 * name, which also accepts the common mistakes (an undeclared "dc:" or
 * "news:" prefix, items outside <channel>).
 *
 * No network and no amplification: external entities and DTDs are never
 * loaded (XML_PARSE_NONET, no DTDLOAD, no NOENT), and text is gathered from
 * text and CDATA nodes only, skipping entity references, so a "billion
 * laughs" DTD costs what its bytes cost. Dates are rewritten as ISO 8601
 * (RFC 822 for RSS, W3C-DTF elsewhere); links go through
 * khc_url_normalize() against the document (or its xml:base / <base>) and
 * a small hash set gives each URL once.
 *
 * Linear cost. libxml2 checks an element's attributes for duplicates
 * pair by pair, and its HTML parser searches the open elements at every
 * end tag, so a tag with a million attributes or a page a million elements
 * deep would cost their square. A pre-scan (one pass, quotes, comments,
 * CDATA, script and style skipped) finds the first start tag with more
 * than 1000 attributes or past the millionth tag, and only the body before
 * it is parsed: what comes after is treated as damage. The HTML parser is
 * stopped past 1024 open elements. A million elements also keep libxml2's
 * tree to a few hundred MiB at most.
 *
 * Caps: 64 MiB of body, 10^6 tags, 1000 attributes a tag, 100000 links,
 * 1 KiB of title.
 */
#define _GNU_SOURCE /* memmem */
#include "kh_crawl_int.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KHC_FEED_MAX_BYTES (64u * 1024u * 1024u)
#define KHC_FEED_MAX_LINKS 100000
#define KHC_FEED_MAX_TITLE 1024
#define KHC_FEED_MAX_TAGS 1000000
#define KHC_FEED_MAX_ATTRS 1000
#define KHC_FEED_MAX_DEPTH 1024
/* Room for a link one byte longer than khc_url_normalize() takes, so that a
 * cut one is refused rather than followed. */
#define KHC_HREF_CAP (8192 + 2)

/* ---- the set of URLs given so far (open addressing, FNV-1a) ---- */

typedef struct url_set {
    char **slots;
    size_t cap, n;
} url_set;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* 1 when url was added, 0 when it was there, -1 when out of memory. The
 * set takes url either way (frees it when it was there). */
static int set_add(url_set *set, char *url)
{
    if ((set->n + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        char **slots = calloc(cap, sizeof *slots);
        if (!slots) {
            free(url);
            return -1;
        }
        for (size_t i = 0; i < set->cap; i++)
            if (set->slots[i]) {
                size_t k = (size_t)fnv1a(set->slots[i]) & (cap - 1);
                while (slots[k])
                    k = (k + 1) & (cap - 1);
                slots[k] = set->slots[i];
            }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t k = (size_t)fnv1a(url) & (set->cap - 1);
    while (set->slots[k]) {
        if (strcmp(set->slots[k], url) == 0) {
            free(url);
            return 0;
        }
        k = (k + 1) & (set->cap - 1);
    }
    set->slots[k] = url;
    set->n++;
    return 1;
}

static void set_free(url_set *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
}

/* ---- the walk's state ---- */

typedef struct walk {
    const char *doc_url;
    khc_link_fn fn;
    void *user;
    url_set seen;
    kh_status rc; /* KH_OK until out of memory or stopped */
    char *feed_base; /* the feed's xml:base, resolved; NULL when none */
    const char *body;
    size_t body_len;
    int broken; /* not well-formed: only closed items count */
} walk;

/*
 * How many closing tags of name ("</item>", "</rss:item >") body holds.
 * In a broken document, recover mode also gives the item the damage cut,
 * with whatever half a <link> it held; items are never nested, so the
 * first this-many items are the ones that were read whole.
 */
static size_t count_closing(const char *s, size_t n, const char *name)
{
    size_t count = 0, nl = strlen(name);
    const char *p = s, *end = s + n;
    while ((p = memmem(p, (size_t)(end - p), "</", 2)) != NULL) {
        p += 2;
        const char *q = p;
        while (q < end && *q != '>' && *q != ':' && *q != '<' && q - p < 64)
            q++;
        if (q < end && *q == ':')
            q++;
        else
            q = p;
        if ((size_t)(end - q) >= nl && memcmp(q, name, nl) == 0) {
            q += nl;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
                q++;
            if (q < end && *q == '>')
                count++;
        }
    }
    return count;
}

/* The number of items of name the walk may read: all of them in a
 * well-formed document. */
static size_t items_allowed(const walk *w, const char *name)
{
    return w->broken ? count_closing(w->body, w->body_len, name) : (size_t)-1;
}

/* ---- small readers over the tree ---- */

/* The local name: what follows a prefix libxml2 left in the name when the
 * prefix was never declared. */
static const char *local(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static int is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp(local(n), name) == 0;
}

static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return *a == *b;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* Appends the text of n's text and CDATA descendants to out (room for
 * cap bytes with the NUL), white space collapsed; entity references are
 * skipped so that a DTD cannot make the text grow past its bytes. The walk
 * is iterative: XML depth is bounded by libxml2, HTML's is not. */
static void gather_text(const xmlNode *n, char *out, size_t cap, size_t *len, int *space)
{
    const xmlNode *c = n->children;
    while (c && *len + 1 < cap) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            for (const char *s = (const char *)c->content; s && *s && *len + 1 < cap; s++) {
                if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
                    *space = 1;
                    continue;
                }
                if (*space && *len > 0)
                    out[(*len)++] = ' ';
                *space = 0;
                if (*len + 1 < cap)
                    out[(*len)++] = *s;
            }
        }
        if (c->type == XML_ELEMENT_NODE && c->children) {
            c = c->children;
            continue;
        }
        while (c && !c->next && c != n) {
            c = c->parent;
            if (c == n)
                c = NULL;
        }
        if (c)
            c = c->next;
    }
    /* libxml2's recover mode can pass on bytes of a wrongly declared
     * charset: keep the valid UTF-8 only */
    size_t o = 0;
    for (size_t i = 0; i < *len;) {
        uint32_t cp;
        size_t l = khi_utf8_decode((const unsigned char *)out + i, *len - i, &cp);
        if (!l) {
            i++;
            continue;
        }
        memmove(out + o, out + i, l);
        o += l;
        i += l;
    }
    *len = o;
    out[*len] = '\0';
}

/* The text of n, collapsed, cut at a character boundary; NULL when empty. */
static char *text_of(const xmlNode *n, char *buf, size_t cap)
{
    if (!n)
        return NULL;
    size_t len = 0;
    int space = 0;
    gather_text(n, buf, cap, &len, &space);
    if (len + 1 >= cap) /* cut: drop a split UTF-8 sequence */
        while (len > 0 && ((unsigned char)buf[len - 1] & 0xC0) == 0x80)
            len--;
    if (len > 0 && ((unsigned char)buf[len - 1] & 0xC0) == 0xC0)
        len--;
    buf[len] = '\0';
    return len ? buf : NULL;
}

/* An attribute's value from its text children only (see gather_text), in
 * buf; NULL when absent or empty. ns_local matches "xml:base" style names
 * by local name too. */
static char *attr(const xmlNode *n, const char *name, char *buf, size_t cap)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        const char *colon = strrchr(an, ':');
        if (strcmp(colon ? colon + 1 : an, name) != 0 && !ieq(an, name))
            continue;
        size_t len = 0;
        int space = 0;
        gather_text((const xmlNode *)a, buf, cap, &len, &space);
        return len ? buf : NULL;
    }
    return NULL;
}

/* ---- dates ---- */

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* Writes the ISO 8601 form; 0 when a field is out of range. off is the
 * offset in minutes east of UTC; with_time 0 writes the day alone. */
static int write_date(char *out, int y, int mo, int d, int with_time, int h, int mi, int s,
                      int off)
{
    if (y < 1900 || y > 2199 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
        d > khi_days_in_month(y, mo))
        return 0;
    if (!with_time) {
        snprintf(out, 32, "%04d-%02d-%02d", y, mo, d);
        return 1;
    }
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60 || off < -14 * 60 ||
        off > 14 * 60)
        return 0;
    if (s == 60)
        s = 59; /* a leap second is no reason to lose the date */
    if (off == 0) {
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
    } else {
        int a = off < 0 ? -off : off;
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d, h, mi, s,
                 off < 0 ? '-' : '+', a / 60, a % 60);
    }
    return 1;
}

/* W3C-DTF / ISO 8601: "YYYY-MM-DD", "YYYY-MM-DDThh:mm[:ss[.f]][Z|+hh:mm]"
 * (a space for the T, "+hhmm" too). A time without a zone is taken as
 * UTC, as sitemaps that forget the zone mean. */
static int iso_date(const char *s, char *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return 0;
    s += 10;
    if (*s != 'T' && *s != 't' && *s != ' ')
        return *s == '\0' && write_date(out, y, mo, d, 0, 0, 0, 0, 0);
    s++;
    if (!digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &mi))
        return 0;
    s += 5;
    if (*s == ':') {
        if (!digits(s + 1, 2, &sec))
            return 0;
        s += 3;
        if (*s == '.' || *s == ',')
            for (s++; *s >= '0' && *s <= '9'; s++) {
            }
    }
    if (*s == ' ')
        s++;
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int oh, om = 0, sign = *s == '-' ? -1 : 1;
        if (!digits(s + 1, 2, &oh))
            return 0;
        s += 3;
        if (*s == ':')
            s++;
        if (*s >= '0' && *s <= '9') {
            if (!digits(s, 2, &om))
                return 0;
            s += 2;
        }
        if (om > 59)
            return 0;
        off = sign * (oh * 60 + om);
    }
    return *s == '\0' && write_date(out, y, mo, d, 1, h, mi, sec, off);
}

/* RFC 822 / 2822 as RSS writes it: "[Tue,] 25 Oct 2016 11:34[:00] +0300"
 * with a zone of digits, UT/GMT/UTC/Z, or a US zone name. */
static int rfc822_date(const char *s, char *out)
{
    static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec" };
    static const struct { const char *name; int off; } zones[] = {
        { "ut", 0 },         { "gmt", 0 },        { "utc", 0 },        { "z", 0 },
        { "est", -5 * 60 },  { "edt", -4 * 60 },  { "cst", -6 * 60 },  { "cdt", -5 * 60 },
        { "mst", -7 * 60 },  { "mdt", -6 * 60 },  { "pst", -8 * 60 },  { "pdt", -7 * 60 },
    };
    const char *p = s;
    /* the day name, when given */
    const char *comma = strchr(p, ',');
    if (comma && comma - p <= 10)
        p = comma + 1;
    while (*p == ' ')
        p++;
    int d = 0, nd = 0;
    while (*p >= '0' && *p <= '9' && nd < 2)
        d = d * 10 + (*p++ - '0'), nd++;
    if (!nd || (*p != ' ' && *p != '-'))
        return 0;
    p++;
    int mo = 0;
    for (int i = 0; i < 12; i++) {
        int same = 1;
        for (int k = 0; k < 3 && same; k++) {
            char c = p[k];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            same = c == months[i][k];
        }
        if (same) {
            mo = i + 1;
            break;
        }
    }
    if (!mo)
        return 0;
    while (*p && *p != ' ' && *p != '-')
        p++; /* "Oct", "October", "Oct." */
    if (!*p)
        return 0;
    p++;
    int y = 0, ny = 0;
    while (*p >= '0' && *p <= '9' && ny < 4)
        y = y * 10 + (*p++ - '0'), ny++;
    if (ny == 2)
        y += y < 50 ? 2000 : 1900;
    else if (ny != 4)
        return 0;
    while (*p == ' ')
        p++;
    if (!*p)
        return write_date(out, y, mo, d, 0, 0, 0, 0, 0);
    int h, mi, sec = 0;
    if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi)) {
        /* "9:05" */
        if (!digits(p, 1, &h) || p[1] != ':' || !digits(p + 2, 2, &mi))
            return 0;
        p--;
    }
    p += 5;
    if (*p == ':') {
        if (!digits(p + 1, 2, &sec))
            return 0;
        p += 3;
    }
    while (*p == ' ')
        p++;
    int off = 0;
    if (*p == '+' || *p == '-') {
        int hh, mm;
        if (!digits(p + 1, 2, &hh))
            return 0;
        const char *q = p + 3;
        if (*q == ':')
            q++;
        if (!digits(q, 2, &mm) || mm > 59)
            return 0;
        off = (*p == '-' ? -1 : 1) * (hh * 60 + mm);
        p = q + 2;
    } else if (*p) {
        size_t zl = 0;
        while ((p[zl] >= 'A' && p[zl] <= 'Z') || (p[zl] >= 'a' && p[zl] <= 'z'))
            zl++;
        int found = 0;
        for (size_t i = 0; i < sizeof zones / sizeof *zones && !found; i++)
            if (strlen(zones[i].name) == zl) {
                char z[4] = { 0 };
                for (size_t k = 0; k < zl; k++)
                    z[k] = (char)(p[k] >= 'A' && p[k] <= 'Z' ? p[k] - 'A' + 'a' : p[k]);
                if (strcmp(z, zones[i].name) == 0) {
                    off = zones[i].off;
                    found = 1;
                }
            }
        if (!found)
            return 0;
        p += zl;
    }
    while (*p == ' ')
        p++;
    /* a comment such as "(EEST)" may follow */
    if (*p && *p != '(')
        return 0;
    return write_date(out, y, mo, d, 1, h, mi, sec, off);
}

/* Any date of the formats above, into out (32 bytes); NULL when none. */
static const char *date_of(const xmlNode *n, char *out)
{
    char buf[128];
    const char *s = text_of(n, buf, sizeof buf);
    if (!s)
        return NULL;
    if (iso_date(s, out) || rfc822_date(s, out))
        return out;
    return NULL;
}

/* ---- giving a link ---- */

/* Normalizes href against base and calls the callback when it is new. */
static void give(walk *w, khc_link_kind kind, const char *base, const char *href,
                 const char *title, const char *date, const char *language)
{
    if (w->rc != KH_OK || !href)
        return;
    if (w->seen.n >= KHC_FEED_MAX_LINKS)
        return;
    char *url = NULL;
    kh_status rc = khc_url_normalize(base ? base : w->doc_url, href, &url);
    if (rc == KH_E_NOMEM) {
        w->rc = KH_E_NOMEM;
        return;
    }
    if (rc != KH_OK)
        return;
    int added = set_add(&w->seen, url);
    if (added < 0) {
        w->rc = KH_E_NOMEM;
        return;
    }
    if (!added)
        return;
    khc_link link = { kind, url, title, date, language };
    if (w->fn(w->user, &link))
        w->rc = KH_E_STOPPED;
}

/* An element's own xml:lang or xml:base, in buf; NULL when it has none.
 * Only the element's own: looking up the ancestors for every item would
 * cost items x attributes of the root, so the feed's are read once. */
static const char *own_xml(const xmlNode *n, const char *name, char *buf, size_t cap)
{
    for (const xmlAttr *a = n ? n->properties : NULL; a; a = a->next)
        if (a->ns && a->ns->prefix && strcmp((const char *)a->ns->prefix, "xml") == 0 &&
            strcmp((const char *)a->name, name) == 0) {
            size_t len = 0;
            int space = 0;
            gather_text((const xmlNode *)a, buf, cap, &len, &space);
            return len ? buf : NULL;
        }
    return NULL;
}

/* The base of n's links: its xml:base resolved against the feed's, or the
 * feed's. *owned receives what the caller frees (may be NULL). */
static const char *item_base(walk *w, const xmlNode *n, char **owned)
{
    char buf[KHC_HREF_CAP];
    *owned = NULL;
    const char *b = own_xml(n, "base", buf, sizeof buf);
    if (b && khc_url_normalize(w->feed_base ? w->feed_base : w->doc_url, b, owned) ==
                 KH_E_NOMEM)
        w->rc = KH_E_NOMEM;
    return *owned ? *owned : w->feed_base;
}

/* Reads the xml:base of the feed's outer elements (root, then channel) into
 * w->feed_base, and their xml:lang into lang (NULL when none). */
static const char *feed_scope(walk *w, const xmlNode *root, const xmlNode *channel, char *lang,
                              size_t cap)
{
    const xmlNode *outer[2] = { root, channel };
    const char *l = NULL;
    for (int i = 0; i < 2; i++) {
        if (!outer[i])
            continue;
        char *b;
        item_base(w, outer[i], &b);
        if (b) {
            free(w->feed_base);
            w->feed_base = b;
        }
        const char *ol = own_xml(outer[i], "lang", lang, cap);
        if (ol)
            l = ol;
    }
    return l;
}

/* ---- the formats ---- */

/* s when it is an absolute http(s) URL, else NULL. A guid is a permalink
 * by default, but many feeds leave "isPermaLink" out of ids such as
 * "aj-2016-1", which would otherwise resolve to a page of the feed's site. */
static const char *absolute(const char *s)
{
    return s && (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0) ? s
                                                                                          : NULL;
}

/* An RSS 0.9x/2.0 or RDF item. */
static void rss_item(walk *w, const xmlNode *item, const char *feed_lang)
{
    char title[KHC_FEED_MAX_TITLE], href[KHC_HREF_CAP], date[32], lang[64], about[KHC_HREF_CAP];
    const char *url = NULL;
    for (const xmlNode *c = item->children; c && !url; c = c->next)
        if (is(c, "link"))
            url = text_of(c, href, sizeof href);
    if (!url) {
        const xmlNode *guid = child(item, "guid");
        char perma[16];
        const char *p = guid ? attr(guid, "isPermaLink", perma, sizeof perma) : NULL;
        if (guid && !(p && ieq(p, "false")))
            url = absolute(text_of(guid, href, sizeof href));
    }
    if (!url) /* RDF */
        url = absolute(attr(item, "about", about, sizeof about));
    const char *d = date_of(child(item, "pubDate"), date);
    if (!d)
        d = date_of(child(item, "date"), date);
    if (!d)
        d = date_of(child(item, "published"), date);
    if (!d)
        d = date_of(child(item, "updated"), date);
    char *owned;
    const char *base = item_base(w, item, &owned);
    const char *l = own_xml(item, "lang", lang, sizeof lang);
    give(w, KHC_LINK_ARTICLE, base, url, text_of(child(item, "title"), title, sizeof title), d,
         l ? l : feed_lang);
    free(owned);
}

static void rss(walk *w, const xmlNode *root)
{
    char lang[64], xml_lang[64];
    const xmlNode *channel = child(root, "channel");
    const char *feed_lang = text_of(child(channel, "language"), lang, sizeof lang);
    const char *outer_lang = feed_scope(w, root, channel, xml_lang, sizeof xml_lang);
    if (!feed_lang)
        feed_lang = outer_lang;
    size_t left = items_allowed(w, "item");
    /* items inside <channel> (RSS 2.0) or beside it (RDF, RSS 0.90) */
    for (const xmlNode *c = channel ? channel->children : NULL; c && w->rc == KH_OK; c = c->next)
        if (is(c, "item") && left && left--)
            rss_item(w, c, feed_lang);
    for (const xmlNode *c = root->children; c && w->rc == KH_OK; c = c->next)
        if (is(c, "item") && left && left--)
            rss_item(w, c, feed_lang);
}

static void atom_entry(walk *w, const xmlNode *entry, const char *feed_lang)
{
    char title[KHC_FEED_MAX_TITLE], href[KHC_HREF_CAP], rel[32], date[32], lang[64];
    const char *url = NULL;
    for (const xmlNode *c = entry->children; c && !url; c = c->next) {
        if (!is(c, "link"))
            continue;
        const char *r = attr(c, "rel", rel, sizeof rel);
        if (!r || ieq(r, "alternate"))
            url = attr(c, "href", href, sizeof href);
    }
    const char *d = date_of(child(entry, "published"), date);
    if (!d)
        d = date_of(child(entry, "updated"), date);
    if (!d)
        d = date_of(child(entry, "issued"), date); /* Atom 0.3 */
    char *owned;
    const char *base = item_base(w, entry, &owned);
    const char *l = own_xml(entry, "lang", lang, sizeof lang);
    give(w, KHC_LINK_ARTICLE, base, url, text_of(child(entry, "title"), title, sizeof title), d,
         l ? l : feed_lang);
    free(owned);
}

static void atom(walk *w, const xmlNode *root)
{
    char lang[64];
    const char *feed_lang = feed_scope(w, root, NULL, lang, sizeof lang);
    size_t left = items_allowed(w, "entry");
    for (const xmlNode *c = root->children; c && w->rc == KH_OK; c = c->next)
        if (is(c, "entry") && left && left--)
            atom_entry(w, c, feed_lang);
}

static void rdf(walk *w, const xmlNode *root)
{
    char lang[64], xml_lang[64];
    const xmlNode *channel = child(root, "channel");
    const char *feed_lang = text_of(child(channel, "language"), lang, sizeof lang);
    const char *outer_lang = feed_scope(w, root, channel, xml_lang, sizeof xml_lang);
    if (!feed_lang)
        feed_lang = outer_lang;
    size_t left = items_allowed(w, "item");
    for (const xmlNode *c = root->children; c && w->rc == KH_OK; c = c->next)
        if (is(c, "item") && left && left--)
            rss_item(w, c, feed_lang);
    /* some RDF feeds nest the items in the channel */
    for (const xmlNode *c = channel ? channel->children : NULL; c && w->rc == KH_OK; c = c->next)
        if (is(c, "item") && left && left--)
            rss_item(w, c, feed_lang);
}

static void sitemap(walk *w, const xmlNode *root, int index)
{
    char title[KHC_FEED_MAX_TITLE], href[KHC_HREF_CAP], date[32], lang[64];
    feed_scope(w, root, NULL, lang, sizeof lang);
    size_t left = items_allowed(w, index ? "sitemap" : "url");
    for (const xmlNode *u = root->children; u && w->rc == KH_OK && left; u = u->next) {
        if (!is(u, index ? "sitemap" : "url"))
            continue;
        left--;
        const char *t = NULL, *d = NULL, *l = NULL;
        const xmlNode *news = child(u, "news");
        if (news) {
            t = text_of(child(news, "title"), title, sizeof title);
            d = date_of(child(news, "publication_date"), date);
            l = text_of(child(child(news, "publication"), "language"), lang, sizeof lang);
        }
        if (!d)
            d = date_of(child(u, "lastmod"), date);
        char *owned;
        const char *base = item_base(w, u, &owned);
        give(w, index ? KHC_LINK_SITEMAP : KHC_LINK_ARTICLE, base,
             text_of(child(u, "loc"), href, sizeof href), t, d, l);
        free(owned);
    }
}

/* Whether a <link> announces a feed: rel has the token "alternate" and
 * type is one of the feed types (parameters after ';' ignored). */
static int is_feed_link(const xmlNode *n)
{
    char rel[256], type[128];
    const char *r = attr(n, "rel", rel, sizeof rel);
    const char *t = attr(n, "type", type, sizeof type);
    if (!r || !t)
        return 0;
    int alternate = 0;
    for (char *tok = rel; *tok && !alternate;) {
        size_t tl = strcspn(tok, " \t\n\r\f");
        alternate = tl == 9 && strncasecmp(tok, "alternate", 9) == 0;
        tok += tl;
        tok += strspn(tok, " \t\n\r\f");
    }
    if (!alternate)
        return 0;
    char *semi = strchr(type, ';');
    if (semi)
        *semi = '\0';
    size_t tl = strlen(type);
    while (tl && (type[tl - 1] == ' ' || type[tl - 1] == '\t'))
        type[--tl] = '\0';
    return ieq(type, "application/rss+xml") || ieq(type, "application/atom+xml") ||
           ieq(type, "application/rdf+xml");
}

/* A page: its <base href>, then every feed <link>, in document order. */
static void html_page(walk *w, const xmlNode *root)
{
    char base_buf[KHC_HREF_CAP], href[KHC_HREF_CAP], title[KHC_FEED_MAX_TITLE];
    char *base = NULL;
    /* the first <base href> resolves every later link */
    for (const xmlNode *n = root; n;) {
        if (n->type == XML_ELEMENT_NODE && n->name && ieq((const char *)n->name, "base")) {
            const char *h = attr(n, "href", base_buf, sizeof base_buf);
            if (h && khc_url_normalize(w->doc_url, h, &base) == KH_E_NOMEM) {
                w->rc = KH_E_NOMEM;
                return;
            }
            break;
        }
        if (n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent;
        if (n)
            n = n->next;
    }
    for (const xmlNode *n = root; n && w->rc == KH_OK;) {
        if (n->type == XML_ELEMENT_NODE && n->name && ieq((const char *)n->name, "link") &&
            is_feed_link(n)) {
            const char *t = attr(n, "title", title, sizeof title);
            give(w, KHC_LINK_FEED, base, attr(n, "href", href, sizeof href), t, NULL, NULL);
        }
        if (n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent;
        if (n)
            n = n->next;
    }
    free(base);
}

/* ---- telling the kind ---- */

/* The local name of the first element of body (after a BOM, white space,
 * the XML declaration, processing instructions, comments and a DOCTYPE)
 * into name; 0 when body does not start with markup. */
static int first_element(const char *s, size_t n, char *name, size_t cap)
{
    size_t i = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            i++;
        if (i + 1 >= n || s[i] != '<')
            return 0;
        if (s[i + 1] == '?') {
            const char *e = memmem(s + i, n - i, "?>", 2);
            if (!e)
                return 0;
            i = (size_t)(e - s) + 2;
        } else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            const char *e = memmem(s + i + 4, n - i - 4, "-->", 3);
            if (!e)
                return 0;
            i = (size_t)(e - s) + 3;
        } else if (s[i + 1] == '!') {
            /* DOCTYPE, maybe with an internal subset in [...] */
            int depth = 0;
            i += 2;
            while (i < n && (depth || s[i] != '>')) {
                if (s[i] == '[')
                    depth++;
                else if (s[i] == ']' && depth)
                    depth--;
                i++;
            }
            if (i >= n)
                return 0;
            i++;
        } else {
            i++;
            size_t start = i;
            while (i < n && s[i] != ' ' && s[i] != '>' && s[i] != '/' && s[i] != '\t' &&
                   s[i] != '\n' && s[i] != '\r')
                i++;
            size_t len = i - start;
            const char *nm = s + start;
            const char *colon = memchr(nm, ':', len);
            if (colon) {
                len -= (size_t)(colon + 1 - nm);
                nm = colon + 1;
            }
            if (len == 0 || len >= cap)
                return len != 0;
            memcpy(name, nm, len);
            name[len] = '\0';
            return 1;
        }
    }
}

/* Whether body looks like markup at all: a tag in its first 4 KiB. */
static int looks_like_markup(const char *s, size_t n)
{
    size_t lim = KHI_MIN(n, (size_t)4096);
    for (size_t i = 0; i + 1 < lim; i++)
        if (s[i] == '<' && ((s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
                            (s[i + 1] >= 'A' && s[i + 1] <= 'Z') || s[i + 1] == '!'))
            return 1;
    return 0;
}

/* The charset named in a Content-Type ("text/xml; charset=windows-1256"),
 * into buf; NULL when none. */
static const char *charset_of(const char *content_type, char *buf, size_t cap)
{
    if (!content_type)
        return NULL;
    for (const char *p = content_type; *p; p++) {
        if (strncasecmp(p, "charset", 7) != 0)
            continue;
        const char *q = p + 7;
        while (*q == ' ')
            q++;
        if (*q != '=')
            continue;
        q++;
        while (*q == ' ' || *q == '"' || *q == '\'')
            q++;
        size_t len = 0;
        while (q[len] && q[len] != ';' && q[len] != ' ' && q[len] != '"' && q[len] != '\'' &&
               len + 1 < cap) {
            buf[len] = q[len];
            len++;
        }
        buf[len] = '\0';
        return len ? buf : NULL;
    }
    return NULL;
}

/* Whether an XML body says its own encoding: a BOM, or encoding= in the
 * XML declaration. */
static int xml_declares_charset(const char *s, size_t n)
{
    if (n >= 2 && (((unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF) ||
                   ((unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE)))
        return 1;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        return 1;
    if (n < 5 || memcmp(s, "<?xml", 5) != 0)
        return 0;
    const char *e = memmem(s, KHI_MIN(n, (size_t)512), "?>", 2);
    const char *enc = e ? memmem(s, (size_t)(e - s), "encoding", 8) : NULL;
    if (!enc)
        return 0;
    enc += 8;
    while (enc < e && (*enc == ' ' || *enc == '\t' || *enc == '\r' || *enc == '\n'))
        enc++;
    return enc < e && *enc == '=';
}

/* Whether an HTML body names its charset in a <meta> (or a BOM). */
static int html_declares_charset(const char *s, size_t n)
{
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        return 1;
    size_t lim = KHI_MIN(n, (size_t)4096);
    for (size_t i = 0; i + 7 <= lim; i++)
        if (strncasecmp(s + i, "charset", 7) == 0)
            return 1;
    return 0;
}

/* ---- the pre-scan: where libxml2's cost would stop being linear ---- */

static int ci_prefix(const char *s, size_t n, const char *word)
{
    size_t wn = strlen(word);
    return n >= wn && strncasecmp(s, word, wn) == 0;
}

/* The end of s[i..n) past the next occurrence of end (case-insensitive
 * for HTML's "</script"), or n. */
static size_t skip_past(const char *s, size_t n, size_t i, const char *end, int ci)
{
    size_t el = strlen(end);
    while (i < n) {
        const char *lt = memchr(s + i, end[0], n - i);
        if (!lt)
            return n;
        i = (size_t)(lt - s);
        if (n - i >= el && (ci ? strncasecmp(s + i, end, el) : memcmp(s + i, end, el)) == 0)
            return i + el;
        i++;
    }
    return n;
}

/*
 * The length of the prefix of s that libxml2 can parse in linear time: up
 * to the first start tag with more than KHC_FEED_MAX_ATTRS attributes
 * (counted as '=' outside quoted values) or the one past
 * KHC_FEED_MAX_TAGS tags. Quoted values, comments, CDATA sections and,
 * for HTML, script and style are skipped, as the parsers skip them.
 */
static size_t budget_prefix(const char *s, size_t n, int html)
{
    size_t tags = 0, i = 0;
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt)
            return n;
        i = (size_t)(lt - s);
        const char *p = s + i;
        size_t left = n - i;
        if (ci_prefix(p, left, "<!--")) {
            i = skip_past(s, n, i + 4, "-->", 0);
            continue;
        }
        if (ci_prefix(p, left, "<![CDATA[")) {
            i = skip_past(s, n, i + 9, "]]>", 0);
            continue;
        }
        if (left < 2 || !((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'))) {
            i++;
            continue;
        }
        if (++tags > KHC_FEED_MAX_TAGS)
            return i;
        size_t start = i, attrs = 0;
        int raw = html && (ci_prefix(p, left, "<script") || ci_prefix(p, left, "<style"));
        int style = raw && (p[2] == 't' || p[2] == 'T');
        i++;
        while (i < n && s[i] != '>') {
            if (s[i] == '=') {
                if (++attrs > KHC_FEED_MAX_ATTRS)
                    return start;
                i++;
                while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
                    i++;
                if (i < n && (s[i] == '"' || s[i] == '\'')) {
                    const char *q = memchr(s + i + 1, s[i], n - i - 1);
                    i = q ? (size_t)(q - s) + 1 : n;
                }
                continue;
            }
            i++;
        }
        if (raw && i < n)
            i = skip_past(s, n, i, style ? "</style" : "</script", 1);
    }
    return n;
}

/* Stops libxml2's HTML parser as soon as more elements are open than
 * KHC_FEED_MAX_DEPTH: each end tag searches the open ones. */
static void depth_guard(void *user, const xmlChar *name, const xmlChar **atts)
{
    htmlParserCtxtPtr pc = user;
    startElementSAXFunc start = (startElementSAXFunc)(uintptr_t)pc->_private;
    start(user, name, atts);
    if (pc->nameNr > KHC_FEED_MAX_DEPTH)
        xmlStopParser(pc);
}

/* htmlReadMemory() with the depth guard in front of the tree builder. */
static xmlDoc *read_html(const char *body, size_t len, const char *url, const char *enc,
                         int opts)
{
    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc || !pc->sax) {
        if (pc)
            htmlFreeParserCtxt(pc);
        return NULL;
    }
    pc->_private = (void *)(uintptr_t)pc->sax->startElement;
    pc->sax->startElement = depth_guard;
    xmlDoc *doc = htmlCtxtReadMemory(pc, body, (int)len, url, enc, opts);
    htmlFreeParserCtxt(pc);
    return doc;
}

/* xmlReadMemory() on a context of our own, to learn whether the document
 * was well-formed. */
static xmlDoc *read_xml(const char *body, size_t len, const char *url, const char *enc,
                        int opts, int *broken)
{
    xmlParserCtxt *pc = xmlNewParserCtxt();
    if (!pc)
        return NULL;
    xmlDoc *doc = xmlCtxtReadMemory(pc, body, (int)len, url, enc, opts);
    *broken = !pc->wellFormed;
    xmlFreeParserCtxt(pc);
    return doc;
}

kh_status khc_links_parse(const char *body, size_t len, const char *doc_url,
                          const char *content_type, khc_doc_kind *kind, khc_link_fn fn,
                          void *user)
{
    if (kind)
        *kind = KHC_DOC_UNKNOWN;
    if (!body || !len || !fn)
        return KH_OK;
    if (len > KHC_FEED_MAX_BYTES)
        len = KHC_FEED_MAX_BYTES;
    char root[32] = "";
    int markup = first_element(body, len, root, sizeof root);
    int utf16 = len >= 2 && (((unsigned char)body[0] == 0xFE && (unsigned char)body[1] == 0xFF) ||
                             ((unsigned char)body[0] == 0xFF && (unsigned char)body[1] == 0xFE));
    khc_doc_kind k = KHC_DOC_UNKNOWN;
    if (strcmp(root, "rss") == 0)
        k = KHC_DOC_RSS;
    else if (strcmp(root, "feed") == 0)
        k = KHC_DOC_ATOM;
    else if (strcmp(root, "RDF") == 0)
        k = KHC_DOC_RDF;
    else if (strcmp(root, "urlset") == 0)
        k = KHC_DOC_SITEMAP;
    else if (strcmp(root, "sitemapindex") == 0)
        k = KHC_DOC_SITEMAP_INDEX;
    else if (utf16 || (markup && root[0] == '\0'))
        k = KHC_DOC_UNKNOWN; /* XML we can only tell by parsing it */
    else if (markup || looks_like_markup(body, len))
        k = KHC_DOC_HTML;
    else
        return KH_OK;

    char cs_buf[64];
    const char *charset = charset_of(content_type, cs_buf, sizeof cs_buf);
    xmlInitParser();
    xmlDoc *doc = NULL;
    int broken = 0;
    if (k != KHC_DOC_HTML) {
        const char *enc = xml_declares_charset(body, len) ? NULL : charset;
        int opts = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
                   XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_NOBLANKS;
        size_t safe = utf16 ? len : budget_prefix(body, len, 0);
        doc = read_xml(body, safe, doc_url, enc, opts, &broken);
        if (!doc && enc) /* a charset libxml2 does not know */
            doc = read_xml(body, safe, doc_url, NULL, opts, &broken);
        if (safe < len) {
            broken = 1;
            len = safe; /* closing tags past the cut do not count */
        }
        const xmlNode *r = doc ? xmlDocGetRootElement(doc) : NULL;
        if (k == KHC_DOC_UNKNOWN && r) {
            if (is(r, "rss"))
                k = KHC_DOC_RSS;
            else if (is(r, "feed"))
                k = KHC_DOC_ATOM;
            else if (is(r, "RDF"))
                k = KHC_DOC_RDF;
            else if (is(r, "urlset"))
                k = KHC_DOC_SITEMAP;
            else if (is(r, "sitemapindex"))
                k = KHC_DOC_SITEMAP_INDEX;
        }
        if (k == KHC_DOC_UNKNOWN && !utf16) {
            /* XHTML or other markup that is no feed: read it as a page */
            xmlFreeDoc(doc);
            doc = NULL;
            k = KHC_DOC_HTML;
        }
    }
    if (k == KHC_DOC_HTML) {
        const char *enc = html_declares_charset(body, len) ? NULL : charset;
        int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                   HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS;
        size_t safe = budget_prefix(body, len, 1);
        doc = read_html(body, safe, doc_url, enc, opts);
        if (!doc && enc)
            doc = read_html(body, safe, doc_url, NULL, opts);
    }
    if (kind)
        *kind = k;
    const xmlNode *r = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!r) {
        xmlFreeDoc(doc);
        return KH_OK;
    }
    walk w = { doc_url, fn, user, { 0 }, KH_OK, NULL, body, len, broken };
    switch (k) {
    case KHC_DOC_RSS: rss(&w, r); break;
    case KHC_DOC_ATOM: atom(&w, r); break;
    case KHC_DOC_RDF: rdf(&w, r); break;
    case KHC_DOC_SITEMAP: sitemap(&w, r, 0); break;
    case KHC_DOC_SITEMAP_INDEX: sitemap(&w, r, 1); break;
    case KHC_DOC_HTML: html_page(&w, r); break;
    case KHC_DOC_UNKNOWN: break;
    }
    xmlFreeDoc(doc);
    set_free(&w.seen);
    free(w.feed_base);
    KHI_RETURN_IF(w.rc != KH_OK, w.rc);
    return KH_OK;
}
