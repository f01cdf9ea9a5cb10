#!/bin/sh
# Hostile HTML pages against the work budget: 100,000 and 1,000,000
# attributes on one element, a million spread over many elements, deep
# <font>/<div> nesting, too many elements. Each command answers within
# tests/lib/bounded (a second per MB, plus start-up) with the limit's message
# naming the file, and goes on with the other pages; a page nested 260 deep
# still gives its article.
set -u
K=${KHABAR:-build/khabar}
B="tests/lib/bounded"
command -v python3 >/dev/null || { echo "hostile_html.sh: python3 missing, skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }
has() { grep -qF -- "$2" "$3" || { echo "FAIL: $1: no '$2' in $3:"; head -c 600 "$3"; echo; fail=1; }; }

mkdir "$tmp/pages" "$tmp/big"
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
article = ('<h1>وزير الخارجية يبحث مع نظيره الفرنسي الأزمة في المنطقة</h1>'
           '<p>بحث وزير الخارجية مع نظيره الفرنسي يوم الثلاثاء الأزمة في المنطقة، وسبل إنهاء القتال الدائر منذ سنوات في عدة دول.</p>'
           '<p>وقال الوزير في مؤتمر صحفي إن بلاده تدعم كل الجهود الرامية إلى وقف إطلاق النار، وإن الحل السياسي هو الطريق الوحيد.</p>'
           '<p>وأضاف أن الاجتماع تناول أيضا العلاقات الثنائية بين البلدين وسبل تطويرها في مجالات الاقتصاد والتعليم.</p>').encode()
def page(name, middle, sub='pages'):
    with open('%s/%s/%s' % (d, sub, name), 'wb') as f:
        f.write(b'<html><body>' + middle + article + b'</body></html>')
def attrs(n, start=0, sep=b' '):
    return b''.join(sep + b'a%d="%d"' % (i, i) for i in range(start, start + n))
page('a-attrs100k.html', b'<p' + attrs(100000) + b'>x</p>')
page('b-font260.html', b'<font>' * 260)
page('c-font100k.html', b'<font>' * 100000)
page('d-div100k.html', b'<div>' * 100000)
page('e-good.html', b'<div class="content">')
# (a million on one line would pass the reader's 16 MiB line limit first)
page('attrs1m.html', b'<p' + attrs(1000000, sep=b'\n') + b'>x</p>', 'big')
page('spread1m.html', b''.join(b'<i' + attrs(100, 100 * k) + b'>.</i>\n' for k in range(10000)), 'big')
page('nodes300k.html', b'<b>x</b>' * 300000, 'big')
PY
size_mb() { echo $(( $(wc -c < "$1") / 1048576 + 2 )); }  # seconds allowed

# clean, one page at a time: the message, the count, no record, exit 0.
run_clean() { # run_clean FILE EXPECTED-MESSAGE
    f=$1
    $B "$(size_mb "$f")" 300 "$K" clean "$f" >"$tmp/out" 2>"$tmp/err"; rc=$?
    check "$(basename "$f"): exit 0 ($rc)" "[ $rc -eq 0 ]"
    has "$(basename "$f"): message" "khabar: $f: $2" "$tmp/err"
    has "$(basename "$f"): counted" "cleaned 0 documents; skipped 1 records with errors" "$tmp/err"
    check "$(basename "$f"): no record" "[ ! -s $tmp/out ]"
}
run_clean "$tmp/pages/a-attrs100k.html" "100000 attributes on one element at byte 12, limit 512"
run_clean "$tmp/big/attrs1m.html" "1000000 attributes on one element at byte 12, limit 512"
run_clean "$tmp/big/spread1m.html" "more than 262144 attributes in the page (at byte "
run_clean "$tmp/pages/c-font100k.html" "elements nested deeper than 512 (at byte "
run_clean "$tmp/pages/d-div100k.html" "elements nested deeper than 512 (at byte "
run_clean "$tmp/big/nodes300k.html" "more than 262144 elements (at byte "

# 260 unclosed <font>: parsed whole, the article found.
$B 2 100 "$K" clean "$tmp/pages/b-font260.html" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "font260: exit 0" "[ $rc -eq 0 ]"
has "font260: body" '"body":["بحث وزير الخارجية' "$tmp/out"
check "font260: no warning" "[ ! -s $tmp/err ]"

# Good and hostile pages together: each command names each bad page, counts
# it, and keeps the good ones.
$B 5 300 "$K" clean "$tmp/pages" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "clean dir: exit 0" "[ $rc -eq 0 ]"
check "clean dir: two records" "[ \$(wc -l < $tmp/out) -eq 2 ]"
has "clean dir: summary" "cleaned 2 documents; skipped 3 records with errors" "$tmp/err"
has "clean dir: attrs" "a-attrs100k.html: 100000 attributes on one element" "$tmp/err"
$B 5 300 "$K" clean --strict "$tmp/pages" >/dev/null 2>"$tmp/err"; rc=$?
check "clean --strict: exit 1" "[ $rc -eq 1 ]"

$B 10 300 "$K" ingest --db "$tmp/k.db" "$tmp/pages" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "ingest: exit 0" "[ $rc -eq 0 ]"
has "ingest: errors counted" '"read":5,"added":2,"updated":0,"unchanged":0,"skipped":0,"no_body":0,"errors":3,' "$tmp/out"
has "ingest: attrs" "khabar: $tmp/pages/a-attrs100k.html: 100000 attributes on one element at byte 12, limit 512" "$tmp/err"
has "ingest: depth" "khabar: $tmp/pages/d-div100k.html: elements nested deeper than 512" "$tmp/err"

$B 5 300 "$K" stories "$tmp/pages" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "stories: exit 0" "[ $rc -eq 0 ]"
check "stories: one story" "[ \$(wc -l < $tmp/out) -eq 1 ]"
has "stories: attrs" "khabar: $tmp/pages/a-attrs100k.html: 100000 attributes on one element" "$tmp/err"
has "stories: counted" "khabar stories: 5 read, 3 skipped with errors, 2 articles" "$tmp/err"

$B 5 300 "$K" dedup "$tmp/pages" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "dedup: exit 0" "[ $rc -eq 0 ]"
check "dedup: two documents" "[ \$(wc -l < $tmp/out) -eq 2 ]"
has "dedup: font" "khabar: $tmp/pages/c-font100k.html: elements nested deeper than 512" "$tmp/err"
has "dedup: counted" "khabar dedup: 5 read, 3 skipped with errors, 2 documents" "$tmp/err"

$B 5 300 "$K" account "$tmp/pages" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "account: exit 0" "[ $rc -eq 0 ]"
has "account: attrs skipped" "100000 attributes on one element at byte 12, limit 512; skipped" "$tmp/err"

# A record inside a JSON Lines file is named file:line.
python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
html = '<p' + ''.join(' a%d' % i for i in range(600)) + '>x</p>'
with open(d + '/feed.jsonl', 'w') as f:
    f.write(json.dumps({"id": "ok", "text": "خبر قصير عن الطقس في المدينة اليوم."}, ensure_ascii=False) + '\n')
    f.write(json.dumps({"id": "bad", "html": html}) + '\n')
PY
$B 2 100 "$K" clean "$tmp/feed.jsonl" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "jsonl: exit 0" "[ $rc -eq 0 ]"
has "jsonl: file:line" "khabar: $tmp/feed.jsonl:2: 600 attributes on one element at byte 0, limit 512" "$tmp/err"
exit $fail
