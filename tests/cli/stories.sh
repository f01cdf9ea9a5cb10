#!/bin/sh
# khabar stories: the five seed pages are one story, alone or among the
# example corpus; story records, Markdown, window units, usage errors.
#   KHABAR=build/khabar sh tests/cli/stories.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
tmp=$(mktemp -d /tmp/khabar-cli-stories-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    d=$1; shift
    if "$@"; then :; else echo "FAIL: $d"; fail=1; fi
}
seeds="../shared/seeds/000_02b5dd302558214f.txt ../shared/seeds/001_e5e8996a57b39473.txt
../shared/seeds/002_46818648ec8291de.txt ../shared/seeds/003_09aa0d00c3f3b8eb.txt
../shared/seeds/004_8d7b766b72d184e1.txt"

# The seeds alone: one story of five.
# shellcheck disable=SC2086
"$KHABAR" stories $seeds >"$tmp/out" 2>"$tmp/err"
check "seeds: exit 0" [ $? -eq 0 ]
check "seeds: one story" [ "$(wc -l <"$tmp/out")" -eq 1 ]
# (the record also holds the story's account, which names articles too:
# count in the "articles" list only)
check "seeds: five articles" [ "$(sed 's/.*"articles": \[\([^]]*\)\].*/\1/' "$tmp/out" | grep -o '\.txt"' | wc -l)" -eq 5 ]
check "seeds: account" grep -q '"headline":.*"first_source":.*"disagreements":\[{"about":' "$tmp/out"
check "seeds: record shape" grep -q '^{"story": 1, "articles": \["000_02b5dd302558214f.txt", ' "$tmp/out"

# Every article of every story says why it is there: the first started the
# story, the others joined it above the threshold on terms they share, or
# came as a copy; --explain says the same in Markdown.
if command -v python3 >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    "$KHABAR" stories $seeds >"$tmp/why.jsonl" 2>/dev/null
    check "why: one per article, in order, each decided" python3 - "$tmp/why.jsonl" <<'PY'
import json, sys
ok = True
for line in open(sys.argv[1], encoding="utf-8"):
    s = json.loads(line)
    why = s["why"]
    ok &= [w["id"] for w in why] == s["articles"]
    ok &= why[0]["decision"] == "started"
    for w in why[1:]:
        if w["decision"] == "joined":
            ok &= 0.35 <= w["score"] <= w["cosine"] + 1e-9 and w["time_factor"] <= 1
            ok &= len(w["terms"]) > 0 and all(t["share"] > 0 for t in w["terms"])
            ok &= sum(t["share"] for t in w["terms"]) <= w["cosine"] + 1e-3
        else:
            ok &= w["decision"] == "copy"
    ok &= any(t["term"] == "كارتر" for w in why for t in w.get("terms", []))
sys.exit(0 if ok else 1)
PY
fi
# shellcheck disable=SC2086
"$KHABAR" stories --format md --explain $seeds >"$tmp/why.md" 2>/dev/null
check "why: --explain in Markdown" grep -q '^- 001_e5e8996a57b39473.txt — joined at 0\.[0-9][0-9] (cosine ' "$tmp/why.md"
check "why: --explain names the start" grep -q '^- 000_02b5dd302558214f.txt — started a story' "$tmp/why.md"
# shellcheck disable=SC2086
"$KHABAR" stories --format md $seeds >"$tmp/plain.md" 2>/dev/null
check "why: plain Markdown lists ids only" grep -q '^- 001_e5e8996a57b39473.txt$' "$tmp/plain.md"

# The examples' English port deal and the floods in the same city three
# days later share a city and a minister, not an event: never one story.
if [ -d examples/corpus ] && command -v python3 >/dev/null 2>&1; then
    "$KHABAR" stories examples/corpus >"$tmp/ex.jsonl" 2>/dev/null
    check "examples: port deal and floods apart" python3 - "$tmp/ex.jsonl" <<'PY'
import json, sys
port = {"corpus/html/gulfledger-amwaj-terminal.html", "ct-0626-ports"}
flood = {"corpus/pages/gulfledger/marsa-floods-seven.txt", "ct-0629-floods"}
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    ids = set(json.loads(line)["articles"])
    seen |= ids & (port | flood)
    if ids & port and ids & flood:
        sys.exit(1)
sys.exit(0 if seen == port | flood else 1)
PY
fi

# Among the examples: the seeds' story holds the five seeds and nothing else.
if [ -d examples/corpus ]; then
    # shellcheck disable=SC2086
    "$KHABAR" stories $seeds examples/corpus >"$tmp/out" 2>"$tmp/err"
    check "with examples: exit 0" [ $? -eq 0 ]
    line=$(grep '000_02b5dd302558214f.txt' "$tmp/out")
    articles=$(printf '%s\n' "$line" | sed 's/.*"articles": \[\([^]]*\)\].*/\1/')
    check "with examples: seeds together" [ "$(printf '%s\n' "$articles" | grep -o '00[0-4]_[0-9a-f]*\.txt' | wc -l)" -eq 5 ]
    check "with examples: nothing else joins" [ "$(printf '%s\n' "$articles" | grep -o '"[^"]*"' | grep -vc '^"00[0-4]_')" -eq 0 ]
    check "with examples: seeds dated by the cleaner" grep -q '"first": "2016-10-2[0-9]"' "$tmp/out"
    check "with examples: more stories" [ "$(wc -l <"$tmp/out")" -gt 5 ]
fi

# The example corpus against its truth: B-cubed F1 of the stories, with the
# truth's stories split by language (stories are built per language).
if [ -d examples/corpus ] && command -v python3 >/dev/null 2>&1; then
    "$KHABAR" stories examples/corpus >"$tmp/ex" 2>/dev/null
    f1=$(python3 - "$tmp/ex" examples/truth.json <<'PY'
import json, os, sys
sys.path.insert(0, "tests/lib")
from corpus_ids import khabar_id
truth = {}
for d in json.load(open(sys.argv[2]))["documents"]:
    truth[khabar_id(d)] = (d["story"], d["lang"])
pred = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    for a in r["articles"]:
        pred[a] = r["story"]
ids = [i for i in truth if i in pred]
if len(ids) != len(truth):
    print(0)
    sys.exit()
p = r = 0.0
for i in ids:
    c = [j for j in ids if pred[j] == pred[i]]
    t = [j for j in ids if truth[j] == truth[i]]
    both = len([j for j in c if truth[j] == truth[i]])
    p += both / len(c)
    r += both / len(t)
p /= len(ids)
r /= len(ids)
print("%.4f" % (2 * p * r / (p + r)))
PY
)
    echo "examples: B-cubed F1 per language $f1"
    # 0.86 at the default threshold (0.35, chosen on real labelled data:
    # src/kh_story.c); the examples are paraphrased harder than real outlets
    # write, and a few of their reports now start stories of their own.
    check "examples: B-cubed F1 per language >= 0.85" python3 -c "import sys; sys.exit(0 if float('$f1') >= 0.85 else 1)"
fi

# Dates, JSONL input, window units and Markdown.
cat >"$tmp/a.jsonl" <<'JSONL'
{"id":"a1","date":"2024-11-10","title":"Floods sweep Jeddah after record rainfall","text":"Torrential rain flooded streets across Jeddah, and the Civil Defense rescued 212 people from stranded cars in the southern districts."}
{"id":"a2","date":"2024-11-10T14:30:00Z","title":"Rescue teams pull hundreds from flooded cars in Jeddah","text":"Civil Defense crews in Jeddah rescued 212 residents whose cars were swept away by floodwater in the southern districts."}
{"id":"a3","date":"2024-11-15","title":"Jeddah floods: rescued residents return","text":"Civil Defense teams in Jeddah said the 212 people rescued from flooded cars in the southern districts had returned home."}
JSONL
"$KHABAR" stories --window 3d "$tmp/a.jsonl" >"$tmp/out" 2>"$tmp/err"
check "jsonl: exit 0" [ $? -eq 0 ]
check "jsonl: window closes the first story" [ "$(wc -l <"$tmp/out")" -eq 2 ]
check "jsonl: first/last" grep -q '"articles": \["a1", "a2"\], "first": "2024-11-10", "last": "2024-11-10T14:30"' "$tmp/out"
"$KHABAR" stories --window 15d "$tmp/a.jsonl" >"$tmp/out" 2>"$tmp/err"
check "jsonl: a longer window keeps it open" [ "$(wc -l <"$tmp/out")" -eq 1 ]
"$KHABAR" stories --format md --window 4320m "$tmp/a.jsonl" >"$tmp/out" 2>"$tmp/err"
check "md: heading" grep -q '^## Story 1 (en, 2 articles, 2024-11-10 to 2024-11-10T14:30)$' "$tmp/out"
check "md: items" grep -q '^- a3$' "$tmp/out"

# Usage errors exit 2.
"$KHABAR" stories --window 3x "$tmp/a.jsonl" >/dev/null 2>"$tmp/err"
check "bad window: exit 2" [ $? -eq 2 ]
check "bad window: message" grep -q "bad --window '3x'" "$tmp/err"
"$KHABAR" stories --threshold 2 "$tmp/a.jsonl" >/dev/null 2>&1
check "bad threshold: exit 2" [ $? -eq 2 ]
"$KHABAR" stories --bogus "$tmp/a.jsonl" >/dev/null 2>&1
check "unknown option: exit 2" [ $? -eq 2 ]
tests/lib/at-terminal "$KHABAR" stories >/dev/null 2>&1; rc=$?
[ "$rc" = 77 ] || check "no path at a terminal: exit 2" [ "$rc" -eq 2 ]
"$KHABAR" stories --help >"$tmp/out"
check "help" grep -q '^usage: khabar stories' "$tmp/out"
"$KHABAR" stories "$tmp/missing.jsonl" >/dev/null 2>"$tmp/err"
check "missing file reported" grep -q 'missing.jsonl' "$tmp/err"
exit $fail
