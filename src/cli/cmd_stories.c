/*
 * cmd_stories.c — `khabar stories`: reads articles, puts them in time order
 * and groups the ones that report the same event, one JSON line (or a
 * Markdown section) per story, printed as each story closes; with --db,
 * prints the stories a store holds (as khabar ingest filed them) in the
 * same shape.
 */
#include "cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

static const char help_text[] =
    "Reads every input, orders the articles by date and groups them online\n"
    "into stories (articles reporting the same event), then prints one record\n"
    "per story, in order of creation:\n"
    "  {\"story\": 1, \"articles\": [\"id\", ...], \"first\": \"date\", \"last\": \"date\"}\n"
    "first/last are the earliest and latest of its articles' own dates, in the\n"
    "cleaner's shape (2016-10-25, 2016-10-25T14:30; no zone is claimed; times\n"
    "given with an offset are moved to UTC); null when none has a date.\n"
    "The record also holds the story's account and \"why\": for each article,\n"
    "in the same order, its \"decision\" (\"started\" the story, \"joined\" it, or\n"
    "came as a \"copy\" of an article in it), the \"score\" that decided (the\n"
    "\"cosine\" with the story's centroid times a \"time_factor\": 1 at the time\n"
    "of the story's first reports, 0.5 a window away, times an \"event_factor\"\n"
    "when the texts disagree: 0.6 when both lead with numbers and share none,\n"
    "0.6 when both date what they report and share no month), for a start the\n"
    "\"nearest\" story and its score, and the \"terms\" it shares with the story:\n"
    "the term as compared (normalized, stemmed), its \"share\" of the cosine and\n"
    "its \"kind\" (title, name, number). An article joins at a score of\n"
    "--threshold or more. --explain writes the same after each article in\n"
    "Markdown.\n"
    "\n"
    "Provenance, as the copies step found it: \"copies\" lists the articles\n"
    "that copy another, [{\"id\": ..., \"copy_of\": ..., \"relation\": \"near\"}]\n"
    "(the article each was verified to copy, maybe in another story, and how:\n"
    "exact, near, contained or extended, as in khabar dedup --groups; empty\n"
    "when none); \"independent_sources\" counts the distinct outlets among the\n"
    "articles that copy none of the story's; \"wire\" is the agency (\"واس\",\n"
    "\"رويترز\", ...) most of its copied articles came from, or null. Markdown\n"
    "says it under the heading: \"3 outlets ran the واس wire; 2 independent\n"
    "sources\". A store does not keep them: --db leaves them out.\n"
    "\n"
    "One event across languages: stories are grouped per language, then\n"
    "stories of different languages that report the same event are linked,\n"
    "on evidence read from their leads that needs no model: names matched\n"
    "across scripts by their consonants (مرسى النخيل ~ Marsa al-Nakheel),\n"
    "numbers with their multipliers in either digit set (1.2 مليار ~ $1.2bn ~\n"
    "1,2 milliard), days of months and weekdays, each weighted by its rarity;\n"
    "and, weakly, ordinary words whose English glosses meet in the FreeDict\n"
    "bilingual lexicon (ميناء ~ port ~ port: at most 2 points in all, never\n"
    "a link alone, never a word that is or sounds as a name), read at run\n"
    "time from /usr/share/dictd or $KHABAR_LEXICON (Debian's packages\n"
    "dict-freedict-ara-eng, dict-freedict-eng-ara, dict-freedict-fra-eng;\n"
    "without them one warning, and linking goes on without words;\n"
    "KHABAR_LEXICON=none: without, silently).\n"
    "Two stories within 72h of each other link at a score of 11 with at least\n"
    "two names or facts, one of them a full name, a number or a date (one\n"
    "shared place is no event). Each record then has \"link\": null, or\n"
    "{\"set\": 1, \"stories\": [1, 2], \"langs\": [\"ar\", \"en\"], \"headline\": ...,\n"
    "\"score\": 17.0, \"why\": {\"names\": [...], \"numbers\": [...], \"dates\": [...],\n"
    "\"words\": [...]}}:\n"
    "the set (its smallest story number), its stories and languages, the\n"
    "headline in the reader's language (--lang; else the story's own) and\n"
    "what its links share. Markdown says it under the heading. Records wait\n"
    "in a temporary file until every story has closed; --no-link prints each\n"
    "story as it closes, with no \"link\". With --db the stored stories are\n"
    "linked as they are read (the store keeps no links).\n"
    "\n"
    "Pages and HTML are cleaned first (title, date, body), as by khabar clean;\n"
    "copies (exact or near, as found by kh_dedup) join their original's story.\n"
    "Articles are compared by TF-IDF cosine (stemmed terms, title and names\n"
    "weighted up) with the stories of their own language that are still open;\n"
    "a story closes when no article joined it for a window. An undated article\n"
    "is placed at the time of the dated article it most resembles, else of the\n"
    "dated article before it in the input; that estimate is not reported as\n"
    "its date.\n"
    "\n"
    "Memory follows the open stories, not the length of the input (a closed\n"
    "story's record waits on disk for its links, ~1.5 KiB of its evidence in\n"
    "memory): each article waits in a temporary file (in\n"
    "$TMPDIR, else /tmp; removed at exit; the first 4 MiB stay in memory)\n"
    "with 32 bytes of it in memory.\n"
    "Undated articles among dated ones are the exception: dating them reads\n"
    "every article's text at once.\n"
    "\n"
    "With --db FILE no PATH is read: the stories of the store that khabar\n"
    "ingest filled are printed instead, in story-id order (stable from run to\n"
    "run, so scripts can rely on it), each with its articles in date order and\n"
    "its stored account and each article's stored \"why\" (null for an article\n"
    "stored before the store kept whys, until ingest groups the store again;\n"
    "a start's \"nearest\" is a stored story id), in the same record shape (or\n"
    "Markdown, with --explain) as above.\n"
    "The store is opened read-only; a missing file is an error.\n"
    "\n"
    "A bad record is reported on stderr and skipped. A summary on stderr (a\n"
    "terminal, --stats, or when records were skipped) counts them:\n"
    "records read = articles + skipped with errors, and the stories.\n"
    "With no PATH, a piped standard input is read.\n"
    "\n"
    "Options (before or after the paths; -- ends them):\n"
    "  --db FILE       print the stories stored in FILE instead of reading PATHs\n"
    "  --window W      how long a story stays open without a new article:\n"
    "                  72h (default), 3d, 90m, or seconds\n"
    "  --threshold X   score an article needs to join a story, 0..1 (0.35)\n"
    "  --format F      jsonl (default) or md\n"
    "  --explain       in Markdown, say after each article why it is in its story\n"
    "  --lang CODE     the language a linked set's headline is shown in (ar, en...)\n"
    "  --no-link       no links across languages; print stories as they close\n"
    "  --stats         print the summary on stderr even when it is not a terminal\n"
    "  --strict        stop at the first bad record and exit 1\n"
    "  -h, --help      show this help\n";

/* Parses "72h", "3d", "90m", "45s" or plain seconds. */
static int parse_window(const char *s, int64_t *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || !(v > 0))
        return -1;
    double unit = 1;
    if (*end == 'h')
        unit = 3600, end++;
    else if (*end == 'd')
        unit = 86400, end++;
    else if (*end == 'm')
        unit = 60, end++;
    else if (*end == 's')
        end++;
    if (*end || v * unit > 1e12 || v * unit < 1)
        return -1;
    *out = (int64_t)(v * unit);
    return 0;
}

/* A time in the shape the cleaner gives article dates (kh_date): the day
 * alone at midnight, minutes, seconds only when there are some. No zone
 * is claimed: most pages give a local time without one; times that came
 * with an offset have been moved to UTC. */
static void format_time(int64_t t, char *out, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (t % 86400 == 0)
        strftime(out, size, "%Y-%m-%d", &tm);
    else if (t % 60 == 0)
        strftime(out, size, "%Y-%m-%dT%H:%M", &tm);
    else
        strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* One article's why as the rest of its Markdown list line. */
static kh_status why_md(kh_buf *out, const kh_story_why *w)
{
    if (w->copy)
        return kh_buf_puts(out, " — a copy: joined its original's story");
    kh_status r;
    if (w->started)
        r = w->nearest ? kh_buf_printf(out, " — started a story; the nearest, story %llu, scored "
                                            "%.2f",
                                       (unsigned long long)w->nearest, w->score)
                       : kh_buf_puts(out, " — started a story; no open story shared its terms");
    else
        r = kh_buf_printf(out, " — joined at %.2f (cosine %.2f × time %.2f", w->score, w->cosine,
                          w->time_factor);
    if (r == KH_OK && !w->started)
        r = w->event_factor > 0 && w->event_factor < 1.0 ? kh_buf_printf(out, " × event %.2f)", w->event_factor)
                                  : kh_buf_puts(out, ")");
    else if (r == KH_OK && w->nearest && w->event_factor > 0 && w->event_factor < 1.0)
        r = kh_buf_printf(out, " (× event %.2f: numbers or dates disagree)", w->event_factor);
    for (size_t t = 0; r == KH_OK && t < w->n_terms; t++)
        r = kh_buf_printf(out, "%s%s %.3f", t ? ", " : ": ", w->terms[t].text, w->terms[t].share);
    return r;
}

/* One article's why in Markdown as its JSON says it (4 decimals), so that
 * a stored why, read back, gives the same line: written to JSON in scratch,
 * read back, said. */
static kh_status why_md_as_json(kh_ctx *ctx, kh_buf *out, kh_buf *scratch, const char *id,
                                const kh_story_why *w)
{
    kh_story_why back;
    kh_buf_clear(scratch);
    kh_status r = kh_story_why_json(w, id, scratch);
    if (r == KH_OK)
        r = kh_story_why_parse(ctx, scratch->data, scratch->len, &back);
    return r == KH_OK ? why_md(out, &back) : r;
}

/* The story's provenance under its Markdown heading: the wire its copies
 * came from and how many outlets ran it, and its independent sources. */
static kh_status provenance_md(kh_buf *out, const kh_pipeline_story *s)
{
    size_t k = s->independent_sources;
    kh_status w = KH_OK;
    if (s->wire)
        w = kh_buf_printf(out, "%zu outlet%s ran the %s wire; ", s->wire_outlets,
                          s->wire_outlets == 1 ? "" : "s", s->wire);
    if (w == KH_OK)
        w = kh_buf_printf(out, "%zu independent source%s\n\n", k, k == 1 ? "" : "s");
    return w;
}

/* The story's provenance in its JSON record: "copies" (each article that
 * copies another, with the one it copies and how), "independent_sources"
 * and "wire". */
static kh_status provenance_json(kh_buf *out, const kh_pipeline_story *s)
{
    kh_status w = kh_buf_puts(out, ", \"copies\": [");
    size_t k = 0;
    for (size_t i = 0; w == KH_OK && i < s->n_articles; i++) {
        const char *c = s->copy_of ? s->copy_of[i] : NULL;
        if (!c)
            continue;
        if (k++)
            w = kh_buf_puts(out, ", ");
        if (w == KH_OK)
            w = kh_buf_puts(out, "{\"id\": ");
        if (w == KH_OK)
            w = kh_buf_json_string(out, s->ids[i], strlen(s->ids[i]));
        if (w == KH_OK)
            w = kh_buf_puts(out, ", \"copy_of\": ");
        if (w == KH_OK)
            w = kh_buf_json_string(out, c, strlen(c));
        if (w == KH_OK)
            w = kh_buf_printf(out, ", \"relation\": \"%s\"}",
                              kh_dedup_relation_name(s->relation[i]));
    }
    if (w == KH_OK)
        w = kh_buf_printf(out, "], \"independent_sources\": %zu, \"wire\": ",
                          s->independent_sources);
    if (w == KH_OK)
        w = s->wire ? kh_buf_json_string(out, s->wire, strlen(s->wire)) : kh_buf_puts(out, "null");
    return w;
}

/* One story's record: info from the storyer, ids[0..info->n_articles) its
 * articles in the order they joined, why[i] why each did (NULL: not known,
 * as for stored stories); explain puts the why into Markdown too (scratch
 * is where it goes through JSON); prov, when known (NULL for stored
 * stories), its provenance. */
static kh_status print_story(kh_ctx *ctx, kh_buf *out, kh_buf *scratch,
                             const kh_story_info *story, const char *const *ids,
                             const kh_story_why *why, int md, int explain,
                             const kh_account *acc, const kh_pipeline_story *prov)
{
    kh_story_info info = *story;
    uint64_t id = info.id;
    kh_status w;
    char first[32] = "", last[32] = "";
    if (info.dated) {
        format_time(info.first, first, sizeof first);
        format_time(info.last, last, sizeof last);
    }
    if (md) {
        w = kh_buf_printf(out, "## Story %llu (%s, %zu article%s", (unsigned long long)id,
                          kh_lang_code(info.lang), info.n_articles,
                          info.n_articles == 1 ? "" : "s");
        if (w == KH_OK && info.dated)
            w = strcmp(first, last) ? kh_buf_printf(out, ", %s to %s", first, last)
                                    : kh_buf_printf(out, ", %s", first);
        if (w == KH_OK)
            w = kh_buf_puts(out, ")\n\n");
        if (w == KH_OK && prov)
            w = provenance_md(out, prov);
        for (size_t i = 0; w == KH_OK && i < info.n_articles; i++) {
            w = kh_buf_printf(out, "- %s", ids[i]);
            if (w == KH_OK && why && explain)
                w = why_md_as_json(ctx, out, scratch, ids[i], &why[i]);
            if (w == KH_OK)
                w = kh_buf_puts(out, "\n");
        }
        if (w == KH_OK)
            w = kh_buf_puts(out, "\n");
        if (w == KH_OK && acc)
            w = kh_account_markdown(acc, out);
        if (w == KH_OK && acc)
            w = kh_buf_puts(out, "\n");
        return w;
    }
    w = kh_buf_printf(out, "{\"story\": %llu, \"articles\": [", (unsigned long long)id);
    for (size_t i = 0; w == KH_OK && i < info.n_articles; i++) {
        const char *a = ids[i];
        if (i)
            w = kh_buf_puts(out, ", ");
        if (w == KH_OK)
            w = kh_buf_json_string(out, a, strlen(a));
    }
    if (w == KH_OK)
        w = info.dated ? kh_buf_printf(out, "], \"first\": \"%s\", \"last\": \"%s\"", first, last)
                       : kh_buf_puts(out, "], \"first\": null, \"last\": null");
    if (w == KH_OK && prov)
        w = provenance_json(out, prov);
    if (w == KH_OK && why) {
        w = kh_buf_puts(out, ", \"why\": [");
        for (size_t i = 0; w == KH_OK && i < info.n_articles; i++) {
            if (i)
                w = kh_buf_puts(out, ", ");
            if (w == KH_OK)
                w = kh_story_why_json(&why[i], ids[i], out);
        }
        if (w == KH_OK)
            w = kh_buf_puts(out, "]");
    }
    if (w == KH_OK && acc)
        w = kh_buf_puts(out, ", ");
    if (w == KH_OK && acc)
        w = kh_account_json(acc, KH_ACCOUNT_JSON_IN_STORY, out);
    if (w == KH_OK)
        w = kh_buf_puts(out, "}\n");
    return w;
}

/* ---- --db: the stories of a store ---------------------------------------- */

typedef struct db_ids {
    int64_t *v;
    size_t n, cap;
} db_ids;

static int collect_story(void *user, const kh_store_story *story)
{
    db_ids *ids = user;
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 256;
        int64_t *v = realloc(ids->v, cap * sizeof *v);
        if (!v)
            return 1;
        ids->v = v;
        ids->cap = cap;
    }
    ids->v[ids->n++] = story->id;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* One stored story as it is read: the row, then its articles. */
typedef struct db_story {
    kh_ctx *ctx;
    kh_buf row;      /* the story's first/last/lang/account, NUL-separated */
    kh_buf articles; /* article ids, NUL-terminated one after another */
    kh_buf whys;     /* their stored whys, likewise; "" for none */
    kh_buf copy_of;  /* the article each copies, likewise; "" for none */
    kh_buf relation; /* how, one kh_dedup_relation each */
    size_t n_articles;
    size_t first, last, lang, account, wire; /* offsets in row; (size_t)-1 = NULL */
    int64_t independent_sources, wire_outlets;
    kh_status rc;
} db_story;

static size_t keep_str(db_story *d, const char *s)
{
    if (!s)
        return (size_t)-1;
    size_t at = d->row.len;
    kh_status rc = kh_buf_append(&d->row, s, strlen(s) + 1);
    if (rc != KH_OK) {
        d->rc = rc;
        return (size_t)-1;
    }
    return at;
}

static int db_story_row(void *user, const kh_store_story *story)
{
    db_story *d = user;
    d->first = keep_str(d, story->first);
    d->last = keep_str(d, story->last);
    d->lang = keep_str(d, story->lang);
    d->account = keep_str(d, story->account_json);
    d->wire = keep_str(d, story->wire);
    d->independent_sources = story->independent_sources;
    d->wire_outlets = story->wire_outlets;
    return d->rc != KH_OK;
}

/* The relation a stored name stands for (kh_dedup_relation_name() read
 * back); KH_DEDUP_NONE for none or an unknown name. */
static kh_dedup_relation relation_named(const char *name)
{
    static const kh_dedup_relation known[] = { KH_DEDUP_EXACT, KH_DEDUP_NEAR,
                                               KH_DEDUP_CONTAINED, KH_DEDUP_EXTENDED };
    for (size_t i = 0; name && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, kh_dedup_relation_name(known[i])) == 0)
            return known[i];
    return KH_DEDUP_NONE;
}

static int db_story_article(void *user, const kh_store_article *article)
{
    db_story *d = user;
    d->rc = kh_buf_append(&d->articles, article->id, strlen(article->id) + 1);
    if (d->rc == KH_OK)
        d->rc = article->why ? kh_buf_append(&d->whys, article->why, strlen(article->why) + 1)
                             : kh_buf_append(&d->whys, "", 1);
    kh_dedup_relation rel = relation_named(article->copy_relation);
    const char *copy_of = article->copy_of && rel != KH_DEDUP_NONE ? article->copy_of : "";
    if (d->rc == KH_OK)
        d->rc = kh_buf_append(&d->copy_of, copy_of, strlen(copy_of) + 1);
    if (d->rc == KH_OK)
        d->rc = kh_buf_append(&d->relation, &rel, sizeof rel);
    d->n_articles++;
    return d->rc != KH_OK;
}

static const char *row_str(const db_story *d, size_t at)
{
    return at == (size_t)-1 ? NULL : d->row.data + at;
}

/* Reads a stored why (NUL-terminated at w; "" for none) into *why; *known
 * is 0 when there is none. KH_E_JSON when it is not a why. */
static kh_status db_why(kh_ctx *ctx, const char *w, kh_story_why *why, int *known)
{
    *known = *w != '\0';
    return *known ? kh_story_why_parse(ctx, w, strlen(w), why) : KH_OK;
}

/* The bilingual lexicon for linking, from $KHABAR_LEXICON or where Debian
 * installs FreeDict; NULL, with one warning, when it cannot be read:
 * linking then goes on without "words" evidence. KHABAR_LEXICON=none:
 * without, and no warning. */
static kh_bilex *load_lexicon(kh_ctx *ctx)
{
    const char *dir = getenv("KHABAR_LEXICON");
    kh_bilex *lx = NULL;
    if (dir && strcmp(dir, "none") == 0)
        return NULL;
    if (kh_bilex_load(ctx, dir && *dir ? dir : NULL, &lx) != KH_OK)
        cli_error("warning: no bilingual lexicon, linking without \"words\": %s (install "
                  "dict-freedict-ara-eng, dict-freedict-eng-ara, dict-freedict-fra-eng, or "
                  "set KHABAR_LEXICON)",
                  kh_errmsg(ctx));
    return lx;
}

/* A held record with its link: in JSON Lines "link" goes last in the
 * record; in Markdown a line under the story's heading names the set. */
static kh_status linked_record(kh_buf *out, int md, kh_lang reader, const kh_linker *lk,
                               uint64_t id, const char *rec, size_t len)
{
    if (!md) {
        while (len && (rec[len - 1] == '\n' || rec[len - 1] == '}')) {
            int brace = rec[len - 1] == '}';
            len--;
            if (brace)
                break;
        }
        kh_status w = kh_buf_append(out, rec, len);
        if (w == KH_OK)
            w = kh_buf_puts(out, ", \"link\": ");
        if (w == KH_OK) {
            kh_link_info li;
            /* no reader language: the story's own */
            if (!reader && kh_link_get(lk, id, &li) == KH_OK)
                for (size_t i = 0; i < li.n_stories; i++)
                    if (li.stories[i] == id) reader = li.langs[i];
            w = kh_link_json(lk, id, reader, out);
        }
        return w == KH_OK ? kh_buf_puts(out, "}\n") : w;
    }
    /* the heading and the blank line after it, then the set */
    const char *nl = memchr(rec, '\n', len);
    size_t head = nl ? (size_t)(nl - rec) + 1 : len;
    if (head < len && rec[head] == '\n')
        head++;
    kh_status w = kh_buf_append(out, rec, head);
    kh_link_info li;
    if (w == KH_OK && kh_link_get(lk, id, &li) == KH_OK && li.set) {
        w = kh_buf_printf(out, "One event across languages (set %llu, score %.2f):",
                          (unsigned long long)li.set, li.score);
        for (size_t i = 0; w == KH_OK && i < li.n_stories; i++)
            w = kh_buf_printf(out, "%s story %llu (%s)", i ? "," : "",
                              (unsigned long long)li.stories[i], kh_lang_code(li.langs[i]));
        if (!reader)
            for (size_t i = 0; i < li.n_stories; i++)
                if (li.stories[i] == id) reader = li.langs[i];
        const char *h = kh_link_headline(lk, id, reader);
        if (w == KH_OK && h)
            w = kh_buf_printf(out, ". Headline: %s", h);
        const char *const *lists[3] = { li.names, li.numbers, li.dates };
        size_t counts[3] = { li.n_names, li.n_numbers, li.n_dates };
        for (int l = 0; w == KH_OK && l < 3; l++)
            for (size_t i = 0; w == KH_OK && i < counts[l]; i++)
                w = kh_buf_printf(out, "%s%s", i ? ", " : l || !h ? "; " : ". Shared ",
                                  lists[l][i]);
        if (w == KH_OK)
            w = kh_buf_puts(out, "\n\n");
    }
    return w == KH_OK ? kh_buf_append(out, rec + head, len - head) : w;
}

/* Links the stored stories across languages, from their leads as stored
 * (a store keeps no links: they are found as they are read). */
static kh_status db_link(kh_ctx *ctx, kh_store *store, const kh_bilex *lx, kh_linker **out)
{
    kh_linker *lk = NULL;
    kh_link_options lo;
    kh_link_options_init(&lo);
    lo.lexicon = lx;
    kh_status rc = kh_linker_create(ctx, &lo, &lk);
    if (rc == KH_OK)
        rc = kh_link_add_stored(lk, store, NULL);
    if (rc == KH_OK)
        rc = kh_link_run(lk);
    if (rc != KH_OK) {
        kh_linker_free(lk);
        lk = NULL;
    }
    *out = lk;
    return rc;
}

/* Prints one stored story as print_story() prints one grouped here, with
 * each article's stored why (null for an article grouped before the store
 * kept whys) and prov, its stored provenance (NULL for a story stored
 * before the store kept it). */
static kh_status print_db_story_as(kh_buf *out, int64_t id, const db_story *d, int md,
                                   int explain, const kh_account *acc,
                                   const kh_pipeline_story *prov)
{
    kh_story_why why;
    int known;
    const char *first = row_str(d, d->first), *last = row_str(d, d->last);
    if (!first || !last)
        first = last = NULL;
    kh_status w;
    if (md) {
        const char *lang = row_str(d, d->lang);
        w = kh_buf_printf(out, "## Story %lld (%s, %zu article%s", (long long)id,
                          lang ? lang : "und", d->n_articles, d->n_articles == 1 ? "" : "s");
        if (w == KH_OK && first)
            w = strcmp(first, last) ? kh_buf_printf(out, ", %s to %s", first, last)
                                    : kh_buf_printf(out, ", %s", first);
        if (w == KH_OK)
            w = kh_buf_puts(out, ")\n\n");
        if (w == KH_OK && prov)
            w = provenance_md(out, prov);
        const char *a = d->articles.data, *y = d->whys.data;
        for (size_t i = 0; w == KH_OK && i < d->n_articles;
             i++, a += strlen(a) + 1, y += strlen(y) + 1) {
            w = kh_buf_printf(out, "- %s", a);
            if (w == KH_OK && explain && (w = db_why(d->ctx, y, &why, &known)) == KH_OK)
                w = known ? why_md(out, &why) : kh_buf_puts(out, " — not explained yet");
            if (w == KH_OK)
                w = kh_buf_puts(out, "\n");
        }
        if (w == KH_OK)
            w = kh_buf_puts(out, "\n");
        if (w == KH_OK && acc)
            w = kh_account_markdown(acc, out);
        if (w == KH_OK && acc)
            w = kh_buf_puts(out, "\n");
        return w;
    }
    w = kh_buf_printf(out, "{\"story\": %lld, \"articles\": [", (long long)id);
    const char *a = d->articles.data;
    for (size_t i = 0; w == KH_OK && i < d->n_articles; i++, a += strlen(a) + 1) {
        if (i)
            w = kh_buf_puts(out, ", ");
        if (w == KH_OK)
            w = kh_buf_json_string(out, a, strlen(a));
    }
    if (w == KH_OK)
        w = kh_buf_puts(out, "], \"first\": ");
    if (w == KH_OK)
        w = first ? kh_buf_json_string(out, first, strlen(first)) : kh_buf_puts(out, "null");
    if (w == KH_OK)
        w = kh_buf_puts(out, ", \"last\": ");
    if (w == KH_OK)
        w = last ? kh_buf_json_string(out, last, strlen(last)) : kh_buf_puts(out, "null");
    if (w == KH_OK && prov)
        w = provenance_json(out, prov);
    if (w == KH_OK)
        w = kh_buf_puts(out, ", \"why\": [");
    const char *y = d->whys.data;
    a = d->articles.data;
    for (size_t i = 0; w == KH_OK && i < d->n_articles;
         i++, a += strlen(a) + 1, y += strlen(y) + 1) {
        if (i)
            w = kh_buf_puts(out, ", ");
        if (w == KH_OK)
            w = db_why(d->ctx, y, &why, &known);
        if (w == KH_OK)
            w = known ? kh_story_why_json(&why, a, out) : kh_buf_puts(out, "null");
    }
    if (w == KH_OK)
        w = kh_buf_puts(out, "]");
    if (w == KH_OK && acc)
        w = kh_buf_puts(out, ", ");
    if (w == KH_OK && acc)
        w = kh_account_json(acc, KH_ACCOUNT_JSON_IN_STORY, out);
    if (w == KH_OK)
        w = kh_buf_puts(out, "}\n");
    return w;
}

/* The stored story's provenance as the pipeline gives it, for
 * provenance_json() and provenance_md(); *ids and *copy_of point into d and
 * are the caller's to free. 0 for a story stored before the store kept
 * provenance (no independent source counted). */
static int db_provenance(const db_story *d, kh_pipeline_story *prov, const char ***ids,
                         const char ***copy_of, kh_status *rc)
{
    *rc = KH_OK;
    *ids = *copy_of = NULL;
    if (d->independent_sources <= 0)
        return 0;
    memset(prov, 0, sizeof *prov);
    size_t n = d->n_articles;
    *ids = calloc(n ? n : 1, sizeof **ids);
    *copy_of = calloc(n ? n : 1, sizeof **copy_of);
    if (!*ids || !*copy_of) {
        *rc = KH_E_NOMEM;
        return 0;
    }
    const char *a = d->articles.data, *c = d->copy_of.data;
    for (size_t i = 0; i < n; i++, a += strlen(a) + 1, c += strlen(c) + 1) {
        (*ids)[i] = a;
        (*copy_of)[i] = *c ? c : NULL;
    }
    prov->n_articles = n;
    prov->ids = *ids;
    prov->copy_of = *copy_of;
    prov->relation = (const kh_dedup_relation *)(const void *)d->relation.data;
    prov->independent_sources = (size_t)d->independent_sources;
    prov->wire = row_str(d, d->wire);
    prov->wire_outlets = d->wire_outlets > 0 ? (size_t)d->wire_outlets : 0;
    return 1;
}

static kh_status print_db_story(kh_buf *out, int64_t id, const db_story *d, int md,
                                int explain, const kh_account *acc)
{
    kh_pipeline_story prov;
    const char **prov_ids, **prov_copy_of;
    kh_status w;
    int has_prov = db_provenance(d, &prov, &prov_ids, &prov_copy_of, &w);
    if (w == KH_OK)
        w = print_db_story_as(out, id, d, md, explain, acc, has_prov ? &prov : NULL);
    free(prov_ids);
    free(prov_copy_of);
    return w;
}

/* khabar stories --db FILE: every stored story, in story-id order. */
static int run_db(kh_ctx *ctx, const char *path, int md, int explain, int link, kh_lang reader)
{
    kh_store *store = NULL;
    if (kh_store_open_readonly(ctx, path, &store) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        return CLI_FAIL;
    }
    int status = CLI_OK;
    db_ids ids = { NULL, 0, 0 };
    kh_status rc = kh_store_list_stories(store, 0, SIZE_MAX, collect_story, &ids);
    if (rc == KH_E_STOPPED) {
        cli_error("out of memory");
        status = CLI_FAIL;
    } else if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
    }
    if (ids.n)
        qsort(ids.v, ids.n, sizeof *ids.v, cmp_i64);
    kh_linker *lk = NULL;
    kh_bilex *lx = status == CLI_OK && link ? load_lexicon(ctx) : NULL;
    if (status == CLI_OK && link && db_link(ctx, store, lx, &lk) != KH_OK) {
        cli_error("%s: linking: %s", path, kh_errmsg(ctx));
        status = CLI_FAIL;
    }
    kh_buf out, rec;
    kh_buf_init(&out, ctx, 0);
    kh_buf_init(&rec, ctx, 0);
    db_story d;
    memset(&d, 0, sizeof d);
    d.ctx = ctx;
    kh_buf_init(&d.row, ctx, 0);
    kh_buf_init(&d.articles, ctx, 0);
    kh_buf_init(&d.whys, ctx, 0);
    kh_buf_init(&d.copy_of, ctx, 0);
    kh_buf_init(&d.relation, ctx, 0);
    for (size_t i = 0; status == CLI_OK && i < ids.n; i++) {
        kh_buf_clear(&d.row);
        kh_buf_clear(&d.articles);
        kh_buf_clear(&d.whys);
        kh_buf_clear(&d.copy_of);
        kh_buf_clear(&d.relation);
        d.n_articles = 0;
        d.rc = KH_OK;
        d.first = d.last = d.lang = d.account = d.wire = (size_t)-1;
        d.independent_sources = d.wire_outlets = 0;
        int found = 0;
        rc = kh_store_get_story(store, ids.v[i], &found, db_story_row, db_story_article, &d);
        if (rc == KH_E_STOPPED)
            rc = d.rc;
        if (rc != KH_OK) {
            cli_error("%s: story %lld: %s", path, (long long)ids.v[i],
                      rc == KH_E_DB ? kh_errmsg(ctx) : kh_strerror(rc));
            status = CLI_FAIL;
            break;
        }
        if (!found) /* removed since it was listed */
            continue;
        kh_account *acc = NULL;
        const char *json = row_str(&d, d.account);
        if (json && (rc = kh_store_account_parse(ctx, json, strlen(json), &acc)) != KH_OK) {
            cli_error("%s: story %lld: %s", path, (long long)ids.v[i], kh_errmsg(ctx));
            status = CLI_FAIL;
            break;
        }
        size_t start = out.len;
        rc = print_db_story(&out, ids.v[i], &d, md, explain, acc);
        kh_account_free(acc);
        if (rc == KH_OK && lk) { /* the record again, with its link */
            kh_buf_clear(&rec);
            rc = kh_buf_append(&rec, out.data + start, out.len - start);
            out.len = start;
            if (rc == KH_OK)
                rc = linked_record(&out, md, reader, lk, (uint64_t)ids.v[i], rec.data, rec.len);
        }
        if (rc == KH_E_JSON) { /* a why that is not one: said, not printed half */
            cli_error("%s: story %lld: %s", path, (long long)ids.v[i], kh_errmsg(ctx));
            status = CLI_FAIL;
            break;
        }
        if (rc != KH_OK || cli_flush_chunk(&out) != 0) {
            cli_error("cannot write output");
            status = CLI_FAIL;
        }
    }
    if (status == CLI_OK && cli_flush_end(&out) != 0) {
        cli_error("cannot write output");
        status = CLI_FAIL;
    }
    kh_buf_free(&d.row);
    kh_buf_free(&d.articles);
    kh_buf_free(&d.whys);
    kh_buf_free(&d.copy_of);
    kh_buf_free(&d.relation);
    kh_buf_free(&out);
    kh_buf_free(&rec);
    kh_linker_free(lk);
    kh_bilex_free(lx);
    free(ids.v);
    kh_store_close(store);
    return status;
}

/* ---- PATHs: the pipeline's stories, printed in id order -------------------
 *
 * kh_pipeline_run() does the work (read -> clean -> date -> order -> copies
 * -> stories -> accounts, with each article waiting in its temporary file);
 * this file prints. Stories close out of id order (a short story before an
 * older long one), so a closed story's printed record waits here until
 * every lower id is printed: at most max_span (7 days) of stories.
 */

/* One story not yet printed. */
typedef struct pending_story {
    char *text;         /* its printed record, once it is closed */
    size_t text_len;
    int closed;
} pending_story;

typedef struct job {
    kh_ctx *ctx;
    int md, strict, status;
    int explain;  /* --explain: the why of each article in Markdown too */
    kh_buf one;   /* the story being printed */
    kh_buf scratch; /* a why on its way to Markdown */
    kh_buf out;
    /* story base + i is pend[head + i]; stories below base are printed */
    pending_story *pend;
    size_t head, n_pend, cap_pend;
    uint64_t base;
    uint64_t n_read, skipped; /* records read, and skipped by the reader */
    /* linking: records wait, in id order, in a temporary file until the
     * run ends and the links are known (memory stays that of one record) */
    FILE *hold;
    kh_buf hold_len;  /* size_t per held record */
    kh_lang reader;   /* --lang: the linked headline's language; 0: the story's */
} job;

static void job_fail(job *j, const char *what)
{
    if (j->status == CLI_OK)
        cli_error("%s", what);
    j->status = CLI_FAIL;
}

/* The slot of story id, made when it is the next one. */
static pending_story *pending_slot(job *j, uint64_t id)
{
    if (id < j->base)
        return NULL;
    while (id - j->base >= j->n_pend - j->head) {
        if (j->head > 0 && j->head >= j->n_pend / 2) {
            memmove(j->pend, j->pend + j->head, (j->n_pend - j->head) * sizeof *j->pend);
            j->n_pend -= j->head;
            j->head = 0;
        }
        if (j->n_pend == j->cap_pend) {
            size_t cap = j->cap_pend ? j->cap_pend * 2 : 256;
            pending_story *v = realloc(j->pend, cap * sizeof *v);
            if (!v)
                return NULL;
            j->pend = v;
            j->cap_pend = cap;
        }
        memset(&j->pend[j->n_pend++], 0, sizeof *j->pend);
    }
    return &j->pend[j->head + (size_t)(id - j->base)];
}

/* Writes the closed stories that no older open story holds back. */
static void pending_print(job *j)
{
    while (j->status == CLI_OK && j->head < j->n_pend && j->pend[j->head].closed) {
        pending_story *p = &j->pend[j->head];
        if (j->hold) {
            if (fwrite(p->text, 1, p->text_len, j->hold) != p->text_len ||
                kh_buf_append(&j->hold_len, &p->text_len, sizeof p->text_len) != KH_OK)
                job_fail(j, "cannot write the temporary file");
        } else if (kh_buf_append(&j->out, p->text, p->text_len) != KH_OK ||
                   cli_flush_chunk(&j->out) != 0) {
            job_fail(j, "cannot write output");
        }
        free(p->text);
        p->text = NULL;
        j->head++;
        j->base++;
    }
}

static void pending_free(job *j)
{
    for (size_t i = j->head; i < j->n_pend; i++)
        free(j->pend[i].text);
    free(j->pend);
}

/* on_story: the record is printed now or kept until the stories before it
 * are printed. */
static int story_done(void *user, const kh_pipeline_story *s)
{
    job *j = user;
    pending_story *p = pending_slot(j, s->id);
    kh_story_info info;
    memset(&info, 0, sizeof info);
    info.id = s->id;
    info.lang = s->lang;
    info.n_articles = s->n_articles;
    info.dated = s->dated;
    info.first = s->first;
    info.last = s->last;
    kh_buf_clear(&j->one);
    if (!p ||
        print_story(j->ctx, &j->one, &j->scratch, &info, s->ids, s->why, j->md, j->explain,
                    s->account, s) != KH_OK ||
        !(p->text = malloc(j->one.len ? j->one.len : 1))) {
        job_fail(j, "cannot write output");
        return 1;
    }
    memcpy(p->text, j->one.data, j->one.len);
    p->text_len = j->one.len;
    p->closed = 1;
    pending_print(j);
    return j->status != CLI_OK;
}

/* Prints the held records with their links, in id order. */
static void print_held(job *j, const kh_linker *lk)
{
    if (fflush(j->hold) != 0 || fseek(j->hold, 0, SEEK_SET) != 0) {
        job_fail(j, "cannot read the temporary file");
        return;
    }
    const size_t *lens = (const size_t *)j->hold_len.data;
    size_t n = j->hold_len.len / sizeof *lens;
    for (size_t i = 0; j->status == CLI_OK && i < n; i++) {
        kh_buf_clear(&j->one);
        if (kh_buf_reserve(&j->one, lens[i] + 1) != KH_OK ||
            fread(j->one.data, 1, lens[i], j->hold) != lens[i]) {
            job_fail(j, "cannot read the temporary file");
            break;
        }
        j->one.len = lens[i];
        if (linked_record(&j->out, j->md, j->reader, lk, (uint64_t)i + 1, j->one.data,
                          j->one.len) != KH_OK ||
            cli_flush_chunk(&j->out) != 0)
            job_fail(j, "cannot write output");
    }
}

/* on_problem: a page that could not be cleaned is said and skipped. */
static int story_problem(void *user, const kh_pipeline_problem *pr)
{
    job *j = user;
    if (pr->status == KH_E_LIMIT) /* the message names the record and the limit */
        cli_error("%s", kh_errmsg(j->ctx));
    else
        cli_error("%s: %s", pr->file, kh_strerror(pr->status));
    return j->strict;
}

/* khabar stories PATH...: read every input into the pipeline, run it. */
static int run_paths(kh_ctx *ctx, const char **paths, size_t n_paths, kh_story_options *opt,
                     int md, int explain, int strict, int stats, int link, kh_lang reader_lang)
{
    kh_reader *reader;
    kh_status rc = kh_reader_open(ctx, paths, n_paths, &reader);
    if (rc != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        return CLI_FAIL;
    }
    job j;
    memset(&j, 0, sizeof j);
    j.ctx = ctx;
    j.md = md;
    j.explain = explain;
    j.strict = strict;
    j.status = CLI_OK;
    j.base = 1; /* story ids start at 1 */
    kh_buf_init(&j.one, ctx, 0);
    kh_buf_init(&j.scratch, ctx, 0);
    kh_buf_init(&j.out, ctx, 0);
    kh_buf_init(&j.hold_len, ctx, 0);
    j.reader = reader_lang;
    if (link && !(j.hold = tmpfile())) {
        cli_error("cannot make a temporary file: %s", strerror(errno));
        j.status = CLI_FAIL;
    }
    kh_pipeline_options po;
    kh_pipeline_options_init(&po);
    kh_bilex *lx = NULL;
    if (link) {
        po.flags |= KH_PIPELINE_LINK;
        po.lexicon = lx = load_lexicon(ctx);
    }
    po.story = *opt;
    po.on_story = story_done;
    po.on_story_user = &j;
    po.on_problem = story_problem;
    po.on_problem_user = &j;
    kh_pipeline *p = NULL;
    if (kh_pipeline_create(ctx, &po, &p) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        j.status = CLI_FAIL;
    }
    while (j.status == CLI_OK) {
        kh_doc *d;
        rc = kh_reader_next(reader, &d);
        if (rc != KH_OK) {
            cli_error("%s%s", rc == KH_E_DUPLICATE ? "warning: " : "", kh_errmsg(ctx));
            if (strict || rc == KH_E_NOMEM)
                j.status = CLI_FAIL;
            j.n_read++;
            j.skipped++;
            continue;
        }
        if (!d)
            break;
        j.n_read++;
        rc = kh_pipeline_add_doc(p, d);
        kh_doc_free(d);
        if (rc != KH_OK) {
            cli_error("%s", kh_errmsg(ctx));
            j.status = CLI_FAIL;
        }
    }
    kh_reader_free(reader);
    if (j.status == CLI_OK) {
        rc = kh_pipeline_run(p);
        if (rc != KH_OK && rc != KH_E_STOPPED)
            job_fail(&j, kh_errmsg(ctx));
        else if (rc != KH_OK)
            j.status = CLI_FAIL;
    }
    if (j.status == CLI_OK && j.head != j.n_pend)
        job_fail(&j, "a story was never closed");
    if (j.status == CLI_OK && j.hold)
        print_held(&j, kh_pipeline_linker(p));
    if (j.status == CLI_OK && cli_flush_end(&j.out) != 0)
        job_fail(&j, "cannot write output");
    kh_pipeline_stats ps;
    kh_pipeline_stats_get(p, &ps);
    if (j.status == CLI_OK && (stats || j.skipped || ps.skipped || isatty(STDERR_FILENO)))
        fprintf(stderr, "khabar stories: %llu read, %llu skipped with errors, %llu articles, "
                        "%llu stories\n",
                (unsigned long long)j.n_read, (unsigned long long)(j.skipped + ps.skipped),
                (unsigned long long)ps.articles, (unsigned long long)ps.stories);
    if (j.status == CLI_OK && link && stats)
        fprintf(stderr, "khabar stories: %llu stories linked across languages; story stage "
                        "%.2f s CPU, of which linking %.2f s (%.1f%%)\n",
                (unsigned long long)ps.linked, ps.story_seconds, ps.link_seconds,
                ps.story_seconds > 0 ? 100 * ps.link_seconds / ps.story_seconds : 0);
    if (j.status == CLI_OK && lx && stats)
        fprintf(stderr, "khabar stories: lexicon of %zu words loaded in %.2f s CPU\n",
                kh_bilex_size(lx), kh_bilex_load_seconds(lx));
    kh_pipeline_free(p);
    kh_bilex_free(lx);
    if (j.hold)
        fclose(j.hold);
    kh_buf_free(&j.hold_len);
    pending_free(&j);
    kh_buf_free(&j.one);
    kh_buf_free(&j.scratch);
    kh_buf_free(&j.out);
    return j.status;
}

static int run(int argc, char **argv)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_story_options opt;
    kh_story_options_init(&opt);
    int strict = 0, md = 0, n = 0, options = 1, stats = 0, explain = 0, link = 1;
    kh_lang reader = KH_LANG_UNKNOWN;
    const char *db = NULL;
    const char **paths = kh_malloc(ctx, (size_t)argc * sizeof *paths);
    if (!paths) {
        cli_error("out of memory");
        kh_ctx_free(ctx);
        return CLI_FAIL;
    }
#define USAGE_FAIL(...)                                              \
    do {                                                             \
        kh_free(ctx, paths, (size_t)argc * sizeof *paths);           \
        kh_ctx_free(ctx);                                            \
        return cli_usage_error(&cli_cmd_stories, __VA_ARGS__);       \
    } while (0)
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && strcmp(a, "--") == 0) {
            options = 0;
        } else if (options && strcmp(a, "--stats") == 0) {
            stats = 1;
        } else if (options && strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (options && strcmp(a, "--explain") == 0) {
            explain = 1;
        } else if (options && strcmp(a, "--no-link") == 0) {
            link = 0;
        } else if (options && strcmp(a, "--lang") == 0) {
            if (i + 1 >= argc)
                USAGE_FAIL("stories: %s needs a value", a);
            const char *v = argv[++i];
            reader = kh_lang_from_code(v);
            if (reader == KH_LANG_UNKNOWN)
                USAGE_FAIL("stories: bad --lang '%s' (a language code: ar, en, fr...)", v);
        } else if (options && (strcmp(a, "--window") == 0 || strcmp(a, "--threshold") == 0 ||
                               strcmp(a, "--format") == 0 || strcmp(a, "--db") == 0)) {
            if (i + 1 >= argc)
                USAGE_FAIL("stories: %s needs a value", a);
            const char *v = argv[++i];
            if (a[2] == 'd') {
                db = v;
            } else if (a[2] == 'w') {
                if (parse_window(v, &opt.window) != 0)
                    USAGE_FAIL("stories: bad --window '%s' (e.g. 72h, 3d, 90m)", v);
            } else if (a[2] == 't') {
                char *end;
                double x = strtod(v, &end);
                if (end == v || *end || !(x >= 0 && x <= 1))
                    USAGE_FAIL("stories: bad --threshold '%s' (a number from 0 to 1)", v);
                opt.threshold = x;
            } else if (strcmp(v, "jsonl") == 0 || strcmp(v, "md") == 0) {
                md = v[0] == 'm';
            } else {
                USAGE_FAIL("stories: bad --format '%s' (jsonl or md)", v);
            }
        } else if (options && a[0] == '-' && a[1] != '\0') {
            USAGE_FAIL("stories: unknown option '%s'", a);
        } else {
            paths[n++] = a;
        }
    }
    if (db && n > 0) {
        const char *extra = paths[0];
        USAGE_FAIL("stories: --db reads the store, not PATHs ('%s')", extra);
    }
    if (!db && n == 0 && cli_stdin_is_input())
        paths[n++] = "-";
    if (!db && n == 0)
        USAGE_FAIL("stories: no input PATH given");
#undef USAGE_FAIL
    if (db) {
        kh_free(ctx, paths, (size_t)argc * sizeof *paths);
        int st_db = run_db(ctx, db, md, explain, link, reader);
        kh_ctx_free(ctx);
        return st_db;
    }

    opt.explain = 1; /* every JSON record carries its articles' why */
    int status = run_paths(ctx, paths, (size_t)n, &opt, md, explain, strict, stats, link, reader);
    kh_free(ctx, paths, (size_t)argc * sizeof *paths);
    kh_ctx_free(ctx);
    return status;
}

const cli_command cli_cmd_stories = {
    "stories",
    "group articles that report the same event into stories",
    "khabar stories [--window 72h] [--threshold X] [--format jsonl|md] [--explain]\n"
    "               [--lang CODE] [--no-link] PATH...\n"
    "       khabar stories --db FILE [--format jsonl|md] [--explain] [--lang CODE] [--no-link]",
    help_text,
    run,
};
