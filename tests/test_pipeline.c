/*
 * test_pipeline.c — the one driver of the chain, through the API: the
 * incremental end over a store gives the stories of the batch end, however
 * the stream is cut. The sample corpus (examples/corpus), plus the seed
 * pages of ../shared/seeds when they are there, is cut into k = 2..5 parts
 * at random places (fixed seeds); each part is ingested in order into one
 * store, and the stored stories must be those of ingesting everything at
 * once, and those of kh_pipeline_run() over the same stream. Also: the
 * seeds ingested 2 + 3 are one story; an outlet's repeated footer is not
 * stored; a second ingest of the same input writes nothing; a story says
 * which of its articles copy which, its independent sources and its wire;
 * allocation failure is clean.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define SEEDS "../shared/seeds"
#define MAX_DOCS 256

/* The documents of the stream, read anew for each run (cleaning adds to a
 * document's arena). Bad records (the seeds' gold.json) are left out. */
static size_t read_stream(kh_ctx *ctx, int with_seeds, kh_doc **docs)
{
    const char *paths[2] = { "examples/corpus", SEEDS };
    kh_reader *r;
    if (kh_reader_open(ctx, paths, with_seeds ? 2 : 1, &r) != KH_OK)
        return 0;
    size_t n = 0;
    for (;;) {
        kh_doc *d = NULL;
        kh_status rc = kh_reader_next(r, &d);
        if (rc != KH_OK)
            continue;
        if (!d)
            break;
        if (n == MAX_DOCS) {
            kh_doc_free(d);
            continue;
        }
        docs[n++] = d;
    }
    kh_reader_free(r);
    return n;
}

/* A run's stories as text: each story its sorted article ids joined by
 * ' ', one story a line, lines sorted. Comparing two is comparing stories. */
typedef struct stories {
    char **lines;
    size_t n, cap;
} stories;

static void stories_add(stories *s, char **ids, size_t n)
{
    for (size_t i = 1; i < n; i++) /* insertion sort: stories are small */
        for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
            char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(ids[i]) + 1;
    char *line = malloc(len);
    line[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(line, " ");
        strcat(line, ids[i]);
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->lines = realloc(s->lines, s->cap * sizeof *s->lines);
    }
    s->lines[s->n++] = line;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void stories_sort(stories *s)
{
    if (s->n)
        qsort(s->lines, s->n, sizeof *s->lines, cmp_str);
}

static int stories_equal(const stories *a, const stories *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->lines[i], b->lines[i]) != 0)
            return 0;
    return 1;
}

static void stories_print(const char *what, const stories *s)
{
    fprintf(stderr, "  %s (%zu stories):\n", what, s->n);
    for (size_t i = 0; i < s->n; i++)
        fprintf(stderr, "    %s\n", s->lines[i]);
}

static void stories_free(stories *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->lines[i]);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

/* ---- the stories a store holds ---- */

typedef struct id_list {
    char **ids;
    size_t n, cap;
} id_list;

static int list_article(void *user, const kh_store_article *a)
{
    id_list *l = user;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->ids = realloc(l->ids, l->cap * sizeof *l->ids);
    }
    l->ids[l->n++] = strdup(a->id);
    return 0;
}

typedef struct story_ids {
    int64_t *v;
    size_t n, cap;
} story_ids;

static int list_story(void *user, const kh_store_story *s)
{
    story_ids *l = user;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s->id;
    return 0;
}

static void stored_stories(kh_store *store, stories *out)
{
    story_ids sid = { NULL, 0, 0 };
    KH_CHECK_INT(kh_store_list_stories(store, 0, SIZE_MAX, list_story, &sid), KH_OK);
    for (size_t i = 0; i < sid.n; i++) {
        id_list l = { NULL, 0, 0 };
        int found = 0;
        KH_CHECK_INT(kh_store_get_story(store, sid.v[i], &found, NULL, list_article, &l), KH_OK);
        KH_CHECK(l.n > 0); /* no empty story */
        stories_add(out, l.ids, l.n);
        for (size_t k = 0; k < l.n; k++)
            free(l.ids[k]);
        free(l.ids);
    }
    free(sid.v);
    stories_sort(out);
}

static int count_unfiled(void *user, const kh_store_article *a)
{
    (void)a;
    (*(size_t *)user)++;
    return 0;
}

/* Ingests docs[from, to) as one run. */
static kh_status ingest_part(kh_ctx *ctx, kh_store *store, kh_doc **docs, size_t from, size_t to,
                             kh_pipeline_ingest_stats *st)
{
    kh_pipeline_options o;
    kh_pipeline_options_init(&o);
    o.flags = KH_PIPELINE_SKIP_EMPTY;
    kh_pipeline *p;
    kh_status rc = kh_pipeline_create(ctx, &o, &p);
    for (size_t i = from; rc == KH_OK && i < to; i++)
        rc = kh_pipeline_add_doc(p, docs[i]);
    if (rc == KH_OK)
        rc = kh_pipeline_ingest(p, store, st);
    kh_pipeline_free(p);
    return rc;
}

/* Ingests the stream cut at cuts[0..n_cuts) (sorted) into a new store and
 * reads its stories. */
static void ingest_cut(int with_seeds, const size_t *cuts, size_t n_cuts, stories *out)
{
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_doc *docs[MAX_DOCS];
    size_t n = read_stream(ctx, with_seeds, docs);
    kh_store *store;
    KH_CHECK_INT(kh_store_open(ctx, ":memory:", &store), KH_OK);
    size_t from = 0;
    for (size_t c = 0; c <= n_cuts; c++) {
        size_t to = c < n_cuts ? cuts[c] : n;
        kh_pipeline_ingest_stats st;
        kh_status rc = ingest_part(ctx, store, docs, from, to, &st);
        KH_CHECK_INT(rc, KH_OK);
        if (rc != KH_OK)
            fprintf(stderr, "  %s\n", kh_errmsg(ctx));
        from = to;
    }
    size_t unfiled = 0;
    KH_CHECK_INT(kh_store_articles_unfiled(store, count_unfiled, &unfiled), KH_OK);
    KH_CHECK_INT(unfiled, 0);
    KH_CHECK_INT(kh_store_check(store), KH_OK);
    stored_stories(store, out);

    /* the same runs again: nothing written */
    from = 0;
    for (size_t c = 0; c <= n_cuts; c++) {
        size_t to = c < n_cuts ? cuts[c] : n;
        kh_pipeline_ingest_stats st;
        KH_CHECK_INT(ingest_part(ctx, store, docs, from, to, &st), KH_OK);
        KH_CHECK_INT(st.added + st.updated + st.filed, 0);
        KH_CHECK_INT(st.stories_new + st.stories_updated, 0);
        KH_CHECK_INT(st.commits, 0);
        from = to;
    }
    kh_store_close(store);
    for (size_t i = 0; i < n; i++)
        kh_doc_free(docs[i]);
    kh_ctx_free(ctx);
}

/* ---- the batch end ---- */

static int batch_story(void *user, const kh_pipeline_story *s)
{
    char **ids = malloc((s->n_articles ? s->n_articles : 1) * sizeof *ids);
    for (size_t i = 0; i < s->n_articles; i++)
        ids[i] = (char *)s->ids[i];
    stories_add(user, ids, s->n_articles);
    free(ids);
    return 0;
}

/* Runs the batch end of a pipeline with options o over docs[0..n), and
 * frees the documents. */
static void run_docs(kh_ctx *ctx, const kh_pipeline_options *o, kh_doc **docs, size_t n)
{
    kh_pipeline *p;
    kh_status rc = kh_pipeline_create(ctx, o, &p);
    for (size_t i = 0; rc == KH_OK && i < n; i++)
        rc = kh_pipeline_add_doc(p, docs[i]);
    if (rc == KH_OK)
        rc = kh_pipeline_run(p);
    KH_CHECK_INT(rc, KH_OK);
    kh_pipeline_free(p);
    for (size_t i = 0; i < n; i++)
        kh_doc_free(docs[i]);
}

static void batch(int with_seeds, stories *out)
{
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_doc *docs[MAX_DOCS];
    size_t n = read_stream(ctx, with_seeds, docs);
    kh_pipeline_options o;
    kh_pipeline_options_init(&o);
    o.flags = KH_PIPELINE_SKIP_EMPTY | KH_PIPELINE_NO_ACCOUNTS;
    o.on_story = batch_story;
    o.on_story_user = out;
    run_docs(ctx, &o, docs, n);
    kh_ctx_free(ctx);
    stories_sort(out);
}

/* A small deterministic generator (splitmix64), so cuts are the same on
 * every machine. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static void test_split_invariance(int with_seeds)
{
    KH_TEST("incremental = batch");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_doc *docs[MAX_DOCS];
    size_t n = read_stream(ctx, with_seeds, docs);
    for (size_t i = 0; i < n; i++)
        kh_doc_free(docs[i]);
    kh_ctx_free(ctx);
    KH_CHECK(n >= 40);

    stories once = { 0 }, run = { 0 };
    ingest_cut(with_seeds, NULL, 0, &once);
    batch(with_seeds, &run);
    KH_CHECK(once.n >= 10);
    KH_CHECK(stories_equal(&once, &run));
    if (!stories_equal(&once, &run)) {
        stories_print("ingested at once", &once);
        stories_print("kh_pipeline_run", &run);
    }
    static const uint64_t seeds[] = { 1, 7, 42, 2026 };
    for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++)
        for (size_t k = 2; k <= 5; k++) {
            uint64_t state = seeds[s] * 1000 + k;
            size_t cuts[4];
            for (size_t c = 0; c + 1 < k; c++) {
                size_t at;
                int dup;
                do { /* distinct places in 1..n-1 */
                    at = 1 + (size_t)(next_rand(&state) % (n - 1));
                    dup = 0;
                    for (size_t j = 0; j < c; j++)
                        dup |= cuts[j] == at;
                } while (dup);
                cuts[c] = at;
            }
            qsort(cuts, k - 1, sizeof *cuts, cmp_size);
            stories parts = { 0 };
            ingest_cut(with_seeds, cuts, k - 1, &parts);
            int same = stories_equal(&parts, &once);
            KH_CHECK(same);
            if (!same) {
                fprintf(stderr, "  seed %llu, %zu parts, cut at", (unsigned long long)seeds[s], k);
                for (size_t c = 0; c + 1 < k; c++)
                    fprintf(stderr, " %zu", cuts[c]);
                fprintf(stderr, "\n");
                stories_print("in parts", &parts);
                stories_print("at once", &once);
            }
            stories_free(&parts);
        }
    stories_free(&once);
    stories_free(&run);
}

/* The five seed pages, ingested as 2 then 3, are one story of five. */
static void test_seeds_two_three(void)
{
    KH_TEST("seeds 2 + 3");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    const char *paths[1] = { SEEDS };
    kh_reader *r;
    KH_CHECK_INT(kh_reader_open(ctx, paths, 1, &r), KH_OK);
    kh_doc *docs[8];
    size_t n = 0;
    for (;;) {
        kh_doc *d = NULL;
        kh_status rc = kh_reader_next(r, &d);
        if (rc != KH_OK)
            continue; /* gold.json */
        if (!d)
            break;
        if (n < 8)
            docs[n++] = d;
        else
            kh_doc_free(d);
    }
    kh_reader_free(r);
    KH_CHECK_INT(n, 5);
    kh_store *store;
    KH_CHECK_INT(kh_store_open(ctx, ":memory:", &store), KH_OK);
    kh_pipeline_ingest_stats st;
    KH_CHECK_INT(ingest_part(ctx, store, docs, 0, 2, &st), KH_OK);
    KH_CHECK_INT(ingest_part(ctx, store, docs, 2, n, &st), KH_OK);
    KH_CHECK_INT(st.filed, 3);
    stories s = { 0 };
    stored_stories(store, &s);
    KH_CHECK_INT(s.n, 1);
    KH_CHECK(s.n == 1 && strchr(s.lines[0], ' ') != NULL);
    size_t words = 0;
    for (const char *c = s.n ? s.lines[0] : ""; *c; c++)
        words += *c == ' ';
    KH_CHECK_INT(words + 1, 5);
    stories_free(&s);
    kh_store_close(store);
    for (size_t i = 0; i < n; i++)
        kh_doc_free(docs[i]);
    kh_ctx_free(ctx);
}

/* khaleej's pages end with a correction prompt that reads like a sentence;
 * observed over the run, it is the outlet's boilerplate, and no stored body
 * holds it. */
static int holds_footer(void *user, const kh_store_article *a)
{
    if (a->body && strstr(a->body, "إذا كنت تعتقد أن هذا الخبر"))
        (*(int *)user)++;
    return 0;
}

static void test_footer_not_stored(void)
{
    KH_TEST("repeated footer not stored");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_doc *docs[MAX_DOCS];
    size_t n = read_stream(ctx, 0, docs);
    kh_store *store;
    KH_CHECK_INT(kh_store_open(ctx, ":memory:", &store), KH_OK);
    kh_pipeline_ingest_stats st;
    KH_CHECK_INT(ingest_part(ctx, store, docs, 0, n, &st), KH_OK);
    int with_footer = 0;
    KH_CHECK_INT(kh_store_articles_in_order(store, holds_footer, &with_footer), KH_OK);
    KH_CHECK_INT(with_footer, 0);
    kh_store_close(store);
    for (size_t i = 0; i < n; i++)
        kh_doc_free(docs[i]);
    kh_ctx_free(ctx);
}

/* A new version of a stored article, about something else: it is stored
 * over the old one, grouped again, and the stories are those of one batch
 * over the stream with the new version in the old one's place. */
static const char *const new_version =
    "{\"id\": \"sharq-20250625-017\", \"source\": \"وكالة الشرق للأنباء\", "
    "\"date\": \"2025-06-25T09:20:00Z\", \"title\": \"Airline orders six new jets\", "
    "\"text\": \"The national airline said on Wednesday it had ordered six new narrow-body "
    "jets for delivery before the end of next year, adding to its fleet of 46 aircraft. "
    "The order follows a rise in passenger numbers on regional routes, the airline said, "
    "and the first two jets will arrive in the spring.\"}\n";

static kh_doc *read_new_version(kh_ctx *ctx, kh_reader **r)
{
    kh_doc *d = NULL;
    if (kh_reader_open_buffer(ctx, "new.jsonl", new_version, strlen(new_version), r) == KH_OK)
        kh_reader_next(*r, &d);
    return d;
}

static void test_new_version(void)
{
    KH_TEST("new version regrouped");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    kh_doc *docs[MAX_DOCS];
    size_t n = read_stream(ctx, 0, docs);
    kh_store *store;
    KH_CHECK_INT(kh_store_open(ctx, ":memory:", &store), KH_OK);
    kh_pipeline_ingest_stats st;
    KH_CHECK_INT(ingest_part(ctx, store, docs, 0, n, &st), KH_OK);
    kh_reader *r = NULL;
    kh_doc *nv = read_new_version(ctx, &r);
    KH_CHECK(nv != NULL);
    kh_doc *one[1] = { nv };
    KH_CHECK_INT(ingest_part(ctx, store, one, 0, 1, &st), KH_OK);
    KH_CHECK_INT(st.updated, 1);
    KH_CHECK_INT(st.filed, 0);
    KH_CHECK(st.stories_new + st.stories_updated >= 1);
    int64_t unsettled = -1;
    KH_CHECK_INT(kh_store_count_unsettled(store, &unsettled), KH_OK);
    KH_CHECK_INT(unsettled, 0);
    KH_CHECK_INT(kh_store_check(store), KH_OK);
    stories got = { 0 };
    stored_stories(store, &got);

    /* the batch over the stream with the new version in its place */
    stories want = { 0 };
    kh_pipeline_options o;
    kh_pipeline_options_init(&o);
    o.flags = KH_PIPELINE_SKIP_EMPTY | KH_PIPELINE_NO_ACCOUNTS;
    o.on_story = batch_story;
    o.on_story_user = &want;
    kh_pipeline *p;
    kh_status rc = kh_pipeline_create(ctx, &o, &p);
    size_t replaced = 0;
    for (size_t i = 0; rc == KH_OK && i < n; i++) {
        int same = strcmp(docs[i]->id, nv->id) == 0;
        replaced += same;
        rc = kh_pipeline_add_doc(p, same ? nv : docs[i]);
    }
    if (rc == KH_OK)
        rc = kh_pipeline_run(p);
    KH_CHECK_INT(rc, KH_OK);
    KH_CHECK_INT(replaced, 1);
    stories_sort(&want);
    KH_CHECK(stories_equal(&got, &want));
    if (!stories_equal(&got, &want)) {
        stories_print("stored", &got);
        stories_print("batch", &want);
    }
    /* the new version again: nothing to do */
    KH_CHECK_INT(ingest_part(ctx, store, one, 0, 1, &st), KH_OK);
    KH_CHECK_INT(st.updated + st.filed + st.commits, 0);
    kh_pipeline_free(p);
    stories_free(&got);
    stories_free(&want);
    kh_doc_free(nv);
    kh_reader_free(r);
    kh_store_close(store);
    for (size_t i = 0; i < n; i++)
        kh_doc_free(docs[i]);
    kh_ctx_free(ctx);
}

/* The body's one join and its inverse. */
static void test_body_join_split(void)
{
    KH_TEST("body join and split");
    kh_ctx *ctx;
    kh_ctx_create(&ctx, NULL);
    const char *paras[] = { "أعلنت الوزارة اليوم.", "وقال المتحدث إن العمل بدأ.", "Third." };
    kh_buf b;
    kh_buf_init(&b, ctx, 0);
    KH_CHECK_INT(kh_pipeline_body_join(paras, 3, &b), KH_OK);
    KH_CHECK_STR(b.data, "أعلنت الوزارة اليوم.\nوقال المتحدث إن العمل بدأ.\nThird.");
    const char *back[4];
    KH_CHECK_INT(kh_pipeline_body_split(b.data, back, 4), 3);
    for (size_t i = 0; i < 3; i++)
        KH_CHECK_STR(back[i], paras[i]);
    char two[] = "a\n\nb\n";
    KH_CHECK_INT(kh_pipeline_body_split(two, back, 4), 2);
    KH_CHECK_INT(kh_pipeline_body_split(two, back, 1), 1);
    kh_buf_free(&b);
    kh_ctx_free(ctx);
}

/* A wire's copy group (after tests/cli/dedup.sh): the agency's own copy
 * (spa) and three outlets' copies of it, one crediting واس in its dateline,
 * and one report apart. */
#define PROV_P1 "أعلنت وزارة الصحة اليوم الأحد عن افتتاح مستشفى جديد في مدينة أبها بسعة 300 " \
                "سرير، وذلك ضمن خطة الوزارة لتوسيع الخدمات الصحية في المناطق الجنوبية من المملكة."
#define PROV_C1 "الرياض - واس: اعلنت وزارة الصحة اليوم الاحد عن افتتاح مستشفى جديد في مدينة " \
                "ابها بسعة ٣٠٠ سرير، وذلك ضمن خطة الوزارة لتوسيع الخدمات الصحية في المناطق " \
                "الجنوبية من المملكة."
#define PROV_P2 "وقال المتحدث الرسمي باسم الوزارة إن المستشفى يضم أقساما متخصصة في أمراض القلب " \
                "والأورام وطب الأطفال، إضافة إلى مركز للطوارئ يعمل على مدار الساعة، ومختبرات " \
                "حديثة مجهزة بأحدث الأجهزة الطبية."
#define PROV_P3 "وأوضح أن تكلفة المشروع بلغت نحو 450 مليون ريال، وأن العمل فيه استمر ثلاث سنوات " \
                "بمشاركة شركات وطنية، مشيرا إلى أن المستشفى سيوفر أكثر من ألف وظيفة للشباب من " \
                "أبناء المنطقة."
static const char *const prov_jsonl =
    "{\"id\": \"late\", \"date\": \"2015-07-03T10:00\", \"source\": \"okaz\", "
    "\"text\": \"" PROV_C1 "\\n\\n" PROV_P2 "\\n\\n" PROV_P3 "\"}\n"
    "{\"id\": \"orig\", \"date\": \"2015-07-01T08:00\", \"source\": \"alriyadh\", "
    "\"text\": \"" PROV_P1 "\\n\\n" PROV_P2 "\\n\\n" PROV_P3 "\"}\n"
    "{\"id\": \"same\", \"date\": \"2015-07-02\", \"source\": \"okaz\", "
    "\"text\": \"" PROV_P1 "   \\n" PROV_P2 " \\n\\n " PROV_P3 "\"}\n"
    "{\"id\": \"wire\", \"date\": \"2015-07-04T09:00\", \"source\": \"spa\", "
    "\"text\": \"" PROV_P1 "\\n\\n" PROV_P2 "\\n\\n" PROV_P3 "\"}\n"
    "{\"id\": \"jets\", \"date\": \"2015-07-02\", \"source\": \"okaz\", "
    "\"title\": \"Airline orders six new jets\", \"text\": \"The national airline said on "
    "Thursday it had ordered six new narrow-body jets for delivery before the end of next "
    "year, adding to its fleet of 46.\"}\n";

/* What on_story saw of each story, checked as it closes. */
typedef struct prov_seen {
    int stories, grouped, apart;
} prov_seen;

static const char *copy_of(const kh_pipeline_story *s, const char *id, kh_dedup_relation *rel)
{
    for (size_t i = 0; i < s->n_articles; i++)
        if (!strcmp(s->ids[i], id)) {
            *rel = s->relation[i];
            return s->copy_of[i];
        }
    *rel = KH_DEDUP_NO_BODY;
    return "(not in the story)";
}

static int prov_story(void *user, const kh_pipeline_story *s)
{
    prov_seen *seen = user;
    seen->stories++;
    kh_dedup_relation rel;
    if (s->n_articles == 4) {
        seen->grouped++;
        KH_CHECK(copy_of(s, "wire", &rel) == NULL && rel == KH_DEDUP_NONE);
        KH_CHECK_STR(copy_of(s, "orig", &rel), "wire");
        KH_CHECK_INT(rel, KH_DEDUP_EXACT);
        KH_CHECK_STR(copy_of(s, "same", &rel), "orig");
        KH_CHECK_INT(rel, KH_DEDUP_EXACT);
        KH_CHECK_STR(copy_of(s, "late", &rel), "orig");
        KH_CHECK_INT(rel, KH_DEDUP_NEAR);
        KH_CHECK_INT(s->independent_sources, 1); /* spa, the agency's own */
        KH_CHECK(s->wire && !strcmp(s->wire, "واس"));
        KH_CHECK_INT(s->wire_outlets, 3); /* okaz, alriyadh, spa */
    } else if (s->n_articles == 1) {
        seen->apart++;
        KH_CHECK(s->copy_of[0] == NULL && s->relation[0] == KH_DEDUP_NONE);
        KH_CHECK_INT(s->independent_sources, 1);
        KH_CHECK(s->wire == NULL);
        KH_CHECK_INT(s->wire_outlets, 0);
    }
    return 0;
}

static void test_provenance(void)
{
    KH_TEST("a story's provenance");
    kh_ctx *ctx = NULL;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    prov_seen seen = { 0, 0, 0 };
    kh_pipeline_options o;
    kh_pipeline_options_init(&o);
    o.flags |= KH_PIPELINE_NO_ACCOUNTS;
    o.on_story = prov_story;
    o.on_story_user = &seen;
    kh_pipeline *p = NULL;
    kh_reader *r = NULL;
    kh_status rc = kh_pipeline_create(ctx, &o, &p);
    if (rc == KH_OK)
        rc = kh_reader_open_buffer(ctx, "prov.jsonl", prov_jsonl, strlen(prov_jsonl), &r);
    while (rc == KH_OK) {
        kh_doc *d = NULL;
        rc = kh_reader_next(r, &d);
        if (rc != KH_OK || !d)
            break;
        rc = kh_pipeline_add_doc(p, d);
        kh_doc_free(d);
    }
    if (rc == KH_OK)
        rc = kh_pipeline_run(p);
    KH_CHECK(rc == KH_OK);
    KH_CHECK_INT(seen.stories, 2);
    KH_CHECK_INT(seen.grouped, 1);
    KH_CHECK_INT(seen.apart, 1);
    kh_reader_free(r);
    kh_pipeline_free(p);
    kh_ctx_free(ctx);
}

/* Four clean records: two reports of one event, a copy of the first from
 * another outlet, and a report of another event. */
static const char *const nomem_jsonl =
    "{\"id\":\"a\",\"date\":\"2025-06-25\",\"title\":\"سيول تضرب مرسى النخيل\","
    "\"text\":\"ضربت سيول جارفة مدينة مرسى النخيل يوم السبت وأودت بحياة سبعة أشخاص "
    "وغمرت المياه ساحات الميناء والمستودعات القريبة منه.\"}\n"
    "{\"id\":\"b\",\"date\":\"2025-06-25T18:00\",\"title\":\"سبعة قتلى في سيول مرسى النخيل\","
    "\"text\":\"قتل سبعة أشخاص في سيول جارفة ضربت مدينة مرسى النخيل وغمرت ساحات "
    "الميناء والمستودعات، بحسب الدفاع المدني.\"}\n"
    "{\"id\":\"c\",\"date\":\"2025-06-26\",\"title\":\"Airline orders six new jets\","
    "\"text\":\"The national airline said on Thursday it had ordered six new narrow-body "
    "jets for delivery before the end of next year, adding to its fleet of 46.\"}\n"
    "{\"id\":\"d\",\"date\":\"2025-06-25T20:00\",\"source\":\"okaz\","
    "\"title\":\"سيول تضرب مرسى النخيل\","
    "\"text\":\"ضربت سيول جارفة مدينة مرسى النخيل يوم السبت وأودت بحياة سبعة أشخاص "
    "وغمرت المياه ساحات الميناء والمستودعات القريبة منه.\"}\n";

static int count_story(void *user, const kh_pipeline_story *s)
{
    *(size_t *)user += s->n_articles;
    for (size_t i = 0; i < s->n_articles; i++)
        if (s->copy_of[i]) /* d copies a */
            *(size_t *)user += 100;
    return 0;
}

static void test_nomem(void)
{
    KH_TEST("allocation failure");
    int clean = 1, succeeded = 0;
    for (long n = 1; n < 20000 && !succeeded; n++) {
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) {
            clean &= ta.live == 0;
            continue;
        }
        size_t arts = 0;
        kh_pipeline_options o;
        kh_pipeline_options_init(&o);
        o.on_story = count_story;
        o.on_story_user = &arts;
        kh_pipeline *p = NULL;
        kh_reader *r = NULL;
        kh_status rc = kh_pipeline_create(ctx, &o, &p);
        if (rc == KH_OK)
            rc = kh_reader_open_buffer(ctx, "mem.jsonl", nomem_jsonl, strlen(nomem_jsonl), &r);
        while (rc == KH_OK) {
            kh_doc *d = NULL;
            rc = kh_reader_next(r, &d);
            if (rc != KH_OK || !d)
                break;
            rc = kh_pipeline_add_doc(p, d);
            kh_doc_free(d);
        }
        if (rc == KH_OK)
            rc = kh_pipeline_run(p);
        if (rc == KH_OK) {
            succeeded = 1;
            KH_CHECK_INT(arts, 104);
        }
        clean &= rc == KH_OK || rc == KH_E_NOMEM;
        kh_reader_free(r);
        kh_pipeline_free(p);
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
    KH_CHECK(succeeded);
}

/* ---- worker threads give what one thread gives ---- */

/* Everything a run says, as text: each story (its ids in the order they
 * joined, what each copies, its account as JSON) a line, lines sorted;
 * then each problem in the order it was told, with its message. */
typedef struct run_trace {
    stories lines;
    kh_ctx *ctx;
    char problems[8192];
    int n_problems;
} run_trace;

static int trace_story(void *user, const kh_pipeline_story *s)
{
    run_trace *t = user;
    kh_buf b;
    kh_buf_init(&b, t->ctx, 0);
    for (size_t i = 0; i < s->n_articles; i++) {
        kh_buf_printf(&b, "%s<%s>,", s->ids[i], s->copy_of[i] ? s->copy_of[i] : "");
    }
    kh_buf_printf(&b, " %zu %s ", s->independent_sources, s->wire ? s->wire : "-");
    if (s->account)
        kh_account_json(s->account, 0, &b);
    char *line = b.data ? b.data : "";
    stories_add(&t->lines, &line, 1);
    kh_buf_free(&b);
    return 0;
}

static int trace_problem(void *user, const kh_pipeline_problem *pr)
{
    run_trace *t = user;
    size_t used = strlen(t->problems);
    snprintf(t->problems + used, sizeof t->problems - used, "%s %d %s\n", pr->id, (int)pr->status,
             pr->status != KH_OK ? kh_errmsg(t->ctx) : "");
    t->n_problems++;
    return 0;
}

/* The stream with pages and text records taking turns, so that text
 * records are cleaned between batches of pages still to be observed. */
static size_t mixed_stream(kh_ctx *ctx, const char *extra, kh_doc **out)
{
    kh_doc *docs[MAX_DOCS], *pages[MAX_DOCS], *texts[MAX_DOCS];
    size_t n = read_stream(ctx, access(SEEDS, R_OK) == 0, docs), np = 0, nt = 0, k = 0;
    const char *paths[1] = { extra };
    kh_reader *r;
    if (kh_reader_open(ctx, paths, 1, &r) == KH_OK) {
        for (;;) {
            kh_doc *d = NULL;
            if (kh_reader_next(r, &d) != KH_OK)
                continue; /* a bad record: the reader goes on past it */
            if (!d)
                break;
            if (n < MAX_DOCS)
                docs[n++] = d;
            else
                kh_doc_free(d);
        }
        kh_reader_free(r);
    }
    for (size_t i = 0; i < n; i++) {
        if (docs[i]->kind == KH_CONTENT_TEXT)
            texts[nt++] = docs[i];
        else
            pages[np++] = docs[i];
    }
    for (size_t i = 0, j = 0; i < np || j < nt;) {
        if (i < np) out[k++] = pages[i++];
        if (i < np) out[k++] = pages[i++];
        if (j < nt) out[k++] = texts[j++];
    }
    return k;
}

static void traced_run(const char *extra, unsigned threads, run_trace *t)
{
    memset(t, 0, sizeof *t);
    kh_ctx_create(&t->ctx, NULL);
    kh_doc *docs[MAX_DOCS];
    size_t n = mixed_stream(t->ctx, extra, docs);
    kh_pipeline_options o;
    kh_pipeline_options_init(&o);
    o.flags = KH_PIPELINE_SKIP_EMPTY;
    o.dedup.threads = threads;
    o.on_story = trace_story;
    o.on_story_user = t;
    o.on_problem = trace_problem;
    o.on_problem_user = t;
    run_docs(t->ctx, &o, docs, n);
    stories_sort(&t->lines);
}

#define MADINA_FOOTER "تصدر هذه النشرة كل صباح عن مكتب الأخبار في المدينة وتصل إلى القراء " \
                      "في أنحاء المنطقة عبر البريد والموقع منذ سنوات طويلة."

static void test_threads(void)
{
    KH_TEST("worker threads clean and observe as one thread does");
    /* Two pages the cleaner cannot take, among the others: one nested past
     * the depth limit, one that is not UTF-8. */
    char dir[] = "/tmp/khabar-test-threads-XXXXXX";
    if (!mkdtemp(dir)) {
        KH_CHECK(0);
        return;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/deep.html", dir);
    FILE *f = fopen(path, "w");
    fputs("<html><body>", f);
    for (int i = 0; i < 700; i++)
        fputs("<div>", f);
    fputs("<p>نص عميق جدا في الصفحة</p></body></html>\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/latin1.txt", dir);
    f = fopen(path, "w");
    fputs("Caf\xe9 au lait\nLe march\xe9 a ouvert ce matin \xe0 Tunis.\n", f);
    fclose(f);
    /* Six pages of one outlet under a footer that reads like prose: only
     * the counts of what the outlet repeats take it away. */
    snprintf(path, sizeof path, "%s/madina.jsonl", dir);
    f = fopen(path, "w");
    for (int i = 1; i <= 6; i++)
        fprintf(f, "{\"id\": \"madina-%d\", \"source\": \"madina-news\", \"date\": "
                   "\"2016-03-0%d\", \"html\": \"<html><body><h1>افتتاح مشروع جديد رقم %d في "
                   "المدينة</h1><p>أعلنت البلدية اليوم افتتاح المشروع رقم %d الذي يخدم آلاف "
                   "السكان في الأحياء الشمالية، وقال رئيس البلدية إن العمل فيه استمر عامين "
                   "كاملين بتكلفة بلغت %d مليون ريال.</p><p>وأضاف أن المشروع يشمل حدائق وممرات "
                   "للمشاة ومواقف للسيارات، وأن المرحلة %d ستبدأ في العام المقبل.</p><p>%s</p>"
                   "</body></html>\"}\n",
                i, i, i, i, i, i, MADINA_FOOTER);
    fclose(f);
    run_trace one, four;
    traced_run(dir, 1, &one);
    traced_run(dir, 4, &four);
    KH_CHECK(one.lines.n >= 20);
    KH_CHECK(one.n_problems >= 1);
    KH_CHECK(strstr(one.problems, "deep.html") != NULL);
    int footer_one = 0, footer_four = 0, madina = 0;
    for (size_t i = 0; i < one.lines.n; i++) {
        footer_one += strstr(one.lines.lines[i], "تصدر هذه النشرة") != NULL;
        madina += strstr(one.lines.lines[i], "madina-") != NULL;
    }
    for (size_t i = 0; i < four.lines.n; i++)
        footer_four += strstr(four.lines.lines[i], "تصدر هذه النشرة") != NULL;
    KH_CHECK(madina >= 1);
    KH_CHECK_INT(footer_one, 0);
    KH_CHECK_INT(footer_four, 0);
    KH_CHECK(stories_equal(&one.lines, &four.lines));
    KH_CHECK_STR(four.problems, one.problems);
    if (!stories_equal(&one.lines, &four.lines)) {
        stories_print("one thread", &one.lines);
        stories_print("four threads", &four.lines);
    }
    stories_free(&one.lines);
    stories_free(&four.lines);
    kh_ctx_free(one.ctx);
    kh_ctx_free(four.ctx);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    int with_seeds = access(SEEDS, R_OK) == 0;
    if (!with_seeds)
        printf("test_pipeline: %s absent, the examples alone are cut and seed checks skipped\n",
               SEEDS);
    test_body_join_split();
    test_split_invariance(with_seeds);
    if (with_seeds)
        test_seeds_two_three();
    test_footer_not_stored();
    test_new_version();
    test_provenance();
    test_threads();
    test_nomem();
    return kh_test_report("test_pipeline");
}
