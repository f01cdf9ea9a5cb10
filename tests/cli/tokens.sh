#!/bin/sh
# khabar tokens: the required four-word line, line alignment around an
# invalid UTF-8 line, the exit status, and usage errors.
set -u
fail=0
check() { # check NAME GOT WANT
    if [ "$2" != "$3" ]; then
        echo "FAIL $1"; echo "  got:  $2"; echo "  want: $3"; fail=1
    fi
}

out=$(printf 'أشتون آشتون الأميركي الأمريكي\n' | "$KHABAR" tokens)
check "four words" "$out" "اشتون اشتون اميركي امريكي"
set -- $out
check "four tokens" "$#" "4"
check "first two equal" "$1" "$2"

out=$(printf 'والرقة الرقة رقة\n' | "$KHABAR" tokens)
check "stems" "$out" "رقه رقه رقه"
out=$(printf 'والرقة الرقـــة\n' | "$KHABAR" tokens --no-stem)
check "no stem" "$out" "والرقه الرقه"
out=$(printf 'The nations\n' | "$KHABAR" tokens --lang en)
check "english" "$out" "the nation"
out=$(printf 'Les États-Unis ont annoncé une opération.\n' | "$KHABAR" tokens)
check "french detected" "$out" "les etat unis ont annonc une oper"
out=$(printf 'ولد عام 1950م.\n' | "$KHABAR" tokens --no-stem)
check "year" "$out" "ولد عام 1950 م"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'سطر أول\nbad \377 byte\nسطر ثالث\n' > "$tmp/in.txt"
"$KHABAR" tokens "$tmp/in.txt" > "$tmp/out" 2> "$tmp/err"
rc=$?
check "invalid exit" "$rc" "1"
check "invalid stdout" "$(cat "$tmp/out")" "$(printf 'سطر اول\n\nسطر ثالث')"
check "invalid line count" "$(wc -l < "$tmp/out" | tr -d ' ')" "3"
check "invalid stderr" "$(cat "$tmp/err")" "khabar: $tmp/in.txt:2: invalid UTF-8 at byte 4"

printf 'short\n0123456789abcdef\nok\n' > "$tmp/long.txt"
"$KHABAR" tokens --max-line 8 "$tmp/long.txt" > "$tmp/out" 2> "$tmp/err"
check "long exit" "$?" "1"
check "long stdout" "$(cat "$tmp/out")" "$(printf 'short\n\nok')"
check "long stderr" "$(cat "$tmp/err")" "khabar: $tmp/long.txt:2: line longer than 8 bytes"

"$KHABAR" tokens --bogus < /dev/null > /dev/null 2>&1
check "unknown option" "$?" "2"
"$KHABAR" tokens --lang xx < /dev/null > /dev/null 2>&1
check "unknown language" "$?" "2"
"$KHABAR" tokens "$tmp/missing" > /dev/null 2>&1
check "missing file" "$?" "1"
exit $fail
