#!/bin/sh
# Articles keep their identity. Same-name pages in two folders are two
# articles; a site crawled twice by wget (two WARC files, fresh record ids,
# one page changed) gives each URL once, with its URL, and the changed page
# updated, not copied; an id read twice in one run is a counted warning.
#   KHABAR=build/khabar sh tests/cli/ingest_ident.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
command -v python3 >/dev/null || { echo "ingest_ident.sh: python3 missing, skipped"; exit 0; }
command -v sqlite3 >/dev/null || { echo "ingest_ident.sh: sqlite3 missing, skipped"; exit 0; }
tmp=$(mktemp -d /tmp/khabar-cli-ident-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    d=$1; shift
    if "$@"; then :; else echo "FAIL: $d"; fail=1; fi
}
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
q() { sqlite3 "$1" "$2"; }
adds_up() {
    python3 - "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
parts = ("added", "updated", "unchanged", "skipped", "no_body", "errors", "failed")
sys.exit(0 if s["read"] == sum(s[p] for p in parts) else 1)
PY
}

# A wget -m mirror: two pages both called index.html.
mkdir -p "$tmp/site/a" "$tmp/site/b"
printf '%s\n' '<html><head><title>مستشفى جديد في أبها</title></head><body><article>' \
    '<p>أعلنت وزارة الصحة اليوم افتتاح مستشفى جديد للأطفال في مدينة أبها بسعة ثلاثمئة سرير بعد أربع سنوات من العمل.</p>' \
    '<p>وقال وزير الصحة إن المستشفى سيخدم أكثر من مليوني نسمة في منطقة عسير والمناطق المجاورة لها.</p>' \
    '</article></body></html>' > "$tmp/site/a/index.html"
printf '%s\n' '<html><head><title>تراجع الأسهم الخليجية</title></head><body><article>' \
    '<p>شهدت أسواق الأسهم الخليجية تراجعا ملحوظا في ختام تعاملات الأسبوع متأثرة بانخفاض أسعار النفط.</p>' \
    '<p>وأوضح محللون أن المستثمرين يترقبون قرارات البنك المركزي بشأن أسعار الفائدة خلال الاجتماع المقبل.</p>' \
    '</article></body></html>' > "$tmp/site/b/index.html"
"$KHABAR" read "$tmp/site" > "$tmp/read.out" 2> "$tmp/read.err"
check "same name: read exits 0" [ $? -eq 0 ]
check "same name: two documents" [ "$(wc -l < "$tmp/read.out")" -eq 2 ]
check "same name: site/a/index.html" grep -q '^{"id":"site/a/index.html",' "$tmp/read.out"
check "same name: site/b/index.html" grep -q '^{"id":"site/b/index.html",' "$tmp/read.out"
check "same name: no warning" [ ! -s "$tmp/read.err" ]
khabar_abs=$(cd "$(dirname "$KHABAR")" && pwd)/$(basename "$KHABAR")
(cd "$tmp" && "$khabar_abs" ingest --db mirror.db site/) > "$tmp/m.json" 2> "$tmp/m.err"
check "same name: ingest exits 0" [ $? -eq 0 ]
check "same name: ingest adds up" adds_up "$tmp/m.json"
check "same name: two added" [ "$(field "$tmp/m.json" added)" = 2 ]
check "same name: two stored" [ "$(q "$tmp/mirror.db" 'SELECT group_concat(id, " ") FROM (SELECT id FROM articles ORDER BY id)')" = "site/a/index.html site/b/index.html" ]

# The same site crawled twice with wget --warc-file.
python3 tests/lib/wget-warc "$tmp/crawl1.warc" 1 || exit 1
python3 tests/lib/wget-warc "$tmp/crawl2.warc" 2 || exit 1
"$KHABAR" read "$tmp/crawl1.warc" > "$tmp/w.out" 2> "$tmp/w.err"
check "warc: read exits 0" [ $? -eq 0 ]
check "warc: the two pages only" [ "$(wc -l < "$tmp/w.out")" -eq 2 ]
check "warc: id and url without brackets" grep -q '^{"id":"http://site.example/news/hospital.html",.*"url":"http://site.example/news/hospital.html"}$' "$tmp/w.out"
check "warc: no metadata record read" [ "$(grep -c 'metadata:' "$tmp/w.out")" -eq 0 ]
check "warc: no warning" [ ! -s "$tmp/w.err" ]
"$KHABAR" ingest --db "$tmp/w.db" "$tmp/crawl1.warc" > "$tmp/w1.json" 2> "$tmp/w1.err"
check "crawl 1: exits 0" [ $? -eq 0 ]
check "crawl 1: adds up" adds_up "$tmp/w1.json"
check "crawl 1: two added" [ "$(field "$tmp/w1.json" added)" = 2 ]
"$KHABAR" ingest --db "$tmp/w.db" "$tmp/crawl2.warc" > "$tmp/w2.json" 2> "$tmp/w2.err"
check "crawl 2: exits 0" [ $? -eq 0 ]
check "crawl 2: adds up" adds_up "$tmp/w2.json"
check "crawl 2: none added" [ "$(field "$tmp/w2.json" added)" = 0 ]
check "crawl 2: the changed page updated" [ "$(field "$tmp/w2.json" updated)" = 1 ]
check "crawl 2: the other unchanged" [ "$(field "$tmp/w2.json" unchanged)" = 1 ]
check "crawl 2: each URL once" [ "$(q "$tmp/w.db" 'SELECT count(*), count(DISTINCT url) FROM articles')" = "2|2" ]
check "crawl 2: the right URLs" [ "$(q "$tmp/w.db" 'SELECT group_concat(url, " ") FROM (SELECT url FROM articles ORDER BY url)')" = "http://site.example/news/hospital.html http://site.example/news/markets.html" ]
check "crawl 2: the new version kept" [ "$(q "$tmp/w.db" "SELECT count(*) FROM articles WHERE body LIKE '%خمسمئة طبيب%'")" = 1 ]
check "crawl 2: no copy of itself" [ "$(q "$tmp/w.db" 'SELECT count(*) FROM articles a JOIN articles b ON a.group_id = b.group_id AND a.n < b.n')" = 0 ]
check "crawl 2: its story's account has the new text" [ "$(q "$tmp/w.db" "SELECT count(*) FROM stories WHERE account_json LIKE '%خمسمئة%'")" -ge 1 ]
"$KHABAR" ingest --db "$tmp/w.db" --check > "$tmp/check.json" 2>&1
check "crawl 2: store checks" grep -q '"check":"ok"' "$tmp/check.json"
"$KHABAR" ingest --db "$tmp/w.db" "$tmp/crawl2.warc" > "$tmp/w3.json" 2>/dev/null
check "crawl 2 again: nothing written" [ "$(field "$tmp/w3.json" unchanged)" = 2 ]

# One id twice in one run: the second is a counted warning naming file:line.
printf '%s\n' '{"id":"x1","date":"2015-07-01","text":"أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة أبها بسعة 300 سرير."}' \
    '{"id":"x2","date":"2015-07-02","text":"شهدت أسواق الأسهم الخليجية تراجعا ملحوظا في ختام تعاملات الأسبوع."}' \
    '{"id":"x1","date":"2015-07-03","text":"نص آخر تحت المعرف نفسه عن موضوع مختلف تماما في مدينة أخرى."}' \
    '{"url":"https://example.org/n","text":"خبر بلا معرف يسمى بعنوانه على الشبكة."}' > "$tmp/dup.jsonl"
"$KHABAR" read "$tmp/dup.jsonl" > "$tmp/d.out" 2> "$tmp/d.err"
check "dup: read exits 0" [ $? -eq 0 ]
check "dup: three documents" [ "$(wc -l < "$tmp/d.out")" -eq 3 ]
check "dup: warning names file:line and id" grep -q "^khabar: warning: $tmp/dup.jsonl:3: id \"x1\" already read; record skipped\$" "$tmp/d.err"
check "dup: counted" grep -q 'skipped 0 records with errors and 1 with an id already read' "$tmp/d.err"
check "dup: no id, named by its URL" grep -q '^{"id":"https://example.org/n",' "$tmp/d.out"
"$KHABAR" ingest --db "$tmp/d.db" "$tmp/dup.jsonl" > "$tmp/d.json" 2> "$tmp/di.err"
check "dup: ingest exits 0" [ $? -eq 0 ]
check "dup: ingest adds up" adds_up "$tmp/d.json"
check "dup: ingest counts it skipped" [ "$(field "$tmp/d.json" skipped)" = 1 ]
check "dup: ingest warns" grep -q "dup.jsonl:3: id \"x1\" already read" "$tmp/di.err"
check "dup: the first kept" [ "$(q "$tmp/d.db" "SELECT date FROM articles WHERE id = 'x1'")" = 2015-07-01 ]
for c in clean dedup stories account; do
    "$KHABAR" $c "$tmp/dup.jsonl" > /dev/null 2> "$tmp/dc.err"
    check "dup: $c warns" grep -q "^khabar: warning: $tmp/dup.jsonl:3: id \"x1\" already read" "$tmp/dc.err"
done

[ "$fail" -eq 0 ] && echo "ingest_ident.sh: all checks held"
exit "$fail"
