/*
 * bench_text.c — throughput of the text layer on real Arabic news:
 * kh_text_normalize, kh_tokenize without and with stemming, sentences and
 * language detection over every title and text of SaudiNewsNet, in MB of
 * input per CPU second (one core).
 *   usage: bench_text [PATH]   (default ../shared/corpora/saudinewsnet/articles.jsonl.gz)
 */
#include "khabar.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

typedef struct corpus {
    char *data;
    size_t len, cap;
    size_t *ends; /* end offset of each text */
    size_t n, ncap;
} corpus;

static int add_text(corpus *c, const char *s, size_t n)
{
    if (c->len + n > c->cap) {
        size_t cap = c->cap ? c->cap : 1 << 20;
        while (cap < c->len + n)
            cap *= 2;
        char *p = realloc(c->data, cap);
        if (!p)
            return -1;
        c->data = p;
        c->cap = cap;
    }
    if (c->n == c->ncap) {
        size_t cap = c->ncap ? c->ncap * 2 : 1024;
        size_t *p = realloc(c->ends, cap * sizeof *p);
        if (!p)
            return -1;
        c->ends = p;
        c->ncap = cap;
    }
    memcpy(c->data + c->len, s, n);
    c->len += n;
    c->ends[c->n++] = c->len;
    return 0;
}

static int load(corpus *c, const char *path)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 20;
    char *line = malloc(cap);
    while (line && gzgets(f, line, (int)cap)) {
        size_t n = strlen(line);
        while (n == cap - 1 && line[n - 1] != '\n') {
            char *p = realloc(line, cap * 2);
            if (!p)
                break;
            line = p;
            if (!gzgets(f, line + n, (int)(cap * 2 - n)))
                break;
            cap *= 2;
            n = strlen(line);
        }
        json_t *o = json_loadb(line, n, 0, NULL);
        if (!o)
            continue;
        const char *keys[2] = { "title", "text" };
        for (int k = 0; k < 2; k++) {
            json_t *v = json_object_get(o, keys[k]);
            if (json_is_string(v))
                add_text(c, json_string_value(v), json_string_length(v));
        }
        json_decref(o);
    }
    free(line);
    gzclose(f);
    return 0;
}

/* CPU time of this process: the rates are per core, and stay meaningful on
 * a machine shared with other jobs (wall time there halves them). */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_token(void *user, unsigned flags, const char *t, size_t t_len, size_t s, size_t e)
{
    (void)flags; (void)t; (void)t_len; (void)s; (void)e;
    ++*(size_t *)user;
    return 0;
}

static int count_span(void *user, size_t s, size_t e)
{
    (void)s; (void)e;
    ++*(size_t *)user;
    return 0;
}

static void row(const char *metric, double value, const char *unit, const char *note)
{
    printf("row\ttext\t%s\t%.1f\t%s\t%s\n", metric, value, unit, note);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "../shared/corpora/saudinewsnet/articles.jsonl.gz";
    corpus c = { 0 };
    if (load(&c, path) != 0 || c.n == 0) {
        fprintf(stderr, "bench_text: cannot read %s\n", path);
        return 1;
    }
    double mb = (double)c.len / 1e6;
    fprintf(stderr, "bench_text: %zu texts, %.1f MB\n", c.n, mb);
    kh_ctx *ctx;
    kh_tokenizer *tok;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_tokenizer_create(ctx, &tok) != KH_OK)
        return 1;
    kh_buf b;
    kh_buf_init(&b, ctx, 0);

    double t0 = now();
    size_t out_bytes = 0;
    for (size_t i = 0, s = 0; i < c.n; s = c.ends[i++]) {
        kh_buf_clear(&b);
        if (kh_text_normalize(&b, c.data + s, c.ends[i] - s) != KH_OK)
            return 1;
        out_bytes += b.len;
    }
    double t = now() - t0;
    row("normalize", mb / t, "MB/s", "kh_text_normalize, SaudiNewsNet titles+texts");

    for (int stem = 0; stem < 2; stem++) {
        size_t tokens = 0;
        t0 = now();
        for (size_t i = 0, s = 0; i < c.n; s = c.ends[i++])
            if (kh_tokenize(tok, KH_LANG_AR, c.data + s, c.ends[i] - s, stem ? KH_TOK_STEM : 0,
                            count_token, &tokens) != KH_OK)
                return 1;
        t = now() - t0;
        row(stem ? "tokenize+stem" : "tokenize", mb / t, "MB/s", "kh_tokenize, Arabic");
        row(stem ? "tokenize+stem tokens" : "tokenize tokens", (double)tokens / t / 1e6,
            "Mtokens/s", "");
    }

    size_t sentences = 0;
    t0 = now();
    for (size_t i = 0, s = 0; i < c.n; s = c.ends[i++])
        kh_text_sentences(c.data + s, c.ends[i] - s, count_span, &sentences);
    t = now() - t0;
    row("sentences", mb / t, "MB/s", "kh_text_sentences");

    size_t ar = 0;
    t0 = now();
    for (size_t i = 0, s = 0; i < c.n; s = c.ends[i++])
        ar += kh_lang_detect(c.data + s, c.ends[i] - s) == KH_LANG_AR;
    t = now() - t0;
    row("lang detect", mb / t, "MB/s", "kh_lang_detect");
    row("lang detect ar", 100.0 * (double)ar / (double)c.n, "%", "texts detected as ar");
    fprintf(stderr, "bench_text: %zu sentences, key bytes %zu\n", sentences, out_bytes);

    kh_buf_free(&b);
    kh_tokenizer_free(tok);
    kh_ctx_free(ctx);
    free(c.data);
    free(c.ends);
    return 0;
}
