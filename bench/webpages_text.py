#!/usr/bin/env python3
"""webpages_text.py — the cleaner on crawled text: webpages-dev as a crawler's text dump.

usage: bench/webpages_text.py [KHABAR]   (default build/khabar)

Each page of ../shared/corpora/webpages-dev/extraction is turned, at run time
and in a temporary folder, into the text a crawler's dump holds: the <title>
first, then the visible text of the page, one block (paragraph, heading, list
item, table cell, div of text) per line, a blank line between blocks, script,
style and other invisible elements dropped, links kept as their text. Then
`khabar clean --format jsonl` reads those files and the body is scored the way
the corpus README says (and ../shared/tools/scoreboard does for the HTML
form): a `with` snippet found is a true positive, a `without` snippet found a
false positive. Prints F1, precision, recall, empty bodies and titles exact,
overall and by khabar's detected language. Nothing is written to the tree.
"""
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "shared", "corpora", "webpages-dev", "extraction")
WS = re.compile(r"\s+")

BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    "caption", "details", "summary", "body", "title",
}
HIDDEN = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "select",
          "textarea", "button"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param"}


def norm(t):
    return WS.sub(" ", t or "").strip()


class Dump(HTMLParser):
    """Visible text, one block a line, the way text-mode crawlers write it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.cur, self.hidden, self.title = [], [], 0, None
        self.in_title = False

    def flush(self):
        line = norm("".join(self.cur))
        if line:
            self.lines.append(line)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
            return
        if tag in HIDDEN and tag not in VOID:
            self.hidden += 1
        if tag in BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
            return
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1
        if tag in BLOCK:
            self.flush()

    def handle_data(self, data):
        if self.in_title:
            self.title = norm((self.title or "") + " " + data)
        elif not self.hidden:
            self.cur.append(data)


def clean_jsonl(khabar, paths):
    """`khabar clean --format jsonl` of paths: each record by its file's name."""
    out = subprocess.run([khabar, "clean", "--format", "jsonl"] + list(paths), capture_output=True)
    recs = {}
    for line in out.stdout.decode("utf-8").split("\n"):  # not splitlines(): U+2028 is text
        if line:
            r = json.loads(line)
            recs[os.path.basename(r.get("file") or "")] = r
    return recs


CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


def decode_page(raw):
    """The page's text by the charset it declares (a crawler's dump is
    UTF-8 whatever the page was), else UTF-8, else windows-1252."""
    m = CHARSET.search(raw[:4096])
    for enc in ([m.group(1).decode("ascii")] if m else []) + ["utf-8"]:
        try:
            return raw.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode("windows-1252", "replace")


def page_text(raw):
    text = decode_page(raw)
    d = Dump()
    try:
        d.feed(text)
        d.close()
    except Exception:  # a page the stdlib parser gives up on keeps what it read
        pass
    d.flush()
    lines = ([d.title] if d.title else []) + d.lines
    return "\n\n".join(lines) + "\n"


def main():
    khabar = sys.argv[1] if len(sys.argv) > 1 else "build/khabar"
    gold = [json.loads(l) for l in open(os.path.join(CORPUS, "gold.jsonl"), encoding="utf-8") if l.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, g in enumerate(gold):
            raw = gzip.open(os.path.join(CORPUS, g["file"])).read()
            p = os.path.join(tmp, "%04d.txt" % i)
            with open(p, "w", encoding="utf-8") as f:
                f.write(page_text(raw))
            paths.append(p)
        recs = clean_jsonl(khabar, paths)
    tot = defaultdict(lambda: [0, 0, 0, 0, 0])  # tp fp fn pages empty
    titles = titled = 0
    for i, g in enumerate(gold):
        r = recs.get("%04d.txt" % i) or {}
        body = norm("\n".join(r.get("body") or []))
        lang = r.get("lang", "und")
        tp = sum(norm(s) in body for s in g.get("with", []))
        fp = sum(norm(s) in body for s in g.get("without", []))
        fn = len(g.get("with", [])) - tp
        for k in ("ALL", lang):
            t = tot[k]
            t[0] += tp; t[1] += fp; t[2] += fn; t[3] += 1; t[4] += not body
        if g.get("title"):
            titled += 1
            titles += norm(r.get("title")) == norm(g["title"])
    print("| webpages-dev as crawled text | pages | F1 | precision | recall | empty bodies |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for k, t in sorted(tot.items(), key=lambda kv: (kv[0] != "ALL", -kv[1][3])):
        if t[3] < 5 and k != "ALL":
            continue
        p = t[0] / (t[0] + t[1]) if t[0] + t[1] else 0
        r = t[0] / (t[0] + t[2]) if t[0] + t[2] else 0
        f = 2 * p * r / (p + r) if p + r else 0
        print(f"| {k} | {t[3]} | {f:.3f} | {p:.3f} | {r:.3f} | {t[4]} |")
    print(f"titles exact: {titles / titled if titled else 0:.3f} of {titled}")
    t = tot["ALL"]
    p = t[0] / (t[0] + t[1]) if t[0] + t[1] else 0
    r = t[0] / (t[0] + t[2]) if t[0] + t[2] else 0
    print("row\tclean\twebpages_text_f1\t%.4f\tratio\t%d pages as crawled text, P %.3f R %.3f"
          % (2 * p * r / (p + r) if p + r else 0, t[3], p, r))
    print("row\tclean\twebpages_text_titles\t%.4f\tratio\tof %d" % (titles / titled if titled else 0, titled))


if __name__ == "__main__":
    main()
