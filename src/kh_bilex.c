/*
 * kh_bilex.c — a bilingual lexicon for ordinary words: which English words
 * an Arabic or French word means, read at run time from Debian's FreeDict
 * dictionaries (GPL data: read where the package installs them, never
 * copied into the tree or the binary).
 *
 * The idea: a lead's ordinary words are weak evidence that two stories of
 * different languages report one event (ميناء / port / port). The linker
 * (kh_link.c) keys a word as it keys the words of a story: the folded key
 * (khi_words), Arabic bare of its article (khi_bare; not stemmed: too
 * dear per word of every lead), Latin with a plural s dropped. Each foreign key maps
 * to at most GLOSS_MAX English gloss keys, made the same way.
 *
 * Sources, in order (the first glosses of a key win its slots):
 *   freedict-ara-eng   Arabic headword -> numbered English glosses
 *   freedict-fra-eng   French headword -> English glosses
 *   freedict-eng-ara   read backwards: an Arabic gloss of one word -> the
 *                      English headword (ara-eng lacks ميناء and وزير)
 * Only one-word headwords and glosses of at most GLOSS_WORDS content words
 * are kept; stopwords are dropped.
 *
 * A dictionary is an .index of lines "headword TAB offset TAB length"
 * (dictd's base64, A-Za-z0-9+/, most significant digit first) into the
 * uncompressed .dict.dz (dictzip: gzip, read whole by zlib). An entry is
 * a headword line ("الرقة /ʔarrˈiqːa/") and gloss lines ("1. Tenderness").
 *
 * Invariant: heads[] is sorted by key and unique; glosses[heads[i].off ..
 * + n) are distinct; words[] (gloss key -> its text, for why) is sorted
 * by key and unique. Keys carry 61 bits (the linker packs a kind above).
 */
#include "kh_link_int.h"
#include "kh_text_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define GLOSS_MAX 6    /* English glosses kept per foreign key */
#define GLOSS_WORDS 2  /* content words a gloss may have */
#define KEY_BYTES 64   /* longer words are no ordinary words */
#define KEY_MASK ((((uint64_t)1) << 61) - 1)

typedef struct bl_head {
    uint64_t key;
    uint32_t off, n; /* in glosses */
} bl_head;

typedef struct bl_word {
    uint64_t key;
    const char *text; /* in the arena */
    uint32_t order;   /* which form is shown: the shortest, then the first */
} bl_word;

/* (foreign key, gloss key) while loading */
typedef struct bl_pair {
    uint64_t key, gloss;
    uint32_t order;
} bl_pair;

struct kh_bilex {
    kh_ctx *ctx;
    kh_arena *arena;
    kh_buf heads;   /* bl_head[] */
    kh_buf glosses; /* uint64_t[] */
    kh_buf words;   /* bl_word[] */
    double load_seconds;
};

static uint64_t fnv(const char *p, size_t n, uint64_t seed)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return khi_mix64(h) & KEY_MASK;
}

/* The normalized form of a word's key in buf (KEY_BYTES): Arabic bare and
 * stemmed, Latin without a plural s. 0 when it is no ordinary word. */
static size_t norm_key(const khi_word *w, char *buf, int loading)
{
    const char *k = w->key;
    size_t n = w->key_len;
    if (n == 0 || (k[0] >= '0' && k[0] <= '9'))
        return 0;
    if (w->arabic) {
        /* the language's stopwords, not the name finder's (which holds
         * titles: وزير is an ordinary word here) */
        if (loading && khi_stopword_langs(k, n) != 0)
            return 0;
        k = khi_bare(k, n, &n);
        if (loading && khi_stopword_langs(k, n) != 0)
            return 0;
        if (n < 4 || n >= KEY_BYTES)
            return 0;
        /* not stemmed: the stemmer would cost as much as the rest of the
         * linker, and eng-ara read backwards lists the inflected forms
         * (الموانئ: harbors) */
        memcpy(buf, k, n);
        return n;
    }
    if (n < 3 || n >= KEY_BYTES || (loading && khi_stopword_langs(k, n) != 0))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (unsigned char)k[i] >= 0x80))
            return 0;
    memcpy(buf, k, n);
    if (n >= 4 && buf[n - 1] == 's' && buf[n - 2] != 's')
        n--;
    return n;
}

/* The key of a word of a dictionary (loading: stopwords are dropped) or of
 * a story (they need no test: the lexicon holds none). */
static uint64_t word_key(const khi_word *w, int english, int loading)
{
    char buf[KEY_BYTES];
    size_t n = norm_key(w, buf, loading);
    if (!n || (english && w->arabic))
        return 0;
    return fnv(buf, n, english ? 0 : w->arabic ? 1 : 2);
}

uint64_t khi_bilex_key(const khi_word *w, int english)
{
    return word_key(w, english, 0);
}

size_t khi_bilex_glosses(const kh_bilex *lx, const khi_word *w, const uint64_t **out)
{
    uint64_t k = khi_bilex_key(w, 0);
    if (!lx || !k)
        return 0;
    const bl_head *h = (const bl_head *)lx->heads.data;
    size_t lo = 0, hi = lx->heads.len / sizeof *h;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (h[mid].key < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == lx->heads.len / sizeof *h || h[lo].key != k)
        return 0;
    *out = (const uint64_t *)lx->glosses.data + h[lo].off;
    return h[lo].n;
}

const char *khi_bilex_text(const kh_bilex *lx, uint64_t gloss)
{
    if (!lx)
        return NULL;
    const bl_word *w = (const bl_word *)lx->words.data;
    size_t lo = 0, hi = lx->words.len / sizeof *w;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (w[mid].key < gloss)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lx->words.len / sizeof *w && w[lo].key == gloss ? w[lo].text : NULL;
}

/* ---- loading ---------------------------------------------------------- */

typedef struct bl_loader {
    kh_bilex *lx;
    kh_arena *scratch;
    kh_buf pairs; /* bl_pair[] */
    kh_buf words; /* bl_word[], unsorted, texts in texts */
    kh_arena *texts; /* every form read; the kept ones are copied */
    uint32_t order;
} bl_loader;

/* The whole of a file into out: zlib reads a gzip (and so a dictzip) file
 * inflated, and any other file as it is. */
static kh_status read_whole(const char *path, kh_buf *out)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return KH_E_IO;
    kh_status rc = KH_OK;
    for (;;) {
        rc = kh_buf_reserve(out, 1 << 16);
        if (rc != KH_OK)
            break;
        int got = gzread(f, out->data + out->len, 1 << 16);
        if (got < 0) {
            rc = KH_E_GZIP;
            break;
        }
        if (got == 0)
            break;
        out->len += (size_t)got;
    }
    gzclose(f);
    return rc;
}

static int b64(const char *p, size_t n, size_t *v)
{
    size_t x = 0;
    if (n == 0 || n > 8)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        int d = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
              : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
        if (d < 0)
            return 0;
        x = x * 64 + (size_t)d;
    }
    *v = x;
    return 1;
}

/* The content words of text as normalized keys (english: Latin keys only).
 * @return how many (0: none, or more than max: too long a phrase). */
static size_t content_keys(bl_loader *L, const char *text, size_t len, int english,
                           uint64_t *keys, const char **starts, size_t *lens, size_t max)
{
    khi_word *w = NULL;
    size_t n = 0, m = 0;
    if (khi_words(L->scratch, text, len, &w, &n) != KH_OK)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = word_key(&w[i], english, 1);
        if (!k)
            continue;
        if (m == max)
            return 0;
        if (starts) {
            starts[m] = w[i].key;
            lens[m] = w[i].key_len;
        }
        keys[m++] = k;
    }
    return m;
}

static kh_status add_pair(bl_loader *L, uint64_t key, uint64_t gloss, const char *text,
                          size_t text_len)
{
    bl_pair p = { key, gloss, L->order++ };
    kh_status rc = kh_buf_append(&L->pairs, &p, sizeof p);
    if (rc == KH_OK && text) {
        /* English key: its text, folded; of its forms the shortest
         * (port, not ports), the first read among equals */
        bl_word w = { gloss, kh_arena_strndup(L->texts, text, text_len), L->order };
        rc = w.text ? kh_buf_append(&L->words, &w, sizeof w) : KH_E_NOMEM;
    }
    return rc;
}

/* One dictionary. reverse: eng-ara, its glosses are the foreign words. */
static kh_status load_dict(bl_loader *L, const char *dir, const char *name, int reverse)
{
    kh_ctx *ctx = L->lx->ctx;
    kh_buf path, index, dict;
    kh_buf_init(&path, ctx, 0);
    kh_buf_init(&index, ctx, 0);
    kh_buf_init(&dict, ctx, 0);
    kh_status rc = kh_buf_printf(&path, "%s/%s.index", dir, name);
    if (rc == KH_OK)
        rc = read_whole((const char *)path.data, &index);
    if (rc == KH_OK) {
        kh_buf_clear(&path);
        rc = kh_buf_printf(&path, "%s/%s.dict.dz", dir, name);
    }
    if (rc == KH_OK)
        rc = read_whole((const char *)path.data, &dict);
    if (rc != KH_OK)
        rc = kh_ctx_error(ctx, rc, "lexicon: cannot read %s", (const char *)path.data);
    const char *p = (const char *)index.data, *end = p + index.len;
    const char *d = (const char *)dict.data;
    while (rc == KH_OK && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        const char *t1 = memchr(p, '\t', (size_t)(line_end - p));
        const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(line_end - t1 - 1)) : NULL;
        size_t off, len;
        const char *line = p;
        p = nl ? nl + 1 : end;
        if (!t2 || !b64(t1 + 1, (size_t)(t2 - t1 - 1), &off) ||
            !b64(t2 + 1, (size_t)(line_end - t2 - 1), &len) || off > dict.len ||
            len > dict.len - off || (t1 - line >= 2 && memcmp(line, "00", 2) == 0))
            continue;
        kh_arena_reset(L->scratch);
        uint64_t head[1];
        const char *hs[1];
        size_t hl[1];
        if (content_keys(L, line, (size_t)(t1 - line), reverse, head, hs, hl, 1) != 1)
            continue;
        /* the entry: a headword line, then gloss lines */
        const char *e = d + off, *ee = e + len;
        const char *g = memchr(e, '\n', len);
        while (rc == KH_OK && g && g < ee) {
            g++;
            const char *ge = memchr(g, '\n', (size_t)(ee - g));
            if (!ge)
                ge = ee;
            const char *s = g;
            while (s < ge && ((*s >= '0' && *s <= '9') || *s == '.' || *s == ' ')) s++;
            uint64_t keys[GLOSS_WORDS];
            const char *ks[GLOSS_WORDS];
            size_t kl[GLOSS_WORDS];
            size_t m = content_keys(L, s, (size_t)(ge - s), !reverse, keys, ks, kl,
                                    reverse ? 1 : GLOSS_WORDS);
            for (size_t i = 0; rc == KH_OK && i < m; i++)
                rc = reverse ? add_pair(L, keys[i], head[0], hs[0], hl[0])
                             : add_pair(L, head[0], keys[i], ks[i], kl[i]);
            g = ge;
        }
    }
    kh_buf_free(&path);
    kh_buf_free(&index);
    kh_buf_free(&dict);
    return rc;
}

static int cmp_pair(const void *x, const void *y)
{
    const bl_pair *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int cmp_word(const void *x, const void *y)
{
    const bl_word *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    size_t la = strlen(a->text), lb = strlen(b->text);
    if (la != lb)
        return la < lb ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

kh_status kh_bilex_load(kh_ctx *ctx, const char *dir, kh_bilex **out)
{
    if (!out)
        return KH_E_ARG;
    *out = NULL;
    if (!ctx)
        return KH_E_ARG;
    if (!dir)
        dir = KH_BILEX_DIR;
    clock_t t0 = clock();
    kh_bilex *lx = kh_malloc(ctx, sizeof *lx);
    if (!lx)
        return kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    memset(lx, 0, sizeof *lx);
    lx->ctx = ctx;
    kh_buf_init(&lx->heads, ctx, 0);
    kh_buf_init(&lx->glosses, ctx, 0);
    kh_buf_init(&lx->words, ctx, 0);
    bl_loader L;
    memset(&L, 0, sizeof L);
    L.lx = lx;
    kh_buf_init(&L.pairs, ctx, 0);
    kh_buf_init(&L.words, ctx, 0);
    kh_status rc = kh_arena_create(ctx, &lx->arena);
    if (rc == KH_OK)
        rc = kh_arena_create(ctx, &L.scratch);
    if (rc == KH_OK)
        rc = kh_arena_create(ctx, &L.texts);
    if (rc == KH_OK)
        rc = load_dict(&L, dir, "freedict-ara-eng", 0);
    if (rc == KH_OK)
        rc = load_dict(&L, dir, "freedict-fra-eng", 0);
    if (rc == KH_OK)
        rc = load_dict(&L, dir, "freedict-eng-ara", 1);
    /* heads: each key's first GLOSS_MAX distinct glosses */
    size_t np = L.pairs.len / sizeof(bl_pair);
    bl_pair *pp = (bl_pair *)L.pairs.data;
    if (rc == KH_OK && np)
        qsort(pp, np, sizeof *pp, cmp_pair);
    for (size_t i = 0; rc == KH_OK && i < np;) {
        size_t j = i;
        bl_head h = { pp[i].key, (uint32_t)(lx->glosses.len / sizeof(uint64_t)), 0 };
        const uint64_t *have = NULL;
        for (; j < np && pp[j].key == pp[i].key; j++) {
            if (h.n == GLOSS_MAX)
                continue;
            have = (const uint64_t *)lx->glosses.data + h.off;
            int dup = 0;
            for (uint32_t x = 0; x < h.n; x++) dup |= have[x] == pp[j].gloss;
            if (dup)
                continue;
            rc = kh_buf_append(&lx->glosses, &pp[j].gloss, sizeof pp[j].gloss);
            h.n++;
        }
        if (rc == KH_OK)
            rc = kh_buf_append(&lx->heads, &h, sizeof h);
        i = j;
    }
    /* words: one text per key */
    size_t nw = L.words.len / sizeof(bl_word);
    bl_word *ww = (bl_word *)L.words.data;
    if (rc == KH_OK && nw)
        qsort(ww, nw, sizeof *ww, cmp_word);
    for (size_t i = 0; rc == KH_OK && i < nw; i++)
        if (i == 0 || ww[i].key != ww[i - 1].key) {
            bl_word w = ww[i];
            w.text = kh_arena_strndup(lx->arena, w.text, strlen(w.text));
            rc = w.text ? kh_buf_append(&lx->words, &w, sizeof w) : KH_E_NOMEM;
        }
    kh_buf_free(&L.pairs);
    kh_buf_free(&L.words);
    kh_arena_free(L.scratch);
    kh_arena_free(L.texts);
    if (rc == KH_OK && lx->heads.len == 0)
        rc = kh_ctx_error(ctx, KH_E_EMPTY, "lexicon: no entries in %s", dir);
    if (rc != KH_OK) {
        kh_bilex_free(lx);
        return rc == KH_E_NOMEM ? kh_ctx_error(ctx, rc, "out of memory") : rc;
    }
    lx->load_seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    *out = lx;
    return KH_OK;
}

void kh_bilex_free(kh_bilex *lx)
{
    if (!lx)
        return;
    kh_buf_free(&lx->heads);
    kh_buf_free(&lx->glosses);
    kh_buf_free(&lx->words);
    kh_arena_free(lx->arena);
    kh_free(lx->ctx, lx, sizeof *lx);
}

size_t kh_bilex_size(const kh_bilex *lx)
{
    return lx ? lx->heads.len / sizeof(bl_head) : 0;
}

double kh_bilex_load_seconds(const kh_bilex *lx)
{
    return lx ? lx->load_seconds : 0;
}

size_t kh_bilex_lookup(const kh_bilex *lx, const char *word, size_t word_len,
                       const char **out, size_t max)
{
    if (!lx || !word || !lx->arena)
        return 0;
    kh_arena *a = NULL;
    if (kh_arena_create(lx->ctx, &a) != KH_OK)
        return 0;
    khi_word *w = NULL;
    size_t n = 0, m = 0;
    if (khi_words(a, word, word_len, &w, &n) == KH_OK && n == 1) {
        const uint64_t *g = NULL;
        size_t ng = khi_bilex_glosses(lx, &w[0], &g);
        for (size_t i = 0; i < ng && m < max; i++) {
            const char *t = khi_bilex_text(lx, g[i]);
            if (t)
                out[m++] = t;
        }
    }
    kh_arena_free(a);
    return m;
}
