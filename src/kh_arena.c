/*
 * kh_arena.c — bump allocation for data that lives and dies together.
 *
 * Layout. An arena is a chain of blocks taken from the context's allocator.
 * The newest block is first; allocations bump `used` in it and never move.
 *
 *   arena -> [block n: hdr | used ........ | free ] -> ... -> [block 1: hdr | full ]
 *
 * - Alignment: every allocation is aligned to KHI_ARENA_ALIGN (the
 *   alignment of max_align_t, 16 on x86-64), so any type can live there.
 * - Growth: a new block is max(2 x previous block, request + header), so a
 *   document of n bytes costs O(log n) calls to the allocator.
 * - Reset: kh_arena_reset() frees every block but the largest and sets its
 *   `used` back to zero; an arena reset between batches or pages reaches a
 *   steady state with no allocator calls.
 * - Nothing is freed alone; kh_arena_free() returns every block.
 */
#include "kh_internal.h"

#include <stdalign.h>
#include <string.h>

#define KHI_ARENA_ALIGN alignof(max_align_t)
#define KHI_ARENA_FIRST_BLOCK ((size_t)4096)

typedef struct arena_block {
    struct arena_block *next; /* older block */
    size_t size;              /* bytes in data[] */
    size_t used;
    alignas(max_align_t) unsigned char data[];
} arena_block;

struct kh_arena {
    kh_ctx *ctx;
    arena_block *head;
    size_t footprint;
};

static size_t align_up(size_t n)
{
    return (n + KHI_ARENA_ALIGN - 1) & ~(KHI_ARENA_ALIGN - 1);
}

kh_status kh_arena_create(kh_ctx *ctx, kh_arena **out)
{
    *out = NULL;
    kh_arena *a = kh_malloc(ctx, sizeof *a);
    KHI_RETURN_IF(!a, KH_E_NOMEM);
    a->ctx = ctx;
    a->head = NULL;
    a->footprint = sizeof *a;
    *out = a;
    return KH_OK;
}

static void free_blocks(kh_arena *a, arena_block *b, arena_block *stop)
{
    while (b != stop) {
        arena_block *next = b->next;
        a->footprint -= sizeof *b + b->size;
        kh_free(a->ctx, b, sizeof *b + b->size);
        b = next;
    }
}

void kh_arena_free(kh_arena *arena)
{
    if (!arena)
        return;
    free_blocks(arena, arena->head, NULL);
    kh_free(arena->ctx, arena, sizeof *arena);
}

void kh_arena_reset(kh_arena *arena)
{
    arena_block *largest = arena->head;
    if (!largest)
        return;
    /* a block is at least twice the one before it, unless a big request
     * made it; keeping the largest lets an arena reset between pages reach
     * its size once and stop calling the allocator */
    for (arena_block *b = arena->head; b; b = b->next)
        if (b->size > largest->size)
            largest = b;
    arena_block *rest = largest->next;
    if (arena->head != largest)
        free_blocks(arena, arena->head, largest);
    free_blocks(arena, rest, NULL);
    largest->next = NULL;
    largest->used = 0;
    arena->head = largest;
}

void *kh_arena_alloc(kh_arena *arena, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX / 4)
        return NULL;
    size = align_up(size);
    arena_block *b = arena->head;
    if (!b || b->size - b->used < size) {
        size_t want = b ? b->size * 2 : KHI_ARENA_FIRST_BLOCK;
        if (want < size)
            want = align_up(size);
        arena_block *nb = kh_malloc(arena->ctx, sizeof *nb + want);
        if (!nb)
            return NULL;
        nb->next = b;
        nb->size = want;
        nb->used = 0;
        arena->head = nb;
        arena->footprint += sizeof *nb + want;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

char *kh_arena_strndup(kh_arena *arena, const char *text, size_t text_len)
{
    char *p = kh_arena_alloc(arena, text_len + 1);
    if (!p)
        return NULL;
    if (text_len)
        memcpy(p, text, text_len);
    p[text_len] = '\0';
    return p;
}

size_t kh_arena_footprint(const kh_arena *arena)
{
    return arena->footprint;
}
