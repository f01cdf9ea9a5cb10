/*
 * kh_clean.c — finds the article in a crawled page: body paragraphs, title,
 * date, publisher and dateline.
 *
 * Idea. A page is cut into blocks (lines of a text page; paragraphs of an
 * HTML page, see kh_html.c). Each block gets features, as in jusText
 * (Pomikálek 2011) and trafilatura: words, stopword density of the page's
 * language (sampled on a line's first words), sentence punctuation, link
 * density, URLs, copyright and form marks, dates on short lines, menus
 * ("a | b | c"), repetition inside the page, and repetition across a batch
 * of pages (cc_net style: each normalized line hashed, counted once per
 * page, per site and corpus-wide, in a bounded table filled by
 * kh_cleaner_observe(); a page's site is its record's source, its URL's
 * host, or the holder of its copyright line). The features give each block
 * a score, positive for prose and negative for boilerplate; runs of short
 * unpunctuated lines (lists of other headlines) are pushed down together;
 * headings that close an article ("Comments", "Related", "الأكثر قراءة")
 * are walls.
 *
 * The body is then the contiguous run of blocks with the largest total
 * score (a maximum-sum segment, as in Finn's Body Text Extraction): short
 * lines inside the article (an update time, a one-line quote) are kept
 * because the lines around them pay for them, and short lines at its edges
 * are dropped unless they are a dateline just before it ("عمّان ـ صحيفة
 * الأفق") or an attribution just after it ("«الأفق»", "المصدر:
 * وكالات") — jusText's context pass, in its simplest form. Blocks inside
 * the run that are certainly not body (the title again, repeated
 * boilerplate, URLs, copyright, advertisement markers, short lines that are
 * all link, captions) are left out, and so is a last paragraph that names
 * the site itself (an author blurb). Closing headings ("Comments",
 * "Related", "Das könnte Sie auch interessieren") are walls, except a
 * related box set between two paragraphs; past one, prose counts for less,
 * so comments do not outweigh the article. For HTML, the run then grows to
 * the rest of the smallest element around its prose when that element
 * holds little else (box_extend): the short lines of the article itself,
 * a subheading, a list of facts, that the scores alone drop.
 *
 * The title is the pre-body line that best matches the body's words (light
 * stems), helped by how often the page repeats it (crawled pages show the
 * headline two or three times, also as "T T"); for HTML, <h1> when
 * <title>/og:title contain it, else og:title or <title> with the site's
 * name cut (" | site", " - site", "site - "). Sources are taken, strongest
 * first, from the record, og:site_name, an "المصدر:"/"Source:" line above
 * the body, a dateline's outlet, an attribution after the body, a name
 * printed beside the site's domain, a copyright line's holder (shortened to
 * the site name the page shows on top), then the URL's host. A news agency
 * is recorded as the dateline's agency, never as the publisher.
 *
 * The date is the record's, else the markup's (JSON-LD datePublished, in
 * @graph too, then meta tags, itemprop="datePublished" and <time>), else a
 * dated line near the body: one marked as the publication's ("Veröffentlicht
 * am", "Posted on", "Publié le", "نشر في") above the body, at its head or
 * just below it, else the first dated line of the 60 above the body (then of
 * the page's top), else a short line at the body's head; else a full day in
 * the URL's path. A UTC stamp yields to the same moment written with the
 * publisher's offset elsewhere in the markup, or to the URL's day one day
 * off (both carry the publisher's day); any stamp days after the URL's day
 * yields to it (a re-publication). Stamps that disagree are settled by the
 * short dated line printed right above the body or at its head: the stamp
 * with its day wins, else that line. A dated line the URL's day
 * contradicts gives way to the URL.
 *
 * Invariant: kh_clean_doc() reads the document and writes only into its
 * arena (and doc->lang); the cleaner's own memory is scratch reused from
 * page to page, plus the repetition table whose size is fixed at creation.
 *
 * Repetition table: open addressing, linear probing, capacity a power of
 * two; it stops taking new keys at 3/4 full, so memory is fixed.
 *
 *   keys[i]   : uint64  xxh3(normalized line) ^ salt   (0 = empty slot)
 *   counts[i] : uint32  pages holding that line
 *   salt      : 0 for corpus-wide counts; mix(source) for per-source counts;
 *               mix(source) ^ DOCS_SALT with key 0 counts a source's pages
 */
#include "kh_clean_int.h"
#include "kh_text_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define DEFAULT_MAX_LINES ((size_t)262144)
#define DOCS_SALT 0x9e3779b97f4a7c15ull
#define WORD_BUF 64
#define STOP_SAMPLE 32
#define NSTAMPS 4

/* Per-block facts. */
typedef struct line_info {
    const char *text;
    size_t len;
    uint64_t key;           /* xxh3 of the folded letters and digits; 0 = none */
    uint32_t nw;            /* words */
    uint32_t nstop;         /* stopwords among them */
    uint32_t nletters, ndigits;
    size_t link_len;
    unsigned char kind, in_header;
    unsigned char end_punct;   /* ends like a sentence */
    unsigned char inner_punct; /* commas / semicolons inside */
    unsigned char url;         /* is (mostly) a URL, domain or e-mail */
    unsigned char copyright;
    unsigned char form;        /* form label: "Name *", "Security Code*" */
    unsigned char readmore;    /* "Read also: ...", "اقرأ أيضا" */
    unsigned char boiler;      /* recurs across pages */
    unsigned char in_list;     /* in a run of headline-like lines */
    unsigned char announced;   /* an item of a list a sentence announces */
    unsigned char body;
    unsigned char dated;       /* short line holding a date: metadata */
    unsigned char piped;       /* "a | b | c": a menu or a meta line */
    uint64_t half_key;         /* key of the first half when the line is "T T" */
    uint32_t klen;             /* bytes of the folded key */
    unsigned char bad_utf8;    /* holds an invalid UTF-8 sequence */
    unsigned char closer;      /* "Comments", "Related", "الأكثر قراءة": the article is over */
    unsigned char never;       /* "Advertisement", "إعلان", a caption, a byline: never body */
    unsigned char byline;      /* "By X", "كتب X": names the author */
    int page_rep;              /* lines of this page with the same key */
    uint32_t box;              /* (HTML) block element holding it, see khi_html_meta */
    double score;
} line_info;

/* A piece of a line: a name found in it. */
typedef struct found {
    const char *p;
    size_t len;
} found;

struct kh_cleaner {
    kh_ctx *ctx;
    int have_stopwords;
    unsigned page_sw;       /* KHI_SW_* bit of the page being cleaned; 0: no stoplist */
    int has_fetch;
    char fetch[KH_DATE_ISO_MAX];
    uint64_t *keys;
    uint32_t *counts;
    size_t cap, used, max_used;
    uint64_t docs;
    kh_buf scratch;
    kh_arena *tree;         /* an HTML page's tree, dropped before the next page */
    /* HTML pages' blocks and facts as observing worked them out, for
     * kh_clean_doc(): each page is then parsed once (see memo_find) */
    kh_arena *memo;
    struct page_memo *memo_tab;
    size_t memo_cap, memo_n;
    int memo_off;           /* khi_cleaner_memo(): every page parsed twice */
    uint64_t memo_hits;
    kh_arena **memo_more;   /* forks' memo arenas, adopted with their entries */
    size_t n_more, cap_more, more_bytes;
    const struct kh_cleaner *memo_parent; /* a fork reads its parent's memo too */
    line_info *lines;
    size_t lines_cap;
    uint64_t *tmp;
    size_t tmp_cap;
    int shared;             /* a fork: keys and counts are the parent's */
};

/* ---- dates in the URL ------------------------------------------------------ */

static int url_num(const char *p, size_t min, size_t max, long *v, const char **end)
{
    size_t k = 0;
    long x = 0;
    while (k < max && p[k] >= '0' && p[k] <= '9') x = x * 10 + (p[k++] - '0');
    if (k < min || (p[k] >= '0' && p[k] <= '9')) return 0;
    *v = x;
    *end = p + k;
    return 1;
}

/* A full day in a URL's path: /2020/02/19/, /2020/2/19/, /2020-02-19-slug,
 * /2012-06/04/. Year and month alone say no day, so they give nothing, nor
 * does a slug that opens with a number ("/2023/10/3-fragen-an-...", the
 * third in October's slugs). */
static int url_date(const char *url, char iso[KH_DATE_ISO_MAX])
{
    const char *p = url ? strstr(url, "://") : NULL;
    if (!p) return 0;
    p = strchr(p + 3, '/');
    for (; p && *p && *p != '?' && *p != '#'; p++) {
        if (*p != '/' && *p != '-' && *p != '_') continue;
        long y, m, d;
        const char *e;
        if (!url_num(p + 1, 4, 4, &y, &e) || (*e != '/' && *e != '-')) continue;
        char sep = *e;
        if (!url_num(e + 1, 1, 2, &m, &e) || (*e != sep && !(sep == '-' && *e == '/'))) continue;
        sep = *e;
        if (!url_num(e + 1, 1, 2, &d, &e) ||
            (*e && *e != '/' && *e != '.' && *e != '?' && *e != '#' &&
             (sep == '/' || (*e != '-' && *e != '_'))))
            continue;
        if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) continue;
        if (d > khi_days_in_month((int)y, (int)m))
            continue; /* no 31 February */
        /* the ranges are checked above; the remainders say so to the
         * compiler's format-truncation check */
        snprintf(iso, KH_DATE_ISO_MAX, "%04u-%02u-%02u", (unsigned)(y % 10000),
                 (unsigned)(m % 100), (unsigned)(d % 100));
        return 1;
    }
    return 0;
}

/* Does a markup timestamp say UTC ("Z", "+00:00", "+0000")? Then its day is
 * the server's, not the publisher's, near midnight. */
static int utc_stamp(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    while (n && s[n - 1] == ' ') n--;
    if (n >= 11 && (s[n - 1] == 'Z' || s[n - 1] == 'z')) return 1;
    return (n >= 6 && !memcmp(s + n - 6, "+00:00", 6)) || (n >= 5 && !memcmp(s + n - 5, "+0000", 5));
}

/* Does a markup timestamp carry a non-zero UTC offset ("+01:00", "-0500")?
 * Then its day is the publisher's own. */
static int offset_stamp(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    while (n && s[n - 1] == ' ') n--;
    if (n < 16) return 0;
    const char *e = s + n;
    int colon = e[-3] == ':';
    const char *sign = e - (colon ? 6 : 5);
    if (*sign != '+' && *sign != '-') return 0;
    for (const char *p = sign + 1; p < e; p++)
        if (!(*p >= '0' && *p <= '9') && !(colon && p == e - 3)) return 0;
    return !(sign[1] == '0' && sign[2] == '0' && e[-2] == '0' && e[-1] == '0');
}

/* Days since 1970-01-01 of an ISO date "YYYY-MM-DD...". */
static long iso_days(const char *iso)
{
    return khi_days_from_civil((int)strtol(iso, NULL, 10), (int)strtol(iso + 5, NULL, 10),
                               (int)strtol(iso + 8, NULL, 10));
}

/* ---- the cleaner ------------------------------------------------------- */

/* ---- pages observed, kept for cleaning -------------------------------------- */

/* An HTML page's blocks and facts, by the hash of its bytes. Observing and
 * cleaning both need the page cut into blocks, and the parse and walk were
 * most of each; the cut depends on the page alone (and the work budget), so
 * observing keeps it and cleaning takes it. The memo holds at most
 * MEMO_BYTES; past that it starts over (what it dropped is parsed again).
 * The pages a run observes are cleaned soon after, in the same order. */
#define MEMO_BYTES ((size_t)64 << 20)

typedef struct page_memo {
    XXH128_hash_t hash; /* of the page's bytes; low64 0: an empty slot */
    size_t len;
    khi_block *blocks;
    size_t n_blocks;
    khi_html_meta meta;
    uint64_t budget;    /* the work budget it was cut within (memo_budget) */
} page_memo;

/* The KH_LIMIT_HTML_* limits in one number: a page cut within one budget
 * is cut again when the caller has changed them (it may now be over). */
static uint64_t memo_budget(kh_ctx *ctx)
{
    size_t lim[4] = { kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS, 0),
                      kh_ctx_limit(ctx, KH_LIMIT_HTML_ATTRS_TOTAL, 0),
                      kh_ctx_limit(ctx, KH_LIMIT_HTML_ELEMENTS, 0),
                      kh_ctx_limit(ctx, KH_LIMIT_HTML_DEPTH, 0) };
    return XXH3_64bits(lim, sizeof lim);
}

static void memo_clear(kh_cleaner *c)
{
    if (c->memo) kh_arena_reset(c->memo);
    if (c->memo_tab) memset(c->memo_tab, 0, c->memo_cap * sizeof *c->memo_tab);
    c->memo_n = 0;
    for (size_t i = 0; i < c->n_more; i++) kh_arena_free(c->memo_more[i]);
    c->n_more = 0;
    c->more_bytes = 0;
}

static XXH128_hash_t memo_hash(const char *content, size_t len)
{
    XXH128_hash_t h = XXH3_128bits(content, len);
    if (!h.low64) h.low64 = 1;
    return h;
}

static page_memo *memo_slot(const kh_cleaner *c, XXH128_hash_t h, size_t len)
{
    if (!c->memo_cap) return NULL;
    for (size_t i = (size_t)h.low64 & (c->memo_cap - 1);; i = (i + 1) & (c->memo_cap - 1)) {
        page_memo *m = &c->memo_tab[i];
        if (!m->hash.low64 || (XXH128_isEqual(m->hash, h) && m->len == len)) return m;
    }
}

/* The memo of a page cut within the current work budget, or NULL: a fork
 * looks in its own, then in its parent's (which nobody writes while forks
 * live). */
static const page_memo *memo_find(const kh_cleaner *c, const char *content, size_t len)
{
    if (c->memo_off || (!c->memo_n && !(c->memo_parent && c->memo_parent->memo_n))) return NULL;
    XXH128_hash_t h = memo_hash(content, len);
    for (const kh_cleaner *k = c; k; k = k->memo_parent) {
        page_memo *m = k->memo_n && !k->memo_off ? memo_slot(k, h, len) : NULL;
        if (m && m->hash.low64) return m->budget == memo_budget(c->ctx) ? m : NULL;
    }
    return NULL;
}

/* Room in the table for extra more entries (it stays at most half full). */
static kh_status memo_grow(kh_cleaner *c, size_t extra)
{
    if ((c->memo_n + extra) * 2 <= c->memo_cap) return KH_OK;
    size_t ncap = c->memo_cap ? c->memo_cap : 1024;
    while ((c->memo_n + extra) * 2 > ncap) ncap *= 2;
    page_memo *old = c->memo_tab, *nt = kh_malloc(c->ctx, ncap * sizeof *nt);
    KHI_RETURN_IF(!nt, KH_E_NOMEM);
    memset(nt, 0, ncap * sizeof *nt);
    size_t ocap = c->memo_cap;
    c->memo_tab = nt;
    c->memo_cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].hash.low64) *memo_slot(c, old[i].hash, old[i].len) = old[i];
    kh_free(c->ctx, old, ocap * sizeof *old);
    return KH_OK;
}

/* Room for one more page: the memo's arena, and the table; the memo
 * starts over when it holds MEMO_BYTES. KH_E_NOMEM. */
static kh_status memo_room(kh_cleaner *c)
{
    /* a fork's memo outlives the fork's context once its parent adopts it:
     * it takes its blocks from the parent's (the allocator is the same) */
    if (!c->memo)
        KHI_FORWARD_IF_ERROR(kh_arena_create(c->memo_parent ? c->memo_parent->ctx : c->ctx, &c->memo));
    if (kh_arena_footprint(c->memo) + c->more_bytes > MEMO_BYTES) memo_clear(c);
    return memo_grow(c, 1);
}

void khi_cleaner_memo_adopt(kh_cleaner *c, kh_cleaner *fork)
{
    if (!fork->memo || !fork->memo_n || c->memo_off) return;
    size_t bytes = kh_arena_footprint(fork->memo);
    if (bytes > MEMO_BYTES) return;
    if ((c->memo ? kh_arena_footprint(c->memo) : 0) + c->more_bytes + bytes > MEMO_BYTES)
        memo_clear(c);
    if (KHI_GROW(c->ctx, c->memo_more, c->n_more, c->cap_more, 8) != KH_OK) return;
    /* the table first, whole: on a failure nothing is half adopted */
    if (memo_grow(c, fork->memo_n) != KH_OK) return;
    for (size_t i = 0; i < fork->memo_cap; i++) {
        page_memo *f = &fork->memo_tab[i];
        if (!f->hash.low64) continue;
        page_memo *m = memo_slot(c, f->hash, f->len);
        if (!m->hash.low64) c->memo_n++;
        *m = *f;
    }
    c->memo_more[c->n_more++] = fork->memo;
    c->more_bytes += bytes;
    fork->memo = NULL;
    memset(fork->memo_tab, 0, fork->memo_cap * sizeof *fork->memo_tab);
    fork->memo_n = 0;
}

/* Copies s into a, NULL staying NULL. */
static const char *memo_str(kh_arena *a, const char *s, kh_status *rc)
{
    if (!s || *rc != KH_OK) return NULL;
    const char *d = kh_arena_strndup(a, s, strlen(s));
    if (!d) *rc = KH_E_NOMEM;
    return d;
}

/* The memo's blocks and facts copied into the document's arena a: what the
 * page's article keeps must live as long as the document, not the memo. */
static kh_status memo_take(const page_memo *m, kh_arena *a, khi_block **blocks,
                           khi_html_meta *meta)
{
    kh_status rc = KH_OK;
    khi_block *b = kh_arena_alloc(a, (m->n_blocks ? m->n_blocks : 1) * sizeof *b);
    KHI_RETURN_IF(!b, KH_E_NOMEM);
    for (size_t i = 0; i < m->n_blocks; i++) {
        b[i] = m->blocks[i];
        b[i].text = kh_arena_strndup(a, m->blocks[i].text, m->blocks[i].len);
        KHI_RETURN_IF(!b[i].text, KH_E_NOMEM);
    }
    *meta = m->meta;
    meta->title_tag = memo_str(a, m->meta.title_tag, &rc);
    meta->og_title = memo_str(a, m->meta.og_title, &rc);
    meta->h1 = memo_str(a, m->meta.h1, &rc);
    meta->h1_last = memo_str(a, m->meta.h1_last, &rc);
    meta->site_name = memo_str(a, m->meta.site_name, &rc);
    meta->published = memo_str(a, m->meta.published, &rc);
    /* published may be time_published itself: keep them one string */
    meta->time_published = m->meta.time_published == m->meta.published
                               ? meta->published : memo_str(a, m->meta.time_published, &rc);
    meta->author = memo_str(a, m->meta.author, &rc);
    meta->ld_published = memo_str(a, m->meta.ld_published, &rc);
    meta->item_published = memo_str(a, m->meta.item_published, &rc);
    meta->url = memo_str(a, m->meta.url, &rc);
    meta->lang = memo_str(a, m->meta.lang, &rc);
    KHI_FORWARD_IF_ERROR(rc);
    if (m->meta.n_boxes) {
        uint32_t *bp = kh_arena_alloc(a, m->meta.n_boxes * sizeof *bp);
        KHI_RETURN_IF(!bp, KH_E_NOMEM);
        memcpy(bp, m->meta.box_parent, m->meta.n_boxes * sizeof *bp);
        meta->box_parent = bp;
    }
    *blocks = b;
    return KH_OK;
}

uint64_t khi_cleaner_memo(kh_cleaner *c, int on)
{
    c->memo_off = !on;
    return c->memo_hits;
}

kh_status kh_cleaner_create(kh_ctx *ctx, size_t max_lines, kh_cleaner **out)
{
    *out = NULL;
    if (!max_lines)
        max_lines = DEFAULT_MAX_LINES;
    size_t cap = 1024;
    while (cap < max_lines && cap < ((size_t)1 << 40))
        cap <<= 1;
    kh_cleaner *c = kh_malloc(ctx, sizeof *c);
    KHI_RETURN_IF(!c, KH_E_NOMEM);
    memset(c, 0, sizeof *c);
    c->ctx = ctx;
    c->cap = cap;
    c->keys = kh_malloc(ctx, cap * sizeof *c->keys);
    c->counts = kh_malloc(ctx, cap * sizeof *c->counts);
    if (!c->keys || !c->counts) {
        kh_cleaner_free(c);
        KHI_RETURN_IF(1, KH_E_NOMEM);
    }
    c->max_used = cap / 4 * 3;
    memset(c->keys, 0, cap * sizeof *c->keys);
    kh_buf_init(&c->scratch, ctx, kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 0));
    c->have_stopwords = kh_is_stopword(KH_LANG_AR, "في", strlen("في")) &&
                        kh_is_stopword(KH_LANG_EN, "the", 3);
    *out = c;
    return KH_OK;
}

/* Cleaning reads the observed counts and writes only its own scratch, so
 * a fork with its own scratch and ctx cleans beside its parent's other
 * forks in other threads. */
kh_status khi_cleaner_fork(const kh_cleaner *parent, kh_ctx *ctx, kh_cleaner **out)
{
    *out = NULL;
    kh_cleaner *c = kh_malloc(ctx, sizeof *c);
    KHI_RETURN_IF(!c, KH_E_NOMEM);
    *c = *parent;
    c->ctx = ctx;
    c->shared = 1;
    c->tree = NULL;
    c->memo = NULL;
    c->memo_tab = NULL;
    c->memo_cap = c->memo_n = 0;
    c->memo_more = NULL;
    c->n_more = c->cap_more = c->more_bytes = 0;
    c->memo_parent = parent;
    kh_buf_init(&c->scratch, ctx, kh_ctx_limit(ctx, KH_LIMIT_DOCUMENT, 0));
    c->lines = NULL;
    c->lines_cap = 0;
    c->tmp = NULL;
    c->tmp_cap = 0;
    *out = c;
    return KH_OK;
}

void kh_cleaner_free(kh_cleaner *c)
{
    if (!c)
        return;
    kh_ctx *ctx = c->ctx;
    if (!c->shared) {
        kh_free(ctx, c->keys, c->cap * sizeof *c->keys);
        kh_free(ctx, c->counts, c->cap * sizeof *c->counts);
    }
    kh_buf_free(&c->scratch);
    kh_arena_free(c->tree);
    memo_clear(c);
    kh_arena_free(c->memo);
    kh_free(ctx, c->memo_tab, c->memo_cap * sizeof *c->memo_tab);
    kh_free(ctx, c->memo_more, c->cap_more * sizeof *c->memo_more);
    kh_free(ctx, c->lines, c->lines_cap * sizeof *c->lines);
    kh_free(ctx, c->tmp, c->tmp_cap * sizeof *c->tmp);
    kh_free(ctx, c, sizeof *c);
}

void kh_cleaner_reset(kh_cleaner *c)
{
    memset(c->keys, 0, c->cap * sizeof *c->keys);
    c->used = 0;
    c->docs = 0;
    memo_clear(c);
}

kh_status kh_cleaner_set_fetch_date(kh_cleaner *c, const char *iso)
{
    if (!iso) {
        c->has_fetch = 0;
        return KH_OK;
    }
    char out[KH_DATE_ISO_MAX];
    size_t l = strlen(iso), s = 0, e = 0;
    if (l < 10 || l >= KH_DATE_ISO_MAX ||
        khi_date_find(iso, l, NULL, out, sizeof out, &s, &e) != KH_OK || s != 0 || iso[4] != '-')
        return kh_ctx_error(c->ctx, KH_E_ARG, "fetch date '%s': want YYYY-MM-DD[THH:MM]", iso);
    memcpy(c->fetch, iso, l + 1);
    c->has_fetch = 1;
    return KH_OK;
}

const char *kh_clean_warning_text(unsigned flag)
{
    switch (flag) {
    case KH_CLEAN_W_EMPTY: return "empty page";
    case KH_CLEAN_W_NO_BODY: return "no article body found";
    case KH_CLEAN_W_ALL_LINKS: return "page is all links";
    case KH_CLEAN_W_UNKNOWN_LANG: return "unknown language";
    }
    return "";
}

/* ---- repetition table -------------------------------------------------- */

static void rep_add(kh_cleaner *c, uint64_t key)
{
    if (!key) key = 1;
    size_t mask = c->cap - 1, i = (size_t)khi_mix64(key) & mask;
    while (c->keys[i]) {
        if (c->keys[i] == key) {
            if (c->counts[i] < UINT32_MAX) c->counts[i]++;
            return;
        }
        i = (i + 1) & mask;
    }
    if (c->used >= c->max_used)
        return;
    c->keys[i] = key;
    c->counts[i] = 1;
    c->used++;
}

static uint32_t rep_get(const kh_cleaner *c, uint64_t key)
{
    if (!key) key = 1;
    size_t mask = c->cap - 1, i = (size_t)khi_mix64(key) & mask;
    while (c->keys[i]) {
        if (c->keys[i] == key)
            return c->counts[i];
        i = (i + 1) & mask;
    }
    return 0;
}

/* ---- text helpers ------------------------------------------------------ */

static int is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x200B ||
           c == 0x200E || c == 0x200F || c == 0xFEFF || c == 0x202A || c == 0x202B ||
           c == 0x202C || c == 0x2009 || c == 0x202F || c == 0x3000 || c == 0x061C;
}

/* Trims white space (ASCII and Unicode) at both ends. */
static void trim(const char **text, size_t *len)
{
    const unsigned char *s = (const unsigned char *)*text;
    size_t a = 0, b = *len;
    while (a < b) {
        uint32_t cp;
        size_t k = khi_utf8_decode(s + a, b - a, &cp);
        if (!k || !is_space_cp(cp)) break;
        a += k;
    }
    while (b > a) {
        size_t p = b - 1;
        while (p > a && (s[p] & 0xC0) == 0x80) p--;
        uint32_t cp;
        size_t k = khi_utf8_decode(s + p, b - p, &cp);
        if (!k || !is_space_cp(cp)) break;
        b = p;
    }
    *text += a;
    *len = b - a;
}

/* A character of the matching key: a digit as ASCII, a letter folded, 0
 * for anything else (dropped). */
static uint32_t fold_char(uint32_t cp)
{
    int dv = khi_digit_value(cp);
    return dv >= 0 ? (uint32_t)('0' + dv) : khi_is_letter(cp) ? khi_fold_letter(cp) : 0;
}

/* Appends the folded letters and digits of text (the matching key) to out. */
static kh_status fold_append(kh_buf *out, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = khi_utf8_decode(s + i, len - i, &cp);
        if (!k) { i++; continue; }
        i += k;
        uint32_t f = fold_char(cp);
        if (f) {
            char enc[4];
            KHI_FORWARD_IF_ERROR(kh_buf_append(out, enc, khi_utf8_encode(f, enc)));
        }
    }
    return KH_OK;
}

/* Folds a short text into buf (letters and digits only); returns its length,
 * or 0 when it does not fit. */
static size_t fold_small(const char *text, size_t len, char *buf, size_t cap)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = khi_utf8_decode(s + i, len - i, &cp);
        if (!k) { i++; continue; }
        i += k;
        uint32_t f = fold_char(cp);
        if (!f) continue;
        char enc[4];
        size_t el = khi_utf8_encode(f, enc);
        if (o + el > cap) return 0;
        memcpy(buf + o, enc, el);
        o += el;
    }
    return o;
}

/* Folds text into buf as " w1 w2 ... " (words of letters and digits,
 * single spaces, one at each end); returns the length, 0 when too long. */
static size_t fold_words(const char *text, size_t len, char *buf, size_t cap)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, o = 0;
    if (cap < 2) return 0;
    buf[o++] = ' ';
    while (i < len) {
        uint32_t cp;
        size_t k = khi_utf8_decode(s + i, len - i, &cp);
        if (!k) { i++; continue; }
        i += k;
        int dv = khi_digit_value(cp);
        uint32_t f = dv >= 0 ? (uint32_t)('0' + dv) : khi_is_letter(cp) ? khi_fold_letter(cp) : ' ';
        if (!f) continue;
        if (f == ' ' && buf[o - 1] == ' ') continue;
        char enc[4];
        size_t el = khi_utf8_encode(f, enc);
        if (o + el + 1 > cap) return 0;
        memcpy(buf + o, enc, el);
        o += el;
    }
    if (buf[o - 1] != ' ') buf[o++] = ' ';
    return o;
}

static int mem_find(const char *hay, size_t hl, const char *needle, size_t nl)
{
    if (!nl || nl > hl) return 0;
    for (size_t i = 0; i + nl <= hl; i++)
        if (hay[i] == needle[0] && !memcmp(hay + i, needle, nl)) return 1;
    return 0;
}

static const char *find_sub(const char *text, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    if (!nl || nl > len) return NULL;
    unsigned char lastb = (unsigned char)needle[nl - 1];
    const char *p = text + nl - 1, *end = text + len;
    while (p < end && (p = memchr(p, lastb, (size_t)(end - p))) != NULL) {
        if (memcmp(p - (nl - 1), needle, nl) == 0) return p - (nl - 1);
        p++;
    }
    return NULL;
}

static int has_sub(const char *text, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    if (!nl || nl > len) return 0;
    /* Search on the needle's last byte: for Arabic it is rarer than the
     * lead byte 0xD8/0xD9 every letter starts with. */
    unsigned char lastb = (unsigned char)needle[nl - 1];
    const char *p = text + nl - 1, *end = text + len;
    while (p < end && (p = memchr(p, lastb, (size_t)(end - p))) != NULL) {
        if (memcmp(p - (nl - 1), needle, nl) == 0) return 1;
        p++;
    }
    return 0;
}

/* has_sub() with every byte compared as (byte | 0x20): ASCII letters in
 * any case. Candidates are found as has_sub() finds them, by the needle's
 * last byte, here in both of its forms: lines are classified against dozens
 * of phrases, and a byte-by-byte scan made this the cleaner's hottest loop. */
static int has_sub_ci(const char *text, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    if (!nl || nl > len) return 0;
    unsigned char hi = (unsigned char)(needle[nl - 1] | 0x20), lo = (unsigned char)(hi & ~0x20);
    const char *p = text + nl - 1, *end = text + len;
    const char *next_hi = NULL, *next_lo = NULL;
    while (p < end) {
        if (!next_hi || next_hi < p) {
            next_hi = memchr(p, hi, (size_t)(end - p));
            if (!next_hi) next_hi = end;
        }
        if (!next_lo || next_lo < p) {
            next_lo = memchr(p, lo, (size_t)(end - p));
            if (!next_lo) next_lo = end;
        }
        p = next_hi < next_lo ? next_hi : next_lo;
        if (p >= end) break;
        const char *q = p - (nl - 1);
        size_t j = 0;
        while (j < nl && (q[j] | 0x20) == (needle[j] | 0x20)) j++;
        if (j == nl) return 1;
        p++;
    }
    return 0;
}

static int starts_with(const char *text, size_t len, const char *prefix)
{
    size_t pl = strlen(prefix);
    return len >= pl && memcmp(text, prefix, pl) == 0;
}

/* starts_with(), ASCII letters in any case */
static int starts_with_ci(const char *text, size_t len, const char *prefix)
{
    size_t pl = strlen(prefix);
    return len >= pl && has_sub_ci(text, pl, prefix);
}

/* The last code point of text, skipping closing quotes and brackets. */
static uint32_t last_meaningful(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t b = len;
    while (b > 0) {
        size_t p = b - 1;
        while (p > 0 && (s[p] & 0xC0) == 0x80) p--;
        uint32_t cp;
        if (!khi_utf8_decode(s + p, b - p, &cp)) return 0;
        if (cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0xBB || cp == 0x201D ||
            cp == 0x2019 || cp == 0x201C || cp == 0xAB || cp == ' ' || cp == 0xA0 || cp == '*') {
            b = p;
            continue;
        }
        return cp;
    }
    return 0;
}

/* Han ideographs and kana. */
static int is_cjk(uint32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

static int is_end_punct(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x061F || cp == 0x2026 || cp == 0x06D4 ||
           cp == 0x3002;
}

/* A bare URL, domain or e-mail ("www.example.com", "https://...", "a@b.c"). */
static int looks_like_url(const char *t, size_t len)
{
    if (starts_with(t, len, "http://") || starts_with(t, len, "https://") ||
        starts_with(t, len, "www."))
        return 1;
    if (len > 80)
        return 0;
    /* one token of [a-z0-9.-@_/] holding a dot followed by 2+ letters */
    int dot = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (ch == ' ')
            return 0;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '-' || ch == '_' || ch == '@' || ch == '/' || ch == ':'))
            return 0;
        if (ch == '.' && i + 2 < len && ((t[i + 1] | 0x20) >= 'a' && (t[i + 1] | 0x20) <= 'z'))
            dot = 1;
    }
    return dot;
}

/* ---- per-line analysis ------------------------------------------------- */

/* Decodes one code point of valid UTF-8 (the content was checked), with
 * the one- and two-byte forms (ASCII, Arabic, Latin-1) inline. */
static inline size_t dec_checked(const unsigned char *s, size_t len, uint32_t *cp, int *bad)
{
    unsigned ch = s[0];
    if (ch < 0x80) { *cp = ch; return 1; }
    if (ch >= 0xC2 && ch < 0xE0 && len >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((ch & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    size_t k = khi_utf8_decode(s, len, cp);
    if (!k) { *cp = ' '; k = 1; *bad = 1; }
    return k;
}

static inline size_t dec(const unsigned char *s, size_t len, uint32_t *cp)
{
    int bad = 0;
    return dec_checked(s, len, cp, &bad);
}

/* Appends cp's UTF-8 bytes at dst[*pos] (room for 4 is the caller's). */
static inline void put_utf8(char *dst, size_t *pos, uint32_t cp)
{
    size_t p = *pos;
    if (cp < 0x80) {
        dst[p++] = (char)cp;
    } else if (cp < 0x800) {
        dst[p++] = (char)(0xC0 | (cp >> 6));
        dst[p++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        dst[p++] = (char)(0xE0 | (cp >> 12));
        dst[p++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[p++] = (char)(0x80 | (cp & 0x3F));
    } else {
        dst[p++] = (char)(0xF0 | (cp >> 18));
        dst[p++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        dst[p++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[p++] = (char)(0x80 | (cp & 0x3F));
    }
    *pos = p;
}

/* Classifies cp: returns its folded form (0 to drop) and sets *kind to 0
 * (not part of a word), 1 (letter) or 2 (digit). Fast paths for ASCII and
 * the basic Arabic block. */
static inline uint32_t classify(uint32_t cp, int *kind)
{
    if (cp < 0x80) {
        if (cp >= '0' && cp <= '9') { *kind = 2; return cp; }
        if (cp >= 'a' && cp <= 'z') { *kind = 1; return cp; }
        if (cp >= 'A' && cp <= 'Z') { *kind = 1; return cp + 32; }
        *kind = 0;
        return cp;
    }
    if (cp >= 0x0621 && cp <= 0x063A) {
        *kind = 1;
        switch (cp) {
        case 0x0622: case 0x0623: case 0x0625: return 0x0627;
        case 0x0629: return 0x0647;
        }
        return cp;
    }
    if (cp >= 0x0641 && cp <= 0x064A) {
        *kind = 1;
        return cp == 0x0649 ? 0x064A : cp;
    }
    int dv = khi_digit_value(cp);
    if (dv >= 0) { *kind = 2; return (uint32_t)('0' + dv); }
    if (khi_is_letter(cp)) { *kind = 1; return khi_fold_letter(cp); }
    *kind = 0;
    return cp;
}

/* Headings that close an article: what follows them is comments, other
 * stories or site furniture. Folded as fold_words() writes them. */
static const char *const closers[] = {
    " comments ", " comment ", " leave a comment ", " leave a reply ", " related ",
    " related articles ", " related stories ", " related news ", " related topics ",
    " read more ", " more from ", " more on this story ", " most read ", " most popular ",
    " top stories ", " you may also like ", " recommended ", " tags ",
    " commentaires ", " a lire aussi ", " lire aussi ", " sur le meme sujet ", " les plus lus ",
    " dans la meme rubrique ", " vous aimerez aussi ",
    " تعليقات ", " التعليقات ", " اضف تعليقك ", " اضف تعليق ", " اخبار ذات صله ",
    " مواضيع ذات صله ", " مقالات ذات صله ", " المقالات ذات الصله ", " اقرا ايضا ", " اقرا المزيد ",
    " الاكثر قراءه ", " الاكثر مشاهده ", " الكلمات المفتاحيه ", " كلمات مفتاحيه ",
    " اخترنا لك ", " قد يهمك ايضا ",
    " kommentare ", " kommentar schreiben ", " schreibe einen kommentar ",
    " hinterlasse einen kommentar ", " leserkommentare ", " mehr zum thema ", " lesen sie auch ",
    " das konnte sie auch interessieren ", " das konnte dich auch interessieren ",
    " ahnliche beitrage ", " ahnliche artikel ", " verwandte artikel ", " verwandte beitrage ",
    " weitere artikel ", " weitere beitrage ", " weitere themen ", " neueste artikel ",
    " meistgelesen ", " meistgelesene artikel ", " auch interessant ", " schlagworte ",
    " uber den autor ", " uber die autorin ", " about the author ", " see also ",
    " reader interactions ", " read next ", " trending ", " laisser un commentaire ",
    " articles similaires ", " noticias relacionadas ", " te puede interesar ",
    " tambien te puede interesar ", " mas noticias ", " comentarios ",
    " weitere interessante themen ", " verwandte themen ", " verwandte themenbereiche ",
    " die beliebtesten produkte ", " more stories ", " more news ", " you might also like ",
    " related posts ", " a lire egalement ", " recent posts ", " popular posts ", " notas relacionadas ",
    " schon gelesen ", " related coverage ", " weitere beitrage zu diesem artikel ", " mehr lesen uber ",
    " mira tambien ", " informate mas ", " otras noticias ", " empfohlen fur dich ", " meist gelesen ",
    " etiquetas ", " write a comment ", " beliebte beitrage zum thema ",
    " das thema konnte dich auch interessieren ", " interessantes aus unserem ",
    " neueste beitrage ", " derniers articles ", NULL,
};

/* Lines that are never body, wherever they stand. */
static const char *const never_body[] = {
    " advertisement ", " sponsored ", " publicite ", " اعلان ", " اعلانات ", " مساحه اعلانيه ",
    " share ", " share this article ", " partager ", " شارك ", " شارك الخبر ", " تابعنا ",
    " follow us ", " empfohlener redaktioneller inhalt ", " weitere informationen ",
    " ansprechpartner ", " inhaltsverzeichnis ", " quellen ausblenden ", " markiert mit ",
    " meist gesucht ", " externer inhalt ", " zum shop ", " kommentieren ", " originalpublikation ",
    " zusatzinformationen ", " quellenangaben ", " contexto de la noticia ", " release date ",
    " table of contents ", " sommaire ", " rezept drucken ", " bild anzeigen bild schliessen ",
    " jetzt spenden ", " mehr erfahren ", " entdecken sie jetzt ", " sponsoren und partner ",
    " zuruck zur ubersicht ", " drucken ", " pdf version ", " print ", " imprimer ", " imprimir ",
    " zur startseite ", " zuruck zum lexikon ", " ausgabe kaufen ", " buch bestellen ",
    " kostenlos registrieren und weiterlesen ", " schon registriert hier einloggen ",
    " was passiert mit meinen daten ", " sie wollen mehr von uns ", " dieser artikel gefallt ihnen ",
    " en savoir plus ", " info zur bewertung ", " hier kostenlos anmelden ", " vorheriges weiter ",
    " die aktuelle ausgabe ", " von ", " artikel ", " whitepaper ", NULL,
};

/* Lines that open with these describe a picture or credit it ("Foto: X",
 * "FILE PHOTO: ..."): never body, however long. As written, case kept:
 * "Bild:" opens a caption, "Bild" a sentence. */
static const char *const caption_marks[] = {
    "Foto:", "Fotos:", "FOTO:", "Photo:", "Photos:", "PHOTO:", "Bild:", "Bilder:", "Image:",
    "Image caption", "Imagen:", "Foto/", "FILE PHOTO", "File photo", "Photograph:", "Abbildung:",
    "Abb.:", "Grafik:", "Illustration:", "Bildunterschrift:", "(Credit:", "(credit:", "(Cr\xC3\xA9" "dito:",
    "(cr\xC3\xA9" "dito:", "Bild via",
    "Photograph by", "Photo by", "Foto von", "Credit:", "Credits:", "Bildquelle", "Fotoquelle",
    "Crédit photo", "Crédits photo", "(Foto:", "(Photo:", "(Bild:", "Titelbild:", "Titelfoto:",
    "Beitragsbild:", "Symbolbild:", "Symbolfoto:", "Featured image:", "صورة:", "الصورة:",
    "صورة أرشيفية", NULL,
};

/* Bylines and credits ("By X", "Par X", "Reporting by X; Editing by Y",
 * "كتب X", "حوار: X"): never body. The short marks ("By ", "Von ") open
 * sentences too, so they count only on a short line with no sentence end. */
static const char *const byline_long[] = {
    "Reporting by", "Writing by", "Editing by", "Additional reporting", "Compiled by",
    "Text:", "Texte:", "Autor:", "Autorin:", "Auteur:", "Redaktion:", "حوار:", "إعداد:",
    "بقلم:", "تقرير:", "ترجمة:", NULL,
};
static const char *const byline_short[] = {
    "By ", "BY ", "Von ", "VON ", "Par ", "PAR ", "Written by", "Text von", "Ein Beitrag von",
    "كتب ", "كتبت ", "بقلم ", NULL,
};

/* A link to another story set inside the article, at the start of a
 * line: "Lesen Sie auch: <headline>". As written, case kept. */
static const char *const read_more_marks[] = {
    "Auch lesen:", "Lesen Sie auch:", "Lesen Sie hier:", "Lies auch:", "Le puede interesar:",
    "Puedes ver:", "PUEDES VER:", "Lee tambi\xC3\xA9n:", "LEA TAMBI\xC3\x89N:", "Read also:",
    "Read more:", "READ MORE:", "See also:", "Related:", "Lire aussi :", "Lire aussi:", "A lire aussi :",
    "\xC3\x80 lire aussi :", "Leia tamb\xC3\xA9m:", NULL,
};

/* Share prompts, at the start of a short line ("Share this story", "Artikel
 * teilen", "شارك هذا الخبر"). */
static const char *const share_marks[] = {
    "Share this", "Share on", "Share:", "Teilen", "Artikel teilen", "Beitrag teilen",
    "Diesen Artikel teilen", "Diese Seite teilen", "Partager", "Partagez", "شارك", "شاركها",
    "Teile diesen", "Compartir", "Comparte", NULL,
};

/* The line a blog theme prints under every post ("This entry was posted
 * in News. Bookmark the permalink.", "Dieser Beitrag wurde am ...
 * veröffentlicht und unter ... abgelegt"): never body. */
static const char *const post_meta_marks[] = {
    "This entry was posted", "This post was posted", "Posted in ", "Filed under",
    "Dieser Beitrag wurde", "Der Beitrag wurde am", "Ce billet a \xC3\xA9t\xC3\xA9 publi\xC3\xA9",
    "Cette entr\xC3\xA9" "e a \xC3\xA9t\xC3\xA9 publi\xC3\xA9" "e", "Esta entrada fue publicada",
    "Aktualisiert am", "Zuletzt aktualisiert", "Last updated", "Updated on", "Mis \xC3\xA0 jour le",
    "getaggt mit", "Getaggt mit", "Ver\xC3\xB6" "ffentlicht in:", "Comment by ", "Next post",
    "Dieser Eintrag wurde", "Kategorie:", "Kategorien:", "Category:", "Categories:", "Design von ",
    "Theme by ", "Powered by ", "Disclaimer:",
    "Previous post", "Vorheriger Beitrag", "N\xC3\xA4" "chster Beitrag",
    "ANZEIGE", "Anzeige -", NULL,
};

/* What an outlet prints in every article to ask for a subscription, a
 * donation or a letter, or to disclose its advertising (matched anywhere,
 * any case): never body. */
static const char *const outlet_prompts[] = {
    "to view the full story", "to continue reading", "pour lire la suite",
    "pour acc\xC3\xA9" "der en illimit\xC3\xA9", "access to the full article", "support our work",
    "rely on your support", "consider supporting", "letter to the editor", "unterst\xC3\xBCtzen sie unsere arbeit",
    "advertising disclosure", "advertising disclaimer", "affiliate link", "eine provision vom",
    "ggf. eine provision",
    /* and asks to be followed, or its app downloaded */
    "follow us on", "on twitter and instagram", "on twitter and facebook", "like us on facebook",
    "folgen sie uns", "folge uns auf", "suivez-nous", "s\xC3\xADguenos en", "already a subscriber",
    "subscribe to our", "lust auf mehr?", "gef\xC3\xA4llt dir unser", "nuestro canal de youtube",
    "download our app", "download the app", "تابعونا على", "تابعنا على", "حمل تطبيق", "حمّل تطبيق",
    /* a comment form's notes */
    "will not be published", "required fields are marked", "wird nicht ver\xC3\xB6" "ffentlicht",
    "erforderliche felder sind", "ne sera pas publi\xC3\xA9" "e", "no ser\xC3\xA1 publicad",
    "لن يتم نشر",
    /* and the consent under a sign-up form */
    "ich akzeptiere die datenschutz", "mit der anmeldung stimme ich", "i agree to the privacy",
    "by signing up, you agree",
    /* a login, rating or notification prompt */
    "sie m\xC3\xBCssen sich einloggen", "eingeloggt sein", "loggen sie sich", "para comentar debes",
    "must be logged in", "log in to comment", "bewerten sie diesen artikel", "rate this article",
    "den artikel teilen", "benachrichtigung aktivieren", "for the full story",
    /* a cookie notice, or an embed that waits for consent */
    "verwendung von cookies", "cookies erleichtern", "use of cookies", "this website uses cookies",
    "utiliza cookies", "utilise des cookies", "ohne dein einverst\xC3\xA4ndnis",
    "ohne ihr einverst\xC3\xA4ndnis", "um den inhalt von",
    /* the outlet's disclaimers and appeals */
    "gibt die meinung des autors wieder", "n'engagent que leurs auteurs",
    "angaben ohne gew\xC3\xA4hr", "one or more of our advertisers", "we may receive compensation",
    "dieser beitrag enth\xC3\xA4lt werbung", "jede kleine spende", "form des journalismus",
    "verpasse keine", "direkt in dein postfach", "direkt in ihr postfach", "straight to your inbox",
    /* a blog's machinery: spam filter, follow-up mails, licence, theme */
    "uses akismet", "verwendet akismet", "notify me when new comments", "notify me of follow-up",
    "notify me of new posts", "benachrichtige mich \xC3\xBC" "ber", "um neue beitr\xC3\xA4ge per e-mail",
    "abonnieren sie kostenlos", "never miss our", "licensed under a creative commons",
    "unter einer creative commons", "powered by wordpress", "protected by recaptcha",
    "push notifications", "push-benachrichtigungen", "comments are moderated",
    "we ask that comments", "hinterlassen sie eine antwort", "antwort abbrechen",
    "mit der verarbeitung meiner daten", "ihr beitrag hilft", "vergiss nicht zu teilen",
    "jetzt teilen", "sign up to get the best", "besuchen sie unseren fan-shop",
    "per e-mail informiert", "wir verwenden cookies", "we use cookies", "you are using a browser",
    "enter your email", "receive a daily list", "rss-feed abonnieren", "get regular updates",
    "subscription will auto renew", "ausgaben gratis", "einfach hier klicken",
    "informiert werden willst", NULL,
};

static int has_any_ci(const char *t, size_t len, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (has_sub_ci(t, len, list[i])) return 1;
    return 0;
}

/* The outlet prompts by the first three bytes they open with (each byte
 * | 0x20, as has_sub_ci() compares), so that a line is read once instead
 * of once per prompt. Built on first use; read-only after. */
#define PROMPT_BUCKETS 1024
static struct {
    uint16_t head[PROMPT_BUCKETS]; /* 1 + the first prompt of a bucket, 0 none */
    uint16_t next[256];            /* 1 + the bucket's next prompt, 0 none */
    uint8_t len[256];
} prompt_index;
static pthread_once_t prompt_once = PTHREAD_ONCE_INIT;

static unsigned prompt_bucket(const char *t)
{
    uint32_t k = (uint32_t)(unsigned char)(t[0] | 0x20) |
                 (uint32_t)(unsigned char)(t[1] | 0x20) << 8 |
                 (uint32_t)(unsigned char)(t[2] | 0x20) << 16;
    return (k * 2654435761u) >> 22;
}

static void build_prompt_index(void)
{
    for (size_t i = 0; outlet_prompts[i]; i++) {
        size_t len = strlen(outlet_prompts[i]);
        unsigned b = prompt_bucket(outlet_prompts[i]);
        prompt_index.len[i] = (uint8_t)len;
        prompt_index.next[i] = prompt_index.head[b];
        prompt_index.head[b] = (uint16_t)(i + 1);
    }
}

/* has_any_ci(t, len, outlet_prompts), in one pass over t. */
static int has_outlet_prompt(const char *t, size_t len)
{
    pthread_once(&prompt_once, build_prompt_index);
    for (size_t i = 0; i + 3 <= len; i++) {
        for (unsigned k = prompt_index.head[prompt_bucket(t + i)]; k; k = prompt_index.next[k - 1]) {
            const char *p = outlet_prompts[k - 1];
            size_t pl = prompt_index.len[k - 1], j = 0;
            if (pl > len - i) continue;
            while (j < pl && (t[i + j] | 0x20) == (p[j] | 0x20)) j++;
            if (j == pl) return 1;
        }
    }
    return 0;
}

/* A credit at the end of a caption ("Der Hafen am Abend. Foto: Max Muster",
 * "Roman Prymula, photo: ČTK"): on a short line, the line is a caption. */
static const char *const credit_marks[] = {
    " Foto: ", " Fotos: ", " Photo: ", " photo: ", " Bild: ", " Credit: ", " Foto/", " (Foto: ",
    " (Photo: ", " (Bild: ", " Bildquelle: ", " Crédit photo", " crédit photo", " (Bildquelle: ", " (Quelle: ", " (REUTERS/", " Imagen: ", NULL,
};

static int credit_inside(const char *t, size_t len)
{
    for (size_t i = 0; credit_marks[i]; i++)
        if (has_sub(t, len, credit_marks[i])) return 1;
    return 0;
}

/* The lists run to dozens of marks and every line meets several: a mark
 * whose first byte differs is passed over before its length is taken. */
static int starts_any(const char *t, size_t len, const char *const *list)
{
    if (!len) return 0;
    for (size_t i = 0; list[i]; i++) {
        if (list[i][0] != t[0]) continue;
        size_t pl = strlen(list[i]);
        if (len >= pl && memcmp(t, list[i], pl) == 0) return 1;
    }
    return 0;
}

/* The name in a byline: what follows its mark, up to a date, a comma or
 * a separator ("Von Anja Schmoll-Trautmann am 14. Mai 2014" -> "Anja
 * Schmoll-Trautmann"); a name is one to five words. */
static size_t count_words(const char *t, size_t len);

static int byline_name(const line_info *li, const char **name, size_t *name_len)
{
    static const char *const *const lists[] = { byline_long, byline_short };
    const char *t = li->text;
    size_t len = li->len, skip = 0;
    for (size_t l = 0; l < 2 && !skip; l++)
        for (size_t i = 0; lists[l][i]; i++) {
            size_t pl = strlen(lists[l][i]);
            if (len >= pl && !memcmp(t, lists[l][i], pl)) { skip = pl; break; }
        }
    if (!skip || skip >= len) return 0;
    t += skip;
    len -= skip;
    static const char *const stops[] = { ",", ";", " | ", " - ", " \xE2\x80\x93 ", " am ", " le ",
                                         " on ", " in ", " und ", " and ", " et ", "(", "\xC2\xB7",
                                         " \xE2\x80\xA2 ", "\xD8\x8C", NULL };
    for (size_t s = 0; stops[s]; s++) {
        const char *p = find_sub(t, len, stops[s]);
        if (p) len = (size_t)(p - t);
    }
    for (size_t i = 0; i < len; i++)
        if (t[i] >= '0' && t[i] <= '9') { len = i; break; }
    trim(&t, &len);
    size_t w = count_words(t, len);
    if (!len || w < 1 || w > 5) return 0;
    *name = t;
    *name_len = len;
    return 1;
}

static int phrase_in(const char *const *list, const char *k, size_t kl)
{
    if (!kl) return 0;
    for (size_t i = 0; list[i]; i++)
        if (list[i][0] == k[0] && strlen(list[i]) == kl && memcmp(list[i], k, kl) == 0)
            return 1;
    return 0;
}

static size_t fold_words(const char *text, size_t len, char *buf, size_t cap);

/* sw: the KHI_SW_* bit of the page's language, 0 when it has no stoplist. */
/*
 * A diagnostic the page's server printed into the page ("Warning: Use of
 * undefined constant ... in /homepages/.../file.php on line 37",
 * "Deprecated: ... on line 520"): it reads as a sentence, and a broken
 * theme prints one per call, enough to outweigh a short post.
 */
static int server_diagnostic(const char *t, size_t len)
{
    static const char *const kinds[] = { "Warning:", "Deprecated:", "Notice:", "Strict Standards:",
                                         "Fatal error:", "Parse error:", NULL };
    int kind = 0;
    for (size_t i = 0; kinds[i] && !kind; i++)
        kind = starts_with(t, len, kinds[i]);
    if (!kind || len < 20) return 0;
    /* "... in /path on line N", at the end */
    size_t e = len;
    while (e > 0 && t[e - 1] >= '0' && t[e - 1] <= '9') e--;
    if (e == len || e < 9 || memcmp(t + e - 9, " on line ", 9) != 0) return 0;
    return has_sub(t, e, " in /") || has_sub(t, e, ":\\");
}

/* A rights line ("© 2016 ...", "Alle Rechte vorbehalten", "جميع الحقوق محفوظة"). */
static int copyright_line(const char *t, size_t len, size_t nw)
{
    return (nw <= 25 && (has_sub(t, len, "\xC2\xA9") || has_sub_ci(t, len, "copyright") ||
                         has_sub_ci(t, len, "rights reserved") || has_sub_ci(t, len, "droits r") ||
                         has_sub_ci(t, len, "rechte vorbehalten") ||
                         has_sub_ci(t, len, "vervielf\xC3\xA4ltigung nur mit") ||
                         has_sub_ci(t, len, "derechos reservados") ||
                         has_sub(t, len, "جميع الحقوق") || has_sub(t, len, "حقوق النشر") ||
                         has_sub(t, len, "الحقوق محفوظة"))) ||
           starts_with_ci(t, len, "some rights reserved") ||
           starts_with_ci(t, len, "all rights reserved") ||
           starts_with_ci(t, len, "copyright \xC2\xA9") || starts_with(t, len, "\xC2\xA9 ");
}

/* What analyze() works out: everything (ANALYZE_ALL, for cleaning), or
 * only what observing a page reads (ANALYZE_KEYS: the line's key, its
 * words and whether it is a rights line). */
enum { ANALYZE_ALL = 1, ANALYZE_KEYS = 2 };

static void analyze(kh_cleaner *c, unsigned sw, line_info *li, int want_key)
{
    const unsigned char *s = (const unsigned char *)li->text;
    size_t len = li->len, i = 0;
    li->nw = li->nstop = li->nletters = li->ndigits = 0;
    li->inner_punct = 0;
    li->klen = 0;
    /* Folding never makes text longer, so the key fits in len bytes. */
    char *key = NULL;
    size_t kl = 0;
    if (want_key) {
        kh_buf_clear(&c->scratch);
        if (kh_buf_reserve(&c->scratch, len + 1) == KH_OK) key = c->scratch.data;
    }
    char word[WORD_BUF];
    size_t wl = 0;
    int in_word = 0, word_ok = 1, bad = 0, word_ar = 0, cjk_run = 0;
    int check_stop = c->have_stopwords && sw;
    while (i <= len) {
        uint32_t cp = ' ';
        size_t k = 1;
        if (i < len) k = dec_checked(s + i, len - i, &cp, &bad);
        int kind;
        uint32_t f = classify(cp, &kind);
        if (kind) {
            if (kind == 2) li->ndigits++;
            else li->nletters++;
            if (!in_word) word_ar = cp >= 0x0600 && cp <= 0x06FF;
            if (f) {
                if (key) put_utf8(key, &kl, f);
                if (!check_stop || li->nw >= STOP_SAMPLE) {
                    /* past the stopword sample: no word to keep */
                } else if (wl + 4 <= WORD_BUF) {
                    put_utf8(word, &wl, f);
                } else {
                    word_ok = 0;
                }
            }
            in_word = 1;
            /* Chinese and Japanese put no space between words: two of their
             * characters count as one word, about a word's length there */
            if (is_cjk(cp) && ++cjk_run == 2) {
                cjk_run = 0;
                li->nw++;
                in_word = 0;
                wl = 0;
            }
        } else {
            cjk_run = 0;
            if (in_word) {
                li->nw++;
                /* the density is estimated on a line's first STOP_SAMPLE words */
                /* an Arabic word counts by the Arabic list on any page: an
                 * Arabic article under a template in another language */
                if (check_stop && li->nw <= STOP_SAMPLE && word_ok && wl &&
                    (khi_stopword_langs(word, wl) & (sw | (word_ar ? KHI_SW_AR : 0u))))
                    li->nstop++;
            }
            in_word = 0;
            wl = 0;
            word_ok = 1;
            if (cp == ',' || cp == 0x060C || cp == ';' || cp == 0x061B)
                li->inner_punct = 1;
            else if (is_end_punct(cp) && i + k < len)
                li->inner_punct = 1; /* a sentence end inside: prose */
        }
        i += k;
    }
    li->bad_utf8 = (unsigned char)bad;
    li->key = 0;
    li->half_key = 0;
    if (key && kl) {
        li->klen = (uint32_t)KHI_MIN(kl, (size_t)UINT32_MAX);
        li->key = XXH3_64bits(key, kl) | 1;
        size_t h = kl / 2;
        if (h && !(kl & 1) && !memcmp(key, key + h, h))
            li->half_key = XXH3_64bits(key, h) | 1;
    }
    const char *t = li->text;
    if (want_key == ANALYZE_KEYS) {
        li->copyright = (unsigned char)copyright_line(t, len, li->nw);
        return;
    }
    li->piped = (unsigned char)(memchr(t, '|', len) && has_sub(t, len, " | "));
    uint32_t last = last_meaningful(t, len);
    li->end_punct = (unsigned char)is_end_punct(last);
    li->url = (unsigned char)(len <= 80 || starts_with(t, len, "http") || starts_with(t, len, "www.")) &&
              looks_like_url(t, len);
    /* Copyright and "read also" lines are short; long paragraphs skip the search. */
    int short_line = li->nw <= 25;
    li->copyright = (unsigned char)copyright_line(t, len, li->nw);
    li->closer = li->never = 0;
    if (li->nw && li->nw <= 5 && last != '.') {
        /* whole-line phrases: "Das könnte Sie auch interessieren!" is a
         * heading whatever mark ends it, and no sentence */
        char fk[128];
        size_t fkl = fold_words(t, len, fk, sizeof fk);
        li->closer = (unsigned char)(fkl && phrase_in(closers, fk, fkl));
        li->never = (unsigned char)(fkl && phrase_in(never_body, fk, fkl)); /* "...?" too */
    }
    li->byline = 0;
    if (li->nw && (starts_any(t, len, caption_marks) || (li->nw <= 20 && credit_inside(t, len)))) {
        li->never = 1;
    } else if (li->nw && li->nw <= 40 && starts_any(t, len, byline_long)) {
        li->never = li->byline = 1;
    } else if (li->nw >= 2 && li->nw <= 8 && !(li->end_punct && last == '.' && li->nw > 4) &&
               starts_any(t, len, byline_short)) {
        li->never = li->byline = 1;
    } else if (li->nw && li->nw <= 6 && starts_any(t, len, share_marks)) {
        li->never = 1;
    } else if (li->nw && li->nw <= 60 && starts_any(t, len, post_meta_marks)) {
        li->never = 1;
    } else if (li->nw && li->nw <= 40 && has_outlet_prompt(t, len)) {
        /* the outlet asks for money, a subscription or a letter */
        li->never = 1;
    } else if (li->nw && li->nw <= 15 && has_sub_ci(t, len, "newsletter")) {
        /* a sign-up prompt ("Never miss the latest news by signing up to
         * our newsletter today!"): short, and about the newsletter */
        li->never = 1;
    } else if (li->nw && li->nw <= 40 &&
               (has_sub(t, len, "إرسال تصحيح") || has_sub(t, len, "أبلغنا عن خطأ") ||
                has_sub(t, len, "الإبلاغ عن خطأ") || has_sub(t, len, "معلومات غير دقيقة") ||
                has_sub_ci(t, len, "report an error") || has_sub_ci(t, len, "spotted an error") ||
                has_sub_ci(t, len, "submit a correction") ||
                has_sub_ci(t, len, "signaler une erreur"))) {
        /* The outlet's prompt to report an error, under every article: a
         * page alone shows it as prose, so it is known by its words. */
        li->never = 1;
    }
    if (!li->never && li->nw >= 4 && server_diagnostic(t, len))
        li->never = 1;
    /* the comments' own heading: "11 responses to “Title”", "3 Antworten
     * zu ..." */
    if (li->nw >= 3 && li->nw <= 30 && t[0] >= '0' && t[0] <= '9') {
        size_t d = 0;
        while (d < len && t[d] >= '0' && t[d] <= '9') d++;
        const char *r = t + d;
        size_t rl = len - d;
        if (starts_with_ci(r, rl, " responses to") || starts_with_ci(r, rl, " comments on") ||
            starts_with_ci(r, rl, " thoughts on") || starts_with(r, rl, " Antworten zu") ||
            starts_with(r, rl, " Kommentare zu") || starts_with(r, rl, " commentaires sur") ||
            starts_with(r, rl, " comentarios en"))
            li->closer = 1;
    }
    /* a picture agency's credit on its own ("iStock.com/Name", "Getty
     * Images", "Quelle: jorisvo / Fotolia.com") */
    if (!li->never && li->nw && li->nw <= 8 && !li->end_punct &&
        (has_sub_ci(t, len, "istock") || has_sub_ci(t, len, "getty images") ||
         has_sub_ci(t, len, "shutterstock") || has_sub_ci(t, len, "fotolia") ||
         has_sub_ci(t, len, "adobe stock") || has_sub_ci(t, len, "imago images") ||
         has_sub_ci(t, len, "picture alliance") || has_sub_ci(t, len, "picture-alliance") ||
         has_sub_ci(t, len, "unsplash") || has_sub_ci(t, len, "pixabay")))
        li->never = 1;
    /* a link to another story, set inside the article ("Lesen Sie auch:
     * ...", "Le puede interesar: ...") */
    if (!li->never && li->nw && li->nw <= 25 && starts_any(t, len, read_more_marks))
        li->never = 1;
    /* a short source line under a table or a picture ("Quelle:
     * Landesregierung"); the text above it stays */
    if (!li->never && li->nw && li->nw <= 8 && starts_with(t, len, "Quelle:"))
        li->never = 1;
    /* a link to the topic's page ("Mehr zu Wärmepumpe", "More on Brexit") */
    if (!li->never && li->nw >= 3 && li->nw <= 6 && !li->end_punct &&
        (starts_with(t, len, "Mehr zu ") || starts_with(t, len, "Mehr zum ") ||
         starts_with(t, len, "More on ") || starts_with(t, len, "Plus sur ")))
        li->never = 1;
    /* a photo's caption places the people in it: "X (right) looks on as" */
    if (!li->never && li->nw >= 4 && li->nw <= 50 &&
        (has_sub(t, len, " (right)") || has_sub(t, len, " (left)") || has_sub(t, len, " (centre)") ||
         has_sub(t, len, " (center)") || has_sub(t, len, " (second right)") ||
         has_sub(t, len, " (second left)") || has_sub(t, len, " (2nd right)") ||
         has_sub(t, len, " (2nd left)") || has_sub(t, len, " (l-r)") || has_sub(t, len, " (L-R)")))
        li->never = 1;
    li->form = (unsigned char)(len > 0 && li->nw <= 5 && last != 0 &&
                               (t[len - 1] == '*' || starts_with(t, len, ":")));
    li->readmore = (unsigned char)(short_line && (starts_with(li->text, len, "اقرأ أيضا") ||
                                   starts_with(li->text, len, "اقرأ ايضا") ||
                                   starts_with(li->text, len, "إقرأ أيضا") ||
                                   starts_with(li->text, len, "اقرأ أيضًا") ||
                                   starts_with(li->text, len, "اقرأ المزيد") ||
                                   starts_with(li->text, len, "شاهد أيضا") ||
                                   starts_with(li->text, len, "Read also") ||
                                   starts_with(li->text, len, "Read more") ||
                                   starts_with(li->text, len, "READ MORE") ||
                                   starts_with(li->text, len, "Related:") ||
                                   starts_with(li->text, len, "Lire aussi") ||
                                   starts_with(li->text, len, "\xC3\x80 lire aussi") ||
                                   starts_with(li->text, len, "A lire aussi") ||
                                   starts_with(li->text, len, "\xC3\x80 lire \xC3\xA9galement") ||
                                   starts_with(li->text, len, "Lesen Sie auch") ||
                                   starts_with(li->text, len, "Lesen Sie mehr") ||
                                   starts_with(li->text, len, "Mehr zum Thema:") ||
                                   starts_with(li->text, len, "Auch interessant:") ||
                                   starts_with(li->text, len, "Siehe auch:") ||
                                   starts_with(li->text, len, "Lee tambi\xC3\xA9n") ||
                                   starts_with(li->text, len, "Leer m\xC3\xA1s") ||
                                   starts_with(li->text, len, "Lire la suite") ||
                                   starts_with(li->text, len, "Voir aussi") ||
                                   starts_with(li->text, len, "Lea m\xC3\xA1s:") ||
                                   starts_with(li->text, len, "Lea tambi\xC3\xA9n") ||
                                   starts_with(li->text, len, "Lea:") ||
                                   starts_with(li->text, len, "Vea tambi\xC3\xA9n") ||
                                   starts_with(li->text, len, "VEA TAMBI\xC3\x89N") ||
                                   starts_with(li->text, len, "Veja tamb\xC3\xA9m") ||
                                   starts_with(li->text, len, "Leia tamb\xC3\xA9m") ||
                                   starts_with(li->text, len, "Veja Tamb\xC3\xA9m") ||
                                   starts_with(li->text, len, "Leia Tamb\xC3\xA9m") ||
                                   starts_with(li->text, len, "Weiterlesen:") ||
                                   starts_with(li->text, len, "Zum Weiterlesen") ||
                                   starts_with(li->text, len, "Explore further")));
}

/* ---- dateline, attribution, agencies ------------------------------------ */

static int is_agency_key(const char *k, size_t kl)
{
    static const char *const agencies[] = {
        "رويترز", "افب", "دبا", "الاناضول", "اشا", "واس", "وام", "قنا", "كونا", "بترا",
        "سانا", "شينخوا", "يوبياي", "اب", "ارنا", "وكالهالانباء", "reuters", "afp", "ap",
        "dpa", "anadolu", "aa", "xinhua", "upi", "ansa", "efe", "apf", "mapexpress", "map",
        "aps", "tap", "wafa", "وفا", "ومع", NULL,
    };
    for (size_t i = 0; agencies[i]; i++)
        if (strlen(agencies[i]) == kl && memcmp(agencies[i], k, kl) == 0)
            return 1;
    return 0;
}

static int is_generic_source_key(const char *k, size_t kl)
{
    static const char *const generic[] = {
        "وكالات", "وكالاتالانباء", "مواقع", "متابعات", "agencies", "wires", "agences", NULL,
    };
    for (size_t i = 0; generic[i]; i++)
        if (strlen(generic[i]) == kl && memcmp(generic[i], k, kl) == 0)
            return 1;
    return 0;
}

static int is_agency(const char *t, size_t len)
{
    char k[WORD_BUF * 2];
    size_t kl = fold_small(t, len, k, sizeof k);
    if (kl && is_agency_key(k, kl)) return 1;
    /* "وكالة ... للأنباء", "... News Agency", "Agence ..." */
    return has_sub(t, len, "وكالة") || has_sub(t, len, "وكاله") ||
           has_sub_ci(t, len, "agency") || has_sub_ci(t, len, "agence") ||
           has_sub_ci(t, len, "press association");
}

/* Counts words (runs of non-space) in t. */
static size_t count_words(const char *t, size_t len)
{
    size_t n = 0;
    int in = 0;
    for (size_t i = 0; i < len; i++) {
        int sp = t[i] == ' ' || t[i] == '\t';
        if (!sp && !in) n++;
        in = !sp;
    }
    return n;
}

/* Finds a dash separator (" - ", " ـ ", " – ", " — ") in t; returns its
 * start and sets *sep_len, or returns len when none. */
static size_t find_dash(const char *t, size_t len, size_t from, size_t *sep_len)
{
    static const char *const dashes[] = { " - ", " \xD9\x80 ", " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                          " -- ", NULL };
    for (size_t i = from; i < len; i++) {
        if (t[i] != ' ') continue;
        for (size_t d = 0; dashes[d]; d++) {
            size_t dl = strlen(dashes[d]);
            if (i + dl <= len && t[i + 1] == dashes[d][1] && memcmp(t + i, dashes[d], dl) == 0) {
                *sep_len = dl;
                return i;
            }
        }
    }
    return len;
}

/* Strips brackets, quotes and dashes around a short name. */
static void strip_wrap(const char **t, size_t *len)
{
    for (;;) {
        trim(t, len);
        const unsigned char *s = (const unsigned char *)*t;
        if (!*len) return;
        uint32_t a;
        size_t ka = khi_utf8_decode(s, *len, &a);
        if (ka && (a == '(' || a == '[' || a == 0xAB || a == '"' || a == 0x201C || a == '-' ||
                   a == 0x2013 || a == 0x2014 || a == 0x0640 || a == ':' || a == 0x201D)) {
            *t += ka;
            *len -= ka;
            continue;
        }
        size_t p = *len - 1;
        while (p > 0 && (s[p] & 0xC0) == 0x80) p--;
        uint32_t b;
        size_t kb = khi_utf8_decode(s + p, *len - p, &b);
        if (kb && (b == ')' || b == ']' || b == 0xBB || b == '"' || b == 0x201D || b == '-' ||
                   b == 0x2013 || b == 0x2014 || b == 0x0640 || b == ':' || b == '.' ||
                   b == 0x201C)) {
            *len = p;
            continue;
        }
        return;
    }
}

typedef struct dateline {
    const char *place; size_t place_len;
    const char *who; size_t who_len; /* agency or outlet */
    int is_agency;
} dateline;

/* A dateline standing alone on a line: "عمّان ـ صحيفة الأفق", "PARIS (AFP)". */
static int dateline_line(const line_info *li, dateline *d, const line_info *L, size_t n)
{
    if (li->nw < 2 || li->nw > 8 || li->end_punct || li->url || li->ndigits > 4)
        return 0;
    size_t sl = 0;
    size_t p = find_dash(li->text, li->len, 0, &sl);
    const char *a = li->text, *b;
    size_t al, bl;
    if (p < li->len) {
        al = p;
        b = li->text + p + sl;
        bl = li->len - p - sl;
    } else {
        /* "PLACE (AGENCY)" */
        const char *open = memchr(li->text, '(', li->len);
        if (!open) return 0;
        al = (size_t)(open - li->text);
        b = open;
        bl = li->len - al;
    }
    strip_wrap(&a, &al);
    strip_wrap(&b, &bl);
    if (!al || !bl || count_words(a, al) > 3 || count_words(b, bl) > 4)
        return 0;
    if (memchr(a, ',', al) || memchr(b, ',', bl))
        return 0;
    /* "Site - Section" is no dateline: a place is not a line of its own
     * elsewhere on the page, as the site's name is. */
    char k[256];
    size_t kl = fold_small(a, al, k, sizeof k);
    if (!kl) return 0;
    uint64_t h = XXH3_64bits(k, kl) | 1;
    for (size_t i = 0; i < n; i++)
        if (L[i].key == h) return 0;
    d->place = li->text; d->place_len = li->len;
    d->who = b; d->who_len = bl;
    d->is_agency = is_agency(b, bl);
    return 1;
}

/* Is t an all-capitals Latin name ("MARSA AL NAKHIL", "WASHINGTON")? */
static int all_caps(const char *t, size_t len)
{
    int letters = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (ch >= 'a' && ch <= 'z') return 0;
        if (ch >= 'A' && ch <= 'Z') letters++;
        else if (ch >= 0x80) return 0;
    }
    return letters >= 2;
}

/* A dateline opening a paragraph, up to the separator that ends it:
 * "WASHINGTON (Reuters) - ...", "بيروت - (رويترز) - ...",
 * "مرسى النخيل - الأفق (الشرق): ...", "(MNA) — ...", "MARSA AL NAKHIL — ...".
 * Needs a short parenthesized agency before a ':' or dash, or a place in
 * capitals before a dash. */
static int dateline_prefix(const line_info *li, dateline *d)
{
    size_t lim = KHI_MIN(li->len, (size_t)140);
    const char *t = li->text;
    /* 1. "... (AGENCY) -" / "... (AGENCY):" */
    for (size_t i = 0; i < lim; i++) {
        if (t[i] != ')') continue;
        const char *open = NULL;
        for (size_t j = i; j > 0; j--)
            if (t[j - 1] == '(') { open = t + j - 1; break; }
        if (!open) break;
        const char *ag = open + 1;
        size_t agl = (size_t)(t + i - ag);
        trim(&ag, &agl);
        const char *r = t + i + 1;
        size_t rl = li->len - i - 1;
        while (rl && *r == ' ') r++, rl--;
        size_t sl = 0;
        int sep = rl && *r == ':';
        if (!sep) {
            size_t p = find_dash(r - 1, rl + 1, 0, &sl);
            sep = p == 0 && sl; /* the dash right after ')' */
            if (!sep && rl && (*r == '-')) sep = 1;
            if (!sep && rl >= 3 && (!memcmp(r, "\xE2\x80\x94", 3) || !memcmp(r, "\xE2\x80\x93", 3)))
                sep = 1;
        }
        if (!sep || !agl || count_words(ag, agl) > 4) break;
        const char *dl = t;
        size_t dll = i + 1;
        trim(&dl, &dll);
        if (count_words(dl, dll) > 8) break;
        d->place = dl; d->place_len = dll;
        d->who = ag; d->who_len = agl;
        d->is_agency = 1;
        return 1;
    }
    /* 2. "PLACE IN CAPITALS — ..." */
    size_t sl = 0;
    size_t p = find_dash(t, lim, 0, &sl);
    if (p < lim && p > 0 && count_words(t, p) <= 4 && all_caps(t, p)) {
        d->place = t; d->place_len = p;
        d->who = NULL; d->who_len = 0;
        d->is_agency = 0;
        return 1;
    }
    return 0;
}

/* An attribution line after the body: "«الأفق»", "المصدر: وكالات",
 * "(رويترز)", "Source: AFP". Sets *name to the outlet it names. */
static int attribution_line(const line_info *li, const char **name, size_t *name_len)
{
    if (li->nw == 0 || li->nw > 6 || li->url || li->ndigits)
        return 0;
    const char *t = li->text;
    size_t len = li->len;
    static const char *const heads[] = { "المصدر", "مصدر", "Source", "Sources", "SOURCE", NULL };
    for (size_t i = 0; heads[i]; i++)
        if (starts_with(t, len, heads[i])) {
            const char *r = t + strlen(heads[i]);
            size_t rl = len - strlen(heads[i]);
            trim(&r, &rl);
            if (!rl || (*r != ':' && !(rl >= 2 && memcmp(r, "\xEF\xBC\x9A", 3) == 0)))
                return 0;
            strip_wrap(&r, &rl);
            if (!rl) return 0;
            *name = r;
            *name_len = rl;
            return 1;
        }
    const unsigned char *s = (const unsigned char *)t;
    uint32_t a, b;
    size_t ka = khi_utf8_decode(s, len, &a);
    size_t p = len - 1;
    while (p > 0 && (s[p] & 0xC0) == 0x80) p--;
    size_t kb = khi_utf8_decode(s + p, len - p, &b);
    if (!ka || !kb || len < 3) return 0;
    int wrapped = (a == 0xAB && b == 0xBB) || (a == '(' && b == ')') || (a == '[' && b == ']') ||
                  (a == '"' && b == '"') || (a == 0x201C && b == 0x201D);
    if (!wrapped || li->nw > 4) return 0;
    const char *r = t;
    size_t rl = len;
    strip_wrap(&r, &rl);
    if (!rl) return 0;
    *name = r;
    *name_len = rl;
    return 1;
}

/* ---- scoring ------------------------------------------------------------ */

/* Is a closer's heading about comments? Those end the article for good. */
static int comment_closer(const line_info *li)
{
    return has_sub_ci(li->text, li->len, "comment") || has_sub_ci(li->text, li->len, "komment") ||
           has_sub(li->text, li->len, "\xD8\xAA\xD8\xB9\xD9\x84\xD9\x8A\xD9\x82"); /* تعليق */
}

/* A "Related" heading with a few links under it, standing between two
 * paragraphs of prose, is a box set inside the article, not its end: news
 * sites break the story with one after the third paragraph. The heading
 * and its links are then never body, and no wall; the story goes on past
 * them if its prose pays for the gap. */
static void inline_boxes(line_info *L, size_t n, int html)
{
    for (size_t i = 0; i < n; i++) {
        if (!L[i].closer || comment_closer(&L[i])) continue;
        size_t p = i;
        while (p > 0 && !L[p - 1].nw) p--;
        if (p == 0 || L[p - 1].score < 10) continue;
        size_t j = i + 1, links = 0;
        size_t kickers = 0;
        for (; j < n; j++) {
            if (!L[j].nw) continue;
            if (L[j].closer) break;
            /* text has no links: a headline stands for one */
            int link = html ? L[j].link_len * 2 >= L[j].len
                            : !L[j].end_punct && L[j].nw >= 3 && L[j].nw <= 24;
            if (!link) {
                /* a teaser's kicker or topic label over its link */
                if (L[j].nw <= 3 && !L[j].end_punct && kickers < 8) { kickers++; continue; }
                break;
            }
            links++;
        }
        if (!links || links > 8 || j == n || L[j].score < 20) continue;
        /* the box costs the story little to cross: it is known, and out */
        for (size_t k = i; k < j; k++)
            if (L[k].nw) L[k].never = 1, L[k].score = -1;
    }
}

/* Does a short line read as a person's name: every word capitalized, the
 * first no article ("Inga Buller", not "Die Banane")? Arabic names have
 * no capitals and are left to other rules. */
static int name_like(const char *t, size_t len)
{
    static const char *const articles[] = { "Die ", "Der ", "Das ", "The ", "La ", "Le ", "Les ",
                                            "El ", "Los ", "Las ", "Il ", "A ", "An ", "Ein ", "Eine ",
                                            "Un ", "Une ", NULL };
    if (starts_any(t, len, articles)) return 0;
    int at_start = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (ch == ' ') { at_start = 1; continue; }
        if (at_start && !(ch >= 'A' && ch <= 'Z') && ch < 0x80) return 0;
        at_start = 0;
    }
    return 1;
}

/*
 * A note about the author under an article: it opens with the author's
 * name (or goes straight to "Writes about") and says what the person does
 * for a living at the outlet. Short, and never the article's own news.
 */
static int author_note(const line_info *li)
{
    static const char *const roles[] = {
        " is a senior writer", " is a staff writer", " is a writer", " is a reporter",
        " is an editor", " is a senior editor", " is a contributing", " is a correspondent",
        " is a freelance", " is a journalist", " is the founder", " is the co-founder",
        " is a personal finance", " writes about ", " covers ", " has covered ",
        " leitet das ressort", " ist redakteur", " ist korrespondent", " ist freie journalistin",
        " ist freier journalist", " schreibt seit ", " est journaliste", " es periodista", NULL,
    };
    if (li->nw < 6 || li->nw > 80) return 0;
    const char *t = li->text;
    size_t len = li->len;
    if (starts_with_ci(t, len, "writes about") || starts_with(t, len, "Schreibt seit")) return 1;
    /* a name first: two capitalized words */
    size_t i = 0, words = 0;
    while (i < len && words < 2) {
        unsigned char ch = (unsigned char)t[i];
        if (!(ch >= 'A' && ch <= 'Z') && ch < 0x80) return 0;
        while (i < len && t[i] != ' ') i++;
        while (i < len && t[i] == ' ') i++;
        words++;
    }
    if (words < 2) return 0;
    /* the role within the first sentence's first dozen words */
    size_t end = len, seen = 0;
    for (size_t j = 0; j < len; j++)
        if (t[j] == ' ' && ++seen == 14) { end = j; break; }
    return has_any_ci(t, end, roles);
}

/* A line of the article's prose, for rules that need to know whether the
 * article has begun above a line: a sentence of twenty words or more. */
static int long_prose(const line_info *li)
{
    return li->nw >= 20 && (li->end_punct || li->inner_punct);
}

static void score_lines(kh_cleaner *c, line_info *L, size_t n, int html, uint64_t src_salt)
{
    uint64_t src_docs = src_salt ? rep_get(c, src_salt ^ DOCS_SALT) : 0;
    for (size_t i = 0; i < n; i++) {
        line_info *li = &L[i];
        li->boiler = 0;
        if (!li->key || !c->docs)
            continue;
        uint32_t all = rep_get(c, li->key);
        uint32_t src = src_salt ? rep_get(c, li->key ^ src_salt) : 0;
        int sentence = li->nw >= 12 && (li->end_punct || li->inner_punct);
        const char *nm;
        size_t nml;
        if (attribution_line(li, &nm, &nml))
            continue;
        if (src_salt && src_docs >= 3) {
            if (!sentence && src >= 3 && (double)src >= 0.3 * (double)src_docs) li->boiler = 1;
            if (sentence && src >= 3 && (double)src >= 0.5 * (double)src_docs) li->boiler = 1;
        }
        if (!sentence && all >= 4 && (double)all >= 0.05 * (double)c->docs) li->boiler = 1;
    }
    /* Runs of headline-like lines: no sentence punctuation, 3-24 words. */
    size_t i = 0;
    while (i < n) {
        if (!L[i].nw) { i++; continue; }
        size_t j = i, count = 0, last = i;
        int blanks = 0;
        while (j < n) {
            if (!L[j].nw) {
                if (++blanks > 1) break;
                j++;
                continue;
            }
            int hl = !L[j].end_punct && !L[j].inner_punct && L[j].nw >= 3 && L[j].nw <= 24;
            if (html && L[j].link_len * 2 >= L[j].len && L[j].nw <= 24) hl = 1;
            if (!hl) break;
            blanks = 0;
            count++;
            last = j;
            j++;
        }
        if (count >= 3)
            for (size_t k = i; k <= last; k++)
                if (L[k].nw) L[k].in_list = 1;
        i = count ? last + 1 : i + 1;
    }
    /* A picture's credit on its own line ("Foto © Peter Steiger") after
     * text in the same element: that text is the picture's caption. */
    for (i = 1; html && i < n; i++) {
        const line_info *cr = &L[i];
        if (!cr->nw || cr->nw > 8 || cr->box != L[i - 1].box || !L[i - 1].nw || L[i - 1].nw > 60)
            continue;
        int credit = starts_any(cr->text, cr->len, caption_marks) ||
                     ((starts_with_ci(cr->text, cr->len, "foto") || starts_with_ci(cr->text, cr->len, "photo") ||
                       starts_with_ci(cr->text, cr->len, "bild")) &&
                      has_sub(cr->text, cr->len, "\xC2\xA9"));
        if (credit) L[i - 1].never = 1;
    }
    /* Cards of other posts: a heading with a byline under it, again and
     * again ("Nicht ganz korrekte Korrektur / Autor: X, Datum: Y / teaser").
     * The article's own heading and byline stand above its prose; the
     * first card below prose is a wall. */
    {
        size_t cards = 0, first = n;
        int prose = 0;
        for (i = 1; html && i < n; i++) {
            if (long_prose(&L[i - 1])) prose = 1;
            if (!L[i].byline) continue;
            size_t h = i;
            while (h > 0 && !L[h - 1].nw) h--;
            if (h == 0 || L[h - 1].kind != KHI_BLK_HEADING) continue;
            cards++;
            if (prose && first == n) first = h - 1;
        }
        if (cards >= 3 && first < n) {
            L[first].closer = 1;
            L[first].never = 1;
        }
    }
    /* An author's card below the article: the name on a line of its own,
     * then a paragraph about that person opening with the name ("Inga
     * Buller / Inga Buller ist Head of Social ..."). */
    {
        int prose = 0;
        for (i = 0; i + 1 < n; i++) {
            if (long_prose(&L[i])) prose = 1;
            const line_info *nm = &L[i];
            if (!prose || nm->nw < 2 || nm->nw > 4 || nm->end_punct || nm->len > 60 ||
                nm->kind == KHI_BLK_HEADING || nm->ndigits || !name_like(nm->text, nm->len))
                continue;
            size_t k = i + 1;
            while (k < n && !L[k].nw) k++;
            if (k == n || L[k].nw < 8 || L[k].nw > 120 || L[k].len <= nm->len + 1 ||
                memcmp(L[k].text, nm->text, nm->len) != 0 || L[k].text[nm->len] != ' ')
                continue;
            L[i].never = L[k].never = 1;
        }
    }
    /* A list that a sentence announces ("... folgende Veränderungen:",
     * "... include:") is the article's enumeration, not a list of other
     * headlines: its unlinked items are text. */
    for (i = 0; i + 1 < n; i++) {
        const line_info *in = &L[i];
        if (in->nw < 4 || !in->len || in->text[in->len - 1] != ':' || in->link_len * 5 > in->len ||
            in->kind == KHI_BLK_LI)
            continue;
        size_t k = i + 1;
        for (; k < n; k++) {
            line_info *it = &L[k];
            if (!it->nw) continue;
            if (it->kind != KHI_BLK_LI || it->link_len * 5 > it->len) break;
            it->in_list = 0;
            it->announced = 1;
        }
        i = k - 1;
    }
    for (i = 0; i < n; i++) {
        line_info *li = &L[i];
        char iso[KH_DATE_ISO_MAX];
        li->dated = li->ndigits && li->nw <= 15 && !li->end_punct &&
                    kh_date_parse(li->text, li->len, NULL, iso, sizeof iso) == KH_OK;
    }
    for (i = 0; i < n; i++) {
        line_info *li = &L[i];
        double nw = li->nw, s;
        if (!li->nw) {
            li->score = html ? -0.5 : -1.0;
            continue;
        }
        double link = li->len ? (double)li->link_len / (double)li->len : 0;
        if (li->boiler) s = -5 - nw * 0.5;
        else if (li->url || li->copyright || li->form || li->readmore) s = -5;
        else if (link > 0.5) s = -(3 + nw * 0.5);
        else if (li->in_list) s = -(3 + nw * 0.5);
        else if (li->announced && !li->end_punct) s = 0.3 * KHI_MIN(nw, 40.0);
        else if ((li->dated || li->piped) && !li->end_punct && li->nw <= 15) s = -(3 + nw * 0.5);
        else if (li->end_punct) {
            if (nw >= 10) s = KHI_MIN(nw, 80.0);
            else if (nw >= 5) s = nw * 0.5;
            else s = -1;
        } else if (nw >= 12 && li->len && li->text[li->len - 1] == ':') {
            /* a sentence that leads into a quote, a list or a picture */
            s = 0.5 * KHI_MIN(nw, 80.0);
        } else if (li->inner_punct) {
            /* commas but no final stop: a long Arabic paragraph, or a headline */
            if (nw >= 20) s = 0.5 * KHI_MIN(nw, 80.0);
            else s = -1.5;
        } else {
            if (nw >= 25) s = 0.3 * nw;
            else if (nw >= 10) s = -2;
            else s = -(3 + nw * 0.5);
        }
        if (c->have_stopwords && c->page_sw && li->nw >= 5) {
            double r = (double)li->nstop / KHI_MIN(nw, (double)STOP_SAMPLE);
            if (r < 0.06) s = s > 0 ? s * 0.3 : s - 2;
            else if (r > 0.2 && s > 0) s *= 1.2;
        }
        if (link > 0.2 && link <= 0.5 && s > 0) s *= 1 - link;
        if (li->page_rep >= 2 && li->nw < 30) s = -(3 + nw * 0.5);
        if (li->never) s = -2;   /* dropped, but the body may go on past it */
        if (li->closer) s = -1e9; /* a wall: no segment crosses it */
        li->score = s;
    }
    inline_boxes(L, n, html);
    /* Past a closing heading comes what the page adds to the article:
     * comments, teasers, more stories. Their prose is real prose, and a
     * thread of comments can outweigh a short article; so it counts for
     * less, and for much less past a comments heading. */
    double weight = 1, prose = 0;
    for (i = 0; i < n; i++) {
        /* a closing heading above any prose (a sidebar's "Most read" that
         * a text dump puts first) closes nothing yet */
        if (L[i].closer && L[i].score < -1e8) {
            if (prose >= 30) weight = comment_closer(&L[i]) ? 0.25 : KHI_MIN(weight, 0.5);
        } else if (L[i].score > 0) {
            prose += L[i].score;
            L[i].score *= weight;
        }
    }
}

/* ---- page-level helpers -------------------------------------------------- */

/* Counts, for each line, the lines of the page with the same key. */
static kh_status page_repeats(kh_cleaner *c, line_info *L, size_t n)
{
    if (c->tmp_cap < n) {
        size_t ncap = n < 256 ? 256 : n;
        uint64_t *t = kh_realloc(c->ctx, c->tmp, c->tmp_cap * sizeof *t, ncap * sizeof *t);
        KHI_RETURN_IF(!t, KH_E_NOMEM);
        c->tmp = t;
        c->tmp_cap = ncap;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (L[i].key) c->tmp[m++] = L[i].key;
    if (m > 1)
        qsort(c->tmp, m, sizeof *c->tmp, khi_cmp_u64);
    for (size_t i = 0; i < n; i++) {
        L[i].page_rep = 0;
        if (!L[i].key) continue;
        /* binary search for the run */
        size_t lo = 0, hi = m;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (c->tmp[mid] < L[i].key) lo = mid + 1;
            else hi = mid;
        }
        size_t r = lo;
        while (r < m && c->tmp[r] == L[i].key) r++;
        L[i].page_rep = (int)(r - lo);
    }
    return KH_OK;
}

static uint64_t source_salt(const char *source, size_t len)
{
    if (!source || !len) return 0;
    return khi_mix64(XXH3_64bits(source, len) ^ 0x5bd1e995ull) | 2;
}

/* The host of a URL, without "www.". */
static int url_host(const char *url, const char **host, size_t *host_len)
{
    if (!url) return 0;
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    if (!strncmp(p, "www.", 4)) p += 4;
    size_t l = strcspn(p, "/:?#");
    if (!l) return 0;
    *host = p;
    *host_len = l;
    return 1;
}

/* Cuts a page into lines (text pages). */
static kh_status text_lines(kh_cleaner *c, const char *text, size_t len, size_t *n_out)
{
    size_t n = 0, i = 0;
    while (i <= len) {
        const char *nl = i < len ? memchr(text + i, '\n', len - i) : NULL;
        size_t e = nl ? (size_t)(nl - text) : len;
        KHI_FORWARD_IF_ERROR(KHI_GROW(c->ctx, c->lines, n, c->lines_cap, 256));
        line_info *li = &c->lines[n++];
        memset(li, 0, sizeof *li);
        li->text = text + i;
        li->len = e - i;
        trim(&li->text, &li->len);
        if (!nl) break;
        i = e + 1;
    }
    *n_out = n;
    return KH_OK;
}

static kh_status block_lines(kh_cleaner *c, const khi_block *b, size_t nb)
{
    if (c->lines_cap < nb) {
        size_t ncap = nb < 256 ? 256 : nb;
        line_info *L = kh_realloc(c->ctx, c->lines, c->lines_cap * sizeof *L, ncap * sizeof *L);
        KHI_RETURN_IF(!L, KH_E_NOMEM);
        c->lines = L;
        c->lines_cap = ncap;
    }
    for (size_t i = 0; i < nb; i++) {
        line_info *li = &c->lines[i];
        memset(li, 0, sizeof *li);
        li->text = b[i].text;
        li->len = b[i].len;
        trim(&li->text, &li->len);
        li->link_len = b[i].link_len;
        li->kind = b[i].kind;
        li->in_header = b[i].in_header;
        li->box = b[i].box;
    }
    return KH_OK;
}

/* ---- the article's box ---------------------------------------------------- */

/* Depth of box b in the box tree (0 for the page). Parents have smaller
 * numbers, so the walk ends. */
static size_t box_depth(const khi_html_meta *m, uint32_t b)
{
    size_t d = 0;
    while (b && b < m->n_boxes) b = m->box_parent[b], d++;
    return d;
}

static uint32_t box_lca(const khi_html_meta *m, uint32_t x, uint32_t y)
{
    size_t dx = box_depth(m, x), dy = box_depth(m, y);
    while (dx > dy) x = m->box_parent[x], dx--;
    while (dy > dx) y = m->box_parent[y], dy--;
    while (x != y) x = m->box_parent[x], y = m->box_parent[y];
    return x;
}

/* Is box b inside box c (or c itself)? */
static int box_within(const khi_html_meta *m, uint32_t b, uint32_t c)
{
    while (b > c && b < m->n_boxes) b = m->box_parent[b];
    return b == c;
}

/*
 * The body segment found by scores stops at short lines: a list of
 * ingredients or facts, subheadings, a one-line paragraph between two
 * lists. Where the segment's prose lies in one element that holds little
 * else (the smallest box around its scoring lines, whose text outside the
 * segment is no more than the segment's own), that element is the article, and
 * its other lines join the body up to a closing heading. Lines that are
 * certainly not body (links, dates, bylines, boilerplate) are still
 * dropped after. [*a, *b] grows; lines that join get body set.
 */
static int box_joins(const line_info *li)
{
    return li->nw && !li->dated && !li->never && !li->in_header && li->link_len * 2 < li->len &&
           !li->boiler && !li->url && !li->copyright && !li->form && !li->readmore;
}

static void box_extend(const khi_html_meta *m, line_info *L, size_t n, uint64_t title_key,
                       size_t *a, size_t *b)
{
    if (!m->box_parent || m->n_boxes < 2) return;
    uint32_t c = 0;
    int any = 0;
    size_t seg = 0;
    for (size_t i = *a; i <= *b; i++) {
        if (!L[i].body) continue;
        seg += L[i].len;
        if (L[i].score <= 0) continue;
        c = any ? box_lca(m, c, L[i].box) : L[i].box;
        any = 1;
    }
    if (!any || !c) return; /* the whole page is no article box */
    size_t lo = *a, hi = *b, out = 0;
    while (lo > 0 && box_within(m, L[lo - 1].box, c) && !L[lo - 1].closer) out += L[--lo].len;
    while (hi + 1 < n && box_within(m, L[hi + 1].box, c) && !L[hi + 1].closer) out += L[++hi].len;
    if (out > seg) return;
    /* Above the segment, what precedes the headline is a kicker, a section
     * label or a picture credit; below it, the box ends with its own matter
     * ("Weitere Informationen:", "Themen:", a source), so it reaches only as
     * far as the box's last sentence. */
    for (size_t i = *a; title_key && i > lo; i--)
        if (L[i - 1].key == title_key) { lo = i; break; }
    while (hi > *b && !(box_joins(&L[hi]) && L[hi].end_punct && L[hi].nw >= 5)) hi--;
    for (size_t i = lo; i <= hi; i++)
        if ((i < *a || i > *b) && box_joins(&L[i])) L[i].body = 1;
    *a = lo;
    *b = hi;
}

/*
 * The lead under the headline, cut off from the body by a paywall offer, a
 * newsletter box or an author card: the headline's next prose paragraph
 * (past a date, a byline or a short label) joins the body when nothing between it and
 * the body's first line reads as prose. Only the lead moves; what lies
 * between stays out.
 */
static void lead_across_gap(line_info *L, uint64_t title_key, size_t *a)
{
    size_t h = *a, floor = *a > 120 ? *a - 120 : 0;
    while (h > floor && L[h - 1].key != title_key) h--;
    if (h == floor) return;
    size_t l = h; /* the line after the headline */
    for (int skipped = 0; l < *a && skipped < 3; l++) {
        if (!L[l].nw) continue;
        if (L[l].dated || L[l].byline || (L[l].nw <= 4 && !L[l].end_punct)) { skipped++; continue; }
        break;
    }
    if (l + 1 >= *a) return; /* adjacent already, or none */
    const line_info *li = &L[l];
    if (li->score <= 0 || li->nw < 12 || !li->end_punct || li->boiler || li->never ||
        li->form || li->readmore || li->link_len * 2 >= li->len)
        return;
    for (size_t i = l + 1; i < *a; i++)
        if (L[i].score > 0) return;
    L[l].body = 1;
    *a = l;
}

static int copyright_holder(const line_info *li, found *f);

/* The key pages of one site share for kh_cleaner_observe(): the record's
 * source, the URL's host, else the holder of the page's copyright line
 * (a site prints the same one on every page). 0 when none is known. */
static uint64_t page_source_salt(const kh_doc *doc, const line_info *L, size_t n)
{
    const char *src = doc->source;
    size_t src_len = src ? strlen(src) : 0;
    if (!src_len) url_host(doc->url, &src, &src_len);
    if (src_len) return source_salt(src, src_len);
    for (size_t i = n, seen = 0; i > 0 && seen < 60; i--) {
        const line_info *li = &L[i - 1];
        if (!li->nw) continue;
        seen++;
        found f;
        if (li->copyright && copyright_holder(li, &f)) {
            char k[256];
            size_t kl = fold_words(f.p, f.len, k, sizeof k);
            return kl ? source_salt(k, kl) : 0;
        }
    }
    return 0;
}

/* ---- observe ------------------------------------------------------------ */

/* Names a document in messages: its file, and the line of a record that is
 * one of many in its file. */
static const char *doc_where(const kh_doc *doc, char *buf, size_t cap)
{
    const char *file = doc->file ? doc->file : (doc->id ? doc->id : "-");
    if (doc->format == KH_FORMAT_JSONL || doc->format == KH_FORMAT_WARC ||
        doc->format == KH_FORMAT_WET)
        snprintf(buf, cap, "%s:%llu", file, (unsigned long long)doc->line);
    else
        snprintf(buf, cap, "%s", file);
    return buf;
}

/* The cleaner's arena for HTML trees, made on first use. */
static kh_status tree_arena(kh_cleaner *c)
{
    return c->tree ? KH_OK : kh_arena_create(c->ctx, &c->tree);
}

kh_status khi_cleaner_observe_keys(kh_cleaner *c, const kh_doc *doc, const uint64_t **keys,
                                   size_t *n_keys, uint64_t *salt_out, int *counted)
{
    *keys = NULL;
    *n_keys = 0;
    *salt_out = 0;
    *counted = 0;
    if (!doc || doc->kind == KH_CONTENT_TEXT || !doc->content_len)
        return KH_OK;
    size_t n = 0;
    uint64_t salt = 0;
    if (doc->kind == KH_CONTENT_HTML) {
        /* The blocks and facts go to the memo, for kh_clean_doc(); without
         * one, the blocks alone go to the tree's arena. */
        if (kh_utf8_check(doc->content, doc->content_len, NULL) != KH_OK)
            return KH_OK; /* kh_clean_doc() reports it */
        KHI_FORWARD_IF_ERROR(tree_arena(c));
        if (!c->memo_off) KHI_FORWARD_IF_ERROR(memo_room(c));
        kh_arena *a = c->tree;
        khi_block *b;
        size_t nb;
        char where[1024];
        khi_html_meta meta;
        kh_status rc = khi_html_blocks(c->ctx, c->memo_off ? a : c->memo, a, doc->content,
                                       doc->content_len, doc_where(doc, where, sizeof where), &b,
                                       &nb, c->memo_off ? NULL : &meta);
        if (rc == KH_E_LIMIT) {
            kh_arena_reset(a);
            return KH_OK; /* over the work budget: kh_clean_doc() reports it */
        }
        if (rc == KH_OK && !c->memo_off) {
            XXH128_hash_t h = memo_hash(doc->content, doc->content_len);
            page_memo *m = memo_slot(c, h, doc->content_len);
            if (!m->hash.low64) c->memo_n++;
            *m = (page_memo){ h, doc->content_len, b, nb, meta, memo_budget(c->ctx) };
        }
        if (rc == KH_OK) rc = block_lines(c, b, nb);
        if (rc == KH_OK) {
            n = nb;
            for (size_t i = 0; i < n; i++) analyze(c, 0, &c->lines[i], ANALYZE_KEYS);
        }
        /* Line texts point into the memo or the tree's arena: keys and the
         * salt are all the counts keep. */
        if (rc == KH_OK) rc = page_repeats(c, c->lines, n);
        if (rc == KH_OK) salt = page_source_salt(doc, c->lines, n);
        for (size_t i = 0; i < n; i++) c->lines[i].text = NULL, c->lines[i].len = 0;
        kh_arena_reset(a);
        KHI_FORWARD_IF_ERROR(rc);
    } else {
        KHI_FORWARD_IF_ERROR(text_lines(c, doc->content, doc->content_len, &n));
        for (size_t i = 0; i < n; i++) {
            analyze(c, 0, &c->lines[i], ANALYZE_KEYS);
            if (c->lines[i].bad_utf8)
                return KH_OK; /* not UTF-8: kh_clean_doc() reports it */
        }
        KHI_FORWARD_IF_ERROR(page_repeats(c, c->lines, n));
        salt = page_source_salt(doc, c->lines, n);
    }
    /* c->tmp holds the page's sorted keys. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (c->lines[i].key) m++;
    *keys = c->tmp;
    *n_keys = m;
    *salt_out = salt;
    *counted = 1;
    return KH_OK;
}

void khi_cleaner_observe_add(kh_cleaner *c, const uint64_t *keys, size_t n, uint64_t salt)
{
    /* count each distinct key once */
    for (size_t i = 0; i < n; i++) {
        if (i && keys[i] == keys[i - 1]) continue;
        rep_add(c, keys[i]);
        if (salt) rep_add(c, keys[i] ^ salt);
    }
    if (salt) rep_add(c, salt ^ DOCS_SALT);
    c->docs++;
}

kh_status kh_cleaner_observe(kh_cleaner *c, const kh_doc *doc)
{
    const uint64_t *keys;
    size_t n;
    uint64_t salt;
    int counted;
    KHI_FORWARD_IF_ERROR(khi_cleaner_observe_keys(c, doc, &keys, &n, &salt, &counted));
    if (counted)
        khi_cleaner_observe_add(c, keys, n, salt);
    return KH_OK;
}

/* ---- title --------------------------------------------------------------- */

/* Word keys of the body, in a small open-addressing set in scratch memory. */
typedef struct word_set {
    uint64_t *slots;
    size_t cap;
} word_set;

static void ws_add(word_set *ws, uint64_t h)
{
    size_t i = (size_t)h & (ws->cap - 1);
    while (ws->slots[i] && ws->slots[i] != h) i = (i + 1) & (ws->cap - 1);
    ws->slots[i] = h;
}

static int ws_has(const word_set *ws, uint64_t h)
{
    size_t i = (size_t)h & (ws->cap - 1);
    while (ws->slots[i]) {
        if (ws->slots[i] == h) return 1;
        i = (i + 1) & (ws->cap - 1);
    }
    return 0;
}

/* Calls fn on each folded word (letters/digits run) of text. */
typedef void (*word_fn)(void *u, const char *w, size_t wl);
static void each_word(const char *text, size_t len, word_fn fn, void *u)
{
    const unsigned char *s = (const unsigned char *)text;
    char w[WORD_BUF];
    size_t wl = 0, i = 0;
    int ok = 1;
    while (i <= len) {
        uint32_t cp = ' ';
        size_t k = 1;
        if (i < len) k = dec(s + i, len - i, &cp);
        int kind;
        uint32_t f = classify(cp, &kind);
        if (kind) {
            if (f) {
                if (wl + 4 <= WORD_BUF) put_utf8(w, &wl, f);
                else ok = 0;
            }
        } else {
            if (wl && ok) fn(u, w, wl);
            wl = 0;
            ok = 1;
        }
        i += k;
    }
}

/* A light stem for comparing a headline's words with the body's: Arabic
 * conjunction and article prefixes (و ف ب ل ال) and a final alef, taa
 * marbuta (folded to ه) or yaa; Latin plural s. */
static void light_stem(const char **w, size_t *wl)
{
    const unsigned char *s = (const unsigned char *)*w;
    size_t l = *wl;
    /* و ف conjunction */
    if (l > 6 && s[0] == 0xD9 && (s[1] == 0x88 || s[1] == 0x81)) { s += 2; l -= 2; }
    /* ال, لل, and بال كال فال وال (ب ك ف و + ال) */
    if (l > 8 && s[0] == 0xD8 && s[1] == 0xA7 && s[2] == 0xD9 && s[3] == 0x84) {
        s += 4; l -= 4;
    } else if (l > 8 && s[0] == 0xD9 && s[1] == 0x84 && s[2] == 0xD9 && s[3] == 0x84) {
        s += 4; l -= 4;
    } else if (l > 10 && s[2] == 0xD8 && s[3] == 0xA7 && s[4] == 0xD9 && s[5] == 0x84 &&
               ((s[0] == 0xD8 && s[1] == 0xA8) || (s[0] == 0xD9 && (s[1] == 0x83 || s[1] == 0x81 ||
                                                                  s[1] == 0x88)))) {
        s += 6; l -= 6;
    }
    if (l > 6 && s[l - 2] == 0xD8 && s[l - 1] == 0xA7)
        l -= 2; /* ا */
    else if (l > 6 && s[l - 2] == 0xD9 && (s[l - 1] == 0x87 || s[l - 1] == 0x8A))
        l -= 2; /* ه ي */
    else if (l > 3 && s[l - 1] == 's')
        l--;
    *w = (const char *)s;
    *wl = l;
}

/* FNV-1a, then a final mix: words are short, a call to XXH3 costs more. */
static uint64_t word_hash(const char *w, size_t wl)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < wl; i++) {
        h ^= (unsigned char)w[i];
        h *= 0x100000001b3ull;
    }
    return khi_mix64(h) | 1;
}

static void add_word_cb(void *u, const char *w, size_t wl)
{
    light_stem(&w, &wl);
    ws_add(u, word_hash(w, wl));
}

typedef struct overlap_acc { const word_set *ws; int n, hit; } overlap_acc;
static void overlap_cb(void *u, const char *w, size_t wl)
{
    overlap_acc *a = u;
    light_stem(&w, &wl);
    a->n++;
    if (ws_has(a->ws, word_hash(w, wl))) a->hit++;
}

/* Is line key made of the title key repeated (twice or more)? */
static int key_repeats(kh_cleaner *c, const line_info *li, const char *tkey, size_t tkl)
{
    if (!tkl) return 0;
    kh_buf_clear(&c->scratch);
    if (fold_append(&c->scratch, li->text, li->len) != KH_OK) return 0;
    size_t l = c->scratch.len;
    if (l < tkl || l % tkl) return 0;
    for (size_t o = 0; o < l; o += tkl)
        if (memcmp(c->scratch.data + o, tkey, tkl) != 0) return 0;
    return 1;
}

/* Cuts a site name from a title: "T | site", "T - site", "site - T",
 * "site: T" is left alone. site is the known source name, or NULL. */
static void strip_site(const char **t, size_t *len, const char *site, int aggressive)
{
    static const char *const seps[] = { " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ",
                                        " \xE2\x80\xA2 ", " \xC2\xB7 ", NULL };
    char sk[256], pk[256];
    size_t skl = site ? fold_small(site, strlen(site), sk, sizeof sk) : 0;
    for (size_t s = 0; seps[s]; s++) {
        size_t sl = strlen(seps[s]);
        /* last occurrence -> suffix; first occurrence -> prefix */
        const char *last = NULL, *first = NULL;
        for (size_t i = 0; i + sl <= *len; i++)
            if (memcmp(*t + i, seps[s], sl) == 0) {
                if (!first) first = *t + i;
                last = *t + i;
            }
        if (!last) continue;
        const char *suf = last + sl;
        size_t sufl = *len - (size_t)(suf - *t);
        size_t headl = (size_t)(first - *t);
        size_t pkl;
        /* suffix equal to the site? */
        pkl = fold_small(suf, sufl, pk, sizeof pk);
        if (skl && pkl && (pkl == skl && !memcmp(pk, sk, skl))) {
            *len = (size_t)(last - *t);
            trim(t, len);
            return;
        }
        pkl = fold_small(*t, headl, pk, sizeof pk);
        if (skl && pkl && pkl == skl && !memcmp(pk, sk, skl)) {
            *len -= headl + sl;
            *t = first + sl;
            trim(t, len);
            return;
        }
        if (!aggressive) continue;
        size_t wsuf = count_words(suf, sufl), whead = count_words(*t, headl);
        size_t wmain_s = count_words(*t, (size_t)(last - *t));
        size_t wmain_p = count_words(first + sl, *len - headl - sl);
        if (wsuf <= 4 && wmain_s >= 3 && wmain_s > wsuf) {
            *len = (size_t)(last - *t);
            trim(t, len);
            return;
        }
        if (whead <= 3 && wmain_p >= 4) {
            *len -= headl + sl;
            *t = first + sl;
            trim(t, len);
            return;
        }
    }
}

/* ---- titles by agreement --------------------------------------------------- */

/* Separators between a headline and a site's name in <title>/og:title. */
static const char *const title_seps[] = { " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ",
                                          " \xE2\x80\xA2 ", " \xC2\xB7 ", " \xC2\xBB ", " \xC2\xAB ",
                                          " : ", ": ", " / ", "_", NULL };

#define TITLE_KEY 512

/* Names the page gives itself, folded: og:site_name, the URL's host label
 * ("spektrum" of www.spektrum.de), and a label-like <h1> found as an affix. */
typedef struct site_labels {
    char k[3][TITLE_KEY];
    size_t kl[3];
} site_labels;

/* The host's registered label: the one before the public suffix, skipping
 * a second-level "co"/"com"/"org" under a country code. */
static size_t host_label(const char *url, char *buf, size_t cap)
{
    const char *h;
    size_t hl;
    if (!url_host(url, &h, &hl)) return 0;
    size_t ends[16], ne = 0;
    for (size_t i = 0; i < hl && ne < 16; i++)
        if (h[i] == '.') ends[ne++] = i;
    if (!ne) return 0;
    size_t e = ends[ne - 1], s = ne >= 2 ? ends[ne - 2] + 1 : 0;
    if (ne >= 2 && e - s <= 3 && hl - e - 1 == 2) {
        e = ends[ne - 2];
        s = ne >= 3 ? ends[ne - 3] + 1 : 0;
    }
    return e - s >= 4 ? fold_small(h + s, e - s, buf, cap) : 0;
}

/* Is the folded piece one of the page's own names? A host label matches
 * inside a longer name ("MacTechNews.de", "Bondy Blog"). */
static int is_site_label(const site_labels *sl, const char *pk, size_t pkl)
{
    if (!pkl) return 0;
    for (int i = 0; i < 3; i++) {
        if (!sl->kl[i]) continue;
        if (pkl == sl->kl[i] && !memcmp(pk, sl->k[i], pkl)) return 1;
        /* a name around the host label, a few letters more or less */
        if (i == 1 && pkl >= 4 && pkl <= sl->kl[i] + 6 && sl->kl[i] <= pkl + 6 &&
            (mem_find(pk, pkl, sl->k[i], sl->kl[i]) || mem_find(sl->k[i], sl->kl[i], pk, pkl)))
            return 1;
    }
    return 0;
}

/* Cuts affixes that the page confirms: a piece after the last separator
 * or before the first that is one of the page's names, or whose removal
 * leaves exactly the other title source ("T | Site" next to og:title "T").
 * Unconfirmed affixes stay: "Würde des Lebens – ein Projekt" is a title. */
static void strip_confirmed(const char **t, size_t *len, const site_labels *sl, const char *other)
{
    char ok[TITLE_KEY], pk[TITLE_KEY];
    size_t okl = other ? fold_small(other, strlen(other), ok, sizeof ok) : 0;
    for (int round = 0; round < 3; round++) {
        int cut = 0;
        for (size_t s = 0; title_seps[s] && !cut; s++) {
            size_t sl_ = strlen(title_seps[s]);
            const char *first = NULL, *last = NULL;
            for (size_t i = 1; i + sl_ < *len; i++)
                if (memcmp(*t + i, title_seps[s], sl_) == 0) {
                    if (!first) first = *t + i;
                    last = *t + i;
                }
            if (!last) continue;
            const char *suf = last + sl_;
            size_t sufl = *len - (size_t)(suf - *t), headl = (size_t)(last - *t);
            size_t pkl = fold_small(suf, sufl, pk, sizeof pk);
            size_t hkl = fold_small(*t, headl, pk + pkl, sizeof pk - pkl);
            if (is_site_label(sl, pk, pkl) ||
                (okl && hkl && hkl == okl && !memcmp(pk + pkl, ok, okl))) {
                *len = headl;
                trim(t, len);
                cut = 1;
                continue;
            }
            size_t prel = (size_t)(first - *t);
            pkl = fold_small(*t, prel, pk, sizeof pk);
            const char *rest = first + sl_;
            size_t restl = *len - (size_t)(rest - *t);
            hkl = fold_small(rest, restl, pk + pkl, sizeof pk - pkl);
            if (is_site_label(sl, pk, pkl) ||
                (okl && hkl && hkl == okl && !memcmp(pk + pkl, ok, okl))) {
                *t = rest;
                *len = restl;
                trim(t, len);
                cut = 1;
            }
        }
        if (!cut) break;
    }
}

/*
 * The headline part of a crawled text's first line ("Boot Tulln 2022
 * abgesagt - Diveinside News"): the piece after its last title separator
 * is cut when it is a name the page prints again elsewhere (a footer, a
 * copyright line), and what is left has three words or more.
 */
static int text_title_head(const line_info *L, size_t n, size_t first, const char **t, size_t *len)
{
    const char *s = L[first].text;
    size_t sl = L[first].len;
    const char *last = NULL;
    size_t lastl = 0;
    for (size_t k = 0; title_seps[k]; k++) {
        size_t l = strlen(title_seps[k]);
        if (l < 2) continue; /* "_" joins words too */
        for (size_t i = 1; i + l < sl; i++)
            if (memcmp(s + i, title_seps[k], l) == 0 && (!last || s + i > last)) last = s + i, lastl = l;
    }
    if (!last) return 0;
    const char *suf = last + lastl;
    size_t sufl = sl - (size_t)(suf - s), headl = (size_t)(last - s);
    if (count_words(s, headl) < 3 || count_words(suf, sufl) > 5) return 0;
    char sk[TITLE_KEY];
    size_t skl = fold_small(suf, sufl, sk, sizeof sk);
    if (skl < 3) return 0;
    for (size_t i = 0; i < n; i++) {
        if (i == first || !L[i].nw || L[i].len > 4 * TITLE_KEY) continue;
        char lk[4 * TITLE_KEY];
        size_t lkl = fold_small(L[i].text, L[i].len, lk, sizeof lk);
        if (lkl >= skl && mem_find(lk, lkl, sk, skl)) {
            *t = s;
            *len = headl;
            trim(t, len);
            return 1;
        }
    }
    return 0;
}

/* Do two titles agree: after folding, does one contain the other? A word
 * or two inside a long title is no agreement ("News" in "News - Stadt"). */
static int titles_agree(const char *a, size_t al, const char *b, size_t bl)
{
    char ak[TITLE_KEY], bk[TITLE_KEY];
    size_t akl = fold_small(a, al, ak, sizeof ak), bkl = fold_small(b, bl, bk, sizeof bk);
    if (!akl || !bkl) return 0;
    size_t lo = KHI_MIN(akl, bkl), hi = akl + bkl - lo;
    if (lo < 12 && 2 * lo < hi) return 0;
    return akl <= bkl ? mem_find(bk, bkl, ak, akl) : mem_find(ak, akl, bk, bkl);
}

/* Is the <h1> the last piece of a title source: the site's name set as
 * the page's heading ("Yellow Vests and I — Pamela Anderson" under <h1>
 * "Pamela Anderson")? Only the last piece: a first or middle piece equal
 * to the <h1> is as often the headline ("1000 Euro Kredit » ..."), and a
 * name in front is caught by the host's label. Length tells a name from a
 * headline: a few words next to a longer rest. */
static int h1_is_affix(const char *h1k, size_t h1kl, size_t h1w, const char *t)
{
    if (!t || !h1kl || h1w > 3) return 0;
    size_t tl = strlen(t);
    if (count_words(t, tl) < 2 * h1w + 2) return 0;
    const char *last = NULL;
    for (size_t s = 0; title_seps[s]; s++) {
        size_t sl_ = strlen(title_seps[s]);
        for (size_t i = 1; i + sl_ < tl; i++)
            if (memcmp(t + i, title_seps[s], sl_) == 0 && (!last || t + i + sl_ > last))
                last = t + i + sl_;
    }
    if (!last) return 0;
    char pk[TITLE_KEY];
    size_t pkl = fold_small(last, tl - (size_t)(last - t), pk, sizeof pk);
    return pkl == h1kl && !memcmp(pk, h1k, pkl);
}

/* Is one piece of src (between title separators, or all of it) the
 * folded key k? */
static int src_has_piece(const char *k, size_t kl, const char *src, size_t srcl)
{
    if (!src || !srcl) return 0;
    size_t start = 0;
    while (start < srcl) {
        size_t end = srcl, sepl = 0;
        for (size_t i = start + 1; i < srcl && end == srcl; i++)
            for (size_t s = 0; title_seps[s]; s++) {
                size_t l = strlen(title_seps[s]);
                if (i + l <= srcl && !memcmp(src + i, title_seps[s], l)) { end = i, sepl = l; break; }
            }
        char pk[TITLE_KEY];
        size_t pkl = end > start ? fold_small(src + start, end - start, pk, sizeof pk) : 0;
        if (pkl && pkl == kl && !memcmp(pk, k, kl)) return 1;
        if (end == srcl) break;
        start = end + sepl;
    }
    return 0;
}

/* The title from the markup, by agreement among <h1>, og:title and
 * <title>: an <h1> that is a page heading (not the site's name) wins when
 * a title source agrees with it or when it is the page's only <h1>; else
 * og:title, else <title>, each with the affixes the page confirms cut.
 * aggressive is set when only an unconfirmed <title> is left, whose site
 * name the caller may still guess. */
static int markup_title(const khi_html_meta *m, const char *url, const char *site,
                        const char **t, size_t *tl, int *aggressive)
{
    site_labels sl;
    memset(&sl, 0, sizeof sl);
    if (site) sl.kl[0] = fold_small(site, strlen(site), sl.k[0], TITLE_KEY);
    sl.kl[1] = host_label(url, sl.k[1], TITLE_KEY);
    const char *h1 = m->h1;
    size_t h1l = h1 ? strlen(h1) : 0;
    if (h1) trim(&h1, &h1l);
    size_t h1w = h1l ? count_words(h1, h1l) : 0;
    char h1k[TITLE_KEY];
    size_t h1kl = h1w ? fold_small(h1, h1l, h1k, sizeof h1k) : 0;
    int h1_ok = h1kl && h1w <= 40 && h1l <= 400 && !is_site_label(&sl, h1k, h1kl);
    if (h1_ok && (h1_is_affix(h1k, h1kl, h1w, m->title_tag) || h1_is_affix(h1k, h1kl, h1w, m->og_title))) {
        h1_ok = 0;
        memcpy(sl.k[2], h1k, h1kl);
        sl.kl[2] = h1kl;
    }
    const char *og = m->og_title, *tt = m->title_tag;
    size_t ogl = og ? strlen(og) : 0, ttl = tt ? strlen(tt) : 0;
    if (og) { trim(&og, &ogl); strip_confirmed(&og, &ogl, &sl, m->title_tag); }
    if (tt) { trim(&tt, &ttl); strip_confirmed(&tt, &ttl, &sl, m->og_title); }
    if (!ogl) og = NULL;
    if (!ttl) tt = NULL;
    *aggressive = 0;
    /* The <h1> holds a kicker and the headline in two spans ("Interne
     * Unterlagen im Netz" "Daten von Rheinmetall gehackt"), and a title
     * source gives the headline as one piece: the last span is the
     * headline (the kicker stands first). */
    if (h1_ok && m->h1_last) {
        char lk[TITLE_KEY];
        const char *hl = m->h1_last;
        size_t hll = strlen(hl);
        trim(&hl, &hll);
        size_t lkl = hll && count_words(hl, hll) >= 3 ? fold_small(hl, hll, lk, sizeof lk) : 0;
        if (lkl && lkl < h1kl && (src_has_piece(lk, lkl, og, ogl) || src_has_piece(lk, lkl, tt, ttl))) {
            *t = hl, *tl = hll;
            return 1;
        }
    }
    /* Agreeing sources differ by a kicker or a section ("Tunesien" +
     * headline in <h1>, "Chronik: " + headline in og:title): the shorter
     * one is the headline. */
    const char *ag = og && h1_ok && titles_agree(h1, h1l, og, ogl) ? og
                     : tt && h1_ok && titles_agree(h1, h1l, tt, ttl) ? tt : NULL;
    if (ag) {
        /* Lengths of the folded words: "d'actions" in og:title and
         * "d’actions" in <h1> are the same headline, and the <h1> is the one
         * the page shows. */
        size_t agl = ag == og ? ogl : ttl;
        char ak[TITLE_KEY];
        size_t akl = fold_small(ag, agl, ak, sizeof ak);
        if (akl < h1kl) *t = ag, *tl = agl;
        else *t = h1, *tl = h1l;
        return 1;
    }
    /* The page's only <h1> is its heading, unless it is one word beside an
     * og:title, written for sharing the article: a section's label
     * ("News", "Details") over a headline. */
    if (h1_ok && ((m->n_h1 == 1 && !(og && h1w == 1)) || (!og && !tt))) {
        *t = h1, *tl = h1l;
        return 1;
    }
    if (og) { *t = og, *tl = ogl; return 1; }
    if (tt) {
        *t = tt, *tl = ttl;
        *aggressive = 1;
        return 1;
    }
    return 0;
}

/* ---- the article ----------------------------------------------------------- */


static const char *arena_str(kh_arena *a, const char *t, size_t len, kh_status *rc)
{
    if (*rc != KH_OK || !t) return NULL;
    char *s = kh_arena_strndup(a, t, len);
    if (!s) *rc = KH_E_NOMEM;
    return s;
}

/* Source from an "المصدر: X" / "Source: X" mark anywhere in a header line. */
static int source_mark(const line_info *li, found *f)
{
    static const char *const marks[] = { "المصدر", "Source", "SOURCE", "Source ", NULL };
    for (size_t m = 0; marks[m]; m++) {
        size_t ml = strlen(marks[m]);
        const char *p = find_sub(li->text, li->len, marks[m]);
        if (!p) continue;
        p += ml;
        const char *r = p;
        size_t rl = li->len - (size_t)(p - li->text);
        trim(&r, &rl);
        if (!rl || *r != ':') continue;
        r++, rl--;
        size_t sl;
        size_t d = find_dash(r, rl, 0, &sl);
        rl = d;
        strip_wrap(&r, &rl);
        if (!rl || count_words(r, rl) > 5) continue;
        char k[128];
        size_t kl = fold_small(r, rl, k, sizeof k);
        if (!kl || is_generic_source_key(k, kl)) continue;
        f->p = r;
        f->len = rl;
        return 1;
    }
    return 0;
}

/* Holder of a copyright line: "© 2016 X", "جميع الحقوق محفوظة لـ X 2025 ©". */
static int copyright_holder(const line_info *li, found *f)
{
    const char *t = li->text;
    size_t len = li->len;
    const char *r = NULL;
    size_t rl = 0;
    static const char *const ar[] = { "محفوظة لـ", "محفوظة ل", "محفوظه ل", NULL };
    for (size_t m = 0; ar[m] && !r; m++)
        for (size_t i = 0; i + strlen(ar[m]) <= len; i++)
            if (memcmp(t + i, ar[m], strlen(ar[m])) == 0) {
                r = t + i + strlen(ar[m]);
                rl = len - i - strlen(ar[m]);
                break;
            }
    if (!r) {
        const char *cp = find_sub(t, len, "\xC2\xA9");
        if (cp) cp += 2;
        for (size_t i = 0; !cp && i + 9 <= len; i++)
            if ((t[i] | 0x20) == 'c' && has_sub_ci(t + i, 9, "copyright")) cp = t + i + 9;
        if (!cp) return 0;
        /* "Copyright © 2016 X", "© Copyright X" */
        while (cp < t + len && (*cp == ' ' || *cp == ':')) cp++;
        if (cp + 2 <= t + len && !memcmp(cp, "\xC2\xA9", 2)) cp += 2;
        if (cp + 9 <= t + len && has_sub_ci(cp, 9, "copyright")) cp += 9;
        r = cp;
        rl = len - (size_t)(cp - t);
    }
    /* drop years, ©, "Copyright", "All rights reserved" */
    const char *s = r;
    size_t sl = rl;
    /* cut at the first "©", digit run at the end, or '.'/'|' */
    size_t cut = sl;
    for (size_t i = 0; i < sl; i++) {
        if ((unsigned char)s[i] == 0xC2 && i + 1 < sl && (unsigned char)s[i + 1] == 0xA9) { cut = i; break; }
        if (s[i] == '.' || s[i] == '|' || s[i] == ',') { cut = i; break; }
    }
    sl = cut;
    trim(&s, &sl);
    /* leading year */
    while (sl && ((*s >= '0' && *s <= '9') || *s == '-' || *s == ' ')) s++, sl--;
    /* trailing year */
    while (sl && ((s[sl - 1] >= '0' && s[sl - 1] <= '9') || s[sl - 1] == '-' || s[sl - 1] == ' ')) sl--;
    strip_wrap(&s, &sl);
    if (!sl || count_words(s, sl) > 6 || has_sub_ci(s, sl, "rights")) return 0;
    f->p = s;
    f->len = sl;
    return 1;
}

static int is_year_like_only(const line_info *li) { return li->nletters == 0; }

/* Words that say a line's date is the publication's. Matched anywhere in a
 * short line, case kept where a capital tells the mark from a noun. */
static const char *const date_marks[] = {
    "ver\xC3\xB6""ffentlicht", "Ver\xC3\xB6""ffentlicht", "Erstellt am", "erstellt am",
    "Geschrieben ", "Erschienen am", "Datum:", "Ver\xC3\xB6""ffentlichung", "Gespeichert von",
    "Submitted by", "Published",
    "published", "Posted",
    "posted on", "Date:", "Publi\xC3\xA9", "publi\xC3\xA9", "Publicado", "publicado",
    "Pubblicato", "pubblicato", "\xD9\x86\xD8\xB4\xD8\xB1", /* نشر */
    NULL,
};

/* The date a line gives, when it can be a web page's: from 1995 on, and
 * not after the crawl. Older years in a page's lines are history, or two
 * fields run together ("28.09.19" and "12:44" read as 28.09.1912).
 * at receives where the date starts in the line. */
static int line_date(const line_info *li, const char *ref, char iso[KH_DATE_ISO_MAX], size_t *at)
{
    size_t start = 0;
    if (khi_date_find(li->text, li->len, ref, iso, KH_DATE_ISO_MAX, &start, NULL) != KH_OK) return 0;
    if (strtol(iso, NULL, 10) < 1995) return 0;
    if (ref && iso_days(iso) > iso_days(ref) + 1) return 0;
    if (at) *at = start;
    return 1;
}

/* Words that date the page rather than the story: its last update. */
static const char *const date_weak_marks[] = {
    "Stand ", "Stand:", "Aktualisiert", "aktualisiert", "Zuletzt", "Updated", "updated", "Last updated",
    "last edited", "Last modified", "Date ", "Mis \xC3\xA0 jour", "mis \xC3\xA0 jour", NULL,
};

static int date_weakly_marked(const line_info *li)
{
    for (size_t i = 0; date_weak_marks[i]; i++)
        if (has_sub(li->text, li->len, date_weak_marks[i])) return 1;
    return 0;
}

static int date_marked(const line_info *li)
{
    for (size_t i = 0; date_marks[i]; i++)
        if (has_sub(li->text, li->len, date_marks[i])) return 1;
    return 0;
}

/* Does day-first iso a, read month-first, give b's day ("2021-01-11"
 * against "2021-11-01")? */
static int swapped_day(const char *a, const char *b)
{
    return strlen(a) >= 10 && strlen(b) >= 10 && !memcmp(a, b, 5) && a[5] <= '1' && a[8] <= '1' &&
           !memcmp(a + 5, b + 8, 2) && !memcmp(a + 8, b + 5, 2);
}

/* A dated line: pages print today's date in their header, other
 * stories' dates in lists and the article's own date next to its headline
 * or byline, often with a mark ("Veröffentlicht am", "Posted on", "Publié
 * le", "نشر في"). So a marked line wins, above the body, at its head or
 * just below it; else the dated line nearest above the body; else a short
 * line at the body's head (a byline date). The body is L[a..b] when have.
 * @return the line, or n for none; *marked says it carries a mark. */
static size_t dated_line(const line_info *L, size_t n, int have, size_t a, size_t b,
                         size_t head_end, const char *ref, int *marked_out)
{
    char iso[KH_DATE_ISO_MAX];
    size_t lo = have && head_end > 60 ? head_end - 60 : 0;
    size_t hi = have ? head_end : KHI_MIN(n, (size_t)80);
    size_t pick = n, marked = n;
    for (size_t i = lo; i < hi && marked == n; i++) {
        const line_info *li = &L[i];
        if (!li->nw || li->nw > 30 || (!li->ndigits && !ref) || li->copyright) continue;
        if (!line_date(li, ref, iso, NULL)) continue;
        if (date_marked(li)) marked = i;
        else if (pick == n) pick = i;
    }
    /* then the page's top lines, when the body starts far down */
    for (size_t i = 0; marked == n && pick == n && i < KHI_MIN(lo, (size_t)80); i++)
        if (L[i].nw && L[i].nw <= 30 && (L[i].ndigits || ref) && !L[i].copyright &&
            line_date(&L[i], ref, iso, NULL))
            pick = i;
    for (size_t i = a; have && marked == n && i <= b + 12 && i < n; i++) {
        const line_info *li = &L[i];
        if (!li->nw || !li->ndigits || (i > b && !date_marked(li))) continue;
        size_t at = 0;
        if (!line_date(li, ref, iso, &at)) continue;
        /* a lead that opens with its date ("(18.01.2018) Deutschlands
         * Landwirte ...", "Karlsruhe, (12.11.2021). ...") dates the story */
        if (li->nw > 12 && !(i < a + 6 && at <= 24)) continue;
        if (date_marked(li)) marked = i;
        else if (pick == n && i < a + 6) pick = i;
    }
    /* last, a line that dates the page itself ("Stand 27.01.2022",
     * "Aktualisiert: ...", "last edited ..."): the page's date when it
     * shows no other */
    for (size_t i = lo; marked == n && pick == n && i < n && i <= (have ? b + 12 : hi); i++) {
        const line_info *li = &L[i];
        if (li->nw && li->nw <= 12 && li->ndigits && date_weakly_marked(li) &&
            line_date(li, ref, iso, NULL))
            pick = i;
    }
    /* or a line that is a date and nothing else (a time at most) closing
     * the article: its date stamp, printed at its foot */
    for (size_t i = b + 1; have && marked == n && pick == n && i < n && i <= b + 4; i++) {
        const line_info *li = &L[i];
        size_t at = 0;
        if (li->nw && li->nw <= 6 && li->ndigits && !li->in_list && line_date(li, ref, iso, &at) &&
            at <= 2)
            pick = i;
    }
    *marked_out = marked < n;
    return marked < n ? marked : pick;
}

/* ---- one page, step by step ---------------------------------------------- */

/* What kh_clean_doc() knows of a page as its steps run, in their order:
 * the lines and markup, the language, the body's run of lines [a, b], the
 * lines around it, the source, the title. */
typedef struct page_clean {
    kh_cleaner *c;
    kh_doc *doc;
    kh_arena *A;
    kh_article *art;
    const char *content;
    size_t content_len;
    const char *ref;       /* the fetch time: dates without a year read near it */
    int html;
    khi_html_meta meta;
    line_info *L;          /* c->lines */
    size_t n;
    kh_lang lang;
    int have;              /* a body was found: L[a..b] */
    size_t a, b;
    size_t head_end;       /* lines before the body: where titles and dates live */
    dateline dl;           /* the body's dateline, when have_dl */
    int have_dl, dl_line;  /* dl_line: the dateline is a line of its own */
    found attrib;          /* an attribution just below the body */
    found srcf;            /* the source */
    int srcf_from_page;    /* the source was read from the page's own lines */
    uint64_t src_key;      /* its line key, 0 for none */
    const char *title;
    size_t title_len;
    int title_from_markup;
} page_clean;

/* A clean record (text, not a page) passes through: its lines are its
 * paragraphs, a dateline prefix is read off its first. */
static kh_status clean_text_record(kh_cleaner *c, kh_doc *doc, kh_article *art,
                                   const char *content, size_t content_len)
{
    kh_arena *A = doc->arena;
    kh_status rc = KH_OK;
    size_t n = 0;
    KHI_FORWARD_IF_ERROR(text_lines(c, content, content_len, &n));
    size_t nb = 0;
    for (size_t i = 0; i < n; i++) nb += c->lines[i].len > 0;
    const char **body = kh_arena_alloc(A, (nb ? nb : 1) * sizeof *body);
    KHI_RETURN_IF(!body, KH_E_NOMEM);
    size_t k = 0;
    for (size_t i = 0; i < n && rc == KH_OK; i++)
        if (c->lines[i].len) body[k++] = arena_str(A, c->lines[i].text, c->lines[i].len, &rc);
    KHI_FORWARD_IF_ERROR(rc);
    art->body = body;
    art->n_body = k;
    for (size_t i = 0; i < n; i++)
        if (c->lines[i].len) {
            dateline pd;
            if (dateline_prefix(&c->lines[i], &pd)) {
                art->dateline = arena_str(A, pd.place, pd.place_len, &rc);
                if (pd.is_agency && pd.who)
                    art->dateline_agency = arena_str(A, pd.who, pd.who_len, &rc);
            }
            break;
        }
    KHI_FORWARD_IF_ERROR(rc);
    art->title = doc->title;
    art->source = doc->source;
    art->lang = doc->lang != KH_LANG_UNKNOWN ? doc->lang : kh_lang_detect(content, KHI_MIN(content_len, (size_t)8192));
    doc->lang = art->lang;
    if (!k) art->warnings |= content_len ? KH_CLEAN_W_NO_BODY : KH_CLEAN_W_EMPTY;
    else if (art->lang == KH_LANG_UNKNOWN) art->warnings |= KH_CLEAN_W_UNKNOWN_LANG;
    return KH_OK;
}

/* The page's lines: HTML blocks with their markup, or crawled text. */
static kh_status page_lines(page_clean *pc)
{
    kh_cleaner *c = pc->c;
    memset(&pc->meta, 0, sizeof pc->meta);
    pc->n = 0;
    if (pc->html) {
        khi_block *b;
        size_t nb;
        char where[1024];
        const page_memo *m = memo_find(c, pc->content, pc->content_len);
        if (m) {
            KHI_FORWARD_IF_ERROR(memo_take(m, pc->A, &b, &pc->meta));
            nb = m->n_blocks;
            c->memo_hits++;
        } else {
            KHI_FORWARD_IF_ERROR(tree_arena(c));
            kh_status rc = khi_html_blocks(c->ctx, pc->A, c->tree, pc->content, pc->content_len,
                                           doc_where(pc->doc, where, sizeof where), &b, &nb,
                                           &pc->meta);
            kh_arena_reset(c->tree);
            KHI_FORWARD_IF_ERROR(rc);
        }
        KHI_FORWARD_IF_ERROR(block_lines(c, b, nb));
        pc->n = nb;
        if (!pc->art->url && pc->meta.url) pc->art->url = pc->meta.url;
    } else {
        KHI_FORWARD_IF_ERROR(text_lines(c, pc->content, pc->content_len, &pc->n));
    }
    pc->L = c->lines;
    return KH_OK;
}

/* Language: the record's, else the text's; <html lang> only breaks a tie,
 * since templates ship lang="en-US" over Arabic and German text. Any
 * language gets its body: stopwords help where there is a list. */
static void page_language(page_clean *pc)
{
    kh_cleaner *c = pc->c;
    line_info *L = pc->L;
    size_t n = pc->n;
    pc->lang = pc->doc->lang;
    if (pc->lang != KH_LANG_UNKNOWN)
        return;
    /* Detect on the longest lines. */
    kh_buf_clear(&c->scratch);
    for (size_t i = 0; i < n && c->scratch.len < 2048; i++)
        if ((L[i].len >= 80 || (n < 8 && L[i].len)) && !server_diagnostic(L[i].text, L[i].len)) {
            if (kh_buf_append(&c->scratch, L[i].text, L[i].len) != KH_OK ||
                kh_buf_append(&c->scratch, "\n", 1) != KH_OK)
                break;
        }
    if (!c->scratch.len)
        for (size_t i = 0; i < n && c->scratch.len < 2048; i++)
            if (kh_buf_append(&c->scratch, L[i].text, L[i].len) != KH_OK ||
                kh_buf_append(&c->scratch, "\n", 1) != KH_OK)
                break;
    /* (page text is not checked yet: the sample is, before detection) */
    if (c->scratch.len && kh_utf8_check(c->scratch.data, c->scratch.len, NULL) == KH_OK)
        pc->lang = khi_lang_detect_hint(c->scratch.data, c->scratch.len,
                                        khi_lang_of_tag(pc->meta.lang));
}

/* Every line scored in pc->lang, and the body as the run of lines with the
 * largest total score. The language is the article's, not the page's: an
 * Arabic article under an English or German template (menus, consent text,
 * footers) was sampled from the template. A body in another language is
 * scored again with that language's stopwords, once. */
static kh_status page_segment(page_clean *pc)
{
    kh_cleaner *c = pc->c;
    kh_article *art = pc->art;
    line_info *L = pc->L;
    size_t n = pc->n;
    int detected = pc->doc->lang == KH_LANG_UNKNOWN;
    size_t total, total_link, nonblank;
    double best;
    for (int second_look = 0;; second_look = 1) {
        unsigned sw = KHI_SW_BIT(pc->lang);
        c->page_sw = sw;
        art->lang = pc->lang;
        pc->doc->lang = pc->lang;
        total = total_link = nonblank = 0;
        for (size_t i = 0; i < n; i++) {
            analyze(c, sw, &L[i], ANALYZE_ALL);
            if (L[i].bad_utf8) {
                const unsigned char *p = (const unsigned char *)L[i].text;
                size_t off = 0;
                kh_utf8_check(L[i].text, L[i].len, &off);
                return kh_ctx_error(c->ctx, KH_E_UTF8, "%s: invalid UTF-8 at byte %zu",
                                    pc->doc->file ? pc->doc->file
                                                  : (pc->doc->id ? pc->doc->id : "-"),
                                    (size_t)(p - (const unsigned char *)pc->content) + off);
            }
            total += L[i].len;
            total_link += L[i].link_len;
            nonblank += L[i].nw > 0;
        }
        KHI_FORWARD_IF_ERROR(page_repeats(c, L, n));

        /* Source salt for the repetition table: as kh_cleaner_observe() did. */
        score_lines(c, L, n, pc->html, page_source_salt(pc->doc, L, n));

        /* Maximum-sum segment. */
        double cur = 0;
        size_t cs = 0;
        best = 0;
        pc->a = pc->b = 0;
        pc->have = 0;
        for (size_t i = 0; i < n; i++) {
            if (cur <= 0) { cur = 0; cs = i; }
            cur += L[i].score;
            if (cur > best) { best = cur; pc->a = cs; pc->b = i; pc->have = 1; }
        }
        if (!detected || !pc->have || second_look)
            break;
        kh_buf_clear(&c->scratch);
        for (size_t i = pc->a; i <= pc->b && c->scratch.len < 2048; i++)
            if (L[i].nw >= 5 && !L[i].bad_utf8 &&
                (kh_buf_append(&c->scratch, L[i].text, L[i].len) != KH_OK ||
                 kh_buf_append(&c->scratch, "\n", 1) != KH_OK))
                break;
        kh_lang body_lang = c->scratch.len >= 64
                                ? khi_lang_detect_hint(c->scratch.data, c->scratch.len, pc->lang)
                                : pc->lang;
        if (body_lang == pc->lang || body_lang == KH_LANG_UNKNOWN)
            break;
        pc->lang = body_lang;
    }
    /* A page mostly of links (an index, a portal) can still hold a visible
     * article: linked lines already score as boilerplate, so a segment that
     * pays for itself is prose, and "all links" only names why none did. */
    if (!nonblank) {
        art->warnings |= KH_CLEAN_W_EMPTY;
        pc->have = 0;
    } else if (!pc->have || best < 8) {
        art->warnings |= pc->html && total && (double)total_link >= 0.7 * (double)total
                             ? KH_CLEAN_W_ALL_LINKS : KH_CLEAN_W_NO_BODY;
        pc->have = 0;
    }
    if (pc->have && pc->lang == KH_LANG_UNKNOWN)
        art->warnings |= KH_CLEAN_W_UNKNOWN_LANG; /* a body still, only unstemmed */
    return KH_OK;
}

/* The body's edges: a dateline standing just above it, an attribution just
 * below it. */
static void page_edges(page_clean *pc)
{
    line_info *L = pc->L;
    size_t n = pc->n;
    for (size_t i = 0; i < n; i++) L[i].body = 0;
    pc->head_end = n;
    memset(&pc->dl, 0, sizeof pc->dl);
    pc->have_dl = pc->dl_line = 0;
    pc->attrib = (found){ 0, 0 };
    if (!pc->have)
        return;
    size_t a = pc->a, b = pc->b;
    while (a <= b && !L[a].nw) a++;
    for (size_t i = a; i <= b; i++) L[i].body = L[i].nw > 0;
    /* a dateline standing just above */
    size_t p = a;
    while (p > 0 && !L[p - 1].nw) p--;
    if (p > 0 && dateline_line(&L[p - 1], &pc->dl, L, n)) {
        L[p - 1].body = 1;
        a = p - 1;
        pc->have_dl = 1;
        pc->dl_line = 1;
    } else if (dateline_prefix(&L[a], &pc->dl)) {
        pc->have_dl = 1;
    }
    /* an attribution just below */
    size_t q = b + 1;
    while (q < n && !L[q].nw) q++;
    if (q < n && attribution_line(&L[q], &pc->attrib.p, &pc->attrib.len)) {
        L[q].body = 1;
        b = q;
    } else if (attribution_line(&L[b], &pc->attrib.p, &pc->attrib.len)) {
        /* already inside */
    } else {
        pc->attrib.p = NULL;
    }
    pc->head_end = a;
    pc->a = a;
    pc->b = b;
}

/* Source, strongest first: the record, og:site_name, a source line above
 * the body, the dateline's outlet, an attribution after the body, a name
 * printed beside the site's domain, a copyright line's holder, the URL's
 * host. */
static void page_source(page_clean *pc)
{
    const kh_doc *doc = pc->doc;
    line_info *L = pc->L;
    size_t n = pc->n, b = pc->b, head_end = pc->head_end;
    int have = pc->have;
    found srcf = { 0, 0 };
    if (doc->source && doc->source[0]) {
        srcf.p = doc->source;
        srcf.len = strlen(doc->source);
    } else if (pc->meta.site_name) {
        srcf.p = pc->meta.site_name;
        srcf.len = strlen(pc->meta.site_name);
    }
    for (size_t i = 0; !srcf.p && i < head_end && i < 80; i++)
        if (L[i].nw && source_mark(&L[i], &srcf)) break;
    if (!srcf.p && pc->have_dl && !pc->dl.is_agency && pc->dl.who) {
        char k[128];
        size_t kl = fold_small(pc->dl.who, pc->dl.who_len, k, sizeof k);
        if (kl && !is_generic_source_key(k, kl)) { srcf.p = pc->dl.who; srcf.len = pc->dl.who_len; }
    }
    if (!srcf.p && pc->attrib.p && !is_agency(pc->attrib.p, pc->attrib.len)) {
        char k[128];
        size_t kl = fold_small(pc->attrib.p, pc->attrib.len, k, sizeof k);
        if (kl && !is_generic_source_key(k, kl)) srcf = pc->attrib;
    }
    if (!srcf.p) {
        /* a short name printed next to the site's domain, below the body */
        size_t from = have ? b + 1 : 0;
        for (size_t i = from; i < n && !srcf.p; i++) {
            if (!L[i].url || looks_like_url(L[i].text, L[i].len) == 0) continue;
            if (has_sub(L[i].text, L[i].len, "@")) continue;
            size_t p = i;
            while (p > from && !L[p - 1].nw) p--;
            if (p > from) {
                line_info *nm = &L[p - 1];
                if (nm->nw >= 1 && nm->nw <= 4 && !nm->ndigits && !nm->end_punct && !nm->url &&
                    !nm->copyright && !nm->form)
                    srcf.p = nm->text, srcf.len = nm->len;
            }
        }
    }
    if (!srcf.p) {
        for (size_t i = have ? b + 1 : 0; i < n; i++)
            if (L[i].copyright && copyright_holder(&L[i], &srcf)) break;
        /* The holder is often the site's name with more words ("X Media",
         * "مؤسسة X للإعلام"); the page's first lines usually show the name. */
        if (srcf.p) {
            char hk[256], lk[256];
            size_t hkl = fold_words(srcf.p, srcf.len, hk, sizeof hk);
            for (size_t i = 0, seen = 0; hkl && i < n && seen < 3; i++) {
                if (!L[i].nw) continue;
                seen++;
                if (L[i].nw > 4 || L[i].ndigits || L[i].end_punct) continue;
                size_t lkl = fold_words(L[i].text, L[i].len, lk, sizeof lk);
                if (lkl > 2 && lkl < hkl && mem_find(hk, hkl, lk, lkl)) {
                    srcf.p = L[i].text;
                    srcf.len = L[i].len;
                    break;
                }
            }
        }
    }
    pc->srcf_from_page = srcf.p && srcf.p != doc->source && srcf.p != pc->meta.site_name &&
                         srcf.p != pc->attrib.p && !(pc->have_dl && srcf.p == pc->dl.who);
    if (!srcf.p && url_host(pc->art->url, &srcf.p, &srcf.len)) {}
    pc->src_key = 0;
    if (srcf.p) {
        char k[256];
        size_t kl = fold_small(srcf.p, srcf.len, k, sizeof k);
        if (kl) pc->src_key = XXH3_64bits(k, kl) | 1;
    }
    pc->srcf = srcf;
}

/* The title a page without one in its record or markup shows: the line
 * before the body that best echoes the body's first words, helped by how
 * often the page repeats it and by the <title> of crawled text holding it;
 * else the line printed just above the page's date line. */
static kh_status title_from_lines(page_clean *pc)
{
    kh_cleaner *c = pc->c;
    line_info *L = pc->L;
    size_t n = pc->n, a = pc->a, b = pc->b, head_end = pc->head_end;
    int html = pc->html;
    uint64_t src_key = pc->src_key;
    /* The headline's words are in the lead: the first 120 words do. */
    size_t cap, words = 0, last_line = a;
    for (size_t i = a; i <= b && words < 120; i++) {
        words += L[i].body ? L[i].nw : 0;
        last_line = i;
    }
    cap = 64;
    while (cap < words * 2) cap <<= 1;
    word_set ws = { kh_malloc(c->ctx, cap * sizeof(uint64_t)), cap };
    KHI_RETURN_IF(!ws.slots, KH_E_NOMEM);
    memset(ws.slots, 0, cap * sizeof(uint64_t));
    /* the body's words, a dateline line left out (it names the outlet) */
    for (size_t i = a; i <= last_line; i++)
        if (L[i].body && !(pc->have_dl && pc->dl_line && i == a))
            each_word(L[i].text, L[i].len, add_word_cb, &ws);
    double best_s = 0;
    size_t best_i = n;
    size_t from = head_end > 60 ? head_end - 60 : 0;
    /* Crawled text opens with the page's <title>, the headline and the
     * site's name: a later line that the first one holds is the
     * headline as the page prints it. */
    char first_k[512];
    size_t first_i = 0, first_kl = 0;
    while (!html && first_i < head_end && !L[first_i].nw) first_i++;
    if (!html && first_i < head_end && L[first_i].nw >= 3)
        first_kl = fold_words(L[first_i].text, L[first_i].len, first_k, sizeof first_k);
    /* lines above the window only when the <title> holds them: a
     * handful per page, so the cost stays linear */
    size_t scan_from = first_kl && first_i + 1 < from ? first_i + 1 : from;
    for (size_t i = scan_from; i < head_end; i++) {
        line_info *li = &L[i];
        if (li->nw < 2 || li->nw > 40 || li->url || li->copyright || li->form || li->dated ||
            li->piped || is_year_like_only(li) ||
            (li->end_punct && last_meaningful(li->text, li->len) == '.') ||
            (src_key && li->key == src_key))
            continue;
        double in_title = 0;
        if (first_kl && i > first_i) {
            char k[512];
            size_t kl = fold_words(li->text, li->len, k, sizeof k);
            if (kl >= 8 && kl < first_kl && mem_find(first_k, first_kl, k, kl))
                in_title = src_has_piece(k, kl, L[first_i].text, L[first_i].len) ? 1.0 : 0.5;
        }
        if (i < from && !in_title) continue;
        overlap_acc acc = { &ws, 0, 0 };
        each_word(li->text, li->len, overlap_cb, &acc);
        if (!acc.n) continue;
        double ov = (double)acc.hit / acc.n;
        double s = ov * KHI_MIN((double)acc.n, 8.0) / 8.0;
        /* pages repeat their headline, also as "T T" */
        int reps = li->page_rep - 1;
        for (size_t j = 0; j < n; j++)
            if (L[j].half_key && L[j].half_key == li->key) reps++;
        s += 0.15 * KHI_MIN(reps, 3);
        s += in_title;
        if (s > best_s + 1e-9) { best_s = s; best_i = i; }
    }
    kh_free(c->ctx, ws.slots, cap * sizeof(uint64_t));
    if (!(best_i < n && best_s >= 0.2)) {
        /* Nothing echoes the body (columns have figurative headlines):
         * take the line printed just above the page's date line. */
        best_i = n;
        for (size_t i = head_end; i > from && best_i == n; i--) {
            if (!L[i - 1].dated) continue;
            size_t p = i - 1;
            while (p > from && !L[p - 1].nw) p--;
            if (p == from) break;
            line_info *li = &L[p - 1];
            if (li->nw >= 1 && li->nw <= 25 && !li->url && !li->copyright && !li->form &&
                !li->dated && !li->piped && !li->in_list && !li->closer && !li->never &&
                !(li->end_punct && last_meaningful(li->text, li->len) == '.') &&
                !(src_key && li->key == src_key) && li->nletters > 0) {
                best_i = p - 1;
                best_s = 1;
            }
        }
    }
    if (best_i < n && best_s >= 0.2) {
        /* the first line with the same key (pages repeat the title, the
         * first copy is the plainest) */
        size_t t = best_i;
        for (size_t i = 0; i < best_i; i++)
            if (L[i].key == L[best_i].key) { t = i; break; }
        pc->title = L[t].text;
        pc->title_len = L[t].len;
    }
    /* No line the <title> holds echoes the body: the <title> itself,
     * without a site's name the page prints elsewhere. */
    if (first_kl && best_s < 0.5 && text_title_head(L, n, first_i, &pc->title, &pc->title_len))
        best_s = 0.5;
    return KH_OK;
}

/* Title: the record's, the markup's, else the page's lines; then a site's
 * name cut off it. */
static kh_status page_title(page_clean *pc)
{
    const kh_doc *doc = pc->doc;
    pc->title = NULL;
    pc->title_len = 0;
    pc->title_from_markup = 0;
    if (doc->title && doc->title[0]) {
        pc->title = doc->title;
        pc->title_len = strlen(pc->title);
    } else if (pc->html && (pc->meta.og_title || pc->meta.title_tag || pc->meta.h1)) {
        markup_title(&pc->meta, pc->art->url, pc->meta.site_name, &pc->title, &pc->title_len,
                     &pc->title_from_markup);
    }
    if (!pc->title && pc->have)
        KHI_FORWARD_IF_ERROR(title_from_lines(pc));

    /* Title clean-up: cut a site name. */
    if (pc->title) {
        trim(&pc->title, &pc->title_len);
        char tmp_site[256];
        const char *site = NULL;
        if (pc->srcf.p && pc->srcf.len < sizeof tmp_site) {
            memcpy(tmp_site, pc->srcf.p, pc->srcf.len);
            tmp_site[pc->srcf.len] = '\0';
            site = tmp_site;
        }
        strip_site(&pc->title, &pc->title_len, site, pc->title_from_markup);
    }
    return KH_OK;
}

/* Date: the record's (kh_clean_doc()), the markup's (JSON-LD, then meta,
 * microdata and <time>), then a dated line near the head of the body. */
static kh_status page_date(page_clean *pc)
{
    kh_article *art = pc->art;
    kh_arena *A = pc->A;
    line_info *L = pc->L;
    const khi_html_meta *meta = &pc->meta;
    const char *ref = pc->ref;
    size_t n = pc->n, a = pc->a, b = pc->b, head_end = pc->head_end;
    int have = pc->have;
    kh_status rc = KH_OK;
    char iso[KH_DATE_ISO_MAX];
    int t_marked = 0;
    size_t t_line = dated_line(L, n, have, a, b, head_end, ref, &t_marked);
    char tday[KH_DATE_ISO_MAX];
    int has_t = t_line < n && line_date(&L[t_line], ref, tday, NULL);
    const char *stamp = NULL; /* the markup timestamp the date came from */
    /* the last, the page's first <time>, when a meta tag came first, only
     * settles disagreements (below) */
    const char *stamps[NSTAMPS] = { meta->ld_published, NULL, NULL, NULL };
    const char *stamp_src[NSTAMPS] = { "jsonld", "meta", "microdata", "time" };
    if (meta->published_time) {
        /* a page's first <time> is weaker than an itemprop="datePublished" */
        stamps[1] = meta->item_published, stamp_src[1] = "microdata";
        stamps[2] = meta->published, stamp_src[2] = "time";
    } else {
        stamps[1] = meta->published;
        stamps[2] = meta->item_published;
        stamps[3] = meta->time_published;
    }
    for (size_t k = 0; k < 3 && !art->date; k++)
        if (stamps[k] && kh_date_parse(stamps[k], strlen(stamps[k]), ref, iso, sizeof iso) == KH_OK)
            art->date = arena_str(A, iso, strlen(iso), &rc), stamp = stamps[k],
            art->date_source = stamp_src[k];
    /* A UTC stamp's day is the server's; the same moment written with the
     * publisher's offset elsewhere in the markup ("2019-10-18T22:04:00Z"
     * beside "2019-10-19T00:04:00+02:00"), or as local time without one
     * (the same minutes and seconds, other hours: "2023-11-08 22:35:29"
     * beside "2023-11-09T06:35:29+00:00"), gives the publisher's day. */
    for (size_t k = 0; art->date && stamp && utc_stamp(stamp) && k < 3; k++) {
        char other[KH_DATE_ISO_MAX];
        if (!stamps[k] || stamps[k] == stamp || utc_stamp(stamps[k]) ||
            kh_date_parse(stamps[k], strlen(stamps[k]), ref, other, sizeof other) != KH_OK)
            continue;
        if (!offset_stamp(stamps[k]) &&
            !(strlen(art->date) == 19 && strlen(other) == 19 && !memcmp(art->date + 13, other + 13, 6)))
            continue;
        long gap = iso_days(art->date) - iso_days(other);
        if (gap == 1 || gap == -1) {
            art->date = arena_str(A, other, strlen(other), &rc), art->date_source = stamp_src[k];
            break;
        }
    }
    /* A day in the URL's path is the publisher's own: it overrules a UTC
     * stamp one day off (an evening story in New York is tomorrow in UTC). */
    char uday[KH_DATE_ISO_MAX];
    if (art->date && stamp && utc_stamp(stamp) && url_date(art->url, uday)) {
        long gap = iso_days(art->date) - iso_days(uday);
        if (gap == 1 || gap == -1)
            art->date = arena_str(A, uday, strlen(uday), &rc), art->date_source = "url";
    }
    /* The URL was made when the story first went out: a stamp days after
     * its day is a later edit or a re-publication. */
    if (art->date && stamp && url_date(art->url, uday) && iso_days(art->date) > iso_days(uday) + 1)
        art->date = arena_str(A, uday, strlen(uday), &rc), art->date_source = "url";
    /* Markup stamps that disagree (a CMS's JSON-LD beside its meta tags,
     * a <time> beside both): the one whose day the page prints by its
     * headline is the article's. */
    if (art->date && stamp && has_t && strncmp(art->date, tday, 10) != 0 &&
        !(url_date(art->url, uday) && strncmp(art->date, uday, 10) == 0)) {
        for (size_t k = 0; k < NSTAMPS; k++) {
            char other[KH_DATE_ISO_MAX];
            if (!stamps[k] || stamps[k] == stamp ||
                kh_date_parse(stamps[k], strlen(stamps[k]), ref, other, sizeof other) != KH_OK ||
                strncmp(other, tday, 10) != 0)
                continue;
            art->date = arena_str(A, other, strlen(other), &rc), art->date_source = stamp_src[k];
            break;
        }
        /* No stamp agrees: a short dated line right above the body or at
         * its head (marked, also just below it) is the date the reader
         * sees, and the markup's is an edit's, or the CMS's. A day and
         * month that read both ways (11/01/2021) and agree with the
         * markup one way leave it be. */
        if (have && strncmp(art->date, tday, 10) != 0 && L[t_line].nw <= 10 &&
            ((t_line + 4 >= head_end && t_line <= a + 1) || (t_marked && t_line <= b + 1)) &&
            !(swapped_day(tday, art->date) && !strchr(stamp, '/')))
            art->date = arena_str(A, tday, strlen(tday), &rc), art->date_source = "text";
    }
    /* ... else a dated line near the body, unless the URL's day (no
     * guess) says otherwise */
    if (!art->date && has_t && !(url_date(art->url, uday) && strncmp(tday, uday, 10) != 0))
        art->date = arena_str(A, tday, strlen(tday), &rc), art->date_source = "text";
    /* ... or, last, a full day in the URL's path */
    if (!art->date && url_date(art->url, uday))
        art->date = arena_str(A, uday, strlen(uday), &rc), art->date_source = "url";
    if (!art->date) art->date_source = NULL;
    return rc;
}

/* Author: <meta name="author"> when it is a name, else the first byline
 * above the body or at its head. */
static kh_status page_author(page_clean *pc)
{
    line_info *L = pc->L;
    size_t n = pc->n, head_end = pc->head_end;
    kh_status rc = KH_OK;
    const char *au = NULL;
    size_t aul = 0;
    if (pc->meta.author && !looks_like_url(pc->meta.author, strlen(pc->meta.author))) {
        au = pc->meta.author;
        aul = strlen(au);
        trim(&au, &aul);
        if (count_words(au, aul) > 6) au = NULL;
    }
    for (size_t i = head_end > 40 ? head_end - 40 : 0;
         !au && i < n && i < (pc->have ? pc->a + 6 : head_end); i++)
        if (L[i].byline) byline_name(&L[i], &au, &aul);
    if (au && aul) pc->art->author = arena_str(pc->A, au, aul, &rc);
    return rc;
}

/* Body: the run's lines less what is certainly not body inside it (the
 * title again, repeated boilerplate, URLs, copyright, forms, captions,
 * short lines that are all link), a last paragraph that names the site
 * itself, and whatever follows a note about the author. */
static kh_status page_body(page_clean *pc)
{
    kh_cleaner *c = pc->c;
    kh_article *art = pc->art;
    line_info *L = pc->L;
    size_t n = pc->n, a = pc->a, b = pc->b;
    int have = pc->have;
    const found srcf = pc->srcf;
    kh_status rc = KH_OK;
    char tkey[512];
    size_t tkl = pc->title ? fold_small(pc->title, pc->title_len, tkey, sizeof tkey) : 0;
    uint64_t thash = tkl ? XXH3_64bits(tkey, tkl) | 1 : 0;
    if (have && pc->html) box_extend(&pc->meta, L, n, thash, &a, &b);
    if (have && thash) lead_across_gap(L, thash, &a);
    size_t nbody = 0;
    if (have)
        for (size_t i = a; i <= b; i++) {
            line_info *li = &L[i];
            if (!li->body) continue;
            if (li->boiler || li->url || li->copyright || li->form || li->readmore || li->never ||
                li->closer || (li->dated && li->nw <= 12 && li->kind != KHI_BLK_LI) ||
                (thash && (li->key == thash || (tkl && li->klen >= 2 * tkl && li->klen % tkl == 0 &&
                                            key_repeats(c, li, tkey, tkl)))) ||
                (li->link_len * 2 >= li->len && (li->kind == KHI_BLK_LI || li->nw <= 12))) {
                li->body = 0;
                continue;
            }
            nbody++;
        }
    /* A last paragraph naming the site itself ("X writes about ... for
     * <site>. Follow our coverage ...") is an author blurb or a promotion,
     * unless it is the attribution line ("«<site>»"). */
    if (have && nbody > 1 && srcf.p && pc->srcf_from_page) {
        size_t last = b + 1;
        while (last > a && !L[last - 1].body) last--;
        line_info *li = last > a ? &L[last - 1] : NULL;
        const char *nm;
        size_t nml;
        if (li && !attribution_line(li, &nm, &nml) && li->nw <= 60) {
            char sk[256], lk[2048];
            size_t skl = fold_words(srcf.p, srcf.len, sk, sizeof sk);
            size_t lkl = fold_words(li->text, li->len, lk, sizeof lk);
            if (skl > 2 && lkl && mem_find(lk, lkl, sk, skl)) {
                li->body = 0;
                nbody--;
            }
        }
    }
    /* A note about the author ("Will Knight is a senior writer for WIRED",
     * "Schreibt seit 2008 für die taz") in the last third of the body ends
     * the article: what follows it is the page's. */
    if (have && nbody > 1) {
        size_t seen = 0;
        for (size_t i = a; i <= b; i++) {
            if (!L[i].body) continue;
            seen++;
            if (3 * seen < 2 * nbody || !author_note(&L[i])) continue;
            for (size_t j = i; j <= b; j++)
                if (L[j].body) L[j].body = 0, nbody--;
            break;
        }
    }
    const char **body = kh_arena_alloc(pc->A, (nbody ? nbody : 1) * sizeof *body);
    KHI_RETURN_IF(!body, KH_E_NOMEM);
    size_t k = 0;
    if (have)
        for (size_t i = a; i <= b && rc == KH_OK; i++)
            if (L[i].body) body[k++] = arena_str(pc->A, L[i].text, L[i].len, &rc);
    art->body = body;
    art->n_body = k;
    if (have && !k) art->warnings |= KH_CLEAN_W_NO_BODY;
    pc->a = a;
    pc->b = b;
    return rc;
}

kh_status kh_clean_doc(kh_cleaner *c, kh_doc *doc, const kh_article **out)
{
    *out = NULL;
    kh_arena *A = doc->arena;
    kh_article *art = kh_arena_alloc(A, sizeof *art);
    KHI_RETURN_IF(!art, KH_E_NOMEM);
    memset(art, 0, sizeof *art);
    kh_status rc = KH_OK;
    art->url = doc->url;
    const char *content = doc->content ? doc->content : "";
    size_t content_len = doc->content ? doc->content_len : 0;
    size_t bad;
    /* Page text is checked as its lines are analyzed, in the same pass. */
    if (doc->kind != KH_CONTENT_PAGE && kh_utf8_check(content, content_len, &bad) != KH_OK)
        return kh_ctx_error(c->ctx, KH_E_UTF8, "%s: invalid UTF-8 at byte %zu",
                            doc->file ? doc->file : (doc->id ? doc->id : "-"), bad);
    char iso[KH_DATE_ISO_MAX];
    const char *ref = c->has_fetch ? c->fetch : NULL;
    if (doc->date && kh_date_parse(doc->date, strlen(doc->date), ref, iso, sizeof iso) == KH_OK) {
        art->date = arena_str(A, iso, strlen(iso), &rc);
        art->date_source = "record";
    }
    if (doc->kind == KH_CONTENT_TEXT) {
        KHI_FORWARD_IF_ERROR(rc);
        KHI_FORWARD_IF_ERROR(clean_text_record(c, doc, art, content, content_len));
        *out = art;
        return KH_OK;
    }

    page_clean pc;
    memset(&pc, 0, sizeof pc);
    pc.c = c;
    pc.doc = doc;
    pc.A = A;
    pc.art = art;
    pc.content = content;
    pc.content_len = content_len;
    pc.ref = ref;
    pc.html = doc->kind == KH_CONTENT_HTML;
    KHI_FORWARD_IF_ERROR(page_lines(&pc));
    page_language(&pc);
    KHI_FORWARD_IF_ERROR(page_segment(&pc));
    page_edges(&pc);
    page_source(&pc);
    KHI_FORWARD_IF_ERROR(page_title(&pc));
    if (rc == KH_OK) rc = page_date(&pc);
    if (rc == KH_OK) rc = page_author(&pc);
    if (rc == KH_OK) rc = page_body(&pc);
    if (rc == KH_OK && pc.title && pc.title_len)
        art->title = arena_str(A, pc.title, pc.title_len, &rc);
    if (rc == KH_OK && pc.srcf.p && pc.srcf.len)
        art->source = arena_str(A, pc.srcf.p, pc.srcf.len, &rc);
    if (rc == KH_OK && pc.have_dl) {
        art->dateline = arena_str(A, pc.dl.place, pc.dl.place_len, &rc);
        if (pc.dl.is_agency && pc.dl.who)
            art->dateline_agency = arena_str(A, pc.dl.who, pc.dl.who_len, &rc);
    }
    KHI_FORWARD_IF_ERROR(rc);
    *out = art;
    return KH_OK;
}
