/*
 * test_text.c — the text layer on real Arabic, English and French words:
 * keys, NFKC, sentences, tokens and offsets, stems, stopwords, language,
 * and allocation failure in the tokenizer.
 */
#include "testhelp.h"

#include "../src/kh_text_internal.h"

#include <stdlib.h>

static kh_ctx *g_ctx;

/* The key of s, in a static buffer. */
static const char *key(const char *s)
{
    static char out[1024];
    kh_buf b;
    kh_buf_init(&b, g_ctx, 0);
    if (kh_text_normalize(&b, s, strlen(s)) != KH_OK) {
        kh_buf_free(&b);
        return "(error)";
    }
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    kh_buf_free(&b);
    return out;
}

static void test_normalize(void)
{
    static const struct { const char *in, *want; } cases[] = {
        { "أشتون", "اشتون" },
        { "آشتون", "اشتون" },
        { "إلى", "الي" },
        { "ٱلرحمن", "الرحمن" },
        { "الأمريكي", "الامريكي" },
        { "الأميركي", "الاميركي" },
        { "سورية", "سوريه" },
        { "سوريا", "سوريا" },
        { "عُزِلَ", "عزل" },
        { "تزامناً", "تزامنا" },
        { "الرقـــة", "الرقه" },
        { "ﻻ", "لا" },
        { "ﷲ", "الله" },
        { "ﺍﻟﺴﻼﻡ", "السلام" },
        { "٢٠١٦", "2016" },
        { "۲۰۱۶", "2016" },
        { "کتاب", "كتاب" },
        { "ی", "ي" },
        { "مصطفى", "مصطفي" },
        { "مسؤول", "مسؤول" },
        { "رئيس", "رئيس" },
        { "\xD9\x88\xD9\x94", "ؤ" },          /* و + hamza above */
        { "\xE2\x80\x8F" "كارتر" "\xE2\x80\x8E", "كارتر" }, /* RLM, LRM */
        { "كا\xE2\x80\x8Dرتر", "كارتر" },     /* ZWJ */
        { "\xE2\x80\xABنص\xE2\x80\xAC", "نص" }, /* RLE ... PDF */
        { "\xEF\xBB\xBFنص", "نص" },           /* BOM */
        { "٣٫٥٪", "3.5%" },
        { "Hello WORLD", "hello world" },
        { "États-Unis", "etats-unis" },
        { "E\xCC\x81tats", "etats" },        /* decomposed É */
        { "Straße", "strasse" },
        { "ﬁn", "fin" },
        { "a\xC2\xA0" "b", "a b" },           /* NBSP */
        { "قال، «نعم»؛ ثم؟", "قال، «نعم»؛ ثم؟" },
    };
    KH_TEST("normalize");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        KH_CHECK_STR(key(cases[i].in), cases[i].want);

    KH_TEST("normalize invalid");
    kh_buf b;
    kh_buf_init(&b, g_ctx, 0);
    KH_CHECK(kh_text_normalize(&b, NULL, 0) == KH_OK); /* empty text, no pointer */
    KH_CHECK_INT(b.len, 0);
    KH_CHECK(kh_buf_puts(&b, "keep") == KH_OK);
    KH_CHECK(kh_text_normalize(&b, "ab\xC3(", 4) == KH_E_UTF8);
    KH_CHECK_STR(b.data, "keep"); /* nothing appended on failure */
    KH_CHECK(kh_text_normalize(&b, "\xED\xA0\x80", 3) == KH_E_UTF8); /* surrogate */
    kh_buf_free(&b);

    KH_TEST("normalize cap");
    kh_buf_init(&b, g_ctx, 8);
    KH_CHECK(kh_text_normalize(&b, "ﷺ", strlen("ﷺ")) == KH_E_TOOBIG); /* expands past 8 */
    KH_CHECK(kh_text_normalize(&b, "ABC", 3) == KH_OK);
    KH_CHECK_STR(b.data, "abc");
    kh_buf_free(&b);

    KH_TEST("normalize_to");
    char small[16];
    size_t n;
    KH_CHECK(kh_text_normalize_to(small, sizeof small, "الأمريكي", strlen("الأمريكي"), &n) == KH_OK);
    KH_CHECK(n == strlen("الامريكي") && memcmp(small, "الامريكي", n) == 0);
    KH_CHECK(kh_text_normalize_to(small, 4, "الأمريكي", strlen("الأمريكي"), &n) == KH_E_TOOBIG);
    KH_CHECK_INT(n, 0);

    KH_TEST("nfkc");
    kh_buf_init(&b, g_ctx, 0);
    KH_CHECK(kh_text_nfkc(&b, "ﻻ ﷲ ﬁ E\xCC\x81", strlen("ﻻ ﷲ ﬁ E\xCC\x81")) == KH_OK);
    KH_CHECK_STR(b.data, "لا الله fi É");
    kh_buf_clear(&b);
    KH_CHECK(kh_text_nfkc(&b, "عُزِلَ Abc", strlen("عُزِلَ Abc")) == KH_OK);
    KH_CHECK_STR(b.data, "عُزِلَ Abc"); /* display form keeps case and tashkeel */
    KH_CHECK(kh_text_nfkc(&b, "\xFF", 1) == KH_E_UTF8);
    kh_buf_free(&b);
}

/* ---- sentences ---- */

typedef struct spans {
    const char *text;
    char out[2048];
} spans;

static int on_span(void *user, size_t start, size_t end)
{
    spans *s = user;
    size_t l = strlen(s->out);
    snprintf(s->out + l, sizeof s->out - l, "%s%.*s", l ? "|" : "", (int)(end - start),
             s->text + start);
    return 0;
}

static const char *split(const char *text)
{
    static spans s;
    s.text = text;
    s.out[0] = '\0';
    if (kh_text_sentences(text, strlen(text), on_span, &s) != KH_OK)
        return "(error)";
    return s.out;
}

static int stop_first(void *user, size_t start, size_t end)
{
    (void)start;
    (void)end;
    ++*(int *)user;
    return 1;
}

static void test_sentences(void)
{
    static const struct { const char *in, *want; } cases[] = {
        { "دعا وزير الدفاع، آشتون كارتر، إلى بدء عملية. وقال إن الهجوم بدأ!",
          "دعا وزير الدفاع، آشتون كارتر، إلى بدء عملية.|وقال إن الهجوم بدأ!" },
        { "هل ستكون العمليتان متزامنتين؟ نعم؛ قال ذلك.", "هل ستكون العمليتان متزامنتين؟|نعم؛ قال ذلك." },
        { "قال د. محمد علي إن النمو بلغ 3.5 في المئة.", "قال د. محمد علي إن النمو بلغ 3.5 في المئة." },
        { "بنيت في القرن الثالث ق.م. على يد الملك.", "بنيت في القرن الثالث ق.م. على يد الملك." },
        { "ولد عام 1950م. وتوفي في القاهرة.", "ولد عام 1950م.|وتوفي في القاهرة." },
        { "قال: \"نريد أن نرى بدء عملية عزل.\" وأضاف أن ذلك ممكن.",
          "قال: \"نريد أن نرى بدء عملية عزل.\"|وأضاف أن ذلك ممكن." },
        { "قال «انتهى الأمر.» ثم غادر.", "قال «انتهى الأمر.»|ثم غادر." },
        { "انتهى.وقال الوزير كلمته", "انتهى.|وقال الوزير كلمته" },
        { "السطر الأول\nالسطر الثاني", "السطر الأول|السطر الثاني" },
        { "Mr. Smith went to Washington. He met Dr. Jones at 3.5 p.m. today.",
          "Mr. Smith went to Washington.|He met Dr. Jones at 3.5 p.m. today." },
        { "The U.S. Army left. Then it rained.", "The U.S. Army left.|Then it rained." },
        { "He said “we will win.” Then he left (for good.) Fine!",
          "He said “we will win.”|Then he left (for good.)|Fine!" },
        { "Wait... and see. Really… Yes.", "Wait... and see.|Really…|Yes." },
        { "Visit example.com now. Ok", "Visit example.com now.|Ok" },
        { "John F. Kennedy spoke.", "John F. Kennedy spoke." },
        { "What?! No way.", "What?!|No way." },
        { "  \n  ", "" },
        { "", "" },
        { "1. First point is here.", "1. First point is here." },
    };
    KH_TEST("sentences");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        KH_CHECK_STR(split(cases[i].in), cases[i].want);
    KH_TEST("sentences stop");
    int calls = 0;
    KH_CHECK(kh_text_sentences("One. Two. Three.", 16, stop_first, &calls) == KH_E_STOPPED);
    KH_CHECK_INT(calls, 1);
}

/* ---- tokens ---- */

typedef struct toks {
    const char *text;
    char out[2048];
    unsigned flags[64];
    size_t start[64], end[64], n;
} toks;

static int on_tok(void *user, unsigned flags, const char *t, size_t t_len, size_t start, size_t end)
{
    toks *s = user;
    size_t l = strlen(s->out);
    snprintf(s->out + l, sizeof s->out - l, "%s%.*s", l ? " " : "", (int)t_len, t);
    if (s->n < 64) {
        s->flags[s->n] = flags;
        s->start[s->n] = start;
        s->end[s->n] = end;
    }
    s->n++;
    return 0;
}

static toks g_toks;

static int stop_token(void *user, unsigned flags, const char *t, size_t t_len, size_t s, size_t e)
{
    (void)flags; (void)t; (void)t_len; (void)s; (void)e;
    ++*(int *)user;
    return 1;
}

static const char *tokens(kh_tokenizer *tok, kh_lang lang, const char *text, unsigned options)
{
    memset(&g_toks, 0, sizeof g_toks);
    g_toks.text = text;
    if (kh_tokenize(tok, lang, text, strlen(text), options, on_tok, &g_toks) != KH_OK)
        return "(error)";
    return g_toks.out;
}

static void test_tokens(kh_tokenizer *tok)
{
    KH_TEST("tokens keys");
    KH_CHECK_STR(tokens(tok, KH_LANG_AR, "أشتون آشتون الأميركي الأمريكي", 0),
                 "اشتون اشتون الاميركي الامريكي");
    KH_CHECK_INT(g_toks.n, 4);
    KH_CHECK_STR(tokens(tok, KH_LANG_AR, "الرقـــة عُزِلَ كا\xE2\x80\x8Dرتر", 0), "الرقه عزل كارتر");
    KH_CHECK_INT(g_toks.n, 3);

    KH_TEST("tokens offsets");
    const char *t = "«عُزِلَ» في الرقـــة، عام ٢٠١٦";
    tokens(tok, KH_LANG_AR, t, 0);
    KH_CHECK_INT(g_toks.n, 5);
    static const char *const words[] = { "عُزِلَ", "في", "الرقـــة", "عام", "٢٠١٦" };
    for (size_t i = 0; i < 5 && i < g_toks.n; i++) {
        size_t len = g_toks.end[i] - g_toks.start[i];
        KH_CHECK(len == strlen(words[i]) && memcmp(t + g_toks.start[i], words[i], len) == 0);
    }
    KH_CHECK(g_toks.flags[1] & KH_TOKEN_STOPWORD);
    KH_CHECK(g_toks.flags[4] & KH_TOKEN_NUMBER);
    KH_CHECK(!(g_toks.flags[2] & (KH_TOKEN_NUMBER | KH_TOKEN_STOPWORD)));
    KH_CHECK_STR(g_toks.out, "عزل في الرقه عام 2016");

    KH_TEST("tokens skip stopwords");
    KH_CHECK_STR(tokens(tok, KH_LANG_AR, "قال إن الهجوم على الموصل", KH_TOK_SKIP_STOPWORDS), "الهجوم الموصل");
    KH_CHECK_STR(tokens(tok, KH_LANG_EN, "The attack on the city", KH_TOK_SKIP_STOPWORDS), "attack city");

    KH_TEST("tokens scripts");
    KH_CHECK_STR(tokens(tok, KH_LANG_UNKNOWN, "داعشISIS 2016م G20 l'État", 0), "داعش isis 2016 م g20 l etat");
    KH_CHECK_STR(tokens(tok, KH_LANG_UNKNOWN, "\xFF\xFEكارتر\xC3", 0), "كارتر"); /* bad bytes separate */
    KH_CHECK_STR(tokens(tok, KH_LANG_UNKNOWN, "", 0), "");
    KH_CHECK_STR(tokens(tok, KH_LANG_AR, "محمد ﷺ قال", 0), "محمد صلي الله عليه وسلم قال");
    KH_CHECK_INT(g_toks.n, 6);
    KH_CHECK(g_toks.start[1] == g_toks.start[4] && g_toks.end[2] == g_toks.end[3]);
    KH_CHECK_STR(tokens(tok, KH_LANG_UNKNOWN, "... ، ؛ ؟", 0), "");

    KH_TEST("tokens stop");
    int count = 0;
    KH_CHECK(kh_tokenize(tok, KH_LANG_AR, "واحد اثنان", strlen("واحد اثنان"), 0, stop_token, &count) == KH_E_STOPPED);
    KH_CHECK_INT(count, 1);
}

/* ---- stems ---- */

static const char *stem_line(kh_tokenizer *tok, kh_lang lang, const char *text)
{
    return tokens(tok, lang, text, KH_TOK_STEM);
}

static void test_stems(kh_tokenizer *tok)
{
    static const struct { const char *a, *b; } same[] = {
        { "والرقة", "رقة" }, { "الرقة", "رقة" }, { "أشتون", "آشتون" },
        { "المدينة", "مدينة" }, { "الوزير", "وزير" }, { "والوزير", "وزير" },
        { "للوزير", "وزير" }, { "بالموصل", "الموصل" }, { "والموصل", "الموصل" },
        { "وأعلنت", "أعلنت" }, { "المسؤولين", "مسؤول" }, { "مسؤولون", "مسؤول" },
        { "معلمات", "معلم" }, { "معلمة", "معلم" }, { "حكومتها", "الحكومة" },
        { "عمليتين", "عملية" }, { "العمليات", "عملية" }, { "سوريا", "سورية" },
        { "قواتها", "القوات" }, { "كتابهم", "كتاب" }, { "والسياسات", "سياسة" },
        { "presidents", "president" }, { "running", "runs" },
    };
    static const struct { const char *a, *b; } differ[] = {
        { "وزارة", "زارة" }, { "وزير", "زير" }, { "وقت", "قت" }, { "كارتر", "كارت" },
        { "القوات", "القو" }, { "مدينة", "دين" }, { "سلمان", "سلم" }, { "لبنان", "لبن" },
        { "اشتون", "اشت" }, { "المدن", "المدينة" },
    };
    /* An English text: Arabic words by the Arabic rules, Latin by the English. */
    KH_TEST("stems same");
    char a[2048];
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        snprintf(a, sizeof a, "%s", stem_line(tok, KH_LANG_EN, same[i].a));
        const char *b = stem_line(tok, KH_LANG_EN, same[i].b);
        if (strcmp(a, b) != 0)
            fprintf(stderr, "  %s -> %s, %s -> %s\n", same[i].a, a, same[i].b, b);
        KH_CHECK(strcmp(a, b) == 0);
    }
    KH_TEST("stems root waw");
    KH_CHECK_STR(stem_line(tok, KH_LANG_AR, "وجدت واسعة ووضع وزيادة"), "وجدت واسع وضع زياد");
    KH_TEST("stems differ");
    for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
        snprintf(a, sizeof a, "%s", stem_line(tok, KH_LANG_AR, differ[i].a));
        const char *b = stem_line(tok, KH_LANG_AR, differ[i].b);
        if (strcmp(a, b) == 0)
            fprintf(stderr, "  %s and %s both -> %s\n", differ[i].a, differ[i].b, a);
        KH_CHECK(strcmp(a, b) != 0);
    }
    KH_TEST("stems exact");
    KH_CHECK_STR(stem_line(tok, KH_LANG_AR, "أشتون آشتون الأميركي الأمريكي"), "اشتون اشتون اميركي امريكي");
    KH_CHECK_STR(stem_line(tok, KH_LANG_AR, "والرقة الرقة رقة"), "رقه رقه رقه");
    KH_CHECK_STR(stem_line(tok, KH_LANG_AR, "بال على هو"), "بال علي هو"); /* short words, stopwords kept */
    KH_CHECK_STR(stem_line(tok, KH_LANG_FR, "Les États-Unis nationales"), "les etat unis national");
    size_t n;
    const char *s = kh_stem(tok, KH_LANG_EN, "nations", 7, &n);
    KH_CHECK(n == 6 && memcmp(s, "nation", 6) == 0);
    s = kh_stem(tok, KH_LANG_EN, "nations", 7, &n); /* from the cache */
    KH_CHECK(n == 6 && memcmp(s, "nation", 6) == 0);
    s = kh_stem(tok, KH_LANG_UNKNOWN, "xyz", 3, &n);
    KH_CHECK(n == 3 && memcmp(s, "xyz", 3) == 0);
}

static void test_stopwords(void)
{
    KH_TEST("stopwords");
    KH_CHECK(kh_is_stopword(KH_LANG_AR, key("على"), strlen(key("على"))));
    KH_CHECK(kh_is_stopword(KH_LANG_AR, key("إلى"), strlen(key("إلى"))));
    KH_CHECK(kh_is_stopword(KH_LANG_AR, key("الذي"), strlen(key("الذي"))));
    KH_CHECK(!kh_is_stopword(KH_LANG_AR, key("الموصل"), strlen(key("الموصل"))));
    KH_CHECK(kh_is_stopword(KH_LANG_EN, "the", 3));
    KH_CHECK(!kh_is_stopword(KH_LANG_FR, "the", 3));
    KH_CHECK(kh_is_stopword(KH_LANG_FR, "ete", 3)); /* été */
    KH_CHECK(!kh_is_stopword(KH_LANG_EN, "die", 3)); /* German only */
    KH_CHECK(!kh_is_stopword(KH_LANG_UNKNOWN, "the", 3));
    KH_CHECK(!kh_is_stopword(KH_LANG_EN, NULL, 0));
    /* Every stored word is its own key, and the lists have their sizes. */
    size_t i = 0, len, counts[3] = { 0, 0, 0 };
    unsigned langs;
    const char *w;
    int all_keys = 1;
    while ((w = khi_stopword_at(i++, &len, &langs)) != NULL) {
        char k[64];
        size_t kl;
        int same = kh_text_normalize_to(k, sizeof k, w, len, &kl) == KH_OK && kl == len &&
                   memcmp(k, w, len) == 0;
        if (!same)
            fprintf(stderr, "  stopword %.*s is not a key\n", (int)len, w);
        all_keys &= same;
        counts[0] += (langs & KHI_SW_AR) != 0;
        counts[1] += (langs & KHI_SW_EN) != 0;
        counts[2] += (langs & KHI_SW_FR) != 0;
    }
    KH_CHECK(all_keys);
    KH_CHECK(counts[0] >= 250);
    KH_CHECK(counts[1] >= 150 && counts[2] >= 150);
}

static void test_lang(void)
{
    static const struct { const char *text; kh_lang want; } cases[] = {
        { "دعا وزير الدفاع الأمريكي آشتون كارتر اليوم الأحد إلى بدء عملية لعزل تنظيم داعش في مدينة الرقة السورية", KH_LANG_AR },
        { "كارتر يدعو إلى عزل داعش", KH_LANG_AR },
        /* a headline of names and nouns, no stopword */
        { "أمن طرق الشرائع يضبط مواطناً بحوزته حشيش مخدر وسلاح ناري ومبالغ مالية", KH_LANG_AR },
        { "The defense secretary said on Sunday that the operation to isolate the city would start soon.", KH_LANG_EN },
        { "Le secrétaire à la Défense a appelé dimanche au lancement d'une opération pour isoler la ville.", KH_LANG_FR },
        { "Der Verteidigungsminister hat am Sonntag gesagt, dass die Operation bald beginnen wird.", KH_LANG_DE },
        { "El secretario de Defensa dijo el domingo que la operación para aislar la ciudad comenzará pronto.", KH_LANG_ES },
        { "وزیر دفاع آمریکا روز یکشنبه گفت که عملیات برای محاصره شهر رقه به زودی آغاز می‌شود", KH_LANG_UNKNOWN },
        { "Министр обороны США заявил в воскресенье, что операция скоро начнется.", KH_LANG_RU },
        { "qwzx plmk vbnrt ghjkl zxcvb mnbvc", KH_LANG_UNKNOWN },
        { "hello", KH_LANG_UNKNOWN },
        { "12345 67890 !!!", KH_LANG_UNKNOWN },
        { "", KH_LANG_UNKNOWN },
    };
    KH_TEST("lang detect");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kh_lang got = kh_lang_detect(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].want)
            fprintf(stderr, "  case %zu: got %s\n", i, kh_lang_code(got));
        KH_CHECK_INT(got, cases[i].want);
    }
    KH_CHECK_INT(kh_lang_detect(NULL, 5), KH_LANG_UNKNOWN);
    KH_TEST("lang codes");
    KH_CHECK_STR(kh_lang_code(KH_LANG_AR), "ar");
    KH_CHECK_STR(kh_lang_code(KH_LANG_FR), "fr");
    KH_CHECK_STR(kh_lang_code((kh_lang)42), "und");
    KH_CHECK_INT(kh_lang_from_code("en"), KH_LANG_EN);
    KH_CHECK_INT(kh_lang_from_code("de"), KH_LANG_DE);
    KH_CHECK_INT(kh_lang_from_code("xx"), KH_LANG_UNKNOWN);
    KH_CHECK_INT(kh_lang_from_code(NULL), KH_LANG_UNKNOWN);
}

/* Reads the seeds' lines and checks that tokenizing them is self-consistent:
 * each token's source bytes normalize to its key. */
static void test_seed_offsets(kh_tokenizer *tok)
{
    KH_TEST("seed offsets");
    FILE *f = fopen("../shared/seeds/000_02b5dd302558214f.txt", "rb");
    if (!f) {
        KH_CHECK(!"seed file missing");
        return;
    }
    char line[8192];
    int ok = 1, lines = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        if (kh_utf8_check(line, len, NULL) != KH_OK)
            continue;
        memset(&g_toks, 0, sizeof g_toks);
        if (kh_tokenize(tok, KH_LANG_UNKNOWN, line, len, 0, on_tok, &g_toks) != KH_OK)
            ok = 0;
        char *p = g_toks.out;
        for (size_t i = 0; i < g_toks.n && i < 64; i++) {
            char k[256];
            size_t kl;
            kh_text_normalize_to(k, sizeof k, line + g_toks.start[i], g_toks.end[i] - g_toks.start[i], &kl);
            size_t tl = strcspn(p, " ");
            ok &= tl == kl && memcmp(p, k, kl) == 0;
            p += tl + (p[tl] == ' ');
        }
        lines++;
    }
    fclose(f);
    KH_CHECK(ok);
    KH_CHECK(lines > 10);
}

static int count_tok(void *user, unsigned flags, const char *t, size_t t_len, size_t s, size_t e)
{
    (void)flags; (void)t; (void)t_len; (void)s; (void)e;
    ++*(int *)user;
    return 0;
}

/* Every allocation of create + tokenize + stem is failed once in turn. */
static void test_tokenizer_nomem(void)
{
    KH_TEST("tokenizer nomem");
    const char *text = "Les États-Unis ont annoncé presidents والرقة الرقة";
    int clean = 1, succeeded = 0;
    for (long n = 1; n < 40 && !succeeded; n++) {
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) {
            clean &= ta.live == 0;
            continue;
        }
        kh_tokenizer *tok;
        kh_status rc = kh_tokenizer_create(ctx, &tok);
        if (rc == KH_OK) {
            int count = 0;
            rc = kh_tokenize(tok, KH_LANG_FR, text, strlen(text), KH_TOK_STEM, count_tok, &count);
            if (rc == KH_OK) {
                clean &= count == 8;
                succeeded = 1;
            }
            kh_tokenizer_free(tok);
        } else {
            clean &= tok == NULL;
        }
        clean &= rc == KH_OK || rc == KH_E_NOMEM;
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
    KH_CHECK(succeeded);
}

/* Normalization and NFKC under failing allocations: a correct result or a
 * clean KH_E_NOMEM that leaves the buffer as it was. */
static void test_normalize_nomem(void)
{
    KH_TEST("normalize nomem");
    const char *text = "ﷲ والرقـــة É ٢٠١٦ Straße ﻻ";
    int clean = 1, norm_ok = 0, nfkc_ok = 0;
    for (long n = 1; n < 30; n++) {
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK)
            continue;
        kh_buf b;
        kh_buf_init(&b, ctx, 0);
        kh_status rc = kh_text_normalize(&b, text, strlen(text));
        if (rc == KH_OK)
            norm_ok |= strcmp(b.data, "الله والرقه e 2016 strasse لا") == 0;
        else
            clean &= rc == KH_E_NOMEM && b.len == 0;
        kh_buf_clear(&b);
        rc = kh_text_nfkc(&b, text, strlen(text));
        if (rc == KH_OK)
            nfkc_ok |= strcmp(b.data, "الله والرقـــة É ٢٠١٦ Straße لا") == 0;
        else
            clean &= rc == KH_E_NOMEM && b.len == 0;
        kh_buf_free(&b);
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
    KH_CHECK(norm_ok);
    KH_CHECK(nfkc_ok);
}

int main(void)
{
    KH_CHECK(kh_ctx_create(&g_ctx, NULL) == KH_OK);
    kh_tokenizer *tok;
    KH_CHECK(kh_tokenizer_create(g_ctx, &tok) == KH_OK);
    test_normalize();
    test_sentences();
    test_tokens(tok);
    test_stems(tok);
    test_stopwords();
    test_lang();
    test_seed_offsets(tok);
    test_tokenizer_nomem();
    test_normalize_nomem();
    kh_tokenizer_free(tok);
    kh_tokenizer_free(NULL);
    kh_ctx_free(g_ctx);
    return kh_test_report("test_text");
}
