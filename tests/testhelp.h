/*
 * testhelp.h — the test harness: table-friendly checks and a closing tally.
 *
 * Each tests/test_*.c is one program. KH_CHECK records a pass or a failure
 * (with file:line and the expression) and goes on, so one run shows every
 * broken case; kh_test_report() prints "N passed, N failed" and gives the
 * exit status. tests/run-tests sums the tallies of all programs.
 */
#ifndef KH_TESTHELP_H
#define KH_TESTHELP_H

#include <stdio.h>
#include <string.h>

static int kh_test_passed;
static int kh_test_failed;
static const char *kh_test_name = "";

#define KH_TEST(name) (kh_test_name = (name))

#define KH_CHECK(cond)                                                       \
    do {                                                                     \
        if (cond) {                                                          \
            kh_test_passed++;                                                \
        } else {                                                             \
            kh_test_failed++;                                                \
            fprintf(stderr, "FAIL %s:%d [%s]: %s\n", __FILE__, __LINE__,     \
                    kh_test_name, #cond);                                    \
        }                                                                    \
    } while (0)

/* Compares two strings and shows both when they differ. */
#define KH_CHECK_STR(got, want)                                              \
    do {                                                                     \
        const char *g_ = (got), *w_ = (want);                                \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                               \
            kh_test_passed++;                                                \
        } else {                                                             \
            kh_test_failed++;                                                \
            fprintf(stderr, "FAIL %s:%d [%s]: %s\n  got:  %s\n  want: %s\n", \
                    __FILE__, __LINE__, kh_test_name, #got, g_ ? g_ : "(null)", \
                    w_ ? w_ : "(null)");                                     \
        }                                                                    \
    } while (0)

#define KH_CHECK_INT(got, want)                                              \
    do {                                                                     \
        long long g_ = (long long)(got), w_ = (long long)(want);             \
        if (g_ == w_) {                                                      \
            kh_test_passed++;                                                \
        } else {                                                             \
            kh_test_failed++;                                                \
            fprintf(stderr, "FAIL %s:%d [%s]: %s == %lld, want %lld\n",      \
                    __FILE__, __LINE__, kh_test_name, #got, g_, w_);         \
        }                                                                    \
    } while (0)

static int kh_test_report(const char *program)
{
    printf("%s: %d passed, %d failed\n", program, kh_test_passed, kh_test_failed);
    return kh_test_failed ? 1 : 0;
}

/*
 * An allocator that fails its Nth allocation (fail_at, 1-based; 0 = never)
 * and tracks live bytes, for "fail allocation N until the call succeeds"
 * loops: each run must give a correct result or a clean KH_E_NOMEM, and
 * live must come back to zero once everything is freed.
 */
#include <stdlib.h>
#include "khabar.h"

typedef struct kh_test_alloc {
    long calls;
    long fail_at;
    long long live;
} kh_test_alloc;

/* Stages that run threaded allocate from worker threads, so the counters are
 * updated atomically, as khabar.h asks of every allocator. */
static void *kh_test_alloc_fn(void *opaque, void *ptr, size_t old_size, size_t new_size)
{
    kh_test_alloc *t = opaque;
    if (new_size == 0) {
        if (ptr)
            __atomic_sub_fetch(&t->live, (long long)old_size, __ATOMIC_RELAXED);
        free(ptr);
        return NULL;
    }
    long call = __atomic_add_fetch(&t->calls, 1, __ATOMIC_RELAXED);
    if (t->fail_at && call == t->fail_at)
        return NULL;
    void *p = realloc(ptr, new_size);
    if (p)
        __atomic_add_fetch(&t->live, (long long)new_size - (long long)(ptr ? old_size : 0),
                           __ATOMIC_RELAXED);
    return p;
}

/* A document over content (not copied: it must outlive the document), as
 * the reader would give it for file: line 1, HTML or text by kind. Free
 * with kh_doc_free(); NULL when an allocation fails. */
static inline kh_doc *kh_test_doc(kh_ctx *ctx, const char *file, const char *content,
                                  kh_content kind)
{
    kh_arena *a;
    if (kh_arena_create(ctx, &a) != KH_OK)
        return NULL;
    kh_doc *d = kh_arena_alloc(a, sizeof *d);
    if (!d) {
        kh_arena_free(a);
        return NULL;
    }
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->id = d->file = file;
    d->line = 1;
    d->content = content;
    d->content_len = strlen(content);
    d->kind = kind;
    d->format = kind == KH_CONTENT_HTML ? KH_FORMAT_HTML : KH_FORMAT_TEXT;
    return d;
}

#endif /* KH_TESTHELP_H */
