#!/bin/sh
# khabar read: documents out as JSON lines, bad records reported on stderr
# with file:line and skipped, --strict, usage errors, a real 100 MB line.
#   KHABAR=build/khabar sh tests/cli/read.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
tmp=$(mktemp -d /tmp/khabar-cli-read-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    d=$1; shift
    if "$@"; then :; else echo "FAIL: $d"; fail=1; fi
}

# The seeds: five crawled pages; gold.json is one JSON document, not JSON Lines.
"$KHABAR" read ../shared/seeds >"$tmp/out" 2>"$tmp/err"
rc=$?
check "seeds exit 0" [ "$rc" -eq 0 ]
check "seeds: 5 documents" [ "$(wc -l <"$tmp/out")" -eq 5 ]
check "seeds: pages in Arabic" [ "$(grep -c '"kind":"page","lang":"ar"' "$tmp/out")" -eq 5 ]
check "seeds: gold.json reported" grep -q 'gold.json:1: a JSON document over many lines' "$tmp/err"
check "seeds: summary" grep -q 'khabar: read 5 documents from 6 files; skipped 1 records with errors' "$tmp/err"

# A 100 MB line between two good ones.
{
    printf '{"id":"before","text":"first"}\n{"id":"big","text":"'
    head -c 100000000 /dev/zero | tr '\0' 'a'
    printf '"}\n{"id":"after","url":"https://example.com/x","title":"T","text":"last"}\n'
} >"$tmp/big.jsonl"
"$KHABAR" read "$tmp/big.jsonl" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "100 MB line: exit 0" [ "$rc" -eq 0 ]
check "100 MB line: error names file:line" grep -q "^khabar: $tmp/big.jsonl:2: line longer than 16777216 bytes\$" "$tmp/err"
check "100 MB line: line 1 read" grep -q '"id":"before"' "$tmp/out"
check "100 MB line: line 3 read" grep -q '^{"id":"after","file":"[^"]*","format":"jsonl","kind":"text","lang":"und","chars":4,"lines":1,"url":"https://example.com/x","title":"T"}$' "$tmp/out"
check "100 MB line: 2 documents" [ "$(wc -l <"$tmp/out")" -eq 2 ]

# --strict stops at the first error with exit 1.
"$KHABAR" read --strict "$tmp/big.jsonl" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--strict: exit 1" [ "$rc" -eq 1 ]
check "--strict: only line 1" [ "$(wc -l <"$tmp/out")" -eq 1 ]
check "--strict: the error" grep -q 'big.jsonl:2: line longer than' "$tmp/err"
"$KHABAR" read "$tmp/big.jsonl" --strict >"$tmp/out" 2>"$tmp/err"
check "--strict after the path: exit 1" [ $? -eq 1 ]
rm -f "$tmp/big.jsonl"

# An empty file: nothing read at all, exit 1.
: >"$tmp/empty.txt"
"$KHABAR" read "$tmp/empty.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "empty: exit 1" [ "$rc" -eq 1 ]
check "empty: message" grep -q "^khabar: $tmp/empty.txt: empty file\$" "$tmp/err"
check "empty: no output" [ ! -s "$tmp/out" ]

# A truncated JSON line after a good one; standard input.
printf '{"id":"a","text":"نص"}\n{"id":"b","text":"cut' >"$tmp/cut.jsonl"
"$KHABAR" read - <"$tmp/cut.jsonl" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "truncated: exit 0" [ "$rc" -eq 0 ]
check "truncated: message" grep -q '^khabar: -:2: truncated JSON at column 21$' "$tmp/err"
check "truncated: good line read" grep -q '"id":"a","file":"-","format":"jsonl"' "$tmp/out"

# A missing file among good ones.
"$KHABAR" read "$tmp/nope.txt" "$tmp/cut.jsonl" >"$tmp/out" 2>"$tmp/err"
check "missing: reported" grep -q "nope.txt: cannot open: No such file or directory" "$tmp/err"
check "missing: next file read" grep -q '"id":"a"' "$tmp/out"

# Empty folders, inside a corpus and given alone, hold nothing: the
# documents around them are read (and cleaned) in name order, with nothing
# on stderr. Under the sanitizers this is where an empty listing was sorted.
mkdir -p "$tmp/corpus/a-empty" "$tmp/corpus/b/c-empty" "$tmp/alone"
printf '{"id":"one","title":"خبر أول","text":"أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة أبها."}\n' \
    >"$tmp/corpus/b/one.jsonl"
printf '{"id":"two","text":"شهدت أسواق الأسهم الخليجية تراجعا ملحوظا في ختام تعاملات الأسبوع."}\n' \
    >"$tmp/corpus/z.jsonl"
"$KHABAR" read "$tmp/corpus" "$tmp/alone" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "empty folders: exit 0" [ "$rc" -eq 0 ]
check "empty folders: both documents, in name order" \
    [ "$(sed 's/^{"id":"\([a-z]*\)".*/\1/' "$tmp/out" | tr '\n' ' ')" = "one two " ]
check "empty folders: quiet" [ ! -s "$tmp/err" ]
"$KHABAR" clean "$tmp/corpus" "$tmp/alone" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "empty folders, clean: exit 0" [ "$rc" -eq 0 ]
check "empty folders, clean: both articles" \
    [ "$(sed 's/^{"id":"\([a-z]*\)".*/\1/' "$tmp/out" | tr '\n' ' ')" = "one two " ]
check "empty folders, clean: bodies kept" grep -q '"body":\["أعلنت وزارة الصحة' "$tmp/out"
check "empty folders, clean: quiet" [ ! -s "$tmp/err" ]
"$KHABAR" read "$tmp/alone" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "an empty folder alone: exit 0" [ "$rc" -eq 0 ]
check "an empty folder alone: nothing out" [ ! -s "$tmp/out" ]

# Usage errors exit 2 with a usage line.
"$KHABAR" read --bogus x >"$tmp/out" 2>"$tmp/err"
rc=$?
check "unknown option: exit 2" [ "$rc" -eq 2 ]
check "unknown option: usage" grep -q '^usage: khabar read \[--strict\] PATH' "$tmp/err"
tests/lib/at-terminal "$KHABAR" read >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" = 77 ] || check "no path at a terminal: exit 2" [ "$rc" -eq 2 ]
"$KHABAR" help read >"$tmp/out" 2>&1
check "help mentions dot-files" grep -q 'dot-files' "$tmp/out"

# HTML with a stray byte and a NUL: read, one warning for the page, one count.
printf '<html><body><p>Le caf\351 ouvre \340 neuf heures, a\000b.</p></body></html>\n' >"$tmp/stray.html"
"$KHABAR" read "$tmp/stray.html" >"$tmp/out" 2>"$tmp/err"
check "stray bytes: exit 0" [ "$?" -eq 0 ]
check "stray bytes: one document" [ "$(wc -l <"$tmp/out")" -eq 1 ]
check "stray bytes: warning with file and byte" \
    grep -q "^khabar: warning: $tmp/stray.html: 3 invalid bytes replaced by U+FFFD, the first at byte 21\$" "$tmp/err"
check "stray bytes: counted" grep -q '^khabar: warning: 1 documents read with invalid bytes replaced$' "$tmp/err"

exit $fail
