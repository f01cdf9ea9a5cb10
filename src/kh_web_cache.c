/*
 * kh_web_cache.c — whole answers kept for the next request that asks the
 * same thing, until the store changes.
 *
 * A monitor's clients ask for the same few pages all day (the index, the
 * breaking list, the feeds, a popular story, the same searches), and each
 * costs from a fraction of a millisecond (a story) to several (a search for
 * a common word ranks every article that has it). Between two ingests the
 * answers cannot change: every page is a function of the request and the
 * store alone (no clock, no cookies). So each store connection keeps the
 * answers it made, keyed by everything the request's answer depends on, and
 * drops them all when SQLite's data version says another connection has
 * committed since (PRAGMA data_version: per connection, which is why the
 * cache is too; no lock is taken on a hit).
 *
 * Bounds: at most KHI_WEB_CACHE_ENTRIES answers and KHI_WEB_CACHE_BYTES of
 * bodies per connection; an answer larger than KHI_WEB_CACHE_MAX_ANSWER is
 * not kept. The least recently used answer makes room. Lookup is a scan of
 * 64-bit hashes: with a few hundred entries that costs less than parsing
 * the request did.
 */
#include "kh_web_int.h"

#include <string.h>
#include <xxhash.h>

typedef struct cache_entry {
    uint64_t hash;     /* of the key; 0: the slot is free */
    uint64_t used;     /* the cache's tick at the last hit or put */
    char *key;
    size_t key_len;
    khi_web_answer answer;
} cache_entry;

struct khi_web_cache {
    kh_ctx *ctx;
    int64_t version;   /* the store's data version the answers were made at */
    int has_version;
    uint64_t tick;
    size_t bytes;      /* bodies and keys held */
    cache_entry slot[KHI_WEB_CACHE_ENTRIES];
};

khi_web_cache *khi_web_cache_new(kh_ctx *ctx)
{
    khi_web_cache *c = kh_malloc(ctx, sizeof *c);
    if (c) {
        memset(c, 0, sizeof *c);
        c->ctx = ctx;
    }
    return c;
}

static void entry_drop(khi_web_cache *c, cache_entry *e)
{
    if (!e->hash)
        return;
    c->bytes -= e->key_len + e->answer.body_len;
    kh_free(c->ctx, e->key, e->key_len + e->answer.body_len + 1);
    memset(e, 0, sizeof *e);
}

void khi_web_cache_clear(khi_web_cache *c)
{
    for (size_t i = 0; i < KHI_WEB_CACHE_ENTRIES; i++)
        entry_drop(c, &c->slot[i]);
}

void khi_web_cache_free(khi_web_cache *c)
{
    if (!c)
        return;
    khi_web_cache_clear(c);
    kh_free(c->ctx, c, sizeof *c);
}

void khi_web_cache_validate(khi_web_cache *c, int64_t version)
{
    if (c->has_version && c->version == version)
        return;
    khi_web_cache_clear(c);
    c->version = version;
    c->has_version = 1;
}

static uint64_t key_hash(const char *key, size_t key_len)
{
    uint64_t h = XXH3_64bits(key, key_len);
    return h ? h : 1; /* 0 marks a free slot */
}

const khi_web_answer *khi_web_cache_get(khi_web_cache *c, const char *key, size_t key_len)
{
    uint64_t h = key_hash(key, key_len);
    for (size_t i = 0; i < KHI_WEB_CACHE_ENTRIES; i++) {
        cache_entry *e = &c->slot[i];
        if (e->hash == h && e->key_len == key_len && memcmp(e->key, key, key_len) == 0) {
            e->used = ++c->tick;
            return &e->answer;
        }
    }
    return NULL;
}

/* The slot to fill: a free one, else the least recently used. */
static cache_entry *victim(khi_web_cache *c)
{
    cache_entry *best = &c->slot[0];
    for (size_t i = 0; i < KHI_WEB_CACHE_ENTRIES; i++) {
        cache_entry *e = &c->slot[i];
        if (!e->hash)
            return e;
        if (e->used < best->used)
            best = e;
    }
    return best;
}

int khi_web_cache_put(khi_web_cache *c, const char *key, size_t key_len,
                      const khi_web_answer *answer)
{
    size_t need = key_len + answer->body_len;
    if (answer->body_len > KHI_WEB_CACHE_MAX_ANSWER || key_len > KHI_WEB_MAX_URI * 2)
        return 0;
    if (khi_web_cache_get(c, key, key_len))
        return 1;
    while (c->bytes + need > KHI_WEB_CACHE_BYTES) {
        cache_entry *old = NULL;
        for (size_t i = 0; i < KHI_WEB_CACHE_ENTRIES; i++)
            if (c->slot[i].hash && (!old || c->slot[i].used < old->used))
                old = &c->slot[i];
        if (!old)
            return 0;
        entry_drop(c, old);
    }
    cache_entry *e = victim(c);
    entry_drop(c, e);
    char *mem = kh_malloc(c->ctx, need + 1);
    if (!mem)
        return 0;
    memcpy(mem, key, key_len);
    if (answer->body_len)
        memcpy(mem + key_len, answer->body, answer->body_len);
    mem[need] = '\0'; /* a body is also a C string */
    e->hash = key_hash(key, key_len);
    e->used = ++c->tick;
    e->key = mem;
    e->key_len = key_len;
    e->answer = *answer;
    e->answer.body = mem + key_len;
    c->bytes += need;
    return 1;
}

size_t khi_web_cache_bytes(const khi_web_cache *c)
{
    return c->bytes;
}
