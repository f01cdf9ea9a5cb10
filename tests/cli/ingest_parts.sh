#!/bin/sh
# khabar ingest in parts gives the stories of one run: the sample corpus's
# files (and the seed pages, when ../shared is there) cut into k = 2..5
# parts at random places (fixed seeds), each part one run into the same
# store, give exactly the stories, and each article the why, of ingesting
# every file at once; the seed pages ingested 2 + 3 are one story; the same
# runs again add, file and commit nothing.
set -u
if ! command -v python3 >/dev/null 2>&1; then
    echo "ingest_parts: python3 missing, skipped"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find examples/corpus -type f ! -name '.*' | LC_ALL=C sort > "$tmp/files"
if [ -d ../shared/seeds ]; then
    ls ../shared/seeds/*.txt | LC_ALL=C sort >> "$tmp/files"
else
    echo "ingest_parts: ../shared/seeds absent, the examples alone are cut"
fi
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# Every run names the files one by one, so that a page has one id in all
# of them (its id is its path from the folder holding the PATH given).
"$KHABAR" ingest --db "$tmp/once.db" $(cat "$tmp/files") > /dev/null || fail "ingest at once"
"$KHABAR" stories --db "$tmp/once.db" > "$tmp/once.jsonl" || fail "stories of once.db"

mkdir "$tmp/parts"
python3 - "$tmp/files" "$tmp" <<'PY'
import random, sys
files = open(sys.argv[1]).read().split()
n = len(files)
for seed in (1, 7, 42):
    for k in range(2, 6):
        rng = random.Random(seed * 100 + k)
        cuts = sorted(rng.sample(range(1, n), k - 1)) + [n]
        start = 0
        for i, end in enumerate(cuts):
            with open("%s/parts/cut-%d-%d.%d" % (sys.argv[2], seed, k, i), "w") as f:
                f.write("\n".join(files[start:end]) + "\n")
            start = end
PY

same() { # same A.jsonl B.jsonl: the same stories (sets of article ids), and
    # each article the same why (a start's nearest story by its articles)
    python3 - "$1" "$2" <<'PY'
import json, sys
def stories(path):
    recs = [json.loads(l) for l in open(path, encoding="utf-8")]
    ids = {r["story"]: sorted(r["articles"]) for r in recs}
    whys = {}
    for r in recs:
        for aid, w in zip(r["articles"], r["why"]):
            if w and w.get("nearest"):
                w["nearest"] = ids.get(w["nearest"])
            whys[aid] = w
    return sorted(ids.values()), whys
(a, wa), (b, wb) = stories(sys.argv[1]), stories(sys.argv[2])
if a != b:
    for s in a:
        if s not in b:
            print("  only at once:", s)
    for s in b:
        if s not in a:
            print("  only in parts:", s)
bad = [k for k in wa if wa[k] is None or wa[k] != wb.get(k)]
for k in bad[:3]:
    print("  why of", k, "at once:", wa[k], "\n    in parts:", wb.get(k))
sys.exit(0 if a == b and not bad else 1)
PY
}

for cut in "$tmp"/parts/cut-*.0; do
    base=${cut%.0}
    name=$(basename "$base")
    db="$tmp/$name.db"
    for part in "$base".*; do
        "$KHABAR" ingest --db "$db" $(cat "$part") > /dev/null || fail "$name: ingest $part"
    done
    "$KHABAR" stories --db "$db" > "$tmp/$name.jsonl" || fail "$name: stories"
    same "$tmp/once.jsonl" "$tmp/$name.jsonl" || fail "$name: the parts' stories differ from one run"
    for part in "$base".*; do
        "$KHABAR" ingest --db "$db" $(cat "$part") > "$tmp/again.json" || fail "$name: again"
        grep -q '"added":0,"updated":0,' "$tmp/again.json" &&
            grep -q '"filed":0,' "$tmp/again.json" &&
            grep -q '"commits":0,' "$tmp/again.json" ||
            fail "$name: the same run again wrote: $(cat "$tmp/again.json")"
    done
done

if [ -d ../shared/seeds ]; then
    ls ../shared/seeds/*.txt | LC_ALL=C sort > "$tmp/seeds"
    "$KHABAR" ingest --db "$tmp/seeds.db" $(head -n 2 "$tmp/seeds") > /dev/null || fail "seeds 2"
    "$KHABAR" ingest --db "$tmp/seeds.db" $(tail -n 3 "$tmp/seeds") > /dev/null || fail "seeds 3"
    "$KHABAR" stories --db "$tmp/seeds.db" > "$tmp/seeds.jsonl" || fail "seeds: stories"
    [ "$(wc -l < "$tmp/seeds.jsonl")" -eq 1 ] || fail "seeds 2 + 3: $(wc -l < "$tmp/seeds.jsonl") stories, want 1"
    python3 -c 'import json,sys; sys.exit(0 if len(json.loads(open(sys.argv[1]).readline())["articles"]) == 5 else 1)' \
        "$tmp/seeds.jsonl" || fail "seeds 2 + 3: the story does not hold all five"
fi

echo "ingest_parts: $(wc -l < "$tmp/once.jsonl") stories at once"
[ "$fails" -eq 0 ]
