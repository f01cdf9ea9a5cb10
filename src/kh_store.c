/*
 * kh_store.c — the SQLite store: articles, copy groups, stories and their
 * accounts, with full-text search that any SQLite opens.
 *
 * Design
 *   One kh_store is one SQLite connection, used by one thread at a time
 *   (opened SQLITE_OPEN_NOMUTEX; the web server gives each thread its own).
 *   Durability comes from WAL with synchronous=NORMAL: a killed process
 *   never leaves a half-written batch, because a batch is one transaction.
 *   SQLite allocates through its own allocator (sqlite3_config() is global,
 *   and khabar has no globals); everything else here goes through the ctx.
 *
 *   Schema versions live in PRAGMA user_version. migrations[i] takes a file
 *   from version i to i+1; opening applies the missing ones, in order, in
 *   one BEGIN IMMEDIATE transaction (two processes opening a fresh file at
 *   once cannot both migrate). A file newer than this library is refused.
 *
 *   Full-text search: articles_fts is an FTS5 table with external content
 *   (articles), kept in step by triggers, so a rolled-back batch leaves
 *   neither rows nor index entries. It uses SQLite's built-in unicode61
 *   tokenizer, so sqlite3, Python, Datasette or sqlite-utils can query it,
 *   and DELETE or UPDATE an article, without khabar. It indexes two
 *   columns: the title as written (for those tools' plain queries) and
 *   terms, khabar's own words for the article: kh_tokenize() with
 *   KH_TOK_STEM over title and body, normalized stems and their colocated
 *   spelling variants, space-separated. khabar's searches go through the
 *   same tokenizer and match the terms column only, so أشتون finds آشتون;
 *   their snippets are cut from the body as written (search_snippet()).
 *   The body as written is not indexed a second time: that doubled the cost
 *   of storing an article for words the terms column already holds.
 *   Schema 1 and 2 indexed through a custom tokenizer named "khabar"; it is
 *   still registered on read/write connections so that migration 2 -> 3
 *   can drop that index.
 *
 *   articles:  n (INTEGER PRIMARY KEY: the stable rowid the FTS index
 *              points at; VACUUM may renumber implicit rowids) | id UNIQUE |
 *              file url source date title lang | body | body_hash |
 *              group_id | story_id -> stories.id | added_at | terms | why
 *   stories:   id | first last | headline lang | account_json | updated_at
 *   No dedup or story state is stored: ingest re-reads the stored articles
 *   of one story window before the new ones and runs the stages over them
 *   (src/cli/cmd_ingest.c), so the articles are the only truth to keep
 *   consistent. Version 1 files had empty tables for such state; version 2
 *   drops them.
 *
 * Invariant: every article row has exactly one row in articles_fts with the
 * same rowid and the same title/terms (checked by kh_store_check()),
 * and terms is what append_terms() makes of its title and body.
 */
#include "kh_internal.h"

#include <jansson.h>
#include <sqlite3.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

/* ---- schema ----------------------------------------------------------- */

static kh_status fill_terms(kh_store *st);

/* migrations[i] takes a file from version i to i + 1: sql, then fill (when
 * set), then after (when set), all in the one migration transaction. */
typedef struct migration {
    const char *sql;
    kh_status (*fill)(kh_store *st);
    const char *after;
} migration;

static const migration migrations[] = {
    /* 0 -> 1 */
    { "CREATE TABLE stories("
    "  id INTEGER PRIMARY KEY,"
    "  first TEXT, last TEXT, headline TEXT, lang TEXT,"
    "  account_json TEXT,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE INDEX stories_recent ON stories(last DESC, id DESC);"
    "CREATE TABLE articles("
    "  n INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  file TEXT, url TEXT, source TEXT, date TEXT, title TEXT, lang TEXT,"
    "  body TEXT NOT NULL DEFAULT '',"
    "  body_hash INTEGER NOT NULL DEFAULT 0,"
    "  group_id INTEGER,"
    "  story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,"
    "  added_at INTEGER NOT NULL);"
    "CREATE INDEX articles_story ON articles(story_id, date);"
    "CREATE INDEX articles_group ON articles(group_id);"
    "CREATE INDEX articles_hash ON articles(body_hash);"
    "CREATE INDEX articles_date ON articles(date);"
    "CREATE TABLE doc_freq(term INTEGER PRIMARY KEY, df INTEGER NOT NULL);"
    "CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE signatures("
    "  article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,"
    "  sig BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE lsh_bands("
    "  band INTEGER NOT NULL, key INTEGER NOT NULL,"
    "  article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    "  PRIMARY KEY(band, key, article)) WITHOUT ROWID;"
    "CREATE INDEX lsh_bands_article ON lsh_bands(article);"
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "  title, body, content='articles', content_rowid='n', tokenize='khabar');"
    "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
    "  INSERT INTO articles_fts(rowid, title, body) VALUES (new.n, new.title, new.body);"
    "END;"
    "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, body)"
    "    VALUES ('delete', old.n, old.title, old.body);"
    "END;"
    "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, body ON articles BEGIN"
    "  INSERT INTO articles_fts(articles_fts, rowid, title, body)"
    "    VALUES ('delete', old.n, old.title, old.body);"
    "  INSERT INTO articles_fts(rowid, title, body) VALUES (new.n, new.title, new.body);"
    "END;", NULL, NULL },
    /* 1 -> 2: ingest re-reads the stored articles of a story window instead
     * of keeping dedup and story state in tables; these were never filled. */
    { "DROP TABLE IF EXISTS lsh_bands;"
      "DROP TABLE IF EXISTS signatures;"
      "DROP TABLE IF EXISTS doc_freq;"
      "DROP TABLE IF EXISTS counters;", NULL, NULL },
    /* 2 -> 3: an index any SQLite can use (unicode61), with khabar's words
     * kept in a column of their own; the old index needed khabar's tokenizer
     * for every query, DELETE and UPDATE. content="articles" is quoted the
     * way sqlite-utils looks for when it finds a table's index. */
    { "DROP TRIGGER articles_fts_ai;"
      "DROP TRIGGER articles_fts_ad;"
      "DROP TRIGGER articles_fts_au;"
      "DROP TABLE articles_fts;"
      "ALTER TABLE articles ADD COLUMN terms TEXT NOT NULL DEFAULT '';",
      fill_terms,
      "CREATE VIRTUAL TABLE articles_fts USING fts5("
      "  title, terms, content=\"articles\", content_rowid='n',"
      "  tokenize='unicode61 remove_diacritics 2');"
      "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN"
      "  INSERT INTO articles_fts(rowid, title, terms) VALUES (new.n, new.title, new.terms);"
      "END;"
      "CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN"
      "  INSERT INTO articles_fts(articles_fts, rowid, title, terms)"
      "    VALUES ('delete', old.n, old.title, old.terms);"
      "END;"
      "CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, terms ON articles BEGIN"
      "  INSERT INTO articles_fts(articles_fts, rowid, title, terms)"
      "    VALUES ('delete', old.n, old.title, old.terms);"
      "  INSERT INTO articles_fts(rowid, title, terms) VALUES (new.n, new.title, new.terms);"
      "END;"
      "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');" },
    /* 3 -> 4: why each article is in its story, as kh_story_why_json()
     * writes it; stored articles have none until they are grouped again. */
    { "ALTER TABLE articles ADD COLUMN why TEXT;", NULL, NULL },
    /* 4 -> 5: what the cleaner finds and the copy relation, per article;
     * provenance per story. The insert trigger waits while fts_deferred
     * holds a row: khabar's own batches index their new rows in one
     * statement at commit (FTS5 flushes its pending terms at every
     * statement that writes through a trigger: one segment per article,
     * a quarter of an ingest). Rows inserted by other tools are indexed
     * by the trigger, as before. */
    { "ALTER TABLE articles ADD COLUMN dateline TEXT;"
      "ALTER TABLE articles ADD COLUMN dateline_agency TEXT;"
      "ALTER TABLE articles ADD COLUMN author TEXT;"
      "ALTER TABLE articles ADD COLUMN date_source TEXT;"
      "ALTER TABLE articles ADD COLUMN copy_of TEXT;"
      "ALTER TABLE articles ADD COLUMN copy_relation TEXT;"
      "ALTER TABLE articles ADD COLUMN wire TEXT;"
      "ALTER TABLE stories ADD COLUMN independent_sources INTEGER;"
      "ALTER TABLE stories ADD COLUMN wire TEXT;"
      "ALTER TABLE stories ADD COLUMN wire_outlets INTEGER;"
      "CREATE INDEX stories_top ON stories(substr(last, 1, 10) DESC,"
      "  coalesce(independent_sources, 0) DESC, last DESC, id DESC);"
      /* counting by sources must not read each row past its account */
      "CREATE INDEX stories_sources ON stories(coalesce(independent_sources, 0));"
      "CREATE TABLE fts_deferred(mark INTEGER NOT NULL);"
      "CREATE TABLE story_names(name TEXT NOT NULL,"
      "  story INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
      "  PRIMARY KEY(name, story)) WITHOUT ROWID;"
      "CREATE INDEX story_names_story ON story_names(story);"
      "DROP TRIGGER articles_fts_ai;"
      "CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles"
      "  WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN"
      "  INSERT INTO articles_fts(rowid, title, terms) VALUES (new.n, new.title, new.terms);"
      "END;", NULL, NULL },
    /* 5 -> 6: stories by language, so a story's page finds the few stories
     * of other languages in its days without scanning the store (7 ms a
     * page on SaudiNewsNet's 17k stories, 1 ms with it). */
    { "CREATE INDEX stories_lang ON stories(lang, last);", NULL, NULL },
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(N_MIGRATIONS == KH_STORE_SCHEMA_VERSION,
               "one migration per schema version");

/* ---- cached statements ------------------------------------------------ */

enum {
    ST_HAS_ARTICLE,
    ST_PUT_ARTICLE,
    ST_SET_STORY,
    ST_SET_COPY,
    ST_NEW_STORY,
    ST_UPSERT_STORY,
    ST_LIST_STORIES,
    ST_COUNT_STORIES,
    ST_GET_STORY,
    ST_STORY_ARTICLES,
    ST_GET_ARTICLE,
    ST_SEARCH,
    ST_FIND_HASH,
    ST_SINCE,
    ST_LATEST_DATE,
    ST_DATA_VERSION,
    ST_OTHER_LANG,
    ST_UNFILED,
    ST_ARTICLE_STATE,
    ST_UPDATE_ARTICLE,
    ST_IN_ORDER,
    ST_STORY_SIZE,
    ST_DELETE_STORY,
    ST_UNSETTLED,
    ST_SET_WHY,
    ST_COUNT_
};

#define ARTICLE_COLS \
    "a.id, a.file, a.url, a.source, a.date, a.title, a.lang, a.body_hash, " \
    "a.group_id, a.story_id, a.added_at, a.why, a.dateline, a.dateline_agency, " \
    "a.author, a.date_source, a.copy_of, a.copy_relation, a.wire"
/* The column after ARTICLE_COLS (the body, where a query selects it). */
#define AFTER_ARTICLE_COLS 19
#define STORY_COLS \
    "s.id, s.first, s.last, s.headline, s.lang, s.account_json, s.updated_at," \
    " s.independent_sources, s.wire, s.wire_outlets," \
    " (SELECT count(*) FROM articles a WHERE a.story_id = s.id)," \
    " (SELECT group_concat(x, char(10)) FROM (SELECT DISTINCT source x FROM articles a" \
    "    WHERE a.story_id = s.id AND source IS NOT NULL ORDER BY x))," \
    " (SELECT group_concat(x, char(10)) FROM (SELECT DISTINCT lang x FROM articles a" \
    "    WHERE a.story_id = s.id AND lang IS NOT NULL ORDER BY x))"

static const char *const statement_sql[ST_COUNT_] = {
    [ST_HAS_ARTICLE] = "SELECT 1 FROM articles WHERE id = ?1",
    [ST_PUT_ARTICLE] =
        "INSERT OR IGNORE INTO articles(id, file, url, source, date, title, lang, body,"
        " body_hash, group_id, story_id, added_at, terms, why, dateline, dateline_agency,"
        " author, date_source, copy_of, copy_relation, wire)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
        " ?17, ?18, ?19, ?20, ?21)",
    [ST_SET_STORY] = "UPDATE articles SET story_id = ?2, group_id = ?3 WHERE id = ?1",
    [ST_SET_COPY] = "UPDATE articles SET copy_of = ?2, copy_relation = ?3, wire = ?4"
                    " WHERE id = ?1",
    [ST_NEW_STORY] =
        "INSERT INTO stories(first, last, headline, lang, account_json, updated_at,"
        " independent_sources, wire, wire_outlets)"
        " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [ST_UPSERT_STORY] =
        "INSERT INTO stories(id, first, last, headline, lang, account_json, updated_at,"
        " independent_sources, wire, wire_outlets)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        " ON CONFLICT(id) DO UPDATE SET first = excluded.first, last = excluded.last,"
        " headline = excluded.headline, lang = excluded.lang,"
        " account_json = excluded.account_json, updated_at = excluded.updated_at,"
        " independent_sources = excluded.independent_sources, wire = excluded.wire,"
        " wire_outlets = excluded.wire_outlets",
    [ST_LIST_STORIES] = "SELECT " STORY_COLS " FROM stories s"
                        " ORDER BY s.last DESC, s.id DESC LIMIT ?1 OFFSET ?2",
    [ST_COUNT_STORIES] = "SELECT count(*) FROM stories",
    [ST_GET_STORY] = "SELECT " STORY_COLS " FROM stories s WHERE s.id = ?1",
    [ST_STORY_ARTICLES] = "SELECT " ARTICLE_COLS ", a.body FROM articles a"
                          " WHERE a.story_id = ?1 ORDER BY a.date IS NULL, a.date, a.n",
    [ST_GET_ARTICLE] = "SELECT " ARTICLE_COLS ", a.body FROM articles a WHERE a.id = ?1",
    /* BM25 reads every match's positions: a common word's thousands of
     * matches cost milliseconds. FTS5 walks its matches newest row first
     * and stops at the limit, so only the newest KH_STORE_SEARCH_DEPTH are
     * ranked. */
    [ST_SEARCH] = "SELECT " ARTICLE_COLS ", a.body, f.r"
                  " FROM (SELECT rowid, rank AS r FROM articles_fts WHERE articles_fts MATCH ?1"
                  "       ORDER BY rowid DESC LIMIT ?4) f"
                  " JOIN articles a ON a.n = f.rowid ORDER BY f.r, a.n DESC LIMIT ?2 OFFSET ?3",
    [ST_FIND_HASH] = "SELECT " ARTICLE_COLS ", a.body FROM articles a"
                     " WHERE a.body_hash = ?1 ORDER BY a.n",
    [ST_SINCE] = "SELECT " ARTICLE_COLS ", a.body FROM articles a"
                 " WHERE a.date >= ?1 ORDER BY a.date, a.n",
    [ST_LATEST_DATE] = "SELECT max(date) FROM articles",
    [ST_DATA_VERSION] = "PRAGMA data_version",
    /* as the filter's not_lang with since and until: a skip scan of the
     * languages over stories_lang, then their stories in the days */
    [ST_OTHER_LANG] = "SELECT 1 FROM stories s WHERE s.lang IN (WITH RECURSIVE langs(l) AS"
                      " (SELECT min(lang) FROM stories UNION ALL"
                      "  SELECT (SELECT min(lang) FROM stories WHERE lang > l) FROM langs"
                      "  WHERE l IS NOT NULL)"
                      " SELECT l FROM langs WHERE l IS NOT NULL AND l <> ?1 AND l <> 'und')"
                      " AND s.last >= ?2 AND substr(s.first, 1, length(?3)) <= ?3 LIMIT 1",
    [ST_ARTICLE_STATE] = "SELECT body_hash, title, story_id FROM articles WHERE id = ?1",
    /* An update keeps the row (n, what the index points at), its story, copy
     * group and first storing time, and a URL the new version lacks; the
     * why was the old version's and goes until it is grouped again. */
    [ST_UPDATE_ARTICLE] =
        "UPDATE articles SET file = ?2, url = coalesce(?3, url), source = ?4, date = ?5,"
        " title = ?6, lang = ?7, body = ?8, body_hash = ?9, terms = ?13, why = NULL,"
        " dateline = ?15, dateline_agency = ?16, author = ?17, date_source = ?18,"
        " copy_of = NULL, copy_relation = NULL, wire = NULL"
        " WHERE id = ?1",
    [ST_UNFILED] = "SELECT " ARTICLE_COLS ", a.body FROM articles a WHERE a.story_id IS NULL"
                   " ORDER BY a.date IS NULL, a.date, a.n",
    [ST_IN_ORDER] = "SELECT " ARTICLE_COLS ", a.body FROM articles a ORDER BY a.n",
    [ST_STORY_SIZE] = "SELECT count(*) FROM articles WHERE story_id = ?1",
    [ST_DELETE_STORY] = "DELETE FROM stories WHERE id = ?1",
    [ST_UNSETTLED] = "SELECT count(*) FROM articles"
                     " WHERE story_id IS NULL OR group_id IS NULL OR group_id = 0",
    [ST_SET_WHY] = "UPDATE articles SET why = ?2 WHERE id = ?1",
};

/* Longest token the index keeps; longer runs are not words. */
#define MAX_TOKEN_BYTES 256
/* Words of a search query beyond this are ignored. */
#define MAX_QUERY_WORDS 32
/* The rules of the one index over every language: Arabic words by the
 * Arabic rules, Latin words by the English ones, others by none (kh_tokenize
 * gives these to any word of an English text). Stored indexes were built so;
 * a query must be tokenized as they were. */
#define INDEX_LANG KH_LANG_EN

/* A statement whose SQL a filter built (story lists: a page of the index,
 * a story page's candidates in other languages). A server asks the same
 * few shapes again and again, and preparing one cost a tenth of a story
 * page; the last BUILT_STMTS are kept, by their text. */
#define BUILT_STMTS 8
typedef struct built_stmt {
    char *sql;           /* NULL: a free slot */
    size_t len;
    sqlite3_stmt *stmt;
    uint64_t used;       /* the clock when last taken, for eviction */
    int busy;            /* taken and not given back (a callback may list too) */
} built_stmt;

struct kh_store {
    kh_ctx *ctx;
    sqlite3 *db;
    char *path;          /* for error messages */
    size_t path_size;
    int in_batch;
    int fts_deferred;    /* this batch's new rows wait for index_deferred() */
    sqlite3_stmt *stmt[ST_COUNT_];
    kh_tokenizer *qtok;  /* khabar's words of queries and of stored articles */
    kh_buf query;        /* the FTS5 query built from a search */
    kh_buf terms;        /* an article's terms column, or a snippet */
    built_stmt built[BUILT_STMTS]; /* statements built for a filter, kept */
    uint64_t built_clock;
};

static kh_status db_error(kh_store *st, const char *what)
{
    return kh_ctx_error(st->ctx, KH_E_DB, "%s: %s: %s", st->path, what,
                        st->db ? sqlite3_errmsg(st->db) : "cannot open");
}

/* The cached statement `which`, prepared on first use, reset and unbound. */
static sqlite3_stmt *stmt_get(kh_store *st, int which)
{
    if (!st->stmt[which]) {
        if (sqlite3_prepare_v3(st->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                               &st->stmt[which], NULL) != SQLITE_OK) {
            db_error(st, "prepare");
            return NULL;
        }
    }
    return st->stmt[which];
}

static void stmt_done(sqlite3_stmt *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

/* *found = 1 when the bound statement s gives a row; it is reset either
 * way. */
static kh_status step_exists(kh_store *st, sqlite3_stmt *s, int *found, const char *what)
{
    int step = sqlite3_step(s);
    stmt_done(s);
    if (step == SQLITE_ROW)
        *found = 1;
    else if (step != SQLITE_DONE)
        return db_error(st, what);
    return KH_OK;
}

static int bind_text(sqlite3_stmt *s, int i, const char *text)
{
    if (!text)
        return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
}

static int bind_id(sqlite3_stmt *s, int i, int64_t id)
{
    if (id == 0)
        return sqlite3_bind_null(s, i);
    return sqlite3_bind_int64(s, i, id);
}

static kh_status exec(kh_store *st, const char *sql, const char *what)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_error(st, what);
    return KH_OK;
}

/* ---- the FTS5 tokenizer ------------------------------------------------ */

typedef int (*fts_token_fn)(void *, int, const char *, int, int, int);

typedef struct fts_call {
    void *fts_ctx;
    fts_token_fn x_token;
    int rc; /* what x_token returned when it stopped us */
} fts_call;

static int fts_on_token(void *user, unsigned flags, const char *token, size_t token_len,
                        size_t start, size_t end)
{
    fts_call *call = user;
    if (token_len == 0 || token_len > MAX_TOKEN_BYTES)
        return 0;
    int tflags = (flags & KH_TOKEN_COLOCATED) ? FTS5_TOKEN_COLOCATED : 0;
    call->rc = call->x_token(call->fts_ctx, tflags, token, (int)token_len, (int)start, (int)end);
    return call->rc != SQLITE_OK;
}

static int fts_create(void *user, const char **args, int n_args, Fts5Tokenizer **out)
{
    (void)args;
    (void)n_args;
    kh_store *st = user;
    kh_tokenizer *tok;
    *out = NULL;
    if (kh_tokenizer_create(st->ctx, &tok) != KH_OK)
        return SQLITE_NOMEM;
    *out = (Fts5Tokenizer *)tok;
    return SQLITE_OK;
}

static void fts_delete(Fts5Tokenizer *t)
{
    kh_tokenizer_free((kh_tokenizer *)t);
}

static int fts_tokenize(Fts5Tokenizer *t, void *fts_ctx, int flags, const char *text,
                        int text_len, fts_token_fn x_token)
{
    (void)flags;
    if (!text || text_len <= 0)
        return SQLITE_OK;
    fts_call call = { fts_ctx, x_token, SQLITE_OK };
    kh_status rc = kh_tokenize((kh_tokenizer *)t, INDEX_LANG, text, (size_t)text_len,
                               KH_TOK_STEM, fts_on_token, &call);
    if (rc == KH_E_STOPPED)
        return call.rc;
    if (rc == KH_E_NOMEM)
        return SQLITE_NOMEM;
    return rc == KH_OK ? SQLITE_OK : SQLITE_ERROR;
}

static kh_status register_tokenizer(kh_store *st)
{
    fts5_api *api = NULL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
        return db_error(st, "FTS5 is not available");
    sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(s);
    sqlite3_finalize(s);
    if (!api)
        return db_error(st, "FTS5 is not available");
    static const fts5_tokenizer methods = { fts_create, fts_delete, fts_tokenize };
    fts5_tokenizer copy = methods;
    if (api->xCreateTokenizer(api, "khabar", st, &copy, NULL) != SQLITE_OK)
        return db_error(st, "registering the tokenizer");
    return KH_OK;
}

/* ---- open, migrate, close ---------------------------------------------- */

static int read_user_version(kh_store *st)
{
    sqlite3_stmt *s;
    int v = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static kh_status migrate(kh_store *st)
{
    int v = read_user_version(st);
    if (v < 0)
        return db_error(st, "reading the schema version");
    if (v == KH_STORE_SCHEMA_VERSION)
        return KH_OK;
    KHI_FORWARD_IF_ERROR(exec(st, "BEGIN IMMEDIATE", "starting the migration"));
    v = read_user_version(st); /* another process may have migrated meanwhile */
    kh_status rc = KH_OK;
    if (v < 0) {
        rc = db_error(st, "reading the schema version");
    } else if (v > KH_STORE_SCHEMA_VERSION) {
        rc = kh_ctx_error(st->ctx, KH_E_DB,
                          "%s: schema version %d is newer than this khabar (%d)",
                          st->path, v, KH_STORE_SCHEMA_VERSION);
    }
    for (int i = v; rc == KH_OK && i < N_MIGRATIONS; i++) {
        char what[48];
        snprintf(what, sizeof what, "migrating to schema version %d", i + 1);
        rc = exec(st, migrations[i].sql, what);
        if (rc == KH_OK && migrations[i].fill)
            rc = migrations[i].fill(st);
        if (rc == KH_OK && migrations[i].after)
            rc = exec(st, migrations[i].after, what);
        if (rc == KH_OK) {
            char sql[48];
            snprintf(sql, sizeof sql, "PRAGMA user_version = %d", i + 1);
            rc = exec(st, sql, what);
        }
    }
    if (rc == KH_OK)
        rc = exec(st, "COMMIT", "committing the migration");
    if (rc != KH_OK)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static kh_status store_setup(kh_store *st, const char *path, int readonly)
{
    int flags = readonly ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
                         : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        if (!st->db)
            return kh_ctx_error(st->ctx, KH_E_NOMEM, "%s: out of memory opening", path);
        return db_error(st, "open");
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 10000);
    if (readonly) {
        /* nothing is written: the file must already be a store of this schema */
        /* pages read straight from the mapped file, no copy per read; a bigger
         * cache for the pages every request touches */
        KHI_FORWARD_IF_ERROR(exec(st, "PRAGMA foreign_keys = ON; PRAGMA mmap_size = 268435456;"
                                      " PRAGMA cache_size = -16384;", "reading"));
        int v = read_user_version(st);
        if (v < 0)
            return db_error(st, "reading the schema version");
        if (v == 0) /* an empty file, or another program's database */
            return kh_ctx_error(st->ctx, KH_E_DB, "%s: not a khabar store (make one with "
                                "khabar ingest)", path);
        if (v != KH_STORE_SCHEMA_VERSION)
            return kh_ctx_error(st->ctx, KH_E_DB, "%s: schema version %d, not %d (open it "
                                "read/write once to migrate)", path, v, KH_STORE_SCHEMA_VERSION);
        return kh_tokenizer_create(st->ctx, &st->qtok);
    }
    /* Fail early on a file that is not a database. Two processes opening
     * one new store at once both switch it to WAL; SQLite answers one of
     * them "locked" at once, without its busy handler, so it waits here. */
    for (int tries = 0;; tries++) {
        int wal = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (wal == SQLITE_OK)
            break;
        if (((wal & 0xff) != SQLITE_BUSY && (wal & 0xff) != SQLITE_LOCKED) || tries >= 200)
            return db_error(st, "setting WAL");
        struct timespec pause = { 0, 50 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
    KHI_FORWARD_IF_ERROR(exec(st, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                              "setting pragmas"));
    KHI_FORWARD_IF_ERROR(register_tokenizer(st));
    KHI_FORWARD_IF_ERROR(kh_tokenizer_create(st->ctx, &st->qtok));
    return migrate(st);
}

static kh_status store_open(kh_ctx *ctx, const char *path, int readonly, kh_store **out)
{
    *out = NULL;
    if (!path)
        return kh_ctx_error(ctx, KH_E_ARG, "kh_store_open: no path");
    kh_store *st = kh_malloc(ctx, sizeof *st);
    if (!st)
        return kh_ctx_error(ctx, KH_E_NOMEM, "%s: out of memory", path);
    memset(st, 0, sizeof *st);
    st->ctx = ctx;
    kh_buf_init(&st->query, ctx, 64 * 1024);
    kh_buf_init(&st->terms, ctx, 0);
    st->path_size = strlen(path) + 1;
    st->path = kh_malloc(ctx, st->path_size);
    if (!st->path) {
        kh_free(ctx, st, sizeof *st);
        return kh_ctx_error(ctx, KH_E_NOMEM, "%s: out of memory", path);
    }
    memcpy(st->path, path, st->path_size);
    kh_status rc = store_setup(st, path, readonly);
    if (rc != KH_OK) {
        kh_store_close(st);
        return rc;
    }
    *out = st;
    return KH_OK;
}

kh_status kh_store_open(kh_ctx *ctx, const char *path, kh_store **out)
{
    return store_open(ctx, path, 0, out);
}

kh_status kh_store_open_readonly(kh_ctx *ctx, const char *path, kh_store **out)
{
    return store_open(ctx, path, 1, out);
}

void kh_store_close(kh_store *store)
{
    if (!store)
        return;
    for (int i = 0; i < ST_COUNT_; i++)
        sqlite3_finalize(store->stmt[i]);
    for (int i = 0; i < BUILT_STMTS; i++) {
        sqlite3_finalize(store->built[i].stmt);
        kh_free(store->ctx, store->built[i].sql, store->built[i].len + 1);
    }
    if (store->db) {
        if (store->in_batch)
            sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(store->db); /* frees the FTS tokenizers too */
    }
    kh_tokenizer_free(store->qtok);
    kh_buf_free(&store->query);
    kh_buf_free(&store->terms);
    kh_ctx *ctx = store->ctx;
    kh_free(ctx, store->path, store->path_size);
    kh_free(ctx, store, sizeof *store);
}

int kh_store_schema_version(kh_store *store)
{
    return read_user_version(store);
}

/* ---- batches ----------------------------------------------------------- */

/* From here to the batch's end, rows inserted by this connection skip the
 * insert trigger (migration 4 -> 5); the flag row belongs to the batch's
 * transaction, so a rollback or a kill takes it away with the rows. */
static kh_status defer_index(kh_store *st)
{
    if (st->fts_deferred || !st->in_batch)
        return KH_OK;
    KHI_FORWARD_IF_ERROR(exec(st, "INSERT INTO fts_deferred(mark)"
                                  " SELECT coalesce(max(n), 0) FROM articles",
                              "deferring the search index"));
    st->fts_deferred = 1;
    return KH_OK;
}

/* The batch's new rows into the index, in one statement. Called before a
 * commit, and before anything that reads the index or changes an indexed
 * row (the update trigger removes a row's old terms, which must be there).
 * Rows are only ever added above the mark within a batch: khabar deletes
 * no article, and n is max(n) + 1. */
static kh_status index_deferred(kh_store *st)
{
    if (!st->fts_deferred)
        return KH_OK;
    st->fts_deferred = 0;
    return exec(st, "INSERT INTO articles_fts(rowid, title, terms)"
                    " SELECT n, title, terms FROM articles"
                    " WHERE n > (SELECT mark FROM fts_deferred);"
                    "DELETE FROM fts_deferred;",
                "indexing the new articles");
}

kh_status kh_store_begin(kh_store *store)
{
    if (store->in_batch)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: a batch is already open", store->path);
    KHI_FORWARD_IF_ERROR(exec(store, "BEGIN IMMEDIATE", "begin"));
    store->in_batch = 1;
    return KH_OK;
}

kh_status kh_store_commit(kh_store *store)
{
    if (!store->in_batch)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: commit outside a batch", store->path);
    KHI_FORWARD_IF_ERROR(index_deferred(store));
    KHI_FORWARD_IF_ERROR(exec(store, "COMMIT", "commit"));
    store->in_batch = 0;
    return KH_OK;
}

kh_status kh_store_rollback(kh_store *store)
{
    if (!store->in_batch)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: rollback outside a batch", store->path);
    store->in_batch = 0;
    store->fts_deferred = 0;
    /* After some errors SQLite has already rolled back: not a failure. */
    if (sqlite3_get_autocommit(store->db))
        return KH_OK;
    return exec(store, "ROLLBACK", "rollback");
}

int kh_store_in_batch(const kh_store *store)
{
    return store->in_batch;
}

kh_status kh_store_check(kh_store *store)
{
    KHI_FORWARD_IF_ERROR(index_deferred(store));
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
        return db_error(store, "integrity check");
    kh_status rc = KH_OK;
    int step = sqlite3_step(s);
    if (step != SQLITE_ROW) {
        rc = db_error(store, "integrity check");
    } else if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
        rc = kh_ctx_error(store->ctx, KH_E_DB, "%s: integrity check: %s", store->path,
                          (const char *)sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    KHI_FORWARD_IF_ERROR(rc);
    KHI_FORWARD_IF_ERROR(exec(store, "PRAGMA foreign_key_check", "foreign key check"));
    return exec(store, "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)",
                "full-text index check");
}

/* ---- articles ----------------------------------------------------------- */

kh_status kh_store_has_article(kh_store *store, const char *id, int *found)
{
    *found = 0;
    if (!id)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: article without id", store->path);
    sqlite3_stmt *s = stmt_get(store, ST_HAS_ARTICLE);
    if (!s)
        return KH_E_DB;
    bind_text(s, 1, id);
    return step_exists(store, s, found, "looking up an article");
}

/* ---- khabar's words of an article ------------------------------------- */

typedef struct terms_build {
    kh_buf *out;
    kh_status rc;
} terms_build;

static int on_term(void *user, unsigned flags, const char *token, size_t token_len,
                   size_t start, size_t end)
{
    (void)flags;
    (void)start;
    (void)end;
    terms_build *t = user;
    if (token_len == 0 || token_len > MAX_TOKEN_BYTES)
        return 0;
    t->rc = t->out->len ? kh_buf_append(t->out, " ", 1) : KH_OK;
    if (t->rc == KH_OK)
        t->rc = kh_buf_append(t->out, token, token_len);
    return t->rc != KH_OK;
}

/* Appends the terms of text to out: its normalized stems and their
 * colocated variants, space-separated. */
static kh_status append_terms(kh_store *st, kh_buf *out, const char *text, size_t text_len)
{
    if (!text || text_len == 0)
        return KH_OK;
    terms_build t = { out, KH_OK };
    kh_status rc = kh_tokenize(st->qtok, INDEX_LANG, text, text_len, KH_TOK_STEM,
                               on_term, &t);
    return rc == KH_E_STOPPED ? t.rc : rc;
}

/* st->terms = the terms column of an article. */
static kh_status make_terms(kh_store *st, const char *title, const char *body, size_t body_len)
{
    kh_buf_clear(&st->terms);
    kh_status rc = append_terms(st, &st->terms, title, title ? strlen(title) : 0);
    if (rc == KH_OK)
        rc = append_terms(st, &st->terms, body, body_len);
    if (rc != KH_OK)
        return kh_ctx_error(st->ctx, rc, "%s: indexing an article: %s", st->path,
                            kh_strerror(rc));
    return KH_OK;
}

/* Migration 2 -> 3: the terms of every stored article. */
static kh_status fill_terms(kh_store *st)
{
    sqlite3_stmt *get = NULL, *put = NULL;
    kh_status rc = KH_OK;
    if (sqlite3_prepare_v2(st->db, "SELECT n, title, body FROM articles", -1, &get, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(st->db, "UPDATE articles SET terms = ?2 WHERE n = ?1", -1, &put,
                           NULL) != SQLITE_OK)
        rc = db_error(st, "migrating the search index");
    int step = SQLITE_DONE;
    while (rc == KH_OK && (step = sqlite3_step(get)) == SQLITE_ROW) {
        const char *title = (const char *)sqlite3_column_text(get, 1);
        const char *body = (const char *)sqlite3_column_text(get, 2);
        rc = make_terms(st, title, body, body ? (size_t)sqlite3_column_bytes(get, 2) : 0);
        if (rc != KH_OK)
            break;
        sqlite3_bind_int64(put, 1, sqlite3_column_int64(get, 0));
        sqlite3_bind_text64(put, 2, st->terms.len ? st->terms.data : "", st->terms.len,
                            SQLITE_STATIC, SQLITE_UTF8);
        if (sqlite3_step(put) != SQLITE_DONE)
            rc = db_error(st, "migrating the search index");
        sqlite3_reset(put);
    }
    if (rc == KH_OK && step != SQLITE_DONE)
        rc = db_error(st, "migrating the search index");
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    return rc;
}

/* Checks an article's text and binds it to s, an INSERT or UPDATE of
 * articles with the numbering of ST_PUT_ARTICLE. */
static kh_status bind_article(kh_store *store, sqlite3_stmt *s, const kh_store_article *a)
{
    const char *body = a->body ? a->body : "";
    size_t body_len = a->body ? a->body_len : 0;
    size_t bad = 0;
    if (kh_utf8_check(body, body_len, &bad) != KH_OK || memchr(body, 0, body_len))
        return kh_ctx_error(store->ctx, KH_E_UTF8, "%s: article '%s': body is not UTF-8 text "
                            "(byte %zu)", store->path, a->id, bad);
    const char *const fields[] = { a->id, a->file, a->url, a->source, a->date, a->title,
                                   a->lang, a->why, a->dateline, a->dateline_agency,
                                   a->author, a->date_source, a->copy_of, a->copy_relation,
                                   a->wire };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i] && kh_utf8_check(fields[i], strlen(fields[i]), NULL) != KH_OK)
            return kh_ctx_error(store->ctx, KH_E_UTF8, "%s: article '%s': a field is not UTF-8",
                                store->path, a->id);
    uint64_t hash = a->body_hash ? a->body_hash : XXH3_64bits(body, body_len);
    KHI_FORWARD_IF_ERROR(make_terms(store, a->title, body, body_len));
    bind_text(s, 1, a->id);
    bind_text(s, 2, a->file);
    bind_text(s, 3, a->url);
    bind_text(s, 4, a->source);
    bind_text(s, 5, a->date);
    bind_text(s, 6, a->title);
    bind_text(s, 7, a->lang);
    sqlite3_bind_text64(s, 8, body, body_len, SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_int64(s, 9, (sqlite3_int64)hash);
    /* ?10..?12, ?14 and ?19..?21 are unused by the UPDATE, and binding them
     * there is harmless. */
    bind_id(s, 10, a->group_id);
    bind_id(s, 11, a->story_id);
    sqlite3_bind_int64(s, 12, a->added_at ? a->added_at : (int64_t)time(NULL));
    sqlite3_bind_text64(s, 13, store->terms.len ? store->terms.data : "", store->terms.len,
                        SQLITE_STATIC, SQLITE_UTF8);
    bind_text(s, 14, a->why);
    bind_text(s, 15, a->dateline);
    bind_text(s, 16, a->dateline_agency);
    bind_text(s, 17, a->author);
    bind_text(s, 18, a->date_source);
    bind_text(s, 19, a->copy_of);
    bind_text(s, 20, a->copy_relation);
    bind_text(s, 21, a->wire);
    return KH_OK;
}

kh_status kh_store_put_article(kh_store *store, const kh_store_article *a, int *is_new)
{
    if (is_new)
        *is_new = 0;
    if (!a->id)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: article without id", store->path);
    KHI_FORWARD_IF_ERROR(defer_index(store));
    sqlite3_stmt *s = stmt_get(store, ST_PUT_ARTICLE);
    if (!s)
        return KH_E_DB;
    kh_status rc = bind_article(store, s, a);
    if (rc != KH_OK) {
        stmt_done(s);
        return rc;
    }
    int step = sqlite3_step(s);
    stmt_done(s);
    if (step != SQLITE_DONE)
        return db_error(store, "storing an article");
    if (is_new)
        *is_new = sqlite3_changes(store->db) > 0;
    return KH_OK;
}

kh_status kh_store_save_article(kh_store *store, const kh_store_article *a, kh_store_saved *saved,
                                int64_t *story_id)
{
    *saved = KH_STORE_UNCHANGED;
    if (story_id)
        *story_id = 0;
    if (!a->id)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: article without id", store->path);
    sqlite3_stmt *s = stmt_get(store, ST_ARTICLE_STATE);
    if (!s)
        return KH_E_DB;
    bind_text(s, 1, a->id);
    int step = sqlite3_step(s);
    if (step != SQLITE_ROW) {
        stmt_done(s);
        if (step != SQLITE_DONE)
            return db_error(store, "looking up an article");
        int is_new = 0;
        KHI_FORWARD_IF_ERROR(kh_store_put_article(store, a, &is_new));
        *saved = is_new ? KH_STORE_ADDED : KH_STORE_UNCHANGED;
        return KH_OK;
    }
    const char *body = a->body ? a->body : "";
    size_t body_len = a->body ? a->body_len : 0;
    uint64_t hash = a->body_hash ? a->body_hash : XXH3_64bits(body, body_len);
    const char *title = (const char *)sqlite3_column_text(s, 1);
    /* The text is what makes a new version: a page fetched again with the
     * same title and body is the article already stored. */
    int same = (uint64_t)sqlite3_column_int64(s, 0) == hash &&
               ((!title && !a->title) || (title && a->title && strcmp(title, a->title) == 0));
    if (story_id)
        *story_id = sqlite3_column_int64(s, 2);
    stmt_done(s);
    if (same)
        return KH_OK;
    KHI_FORWARD_IF_ERROR(index_deferred(store));
    s = stmt_get(store, ST_UPDATE_ARTICLE);
    if (!s)
        return KH_E_DB;
    kh_status rc = bind_article(store, s, a);
    if (rc != KH_OK) {
        stmt_done(s);
        return rc;
    }
    step = sqlite3_step(s);
    stmt_done(s);
    if (step != SQLITE_DONE)
        return db_error(store, "updating an article");
    *saved = KH_STORE_UPDATED;
    return KH_OK;
}

/* Runs s, a bound UPDATE of the article id; what names it in errors. */
static kh_status update_article(kh_store *store, sqlite3_stmt *s, const char *id,
                                const char *what)
{
    int step = sqlite3_step(s);
    stmt_done(s);
    if (step != SQLITE_DONE)
        return db_error(store, what);
    if (sqlite3_changes(store->db) == 0)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: no article '%s'", store->path, id);
    return KH_OK;
}

kh_status kh_store_set_article_story(kh_store *store, const char *id, int64_t story_id,
                                     int64_t group_id)
{
    if (!id)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: article without id", store->path);
    sqlite3_stmt *s = stmt_get(store, ST_SET_STORY);
    if (!s)
        return KH_E_DB;
    bind_text(s, 1, id);
    bind_id(s, 2, story_id);
    bind_id(s, 3, group_id);
    return update_article(store, s, id, "setting an article's story");
}

kh_status kh_store_set_article_copy(kh_store *store, const char *id, const char *copy_of,
                                    const char *relation, const char *wire)
{
    if (!id)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: article without id", store->path);
    const char *const fields[] = { copy_of, relation, wire };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i] && kh_utf8_check(fields[i], strlen(fields[i]), NULL) != KH_OK)
            return kh_ctx_error(store->ctx, KH_E_UTF8, "%s: article '%s': a copy field is "
                                "not UTF-8", store->path, id);
    sqlite3_stmt *s = stmt_get(store, ST_SET_COPY);
    if (!s)
        return KH_E_DB;
    bind_text(s, 1, id);
    bind_text(s, 2, copy_of);
    bind_text(s, 3, relation);
    bind_text(s, 4, wire);
    return update_article(store, s, id, "setting an article's copy relation");
}

kh_status kh_store_set_article_why(kh_store *store, const char *id, const char *why)
{
    if (!id)
        return kh_ctx_error(store->ctx, KH_E_ARG, "%s: article without id", store->path);
    if (why && kh_utf8_check(why, strlen(why), NULL) != KH_OK)
        return kh_ctx_error(store->ctx, KH_E_UTF8, "%s: article '%s': why is not UTF-8",
                            store->path, id);
    sqlite3_stmt *s = stmt_get(store, ST_SET_WHY);
    if (!s)
        return KH_E_DB;
    bind_text(s, 1, id);
    bind_text(s, 2, why);
    return update_article(store, s, id, "setting an article's why");
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* Reads ARTICLE_COLS starting at column 0. */
static void row_article(sqlite3_stmt *s, kh_store_article *a)
{
    memset(a, 0, sizeof *a);
    a->id = col_text(s, 0);
    a->file = col_text(s, 1);
    a->url = col_text(s, 2);
    a->source = col_text(s, 3);
    a->date = col_text(s, 4);
    a->title = col_text(s, 5);
    a->lang = col_text(s, 6);
    a->body_hash = (uint64_t)sqlite3_column_int64(s, 7);
    a->group_id = sqlite3_column_int64(s, 8);
    a->story_id = sqlite3_column_int64(s, 9);
    a->added_at = sqlite3_column_int64(s, 10);
    a->why = col_text(s, 11);
    a->dateline = col_text(s, 12);
    a->dateline_agency = col_text(s, 13);
    a->author = col_text(s, 14);
    a->date_source = col_text(s, 15);
    a->copy_of = col_text(s, 16);
    a->copy_relation = col_text(s, 17);
    a->wire = col_text(s, 18);
}

/* Steps an article query whose last column is the body, calling fn. */
static kh_status each_article(kh_store *st, sqlite3_stmt *s, int *count,
                              kh_store_article_fn fn, void *user)
{
    kh_status rc = KH_OK;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        kh_store_article a;
        row_article(s, &a);
        a.body = col_text(s, AFTER_ARTICLE_COLS);
        a.body_len = (size_t)sqlite3_column_bytes(s, AFTER_ARTICLE_COLS);
        if (count)
            (*count)++;
        if (fn && fn(user, &a)) {
            rc = KH_E_STOPPED;
            break;
        }
    }
    if (rc == KH_OK && step != SQLITE_DONE)
        rc = db_error(st, "reading articles");
    stmt_done(s);
    return rc;
}

kh_status kh_store_get_article(kh_store *store, const char *id, int *found,
                               kh_store_article_fn fn, void *user)
{
    *found = 0;
    sqlite3_stmt *s = stmt_get(store, ST_GET_ARTICLE);
    if (!s)
        return KH_E_DB;
    bind_text(s, 1, id);
    return each_article(store, s, found, fn, user);
}

kh_status kh_store_find_hash(kh_store *store, uint64_t body_hash, kh_store_article_fn fn,
                             void *user)
{
    sqlite3_stmt *s = stmt_get(store, ST_FIND_HASH);
    if (!s)
        return KH_E_DB;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)body_hash);
    return each_article(store, s, NULL, fn, user);
}

kh_status kh_store_articles_since(kh_store *store, const char *since, kh_store_article_fn fn,
                                  void *user)
{
    sqlite3_stmt *s = stmt_get(store, ST_SINCE);
    if (!s)
        return KH_E_DB;
    bind_text(s, 1, since ? since : "");
    return each_article(store, s, NULL, fn, user);
}

kh_status kh_store_articles_unfiled(kh_store *store, kh_store_article_fn fn, void *user)
{
    sqlite3_stmt *s = stmt_get(store, ST_UNFILED);
    if (!s)
        return KH_E_DB;
    return each_article(store, s, NULL, fn, user);
}

kh_status kh_store_count_unsettled(kh_store *store, int64_t *n)
{
    *n = 0;
    sqlite3_stmt *s = stmt_get(store, ST_UNSETTLED);
    if (!s)
        return KH_E_DB;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *n = sqlite3_column_int64(s, 0);
    stmt_done(s);
    return step == SQLITE_ROW ? KH_OK : db_error(store, "counting unsettled articles");
}

kh_status kh_store_data_version(kh_store *store, int64_t *version)
{
    *version = 0;
    sqlite3_stmt *s = stmt_get(store, ST_DATA_VERSION);
    if (!s)
        return KH_E_DB;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *version = sqlite3_column_int64(s, 0);
    stmt_done(s);
    return step == SQLITE_ROW ? KH_OK : db_error(store, "reading the data version");
}

kh_status kh_store_other_lang(kh_store *store, const char *lang, const char *since,
                              const char *until, int *found)
{
    *found = 0;
    if (!store || !lang || !since || !until)
        return KH_E_ARG;
    sqlite3_stmt *s = stmt_get(store, ST_OTHER_LANG);
    if (!s)
        return KH_E_DB;
    bind_text(s, 1, lang);
    bind_text(s, 2, since);
    bind_text(s, 3, until);
    return step_exists(store, s, found, "looking for stories of other languages");
}

kh_status kh_store_articles_in_order(kh_store *store, kh_store_article_fn fn, void *user)
{
    sqlite3_stmt *s = stmt_get(store, ST_IN_ORDER);
    if (!s)
        return KH_E_DB;
    return each_article(store, s, NULL, fn, user);
}

kh_status kh_store_latest_date(kh_store *store, kh_buf *out)
{
    sqlite3_stmt *s = stmt_get(store, ST_LATEST_DATE);
    if (!s)
        return KH_E_DB;
    kh_status rc = KH_OK;
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        const char *d = col_text(s, 0);
        if (d)
            rc = kh_buf_puts(out, d);
    } else {
        rc = db_error(store, "reading the latest date");
    }
    stmt_done(s);
    return rc;
}

/* ---- stories ----------------------------------------------------------- */

kh_status kh_store_put_story(kh_store *store, const kh_store_story *story, int64_t *id_out)
{
    if (id_out)
        *id_out = 0;
    sqlite3_stmt *s = stmt_get(store, story->id ? ST_UPSERT_STORY : ST_NEW_STORY);
    if (!s)
        return KH_E_DB;
    if (story->id)
        sqlite3_bind_int64(s, 1, story->id);
    bind_text(s, 2, story->first);
    bind_text(s, 3, story->last);
    bind_text(s, 4, story->headline);
    bind_text(s, 5, story->lang);
    bind_text(s, 6, story->account_json);
    sqlite3_bind_int64(s, 7, story->updated_at ? story->updated_at : (int64_t)time(NULL));
    sqlite3_bind_int64(s, 8, story->independent_sources);
    bind_text(s, 9, story->wire);
    sqlite3_bind_int64(s, 10, story->wire_outlets);
    int step = sqlite3_step(s);
    stmt_done(s);
    if (step != SQLITE_DONE)
        return db_error(store, "storing a story");
    if (id_out)
        *id_out = story->id ? story->id : (int64_t)sqlite3_last_insert_rowid(store->db);
    return KH_OK;
}

kh_status kh_store_delete_story(kh_store *store, int64_t id)
{
    sqlite3_stmt *s = stmt_get(store, ST_STORY_SIZE);
    if (!s)
        return KH_E_DB;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    int64_t n = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    stmt_done(s);
    if (n < 0)
        return db_error(store, "counting a story's articles");
    if (n > 0)
        return kh_ctx_error(store->ctx, KH_E_ARG, "story %lld still has %lld articles",
                            (long long)id, (long long)n);
    s = stmt_get(store, ST_DELETE_STORY);
    if (!s)
        return KH_E_DB;
    sqlite3_bind_int64(s, 1, id);
    step = sqlite3_step(s);
    stmt_done(s);
    return step == SQLITE_DONE ? KH_OK : db_error(store, "removing a story");
}

static void row_story(sqlite3_stmt *s, kh_store_story *story)
{
    story->id = sqlite3_column_int64(s, 0);
    story->first = col_text(s, 1);
    story->last = col_text(s, 2);
    story->headline = col_text(s, 3);
    story->lang = col_text(s, 4);
    story->account_json = col_text(s, 5);
    story->updated_at = sqlite3_column_int64(s, 6);
    story->independent_sources = sqlite3_column_int64(s, 7);
    story->wire = col_text(s, 8);
    story->wire_outlets = sqlite3_column_int64(s, 9);
    story->n_articles = sqlite3_column_int64(s, 10);
    story->sources = col_text(s, 11);
    story->langs = col_text(s, 12);
}

static kh_status each_story(kh_store *st, sqlite3_stmt *s, int *count, kh_store_story_fn fn,
                            void *user)
{
    kh_status rc = KH_OK;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        kh_store_story story;
        row_story(s, &story);
        if (count)
            (*count)++;
        if (fn && fn(user, &story)) {
            rc = KH_E_STOPPED;
            break;
        }
    }
    if (rc == KH_OK && step != SQLITE_DONE)
        rc = db_error(st, "reading stories");
    stmt_done(s);
    return rc;
}

kh_status kh_store_list_stories(kh_store *store, size_t offset, size_t limit,
                                kh_store_story_fn fn, void *user)
{
    sqlite3_stmt *s = stmt_get(store, ST_LIST_STORIES);
    if (!s)
        return KH_E_DB;
    sqlite3_bind_int64(s, 1, limit > INT64_MAX ? INT64_MAX : (sqlite3_int64)limit);
    sqlite3_bind_int64(s, 2, offset > INT64_MAX ? INT64_MAX : (sqlite3_int64)offset);
    return each_story(store, s, NULL, fn, user);
}

/*
 * A search is khabar's words of the query (normalized stems, as
 * append_terms() makes them for articles), each quoted, all required, in the
 * terms column: terms : ("w1" "w2" ...). Quoting keeps any character of the
 * query from being read as FTS5 syntax. The snippet is cut from the body as
 * written, around the first word whose stem is one of the query's.
 */
struct query_build {
    kh_buf *out;                       /* the FTS5 query */
    kh_buf *stem_text;                 /* the query's stems, end to end */
    size_t stem_offs[MAX_QUERY_WORDS]; /* where each starts in stem_text */
    size_t stem_lens[MAX_QUERY_WORDS];
    int words;
    kh_status rc;
};

typedef struct query_build query_build;
static kh_status fts_query(kh_store *store, const char *text, size_t len, query_build *q,
                           kh_buf *stems);

/* The WHERE clause of a filter, its values bound from ?1 in this order;
 * fts is the FTS5 query made of f->q ("" when q has no words). */
/* Appends f's conditions to sql; returns the number of the next parameter. */
static int filter_sql(const kh_store_story_filter *f, const char *fts, kh_buf *sql)
{
    int any = 0;
    const char *conds[9] = {
        f && f->lang ? "s.lang = ?%d" : NULL,
        f && f->source ? "EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id"
                         " AND a.source = ?%d)" : NULL,
        f && f->since ? "s.last >= ?%d" : NULL,
        /* "2015-08-02" must take "2015-08-02T10:00" too */
        f && f->until ? "substr(s.first, 1, length(?%d)) <= ?%d" : NULL,
        f && f->min_sources > 0 ? "coalesce(s.independent_sources, 0) >= ?%d" : NULL,
        f && f->new_days > 0 ? "substr(s.first, 1, 10) >= date((SELECT max(substr(last, 1, 10))"
                               " FROM stories), '-' || ?%d || ' days')" : NULL,
        f && f->name ? "EXISTS (SELECT 1 FROM story_names n WHERE n.name = ?%d"
                       " AND n.story = s.id)" : NULL,
        !fts ? NULL
        : !*fts ? "0"
                : "s.id IN (SELECT a.story_id FROM articles a WHERE a.n IN"
                  " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?%d))",
        /* the few other languages first, each found in the stories_lang
         * index by one step from the last (a skip scan: 0.3 ms where
         * DISTINCT read all 17k rows of SaudiNewsNet in 2.5), so that the
         * index then finds their stories */
        f && f->not_lang ? "s.lang IN (WITH RECURSIVE langs(l) AS (SELECT min(lang) FROM stories"
                           " UNION ALL SELECT (SELECT min(lang) FROM stories WHERE lang > l)"
                           " FROM langs WHERE l IS NOT NULL)"
                           " SELECT l FROM langs WHERE l IS NOT NULL AND l <> ?%d AND l <> 'und')"
                         : NULL,
    };
    int arg = 1;
    for (size_t i = 0; i < 9; i++) {
        if (!conds[i])
            continue;
        kh_buf_puts(sql, any++ ? " AND " : " WHERE ");
        kh_buf_printf(sql, conds[i], arg, arg);
        arg += conds[i][0] != '0';
    }
    return arg;
}

/* Binds f's values to s; returns the number of the next parameter. */
static int filter_bind(sqlite3_stmt *s, const kh_store_story_filter *f, const char *fts)
{
    int arg = 1;
    if (!f)
        return arg;
    if (f->lang) bind_text(s, arg++, f->lang);
    if (f->source) bind_text(s, arg++, f->source);
    if (f->since) bind_text(s, arg++, f->since);
    if (f->until) bind_text(s, arg++, f->until);
    if (f->min_sources > 0) sqlite3_bind_int64(s, arg++, f->min_sources);
    if (f->new_days > 0) sqlite3_bind_int64(s, arg++, f->new_days);
    if (f->name) bind_text(s, arg++, f->name);
    if (fts && *fts) bind_text(s, arg++, fts);
    if (f->not_lang) bind_text(s, arg++, f->not_lang);
    return arg;
}

/* A statement for sql[0..len): a kept one, reset and unbound, or a new one
 * kept in the least recently used slot; *slot is where to give it back
 * (built_put), -1 for one made for this use only (every slot busy). */
static sqlite3_stmt *built_get(kh_store *st, const char *sql, size_t len, int *slot)
{
    int lru = -1;
    *slot = -1;
    for (int i = 0; i < BUILT_STMTS; i++) {
        built_stmt *b = &st->built[i];
        if (b->sql && !b->busy && b->len == len && !memcmp(b->sql, sql, len)) {
            sqlite3_reset(b->stmt);
            sqlite3_clear_bindings(b->stmt);
            b->busy = 1;
            b->used = ++st->built_clock;
            *slot = i;
            return b->stmt;
        }
        if (!b->busy && (lru < 0 || !b->sql || (st->built[lru].sql && b->used < st->built[lru].used)))
            lru = i;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v3(st->db, sql, (int)len, lru >= 0 ? SQLITE_PREPARE_PERSISTENT : 0, &stmt,
                           NULL) != SQLITE_OK)
        return NULL;
    char *copy = lru >= 0 ? kh_malloc(st->ctx, len + 1) : NULL;
    if (!copy)
        return stmt; /* used once, finalized by built_put */
    memcpy(copy, sql, len);
    copy[len] = '\0';
    built_stmt *b = &st->built[lru];
    sqlite3_finalize(b->stmt);
    kh_free(st->ctx, b->sql, b->len + 1);
    *b = (built_stmt){ copy, len, stmt, ++st->built_clock, 1 };
    *slot = lru;
    return stmt;
}

static void built_put(kh_store *st, sqlite3_stmt *stmt, int slot)
{
    if (slot < 0) {
        sqlite3_finalize(stmt);
        return;
    }
    sqlite3_reset(stmt);
    st->built[slot].busy = 0;
}

kh_status kh_store_list_stories_where(kh_store *store, const kh_store_story_filter *filter,
                                      size_t offset, size_t limit, kh_store_story_fn fn,
                                      void *user, int64_t *total)
{
    const char *fts = NULL;
    if (filter && filter->q) {
        KHI_FORWARD_IF_ERROR(index_deferred(store));
        kh_buf stems;
        kh_buf_init(&stems, store->ctx, 0);
        query_build q;
        kh_status qrc = fts_query(store, filter->q, strlen(filter->q), &q, &stems);
        kh_buf_free(&stems);
        if (qrc == KH_OK && q.words)
            qrc = kh_buf_append(&store->query, "", 1); /* a C string */
        if (qrc != KH_OK)
            return qrc;
        fts = q.words ? store->query.data : "";
    }
    kh_buf sql;
    kh_buf_init(&sql, store->ctx, 0);
    kh_buf_puts(&sql, "SELECT count(*) FROM stories s");
    filter_sql(filter, fts, &sql);
    kh_buf_puts(&sql, ";");
    size_t count_len = sql.len;
    kh_buf_puts(&sql, "SELECT " STORY_COLS " FROM stories s");
    int arg = filter_sql(filter, fts, &sql);
    kh_buf_puts(&sql, filter && filter->top
                          ? " ORDER BY substr(s.last, 1, 10) DESC,"
                            " coalesce(s.independent_sources, 0) DESC, s.last DESC, s.id DESC"
                          : " ORDER BY s.last DESC, s.id DESC");
    /* the page is bound, so that every page of a list is one statement */
    kh_status rc = kh_buf_printf(&sql, " LIMIT ?%d OFFSET ?%d", arg, arg + 1);
    if (rc != KH_OK) {
        kh_buf_free(&sql);
        return kh_ctx_error(store->ctx, KH_E_NOMEM, "out of memory");
    }
    sqlite3_stmt *s = NULL;
    int slot;
    if (total) {
        *total = -1;
        s = built_get(store, sql.data, count_len - 1, &slot); /* without its ';' */
        if (!s) {
            kh_buf_free(&sql);
            return db_error(store, "counting stories");
        }
        filter_bind(s, filter, fts);
        if (sqlite3_step(s) == SQLITE_ROW)
            *total = sqlite3_column_int64(s, 0);
        else
            rc = db_error(store, "counting stories");
        built_put(store, s, slot);
    }
    if (rc == KH_OK) {
        s = built_get(store, sql.data + count_len, sql.len - count_len, &slot);
        if (!s) {
            rc = db_error(store, "listing stories");
        } else {
            int next = filter_bind(s, filter, fts);
            sqlite3_bind_int64(s, next, limit > INT64_MAX ? INT64_MAX : (sqlite3_int64)limit);
            sqlite3_bind_int64(s, next + 1, offset > INT64_MAX ? INT64_MAX : (sqlite3_int64)offset);
            rc = each_story(store, s, NULL, fn, user);
            built_put(store, s, slot);
        }
    }
    kh_buf_free(&sql);
    return rc;
}

kh_status kh_store_set_story_names(kh_store *store, int64_t story, const char *const *names,
                                   size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && kh_utf8_check(names[i], strlen(names[i]), NULL) != KH_OK)
            return kh_ctx_error(store->ctx, KH_E_UTF8, "%s: story %lld: a name is not UTF-8",
                                store->path, (long long)story);
    sqlite3_stmt *del = NULL, *ins = NULL;
    kh_status rc = KH_OK;
    if (sqlite3_prepare_v2(store->db, "DELETE FROM story_names WHERE story = ?1", -1, &del,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(store->db, "INSERT OR IGNORE INTO story_names(name, story)"
                                      " VALUES (?1, ?2)", -1, &ins, NULL) != SQLITE_OK) {
        rc = db_error(store, "naming a story's names");
    }
    if (rc == KH_OK) {
        sqlite3_bind_int64(del, 1, story);
        if (sqlite3_step(del) != SQLITE_DONE)
            rc = db_error(store, "naming a story's names");
    }
    for (size_t i = 0; rc == KH_OK && i < n; i++) {
        if (!names[i] || !*names[i])
            continue;
        sqlite3_reset(ins);
        bind_text(ins, 1, names[i]);
        sqlite3_bind_int64(ins, 2, story);
        if (sqlite3_step(ins) != SQLITE_DONE)
            rc = db_error(store, "naming a story's names");
    }
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    return rc;
}

int64_t kh_store_count_stories(kh_store *store)
{
    sqlite3_stmt *s = stmt_get(store, ST_COUNT_STORIES);
    if (!s)
        return -1;
    int64_t n = -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    else
        db_error(store, "counting stories");
    stmt_done(s);
    return n;
}

kh_status kh_store_get_story(kh_store *store, int64_t id, int *found, kh_store_story_fn fn,
                             kh_store_article_fn article_fn, void *user)
{
    *found = 0;
    sqlite3_stmt *s = stmt_get(store, ST_GET_STORY);
    if (!s)
        return KH_E_DB;
    sqlite3_bind_int64(s, 1, id);
    KHI_FORWARD_IF_ERROR(each_story(store, s, found, fn, user));
    if (!*found || !article_fn)
        return KH_OK;
    s = stmt_get(store, ST_STORY_ARTICLES);
    if (!s)
        return KH_E_DB;
    sqlite3_bind_int64(s, 1, id);
    return each_article(store, s, NULL, article_fn, user);
}

/* ---- search ------------------------------------------------------------- */


static int query_word(void *user, unsigned flags, const char *token, size_t token_len,
                      size_t start, size_t end)
{
    (void)start;
    (void)end;
    query_build *q = user;
    if ((flags & KH_TOKEN_COLOCATED) || token_len == 0 || token_len > MAX_TOKEN_BYTES)
        return 0;
    if (q->words == MAX_QUERY_WORDS)
        return 1;
    kh_status rc = kh_buf_puts(q->out, q->words ? " \"" : "terms : (\"");
    for (size_t i = 0; rc == KH_OK && i < token_len; i++) {
        rc = kh_buf_append(q->out, token + i, 1);
        if (rc == KH_OK && token[i] == '"')
            rc = kh_buf_append(q->out, "\"", 1);
    }
    if (rc == KH_OK)
        rc = kh_buf_append(q->out, "\"", 1);
    q->stem_offs[q->words] = q->stem_text->len;
    q->stem_lens[q->words] = token_len;
    if (rc == KH_OK)
        rc = kh_buf_append(q->stem_text, token, token_len);
    q->rc = rc;
    q->words++;
    return rc != KH_OK;
}

/* store->query = the FTS5 query of text's words (nothing when it has
 * none: q->words is 0), q their stems, written end to end in stems. */
static kh_status fts_query(kh_store *store, const char *text, size_t len, query_build *q,
                           kh_buf *stems)
{
    kh_buf_clear(&store->query);
    memset(q, 0, sizeof *q);
    q->out = &store->query;
    q->stem_text = stems;
    kh_status rc = kh_tokenize(store->qtok, INDEX_LANG, text, len, KH_TOK_STEM, query_word, q);
    if (rc == KH_E_STOPPED)
        rc = q->rc;
    if (rc == KH_OK && q->words > 0)
        rc = kh_buf_append(&store->query, ")", 1);
    if (rc != KH_OK)
        return kh_ctx_error(store->ctx, rc, "%s: search query: %s", store->path,
                            kh_strerror(rc));
    return KH_OK;
}

/* Words of context before the first match, and words in a snippet. */
#define SNIPPET_BEFORE 6
#define SNIPPET_WORDS 24

typedef struct snippet_cut {
    const query_build *q;
    size_t recent[SNIPPET_BEFORE]; /* starts of the last words before a match */
    size_t n_words;                /* words seen (colocated variants not counted) */
    size_t from, to;               /* the byte range shown */
    size_t first_word;             /* index of the snippet's first word */
    size_t opening_to;             /* end of the body's first SNIPPET_WORDS words */
    int found;
    size_t marks[SNIPPET_WORDS][2];
    size_t n_marks;
} snippet_cut;

static int is_query_stem(const query_build *q, const char *token, size_t token_len)
{
    for (int i = 0; i < q->words; i++)
        if (q->stem_lens[i] == token_len &&
            memcmp(q->stem_text->data + q->stem_offs[i], token, token_len) == 0)
            return 1;
    return 0;
}

static int snippet_word(void *user, unsigned flags, const char *token, size_t token_len,
                        size_t start, size_t end)
{
    snippet_cut *c = user;
    int colocated = (flags & KH_TOKEN_COLOCATED) != 0;
    int hit = token_len > 0 && is_query_stem(c->q, token, token_len);
    if (!colocated)
        c->n_words++;
    if (!c->found && c->n_words <= SNIPPET_WORDS)
        c->opening_to = end;
    if (!c->found) {
        if (!colocated)
            c->recent[(c->n_words - 1) % SNIPPET_BEFORE] = start;
        if (!hit)
            return 0;
        c->found = 1;
        size_t back = c->n_words > SNIPPET_BEFORE ? SNIPPET_BEFORE : c->n_words;
        c->first_word = c->n_words - back;
        c->from = back ? c->recent[(c->n_words - back) % SNIPPET_BEFORE] : start;
    }
    if (c->n_words - c->first_word > SNIPPET_WORDS)
        return 1;
    c->to = end;
    if (hit && c->n_marks < SNIPPET_WORDS &&
        (c->n_marks == 0 || c->marks[c->n_marks - 1][1] <= start)) {
        c->marks[c->n_marks][0] = start;
        c->marks[c->n_marks][1] = end;
        c->n_marks++;
    }
    return 0;
}

/* out = a passage of body around the first query word, matched words
 * between KH_STORE_MARK_OPEN and _CLOSE; the opening words when the match
 * was in the title only. */
static kh_status search_snippet(kh_store *st, const query_build *q, const char *body,
                                 size_t body_len, kh_buf *out)
{
    kh_buf_clear(out);
    snippet_cut c;
    memset(&c, 0, sizeof c);
    c.q = q;
    kh_status rc = kh_tokenize(st->qtok, INDEX_LANG, body, body_len, KH_TOK_STEM,
                               snippet_word, &c);
    if (rc != KH_OK && rc != KH_E_STOPPED)
        return rc;
    if (!c.found) { /* the match was in the title: the opening words */
        c.from = 0;
        c.to = c.opening_to;
    }
    rc = kh_buf_puts(out, c.from > 0 ? "…" : "");
    size_t at = c.from;
    for (size_t m = 0; rc == KH_OK && m < c.n_marks; m++) {
        static const char open[1] = { KH_STORE_MARK_OPEN }, close[1] = { KH_STORE_MARK_CLOSE };
        rc = kh_buf_append(out, body + at, c.marks[m][0] - at);
        if (rc == KH_OK) rc = kh_buf_append(out, open, 1);
        if (rc == KH_OK) rc = kh_buf_append(out, body + c.marks[m][0], c.marks[m][1] - c.marks[m][0]);
        if (rc == KH_OK) rc = kh_buf_append(out, close, 1);
        at = c.marks[m][1];
    }
    if (rc == KH_OK && c.to > at)
        rc = kh_buf_append(out, body + at, c.to - at);
    if (rc == KH_OK && c.to < body_len)
        rc = kh_buf_puts(out, "…");
    if (rc == KH_OK)
        rc = kh_buf_append(out, "", 1); /* a C string for kh_store_hit */
    return rc;
}

kh_status kh_store_search(kh_store *store, const char *query, size_t query_len, size_t offset,
                          size_t limit, kh_store_hit_fn fn, void *user)
{
    KHI_FORWARD_IF_ERROR(index_deferred(store));
    kh_buf stems;
    kh_buf_init(&stems, store->ctx, 0);
    query_build q;
    kh_status rc = fts_query(store, query, query_len, &q, &stems);
    if (rc != KH_OK || q.words == 0) {
        kh_buf_free(&stems);
        return rc;
    }
    sqlite3_stmt *s = stmt_get(store, ST_SEARCH);
    if (!s) {
        kh_buf_free(&stems);
        return KH_E_DB;
    }
    sqlite3_bind_text(s, 1, store->query.data, (int)store->query.len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, limit > INT64_MAX ? INT64_MAX : (sqlite3_int64)limit);
    sqlite3_bind_int64(s, 3, offset > INT64_MAX ? INT64_MAX : (sqlite3_int64)offset);
    sqlite3_bind_int64(s, 4, KH_STORE_SEARCH_DEPTH);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        kh_store_article a;
        row_article(s, &a);
        const char *body = col_text(s, AFTER_ARTICLE_COLS);
        rc = search_snippet(store, &q, body ? body : "",
                            body ? (size_t)sqlite3_column_bytes(s, AFTER_ARTICLE_COLS) : 0,
                            &store->terms);
        if (rc != KH_OK) {
            rc = kh_ctx_error(store->ctx, rc, "%s: search snippet: %s", store->path,
                              kh_strerror(rc));
            break;
        }
        kh_store_hit hit = { &a, store->terms.data, sqlite3_column_double(s, AFTER_ARTICLE_COLS + 1) };
        if (fn(user, &hit)) {
            rc = KH_E_STOPPED;
            break;
        }
    }
    if (rc == KH_OK && step != SQLITE_DONE)
        rc = db_error(store, "searching");
    stmt_done(s);
    kh_buf_free(&stems);
    return rc;
}

/* ---- a stored account, read back ----------------------------------------- */

/*
 * The account JSON (kh_account_json(), flags 0 or KH_ACCOUNT_JSON_IN_STORY)
 * names articles by id; the account indexes them. Ids are numbered in the
 * order met: sources first (story order), then summary and disagreement ids.
 */
static const char *acct_str(kh_arena *arena, const json_t *obj, const char *key, int *bad)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    char *s = kh_arena_strndup(arena, json_string_value(v), json_string_length(v));
    if (!s)
        *bad = 2;
    return s;
}

/* The index of id among ids, appending it when new; (size_t)-1 on failure. */
static size_t acct_id(const char **ids, size_t *n, size_t cap, const char *id)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(ids[i], id) == 0)
            return i;
    if (*n == cap)
        return (size_t)-1;
    ids[*n] = id;
    return (*n)++;
}

/* An array of ids as indexes; NULL with *bad set on failure. */
static size_t *acct_ids(kh_arena *arena, const json_t *arr, const char **ids, size_t *n_ids,
                        size_t cap, size_t *n_out, int *bad)
{
    *n_out = 0;
    if (!json_is_array(arr)) {
        *bad = 1;
        return NULL;
    }
    size_t n = json_array_size(arr);
    size_t *idx = kh_arena_alloc(arena, (n ? n : 1) * sizeof *idx);
    if (!idx) {
        *bad = 2;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(arr, i);
        if (!json_is_string(v)) {
            *bad = 1;
            return NULL;
        }
        idx[i] = acct_id(ids, n_ids, cap, json_string_value(v));
        if (idx[i] == (size_t)-1) {
            *bad = 3;
            return NULL;
        }
    }
    *n_out = n;
    return idx;
}

kh_status kh_store_account_parse(kh_ctx *ctx, const char *json, size_t json_len,
                                 kh_account **out)
{
    *out = NULL;
    if (!json)
        return kh_ctx_error(ctx, KH_E_ARG, "kh_store_account_parse: no JSON");
    json_error_t jerr;
    json_t *root = json_loadb(json, json_len, 0, &jerr);
    if (!root || !json_is_object(root)) {
        if (root) {
            json_decref(root);
            return kh_ctx_error(ctx, KH_E_JSON, "account JSON: not an object");
        }
        return kh_ctx_error(ctx, KH_E_JSON, "account JSON: %d:%d: %s", jerr.line, jerr.column,
                            jerr.text);
    }
    kh_arena *arena = NULL;
    kh_status rc = kh_arena_create(ctx, &arena);
    if (rc != KH_OK) {
        json_decref(root);
        return rc;
    }
    int bad = 0;
    kh_account *acc = kh_arena_alloc(arena, sizeof *acc);
    const json_t *sources = json_object_get(root, "sources");
    const json_t *summary = json_object_get(root, "summary");
    const json_t *entities = json_object_get(root, "entities");
    const json_t *dis = json_object_get(root, "disagreements");
    size_t cap = json_array_size(sources) + 1;
    const json_t *v;
    size_t i;
    json_array_foreach(summary, i, v) cap += json_array_size(json_object_get(v, "ids"));
    json_array_foreach(json_object_get(root, "quotes"), i, v)
        cap += json_array_size(json_object_get(v, "ids"));
    json_array_foreach(dis, i, v) {
        const json_t *w;
        size_t k;
        json_array_foreach(json_object_get(v, "values"), k, w)
            cap += json_array_size(json_object_get(w, "ids"));
    }
    const char **ids = kh_arena_alloc(arena, cap * sizeof *ids);
    size_t n_ids = 0;
    if (!acc || !ids)
        bad = 2;
    if (!bad) {
        memset(acc, 0, sizeof *acc);
        acc->headline = acct_str(arena, root, "headline", &bad);
        const json_t *time = json_object_get(root, "time");
        if (json_is_object(time)) {
            acc->date_first = acct_str(arena, time, "first", &bad);
            acc->date_last = acct_str(arena, time, "last", &bad);
        }
    }
    if (!bad && !json_is_array(sources))
        bad = 1;
    kh_account_source *src = NULL;
    if (!bad) {
        size_t n = json_array_size(sources);
        src = kh_arena_alloc(arena, (n ? n : 1) * sizeof *src);
        if (!src)
            bad = 2;
        for (i = 0; !bad && i < n; i++) {
            v = json_array_get(sources, i);
            if (!json_is_object(v)) {
                bad = 1;
                break;
            }
            const char *id = acct_str(arena, v, "id", &bad);
            if (!bad && !id)
                bad = 1;
            if (bad)
                break;
            src[i].id = id;
            src[i].source = acct_str(arena, v, "source", &bad);
            src[i].date = acct_str(arena, v, "date", &bad);
            src[i].title = acct_str(arena, v, "title", &bad);
            src[i].article = acct_id(ids, &n_ids, cap, id);
        }
        acc->sources = src;
        acc->n_sources = n;
        if (!bad && !acc->date_first) { /* "time" left out: the sources' dates */
            for (i = 0; i < n; i++) {
                if (!src[i].date) continue;
                if (!acc->date_first || strcmp(src[i].date, acc->date_first) < 0)
                    acc->date_first = src[i].date;
                if (!acc->date_last || strcmp(src[i].date, acc->date_last) > 0)
                    acc->date_last = src[i].date;
            }
        }
    }
    /* the first report: by id among the sources; an account stored before
     * the first report had its evidence gives the id alone (basis NULL) */
    const json_t *first = json_object_get(root, "first_source");
    if (!first) /* stored before doc/formats.md */
        first = json_object_get(root, "first");
    if (!bad && json_is_object(first)) {
        const char *fid = json_string_value(json_object_get(first, "id"));
        size_t at = SIZE_MAX;
        for (i = 0; fid && i < acc->n_sources; i++)
            if (strcmp(src[i].id, fid) == 0) {
                at = i;
                break;
            }
        kh_account_first *f = at != SIZE_MAX ? kh_arena_alloc(arena, sizeof *f) : NULL;
        if (at != SIZE_MAX && !f)
            bad = 2;
        if (f) {
            memset(f, 0, sizeof *f);
            f->source = at;
            f->basis = acct_str(arena, first, "basis", &bad);
            const json_t *same = json_object_get(first, "same_day");
            size_t nt = json_array_size(same), *tied = NULL;
            if (!bad && nt && !(tied = kh_arena_alloc(arena, nt * sizeof *tied)))
                bad = 2;
            for (size_t k = 0; !bad && k < nt; k++) {
                const char *tid = json_string_value(json_array_get(same, k));
                for (i = 0; tid && i < acc->n_sources; i++)
                    if (strcmp(src[i].id, tid) == 0) {
                        tied[f->n_tied++] = i;
                        break;
                    }
            }
            f->tied = tied;
            json_int_t no = json_integer_value(json_object_get(first, "originals"));
            json_int_t nd = json_integer_value(json_object_get(first, "dated"));
            f->n_originals = no > 0 ? (size_t)no : 0;
            f->n_dated = nd > 0 ? (size_t)nd : 0;
            acc->first = f;
        }
    }
    if (!bad && summary && !json_is_array(summary))
        bad = 1;
    if (!bad && summary) {
        size_t n = json_array_size(summary);
        kh_account_sentence *sum = kh_arena_alloc(arena, (n ? n : 1) * sizeof *sum);
        if (!sum)
            bad = 2;
        for (i = 0; !bad && i < n; i++) {
            v = json_array_get(summary, i);
            memset(&sum[i], 0, sizeof sum[i]);
            sum[i].text = json_is_object(v) ? acct_str(arena, v, "text", &bad) : NULL;
            if (!bad && !sum[i].text)
                bad = 1;
            if (!bad)
                sum[i].carriers = acct_ids(arena, json_object_get(v, "ids"), ids, &n_ids, cap,
                                           &sum[i].n_carriers, &bad);
            if (!bad && sum[i].n_carriers)
                sum[i].article = sum[i].carriers[0];
        }
        acc->summary = sum;
        acc->n_summary = n;
    }
    if (!bad && entities && !json_is_array(entities))
        bad = 1;
    if (!bad && entities) {
        size_t n = json_array_size(entities);
        kh_account_entity *ent = kh_arena_alloc(arena, (n ? n : 1) * sizeof *ent);
        if (!ent)
            bad = 2;
        for (i = 0; !bad && i < n; i++) {
            v = json_array_get(entities, i);
            memset(&ent[i], 0, sizeof ent[i]);
            ent[i].name = json_is_object(v) ? acct_str(arena, v, "name", &bad) : NULL;
            if (!bad && !ent[i].name)
                bad = 1;
            const char *kind = json_string_value(json_object_get(v, "kind"));
            for (int k = KH_ENTITY_NAME; kind && k <= KH_ENTITY_ORG; k++)
                if (strcmp(kind, kh_entity_kind_name((kh_entity_kind)k)) == 0)
                    ent[i].kind = (kh_entity_kind)k;
            const json_t *vars = json_object_get(v, "variants");
            size_t nv = json_array_size(vars);
            const char **var = kh_arena_alloc(arena, (nv ? nv : 1) * sizeof *var);
            if (!bad && !var)
                bad = 2;
            for (size_t k = 0; !bad && k < nv; k++) {
                const json_t *s = json_array_get(vars, k);
                if (!json_is_string(s))
                    bad = 1;
                else if (!(var[k] = kh_arena_strndup(arena, json_string_value(s),
                                                     json_string_length(s))))
                    bad = 2;
            }
            ent[i].variants = var;
            ent[i].n_variants = nv;
            /* "articles" until the count got a name of its own */
            const json_t *nav = json_object_get(v, "article_count");
            json_int_t na = json_integer_value(nav ? nav : json_object_get(v, "articles"));
            json_int_t nm = json_integer_value(json_object_get(v, "mentions"));
            ent[i].n_articles = na > 0 ? (size_t)na : 0;
            ent[i].n_mentions = nm > 0 ? (size_t)nm : 0;
        }
        acc->entities = ent;
        acc->n_entities = n;
    }
    if (!bad && dis && !json_is_array(dis))
        bad = 1;
    if (!bad && dis) {
        size_t n = json_array_size(dis);
        kh_account_disagreement *d = kh_arena_alloc(arena, (n ? n : 1) * sizeof *d);
        if (!d)
            bad = 2;
        for (i = 0; !bad && i < n; i++) {
            v = json_array_get(dis, i);
            memset(&d[i], 0, sizeof d[i]);
            d[i].about = json_is_object(v) ? acct_str(arena, v, "about", &bad) : NULL;
            const json_t *vals = json_object_get(v, "values");
            if (!bad && (!d[i].about || !json_is_array(vals)))
                bad = 1;
            size_t nv = json_array_size(vals);
            kh_account_value *val = kh_arena_alloc(arena, (nv ? nv : 1) * sizeof *val);
            if (!bad && !val)
                bad = 2;
            for (size_t k = 0; !bad && k < nv; k++) {
                const json_t *w = json_array_get(vals, k);
                if (!json_is_number(json_object_get(w, "value"))) {
                    bad = 1;
                    break;
                }
                val[k].value = json_number_value(json_object_get(w, "value"));
                val[k].articles = acct_ids(arena, json_object_get(w, "ids"), ids, &n_ids, cap,
                                           &val[k].n_articles, &bad);
                val[k].sentence = acct_str(arena, w, "sentence", &bad);
            }
            d[i].values = val;
            d[i].n_values = nv;
        }
        acc->disagreements = d;
        acc->n_disagreements = n;
    }
    const json_t *quotes = json_object_get(root, "quotes");
    if (!bad && quotes && !json_is_array(quotes))
        bad = 1;
    if (!bad && quotes) {
        size_t n = json_array_size(quotes);
        kh_account_quote *q = kh_arena_alloc(arena, (n ? n : 1) * sizeof *q);
        if (!q)
            bad = 2;
        for (i = 0; !bad && i < n; i++) {
            v = json_array_get(quotes, i);
            memset(&q[i], 0, sizeof q[i]);
            if (!json_is_object(v)) {
                bad = 1;
                break;
            }
            q[i].speaker = acct_str(arena, v, "speaker", &bad);
            q[i].text = acct_str(arena, v, "text", &bad);
            q[i].sentence = acct_str(arena, v, "sentence", &bad);
            const char *kind = json_string_value(json_object_get(v, "kind"));
            q[i].reported = kind && strcmp(kind, "reported") == 0;
            if (!bad && (!q[i].speaker || !q[i].text))
                bad = 1;
            if (!bad)
                q[i].carriers = acct_ids(arena, json_object_get(v, "ids"), ids, &n_ids, cap,
                                         &q[i].n_carriers, &bad);
        }
        acc->quotes = q;
        acc->n_quotes = n;
    }
    json_decref(root);
    if (bad) {
        kh_arena_free(arena);
        if (bad == 2)
            return kh_ctx_error(ctx, KH_E_NOMEM, "account JSON: out of memory");
        return kh_ctx_error(ctx, KH_E_JSON, "account JSON: not as kh_account_json writes it");
    }
    acc->ids = ids;
    acc->n_articles = n_ids;
    acc->internal_ = arena;
    *out = acc;
    return KH_OK;
}
