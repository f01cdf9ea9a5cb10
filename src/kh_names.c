/*
 * kh_names.c — the names of documents, with their spans: the account's
 * name finder (kh_entity.c) run over a batch of documents instead of one
 * story, so that `khabar names` and a program can see exactly which words
 * khabar takes for names. This is what name finding is measured on.
 */
#include "kh_account_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

struct kh_places {
    kh_ctx *ctx;
    kh_arena *arena;
    const char **names;
    kh_entity_kind *kinds;
    uint64_t *first, *pairs;
    unsigned char *strict;
    size_t n, cap;
};

/* Adds name (trimmed) of kind, when it is a name: not empty, valid UTF-8.
 * strict: a name that may be a plain word too (a province called الشرقية,
 * الوسطى), to be taken only where the texts' evidence allows. */
static kh_status add_place(kh_places *pl, const char *name, kh_entity_kind kind, int strict)
{
    size_t len = strlen(name);
    while (len && (*name == ' ' || *name == '\n' || *name == '\t')) name++, len--;
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\n' || name[len - 1] == '\t')) len--;
    size_t bad;
    if (len == 0 || kh_utf8_check(name, len, &bad) != KH_OK) return KH_OK;
    if (pl->n == pl->cap) {
        size_t ncap = pl->cap ? pl->cap * 2 : 512;
        const char **v = kh_arena_alloc(pl->arena, ncap * sizeof *v);
        kh_entity_kind *k = kh_arena_alloc(pl->arena, ncap * sizeof *k);
        uint64_t *h = kh_arena_alloc(pl->arena, ncap * sizeof *h);
        uint64_t *hp = kh_arena_alloc(pl->arena, ncap * KHI_NAME_PAIRS * sizeof *hp);
        unsigned char *st = kh_arena_alloc(pl->arena, ncap);
        if (!v || !k || !h || !hp || !st) return KH_E_NOMEM;
        if (pl->n) {
            memcpy(v, pl->names, pl->n * sizeof *v);
            memcpy(k, pl->kinds, pl->n * sizeof *k);
            memcpy(h, pl->first, pl->n * sizeof *h);
            memcpy(hp, pl->pairs, pl->n * KHI_NAME_PAIRS * sizeof *hp);
            memcpy(st, pl->strict, pl->n);
        }
        pl->names = v;
        pl->kinds = k;
        pl->first = h;
        pl->pairs = hp;
        pl->strict = st;
        pl->cap = ncap;
    }
    /* read once here, not for every batch of documents */
    uint64_t first = khi_name_word_hash(name, len);
    if (!first) return KH_OK;
    const char *copy = kh_arena_strndup(pl->arena, name, len);
    if (!copy) return KH_E_NOMEM;
    pl->names[pl->n] = copy;
    pl->kinds[pl->n] = kind;
    pl->first[pl->n] = first;
    KHI_FORWARD_IF_ERROR(khi_name_pair_hashes(pl->arena, copy, len, &pl->pairs[pl->n * KHI_NAME_PAIRS]));
    pl->strict[pl->n] = (unsigned char)(strict != 0);
    pl->n++;
    return KH_OK;
}

static int is_element(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Whether an attribute of n is value. */
static int attr_is(const xmlNode *n, const char *attr, const char *value)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    int same = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return same;
}

/* The words that open a subdivision's official name and are dropped in
 * running text: منطقة مكة المكرمة is مكة المكرمة, ولاية بلخ is بلخ. */
static const char *const admin_words[] = {
    "إقليم ", "إمارة ", "امارة ", "بلدية ", "محافظة ", "مديرية ", "مقاطعة ", "منطقة ", "ولاية ",
};

/* A subdivision's name, and without its administrative word; none that
 * explains itself in brackets. */
static kh_status add_subdivision(kh_places *pl, const char *name)
{
    if (strchr(name, '(')) return KH_OK;
    KHI_FORWARD_IF_ERROR(add_place(pl, name, KH_ENTITY_PLACE, 1));
    for (size_t i = 0; i < sizeof admin_words / sizeof admin_words[0]; i++) {
        size_t len = strlen(admin_words[i]);
        if (strncmp(name, admin_words[i], len) == 0)
            return add_place(pl, name + len, KH_ENTITY_PLACE, 1);
    }
    return KH_OK;
}

/* The names of a CLDR locale file: territories (countries, continents,
 * regions) and the exemplar cities of its time zones; of a subdivisions
 * file (common/subdivisions), its provinces, states and their like. Not
 * names: the world (001), the unknown region (ZZ) and the unknown city
 * (Etc/Unknown). The United Nations and the European Union are
 * organizations. */
static kh_status walk_ldml(kh_places *pl, const xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (is_element(n, "zone") && attr_is(n, "type", "Etc/Unknown")) continue;
        if (is_element(n, "subdivision")) {
            xmlChar *text = xmlNodeGetContent(n);
            if (!text) return KH_E_NOMEM;
            kh_status rc = add_subdivision(pl, (const char *)text);
            xmlFree(text);
            KHI_FORWARD_IF_ERROR(rc);
            continue;
        }
        if (is_element(n, "territory") || is_element(n, "exemplarCity")) {
            if (attr_is(n, "type", "001") || attr_is(n, "type", "ZZ")) continue;
            kh_entity_kind kind = attr_is(n, "type", "UN") || attr_is(n, "type", "EU")
                                      ? KH_ENTITY_ORG
                                      : KH_ENTITY_PLACE;
            xmlChar *text = xmlNodeGetContent(n);
            if (!text) return KH_E_NOMEM;
            kh_status rc = add_place(pl, (const char *)text, kind, 0);
            xmlFree(text);
            KHI_FORWARD_IF_ERROR(rc);
            continue;
        }
        KHI_FORWARD_IF_ERROR(walk_ldml(pl, n->children));
    }
    return KH_OK;
}

/* Adds the names of the CLDR file at path. */
static kh_status load_ldml(kh_ctx *ctx, kh_places *pl, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return kh_ctx_error(ctx, KH_E_IO, "%s: cannot open", path);
    fclose(f);
    /* no network, no DTD (CLDR names one by a relative path), no entities */
    xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                              XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !is_element(root, "ldml")) {
        xmlFreeDoc(doc);
        return kh_ctx_error(ctx, KH_E_FORMAT, "%s: not a CLDR locale file (<ldml>)", path);
    }
    kh_status rc = walk_ldml(pl, root);
    xmlFreeDoc(doc);
    return rc;
}

kh_status kh_places_load(kh_ctx *ctx, const char *path, kh_places **out)
{
    KHI_RETURN_IF(!ctx || !out, KH_E_ARG);
    *out = NULL;
    kh_places *pl = kh_malloc(ctx, sizeof *pl);
    kh_status rc = pl ? KH_OK : KH_E_NOMEM;
    if (pl) {
        memset(pl, 0, sizeof *pl);
        pl->ctx = ctx;
        rc = kh_arena_create(ctx, &pl->arena);
    }
    if (rc == KH_OK) rc = load_ldml(ctx, pl, path ? path : KH_PLACES_DEFAULT);
    /* the default's provinces and states too, where they are installed:
     * most capitals and regions the news names (بكين, الدوحة, مكة
     * المكرمة) are no time zone's city */
    if (rc == KH_OK && !path) {
        FILE *f = fopen(KH_SUBDIVISIONS_DEFAULT, "rb");
        if (f) {
            fclose(f);
            rc = load_ldml(ctx, pl, KH_SUBDIVISIONS_DEFAULT);
        }
    }
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
    khi_gazetteer gaz = { 0 };
    if (places) {
        gaz.names = places->names;
        gaz.kinds = places->kinds;
        gaz.first = places->first;
        gaz.pairs = places->pairs;
        gaz.strict = places->strict;
        gaz.n = places->n;
    }
    if (rc == KH_OK)
        rc = khi_name_spans(tmp, tmp, texts, n_docs, places ? &gaz : NULL, &hits, &n_hits);

    /* spellings numbered from 0 in order of first mention */
    if (rc == KH_OK && n_hits) {
        size_t max = 0;
        for (size_t i = 0; i < n_hits; i++)
            if (hits[i].group > max) max = hits[i].group;
        size_t *dense = kh_arena_alloc(tmp, (max + 1) * sizeof *dense);
        if (!dense) rc = KH_E_NOMEM;
        for (size_t g = 0; rc == KH_OK && g <= max; g++) dense[g] = SIZE_MAX;
        for (size_t i = 0, next = 0; rc == KH_OK && i < n_hits; i++) {
            if (dense[hits[i].group] == SIZE_MAX) dense[hits[i].group] = next++;
            hits[i].group = dense[hits[i].group];
        }
    }

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
        size_t title_cps = doc->title ? khi_cp_count(doc->title, title_bytes - 1) + 1 : 0;
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
            at_cp += khi_cp_count(t + at_byte, h->start - at_byte);
            at_byte = h->start;
            kh_name *nm = &names[i];
            nm->byte_start = base_b + h->start;
            nm->byte_end = base_b + h->end;
            nm->start = base_c + at_cp;
            nm->end = nm->start + khi_cp_count(t + h->start, h->end - h->start);
            nm->kind = h->kind;
            nm->group = h->group;
            doc->n_names++;
        }
    }
    kh_arena_free(tmp);
    return rc;
}
