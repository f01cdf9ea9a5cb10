#!/bin/sh
# khabar stories, provenance: the copies each story prints are the pairs
# khabar dedup --groups finds (and end, copy to copy, at the original the
# example truth names), independent_sources counts at most the story's
# outlets, the wire its copies came from, Markdown's line, --db without.
#   KHABAR=build/khabar sh tests/cli/stories_copies.sh   (from the repository root)
set -u
KHABAR=${KHABAR:-build/khabar}
tmp=$(mktemp -d /tmp/khabar-cli-stories-copies-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
    d=$1; shift
    if "$@"; then :; else echo "FAIL: $d"; fail=1; fi
}

# The example corpus: the same pairs as dedup --groups, the truth's groups.
if command -v python3 >/dev/null 2>&1; then
    "$KHABAR" stories examples/corpus >"$tmp/stories.jsonl" 2>/dev/null
    check "corpus: stories exit 0" [ $? -eq 0 ]
    "$KHABAR" dedup --groups examples/corpus >"$tmp/groups.jsonl" 2>/dev/null
    check "corpus: dedup --groups exit 0" [ $? -eq 0 ]
    check "corpus: copies as dedup --groups and the truth" python3 - "$tmp/stories.jsonl" \
        "$tmp/groups.jsonl" examples/truth.json <<'PY'
import json, sys
ok = True
def say(*a):
    global ok
    ok = False
    print(*a)
stories = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
groups = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
truth = json.load(open(sys.argv[3], encoding="utf-8"))["documents"]
# pairs (copy, the one it copies, how), as each command says them
printed = {}
for s in stories:
    ids = s["articles"]
    for c in s["copies"]:
        if c["id"] not in ids:
            say("story %d: copy %s is not its article" % (s["story"], c["id"]))
        if c["id"] in printed:
            say("copy %s printed twice" % c["id"])
        printed[c["id"]] = (c["copy_of"], c["relation"])
        if c["relation"] not in ("exact", "near", "contained", "extended"):
            say("%s: relation %s" % (c["id"], c["relation"]))
    # independent sources: at least one, at most the story's outlets
    outlets = len({r["source"] for r in s["sources"] if r.get("source")})
    if not 1 <= s["independent_sources"] <= outlets:
        say("story %d: %d independent sources of %d outlets" % (s["story"],
            s["independent_sources"], outlets))
    if not s["copies"] and s["independent_sources"] != outlets:
        say("story %d: no copies, %d independent of %d outlets" % (s["story"],
            s["independent_sources"], outlets))
    if s["wire"] is not None and not isinstance(s["wire"], str):
        say("story %d: wire %r" % (s["story"], s["wire"]))
found = {}
for g in groups:
    for m in g["members"]:
        if m["copy_of"] is not None:
            found[m["id"]] = (m["copy_of"], m["relation"])
if printed != found:
    say("stories and dedup --groups differ:", sorted(set(printed.items()) ^ set(found.items())))
# the truth: every copy it names, and only those, ends at its original
orig = {}
for d in truth:
    if d.get("copy_of"):
        orig[d.get("id") or "corpus/" + d["file"]] = d["copy_of"]
def root(i):
    seen = set()
    while i in printed and i not in seen:
        seen.add(i)
        i = printed[i][0]
    return i
if set(printed) != set(orig):
    say("copies differ from the truth's:", sorted(set(printed) ^ set(orig)))
for i, o in orig.items():
    if i in printed and root(i) != o:
        say("%s: ends at %s, the truth says %s" % (i, root(i), o))
if len(orig) < 5:
    say("the truth names only %d copies" % len(orig))
sys.exit(0 if ok else 1)
PY
else
    echo "stories_copies.sh: python3 missing, the corpus check skipped"
fi

# A wire's copy group: one story; every copy names the one it copies; the
# agency's own copy (spa) is the one independent source; three outlets ran
# the واس wire.
P1='أعلنت وزارة الصحة اليوم الأحد عن افتتاح مستشفى جديد في مدينة أبها بسعة 300 سرير، وذلك ضمن خطة الوزارة لتوسيع الخدمات الصحية في المناطق الجنوبية من المملكة.'
P2='وقال المتحدث الرسمي باسم الوزارة إن المستشفى يضم أقساما متخصصة في أمراض القلب والأورام وطب الأطفال، إضافة إلى مركز للطوارئ يعمل على مدار الساعة، ومختبرات حديثة مجهزة بأحدث الأجهزة الطبية.'
P3='وأوضح أن تكلفة المشروع بلغت نحو 450 مليون ريال، وأن العمل فيه استمر ثلاث سنوات بمشاركة شركات وطنية، مشيرا إلى أن المستشفى سيوفر أكثر من ألف وظيفة للشباب من أبناء المنطقة.'
C1='الرياض - واس: اعلنت وزارة الصحة اليوم الاحد عن افتتاح مستشفى جديد في مدينة ابها بسعة ٣٠٠ سرير، وذلك ضمن خطة الوزارة لتوسيع الخدمات الصحية في المناطق الجنوبية من المملكة.'
cat > "$tmp/wire.jsonl" <<JSON
{"id": "late", "date": "2015-07-03T10:00", "source": "okaz", "text": "$C1\n\n$P2\n\n$P3"}
{"id": "orig", "date": "2015-07-01T08:00", "source": "alriyadh", "text": "$P1\n\n$P2\n\n$P3"}
{"id": "same", "date": "2015-07-02", "source": "okaz", "text": "$P1   \n$P2 \n\n $P3"}
{"id": "wire", "date": "2015-07-04T09:00", "source": "spa", "text": "$P1\n\n$P2\n\n$P3"}
JSON
"$KHABAR" stories "$tmp/wire.jsonl" >"$tmp/wire.out" 2>/dev/null
check "wire: exit 0" [ $? -eq 0 ]
check "wire: one story" [ "$(wc -l <"$tmp/wire.out")" -eq 1 ]
check "wire: provenance" grep -q '"last": "2015-07-04T09:00", "copies": \[{"id": "orig", "copy_of": "wire", "relation": "exact"}, {"id": "same", "copy_of": "orig", "relation": "exact"}, {"id": "late", "copy_of": "orig", "relation": "near"}\], "independent_sources": 1, "wire": "واس", "why": ' "$tmp/wire.out"
"$KHABAR" stories --format md "$tmp/wire.jsonl" >"$tmp/wire.md" 2>/dev/null
check "wire: Markdown" grep -qx '3 outlets ran the واس wire; 1 independent source' "$tmp/wire.md"
# Without the wire's own copy: the earliest is the original, whose outlet
# is the one independent source.
grep -v '"wire"' "$tmp/wire.jsonl" >"$tmp/nowire.jsonl"
"$KHABAR" stories --format md "$tmp/nowire.jsonl" >"$tmp/nowire.md" 2>/dev/null
check "no wire's copy: Markdown" grep -qx '2 outlets ran the واس wire; 1 independent source' "$tmp/nowire.md"

# One report alone: no copies, its one source, no wire.
cat > "$tmp/apart.jsonl" <<JSON
{"id": "a", "date": "2015-07-01", "source": "okaz", "text": "$P1"}
JSON
"$KHABAR" stories "$tmp/apart.jsonl" >"$tmp/apart.out" 2>/dev/null
check "alone: no copies" grep -q '"copies": \[\], "independent_sources": 1, "wire": null' "$tmp/apart.out"
"$KHABAR" stories --format md "$tmp/apart.jsonl" >"$tmp/apart.md" 2>/dev/null
check "alone: Markdown" grep -qx '1 independent source' "$tmp/apart.md"

# The store keeps the provenance: --db prints what stories printed, and
# sqlite3 sees the copy relation in the articles' columns.
"$KHABAR" ingest --db "$tmp/news.db" "$tmp/wire.jsonl" >/dev/null 2>&1
"$KHABAR" stories --db "$tmp/news.db" >"$tmp/db.out" 2>/dev/null
check "--db: exit 0" [ $? -eq 0 ]
check "--db: provenance" grep -q '"copies": \[{"id": "orig", "copy_of": "wire", "relation": "exact"}, {"id": "same", "copy_of": "orig", "relation": "exact"}, {"id": "late", "copy_of": "orig", "relation": "near"}\], "independent_sources": 1, "wire": "واس", "why": ' "$tmp/db.out"
"$KHABAR" stories --db "$tmp/news.db" --format md >"$tmp/db.md" 2>/dev/null
check "--db: Markdown" grep -qx '3 outlets ran the واس wire; 1 independent source' "$tmp/db.md"
if command -v sqlite3 >/dev/null 2>&1; then
    check "--db: the columns" [ "$(sqlite3 "$tmp/news.db" "select group_concat(id || ':' || coalesce(copy_of, '-') || ':' || coalesce(copy_relation, '-') || ':' || coalesce(wire, '-'), ' ') from (select * from articles order by id)")" = "late:orig:near:واس orig:wire:exact:واس same:orig:exact:واس wire:-:-:واس" ]
fi

exit $fail
