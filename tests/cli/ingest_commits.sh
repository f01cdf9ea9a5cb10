#!/bin/sh
# khabar ingest files its articles in transactions of bounded time: while a
# run over 2000 articles is still going, another reader sees the filed count
# grow in at least two steps (two commits of filing), then a kill -9 there
# leaves a sound store of whole stories, and a second run files exactly the
# rest. Reads the corpus from ../shared (skipped with a message when absent).
set -u
KHABAR=${KHABAR:-build/khabar}
corpus=../shared/corpora/saudinewsnet/articles.jsonl.gz
[ -f "$corpus" ] || { echo "ingest_commits.sh: $corpus missing, skipped"; exit 0; }
command -v python3 >/dev/null || { echo "ingest_commits.sh: python3 missing, skipped"; exit 0; }
tmp=$(mktemp -d /tmp/khabar-cli-commits-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
fail() { echo "FAIL: $*"; fail=1; }
count() {
    python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=30); print(c.execute(sys.argv[2]).fetchone()[0])' \
        "$tmp/news.db" "$1"
}

want=$(python3 - "$corpus" "$tmp/in.jsonl" <<'PY'
import gzip, json, sys
ids = set()
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as dst:
    for i, line in enumerate(src):
        if i == 2000:
            break
        dst.write(line)
        ids.add(str(json.loads(line)["id"]))
print(len(ids))
PY
)

# The watcher: starts the run (all articles stored in one transaction, so
# every filed row it sees comes from a commit of filing), polls the store
# from its own connection, and kills the run once the filed count has taken
# two values short of the end while the run was still alive.
cat >"$tmp/watch.py" <<'PY'
import os, signal, sqlite3, subprocess, sys, time
khabar, db, inp, out, want = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
run = subprocess.Popen([khabar, "ingest", "--db", db, "--batch", "1000000", inp],
                       stdout=open(out, "w"), stderr=subprocess.STDOUT)
seen = []
while run.poll() is None:
    time.sleep(0.05)
    try:
        c = sqlite3.connect(db, timeout=1)
        filed = c.execute("SELECT count(*) FROM articles WHERE story_id IS NOT NULL").fetchone()[0]
        c.close()
    except sqlite3.Error:
        continue
    if 0 < filed < want and run.poll() is None and filed not in seen:
        seen.append(filed)
    if len(seen) == 2:
        run.send_signal(signal.SIGKILL)
        break
run.wait()
print(" ".join(map(str, seen)))
PY
seen=$(tests/lib/bounded 60 1024 python3 "$tmp/watch.py" "$KHABAR" "$tmp/news.db" "$tmp/in.jsonl" \
       "$tmp/run1.out" "$want") || fail "the watched run: $(cat "$tmp/run1.out")"
echo "filed counts seen while the run went on: $seen (of $want)"
[ "$(echo "$seen" | wc -w)" = 2 ] || fail "filing did not commit twice before the end: saw '$seen'"

filed=$(count 'SELECT count(*) FROM articles WHERE story_id IS NOT NULL')
echo "killed with $filed of $want filed"
[ "$(count 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after the kill"
[ "$(count 'SELECT count(*) FROM articles')" = "$want" ] || fail "stored articles after the kill"
[ "$(count 'SELECT count(*) FROM stories WHERE id NOT IN
          (SELECT story_id FROM articles WHERE story_id IS NOT NULL)')" = 0 ] \
    || fail "a story without articles after the kill"
[ "$(count 'SELECT count(*) FROM stories WHERE account_json IS NULL')" = 0 ] \
    || fail "a story without its account after the kill"

tests/lib/bounded 60 1024 "$KHABAR" ingest --db "$tmp/news.db" "$tmp/in.jsonl" >"$tmp/run2.out" \
    || fail "the second run: $(cat "$tmp/run2.out")"
cat "$tmp/run2.out"
grep -q "\"added\":0,\"updated\":0,\"unchanged\":$want," "$tmp/run2.out" || fail "the second run stored articles again"
grep -q "\"filed\":$((want - filed))," "$tmp/run2.out" || fail "the second run did not file the $((want - filed)) left"
[ "$(count 'SELECT count(*) FROM articles WHERE story_id IS NULL')" = 0 ] || fail "unfiled articles at the end"
[ "$(count 'SELECT count(DISTINCT id) FROM articles')" = "$want" ] || fail "articles lost or doubled"
[ "$(count 'PRAGMA integrity_check')" = ok ] || fail "integrity_check at the end"

[ "$fail" = 0 ] && echo "ingest_commits.sh: all checks held"
exit $fail
