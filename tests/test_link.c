/*
 * test_link.c — stories linked across languages: an Arabic and an English
 * report of one event are one set, with the names and numbers they share
 * in why; another event in the same place is not; stories of one language,
 * or far apart in time, never link; the headline follows the reader's
 * language; allocation failure is clean.
 */
#include "testhelp.h"

#include <stdint.h>

#define DAY 86400
#define T0 1750809600 /* 2025-06-25 */

typedef struct story {
    uint64_t id;
    const char *lang;
    int64_t time;
    const char *title, *body;
} story;

/* 1-2: the port deal in Arabic and English; 3: a flood in the same city a
 * day later, in Arabic; 4: the deal in French; 5: the deal again in English,
 * a month later; 6: an English report of the flood. */
static const story stories[] = {
    { 1, "ar", T0, "توقيع اتفاقية بـ1.2 مليار دولار لإنشاء محطة حاويات في ميناء مرسى النخيل",
      "وقع وزير التجارة عبد الرحمن الأنصاري اليوم الأربعاء في مدينة مرسى النخيل اتفاقية مع "
      "مجموعة أمواج للموانئ لإنشاء محطة حاويات جديدة باستثمارات تبلغ 1.2 مليار دولار. وقال "
      "رئيس المجموعة فيصل المنصوري إن المحطة سترفع قدرة الميناء إلى مليوني حاوية بحلول عام 2030." },
    { 2, "en", T0 + 3600 * 5, "Amwaj Ports Group wins $1.2bn terminal deal in Marsa al-Nakheel",
      "Trade minister Abdulrahman Al-Ansari signed a $1.2bn agreement on Wednesday with Amwaj "
      "Ports Group to build a container terminal in Marsa al-Nakheel. Group chairman Faisal "
      "Al-Mansouri said the terminal would lift the port's capacity to two million containers "
      "by 2030." },
    { 3, "ar", T0 + DAY, "سيول تضرب مرسى النخيل وتوقف حركة الميناء",
      "اجتاحت السيول أحياء مرسى النخيل مساء الخميس وأغلقت الطرق المؤدية إلى الميناء، وقال "
      "مدير الدفاع المدني ماجد الشهري إن فرق الإنقاذ أجلت 340 أسرة من وادي السدر." },
    { 4, "fr", T0 + 3600 * 9, "Marsa al-Nakhil : un terminal à 1,2 milliard de dollars",
      "Le ministre du commerce Abdulrahman Al-Ansari a signé mercredi avec Amwaj Ports Group un "
      "accord de 1,2 milliard de dollars pour un terminal à conteneurs à Marsa al-Nakhil, a "
      "indiqué Faisal Al-Mansouri." },
    { 5, "en", T0 + 30 * DAY, "Amwaj Ports Group reports on Marsa al-Nakheel terminal",
      "A month after Abdulrahman Al-Ansari signed the $1.2bn deal, Amwaj Ports Group said work "
      "on the Marsa al-Nakheel terminal had begun. Faisal Al-Mansouri said 2030 stood." },
};

static kh_status add(kh_linker *lk, const story *s)
{
    const char *texts[2] = { s->title, s->body };
    kh_link_story ls;
    memset(&ls, 0, sizeof ls);
    ls.id = s->id;
    ls.lang = kh_lang_from_code(s->lang);
    ls.dated = 1;
    ls.first = ls.last = s->time;
    ls.n_articles = 1;
    ls.headline = s->title;
    ls.texts = texts;
    ls.n_texts = 2;
    return kh_link_add(lk, &ls);
}

/* Links stories[] at the given indexes; NULL on failure. */
static kh_linker *link_of(kh_ctx *ctx, const size_t *which, size_t n)
{
    kh_linker *lk = NULL;
    if (kh_linker_create(ctx, NULL, &lk) != KH_OK)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (add(lk, &stories[which[i]]) != KH_OK) {
            kh_linker_free(lk);
            return NULL;
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
        if (strstr(list[i], want))
            return 1;
    return 0;
}

static uint64_t set_of(const kh_linker *lk, uint64_t id)
{
    kh_link_info info;
    return kh_link_get(lk, id, &info) == KH_OK ? info.set : (uint64_t)-1;
}

static void test_same_event(kh_ctx *ctx)
{
    static const size_t which[] = { 0, 1, 2, 3 };
    kh_linker *lk = link_of(ctx, which, 4);
    KH_TEST("one event: the linker runs");
    KH_CHECK(lk != NULL);
    if (!lk)
        return;
    KH_TEST("one event: Arabic, English and French reports of the deal are one set");
    KH_CHECK_INT(set_of(lk, 1), 1);
    KH_CHECK_INT(set_of(lk, 2), 1);
    KH_CHECK_INT(set_of(lk, 4), 1);
    kh_link_info info;
    KH_CHECK(kh_link_get(lk, 2, &info) == KH_OK);
    KH_CHECK_INT(info.n_stories, 3);
    KH_TEST("one event: why holds the names and the number they share");
    KH_CHECK(has(info.names, info.n_names, "Ansari"));
    KH_CHECK(has(info.names, info.n_names, "Nakh"));
    KH_CHECK(has(info.numbers, info.n_numbers, "1200000000"));
    KH_CHECK(info.score >= KH_LINK_THRESHOLD);
    KH_TEST("another event in the same city, the next day, is not in the set");
    KH_CHECK_INT(set_of(lk, 3), 0);
    KH_TEST("headline: the reader's language when the set has it, else the largest story");
    KH_CHECK_STR(kh_link_headline(lk, 2, KH_LANG_AR), stories[0].title);
    KH_CHECK_STR(kh_link_headline(lk, 1, KH_LANG_FR), stories[3].title);
    KH_CHECK_STR(kh_link_headline(lk, 3, KH_LANG_EN), stories[2].title);
    KH_TEST("json: the set, its languages and why");
    kh_buf b;
    kh_buf_init(&b, ctx, 0);
    KH_CHECK(kh_link_json(lk, 1, KH_LANG_EN, &b) == KH_OK);
    const char *head = "{\"set\": 1, \"stories\": [1, 2, 4], \"langs\": [\"ar\", \"en\", \"fr\"], "
                       "\"headline\": \"Amwaj Ports Group wins";
    KH_CHECK(b.data && strncmp(b.data, head, strlen(head)) == 0);
    KH_CHECK(b.data && strstr(b.data, "\"numbers\": [\"1200000000\""));
    kh_buf_clear(&b);
    KH_CHECK(kh_link_json(lk, 3, KH_LANG_EN, &b) == KH_OK);
    KH_CHECK_STR(b.data, "null");
    kh_buf_free(&b);
    KH_TEST("no such story");
    KH_CHECK(kh_link_get(lk, 99, &info) == KH_E_ARG);
    KH_CHECK(kh_link_run(lk) == KH_E_ARG);
    kh_linker_free(lk);
}

static void test_place_alone(kh_ctx *ctx)
{
    /* the English deal and the Arabic flood share the city and nothing else */
    static const size_t which[] = { 1, 2 };
    kh_linker *lk = link_of(ctx, which, 2);
    KH_TEST("one shared place name is no event");
    KH_CHECK(lk != NULL);
    if (!lk)
        return;
    KH_CHECK_INT(set_of(lk, 2), 0);
    KH_CHECK_INT(set_of(lk, 3), 0);
    kh_linker_free(lk);
}

static void test_never(kh_ctx *ctx)
{
    /* the two English reports of the deal: one language; the Arabic report
     * and the English one a month later: beyond the window */
    static const size_t english[] = { 1, 4 };
    kh_linker *lk = link_of(ctx, english, 2);
    KH_TEST("one language never links");
    KH_CHECK(lk != NULL);
    if (lk)
        KH_CHECK_INT(set_of(lk, 2), 0);
    kh_linker_free(lk);
    static const size_t far[] = { 0, 4 };
    lk = link_of(ctx, far, 2);
    KH_TEST("a month apart never links");
    KH_CHECK(lk != NULL);
    if (lk)
        KH_CHECK_INT(set_of(lk, 1), 0);
    kh_linker_free(lk);
    KH_TEST("options: a threshold that is not positive is refused");
    kh_link_options o;
    kh_link_options_init(&o);
    o.threshold = 0;
    lk = NULL;
    KH_CHECK(kh_linker_create(ctx, &o, &lk) == KH_E_ARG && lk == NULL);
}

static void test_nomem(void)
{
    KH_TEST("allocation failure: a correct result or a clean KH_E_NOMEM, no leak");
    static const size_t which[] = { 0, 1, 2, 3 };
    int ok = 0;
    for (long fail = 1; fail < 2000 && !ok; fail++) {
        kh_test_alloc t = { 0, fail, 0 };
        kh_allocator a = { kh_test_alloc_fn, &t };
        kh_ctx *ctx = NULL;
        if (kh_ctx_create(&ctx, &a) != KH_OK) {
            KH_CHECK(t.live == 0);
            continue;
        }
        kh_linker *lk = NULL;
        kh_status rc = kh_linker_create(ctx, NULL, &lk);
        for (size_t i = 0; rc == KH_OK && i < 4; i++)
            rc = add(lk, &stories[which[i]]);
        if (rc == KH_OK)
            rc = kh_link_run(lk);
        if (rc == KH_OK) {
            ok = 1;
            KH_CHECK_INT(set_of(lk, 2), 1);
        } else if (rc != KH_E_NOMEM) {
            KH_CHECK_INT(rc, KH_E_NOMEM);
        }
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
    test_same_event(ctx);
    test_place_alone(ctx);
    test_never(ctx);
    kh_ctx_free(ctx);
    test_nomem();
    return kh_test_report("test_link");
}
