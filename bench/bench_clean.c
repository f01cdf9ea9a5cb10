/*
 * bench_clean.c — cleaner throughput (single thread), and its accuracy on
 * a large generated corpus.
 *
 * The corpus is built in memory from the real articles of
 * ../shared/corpora/saudinewsnet/articles.jsonl.gz: each article's title
 * and paragraphs are wrapped in page furniture generated here for a few
 * made-up sites (menus, the title repeated, a date line, share buttons,
 * lists of other articles' titles, a comment form, a copyright footer),
 * as text pages and as HTML pages. Since the article's own text is known,
 * the extracted body is also scored (token F1, as clean_eval does, without
 * NFKC) — a check on thousands of pages the rules were never tuned on.
 *
 *   bench_clean [N_PAGES]     default 6000 text + 1500 HTML pages
 *
 * Rows: clean MB/s and pages/s for text and HTML pages, observe MB/s, and
 * macro body F1 / title accuracy on the generated pages.
 */
#include "bench_util.h"


static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static const char *const sites[] = { "صحيفة المدار", "بوابة الوطن اليوم", "شبكة الأفق الإخبارية",
                                     "موقع الرصد" };
static const char *const menus[] = {
    "الرئيسية\nأخبار محلية\nعربي ودولي\nاقتصاد\nرياضة\nثقافة وفنون\nفيديو\n",
    "الرئيسية   محليات   الخليج   اقتصاد   منوعات   رياضة\n",
    "الأولى | وطني | دولي | اقتصاد | رياضة | رأي\n",
    "أخبار\nتقارير\nحوارات\nمقالات\nاتصل بنا\n",
};
static const char *const months[] = { "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
                                      "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر" };

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *s);

/* Appends text with & < > escaped, as a page's HTML would carry it. */
static void put_esc(sbuf *b, const char *s, size_t len)
{
    char one[2] = { 0, 0 };
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '&') put(b, "&amp;");
        else if (s[i] == '<') put(b, "&lt;");
        else if (s[i] == '>') put(b, "&gt;");
        else { one[0] = s[i]; put(b, one); }
    }
}

static void put(sbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->len + l + 1 > b->cap) {
        b->cap = (b->len + l + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, l + 1);
    b->len += l;
}

/* Writes the page of article i (text or HTML) into b. */
static void make_page(sbuf *b, bench_article *v, size_t n, size_t i, int html)
{
    int s = (int)(i % 4);
    char tmp[512];
    b->len = 0;
    if (b->p) b->p[0] = 0;
    if (html) {
        put(b, "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>");
        put_esc(b, v[i].title, strlen(v[i].title));
        snprintf(tmp, sizeof tmp, " | %s</title><meta property=\"og:site_name\" content=\"%s\">"
                 "<script>var ads = {slot: 'top'};</script></head><body><nav><ul>", sites[s], sites[s]);
        put(b, tmp);
        put(b, "<li><a href=\"/\">الرئيسية</a></li><li><a href=\"/l\">محليات</a></li>"
               "<li><a href=\"/e\">اقتصاد</a></li></ul></nav><div class=\"content\"><h1>");
        put_esc(b, v[i].title, strlen(v[i].title));
        snprintf(tmp, sizeof tmp, "</h1><div class=\"meta\">%d %s 2016</div><div class=\"story\">",
                 1 + rnd(28), months[rnd(12)]);
        put(b, tmp);
        const char *p = v[i].text;
        while (*p) {
            const char *e = strchr(p, '\n');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l) {
                put(b, "<p>");
                put_esc(b, p, l);
                put(b, "</p>\n");
            }
            p += l + (e ? 1 : 0);
        }
        put(b, "</div><div class=\"share\"><a href=\"#\">فيسبوك</a> <a href=\"#\">تويتر</a></div>"
               "<h3>اقرأ أيضا</h3><ul>");
        for (int k = 0; k < 5; k++) {
            put(b, "<li><a href=\"/x\">");
            const char *ot = v[rnd((uint32_t)n)].title;
            put_esc(b, ot, strlen(ot));
            put(b, "</a></li>");
        }
        snprintf(tmp, sizeof tmp, "</ul></div><footer>© 2016 %s. جميع الحقوق محفوظة</footer></body></html>\n",
                 sites[s]);
        put(b, tmp);
        return;
    }
    put(b, sites[s]);
    put(b, "\n");
    put(b, menus[s]);
    put(b, "\n");
    put(b, v[i].title);
    put(b, "\n");
    if (s == 1) { put(b, v[i].title); put(b, "\n"); }
    snprintf(tmp, sizeof tmp, "\nالثلاثاء %d %s 2016 - %02d:%02d\n\n", 1 + rnd(28), months[rnd(12)],
             rnd(24), rnd(60));
    put(b, tmp);
    if (s == 2) put(b, "صورة أرشيفية\n\n");
    const char *p = v[i].text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l) {
            char *para = strndup(p, l);
            put(b, para);
            free(para);
            put(b, s == 3 ? "\n" : "\n\n");
        }
        p += l + (e ? 1 : 0);
    }
    put(b, "\nشارك الخبر\nفيسبوك\nتويتر\nواتساب\n\nاقرأ أيضا\n");
    for (int k = 0; k < 5; k++) {
        put(b, v[rnd((uint32_t)n)].title);
        put(b, "\n");
    }
    put(b, "\nأضف تعليقك\nالاسم *\nالبريد الإلكتروني *\nالتعليق *\nإرسال\n\n");
    snprintf(tmp, sizeof tmp, "جميع الحقوق محفوظة ل%s 2016 ©\n", sites[s]);
    put(b, tmp);
}

static kh_doc *make_doc(kh_ctx *ctx, const char *content, size_t len, int html)
{
    kh_arena *a;
    if (kh_arena_create(ctx, &a) != KH_OK) return NULL;
    kh_doc *d = kh_arena_alloc(a, sizeof *d);
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->id = d->file = "bench";
    d->content = content;
    d->content_len = len;
    d->kind = html ? KH_CONTENT_HTML : KH_CONTENT_PAGE;
    return d;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static double f1_words(const char *got, const char *want)
{
    char *g = strdup(got), *w = strdup(want);
    char *gv[8192], *wv[8192];
    size_t gn = 0, wn = 0;
    for (char *t = strtok(g, " \n\t"); t && gn < 8192; t = strtok(NULL, " \n\t")) gv[gn++] = t;
    for (char *t = strtok(w, " \n\t"); t && wn < 8192; t = strtok(NULL, " \n\t")) wv[wn++] = t;
    qsort(gv, gn, sizeof *gv, cmp_str);
    qsort(wv, wn, sizeof *wv, cmp_str);
    size_t i = 0, j = 0, c = 0;
    while (i < gn && j < wn) {
        int r = strcmp(gv[i], wv[j]);
        if (!r) c++, i++, j++;
        else if (r < 0) i++;
        else j++;
    }
    free(g);
    free(w);
    double p = gn ? (double)c / gn : 0, r = wn ? (double)c / wn : 0;
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

/* Equal once the corpus title's invisible marks (zero-width space, LRM,
 * RLM, bidi embeddings) and surrounding spaces are set aside. */
static int same_title(const char *got, const char *want)
{
    size_t a = 0, b = strlen(want);
    for (;;) {
        const unsigned char *p = (const unsigned char *)want;
        if (a < b && p[a] == ' ') { a++; continue; }
        if (a + 3 <= b && p[a] == 0xE2 && p[a + 1] == 0x80 &&
            ((p[a + 2] >= 0x8B && p[a + 2] <= 0x8F) || (p[a + 2] >= 0xAA && p[a + 2] <= 0xAE))) {
            a += 3;
            continue;
        }
        if (b > a && p[b - 1] == ' ') { b--; continue; }
        if (b >= a + 3 && p[b - 3] == 0xE2 && p[b - 2] == 0x80 &&
            ((p[b - 1] >= 0x8B && p[b - 1] <= 0x8F) || (p[b - 1] >= 0xAA && p[b - 1] <= 0xAE))) {
            b -= 3;
            continue;
        }
        break;
    }
    return strlen(got) == b - a && memcmp(got, want + a, b - a) == 0;
}

static void run(kh_ctx *ctx, bench_article *v, size_t n, size_t pages, int html)
{
    const char *kind = html ? "html" : "text";
    char **content = malloc(pages * sizeof *content);
    size_t *lens = malloc(pages * sizeof *lens);
    size_t total = 0;
    sbuf b = { 0 };
    for (size_t i = 0; i < pages; i++) {
        make_page(&b, v, n, i % n, html);
        content[i] = strdup(b.p);
        lens[i] = b.len;
        total += b.len;
    }
    free(b.p);
    kh_cleaner *cl;
    if (kh_cleaner_create(ctx, 0, &cl) != KH_OK) exit(1);
    kh_doc **docs = malloc(pages * sizeof *docs);
    for (size_t i = 0; i < pages; i++) docs[i] = make_doc(ctx, content[i], lens[i], html);
    /* CPU time of this thread: the machine is shared. */
    double t0 = bench_thread_cpu();
    for (size_t i = 0; i < pages; i++) kh_cleaner_observe(cl, docs[i]);
    double t1 = bench_thread_cpu();
    double f1 = 0;
    size_t titles = 0, errors = 0, shown = 0;
    const kh_article **arts = malloc(pages * sizeof *arts);
    /* The machine is shared: the best of three rounds is the figure. */
    double best = 1e30;
    for (int round = 0; round < 3; round++) {
        double r0 = bench_thread_cpu();
        errors = 0;
        for (size_t i = 0; i < pages; i++)
            if (kh_clean_doc(cl, docs[i], &arts[i]) != KH_OK) { arts[i] = NULL; errors++; }
        double r1 = bench_thread_cpu();
        if (r1 - r0 < best) best = r1 - r0;
    }
    double t2 = t1 + best;
    for (size_t i = 0; i < pages; i++) {
        if (!arts[i]) continue;
        size_t need = 1;
        for (size_t k = 0; k < arts[i]->n_body; k++) need += strlen(arts[i]->body[k]) + 1;
        char *got = malloc(need);
        got[0] = 0;
        for (size_t k = 0; k < arts[i]->n_body; k++) {
            strcat(got, arts[i]->body[k]);
            strcat(got, "\n");
        }
        f1 += f1_words(got, v[i % n].text);
        free(got);
        int tok = arts[i]->title && same_title(arts[i]->title, v[i % n].title);
        titles += tok;
        if (!tok && getenv("BENCH_CLEAN_SHOW") && shown++ < 12)
            fprintf(stderr, "%s title\n  got:  %s\n  want: %s\n", kind,
                    arts[i]->title ? arts[i]->title : "(none)", v[i % n].title);
    }
    double mb = (double)total / 1e6;
    printf("row\tclean\t%s_clean_throughput\t%.1f\tMB/s\tsingle thread, %zu pages, %.1f MB, observe excluded, best of 3\n",
           kind, mb / (t2 - t1), pages, mb);
    printf("row\tclean\t%s_clean_pages\t%.0f\tpages/s\tsingle thread\n", kind, pages / (t2 - t1));
    printf("row\tclean\t%s_observe_throughput\t%.1f\tMB/s\tsingle thread\n", kind, mb / (t1 - t0));
    printf("row\tclean\t%s_generated_body_f1\t%.4f\tratio\tmacro over %zu generated pages (real articles)\n",
           kind, f1 / pages, pages);
    printf("row\tclean\t%s_generated_title_exact\t%.4f\tratio\t%zu errors\n", kind,
           (double)titles / pages, errors);
    for (size_t i = 0; i < pages; i++) {
        kh_doc_free(docs[i]);
        free(content[i]);
    }
    free(arts);
    free(docs);
    free(content);
    free(lens);
    kh_cleaner_free(cl);
}

int main(int argc, char **argv)
{
    size_t pages = argc > 1 ? strtoul(argv[1], NULL, 10) : 6000;
    /* Articles with a real body and title, so that both can be scored. */
    bench_corpus c;
    if (bench_corpus_load(&c, BENCH_CORPUS, pages, 201, 11) != 0 || !c.n) {
        fprintf(stderr, "bench_clean: %s not readable\n", BENCH_CORPUS);
        return 1;
    }
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) return 1;
    run(ctx, c.v, c.n, pages, 0);
    run(ctx, c.v, c.n, pages / 4, 1);
    kh_ctx_free(ctx);
    bench_corpus_free(&c);
    return 0;
}
