/*
 * kh_link_int.h — what the pipeline asks of the linker beyond khabar.h: a
 * story's lead read from the words its account already split, so that a
 * story's text is split once (kh_link.c).
 */
#ifndef KH_LINK_INT_H
#define KH_LINK_INT_H

#include "kh_account_int.h"

/* kh_link_add() with the lead read from texts[0..n_articles) (an
 * account's words, story order) besides story->texts, if any. */
kh_status khi_link_add_texts(kh_linker *lk, const kh_link_story *story,
                             const khi_article_texts *texts, size_t n_articles);

/* kh_link_add_stored() for one story's page: story itself, then at most
 * limit of the stories filter passes (in its order), those of another
 * language than story's (its links across languages, without reading its
 * language's stories; the filter's not_lang spares even listing them). */
kh_status khi_link_add_stored_for(kh_linker *lk, kh_store *store,
                                  const kh_store_story_filter *filter, int64_t story,
                                  size_t limit);

/* The linker's context (kh_link_store.c allocates with it). */
kh_ctx *khi_link_ctx(const kh_linker *lk);

/* The lexicon (kh_bilex.c), keyed as the linker keys a lead's words. */

/* A word's normalized key (english: an English word's, 0 for others); 0
 * when it is no ordinary word (a stopword, a number, too short). */
uint64_t khi_bilex_key(const khi_word *w, int english);

/* The English gloss keys of a foreign word; *out owned by lx. */
size_t khi_bilex_glosses(const kh_bilex *lx, const khi_word *w, const uint64_t **out);

/* The English text of a gloss key, NULL when lx has none. */
const char *khi_bilex_text(const kh_bilex *lx, uint64_t gloss);

#endif /* KH_LINK_INT_H */
