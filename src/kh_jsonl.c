/*
 * kh_jsonl.c — a one-pass scanner for a JSON Lines record: the reader's fast
 * path, with jansson behind it for everything it does not accept.
 *
 * Idea. A JSONL line is one object; khabar reads only its top-level string
 * members id, url, source, date, title, text, page and html. The scanner
 * walks the line once, left to right, with a cursor and no tree: known
 * members are decoded (escapes resolved, UTF-8 checked, code points
 * counted) straight into the caller's buffer; every other value is walked
 * to check it and dropped. Strings go sixteen bytes at a time with SSE2
 * (x86-64 always has it; elsewhere eight at a time in a 64-bit word): one
 * compare each for '"' and '\\', one unsigned compare for control bytes,
 * and the sign bits say whether the block is all ASCII. An ASCII block is
 * stored as it is. A block of ASCII and two-byte sequences (all of Arabic)
 * is checked with two more compares: every continuation byte (80-BF) must
 * follow a lead byte C2-DF, i.e. cont == lead << 1 as bit masks (a letter
 * across the block's end is left to the next block). Anything else (three-
 * and four-byte sequences, errors) goes code point by code point through
 * khi_utf8_decode.
 *
 * Contract with jansson (json_loadb(line, JSON_REJECT_DUPLICATES)). The
 * scanner gives up (returns 0) on anything it is not sure jansson takes, so
 * the caller's jansson path reports the error with its column and kind:
 *   - the grammar of RFC 8259 with jansson's white space (space, tab, CR,
 *     LF); a top-level object only (jansson also takes an array, which the
 *     reader then refuses);
 *   - strings: no raw byte below 0x20, strict UTF-8 (RFC 3629, as jansson
 *     and kh_utf8.c check it), the eight escapes \" \\ \/ \b \f \n \r \t,
 *     and \uXXXX with surrogate pairs joined; a lone surrogate and \u0000
 *     are refused (jansson refuses them too);
 *   - duplicate keys are refused in every object, as JSON_REJECT_DUPLICATES
 *     does; keys are compared as raw bytes, so a key holding an escape
 *     (whose decoded form might equal another key) makes the scanner give up;
 *   - numbers that jansson could find too big: integers of more than 18
 *     digits (jansson's json_int_t is 64-bit) and reals longer than 32
 *     bytes or with an exponent past 250 (jansson refuses a strtod overflow);
 *   - nesting deeper than 32 (jansson's limit is 2048), more than 64 keys
 *     held at once (the duplicate check's table);
 *   - a known member whose value is not a string or null.
 * What it accepts, jansson accepts, and the decoded bytes are jansson's:
 * tests/test_jsonl.c and fuzz/fuzz_jsonl_scan.c check both against jansson
 * on every case, every corpus line and arbitrary bytes.
 *
 * Invariant. A string of n raw bytes between its quotes decodes to at most
 * n bytes (an escape is never shorter than what it stands for), so all
 * decoded strings with their NUL terminators fit in line_len bytes of out;
 * wide stores may write up to KHI_JSONL_SLACK bytes past the current end.
 * Keys and skipped strings are decoded at the free end of out and not kept.
 *
 *   line: {"id":"a1","n":[1,{"x":null}],"text":"\u0633\u0644\u0627\u0645"}
 *   out:  a1\0 سلام\0 [free ... slack]
 *         ^fields[ID].text
 */
#include "kh_jsonl.h"

#include <string.h>

#if defined(__SSE2__)
#  include <emmintrin.h>
#endif

#define MAX_DEPTH 32
#define MAX_KEYS 64

const char *const khi_jsonl_names[KHI_JF_COUNT] = {
    "id", "url", "source", "date", "title", "text", "page", "html",
};

static const size_t name_len[KHI_JF_COUNT] = { 2, 3, 6, 4, 5, 4, 4, 4 };

typedef struct jkey {
    const unsigned char *text;
    size_t text_len;
} jkey;

typedef struct scanner {
    const unsigned char *p, *end;
    char *out; /* free end of the caller's buffer */
    int depth;
    size_t n_keys;
    jkey keys[MAX_KEYS]; /* keys of the objects open now, outermost first */
} scanner;

static int is_ws(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(scanner *s)
{
    while (s->p < s->end && is_ws(*s->p))
        s->p++;
}

static int hex4(const unsigned char *p, uint32_t *v)
{
    uint32_t x = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return 0;
        x = x << 4 | d;
    }
    *v = x;
    return 1;
}

#if defined(__SSE2__)
static unsigned popcount16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555);
    x = (x & 0x3333) + ((x >> 2) & 0x3333);
    x = (x + (x >> 4)) & 0x0F0F;
    return (x + (x >> 8)) & 0x1F;
}

/*
 * Checks the UTF-8 of [p, stop) (a sequence may run past stop, never past
 * end), counting code points into *n.
 * @return where it stopped (>= stop), or NULL on invalid UTF-8.
 */
static const unsigned char *check_run(const unsigned char *p, const unsigned char *stop,
                                      const unsigned char *end, size_t *n)
{
    size_t count = 0;
    while (p < stop) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
        } else if (c >= 0xC2 && c < 0xE0 && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
            p += 2;
        } else {
            uint32_t cp;
            size_t k = khi_utf8_decode(p, (size_t)(end - p), &cp);
            if (k == 0)
                return NULL;
            p += k;
        }
        count++;
    }
    *n += count;
    return p;
}

#endif /* __SSE2__ */

/*
 * Decodes the string whose opening quote is just behind s->p into o
 * (NUL-terminated). Sets *len, *chars and *escaped (whether it held an
 * escape); s->p ends past the closing quote.
 * @return 1, or 0 when the string is not one jansson would take.
 */
static int scan_string(scanner *s, char *o, size_t *len, size_t *chars, int *escaped)
{
    const unsigned char *p = s->p, *end = s->end;
    char *o0 = o;
    size_t n = 0;
    int esc = 0;
    for (;;) {
        unsigned c;
#if defined(__SSE2__)
        if (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
            __m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                   _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                      ctl);
            unsigned m = (unsigned)_mm_movemask_epi8(sp);
            unsigned hi = (unsigned)_mm_movemask_epi8(v);
            _mm_storeu_si128((__m128i *)(void *)o, v);
            if ((m | hi) == 0) {
                p += 16;
                o += 16;
                n += 16;
                continue;
            }
            unsigned k = m ? (unsigned)__builtin_ctz(m) : 16;
            unsigned km = (1u << k) - 1; /* the bytes before the first special one */
            const unsigned char *q;
            if ((hi & km) == 0) {
                n += k;
                q = p + k;
            } else {
                /* Only ASCII and two-byte sequences (lead C2-DF, then one
                 * continuation byte)? Then every continuation follows a
                 * lead: cont == lead << 1 on the bytes before k. */
                unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
                unsigned lead = (unsigned)_mm_movemask_epi8(
                    _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-63)),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8(-32))));
                unsigned adv = k;
                if (lead >> (k - 1) & 1) /* a letter across byte k */
                    adv = m ? 0 : 15;     /* a special byte cannot end it */
                if (adv && (hi & ~(cont | lead) & km) == 0 && ((cont ^ (lead << 1)) & km) == 0) {
                    n += adv - popcount16(cont & km);
                    q = p + adv;
                } else {
                    q = check_run(p, p + k, end, &n);
                }
            }
            if (!q)
                return 0;
            for (size_t i = 16; i < (size_t)(q - p); i++) /* a sequence across the block's end */
                o[i] = (char)p[i];
            o += q - p;
            p = q;
            if (!m)
                continue;
            c = *p; /* p + k: a quote, a backslash or a control byte */
        } else
#else
        if (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
            uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
            uint64_t hit = ((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w) | w;
            if ((hit & highs) == 0) {
                memcpy(o, p, 8);
                p += 8;
                o += 8;
                n += 8;
                continue;
            }
        }
#endif
        {
            if (p >= end)
                return 0;
            c = *p;
            if (c >= 0x20 && c != '"' && c != '\\') {
                if (c < 0x80) {
                    *o++ = (char)c;
                    p++;
                    n++;
                } else {
                    uint32_t cp;
                    size_t k = khi_utf8_decode(p, (size_t)(end - p), &cp);
                    if (k == 0)
                        return 0;
                    memcpy(o, p, k);
                    o += k;
                    p += k;
                    n++;
                }
                continue;
            }
        }
        if (c == '"')
            break;
        if (c < 0x20 || end - p < 2)
            return 0;
        /* An escape. */
        esc = 1;
        c = p[1];
        p += 2;
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            uint32_t cp, lo;
            if (end - p < 4 || !hex4(p, &cp) || cp == 0)
                return 0;
            p += 4;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return 0; /* a low surrogate alone */
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return 0; /* a high surrogate without its pair */
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            o += khi_utf8_encode(cp, o);
            break;
        }
        default: return 0;
        }
        n++;
    }
    *o = '\0';
    s->p = p + 1;
    *len = (size_t)(o - o0);
    *chars = n;
    *escaped = esc;
    return 1;
}

/* A number, with the limits in the header comment. @return 1 or 0. */
static int scan_number(scanner *s)
{
    const unsigned char *p = s->p, *end = s->end, *start = p;
    int real = 0;
    if (p < end && *p == '-')
        p++;
    const unsigned char *digits = p;
    if (p < end && *p == '0')
        p++;
    else if (p < end && *p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    size_t n_int = (size_t)(p - digits);
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return 0;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        real = 1;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return 0;
        unsigned x = 0;
        int nd = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            if (++nd > 3)
                return 0;
            x = x * 10 + (unsigned)(*p++ - '0');
        }
        if (x > 250)
            return 0;
        real = 1;
    }
    if (real ? p - start > 32 : n_int > 18)
        return 0;
    s->p = p;
    return 1;
}

static int scan_word(scanner *s, const char *word, size_t word_len)
{
    if ((size_t)(s->end - s->p) < word_len || memcmp(s->p, word, word_len) != 0)
        return 0;
    s->p += word_len;
    return 1;
}

static int scan_value(scanner *s);

/* An object whose '{' is just behind s->p; fields is non-NULL at the top. */
static int scan_object(scanner *s, khi_jstr *fields)
{
    if (++s->depth > MAX_DEPTH)
        return 0;
    size_t base = s->n_keys;
    skip_ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        s->depth--;
        return 1;
    }
    for (;;) {
        if (s->p >= s->end || *s->p != '"')
            return 0;
        const unsigned char *key = ++s->p;
        size_t klen, kchars;
        int esc;
        if (!scan_string(s, s->out, &klen, &kchars, &esc) || esc)
            return 0;
        for (size_t i = base; i < s->n_keys; i++)
            if (s->keys[i].text_len == klen && memcmp(s->keys[i].text, key, klen) == 0)
                return 0; /* a duplicate */
        if (s->n_keys == MAX_KEYS)
            return 0;
        s->keys[s->n_keys].text = key;
        s->keys[s->n_keys++].text_len = klen;
        skip_ws(s);
        if (s->p >= s->end || *s->p != ':')
            return 0;
        s->p++;
        skip_ws(s);
        int f = -1;
        if (fields && klen >= 2 && klen <= 6)
            for (int i = 0; i < KHI_JF_COUNT; i++)
                if (name_len[i] == klen && memcmp(khi_jsonl_names[i], key, klen) == 0)
                    f = i;
        if (f >= 0) {
            if (s->p < s->end && *s->p == '"') {
                s->p++;
                khi_jstr *j = &fields[f];
                if (!scan_string(s, s->out, &j->text_len, &j->n_chars, &esc))
                    return 0;
                j->text = s->out;
                s->out += j->text_len + 1;
            } else if (!scan_word(s, "null", 4)) {
                return 0; /* a known member must be a string */
            }
        } else if (!scan_value(s)) {
            return 0;
        }
        skip_ws(s);
        if (s->p >= s->end)
            return 0;
        if (*s->p == '}') {
            s->p++;
            break;
        }
        if (*s->p != ',')
            return 0;
        s->p++;
        skip_ws(s);
    }
    s->n_keys = base;
    s->depth--;
    return 1;
}

static int scan_array(scanner *s)
{
    if (++s->depth > MAX_DEPTH)
        return 0;
    skip_ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        s->depth--;
        return 1;
    }
    for (;;) {
        if (!scan_value(s))
            return 0;
        skip_ws(s);
        if (s->p >= s->end)
            return 0;
        if (*s->p == ']') {
            s->p++;
            break;
        }
        if (*s->p != ',')
            return 0;
        s->p++;
        skip_ws(s);
    }
    s->depth--;
    return 1;
}

/* Any value at s->p (white space already skipped), checked and dropped. */
static int scan_value(scanner *s)
{
    if (s->p >= s->end)
        return 0;
    size_t len, chars;
    int esc;
    switch (*s->p) {
    case '"': s->p++; return scan_string(s, s->out, &len, &chars, &esc);
    case '{': s->p++; return scan_object(s, NULL);
    case '[': s->p++; return scan_array(s);
    case 't': return scan_word(s, "true", 4);
    case 'f': return scan_word(s, "false", 5);
    case 'n': return scan_word(s, "null", 4);
    default: return scan_number(s);
    }
}

int khi_jsonl_scan(const unsigned char *line, size_t line_len, char *out,
                   khi_jstr fields[KHI_JF_COUNT])
{
    scanner s;
    s.p = line;
    s.end = line + line_len;
    s.out = out;
    s.depth = 0;
    s.n_keys = 0;
    for (int i = 0; i < KHI_JF_COUNT; i++) {
        fields[i].text = NULL;
        fields[i].text_len = 0;
        fields[i].n_chars = 0;
    }
    skip_ws(&s);
    if (s.p >= s.end || *s.p != '{')
        return 0;
    s.p++;
    if (!scan_object(&s, fields))
        return 0;
    skip_ws(&s);
    return s.p == s.end;
}
