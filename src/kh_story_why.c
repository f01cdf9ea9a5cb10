/*
 * kh_story_why.c — why an article is in its story, as JSON and back: the
 * one writer of the object `khabar stories` prints per article (and the
 * store keeps in articles.why), and its one reader.
 *
 *   {"id": "a1", "decision": "joined", "score": 0.5210, "cosine": 0.6012,
 *    "time_factor": 0.8667, "terms": [{"term": "جد", "share": 0.1831,
 *    "kind": ["title", "name"]}, ...]}
 *
 * A copy has only id and decision; a start has "nearest" (a story id, or
 * null when no open story shared a term), and score, cosine and
 * time_factor only when it has a nearest story, and event_factor after them
 * only when it is below 1. Numbers keep 4 decimals,
 * so a why written, read back and written again is the same text.
 */
#include "kh_internal.h"

#include <jansson.h>
#include <string.h>

static const struct {
    unsigned bit;
    const char *name;
} why_kinds[] = { { KH_STORY_TERM_TITLE, "title" },
                  { KH_STORY_TERM_NAME, "name" },
                  { KH_STORY_TERM_NUMBER, "number" } };
#define N_KINDS (sizeof why_kinds / sizeof why_kinds[0])

const char *kh_story_why_decision(const kh_story_why *why)
{
    return why->copy ? "copy" : why->started ? "started" : "joined";
}

kh_status kh_story_why_json(const kh_story_why *w, const char *id, kh_buf *out)
{
    if (!w || !id || !out)
        return KH_E_ARG;
    kh_status r = kh_buf_puts(out, "{\"id\": ");
    if (r == KH_OK)
        r = kh_buf_json_string(out, id, strlen(id));
    if (r == KH_OK)
        r = kh_buf_printf(out, ", \"decision\": \"%s\"", kh_story_why_decision(w));
    if (r == KH_OK && w->copy)
        return kh_buf_puts(out, "}");
    if (r == KH_OK && w->started)
        r = w->nearest ? kh_buf_printf(out, ", \"nearest\": %llu", (unsigned long long)w->nearest)
                       : kh_buf_puts(out, ", \"nearest\": null");
    if (r == KH_OK && (!w->started || w->nearest))
        r = kh_buf_printf(out, ", \"score\": %.4f, \"cosine\": %.4f, \"time_factor\": %.4f",
                          w->score, w->cosine, w->time_factor);
    /* Written only where it says something, so the whys of articles whose
     * texts did not disagree keep their shape; 0 is a why made before the
     * field (zeroed by its caller), not a disagreement. */
    if (r == KH_OK && (!w->started || w->nearest) && w->event_factor > 0 && w->event_factor < 1.0)
        r = kh_buf_printf(out, ", \"event_factor\": %.4f", w->event_factor);
    if (r == KH_OK)
        r = kh_buf_puts(out, ", \"terms\": [");
    size_t n = w->n_terms < KH_STORY_WHY_TERMS ? w->n_terms : KH_STORY_WHY_TERMS;
    for (size_t t = 0; r == KH_OK && t < n; t++) {
        const kh_story_why_term *term = &w->terms[t];
        r = kh_buf_puts(out, t ? ", {\"term\": " : "{\"term\": ");
        if (r == KH_OK)
            r = kh_buf_json_string(out, term->text, strnlen(term->text, sizeof term->text));
        if (r == KH_OK)
            r = kh_buf_printf(out, ", \"share\": %.4f, \"kind\": [", term->share);
        int any = 0;
        for (size_t k = 0; r == KH_OK && k < N_KINDS; k++)
            if (term->kind & why_kinds[k].bit) {
                r = kh_buf_printf(out, "%s\"%s\"", any ? ", " : "", why_kinds[k].name);
                any = 1;
            }
        if (r == KH_OK)
            r = kh_buf_puts(out, "]}");
    }
    return r == KH_OK ? kh_buf_puts(out, "]}") : r;
}

/* A number member, or 0 when absent or null; -1 when of another type. */
static int get_number(const json_t *obj, const char *key, double *v)
{
    const json_t *x = json_object_get(obj, key);
    *v = 0;
    if (!x || json_is_null(x))
        return 0;
    if (!json_is_number(x))
        return -1;
    *v = json_number_value(x);
    return 0;
}

/* Copies text into a term's text, cut at a character boundary. */
static void copy_term(char *dst, size_t size, const char *text, size_t len)
{
    if (len >= size) {
        len = size - 1;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, text, len);
    dst[len] = '\0';
}

kh_status kh_story_why_parse(kh_ctx *ctx, const char *json, size_t json_len, kh_story_why *out)
{
    if (!ctx || !out)
        return KH_E_ARG;
    memset(out, 0, sizeof *out);
    if (!json)
        return kh_ctx_error(ctx, KH_E_ARG, "kh_story_why_parse: no JSON");
    json_error_t jerr;
    json_t *root = json_loadb(json, json_len, 0, &jerr);
    if (!root)
        return kh_ctx_error(ctx, KH_E_JSON, "why JSON: %d:%d: %s", jerr.line, jerr.column,
                            jerr.text);
    const char *bad = NULL;
    const json_t *d = json_object_get(root, "decision");
    const char *decision = json_is_string(d) ? json_string_value(d) : NULL;
    if (!json_is_object(root))
        bad = "not an object";
    else if (!decision)
        bad = "no decision";
    else if (strcmp(decision, "copy") == 0)
        out->copy = 1;
    else if (strcmp(decision, "started") == 0)
        out->started = 1;
    else if (strcmp(decision, "joined") != 0)
        bad = "an unknown decision";
    const json_t *nearest = json_object_get(root, "nearest");
    if (!bad && nearest && !json_is_null(nearest)) {
        if (json_is_integer(nearest) && json_integer_value(nearest) > 0)
            out->nearest = (uint64_t)json_integer_value(nearest);
        else
            bad = "nearest is not a story id";
    }
    if (!bad && (get_number(root, "score", &out->score) ||
                 get_number(root, "cosine", &out->cosine) ||
                 get_number(root, "time_factor", &out->time_factor)))
        bad = "a score is not a number";
    out->event_factor = 1;
    if (!bad && json_object_get(root, "event_factor") &&
        get_number(root, "event_factor", &out->event_factor))
        bad = "a score is not a number";
    const json_t *terms = json_object_get(root, "terms");
    if (!bad && terms && !json_is_array(terms))
        bad = "terms is not a list";
    size_t i;
    const json_t *t;
    json_array_foreach(terms, i, t) {
        if (bad || i >= KH_STORY_WHY_TERMS)
            break;
        kh_story_why_term *term = &out->terms[i];
        const json_t *text = json_object_get(t, "term");
        const json_t *kind = json_object_get(t, "kind");
        if (!json_is_string(text) || get_number(t, "share", &term->share) ||
            (kind && !json_is_array(kind))) {
            bad = "a term is not as written";
            break;
        }
        copy_term(term->text, sizeof term->text, json_string_value(text),
                  json_string_length(text));
        size_t k;
        const json_t *name;
        json_array_foreach(kind, k, name) {
            for (size_t b = 0; b < N_KINDS; b++)
                if (json_is_string(name) && strcmp(json_string_value(name), why_kinds[b].name) == 0)
                    term->kind |= why_kinds[b].bit;
        }
        out->n_terms = i + 1;
    }
    json_decref(root);
    if (bad) {
        memset(out, 0, sizeof *out);
        return kh_ctx_error(ctx, KH_E_JSON, "why JSON: %s", bad);
    }
    return KH_OK;
}
