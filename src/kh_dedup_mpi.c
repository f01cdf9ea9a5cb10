/*
 * kh_dedup_mpi.c — the copies end over MPI: every rank a shard, rank 0 the
 * merge. Built only with make MPI=1 (kh_dedup_shard.c holds the stubs that
 * say MPI is missing otherwise).
 *
 * Idea. The shard/merge split (kh_dedup_shard.c) already makes the result
 * independent of the number of processes: rank r of N is shard r of N,
 * fingerprints its share, and encodes it as a shard file in memory; the
 * encoded shards travel to rank 0 by MPI_Gatherv in rounds of at most
 * ROUND_BYTES in all (so no message, and no receive buffer of a round,
 * grows with the input), and rank 0 merges them as `khabar dedup --merge`
 * does. Output: rank 0's, identical to one process's.
 *
 * What this is not (doc/scale.md): a distributed grouping. Cleaning and
 * fingerprinting, the costly part, scale with the ranks; the grouping (LSH
 * candidates, verification, star groups) runs on rank 0 over every
 * document's ~580 bytes, so rank 0's memory grows with the input. The
 * distributed design (band keys to their owners by MPI_Alltoallv, pairs
 * verified there, groups joined by label propagation) is written down in
 * doc/scale.md, not built.
 *
 * Errors: a failure on any rank is reported on every rank (MPI_Allreduce
 * of the status), so no rank waits on a message that will not come.
 */
#include "kh_dedup.h"
#include "kh_pipeline_int.h"

#include <mpi.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Bytes rank 0 receives in one round, from all ranks together. */
#define ROUND_BYTES ((uint64_t)64 << 20)

kh_status kh_mpi_init(int *argc, char ***argv, unsigned *rank, unsigned *size)
{
    int started = 0, r = 0, n = 1;
    *rank = 0;
    *size = 1;
    if (MPI_Initialized(&started) != MPI_SUCCESS)
        return KH_E_INTERNAL;
    if (!started && MPI_Init(argc, argv) != MPI_SUCCESS)
        return KH_E_INTERNAL;
    if (MPI_Comm_rank(MPI_COMM_WORLD, &r) != MPI_SUCCESS ||
        MPI_Comm_size(MPI_COMM_WORLD, &n) != MPI_SUCCESS || r < 0 || n < 1)
        return KH_E_INTERNAL;
    *rank = (unsigned)r;
    *size = (unsigned)n;
    return KH_OK;
}

void kh_mpi_finalize(void)
{
    int started = 0, ended = 0;
    MPI_Initialized(&started);
    MPI_Finalized(&ended);
    if (started && !ended)
        MPI_Finalize();
}

/* Waits for a request, sleeping between tests. A blocking collective in
 * Open MPI polls at full speed: a rank that finished its share would burn
 * a core for as long as the slowest rank or rank 0's merge takes, a core
 * the others need when ranks outnumber cores. */
static int wait_idle(MPI_Request *req)
{
    const struct timespec pause = { 0, 1000000 }; /* 1 ms */
    for (;;) {
        int done = 0;
        if (MPI_Test(req, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS)
            return KH_E_INTERNAL;
        if (done)
            return KH_OK;
        nanosleep(&pause, NULL);
    }
}

/* The worst status of every rank (0 = KH_OK), on every rank. */
static int agree(int rc)
{
    int worst = rc;
    MPI_Request req;
    if (MPI_Iallreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD, &req) != MPI_SUCCESS ||
        wait_idle(&req) != KH_OK)
        return KH_E_INTERNAL;
    return worst;
}

/* Rank 0 receives each rank's shard into bufs[r] (sized lens[r]), in rounds
 * of at most ROUND_BYTES in all. */
static kh_status gather_shards(kh_ctx *ctx, const kh_buf *mine, unsigned rank, unsigned size,
                               unsigned char **bufs, const uint64_t *lens)
{
    uint64_t my_len = mine->len, longest = my_len;
    if (MPI_Allreduce(&my_len, &longest, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        return kh_ctx_error(ctx, KH_E_INTERNAL, "dedup --mpi: MPI_Allreduce failed");
    uint64_t chunk = ROUND_BYTES / size;
    if (chunk == 0)
        chunk = 1;
    uint64_t rounds = (longest + chunk - 1) / chunk;
    int *counts = NULL, *displs = NULL;
    unsigned char *recv = NULL;
    kh_status rc = KH_OK;
    if (rank == 0) {
        counts = kh_malloc(ctx, size * sizeof *counts);
        displs = kh_malloc(ctx, size * sizeof *displs);
        recv = kh_malloc(ctx, (size_t)(chunk * size));
        if (!counts || !displs || !recv)
            rc = KH_E_NOMEM;
    }
    /* Every rank goes through every round, even with nothing left to send:
     * a collective call needs them all. */
    rc = (kh_status)agree(rc);
    for (uint64_t round = 0; rc == KH_OK && round < rounds; round++) {
        uint64_t from = round * chunk;
        int send = (int)(from < my_len ? KHI_MIN(chunk, my_len - from) : 0);
        if (rank == 0)
            for (unsigned r = 0; r < size; r++) {
                counts[r] = (int)(from < lens[r] ? KHI_MIN(chunk, lens[r] - from) : 0);
                displs[r] = (int)(r * chunk);
            }
        if (MPI_Gatherv(send ? mine->data + from : NULL, send, MPI_BYTE, recv, counts, displs,
                        MPI_BYTE, 0, MPI_COMM_WORLD) != MPI_SUCCESS) {
            rc = kh_ctx_error(ctx, KH_E_INTERNAL, "dedup --mpi: MPI_Gatherv failed");
            break;
        }
        if (rank == 0)
            for (unsigned r = 0; r < size; r++)
                if (counts[r])
                    memcpy(bufs[r] + from, recv + displs[r], (size_t)counts[r]);
    }
    if (rank == 0) {
        kh_free(ctx, counts, size * sizeof *counts);
        kh_free(ctx, displs, size * sizeof *displs);
        kh_free(ctx, recv, (size_t)(chunk * size));
    }
    if (rc == KH_E_NOMEM)
        rc = kh_ctx_error(ctx, KH_E_NOMEM, "dedup --mpi: out of memory for a round");
    return rc;
}

kh_status kh_pipeline_dedup_mpi(kh_pipeline *p, kh_deduper **out)
{
    *out = NULL;
    if (!p)
        return KH_E_ARG;
    kh_ctx *ctx = p->ctx;
    unsigned rank, size;
    if (kh_mpi_init(NULL, NULL, &rank, &size) != KH_OK)
        return kh_ctx_error(ctx, KH_E_INTERNAL, "dedup --mpi: MPI is not running");
    if (p->shard_count != size || p->shard_index != rank)
        return kh_ctx_error(ctx, KH_E_ARG, "dedup --mpi: the pipeline is not shard %u of %u",
                            rank, size);
    kh_buf mine;
    kh_buf_init(&mine, ctx, 0);
    kh_status rc = kh_pipeline_dedup_shard(p, NULL, &mine);
    kh_status all = (kh_status)agree(rc);
    if (all != KH_OK) {
        kh_buf_free(&mine);
        return rc != KH_OK ? rc
                           : kh_ctx_error(ctx, all, "dedup --mpi: another rank failed: %s",
                                          kh_strerror(all));
    }
    /* Every shard's length, on rank 0, to size its buffers. */
    uint64_t my_len = mine.len, *lens = NULL;
    unsigned char **bufs = NULL;
    if (rank == 0) {
        lens = kh_malloc(ctx, size * sizeof *lens);
        bufs = kh_malloc(ctx, size * sizeof *bufs);
        if (!lens || !bufs)
            rc = KH_E_NOMEM;
        else
            memset(bufs, 0, size * sizeof *bufs);
    }
    if (MPI_Gather(&my_len, 1, MPI_UINT64_T, lens, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        rc = KH_E_INTERNAL;
    for (unsigned r = 0; rank == 0 && rc == KH_OK && r < size; r++) {
        bufs[r] = kh_malloc(ctx, lens[r] ? (size_t)lens[r] : 1);
        if (!bufs[r])
            rc = KH_E_NOMEM;
    }
    rc = (kh_status)agree(rc);
    if (rc == KH_OK)
        rc = gather_shards(ctx, &mine, rank, size, bufs, lens);
    kh_buf_free(&mine); /* sent: a rank holds its shard only until here */
    if (rank == 0 && rc == KH_OK) {
        char (*names)[32] = kh_malloc(ctx, size * sizeof *names);
        const char **name_of = kh_malloc(ctx, size * sizeof *name_of);
        size_t *len_of = kh_malloc(ctx, size * sizeof *len_of);
        if (!names || !name_of || !len_of) {
            rc = kh_ctx_error(ctx, KH_E_NOMEM, "out of memory");
        } else {
            for (unsigned r = 0; r < size; r++) {
                snprintf(names[r], sizeof names[r], "rank %u's shard", r);
                name_of[r] = names[r];
                len_of[r] = (size_t)lens[r];
            }
            rc = khi_dedup_merge_add(ctx, name_of, (const void *const *)bufs, len_of, size,
                                     p->opt.dedup.threads, out);
        }
        kh_free(ctx, names, size * sizeof *names);
        kh_free(ctx, name_of, size * sizeof *name_of);
        kh_free(ctx, len_of, size * sizeof *len_of);
    }
    /* the records are in the deduper: the shards go before the grouping */
    for (unsigned r = 0; bufs && r < size; r++)
        kh_free(ctx, bufs[r], lens[r] ? (size_t)lens[r] : 1);
    kh_free(ctx, bufs, size * sizeof *bufs);
    kh_free(ctx, lens, size * sizeof *lens);
    if (rank == 0 && rc == KH_OK)
        rc = kh_dedup_run(*out);
    if (rc == KH_E_NOMEM)
        rc = kh_ctx_error(ctx, KH_E_NOMEM, "dedup --mpi: out of memory");
    /* rank 0's merge decides for everyone */
    int merged = rc;
    MPI_Request req;
    if (MPI_Ibcast(&merged, 1, MPI_INT, 0, MPI_COMM_WORLD, &req) != MPI_SUCCESS ||
        wait_idle(&req) != KH_OK)
        merged = KH_E_INTERNAL;
    if (rc == KH_OK && merged != KH_OK)
        rc = kh_ctx_error(ctx, (kh_status)merged, "dedup --mpi: rank 0 could not merge: %s",
                          kh_strerror((kh_status)merged));
    if (rc != KH_OK) {
        kh_dedup_free(*out);
        *out = NULL;
    }
    return rc;
}
