/*
 * fuzz_warc.c — the readers on arbitrary bytes, steered to WARC: a
 * "WARC/1.0" line is put in front of inputs that lack one, so that most runs
 * reach the WARC record parser rather than the page reader.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_prefixed("fuzz.warc", data, size, "WARC/", "WARC/1.0\r\n");
    return 0;
}
