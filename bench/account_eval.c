/*
 * account_eval.c — the account's quality on the examples' truth: entity
 * precision and recall, variants split across entities, the disagreements
 * found, and the summary's shape, per story and in total.
 *
 * Reads examples/truth.json (documents grouped by their true story, bodies
 * and titles as the truth gives them) and builds one account per story of
 * two or more articles. Rows: row<TAB>account<TAB>metric<TAB>value<TAB>unit<TAB>note.
 *
 * An output entity is correct when one of its written forms equals, or is a
 * variant by kh_name_variants() of, a name or variant of a truth entity of
 * that story. The truth lists each story's key names only, so precision
 * against it is a lower bound; the log lists every entity to judge by eye.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "khabar.h"

#define TRUTH "examples/truth.json"
#define CORPUS "examples/corpus"
#define MAX_DOCS 4096

static int same_name(const char *a, const char *b)
{
    return strcmp(a, b) == 0 || kh_name_variants(a, strlen(a), b, strlen(b));
}

/* Does output entity e name truth entity t? */
static int names(const kh_account_entity *e, json_t *t)
{
    const char *name = json_string_value(json_object_get(t, "name"));
    json_t *vars = json_object_get(t, "variants");
    for (size_t i = 0; i < e->n_variants; i++) {
        if (same_name(e->variants[i], name)) return 1;
        for (size_t k = 0; k < json_array_size(vars); k++)
            if (same_name(e->variants[i], json_string_value(json_array_get(vars, k)))) return 1;
    }
    return 0;
}

static const char *doc_key(json_t *d, char *buf, size_t cap)
{
    const char *id = json_string_value(json_object_get(d, "id"));
    if (id) return id;
    const char *file = json_string_value(json_object_get(d, "file"));
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    snprintf(buf, cap, "%s", base);
    char *dot = strrchr(buf, '.');
    if (dot) *dot = '\0';
    return buf;
}

typedef struct cleaned_set {
    char (*key)[256];
    const kh_article **art;
    kh_doc **doc;
    size_t n;
} cleaned_set;

/* Reads and cleans every file of the corpus; keys as the truth's doc_key. */
static int clean_corpus(kh_ctx *ctx, cleaned_set *cs)
{
    const char *paths[] = { CORPUS };
    kh_reader *r;
    kh_cleaner *cl;
    memset(cs, 0, sizeof *cs);
    if (kh_reader_open(ctx, paths, 1, &r) != KH_OK) return -1;
    if (kh_cleaner_create(ctx, 0, &cl) != KH_OK) return -1;
    cs->key = calloc(MAX_DOCS, sizeof *cs->key);
    cs->art = calloc(MAX_DOCS, sizeof *cs->art);
    cs->doc = calloc(MAX_DOCS, sizeof *cs->doc);
    for (;;) {
        kh_doc *d;
        if (kh_reader_next(r, &d) != KH_OK) continue;
        if (!d || cs->n == MAX_DOCS) { kh_doc_free(d); break; }
        cs->doc[cs->n++] = d;
    }
    kh_reader_free(r);
    for (size_t i = 0; i < cs->n; i++) kh_cleaner_observe(cl, cs->doc[i]);
    for (size_t i = 0; i < cs->n; i++) {
        kh_doc *d = cs->doc[i];
        if (kh_clean_doc(cl, d, &cs->art[i]) != KH_OK) cs->art[i] = NULL;
        /* JSONL and WARC records by id, files by base name without extension */
        if (d->format == KH_FORMAT_JSONL || d->format == KH_FORMAT_WARC) {
            snprintf(cs->key[i], sizeof cs->key[i], "%s", d->id);
        } else {
            const char *base = strrchr(d->file, '/');
            snprintf(cs->key[i], sizeof cs->key[i], "%s", base ? base + 1 : d->file);
            char *dot = strrchr(cs->key[i], '.');
            if (dot) *dot = '\0';
        }
    }
    kh_cleaner_free(cl);
    return 0;
}

/* One pass over the stories: bodies from the truth (cleaned == NULL) or as
 * the cleaner found them. Rows are named with prefix. */
static void run_mode(kh_ctx *ctx, kh_tokenizer *tok, json_t *truth, const cleaned_set *cleaned,
                     const char *prefix)
{
    json_t *docs = json_object_get(truth, "documents");
    json_t *stories = json_object_get(truth, "stories");
    size_t out_total = 0, out_ok = 0, truth_total = 0, truth_found = 0, split = 0;
    size_t dis_truth = 0, dis_found = 0, dis_out = 0, dis_ok = 0, sum_total = 0;
    size_t pair_truth = 0, pair_ok = 0; /* (value, document) pairs of the truth's disagreements */
    size_t n_docs = json_array_size(docs);
    char (*keys)[256] = calloc(n_docs, sizeof *keys);
    for (size_t si = 0; si < json_array_size(stories); si++) {
        json_t *st = json_array_get(stories, si);
        json_int_t sid = json_integer_value(json_object_get(st, "story"));
        kh_account_article *arts = calloc(n_docs, sizeof *arts);
        const char ***bodies = calloc(n_docs, sizeof *bodies);
        size_t n = 0;
        for (size_t i = 0; i < n_docs; i++) {
            json_t *d = json_array_get(docs, i);
            if (json_integer_value(json_object_get(d, "story")) != sid) continue;
            json_t *body = json_object_get(d, "body");
            bodies[n] = calloc(json_array_size(body) + 1, sizeof **bodies);
            for (size_t k = 0; k < json_array_size(body); k++)
                bodies[n][k] = json_string_value(json_array_get(body, k));
            kh_account_article *a = &arts[n];
            a->id = doc_key(d, keys[n], sizeof keys[n]);
            if (cleaned) {
                /* the article as the cleaner found it in the file */
                const kh_article *c = NULL;
                for (size_t q = 0; q < cleaned->n && !c; q++)
                    if (strcmp(cleaned->key[q], a->id) == 0) c = cleaned->art[q];
                if (!c || c->n_body == 0) continue;
                a->source = c->source;
                a->date = c->date;
                a->title = c->title;
                a->body = c->body;
                a->n_body = c->n_body;
                a->lang = c->lang;
                n++;
                continue;
            }
            a->source = json_string_value(json_object_get(d, "source"));
            a->date = json_string_value(json_object_get(d, "date"));
            a->title = json_string_value(json_object_get(d, "title"));
            a->body = bodies[n];
            a->n_body = json_array_size(body);
            a->lang = kh_lang_from_code(json_string_value(json_object_get(d, "lang")));
            a->copy_of = json_string_value(json_object_get(d, "copy_of"));
            n++;
        }
        if (n >= 2) {
            kh_account *acc;
            if (kh_account_build(ctx, tok, arts, n, NULL, &acc) != KH_OK) {
                fprintf(stderr, "account_eval: story %lld: %s\n", (long long)sid, kh_errmsg(ctx));
                return;
            }
            json_t *tents = json_object_get(st, "entities");
            printf("story %lld: %zu articles, headline: %s\n", (long long)sid, n, acc->headline);
            for (size_t e = 0; e < acc->n_entities; e++) {
                int ok = 0;
                for (size_t t = 0; t < json_array_size(tents); t++)
                    ok |= names(&acc->entities[e], json_array_get(tents, t));
                out_total++;
                out_ok += ok;
                printf("  %s %-8s %zu art: ", ok ? "ok " : " ? ",
                       kh_entity_kind_name(acc->entities[e].kind), acc->entities[e].n_articles);
                for (size_t v = 0; v < acc->entities[e].n_variants; v++)
                    printf("%s%s", v ? " / " : "", acc->entities[e].variants[v]);
                printf("\n");
            }
            for (size_t t = 0; t < json_array_size(tents); t++) {
                size_t hits = 0;
                for (size_t e = 0; e < acc->n_entities; e++)
                    hits += names(&acc->entities[e], json_array_get(tents, t));
                truth_total++;
                truth_found += hits > 0;
                split += hits > 1 ? hits - 1 : 0;
                if (!hits)
                    printf("  missed: %s\n",
                           json_string_value(json_object_get(json_array_get(tents, t), "name")));
            }
            /* disagreements: each truth one found with the same value groups */
            json_t *tdis = json_object_get(st, "disagreements");
            dis_out += acc->n_disagreements;
            for (size_t x = 0; x < acc->n_disagreements; x++) {
                const kh_account_disagreement *d = &acc->disagreements[x];
                printf("  disagreement about %s:", d->about);
                for (size_t v = 0; v < d->n_values; v++) {
                    printf(" %g [", d->values[v].value);
                    for (size_t k = 0; k < d->values[v].n_articles; k++)
                        printf("%s%s", k ? " " : "", acc->ids[d->values[v].articles[k]]);
                    printf("]");
                }
                printf("\n");
                /* correct when each of its values is a truth value with the same documents */
                int ok = json_array_size(tdis) > 0;
                for (size_t v = 0; v < d->n_values && ok; v++) {
                    char num[32];
                    snprintf(num, sizeof num, "%g", d->values[v].value);
                    json_t *ids = NULL;
                    for (size_t t = 0; t < json_array_size(tdis) && !ids; t++)
                        ids = json_object_get(json_object_get(json_array_get(tdis, t), "values"), num);
                    ok = ids && json_array_size(ids) == d->values[v].n_articles;
                    for (size_t k = 0; ok && k < d->values[v].n_articles; k++) {
                        int in = 0;
                        for (size_t q = 0; q < json_array_size(ids); q++)
                            in |= strcmp(json_string_value(json_array_get(ids, q)),
                                         acc->ids[d->values[v].articles[k]]) == 0;
                        ok = in;
                    }
                }
                dis_ok += ok;
            }
            for (size_t t = 0; t < json_array_size(tdis); t++) {
                dis_truth++;
                json_t *vals = json_object_get(json_array_get(tdis, t), "values");
                const char *k1;
                json_t *v1;
                int all = 1;
                json_object_foreach(vals, k1, v1) {
                    for (size_t q = 0; q < json_array_size(v1); q++) {
                        const char *doc = json_string_value(json_array_get(v1, q));
                        int hit = 0;
                        for (size_t x = 0; x < acc->n_disagreements; x++)
                            for (size_t v = 0; v < acc->disagreements[x].n_values; v++) {
                                const kh_account_value *av = &acc->disagreements[x].values[v];
                                if (av->value != atof(k1)) continue;
                                for (size_t a = 0; a < av->n_articles; a++)
                                    hit |= strcmp(acc->ids[av->articles[a]], doc) == 0;
                            }
                        pair_truth++;
                        pair_ok += hit;
                    }
                    int seen = 0;
                    for (size_t x = 0; x < acc->n_disagreements; x++)
                        for (size_t v = 0; v < acc->disagreements[x].n_values; v++)
                            seen |= acc->disagreements[x].values[v].value == atof(k1);
                    all &= seen;
                }
                dis_found += all;
            }
            sum_total += acc->n_summary;
            for (size_t s = 0; s < acc->n_summary; s++)
                printf("  - %s\n", acc->summary[s].text);
            kh_account_free(acc);
        }
        for (size_t i = 0; i < n; i++) free(bodies[i]);
        free(bodies);
        free(arts);
    }
    printf("row\taccount\t%sentity_precision\t%.3f\tratio\t%zu of %zu output entities name a truth entity (lower bound)\n", prefix,
           out_total ? (double)out_ok / (double)out_total : 0.0, out_ok, out_total);
    printf("row\taccount\t%sentity_recall\t%.3f\tratio\t%zu of %zu truth entities found\n", prefix,
           truth_total ? (double)truth_found / (double)truth_total : 0.0, truth_found, truth_total);
    printf("row\taccount\t%sentity_splits\t%zu\tcount\ttruth entities spread over more than one output entity (extra pieces)\n", prefix,
           split);
    printf("row\taccount\t%sdisagreements_found\t%zu\tcount\tof %zu in the truth, every value present\n", prefix,
           dis_found, dis_truth);
    printf("row\taccount\t%sdisagreements_exact\t%zu\tcount\tof %zu reported, values and documents as in the truth\n", prefix,
           dis_ok, dis_out);
    printf("row\taccount\t%sdisagreement_documents\t%.3f\tratio\t%zu of %zu (value, document) pairs of the truth reported\n", prefix,
           pair_truth ? (double)pair_ok / (double)pair_truth : 0.0, pair_ok, pair_truth);
    printf("row\taccount\t%ssummary_sentences\t%zu\tcount\tacross the stories of two or more articles\n", prefix,
           sum_total);
    free(keys);
}

int main(void)
{
    json_error_t err;
    json_t *truth = json_load_file(TRUTH, 0, &err);
    if (!truth) {
        fprintf(stderr, "account_eval: %s: %s\n", TRUTH, err.text);
        return 1;
    }
    kh_ctx *ctx;
    kh_tokenizer *tok;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_tokenizer_create(ctx, &tok) != KH_OK) return 1;
    printf("== bodies from the truth\n");
    run_mode(ctx, tok, truth, NULL, "");
    cleaned_set cs;
    if (clean_corpus(ctx, &cs) == 0) {
        printf("== bodies read and cleaned from %s\n", CORPUS);
        run_mode(ctx, tok, truth, &cs, "pipeline_");
        for (size_t i = 0; i < cs.n; i++) kh_doc_free(cs.doc[i]);
        free(cs.key);
        free(cs.art);
        free(cs.doc);
    }
    kh_tokenizer_free(tok);
    kh_ctx_free(ctx);
    json_decref(truth);
    return 0;
}
