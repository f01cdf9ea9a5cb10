/*
 * kh_dom.h — the HTML tree the cleaner walks, built by khabar's own parser.
 *
 * khi_dom_parse() builds the tree that libxml2's HTML parser (2.9.14, in
 * recover mode, without blank text nodes) builds from the same bytes: the
 * same implied <html>/<head>/<body>/<p>, the same elements closed by a new
 * start tag or by a misplaced end tag, the same raw text in <script> and
 * <style>, the same character references decoded. The cleaner was tuned on
 * that tree, so it is kept; what changes is the cost. libxml2 allocates
 * every node, name and text with malloc and checks each character through
 * its input layer; here a page costs one forward pass, nodes come from the
 * caller's arena, and text and attribute values point into the page itself
 * unless a reference had to be decoded.
 *
 * Comments and DOCTYPE are skipped. A NUL byte ends the page.
 */
#ifndef KH_DOM_H
#define KH_DOM_H

#include "kh_internal.h"

/* The elements the parser's rules and the cleaner name (the parser treats
 * those its rules do not name, rt and rp for one, as any other element). Any
 * other element is KHI_TAG_OTHER and carries its own (lower-case) name. */
#define KHI_DOM_TAGS(X)                                                                    \
    X(A, "a") X(ABBR, "abbr") X(ACRONYM, "acronym") X(ADDRESS, "address")                  \
    X(APPLET, "applet") X(AREA, "area") X(ARTICLE, "article") X(ASIDE, "aside")            \
    X(AUDIO, "audio") X(B, "b") X(BASE, "base") X(BASEFONT, "basefont") X(BDO, "bdo")      \
    X(BIG, "big") X(BLOCKQUOTE, "blockquote") X(BODY, "body") X(BR, "br")                  \
    X(BUTTON, "button") X(CANVAS, "canvas") X(CAPTION, "caption") X(CENTER, "center")      \
    X(CITE, "cite") X(CODE, "code") X(COL, "col") X(COLGROUP, "colgroup") X(DD, "dd")      \
    X(DEL, "del") X(DFN, "dfn") X(DIALOG, "dialog") X(DIR, "dir") X(DIV, "div")            \
    X(DL, "dl") X(DT, "dt") X(EM, "em") X(EMBED, "embed") X(FIELDSET, "fieldset")          \
    X(FIGCAPTION, "figcaption") X(FIGURE, "figure") X(FONT, "font") X(FOOTER, "footer")    \
    X(FORM, "form") X(FRAME, "frame") X(FRAMESET, "frameset") X(H1, "h1") X(H2, "h2")      \
    X(H3, "h3") X(H4, "h4") X(H5, "h5") X(H6, "h6") X(HEAD, "head") X(HEADER, "header")    \
    X(HR, "hr") X(HTML, "html") X(I, "i") X(IFRAME, "iframe") X(IMG, "img")                \
    X(INPUT, "input") X(INS, "ins") X(ISINDEX, "isindex") X(KBD, "kbd") X(LABEL, "label")  \
    X(LEGEND, "legend") X(LI, "li") X(LINK, "link") X(LISTING, "listing") X(MAIN, "main")  \
    X(MAP, "map") X(MENU, "menu") X(META, "meta") X(NAV, "nav") X(NOFRAMES, "noframes")    \
    X(NOSCRIPT, "noscript") X(OBJECT, "object") X(OL, "ol") X(OPTGROUP, "optgroup")        \
    X(OPTION, "option") X(P, "p") X(PARAM, "param") X(PRE, "pre") X(Q, "q") X(RP, "rp")    \
    X(RT, "rt") X(S, "s")                                                                  \
    X(SAMP, "samp") X(SCRIPT, "script") X(SECTION, "section") X(SELECT, "select")          \
    X(SMALL, "small") X(SPAN, "span") X(STRIKE, "strike") X(STRONG, "strong")              \
    X(STYLE, "style") X(SUB, "sub") X(SUP, "sup") X(SVG, "svg") X(TABLE, "table")          \
    X(TBODY, "tbody") X(TD, "td") X(TEMPLATE, "template") X(TEXTAREA, "textarea")          \
    X(TFOOT, "tfoot") X(TH, "th") X(THEAD, "thead") X(TIME, "time") X(TITLE, "title")      \
    X(TR, "tr") X(TT, "tt") X(U, "u") X(UL, "ul") X(VAR, "var") X(VIDEO, "video")          \
    X(XMP, "xmp")

enum {
    KHI_TAG_OTHER = 0,
#define KHI_DOM_TAG_ENUM(id, name) KHI_TAG_##id,
    KHI_DOM_TAGS(KHI_DOM_TAG_ENUM)
#undef KHI_DOM_TAG_ENUM
    KHI_TAG_COUNT_
};

/* Node types. A processing instruction ("<?xml ...?>" inside the body, as
 * pasted SVG brings) is kept, named by its target, only because libxml2's
 * rule for blanks looks at it; it holds nothing. */
enum { KHI_DOM_ELEMENT = 1, KHI_DOM_TEXT = 2, KHI_DOM_PI = 3 };

/* An attribute as written: its name in any case (HTML names are compared
 * without case), its value with references decoded; "" when it has none. */
typedef struct khi_dom_attr {
    const char *name;
    const char *value;
    uint32_t name_len;
    uint32_t value_len;
} khi_dom_attr;

typedef struct khi_dom_node khi_dom_node;
struct khi_dom_node {
    khi_dom_node *parent, *first, *last, *next;
    const char *name;    /* element: its lower-case name, NUL-terminated; PI: its target */
    const char *text;    /* text: len bytes of UTF-8, not NUL-terminated */
    uint32_t len;
    uint32_t n_attrs;
    khi_dom_attr *attrs; /* element: in the order written, the first of a name wins */
    uintptr_t mark;      /* free for the caller (the walk's sizes) */
    uint8_t type;        /* KHI_DOM_* */
    uint8_t tag;         /* element: KHI_TAG_* */
};

/* The work budget of one page (KH_LIMIT_HTML_*): start tags, attributes
 * on one start tag and in the page, elements open at once. */
typedef struct khi_dom_limits {
    size_t elements, attrs, attrs_total, depth;
} khi_dom_limits;

/* Which limit a page passed: 'e' start tags, 'a' attributes on one start
 * tag (count is how many it has), 't' attributes in the page, 'd' depth;
 * at is the byte offset of the start tag (for 'd', where the parse was). */
typedef struct khi_dom_over {
    int what;
    size_t count, at;
} khi_dom_over;

/*
 * Parses html[0..len) into a tree whose root (the <html> element, implied
 * when the page has none; NULL for a page with no content) goes to *root.
 * Nodes and decoded strings are allocated in arena; other strings point
 * into html, which must outlive the tree. The first limit of lim the page
 * passes, in page order, stops the parse: KH_E_LIMIT, with what and where
 * in *over (no message is set). Time and memory are linear in len for a
 * fixed depth limit (an end tag searches at most the open elements).
 * @return KH_OK, KH_E_NOMEM or KH_E_LIMIT.
 */
kh_status khi_dom_parse(kh_ctx *ctx, kh_arena *arena, const char *html, size_t len,
                        const khi_dom_limits *lim, khi_dom_node **root, khi_dom_over *over);

/* The value of n's attribute name (lower-case ASCII), its length in *len;
 * NULL when n has no such attribute. The value is not NUL-terminated. */
const char *khi_dom_get_attr(const khi_dom_node *n, const char *name, size_t *len);

/* KHI_TAG_* of a lower-case element name of len bytes. */
int khi_dom_tag(const char *name, size_t len);

#endif
