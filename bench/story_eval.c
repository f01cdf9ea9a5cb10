/*
 * story_eval.c — how well the story stage groups articles, against truth.
 *
 *   story_eval [--threshold X] [--window H] [--events N] [--days D] [--sweep]
 *
 * 1. The seed pages (../shared/seeds/gold.json: title, body, date of five
 *    reports of one event) plus, when present, examples/truth.json: the
 *    seeds must form exactly one story and nothing else may join it.
 * 2. A generated stream (bench/story_gen.h): N events from SaudiNewsNet
 *    articles, each told by 1-6 reports over 1-3 days, a third of them
 *    sharing a background sentence with another event of the same day.
 * Scores: B-cubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et
 * al. 2009) and pairwise F1 of predicted stories against the truth.
 */
#include "story_gen.h"

#include <jansson.h>
#include <math.h>

typedef struct pair {
    uint64_t pred, truth;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->pred != y->pred)
        return x->pred < y->pred ? -1 : 1;
    return x->truth < y->truth ? -1 : x->truth > y->truth;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct scores {
    double bp, br, bf, pp, pr, pf;
    size_t n, pred_clusters, true_clusters, largest;
} scores;

/* Size of each item's cluster under key(): sorted copy, run lengths. */
static void cluster_sizes(const uint64_t *keys, size_t n, uint64_t **sorted_out)
{
    uint64_t *s = malloc(n * sizeof *s);
    memcpy(s, keys, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_u64);
    *sorted_out = s;
}

static size_t run_len(const uint64_t *sorted, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t a = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - a;
}

static scores score(const uint64_t *pred, const uint64_t *truth, size_t n)
{
    scores sc;
    memset(&sc, 0, sizeof sc);
    sc.n = n;
    pair *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        p[i].pred = pred[i];
        p[i].truth = truth[i];
    }
    qsort(p, n, sizeof *p, cmp_pair);
    uint64_t *ps, *ts;
    cluster_sizes(pred, n, &ps);
    cluster_sizes(truth, n, &ts);
    for (size_t i = 0; i < n; i++) {
        sc.pred_clusters += i == 0 || ps[i] != ps[i - 1];
        sc.true_clusters += i == 0 || ts[i] != ts[i - 1];
    }
    double bp = 0, br = 0, tp = 0, pred_pairs = 0, true_pairs = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j].pred == p[i].pred && p[j].truth == p[i].truth)
            j++;
        double both = (double)(j - i);
        double cp = (double)run_len(ps, n, p[i].pred), ct = (double)run_len(ts, n, p[i].truth);
        bp += both * both / cp;
        br += both * both / ct;
        tp += both * (both - 1) / 2;
        i = j;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && ps[j] == ps[i])
            j++;
        pred_pairs += (double)(j - i) * (double)(j - i - 1) / 2;
        if (j - i > sc.largest)
            sc.largest = j - i;
        i = j;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && ts[j] == ts[i])
            j++;
        true_pairs += (double)(j - i) * (double)(j - i - 1) / 2;
        i = j;
    }
    sc.bp = bp / (double)n;
    sc.br = br / (double)n;
    sc.bf = 2 * sc.bp * sc.br / (sc.bp + sc.br);
    sc.pp = pred_pairs ? tp / pred_pairs : 1;
    sc.pr = true_pairs ? tp / true_pairs : 1;
    sc.pf = sc.pp + sc.pr > 0 ? 2 * sc.pp * sc.pr / (sc.pp + sc.pr) : 0;
    free(p);
    free(ps);
    free(ts);
    return sc;
}

/* Joins a JSON array of strings with newlines into buf. */
static void join_lines(kh_buf *buf, json_t *arr)
{
    kh_buf_clear(buf);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v)) {
            kh_buf_puts(buf, json_string_value(v));
            kh_buf_puts(buf, "\n");
        }
    }
}

static int dump;
static double link_threshold; /* 0: kh_link's default */

/* One document of a truth file. */
typedef struct tdoc {
    char *id, *title, *body;
    kh_lang lang;
    int dated;
    int64_t time, key;
    uint64_t truth;
    size_t seq;
    int seed;
} tdoc;

static int cmp_tdoc(const void *a, const void *b)
{
    const tdoc *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Loads a truth file in gold.json's schema (documents with title, body
 * lines, date, lang and story). Returns the number of documents, or -1. */
static int load_truth_file(const char *path, uint64_t story_base, int seed, tdoc *docs,
                           size_t max, size_t *n)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root)
        return -1;
    kh_ctx *ctx = NULL;
    kh_ctx_create(&ctx, NULL);
    kh_buf body;
    kh_buf_init(&body, ctx, 0);
    size_t i;
    json_t *d;
    int added = 0;
    json_array_foreach(json_object_get(root, "documents"), i, d)
    {
        if (*n >= max)
            break;
        /* A document's key: its id, else its file's base name without
         * extension. */
        char key[256];
        const char *id = json_string_value(json_object_get(d, "id"));
        const char *file = json_string_value(json_object_get(d, "file"));
        if (!id && file) {
            const char *b = strrchr(file, '/');
            b = b ? b + 1 : file;
            snprintf(key, sizeof key, "%s", b);
            char *dot = strrchr(key, '.');
            if (dot)
                *dot = '\0';
            id = key;
        }
        const char *title = json_string_value(json_object_get(d, "title"));
        const char *date = json_string_value(json_object_get(d, "date"));
        json_t *b = json_object_get(d, "body");
        kh_buf_clear(&body);
        if (json_is_array(b))
            join_lines(&body, b);
        else if (json_is_string(b))
            kh_buf_puts(&body, json_string_value(b));
        tdoc *t = &docs[*n];
        memset(t, 0, sizeof *t);
        t->id = strdup(id ? id : "?");
        t->title = strdup(title ? title : "");
        t->body = strdup(body.data ? body.data : "");
        t->lang = kh_lang_from_code(json_string_value(json_object_get(d, "lang")));
        if (date && kh_story_parse_date(date, strlen(date), &t->time) == KH_OK)
            t->dated = 1;
        t->truth = story_base + (uint64_t)json_integer_value(json_object_get(d, "story"));
        t->seq = *n;
        t->seed = seed;
        (*n)++;
        added++;
    }
    kh_buf_free(&body);
    kh_ctx_free(ctx);
    json_decref(root);
    return added;
}

/* Links the predicted stories of docs[0..n) (pred[i] the story of docs[i],
 * langs[i] its language) across languages; linked[i] receives the id of
 * the set docs[i]'s story is in (its own story id when unlinked), *wrong
 * the sets whose documents come from more than one truth story. Returns
 * the seconds kh_link_add() and kh_link_run() took. */
static double link_stories(const tdoc *docs, const uint64_t *pred, const kh_lang *langs,
                           size_t n, uint64_t *linked, size_t *wrong, double *lexicon_s)
{
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_linker *lk = NULL;
    double spent = 0;
    kh_link_options lo;
    kh_link_options_init(&lo);
    /* the FreeDict lexicon where it is installed ($KHABAR_LEXICON, or
     * Debian's place; KHABAR_LEXICON=none: without) */
    kh_bilex *lx = NULL;
    const char *dir = getenv("KHABAR_LEXICON");
    *lexicon_s = -1;
    if (!(dir && strcmp(dir, "none") == 0) &&
        kh_bilex_load(ctx, dir && *dir ? dir : NULL, &lx) == KH_OK)
        *lexicon_s = kh_bilex_load_seconds(lx);
    lo.lexicon = lx;
    if (link_threshold > 0)
        lo.threshold = link_threshold;
    if (kh_linker_create(ctx, &lo, &lk) != KH_OK) {
        memcpy(linked, pred, n * sizeof *linked);
        kh_bilex_free(lx);
        kh_ctx_free(ctx);
        return 0;
    }
    const char **texts = malloc(2 * n * sizeof *texts);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < i && pred[j] != pred[i]) j++;
        if (j < i)
            continue; /* story added at its first document */
        kh_link_story s;
        memset(&s, 0, sizeof s);
        s.id = pred[i];
        s.lang = langs[i];
        s.headline = docs[i].title;
        size_t nt = 0;
        for (size_t k = i; k < n; k++) {
            if (pred[k] != pred[i])
                continue;
            texts[nt++] = docs[k].title;
            texts[nt++] = docs[k].body;
            s.n_articles++;
            if (docs[k].dated) {
                if (!s.dated || docs[k].time < s.first)
                    s.first = docs[k].time;
                if (!s.dated || docs[k].time > s.last)
                    s.last = docs[k].time;
                s.dated = 1;
            }
        }
        s.texts = texts;
        s.n_texts = nt;
        double t0 = bench_thread_cpu();
        kh_link_add(lk, &s);
        spent += bench_thread_cpu() - t0;
    }
    double t0 = bench_thread_cpu();
    kh_link_run(lk);
    spent += bench_thread_cpu() - t0;
    for (size_t i = 0; i < n; i++) {
        kh_link_info info;
        linked[i] = kh_link_get(lk, pred[i], &info) == KH_OK && info.set ? info.set : pred[i];
        if (dump && info.set && info.stories[0] == pred[i]) {
            printf("# linked set %llu (score %.2f):", (unsigned long long)info.set, info.score);
            for (size_t k = 0; k < info.n_stories; k++)
                printf(" %llu/%s", (unsigned long long)info.stories[k],
                       kh_lang_code(info.langs[k]));
            for (size_t k = 0; k < info.n_names; k++) printf(" [%s]", info.names[k]);
            for (size_t k = 0; k < info.n_numbers; k++) printf(" #%s", info.numbers[k]);
            for (size_t k = 0; k < info.n_dates; k++) printf(" @%s", info.dates[k]);
            for (size_t k = 0; k < info.n_words; k++) printf(" ~%s", info.words[k]);
            printf("\n");
        }
    }
    /* a set is wrong when its documents' truths differ */
    *wrong = 0;
    for (size_t i = 0; i < n; i++) {
        int first_of_set = 1, mixed = 0;
        for (size_t k = 0; k < i; k++)
            if (linked[k] == linked[i]) first_of_set = 0;
        if (!first_of_set)
            continue;
        for (size_t k = i + 1; k < n; k++)
            if (linked[k] == linked[i] && docs[k].truth != docs[i].truth) mixed = 1;
        *wrong += mixed;
    }
    free(texts);
    kh_linker_free(lk);
    kh_bilex_free(lx);
    kh_ctx_free(ctx);
    return spent;
}

static void seeds_eval(const kh_story_options *o)
{
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_storyer *st;
    if (kh_storyer_create(ctx, o, &st) != KH_OK)
        return;
    enum { MAX = 4096 };
    static uint64_t pred[MAX], truth[MAX], truth_lang[MAX];
    static kh_lang langs[MAX];
    static tdoc docs[MAX];
    size_t n = 0;
    int seeds = load_truth_file("../shared/seeds/gold.json", 0, 1, docs, MAX, &n);
    int examples = load_truth_file("examples/truth.json", 1000000, 0, docs, MAX, &n);
    /* As khabar stories does: date order, an undated document after the
     * dated one before it. */
    int64_t prev = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        if (docs[i].dated)
            prev = docs[i].time;
        docs[i].key = docs[i].dated ? docs[i].time : prev;
    }
    qsort(docs, n, sizeof *docs, cmp_tdoc);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        kh_story_article a;
        memset(&a, 0, sizeof a);
        a.id = docs[i].id;
        a.lang = docs[i].lang;
        a.title = docs[i].title;
        a.title_len = strlen(docs[i].title);
        a.text = docs[i].body;
        a.text_len = strlen(docs[i].body);
        a.dated = docs[i].dated;
        a.time = docs[i].time;
        uint64_t s = 0;
        if (kh_story_add(st, &a, &s) != KH_OK)
            continue;
        kh_story_info info;
        pred[m] = s;
        truth[m] = docs[i].truth;
        langs[m] = kh_story_get(st, s, &info) == KH_OK ? info.lang : KH_LANG_UNKNOWN;
        m++;
    }
    /* The seeds' story: the one most seeds are in (all of them, we hope). */
    uint64_t seed_story = 0;
    int in_seed_story = 0, seeds_in = 0, joined = 0;
    for (size_t i = 0, k = 0; i < n; i++) {
        if (docs[i].seed && !seed_story)
            seed_story = pred[k];
        k++;
    }
    for (size_t i = 0; i < m; i++) {
        int is_seed = docs[i].seed;
        in_seed_story = pred[i] == seed_story;
        seeds_in += is_seed && in_seed_story;
        joined += !is_seed && in_seed_story;
    }
    if (seeds > 0) {
        printf("row\tstory\tseeds in one story\t%s\t-\t%d of %d seed reports in story %llu "
               "(gold.json text)\n",
               seeds_in == seeds ? "yes" : "no", seeds_in, seeds, (unsigned long long)seed_story);
        printf("row\tstory\tothers joining the seeds' story\t%d\tarticles\t%d example "
               "articles\n",
               joined, examples > 0 ? examples : 0);
    }
    if (dump)
        for (uint64_t s = 1; s <= kh_story_count(st); s++) {
            printf("# story %llu:", (unsigned long long)s);
            for (size_t i = 0; kh_story_article_id(st, s, i); i++)
                printf(" %s", kh_story_article_id(st, s, i));
            printf("\n");
        }
    n = m;
    if (examples > 0) {
        scores sc = score(pred, truth, n);
        printf("row\tstory\texamples B-cubed F1\t%.4f\t-\tP %.4f R %.4f, %zu articles\n", sc.bf,
               sc.bp, sc.br, sc.n);
        printf("row\tstory\texamples pairwise F1\t%.4f\t-\tP %.4f R %.4f\n", sc.pf, sc.pp, sc.pr);
        /* Stories are built per language: against the truth split by
         * language, what the stage is meant to do. */
        for (size_t i = 0; i < n; i++)
            truth_lang[i] = truth[i] * 8 + (uint64_t)langs[i];
        sc = score(pred, truth_lang, n);
        printf("row\tstory\texamples B-cubed F1 per language\t%.4f\t-\tP %.4f R %.4f; truth "
               "stories split by language\n",
               sc.bf, sc.bp, sc.br);
        printf("row\tstory\texamples pairwise F1 per language\t%.4f\t-\tP %.4f R %.4f\n", sc.pf,
               sc.pp, sc.pr);
        /* Stories linked across languages (kh_link): a linked set counts
         * as one story, against the truth across languages. */
        uint64_t *linked = malloc(n * sizeof *linked);
        size_t wrong = 0;
        double lexicon_s;
        double link_s = link_stories(docs, pred, langs, n, linked, &wrong, &lexicon_s);
        sc = score(linked, truth, n);
        char lexicon[64];
        if (lexicon_s >= 0)
            snprintf(lexicon, sizeof lexicon, "lexicon loaded in %.0f ms", lexicon_s * 1000);
        else
            snprintf(lexicon, sizeof lexicon, "no lexicon");
        printf("row\tstory\texamples linked B-cubed F1\t%.4f\t-\tP %.4f R %.4f; stories "
               "linked across languages, %zu sets mixing events, %.1f ms; %s\n",
               sc.bf, sc.bp, sc.br, wrong, link_s * 1000, lexicon);
        free(linked);
    } else {
        printf("# examples/truth.json: not present\n");
    }
    for (size_t i = 0; i < n; i++) {
        free(docs[i].id);
        free(docs[i].title);
        free(docs[i].body);
    }
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

static scores gen_eval(const bench_corpus *c, const kh_story_options *o, uint64_t events,
                       int days, double *rate)
{
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_storyer *st;
    scores sc;
    memset(&sc, 0, sizeof sc);
    if (kh_storyer_create(ctx, o, &st) != KH_OK)
        return sc;
    gen_stream g;
    gen_init(&g, c, events, days, 42);
    size_t cap = 1024, n = 0;
    uint64_t *pred = malloc(cap * sizeof *pred), *truth = malloc(cap * sizeof *truth);
    kh_buf title, text;
    kh_buf_init(&title, ctx, 0);
    kh_buf_init(&text, ctx, 0);
    gen_report r;
    double spent = 0;
    while (gen_next(&g, &r)) {
        gen_write(&g, &r, &title, &text);
        char id[48];
        snprintf(id, sizeof id, "e%llu-r%u", (unsigned long long)r.event, r.k);
        kh_story_article a;
        memset(&a, 0, sizeof a);
        a.id = id;
        a.dated = 1;
        a.time = r.time;
        a.lang = KH_LANG_AR;
        a.title = title.data;
        a.title_len = title.len;
        a.text = text.data;
        a.text_len = text.len;
        uint64_t s = 0;
        double t0 = bench_thread_cpu();
        kh_status rc = kh_story_add(st, &a, &s);
        spent += bench_thread_cpu() - t0;
        if (rc != KH_OK)
            continue;
        if (n == cap) {
            cap *= 2;
            pred = realloc(pred, cap * sizeof *pred);
            truth = realloc(truth, cap * sizeof *truth);
        }
        pred[n] = s;
        truth[n] = r.event;
        n++;
        if (dump) {
            /* The first article of each story, to show wrong merges. */
            static uint64_t first_event[1 << 16];
            static char first_title[1 << 16][96];
            if (s < (1 << 16)) {
                if (!first_event[s]) {
                    first_event[s] = r.event + 1;
                    snprintf(first_title[s], sizeof first_title[s], "%s", title.data);
                } else if (first_event[s] != r.event + 1) {
                    printf("# merged: [%s] <- [%.90s]\n", first_title[s], title.data);
                }
            }
        }
    }
    sc = score(pred, truth, n);
    *rate = spent > 0 ? (double)n / spent : 0;
    free(pred);
    free(truth);
    kh_buf_free(&title);
    kh_buf_free(&text);
    gen_free(&g);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
    return sc;
}

int main(int argc, char **argv)
{
    kh_story_options o;
    kh_story_options_init(&o);
    uint64_t events = 3000;
    int days = 30, sweep = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threshold") && i + 1 < argc)
            o.threshold = atof(argv[++i]);
        else if (!strcmp(argv[i], "--window") && i + 1 < argc)
            o.window = (int64_t)(atof(argv[++i]) * 3600);
        else if (!strcmp(argv[i], "--events") && i + 1 < argc)
            events = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--days") && i + 1 < argc)
            days = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--title-boost") && i + 1 < argc)
            o.title_boost = atof(argv[++i]);
        else if (!strcmp(argv[i], "--link-threshold") && i + 1 < argc)
            link_threshold = atof(argv[++i]);
        else if (!strcmp(argv[i], "--dump"))
            dump = 1;
        else if (!strcmp(argv[i], "--sweep"))
            sweep = 1;
        else {
            fprintf(stderr, "usage: story_eval [--threshold X] [--window H] [--events N] "
                            "[--days D] [--title-boost B] [--link-threshold L] [--sweep] "
                            "[--dump]\n");
            return 2;
        }
    }
    seeds_eval(&o);
    bench_corpus c;
    if (gen_corpus_load(&c) != 0) {
        printf("# %s: not readable; generated set skipped\n", BENCH_CORPUS);
        return 0;
    }
    if (sweep) {
        static const double th[] = { 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5 };
        for (size_t i = 0; i < sizeof th / sizeof th[0]; i++) {
            kh_story_options so = o;
            so.threshold = th[i];
            double rate;
            scores sc = gen_eval(&c, &so, events, days, &rate);
            printf("# threshold %.2f: B3 P %.4f R %.4f F1 %.4f | pairs P %.4f R %.4f F1 %.4f | "
                   "%zu stories for %zu events\n",
                   th[i], sc.bp, sc.br, sc.bf, sc.pp, sc.pr, sc.pf, sc.pred_clusters,
                   sc.true_clusters);
        }
    }
    double rate;
    scores sc = gen_eval(&c, &o, events, days, &rate);
    printf("row\tstory\tgenerated B-cubed F1\t%.4f\t-\tP %.4f R %.4f; %zu articles, %zu events, "
           "%d days, threshold %.2f\n",
           sc.bf, sc.bp, sc.br, sc.n, sc.true_clusters, days, o.threshold);
    printf("row\tstory\tgenerated pairwise F1\t%.4f\t-\tP %.4f R %.4f; %zu predicted stories, "
           "the largest %zu articles\n",
           sc.pf, sc.pp, sc.pr, sc.pred_clusters, sc.largest);
    bench_corpus_free(&c);
    return 0;
}
