#!/bin/sh
# khabar dedup: copies grouped around the earliest document, --groups,
# thread-count invariance, bad records skipped (or fatal with --strict),
# usage errors.
set -u
: "${KHABAR:=build/khabar}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check NAME COND...
    name=$1; shift
    if "$@"; then :; else echo "FAIL: $name"; fail=1; fi
}

P1='أعلنت وزارة الصحة اليوم الأحد عن افتتاح مستشفى جديد في مدينة أبها بسعة 300 سرير، وذلك ضمن خطة الوزارة لتوسيع الخدمات الصحية في المناطق الجنوبية من المملكة.'
P2='وقال المتحدث الرسمي باسم الوزارة إن المستشفى يضم أقساما متخصصة في أمراض القلب والأورام وطب الأطفال، إضافة إلى مركز للطوارئ يعمل على مدار الساعة، ومختبرات حديثة مجهزة بأحدث الأجهزة الطبية.'
P3='وأوضح أن تكلفة المشروع بلغت نحو 450 مليون ريال، وأن العمل فيه استمر ثلاث سنوات بمشاركة شركات وطنية، مشيرا إلى أن المستشفى سيوفر أكثر من ألف وظيفة للشباب من أبناء المنطقة.'
# The same story without hamza on alef, with a dateline and Arabic-Indic digits.
C1='الرياض - واس: اعلنت وزارة الصحة اليوم الاحد عن افتتاح مستشفى جديد في مدينة ابها بسعة ٣٠٠ سرير، وذلك ضمن خطة الوزارة لتوسيع الخدمات الصحية في المناطق الجنوبية من المملكة.'
O1='شهدت أسواق الأسهم الخليجية تراجعا ملحوظا في ختام تعاملات الأسبوع، متأثرة بانخفاض أسعار النفط في الأسواق العالمية وتراجع شهية المستثمرين للمخاطرة، وهبط المؤشر العام للسوق بنسبة اثنين في المئة بضغط من أسهم البنوك والبتروكيماويات التي سجلت أكبر الخسائر منذ بداية العام.'

cat > "$tmp/in.jsonl" <<JSON
{"id": "late", "date": "2015-07-03", "text": "$C1\n\n$P2\n\n$P3"}
{"id": "orig", "date": "2015-07-01", "text": "$P1\n\n$P2\n\n$P3"}
{"id": "other", "date": "2015-07-01", "text": "$O1"}
{"id": "same", "date": "2015-07-02", "text": "$P1   \n$P2 \n\n $P3"}
JSON

out=$("$KHABAR" dedup "$tmp/in.jsonl" 2>"$tmp/err"); rc=$?
check "exit 0" [ "$rc" -eq 0 ]
check "one line per document" [ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ]
check "near copy joins the earliest" [ "$(printf '%s\n' "$out" | sed -n 1p)" = '{"id": "late", "group": "orig"}' ]
check "earliest is its own group" [ "$(printf '%s\n' "$out" | sed -n 2p)" = '{"id": "orig", "group": "orig"}' ]
check "non-copy alone" [ "$(printf '%s\n' "$out" | sed -n 3p)" = '{"id": "other", "group": "other"}' ]
check "exact copy" [ "$(printf '%s\n' "$out" | sed -n 4p)" = '{"id": "same", "group": "orig"}' ]
check "quiet stderr when not a terminal" [ ! -s "$tmp/err" ]

out=$("$KHABAR" dedup --groups --stats "$tmp/in.jsonl" 2>"$tmp/err")
check "--groups: one group" [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
check "--groups record" sh -c "printf '%s\n' '$out' | grep -q '^{\"group\": \"orig\", \"articles\": \[\"late\", \"orig\", \"same\"\], \"min_similarity\": 0\.[89][0-9], \"original\": \"orig\", '"
# No source given: no wire's own copy, so the earliest is the original;
# "late" credits واس in its dateline, so the group's wire is واس.
check "--groups provenance" sh -c "printf '%s\n' '$out' | grep -q '\"original\": \"orig\", \"wire\": \"واس\", \"outlets\": 0, \"independent_sources\": 1, \"members\": \[{\"id\": \"late\", \"copy_of\": \"orig\", \"relation\": \"near\", \"similarity\": 0\.[89][0-9]}, {\"id\": \"orig\", \"copy_of\": null, \"relation\": \"original\", \"similarity\": 1\.00}, {\"id\": \"same\", \"copy_of\": \"orig\", \"relation\": \"exact\", \"similarity\": 1\.00}\]}\$'"

# The wire's own copy, dated later than the outlets' copies, is the original
# when they credit the agency; its id stays apart from the group's id.
cat > "$tmp/wire.jsonl" <<JSON
{"id": "late", "date": "2015-07-03T10:00", "source": "okaz", "text": "$C1\n\n$P2\n\n$P3"}
{"id": "orig", "date": "2015-07-01T08:00", "source": "alriyadh", "text": "$P1\n\n$P2\n\n$P3"}
{"id": "same", "date": "2015-07-02", "source": "okaz", "text": "$P1   \n$P2 \n\n $P3"}
{"id": "wire", "date": "2015-07-04T09:00", "source": "spa", "text": "$P1\n\n$P2\n\n$P3"}
JSON
out=$("$KHABAR" dedup --groups "$tmp/wire.jsonl" 2>/dev/null)
check "--groups wire golden" [ "$out" = '{"group": "orig", "articles": ["late", "orig", "same", "wire"], "min_similarity": 0.97, "original": "wire", "wire": "واس", "outlets": 3, "independent_sources": 1, "members": [{"id": "late", "copy_of": "orig", "relation": "near", "similarity": 0.97}, {"id": "orig", "copy_of": "wire", "relation": "exact", "similarity": 1.00}, {"id": "same", "copy_of": "orig", "relation": "exact", "similarity": 1.00}, {"id": "wire", "copy_of": null, "relation": "original", "similarity": 1.00}]}' ]
# Without the wire's copy, the earliest timed date wins.
grep -v '"wire"' "$tmp/wire.jsonl" > "$tmp/nowire.jsonl"
out=$("$KHABAR" dedup --groups "$tmp/nowire.jsonl" 2>/dev/null)
check "--groups earliest timed" sh -c "printf '%s\n' '$out' | grep -q '\"original\": \"orig\", \"wire\": \"واس\", \"outlets\": 2,'"
check "--stats summary" grep -q '4 documents, 1 groups of copies (3 documents), largest group 3' "$tmp/err"

a=$("$KHABAR" dedup --threads 1 "$tmp/in.jsonl")
b=$("$KHABAR" dedup --threads 3 "$tmp/in.jsonl")
check "threads do not change the result" [ "$a" = "$b" ]

# A stricter threshold for near copies: the copy with a dateline still holds
# all of the original, a contained copy; the exact one stays exact.
out=$("$KHABAR" dedup --threshold 0.99 "$tmp/in.jsonl")
check "--threshold 0.99: contained" [ "$(printf '%s\n' "$out" | sed -n 1p)" = '{"id": "late", "group": "orig"}' ]
check "--threshold 0.99 keeps exact" [ "$(printf '%s\n' "$out" | sed -n 4p)" = '{"id": "same", "group": "orig"}' ]

# A bad record is reported with file:line and skipped; --strict stops.
{ sed -n 1,2p "$tmp/in.jsonl"; echo '{"id": "broken", "text": '; sed -n 3,4p "$tmp/in.jsonl"; } > "$tmp/bad.jsonl"
out=$("$KHABAR" dedup "$tmp/bad.jsonl" 2>"$tmp/err"); rc=$?
check "bad record skipped" [ "$rc" -eq 0 ]
check "the others read" [ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ]
check "bad record reported" grep -q "^khabar: $tmp/bad.jsonl:3: " "$tmp/err"
"$KHABAR" dedup --strict "$tmp/bad.jsonl" >/dev/null 2>&1; rc=$?
check "--strict fails" [ "$rc" -eq 1 ]

# Pages whose body is empty or a leftover line are "no body": each its own
# group, counted in the summary; the real copies among them still group.
{
    i=0
    while [ $i -lt 60 ]; do
        echo "{\"id\": \"e$i\", \"date\": \"2015-07-01\", \"content_type\": \"text/html\", \"html\": \"<html><body><nav>الرئيسية</nav></body></html>\"}"
        echo "{\"id\": \"r$i\", \"date\": \"2015-07-01\", \"text\": \"اقرأ المزيد\"}"
        i=$((i + 1))
    done
    cat "$tmp/in.jsonl"
} > "$tmp/empty.jsonl"
out=$("$KHABAR" dedup --groups --stats "$tmp/empty.jsonl" 2>"$tmp/err"); rc=$?
check "no body: exit 0" [ "$rc" -eq 0 ]
check "no body: only the real group" [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
check "no body: the real group" sh -c "printf '%s\n' '$out' | grep -q '^{\"group\": \"orig\", \"articles\": \[\"late\", \"orig\", \"same\"\]'"
check "no body: counted" grep -q 'largest group 3, 1 exact copies, 120 with no body' "$tmp/err"
out=$("$KHABAR" dedup "$tmp/empty.jsonl" 2>/dev/null)
check "no body: its own group" [ "$(printf '%s\n' "$out" | grep -c '"id": "\([er][0-9]*\)", "group": "\1"')" -eq 120 ]
out=$("$KHABAR" dedup --min-words 0 --groups "$tmp/empty.jsonl" 2>/dev/null)
check "--min-words 0: a leftover line matches again" [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]

"$KHABAR" dedup --bogus "$tmp/in.jsonl" >/dev/null 2>&1; rc=$?
check "unknown option exits 2" [ "$rc" -eq 2 ]
"$KHABAR" dedup --threshold 2 "$tmp/in.jsonl" >/dev/null 2>&1; rc=$?
check "bad threshold exits 2" [ "$rc" -eq 2 ]
"$KHABAR" dedup < "$tmp/in.jsonl" > "$tmp/stdin.out" 2>/dev/null; rc=$?
"$KHABAR" dedup "$tmp/in.jsonl" > "$tmp/path.out" 2>/dev/null
check "no PATH reads piped stdin" [ "$rc" -eq 0 ] && cmp -s "$tmp/stdin.out" "$tmp/path.out"
"$KHABAR" dedup --help | grep -q '^usage: khabar dedup' || { echo "FAIL: --help"; fail=1; }
"$KHABAR" dedup "$tmp/missing.jsonl" >/dev/null 2>"$tmp/err"
check "missing file reported" grep -q "missing.jsonl" "$tmp/err"
exit $fail
