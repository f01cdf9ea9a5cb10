#!/bin/sh
# khabar ingest killed with SIGKILL in the middle of a large run, then run
# again: the file passes PRAGMA integrity_check and khabar's own check, and
# every article is there exactly once, each filed under a story with the
# why an uninterrupted run gives it.
# Reads the corpus from ../shared (skipped with a message when absent).
set -u
KHABAR=${KHABAR:-build/khabar}
corpus=../shared/corpora/saudinewsnet/articles.jsonl.gz
[ -f "$corpus" ] || { echo "ingest_kill.sh: $corpus missing, skipped"; exit 0; }
command -v python3 >/dev/null || { echo "ingest_kill.sh: python3 missing, skipped"; exit 0; }
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# count SQL: one number from the store (python3's sqlite3 module: the store's
# tokenizer is not needed for plain tables).
count() {
    python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=10); print(c.execute(sys.argv[2]).fetchone()[0])' \
        "$tmp/news.db" "$1"
}

# 1200 articles, and how many distinct ids they hold.
want=$(python3 - "$corpus" "$tmp/in.jsonl" <<'PY'
import gzip, json, sys
ids = set()
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as dst:
    for i, line in enumerate(src):
        if i == 1200:
            break
        dst.write(line)
        ids.add(str(json.loads(line)["id"]))
print(len(ids))
PY
)

"$KHABAR" ingest --db "$tmp/news.db" --batch 100 "$tmp/in.jsonl" > "$tmp/run1.out" 2>&1 &
pid=$!
# Kill it once some batches are in, while it is still writing.
n=0
for _ in $(seq 1 200); do
    sleep 0.05
    [ -f "$tmp/news.db" ] || continue
    n=$(count 'SELECT count(*) FROM articles' 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 200 ] && break
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
partial=$(count 'SELECT count(*) FROM articles')
echo "killed after $partial of $want articles"
[ "$partial" -lt "$want" ] || echo "note: the first run ended before it was killed"
[ $((partial % 100)) = 0 ] || fail "a partial batch survived the kill: $partial articles"

"$KHABAR" ingest --db "$tmp/news.db" --batch 100 "$tmp/in.jsonl" > "$tmp/run2.out" || fail "second run: $(cat "$tmp/run2.out")"
cat "$tmp/run2.out"
grep -q "\"unchanged\":$partial," "$tmp/run2.out" || fail "second run did not find the $partial stored articles unchanged"
[ "$(count 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
[ "$(count 'SELECT count(*) FROM articles')" = "$want" ] || fail "articles: $(count 'SELECT count(*) FROM articles'), want $want"
[ "$(count 'SELECT count(DISTINCT id) FROM articles')" = "$want" ] || fail "an article is doubled"
[ "$(count 'SELECT count(*) FROM articles WHERE story_id IS NULL')" = 0 ] || fail "articles without a story"
[ "$(count 'SELECT count(*) FROM stories WHERE id NOT IN (SELECT story_id FROM articles)')" = 0 ] \
    || fail "stories without articles"
"$KHABAR" ingest --db "$tmp/news.db" --check > "$tmp/check.out" || fail "khabar check: $(cat "$tmp/check.out")"
grep -q '"check":"ok"' "$tmp/check.out" || fail "no check result"

# Killed while filing (every article stored, some filed): filing commits a
# story at a time, so the kill leaves whole stories, each with its articles
# and its account, and the next run files the rest.
rm -f "$tmp/news.db" "$tmp/news.db-wal" "$tmp/news.db-shm"
"$KHABAR" ingest --db "$tmp/news.db" --batch 500 "$tmp/in.jsonl" > "$tmp/run4.out" 2>&1 &
pid=$!
stored=0
for _ in $(seq 1 400); do
    sleep 0.05
    [ -f "$tmp/news.db" ] || continue
    stored=$(count 'SELECT count(*) FROM articles' 2>/dev/null || echo 0)
    [ "${stored:-0}" = "$want" ] && break
done
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
filed=$(count 'SELECT count(*) FROM articles WHERE story_id IS NOT NULL')
stories=$(count 'SELECT count(*) FROM stories')
echo "killed while filing: $stored stored, $filed filed, $stories stories"
[ "$(count 'SELECT count(*) FROM stories WHERE id NOT IN
          (SELECT story_id FROM articles WHERE story_id IS NOT NULL)')" = 0 ] \
    || fail "a story without articles after the kill"
[ "$(count 'SELECT count(*) FROM stories WHERE account_json IS NULL')" = 0 ] \
    || fail "a story without its account after the kill"
[ "$(count 'PRAGMA integrity_check')" = ok ] || fail "integrity_check right after the kill"
"$KHABAR" ingest --db "$tmp/news.db" "$tmp/in.jsonl" > "$tmp/run5.out" || fail "run after the second kill"
grep -q "\"filed\":$((want - filed))," "$tmp/run5.out" \
    || fail "the rerun did not file the $((want - filed)) unfiled articles: $(cat "$tmp/run5.out")"
[ "$(count 'SELECT count(*) FROM articles WHERE story_id IS NULL')" = 0 ] || fail "unfiled articles after the rerun"
[ "$(count 'SELECT count(*) FROM articles')" = "$want" ] || fail "articles after the second kill"
[ "$(count 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after the second kill"
# Every article has its why, the one an uninterrupted run gives it (a
# start's nearest story compared by its articles: ids are each store's own).
[ "$(count 'SELECT count(*) FROM articles WHERE why IS NULL')" = 0 ] || fail "articles without a why after the rerun"
"$KHABAR" ingest --db "$tmp/clean.db" "$tmp/in.jsonl" > /dev/null || fail "uninterrupted run"
python3 - "$tmp/news.db" "$tmp/clean.db" <<'PY' || fail "whys after the kills differ from an uninterrupted run's"
import json, sqlite3, sys
def whys(path):
    db = sqlite3.connect(path)
    members = {}
    for sid, aid in db.execute("SELECT story_id, id FROM articles"):
        members.setdefault(sid, []).append(aid)
    out = {}
    for aid, why in db.execute("SELECT id, why FROM articles"):
        w = json.loads(why) if why else None
        if w and w.get("nearest"):
            w["nearest"] = sorted(members.get(w["nearest"], []))
        out[aid] = w
    return out
a, b = whys(sys.argv[1]), whys(sys.argv[2])
bad = [k for k in b if a.get(k) != b[k]]
for k in bad[:3]:
    print("  ", k, a.get(k), "\n   ", b[k])
sys.exit(1 if bad else 0)
PY

# A third run changes nothing.
"$KHABAR" ingest --db "$tmp/news.db" "$tmp/in.jsonl" > "$tmp/run3.out"
grep -q '"added":0,' "$tmp/run3.out" || fail "third run added articles: $(cat "$tmp/run3.out")"

[ "$fails" = 0 ] && echo "ingest_kill.sh: all checks held"
[ "$fails" = 0 ]
