/*
 * fuzz_date.c — any bytes through kh_date_parse(), with and without a
 * reference date: no crash, and any date found is valid ISO.
 */
#include <khabar.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_iso(const char *s)
{
    size_t l = strlen(s);
    if (l != 10 && l != 16 && l != 19) abort();
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (s[4] != '-' || s[7] != '-' || y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[KH_DATE_ISO_MAX];
    if (kh_date_parse((const char *)data, size, NULL, out, sizeof out) == KH_OK) check_iso(out);
    if (kh_date_parse((const char *)data, size, "2016-10-26T10:00", out, sizeof out) == KH_OK)
        check_iso(out);
    return 0;
}
