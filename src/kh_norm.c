/*
 * kh_norm.c — matching keys and NFKC: the per-character folding every later
 * stage compares text by.
 *
 * Idea. A key is what two spellings of the same word have in common. Most
 * news text is ASCII or the Arabic block U+0600-U+06FF, so the normalizer
 * walks the bytes itself: ASCII is copied with a branch-free lowercase, a
 * two-byte Arabic letter is mapped through ar_fold[] (one load), and only the
 * rare remaining code points go to utf8proc (compatibility decomposition +
 * case fold). Nothing is allocated per character or per word.
 *
 * Folding rules (kh_text_normalize):
 *   - Arabic: alef forms أ إ آ ٱ -> ا; ى ی -> ي; ک -> ك; ة ۀ ہ ھ -> ه;
 *     tashkeel U+064B-U+065F, U+0670, Quranic marks and tatweel dropped;
 *     Arabic-Indic and Persian digits -> ASCII; ٫ ٬ ٪ -> . , %.
 *   - ؤ and ئ are KEPT: mapping them to و / ي merges different words
 *     (سئل "was asked" / سيل "torrent"), and writers rarely confuse the seats.
 *     A decomposed hamza above (U+0654) after و or ي is composed back into
 *     ؤ / ئ so that NFD and NFC input give the same key.
 *   - Latin: case folded (full folding, ß -> ss) and accents REMOVED
 *     (é -> e): French capitals are often written without accents
 *     (ETATS-UNIS / États-Unis) and keys are for matching, never for display.
 *   - bidi controls, zero-width characters, soft hyphen: dropped.
 *   - everything else: NFKD + case fold (utf8proc), so presentation forms
 *     (ﻻ ﷲ) and compatibility characters (NBSP, ﬁ, fullwidth) fold too.
 *     Keys are decomposed rather than recomposed: the comparison only needs
 *     equal input -> equal key, and dropping combining accents makes NFC and
 *     NFD input agree without a composition pass.
 *
 * Invariant: a fast path never writes more bytes than it reads (ASCII 1->1,
 * Arabic 2->2 or 2->1 or 2->0), so a buffer as large as the rest of the
 * input only ever needs growing after a utf8proc decomposition.
 */
#include "kh_text_internal.h"

#include <string.h>
#include <utf8proc.h>

#define SEP KHI_CC_SEP
#define LET KHI_CC_LETTER
#define JON KHI_CC_JOIN
#define DIG KHI_CC_DIGIT

/* ar_fold[cp - 0x600]: the key's code point; 0 drops it; 1 is hamza above,
 * composed with the previous letter. Values < 0x80 are ASCII. */
static const uint16_t ar_fold[256] = {
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0606, 0x0607, /* U+0600 */
    0x0608, 0x0609, 0x060a, 0x060b, 0x060c, 0x060d, 0x060e, 0x060f, /* U+0608 */
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, /* U+0610 */
    0x0000, 0x0000, 0x0000, 0x061b, 0x0000, 0x061d, 0x061e, 0x061f, /* U+0618 */
    0x0620, 0x0621, 0x0627, 0x0627, 0x0624, 0x0627, 0x0626, 0x0627, /* U+0620 */
    0x0628, 0x0647, 0x062a, 0x062b, 0x062c, 0x062d, 0x062e, 0x062f, /* U+0628 */
    0x0630, 0x0631, 0x0632, 0x0633, 0x0634, 0x0635, 0x0636, 0x0637, /* U+0630 */
    0x0638, 0x0639, 0x063a, 0x063b, 0x063c, 0x063d, 0x063e, 0x063f, /* U+0638 */
    0x0000, 0x0641, 0x0642, 0x0643, 0x0644, 0x0645, 0x0646, 0x0647, /* U+0640 */
    0x0648, 0x064a, 0x064a, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, /* U+0648 */
    0x0000, 0x0000, 0x0000, 0x0000, 0x0001, 0x0000, 0x0000, 0x0000, /* U+0650 */
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, /* U+0658 */
    0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, /* U+0660 */
    0x0038, 0x0039, 0x0025, 0x002e, 0x002c, 0x066d, 0x066e, 0x066f, /* U+0668 */
    0x0000, 0x0627, 0x0627, 0x0627, 0x0674, 0x0675, 0x0676, 0x0677, /* U+0670 */
    0x0678, 0x0679, 0x067a, 0x067b, 0x067c, 0x067d, 0x067e, 0x067f, /* U+0678 */
    0x0680, 0x0681, 0x0682, 0x0683, 0x0684, 0x0685, 0x0686, 0x0687, /* U+0680 */
    0x0688, 0x0689, 0x068a, 0x068b, 0x068c, 0x068d, 0x068e, 0x068f, /* U+0688 */
    0x0690, 0x0691, 0x0692, 0x0693, 0x0694, 0x0695, 0x0696, 0x0697, /* U+0690 */
    0x0698, 0x0699, 0x069a, 0x069b, 0x069c, 0x069d, 0x069e, 0x069f, /* U+0698 */
    0x06a0, 0x06a1, 0x06a2, 0x06a3, 0x06a4, 0x06a5, 0x06a6, 0x06a7, /* U+06A0 */
    0x06a8, 0x0643, 0x06aa, 0x06ab, 0x06ac, 0x06ad, 0x06ae, 0x06af, /* U+06A8 */
    0x06b0, 0x06b1, 0x06b2, 0x06b3, 0x06b4, 0x06b5, 0x06b6, 0x06b7, /* U+06B0 */
    0x06b8, 0x06b9, 0x06ba, 0x06bb, 0x06bc, 0x06bd, 0x0647, 0x06bf, /* U+06B8 */
    0x0647, 0x0647, 0x06c2, 0x06c3, 0x06c4, 0x06c5, 0x06c6, 0x06c7, /* U+06C0 */
    0x06c8, 0x06c9, 0x06ca, 0x06cb, 0x064a, 0x06cd, 0x06ce, 0x06cf, /* U+06C8 */
    0x06d0, 0x06d1, 0x06d2, 0x06d3, 0x06d4, 0x06d5, 0x0000, 0x0000, /* U+06D0 */
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x06dd, 0x06de, 0x0000, /* U+06D8 */
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, /* U+06E0 */
    0x0000, 0x06e9, 0x0000, 0x0000, 0x0000, 0x0000, 0x06ee, 0x06ef, /* U+06E8 */
    0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, /* U+06F0 */
    0x0038, 0x0039, 0x06fa, 0x06fb, 0x06fc, 0x06fd, 0x06fe, 0x06ff, /* U+06F8 */
};

const uint8_t khi_ar_class[256] = {
    SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP, SEP, /* U+0600 */
    JON, JON, JON, JON, JON, JON, JON, JON, JON, JON, JON, SEP, JON, SEP, SEP, SEP, /* U+0610 */
    LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, /* U+0620 */
    LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, /* U+0630 */
    JON, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, JON, JON, JON, JON, JON, /* U+0640 */
    JON, JON, JON, JON, JON, JON, JON, JON, JON, JON, JON, JON, JON, JON, JON, JON, /* U+0650 */
    DIG, DIG, DIG, DIG, DIG, DIG, DIG, DIG, DIG, DIG, SEP, SEP, SEP, SEP, LET, LET, /* U+0660 */
    JON, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, /* U+0670 */
    LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, /* U+0680 */
    LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, /* U+0690 */
    LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, /* U+06A0 */
    LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, /* U+06B0 */
    LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, LET, /* U+06C0 */
    LET, LET, LET, LET, SEP, LET, JON, JON, JON, JON, JON, JON, JON, SEP, SEP, JON, /* U+06D0 */
    JON, JON, JON, JON, JON, JON, JON, JON, JON, SEP, JON, JON, JON, JON, LET, LET, /* U+06E0 */
    DIG, DIG, DIG, DIG, DIG, DIG, DIG, DIG, DIG, DIG, LET, LET, LET, SEP, SEP, LET, /* U+06F0 */
};

/* Latin combining accents (dropped from keys). */
static int is_latin_mark(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* Bidi controls, zero-width characters, BOM, soft hyphen (dropped). */
static int is_invisible(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFEFF || cp == 0x00AD || cp == 0x061C;
}

static int is_arabic_script(uint32_t cp)
{
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
           (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFE);
}

static int is_latin_script(uint32_t cp)
{
    return cp < 0x0250 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2C60 && cp <= 0x2C7F) ||
           (cp >= 0xA720 && cp <= 0xA7FF) || (cp >= 0xFF21 && cp <= 0xFF5A) ||
           (cp >= 0xFB00 && cp <= 0xFB06);
}

int khi_char_class(uint32_t cp, int *script)
{
    if (cp < 0x80) {
        unsigned l = (cp | 0x20) - 'a';
        *script = l < 26 ? KHI_SCRIPT_LATIN : KHI_SCRIPT_NONE;
        if (l < 26)
            return LET;
        return cp - '0' < 10 ? DIG : SEP;
    }
    if (cp >= 0x0600 && cp <= 0x06FF) {
        *script = KHI_SCRIPT_ARABIC;
        return khi_ar_class[cp - 0x600];
    }
    *script = KHI_SCRIPT_NONE;
    if (cp == 0x200B) /* zero-width space: a break between words */
        return SEP;
    if (is_invisible(cp))
        return JON;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        *script = is_arabic_script(cp) ? KHI_SCRIPT_ARABIC
                  : is_latin_script(cp) ? KHI_SCRIPT_LATIN : KHI_SCRIPT_OTHER;
        return LET;
    case UTF8PROC_CATEGORY_ND:
        return DIG;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_CF:
        return JON;
    default:
        return SEP;
    }
}

/* Writes the key of one code point that came out of a decomposition.
 * Room for 4 bytes is guaranteed by the caller. */
static uint8_t *emit_folded(uint8_t *o, uint8_t *obase, uint32_t cp)
{
    if (cp < 0x80) {
        *o++ = (uint8_t)(cp + (((cp - 'A') < 26u) << 5));
        return o;
    }
    if (cp >= 0x0600 && cp <= 0x06FF) {
        uint32_t to = ar_fold[cp - 0x600];
        if (to == 1) { /* hamza above: و+ٔ -> ؤ, ي+ٔ -> ئ, otherwise dropped */
            if (o - obase >= 2 && o[-2] == 0xD9 && (o[-1] == 0x88 || o[-1] == 0x8A)) {
                o[-2] = 0xD8;
                o[-1] = o[-1] == 0x88 ? 0xA4 : 0xA6;
            }
            return o;
        }
        if (to == 0)
            return o;
        cp = to;
        if (cp < 0x80) {
            *o++ = (uint8_t)cp;
            return o;
        }
    }
    if (is_latin_mark(cp) || is_invisible(cp))
        return o;
    return o + khi_utf8_encode(cp, (char *)o);
}

#define DECOMP_MAX 32

kh_status khi_norm_run(const char *text, size_t text_len, char *out, size_t *out_len,
                       size_t out_cap, size_t *consumed)
{
    const uint8_t *s = (const uint8_t *)text;
    uint8_t *obase = (uint8_t *)out;
    uint8_t *o = obase + *out_len;
    uint8_t *oend = obase + out_cap;
    size_t i = 0, n = text_len;
    kh_status rc = KH_OK;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            /* An ASCII run, lowercased without branches. */
            size_t lim = KHI_MIN(n - i, (size_t)(oend - o));
            if (lim == 0) {
                rc = KH_E_TOOBIG;
                break;
            }
            size_t j = 0;
            while (j < lim) {
                uint8_t b = s[i + j];
                if (b >= 0x80)
                    break;
                o[j] = (uint8_t)(b + ((unsigned)((unsigned)(b - 'A') < 26u) << 5));
                j++;
            }
            i += j;
            o += j;
            continue;
        }
        if (c >= 0xD8 && c <= 0xDB && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
            /* The Arabic block: one table load. */
            if (oend - o < 2) {
                rc = KH_E_TOOBIG;
                break;
            }
            uint32_t to = ar_fold[((uint32_t)(c & 0x03) << 6) | (s[i + 1] & 0x3F)];
            i += 2;
            if (to >= 0x80) {
                o[0] = (uint8_t)(0xC0 | (to >> 6));
                o[1] = (uint8_t)(0x80 | (to & 0x3F));
                o += 2;
            } else if (to > 1) {
                *o++ = (uint8_t)to;
            } else if (to == 1) {
                o = emit_folded(o, obase, 0x0654);
            }
            continue;
        }
        uint32_t cp;
        size_t len = khi_utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            rc = KH_E_UTF8;
            break;
        }
        if (is_invisible(cp) || is_latin_mark(cp)) {
            i += len;
            continue;
        }
        utf8proc_int32_t d[DECOMP_MAX];
        int boundclass = 0;
        utf8proc_ssize_t nd = utf8proc_decompose_char(
            (utf8proc_int32_t)cp, d, DECOMP_MAX,
            UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD, &boundclass);
        if (nd < 0 || nd > DECOMP_MAX) {
            d[0] = (utf8proc_int32_t)cp;
            nd = 1;
        }
        if ((size_t)(oend - o) < (size_t)nd * 4) {
            rc = KH_E_TOOBIG;
            break;
        }
        for (utf8proc_ssize_t k = 0; k < nd; k++)
            o = emit_folded(o, obase, (uint32_t)d[k]);
        i += len;
    }
    *consumed = i;
    *out_len = (size_t)(o - obase);
    return rc;
}

/* Room kept free past the rest of the input: one decomposition's worth. */
#define NORM_SLACK (DECOMP_MAX * 4 + 8)

kh_status kh_text_normalize(kh_buf *out, const char *text, size_t text_len)
{
    if (!text_len)
        text = ""; /* may be NULL: the loop below still adds 0 to it */
    size_t start = out->len, done = 0;
    kh_status rc;
    for (;;) {
        /* Room for the rest plus one decomposition; under a tight cap, at
         * least for the rest (the fast paths never grow). */
        size_t rest = text_len - done;
        int tight = 0;
        rc = kh_buf_reserve(out, rest + NORM_SLACK);
        if (rc == KH_E_TOOBIG) {
            tight = 1;
            rc = kh_buf_reserve(out, rest);
        }
        if (rc != KH_OK)
            break;
        size_t olen = out->len - start, used = 0;
        rc = khi_norm_run(text + done, rest, out->data + start, &olen,
                          out->cap - 1 - start, &used);
        out->len = start + olen;
        done += used;
        if (rc != KH_E_TOOBIG || (tight && used == 0))
            break;
    }
    if (rc != KH_OK) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
        KHI_TRACE(rc);
        return rc;
    }
    if (out->data)
        out->data[out->len] = '\0';
    return KH_OK;
}

kh_status kh_text_normalize_to(char *out, size_t out_cap, const char *text, size_t text_len,
                               size_t *out_len)
{
    size_t olen = 0, used = 0;
    kh_status rc = khi_norm_run(text, text_len, out, &olen, out_cap, &used);
    *out_len = rc == KH_OK ? olen : 0;
    return rc;
}

/*
 * NFKC for display: utf8proc decomposes into a code-point array (allocated
 * through the ctx), composes it and re-encodes it in place. Input is taken
 * a chunk at a time, cut after a newline (a starter, so composition never
 * spans a cut), to bound the array for large documents; ASCII chunks are
 * copied as they are.
 */
#define NFKC_CHUNK ((size_t)1 << 16)

static int all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

kh_status kh_text_nfkc(kh_buf *out, const char *text, size_t text_len)
{
    const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
    size_t start = out->len, done = 0;
    utf8proc_int32_t *cps = NULL;
    size_t cps_cap = 0; /* in code points */
    kh_status rc = KH_OK;
    while (done < text_len && rc == KH_OK) {
        size_t n = KHI_MIN(NFKC_CHUNK, text_len - done);
        if (done + n < text_len) {
            const char *nl = memchr(text + done + n, '\n', text_len - done - n);
            n = nl ? (size_t)(nl - (text + done)) + 1 : text_len - done;
        }
        const char *chunk = text + done;
        done += n;
        if (all_ascii(chunk, n)) {
            rc = kh_buf_append(out, chunk, n);
            continue;
        }
        utf8proc_ssize_t need = utf8proc_decompose((const utf8proc_uint8_t *)chunk,
                                                   (utf8proc_ssize_t)n, cps,
                                                   (utf8proc_ssize_t)cps_cap, opts);
        if (need < 0) {
            rc = KH_E_UTF8;
            break;
        }
        if ((size_t)need + 1 > cps_cap) {
            size_t cap = (size_t)need + 1;
            utf8proc_int32_t *p = kh_realloc(out->ctx, cps, cps_cap * sizeof *cps, cap * sizeof *cps);
            if (!p) {
                rc = KH_E_NOMEM;
                break;
            }
            cps = p;
            cps_cap = cap;
            need = utf8proc_decompose((const utf8proc_uint8_t *)chunk, (utf8proc_ssize_t)n, cps,
                                      (utf8proc_ssize_t)cps_cap, opts);
        }
        utf8proc_ssize_t bytes = utf8proc_reencode(cps, need, opts);
        if (bytes < 0) {
            rc = KH_E_UTF8;
            break;
        }
        rc = kh_buf_append(out, cps, (size_t)bytes);
    }
    if (cps)
        kh_free(out->ctx, cps, cps_cap * sizeof *cps);
    if (rc != KH_OK) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
        KHI_TRACE(rc);
    }
    return rc;
}
