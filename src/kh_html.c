/*
 * kh_html.c — cuts an HTML page into text blocks for the cleaner, and keeps
 * what the markup says about the article (title, site name, date, URL).
 *
 * Idea. khabar's HTML parser (kh_dom.c: the tree libxml2's recovering
 * parser builds, in one pass) turns any tag soup into a tree. A
 * depth-first walk collects text into the current block; block
 * elements (p, div, li, td, h1-h6, article, section, br, ...) close it, so
 * each block is one paragraph-like unit as jusText builds them. Text inside
 * <a> is counted per block for link density. Subtrees that never hold the
 * article are skipped whole: script, style, noscript, template, svg,
 * iframe, nav, footer, aside, button, select (one of <noscript>, <aside>,
 * <nav>, <footer> left open, that swallowed the page in the recovered tree,
 * is walked). A <form> is a container
 * (ASP.NET pages wrap the whole page in one); its controls are skipped.
 * Class/id/role words ("comment", "share", "related", "sidebar" ...) are
 * hints, matched as whole words of a class token, never inside one
 * ("subType-unsubscribed" is no "subscribe"); and even a whole-word hint
 * does not drop a subtree that holds half the page's visible text or the
 * page's main <main>/<article> (without either, the first <h1> with a
 * quarter of the text), since layout flags ("right-sidebar", "sticky-menu",
 * "zen-one-sidebar-second") sit on <body> and page wrappers. The page's
 * first <time> outside a <blockquote> (an embedded post) dates it. <header> is not
 * skipped (some sites put the headline there); its blocks are flagged.
 *
 * The walk is iterative (an explicit stack capped at KHI_HTML_MAX_DEPTH)
 * so a page nested 100,000 deep cannot overflow the C stack; anything
 * deeper is flattened into its ancestor's block.
 *
 * Memory: the tree lives in a scratch arena the caller resets between
 * pages; blocks and strings go to the document's arena.
 *
 * Work budget. A page is parsed only within the KH_LIMIT_HTML_* limits:
 * start tags, attributes on one start tag and in the page, and elements
 * open at once, all counted by the parser as it reads them. A page over a
 * limit is KH_E_LIMIT with the record's name, the count, the byte offset
 * and the limit; it is never cut short in silence. Cost is then linear in
 * the page: each end tag searches at most the depth limit.
 */
#include "kh_clean_int.h"
#include "kh_dom.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

#define KHI_HTML_MAX_DEPTH 1024
#define BOILER_MEMO 256

typedef struct walker {
    kh_ctx *ctx;
    kh_arena *arena;
    kh_buf cur;          /* text of the block being built */
    kh_buf tmp;          /* an attribute in lower case, a subtree's text */
    size_t cur_link;     /* bytes of it inside <a> */
    unsigned char cur_kind;
    unsigned char cur_header;
    uint32_t cur_box;    /* box of the block being built: where its first text stood */
    khi_block *blocks;
    size_t n_blocks, cap_blocks;
    uint32_t *box_parent; /* see khi_html_meta */
    size_t n_boxes, cap_boxes;
    const khi_dom_node *main_el; /* the page's main <main>/<article>, or NULL */
    int by_h1;              /* SIZE_MAIN marks the boxes around the first <h1> */
    int want_meta;          /* the page's facts are read, not only its blocks */
    uint64_t memo_key[BOILER_MEMO]; /* boiler_attr()'s answers by class, id and role */
    uint8_t memo_val[BOILER_MEMO];
    kh_status rc;
} walker;

/* What the walk does with an element: skip its subtree (W_SKIP), end the
 * block before and after it (W_BLOCK), walk it after all when recovery left
 * it open around the page (W_SWALLOW, see swallowed()). A picture's caption
 * and credit describe the picture, not the story. */
enum { W_SKIP = 1, W_BLOCK = 2, W_SWALLOW = 4 };
static const uint8_t walk_flags[KHI_TAG_COUNT_] = {
    [KHI_TAG_SCRIPT] = W_SKIP, [KHI_TAG_STYLE] = W_SKIP, [KHI_TAG_NOSCRIPT] = W_SKIP | W_SWALLOW,
    [KHI_TAG_TEMPLATE] = W_SKIP, [KHI_TAG_SVG] = W_SKIP, [KHI_TAG_IFRAME] = W_SKIP,
    [KHI_TAG_NAV] = W_SKIP | W_SWALLOW, [KHI_TAG_FOOTER] = W_SKIP | W_SWALLOW,
    [KHI_TAG_ASIDE] = W_SKIP | W_SWALLOW, [KHI_TAG_BUTTON] = W_SKIP, [KHI_TAG_SELECT] = W_SKIP,
    [KHI_TAG_OPTION] = W_SKIP, [KHI_TAG_TEXTAREA] = W_SKIP, [KHI_TAG_INPUT] = W_SKIP,
    [KHI_TAG_LABEL] = W_SKIP, [KHI_TAG_OBJECT] = W_SKIP, [KHI_TAG_EMBED] = W_SKIP,
    [KHI_TAG_CANVAS] = W_SKIP, [KHI_TAG_VIDEO] = W_SKIP, [KHI_TAG_AUDIO] = W_SKIP,
    [KHI_TAG_MAP] = W_SKIP, [KHI_TAG_HEAD] = W_SKIP, [KHI_TAG_MENU] = W_SKIP,
    [KHI_TAG_DIALOG] = W_SKIP, [KHI_TAG_FIGCAPTION] = W_SKIP | W_BLOCK,
    /* a ruby's reading (furigana over Japanese kanji) is no part of the text */
    [KHI_TAG_RT] = W_SKIP, [KHI_TAG_RP] = W_SKIP,
    [KHI_TAG_P] = W_BLOCK, [KHI_TAG_DIV] = W_BLOCK, [KHI_TAG_SECTION] = W_BLOCK,
    [KHI_TAG_ARTICLE] = W_BLOCK, [KHI_TAG_MAIN] = W_BLOCK, [KHI_TAG_LI] = W_BLOCK,
    [KHI_TAG_UL] = W_BLOCK, [KHI_TAG_OL] = W_BLOCK, [KHI_TAG_DL] = W_BLOCK, [KHI_TAG_DT] = W_BLOCK,
    [KHI_TAG_DD] = W_BLOCK, [KHI_TAG_TD] = W_BLOCK, [KHI_TAG_TH] = W_BLOCK, [KHI_TAG_TR] = W_BLOCK,
    [KHI_TAG_TABLE] = W_BLOCK, [KHI_TAG_TBODY] = W_BLOCK, [KHI_TAG_THEAD] = W_BLOCK,
    [KHI_TAG_H1] = W_BLOCK, [KHI_TAG_H2] = W_BLOCK, [KHI_TAG_H3] = W_BLOCK, [KHI_TAG_H4] = W_BLOCK,
    [KHI_TAG_H5] = W_BLOCK, [KHI_TAG_H6] = W_BLOCK, [KHI_TAG_PRE] = W_BLOCK,
    [KHI_TAG_BLOCKQUOTE] = W_BLOCK, [KHI_TAG_BR] = W_BLOCK, [KHI_TAG_HR] = W_BLOCK,
    [KHI_TAG_FIGURE] = W_BLOCK, [KHI_TAG_HEADER] = W_BLOCK, [KHI_TAG_ADDRESS] = W_BLOCK,
    [KHI_TAG_CENTER] = W_BLOCK, [KHI_TAG_CAPTION] = W_BLOCK, [KHI_TAG_BODY] = W_BLOCK,
    [KHI_TAG_HTML] = W_BLOCK,
};

/* Is the attribute value v[0..len) the ASCII word w, case aside? */
static int value_is(const char *v, size_t len, const char *w)
{
    return v && strlen(w) == len && !strncasecmp(v, w, len);
}

static int attr_is(const khi_dom_node *n, const char *attr, const char *w)
{
    size_t len;
    const char *v = khi_dom_get_attr(n, attr, &len);
    return value_is(v, len, w);
}

/* v[0..len) in lower case, in w->tmp (valid until its next use). */
static const char *lower_copy(walker *w, const char *v, size_t len)
{
    kh_buf_clear(&w->tmp);
    if (kh_buf_append(&w->tmp, v, len) != KH_OK) {
        w->rc = KH_E_NOMEM;
        return NULL;
    }
    char *s = w->tmp.data;
    for (size_t k = 0; k < len; k++)
        if (s[k] >= 'A' && s[k] <= 'Z')
            s[k] = (char)(s[k] + 32);
    return s;
}

/* n's attribute in lower case, in w->tmp (valid until its next use); NULL
 * when n has none. */
static const char *attr_lower(walker *w, const khi_dom_node *n, const char *attr, size_t *len)
{
    const char *v = khi_dom_get_attr(n, attr, len);
    return v ? lower_copy(w, v, *len) : NULL;
}

static int class_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

typedef struct class_word {
    const char *w;
    size_t n;
} class_word;
#define CLASS_WORD(s) { s, sizeof s - 1 }

/* Is one of words[0..nw) one of the '-'/'_'-separated words of the class
 * token t[0..tl), a trailing 's' allowed ("comments")? Whole words only:
 * "subType-unsubscribed" holds no "subscribe" and "highfooter" no
 * "footer". Each word start is compared with the words of its first letter
 * only: pages have thousands of class tokens. */
static int token_has_any(const char *t, size_t tl, const class_word *words, size_t nw)
{
    for (size_t i = 0; i < tl; i++) {
        if (i && t[i - 1] != '-' && t[i - 1] != '_')
            continue;
        for (size_t k = 0; k < nw; k++) {
            size_t wl = words[k].n;
            if (words[k].w[0] != t[i] || i + wl > tl || memcmp(t + i, words[k].w, wl))
                continue;
            size_t e = i + wl;
            if (e < tl && t[e] == 's')
                e++;
            if (e == tl || t[e] == '-' || t[e] == '_')
                return 1;
        }
    }
    return 0;
}

/* Class/id/role words of boilerplate containers: a hint that the subtree is
 * not the article. The caller still keeps a subtree that holds the page's
 * main text (see keep_anyway). "tags" is plural on purpose: a box of tags
 * is "post-tags", while "tag-<slug>" (and "category-<slug>") is the
 * taxonomy a CMS stamps on the article element itself. */
static int boiler_attr(walker *w, const khi_dom_node *n)
{
    static const class_word words[] = {
        CLASS_WORD("comment"), CLASS_WORD("share"), CLASS_WORD("sharing"), CLASS_WORD("social"),
        CLASS_WORD("related"), CLASS_WORD("breadcrumb"), CLASS_WORD("newsletter"),
        CLASS_WORD("cookie"), CLASS_WORD("sidebar"), CLASS_WORD("advert"), CLASS_WORD("banner"),
        CLASS_WORD("promo"), CLASS_WORD("subscribe"), CLASS_WORD("popup"), CLASS_WORD("modal"),
        CLASS_WORD("navbar"), CLASS_WORD("menu"), CLASS_WORD("footer"), CLASS_WORD("tags"),
        CLASS_WORD("pagination"), CLASS_WORD("most-read"), CLASS_WORD("mostread"),
        /* the box about the author under the article */
        CLASS_WORD("authorbox"), CLASS_WORD("author-bio"), CLASS_WORD("author-description"),
        CLASS_WORD("about-author"),
    };
    /* a page builder names every block a widget: "elementor-widget",
     * "elementor-widget-container" hold the post too */
    static const class_word widget[] = { CLASS_WORD("widget") };
    static const class_word keep[] = { CLASS_WORD("article"), CLASS_WORD("content"),
                                       CLASS_WORD("body"), CLASS_WORD("story") };
    /* class, id and role in one pass over the attributes */
    const khi_dom_attr *named[3] = { NULL, NULL, NULL };
    for (uint32_t k = 0; k < n->n_attrs; k++) {
        const khi_dom_attr *at = &n->attrs[k];
        int which = value_is(at->name, at->name_len, "class") ? 0
                    : value_is(at->name, at->name_len, "id")  ? 1
                    : value_is(at->name, at->name_len, "role") ? 2 : -1;
        if (which >= 0 && !named[which])
            named[which] = at;
    }
    if (!named[0] && !named[1] && !named[2])
        return 0;
    int taxonomy = n->tag == KHI_TAG_ARTICLE;
    /* a page repeats its class lists ("menu-item", "col-md-4"): the answer
     * for the same three values is kept for the rest of the page */
    uint64_t key = (uint64_t)taxonomy + 1;
    for (int a = 0; a < 3; a++)
        key = named[a] ? XXH3_64bits_withSeed(named[a]->value, named[a]->value_len, key)
                       : key * 0x9E3779B97F4A7C15ull + (uint64_t)a;
    key |= 1;
    size_t slot = (size_t)(key >> 56) % BOILER_MEMO;
    if (w->memo_key[slot] == key)
        return w->memo_val[slot];
    int hit = 0, kept = 0;
    for (size_t a = 0; a < 3 && !kept; a++) {
        if (!named[a])
            continue;
        size_t len = named[a]->value_len;
        const char *v = lower_copy(w, named[a]->value, len);
        if (!v)
            continue;
        /* One class token at a time. */
        const char *p = v, *end = v + len;
        while (p < end && !kept) {
            while (p < end && class_blank(*p))
                p++;
            const char *q = p;
            while (q < end && !class_blank(*q))
                q++;
            size_t tl = (size_t)(q - p);
            /* on an <article>, "category-<slug>" and "tag-<slug>" name
             * the post's topics ("category-no-newsletter-rss"), never a box */
            if (taxonomy && ((tl > 9 && !memcmp(p, "category-", 9)) || (tl > 4 && !memcmp(p, "tag-", 4))))
                tl = 0;
            /* "article-body" style names never mark boilerplate. */
            if (tl)
                kept = token_has_any(p, tl, keep, sizeof keep / sizeof *keep);
            if (tl && !hit)
                hit = token_has_any(p, tl, words, sizeof words / sizeof *words) ||
                      (!(tl > 10 && !memcmp(p, "elementor-", 10)) && token_has_any(p, tl, widget, 1));
            p = q;
        }
    }
    w->memo_key[slot] = key;
    w->memo_val[slot] = (uint8_t)(hit && !kept);
    return hit && !kept;
}

static unsigned char kind_of(int tag)
{
    switch (tag) {
    case KHI_TAG_H1: case KHI_TAG_H2: case KHI_TAG_H3:
    case KHI_TAG_H4: case KHI_TAG_H5: case KHI_TAG_H6:
        return KHI_BLK_HEADING;
    case KHI_TAG_LI: case KHI_TAG_DT: case KHI_TAG_DD:
        return KHI_BLK_LI;
    case KHI_TAG_PRE: case KHI_TAG_BLOCKQUOTE:
        return KHI_BLK_PRE;
    default:
        return KHI_BLK_P;
    }
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
        b->box = w->cur_box;
    }
    kh_buf_clear(&w->cur);
    w->cur_link = 0;
    w->cur_kind = KHI_BLK_P;
}

/* A new box under parent; its number, or parent itself when the table
 * cannot grow (the blocks then count as the parent's). */
static uint32_t new_box(walker *w, uint32_t parent)
{
    if (w->rc != KH_OK || w->n_boxes >= UINT32_MAX)
        return parent;
    if (w->n_boxes == w->cap_boxes) {
        size_t ncap = w->cap_boxes ? w->cap_boxes * 2 : 256;
        uint32_t *nb = kh_arena_alloc(w->arena, ncap * sizeof *nb);
        if (!nb) {
            w->rc = KH_E_NOMEM;
            return parent;
        }
        if (w->n_boxes)
            memcpy(nb, w->box_parent, w->n_boxes * sizeof *nb);
        w->box_parent = nb;
        w->cap_boxes = ncap;
    }
    w->box_parent[w->n_boxes] = parent;
    return (uint32_t)w->n_boxes++;
}
/* Appends text[0..len) with every run of white space turned into one space;
 * box is the box the text stands in. */
static void add_text(walker *w, const char *text, size_t len, int in_link, uint32_t box)
{
    if (w->rc != KH_OK || !text || !len)
        return;
    size_t before = w->cur.len;
    if (!before)
        w->cur_box = box;
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    while (p < end && w->rc == KH_OK) {
        /* a run of non-space bytes, appended at once */
        const unsigned char *q = p;
        while (q < end && !(*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == '\f' ||
                            *q == '\v' || (*q == 0xC2 && q + 1 < end && (q[1] == 0xA0 || q[1] == 0xAD))))
            q++;
        if (q > p)
            w->rc = kh_buf_append(&w->cur, p, (size_t)(q - p));
        if (q >= end || w->rc != KH_OK)
            break;
        /* a soft hyphen (U+00AD) only says where a word may break: the
         * word is read whole ("réac&shy;tion") */
        if (*q == 0xC2 && q[1] == 0xAD) {
            p = q + 2;
            continue;
        }
        /* white space, U+00A0 included, becomes one space */
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == '\f' ||
                           *q == '\v' || (*q == 0xC2 && q + 1 < end && q[1] == 0xA0)))
            q += *q == 0xC2 ? 2 : 1;
        if (w->cur.len && w->cur.data[w->cur.len - 1] != ' ')
            w->rc = kh_buf_append(&w->cur, " ", 1);
        p = q;
    }
    if (in_link)
        w->cur_link += w->cur.len - before;
}

static size_t nonblank_bytes(const char *t, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        k += !(t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || t[i] == '\f');
    return k;
}

/* The next node after n in document order within top's subtree (NULL at
 * its end), entering n's children when down is set. */
static const khi_dom_node *next_in(const khi_dom_node *n, const khi_dom_node *top, int down)
{
    if (down && n->first)
        return n->first;
    while (n != top) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

/* The text under n, all of it in document order, appended to b. */
static kh_status subtree_text(const khi_dom_node *n, kh_buf *b)
{
    for (const khi_dom_node *c = next_in(n, n, 1); c; c = next_in(c, n, 1))
        if (c->type == KHI_DOM_TEXT)
            KHI_FORWARD_IF_ERROR(kh_buf_append(b, c->text, c->len));
    return KH_OK;
}

/* Does n hold any text that is not blank? */
static int has_text(const khi_dom_node *n)
{
    for (const khi_dom_node *c = next_in(n, n, 1); c; c = next_in(c, n, 1))
        if (c->type == KHI_DOM_TEXT && nonblank_bytes(c->text, c->len))
            return 1;
    return 0;
}

/* Collects the text under n (for <title>, <h1>) into a new arena string. */
static const char *node_text(walker *w, const khi_dom_node *n)
{
    kh_buf_clear(&w->tmp);
    if (subtree_text(n, &w->tmp) != KH_OK) {
        w->rc = KH_E_NOMEM;
        return NULL;
    }
    kh_buf b;
    kh_buf_init(&b, w->ctx, 1 << 16);
    const char *out = NULL;
    int sp = 0;
    const unsigned char *c = (const unsigned char *)w->tmp.data;
    for (size_t k = 0; k < w->tmp.len; k++) {
        int space = c[k] == ' ' || c[k] == '\t' || c[k] == '\n' || c[k] == '\r';
        if (space) { sp = 1; continue; }
        if (sp && b.len && kh_buf_append(&b, " ", 1) != KH_OK) { w->rc = KH_E_NOMEM; break; }
        sp = 0;
        if (kh_buf_append(&b, c + k, 1) != KH_OK) { w->rc = KH_E_NOMEM; break; }
    }
    if (b.len && w->rc == KH_OK) {
        out = kh_arena_strndup(w->arena, b.data, b.len);
        if (!out) w->rc = KH_E_NOMEM;
    }
    kh_buf_free(&b);
    return out;
}

/* The text of the last of two or more elements with text directly in an
 * <h1> (inside its one <a>, if it has just that): sites set the kicker and
 * the headline in two spans ("<span class=dachzeile>", "<span
 * class=headline>"), which the <h1>'s text runs together. NULL when the
 * <h1> is not so split. */
static const char *h1_last_part(walker *w, const khi_dom_node *h1)
{
    const khi_dom_node *p = h1;
    for (int round = 0; round < 2; round++) {
        const khi_dom_node *last = NULL;
        size_t parts = 0;
        for (const khi_dom_node *c = p->first; c; c = c->next) {
            if (c->type == KHI_DOM_TEXT && nonblank_bytes(c->text, c->len)) return NULL; /* loose text */
            if (c->type != KHI_DOM_ELEMENT) continue;
            if (has_text(c)) last = c, parts++;
        }
        if (parts >= 2) return node_text(w, last);
        if (parts != 1 || last->tag != KHI_TAG_A) return NULL;
        p = last;
    }
    return NULL;
}

static const char *attr_dup(walker *w, const khi_dom_node *n, const char *name)
{
    size_t len;
    const char *v = khi_dom_get_attr(n, name, &len);
    if (!v || !len)
        return NULL;
    const char *s = kh_arena_strndup(w->arena, v, len);
    if (!s) w->rc = KH_E_NOMEM;
    return s;
}

/* Is n inside a <blockquote>? Embedded posts (a tweet, an Instagram
 * picture) are blockquotes with their own <time>, not the article's. */
static int quoted(const khi_dom_node *n)
{
    for (const khi_dom_node *p = n->parent; p; p = p->parent)
        if (p->tag == KHI_TAG_BLOCKQUOTE)
            return 1;
    return 0;
}

static void take_meta(walker *w, const khi_dom_node *n, khi_html_meta *m)
{
    size_t len;
    const char *p = khi_dom_get_attr(n, "property", &len);
    if (!p)
        p = khi_dom_get_attr(n, "name", &len);
    if (!p)
        p = khi_dom_get_attr(n, "itemprop", &len);
    if (!p)
        return;
    const char **slot = NULL;
    if (value_is(p, len, "og:title") || value_is(p, len, "twitter:title"))
        slot = &m->og_title;
    else if (value_is(p, len, "og:site_name") || value_is(p, len, "application-name"))
        slot = &m->site_name;
    else if (value_is(p, len, "article:published_time") || value_is(p, len, "datePublished") ||
             value_is(p, len, "pubdate") || value_is(p, len, "publish-date") ||
             value_is(p, len, "date") || value_is(p, len, "dc.date") ||
             value_is(p, len, "DC.date.issued") || value_is(p, len, "sailthru.date") ||
             value_is(p, len, "parsely-pub-date"))
        slot = &m->published;
    else if (value_is(p, len, "og:url"))
        slot = &m->url;
    else if (value_is(p, len, "author") || value_is(p, len, "article:author") ||
             value_is(p, len, "dc.creator"))
        slot = &m->author;
    if (slot && !*slot)
        *slot = attr_dup(w, n, "content");
}

/* ---- JSON-LD --------------------------------------------------------------- */

#define LD_MAX_DEPTH 8

/* Is the schema.org @type of o (a string or a list) an article kind? */
static int ld_is_article(json_t *o)
{
    json_t *t = json_object_get(o, "@type");
    json_t *one = t;
    for (size_t i = 0; json_is_array(t) ? i < json_array_size(t) : i < 1; i++) {
        if (json_is_array(t))
            one = json_array_get(t, i);
        const char *s = json_string_value(one);
        if (s && (strstr(s, "Article") || strstr(s, "Posting") || strstr(s, "Report")))
            return 1;
    }
    return 0;
}

/* The best publication date under v: datePublished over dateCreated, and an
 * article's over a WebPage's or an Organization's. rank: 4 article
 * datePublished, 3 other datePublished, 2 article dateCreated, 1 other. */
static void ld_find(json_t *v, int depth, const char **best, int *rank)
{
    if (depth > LD_MAX_DEPTH)
        return;
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            ld_find(json_array_get(v, i), depth + 1, best, rank);
        return;
    }
    if (!json_is_object(v))
        return;
    int art = ld_is_article(v);
    const char *p = json_string_value(json_object_get(v, "datePublished"));
    const char *c = json_string_value(json_object_get(v, "dateCreated"));
    int r = p && *p ? (art ? 4 : 3) : c && *c ? (art ? 2 : 1) : 0;
    if (r > *rank) {
        *rank = r;
        *best = p && *p ? p : c;
    }
    const char *key;
    json_t *child;
    json_object_foreach(v, key, child)
        if (json_is_object(child) || json_is_array(child))
            ld_find(child, depth + 1, best, rank);
}

/* <script type="application/ld+json">: the publication date it gives. A
 * script that does not parse says nothing. */
static void take_jsonld(walker *w, const khi_dom_node *n, khi_html_meta *m, int *ld_rank)
{
    if (!attr_is(n, "type", "application/ld+json") || *ld_rank >= 4)
        return;
    kh_buf_clear(&w->tmp);
    if (subtree_text(n, &w->tmp) != KH_OK) {
        w->rc = KH_E_NOMEM;
        return;
    }
    json_t *root = json_loadb(w->tmp.data ? w->tmp.data : "", w->tmp.len, JSON_DECODE_ANY, NULL);
    if (!root)
        return;
    const char *best = NULL;
    int rank = *ld_rank;
    ld_find(root, 0, &best, &rank);
    if (best && rank > *ld_rank) {
        const char *s = kh_arena_strndup(w->arena, best, strlen(best));
        if (!s)
            w->rc = KH_E_NOMEM;
        else {
            m->ld_published = s;
            *ld_rank = rank;
        }
    }
    json_decref(root);
}

/* ---- how much of the page a subtree holds -------------------------------- */

/* The walk's size facts live in each element's mark: visible non-blank
 * text bytes under it, shifted left once, with the low bit set on the
 * page's main <main>/<article> and its ancestors. */
#define SIZE_MAIN ((uintptr_t)1)

static size_t node_size(const khi_dom_node *n) { return (size_t)(n->mark >> 1); }

static void size_add(khi_dom_node *n, size_t bytes) { n->mark += (uintptr_t)bytes << 1; }

/* Is n inside a comment (an ancestor's class/id word "comment", or a
 * schema.org Comment)? Comments carry their own datePublished. */
static int in_comment(walker *w, const khi_dom_node *n)
{
    static const char *const attrs[] = { "class", "id", "itemtype", NULL };
    for (const khi_dom_node *p = n; p && p->type == KHI_DOM_ELEMENT; p = p->parent) {
        for (size_t a = 0; attrs[a]; a++) {
            size_t len;
            const char *v = attr_lower(w, p, attrs[a], &len);
            if (!v)
                continue;
            const char *t = v, *end = v + len;
            while (t < end) {
                while (t < end && (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r' || *t == '/'))
                    t++;
                const char *q = t;
                while (q < end && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '/')
                    q++;
                static const class_word comment[] = { CLASS_WORD("comment") };
                if (q > t && token_has_any(t, (size_t)(q - t), comment, 1))
                    return 1;
                t = q;
            }
        }
    }
    return 0;
}

/* itemprop="datePublished" on any element (<time>, <span>, <div>): its
 * content= or datetime= attribute, else its text. Microdata marks the
 * article's own date, and templates put it in boxes whose class names look
 * like boilerplate ("news-list-date" inside a div.footer), which the walk
 * skips; so it is taken here, where every element is seen. */
static void take_itemprop_date(walker *w, const khi_dom_node *n, khi_html_meta *m)
{
    if (m->item_published || n->tag == KHI_TAG_META)
        return; /* <meta itemprop> is take_meta's */
    if (!attr_is(n, "itemprop", "datePublished") || in_comment(w, n))
        return;
    const char *v = attr_dup(w, n, "content");
    if (!v)
        v = attr_dup(w, n, "datetime");
    if (!v)
        v = node_text(w, n);
    m->item_published = v;
}

/* One pass, post-order, by parent/next links (no stack to overflow): each
 * element's text size, then the mark on the main element's ancestors. The
 * main element is the largest <main>, else the largest <article> whose own
 * class/id do not mark it as boilerplate (comments are <article>s too).
 * A <noscript>, <aside>, <nav> or <footer> is measured but not counted in
 * its parent: see swallowed().
 * Microdata dates are collected on the way (take_itemprop_date).
 * @return the text size of the whole page. */
static size_t measure(walker *w, khi_dom_node *root, khi_html_meta *meta)
{
    if (!root)
        return 0;
    khi_dom_node *main_el = NULL, *art_el = NULL, *h1_el = NULL;
    size_t main_len = 0, art_len = 0;
    khi_dom_node *n = root;
    n->mark = 0;
    for (;;) {
        uint8_t f = walk_flags[n->tag];
        khi_dom_node *c = n->type == KHI_DOM_ELEMENT && (!(f & W_SKIP) || (f & W_SWALLOW))
                              ? n->first : NULL;
        if (c) {
            n = c;
            n->mark = 0;
            continue;
        }
        for (;;) {
            if (n->type == KHI_DOM_ELEMENT) {
                size_t len = node_size(n);
                if (w->want_meta)
                    take_itemprop_date(w, n, meta);
                if (n->tag == KHI_TAG_H1 && !h1_el)
                    h1_el = n;
                if (n->tag == KHI_TAG_MAIN && len > main_len)
                    main_el = n, main_len = len;
                else if (n->tag == KHI_TAG_ARTICLE && len > art_len && !boiler_attr(w, n))
                    art_el = n, art_len = len;
                if (n != root && n->parent && !(walk_flags[n->tag] & W_SWALLOW))
                    size_add(n->parent, len);
            } else if (n->type == KHI_DOM_TEXT && n->parent && n != root) {
                size_add(n->parent, nonblank_bytes(n->text, n->len));
            }
            if (n == root)
                goto done;
            if (n->next) {
                n = n->next;
                n->mark = 0;
                break;
            }
            n = n->parent;
        }
    }
done:
    w->main_el = main_el ? main_el : art_el;
    w->by_h1 = !w->main_el && h1_el;
    /* Without <main> or <article>, the boxes around the page's first <h1>
     * that hold a good part of the page's text hold the article: a layout
     * flag on one of them ("panel-display zen-one-sidebar-second") names
     * the layout, not a sidebar. */
    for (khi_dom_node *m = main_el ? main_el : art_el ? art_el : h1_el ? h1_el->parent : NULL; m;
         m = m->parent) {
        m->mark |= SIZE_MAIN;
        if (m == root)
            break;
    }
    return node_size(root);
}

/* A subtree named like boilerplate is still walked when it holds the main
 * element or half the page's text: a layout flag ("right-sidebar",
 * "sticky-menu") on <body> or a page wrapper names the page, not a box in
 * it. (The share counts even where a <main>/<article> exists: on real
 * pages that element is as often a teaser as the article.) */
static int keep_anyway(const walker *w, const khi_dom_node *n, size_t page)
{
    if (((n->mark & SIZE_MAIN) && (!w->by_h1 || node_size(n) * 4 >= page)) ||
        (page && node_size(n) * 2 >= page))
        return 1;
    /* Inside the main element, a box holding half its text is the article
     * body, whatever its class says ("entry share": the share buttons are
     * styled from the body's own class). */
    if (!w->main_el || node_size(n) * 2 < node_size(w->main_el))
        return 0;
    for (const khi_dom_node *p = n->parent; p; p = p->parent)
        if (p == w->main_el) return 1;
    return 0;
}

/* A <noscript> left open ("<noscript><div id=x></noscript><div id=main>")
 * swallows the rest of the page in the recovered tree, and so does an
 * <aside>, <nav> or <footer> left open before the article: a <noscript>
 * that holds the main element or more text than the page outside it, any
 * of the others that holds both, is walked. A real <noscript> holds a line
 * asking for JavaScript; a real sidebar, menu or footer holds less text
 * than the page around it. */
static int swallowed(const khi_dom_node *n, size_t page)
{
    int main_in = (n->mark & SIZE_MAIN) != 0, most = node_size(n) >= page;
    if (n->tag == KHI_TAG_NOSCRIPT) return main_in || most;
    return main_in && most;
}

typedef struct frame {
    const khi_dom_node *node; /* next child to visit */
    uint32_t box;      /* the innermost block element around node */
    unsigned char link, header, block;
} frame;

void khi_html_init(void)
{
    /* libxml2 still reads feeds and the place names; its globals are made
     * on first use, which two threads must not race to do */
    xmlInitParser();
    khi_dom_tag("p", 1);
}

/* <link rel=canonical href=...>: the page's URL, when og:url gave none. */
static void take_link(walker *w, const khi_dom_node *n, khi_html_meta *meta)
{
    if (!meta->url && attr_is(n, "rel", "canonical"))
        meta->url = attr_dup(w, n, "href");
}

kh_status khi_html_blocks(kh_ctx *ctx, kh_arena *arena, kh_arena *scratch, const char *html,
                          size_t html_len, const char *where, khi_block **blocks,
                          size_t *n_blocks, khi_html_meta *meta)
{
    *blocks = NULL;
    *n_blocks = 0;
    /* without meta, only the blocks: no title, dates or JSON-LD are read */
    khi_html_meta unused;
    int want = meta != NULL;
    if (!meta)
        meta = &unused;
    memset(meta, 0, sizeof *meta);
    if (html_len > (size_t)INT32_MAX)
        return kh_ctx_error(ctx, KH_E_TOOBIG, "%s: page of %zu bytes", where, html_len);
    khi_dom_limits lim = {
        kh_ctx_limit(ctx, KH_LIMIT_HTML_ELEMENTS, 0), kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS, 0),
        kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS_TOTAL, 0), kh_ctx_limit(ctx, KH_LIMIT_HTML_DEPTH, 0),
    };
    khi_dom_node *root;
    khi_dom_over over;
    kh_status prc = khi_dom_parse(ctx, scratch, html, html_len, &lim, &root, &over);
    if (prc == KH_E_LIMIT) {
        switch (over.what) {
        case 'a':
            return kh_ctx_error(ctx, KH_E_LIMIT,
                                "%s: %zu attributes on one element at byte %zu, limit %zu", where,
                                over.count, over.at, lim.attrs);
        case 'e':
            return kh_ctx_error(ctx, KH_E_LIMIT,
                                "%s: more than %zu elements (at byte %zu), limit %zu", where,
                                lim.elements, over.at, lim.elements);
        case 't':
            return kh_ctx_error(ctx, KH_E_LIMIT,
                                "%s: more than %zu attributes in the page (at byte %zu), limit %zu",
                                where, lim.attrs_total, over.at, lim.attrs_total);
        default:
            return kh_ctx_error(ctx, KH_E_LIMIT,
                                "%s: elements nested deeper than %zu (at byte %zu), limit %zu",
                                where, lim.depth, over.at, lim.depth);
        }
    }
    KHI_FORWARD_IF_ERROR(prc);
    if (!root)
        return KH_OK; /* nothing parseable: no blocks */
    walker w = { 0 };
    w.ctx = ctx;
    w.arena = arena;
    w.rc = KH_OK;
    kh_buf_init(&w.cur, ctx, kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 0));
    kh_buf_init(&w.tmp, ctx, kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 0));
    frame *stack = kh_malloc(ctx, KHI_HTML_MAX_DEPTH * sizeof *stack);
    if (!stack) {
        w.rc = KH_E_NOMEM;
        goto done;
    }
    if (want)
        meta->lang = attr_dup(&w, root, "lang");
    w.want_meta = want;
    size_t page_text = measure(&w, root, meta);
    int ld_rank = 0;
    size_t depth = 0;
    new_box(&w, 0); /* box 0: the page */
    stack[0].node = root;
    stack[0].box = 0;
    stack[0].link = stack[0].header = stack[0].block = 0;
    depth = 1;
    while (depth && w.rc == KH_OK) {
        frame *f = &stack[depth - 1];
        const khi_dom_node *n = f->node;
        if (!n) {
            if (f->block)
                flush(&w);
            depth--;
            continue;
        }
        f->node = n->next;
        if (n->type == KHI_DOM_TEXT) {
            add_text(&w, n->text, n->len, f->link, f->box);
            continue;
        }
        if (n->type != KHI_DOM_ELEMENT)
            continue;
        int tag = n->tag;
        if (!want && (tag == KHI_TAG_TITLE || tag == KHI_TAG_META || tag == KHI_TAG_LINK ||
                      tag == KHI_TAG_HEAD || tag == KHI_TAG_SCRIPT))
            continue;
        if (tag == KHI_TAG_TITLE) {
            if (!meta->title_tag)
                meta->title_tag = node_text(&w, n);
            continue;
        }
        if (tag == KHI_TAG_META) {
            take_meta(&w, n, meta);
            continue;
        }
        if (tag == KHI_TAG_LINK) {
            take_link(&w, n, meta);
            continue;
        }
        if (want && tag == KHI_TAG_TIME && !meta->time_published && !quoted(n)) {
            meta->time_published = attr_dup(&w, n, "datetime");
            if (!meta->published) {
                meta->published = meta->time_published;
                meta->published_time = meta->published != NULL;
            }
        }
        if (tag == KHI_TAG_HEAD) {
            /* Visit head only for title, meta and link. */
            for (const khi_dom_node *c = n->first; c; c = c->next) {
                if (c->type != KHI_DOM_ELEMENT)
                    continue;
                if (c->tag == KHI_TAG_TITLE && !meta->title_tag)
                    meta->title_tag = node_text(&w, c);
                else if (c->tag == KHI_TAG_META)
                    take_meta(&w, c, meta);
                else if (c->tag == KHI_TAG_SCRIPT)
                    take_jsonld(&w, c, meta, &ld_rank);
                else if (c->tag == KHI_TAG_LINK)
                    take_link(&w, c, meta);
            }
            continue;
        }
        if (tag == KHI_TAG_SCRIPT) {
            take_jsonld(&w, n, meta, &ld_rank);
            continue;
        }
        uint8_t wf = walk_flags[tag];
        if (((wf & W_SKIP) && !swallowed(n, page_text)) ||
            (boiler_attr(&w, n) && !keep_anyway(&w, n, page_text)))
            continue;
        if (want && tag == KHI_TAG_H1) {
            if (!meta->h1) {
                meta->h1 = node_text(&w, n);
                meta->h1_last = h1_last_part(&w, n);
            }
            meta->n_h1++;
        }
        int is_block = (wf & W_BLOCK) != 0;
        if (is_block) {
            flush(&w);
            w.cur_kind = kind_of(tag);
            w.cur_header = f->header || tag == KHI_TAG_HEADER;
        } else if (tag == KHI_TAG_IMG) {
            continue;
        }
        if (!n->first) {
            if (is_block)
                flush(&w);
            continue;
        }
        if (depth == KHI_HTML_MAX_DEPTH) {
            /* Too deep: take its text flat into the current block. */
            kh_buf_clear(&w.tmp);
            if (subtree_text(n, &w.tmp) != KH_OK)
                w.rc = KH_E_NOMEM;
            add_text(&w, w.tmp.data, w.tmp.len, f->link, f->box);
            continue;
        }
        uint32_t box = is_block ? new_box(&w, f->box) : f->box;
        frame *child = &stack[depth++];
        child->node = n->first;
        child->box = box;
        child->link = f->link || tag == KHI_TAG_A;
        child->header = f->header || tag == KHI_TAG_HEADER;
        child->block = (unsigned char)is_block;
    }
    flush(&w);
done:
    kh_free(ctx, stack, KHI_HTML_MAX_DEPTH * sizeof *stack);
    kh_buf_free(&w.cur);
    kh_buf_free(&w.tmp);
    if (w.rc != KH_OK)
        return w.rc;
    *blocks = w.blocks;
    *n_blocks = w.n_blocks;
    meta->box_parent = w.box_parent;
    meta->n_boxes = w.n_boxes;
    return KH_OK;
}
