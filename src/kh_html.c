/*
 * kh_html.c — cuts an HTML page into text blocks for the cleaner, and keeps
 * what the markup says about the article (title, site name, date, URL).
 *
 * Idea. libxml2's HTML parser in recover mode (htmlReadMemory with
 * HTML_PARSE_RECOVER | NOERROR | NOWARNING | NONET) turns any tag soup into
 * a tree. A depth-first walk collects text into the current block; block
 * elements (p, div, li, td, h1-h6, article, section, br, ...) close it, so
 * each block is one paragraph-like unit as jusText builds them. Text inside
 * <a> is counted per block for link density. Subtrees that never hold the
 * article are skipped whole: script, style, noscript, template, svg,
 * iframe, nav, footer, aside, form, button, select, and elements whose
 * role/class/id say "comment", "share", "related" etc. <header> is not
 * skipped (some sites put the headline there); its blocks are flagged.
 *
 * The walk is iterative (an explicit stack capped at KHI_HTML_MAX_DEPTH)
 * so a page nested 100,000 deep cannot overflow the C stack; anything
 * deeper is flattened into its ancestor's block.
 *
 * Memory: libxml2 allocates its tree with its own allocator while parsing
 * (its allocator is process-wide, so khabar leaves it alone); the tree is
 * freed before returning. Blocks and strings go to the document's arena.
 */
#include "kh_clean_int.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>
#include <strings.h>

#define KHI_HTML_MAX_DEPTH 1024

typedef struct walker {
    kh_ctx *ctx;
    kh_arena *arena;
    kh_buf cur;          /* text of the block being built */
    size_t cur_link;     /* bytes of it inside <a> */
    unsigned char cur_kind;
    unsigned char cur_header;
    khi_block *blocks;
    size_t n_blocks, cap_blocks;
    kh_status rc;
} walker;

static int name_is(const xmlChar *name, const char *s)
{
    return name && strcasecmp((const char *)name, s) == 0;
}

static int in_list(const xmlChar *name, const char *const *list)
{
    if (!name)
        return 0;
    for (size_t i = 0; list[i]; i++)
        if (strcasecmp((const char *)name, list[i]) == 0)
            return 1;
    return 0;
}

static const char *const skip_tags[] = {
    "script", "style", "noscript", "template", "svg", "iframe", "nav", "footer", "aside",
    "form", "button", "select", "option", "textarea", "input", "label", "object", "embed",
    "canvas", "video", "audio", "map", "head", "menu", "dialog", NULL,
};

static const char *const block_tags[] = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "td", "th",
    "tr", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
    "br", "hr", "figure", "figcaption", "header", "address", "center", "caption", "body",
    "html", NULL,
};

/* Class/id words of boilerplate containers. */
static int boiler_attr(xmlNode *n)
{
    static const char *const words[] = {
        "comment", "share", "social", "related", "breadcrumb", "newsletter", "cookie",
        "sidebar", "widget", "advert", "banner", "promo", "subscribe", "popup", "modal",
        "navbar", "menu", "footer", "tags", "pagination", "most-read", "mostread", NULL,
    };
    static const char *const attrs[] = { "class", "id", "role", NULL };
    for (size_t a = 0; attrs[a]; a++) {
        xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[a]);
        if (!v)
            continue;
        int hit = 0;
        /* Lower-case copy, then substring search. */
        for (xmlChar *p = v; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (xmlChar)(*p + 32);
        for (size_t w = 0; words[w] && !hit; w++)
            if (strstr((const char *)v, words[w]))
                hit = 1;
        /* "article-body" style names never mark boilerplate. */
        if (hit && (strstr((const char *)v, "article") || strstr((const char *)v, "content") ||
                    strstr((const char *)v, "body") || strstr((const char *)v, "story")))
            hit = 0;
        xmlFree(v);
        if (hit)
            return 1;
    }
    return 0;
}

static unsigned char kind_of(const xmlChar *name)
{
    if (!name)
        return KHI_BLK_P;
    if ((name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' && !name[2])
        return KHI_BLK_HEADING;
    if (name_is(name, "li") || name_is(name, "dt") || name_is(name, "dd"))
        return KHI_BLK_LI;
    if (name_is(name, "pre") || name_is(name, "blockquote"))
        return KHI_BLK_PRE;
    return KHI_BLK_P;
}

/* Ends the current block: trims it, collapses its spaces, stores it. */
static void flush(walker *w)
{
    if (w->rc != KH_OK)
        return;
    const char *s = w->cur.data;
    size_t len = w->cur.len;
    while (len && (*s == ' '))
        s++, len--;
    while (len && s[len - 1] == ' ')
        len--;
    if (len) {
        if (w->n_blocks == w->cap_blocks) {
            size_t ncap = w->cap_blocks ? w->cap_blocks * 2 : 64;
            khi_block *nb = kh_arena_alloc(w->arena, ncap * sizeof *nb);
            if (!nb) {
                w->rc = KH_E_NOMEM;
                return;
            }
            if (w->n_blocks)
                memcpy(nb, w->blocks, w->n_blocks * sizeof *nb);
            w->blocks = nb;
            w->cap_blocks = ncap;
        }
        char *t = kh_arena_strndup(w->arena, s, len);
        if (!t) {
            w->rc = KH_E_NOMEM;
            return;
        }
        khi_block *b = &w->blocks[w->n_blocks++];
        b->text = t;
        b->len = len;
        b->link_len = KHI_MIN(w->cur_link, len);
        b->kind = w->cur_kind;
        b->in_header = w->cur_header;
    }
    kh_buf_clear(&w->cur);
    w->cur_link = 0;
    w->cur_kind = KHI_BLK_P;
}

/* Appends text with every run of white space turned into one space. */
static void add_text(walker *w, const xmlChar *text, int in_link)
{
    if (w->rc != KH_OK || !text)
        return;
    size_t before = w->cur.len;
    const unsigned char *p = text;
    while (*p && w->rc == KH_OK) {
        /* a run of non-space bytes, appended at once */
        const unsigned char *q = p;
        while (*q && !(*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == '\f' ||
                       *q == '\v' || (*q == 0xC2 && q[1] == 0xA0)))
            q++;
        if (q > p)
            w->rc = kh_buf_append(&w->cur, p, (size_t)(q - p));
        if (!*q || w->rc != KH_OK)
            break;
        /* white space, U+00A0 included, becomes one space */
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == '\f' || *q == '\v' ||
               (*q == 0xC2 && q[1] == 0xA0))
            q += *q == 0xC2 ? 2 : 1;
        if (w->cur.len && w->cur.data[w->cur.len - 1] != ' ')
            w->rc = kh_buf_append(&w->cur, " ", 1);
        p = q;
    }
    if (in_link)
        w->cur_link += w->cur.len - before;
}

/* Collects the text under n (for <title>, <h1>) into a new arena string. */
static const char *node_text(walker *w, xmlNode *n)
{
    xmlChar *c = xmlNodeGetContent(n);
    if (!c)
        return NULL;
    kh_buf b;
    kh_buf_init(&b, w->ctx, 1 << 16);
    const char *out = NULL;
    int sp = 0;
    for (const unsigned char *p = c; *p; p++) {
        int space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
        if (space) { sp = 1; continue; }
        if (sp && b.len && kh_buf_append(&b, " ", 1) != KH_OK) { w->rc = KH_E_NOMEM; break; }
        sp = 0;
        if (kh_buf_append(&b, p, 1) != KH_OK) { w->rc = KH_E_NOMEM; break; }
    }
    if (b.len && w->rc == KH_OK) {
        out = kh_arena_strndup(w->arena, b.data, b.len);
        if (!out) w->rc = KH_E_NOMEM;
    }
    kh_buf_free(&b);
    xmlFree(c);
    return out;
}

static const char *attr_dup(walker *w, xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    const char *s = v[0] ? kh_arena_strndup(w->arena, (const char *)v, strlen((const char *)v)) : NULL;
    if (v[0] && !s) w->rc = KH_E_NOMEM;
    xmlFree(v);
    return s;
}

static void take_meta(walker *w, xmlNode *n, khi_html_meta *m)
{
    xmlChar *prop = xmlGetProp(n, (const xmlChar *)"property");
    if (!prop)
        prop = xmlGetProp(n, (const xmlChar *)"name");
    if (!prop)
        prop = xmlGetProp(n, (const xmlChar *)"itemprop");
    if (!prop)
        return;
    const char *p = (const char *)prop;
    const char **slot = NULL;
    if (!strcasecmp(p, "og:title") || !strcasecmp(p, "twitter:title"))
        slot = &m->og_title;
    else if (!strcasecmp(p, "og:site_name") || !strcasecmp(p, "application-name"))
        slot = &m->site_name;
    else if (!strcasecmp(p, "article:published_time") || !strcasecmp(p, "datePublished") ||
             !strcasecmp(p, "pubdate") || !strcasecmp(p, "publish-date") ||
             !strcasecmp(p, "date") || !strcasecmp(p, "dc.date") || !strcasecmp(p, "DC.date.issued") ||
             !strcasecmp(p, "sailthru.date") || !strcasecmp(p, "parsely-pub-date"))
        slot = &m->published;
    else if (!strcasecmp(p, "og:url"))
        slot = &m->url;
    if (slot && !*slot)
        *slot = attr_dup(w, n, "content");
    xmlFree(prop);
}

typedef struct frame {
    xmlNode *node;     /* next child to visit */
    unsigned char link, header, block;
} frame;

kh_status khi_html_blocks(kh_ctx *ctx, kh_arena *arena, const char *html, size_t html_len,
                          khi_block **blocks, size_t *n_blocks, khi_html_meta *meta)
{
    *blocks = NULL;
    *n_blocks = 0;
    memset(meta, 0, sizeof *meta);
    if (html_len > (size_t)INT32_MAX)
        return kh_ctx_error(ctx, KH_E_TOOBIG, "html: page of %zu bytes", html_len);
    htmlDocPtr doc = htmlReadMemory(html, (int)html_len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                        HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        HTML_PARSE_NOBLANKS);
    if (!doc)
        return KH_OK; /* nothing parseable: no blocks */
    walker w = { 0 };
    w.ctx = ctx;
    w.arena = arena;
    w.rc = KH_OK;
    kh_buf_init(&w.cur, ctx, kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 0));
    frame *stack = kh_malloc(ctx, KHI_HTML_MAX_DEPTH * sizeof *stack);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!stack) {
        w.rc = KH_E_NOMEM;
        goto done;
    }
    if (root) {
        const char *lang = attr_dup(&w, root, "lang");
        meta->lang = lang;
    }
    size_t depth = 0;
    stack[0].node = root;
    stack[0].link = stack[0].header = stack[0].block = 0;
    depth = 1;
    while (depth && w.rc == KH_OK) {
        frame *f = &stack[depth - 1];
        xmlNode *n = f->node;
        if (!n) {
            if (f->block)
                flush(&w);
            depth--;
            continue;
        }
        f->node = n->next;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            add_text(&w, n->content, f->link);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const xmlChar *name = n->name;
        if (name_is(name, "title")) {
            if (!meta->title_tag)
                meta->title_tag = node_text(&w, n);
            continue;
        }
        if (name_is(name, "meta")) {
            take_meta(&w, n, meta);
            continue;
        }
        if (name_is(name, "link")) {
            xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
            if (rel && !strcasecmp((const char *)rel, "canonical") && !meta->url)
                meta->url = attr_dup(&w, n, "href");
            xmlFree(rel);
            continue;
        }
        if (name_is(name, "time") && !meta->published)
            meta->published = attr_dup(&w, n, "datetime");
        if (name_is(name, "head")) {
            /* Visit head only for title, meta and link. */
            for (xmlNode *c = n->children; c; c = c->next) {
                if (c->type != XML_ELEMENT_NODE)
                    continue;
                if (name_is(c->name, "title") && !meta->title_tag)
                    meta->title_tag = node_text(&w, c);
                else if (name_is(c->name, "meta"))
                    take_meta(&w, c, meta);
                else if (name_is(c->name, "link")) {
                    xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
                    if (rel && !strcasecmp((const char *)rel, "canonical") && !meta->url)
                        meta->url = attr_dup(&w, c, "href");
                    xmlFree(rel);
                }
            }
            continue;
        }
        if (in_list(name, skip_tags) || boiler_attr(n))
            continue;
        if (name_is(name, "h1") && !meta->h1)
            meta->h1 = node_text(&w, n);
        int is_block = in_list(name, block_tags);
        if (is_block) {
            flush(&w);
            w.cur_kind = kind_of(name);
            w.cur_header = f->header || name_is(name, "header");
        } else if (name_is(name, "img")) {
            continue;
        }
        if (!n->children) {
            if (is_block)
                flush(&w);
            continue;
        }
        if (depth == KHI_HTML_MAX_DEPTH) {
            /* Too deep: take its text flat into the current block. */
            xmlChar *c = xmlNodeGetContent(n);
            add_text(&w, c, f->link);
            xmlFree(c);
            continue;
        }
        frame *child = &stack[depth++];
        child->node = n->children;
        child->link = f->link || name_is(name, "a");
        child->header = f->header || name_is(name, "header");
        child->block = (unsigned char)is_block;
        if (!is_block && w.cur.len && name_is(name, "a")) {
            /* keep words apart around links */
        }
    }
    flush(&w);
done:
    kh_free(ctx, stack, KHI_HTML_MAX_DEPTH * sizeof *stack);
    kh_buf_free(&w.cur);
    xmlFreeDoc(doc);
    if (w.rc != KH_OK)
        return w.rc;
    *blocks = w.blocks;
    *n_blocks = w.n_blocks;
    return KH_OK;
}
