/*
 * cmd_ingest.c — `khabar ingest`: the whole pipeline into a store.
 *
 * The work is kh_pipeline_ingest()'s (src/kh_pipeline_store.c): the run's
 * articles cleaned and stored under their ids, then the stored stream
 * grouped again and what changed written, so that a stream ingested in
 * parts gives the stories of one run over all of it. This file parses the
 * options, feeds the documents read, shows progress and prints the counts.
 *
 * Counts add up: every record read is added (a new article stored by a
 * transaction that committed), updated (a new version stored likewise),
 * unchanged (stored already as it is), skipped (its id was already read in
 * this run: a warning), no_body, errors (a bad record) or failed (read when
 * the run failed, or stored by a transaction that did not commit). A count
 * joins the summary only once its transaction has committed.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct ingest {
    kh_ctx *ctx;
    uint64_t read, skipped, errors;   /* the reader's */
    int filing;
    cli_progress progress;
} ingest;

/* on_problem: a record that could not be cleaned or stored is said and
 * counted (errors); a page without an article is counted (no_body). */
static int ingest_problem(void *user, const kh_pipeline_problem *pr)
{
    ingest *in = user;
    if (pr->status == KH_OK)
        return 0;
    if (pr->status == KH_E_LIMIT || strcmp(pr->stage, "store") == 0) /* it names the record */
        cli_error("%s", kh_errmsg(in->ctx));
    else
        cli_error("%s:%llu: %s", pr->file, (unsigned long long)pr->line, kh_errmsg(in->ctx));
    return 0;
}

/* on_progress: the filing phase gets its own line, with a share and an ETA. */
static void ingest_progress(void *user, const char *phase, uint64_t done, uint64_t total)
{
    ingest *in = user;
    if (strcmp(phase, "file") == 0) {
        if (!in->filing) {
            cli_progress_end(&in->progress);
            cli_progress_start(&in->progress, "articles filed", total);
            in->filing = 1;
        }
        in->progress.total = total;
        cli_progress_tick(&in->progress, done);
    }
}

static int run(int argc, char **argv)
{
    const char *db = NULL;
    long batch = 500;
    int check = 0;
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(a, "--batch") == 0 && i + 1 < argc) {
            char *end;
            batch = strtol(argv[++i], &end, 10);
            if (*end || batch < 1 || batch > 1000000)
                return cli_usage_error(&cli_cmd_ingest, "--batch wants 1..1000000");
        } else if (strcmp(a, "--check") == 0) {
            check = 1;
        } else if (strcmp(a, "--") == 0) {
            first_path = i + 1;
            break;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error(&cli_cmd_ingest, "unknown or incomplete option '%s'", a);
        } else {
            first_path = i;
            break;
        }
    }
    if (!db)
        return cli_usage_error(&cli_cmd_ingest, "--db is required");
    static char *const from_stdin[] = { "-", NULL };
    if (first_path >= argc && !check) {
        if (!cli_stdin_is_input())
            return cli_usage_error(&cli_cmd_ingest, "no PATH to read");
        argv = (char **)from_stdin;
        argc = 1;
        first_path = 0;
    }

    ingest in;
    memset(&in, 0, sizeof in);
    if (kh_ctx_create(&in.ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_pipeline_options po;
    kh_pipeline_options_init(&po);
    po.flags = KH_PIPELINE_SKIP_EMPTY;
    po.batch = (size_t)batch;
    po.on_problem = ingest_problem;
    po.on_problem_user = &in;
    po.on_progress = ingest_progress;
    po.on_progress_user = &in;
    kh_store *store = NULL;
    kh_pipeline *p = NULL;
    kh_status rc = kh_store_open(in.ctx, db, &store);
    if (rc == KH_OK)
        rc = kh_pipeline_create(in.ctx, &po, &p);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(in.ctx));
        kh_pipeline_free(p);
        kh_store_close(store);
        kh_ctx_free(in.ctx);
        return CLI_FAIL;
    }
    cli_progress_start(&in.progress, "articles read", 0);
    double t0 = cli_now();
    kh_reader *reader = NULL;
    if (first_path < argc)
        rc = kh_reader_open(in.ctx, (const char *const *)(argv + first_path),
                            (size_t)(argc - first_path), &reader);
    while (rc == KH_OK && reader) {
        kh_doc *d = NULL;
        kh_status r = kh_reader_next(reader, &d);
        if (r == KH_E_NOMEM) {
            rc = r;
            break;
        }
        if (r == KH_E_DUPLICATE) {
            cli_error("warning: %s", kh_errmsg(in.ctx));
            in.read++;
            in.skipped++;
            continue;
        }
        if (r != KH_OK) {
            cli_error("%s", kh_errmsg(in.ctx)); /* a bad record: skipped */
            in.read++;
            in.errors++;
            continue;
        }
        if (!d)
            break;
        in.read++;
        cli_progress_tick(&in.progress, in.read);
        rc = kh_pipeline_add_doc(p, d);
        kh_doc_free(d);
    }
    kh_reader_free(reader);
    kh_pipeline_ingest_stats st;
    memset(&st, 0, sizeof st);
    if (rc == KH_OK)
        rc = kh_pipeline_ingest(p, store, &st);
    if (rc == KH_OK && check)
        rc = kh_store_check(store);
    if (rc != KH_OK)
        cli_error("%s", kh_errmsg(in.ctx));
    cli_progress_end(&in.progress);
    double secs = cli_now() - t0;
    uint64_t errors = in.errors + st.errors;
    uint64_t accounted = st.added + st.updated + st.unchanged + in.skipped + st.no_body + errors;
    uint64_t failed = in.read > accounted ? in.read - accounted : 0;
    kh_buf out;
    kh_buf_init(&out, in.ctx, 0);
    kh_buf_puts(&out, "{\"db\":");
    kh_buf_json_string(&out, db, strlen(db));
    kh_buf_printf(&out,
                  ",\"read\":%llu,\"added\":%llu,\"updated\":%llu,\"unchanged\":%llu,"
                  "\"skipped\":%llu,\"no_body\":%llu,"
                  "\"errors\":%llu,\"failed\":%llu,\"filed\":%llu,\"copies\":%llu,"
                  "\"stories_new\":%llu,\"stories_updated\":%llu,\"commits\":%llu,"
                  "\"seconds\":%.3f,\"store_seconds\":%.3f,"
                  "\"file_seconds\":%.3f,\"articles_per_s\":%.1f%s}\n",
                  (unsigned long long)in.read, (unsigned long long)st.added,
                  (unsigned long long)st.updated, (unsigned long long)st.unchanged,
                  (unsigned long long)in.skipped, (unsigned long long)st.no_body,
                  (unsigned long long)errors, (unsigned long long)failed,
                  (unsigned long long)st.filed, (unsigned long long)st.copies,
                  (unsigned long long)st.stories_new, (unsigned long long)st.stories_updated,
                  (unsigned long long)st.commits, secs, secs - st.file_seconds,
                  st.file_seconds, secs > 0 ? (double)in.read / secs : 0.0,
                  check ? (rc == KH_OK ? ",\"check\":\"ok\"" : ",\"check\":\"failed\"") : "");
    /* The store is committed whatever happens here; a lost summary is still
     * a failure the caller must see. */
    int write_failed = cli_flush_end(&out) != 0;
    if (write_failed)
        cli_error("cannot write output");
    kh_buf_free(&out);
    kh_pipeline_free(p);
    kh_store_close(store);
    kh_ctx_free(in.ctx);
    return rc == KH_OK && !write_failed ? CLI_OK : CLI_FAIL;
}

const cli_command cli_cmd_ingest = {
    "ingest",
    "clean, dedup and group articles into stories in a database for khabar serve",
    "khabar ingest --db FILE [--batch N] [--check] PATH...",
    "Options:\n"
    "  --db FILE    the store (created when missing)\n"
    "  --batch N    articles stored per transaction (default 500)\n"
    "  --check      then check the file (integrity, foreign keys, search index);\n"
    "               without PATH only the check runs\n\n"
    "Reads the inputs khabar read accepts, cleans crawled pages down to their\n"
    "article, and stores each article under its id (see khabar help read: the\n"
    "record's id, else its URL, else its path from the PATH's folder). An id\n"
    "already stored is the same article again: when its title or body\n"
    "changed, the new version replaces the stored one (updated; it keeps its\n"
    "story, whose account is built again), else nothing is written\n"
    "(unchanged), so a run can be repeated, resumed after a crash, or run on\n"
    "a new crawl of the same site. A record whose id was already read in this\n"
    "run is skipped with a warning. Then files the articles into stories:\n"
    "copies are grouped (khabar dedup) and articles grouped into stories\n"
    "(khabar stories) over every stored article, in the order they were\n"
    "first stored, so that a stream ingested in parts gives the stories of\n"
    "one run over all of it; only articles whose story or copy group changed\n"
    "are written, and each story that gained or lost an article gets its\n"
    "account again (a story left empty is removed).\n"
    "Bad records are reported on stderr and skipped. Filing commits about\n"
    "every second, so a killed run loses little. Prints one JSON line of\n"
    "counts, each made only of committed work; they add up:\n"
    "  read = added (new articles) + updated (new versions) + unchanged\n"
    "         (stored already as they are) + skipped (id read twice in this\n"
    "         run) + no_body + errors (bad records) + failed (not stored: the\n"
    "         run failed before committing)\n"
    "filed (unfiled articles filed), copies (of those, copies), stories_new\n"
    "and stories_updated (stored stories that gained or lost articles) count\n"
    "what filing did;\n"
    "commits the transactions of both passes.\n",
    run,
};
