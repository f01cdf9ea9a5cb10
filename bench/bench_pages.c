/*
 * bench_pages.c — the cleaner's speed on real HTML pages: the 1,723 pages of
 * ../shared/corpora/webpages-dev (extraction and dates), read at run time.
 *
 * Rows, each in MB of HTML per CPU second on one core:
 *   - `khabar clean DIR` end to end, as a child process (start-up, reading,
 *     observing and cleaning every page, writing JSON Lines), and its wall
 *     time: what users run;
 *   - the library alone, one thread, pages in memory: kh_cleaner_observe
 *     then kh_clean_doc on each (what the CLI does without start-up and
 *     files);
 *   - the parse alone: khabar's parser (kh_dom) and, beside it in the same
 *     run, libxml2's htmlReadMemory with the options the cleaner used
 *     before (its recovered tree is the one kh_dom builds).
 * The machine is shared: each figure is the best of three rounds.
 *
 *   bench_pages [BUILD/khabar]
 */
#include "bench_util.h"
#include "kh_dom.h"

#include <dirent.h>
#include <libxml/HTMLparser.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static const char *const page_dirs[] = { "../shared/corpora/webpages-dev/extraction/pages",
                                         "../shared/corpora/webpages-dev/dates/pages", NULL };

typedef struct page {
    char *name, *html;
    size_t len;
} page;

static char *read_gz(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = bench_xrealloc(NULL, cap);
    for (;;) {
        if (n + 65536 > cap) buf = bench_xrealloc(buf, cap *= 2);
        int r = gzread(f, buf + n, 65536);
        if (r <= 0) break;
        n += (size_t)r;
    }
    gzclose(f);
    *len = n;
    return buf;
}

static size_t load(page **out)
{
    page *v = NULL;
    size_t n = 0;
    for (size_t d = 0; page_dirs[d]; d++) {
        DIR *dir = opendir(page_dirs[d]);
        if (!dir) continue;
        struct dirent *e;
        while ((e = readdir(dir))) {
            size_t nl = strlen(e->d_name);
            if (nl < 8 || strcmp(e->d_name + nl - 8, ".html.gz")) continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", page_dirs[d], e->d_name);
            size_t len;
            char *html = read_gz(path, &len);
            if (!html) continue;
            v = bench_xrealloc(v, (n + 1) * sizeof *v);
            v[n].name = bench_xstrdup(e->d_name);
            v[n].name[nl - 3] = '\0'; /* without ".gz" */
            v[n].html = html;
            v[n].len = len;
            n++;
        }
        closedir(dir);
    }
    *out = v;
    return n;
}

/* The library: every page observed, then cleaned, as `khabar clean` does.
 * Pages that are not UTF-8 are left to the CLI's reader (it transcodes). */
static double library_round(kh_ctx *ctx, page *v, size_t n, size_t *bytes)
{
    kh_cleaner *cl;
    if (kh_cleaner_create(ctx, 0, &cl) != KH_OK) exit(1);
    kh_doc **docs = bench_xrealloc(NULL, n * sizeof *docs);
    size_t m = 0;
    *bytes = 0;
    for (size_t i = 0; i < n; i++) {
        if (kh_utf8_check(v[i].html, v[i].len, NULL) != KH_OK) continue;
        kh_arena *a;
        if (kh_arena_create(ctx, &a) != KH_OK) exit(1);
        kh_doc *d = kh_arena_alloc(a, sizeof *d);
        memset(d, 0, sizeof *d);
        d->arena = a;
        d->id = d->file = v[i].name;
        d->content = v[i].html;
        d->content_len = v[i].len;
        d->kind = KH_CONTENT_HTML;
        docs[m++] = d;
        *bytes += v[i].len;
    }
    double t0 = bench_thread_cpu();
    for (size_t i = 0; i < m; i++) kh_cleaner_observe(cl, docs[i]);
    for (size_t i = 0; i < m; i++) {
        const kh_article *art;
        kh_clean_doc(cl, docs[i], &art);
    }
    double t = bench_thread_cpu() - t0;
    for (size_t i = 0; i < m; i++) kh_doc_free(docs[i]);
    free(docs);
    kh_cleaner_free(cl);
    return t;
}

static double dom_round(kh_ctx *ctx, page *v, size_t n)
{
    kh_arena *a;
    if (kh_arena_create(ctx, &a) != KH_OK) exit(1);
    khi_dom_limits lim = { SIZE_MAX, SIZE_MAX, SIZE_MAX, 1 << 20 };
    double t0 = bench_thread_cpu();
    for (size_t i = 0; i < n; i++) {
        khi_dom_node *root;
        khi_dom_over over;
        khi_dom_parse(ctx, a, v[i].html, v[i].len, &lim, &root, &over);
        kh_arena_reset(a);
    }
    double t = bench_thread_cpu() - t0;
    kh_arena_free(a);
    return t;
}

static double libxml2_round(page *v, size_t n)
{
    double t0 = bench_thread_cpu();
    for (size_t i = 0; i < n; i++) {
        htmlDocPtr doc = htmlReadMemory(v[i].html, (int)v[i].len, NULL, "UTF-8",
                                        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                            HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                            HTML_PARSE_NOBLANKS | XML_PARSE_HUGE);
        xmlFreeDoc(doc);
    }
    return bench_thread_cpu() - t0;
}

/* `khabar clean DIR > /dev/null`: its CPU (user + system) and wall seconds. */
static int cli_round(const char *khabar, const char *dir, double *cpu, double *wall)
{
    double w0 = bench_wall();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "wb", stdout) || !freopen("/dev/null", "wb", stderr)) _exit(127);
        execl(khabar, khabar, "clean", dir, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return 0;
    *wall = bench_wall() - w0;
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
    const char *khabar = argc > 1 ? argv[1] : "build/khabar";
    page *v;
    size_t n = load(&v);
    if (!n) {
        printf("row\tpages\tskipped\t-\t-\tno ../shared/corpora/webpages-dev\n");
        return 0;
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += v[i].len;
    double mb = (double)total / 1e6;

    /* the pages as files, for the CLI */
    char dir[] = "/tmp/khabar-bench-pages-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    for (size_t i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%05zu.html", dir, i); /* names repeat across the two sets */
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(v[i].html, 1, v[i].len, f) != v[i].len) return 1;
        fclose(f);
    }

    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) return 1;
    xmlInitParser();
    double cli_cpu = 1e30, cli_wall = 1e30, lib = 1e30, dom = 1e30, xml = 1e30;
    size_t lib_bytes = 0;
    int cli_ok = access(khabar, X_OK) == 0;
    for (int round = 0; round < 3; round++) {
        double c, w;
        if (cli_ok && cli_round(khabar, dir, &c, &w)) {
            if (c < cli_cpu) cli_cpu = c;
            if (w < cli_wall) cli_wall = w;
        } else {
            cli_ok = 0;
        }
        double t = library_round(ctx, v, n, &lib_bytes);
        if (t < lib) lib = t;
        t = dom_round(ctx, v, n);
        if (t < dom) dom = t;
        t = libxml2_round(v, n);
        if (t < xml) xml = t;
    }
    if (cli_ok) {
        printf("row\tpages\tkhabar_clean_cpu\t%.1f\tMB/s\t`khabar clean DIR`, %zu real pages, %.1f MB, "
               "start-up included, per CPU second (%.2f s), best of 3\n", mb / cli_cpu, n, mb, cli_cpu);
        printf("row\tpages\tkhabar_clean_wall\t%.1f\tMB/s\tsame, wall (%.2f s)\n", mb / cli_wall,
               cli_wall);
    } else {
        printf("row\tpages\tkhabar_clean_cpu\t-\t-\tno %s\n", khabar);
    }
    printf("row\tpages\tlibrary_observe_clean\t%.1f\tMB/s\tone thread, the %.1f MB in UTF-8, no "
           "start-up, per CPU second\n", (double)lib_bytes / 1e6 / lib, (double)lib_bytes / 1e6);
    printf("row\tpages\tparse_khabar\t%.1f\tMB/s\tkh_dom alone, per CPU second\n", mb / dom);
    printf("row\tpages\tparse_libxml2\t%.1f\tMB/s\thtmlReadMemory alone (the parser before kh_dom; "
           "the cleaner ran it twice a page), same pages, same run\n", mb / xml);

    for (size_t i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%05zu.html", dir, i);
        unlink(path);
        free(v[i].name);
        free(v[i].html);
    }
    rmdir(dir);
    free(v);
    kh_ctx_free(ctx);
    return 0;
}
