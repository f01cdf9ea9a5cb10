/*
 * test_story.c — online story clustering on real Arabic and English text:
 * one event told in different words becomes one story; two events that name
 * the same people stay apart; reports of one template that disagree on
 * their figures or dates stay apart; the window closes stories; languages
 * never mix; the same input gives the same stories; allocation failure is
 * clean.
 */
#include "testhelp.h"

#include <math.h>
#include <stdint.h>

#define DAY 86400

typedef struct art {
    const char *id;
    const char *date; /* NULL: undated */
    const char *lang;
    const char *title;
    const char *text;
    int event;        /* the event it reports (for the checks) */
} art;

/* Three reports of one flood in Jeddah, then an event two days later that
 * names the same city and governor, and a fourth flood report. */
static const art english[] = {
    { "en-flood-1", "2024-11-10T08:00:00Z", "en",
      "Floods sweep Jeddah after record rainfall",
      "Torrential rain flooded streets across Jeddah on Sunday, trapping motorists and "
      "cutting power to several districts. The Civil Defense said its teams rescued 212 "
      "people from stranded cars and flooded homes in the southern neighborhoods. Schools "
      "in the city were closed and the National Center of Meteorology warned that more "
      "thunderstorms were expected over the Makkah region. Governor Prince Khalid "
      "al-Faisal ordered an inquiry into the drainage network.",
      1 },
    { "en-flood-2", "2024-11-10T14:30:00Z", "en",
      "Rescue teams pull hundreds from flooded cars in Jeddah",
      "Civil Defense crews in Jeddah rescued more than two hundred residents whose cars "
      "were swept away by floodwater, officials said. Heavy rainfall turned main roads "
      "into rivers and left districts in the south without electricity. Meteorology "
      "officials forecast further thunderstorms and urged residents to stay indoors, "
      "while schools suspended classes.",
      1 },
    { "en-flood-3", "2024-11-11T09:15:00Z", "en",
      "Jeddah counts the damage as rainwater recedes",
      "Residents of Jeddah returned to flooded homes on Monday as rainwater receded from "
      "the southern districts. Civil Defense said 212 people had been rescued from "
      "stranded vehicles during the storm and that drainage pumps were still working in "
      "low-lying streets. Power was restored to most neighborhoods, and the inquiry into "
      "the drainage network ordered by the governor began its work.",
      1 },
    { "en-terminal", "2024-11-12T10:00:00Z", "en",
      "Prince Khalid al-Faisal opens new terminal at Jeddah airport",
      "Makkah Governor Prince Khalid al-Faisal on Tuesday inaugurated the new passenger "
      "terminal at King Abdulaziz International Airport in Jeddah. The terminal has 46 "
      "gates and can handle thirty million travellers a year, the General Authority of "
      "Civil Aviation said. Saudia and flynas will move their international flights to "
      "the building over the coming months, and a rail link connects it to the Haramain "
      "high-speed railway.",
      2 },
    { "en-flood-4", "2024-11-12T16:00:00Z", "en",
      "Jeddah flood inquiry looks at drainage failures",
      "The committee investigating last weekend's floods in Jeddah inspected drainage "
      "channels in the southern districts, where streets were submerged and Civil Defense "
      "teams rescued stranded motorists. Residents said rainwater still stood in some "
      "neighborhoods two days after the storm.",
      1 },
};

/* Arabic: three reports of coronavirus cases announced by the health
 * ministry, and the same minister opening a hospital in the same city. */
static const art arabic[] = {
    { "ar-corona-1", "2020-03-02", "ar", "وزارة الصحة تعلن أول إصابة بفيروس كورونا في المملكة",
      "أعلنت وزارة الصحة اليوم تسجيل أول حالة إصابة بفيروس كورونا المستجد لمواطن قادم من "
      "إيران عبر البحرين، ولم يفصح عن زيارته لإيران عند دخوله المنفذ. وأوضحت الوزارة أن "
      "المصاب نقل إلى مستشفى متخصص وتم عزله، وأنه جرى حصر المخالطين له وأخذ العينات اللازمة. "
      "ودعت الوزارة المواطنين إلى الإفصاح عن سفرهم إلى الدول التي ينتشر فيها الفيروس.",
      3 },
    { "ar-corona-2", "2020-03-03", "ar", "تسجيل حالة كورونا لمواطن عائد من إيران",
      "سجلت المملكة أول إصابة مؤكدة بفيروس كورونا الجديد، وهي لمواطن عاد من إيران مرورا "
      "بالبحرين دون أن يبلغ السلطات بزيارته. وقالت وزارة الصحة إن المريض يخضع للعزل الصحي في "
      "المستشفى، وإن فرقها تتابع المخالطين وتجري الفحوص لهم. وطالبت الوزارة كل من زار إيران "
      "مؤخرا بالاتصال بمركز الصحة.",
      3 },
    { "ar-hospital", "2020-03-04", "ar", "وزير الصحة يفتتح مستشفى جديدا في الرياض",
      "افتتح وزير الصحة الدكتور توفيق الربيعة اليوم مستشفى الملك سلمان الجديد في شرق الرياض "
      "بسعة أربعمئة سرير. ويضم المستشفى مركزا لجراحة القلب ووحدة للعناية المركزة للأطفال "
      "وقسما للطوارئ يعمل على مدار الساعة. وقال الربيعة إن المشروع جزء من خطة لزيادة عدد "
      "الأسرة في العاصمة وتقليل فترات الانتظار في العيادات.",
      4 },
    { "ar-corona-3", "2020-03-04", "ar", "الصحة: المصاب بكورونا في حالة مستقرة",
      "أكدت وزارة الصحة أن المواطن المصاب بفيروس كورونا الذي قدم من إيران عن طريق البحرين في "
      "حالة صحية مستقرة، وأنه ما زال في العزل بالمستشفى. وأضافت أن نتائج فحوص المخالطين "
      "جاءت سلبية حتى الآن، وجددت دعوتها لكل من سافر إلى إيران إلى الإفصاح عن ذلك.",
      3 },
};

/* The tests fix the threshold: they check grouping, not the default's
 * tuning (which bench/story_eval.c measures). */
#define TEST_THRESHOLD 0.3

static void test_options(kh_story_options *o)
{
    kh_story_options_init(o);
    o->threshold = TEST_THRESHOLD;
}

static kh_status parse(const char *date, kh_story_article *a)
{
    a->dated = 0;
    a->time = 0;
    if (!date)
        return KH_OK;
    a->dated = 1;
    return kh_story_parse_date(date, strlen(date), &a->time);
}

/* Fills a from one test article. */
static void to_article(const art *x, kh_story_article *a)
{
    memset(a, 0, sizeof *a);
    a->id = x->id;
    KH_CHECK(parse(x->date, a) == KH_OK);
    a->lang = kh_lang_from_code(x->lang);
    a->title = x->title;
    a->title_len = strlen(x->title);
    a->text = x->text;
    a->text_len = strlen(x->text);
}

/* The event factor kh_story_similarity() gives the pair (x, y). */
static double pair_event_factor(kh_storyer *st, const art *x, const art *y)
{
    kh_story_article a, b;
    kh_story_why why;
    to_article(x, &a);
    to_article(y, &b);
    KH_CHECK(kh_story_similarity(st, &a, &b, &why) == KH_OK);
    return why.event_factor;
}

/* Adds arts[0..n) to st; stories[i] receives the story of arts[i]. */
static kh_status feed(kh_storyer *st, const art *arts, size_t n, uint64_t *stories,
                      int64_t shift)
{
    for (size_t i = 0; i < n; i++) {
        kh_story_article a;
        to_article(&arts[i], &a);
        a.time += shift;
        kh_status rc = kh_story_add(st, &a, &stories[i]);
        if (rc != KH_OK)
            return rc;
    }
    return KH_OK;
}

/* Same event <=> same story, over arts[0..n). */
static int grouping_ok(const art *arts, size_t n, const uint64_t *stories)
{
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if ((arts[i].event == arts[j].event) != (stories[i] == stories[j])) {
                fprintf(stderr, "  %s (story %llu) vs %s (story %llu)\n", arts[i].id,
                        (unsigned long long)stories[i], arts[j].id,
                        (unsigned long long)stories[j]);
                ok = 0;
            }
    return ok;
}

#define N_EN (sizeof english / sizeof english[0])
#define N_AR (sizeof arabic / sizeof arabic[0])

static void test_dates(void)
{
    KH_TEST("parse date");
    int64_t t = -1;
    KH_CHECK(kh_story_parse_date("1970-01-01", 10, &t) == KH_OK && t == 0);
    KH_CHECK(kh_story_parse_date("2016-10-25", 10, &t) == KH_OK && t == 1477353600);
    KH_CHECK(kh_story_parse_date("2016-10-25 00:00:00", 19, &t) == KH_OK && t == 1477353600);
    KH_CHECK(kh_story_parse_date("2016-10-25T13:05:09Z", 20, &t) == KH_OK &&
             t == 1477353600 + 13 * 3600 + 5 * 60 + 9);
    KH_CHECK(kh_story_parse_date("2016-10-25T13:05+02:00", 22, &t) == KH_OK &&
             t == 1477353600 + 11 * 3600 + 5 * 60);
    KH_CHECK(kh_story_parse_date("2024-02-29", 10, &t) == KH_OK);
    KH_CHECK(kh_story_parse_date("2023-02-29", 10, &t) == KH_E_ARG);
    KH_CHECK(kh_story_parse_date("2016-13-01", 10, &t) == KH_E_ARG);
    KH_CHECK(kh_story_parse_date("25/10/2016", 10, &t) == KH_E_ARG);
    KH_CHECK(kh_story_parse_date("2016-10-25 junk", 15, &t) == KH_E_ARG);
    KH_CHECK(kh_story_parse_date("2016-10", 7, &t) == KH_E_ARG);
}

static void test_events(void)
{
    kh_story_options topt;
    test_options(&topt);
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_storyer *st;
    KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);

    KH_TEST("english: one flood, one terminal");
    uint64_t en[N_EN];
    KH_CHECK(feed(st, english, N_EN, en, 0) == KH_OK);
    KH_CHECK(grouping_ok(english, N_EN, en));
    KH_CHECK_INT(en[0], 1);
    KH_CHECK_INT(en[3], 2);

    KH_TEST("arabic: one outbreak, one hospital");
    uint64_t ar[N_AR];
    KH_CHECK(feed(st, arabic, N_AR, ar, 0) == KH_OK);
    KH_CHECK(grouping_ok(arabic, N_AR, ar));
    KH_CHECK(ar[0] != en[0] && ar[0] != en[3]);

    KH_TEST("story accessors");
    kh_story_info info;
    KH_CHECK(kh_story_get(st, en[0], &info) == KH_OK);
    KH_CHECK_INT(info.id, en[0]);
    KH_CHECK_INT(info.n_articles, 4);
    KH_CHECK_INT(info.lang, KH_LANG_EN);
    KH_CHECK(info.dated);
    int64_t t1, t4;
    kh_story_parse_date("2024-11-10T08:00:00Z", 20, &t1);
    kh_story_parse_date("2024-11-12T16:00:00Z", 20, &t4);
    KH_CHECK(info.first == t1 && info.last == t4);
    KH_CHECK_STR(kh_story_article_id(st, en[0], 0), "en-flood-1");
    KH_CHECK_STR(kh_story_article_id(st, en[0], 3), "en-flood-4");
    KH_CHECK(kh_story_article_id(st, en[0], 4) == NULL);
    KH_CHECK(kh_story_get(st, 999, &info) == KH_E_ARG);
    const uint64_t *terms;
    const float *w;
    size_t nt = kh_story_centroid(st, en[0], &terms, &w);
    KH_CHECK(nt > 10 && nt <= 96);
    int sorted = 1;
    for (size_t i = 1; i < nt; i++)
        sorted &= terms[i - 1] < terms[i];
    KH_CHECK(sorted);
    /* The place the story is about is among its terms. */
    uint64_t jeddah = kh_story_term_hash(KH_LANG_EN, "jeddah", 6);
    int found = 0;
    for (size_t i = 0; i < nt; i++)
        found |= terms[i] == jeddah;
    KH_CHECK(found);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

static int why_has(const kh_story_why *w, const char *text)
{
    for (size_t i = 0; i < w->n_terms; i++)
        if (strcmp(w->terms[i].text, text) == 0)
            return 1;
    return 0;
}

static void test_explain(void)
{
    kh_story_options topt;
    test_options(&topt);
    topt.explain = 1;
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_storyer *st;
    KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);
    kh_story_why why;

    KH_TEST("explain: nothing before the first article");
    KH_CHECK(kh_story_why_last(st, &why) == KH_E_ARG);

    KH_TEST("explain: the first article starts a story");
    uint64_t en[N_EN];
    KH_CHECK(feed(st, english, 1, en, 0) == KH_OK);
    KH_CHECK(kh_story_why_last(st, &why) == KH_OK);
    KH_CHECK(why.started && why.story == en[0] && why.nearest == 0 && why.n_terms == 0);

    KH_TEST("explain: a second report joins, on the words they share");
    KH_CHECK(feed(st, english + 1, 1, en + 1, 0) == KH_OK);
    KH_CHECK(kh_story_why_last(st, &why) == KH_OK);
    KH_CHECK(!why.started && why.story == en[0] && en[1] == en[0]);
    KH_CHECK(why.score >= TEST_THRESHOLD && why.score <= why.cosine + 1e-9);
    KH_CHECK(why.time_factor > 0.9 && why.time_factor <= 1.0);
    KH_CHECK(why.n_terms >= 3 && why.n_terms <= KH_STORY_WHY_TERMS);
    KH_CHECK(why_has(&why, "jeddah"));
    double sum = 0;
    int ordered = 1;
    for (size_t i = 0; i < why.n_terms; i++) {
        sum += why.terms[i].share;
        ordered &= i == 0 || why.terms[i - 1].share >= why.terms[i].share;
    }
    KH_CHECK(ordered && sum > 0 && sum <= why.cosine + 1e-9);
    int titled = 0;
    for (size_t i = 0; i < why.n_terms; i++)
        titled |= strcmp(why.terms[i].text, "jeddah") == 0 &&
                  (why.terms[i].kind & KH_STORY_TERM_TITLE);
    KH_CHECK(titled);

    KH_TEST("explain: another event starts a story and names the nearest");
    KH_CHECK(feed(st, english + 2, 2, en + 2, 0) == KH_OK);
    KH_CHECK(kh_story_why_last(st, &why) == KH_OK);
    KH_CHECK(why.started && why.story == en[3] && why.story != en[0]);
    KH_CHECK(why.nearest == en[0] && why.score < TEST_THRESHOLD && why.score > 0);

    KH_TEST("similarity: same event above different events, other language 0");
    kh_story_article a, b, c, d;
    to_article(&english[0], &a);
    to_article(&english[2], &b);
    to_article(&english[3], &c);
    to_article(&arabic[0], &d);
    kh_story_why same, other, lang;
    KH_CHECK(kh_story_similarity(st, &b, &a, &same) == KH_OK);
    KH_CHECK(kh_story_similarity(st, &c, &a, &other) == KH_OK);
    KH_CHECK(kh_story_similarity(st, &d, &a, &lang) == KH_OK);
    KH_CHECK(same.score > other.score && same.score >= TEST_THRESHOLD);
    KH_CHECK(lang.score == 0 && lang.n_terms == 0);
    KH_CHECK(why_has(&same, "rescu") || why_has(&same, "drainag") || why_has(&same, "212"));
    KH_CHECK(same.story == 0 && !same.started);
    KH_TEST("similarity: counts nothing");
    uint64_t before = kh_story_count(st);
    kh_story_why again;
    KH_CHECK(kh_story_similarity(st, &b, &a, &again) == KH_OK);
    KH_CHECK(again.score == same.score && kh_story_count(st) == before);
    KH_CHECK(kh_story_similarity(st, NULL, &a, &again) == KH_E_ARG);
    kh_storyer_free(st);

    KH_TEST("explain: off by default");
    KH_CHECK(kh_storyer_create(ctx, NULL, &st) == KH_OK);
    KH_CHECK(feed(st, english, 2, en, 0) == KH_OK);
    KH_CHECK(kh_story_why_last(st, &why) == KH_E_ARG);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

/* Recurring reports: one template, another day's figures. Two outlets tell
 * Sunday's market close in their own words with the same figures; Monday's
 * close is written like them but leads with other numbers. Then Spanish
 * reports that date themselves: two of the toll of 13 February, one of the
 * toll of 12 March that reads much the same. */
static const art recurring[] = {
    { "ar-close-sun-1", "2015-08-02T16:00:00Z", "ar",
      "مؤشر الأسهم السعودية يغلق على تراجع حاد بنسبة 3.2%",
      "أغلق المؤشر العام لسوق الأسهم السعودية جلسة اليوم الأحد متراجعا 291 نقطة بنسبة 3.2% "
      "عند مستوى 8807 نقاط، بتداولات بلغت قيمتها 5.3 مليار ريال. وتراجعت أسهم قطاع "
      "البتروكيماويات وقطاع المصارف، فيما كسر المؤشر حاجز تسعة آلاف نقطة للمرة الأولى منذ "
      "أشهر وسط تراجع أسعار النفط.",
      5 },
    { "ar-close-sun-2", "2015-08-02T17:30:00Z", "ar",
      "الأسهم السعودية تفقد 291 نقطة وتكسر حاجز 9 آلاف",
      "تراجع مؤشر سوق الأسهم السعودية في ختام تداولات الأحد 291 نقطة أو 3.2% ليغلق عند 8807 "
      "نقاط، وبلغت قيمة التداولات 5.3 مليار ريال. وضغطت أسهم البتروكيماويات والمصارف على "
      "المؤشر الذي كسر حاجز تسعة آلاف نقطة مع تراجع أسعار النفط.",
      5 },
    { "ar-close-mon", "2015-08-03T15:45:00Z", "ar",
      "الأسهم السعودية تنهي تعاملات الاثنين على مكاسب محدودة",
      "أنهت سوق الأسهم السعودية تعاملات الاثنين على ارتفاع 13 نقطة بنسبة 0.15% ليستقر "
      "المؤشر العام عند 8820 نقطة، وبلغت قيمة التداولات 4.6 مليار ريال. وقادت أسهم المصارف "
      "الارتفاع بدعم من نتائج الربع الثاني، بينما تذبذبت أسهم البتروكيماويات مع استقرار "
      "أسعار النفط، وبقي المؤشر دون حاجز تسعة آلاف نقطة.",
      6 },
    { "es-toll-feb-1", NULL, "es", "China eleva el balance de muertos por el coronavirus",
      "Las autoridades sanitarias de China informaron el 13 de febrero de un nuevo balance de "
      "muertos por el coronavirus en la provincia de Hubei, donde la ciudad de Wuhan sigue "
      "aislada. La Comisión Nacional de Salud dijo que los hospitales de la provincia reciben "
      "cada día a miles de pacientes y que el brote aún no ha tocado techo.",
      7 },
    { "es-toll-feb-2", NULL, "es", "Hubei registra un nuevo récord de muertos por el coronavirus",
      "La provincia china de Hubei registró el 13 de febrero un nuevo récord de muertos por el "
      "coronavirus, según la Comisión Nacional de Salud. Wuhan, la capital provincial, sigue "
      "aislada y sus hospitales reciben a miles de pacientes cada día mientras el brote "
      "continúa.",
      7 },
    { "es-toll-mar", NULL, "es", "China da por contenido el brote aunque suma nuevos muertos",
      "China informó el 12 de marzo de nuevos muertos por el coronavirus, aunque los contagios "
      "diarios siguen bajando. En Wuhan han empezado a cerrar los hospitales de campaña y el "
      "gobierno prepara la vuelta al trabajo en las fábricas y la reapertura de las escuelas.",
      8 },
};
#define N_RECURRING (sizeof recurring / sizeof recurring[0])

/* Texts that disagree on what they report (other key numbers, other dated
 * months) keep 0.6 of their score for each disagreement; texts that agree
 * keep all of it. The why says so, and its JSON carries the factor. */
static void test_event_evidence(void)
{
    kh_story_options topt;
    test_options(&topt);
    topt.explain = 1;
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_storyer *st;
    KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);
    uint64_t s[N_RECURRING];
    kh_story_why why;

    KH_TEST("evidence: two outlets' reports of one close share a story");
    KH_CHECK(feed(st, recurring, 2, s, 0) == KH_OK);
    KH_CHECK(kh_story_why_last(st, &why) == KH_OK);
    KH_CHECK(s[1] == s[0] && !why.started && why.event_factor == 1.0);

    KH_TEST("evidence: the next day's close, other figures, starts its own story");
    KH_CHECK(feed(st, recurring + 2, 1, s + 2, 0) == KH_OK);
    KH_CHECK(kh_story_why_last(st, &why) == KH_OK);
    KH_CHECK(s[2] != s[0] && why.started && why.nearest == s[0]);
    KH_CHECK(fabs(why.event_factor - 0.6) < 1e-9);
    /* the words alone would have joined it: the numbers made the difference */
    KH_CHECK(why.cosine * why.time_factor >= TEST_THRESHOLD);
    KH_CHECK(fabs(why.score - why.cosine * why.time_factor * why.event_factor) < 1e-9);

    KH_TEST("evidence: the why's JSON carries the factor, and reads back");
    kh_buf json;
    kh_buf_init(&json, ctx, 0);
    KH_CHECK(kh_story_why_json(&why, "ar-close-mon", &json) == KH_OK);
    KH_CHECK(json.data && strstr(json.data, "\"event_factor\": 0.6000") != NULL);
    kh_story_why back;
    KH_CHECK(kh_story_why_parse(ctx, json.data, json.len, &back) == KH_OK);
    KH_CHECK(fabs(back.event_factor - 0.6) < 1e-9);
    kh_buf_free(&json);

    KH_TEST("evidence: reports dated the same day share a story");
    KH_CHECK(feed(st, recurring + 3, 2, s + 3, 0) == KH_OK);
    KH_CHECK(kh_story_why_last(st, &why) == KH_OK);
    KH_CHECK(s[4] == s[3] && why.event_factor == 1.0);

    KH_TEST("evidence: a report dated another month starts its own story");
    KH_CHECK(feed(st, recurring + 5, 1, s + 5, 0) == KH_OK);
    KH_CHECK(kh_story_why_last(st, &why) == KH_OK);
    KH_CHECK(s[5] != s[3] && why.started && why.nearest == s[3]);
    KH_CHECK(fabs(why.event_factor - 0.6) < 1e-9);
    KH_CHECK(why.cosine * why.time_factor >= TEST_THRESHOLD);
    KH_CHECK(grouping_ok(recurring, N_RECURRING, s));

    KH_TEST("evidence: the pair score weighs it too");
    KH_CHECK(fabs(pair_event_factor(st, &recurring[5], &recurring[3]) - 0.6) < 1e-9);
    KH_CHECK(pair_event_factor(st, &recurring[4], &recurring[3]) == 1.0);

    /* Saudi outlets date by the Hijri calendar, the month written after the
     * day and often with a prefix; the Gregorian date in the same text is
     * another calendar and neither agrees nor disagrees with it. */
    KH_TEST("evidence: Hijri months, as written, and calendars apart");
    static const art hijri[] = {
        { "ar-rain-shawwal", NULL, "ar", "أمطار غزيرة على جازان",
          "هطلت أمطار غزيرة على جازان مساء السبت 17 شوال، وباشرت فرق الدفاع المدني بلاغات "
          "عن احتجاز سيارات في الأودية.", 0 },
        { "ar-rain-ramadan", NULL, "ar", "أمطار غزيرة على جازان",
          "هطلت أمطار غزيرة على جازان مساء الأحد 18 رمضان، وباشرت فرق الدفاع المدني بلاغات "
          "عن احتجاز سيارات في الأودية.", 0 },
        { "ar-rain-shawwal-2", NULL, "ar", "سيول في أودية جازان",
          "شهدت جازان يوم 17 من شوال أمطارا غزيرة جرفت سيارات في الأودية بحسب الدفاع المدني.",
          0 },
        { "ar-rain-august", NULL, "ar", "أمطار غزيرة على جازان",
          "هطلت أمطار غزيرة على جازان مساء السبت 1 أغسطس، وباشرت فرق الدفاع المدني بلاغات "
          "عن احتجاز سيارات في الأودية.", 0 },
    };
    KH_CHECK(fabs(pair_event_factor(st, &hijri[1], &hijri[0]) - 0.6) < 1e-9);
    KH_CHECK(pair_event_factor(st, &hijri[2], &hijri[0]) == 1.0);
    KH_CHECK(pair_event_factor(st, &hijri[3], &hijri[0]) == 1.0);

    KH_TEST("evidence: a one-digit day dates a report too");
    static const art days[] = {
        { "es-strike-april", NULL, "es", "Huelga de transportistas en Buenos Aires",
          "Los camioneros pararon el 8 de abril en Buenos Aires y cortaron los accesos al "
          "puerto durante toda la jornada.", 0 },
        { "es-strike-may", NULL, "es", "Huelga de transportistas en Buenos Aires",
          "Los camioneros pararon el 6 de mayo en Buenos Aires y cortaron los accesos al "
          "puerto durante toda la jornada.", 0 },
        { "es-strike-april-2", NULL, "es", "Paro de camioneros corta el puerto",
          "El paro de los camioneros del 8 de abril cortó los accesos al puerto de Buenos "
          "Aires.", 0 },
    };
    KH_CHECK(fabs(pair_event_factor(st, &days[1], &days[0]) - 0.6) < 1e-9);
    KH_CHECK(pair_event_factor(st, &days[2], &days[0]) == 1.0);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

/* One player's match, his hospital visit the same evening, and another
 * report of the match. The match and the visit share his name (in both
 * titles, four and two times in the bodies), the club and the capital,
 * and little else. */
static const art one_name[] = {
    { "en-match-1", "2024-03-05T20:00:00Z", "en",
      "Ronaldo scores twice as Al Nassr beat Al Taawoun",
      "Cristiano Ronaldo scored twice in the second half as Al Nassr came from behind to beat "
      "Al Taawoun 3-1 in Buraidah on Monday night. The visitors had led through an early "
      "header from a corner, but Ronaldo levelled with a free kick and then converted a "
      "penalty after a handball. Sadio Mane added a third in stoppage time. The win lifts "
      "the club to second in the table, four points behind the leaders, and Ronaldo thanked "
      "the fans who travelled from Riyadh. The coach praised his players for their patience. "
      "Ronaldo has now scored in six league games in a row.",
      1 },
    { "en-hospital-visit", "2024-03-05T21:00:00Z", "en",
      "Ronaldo visits children's cancer ward in Riyadh",
      "Cristiano Ronaldo and his Al Nassr teammates spent the afternoon with young patients at "
      "the oncology department of King Fahad Medical City in Riyadh, handing out signed shirts "
      "and posing for photos with families. Doctors said the visit lifted the spirits of "
      "children undergoing long treatment, and nurses organised a small party in the playroom. "
      "Ronaldo promised to return after the season and said the hospital's staff were doing "
      "remarkable work. The charity that arranged the visit plans to open a new wing next year.",
      2 },
    { "en-match-2", "2024-03-05T21:30:00Z", "en",
      "Ronaldo double sends Al Nassr second",
      "Al Nassr beat Al Taawoun 3-1 in Buraidah on Monday, with Cristiano Ronaldo scoring from "
      "a free kick and a penalty after the hosts had taken an early lead from a corner header. "
      "Sadio Mane scored the third in stoppage time, and the club moved to second in the table.",
      1 },
};

#define N_ONE_NAME (sizeof one_name / sizeof one_name[0])

/* A name both texts lean on is a strong term, not the whole pair: its part
 * of the cosine is capped by the shorter text's length. */
static void test_one_name(void)
{
    kh_story_options topt;
    test_options(&topt);
    topt.explain = 1;
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_storyer *st;
    KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);
    uint64_t s[N_ONE_NAME];
    kh_story_why why;

    KH_TEST("one name: the same player's hospital visit starts its own story");
    KH_CHECK(feed(st, one_name, 2, s, 0) == KH_OK);
    KH_CHECK(kh_story_why_last(st, &why) == KH_OK);
    KH_CHECK(s[1] != s[0] && why.started && why.nearest == s[0]);

    KH_TEST("one name: another report of the match joins the match");
    KH_CHECK(feed(st, one_name + 2, 1, s + 2, 0) == KH_OK);
    KH_CHECK(s[2] == s[0]);
    KH_CHECK(grouping_ok(one_name, N_ONE_NAME, s));

    KH_TEST("one name: the name leads the shared terms, below the threshold");
    kh_story_article a, b;
    to_article(&one_name[0], &a);
    to_article(&one_name[1], &b);
    KH_CHECK(kh_story_similarity(st, &b, &a, &why) == KH_OK);
    KH_CHECK(why.n_terms >= 2 && strcmp(why.terms[0].text, "ronaldo") == 0);
    KH_CHECK(why.score > 0 && why.score < TEST_THRESHOLD);
    double sum = 0;
    for (size_t i = 0; i < why.n_terms; i++)
        sum += why.terms[i].share;
    KH_CHECK(sum <= why.cosine + 1e-9);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

/* Turkish writes a proper name's case ending after an apostrophe
 * (Fındık'ın, Ankara'da), and Snowball's Turkish stemmer leaves one letter
 * of some words (Fındık -> f): the name is kept as written, the ending is
 * no term. */
static void test_turkish(void)
{
    static const art dog[] = {
        { "tr-dog-1", "2020-05-12T09:00:00Z", "tr", "Okulun maskotu Fındık hayatını kaybetti",
          "Tokat'ın Turhal ilçesindeki Kayacık köyü ilkokulunun maskotu olan köpek Fındık, "
          "Ankara'da tedavi gördüğü klinikte hayatını kaybetti. Öğrenciler Fındık için okulun "
          "bahçesinde bir anma töreni düzenledi.", 1 },
        { "tr-dog-2", "2020-05-12T11:00:00Z", "tr", "Fındık'ın ölümü öğrencileri yasa boğdu",
          "Turhal'daki Kayacık ilkokulunun sevilen köpeği Fındık, ölümcül hastalığa yenik düştü. "
          "Okul müdürü, Fındık'ın son günlerini Ankara'daki klinikte geçirdiğini söyledi.", 1 },
    };
    kh_story_options topt;
    test_options(&topt);
    topt.explain = 1;
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_storyer *st;
    KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);

    KH_TEST("turkish: a name the stemmer would cut to one letter is a term");
    kh_story_article a, b;
    kh_story_why why;
    to_article(&dog[1], &a);
    to_article(&dog[0], &b);
    KH_CHECK(kh_story_similarity(st, &a, &b, &why) == KH_OK);
    KH_CHECK(why_has(&why, "fındık"));

    KH_TEST("turkish: a case ending after an apostrophe is no term");
    int endings = 0;
    for (size_t i = 0; i < why.n_terms; i++)
        endings += strcmp(why.terms[i].text, "ın") == 0 || strcmp(why.terms[i].text, "da") == 0 ||
                   strcmp(why.terms[i].text, "daki") == 0;
    KH_CHECK_INT(endings, 0);

    KH_TEST("turkish: the two reports share a story");
    uint64_t s[2];
    KH_CHECK(feed(st, dog, 2, s, 0) == KH_OK);
    KH_CHECK(s[0] == s[1]);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

/* A mayor's two happenings of one day, in Turkish: his office before his
 * name in every sentence that names him. */
static const art mayor[] = {
    { "tr-mayor-visit", "2020-04-20T09:00:00Z", "tr", "Başkan Ataç, Muşlu heyeti ağırladı",
      "Tepebaşı Belediye Başkanı Ahmet Ataç, Muş'tan gelen iş insanlarından oluşan heyeti "
      "makamında ağırladı. Başkan Ataç, konuklara ilçede yürütülen kent tarımı projelerini "
      "anlattı. Heyet adına konuşan Mehmet Demir, Muş ile Eskişehir arasında ticaretin "
      "artmasını istediklerini söyledi. Ziyarette tarım kooperatiflerinin ürünlerini "
      "birlikte pazarlama fikri ve iki kent arasında düzenlenecek fuar da konuşuldu; heyet "
      "daha sonra Organize Sanayi Bölgesi'ndeki fabrikaları gezdi.", 1 },
    { "tr-mayor-park", "2020-04-20T15:00:00Z", "tr", "Başkan Ataç yeni parkı hizmete açtı",
      "Tepebaşı Belediye Başkanı Ahmet Ataç, Hoşnudiye Mahallesi'nde yapımı tamamlanan "
      "çocuk parkını hizmete açtı. Açılışta konuşan Başkan Ataç, parkta oyun alanları, "
      "yürüyüş yolu ve spor aletleri bulunduğunu belirtti. Mahalle sakinleri parkın "
      "açılmasından memnun olduklarını dile getirdi. Parkın bakımını belediyenin park ve "
      "bahçeler ekiplerinin üstleneceği, gece aydınlatması ve güvenlik kameralarının da "
      "önümüzdeki hafta kurulacağı açıklandı.", 2 },
};

/* An office written before a name is no name, as in Arabic. */
static void test_office_titles(void)
{
    kh_story_options topt;
    test_options(&topt);
    topt.explain = 1;
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_storyer *st;
    KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);
    kh_story_why why;
    kh_story_article a, b;
    to_article(&mayor[1], &a);
    to_article(&mayor[0], &b);
    KH_CHECK(kh_story_similarity(st, &a, &b, &why) == KH_OK);

    KH_TEST("offices: the name is a name, the office before it is not");
    int name = 0, office = 0;
    for (size_t i = 0; i < why.n_terms; i++) {
        const kh_story_why_term *t = &why.terms[i];
        name |= strcmp(t->text, "atac") == 0 && (t->kind & KH_STORY_TERM_NAME);
        office |= strncmp(t->text, "baska", 5) == 0 && (t->kind & KH_STORY_TERM_NAME);
    }
    KH_CHECK(name);
    KH_CHECK(!office);

    KH_TEST("offices: the mayor's visit and his park are two stories");
    uint64_t s[2];
    KH_CHECK(feed(st, mayor, 2, s, 0) == KH_OK);
    KH_CHECK(grouping_ok(mayor, 2, s));
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

/* With no dates at all, the input order is the clock: a story that gets
 * nothing for a window's worth of undated articles closes. */
static void test_undated_order_clock(void)
{
    art undated[2 + N_AR + 1];
    undated[0] = english[0];
    for (size_t i = 0; i < N_AR; i++)
        undated[1 + i] = arabic[i];
    undated[1 + N_AR] = english[3];
    undated[2 + N_AR] = english[1];
    for (size_t i = 0; i < sizeof undated / sizeof undated[0]; i++)
        undated[i].date = NULL;
    size_t n = sizeof undated / sizeof undated[0];
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    for (int step = 0; step <= 1; step++) {
        KH_TEST(step ? "undated: the input order closes stories" : "undated: no order clock");
        kh_story_options o;
        test_options(&o);
        o.window = 4;
        o.max_span = 0;
        o.undated_step = step;
        kh_storyer *st;
        KH_CHECK(kh_storyer_create(ctx, &o, &st) == KH_OK);
        uint64_t stories[sizeof undated / sizeof undated[0]];
        KH_CHECK(feed(st, undated, n, stories, 0) == KH_OK);
        /* the second flood report comes 5 undated articles after the first */
        KH_CHECK(step ? stories[n - 1] != stories[0] : stories[n - 1] == stories[0]);
        kh_story_info info;
        KH_CHECK(kh_story_get(st, stories[0], &info) == KH_OK);
        KH_CHECK(!info.dated && info.open == !step);
        kh_storyer_free(st);
    }
    kh_ctx_free(ctx);
}

static int closed_count;
static void on_close(void *user, const kh_storyer *st, uint64_t id)
{
    kh_story_info info;
    (void)user;
    if (kh_story_get(st, id, &info) == KH_OK && kh_story_article_id(st, id, 0))
        closed_count++;
}

static void test_window(void)
{
    KH_TEST("window: a story closes after 72 h without articles");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_story_options o;
    test_options(&o);
    o.on_close = on_close;
    kh_storyer *st;
    KH_CHECK(kh_storyer_create(ctx, &o, &st) == KH_OK);
    uint64_t a[3], b[3];
    KH_CHECK(feed(st, english, 3, a, 0) == KH_OK);
    KH_CHECK(a[0] == a[1] && a[1] == a[2]);
    /* The same reports five days later: a new story. */
    closed_count = 0;
    KH_CHECK(feed(st, english, 3, b, 5 * DAY) == KH_OK);
    KH_CHECK(b[0] == b[1] && b[1] == b[2]);
    KH_CHECK(b[0] != a[0]);
    KH_CHECK_INT(closed_count, 1);
    kh_story_info info;
    KH_CHECK(kh_story_get(st, a[0], &info) == KH_OK);
    KH_CHECK(!info.open && info.n_articles == 3);
    KH_CHECK_STR(kh_story_article_id(st, a[0], 2), "en-flood-3");
    KH_CHECK(kh_story_get(st, b[0], &info) == KH_OK && info.open);
    kh_story_flush(st);
    KH_CHECK_INT(closed_count, 2);
    KH_CHECK(kh_story_get(st, b[0], &info) == KH_OK && !info.open);
    kh_storyer_free(st);

    KH_TEST("window: a shorter window splits the flood");
    test_options(&o);
    o.window = 12 * 3600;
    KH_CHECK(kh_storyer_create(ctx, &o, &st) == KH_OK);
    uint64_t en[N_EN];
    KH_CHECK(feed(st, english, N_EN, en, 0) == KH_OK);
    KH_CHECK(en[0] == en[1]);
    KH_CHECK(en[2] != en[1]); /* 18 h 45 after the last report */
    kh_storyer_free(st);

    KH_TEST("max_span: a story closes a span after its first article");
    test_options(&o);
    o.max_span = DAY;
    KH_CHECK(kh_storyer_create(ctx, &o, &st) == KH_OK);
    KH_CHECK(feed(st, english, 3, a, 0) == KH_OK);
    KH_CHECK(a[0] == a[1]);
    KH_CHECK(a[2] != a[1]); /* 25 h 15 after the story's first report */
    KH_CHECK(kh_story_get(st, a[0], &info) == KH_OK && !info.open && info.n_articles == 2);
    kh_storyer_free(st);
    test_options(&o);
    o.max_span = -1;
    KH_CHECK(kh_storyer_create(ctx, &o, &st) == KH_E_ARG);

    KH_TEST("window: released stories (keep_closed 0)");
    test_options(&o);
    o.keep_closed = 0;
    o.on_close = on_close; /* it reads each story as it is released */
    closed_count = 0;
    KH_CHECK(kh_storyer_create(ctx, &o, &st) == KH_OK);
    KH_CHECK(feed(st, english, 3, a, 0) == KH_OK);
    KH_CHECK(feed(st, english, 3, b, 5 * DAY) == KH_OK);
    KH_CHECK_INT(closed_count, 1);
    KH_CHECK(kh_story_get(st, a[0], &info) == KH_E_ARG);
    KH_CHECK(kh_story_article_id(st, a[0], 0) == NULL);
    KH_CHECK(kh_story_get(st, b[0], &info) == KH_OK && info.n_articles == 3);
    kh_story_flush(st);
    KH_CHECK_INT(closed_count, 2);
    KH_CHECK(kh_story_get(st, b[0], &info) == KH_E_ARG);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

static void test_languages(void)
{
    kh_story_options topt;
    test_options(&topt);
    KH_TEST("languages never share a story");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_storyer *st;
    KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);
    uint64_t en[2], fr[2];
    KH_CHECK(feed(st, english, 2, en, 0) == KH_OK);
    /* The same words tagged French (a mislabelled feed): a story of its own. */
    art copy[2];
    memcpy(copy, english, sizeof copy);
    copy[0].id = "fr-1";
    copy[1].id = "fr-2";
    copy[0].lang = copy[1].lang = "fr";
    KH_CHECK(feed(st, copy, 2, fr, 0) == KH_OK);
    KH_CHECK(en[0] == en[1] && fr[0] == fr[1]);
    KH_CHECK(fr[0] != en[0]);
    kh_story_info info;
    KH_CHECK(kh_story_get(st, fr[0], &info) == KH_OK && info.lang == KH_LANG_FR);

    KH_TEST("unknown language is detected");
    kh_story_article a;
    memset(&a, 0, sizeof a);
    a.id = "ar-undetected";
    a.dated = 1;
    a.time = 0;
    a.text = arabic[0].text;
    a.text_len = strlen(a.text);
    uint64_t s;
    KH_CHECK(kh_story_add(st, &a, &s) == KH_OK);
    KH_CHECK(kh_story_get(st, s, &info) == KH_OK && info.lang == KH_LANG_AR);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

static void test_copies_and_undated(void)
{
    kh_story_options topt;
    test_options(&topt);
    KH_TEST("a copy joins its original's story");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    kh_storyer *st;
    KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);
    uint64_t en[N_EN];
    KH_CHECK(feed(st, english, N_EN, en, 0) == KH_OK);
    kh_story_article a;
    memset(&a, 0, sizeof a);
    a.id = "copy-of-terminal";
    a.lang = KH_LANG_EN;
    a.title = "Syndicated";
    a.title_len = strlen(a.title);
    a.copy_of = "en-terminal";
    uint64_t s;
    KH_CHECK(kh_story_add(st, &a, &s) == KH_OK);
    KH_CHECK_INT(s, en[3]);
    kh_story_info info;
    KH_CHECK(kh_story_get(st, s, &info) == KH_OK && info.n_articles == 2);
    /* Undated: takes the time of the latest dated article. */
    KH_CHECK(info.last == info.first);
    a.copy_of = "no-such-article";
    a.id = "orphan";
    KH_CHECK(kh_story_add(st, &a, &s) == KH_OK);
    KH_CHECK(s != en[3] && s != en[0]);
    KH_CHECK(kh_story_add(st, &(kh_story_article){ 0 }, &s) == KH_E_ARG);

    KH_TEST("an estimated time places an article but is not reported as a date");
    kh_story_info before;
    KH_CHECK(kh_story_get(st, en[0], &before) == KH_OK);
    a.id = "estimated-flood";
    a.title = english[1].title;
    a.title_len = strlen(a.title);
    a.text = english[1].text;
    a.text_len = strlen(a.text);
    a.copy_of = NULL;
    a.dated = KH_STORY_TIME_ESTIMATED;
    a.time = before.last + 1;
    KH_CHECK(kh_story_add(st, &a, &s) == KH_OK);
    KH_CHECK_INT(s, en[0]);
    KH_CHECK(kh_story_get(st, s, &info) == KH_OK);
    KH_CHECK_INT(info.n_articles, before.n_articles + 1);
    KH_CHECK(info.dated && info.first == before.first && info.last == before.last);
    a.id = "estimated-alone";
    a.title = "Chess olympiad opens with record entry";
    a.title_len = strlen(a.title);
    a.text = "A record number of national teams registered for the chess olympiad, the "
             "organisers said as the first round began on Sunday.";
    a.text_len = strlen(a.text);
    KH_CHECK(kh_story_add(st, &a, &s) == KH_OK);
    KH_CHECK(s != en[0] && s != en[3]);
    KH_CHECK(kh_story_get(st, s, &info) == KH_OK && !info.dated);
    a.id = "dated-after";
    a.dated = 1;
    a.time = before.last + 7200;
    a.title = "Chess olympiad: record entry of national teams";
    a.title_len = strlen(a.title);
    uint64_t s2;
    KH_CHECK(kh_story_add(st, &a, &s2) == KH_OK);
    KH_CHECK_INT(s2, s);
    KH_CHECK(kh_story_get(st, s, &info) == KH_OK && info.dated &&
             info.first == a.time && info.last == a.time);
    kh_storyer_free(st);

    KH_TEST("undated articles before any date");
    KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);
    art und[N_AR];
    memcpy(und, arabic, sizeof und);
    for (size_t i = 0; i < N_AR; i++)
        und[i].date = NULL;
    uint64_t ar[N_AR];
    KH_CHECK(feed(st, und, N_AR, ar, 0) == KH_OK);
    KH_CHECK(grouping_ok(arabic, N_AR, ar));
    KH_CHECK(kh_story_get(st, ar[0], &info) == KH_OK && !info.dated && info.open);
    kh_storyer_free(st);

    KH_TEST("options out of range");
    kh_story_options o;
    test_options(&o);
    o.window = 0;
    st = (kh_storyer *)&o;
    KH_CHECK(kh_storyer_create(ctx, &o, &st) == KH_E_ARG && st == NULL);
    test_options(&o);
    o.threshold = 1.5;
    KH_CHECK(kh_storyer_create(ctx, &o, &st) == KH_E_ARG);
    kh_storyer_free(NULL);
    kh_ctx_free(ctx);
}

static void test_determinism(void)
{
    kh_story_options topt;
    test_options(&topt);
    KH_TEST("same input, same stories");
    kh_ctx *ctx;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    uint64_t runs[2][N_EN + N_AR];
    for (int r = 0; r < 2; r++) {
        kh_storyer *st;
        KH_CHECK(kh_storyer_create(ctx, &topt, &st) == KH_OK);
        KH_CHECK(feed(st, arabic, N_AR, runs[r], 0) == KH_OK);
        KH_CHECK(feed(st, english, N_EN, runs[r] + N_AR, 0) == KH_OK);
        kh_storyer_free(st);
    }
    KH_CHECK(memcmp(runs[0], runs[1], sizeof runs[0]) == 0);
    kh_ctx_free(ctx);
}

/* Fails each allocation in turn; every run ends with the right stories or
 * a clean KH_E_NOMEM, and nothing leaks. */
static void test_nomem(void)
{
    KH_TEST("allocation failure");
    int clean = 1, succeeded = 0;
    for (long n = 1; n < 5000 && !succeeded; n++) {
        kh_test_alloc ta = { 0, n, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) {
            clean &= ta.live == 0;
            continue;
        }
        kh_story_options o;
        test_options(&o);
        o.df_capacity = 1024; /* small: decay runs too */
        kh_storyer *st;
        kh_status rc = kh_storyer_create(ctx, &o, &st);
        if (rc == KH_OK) {
            uint64_t en[N_EN], ar[N_AR];
            rc = feed(st, english, N_EN, en, 0);
            if (rc == KH_OK)
                rc = feed(st, arabic, N_AR, ar, 0);
            if (rc == KH_OK) {
                succeeded = 1;
                KH_CHECK(grouping_ok(english, N_EN, en));
                KH_CHECK(grouping_ok(arabic, N_AR, ar));
            }
            kh_story_flush(st);
            kh_storyer_free(st);
        }
        clean &= rc == KH_OK || rc == KH_E_NOMEM;
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
    KH_CHECK(succeeded);
}

int main(void)
{
    test_dates();
    test_events();
    test_explain();
    test_event_evidence();
    test_one_name();
    test_undated_order_clock();
    test_window();
    test_languages();
    test_turkish();
    test_office_titles();
    test_copies_and_undated();
    test_determinism();
    test_nomem();
    return kh_test_report("test_story");
}
