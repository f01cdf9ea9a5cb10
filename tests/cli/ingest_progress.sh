#!/bin/sh
# khabar ingest shows its progress on stderr when that is a terminal: one
# line per phase (articles read, then articles filed with a share and an
# ETA), and nothing when stderr is a file.
# Reads 1500 SaudiNewsNet articles from ../shared (skipped when absent).
set -u
KHABAR=${KHABAR:-build/khabar}
corpus=../shared/corpora/saudinewsnet/articles.jsonl.gz
[ -f "$corpus" ] || { echo "ingest_progress.sh: $corpus missing, skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
gzip -dc "$corpus" | head -n 1500 > "$tmp/in.jsonl"

tests/lib/at-terminal "$KHABAR" ingest --db "$tmp/t.db" "$tmp/in.jsonl" > "$tmp/tty.out" 2>&1
rc=$?
if [ "$rc" = 77 ]; then
    echo "ingest_progress.sh: script(1) missing, terminal case skipped"
else
    [ "$rc" = 0 ] || fail "ingest at a terminal: exit $rc"
    tr '\r' '\n' < "$tmp/tty.out" > "$tmp/tty.lines"
    grep -q '^.*[0-9][0-9]* articles read, [0-9]*/s' "$tmp/tty.lines" || fail "no reading progress"
    grep -q '1500 articles filed, [0-9]*/s, 100%, ETA 0s' "$tmp/tty.lines" ||
        fail "no filing progress ending at 100%: $(tail -c 300 "$tmp/tty.lines")"
fi

"$KHABAR" ingest --db "$tmp/f.db" "$tmp/in.jsonl" > "$tmp/out" 2> "$tmp/err" || fail "ingest: exit $?"
[ -s "$tmp/err" ] && fail "progress written to a file: $(head -c 200 "$tmp/err")"

[ "$fails" -eq 0 ] && echo "ingest_progress.sh: all checks held"
[ "$fails" -eq 0 ]
