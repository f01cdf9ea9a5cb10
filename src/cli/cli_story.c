/*
 * cli_story.c — the step khabar stories and khabar ingest share before
 * their articles go to the storyer: undated articles get a time from their
 * content.
 */
#include "cli.h"

kh_status cli_date_undated(kh_ctx *ctx, kh_tokenizer *tok, kh_story_article *arts, size_t n)
{
    size_t undated = 0;
    for (size_t i = 0; i < n; i++)
        undated += !arts[i].dated;
    /* nothing to date, or no date to lend */
    if (undated == 0 || undated == n)
        return KH_OK;
    return kh_story_date_by_content(ctx, tok, arts, n, KH_STORY_UNDATED_MIN_SIMILARITY, NULL);
}
