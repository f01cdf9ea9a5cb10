#!/bin/sh
# khabar names: spans in code points into a record's text as given and into
# a page's clean text, a name cued in one record found in another, the
# gazetteer's absence and a missing --places file, bad records, usage.
set -u
fail=0
check() { # check NAME GOT WANT
    if [ "$2" != "$3" ]; then
        echo "FAIL $1"; echo "  got:  $2"; echo "  want: $3"; fail=1
    fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/in.jsonl" <<'J'
{"id":"a","text":"وقال وزير الدفاع الأمريكي آشتون كارتر إن القوات مستعدة."}
{"id":"b","title":"كارتر في بغداد","text":"وأكد كارتر أن الحملة طويلة."}
J
out=$("$KHABAR" names --places none "$tmp/in.jsonl")
check "record a" "$(echo "$out" | sed -n 1p)" \
    '{"id":"a","names":[{"start":26,"end":37,"text":"آشتون كارتر","kind":"person","spelling":0}]}'
# offsets into the record's text as given: the title is not part of it
check "record b" "$(echo "$out" | sed -n 2p)" \
    '{"id":"b","names":[{"start":5,"end":10,"text":"كارتر","kind":"person","spelling":0}]}'
check "stdin" "$("$KHABAR" names --places=none < "$tmp/in.jsonl")" "$out"

# a page: offsets into its clean title, "\n", then its body
printf '%s\n\n%s\n' 'كارتر يصل إلى بغداد' \
    'وصل وزير الدفاع الأمريكي آشتون كارتر إلى بغداد اليوم في زيارة لم يعلن عنها من قبل، وقال كارتر إن الحملة على الموصل تسير كما خطط لها.' \
    > "$tmp/page.txt"
"$KHABAR" names --places none "$tmp/page.txt" > "$tmp/page.out" 2> "$tmp/err"
check "page status" "$?" "0"
check "page spans" "$(python3 -c '
import json,sys
r=json.loads(open(sys.argv[1]).read())
print(" ".join("%d-%d" % (n["start"], n["end"]) for n in r["names"]))' "$tmp/page.out")" "0-5 45-56 108-113"

# --places FILE that is missing is an error naming it; none turns it off
"$KHABAR" names --places "$tmp/none.xml" "$tmp/in.jsonl" > /dev/null 2> "$tmp/err"
check "missing places status" "$?" "1"
check "missing places message" "$(cat "$tmp/err")" "khabar: $tmp/none.xml: cannot open"

# the default gazetteer: CLDR's Arabic names when installed, else a warning
printf '{"id":"g","text":"وصل الوفد إلى بغداد قادما من لندن."}\n' > "$tmp/g.jsonl"
out=$("$KHABAR" names "$tmp/g.jsonl" 2> "$tmp/err")
if [ -f /usr/share/unicode/cldr/common/main/ar.xml ]; then
    check "gazetteer" "$out" '{"id":"g","names":[{"start":14,"end":19,"text":"بغداد","kind":"place","spelling":0},{"start":29,"end":33,"text":"لندن","kind":"place","spelling":1}]}'
    check "gazetteer quiet" "$(cat "$tmp/err")" ""
else
    echo "names.sh: unicode-cldr-core absent, the warning checked instead"
    check "no gazetteer" "$out" '{"id":"g","names":[]}'
    grep -q "unicode-cldr-core" "$tmp/err" || { echo "FAIL no gazetteer warning"; fail=1; }
fi

# a bad record is reported with its line and skipped
printf '{"id":"x","text":"وقال كارتر ذلك"}\n{"id":"y","text":\n' > "$tmp/bad.jsonl"
"$KHABAR" names --places none "$tmp/bad.jsonl" > "$tmp/out" 2> "$tmp/err"
check "bad record lines" "$(wc -l < "$tmp/out" | tr -d ' ')" "1"
grep -q "bad.jsonl:2" "$tmp/err" || { echo "FAIL bad record message: $(cat "$tmp/err")"; fail=1; }

# --pairs: SIMILARITY<TAB>SAME a line, a bad line kept in place as 0 0
printf 'فيصل المنصوري\tFaisal Al-Mansouri\nno tab here\nهولاند\tأولاند\nكارتر\tObama\n' > "$tmp/pairs.tsv"
out=$("$KHABAR" names --pairs "$tmp/pairs.tsv" 2> "$tmp/err")
check "pairs" "$(echo "$out" | cut -f2 | tr '\n' ' ')" "1 0 1 0 "
check "pairs similarity" "$(echo "$out" | sed -n 1p | cut -f1)" "1.000"
grep -q "pairs.tsv:2: not two names separated by a tab" "$tmp/err" ||
    { echo "FAIL pairs message: $(cat "$tmp/err")"; fail=1; }
check "pairs stdin" "$("$KHABAR" names --pairs < "$tmp/pairs.tsv" 2>/dev/null)" "$out"

"$KHABAR" names --format md "$tmp/in.jsonl" > /dev/null 2>&1
check "bad format" "$?" "2"
"$KHABAR" names --batch 0 "$tmp/in.jsonl" > /dev/null 2>&1
check "bad batch" "$?" "2"
exit $fail
