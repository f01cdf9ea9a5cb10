/*
 * clean_eval.c — scores the cleaner against truth files.
 *
 *   clean_eval GOLD.json DIR      files of GOLD.json read relative to DIR
 *   clean_eval                    ../shared/seeds/gold.json and, when
 *                                 present, examples/truth.json (files in
 *                                 examples/corpus/)
 *
 * Truth files have the schema of ../shared/seeds/gold.json: documents[]
 * with file, title, body (paragraphs), date and source (null when not
 * visible); a document with an "id" is that record of its file (JSON
 * Lines, WARC). Files are read with khabar's readers. Per file and
 * macro-averaged:
 *   body precision/recall/F1 over the multiset of whitespace tokens after
 *     NFKC and whitespace collapse (the ScrapingHub / trafilatura measure);
 *   title exact match after whitespace collapse;
 *   date accuracy over documents whose truth has a date (day part);
 *   source found: the truth's source equals, contains or is contained in
 *     khabar's, after folding (documents whose truth has a source).
 * Rows go to stdout, the per-file table to stderr. All pages of a file are
 * first observed (the batch pass), then cleaned, as `khabar clean` does.
 */
#include <jansson.h>
#include <khabar.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct tokset {
    uint64_t *h;
    size_t n, cap;
} tokset;

static void tok_add(tokset *t, uint64_t h)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->h = realloc(t->h, t->cap * sizeof *t->h);
        if (!t->h) exit(1);
    }
    t->h[t->n++] = h;
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Adds the whitespace tokens of text (after NFKC) to t. */
static void tokens_of(kh_ctx *ctx, const char *text, tokset *t)
{
    kh_buf b;
    kh_buf_init(&b, ctx, 0);
    if (kh_text_nfkc(&b, text, strlen(text)) != KH_OK || !b.len) {
        kh_buf_free(&b);
        return;
    }
    size_t i = 0;
    while (i < b.len) {
        while (i < b.len && (b.data[i] == ' ' || b.data[i] == '\t' || b.data[i] == '\n' ||
                             b.data[i] == '\r'))
            i++;
        size_t s = i;
        while (i < b.len && !(b.data[i] == ' ' || b.data[i] == '\t' || b.data[i] == '\n' ||
                              b.data[i] == '\r'))
            i++;
        if (i > s) tok_add(t, XXH3_64bits(b.data + s, i - s));
    }
    kh_buf_free(&b);
}

static size_t common(tokset *a, tokset *b)
{
    qsort(a->h, a->n, sizeof *a->h, cmp64);
    qsort(b->h, b->n, sizeof *b->h, cmp64);
    size_t i = 0, j = 0, c = 0;
    while (i < a->n && j < b->n) {
        if (a->h[i] == b->h[j]) c++, i++, j++;
        else if (a->h[i] < b->h[j]) i++;
        else j++;
    }
    return c;
}

/* Whitespace-collapsed copy. */
static char *collapse(const char *s)
{
    size_t l = strlen(s);
    char *o = malloc(l + 1), *p = o;
    int sp = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') { sp = 1; continue; }
        if (sp && p != o) *p++ = ' ';
        sp = 0;
        *p++ = *s;
    }
    *p = 0;
    return o;
}

/* Folds for source comparison: NFKC key, no spaces or punctuation. */
static char *fold(kh_ctx *ctx, const char *s)
{
    kh_buf b;
    kh_buf_init(&b, ctx, 0);
    kh_text_normalize(&b, s, strlen(s));
    char *o = malloc(b.len + 1), *p = o;
    for (size_t i = 0; i < b.len; i++) {
        unsigned char ch = (unsigned char)b.data[i];
        if (ch < 0x80 && !((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') && !(ch >= '0' && ch <= '9'))
            continue;
        if (ch == 0xC2 && i + 1 < b.len && ((unsigned char)b.data[i + 1] == 0xAB ||
                                            (unsigned char)b.data[i + 1] == 0xBB)) {
            i++;
            continue;
        }
        *p++ = (char)ch;
    }
    *p = 0;
    kh_buf_free(&b);
    return o;
}

/* The document of path whose id is id (the first one when id is NULL),
 * read with khabar's own readers. */
static kh_doc *read_doc(kh_ctx *ctx, const char *path, const char *id)
{
    kh_reader *r;
    const char *paths[1] = { path };
    if (kh_reader_open(ctx, paths, 1, &r) != KH_OK) return NULL;
    kh_doc *found = NULL;
    for (;;) {
        kh_doc *d;
        kh_status rc = kh_reader_next(r, &d);
        if (rc == KH_E_NOMEM) break;
        if (rc != KH_OK) {
            fprintf(stderr, "clean_eval: %s\n", kh_errmsg(ctx));
            continue;
        }
        if (!d) break;
        if (!id || (d->id && strcmp(d->id, id) == 0)) {
            found = d;
            break;
        }
        kh_doc_free(d);
    }
    kh_reader_free(r);
    return found;
}

typedef struct totals {
    double p, r, f1;
    int files, titles_ok, dates_n, dates_ok, srcs_n, srcs_ok, dl_n, dl_ok;
    double min_f1;
} totals;

static int eval(kh_ctx *ctx, const char *gold_path, const char *dir, const char *label)
{
    json_error_t err;
    json_t *root = json_load_file(gold_path, 0, &err);
    if (!root) {
        fprintf(stderr, "clean_eval: %s: %s\n", gold_path, err.text);
        return 1;
    }
    json_t *docs = json_object_get(root, "documents");
    size_t n = json_array_size(docs);
    kh_cleaner *cl;
    if (kh_cleaner_create(ctx, 0, &cl) != KH_OK) return 1;
    kh_doc **kd = calloc(n ? n : 1, sizeof *kd);
    for (size_t i = 0; i < n; i++) {
        json_t *g = json_array_get(docs, i);
        const char *file = json_string_value(json_object_get(g, "file"));
        if (!file) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, file);
        kd[i] = read_doc(ctx, path, json_string_value(json_object_get(g, "id")));
        if (!kd[i]) {
            fprintf(stderr, "clean_eval: %s: record not found\n", path);
            continue;
        }
        kh_cleaner_observe(cl, kd[i]);
    }
    totals t = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.0 };
    fprintf(stderr, "%-32s %6s %6s %6s %5s %5s %5s %5s\n", "file", "P", "R", "F1", "title", "date",
            "src", "dline");
    for (size_t i = 0; i < n; i++) {
        json_t *g = json_array_get(docs, i);
        if (!kd[i]) continue;
        const kh_article *art;
        if (kh_clean_doc(cl, kd[i], &art) != KH_OK) {
            fprintf(stderr, "clean_eval: %s: %s\n", kd[i]->file, kh_errmsg(ctx));
            continue;
        }
        tokset gt = { 0 }, ht = { 0 };
        json_t *gb = json_object_get(g, "body");
        for (size_t k = 0; k < json_array_size(gb); k++)
            tokens_of(ctx, json_string_value(json_array_get(gb, k)), &gt);
        for (size_t k = 0; k < art->n_body; k++) tokens_of(ctx, art->body[k], &ht);
        size_t ng = gt.n, nh = ht.n, c = common(&gt, &ht);
        double P = nh ? (double)c / nh : (ng ? 0 : 1), R = ng ? (double)c / ng : 1;
        double F = P + R > 0 ? 2 * P * R / (P + R) : 0;
        free(gt.h);
        free(ht.h);
        t.p += P; t.r += R; t.f1 += F; t.files++;
        if (F < t.min_f1) t.min_f1 = F;
        const char *gtitle = json_string_value(json_object_get(g, "title"));
        int title_ok = 0;
        if (gtitle && art->title) {
            char *x = collapse(gtitle), *y = collapse(art->title);
            title_ok = strcmp(x, y) == 0;
            free(x);
            free(y);
        }
        t.titles_ok += title_ok;
        const char *gdate = json_string_value(json_object_get(g, "date"));
        const char *date_mark = "-";
        if (gdate) {
            t.dates_n++;
            int ok = art->date && strncmp(art->date, gdate, 10) == 0;
            t.dates_ok += ok;
            date_mark = ok ? "ok" : "MISS";
        } else if (art->date) {
            date_mark = "extra";
        }
        const char *gsrc = json_string_value(json_object_get(g, "source"));
        const char *src_mark = "-";
        if (gsrc) {
            t.srcs_n++;
            int ok = 0;
            if (art->source) {
                char *x = fold(ctx, gsrc), *y = fold(ctx, art->source);
                ok = x[0] && y[0] && (strstr(x, y) || strstr(y, x));
                free(x);
                free(y);
            }
            t.srcs_ok += ok;
            src_mark = ok ? "ok" : "MISS";
        }
        const char *gdl = json_string_value(json_object_get(g, "dateline"));
        const char *dl_mark = "-";
        if (json_object_get(g, "dateline")) {
            t.dl_n++;
            int ok = (!gdl && !art->dateline);
            if (gdl && art->dateline) {
                char *x = collapse(gdl), *y = collapse(art->dateline);
                ok = strcmp(x, y) == 0;
                free(x);
                free(y);
            }
            t.dl_ok += ok;
            dl_mark = ok ? "ok" : "MISS";
        }
        const char *gid = json_string_value(json_object_get(g, "id"));
        const char *name = gid ? gid : json_string_value(json_object_get(g, "file"));
        fprintf(stderr, "%-32s %6.3f %6.3f %6.3f %5s %5s %5s %5s\n", name, P, R, F,
                title_ok ? "ok" : "MISS", date_mark, src_mark, dl_mark);
        if (getenv("CLEAN_EVAL_VERBOSE")) {
            fprintf(stderr, "  title: %s\n  date: %s\n  source: %s\n  dateline: %s / %s\n  truth dateline: %s\n",
                    art->title ? art->title : "(none)", art->date ? art->date : "(none)",
                    art->source ? art->source : "(none)", art->dateline ? art->dateline : "-",
                    art->dateline_agency ? art->dateline_agency : "-",
                    gdl ? gdl : "-");
            for (size_t k = 0; k < art->n_body; k++) fprintf(stderr, "  | %s\n", art->body[k]);
        }
    }
    for (size_t i = 0; i < n; i++) kh_doc_free(kd[i]);
    free(kd);
    kh_cleaner_free(cl);
    json_decref(root);
    if (!t.files) return 1;
    double nf = t.files;
    fprintf(stderr, "%-32s %6.3f %6.3f %6.3f %2d/%-2d %2d/%-2d %2d/%-2d %2d/%-2d\n", "macro", t.p / nf,
            t.r / nf, t.f1 / nf, t.titles_ok, t.files, t.dates_ok, t.dates_n, t.srcs_ok, t.srcs_n,
            t.dl_ok, t.dl_n);
    printf("row\tclean\t%s_body_precision\t%.4f\tratio\tmacro over %d pages\n", label, t.p / nf, t.files);
    printf("row\tclean\t%s_body_recall\t%.4f\tratio\tmacro over %d pages\n", label, t.r / nf, t.files);
    printf("row\tclean\t%s_body_f1\t%.4f\tratio\tmacro over %d pages; min %.4f\n", label, t.f1 / nf,
           t.files, t.min_f1);
    printf("row\tclean\t%s_title_exact\t%d/%d\tpages\twhitespace-normalized\n", label, t.titles_ok, t.files);
    printf("row\tclean\t%s_date_accuracy\t%d/%d\tpages\ttruth with a date\n", label, t.dates_ok, t.dates_n);
    printf("row\tclean\t%s_source_found\t%d/%d\tpages\ttruth with a source\n", label, t.srcs_ok, t.srcs_n);
    if (t.dl_n)
        printf("row\tclean\t%s_dateline_exact\t%d/%d\tpages\ttruth with a dateline field\n", label,
               t.dl_ok, t.dl_n);
    return 0;
}

int main(int argc, char **argv)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) return 1;
    int rc = 0;
    if (argc == 3) {
        rc = eval(ctx, argv[1], argv[2], "gold");
    } else if (argc == 1) {
        rc = eval(ctx, "../shared/seeds/gold.json", "../shared/seeds", "seeds");
        FILE *f = fopen("examples/truth.json", "rb");
        if (f) {
            fclose(f);
            rc |= eval(ctx, "examples/truth.json", "examples/corpus", "examples");
        } else {
            fprintf(stderr, "clean_eval: examples/truth.json not found; skipped\n");
        }
    } else {
        fprintf(stderr, "usage: clean_eval [GOLD.json DIR]\n");
        rc = 2;
    }
    kh_ctx_free(ctx);
    return rc;
}
