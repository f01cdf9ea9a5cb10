/*
 * story_gen.h — a labeled stream of news reports for the story benchmarks,
 * built at run time from the SaudiNewsNet articles (never copied here).
 *
 * Each base article is an event. The event happens at a time; it gets 1 to 6
 * reports spread over 1 to 3 days, each written by an "outlet" that keeps a
 * different subset of the sentences, swaps some of them, titles it its own
 * way (the original title, a cut title with the outlet's name, or the first
 * words of its lead) and may add a dateline and a closing line of
 * boilerplate. A third of the events are distractors for an earlier event of
 * the same day: their reports carry one sentence of that event (its names,
 * places) as background, yet they are a different story. Every random
 * choice comes from a per-report seed, so the stream is the same on every
 * run, and reports leave the generator in time order through a heap that
 * holds only the next few days.
 */
#ifndef STORY_GEN_H
#define STORY_GEN_H

#include "bench_util.h"

#include <stdint.h>

static uint64_t gen_mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* A small random stream: splitmix64. */
static uint64_t gen_rand(uint64_t *s)
{
    *s += 0x9E3779B97F4A7C15ull;
    return gen_mix(*s);
}

static double gen_unit(uint64_t *s) { return (double)(gen_rand(s) >> 11) / 9007199254740992.0; }

/* The articles events are made of: those with a title and a body of at
 * least four sentences' worth of text (over 400 bytes). Returns 0, or -1
 * when none could be read. */
static int gen_corpus_load(bench_corpus *c)
{
    if (bench_corpus_load(c, BENCH_CORPUS, 0, 401, 1) != 0)
        return -1;
    return c->n ? 0 : -1;
}

/* Sentences of text as [start, end) spans: ends at . ! ? ؟ and newlines. */
typedef struct gen_span {
    size_t s, e;
} gen_span;

static size_t gen_sentences(const char *t, gen_span *out, size_t max)
{
    size_t n = 0, i = 0, len = strlen(t);
    while (i < len && n < max) {
        while (i < len && (t[i] == ' ' || t[i] == '\n'))
            i++;
        size_t s = i;
        while (i < len) {
            if (t[i] == '\n')
                break;
            if (t[i] == '.' || t[i] == '!' || t[i] == '?') {
                i++;
                break;
            }
            if ((unsigned char)t[i] == 0xD8 && i + 1 < len && (unsigned char)t[i + 1] == 0x9F) {
                i += 2;
                break;
            }
            i++;
        }
        if (i > s + 1) {
            out[n].s = s;
            out[n].e = i;
            n++;
        }
    }
    return n;
}

/* Outlet furniture written for this generator. */
static const char *const gen_cities[] = { "الرياض", "جدة", "الدمام", "مكة المكرمة", "أبها",
                                          "المدينة المنورة" };
static const char *const gen_outlets[] = { "واس", "وكالات", "صحيفة الخبر", "المرصد", "الوطن اليوم",
                                           "نبض الخليج", "عاجل نيوز" };
static const char *const gen_trailers[] = {
    "تابعوا آخر الأخبار عبر حساباتنا على مواقع التواصل الاجتماعي.",
    "جميع الحقوق محفوظة للموقع ولا يجوز النقل دون ذكر المصدر.",
    "اقرأ أيضا: أهم الأخبار المحلية والعالمية لهذا اليوم.",
    "للاشتراك في النشرة البريدية أدخل بريدك الإلكتروني.",
    "شارك هذا الخبر مع أصدقائك.",
};
#define GEN_N(a) (sizeof(a) / sizeof((a)[0]))

/* One report waiting in the heap. */
typedef struct gen_report {
    int64_t time;
    uint64_t event;     /* the truth: reports of one event share it */
    uint64_t seed;
    uint32_t base;      /* article index of the event */
    uint32_t background;/* article index whose sentence it borrows, or UINT32_MAX */
    uint32_t k;         /* report number within the event */
} gen_report;

typedef struct gen_stream {
    const bench_corpus *c;
    uint64_t n_events, next_event;
    int64_t start, span;          /* seconds */
    gen_report *heap;
    size_t n_heap, cap_heap;
    uint32_t recent[64];          /* base articles of recent events */
    uint64_t recent_ev[64];
    uint64_t seed;
} gen_stream;

static void gen_init(gen_stream *g, const bench_corpus *c, uint64_t n_events, int days,
                     uint64_t seed)
{
    memset(g, 0, sizeof *g);
    g->c = c;
    g->n_events = n_events;
    g->start = 1435708800; /* 2015-07-01 */
    g->span = (int64_t)days * 86400;
    g->seed = seed;
    for (int i = 0; i < 64; i++)
        g->recent[i] = UINT32_MAX;
}

static void gen_free(gen_stream *g) { free(g->heap); }

static int gen_less(const gen_report *a, const gen_report *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->event != b->event)
        return a->event < b->event;
    return a->k < b->k;
}

static void gen_push(gen_stream *g, gen_report r)
{
    if (g->n_heap == g->cap_heap) {
        g->cap_heap = g->cap_heap ? g->cap_heap * 2 : 1024;
        g->heap = realloc(g->heap, g->cap_heap * sizeof *g->heap);
    }
    size_t i = g->n_heap++;
    while (i > 0 && gen_less(&r, &g->heap[(i - 1) / 2])) {
        g->heap[i] = g->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    g->heap[i] = r;
}

static gen_report gen_pop(gen_stream *g)
{
    gen_report top = g->heap[0], last = g->heap[--g->n_heap];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        const gen_report *best = &last;
        if (l < g->n_heap && gen_less(&g->heap[l], best))
            best = &g->heap[l], m = l;
        if (l + 1 < g->n_heap && gen_less(&g->heap[l + 1], best))
            best = &g->heap[l + 1], m = l + 1;
        if (m == i)
            break;
        g->heap[i] = g->heap[m];
        i = m;
    }
    if (g->n_heap)
        g->heap[i] = last;
    return top;
}

/* Starts event e: its reports go into the heap. */
static void gen_event(gen_stream *g, uint64_t e)
{
    uint64_t s = gen_mix(g->seed ^ (e * 0x2545F4914F6CDD1Dull));
    int64_t t = g->start + (int64_t)((double)g->span * (double)e / (double)g->n_events);
    uint32_t base = (uint32_t)(e % g->c->n);
    /* Reports: 1 to 6, most events have 2 to 4. */
    static const int counts[] = { 1, 2, 2, 3, 3, 3, 4, 4, 5, 6 };
    int n = counts[gen_rand(&s) % 10];
    int64_t spread = (int64_t)(86400 * (1 + gen_rand(&s) % 3));
    uint32_t background = UINT32_MAX;
    if (gen_unit(&s) < 1.0 / 3) {
        uint32_t r = g->recent[gen_rand(&s) % 64];
        if (r != UINT32_MAX && r != base)
            background = r;
    }
    g->recent[e % 64] = base;
    g->recent_ev[e % 64] = e;
    for (int k = 0; k < n; k++) {
        gen_report r;
        r.time = t + (k ? (int64_t)(gen_unit(&s) * (double)spread) : 0);
        r.event = e;
        r.seed = gen_rand(&s);
        r.base = base;
        r.background = background;
        r.k = (uint32_t)k;
        gen_push(g, r);
    }
}

/* Writes report r's title and text. */
static void gen_write(const gen_stream *g, const gen_report *r, kh_buf *title, kh_buf *text)
{
    uint64_t s = r->seed;
    const char *src = g->c->v[r->base].text;
    gen_span sp[256];
    size_t m = gen_sentences(src, sp, 256);
    int keep[256];
    double p = 0.5 + 0.4 * gen_unit(&s);
    size_t kept = 0;
    for (size_t i = 0; i < m; i++) {
        keep[i] = gen_unit(&s) < (i == 0 ? 0.7 : p);
        kept += (size_t)keep[i];
    }
    for (size_t i = 0; i < m && kept < 2; i++)
        if (!keep[i]) {
            keep[i] = 1;
            kept++;
        }
    size_t order[256], n = 0;
    for (size_t i = 0; i < m; i++)
        if (keep[i])
            order[n++] = i;
    for (size_t i = 0; i < n / 4; i++) {
        size_t a = gen_rand(&s) % (n > 1 ? n - 1 : 1);
        size_t tmp = order[a];
        order[a] = order[a + 1 < n ? a + 1 : a];
        order[a + 1 < n ? a + 1 : a] = tmp;
    }
    const char *outlet = gen_outlets[gen_rand(&s) % GEN_N(gen_outlets)];
    kh_buf_clear(text);
    if (gen_unit(&s) < 0.5)
        kh_buf_printf(text, "%s - %s: ", gen_cities[gen_rand(&s) % GEN_N(gen_cities)], outlet);
    /* Background from an earlier event goes second, where reports recall
     * related news. */
    gen_span bg = { 0, 0 };
    if (r->background != UINT32_MAX) {
        gen_span bsp[64];
        size_t bm = gen_sentences(g->c->v[r->background].text, bsp, 64);
        if (bm)
            bg = bsp[gen_rand(&s) % (bm < 3 ? bm : 3)];
    }
    for (size_t i = 0; i < n; i++) {
        kh_buf_append(text, src + sp[order[i]].s, sp[order[i]].e - sp[order[i]].s);
        kh_buf_puts(text, i + 1 < n ? (i % 3 == 2 ? "\n" : " ") : "\n");
        if (i == 0 && bg.e > bg.s) {
            kh_buf_append(text, g->c->v[r->background].text + bg.s, bg.e - bg.s);
            kh_buf_puts(text, "\n");
        }
    }
    if (gen_unit(&s) < 0.5)
        kh_buf_puts(text, gen_trailers[gen_rand(&s) % GEN_N(gen_trailers)]);

    kh_buf_clear(title);
    const char *t = g->c->v[r->base].title;
    int how = (int)(gen_rand(&s) % 3);
    if (how == 0 || n == 0) {
        kh_buf_puts(title, t);
    } else if (how == 1) {
        /* The title cut to its first words, with the outlet's name. */
        size_t words = 0, i = 0, len = strlen(t);
        while (i < len && words < 5) {
            while (i < len && t[i] != ' ')
                i++;
            words++;
            while (i < len && t[i] == ' ')
                i++;
        }
        kh_buf_append(title, t, i);
        kh_buf_printf(title, "| %s", outlet);
    } else {
        /* The first eight words of the lead as title. */
        const char *l = src + sp[order[0]].s;
        size_t len = sp[order[0]].e - sp[order[0]].s, words = 0, i = 0;
        while (i < len && words < 8) {
            while (i < len && l[i] != ' ')
                i++;
            words++;
            while (i < len && l[i] == ' ')
                i++;
        }
        kh_buf_append(title, l, i);
    }
}

/* The next report in time order; returns 0 at the end of the stream. */
static int gen_next(gen_stream *g, gen_report *out)
{
    for (;;) {
        int64_t next_t = g->next_event < g->n_events
                             ? g->start + (int64_t)((double)g->span * (double)g->next_event /
                                                    (double)g->n_events)
                             : INT64_MAX;
        if (g->n_heap && g->heap[0].time < next_t) {
            *out = gen_pop(g);
            return 1;
        }
        if (g->next_event >= g->n_events)
            return 0;
        gen_event(g, g->next_event++);
    }
}

#endif /* STORY_GEN_H */
