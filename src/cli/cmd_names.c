/*
 * cmd_names.c — `khabar names`: the names khabar finds in each document,
 * with their spans, so that name finding can be read and measured.
 *
 * Documents are taken in batches (--batch, default 1000, and at most
 * BATCH_BYTES of input): the cleaner
 * observes a batch's pages before cleaning them, as `khabar clean` does
 * over a run, and kh_names_find() pools the batch's evidence, so a name
 * cued in one document is found in the others.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct batch {
    kh_doc **docs;
    kh_names_doc *nd;
    size_t n, cap;
    size_t bytes;       /* of the documents' content */
} batch;

/* A batch also closes at this much content: the grouping compares every
 * proposed name with every other, so its cost grows with the square of
 * the text a batch holds (a thousand news articles propose thousands). */
#define BATCH_BYTES ((size_t)1 << 20)

/* The text names are found in: a record's own text as given, or a page's
 * clean body with its title in front (kh_names_doc.title). */
static kh_status prepare(kh_cleaner *cl, kh_arena *arena, kh_doc *d, kh_names_doc *nd)
{
    memset(nd, 0, sizeof *nd);
    if (d->kind == KH_CONTENT_TEXT) {
        nd->text = d->content;
        nd->text_len = d->content_len;
        return KH_OK;
    }
    const kh_article *art;
    kh_status rc = kh_clean_doc(cl, d, &art);
    if (rc != KH_OK) return rc;
    size_t len = 0;
    for (size_t i = 0; i < art->n_body; i++) len += strlen(art->body[i]) + 1;
    char *text = kh_arena_alloc(arena, len + 1);
    if (!text) return KH_E_NOMEM;
    size_t at = 0;
    for (size_t i = 0; i < art->n_body; i++) {
        if (i) text[at++] = '\n';
        size_t l = strlen(art->body[i]);
        memcpy(text + at, art->body[i], l);
        at += l;
    }
    text[at] = '\0';
    nd->text = text;
    nd->text_len = at;
    if (art->title && !(nd->title = kh_arena_strndup(arena, art->title, strlen(art->title))))
        return KH_E_NOMEM;
    return KH_OK;
}

static kh_status print_doc(kh_buf *o, const kh_doc *d, const kh_names_doc *nd)
{
    kh_status rc = kh_buf_puts(o, "{\"id\":");
    if (rc == KH_OK) rc = kh_buf_json_string(o, d->id, strlen(d->id));
    if (rc == KH_OK) rc = kh_buf_puts(o, ",\"names\":[");
    size_t title_bytes = nd->title ? strlen(nd->title) + 1 : 0;
    for (size_t i = 0; rc == KH_OK && i < nd->n_names; i++) {
        const kh_name *nm = &nd->names[i];
        const char *at = nm->byte_start >= title_bytes ? nd->text + nm->byte_start - title_bytes
                                                       : nd->title + nm->byte_start;
        rc = kh_buf_printf(o, "%s{\"start\":%zu,\"end\":%zu,\"text\":", i ? "," : "", nm->start,
                           nm->end);
        if (rc == KH_OK) rc = kh_buf_json_string(o, at, nm->byte_end - nm->byte_start);
        if (rc == KH_OK)
            rc = kh_buf_printf(o, ",\"kind\":\"%s\",\"spelling\":%zu}", kh_entity_kind_name(nm->kind),
                               nm->group);
    }
    if (rc == KH_OK) rc = kh_buf_puts(o, "]}\n");
    return rc;
}

/* Cleans, finds and prints one batch, then empties it. */
static int flush_batch(kh_ctx *ctx, kh_cleaner *cl, const kh_places *places, batch *b,
                       kh_buf *out, uint64_t *errors)
{
    int status = CLI_OK;
    kh_arena *arena = NULL;
    if (kh_arena_create(ctx, &arena) != KH_OK) {
        cli_error("out of memory");
        status = CLI_FAIL;
        goto done;
    }
    for (size_t i = 0; i < b->n; i++)
        if (b->docs[i]->kind != KH_CONTENT_TEXT && kh_cleaner_observe(cl, b->docs[i]) != KH_OK) {
            cli_error("%s: %s", b->docs[i]->file, kh_errmsg(ctx));
            status = CLI_FAIL;
            goto done;
        }
    size_t kept = 0;
    for (size_t i = 0; i < b->n; i++) {
        kh_status rc = prepare(cl, arena, b->docs[i], &b->nd[kept]);
        if (rc == KH_E_NOMEM) {
            cli_error("out of memory");
            status = CLI_FAIL;
            goto done;
        }
        if (rc != KH_OK) {
            cli_error("%s: %s", b->docs[i]->file, kh_errmsg(ctx));
            (*errors)++;
            kh_doc_free(b->docs[i]);
            continue;
        }
        b->docs[kept++] = b->docs[i];
    }
    b->n = kept;
    if (kh_names_find(ctx, places, b->nd, b->n, arena) != KH_OK) {
        cli_error("out of memory");
        status = CLI_FAIL;
        goto done;
    }
    for (size_t i = 0; i < b->n; i++)
        if (print_doc(out, b->docs[i], &b->nd[i]) != KH_OK || cli_flush_chunk(out) != 0) {
            cli_error("cannot write output");
            status = CLI_FAIL;
            goto done;
        }
done:
    for (size_t i = 0; i < b->n; i++) kh_doc_free(b->docs[i]);
    b->n = 0;
    b->bytes = 0;
    kh_arena_free(arena);
    return status;
}

/* --pairs: "A<TAB>B" a line; for each, "SIMILARITY<TAB>SAME": SAME is 1
 * when A and B are spellings of one name by the account's rules
 * (kh_name_variants: across Arabic and Latin letters too), else 0, and
 * SIMILARITY is kh_name_similarity(). A bad line gives an error on stderr
 * and "0<TAB>0", so output lines stay aligned with input lines. */
static int run_pairs(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error("%s: %s", path, strerror(errno));
        return CLI_FAIL;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned long long lineno = 0, bad = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)got;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        size_t at;
        char *tab = memchr(line, '\t', len);
        if (kh_utf8_check(line, len, &at) != KH_OK || !tab) {
            cli_error("%s:%llu: %s", path, lineno,
                      tab ? "invalid UTF-8" : "not two names separated by a tab");
            bad++;
            printf("0\t0\n");
            continue;
        }
        size_t a_len = (size_t)(tab - line);
        char *b = tab + 1, *tab2 = memchr(b, '\t', len - a_len - 1);
        size_t b_len = tab2 ? (size_t)(tab2 - b) : len - a_len - 1;
        int same = kh_name_variants(line, a_len, b, b_len);
        printf("%.3f\t%d\n", kh_name_similarity(line, a_len, b, b_len), same);
    }
    int status = ferror(f) ? CLI_FAIL : CLI_OK;
    if (ferror(f)) cli_error("%s: read error", path);
    if (f != stdin) fclose(f);
    free(line);
    if (fflush(stdout) != 0) status = CLI_FAIL;
    if (bad && lineno == bad) status = CLI_FAIL;
    return status;
}

static int run(int argc, char **argv)
{
    const cli_command *cmd = &cli_cmd_names;
    const char *format = "jsonl", *places_path = "";
    size_t batch_size = 1000;
    int strict = 0, options = 1, n = 0, pairs = 0;
    const char **paths = malloc((size_t)argc * sizeof *paths);
    if (!paths) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && strcmp(a, "--") == 0) {
            options = 0;
        } else if (options && strcmp(a, "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
        } else if (options && strcmp(a, "--batch") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (errno || *end || v == 0 || v > 100000) {
                free(paths);
                return cli_usage_error(cmd, "names: bad --batch '%s' (1 to 100000)", argv[i]);
            }
            batch_size = v;
        } else if (options && strcmp(a, "--places") == 0 && i + 1 < argc) {
            places_path = argv[++i];
        } else if (options && strcmp(a, "--strict") == 0) {
            strict = 1;
        } else if (options && strcmp(a, "--pairs") == 0) {
            pairs = 1;
        } else if (options && a[0] == '-' && a[1] != '\0') {
            free(paths);
            return cli_usage_error(cmd, "names: unknown option '%s'", a);
        } else {
            paths[n++] = a;
        }
    }
    if (strcmp(format, "jsonl") != 0) {
        free(paths);
        return cli_usage_error(cmd, "names: --format is jsonl, not '%s'", format);
    }
    if (pairs) {
        if (n > 1) {
            free(paths);
            return cli_usage_error(cmd, "names: --pairs reads one FILE");
        }
        const char *path = n ? paths[0] : "-";
        free(paths);
        return run_pairs(path);
    }
    if (n == 0 && cli_stdin_is_input()) paths[n++] = "-";
    if (n == 0) {
        free(paths);
        return cli_usage_error(cmd, "names: no input PATH given");
    }

    kh_ctx *ctx = NULL;
    kh_cleaner *cl = NULL;
    kh_reader *reader = NULL;
    kh_places *places = NULL;
    batch b = { 0 };
    kh_buf out;
    int status = CLI_OK;
    uint64_t docs = 0, errors = 0;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) {
        free(paths);
        cli_error("out of memory");
        return CLI_FAIL;
    }
    kh_buf_init(&out, ctx, 0);
    b.docs = malloc(batch_size * sizeof *b.docs);
    b.nd = malloc(batch_size * sizeof *b.nd);
    if (!b.docs || !b.nd || kh_cleaner_create(ctx, 0, &cl) != KH_OK) {
        cli_error("out of memory");
        status = CLI_FAIL;
        goto done;
    }
    if (strcmp(places_path, "none") != 0 &&
        kh_places_load(ctx, places_path[0] ? places_path : NULL, &places) != KH_OK) {
        if (places_path[0]) { /* asked for by name: a mistake to report */
            cli_error("%s", kh_errmsg(ctx));
            status = CLI_FAIL;
            goto done;
        }
        cli_error("warning: %s; places are found by their cues alone (install unicode-cldr-core)",
                  kh_errmsg(ctx));
    }
    if (kh_reader_open(ctx, paths, (size_t)n, &reader) != KH_OK) {
        cli_error("%s", kh_errmsg(ctx));
        status = CLI_FAIL;
        goto done;
    }
    for (;;) {
        kh_doc *d;
        kh_status rc = kh_reader_next(reader, &d);
        if (rc != KH_OK) {
            cli_error("%s%s", rc == KH_E_DUPLICATE ? "warning: " : "", kh_errmsg(ctx));
            errors++;
            if (strict || rc == KH_E_NOMEM) {
                status = CLI_FAIL;
                goto done;
            }
            continue;
        }
        if (!d) break;
        docs++;
        b.docs[b.n++] = d;
        b.bytes += d->content_len;
        if ((b.n == batch_size || b.bytes >= BATCH_BYTES) && (status = flush_batch(ctx, cl, places, &b, &out, &errors)) != CLI_OK)
            goto done;
        if (strict && errors) {
            status = CLI_FAIL;
            goto done;
        }
    }
    if (b.n && (status = flush_batch(ctx, cl, places, &b, &out, &errors)) != CLI_OK) goto done;
    if (cli_flush_end(&out) != 0) {
        cli_error("cannot write output");
        status = CLI_FAIL;
    }
    if (status == CLI_OK && errors) {
        cli_error("names: %llu documents; skipped %llu records with errors",
                  (unsigned long long)(docs - (errors < docs ? errors : docs)),
                  (unsigned long long)errors);
        if (docs == 0 || strict) status = CLI_FAIL;
    }
done:
    for (size_t i = 0; i < b.n; i++) kh_doc_free(b.docs[i]);
    free(b.docs);
    free(b.nd);
    free(paths);
    kh_reader_free(reader);
    kh_buf_free(&out);
    kh_cleaner_free(cl);
    kh_places_free(places);
    kh_ctx_free(ctx);
    return status;
}

const cli_command cli_cmd_names = {
    "names",
    "the names (people, places, organizations) found in each document",
    "khabar names [--format jsonl] [--batch N] [--places FILE|none] [--strict] PATH...\n"
    "       khabar names --pairs [FILE|-]",
    "Reads documents as `khabar read` does and prints one record per document,\n"
    "in input order:\n"
    "  {\"id\",\"names\":[{\"start\",\"end\",\"text\",\"kind\",\"spelling\"}]}\n"
    "start and end are Unicode code points (end exclusive) into the document's\n"
    "text: for a JSON Lines record with \"text\", that text as given; for a\n"
    "page, its clean title, \"\\n\", then its clean body paragraphs joined by\n"
    "\"\\n\" (what `khabar clean` prints). text is the span as written; kind is\n"
    "person, place, org or name (no cue said which); spelling is the same\n"
    "number for the spellings of one name within a batch.\n\n"
    "Names are proposed by cues (a title or office before a person, a speech\n"
    "verb before its speaker, a place or group word before its name,\n"
    "capitalized Latin runs), grouped by spelling rules (أشتون / آشتون,\n"
    "هولاند / أولاند), then found wherever the batch writes them: a name cued\n"
    "once is found in the batch's other documents. A word a cue precedes is\n"
    "taken only when the batch's evidence allows: not a verb it conjugates\n"
    "(يعتقد beside تعتقد), not a noun it writes with ال (صحيفة beside\n"
    "الصحيفة), not a word with a pronoun attached (بلاده). Countries,\n"
    "regions and large cities are known beforehand, from Unicode CLDR's\n"
    "Arabic names (" KH_PLACES_DEFAULT ",\n"
    "and its provinces and states from " KH_SUBDIVISIONS_DEFAULT ",\n"
    "Debian's unicode-cldr-core); without it, places are found by their cues\n"
    "alone (a warning says so).\n\n"
    "Options:\n"
    "  --format jsonl   JSON Lines (the only format)\n"
    "  --batch N        documents that pool their evidence (default 1000; a\n"
    "                   batch also closes at 1 MiB of input)\n"
    "  --places FILE    place names from another CLDR locale or subdivisions\n"
    "                   file (en.xml, fr.xml ...) instead; none: no names known\n"
    "                   beforehand\n"
    "  --strict         stop at the first bad record and exit 1\n"
    "  --pairs          read \"A<TAB>B\" lines instead and print, for each,\n"
    "                   \"SIMILARITY<TAB>SAME\": SAME is 1 when A and B are spellings\n"
    "                   of one name by the rules the accounts group names with,\n"
    "                   across Arabic and Latin letters too (أولاند / هولاند,\n"
    "                   فيصل / Faisal), else 0; SIMILARITY (0 to 1) is how close\n"
    "                   their consonants are as transliterations write them\n",
    run,
};
