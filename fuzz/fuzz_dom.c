/*
 * fuzz_dom.c — khabar's HTML parser against libxml2's on any bytes that are
 * UTF-8 without NUL (what the cleaner hands it): no crash, no leak, and the
 * same tree. Over the work budget, the parse stops cleanly.
 */
#include "../tests/dom_form.h"

#include <khabar.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Does a name of 100 bytes or more follow a '&' or "<?"? libxml2 2.9.14
 * reads such a name wrongly when it holds a letter past ASCII (its slow
 * name reader refills its buffer under the name), so those pages are
 * checked for crashes and limits only. */
static int long_name(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&' && !(s[i] == '?' && i && s[i - 1] == '<')) continue;
        size_t k = i + 1;
        while (k < n && (unsigned char)s[k] > ' ' && !strchr(";<>&/=\"'", s[k])) k++;
        if (k - i > 100) return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static kh_ctx *ctx;
    if (!ctx) {
        if (kh_ctx_create(&ctx, NULL) != KH_OK) return 0;
        xmlInitParser();
    }
    if (size > 1 << 16 || memchr(data, 0, size) ||
        kh_utf8_check((const char *)data, size, NULL) != KH_OK)
        return 0;
    char *x = libxml2_tree((const char *)data, size), *d = our_tree(ctx, (const char *)data, size);
    if (strcmp(x, d) && !long_name((const char *)data, size)) {
        size_t i = 0;
        while (x[i] && x[i] == d[i]) i++;
        fprintf(stderr, "trees differ at %zu\n  libxml2: %.200s\n  khabar:  %.200s\n", i,
                x + (i > 60 ? i - 60 : 0), d + (i > 60 ? i - 60 : 0));
        abort();
    }
    free(x);
    free(d);

    /* a small budget: every limit is reachable from a short input */
    kh_arena *a;
    if (kh_arena_create(ctx, &a) != KH_OK) return 0;
    khi_dom_limits lim = { 16, 4, 24, 8 };
    khi_dom_node *root;
    khi_dom_over over;
    kh_status rc = khi_dom_parse(ctx, a, (const char *)data, size, &lim, &root, &over);
    if (rc != KH_OK && !(rc == KH_E_LIMIT && over.at <= size && strchr("eatd", over.what)))
        abort();
    kh_arena_free(a);
    return 0;
}
