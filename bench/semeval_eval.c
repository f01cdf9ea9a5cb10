/*
 * semeval_eval.c — the story stage on SemEval-2022 Task 8's labelled pairs:
 * real news in five languages, hard negatives by design (same actor or
 * place, another event).
 *
 *   semeval_eval [--khabar PATH] [--shuffles N] [--dump N] [--threshold X]
 *                [--background PATH | --no-df] [DIR]
 *
 * DIR (default ../shared/corpora/semeval2022-dev) holds articles.jsonl
 * ({"id","lang","title","text"}, undated) and pairs.tsv (id1 id2 overall
 * same_story lang_pair, with a header line). Without it: a note, no rows.
 *
 * Two measurements:
 *  - Clustering, as users get it: `khabar stories --format jsonl` on the
 *    article file in its order and on N shuffles of it (fixed seeds); a
 *    pair is "same" when both articles end in one story. Rows per language:
 *    pairwise precision, recall, F1 in file order, and F1's mean, lowest
 *    and highest over the shuffles.
 *  - The pair score alone: kh_story_similarity() of each labelled pair, with
 *    document frequencies from every article of the file; ROC-AUC per
 *    language, and the F1 the score would give at the stage's threshold.
 * --background PATH counts a corpus's articles (kh_story_observe) before the
 * file, --no-df scores each pair with no counts at all: whether the pair
 * score means the same on a few articles and on many.
 * --dump N prints up to N wrong joins and N wrong splits of the file-order
 * run to stderr, with the pair score and the terms they share.
 */
#include "bench_util.h"

#include <jansson.h>
#include <unistd.h>

typedef struct art {
    char *id, *lang, *title, *text;
    long story;
} art;

typedef struct pair {
    size_t a, b;
    int same;
    char lang[8];
    double score;
    kh_story_why why;
} pair;

static art *arts;
static size_t n_arts;
static pair *pairs;
static size_t n_pairs;

static const char *text_of(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

static int read_articles(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0, room = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        json_t *o = json_loadb(line, (size_t)len, 0, NULL);
        if (!o)
            continue;
        if (n_arts == room) {
            room = room ? room * 2 : 1024;
            arts = bench_xrealloc(arts, room * sizeof *arts);
        }
        art *x = &arts[n_arts++];
        x->id = bench_xstrdup(text_of(o, "id"));
        x->lang = bench_xstrdup(text_of(o, "lang"));
        x->title = bench_xstrdup(text_of(o, "title"));
        x->text = bench_xstrdup(text_of(o, "text"));
        x->story = 0;
        json_decref(o);
    }
    free(line);
    fclose(f);
    return 0;
}

static long find_art(const char *id)
{
    for (size_t i = 0; i < n_arts; i++)
        if (strcmp(arts[i].id, id) == 0)
            return (long)i;
    return -1;
}

static int read_pairs(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char a[128], b[128], lp[16];
    double overall;
    int same;
    size_t room = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (sscanf(line, "%127s %127s %lf %d %15s", a, b, &overall, &same, lp) != 5)
            continue; /* the header */
        long ia = find_art(a), ib = find_art(b);
        if (ia < 0 || ib < 0)
            continue;
        if (n_pairs == room) {
            room = room ? room * 2 : 512;
            pairs = bench_xrealloc(pairs, room * sizeof *pairs);
        }
        pair *p = &pairs[n_pairs++];
        memset(p, 0, sizeof *p);
        p->a = (size_t)ia;
        p->b = (size_t)ib;
        p->same = same;
        snprintf(p->lang, sizeof p->lang, "%.2s", lp);
    }
    free(line);
    fclose(f);
    return 0;
}

/* Writes the articles in the order perm gives. */
static int write_articles(const char *path, const size_t *perm)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < n_arts; i++) {
        const art *x = &arts[perm[i]];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", x->id, "lang", x->lang, "title",
                              x->title, "text", x->text);
        char *s = json_dumps(o, JSON_COMPACT);
        fprintf(f, "%s\n", s);
        free(s);
        json_decref(o);
    }
    return fclose(f);
}

/* Runs khabar stories on path; each article learns its story. */
static int run_stories(const char *khabar, const char *path, double threshold)
{
    char qk[4096], qp[4096], cmd[8400];
    bench_shell_quote(qk, sizeof qk, khabar);
    bench_shell_quote(qp, sizeof qp, path);
    if (threshold >= 0)
        snprintf(cmd, sizeof cmd, "%s stories --format jsonl --threshold %g %s", qk, threshold,
                 qp);
    else
        snprintf(cmd, sizeof cmd, "%s stories --format jsonl %s", qk, qp);
    for (size_t i = 0; i < n_arts; i++)
        arts[i].story = 0;
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long n = 0;
    while ((len = getline(&line, &cap, p)) > 0) {
        json_t *o = json_loadb(line, (size_t)len, 0, NULL);
        json_t *list = o ? json_object_get(o, "articles") : NULL;
        n++;
        for (size_t i = 0; json_is_array(list) && i < json_array_size(list); i++) {
            json_t *e = json_array_get(list, i);
            const char *id = json_is_string(e) ? json_string_value(e)
                                               : json_string_value(json_object_get(e, "id"));
            long k = id ? find_art(id) : -1;
            if (k >= 0)
                arts[k].story = n;
        }
        json_decref(o);
    }
    free(line);
    return pclose(p) == 0 ? 0 : -1;
}

static const char *langs[] = { "ar", "en", "es", "fr", "tr", "ALL" };
#define N_LANGS (sizeof langs / sizeof langs[0])

typedef struct prf {
    double p, r, f;
} prf;

static prf pairwise(const char *lang, int by_score, double threshold)
{
    size_t tp = 0, pred = 0, pos = 0;
    for (size_t i = 0; i < n_pairs; i++) {
        const pair *x = &pairs[i];
        if (strcmp(lang, "ALL") != 0 && strcmp(lang, x->lang) != 0)
            continue;
        int same = by_score ? x->score >= threshold
                            : arts[x->a].story && arts[x->a].story == arts[x->b].story;
        pos += x->same != 0;
        pred += same;
        tp += same && x->same;
    }
    prf o = { pred ? (double)tp / pred : 0, pos ? (double)tp / pos : 0, 0 };
    o.f = o.p + o.r > 0 ? 2 * o.p * o.r / (o.p + o.r) : 0;
    return o;
}

/* ROC-AUC: the chance a same-story pair scores above a different one. */
static double auc(const char *lang)
{
    double wins = 0;
    size_t n_pos = 0, n_neg = 0;
    for (size_t i = 0; i < n_pairs; i++) {
        const pair *x = &pairs[i];
        if ((strcmp(lang, "ALL") != 0 && strcmp(lang, x->lang) != 0) || !x->same)
            continue;
        n_pos++;
        for (size_t j = 0; j < n_pairs; j++) {
            const pair *y = &pairs[j];
            if ((strcmp(lang, "ALL") != 0 && strcmp(lang, y->lang) != 0) || y->same)
                continue;
            wins += x->score > y->score ? 1 : x->score == y->score ? 0.5 : 0;
        }
    }
    for (size_t j = 0; j < n_pairs; j++)
        n_neg += !pairs[j].same && (strcmp(lang, "ALL") == 0 || strcmp(lang, pairs[j].lang) == 0);
    return n_pos && n_neg ? wins / ((double)n_pos * n_neg) : 0;
}

/* The best F1 the pair score gives at any threshold, and where. */
static prf best_f1(const char *lang, double *at)
{
    prf best = { 0, 0, 0 };
    *at = 0;
    for (double t = 0.05; t < 0.95; t += 0.01) {
        prf s = pairwise(lang, 1, t);
        if (s.f > best.f) {
            best = s;
            *at = t;
        }
    }
    return best;
}

static void story_article(kh_story_article *sa, const art *x)
{
    memset(sa, 0, sizeof *sa);
    sa->id = x->id;
    sa->lang = kh_lang_from_code(x->lang);
    sa->title = x->title;
    sa->title_len = strlen(x->title);
    sa->text = x->text;
    sa->text_len = strlen(x->text);
}

/* Where the pair score's document frequencies come from: the whole file
 * (the default), the file after a background corpus (--background), or
 * nothing (--no-df: each pair scored by a storyer that has seen no
 * article, as in a stream's first minutes). The score should mean the same
 * whatever the size of what was seen: the threshold is one number. */
static const char *background;
static int no_df;

static int score_pairs(double threshold)
{
    kh_ctx *ctx = NULL;
    kh_storyer *st = NULL;
    kh_story_options o;
    kh_story_options_init(&o);
    if (threshold >= 0)
        o.threshold = threshold;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_storyer_create(ctx, &o, &st) != KH_OK)
        return -1;
    if (background) {
        bench_corpus bg;
        if (bench_corpus_load(&bg, background, 0, 1, 0) != 0)
            return -1;
        for (size_t i = 0; i < bg.n; i++) {
            kh_story_article sa;
            memset(&sa, 0, sizeof sa);
            sa.id = bg.v[i].id;
            sa.title = bg.v[i].title;
            sa.title_len = bg.v[i].title_len;
            sa.text = bg.v[i].text;
            sa.text_len = bg.v[i].text_len;
            kh_story_observe(st, &sa);
        }
        fprintf(stderr, "semeval_eval: %zu background articles observed\n", bg.n);
        bench_corpus_free(&bg);
    }
    /* Document frequencies from the whole file (after a background, the
     * storyer counts only what it is asked to observe). */
    for (size_t i = 0; i < n_arts && !no_df; i++) {
        kh_story_article sa;
        story_article(&sa, &arts[i]);
        if (background)
            kh_story_observe(st, &sa);
        else
            kh_story_add(st, &sa, NULL);
    }
    for (size_t i = 0; i < n_pairs; i++) {
        kh_story_article a, b;
        story_article(&a, &arts[pairs[i].a]);
        story_article(&b, &arts[pairs[i].b]);
        if (kh_story_similarity(st, &a, &b, &pairs[i].why) != KH_OK)
            return -1;
        pairs[i].score = pairs[i].why.score;
    }
    kh_storyer_free(st);
    kh_ctx_free(ctx);
    return 0;
}

static void dump(size_t n)
{
    size_t joins = 0, splits = 0;
    for (size_t i = 0; i < n_pairs; i++) {
        const pair *x = &pairs[i];
        int pred = arts[x->a].story && arts[x->a].story == arts[x->b].story;
        if (pred == x->same || (pred ? joins++ : splits++) >= n)
            continue;
        fprintf(stderr, "%s %s: %s vs %s  score %.3f\n  %.100s\n  %.100s\n  shared:",
                pred ? "WRONG JOIN" : "WRONG SPLIT", x->lang, arts[x->a].id, arts[x->b].id,
                x->score, arts[x->a].title, arts[x->b].title);
        for (size_t k = 0; k < x->why.n_terms; k++)
            fprintf(stderr, " %s(%.3f)", x->why.terms[k].text, x->why.terms[k].share);
        fprintf(stderr, "\n");
    }
}

int main(int argc, char **argv)
{
    const char *khabar = "build/khabar", *dir = "../shared/corpora/semeval2022-dev";
    const char *pairs_out = NULL;
    size_t shuffles = 10, n_dump = 0;
    double threshold = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--khabar") == 0 && i + 1 < argc)
            khabar = argv[++i];
        else if (strcmp(argv[i], "--shuffles") == 0 && i + 1 < argc)
            shuffles = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            n_dump = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--pairs-out") == 0 && i + 1 < argc)
            pairs_out = argv[++i];
        else if (strcmp(argv[i], "--threshold") == 0 && i + 1 < argc)
            threshold = atof(argv[++i]);
        else if (strcmp(argv[i], "--background") == 0 && i + 1 < argc)
            background = argv[++i];
        else if (strcmp(argv[i], "--no-df") == 0)
            no_df = 1;
        else
            dir = argv[i];
    }
    char path[4000], tmp[] = "/tmp/semeval_eval.XXXXXX";
    snprintf(path, sizeof path, "%s/articles.jsonl", dir);
    if (read_articles(path) != 0) {
        printf("semeval_eval: no %s; nothing measured\n", path);
        return 0;
    }
    snprintf(path, sizeof path, "%s/pairs.tsv", dir);
    if (read_pairs(path) != 0 || !n_pairs) {
        printf("semeval_eval: no pairs in %s; nothing measured\n", path);
        return 0;
    }
    if (score_pairs(threshold) != 0) {
        fprintf(stderr, "semeval_eval: scoring pairs failed\n");
        return 1;
    }
    if (pairs_out) {
        FILE *f = fopen(pairs_out, "w");
        for (size_t i = 0; f && i < n_pairs; i++) {
            const pair *x = &pairs[i];
            fprintf(f, "%s\t%s\t%s\t%d\t%.4f\t%.4f\t%.4f\t%.4f", arts[x->a].id, arts[x->b].id,
                    x->lang, x->same, x->score, x->why.cosine, x->why.name_share,
                    x->why.number_share);
            for (size_t k = 0; k < x->why.n_terms; k++)
                fprintf(f, "\t%s:%u:%.3f", x->why.terms[k].text, x->why.terms[k].kind,
                        x->why.terms[k].share);
            fprintf(f, "\n");
        }
        if (f)
            fclose(f);
    }
    kh_story_options defaults;
    kh_story_options_init(&defaults);
    double at = threshold >= 0 ? threshold : defaults.threshold;
    for (size_t l = 0; l < N_LANGS; l++) {
        prf s = pairwise(langs[l], 1, at);
        printf("row\tsemeval %s\tpair score ROC-AUC\t%.3f\t\t%zu pairs\n", langs[l], auc(langs[l]),
               n_pairs);
        printf("row\tsemeval %s\tpair score F1 at threshold\t%.3f\t\tP %.3f R %.3f at %.2f\n",
               langs[l], s.f, s.p, s.r, at);
        double best_at;
        prf b = best_f1(langs[l], &best_at);
        printf("row\tsemeval %s\tpair score best F1\t%.3f\t\tP %.3f R %.3f at %.2f\n", langs[l],
               b.f, b.p, b.r, best_at);
    }
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "semeval_eval: no temporary folder\n");
        return 1;
    }
    snprintf(path, sizeof path, "%s/articles.jsonl", tmp);
    size_t *perm = bench_xrealloc(NULL, n_arts * sizeof *perm);
    prf first[N_LANGS];
    double sum[N_LANGS] = { 0 }, lo[N_LANGS], hi[N_LANGS];
    for (size_t l = 0; l < N_LANGS; l++) {
        lo[l] = 1;
        hi[l] = 0;
    }
    uint64_t seed = 42;
    for (size_t run = 0; run <= shuffles; run++) {
        for (size_t i = 0; i < n_arts; i++)
            perm[i] = i;
        if (run > 0)
            for (size_t i = n_arts - 1; i > 0; i--) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                size_t j = (size_t)((seed >> 33) % (i + 1)), t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        if (write_articles(path, perm) != 0 || run_stories(khabar, path, threshold) != 0) {
            fprintf(stderr, "semeval_eval: %s stories failed\n", khabar);
            return 1;
        }
        if (run == 0 && n_dump)
            dump(n_dump);
        for (size_t l = 0; l < N_LANGS; l++) {
            prf s = pairwise(langs[l], 0, 0);
            if (run == 0) {
                first[l] = s;
                continue;
            }
            sum[l] += s.f;
            lo[l] = s.f < lo[l] ? s.f : lo[l];
            hi[l] = s.f > hi[l] ? s.f : hi[l];
        }
    }
    remove(path);
    rmdir(tmp);
    for (size_t l = 0; l < N_LANGS; l++) {
        printf("row\tsemeval %s\tstories pairwise F1\t%.3f\t\tP %.3f R %.3f, file order\n",
               langs[l], first[l].f, first[l].p, first[l].r);
        if (shuffles)
            printf("row\tsemeval %s\tstories F1 over %zu shuffles\t%.3f\t\t%.3f..%.3f\n", langs[l],
                   shuffles, sum[l] / (double)shuffles, lo[l], hi[l]);
    }
    free(perm);
    return 0;
}
