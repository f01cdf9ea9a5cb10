/*
 * kh_sentence.c — sentence boundaries in Arabic, English and French text.
 *
 * Idea: a sentence ends at a run of terminators (. ! ? ؟ … ۔) followed by
 * closing quotes or brackets and then a space or the end, or at a line
 * break. The comma ، and semicolon ؛ never end one. A period is not an end
 * when it is
 *   - between two digits (3.5) or inside a word (example.com, U.S., ق.م);
 *   - after a known abbreviation (Mr. Dr. Prof. Jan. ...), a single letter
 *     (initials "F.", Arabic "د." "م." "أ.") or the last letter of an
 *     initialism (U.S., أ.د.);
 *   - after a list number at the start of a sentence ("1. ");
 *   - followed by a lowercase Latin letter (e.g. "approx. ten", "... and").
 * One exception: "م." and "هـ." right after digits (a year, 2015م., or a
 * measure) end a sentence, as they do at the end of most news sentences.
 * This is the rule-based approach of most production splitters (cf. Punkt's
 * abbreviation and ortho heuristics, without the learned statistics).
 *
 * Invariant: the scanner only looks at bytes (every terminator, closer and
 * space it knows starts with a lead byte), so it never reads past text_len
 * and any byte sequence, valid UTF-8 or not, is split safely.
 */
#include "kh_text_internal.h"

#include <string.h>

enum { T_NONE = 0, T_DOT, T_STRONG, T_ELLIPSIS };

/* Terminator at s[i]: its kind and *len. */
static int terminator(const unsigned char *s, size_t i, size_t n, size_t *len)
{
    unsigned c = s[i];
    *len = 1;
    if (c == '.')
        return T_DOT;
    if (c == '!' || c == '?')
        return T_STRONG;
    if (i + 1 < n && ((c == 0xD8 && s[i + 1] == 0x9F) || (c == 0xDB && s[i + 1] == 0x94))) {
        *len = 2; /* ؟ ۔ */
        return T_STRONG;
    }
    if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0xA6) {
        *len = 3; /* … */
        return T_ELLIPSIS;
    }
    return T_NONE;
}

/* Closing quote or bracket at s[i]: its length, or 0. */
static size_t closer(const unsigned char *s, size_t i, size_t n)
{
    unsigned c = s[i];
    if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '}')
        return 1;
    if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xBB) /* » */
        return 2;
    if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 &&
        (s[i + 2] == 0x9D || s[i + 2] == 0x99 || s[i + 2] == 0xBA)) /* ” ’ › */
        return 3;
    return 0;
}

/* Horizontal space at s[i]: its length, or 0. */
static size_t space(const unsigned char *s, size_t i, size_t n)
{
    unsigned c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0)
        return 2;
    if (c == 0xE2 && i + 2 < n && s[i + 1] == 0x80 &&
        ((s[i + 2] >= 0x80 && s[i + 2] <= 0x8A) || s[i + 2] == 0xAF || s[i + 2] == 0x8E ||
         s[i + 2] == 0x8F))
        return 3;
    if (c == 0xE3 && i + 2 < n && s[i + 1] == 0x80 && s[i + 2] == 0x80)
        return 3;
    return 0;
}

/* Line or paragraph break at s[i]: its length, or 0. */
static size_t linebreak(const unsigned char *s, size_t i, size_t n)
{
    if (s[i] == '\n')
        return 1;
    if (s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
        return 3;
    return 0;
}

static int is_ascii_letter(unsigned c) { return (unsigned)((c | 0x20) - 'a') < 26u; }
static int is_digit(unsigned c) { return c - '0' < 10u; }

/* An Arabic letter (or tatweel) ends at s[i-1]? */
static int arabic_letter_before(const unsigned char *s, size_t i, size_t lo)
{
    if (i < lo + 2 || s[i - 2] < 0xD8 || s[i - 2] > 0xDB || (s[i - 1] & 0xC0) != 0x80)
        return 0;
    uint32_t cp = ((uint32_t)(s[i - 2] & 0x1F) << 6) | (s[i - 1] & 0x3F);
    int script;
    int cls = khi_char_class(cp, &script);
    return cls == KHI_CC_LETTER || cp == 0x0640;
}

static const char *const latin_abbrevs[] = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "inc", "ltd", "co", "corp",
    "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "no", "nos", "fig", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt",
    "ft", "approx", "dept", "univ", "mme", "mlle", "mgr", "av", "bd", "cf", "al", "ed",
    "vol", "pp", "ca",
};

/* Is the period at s[dot] an abbreviation's (text starts at lo)? */
static int abbreviation(const unsigned char *s, size_t lo, size_t dot)
{
    size_t ws = dot;
    int arabic = 0;
    size_t letters = 0;
    for (;;) {
        if (ws > lo && is_ascii_letter(s[ws - 1])) {
            ws--;
            letters++;
        } else if (arabic_letter_before(s, ws, lo)) {
            if (!(s[ws - 2] == 0xD9 && s[ws - 1] == 0x80)) /* tatweel is no letter */
                letters++;
            ws -= 2;
            arabic = 1;
        } else {
            break;
        }
    }
    if (letters == 0) {
        /* "1." opening a sentence is a list number. */
        size_t ds = dot;
        while (ds > lo && is_digit(s[ds - 1]))
            ds--;
        if (ds == dot)
            return 0;
        while (ds > lo && space(s, ds - 1, dot))
            ds--;
        return ds == lo;
    }
    if (ws > lo && s[ws - 1] == '.' && letters <= 2)
        return 1; /* the end of an initialism: U.S. ق.م. أ.د. */
    if (letters == 1) {
        if (arabic) {
            /* 2015م. and 1436هـ. close a sentence. */
            size_t p = ws;
            while (p > lo && s[p - 1] == ' ')
                p--;
            unsigned l1 = s[ws + 1];
            int year_letter = s[ws] == 0xD9 && (l1 == 0x85 || l1 == 0x87); /* م ه */
            if (year_letter && p > lo && is_digit(s[p - 1]))
                return 0;
        }
        return 1;
    }
    if (arabic || letters > 6)
        return 0;
    char low[8];
    for (size_t k = 0; k < letters; k++)
        low[k] = (char)(s[ws + k] | 0x20);
    for (size_t a = 0; a < sizeof latin_abbrevs / sizeof latin_abbrevs[0]; a++)
        if (strlen(latin_abbrevs[a]) == letters && memcmp(latin_abbrevs[a], low, letters) == 0)
            return 1;
    return 0;
}

/* Reports [start, end) trimmed of spaces and line breaks, when not empty. */
static int emit(const unsigned char *s, size_t start, size_t end, kh_span_fn fn, void *user)
{
    for (;;) {
        size_t l;
        if (start < end && ((l = space(s, start, end)) || (l = linebreak(s, start, end))))
            start += l;
        else
            break;
    }
    while (end > start) {
        unsigned c = s[end - 1];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v')
            end--;
        else if (end - start >= 2 && s[end - 2] == 0xC2 && c == 0xA0)
            end -= 2;
        else if (end - start >= 3 && s[end - 3] == 0xE2 && space(s, end - 3, end) == 3)
            end -= 3;
        else if (end - start >= 3 && s[end - 3] == 0xE2 && linebreak(s, end - 3, end) == 3)
            end -= 3;
        else
            break;
    }
    if (end > start && fn(user, start, end))
        return 1;
    return 0;
}

kh_status kh_text_sentences(const char *text, size_t text_len, kh_span_fn fn, void *user)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = text_len, start = 0, i = 0;
    while (i < n) {
        size_t len = linebreak(s, i, n);
        if (len) {
            if (emit(s, start, i, fn, user))
                return KH_E_STOPPED;
            i += len;
            start = i;
            continue;
        }
        int kind = terminator(s, i, n, &len);
        if (kind == T_NONE) {
            i++;
            continue;
        }
        if (kind == T_DOT) {
            if (i + 1 < n && s[i + 1] == '.')
                kind = T_ELLIPSIS;
            else if ((i > 0 && is_digit(s[i - 1]) && i + 1 < n && is_digit(s[i + 1])) ||
                     abbreviation(s, start, i)) {
                i++;
                continue;
            }
        }
        size_t j = i, tl;
        while (j < n && terminator(s, j, n, &tl) != T_NONE)
            j += tl;
        while (j < n && (tl = closer(s, j, n)) != 0)
            j += tl;
        /* A period glued to the next Arabic word is a missing space
         * ("انتهى.وقال"); any other glued terminator is inside a token. */
        int glued_arabic = j < n && s[j] >= 0xD8 && s[j] <= 0xDB && arabic_letter_before(s, i, start);
        if (j < n && !space(s, j, n) && !linebreak(s, j, n) && !glued_arabic) {
            i = j; /* inside a token: example.com, "Yahoo!News" */
            continue;
        }
        if (kind != T_STRONG) {
            size_t k = j;
            while (k < n && (tl = space(s, k, n)) != 0)
                k += tl;
            if (k < n && (unsigned)(s[k] - 'a') < 26u) {
                i = j;
                continue;
            }
        }
        if (emit(s, start, j, fn, user))
            return KH_E_STOPPED;
        start = i = j;
    }
    if (emit(s, start, n, fn, user))
        return KH_E_STOPPED;
    return KH_OK;
}
