/*
 * fuzz_jsonl.c — the readers on arbitrary bytes, steered to JSON Lines: a
 * small JSON line is put in front of inputs that do not start with '{'.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_prefixed("fuzz.jsonl", data, size, "{", "{\"id\":\"f\",\"text\":\"x\"}\n");
    return 0;
}
