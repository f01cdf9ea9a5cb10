/*
 * kh_read.c — readers: files, directories, stdin and memory -> a stream of
 * kh_doc.
 *
 * Idea. Every input, whatever its container, goes through three layers:
 *
 *   bytes (fd or memory) --> [inflate, when the first bytes are 1f 8b]
 *         --> window (one growable buffer) --> format reader --> kh_doc
 *
 * The format is detected once per file, from content only: gzip magic on
 * the raw bytes, then, after an optional UTF-8 BOM and white space,
 * "WARC/" -> WARC/WET, '{' -> JSON Lines, '<' -> HTML, anything else -> a
 * crawled page's text (one text block a line, the whole file one document).
 * The charset is never guessed: text is UTF-8 unless HTML declares another
 * (see the invariants).
 *
 * The window. All format readers take their bytes from one buffer:
 *
 *   win: [ consumed | pos ....... unread ....... end | free ... cap ]
 *          ^ win_base = stream offset of win[0]
 *
 * Lines are returned as pointers into it (no copy) and stay valid until the
 * next call that reads. The window grows by doubling up to its cap,
 * max(KH_LIMIT_LINE, KH_LIMIT_DOCUMENT) + 2 chunks, and compacts (moves the
 * unread bytes to the front) when the free tail gets short. A line longer
 * than KH_LIMIT_LINE is never buffered: the reader drops what it holds and
 * reads on, chunk by chunk, to the next newline, then reports KH_E_TOOBIG
 * with the line's number. A WARC block is held whole (it is at most
 * KH_LIMIT_DOCUMENT) so that a record whose Content-Length lies can be
 * re-scanned from its first byte for the next "WARC/1." line.
 *
 * Invariants.
 *   - Every kh_reader_next() returns one document, one error, or the end.
 *     Every error is counted in kh_read_stats.errors; every record that is
 *     not a document (warcinfo, request, ...) in kh_read_stats.skipped;
 *     every record whose id was already returned in .duplicates.
 *   - A document's id follows the rule in khabar.h ("Identity"): format
 *     readers set it only when the record gives one, and kh_reader_next()
 *     names the rest (URL, path, path:line) and keeps the run's ids unique.
 *   - After an error the reader stands at the next record (JSONL: next line;
 *     WARC: next record, or the next "WARC/1." line after a lying length;
 *     page, HTML, a failing gzip or read: the next file).
 *   - Document content is NUL-free valid UTF-8 (checked here, by the JSON
 *     Lines scanner in kh_jsonl.c, or by jansson). The one conversion: HTML
 *     (an HTML file, or the payload of a WARC response or resource record)
 *     whose bytes are not valid UTF-8 and that declares a charset (the
 *     Content-Type's charset=, else a <meta> in its first 1024 bytes or,
 *     failing that, in its head) is converted to UTF-8 with iconv, capped
 *     at KH_LIMIT_DOCUMENT, before that check; valid UTF-8 is kept
 *     whatever the page declares. An unknown charset or bytes invalid in
 *     it is one error naming both. The one repair: HTML (file or WARC
 *     payload) that is UTF-8 but for a few stray bytes or NULs gets U+FFFD
 *     for each (see REPAIR_SHARE); kh_doc.repaired counts them.
 *
 * Offsets in messages count bytes of the decompressed stream; line numbers
 * are 1-based.
 *
 * Reading with plain read() for uncompressed input and zlib's inflate() only
 * for gzip, rather than gzdopen()/gzread() for everything: gzread cannot read
 * from memory (kh_reader_open_buffer), inflate() lets zlib allocate through
 * the context, and bench/bench_read.c found no speed reason to prefer gzread
 * (inflate about 276 MB/s against gzread 284 MB/s on the same .gz, within
 * noise; read() and gzread's pass-through both above 4 GB/s).
 */
#include "kh_internal.h"
#include "kh_jsonl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>

#define CHUNK ((size_t)64 << 10)  /* one read() */
#define MAX_DEPTH 64              /* directories inside directories */

enum { ST_NONE, ST_PAGE, ST_JSONL, ST_WARC };

typedef struct dir_frame {
    char **names; /* full paths, sorted by byte order; NULL once taken */
    size_t n, next;
    dev_t dev;
    ino_t ino;
} dir_frame;

/* A captured WARC header value: offset into hdr, length. */
typedef struct hval {
    size_t off, len;
    int set;
} hval;

struct kh_reader {
    kh_ctx *ctx;
    int broken; /* after KH_E_NOMEM */

    /* Inputs not yet opened. */
    char **paths;
    size_t n_paths, next_path;
    const unsigned char *mem; /* kh_reader_open_buffer(): borrowed */
    size_t mem_len;
    int mem_pending;
    dir_frame *dirs;
    size_t n_dirs, cap_dirs;
    size_t root_skip; /* bytes of a path under the directory PATH being
                         walked that are not part of the document's name */
    size_t name_skip; /* the same for the current file */

    /* Ids returned so far, as 64-bit hashes in an open-addressing set:
     * 8 bytes an article keeps a run's ids unique whatever its size, and a
     * false match needs a 64-bit collision. 0 marks an empty slot. */
    uint64_t *seen;
    size_t seen_cap, seen_n;

    /* The current file. */
    int state;
    char *file; /* its path (owned) */
    size_t file_size;
    int fd, close_fd, from_mem;
    size_t mem_at;
    int raw_eof;
    uint64_t raw_bytes;
    int gz, z_live, z_ended;
    z_stream z;
    unsigned char *zin; /* raw input for inflate (CHUNK bytes) */
    size_t line_limit, doc_limit;
    kh_content page_kind; /* ST_PAGE: text or HTML */
    size_t bom;           /* bytes of BOM skipped at the start */
    int first_record;     /* JSONL: no record read yet */
    int resync;           /* WARC: looking for the next "WARC/1." line */
    kh_status fail;       /* the error win_fill() reported */

    /* The window. */
    unsigned char *win;
    size_t win_cap, win_max, pos, end;
    int eof;
    uint64_t win_base;
    uint64_t line_no;    /* lines consumed so far */
    uint64_t line_start; /* stream offset of the last line returned */
    int line_nl;         /* the last line ended with '\n' */

    kh_buf scratch; /* a page being assembled */
    kh_buf hdr;     /* WARC header values */
    kh_buf conv;    /* HTML converted to UTF-8 from its declared charset */
    uint64_t seq;
    kh_read_stats stats;
};

/* ------------------------------------------------------------------ *
 *  zlib through the context's allocator
 * ------------------------------------------------------------------ */

/* zlib's free gives no size and kh_free needs one: keep it in front. */
#define ZHDR 16

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    kh_ctx *ctx = opaque;
    size_t n = (size_t)items * size;
    unsigned char *p = kh_malloc(ctx, n + ZHDR);
    if (!p)
        return Z_NULL;
    memcpy(p, &n, sizeof n);
    return p + ZHDR;
}

static void z_free(voidpf opaque, voidpf ptr)
{
    if (!ptr)
        return;
    unsigned char *p = (unsigned char *)ptr - ZHDR;
    size_t n;
    memcpy(&n, p, sizeof n);
    kh_free(opaque, p, n + ZHDR);
}

/* ------------------------------------------------------------------ *
 *  Small helpers
 * ------------------------------------------------------------------ */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static int has_prefix_ci(const unsigned char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && strncasecmp((const char *)s, prefix, n) == 0;
}

static size_t count_byte(const unsigned char *p, size_t len, int c)
{
    size_t n = 0;
    const unsigned char *end = p + len;
    while (p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static size_t count_lines(const unsigned char *p, size_t len)
{
    return count_byte(p, len, '\n') + (len && p[len - 1] != '\n');
}

/* Code points in valid UTF-8: every byte that is not a continuation. */
static size_t count_chars(const unsigned char *p, size_t len)
{
    size_t cont = 0;
    for (size_t i = 0; i < len; i++)
        cont += (p[i] & 0xC0) == 0x80;
    return len - cont;
}

/*
 * Checks that p[0..len) is UTF-8 without NUL bytes and adds its code points
 * to *chars. ASCII runs without NUL go eight bytes at a time.
 * @return KH_OK, or KH_E_UTF8 / KH_E_NUL with *bad the offset of the byte.
 */
static kh_status check_text(const unsigned char *p, size_t len, size_t *chars, size_t *bad)
{
    size_t i = 0, n = 0;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if ((w & 0x8080808080808080ull) == 0 &&
                ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull) == 0) {
                i += 8;
                n += 8;
                continue;
            }
        }
        uint32_t cp;
        size_t k = khi_utf8_decode(p + i, len - i, &cp);
        if (k == 0 || cp == 0) {
            *bad = i;
            return k == 0 ? KH_E_UTF8 : KH_E_NUL;
        }
        i += k;
        n++;
    }
    *chars += n;
    return KH_OK;
}

/*
 * Stray bytes in HTML. A crawled page that is UTF-8 but for a few bytes (a
 * windows-1252 quote pasted into a template, a NUL from a broken CMS) is
 * read with each invalid byte and each NUL replaced by U+FFFD, as browsers
 * show it; the document says how many bytes were replaced and where the
 * first was. A page where more than one byte in REPAIR_SHARE is bad is not
 * a web page in UTF-8 at all (binary data, or a charset it does not
 * declare): it stays an error.
 */
#define REPAIR_SHARE 8

/* Bytes of p[0..len) that are NUL or not part of a valid UTF-8 sequence. */
static size_t count_bad(const unsigned char *p, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = p[i] && p[i] < 0x80 ? 1 : khi_utf8_decode(p + i, len - i, &cp);
        if (k == 0 || p[i] == 0) {
            n++;
            k = 1;
        }
        i += k;
    }
    return n;
}

/* Does p[0..len) hold a byte that is not part of valid UTF-8 (NULs aside)? */
static int has_invalid(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = p[i] < 0x80 ? 1 : khi_utf8_decode(p + i, len - i, &cp);
        if (k == 0)
            return 1;
        i += k;
    }
    return 0;
}

/* Copies p[0..len) into out (cleared first, capped at out->max) with each
 * byte count_bad() counts replaced by U+FFFD. */
static kh_status repair_text(kh_buf *out, const unsigned char *p, size_t len)
{
    kh_buf_clear(out);
    size_t i = 0, run = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = p[i] && p[i] < 0x80 ? 1 : khi_utf8_decode(p + i, len - i, &cp);
        if (k && p[i]) {
            i += k;
            run += k;
            continue;
        }
        KHI_FORWARD_IF_ERROR(kh_buf_append(out, p + i - run, run));
        KHI_FORWARD_IF_ERROR(kh_buf_append(out, "\xEF\xBF\xBD", 3));
        run = 0;
        i++;
    }
    return kh_buf_append(out, p + i - run, run);
}

static kh_status text_error(kh_reader *r, kh_status code, uint64_t line, uint64_t at)
{
    return kh_ctx_error(r->ctx, code, "%s:%llu: %s at byte %llu", r->file,
                        (unsigned long long)line,
                        code == KH_E_NUL ? "NUL byte" : "invalid UTF-8",
                        (unsigned long long)at);
}

/* ------------------------------------------------------------------ *
 *  Raw bytes, inflate, the window
 * ------------------------------------------------------------------ */

/* Reads up to cap raw bytes. @return bytes read, 0 at the end, -1 on error
 * (message set, r->fail = KH_E_IO). */
static long raw_read(kh_reader *r, unsigned char *dst, size_t cap)
{
    if (cap > ((size_t)1 << 30))
        cap = (size_t)1 << 30;
    if (r->from_mem) {
        size_t n = KHI_MIN(cap, r->mem_len - r->mem_at);
        if (n)
            memcpy(dst, r->mem + r->mem_at, n);
        r->mem_at += n;
        r->raw_bytes += n;
        r->stats.bytes += n;
        return (long)n;
    }
    for (;;) {
        ssize_t n = read(r->fd, dst, cap);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r->fail = kh_ctx_error(r->ctx, KH_E_IO, "%s: read error at byte %llu: %s",
                                   r->file, (unsigned long long)r->raw_bytes, strerror(errno));
            return -1;
        }
        r->raw_bytes += (uint64_t)n;
        r->stats.bytes += (uint64_t)n;
        return (long)n;
    }
}

/* Inflates into dst; gzip members follow one another (Common Crawl gzips
 * each record alone). @return bytes, 0 at the clean end, -1 on error. */
static long gz_read(kh_reader *r, unsigned char *dst, size_t cap)
{
    z_stream *z = &r->z;
    if (cap > ((size_t)1 << 30))
        cap = (size_t)1 << 30;
    z->next_out = dst;
    z->avail_out = (uInt)cap;
    while (z->avail_out == cap) {
        if (z->avail_in == 0 && !r->raw_eof) {
            long n = raw_read(r, r->zin, CHUNK);
            if (n < 0)
                return -1;
            if (n == 0)
                r->raw_eof = 1;
            z->next_in = r->zin;
            z->avail_in = (uInt)n;
        }
        if (r->z_ended) {
            if (z->avail_in == 0) {
                if (r->raw_eof)
                    return 0;
                continue;
            }
            inflateReset(z);
            r->z_ended = 0;
        }
        if (z->avail_in == 0 && r->raw_eof) {
            r->fail = kh_ctx_error(r->ctx, KH_E_GZIP,
                                   "%s: gzip stream truncated at byte %llu (compressed)",
                                   r->file, (unsigned long long)r->raw_bytes);
            return -1;
        }
        int zr = inflate(z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            r->z_ended = 1;
        } else if (zr == Z_MEM_ERROR) {
            r->fail = kh_ctx_error(r->ctx, KH_E_NOMEM, "%s: out of memory", r->file);
            return -1;
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            r->fail = kh_ctx_error(r->ctx, KH_E_GZIP, "%s: bad gzip data at byte %llu (compressed): %s",
                                   r->file, (unsigned long long)(r->raw_bytes - z->avail_in),
                                   z->msg ? z->msg : "corrupt stream");
            return -1;
        }
    }
    return (long)(cap - z->avail_out);
}

/*
 * Reads more bytes into the window, compacting or growing it first when the
 * free tail is short of a chunk.
 * @return 1 when bytes were added, 0 at the end, -1 on error (r->fail set,
 * message set; the window is at its end).
 */
static int win_fill(kh_reader *r)
{
    if (r->eof)
        return 0;
    size_t used = r->end - r->pos;
    if (r->pos && r->win_cap - r->end < CHUNK) {
        if (used)
            memmove(r->win, r->win + r->pos, used);
        r->win_base += r->pos;
        r->pos = 0;
        r->end = used;
    }
    if (r->win_cap - r->end < CHUNK && r->win_cap < r->win_max) {
        size_t cap = r->win_cap ? r->win_cap * 2 : 4 * CHUNK;
        if (cap < used + CHUNK)
            cap = used + CHUNK;
        if (cap > r->win_max)
            cap = r->win_max;
        unsigned char *p = kh_realloc(r->ctx, r->win, r->win_cap, cap);
        if (!p) {
            r->fail = kh_ctx_error(r->ctx, KH_E_NOMEM, "%s: out of memory", r->file);
            return -1;
        }
        r->win = p;
        r->win_cap = cap;
    }
    if (r->win_cap == r->end) {
        r->fail = kh_ctx_error(r->ctx, KH_E_INTERNAL, "%s: reader window full", r->file);
        return -1;
    }
    long n = r->gz ? gz_read(r, r->win + r->end, r->win_cap - r->end)
                   : raw_read(r, r->win + r->end, r->win_cap - r->end);
    if (n <= 0) {
        r->eof = 1;
        return n < 0 ? -1 : 0;
    }
    r->end += (size_t)n;
    return 1;
}

/* Makes at least want unread bytes available unless the input ends first.
 * @return 0, or -1 on error. */
static int win_want(kh_reader *r, size_t want)
{
    while (r->end - r->pos < want) {
        int f = win_fill(r);
        if (f < 0)
            return -1;
        if (f == 0)
            break;
    }
    return 0;
}

/*
 * Returns the next line: *line points into the window (valid until the next
 * read) and *len excludes the '\n'; *line is NULL at the end of the input.
 * A line longer than limit is skipped to its newline without being held and
 * gives KH_E_TOOBIG with its number (message set unless quiet).
 */
static kh_status next_line(kh_reader *r, const unsigned char **line, size_t *len,
                           size_t limit, int quiet)
{
    size_t scanned = 0;
    *line = NULL;
    *len = 0;
    for (;;) {
        size_t avail = r->end - r->pos;
        unsigned char *start = r->win + r->pos;
        unsigned char *nl = scanned < avail ? memchr(start + scanned, '\n', avail - scanned) : NULL;
        if (nl || (avail && r->eof)) {
            size_t n = nl ? (size_t)(nl - start) : avail;
            r->line_start = r->win_base + r->pos;
            r->line_no++;
            r->line_nl = nl != NULL;
            r->pos += n + (nl != NULL);
            if (n > limit)
                goto toobig;
            *line = start;
            *len = n;
            return KH_OK;
        }
        if (avail == 0 && r->eof)
            return KH_OK;
        scanned = avail;
        if (avail > limit) {
            /* Too long: drop what is held, read on to the newline. */
            r->line_start = r->win_base + r->pos;
            r->line_no++;
            r->pos = r->end;
            for (;;) {
                int f = win_fill(r);
                if (f < 0)
                    return r->fail;
                if (f == 0)
                    break;
                nl = memchr(r->win + r->pos, '\n', r->end - r->pos);
                if (nl) {
                    r->pos = (size_t)(nl - r->win) + 1;
                    break;
                }
                r->pos = r->end;
            }
            goto toobig;
        }
        int f = win_fill(r);
        if (f < 0)
            return r->fail;
    }
toobig:
    if (quiet)
        return KH_E_TOOBIG;
    return kh_ctx_error(r->ctx, KH_E_TOOBIG, "%s:%llu: line longer than %zu bytes", r->file,
                        (unsigned long long)r->line_no, limit);
}

/* ------------------------------------------------------------------ *
 *  Declared charsets: HTML that is not UTF-8
 *
 *  Many Arabic news sites still serve windows-1256 or ISO-8859-6. Such a
 *  page is converted to UTF-8 (glibc's iconv) only when its bytes are not
 *  valid UTF-8 and it declares a charset: valid UTF-8 is kept whatever the
 *  page says, since mis-declared pages are common. The declaration is the
 *  charset= of the HTTP (or WARC resource) Content-Type, else the first
 *  <meta charset> or <meta http-equiv=Content-Type> found by the HTML5
 *  prescan of the first 1024 bytes; one that says UTF-8 gives way to the
 *  next, since the bytes already prove it wrong.
 * ------------------------------------------------------------------ */

#define LABEL_MAX 40 /* longer labels name no encoding */
#define PRESCAN_MAX 1024
#define HEAD_MAX ((size_t)64 << 10)

typedef struct span {
    const unsigned char *p;
    size_t n;
} span;

static int span_is(span s, const char *word)
{
    return s.n == strlen(word) && strncasecmp((const char *)s.p, word, s.n) == 0;
}

/* HTML's ASCII white space (no \v, unlike is_space). */
static int html_space(unsigned char c)
{
    return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static int ascii_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/*
 * The charset in a Content-Type value or a meta content attribute, by the
 * HTML5 algorithm "extracting a character encoding from a meta element".
 * @return its length (0 when there is none), *cs pointing at it.
 */
static size_t content_charset(const unsigned char *v, size_t len, const unsigned char **cs)
{
    size_t i = 0;
    for (;;) {
        while (i + 7 <= len && strncasecmp((const char *)v + i, "charset", 7) != 0)
            i++;
        if (i + 7 > len)
            return 0;
        i += 7;
        while (i < len && html_space(v[i]))
            i++;
        if (i == len || v[i] != '=')
            continue;
        i++;
        while (i < len && html_space(v[i]))
            i++;
        if (i < len && (v[i] == '"' || v[i] == '\'')) {
            const unsigned char *q = memchr(v + i + 1, v[i], len - i - 1);
            if (!q)
                return 0;
            *cs = v + i + 1;
            return (size_t)(q - *cs);
        }
        size_t s = i;
        while (i < len && !html_space(v[i]) && v[i] != ';')
            i++;
        *cs = v + s;
        return i - s;
    }
}

/*
 * One attribute of a tag from p[*at], by the HTML5 prescan's "get an
 * attribute"; *at moves past it.
 * @return 1 with name and value, 0 at the tag's '>', -1 when the bytes end.
 */
static int prescan_attr(const unsigned char *p, size_t len, size_t *at, span *name, span *value)
{
    size_t i = *at;
    while (i < len && (html_space(p[i]) || p[i] == '/'))
        i++;
    if (i == len)
        return -1;
    if (p[i] == '>') {
        *at = i;
        return 0;
    }
    size_t ns = i;
    while (i < len && !(p[i] == '=' && i > ns) && !html_space(p[i]) && p[i] != '/' && p[i] != '>')
        i++;
    *name = (span){ p + ns, i - ns };
    *value = (span){ p + i, 0 };
    while (i < len && html_space(p[i]))
        i++;
    if (i == len)
        return -1;
    if (p[i] != '=') { /* also '/' and '>': no value */
        *at = i;
        return 1;
    }
    i++;
    while (i < len && html_space(p[i]))
        i++;
    if (i == len)
        return -1;
    if (p[i] == '"' || p[i] == '\'') {
        const unsigned char *q = memchr(p + i + 1, p[i], len - i - 1);
        if (!q)
            return -1;
        *value = (span){ p + i + 1, (size_t)(q - p) - i - 1 };
        *at = (size_t)(q - p) + 1;
        return 1;
    }
    size_t vs = i;
    while (i < len && !html_space(p[i]) && p[i] != '>')
        i++;
    if (i == len)
        return -1;
    *value = (span){ p + vs, i - vs };
    *at = i;
    return 1;
}

/*
 * The charset a <meta> declares in the first PRESCAN_MAX bytes, by the
 * HTML5 "prescan a byte stream to determine its encoding": comments and the
 * attributes of other tags are skipped, and content= counts only with
 * http-equiv="Content-Type" in the same tag. With head set, the scan goes
 * on past those bytes to the end of the head (a <body> or </head> tag, at
 * most HEAD_MAX bytes): pages that load scripts and styles first declare
 * their charset late, and browsers then read the page again in it.
 * @return its length (0 when there is none), *cs pointing at it.
 */
static size_t meta_charset(const unsigned char *p, size_t len, int head, const unsigned char **cs)
{
    len = KHI_MIN(len, head ? (size_t)HEAD_MAX : (size_t)PRESCAN_MAX);
    span name, value;
    int a;
    size_t i = 0;
    while (i < len) {
        size_t left = len - i;
        if (p[i] != '<') {
            i++;
        } else if (left >= 4 && memcmp(p + i, "<!--", 4) == 0) {
            /* The first "-->" whose dashes may be those of "<!--". */
            size_t j = i + 2;
            while (j + 3 <= len && memcmp(p + j, "-->", 3) != 0)
                j++;
            if (j + 3 > len)
                return 0;
            i = j + 3;
        } else if (left >= 6 && strncasecmp((const char *)p + i, "<meta", 5) == 0 &&
                   (html_space(p[i + 5]) || p[i + 5] == '/')) {
            size_t at = i + 6;
            unsigned seen = 0;
            int pragma = 0, need = -1; /* need: 0 charset=, 1 content= (wants the pragma) */
            span c = { NULL, 0 };
            while ((a = prescan_attr(p, len, &at, &name, &value)) == 1) {
                unsigned bit = span_is(name, "http-equiv") ? 1 : span_is(name, "content") ? 2
                             : span_is(name, "charset") ? 4 : 0;
                if (!bit || (seen & bit))
                    continue;
                seen |= bit;
                if (bit == 1) {
                    pragma = span_is(value, "content-type");
                } else if (bit == 4) {
                    c = value;
                    need = 0;
                } else if (!c.p) {
                    const unsigned char *v;
                    size_t n = content_charset(value.p, value.n, &v);
                    if (n) {
                        c = (span){ v, n };
                        need = 1;
                    }
                }
            }
            if (a < 0)
                return 0;
            if (c.n && (need == 0 || (need == 1 && pragma))) {
                *cs = c.p;
                return c.n;
            }
            i = at + 1;
        } else if (left >= 2 && (ascii_alpha(p[i + 1]) ||
                                 (left >= 3 && p[i + 1] == '/' && ascii_alpha(p[i + 2])))) {
            size_t at = i + 1;
            while (at < len && !html_space(p[at]) && p[at] != '>')
                at++;
            span tag = { p + i + 1, at - i - 1 };
            if (head && (span_is(tag, "body") || span_is(tag, "/head")))
                return 0;
            while ((a = prescan_attr(p, len, &at, &name, &value)) == 1)
                ;
            if (a < 0)
                return 0;
            i = at + 1;
        } else if (left >= 2 && (p[i + 1] == '!' || p[i + 1] == '/' || p[i + 1] == '?')) {
            const unsigned char *gt = memchr(p + i, '>', left);
            if (!gt)
                return 0;
            i = (size_t)(gt - p) + 1;
        } else {
            i++;
        }
    }
    return 0;
}

/* Labels read as another encoding than their name says (WHATWG: latin1
 * and ASCII are windows-1252), or that glibc's iconv may not know. */
static const struct {
    const char *label, *name;
} charset_labels[] = {
    { "ansi_x3.4-1968", "windows-1252" }, { "ascii", "windows-1252" },
    { "cp819", "windows-1252" },          { "csisolatin1", "windows-1252" },
    { "ibm819", "windows-1252" },         { "iso-8859-1", "windows-1252" },
    { "iso-ir-100", "windows-1252" },     { "iso8859-1", "windows-1252" },
    { "iso88591", "windows-1252" },       { "iso_8859-1", "windows-1252" },
    { "iso_8859-1:1987", "windows-1252" },{ "l1", "windows-1252" },
    { "latin1", "windows-1252" },         { "us-ascii", "windows-1252" },
    { "x-cp1252", "windows-1252" },       { "x-cp1256", "windows-1256" },
    { "csiso88596e", "iso-8859-6" },      { "csiso88596i", "iso-8859-6" },
    { "iso-8859-6-e", "iso-8859-6" },     { "iso-8859-6-i", "iso-8859-6" },
    { "iso88596", "iso-8859-6" },         { "unicode-1-1-utf-8", "" },
    { "unicode11utf8", "" },              { "unicode20utf8", "" },
    { "utf-8", "" },                      { "utf8", "" },
    { "x-unicode20utf8", "" },
};

/*
 * Resolves a declared label; label receives it for messages (cut at
 * LABEL_MAX, bytes outside printable ASCII shown as '?').
 * @return the encoding to ask iconv for (a WHATWG name, or label itself),
 * "" for UTF-8 (nothing to convert), NULL for a label that can name no
 * encoding (nor be passed to iconv_open, which reads "//" as options).
 */
static const char *charset_resolve(const unsigned char *cs, size_t n, int from_meta,
                                   char label[LABEL_MAX + 4])
{
    size_t k = KHI_MIN(n, (size_t)LABEL_MAX);
    int ok = n <= LABEL_MAX;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = cs[i];
        ok &= ascii_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
              c == ':' || c == '+';
        label[i] = c > 0x20 && c < 0x7f ? (char)c : '?';
    }
    memcpy(label + k, n > k ? "..." : "", n > k ? 4 : 1);
    if (!ok)
        return NULL;
    for (size_t i = 0; i < sizeof charset_labels / sizeof *charset_labels; i++)
        if (strcasecmp(label, charset_labels[i].label) == 0)
            return charset_labels[i].name;
    /* A <meta> cannot declare UTF-16: the bytes read it as ASCII (HTML5). */
    if (from_meta && strncasecmp(label, "utf-16", 6) == 0)
        return "";
    return label;
}

/*
 * Converts src[0..len) through cd into out (cleared first; out->max caps
 * it, a flush included for stateful encodings).
 * @return KH_OK, KH_E_UTF8 with *bad the offset of the first byte that is
 * not valid in the source charset (or starts a sequence cut by the end),
 * KH_E_TOOBIG or KH_E_NOMEM.
 */
static kh_status iconv_all(iconv_t cd, kh_buf *out, const unsigned char *src, size_t len,
                           size_t *bad)
{
    kh_buf_clear(out);
    char *in = (char *)src;
    size_t in_left = len;
    for (int flush = 0;;) {
        size_t room = out->max - out->len;
        /* A byte of a single-byte charset is at most 3 in UTF-8. */
        size_t extra = KHI_MIN(room, in_left < room / 3 ? 3 * in_left + 16 : room);
        if (extra == 0 && !flush)
            return KH_E_TOOBIG;
        KHI_FORWARD_IF_ERROR(kh_buf_reserve(out, extra));
        char *o = out->data + out->len;
        size_t o_left = extra;
        /* The flush, with no input, emits what a stateful charset holds back. */
        size_t k = flush ? iconv(cd, NULL, NULL, &o, &o_left) : iconv(cd, &in, &in_left, &o, &o_left);
        int err = errno;
        out->len = (size_t)(o - out->data);
        out->data[out->len] = '\0';
        if (k != (size_t)-1) {
            if (flush)
                return KH_OK;
            flush = in_left == 0;
        } else if (err == E2BIG) {
            if (extra == room)
                return KH_E_TOOBIG;
        } else {
            *bad = (size_t)((const unsigned char *)in - src);
            return KH_E_UTF8;
        }
    }
}

/*
 * HTML bytes p[0..len) that are not valid UTF-8: when the page declares a
 * charset (ct: the Content-Type value of its HTTP response or WARC record,
 * or NULL; then a <meta> in its first bytes), converts them into r->conv,
 * capped at the document limit. label receives the charset for messages.
 * @return KH_OK (r->conv holds the UTF-8); KH_E_UTF8 with label "" when
 * nothing but UTF-8 is declared, or with *bad the offset of the first byte
 * invalid in the charset; KH_E_FORMAT for a charset iconv does not know;
 * KH_E_TOOBIG; KH_E_NOMEM.
 */
static kh_status html_decode(kh_reader *r, const unsigned char *ct, size_t ct_len,
                             const unsigned char *p, size_t len, char label[LABEL_MAX + 4],
                             size_t *bad)
{
    const unsigned char *cs;
    size_t n;
    const char *name = "";
    label[0] = '\0';
    *bad = 0;
    if (ct && (n = content_charset(ct, ct_len, &cs)) > 0)
        name = charset_resolve(cs, n, 0, label);
    if (name && !*name && ((n = meta_charset(p, len, 0, &cs)) > 0 ||
                           (n = meta_charset(p, len, 1, &cs)) > 0))
        name = charset_resolve(cs, n, 1, label);
    if (name && !*name) {
        label[0] = '\0';
        return KH_E_UTF8;
    }
    if (!name)
        return KH_E_FORMAT;
    iconv_t cd = iconv_open("UTF-8", name);
    if (name != label) {
        if (cd != (iconv_t)-1)
            memcpy(label, name, strlen(name) + 1); /* say what the bytes were read as */
        else
            cd = iconv_open("UTF-8", label); /* a WHATWG name this iconv lacks */
    }
    if (cd == (iconv_t)-1)
        return errno == ENOMEM ? KH_E_NOMEM : KH_E_FORMAT;
    r->conv.max = r->doc_limit;
    kh_status rc = iconv_all(cd, &r->conv, p, len, bad);
    iconv_close(cd);
    return rc;
}

/*
 * The message for a page that html_decode() could not convert; where is
 * ":LINE" (pages) or ": record at offset N" (WARC); at is the stream offset
 * of the bad byte.
 */
static kh_status charset_error(kh_reader *r, kh_status rc, const char *where, const char *label,
                               uint64_t at)
{
    switch (rc) {
    case KH_E_UTF8:
        return kh_ctx_error(r->ctx, rc, "%s%s: invalid %s at byte %llu", r->file, where, label,
                            (unsigned long long)at);
    case KH_E_FORMAT:
        return kh_ctx_error(r->ctx, rc, "%s%s: unknown charset '%s'", r->file, where, label);
    case KH_E_TOOBIG:
        return kh_ctx_error(r->ctx, rc, "%s%s: document longer than %zu bytes once converted "
                            "from %s to UTF-8", r->file, where, r->doc_limit, label);
    case KH_E_NUL:
        return kh_ctx_error(r->ctx, rc, "%s%s: NUL byte once converted from %s to UTF-8",
                            r->file, where, label);
    default:
        return rc;
    }
}

/* ------------------------------------------------------------------ *
 *  Documents
 * ------------------------------------------------------------------ */

static kh_status doc_new(kh_reader *r, kh_doc **out, kh_format format, kh_content kind,
                         const char *id, size_t id_len, uint64_t line, uint64_t offset)
{
    kh_arena *a;
    *out = NULL;
    KHI_FORWARD_IF_ERROR(kh_arena_create(r->ctx, &a));
    kh_doc *d = kh_arena_alloc(a, sizeof *d);
    if (!d) {
        kh_arena_free(a);
        return KH_E_NOMEM;
    }
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->file = kh_arena_strndup(a, r->file, strlen(r->file));
    d->id = id ? kh_arena_strndup(a, id, id_len) : NULL;
    if (!d->file || (id && !d->id)) {
        kh_arena_free(a);
        return KH_E_NOMEM;
    }
    d->format = format;
    d->kind = kind;
    d->line = line;
    d->offset = offset;
    d->lang = KH_LANG_UNKNOWN;
    *out = d;
    return KH_OK;
}

/* Sets an optional string field; NULL text leaves it NULL. */
/* The character a reference at s[0] == '&' names (&quot; &#8220; &#x201D;)
 * and its length through the ';'; 0 when it is no well-formed reference to
 * a character text may hold (NUL, surrogates and C0 controls other than
 * tab and newlines stay as written). */
static size_t char_ref(const char *s, size_t len, uint32_t *cp)
{
    size_t j = 1;
    uint32_t v = 0;
    if (j < len && s[j] == '#') {
        j++;
        int hex = j < len && (s[j] == 'x' || s[j] == 'X');
        j += hex;
        size_t d0 = j;
        for (; j < len && j - d0 < 8; j++) {
            char c = s[j];
            int digit = c >= '0' && c <= '9' ? c - '0'
                        : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0)
                break;
            v = v * (hex ? 16u : 10u) + (uint32_t)digit;
        }
        if (j == d0)
            return 0;
    } else {
        char name[16];
        size_t n0 = j;
        for (; j < len && j - n0 < sizeof name - 1; j++) {
            char c = s[j];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
                break;
            name[j - n0] = c;
        }
        if (j == n0)
            return 0;
        name[j - n0] = '\0';
        const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
        if (!e)
            return 0;
        v = e->value;
    }
    if (j >= len || s[j] != ';')
        return 0;
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ||
        (v < 0x20 && v != '\t' && v != '\n' && v != '\r') || v == 0x7F)
        return 0;
    *cp = v;
    return j + 1;
}

/* Decodes the character references in s[0..len) in place (no character's
 * UTF-8 is longer than the shortest reference to it) and returns the new
 * length. JSON Lines from feeds and scrapers carry titles such as
 * "&quot;عرب نيوز&quot;" and "&#8220;...&#8221;": the text means the
 * characters. What is not a reference (AT&T, &foo) stays as written. */
static size_t decode_refs(char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = s[i] == '&' ? char_ref(s + i, len - i, &cp) : 0;
        if (n) {
            w += khi_utf8_encode(cp, s + w);
            i += n;
        } else {
            s[w++] = s[i++];
        }
    }
    s[w] = '\0';
    return w;
}

/* A JSON Lines text field, its character references decoded. */
static kh_status doc_set_text(kh_doc *d, const char **field, const char *text, size_t text_len)
{
    if (!text)
        return KH_OK;
    char *c = kh_arena_strndup(d->arena, text, text_len);
    if (!c)
        return KH_E_NOMEM;
    if (memchr(c, '&', text_len))
        decode_refs(c, text_len);
    *field = c;
    return KH_OK;
}

static kh_status doc_set(kh_doc *d, const char **field, const char *text, size_t text_len)
{
    if (!text)
        return KH_OK;
    *field = kh_arena_strndup(d->arena, text, text_len);
    return *field ? KH_OK : KH_E_NOMEM;
}

static kh_status doc_content(kh_doc *d, const unsigned char *text, size_t text_len,
                             size_t n_chars, size_t n_lines)
{
    char *c = kh_arena_strndup(d->arena, (const char *)text, text_len);
    if (!c)
        return KH_E_NOMEM;
    d->content = c;
    d->content_len = text_len;
    d->n_chars = n_chars;
    d->n_lines = n_lines;
    return KH_OK;
}

/* ------------------------------------------------------------------ *
 *  Page text and HTML: the whole file is one document
 * ------------------------------------------------------------------ */

static kh_status read_page(kh_reader *r, kh_doc **out)
{
    kh_buf *b = &r->scratch;
    kh_buf_clear(b);
    b->max = r->doc_limit;
    size_t chars = 0, lines = 0;
    int html = r->page_kind == KH_CONTENT_HTML;
    uint64_t bad_line = 0, bad_at = 0; /* the first invalid UTF-8 or NUL of an HTML page */
    kh_status bad_rc = KH_OK;
    for (;;) {
        const unsigned char *line;
        size_t len;
        KHI_FORWARD_IF_ERROR(next_line(r, &line, &len, r->line_limit, 0));
        if (!line)
            break;
        size_t bad;
        kh_status rc = bad_line ? KH_OK : check_text(line, len, &chars, &bad);
        if (rc != KH_OK) {
            /* HTML may say what it is instead, or hold a few stray
             * bytes: read it all first. */
            if (!html)
                return text_error(r, rc, r->line_no, r->line_start + bad);
            bad_line = r->line_no;
            bad_at = r->line_start + bad;
            bad_rc = rc;
        }
        rc = kh_buf_append(b, line, len + r->line_nl); /* the '\n' follows the line */
        if (rc == KH_E_TOOBIG)
            return kh_ctx_error(r->ctx, rc, "%s:%llu: document longer than %zu bytes",
                                r->file, (unsigned long long)r->line_no, r->doc_limit);
        KHI_FORWARD_IF_ERROR(rc);
        chars += r->line_nl;
        lines++;
    }
    if (b->len == 0)
        return kh_ctx_error(r->ctx, KH_E_EMPTY, "%s: empty file", r->file);
    const unsigned char *text = (const unsigned char *)b->data;
    size_t text_len = b->len;
    uint64_t repaired = 0, repaired_at = 0;
    if (bad_line) {
        /* The buffer starts at stream offset r->bom. */
        size_t from = (size_t)(bad_at - r->bom);
        const unsigned char *nul = memchr(text + from, '\0', text_len - from);
        uint64_t nul_at = nul ? r->bom + (uint64_t)(nul - text) : 0;
        char label[LABEL_MAX + 4] = "";
        size_t at = 0;
        /* A declared charset explains invalid bytes (never after a UTF-8
         * BOM; NULs alone leave valid UTF-8 as it is); without one the
         * page is UTF-8 with stray bytes. */
        kh_status rc = r->bom || !has_invalid(text, text_len)
                           ? KH_E_UTF8 : html_decode(r, NULL, 0, text, text_len, label, &at);
        if (rc == KH_OK) {
            text = (const unsigned char *)r->conv.data;
            text_len = r->conv.len;
        } else if (rc != KH_E_UTF8 || label[0]) {
            char where[32];
            snprintf(where, sizeof where, ":%llu", (unsigned long long)(1 + count_byte(text, at, '\n')));
            return charset_error(r, rc, rc == KH_E_UTF8 ? where : "", label, r->bom + at);
        }
        /* Stray bytes (or, once converted, NULs) are replaced, unless
         * there are too many. */
        repaired = count_bad(text, text_len);
        if (repaired * REPAIR_SHARE > text_len)
            return rc == KH_OK ? charset_error(r, KH_E_NUL, "", label, nul_at)
                               : text_error(r, bad_rc, bad_line, bad_at);
        if (repaired) {
            kh_buf *dst = rc == KH_OK ? &r->scratch : &r->conv;
            dst->max = r->doc_limit;
            rc = repair_text(dst, text, text_len);
            if (rc == KH_E_TOOBIG)
                return kh_ctx_error(r->ctx, rc, "%s: document longer than %zu bytes once invalid "
                                    "bytes are replaced", r->file, r->doc_limit);
            KHI_FORWARD_IF_ERROR(rc);
            repaired_at = text == (const unsigned char *)r->conv.data ? nul_at : bad_at;
            text = (const unsigned char *)dst->data;
            text_len = dst->len;
        }
        chars = count_chars(text, text_len);
        lines = count_lines(text, text_len);
    }
    kh_doc *d;
    KHI_FORWARD_IF_ERROR(doc_new(r, &d, html ? KH_FORMAT_HTML : KH_FORMAT_TEXT, r->page_kind,
                                 NULL, 0, 1, r->bom));
    kh_status rc = doc_content(d, text, text_len, chars, lines);
    if (rc != KH_OK) {
        kh_doc_free(d);
        return rc;
    }
    d->repaired = repaired;
    d->repaired_at = repaired_at;
    r->state = ST_NONE; /* the file is done */
    *out = d;
    return KH_OK;
}

/* ------------------------------------------------------------------ *
 *  JSON Lines
 *
 *  Two parsers. First khi_jsonl_scan() (kh_jsonl.c), a one-pass scanner
 *  that decodes the top-level string members straight into the document's
 *  arena; it takes only lines jansson takes and gives jansson's bytes. On
 *  anything else (malformed JSON, invalid UTF-8, a duplicate, a member of
 *  the wrong type, a record this reader refuses) it gives up and jansson
 *  reads the line again (json_loadb, JSON_REJECT_DUPLICATES): jansson
 *  checks UTF-8 strictly, refuses \u0000, and reports line/column and an
 *  error code for every error, so the messages the tests pin come from it.
 *  jansson alone ran near 42 MB/s on the SaudiNewsNet lines (a tree of
 *  small malloc()s per line, through its own global allocator) and was
 *  about 85% of the reader's time; bench/bench_read.c times both.
 * ------------------------------------------------------------------ */

typedef struct jfield {
    const char *name;
    const char *text;
    size_t len;
} jfield;

/* Gets an optional string member; null counts as absent. */
static kh_status json_str(kh_reader *r, json_t *obj, jfield *f)
{
    json_t *v = json_object_get(obj, f->name);
    f->text = NULL;
    f->len = 0;
    if (!v || json_is_null(v))
        return KH_OK;
    if (!json_is_string(v))
        return kh_ctx_error(r->ctx, KH_E_JSON, "%s:%llu: \"%s\" must be a string", r->file,
                            (unsigned long long)r->line_no, f->name);
    f->text = json_string_value(v);
    f->len = json_string_length(v);
    return KH_OK;
}

/*
 * The fast path: khi_jsonl_scan() decodes the members straight into the new
 * document's arena (one block for all of them, after the kh_doc itself).
 * Sets *out, or leaves it NULL when the line is not a plain valid record
 * (malformed, or a record the checks below refuse): jansson then reads the
 * line again and names the error.
 * @return KH_OK or KH_E_NOMEM.
 */
static kh_status parse_jsonl_fast(kh_reader *r, const unsigned char *line, size_t len,
                                  kh_doc **out)
{
    kh_arena *a;
    *out = NULL;
    if (len > SIZE_MAX / 2)
        return KH_OK;
    KHI_FORWARD_IF_ERROR(kh_arena_create(r->ctx, &a));
    kh_doc *d = kh_arena_alloc(a, sizeof *d);
    const char *file = d ? kh_arena_strndup(a, r->file, strlen(r->file)) : NULL;
    char *buf = file ? kh_arena_alloc(a, len + KHI_JSONL_SLACK) : NULL;
    if (!buf) {
        kh_arena_free(a);
        return KH_E_NOMEM;
    }
    khi_jstr f[KHI_JF_COUNT];
    if (!khi_jsonl_scan(line, len, buf, f) || (f[KHI_JF_ID].text && f[KHI_JF_ID].text_len == 0))
        goto slow;
    int body = -1, n_body = 0;
    for (int i = KHI_JF_TEXT; i <= KHI_JF_HTML; i++)
        if (f[i].text) {
            body = i;
            n_body++;
        }
    if (n_body != 1 || f[body].text_len == 0 || f[body].text_len > r->doc_limit)
        goto slow;
    /* the scanner's strings are ours, NUL-terminated: decoded in place */
    const int decoded_fields[] = { KHI_JF_SOURCE, KHI_JF_TITLE, KHI_JF_TEXT, KHI_JF_PAGE };
    for (size_t k = 0; k < sizeof decoded_fields / sizeof decoded_fields[0]; k++) {
        khi_jstr *j = &f[decoded_fields[k]];
        if (j->text && memchr(j->text, '&', j->text_len)) {
            j->text_len = decode_refs((char *)j->text, j->text_len);
            j->n_chars = count_chars((const unsigned char *)j->text, j->text_len);
        }
    }
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->file = file;
    d->id = f[KHI_JF_ID].text;
    d->url = f[KHI_JF_URL].text;
    d->source = f[KHI_JF_SOURCE].text;
    d->date = f[KHI_JF_DATE].text;
    d->title = f[KHI_JF_TITLE].text;
    d->format = KH_FORMAT_JSONL;
    d->kind = body == KHI_JF_TEXT ? KH_CONTENT_TEXT
              : body == KHI_JF_PAGE ? KH_CONTENT_PAGE : KH_CONTENT_HTML;
    d->line = r->line_no;
    d->offset = r->line_start;
    d->lang = KH_LANG_UNKNOWN;
    d->content = f[body].text;
    d->content_len = f[body].text_len;
    d->n_chars = f[body].n_chars;
    d->n_lines = count_lines((const unsigned char *)d->content, d->content_len);
    *out = d;
    return KH_OK;
slow:
    kh_arena_free(a);
    return KH_OK;
}

static kh_status parse_jsonl_line(kh_reader *r, const unsigned char *line, size_t len,
                                  kh_doc **out)
{
    /* The scanner refuses NUL bytes, so lines holding one come here. */
    KHI_FORWARD_IF_ERROR(parse_jsonl_fast(r, line, len, out));
    if (*out)
        return KH_OK;
    const unsigned char *nul = memchr(line, 0, len);
    if (nul)
        return kh_ctx_error(r->ctx, KH_E_NUL, "%s:%llu: NUL byte at column %zu", r->file,
                            (unsigned long long)r->line_no, (size_t)(nul - line) + 1);
    json_error_t err;
    json_t *obj = json_loadb((const char *)line, len, JSON_REJECT_DUPLICATES, &err);
    if (!obj) {
        unsigned long long ln = r->line_no;
        switch (json_error_code(&err)) {
        case json_error_out_of_memory:
            return kh_ctx_error(r->ctx, KH_E_NOMEM, "%s:%llu: out of memory", r->file, ln);
        case json_error_premature_end_of_input:
            return kh_ctx_error(r->ctx, KH_E_JSON, "%s:%llu: truncated JSON at column %d",
                                r->file, ln, err.column);
        case json_error_invalid_utf8:
            return kh_ctx_error(r->ctx, KH_E_UTF8, "%s:%llu: invalid UTF-8 at column %d",
                                r->file, ln, err.column);
        case json_error_null_character:
            return kh_ctx_error(r->ctx, KH_E_NUL, "%s:%llu: \\u0000 in a string at column %d",
                                r->file, ln, err.column);
        default:
            return kh_ctx_error(r->ctx, KH_E_JSON, "%s:%llu: bad JSON at column %d: %s",
                                r->file, ln, err.column, err.text);
        }
    }
    kh_status rc = KH_OK;
    jfield f[] = { { "id", 0, 0 },    { "url", 0, 0 },  { "source", 0, 0 }, { "date", 0, 0 },
                   { "title", 0, 0 }, { "text", 0, 0 }, { "page", 0, 0 },   { "html", 0, 0 } };
    enum { F_ID, F_URL, F_SOURCE, F_DATE, F_TITLE, F_TEXT, F_PAGE, F_HTML, F_N };
    if (!json_is_object(obj)) {
        rc = kh_ctx_error(r->ctx, KH_E_JSON, "%s:%llu: a line must hold one JSON object",
                          r->file, (unsigned long long)r->line_no);
        goto done;
    }
    for (int i = 0; i < F_N; i++)
        if ((rc = json_str(r, obj, &f[i])) != KH_OK)
            goto done;
    if (f[F_ID].text && f[F_ID].len == 0) {
        rc = kh_ctx_error(r->ctx, KH_E_JSON, "%s:%llu: \"id\" is empty", r->file,
                          (unsigned long long)r->line_no);
        goto done;
    }
    int body = -1, n_body = 0;
    for (int i = F_TEXT; i <= F_HTML; i++)
        if (f[i].text) {
            body = i;
            n_body++;
        }
    if (n_body != 1) {
        rc = kh_ctx_error(r->ctx, KH_E_JSON,
                          "%s:%llu: needs exactly one of \"text\", \"page\" or \"html\" (found %d)",
                          r->file, (unsigned long long)r->line_no, n_body);
        goto done;
    }
    if (f[body].len == 0) {
        rc = kh_ctx_error(r->ctx, KH_E_EMPTY, "%s:%llu: \"%s\" is empty", r->file,
                          (unsigned long long)r->line_no, f[body].name);
        goto done;
    }
    if (f[body].len > r->doc_limit) {
        rc = kh_ctx_error(r->ctx, KH_E_TOOBIG, "%s:%llu: document longer than %zu bytes",
                          r->file, (unsigned long long)r->line_no, r->doc_limit);
        goto done;
    }
    kh_content kind = body == F_TEXT ? KH_CONTENT_TEXT
                      : body == F_PAGE ? KH_CONTENT_PAGE : KH_CONTENT_HTML;
    kh_doc *d;
    rc = doc_new(r, &d, KH_FORMAT_JSONL, kind, f[F_ID].text, f[F_ID].len, r->line_no,
                 r->line_start);
    if (rc != KH_OK)
        goto done;
    const unsigned char *c = (const unsigned char *)f[body].text;
    size_t c_len = f[body].len;
    char *decoded = NULL;
    if (body != F_HTML && memchr(c, '&', c_len)) { /* HTML decodes its own */
        decoded = malloc(c_len + 1);
        if (!decoded) {
            kh_doc_free(d);
            rc = kh_ctx_error(r->ctx, KH_E_NOMEM, "%s:%llu: out of memory", r->file,
                              (unsigned long long)r->line_no);
            goto done;
        }
        memcpy(decoded, c, c_len);
        c_len = decode_refs(decoded, c_len);
        c = (const unsigned char *)decoded;
    }
    if ((rc = doc_set(d, &d->url, f[F_URL].text, f[F_URL].len)) != KH_OK ||
        (rc = doc_set_text(d, &d->source, f[F_SOURCE].text, f[F_SOURCE].len)) != KH_OK ||
        (rc = doc_set(d, &d->date, f[F_DATE].text, f[F_DATE].len)) != KH_OK ||
        (rc = doc_set_text(d, &d->title, f[F_TITLE].text, f[F_TITLE].len)) != KH_OK ||
        (rc = doc_content(d, c, c_len, count_chars(c, c_len), count_lines(c, c_len))) != KH_OK) {
        free(decoded);
        kh_doc_free(d);
        goto done;
    }
    free(decoded);
    *out = d;
done:
    json_decref(obj);
    return rc;
}

static int blank(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_space(s[i]))
            return 0;
    return 1;
}

static kh_status read_jsonl(kh_reader *r, kh_doc **out)
{
    for (;;) {
        const unsigned char *line;
        size_t len;
        KHI_FORWARD_IF_ERROR(next_line(r, &line, &len, r->line_limit, 0));
        if (!line) {
            r->state = ST_NONE;
            return KH_OK;
        }
        if (blank(line, len))
            continue;
        if (r->first_record) {
            r->first_record = 0;
            size_t a = 0, b = len;
            while (a < b && is_space(line[a]))
                a++;
            while (b > a && is_space(line[b - 1]))
                b--;
            if (b - a == 1 && line[a] == '{') {
                r->state = ST_NONE; /* skip the file */
                return kh_ctx_error(r->ctx, KH_E_FORMAT,
                                    "%s:%llu: a JSON document over many lines, not JSON Lines "
                                    "(one object a line); file skipped",
                                    r->file, (unsigned long long)r->line_no);
            }
        }
        return parse_jsonl_line(r, line, len, out);
    }
}

/* ------------------------------------------------------------------ *
 *  WARC and WET
 * ------------------------------------------------------------------ */

enum { H_TYPE, H_ID, H_URI, H_DATE, H_CTYPE, H_LEN, H_N };

static const char *const warc_names[H_N] = {
    "WARC-Type", "WARC-Record-ID", "WARC-Target-URI", "WARC-Date", "Content-Type",
    "Content-Length",
};

static int hval_is(const kh_reader *r, const hval *h, const char *want)
{
    return h->set && h->len == strlen(want) &&
           strncasecmp(r->hdr.data + h->off, want, h->len) == 0;
}

/* The value of HTTP header name in head[0..len), or NULL. */
static const unsigned char *http_header(const unsigned char *head, size_t len, const char *name,
                                        size_t *vlen)
{
    size_t nlen = strlen(name);
    const unsigned char *p = head, *end = head + len;
    while (p < end) {
        const unsigned char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if ((size_t)(eol - p) > nlen && p[nlen] == ':' && strncasecmp((const char *)p, name, nlen) == 0) {
            const unsigned char *v = p + nlen + 1, *ve = eol;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && is_space(ve[-1]))
                ve--;
            *vlen = (size_t)(ve - v);
            return v;
        }
        p = eol + 1;
    }
    return NULL;
}

/* An HTTP status line "HTTP/1.1 200 OK": 1 when the status is 2xx. A
 * redirect or an error page is not the article at its URL. */
static int http_ok(const unsigned char *p, size_t len)
{
    size_t i = 5; /* after "HTTP/" */
    while (i < len && p[i] != ' ' && p[i] != '\n')
        i++;
    while (i < len && p[i] == ' ')
        i++;
    return i + 3 <= len && p[i] == '2' && p[i + 1] >= '0' && p[i + 1] <= '9' &&
           p[i + 2] >= '0' && p[i + 2] <= '9';
}

/* WARC-Target-URI without the angle brackets WARC/1.0's grammar allowed
 * and wget still writes: <http://x/> -> http://x/. */
static const char *warc_uri(const kh_reader *r, const hval *h, size_t *len)
{
    if (!h->set || h->len == 0)
        return NULL;
    const char *u = r->hdr.data + h->off;
    *len = h->len;
    if (*len >= 2 && u[0] == '<' && u[*len - 1] == '>')
        u++, *len -= 2;
    return *len ? u : NULL;
}

/* Crawlers file their own notes under made-up schemes (wget's log is a
 * resource at metadata://gnu.org/...; DNS lookups are dns:host): not pages. */
static int crawler_uri(const char *u, size_t len)
{
    return has_prefix_ci((const unsigned char *)u, len, "metadata:") ||
           has_prefix_ci((const unsigned char *)u, len, "dns:") ||
           has_prefix_ci((const unsigned char *)u, len, "filedesc:");
}

static int html_type(const unsigned char *v, size_t len)
{
    return has_prefix_ci(v, len, "text/html") || has_prefix_ci(v, len, "application/xhtml");
}

/* Skips n bytes of the stream, counting lines. @return 0 or -1. */
static int skip_bytes(kh_reader *r, uint64_t n)
{
    while (n) {
        if (r->pos == r->end) {
            int f = win_fill(r);
            if (f < 0)
                return -1;
            if (f == 0)
                return 0;
        }
        size_t k = (size_t)KHI_MIN((uint64_t)(r->end - r->pos), n);
        r->line_no += count_byte(r->win + r->pos, k, '\n');
        r->pos += k;
        n -= k;
    }
    return 0;
}

/* After a block: "\r\n\r\n", then the end or another "WARC/" record. */
static int warc_boundary(const kh_reader *r, size_t at)
{
    const unsigned char *p = r->win + at;
    size_t left = r->end - at;
    if (left < 4 || memcmp(p, "\r\n\r\n", 4) != 0)
        return 0;
    p += 4;
    left -= 4;
    if (left >= 5 && memcmp(p, "WARC/", 5) == 0)
        return 1;
    return r->eof && blank(p, left);
}

/* One WARC record as read_warc() takes it apart, step by step. */
typedef struct warc_record {
    uint64_t off, line;          /* where it starts: stream offset and line */
    hval h[H_N];                 /* the headers khabar reads (values in r->hdr) */
    const unsigned char *block;  /* the block, in the window until the next read */
    size_t block_len;
    uint64_t block_off;
    /* the payload, when the record is a fetched page */
    const unsigned char *pay;
    size_t pay_len;
    kh_format format;
    kh_content kind;
    const unsigned char *ct;     /* the payload's Content-Type, for its charset */
    size_t ct_len;
} warc_record;

/* Reads up to the next "WARC/" line: *found is 0 at the end of the file.
 * After a damaged record (r->resync) the lines up to a "WARC/1." line are
 * skipped; any other line where a record should start is an error. */
static kh_status warc_start(kh_reader *r, warc_record *rec, int *found)
{
    *found = 0;
    for (;;) {
        const unsigned char *line;
        size_t len;
        kh_status rc = next_line(r, &line, &len, r->line_limit, r->resync);
        if (rc == KH_E_TOOBIG && r->resync)
            continue;
        if (rc == KH_E_TOOBIG)
            r->resync = 1;
        KHI_FORWARD_IF_ERROR(rc);
        if (!line) {
            r->state = ST_NONE;
            return KH_OK;
        }
        if (r->resync) {
            if (len < 7 || memcmp(line, "WARC/1.", 7) != 0)
                continue;
            r->resync = 0;
        } else if (len < 5 || memcmp(line, "WARC/", 5) != 0) {
            if (blank(line, len))
                continue;
            r->resync = 1;
            return kh_ctx_error(r->ctx, KH_E_WARC, "%s:%llu: offset %llu: expected a WARC record",
                                r->file, (unsigned long long)r->line_no,
                                (unsigned long long)r->line_start);
        }
        rec->off = r->line_start;
        rec->line = r->line_no;
        *found = 1;
        return KH_OK;
    }
}

/* The header lines up to the blank one; the values of warc_names kept. */
static kh_status warc_headers(kh_reader *r, warc_record *rec)
{
    unsigned long long off = (unsigned long long)rec->off;
    memset(rec->h, 0, sizeof rec->h);
    kh_buf_clear(&r->hdr);
    for (;;) {
        const unsigned char *line;
        size_t len;
        kh_status rc = next_line(r, &line, &len, r->line_limit, 1);
        if (rc == KH_E_TOOBIG) {
            r->resync = 1;
            return kh_ctx_error(r->ctx, rc, "%s: record at offset %llu: header line %llu "
                                "longer than %zu bytes", r->file, off,
                                (unsigned long long)r->line_no, r->line_limit);
        }
        KHI_FORWARD_IF_ERROR(rc);
        if (!line) {
            r->state = ST_NONE;
            return kh_ctx_error(r->ctx, KH_E_WARC,
                                "%s: record at offset %llu: headers run past the end of the file",
                                r->file, off);
        }
        if (len && line[len - 1] == '\r')
            len--;
        if (len == 0)
            return KH_OK;
        const unsigned char *colon = memchr(line, ':', len);
        if (!colon)
            continue;
        size_t nlen = (size_t)(colon - line);
        for (int i = 0; i < H_N; i++) {
            if (nlen != strlen(warc_names[i]) ||
                strncasecmp((const char *)line, warc_names[i], nlen) != 0)
                continue;
            const unsigned char *v = colon + 1, *ve = line + len;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && is_space(ve[-1]))
                ve--;
            hval *h = &rec->h[i];
            h->off = r->hdr.len;
            h->len = (size_t)(ve - v);
            h->set = 1;
            KHI_FORWARD_IF_ERROR(kh_buf_append(&r->hdr, v, h->len));
            KHI_FORWARD_IF_ERROR(kh_buf_append(&r->hdr, "", 1));
        }
    }
}

/* The block its Content-Length gives, checked to end at a record boundary,
 * and consumed: its bytes stay in the window until the next read. A block
 * over the document limit is skipped, with an error. */
static kh_status warc_block(kh_reader *r, warc_record *rec)
{
    unsigned long long off = (unsigned long long)rec->off;
    const hval *hl = &rec->h[H_LEN];
    uint64_t clen = 0;
    int ok = hl->set && hl->len > 0 && hl->len <= 18;
    for (size_t i = 0; ok && i < hl->len; i++) {
        char c = r->hdr.data[hl->off + i];
        ok = c >= '0' && c <= '9';
        clen = clen * 10 + (uint64_t)(c - '0');
    }
    if (!ok) {
        r->resync = 1;
        return kh_ctx_error(r->ctx, KH_E_WARC, "%s: record at offset %llu: %s Content-Length",
                            r->file, off, hl->set ? "bad" : "no");
    }
    if (clen > r->doc_limit) {
        if (skip_bytes(r, clen) < 0)
            return r->fail;
        if (win_want(r, 9) < 0)
            return r->fail;
        if (warc_boundary(r, r->pos))
            r->pos += 4, r->line_no += 2;
        else
            r->resync = 1;
        return kh_ctx_error(r->ctx, KH_E_TOOBIG, "%s: record at offset %llu: Content-Length "
                            "%llu is over the document limit of %zu bytes", r->file, off,
                            (unsigned long long)clen, r->doc_limit);
    }
    size_t blen = (size_t)clen;
    if (win_want(r, blen + 9) < 0)
        return r->fail;
    if (r->end - r->pos < blen) {
        r->resync = 1; /* rescan from the block's first byte */
        return kh_ctx_error(r->ctx, KH_E_WARC, "%s: record at offset %llu: Content-Length "
                            "%zu runs past the end of the file", r->file, off, blen);
    }
    if (!warc_boundary(r, r->pos + blen)) {
        r->resync = 1;
        return kh_ctx_error(r->ctx, KH_E_WARC, "%s: record at offset %llu: Content-Length "
                            "%zu does not end at a record boundary", r->file, off, blen);
    }
    rec->block = r->win + r->pos;
    rec->block_len = blen;
    rec->block_off = r->win_base + r->pos;
    r->pos += blen + 4;
    r->line_no += count_byte(rec->block, blen, '\n') + 2;
    return KH_OK;
}

/* Whether the record is a document, and where its payload starts: a 2xx
 * HTML response (its HTTP headers cut off), a WET conversion, or an HTML
 * or plain-text resource. */
static int warc_payload(const kh_reader *r, warc_record *rec)
{
    const unsigned char *block = rec->block;
    size_t blen = rec->block_len;
    const hval *h = rec->h;
    rec->pay = block;
    rec->pay_len = blen;
    rec->format = KH_FORMAT_WARC;
    rec->kind = KH_CONTENT_HTML;
    rec->ct = NULL;
    rec->ct_len = 0;
    int doc = 0;
    if (hval_is(r, &h[H_TYPE], "response")) {
        const unsigned char *he = NULL;
        for (size_t i = 0; i + 1 < blen; i++) {
            if (block[i] == '\n' && (block[i + 1] == '\n' ||
                                     (block[i + 1] == '\r' && i + 2 < blen && block[i + 2] == '\n'))) {
                he = block + i + (block[i + 1] == '\n' ? 2 : 3);
                break;
            }
        }
        if (has_prefix_ci(block, blen, "HTTP/") && he && http_ok(block, blen)) {
            rec->ct = http_header(block, (size_t)(he - block), "Content-Type", &rec->ct_len);
            rec->pay = he;
            rec->pay_len = blen - (size_t)(he - block);
            size_t s = 0;
            while (s < rec->pay_len && is_space(rec->pay[s]))
                s++;
            doc = rec->ct ? html_type(rec->ct, rec->ct_len)
                          : (s < rec->pay_len && rec->pay[s] == '<');
        }
    } else if (hval_is(r, &h[H_TYPE], "conversion")) {
        rec->format = KH_FORMAT_WET;
        rec->kind = KH_CONTENT_PAGE;
        doc = 1;
    } else if (hval_is(r, &h[H_TYPE], "resource") && h[H_CTYPE].set) {
        rec->ct = (const unsigned char *)r->hdr.data + h[H_CTYPE].off;
        rec->ct_len = h[H_CTYPE].len;
        if (html_type(rec->ct, rec->ct_len)) {
            doc = 1;
        } else if (has_prefix_ci(rec->ct, h[H_CTYPE].len, "text/plain")) {
            rec->kind = KH_CONTENT_PAGE;
            doc = 1;
        }
    }
    return doc;
}

/* The payload as UTF-8 text: checked; for HTML, decoded from the charset
 * it declares, or with a few stray bytes replaced, as for an HTML file
 * (read_page). rec->pay then points at the text. */
static kh_status warc_text(kh_reader *r, warc_record *rec, size_t *chars_out,
                           uint64_t *repaired_out, uint64_t *repaired_at_out)
{
    unsigned long long off = (unsigned long long)rec->off;
    const unsigned char *pay = rec->pay;
    size_t plen = rec->pay_len;
    size_t chars = 0, bad;
    uint64_t pay_off = rec->block_off + (size_t)(pay - rec->block);
    kh_status rc = check_text(pay, plen, &chars, &bad);
    uint64_t repaired = 0, repaired_at = 0;
    if ((rc == KH_E_UTF8 || rc == KH_E_NUL) && rec->kind == KH_CONTENT_HTML) {
        const unsigned char *nul = memchr(pay + bad, '\0', plen - bad);
        uint64_t first = pay_off + bad, nul_at = nul ? pay_off + (size_t)(nul - pay) : 0;
        char label[LABEL_MAX + 4] = "", where[48];
        size_t at = bad;
        kh_status dr = has_invalid(pay, plen)
                           ? html_decode(r, rec->ct, rec->ct_len, pay, plen, label, &at)
                           : KH_E_UTF8;
        snprintf(where, sizeof where, ": record at offset %llu", off);
        if (dr == KH_OK) {
            pay = (const unsigned char *)r->conv.data;
            plen = r->conv.len;
        } else if (dr != KH_E_UTF8 || label[0]) {
            return charset_error(r, dr, where, label, pay_off + at);
        }
        repaired = count_bad(pay, plen);
        if (repaired * REPAIR_SHARE > plen) {
            if (dr == KH_OK)
                return charset_error(r, KH_E_NUL, where, label, nul_at);
        } else {
            if (repaired) {
                kh_buf *dst = dr == KH_OK ? &r->scratch : &r->conv;
                dst->max = r->doc_limit;
                rc = repair_text(dst, pay, plen);
                if (rc == KH_E_TOOBIG)
                    return kh_ctx_error(r->ctx, rc, "%s%s: document longer than %zu bytes once "
                                        "invalid bytes are replaced", r->file, where, r->doc_limit);
                KHI_FORWARD_IF_ERROR(rc);
                repaired_at = dr == KH_OK ? nul_at : first;
                pay = (const unsigned char *)dst->data;
                plen = dst->len;
            }
            chars = count_chars(pay, plen);
            rc = KH_OK;
        }
    }
    if (rc != KH_OK)
        return kh_ctx_error(r->ctx, rc, "%s: record at offset %llu: %s at byte %llu", r->file,
                            off, rc == KH_E_NUL ? "NUL byte" : "invalid UTF-8",
                            (unsigned long long)(pay_off + bad));
    rec->pay = pay;
    rec->pay_len = plen;
    *chars_out = chars;
    *repaired_out = repaired;
    *repaired_at_out = repaired_at;
    return KH_OK;
}

/* The next fetched page of a WARC file: records that are not one
 * (warcinfo, requests, metadata, revisits, other payloads, a crawler's own
 * notes) are skipped and counted. */
static kh_status read_warc(kh_reader *r, kh_doc **out)
{
    for (;;) {
        warc_record rec;
        memset(&rec, 0, sizeof rec);
        int found;
        KHI_FORWARD_IF_ERROR(warc_start(r, &rec, &found));
        if (!found)
            return KH_OK;
        KHI_FORWARD_IF_ERROR(warc_headers(r, &rec));
        KHI_FORWARD_IF_ERROR(warc_block(r, &rec));
        size_t uri_len = 0;
        const char *uri = warc_uri(r, &rec.h[H_URI], &uri_len);
        if (!warc_payload(r, &rec) || rec.pay_len == 0 || (uri && crawler_uri(uri, uri_len))) {
            r->stats.skipped++;
            continue;
        }
        size_t chars = 0;
        uint64_t repaired = 0, repaired_at = 0;
        KHI_FORWARD_IF_ERROR(warc_text(r, &rec, &chars, &repaired, &repaired_at));
        kh_doc *d;
        KHI_FORWARD_IF_ERROR(doc_new(r, &d, rec.format, rec.kind, NULL, 0, rec.line, rec.off));
        const hval *hd = &rec.h[H_DATE];
        kh_status rc;
        if ((rc = doc_set(d, &d->url, uri, uri_len)) != KH_OK ||
            (rc = doc_set(d, &d->date, hd->set ? r->hdr.data + hd->off : NULL, hd->len)) != KH_OK ||
            (rc = doc_content(d, rec.pay, rec.pay_len, chars, count_lines(rec.pay, rec.pay_len))) !=
                KH_OK) {
            kh_doc_free(d);
            return rc;
        }
        d->repaired = repaired;
        d->repaired_at = repaired_at;
        *out = d;
        return KH_OK;
    }
}

/* ------------------------------------------------------------------ *
 *  Files: open, detect, close
 * ------------------------------------------------------------------ */

static void file_close(kh_reader *r)
{
    if (r->close_fd && r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    r->close_fd = 0;
    if (r->z_live)
        inflateEnd(&r->z);
    r->z_live = 0;
    if (r->file)
        kh_free(r->ctx, r->file, r->file_size);
    r->file = NULL;
    r->state = ST_NONE;
}

/* Opens path (owned from now on) and detects its format. */
static kh_status file_open(kh_reader *r, char *path, int from_mem)
{
    r->file = path;
    r->file_size = strlen(path) + 1;
    r->from_mem = from_mem;
    r->mem_at = 0;
    r->raw_eof = 0;
    r->raw_bytes = 0;
    r->gz = r->z_ended = 0;
    r->pos = r->end = 0;
    r->eof = 0;
    r->win_base = 0;
    r->line_no = 0;
    r->resync = 0;
    r->bom = 0;
    r->first_record = 1;
    r->line_limit = kh_ctx_limit(r->ctx, KH_LIMIT_LINE, 0);
    r->doc_limit = kh_ctx_limit(r->ctx, KH_LIMIT_DOCUMENT, 0);
    size_t most = KHI_MAX(r->line_limit, r->doc_limit);
    r->win_max = most > SIZE_MAX / 2 ? SIZE_MAX / 2 : most + 2 * CHUNK;
    if (!from_mem) {
        if (strcmp(path, "-") == 0) {
            r->fd = STDIN_FILENO;
        } else {
            r->fd = open(path, O_RDONLY | O_CLOEXEC);
            if (r->fd < 0)
                return kh_ctx_error(r->ctx, KH_E_IO, "%s: cannot open: %s", path, strerror(errno));
            r->close_fd = 1;
        }
    }
    r->stats.files++;
    if (!r->zin && !(r->zin = kh_malloc(r->ctx, CHUNK)))
        return KH_E_NOMEM;

    /* Gzip magic, on the raw bytes. */
    size_t n = 0;
    while (n < 2) {
        long k = raw_read(r, r->zin + n, CHUNK - n);
        if (k < 0)
            return r->fail;
        if (k == 0)
            break;
        n += (size_t)k;
    }
    if (n == 0)
        return kh_ctx_error(r->ctx, KH_E_EMPTY, "%s: empty file", path);
    if (n >= 2 && r->zin[0] == 0x1f && r->zin[1] == 0x8b) {
        memset(&r->z, 0, sizeof r->z);
        r->z.zalloc = z_alloc;
        r->z.zfree = z_free;
        r->z.opaque = r->ctx;
        r->z.next_in = r->zin;
        r->z.avail_in = (uInt)n;
        if (inflateInit2(&r->z, 15 + 16) != Z_OK)
            return kh_ctx_error(r->ctx, KH_E_NOMEM, "%s: out of memory", path);
        r->z_live = 1;
        r->gz = 1;
    } else {
        r->win_max = KHI_MAX(r->win_max, n);
        if (r->win_cap < n) {
            size_t cap = KHI_MAX(4 * CHUNK, n);
            unsigned char *p = kh_realloc(r->ctx, r->win, r->win_cap, cap);
            if (!p)
                return KH_E_NOMEM;
            r->win = p;
            r->win_cap = cap;
        }
        memcpy(r->win, r->zin, n);
        r->end = n;
    }

    /* The first bytes that are not BOM or white space. */
    size_t i = 0;
    for (;;) {
        if (r->end >= 3 && memcmp(r->win, "\xEF\xBB\xBF", 3) == 0)
            r->bom = 3;
        for (i = r->bom; i < r->end && is_space(r->win[i]); i++)
            ;
        if ((i < r->end && r->end - i >= 5) || r->eof || r->end >= CHUNK)
            break;
        int f = win_fill(r);
        if (f < 0)
            return r->fail;
    }
    if (i == r->end && r->eof)
        return kh_ctx_error(r->ctx, KH_E_EMPTY, "%s: %s", path,
                            r->end == r->bom ? "empty file" : "only white space");
    const unsigned char *p = r->win + i;
    size_t left = r->end - i;
    if (left >= 5 && memcmp(p, "WARC/", 5) == 0) {
        r->line_no = count_byte(r->win, i, '\n');
        r->pos = i;
        r->state = ST_WARC;
    } else if (left && p[0] == '{') {
        r->pos = r->bom;
        r->state = ST_JSONL;
    } else {
        r->pos = r->bom;
        r->page_kind = left && p[0] == '<' ? KH_CONTENT_HTML : KH_CONTENT_PAGE;
        r->state = ST_PAGE;
    }
    return KH_OK;
}

/* ------------------------------------------------------------------ *
 *  Paths and directories
 * ------------------------------------------------------------------ */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void frame_free(kh_reader *r, dir_frame *f)
{
    for (size_t i = 0; i < f->n; i++)
        khi_strfree(r->ctx, f->names[i]);
    kh_free(r->ctx, f->names, f->n * sizeof *f->names);
}

/* Lists a directory (dot-files left out) and pushes it; takes path. */
static kh_status push_dir(kh_reader *r, char *path, const struct stat *st)
{
    kh_ctx *ctx = r->ctx;
    for (size_t i = 0; i < r->n_dirs; i++) {
        if (r->dirs[i].dev == st->st_dev && r->dirs[i].ino == st->st_ino) {
            kh_ctx_error(ctx, KH_E_IO, "%s: directory loop, skipped", path);
            khi_strfree(ctx, path);
            return KH_E_IO;
        }
    }
    if (r->n_dirs >= MAX_DEPTH) {
        kh_ctx_error(ctx, KH_E_IO, "%s: directories nested deeper than %d, skipped", path, MAX_DEPTH);
        khi_strfree(ctx, path);
        return KH_E_IO;
    }
    if (KHI_GROW(ctx, r->dirs, r->n_dirs, r->cap_dirs, 4) != KH_OK) {
        khi_strfree(ctx, path);
        return KH_E_NOMEM;
    }
    DIR *d = opendir(path);
    if (!d) {
        kh_ctx_error(ctx, KH_E_IO, "%s: cannot read directory: %s", path, strerror(errno));
        khi_strfree(ctx, path);
        return KH_E_IO;
    }
    dir_frame f = { NULL, 0, 0, st->st_dev, st->st_ino };
    size_t cap = 0, plen = strlen(path);
    int slash = plen && path[plen - 1] == '/';
    kh_status rc = KH_OK;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno)
                rc = kh_ctx_error(ctx, KH_E_IO, "%s: cannot read directory: %s", path, strerror(errno));
            break;
        }
        if (e->d_name[0] == '.')
            continue;
        if ((rc = KHI_GROW(ctx, f.names, f.n, cap, 16)) != KH_OK)
            break;
        size_t elen = strlen(e->d_name);
        char *full = kh_malloc(ctx, plen + elen + 2);
        if (!full) {
            rc = KH_E_NOMEM;
            break;
        }
        memcpy(full, path, plen);
        if (!slash)
            full[plen] = '/';
        memcpy(full + plen + !slash, e->d_name, elen + 1);
        f.names[f.n++] = full;
    }
    closedir(d);
    khi_strfree(ctx, path);
    /* Shrink the array to n entries so frame_free() knows its size. */
    if (rc == KH_OK && cap != f.n) {
        char **nn = f.n ? kh_realloc(ctx, f.names, cap * sizeof *nn, f.n * sizeof *nn) : NULL;
        if (f.n && !nn) {
            rc = KH_E_NOMEM;
        } else {
            if (!f.n)
                kh_free(ctx, f.names, cap * sizeof *f.names);
            f.names = nn;
        }
    }
    if (rc != KH_OK) {
        for (size_t i = 0; i < f.n; i++)
            khi_strfree(ctx, f.names[i]);
        kh_free(ctx, f.names, cap * sizeof *f.names);
        return rc;
    }
    /* An empty folder has no array at all, and qsort() may not be given
     * NULL even with nothing to sort. */
    if (f.n > 1)
        qsort(f.names, f.n, sizeof *f.names, cmp_names);
    r->dirs[r->n_dirs++] = f;
    return KH_OK;
}

/* Where a file's name starts in path: after its last '/'. */
static size_t base_at(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? (size_t)(slash + 1 - path) : 0;
}

/*
 * Where the names of the files under directory PATH dir start: at dir's own
 * last component, so that site/a/index.html and site/b/index.html differ
 * and two directories given side by side (two mirrored hosts) keep theirs
 * apart; after dir itself when it has no name of its own (".", "..", "/").
 * Children are dir + '/' + name, or dir + name when dir ends with '/'.
 */
static size_t root_at(const char *dir)
{
    size_t len = strlen(dir), end = len;
    while (end > 0 && dir[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    size_t n = end - start;
    if (n == 0 || (n == 1 && dir[start] == '.') ||
        (n == 2 && dir[start] == '.' && dir[start + 1] == '.'))
        return len + (len && dir[len - 1] == '/' ? 0 : 1);
    return start;
}

/* The next file to open: *path (owned by the caller) or NULL at the end;
 * sets r->name_skip for it. */
static kh_status next_path(kh_reader *r, char **path, int *from_mem)
{
    *path = NULL;
    *from_mem = 0;
    for (;;) {
        if (r->n_dirs) {
            dir_frame *f = &r->dirs[r->n_dirs - 1];
            if (f->next == f->n) {
                frame_free(r, f);
                r->n_dirs--;
                continue;
            }
            char *p = f->names[f->next];
            f->names[f->next++] = NULL;
            struct stat st;
            if (stat(p, &st) != 0) {
                kh_ctx_error(r->ctx, KH_E_IO, "%s: cannot open: %s", p, strerror(errno));
                khi_strfree(r->ctx, p);
                return KH_E_IO;
            }
            if (S_ISDIR(st.st_mode))
                KHI_FORWARD_IF_ERROR(push_dir(r, p, &st));
            else if (S_ISREG(st.st_mode))
                return *path = p, r->name_skip = r->root_skip, KH_OK;
            else
                khi_strfree(r->ctx, p); /* fifos, sockets, devices: only named ones are read */
            continue;
        }
        if (r->mem_pending) {
            r->mem_pending = 0;
            *from_mem = 1;
            *path = r->paths[0];
            r->paths[0] = NULL;
            r->name_skip = base_at(*path);
            return KH_OK;
        }
        if (r->next_path == r->n_paths)
            return KH_OK;
        char *p = r->paths[r->next_path];
        r->paths[r->next_path++] = NULL;
        struct stat st;
        if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            r->root_skip = root_at(p);
            KHI_FORWARD_IF_ERROR(push_dir(r, p, &st));
            continue;
        }
        *path = p; /* a missing file is reported by open() */
        r->name_skip = base_at(p);
        return KH_OK;
    }
}

/* ------------------------------------------------------------------ *
 *  The API
 * ------------------------------------------------------------------ */

static kh_status reader_new(kh_ctx *ctx, size_t n_paths, kh_reader **out)
{
    *out = NULL;
    kh_reader *r = kh_malloc(ctx, sizeof *r);
    KHI_RETURN_IF(!r, KH_E_NOMEM);
    memset(r, 0, sizeof *r);
    r->ctx = ctx;
    r->fd = -1;
    kh_buf_init(&r->scratch, ctx, 0);
    kh_buf_init(&r->hdr, ctx, 0);
    kh_buf_init(&r->conv, ctx, 0);
    r->paths = kh_malloc(ctx, n_paths * sizeof *r->paths);
    if (!r->paths) {
        kh_free(ctx, r, sizeof *r);
        return KH_E_NOMEM;
    }
    memset(r->paths, 0, n_paths * sizeof *r->paths);
    r->n_paths = n_paths;
    *out = r;
    return KH_OK;
}

kh_status kh_reader_open(kh_ctx *ctx, const char *const *paths, size_t n_paths, kh_reader **out)
{
    *out = NULL;
    if (n_paths == 0 || !paths)
        return kh_ctx_error(ctx, KH_E_ARG, "no input paths");
    for (size_t i = 0; i < n_paths; i++)
        if (!paths[i] || !paths[i][0])
            return kh_ctx_error(ctx, KH_E_ARG, "input path %zu is empty", i + 1);
    kh_reader *r;
    KHI_FORWARD_IF_ERROR(reader_new(ctx, n_paths, &r));
    for (size_t i = 0; i < n_paths; i++) {
        if (!(r->paths[i] = khi_strndup(ctx, paths[i], strlen(paths[i])))) {
            kh_reader_free(r);
            return KH_E_NOMEM;
        }
    }
    *out = r;
    return KH_OK;
}

kh_status kh_reader_open_buffer(kh_ctx *ctx, const char *name, const void *data, size_t data_len,
                                kh_reader **out)
{
    *out = NULL;
    if (!name)
        name = "-";
    if (!data && data_len)
        return kh_ctx_error(ctx, KH_E_ARG, "%s: no data", name);
    kh_reader *r;
    KHI_FORWARD_IF_ERROR(reader_new(ctx, 1, &r));
    if (!(r->paths[0] = khi_strndup(ctx, name, strlen(name)))) {
        kh_reader_free(r);
        return KH_E_NOMEM;
    }
    r->next_path = 1; /* not a path: read from memory */
    r->mem = data;
    r->mem_len = data_len;
    r->mem_pending = 1;
    *out = r;
    return KH_OK;
}

/* ------------------------------------------------------------------ *
 *  Identity: the id rule and the run's set of ids
 * ------------------------------------------------------------------ */

/* Gives d the id the rule in khabar.h says, when its record gave none. */
static kh_status doc_name(kh_reader *r, kh_doc *d)
{
    if (d->id)
        return KH_OK;
    if (d->url) {
        d->id = d->url;
        return KH_OK;
    }
    const char *name = r->file + KHI_MIN(r->name_skip, strlen(r->file));
    if (!name[0])
        name = r->file;
    char *id;
    if (d->format == KH_FORMAT_TEXT || d->format == KH_FORMAT_HTML) {
        id = kh_arena_strndup(d->arena, name, strlen(name));
    } else {
        /* Several records a file: the record's line tells them apart. */
        size_t n = strlen(name) + 22;
        id = kh_arena_alloc(d->arena, n);
        if (id)
            snprintf(id, n, "%s:%llu", name, (unsigned long long)d->line);
    }
    d->id = id;
    return id ? KH_OK : KH_E_NOMEM;
}

/* Adds id's hash to the set. @return 1 when it was there, 0 when added,
 * -1 when out of memory. */
static int seen_add(kh_reader *r, const char *id)
{
    uint64_t h = XXH3_64bits(id, strlen(id));
    h += !h; /* 0 marks an empty slot */
    if (2 * (r->seen_n + 1) > r->seen_cap) {
        size_t cap = r->seen_cap ? r->seen_cap * 2 : 1024;
        uint64_t *t = kh_malloc(r->ctx, cap * sizeof *t);
        if (!t)
            return -1;
        memset(t, 0, cap * sizeof *t);
        for (size_t i = 0; i < r->seen_cap; i++) {
            uint64_t v = r->seen[i];
            if (!v)
                continue;
            size_t j = (size_t)v & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = v;
        }
        kh_free(r->ctx, r->seen, r->seen_cap * sizeof *r->seen);
        r->seen = t;
        r->seen_cap = cap;
    }
    size_t j = (size_t)h & (r->seen_cap - 1);
    while (r->seen[j]) {
        if (r->seen[j] == h)
            return 1;
        j = (j + 1) & (r->seen_cap - 1);
    }
    r->seen[j] = h;
    r->seen_n++;
    return 0;
}

kh_status kh_reader_next(kh_reader *r, kh_doc **out)
{
    *out = NULL;
    if (r->broken)
        return kh_ctx_error(r->ctx, KH_E_NOMEM, "out of memory");
    kh_status rc;
    for (;;) {
        if (r->state == ST_NONE) {
            if (r->file)
                file_close(r);
            char *path;
            int from_mem;
            rc = next_path(r, &path, &from_mem);
            if (rc != KH_OK)
                break;
            if (!path)
                return KH_OK;
            rc = file_open(r, path, from_mem);
            if (rc != KH_OK)
                break;
        }
        switch (r->state) {
        case ST_PAGE: rc = read_page(r, out); break;
        case ST_JSONL: rc = read_jsonl(r, out); break;
        default: rc = read_warc(r, out); break;
        }
        if (rc != KH_OK)
            break;
        if (*out) {
            kh_doc *d = *out;
            int seen = (rc = doc_name(r, d)) == KH_OK ? seen_add(r, d->id) : -1;
            if (seen) {
                *out = NULL;
                if (seen < 0) {
                    kh_doc_free(d);
                    rc = KH_E_NOMEM;
                    break;
                }
                /* Readable, but a second article under one name would make
                 * the first unreachable: the caller warns, and it is counted. */
                r->stats.duplicates++;
                rc = kh_ctx_error(r->ctx, KH_E_DUPLICATE, "%s:%llu: id \"%s\" already read; "
                                  "record skipped", d->file, (unsigned long long)d->line, d->id);
                kh_doc_free(d);
                return rc;
            }
            d->seq = r->seq++;
            r->stats.docs++;
            return KH_OK;
        }
    }
    r->stats.errors++;
    if (rc == KH_E_NOMEM) {
        r->broken = 1;
        if (kh_errmsg(r->ctx)[0] == '\0' || r->ctx->last_code != KH_E_NOMEM)
            kh_ctx_error(r->ctx, KH_E_NOMEM, "%s: out of memory", r->file ? r->file : "reader");
    }
    /* Pages are one record, and a failing stream cannot go on: next file. */
    if (r->state == ST_PAGE || r->fail != KH_OK)
        r->state = ST_NONE;
    r->fail = KH_OK;
    if (r->state == ST_NONE && r->file)
        file_close(r);
    return rc;
}

void kh_reader_stats(const kh_reader *r, kh_read_stats *stats)
{
    *stats = r->stats;
}

void kh_reader_free(kh_reader *r)
{
    if (!r)
        return;
    kh_ctx *ctx = r->ctx;
    file_close(r);
    for (size_t i = 0; i < r->n_dirs; i++)
        frame_free(r, &r->dirs[i]);
    kh_free(ctx, r->dirs, r->cap_dirs * sizeof *r->dirs);
    for (size_t i = 0; i < r->n_paths; i++)
        khi_strfree(ctx, r->paths[i]);
    kh_free(ctx, r->paths, r->n_paths * sizeof *r->paths);
    kh_free(ctx, r->win, r->win_cap);
    kh_free(ctx, r->zin, CHUNK);
    kh_free(ctx, r->seen, r->seen_cap * sizeof *r->seen);
    kh_buf_free(&r->scratch);
    kh_buf_free(&r->hdr);
    kh_buf_free(&r->conv);
    kh_free(ctx, r, sizeof *r);
}
