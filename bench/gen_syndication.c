/*
 * gen_syndication.c — makes a syndication corpus with known copies, from
 * real Arabic articles read at run time.
 *
 *   gen_syndication [-n DOCS] [-s SEED] [-c CORPUS.jsonl.gz] [-x] [-p] OUT.jsonl TRUTH.tsv
 *
 * Base articles are the corpus's articles in a seeded shuffle (less the
 * ones that are near copies of another, Jaccard >= 0.5); when DOCS
 * needs more, new bases are made by stitching runs of 2-4 sentences from
 * 3-6 real articles, none giving more than 40% of the text (so they are
 * not copies of each other, nor of the articles). Each
 * base is written once by its first outlet and republished by 0-20 others
 * (45% of bases have copies) with the edits outlets make:
 *   header (outlet line or dateline "الرياض - واس:")     60%
 *   footer (source line, "follow us" line)               50%
 *   last paragraph or sentence dropped (when <= 15%)     30%
 *   two adjacent paragraphs swapped                      15%
 *   hamza on alef dropped أ إ آ -> ا                      30%
 *   ى <-> ي                                               20%
 *   final ة -> ه                                          10%
 *   digits as Arabic-Indic ٠-٩                            20%
 *   a few words with tashkeel                            30%
 *   1-4 typos (a letter dropped, doubled or swapped)      30%
 *   title rewritten                                       50%
 * Copies are dated the same day as the base or up to 3 days later.
 *
 * -x (the partial-copy mix) adds, as outlets do:
 *   a copy is a teaser: the lead (paragraphs, or sentences, from the
 *     start until at least 30 words) and "اقرأ المزيد"            15% of copies
 *   a copy is trimmed: only the first 50-80% of its paragraphs
 *     (or sentences)                                               15% of copies
 *   a base has 1-2 follow-ups: its lead over the body of another,
 *     unpublished base (a new article, no copy), a day later       15% of bases
 *   the first outlet is the wire (source "spa") and every copy's
 *     dateline credits it ("الرياض - واس:")                       30% of bases
 * Truth follows one rule: a copy is a republication of the same text, whole
 * or in part (a teaser and a trimmed copy are copies); a follow-up with a new
 * body is not (it is its own base).
 * -p writes each document as an HTML page (menu, header, the paragraphs,
 * related links, footer) in "html" instead of "text", as crawlers store them.
 *
 * OUT.jsonl: {"id","date","source","title","text"|"html"} per line.
 * TRUTH.tsv: "id<TAB>base<TAB>original" per line; documents with the same
 * base are copies, original is 1 for the base's first publication (the
 * wire's copy when there is one) and 0 otherwise.
 * Same arguments, same files.
 */
#include "bench_util.h"

typedef struct { const char *s; size_t len; } str;
typedef struct { str *v; size_t n, cap; } strs;

static void push(strs *a, const char *s, size_t len)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 1024;
        a->v = realloc(a->v, a->cap * sizeof *a->v);
        if (!a->v) { perror("realloc"); exit(1); }
    }
    a->v[a->n].s = s;
    a->v[a->n++].len = len;
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static unsigned below(unsigned n) { return n ? (unsigned)(rnd() % n) : 0; }
static int chance(double p) { return (double)(rnd() >> 11) / 9007199254740992.0 < p; }

static const char *const outlets[] = {
    "alriyadh", "okaz", "aleqtisadiya", "almadina", "alwatan", "sabq", "alyaum", "aljazirah",
    "albilad", "alsharq", "makkah", "almowaten", "ajel", "alhayat", "asharq", "arabnews24",
    "khaleej", "albayan", "alqabas", "alrai", "addustour", "alghad", "ahram", "youm7",
    "masrawy", "hespress", "echorouk", "elkhabar", "annahar", "alakhbar", "aljarida", "alwasat",
    "alayam", "alwatan-qa", "alarab", "raya", "omandaily", "alroya", "shorouk", "almasry",
};
#define N_OUTLETS (sizeof outlets / sizeof outlets[0])

static const char *const headers[] = {
    "الرياض - واس:", "جدة - واس", "القاهرة - (أ ش أ):", "دبي - وام:", "متابعات:",
    "خاص - صحيفة الوطن", "الدمام - واس:", "مكة المكرمة - واس", "عاجل:", "نقلا عن وكالة الأنباء:",
    "أبوظبي - وام:", "الكويت - كونا:", "المنامة - بنا:", "بيروت - وكالات:", "الرياض - متابعات",
};
static const char *const footers[] = {
    "المصدر: وكالة الأنباء السعودية", "تابعونا على تويتر وفيسبوك للمزيد من الأخبار",
    "جميع الحقوق محفوظة للصحيفة", "اقرأ أيضا: أخبار المملكة اليوم", "للمزيد من الأخبار زوروا موقعنا",
    "شارك هذا الخبر مع أصدقائك", "المصدر: متابعات", "حمل تطبيق الصحيفة على هاتفك",
};
static const char *const title_prefix[] = { "عاجل: ", "بالصور: ", "شاهد: ", "رسميا: ", "" };
static const char *const title_suffix[] = { " (تفاصيل)", " - فيديو", " .. تعرف على التفاصيل", "" };

/* Splits text into paragraphs ("\n\n" or "\n") or sentences. */
static void split_paras(const char *t, size_t len, strs *out)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && (t[i] == '\n' || t[i] == ' '))
            i++;
        size_t s = i;
        while (i < len && t[i] != '\n')
            i++;
        if (i > s)
            push(out, t + s, i - s);
    }
}

static void split_sentences(const char *t, size_t len, strs *out)
{
    size_t s = 0;
    for (size_t i = 0; i < len; i++) {
        int end = t[i] == '.' || t[i] == '!' || t[i] == '\n' ||
                  (i + 1 < len && (unsigned char)t[i] == 0xD8 && (unsigned char)t[i + 1] == 0x9F);
        if (end || i + 1 == len) {
            size_t e = i + 1;
            if ((unsigned char)t[i] == 0xD8)
                e = i + 2;
            while (s < e && (t[s] == ' ' || t[s] == '\n'))
                s++;
            size_t ee = e;
            while (ee > s && (t[ee - 1] == '\n' || t[ee - 1] == ' '))
                ee--;
            if (ee > s + 20)
                push(out, t + s, ee - s);
            s = e;
        }
    }
}

typedef struct { char *d; size_t len, cap; } sbuf;
static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->d = realloc(b->d, b->cap);
        if (!b->d) { perror("realloc"); exit(1); }
    }
    memcpy(b->d + b->len, s, n);
    b->len += n;
    b->d[b->len] = 0;
}
static void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
static int t_is_space(char c) { return c == ' ' || c == '\n' || c == '\r'; }

/* Replaces every 2-byte UTF-8 letter from[] with to (both Arabic). */
static void replace_letters(sbuf *b, const char *const *from, size_t n_from, const char *to,
                            int final_only)
{
    for (size_t i = 0; i + 1 < b->len; i++) {
        for (size_t f = 0; f < n_from; f++) {
            if (b->d[i] == from[f][0] && b->d[i + 1] == from[f][1]) {
                if (final_only) {
                    char nx = i + 2 < b->len ? b->d[i + 2] : ' ';
                    if (nx != ' ' && nx != '\n' && nx != '.' && nx != ',')
                        break;
                }
                b->d[i] = to[0];
                b->d[i + 1] = to[1];
                i++;
                break;
            }
        }
    }
}

static void edit_digits(sbuf *b)
{
    sbuf o = { 0 };
    for (size_t i = 0; i < b->len; i++) {
        if (b->d[i] >= '0' && b->d[i] <= '9') {
            char u[2] = { (char)0xD9, (char)(0xA0 + (b->d[i] - '0')) };
            sb_add(&o, u, 2);
        } else {
            sb_add(&o, b->d + i, 1);
        }
    }
    free(b->d);
    *b = o;
}

/* Start offsets of Arabic words (a 0xD8/0xD9 lead byte after a space). */
static size_t word_starts(const sbuf *b, size_t *at, size_t max)
{
    size_t n = 0;
    for (size_t i = 1; i + 3 < b->len && n < max; i++)
        if (b->d[i - 1] == ' ' && ((unsigned char)b->d[i] == 0xD8 || (unsigned char)b->d[i] == 0xD9))
            at[n++] = i;
    return n;
}

static void edit_tashkeel(sbuf *b)
{
    size_t at[4096];
    size_t n = word_starts(b, at, 4096);
    unsigned k = 2 + below(6);
    sbuf o = { 0 };
    size_t prev = 0;
    for (unsigned j = 0; j < k && n; j++) {
        size_t w = at[below((unsigned)n)];
        if (w < prev)
            continue;
        sb_add(&o, b->d + prev, w + 2 - prev); /* after the first letter */
        char mark[2] = { (char)0xD9, (char)(0x8E + below(3)) }; /* fatha, damma, kasra */
        sb_add(&o, mark, 2);
        prev = w + 2;
    }
    sb_add(&o, b->d + prev, b->len - prev);
    free(b->d);
    *b = o;
}

static void edit_typos(sbuf *b)
{
    size_t at[4096];
    unsigned k = 1 + below(4);
    for (unsigned j = 0; j < k; j++) {
        size_t n = word_starts(b, at, 4096);
        if (!n)
            return;
        size_t w = at[below((unsigned)n)];
        unsigned kind = below(3);
        if (w + 4 > b->len || ((unsigned char)b->d[w + 2] != 0xD8 && (unsigned char)b->d[w + 2] != 0xD9))
            continue; /* the second letter must be Arabic too */
        if (kind == 0) { /* drop the second letter */
            memmove(b->d + w + 2, b->d + w + 4, b->len - (w + 4));
            b->len -= 2;
        } else if (kind == 1) { /* double the first letter */
            char c[2] = { b->d[w], b->d[w + 1] };
            sbuf o = { 0 };
            sb_add(&o, b->d, w);
            sb_add(&o, c, 2);
            sb_add(&o, b->d + w, b->len - w);
            free(b->d);
            *b = o;
        } else {
            char c0 = b->d[w], c1 = b->d[w + 1]; /* swap the first two letters */
            b->d[w] = b->d[w + 2];
            b->d[w + 1] = b->d[w + 3];
            b->d[w + 2] = c0;
            b->d[w + 3] = c1;
        }
        b->d[b->len] = 0;
    }
}

/* Keeps the lead of text: paragraphs (or, for one paragraph, sentences) from
 * the start until at least min_words words. */
static size_t lead_len(const char *t, size_t len, unsigned min_words)
{
    unsigned words = 0;
    for (size_t i = 0; i < len; i++) {
        if (t[i] == ' ' && i > 0 && t[i - 1] != ' ')
            words++;
        int end = t[i] == '\n' || t[i] == '.' || (i + 1 < len && (unsigned char)t[i] == 0xD8 &&
                                                  (unsigned char)t[i + 1] == 0x9F);
        if (end && words >= min_words)
            return i + ((unsigned char)t[i] == 0xD8 ? 2 : 1);
    }
    return len;
}

/* The first share (0..1) of text, cut after a paragraph or sentence. */
static size_t head_share(const char *t, size_t len, double share)
{
    size_t want = (size_t)(len * share);
    for (size_t i = want; i < len; i++)
        if (t[i] == '\n' || t[i] == '.')
            return i + 1;
    return len;
}

static void page_of(sbuf *out, const char *title, size_t title_len, const char *text,
                    size_t len, const char *outlet)
{
    sb_puts(out, "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>");
    sb_add(out, title, title_len);
    sb_puts(out, "</title></head><body><header><nav><ul><li><a href=\"/\">الرئيسية</a></li>"
                 "<li><a href=\"/local\">محليات</a></li><li><a href=\"/sport\">رياضة</a></li>"
                 "<li><a href=\"/economy\">اقتصاد</a></li></ul></nav></header><main><article><h1>");
    sb_add(out, title, title_len);
    sb_puts(out, "</h1><div class=\"content\">");
    size_t i = 0;
    while (i < len) {
        while (i < len && t_is_space(text[i]))
            i++;
        size_t s0 = i;
        while (i < len && text[i] != '\n')
            i++;
        if (i > s0) {
            sb_puts(out, "<p>");
            sb_add(out, text + s0, i - s0);
            sb_puts(out, "</p>");
        }
    }
    sb_puts(out, "</div></article><aside><h3>اقرأ أيضا</h3><ul><li><a href=\"/a/1\">أمير المنطقة يستقبل "
                 "المهنئين بالعيد</a></li><li><a href=\"/a/2\">انخفاض درجات الحرارة على المرتفعات"
                 "</a></li></ul></aside></main><footer>جميع الحقوق محفوظة ");
    sb_puts(out, outlet);
    sb_puts(out, " 2015</footer></body></html>");
}

static void json_field(sbuf *out, kh_buf *jb, const char *name, const char *v, size_t len, int first)
{
    if (!first)
        sb_puts(out, ", ");
    sb_puts(out, "\"");
    sb_puts(out, name);
    sb_puts(out, "\": ");
    kh_buf_clear(jb);
    if (kh_buf_json_string(jb, v, len) != KH_OK) {
        fprintf(stderr, "gen_syndication: json escape failed\n");
        exit(1);
    }
    sb_add(out, jb->data, jb->len);
}

static void write_doc(FILE *out, FILE *truth, sbuf *rec, kh_buf *jb, const sbuf *t2,
                      const sbuf *doc, const char *outlet, unsigned minute, size_t written,
                      uint64_t seed, int pages, size_t base, int original)
{
    char id[32], date[32];
    snprintf(id, sizeof id, "d%08llx",
             (unsigned long long)((written * 2654435761ULL + seed) & 0xFFFFFFFFULL));
    snprintf(id + 9, sizeof id - 9, "%zx", written);
    unsigned dd = minute / 1440, month = 1 + dd / 30, dom = 1 + dd % 30;
    snprintf(date, sizeof date, "2015-%02u-%02uT%02u:%02u:00", month > 12 ? 12 : month,
             dom > 30 ? 30 : dom, minute % 1440 / 60, minute % 60);
    rec->len = 0;
    sb_puts(rec, "{");
    json_field(rec, jb, "id", id, strlen(id), 1);
    json_field(rec, jb, "date", date, strlen(date), 0);
    json_field(rec, jb, "source", outlet, strlen(outlet), 0);
    json_field(rec, jb, "title", t2->d ? t2->d : "", t2->len, 0);
    if (pages) {
        sbuf pg = { 0 };
        page_of(&pg, t2->d ? t2->d : "", t2->len, doc->d ? doc->d : "", doc->len, outlet);
        json_field(rec, jb, "html", pg.d, pg.len, 0);
        free(pg.d);
    } else {
        json_field(rec, jb, "text", doc->d ? doc->d : "", doc->len, 0);
    }
    sb_puts(rec, "}\n");
    fwrite(rec->d, 1, rec->len, out);
    fprintf(truth, "%s\t%zu\t%d\n", id, base, original);
}

int main(int argc, char **argv)
{
    size_t n_docs = 100000;
    uint64_t seed = 42;
    const char *corpus = BENCH_CORPUS;
    int partial = 0, pages = 0;
    int a = 1;
    for (; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
        if (strcmp(argv[a], "-n") == 0 && a + 1 < argc) n_docs = strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "-s") == 0 && a + 1 < argc) seed = strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "-c") == 0 && a + 1 < argc) corpus = argv[++a];
        else if (strcmp(argv[a], "-x") == 0) partial = 1;
        else if (strcmp(argv[a], "-p") == 0) pages = 1;
        else break;
    }
    if (argc - a != 2) {
        fprintf(stderr, "usage: gen_syndication [-n DOCS] [-s SEED] [-c CORPUS] [-x] [-p] OUT.jsonl "
                        "TRUTH.tsv\n");
        return 2;
    }
    rng_state = seed;
    bench_corpus corp;
    if (bench_corpus_load(&corp, corpus, 0, 201, 0) != 0) {
        fprintf(stderr, "gen_syndication: cannot open %s\n", corpus);
        return 1;
    }
    strs texts = { 0 }, titles = { 0 };
    for (size_t i = 0; i < corp.n; i++) {
        const bench_article *ar = &corp.v[i];
        push(&texts, ar->text, ar->text_len);
        push(&titles, ar->title ? ar->title : "", ar->title_len);
    }
    if (texts.n < 10) {
        fprintf(stderr, "gen_syndication: too few articles in %s\n", corpus);
        return 1;
    }
    /* The corpus still holds real republished stories; two of them used as
     * different bases would make the truth call copies non-copies. Keep one
     * article of each group found at a far lower bar than any dedup run
     * (Jaccard 0.5 on word pairs), as the corpus's own preparation did. */
    {
        kh_ctx *c0;
        kh_deduper *d0;
        kh_dedup_options o0;
        kh_dedup_options_init(&o0);
        o0.threshold = 0.5;
        o0.shingle = 2;
        if (kh_ctx_create(&c0, NULL) != KH_OK || kh_dedup_create(c0, &o0, &d0) != KH_OK)
            return 1;
        for (size_t i = 0; i < texts.n; i++) {
            char id[32];
            snprintf(id, sizeof id, "%zu", i);
            if (kh_dedup_add(d0, id, NULL, texts.v[i].s, texts.v[i].len) != KH_OK)
                return 1;
        }
        if (kh_dedup_run(d0) != KH_OK)
            return 1;
        size_t kept = 0;
        for (size_t i = 0; i < texts.n; i++) {
            if (kh_dedup_group(d0, i) != i)
                continue;
            texts.v[kept] = texts.v[i];
            titles.v[kept++] = titles.v[i];
        }
        fprintf(stderr, "gen_syndication: %zu of %zu articles kept as bases (near copies dropped)\n",
                kept, texts.n);
        texts.n = titles.n = kept;
        kh_dedup_free(d0);
        kh_ctx_free(c0);
    }
    /* Shuffle the real articles; sentences of all of them form the pool. */
    size_t *perm = malloc(texts.n * sizeof *perm);
    for (size_t i = 0; i < texts.n; i++)
        perm[i] = i;
    for (size_t i = texts.n - 1; i > 0; i--) {
        size_t j = rnd() % (i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    strs sent = { 0 };
    size_t *sent_art = NULL;
    for (size_t i = 0; i < texts.n; i++) {
        size_t before = sent.n;
        split_sentences(texts.v[i].s, texts.v[i].len, &sent);
        sent_art = realloc(sent_art, sent.cap * sizeof *sent_art);
        for (size_t j = before; j < sent.n; j++)
            sent_art[j] = i;
    }
    FILE *out = fopen(argv[a], "wb"), *truth = fopen(argv[a + 1], "wb");
    if (!out || !truth) {
        fprintf(stderr, "gen_syndication: cannot write output\n");
        return 1;
    }
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    kh_buf jb;
    kh_buf_init(&jb, ctx, 0);
    sbuf base = { 0 }, doc = { 0 }, title = { 0 }, rec = { 0 };
    size_t written = 0, n_base = 0, copies_total = 0, n_follow_bases = 0, n_followups = 0;
    size_t n_teasers = 0, n_trimmed = 0;
    while (written < n_docs) {
        /* The base article. */
        base.len = 0;
        title.len = 0;
        if (n_base < texts.n) {
            size_t i = perm[n_base];
            sb_add(&base, texts.v[i].s, texts.v[i].len);
            sb_add(&title, titles.v[i].s, titles.v[i].len);
        } else {
            /* No article may give more than 40% of the text, or the new
             * base would be a near copy of it (or of another such base). */
            for (int attempt = 0; attempt < 100; attempt++) {
                base.len = 0;
                size_t largest = 0;
                unsigned parts = 3 + below(4);
                for (unsigned p = 0; p < parts; p++) {
                    size_t s0 = rnd() % sent.n, before = base.len;
                    unsigned run = 2 + below(3);
                    if (p)
                        sb_puts(&base, "\n\n");
                    for (unsigned r = 0; r < run && s0 + r < sent.n; r++) {
                        if (sent_art[s0 + r] != sent_art[s0])
                            break;
                        if (r)
                            sb_puts(&base, " ");
                        sb_add(&base, sent.v[s0 + r].s, sent.v[s0 + r].len);
                    }
                    if (base.len - before > largest)
                        largest = base.len - before;
                }
                if (base.len >= 1500 && largest * 100 <= base.len * 40)
                    break;
            }
            size_t ts = rnd() % sent.n;
            size_t tl = sent.v[ts].len < 90 ? sent.v[ts].len : 90;
            while (tl > 0 && ((unsigned char)sent.v[ts].s[tl] & 0xC0) == 0x80)
                tl--;
            sb_add(&title, sent.v[ts].s, tl);
        }
        unsigned copies = 0;
        if (chance(0.45)) {
            copies = 1;
            while (copies < 20 && chance(0.65))
                copies++;
        }
        unsigned day = below(355), base_minute = below(1440), first_outlet = below(N_OUTLETS);
        int wire = partial && chance(0.3);
        unsigned follow = partial && n_base < texts.n / 2 && chance(0.15) ? 1 + below(2) : 0;
        for (unsigned c = 0; c <= copies + follow && written < n_docs; c++) {
            doc.len = 0;
            sbuf t2 = { 0 };
            sb_add(&t2, title.d ? title.d : "", title.len);
            const char *outlet = wire && c == 0 ? "spa" : outlets[(first_outlet + c) % N_OUTLETS];
            size_t truth_base = n_base;
            if (c > copies) { /* a follow-up: the lead over a new body */
                truth_base = n_base + n_follow_bases + 1; /* renumbered below */
                size_t other = perm[texts.n - 1 - (n_followups % (texts.n / 2))];
                n_followups++;
                const char *ot = texts.v[other].s;
                size_t ol = texts.v[other].len, skip = lead_len(ot, ol, 30);
                sb_add(&doc, base.d, lead_len(base.d, base.len, 30));
                sb_puts(&doc, "\n\n");
                sb_add(&doc, ot + skip, ol - skip);
                unsigned minute = day * 1440 + 1440 + below(2 * 1440) + base_minute;
                write_doc(out, truth, &rec, &jb, &t2, &doc, outlet, minute, written, seed, pages,
                          truth_base, 1);
                free(t2.d);
                written++;
                n_follow_bases++;
                continue;
            }
            /* Minutes since the year began: copies come after the base. */
            unsigned minute = day * 1440 + (c ? 1 + below(3 * 1440) : 0) + base_minute;
            if (c == 0) {
                sb_add(&doc, base.d, base.len);
            } else if (partial && chance(0.3)) {
                /* A teaser or a trimmed copy: a part of the text from its
                 * start. */
                if (wire || chance(0.6)) {
                    sb_puts(&doc, wire ? "الرياض - واس:" : headers[below(sizeof headers / sizeof headers[0])]);
                    sb_puts(&doc, " ");
                }
                if (chance(0.5)) {
                    sb_add(&doc, base.d, lead_len(base.d, base.len, 30));
                    sb_puts(&doc, "\n\nاقرأ المزيد");
                    n_teasers++;
                } else {
                    sb_add(&doc, base.d, head_share(base.d, base.len, 0.5 + 0.3 * (double)below(1000) / 1000));
                    n_trimmed++;
                }
                copies_total++;
            } else {
                strs paras = { 0 };
                split_paras(base.d, base.len, &paras);
                size_t np = paras.n;
                int drop = chance(0.3), swap = chance(0.15) && np >= 3;
                if (wire || chance(0.6)) {
                    sb_puts(&doc, wire ? "الرياض - واس:" : headers[below(sizeof headers / sizeof headers[0])]);
                    sb_puts(&doc, chance(0.5) ? " " : "\n\n");
                }
                /* An outlet trims a short closing paragraph (or sentence):
                 * at most 15% of the text. */
                size_t keep = np;
                if (drop && np >= 2 && paras.v[np - 1].len * 100 <= base.len * 15)
                    keep = np - 1;
                size_t sw = swap ? below((unsigned)np - 1) : (size_t)-1;
                sbuf body = { 0 };
                for (size_t p = 0; p < keep; p++) {
                    size_t q = p == sw ? p + 1 : p == sw + 1 ? sw : p;
                    if (q >= keep)
                        q = p;
                    if (p)
                        sb_puts(&body, "\n\n");
                    sb_add(&body, paras.v[q].s, paras.v[q].len);
                }
                if (drop && keep == np) { /* the last sentence instead */
                    strs ss = { 0 };
                    split_sentences(body.d, body.len, &ss);
                    if (ss.n >= 2 && ss.v[ss.n - 1].len * 100 <= body.len * 15) {
                        body.len = (size_t)(ss.v[ss.n - 1].s - body.d);
                        body.d[body.len] = 0;
                    }
                    free(ss.v);
                }
                sb_add(&doc, body.d ? body.d : "", body.len);
                free(body.d);
                free(paras.v);
                if (chance(0.5)) {
                    sb_puts(&doc, "\n\n");
                    sb_puts(&doc, footers[below(sizeof footers / sizeof footers[0])]);
                }
                static const char *const hamza[] = { "\xd8\xa3", "\xd8\xa5", "\xd8\xa2" };
                static const char *const ya[] = { "\xd9\x89" }, *const ya2[] = { "\xd9\x8a" };
                static const char *const ta[] = { "\xd8\xa9" };
                if (chance(0.3)) replace_letters(&doc, hamza, 3, "\xd8\xa7", 0);
                if (chance(0.2)) {
                    if (chance(0.5)) replace_letters(&doc, ya, 1, "\xd9\x8a", 1);
                    else replace_letters(&doc, ya2, 1, "\xd9\x89", 1);
                }
                if (chance(0.1)) replace_letters(&doc, ta, 1, "\xd9\x87", 1);
                if (chance(0.2)) edit_digits(&doc);
                if (chance(0.3)) edit_tashkeel(&doc);
                if (chance(0.3)) edit_typos(&doc);
                if (chance(0.5)) {
                    sbuf t3 = { 0 };
                    sb_puts(&t3, title_prefix[below(5)]);
                    sb_add(&t3, t2.d ? t2.d : "", t2.len);
                    sb_puts(&t3, title_suffix[below(4)]);
                    free(t2.d);
                    t2 = t3;
                }
                copies_total++;
            }
            write_doc(out, truth, &rec, &jb, &t2, &doc, outlet, minute, written, seed, pages,
                      truth_base, c == 0);
            free(t2.d);
            written++;
        }
        n_base++;
        n_base += n_follow_bases;
        n_follow_bases = 0;
    }
    fclose(out);
    fclose(truth);
    fprintf(stderr, "gen_syndication: %zu documents, %zu bases, %zu copies (%zu teasers, %zu "
                    "trimmed), %zu follow-ups\n", written, n_base, copies_total, n_teasers,
            n_trimmed, n_followups);
    kh_buf_free(&jb);
    kh_ctx_free(ctx);
    free(base.d); free(doc.d); free(title.d); free(rec.d);
    free(perm); free(sent.v); free(sent_art);
    free(texts.v); free(titles.v);
    bench_corpus_free(&corp);
    return 0;
}
