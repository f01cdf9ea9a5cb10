/*
 * test_bilex.c — the bilingual lexicon (kh_bilex.c) read from the FreeDict
 * dictionaries Debian installs (skipped, with a message, when they are
 * absent; $KHABAR_LEXICON names another directory): real glosses of Arabic
 * and French words; a missing directory is KH_E_IO; in the linker, words
 * are weak evidence: two leads that share only glossed words do not link,
 * a link that names and facts make gains "words", and a name is never
 * glossed (الرقة is Raqqa, not "tenderness").
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define T0 1750809600 /* 2025-06-25 */

static int glosses(const kh_bilex *lx, const char *word, const char *want)
{
    const char *out[8];
    size_t n = kh_bilex_lookup(lx, word, strlen(word), out, 8);
    for (size_t i = 0; i < n; i++)
        if (strcmp(out[i], want) == 0)
            return 1;
    return 0;
}

static void test_glosses(const kh_bilex *lx)
{
    KH_TEST("lexicon: Arabic words gloss to English (ara-eng and eng-ara read backwards)");
    KH_CHECK(kh_bilex_size(lx) > 10000);
    KH_CHECK(glosses(lx, "ميناء", "port"));
    KH_CHECK(glosses(lx, "الميناء", "port"));
    KH_CHECK(glosses(lx, "وزير", "minister"));
    KH_CHECK(glosses(lx, "زلزال", "earthquake"));
    KH_TEST("lexicon: French words gloss to English, plurals too");
    KH_CHECK(glosses(lx, "ministre", "minister"));
    KH_CHECK(glosses(lx, "ministres", "minister"));
    KH_TEST("lexicon: no glosses for a stopword, a phrase, a number, NULL");
    KH_CHECK_INT(kh_bilex_lookup(lx, "في", strlen("في"), NULL, 0), 0);
    const char *out[4];
    KH_CHECK_INT(kh_bilex_lookup(lx, "le ministre", 11, out, 4), 0);
    KH_CHECK_INT(kh_bilex_lookup(lx, "2030", 4, out, 4), 0);
    KH_CHECK_INT(kh_bilex_lookup(NULL, "ministre", 8, out, 4), 0);
    KH_TEST("lexicon: loaded in well under a second");
    KH_CHECK(kh_bilex_load_seconds(lx) < 1.0);
}

static void test_missing(kh_ctx *ctx)
{
    KH_TEST("lexicon: a directory without the dictionaries is KH_E_IO, *out NULL");
    kh_bilex *lx = (kh_bilex *)1;
    KH_CHECK_INT(kh_bilex_load(ctx, "/nonexistent/dictd", &lx), KH_E_IO);
    KH_CHECK(lx == NULL);
    KH_CHECK(strstr(kh_errmsg(ctx), "freedict-ara-eng") != NULL);
    kh_bilex_free(NULL);
}

typedef struct lead {
    uint64_t id;
    kh_lang lang;
    const char *title, *body;
} lead;

/* Links two leads with lexicon lx (or none); info of the first. */
static kh_linker *link_two(kh_ctx *ctx, const kh_bilex *lx, const lead *a, const lead *b)
{
    kh_link_options lo;
    kh_link_options_init(&lo);
    lo.lexicon = lx;
    kh_linker *lk = NULL;
    if (kh_linker_create(ctx, &lo, &lk) != KH_OK)
        return NULL;
    const lead *two[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        const char *texts[2] = { two[i]->title, two[i]->body };
        kh_link_story s;
        memset(&s, 0, sizeof s);
        s.id = two[i]->id;
        s.lang = two[i]->lang;
        s.dated = 1;
        s.first = s.last = T0 + 3600 * i;
        s.n_articles = 1;
        s.headline = two[i]->title;
        s.texts = texts;
        s.n_texts = 2;
        if (kh_link_add(lk, &s) != KH_OK) {
            kh_linker_free(lk);
            return NULL;
        }
    }
    if (kh_link_run(lk) != KH_OK) {
        kh_linker_free(lk);
        return NULL;
    }
    return lk;
}

static int has(const char *const *list, size_t n, const char *want)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], want) == 0)
            return 1;
    return 0;
}

static const lead deal_ar = {
    1, KH_LANG_AR, "توقيع اتفاقية بـ1.2 مليار دولار لإنشاء محطة حاويات في ميناء مرسى النخيل",
    "وقع وزير التجارة عبد الرحمن الأنصاري اليوم الأربعاء في مدينة مرسى النخيل اتفاقية لإنشاء "
    "محطة حاويات جديدة في الميناء باستثمارات تبلغ 1.2 مليار دولار."
};
static const lead deal_en = {
    2, KH_LANG_EN, "Ports group wins $1.2bn terminal deal in Marsa al-Nakheel",
    "Trade minister Abdulrahman Al-Ansari signed a $1.2bn agreement on Wednesday to build a "
    "new container terminal in the port of Marsa al-Nakheel."
};

static void test_weak(kh_ctx *ctx, const kh_bilex *lx)
{
    kh_link_info info;
    KH_TEST("linker: words add \"words\" evidence to a link that names and facts make");
    kh_linker *plain = link_two(ctx, NULL, &deal_ar, &deal_en);
    kh_linker *lk = link_two(ctx, lx, &deal_ar, &deal_en);
    KH_CHECK(plain && lk);
    double before = 0;
    if (plain && kh_link_get(plain, 2, &info) == KH_OK) {
        KH_CHECK_INT(info.set, 1);
        KH_CHECK_INT(info.n_words, 0);
        before = info.score;
    }
    if (lk && kh_link_get(lk, 2, &info) == KH_OK) {
        KH_CHECK_INT(info.set, 1);
        KH_CHECK(has(info.words, info.n_words, "port") || has(info.words, info.n_words, "minister"));
        KH_CHECK(info.score > before);
        KH_CHECK(info.score <= before + 2.0 + 1e-9); /* capped */
        kh_buf b;
        kh_buf_init(&b, ctx, 0);
        KH_CHECK(kh_link_json(lk, 2, KH_LANG_EN, &b) == KH_OK);
        KH_CHECK(b.data && strstr(b.data, "\"words\": [\""));
        kh_buf_free(&b);
    }
    kh_linker_free(plain);
    kh_linker_free(lk);

    KH_TEST("linker: two leads sharing only glossed words do not link");
    static const lead words_ar = {
        3, KH_LANG_AR, "وزير يوقع اتفاقية لمحطة حاويات جديدة في الميناء",
        "وقع الوزير اتفاقية لإنشاء محطة حاويات جديدة في الميناء بعد زلزال وانفجار وحريق."
    };
    static const lead words_en = {
        4, KH_LANG_EN, "minister signs agreement for new container terminal at port",
        "the minister signed an agreement to build a new container terminal at the port after "
        "an earthquake, an explosion and a fire."
    };
    lk = link_two(ctx, lx, &words_ar, &words_en);
    KH_CHECK(lk != NULL);
    if (lk && kh_link_get(lk, 3, &info) == KH_OK)
        KH_CHECK_INT(info.set, 0);
    kh_linker_free(lk);

    KH_TEST("linker: a name is never glossed (الرقة is Raqqa, not tenderness)");
    static const lead raqqa_ar = {
        5, KH_LANG_AR, "مقتل 27 شخصا في انفجار بمدينة الرقة",
        "قال المتحدث باسم الدفاع المدني عبد الرحمن الأنصاري إن 27 شخصا قتلوا في انفجار هز "
        "مدينة الرقة صباح الأربعاء."
    };
    static const lead raqqa_en = {
        6, KH_LANG_EN, "Blast kills 27 in Raqqa",
        "A blast killed 27 people in Raqqa on Wednesday, civil defence spokesman Abdulrahman "
        "Al-Ansari said; rescuers worked with tenderness through the explosion site."
    };
    lk = link_two(ctx, lx, &raqqa_ar, &raqqa_en);
    KH_CHECK(lk != NULL);
    if (lk && kh_link_get(lk, 6, &info) == KH_OK) {
        KH_CHECK_INT(info.set, 5);
        KH_CHECK(!has(info.words, info.n_words, "tenderness"));
        KH_CHECK(!has(info.words, info.n_words, "Tenderness"));
        KH_CHECK(has(info.words, info.n_words, "explosion"));
    }
    kh_linker_free(lk);
}

static void test_nomem(const kh_bilex *lx)
{
    KH_TEST("linker with a lexicon: allocation failure is a correct result or a clean "
            "KH_E_NOMEM, no leak");
    int ok = 0;
    for (long fail = 1; fail < 3000 && !ok; fail++) {
        kh_test_alloc t = { 0, fail, 0 };
        kh_allocator a = { kh_test_alloc_fn, &t };
        kh_ctx *ctx = NULL;
        if (kh_ctx_create(&ctx, &a) != KH_OK) {
            KH_CHECK(t.live == 0);
            continue;
        }
        kh_linker *lk = link_two(ctx, lx, &deal_ar, &deal_en);
        kh_link_info info;
        if (lk && kh_link_get(lk, 2, &info) == KH_OK && info.set == 1 && info.n_words > 0)
            ok = 1;
        kh_linker_free(lk);
        kh_ctx_free(ctx);
        if (t.live != 0) {
            KH_CHECK_INT(t.live, 0);
            break;
        }
    }
    KH_CHECK(ok);
}

int main(void)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    test_missing(ctx);
    const char *dir = getenv("KHABAR_LEXICON");
    kh_bilex *lx = NULL;
    if (kh_bilex_load(ctx, dir && *dir ? dir : NULL, &lx) != KH_OK) {
        printf("test_bilex: skipped the lexicon's tests: %s (install dict-freedict-ara-eng, "
               "dict-freedict-eng-ara, dict-freedict-fra-eng)\n", kh_errmsg(ctx));
    } else {
        test_glosses(lx);
        test_weak(ctx, lx);
        test_nomem(lx);
    }
    kh_bilex_free(lx);
    kh_ctx_free(ctx);
    return kh_test_report("test_bilex");
}
