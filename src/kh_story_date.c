/*
 * kh_story_date.c — a time for undated articles, read from their content.
 *
 * Stories are built online in time order, so an article without a date has
 * no place in the stream. Borrowing the time of whatever came before it in
 * the input makes the result depend on the order of the inputs: an undated
 * page listed after a week of other news lands a week late and starts a
 * story of its own. Instead, an undated article takes the time of the dated
 * article it is most similar to, when that similarity is high enough to say
 * both report the same event; otherwise it stays undated.
 *
 * Similarity is the cosine of TF-IDF vectors over stemmed title and body
 * terms (stopwords and numbers left out), with document frequencies from
 * the batch itself. Candidates come from postings of the dated articles'
 * terms, so the cost follows shared terms, not undated x dated pairs.
 *
 * Invariant: only articles with dated == 0 are changed, and only to the
 * time of a dated article of the same language; ties go to the earlier
 * article in the array, so the result does not depend on thread count or
 * hash order.
 */
#include "kh_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Terms read from one article: enough to judge the event, bounded work. */
#define KHI_DATE_MAX_TERMS 4000
/* Terms shared by more articles than this carry no signal worth the scan. */
#define KHI_DATE_MAX_POSTINGS 20000

typedef struct term_weight {
    uint64_t hash;
    double weight; /* the count until step 3 weighs it */
    uint32_t df;   /* articles of the batch holding the term */
} term_weight;

typedef struct posting {
    uint64_t hash;
    uint32_t doc;
    double weight; /* the term's weight in doc */
} posting;

typedef struct collect_state {
    kh_lang lang;
    uint64_t *hashes;
    size_t n, cap;
} collect_state;

static int collect_token(void *user, unsigned flags, const char *token, size_t token_len,
                         size_t start, size_t end)
{
    (void)start;
    (void)end;
    collect_state *c = user;
    if (flags & KH_TOKEN_NUMBER)
        return 0;
    if (c->n == c->cap)
        return 1; /* enough terms: stop reading this article */
    c->hashes[c->n++] = kh_story_term_hash(c->lang, token, token_len);
    return 0;
}

static int cmp_posting(const void *a, const void *b)
{
    const posting *x = a, *y = b;
    if (x->hash != y->hash)
        return (x->hash > y->hash) - (x->hash < y->hash);
    return (x->doc > y->doc) - (x->doc < y->doc);
}

/* Number of articles holding hash, from the sorted unique (hash, df) table. */
static uint32_t df_of(const uint64_t *df_hash, const uint32_t *df_count, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (df_hash[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && df_hash[lo] == h ? df_count[lo] : 0;
}

kh_status kh_story_date_by_content(kh_ctx *ctx, kh_tokenizer *tok, kh_story_article *articles,
                                   size_t n_articles, double min_similarity, size_t *n_dated)
{
    if (n_dated)
        *n_dated = 0;
    KHI_RETURN_IF(!ctx || !tok || (!articles && n_articles), KH_E_ARG);
    KHI_RETURN_IF(n_articles > UINT32_MAX, KH_E_TOOBIG);
    size_t n_undated = 0;
    for (size_t i = 0; i < n_articles; i++)
        n_undated += !articles[i].dated;
    if (n_undated == 0 || n_undated == n_articles)
        return KH_OK;

    kh_status rc = KH_E_NOMEM;
    kh_lang *langs = kh_malloc(ctx, n_articles * sizeof *langs);
    size_t *start = kh_malloc(ctx, (n_articles + 1) * sizeof *start);
    uint64_t *scratch = kh_malloc(ctx, KHI_DATE_MAX_TERMS * sizeof *scratch);
    term_weight *terms = NULL;
    size_t n_terms = 0, cap_terms = 0;
    uint64_t *all = NULL, *df_hash = NULL;
    uint32_t *df_count = NULL;
    posting *post = NULL;
    double *score = NULL;
    uint32_t *touched = NULL;
    size_t n_df = 0, n_post = 0, n_touched = 0;
    if (!langs || !start || !scratch)
        goto done;

    /* 1. Each article's distinct terms with their counts (weights later). */
    for (size_t i = 0; i < n_articles; i++) {
        kh_story_article *a = &articles[i];
        kh_lang lang = a->lang;
        if (lang == KH_LANG_UNKNOWN || lang >= KH_LANG_COUNT_)
            lang = a->text_len ? kh_lang_detect(a->text, a->text_len)
                               : a->title_len ? kh_lang_detect(a->title, a->title_len)
                                              : KH_LANG_UNKNOWN;
        langs[i] = lang;
        collect_state c = { lang, scratch, 0, KHI_DATE_MAX_TERMS };
        unsigned opts = KH_TOK_STEM | KH_TOK_SKIP_STOPWORDS;
        kh_status t;
        /* The title counts twice: it names the event. */
        for (int twice = 0; twice < 2 && a->title_len; twice++) {
            t = kh_tokenize(tok, lang, a->title, a->title_len, opts, collect_token, &c);
            if (t != KH_OK && t != KH_E_STOPPED) {
                rc = t;
                goto done;
            }
        }
        if (a->text_len) {
            t = kh_tokenize(tok, lang, a->text, a->text_len, opts, collect_token, &c);
            if (t != KH_OK && t != KH_E_STOPPED) {
                rc = t;
                goto done;
            }
        }
        qsort(scratch, c.n, sizeof *scratch, khi_cmp_u64);
        start[i] = n_terms;
        for (size_t j = 0; j < c.n;) {
            size_t k = j;
            while (k < c.n && scratch[k] == scratch[j])
                k++;
            if (KHI_GROW(ctx, terms, n_terms, cap_terms, 4096) != KH_OK)
                goto done;
            terms[n_terms].hash = scratch[j];
            terms[n_terms].weight = (double)(k - j);
            terms[n_terms].df = 0;
            n_terms++;
            j = k;
        }
    }
    start[n_articles] = n_terms;

    /* 2. Document frequencies over the batch. */
    all = kh_malloc(ctx, (n_terms ? n_terms : 1) * sizeof *all);
    df_hash = kh_malloc(ctx, (n_terms ? n_terms : 1) * sizeof *df_hash);
    df_count = kh_malloc(ctx, (n_terms ? n_terms : 1) * sizeof *df_count);
    if (!all || !df_hash || !df_count)
        goto done;
    for (size_t j = 0; j < n_terms; j++)
        all[j] = terms[j].hash;
    qsort(all, n_terms, sizeof *all, khi_cmp_u64);
    for (size_t j = 0; j < n_terms;) {
        size_t k = j;
        while (k < n_terms && all[k] == all[j])
            k++;
        df_hash[n_df] = all[j];
        df_count[n_df++] = (uint32_t)(k - j);
        j = k;
    }

    /* 3. Weights (1 + log tf) x idf, each vector of unit length. */
    for (size_t i = 0; i < n_articles; i++) {
        double norm = 0;
        for (size_t j = start[i]; j < start[i + 1]; j++) {
            uint32_t df = df_of(df_hash, df_count, n_df, terms[j].hash);
            terms[j].df = df;
            double w = (1.0 + log(terms[j].weight)) * log((double)(n_articles + 1) / (double)df);
            terms[j].weight = w;
            norm += w * w;
        }
        norm = norm > 0 ? sqrt(norm) : 1;
        for (size_t j = start[i]; j < start[i + 1]; j++)
            terms[j].weight /= norm;
    }

    /* 4. Postings of the dated articles' shared terms. */
    post = kh_malloc(ctx, (n_terms ? n_terms : 1) * sizeof *post);
    score = kh_malloc(ctx, n_articles * sizeof *score);
    touched = kh_malloc(ctx, n_articles * sizeof *touched);
    if (!post || !score || !touched)
        goto done;
    for (size_t i = 0; i < n_articles; i++) {
        if (!articles[i].dated || articles[i].dated == KH_STORY_TIME_ESTIMATED)
            continue; /* an estimate is lent by no one */
        for (size_t j = start[i]; j < start[i + 1]; j++)
            if (terms[j].df >= 2)
                post[n_post++] = (posting){ terms[j].hash, (uint32_t)i, terms[j].weight };
    }
    qsort(post, n_post, sizeof *post, cmp_posting);
    for (size_t i = 0; i < n_articles; i++)
        score[i] = 0;

    /* 5. Each undated article takes the time of its nearest dated one. */
    size_t dated_now = 0;
    for (size_t u = 0; u < n_articles; u++) {
        if (articles[u].dated)
            continue;
        size_t best = SIZE_MAX;
        double best_score = 0;
        for (size_t j = start[u]; j < start[u + 1]; j++) {
            uint64_t h = terms[j].hash;
            size_t lo = 0, hi = n_post;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (post[mid].hash < h)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            size_t end = lo;
            while (end < n_post && post[end].hash == h)
                end++;
            if (end - lo > KHI_DATE_MAX_POSTINGS)
                continue;
            for (size_t p = lo; p < end; p++) {
                uint32_t d = post[p].doc;
                if (langs[d] != langs[u])
                    continue;
                if (score[d] == 0)
                    touched[n_touched++] = d;
                score[d] += terms[j].weight * post[p].weight;
            }
        }
        /* the best of the articles touched, then their scores back to zero */
        for (size_t t = 0; t < n_touched; t++) {
            uint32_t d = touched[t];
            if (score[d] > best_score || (score[d] == best_score && d < best)) {
                best_score = score[d];
                best = d;
            }
            score[d] = 0;
        }
        n_touched = 0;
        if (best != SIZE_MAX && best_score >= min_similarity) {
            articles[u].dated = KH_STORY_TIME_ESTIMATED;
            /* just after it: an undated report joins the story its
             * neighbour is in rather than starting one ahead of it */
            articles[u].time = articles[best].time + 1;
            dated_now++;
        }
    }
    if (n_dated)
        *n_dated = dated_now;
    rc = KH_OK;

done:
    kh_free(ctx, touched, n_articles * sizeof *touched);
    kh_free(ctx, score, n_articles * sizeof *score);
    kh_free(ctx, post, (n_terms ? n_terms : 1) * sizeof *post);
    kh_free(ctx, df_count, (n_terms ? n_terms : 1) * sizeof *df_count);
    kh_free(ctx, df_hash, (n_terms ? n_terms : 1) * sizeof *df_hash);
    kh_free(ctx, all, (n_terms ? n_terms : 1) * sizeof *all);
    kh_free(ctx, terms, cap_terms * sizeof *terms);
    kh_free(ctx, scratch, KHI_DATE_MAX_TERMS * sizeof *scratch);
    kh_free(ctx, start, (n_articles + 1) * sizeof *start);
    kh_free(ctx, langs, n_articles * sizeof *langs);
    return rc;
}
