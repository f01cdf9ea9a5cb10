#!/bin/sh
# Ingest is incremental: the sample corpus stored in two runs (its files
# split in two halves) gives the same stories as one run, and a third run
# of everything changes nothing. The port deal and the flood (truth stories
# 1 and 2) share their city, minister and week on purpose, so whether their
# borderline reports join depends on everything before them in the stream:
# they are compared too, since ingest groups the whole stored stream again.
set -u
if ! command -v python3 >/dev/null 2>&1; then
    echo "ingest_halves: python3 missing, skipped"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find examples/corpus -type f ! -name '.*' | LC_ALL=C sort > "$tmp/files"
n=$(wc -l < "$tmp/files")
half=$((n / 2))
head -n "$half" "$tmp/files" > "$tmp/first"
tail -n +"$((half + 1))" "$tmp/files" > "$tmp/second"

# Every run names the files one by one, so that a page has one id in all
# of them (its id is its path from the folder holding the PATH given).
"$KHABAR" ingest --db "$tmp/one.db" $(cat "$tmp/files") > /dev/null || exit 1
"$KHABAR" ingest --db "$tmp/two.db" $(cat "$tmp/first") > /dev/null || exit 1
"$KHABAR" ingest --db "$tmp/two.db" $(cat "$tmp/second") > /dev/null || exit 1
"$KHABAR" stories --db "$tmp/one.db" > "$tmp/one.jsonl" || exit 1
"$KHABAR" stories --db "$tmp/two.db" > "$tmp/two.jsonl" || exit 1
"$KHABAR" ingest --db "$tmp/two.db" $(cat "$tmp/files") > "$tmp/again.json" || exit 1
"$KHABAR" stories --db "$tmp/two.db" > "$tmp/two-again.jsonl" || exit 1

python3 - "$tmp/one.jsonl" "$tmp/two.jsonl" "$tmp/two-again.jsonl" "$tmp/again.json" <<'PY'
import json, os, sys
sys.path.insert(0, "tests/lib")
from corpus_ids import khabar_id
truth = json.load(open("examples/truth.json", encoding="utf-8"))
entangled = set()  # none left out: parts give exactly the batch's stories
def groups(path):
    out = []
    for l in open(path, encoding="utf-8"):
        ids = sorted(a for a in json.loads(l)["articles"] if a not in entangled)
        if ids:
            out.append(ids)
    return sorted(out)
one, two, again = groups(sys.argv[1]), groups(sys.argv[2]), groups(sys.argv[3])
ok = True
if one != two:
    print("two halves differ from one batch:")
    print(" one:", one)
    print(" two:", two)
    ok = False
if two != again:
    print("a repeated ingest changed the stories")
    ok = False
added = json.load(open(sys.argv[4], encoding="utf-8"))["added"]
if added != 0:
    print("a repeated ingest added", added, "articles")
    ok = False
print("stories:", len(one))
sys.exit(0 if ok else 1)
PY
