/*
 * kh_dedup_shard.c — copies past one process: a shard's fingerprints
 * written to a file, and shards merged back into one deduper.
 *
 * Idea. What kh_dedup_run() reads of a document is small and fixed once the
 * document is fingerprinted (khi_dedup_fp: id, date, provenance bytes, the
 * exact hash, shingle count, head and MinHash signature), and it reads the
 * documents in input order. So a shard process fingerprints its share and
 * writes those records, each with its position in the whole input; the
 * merge interleaves the shards back by position and runs the one grouping.
 * The grouping sees the same documents, in the same order, with the same
 * bytes: its output is the single process's, whatever the number of
 * shards. (Which documents a shard fingerprints, and why every shard
 * still reads the whole input, is kh_pipeline.c's SHARDS.)
 *
 * File layout, little-endian, no padding (doc/formats.md, "Shard files"):
 *
 *   header  "KHSHARD\0" | u32 version (1) | u32 index | u32 count
 *           | u32 num_perms | u32 shingle | u32 min_words | u32 band_rows
 *           | u32 max_bucket | f64 threshold | f64 containment
 *           | u64 docs (input documents read by every shard) | u64 records
 *   record  u64 position | u32 id_len | id bytes | i64 date | u8 timed
 *           | u8 agsrc | u8 agcred | u64 src | u64 exact[2] | u32 shingles
 *           | u8 head_n | head_n x u32 | num_perms x u16
 *   trailer "KHSHEND\0"
 *
 * Invariant checked on reading: positions strictly ascend within a file and
 * stay below docs; heads ascend; every file of a set agrees on count,
 * options and docs, and names a different index. A file that breaks one is
 * refused with its name and the byte offset, before any grouping.
 */
#include "kh_dedup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHARD_MAGIC "KHSHARD"   /* with its NUL: 8 bytes */
#define SHARD_TRAILER "KHSHEND" /* with its NUL: 8 bytes */
#define SHARD_VERSION 1u
#define SHARD_HEADER 72u        /* bytes of the header */
#define SHARD_SUFFIX ".khshard"
#define MAX_SHARDS 65536u
#define MAX_ID 65536u           /* bytes of an id, as the reader caps them */

/* ---- writing ------------------------------------------------------------ */

static void put(kh_buf *b, const void *p, size_t n, kh_status *rc)
{
    if (*rc == KH_OK)
        *rc = kh_buf_append(b, p, n);
}

static void put_le(kh_buf *b, uint64_t v, unsigned bytes, kh_status *rc)
{
    unsigned char s[8];
    for (unsigned i = 0; i < bytes; i++)
        s[i] = (unsigned char)(v >> (8 * i));
    put(b, s, bytes, rc);
}

static uint64_t f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* Bytes of encoded records held before they go to a file. */
#define SINK_BYTES ((size_t)1 << 20)

/* Writes out's bytes to sink and empties out; 0 when the write failed. */
static int drain(kh_buf *out, FILE *sink)
{
    int ok = !out->len || fwrite(out->data, 1, out->len, sink) == out->len;
    kh_buf_clear(out);
    return ok;
}

/* khi_dedup_shard_encode(), its bytes written to sink as they come when
 * sink is not NULL (out then holds at most about SINK_BYTES). */
static kh_status encode(kh_ctx *ctx, kh_deduper *dd, const uint32_t *positions, unsigned index,
                        unsigned count, uint64_t docs, kh_buf *out, FILE *sink)
{
    KHI_FORWARD_IF_ERROR(khi_dedup_seal(dd));
    kh_dedup_options o;
    unsigned rows;
    khi_dedup_options_get(dd, &o, &rows);
    size_t n = kh_dedup_count(dd);
    kh_status rc = KH_OK;
    put(out, SHARD_MAGIC, 8, &rc);
    put_le(out, SHARD_VERSION, 4, &rc);
    put_le(out, index, 4, &rc);
    put_le(out, count, 4, &rc);
    put_le(out, o.num_perms, 4, &rc);
    put_le(out, o.shingle, 4, &rc);
    put_le(out, o.min_words, 4, &rc);
    put_le(out, rows, 4, &rc);
    put_le(out, o.max_bucket, 4, &rc);
    put_le(out, f64_bits(o.threshold), 8, &rc);
    put_le(out, f64_bits(o.containment), 8, &rc);
    put_le(out, docs, 8, &rc);
    put_le(out, n, 8, &rc);
    for (size_t i = 0; i < n && rc == KH_OK; i++) {
        khi_dedup_fp fp;
        khi_dedup_fp_get(dd, i, &fp);
        put_le(out, positions[i], 8, &rc);
        put_le(out, fp.id_len, 4, &rc);
        put(out, fp.id, fp.id_len, &rc);
        put_le(out, (uint64_t)fp.date, 8, &rc);
        put_le(out, fp.timed, 1, &rc);
        put_le(out, fp.agsrc, 1, &rc);
        put_le(out, fp.agcred, 1, &rc);
        put_le(out, fp.src, 8, &rc);
        put_le(out, fp.exact[0], 8, &rc);
        put_le(out, fp.exact[1], 8, &rc);
        put_le(out, fp.nsh, 4, &rc);
        put_le(out, fp.head_n, 1, &rc);
        for (unsigned h = 0; h < fp.head_n; h++)
            put_le(out, fp.heads[h], 4, &rc);
        for (unsigned s = 0; s < o.num_perms; s++)
            put_le(out, fp.sig[s], 2, &rc);
        if (sink && rc == KH_OK && out->len >= SINK_BYTES && !drain(out, sink))
            return kh_ctx_error(ctx, KH_E_IO, "dedup shard: cannot write: %s", strerror(errno));
    }
    put(out, SHARD_TRAILER, 8, &rc);
    if (rc != KH_OK)
        return kh_ctx_error(ctx, rc, "dedup shard: %s", kh_strerror(rc));
    if (sink && !drain(out, sink))
        return kh_ctx_error(ctx, KH_E_IO, "dedup shard: cannot write: %s", strerror(errno));
    return KH_OK;
}

kh_status khi_dedup_shard_encode(kh_ctx *ctx, kh_deduper *dd, const uint32_t *positions,
                                 unsigned index, unsigned count, uint64_t docs, kh_buf *out)
{
    return encode(ctx, dd, positions, index, count, docs, out, NULL);
}

kh_status kh_dedup_shard_name(unsigned index, unsigned count, char *name, size_t name_cap)
{
    if (count == 0 || count > MAX_SHARDS || index >= count)
        return KH_E_ARG;
    int w = snprintf(name, name_cap, "shard-%05u-of-%05u" SHARD_SUFFIX, index, count);
    return w > 0 && (size_t)w < name_cap ? KH_OK : KH_E_TOOBIG;
}

kh_status khi_dedup_shard_write(kh_ctx *ctx, kh_deduper *dd, const uint32_t *positions,
                                unsigned index, unsigned count, uint64_t docs, const char *dir)
{
    char name[64];
    KHI_FORWARD_IF_ERROR(kh_dedup_shard_name(index, count, name, sizeof name));
    kh_buf path, tmp;
    kh_buf_init(&path, ctx, 0);
    kh_buf_init(&tmp, ctx, 0);
    kh_status rc = kh_buf_printf(&path, "%s/%s", dir, name);
    if (rc == KH_OK)
        rc = kh_buf_printf(&tmp, "%s/.%s.tmp", dir, name);
    if (rc != KH_OK) {
        kh_buf_free(&path);
        kh_buf_free(&tmp);
        return kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    }
    /* Written aside and renamed: a killed shard leaves no file the merge
     * would take for whole. */
    FILE *f = fopen(tmp.data, "wb");
    if (!f) {
        rc = kh_ctx_error(ctx, KH_E_IO, "%s: %s", tmp.data, strerror(errno));
    } else {
        /* streamed: the shard holds its fingerprints, not them twice */
        kh_buf chunk;
        kh_buf_init(&chunk, ctx, 0);
        rc = encode(ctx, dd, positions, index, count, docs, &chunk, f);
        kh_buf_free(&chunk);
        int bad = fflush(f) != 0;
        bad |= fsync(fileno(f)) != 0 && errno != EINVAL;
        bad |= fclose(f) != 0;
        if (rc == KH_OK && (bad || rename(tmp.data, path.data) != 0))
            rc = kh_ctx_error(ctx, KH_E_IO, "%s: %s", path.data, strerror(errno));
        if (rc != KH_OK)
            remove(tmp.data);
    }
    kh_buf_free(&path);
    kh_buf_free(&tmp);
    return rc;
}

/* ---- reading -------------------------------------------------------------- */

typedef struct shard_in {
    const char *name;          /* for messages */
    const unsigned char *data;
    size_t len, at;            /* at: the next unread byte */
    unsigned index, count;
    unsigned k, shingle, min_words, rows, max_bucket;
    double threshold, containment;
    uint64_t docs, records, read;
    uint64_t last_pos;
    /* the record under the cursor, when has */
    int has;
    uint64_t pos;
    khi_dedup_fp fp;
    uint32_t heads[KHI_HEAD];
    uint16_t *sig;
} shard_in;

static uint64_t get_le(const unsigned char *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static double get_f64(const unsigned char *p)
{
    uint64_t u = get_le(p, 8);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static kh_status bad(kh_ctx *ctx, const shard_in *s, size_t at, const char *what)
{
    return kh_ctx_error(ctx, KH_E_FORMAT, "%s: byte %zu: %s", s->name, at, what);
}

/* Takes n bytes at the cursor into *p, or says the file ends too soon. */
static kh_status take(kh_ctx *ctx, shard_in *s, size_t n, const unsigned char **p)
{
    if (s->len - s->at < n)
        return bad(ctx, s, s->len, "the shard file is truncated");
    *p = s->data + s->at;
    s->at += n;
    return KH_OK;
}

static kh_status read_header(kh_ctx *ctx, shard_in *s)
{
    const unsigned char *p = NULL;
    if (s->len < 8 || memcmp(s->data, SHARD_MAGIC, 8) != 0)
        return bad(ctx, s, 0, "not a khabar shard file");
    KHI_FORWARD_IF_ERROR(take(ctx, s, SHARD_HEADER, &p));
    uint32_t version = (uint32_t)get_le(p + 8, 4);
    if (version != SHARD_VERSION)
        return bad(ctx, s, 8, "a shard file version this khabar does not read");
    s->index = (unsigned)get_le(p + 12, 4);
    s->count = (unsigned)get_le(p + 16, 4);
    s->k = (unsigned)get_le(p + 20, 4);
    s->shingle = (unsigned)get_le(p + 24, 4);
    s->min_words = (unsigned)get_le(p + 28, 4);
    s->rows = (unsigned)get_le(p + 32, 4);
    s->max_bucket = (unsigned)get_le(p + 36, 4);
    s->threshold = get_f64(p + 40);
    s->containment = get_f64(p + 48);
    s->docs = get_le(p + 56, 8);
    s->records = get_le(p + 64, 8);
    if (s->count == 0 || s->count > MAX_SHARDS || s->index >= s->count)
        return bad(ctx, s, 12, "shard index out of its count");
    if (s->k < 16 || s->k > 1024 || (s->k & (s->k - 1)))
        return bad(ctx, s, 20, "signature size is not a power of two in 16..1024");
    if (s->rows < 1 || s->rows > 16 || s->rows > s->k)
        return bad(ctx, s, 32, "band rows out of 1..16");
    if (s->records > s->docs)
        return bad(ctx, s, 64, "more records than documents");
    return KH_OK;
}

/* Reads the record at the cursor, or the trailer (s->has = 0). */
static kh_status read_record(kh_ctx *ctx, shard_in *s)
{
    const unsigned char *p = NULL;
    size_t start = s->at;
    s->has = 0;
    if (s->read == s->records) {
        KHI_FORWARD_IF_ERROR(take(ctx, s, 8, &p));
        if (memcmp(p, SHARD_TRAILER, 8) != 0)
            return bad(ctx, s, start, "no end mark after the last record");
        if (s->at != s->len)
            return bad(ctx, s, s->at, "bytes after the end mark");
        return KH_OK;
    }
    KHI_FORWARD_IF_ERROR(take(ctx, s, 12, &p));
    s->pos = get_le(p, 8);
    uint32_t id_len = (uint32_t)get_le(p + 8, 4);
    if (s->pos >= s->docs || (s->read && s->pos <= s->last_pos))
        return bad(ctx, s, start, "record positions out of order or past the documents");
    if (id_len == 0 || id_len > MAX_ID)
        return bad(ctx, s, start + 8, "an id of no bytes or too many");
    KHI_FORWARD_IF_ERROR(take(ctx, s, id_len, &p));
    if (memchr(p, 0, id_len))
        return bad(ctx, s, start + 12, "a NUL byte inside an id");
    s->fp.id = (const char *)p;
    s->fp.id_len = id_len;
    size_t fixed_at = s->at;
    KHI_FORWARD_IF_ERROR(take(ctx, s, 8 + 3 + 8 + 16 + 4 + 1, &p));
    s->fp.date = (int64_t)get_le(p, 8);
    s->fp.timed = p[8];
    s->fp.agsrc = p[9];
    s->fp.agcred = p[10];
    s->fp.src = get_le(p + 11, 8);
    s->fp.exact[0] = get_le(p + 19, 8);
    s->fp.exact[1] = get_le(p + 27, 8);
    s->fp.nsh = (uint32_t)get_le(p + 35, 4);
    s->fp.head_n = p[39];
    if (s->fp.timed > 1)
        return bad(ctx, s, fixed_at + 8, "a time flag other than 0 or 1");
    if ((s->fp.agsrc && !khi_wire_name(s->fp.agsrc)) ||
        (s->fp.agcred && !khi_wire_name(s->fp.agcred)))
        return bad(ctx, s, fixed_at + 9, "an agency this khabar does not know");
    /* parse_date()'s range, or unknown: no sum on it can overflow */
    if (s->fp.date != INT64_MAX && (s->fp.date < 0 || s->fp.date > INT64_C(99999999999999)))
        return bad(ctx, s, fixed_at, "a date out of range");
    if (s->fp.head_n > KHI_HEAD)
        return bad(ctx, s, fixed_at + 39, "a head longer than 64 hashes");
    size_t heads_at = s->at;
    KHI_FORWARD_IF_ERROR(take(ctx, s, (size_t)s->fp.head_n * 4, &p));
    for (unsigned h = 0; h < s->fp.head_n; h++) {
        s->heads[h] = (uint32_t)get_le(p + 4 * h, 4);
        if (h && s->heads[h] <= s->heads[h - 1])
            return bad(ctx, s, heads_at + 4 * h, "head hashes not ascending");
    }
    KHI_FORWARD_IF_ERROR(take(ctx, s, (size_t)s->k * 2, &p));
    for (unsigned i = 0; i < s->k; i++)
        s->sig[i] = (uint16_t)get_le(p + 2 * i, 2);
    s->fp.heads = s->heads;
    s->fp.sig = s->sig;
    s->last_pos = s->pos;
    s->read++;
    s->has = 1;
    return KH_OK;
}

/* The options every shard of a set must share, compared with the first. */
static int same_options(const shard_in *a, const shard_in *b)
{
    return a->count == b->count && a->k == b->k && a->shingle == b->shingle &&
           a->min_words == b->min_words && a->rows == b->rows &&
           a->max_bucket == b->max_bucket && f64_bits(a->threshold) == f64_bits(b->threshold) &&
           f64_bits(a->containment) == f64_bits(b->containment) && a->docs == b->docs;
}

kh_status khi_dedup_merge_add(kh_ctx *ctx, const char *const *names, const void *const *data,
                              const size_t *lens, size_t n, unsigned threads, kh_deduper **out)
{
    *out = NULL;
    if (n == 0)
        return kh_ctx_error(ctx, KH_E_EMPTY, "dedup merge: no shard files");
    if (n > MAX_SHARDS)
        return kh_ctx_error(ctx, KH_E_ARG, "dedup merge: more than %u shards", MAX_SHARDS);
    shard_in *in = kh_malloc(ctx, n * sizeof *in);
    KHI_RETURN_IF(!in, KH_E_NOMEM);
    memset(in, 0, n * sizeof *in);
    kh_status rc = KH_OK;
    for (size_t i = 0; i < n && rc == KH_OK; i++) {
        in[i].name = names[i];
        in[i].data = data[i];
        in[i].len = lens[i];
        rc = read_header(ctx, &in[i]);
        if (rc == KH_OK && i && !same_options(&in[0], &in[i]))
            rc = kh_ctx_error(ctx, KH_E_FORMAT,
                              "%s: byte 16: its count, options or documents differ from %s's",
                              in[i].name, in[0].name);
        if (rc == KH_OK) {
            in[i].sig = kh_malloc(ctx, in[i].k * sizeof *in[i].sig);
            if (!in[i].sig)
                rc = KH_E_NOMEM;
        }
    }
    if (rc == KH_OK && in[0].count != n)
        rc = kh_ctx_error(ctx, KH_E_FORMAT, "dedup merge: %zu shard files for a set of %u",
                          n, in[0].count);
    /* each index once: sorted by index, in[i] must be shard i */
    for (size_t i = 0; i < n && rc == KH_OK; i++) {
        for (size_t j = i + 1; j < n; j++)
            if (in[j].index < in[i].index) {
                shard_in t = in[i];
                in[i] = in[j];
                in[j] = t;
            }
        if (in[i].index != i)
            rc = kh_ctx_error(ctx, KH_E_FORMAT, "%s: shard %u appears twice",
                              in[i].name, in[i].index);
    }
    kh_deduper *dd = NULL;
    if (rc == KH_OK) {
        kh_dedup_options o;
        kh_dedup_options_init(&o);
        o.threads = threads;
        o.num_perms = in[0].k;
        o.shingle = in[0].shingle;
        o.min_words = in[0].min_words;
        o.band_rows = in[0].rows;
        o.max_bucket = in[0].max_bucket;
        o.threshold = in[0].threshold;
        o.containment = in[0].containment;
        rc = kh_dedup_create(ctx, &o, &dd);
        if (rc != KH_OK)
            rc = kh_ctx_error(ctx, rc, "%s: byte 20: %s", in[0].name, kh_errmsg(ctx));
    }
    for (size_t i = 0; i < n && rc == KH_OK; i++)
        rc = read_record(ctx, &in[i]);
    /* Interleaved back into input order: the smallest position first. */
    while (rc == KH_OK) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (in[i].has && (best == n || in[i].pos < in[best].pos))
                best = i;
        if (best == n)
            break;
        for (size_t i = 0; i < n; i++)
            if (i != best && in[i].has && in[i].pos == in[best].pos)
                rc = kh_ctx_error(ctx, KH_E_FORMAT, "%s and %s: both hold document %llu",
                                  in[best].name, in[i].name,
                                  (unsigned long long)in[best].pos);
        if (rc == KH_OK)
            rc = khi_dedup_fp_add(dd, &in[best].fp);
        if (rc == KH_OK)
            rc = read_record(ctx, &in[best]);
    }
    for (size_t i = 0; i < n; i++)
        kh_free(ctx, in[i].sig, in[i].k * sizeof *in[i].sig);
    kh_free(ctx, in, n * sizeof *in);
    if (rc != KH_OK) {
        kh_dedup_free(dd);
        return rc;
    }
    *out = dd;
    return KH_OK;
}

kh_status kh_dedup_merge_buffers(kh_ctx *ctx, const char *const *names,
                                 const void *const *data, const size_t *lens, size_t n,
                                 unsigned threads, kh_deduper **out)
{
    KHI_FORWARD_IF_ERROR(khi_dedup_merge_add(ctx, names, data, lens, n, threads, out));
    kh_status rc = kh_dedup_run(*out);
    if (rc != KH_OK) {
        kh_dedup_free(*out);
        *out = NULL;
    }
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

kh_status kh_dedup_merge_dir(kh_ctx *ctx, const char *dir, unsigned threads, kh_deduper **out)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return kh_ctx_error(ctx, KH_E_IO, "%s: %s", dir, strerror(errno));
    char **paths = NULL;
    size_t n = 0, cap = 0;
    kh_status rc = KH_OK;
    struct dirent *e;
    while (rc == KH_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, SHARD_SUFFIX))
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            char **np = kh_malloc(ctx, nc * sizeof *np);
            if (!np) {
                rc = KH_E_NOMEM;
                break;
            }
            if (n)
                memcpy(np, paths, n * sizeof *np);
            kh_free(ctx, paths, cap * sizeof *paths);
            paths = np;
            cap = nc;
        }
        size_t len = strlen(dir) + 1 + strlen(e->d_name) + 1;
        paths[n] = kh_malloc(ctx, len);
        if (!paths[n]) {
            rc = KH_E_NOMEM;
            break;
        }
        snprintf(paths[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (rc == KH_OK && n == 0)
        rc = kh_ctx_error(ctx, KH_E_EMPTY, "%s: no shard files (*" SHARD_SUFFIX ")", dir);
    if (rc == KH_OK)
        qsort(paths, n, sizeof *paths, cmp_str);
    const void **data = NULL;
    size_t *lens = NULL;
    if (rc == KH_OK) {
        data = kh_malloc(ctx, n * sizeof *data);
        lens = kh_malloc(ctx, n * sizeof *lens);
        if (!data || !lens)
            rc = KH_E_NOMEM;
        else
            for (size_t i = 0; i < n; i++) {
                data[i] = NULL;
                lens[i] = 0;
            }
    }
    /* Mapped, not read: the merge holds the deduper, not the files. */
    for (size_t i = 0; i < n && rc == KH_OK; i++) {
        int fd = open(paths[i], O_RDONLY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            rc = kh_ctx_error(ctx, KH_E_IO, "%s: %s", paths[i], strerror(errno));
        } else if (st.st_size > 0) {
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m == MAP_FAILED)
                rc = kh_ctx_error(ctx, KH_E_IO, "%s: %s", paths[i], strerror(errno));
            else {
                data[i] = m;
                lens[i] = (size_t)st.st_size;
            }
        } else {
            data[i] = "";
        }
        if (fd >= 0)
            close(fd);
    }
    if (rc == KH_E_NOMEM)
        rc = kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
    if (rc == KH_OK)
        rc = khi_dedup_merge_add(ctx, (const char *const *)paths, data, lens, n, threads, out);
    /* The records are in the deduper: the files' pages go before the
     * grouping needs its memory. */
    for (size_t i = 0; data && i < n; i++)
        if (lens[i])
            munmap((void *)data[i], lens[i]);
    kh_free(ctx, data, n * sizeof *data);
    kh_free(ctx, lens, n * sizeof *lens);
    for (size_t i = 0; i < n; i++)
        kh_free(ctx, paths[i], strlen(paths[i]) + 1);
    kh_free(ctx, paths, cap * sizeof *paths);
    if (rc == KH_OK)
        rc = kh_dedup_run(*out);
    if (rc != KH_OK) {
        kh_dedup_free(*out);
        *out = NULL;
    }
    return rc;
}

#ifndef KH_MPI
/* Built without MPI (make MPI=1 builds kh_dedup_mpi.c instead of these). */
kh_status kh_mpi_init(int *argc, char ***argv, unsigned *rank, unsigned *size)
{
    KHI_UNUSED(argc);
    KHI_UNUSED(argv);
    *rank = 0;
    *size = 1;
    return KH_E_ARG;
}

void kh_mpi_finalize(void)
{
}

kh_status kh_pipeline_dedup_mpi(kh_pipeline *p, kh_deduper **out)
{
    KHI_UNUSED(p);
    *out = NULL;
    return KH_E_ARG;
}
#endif
