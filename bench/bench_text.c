/*
 * bench_text.c — throughput of the text layer on real Arabic news:
 * kh_text_normalize, kh_tokenize without and with stemming, sentences and
 * language detection over every title and text of SaudiNewsNet, in MB of
 * input per CPU second (one core); then tokenizing with stems and detection
 * on the SemEval 2022 articles of each language (en, es, fr, tr), when
 * ../shared has them.
 *   usage: bench_text [PATH]   (default ../shared/corpora/saudinewsnet/articles.jsonl.gz)
 */
#include "bench_util.h"

/* Every title and every text, in file order. */
typedef struct span {
    const char *s;
    size_t len;
} span;

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

#define SEMEVAL "../shared/corpora/semeval2022-dev/articles.jsonl"
#define PASSES 10 /* each language's few hundred KB, read this many times */

/* Tokenize+stem and detection speed per language on SemEval's texts (the
 * language is the id's prefix, "es-..."). */
static void semeval(kh_tokenizer *tok)
{
    bench_corpus c;
    if (bench_corpus_load(&c, SEMEVAL, 0, 0, 0) != 0) {
        fprintf(stderr, "bench_text: %s absent, languages skipped\n", SEMEVAL);
        return;
    }
    static const struct { const char *code; kh_lang lang; } langs[] = {
        { "en", KH_LANG_EN }, { "es", KH_LANG_ES }, { "fr", KH_LANG_FR }, { "tr", KH_LANG_TR },
    };
    size_t all_bytes = 0;
    double all_t = 0;
    for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
        size_t bytes = 0, tokens = 0, hits = 0, texts = 0;
        for (size_t i = 0; i < c.n; i++)
            if (strncmp(c.v[i].id, langs[l].code, 2) == 0)
                bytes += c.v[i].text_len;
        if (!bytes)
            continue;
        double t0 = bench_cpu();
        for (int p = 0; p < PASSES; p++)
            for (size_t i = 0; i < c.n; i++)
                if (strncmp(c.v[i].id, langs[l].code, 2) == 0)
                    kh_tokenize(tok, langs[l].lang, c.v[i].text, c.v[i].text_len, KH_TOK_STEM,
                                count_token, &tokens);
        double t = bench_cpu() - t0;
        char metric[64], note[64];
        snprintf(metric, sizeof metric, "tokenize+stem %s", langs[l].code);
        row(metric, (double)bytes * PASSES / 1e6 / t, "MB/s", "kh_tokenize, SemEval texts");
        t0 = bench_cpu();
        for (int p = 0; p < PASSES; p++)
            for (size_t i = 0; i < c.n; i++)
                if (strncmp(c.v[i].id, langs[l].code, 2) == 0) {
                    hits += kh_lang_detect(c.v[i].text, c.v[i].text_len) == langs[l].lang;
                    texts++;
                }
        t = bench_cpu() - t0;
        all_bytes += bytes * PASSES;
        all_t += t;
        snprintf(metric, sizeof metric, "lang detect %s", langs[l].code);
        snprintf(note, sizeof note, "%.1f%% of texts detected as %s",
                 100.0 * (double)hits / (double)texts, langs[l].code);
        row(metric, (double)bytes * PASSES / 1e6 / t, "MB/s", note);
    }
    if (all_t > 0)
        row("lang detect latin", (double)all_bytes / 1e6 / all_t, "MB/s", "kh_lang_detect, SemEval en es fr tr");
    bench_corpus_free(&c);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : BENCH_CORPUS;
    bench_corpus c;
    span *tx = NULL;
    size_t n = 0, bytes = 0;
    if (bench_corpus_load(&c, path, 0, 0, 0) == 0 && (tx = malloc(2 * c.n * sizeof *tx)))
        for (size_t i = 0; i < c.n; i++) {
            if (c.v[i].title)
                tx[n++] = (span){ c.v[i].title, c.v[i].title_len };
            tx[n++] = (span){ c.v[i].text, c.v[i].text_len };
        }
    if (n == 0) {
        fprintf(stderr, "bench_text: cannot read %s\n", path);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        bytes += tx[i].len;
    double mb = (double)bytes / 1e6;
    fprintf(stderr, "bench_text: %zu texts, %.1f MB\n", n, mb);
    kh_ctx *ctx;
    kh_tokenizer *tok;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_tokenizer_create(ctx, &tok) != KH_OK)
        return 1;
    kh_buf b;
    kh_buf_init(&b, ctx, 0);

    double t0 = bench_cpu();
    size_t out_bytes = 0;
    for (size_t i = 0; i < n; i++) {
        kh_buf_clear(&b);
        if (kh_text_normalize(&b, tx[i].s, tx[i].len) != KH_OK)
            return 1;
        out_bytes += b.len;
    }
    double t = bench_cpu() - t0;
    row("normalize", mb / t, "MB/s", "kh_text_normalize, SaudiNewsNet titles+texts");

    for (int stem = 0; stem < 2; stem++) {
        size_t tokens = 0;
        t0 = bench_cpu();
        for (size_t i = 0; i < n; i++)
            if (kh_tokenize(tok, KH_LANG_AR, tx[i].s, tx[i].len, stem ? KH_TOK_STEM : 0,
                            count_token, &tokens) != KH_OK)
                return 1;
        t = bench_cpu() - t0;
        row(stem ? "tokenize+stem" : "tokenize", mb / t, "MB/s", "kh_tokenize, Arabic");
        row(stem ? "tokenize+stem tokens" : "tokenize tokens", (double)tokens / t / 1e6,
            "Mtokens/s", "");
    }

    size_t sentences = 0;
    t0 = bench_cpu();
    for (size_t i = 0; i < n; i++)
        kh_text_sentences(tx[i].s, tx[i].len, count_span, &sentences);
    t = bench_cpu() - t0;
    row("sentences", mb / t, "MB/s", "kh_text_sentences");

    size_t ar = 0;
    t0 = bench_cpu();
    for (size_t i = 0; i < n; i++)
        ar += kh_lang_detect(tx[i].s, tx[i].len) == KH_LANG_AR;
    t = bench_cpu() - t0;
    row("lang detect", mb / t, "MB/s", "kh_lang_detect");
    row("lang detect ar", 100.0 * (double)ar / (double)n, "%", "texts detected as ar");
    fprintf(stderr, "bench_text: %zu sentences, key bytes %zu\n", sentences, out_bytes);
    semeval(tok);

    kh_buf_free(&b);
    kh_tokenizer_free(tok);
    kh_ctx_free(ctx);
    free(tx);
    bench_corpus_free(&c);
    return 0;
}
