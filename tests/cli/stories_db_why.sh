#!/bin/sh
# Why each article is in its story, kept in the store: khabar ingest of the
# sample corpus, then khabar stories --db, gives every article the why that
# khabar stories over the same files prints (same object, same numbers; a
# start's nearest story the same story), and --explain the same Markdown
# line; a store grouped before whys were kept says null, and gets them at
# the next ingest that groups it; a why that is not one is an error.
#   KHABAR=build/khabar sh tests/cli/stories_db_why.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
command -v python3 >/dev/null || { echo "stories_db_why.sh: python3 missing, skipped"; exit 0; }
command -v sqlite3 >/dev/null || { echo "stories_db_why.sh: sqlite3 missing, skipped"; exit 0; }
tmp=$(mktemp -d /tmp/khabar-cli-why-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    d=$1; shift
    if "$@"; then :; else echo "FAIL: $d"; fail=1; fi
}
db="$tmp/news.db"

"$KHABAR" stories examples/corpus >"$tmp/batch.jsonl" 2>/dev/null
check "batch: exit 0" [ $? -eq 0 ]
"$KHABAR" ingest --db "$db" examples/corpus >/dev/null 2>&1
check "ingest: exit 0" [ $? -eq 0 ]
check "ingest: every article has its why" [ "$(sqlite3 "$db" 'select count(*) - count(why) from articles')" -eq 0 ]
"$KHABAR" stories --db "$db" >"$tmp/db.jsonl" 2>"$tmp/err"
check "--db: exit 0" [ $? -eq 0 ]
check "--db: nothing on stderr" [ ! -s "$tmp/err" ]

# same(A, B): the same stories, and per article the same why, a start's
# nearest story compared by its articles (story ids are each side's own).
cat >"$tmp/same.py" <<'PY'
import json, sys
def load(path):
    recs = [json.loads(l) for l in open(path, encoding="utf-8")]
    stories = {r["story"]: sorted(r["articles"]) for r in recs}
    whys = {}
    for r in recs:
        assert len(r["why"]) == len(r["articles"]), r["story"]
        for aid, w in zip(r["articles"], r["why"]):
            assert w is not None and w["id"] == aid, (aid, w)
            w = dict(w)
            if w.get("nearest"):
                w["nearest"] = stories[w["nearest"]]
            whys[aid] = w
    return sorted(stories.values()), whys
sa, wa = load(sys.argv[1])
sb, wb = load(sys.argv[2])
bad = [k for k in wa if wa[k] != wb.get(k)]
for k in bad[:3]:
    print("  ", k, wa[k], "\n   ", wb.get(k))
kinds = {w["decision"] for w in wa.values()}
sys.exit(0 if sa == sb and not bad and set(wa) == set(wb) and kinds == {"started", "joined", "copy"} else 1)
PY
check "--db: the batch's stories and whys" python3 "$tmp/same.py" "$tmp/batch.jsonl" "$tmp/db.jsonl"

# --explain: the same line for every article.
"$KHABAR" stories --format md --explain examples/corpus 2>/dev/null | grep '^- ' | LC_ALL=C sort >"$tmp/batch.md"
"$KHABAR" stories --db "$db" --format md --explain | grep '^- ' | LC_ALL=C sort >"$tmp/db.md"
check "--explain: a line per article" [ "$(grep -c ' — \(started\|joined\|a copy\)' "$tmp/db.md")" -eq "$(sqlite3 "$db" 'select count(*) from articles')" ]
check "--explain: joined lines" grep -q ' — joined at 0\.[0-9][0-9] (cosine ' "$tmp/db.md"
check "--explain: the batch's lines" cmp -s "$tmp/batch.md" "$tmp/db.md"

# A store grouped before whys were kept: null until the next ingest that
# groups it, which writes every why.
cp "$db" "$tmp/old.db"
sqlite3 "$tmp/old.db" "update articles set why = null"
"$KHABAR" stories --db "$tmp/old.db" >"$tmp/old.jsonl" 2>"$tmp/err"
check "no whys: exit 0" [ $? -eq 0 ]
check "no whys: null for each article" python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
sys.exit(0 if recs and all(r["why"] == [None] * len(r["articles"]) for r in recs) else 1)' "$tmp/old.jsonl"
"$KHABAR" stories --db "$tmp/old.db" --format md --explain | grep -q ' — not explained yet$'
check "no whys: --explain says so" [ $? -eq 0 ]
printf '{"id":"new-1","title":"Heavy rain in a far town","text":"Heavy rain fell on a far town today and roads were closed for hours.","date":"2025-08-30"}\n' >"$tmp/new.jsonl"
"$KHABAR" ingest --db "$tmp/old.db" "$tmp/new.jsonl" >"$tmp/ingest.json" 2>&1
check "no whys: an ingest that groups: exit 0" [ $? -eq 0 ]
check "no whys: then every article has its why" [ "$(sqlite3 "$tmp/old.db" 'select count(*) - count(why) from articles')" -eq 0 ]
"$KHABAR" ingest --db "$tmp/old.db" "$tmp/new.jsonl" >"$tmp/again.json" 2>&1
check "no whys: the same ingest again commits nothing" grep -q '"commits":0' "$tmp/again.json"

# A stored why that is not one is reported, naming its story.
cp "$db" "$tmp/bad.db"
sid=$(sqlite3 "$tmp/bad.db" "select story_id from articles order by n limit 1")
sqlite3 "$tmp/bad.db" "update articles set why = '{\"decision\": 7' where n = (select min(n) from articles)"
"$KHABAR" stories --db "$tmp/bad.db" >"$tmp/out" 2>"$tmp/err"
check "bad why: exit 1" [ $? -eq 1 ]
check "bad why: names the story" grep -q "story $sid: why JSON" "$tmp/err"

exit $fail
