/*
 * fuzz_text.h — the fuzz targets that feed khabar text (accounts, names)
 * turn their bytes into what those calls accept: a NUL-terminated copy in
 * which every invalid UTF-8 sequence, and a NUL where one is met, becomes
 * '?'.
 */
#ifndef KH_FUZZ_TEXT_H
#define KH_FUZZ_TEXT_H

#include "khabar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* @return the copy (free() it), or NULL when out of memory. */
static char *fuzz_text_copy(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return NULL;
    memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < size; i++) {
        size_t bad;
        if (text[i] == '\0') text[i] = '?';
        if (kh_utf8_check(text + i, size - i, &bad) == KH_OK) break;
        text[i + bad] = '?';
        i += bad;
    }
    return text;
}

#endif /* KH_FUZZ_TEXT_H */
