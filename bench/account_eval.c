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

int main(void)
{
    json_error_t err;
    json_t *truth = json_load_file(TRUTH, 0, &err);
    if (!truth) {
        fprintf(stderr, "account_eval: %s: %s\n", TRUTH, err.text);
        return 1;
    }
    json_t *docs = json_object_get(truth, "documents");
    json_t *stories = json_object_get(truth, "stories");
    kh_ctx *ctx;
    kh_tokenizer *tok;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_tokenizer_create(ctx, &tok) != KH_OK) return 1;

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
                return 1;
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
    printf("row\taccount\tentity_precision\t%.3f\tratio\t%zu of %zu output entities name a truth entity (lower bound)\n",
           out_total ? (double)out_ok / (double)out_total : 0.0, out_ok, out_total);
    printf("row\taccount\tentity_recall\t%.3f\tratio\t%zu of %zu truth entities found\n",
           truth_total ? (double)truth_found / (double)truth_total : 0.0, truth_found, truth_total);
    printf("row\taccount\tentity_splits\t%zu\tcount\ttruth entities spread over more than one output entity (extra pieces)\n",
           split);
    printf("row\taccount\tdisagreements_found\t%zu\tcount\tof %zu in the truth, every value present\n",
           dis_found, dis_truth);
    printf("row\taccount\tdisagreements_exact\t%zu\tcount\tof %zu reported, values and documents as in the truth\n",
           dis_ok, dis_out);
    printf("row\taccount\tdisagreement_documents\t%.3f\tratio\t%zu of %zu (value, document) pairs of the truth reported\n",
           pair_truth ? (double)pair_ok / (double)pair_truth : 0.0, pair_ok, pair_truth);
    printf("row\taccount\tsummary_sentences\t%zu\tcount\tacross the stories of two or more articles\n",
           sum_total);
    free(keys);
    kh_tokenizer_free(tok);
    kh_ctx_free(ctx);
    json_decref(truth);
    return 0;
}
