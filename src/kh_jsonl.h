/*
 * kh_jsonl.h — the fast path of the JSON Lines reader (internal).
 *
 * khi_jsonl_scan() reads one line holding one JSON object and hands back the
 * top-level string members khabar reads, decoded. It accepts only what
 * jansson (json_loadb with JSON_REJECT_DUPLICATES) accepts and decodes those
 * strings to the same bytes; on anything else it gives up and the caller
 * parses the line with jansson, which names the error.
 */
#ifndef KH_JSONL_H
#define KH_JSONL_H

#include "kh_internal.h"

/* The members khabar reads, in this order. */
enum {
    KHI_JF_ID,
    KHI_JF_URL,
    KHI_JF_SOURCE,
    KHI_JF_DATE,
    KHI_JF_TITLE,
    KHI_JF_TEXT,
    KHI_JF_PAGE,
    KHI_JF_HTML,
    KHI_JF_COUNT
};

/* Bytes the scanner may write past the decoded strings (wide stores). */
#define KHI_JSONL_SLACK 16

/* One decoded member: text is NUL-terminated and points into the caller's
 * buffer, or is NULL when the member is absent or null. n_chars counts its
 * code points. */
typedef struct khi_jstr {
    const char *text;
    size_t text_len;
    size_t n_chars;
} khi_jstr;

/* The member names, indexed by KHI_JF_*. */
extern const char *const khi_jsonl_names[KHI_JF_COUNT];

/*
 * Scans line[0..line_len) (no '\n'), which must hold one JSON object and
 * nothing but JSON white space around it. Every member is checked (nested
 * values are walked, duplicate keys refused at every level); the string
 * members named in khi_jsonl_names are decoded into out, which must have
 * room for line_len + KHI_JSONL_SLACK bytes and outlive fields[].
 * @return 1 when the line was accepted and fields[] filled; 0 when the scanner
 * gives up (malformed JSON, invalid UTF-8, \u0000, a known member that is not
 * a string or null, a duplicate, numbers jansson might refuse, keys with
 * escapes, deep nesting): fields[] is then undefined and the line must go
 * to jansson. Never allocates; out and fields are the caller's.
 */
int khi_jsonl_scan(const unsigned char *line, size_t line_len, char *out,
                   khi_jstr fields[KHI_JF_COUNT]);

#endif /* KH_JSONL_H */
