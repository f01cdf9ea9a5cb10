#!/bin/sh
# khabar stories links the examples' stories across languages: every
# multi-language event of examples/truth.json is one linked set (B-cubed F1
# across languages at least 0.95), no set mixes two events, each record's
# "link" carries its set, languages and why, --lang picks the headline's
# language, Markdown names the set, --no-link leaves "link" out.
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
check "examples: linked across languages as the truth says" python3 - "$tmp/out.jsonl" <<'PY'
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

"$KHABAR" stories --lang xx examples/corpus >/dev/null 2>"$tmp/err"
check "--lang xx: usage error" [ $? -eq 2 ]

if [ $fail -eq 0 ]; then echo "stories_link: 6 passed, 0 failed"; else echo "stories_link: failed"; fi
exit $fail
