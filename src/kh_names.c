/*
 * kh_names.c — the names of documents, with their spans: the account's
 * name finder (kh_entity.c) run over a batch of documents instead of one
 * story, so that `khabar names` and a program can see exactly which words
 * khabar takes for names. This is what name finding is measured on.
 */
#include "kh_account_int.h"

#include <stdio.h>
#include <string.h>

struct kh_places {
    kh_ctx *ctx;
    kh_arena *arena;
    const char **names;
    size_t n;
};

static uint32_t mo_u32(const unsigned char *p, int swap)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    return swap ? (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24) : v;
}

/* Adds name[0..len) trimmed, when it is a name (not empty, valid UTF-8). */
static kh_status add_place(kh_places *pl, size_t *cap, const char *name, size_t len)
{
    while (len && (name[0] == ' ')) name++, len--;
    while (len && name[len - 1] == ' ') len--;
    size_t bad;
    if (len == 0 || kh_utf8_check(name, len, &bad) != KH_OK) return KH_OK;
    if (pl->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        const char **v = kh_arena_alloc(pl->arena, ncap * sizeof *v);
        if (!v) return KH_E_NOMEM;
        if (pl->n) memcpy(v, pl->names, pl->n * sizeof *v);
        pl->names = v;
        *cap = ncap;
    }
    const char *copy = kh_arena_strndup(pl->arena, name, len);
    if (!copy) return KH_E_NOMEM;
    pl->names[pl->n++] = copy;
    return KH_OK;
}

/* The translations of a .mo catalogue (GNU gettext's format: a header of
 * 32-bit words, then tables of (length, offset) pairs); entry 0, the
 * catalogue's own header, is skipped. */
static kh_status read_mo(kh_places *pl, const unsigned char *m, size_t len, const char *path)
{
    kh_ctx *ctx = pl->ctx;
    if (len < 28) return kh_ctx_error(ctx, KH_E_FORMAT, "%s: not a .mo catalogue", path);
    uint32_t magic = mo_u32(m, 0);
    int swap = magic == 0xde120495u;
    if (magic != 0x950412deu && !swap)
        return kh_ctx_error(ctx, KH_E_FORMAT, "%s: not a .mo catalogue", path);
    uint32_t n = mo_u32(m + 8, swap), trans = mo_u32(m + 16, swap);
    if (trans > len || n > (len - trans) / 8)
        return kh_ctx_error(ctx, KH_E_FORMAT, "%s: .mo table past the end of the file", path);
    size_t cap = 0;
    for (uint32_t i = 1; i < n; i++) {
        uint32_t l = mo_u32(m + trans + 8 * (size_t)i, swap);
        uint32_t off = mo_u32(m + trans + 8 * (size_t)i + 4, swap);
        if (off > len || l > len - off)
            return kh_ctx_error(ctx, KH_E_FORMAT, "%s: .mo string %u past the end of the file",
                             path, (unsigned)i);
        const char *t = (const char *)m + off;
        l = (uint32_t)strnlen(t, l); /* plural forms follow a NUL */
        KHI_FORWARD_IF_ERROR(add_place(pl, &cap, t, l));
        /* "إيران، الجمهورية الإسلامية": the short name before the comma */
        for (uint32_t k = 0; k < l; k++) {
            size_t cl = (unsigned char)t[k] == 0xD8 && k + 1 < l && (unsigned char)t[k + 1] == 0x8C
                            ? 2
                            : t[k] == ',' || t[k] == '(' ? 1 : 0;
            if (cl) {
                KHI_FORWARD_IF_ERROR(add_place(pl, &cap, t, k));
                break;
            }
        }
    }
    return KH_OK;
}

kh_status kh_places_load(kh_ctx *ctx, const char *path, kh_places **out)
{
    KHI_RETURN_IF(!ctx || !out, KH_E_ARG);
    *out = NULL;
    if (!path) path = KH_PLACES_DEFAULT;
    FILE *f = fopen(path, "rb");
    if (!f) return kh_ctx_error(ctx, KH_E_IO, "%s: cannot open", path);
    kh_buf data;
    kh_buf_init(&data, ctx, (size_t)16 << 20);
    kh_status rc = KH_OK;
    char chunk[65536];
    size_t got;
    while (rc == KH_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = kh_buf_append(&data, chunk, got);
    if (rc == KH_OK && ferror(f)) rc = kh_ctx_error(ctx, KH_E_IO, "%s: read error", path);
    else if (rc == KH_E_TOOBIG) rc = kh_ctx_error(ctx, KH_E_FORMAT, "%s: over 16 MiB", path);
    fclose(f);
    kh_places *pl = NULL;
    if (rc == KH_OK && !(pl = kh_malloc(ctx, sizeof *pl))) rc = KH_E_NOMEM;
    if (pl) {
        memset(pl, 0, sizeof *pl);
        pl->ctx = ctx;
        rc = kh_arena_create(ctx, &pl->arena);
    }
    if (rc == KH_OK)
        rc = read_mo(pl, (const unsigned char *)(data.data ? data.data : ""), data.len, path);
    kh_buf_free(&data);
    if (rc != KH_OK) {
        kh_places_free(pl);
        return rc;
    }
    *out = pl;
    return KH_OK;
}

void kh_places_free(kh_places *places)
{
    if (!places) return;
    kh_arena_free(places->arena);
    kh_free(places->ctx, places, sizeof *places);
}

size_t kh_places_count(const kh_places *places)
{
    return places ? places->n : 0;
}

/* Code points in s[0..len): every byte that does not continue a sequence. */
static size_t cp_len(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

kh_status kh_names_find(kh_ctx *ctx, const kh_places *places, kh_names_doc *docs, size_t n_docs,
                        kh_arena *arena)
{
    KHI_RETURN_IF(!ctx || !arena || (n_docs && !docs), KH_E_ARG);
    for (size_t d = 0; d < n_docs; d++) {
        KHI_RETURN_IF(!docs[d].text && docs[d].text_len, KH_E_ARG);
        docs[d].names = NULL;
        docs[d].n_names = 0;
    }
    if (n_docs == 0) return KH_OK;
    kh_arena *tmp;
    KHI_FORWARD_IF_ERROR(kh_arena_create(ctx, &tmp));
    kh_status rc = KH_OK;
    khi_wordlists lists;
    khi_article_texts *texts = kh_arena_alloc(tmp, n_docs * sizeof *texts);
    size_t n_words = 0;
    if (!texts) rc = KH_E_NOMEM;
    if (rc == KH_OK) rc = khi_wordlists_init(&lists, tmp);
    for (size_t d = 0; rc == KH_OK && d < n_docs; d++) {
        texts[d].n_texts = 2;
        texts[d].texts = kh_arena_alloc(tmp, 2 * sizeof *texts[d].texts);
        if (!texts[d].texts) {
            rc = KH_E_NOMEM;
            break;
        }
        for (size_t k = 0; rc == KH_OK && k < 2; k++) {
            khi_text *x = &texts[d].texts[k];
            x->text = k == 0 ? docs[d].title : docs[d].text ? docs[d].text : "";
            x->text_len = x->text ? (k == 0 ? strlen(x->text) : docs[d].text_len) : 0;
            x->words = NULL;
            x->n_words = 0;
            if (x->text) rc = khi_words(tmp, x->text, x->text_len, &x->words, &x->n_words);
            n_words += x->n_words;
        }
    }
    khi_lexicon lex;
    if (rc == KH_OK) rc = khi_lexicon_init(&lex, &lists, tmp, n_words);
    for (size_t d = 0; rc == KH_OK && d < n_docs; d++)
        for (size_t k = 0; rc == KH_OK && k < 2; k++)
            rc = khi_lexicon_add(&lex, texts[d].texts[k].words, texts[d].texts[k].n_words);
    khi_name_hit *hits = NULL;
    size_t n_hits = 0;
    if (rc == KH_OK) rc = khi_name_spans(tmp, tmp, texts, n_docs, places ? places->names : NULL,
                                        kh_places_count(places), &hits, &n_hits);

    /* hits come in document order, title before text, each in text order */
    kh_name *names = NULL;
    if (rc == KH_OK && n_hits && !(names = kh_arena_alloc(arena, n_hits * sizeof *names)))
        rc = KH_E_NOMEM;
    for (size_t i = 0; rc == KH_OK && i < n_hits;) {
        size_t d = hits[i].article;
        kh_names_doc *doc = &docs[d];
        doc->names = &names[i];
        /* the text's offsets follow the title and its "\n" */
        size_t title_bytes = doc->title ? strlen(doc->title) + 1 : 0;
        size_t title_cps = doc->title ? cp_len(doc->title, title_bytes - 1) + 1 : 0;
        size_t at_byte = 0, at_cp = 0, at_text = SIZE_MAX;
        for (; i < n_hits && hits[i].article == d; i++) {
            const khi_name_hit *h = &hits[i];
            const char *t = texts[d].texts[h->text].text;
            if (h->text != at_text) {
                at_text = h->text;
                at_byte = 0;
                at_cp = 0;
            }
            size_t base_b = h->text == 1 ? title_bytes : 0;
            size_t base_c = h->text == 1 ? title_cps : 0;
            at_cp += cp_len(t + at_byte, h->start - at_byte);
            at_byte = h->start;
            kh_name *nm = &names[i];
            nm->byte_start = base_b + h->start;
            nm->byte_end = base_b + h->end;
            nm->start = base_c + at_cp;
            nm->end = nm->start + cp_len(t + h->start, h->end - h->start);
            nm->kind = h->kind;
            nm->group = h->group;
            doc->n_names++;
        }
    }
    kh_arena_free(tmp);
    return rc;
}
