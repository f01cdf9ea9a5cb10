#!/bin/sh
# khabar dedup --shard I/N --out DIR, then --merge DIR: the output is
# byte-identical to one run over the whole input, for any N, on the sample
# corpus (pages, HTML, WARC, feeds) and on a generated syndication corpus
# (skipped when ../shared's corpus or the generator is absent); a
# truncated, foreign or incomplete set of shard files is refused with the
# file and byte named.
set -u
: "${KHABAR:=build/khabar}"
build=$(dirname "$KHABAR")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check NAME COND...
    name=$1; shift
    if "$@"; then :; else echo "FAIL: $name"; fail=1; fi
}

# same_as_one NAME N INPUT...: shards and merge give the single run's output,
# plain and with --groups.
same_as_one() {
    name=$1 n=$2; shift 2
    "$KHABAR" dedup "$@" > "$tmp/one" 2>/dev/null
    "$KHABAR" dedup --groups "$@" > "$tmp/one.g" 2>/dev/null
    rm -rf "$tmp/s"; mkdir "$tmp/s"
    i=0
    while [ "$i" -lt "$n" ]; do
        "$KHABAR" dedup --shard "$i/$n" --out "$tmp/s" "$@" 2>/dev/null ||
            { echo "FAIL: $name: shard $i/$n exits $?"; fail=1; }
        i=$((i + 1))
    done
    "$KHABAR" dedup --merge "$tmp/s" > "$tmp/merged" || { echo "FAIL: $name: merge"; fail=1; }
    "$KHABAR" dedup --groups --merge "$tmp/s" > "$tmp/merged.g"
    check "$name: N=$n same records" cmp -s "$tmp/one" "$tmp/merged"
    check "$name: N=$n same groups" cmp -s "$tmp/one.g" "$tmp/merged.g"
    check "$name: output not empty" [ -s "$tmp/one" ]
}

for n in 1 2 3 4; do
    same_as_one examples "$n" examples/corpus
done

gen="$build/bench/gen_syndication"
corpus=../shared/corpora/saudinewsnet/articles.jsonl.gz
if [ -x "$gen" ] && [ -f "$corpus" ]; then
    "$gen" -n 3000 -x "$tmp/gen.jsonl" "$tmp/gen.tsv" 2>/dev/null
    same_as_one generated 2 "$tmp/gen.jsonl"
    same_as_one generated 4 "$tmp/gen.jsonl"
    # the options a shard ran with hold in the merge
    same_as_one "generated --threshold 0.6" 3 --threshold 0.6 --min-words 20 "$tmp/gen.jsonl"
else
    echo "dedup_shard: no generator or ../shared corpus, generated corpus skipped"
fi

# Refusals: each names the file and the byte.
rm -rf "$tmp/s"; mkdir "$tmp/s"
"$KHABAR" dedup --shard 0/2 --out "$tmp/s" examples/corpus 2>/dev/null
"$KHABAR" dedup --merge "$tmp/s" > /dev/null 2> "$tmp/err"; rc=$?
check "a missing shard: exit 1" [ "$rc" -eq 1 ]
check "a missing shard: said" grep -q "1 shard files for a set of 2" "$tmp/err"
"$KHABAR" dedup --shard 1/2 --out "$tmp/s" examples/corpus 2>/dev/null
f="$tmp/s/shard-00001-of-00002.khshard"
check "shard file named" [ -f "$f" ]
size=$(wc -c < "$f")
head -c $((size - 100)) "$f" > "$tmp/cut" && mv "$tmp/cut" "$f"
"$KHABAR" dedup --merge "$tmp/s" > /dev/null 2> "$tmp/err"; rc=$?
check "truncated: exit 1" [ "$rc" -eq 1 ]
check "truncated: file and byte named" \
    grep -q "shard-00001-of-00002.khshard: byte [0-9]*: the shard file is truncated" "$tmp/err"
printf 'not a shard, but named as one\n' > "$f"
"$KHABAR" dedup --merge "$tmp/s" > /dev/null 2> "$tmp/err"; rc=$?
check "foreign: exit 1" [ "$rc" -eq 1 ]
check "foreign: said" grep -q "shard-00001-of-00002.khshard: byte 0: not a khabar shard file" "$tmp/err"
rm -rf "$tmp/s"; mkdir "$tmp/s"
"$KHABAR" dedup --shard 0/2 --out "$tmp/s" examples/corpus 2>/dev/null
"$KHABAR" dedup --shard 1/2 --threshold 0.5 --out "$tmp/s" examples/corpus 2>/dev/null
"$KHABAR" dedup --merge "$tmp/s" > /dev/null 2> "$tmp/err"; rc=$?
check "options differ: exit 1" [ "$rc" -eq 1 ]
check "options differ: said" grep -q "options or documents differ" "$tmp/err"
"$KHABAR" dedup --merge "$tmp/nowhere" > /dev/null 2> "$tmp/err"; rc=$?
check "no directory: exit 1" [ "$rc" -eq 1 ]

# Usage errors.
"$KHABAR" dedup --shard 2/2 --out "$tmp" examples/corpus > /dev/null 2>&1; rc=$?
check "--shard 2/2: usage error" [ "$rc" -eq 2 ]
"$KHABAR" dedup --shard 0/2 examples/corpus > /dev/null 2>&1; rc=$?
check "--shard without --out: usage error" [ "$rc" -eq 2 ]
"$KHABAR" dedup --merge "$tmp" --threshold 0.5 > /dev/null 2>&1; rc=$?
check "--merge with --threshold: usage error" [ "$rc" -eq 2 ]
"$KHABAR" dedup --merge "$tmp" examples/corpus > /dev/null 2>&1; rc=$?
check "--merge with an input: usage error" [ "$rc" -eq 2 ]
exit $fail
