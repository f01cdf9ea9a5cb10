/*
 * kh_date.c — finds a date in free text (Arabic, English, French; month
 * names of German, Spanish, Italian, Portuguese and Dutch too) and writes
 * it as ISO 8601.
 *
 * Idea. The text is cut into a small array of tokens: numbers (ASCII,
 * Arabic-Indic or Persian digits), words (folded: Arabic alef forms -> ا,
 * ى -> ي, ة -> ه, tashkeel and tatweel dropped; Latin lower-cased and
 * stripped of French accents) and single punctuation marks. Patterns are
 * tried at every token, first match wins:
 *
 *   Y sep M sep D [T] [hh:mm[:ss]]       2016-10-25, 2016/10/25, ISO 8601
 *   D sep M sep Y [hh:mm[:ss]]           25/10/2016, 25.10.2016, 25-10-2016
 *   DD.MM.YY [hh:mm[:ss]]                25.10.16 (20YY: a page's own date)
 *   D [of|de|من] MONTH [/ MONTH] [,] Y   25 أكتوبر 2016, 25 تشرين الأول/أكتوبر 2016
 *   D. MONTH Y, D de MONTH de Y          19. Februar 2020, 19 de febrero de 2020
 *   MONTH [/ MONTH] D [,] Y               October 25, 2016
 *   relative (needs a reference date)   منذ ساعتين, أمس, 2 hours ago, il y a 3 jours
 *
 * Month names come from every naming system of Arabic media: Egyptian/Gulf
 * (يناير ...), Levantine/Iraqi (كانون الثاني ...), Maghrebi (جانفي ...),
 * Moroccan (ينير ... دجنبر), Hijri (محرم ... ذو الحجة), plus English and
 * French names and abbreviations.
 *
 * Hijri dates are converted with the arithmetic (tabular) Islamic calendar,
 * civil epoch (1 Muharram 1 AH = Friday 16 July 622 Julian), 30-year cycle
 * with leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29. Umm al-Qura, the
 * Saudi calendar, is based on moon sightings computed in advance and may
 * differ from it by a day or two; no table of it is shipped.
 *
 * Invariant: an output is always a valid Gregorian date between 1900 and
 * 2199, written "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" (a time of exactly
 * midnight is dropped: pages print it when they know no time).
 */
#include "kh_internal.h"
#include "kh_clean_int.h"

#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

enum { T_NUM, T_WORD, T_PUNCT };

#define WORD_MAX 40
#define TOK_MAX 160
#define TOK_LOOKAHEAD 14

typedef struct dtok {
    unsigned char type;
    unsigned char ndig;       /* digits in a number */
    unsigned char wlen;       /* bytes in w (0 when too long) */
    uint32_t value;           /* number value, or punctuation code point */
    size_t start, end;        /* bytes in the text */
    char w[WORD_MAX];         /* folded word */
} dtok;

/* ---- calendar arithmetic ------------------------------------------------ */

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int khi_days_in_month(int y, int m)
{
    static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    return dm[m - 1] + (m == 2 && is_leap(y));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method). */
long khi_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void khi_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* Tabular Islamic date -> days since 1970-01-01. The civil epoch is
 * 1948440 as a Julian Day Number; 2440588 is 1970-01-01. */
static long hijri_to_days(int y, int m, int d)
{
    long jdn = d + (59L * (m - 1) + 1) / 2 /* ceil(29.5 (m-1)) */ + (y - 1) * 354L +
               (3 + 11L * y) / 30 + 1948440 - 1;
    return jdn - 2440588;
}

/* ---- tokens ---------------------------------------------------------------- */

int khi_digit_value(uint32_t c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 0x0660 && c <= 0x0669) return (int)(c - 0x0660);
    if (c >= 0x06F0 && c <= 0x06F9) return (int)(c - 0x06F0);
    return -1;
}

uint32_t khi_fold_letter(uint32_t c)
{
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0x064B && c <= 0x0652) return 0; /* tashkeel */
    if (c == 0x0670 || c == 0x0640) return 0; /* superscript alef, tatweel */
    switch (c) {
    case 0x0623: case 0x0625: case 0x0622: case 0x0671: return 0x0627;
    case 0x0649: return 0x064A;
    case 0x0629: return 0x0647;
    case 0x06CC: return 0x064A;
    case 0x06A9: return 0x0643;
    /* Latin-1's accented vowels, Spanish and Portuguese ones included
     * ("también", "não"), and ñ */
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: case 0xE4:
    case 0xC0: case 0xC1: case 0xC2: case 0xC3: case 0xC4: return 'a';
    case 0xE7: case 0xC7: return 'c';
    case 0xE8: case 0xE9: case 0xEA: case 0xEB:
    case 0xC8: case 0xC9: case 0xCA: case 0xCB: return 'e';
    case 0xEC: case 0xED: case 0xEE: case 0xEF: case 0xCC: case 0xCD: case 0xCE: case 0xCF: return 'i';
    case 0xF2: case 0xF3: case 0xF4: case 0xF5: case 0xF6:
    case 0xD2: case 0xD3: case 0xD4: case 0xD5: case 0xD6: return 'o';
    case 0xF9: case 0xFA: case 0xFB: case 0xFC: case 0xD9: case 0xDA: case 0xDB: case 0xDC: return 'u';
    case 0xF1: case 0xD1: return 'n';
    }
    return c;
}

int khi_is_letter(uint32_t c)
{
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return 1;
    if (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) return 1;
    if (c >= 0x0621 && c <= 0x0652 && c != 0x0640) return 1;
    if (c == 0x0640 || c == 0x0670) return 1; /* inside words only */
    if (c >= 0x0671 && c <= 0x06D3) return 1;
    if (c < 0x370 || (c >= 0x0600 && c <= 0x06FF) || (c >= 0x2000 && c <= 0x2BFF) ||
        (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF20))
        return 0;
    /* other scripts: letters and marks by their Unicode category */
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
}

/* Reads tokens from text[pos..) into toks; returns how many. */
static size_t tokenize(const char *text, size_t text_len, size_t pos, dtok *toks, size_t max)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0;
    while (pos < text_len && n < max) {
        uint32_t c;
        size_t k = khi_utf8_decode(s + pos, text_len - pos, &c);
        if (!k) { pos++; continue; }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x200F ||
            c == 0x200E || c == 0x200B || c == 0x202B || c == 0x202C || c == 0x061C) {
            pos += k;
            continue;
        }
        dtok *t = &toks[n];
        t->start = pos;
        if (khi_digit_value(c) >= 0) {
            uint32_t v = 0;
            unsigned nd = 0;
            while (pos < text_len) {
                k = khi_utf8_decode(s + pos, text_len - pos, &c);
                int dv = k ? khi_digit_value(c) : -1;
                if (dv < 0) break;
                if (v < 100000000u) v = v * 10 + (uint32_t)dv;
                nd++;
                pos += k;
            }
            t->type = T_NUM;
            t->value = v;
            t->ndig = (unsigned char)(nd > 255 ? 255 : nd);
            t->wlen = 0;
        } else if (khi_is_letter(c) && c != 0x0640) {
            size_t wl = 0;
            int too_long = 0;
            while (pos < text_len) {
                k = khi_utf8_decode(s + pos, text_len - pos, &c);
                if (!k || !khi_is_letter(c)) break;
                uint32_t f = khi_fold_letter(c);
                pos += k;
                if (!f) continue;
                char enc[4];
                size_t el = khi_utf8_encode(f, enc);
                if (wl + el > WORD_MAX) too_long = 1;
                else { memcpy(t->w + wl, enc, el); wl += el; }
            }
            t->type = T_WORD;
            t->wlen = (unsigned char)(too_long ? 0 : wl);
            t->value = 0;
        } else {
            pos += k;
            t->type = T_PUNCT;
            t->value = c;
            t->wlen = 0;
        }
        t->end = pos;
        n++;
    }
    return n;
}

static int word_is(const dtok *t, const char *w)
{
    if (t->type != T_WORD || !t->wlen || t->w[0] != w[0])
        return 0;
    size_t l = strlen(w);
    return t->wlen == l && memcmp(t->w, w, l) == 0;
}

/* ---- month names ------------------------------------------------------- */

typedef struct month_name {
    const char *w1, *w2; /* one or two folded words */
    unsigned char month;
    unsigned char hijri;
} month_name;

static const month_name months[] = {
    /* Egyptian / Gulf */
    { "يناير", 0, 1, 0 }, { "فبراير", 0, 2, 0 }, { "مارس", 0, 3, 0 },
    { "ابريل", 0, 4, 0 }, { "مايو", 0, 5, 0 }, { "يونيو", 0, 6, 0 },
    { "يونيه", 0, 6, 0 }, { "يوليو", 0, 7, 0 }, { "يوليه", 0, 7, 0 },
    { "اغسطس", 0, 8, 0 }, { "سبتمبر", 0, 9, 0 }, { "اكتوبر", 0, 10, 0 },
    { "نوفمبر", 0, 11, 0 }, { "ديسمبر", 0, 12, 0 },
    /* Levantine / Iraqi */
    { "كانون", "الثاني", 1, 0 }, { "شباط", 0, 2, 0 }, { "اذار", 0, 3, 0 },
    { "نيسان", 0, 4, 0 }, { "ايار", 0, 5, 0 }, { "حزيران", 0, 6, 0 },
    { "تموز", 0, 7, 0 }, { "اب", 0, 8, 0 }, { "ايلول", 0, 9, 0 },
    { "تشرين", "الاول", 10, 0 }, { "تشرين", "الثاني", 11, 0 },
    { "كانون", "الاول", 12, 0 },
    /* Maghrebi (Algeria, Tunisia) */
    { "جانفي", 0, 1, 0 }, { "فيفري", 0, 2, 0 }, { "افريل", 0, 4, 0 },
    { "ماي", 0, 5, 0 }, { "جوان", 0, 6, 0 }, { "جويليه", 0, 7, 0 },
    { "اوت", 0, 8, 0 },
    /* Moroccan */
    { "ينير", 0, 1, 0 }, { "يوليوز", 0, 7, 0 }, { "غشت", 0, 8, 0 },
    { "شتنبر", 0, 9, 0 }, { "نونبر", 0, 11, 0 }, { "دجنبر", 0, 12, 0 },
    /* Hijri */
    { "محرم", 0, 1, 1 }, { "المحرم", 0, 1, 1 }, { "صفر", 0, 2, 1 },
    { "ربيع", "الاول", 3, 1 }, { "ربيع", "الثاني", 4, 1 }, { "ربيع", "الاخر", 4, 1 },
    { "جمادي", "الاولي", 5, 1 }, { "جمادي", "الاول", 5, 1 },
    { "جمادي", "الثانيه", 6, 1 }, { "جمادي", "الاخره", 6, 1 },
    { "جمادي", "الثاني", 6, 1 }, { "جمادي", "الاخر", 6, 1 },
    { "رجب", 0, 7, 1 }, { "شعبان", 0, 8, 1 }, { "رمضان", 0, 9, 1 },
    { "شوال", 0, 10, 1 }, { "ذو", "القعده", 11, 1 }, { "ذي", "القعده", 11, 1 },
    { "ذو", "الحجه", 12, 1 }, { "ذي", "الحجه", 12, 1 },
    /* English */
    { "january", 0, 1, 0 }, { "february", 0, 2, 0 }, { "march", 0, 3, 0 },
    { "april", 0, 4, 0 }, { "may", 0, 5, 0 }, { "june", 0, 6, 0 },
    { "july", 0, 7, 0 }, { "august", 0, 8, 0 }, { "september", 0, 9, 0 },
    { "october", 0, 10, 0 }, { "november", 0, 11, 0 }, { "december", 0, 12, 0 },
    { "jan", 0, 1, 0 }, { "feb", 0, 2, 0 }, { "mar", 0, 3, 0 }, { "apr", 0, 4, 0 },
    { "jun", 0, 6, 0 }, { "jul", 0, 7, 0 }, { "aug", 0, 8, 0 }, { "sep", 0, 9, 0 },
    { "sept", 0, 9, 0 }, { "oct", 0, 10, 0 }, { "nov", 0, 11, 0 }, { "dec", 0, 12, 0 },
    /* French (accents folded) */
    { "janvier", 0, 1, 0 }, { "fevrier", 0, 2, 0 }, { "mars", 0, 3, 0 },
    { "avril", 0, 4, 0 }, { "mai", 0, 5, 0 }, { "juin", 0, 6, 0 },
    { "juillet", 0, 7, 0 }, { "aout", 0, 8, 0 }, { "septembre", 0, 9, 0 },
    { "octobre", 0, 10, 0 }, { "novembre", 0, 11, 0 }, { "decembre", 0, 12, 0 },
    { "janv", 0, 1, 0 }, { "fevr", 0, 2, 0 }, { "fev", 0, 2, 0 }, { "avr", 0, 4, 0 },
    { "juil", 0, 7, 0 },
    /* German (ä folded; "Jänner" in Austria) and its short forms */
    { "januar", 0, 1, 0 }, { "janner", 0, 1, 0 }, { "februar", 0, 2, 0 },
    { "marz", 0, 3, 0 }, { "juni", 0, 6, 0 }, { "juli", 0, 7, 0 },
    { "oktober", 0, 10, 0 }, { "dezember", 0, 12, 0 }, { "mrz", 0, 3, 0 },
    { "okt", 0, 10, 0 }, { "dez", 0, 12, 0 },
    /* Spanish */
    { "enero", 0, 1, 0 }, { "febrero", 0, 2, 0 }, { "marzo", 0, 3, 0 },
    { "abril", 0, 4, 0 }, { "mayo", 0, 5, 0 }, { "junio", 0, 6, 0 },
    { "julio", 0, 7, 0 }, { "agosto", 0, 8, 0 }, { "septiembre", 0, 9, 0 },
    { "setiembre", 0, 9, 0 }, { "octubre", 0, 10, 0 }, { "noviembre", 0, 11, 0 },
    { "diciembre", 0, 12, 0 },
    /* Italian */
    { "gennaio", 0, 1, 0 }, { "febbraio", 0, 2, 0 }, { "aprile", 0, 4, 0 },
    { "maggio", 0, 5, 0 }, { "giugno", 0, 6, 0 }, { "luglio", 0, 7, 0 },
    { "settembre", 0, 9, 0 }, { "ottobre", 0, 10, 0 }, { "dicembre", 0, 12, 0 },
    /* Portuguese (ç folded) */
    { "janeiro", 0, 1, 0 }, { "fevereiro", 0, 2, 0 }, { "marco", 0, 3, 0 },
    { "maio", 0, 5, 0 }, { "junho", 0, 6, 0 }, { "julho", 0, 7, 0 },
    { "setembro", 0, 9, 0 }, { "outubro", 0, 10, 0 }, { "novembro", 0, 11, 0 },
    { "dezembro", 0, 12, 0 },
    /* Dutch */
    { "januari", 0, 1, 0 }, { "februari", 0, 2, 0 }, { "maart", 0, 3, 0 },
    { "mei", 0, 5, 0 }, { "augustus", 0, 8, 0 },
};

/* Matches a month name at toks[i]; returns tokens used (0 = none). A name
 * may be followed by '/' and a second name of the other system, and by an
 * abbreviation's period. */
/* The month names by their first word: every word of every line near a
 * page's top is looked up, and an Arabic word's first bytes match most of
 * the Arabic names. Entries of one first word are chained in table order.
 * Built on first use; read-only after. */
#define MONTH_SLOTS 512
#define N_MONTHS (sizeof months / sizeof months[0])
static struct {
    uint16_t head[MONTH_SLOTS]; /* 1 + the first entry of a slot, 0 none */
    uint16_t next[N_MONTHS];    /* 1 + the next entry of the slot, 0 none */
} month_index;
static pthread_once_t month_once = PTHREAD_ONCE_INIT;

static unsigned month_slot(const char *w, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < len; k++)
        h = (h ^ (unsigned char)w[k]) * 16777619u;
    return (h ^ (h >> 13)) % MONTH_SLOTS;
}

static void build_month_index(void)
{
    /* backwards, so that each chain runs in table order */
    for (size_t k = N_MONTHS; k-- > 0;) {
        unsigned sl = month_slot(months[k].w1, strlen(months[k].w1));
        month_index.next[k] = month_index.head[sl];
        month_index.head[sl] = (uint16_t)(k + 1);
    }
}

static size_t match_month(const dtok *toks, size_t i, size_t n, int *month, int *hijri)
{
    if (i >= n || toks[i].type != T_WORD || !toks[i].wlen)
        return 0;
    pthread_once(&month_once, build_month_index);
    size_t used = 0;
    for (unsigned e = month_index.head[month_slot(toks[i].w, toks[i].wlen)]; e;
         e = month_index.next[e - 1]) {
        const month_name *mn = &months[e - 1];
        if (!word_is(&toks[i], mn->w1))
            continue;
        if (mn->w2) {
            if (i + 1 < n && word_is(&toks[i + 1], mn->w2)) { used = 2; }
            else continue;
        } else {
            used = 1;
        }
        *month = mn->month;
        *hijri = mn->hijri;
        break;
    }
    if (!used)
        return 0;
    if (i + used < n && toks[i + used].type == T_PUNCT && toks[i + used].value == '.')
        used++;
    /* "تشرين الأول/أكتوبر": a second name for the same month. */
    if (i + used + 1 < n && toks[i + used].type == T_PUNCT &&
        (toks[i + used].value == '/' || toks[i + used].value == '-')) {
        int m2, h2;
        size_t u2 = match_month(toks, i + used + 1, n, &m2, &h2);
        if (u2 && m2 == *month && h2 == *hijri)
            used += 1 + u2;
    }
    return used;
}

/* ---- patterns ---------------------------------------------------------- */

typedef struct ymd {
    int y, m, d, hh, mm, ss, has_time, hijri;
} ymd;

static int is_sep(const dtok *t)
{
    return t->type == T_PUNCT && (t->value == '-' || t->value == '/' || t->value == '.' ||
                                  t->value == 0x2010 || t->value == 0x2011);
}

/* Optional time after a date: [T|,|-|at|الساعة] hh:mm[:ss]. */
static size_t match_time(const dtok *toks, size_t i, size_t n, ymd *r)
{
    size_t j = i;
    if (j < n && (word_is(&toks[j], "t") || word_is(&toks[j], "at") ||
                  word_is(&toks[j], "a") || word_is(&toks[j], "الساعه") ||
                  (toks[j].type == T_PUNCT && (toks[j].value == ',' || toks[j].value == '-' ||
                                               toks[j].value == 0x060C))))
        j++;
    if (j + 2 < n && toks[j].type == T_NUM && toks[j].ndig <= 2 && ((toks[j + 1].type == T_PUNCT && toks[j + 1].value == ':') ||
         word_is(&toks[j + 1], "h")) && toks[j + 2].type == T_NUM &&
        toks[j + 2].ndig == 2 && toks[j].value < 24 && toks[j + 2].value < 60) {
        r->hh = (int)toks[j].value;
        r->mm = (int)toks[j + 2].value;
        r->ss = 0;
        j += 3;
        if (j + 1 < n && toks[j].type == T_PUNCT && toks[j].value == ':' &&
            toks[j + 1].type == T_NUM && toks[j + 1].ndig == 2 && toks[j + 1].value < 60) {
            r->ss = (int)toks[j + 1].value;
            j += 2;
        }
        r->has_time = 1;
        /* 12-hour clocks: "07:55 PM", "01:35 م", "9:30 صباحا" */
        if (j < n && (word_is(&toks[j], "pm") || word_is(&toks[j], "م") ||
                      word_is(&toks[j], "مساء") || word_is(&toks[j], "مساءا"))) {
            if (r->hh < 12) r->hh += 12;
            j++;
        } else if (j < n && (word_is(&toks[j], "am") || word_is(&toks[j], "ص") ||
                             word_is(&toks[j], "صباحا"))) {
            if (r->hh == 12) r->hh = 0;
            j++;
        }
        return j - i;
    }
    return 0;
}

static int year_ok(uint32_t v, int *hijri)
{
    if (v >= 1900 && v <= 2199) return 1;
    if (v >= 1300 && v <= 1600) { *hijri = 1; return 1; }
    return 0;
}

/* Tries every pattern at toks[i]; returns tokens used, 0 when none. */
static size_t match_at(const dtok *toks, size_t i, size_t n, ymd *r)
{
    memset(r, 0, sizeof *r);
    const dtok *a = &toks[i];
    if (a->type == T_NUM && i + 4 < n && is_sep(&toks[i + 1]) && toks[i + 2].type == T_NUM &&
        toks[i + 3].type == T_PUNCT && toks[i + 3].value == toks[i + 1].value &&
        toks[i + 4].type == T_NUM) {
        const dtok *b = &toks[i + 2], *c = &toks[i + 4];
        if (a->ndig == 4 && b->ndig <= 2 && c->ndig <= 2 && year_ok(a->value, &r->hijri)) {
            r->y = (int)a->value; r->m = (int)b->value; r->d = (int)c->value;
        } else if (c->ndig == 4 && a->ndig <= 2 && b->ndig <= 2 && year_ok(c->value, &r->hijri)) {
            r->y = (int)c->value;
            if (b->value > 12 && a->value <= 12) { r->m = (int)a->value; r->d = (int)b->value; }
            else { r->d = (int)a->value; r->m = (int)b->value; }
        } else if (a->ndig == 2 && b->ndig == 2 && c->ndig == 2 && toks[i + 1].value == '.' &&
                   !(i + 6 < n && toks[i + 5].type == T_PUNCT && toks[i + 5].value == '.' &&
                     toks[i + 6].type == T_NUM && toks[i + 6].end == toks[i + 5].end + 1 &&
                     toks[i + 5].start == c->end) &&
                   !(i >= 2 && toks[i - 1].type == T_PUNCT && toks[i - 1].value == '.' &&
                     toks[i - 2].type == T_NUM && toks[i - 1].start == toks[i - 2].end &&
                     a->start == toks[i - 1].end)) {
            /* "28.01.22": German and Swiss pages shorten the year (never
             * "1.2.3.4", an address or a version) */
            r->y = 2000 + (int)c->value; r->d = (int)a->value; r->m = (int)b->value;
        } else {
            return 0;
        }
        return 5 + match_time(toks, i + 5, n, r);
    }
    int month, hijri;
    if (a->type == T_NUM && a->ndig <= 2 && a->value >= 1 && a->value <= 31) {
        size_t j = i + 1;
        if (j < n && (word_is(&toks[j], "er") || word_is(&toks[j], "st") || word_is(&toks[j], "nd") ||
                      word_is(&toks[j], "rd") || word_is(&toks[j], "th")))
            j++;
        else if (j < n && toks[j].type == T_PUNCT && toks[j].value == '.')
            j++; /* German ordinal: "19. Februar 2020" */
        if (j < n && (word_is(&toks[j], "of") || word_is(&toks[j], "de") || word_is(&toks[j], "من")))
            j++;
        size_t u = match_month(toks, j, n, &month, &hijri);
        if (!u)
            return 0;
        j += u;
        if (j < n && toks[j].type == T_PUNCT && (toks[j].value == ',' || toks[j].value == 0x060C))
            j++;
        else if (j < n && (word_is(&toks[j], "de") || word_is(&toks[j], "del")))
            j++; /* "19 de febrero de 2020" */
        if (j < n && toks[j].type == T_NUM && toks[j].ndig == 4 && year_ok(toks[j].value, &r->hijri)) {
            r->y = (int)toks[j].value; r->m = month; r->d = (int)a->value;
            r->hijri |= hijri;
            if (hijri != r->hijri) return 0; /* a Hijri month with a Gregorian year */
            j++;
            return j - i + match_time(toks, j, n, r);
        }
        return 0;
    }
    size_t u = match_month(toks, i, n, &month, &hijri);
    if (u) {
        size_t j = i + u;
        if (j + 1 < n && toks[j].type == T_NUM && toks[j].ndig <= 2 && toks[j].value >= 1) {
            size_t k = j + 1;
            if (k < n && (word_is(&toks[k], "st") || word_is(&toks[k], "nd") ||
                          word_is(&toks[k], "rd") || word_is(&toks[k], "th")))
                k++;
            if (k < n && toks[k].type == T_PUNCT && (toks[k].value == ',' || toks[k].value == 0x060C))
                k++;
            if (k < n && toks[k].type == T_NUM && toks[k].ndig == 4 &&
                year_ok(toks[k].value, &r->hijri) && r->hijri == hijri) {
                r->y = (int)toks[k].value; r->m = month; r->d = (int)toks[j].value;
                k++;
                return k - i + match_time(toks, k, n, r);
            }
        }
    }
    return 0;
}

/* ---- relative dates ---------------------------------------------------- */

/* Minutes in one unit named by the folded word w, with *count set for dual
 * forms ("ساعتين" = 2 hours); 0 when w is no unit. */
static long unit_minutes(const dtok *t, long *count)
{
    static const struct { const char *w; long min; long n; } units[] = {
        { "دقيقه", 1, 1 }, { "دقائق", 1, 0 }, { "دقيقتين", 1, 2 }, { "دقيقتان", 1, 2 },
        { "ساعه", 60, 1 }, { "ساعات", 60, 0 }, { "ساعتين", 60, 2 }, { "ساعتان", 60, 2 },
        { "يوم", 1440, 1 }, { "ايام", 1440, 0 }, { "يومين", 1440, 2 }, { "يومان", 1440, 2 },
        { "اسبوع", 10080, 1 }, { "اسابيع", 10080, 0 }, { "اسبوعين", 10080, 2 },
        { "minute", 1, 0 }, { "minutes", 1, 0 }, { "min", 1, 0 }, { "mins", 1, 0 },
        { "hour", 60, 0 }, { "hours", 60, 0 }, { "heure", 60, 0 }, { "heures", 60, 0 },
        { "day", 1440, 0 }, { "days", 1440, 0 }, { "jour", 1440, 0 }, { "jours", 1440, 0 },
        { "week", 10080, 0 }, { "weeks", 10080, 0 }, { "semaine", 10080, 0 },
        { "semaines", 10080, 0 },
    };
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (word_is(t, units[k].w)) {
            *count = units[k].n;
            return units[k].min;
        }
    return 0;
}

/* Parses a reference "YYYY-MM-DD[THH:MM[:SS]]" into minutes since 1970. */
static int parse_ref(const char *ref, long *minutes)
{
    int y, m, d, hh = 12, mi = 0;
    size_t l = strlen(ref);
    if (l < 10 || ref[4] != '-' || ref[7] != '-')
        return 0;
    for (int k = 0; k < 10; k++)
        if (k != 4 && k != 7 && (ref[k] < '0' || ref[k] > '9'))
            return 0;
    y = (ref[0] - '0') * 1000 + (ref[1] - '0') * 100 + (ref[2] - '0') * 10 + (ref[3] - '0');
    m = (ref[5] - '0') * 10 + (ref[6] - '0');
    d = (ref[8] - '0') * 10 + (ref[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > khi_days_in_month(y, m))
        return 0;
    if (l >= 16 && (ref[10] == 'T' || ref[10] == ' ') && ref[13] == ':' &&
        ref[11] >= '0' && ref[11] <= '9' && ref[12] >= '0' && ref[12] <= '9' &&
        ref[14] >= '0' && ref[14] <= '9' && ref[15] >= '0' && ref[15] <= '9') {
        hh = (ref[11] - '0') * 10 + (ref[12] - '0');
        mi = (ref[14] - '0') * 10 + (ref[15] - '0');
        if (hh > 23 || mi > 59) return 0;
    }
    *minutes = khi_days_from_civil(y, m, d) * 1440 + hh * 60 + mi;
    return 1;
}

/* Matches a relative date at toks[i]; stores minutes before the reference. */
static size_t match_relative(const dtok *toks, size_t i, size_t n, long *ago)
{
    const dtok *a = &toks[i];
    long cnt;
    if (word_is(a, "امس") || word_is(a, "البارحه") || word_is(a, "yesterday") || word_is(a, "hier")) {
        *ago = 1440;
        return 1;
    }
    if ((word_is(a, "اول") && i + 1 < n && word_is(&toks[i + 1], "امس"))) {
        *ago = 2880;
        return 2;
    }
    if (word_is(a, "منذ") || word_is(a, "قبل")) {
        size_t j = i + 1;
        if (j < n && toks[j].type == T_NUM && toks[j].ndig <= 4 && j + 1 < n) {
            long u = unit_minutes(&toks[j + 1], &cnt);
            if (u) { *ago = u * (long)toks[j].value; return 3; }
        } else if (j < n) {
            long u = unit_minutes(&toks[j], &cnt);
            if (u && cnt) { *ago = u * cnt; return 2; }
        }
        return 0;
    }
    if (word_is(a, "il") && i + 4 < n && word_is(&toks[i + 1], "y") && word_is(&toks[i + 2], "a") &&
        toks[i + 3].type == T_NUM) {
        long u = unit_minutes(&toks[i + 4], &cnt);
        if (u) { *ago = u * (long)toks[i + 3].value; return 5; }
        return 0;
    }
    if (a->type == T_NUM && a->ndig <= 4 && i + 2 < n && word_is(&toks[i + 2], "ago")) {
        long u = unit_minutes(&toks[i + 1], &cnt);
        if (u) { *ago = u * (long)a->value; return 3; }
    }
    return 0;
}

/* ---- output ------------------------------------------------------------ */

static int write_iso(ymd *r, char *out, size_t out_size)
{
    int y = r->y, m = r->m, d = r->d;
    if (r->hijri) {
        if (m < 1 || m > 12 || d < 1 || d > 30)
            return 0;
        khi_civil_from_days(hijri_to_days(y, m, d), &y, &m, &d);
    }
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > khi_days_in_month(y, m))
        return 0;
    if (r->has_time && (r->hh || r->mm || r->ss)) {
        if (r->ss)
            snprintf(out, out_size, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, r->hh, r->mm, r->ss);
        else
            snprintf(out, out_size, "%04d-%02d-%02dT%02d:%02d", y, m, d, r->hh, r->mm);
    } else {
        snprintf(out, out_size, "%04d-%02d-%02d", y, m, d);
    }
    return 1;
}

kh_status khi_date_find(const char *text, size_t text_len, const char *ref_iso, char *out,
                        size_t out_size, size_t *match_start, size_t *match_end)
{
    dtok toks[TOK_MAX];
    long ref_min = 0;
    int have_ref = ref_iso && parse_ref(ref_iso, &ref_min);
    size_t pos = 0;
    if (!text || !out || out_size < KH_DATE_ISO_MAX)
        return KH_E_ARG;
    out[0] = '\0';
    /* A Hijri date is kept only when no Gregorian one follows it: pages
     * that print both ("٨ محرم ١٤٤٧ هـ - ٣ يوليو ٢٠٢٥ م") mean the civil one,
     * and the tabular calendar may be a day off. */
    char hijri[KH_DATE_ISO_MAX] = "";
    size_t h_start = 0, h_end = 0;
    for (;;) {
        size_t n = tokenize(text, text_len, pos, toks, TOK_MAX);
        int at_end = n < TOK_MAX;
        size_t last = at_end ? n : n - TOK_LOOKAHEAD;
        for (size_t i = 0; i < last; i++) {
            ymd r;
            size_t used = match_at(toks, i, n, &r);
            if (used && write_iso(&r, out, out_size)) {
                if (r.hijri && !hijri[0]) {
                    memcpy(hijri, out, KH_DATE_ISO_MAX);
                    h_start = toks[i].start;
                    h_end = toks[i + used - 1].end;
                    i += used - 1;
                    continue;
                }
                if (r.hijri)
                    continue;
                if (match_start) *match_start = toks[i].start;
                if (match_end) *match_end = toks[i + used - 1].end;
                return KH_OK;
            }
            if (hijri[0] && toks[i].start > h_end + 64)
                break;
            long ago;
            if (have_ref && (used = match_relative(toks, i, n, &ago)) != 0) {
                long t = ref_min - ago;
                int y, m, d;
                khi_civil_from_days(t >= 0 ? t / 1440 : -((-t + 1439) / 1440), &y, &m, &d);
                if (y >= 1900 && y <= 2199) {
                    snprintf(out, out_size, "%04d-%02d-%02d", y, m, d);
                    if (match_start) *match_start = toks[i].start;
                    if (match_end) *match_end = toks[i + used - 1].end;
                    return KH_OK;
                }
            }
        }
        if (at_end || last == 0 || hijri[0])
            break;
        pos = toks[last].start;
    }
    if (hijri[0]) {
        memcpy(out, hijri, KH_DATE_ISO_MAX);
        if (match_start) *match_start = h_start;
        if (match_end) *match_end = h_end;
        return KH_OK;
    }
    out[0] = '\0';
    return KH_E_FORMAT;
}

kh_status kh_date_parse(const char *text, size_t text_len, const char *ref_iso, char *out,
                        size_t out_size)
{
    return khi_date_find(text, text_len, ref_iso, out, out_size, NULL, NULL);
}
