/*
 * test_store.c — the SQLite store and the pages rendered from it: schema
 * versions, idempotent inserts, rollback, full-text search through the
 * khabar tokenizer, HTML escaping, allocation failure, read-only opening and
 * stored accounts read back.
 */
#include "kh_internal.h"
#include "testhelp.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <unistd.h>

static char tmpdir[64];

static const char *db_path(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static kh_store_article art(const char *id, const char *title, const char *body)
{
    kh_store_article a;
    memset(&a, 0, sizeof a);
    a.id = id;
    a.title = title;
    a.body = body;
    a.body_len = body ? strlen(body) : 0;
    a.lang = "ar";
    a.source = "وكالة الأنباء";
    a.date = "2016-01-02";
    a.url = "https://example.org/a";
    return a;
}

static int count_hits(void *user, const kh_store_hit *hit)
{
    (void)hit;
    (*(int *)user)++;
    return 0;
}

/* The hit whose id sorts first. */
typedef struct oldest {
    char id[32];
} oldest;

static int oldest_hit(void *user, const kh_store_hit *hit)
{
    oldest *o = user;
    if (!o->id[0] || strcmp(hit->article->id, o->id) < 0)
        snprintf(o->id, sizeof o->id, "%s", hit->article->id);
    return 0;
}

static int search_count(kh_store *st, const char *q)
{
    int n = 0;
    kh_status rc = kh_store_search(st, q, strlen(q), 0, 100, count_hits, &n);
    return rc == KH_OK ? n : -1;
}

/* How many of the named schema objects ("'a','b'") the file has; -1 on error. */
static int schema_count(sqlite3 *db, const char *names)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema WHERE name IN (%s)", names);
    sqlite3_stmt *s;
    int n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* Tables of schema version 1 that held no data and are gone since. */
#define V1_STATE_TABLES "'doc_freq','signatures','lsh_bands','counters'"

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    int rc = in && out ? 0 : -1;
    char buf[8192];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in) fclose(in);
    if (out && fclose(out) != 0) rc = -1;
    return rc;
}

/* What kh_store_get_article() gave of an article's why. */
typedef struct why_seen {
    int is_null;
    int64_t story;
    char text[1024];
} why_seen;

static int why_of(void *user, const kh_store_article *a)
{
    why_seen *w = user;
    w->is_null = a->why == NULL;
    w->story = a->story_id;
    snprintf(w->text, sizeof w->text, "%s", a->why ? a->why : "");
    return 0;
}

static void test_schema(void)
{
    KH_TEST("schema");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    const char *path = db_path("schema.db");
    kh_store *st;
    KH_CHECK(kh_store_open(ctx, path, &st) == KH_OK);
    KH_CHECK_INT(kh_store_schema_version(st), KH_STORE_SCHEMA_VERSION);
    kh_store_article a = art("s1", "عنوان", "نص");
    KH_CHECK(kh_store_put_article(st, &a, NULL) == KH_OK);
    kh_store_close(st);

    /* Opened again: nothing is migrated twice, the data is still there. */
    KH_CHECK(kh_store_open(ctx, path, &st) == KH_OK);
    KH_CHECK_INT(kh_store_schema_version(st), KH_STORE_SCHEMA_VERSION);
    int found = 0;
    KH_CHECK(kh_store_has_article(st, "s1", &found) == KH_OK);
    KH_CHECK_INT(found, 1);
    KH_CHECK(kh_store_check(st) == KH_OK);
    kh_store_close(st);

    /* The tables are there, the state tables of version 1 are not, WAL is on. */
    sqlite3 *db;
    KH_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    KH_CHECK_INT(schema_count(db, "'articles','stories','articles_fts','articles_story'"), 4);
    KH_CHECK_INT(schema_count(db, V1_STATE_TABLES), 0);
    sqlite3_stmt *s;
    KH_CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK);
    KH_CHECK(sqlite3_step(s) == SQLITE_ROW);
    KH_CHECK_STR((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    /* A file from a newer khabar is refused, not damaged. */
    KH_CHECK(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    KH_CHECK(kh_store_open(ctx, path, &st) == KH_E_DB);
    KH_CHECK(st == NULL);
    KH_CHECK(strstr(kh_errmsg(ctx), "newer") != NULL);

    /* Older files migrate and keep every article: tests/data/store-v2.db was
     * written by khabar with schema 2 (an index through khabar's own
     * tokenizer); as version 1 it also has the never-filled state tables. */
    for (int version = 2; version >= 1; version--) {
        path = db_path(version == 2 ? "v2.db" : "v1.db");
        KH_CHECK(copy_file("tests/data/store-v2.db", path) == 0);
        KH_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
        KH_CHECK_INT(schema_count(db, "'articles_fts'"), 1);
        if (version == 1)
            KH_CHECK(sqlite3_exec(db,
                          "CREATE TABLE doc_freq(term INTEGER PRIMARY KEY, df INTEGER NOT NULL);"
                          "CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL)"
                          " WITHOUT ROWID;"
                          "CREATE TABLE signatures(article TEXT PRIMARY KEY, sig BLOB NOT NULL)"
                          " WITHOUT ROWID;"
                          "CREATE TABLE lsh_bands(band INTEGER NOT NULL, key INTEGER NOT NULL,"
                          " article TEXT NOT NULL, PRIMARY KEY(band, key, article)) WITHOUT ROWID;"
                          "PRAGMA user_version = 1",
                          NULL, NULL, NULL) == SQLITE_OK);
        sqlite3_close(db);
        kh_status rc = kh_store_open(ctx, path, &st);
        KH_CHECK(rc == KH_OK);
        if (rc != KH_OK)
            continue;
        KH_CHECK_INT(kh_store_schema_version(st), KH_STORE_SCHEMA_VERSION);
        const char *ids[] = { "v2-ashton", "v2-port", "v2-port-copy" };
        for (size_t i = 0; i < 3; i++) {
            found = 0;
            KH_CHECK(kh_store_has_article(st, ids[i], &found) == KH_OK && found == 1);
        }
        KH_CHECK(kh_store_check(st) == KH_OK);
        /* The migrated index finds the old articles through khabar's words. */
        KH_CHECK_INT(search_count(st, "أشتون"), 1);
        KH_CHECK_INT(search_count(st, "reopening"), 2);
        kh_store_close(st);
        KH_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
        KH_CHECK_INT(schema_count(db, V1_STATE_TABLES), 0);
        KH_CHECK_INT(schema_count(db, "'articles_fts'"), 1);
        sqlite3_close(db);
    }

    /* A schema 3 file (tests/data/store-v3.db, written by khabar before
     * articles kept their why) migrates with every article and its story,
     * each why NULL until it is grouped again. */
    path = db_path("v3.db");
    KH_CHECK(copy_file("tests/data/store-v3.db", path) == 0);
    KH_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    KH_CHECK(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK);
    KH_CHECK(sqlite3_step(s) == SQLITE_ROW);
    KH_CHECK_INT(sqlite3_column_int(s, 0), 3);
    sqlite3_finalize(s);
    sqlite3_close(db);
    /* read-only, it is refused until it is migrated */
    KH_CHECK(kh_store_open_readonly(ctx, path, &st) == KH_E_DB);
    KH_CHECK(strstr(kh_errmsg(ctx), "schema version 3") != NULL);
    KH_CHECK(kh_store_open(ctx, path, &st) == KH_OK);
    if (st) {
        KH_CHECK_INT(kh_store_schema_version(st), KH_STORE_SCHEMA_VERSION);
        const char *ids[] = { "v2-ashton", "v2-port", "v2-port-copy" };
        const int64_t stories[] = { 1, 2, 2 };
        for (size_t i = 0; i < 3; i++) {
            why_seen w = { 0, 0, "" };
            found = 0;
            KH_CHECK(kh_store_get_article(st, ids[i], &found, why_of, &w) == KH_OK);
            KH_CHECK_INT(found, 1);
            KH_CHECK_INT(w.is_null, 1);
            KH_CHECK(w.story == stories[i]);
        }
        KH_CHECK(kh_store_check(st) == KH_OK);
        KH_CHECK_INT(search_count(st, "أشتون"), 1);
        /* and takes a why at once */
        KH_CHECK(kh_store_set_article_why(st, "v2-port", "{\"id\": \"v2-port\", "
                                          "\"decision\": \"copy\"}") == KH_OK);
        kh_store_close(st);
    }
    KH_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    KH_CHECK(sqlite3_prepare_v2(db, "SELECT count(*), count(why) FROM articles", -1, &s, NULL) ==
             SQLITE_OK);
    KH_CHECK(sqlite3_step(s) == SQLITE_ROW);
    KH_CHECK_INT(sqlite3_column_int(s, 0), 3);
    KH_CHECK_INT(sqlite3_column_int(s, 1), 1);
    sqlite3_finalize(s);
    sqlite3_close(db);

    /* Not a database at all. */
    const char *junk = db_path("junk.db");
    FILE *f = fopen(junk, "wb");
    fputs("this is not an SQLite file, just some text that is long enough to look like a header "
          "and then some more text",
          f);
    fclose(f);
    KH_CHECK(kh_store_open(ctx, junk, &st) == KH_E_DB);
    KH_CHECK(st == NULL);
    KH_CHECK(kh_store_open(ctx, NULL, &st) == KH_E_ARG);
    kh_store_close(NULL);
    kh_ctx_free(ctx);
}

static int title_of(void *user, const kh_store_article *a)
{
    snprintf(user, 64, "%s", a->title ? a->title : "");
    return 0;
}

typedef struct since_list {
    int n;
    char ids[64];
} since_list;

static int since_fn(void *user, const kh_store_article *a)
{
    since_list *l = user;
    l->n++;
    size_t len = strlen(l->ids);
    snprintf(l->ids + len, sizeof l->ids - len, "%s ", a->id);
    return 0;
}

/* An article's why: stored as kh_story_why_json() writes it, read back as
 * stored, parsed into the same why; set again, cleared by a new version. */
static void test_why(void)
{
    KH_TEST("why round trip");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_store *st;
    KH_CHECK(kh_store_open(ctx, ":memory:", &st) == KH_OK);
    kh_story_why w;
    memset(&w, 0, sizeof w);
    w.score = 0.52104;
    w.cosine = 0.6;
    w.time_factor = 0.8684;
    w.n_terms = 3;
    snprintf(w.terms[0].text, sizeof w.terms[0].text, "%s", "جد");
    w.terms[0].share = 0.31;
    w.terms[0].kind = KH_STORY_TERM_NAME | KH_STORY_TERM_TITLE;
    snprintf(w.terms[1].text, sizeof w.terms[1].text, "%s", "flood \"<b>\"");
    w.terms[1].share = 0.12;
    snprintf(w.terms[2].text, sizeof w.terms[2].text, "%s", "212");
    w.terms[2].share = 0.05;
    w.terms[2].kind = KH_STORY_TERM_NUMBER;
    kh_buf json;
    kh_buf_init(&json, ctx, 0);
    KH_CHECK(kh_story_why_json(&w, "w1", &json) == KH_OK);
    KH_CHECK_STR(json.data, "{\"id\": \"w1\", \"decision\": \"joined\", \"score\": 0.5210, "
                            "\"cosine\": 0.6000, \"time_factor\": 0.8684, \"terms\": ["
                            "{\"term\": \"جد\", \"share\": 0.3100, \"kind\": [\"title\", \"name\"]}, "
                            "{\"term\": \"flood \\\"<b>\\\"\", \"share\": 0.1200, \"kind\": []}, "
                            "{\"term\": \"212\", \"share\": 0.0500, \"kind\": [\"number\"]}]}");
    kh_store_article a = art("w1", "سيول في جدة", "غمرت السيول شوارع جدة");
    a.why = json.data;
    KH_CHECK(kh_store_put_article(st, &a, NULL) == KH_OK);
    why_seen seen = { 1, 0, "" };
    int found = 0;
    KH_CHECK(kh_store_get_article(st, "w1", &found, why_of, &seen) == KH_OK);
    KH_CHECK_INT(found, 1);
    KH_CHECK_INT(seen.is_null, 0);
    KH_CHECK_STR(seen.text, json.data);
    /* parsed back and written again: the same text */
    kh_story_why back;
    KH_CHECK(kh_story_why_parse(ctx, seen.text, strlen(seen.text), &back) == KH_OK);
    KH_CHECK_INT((int)back.n_terms, 3);
    KH_CHECK_INT((int)back.terms[0].kind, (int)(KH_STORY_TERM_NAME | KH_STORY_TERM_TITLE));
    KH_CHECK_STR(kh_story_why_decision(&back), "joined");
    kh_buf again;
    kh_buf_init(&again, ctx, 0);
    KH_CHECK(kh_story_why_json(&back, "w1", &again) == KH_OK);
    KH_CHECK_STR(again.data, json.data);
    /* a start with its nearest story, a start with none, a copy */
    kh_story_why st1;
    memset(&st1, 0, sizeof st1);
    st1.started = 1;
    st1.nearest = 7;
    st1.score = 0.2;
    kh_buf_clear(&again);
    KH_CHECK(kh_story_why_json(&st1, "s", &again) == KH_OK);
    KH_CHECK(strstr(again.data, "\"decision\": \"started\", \"nearest\": 7, \"score\": 0.2000")
             != NULL);
    KH_CHECK(kh_story_why_parse(ctx, again.data, again.len, &back) == KH_OK);
    KH_CHECK(back.started == 1 && back.nearest == 7 && back.copy == 0);
    st1.nearest = 0;
    kh_buf_clear(&again);
    KH_CHECK(kh_story_why_json(&st1, "s", &again) == KH_OK);
    KH_CHECK_STR(again.data, "{\"id\": \"s\", \"decision\": \"started\", \"nearest\": null, "
                             "\"terms\": []}");
    st1.copy = 1;
    kh_buf_clear(&again);
    KH_CHECK(kh_story_why_json(&st1, "c", &again) == KH_OK);
    KH_CHECK_STR(again.data, "{\"id\": \"c\", \"decision\": \"copy\"}");
    KH_CHECK(kh_story_why_parse(ctx, again.data, again.len, &back) == KH_OK);
    KH_CHECK(back.copy == 1);
    /* not a why */
    const char *bad[] = { "[]", "{\"decision\": \"maybe\"}", "{\"decision\": \"joined\", "
                          "\"score\": \"high\"}", "{\"decision\": \"started\", \"nearest\": -3}",
                          "{\"decision\": \"joined\", \"terms\": [{\"share\": 1}]}", "{" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        back.n_terms = 5;
        KH_CHECK(kh_story_why_parse(ctx, bad[i], strlen(bad[i]), &back) == KH_E_JSON);
        KH_CHECK_INT((int)back.n_terms, 0);
    }
    /* set, cleared, and cleared by a new version */
    KH_CHECK(kh_store_set_article_why(st, "w1", again.data) == KH_OK);
    KH_CHECK(kh_store_get_article(st, "w1", &found, why_of, &seen) == KH_OK);
    KH_CHECK_STR(seen.text, again.data);
    KH_CHECK(kh_store_set_article_why(st, "w1", NULL) == KH_OK);
    KH_CHECK(kh_store_get_article(st, "w1", &found, why_of, &seen) == KH_OK);
    KH_CHECK_INT(seen.is_null, 1);
    KH_CHECK(kh_store_set_article_why(st, "nobody", json.data) == KH_E_ARG);
    KH_CHECK(kh_store_set_article_why(st, "w1", "\xff") == KH_E_UTF8);
    KH_CHECK(kh_store_set_article_why(st, "w1", json.data) == KH_OK);
    kh_store_saved saved;
    a.body = "غمرت السيول شوارع جدة وأغلقت الطرق";
    a.body_len = strlen(a.body);
    KH_CHECK(kh_store_save_article(st, &a, &saved, NULL) == KH_OK);
    KH_CHECK_INT((int)saved, (int)KH_STORE_UPDATED);
    KH_CHECK(kh_store_get_article(st, "w1", &found, why_of, &seen) == KH_OK);
    KH_CHECK_INT(seen.is_null, 1);
    KH_CHECK(kh_store_check(st) == KH_OK);
    kh_buf_free(&json);
    kh_buf_free(&again);
    kh_store_close(st);
    kh_ctx_free(ctx);
}

static void test_idempotent(void)
{
    KH_TEST("idempotent insert");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_store *st;
    KH_CHECK(kh_store_open(ctx, ":memory:", &st) == KH_OK);
    kh_store_article a = art("x1", "الأول", "قال المتحدث إن الاجتماع انتهى");
    int is_new = -1;
    KH_CHECK(kh_store_put_article(st, &a, &is_new) == KH_OK);
    KH_CHECK_INT(is_new, 1);
    a.title = "تغيير";
    KH_CHECK(kh_store_put_article(st, &a, &is_new) == KH_OK);
    KH_CHECK_INT(is_new, 0);
    char title[64] = "";
    int found = 0;
    KH_CHECK(kh_store_get_article(st, "x1", &found, title_of, title) == KH_OK);
    KH_CHECK_INT(found, 1);
    KH_CHECK_STR(title, "الأول");
    /* Indexed once: one hit, not two. */
    KH_CHECK_INT(search_count(st, "المتحدث"), 1);
    /* Saved again: the same text writes nothing; a new title or body is a
     * new version in the same row, found by its new words only, with the
     * URL kept when the new version has none. */
    kh_store_saved saved = KH_STORE_ADDED;
    int64_t story = -1;
    a = art("x1", "الأول", "قال المتحدث إن الاجتماع انتهى");
    KH_CHECK(kh_store_save_article(st, &a, &saved, &story) == KH_OK);
    KH_CHECK_INT(saved, KH_STORE_UNCHANGED);
    KH_CHECK_INT(story, 0);
    a.body = "أعلن المتحدث أن المفاوضات استؤنفت";
    a.body_len = strlen(a.body);
    KH_CHECK(kh_store_save_article(st, &a, &saved, NULL) == KH_OK);
    KH_CHECK_INT(saved, KH_STORE_UPDATED);
    KH_CHECK_INT(search_count(st, "المفاوضات"), 1);
    KH_CHECK_INT(search_count(st, "الاجتماع"), 0);
    kh_store_article y = art("y1", "ثان", "نص ثان جديد");
    KH_CHECK(kh_store_save_article(st, &y, &saved, NULL) == KH_OK);
    KH_CHECK_INT(saved, KH_STORE_ADDED);
    KH_CHECK(kh_store_get_article(st, "nope", &found, title_of, title) == KH_OK);
    KH_CHECK_INT(found, 0);
    /* Exact copies by body hash, oldest first. */
    kh_store_article c1 = art("c1", "t", "نص مكرر"), c2 = art("c2", "t2", "نص مكرر");
    c1.body_hash = c2.body_hash = 77;
    KH_CHECK(kh_store_put_article(st, &c1, NULL) == KH_OK);
    KH_CHECK(kh_store_put_article(st, &c2, NULL) == KH_OK);
    since_list copies = { 0, "" };
    KH_CHECK(kh_store_find_hash(st, 77, since_fn, &copies) == KH_OK);
    KH_CHECK_STR(copies.ids, "c1 c2 ");
    memset(&copies, 0, sizeof copies);
    KH_CHECK(kh_store_find_hash(st, 78, since_fn, &copies) == KH_OK);
    KH_CHECK_INT(copies.n, 0);
    kh_store_article bad = art("bad", "t", "ab\xff");
    KH_CHECK(kh_store_put_article(st, &bad, &is_new) == KH_E_UTF8);
    KH_CHECK(strstr(kh_errmsg(ctx), "'bad'") != NULL);
    bad = art("bad", "\xc0\xaf", "ok");
    KH_CHECK(kh_store_put_article(st, &bad, &is_new) == KH_E_UTF8);
    bad = art("bad", "t", "a\0b");
    bad.body_len = 3;
    KH_CHECK(kh_store_put_article(st, &bad, &is_new) == KH_E_UTF8);
    int there = 1;
    KH_CHECK(kh_store_has_article(st, "bad", &there) == KH_OK);
    KH_CHECK_INT(there, 0);
    a.id = NULL;
    KH_CHECK(kh_store_put_article(st, &a, &is_new) == KH_E_ARG);
    KH_CHECK(kh_store_set_article_story(st, "nope", 0, 0) == KH_E_ARG);
    KH_CHECK(kh_store_check(st) == KH_OK);
    kh_store_close(st);
    kh_ctx_free(ctx);
}

static void test_rollback(void)
{
    KH_TEST("rollback");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_store *st;
    KH_CHECK(kh_store_open(ctx, db_path("rollback.db"), &st) == KH_OK);
    kh_store_article a = art("keep", "باق", "خبر محفوظ عن الميناء");
    KH_CHECK(kh_store_put_article(st, &a, NULL) == KH_OK);

    KH_CHECK(kh_store_begin(st) == KH_OK);
    KH_CHECK(kh_store_begin(st) == KH_E_ARG);
    KH_CHECK_INT(kh_store_in_batch(st), 1);
    const char *ids[] = { "b1", "b2", "b3" };
    for (int i = 0; i < 3; i++) {
        kh_store_article b = art(ids[i], "مؤقت", "كلمة زائلة في الدفعة");
        KH_CHECK(kh_store_put_article(st, &b, NULL) == KH_OK);
    }
    KH_CHECK_INT(search_count(st, "زائلة"), 3);
    /* Mid-batch failure: an article pointing at a story that does not exist. */
    kh_store_article bad = art("b4", "خطأ", "نص");
    bad.story_id = 424242;
    KH_CHECK(kh_store_put_article(st, &bad, NULL) == KH_E_DB);
    KH_CHECK(kh_store_rollback(st) == KH_OK);
    KH_CHECK_INT(kh_store_in_batch(st), 0);
    KH_CHECK(kh_store_rollback(st) == KH_E_ARG);
    KH_CHECK(kh_store_commit(st) == KH_E_ARG);
    int found = 1;
    for (int i = 0; i < 3; i++) {
        KH_CHECK(kh_store_has_article(st, ids[i], &found) == KH_OK);
        KH_CHECK_INT(found, 0);
    }
    KH_CHECK(kh_store_has_article(st, "keep", &found) == KH_OK);
    KH_CHECK_INT(found, 1);
    KH_CHECK_INT(search_count(st, "زائلة"), 0);
    KH_CHECK_INT(search_count(st, "الميناء"), 1);
    KH_CHECK(kh_store_check(st) == KH_OK);

    /* A committed batch, then stories and membership. */
    KH_CHECK(kh_store_begin(st) == KH_OK);
    kh_store_story s;
    memset(&s, 0, sizeof s);
    s.first = "2016-01-01";
    s.last = "2016-01-03";
    s.headline = "قصة";
    s.lang = "ar";
    int64_t sid = 0;
    KH_CHECK(kh_store_put_story(st, &s, &sid) == KH_OK);
    KH_CHECK(sid > 0);
    KH_CHECK(kh_store_set_article_story(st, "keep", sid, 7) == KH_OK);
    KH_CHECK(kh_store_commit(st) == KH_OK);
    kh_store_close(st);

    KH_CHECK(kh_store_open(ctx, db_path("rollback.db"), &st) == KH_OK);
    KH_CHECK_INT(kh_store_count_stories(st), 1);
    KH_CHECK(kh_store_check(st) == KH_OK);
    /* Upsert keeps membership (no delete+insert behind the scenes). */
    s.id = sid;
    s.headline = "قصة محدثة";
    KH_CHECK(kh_store_put_story(st, &s, NULL) == KH_OK);
    KH_CHECK_INT(kh_store_count_stories(st), 1);
    kh_store_close(st);
    kh_ctx_free(ctx);
}

typedef struct listed {
    int n;
    int64_t ids[8];
    int64_t articles[8];
} listed;

static int list_fn(void *user, const kh_store_story *s)
{
    listed *l = user;
    if (l->n < 8) {
        l->ids[l->n] = s->id;
        l->articles[l->n] = s->n_articles;
    }
    l->n++;
    return 0;
}

static void test_stories(void)
{
    KH_TEST("stories newest first");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_store *st;
    KH_CHECK(kh_store_open(ctx, ":memory:", &st) == KH_OK);
    const char *lasts[] = { "2016-03-01", "2016-05-01", "2016-04-01" };
    int64_t ids[3];
    for (int i = 0; i < 3; i++) {
        kh_store_story s;
        memset(&s, 0, sizeof s);
        s.first = "2016-01-01";
        s.last = lasts[i];
        s.headline = "h";
        KH_CHECK(kh_store_put_story(st, &s, &ids[i]) == KH_OK);
    }
    kh_store_article a = art("m1", "t", "b");
    a.story_id = ids[2];
    KH_CHECK(kh_store_put_article(st, &a, NULL) == KH_OK);
    listed l = { 0, { 0 }, { 0 } };
    KH_CHECK(kh_store_list_stories(st, 0, 10, list_fn, &l) == KH_OK);
    KH_CHECK_INT(l.n, 3);
    KH_CHECK_INT(l.ids[0], ids[1]);
    KH_CHECK_INT(l.ids[1], ids[2]);
    KH_CHECK_INT(l.ids[2], ids[0]);
    KH_CHECK_INT(l.articles[1], 1);
    memset(&l, 0, sizeof l);
    KH_CHECK(kh_store_list_stories(st, 1, 1, list_fn, &l) == KH_OK);
    KH_CHECK_INT(l.n, 1);
    KH_CHECK_INT(l.ids[0], ids[2]);
    /* Articles since a date, oldest first; the latest date. */
    const char *dates[] = { "2016-02-03", "2016-02-01", "2016-01-15" };
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "d%d", i);
        kh_store_article d = art(id, "t", "b");
        d.date = dates[i];
        KH_CHECK(kh_store_put_article(st, &d, NULL) == KH_OK);
    }
    since_list sl = { 0, "" };
    KH_CHECK(kh_store_articles_since(st, "2016-02-01", since_fn, &sl) == KH_OK);
    KH_CHECK_INT(sl.n, 2);
    KH_CHECK_STR(sl.ids, "d1 d0 ");
    memset(&sl, 0, sizeof sl);
    KH_CHECK(kh_store_articles_since(st, NULL, since_fn, &sl) == KH_OK);
    KH_CHECK_INT(sl.n, 4); /* m1 is dated too */
    /* m1 has a story; d0..d2 do not: unfiled, oldest first. */
    memset(&sl, 0, sizeof sl);
    KH_CHECK(kh_store_articles_unfiled(st, since_fn, &sl) == KH_OK);
    KH_CHECK_STR(sl.ids, "d2 d1 d0 ");
    kh_buf latest;
    kh_buf_init(&latest, ctx, 0);
    KH_CHECK(kh_store_latest_date(st, &latest) == KH_OK);
    KH_CHECK_STR(latest.data, "2016-02-03");
    kh_buf_free(&latest);
    int found = 1;
    KH_CHECK(kh_store_get_story(st, 999, &found, list_fn, NULL, &l) == KH_OK);
    KH_CHECK_INT(found, 0);
    kh_store_close(st);
    kh_ctx_free(ctx);
}

typedef struct snip {
    char text[512];
    int n;
} snip;

static int snip_fn(void *user, const kh_store_hit *h)
{
    snip *s = user;
    if (s->n++ == 0)
        snprintf(s->text, sizeof s->text, "%s", h->snippet ? h->snippet : "");
    return 0;
}

static void test_search(void)
{
    KH_TEST("search");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_store *st;
    KH_CHECK(kh_store_open(ctx, ":memory:", &st) == KH_OK);
    kh_store_article a = art("ash", "زيارة آشتون إلى القاهرة",
                             "وصلت كاثرين آشتون إلى القاهرة اليوم.\nوالتقت وزير الخارجية.");
    KH_CHECK(kh_store_put_article(st, &a, NULL) == KH_OK);
    kh_store_article b = art("en1", "Port reopens", "The port of Jeddah reopened on Monday.");
    b.lang = "en";
    KH_CHECK(kh_store_put_article(st, &b, NULL) == KH_OK);

    KH_CHECK_INT(search_count(st, "آشتون"), 1);
    KH_CHECK_INT(search_count(st, "القاهرة آشتون"), 1); /* every word, any order */
    KH_CHECK_INT(search_count(st, "آشتون Jeddah"), 0);
    KH_CHECK_INT(search_count(st, "JEDDAH"), 1);      /* case folded */
    KH_CHECK_INT(search_count(st, "بغداد"), 0);
    KH_CHECK_INT(search_count(st, ""), 0);
    /* Query syntax is plain text, never an error. */
    KH_CHECK_INT(search_count(st, "\"port"), 1);
    KH_CHECK_INT(search_count(st, "port* OR NEAR( \" : ^ -"), 0);
    KH_CHECK_INT(search_count(st, "\"\"\""), 0);

    snip s = { "", 0 };
    KH_CHECK(kh_store_search(st, "آشتون", strlen("آشتون"), 0, 10, snip_fn, &s) == KH_OK);
    KH_CHECK_INT(s.n, 1);
    KH_CHECK(strstr(s.text, "\x02" "آشتون" "\x03") != NULL); /* shown as written */

    /* Spelling variants and stems: the index and the query share the text
     * layer's keys (alef forms folded, clitics and plurals stemmed). */
    KH_CHECK_INT(search_count(st, "أشتون"), 1);
    KH_CHECK_INT(search_count(st, "اشتون"), 1);
    KH_CHECK_INT(search_count(st, "بالقاهرة"), 1);
    KH_CHECK_INT(search_count(st, "reopens"), 1);
    KH_CHECK_INT(search_count(st, "ports"), 1);
    s.n = 0;
    KH_CHECK(kh_store_search(st, "أشتون", strlen("أشتون"), 0, 10, snip_fn, &s) == KH_OK);
    KH_CHECK(strstr(s.text, "\x02" "آشتون" "\x03") != NULL); /* shown as written */

    /* A word in more articles than the ranking reads: the newest
     * KH_STORE_SEARCH_DEPTH of them are ranked, and nothing past. */
    KH_CHECK(kh_store_begin(st) == KH_OK);
    int more = KH_STORE_SEARCH_DEPTH + 5;
    for (int i = 0; i < more; i++) {
        char id[32], body[96];
        snprintf(id, sizeof id, "dam%04d", i);
        snprintf(body, sizeof body, "Dammam harbour report number %d.", i);
        kh_store_article d = art(id, "Dammam", body);
        d.lang = "en";
        KH_CHECK(kh_store_put_article(st, &d, NULL) == KH_OK);
    }
    KH_CHECK(kh_store_commit(st) == KH_OK);
    int hits = 0;
    KH_CHECK(kh_store_search(st, "Dammam", 6, 0, 5000, count_hits, &hits) == KH_OK);
    KH_CHECK_INT(hits, KH_STORE_SEARCH_DEPTH);
    hits = 0;
    KH_CHECK(kh_store_search(st, "Dammam", 6, KH_STORE_SEARCH_DEPTH - 3, 10, count_hits,
                             &hits) == KH_OK);
    KH_CHECK_INT(hits, 3);
    oldest o = { 0 };
    KH_CHECK(kh_store_search(st, "Dammam", 6, 0, 5000, oldest_hit, &o) == KH_OK);
    KH_CHECK_STR(o.id, "dam0005"); /* the five first stored are past the depth */
    kh_store_close(st);
    kh_ctx_free(ctx);
}

/* An article's cleaner fields and copy relation as read back; "-" for NULL. */
typedef struct prov_seen {
    char dateline[64], agency[64], author[64], date_source[16];
    char copy_of[64], relation[16], wire[64];
} prov_seen;

static void keep(char *to, size_t size, const char *from)
{
    snprintf(to, size, "%s", from ? from : "-");
}

static int prov_of(void *user, const kh_store_article *a)
{
    prov_seen *p = user;
    keep(p->dateline, sizeof p->dateline, a->dateline);
    keep(p->agency, sizeof p->agency, a->dateline_agency);
    keep(p->author, sizeof p->author, a->author);
    keep(p->date_source, sizeof p->date_source, a->date_source);
    keep(p->copy_of, sizeof p->copy_of, a->copy_of);
    keep(p->relation, sizeof p->relation, a->copy_relation);
    keep(p->wire, sizeof p->wire, a->wire);
    return 0;
}

static int story_prov(void *user, const kh_store_story *story)
{
    int64_t *seen = user;
    seen[0] = story->independent_sources;
    seen[1] = story->wire && strcmp(story->wire, "واس") == 0;
    seen[2] = story->wire_outlets;
    return 0;
}

/* One integer from a one-row query; -1 on error. */
static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

/* What the cleaner finds and the copy relation travel through the store;
 * a batch's rows are indexed once at its end, and rows written by other
 * tools are indexed by the trigger as before. */
static void test_provenance(void)
{
    KH_TEST("provenance columns and the deferred index");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    const char *path = db_path("prov.db");
    kh_store *st;
    KH_CHECK(kh_store_open(ctx, path, &st) == KH_OK);
    if (!st) {
        kh_ctx_free(ctx);
        return;
    }
    kh_store_article wire = art("spa-1", "خادم الحرمين يستقبل وزير الدفاع",
                                "الرياض - واس: استقبل خادم الحرمين الشريفين وزير الدفاع.");
    wire.dateline = "الرياض";
    wire.dateline_agency = "واس";
    wire.author = "سعد الحربي";
    wire.date_source = "meta";
    kh_store_article copy = art("okaz-1", "خادم الحرمين يستقبل وزير الدفاع",
                                "استقبل خادم الحرمين الشريفين وزير الدفاع.");
    copy.copy_of = "spa-1";
    copy.copy_relation = "contained";
    copy.wire = "واس";
    KH_CHECK(kh_store_begin(st) == KH_OK);
    KH_CHECK(kh_store_put_article(st, &wire, NULL) == KH_OK);
    KH_CHECK(kh_store_put_article(st, &copy, NULL) == KH_OK);
    /* a search inside the batch sees the batch's own rows */
    KH_CHECK_INT(search_count(st, "يستقبل"), 2);
    kh_store_article late = art("sabq-1", "ميناء جدة", "أعيد فتح ميناء جدة اليوم.");
    KH_CHECK(kh_store_put_article(st, &late, NULL) == KH_OK);
    KH_CHECK(kh_store_commit(st) == KH_OK);
    KH_CHECK_INT(search_count(st, "يستقبل"), 2);
    KH_CHECK_INT(search_count(st, "ميناء"), 1);

    prov_seen p;
    int found = 0;
    KH_CHECK(kh_store_get_article(st, "spa-1", &found, prov_of, &p) == KH_OK);
    KH_CHECK_STR(p.dateline, "الرياض");
    KH_CHECK_STR(p.agency, "واس");
    KH_CHECK_STR(p.author, "سعد الحربي");
    KH_CHECK_STR(p.date_source, "meta");
    KH_CHECK_STR(p.copy_of, "-");
    KH_CHECK(kh_store_get_article(st, "okaz-1", &found, prov_of, &p) == KH_OK);
    KH_CHECK_STR(p.copy_of, "spa-1");
    KH_CHECK_STR(p.relation, "contained");
    KH_CHECK_STR(p.wire, "واس");
    KH_CHECK_STR(p.dateline, "-");
    /* the relation can change when groups change, and go */
    KH_CHECK(kh_store_set_article_copy(st, "okaz-1", NULL, NULL, NULL) == KH_OK);
    KH_CHECK(kh_store_get_article(st, "okaz-1", &found, prov_of, &p) == KH_OK);
    KH_CHECK_STR(p.copy_of, "-");
    KH_CHECK_STR(p.relation, "-");
    KH_CHECK_STR(p.wire, "-");
    KH_CHECK(kh_store_set_article_copy(st, "nobody", "spa-1", "near", NULL) == KH_E_ARG);

    /* A batch that fails leaves neither its rows nor its flag. */
    KH_CHECK(kh_store_begin(st) == KH_OK);
    kh_store_article lost = art("lost-1", "فيضانات في جازان", "غمرت السيول شوارع جازان.");
    KH_CHECK(kh_store_put_article(st, &lost, NULL) == KH_OK);
    KH_CHECK(kh_store_rollback(st) == KH_OK);
    KH_CHECK_INT(search_count(st, "جازان"), 0);
    KH_CHECK(kh_store_check(st) == KH_OK);

    /* Stories keep their provenance. */
    kh_store_story story;
    memset(&story, 0, sizeof story);
    story.first = "2016-01-02";
    story.last = "2016-01-02";
    story.headline = "خادم الحرمين يستقبل وزير الدفاع";
    story.lang = "ar";
    story.independent_sources = 2;
    story.wire = "واس";
    story.wire_outlets = 3;
    int64_t sid = 0;
    KH_CHECK(kh_store_put_story(st, &story, &sid) == KH_OK);
    int64_t seen[3] = { -1, -1, -1 };
    found = 0;
    KH_CHECK(kh_store_get_story(st, sid, &found, story_prov, NULL, seen) == KH_OK);
    KH_CHECK_INT(found, 1);
    KH_CHECK(seen[0] == 2 && seen[1] == 1 && seen[2] == 3);
    kh_store_close(st);

    /* Another tool's INSERT is indexed by the trigger; no flag is left. */
    sqlite3 *db;
    KH_CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    KH_CHECK_INT(query_int(db, "SELECT count(*) FROM fts_deferred"), 0);
    KH_CHECK(sqlite3_exec(db, "INSERT INTO articles(id, title, body, terms, added_at)"
                              " VALUES ('hand-1', 'Tabuk weather', 'Rain in Tabuk.', 'tabuk rain', 0)",
                          NULL, NULL, NULL) == SQLITE_OK);
    KH_CHECK_INT(query_int(db, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'tabuk'"),
                 1);
    /* and the batch's rows, indexed at its end, are there for plain SQLite */
    KH_CHECK_INT(query_int(db, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH"
                               " 'title:يستقبل'"), 2);
    KH_CHECK_INT(query_int(db, "SELECT count(*) FROM articles WHERE dateline_agency = 'واس'"), 1);
    sqlite3_close(db);
    kh_ctx_free(ctx);
}

/* The ids a listing gives, in order, as "3 1 2 ". */
static int list_ids(void *user, const kh_store_story *story)
{
    char *out = user;
    size_t used = strlen(out);
    snprintf(out + used, 128 - used, "%lld ", (long long)story->id);
    return 0;
}

/* A listing inside a listing, through the same statement shape: the outer
 * one's kept statement is busy, so the inner one gets a statement of its
 * own, and both lists come out whole. */
typedef struct nested {
    kh_store *st;
    const kh_store_story_filter *f;
    char inner[128];
    int outer;
} nested;

static int list_nested(void *user, const kh_store_story *story)
{
    nested *n = user;
    KHI_UNUSED(story);
    n->outer++;
    n->inner[0] = 0;
    int64_t total;
    return kh_store_list_stories_where(n->st, n->f, 0, 10, list_ids, n->inner, &total) == KH_OK ? 0 : 1;
}

static void test_filtered_list(void)
{
    KH_TEST("stories listed through filters, in the top order");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_store *st;
    KH_CHECK(kh_store_open(ctx, ":memory:", &st) == KH_OK);
    /* id: last report, language, independent sources */
    struct { const char *last, *lang; int64_t indep; const char *source; } rows[] = {
        { "2015-08-02T09:00", "ar", 1, "okaz" },    /* 1 */
        { "2015-08-02T08:00", "ar", 5, "sabq" },    /* 2 */
        { "2015-08-01T23:00", "ar", 9, "okaz" },    /* 3 */
        { "2015-08-02", "en", 2, "Reuters" },       /* 4 */
    };
    for (size_t i = 0; i < 4; i++) {
        kh_store_story story;
        memset(&story, 0, sizeof story);
        story.first = i == 2 ? "2015-07-25" : "2015-08-01";
        story.last = rows[i].last;
        story.lang = rows[i].lang;
        story.headline = "headline";
        story.independent_sources = rows[i].indep;
        int64_t id = 0;
        KH_CHECK(kh_store_put_story(st, &story, &id) == KH_OK);
        char aid[16];
        snprintf(aid, sizeof aid, "a%zu", i);
        kh_store_article a = art(aid, "title", "body text of the article");
        a.source = rows[i].source;
        a.story_id = id;
        KH_CHECK(kh_store_put_article(st, &a, NULL) == KH_OK);
    }
    char ids[128] = "";
    int64_t total = 0;
    kh_store_story_filter f;
    memset(&f, 0, sizeof f);
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "1 2 4 3 "); /* newest first */
    KH_CHECK(total == 4);
    nested nest = { st, &f, "", 0 };
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_nested, &nest, &total) == KH_OK);
    KH_CHECK_INT(nest.outer, 4);
    KH_CHECK_STR(nest.inner, "1 2 4 3 ");
    for (int page = 0; page < 4; page++) { /* every page of a list, one statement */
        ids[0] = 0;
        KH_CHECK(kh_store_list_stories_where(st, &f, (size_t)page, 1, list_ids, ids, &total) == KH_OK);
        KH_CHECK_STR(ids, page == 0 ? "1 " : page == 1 ? "2 " : page == 2 ? "4 " : "3 ");
    }
    f.top = 1; /* by day, then most independent sources */
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "2 4 1 3 ");
    f.min_sources = 2;
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 1, 1, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "4 "); /* the second of 2, 4, 3 */
    KH_CHECK(total == 3);
    f.lang = "ar";
    f.since = "2015-08-02";
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "2 ");
    memset(&f, 0, sizeof f);
    f.source = "okaz";
    f.until = "2015-08-01";
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "1 3 ");
    /* new stories: first reported within a day of the newest day (08-02) */
    memset(&f, 0, sizeof f);
    f.new_days = 1;
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "1 2 4 "); /* 3 was first reported on 07-25 */
    /* the stories whose account names a name, in any of its spellings */
    const char *names2[] = { "آشتون", "أشتون" }, *names4[] = { "أشتون", "Jeddah" };
    KH_CHECK(kh_store_set_story_names(st, 2, names2, 2) == KH_OK);
    KH_CHECK(kh_store_set_story_names(st, 4, names4, 2) == KH_OK);
    memset(&f, 0, sizeof f);
    f.name = "أشتون";
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "2 4 ");
    KH_CHECK(kh_store_set_story_names(st, 4, names4 + 1, 1) == KH_OK); /* replaced */
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "2 ");
    /* the stories with an article that has every word of q, as search
     * matches them (normalized, stemmed) */
    kh_store_article more = art("a1b", "زيارة آشتون", "وصلت كاثرين آشتون إلى القاهرة.");
    more.story_id = 2;
    KH_CHECK(kh_store_put_article(st, &more, NULL) == KH_OK);
    memset(&f, 0, sizeof f);
    f.q = "بالقاهرة أشتون";
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "2 ");
    KH_CHECK(total == 1);
    f.q = "القاهرة Jeddah"; /* every word, in one article */
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "");
    f.q = "body";
    f.top = 1;
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "2 4 1 3 ");
    f.lang = "en";
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "4 ");
    memset(&f, 0, sizeof f); /* the stories of other known languages */
    f.not_lang = "ar";
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "4 ");
    f.not_lang = "en";
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "1 2 3 ");
    f.not_lang = NULL;
    int other = 0; /* the same question, answered without a listing */
    KH_CHECK(kh_store_other_lang(st, "ar", "2015-08-01", "2015-08-03", &other) == KH_OK);
    KH_CHECK_INT(other, 1); /* story 4, in English, 08-01 to 08-02 */
    KH_CHECK(kh_store_other_lang(st, "ar", "2015-08-03", "2015-08-09", &other) == KH_OK);
    KH_CHECK_INT(other, 0); /* nothing reported after 08-02 */
    KH_CHECK(kh_store_other_lang(st, "en", "2015-07-20", "2015-07-31", &other) == KH_OK);
    KH_CHECK_INT(other, 1); /* story 3, Arabic, first reported 07-25 */
    KH_CHECK(kh_store_other_lang(st, "en", "2015-07-01", "2015-07-24", &other) == KH_OK);
    KH_CHECK_INT(other, 0);
    f.q = "\" * ..."; /* no words: no story */
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "");
    KH_CHECK(total == 0);
    memset(&f, 0, sizeof f);
    f.source = "okaz";
    f.until = "2015-07-24";
    ids[0] = 0;
    KH_CHECK(kh_store_list_stories_where(st, &f, 0, 10, list_ids, ids, &total) == KH_OK);
    KH_CHECK_STR(ids, "");
    KH_CHECK(total == 0);
    kh_store_close(st);
    kh_ctx_free(ctx);
}

static void test_escape(void)
{
    KH_TEST("html escape");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_buf b;
    kh_buf_init(&b, ctx, 0);
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
        { "\" onerror=\"", "&quot; onerror=&quot;" },
        { "a & b 'c'", "a &amp; b &#39;c&#39;" },
        { "كارتر <b>", "كارتر &lt;b&gt;" },
        { "x\x01y\x02z\x7f", "xyz" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kh_buf_clear(&b);
        KH_CHECK(kh_web_escape(&b, cases[i].in, strlen(cases[i].in)) == KH_OK);
        KH_CHECK_STR(b.len ? b.data : "", cases[i].out);
    }
    kh_buf_clear(&b);
    KH_CHECK(kh_web_escape(&b, NULL, 0) == KH_OK); /* empty text, no pointer */
    KH_CHECK_INT(b.len, 0);
    kh_buf_free(&b);
    kh_ctx_free(ctx);
}

/* An account as kh_account_json() writes it, with markup in every string. */
static const char hostile_account[] =
    "{\"headline\":\"<script>alert(1)</script>\","
    "\"time\":{\"first\":\"2016-01-01\",\"last\":\"2016-01-02\"},"
    "\"sources\":[{\"id\":\"evil\",\"source\":\"<b>Agency</b>\",\"date\":\"2016-01-01\","
    "\"title\":\"<i>t</i>\"},{\"id\":\"w2\",\"source\":\"وكالة\",\"date\":\"2016-01-02\","
    "\"title\":null}],"
    "\"first\":{\"id\":\"evil\",\"source\":\"<b>Agency</b>\",\"date\":\"2016-01-01\"},"
    "\"summary\":[{\"text\":\"قال \\\" onerror=\\\"alert(2) المتحدث\",\"ids\":[\"evil\",\"w2\"]},"
    "{\"text\":\"<img src=x onerror=alert(3)>\",\"ids\":[]}],"
    "\"entities\":[{\"name\":\"آشتون\",\"kind\":\"person\",\"variants\":[\"آشتون\",\"أشتون\","
    "\"<i>x</i>\"],\"articles\":2}],"
    "\"disagreements\":[{\"about\":\"قتيل <script>\",\"values\":[{\"value\":5,\"ids\":[\"evil\"]},"
    "{\"value\":7,\"ids\":[\"w2\"]}]}]}";

static void test_render(void)
{
    KH_TEST("rendered pages");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_store *st;
    KH_CHECK(kh_store_open(ctx, ":memory:", &st) == KH_OK);
    kh_store_story s;
    memset(&s, 0, sizeof s);
    s.first = "2016-01-01";
    s.last = "2016-01-02";
    s.headline = "<script>alert(1)</script>";
    s.lang = "ar";
    s.account_json = hostile_account;
    int64_t sid;
    KH_CHECK(kh_store_put_story(st, &s, &sid) == KH_OK);
    kh_store_article a = art("evil", "<script>alert(1)</script>",
                             "سطر أول\n\" onerror=\"alert(5)\nسطر <script>alert(6)</script>");
    a.url = "javascript:alert(7)";
    a.story_id = sid;
    /* its why names hostile terms: shown as text, each in its own direction */
    a.why = "{\"id\": \"evil\", \"decision\": \"joined\", \"score\": 0.5210, \"cosine\": 0.6000, "
            "\"time_factor\": 0.8684, \"terms\": [{\"term\": \"جدة\", \"share\": 0.3100, \"kind\": "
            "[\"title\", \"name\"]}, {\"term\": \"<script>x\\\"\", \"share\": 0.1200, \"kind\": []}, "
            "{\"term\": \"212\", \"share\": 0.0500, \"kind\": [\"number\"]}]}";
    KH_CHECK(kh_store_put_article(st, &a, NULL) == KH_OK);
    kh_store_article w = art("w2", "ثان", "نص ثان");
    w.url = "https://example.org/?a=1&b=\"2\"";
    w.story_id = sid;
    w.why = "{\"id\": \"w2\", \"decision\": \"started\", \"nearest\": 41, \"score\": 0.2000, "
            "\"cosine\": 0.2000, \"time_factor\": 1.0000, \"terms\": []}";
    KH_CHECK(kh_store_put_article(st, &w, NULL) == KH_OK);
    /* one whose why is not one, and one without: nothing is said of them */
    kh_store_article w3 = art("w3", "ثالث", "نص ثالث");
    w3.story_id = sid;
    w3.why = "{\"decision\": \"<b>maybe</b>\"}";
    KH_CHECK(kh_store_put_article(st, &w3, NULL) == KH_OK);
    kh_store_article w4 = art("w4", "رابع", "نص رابع");
    w4.story_id = sid;
    KH_CHECK(kh_store_put_article(st, &w4, NULL) == KH_OK);

    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    int status = 0;
    const char *type = NULL;
    char path[64];
    snprintf(path, sizeof path, "/story/%lld", (long long)sid);
    kh_web_params en;
    memset(&en, 0, sizeof en);
    en.ui = "en"; /* the page's own words in English: an Arabic story speaks Arabic */
    KH_CHECK(kh_web_render_params(st, path, &en, &out, &status, &type) == KH_OK);
    KH_CHECK_INT(status, 200);
    KH_CHECK(strstr(type, "text/html") != NULL);
    const char *html = out.data;
    KH_CHECK(strstr(html, "<script") == NULL);
    KH_CHECK(strstr(html, "<img") == NULL);
    KH_CHECK(strstr(html, "<b>") == NULL);
    KH_CHECK(strstr(html, "<i>") == NULL);
    KH_CHECK(strstr(html, "javascript:") == NULL);
    KH_CHECK(strstr(html, "\" onerror=\"") == NULL);
    KH_CHECK(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
    KH_CHECK(strstr(html, "&quot; onerror=&quot;alert(5)") != NULL);
    KH_CHECK(strstr(html, "href=\"https://example.org/?a=1&amp;b=&quot;2&quot;\"") != NULL);
    KH_CHECK(strstr(html, "<strong lang=\"und\" dir=\"auto\">&lt;b&gt;Agency&lt;/b&gt;</strong> "
                          "<span class=\"tag first\">first to report</span>") != NULL);
    KH_CHECK(strstr(html, "أشتون") != NULL); /* entity variants shown */
    KH_CHECK(strstr(html, "in 2 articles") != NULL);
    /* a summary sentence names its sources; a disputed number its givers */
    KH_CHECK(strstr(html, "المتحدث <span lang=\"und\" dir=\"auto\" class=\"tag\">&lt;b&gt;") != NULL);
    KH_CHECK(strstr(html, "<span dir=\"ltr\">7</span> <span class=\"meta\">according to</span> "
                          "<span lang=\"und\" dir=\"auto\" class=\"tag\">وكالة</span>") != NULL);
    KH_CHECK(strstr(html, "<p>سطر أول</p>") != NULL);
    KH_CHECK(strstr(html, "lang=\"ar\" dir=\"auto\"") != NULL);
    KH_CHECK(strstr(html, "name=\"viewport\"") != NULL);
    /* why each article is there */
    KH_CHECK(strstr(html, "<p class=\"why\">Joined at 0.52 (cosine 0.60 × time 0.87) on: "
                          "<span class=\"term\" dir=\"auto\" title=\"a name in the title\">جدة</span> "
                          "<span dir=\"ltr\">0.310</span>, <span class=\"term\" dir=\"auto\">"
                          "&lt;script&gt;x&quot;</span> <span dir=\"ltr\">0.120</span>, "
                          "<span class=\"term\" dir=\"auto\" title=\"a number\">212</span> "
                          "<span dir=\"ltr\">0.050</span>.</p>") != NULL);
    KH_CHECK(strstr(html, "<p class=\"why\">Started this story; the nearest open story, "
                          "<a href=\"/story/41\">story 41</a>, scored 0.20.</p>") != NULL);
    KH_CHECK(strstr(html, "maybe") == NULL);
    {
        int whys = 0;
        for (const char *at = html; (at = strstr(at, "class=\"why\"")); at++)
            whys++;
        KH_CHECK_INT(whys, 2);
    }

    /* Sources: one line per outlet, with its count and first date. */
    kh_store_story s2;
    memset(&s2, 0, sizeof s2);
    s2.headline = "h";
    s2.account_json = "{\"sources\":[{\"id\":\"1\",\"source\":\"A\",\"date\":\"2016-01-01\"},"
                      "{\"id\":\"2\",\"source\":\"B\",\"date\":\"2016-01-02\"},"
                      "{\"id\":\"3\",\"source\":\"A\",\"date\":\"2016-01-03\"},{\"id\":\"4\"}],"
                      "\"first_source\":{\"id\":\"1\"}}";
    int64_t sid2;
    KH_CHECK(kh_store_put_story(st, &s2, &sid2) == KH_OK);
    kh_buf_clear(&out);
    snprintf(path, sizeof path, "/story/%lld", (long long)sid2);
    KH_CHECK(kh_web_render(st, path, NULL, NULL, &out, &status, &type) == KH_OK);
    KH_CHECK(strstr(out.data, ">A</strong> <span class=\"tag first\">first to report</span> "
                              "<span class=\"meta\"><time datetime=\"2016-01-01\">1 Jan 2016"
                              "</time></span> <span class=\"meta\">· 2 articles</span>") != NULL);
    KH_CHECK(strstr(out.data, ">B</strong> <span class=\"meta\"><time datetime=\"2016-01-02\">"
                              "2 Jan 2016</time></span></li>") != NULL);
    KH_CHECK(strstr(out.data, "1 article of unknown source") != NULL);

    /* The feed drops what XML cannot hold: C0 controls, U+FFFE, U+FFFF. */
    kh_store_story s_bad;
    memset(&s_bad, 0, sizeof s_bad);
    s_bad.headline = "bell\x07 and \xEF\xBF\xBF end";
    s_bad.last = "2016-01-09";
    int64_t sid_bad;
    KH_CHECK(kh_store_put_story(st, &s_bad, &sid_bad) == KH_OK);
    kh_buf_clear(&out);
    kh_web_params all;
    memset(&all, 0, sizeof all);
    all.view = "all";
    KH_CHECK(kh_web_render_params(st, "/feed/top.atom", &all, &out, &status, &type) == KH_OK);
    KH_CHECK(strstr(type, "application/atom+xml") != NULL);
    KH_CHECK(strstr(out.data, "<title type=\"text\">bell and  end</title>") != NULL);
    KH_CHECK(memchr(out.data, 0x07, out.len) == NULL);

    /* A long story folds the texts past its tenth article. */
    kh_store_story s_long;
    memset(&s_long, 0, sizeof s_long);
    s_long.headline = "long";
    int64_t sid_long;
    KH_CHECK(kh_store_put_story(st, &s_long, &sid_long) == KH_OK);
    for (int i = 0; i < 12; i++) {
        char aid[16], body[64];
        snprintf(aid, sizeof aid, "long-%02d", i);
        snprintf(body, sizeof body, "text of report %02d", i);
        kh_store_article la = art(aid, "a report", body);
        la.story_id = sid_long;
        KH_CHECK(kh_store_put_article(st, &la, NULL) == KH_OK);
    }
    kh_buf_clear(&out);
    snprintf(path, sizeof path, "/story/%lld", (long long)sid_long);
    KH_CHECK(kh_web_render_params(st, path, &en, &out, &status, &type) == KH_OK);
    {
        int folds = 0;
        for (const char *f = out.data; (f = strstr(f, "<summary>show its text</summary>")); f++)
            folds++;
        KH_CHECK_INT(folds, 2);
        const char *tenth = strstr(out.data, "text of report 09");
        const char *first_fold = strstr(out.data, "<summary>show its text</summary>");
        KH_CHECK(tenth && first_fold && tenth < first_fold);
        KH_CHECK(strstr(out.data, "text of report 11") > first_fold);
    }

    /* The JSON API gives the same story as valid JSON. */
    kh_buf_clear(&out);
    snprintf(path, sizeof path, "/api/story/%lld", (long long)sid);
    KH_CHECK(kh_web_render(st, path, NULL, NULL, &out, &status, &type) == KH_OK);
    KH_CHECK_INT(status, 200);
    json_error_t jerr;
    json_t *root = json_loadb(out.data, out.len, 0, &jerr);
    KH_CHECK(root != NULL);
    json_t *items = json_object_get(root, "items");
    KH_CHECK_INT(json_array_size(items), 4);
    KH_CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "body")), a.body);
    /* each item's why as stored (the same object), or null */
    for (size_t i = 0; i < json_array_size(items); i++) {
        const json_t *item = json_array_get(items, i);
        const char *id = json_string_value(json_object_get(item, "id"));
        const json_t *why = json_object_get(item, "why");
        KH_CHECK(why != NULL);
        if (!id || !why)
            continue;
        if (strcmp(id, "evil") == 0 || strcmp(id, "w2") == 0) {
            json_t *want = json_loads(strcmp(id, "evil") == 0 ? a.why : w.why, 0, &jerr);
            KH_CHECK(json_equal(why, want));
            json_decref(want);
        } else {
            KH_CHECK(json_is_null(why));
        }
    }
    KH_CHECK(json_is_object(json_object_get(root, "account")));
    /* doc/formats.md: the story's number is "story", a copy group a string. */
    KH_CHECK_INT(json_integer_value(json_object_get(root, "story")), sid);
    KH_CHECK(json_object_get(root, "id") == NULL);
    KH_CHECK(json_is_integer(json_object_get(root, "article_count")));
    KH_CHECK(json_is_array(json_object_get(root, "source_names")));
    json_t *g = json_object_get(json_array_get(items, 0), "group");
    KH_CHECK(json_is_string(g) || json_is_null(g));
    json_decref(root);

    /* An account stored with the old names is served with today's. */
    kh_store_story s3;
    memset(&s3, 0, sizeof s3);
    s3.headline = "h3";
    s3.account_json = "{\"headline\":\"h3\",\"first\":{\"id\":\"1\"},\"sources\":[],"
                      "\"entities\":[{\"name\":\"A\",\"articles\":2,\"mentions\":3}]}";
    int64_t sid3;
    KH_CHECK(kh_store_put_story(st, &s3, &sid3) == KH_OK);
    kh_buf_clear(&out);
    snprintf(path, sizeof path, "/api/story/%lld", (long long)sid3);
    KH_CHECK(kh_web_render(st, path, NULL, NULL, &out, &status, &type) == KH_OK);
    KH_CHECK(strstr(out.data, "\"account\":{\"headline\":\"h3\",\"first_source\":{\"id\":\"1\"},"
                              "\"sources\":[],\"entities\":[{\"name\":\"A\",\"article_count\":2,"
                              "\"mentions\":3}]}") != NULL);

    kh_buf_clear(&out);
    KH_CHECK(kh_web_render(st, "/api/stories", NULL, "1", &out, &status, &type) == KH_OK);
    root = json_loadb(out.data, out.len, 0, &jerr);
    KH_CHECK(root != NULL);
    KH_CHECK_INT(json_integer_value(json_object_get(root, "total")), 5); /* with the long one and the bell */
    json_decref(root);

    static const struct {
        const char *path, *q, *page;
        int status;
    } routes[] = {
        { "/", NULL, NULL, 200 },
        { "/", NULL, "2", 200 },
        { "/", NULL, "0", 400 },
        { "/", NULL, "x1", 400 },
        { "/story/999", NULL, NULL, 404 },
        { "/story/abc", NULL, NULL, 404 },
        { "/story/", NULL, NULL, 404 },
        { "/story/99999999999999999999999", NULL, NULL, 404 },
        { "/api/story/999", NULL, NULL, 404 },
        { "/search", "سطر", NULL, 200 },
        { "/search", "", NULL, 200 },
        { "/search", "\xff\xfe", NULL, 400 },
        { "/nothing/here", NULL, NULL, 404 },
        { "relative", NULL, NULL, 400 },
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        kh_buf_clear(&out);
        KH_CHECK(kh_web_render(st, routes[i].path, routes[i].q, routes[i].page, &out, &status,
                               &type) == KH_OK);
        if (status != routes[i].status)
            fprintf(stderr, "route %s q=%s page=%s\n", routes[i].path,
                    routes[i].q ? routes[i].q : "-", routes[i].page ? routes[i].page : "-");
        KH_CHECK_INT(status, routes[i].status);
        KH_CHECK(out.len > 0 && strstr(out.data, "<script") == NULL);
    }
    /* A search for markup shows it as text, highlighted. */
    kh_buf_clear(&out);
    KH_CHECK(kh_web_render(st, "/search", "script", NULL, &out, &status, &type) == KH_OK);
    KH_CHECK(strstr(out.data, "<mark>script</mark>") != NULL);
    KH_CHECK(strstr(out.data, "<script") == NULL);
    /* Search results come a page at a time. */
    for (int i = 0; i < 25; i++) {
        char id[16];
        snprintf(id, sizeof id, "rep%d", i);
        kh_store_article r = art(id, "تكرار", "كلمة مكررة في كل مقال");
        KH_CHECK(kh_store_put_article(st, &r, NULL) == KH_OK);
    }
    kh_buf_clear(&out);
    KH_CHECK(kh_web_render(st, "/search", "مكررة", NULL, &out, &status, &type) == KH_OK);
    KH_CHECK(strstr(out.data, "&amp;page=2\">more") != NULL);
    /* the link carries q percent-encoded */
    KH_CHECK(strstr(out.data, "q=%D9%85%D9%83%D8%B1%D8%B1%D8%A9&amp;") != NULL);
    kh_buf_clear(&out);
    KH_CHECK(kh_web_render(st, "/search", "مكررة", "2", &out, &status, &type) == KH_OK);
    KH_CHECK_INT(status, 200);
    KH_CHECK(strstr(out.data, "more →") == NULL);
    KH_CHECK(strstr(out.data, "page=1\">← better") != NULL);
    char longq[4000];
    memset(longq, 'a', sizeof longq - 1);
    longq[sizeof longq - 1] = 0;
    kh_buf_clear(&out);
    KH_CHECK(kh_web_render(st, "/search", longq, NULL, &out, &status, &type) == KH_OK);
    KH_CHECK_INT(status, 414);
    kh_buf_free(&out);
    kh_store_close(st);
    kh_ctx_free(ctx);
}

/* Every allocation through the ctx fails once in turn; each run ends with a
 * correct result or a clean error, and nothing leaks. */
static void test_nomem(void)
{
    KH_TEST("store nomem");
    int clean = 1, succeeded = 0;
    for (long n = 1; n < 400 && !succeeded; n++) {
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) {
            clean &= ta.live == 0;
            continue;
        }
        kh_store *st = NULL;
        kh_status rc = kh_store_open(ctx, ":memory:", &st);
        if (rc == KH_OK) {
            kh_store_article a = art("n1", "<t>", "كلمة أولى\nكلمة ثانية");
            rc = kh_store_put_article(st, &a, NULL);
            int hits = 0;
            if (rc == KH_OK)
                rc = kh_store_search(st, "كلمة", strlen("كلمة"), 0, 5, count_hits, &hits);
            kh_buf out;
            kh_buf_init(&out, ctx, 0);
            int status = 0;
            const char *type;
            if (rc == KH_OK)
                rc = kh_web_render(st, "/search", "كلمة", NULL, &out, &status, &type);
            if (rc == KH_OK) {
                succeeded = 1;
                KH_CHECK_INT(hits, 1);
                KH_CHECK_INT(status, 200);
                KH_CHECK(strstr(out.data, "&lt;t&gt;") != NULL);
            }
            kh_buf_free(&out);
        } else {
            clean &= st == NULL;
        }
        /* SQLite reports a failed tokenizer allocation as its own error. */
        clean &= rc == KH_OK || rc == KH_E_NOMEM ||
                 (rc == KH_E_DB && strstr(kh_errmsg(ctx), "out of memory"));
        if (!clean)
            fprintf(stderr, "fail_at %ld: %s: %s\n", n, kh_strerror(rc), kh_errmsg(ctx));
        kh_store_close(st);
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
    KH_CHECK(succeeded);
}

/* A stored account (as kh_account_json writes it) read back gives the same
 * JSON and the Markdown; the read-only open neither creates nor writes. */
static const char account_text[] =
    "{\"headline\":\"كارتر يدعو إلى عزل الرقة\",\"time\":{\"first\":\"2016-10-25\","
    "\"last\":\"2016-10-26\"},\"sources\":[{\"id\":\"a1\",\"source\":\"قناة الحرة\","
    "\"date\":\"2016-10-25\",\"title\":\"كارتر: بدأنا الاستعدادات لعزل الرقة\"},"
    "{\"id\":\"a2\",\"source\":null,\"date\":\"2016-10-26\",\"title\":null}],"
    "\"first_source\":{\"id\":\"a1\",\"source\":\"قناة الحرة\",\"date\":\"2016-10-25\","
    "\"basis\":\"date\",\"same_day\":[],\"originals\":2,\"dated\":2},"
    "\"summary\":[{\"text\":\"أعلن وزير الدفاع آشتون كارتر بدء الاستعدادات لعزل الرقة.\","
    "\"ids\":[\"a1\",\"a2\"]}],\"entities\":[{\"name\":\"كارتر\",\"kind\":\"person\","
    "\"variants\":[\"كارتر\",\"آشتون كارتر\"],\"article_count\":2,\"mentions\":5}],"
    "\"disagreements\":[{\"about\":\"دولة\",\"values\":[{\"value\":13,\"ids\":[\"a1\"]},"
    "{\"value\":12,\"ids\":[\"a2\"]}]}],\"quotes\":[{\"speaker\":\"كارتر\","
    "\"text\":\"لقد بدأنا الاستعدادات لعزل الرقة\",\"kind\":\"direct\","
    "\"sentence\":\"وقال كارتر: «لقد بدأنا الاستعدادات لعزل الرقة».\",\"ids\":[\"a2\",\"a1\"]}]}";

/* The account as stored before the first report had its evidence: it
 * reads back and is written again as it was. */
static const char account_text_v4[] =
    "{\"headline\":\"كارتر يدعو إلى عزل الرقة\",\"time\":{\"first\":\"2016-10-25\","
    "\"last\":\"2016-10-26\"},\"sources\":[{\"id\":\"a1\",\"source\":\"قناة الحرة\","
    "\"date\":\"2016-10-25\",\"title\":\"كارتر: بدأنا الاستعدادات لعزل الرقة\"},"
    "{\"id\":\"a2\",\"source\":null,\"date\":\"2016-10-26\",\"title\":null}],"
    "\"first_source\":{\"id\":\"a1\",\"source\":\"قناة الحرة\",\"date\":\"2016-10-25\"},"
    "\"summary\":[{\"text\":\"أعلن وزير الدفاع آشتون كارتر بدء الاستعدادات لعزل الرقة.\","
    "\"ids\":[\"a1\",\"a2\"]}],\"entities\":[{\"name\":\"كارتر\",\"kind\":\"person\","
    "\"variants\":[\"كارتر\",\"آشتون كارتر\"],\"article_count\":2,\"mentions\":5}],"
    "\"disagreements\":[{\"about\":\"دولة\",\"values\":[{\"value\":13,\"ids\":[\"a1\"]},"
    "{\"value\":12,\"ids\":[\"a2\"]}]}]}";

/* ... and as written again: an empty list of quotes added. */
static const char account_text_v4_now[] =
    "{\"headline\":\"كارتر يدعو إلى عزل الرقة\",\"time\":{\"first\":\"2016-10-25\","
    "\"last\":\"2016-10-26\"},\"sources\":[{\"id\":\"a1\",\"source\":\"قناة الحرة\","
    "\"date\":\"2016-10-25\",\"title\":\"كارتر: بدأنا الاستعدادات لعزل الرقة\"},"
    "{\"id\":\"a2\",\"source\":null,\"date\":\"2016-10-26\",\"title\":null}],"
    "\"first_source\":{\"id\":\"a1\",\"source\":\"قناة الحرة\",\"date\":\"2016-10-25\"},"
    "\"summary\":[{\"text\":\"أعلن وزير الدفاع آشتون كارتر بدء الاستعدادات لعزل الرقة.\","
    "\"ids\":[\"a1\",\"a2\"]}],\"entities\":[{\"name\":\"كارتر\",\"kind\":\"person\","
    "\"variants\":[\"كارتر\",\"آشتون كارتر\"],\"article_count\":2,\"mentions\":5}],"
    "\"disagreements\":[{\"about\":\"دولة\",\"values\":[{\"value\":13,\"ids\":[\"a1\"]},"
    "{\"value\":12,\"ids\":[\"a2\"]}]}],\"quotes\":[]}";

/* The same account as stored before doc/formats.md, which named the first
 * reporter "first" and a name's count "articles". */
static const char account_text_old[] =
    "{\"headline\":\"كارتر يدعو إلى عزل الرقة\",\"time\":{\"first\":\"2016-10-25\","
    "\"last\":\"2016-10-26\"},\"sources\":[{\"id\":\"a1\",\"source\":\"قناة الحرة\","
    "\"date\":\"2016-10-25\",\"title\":\"كارتر: بدأنا الاستعدادات لعزل الرقة\"},"
    "{\"id\":\"a2\",\"source\":null,\"date\":\"2016-10-26\",\"title\":null}],"
    "\"first\":{\"id\":\"a1\",\"source\":\"قناة الحرة\",\"date\":\"2016-10-25\"},"
    "\"summary\":[{\"text\":\"أعلن وزير الدفاع آشتون كارتر بدء الاستعدادات لعزل الرقة.\","
    "\"ids\":[\"a1\",\"a2\"]}],\"entities\":[{\"name\":\"كارتر\",\"kind\":\"person\","
    "\"variants\":[\"كارتر\",\"آشتون كارتر\"],\"articles\":2,\"mentions\":5}],"
    "\"disagreements\":[{\"about\":\"دولة\",\"values\":[{\"value\":13,\"ids\":[\"a1\"]},"
    "{\"value\":12,\"ids\":[\"a2\"]}]}]}";

static void test_account_parse(void)
{
    KH_TEST("stored account read back");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_account *acc = NULL;
    KH_CHECK(kh_store_account_parse(ctx, account_text, strlen(account_text), &acc) == KH_OK);
    KH_CHECK(acc != NULL);
    if (acc) {
        KH_CHECK_INT(acc->n_articles, 2);
        KH_CHECK_INT(acc->n_sources, 2);
        KH_CHECK_INT(acc->summary[0].n_carriers, 2);
        KH_CHECK_INT(acc->entities[0].kind, KH_ENTITY_PERSON);
        KH_CHECK_INT(acc->disagreements[0].values[1].articles[0], 1);
        kh_buf out;
        kh_buf_init(&out, ctx, 0);
        KH_CHECK(kh_buf_puts(&out, "{") == KH_OK);
        KH_CHECK(kh_account_json(acc, 0, &out) == KH_OK);
        KH_CHECK(kh_buf_puts(&out, "}") == KH_OK);
        KH_CHECK_STR(out.data, account_text);
        kh_buf_clear(&out);
        KH_CHECK(kh_account_json(acc, KH_ACCOUNT_JSON_IN_STORY, &out) == KH_OK);
        KH_CHECK(strstr(out.data, "\"time\"") == NULL);
        KH_CHECK(strstr(out.data, "],\"first_source\":{\"id\":\"a1\"") != NULL);
        kh_buf_clear(&out);
        KH_CHECK(kh_account_markdown(acc, &out) == KH_OK);
        KH_CHECK(strstr(out.data, "## كارتر يدعو إلى عزل الرقة\n") != NULL);
        KH_CHECK(strstr(out.data, "*2016-10-25 to 2016-10-26* · 2 reports") != NULL);
        KH_CHECK(strstr(out.data, "(قناة الحرة, a2)") != NULL);
        KH_CHECK(strstr(out.data, "13 (قناة الحرة); 12 (a2)") != NULL);
        kh_buf_free(&out);
        kh_account_free(acc);
    }
    /* An account stored with the old names reads back as today's. */
    acc = NULL;
    KH_CHECK(kh_store_account_parse(ctx, account_text_old, strlen(account_text_old), &acc) ==
             KH_OK);
    if (acc) {
        kh_buf out;
        kh_buf_init(&out, ctx, 0);
        KH_CHECK(kh_buf_puts(&out, "{") == KH_OK);
        KH_CHECK(kh_account_json(acc, 0, &out) == KH_OK);
        KH_CHECK(kh_buf_puts(&out, "}") == KH_OK);
        KH_CHECK_STR(out.data, account_text_v4_now);
        kh_buf_free(&out);
        kh_account_free(acc);
    }
    acc = NULL;
    KH_CHECK(kh_store_account_parse(ctx, account_text_v4, strlen(account_text_v4), &acc) ==
             KH_OK);
    if (acc) {
        kh_buf out;
        kh_buf_init(&out, ctx, 0);
        KH_CHECK(kh_buf_puts(&out, "{") == KH_OK);
        KH_CHECK(kh_account_json(acc, 0, &out) == KH_OK);
        KH_CHECK(kh_buf_puts(&out, "}") == KH_OK);
        KH_CHECK_STR(out.data, account_text_v4_now);
        kh_buf_free(&out);
        kh_account_free(acc);
    }
    const char *bad[] = { "{\"headline\":3,\"sources\":[]}", "[1]", "{\"sources\":[{}]}",
                          "{\"headline\":\"x\"",
                          ("{\"sources\":[],\"summary\":[{\"text\":\"t\","
                           "\"ids\":[1]}]}") };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        acc = (kh_account *)1;
        KH_CHECK(kh_store_account_parse(ctx, bad[i], strlen(bad[i]), &acc) == KH_E_JSON);
        KH_CHECK(acc == NULL);
    }

    /* read-only: a missing file stays missing; a store is read, not written */
    kh_store *st = (kh_store *)1;
    KH_CHECK(kh_store_open_readonly(ctx, db_path("ro-missing.db"), &st) == KH_E_DB);
    KH_CHECK(st == NULL);
    KH_CHECK(strstr(kh_errmsg(ctx), "ro-missing.db") != NULL);
    KH_CHECK(access(db_path("ro-missing.db"), F_OK) != 0);
    KH_CHECK(kh_store_open(ctx, db_path("ro.db"), &st) == KH_OK);
    kh_store_article a = art("r1", "عنوان", "نص الخبر");
    KH_CHECK(kh_store_put_article(st, &a, NULL) == KH_OK);
    kh_store_close(st);
    KH_CHECK(kh_store_open_readonly(ctx, db_path("ro.db"), &st) == KH_OK);
    int found = 0;
    KH_CHECK(kh_store_has_article(st, "r1", &found) == KH_OK);
    KH_CHECK_INT(found, 1);
    KH_CHECK_INT(search_count(st, "الخبر"), 1);
    a = art("r2", "عنوان", "نص آخر");
    KH_CHECK(kh_store_put_article(st, &a, NULL) == KH_E_DB);
    kh_store_close(st);
    kh_ctx_free(ctx);

    int clean = 1, succeeded = 0;
    for (long n = 1; n < 200 && !succeeded; n++) {
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        if (kh_ctx_create(&ctx, &al) != KH_OK)
            continue;
        acc = NULL;
        kh_status rc = kh_store_account_parse(ctx, account_text, strlen(account_text), &acc);
        if (rc == KH_OK) {
            succeeded = 1;
            KH_CHECK_INT(acc->n_entities, 1);
        }
        clean &= rc == KH_OK || (rc == KH_E_NOMEM && acc == NULL);
        kh_account_free(acc);
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
    KH_CHECK(succeeded);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/khabar-test-store.XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_schema();
    test_why();
    test_idempotent();
    test_rollback();
    test_stories();
    test_search();
    test_provenance();
    test_filtered_list();
    test_escape();
    test_render();
    test_nomem();
    test_account_parse();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return kh_test_report("test_store");
}
