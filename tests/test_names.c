/*
 * test_names.c — kh_names_find(): spans in code points, a name cued once
 * found again, common nouns and particles kept out, place names read from
 * a gettext catalogue, and every allocation failed in turn.
 */
#include "khabar.h"
#include "testhelp.h"

#include <stdint.h>
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

/* A .mo catalogue of n (msgid, msgstr) pairs, as msgfmt writes one. */
static int write_mo(const char *path, const char *const *ids, const char *const *strs, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    uint32_t head[7] = { 0x950412deu, 0, (uint32_t)n, 28, (uint32_t)(28 + 8 * n), 0, 0 };
    uint32_t off = (uint32_t)(28 + 16 * n);
    uint32_t *tab = calloc(4 * n, sizeof *tab);
    if (!tab) {
        fclose(f);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        tab[2 * i] = (uint32_t)strlen(ids[i]);
        tab[2 * i + 1] = off;
        off += (uint32_t)strlen(ids[i]) + 1;
    }
    for (size_t i = 0; i < n; i++) {
        tab[2 * n + 2 * i] = (uint32_t)strlen(strs[i]);
        tab[2 * n + 2 * i + 1] = off;
        off += (uint32_t)strlen(strs[i]) + 1;
    }
    int ok = fwrite(head, sizeof head, 1, f) == 1 && fwrite(tab, 4 * sizeof *tab, n, f) == n;
    for (size_t i = 0; i < n; i++) ok &= fwrite(ids[i], strlen(ids[i]) + 1, 1, f) == 1;
    for (size_t i = 0; i < n; i++) ok &= fwrite(strs[i], strlen(strs[i]) + 1, 1, f) == 1;
    free(tab);
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
    const char *ids[] = { "", "Iran, Islamic Republic of", "Lebanon" };
    const char *strs[] = { "Content-Type: text/plain; charset=UTF-8\n",
                           "إيران، الجمهوريّة الإسلاميّة الإيرانيّة", "لبنان" };
    KH_CHECK(write_mo(path, ids, strs, 3));
    kh_places *pl = NULL;
    KH_CHECK(kh_places_load(ctx, path, &pl) == KH_OK);
    KH_CHECK_INT(kh_places_count(pl), 3); /* the header skipped, إيران added */
    const char *t = "وصل الوزير إلى بيروت قادما من طهران، وقال إن لبنان وإيران متفقان.";
    kh_names_doc d = { NULL, t, strlen(t), NULL, 0 };
    KH_CHECK(kh_names_find(ctx, NULL, &d, 1, arena) == KH_OK);
    KH_CHECK(!has_text(&d, "لبنان"));
    KH_CHECK(kh_names_find(ctx, pl, &d, 1, arena) == KH_OK);
    KH_CHECK(has_name(&d, "لبنان", KH_ENTITY_PLACE));
    KH_CHECK(has_name(&d, "وإيران", KH_ENTITY_PLACE)); /* the word as written */
    kh_places_free(pl);

    /* a missing file and a file that is no catalogue are errors that say which */
    pl = NULL;
    KH_CHECK(kh_places_load(ctx, "/nonexistent/iso_3166-1.mo", &pl) == KH_E_IO && !pl);
    KH_CHECK(strstr(kh_errmsg(ctx), "/nonexistent/iso_3166-1.mo") != NULL);
    FILE *f = fopen(path, "wb");
    KH_CHECK(f && fputs("not a catalogue, just text that is long enough", f) >= 0);
    if (f) fclose(f);
    KH_CHECK(kh_places_load(ctx, path, &pl) == KH_E_FORMAT && !pl);
    /* a table that points past the end */
    f = fopen(path, "wb");
    uint32_t head[7] = { 0x950412deu, 0, 1000000, 28, 28, 0, 0 };
    KH_CHECK(f && fwrite(head, sizeof head, 1, f) == 1);
    if (f) fclose(f);
    KH_CHECK(kh_places_load(ctx, path, &pl) == KH_E_FORMAT && !pl);
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
    test_places();
    test_edges();
    test_nomem();
    return kh_test_report("test_names");
}
