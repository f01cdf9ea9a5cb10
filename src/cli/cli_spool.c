/*
 * cli_spool.c — an unlinked temporary file that records are appended to
 * and read back from by offset.
 *
 * Commands that must see a whole batch before they can order it (stories
 * sorts by date) write each record here once and keep only its offset in
 * memory, so what they hold per document is a few bytes, not its text.
 * Appends are gathered in memory and written in large pieces; a read of a
 * record still in that buffer writes the buffer first. The file is unlinked
 * as soon as it is made: nothing is left behind, however the process ends.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Appends are written to the file once this many bytes are waiting. */
#define SPOOL_PENDING ((size_t)1 << 20)

int cli_spool_open(cli_spool *sp, kh_ctx *ctx)
{
    memset(sp, 0, sizeof *sp);
    sp->fd = -1;
    kh_buf_init(&sp->pending, ctx, 0);
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t len = strlen(dir) + sizeof "/khabar-spool-XXXXXX";
    char *path = malloc(len);
    if (!path)
        return -1;
    snprintf(path, len, "%s/khabar-spool-XXXXXX", dir);
    sp->fd = mkstemp(path);
    if (sp->fd >= 0)
        unlink(path);
    free(path);
    return sp->fd >= 0 ? 0 : -1;
}

/* Writes what is waiting; 0, or -1 with errno set. */
static int spool_drain(cli_spool *sp)
{
    const char *p = sp->pending.data;
    size_t left = sp->pending.len;
    while (left) {
        ssize_t w = pwrite(sp->fd, p, left, (off_t)sp->written);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        left -= (size_t)w;
        sp->written += (uint64_t)w;
    }
    kh_buf_clear(&sp->pending);
    return 0;
}

int cli_spool_append(cli_spool *sp, const void *bytes, size_t len, uint64_t *off)
{
    *off = sp->written + sp->pending.len;
    if (kh_buf_append(&sp->pending, bytes, len) != KH_OK) {
        errno = ENOMEM;
        return -1;
    }
    return sp->pending.len >= SPOOL_PENDING ? spool_drain(sp) : 0;
}

int cli_spool_read(cli_spool *sp, uint64_t off, size_t len, kh_buf *out)
{
    if (off + len > sp->written && spool_drain(sp) != 0)
        return -1;
    if (kh_buf_reserve(out, len + 1) != KH_OK) {
        errno = ENOMEM;
        return -1;
    }
    char *p = out->data + out->len;
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(sp->fd, p + got, len - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EIO;
            return -1;
        }
        got += (size_t)r;
    }
    out->len += len;
    out->data[out->len] = '\0';
    return 0;
}

void cli_spool_close(cli_spool *sp)
{
    if (sp->fd >= 0)
        close(sp->fd);
    sp->fd = -1;
    kh_buf_free(&sp->pending);
}
