#!/bin/sh
# Every summary adds up. khabar ingest: read = added + updated + unchanged +
# skipped + no_body +
# errors + failed, with added only what a committed transaction stored: with
# bad records mixed in, when a commit fails half-way (the file may not grow
# past a size limit), and for two ingests of one input into one store at
# once (together they add and file every article exactly once). khabar read,
# clean, dedup and stories: read = documents (articles) + skipped with errors.
#   KHABAR=build/khabar sh tests/cli/counts.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
command -v python3 >/dev/null || { echo "counts.sh: python3 missing, skipped"; exit 0; }
tmp=$(mktemp -d /tmp/khabar-cli-counts-XXXXXX)
pids=
cleanup() {
    for p in $pids; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    d=$1; shift
    if "$@"; then :; else echo "FAIL: $d"; fail=1; fi
}

# field FILE NAME: one number from an ingest summary.
field() {
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}
# adds_up FILE: the ingest summary's categories sum to its read count.
adds_up() {
    python3 - "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
parts = ("added", "updated", "unchanged", "skipped", "no_body", "errors", "failed")
if s["read"] != sum(s[p] for p in parts):
    print("%s: read %d != %s" % (sys.argv[1], s["read"], " + ".join("%s %d" % (p, s[p]) for p in parts)))
    sys.exit(1)
PY
}
# count DB SQL: one number from a store.
count() {
    python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=30); print(c.execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}
# gen N FILE: N articles of generated Arabic news text, the same every time.
gen() {
    python3 - "$1" "$2" <<'PY'
import json, random, sys
words = ("أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة أبها بسعة سرير ضمن خطة "
         "الوزارة لتوسيع الخدمات الصحية المناطق الجنوبية المملكة وقال المتحدث الرسمي إن يضم "
         "أقساما متخصصة أمراض القلب والأورام وطب الأطفال إضافة إلى مركز للطوارئ يعمل مدار "
         "الساعة شهدت أسواق الأسهم الخليجية تراجعا ملحوظا ختام تعاملات الأسبوع متأثرة بانخفاض "
         "أسعار النفط العالمية وهبط المؤشر العام للسوق بنسبة البنوك والبتروكيماويات الرياض "
         "جدة الدمام مكة المدينة الطائف تبوك حائل نجران جازان القصيم الأحساء الخبر").split()
rng = random.Random(7)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i in range(int(sys.argv[1])):
        paras = ["، ".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(3)) + "."
                 for _ in range(4)]
        f.write(json.dumps({"id": "gen-%05d" % i, "date": "2015-07-%02d" % (1 + i % 3),
                            "title": " ".join(rng.choice(words) for _ in range(6)),
                            "text": "\n\n".join(paras)}, ensure_ascii=False) + "\n")
PY
}

# ---- bad records mixed in ---------------------------------------------------
# Two articles, a line of invalid UTF-8, truncated JSON, an empty text, a text
# of spaces (no body), and an empty file: 7 records, 2 articles to store.
mkdir "$tmp/mixed"
{
    printf '{"id":"g1","date":"2015-07-01","text":"أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة أبها بسعة 300 سرير."}\n'
    printf '{"id":"bad-utf8","text":"\377\376"}\n'
    printf '{"id":"g2","date":"2015-07-02","text":"شهدت أسواق الأسهم الخليجية تراجعا ملحوظا في ختام تعاملات الأسبوع."}\n'
    printf '{"id":"cut","text":"نص\n'
    printf '{"id":"empty-text","text":""}\n'
    printf '{"id":"spaces","text":"   "}\n'
} >"$tmp/mixed/a.jsonl"
: >"$tmp/mixed/empty.jsonl"

"$KHABAR" ingest --db "$tmp/mixed.db" "$tmp/mixed" >"$tmp/ingest.json" 2>"$tmp/err"
check "mixed ingest: exit 0" [ $? -eq 0 ]
check "mixed ingest: adds up" adds_up "$tmp/ingest.json"
check "mixed ingest: 7 read" [ "$(field "$tmp/ingest.json" read)" = 7 ]
check "mixed ingest: 2 added" [ "$(field "$tmp/ingest.json" added)" = 2 ]
check "mixed ingest: 4 errors" [ "$(field "$tmp/ingest.json" errors)" = 4 ]
check "mixed ingest: 1 without a body" [ "$(field "$tmp/ingest.json" no_body)" = 1 ]
check "mixed ingest: one line per error" [ "$(grep -c '^khabar: ' "$tmp/err")" = 4 ]
"$KHABAR" ingest --db "$tmp/mixed.db" "$tmp/mixed" >"$tmp/again.json" 2>/dev/null
check "mixed ingest again: adds up" adds_up "$tmp/again.json"
check "mixed ingest again: 2 unchanged" [ "$(field "$tmp/again.json" unchanged)" = 2 ]
check "mixed ingest again: none added" [ "$(field "$tmp/again.json" added)" = 0 ]

"$KHABAR" read "$tmp/mixed" >/dev/null 2>"$tmp/err"
check "read: 7 = 3 + 4" grep -q '^khabar: read 3 documents from 2 files; skipped 4 records with errors$' "$tmp/err"
# clean keeps an empty text, of spaces or of a file, as a page with no body
"$KHABAR" clean "$tmp/mixed" >/dev/null 2>"$tmp/err"
check "clean: 7 = 5 + 2" grep -q '^khabar: cleaned 5 documents; skipped 2 records with errors$' "$tmp/err"

"$KHABAR" dedup "$tmp/mixed" >"$tmp/out" 2>"$tmp/err"
check "dedup: exit 0" [ $? -eq 0 ]
check "dedup: one record per document" [ "$(wc -l <"$tmp/out")" -eq 3 ]
check "dedup: summary though piped, as records were skipped" \
    grep -q '^khabar dedup: 7 read, 4 skipped with errors, 3 documents, ' "$tmp/err"
"$KHABAR" dedup "$tmp/mixed/a.jsonl" >/dev/null 2>"$tmp/err"
check "dedup, one file: 6 read = 3 + 3" \
    grep -q '^khabar dedup: 6 read, 3 skipped with errors, 3 documents, ' "$tmp/err"

"$KHABAR" stories "$tmp/mixed" >"$tmp/out" 2>"$tmp/err"
check "stories: exit 0" [ $? -eq 0 ]
check "stories: summary though piped, as records were skipped" \
    grep -q '^khabar stories: 7 read, 4 skipped with errors, 3 articles, 3 stories$' "$tmp/err"
check "stories: the same stories on stdout" [ "$(wc -l <"$tmp/out")" -eq 3 ]
head -n 1 "$tmp/mixed/a.jsonl" >"$tmp/clean.jsonl"
"$KHABAR" stories "$tmp/clean.jsonl" >/dev/null 2>"$tmp/err"
check "stories: quiet on a clean run" [ ! -s "$tmp/err" ]
"$KHABAR" stories --stats "$tmp/clean.jsonl" >/dev/null 2>"$tmp/err"
check "stories --stats" grep -q '^khabar stories: 1 read, 0 skipped with errors, 1 articles, 1 stories$' "$tmp/err"

# ---- a commit that fails ----------------------------------------------------
# The file may not grow past 600 kB (a size limit, its signal ignored): one
# of the later batches cannot be written, and the run stops there. Only the
# committed batches count as added; the batch that failed counts as failed.
gen 400 "$tmp/gen.jsonl"
python3 -c '
import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (600000, 600000))
os.execvp(sys.argv[1], sys.argv[1:])' \
    "$KHABAR" ingest --db "$tmp/full.db" --batch 100 "$tmp/gen.jsonl" >"$tmp/full.json" 2>"$tmp/err"
check "commit fails: exit 1" [ $? -eq 1 ]
check "commit fails: says so" grep -q "full.db" "$tmp/err"
check "commit fails: adds up" adds_up "$tmp/full.json"
added=$(field "$tmp/full.json" added)
check "commit fails: some failed" [ "$(field "$tmp/full.json" failed)" -gt 0 ]
check "commit fails: added is what the store holds ($added)" \
    [ "$(count "$tmp/full.db" 'SELECT count(*) FROM articles')" = "$added" ]
check "commit fails: whole batches" [ $((added % 100)) = 0 ]
check "commit fails: the file is sound" [ "$(count "$tmp/full.db" 'PRAGMA integrity_check')" = ok ]
"$KHABAR" ingest --db "$tmp/full.db" --batch 100 "$tmp/gen.jsonl" >"$tmp/rest.json" 2>"$tmp/err"
check "after the failure: exit 0" [ $? -eq 0 ]
check "after the failure: adds up" adds_up "$tmp/rest.json"
check "after the failure: the rest added" [ "$(field "$tmp/rest.json" added)" = $((400 - added)) ]
check "after the failure: the stored unchanged" [ "$(field "$tmp/rest.json" unchanged)" = "$added" ]
check "after the failure: every article filed" [ "$(field "$tmp/rest.json" filed)" = 400 ]
check "after the failure: 400 stored" [ "$(count "$tmp/full.db" 'SELECT count(*) FROM articles')" = 400 ]

# ---- two ingests at once ------------------------------------------------------
# The same 300 articles, from two processes into one store, in small batches
# so that they take turns. Each summary adds up; between them every article
# is added once and filed once.
head -n 300 "$tmp/gen.jsonl" >"$tmp/300.jsonl"
"$KHABAR" ingest --db "$tmp/two.db" --batch 20 "$tmp/300.jsonl" >"$tmp/a.json" 2>"$tmp/a.err" &
pa=$!
"$KHABAR" ingest --db "$tmp/two.db" --batch 20 "$tmp/300.jsonl" >"$tmp/b.json" 2>"$tmp/b.err" &
pb=$!
pids="$pa $pb"
wait "$pa"
ra=$?
wait "$pb"
rb=$?
pids=
check "two at once: first exit 0 ($(cat "$tmp/a.err"))" [ "$ra" -eq 0 ]
check "two at once: second exit 0 ($(cat "$tmp/b.err"))" [ "$rb" -eq 0 ]
check "two at once: first adds up" adds_up "$tmp/a.json"
check "two at once: second adds up" adds_up "$tmp/b.json"
a_added=$(field "$tmp/a.json" added)
b_added=$(field "$tmp/b.json" added)
a_filed=$(field "$tmp/a.json" filed)
b_filed=$(field "$tmp/b.json" filed)
echo "two at once: added $a_added + $b_added, filed $a_filed + $b_filed"
stored=$(count "$tmp/two.db" 'SELECT count(*) FROM articles')
check "two at once: added between them = stored ($stored)" [ $((a_added + b_added)) = "$stored" ]
check "two at once: all 300 stored" [ "$stored" = 300 ]
check "two at once: filed between them = 300" [ $((a_filed + b_filed)) = 300 ]
check "two at once: none unfiled" \
    [ "$(count "$tmp/two.db" 'SELECT count(*) FROM articles WHERE story_id IS NULL')" = 0 ]
check "two at once: no empty story" \
    [ "$(count "$tmp/two.db" 'SELECT count(*) FROM stories WHERE id NOT IN (SELECT story_id FROM articles)')" = 0 ]
check "two at once: the file is sound" [ "$(count "$tmp/two.db" 'PRAGMA integrity_check')" = ok ]

[ "$fail" = 0 ] && echo "counts.sh: all checks held"
exit $fail
