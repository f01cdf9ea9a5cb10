/*
 * fuzz_robots.c — robots.txt parsing on arbitrary bytes, then the allow
 * check on paths taken from the input itself (every rule value and a few
 * slices), so that the wildcard matcher meets patterns and paths made to
 * fit each other. Parsing never fails on content; a group named by our
 * token or "*" must be honoured without a crash or a hang.
 */
#include "kh_crawl_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_path(const khc_robots *r, const char *s, size_t n)
{
    if (n > 4096)
        n = 4096;
    char *p = malloc(n + 2);
    if (!p)
        return;
    p[0] = '/';
    memcpy(p + 1, s, n);
    p[n + 1] = '\0';
    int a = khc_robots_allowed(r, p);
    if (a != 0 && a != 1)
        __builtin_trap();
    /* the robots file itself is never disallowed */
    if (!khc_robots_allowed(r, "/robots.txt"))
        __builtin_trap();
    free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *txt = (const char *)data;
    khc_robots *r;
    if (khc_robots_parse(txt, size, "khabar", &r) != KH_OK)
        return 0;
    /* each line's value, after the first ':', as a path */
    size_t checks = 0;
    for (size_t i = 0; i < size && checks < 64; i++) {
        if (txt[i] != ':')
            continue;
        size_t j = i + 1;
        while (j < size && txt[j] == ' ')
            j++;
        size_t e = j;
        while (e < size && txt[e] != '\n' && txt[e] != '\r')
            e++;
        check_path(r, txt + j, e - j);
        checks++;
    }
    check_path(r, txt, size);
    const char *const *maps;
    size_t n = khc_robots_sitemaps(r, &maps);
    for (size_t i = 0; i < n; i++)
        if (strncmp(maps[i], "http", 4) != 0)
            __builtin_trap();
    double d = khc_robots_crawl_delay(r);
    if (d != d)
        __builtin_trap();
    khc_robots_free(r);
    return 0;
}
