/*
 * test_names.c — kh_names_find(): spans in code points, a name cued once
 * found again, common nouns and particles kept out, place names read from
 * a gettext catalogue, and every allocation failed in turn.
 */
#include "khabar.h"
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of a span, for comparisons. */
static const char *span_text(const kh_names_doc *d, const kh_name *nm, char *buf, size_t cap)
{
    size_t title_bytes = d->title ? strlen(d->title) + 1 : 0;
    const char *at = nm->byte_start >= title_bytes ? d->text + nm->byte_start - title_bytes
                                                   : d->title + nm->byte_start;
    size_t len = nm->byte_end - nm->byte_start;
    if (len >= cap) len = cap - 1;
    memcpy(buf, at, len);
    buf[len] = '\0';
    return buf;
}

static int has_name(const kh_names_doc *d, const char *text, kh_entity_kind kind)
{
    char buf[256];
    for (size_t i = 0; i < d->n_names; i++)
        if (strcmp(span_text(d, &d->names[i], buf, sizeof buf), text) == 0 &&
            d->names[i].kind == kind)
            return 1;
    return 0;
}

static int has_text(const kh_names_doc *d, const char *text)
{
    char buf[256];
    for (size_t i = 0; i < d->n_names; i++)
        if (strcmp(span_text(d, &d->names[i], buf, sizeof buf), text) == 0) return 1;
    return 0;
}

static void test_spans(void)
{
    KH_TEST("names spans");
    kh_ctx *ctx;
    kh_arena *arena;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    KH_CHECK(kh_arena_create(ctx, &arena) == KH_OK);
    const char *t1 = "وقال وزير الدفاع الأمريكي آشتون كارتر إن القوات مستعدة.";
    const char *t2 = "وأكد كارتر أن العملية طويلة، وقالت صحيفة الحياة إن الصحيفة علمت بذلك.";
    const char *t3 = "وقال عبد الله إن الاجتماع انتهى.";
    kh_names_doc docs[3] = {
        { NULL, t1, strlen(t1), NULL, 0 },
        { "كارتر في بغداد", t2, strlen(t2), NULL, 0 },
        { NULL, t3, strlen(t3), NULL, 0 },
    };
    KH_CHECK(kh_names_find(ctx, NULL, docs, 3, arena) == KH_OK);
    /* the title cue gives the person; code points, not bytes */
    KH_CHECK(docs[0].n_names == 1);
    if (docs[0].n_names == 1) {
        KH_CHECK_INT(docs[0].names[0].start, 26);
        KH_CHECK_INT(docs[0].names[0].end, 37);
        KH_CHECK_INT(docs[0].names[0].byte_end - docs[0].names[0].byte_start,
                     strlen("آشتون كارتر"));
        KH_CHECK(docs[0].names[0].kind == KH_ENTITY_PERSON);
    }
    /* the short form is found in another document, title included, and
     * counts from the title's start */
    KH_CHECK(has_name(&docs[1], "كارتر", KH_ENTITY_PERSON));
    KH_CHECK(docs[1].n_names >= 2);
    if (docs[1].n_names >= 2) {
        KH_CHECK_INT(docs[1].names[0].start, 0);
        KH_CHECK_INT(docs[1].names[1].start, 15 + 5); /* title, "\n", "وأكد " */
        KH_CHECK(docs[1].names[0].group == docs[0].names[0].group);
    }
    /* صحيفة after قالت is the common noun the batch also writes with ال */
    KH_CHECK(!has_text(&docs[1], "صحيفة"));
    /* a first half never ends a name */
    KH_CHECK(has_name(&docs[2], "عبد الله", KH_ENTITY_PERSON));
    KH_CHECK(!has_text(&docs[2], "عبد"));
    kh_arena_free(arena);
    kh_ctx_free(ctx);
}

/* Words a cue precedes that are no names, told apart by their shape or by
 * how the batch writes them elsewhere; and names read to their ends. */
static void test_plain_words(void)
{
    KH_TEST("names plain words");
    kh_ctx *ctx;
    kh_arena *arena;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    KH_CHECK(kh_arena_create(ctx, &arena) == KH_OK);
    static const char *const t[] = {
        /* 0: a verb after a reporting verb, conjugated in 1 */
        "وقال يعتقد الخبراء أن الأزمة ستطول.",
        "كما تعتقد الحكومة أن الحل قريب.",
        /* 2: pronoun-suffixed nouns; an adverb whose stem 3 writes */
        "وأكد جلالته أن المملكة ماضية في الإصلاح، وأضاف قوله إن الطريق طويل، وأوضح ردا على سؤال أن الأمر حسم.",
        "وجاء الرد سريعا من الوزارة.",
        /* 4: a witness, a verb's noun with و, an airline's first word */
        "وصرح شاهد من سكان الحي بأن الانفجار كان قويا، وطالب وطالبة من المدرسة نجوا. ووقعت شركة طيران ناس العقد.",
        /* 5: a subject's whole name; a stopword ends it */
        "وقال كوفي أنان إن الخطة عادلة، وقال محفوظ فيما بعد إن الرواية اكتملت.",
        /* 6: a head that only says what the name is; an adjective after it
         * (one the batch writes in both genders); a magazine named by an
         * adjective the batch writes without ال too */
        "أعلنت شركة توتال الفرنسية أنها ستبني المصنع مع الجانب الفرنسي، وقالت مجلة العربي إن "
        "الاقتصاد العربي ينمو في كل بلد عربي.",
        /* 7: a construct after a title; a king's ordinal */
        "وقال رئيس مجلس إدارة الجمعية سعد العتيبي إن العمل بدأ. واستقبل جلالة الملك عبدالله الثاني الوفد.",
        /* 8, 9: a family name tied to the first name a cue found */
        "وقال صالح إن الحفل ناجح.",
        "وغنى مدحت صالح في الحفل، ثم عاد مدحت صالح إلى القاهرة.",
        /* 10: a verb the batch writes after التي; a noun with نا whose
         * stem it writes with ال; a preposition that looks like ل + صالح;
         * a pronoun on three letters */
        "وأكد تضم القائمة عشرة أسماء، وهي القائمة التي تضم الأسماء. وأكد منتخبنا جاهزيته "
        "لمواجهة المنتخب الضيف. وصوت المجلس لصالح القرار. ودعا ربه أن ينجيه.",
        /* 11: علي inside a name, على never a name; عبده is one */
        "والتقى العقيد أحمد علي صالح وزير الخارجية، ووقف الشيخ محمد عبده على المنبر.",
        /* 12: a name half before a stopword; a king's ordinal after الله;
         * أمين as a first name; a verbal noun and a verb after a name */
        "واستقبل الأمير حمد بن خليفة آل ثاني الوفد. وزار الملك عبد الله الثاني المدينة. "
        "وقال الخبير الاقتصادي أمين فارس إن السوق هادئة. وبحث مع الرئيس فلاديمير بوتين "
        "الترويج للمبادرة، وأعلن الرئيس حسني مبارك تناولت المحادثات الأزمة.",
        /* 13: an ال-head with an adjective tied to it is a body; one the
         * batch writes elsewhere describes; المدينة المنورة is one name */
        "وقرر الاتحاد الأوروبي فرض عقوبات، ورحب الاتحاد الأوروبي بالاتفاق. وتصدر المنتخب "
        "المجموعة الثانية في الدورة الثانية للبطولة. ووصل الحجاج إلى المدينة المنورة، "
        "وغادروا المدينة المنورة أمس.",
        /* 14: the capital named after it */
        "ووصل الوفد إلى العاصمة الرياض مساء أمس.",
        /* 15: a comma after a title: a name, or the next phrase; a
         * participle after a verb; an honorific as a title */
        "وقال وزير الدفاع الأمريكي، آشتون كارتر، إن الحملة بدأت. وقدم المقترح مستشار الوزارة، "
        "فيما وعدت اللجنة بدراسته، ووجه خطابا إلى وزير الإسكان، مؤكدا على ما سبق. وتابع مؤكدا "
        "أن العمل مستمر. وقال صلى الله عليه وسلم. ورأى فضيلة الشيخ عبدالله المطلق أن الأمر جائز.",
        /* 16: countries whose adjectives the batch writes in both genders;
         * an adverb of the same shape */
        "وصل الوزير إلى بريطانيا أمس، والتقى السفير البريطاني والجالية البريطانية. وقالت "
        "الحكومة الفرنسية إن فرنسا والجانب الفرنسي متفقان. وتحدث سياسيا عن الموقف السياسي "
        "والرؤية السياسية. وسافر إلى مصر حيث التقى الرئيس المصري والحكومة المصرية، وتحدث "
        "من داخل القاعة عن الأمن الداخلي والسياسة الداخلية.",
    };
    enum { N = sizeof t / sizeof t[0] };
    kh_names_doc d[N];
    for (size_t i = 0; i < N; i++) {
        kh_names_doc x = { NULL, t[i], strlen(t[i]), NULL, 0 };
        d[i] = x;
    }
    KH_CHECK(kh_names_find(ctx, NULL, d, N, arena) == KH_OK);
    KH_CHECK(!has_text(&d[0], "يعتقد"));
    KH_CHECK(!has_text(&d[2], "جلالته"));
    KH_CHECK(!has_text(&d[2], "قوله"));
    KH_CHECK(!has_text(&d[2], "ردا"));
    KH_CHECK(!has_text(&d[4], "شاهد"));
    KH_CHECK(!has_text(&d[4], "وطالبة"));
    KH_CHECK(!has_text(&d[4], "طيران"));
    KH_CHECK(has_name(&d[5], "كوفي أنان", KH_ENTITY_PERSON));
    KH_CHECK(has_name(&d[5], "محفوظ", KH_ENTITY_PERSON));
    KH_CHECK(!has_text(&d[5], "محفوظ فيما"));
    KH_CHECK(has_name(&d[6], "توتال", KH_ENTITY_ORG));
    KH_CHECK(!has_text(&d[6], "شركة توتال"));
    KH_CHECK(!has_text(&d[6], "توتال الفرنسية"));
    KH_CHECK(!has_text(&d[6], "العربي"));
    KH_CHECK(has_name(&d[7], "سعد العتيبي", KH_ENTITY_PERSON));
    KH_CHECK(!has_text(&d[7], "إدارة"));
    KH_CHECK(!has_text(&d[7], "إدارة الجمعية"));
    KH_CHECK(has_name(&d[7], "عبدالله الثاني", KH_ENTITY_PERSON));
    KH_CHECK(has_text(&d[9], "مدحت صالح"));
    KH_CHECK(!has_text(&d[9], "صالح"));
    KH_CHECK(!has_text(&d[10], "تضم"));
    KH_CHECK(!has_text(&d[10], "منتخبنا"));
    KH_CHECK(!has_text(&d[10], "لصالح"));
    KH_CHECK(!has_text(&d[10], "ربه"));
    KH_CHECK(has_name(&d[11], "أحمد علي صالح", KH_ENTITY_PERSON));
    KH_CHECK(has_name(&d[11], "محمد عبده", KH_ENTITY_PERSON));
    KH_CHECK(!has_text(&d[11], "على"));
    KH_CHECK(has_name(&d[12], "حمد بن خليفة آل ثاني", KH_ENTITY_PERSON));
    KH_CHECK(has_name(&d[12], "عبد الله الثاني", KH_ENTITY_PERSON));
    KH_CHECK(!has_text(&d[12], "فارس"));
    KH_CHECK(has_name(&d[12], "فلاديمير بوتين", KH_ENTITY_PERSON));
    KH_CHECK(has_name(&d[12], "حسني مبارك", KH_ENTITY_PERSON));
    KH_CHECK(has_name(&d[13], "الاتحاد الأوروبي", KH_ENTITY_ORG));
    KH_CHECK(!has_text(&d[13], "المجموعة الثانية"));
    KH_CHECK(has_name(&d[13], "المدينة المنورة", KH_ENTITY_PLACE));
    KH_CHECK(!has_text(&d[13], "المنورة"));
    KH_CHECK(has_name(&d[14], "الرياض", KH_ENTITY_PLACE));
    KH_CHECK(has_name(&d[15], "آشتون كارتر", KH_ENTITY_PERSON));
    KH_CHECK(!has_text(&d[15], "فيما"));
    KH_CHECK(!has_text(&d[15], "مؤكدا"));
    KH_CHECK(!has_text(&d[15], "صلى الله"));
    KH_CHECK(has_name(&d[15], "عبدالله المطلق", KH_ENTITY_PERSON));
    KH_CHECK(has_name(&d[16], "بريطانيا", KH_ENTITY_PLACE));
    KH_CHECK(has_name(&d[16], "فرنسا", KH_ENTITY_PLACE));
    KH_CHECK(!has_text(&d[16], "سياسيا"));
    KH_CHECK(has_name(&d[16], "مصر", KH_ENTITY_PLACE));
    KH_CHECK(!has_text(&d[16], "داخل"));
    kh_arena_free(arena);
    kh_ctx_free(ctx);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    int ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

static void test_places(void)
{
    KH_TEST("names places");
    kh_ctx *ctx;
    kh_arena *arena;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    KH_CHECK(kh_arena_create(ctx, &arena) == KH_OK);
    char path[] = "/tmp/khabar-places-XXXXXX";
    int fd = mkstemp(path);
    KH_CHECK(fd >= 0);
    if (fd >= 0) fclose(fdopen(fd, "w"));
    /* CLDR's shape: territories, then time zones with exemplar cities */
    KH_CHECK(write_file(path,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
        "<!DOCTYPE ldml SYSTEM \"../../common/dtd/ldml.dtd\">\n"
        "<ldml><localeDisplayNames><territories>\n"
        "<territory type=\"001\">العالم</territory>\n"
        "<territory type=\"IR\">إيران</territory>\n"
        "<territory type=\"LB\">لبنان</territory>\n"
        "<territory type=\"UN\">الأمم المتحدة</territory>\n"
        "</territories></localeDisplayNames><dates><timeZoneNames>\n"
        "<zone type=\"Asia/Beirut\"><exemplarCity>بيروت</exemplarCity></zone>\n"
        "<zone type=\"Etc/Unknown\"><exemplarCity>مدينة غير معروفة</exemplarCity></zone>\n"
        "</timeZoneNames></dates></ldml>\n"));
    kh_places *pl = NULL;
    KH_CHECK(kh_places_load(ctx, path, &pl) == KH_OK);
    KH_CHECK_INT(kh_places_count(pl), 4); /* not the world, not the unknown city */
    const char *t = "وصل الوزير إلى بيروت قادما من طهران، وقال إن لبنان وإيران متفقان "
                    "وإن للأمم المتحدة دورا في العالم.";
    kh_names_doc d = { NULL, t, strlen(t), NULL, 0 };
    KH_CHECK(kh_names_find(ctx, NULL, &d, 1, arena) == KH_OK);
    KH_CHECK(!has_text(&d, "لبنان"));
    KH_CHECK(kh_names_find(ctx, pl, &d, 1, arena) == KH_OK);
    KH_CHECK(has_name(&d, "لبنان", KH_ENTITY_PLACE));
    KH_CHECK(has_name(&d, "وإيران", KH_ENTITY_PLACE)); /* the word as written */
    KH_CHECK(has_name(&d, "بيروت", KH_ENTITY_PLACE));
    KH_CHECK(has_name(&d, "للأمم المتحدة", KH_ENTITY_ORG));
    KH_CHECK(!has_text(&d, "العالم"));
    KH_CHECK(!has_text(&d, "طهران")); /* not in this file, no cue */
    kh_places_free(pl);

    /* a missing file and a file that is no catalogue are errors that say which */
    pl = NULL;
    KH_CHECK(kh_places_load(ctx, "/nonexistent/ar.xml", &pl) == KH_E_IO && !pl);
    KH_CHECK(strstr(kh_errmsg(ctx), "/nonexistent/ar.xml") != NULL);
    KH_CHECK(write_file(path, "not a locale file, just text"));
    KH_CHECK(kh_places_load(ctx, path, &pl) == KH_E_FORMAT && !pl);
    KH_CHECK(strstr(kh_errmsg(ctx), path) != NULL);
    KH_CHECK(write_file(path, "<?xml version=\"1.0\"?><html><territory>x</territory></html>"));
    KH_CHECK(kh_places_load(ctx, path, &pl) == KH_E_FORMAT && !pl);
    KH_CHECK(write_file(path, "<ldml><territory>لبنان</territory>"));
    KH_CHECK(kh_places_load(ctx, path, &pl) == KH_E_FORMAT && !pl); /* cut short */
    remove(path);
    kh_arena_free(arena);
    kh_ctx_free(ctx);
}

/* A subdivisions file: provinces, each also without its administrative
 * word, and the one-word ones held to the batch's evidence. */
static void test_subdivisions(void)
{
    KH_TEST("names subdivisions");
    kh_ctx *ctx;
    kh_arena *arena;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    KH_CHECK(kh_arena_create(ctx, &arena) == KH_OK);
    char path[] = "/tmp/khabar-subdiv-XXXXXX";
    int fd = mkstemp(path);
    KH_CHECK(fd >= 0);
    if (fd >= 0) fclose(fdopen(fd, "w"));
    KH_CHECK(write_file(path,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
        "<ldml><localeDisplayNames><subdivisions>\n"
        "<subdivision type=\"sa02\">منطقة مكة المكرمة</subdivision>\n"
        "<subdivision type=\"qada\">الدوحة</subdivision>\n"
        "<subdivision type=\"jpx\">العاصمة</subdivision>\n"
        "<subdivision type=\"omx\">الشمالية</subdivision>\n"
        "<subdivision type=\"myx\">ماليزيا</subdivision>\n"
        "<subdivision type=\"hk\">هونغ كونغ (منطقة إدارية)</subdivision>\n"
        "</subdivisions></localeDisplayNames></ldml>\n"));
    kh_places *pl = NULL;
    KH_CHECK(kh_places_load(ctx, path, &pl) == KH_OK);
    /* both forms of the first; none explained in brackets */
    KH_CHECK_INT(kh_places_count(pl), 6);
    const char *t = "وصل الوفد إلى مكة المكرمة قادما من الدوحة، ثم زار العاصمة والمنطقة "
                    "الشمالية، وسافر بعدها إلى إندونيسيا وماليزيا.";
    kh_names_doc d = { NULL, t, strlen(t), NULL, 0 };
    KH_CHECK(kh_names_find(ctx, pl, &d, 1, arena) == KH_OK);
    KH_CHECK(has_name(&d, "مكة المكرمة", KH_ENTITY_PLACE));
    KH_CHECK(has_name(&d, "الدوحة", KH_ENTITY_PLACE));
    KH_CHECK(!has_text(&d, "العاصمة"));   /* a place word */
    KH_CHECK(!has_text(&d, "الشمالية"));  /* an adjective's shape */
    /* و before a word whose second letters are ال: no article */
    KH_CHECK(has_name(&d, "وماليزيا", KH_ENTITY_PLACE));
    kh_places_free(pl);
    remove(path);
    kh_arena_free(arena);
    kh_ctx_free(ctx);
}

static void test_edges(void)
{
    KH_TEST("names edges");
    kh_ctx *ctx;
    kh_arena *arena;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    KH_CHECK(kh_arena_create(ctx, &arena) == KH_OK);
    KH_CHECK(kh_names_find(ctx, NULL, NULL, 0, arena) == KH_OK);
    kh_names_doc d[2] = { { NULL, "", 0, NULL, 0 }, { NULL, NULL, 5, NULL, 0 } };
    KH_CHECK(kh_names_find(ctx, NULL, d, 1, arena) == KH_OK && d[0].n_names == 0);
    KH_CHECK(kh_names_find(ctx, NULL, d, 2, arena) == KH_E_ARG);
    /* English: a capitalized run after a title, the title left out */
    const char *e = "Defence Secretary Ashton Carter arrived on Tuesday. The talks, Carter said, went well.";
    kh_names_doc en = { NULL, e, strlen(e), NULL, 0 };
    KH_CHECK(kh_names_find(ctx, NULL, &en, 1, arena) == KH_OK);
    KH_CHECK(has_text(&en, "Ashton Carter"));
    KH_CHECK(has_text(&en, "Carter"));
    KH_CHECK(!has_text(&en, "Defence Secretary Ashton Carter"));
    kh_arena_free(arena);
    kh_ctx_free(ctx);
}

/* Every allocation kh_names_find() makes is failed once in turn. */
static void test_nomem(void)
{
    KH_TEST("names nomem");
    const char *t = "وقال وزير الدفاع الأمريكي آشتون كارتر إنه سيزور بغداد. وأكد كارتر ذلك.";
    int clean = 1, succeeded = 0;
    for (long n = 1; n < 200 && !succeeded; n++) {
        kh_test_alloc ta = { 0, 0, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        kh_arena *arena;
        if (kh_ctx_create(&ctx, &al) != KH_OK) continue;
        if (kh_arena_create(ctx, &arena) != KH_OK) {
            kh_ctx_free(ctx);
            continue;
        }
        ta.fail_at = ta.calls + n;
        kh_names_doc d = { "كارتر", t, strlen(t), NULL, 0 };
        kh_status rc = kh_names_find(ctx, NULL, &d, 1, arena);
        if (rc == KH_OK) {
            succeeded = 1;
            clean &= d.n_names == 3;
        } else {
            clean &= rc == KH_E_NOMEM;
        }
        kh_arena_free(arena);
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(clean);
    KH_CHECK(succeeded);
}

int main(void)
{
    test_spans();
    test_plain_words();
    test_places();
    test_subdivisions();
    test_edges();
    test_nomem();
    return kh_test_report("test_names");
}
