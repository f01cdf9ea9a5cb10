/*
 * bench_read.c — reader throughput on the real corpus.
 *
 * Reads ../shared/corpora/saudinewsnet/articles.jsonl.gz through kh_reader,
 * then its decompressed copy (written once to /tmp and removed), and prints
 * MB/s (of decompressed JSON) and docs/s. To back the choice of I/O path in
 * kh_read.c it also times the raw layers alone: read() against gzread()
 * passing a plain file through, gzread() against inflate() on the .gz, and
 * jansson alone on every line against the reader's own scanner
 * (khi_jsonl_scan, src/kh_jsonl.c) alone: the share of the time JSON
 * parsing takes, and what the fast path gains.
 * Each figure is the best of a few runs. The reader is also timed in CPU
 * seconds of the process (CLOCK_PROCESS_CPUTIME_ID): on a shared, loaded
 * machine wall time mostly measures the wait for a core.
 */
#include "bench_util.h"
#include "kh_jsonl.h"

#include <fcntl.h>
#include <jansson.h>
#include <unistd.h>
#include <zlib.h>

#define RUNS 2

static void row(const char *metric, double value, const char *unit, const char *note)
{
    printf("row\tread\t%s\t%.1f\t%s\t%s\n", metric, value, unit, note);
}

/* Reads every document; returns seconds, sets *cpu (CPU seconds), *docs
 * and *content (content bytes). */
static double read_all(const char *path, double *cpu, uint64_t *docs, uint64_t *content)
{
    double c0 = bench_cpu();
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return -1;
    kh_reader *r;
    double t0 = bench_wall();
    if (kh_reader_open(ctx, &path, 1, &r) != KH_OK) {
        kh_ctx_free(ctx);
        return -1;
    }
    *docs = *content = 0;
    for (;;) {
        kh_doc *d;
        kh_status rc = kh_reader_next(r, &d);
        if (rc != KH_OK) {
            fprintf(stderr, "bench_read: %s\n", kh_errmsg(ctx));
            if (rc == KH_E_NOMEM)
                break;
            continue;
        }
        if (!d)
            break;
        (*docs)++;
        *content += d->content_len;
        kh_doc_free(d);
    }
    double t = bench_wall() - t0;
    *cpu = bench_cpu() - c0;
    kh_reader_free(r);
    kh_ctx_free(ctx);
    return t;
}

/* Decompresses src to dst with gzread; returns the bytes written. */
static size_t gunzip_to(const char *src, const char *dst, double *secs)
{
    gzFile g = gzopen(src, "rb");
    FILE *f = fopen(dst, "wb");
    size_t total = 0;
    static char buf[1 << 17];
    int n;
    double t0 = bench_wall();
    while (g && f && (n = gzread(g, buf, sizeof buf)) > 0) {
        fwrite(buf, 1, (size_t)n, f);
        total += (size_t)n;
    }
    *secs = bench_wall() - t0;
    if (g)
        gzclose(g);
    if (f)
        fclose(f);
    return total;
}

static double time_read(const char *path, size_t *total)
{
    static char buf[1 << 17];
    int fd = open(path, O_RDONLY);
    double t0 = bench_wall();
    ssize_t n;
    *total = 0;
    while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
        *total += (size_t)n;
    double t = bench_wall() - t0;
    if (fd >= 0)
        close(fd);
    return t;
}

static double time_gzread(const char *path, size_t *total)
{
    static char buf[1 << 17];
    int fd = open(path, O_RDONLY);
    gzFile g = fd >= 0 ? gzdopen(fd, "rb") : NULL;
    double t0 = bench_wall();
    int n;
    *total = 0;
    if (g)
        gzbuffer(g, 1 << 16);
    while (g && (n = gzread(g, buf, sizeof buf)) > 0)
        *total += (size_t)n;
    double t = bench_wall() - t0;
    if (g)
        gzclose(g);
    return t;
}

static double time_inflate(const char *path, size_t *total)
{
    static unsigned char in[1 << 16], out[1 << 18];
    int fd = open(path, O_RDONLY);
    z_stream z;
    memset(&z, 0, sizeof z);
    inflateInit2(&z, 15 + 16);
    double t0 = bench_wall();
    *total = 0;
    int eof = 0, ended = 0;
    while (fd >= 0) {
        if (z.avail_in == 0 && !eof) {
            ssize_t n = read(fd, in, sizeof in);
            if (n <= 0)
                eof = 1;
            z.next_in = in;
            z.avail_in = n > 0 ? (uInt)n : 0;
        }
        if (ended) {
            if (z.avail_in == 0 && eof)
                break;
            if (z.avail_in == 0)
                continue;
            inflateReset(&z);
            ended = 0;
        }
        if (z.avail_in == 0 && eof)
            break;
        z.next_out = out;
        z.avail_out = sizeof out;
        int zr = inflate(&z, Z_NO_FLUSH);
        *total += sizeof out - z.avail_out;
        if (zr == Z_STREAM_END)
            ended = 1;
        else if (zr != Z_OK && zr != Z_BUF_ERROR)
            break;
    }
    double t = bench_wall() - t0;
    inflateEnd(&z);
    if (fd >= 0)
        close(fd);
    return t;
}

/* jansson (scan = 0) or khi_jsonl_scan (scan = 1) alone over every line of
 * the plain file; *lines counts the lines each one took. */
static double time_parse(const char *path, int scan, size_t *lines)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *all = malloc((size_t)len);
    if (!all || fread(all, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        free(all);
        return -1;
    }
    fclose(f);
    char *out = malloc((size_t)len + KHI_JSONL_SLACK);
    double t0 = bench_wall();
    *lines = 0;
    for (char *p = all, *end = all + len; out && p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (scan) {
            khi_jstr fields[KHI_JF_COUNT];
            *lines += (size_t)khi_jsonl_scan((const unsigned char *)p, n, out, fields);
        } else {
            json_error_t err;
            json_t *j = json_loadb(p, n, JSON_REJECT_DUPLICATES, &err);
            if (j)
                (*lines)++;
            json_decref(j);
        }
        p += n + 1;
    }
    double t = bench_wall() - t0;
    free(out);
    free(all);
    return t;
}

int main(void)
{
    if (access(BENCH_CORPUS, R_OK) != 0) {
        fprintf(stderr, "bench_read: %s not found (run from the repository root)\n",
                BENCH_CORPUS);
        return 1;
    }
    char plain[] = "/tmp/khabar-bench-read-XXXXXX";
    int fd = mkstemp(plain);
    if (fd < 0)
        return 1;
    close(fd);
    double secs;
    size_t raw = gunzip_to(BENCH_CORPUS, plain, &secs);
    double mb = (double)raw / 1e6;

    const char *paths[2] = { BENCH_CORPUS, plain };
    const char *names[2] = { "jsonl.gz", "jsonl" };
    for (int p = 0; p < 2; p++) {
        double best = 1e9, best_cpu = 1e9;
        uint64_t docs = 0, content = 0;
        for (int i = 0; i < RUNS; i++) {
            double cpu;
            double t = read_all(paths[p], &cpu, &docs, &content);
            if (t >= 0 && t < best)
                best = t;
            if (t >= 0 && cpu < best_cpu)
                best_cpu = cpu;
        }
        char note[128];
        snprintf(note, sizeof note, "%llu docs, %.1f MB of JSON, best of %d",
                 (unsigned long long)docs, mb, RUNS);
        char metric[64];
        snprintf(metric, sizeof metric, "kh_reader %s MB/s", names[p]);
        row(metric, mb / best, "MB/s", note);
        snprintf(metric, sizeof metric, "kh_reader %s docs/s", names[p]);
        row(metric, (double)docs / best, "docs/s", note);
        snprintf(metric, sizeof metric, "kh_reader %s MB/s of CPU time", names[p]);
        row(metric, mb / best_cpu, "MB/s", note);
    }

    /* The raw layers alone. */
    double b_read = 1e9, b_gzpass = 1e9, b_gzread = 1e9, b_inflate = 1e9, b_json = 1e9,
           b_scan = 1e9;
    size_t total, lines = 0, scanned = 0;
    for (int i = 0; i < RUNS; i++) {
        double t;
        if ((t = time_read(plain, &total)) < b_read) b_read = t;
        if ((t = time_gzread(plain, &total)) < b_gzpass) b_gzpass = t;
        if ((t = time_gzread(BENCH_CORPUS, &total)) < b_gzread) b_gzread = t;
        if ((t = time_inflate(BENCH_CORPUS, &total)) < b_inflate) b_inflate = t;
    }
    for (int i = 0; i < 2; i++) {
        double t = time_parse(plain, 0, &lines);
        if (t >= 0 && t < b_json)
            b_json = t;
        t = time_parse(plain, 1, &scanned);
        if (t >= 0 && t < b_scan)
            b_scan = t;
    }
    row("plain read() MB/s", mb / b_read, "MB/s", "page cache, 128 KiB reads");
    row("plain gzread passthrough MB/s", mb / b_gzpass, "MB/s", "gzdopen on the plain file");
    row("gz gzread MB/s", mb / b_gzread, "MB/s", "decompressed MB per second");
    row("gz inflate MB/s", mb / b_inflate, "MB/s", "the path kh_read.c takes");
    char note[96];
    snprintf(note, sizeof note, "json_loadb per line alone, %zu lines", lines);
    row("jansson parse MB/s", mb / b_json, "MB/s", note);
    snprintf(note, sizeof note, "khi_jsonl_scan per line alone, %zu lines taken", scanned);
    row("jsonl scanner MB/s", mb / b_scan, "MB/s", note);
    remove(plain);
    return 0;
}
