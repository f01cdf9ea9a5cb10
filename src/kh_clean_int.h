/*
 * kh_clean_int.h — what the cleaner's files (kh_clean.c, kh_html.c,
 * kh_date.c) share: the block a page is cut into, the facts HTML markup
 * gives for free, and calendar helpers.
 */
#ifndef KH_CLEAN_INT_H
#define KH_CLEAN_INT_H

#include "kh_internal.h"

/* Block kinds: where a block came from. */
enum {
    KHI_BLK_LINE = 0,  /* a line of a text page */
    KHI_BLK_P,         /* <p>, <div>, <td> and other HTML blocks */
    KHI_BLK_HEADING,   /* <h1>..<h6> */
    KHI_BLK_LI,        /* <li>, <dt>, <dd> */
    KHI_BLK_PRE        /* <pre>, <blockquote> */
};

/* One unit of classification: a line of a text page or an HTML block.
 * text is trimmed valid UTF-8 (it may be empty: a blank line). */
typedef struct khi_block {
    const char *text;
    size_t len;
    size_t link_len;    /* bytes of text inside <a> (HTML) */
    unsigned char kind; /* KHI_BLK_* */
    unsigned char in_header; /* (HTML) inside <header> */
    uint32_t box;       /* (HTML) the block element holding its text; see khi_html_meta */
} khi_block;

/* What an HTML page says about itself. Strings live in the arena. */
typedef struct khi_html_meta {
    const char *title_tag;  /* <title> */
    const char *og_title;   /* og:title / twitter:title */
    const char *h1;         /* first <h1> */
    const char *h1_last;    /* its last part, when split in elements (kicker, headline) */
    unsigned n_h1;          /* <h1> elements outside boilerplate */
    const char *site_name;  /* og:site_name / application-name */
    const char *published;  /* article:published_time, <time datetime>, ... */
    int published_time;     /* published came from <time datetime> */
    const char *time_published; /* the first <time datetime> outside a <blockquote> */
    const char *author;     /* <meta name="author"> */
    const char *ld_published; /* JSON-LD datePublished (dateCreated), @graph too */
    const char *item_published; /* the first itemprop="datePublished" of any element */
    const char *url;        /* og:url / canonical link */
    const char *lang;       /* <html lang> */
    /* The tree of block elements ("boxes") the walk entered, numbered in
     * document order from 1 (0 is the page itself): box_parent[b] is the
     * box around box b, always a smaller number; n_boxes counts box 0. So
     * the blocks of one box's subtree are one run of consecutive blocks. */
    const uint32_t *box_parent;
    size_t n_boxes;
} khi_html_meta;

/*
 * Parses HTML (kh_dom.c) and cuts it into blocks: script, style, nav,
 * footer, aside, form controls and the like are dropped; block elements and
 * <br> end a block; link text is counted per block. Blocks and strings are
 * allocated in arena; the tree in scratch, which the caller may reset once
 * this returns (it may be arena itself). meta NULL reads the blocks alone
 * (observing a page needs nothing else).
 * where names the page in error messages ("a.html", "b.jsonl:12").
 * @return KH_OK, KH_E_NOMEM, KH_E_TOOBIG, or KH_E_LIMIT for a page past one
 *         of the KH_LIMIT_HTML_* limits of ctx (nothing is parsed then, or
 *         the parse is dropped).
 */
kh_status khi_html_blocks(kh_ctx *ctx, kh_arena *arena, kh_arena *scratch, const char *html,
                          size_t html_len, const char *where, khi_block **blocks,
                          size_t *n_blocks, khi_html_meta *meta);

/* Finds the first date in text (see kh_date_parse()) and where it is. */
kh_status khi_date_find(const char *text, size_t text_len, const char *ref_iso, char *out,
                        size_t out_size, size_t *match_start, size_t *match_end);

/* Folds one code point for matching: Latin lower-cased and stripped of
 * French accents, Arabic alef forms -> ا, ى -> ي, ة -> ه, Persian ک ی ->
 * ك ي; returns 0 for marks to drop (tashkeel, tatweel). */
uint32_t khi_fold_letter(uint32_t c);
/* Non-zero for a letter (Latin, Latin-1/Extended-A/B, Arabic), tashkeel
 * and tatweel included (they sit inside words). */
int khi_is_letter(uint32_t c);
/* 0-9 for ASCII, Arabic-Indic and Persian digits; -1 otherwise. */
int khi_digit_value(uint32_t c);

#endif /* KH_CLEAN_INT_H */
