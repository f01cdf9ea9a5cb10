/*
 * bench_dedup.c — quality, speed and memory of copy detection on a
 * syndication corpus with known copies (bench/gen_syndication.c).
 *
 *   bench_dedup [SIZES]      SIZES: comma-separated document counts;
 *                            default $KH_BENCH_DEDUP_SIZES or "100000,1000000"
 *   environment: KH_BENCH_DEDUP_THREADS (default: online cores),
 *                KH_BENCH_DEDUP_SHINGLE, KH_BENCH_DEDUP_PERMS,
 *                KH_BENCH_DEDUP_ROWS (override the deduper's options)
 *
 * For each size it generates the corpus into bench/out/ (seed 42), then in a
 * child process (so peak RSS is its own) reads the JSONL, runs the deduper
 * and scores the groups against the truth: pairwise precision, recall and
 * F1 (a pair is two documents in one group), and the largest ratio of a
 * predicted group's size to the largest true group among its members.
 * Floors on the same file: `cat > /dev/null` and `xxhsum`.
 *
 * Pages, end to end: for each size in $KH_BENCH_DEDUP_PAGES (default
 * "100000"; "0" skips) the corpus is generated with -x -p (partial copies,
 * follow-ups, every document an HTML page) and `build/khabar dedup --groups`
 * runs on it with --threads 1 and --threads 2, each a child process: MB/s of
 * pages per CPU second and per wall second, the speed-up of two threads,
 * peak RSS, and whether both outputs are the same bytes (they must be).
 */
#include "bench_util.h"
#include "kh_dedup.h" /* internal: the hot loop measured alone below */

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned env_uint(const char *name, unsigned dflt)
{
    const char *v = getenv(name);
    return v && *v ? (unsigned)strtoul(v, NULL, 10) : dflt;
}

typedef struct { uint32_t pred, truth; } pair_gt;

static int cmp_pg(const void *a, const void *b)
{
    const pair_gt *x = a, *y = b;
    if (x->pred != y->pred) return x->pred < y->pred ? -1 : 1;
    if (x->truth != y->truth) return x->truth < y->truth ? -1 : 1;
    return 0;
}

static double c2(double n) { return n * (n - 1) / 2; }

/* The child: read, dedup, score. Prints rows. */
static int run_one(const char *jsonl, const char *truth_path, size_t size)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    o.threads = env_uint("KH_BENCH_DEDUP_THREADS", 0);
    o.shingle = env_uint("KH_BENCH_DEDUP_SHINGLE", o.shingle);
    o.num_perms = env_uint("KH_BENCH_DEDUP_PERMS", o.num_perms);
    o.band_rows = env_uint("KH_BENCH_DEDUP_ROWS", 0);
    unsigned threads = o.threads ? o.threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    kh_deduper *dd;
    if (kh_dedup_create(ctx, &o, &dd) != KH_OK) {
        fprintf(stderr, "bench_dedup: %s\n", kh_errmsg(ctx));
        return 1;
    }
    double t0 = bench_wall(), c0 = bench_cpu();
    const char *paths[1] = { jsonl };
    kh_reader *rd;
    if (kh_reader_open(ctx, paths, 1, &rd) != KH_OK)
        return 1;
    for (;;) {
        kh_doc *doc;
        if (kh_reader_next(rd, &doc) != KH_OK) {
            fprintf(stderr, "bench_dedup: %s\n", kh_errmsg(ctx));
            continue;
        }
        if (!doc)
            break;
        if (kh_dedup_add_doc(dd, doc) != KH_OK) {
            fprintf(stderr, "bench_dedup: %s\n", kh_errmsg(ctx));
            return 1;
        }
        kh_doc_free(doc);
    }
    kh_read_stats rs;
    kh_reader_stats(rd, &rs);
    kh_reader_free(rd);
    size_t file_bytes = (size_t)rs.bytes;
    double t_read = bench_wall() - t0;
    if (kh_dedup_run(dd) != KH_OK) {
        fprintf(stderr, "bench_dedup: %s\n", kh_errmsg(ctx));
        return 1;
    }
    double wall = bench_wall() - t0, cpu = bench_cpu() - c0;
    kh_dedup_stats st;
    kh_dedup_stats_get(dd, &st);

    /* Truth: ids in the same order as the JSONL. */
    size_t n = kh_dedup_count(dd);
    uint32_t *truth = malloc(n * sizeof *truth);
    FILE *tf = fopen(truth_path, "rb");
    char id[128];
    unsigned long base;
    size_t i = 0, max_base = 0;
    while (i < n && tf && fscanf(tf, "%127s %lu%*[^\n]", id, &base) == 2) {
        if (strcmp(id, kh_dedup_id(dd, i)) != 0) {
            fprintf(stderr, "bench_dedup: truth out of step at %zu\n", i);
            return 1;
        }
        truth[i++] = (uint32_t)base;
        if (base > max_base)
            max_base = base;
    }
    if (tf)
        fclose(tf);
    if (i != n) {
        fprintf(stderr, "bench_dedup: truth has %zu of %zu documents\n", i, n);
        return 1;
    }
    uint32_t *tsize = calloc(max_base + 1, sizeof *tsize);
    uint32_t *psize = calloc(n, sizeof *psize);
    uint32_t *pmax_t = calloc(n, sizeof *pmax_t);
    pair_gt *pg = malloc(n * sizeof *pg);
    for (i = 0; i < n; i++) {
        tsize[truth[i]]++;
        psize[kh_dedup_group(dd, i)]++;
    }
    double true_pairs = 0, pred_pairs = 0, tp = 0, worst_ratio = 0;
    for (i = 0; i <= max_base; i++)
        true_pairs += c2(tsize[i]);
    for (i = 0; i < n; i++) {
        pred_pairs += c2(psize[i]);
        size_t g = kh_dedup_group(dd, i);
        if (tsize[truth[i]] > pmax_t[g])
            pmax_t[g] = tsize[truth[i]];
        pg[i].pred = (uint32_t)g;
        pg[i].truth = truth[i];
    }
    for (i = 0; i < n; i++)
        if (psize[i] >= 2) {
            double r = (double)psize[i] / pmax_t[i];
            if (r > worst_ratio)
                worst_ratio = r;
        }
    qsort(pg, n, sizeof *pg, cmp_pg);
    for (size_t lo = 0; lo < n;) {
        size_t hi = lo + 1;
        while (hi < n && pg[hi].pred == pg[lo].pred && pg[hi].truth == pg[lo].truth)
            hi++;
        tp += c2((double)(hi - lo));
        lo = hi;
    }
    double prec = pred_pairs ? tp / pred_pairs : 1, rec = true_pairs ? tp / true_pairs : 1;
    double f1 = prec + rec ? 2 * prec * rec / (prec + rec) : 0;
    double mb = (double)st.bytes / 1e6, fmb = (double)file_bytes / 1e6;
    char note[160];
    snprintf(note, sizeof note, "%zu docs, %u threads", size, threads);
    printf("row\tdedup\tprecision@%zu\t%.4f\tratio\t%s\n", size, prec, note);
    printf("row\tdedup\trecall@%zu\t%.4f\tratio\t%s\n", size, rec, note);
    printf("row\tdedup\tF1@%zu\t%.4f\tratio\tpairwise, default edit mix\n", size, f1);
    printf("row\tdedup\tworst_group_ratio@%zu\t%.2f\tx\tpredicted size / largest true group in it\n",
           size, worst_ratio);
    printf("row\tdedup\tlargest_group@%zu\t%llu\tdocs\t\n", size,
           (unsigned long long)st.largest_group);
    printf("row\tdedup\tdocs_per_s@%zu\t%.0f\tdocs/s\twall, read JSONL -> groups\n", size, n / wall);
    printf("row\tdedup\tMB_per_s@%zu\t%.1f\tMB/s\twall, %.0f MB of JSONL (%.0f MB of text)\n", size,
           fmb / wall, fmb, mb);
    printf("row\tdedup\tMB_per_s_per_core@%zu\t%.1f\tMB/s\tJSONL bytes / CPU seconds (%.1f s)\n",
           size, fmb / cpu, cpu);
    printf("row\tdedup\tread_phase@%zu\t%.2f\ts\tparse + fingerprint, overlapped\n", size, t_read);
    printf("row\tdedup\tgroup_phase@%zu\t%.2f\ts\texact + LSH + verify + groups\n", size,
           wall - t_read);
    printf("row\tdedup\tbytes_per_doc@%zu\t%.0f\tB\tdeduper's arrays after the run\n", size,
           st.bytes_per_doc);
    printf("row\tdedup\tcandidates@%zu\t%llu\tpairs\tverified %llu, exact copies %llu\n", size,
           (unsigned long long)st.candidates, (unsigned long long)st.verified,
           (unsigned long long)st.exact_dups);
    fflush(stdout);
    free(truth); free(tsize); free(psize); free(pmax_t); free(pg);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
    return 0;
}

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* The hot loop alone: one-permutation hashing (one mix per shingle, as
 * kh_minhash.c does) against classic MinHash (k hash functions per
 * shingle, h_i(x) = a_i * x + b_i), on the same shingle hashes. */
static void bench_hashing(kh_doc **docs, size_t n)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return;
    kh_buf key;
    kh_buf_init(&key, ctx, 0);
    size_t cap = 1 << 16, total = 0;
    uint64_t *sh = malloc(cap * sizeof *sh);
    for (size_t d = 0; d < n; d++) {
        kh_buf_clear(&key);
        if (khi_dedup_key(&key, docs[d]->content, docs[d]->content_len) != KH_OK)
            break;
        uint64_t prev = 0;
        for (size_t i = 0; i < key.len;) {
            size_t j = i;
            while (j < key.len && key.data[j] != ' ')
                j++;
            uint64_t w = 0;
            for (size_t b = i; b < j; b++)
                w = w * 31 + (unsigned char)key.data[b];
            if (total == cap) {
                cap *= 2;
                sh = realloc(sh, cap * sizeof *sh);
            }
            sh[total++] = (prev << 23 | prev >> 41) ^ w;
            prev = w;
            i = j + 1;
        }
    }
    enum { K = 128 };
    uint64_t mins[K], a[K], b[K], sink = 0;
    for (int i = 0; i < K; i++) {
        a[i] = mix64((uint64_t)i * 2 + 1) | 1;
        b[i] = mix64((uint64_t)i * 2 + 2);
    }
    double t0 = bench_cpu();
    for (size_t s0 = 0; s0 < total; s0 += 500) { /* ~one document */
        for (int i = 0; i < K; i++)
            mins[i] = UINT64_MAX;
        size_t e = s0 + 500 < total ? s0 + 500 : total;
        for (size_t s = s0; s < e; s++) {
            uint64_t h = mix64(sh[s]);
            unsigned bin = (unsigned)(h >> 57);
            if ((h & 0xFFFFFFFFu) < mins[bin])
                mins[bin] = h & 0xFFFFFFFFu;
        }
        sink += mins[3];
    }
    double t1 = bench_cpu();
    for (size_t s0 = 0; s0 < total; s0 += 500) {
        for (int i = 0; i < K; i++)
            mins[i] = UINT64_MAX;
        size_t e = s0 + 500 < total ? s0 + 500 : total;
        for (size_t s = s0; s < e; s++) {
            uint64_t x = sh[s];
            for (int i = 0; i < K; i++) {
                uint64_t h = (a[i] * x + b[i]) >> 32;
                if (h < mins[i])
                    mins[i] = h;
            }
        }
        sink += mins[3];
    }
    double t2 = bench_cpu();
    printf("row\tdedup\thash_oph\t%.2f\tns/shingle\tone-permutation, k=128, %zu shingles (%llu)\n",
           (t1 - t0) * 1e9 / (double)total, total, (unsigned long long)(sink & 1));
    printf("row\tdedup\thash_classic\t%.2f\tns/shingle\tk=128 hash functions per shingle\n",
           (t2 - t1) * 1e9 / (double)total);
    free(sh);
    kh_buf_free(&key);
    kh_ctx_free(ctx);
}

/* The library alone: bodies already in memory, one thread, so the figure
 * is per core. Reads at most max_docs documents. */
static int run_core(const char *jsonl, size_t max_docs)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    const char *paths[1] = { jsonl };
    kh_reader *rd;
    if (kh_reader_open(ctx, paths, 1, &rd) != KH_OK)
        return 1;
    kh_doc **docs = malloc(max_docs * sizeof *docs);
    size_t n = 0;
    double bytes = 0;
    while (n < max_docs) {
        kh_doc *doc;
        if (kh_reader_next(rd, &doc) != KH_OK)
            continue;
        if (!doc)
            break;
        bytes += (double)doc->content_len;
        docs[n++] = doc;
    }
    kh_reader_free(rd);
    kh_dedup_options o;
    kh_dedup_options_init(&o);
    o.threads = 1;
    o.shingle = env_uint("KH_BENCH_DEDUP_SHINGLE", o.shingle);
    kh_deduper *dd;
    if (kh_dedup_create(ctx, &o, &dd) != KH_OK)
        return 1;
    /* One thread: CPU time is this thread's time, not disturbed by other
     * work on a shared machine. */
    double t0 = bench_cpu(), w0 = bench_wall();
    for (size_t i = 0; i < n; i++)
        if (kh_dedup_add_doc(dd, docs[i]) != KH_OK)
            return 1;
    double t1 = bench_cpu();
    if (kh_dedup_run(dd) != KH_OK)
        return 1;
    double t2 = bench_cpu(), w2 = bench_wall();
    printf("row\tdedup\tcore_fingerprint\t%.1f\tMB/s\t1 thread CPU time, bodies in memory, %zu docs (%.0f docs/s)\n",
           bytes / 1e6 / (t1 - t0), n, n / (t1 - t0));
    printf("row\tdedup\tcore_total\t%.1f\tMB/s\t1 thread CPU time, fingerprint + group (%.2f s grouping; wall %.1f MB/s)\n",
           bytes / 1e6 / (t2 - t0), t2 - t1, bytes / 1e6 / (w2 - w0));
    fflush(stdout);
    bench_hashing(docs, n < 20000 ? n : 20000);
    fflush(stdout);
    for (size_t i = 0; i < n; i++)
        kh_doc_free(docs[i]);
    free(docs);
    kh_dedup_free(dd);
    kh_ctx_free(ctx);
    return 0;
}

static double time_command(const char *cmd)
{
    double t0 = bench_wall();
    if (system(cmd) != 0)
        return -1;
    return bench_wall() - t0;
}

/* Generates the corpus into jsonl and truth unless they are there (flags:
 * the generator's extra options); 0, or 1 when the generator failed. */
static int make_corpus(const char *gen, const char *flags, size_t size, const char *jsonl,
                       const char *truth)
{
    if (access(jsonl, R_OK) == 0 && access(truth, R_OK) == 0)
        return 0;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s -n %zu -s 42 %s %s", gen, flags, size, jsonl, truth);
    if (system(cmd) == 0)
        return 0;
    printf("row\tdedup\tFAILED\t-\t-\tgenerator failed\n");
    return 1;
}

/* The cat floor on a warm page cache (what is measured next reads it warm
 * too): seconds, and the file's MB in *mb. */
static double cat_floor(const char *jsonl, double *mb)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat %s > /dev/null", jsonl);
    time_command(cmd);
    double t = time_command(cmd);
    FILE *f = fopen(jsonl, "rb");
    *mb = 0;
    if (f) {
        fseek(f, 0, SEEK_END);
        *mb = (double)ftell(f) / 1e6;
        fclose(f);
    }
    return t;
}

/* One run of the CLI: its CPU and wall seconds and peak RSS. */
typedef struct cli_run {
    double cpu, wall, rss_mb;
    int ok;
} cli_run;

static cli_run run_cli(const char *khabar, unsigned threads, const char *in, const char *out)
{
    cli_run r = { 0, 0, 0, 0 };
    char t[16];
    snprintf(t, sizeof t, "%u", threads);
    double w0 = bench_wall();
    pid_t pid = fork();
    if (pid == 0) {
        FILE *o = freopen(out, "wb", stdout);
        if (!o)
            _exit(127);
        execl(khabar, khabar, "dedup", "--groups", "--threads", t, in, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
        return r;
    r.wall = bench_wall() - w0;
    r.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    r.rss_mb = (double)ru.ru_maxrss / 1024.0;
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return r;
}

static int same_file(const char *a, const char *b)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, b);
    return system(cmd) == 0;
}

/* Pages end to end, 1 and 2 threads (see the top of the file). */
static int run_pages(const char *gen, size_t size)
{
    const char *khabar = "build/khabar";
    if (access(khabar, X_OK) != 0) {
        printf("row\tdedup\tpages skipped\t-\t-\tno build/khabar\n");
        return 0;
    }
    char jsonl[256], truth[256], out1[256], out2[256];
    snprintf(jsonl, sizeof jsonl, "bench/out/pages-%zu.jsonl", size);
    snprintf(truth, sizeof truth, "bench/out/pages-%zu.truth", size);
    snprintf(out1, sizeof out1, "bench/out/pages-%zu.groups1", size);
    snprintf(out2, sizeof out2, "bench/out/pages-%zu.groups2", size);
    if (make_corpus(gen, "-x -p", size, jsonl, truth) != 0)
        return 1;
    double mb;
    double t_cat = cat_floor(jsonl, &mb);
    printf("row\tdedup\tpages_floor_cat@%zu\t%.0f\tMB/s\tcat > /dev/null of %.0f MB of pages\n",
           size, mb / t_cat, mb);
    fflush(stdout); /* before the children's freopen() */
    cli_run one = run_cli(khabar, 1, jsonl, out1);
    cli_run two = run_cli(khabar, 2, jsonl, out2);
    if (!one.ok || !two.ok) {
        printf("row\tdedup\tFAILED\t-\t-\tkhabar dedup on pages\n");
        return 1;
    }
    printf("row\tdedup\tpages_1thread@%zu\t%.1f\tMB/s/core\tkhabar dedup --groups --threads 1, "
           "cleaning included: %.1f s CPU, %.1f s wall\n", size, mb / one.cpu, one.cpu, one.wall);
    printf("row\tdedup\tpages_2threads@%zu\t%.1f\tMB/s/core\t--threads 2: %.1f s CPU, %.1f s "
           "wall, %.1f MB/s wall\n", size, mb / two.cpu, two.cpu, two.wall, mb / two.wall);
    printf("row\tdedup\tpages_speedup@%zu\t%.2f\tx\twall of 1 thread / wall of 2 (%ld cores "
           "online)\n", size, one.wall / two.wall, sysconf(_SC_NPROCESSORS_ONLN));
    printf("row\tdedup\tpages_peak_rss@%zu\t%.0f\tMB\t1 thread %.0f MB, 2 threads %.0f MB\n",
           size, one.rss_mb > two.rss_mb ? one.rss_mb : two.rss_mb, one.rss_mb, two.rss_mb);
    printf("row\tdedup\tpages_same_output@%zu\t%s\t-\tthe groups of 1 and 2 threads, byte for "
           "byte\n", size, same_file(out1, out2) ? "yes" : "NO");
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    const char *sizes = argc > 1 ? argv[1] : getenv("KH_BENCH_DEDUP_SIZES");
    if (!sizes || !*sizes)
        sizes = "100000,1000000";
    if (access(BENCH_CORPUS, R_OK) != 0) {
        printf("row\tdedup\tskipped\t-\t-\tno ../shared/corpora/saudinewsnet\n");
        return 0;
    }
    const char *gen = "build/bench/gen_syndication";
    if (access(gen, X_OK) != 0)
        gen = "build-san/bench/gen_syndication";
    if (system("mkdir -p bench/out") != 0)
        return 1;
    char *list = strdup(sizes);
    int core_done = 0;
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        size_t size = strtoull(tok, NULL, 10);
        if (!size)
            continue;
        char jsonl[256], truth[256], cmd[1024];
        snprintf(jsonl, sizeof jsonl, "bench/out/syndication-%zu.jsonl", size);
        snprintf(truth, sizeof truth, "bench/out/syndication-%zu.truth", size);
        if (make_corpus(gen, "", size, jsonl, truth) != 0)
            return 1;
        double mb;
        double t_cat = cat_floor(jsonl, &mb);
        snprintf(cmd, sizeof cmd, "xxhsum -H3 %s > /dev/null 2>&1", jsonl);
        double t_xxh = time_command(cmd);
        printf("row\tdedup\tfloor_cat@%zu\t%.0f\tMB/s\tcat > /dev/null, %.2f s\n", size, mb / t_cat,
               t_cat);
        if (t_xxh > 0)
            printf("row\tdedup\tfloor_xxhsum@%zu\t%.0f\tMB/s\txxhsum -H3, %.2f s\n", size,
                   mb / t_xxh, t_xxh);
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0)
            _exit(run_one(jsonl, truth, size));
        int status = 0;
        struct rusage ru;
        if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            printf("row\tdedup\tFAILED@%zu\t-\t-\tsee the log\n", size);
            return 1;
        }
        printf("row\tdedup\tpeak_rss@%zu\t%.0f\tMB\tgetrusage ru_maxrss of the run\n", size,
               (double)ru.ru_maxrss / 1024.0);
        fflush(stdout);
        if (!core_done) { /* once, on the first size */
            core_done = 1;
            pid = fork();
            if (pid == 0)
                _exit(run_core(jsonl, 100000));
            if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
                WEXITSTATUS(status) != 0)
                printf("row\tdedup\tFAILED\t-\t-\tcore measurement\n");
        }
    }
    free(list);
    const char *pages = getenv("KH_BENCH_DEDUP_PAGES");
    if (!pages || !*pages)
        pages = "100000";
    list = strdup(pages);
    int rc = 0;
    for (char *tok = strtok(list, ","); tok && rc == 0; tok = strtok(NULL, ",")) {
        size_t size = strtoull(tok, NULL, 10);
        if (size)
            rc = run_pages(gen, size);
    }
    free(list);
    return rc;
}
