#!/bin/sh
# khabar stories --db: the stories khabar ingest filed in a store, printed in
# the record shape (and Markdown) of khabar stories PATH..., read-only.
#   KHABAR=build/khabar sh tests/cli/stories_db.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
tmp=$(mktemp -d /tmp/khabar-cli-stories-db-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    d=$1; shift
    if "$@"; then :; else echo "FAIL: $d"; fail=1; fi
}
db="$tmp/news.db"
count() { # count SQL: one number from the store
    sqlite3 "$db" "$1"
}

# The seeds first (when present), then the examples in a second run.
have_seeds=0
if [ -f ../shared/seeds/000_02b5dd302558214f.txt ]; then
    have_seeds=1
    "$KHABAR" ingest --db "$db" ../shared/seeds/*.txt >"$tmp/ingest1" 2>"$tmp/err"
    check "ingest seeds: exit 0" [ $? -eq 0 ]
fi
"$KHABAR" ingest --db "$db" examples/corpus >"$tmp/ingest2" 2>"$tmp/err"
check "ingest examples: exit 0" [ $? -eq 0 ]

# A summary that cannot be written is an error, though the store is kept.
if [ -w /dev/full ]; then
    "$KHABAR" ingest --db "$db" examples/corpus >/dev/full 2>"$tmp/err"
    check "ingest to a full disk: exit 1" [ $? -eq 1 ]
    check "ingest to a full disk: says so" grep -q "cannot write output" "$tmp/err"
fi

# Reading changes nothing in the file.
sum_before=$(cksum <"$db")
"$KHABAR" stories --db "$db" >"$tmp/out" 2>"$tmp/err"
check "jsonl: exit 0" [ $? -eq 0 ]
check "jsonl: nothing on stderr" [ ! -s "$tmp/err" ]
check "jsonl: the file is left as it was" [ "$(cksum <"$db")" = "$sum_before" ]
n_db=$(count "select count(*) from stories")
check "jsonl: more than a few stories stored" [ "$n_db" -gt 5 ]
check "jsonl: one record per stored story" [ "$(wc -l <"$tmp/out")" -eq "$n_db" ]
check "jsonl: record shape" grep -q '^{"story": [0-9]*, "articles": \["[^"]*"' "$tmp/out"
check "jsonl: account inside the record" grep -q '"headline":.*"sources":\[.*"first_source":{.*"summary":\[.*"entities":\[.*"disagreements":\[' "$tmp/out"
check "jsonl: no time span (first/last are the record's)" [ "$(grep -c '"time":{' "$tmp/out")" -eq 0 ]
# story-id order: the ids as sqlite3 lists them, ascending
sed 's/^{"story": \([0-9]*\),.*/\1/' "$tmp/out" >"$tmp/ids"
count "select id from stories order by id" >"$tmp/ids_db"
check "jsonl: story-id order, every stored story" cmp -s "$tmp/ids" "$tmp/ids_db"
# each story's article list is the one stored
first_id=$(head -n 1 "$tmp/ids")
n_art=$(count "select count(*) from articles where story_id = $first_id")
line=$(head -n 1 "$tmp/out")
articles=$(printf '%s\n' "$line" | sed 's/.*"articles": \[\([^]]*\)\].*/\1/')
check "jsonl: the first story's articles" [ "$(printf '%s\n' "$articles" | grep -o '"[^"]*"' | wc -l)" -eq "$n_art" ]
check "jsonl: every filed article listed once" [ "$(sed 's/.*"articles": \[\([^]]*\)\].*/\1/' "$tmp/out" | grep -o '"[^"]*"' | wc -l)" -eq "$(count "select count(*) from articles where story_id is not null")" ]

if [ "$have_seeds" -eq 1 ]; then
    line=$(grep '"articles": \[[^]]*000_02b5dd302558214f.txt' "$tmp/out")
    articles=$(printf '%s\n' "$line" | sed 's/.*"articles": \[\([^]]*\)\].*/\1/')
    check "seeds: one story holds all five" [ "$(printf '%s\n' "$articles" | grep -o '00[0-4]_[0-9a-f]*\.txt' | sort -u | wc -l)" -eq 5 ]
    check "seeds: and nothing else" [ "$(printf '%s\n' "$articles" | grep -o '"[^"]*"' | grep -vc '^"00[0-4]_')" -eq 0 ]
    check "seeds: dated" grep -q '"first": "2016-10-2[0-9]"' "$tmp/out"
fi

# The account read back is the stored one: same members, "first" as
# "first_source", the time span left to the record.
if command -v python3 >/dev/null 2>&1; then
    sqlite3 -json "$db" "select id, first, last, account_json, independent_sources, wire from stories" >"$tmp/rows.json"
    sqlite3 -json "$db" "select id, story_id, copy_of, copy_relation from articles where copy_of is not null" >"$tmp/copies.json"
    python3 - "$tmp/out" "$tmp/rows.json" "$tmp/copies.json" >"$tmp/py" 2>&1 <<'PY'
import json, sys
out = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
rows = {r["id"]: r for r in json.load(open(sys.argv[2], encoding="utf-8"))}
text = open(sys.argv[3], encoding="utf-8").read().strip()
stored_copies = {}
for c in (json.loads(text) if text else []):
    stored_copies.setdefault(c["story_id"], set()).add((c["id"], c["copy_of"], c["copy_relation"]))
bad = 0
copies_seen = 0
for rec in out:
    row = rows[rec["story"]]
    acc = json.loads(row["account_json"])
    want = dict(acc)
    want.pop("time", None)
    prov = ("copies", "independent_sources", "wire")
    got = {k: v for k, v in rec.items() if k not in ("story", "articles", "first", "last", "why", "link") + prov}
    # the provenance is the stored one: the story's columns, its articles' copy relation
    if rec.get("independent_sources") != row["independent_sources"] or rec.get("wire") != row["wire"]:
        print("story", rec["story"], "provenance differs from the stored story")
        bad = 1
    copies = {(c["id"], c["copy_of"], c["relation"]) for c in rec.get("copies", [])}
    copies_seen += len(copies)
    if copies != stored_copies.get(rec["story"], set()):
        print("story", rec["story"], "copies differ from the stored ones")
        bad = 1
    if len(rec["why"]) != len(rec["articles"]) or any(w["id"] != a for a, w in zip(rec["articles"], rec["why"])):
        print("story", rec["story"], "has not a why per article")
        bad = 1
    if got != want or rec["first"] != row["first"] or rec["last"] != row["last"]:
        print("story", rec["story"], "differs from the stored account")
        bad = 1
if copies_seen == 0:
    print("no copy relation stored: the examples hold wire copies")
    bad = 1
sys.exit(bad)
PY
    check "jsonl: accounts as stored ($(head -c 200 "$tmp/py"))" [ $? -eq 0 ]
fi

# Markdown: every stored headline, in a story section.
"$KHABAR" stories --db "$db" --format md >"$tmp/md" 2>"$tmp/err"
check "md: exit 0" [ $? -eq 0 ]
check "md: one section per story" [ "$(grep -c '^## Story [0-9]* (' "$tmp/md")" -eq "$n_db" ]
headline=$(count "select headline from stories where headline is not null order by id limit 1")
check "md: the headline" grep -qF "## $headline" "$tmp/md"
check "md: sources listed" grep -q '^1\. \*\*first:\*\* ' "$tmp/md"

# A missing store is an error naming it, and is not created.
"$KHABAR" stories --db "$tmp/missing.db" >"$tmp/out" 2>"$tmp/err"
check "missing: exit 1" [ $? -eq 1 ]
check "missing: names the file" grep -q "missing.db" "$tmp/err"
check "missing: not created" [ ! -e "$tmp/missing.db" ]
# A file that is not a store.
printf 'not a database\n' >"$tmp/text.db"
"$KHABAR" stories --db "$tmp/text.db" >"$tmp/out" 2>"$tmp/err"
check "not a store: exit 1" [ $? -eq 1 ]
check "not a store: names the file" grep -q "text.db" "$tmp/err"
# A damaged account is reported, not printed half.
cp "$db" "$tmp/bad.db"
sqlite3 "$tmp/bad.db" "update stories set account_json = '{\"headline\": 3' where id = $first_id"
"$KHABAR" stories --db "$tmp/bad.db" >"$tmp/out" 2>"$tmp/err"
check "bad account: exit 1" [ $? -eq 1 ]
check "bad account: names the story" grep -q "story $first_id" "$tmp/err"

# Usage: --db with a PATH, neither, --db without a value.
"$KHABAR" stories --db "$db" examples/corpus >"$tmp/out" 2>"$tmp/err"
check "--db and PATH: exit 2" [ $? -eq 2 ]
check "--db and PATH: says why" grep -q "not PATHs" "$tmp/err"
tests/lib/at-terminal "$KHABAR" stories >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" = 77 ] || check "no PATH, no --db, at a terminal: exit 2" [ "$rc" -eq 2 ]
"$KHABAR" stories --db >"$tmp/out" 2>"$tmp/err"
check "--db without FILE: exit 2" [ $? -eq 2 ]
"$KHABAR" help stories >"$tmp/out" 2>&1
check "help: --db explained" grep -q -- "--db FILE" "$tmp/out"

exit $fail
