/*
 * test_clean.c — the cleaner: dates in every naming system, titles, sources,
 * datelines, HTML (broken markup included), pages with nothing to find,
 * repetition across pages, the seed pages against their truth, and
 * allocation failure on purpose.
 */
#include "kh_internal.h"
#include "testhelp.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

static kh_doc *make_doc(kh_ctx *ctx, const char *content, kh_content kind)
{
    return kh_test_doc(ctx, "mem", content, kind);
}

/* ---- dates ------------------------------------------------------------- */

static void test_dates(void)
{
    static const struct { const char *text, *ref, *want; } cases[] = {
        /* ISO and numeric */
        { "2016-10-25 00:00:00 - المصدر: قناة الحرة", NULL, "2016-10-25" },
        { "2016-10-25T18:07:00Z", NULL, "2016-10-25T18:07" },
        { "نشر في 25/10/2016 الساعة 14:30", NULL, "2016-10-25T14:30" },
        { "25.10.2016", NULL, "2016-10-25" },
        { "25-10-2016", NULL, "2016-10-25" },
        { "10/25/2016", NULL, "2016-10-25" },
        { "2016/10/25", NULL, "2016-10-25" },
        /* Egyptian / Gulf */
        { "الثلاثاء 25 أكتوبر 2016", NULL, "2016-10-25" },
        { "3 إبريل 2017", NULL, "2017-04-03" },
        { "١٥ أغسطس ٢٠١٩", NULL, "2019-08-15" },
        { "7 يونيه 2015", NULL, "2015-06-07" },
        /* Levantine / Iraqi */
        { "25 تشرين الأول 2016", NULL, "2016-10-25" },
        { "الثلاثاء 25 تشرين الأول/أكتوبر 2016", NULL, "2016-10-25" },
        { "1 كانون الثاني 2020", NULL, "2020-01-01" },
        { "31 كانون الأول 2019", NULL, "2019-12-31" },
        { "12 آذار 2018", NULL, "2018-03-12" },
        { "9 آب 2014", NULL, "2014-08-09" },
        { "2 شباط 2012", NULL, "2012-02-02" },
        { "20 أيلول 2013", NULL, "2013-09-20" },
        /* Maghrebi */
        { "5 جويلية 2017", NULL, "2017-07-05" },
        { "14 جانفي 2011", NULL, "2011-01-14" },
        { "2 فيفري 2018", NULL, "2018-02-02" },
        { "1 أوت 2019", NULL, "2019-08-01" },
        { "9 أفريل 2016", NULL, "2016-04-09" },
        /* Moroccan */
        { "12 دجنبر 2019", NULL, "2019-12-12" },
        { "30 شتنبر 2020", NULL, "2020-09-30" },
        { "8 غشت 2021", NULL, "2021-08-08" },
        { "1 يوليوز 2011", NULL, "2011-07-01" },
        { "3 نونبر 2015", NULL, "2015-11-03" },
        { "10 ينير 2022", NULL, "2022-01-10" },
        /* English, French */
        { "October 25, 2016", NULL, "2016-10-25" },
        { "Tue 25 Oct 2016 18:07", NULL, "2016-10-25T18:07" },
        { "Published: Sept. 3, 2019", NULL, "2019-09-03" },
        { "le 1er décembre 2016 à 14h30", NULL, "2016-12-01T14:30" },
        { "mardi 25 octobre 2016", NULL, "2016-10-25" },
        /* German, Spanish, Italian, Portuguese, Dutch */
        { "Veröffentlicht am 19. Februar 2020, 14:05 Uhr", NULL, "2020-02-19T14:05" },
        { "3. März 2019", NULL, "2019-03-03" },
        { "Wien, 7. Jänner 2021", NULL, "2021-01-07" },
        { "19 de febrero de 2020", NULL, "2020-02-19" },
        { "1 de septiembre del 2018", NULL, "2018-09-01" },
        { "12 maggio 2017", NULL, "2017-05-12" },
        { "5 de março de 2016", NULL, "2016-03-05" },
        { "14 maart 2015", NULL, "2015-03-14" },
        /* Hijri: tabular calendar */
        { "1 محرم 1438 هـ", NULL, "2016-10-03" },
        { "الجمعة 25 ذو الحجة 1437", NULL, "2016-09-28" },
        /* 12-hour clocks; a Hijri date printed beside the civil one */
        { "الأربعاء 25 يونيو 2025 - 01:35 م", NULL, "2025-06-25T13:35" },
        { "Published: July 2, 2025 07:55 PM | Updated: 1 hour ago", NULL, "2025-07-02T19:55" },
        { "12:30 AM, March 3, 2024", NULL, "2024-03-03" },
        { "الخميس ٨ محرم ١٤٤٧ هـ - ٣ يوليو ٢٠٢٥ م", NULL, "2025-07-03" },
        /* relative, against a fetch date */
        { "منذ ساعتين", "2016-10-26T10:00", "2016-10-26" },
        { "منذ 3 أيام", "2016-10-26", "2016-10-23" },
        { "أمس", "2016-10-26", "2016-10-25" },
        { "2 hours ago", "2016-10-26T01:00", "2016-10-25" },
        { "yesterday", "2016-03-01", "2016-02-29" },
        { "il y a 3 jours", "2016-10-26", "2016-10-23" },
    };
    char out[KH_DATE_ISO_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        KH_TEST(cases[i].text);
        kh_status rc = kh_date_parse(cases[i].text, strlen(cases[i].text), cases[i].ref, out, sizeof out);
        KH_CHECK_INT(rc, KH_OK);
        KH_CHECK_STR(rc == KH_OK ? out : "(none)", cases[i].want);
    }
    static const char *const none[] = {
        "آخر تحديث GMT 11:34:37", "32 أكتوبر 2016", "30 فبراير 2016", "منذ ساعتين",
        "يوم الأربعاء", "في عام 2014", "13/13/2016", "", "25 أكتوبر", "1 محرم 2016",
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        KH_TEST(none[i]);
        KH_CHECK_INT(kh_date_parse(none[i], strlen(none[i]), NULL, out, sizeof out), KH_E_FORMAT);
    }
    KH_TEST("date args");
    KH_CHECK_INT(kh_date_parse("2016-10-25", 10, NULL, out, 5), KH_E_ARG);
    /* Not NUL-terminated: only text_len bytes are read. */
    KH_CHECK_INT(kh_date_parse("2016-10-25", 7, NULL, out, sizeof out), KH_E_FORMAT);
}

/* ---- text pages -------------------------------------------------------- */

static const char *const page_ar =
    "الرئيسية\n"
    "أخبار\n"
    "رياضة\n"
    "اتصل بنا\n"
    "وزير الخارجية يبحث مع نظيره الفرنسي الأزمة في المنطقة | موقع الأخبار\n"
    "وزير الخارجية يبحث مع نظيره الفرنسي الأزمة في المنطقة\n"
    "الثلاثاء 25 تشرين الأول/أكتوبر 2016\n"
    "\n"
    "بيروت - (رويترز) - بحث وزير الخارجية مع نظيره الفرنسي يوم الثلاثاء الأزمة في المنطقة، وسبل إنهاء القتال الدائر منذ سنوات في عدة دول.\n"
    "وقال الوزير في مؤتمر صحفي إن بلاده تدعم كل الجهود الرامية إلى وقف إطلاق النار، وإن الحل السياسي هو الطريق الوحيد.\n"
    "وأضاف أن الاجتماع تناول أيضا العلاقات الثنائية بين البلدين وسبل تطويرها في مجالات الاقتصاد والتعليم.\n"
    "\n"
    "اقرأ أيضا: الوزير يلتقي السفير\n"
    "الأكثر قراءة\n"
    "ارتفاع أسعار النفط في الأسواق العالمية اليوم\n"
    "فوز الفريق المحلي في المباراة النهائية للبطولة\n"
    "افتتاح معرض الكتاب الدولي بمشاركة واسعة\n"
    "جميع الحقوق محفوظة لموقع الأخبار 2016 ©\n";

static void test_text_page(kh_ctx *ctx, kh_cleaner *cl)
{
    KH_TEST("text page");
    kh_doc *d = make_doc(ctx, page_ar, KH_CONTENT_PAGE);
    const kh_article *art;
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK_STR(art->title, "وزير الخارجية يبحث مع نظيره الفرنسي الأزمة في المنطقة");
    KH_CHECK_STR(art->date, "2016-10-25");
    KH_CHECK_STR(art->dateline, "بيروت - (رويترز)");
    KH_CHECK_STR(art->dateline_agency, "رويترز");
    KH_CHECK_STR(art->source, "موقع الأخبار");
    KH_CHECK_INT(art->n_body, 3);
    KH_CHECK(art->n_body >= 1 && strncmp(art->body[0], "بيروت - (رويترز)", strlen("بيروت - (رويترز)")) == 0);
    KH_CHECK_INT(art->lang, KH_LANG_AR);
    KH_CHECK_INT(art->warnings, 0);
    KH_CHECK_INT(d->lang, KH_LANG_AR);
    kh_doc_free(d);

    KH_TEST("dateline line and attribution");
    static const char *const page2 =
        "عنوان الخبر عن اجتماع الوزراء في العاصمة\n"
        "\n"
        "القاهرة ـ أ ف ب\n"
        "\n"
        "اجتمع الوزراء في العاصمة يوم الأحد لبحث الأوضاع الاقتصادية، واتفقوا على خطة جديدة لدعم الصادرات.\n"
        "\n"
        "وقال رئيس الوزراء إن الخطة ستبدأ الشهر المقبل، وإن الحكومة ستتابع تنفيذها عن كثب مع القطاع الخاص.\n"
        "\n"
        "«صحيفة المثال»\n"
        "\n"
        "تعليق *\n"
        "الإسم *\n";
    d = make_doc(ctx, page2, KH_CONTENT_PAGE);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK_STR(art->dateline, "القاهرة ـ أ ف ب");
    KH_CHECK_STR(art->dateline_agency, "أ ف ب");
    KH_CHECK_STR(art->source, "صحيفة المثال");
    KH_CHECK_STR(art->title, "عنوان الخبر عن اجتماع الوزراء في العاصمة");
    KH_CHECK_INT(art->n_body, 4);
    if (art->n_body == 4) {
        KH_CHECK_STR(art->body[0], "القاهرة ـ أ ف ب");
        KH_CHECK_STR(art->body[3], "«صحيفة المثال»");
    }
    kh_doc_free(d);

    KH_TEST("english text page");
    static const char *const page3 =
        "Home | World | Business | Sport\n"
        "Ministers agree on a new export plan - Example Times\n"
        "Ministers agree on a new export plan\n"
        "CAIRO (AFP) - Ministers met in the capital on Sunday to discuss the economy and agreed on a new plan to support exports.\n"
        "The prime minister said the plan would start next month, and that the government would follow it closely with the private sector.\n"
        "Share this article\n"
        "Follow us on Twitter\n"
        "Copyright 2024 Example Times. All rights reserved.\n";
    d = make_doc(ctx, page3, KH_CONTENT_PAGE);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK_STR(art->title, "Ministers agree on a new export plan");
    KH_CHECK_STR(art->dateline, "CAIRO (AFP)");
    KH_CHECK_STR(art->dateline_agency, "AFP");
    KH_CHECK_INT(art->n_body, 2);
    KH_CHECK_INT(art->lang, KH_LANG_EN);
    KH_CHECK_STR(art->source, "Example Times");
    kh_doc_free(d);

    KH_TEST("comments and advertisements");
    static const char *const page5 =
        "Harbour gets new cranes as trade grows\n"
        "The harbour received two new cranes on Monday, and the port authority said they would double its capacity by next year.\n"
        "Advertisement\n"
        "Dock workers watched as the cranes were lifted from the ship, in a slow operation that took most of the day.\n"
        "Comments\n"
        "I live near the port and the noise at night is already terrible, nobody asked us about any of this.\n"
        "Great news for the town, we need the jobs and the trade, and the old cranes were falling apart anyway.\n";
    d = make_doc(ctx, page5, KH_CONTENT_PAGE);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK_INT(art->n_body, 2);
    if (art->n_body == 2) KH_CHECK(strncmp(art->body[1], "Dock workers", 12) == 0);
    kh_doc_free(d);

    KH_TEST("name beside the domain");
    static const char *const page4 =
        "Title of the story about the harbour and its new cranes\n"
        "The harbour received its new cranes on Monday, and the port authority said they would double its capacity.\n"
        "Dock workers watched as the cranes were lifted from the ship, in a slow operation that took most of the day.\n"
        "Most read\n"
        "logo\n"
        "Harbour Post\n"
        "www.harbourpost.example\n";
    d = make_doc(ctx, page4, KH_CONTENT_PAGE);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK_STR(art->source, "Harbour Post");
    KH_CHECK_INT(art->n_body, 2);
    kh_doc_free(d);
}

/* ---- HTML -------------------------------------------------------------- */

static void test_html(kh_ctx *ctx, kh_cleaner *cl)
{
    KH_TEST("html");
    static const char *const html =
        "<!DOCTYPE html><html lang='en'><head><title>Carter urges isolation of Raqqa | The Daily Example</title>"
        "<meta property='og:site_name' content='The Daily Example'>"
        "<meta property='article:published_time' content='2016-10-25T18:07:00Z'>"
        "<meta property='og:url' content='https://www.dailyexample.com/world/raqqa'>"
        "<style>p { color: red }</style></head><body>"
        "<header><a href='/'>Home</a> <a href='/world'>World</a></header>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/p'>Politics</a></li></ul></nav>"
        "<div class='main'><h1>Carter urges isolation of Raqqa</h1>"
        "<p>WASHINGTON (Reuters) - U.S. Defense Secretary Ash Carter said on Tuesday that the coalition had begun preparations to isolate Raqqa, the group's de facto capital in Syria.</p>"
        "<p>\"We have begun preparations to isolate Raqqa,\" Carter told reporters in Paris after a meeting of ministers from 13 countries."
        "<p>The operation would have to be led by <a href='/x'>capable local forces</a>, he said, adding that only people who live there could defeat the group."
        "<div class='share-buttons'><a href='#'>Facebook</a><a href='#'>Twitter</a></div>"
        "</div><aside><ul><li><a href='/a'>Iraq forces advance on Mosul</a></li></ul></aside>"
        "<footer>&copy; 2016 The Daily Example. All rights reserved.</footer>"
        "<script>var x = '<p>not text</p>';</script></body></html>";
    kh_doc *d = make_doc(ctx, html, KH_CONTENT_HTML);
    const kh_article *art;
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK_STR(art->title, "Carter urges isolation of Raqqa");
    KH_CHECK_STR(art->source, "The Daily Example");
    KH_CHECK_STR(art->date, "2016-10-25T18:07");
    KH_CHECK_STR(art->url, "https://www.dailyexample.com/world/raqqa");
    KH_CHECK_STR(art->dateline_agency, "Reuters");
    KH_CHECK_INT(art->n_body, 3);
    KH_CHECK_INT(art->lang, KH_LANG_EN);
    int leaked = 0;
    for (size_t i = 0; i < art->n_body; i++)
        leaked |= strstr(art->body[i], "not text") || strstr(art->body[i], "Facebook") ||
                  strstr(art->body[i], "color");
    KH_CHECK(!leaked);
    kh_doc_free(d);

    KH_TEST("html title without markup hints");
    static const char *const html2 =
        "<html><head><title>Example News - Parliament passes the budget after a long debate</title></head>"
        "<body><p>The parliament passed the budget on Monday after a debate that lasted three days, with a majority of members voting for it.</p>"
        "<p>The finance minister said the budget would reduce the deficit, and that spending on schools and hospitals would rise next year.</p></body></html>";
    d = make_doc(ctx, html2, KH_CONTENT_HTML);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK_STR(art->title, "Parliament passes the budget after a long debate");
    KH_CHECK_INT(art->n_body, 2);
    kh_doc_free(d);

    KH_TEST("broken html");
    static const char *const broken =
        "<html><body><div><p>Unclosed <b>bold <i>and italic paragraph that goes on with enough words to count as a sentence, really.</div>"
        "<p>Second paragraph, with <a href='x'>a link</a> and a missing close, still prose and long enough to be kept here."
        "<table><tr><td>cell<td>cell</table></span></span></body><p>after body</html><<<>>>&amp;&bogus;";
    d = make_doc(ctx, broken, KH_CONTENT_HTML);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK(art->n_body >= 1);
    KH_CHECK(art->n_body >= 1 && strstr(art->body[0], "Unclosed bold and italic") != NULL);
    kh_doc_free(d);

    KH_TEST("deep html");
    size_t depth = 5000;
    char *deep = malloc(depth * 5 + 200);
    char *p = deep;
    for (size_t i = 0; i < depth; i++) p += sprintf(p, "<div>");
    strcpy(p, "A deep paragraph of plain prose, written to check that the walk does not overflow.");
    /* Past the depth limit: refused, with the reason. */
    d = make_doc(ctx, deep, KH_CONTENT_HTML);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_E_LIMIT);
    KH_CHECK(strstr(kh_errmsg(ctx), "mem: elements nested deeper than 512") != NULL);
    kh_doc_free(d);
    /* Within a raised limit: parsed whole, the walk flattens what is too
     * deep for its stack instead of overflowing. */
    size_t old = kh_ctx_limit(ctx, KH_LIMIT_HTML_DEPTH, 2 * depth);
    d = make_doc(ctx, deep, KH_CONTENT_HTML);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    kh_doc_free(d);
    kh_ctx_limit(ctx, KH_LIMIT_HTML_DEPTH, old);
    free(deep);
}

/* ---- pages with nothing to find ------------------------------------------- */

static void test_warnings(kh_ctx *ctx, kh_cleaner *cl)
{
    static const struct { const char *name, *content; kh_content kind; unsigned want; } cases[] = {
        { "empty", "", KH_CONTENT_PAGE, KH_CLEAN_W_EMPTY },
        { "blank lines", "\n  \n\t\n", KH_CONTENT_PAGE, KH_CLEAN_W_EMPTY },
        { "empty html", "<html><body></body></html>", KH_CONTENT_HTML, KH_CLEAN_W_EMPTY },
        { "menu only", "Home\nWorld\nSport\nContact us\nAbout\n", KH_CONTENT_PAGE, KH_CLEAN_W_NO_BODY },
        { "all links",
          "<html><body><ul><li><a href='/1'>First story about the economy of the region</a></li>"
          "<li><a href='/2'>Second story about the elections next month in the country</a></li>"
          "<li><a href='/3'>Third story about the weather, which was bad this week.</a></li>"
          "<li><a href='/4'>Fourth story: a long report on the state of the roads, with details.</a></li>"
          "</ul></body></html>",
          KH_CONTENT_HTML, KH_CLEAN_W_ALL_LINKS },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        KH_TEST(cases[i].name);
        kh_doc *d = make_doc(ctx, cases[i].content, cases[i].kind);
        const kh_article *art = NULL;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
        KH_CHECK(art != NULL);
        if (art) {
            KH_CHECK_INT(art->warnings, cases[i].want);
            KH_CHECK_INT(art->n_body, 0);
        }
        kh_doc_free(d);
    }
    /* A language khabar cannot stem still gives its body: the warning says
     * only that its words go unstemmed. */
    KH_TEST("unknown language");
    kh_doc *ud = make_doc(ctx,
                          "Це довгий текст українською мовою, який не належить до жодної з мов, відомих програмі.\n"
                          "Другий абзац теж написаний українською, і в ньому достатньо слів, щоб вважатися текстом статті.\n",
                          KH_CONTENT_PAGE);
    const kh_article *uart = NULL;
    KH_CHECK_INT(kh_clean_doc(cl, ud, &uart), KH_OK);
    KH_CHECK(uart != NULL);
    if (uart) {
        KH_CHECK_INT(uart->warnings, KH_CLEAN_W_UNKNOWN_LANG);
        KH_CHECK_INT(uart->n_body, 2);
    }
    kh_doc_free(ud);

    KH_TEST("warning text");
    KH_CHECK_STR(kh_clean_warning_text(KH_CLEAN_W_NO_BODY), "no article body found");
    KH_CHECK_STR(kh_clean_warning_text(0x100), "");

    KH_TEST("invalid utf-8");
    kh_doc *d = make_doc(ctx, "abc \xff\xfe def", KH_CONTENT_PAGE);
    const kh_article *art;
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_E_UTF8);
    KH_CHECK(art == NULL);
    kh_doc_free(d);

    KH_TEST("clean record passes through");
    d = make_doc(ctx, "الفقرة الأولى من الخبر.\n\nالفقرة الثانية من الخبر.\n", KH_CONTENT_TEXT);
    d->title = "عنوان";
    d->source = "المصدر";
    d->date = "2016-10-25";
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK_INT(art->n_body, 2);
    KH_CHECK_STR(art->title, "عنوان");
    KH_CHECK_STR(art->source, "المصدر");
    KH_CHECK_STR(art->date, "2016-10-25");
    kh_doc_free(d);

    KH_TEST("fetch date");
    KH_CHECK_INT(kh_cleaner_set_fetch_date(cl, "yesterday"), KH_E_ARG);
    KH_CHECK_INT(kh_cleaner_set_fetch_date(cl, "2016-10-26T10:00"), KH_OK);
    d = make_doc(ctx,
                 "Headline about the meeting of the ministers today\n3 hours ago\n"
                 "The ministers met in the capital to discuss the economy, and agreed on a plan to support exports.\n"
                 "The plan will start next month, the prime minister said, after a long debate in parliament.\n",
                 KH_CONTENT_PAGE);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    KH_CHECK_STR(art->date, "2016-10-26");
    kh_doc_free(d);
    KH_CHECK_INT(kh_cleaner_set_fetch_date(cl, NULL), KH_OK);
}

/* ---- repetition across pages -------------------------------------------- */

static void test_observe(kh_ctx *ctx)
{
    KH_TEST("observe");
    kh_cleaner *cl;
    KH_CHECK_INT(kh_cleaner_create(ctx, 1000, &cl), KH_OK);
    /* Ten pages of one source, each with the same slogan line inside the
     * article area; it must go once the batch has been observed. */
    char pages[10][1024];
    kh_doc *docs[10];
    for (int i = 0; i < 10; i++) {
        snprintf(pages[i], sizeof pages[i],
                 "Story number %d about the town council\n"
                 "The town council met on day %d to discuss the budget, and agreed to spend more on roads and schools.\n"
                 "The Town Daily has been the voice of the valley since 1921, and every family here reads it.\n"
                 "The mayor said the plan number %d would start next month, after a vote, and that it was a good plan.\n",
                 i, i, i);
        docs[i] = make_doc(ctx, pages[i], KH_CONTENT_PAGE);
        docs[i]->source = "Town Daily";
    }
    const kh_article *art;
    KH_CHECK_INT(kh_clean_doc(cl, docs[0], &art), KH_OK);
    KH_CHECK_INT(art->n_body, 3); /* not observed: the slogan stays */
    for (int i = 0; i < 10; i++) KH_CHECK_INT(kh_cleaner_observe(cl, docs[i]), KH_OK);
    int all_two = 1;
    for (int i = 0; i < 10; i++) {
        KH_CHECK_INT(kh_clean_doc(cl, docs[i], &art), KH_OK);
        all_two &= art->n_body == 2;
    }
    KH_CHECK(all_two);
    kh_cleaner_reset(cl);
    KH_CHECK_INT(kh_clean_doc(cl, docs[0], &art), KH_OK);
    KH_CHECK_INT(art->n_body, 3);
    for (int i = 0; i < 10; i++) kh_doc_free(docs[i]);
    kh_cleaner_free(cl);
    kh_cleaner_free(NULL);
}

/* A page observed is cut into blocks once: kh_clean_doc() takes the blocks
 * and facts observing kept. The articles are the same as when each page is
 * parsed again, and they keep no pointer into the cleaner. */
static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static void test_memo(kh_ctx *ctx)
{
    KH_TEST("pages parsed once");
    static const char *const pages[] = {
        "<html lang=de><head><title>Rat beschließt Haushalt | Stadtblatt</title>"
        "<meta property='og:url' content='https://stadtblatt.example/rat'>"
        "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"datePublished\":"
        "\"2021-03-04T09:30:00+01:00\"}</script></head><body><nav><a href=/>Start</a></nav>"
        "<article><h1>Rat beschließt Haushalt</h1><p class=byline>Von Anna Weber</p>"
        "<p>Der Stadtrat hat am Mittwoch den Haushalt für das kommende Jahr beschlossen, mit "
        "mehr Geld für Schulen und Straßen.</p><p>Die Opposition stimmte dagegen und nannte den "
        "Plan zu teuer für die kleine Stadt.</p></article><footer>© 2021 Stadtblatt</footer>"
        "</body></html>",
        "<html><head><title>Council approves budget</title></head><body><main>"
        "<time datetime='2021-03-04'>March 4</time><h1>Council approves budget</h1>"
        "<p>The council approved next year's budget on Wednesday, with more money for schools "
        "and roads.</p><p>The opposition voted against it and called the plan too costly.</p>"
        "</main></body></html>",
        "<html><head><title>\xD8\xA7\xD9\x84\xD9\x85\xD8\xAC\xD9\x84\xD8\xB3</title></head>"
        "<body><div class='post-content'><p>\xD9\x88\xD8\xA7\xD9\x81\xD9\x82 "
        "\xD8\xA7\xD9\x84\xD9\x85\xD8\xAC\xD9\x84\xD8\xB3 \xD8\xB9\xD9\x84\xD9\x89 "
        "\xD8\xA7\xD9\x84\xD9\x85\xD9\x8A\xD8\xB2\xD8\xA7\xD9\x86\xD9\x8A\xD8\xA9 "
        "\xD8\xA7\xD9\x84\xD8\xAC\xD8\xAF\xD9\x8A\xD8\xAF\xD8\xA9.</p></div></body></html>",
    };
    enum { N = sizeof pages / sizeof pages[0] };
    const kh_article *with[N], *without[N];
    kh_doc *docs[2][N];
    kh_cleaner *cl[2];
    for (int run = 0; run < 2; run++) {
        KH_CHECK_INT(kh_cleaner_create(ctx, 1000, &cl[run]), KH_OK);
        khi_cleaner_memo(cl[run], run == 0);
        for (int i = 0; i < N; i++) {
            docs[run][i] = make_doc(ctx, pages[i], KH_CONTENT_HTML);
            KH_CHECK_INT(kh_cleaner_observe(cl[run], docs[run][i]), KH_OK);
        }
        for (int i = 0; i < N; i++)
            KH_CHECK_INT(kh_clean_doc(cl[run], docs[run][i], run ? &without[i] : &with[i]), KH_OK);
    }
    KH_CHECK_INT((long)khi_cleaner_memo(cl[0], 1), N);
    KH_CHECK_INT((long)khi_cleaner_memo(cl[1], 0), 0);
    /* the cleaners go first: what the articles hold must outlive them */
    kh_cleaner_free(cl[0]);
    kh_cleaner_free(cl[1]);
    for (int i = 0; i < N; i++) {
        const kh_article *a = with[i], *b = without[i];
        KH_CHECK(same_str(a->title, b->title) && same_str(a->date, b->date) &&
                 same_str(a->date_source, b->date_source) && same_str(a->url, b->url) &&
                 same_str(a->source, b->source) && same_str(a->author, b->author) &&
                 same_str(a->dateline, b->dateline) && a->lang == b->lang &&
                 a->warnings == b->warnings);
        KH_CHECK_INT((long)a->n_body, (long)b->n_body);
        for (size_t k = 0; k < a->n_body && k < b->n_body; k++)
            KH_CHECK_STR(a->body[k], b->body[k]);
    }
    KH_CHECK_STR(with[0]->date, "2021-03-04T09:30");
    KH_CHECK_STR(with[0]->url, "https://stadtblatt.example/rat");
    KH_CHECK_STR(with[1]->date, "2021-03-04");
    for (int run = 0; run < 2; run++)
        for (int i = 0; i < N; i++) kh_doc_free(docs[run][i]);
}

/* ---- seeds --------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits a copy of text on white space into a sorted array. */
static size_t words_of(char *text, char ***out)
{
    size_t n = 0, cap = 64;
    char **v = malloc(cap * sizeof *v);
    for (char *t = strtok(text, " \t\n\r"); t; t = strtok(NULL, " \t\n\r")) {
        if (n == cap) v = realloc(v, (cap *= 2) * sizeof *v);
        v[n++] = t;
    }
    qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    return n;
}

static double token_f1(const char *got, const char *want)
{
    char *g = strdup(got), *w = strdup(want);
    char **gv, **wv;
    size_t gn = words_of(g, &gv), wn = words_of(w, &wv), i = 0, j = 0, c = 0;
    while (i < gn && j < wn) {
        int r = strcmp(gv[i], wv[j]);
        if (!r) c++, i++, j++;
        else if (r < 0) i++;
        else j++;
    }
    double p = gn ? (double)c / gn : 0, r = wn ? (double)c / wn : 0;
    free(gv); free(wv); free(g); free(w);
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t r = fread(b, 1, (size_t)n, f);
    b[r] = 0;
    fclose(f);
    return b;
}

static void test_seeds(kh_ctx *ctx)
{
    json_t *gold = json_load_file("../shared/seeds/gold.json", 0, NULL);
    if (!gold) {
        printf("test_clean: ../shared/seeds/gold.json missing; seed checks skipped\n");
        return;
    }
    kh_cleaner *cl;
    KH_CHECK_INT(kh_cleaner_create(ctx, 0, &cl), KH_OK);
    json_t *docs = json_object_get(gold, "documents");
    size_t n = json_array_size(docs);
    kh_doc **kd = calloc(n, sizeof *kd);
    char **texts = calloc(n, sizeof *texts);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "../shared/seeds/%s",
                 json_string_value(json_object_get(json_array_get(docs, i), "file")));
        texts[i] = slurp(path);
        if (texts[i]) {
            kd[i] = make_doc(ctx, texts[i], KH_CONTENT_PAGE);
            KH_CHECK_INT(kh_cleaner_observe(cl, kd[i]), KH_OK);
        }
    }
    for (size_t i = 0; i < n; i++) {
        json_t *g = json_array_get(docs, i);
        KH_TEST(json_string_value(json_object_get(g, "file")));
        if (!kd[i]) continue;
        const kh_article *art;
        KH_CHECK_INT(kh_clean_doc(cl, kd[i], &art), KH_OK);
        kh_buf got, want;
        kh_buf_init(&got, ctx, 0);
        kh_buf_init(&want, ctx, 0);
        for (size_t k = 0; k < art->n_body; k++) {
            kh_buf_puts(&got, art->body[k]);
            kh_buf_puts(&got, "\n");
        }
        json_t *gb = json_object_get(g, "body");
        for (size_t k = 0; k < json_array_size(gb); k++) {
            kh_buf_puts(&want, json_string_value(json_array_get(gb, k)));
            kh_buf_puts(&want, "\n");
        }
        double f1 = token_f1(got.data ? got.data : "", want.data ? want.data : "");
        KH_CHECK(f1 >= 0.93);
        if (f1 < 0.93) fprintf(stderr, "  body F1 %.3f\n", f1);
        KH_CHECK_STR(art->title, json_string_value(json_object_get(g, "title")));
        const char *gd = json_string_value(json_object_get(g, "date"));
        if (gd) KH_CHECK(art->date && strncmp(art->date, gd, 10) == 0);
        const char *gs = json_string_value(json_object_get(g, "source"));
        if (gs) KH_CHECK_STR(art->source, gs);
        kh_buf_free(&got);
        kh_buf_free(&want);
        kh_doc_free(kd[i]);
        free(texts[i]);
    }
    free(kd);
    free(texts);
    kh_cleaner_free(cl);
    json_decref(gold);
}

/* ---- allocation failure ------------------------------------------------ */

static void test_alloc_failure(void)
{
    KH_TEST("allocation failure");
    static const char *const html =
        "<html><head><title>T - Site</title><meta property='og:site_name' content='Site'></head><body>"
        "<p>The council met on Monday to discuss the budget, and agreed to spend more on roads.</p>"
        "<p>The mayor said the plan would start next month, after a vote in the council.</p></body></html>";
    int ok_runs = 0, nomem_runs = 0, leaks = 0, bad = 0;
    for (long fail = 1; fail < 400; fail++) {
        kh_test_alloc ta = { 0, 0, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) { bad++; break; }
        ta.fail_at = fail + ta.calls;
        kh_cleaner *cl = NULL;
        kh_status rc = kh_cleaner_create(ctx, 1000, &cl);
        kh_doc *d1 = NULL, *d2 = NULL;
        const kh_article *a1 = NULL, *a2 = NULL;
        if (rc == KH_OK) {
            d1 = make_doc(ctx, page_ar, KH_CONTENT_PAGE);
            d2 = make_doc(ctx, html, KH_CONTENT_HTML);
            if (!d1 || !d2) rc = KH_E_NOMEM;
        }
        if (rc == KH_OK) rc = kh_cleaner_observe(cl, d1);
        if (rc == KH_OK) rc = kh_cleaner_observe(cl, d2);
        if (rc == KH_OK) rc = kh_clean_doc(cl, d1, &a1);
        if (rc == KH_OK) rc = kh_clean_doc(cl, d2, &a2);
        if (rc == KH_OK) {
            ok_runs++;
            if (a1->n_body != 3 || a2->n_body != 2 || !a2->title || strcmp(a2->title, "T")) bad++;
        } else if (rc == KH_E_NOMEM) {
            nomem_runs++;
        } else {
            bad++;
            fprintf(stderr, "  fail at %ld: status %d\n", fail, rc);
        }
        if (rc == KH_OK && (a1->n_body != 3 || a2->n_body != 2))
            fprintf(stderr, "  fail at %ld: bodies %zu %zu\n", fail, a1->n_body, a2->n_body);
        if (rc == KH_OK && (!a2->title || strcmp(a2->title, "T")))
            fprintf(stderr, "  fail at %ld: title %s\n", fail, a2->title ? a2->title : "(null)");
        kh_doc_free(d1);
        kh_doc_free(d2);
        kh_cleaner_free(cl);
        kh_ctx_free(ctx);
        if (ta.live != 0) leaks++;
        if (rc == KH_OK && ta.calls < fail + 1) break; /* no allocation left to fail */
    }
    KH_CHECK(ok_runs >= 1);
    KH_CHECK(nomem_runs >= 5);
    KH_CHECK_INT(leaks, 0);
    KH_CHECK_INT(bad, 0);
}

int main(void)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) return 1;
    kh_cleaner *cl;
    if (kh_cleaner_create(ctx, 0, &cl) != KH_OK) return 1;
    test_dates();
    test_text_page(ctx, cl);
    test_html(ctx, cl);
    test_warnings(ctx, cl);
    kh_cleaner_free(cl);
    test_observe(ctx);
    test_memo(ctx);
    test_seeds(ctx);
    kh_ctx_free(ctx);
    test_alloc_failure();
    return kh_test_report("test_clean");
}
