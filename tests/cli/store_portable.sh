#!/bin/sh
# A khabar store is a plain SQLite file: sqlite3 alone (and sqlite-utils,
# when installed) searches it, and DELETE and UPDATE of an article work
# without khabar; khabar's own check still passes afterwards.
set -u
KHABAR=${KHABAR:-build/khabar}
command -v sqlite3 >/dev/null || { echo "store_portable.sh: sqlite3 missing, skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
db="$tmp/news.db"

cat > "$tmp/in.jsonl" <<'JSON'
{"id":"a1","title":"آشتون تصل إلى القاهرة","text":"وصلت كاثرين آشتون إلى القاهرة صباح اليوم في زيارة تستمر يومين.\nوتلتقي آشتون وزير الخارجية.","source":"وكالة أ","date":"2013-07-29"}
{"id":"e1","title":"Port of Jeddah reopens","text":"The port of Jeddah reopened on Monday after repairs.\nShipping resumed within hours.","source":"Wire","date":"2013-08-01","lang":"en"}
{"id":"e2","title":"Floods close roads in Marsa","text":"Heavy rain flooded the coastal road in Marsa on Tuesday.\nSchools were closed.","source":"Coast","date":"2013-08-02","lang":"en"}
JSON
"$KHABAR" ingest --db "$db" "$tmp/in.jsonl" >/dev/null 2>"$tmp/err" || fail "ingest: $(cat "$tmp/err")"

q() { sqlite3 -batch "$db" "$1" 2>"$tmp/sqlerr" || echo "ERROR: $(cat "$tmp/sqlerr")"; }
got=$(q "SELECT a.id FROM articles_fts JOIN articles a ON a.n = articles_fts.rowid WHERE articles_fts MATCH 'Jeddah'")
[ "$got" = e1 ] || fail "sqlite3 MATCH Jeddah: $got"
got=$(q "SELECT a.id FROM articles_fts JOIN articles a ON a.n = articles_fts.rowid WHERE articles_fts MATCH 'القاهرة'")
[ "$got" = a1 ] || fail "sqlite3 MATCH القاهرة: $got"
got=$(q "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'title:floods'")
[ "$got" = 1 ] || fail "sqlite3 MATCH title:floods: $got"
# Bodies through khabar's words, as khabar tokens prints them.
word=$(echo "Shipping" | "$KHABAR" tokens)
got=$(q "SELECT a.id FROM articles_fts JOIN articles a ON a.n = articles_fts.rowid WHERE articles_fts MATCH 'terms:$word'")
[ "$got" = e1 ] || fail "sqlite3 MATCH terms:$word: $got"

# UPDATE and DELETE through plain SQLite keep the index in step.
got=$(q "UPDATE articles SET title = 'Port of Jeddah reopens to tankers' WHERE id = 'e1'; SELECT changes()")
[ "$got" = 1 ] || fail "sqlite3 UPDATE: $got"
got=$(q "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'tankers'")
[ "$got" = 1 ] || fail "updated title not searchable: $got"
got=$(q "DELETE FROM articles WHERE id = 'e2'; SELECT changes()")
[ "$got" = 1 ] || fail "sqlite3 DELETE: $got"
got=$(q "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Marsa'")
[ "$got" = 0 ] || fail "deleted article still found: $got"
got=$(q "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1); SELECT 'ok'")
[ "$got" = ok ] || fail "FTS integrity after edits: $got"
"$KHABAR" ingest --db "$db" --check >/dev/null 2>"$tmp/err" || fail "khabar check after edits: $(cat "$tmp/err")"

# sqlite-utils finds the table's index by itself.
if command -v sqlite-utils >/dev/null; then
    got=$(sqlite-utils search "$db" articles Jeddah --csv --no-headers -c id 2>&1 | tr -d "\r")
    [ "$got" = e1 ] || fail "sqlite-utils search Jeddah: $got"
else
    echo "store_portable.sh: sqlite-utils missing, its check skipped"
fi

[ "$fails" -eq 0 ] && echo "store_portable.sh: all checks held"
[ "$fails" -eq 0 ]
