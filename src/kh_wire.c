/*
 * kh_wire.c — which wire agency a source, a credit line or a body's
 * dateline names.
 *
 * Provenance (kh_dedup.c) needs two facts per document: is its outlet a wire
 * agency (its source is "spa", "واس", "Reuters"...), and does its text credit
 * one ("الرياض - واس:", "WASHINGTON (Reuters) -", "(أ ف ب)"). Both are
 * answered against one table of agencies, each with the names outlets write
 * it by. Names are compared as dedup keys (khi_dedup_key: hamza, ta marbuta,
 * case and punctuation folded), so "الأناضول" matches "الاناضول" and
 * "(أ.ف.ب)" matches "أ ف ب".
 *
 * Where a name counts:
 *   source  the whole source, or its first words ("spa gov sa" for
 *           "spa.gov.sa"): an outlet is an agency only by its own name;
 *   credit  anywhere in it, as whole words: the caller (the cleaner's
 *           dateline or agency) already says it is a credit;
 *   body    only in its dateline: the opening before the first ':' or line
 *           end, within DATELINE_BYTES, as a whole segment between
 *           separators (- ـ – — ( ) / | ، :), or at the start of the segment
 *           after a dash ("مكة المكرمة - واس أعلنت ..."). Short names such as
 *           "واس" or "بنا" are ordinary words elsewhere; a dateline is where
 *           an agency is credited.
 *
 * The table is const data; its folded form lives in each deduper (no
 * globals).
 */
#include "kh_dedup.h"

#include <string.h>

#define DATELINE_BYTES 100

/* Each agency: the name output uses, then '|'-separated names it goes by. */
static const struct {
    const char *name;
    const char *aliases;
} agencies[] = {
    { "واس", "واس|وكالة الأنباء السعودية|SPA|Saudi Press Agency" },
    { "رويترز", "رويترز|Reuters" },
    { "أ ف ب", "أ ف ب|فرانس برس|فرانس بريس|وكالة الصحافة الفرنسية|AFP|Agence France-Presse" },
    { "أ ب", "أسوشيتد برس|أسوشييتد برس|AP|Associated Press" },
    { "الأناضول", "الأناضول|Anadolu" },
    { "وام", "وام|WAM" },
    { "كونا", "كونا|KUNA" },
    { "بنا", "بنا|BNA" },
    { "قنا", "قنا|QNA" },
    { "العمانية", "العمانية|ONA" },
    { "أ ش أ", "أ ش أ|MENA" },
    { "بترا", "بترا|Petra" },
    { "سانا", "سانا|SANA" },
    { "واج", "واج|APS" },
    { "د ب أ", "د ب أ|dpa" },
    { "شينخوا", "شينخوا|Xinhua" },
};
#define N_AGENCIES (sizeof agencies / sizeof agencies[0])

const char *khi_wire_name(unsigned agency)
{
    return agency >= 1 && agency <= N_AGENCIES ? agencies[agency - 1].name : NULL;
}

kh_status khi_wire_init(khi_wire *w, kh_ctx *ctx)
{
    memset(w, 0, sizeof *w);
    kh_buf_init(&w->names, ctx, 0);
    kh_buf_init(&w->scratch, ctx, 0);
    for (unsigned a = 0; a < N_AGENCIES; a++) {
        const char *s = agencies[a].aliases;
        while (*s) {
            const char *e = strchr(s, '|');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (w->n == KHI_WIRE_MAX_ALIASES)
                return KH_E_LIMIT;
            w->off[w->n] = w->names.len;
            kh_status rc = khi_dedup_key(&w->names, s, len);
            if (rc == KH_OK)
                rc = kh_buf_append(&w->names, "", 1);
            if (rc != KH_OK)
                return rc;
            w->agency[w->n++] = (uint8_t)(a + 1);
            s += len + (e != NULL);
        }
    }
    return KH_OK;
}

void khi_wire_free(khi_wire *w)
{
    kh_buf_free(&w->names);
    kh_buf_free(&w->scratch);
}

/* The agency whose folded name occurs in key[0..len) at a word boundary:
 * anywhere (where == 0), only as the whole key (1), or as its start (2). */
static unsigned match(const khi_wire *w, const char *key, size_t len, int where)
{
    for (unsigned i = 0; i < w->n; i++) {
        const char *a = w->names.data + w->off[i];
        size_t al = strlen(a);
        if (al == 0 || al > len)
            continue;
        for (size_t p = 0; p + al <= len; p++) {
            if ((p > 0 && key[p - 1] != ' ') || memcmp(key + p, a, al) != 0)
                continue;
            if (p + al < len && key[p + al] != ' ')
                continue;
            if ((where == 1 && (p != 0 || al != len)) || (where == 2 && p != 0))
                break;
            return w->agency[i];
        }
    }
    return 0;
}

/* Folds text into the scratch key; 0 on failure (no agency is then named). */
static int fold(khi_wire *w, const char *text, size_t len)
{
    kh_buf_clear(&w->scratch);
    return khi_dedup_key(&w->scratch, text, len) == KH_OK && w->scratch.len > 0;
}

unsigned khi_wire_source(khi_wire *w, const char *source)
{
    if (!source || !fold(w, source, strlen(source)))
        return 0;
    return match(w, w->scratch.data, w->scratch.len, 2);
}

unsigned khi_wire_credit(khi_wire *w, const char *credit)
{
    if (!credit || !fold(w, credit, strlen(credit)))
        return 0;
    return match(w, w->scratch.data, w->scratch.len, 0);
}

/* Length of the separator at s (UTF-8), 0 when none; *dash says whether it
 * is a dash. */
static size_t separator(const unsigned char *s, size_t left, int *dash)
{
    *dash = 0;
    switch (s[0]) {
    case '-': *dash = 1; return 1;
    case ':': case '(': case ')': case '/': case '|': return 1;
    default: break;
    }
    if (left >= 2 && s[0] == 0xD9 && s[1] == 0x80) { /* ـ U+0640 */
        *dash = 1;
        return 2;
    }
    if (left >= 2 && s[0] == 0xD8 && s[1] == 0x8C) /* ، */
        return 2;
    if (left >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x93 || s[2] == 0x94)) {
        *dash = 1; /* – — */
        return 3;
    }
    return 0;
}

unsigned khi_wire_dateline(khi_wire *w, const char *text, size_t len)
{
    if (!text)
        return 0;
    /* Skip the blank lines and spaces a body may open with. */
    while (len && (*text == ' ' || *text == '\n' || *text == '\r' || *text == '\t'))
        text++, len--;
    if (len > DATELINE_BYTES)
        len = DATELINE_BYTES;
    const unsigned char *s = (const unsigned char *)text;
    size_t seg = 0;
    int after_dash = 0;
    for (size_t i = 0; i <= len; i++) {
        int dash = 0;
        size_t sl = i < len ? separator(s + i, len - i, &dash) : 0;
        int end = i == len || s[i] == '\n' || s[i] == '\r';
        if (!sl && !end)
            continue;
        int colon = !end && s[i] == ':';
        /* The last segment of a dateline cut at DATELINE_BYTES may be a
         * sentence: only its start counts, after a dash. */
        if (i > seg && fold(w, text + seg, i - seg)) {
            unsigned a = match(w, w->scratch.data, w->scratch.len, 1);
            if (!a && after_dash)
                a = match(w, w->scratch.data, w->scratch.len, 2);
            if (a)
                return a;
        }
        if (end || colon)
            return 0;
        after_dash = dash;
        seg = i + sl;
        i += sl - 1;
    }
    return 0;
}
