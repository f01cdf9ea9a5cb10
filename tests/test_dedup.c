/*
 * test_dedup.c — copies grouped: exact copies, near copies with each kind of
 * edit outlets make, non-copies that share a quote, chains that must not
 * join, thread-count invariance, bad input and allocation failure.
 *
 * The texts are our own Arabic sentences; the larger cases also read real
 * articles from ../shared/corpora at run time and are skipped without them.
 */
#include "testhelp.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

/* A story of our own, about 180 words, and a second, unrelated one. */
static const char story[] =
    "أعلنت وزارة الصحة اليوم الأحد عن افتتاح مستشفى جديد في مدينة أبها بسعة 300 سرير، "
    "وذلك ضمن خطة الوزارة لتوسيع الخدمات الصحية في المناطق الجنوبية من المملكة.\n\n"
    "وقال المتحدث الرسمي باسم الوزارة إن المستشفى يضم أقساما متخصصة في أمراض القلب "
    "والأورام وطب الأطفال، إضافة إلى مركز للطوارئ يعمل على مدار الساعة، ومختبرات حديثة "
    "مجهزة بأحدث الأجهزة الطبية.\n\n"
    "وأوضح أن تكلفة المشروع بلغت نحو 450 مليون ريال، وأن العمل فيه استمر ثلاث سنوات "
    "بمشاركة شركات وطنية، مشيرا إلى أن المستشفى سيوفر أكثر من ألف وظيفة للشباب من أبناء "
    "المنطقة في المجالات الطبية والإدارية والفنية.\n\n"
    "ومن المتوقع أن يستقبل المستشفى مرضاه الأوائل مطلع الشهر المقبل، بعد اكتمال تجهيز "
    "غرف العمليات وتدريب الكوادر على الأنظمة الإلكترونية الجديدة التي تربط المستشفى "
    "بالمراكز الصحية في القرى والمحافظات المجاورة.\n\n"
    "وأكد مدير الشؤون الصحية في المنطقة أن الافتتاح يأتي استجابة لتزايد أعداد السكان "
    "وحاجتهم إلى خدمات تخصصية كانوا يسافرون من أجلها إلى المدن الكبرى، لافتا إلى أن "
    "الوزارة تعمل على مشروعات مماثلة في جازان ونجران والباحة خلال العامين المقبلين.\n\n"
    "ويذكر أن المنطقة شهدت العام الماضي افتتاح مركزين صحيين جديدين.";

static const char other[] =
    "شهدت أسواق الأسهم الخليجية تراجعا ملحوظا في ختام تعاملات الأسبوع، متأثرة بانخفاض "
    "أسعار النفط في الأسواق العالمية وتراجع شهية المستثمرين للمخاطرة.\n\n"
    "وهبط المؤشر العام للسوق بنسبة اثنين في المئة، بضغط من أسهم البنوك والبتروكيماويات "
    "التي سجلت أكبر الخسائر منذ بداية العام، فيما ارتفعت أسهم قطاع الاتصالات بشكل طفيف.\n\n"
    "ويرى محللون أن السوق قد تشهد مزيدا من التذبذب خلال الأيام المقبلة، في انتظار نتائج "
    "الشركات للربع الثالث وقرارات البنوك المركزية بشأن أسعار الفائدة، ناصحين صغار "
    "المستثمرين بالحذر وعدم الاندفاع وراء الشائعات.";

/* The quote two different articles share. */
static const char quote[] =
    "إن التعليم هو حجر الأساس في بناء المجتمعات الحديثة، ولن نتوقف عن دعم المدارس "
    "والجامعات وتطوير المناهج حتى يحصل كل طالب على فرصة عادلة في التعلم والعمل والإبداع";

typedef struct text {
    char *s;
    size_t len;
} text;

static text cat3(const char *a, const char *b, const char *c)
{
    text t;
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    t.s = malloc(la + lb + lc + 1);
    memcpy(t.s, a, la);
    memcpy(t.s + la, b, lb);
    memcpy(t.s + la + lb, c, lc + 1);
    t.len = la + lb + lc;
    return t;
}

/* Replaces every occurrence of from with to. */
static text replace_all(const char *s, const char *from, const char *to)
{
    size_t lf = strlen(from), lt = strlen(to), n = 0;
    for (const char *p = strstr(s, from); p; p = strstr(p + lf, from))
        n++;
    text t;
    t.s = malloc(strlen(s) + n * (lt > lf ? lt - lf : 0) + 1);
    char *o = t.s;
    const char *p;
    while ((p = strstr(s, from)) != NULL) {
        memcpy(o, s, (size_t)(p - s));
        o += p - s;
        memcpy(o, to, lt);
        o += lt;
        s = p + lf;
    }
    strcpy(o, s);
    t.len = strlen(t.s);
    return t;
}

static kh_deduper *make(kh_ctx *ctx, double threshold, unsigned threads, unsigned perms)
{
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    o.threshold = threshold;
    o.threads = threads;
    if (perms)
        o.num_perms = perms;
    kh_deduper *dd = NULL;
    KH_CHECK(kh_dedup_create(ctx, &o, &dd) == KH_OK);
    return dd;
}

static void test_options(void)
{
    KH_TEST("options");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    KH_CHECK(o.threshold == 0.8);
    KH_CHECK_INT(o.num_perms, 128);
    kh_deduper *dd = (kh_deduper *)1;
    o.threshold = 1.5;
    KH_CHECK_INT(kh_dedup_create(ctx, &o, &dd), KH_E_ARG);
    KH_CHECK(dd == NULL);
    KH_CHECK(strstr(kh_errmsg(ctx), "threshold") != NULL);
    kh_dedup_options_init(&o);
    o.num_perms = 100;
    KH_CHECK_INT(kh_dedup_create(ctx, &o, &dd), KH_E_ARG);
    kh_dedup_options_init(&o);
    o.shingle = 0;
    KH_CHECK_INT(kh_dedup_create(ctx, &o, &dd), KH_E_ARG);
    KH_CHECK_INT(kh_dedup_create(ctx, NULL, &dd), KH_OK);
    kh_dedup_free(dd);
    kh_dedup_free(NULL);
    kh_ctx_free(ctx);
}

static void test_exact(void)
{
    KH_TEST("exact copies");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_deduper *dd = make(ctx, 0.8, 2, 0);
    /* The same words with other spaces and punctuation, and the normalized
     * form of the text, are exact copies. */
    text spaced = replace_all(story, " ", "   ");
    kh_buf norm;
    kh_buf_init(&norm, ctx, 0);
    KH_CHECK(kh_text_normalize(&norm, story, strlen(story)) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "a", "2015-07-01", story, strlen(story)) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "b", "2015-07-01", other, strlen(other)) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "c", "2015-07-02", spaced.s, spaced.len) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "d", "2015-07-03", norm.data, norm.len) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "e", "2015-07-03", story, strlen(story)) == KH_OK);
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    KH_CHECK_INT(kh_dedup_group(dd, 0), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 1), 1);
    KH_CHECK_INT(kh_dedup_group(dd, 2), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 3), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 4), 0);
    KH_CHECK(kh_dedup_similarity(dd, 4) == 1.0);
    kh_dedup_stats st;
    kh_dedup_stats_get(dd, &st);
    KH_CHECK_INT(st.docs, 5);
    KH_CHECK_INT(st.exact_dups, 3);
    KH_CHECK_INT(st.groups, 1);
    KH_CHECK_INT(st.largest_group, 4);
    KH_CHECK(st.bytes_per_doc > 0);
    KH_CHECK_STR(kh_dedup_id(dd, 2), "c");
    KH_CHECK(kh_dedup_id(dd, 5) == NULL);
    KH_CHECK(kh_dedup_group(dd, 5) == (size_t)-1);
    free(spaced.s);
    kh_buf_free(&norm);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
}

/* Each kind of edit an outlet makes, alone, keeps a copy a copy. */
static void test_near_edits(void)
{
    static const char *const names[] = {
        "header", "footer", "dropped paragraph", "hamza", "alef maqsura", "ta marbuta",
        "digits", "tashkeel", "tatweel", "typo", "swapped paragraphs", "presentation forms",
    };
    const size_t n_edits = sizeof names / sizeof names[0];
    text e[sizeof names / sizeof names[0]];
    e[0] = cat3("الرياض - واس:\n\n", story, "");
    e[1] = cat3(story, "\n\nالمصدر: وكالة الأنباء السعودية، تابعونا على تويتر", "");
    {
        const char *last = strrchr(story, '\n');
        e[2].len = (size_t)(last - story);
        e[2].s = malloc(e[2].len + 1);
        memcpy(e[2].s, story, e[2].len);
        e[2].s[e[2].len] = 0; /* the last paragraph: under a fifth of the words */
    }
    e[3] = replace_all(story, "أ", "ا");
    e[4] = replace_all(story, "ى ", "ي ");
    e[5] = replace_all(story, "ة ", "ه ");
    {
        text t1 = replace_all(story, "300", "٣٠٠");
        e[6] = replace_all(t1.s, "450", "٤٥٠");
        free(t1.s);
    }
    e[7] = replace_all(story, "المستشفى", "المُسْتَشْفَى");
    e[8] = replace_all(story, "الوزارة", "الـوزارة");
    e[9] = replace_all(story, "الطبية", "الطيبة");
    {
        const char *p2 = strstr(story, "\n\n") + 2;
        const char *p3 = strstr(p2, "\n\n") + 2;
        char *first = malloc((size_t)(p2 - story) + 1), *second = malloc((size_t)(p3 - p2) + 1);
        memcpy(first, story, (size_t)(p2 - story));
        first[p2 - story] = 0;
        memcpy(second, p2, (size_t)(p3 - p2));
        second[p3 - p2] = 0;
        e[10] = cat3(second, first, p3);
        free(first);
        free(second);
    }
    e[11] = replace_all(story, "لا", "ﻻ"); /* lam-alef ligature U+FEFB */

    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_deduper *dd = make(ctx, 0.8, 2, 0);
    KH_CHECK(kh_dedup_add(dd, "orig", "2015-07-01", story, strlen(story)) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "other", "2015-07-01", other, strlen(other)) == KH_OK);
    for (size_t i = 0; i < n_edits; i++) {
        char id[64];
        snprintf(id, sizeof id, "copy-%zu", i);
        KH_CHECK(kh_dedup_add(dd, id, "2015-07-02", e[i].s, e[i].len) == KH_OK);
    }
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    KH_CHECK_INT(kh_dedup_group(dd, 1), 1);
    for (size_t i = 0; i < n_edits; i++) {
        KH_TEST(names[i]);
        KH_CHECK_INT(kh_dedup_group(dd, 2 + i), 0);
        KH_CHECK(kh_dedup_similarity(dd, 2 + i) >= 0.8);
        free(e[i].s);
    }
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
}

/* Two different articles that quote the same long statement are not copies. */
static void test_shared_quote(void)
{
    KH_TEST("shared quote");
    text a = cat3(story, "\n\nوقال الوزير: ", quote);
    text b = cat3(other, "\n\nوقال الوزير: ", quote);
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_deduper *dd = make(ctx, 0.8, 1, 0);
    KH_CHECK(kh_dedup_add(dd, "a", "2015-07-01", a.s, a.len) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "b", "2015-07-01", b.s, b.len) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "q", "2015-07-01", quote, strlen(quote)) == KH_OK);
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    KH_CHECK_INT(kh_dedup_group(dd, 0), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 1), 1);
    KH_CHECK_INT(kh_dedup_group(dd, 2), 2);
    kh_dedup_stats st;
    kh_dedup_stats_get(dd, &st);
    KH_CHECK_INT(st.groups, 0);
    KH_CHECK_INT(st.largest_group, 1);
    free(a.s);
    free(b.s);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
}

/* Words of real or our own text, for windows that overlap by design. */
typedef struct words {
    char **w;
    size_t n, cap;
} words;

static void words_add_text(words *ws, const char *t)
{
    const char *p = t;
    while (*p) {
        while (*p == ' ' || *p == '\n' || *p == '.' || *p == ',')
            p++;
        const char *s = p;
        while (*p && *p != ' ' && *p != '\n' && *p != '.' && *p != ',')
            p++;
        if (p > s) {
            if (ws->n == ws->cap) {
                ws->cap = ws->cap ? ws->cap * 2 : 256;
                ws->w = realloc(ws->w, ws->cap * sizeof *ws->w);
            }
            ws->w[ws->n] = malloc((size_t)(p - s) + 1);
            memcpy(ws->w[ws->n], s, (size_t)(p - s));
            ws->w[ws->n++][p - s] = 0;
        }
    }
}

static text join_words(const words *ws, size_t from, size_t to)
{
    size_t len = 0;
    for (size_t i = from; i < to; i++)
        len += strlen(ws->w[i]) + 1;
    text t;
    t.s = malloc(len + 1);
    t.len = 0;
    for (size_t i = from; i < to; i++) {
        size_t l = strlen(ws->w[i]);
        memcpy(t.s + t.len, ws->w[i], l);
        t.len += l;
        t.s[t.len++] = ' ';
    }
    t.s[t.len] = 0;
    return t;
}

/* Up to max articles' texts from the real corpus; 0 when it is absent. */
static size_t read_corpus(char **texts, size_t max)
{
    gzFile gz = gzopen("../shared/corpora/saudinewsnet/articles.jsonl.gz", "rb");
    if (!gz)
        return 0;
    static char line[1 << 20];
    size_t n = 0;
    while (n < max && gzgets(gz, line, sizeof line)) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        const char *t = o ? json_string_value(json_object_get(o, "text")) : NULL;
        if (t)
            texts[n++] = strdup(t);
        json_decref(o);
    }
    gzclose(gz);
    return n;
}

/*
 * A chain: B is a near copy of A, C of B, but C is not one of A (Jaccard
 * distance is a metric, so the windows below give J(A,B) = J(B,C) ~ 0.86
 * and J(A,C) ~ 0.74 on 2-word shingles). Union-find would make one group.
 */
static void test_chain(void)
{
    KH_TEST("chain");
    words ws = { 0 };
    char *texts[40];
    size_t nt = read_corpus(texts, 40);
    for (size_t i = 0; i < nt; i++) {
        words_add_text(&ws, texts[i]);
        free(texts[i]);
    }
    while (ws.n < 600) /* no corpus: our own stories, numbered */
    {
        char buf[64];
        words_add_text(&ws, story);
        words_add_text(&ws, other);
        snprintf(buf, sizeof buf, "الفقرة %zu", ws.n);
        words_add_text(&ws, buf);
    }
    const size_t n = 400, s = 30;
    text a = join_words(&ws, 0, n), b = join_words(&ws, s, n + s), c = join_words(&ws, 2 * s, n + 2 * s);
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_deduper *dd = make(ctx, 0.8, 2, 512);
    KH_CHECK(kh_dedup_add(dd, "A", "2015-07-01", a.s, a.len) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "B", "2015-07-02", b.s, b.len) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "C", "2015-07-03", c.s, c.len) == KH_OK);
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    KH_CHECK_INT(kh_dedup_group(dd, 0), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 1), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 2), 2);
    kh_dedup_stats st;
    kh_dedup_stats_get(dd, &st);
    KH_CHECK_INT(st.verified, 2); /* A-B and B-C verified, A-C not */
    KH_CHECK_INT(st.largest_group, 2);
    kh_dedup_free(dd);

    /* The representative is the earliest by date, not the first added. */
    KH_TEST("earliest by date");
    dd = make(ctx, 0.8, 1, 512);
    KH_CHECK(kh_dedup_add(dd, "B", "2015-07-02 10:00", b.s, b.len) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "A", "2015-07-02 09:59", a.s, a.len) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "A2", NULL, a.s, a.len) == KH_OK);
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    KH_CHECK_INT(kh_dedup_group(dd, 0), 1);
    KH_CHECK_INT(kh_dedup_group(dd, 1), 1);
    KH_CHECK_INT(kh_dedup_group(dd, 2), 1);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
    free(a.s);
    free(b.s);
    free(c.s);
    for (size_t i = 0; i < ws.n; i++)
        free(ws.w[i]);
    free(ws.w);
}

typedef struct group_seen {
    size_t groups, members, max;
    double min_sim;
} group_seen;

static int on_group(void *user, size_t rep, const size_t *members, size_t n, double min_sim)
{
    group_seen *g = user;
    g->groups++;
    g->members += n;
    if (n > g->max)
        g->max = n;
    if (min_sim < g->min_sim)
        g->min_sim = min_sim;
    int has_rep = 0;
    for (size_t i = 0; i < n; i++)
        has_rep |= members[i] == rep;
    return has_rep ? 0 : 1;
}

/* Many documents: 1 and 4 threads give the same groups. */
static void test_threads(void)
{
    KH_TEST("threads");
    char *texts[1500];
    size_t nt = read_corpus(texts, 1500);
    if (nt == 0) { /* our own stories, with one word changed in each */
        for (nt = 0; nt < 200; nt++) {
            char num[32];
            snprintf(num, sizeof num, "%zu", nt * 7919);
            text t = replace_all(nt % 2 ? story : other, "في", num);
            texts[nt] = t.s;
        }
    }
    size_t *groups[2] = { NULL, NULL };
    kh_dedup_stats st[2];
    const unsigned threads[2] = { 1, 4 };
    size_t total = 0;
    for (int run = 0; run < 2; run++) {
        kh_ctx *ctx;
        kh_ctx_create(&ctx, NULL);
        kh_deduper *dd = make(ctx, 0.8, threads[run], 0);
        size_t n = 0;
        int added = 1;
        for (size_t i = 0; i < nt; i++) {
            char id[32], date[32];
            snprintf(id, sizeof id, "o%zu", i);
            snprintf(date, sizeof date, "2015-07-%02zu", 1 + i % 28);
            added &= kh_dedup_add(dd, id, date, texts[i], strlen(texts[i])) == KH_OK;
            n++;
            if (i % 3 == 0) { /* a copy with a header and without hamza */
                text t0 = cat3("جدة - واس: ", texts[i], "");
                text t1 = replace_all(t0.s, "أ", "ا");
                snprintf(id, sizeof id, "c%zu", i);
                added &= kh_dedup_add(dd, id, "2015-07-29", t1.s, t1.len) == KH_OK;
                n++;
                free(t0.s);
                free(t1.s);
            }
        }
        KH_CHECK(added);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        kh_dedup_stats_get(dd, &st[run]);
        groups[run] = malloc(n * sizeof(size_t));
        for (size_t i = 0; i < n; i++)
            groups[run][i] = kh_dedup_group(dd, i);
        total = n;
        group_seen g = { 0, 0, 0, 1.0 };
        KH_CHECK(kh_dedup_groups(dd, on_group, &g) == KH_OK);
        KH_CHECK_INT(g.groups, st[run].groups);
        KH_CHECK_INT(g.members, st[run].grouped_docs);
        KH_CHECK_INT(g.max, st[run].largest_group);
        KH_CHECK(g.min_sim >= 0.8);
        kh_dedup_free(dd);
        kh_ctx_free(ctx);
    }
    int same = 1;
    for (size_t i = 0; i < total; i++)
        same &= groups[0][i] == groups[1][i];
    KH_CHECK(same);
    KH_CHECK_INT(st[0].groups, st[1].groups);
    KH_CHECK_INT(st[0].candidates, st[1].candidates);
    KH_CHECK_INT(st[0].verified, st[1].verified);
    /* Every copy found its original. */
    KH_CHECK(st[0].grouped_docs >= 2 * ((nt + 2) / 3));
    for (size_t i = 0; i < nt; i++)
        free(texts[i]);
    free(groups[0]);
    free(groups[1]);
}

/* A wire story republished 600 times, each with its own dateline: the LSH
 * buckets are larger than max_bucket, yet every copy meets the earliest
 * one, which heads every bucket. */
static void test_big_bucket(void)
{
    KH_TEST("big bucket");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    o.threads = 2;
    o.max_bucket = 50;
    kh_deduper *dd = NULL;
    KH_CHECK(kh_dedup_create(ctx, &o, &dd) == KH_OK);
    int added = 1;
    for (int i = 0; i < 600; i++) {
        char id[32], head[64];
        snprintf(id, sizeof id, "r%d", i);
        snprintf(head, sizeof head, "المراسل %d - واس: ", i);
        text t = cat3(head, story, "");
        added &= kh_dedup_add(dd, id, "2015-07-05", t.s, t.len) == KH_OK;
        free(t.s);
    }
    added &= kh_dedup_add(dd, "x", "2015-07-05", other, strlen(other)) == KH_OK;
    KH_CHECK(added);
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    kh_dedup_stats st;
    kh_dedup_stats_get(dd, &st);
    KH_CHECK_INT(st.groups, 1);
    KH_CHECK_INT(st.largest_group, 600);
    KH_CHECK_INT(kh_dedup_group(dd, 599), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 600), 600);
    /* capped: far fewer than 600 * 599 / 2 candidate pairs */
    KH_CHECK(st.candidates < 600 * 60);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
}

static void test_bad_input(void)
{
    KH_TEST("bad input");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_deduper *dd = make(ctx, 0.8, 2, 0);
    KH_CHECK_INT(kh_dedup_add(dd, NULL, NULL, story, strlen(story)), KH_E_ARG);
    KH_CHECK_INT(kh_dedup_add(dd, "", NULL, story, strlen(story)), KH_E_ARG);
    KH_CHECK_INT(kh_dedup_add(dd, "x", NULL, NULL, 5), KH_E_ARG);
    KH_CHECK_INT(kh_dedup_add_doc(dd, NULL), KH_E_ARG);
    group_seen g = { 0, 0, 0, 1.0 };
    KH_CHECK_INT(kh_dedup_groups(dd, on_group, &g), KH_E_ARG);
    KH_CHECK(kh_dedup_group(dd, 0) == (size_t)-1);
    KH_CHECK(kh_dedup_add(dd, "e1", "2015", "", 0) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "e2", "bad date", NULL, 0) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "p", NULL, " .،؛ ", strlen(" .،؛ ")) == KH_OK); /* no words */
    KH_CHECK(kh_dedup_add(dd, "s", NULL, story, strlen(story)) == KH_OK);
    static const char bad[] = "\xff\xfe كلمة \xd9";
    KH_CHECK(kh_dedup_add(dd, "bad", NULL, bad, sizeof bad - 1) == KH_OK);
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    KH_CHECK_INT(kh_dedup_count(dd), 5);
    KH_CHECK_INT(kh_dedup_group(dd, 0), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 1), 1); /* two empty bodies: no body, apart */
    KH_CHECK_INT(kh_dedup_group(dd, 2), 2); /* no words */
    KH_CHECK_INT(kh_dedup_group(dd, 3), 3);
    KH_CHECK_INT(kh_dedup_group(dd, 4), 4);
    KH_CHECK_INT(kh_dedup_add(dd, "late", NULL, story, strlen(story)), KH_E_ARG);
    KH_CHECK_INT(kh_dedup_run(dd), KH_E_ARG);
    kh_dedup_free(dd);

    KH_TEST("no documents");
    dd = make(ctx, 0.8, 0, 0);
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    kh_dedup_stats st;
    kh_dedup_stats_get(dd, &st);
    KH_CHECK_INT(st.docs, 0);
    KH_CHECK_INT(st.groups, 0);
    KH_CHECK(kh_dedup_groups(dd, on_group, &g) == KH_OK);
    KH_CHECK_INT(g.groups, 0);
    kh_dedup_free(dd);

    /* Bodies that are all empty leave a batch's text unallocated: both
     * fingerprinting paths (inline and threads), across a batch boundary,
     * must group them without touching it. */
    KH_TEST("all-empty batch");
    for (unsigned threads = 1; threads <= 3; threads += 2) {
        dd = make(ctx, 0.8, threads, 0);
        char id[16];
        size_t n_empty = 2100; /* past one batch of 2048 */
        kh_status rc = KH_OK;
        for (size_t i = 0; i < n_empty && rc == KH_OK; i++) {
            snprintf(id, sizeof id, "e%zu", i);
            rc = kh_dedup_add(dd, id, i % 2 ? "2015-07-01" : NULL, i % 3 ? "" : NULL, 0);
        }
        KH_CHECK(rc == KH_OK);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        KH_CHECK_INT(kh_dedup_count(dd), n_empty);
        size_t alone = 0;
        for (size_t i = 0; i < n_empty; i++)
            alone += kh_dedup_group(dd, i) == i;
        KH_CHECK_INT(alone, n_empty); /* no body: each its own group */
        kh_dedup_stats_get(dd, &st);
        KH_CHECK_INT(st.no_body, n_empty);
        KH_CHECK_INT(st.groups, 0);
        kh_dedup_free(dd);
    }

    KH_TEST("add_doc");
    /* The same story on two sites' pages, each with its own menus and
     * footer: the cleaned bodies are copies. A text record is taken as is. */
    dd = make(ctx, 0.8, 1, 0);
    static const char *const chrome[2][2] = {
        { "الرئيسية | محليات | اقتصاد | رياضة | اتصل بنا\n",
          "\nجميع الحقوق محفوظة لصحيفة الأفق 2015\nسياسة الخصوصية | شروط الاستخدام\n" },
        { "الصفحة الأولى - أخبار - مقالات - فيديو - إعلانات\n",
          "\nتابعونا على تويتر وفيسبوك\nحقوق النشر محفوظة لشبكة المدار الإخبارية\n" },
    };
    for (int i = 0; i < 3; i++) {
        kh_arena *arena;
        KH_CHECK(kh_arena_create(ctx, &arena) == KH_OK);
        kh_doc *doc = kh_arena_alloc(arena, sizeof *doc);
        memset(doc, 0, sizeof *doc);
        doc->arena = arena;
        doc->id = i == 0 ? "page-1" : i == 1 ? "page-2" : "text-1";
        doc->date = "2015-08-01";
        if (i < 2) {
            text body = replace_all(story, "\n\n", "\n");
            text page = cat3(chrome[i][0], body.s, chrome[i][1]);
            doc->kind = KH_CONTENT_PAGE;
            doc->content = kh_arena_strndup(arena, page.s, page.len);
            doc->content_len = page.len;
            free(body.s);
            free(page.s);
        } else {
            doc->kind = KH_CONTENT_TEXT;
            doc->content = other;
            doc->content_len = strlen(other);
        }
        KH_CHECK(kh_dedup_add_doc(dd, doc) == KH_OK);
        kh_doc_free(doc);
    }
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    KH_CHECK_INT(kh_dedup_group(dd, 1), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 2), 2);
    KH_CHECK(kh_dedup_similarity(dd, 1) >= 0.8);
    kh_dedup_stats st2;
    kh_dedup_stats_get(dd, &st2);
    KH_CHECK_INT(st2.exact_dups, 1); /* the chrome is gone: the same body */
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
}

/* Every allocation failed once in turn: a correct result or KH_E_NOMEM,
 * and nothing leaked. */
static int count_groups(void *user, size_t rep, const size_t *members, size_t n, double min_sim)
{
    (void)rep;
    (void)members;
    (void)min_sim;
    size_t *largest = user;
    if (n > *largest)
        *largest = n;
    return 0;
}

/* Pages whose body the cleaner missed: empty, the same share bar or "read
 * more" line, a caption. None of them is a copy of anything, however many
 * there are; real copies among them still group. */
static void test_no_body(void)
{
    static const char *const leftovers[] = {
        "", " ", "اقرأ المزيد", "شارك الخبر على تويتر فيسبوك واتساب",
        "جميع الحقوق محفوظة لصحيفة الوطن 2015", "الصورة: من الحفل", "\n\n \n",
        "تابعونا على تويتر وفيسبوك للمزيد من الأخبار العاجلة اليوم",
    };
    const size_t n_left = sizeof leftovers / sizeof leftovers[0];
    for (unsigned threads = 1; threads <= 2; threads++) {
        KH_TEST(threads == 1 ? "no body (1 thread)" : "no body (2 threads)");
        kh_ctx *ctx;
        kh_ctx_create(&ctx, NULL);
        kh_deduper *dd = make(ctx, 0.8, threads, 0);
        char id[32];
        size_t n = 0;
        kh_status rc = KH_OK;
        for (size_t i = 0; i < 3000 && rc == KH_OK; i++, n++) {
            const char *t = leftovers[i % n_left];
            snprintf(id, sizeof id, "e%zu", i);
            rc = kh_dedup_add(dd, id, "2015-07-01", t, strlen(t));
        }
        /* Real copies among them: three of story, two of other. */
        text hdr = cat3("الرياض - واس: ", story, "");
        KH_CHECK(kh_dedup_add(dd, "s1", "2015-07-01T08:00", story, strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add(dd, "o1", "2015-07-01T09:00", other, strlen(other)) == KH_OK);
        KH_CHECK(kh_dedup_add(dd, "s2", "2015-07-02", story, strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add(dd, "s3", "2015-07-02", hdr.s, hdr.len) == KH_OK);
        KH_CHECK(kh_dedup_add(dd, "o2", "2015-07-03", other, strlen(other)) == KH_OK);
        KH_CHECK(rc == KH_OK);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        size_t alone = 0;
        for (size_t i = 0; i < n; i++)
            alone += kh_dedup_group(dd, i) == i;
        KH_CHECK_INT(alone, n);
        KH_CHECK_INT(kh_dedup_group(dd, n + 2), n);
        KH_CHECK_INT(kh_dedup_group(dd, n + 3), n);
        KH_CHECK_INT(kh_dedup_group(dd, n + 4), n + 1);
        kh_dedup_stats st;
        kh_dedup_stats_get(dd, &st);
        KH_CHECK_INT(st.no_body, n);
        KH_CHECK_INT(st.groups, 2);
        KH_CHECK_INT(st.largest_group, 3);
        size_t largest = 0;
        KH_CHECK(kh_dedup_groups(dd, count_groups, &largest) == KH_OK);
        KH_CHECK_INT(largest, 3);
        free(hdr.s);
        kh_dedup_free(dd);
        kh_ctx_free(ctx);
    }
    KH_TEST("min_words");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    KH_CHECK_INT(o.min_words, 12);
    o.min_words = 3; /* a caller may lower it: short bodies then match exactly */
    o.threads = 1;
    kh_deduper *dd;
    KH_CHECK(kh_dedup_create(ctx, &o, &dd) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "a", NULL, leftovers[3], strlen(leftovers[3])) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "b", NULL, leftovers[3], strlen(leftovers[3])) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "c", NULL, "", 0) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "d", NULL, "", 0) == KH_OK);
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    KH_CHECK_INT(kh_dedup_group(dd, 1), 0);
    KH_CHECK_INT(kh_dedup_group(dd, 3), 3);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
}

/* A teaser (the lead and "read more") and a trimmed copy are contained in
 * the story; a follow-up (the same lead over another body) is not. */
static void test_contained(void)
{
    KH_TEST("contained copies");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    const char *p2 = strstr(story, "\n\n");
    p2 = strstr(p2 + 2, "\n\n"); /* after two paragraphs */
    const char *p4 = strstr(p2 + 2, "\n\n");
    p4 = strstr(p4 + 2, "\n\n"); /* after four */
    char *lead = strndup(story, (size_t)(p2 - story));
    char *trim = strndup(story, (size_t)(p4 - story));
    const char *first = strstr(story, "\n\n");
    char *lead1 = strndup(story, (size_t)(first - story));
    text teaser = cat3(lead, "\n\nاقرأ المزيد", "");
    text follow = cat3(lead1, "\n\n", other);
    for (unsigned threads = 1; threads <= 2; threads++) {
        kh_deduper *dd = make(ctx, 0.8, threads, 0);
        KH_CHECK(kh_dedup_add(dd, "full", "2015-07-01T08:00", story, strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add(dd, "teaser", "2015-07-01T09:00", teaser.s, teaser.len) == KH_OK);
        KH_CHECK(kh_dedup_add(dd, "trim", "2015-07-01T10:00", trim, strlen(trim)) == KH_OK);
        KH_CHECK(kh_dedup_add(dd, "follow", "2015-07-02T10:00", follow.s, follow.len) == KH_OK);
        KH_CHECK(kh_dedup_add(dd, "quote", "2015-07-01T11:00", quote, strlen(quote)) == KH_OK);
        /* The teaser first: still the full story's copy, not its original. */
        KH_CHECK(kh_dedup_add(dd, "early", "2015-06-30", teaser.s, teaser.len) == KH_OK);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        /* The teaser came first (a day earlier): one group, whose earliest
         * document, the early teaser, stands for it; the later teaser is its
         * exact copy, the full story contains it. */
        KH_CHECK_INT(kh_dedup_group(dd, 1), 5);
        KH_CHECK_INT(kh_dedup_group(dd, 0), 5);
        KH_CHECK_INT(kh_dedup_relation_of(dd, 1), KH_DEDUP_EXACT);
        KH_CHECK_INT(kh_dedup_copy_of(dd, 1), 5);
        KH_CHECK_INT(kh_dedup_relation_of(dd, 0), KH_DEDUP_EXTENDED);
        KH_CHECK_INT(kh_dedup_copy_of(dd, 0), 5);
        /* a date-only day before beats every time of the next day */
        KH_CHECK_INT(kh_dedup_original(dd, 0), 5);
        KH_CHECK(kh_dedup_similarity(dd, 0) >= 0.8);
        KH_CHECK_INT(kh_dedup_group(dd, 2), 5);
        KH_CHECK(kh_dedup_relation_of(dd, 2) == KH_DEDUP_CONTAINED ||
                 kh_dedup_relation_of(dd, 2) == KH_DEDUP_NEAR);
        KH_CHECK_INT(kh_dedup_group(dd, 3), 3); /* the follow-up stays apart */
        KH_CHECK_INT(kh_dedup_group(dd, 4), 4);
        KH_CHECK_INT(kh_dedup_group(dd, 5), 5);
        KH_CHECK_INT(kh_dedup_relation_of(dd, 5), KH_DEDUP_NONE);
        KH_CHECK_INT(kh_dedup_copy_of(dd, 5), 5);
        KH_CHECK_STR(kh_dedup_relation_name(kh_dedup_relation_of(dd, 0)), "extended");
        KH_CHECK_STR(kh_dedup_relation_name(KH_DEDUP_CONTAINED), "contained");
        kh_dedup_stats st;
        kh_dedup_stats_get(dd, &st);
        KH_CHECK_INT(st.groups, 1);
        KH_CHECK_INT(st.largest_group, 4);
        kh_dedup_free(dd);
    }
    /* An outlet's brief, then its own fuller report a day later that holds
     * the brief whole and is mostly new: a follow-up, not a copy. Another
     * outlet's later full text holding it is a republication. */
    KH_CHECK(strlen(lead) * 2 < strlen(story));
    for (int same_outlet = 0; same_outlet <= 1; same_outlet++) {
        kh_deduper *dd = make(ctx, 0.8, 1, 0);
        KH_CHECK(kh_dedup_add_from(dd, "brief", "2015-07-01", "outlet-a", NULL, lead,
                                   strlen(lead)) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "report", "2015-07-02",
                                   same_outlet ? "outlet-a" : "outlet-b", NULL, story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        if (same_outlet) {
            KH_CHECK_INT(kh_dedup_group(dd, 1), 1);
            KH_CHECK_INT(kh_dedup_relation_of(dd, 1), KH_DEDUP_NONE);
        } else {
            KH_CHECK_INT(kh_dedup_group(dd, 1), 0);
            KH_CHECK_INT(kh_dedup_relation_of(dd, 1), KH_DEDUP_EXTENDED);
        }
        kh_dedup_free(dd);
    }
    /* Containment off: the teaser is no copy. */
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    o.containment = 0;
    kh_deduper *dd;
    KH_CHECK(kh_dedup_create(ctx, &o, &dd) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "full", NULL, story, strlen(story)) == KH_OK);
    KH_CHECK(kh_dedup_add(dd, "teaser", NULL, teaser.s, teaser.len) == KH_OK);
    KH_CHECK(kh_dedup_run(dd) == KH_OK);
    KH_CHECK_INT(kh_dedup_group(dd, 1), 1);
    kh_dedup_free(dd);
    o.containment = 1.5;
    KH_CHECK_INT(kh_dedup_create(ctx, &o, &dd), KH_E_ARG);
    free(lead);
    free(trim);
    free(lead1);
    free(teaser.s);
    free(follow.s);
    kh_ctx_free(ctx);
}

static void test_nomem(void)
{
    KH_TEST("nomem");
    text copy = cat3("الرياض - واس: ", story, "");
    for (unsigned threads = 1; threads <= 2; threads++) {
        int clean = 1, correct = 1, succeeded = 0;
        for (long n = 1; n < 400 && !succeeded; n++) {
            kh_test_alloc ta = { 0, n, 0 };
            kh_allocator al = { kh_test_alloc_fn, &ta };
            kh_ctx *ctx;
            if (kh_ctx_create(&ctx, &al) != KH_OK) {
                clean &= ta.live == 0;
                continue;
            }
            kh_dedup_options o;
            kh_dedup_options_init(&o);
            o.threads = threads;
            kh_deduper *dd;
            kh_status rc = kh_dedup_create(ctx, &o, &dd);
            if (rc == KH_OK) {
                rc = kh_dedup_add(dd, "a", "2015-07-01", story, strlen(story));
                if (rc == KH_OK)
                    rc = kh_dedup_add(dd, "b", "2015-07-02", other, strlen(other));
                if (rc == KH_OK)
                    rc = kh_dedup_add(dd, "c", "2015-07-03", copy.s, copy.len);
                if (rc == KH_OK)
                    rc = kh_dedup_run(dd);
                if (rc == KH_OK) {
                    succeeded = 1;
                    correct &= kh_dedup_group(dd, 2) == 0 && kh_dedup_group(dd, 1) == 1;
                } else {
                    correct &= rc == KH_E_NOMEM;
                }
                kh_dedup_free(dd);
            } else {
                correct &= rc == KH_E_NOMEM;
            }
            kh_ctx_free(ctx);
            clean &= ta.live == 0;
        }
        KH_CHECK(succeeded);
        KH_CHECK(correct);
        KH_CHECK(clean);
    }
    free(copy.s);
}

/* PROVENANCE: each rule of the original, in its order. */
static void test_provenance(void)
{
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    text credited = cat3("الرياض - واس: ", story, "");
    const char *p4 = strstr(story, "\n\n");
    for (int i = 0; i < 3; i++)
        p4 = strstr(p4 + 2, "\n\n");
    char *trim = strndup(story, (size_t)(p4 - story));
    for (unsigned threads = 1; threads <= 2; threads++) {
        KH_TEST("provenance: wire credit with its own copy");
        kh_deduper *dd = make(ctx, 0.8, threads, 0);
        KH_CHECK(kh_dedup_add_from(dd, "okaz", "2015-07-01T08:00", "okaz", NULL, credited.s,
                                   credited.len) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "madina", "2015-07-01T09:00", "almadina", NULL,
                                   credited.s, credited.len) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "spa", "2015-07-01T11:30", "spa.gov.sa", NULL, story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "rtr", "2015-07-01T06:00", "Reuters", NULL, other,
                                   strlen(other)) == KH_OK);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        /* The earliest copy stays the group's id; the wire's is the original. */
        KH_CHECK_INT(kh_dedup_group(dd, 2), 0);
        KH_CHECK_INT(kh_dedup_original(dd, 0), 2);
        KH_CHECK_INT(kh_dedup_original(dd, 1), 2);
        KH_CHECK_STR(kh_dedup_wire(dd, 0), "واس");
        KH_CHECK_INT(kh_dedup_copy_of(dd, 2), 2);
        KH_CHECK_INT(kh_dedup_relation_of(dd, 2), KH_DEDUP_NONE);
        KH_CHECK_INT(kh_dedup_copy_of(dd, 0), 2); /* turned around */
        KH_CHECK_INT(kh_dedup_relation_of(dd, 0), KH_DEDUP_NEAR);
        KH_CHECK_INT(kh_dedup_outlets(dd, 1), 3);
        /* alone, an agency's own text: its wire, no copies */
        KH_CHECK_INT(kh_dedup_original(dd, 3), 3);
        KH_CHECK_STR(kh_dedup_wire(dd, 3), "رويترز");
        KH_CHECK_INT(kh_dedup_outlets(dd, 3), 1);
        kh_dedup_free(dd);

        KH_TEST("provenance: credit given, no own copy");
        dd = make(ctx, 0.8, threads, 0);
        KH_CHECK(kh_dedup_add_from(dd, "a", "2015-07-01T10:00", "alghad", "عمان (رويترز)", story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "b", "2015-07-01T09:00", "addustour", "(أ.ف.ب)", story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "c", "2015-07-01T12:00", "annahar", "AFP", story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        /* no agency's copy: the earliest timed; the wire the most credited */
        KH_CHECK_INT(kh_dedup_original(dd, 0), 1);
        KH_CHECK_STR(kh_dedup_wire(dd, 0), "أ ف ب");
        kh_dedup_free(dd);

        KH_TEST("provenance: a credit beats an earlier timed copy only with its own copy");
        dd = make(ctx, 0.8, threads, 0);
        KH_CHECK(kh_dedup_add_from(dd, "early", "2015-07-01T07:00", "sabq", NULL, story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "wam", "2015-07-01T10:00", "WAM", NULL, story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "cred", "2015-07-01T08:00", "albayan", NULL,
                                   credited.s, credited.len) == KH_OK);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        /* the text credits واس, not وام: WAM's copy is no evidence */
        KH_CHECK_INT(kh_dedup_original(dd, 1), 0);
        KH_CHECK_STR(kh_dedup_wire(dd, 1), "واس");
        kh_dedup_free(dd);

        KH_TEST("provenance: timed beats date-only on the same day");
        dd = make(ctx, 0.8, threads, 0);
        KH_CHECK(kh_dedup_add_from(dd, "dateonly", "2015-07-01", "a", NULL, story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "timed", "2015-07-01T23:00", "b", NULL, story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "nextday", "2015-07-02T00:10", "c", NULL, story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        KH_CHECK_INT(kh_dedup_group(dd, 1), 0);
        KH_CHECK_INT(kh_dedup_original(dd, 0), 1);
        KH_CHECK_INT(kh_dedup_copy_of(dd, 0), 1);
        KH_CHECK_INT(kh_dedup_relation_of(dd, 0), KH_DEDUP_EXACT);
        KH_CHECK_INT(kh_dedup_relation_of(dd, 1), KH_DEDUP_NONE);
        KH_CHECK(kh_dedup_wire(dd, 0) == NULL);
        kh_dedup_free(dd);

        KH_TEST("provenance: the most complete text breaks ties");
        dd = make(ctx, 0.8, threads, 0);
        KH_CHECK(kh_dedup_add_from(dd, "trim", "2015-07-01T08:00", "a", NULL, trim,
                                   strlen(trim)) == KH_OK);
        KH_CHECK(kh_dedup_add_from(dd, "full", "2015-07-01T08:00", "b", NULL, story,
                                   strlen(story)) == KH_OK);
        KH_CHECK(kh_dedup_run(dd) == KH_OK);
        KH_CHECK_INT(kh_dedup_group(dd, 1), kh_dedup_group(dd, 0));
        KH_CHECK_INT(kh_dedup_original(dd, 0), 1);
        KH_CHECK_INT(kh_dedup_copy_of(dd, 0), 1);
        KH_CHECK(kh_dedup_relation_of(dd, 0) == KH_DEDUP_CONTAINED ||
                 kh_dedup_relation_of(dd, 0) == KH_DEDUP_NEAR);
        KH_CHECK_INT(kh_dedup_relation_of(dd, 1), KH_DEDUP_NONE);
        kh_dedup_free(dd);
    }
    free(credited.s);
    free(trim);
    kh_ctx_free(ctx);
}


/* Shards (kh_dedup_shard.c): docs[] through N shard pipelines and the merge
 * give kh_pipeline_dedup()'s groups and originals; a set with a missing,
 * truncated or repeated shard is refused, never crashes; an allocation that
 * fails anywhere in the merge is a clean KH_E_NOMEM. */
typedef struct shard_doc {
    const char *id, *date, *source, *text;
} shard_doc;

/* The shards of docs as index of count, appended to bufs[0..count). */
static int make_shards(kh_ctx *ctx, const shard_doc *docs, size_t n, unsigned count,
                       kh_buf *bufs)
{
    for (unsigned i = 0; i < count; i++) {
        kh_pipeline *p;
        if (kh_pipeline_create(ctx, NULL, &p) != KH_OK)
            return -1;
        kh_status rc = kh_pipeline_shard(p, i, count);
        for (size_t d = 0; d < n && rc == KH_OK; d++) {
            kh_doc *doc = kh_test_doc(ctx, docs[d].id, docs[d].text, KH_CONTENT_TEXT);
            if (!doc) {
                rc = KH_E_NOMEM;
                break;
            }
            doc->date = docs[d].date;
            doc->source = docs[d].source;
            rc = kh_pipeline_add_doc(p, doc);
            kh_doc_free(doc);
        }
        if (rc == KH_OK)
            rc = kh_pipeline_dedup_shard(p, NULL, &bufs[i]);
        kh_pipeline_free(p);
        if (rc != KH_OK)
            return -1;
    }
    return 0;
}

static kh_status merge(kh_ctx *ctx, kh_buf *bufs, unsigned count, kh_deduper **out)
{
    const char *names[8] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7" };
    const void *data[8];
    size_t lens[8];
    for (unsigned i = 0; i < count; i++) {
        data[i] = bufs[i].data ? bufs[i].data : "";
        lens[i] = bufs[i].len;
    }
    return kh_dedup_merge_buffers(ctx, names, data, lens, count, 1, out);
}

static void test_shards(void)
{
    KH_TEST("shards");
    text copy = cat3("الرياض - واس: ", story, "");
    text teaser = cat3(story, "", "");
    char *lead_end = strchr(teaser.s + teaser.len / 3, ' ');
    if (lead_end)
        *lead_end = 0; /* the lead: a contained copy */
    const shard_doc docs[] = {
        { "late", "2015-07-03", "okaz", copy.s },
        { "orig", "2015-07-01 09:00", "spa", story },
        { "other", "2015-07-01", "x", other },
        { "teaser", "2015-07-02", "y", teaser.s },
        { "same", "2015-07-02", "z", story },
        { "short", "2015-07-02", "z", "three words only" },
    };
    size_t n = sizeof docs / sizeof *docs;
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        abort();
    /* the single run */
    kh_pipeline *p;
    kh_deduper *one = NULL;
    KH_CHECK(kh_pipeline_create(ctx, NULL, &p) == KH_OK);
    for (size_t d = 0; d < n; d++) {
        kh_doc *doc = kh_test_doc(ctx, docs[d].id, docs[d].text, KH_CONTENT_TEXT);
        doc->date = docs[d].date;
        doc->source = docs[d].source;
        KH_CHECK(kh_pipeline_add_doc(p, doc) == KH_OK);
        kh_doc_free(doc);
    }
    KH_CHECK(kh_pipeline_dedup(p, &one) == KH_OK);
    kh_pipeline_free(p);
    size_t count = kh_dedup_count(one);
    KH_CHECK(count >= 5);
    KH_CHECK(kh_dedup_group(one, 0) == kh_dedup_group(one, 1)); /* the dateline copy */
    for (unsigned shards = 1; shards <= 4; shards++) {
        kh_buf bufs[4];
        for (unsigned i = 0; i < 4; i++)
            kh_buf_init(&bufs[i], ctx, 0);
        KH_CHECK(make_shards(ctx, docs, n, shards, bufs) == 0);
        kh_deduper *dd = NULL;
        KH_CHECK(merge(ctx, bufs, shards, &dd) == KH_OK);
        KH_CHECK(kh_dedup_count(dd) == count);
        int same = 1;
        for (size_t d = 0; dd && d < count; d++) {
            same &= strcmp(kh_dedup_id(dd, d), kh_dedup_id(one, d)) == 0;
            same &= kh_dedup_group(dd, d) == kh_dedup_group(one, d);
            same &= kh_dedup_original(dd, d) == kh_dedup_original(one, d);
            same &= kh_dedup_copy_of(dd, d) == kh_dedup_copy_of(one, d);
            same &= kh_dedup_relation_of(dd, d) == kh_dedup_relation_of(one, d);
            same &= kh_dedup_similarity(dd, d) == kh_dedup_similarity(one, d);
            const char *w1 = kh_dedup_wire(dd, d), *w2 = kh_dedup_wire(one, d);
            same &= (w1 == NULL) == (w2 == NULL) && (!w1 || strcmp(w1, w2) == 0);
        }
        KH_CHECK(same);
        kh_dedup_free(dd);
        if (shards == 2) {
            /* a missing shard, a shard twice */
            KH_CHECK(merge(ctx, bufs, 1, &dd) == KH_E_FORMAT && !dd);
            kh_buf twice[2] = { bufs[0], bufs[0] };
            KH_CHECK(merge(ctx, twice, 2, &dd) == KH_E_FORMAT && !dd);
            /* every truncation of shard 1 is refused with a message */
            size_t full = bufs[1].len;
            int refused = 1;
            for (size_t cut = 0; cut < full; cut++) {
                bufs[1].len = cut;
                kh_status rc = merge(ctx, bufs, 2, &dd);
                refused &= rc == KH_E_FORMAT && !dd && strstr(kh_errmsg(ctx), "s1: byte");
                kh_dedup_free(dd);
                dd = NULL;
            }
            bufs[1].len = full;
            KH_CHECK(refused);
            /* allocation N fails: a clean KH_E_NOMEM, nothing leaks */
            int clean = 1, correct = 1, succeeded = 0;
            for (long fail = 1; fail < 2000 && !succeeded; fail++) {
                kh_test_alloc ta = { 0, fail, 0 };
                kh_allocator al = { kh_test_alloc_fn, &ta };
                kh_ctx *c2;
                if (kh_ctx_create(&c2, &al) != KH_OK) {
                    clean &= ta.live == 0;
                    continue;
                }
                kh_status rc = merge(c2, bufs, 2, &dd);
                if (rc == KH_OK) {
                    succeeded = 1;
                    correct &= kh_dedup_group(dd, 0) == kh_dedup_group(one, 0);
                } else {
                    correct &= rc == KH_E_NOMEM && !dd;
                }
                kh_dedup_free(dd);
                dd = NULL;
                kh_ctx_free(c2);
                clean &= ta.live == 0;
            }
            KH_CHECK(succeeded);
            KH_CHECK(correct);
            KH_CHECK(clean);
        }
        for (unsigned i = 0; i < 4; i++)
            kh_buf_free(&bufs[i]);
    }
    /* a shard end on a run that is no shard, a shard made late */
    KH_CHECK(kh_pipeline_create(ctx, NULL, &p) == KH_OK);
    kh_buf b;
    kh_buf_init(&b, ctx, 0);
    KH_CHECK(kh_pipeline_dedup_shard(p, NULL, &b) == KH_E_ARG);
    KH_CHECK(kh_pipeline_shard(p, 2, 2) == KH_E_ARG);
    kh_pipeline_free(p);
    KH_CHECK(kh_pipeline_create(ctx, NULL, &p) == KH_OK);
    KH_CHECK(kh_pipeline_shard(p, 0, 2) == KH_OK);
    kh_deduper *not_a_run = NULL;
    KH_CHECK(kh_pipeline_dedup(p, &not_a_run) == KH_E_ARG && !not_a_run);
    KH_CHECK(kh_pipeline_run(p) == KH_E_ARG);
    kh_pipeline_free(p);
    kh_buf_free(&b);
    kh_dedup_free(one);
    kh_ctx_free(ctx);
    free(copy.s);
    free(teaser.s);
}

int main(void)
{
    test_options();
    test_exact();
    test_near_edits();
    test_shared_quote();
    test_chain();
    test_threads();
    test_big_bucket();
    test_bad_input();
    test_no_body();
    test_contained();
    test_provenance();
    test_nomem();
    test_shards();
    return kh_test_report("test_dedup");
}
