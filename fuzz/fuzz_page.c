/*
 * fuzz_page.c — the readers on arbitrary bytes as they come; the corpus
 * holds small crawled pages, so runs start in the page reader.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_all("fuzz.page", data, size);
    return 0;
}
