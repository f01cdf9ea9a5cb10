/*
 * bench_ingest.c — what `khabar ingest` costs per article, end to end, beside
 * the floor plain SQLite sets for storing the same articles.
 *
 *   build/bench/bench_ingest [--articles N] [--khabar PATH] [--keep]
 *
 * N SaudiNewsNet articles (default 5000, read at run time from ../shared)
 * are written as JSON Lines to a temporary folder; `khabar ingest` runs on
 * them as a user runs it (a child process: reading, cleaning, storing,
 * copies, stories, accounts, commits), and its wall time and CPU time
 * (user + system, from the child's rusage) give articles per second. The
 * floors are the same articles inserted by this process into a fresh
 * SQLite file in one transaction (id, title, body), without and with an
 * FTS5 index over title and body (unicode61, external content, a trigger):
 * no store can do less than that, so the gap says what khabar's own work
 * costs. Rows go to stdout in the bench/run-bench format. --keep leaves the
 * folder (its JSON Lines input and the store) for a profiler, and names it
 * on stderr.
 */
#include "bench_util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_jsonl(kh_ctx *ctx, const bench_corpus *c, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    kh_buf b;
    kh_buf_init(&b, ctx, 0);
    int rc = 0;
    for (size_t i = 0; i < c->n && rc == 0; i++) {
        const bench_article *a = &c->v[i];
        kh_buf_clear(&b);
        kh_status st = kh_buf_puts(&b, "{\"id\":");
        if (st == KH_OK) st = kh_buf_json_string(&b, a->id, strlen(a->id));
        if (st == KH_OK && a->title) {
            st = kh_buf_puts(&b, ",\"title\":");
            if (st == KH_OK) st = kh_buf_json_string(&b, a->title, a->title_len);
        }
        if (st == KH_OK && a->date) {
            st = kh_buf_puts(&b, ",\"date\":");
            if (st == KH_OK) st = kh_buf_json_string(&b, a->date, strlen(a->date));
        }
        if (st == KH_OK && a->source) {
            st = kh_buf_puts(&b, ",\"source\":");
            if (st == KH_OK) st = kh_buf_json_string(&b, a->source, strlen(a->source));
        }
        if (st == KH_OK) st = kh_buf_puts(&b, ",\"text\":");
        if (st == KH_OK) st = kh_buf_json_string(&b, a->text, a->text_len);
        if (st == KH_OK) st = kh_buf_puts(&b, "}\n");
        if (st != KH_OK || fwrite(b.data, 1, b.len, f) != b.len)
            rc = -1;
    }
    kh_buf_free(&b);
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* Runs argv as a child; wall and cpu (user + system) seconds. */
static int run_child(char *const argv[], double *wall, double *cpu)
{
    double t0 = bench_wall();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *wall = bench_wall() - t0;
    *cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Inserts every article into a fresh file in one transaction; CPU seconds,
 * or a negative number on an SQLite error. */
static double sqlite_floor(const bench_corpus *c, const char *path, int with_fts)
{
    unlink(path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    const char *schema =
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
        "CREATE TABLE articles(n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
        " title TEXT, body TEXT NOT NULL);";
    const char *fts =
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles',"
        " content_rowid='n', tokenize='unicode61 remove_diacritics 2');"
        "CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN"
        "  INSERT INTO articles_fts(rowid, title, body) VALUES (new.n, new.title, new.body);"
        "END;";
    double t = -1;
    sqlite3_stmt *s = NULL;
    if (sqlite3_exec(db, schema, NULL, NULL, NULL) == SQLITE_OK &&
        (!with_fts || sqlite3_exec(db, fts, NULL, NULL, NULL) == SQLITE_OK) &&
        sqlite3_prepare_v2(db, "INSERT INTO articles(id, title, body) VALUES (?1, ?2, ?3)", -1,
                           &s, NULL) == SQLITE_OK) {
        double t0 = bench_cpu();
        int ok = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
        for (size_t i = 0; ok && i < c->n; i++) {
            const bench_article *a = &c->v[i];
            sqlite3_bind_text(s, 1, a->id, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 2, a->title, a->title ? (int)a->title_len : 0, SQLITE_STATIC);
            sqlite3_bind_text(s, 3, a->text, (int)a->text_len, SQLITE_STATIC);
            ok = sqlite3_step(s) == SQLITE_DONE;
            sqlite3_reset(s);
        }
        if (ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
            t = bench_cpu() - t0;
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return t;
}

int main(int argc, char **argv)
{
    size_t n = 5000;
    const char *khabar = "build/khabar";
    int keep = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--articles") == 0 && i + 1 < argc)
            n = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--khabar") == 0 && i + 1 < argc)
            khabar = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else {
            fprintf(stderr, "usage: bench_ingest [--articles N] [--khabar PATH] [--keep]\n");
            return 2;
        }
    }
    bench_corpus c;
    if (bench_corpus_load(&c, BENCH_CORPUS, n, 1, 0) != 0 || c.n == 0) {
        fprintf(stderr, "bench_ingest: cannot read %s\n", BENCH_CORPUS);
        return 1;
    }
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    char dir[] = "/tmp/khabar-bench-ingest-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_ingest: mkdtemp");
        return 1;
    }
    char in[256], db[256], floor_db[256];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(db, sizeof db, "%s/news.db", dir);
    snprintf(floor_db, sizeof floor_db, "%s/floor.db", dir);
    int status = 0;
    if (write_jsonl(ctx, &c, in) != 0) {
        fprintf(stderr, "bench_ingest: cannot write %s\n", in);
        status = 1;
    }
    double wall = 0, cpu = 0;
    char *child[] = { (char *)khabar, "ingest", "--db", db, in, NULL };
    if (status == 0 && run_child(child, &wall, &cpu) != 0) {
        fprintf(stderr, "bench_ingest: %s ingest failed\n", khabar);
        status = 1;
    }
    double plain = status == 0 ? sqlite_floor(&c, floor_db, 0) : -1;
    double fts = status == 0 ? sqlite_floor(&c, floor_db, 1) : -1;
    if (status == 0 && (plain < 0 || fts < 0)) {
        fprintf(stderr, "bench_ingest: the SQLite floor failed\n");
        status = 1;
    }
    if (status == 0) {
        double k = (double)c.n;
        printf("row\tingest\tkhabar_ingest_cpu\t%.0f\tarticles/s\t%zu SaudiNewsNet articles, "
               "khabar ingest end to end, user+system CPU\n", k / cpu, c.n);
        printf("row\tingest\tkhabar_ingest_wall\t%.0f\tarticles/s\tsame run, wall clock\n",
               k / wall);
        printf("row\tingest\tfloor_sqlite_insert\t%.0f\tarticles/s\tthe same articles, one "
               "transaction, plain table, CPU\n", k / plain);
        printf("row\tingest\tfloor_sqlite_insert_fts\t%.0f\tarticles/s\tthe same, with an FTS5 "
               "unicode61 index over title and body, CPU\n", k / fts);
    }
    if (keep) {
        fprintf(stderr, "bench_ingest: kept %s (in.jsonl, news.db)\n", dir);
        unlink(floor_db);
        kh_ctx_free(ctx);
        bench_corpus_free(&c);
        return status;
    }
    unlink(in);
    unlink(db);
    unlink(floor_db);
    char side[300];
    for (int i = 0; i < 2; i++) {
        snprintf(side, sizeof side, "%s%s", i ? floor_db : db, "-wal");
        unlink(side);
        snprintf(side, sizeof side, "%s%s", i ? floor_db : db, "-shm");
        unlink(side);
    }
    rmdir(dir);
    kh_ctx_free(ctx);
    bench_corpus_free(&c);
    return status;
}
