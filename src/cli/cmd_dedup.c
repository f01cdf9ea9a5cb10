/*
 * cmd_dedup.c — `khabar dedup`: groups exact and near copies.
 *
 * Reads every document with kh_reader and hands it to a pipeline, whose
 * copies end (kh_pipeline_dedup) cleans the pages once all were observed
 * and runs a kh_deduper over the articles; then prints JSON Lines: one record per document (its group), or with
 * --groups one record per group of two or more. The one-line summary goes
 * to stderr when stderr is a terminal, with --stats, or when bad records
 * were skipped: piped runs stay quiet on a clean success, like the other
 * commands. Its counts add up: read = documents + skipped.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "khabar dedup [--threshold X] [--threads N] [--min-words N] [--groups] [--stats] [--strict] "
    "[--shard I/N --out DIR | --mpi] PATH...\n"
    "       khabar dedup --merge DIR [--threads N] [--groups] [--stats]";

static const char help_text[] =
    "Options:\n"
    "  --threshold X  Jaccard similarity of word shingles for a near copy,\n"
    "                 in (0, 1] (default 0.8)\n"
    "  --threads N    worker threads (default: the number of online cores);\n"
    "                 the result does not depend on it\n"
    "  --shingle N    words per shingle (default 2)\n"
    "  --min-words N  a body of fewer words is \"no body\": its own group, never\n"
    "                 a copy (default 12)\n"
    "  --groups       print one record per group of two or more documents\n"
    "  --stats        print the summary on stderr even when it is not a terminal\n"
    "  --strict       stop at the first bad record (exit 1) instead of skipping it\n"
    "  --shard I/N    be shard I (0..N-1) of N: read every input, but clean and\n"
    "                 fingerprint only documents I, I+N, I+2N... and write them\n"
    "                 to --out DIR (shard-0000I-of-0000N.khshard); prints nothing\n"
    "  --out DIR      where --shard writes its file (an existing directory)\n"
    "  --merge DIR    group the N shard files in DIR and print as a run over the\n"
    "                 whole input would: the output is the same, whatever N.\n"
    "                 The options of the shards hold; --threshold, --shingle and\n"
    "                 --min-words may not be given again\n"
    "  --mpi          under mpirun: each rank is a shard, rank 0 merges and prints\n"
    "                 (the same output); needs a khabar built with make MPI=1\n\n"
    "Output, one JSON object a line, in input order:\n"
    "  {\"id\": \"...\", \"group\": \"...\"}\n"
    "where group is the id of the group's earliest document (by date, then\n"
    "input order); a document with no copy is its own group. With --groups:\n"
    "  {\"group\": \"...\", \"articles\": [\"...\", ...], \"min_similarity\": 0.83,\n"
    "   \"original\": \"...\", \"wire\": \"واس\", \"outlets\": 3, \"independent_sources\": 1,\n"
    "   \"members\": [{\"id\": \"...\", \"copy_of\": \"...\", \"relation\": \"near\",\n"
    "                \"similarity\": 0.91}, ...]}\n"
    "min_similarity is the smallest estimated similarity of a member to the\n"
    "document it was verified against. Every member is a copy of the group's\n"
    "earliest document or of a member that is: groups do not chain.\n"
    "original names the first publication, by evidence in this order: the\n"
    "own copy of a wire agency the members credit in their dateline (\"الرياض\n"
    "- واس:\", \"(Reuters)\") when its own copy (source \"spa\", \"واس\",\n"
    "\"Reuters\"...) is in the group; the earliest date with a time (a date\n"
    "without a time counts as the end of its day); the most words. wire is\n"
    "the agency (the original's own, else the one most members credit), or\n"
    "null. outlets counts the distinct sources among the members;\n"
    "independent_sources is 1: the group is one text, whatever the number of\n"
    "outlets that ran it. Per member: copy_of is the member it was verified to\n"
    "copy (null for the original; every chain ends at the original),\n"
    "relation is original, exact (same words), near (Jaccard >= threshold),\n"
    "contained (most of it is inside the other: a teaser, a trimmed copy) or\n"
    "extended (it holds the other whole and adds to it), similarity the\n"
    "Jaccard or containment estimate. Summary on stderr (terminal, --stats, or when bad\n"
    "records were skipped): records read = documents + skipped with errors,\n"
    "then groups, the largest group, and the documents with no body.\n";

const cli_command cli_cmd_dedup;

typedef struct print_ctx {
    kh_deduper *dd;
    kh_buf *out;
    int failed;
} print_ctx;

static int print_group(void *user, size_t rep, const size_t *members, size_t n, double min_sim)
{
    print_ctx *p = user;
    kh_buf *o = p->out;
    const char *rid = kh_dedup_id(p->dd, rep);
    kh_status rc = kh_buf_puts(o, "{\"group\": ");
    if (rc == KH_OK) rc = kh_buf_json_string(o, rid, strlen(rid));
    if (rc == KH_OK) rc = kh_buf_puts(o, ", \"articles\": [");
    for (size_t i = 0; i < n && rc == KH_OK; i++) {
        const char *id = kh_dedup_id(p->dd, members[i]);
        if (i)
            rc = kh_buf_puts(o, ", ");
        if (rc == KH_OK)
            rc = kh_buf_json_string(o, id, strlen(id));
    }
    if (rc == KH_OK) rc = kh_buf_printf(o, "], \"min_similarity\": %.2f, \"original\": ", min_sim);
    const char *oid = kh_dedup_id(p->dd, kh_dedup_original(p->dd, rep));
    if (rc == KH_OK) rc = kh_buf_json_string(o, oid, strlen(oid));
    const char *wire = kh_dedup_wire(p->dd, rep);
    if (rc == KH_OK) rc = kh_buf_puts(o, ", \"wire\": ");
    if (rc == KH_OK)
        rc = wire ? kh_buf_json_string(o, wire, strlen(wire)) : kh_buf_puts(o, "null");
    /* One text, one origin: whatever the number of outlets that ran it. */
    if (rc == KH_OK)
        rc = kh_buf_printf(o, ", \"outlets\": %zu, \"independent_sources\": 1, \"members\": [",
                           kh_dedup_outlets(p->dd, rep));
    for (size_t i = 0; i < n && rc == KH_OK; i++) {
        size_t d = members[i], c = kh_dedup_copy_of(p->dd, d);
        const char *id = kh_dedup_id(p->dd, d);
        rc = kh_buf_puts(o, i ? ", {\"id\": " : "{\"id\": ");
        if (rc == KH_OK) rc = kh_buf_json_string(o, id, strlen(id));
        if (rc == KH_OK) rc = kh_buf_puts(o, ", \"copy_of\": ");
        if (rc == KH_OK) {
            if (c == d) {
                rc = kh_buf_puts(o, "null");
            } else {
                const char *cid = kh_dedup_id(p->dd, c);
                rc = kh_buf_json_string(o, cid, strlen(cid));
            }
        }
        if (rc == KH_OK)
            rc = kh_buf_printf(o, ", \"relation\": \"%s\", \"similarity\": %.2f}",
                               c == d ? "original"
                                      : kh_dedup_relation_name(kh_dedup_relation_of(p->dd, d)),
                               kh_dedup_similarity(p->dd, d));
    }
    if (rc == KH_OK) rc = kh_buf_puts(o, "]}\n");
    if (rc != KH_OK || cli_flush_chunk(o) != 0) {
        p->failed = 1;
        return 1;
    }
    return 0;
}

typedef struct dedup_run {
    kh_ctx *ctx;
    int strict;
} dedup_run;

/* on_problem: a page that cannot be cleaned is said and skipped (counted
 * by the pipeline); with --strict the run stops. */
static int dedup_problem(void *user, const kh_pipeline_problem *pr)
{
    dedup_run *r = user;
    if (pr->status == KH_E_LIMIT) /* its message names the record and the limit */
        cli_error("%s", kh_errmsg(r->ctx));
    else
        cli_error("dedup: %s: cannot clean: %s", pr->id, kh_strerror(pr->status));
    return r->strict;
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > 4096)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Prints the run's result on stdout and its summary on stderr. */
static int print_result(kh_deduper *dd, kh_buf *out, int groups, int stats, uint64_t n_read,
                        uint64_t skipped)
{
    int status = CLI_OK;
    if (groups) {
        print_ctx p = { dd, out, 0 };
        if (kh_dedup_groups(dd, print_group, &p) != KH_OK || p.failed)
            status = CLI_FAIL;
    } else {
        size_t n = kh_dedup_count(dd);
        for (size_t d = 0; d < n && status == CLI_OK; d++) {
            const char *id = kh_dedup_id(dd, d), *gid = kh_dedup_id(dd, kh_dedup_group(dd, d));
            kh_status rc = kh_buf_puts(out, "{\"id\": ");
            if (rc == KH_OK) rc = kh_buf_json_string(out, id, strlen(id));
            if (rc == KH_OK) rc = kh_buf_puts(out, ", \"group\": ");
            if (rc == KH_OK) rc = kh_buf_json_string(out, gid, strlen(gid));
            if (rc == KH_OK) rc = kh_buf_puts(out, "}\n");
            if (rc != KH_OK || cli_flush_chunk(out) != 0)
                status = CLI_FAIL;
        }
    }
    if (status == CLI_OK && cli_flush_end(out) != 0)
        status = CLI_FAIL;
    if (status != CLI_OK)
        cli_error("cannot write the output");
    if (stats || skipped || isatty(STDERR_FILENO)) {
        kh_dedup_stats st;
        kh_dedup_stats_get(dd, &st);
        if (n_read == 0) /* a merge: what the shards kept */
            n_read = st.docs;
        fprintf(stderr, "khabar dedup: %llu read, %llu skipped with errors, "
                        "%llu documents, %llu groups of copies (%llu documents), "
                        "largest group %llu, %llu exact copies, %llu with no body\n",
                (unsigned long long)n_read, (unsigned long long)skipped,
                (unsigned long long)st.docs, (unsigned long long)st.groups,
                (unsigned long long)st.grouped_docs, (unsigned long long)st.largest_group,
                (unsigned long long)st.exact_dups, (unsigned long long)st.no_body);
    }
    return status;
}

/* "I/N" with I < N <= 65536. */
static int parse_shard(const char *s, unsigned *index, unsigned *count)
{
    char *end;
    unsigned long i = strtoul(s, &end, 10);
    if (end == s || *end != '/')
        return -1;
    const char *c = end + 1;
    unsigned long n = strtoul(c, &end, 10);
    if (end == c || *end || n == 0 || n > 65536 || i >= n)
        return -1;
    *index = (unsigned)i;
    *count = (unsigned)n;
    return 0;
}

/* khabar dedup --merge DIR */
static int run_merge(const char *dir, unsigned threads, int groups, int stats)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_deduper *dd = NULL;
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    int status = CLI_OK;
    if (kh_dedup_merge_dir(ctx, dir, threads, &dd) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
    } else {
        status = print_result(dd, &out, groups, stats, 0, 0);
    }
    kh_buf_free(&out);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
    return status;
}

static int run(int argc, char **argv)
{
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    int groups = 0, stats = 0, strict = 0, mpi = 0, fingerprint_opts = 0;
    unsigned shard_index = 0, shard_count = 0;
    const char *out_dir = NULL, *merge_dir = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0)
            break;
        if (strcmp(a, "--threshold") == 0 && i + 1 < argc) {
            char *end;
            o.threshold = strtod(argv[++i], &end);
            if (*end || !(o.threshold > 0 && o.threshold <= 1))
                return cli_usage_error(&cli_cmd_dedup, "--threshold must be in (0, 1]");
            fingerprint_opts = 1;
        } else if (strcmp(a, "--threads") == 0 && i + 1 < argc) {
            if (parse_uint(argv[++i], &o.threads) != 0 || o.threads > 256)
                return cli_usage_error(&cli_cmd_dedup, "--threads must be 0..256");
        } else if (strcmp(a, "--shingle") == 0 && i + 1 < argc) {
            if (parse_uint(argv[++i], &o.shingle) != 0 || o.shingle < 1 || o.shingle > 16)
                return cli_usage_error(&cli_cmd_dedup, "--shingle must be 1..16");
            fingerprint_opts = 1;
        } else if (strcmp(a, "--min-words") == 0 && i + 1 < argc) {
            if (parse_uint(argv[++i], &o.min_words) != 0)
                return cli_usage_error(&cli_cmd_dedup, "--min-words must be 0..4096");
            fingerprint_opts = 1;
        } else if (strcmp(a, "--groups") == 0) {
            groups = 1;
        } else if (strcmp(a, "--stats") == 0) {
            stats = 1;
        } else if (strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (strcmp(a, "--shard") == 0 && i + 1 < argc) {
            if (parse_shard(argv[++i], &shard_index, &shard_count) != 0)
                return cli_usage_error(&cli_cmd_dedup, "--shard must be I/N with 0 <= I < N "
                                                       "<= 65536");
        } else if (strcmp(a, "--out") == 0 && i + 1 < argc) {
            out_dir = argv[++i];
        } else if (strcmp(a, "--merge") == 0 && i + 1 < argc) {
            merge_dir = argv[++i];
        } else if (strcmp(a, "--mpi") == 0) {
            mpi = 1;
        } else {
            return cli_usage_error(&cli_cmd_dedup, "unknown option '%s'", a);
        }
    }
    if (merge_dir) {
        if (i < argc || shard_count || out_dir || mpi || strict)
            return cli_usage_error(&cli_cmd_dedup, "--merge takes a directory and no input, "
                                                   "--shard, --out, --mpi or --strict");
        if (fingerprint_opts)
            return cli_usage_error(&cli_cmd_dedup, "--merge runs with the shards' options: "
                                                   "give --threshold, --shingle and "
                                                   "--min-words to --shard");
        return run_merge(merge_dir, o.threads, groups, stats);
    }
    if ((shard_count != 0) != (out_dir != NULL))
        return cli_usage_error(&cli_cmd_dedup, "--shard and --out go together");
    if (shard_count && mpi)
        return cli_usage_error(&cli_cmd_dedup, "--shard or --mpi, not both");
    static char *const from_stdin[] = { "-", NULL };
    if (i >= argc) {
        if (!cli_stdin_is_input())
            return cli_usage_error(&cli_cmd_dedup, "no input");
        argv = (char **)from_stdin;
        argc = 1;
        i = 0;
    }

    unsigned rank = 0;
    if (mpi && kh_mpi_init(NULL, NULL, &rank, &shard_count) != KH_OK) {
        cli_error("dedup: --mpi: this khabar was built without MPI (make MPI=1)");
        return CLI_FAIL;
    }
    if (mpi)
        shard_index = rank;
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        if (mpi)
            kh_mpi_finalize();
        return CLI_FAIL;
    }
    int status = CLI_OK;
    kh_reader *reader = NULL;
    kh_deduper *dd = NULL;
    kh_pipeline *pl = NULL;
    kh_buf out;
    kh_buf_init(&out, ctx, 0);
    dedup_run dr = { ctx, strict };
    kh_pipeline_options po;
    kh_pipeline_options_init(&po);
    po.dedup = o;
    po.on_problem = dedup_problem;
    po.on_problem_user = &dr;
    if (kh_dedup_create(ctx, &o, &dd) != KH_OK || /* the options checked before reading */
        kh_pipeline_create(ctx, &po, &pl) != KH_OK ||
        (shard_count && kh_pipeline_shard(pl, shard_index, shard_count) != KH_OK) ||
        kh_reader_open(ctx, (const char *const *)argv + i, (size_t)(argc - i), &reader) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
        goto done;
    }
    kh_dedup_free(dd);
    dd = NULL;
    cli_progress progress;
    cli_progress_start(&progress, "documents", 0);
    if (rank != 0) /* one progress line, rank 0's */
        progress.enabled = 0;
    uint64_t n_read = 0, skipped = 0; /* n_read = documents + skipped */
    for (;;) {
        kh_doc *doc;
        kh_status rc = kh_reader_next(reader, &doc);
        if (rc != KH_OK) {
            cli_error("%s%s", rc == KH_E_DUPLICATE ? "warning: " : "", kh_errmsg(ctx));
            if (strict || rc == KH_E_NOMEM) {
                status = CLI_FAIL;
                goto done;
            }
            n_read++;
            skipped++;
            continue;
        }
        if (!doc)
            break;
        n_read++;
        rc = kh_pipeline_add_doc(pl, doc);
        kh_doc_free(doc);
        if (rc != KH_OK) {
            cli_error("%s", kh_errmsg(ctx));
            status = CLI_FAIL;
            goto done;
        }
        cli_progress_tick(&progress, n_read - skipped);
    }
    cli_progress_end(&progress);
    kh_status prc = mpi             ? kh_pipeline_dedup_mpi(pl, &dd)
                    : shard_count ? kh_pipeline_dedup_shard(pl, out_dir, NULL)
                                  : kh_pipeline_dedup(pl, &dd);
    kh_pipeline_stats ps;
    kh_pipeline_stats_get(pl, &ps);
    skipped += ps.skipped;
    if (prc != KH_OK) {
        if (prc != KH_E_STOPPED)
            cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
        goto done;
    }
    if (dd) /* a shard prints nothing; MPI ranks but 0 have no deduper */
        status = print_result(dd, &out, groups, stats, n_read, skipped);
done:
    kh_buf_free(&out);
    kh_reader_free(reader);
    kh_pipeline_free(pl);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
    if (mpi)
        kh_mpi_finalize();
    return status;
}

const cli_command cli_cmd_dedup = {
    "dedup", "group exact and near copies (MinHash-LSH)", usage_text, help_text, run,
};
