#!/bin/sh
# khabar serve against hostile clients: slow headers (slowloris) from many
# connections and from one, oversized and over-parameterised requests, and
# Host headers that do not name the server (DNS rebinding). Loopback only;
# needs curl and python3. The server runs with small limits
# (--max-connections 100, --header-timeout 2) so that each guard is reached
# within a few seconds.
set -u
KHABAR=${KHABAR:-build/khabar}
BOUNDED=tests/lib/bounded
tmp=$(mktemp -d)
pid=
bg=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -n "$bg" ] && kill "$bg" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

command -v curl >/dev/null || { echo "serve_hostile.sh: curl missing, skipped"; exit 0; }
command -v python3 >/dev/null || { echo "serve_hostile.sh: python3 missing, skipped"; exit 0; }

cat > "$tmp/in.jsonl" <<'JSON'
{"id":"a1","title":"آشتون تصل إلى القاهرة","text":"وصلت كاثرين آشتون إلى القاهرة صباح اليوم في زيارة تستمر يومين.","source":"وكالة أ","date":"2013-07-29"}
JSON
"$KHABAR" ingest --db "$tmp/news.db" "$tmp/in.jsonl" > /dev/null || fail "ingest"

"$KHABAR" help serve | grep -q -- '--header-timeout' || fail "khabar help serve lacks --header-timeout"
expect_usage() {
    "$KHABAR" serve --db "$tmp/news.db" "$@" > /dev/null 2>&1
    [ $? = 2 ] || fail "serve $*: not a usage error"
}
expect_usage --header-timeout 0
expect_usage --max-connections x
expect_usage --max-per-ip -1

"$KHABAR" serve --db "$tmp/news.db" --port 0 --max-connections 100 --header-timeout 2 \
    --host news.example 2> "$tmp/serve.err" &
pid=$!
port=
for _ in $(seq 1 50); do
    port=$(sed -n 's|^serving http://127\.0\.0\.1:\([0-9][0-9]*\)/$|\1|p' "$tmp/serve.err")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/serve.err"; fail "server did not start"; exit 1; }
base="http://127.0.0.1:$port"

# (b) One client trickles a header byte every 0.5 s: it is cut off at the
# header deadline (2 s), not after the 15 s inactivity timeout.
python3 - "$port" > "$tmp/trickle.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
start = time.monotonic()
req = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100
i = 0
while time.monotonic() - start < 8:
    try:
        s.sendall(req[i:i + 1] if i < len(req) else b"a")
        i += 1
        s.settimeout(0.5)
        if s.recv(1) == b"":
            break
    except socket.timeout:
        continue
    except OSError:
        break
print("%.2f" % (time.monotonic() - start))
PY
bg=$!

# (c) Requests too big to parse get a 4xx at once, never silence.
# status WANT BOUND_S CURL_ARGS...
status() {
    want=$1 bound=$2
    shift 2
    code=$($BOUNDED "$bound" 64 curl -s -g -o "$tmp/body" -w '%{http_code}' --max-time 20 "$@")
    case " $want " in *" $code "*) ;; *) fail "curl $(echo "$*" | cut -c1-80): status $code, want $want" ;; esac
}
params() { python3 -c 'import sys; print("&".join("p%d=1" % i for i in range(int(sys.argv[1]))))' "$1"; }
status 200 2 "$base/?$(params 60)"
status 400 2 "$base/?$(params 500)"
grep -q 'Too many query parameters' "$tmp/body" || fail "500 parameters: no message"
status "400 414" 2 "$base/?$(params 5000)"
status 414 2 "$base/search?q=$(python3 -c 'print("a" * 20000)')"
status 414 2 "$base/search?q=$(python3 -c 'print("a" * 100000)')"
status 431 2 -H "X-Big: $(python3 -c 'print("b" * 100000)')" "$base/"
status 400 2 "$base/api/stories?$(params 100)"
python3 -c 'import json,sys; assert "error" in json.load(open(sys.argv[1]))' "$tmp/body" \
    || fail "a refused /api/ request is not JSON"

# (d) Host must name the server: DNS rebinding sends the attacker's name.
status 421 2 -H "Host: evil.example" "$base/"
grep -q 'Host header' "$tmp/body" || fail "421 page does not say why"
status 421 2 -H "Host: evil.example:$port" "$base/api/stories"
status 421 2 -H "Host: 127.0.0.1:1" "$base/"
status 421 2 -H "Host: 127.0.0.2:$port" "$base/"
status 200 2 -H "Host: 127.0.0.1:$port" "$base/"
status 200 2 -H "Host: 127.0.0.1" "$base/"
status 200 2 -H "Host: LocalHost:$port" "$base/story/1"
status 200 2 -H "Host: news.example:$port" "$base/api/stories"
status 200 2 --http1.0 -H "Host:" "$base/"
status 400 2 -H "Host:" "$base/"

wait "$bg"
bg=
took=$(cat "$tmp/trickle.out")
python3 -c 'import sys; t = float(sys.argv[1]); assert 1.9 <= t <= 4, t' "$took" \
    || fail "a trickling client was cut off after ${took} s, want about 2 s"

# (a) 500 connections trickling header bytes, five times the connection
# limit and twenty times the limit per address (all of them and the normal
# client share 127.0.0.1): the normal client still gets / within a second.
python3 - "$port" > "$tmp/slowloris.out" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
socks = []
for _ in range(500):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    socks.append(s)
req = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100
start = time.monotonic()
i = 0
while time.monotonic() - start < 3:
    for s in socks:
        try:
            s.send(req[i:i + 1])
        except OSError:
            pass
    i += 1
    time.sleep(0.5)
print("trickled", i)
PY
bg=$!
sleep 0.5
for _ in 1 2 3; do
    status 200 1 "$base/"
    sleep 0.5
done
wait "$bg"
bg=
grep -q trickled "$tmp/slowloris.out" || fail "slowloris client: $(cat "$tmp/slowloris.out")"
status 200 1 "$base/story/1"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" = 0 ] || fail "server exit status $rc after SIGTERM"

[ "$fails" = 0 ] && echo "serve_hostile.sh: all checks held"
[ "$fails" = 0 ]
