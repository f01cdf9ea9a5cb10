#!/bin/sh
# mpirun -np 2 and -np 4 khabar dedup --mpi: the output is byte-identical to
# one khabar dedup run, plain and with --groups, on the sample corpus and on
# a generated syndication corpus. Skipped (exit 0) when this khabar was
# built without MPI (make MPI=1) or mpirun is missing.
set -u
: "${KHABAR:=build/khabar}"
build=$(dirname "$KHABAR")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v mpirun >/dev/null 2>&1; then
    echo "dedup_mpi: no mpirun, skipped"
    exit 0
fi
if ! "$KHABAR" dedup --mpi examples/corpus/feeds > /dev/null 2> "$tmp/err"; then
    if grep -q "built without MPI" "$tmp/err"; then
        echo "dedup_mpi: $KHABAR was built without MPI (make MPI=1), skipped"
        exit 0
    fi
    echo "FAIL: a one-process --mpi run: $(cat "$tmp/err")"
    exit 1
fi
# Two to four ranks on a machine of fewer cores; as root, mpirun wants to
# be told.
set -- --oversubscribe
[ "$(id -u)" = 0 ] && set -- "$@" --allow-run-as-root
mpi_opts="$*"
export OMPI_MCA_btl_vader_single_copy_mechanism=none # no ptrace in containers
fail=0
check() { # check NAME COND...
    name=$1; shift
    if "$@"; then :; else echo "FAIL: $name"; fail=1; fi
}

# same_as_one NAME NP INPUT...
same_as_one() {
    name=$1 np=$2; shift 2
    "$KHABAR" dedup "$@" > "$tmp/one" 2>/dev/null
    "$KHABAR" dedup --groups "$@" > "$tmp/one.g" 2>/dev/null
    # shellcheck disable=SC2086
    mpirun $mpi_opts -np "$np" "$KHABAR" dedup --mpi "$@" > "$tmp/mpi" 2> "$tmp/err" ||
        { echo "FAIL: $name: -np $np exits $?: $(tail -5 "$tmp/err")"; fail=1; }
    # shellcheck disable=SC2086
    mpirun $mpi_opts -np "$np" "$KHABAR" dedup --mpi --groups "$@" > "$tmp/mpi.g" 2>/dev/null
    check "$name: -np $np same records" cmp -s "$tmp/one" "$tmp/mpi"
    check "$name: -np $np same groups" cmp -s "$tmp/one.g" "$tmp/mpi.g"
    check "$name: output not empty" [ -s "$tmp/one" ]
}

for np in 2 4; do
    same_as_one examples "$np" examples/corpus
done
gen="$build/bench/gen_syndication"
corpus=../shared/corpora/saudinewsnet/articles.jsonl.gz
if [ -x "$gen" ] && [ -f "$corpus" ]; then
    "$gen" -n 3000 -x "$tmp/gen.jsonl" "$tmp/gen.tsv" 2>/dev/null
    for np in 2 4; do
        same_as_one generated "$np" "$tmp/gen.jsonl"
    done
else
    echo "dedup_mpi: no generator or ../shared corpus, generated corpus skipped"
fi
[ "$fail" -eq 0 ] && echo "dedup_mpi: -np 2 and -np 4 as one process"
exit $fail
