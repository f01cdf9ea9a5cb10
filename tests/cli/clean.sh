#!/bin/sh
# khabar clean: records, Markdown, warnings, usage errors.
set -u
K=${KHABAR:-build/khabar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }

cat > "$tmp/page.txt" <<'PAGE'
Home
World
Ministers agree on a new export plan - Example Times
Ministers agree on a new export plan
October 25, 2016
CAIRO (AFP) - Ministers met in the capital on Sunday to discuss the economy and agreed on a new plan to support exports.
The prime minister said the plan would start next month, and that the government would follow it closely with the private sector.
Share this article
© 2016 Example Times
PAGE
cat > "$tmp/page.html" <<'PAGE'
<html><head><title>Budget passed | Example Post</title><meta property="og:site_name" content="Example Post"></head>
<body><nav><a href="/">Home</a></nav><h1>Budget passed</h1>
<p>The parliament passed the budget on Monday after a debate that lasted three days, with a majority voting for it.</p>
<p>The finance minister said the budget would reduce the deficit, and that spending on schools would rise.</p>
<footer>Contact us</footer></body></html>
PAGE
: > "$tmp/empty.txt"
printf 'Home\nNews\nSport\nContact\n' > "$tmp/menu.txt"

out=$("$K" clean "$tmp/page.txt" "$tmp/page.html" 2>"$tmp/err")
check "exit 0" "[ $? -eq 0 ]"
check "two records" "[ \$(printf '%s\n' \"\$out\" | wc -l) -eq 2 ]"
first=$(printf '%s\n' "$out" | head -n 1)
second=$(printf '%s\n' "$out" | tail -n 1)
check "text title" "printf '%s' \"\$first\" | grep -q '\"title\":\"Ministers agree on a new export plan\"'"
check "text date" "printf '%s' \"\$first\" | grep -q '\"date\":\"2016-10-25\"'"
check "text file" "printf '%s' \"\$first\" | grep -q '\"file\":\"$tmp/page.txt\"'"
check "dateline" "printf '%s' \"\$first\" | grep -q '\"dateline\":\"CAIRO (AFP)\",\"dateline_agency\":\"AFP\"'"
check "body two paragraphs" "printf '%s' \"\$first\" | grep -q '\"body\":\[\"CAIRO (AFP) - Ministers[^]]*\",\"The prime minister[^]]*\"\]'"
check "no menu in body" "! printf '%s' \"\$first\" | grep -q 'Share this'"
check "html title" "printf '%s' \"\$second\" | grep -q '\"title\":\"Budget passed\"'"
check "html source" "printf '%s' \"\$second\" | grep -q '\"source\":\"Example Post\"'"
check "no warnings" "[ ! -s \"$tmp/err\" ]"

out=$("$K" clean "$tmp/empty.txt" "$tmp/menu.txt" 2>"$tmp/err")
check "warnings exit 0" "[ $? -eq 0 ]"
check "empty record" "printf '%s\n' \"\$out\" | head -n 1 | grep -q '\"body\":\[\]'"
check "empty warning" "grep -q 'khabar: .*empty.txt: warning: empty page' \"$tmp/err\""
check "no body warning" "grep -q 'khabar: .*menu.txt: warning: no article body found' \"$tmp/err\""

md=$("$K" clean --format md "$tmp/page.txt")
check "md title" "printf '%s\n' \"\$md\" | head -n 1 | grep -qx '# Ministers agree on a new export plan'"
check "md body" "printf '%s\n' \"\$md\" | grep -q '^The prime minister said'"

# A windows-1256 page that says so reads as UTF-8; one that names an unknown charset is an error.
{
    printf '<html><head><meta charset="windows-1256"><title>\307\341\321\336\311</title></head>\n<body><h1>\307\341\321\336\311</h1>\n<p>'
    printf '\336\307\341 \346\322\355\321 \307\341\317\335\307\332 \305\344 \307\341\343\317\355\344\311 \343\315\307\325\321\311 \343\344\320 \303\323\307\310\355\332 \346\305\344 \307\341\323\337\307\344 \355\332\307\344\346\344 \343\344 \344\336\325 \307\341\333\320\307\301.'
    printf '</p>\n</body></html>\n'
} > "$tmp/w1256.html"
sed 's/windows-1256/x-foo/' "$tmp/w1256.html" > "$tmp/xfoo.html"
out=$("$K" clean "$tmp/w1256.html" 2>"$tmp/err")
check "windows-1256 exit 0" "[ $? -eq 0 ]"
check "windows-1256 title" "printf '%s' \"\$out\" | grep -q '\"title\":\"الرقة\"'"
check "windows-1256 body" "printf '%s' \"\$out\" | grep -q '\"body\":\[\"قال وزير الدفاع إن المدينة محاصرة منذ أسابيع وإن السكان يعانون من نقص الغذاء.\"\]'"
"$K" clean "$tmp/xfoo.html" >/dev/null 2>"$tmp/err"; check "unknown charset fails" "[ $? -eq 1 ]"
check "unknown charset message" "grep -q \"khabar: .*xfoo.html: unknown charset 'x-foo'\" \"$tmp/err\""

# A page that is UTF-8 but for a stray windows-1252 byte is cleaned, with a
# warning naming the file and the byte.
printf 's/the budget would reduce/the budget\351s cuts would reduce/' > "$tmp/stray.sed"
LC_ALL=C sed -f "$tmp/stray.sed" "$tmp/page.html" > "$tmp/stray.html"
out=$("$K" clean "$tmp/stray.html" 2>"$tmp/err")
check "stray byte exit 0" "[ $? -eq 0 ]"
fffd=$(printf '\357\277\275')
check "stray byte body" "printf '%s' \"\$out\" | grep -q 'the budget${fffd}s cuts would reduce'"
check "stray byte warning" "grep -q 'khabar: warning: .*stray.html: 1 invalid byte replaced by U+FFFD, the first at byte 335' \"$tmp/err\""

tests/lib/at-terminal "$K" clean >/dev/null 2>&1; rc=$?
[ "$rc" = 77 ] || check "no path at a terminal is usage" "[ $rc -eq 2 ]"
"$K" clean --bogus "$tmp/page.txt" >/dev/null 2>&1; check "unknown option" "[ $? -eq 2 ]"
"$K" clean --format xml "$tmp/page.txt" >/dev/null 2>&1; check "bad format" "[ $? -eq 2 ]"
"$K" clean "$tmp/missing.txt" >/dev/null 2>"$tmp/err"; check "missing file fails" "[ $? -eq 1 ]"
check "missing file message" "grep -q 'khabar: .*missing.txt: cannot open' \"$tmp/err\""
"$K" help clean | grep -q 'usage: khabar clean'; check "help" "[ $? -eq 0 ]"
"$K" clean --keep-mb 0 "$tmp/page.txt" "$tmp/page.html" > "$tmp/reread"
check "re-read pass gives the same" "[ \"\$(cat \"$tmp/reread\")\" = \"\$(\"$K\" clean \"$tmp/page.txt\" \"$tmp/page.html\")\" ]"
exit $fail
