#!/bin/sh
# Undated pages find their story whatever the order of the inputs: the five
# seeds (one of them dated) stay one story when the sample corpus comes
# first, through `khabar stories` and through one `khabar ingest` call.
set -u
seeds=../shared/seeds
if [ ! -d "$seeds" ] || ! command -v python3 >/dev/null 2>&1; then
    echo "undated: ../shared/seeds or python3 missing, skipped"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# one_story FILE: the seeds are exactly one story's articles.
one_story() {
    python3 - "$1" <<'PY'
import json, sys
seeds = set()
for line in open(sys.argv[1], encoding="utf-8"):
    s = json.loads(line)
    ids = [a for a in s["articles"] if a[:3].isdigit() and a.endswith(".txt")]
    if ids:
        seeds.add(tuple(sorted(s["articles"])))
ok = len(seeds) == 1 and len(next(iter(seeds))) == 5
print("seed stories:", sorted(seeds))
sys.exit(0 if ok else 1)
PY
}

"$KHABAR" stories examples/corpus "$seeds"/*.txt > "$tmp/files.jsonl" 2>"$tmp/err" || fail=1
one_story "$tmp/files.jsonl" || { echo "FAIL: stories, corpus first"; fail=1; }

"$KHABAR" ingest --db "$tmp/news.db" examples/corpus "$seeds"/*.txt > /dev/null 2>>"$tmp/err" || fail=1
"$KHABAR" stories --db "$tmp/news.db" > "$tmp/db.jsonl" 2>>"$tmp/err" || fail=1
one_story "$tmp/db.jsonl" || { echo "FAIL: one ingest call, corpus first"; fail=1; }

[ "$fail" -eq 0 ] || cat "$tmp/err"
exit "$fail"
