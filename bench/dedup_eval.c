/*
 * dedup_eval.c — quality of copy grouping and of naming the original, on
 * the syndication generator with partial copies, fed as text and as pages.
 *
 *   dedup_eval [-n DOCS] [--no-contain]         generate (seed 42) and score
 *   dedup_eval [--no-contain] OUT.jsonl TRUTH.tsv   score given files
 *
 * With no files it runs build/bench/gen_syndication -x (teasers, trimmed
 * copies, follow-ups, wire originals) twice into bench/out/, once as text
 * and once as pages (-p), DOCS documents each (default 20000), and scores
 * `kh_dedup` on both. Scores, against TRUTH.tsv (id, base, original):
 *   pairwise precision / recall / F1 (a pair: two documents in one group);
 *   B-cubed precision / recall / F1 (per document: the share of its
 *     predicted group that is truly its group, and the reverse);
 *   the largest predicted group, the largest true group, and the largest
 *     ratio of a predicted group to the largest true group among its members;
 *   the largest group of documents whose body is "no body";
 *   original named right: over predicted groups of two or more that hold
 *     their true original, the share whose original (kh_dedup_original)
 *     is that original.
 */
#include "bench_util.h"

#include <unistd.h>

typedef struct { uint32_t pred, truth; } pt;

static int cmp_pt(const void *a, const void *b)
{
    const pt *x = a, *y = b;
    if (x->pred != y->pred) return x->pred < y->pred ? -1 : 1;
    if (x->truth != y->truth) return x->truth < y->truth ? -1 : 1;
    return 0;
}

static double c2(double n) { return n * (n - 1) / 2; }

static int score(const char *jsonl, const char *truth_path, const char *label, int contain)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    o.threads = 2;
    if (!contain)
        o.containment = 0;
    kh_deduper *dd;
    if (kh_dedup_create(ctx, &o, &dd) != KH_OK)
        return 1;
    const char *paths[1] = { jsonl };
    kh_reader *rd;
    if (kh_reader_open(ctx, paths, 1, &rd) != KH_OK) {
        fprintf(stderr, "dedup_eval: %s\n", kh_errmsg(ctx));
        return 1;
    }
    double c0 = bench_cpu();
    for (;;) {
        kh_doc *doc;
        if (kh_reader_next(rd, &doc) != KH_OK) {
            fprintf(stderr, "dedup_eval: %s\n", kh_errmsg(ctx));
            continue;
        }
        if (!doc)
            break;
        if (kh_dedup_add_doc(dd, doc) != KH_OK) {
            fprintf(stderr, "dedup_eval: %s\n", kh_errmsg(ctx));
            return 1;
        }
        kh_doc_free(doc);
    }
    kh_reader_free(rd);
    if (kh_dedup_run(dd) != KH_OK) {
        fprintf(stderr, "dedup_eval: %s\n", kh_errmsg(ctx));
        return 1;
    }
    double cpu = bench_cpu() - c0;
    size_t n = kh_dedup_count(dd);
    uint32_t *truth = malloc(n * sizeof *truth);
    uint8_t *orig = malloc(n);
    FILE *tf = fopen(truth_path, "rb");
    char id[128];
    unsigned long base;
    int is_orig;
    size_t i = 0, max_base = 0;
    while (i < n && tf && fscanf(tf, "%127s %lu %d", id, &base, &is_orig) == 3) {
        if (strcmp(id, kh_dedup_id(dd, i)) != 0) {
            fprintf(stderr, "dedup_eval: truth out of step at %zu\n", i);
            return 1;
        }
        truth[i] = (uint32_t)base;
        orig[i++] = (uint8_t)is_orig;
        if (base > max_base)
            max_base = base;
    }
    if (tf)
        fclose(tf);
    if (i != n) {
        fprintf(stderr, "dedup_eval: truth has %zu of %zu documents\n", i, n);
        return 1;
    }
    uint32_t *tsize = calloc(max_base + 1, sizeof *tsize);
    uint32_t *psize = calloc(n, sizeof *psize), *pmax_t = calloc(n, sizeof *pmax_t);
    uint32_t *nobody = calloc(n, sizeof *nobody);
    pt *v = malloc(n * sizeof *v);
    for (i = 0; i < n; i++) {
        tsize[truth[i]]++;
        psize[kh_dedup_group(dd, i)]++;
    }
    double true_pairs = 0, pred_pairs = 0, tp = 0, worst = 0;
    size_t largest_t = 0, largest_p = 0, largest_nobody = 0;
    for (i = 0; i <= max_base; i++) {
        true_pairs += c2(tsize[i]);
        if (tsize[i] > largest_t)
            largest_t = tsize[i];
    }
    for (i = 0; i < n; i++) {
        size_t g = kh_dedup_group(dd, i);
        pred_pairs += c2(psize[i]);
        if (psize[i] > largest_p)
            largest_p = psize[i];
        if (tsize[truth[i]] > pmax_t[g])
            pmax_t[g] = tsize[truth[i]];
        if (kh_dedup_relation_of(dd, i) == KH_DEDUP_NO_BODY && ++nobody[g] > largest_nobody)
            largest_nobody = nobody[g];
        v[i].pred = (uint32_t)g;
        v[i].truth = truth[i];
    }
    for (i = 0; i < n; i++)
        if (psize[i] >= 2 && (double)psize[i] / pmax_t[i] > worst)
            worst = (double)psize[i] / pmax_t[i];
    qsort(v, n, sizeof *v, cmp_pt);
    double bp = 0, br = 0;
    for (size_t lo = 0; lo < n;) {
        size_t hi = lo + 1;
        while (hi < n && v[hi].pred == v[lo].pred && v[hi].truth == v[lo].truth)
            hi++;
        double k = (double)(hi - lo);
        tp += c2(k);
        bp += k * k / psize[v[lo].pred];
        br += k * k / tsize[v[lo].truth];
        lo = hi;
    }
    bp /= (double)n;
    br /= (double)n;
    /* Original named: groups of two or more holding their true original. */
    size_t with_orig = 0, right = 0;
    for (i = 0; i < n; i++) {
        if (!orig[i])
            continue;
        size_t g = kh_dedup_group(dd, i);
        if (psize[g] < 2)
            continue;
        /* the group's majority truth must be this base: count only when the
         * representative's base is i's */
        if (truth[g] != truth[i] && !orig[g])
            continue;
        with_orig++;
        right += kh_dedup_original(dd, i) == i;
    }
    double prec = pred_pairs ? tp / pred_pairs : 1, rec = true_pairs ? tp / true_pairs : 1;
    double f1 = prec + rec ? 2 * prec * rec / (prec + rec) : 0;
    double bf1 = bp + br ? 2 * bp * br / (bp + br) : 0;
    kh_dedup_stats st;
    kh_dedup_stats_get(dd, &st);
    printf("row\tdedup_eval\tprecision_%s\t%.4f\tratio\tpairwise, %zu docs\n", label, prec, n);
    printf("row\tdedup_eval\trecall_%s\t%.4f\tratio\tpairwise\n", label, rec);
    printf("row\tdedup_eval\tF1_%s\t%.4f\tratio\tpairwise\n", label, f1);
    printf("row\tdedup_eval\tbcubed_F1_%s\t%.4f\tratio\tP %.4f R %.4f\n", label, bf1, bp, br);
    printf("row\tdedup_eval\tlargest_group_%s\t%zu\tdocs\tlargest true group %zu, worst ratio %.2f\n",
           label, largest_p, largest_t, worst);
    printf("row\tdedup_eval\tnobody_group_%s\t%zu\tdocs\tlargest group of no-body documents "
           "(%llu no body)\n", label, largest_nobody, (unsigned long long)st.no_body);
    printf("row\tdedup_eval\toriginal_right_%s\t%.4f\tratio\t%zu of %zu groups holding their "
           "original\n", label, with_orig ? (double)right / with_orig : 1, right, with_orig);
    printf("row\tdedup_eval\tcpu_%s\t%.2f\ts\tread, clean, fingerprint, group (%llu near, "
           "%llu contained, %llu exact)\n", label, cpu, (unsigned long long)st.near,
           (unsigned long long)st.contained, (unsigned long long)st.exact_dups);
    fflush(stdout);
    free(truth); free(orig); free(tsize); free(psize); free(pmax_t); free(nobody); free(v);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = 20000;
    int contain = 1, a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
            n = strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--no-contain") == 0)
            contain = 0;
        else {
            fprintf(stderr, "usage: dedup_eval [-n DOCS] [--no-contain] [OUT.jsonl TRUTH.tsv]\n");
            return 2;
        }
    }
    if (argc - a == 2)
        return score(argv[a], argv[a + 1], "given", contain);
    const char *gen = access("build/bench/gen_syndication", X_OK) == 0
                          ? "build/bench/gen_syndication" : "build-san/bench/gen_syndication";
    if (system("mkdir -p bench/out") != 0)
        return 1;
    static const char *const forms[2] = { "text", "pages" };
    int rc = 0;
    for (int f = 0; f < 2 && rc == 0; f++) {
        char cmd[512], out[128], truth[128];
        snprintf(out, sizeof out, "bench/out/eval_%s_%zu.jsonl", forms[f], n);
        snprintf(truth, sizeof truth, "bench/out/eval_%s_%zu.tsv", forms[f], n);
        snprintf(cmd, sizeof cmd, "%s -n %zu -s 42 -x %s %s %s 2>/dev/null", gen, n,
                 f ? "-p" : "", out, truth);
        if (system(cmd) != 0) {
            printf("note\tdedup_eval: cannot generate (no corpus?): %s\n", cmd);
            return 0;
        }
        rc = score(out, truth, forms[f], contain);
    }
    return rc;
}
