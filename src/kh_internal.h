/*
 * kh_internal.h — what the library's own files share and users never see.
 *
 * Names here start with khi_ (or KHI_) so nobody mistakes them for API.
 * The two error macros forward a status up the stack; in debug builds
 * (KH_DEBUG defined) they also print where the error passed through, which
 * turns an opaque status into a trace without a debugger.
 */
#ifndef KH_INTERNAL_H
#define KH_INTERNAL_H

#include "khabar.h"

#include <stdarg.h>

#ifdef KH_DEBUG
#  define KHI_TRACE(code) \
      fprintf(stderr, "khabar: %s:%d: %s\n", __FILE__, __LINE__, kh_strerror(code))
#else
#  define KHI_TRACE(code) ((void)0)
#endif

/* Returns code from the current function when cond holds. */
#define KHI_RETURN_IF(cond, code)          \
    do {                                   \
        if (cond) {                        \
            KHI_TRACE(code);               \
            return (code);                 \
        }                                  \
    } while (0)

/* Evaluates expr (a kh_status) and returns it when it is not KH_OK. */
#define KHI_FORWARD_IF_ERROR(expr)         \
    do {                                   \
        kh_status khi_rc_ = (expr);        \
        if (khi_rc_ != KH_OK) {            \
            KHI_TRACE(khi_rc_);            \
            return khi_rc_;                \
        }                                  \
    } while (0)

#define KHI_UNUSED(x) ((void)(x))
#define KHI_MIN(a, b) ((a) < (b) ? (a) : (b))
#define KHI_MAX(a, b) ((a) > (b) ? (a) : (b))

/* The context's guts, shared by the library's files. */
struct kh_ctx {
    kh_allocator alloc;
    size_t limits[KH_LIMIT_COUNT_];
    kh_status last_code;
    char errmsg[1024];
};

/* The proleptic Gregorian calendar (kh_date.c): days in a month, and days
 * since 1970-01-01 from a date and back. */
int khi_days_in_month(int y, int m);
long khi_days_from_civil(int y, int m, int d);
void khi_civil_from_days(long days, int *y, int *m, int *d);

/* A context for a worker thread: the parent's allocator and limits, an
 * error message of its own. Free with kh_ctx_free(). */
kh_status khi_ctx_fork(const kh_ctx *parent, kh_ctx **out);

/* A cleaner for a worker thread (kh_clean.c): its own scratch on ctx, the
 * counts kh_cleaner_observe() made in parent shared read-only, so parent
 * must neither observe nor reset nor be freed while a fork lives. Free
 * with kh_cleaner_free(). */
kh_status khi_cleaner_fork(const kh_cleaner *parent, kh_ctx *ctx, kh_cleaner **out);

/* Moves what fork observed of HTML pages (its memo, kh_clean.c) into c, the
 * cleaner it was forked from, so that c and its later forks clean those
 * pages without parsing them again. Call it before freeing the fork, with
 * no other fork of c alive. Nothing is moved when c's memo is full or an
 * allocation fails: the pages are parsed again. */
void khi_cleaner_memo_adopt(kh_cleaner *c, kh_cleaner *fork);

/* Turns the cleaner's memo of observed HTML pages on (the default) or off
 * (each page is then parsed again when cleaned); returns the pages cleaned
 * from the memo so far. For tests. */
uint64_t khi_cleaner_memo(kh_cleaner *c, int on);

/* Sets up the parsers' state (kh_html.c): libxml2's globals, which it makes
 * on first use, and kh_dom's tag tables. Call it on one thread before pages
 * are cleaned on several. */
void khi_html_init(void);

/* kh_cleaner_observe() in two steps, so that worker threads can do the
 * first: the page's line keys, sorted (in c's scratch, valid until c's next
 * call), and its source salt, the counts left alone (*counted is 0 when the
 * page counts for nothing: not a page, not UTF-8, over a work limit); then
 * the counts, added in input order to the cleaner that forked c. */
kh_status khi_cleaner_observe_keys(kh_cleaner *c, const kh_doc *doc, const uint64_t **keys,
                                   size_t *n_keys, uint64_t *salt, int *counted);
void khi_cleaner_observe_add(kh_cleaner *c, const uint64_t *keys, size_t n, uint64_t salt);

/* Same as kh_ctx_error() with a va_list. */
kh_status khi_ctx_verror(kh_ctx *ctx, kh_status code, const char *fmt, va_list ap);

/* Decodes one UTF-8 code point at s[0..len) (len > 0). Returns its length in
 * bytes and stores the code point, or returns 0 for an invalid sequence. */
size_t khi_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Strings from the context's allocator: a copy of s[0..len) (or of s, NULL
 * for NULL), freed with khi_strfree() (NULL accepted). */
char *khi_strndup(kh_ctx *ctx, const char *s, size_t len);
char *khi_strdup(kh_ctx *ctx, const char *s);
void khi_strfree(kh_ctx *ctx, char *s);

/* Room for one more element in a growing array: *arrayp (the address of
 * the array's pointer, any element type) of *cap elements of elem bytes
 * is doubled (to `first` when empty) with ctx's allocator. KH_E_NOMEM
 * leaves the array and *cap as they were. Use KHI_GROW(). */
kh_status khi_grow(kh_ctx *ctx, void *arrayp, size_t *cap, size_t elem, size_t first);

/* KH_OK when array (with n used of cap, all lvalues; cap a size_t) has room
 * for one more element, else khi_grow()'s answer: lua's luaM_growvector. */
#define KHI_GROW(ctx, array, n, cap, first)                                            \
    ((n) < (cap) ? KH_OK : khi_grow((ctx), &(array), &(cap), sizeof *(array), (first)))

/* Encodes cp into out (room for 4 bytes); returns the length. */
size_t khi_utf8_encode(uint32_t cp, char *out);

/* Code points in UTF-8 s[0..len): the bytes that continue no sequence. */
static inline size_t khi_cp_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* The value of one hexadecimal digit, or -1 (percent-escapes in URLs). */
static inline int khi_hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* RFC 3986's unreserved characters: an escape of one means the character. */
static inline int khi_url_unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* qsort()'s comparison of two uint64_t, ascending. */
static inline int khi_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* MurmurHash3's finalizer (fmix64): every input bit reaches every output
 * bit, for table slots and seeds made from hashes or small counters. */
static inline uint64_t khi_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* The account's word table (kh_account.c), built once for the many
 * accounts of a pipeline instead of once per account. Read-only once
 * built; the creator frees it. */
typedef struct khi_account_words khi_account_words;
kh_status khi_account_words_create(kh_ctx *ctx, khi_account_words **out);
void khi_account_words_free(khi_account_words *words); /* accepts NULL */

/* Handed the words an account split its articles into (the texts of each,
 * in story order: struct khi_article_texts, kh_account_int.h) and its
 * headline (or NULL), before they are freed: the linker reads a story's
 * lead from them instead of splitting it again. Not KH_OK fails the build. */
struct khi_article_texts;
typedef struct khi_texts_hook {
    kh_status (*fn)(void *user, const struct khi_article_texts *texts, size_t n_articles,
                    const char *headline);
    void *user;
} khi_texts_hook;

/* kh_account_build() with the word table given (NULL: built for the call)
 * and the hook (NULL: none). */
kh_status khi_account_build(kh_ctx *ctx, kh_tokenizer *tok, const khi_account_words *words,
                            const kh_account_article *articles, size_t n_articles,
                            const kh_account_options *opts, const khi_texts_hook *hook,
                            kh_account **out);

#endif /* KH_INTERNAL_H */
