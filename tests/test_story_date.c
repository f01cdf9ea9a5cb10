/*
 * test_story_date.c — undated articles take the time of the dated report of
 * the same event, and nothing else moves.
 */
#include "testhelp.h"

#define T_PORT 1750000000  /* the port deal is reported on this day */
#define T_FLOOD 1750600000 /* the flood a week later */

static const char port_a[] =
    "وقعت وزارة التجارة اتفاقية بقيمة مليار دولار لإنشاء محطة حاويات جديدة في ميناء مرسى "
    "النخيل، على أن تبدأ أعمال البناء مطلع العام المقبل وتستوعب المحطة مليوني حاوية سنويا.";
static const char port_undated[] =
    "محطة الحاويات الجديدة في ميناء مرسى النخيل ستستوعب مليوني حاوية سنويا بموجب اتفاقية "
    "المليار دولار التي وقعتها وزارة التجارة، وتبدأ أعمال البناء العام المقبل.";
static const char flood_b[] =
    "ارتفعت حصيلة السيول التي ضربت المدينة إلى تسعة قتلى، فيما تواصل فرق الإنقاذ البحث عن "
    "مفقودين في الأحياء المحاذية للوادي الذي فاض فجر السبت بعد أمطار غزيرة.";
static const char unrelated[] =
    "فاز المنتخب الوطني لكرة اليد للناشئين بالبطولة القارية بعد مباراة نهائية مثيرة "
    "حسمها في الثواني الأخيرة أمام جمهور غفير ملأ مدرجات الصالة.";
static const char english_port[] =
    "The trade ministry signed a one billion dollar agreement to build a new container "
    "terminal at the port of Marsa al-Nakhil, handling two million containers a year.";

static kh_story_article article(const char *id, int dated, int64_t time, const char *text)
{
    kh_story_article a;
    memset(&a, 0, sizeof a);
    a.id = id;
    a.dated = dated;
    a.time = time;
    a.text = text;
    a.text_len = strlen(text);
    return a;
}

static void make_batch(kh_story_article *v)
{
    v[0] = article("flood", 1, T_FLOOD, flood_b);
    v[1] = article("port", 1, T_PORT, port_a);
    v[2] = article("port-undated", 0, 0, port_undated);
    v[3] = article("sport-undated", 0, 0, unrelated);
    v[4] = article("port-english-undated", 0, 0, english_port);
}

static void test_dating(void)
{
    KH_TEST("undated report takes its event's time");
    kh_ctx *ctx;
    kh_tokenizer *tok;
    KH_CHECK(kh_ctx_create(&ctx, NULL) == KH_OK);
    KH_CHECK(kh_tokenizer_create(ctx, &tok) == KH_OK);
    kh_story_article v[5];
    make_batch(v);
    size_t n = 99;
    KH_CHECK(kh_story_date_by_content(ctx, tok, v, 5, KH_STORY_UNDATED_MIN_SIMILARITY, &n) == KH_OK);
    KH_CHECK_INT(n, 1);
    KH_CHECK_INT(v[2].dated, KH_STORY_TIME_ESTIMATED);
    KH_CHECK_INT(v[2].time, T_PORT + 1); /* just after the port report, not the flood */
    KH_TEST("nothing else moves");
    KH_CHECK_INT(v[3].dated, 0);         /* resembles no dated article */
    KH_CHECK_INT(v[4].dated, 0);         /* another language is never matched */
    KH_CHECK_INT(v[0].time, T_FLOOD);
    KH_CHECK_INT(v[1].time, T_PORT);

    KH_TEST("a bar nobody reaches leaves all undated");
    make_batch(v);
    KH_CHECK(kh_story_date_by_content(ctx, tok, v, 5, 1.01, &n) == KH_OK);
    KH_CHECK_INT(n, 0);
    KH_CHECK_INT(v[2].dated, 0);

    KH_TEST("all dated or all undated: unchanged");
    make_batch(v);
    v[2].dated = v[3].dated = v[4].dated = 1;
    KH_CHECK(kh_story_date_by_content(ctx, tok, v, 5, 0.1, &n) == KH_OK);
    KH_CHECK_INT(n, 0);
    make_batch(v);
    v[0].dated = v[1].dated = 0;
    KH_CHECK(kh_story_date_by_content(ctx, tok, v, 5, 0.1, &n) == KH_OK);
    KH_CHECK_INT(n, 0);
    KH_CHECK(kh_story_date_by_content(ctx, tok, NULL, 0, 0.1, &n) == KH_OK);
    KH_CHECK(kh_story_date_by_content(ctx, NULL, v, 5, 0.1, &n) == KH_E_ARG);

    kh_tokenizer_free(tok);
    kh_ctx_free(ctx);
}

static void test_nomem(void)
{
    KH_TEST("allocation failure");
    int clean = 1, succeeded = 0;
    for (long fail = 1; fail < 200 && !succeeded; fail++) {
        kh_test_alloc ta = { 0, 0, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        kh_tokenizer *tok;
        if (kh_ctx_create(&ctx, &al) != KH_OK)
            continue;
        if (kh_tokenizer_create(ctx, &tok) != KH_OK) {
            kh_ctx_free(ctx);
            continue;
        }
        ta.fail_at = ta.calls + fail; /* fail inside the call, not before it */
        kh_story_article v[5];
        make_batch(v);
        kh_status rc = kh_story_date_by_content(ctx, tok, v, 5, KH_STORY_UNDATED_MIN_SIMILARITY, NULL);
        if (rc == KH_OK) {
            succeeded = 1;
            clean &= v[2].dated == KH_STORY_TIME_ESTIMATED && v[2].time == T_PORT + 1;
        } else {
            clean &= rc == KH_E_NOMEM && v[2].dated == 0;
        }
        kh_tokenizer_free(tok);
        kh_ctx_free(ctx);
        clean &= ta.live == 0;
    }
    KH_CHECK(succeeded);
    KH_CHECK(clean);
}

int main(void)
{
    test_dating();
    test_nomem();
    return kh_test_report("test_story_date");
}
