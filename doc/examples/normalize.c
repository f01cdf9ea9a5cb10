/*
 * normalize.c — the smallest program on libkhabar: prints the matching key
 * of each argument, e.g. أشتون and آشتون give the same key.
 *
 *   cc normalize.c $(pkg-config --cflags --libs khabar) -o normalize
 */
#include <khabar.h>

int main(int argc, char **argv)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK)
        return 1;
    kh_buf key;
    kh_buf_init(&key, ctx, 0);
    int status = 0;
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        size_t len = 0;
        while (word[len])
            len++;
        kh_buf_clear(&key);
        kh_status rc = kh_utf8_check(word, len, NULL);
        if (rc == KH_OK)
            rc = kh_text_normalize(&key, word, len);
        if (rc != KH_OK) {
            fprintf(stderr, "%s: %s\n", word, kh_strerror(rc));
            status = 1;
            continue;
        }
        printf("%s\t%s\n", word, key.len ? key.data : "");
    }
    kh_buf_free(&key);
    kh_ctx_free(ctx);
    return status;
}
