#!/bin/sh
# khabar crawl against three invented outlets served on loopback by
# tests/crawl_server.py (nothing leaves the machine): robots.txt obeyed and
# read first, the per-host delay kept (with a margin: timestamps of a loaded
# machine), every hostile response a counted error naming its URL, a second
# run asking only whether things changed (304s, no article fetched again),
# an article fetched again when its feed dates it later, the WARC read back
# by khabar read, the store equal to khabar ingest of the same pages, and a
# crawl killed with SIGKILL that resumes and stores every article once.
# Needs python3 (skipped with a message when missing).
set -u
KHABAR=${KHABAR:-build/khabar}
command -v python3 >/dev/null || { echo "crawl.sh: python3 missing, skipped"; exit 0; }
tmp=$(mktemp -d)
spid=
cpid=
cleanup() {
    [ -n "$cpid" ] && kill -9 "$cpid" 2>/dev/null
    [ -n "$spid" ] && kill "$spid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
# check DESCRIPTION COMMAND...: one check, passed when COMMAND succeeds.
check() {
    what=$1; shift
    if "$@"; then ok; else fail "$what"; fi
}

python3 tests/crawl_server.py "$tmp/log" "$tmp/ports" > /dev/null 2> "$tmp/server.err" &
spid=$!
for _ in $(seq 1 100); do
    [ -f "$tmp/ports" ] && break
    sleep 0.1
done
[ -f "$tmp/ports" ] || { cat "$tmp/server.err"; echo "crawl.sh: the fixture server did not start"; exit 1; }
wahat= harbour= sawt= down=
eval "$(cat "$tmp/ports")"
W=http://127.0.0.1:$wahat
H=http://127.0.0.1:$harbour
S=http://127.0.0.1:$sawt
cat > "$tmp/seeds" <<EOF
# two home pages and a feed
$W/
$H/    # no feed links: the common paths are tried

$S/feed.xml
EOF
opts="--delay 0.3 --timeout 2 --max-bytes 2M --contact http://example.org/khabar-tests"

# sql DB QUERY: one value from a SQLite file (python3's sqlite3: the store's
# tokenizer is not needed for plain tables).
sql() {
    python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=10); r=c.execute(sys.argv[2]).fetchone(); print(r[0] if r else "")' "$1" "$2"
}
# has FILE TEXT: FILE holds TEXT.
has() { grep -q -- "$2" "$1"; }

# pages_jsonl STORE STATE OUT: the pages of the articles STORE holds,
# fetched again, as JSON Lines in the order they were stored, each with its
# URL as id and the title and date its feed gave (from the crawl's STATE):
# what khabar ingest needs to make the same store.
pages_jsonl() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sqlite3, sys, urllib.request
store, state = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for (url,) in store.execute("SELECT id FROM articles ORDER BY rowid"):
        title, date = state.execute("SELECT title, date FROM urls WHERE url=?", (url,)).fetchone()
        with opener.open(url, timeout=10) as r:
            cs = r.headers.get_content_charset() or "utf-8"
            html = r.read().decode(cs)
        rec = {"id": url, "url": url, "html": html}
        if title: rec["title"] = title
        if date: rec["date"] = date
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
PY
}
# same_stories A B: two stores hold the same articles (title, date, source,
# language, body) grouped into the same stories.
same_stories() {
    python3 - "$1" "$2" <<'PY'
import sqlite3, sys
def load(path):
    db = sqlite3.connect(path)
    arts = {r[0]: r[1:] for r in db.execute("SELECT id, title, date, source, lang, body FROM articles")}
    groups = {}
    for aid, sid in db.execute("SELECT id, story_id FROM articles"):
        groups.setdefault(sid, set()).add(aid)
    return arts, sorted(sorted(g) for g in groups.values())
a, b = load(sys.argv[1]), load(sys.argv[2])
if a[0] != b[0]:
    for k in sorted(set(a[0]) | set(b[0])):
        if a[0].get(k) != b[0].get(k):
            print("   article", k, "\n    crawl ", a[0].get(k), "\n    ingest", b[0].get(k))
if a[1] != b[1]:
    print("   stories\n    crawl ", a[1], "\n    ingest", b[1])
sys.exit(0 if a == b else 1)
PY
}

# Bad command lines.
"$KHABAR" crawl > /dev/null 2>&1
rc=$?
check "no seeds and no state: usage error" [ $rc = 2 ]
"$KHABAR" crawl --db "$tmp/none.db" > /dev/null 2>&1
rc=$?
check "no seeds with --db: usage error" [ $rc = 2 ]
check "... and no store made" [ ! -e "$tmp/none.db" ]
"$KHABAR" crawl --seeds "$tmp/missing-seeds" > /dev/null 2> "$tmp/err"
rc=$?
check "a missing seed list: exit 1, named" sh -c "[ $rc = 1 ] && grep -q missing-seeds '$tmp/err'"
"$KHABAR" crawl --state "$tmp/x.crawl" --delay=abc "$W/" > /dev/null 2>&1
rc=$?
check "--delay=abc: usage error" [ $rc = 2 ]
"$KHABAR" crawl --state "$tmp/x.crawl" ftp://example.org/ > /dev/null 2> "$tmp/err"
check "an ftp seed is refused" has "$tmp/err" "not an http(s) URL"
check "khabar help crawl" sh -c "'$KHABAR' help crawl | grep -q -- '--every PERIOD'"

# ---- The first crawl: everything new.
mkdir "$tmp/warc"
"$KHABAR" crawl --db "$tmp/news.db" --warc="$tmp/warc" $opts --seeds "$tmp/seeds" \
    > "$tmp/run1.out" 2> "$tmp/run1.err"
rc=$?
check "first crawl exits 0 ($(cat "$tmp/run1.err"))" [ $rc = 0 ]
cat "$tmp/run1.out"
cp "$tmp/log" "$tmp/log1"
: > "$tmp/log"
check "state file beside the store" [ -s "$tmp/news.db.crawl" ]
check "nine articles added" has "$tmp/run1.out" '"added":9,'
check "the disallowed article counted" has "$tmp/run1.out" '"disallowed":1,'

python3 - "$tmp/log1" "$wahat" "$harbour" "$sawt" <<'PY' && ok || fail "the server log of the first crawl"
import sys
lines = [l.split() for l in open(sys.argv[1], encoding="utf-8")]
wahat, harbour, sawt = (int(p) for p in sys.argv[2:5])
bad = []
if any(l[3].startswith("/private/") for l in lines):
    bad.append("a path robots.txt disallows was requested")
by_port = {}
for l in lines:
    by_port.setdefault(int(l[1]), []).append((float(l[0]), l[3]))
for port, reqs in by_port.items():
    if reqs[0][1] != "/robots.txt":
        bad.append("port %d: first request %s, not /robots.txt" % (port, reqs[0][1]))
    # the delay, from one request's start to the next's (at least the
    # delay: it runs from the end of the previous transfer); 20% margin
    want = 0.6 if port == wahat else 0.3
    for (a, pa), (b, pb) in zip(reqs, reqs[1:]):
        if b - a < want * 0.8:
            bad.append("port %d: %s then %s after %.3f s (delay %.1f)" % (port, pa, pb, b - a, want))
ua = set(l[6] for l in lines)
if not ua or not all(
        u.startswith("khabar/") and u.endswith("(+http://example.org/khabar-tests)") for u in ua):
    bad.append("user agents: %s" % ua)
def count(port, path):
    return sum(1 for l in lines if int(l[1]) == port and l[3] == path)
if count(harbour, "/en/regatta.html") != 2:
    bad.append("the 429 article was not asked again once: %d" % count(harbour, "/en/regatta.html"))
else:
    t429, t200 = [float(l[0]) for l in lines if int(l[1]) == harbour and l[3] == "/en/regatta.html"]
    if t200 - t429 < 0.9:  # Retry-After: 1
        bad.append("Retry-After not honoured: asked again after %.3f s" % (t200 - t429))
if count(harbour, "/feed") != 1 or count(harbour, "/rss") != 1:
    bad.append("the common feed paths were not tried on the home page without feed links")
if count(wahat, "/sitemap-news.xml") != 1:
    bad.append("the news sitemap behind robots.txt's sitemap index was not read")
if count(wahat, "/loop/a") != 1 or count(wahat, "/loop/b") != 1:
    bad.append("the redirect loop was followed more than once around")
if count(sawt, "/slow.html") != 3:
    bad.append("the slow article was not tried three times: %d" % count(sawt, "/slow.html"))
for b in bad:
    print("  ", b)
sys.exit(1 if bad else 0)
PY
for u in "$H/bomb.html" "$H/endless.html" "$H/short.html" "$S/slow.html" "$S/huge.html" "$W/loop/b"; do
    check "an error names $u" has "$tmp/run1.err" "$u: "
done
check "the oversized pages say so" has "$tmp/run1.err" "$S/huge.html: more than 2097152 bytes"

# The stored articles: the right URLs, the windows-1256 page read, the
# copy across outlets grouped with its original.
cat > "$tmp/want" <<EOF
$H/en/bridge.html
$H/en/regatta.html
$H/en/tram.html
$S/akhbar/dam.html
$S/akhbar/fish.html
$W/news/1.html
$W/news/2.html
$W/news/3.html
$W/news/4.html
EOF
sql "$tmp/news.db" "SELECT group_concat(id, char(10)) FROM articles" | LC_ALL=C sort > "$tmp/got"
LC_ALL=C sort "$tmp/want" > "$tmp/want.sorted"
check "the stored articles are the nine of the feeds and sitemaps (a .xml.gz one included)" cmp -s "$tmp/want.sorted" "$tmp/got"
check "the windows-1256 page read as Arabic" \
    [ "$(sql "$tmp/news.db" "SELECT count(*) FROM articles WHERE id='$S/akhbar/fish.html' AND body LIKE '%سوق السمك%'")" = 1 ]
check "the windows-1256 feed's title is the article's" \
    [ "$(sql "$tmp/news.db" "SELECT title FROM articles WHERE id='$S/akhbar/dam.html'")" = "افتتاح سد الوادي الأخضر في واحة النخيل" ]
check "the feed's title is the article's" \
    [ "$(sql "$tmp/news.db" "SELECT title FROM articles WHERE id='$H/en/tram.html'")" = "Council backs harbour tram extension" ]
check "the copy on another outlet shares its original's story" \
    [ "$(sql "$tmp/news.db" "SELECT count(DISTINCT story_id) FROM articles WHERE id IN ('$W/news/1.html','$S/akhbar/dam.html')")" = 1 ]

# The WARC: read back by khabar read, the pages with the right URLs.
"$KHABAR" read "$tmp/warc" > "$tmp/read.out" 2> "$tmp/read.err"
rc=$?
check "khabar read reads the WARC ($(head -c 300 "$tmp/read.err"))" [ $rc = 0 ]
python3 - "$tmp/read.out" "$tmp/want" "$W/" "$H/" <<'PY' && ok || fail "the WARC's pages"
import json, sys
got = sorted(json.loads(l)["url"] for l in open(sys.argv[1], encoding="utf-8") if l.strip())
want = sorted([l.strip() for l in open(sys.argv[2]) if l.strip()] + sys.argv[3:5])
if got != want:
    print("   got ", got, "\n   want", want)
    sys.exit(1)
PY
check "WARC files are closed (no .open left)" [ -z "$(ls "$tmp/warc" | grep '\.open$')" ]

# khabar ingest of the same pages, with the same titles, dates and ids, in
# the order the crawl stored them: the same articles and the same stories.
pages_jsonl "$tmp/news.db" "$tmp/news.db.crawl" "$tmp/same.jsonl" || fail "the pages for ingest"
: > "$tmp/log"
"$KHABAR" ingest --db "$tmp/same.db" "$tmp/same.jsonl" > /dev/null 2> "$tmp/ingest.err"
rc=$?
check "khabar ingest of the same pages" [ $rc = 0 ]
check "the crawl's store holds what ingest makes of the same pages" same_stories "$tmp/news.db" "$tmp/same.db"

# ---- The second crawl: nothing changed, so only validators are sent.
"$KHABAR" crawl --db "$tmp/news.db" $opts --seeds "$tmp/seeds" > "$tmp/run2.out" 2> "$tmp/run2.err"
rc=$?
check "second crawl exits 0" [ $rc = 0 ]
cat "$tmp/run2.out"
python3 - "$tmp/log" <<'PY' && ok || fail "the second crawl asked for more than validators"
import sys
lines = [l.split() for l in open(sys.argv[1], encoding="utf-8")]
bad = [" ".join(l[3:6]) for l in lines
       if not (l[4] == "304" and l[5] == "1") and not (l[3] == "/robots.txt" and l[4] == "404")]
if bad or not lines:
    print("   not a 304:", bad or "no request")
    sys.exit(1)
PY
check "second crawl: nothing added or fetched" has "$tmp/run2.out" '"article_pages":0,'
check "no progress (nor anything else) on stderr when it is a file" [ ! -s "$tmp/run2.err" ]

# ---- A feed dates an article later: that one article is fetched again.
python3 -c 'import sys, urllib.request; urllib.request.build_opener(urllib.request.ProxyHandler({})).open(urllib.request.Request(sys.argv[1], data=b""), timeout=10).read()' \
    "$W/_bump?outlet=wahat&n=0"
: > "$tmp/log"
"$KHABAR" crawl --db "$tmp/news.db" $opts --seeds "$tmp/seeds" > "$tmp/run3.out" 2> "$tmp/run3.err"
rc=$?
check "third crawl exits 0" [ $rc = 0 ]
check "the article dated later is fetched again, and no other" \
    [ "$(grep -c ' GET /\(news\|en\|akhbar\)/' "$tmp/log")" = 1 ]
check "... and it is /news/1.html" has "$tmp/log" " GET /news/1.html 200"

# ---- One seed left out of the list: its outlet is no longer asked.
: > "$tmp/log"
"$KHABAR" crawl --db "$tmp/news.db" $opts "$W/" "$S/feed.xml" > "$tmp/run3b.out" 2> /dev/null
rc=$?
check "a shorter seed list: exit 0" [ $rc = 0 ]
check "... the outlet left out is not asked" [ "$(grep -c " $harbour GET " "$tmp/log")" = 0 ]
check "... the others are, with their sitemaps" [ "$(grep -c " $wahat GET /sitemap-news.xml 304" "$tmp/log")" = 1 ]

# ---- Killed with SIGKILL mid-crawl, then resumed: every article once.
seeds2="$W/ $H/"
"$KHABAR" crawl --db "$tmp/kill.db" $opts --batch 2 $seeds2 > /dev/null 2>&1 &
cpid=$!
n=0
for _ in $(seq 1 300); do
    sleep 0.05
    [ -f "$tmp/kill.db" ] || continue
    n=$(sql "$tmp/kill.db" "SELECT count(*) FROM articles" 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 2 ] && break
done
kill -9 "$cpid" 2>/dev/null
wait "$cpid" 2>/dev/null
cpid=
echo "killed with $n articles stored"
: > "$tmp/log"
"$KHABAR" crawl --db "$tmp/kill.db" $opts --batch 2 --every 1s --rounds 2 $seeds2 > "$tmp/run4.out" 2> "$tmp/run4.err"
rc=$?
check "the resumed crawl exits 0 ($(head -c 300 "$tmp/run4.err"))" [ $rc = 0 ]
cat "$tmp/run4.out"
check "two rounds" has "$tmp/run4.out" '"rounds":2,'
check "every article stored once after the kill" \
    [ "$(sql "$tmp/kill.db" "SELECT count(*) || ' ' || count(DISTINCT id) FROM articles")" = "7 7" ]
check "no article left waiting in the frontier" \
    [ "$(sql "$tmp/kill.db.crawl" "SELECT count(*) FROM urls WHERE status IN (0,5) AND kind=4")" = 0 ]
check "the second round asked the feed again, conditionally" \
    [ "$(grep -c " GET /rss.xml 304 1" "$tmp/log")" -ge 1 ]

# robots.txt answers 503: nothing else is asked of the host, and its home
# page waits in the frontier for a later run.
: > "$tmp/log"
"$KHABAR" crawl --state "$tmp/down.crawl" $opts "http://127.0.0.1:$down/" > "$tmp/down.out" 2> "$tmp/down.err"
rc=$?
check "a host whose robots.txt fails: exit 0" [ $rc = 0 ]
check "... only its robots.txt asked" [ "$(awk '{print $4}' "$tmp/log" | sort -u)" = /robots.txt ]
check "... said on stderr" has "$tmp/down.err" "robots.txt unavailable"
check "... its home page still queued" has "$tmp/down.out" '"queued":1,'

# --max-age: a feed's articles dated long ago are not fetched.
: > "$tmp/log"
"$KHABAR" crawl --state "$tmp/age.crawl" $opts --max-age 30d "$S/feed.xml" > "$tmp/age.out" 2> /dev/null
check "--max-age skips the old articles" has "$tmp/age.out" '"too_old":4,'
check "... and asks only robots.txt and the feed" [ "$(wc -l < "$tmp/log")" = 2 ]

# Progress at a terminal: hosts, queued, fetched, rate, errors.
tests/lib/at-terminal "$KHABAR" crawl --state "$tmp/tty.crawl" $opts --max-pages 4 "$S/feed.xml" \
    > "$tmp/tty.out" 2>&1
rc=$?
if [ "$rc" = 77 ]; then
    echo "crawl.sh: script(1) missing, terminal case skipped"
else
    check "a crawl at a terminal: exit 0" [ $rc = 0 ]
    check "... shows its progress" grep -q '[0-9]* hosts, [0-9]* queued, [0-9]* fetched (.*/s, [0-9]* errors' "$tmp/tty.out"
fi

# A crawl without a store: fetched and written to WARC only.
"$KHABAR" crawl --state "$tmp/nostore.crawl" $opts --max-pages 4 "$S/feed.xml" > "$tmp/run5.out" 2> /dev/null
check "a crawl without --db" has "$tmp/run5.out" '"db":null,'

# --every runs until SIGTERM, which stops it cleanly (exit 0, what was
# fetched stored first).
"$KHABAR" crawl --db "$tmp/every.db" $opts --every 1h --max-pages 4 "$S/feed.xml" \
    > "$tmp/every.out" 2> "$tmp/every.err" &
cpid=$!
for _ in $(seq 1 100); do
    sleep 0.1
    [ -f "$tmp/every.db" ] && [ "$(sql "$tmp/every.db" "SELECT count(*) FROM articles" 2>/dev/null)" = 2 ] && break
done
kill -TERM "$cpid"
wait "$cpid"
rc=$?
cpid=
check "SIGTERM stops a crawl --every: exit 0" [ $rc = 0 ]
check "... saying so" has "$tmp/every.err" "stopped"
check "... with its counts" has "$tmp/every.out" '"rounds":1,'

# The store the killed crawl left, filled in batches of two across a kill
# and a resume, holds what one ingest of its pages in the same order makes.
pages_jsonl "$tmp/kill.db" "$tmp/kill.db.crawl" "$tmp/kill.jsonl" || fail "the killed crawl's pages"
"$KHABAR" ingest --db "$tmp/kill-same.db" "$tmp/kill.jsonl" > /dev/null 2>&1
check "batches across a kill give the stories of one ingest" same_stories "$tmp/kill.db" "$tmp/kill-same.db"

echo "crawl.sh: $passed passed, $failed failed"
[ "$failed" = 0 ]
