/*
 * kh_dom.c — khabar's HTML parser: a page into the tree of kh_dom.h in one
 * forward pass.
 *
 * The rules are libxml2's HTML parser's (2.9.14, recover mode), since the
 * cleaner's heuristics were measured on the trees it builds:
 *
 *   - A start tag first closes the open element while that element is one
 *     the new tag closes (a <p> closes an open <p>, a <td> an open <td>;
 *     the pairs are libxml2's htmlStartClose table, written below as "new
 *     tag: the old tags it closes"). Then <html>, <head> and <body> are
 *     implied where missing. A second <html>, a <head> anywhere but right
 *     under <html>, and a <body> inside a <body> are dropped, and so is one
 *     matching end tag each. "/>" closes any element; the empty elements
 *     (br, img, meta, ...) close at once.
 *   - An end tag closes the nearest open element of its name and everything
 *     opened after it, unless one of those ranks higher (div < td, th < tr
 *     < thead, tbody, tfoot < table < head, body < html): then, and when no
 *     element of that name is open, it is ignored.
 *   - Text directly in <html> or <head> (and text before any element) opens
 *     a <p> in <body>. A run of blanks followed by a tag is dropped where
 *     libxml2 drops it (in <html>, <head>, after an element that holds no
 *     text) and kept where it separates words.
 *   - <script> and <style> hold raw text up to "</script" / "</style".
 *   - References: the HTML 4 entities with their ';' and numeric
 *     references are decoded; anything else stays as written.
 *
 * A page costs one pass over its bytes, plus, for each end tag, a search of
 * the open elements (bounded by the depth limit). The work budget (start
 * tags, attributes, depth) is counted on the way, so a hostile page stops
 * where it passes a limit, never later.
 */
#include "kh_dom.h"

#include <libxml/HTMLparser.h>
#include <libxml/chvalid.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

/* ---- the tag tables ------------------------------------------------------ */

static const char *const tag_names[KHI_TAG_COUNT_] = {
    [KHI_TAG_OTHER] = "",
#define KHI_DOM_TAG_NAME(id, name) [KHI_TAG_##id] = name,
    KHI_DOM_TAGS(KHI_DOM_TAG_NAME)
#undef KHI_DOM_TAG_NAME
};

/* libxml2's htmlStartClose: each new tag, then the open elements it closes. */
static const char *const start_close[] = {
    "a: a head", "abbr: head", "acronym: head", "address: head p ul", "b: head", "bdo: head",
    "big: head", "blockquote: head p", "body: head link p style title", "br: head",
    "caption: p", "center: b font head i p", "cite: head", "code: head",
    "col: caption col p", "colgroup: caption col colgroup p",
    "dd: address dir dt head listing menu p pre xmp", "dfn: head", "dir: head p",
    "div: head p", "dl: address dir dt head listing menu p pre xmp",
    "dt: address dd dir head listing menu p pre xmp", "em: head",
    "fieldset: a h1 h2 h3 h4 h5 h6 head legend listing p pre xmp", "font: head",
    "form: address dir dl form h1 h2 h3 h4 h5 h6 head hr listing menu ol p pre ul xmp",
    "frameset: head link p style title", "h1: head p", "h2: head p", "h3: head p",
    "h4: head p", "h5: head p", "h6: head p", "head: p", "hr: head p", "i: head",
    "iframe: head", "img: head", "kbd: head",
    "li: address dl h1 h2 h3 h4 h5 h6 head li listing p pre xmp", "listing: head p",
    "map: head", "menu: head p ul", "noscript: script", "ol: head p ul",
    "optgroup: option", "option: option",
    "p: b big h1 h2 h3 h4 h5 h6 head i p s small strike tt u", "pre: head p ul", "q: head",
    "s: head", "samp: head", "small: head", "span: head", "strike: head", "strong: head",
    "sub: head", "sup: head", "table: a h1 h2 h3 h4 h5 h6 head listing p pre xmp",
    "tbody: caption col colgroup p tbody td tfoot th thead tr",
    "td: a b font i p span td th u",
    "tfoot: caption col colgroup p tbody td th thead tr",
    "th: a b font i p span td th u", "thead: caption col colgroup", "title: p",
    "tr: caption col colgroup p td th tr", "tt: head", "u: head",
    "ul: address dir head listing menu ol p pre xmp", "var: head", "xmp: head p",
    NULL,
};

/* Elements where blanks between tags are text (libxml2's allowPCData). */
static const char *const pcdata_tags =
    " a abbr acronym address applet b bdo big blockquote body button caption center cite"
    " code dd del dfn div dt em font form h1 h2 h3 h4 h5 h6 i iframe ins kbd label legend"
    " li noframes noscript object p pre q s samp small span strike strong td th tt u var ";

/* Elements that never hold anything (libxml2's "empty" elements). */
static const char *const void_tags =
    " area base basefont br col frame hr img input isindex link meta param ";

enum { F_VOID = 1, F_PCDATA = 2, F_RAW = 4 };

#define TAG_SLOTS 512

typedef struct tag_tables {
    uint8_t slot[TAG_SLOTS];             /* tag + 1 by hash of the name, 0 empty */
    uint8_t name_len[KHI_TAG_COUNT_];
    uint8_t flags[KHI_TAG_COUNT_];
    uint8_t priority[KHI_TAG_COUNT_];    /* an end tag closes none of higher rank */
    uint8_t close_bit[KHI_TAG_COUNT_];   /* bit + 1 of an element a start tag may close */
    uint64_t closes[KHI_TAG_COUNT_];     /* by a new tag: the close_bits it closes */
} tag_tables;

static tag_tables T;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static uint32_t name_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < len; k++)
        h = (h ^ (unsigned char)s[k]) * 16777619u;
    return h ^ (h >> 15);
}

static int lookup_tag(const char *s, size_t len)
{
    if (len > 10)
        return KHI_TAG_OTHER;
    for (uint32_t h = name_hash(s, len);; h++) {
        int t = T.slot[h % TAG_SLOTS];
        if (!t)
            return KHI_TAG_OTHER;
        if (T.name_len[t - 1] == len && !memcmp(tag_names[t - 1], s, len))
            return t - 1;
    }
}

/* Calls fn(tag) for each space-separated name of list. */
static void each_name(const char *list, void (*fn)(int tag, int arg), int arg)
{
    const char *p = list;
    while (*p) {
        while (*p == ' ') p++;
        const char *q = p;
        while (*q && *q != ' ' && *q != ':') q++;
        if (q > p)
            fn(lookup_tag(p, (size_t)(q - p)), arg);
        p = *q ? q + 1 : q;
    }
}

static void set_flag(int tag, int flag) { T.flags[tag] |= (uint8_t)flag; }

static int next_bit;
static void set_closes(int old_tag, int new_tag)
{
    if (!T.close_bit[old_tag] && next_bit < 64)
        T.close_bit[old_tag] = (uint8_t)++next_bit;
    if (T.close_bit[old_tag])
        T.closes[new_tag] |= (uint64_t)1 << (T.close_bit[old_tag] - 1);
}

static void build_tables(void)
{
    for (int t = 1; t < KHI_TAG_COUNT_; t++) {
        const char *nm = tag_names[t];
        T.name_len[t] = (uint8_t)strlen(nm);
        for (uint32_t h = name_hash(nm, strlen(nm));; h++)
            if (!T.slot[h % TAG_SLOTS]) {
                T.slot[h % TAG_SLOTS] = (uint8_t)(t + 1);
                break;
            }
        T.priority[t] = 100;
    }
    T.priority[KHI_TAG_OTHER] = 100;
    T.priority[KHI_TAG_DIV] = 150;
    T.priority[KHI_TAG_TD] = T.priority[KHI_TAG_TH] = 160;
    T.priority[KHI_TAG_TR] = 170;
    T.priority[KHI_TAG_THEAD] = T.priority[KHI_TAG_TBODY] = T.priority[KHI_TAG_TFOOT] = 180;
    T.priority[KHI_TAG_TABLE] = 190;
    T.priority[KHI_TAG_HEAD] = T.priority[KHI_TAG_BODY] = 200;
    T.priority[KHI_TAG_HTML] = 220;
    each_name(pcdata_tags, set_flag, F_PCDATA);
    each_name(void_tags, set_flag, F_VOID);
    T.flags[KHI_TAG_SCRIPT] |= F_RAW;
    T.flags[KHI_TAG_STYLE] |= F_RAW;
    T.flags[KHI_TAG_OTHER] = 0;
    for (size_t r = 0; start_close[r]; r++) {
        const char *colon = strchr(start_close[r], ':');
        int new_tag = lookup_tag(start_close[r], (size_t)(colon - start_close[r]));
        each_name(colon + 1, set_closes, new_tag);
    }
}

static void tables(void)
{
    pthread_once(&tables_once, build_tables);
}

int khi_dom_tag(const char *name, size_t len)
{
    tables();
    return lookup_tag(name, len);
}

/* ---- bytes --------------------------------------------------------------- */

static int is_alpha(unsigned char c) { return (unsigned char)((c | 0x20) - 'a') < 26; }
static int is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_name_char(unsigned char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_' || c == '.';
}

/* A code point libxml2 keeps (its IS_CHAR). */
static int is_xml_char(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Bytes of a text run: 1 blank, 2 ends the run ('<', '&'), 3 a control
 * character libxml2 drops, 4 may start U+FFFE or U+FFFF (also dropped). */
static const uint8_t text_class[256] = {
    [0x01] = 3, [0x02] = 3, [0x03] = 3, [0x04] = 3, [0x05] = 3, [0x06] = 3, [0x07] = 3,
    [0x08] = 3, [0x0B] = 3, [0x0C] = 3, [0x0E] = 3, [0x0F] = 3, [0x10] = 3, [0x11] = 3,
    [0x12] = 3, [0x13] = 3, [0x14] = 3, [0x15] = 3, [0x16] = 3, [0x17] = 3, [0x18] = 3,
    [0x19] = 3, [0x1A] = 3, [0x1B] = 3, [0x1C] = 3, [0x1D] = 3, [0x1E] = 3, [0x1F] = 3,
    [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['<'] = 2, ['&'] = 2, [0xEF] = 4,
};

/* Length of a dropped character at s[i] (class 3 or 4), or 0 if it is kept. */
static size_t dropped_at(const unsigned char *s, size_t n, size_t i)
{
    if (s[i] != 0xEF)
        return 1;
    return i + 2 < n && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF) ? 3 : 0;
}

/* ---- the parser ---------------------------------------------------------- */

/* An open element: its node, and the name the parser's rules go by (with
 * its "prefix:", which the node's name drops, as libxml2's tree does). */
typedef struct open_el {
    khi_dom_node *node;
    const char *name;
    int tag;
} open_el;

typedef struct parser {
    kh_ctx *ctx;
    kh_arena *arena;
    const unsigned char *s;
    size_t n, i;
    open_el *open;         /* the open elements, open[depth - 1] innermost */
    size_t depth, cap_open, max_depth;
    khi_dom_limits lim;
    size_t n_elements, n_attrs_total;
    khi_dom_node *root;
    int seen_head, seen_body;
    size_t discarded;      /* dropped <html>/<head>/<body>: their end tags are dropped too */
    int strict;            /* an HTML 4.01 strict DOCTYPE: blanks in <body> are dropped */
    int doc_first;         /* the document's first node: 0 none yet, 1 the root, 2 other */
    int seen_doctype;
    khi_dom_attr *attrs;   /* one start tag's, before they go to the arena */
    size_t n_attrs, cap_attrs;
    kh_status rc;
    khi_dom_over over;
    size_t early_at, early_end; /* the last start tag looked ahead at, and its name's end */
    int early_tag;
} parser;

static khi_dom_node *top(const parser *p) { return p->depth ? p->open[p->depth - 1].node : NULL; }
static const open_el *top_el(const parser *p) { return p->depth ? &p->open[p->depth - 1] : NULL; }

static int same_element(const open_el *e, int tag, const char *name)
{
    return e->tag == tag && (tag != KHI_TAG_OTHER || !strcmp(e->name, name));
}

static khi_dom_node *new_node(parser *p, uint8_t type)
{
    khi_dom_node *nd = kh_arena_alloc(p->arena, sizeof *nd);
    if (!nd) {
        p->rc = KH_E_NOMEM;
        return NULL;
    }
    memset(nd, 0, sizeof *nd);
    nd->type = type;
    return nd;
}

static void link_child(khi_dom_node *parent, khi_dom_node *child)
{
    child->parent = parent;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

/* Opens an element under the innermost open one (or as the root; content
 * after the root was closed goes to a second root nobody reads, as in
 * libxml2). */
static khi_dom_node *open_element(parser *p, int tag, const char *name, khi_dom_attr *attrs,
                                  size_t n_attrs, size_t at)
{
    if (p->rc != KH_OK)
        return NULL;
    khi_dom_node *e = new_node(p, KHI_DOM_ELEMENT);
    if (!e)
        return NULL;
    /* the node is named without a "prefix:" (<g:plusone> is a "plusone");
     * "li:" and ":x" keep their whole name */
    const char *colon = name[0] != ':' ? strchr(name, ':') : NULL;
    if (colon && !colon[1])
        colon = NULL;
    e->name = colon ? colon + 1 : name;
    e->tag = (uint8_t)(colon ? lookup_tag(e->name, strlen(e->name)) : tag);
    e->attrs = attrs;
    e->n_attrs = (uint32_t)n_attrs;
    /* with nothing open, libxml2 puts an element under the document's first
     * node when that is the root: content after </html> lands in a second
     * <html> inside the first, unless a DOCTYPE or a comment came first */
    khi_dom_node *parent = top(p);
    if (parent) {
        link_child(parent, e);
    } else if (!p->root) {
        p->root = e;
        if (!p->doc_first) p->doc_first = 1;
    } else if (p->doc_first == 1) {
        link_child(p->root, e);
    }
    if (p->depth >= p->max_depth) {
        p->rc = KH_E_LIMIT;
        p->over.what = 'd';
        p->over.count = p->depth + 1;
        p->over.at = at;
        return NULL;
    }
    if (KHI_GROW(p->ctx, p->open, p->depth, p->cap_open, 64) != KH_OK) {
        p->rc = KH_E_NOMEM;
        return NULL;
    }
    p->open[p->depth].node = e;
    p->open[p->depth].name = name;
    p->open[p->depth].tag = tag;
    p->depth++;
    if (tag == KHI_TAG_HEAD) p->seen_head = 1;
    if (tag == KHI_TAG_BODY) p->seen_body = 1;
    return e;
}

static void open_implied(parser *p, int tag)
{
    open_element(p, tag, tag_names[tag], NULL, 0, p->i);
}

static int closes(int new_tag, const open_el *old)
{
    uint8_t bit = T.close_bit[old->tag];
    return bit && (T.closes[new_tag] >> (bit - 1) & 1);
}

/* libxml2's htmlAutoClose. */
static void auto_close(parser *p, int new_tag)
{
    while (p->depth && closes(new_tag, top_el(p)))
        p->depth--;
}

/* libxml2's htmlCheckImplied. */
static void check_implied(parser *p, int tag)
{
    if (tag == KHI_TAG_HTML)
        return;
    if (!p->depth)
        open_implied(p, KHI_TAG_HTML);
    if (tag == KHI_TAG_BODY || tag == KHI_TAG_HEAD)
        return;
    if (p->depth <= 1 && (tag == KHI_TAG_SCRIPT || tag == KHI_TAG_STYLE || tag == KHI_TAG_META ||
                          tag == KHI_TAG_LINK || tag == KHI_TAG_TITLE || tag == KHI_TAG_BASE)) {
        /* libxml2 keeps one level: a <body> seen counts as a <head> seen */
        if (!p->seen_head && !p->seen_body)
            open_implied(p, KHI_TAG_HEAD);
    } else if (tag != KHI_TAG_NOFRAMES && tag != KHI_TAG_FRAME && tag != KHI_TAG_FRAMESET) {
        if (p->seen_body)
            return;
        for (size_t k = 0; k < p->depth; k++)
            if (p->open[k].tag == KHI_TAG_BODY || p->open[k].tag == KHI_TAG_HEAD)
                return;
        open_implied(p, KHI_TAG_BODY);
    }
}

/* libxml2's htmlCheckParagraph: text needs an element that holds text. */
static void check_paragraph(parser *p)
{
    const open_el *t = top_el(p);
    if (!t || t->tag == KHI_TAG_HTML || t->tag == KHI_TAG_HEAD) {
        auto_close(p, KHI_TAG_P);
        check_implied(p, KHI_TAG_P);
        open_implied(p, KHI_TAG_P);
    }
}

/* Appends text to the innermost open element (none: dropped). Text that
 * continues the last text node in the page's bytes extends it. */
static void append_text(parser *p, const char *text, size_t len)
{
    khi_dom_node *t = top(p);
    if (!t || !len || p->rc != KH_OK)
        return;
    khi_dom_node *last = t->last;
    if (last && last->type == KHI_DOM_TEXT && last->text + last->len == text &&
        (size_t)last->len + len <= UINT32_MAX) {
        last->len += (uint32_t)len;
        return;
    }
    khi_dom_node *nd = new_node(p, KHI_DOM_TEXT);
    if (!nd)
        return;
    nd->text = text;
    nd->len = (uint32_t)len;
    link_child(t, nd);
}

/* Where in s[from..to) a character libxml2 drops may start: a control
 * character other than tab, LF and CR, or 0xEF (U+FFFE and U+FFFF begin
 * with it); to when there is none. Eight bytes at a time: script and
 * style hold most of a page's bytes and rarely any of these. */
static size_t first_droppable(const unsigned char *s, size_t from, size_t to)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t k = from;
    for (; k + 8 <= to; k += 8) {
        uint64_t x, y;
        memcpy(&x, s + k, 8);
        y = x ^ (ones * 0xEF);
        /* a byte under 0x20, or a byte of 0xEF: exact as to whether any is */
        if (!(((x - ones * 0x20) & ~x & highs) | ((y - ones) & ~y & highs)))
            continue;
        for (size_t j = k; j < k + 8; j++)
            if (text_class[s[j]] >= 3)
                return j;
    }
    for (; k < to; k++)
        if (text_class[s[k]] >= 3)
            return k;
    return to;
}

/* Appends s[from..to) without the characters libxml2 drops. */
static void append_kept(parser *p, size_t from, size_t to)
{
    const unsigned char *s = p->s;
    size_t run = from, k = from;
    while ((k = first_droppable(s, k, to)) < to) {
        size_t d = dropped_at(s, to, k);
        if (!d) {
            k++;
            continue;
        }
        append_text(p, (const char *)s + run, k - run);
        k += d;
        run = k;
    }
    append_text(p, (const char *)s + run, to - run);
}

/* A copy of UTF-8 for cp in the arena. */
static void append_code_point(parser *p, uint32_t cp)
{
    char *u = kh_arena_alloc(p->arena, 4);
    if (!u) {
        p->rc = KH_E_NOMEM;
        return;
    }
    append_text(p, u, khi_utf8_encode(cp, u));
}

/* libxml2's areBlanks: is a run of blanks followed by byte next (-1 at the
 * end of the page) left out of the tree? */
static int blanks_dropped(const parser *p, int next)
{
    if (next < 0)
        return 1;
    if (next != '<')
        return 0;
    const open_el *t = top_el(p);
    if (!t || t->tag == KHI_TAG_HTML || t->tag == KHI_TAG_HEAD)
        return 1;
    if (t->tag == KHI_TAG_BODY && p->strict)
        return 1;
    const khi_dom_node *last = t->node->last;
    if (!last)
        return !(T.flags[t->tag] & F_PCDATA);
    if (last->type == KHI_DOM_TEXT)
        return 0;
    /* an element's or a processing instruction's name */
    return !(T.flags[last->tag] & F_PCDATA);
}

/* Text up to the next '<' or '&'. */
static void text_run(parser *p)
{
    const unsigned char *s = p->s;
    size_t n = p->n, i = p->i;
    const unsigned char *lt = memchr(s + i, '<', n - i);
    size_t e = lt ? (size_t)(lt - s) : n;
    const unsigned char *amp = memchr(s + i, '&', e - i);
    if (amp)
        e = (size_t)(amp - s);
    p->i = e;
    size_t k = i;
    while (k < e && is_blank(s[k]))
        k++;
    if (k < e && text_class[s[k]] >= 3) {
        /* a dropped character among the first: count what is kept */
        size_t kept = 0;
        int blank = 1;
        for (size_t j = i; j < e;) {
            size_t d = text_class[s[j]] >= 3 ? dropped_at(s, e, j) : 0;
            if (d) {
                j += d;
                continue;
            }
            blank &= is_blank(s[j]);
            kept++, j++;
        }
        if (!kept)
            return;
        k = blank ? e : i;
    }
    /* libxml2 hands text on in pieces of 1000 bytes, and a piece of blanks
     * with more text after it is not "blanks" */
    if (k == e && e - i < 1000 && blanks_dropped(p, e < n ? s[e] : -1))
        return;
    check_paragraph(p);
    append_kept(p, i, e);
}

/* A numeric reference at s[i] ("&#"): its code point, 0 for none; *end is
 * past it. */
static uint32_t char_ref(const unsigned char *s, size_t n, size_t i, size_t *end)
{
    uint32_t val = 0;
    size_t k = i + 2;
    if (k < n && (s[k] == 'x' || s[k] == 'X')) {
        for (k++; k < n && s[k] != ';'; k++) {
            int d = khi_hex_digit((char)s[k]);
            if (d < 0) break;
            if (val < 0x110000) val = val * 16 + (uint32_t)d;
        }
    } else {
        for (; k < n && s[k] != ';'; k++) {
            if (s[k] < '0' || s[k] > '9') break;
            if (val < 0x110000) val = val * 10 + (uint32_t)(s[k] - '0');
        }
    }
    if (k < n && s[k] == ';')
        k++;
    *end = k;
    return is_xml_char(val) ? val : 0;
}

/* An HTML 4 entity at s[i] ("&name;"): its code point, 0 for none, and
 * *end past its ';'. The common ones skip libxml2's linear table. */
static uint32_t entity_ref(const unsigned char *s, size_t n, size_t i, size_t *end)
{
    size_t k = i + 1;
    if (k >= n || !(is_alpha(s[k]) || s[k] == '_' || s[k] == ':'))
        return 0;
    size_t name = k;
    while (k < n && is_name_char(s[k]))
        k++;
    size_t len = k - name;
    if (k >= n || s[k] != ';' || len > 16)
        return 0;
    *end = k + 1;
    const char *nm = (const char *)s + name;
    switch (len) {
    case 2:
        if (!memcmp(nm, "lt", 2)) return '<';
        if (!memcmp(nm, "gt", 2)) return '>';
        break;
    case 3:
        if (!memcmp(nm, "amp", 3)) return '&';
        break;
    case 4:
        if (!memcmp(nm, "nbsp", 4)) return 0xA0;
        if (!memcmp(nm, "quot", 4)) return '"';
        if (!memcmp(nm, "apos", 4)) return '\'';
        break;
    default:
        break;
    }
    char key[17];
    memcpy(key, nm, len);
    key[len] = '\0';
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)key);
    return e ? e->value : 0;
}

static size_t parse_name(const unsigned char *s, size_t n, size_t i);

/* A reference in text at s[i] == '&'. An entity that is not one stays as
 * written, "&" and its name together: what follows the name is read on its
 * own (a blank run after it may be dropped). */
static void reference(parser *p)
{
    const unsigned char *s = p->s;
    size_t i = p->i, end = i + 1;
    if (i + 1 < p->n && s[i + 1] == '#') {
        uint32_t cp = char_ref(s, p->n, i, &end);
        p->i = end;
        if (cp) {
            check_paragraph(p);
            append_code_point(p, cp);
        }
        return;
    }
    uint32_t cp = entity_ref(s, p->n, i, &end);
    check_paragraph(p);
    if (cp) {
        p->i = end;
        append_code_point(p, cp);
        return;
    }
    size_t ne = parse_name(s, p->n, i + 1);
    p->i = ne;
    append_text(p, (const char *)s + i, ne - i);
}

/* An attribute value s[from..to) with its references decoded. A numeric
 * reference to no character ends the value, as libxml2's NUL does. */
static void attr_value(parser *p, size_t from, size_t to, khi_dom_attr *a)
{
    const unsigned char *s = p->s;
    const void *amp = from < to ? memchr(s + from, '&', to - from) : NULL;
    if (!amp) {
        a->value = (const char *)s + from;
        a->value_len = (uint32_t)(to - from);
        return;
    }
    char *out = kh_arena_alloc(p->arena, to - from + 1);
    if (!out) {
        p->rc = KH_E_NOMEM;
        a->value = "";
        a->value_len = 0;
        return;
    }
    size_t o = 0;
    int cut = 0;
    for (size_t k = from; k < to;) {
        if (s[k] != '&') {
            if (!cut) out[o++] = (char)s[k];
            k++;
            continue;
        }
        size_t end = k + 1;
        if (k + 1 < to && s[k + 1] == '#') {
            uint32_t cp = char_ref(s, to, k, &end);
            if (!cp) cut = 1;
            else if (!cut) o += khi_utf8_encode(cp, out + o);
            k = end;
            continue;
        }
        uint32_t cp = entity_ref(s, to, k, &end);
        if (cp) {
            if (!cut) o += khi_utf8_encode(cp, out + o);
            k = end;
        } else {
            if (!cut) out[o++] = '&';
            k++;
        }
    }
    a->value = out;
    a->value_len = (uint32_t)o;
}

/* An HTML name at s[i] (at most 100 bytes, as libxml2 reads it), its end. */
static size_t html_name(const unsigned char *s, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && k - i < 100 && is_name_char(s[k]))
        k++;
    return k;
}

static size_t skip_blanks(const unsigned char *s, size_t n, size_t i)
{
    while (i < n && is_blank(s[i]))
        i++;
    return i;
}

/* The HTML name s[i..e) lower-cased into buf (NUL-terminated), and its tag. */
static int lower_tag(const unsigned char *s, size_t i, size_t e, char buf[101])
{
    size_t len = e - i;
    for (size_t k = 0; k < len; k++)
        buf[k] = (char)(s[i + k] | (is_alpha(s[i + k]) ? 0x20 : 0));
    buf[len] = '\0';
    return lookup_tag(buf, len);
}

/* The tag of the HTML name s[i..e), and (name not NULL) the name itself:
 * the table's for a known tag, a lower-case copy in the arena for another. */
static int name_tag(parser *p, size_t i, size_t e, const char **name)
{
    char buf[101];
    size_t len = e - i;
    int tag = lower_tag(p->s, i, e, buf);
    if (!name)
        return tag;
    if (tag != KHI_TAG_OTHER) {
        *name = tag_names[tag];
    } else {
        *name = kh_arena_strndup(p->arena, buf, len);
        if (!*name) {
            p->rc = KH_E_NOMEM;
            *name = "";
        }
    }
    return tag;
}

/* A start tag at s[i] ('<' and a letter). */
static void start_tag(parser *p)
{
    const unsigned char *s = p->s;
    size_t n = p->n, k = p->i + 1;
    size_t e = html_name(s, n, k);
    if (++p->n_elements > p->lim.elements) {
        p->rc = KH_E_LIMIT;
        p->over = (khi_dom_over){ 'e', p->n_elements, p->i };
        return;
    }
    const char *name;
    int tag;
    if (p->early_at == p->i && p->early_end == e && p->early_tag != KHI_TAG_OTHER) {
        tag = p->early_tag; /* the look-ahead read the same name */
        name = tag_names[tag];
    } else {
        tag = name_tag(p, k, e, &name);
    }
    k = e;
    auto_close(p, tag);
    check_implied(p, tag);
    int discard = 0;
    if (tag == KHI_TAG_HTML && p->depth)
        discard = 1, p->discarded++;
    if (tag == KHI_TAG_HEAD && p->depth != 1)
        discard = 1, p->discarded++;
    if (tag == KHI_TAG_BODY)
        for (size_t d = 0; d < p->depth; d++)
            if (p->open[d].tag == KHI_TAG_BODY)
                discard = 1, p->discarded++;

    /* the attributes, up to '>' or "/>" */
    p->n_attrs = 0;
    size_t written = 0;
    k = skip_blanks(s, n, k);
    while (k < n && s[k] != '>' && !(s[k] == '/' && k + 1 < n && s[k + 1] == '>')) {
        if (is_alpha(s[k]) || s[k] == '_' || s[k] == ':' || s[k] == '.') {
            size_t an = k;
            k = html_name(s, n, k);
            written++;
            khi_dom_attr a = { (const char *)s + an, "", (uint32_t)(k - an), 0 };
            k = skip_blanks(s, n, k);
            if (k < n && s[k] == '=') {
                k = skip_blanks(s, n, k + 1);
                size_t from, to;
                if (k < n && (s[k] == '"' || s[k] == '\'')) {
                    from = k + 1;
                    const unsigned char *q = from < n ? memchr(s + from, s[k], n - from) : NULL;
                    to = q ? (size_t)(q - s) : n;
                    k = q ? to + 1 : n;
                } else {
                    from = k;
                    while (k < n && s[k] != '>' && !is_blank(s[k]))
                        k++;
                    to = k;
                }
                if (!discard)
                    attr_value(p, from, to, &a);
            }
            if (!discard && p->rc == KH_OK && written <= p->lim.attrs) {
                if (KHI_GROW(p->ctx, p->attrs, p->n_attrs, p->cap_attrs, 16) != KH_OK) {
                    p->rc = KH_E_NOMEM;
                    return;
                }
                p->attrs[p->n_attrs++] = a;
            }
        } else {
            /* not a name: skipped to a blank or the tag's end */
            while (k < n && !is_blank(s[k]) && s[k] != '>' &&
                   !(s[k] == '/' && k + 1 < n && s[k + 1] == '>'))
                k++;
        }
        k = skip_blanks(s, n, k);
    }
    p->n_attrs_total += written;
    if (written > p->lim.attrs || p->n_attrs_total > p->lim.attrs_total) {
        p->rc = KH_E_LIMIT;
        p->over = (khi_dom_over){ written > p->lim.attrs ? 'a' : 't', written, p->i };
        return;
    }
    if (!discard) {
        khi_dom_attr *attrs = NULL;
        if (p->n_attrs) {
            attrs = kh_arena_alloc(p->arena, p->n_attrs * sizeof *attrs);
            if (!attrs) {
                p->rc = KH_E_NOMEM;
                return;
            }
            memcpy(attrs, p->attrs, p->n_attrs * sizeof *attrs);
        }
        open_element(p, tag, name, attrs, p->n_attrs, k);
        if (p->rc != KH_OK)
            return;
    }
    if (k >= n) {
        /* no end to the start tag: the element is closed where the page ends */
        if (p->depth) p->depth--;
        p->i = n;
        return;
    }
    if (s[k] == '/') {
        /* "<x/>" closes the innermost element, the dropped tag's parent too */
        if (p->depth) p->depth--;
        p->i = k + 2;
        return;
    }
    p->i = k + 1;
    if (p->depth && (T.flags[top_el(p)->tag] & F_VOID))
        p->depth--;
}

/* An end tag at s[i] ("</"). */
static void end_tag(parser *p)
{
    const unsigned char *s = p->s;
    size_t n = p->n, k = p->i + 2;
    if (k >= n || !(is_alpha(s[k]) || s[k] == '_' || s[k] == ':' || s[k] == '.')) {
        p->i = k; /* "</" and no name: what follows is text */
        return;
    }
    size_t e = html_name(s, n, k);
    char buf[101];
    int tag = lower_tag(s, k, e, buf);
    k = skip_blanks(s, n, e);
    if (k < n && s[k] != '>') {
        const unsigned char *gt = memchr(s + k, '>', n - k);
        k = gt ? (size_t)(gt - s) : n;
    }
    p->i = k < n ? k + 1 : n;

    if (p->discarded && (tag == KHI_TAG_HTML || tag == KHI_TAG_BODY || tag == KHI_TAG_HEAD)) {
        p->discarded--;
        return;
    }
    size_t d = p->depth;
    int prio = T.priority[tag];
    while (d && !same_element(&p->open[d - 1], tag, buf)) {
        if (T.priority[p->open[d - 1].tag] > prio)
            return; /* it may not close an element that ranks higher */
        d--;
    }
    if (!d)
        return; /* no such element is open */
    p->depth = d - 1;
}

/* Raw text of <script> or <style> up to "</script" / "</style". */
static void raw_text(parser *p)
{
    const unsigned char *s = p->s;
    const char *name = top_el(p)->name;
    size_t nl = strlen(name), n = p->n, k = p->i;
    for (;;) {
        const unsigned char *lt = k < n ? memchr(s + k, '<', n - k) : NULL;
        if (!lt) {
            k = n;
            break;
        }
        k = (size_t)(lt - s);
        if (k + 1 < n && s[k + 1] == '/' && k + 2 + nl <= n &&
            !strncasecmp((const char *)s + k + 2, name, nl))
            break;
        k++;
    }
    append_kept(p, p->i, k);
    p->i = k;
}

/* Comments, processing instructions and DOCTYPE: where each ends, as
 * libxml2 reads them (an unterminated one runs to the end of the page). */
static size_t past(const unsigned char *s, size_t n, size_t i, unsigned char c)
{
    const unsigned char *q = i < n ? memchr(s + i, c, n - i) : NULL;
    return q ? (size_t)(q - s) + 1 : n;
}

static size_t skip_comment(const unsigned char *s, size_t n, size_t i)
{
    /* "-->" or "--!>", the dashes at i + 4 or later */
    for (size_t k = i + 4;;) {
        const unsigned char *d = k < n ? memchr(s + k, '-', n - k) : NULL;
        if (!d)
            return n;
        k = (size_t)(d - s);
        if (k + 2 < n && s[k + 1] == '-' && s[k + 2] == '>')
            return k + 3;
        if (k + 3 < n && s[k + 1] == '-' && s[k + 2] == '!' && s[k + 3] == '>')
            return k + 4;
        k++;
    }
}

/* A name at s[i] (a processing instruction's target, an entity's name, a
 * DOCTYPE's), as libxml2's htmlParseName reads it: its end, or i for none.
 * An ASCII name that runs to the end of the page is none; one followed by a
 * byte past ASCII is read again as a Unicode name (letters, digits,
 * combining marks, extenders). */
static size_t parse_name(const unsigned char *s, size_t n, size_t i)
{
    size_t k = i;
    if (k < n && (is_alpha(s[k]) || s[k] == '_' || s[k] == ':')) {
        for (k++; k < n && is_name_char(s[k]); k++)
            ;
        if (k == n)
            return i;
        if (s[k] < 0x80)
            return k;
    }
    for (k = i; k < n;) {
        uint32_t c;
        size_t l = khi_utf8_decode(s + k, n - k, &c);
        if (!l)
            break;
        int letter = xmlIsBaseCharQ(c) || xmlIsIdeographicQ(c);
        if (k == i ? !(letter || c == '_' || c == ':')
                   : !(letter || xmlIsDigitQ(c) || c == '.' || c == '-' || c == '_' || c == ':' ||
                       xmlIsCombiningQ(c) || xmlIsExtenderQ(c)))
            break;
        k += l;
    }
    return k;
}

static size_t skip_pi(const unsigned char *s, size_t n, size_t i)
{
    size_t k = parse_name(s, n, i + 2);
    return k == i + 2 ? k : past(s, n, k, '>');
}

/* A processing instruction in the content: a node under the open element
 * when it has a target and an end, since it decides which blanks after it
 * libxml2 keeps. */
static void pi(parser *p)
{
    const unsigned char *s = p->s;
    size_t n = p->n, i = p->i, k = parse_name(s, n, i + 2);
    p->i = skip_pi(s, n, i);
    if (k == i + 2 || (k < n && s[k] != '>' && !memchr(s + k, '>', n - k)) || k >= n)
        return;
    khi_dom_node *t = top(p);
    if (!t) {
        if (!p->doc_first) p->doc_first = 2;
        return;
    }
    khi_dom_node *nd = new_node(p, KHI_DOM_PI);
    if (!nd)
        return;
    nd->name = kh_arena_strndup(p->arena, (const char *)s + i + 2, k - i - 2);
    if (!nd->name) {
        p->rc = KH_E_NOMEM;
        return;
    }
    /* compared as written: "<?P ...?>" is no "p" */
    nd->tag = (uint8_t)lookup_tag(nd->name, k - i - 2);
    link_child(t, nd);
}

static int word_ci(const unsigned char *s, size_t n, size_t i, const char *w)
{
    for (; *w; w++, i++)
        if (i >= n || (s[i] | 0x20) != (unsigned char)*w)
            return 0;
    return 1;
}

/* A quoted literal at s[i]: where it ends, its text in *from..*to. */
static size_t literal(const unsigned char *s, size_t n, size_t i, size_t *from, size_t *to)
{
    *from = *to = i;
    if (i >= n || (s[i] != '"' && s[i] != '\''))
        return i;
    const unsigned char *q = i + 1 < n ? memchr(s + i + 1, s[i], n - i - 1) : NULL;
    *from = i + 1;
    *to = q ? (size_t)(q - s) : n;
    return q ? *to + 1 : n;
}

static void doctype(parser *p)
{
    const unsigned char *s = p->s;
    size_t n = p->n;
    size_t k = skip_blanks(s, n, p->i + 9);
    k = skip_blanks(s, n, parse_name(s, n, k));
    size_t from = 0, to = 0, f2, t2;
    /* only the first DOCTYPE counts: libxml2 keeps the first one's DTD,
     * which becomes the document's first node */
    int first = !p->seen_doctype;
    p->seen_doctype = 1;
    if (first)
        p->doc_first = 2;
    if (word_ci(s, n, k, "system")) {
        k = literal(s, n, skip_blanks(s, n, k + 6), &f2, &t2);
    } else if (word_ci(s, n, k, "public")) {
        k = skip_blanks(s, n, literal(s, n, skip_blanks(s, n, k + 6), &from, &to));
        k = literal(s, n, k, &f2, &t2);
        static const char *const strict[] = { "-//W3C//DTD HTML 4.01//EN", "-//W3C//DTD HTML 4//EN" };
        for (size_t j = 0; j < 2 && first; j++)
            if (to - from == strlen(strict[j]) &&
                !strncasecmp((const char *)s + from, strict[j], to - from))
                p->strict = 1;
    }
    p->i = past(s, n, k, '>');
}

static int at_doctype(const parser *p)
{
    return p->i + 1 < p->n && p->s[p->i] == '<' && p->s[p->i + 1] == '!' &&
           word_ci(p->s, p->n, p->i + 2, "doctype");
}

static void content(parser *p)
{
    const unsigned char *s = p->s;
    size_t n = p->n;
    while (p->rc == KH_OK && p->i < n) {
        size_t i = p->i;
        unsigned char c1 = i + 1 < n ? s[i + 1] : 0;
        if (s[i] == '<' && c1 == '/') {
            end_tag(p);
            continue;
        }
        if (s[i] == '<' && (is_alpha(c1) || c1 == '_' || c1 == ':') && p->depth) {
            /* the name as far as libxml2 looks ahead (no '.'), looked up
             * only when the open element is one a start tag may close */
            if (T.close_bit[top_el(p)->tag]) {
                size_t e = i + 1;
                while (e < n && e - i - 1 < 100 && is_name_char(s[e]) && s[e] != '.')
                    e++;
                int tag = name_tag(p, i + 1, e, NULL);
                p->early_at = i;
                p->early_end = e;
                p->early_tag = tag;
                if (closes(tag, top_el(p))) {
                    auto_close(p, tag);
                    continue;
                }
            }
        }
        if (p->depth && (T.flags[top_el(p)->tag] & F_RAW)) {
            raw_text(p);
            continue;
        }
        if (at_doctype(p)) {
            doctype(p);
            if (p->i >= n)
                break;
        }
        i = p->i;
        c1 = i + 1 < n ? s[i + 1] : 0;
        if (s[i] == '<') {
            if (c1 == '!' && i + 3 < n && s[i + 2] == '-' && s[i + 3] == '-') {
                p->i = skip_comment(s, n, i);
                if (!p->depth && !p->doc_first) p->doc_first = 2;
            }
            else if (c1 == '?')
                pi(p);
            else if (is_alpha(c1))
                start_tag(p);
            else {
                append_text(p, (const char *)s + i, 1); /* '<' as text, no paragraph */
                p->i = i + 1;
            }
        } else if (s[i] == '&') {
            reference(p);
        } else {
            text_run(p);
        }
    }
}

kh_status khi_dom_parse(kh_ctx *ctx, kh_arena *arena, const char *html, size_t len,
                        const khi_dom_limits *lim, khi_dom_node **root, khi_dom_over *over)
{
    tables();
    *root = NULL;
    memset(over, 0, sizeof *over);
    const unsigned char *s = (const unsigned char *)html;
    const unsigned char *nul = len ? memchr(s, 0, len) : NULL;
    if (nul)
        len = (size_t)(nul - s);
    parser p = { 0 };
    p.ctx = ctx;
    p.arena = arena;
    p.s = s;
    p.n = len;
    p.lim = *lim;
    p.early_at = SIZE_MAX;
    p.max_depth = lim->depth ? lim->depth : 1;
    p.rc = KH_OK;

    /* what comes before the content: a byte order mark, blanks, comments,
     * processing instructions and a DOCTYPE */
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        p.i = 3;
    for (int round = 0; round < 2; round++) {
        p.i = skip_blanks(s, len, p.i);
        for (;;) {
            size_t i = p.i;
            if (i + 3 < len && s[i] == '<' && s[i + 1] == '!' && s[i + 2] == '-' && s[i + 3] == '-')
                p.i = skip_comment(s, len, i);
            if (p.i + 1 < len && s[p.i] == '<' && s[p.i + 1] == '?') {
                size_t at = p.i, k = parse_name(s, len, at + 2);
                p.i = skip_pi(s, len, at);
                if (k > at + 2 && k < len && (s[k] == '>' || memchr(s + k, '>', len - k)))
                    p.doc_first = 2;
            }
            if (p.i > i && s[i] == '<' && s[i + 1] == '!')
                p.doc_first = 2;
            if (p.i == i)
                break;
            p.i = skip_blanks(s, len, p.i);
        }
        if (round == 0 && at_doctype(&p))
            doctype(&p);
    }
    content(&p);

    kh_free(ctx, p.open, p.cap_open * sizeof *p.open);
    kh_free(ctx, p.attrs, p.cap_attrs * sizeof *p.attrs);
    if (p.rc == KH_E_LIMIT)
        *over = p.over;
    if (p.rc != KH_OK)
        return p.rc;
    *root = p.root;
    return KH_OK;
}

const char *khi_dom_get_attr(const khi_dom_node *n, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (uint32_t k = 0; k < n->n_attrs; k++) {
        const khi_dom_attr *a = &n->attrs[k];
        if (a->name_len == nl && !strncasecmp(a->name, name, nl)) {
            *len = a->value_len;
            return a->value;
        }
    }
    *len = 0;
    return NULL;
}
