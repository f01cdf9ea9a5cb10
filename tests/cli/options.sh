#!/bin/sh
# --name=value and --name value mean the same for every command's options;
# a flag given a value is a usage error (exit 2), not a path; with no PATH a
# piped standard input is read.
set -u
KHABAR=${KHABAR:-build/khabar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ex=examples/corpus

# same "ARGS with =" "ARGS with a space": identical stdout and exit status.
same() {
    eval "\"\$KHABAR\" $1" >"$tmp/a" 2>/dev/null; ra=$?
    eval "\"\$KHABAR\" $2" >"$tmp/b" 2>/dev/null; rb=$?
    [ "$ra" = "$rb" ] || fail "$1: exit $ra, with a space $rb"
    cmp -s "$tmp/a" "$tmp/b" || fail "$1: output differs from '$2'"
    [ -s "$tmp/a" ] || fail "$1: no output"
}
same "stories --format=md --window=48h $ex" "stories --format md --window 48h $ex"
same "stories --threshold=0.3 $ex" "stories --threshold 0.3 $ex"
same "dedup --threshold=0.7 --shingle=3 --groups $ex" "dedup --threshold 0.7 --shingle 3 --groups $ex"
same "clean --format=md --keep-mb=1 $ex/pages" "clean --format md --keep-mb 1 $ex/pages"
same "account --format=md $ex/pages/annahar" "account --format md $ex/pages/annahar"
"$KHABAR" ingest --db="$tmp/a.db" --batch=7 "$ex/feeds" >/dev/null 2>&1 || fail "ingest --db=FILE --batch=N"
[ -s "$tmp/a.db" ] || fail "ingest --db=FILE made no store"
same "stories --db=$tmp/a.db" "stories --db $tmp/a.db"
# A value may itself hold '=' (only the first one splits).
printf '{"id":"a=b","text":"نص قصير عن الطقس في جدة اليوم."}\n' > "$tmp/eq.jsonl"
same "read -- $tmp/eq.jsonl" "read $tmp/eq.jsonl"

# Flags take no value.
for c in "stories --strict=1 $ex" "dedup --groups=yes $ex" "clean --strict=0 $ex"; do
    "$KHABAR" $c >/dev/null 2>"$tmp/err"; rc=$?
    [ "$rc" = 2 ] || fail "$c: exit $rc, want 2"
    grep -q "takes no value" "$tmp/err" || fail "$c: $(cat "$tmp/err")"
done
# After --, a word with '=' is a path, not an option.
"$KHABAR" read -- "--x=1" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 1 ] || fail "read -- --x=1: exit $rc, want 1 (no such file)"

# No PATH and a piped standard input: the input is read from it, as from "-".
f=$ex/feeds/meridian-wire.jsonl
for c in read clean dedup stories account; do
    "$KHABAR" $c < "$f" >"$tmp/piped" 2>/dev/null; rp=$?
    "$KHABAR" $c "$f" >"$tmp/named" 2>/dev/null; rn=$?
    [ "$rp" = "$rn" ] || fail "$c < FILE: exit $rp, with the PATH $rn"
    [ -s "$tmp/piped" ] || fail "$c < FILE: no output"
done
# At a terminal, with no PATH, each asks for one (exit 2).
for c in read clean dedup stories account; do
    tests/lib/at-terminal "$KHABAR" $c >/dev/null 2>&1; rc=$?
    [ "$rc" = 77 ] || [ "$rc" = 2 ] || fail "$c at a terminal with no PATH: exit $rc, want 2"
done
tests/lib/at-terminal "$KHABAR" ingest --db "$tmp/t.db" >/dev/null 2>&1; rc=$?
[ "$rc" = 77 ] || [ "$rc" = 2 ] || fail "ingest at a terminal with no PATH: exit $rc, want 2"
"$KHABAR" ingest --db "$tmp/p.db" < "$f" >"$tmp/piped" 2>&1 || fail "ingest < FILE: $(cat "$tmp/piped")"
grep -q '"added":[1-9]' "$tmp/piped" || fail "ingest < FILE added nothing: $(cat "$tmp/piped")"

[ "$fails" -eq 0 ] && echo "options.sh: all checks held"
[ "$fails" -eq 0 ]
