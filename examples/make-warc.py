#!/usr/bin/env python3
"""Writes examples/corpus/warc/sample.warc from the HTML pages in examples/warc-src/.

The output is deterministic: record ids, dates and IP addresses come from
warc-src/records.tsv (file, target URI, WARC-Record-ID, WARC-Date), so running
it twice gives the same bytes.  Content-Length and the SHA-1 digests are
computed from the exact bytes written.  One warcinfo record, then one
`response` record (HTTP/1.1 headers + HTML) per line of records.tsv.

    usage: python3 examples/make-warc.py [OUTPUT]   (default examples/corpus/warc/sample.warc)
"""
import base64
import email.utils
import hashlib
import os
import sys
import datetime

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, 'warc-src')
WARCINFO_ID = 'urn:uuid:9b2f4e61-0c3a-4d7b-8e15-a4c6f0d2b731'
WARCINFO_DATE = '2025-07-05T23:00:00Z'


def sha1_b32(data):
    return 'sha1:' + base64.b32encode(hashlib.sha1(data).digest()).decode('ascii')


def record(headers, block):
    head = 'WARC/1.1\r\n'
    for k, v in headers:
        head += '%s: %s\r\n' % (k, v)
    head += 'Content-Length: %d\r\n\r\n' % len(block)
    return head.encode('utf-8') + block + b'\r\n\r\n'


def http_date(iso):
    dt = datetime.datetime.strptime(iso, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
    return email.utils.format_datetime(dt, usegmt=True)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'corpus', 'warc', 'sample.warc')
    rows = []
    with open(os.path.join(SRC, 'records.tsv'), encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line and not line.startswith('#'):
                rows.append(line.split('\t'))
    info = ('software: khabar examples/make-warc.py\r\n'
            'format: WARC File Format 1.1\r\n'
            'conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n'
            'description: sample crawl of three news articles for the khabar examples\r\n'
            'robots: obey\r\n').encode('utf-8')
    parts = [record([('WARC-Type', 'warcinfo'),
                     ('WARC-Date', WARCINFO_DATE),
                     ('WARC-Record-ID', '<%s>' % WARCINFO_ID),
                     ('WARC-Filename', 'sample.warc'),
                     ('Content-Type', 'application/warc-fields')], info)]
    for n, (name, uri, rid, date) in enumerate(rows):
        with open(os.path.join(SRC, name), 'rb') as f:
            payload = f.read()
        # one server sends no charset: the page's <meta charset> has to be read
        ctype = 'text/html' if n == 1 else 'text/html; charset=UTF-8'
        http = ('HTTP/1.1 200 OK\r\n'
                'Date: %s\r\n'
                'Server: nginx\r\n'
                'Content-Type: %s\r\n'
                'Content-Length: %d\r\n'
                'Cache-Control: max-age=300\r\n'
                'Connection: close\r\n\r\n' % (http_date(date), ctype, len(payload))).encode('ascii')
        block = http + payload
        parts.append(record([('WARC-Type', 'response'),
                             ('WARC-Record-ID', '<%s>' % rid),
                             ('WARC-Warcinfo-ID', '<%s>' % WARCINFO_ID),
                             ('WARC-Date', date),
                             ('WARC-Target-URI', uri),
                             ('WARC-IP-Address', '192.0.2.%d' % (10 + n)),
                             ('Content-Type', 'application/http; msgtype=response'),
                             ('WARC-Block-Digest', sha1_b32(block)),
                             ('WARC-Payload-Digest', sha1_b32(payload))], block))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'wb') as f:
        f.write(b''.join(parts))
    print('%s: %d records' % (out, len(parts)))


if __name__ == '__main__':
    main()
