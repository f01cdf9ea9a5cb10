/*
 * kh_link_store.c — stored stories to the linker: each story a filter
 * passes, with the lead of its first articles as the store keeps them. A
 * store keeps no links: whoever reads a store (khabar stories --db, the
 * web page) links the stories it reads, and the window of one story is
 * all a page needs.
 */
#include "kh_link_int.h"

#include <stdlib.h>
#include <string.h>

#define LEAD_TEXTS 4 /* the titles and bodies of the first two articles */

/* The stored stories' ids and languages, gathered before any is read: a
 * store's statements are not nested. */
typedef struct id_lang {
    int64_t id;
    kh_lang lang;
} id_lang;

typedef struct id_list {
    kh_buf ids; /* id_lang[] */
    kh_status rc;
} id_list;

static int gather_id(void *user, const kh_store_story *s)
{
    id_list *l = user;
    id_lang x = { s->id, kh_lang_from_code(s->lang ? s->lang : "") };
    l->rc = kh_buf_append(&l->ids, &x, sizeof x);
    return l->rc != KH_OK;
}

/* One story's row and lead, its strings NUL-terminated one after another
 * in buf. */
typedef struct lead {
    kh_buf buf;
    size_t headline;          /* offset in buf; (size_t)-1: none */
    size_t text_at[LEAD_TEXTS];
    size_t n_texts;
    kh_link_story story;
    kh_status rc;
} lead;

static size_t lead_put(lead *l, const char *s)
{
    size_t at = l->buf.len;
    if (l->rc == KH_OK)
        l->rc = kh_buf_append(&l->buf, s ? s : "", (s ? strlen(s) : 0) + 1);
    return at;
}

static int lead_row(void *user, const kh_store_story *s)
{
    lead *l = user;
    l->story.lang = kh_lang_from_code(s->lang ? s->lang : "");
    int64_t t;
    if (s->first && kh_story_parse_date(s->first, strlen(s->first), &t) == KH_OK) {
        l->story.dated = 1;
        l->story.first = l->story.last = t;
        if (s->last && kh_story_parse_date(s->last, strlen(s->last), &t) == KH_OK)
            l->story.last = t;
    }
    if (s->headline)
        l->headline = lead_put(l, s->headline);
    return l->rc != KH_OK;
}

static int lead_article(void *user, const kh_store_article *a)
{
    lead *l = user;
    l->story.n_articles++;
    if (l->n_texts + 2 > LEAD_TEXTS)
        return 0;
    l->text_at[l->n_texts++] = lead_put(l, a->title);
    l->text_at[l->n_texts++] = lead_put(l, a->body);
    return l->rc != KH_OK;
}

/* Adds the stories filter passes, at most limit of them in the filter's
 * order; with only_for > 0, story only_for first, then those of the
 * listing in other languages than its own. */
static kh_status add_stored(kh_linker *lk, kh_store *store, const kh_store_story_filter *filter,
                            int64_t only_for, size_t limit)
{
    if (!lk || !store)
        return KH_E_ARG;
    kh_ctx *ctx = khi_link_ctx(lk);
    id_list ids;
    kh_buf_init(&ids.ids, ctx, 0);
    ids.rc = KH_OK;
    kh_status rc = KH_OK;
    int has_story = 1;
    if (only_for > 0) { /* the story itself, whatever the listing holds */
        rc = kh_store_get_story(store, only_for, &has_story, gather_id, NULL, &ids);
        if (rc == KH_E_STOPPED)
            rc = ids.rc;
    }
    if (rc == KH_OK && has_story)
        rc = kh_store_list_stories_where(store, filter, 0, limit, gather_id, &ids, NULL);
    if (rc == KH_E_STOPPED)
        rc = ids.rc;
    lead l;
    memset(&l, 0, sizeof l);
    kh_buf_init(&l.buf, ctx, 0);
    const id_lang *id = (const id_lang *)ids.ids.data;
    size_t n = ids.ids.len / sizeof *id;
    kh_lang own = KH_LANG_COUNT_; /* only_for's language; none: every story */
    for (size_t i = 0; only_for > 0 && i < n; i++)
        if (id[i].id == only_for) own = id[i].lang;
    for (size_t i = 0; rc == KH_OK && i < n; i++) {
        if (only_for > 0 && i > 0 && id[i].id == only_for)
            continue; /* listed again */
        if (only_for > 0 && id[i].id != only_for && id[i].lang == own)
            continue;
        kh_buf_clear(&l.buf);
        memset(&l.story, 0, sizeof l.story);
        l.headline = (size_t)-1;
        l.n_texts = 0;
        l.rc = KH_OK;
        int found = 0;
        rc = kh_store_get_story(store, id[i].id, &found, lead_row, lead_article, &l);
        if (rc == KH_E_STOPPED)
            rc = l.rc;
        if (rc != KH_OK || !found)
            continue;
        const char *texts[LEAD_TEXTS];
        for (size_t k = 0; k < l.n_texts; k++) texts[k] = l.buf.data + l.text_at[k];
        l.story.id = (uint64_t)id[i].id;
        l.story.headline = l.headline != (size_t)-1 ? l.buf.data + l.headline : NULL;
        l.story.texts = texts;
        l.story.n_texts = l.n_texts;
        rc = kh_link_add(lk, &l.story);
    }
    kh_buf_free(&l.buf);
    kh_buf_free(&ids.ids);
    return rc;
}

kh_status kh_link_add_stored(kh_linker *lk, kh_store *store, const kh_store_story_filter *filter)
{
    return add_stored(lk, store, filter, 0, SIZE_MAX);
}

kh_status khi_link_add_stored_for(kh_linker *lk, kh_store *store,
                                  const kh_store_story_filter *filter, int64_t story,
                                  size_t limit)
{
    return add_stored(lk, store, filter, story > 0 ? story : -1, limit);
}
