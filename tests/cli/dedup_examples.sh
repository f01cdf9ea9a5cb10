#!/bin/sh
# khabar dedup on the sample corpus (JSON Lines, text pages, HTML, WARC):
# the groups of copies are exactly the wire copy groups of examples/truth.json
# (a page's body is what the cleaner finds in it). Needs python3; without it
# the check is skipped (exit 0).
: "${KHABAR:=build/khabar}"
if ! command -v python3 >/dev/null 2>&1; then
    echo "dedup_examples: python3 not found, skipped"
    exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$KHABAR" dedup --groups examples/corpus > "$out" || exit 1
python3 - "$out" <<'PY'
import json, sys
sys.path.insert(0, "tests/lib")
from corpus_ids import khabar_id as name
truth = json.load(open("examples/truth.json"))["documents"]
want = {}
for d in truth:
    if d.get("copy_of"):
        want.setdefault(d["copy_of"], {d["copy_of"]}).add(name(d))
want = sorted(sorted(g) for g in want.values())
got = []
for line in open(sys.argv[1]):
    g = json.loads(line)
    got.append(sorted(g["articles"]))
got.sort()
if got != want:
    print("want:", want)
    print("got: ", got)
    sys.exit(1)
print("dedup_examples: %d groups as in the truth" % len(got))
PY
