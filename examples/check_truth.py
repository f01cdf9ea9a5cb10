#!/usr/bin/env python3
"""Checks examples/truth.json against the files of the sample corpus.

Every document's file must exist; for crawled-text pages (.txt files and JSONL
`page` records) every line listed in body_lines must be exactly the body
paragraph listed; JSONL `text` records must hold exactly the body paragraphs;
HTML pages and WARC response records must contain every body paragraph and the
title; story, copy_of and disagreement references must name real documents;
and the corpus must keep the size it promises (documents, outlets, stories,
languages, copy groups, formats).  Standard library only.

    usage: python3 examples/check_truth.py [EXAMPLES_DIR]
    exit status 0 when every check holds, 1 otherwise (each failure printed).
"""
import collections
import datetime
import html
import json
import os
import re
import sys

# Document paths in truth.json are relative to the corpus folder, examples/corpus.
TOP = os.path.dirname(os.path.abspath(__file__))
HERE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, 'corpus')
errors = []


def fail(msg):
    errors.append(msg)


def read_text(rel):
    with open(os.path.join(HERE, rel), encoding='utf-8') as f:
        return f.read()


def is_date(s):
    try:
        datetime.date.fromisoformat(s)
        return re.fullmatch(r'\d{4}-\d{2}-\d{2}', s) is not None
    except (TypeError, ValueError):
        return False


def check_lines(where, lines, doc):
    bl, body = doc.get('body_lines'), doc['body']
    if not isinstance(bl, list) or len(bl) != len(body):
        fail('%s: body_lines (%s) and body (%d) differ in length' % (where, bl and len(bl), len(body)))
        return
    if bl != sorted(set(bl)):
        fail('%s: body_lines not strictly increasing' % where)
    for n, want in zip(bl, body):
        if not 1 <= n <= len(lines):
            fail('%s: body line %d out of range (%d lines)' % (where, n, len(lines)))
        elif lines[n - 1] != want:
            fail('%s: line %d is %r, truth says %r' % (where, n, lines[n - 1][:60], want[:60]))
        if not want.strip():
            fail('%s: body line %d is empty' % (where, n))
    if doc['title'] not in lines:
        fail('%s: title %r is not a line of the page' % (where, doc['title'][:60]))


def load_jsonl(rel, cache={}):
    if rel not in cache:
        recs = {}
        for i, line in enumerate(read_text(rel).split('\n'), 1):
            if not line.strip():
                continue
            r = json.loads(line)
            where = '%s:%d' % (rel, i)
            for k in ('id', 'url', 'source', 'date', 'title'):
                if not isinstance(r.get(k), str) or not r[k]:
                    fail('%s: field %s missing' % (where, k))
            if ('text' in r) == ('page' in r):
                fail('%s: needs exactly one of text/page' % where)
            if not re.fullmatch(r'\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?', r.get('date', '')):
                fail('%s: date %r is not ISO' % (where, r.get('date')))
            if r.get('id') in recs:
                fail('%s: id %s repeated' % (where, r['id']))
            recs[r.get('id')] = r
        cache[rel] = recs
    return cache[rel]


def load_warc(rel, cache={}):
    """WARC-Record-ID (without <>) -> (headers, block); checks every Content-Length."""
    if rel in cache:
        return cache[rel]
    with open(os.path.join(HERE, rel), 'rb') as f:
        data = f.read()
    recs = collections.OrderedDict()
    pos = 0
    while pos < len(data):
        end = data.find(b'\r\n\r\n', pos)
        if end < 0 or not data.startswith(b'WARC/1.', pos):
            fail('%s: bad record header at byte %d' % (rel, pos))
            break
        hdr = {}
        for line in data[pos:end].decode('utf-8').split('\r\n')[1:]:
            k, _, v = line.partition(':')
            hdr[k.strip().lower()] = v.strip()
        n = int(hdr.get('content-length', '-1'))
        block = data[end + 4:end + 4 + n]
        if n < 0 or len(block) != n or data[end + 4 + n:end + 8 + n] != b'\r\n\r\n':
            fail('%s: Content-Length %d wrong for %s' % (rel, n, hdr.get('warc-record-id')))
            break
        recs[hdr.get('warc-record-id', '').strip('<>')] = (hdr, block)
        pos = end + 8 + n
    types = [h.get('warc-type') for h, _ in recs.values()]
    if not types or types[0] != 'warcinfo':
        fail('%s: first record is not warcinfo' % rel)
    if types.count('response') < 2:
        fail('%s: fewer than 2 response records' % rel)
    cache[rel] = recs
    return recs


def check_markup(where, text, doc):
    flat = html.unescape(text)
    for p in doc['body']:
        if p not in flat:
            fail('%s: body paragraph not found: %r' % (where, p[:60]))
    m = re.search(r'<title>(.*?)</title>', text, re.S)
    if not m or not html.unescape(m.group(1)).startswith(doc['title']):
        fail('%s: <title> does not start with %r' % (where, doc['title'][:60]))
    m = re.search(r'<meta property="og:title" content="([^"]*)"', text)
    if not m or html.unescape(m.group(1)) != doc['title']:
        fail('%s: og:title differs from title' % where)
    if doc.get('date'):
        m = re.search(r'<meta property="article:published_time" content="(\d{4}-\d{2}-\d{2})', text)
        if not m or m.group(1) != doc['date']:
            fail('%s: article:published_time differs from date %s' % (where, doc['date']))


def main():
    with open(os.path.join(TOP, 'truth.json'), encoding='utf-8') as f:
        truth = json.load(f)
    stories = {s['story']: s for s in truth['stories']}
    docs = truth['documents']
    keys = {}
    for d in docs:
        key = d.get('id') or os.path.splitext(os.path.basename(d['file']))[0]
        if key in keys:
            fail('doc key %s repeated' % key)
        keys[key] = d
        d['_key'] = key
    all_text = []
    for d in docs:
        key, rel = d['_key'], d['file']
        where = '%s (%s)' % (rel, key)
        if not os.path.isfile(os.path.join(HERE, rel)):
            fail('%s: file missing' % where)
            continue
        if d['story'] not in stories:
            fail('%s: story %s not in stories' % (where, d['story']))
        if d.get('copy_of') is not None:
            o = keys.get(d['copy_of']) or next((x for x in docs if x.get('_key') == d['copy_of']), None)
            if o is None:
                fail('%s: copy_of %s is no document' % (where, d['copy_of']))
            elif o['story'] != d['story'] or o.get('copy_of'):
                fail('%s: copy_of %s is in another story or is itself a copy' % (where, d['copy_of']))
        if d['date'] is not None and not is_date(d['date']):
            fail('%s: date %r' % (where, d['date']))
        if d['lang'] not in ('ar', 'en', 'fr'):
            fail('%s: lang %r' % (where, d['lang']))
        if not d['body'] or not d['title']:
            fail('%s: empty body or title' % where)
        if d.get('dateline') and not d['body'][0].startswith(d['dateline']):
            fail('%s: body does not open with dateline %r' % (where, d['dateline']))
        all_text.append(d['title'])
        all_text.extend(d['body'])
        ext = os.path.splitext(rel)[1]
        if ext == '.txt':
            if 'id' in d:
                fail('%s: a one-document file has no id' % where)
            check_lines(where, read_text(rel).split('\n'), d)
        elif ext == '.jsonl':
            r = load_jsonl(rel).get(d.get('id'))
            if r is None:
                fail('%s: no record with this id' % where)
                continue
            if r['title'] != d['title']:
                fail('%s: record title differs' % where)
            if d['date'] and not r['date'].startswith(d['date']):
                fail('%s: record date %s differs' % (where, r['date']))
            if 'text' in r:
                if [p for p in r['text'].split('\n') if p.strip()] != d['body']:
                    fail('%s: text differs from body' % where)
                if 'body_lines' in d:
                    fail('%s: body_lines given for a text record' % where)
            else:
                check_lines(where, r['page'].split('\n'), d)
        elif ext == '.html':
            check_markup(where, read_text(rel), d)
        elif ext == '.warc':
            rec = load_warc(rel).get(d.get('id'))
            if rec is None or rec[0].get('warc-type') != 'response':
                fail('%s: no response record with this id' % where)
                continue
            block = rec[1]
            payload = block[block.find(b'\r\n\r\n') + 4:].decode('utf-8')
            check_markup(where, payload, d)
        else:
            fail('%s: unknown format' % where)
    corpus = '\n'.join(all_text)
    for s in stories.values():
        mine = [d for d in docs if d['story'] == s['story']]
        if not mine:
            fail('story %s has no document' % s['story'])
            continue
        dates = [d['date'] for d in mine if d['date']]
        if dates and s['first'] != min(dates):
            fail('story %s: first %s but earliest document %s' % (s['story'], s['first'], min(dates)))
        for e in s.get('entities', []):
            for v in [e['name']] + e.get('variants', []):
                if v not in corpus:
                    fail('story %s: entity form %r occurs nowhere' % (s['story'], v))
        for dis in s.get('disagreements', []):
            vals = dis.get('values', {})
            if len(vals) < 2:
                fail('story %s: disagreement %r has fewer than two values' % (s['story'], dis.get('about')))
            for ks in vals.values():
                for k in ks:
                    if k not in keys or keys[k]['story'] != s['story']:
                        fail('story %s: disagreement names %s, not a document of the story' % (s['story'], k))
    # the size the corpus promises
    langs = collections.Counter(d['lang'] for d in docs)
    sources = {d['source'] for d in docs if d['source']}
    big = [s for s in stories if sum(d['story'] == s for d in docs) >= 3]
    groups = {d['copy_of'] for d in docs if d.get('copy_of')}
    html_docs = [d for d in docs if d['file'].endswith('.html')]
    need = [('documents', len(docs), 44), ('sources', len(sources), 5), ('stories of 3+ articles', len(big), 6),
            ('English documents', langs['en'], 8), ('Arabic documents', langs['ar'], 34),
            ('wire copy groups', len(groups), 3), ('HTML pages', len(html_docs), 4),
            ('English HTML pages', sum(d['lang'] == 'en' for d in html_docs), 2),
            ('disagreements', sum(len(s.get('disagreements', [])) for s in stories.values()), 1)]
    for what, have, want in need:
        if have < want:
            fail('only %d %s (want >= %d)' % (have, what, want))
    for e in errors:
        print('check_truth: ' + e)
    print('check_truth: %d documents, %d stories, %d sources, %s; %d problems'
          % (len(docs), len(stories), len(sources), dict(langs), len(errors)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
