/*
 * bench_util.h — what the benchmark programs share: the SaudiNewsNet corpus
 * read into memory through the library's own reader, and the clocks and
 * memory figures they report with.
 *
 * Header only, with static functions: the Makefile makes a program of every
 * .c file under bench/, so shared code cannot live in a .c file there.
 * The corpus is read at run time from ../shared/corpora/ (the programs run
 * from the repository root); nothing of it is copied into the project.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include "khabar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_CORPUS "../shared/corpora/saudinewsnet/articles.jsonl.gz"

/* Seconds on one clock: CLOCK_MONOTONIC for wall time; the CPU clocks where
 * the machine is shared and wall time would mostly measure the wait for a
 * core. */
static inline double bench_clock(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* realloc and strdup that end the program on failure: a benchmark that
 * ran out of memory has nothing to report. */
static inline void *bench_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return q;
}

static inline char *bench_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(bench_xrealloc(NULL, n), s, n);
}

/* s quoted for sh, in single quotes, cut to fit size. */
static inline void bench_shell_quote(char *out, size_t size, const char *s)
{
    size_t k = 0;
    if (k + 1 < size)
        out[k++] = '\'';
    for (; *s && k + 5 < size; s++) {
        if (*s == '\'') {
            memcpy(out + k, "'\\''", 4);
            k += 4;
        } else {
            out[k++] = *s;
        }
    }
    if (k + 1 < size)
        out[k++] = '\'';
    out[k] = '\0';
}

static inline double bench_wall(void) { return bench_clock(CLOCK_MONOTONIC); }
/* Every thread of the process, the ones that have ended included. */
static inline double bench_cpu(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }
static inline double bench_thread_cpu(void) { return bench_clock(CLOCK_THREAD_CPUTIME_ID); }

/* A "Vm..." field of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1. */
static inline long bench_status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n) && line[n] == ':') {
            v = atol(line + n + 1);
            break;
        }
    fclose(f);
    return v;
}

/* One article as the corpus gives it. The strings are the corpus's own
 * (one block an article) and may be edited in place; title, date and
 * source are NULL when the record has none. */
typedef struct bench_article {
    char *id, *title, *date, *source, *text;
    size_t title_len, text_len;
} bench_article;

typedef struct bench_corpus {
    bench_article *v;
    size_t n, cap;
} bench_corpus;

static inline void bench_corpus_free(bench_corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].id); /* the block starts with the id, which the reader requires */
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* Copies what the programs use of d into one block. */
static inline int bench_corpus_add(bench_corpus *c, const kh_doc *d)
{
    const char *src[5] = { d->id, d->title, d->date, d->source, d->content };
    size_t len[5], total = 0;
    for (int i = 0; i < 5; i++) {
        len[i] = !src[i] ? 0 : i == 4 ? d->content_len : strlen(src[i]);
        total += src[i] ? len[i] + 1 : 0;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        bench_article *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return -1;
        c->v = v;
        c->cap = cap;
    }
    char *p = malloc(total);
    if (!p)
        return -1;
    char *dst[5];
    for (int i = 0; i < 5; i++) {
        dst[i] = NULL;
        if (!src[i])
            continue;
        dst[i] = p;
        memcpy(p, src[i], len[i]);
        p[len[i]] = 0;
        p += len[i] + 1;
    }
    c->v[c->n++] = (bench_article){ dst[0], dst[1], dst[2], dst[3], dst[4], len[1], len[4] };
    return 0;
}

/*
 * Reads the articles of path (JSON Lines, gzipped or not: what kh_reader
 * reads) in file order, keeping those whose text has at least min_text
 * bytes and, when min_title is not 0, a title of at least min_title bytes;
 * max 0 keeps them all. Records the reader refuses are passed over.
 * @return 0, or -1 when path cannot be opened or memory runs out (c is
 * then empty).
 */
static inline int bench_corpus_load(bench_corpus *c, const char *path, size_t max,
                                    size_t min_text, size_t min_title)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb"); /* the reader opens lazily and would say so late */
    if (!f)
        return -1;
    fclose(f);
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return -1;
    kh_reader *rd;
    if (kh_reader_open(ctx, &path, 1, &rd) != KH_OK) {
        kh_ctx_free(ctx);
        return -1;
    }
    int rc = 0;
    while (!max || c->n < max) {
        kh_doc *d;
        kh_status st = kh_reader_next(rd, &d);
        if (st == KH_E_NOMEM) {
            rc = -1;
            break;
        }
        if (st != KH_OK)
            continue;
        if (!d)
            break;
        int keep = d->content_len >= min_text &&
                   (!min_title || (d->title && strlen(d->title) >= min_title));
        if (keep && bench_corpus_add(c, d) != 0)
            rc = -1;
        kh_doc_free(d);
        if (rc)
            break;
    }
    kh_reader_free(rd);
    kh_ctx_free(ctx);
    if (rc)
        bench_corpus_free(c);
    return rc;
}

#endif /* BENCH_UTIL_H */
