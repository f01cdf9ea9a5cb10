/*
 * bench_story.c — speed and memory of the story stage on a long stream.
 *
 *   bench_story [--articles N] [--days D]     (default 1,000,000 over 60 days)
 *
 * Streams generated reports (bench/story_gen.h, built from SaudiNewsNet) in
 * time order through one storyer with closed stories released
 * (keep_closed 0), and reports articles per second of kh_story_add() on one
 * core and the process's resident memory at 100k, 250k, 500k and 1M
 * articles: with a fixed window, memory must stay flat as the stream grows.
 * Generating the text is not timed.
 */
#include "story_gen.h"

/* Counts the bytes the library holds, whatever malloc keeps around them. */
typedef struct counting {
    long long live, peak;
} counting;

static void *count_alloc(void *opaque, void *ptr, size_t old_size, size_t new_size)
{
    counting *c = opaque;
    if (new_size == 0) {
        if (ptr)
            c->live -= (long long)old_size;
        free(ptr);
        return NULL;
    }
    void *p = realloc(ptr, new_size);
    if (p) {
        c->live += (long long)new_size - (long long)(ptr ? old_size : 0);
        if (c->live > c->peak)
            c->peak = c->live;
    }
    return p;
}

static uint64_t closed;
static void on_close(void *user, const kh_storyer *st, uint64_t id)
{
    (void)user;
    (void)st;
    (void)id;
    closed++;
}

int main(int argc, char **argv)
{
    uint64_t articles = 1000000;
    int days = 60;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--articles") && i + 1 < argc)
            articles = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--days") && i + 1 < argc)
            days = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_story [--articles N] [--days D]\n");
            return 2;
        }
    }
    bench_corpus c;
    if (gen_corpus_load(&c) != 0) {
        printf("# %s: not readable; skipped\n", BENCH_CORPUS);
        return 0;
    }
    long base_kb = bench_status_kb("VmRSS");
    kh_ctx *ctx;
    counting held = { 0, 0 };
    kh_allocator counted = { count_alloc, &held };
    kh_ctx_create(&ctx, &counted);
    kh_story_options o;
    kh_story_options_init(&o);
    o.keep_closed = 0;
    o.on_close = on_close;
    kh_storyer *st;
    if (kh_storyer_create(ctx, &o, &st) != KH_OK)
        return 1;
    gen_stream g;
    /* 3.3 reports per event on average; a few events spare, the stream
     * stops at the article count. */
    gen_init(&g, &c, articles * 10 / 32 + 1, days, 7);
    /* Articles are generated a batch at a time and the batch is timed as
     * a whole: a clock read per article would cost about a microsecond,
     * a few percent of the time measured. BATCH divides every mark. */
    enum { BATCH = 25 };
    static kh_buf title[BATCH], text[BATCH];
    static char ids[BATCH][48];
    static kh_story_article arts[BATCH];
    kh_ctx *bench_ctx; /* the batch's text is not the library's memory */
    if (kh_ctx_create(&bench_ctx, NULL) != KH_OK)
        return 1;
    for (int b = 0; b < BATCH; b++) {
        kh_buf_init(&title[b], bench_ctx, 0);
        kh_buf_init(&text[b], bench_ctx, 0);
    }
    static const uint64_t marks[] = { 100000, 250000, 500000, 1000000, 2000000, 5000000 };
    size_t next_mark = 0;
    uint64_t n = 0;
    double spent = 0, seg_spent = 0;
    uint64_t seg_n = 0;
    gen_report r;
    printf("# corpus loaded: %zu articles, RSS %ld kB before the storyer\n", c.n, base_kb);
    int more = 1;
    while (n < articles && more) {
        int nb = 0;
        while (nb < BATCH && n + (uint64_t)nb < articles && (more = gen_next(&g, &r))) {
            gen_write(&g, &r, &title[nb], &text[nb]);
            snprintf(ids[nb], sizeof ids[nb], "e%llu-r%u", (unsigned long long)r.event, r.k);
            kh_story_article *a = &arts[nb];
            memset(a, 0, sizeof *a);
            a->id = ids[nb];
            a->dated = 1;
            a->time = r.time;
            a->lang = KH_LANG_AR;
            a->title = title[nb].data;
            a->title_len = title[nb].len;
            a->text = text[nb].data;
            a->text_len = text[nb].len;
            nb++;
        }
        double t0 = bench_thread_cpu();
        for (int b = 0; b < nb; b++) {
            kh_status rc = kh_story_add(st, &arts[b], NULL);
            if (rc != KH_OK) {
                fprintf(stderr, "bench_story: %s\n", kh_strerror(rc));
                return 1;
            }
        }
        double dt = bench_thread_cpu() - t0;
        spent += dt;
        seg_spent += dt;
        seg_n += (uint64_t)nb;
        n += (uint64_t)nb;
        if (next_mark < sizeof marks / sizeof marks[0] && n == marks[next_mark]) {
            long rss = bench_status_kb("VmRSS"), hwm = bench_status_kb("VmHWM");
            printf("row\tstory\tRSS at %lluk articles\t%.1f\tMiB\tpeak %.1f MiB; %.1f MiB over "
                   "the loaded corpus; %llu stories, %llu open\n",
                   (unsigned long long)(n / 1000), (double)rss / 1024, (double)hwm / 1024,
                   (double)(rss - base_kb) / 1024, (unsigned long long)kh_story_count(st),
                   (unsigned long long)(kh_story_count(st) - closed));
            printf("row\tstory\tlibrary memory at %lluk articles\t%.1f\tMiB\tpeak %.1f MiB, "
                   "bytes held through the context's allocator\n",
                   (unsigned long long)(n / 1000), (double)held.live / 1048576.0,
                   (double)held.peak / 1048576.0);
            printf("row\tstory\tarticles/s at %lluk\t%.0f\tarticles/s\tone core, since the "
                   "previous mark\n",
                   (unsigned long long)(n / 1000), (double)seg_n / seg_spent);
            fflush(stdout);
            seg_n = 0;
            seg_spent = 0;
            next_mark++;
        }
    }
    printf("row\tstory\tstream throughput\t%.0f\tarticles/s\tone core, %llu articles over %d "
           "days, %llu stories (%llu closed)\n",
           (double)n / spent, (unsigned long long)n, days,
           (unsigned long long)kh_story_count(st), (unsigned long long)closed);
    for (int b = 0; b < BATCH; b++) {
        kh_buf_free(&title[b]);
        kh_buf_free(&text[b]);
    }
    kh_ctx_free(bench_ctx);
    gen_free(&g);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
    bench_corpus_free(&c);
    return 0;
}
