/*
 * pairs_eval.c — the story stage on real articles it has never seen, against
 * pairs of them that people labelled "same event" or not.
 *
 *   pairs_eval [--khabar PATH] [--dump N] [DIR | ARTICLES.jsonl PAIRS.tsv]
 *
 * DIR (default: $KH_REAL_PAIRS_DIR) holds articles.jsonl and pairs.tsv as
 * scripts/real-pairs-prepare writes them; with neither, it prints a note and
 * no rows, so `make bench` runs without the data. The articles go through
 * `khabar stories --format jsonl` as they are: the command's reading,
 * cleaning, copy detection, dating and grouping are the thing measured, and
 * they live in the CLI, so it is run rather than imitated. Two articles are
 * predicted "same" when they end in one story.
 *
 * articles.jsonl: khabar input; its "lang" field (the data set's language,
 *   not khabar's guess) splits the scores. pairs.tsv: id_a TAB id_b TAB
 *   label (1 same, 0 not) [TAB score (number or -) [TAB kind]]; '#' lines
 *   are comments. Pairs whose articles differ in language are scored apart:
 *   khabar never links across languages, so they can only be "different".
 * Rows per language: pairwise precision, recall, F1 of the "same" decisions;
 * the mean score of the pairs put together and of those kept apart (when the
 * data has scores); the share of each kind of pair put together.
 * --dump N prints up to N wrongly merged and N wrongly split pairs to stderr.
 */
#include "bench_util.h"

#include <jansson.h>

typedef struct art {
    char *id, *lang, *title;
    long story; /* 0: in no story khabar printed */
} art;

typedef struct arts {
    art *v;
    size_t n, cap;
} arts;

/* Counts for one language (or "cross") and, inside it, one kind of pair. */
typedef struct tally {
    char name[160];
    size_t pairs, pos, pred, tp;
    double score_in, score_out;
    size_t scored_in, scored_out;
} tally;

typedef struct tallies {
    tally *v;
    size_t n, cap;
} tallies;

static tally *tally_get(tallies *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].name, name))
            return &t->v[i];
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->v = bench_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    tally *x = &t->v[t->n++];
    memset(x, 0, sizeof *x);
    snprintf(x->name, sizeof x->name, "%s", name);
    return x;
}

static int cmp_art(const void *a, const void *b)
{
    return strcmp(((const art *)a)->id, ((const art *)b)->id);
}

static art *find_art(arts *a, const char *id)
{
    art key = { (char *)id, NULL, NULL, 0 };
    return bsearch(&key, a->v, a->n, sizeof *a->v, cmp_art);
}

static const char *json_text(json_t *obj, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : dflt;
}

static int read_articles(const char *path, arts *a)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        json_t *o = json_loadb(line, (size_t)len, 0, NULL);
        const char *id = o ? json_text(o, "id", NULL) : NULL;
        if (id) {
            if (a->n == a->cap) {
                a->cap = a->cap ? a->cap * 2 : 1024;
                a->v = bench_xrealloc(a->v, a->cap * sizeof *a->v);
            }
            art *x = &a->v[a->n++];
            x->id = bench_xstrdup(id);
            x->lang = bench_xstrdup(json_text(o, "lang", "und"));
            const char *title = json_text(o, "title", NULL);
            if (!title)
                title = json_text(o, "text", "");
            char buf[100];
            snprintf(buf, sizeof buf, "%s", title);
            for (char *c = buf; *c; c++)
                if (*c == '\n' || *c == '\t')
                    *c = ' ';
            x->title = bench_xstrdup(buf);
            x->story = 0;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    qsort(a->v, a->n, sizeof *a->v, cmp_art);
    return 0;
}

/* Runs khabar stories on the articles; each article learns its story. */
static int run_stories(const char *khabar, const char *articles, arts *a, size_t *stories,
                       size_t *unknown, double *seconds)
{
    char qk[2048], qa[2048], cmd[4200];
    bench_shell_quote(qk, sizeof qk, khabar);
    bench_shell_quote(qa, sizeof qa, articles);
    snprintf(cmd, sizeof cmd, "%s stories --format jsonl %s", qk, qa);
    double t0 = bench_wall();
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    *stories = *unknown = 0;
    while ((len = getline(&line, &cap, p)) > 0) {
        json_t *o = json_loadb(line, (size_t)len, 0, NULL);
        json_t *list = o ? json_object_get(o, "articles") : NULL;
        long story = (long)json_integer_value(json_object_get(o, "story"));
        if (json_is_array(list) && story > 0) {
            (*stories)++;
            for (size_t i = 0; i < json_array_size(list); i++) {
                const char *id = json_string_value(json_array_get(list, i));
                art *x = id ? find_art(a, id) : NULL;
                if (x)
                    x->story = story;
                else
                    (*unknown)++;
            }
        }
        json_decref(o);
    }
    free(line);
    int rc = pclose(p);
    *seconds = bench_wall() - t0;
    return rc == 0 ? 0 : -1;
}

static void count(tally *t, int label, int pred, int scored, double score)
{
    t->pairs++;
    t->pos += label != 0;
    t->pred += pred != 0;
    t->tp += label && pred;
    if (scored && pred) {
        t->score_in += score;
        t->scored_in++;
    } else if (scored) {
        t->score_out += score;
        t->scored_out++;
    }
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : 0;
}

int main(int argc, char **argv)
{
    const char *khabar = getenv("KH_KHABAR"), *dir = getenv("KH_REAL_PAIRS_DIR");
    const char *articles_path = NULL, *pairs_path = NULL;
    long dump = 0;
    const char *pos[2];
    int n_pos = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--khabar") && i + 1 < argc)
            khabar = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = atol(argv[++i]);
        else if (argv[i][0] != '-' && n_pos < 2)
            pos[n_pos++] = argv[i];
        else {
            fprintf(stderr, "usage: pairs_eval [--khabar PATH] [--dump N] "
                            "[DIR | ARTICLES.jsonl PAIRS.tsv]\n");
            return 2;
        }
    }
    static char a_buf[4096], p_buf[4096], k_buf[4096];
    if (n_pos == 2) {
        articles_path = pos[0];
        pairs_path = pos[1];
    } else {
        if (n_pos == 1)
            dir = pos[0];
        if (!dir || !*dir) {
            printf("# pairs_eval: no labelled pairs (KH_REAL_PAIRS_DIR unset; "
                   "see scripts/real-pairs-prepare); skipped\n");
            return 0;
        }
        snprintf(a_buf, sizeof a_buf, "%s/articles.jsonl", dir);
        snprintf(p_buf, sizeof p_buf, "%s/pairs.tsv", dir);
        articles_path = a_buf;
        pairs_path = p_buf;
    }
    if (!khabar) {
        /* the CLI sits beside bench/ in the build folder */
        const char *slash = strrchr(argv[0], '/');
        int len = slash ? (int)(slash - argv[0]) : 1;
        snprintf(k_buf, sizeof k_buf, "%.*s/../khabar", len, slash ? argv[0] : ".");
        khabar = k_buf;
    }
    const char *name = dir ? dir : articles_path;
    const char *base = strrchr(name, '/');
    while (base && !base[1] && base > name) { /* "DIR/" names DIR */
        const char *b = base - 1;
        while (b > name && *b != '/')
            b--;
        base = b;
    }
    base = base && base[1] ? base + 1 : name;
    char set[64];
    snprintf(set, sizeof set, "%.*s", (int)strcspn(base, "/"), base);

    arts a = { NULL, 0, 0 };
    if (read_articles(articles_path, &a) != 0) {
        printf("# pairs_eval: cannot read %s; skipped\n", articles_path);
        return 0;
    }
    FILE *pf = fopen(pairs_path, "r");
    if (!pf) {
        printf("# pairs_eval: cannot read %s; skipped\n", pairs_path);
        return 0;
    }
    size_t stories, unknown;
    double seconds;
    if (run_stories(khabar, articles_path, &a, &stories, &unknown, &seconds) != 0) {
        fprintf(stderr, "pairs_eval: %s stories failed on %s\n", khabar, articles_path);
        return 1;
    }
    size_t placed = 0;
    for (size_t i = 0; i < a.n; i++)
        placed += a.v[i].story != 0;

    tallies langs = { NULL, 0, 0 }, kinds = { NULL, 0, 0 };
    size_t missing = 0, dumped_merge = 0, dumped_split = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int any_score = 0;
    while ((len = getline(&line, &cap, pf)) > 0) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *f[5] = { NULL };
        int nf = 0;
        for (char *s = line; nf < 5; nf++) {
            f[nf] = s;
            s = strchr(s, '\t');
            if (!s) {
                nf++;
                break;
            }
            *s++ = '\0';
        }
        if (nf < 3)
            continue;
        art *x = find_art(&a, f[0]), *y = find_art(&a, f[1]);
        if (!x || !y) {
            missing++;
            continue;
        }
        int label = atoi(f[2]) != 0;
        int pred = x->story && x->story == y->story;
        char *end = NULL;
        double score = nf > 3 ? strtod(f[3], &end) : 0;
        int scored = nf > 3 && end != f[3];
        any_score |= scored;
        char key[64], kkey[160];
        snprintf(key, sizeof key, "%s", strcmp(x->lang, y->lang) ? "cross" : x->lang);
        count(tally_get(&langs, key), label, pred, scored, score);
        if (nf > 4 && f[4][0]) {
            snprintf(kkey, sizeof kkey, "%s %s", key, f[4]);
            count(tally_get(&kinds, kkey), label, pred, scored, score);
        }
        size_t *dumped = pred ? &dumped_merge : &dumped_split;
        if (label != pred && *dumped < (size_t)dump) {
            (*dumped)++;
            fprintf(stderr, "# %s %s%s%s: %s [%s] / %s [%s]\n", pred ? "merged" : "split",
                    f[2], nf > 3 ? " " : "", nf > 3 ? f[3] : "", x->id, x->title, y->id,
                    y->title);
        }
    }
    free(line);
    fclose(pf);

    printf("row\tstory\treal pairs articles placed\t%zu\tarticles\t%s: %zu of %zu in %zu "
           "stories; %.2f s for khabar stories\n",
           placed, set, placed, a.n, stories, seconds);
    if (unknown || missing)
        printf("# %zu story members not in the articles, %zu pairs naming unknown ids\n",
               unknown, missing);
    for (size_t i = 0; i < langs.n; i++) {
        tally *t = &langs.v[i];
        double p = ratio(t->tp, t->pred), r = ratio(t->tp, t->pos);
        double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
        if (!strcmp(t->name, "cross")) {
            printf("row\tstory\treal pairs cross-language put together\t%.4f\t-\t%s: %zu of "
                   "%zu pairs (%zu labelled same) across languages\n",
                   ratio(t->pred, t->pairs), set, t->pred, t->pairs, t->pos);
        } else {
            printf("row\tstory\treal pairs %s F1\t%.4f\t-\t%s: P %.4f R %.4f; %zu pairs, %zu "
                   "labelled same, %zu put together\n",
                   t->name, f1, set, p, r, t->pairs, t->pos, t->pred);
        }
        if (any_score)
            printf("row\tstory\treal pairs %s mean score together/apart\t%.3f\tscore\t%s: "
                   "apart %.3f (%zu together, %zu apart)\n",
                   t->name, t->scored_in ? t->score_in / (double)t->scored_in : 0, set,
                   t->scored_out ? t->score_out / (double)t->scored_out : 0, t->scored_in,
                   t->scored_out);
    }
    for (size_t i = 0; i < kinds.n; i++) {
        tally *t = &kinds.v[i];
        printf("row\tstory\treal pairs %s put together\t%.4f\t-\t%s: %zu of %zu pairs\n",
               t->name, ratio(t->pred, t->pairs), set, t->pred, t->pairs);
    }
    for (size_t i = 0; i < a.n; i++) {
        free(a.v[i].id);
        free(a.v[i].lang);
        free(a.v[i].title);
    }
    free(a.v);
    free(langs.v);
    free(kinds.v);
    return 0;
}
