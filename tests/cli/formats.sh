#!/bin/sh
# doc/formats.md against what khabar writes: runs every command that writes
# JSON (read, clean, dedup, dedup --groups, stories, stories --db, account, names,
# ingest, crawl, and the web API of khabar serve) on the examples and the seeds
# (skipped when ../shared/seeds is absent), collects every key path it writes
# (story, articles[], why[].terms[].share...), and compares them with the
# document's tables: a key written but not documented, documented but never
# written (unless marked optional), of another type, or missing from a record
# fails; so does a key name missing from the vocabulary, or documented twice.
#   KHABAR=build/khabar sh tests/cli/formats.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
command -v python3 >/dev/null 2>&1 || { echo "formats.sh: python3 missing, skipped"; exit 0; }
tmp=$(mktemp -d /tmp/khabar-cli-formats-XXXXXX)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# run OUTPUT COMMAND...: the command's JSON into $tmp/OUTPUT.N.json
n=0
run() {
    out=$1; shift
    n=$((n + 1))
    "$KHABAR" "$@" >"$tmp/$out.$n.json" 2>"$tmp/err" || fail "khabar $*: $(head -c 300 "$tmp/err")"
}

# every PATH...: each command that reads inputs, on these inputs
every() {
    run read read "$@"
    run clean clean "$@"
    run clean clean --format jsonl "$@"
    run dedup dedup "$@"
    run dedup-groups dedup --groups "$@"
    run stories stories "$@"
    run account account "$@"
    run account account --format json "$@"
    run names names "$@"
}
every examples/corpus
seeds=
if [ -f ../shared/seeds/000_02b5dd302558214f.txt ]; then
    seeds=$(ls ../shared/seeds/*.txt)
    # shellcheck disable=SC2086 # one file a word
    every $seeds
else
    echo "formats.sh: ../shared/seeds absent, the examples only"
fi
# shellcheck disable=SC2086
run ingest ingest --db "$tmp/news.db" examples/corpus $seeds
run ingest ingest --db "$tmp/news.db" --check
run stories stories --db "$tmp/news.db"
# A crawl whose one host cannot be reached writes every key of its counts
# (a store, and none); nothing leaves the machine.
run crawl crawl --db "$tmp/crawl.db" --max-wait 0 --timeout 1 --quiet http://127.0.0.1:9/
run crawl crawl --state "$tmp/nodb.crawl" --max-wait 0 --timeout 1 --quiet http://127.0.0.1:9/
run stories stories --db "$tmp/news.db" --format jsonl

# The web API, on a free port as tests/cli/serve.sh starts it.
"$KHABAR" serve --db "$tmp/news.db" --port 0 2>"$tmp/serve.err" &
pid=$!
port=
for _ in $(seq 1 50); do
    port=$(sed -n 's|^serving http://127\.0\.0\.1:\([0-9][0-9]*\)/$|\1|p' "$tmp/serve.err")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/serve.err"; fail "server did not start"; exit 1; }

python3 - "$tmp" "http://127.0.0.1:$port" doc/formats.md >"$tmp/py" 2>&1 <<'PY'
import glob, json, os, re, sys, urllib.error, urllib.request

tmp, base, doc_path = sys.argv[1], sys.argv[2], sys.argv[3]
problems = []

# ---- the document -----------------------------------------------------------
# "## Vocabulary": one table, | name | meaning |. "## Outputs": "### `NAME`"
# then a table | key | type | meaning |. "## Shapes": "### shape `NAME`"
# then the same table. A key ending in ? is optional; {shape} rows expand.
TYPES = {"string", "integer", "number", "boolean", "null", "array", "object"}
vocabulary, outputs, shapes = [], {}, {}
section, table = None, None
for line in open(doc_path, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("## "):
        section, table = line[3:].strip(), None
        if section == "Vocabulary":
            table = vocabulary
        continue
    if line.startswith("### "):
        m = re.match(r"### (shape )?`([^`]+)`\s*$", line)
        if section in ("Outputs", "Shapes") and m:
            table = []
            (shapes if m.group(1) else outputs)[m.group(2)] = table
        elif section in ("Outputs", "Shapes"):
            problems.append("doc: a heading not of the shape ### `NAME`: " + line)
        continue
    if table is None or not line.startswith("|"):
        continue
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    if not cells or cells[0] in ("key", "name") or set(cells[0]) <= set("- "):
        continue
    key = cells[0].strip("`")
    if table is vocabulary:
        table.append(key)
    else:
        types = set(t.strip() for t in cells[1].split(" or ")) if cells[1] else set()
        if not key.startswith("{") and not key.endswith("}") and not types <= TYPES:
            problems.append("doc: %s: unknown type %r" % (key, cells[1]))
        table.append((key, types))


def expand(rows, prefix="", seen=()):
    """(path, types, optional) for every row, shapes put in place."""
    out = []
    for key, types in rows:
        m = re.match(r"^(.*?)\{([^}]+)\}$", key)
        if m:
            name = m.group(2)
            if name not in shapes or name in seen:
                problems.append("doc: no shape %r (or a loop)" % name)
                continue
            out += expand(shapes[name], prefix + m.group(1), seen + (name,))
            continue
        optional = key.endswith("?")
        out.append((prefix + key.rstrip("?"), types, optional))
    return out


def name_of(path):
    last = re.split(r"[.]", path.replace("[]", ""))[-1]
    return last


def parent_of(path):
    if path.endswith("[]"):
        return path[:-2], "[]"
    i = path.rfind(".")
    return (path[:i], path[i + 1:]) if i >= 0 else ("", path)


documented = {}
for name, rows in outputs.items():
    documented[name] = {}
    for path, types, optional in expand(rows):
        if path in documented[name]:
            problems.append("doc: %s: %s listed twice" % (name, path))
        documented[name][path] = (types, optional)
    # The elements of a list of objects (sources[]) go without a row of
    # their own: their keys (sources[].id) have rows.
    for path in list(documented[name]):
        i = path.find("[].")
        while i >= 0:
            documented[name].setdefault(path[:i + 2], ({"object"}, False))
            i = path.find("[].", i + 1)

# One meaning per name: every key name is in the vocabulary once, and the
# vocabulary has no name no output uses.
used = set()
for rows in list(outputs.values()) + list(shapes.values()):
    for key, _ in rows:
        if not key.startswith("{") and "{" not in key:
            used.add(name_of(key.rstrip("?")))
for v in sorted(set(vocabulary)):
    if vocabulary.count(v) > 1:
        problems.append("vocabulary: %s listed %d times" % (v, vocabulary.count(v)))
for v in sorted(used - set(vocabulary)):
    problems.append("vocabulary: %s is used but not in the vocabulary" % v)
for v in sorted(set(vocabulary) - used):
    problems.append("vocabulary: %s is in the vocabulary but no output has it" % v)

# ---- what khabar writes --------------------------------------------------------
def records_of(text):
    dec, i, out = json.JSONDecoder(), 0, []
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        v, i = dec.raw_decode(text, i)
        out.append(v)
    return out


written = {}


def jtype(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


def walk(output, v, path, where):
    doc = documented.get(output, {})
    if path:
        written.setdefault(output, set()).add(path)
        if path not in doc:
            problems.append("%s: %s written but not documented (%s)" % (output, path, where))
        else:
            t = jtype(v)
            ok = doc[path][0]
            if t not in ok and not (t == "integer" and "number" in ok):
                problems.append("%s: %s is %s, documented %s (%s)"
                                % (output, path, t, " or ".join(sorted(ok)), where))
    if isinstance(v, dict):
        for p, (types, optional) in doc.items():
            parent, key = parent_of(p)
            if parent == path and key != "[]" and not optional and key not in v:
                problems.append("%s: %s missing from a record (%s)" % (output, p, where))
        for k, x in v.items():
            walk(output, x, (path + "." if path else "") + k, where)
    elif isinstance(v, list):
        for x in v:
            walk(output, x, path + "[]", where)


def take(output, text, where):
    try:
        recs = records_of(text)
    except ValueError as e:
        problems.append("%s: not JSON (%s): %s" % (output, where, e))
        return 0
    for r in recs:
        walk(output, r, "", where)
    return len(recs)


names = {"read": "read", "clean": "clean", "dedup": "dedup", "dedup-groups": "dedup --groups",
         "stories": "stories", "account": "account", "ingest": "ingest", "names": "names",
         "crawl": "crawl"}
for f in sorted(glob.glob(os.path.join(tmp, "*.json"))):
    output = names[os.path.basename(f).split(".")[0]]
    take(output, open(f, encoding="utf-8").read(), os.path.basename(f))


opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy


def get(path):
    try:
        with opener.open(base + path, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


status, text = get("/api/stories")
listed = []
page = 1
while status == 200:
    take("GET /api/stories", text, "/api/stories?page=%d" % page)
    got = json.loads(text)
    listed += [s["story"] for s in got.get("stories", []) if "story" in s]
    if page * got.get("per_page", 1 << 30) >= got.get("total", 0):
        break
    page += 1
    status, text = get("/api/stories?page=%d" % page)
if status != 200 or not listed:
    problems.append("/api/stories: status %d, %d stories" % (status, len(listed)))
for s in listed:
    status, text = get("/api/story/%d" % s)
    if status != 200:
        problems.append("/api/story/%d: status %d" % (s, status))
    take("GET /api/story/N", text, "/api/story/%d" % s)
for q in ("port", "%D8%A7%D9%84%D9%86%D8%AE%D9%8A%D9%84", "nothingmatchesthis"):  # النخيل
    status, text = get("/api/search?q=" + q)
    if status != 200:
        problems.append("/api/search?q=%s: status %d" % (q, status))
    take("GET /api/search", text, "/api/search?q=" + q)
for path in ("/api/story/999999999", "/api/story/x", "/api/stories?per_page=0"):
    status, text = get(path)
    if status == 200:
        problems.append("%s: status 200" % path)
    take("GET /api/... (an error)", text, path)

def under_unwritten_optional(output, path):
    """Whether path lies under an optional key that was never written."""
    doc, w = documented[output], written.get(output, set())
    parent = parent_of(path)[0]
    while parent:
        if parent in doc and doc[parent][1] and parent not in w:
            return True
        parent = parent_of(parent)[0]
    return False


for output, doc in sorted(documented.items()):
    if output not in written:
        problems.append("%s: documented, but this test wrote none of it" % output)
        continue
    for p, (types, optional) in sorted(doc.items()):
        if p not in written[output] and not optional and not under_unwritten_optional(output, p):
            problems.append("%s: %s documented but never written" % (output, p))
for output in sorted(set(written) - set(documented)):
    problems.append("%s: written but not documented as an output" % output)

seen = set()
for p in problems:
    what = re.sub(r" \([^()]*\)$", "", p)  # once each, at its first place
    if what not in seen:
        seen.add(what)
        print(p)
print("%d outputs, %d key paths documented, %d written; %d problems"
      % (len(documented), sum(len(d) for d in documented.values()),
         sum(len(w) for w in written.values()), len(seen)))
sys.exit(1 if problems else 0)
PY
[ $? -eq 0 ] || fail "doc/formats.md and the outputs differ:"
cat "$tmp/py"

# khabar help formats prints the document.
"$KHABAR" help formats >"$tmp/help" 2>&1 || fail "khabar help formats: exit $?"
cmp -s "$tmp/help" doc/formats.md || fail "khabar help formats is not doc/formats.md"

[ "$fails" -eq 0 ] && echo "formats.sh: ok"
[ "$fails" -eq 0 ]
