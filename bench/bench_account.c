/*
 * bench_account.c — how long an account takes, by story size: consecutive
 * real Arabic articles of ../shared/corpora/saudinewsnet are taken as
 * stories of 5, 20 and 100 articles (not real stories: the worst case for
 * names and numbers, which stay unmerged), and each is built several times.
 * Rows: row<TAB>account<TAB>metric<TAB>value<TAB>unit<TAB>note.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "khabar.h"

#define CORPUS "../shared/corpora/saudinewsnet/articles.jsonl.gz"
#define MAX_ARTS 100

typedef struct art {
    char *id, *title, *date, *source, *text;
    const char *paras[256];
    size_t n_paras;
} art;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *dupstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? strdup(s) : NULL;
}

int main(void)
{
    gzFile f = gzopen(CORPUS, "rb");
    if (!f) {
        printf("bench_account: %s absent, nothing measured\n", CORPUS);
        return 0;
    }
    static art arts[MAX_ARTS];
    static char line[1 << 20];
    size_t n = 0, bytes = 0;
    while (n < MAX_ARTS && gzgets(f, line, sizeof line)) {
        json_t *o = json_loads(line, 0, NULL);
        if (!o) continue;
        art *a = &arts[n];
        a->id = dupstr(o, "id");
        a->title = dupstr(o, "title");
        a->date = dupstr(o, "date");
        a->source = dupstr(o, "source");
        a->text = dupstr(o, "text");
        json_decref(o);
        if (!a->id || !a->text) continue;
        bytes += strlen(a->text);
        for (char *p = strtok(a->text, "\n"); p && a->n_paras < 256; p = strtok(NULL, "\n"))
            a->paras[a->n_paras++] = p;
        n++;
    }
    gzclose(f);
    kh_account_article in[MAX_ARTS];
    for (size_t i = 0; i < n; i++) {
        in[i] = (kh_account_article){ arts[i].id, arts[i].source, arts[i].date, arts[i].title,
                                      arts[i].paras, arts[i].n_paras, KH_LANG_AR, NULL };
    }
    kh_ctx *ctx;
    kh_tokenizer *tok;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_tokenizer_create(ctx, &tok) != KH_OK) return 1;
    static const size_t sizes[] = { 5, 20, 100 };
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t k = sizes[s];
        if (k > n) break;
        int reps = k <= 5 ? 40 : k <= 20 ? 10 : 3;
        size_t ents = 0;
        double t0 = now();
        for (int r = 0; r < reps; r++) {
            for (size_t start = 0; start + k <= n && start < 20; start += k) {
                kh_account *acc;
                if (kh_account_build(ctx, tok, in + start, k, NULL, &acc) != KH_OK) {
                    fprintf(stderr, "bench_account: %s\n", kh_errmsg(ctx));
                    return 1;
                }
                ents += acc->n_entities;
                kh_account_free(acc);
            }
        }
        size_t per_rep = 0;
        for (size_t start = 0; start + k <= n && start < 20; start += k) per_rep++;
        double ms = (now() - t0) * 1000.0 / (double)(reps * per_rep);
        printf("row\taccount\tbuild_%zu_articles\t%.2f\tms\tone account of %zu consecutive corpus articles (%zu entities in all runs)\n",
               k, ms, k, ents);
    }
    printf("row\taccount\tcorpus_bytes_read\t%zu\tbytes\tbody text of the %zu articles\n", bytes, n);
    kh_tokenizer_free(tok);
    kh_ctx_free(ctx);
    for (size_t i = 0; i < n; i++) {
        free(arts[i].id); free(arts[i].title); free(arts[i].date); free(arts[i].source);
        free(arts[i].text);
    }
    return 0;
}
