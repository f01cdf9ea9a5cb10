/*
 * kh_quotes.c — who said what in a story: quotations and reported speech
 * with their speakers, found without a trained model, for the account.
 *
 * Idea. Speech in news is framed by a reporting verb (قال، أضاف، أكد،
 * أوضح، أشار، صرح / said, told, added / a déclaré, a ajouté), and its
 * speaker is written next to the verb:
 *   - direct: a quoted span (« » “ ” " ") of three words or more, with a
 *     reporting verb before it in its sentence (وقال وزير الدفاع آشتون
 *     كارتر: «...») or right after it («...»، قال كارتر; "...," Carter said);
 *   - reported: a reporting verb, its speaker, then إن/أن and the content
 *     (وقال كارتر إن الحملة ستستمر), kept only when the speaker is one of the
 *     story's names: without the quote marks, the frame is all the evidence.
 * The speaker is the story's name written between the verb and the quote
 * (the account's entities, however the outlet spelled it); else a short
 * phrase (four words at most: وزير الدفاع الأمريكي); else, for a verb with
 * no subject (وأضاف: «...»), the last speaker of the same article. A quote
 * with no speaker is left out: precision first.
 * The same quote in several articles (its words' keys overlap by 60%) is
 * one quote with all its carriers.
 */
#include "kh_account_int.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define MAX_QUOTES 256        /* per story, before merging */
#define MAX_QUOTE_BYTES 1200  /* longer "quotes" are unpaired marks */
#define MAX_SPEAKER_WORDS 4

/* Reporting verbs, folded (khi_fold) and without و/ف, in byte order. */
static const char *const speech_verbs[] = {
    "added", "affirmé", "ajouté", "déclaré", "explained", "said", "says", "stated", "told",
    "warned", "اشار", "اشارت", "اضاف", "اضافت", "اعتبر", "اعتبرت", "اكد", "اكدت", "اوضح",
    "اوضحت", "تابع", "تابعت", "تقول", "شدد", "شددت", "صرح", "صرحت", "قال", "قالت", "لفت",
    "لفتت", "يضيف", "يقول", "يوكد",
};

static int cmp_word(const void *key, const void *elem)
{
    const khi_word *w = key;
    const char *e = *(const char *const *)elem;
    size_t el = strlen(e);
    size_t n = w->key_len < el ? w->key_len : el;
    int c = memcmp(w->key, e, n);
    if (c) return c;
    return w->key_len < el ? -1 : w->key_len > el;
}

/* The lexeme answers of this file (khi_lexeme.known, .yes), bits 28-31. */
#define LEX_SPEECH_VERB 28u

static int is_speech_verb_key(const khi_word *w);

/* Is w a reporting verb, with or without a leading و or ف? Asked of every
 * word of every body: the answer is kept on its lexeme. */
static int is_speech_verb(const khi_word *w)
{
    khi_lexeme *x = w->lex;
    if (!x) return is_speech_verb_key(w);
    const uint32_t bit = (uint32_t)1 << LEX_SPEECH_VERB;
    if (!(x->known & bit)) {
        if (is_speech_verb_key(w)) x->yes |= bit;
        x->known |= bit;
    }
    return (x->yes & bit) != 0;
}

static int is_speech_verb_key(const khi_word *w)
{
    size_t n = sizeof speech_verbs / sizeof speech_verbs[0];
    if (bsearch(w, speech_verbs, n, sizeof speech_verbs[0], cmp_word)) return 1;
    if (w->key_len > 4 && (memcmp(w->key, "\xd9\x88", 2) == 0 || memcmp(w->key, "\xd9\x81", 2) == 0)) {
        khi_word bare = *w;
        bare.key += 2;
        bare.key_len -= 2;
        return bsearch(&bare, speech_verbs, n, sizeof speech_verbs[0], cmp_word) != NULL;
    }
    return 0;
}

/* إن / أن / ان / that: reported speech follows. */
static int is_that(const khi_word *w)
{
    return (w->key_len == 4 && memcmp(w->key, "\xd8\xa7\xd9\x86", 4) == 0) ||
           (w->key_len == 6 && (memcmp(w->key, "\xd8\xa8\xd8\xa7\xd9\x86", 6) == 0)) ||
           (w->key_len == 4 && memcmp(w->key, "that", 4) == 0);
}

typedef struct quote {
    const char *speaker;     /* in dst */
    const char *text;        /* in dst */
    const char *sentence;    /* in dst */
    int reported;
    size_t article;          /* story order */
    uint64_t *keys;          /* the quote's word keys, sorted, in tmp */
    size_t n_keys;
    size_t *carriers;        /* story order, in tmp */
    size_t n_carriers;
    int merged;
} quote;

typedef struct finder {
    kh_arena *dst, *tmp;
    const kh_account_entity *ent;
    size_t n_ent;
    quote *q;
    size_t n;
    kh_status rc;
} finder;

/* Does text[a, b) contain needle? */
static int has_in(const char *text, size_t a, size_t b, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0 || b < a + nl) return 0;
    for (size_t i = a; i + nl <= b; i++)
        if (text[i] == needle[0] && memcmp(text + i, needle, nl) == 0) return 1;
    return 0;
}

/* The story's name written in text[a, b): the entity with the longest
 * variant found there (persons and organizations first). */
static const char *entity_in(const finder *f, const char *text, size_t a, size_t b)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t e = 0; e < f->n_ent; e++) {
        if (f->ent[e].kind == KH_ENTITY_PLACE) continue;
        for (size_t v = 0; v < f->ent[e].n_variants; v++) {
            const char *var = f->ent[e].variants[v];
            size_t vl = strlen(var);
            /* an organization speaks when it opens the phrase (وقالت وزارة
             * الخارجية); inside one it is whose the speaker is (رئيس غرفة
             * القصيم عبدالله المهوس) */
            if (f->ent[e].kind == KH_ENTITY_ORG &&
                !(vl <= b - a && memcmp(text + a, var, vl) == 0))
                continue;
            if (vl > best_len && has_in(text, a, b, var)) {
                best = f->ent[e].name;
                best_len = vl;
            }
        }
    }
    return best;
}

/* Words that end a speaker's phrase: prepositions, particles and words
 * of time (قال شارما لأخبار بلومبيرج, وقال في بيان, بيد أنه, قال أوباما
 * الثلاثاء), folded, byte order. */
static const char *const phrase_ends[] = {
    "according", "after", "at", "during", "for", "in", "on", "to", "with", "اثناء", "الاثنين",
    "الاحد", "الاربعاء", "الثلاثاء", "الجمعه", "الخميس", "السبت", "الي", "اليوم", "امام", "امس",
    "ان", "انه", "انها", "بان", "بانه", "بحسب", "بذلك", "بعد", "بهذا", "بيد", "حسب", "خلال",
    "صباح", "عبر", "علي", "عن", "عنك", "عنه", "عنها", "في", "فيه", "فيها", "قبل", "لدي", "لك",
    "لكم", "لنا", "له", "لها", "لهم", "لي", "مساء", "مع", "من", "هاتفيا", "وفق", "وفقا",
};

static int ends_phrase(const khi_word *w)
{
    size_t n = sizeof phrase_ends / sizeof phrase_ends[0];
    if (bsearch(w, phrase_ends, n, sizeof phrase_ends[0], cmp_word)) return 1;
    /* لـ or ل + a word: the one spoken to (لشبكة, لأخبار, للصحفيين) */
    return w->arabic && w->key_len > 4 && memcmp(w->key, "\xd9\x84", 2) == 0 &&
           memcmp(w->key, "\xd9\x84\xd9\x87", 4) != 0;
}

/* An adverb of manner after the verb (موضحا, مضيفا, بأسى, قائلا): an
 * indefinite accusative ending in ا, or a ب + noun of feeling; no subject. */
static int is_manner(const khi_word *w)
{
    if (!w->arabic || w->key_len < 8) return 0;
    const char *k = w->key;
    size_t n = w->key_len;
    int acc = memcmp(k + n - 2, "\xd8\xa7", 2) == 0;          /* ...ا */
    int mim = memcmp(k, "\xd9\x85", 2) == 0;                  /* م... participle */
    int qa = n >= 10 && memcmp(k, "\xd9\x82\xd8\xa7\xd9\x8a", 6) == 0; /* قاي... قائلا */
    return acc && (mim || qa);
}

/* The speaker of words w[from, to) of text (after a verb or before one):
 * a story name there, else the words themselves when they are few. The
 * phrase stops at a preposition or a particle; an adverb of manner opens
 * none. */
static const char *speaker_of(finder *f, const char *text, const khi_word *w, size_t from,
                              size_t to, int *no_subject)
{
    while (from < to && is_manner(&w[from])) from++;
    for (size_t k = from; k < to; k++)
        if (ends_phrase(&w[k]) || (k > from && (w[k].brk & (KHI_BRK_QUOTE | KHI_BRK_HARD)))) {
            to = k;
            break;
        }
    if (no_subject) *no_subject = from >= to;
    if (from >= to) return NULL;
    const char *name = entity_in(f, text, w[from].start, w[to - 1].end);
    if (name) return name;
    if (to - from > MAX_SPEAKER_WORDS) return NULL;
    for (size_t k = from; k < to; k++)
        if (k > from && (w[k].brk & (KHI_BRK_HARD | KHI_BRK_COMMA))) return NULL;
    char *s = kh_arena_strndup(f->dst, text + w[from].start, w[to - 1].end - w[from].start);
    if (!s) f->rc = KH_E_NOMEM;
    return s;
}

void khi_sentence_at(const char *text, size_t len, size_t at, size_t *start, size_t *end)
{
    size_t s = at;
    while (s > 0) {
        unsigned char c = (unsigned char)text[s - 1];
        /* a decimal point (1.28, 47.5) ends no sentence */
        if (c == '.' && s >= 2 && s < len && text[s - 2] >= '0' && text[s - 2] <= '9' &&
            text[s] >= '0' && text[s] <= '9') {
            s--;
            continue;
        }
        if (c == '.' || c == '!' || c == '?' || c == '\n') break;
        if (s >= 2 && (unsigned char)text[s - 2] == 0xD8 && c == 0x9F) break; /* ؟ */
        s--;
    }
    size_t e = at;
    while (e < len) {
        unsigned char c = (unsigned char)text[e];
        e++;
        if (c == '.' && e >= 2 && e < len && text[e - 2] >= '0' && text[e - 2] <= '9' &&
            text[e] >= '0' && text[e] <= '9')
            continue;
        if (c == '.' || c == '!' || c == '?' || c == '\n') break;
        if (c == 0xD8 && e < len && (unsigned char)text[e] == 0x9F) {
            e++;
            break;
        }
    }
    while (s < e && text[s] == ' ') s++;
    while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\n')) e--;
    *start = s;
    *end = e;
}

static void add_quote(finder *f, const char *text, size_t len, const khi_word *w, size_t wa,
                      size_t wb, size_t qa, size_t qb, const char *speaker, int reported,
                      size_t article)
{
    if (f->rc != KH_OK || f->n == MAX_QUOTES || !speaker || wb <= wa) return;
    size_t ss, se;
    khi_sentence_at(text, len, qa, &ss, &se);
    if (se < qb) se = qb;
    quote *q = &f->q[f->n];
    q->speaker = speaker;
    q->text = kh_arena_strndup(f->dst, text + qa, qb - qa);
    q->sentence = kh_arena_strndup(f->dst, text + ss, se - ss);
    q->reported = reported;
    q->article = article;
    q->n_keys = wb - wa;
    q->keys = kh_arena_alloc(f->tmp, q->n_keys * sizeof *q->keys);
    q->carriers = kh_arena_alloc(f->tmp, sizeof *q->carriers);
    if (!q->text || !q->sentence || !q->keys || !q->carriers) {
        f->rc = KH_E_NOMEM;
        return;
    }
    for (size_t k = wa; k < wb; k++)
        q->keys[k - wa] = XXH3_64bits(w[k].key, w[k].key_len);
    qsort(q->keys, q->n_keys, sizeof *q->keys, khi_cmp_u64);
    q->carriers[0] = article;
    q->n_carriers = 1;
    q->merged = 0;
    f->n++;
}

/* The quote mark that closes the one opened by the code point at text[i]
 * (length *ol), or NULL. */
static const char *closer_of(const char *text, size_t i, size_t *ol)
{
    const unsigned char *s = (const unsigned char *)text + i;
    if (s[0] == 0xC2 && s[1] == 0xAB) { *ol = 2; return "\xc2\xbb"; }           /* « » */
    if (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x9C) { *ol = 3; return "\xe2\x80\x9d"; } /* “ ” */
    if (s[0] == '"') { *ol = 1; return "\""; }
    return NULL;
}

/* Speech has grammar: a function word of Arabic, English or French among
 * words w[a, b); a list of names or a product name has none. */
static int has_function_word(const khi_word *w, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) {
        kh_lang lang = w[k].arabic ? KH_LANG_AR : KH_LANG_EN;
        if (kh_is_stopword(lang, w[k].key, w[k].key_len) ||
            (!w[k].arabic && kh_is_stopword(KH_LANG_FR, w[k].key, w[k].key_len)))
            return 1;
    }
    return 0;
}

/* The first word index whose start is at or after byte b. */
static size_t word_at(const khi_word *w, size_t n, size_t b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (w[mid].start < b) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The last speaker named in an article, and the paragraph it was in: a
 * verb with no subject (وأضاف: «...») continues it in the next paragraph
 * at most, unless its own sentence names someone before the verb. */
typedef struct last_speaker {
    const char *name;
    size_t para;
} last_speaker;

static void scan_text(finder *f, const khi_text *t, size_t article, size_t para,
                      last_speaker *last)
{
    const char *text = t->text;
    size_t len = t->text_len;
    const khi_word *w = t->words;
    size_t n = t->n_words;
    size_t covered = 0; /* bytes before this are inside a quote found */
    /* direct speech */
    for (size_t i = 0; i < len && f->rc == KH_OK; i++) {
        size_t ol;
        const char *close = closer_of(text, i, &ol);
        if (!close) continue;
        size_t cl = strlen(close), j = i + ol;
        while (j + cl <= len && j - i < MAX_QUOTE_BYTES && memcmp(text + j, close, cl) != 0) j++;
        if (j + cl > len || j - i >= MAX_QUOTE_BYTES) continue;
        size_t qa = i + ol, qb = j;
        size_t wa = word_at(w, n, qa), wb = word_at(w, n, qb);
        if (wb < wa + 4 || !has_function_word(w, wa, wb)) {
            /* a name, a title or a list in quotes, not speech */
            i = j + cl - 1;
            continue;
        }
        size_t ss, se;
        khi_sentence_at(text, len, i, &ss, &se);
        const char *speaker = NULL;
        int framed = 0;
        /* a verb before the quote, in its sentence: the speaker follows it */
        size_t first = word_at(w, n, ss);
        for (size_t k = wa; k-- > first;) {
            if (!is_speech_verb(&w[k])) continue;
            framed = 1;
            size_t to = k + 1;
            while (to < wa && !is_that(&w[to])) to++;
            int no_subject;
            speaker = speaker_of(f, text, w, k + 1, to, &no_subject);
            if (!speaker && no_subject) { /* وأضاف: «...» */
                const char *before = k > first ? entity_in(f, text, w[first].start, w[k - 1].end)
                                               : NULL;
                speaker = before ? before
                          : last->name && last->para + 1 >= para ? last->name
                                                                : NULL;
            }
            break;
        }
        /* or a verb right after it: «...»، قال كارتر / "...," Carter said */
        if (!framed && wb < n) {
            size_t k = wb;
            if (is_speech_verb(&w[k])) {
                framed = 1;
                size_t to = k + 1;
                while (to < n && to < k + 1 + MAX_SPEAKER_WORDS + 4 &&
                       !(w[to].brk & (KHI_BRK_HARD | KHI_BRK_COMMA)))
                    to++;
                speaker = speaker_of(f, text, w, k + 1, to, NULL);
            } else if (k + 1 < n && is_speech_verb(&w[k + 1]) && !w[k + 1].brk) {
                framed = 1;
                speaker = speaker_of(f, text, w, k, k + 1, NULL);
            } else if (k + 2 < n && is_speech_verb(&w[k + 2]) && !w[k + 1].brk && !w[k + 2].brk) {
                framed = 1;
                speaker = speaker_of(f, text, w, k, k + 2, NULL);
            }
        }
        if (framed && speaker) {
            add_quote(f, text, len, w, wa, wb, qa, qb, speaker, 0, article);
            last->name = speaker;
            last->para = para;
            covered = j + cl;
        }
        i = j + cl - 1;
    }
    /* reported speech: verb, a story name, إن/أن, the content */
    for (size_t k = 0; k + 3 < n && f->rc == KH_OK; k++) {
        if (w[k].start < covered || !is_speech_verb(&w[k])) continue;
        size_t to = k + 1;
        while (to < n && to <= k + 1 + MAX_SPEAKER_WORDS + 2 && !is_that(&w[to]) &&
               !(w[to].brk & KHI_BRK_HARD))
            to++;
        if (to >= n || !is_that(&w[to]) || to == k + 1) continue;
        /* the speaker's phrase as for quotes, and a name of the story in it */
        size_t from = k + 1, end = to;
        while (from < end && is_manner(&w[from])) from++;
        for (size_t x = from; x < end; x++)
            if (ends_phrase(&w[x])) {
                end = x;
                break;
            }
        if (from >= end) continue;
        const char *name = entity_in(f, text, w[from].start, w[end - 1].end);
        if (!name) continue;
        size_t ss, se;
        khi_sentence_at(text, len, w[to].start, &ss, &se);
        size_t qa = w[to].end;
        while (qa < se && text[qa] == ' ') qa++;
        size_t wa = to + 1, wb = word_at(w, n, se);
        if (wb < wa + 3) continue;
        add_quote(f, text, len, w, wa, wb, qa, se, name, 1, article);
        last->name = name;
        last->para = para;
    }
}

/* Share of a's keys in b (a the shorter), by a merge of the sorted keys. */
static double overlap(const quote *a, const quote *b)
{
    if (a->n_keys > b->n_keys) {
        const quote *t = a;
        a = b;
        b = t;
    }
    size_t i = 0, j = 0, common = 0;
    while (i < a->n_keys && j < b->n_keys) {
        if (a->keys[i] == b->keys[j]) { common++; i++; j++; }
        else if (a->keys[i] < b->keys[j]) i++;
        else j++;
    }
    return a->n_keys ? (double)common / (double)a->n_keys : 0;
}

kh_status khi_quotes(kh_arena *dst, kh_arena *tmp, size_t n_arts, const size_t *order,
                     const khi_article_texts *texts, const kh_account_entity *ent, size_t n_ent,
                     kh_account_quote **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    finder f = { dst, tmp, ent, n_ent, NULL, 0, KH_OK };
    f.q = kh_arena_alloc(tmp, MAX_QUOTES * sizeof *f.q);
    KHI_RETURN_IF(!f.q, KH_E_NOMEM);
    for (size_t k = 0; k < n_arts; k++) {
        last_speaker last = { NULL, 0 };
        for (size_t p = 1; p < texts[k].n_texts; p++) /* bodies; [0] is the title */
            if (texts[k].texts[p].text) scan_text(&f, &texts[k].texts[p], k, p, &last);
        KHI_FORWARD_IF_ERROR(f.rc);
    }
    if (f.n == 0) return KH_OK;
    /* one quote carried by several articles */
    for (size_t i = 0; i < f.n; i++) {
        if (f.q[i].merged) continue;
        for (size_t j = i + 1; j < f.n; j++) {
            if (f.q[j].merged || f.q[j].article == f.q[i].article) continue;
            if (overlap(&f.q[i], &f.q[j]) < 0.6) continue;
            f.q[j].merged = 1;
            int has = 0;
            for (size_t c = 0; c < f.q[i].n_carriers; c++) has |= f.q[i].carriers[c] == f.q[j].article;
            if (has) continue;
            size_t *car = kh_arena_alloc(tmp, (f.q[i].n_carriers + 1) * sizeof *car);
            KHI_RETURN_IF(!car, KH_E_NOMEM);
            memcpy(car, f.q[i].carriers, f.q[i].n_carriers * sizeof *car);
            car[f.q[i].n_carriers] = f.q[j].article;
            f.q[i].carriers = car;
            f.q[i].n_carriers++;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < f.n; i++) n += !f.q[i].merged;
    kh_account_quote *res = kh_arena_alloc(dst, n * sizeof *res);
    KHI_RETURN_IF(!res, KH_E_NOMEM);
    size_t m = 0;
    for (size_t i = 0; i < f.n; i++) {
        if (f.q[i].merged) continue;
        size_t *car = kh_arena_alloc(dst, f.q[i].n_carriers * sizeof *car);
        KHI_RETURN_IF(!car, KH_E_NOMEM);
        for (size_t c = 0; c < f.q[i].n_carriers; c++) car[c] = order[f.q[i].carriers[c]];
        res[m].speaker = f.q[i].speaker;
        res[m].text = f.q[i].text;
        res[m].sentence = f.q[i].sentence;
        res[m].reported = f.q[i].reported;
        res[m].carriers = car;
        res[m].n_carriers = f.q[i].n_carriers;
        m++;
    }
    /* most carried first, then story order (stable) */
    for (size_t x = 1; x < m; x++) {
        kh_account_quote v = res[x];
        size_t y = x;
        while (y > 0 && res[y - 1].n_carriers < v.n_carriers) {
            res[y] = res[y - 1];
            y--;
        }
        res[y] = v;
    }
    *out = res;
    *n_out = m;
    return KH_OK;
}
