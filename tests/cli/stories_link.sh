#!/bin/sh
# khabar stories links the examples' stories across languages: every
# multi-language event of examples/truth.json is one linked set (B-cubed F1
# across languages at least 0.95), no set mixes two events, each record's
# "link" carries its set, languages and why, --lang picks the headline's
# language, Markdown names the set, --no-link leaves "link" out, and
# stories --db and khabar serve link a store's stories as they read them.
#   KHABAR=build/khabar sh tests/cli/stories_link.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
command -v python3 >/dev/null 2>&1 || { echo "stories_link: python3 not found, skipped"; exit 0; }
tmp=$(mktemp -d /tmp/khabar-cli-link-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    d=$1; shift
    if "$@"; then :; else echo "FAIL: $d"; fail=1; fi
}

"$KHABAR" stories examples/corpus >"$tmp/out.jsonl" 2>"$tmp/err"
check "examples: exit 0" [ $? -eq 0 ]
cat >"$tmp/score.py" <<'PY'
import json, sys
truth = {}
t = json.load(open("examples/truth.json", encoding="utf-8"))
for d in t["documents"]:
    f = d.get("file") or ""
    for k in (d.get("id"), f.split("/")[-1].rsplit(".", 1)[0] if f else None):
        if k:
            truth[k] = d["story"]
# the WARC's records are named by their URI in khabar's output
for row in open("examples/warc-src/records.tsv", encoding="utf-8"):
    f = row.rstrip("\n").split("\t")
    for x in f:
        if x in truth:
            for y in f:
                truth.setdefault(y, truth[x])
def key(a):
    for c in (a, a.split("/")[-1], a.split("/")[-1].rsplit(".", 1)[0]):
        if c in truth:
            return c
    sys.exit("no truth for " + a)
pred = {}
ok = True
for line in open(sys.argv[1], encoding="utf-8"):
    s = json.loads(line)
    link = s["link"]
    if link is not None:
        if s["story"] not in link["stories"] or len(set(link["langs"])) < 2:
            print("bad link", s["story"], link); ok = False
        w = link["why"]
        if not (w["names"] or w["numbers"]):
            print("a link without names or numbers", s["story"]); ok = False
    for a in s["articles"]:
        pred[key(a)] = link["set"] if link else "alone-%d" % s["story"]
ks = list(pred)
bp = br = 0.0
for k in ks:
    same_p = [x for x in ks if pred[x] == pred[k]]
    same_t = [x for x in ks if truth[x] == truth[k]]
    both = [x for x in same_p if truth[x] == truth[k]]
    bp += len(both) / len(same_p)
    br += len(both) / len(same_t)
bp /= len(ks); br /= len(ks)
f1 = 2 * bp * br / (bp + br)
mixed = [p for p in set(pred.values()) if len({truth[k] for k in ks if pred[k] == p}) > 1]
print("linked B-cubed F1 %.4f (P %.4f R %.4f), %d sets mixing events" % (f1, bp, br, len(mixed)))
sys.exit(0 if ok and f1 >= 0.95 and not mixed else 1)
PY
check "examples: linked across languages as the truth says" python3 "$tmp/score.py" "$tmp/out.jsonl"

# The store keeps no links: stories --db finds them as it reads the store.
"$KHABAR" ingest --db "$tmp/x.db" examples/corpus >/dev/null 2>&1
"$KHABAR" stories --db "$tmp/x.db" >"$tmp/db.jsonl" 2>/dev/null
check "--db: linked as the truth says" python3 "$tmp/score.py" "$tmp/db.jsonl"

# The port deal: its Arabic story shows the English headline to an English
# reader, and shares Marsa al-Nakhil and 1.2 billion.
"$KHABAR" stories --lang en examples/corpus >"$tmp/en.jsonl" 2>/dev/null
check "--lang en: the Arabic port story has an English headline" python3 - "$tmp/en.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    s = json.loads(line)
    if "sharq-20250625-017" in s["articles"]:
        l = s["link"]
        ok = (l is not None and "en" in l["langs"] and l["headline"].startswith("Amwaj")
              and "1200000000" in l["why"]["numbers"]
              and any("Nakhil" in n or "Nakheel" in n for n in l["why"]["names"]))
        sys.exit(0 if ok else 1)
sys.exit(1)
PY

"$KHABAR" stories --format md examples/corpus >"$tmp/out.md" 2>/dev/null
check "md: a linked story names its set" grep -q '^One event across languages (set [0-9]*, score [0-9.]*): story ' "$tmp/out.md"

"$KHABAR" stories --no-link examples/corpus >"$tmp/nolink.jsonl" 2>/dev/null
check "--no-link: no link key" sh -c "! grep -q '\"link\":' '$tmp/nolink.jsonl'"
check "--no-link: the same stories" [ "$(wc -l <"$tmp/nolink.jsonl")" -eq "$(wc -l <"$tmp/out.jsonl")" ]

# The web page and the API link a story's window of the store.
if command -v curl >/dev/null 2>&1; then
    "$KHABAR" serve --db "$tmp/x.db" --port 0 2>"$tmp/serve.err" &
    pid=$!
    port=
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
        port=$(sed -n 's|^serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.err")
        [ -n "$port" ] && break
        sleep 0.1
    done
    if [ -n "$port" ]; then
        curl -s --max-time 10 "http://127.0.0.1:$port/api/story/1?ui=en" >"$tmp/api.json"
        check "serve: /api/story/1 links the port deal, English headline for ui=en" python3 - "$tmp/api.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
l = d["link"]
sys.exit(0 if l and l["langs"] == ["ar", "en"] and l["headline"].startswith("Amwaj")
         and "1200000000" in l["why"]["numbers"] else 1)
PY
        curl -s --max-time 10 "http://127.0.0.1:$port/story/1" >"$tmp/story.html"
        check "serve: the story page names its event in English" sh -c "grep -q '<section class=\"links\">' '$tmp/story.html' && grep -q '^<li><a href=\"/story/2\">' '$tmp/story.html'"
    else
        check "serve: started" false
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
fi

"$KHABAR" stories --lang xx examples/corpus >/dev/null 2>"$tmp/err"
check "--lang xx: usage error" [ $? -eq 2 ]

if [ $fail -eq 0 ]; then echo "stories_link: all checks held"; else echo "stories_link: failed"; fi
exit $fail
