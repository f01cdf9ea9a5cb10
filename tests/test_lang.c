/*
 * test_lang.c — languages: codes, detection on real sentences of every
 * language khabar stems (and of languages it must call unknown), stems
 * and stopwords through kh_tokenize, and detection accuracy per language
 * on the SemEval 2022 articles (../shared; skipped without it).
 */
#include "testhelp.h"
#include "kh_text_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* One sentence a language, news style, two clauses or more. */
static const struct {
    kh_lang lang;
    const char *text;
} sentences[] = {
    { KH_LANG_AR, "أعلنت الحكومة يوم الثلاثاء أن القانون الجديد سيناقش في البرلمان قبل نهاية العام، لكن الأغلبية لم تتضح بعد." },
    { KH_LANG_EN, "The government said on Tuesday that the new law would be debated in parliament before the end of the year, but there is no majority yet." },
    { KH_LANG_FR, "Le gouvernement a annoncé mardi que la nouvelle loi serait débattue au parlement avant la fin de l'année, mais la majorité n'est pas acquise." },
    { KH_LANG_DE, "Die Regierung hat am Dienstag mitgeteilt, dass das neue Gesetz noch vor dem Ende des Jahres im Parlament beraten werden soll." },
    { KH_LANG_ES, "El gobierno anunció el martes que la nueva ley será debatida en el parlamento antes de que termine el año, pero aún no tiene mayoría." },
    { KH_LANG_IT, "Il governo ha annunciato martedì che la nuova legge sarà discussa in parlamento prima della fine dell'anno, ma la maggioranza non è sicura." },
    { KH_LANG_PT, "O governo anunciou na terça-feira que a nova lei será debatida no parlamento antes do fim do ano, mas ainda não tem maioria." },
    { KH_LANG_NL, "De regering heeft dinsdag laten weten dat de nieuwe wet voor het einde van het jaar in het parlement zal worden besproken." },
    { KH_LANG_CA, "El govern va anunciar dimarts que la nova llei es debatrà al parlament abans que acabi l'any, però els grups de l'oposició no hi estan d'acord." },
    { KH_LANG_DA, "Regeringen meddelte tirsdag, at den nye lov efter planen skal behandles af Folketinget, og at der også er lavet en aftale med partierne." },
    { KH_LANG_NO, "Regjeringen sa tirsdag at den nye loven etter planen skal behandles av Stortinget før nyttår, og at det ikke er flertall mot den." },
    { KH_LANG_SV, "Regeringen meddelade på tisdagen att den nya lagen ska behandlas av riksdagen före årsskiftet, och att det inte finns någon majoritet emot den." },
    { KH_LANG_FI, "Hallitus kertoi tiistaina, että uusi laki käsitellään eduskunnassa ennen vuoden loppua, mutta sille ei ole vielä enemmistöä." },
    { KH_LANG_HU, "A kormány kedden bejelentette, hogy az új törvényt még az év vége előtt megvitatja a parlament, de a többség nem biztos." },
    { KH_LANG_RO, "Guvernul a anunțat marți că noua lege va fi dezbătută în parlament înainte de sfârșitul anului, dar majoritatea nu este sigură." },
    { KH_LANG_TR, "Hükümet salı günü yaptığı açıklamada, yeni yasanın yıl sonundan önce mecliste görüşüleceğini ve bu konuda bir uzlaşma olmadığını bildirdi." },
    { KH_LANG_EU, "Gobernuak asteartean jakinarazi zuen lege berria urtea amaitu baino lehen eztabaidatuko dela parlamentuan, baina ez dago gehiengorik." },
    { KH_LANG_GA, "Dúirt an rialtas Dé Máirt go mbeidh an dlí nua á phlé sa Dáil roimh dheireadh na bliana, ach níl tromlach ann dó fós." },
    { KH_LANG_ID, "Pemerintah mengumumkan pada hari Selasa bahwa undang-undang baru itu akan dibahas di parlemen sebelum akhir tahun, namun belum ada mayoritas." },
    { KH_LANG_LT, "Vyriausybė antradienį pranešė, kad naujasis įstatymas bus svarstomas Seime iki metų pabaigos, tačiau dauguma dar nėra aiški." },
    { KH_LANG_SR, "Влада је у уторак саопштила да ће нови закон бити разматран у скупштини пре краја године, али већина још није сигурна." },
    { KH_LANG_SR, "Vlada je u utorak saopštila da će novi zakon biti razmatran u skupštini pre kraja godine, ali većina još nije sigurna." },
    { KH_LANG_RU, "Правительство во вторник заявило, что новый закон будет рассмотрен в парламенте до конца года, но большинства пока нет." },
    { KH_LANG_EL, "Η κυβέρνηση ανακοίνωσε την Τρίτη ότι ο νέος νόμος θα συζητηθεί στη Βουλή πριν από το τέλος του έτους." },
    { KH_LANG_HY, "Կառավարությունը երեքշաբթի հայտարարեց, որ նոր օրենքը կքննարկվի խորհրդարանում մինչև տարեվերջ։" },
    { KH_LANG_HI, "सरकार ने मंगलवार को कहा कि नया कानून साल के अंत से पहले संसद में पेश किया जाएगा।" },
    { KH_LANG_NE, "सरकारले मङ्गलबार नयाँ कानुन वर्षको अन्त्यअघि संसदमा पेश गरिने बताएको छ र यो विषयमा छलफल पनि भएको छ।" },
    { KH_LANG_TA, "அரசு செவ்வாய்க்கிழமை புதிய சட்டம் ஆண்டு இறுதிக்குள் நாடாளுமன்றத்தில் தாக்கல் செய்யப்படும் என்று அறிவித்தது." },
    { KH_LANG_YI, "די רעגירונג האָט דינסטיק געזאָגט אַז דער נײַער געזעץ וועט זײַן פֿאַר דעם פּאַרלאַמענט נאָך פֿאַר דעם סוף פֿון יאָר." },
    /* Languages khabar does not stem: never called one it does. */
    { KH_LANG_UNKNOWN, "政府星期二表示，新法律将在年底前提交议会讨论。" },
    { KH_LANG_UNKNOWN, "정부는 화요일 새 법안이 연말 이전에 국회에서 논의될 것이라고 밝혔다." },
    { KH_LANG_UNKNOWN, "政府は火曜日、新しい法律が年末までに国会で審議されると発表した。" },
    { KH_LANG_UNKNOWN, "הממשלה הודיעה ביום שלישי כי החוק החדש יידון בכנסת לפני סוף השנה, אך אין עדיין רוב." },
    { KH_LANG_UNKNOWN, "وزیر دفاع آمریکا روز یکشنبه گفت که عملیات برای محاصره شهر رقه به زودی آغاز می‌شود" },
    { KH_LANG_UNKNOWN, "Rząd poinformował we wtorek, że nowa ustawa zostanie omówiona w parlamencie przed końcem roku, ale większości wciąż nie ma." },
    { KH_LANG_UNKNOWN, "Vláda v úterý oznámila, že nový zákon bude projednán v parlamentu před koncem roku, ale většina zatím chybí." },
    { KH_LANG_UNKNOWN, "Уряд у вівторок заявив, що новий закон буде розглянуто в парламенті до кінця року, але більшості поки немає." },
    { KH_LANG_UNKNOWN, "Chính phủ cho biết hôm thứ Ba rằng luật mới sẽ được thảo luận tại quốc hội trước cuối năm." },
    { KH_LANG_UNKNOWN, "รัฐบาลแถลงเมื่อวันอังคารว่ากฎหมายใหม่จะได้รับการพิจารณาในรัฐสภาก่อนสิ้นปี" },
    { KH_LANG_UNKNOWN, "qwzx plmk vbnrt ghjkl zxcvb mnbvc" },
    { KH_LANG_UNKNOWN, "Straße" }, /* too short */
};

static void test_detect(void)
{
    KH_TEST("detect sentences");
    int seen[KH_LANG_COUNT_] = { 0 };
    for (size_t i = 0; i < sizeof sentences / sizeof sentences[0]; i++) {
        kh_lang got = kh_lang_detect(sentences[i].text, strlen(sentences[i].text));
        if (got != sentences[i].lang)
            fprintf(stderr, "  sentence %zu (%s): got %s\n", i, kh_lang_code(sentences[i].lang),
                    kh_lang_code(got));
        KH_CHECK_INT(got, sentences[i].lang);
        seen[sentences[i].lang] = 1;
    }
    KH_TEST("detect: a sentence for every language");
    for (int l = 1; l < KH_LANG_COUNT_; l++) {
        if (!seen[l])
            fprintf(stderr, "  no sentence for %s\n", kh_lang_code((kh_lang)l));
        KH_CHECK(seen[l]);
    }
    KH_TEST("detect: the hint breaks a tie only");
    KH_CHECK_INT(khi_lang_detect_hint("Die Regierung hat am Dienstag mitgeteilt, dass das Gesetz kommt.",
                                      strlen("Die Regierung hat am Dienstag mitgeteilt, dass das Gesetz kommt."),
                                      KH_LANG_EN), KH_LANG_DE);
}

static void test_codes(void)
{
    KH_TEST("codes round trip");
    for (int l = 1; l < KH_LANG_COUNT_; l++) {
        const char *code = kh_lang_code((kh_lang)l);
        KH_CHECK(strlen(code) == 2);
        KH_CHECK_INT(kh_lang_from_code(code), l);
        KH_CHECK_INT(khi_lang_of_tag(code), l);
    }
    KH_CHECK_STR(kh_lang_code(KH_LANG_UNKNOWN), "und");
    KH_CHECK_STR(kh_lang_code(KH_LANG_COUNT_), "und");
    KH_CHECK_STR(kh_lang_code(KH_LANG_TR), "tr");
    KH_CHECK_INT(kh_lang_from_code("und"), KH_LANG_UNKNOWN);
    KH_CHECK_INT(kh_lang_from_code("zh"), KH_LANG_UNKNOWN);
    KH_CHECK_INT(kh_lang_from_code("ES"), KH_LANG_UNKNOWN); /* codes are lowercase */
    KH_CHECK_INT(khi_lang_of_tag("es-MX"), KH_LANG_ES);
    KH_CHECK_INT(khi_lang_of_tag("nb_NO"), KH_LANG_NO);
    KH_CHECK_INT(khi_lang_of_tag("deu"), KH_LANG_UNKNOWN);
    /* Values are pinned. */
    KH_CHECK_INT(KH_LANG_AR, 1);
    KH_CHECK_INT(KH_LANG_EN, 2);
    KH_CHECK_INT(KH_LANG_FR, 3);
}

/* ---- tokens ---- */

static char g_out[4096];

static int on_tok(void *user, unsigned flags, const char *t, size_t t_len, size_t s, size_t e)
{
    (void)user; (void)flags; (void)s; (void)e;
    size_t n = strlen(g_out);
    if (n + t_len + 2 < sizeof g_out) {
        if (n)
            g_out[n++] = ' ';
        memcpy(g_out + n, t, t_len);
        g_out[n + t_len] = 0;
    }
    return 0;
}

static const char *tokens(kh_tokenizer *tok, kh_lang lang, const char *text, unsigned opts)
{
    g_out[0] = 0;
    if (kh_tokenize(tok, lang, text, strlen(text), opts, on_tok, NULL) != KH_OK)
        return "(error)";
    return g_out;
}

static void test_stems(kh_tokenizer *tok)
{
    /* Stems as kh_tokenize gives them (keys: folded). */
    static const struct { kh_lang lang; const char *text, *want; } exact[] = {
        { KH_LANG_DE, "Häuser Regierungen", "haus regier" },
        { KH_LANG_ES, "políticas ministros ministro", "polit ministr ministr" },
        { KH_LANG_IT, "governi", "govern" },
        { KH_LANG_PT, "governos", "govern" },
        { KH_LANG_NL, "regeringen", "reger" },
        { KH_LANG_CA, "governs", "govern" },
        { KH_LANG_DA, "regeringer", "regering" },
        { KH_LANG_NO, "regjeringer", "regjering" },
        { KH_LANG_SV, "regeringar", "regering" },
        { KH_LANG_FI, "kaupungissa", "kaupung" },
        { KH_LANG_HU, "emberekről házakban", "ember haz" },   /* needs ő, á */
        { KH_LANG_RO, "guvernului", "guvern" },
        { KH_LANG_TR, "Başkanı kitapları", "baska kitap" },   /* needs ş, ı */
        { KH_LANG_EU, "etxeak", "etxe" },
        { KH_LANG_GA, "mbliana dtír", "bliana tir" },
        { KH_LANG_ID, "pemerintahan bukunya", "perintah buku" },
        { KH_LANG_LT, "prezidento", "prezident" },
        { KH_LANG_SR, "председник predsednik", "predsednik predsednik" },
        { KH_LANG_RU, "Новый президентом", "нов президент" }, /* needs й */
        { KH_LANG_EL, "ανθρώπους ανθρώπων", "ανθρωπ ανθρωπ" },
        { KH_LANG_HY, "կառավարությունը", "կառավար" },
        { KH_LANG_HI, "सरकारों", "सरकार" },
        { KH_LANG_NE, "सरकारले", "सरकार" },
        { KH_LANG_YI, "מענטשן", "מענטש" },
        /* English words in an Arabic text, and Arabic ones in any text */
        { KH_LANG_AR, "رؤساء presidents", "رؤساء presid" },
        { KH_LANG_RU, "والرقة Moscow", "رقه moscow" },
        /* unknown: keys only */
        { KH_LANG_UNKNOWN, "presidents والرقة Häuser новый", "presidents والرقه hauser новыи" },
    };
    KH_TEST("stems");
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        const char *got = tokens(tok, exact[i].lang, exact[i].text, KH_TOK_STEM);
        if (strcmp(got, exact[i].want) != 0)
            fprintf(stderr, "  %s: %s -> %s\n", kh_lang_code(exact[i].lang), exact[i].text, got);
        KH_CHECK_STR(got, exact[i].want);
    }
    KH_TEST("stems: a word and its capitalized form");
    char a[256];
    snprintf(a, sizeof a, "%s", tokens(tok, KH_LANG_TR, "başkanı", KH_TOK_STEM));
    KH_CHECK_STR(tokens(tok, KH_LANG_TR, "BAŞKANI", KH_TOK_STEM), a);
    KH_TEST("stems: kh_stem on a key gives a key");
    size_t n;
    const char *s = kh_stem(tok, KH_LANG_SR, "председник", strlen("председник"), &n);
    KH_CHECK(n == strlen("predsednik") && memcmp(s, "predsednik", n) == 0);
    s = kh_stem(tok, KH_LANG_DE, "regierungen", 11, &n);
    KH_CHECK(n == 6 && memcmp(s, "regier", 6) == 0);
}

static void test_stopwords(kh_tokenizer *tok)
{
    static const struct { kh_lang lang; const char *text, *want; } cases[] = {
        { KH_LANG_DE, "Die Regierung und das Parlament", "regierung parlament" },
        { KH_LANG_ES, "El gobierno y la oposición", "gobierno oposicion" },
        { KH_LANG_TR, "Hükümet ve meclis için bir karar", "hukumet meclis karar" },
        { KH_LANG_RU, "Правительство и парламент в Москве", "правительство парламент москве" },
        { KH_LANG_EL, "Η κυβέρνηση και η Βουλή", "κυβερνηση βουλη" },
        { KH_LANG_HI, "सरकार ने संसद में कहा", "सरकार संसद कहा" },
        { KH_LANG_SR, "Vlada i skupština su", "vlada skupstina" },
        { KH_LANG_UNKNOWN, "Die Regierung und the government", "die regierung und the government" },
    };
    KH_TEST("stopwords skipped");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        KH_CHECK_STR(tokens(tok, cases[i].lang, cases[i].text, KH_TOK_SKIP_STOPWORDS), cases[i].want);
    KH_TEST("stopword lists: every language has one");
    size_t counts[32] = { 0 }, i = 0, len;
    unsigned langs;
    while (khi_stopword_at(i++, &len, &langs))
        for (int b = 0; b < 32; b++)
            counts[b] += (langs >> b) & 1u;
    for (int l = 1; l < KH_LANG_COUNT_; l++) {
        if (counts[l - 1] < 20)
            fprintf(stderr, "  %s: %zu stopwords\n", kh_lang_code((kh_lang)l), counts[l - 1]);
        KH_CHECK(counts[l - 1] >= 20);
    }
    KH_CHECK(kh_is_stopword(KH_LANG_TR, "ve", 2));
    KH_CHECK(kh_is_stopword(KH_LANG_DE, "und", 3));
    KH_CHECK(!kh_is_stopword(KH_LANG_EN, "und", 3));
    KH_CHECK(!kh_is_stopword(KH_LANG_UNKNOWN, "und", 3));
}

/* ---- SemEval 2022: detection accuracy per language ---- */

#define SEMEVAL "../shared/corpora/semeval2022-dev/articles.jsonl"

static void test_semeval(void)
{
    FILE *f = fopen(SEMEVAL, "rb");
    if (!f) {
        printf("test_lang: %s absent, corpus check skipped\n", SEMEVAL);
        return;
    }
    KH_TEST("semeval detection");
    size_t n[KH_LANG_COUNT_] = { 0 }, ok[KH_LANG_COUNT_] = { 0 };
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        json_t *d = json_loadb(line, (size_t)len, 0, NULL);
        if (!d)
            continue;
        kh_lang want = kh_lang_from_code(json_string_value(json_object_get(d, "lang")));
        const char *text = json_string_value(json_object_get(d, "text"));
        const char *title = json_string_value(json_object_get(d, "title"));
        /* As the stages do: the text, else the title. */
        kh_lang got = KH_LANG_UNKNOWN;
        if (text && *text)
            got = kh_lang_detect(text, strlen(text));
        if (got == KH_LANG_UNKNOWN && title)
            got = kh_lang_detect(title, strlen(title));
        if (want != KH_LANG_UNKNOWN) {
            n[want]++;
            ok[want] += got == want;
            if (got != want && getenv("KH_TEST_VERBOSE"))
                fprintf(stderr, "  %s: %s, got %s\n", json_string_value(json_object_get(d, "id")),
                        kh_lang_code(want), kh_lang_code(got));
        }
        json_decref(d);
    }
    free(line);
    fclose(f);
    int langs = 0;
    for (int l = 1; l < KH_LANG_COUNT_; l++) {
        if (!n[l])
            continue;
        langs++;
        double acc = (double)ok[l] / (double)n[l];
        printf("test_lang: semeval %s: %zu/%zu detected, accuracy %.3f\n", kh_lang_code((kh_lang)l),
               ok[l], n[l], acc);
        KH_CHECK(acc >= 0.95);
    }
    KH_CHECK(langs >= 5);
}

/* The story stage keeps languages apart: Spanish and Turkish reports of
 * one event, with the same names, make two stories, each of its language,
 * whether the language is given or detected. */
static void test_stories(void)
{
    static const struct { const char *id, *lang, *text; } arts[] = {
        { "es-1", "es", "El presidente Pedro Sánchez se reunió el lunes en Ankara con Recep Tayyip "
                        "Erdoğan para hablar del acuerdo sobre los cereales del mar Negro." },
        { "tr-1", "tr", "Cumhurbaşkanı Recep Tayyip Erdoğan pazartesi günü Ankara'da Pedro Sánchez "
                        "ile Karadeniz tahıl anlaşmasını görüştü ve bir açıklama yaptı." },
        { "es-2", NULL, "Pedro Sánchez y Recep Tayyip Erdoğan hablaron en Ankara del acuerdo de los "
                        "cereales del mar Negro, según el gobierno de España." },
        { "tr-2", NULL, "Recep Tayyip Erdoğan ve Pedro Sánchez, Ankara'da Karadeniz tahıl anlaşması "
                        "için bir araya geldi ve anlaşmayı görüştü." },
    };
    KH_TEST("stories: one per language");
    kh_ctx *ctx;
    kh_storyer *st;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return;
    if (kh_storyer_create(ctx, NULL, &st) != KH_OK) {
        KH_CHECK(!"storyer");
        kh_ctx_free(ctx);
        return;
    }
    uint64_t ids[4] = { 0 };
    for (size_t i = 0; i < 4; i++) {
        kh_story_article a;
        memset(&a, 0, sizeof a);
        a.id = arts[i].id;
        a.dated = 1;
        a.time = 1700000000 + (int64_t)i * 600;
        a.lang = kh_lang_from_code(arts[i].lang);
        a.text = arts[i].text;
        a.text_len = strlen(arts[i].text);
        KH_CHECK_INT(kh_story_add(st, &a, &ids[i]), KH_OK);
    }
    KH_CHECK(ids[0] == ids[2]); /* es */
    KH_CHECK(ids[1] == ids[3]); /* tr */
    KH_CHECK(ids[0] != ids[1]);
    kh_story_info info;
    KH_CHECK(kh_story_get(st, ids[0], &info) == KH_OK && info.lang == KH_LANG_ES);
    KH_CHECK(kh_story_get(st, ids[1], &info) == KH_OK && info.lang == KH_LANG_TR);
    kh_storyer_free(st);
    kh_ctx_free(ctx);
}

static int count_tok(void *user, unsigned flags, const char *t, size_t t_len, size_t s, size_t e)
{
    (void)flags; (void)t; (void)t_len; (void)s; (void)e;
    ++*(int *)user;
    return 0;
}

/* Every allocation of create + tokenize + stem in new languages is failed
 * once in turn: a correct count or a clean KH_E_NOMEM, nothing leaked. */
static void test_nomem(void)
{
    KH_TEST("tokenizer nomem, Snowball languages");
    const char *text = "Başkanı kitapları Новый президентом Häuser";
    static const kh_lang langs[] = { KH_LANG_TR, KH_LANG_RU, KH_LANG_DE };
    int clean = 1, succeeded = 0;
    for (long n = 1; n < 60 && !succeeded; n++) {
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
            for (size_t l = 0; l < 3 && rc == KH_OK; l++)
                rc = kh_tokenize(tok, langs[l], text, strlen(text), KH_TOK_STEM, count_tok, &count);
            if (rc == KH_OK) {
                clean &= count == 15;
                succeeded = 1;
            }
            kh_tokenizer_free(tok);
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
    kh_ctx *ctx;
    kh_tokenizer *tok;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_tokenizer_create(ctx, &tok) != KH_OK)
        return 1;
    test_codes();
    test_detect();
    test_stems(tok);
    test_stopwords(tok);
    test_semeval();
    test_stories();
    test_nomem();
    kh_tokenizer_free(tok);
    kh_ctx_free(ctx);
    return kh_test_report("test_lang");
}
