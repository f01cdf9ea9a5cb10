#!/bin/sh
# khabar stories holds what its open stories need, not the whole stream: a
# stream of small dated articles four times longer (as many a day, four
# times the days) stays under the same memory bound as the short one, and
# every article is in exactly one story. Before, each article kept about
# 4.7 KB until the end (375 MiB for the long stream).
#   KHABAR=build/khabar sh tests/cli/stories_memory.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
if ! command -v python3 >/dev/null 2>&1; then
    echo "stories_memory: python3 missing, skipped"
    exit 0
fi
tmp=$(mktemp -d /tmp/khabar-cli-stories-memory-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0

short=20000
long=80000
if [ "${KH_BOUND_SCALE:-1}" != 1 ]; then
    # sanitizer build: slower, so shorter streams; and freed memory waits in
    # ASan's quarantine, which would be measured as if the program held it
    short=5000
    long=20000
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8"
    export ASAN_OPTIONS
fi
# The short stream takes about 40 MiB, the long one about 55 MiB.
mib=112 # 80k articles peak near 66 MiB, 11 MiB more with the FreeDict lexicon; one
        # held copy of each would be ~380

for n in $short $long; do
    python3 tests/lib/gen-stream "$n" >"$tmp/in.jsonl"
    python3 tests/lib/bounded 90 "$mib" "$KHABAR" stories "$tmp/in.jsonl" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL: $n articles: exit $rc"
        cat "$tmp/err"
        fail=1
        continue
    fi
    if [ -s "$tmp/err" ]; then
        echo "FAIL: $n articles: stderr not empty"
        cat "$tmp/err"
        fail=1
    fi
    python3 - "$tmp/out" "$n" <<'PY' || { echo "FAIL: $n articles: not one story each"; fail=1; }
import json, sys
seen = set()
stories = 0
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    stories += 1
    if r["story"] != stories:
        sys.exit("story %d printed as %d" % (stories, r["story"]))
    for a in r["articles"]:
        if a in seen:
            sys.exit("%s in two stories" % a)
        seen.add(a)
n = int(sys.argv[2])
if len(seen) != n or not n // 5 < stories < n:
    sys.exit("%d articles in %d stories" % (len(seen), stories))
PY
done
exit "$fail"
