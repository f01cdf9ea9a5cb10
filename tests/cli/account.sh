#!/bin/sh
# khabar account: three reports of one made-up event as JSON Lines; the
# account as JSON and Markdown, a page skipped with a message, usage errors.
set -u
fail=0
check() { # check NAME GOT WANT
    if [ "$2" != "$3" ]; then
        echo "FAIL $1"; echo "  got:  $2"; echo "  want: $3"; fail=1
    fi
}
has() { # has NAME TEXT NEEDLE
    case "$2" in *"$3"*) ;; *) echo "FAIL $1: no '$3' in"; echo "$2"; fail=1 ;; esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/story.jsonl" <<'JSONL'
{"id":"a1","source":"Site One","date":"2016-10-26","title":"هولاند: ثلاثة عشر وزيرا في باريس | Site One","text":"قال الرئيس الفرنسي فرانسوا هولاند إن ثلاثة عشر وزير دفاع اجتمعوا في باريس يوم الثلاثاء لبحث الحرب.\nوقال وزير الدفاع الفرنسي جان-إيف لودريان إن المعركة في مدينة الموصل ستكون صعبة جدا على الجميع."}
{"id":"a2","source":"Site Two","date":"2016-10-25","title":"أولاند يستضيف وزراء الدفاع في باريس","text":"أكد الرئيس الفرنسي فرانسوا أولاند أن ١١ وزير دفاع حضروا اجتماع باريس لبحث الحرب على التنظيم.\nوقال نظيره جان إيف لو دريان إن معركة مدينة الموصل ستطول كثيرا بحسب مصادر عسكرية مطلعة."}
{"id":"a3","title":"وزراء دفاع 13 دولة يجتمعون في باريس","text":"اجتمع وزراء دفاع 13 دولة في باريس برئاسة الرئيس الفرنسي فرانسوا هولاند لبحث الحرب على التنظيم.\nوأضاف هولاند أن العملية في مدينة الموصل بدأت قبل أسبوع بمشاركة آلاف الجنود العراقيين."}
JSONL

out=$("$KHABAR" account "$tmp/story.jsonl"); rc=$?
check "json exit" "$rc" "0"
check "one line" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "1"
has "articles" "$out" '{"article_count":3,"headline":'
has "first_source" "$out" '"first_source":{"id":"a2","source":"Site Two","date":"2016-10-25","basis":"date","same_day":[],"originals":3,"dated":2}'
has "hollande" "$out" '"variants":["فرانسوا هولاند","هولاند","فرانسوا أولاند"]'
case "$out" in *'"فرانسوا هولاند لبحث'*) echo "FAIL a name ran past its end"; fail=1 ;; esac
has "13 vs 11" "$out" '"values":[{"value":13,"ids":["a1","a3"],"sentence":"قال الرئيس الفرنسي فرانسوا هولاند إن ثلاثة عشر وزير دفاع اجتمعوا في باريس يوم الثلاثاء لبحث الحرب."},{"value":11,"ids":["a2"],"sentence":"أكد الرئيس الفرنسي فرانسوا أولاند أن ١١ وزير دفاع حضروا اجتماع باريس لبحث الحرب على التنظيم."}]'

md=$("$KHABAR" account --format md "$tmp/story.jsonl"); rc=$?
check "md exit" "$rc" "0"
has "md headline" "$md" "## "
has "md first" "$md" "1. **first:** Site Two"
has "md names" "$md" "### Names"
has "md differ" "$md" "13 (Site One, a3); 11 (Site Two)"

printf 'Home | News | Sport\n' > "$tmp/page.txt"
err=$("$KHABAR" account "$tmp/story.jsonl" "$tmp/page.txt" 2>&1 >/dev/null); rc=$?
check "page exit" "$rc" "0"
has "page skipped" "$err" "no article found"

# a near copy: the summary quotes the original, the copy is among its sources
cat > "$tmp/copy.jsonl" <<'JSONL'
{"id":"w1","date":"2025-06-25","title":"Wire","text":"قال وزير التجارة عبد الرحمن الأنصاري إن المحطة الجديدة ستستقبل السفن العملاقة للمرة الأولى في تاريخ الميناء.\nوأضاف الأنصاري أن المشروع سيوفر نحو أربعة آلاف فرصة عمل مباشرة لأبناء المنطقة خلال خمس سنوات."}
{"id":"c1","date":"2025-06-26","title":"Copy","text":"قال وزير التجارة عبد الرحمن الانصاري إن المحطة الجديدة ستستقبل السفن العملاقة للمرة الأولى في تاريخ الميناء.\nوأضاف الانصاري أن المشروع سيوفر نحو اربعة آلاف فرصة عمل مباشرة لأبناء المنطقة خلال خمس سنوات."}
JSONL
out=$("$KHABAR" account "$tmp/copy.jsonl")
has "copy: original quoted" "$out" '"summary":[{"text":"قال وزير التجارة عبد الرحمن الأنصاري'
has "copy: both carry it" "$out" '"ids":["w1","c1"]}'
case "$out" in *'الانصاري إن المحطة'*) echo "FAIL copy quoted"; fail=1 ;; esac

# the five real seed pages, crawled text read, cleaned and told as one story
if [ -d ../shared/seeds ]; then
    out=$("$KHABAR" account ../shared/seeds/*.txt 2>/dev/null); rc=$?
    check "seeds exit" "$rc" "0"
    has "seeds five" "$out" '{"article_count":5,'
    has "seeds 13 vs 11" "$out" '"values":[{"value":13,'
    printf '%s' "$out" | grep -Eq '"values":\[\{"value":13,"ids":\["[^"]*","[^"]*"\],"sentence":"[^"]*"\},\{"value":11,"ids":\["[^"]*"\],"sentence":"[^"]*"\}\]' ||
        { echo "FAIL seeds: two reports say 13, one says 11"; fail=1; }
else
    echo "account.sh: ../shared/seeds absent, seed run skipped"
fi

"$KHABAR" account --format xml "$tmp/story.jsonl" >/dev/null 2>&1
check "bad format" "$?" "2"
"$KHABAR" account --bogus "$tmp/story.jsonl" >/dev/null 2>&1
check "bad option" "$?" "2"
tests/lib/at-terminal "$KHABAR" account >/dev/null 2>&1; rc=$?
[ "$rc" = 77 ] || check "no path at a terminal" "$rc" "2"
"$KHABAR" account "$tmp/page.txt" >/dev/null 2>&1
check "nothing usable" "$?" "1"
"$KHABAR" account --help | grep -q "khabar account" || { echo "FAIL help"; fail=1; }
exit $fail
