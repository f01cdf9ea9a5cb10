/*
 * bench_account.c — how long an account takes, by story size: consecutive
 * real Arabic articles of ../shared/corpora/saudinewsnet are taken as
 * stories of 5, 20 and 100 articles (not real stories: the worst case for
 * names and numbers, which stay unmerged), and each is built several times.
 * Rows: row<TAB>account<TAB>metric<TAB>value<TAB>unit<TAB>note.
 */
#include "bench_util.h"

#define MAX_ARTS 100

int main(void)
{
    bench_corpus c;
    if (bench_corpus_load(&c, BENCH_CORPUS, MAX_ARTS, 0, 0) != 0) {
        printf("bench_account: %s absent, nothing measured\n", BENCH_CORPUS);
        return 0;
    }
    size_t n = c.n, bytes = 0;
    static const char *paras[MAX_ARTS][256];
    kh_account_article in[MAX_ARTS];
    for (size_t i = 0; i < n; i++) {
        bench_article *a = &c.v[i];
        size_t n_paras = 0;
        bytes += a->text_len;
        for (char *p = strtok(a->text, "\n"); p && n_paras < 256; p = strtok(NULL, "\n"))
            paras[i][n_paras++] = p;
        in[i] = (kh_account_article){ a->id, a->source, a->date, a->title,
                                      paras[i], n_paras, KH_LANG_AR, NULL };
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
        double t0 = bench_wall(), c0 = bench_thread_cpu();
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
        double ms = (bench_wall() - t0) * 1000.0 / (double)(reps * per_rep);
        /* CPU time too: on shared cores the wall clock counts the neighbours */
        double cpu_ms = (bench_thread_cpu() - c0) * 1000.0 / (double)(reps * per_rep);
        printf("row\taccount\tbuild_%zu_articles\t%.2f\tms\tone account of %zu consecutive corpus articles (%zu entities in all runs)\n",
               k, ms, k, ents);
        printf("row\taccount\tbuild_%zu_articles_cpu\t%.2f\tms\tthe same, thread CPU time\n", k,
               cpu_ms);
    }
    printf("row\taccount\tcorpus_bytes_read\t%zu\tbytes\tbody text of the %zu articles\n", bytes, n);
    kh_tokenizer_free(tok);
    kh_ctx_free(ctx);
    bench_corpus_free(&c);
    return 0;
}
