#!/bin/sh
# Copies past one process, measured: one `khabar dedup` process, N shards
# and their merge, and `mpirun -np R khabar dedup --mpi`, on one generated
# syndication corpus; wall time, CPU and peak resident memory of each
# process, bytes of shard a document (what --mpi sends to rank 0), and
# whether each output is byte-identical to the single process's.
#
#   bench/bench_dedup_mpi.sh [DOCS [RANKS...]]     (default 100000, 1 2 4)
#
# Needs the MPI build for the --mpi rows (make MPI=1: build-mpi/khabar) and
# ../shared's corpus for the generator. Every process runs one thread
# (--threads 1), so that R ranks are R cores' worth of work. Prints the bench
# rows (row<TAB>area<TAB>metric<TAB>value<TAB>unit<TAB>note) on stdout.
# BENCH_PARTS="shards mpi" (default) leaves out what it does not name; the
# single process always runs, as the output the others are compared with.
set -eu
parts=${BENCH_PARTS:-shards mpi}
docs=${1:-100000}
[ $# -gt 0 ] && shift
ranks=${*:-1 2 4}
build=${BUILD:-build}
mpibuild=${MPI_BUILD:-build-mpi}
work=${BENCH_TMP:-$(mktemp -d)}
mkdir -p "$work"
corpus="$work/gen$docs.jsonl"
[ -s "$corpus" ] || "$build/bench/gen_syndication" -n "$docs" -x "$corpus" "$work/gen$docs.tsv" >&2
bytes=$(wc -c < "$corpus")

# timed FILE CMD...: runs CMD with /usr/bin/time's "wall user sys maxrss_kb" in FILE
timed() {
    f=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$f" "$@"
}
row() { printf 'row\tdedup_mpi\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4"; }
same() { if cmp -s "$work/one.out" "$1"; then echo identical; else echo DIFFERENT; fi; }

echo "corpus: $docs documents, $bytes bytes ($corpus)" >&2
timed "$work/one.t" "$build/khabar" dedup --threads 1 --groups "$corpus" > "$work/one.out"
read -r wall user sys rss < "$work/one.t"
row "one process wall" "$wall" s "$docs docs, 1 thread; cpu $user+$sys s; peak RSS $rss KB"

# Shards one after the other, then the merge (a job array's view: the
# wall of a shard is what N machines would each take).
case " $parts " in *" shards "*) shard_ranks=$ranks ;; *) shard_ranks= ;; esac
for n in $shard_ranks; do
    rm -rf "$work/shards"; mkdir "$work/shards"
    i=0 worst=0 cpu=0 rssmax=0
    while [ "$i" -lt "$n" ]; do
        timed "$work/shard.t" "$build/khabar" dedup --threads 1 --shard "$i/$n" --out "$work/shards" "$corpus"
        read -r wall user sys rss < "$work/shard.t"
        worst=$(echo "$wall $worst" | awk '{print ($1 > $2) ? $1 : $2}')
        rssmax=$(echo "$rss $rssmax" | awk '{print ($1 > $2) ? $1 : $2}')
        cpu=$(echo "$cpu $user $sys" | awk '{print $1 + $2 + $3}')
        i=$((i + 1))
    done
    timed "$work/merge.t" "$build/khabar" dedup --threads 1 --groups --merge "$work/shards" > "$work/merge.out"
    read -r mwall muser msys mrss < "$work/merge.t"
    sb=$(cat "$work"/shards/*.khshard | wc -c)
    row "shards $n: slowest shard wall" "$worst" s "cpu of all shards $cpu s; peak RSS of a shard $rssmax KB"
    row "shards $n: merge wall" "$mwall" s "cpu $muser+$msys s; peak RSS $mrss KB; $(same "$work/merge.out")"
    row "shards $n: shard bytes a document" "$(echo "$sb $docs" | awk '{printf "%.0f", $1 / $2}')" B "$sb bytes in all"
done

case " $parts " in *" mpi "*) want_mpi=1 ;; *) want_mpi=0 ;; esac
if [ "$want_mpi" = 0 ]; then
    :
elif [ -x "$mpibuild/khabar" ] && command -v mpirun >/dev/null 2>&1; then
    set -- --oversubscribe
    [ "$(id -u)" = 0 ] && set -- "$@" --allow-run-as-root
    export OMPI_MCA_btl_vader_single_copy_mechanism=none
    for np in $ranks; do
        rm -f "$work"/rank.t.*
        start=$(date +%s.%N)
        mpirun "$@" -np "$np" sh -c '/usr/bin/time -f "%e %U %S %M" -o "$0.$OMPI_COMM_WORLD_RANK" "$1" dedup --mpi --threads 1 --groups "$2"' \
            "$work/rank.t" "$mpibuild/khabar" "$corpus" > "$work/mpi.out"
        end=$(date +%s.%N)
        wall=$(echo "$start $end" | awk '{printf "%.2f", $2 - $1}')
        per=""
        r=0
        while [ "$r" -lt "$np" ]; do
            read -r w u s m < "$work/rank.t.$r"
            per="$per rank $r: cpu $(echo "$u $s" | awk '{print $1 + $2}') s, RSS $m KB;"
            r=$((r + 1))
        done
        row "mpirun -np $np wall" "$wall" s "$(same "$work/mpi.out");$per"
    done
else
    echo "bench_dedup_mpi: no $mpibuild/khabar or mpirun: the --mpi rows skipped (make MPI=1)" >&2
fi
[ -n "${BENCH_TMP:-}" ] || rm -rf "$work"
