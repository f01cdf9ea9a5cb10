#!/usr/bin/env python3
"""arabic_markup.py — the cleaner on Arabic articles in real page markup.

usage: bench/arabic_markup.py [KHABAR] [--pages N] [--seed S]   (default build/khabar, all, 1)

Public sets of Arabic pages with labelled bodies are scarce, and pages built
from khabar's own idea of a page prove nothing. So the markup comes from the
real pages of ../shared/corpora/webpages-dev/extraction and the text from
real Arabic articles of ../shared/corpora/saudinewsnet, put together at run
time in a temporary folder (nothing is written to the tree):

  - a page qualifies when every `with` snippet of its gold lies inside a <p>
    element of the raw HTML; every <p> from the first of those to the last,
    in page order, and the <p> next to them with only a little markup that
    closes no section in between, gets a paragraph of a SaudiNewsNet article
    (then of the next articles, when the page has more paragraphs);
  - the gold title, wherever the raw HTML writes it (<title>, <h1>,
    og:title, JSON-LD headline), becomes the article's title;
  - everything else stays byte for byte: class lists, forms, scripts,
    figures, JSON-LD, menus, footers, and <html lang> (often "de" or "en":
    the page must be read as Arabic from its text).

Scored as the corpus README scores the originals: each inserted paragraph is
a `with` snippet (its first 60 characters), each `without` snippet of the gold
(boilerplate the page still holds) a `without`; plus titles exact and the
share of pages detected as Arabic.
"""
import gzip
import html
import json
import os
import random
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webpages_text import clean_jsonl  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPORA = os.path.join(HERE, "..", "..", "shared", "corpora")
PAGES = os.path.join(CORPORA, "webpages-dev", "extraction")
SNN = os.path.join(CORPORA, "saudinewsnet", "articles.jsonl.gz")
WS = re.compile(r"\s+")
P_OPEN = re.compile(r"<p[\s>]", re.I)
P_CLOSE = re.compile(r"</p\s*>", re.I)


def norm(t):
    return WS.sub(" ", t or "").strip()


def text_index(raw):
    """The page's text with tags dropped and entities decoded, and for each
    character of it the offset in raw it came from."""
    out, where = [], []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "<":
            j = raw.find(">", i)
            if j < 0:
                break
            out.append(" ")
            where.append(i)
            i = j + 1
        elif c == "&":
            m = re.match(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]+);", raw[i:i + 12])
            if m:
                out.append(html.unescape(m.group(0)))
                where.extend([i] * len(out[-1]))
                i += len(m.group(0))
                continue
            out.append(c)
            where.append(i)
            i += 1
        else:
            out.append(c)
            where.append(i)
            i += 1
    return "".join(out), where


def enclosing_p(raw, at):
    """(start, inner_start, inner_end) of the <p> element holding raw[at]."""
    opens = [m for m in P_OPEN.finditer(raw, 0, at)]
    if not opens:
        return None
    start = opens[-1].start()
    close = P_CLOSE.search(raw, start)
    if not close or close.start() < at:
        return None
    gt = raw.find(">", start)
    return (start, gt + 1, close.start())


GAP_STOP = re.compile(r"</(article|main|section)|<(footer|aside|nav|form|h[1-6])[\s>]|</div>\s*</div>", re.I)


def sibling_gap(gap):
    """Is the markup between two <p> that of one article body?"""
    return len(gap) < 400 and not GAP_STOP.search(gap) and len(norm(re.sub(r"<[^>]*>", " ", gap))) < 40


def build(raw, gold, article):
    text, where = text_index(raw)
    flat = norm(text)
    if not flat:
        return None
    # map snippets to raw offsets through a whitespace-tolerant search
    spans = []
    for s in gold.get("with", []):
        words = norm(s).split(" ")
        if not words or not words[0]:
            return None
        pat = r"\s+".join(re.escape(w) for w in words)
        m = re.search(pat, text)
        if not m:
            return None
        p = enclosing_p(raw, where[m.start()])
        if not p:
            return None
        spans.append(p)
    spans = sorted(set(spans))
    for a, b in zip(spans, spans[1:]):
        if b[0] < a[2]:
            return None  # nested or overlapping: not a plain paragraph
    # every <p> between the first and the last is the article's too, and
    # the <p> right before and after them while only a little markup that
    # closes no section stands between two
    first, last_end = spans[0][0], spans[-1][2]
    spans = []
    for m in P_OPEN.finditer(raw, first, last_end):
        p = enclosing_p(raw, m.end())
        if p and p[0] == m.start() and (not spans or p[0] >= spans[-1][2]):
            spans.append(p)
    while True:
        m = P_OPEN.search(raw, spans[-1][2])
        p = enclosing_p(raw, m.end()) if m else None
        if not p or p[0] != m.start() or not sibling_gap(raw[spans[-1][2]:p[0]]):
            break
        spans.append(p)
    while True:
        prev = [m for m in P_OPEN.finditer(raw, max(0, spans[0][0] - 2000), spans[0][0])]
        p = enclosing_p(raw, prev[-1].end()) if prev else None
        if not p or p[2] > spans[0][0] or not sibling_gap(raw[p[2]:spans[0][0]]):
            break
        spans.insert(0, p)
    paras = [p.strip() for p in article["text"].split("\n\n") if p.strip()]
    for more in article.get("more", []):  # a long page takes the next articles' paragraphs too
        if len(paras) >= len(spans):
            break
        paras += [p.strip() for p in more["text"].split("\n\n") if p.strip()]
    if len(paras) < len(spans):
        return None
    out, last = [], 0
    for k, (start, inner, end) in enumerate(spans):
        out.append(raw[last:inner])
        out.append(html.escape(paras[k], quote=False))
        last = end
    out.append(raw[last:])
    page = "".join(out)
    title = gold.get("title")
    if title:
        for form in {title, html.escape(title, quote=False), html.escape(title)}:
            page = page.replace(form, html.escape(article["title"], quote=False))
    return page, paras[:len(spans)]


def main():
    args = sys.argv[1:]
    khabar, limit, seed = "build/khabar", None, 1
    while args:
        a = args.pop(0)
        if a == "--pages":
            limit = int(args.pop(0))
        elif a == "--seed":
            seed = int(args.pop(0))
        else:
            khabar = a
    gold = [json.loads(l) for l in open(os.path.join(PAGES, "gold.jsonl"), encoding="utf-8") if l.strip()]
    arts = []
    with gzip.open(SNN, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if len([p for p in r["text"].split("\n\n") if p.strip()]) >= 4:
                arts.append(r)
            if len(arts) >= 4000:
                break
    rng = random.Random(seed)
    rng.shuffle(arts)
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        ai = 0
        for g in gold:
            if limit and len(made) >= limit:
                break
            if not g.get("with"):
                continue
            raw_bytes = gzip.open(os.path.join(PAGES, g["file"])).read()
            try:
                raw = raw_bytes.decode("utf-8")
            except UnicodeDecodeError:
                continue
            art = dict(arts[ai % len(arts)])
            art["more"] = [arts[(ai + k) % len(arts)] for k in range(1, 6)]
            r = build(raw, g, art)
            if not r:
                continue
            page, inserted = r
            ai += 1
            p = os.path.join(tmp, "%04d.html" % len(made))
            with open(p, "w", encoding="utf-8") as f:
                f.write(page)
            made.append((p, g, art, inserted))
        recs = clean_jsonl(khabar, [m[0] for m in made])
    tp = fp = fn = titles = arabic = empty = 0
    for p, g, art, inserted in made:
        r = recs.get(os.path.basename(p)) or {}
        body = norm("\n".join(r.get("body") or []))
        empty += not body
        for para in inserted:
            snip = norm(para)[:60]
            if snip in body:
                tp += 1
            else:
                fn += 1
        fp += sum(norm(s) in body for s in g.get("without", []))
        titles += norm(r.get("title")) == norm(art["title"])
        arabic += r.get("lang") == "ar"
    n = len(made)
    prec = tp / (tp + fp) if tp + fp else 0
    rec = tp / (tp + fn) if tp + fn else 0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0
    print(f"Arabic articles in real markup: {n} pages (of {len(gold)}), "
          f"F1 {f1:.3f} (P {prec:.3f}, R {rec:.3f}), empty bodies {empty}, "
          f"titles exact {titles / n if n else 0:.3f}, detected Arabic {arabic / n if n else 0:.3f}")
    print("row\tclean\tarabic_markup_f1\t%.4f\tratio\t%d real templates, P %.3f R %.3f" % (f1, n, prec, rec))
    print("row\tclean\tarabic_markup_titles\t%.4f\tratio\tof %d" % (titles / n if n else 0, n))
    print("row\tclean\tarabic_markup_lang_ar\t%.4f\tratio\tof %d" % (arabic / n if n else 0, n))


if __name__ == "__main__":
    main()
