/*
 * fuzz_url.c — URL normalization on arbitrary bytes. The input is a link,
 * or "base\nlink" when it holds a newline. Whatever is accepted must be an
 * http(s) URL that normalizes to itself, with a host and a path that the
 * frontier and the robots check can use.
 */
#include "kh_crawl_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    const char *base = NULL, *ref = s;
    char *nl = memchr(s, '\n', size);
    if (nl) {
        *nl = '\0';
        base = s;
        ref = nl + 1;
    }
    char *out = NULL;
    kh_status rc = khc_url_normalize(base, ref, &out);
    if (rc == KH_OK) {
        if (!out || (strncmp(out, "http://", 7) != 0 && strncmp(out, "https://", 8) != 0))
            __builtin_trap();
        char *again = NULL;
        if (khc_url_normalize(NULL, out, &again) != KH_OK || strcmp(again, out) != 0)
            __builtin_trap();
        free(again);
        char host[300];
        if (khc_url_host(out, host, sizeof host) == 0)
            __builtin_trap();
        const char *path = khc_url_path(out);
        if (path[0] != '/')
            __builtin_trap();
    } else if (out) {
        __builtin_trap();
    }
    free(out);
    free(s);
    return 0;
}
