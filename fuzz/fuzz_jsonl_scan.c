/*
 * fuzz_jsonl_scan.c — the JSON Lines fast path against jansson on arbitrary
 * bytes. The input is one line for khi_jsonl_scan() and for json_loadb()
 * with JSON_REJECT_DUPLICATES (as the reader calls it). Aborts when the
 * scanner takes a line jansson refuses (or one whose known members jansson
 * finds not to be strings), or when a member it decodes differs from
 * jansson's bytes or has a wrong code point count. The scanner may give up
 * on lines jansson takes: the reader then uses jansson.
 */
#include "kh_jsonl.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = malloc(size + KHI_JSONL_SLACK);
    if (!out)
        return 0;
    khi_jstr f[KHI_JF_COUNT];
    int fast = khi_jsonl_scan(data, size, out, f);
    if (!fast) {
        free(out);
        return 0;
    }
    json_error_t err;
    json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (!obj || !json_is_object(obj))
        abort();
    for (int i = 0; i < KHI_JF_COUNT; i++) {
        json_t *v = json_object_get(obj, khi_jsonl_names[i]);
        if (v && !json_is_null(v) && !json_is_string(v))
            abort();
        const char *want = v && json_is_string(v) ? json_string_value(v) : NULL;
        if (!want != !f[i].text)
            abort();
        if (!want)
            continue;
        size_t len = json_string_length(v), chars = 0;
        if (len != f[i].text_len || memcmp(want, f[i].text, len) != 0 || f[i].text[len] != '\0')
            abort();
        for (size_t k = 0; k < len; k++)
            chars += ((unsigned char)want[k] & 0xC0) != 0x80;
        if (chars != f[i].n_chars)
            abort();
    }
    json_decref(obj);
    free(out);
    return 0;
}
