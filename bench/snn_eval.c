/*
 * snn_eval.c — khabar's stories against hand-labelled events of real Arabic
 * news, and the shape of the stories it makes of the whole real stream.
 *
 *   snn_eval [--khabar PATH] [--labels PATH] [--corpus PATH] [--no-stream]
 *
 * The labels (default bench/events/snn-events.tsv, rules in
 * bench/events/RULES.md) give every SaudiNewsNet article of the labelled days
 * an event: `id TAB event`, '#' lines are comments. The corpus (default
 * ../shared/corpora/saudinewsnet/articles.jsonl.gz) is read at run time and
 * its records copied, unchanged, into two temporary JSON Lines files: the
 * labelled articles, and every article (the stream). `khabar stories
 * --format jsonl` runs on each as a child process, so what is measured is
 * what a user gets: reading, cleaning, copies, dating and grouping. Each
 * printed story names its articles; an article khabar puts in no story
 * counts as a story of its own.
 *
 * Labelled days, rows: B-cubed precision, recall and F1 (per article: the
 * share of its story that is its event, and of its event that is in its
 * story; averaged over articles), pairwise precision, recall and F1 (pairs
 * of articles in one story against pairs in one event), the largest story
 * and the number of events it spans, and the stories that mix events: a
 * story holding articles of two or more events that have at least 3
 * articles each in the labels, and the stricter count of stories holding at
 * least 3 articles of each of two events. Every mixing story is listed on
 * stderr with its ids and sizes (never text: the text is the publishers').
 *
 * Whole stream, rows: stories by size (1, 2-4, 5-19, 20-49, 50 and more),
 * the largest story, the share of articles in stories of 20 or more, and the
 * child's CPU seconds (user + system, getrusage RUSAGE_CHILDREN) per 1000
 * articles. Nothing here tunes khabar: it only measures.
 *
 * Without the corpus it prints a note and no rows, so `make bench` runs
 * anywhere.
 */
#include "bench_util.h"

#include <jansson.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#define DEFAULT_LABELS "bench/events/snn-events.tsv"

typedef struct label {
    char *id;
    int event;  /* index into the event names */
    int seen;   /* the corpus holds it */
    long story; /* khabar's story, 0 while in none */
} label;

typedef struct labels {
    label *v;
    size_t n, cap;
    char **event; /* names, by index */
    size_t n_event, cap_event;
} labels;

static int cmp_label(const void *a, const void *b)
{
    return strcmp(((const label *)a)->id, ((const label *)b)->id);
}

static label *find_label(labels *l, const char *id)
{
    label key = { (char *)id, 0, 0, 0 };
    return l->n ? bsearch(&key, l->v, l->n, sizeof *l->v, cmp_label) : NULL;
}

/* Event names are few (under two thousand): a linear search is enough. */
static int event_index(labels *l, const char *name)
{
    for (size_t i = l->n_event; i-- > 0;)
        if (!strcmp(l->event[i], name))
            return (int)i;
    if (l->n_event == l->cap_event) {
        l->cap_event = l->cap_event ? l->cap_event * 2 : 1024;
        l->event = bench_xrealloc(l->event, l->cap_event * sizeof *l->event);
    }
    l->event[l->n_event] = bench_xstrdup(name);
    return (int)l->n_event++;
}

/* @return 0, or -1 when path cannot be read. */
static int read_labels(const char *path, labels *l)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t bad = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab || tab == line || !tab[1]) {
            bad += line[0] != '\0';
            continue;
        }
        *tab = '\0';
        if (l->n == l->cap) {
            l->cap = l->cap ? l->cap * 2 : 2048;
            l->v = bench_xrealloc(l->v, l->cap * sizeof *l->v);
        }
        l->v[l->n++] = (label){ bench_xstrdup(line), event_index(l, tab + 1), 0, 0 };
    }
    free(line);
    fclose(f);
    qsort(l->v, l->n, sizeof *l->v, cmp_label);
    for (size_t i = 1; i < l->n; i++)
        if (!strcmp(l->v[i].id, l->v[i - 1].id))
            fprintf(stderr, "snn_eval: %s: %s labelled twice; the first label counts\n", path,
                    l->v[i].id);
    if (bad)
        fprintf(stderr, "snn_eval: %s: %zu lines without id TAB event skipped\n", path, bad);
    return 0;
}

/* One line of a gzip (or plain) file into *buf, without its newline.
 * @return its length, or -1 at the end. */
static long gz_line(gzFile g, char **buf, size_t *cap)
{
    size_t n = 0;
    if (!*cap) {
        *cap = 1 << 16;
        *buf = bench_xrealloc(NULL, *cap);
    }
    for (;;) {
        if (!gzgets(g, *buf + n, (int)(*cap - n)))
            return n ? (long)n : -1;
        n += strlen(*buf + n);
        if (n && (*buf)[n - 1] == '\n') {
            (*buf)[--n] = '\0';
            return (long)n;
        }
        if (n + 1 < *cap) /* the last line, without a newline */
            return (long)n;
        *cap *= 2;
        *buf = bench_xrealloc(*buf, *cap);
    }
}

static double child_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* What one run of khabar stories gave. */
typedef struct run {
    size_t *size; /* members of each printed story */
    size_t n, cap;
    size_t members, unknown;
    double cpu, wall;
} run;

/* Runs khabar stories on path. Each member found in l (may be NULL) learns
 * its story; every story's size is kept. @return 0, or -1 when khabar
 * cannot run or fails. */
static int run_stories(const char *khabar, const char *path, labels *l, run *r)
{
    char qk[2048], qa[2048], cmd[4200];
    bench_shell_quote(qk, sizeof qk, khabar);
    bench_shell_quote(qa, sizeof qa, path);
    snprintf(cmd, sizeof cmd, "%s stories --format jsonl %s", qk, qa);
    memset(r, 0, sizeof *r);
    double c0 = child_cpu(), t0 = bench_wall();
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, p)) > 0) {
        json_t *o = json_loadb(line, (size_t)len, 0, NULL);
        json_t *list = o ? json_object_get(o, "articles") : NULL;
        long story = (long)json_integer_value(json_object_get(o, "story"));
        if (json_is_array(list) && story > 0) {
            if (r->n == r->cap) {
                r->cap = r->cap ? r->cap * 2 : 4096;
                r->size = bench_xrealloc(r->size, r->cap * sizeof *r->size);
            }
            r->size[r->n++] = json_array_size(list);
            r->members += json_array_size(list);
            for (size_t i = 0; l && i < json_array_size(list); i++) {
                const char *id = json_string_value(json_array_get(list, i));
                label *x = id ? find_label(l, id) : NULL;
                if (x)
                    x->story = story;
                else
                    r->unknown++;
            }
        }
        json_decref(o);
    }
    free(line);
    int rc = pclose(p);
    r->wall = bench_wall() - t0;
    r->cpu = child_cpu() - c0;
    return rc == 0 ? 0 : -1;
}

static double ratio(double a, double b) { return b > 0 ? a / b : 0; }
static double f1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0; }
static double pairs(size_t n) { return (double)n * (double)(n - (n > 0)) / 2; }

/* The labelled articles ordered by story, then event. */
static int cmp_story_event(const void *a, const void *b)
{
    const label *x = a, *y = b;
    if (x->story != y->story)
        return x->story < y->story ? -1 : 1;
    return (x->event > y->event) - (x->event < y->event);
}

/* Scores the labelled articles that the corpus holds; set names the labels
 * in the notes. */
static void score(const labels *l, const char *set)
{
    size_t n = 0, n_event = l->n_event;
    label *arts = bench_xrealloc(NULL, (l->n ? l->n : 1) * sizeof *arts);
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].seen)
            arts[n++] = l->v[i];
    if (!n) {
        free(arts);
        return;
    }
    size_t *ev_size = bench_xrealloc(NULL, (n_event + 1) * sizeof *ev_size);
    memset(ev_size, 0, (n_event + 1) * sizeof *ev_size);
    long next_own = -1; /* an article in no story is a story of its own */
    size_t unplaced = 0;
    for (size_t i = 0; i < n; i++) {
        ev_size[arts[i].event]++;
        if (!arts[i].story) {
            arts[i].story = next_own--;
            unplaced++;
        }
    }
    qsort(arts, n, sizeof *arts, cmp_story_event);

    double bp = 0, br = 0, tp = 0, pred_pairs = 0, gold_pairs = 0;
    size_t stories = 0, events = 0, largest = 0, largest_events = 0;
    size_t mixed = 0, mixed3 = 0, mixed_articles = 0;
    for (size_t e = 0; e < n_event; e++) {
        gold_pairs += pairs(ev_size[e]);
        events += ev_size[e] > 0;
    }
    for (size_t s = 0; s < n;) {
        size_t end = s;
        while (end < n && arts[end].story == arts[s].story)
            end++;
        size_t size = end - s, n_ev = 0, big = 0, big3 = 0;
        stories++;
        pred_pairs += pairs(size);
        for (size_t c = s; c < end;) {
            size_t cend = c;
            while (cend < end && arts[cend].event == arts[c].event)
                cend++;
            size_t cell = cend - c, esize = ev_size[arts[c].event];
            tp += pairs(cell);
            bp += (double)cell * ((double)cell / (double)size);
            br += (double)cell * ((double)cell / (double)esize);
            n_ev++;
            big += esize >= 3;
            big3 += esize >= 3 && cell >= 3;
            c = cend;
        }
        if (size > largest) {
            largest = size;
            largest_events = n_ev;
        }
        if (big >= 2) {
            mixed++;
            mixed_articles += size;
            mixed3 += big3 >= 2;
            fprintf(stderr, "# mixed story %ld: %zu articles, %zu events\n", arts[s].story, size,
                    n_ev);
            for (size_t c = s; c < end;) {
                size_t cend = c;
                while (cend < end && arts[cend].event == arts[c].event)
                    cend++;
                fprintf(stderr, "#   event %s: %zu here of %zu labelled:",
                        l->event[arts[c].event], cend - c, ev_size[arts[c].event]);
                for (size_t k = c; k < cend; k++)
                    fprintf(stderr, " %s", arts[k].id);
                fputc('\n', stderr);
                c = cend;
            }
        }
        s = end;
    }
    bp /= (double)n;
    br /= (double)n;
    double pp = ratio(tp, pred_pairs), pr = ratio(tp, gold_pairs);
    printf("row\tstory\tsnn events articles\t%zu\tarticles\t%s: %zu events, %zu stories "
           "(%zu articles in no story)\n",
           n, set, events, stories, unplaced);
    printf("row\tstory\tsnn events B-cubed F1\t%.4f\t-\t%s: P %.4f R %.4f\n", f1(bp, br), set,
           bp, br);
    printf("row\tstory\tsnn events pairwise F1\t%.4f\t-\t%s: P %.4f R %.4f; %.0f pairs "
           "labelled same, %.0f put together, %.0f both\n",
           f1(pp, pr), set, pp, pr, gold_pairs, pred_pairs, tp);
    printf("row\tstory\tsnn events largest story\t%zu\tarticles\t%s: %zu events in it\n",
           largest, set, largest_events);
    printf("row\tstory\tsnn events mixed stories\t%zu\tstories\t%s: stories holding articles "
           "of 2+ events of >= 3 articles (%zu articles); %zu hold >= 3 of each of two; "
           "listed on stderr\n",
           mixed, set, mixed_articles, mixed3);
    free(ev_size);
    free(arts);
}

static void stream_rows(const run *r, size_t written)
{
    size_t bucket[5] = { 0 }, in_bucket[5] = { 0 }, in20 = 0, largest = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t s = r->size[i];
        int b = s <= 1 ? 0 : s <= 4 ? 1 : s <= 19 ? 2 : s <= 49 ? 3 : 4;
        bucket[b]++;
        in_bucket[b] += s;
        in20 += s >= 20 ? s : 0;
        largest = s > largest ? s : largest;
    }
    static const char *name[5] = { "1", "2-4", "5-19", "20-49", ">=50" };
    printf("row\tstory\tsnn stream stories\t%zu\tstories\t%zu articles read, %zu in stories\n",
           r->n, written, r->members);
    for (int b = 0; b < 5; b++)
        printf("row\tstory\tsnn stream stories of %s\t%zu\tstories\t%zu articles\n", name[b],
               bucket[b], in_bucket[b]);
    printf("row\tstory\tsnn stream largest story\t%zu\tarticles\t\n", largest);
    printf("row\tstory\tsnn stream share in stories >= 20\t%.4f\t-\t%zu of %zu articles\n",
           ratio((double)in20, (double)r->members), in20, r->members);
    printf("row\tstory\tsnn stream CPU per 1000 articles\t%.3f\ts\tkhabar stories, user+system "
           "%.1f s, wall %.1f s\n",
           1000 * ratio(r->cpu, (double)written), r->cpu, r->wall);
}

int main(int argc, char **argv)
{
    const char *khabar = getenv("KH_KHABAR"), *labels_path = DEFAULT_LABELS;
    const char *corpus = BENCH_CORPUS;
    int stream = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--khabar") && i + 1 < argc)
            khabar = argv[++i];
        else if (!strcmp(argv[i], "--labels") && i + 1 < argc)
            labels_path = argv[++i];
        else if (!strcmp(argv[i], "--corpus") && i + 1 < argc)
            corpus = argv[++i];
        else if (!strcmp(argv[i], "--no-stream"))
            stream = 0;
        else {
            fprintf(stderr, "usage: snn_eval [--khabar PATH] [--labels PATH] "
                            "[--corpus PATH] [--no-stream]\n");
            return 2;
        }
    }
    static char k_buf[4096];
    if (!khabar) {
        /* the CLI sits beside bench/ in the build folder */
        const char *slash = strrchr(argv[0], '/');
        int len = slash ? (int)(slash - argv[0]) : 1;
        snprintf(k_buf, sizeof k_buf, "%.*s/../khabar", len, slash ? argv[0] : ".");
        khabar = k_buf;
    }
    gzFile g = gzopen(corpus, "rb");
    if (!g) {
        printf("# snn_eval: no corpus at %s (../shared missing?); skipped\n", corpus);
        return 0;
    }
    labels l = { 0 };
    if (read_labels(labels_path, &l) != 0 || !l.n) {
        printf("# snn_eval: no labels at %s; the labelled rows are skipped\n", labels_path);
        if (!stream) {
            gzclose(g);
            return 0;
        }
    }

    const char *tmp = getenv("TMPDIR");
    char lab_path[4096], all_path[4096];
    snprintf(lab_path, sizeof lab_path, "%s/snn_eval_labelled.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    snprintf(all_path, sizeof all_path, "%s/snn_eval_stream.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int lab_fd = mkstemp(lab_path), all_fd = mkstemp(all_path);
    FILE *lab_f = lab_fd >= 0 ? fdopen(lab_fd, "w") : NULL;
    FILE *all_f = all_fd >= 0 ? fdopen(all_fd, "w") : NULL;
    if (!lab_f || !all_f) {
        fprintf(stderr, "snn_eval: cannot write temporary files under %s\n",
                tmp && *tmp ? tmp : "/tmp");
        if (lab_fd >= 0)
            unlink(lab_path);
        if (all_fd >= 0)
            unlink(all_path);
        return 1;
    }
    char *buf = NULL;
    size_t cap = 0, written = 0, labelled = 0;
    long len;
    while ((len = gz_line(g, &buf, &cap)) >= 0) {
        if (!len)
            continue;
        written++;
        if (stream) {
            fwrite(buf, 1, (size_t)len, all_f);
            fputc('\n', all_f);
        }
        if (!l.n)
            continue;
        json_t *o = json_loadb(buf, (size_t)len, 0, NULL);
        const char *id = json_string_value(json_object_get(o, "id"));
        label *x = id ? find_label(&l, id) : NULL;
        if (x && !x->seen) {
            x->seen = 1;
            labelled++;
            fwrite(buf, 1, (size_t)len, lab_f);
            fputc('\n', lab_f);
        }
        json_decref(o);
    }
    free(buf);
    gzclose(g);
    int werr = fclose(lab_f) | fclose(all_f);
    if (werr) {
        fprintf(stderr, "snn_eval: cannot write temporary files\n");
        unlink(lab_path);
        unlink(all_path);
        return 1;
    }

    int rc = 0;
    const char *set = strrchr(labels_path, '/');
    set = set ? set + 1 : labels_path;
    if (l.n) {
        run r;
        if (labelled < l.n)
            fprintf(stderr, "snn_eval: %zu labelled ids are not in %s\n", l.n - labelled, corpus);
        if (run_stories(khabar, lab_path, &l, &r) != 0) {
            fprintf(stderr, "snn_eval: %s stories failed on the labelled articles\n", khabar);
            rc = 1;
        } else {
            score(&l, set);
            if (r.unknown)
                fprintf(stderr, "snn_eval: %zu story members are not labelled\n", r.unknown);
            printf("# snn_eval: labelled run: %zu stories, %.2f s of CPU\n", r.n, r.cpu);
        }
        free(r.size);
    }
    if (stream && !rc) {
        run r;
        if (run_stories(khabar, all_path, NULL, &r) != 0) {
            fprintf(stderr, "snn_eval: %s stories failed on the whole stream\n", khabar);
            rc = 1;
        } else {
            stream_rows(&r, written);
        }
        free(r.size);
    }
    unlink(lab_path);
    unlink(all_path);
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i].id);
    for (size_t i = 0; i < l.n_event; i++)
        free(l.event[i]);
    free(l.v);
    free(l.event);
    return rc;
}
