#!/bin/sh
# khabar serve: pages, JSON API, errors, hostile text shown as text, many
# clients at once, and a headless-browser screenshot of a story page.
# Loopback only. Needs curl and python3; the screenshot needs chromium
# (skipped with a message when it is missing).
set -u
KHABAR=${KHABAR:-build/khabar}
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

command -v curl >/dev/null || { echo "serve.sh: curl missing, skipped"; exit 0; }
command -v python3 >/dev/null || { echo "serve.sh: python3 missing, skipped"; exit 0; }

cat > "$tmp/in.jsonl" <<'JSON'
{"id":"a1","title":"آشتون تصل إلى القاهرة لبحث الأزمة","text":"وصلت كاثرين آشتون إلى القاهرة صباح اليوم في زيارة تستمر يومين.\nوقالت المتحدثة باسمها مايا كوسيانيتش إن الزيارة تهدف إلى دعم الحوار بين الأطراف.\nوتلتقي آشتون وزير الخارجية ورئيس الوزراء.","source":"وكالة أ","date":"2013-07-29","url":"https://example.org/a1"}
{"id":"a2","title":"آشتون في القاهرة","text":"وصلت كاثرين آشتون إلى القاهرة صباح اليوم في زيارة تستمر يومين.\nوقالت المتحدثة باسمها مايا كوسيانيتش إن الزيارة تهدف إلى دعم الحوار بين الأطراف.\nوتلتقي آشتون وزير الخارجية ورئيس الوزراء.","source":"صحيفة ب","date":"2013-07-30","url":"http://example.com/a2"}
{"id":"x1","title":"<script>alert(1)</script>","text":"first line \" onerror=\"alert(2)\n<img src=x onerror=alert(3)> and 'quotes' & more","source":"<b>evil</b>","date":"2013-07-31","url":"javascript:alert(4)"}
{"id":"e1","title":"Port of Jeddah reopens","text":"The port of Jeddah reopened on Monday after repairs.\nShipping resumed within hours.","source":"Wire","date":"2013-08-01","url":"https://example.net/e1","lang":"en"}
JSON
"$KHABAR" ingest --db "$tmp/news.db" "$tmp/in.jsonl" > "$tmp/ingest.out" || fail "ingest"
grep -q '"added":4' "$tmp/ingest.out" || fail "ingest counts: $(cat "$tmp/ingest.out")"
grep -q '"copies":1' "$tmp/ingest.out" || fail "exact copy not grouped: $(cat "$tmp/ingest.out")"

# Bad command lines: usage (exit 2); a bad address or a busy port: exit 1.
expect_exit() {
    want=$1; shift
    "$KHABAR" "$@" > /dev/null 2> "$tmp/err.txt"
    got=$?
    [ "$got" = "$want" ] || fail "khabar $*: exit $got, want $want ($(cat "$tmp/err.txt"))"
}
expect_exit 2 serve
expect_exit 2 serve --db "$tmp/news.db" --bogus
expect_exit 2 serve --db "$tmp/news.db" --port 70000
# A missing file or one that is not a khabar store is refused, and left as it was.
expect_exit 1 serve --db "$tmp/missing.db" --port 18999
[ -e "$tmp/missing.db" ] && fail "serve created missing.db"
: > "$tmp/empty.db"
expect_exit 1 serve --db "$tmp/empty.db" --port 18999
[ -s "$tmp/empty.db" ] && fail "serve wrote into an empty file"
grep -q "not a khabar store" "$tmp/err.txt" || fail "empty file: $(cat "$tmp/err.txt")"
expect_exit 2 serve --db "$tmp/news.db" --threads 0
expect_exit 1 serve --db "$tmp/news.db" --bind 127.0.0.300 --port 0
grep -q 'not an IPv4 address' "$tmp/err.txt" || fail "bad address message: $(cat "$tmp/err.txt")"
expect_exit 2 ingest "$tmp/in.jsonl"
expect_exit 2 ingest --db "$tmp/other.db" --batch 0 "$tmp/in.jsonl"
"$KHABAR" help serve | grep -q -- '--bind ADDR' || fail "khabar help serve"

"$KHABAR" serve --db "$tmp/news.db" --port 0 --threads 4 2> "$tmp/serve.err" &
pid=$!
port=
for _ in $(seq 1 50); do
    port=$(sed -n 's|^serving http://127\.0\.0\.1:\([0-9][0-9]*\)/$|\1|p' "$tmp/serve.err")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/serve.err"; fail "server did not start"; exit 1; }
base="http://127.0.0.1:$port"

# get PATH WANT_STATUS FILE
get() {
    code=$(curl -s -g --path-as-is --max-time 10 -o "$3" -w '%{http_code}' "$base$1")
    [ "$code" = "$2" ] || fail "$1: status $code, want $2"
}
get / 200 "$tmp/index.html"
grep -q 'dir="auto">آشتون' "$tmp/index.html" || fail "/ lacks the headline"
grep -q 'lang="ar" dir="auto"' "$tmp/index.html" || fail "/ lacks lang/dir"
# An Arabic story's page speaks Arabic, right to left, with its dates as
# people write them; ?ui=en gives the English page.
get /story/1 200 "$tmp/s1ar.html"
grep -q '<html lang="ar" dir="rtl">' "$tmp/s1ar.html" || fail "/story/1 is not right to left"
grep -q 'أول من نشر' "$tmp/s1ar.html" || fail "/story/1 lacks the Arabic first-reporter label"
grep -q '<time datetime="2013-07-29">٢٩ يوليو ٢٠١٣</time>' "$tmp/s1ar.html" ||
    fail "/story/1 lacks the Arabic date"
grep -q '<p class="prov">مصادر مستقلة: ١</p>' "$tmp/s1ar.html" ||
    fail "/story/1 lacks the Arabic provenance"
grep -q '<summary>نسخة مطابقة من <a href="#a1">' "$tmp/s1ar.html" ||
    fail "/story/1 lacks the Arabic copy line"
# The timeline: one row per outlet, the original a dot, its copy a ring,
# above the articles.
python3 - "$tmp/s1ar.html" <<'PY' || fail "/story/1 lacks its timeline"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
svg = re.search(r'<svg class="timeline".*?</svg>', page, re.S).group(0)
assert page.index(svg) < page.index("<h2>المقالات</h2>")
dots = re.findall(r'<a href="#a(\d)"><circle [^>]*fill="(#[0-9a-f]+)"', svg)
assert sorted(dots) == [("1", "#a33"), ("2", "#fff")], dots
assert "وكالة أ" in svg and "صحيفة ب" in svg
PY
# Each name links to the stories that name it, in the page and the API.
python3 - "$tmp/s1ar.html" "$base" <<'PY' || fail "/story/1's names do not lead to their stories"
import json, re, sys, urllib.request
page, base = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
links = re.findall(r'<li><a href="(/entity/[^"]+)">', page)
assert links, "no name links"
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
d = json.load(opener.open(base + "/api" + links[0], timeout=10))
assert 1 in [s["story"] for s in d["stories"]], d
html = opener.open(base + links[0], timeout=10).read().decode("utf-8")
assert '<a href="/story/1">' in html, html[:300]
PY
get '/api/entity/%ff' 400 "$tmp/entity_bad.json"
get '/story/1?ui=xx' 400 "$tmp/s1bad.html"
get '/story/1?ui=en' 200 "$tmp/s1.html"
grep -q '<html lang="en" dir="ltr">' "$tmp/s1.html" || fail "/story/1?ui=en is not English"
grep -q '<time datetime="2013-07-29">29 Jul 2013</time>' "$tmp/s1.html" ||
    fail "/story/1?ui=en lacks the English date"
grep -q '2 articles' "$tmp/s1.html" || fail "/story/1 lacks its two articles"
grep -q 'first to report' "$tmp/s1.html" || fail "/story/1 lacks the first reporter"
grep -Eq '<p class="meta">(First to report|Reported the same day)' "$tmp/s1.html" ||
    fail "/story/1 does not say how the first reporter was told"
grep -q 'href="https://example.org/a1"' "$tmp/s1.html" || fail "/story/1 lacks the link"
# Each article says why it is there: a1 started the story, a2 is its copy.
grep -q '<p class="why">Started this story; no open story shared its terms.</p>' "$tmp/s1.html" ||
    fail "/story/1 does not say a1 started it"
grep -q '<p class="why">A copy of an article in this story.</p>' "$tmp/s1.html" ||
    fail "/story/1 does not say a2 is a copy"
# a2 is a1's text: one independent source, a2 folded under a link to a1.
grep -q '<p class="prov">1 independent source</p>' "$tmp/s1.html" ||
    fail "/story/1 does not count one independent source"
grep -q '<details class="copy"><summary>exact copy of <a href="#a1">' "$tmp/s1.html" ||
    fail "/story/1 does not fold a2 as a copy of a1"
get '/search?q=%D8%A2%D8%B4%D8%AA%D9%88%D9%86' 200 "$tmp/search.html"   # آشتون
grep -q '<mark>آشتون</mark>' "$tmp/search.html" || fail "search lacks a highlighted hit"
get /api/stories 200 "$tmp/stories.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["total"]==3, d' "$tmp/stories.json" \
    || fail "/api/stories is not the 3 stories as JSON"
get /api/story/1 200 "$tmp/story1.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["items"])==2; assert d["account"]["headline"]' \
    "$tmp/story1.json" || fail "/api/story/1 is not the story as JSON"
# ... and its why per article, in the shape khabar stories prints, as stored.
sqlite3 "$tmp/news.db" "select id, why from articles where story_id = 1" > "$tmp/whys.txt" 2>/dev/null ||
    : > "$tmp/whys.txt"
python3 - "$tmp/story1.json" "$tmp/whys.txt" <<'PY' || fail "/api/story/1 lacks the whys"
import json, sys
items = {i["id"]: i for i in json.load(open(sys.argv[1], encoding="utf-8"))["items"]}
assert items["a1"]["why"] == {"id": "a1", "decision": "started", "nearest": None, "terms": []}, items["a1"]
assert items["a2"]["why"] == {"id": "a2", "decision": "copy"}, items["a2"]
assert (items["a2"]["copy_of"], items["a2"]["relation"]) == ("a1", "exact"), items["a2"]
assert items["a1"]["copy_of"] is None and items["a1"]["relation"] is None, items["a1"]
assert json.load(open(sys.argv[1], encoding="utf-8"))["independent_sources"] == 1
for line in open(sys.argv[2], encoding="utf-8"):  # what sqlite3 shows, when it is there
    aid, why = line.rstrip("\n").split("|", 1)
    assert json.loads(why) == items[aid]["why"], (aid, why)
PY
get /story/424242 404 "$tmp/404.html"
# The index: a store where no story has two sources shows them all, in the
# top order; filters narrow it, and bad ones are answered 400.
grep -q '3 stories, by day, most independent sources first' "$tmp/index.html" ||
    fail "/ does not fall back to every story"
grep -q 'rel="alternate" type="application/atom+xml" href="/feed/top.atom"' "$tmp/index.html" ||
    fail "/ does not advertise its feed"
get '/?lang=en' 200 "$tmp/index_en.html"
grep -q 'Port of Jeddah reopens' "$tmp/index_en.html" || fail "/?lang=en lacks the English story"
grep -q 'آشتون' "$tmp/index_en.html" && fail "/?lang=en shows an Arabic story"
get '/?min_sources=2' 200 "$tmp/index_min2.html"
grep -q '0 stories told by at least 2 independent sources' "$tmp/index_min2.html" ||
    fail "/?min_sources=2 is not empty"
get '/?since=yesterday' 400 "$tmp/bad_since.html"
get '/?ui=ar' 200 "$tmp/index_ar.html"
grep -q '<html lang="ar" dir="rtl">' "$tmp/index_ar.html" || fail "/?ui=ar is not right to left"
grep -q '<p class="meta">القصص: ٣،' "$tmp/index_ar.html" || fail "/?ui=ar lacks its Arabic count"
# The API: filters, per_page, the view, JSON errors with a code.
get '/api/stories?per_page=1&page=2' 200 "$tmp/api_p2.json"
get '/api/stories?source=%D9%88%D9%83%D8%A7%D9%84%D8%A9%20%D8%A3&since=2013-07-29&until=2013-07-30' 200 "$tmp/api_src.json"
get '/api/stories?view=top' 200 "$tmp/api_top.json"
get '/api/stories?per_page=500' 400 "$tmp/api_bad.json"
get '/api/stories?view=best' 400 "$tmp/api_bad2.json"
get '/api/nothing' 404 "$tmp/api_404.json"
get '/api/stories?q=%D8%A8%D8%A7%D9%84%D9%82%D8%A7%D9%87%D8%B1%D8%A9' 200 "$tmp/api_q.json"
get '/api/stories?q=reopened+Jeddah' 200 "$tmp/api_q2.json"
get '/api/stories?q=%ff' 400 "$tmp/api_bad3.json"
get '/?view=all&q=Jeddah' 200 "$tmp/index_q.html"
grep -q 'Port of Jeddah reopens' "$tmp/index_q.html" || fail "/?q=Jeddah lacks its story"
grep -q 'آشتون' "$tmp/index_q.html" && fail "/?q=Jeddah shows a story without the word"
grep -q 'name="q" type="search" dir="auto" value="Jeddah"' "$tmp/index_q.html" ||
    fail "/?q=Jeddah does not keep the words in its filter form"
python3 - "$tmp" <<'PY' || fail "/api/stories filters"
import json, sys
t = sys.argv[1]
d = json.load(open(t + "/api_p2.json", encoding="utf-8"))
assert (d["page"], d["per_page"], d["total"], d["view"], len(d["stories"])) == (2, 1, 3, "all", 1), d
d = json.load(open(t + "/api_src.json", encoding="utf-8"))
assert [s["headline"][:5] for s in d["stories"]] == ["آشتون"], d  # وكالة أ's story only
assert d["stories"][0]["independent_sources"] == 1, d
d = json.load(open(t + "/api_top.json", encoding="utf-8"))
assert d["view"] == "top" and d["total"] == 0, d  # no story has two independent sources
d = json.load(open(t + "/api_q.json", encoding="utf-8"))  # بالقاهرة finds القاهرة
assert [s["headline"][:5] for s in d["stories"]] == ["آشتون"], d
d = json.load(open(t + "/api_q2.json", encoding="utf-8"))
assert [s["headline"] for s in d["stories"]] == ["Port of Jeddah reopens"], d
for name, code in (("api_bad", 400), ("api_bad2", 400), ("api_bad3", 400), ("api_404", 404)):
    d = json.load(open(t + "/" + name + ".json", encoding="utf-8"))
    assert d["code"] == code and d["error"], d
PY
# JSON search: the hits with their story and where the words matched.
get '/api/search?q=Jeddah&per_page=5' 200 "$tmp/api_search.json"
python3 - "$tmp/api_search.json" <<'PY' || fail "/api/search"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert (d["q"], d["per_page"], len(d["hits"])) == ("Jeddah", 5, 1), d
h = d["hits"][0]
assert h["id"] == "e1" and isinstance(h["story"], int), h
a, b = h["matches"][0]
assert h["snippet"][a:b] == "Jeddah", h
PY
get '/api/search?q=%ff' 400 "$tmp/api_search_bad.json"
# Breaking: first reported on the newest day or the day before, by three
# independent sources by default (none here); the rule is on the page.
get /breaking 200 "$tmp/breaking.html"
grep -q 'told by at least 3 independent sources' "$tmp/breaking.html" ||
    fail "/breaking does not state its rule"
grep -q '<li><a href="/story/' "$tmp/breaking.html" && fail "/breaking lists a one-source story"
get '/breaking?min_sources=1' 200 "$tmp/breaking1.html"
[ "$(grep -c '<li><a href="/story/' "$tmp/breaking1.html")" = 2 ] ||
    fail "/breaking?min_sources=1 is not the two stories of the last two days"
grep -q 'آشتون' "$tmp/breaking1.html" && fail "/breaking shows a story first told three days before"
get /feed/breaking.atom 200 "$tmp/breaking.xml"
python3 -c 'import sys, xml.etree.ElementTree as ET; r = ET.parse(sys.argv[1]).getroot(); assert r.find("{http://www.w3.org/2005/Atom}title").text == "khabar: breaking"' \
    "$tmp/breaking.xml" || fail "/feed/breaking.atom is not its Atom feed"
# The Atom feed parses as XML, with the elements RFC 4287 requires.
get '/feed/top.atom?view=all' 200 "$tmp/feed.xml"
python3 - "$tmp/feed.xml" <<'PY' || fail "/feed/top.atom is not a valid Atom feed"
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2005/Atom}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == ns + "feed", root.tag
for need in ("id", "title", "updated", "author"):
    assert root.find(ns + need) is not None, need
entries = root.findall(ns + "entry")
assert len(entries) == 3, len(entries)
for e in entries:
    for need in ("id", "title", "updated", "link"):
        assert e.find(ns + need) is not None, need
    assert e.find(ns + "updated").text.endswith("Z")
titles = [e.find(ns + "title").text for e in entries]
assert "<script>alert(1)</script>" in titles, titles  # the hostile title, as text
PY
# A search has its feed, advertised by the search page: an entry per
# article found, linked to its story, its snippet as plain text.
get '/search?q=Jeddah' 200 "$tmp/search-jeddah.html"
grep -q 'rel="alternate" type="application/atom+xml" href="/feed/search.atom?q=Jeddah"' \
    "$tmp/search-jeddah.html" || fail "/search does not advertise its feed"
get '/feed/search.atom?q=%D8%A2%D8%B4%D8%AA%D9%88%D9%86' 200 "$tmp/search.xml"
python3 - "$tmp/search.xml" <<'PY' || fail "/feed/search.atom is not the search's Atom feed"
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2005/Atom}"
root = ET.parse(sys.argv[1]).getroot()
assert root.find(ns + "title").text == "khabar: search: آشتون", root.find(ns + "title").text
for need in ("id", "updated", "author"):
    assert root.find(ns + need) is not None, need
entries = root.findall(ns + "entry")
assert len(entries) == 2, len(entries)  # a1 and its copy a2
ids = {e.find(ns + "id").text for e in entries}
assert len(ids) == 2 and all(i.startswith("urn:khabar:article:") for i in ids), ids
for e in entries:
    assert e.find(ns + "link").get("href") == "/story/1", e.find(ns + "link").get("href")
    assert "آشتون" in e.find(ns + "summary").text
    assert "\x02" not in e.find(ns + "summary").text
    assert e.find(ns + "updated").text.startswith("2013-07-")
PY
get '/feed/search.atom' 400 "$tmp/search-noq.html"
# An outlet's feed: the index filtered by source advertises it.
get '/?view=all&source=Wire' 200 "$tmp/index-wire.html"
grep -q 'type="application/atom+xml" href="/feed/top.atom?source=Wire&amp;view=all"' \
    "$tmp/index-wire.html" || fail "/?source=Wire does not advertise its outlet's feed"
get '/feed/top.atom?source=Wire&view=all' 200 "$tmp/wire.xml"
python3 - "$tmp/wire.xml" <<'PY' || fail "/feed/top.atom?source=Wire is not that outlet's feed"
import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2005/Atom}"
entries = ET.parse(sys.argv[1]).getroot().findall(ns + "entry")
assert [e.find(ns + "title").text for e in entries] == ["Port of Jeddah reopens"], entries
PY
get /no/such/page 404 "$tmp/404b.html"
get /api/story/x 404 "$tmp/404c.json"
get '/story/%zz%' 404 "$tmp/bad1.html"
get '/%00' 404 "$tmp/bad0.html"
get '/%ff%fe' 404 "$tmp/bad2.html"
get '/search?q=%ff%fe' 400 "$tmp/bad3.html"
get '/?page=-1' 400 "$tmp/bad4.html"
long=$(python3 -c 'print("a" * 100000)')
code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$base/search?q=$long")
case "$code" in 414|431|400) ;; *) fail "100 KB query: status $code" ;; esac
code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X POST -d 'x=1' "$base/")
[ "$code" = 405 ] || fail "POST: status $code, want 405"
# A raw malformed request line.
python3 - "$port" <<'PY' || fail "malformed request line"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"GET \x01\x02 nonsense\r\n\r\n")
data = s.recv(100)
assert data.startswith(b"HTTP/1.1 4"), data
PY

# Hostile text from a crawled page shows as text.
get /story/2 200 "$tmp/s2.html"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/s2.html" || fail "escaped title missing"
grep -q '&quot; onerror=&quot;alert(2)' "$tmp/s2.html" || fail "escaped quote missing"
if grep -q -e '<script' -e '<img' -e '<b>' -e 'javascript:' -e '" onerror="' "$tmp/s2.html"; then
    fail "hostile markup reached the page"
fi
curl -s -D "$tmp/headers" -o /dev/null "$base/story/2"
grep -qi "content-security-policy: default-src 'none'" "$tmp/headers" || fail "no CSP header"

# Many clients at once: 20 parallel connections, 400 requests, every one 200.
i=0
: > "$tmp/urls"
while [ $i -lt 100 ]; do
    printf 'url = "%s/"\nurl = "%s/story/1"\nurl = "%s/api/stories"\nurl = "%s/search?q=Jeddah"\n' \
        "$base" "$base" "$base" "$base" >> "$tmp/urls"
    i=$((i + 1))
done
curl -s --parallel --parallel-max 20 --max-time 60 -K "$tmp/urls" -o /dev/null -w '%{http_code}\n' \
    > "$tmp/codes" 2>/dev/null
ok=$(grep -c '^200$' "$tmp/codes")
[ "$ok" = 400 ] || fail "parallel clients: $ok of 400 got 200 ($(sort "$tmp/codes" | uniq -c | tr '\n' ' '))"

# Idle and half-sent connections (more than the connection limit) do not
# stop the server from answering, and it answers again once they go.
python3 - "$port" "$base" <<'PY' || fail "idle connections blocked the server"
import socket, sys, urllib.request
port, base = int(sys.argv[1]), sys.argv[2]
held = []
def hold(n):
    for i in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            if i % 2:
                s.sendall(b"GET /story/1 HTTP/1.1\r\nHost: x\r\n")  # never finished
            held.append(s)
        except OSError:
            break
hold(100)  # below the connection limit: others are still served meanwhile
with urllib.request.urlopen(base + "/story/1", timeout=5) as r:
    assert r.status == 200
hold(200)  # past it: refused, not queued forever
for s in held:
    s.close()
for _ in range(20):
    try:
        with urllib.request.urlopen(base + "/", timeout=5) as r:
            assert r.status == 200
            break
    except OSError:
        import time; time.sleep(0.2)
else:
    raise SystemExit("no answer after the idle connections closed")
PY

# Screenshots at phone width, each asserted not blank: the Arabic story, the
# index in English and in Arabic, the English story.
if command -v chromium >/dev/null 2>&1; then
    mkdir -p build/artifacts
    shot() { # shot PATH FILE
        rm -f "$2"
        timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$tmp/chrome" --window-size=420,900 --screenshot="$2" \
            "$base$1" > "$tmp/chrome.log" 2>&1
        if [ ! -s "$2" ]; then
            fail "chromium made no screenshot of $1: $(tail -3 "$tmp/chrome.log")"
            return
        fi
        python3 - "$2" <<'PY' || fail "screenshot of $1 is blank"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
channels = {2: 3, 6: 4}[ctype]
stride = width * channels + 1
colors = set()
for y in range(0, height, 3):
    row = raw[y * stride + 1:(y + 1) * stride]   # filtered bytes still vary with content
    for x in range(0, width * channels, channels * 5):
        colors.add(bytes(row[x:x + channels]))
print("screenshot %s %dx%d, %d distinct samples" % (sys.argv[1], width, height, len(colors)))
assert len(colors) > 20, len(colors)
PY
    }
    shot /story/1 build/artifacts/story-page.png
    shot / build/artifacts/index-en.png
    shot '/?ui=ar' build/artifacts/index-ar.png
    shot /story/3 build/artifacts/story-en.png
    # The browser's own DOM of the Arabic story: right to left, its lists too.
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/chrome" --dump-dom "$base/story/1" > "$tmp/dom.html" 2>/dev/null
    grep -q '<html lang="ar" dir="rtl">' "$tmp/dom.html" ||
        fail "chromium's DOM of /story/1 is not right to left"
    grep -q '<ul class="sources">' "$tmp/dom.html" || fail "chromium's DOM lacks the sources list"
else
    echo "serve.sh: chromium missing, screenshot skipped"
fi

# Answers are kept between requests, but never past a change of the store:
# every connection's copy of /, a search and the API goes once an ingest
# commits beside the running server.
for _ in 1 2 3 4 5 6 7 8; do
    get / 200 "$tmp/before.html"
    get '/search?q=Tabuk' 200 "$tmp/before-search.html"
    get /api/stories 200 "$tmp/before.json"
done
grep -q 'Tabuk' "$tmp/before.html" && fail "/ names Tabuk before it is stored"
cat > "$tmp/more.jsonl" <<'JSON'
{"id":"t1","title":"Tabuk airport opens a new terminal","text":"The new terminal of Tabuk airport opened on Thursday.\nIt doubles the airport's capacity.","source":"Wire","date":"2013-08-02","url":"https://example.net/t1","lang":"en"}
JSON
"$KHABAR" ingest --db "$tmp/news.db" "$tmp/more.jsonl" > /dev/null || fail "ingest beside the server"
for i in 1 2 3 4 5 6 7 8; do
    get '/?view=all' 200 "$tmp/after.html"
    grep -q 'Tabuk airport' "$tmp/after.html" || fail "/?view=all (request $i) kept the old answer"
    get '/search?q=Tabuk' 200 "$tmp/after-search.html"
    grep -q 'Tabuk' "$tmp/after-search.html" || fail "/search (request $i) kept the old answer"
    cmp -s "$tmp/before-search.html" "$tmp/after-search.html" &&
        fail "/search (request $i) kept the old answer"
    get /api/stories 200 "$tmp/after.json"
    grep -q 'Tabuk airport' "$tmp/after.json" || fail "/api/stories (request $i) kept the old answer"
done

# A second server on the same port cannot start.
expect_exit 1 serve --db "$tmp/news.db" --port "$port"
grep -q 'cannot listen' "$tmp/err.txt" || fail "busy port message: $(cat "$tmp/err.txt")"

# Stops cleanly on SIGTERM.
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" = 0 ] || fail "server exit status $rc after SIGTERM"
grep -q 'stopping' "$tmp/serve.err" || fail "no clean stop message"

[ "$fails" = 0 ] && echo "serve.sh: all checks held"
[ "$fails" = 0 ]
