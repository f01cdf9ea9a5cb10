#!/usr/bin/env python3
"""crawl_server.py — three invented news outlets on 127.0.0.1 for the
crawler's tests (tests/cli/crawl.sh). Loopback only; Python 3 stdlib.

  python3 tests/crawl_server.py LOGFILE PORTFILE

Each outlet is its own server on a port the OS chooses; PORTFILE receives
"wahat=P1 harbour=P2 sawt=P3 down=P4" once all listen. Every request is logged to
LOGFILE as one line: unix-time port method path status conditional(0/1)
user-agent.

  wahat   (Arabic) a home page linking its RSS feed; robots.txt with a
          Disallow, a Crawl-delay and a Sitemap line; a news sitemap index;
          a redirect to an article, a redirect loop, an article the robots
          rules forbid (linked from the feed, so the test sees it skipped);
          a sitemap that is a .xml.gz file
  harbour (English) a home page without feed links, so the crawler tries
          the common paths: /feed is Atom, /rss.xml a malformed feed;
          articles gzip-compressed for a client that accepts it; a 429
          with Retry-After on an article's first request; a gzip bomb; an
          endless chunked body; a lying Content-Length
  sawt    (Arabic) given as a feed URL, in windows-1256; robots.txt answers
          404 (allow all);
          a windows-1256 article declared in Content-Type; a slow article;
          a copy of a wahat article; an oversized page
  down    robots.txt answers 503: nothing else may be asked of it

Feeds, sitemaps and robots.txt carry ETag and Last-Modified and answer 304
to a request that presents either. POST /_bump?outlet=wahat&n=1 gives an
article a later date in the feed (a changed article).

  python3 tests/crawl_server.py --bench HOSTS ARTICLES LOGFILE PORTFILE

serves HOSTS plain outlets instead (bench/bench_crawl.c): robots.txt that
allows all, /feed.xml listing ARTICLES articles, and the articles, English
paragraphs varied by outlet and number. PORTFILE receives the ports, one a
line.
"""
import gzip
import http.server
import os
import socketserver
import sys
import threading
import time
import zlib

LOG_LOCK = threading.Lock()
LOG = None
BUMPED = set()
SEEN = set()  # (outlet, path) answered once, for the 429

LAST_MODIFIED = "Mon, 01 Dec 2025 08:00:00 GMT"

NAV = ('<header><a href="/" class="brand">{name}</a><nav><a href="/">{home}</a> '
       '<a href="/local">{local}</a> <a href="/world">{world}</a> <a href="/sport">{sport}</a>'
       '</nav></header>')
FOOT = '<footer><p>{copy}</p><a href="/about">{about}</a> <a href="/contact">{contact}</a></footer>'
AR = dict(home="الرئيسية", local="محليات", world="العالم", sport="رياضة",
          about="من نحن", contact="اتصل بنا")
EN = dict(home="Home", local="Local", world="World", sport="Sport", about="About",
          contact="Contact")


def page(lang, outlet, title, date, paras, charset="utf-8"):
    words = AR if lang == "ar" else EN
    body = "\n".join("<p>%s</p>" % p for p in paras)
    return ("""<!doctype html>
<html lang="{lang}" dir="{dir}">
<head><meta charset="{cs}"><title>{title} | {name}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{name}">
<meta property="article:published_time" content="{date}">
</head>
<body>
{nav}
<main><article>
<h1>{title}</h1>
<p class="byline"><time datetime="{date}">{date}</time></p>
<div class="story-body">
{body}
</div>
</article></main>
{foot}
</body></html>
""").format(lang=lang, dir="rtl" if lang == "ar" else "ltr", cs=charset, title=title,
            name=outlet, date=date, nav=NAV.format(name=outlet, **words), body=body,
            foot=FOOT.format(copy="© " + outlet, **words))


# ---------------------------------------------------------------- articles
DAM = [
    "أعلنت بلدية واحة النخيل صباح الثلاثاء افتتاح سد الوادي الأخضر بعد ثلاث سنوات من أعمال البناء، "
    "في مشروع تبلغ كلفته مئة وعشرين مليون دينار ويهدف إلى تخزين مياه الأمطار لري المزارع المحيطة.",
    "وقال رئيس البلدية سالم بن راشد في كلمة خلال حفل الافتتاح إن السد سيوفر المياه لأكثر من أربعة "
    "آلاف مزرعة، وسيحمي الأحياء المنخفضة من السيول التي اجتاحت المدينة قبل عامين.",
    "وأضاف أن المرحلة الثانية من المشروع تشمل شبكة قنوات بطول ستين كيلومترا تنتهي أعمالها في "
    "نهاية العام المقبل، وأن البلدية ستطرح مناقصتها خلال الأسابيع القادمة.",
    "ورحب المزارعون في المنطقة بالمشروع، وقال أحدهم إن نقص المياه في الصيف الماضي أجبره على ترك "
    "نصف أرضه دون زراعة.",
]
LIBRARY = [
    "افتتحت وزارة الثقافة مساء الأحد المكتبة الوطنية الجديدة في حي الميناء، وتضم أكثر من مليون "
    "كتاب ومخطوطة نادرة جمعت من مكتبات قديمة في أنحاء البلاد.",
    "وقالت وزيرة الثقافة هدى العامري إن المكتبة ستفتح أبوابها للجمهور مجانا طوال أيام الأسبوع، "
    "وإنها تضم قاعة للأطفال ومختبرا لترميم المخطوطات.",
    "واستغرق بناء المكتبة أربع سنوات بكلفة بلغت خمسة وأربعين مليون دينار، وصمم مبناها مهندسون "
    "محليون على شكل كتاب مفتوح يطل على البحر.",
]
FESTIVAL = [
    "انطلقت مساء الخميس فعاليات مهرجان التمور السنوي في ساحة السوق القديم بمشاركة مئتي مزارع "
    "يعرضون أكثر من خمسين صنفا من التمور المحلية.",
    "وقال مدير المهرجان خالد المهيري إن عدد الزوار في اليوم الأول تجاوز عشرين ألف زائر، وإن "
    "المهرجان يستمر عشرة أيام تتخللها مسابقات لأجود الأصناف.",
    "وتشمل الفعاليات ورشا لتعليم الأطفال طرق العناية بالنخيل وعروضا للحرف اليدوية التقليدية.",
]
RAIN = [
    "قررت مديرية التعليم في واحة النخيل تعليق الدراسة في المدارس الحكومية والخاصة يوم الأربعاء "
    "بسبب الأمطار الغزيرة التي هطلت على المدينة منذ مساء الاثنين.",
    "وقال مدير التعليم يوسف الكعبي إن القرار جاء حرصا على سلامة الطلاب بعد تجمع المياه في عدد من "
    "الطرق المؤدية إلى المدارس، وإن الدراسة ستستأنف الخميس إذا تحسنت الأحوال الجوية.",
    "وتوقعت هيئة الأرصاد استمرار هطول الأمطار حتى صباح الخميس مع رياح نشطة على المناطق الساحلية.",
]
BRIDGE = [
    "Engineers closed the old Saltmarsh Bridge to all traffic on Monday after inspectors found "
    "cracks in two of its steel supports, forcing thousands of commuters onto a ferry service.",
    "City transport director Alan Whitcombe said the bridge, built in 1961, would stay shut for at "
    "least six weeks while a repair plan is drawn up and tested.",
    "Extra ferries will run every fifteen minutes at peak hours, and buses will be diverted through "
    "the northern ring road, the transport office said in a statement.",
    "Shop owners on the eastern bank said trade had already fallen by half since the closure.",
]
REGATTA = [
    "Forty crews from eleven countries set sail on Saturday in the Harbour Cup regatta, the largest "
    "field in the race's thirty-year history.",
    "Race director Maria Lindqvist said steady winds of fifteen knots were expected for the first "
    "three days, ideal conditions for the smaller boats in the fleet.",
    "The winners will be crowned next Sunday after a final leg around the lighthouse at Gull Point.",
]
TRAM = [
    "The city council voted on Wednesday to extend the harbour tram line by four kilometres to the "
    "new university campus, with construction due to start next spring.",
    "Councillor Priya Raman said the extension would cost 210 million and carry an estimated nine "
    "thousand passengers a day once it opens in 2029.",
    "Opponents argued that the money would be better spent on repairing the city's ageing bus "
    "fleet, but the measure passed by twenty-one votes to nine.",
]
FISH = [
    "أعلنت وزارة الزراعة فتح سوق السمك المركزي الجديد في مدينة الصوت بعد تأخير دام سنة، ويضم "
    "السوق مئة وخمسين محلا ومخازن مبردة حديثة.",
    "وقال مدير السوق ناصر الحمادي إن الصيادين سيتمكنون من بيع صيدهم مباشرة للمستهلكين دون وسطاء، "
    "مما يخفض الأسعار بنحو الخمس.",
    "وشهد اليوم الأول إقبالا كبيرا من الأهالي الذين اصطفوا منذ الفجر لشراء الأسماك الطازجة.",
]

WAHAT = "صحيفة الواحة"
HARBOUR = "Harbour Post"
SAWT = "صوت الساحل"

ARTICLES = {
    "wahat": {
        "/news/1.html": ("ar", "افتتاح سد الوادي الأخضر في واحة النخيل", "2025-11-25T09:00:00+00:00", DAM),
        "/news/2.html": ("ar", "افتتاح المكتبة الوطنية الجديدة في حي الميناء", "2025-11-24T18:30:00+00:00", LIBRARY),
        "/news/3.html": ("ar", "انطلاق مهرجان التمور السنوي في السوق القديم", "2025-11-27T20:00:00+00:00", FESTIVAL),
        "/news/4.html": ("ar", "تعليق الدراسة في واحة النخيل بسبب الأمطار", "2025-11-26T06:30:00+00:00", RAIN),
        "/private/secret.html": ("ar", "صفحة خاصة", "2025-11-26T10:00:00+00:00", LIBRARY),
    },
    "harbour": {
        "/en/bridge.html": ("en", "Saltmarsh Bridge closed after cracks found", "2025-11-24T07:15:00+00:00", BRIDGE),
        "/en/regatta.html": ("en", "Forty crews set sail in Harbour Cup regatta", "2025-11-22T12:00:00+00:00", REGATTA),
        "/en/tram.html": ("en", "Council backs harbour tram extension", "2025-11-26T16:40:00+00:00", TRAM),
    },
    "sawt": {
        "/akhbar/dam.html": ("ar", "افتتاح سد الوادي الأخضر في واحة النخيل", "2025-11-25T11:00:00+00:00", DAM),
        "/akhbar/fish.html": ("ar", "افتتاح سوق السمك المركزي الجديد", "2025-11-23T06:00:00+00:00", FISH),
    },
}
NAMES = {"wahat": WAHAT, "harbour": HARBOUR, "sawt": SAWT, "down": "Down Daily"}


def rfc822(iso):
    t = time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", t)


def item_date(outlet, path):
    d = ARTICLES[outlet][path][2]
    if (outlet, path) in BUMPED:
        d = d[:11] + "23:59:00+00:00"
    return d


def rss(outlet, base, paths, extra="", encoding="utf-8"):
    items = []
    for p in paths:
        lang, title, _, _ = ARTICLES[outlet].get(p, ("ar", "?", "2025-11-20T00:00:00+00:00", []))
        d = item_date(outlet, p) if p in ARTICLES[outlet] else "2025-11-20T00:00:00+00:00"
        items.append("<item><title>%s</title><link>%s%s</link><pubDate>%s</pubDate></item>"
                     % (title, base, p, rfc822(d)))
    return ('<?xml version="1.0" encoding="%s"?>\n<rss version="2.0"><channel><title>%s</title>'
            "<link>%s/</link><language>ar</language>%s%s</channel></rss>\n"
            % (encoding, NAMES[outlet], base, "".join(items), extra)).encode(encoding)


def home(outlet, feed_link):
    link = ('<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">'
            if feed_link else "")
    return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title>%s</head>"
            "<body><h1>%s</h1><ul><li><a href=\"/news/1.html\">1</a></li></ul></body></html>\n"
            % (NAMES[outlet], link, NAMES[outlet]))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # head and body go out in two writes: without this, Nagle's algorithm
    # and the client's delayed ACK hold every keep-alive answer 40 ms
    disable_nagle_algorithm = True
    outlet = None

    def log_message(self, fmt, *args):  # the request log is ours
        pass

    def log(self, status):
        cond = 1 if (self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")) else 0
        ua = (self.headers.get("User-Agent") or "-").replace(" ", "_")
        with LOG_LOCK:
            LOG.write("%.6f %d %s %s %d %d %s\n" % (self.t0, self.server.server_address[1],
                                                    self.command, self.path, status, cond, ua))
            LOG.flush()

    def send(self, status, body=b"", ctype="text/html; charset=utf-8", headers=(), validators=False):
        if isinstance(body, str):
            body = body.encode("utf-8")
        if validators:
            etag = '"%08x"' % (zlib.crc32(body) & 0xffffffff)
            if self.headers.get("If-None-Match") == etag or \
                    self.headers.get("If-Modified-Since") == LAST_MODIFIED and not \
                    self.headers.get("If-None-Match"):
                self.log(304)
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = list(headers) + [("ETag", etag), ("Last-Modified", LAST_MODIFIED)]
        self.log(status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self):
        self.t0 = time.time()
        if self.path.startswith("/_bump"):
            q = dict(kv.split("=") for kv in self.path.split("?", 1)[1].split("&"))
            paths = sorted(p for p in ARTICLES[q["outlet"]] if not p.startswith("/private"))
            BUMPED.add((q["outlet"], paths[int(q["n"])]))
            return self.send(200, "ok\n", "text/plain")
        self.send(404, "no\n", "text/plain")

    def do_GET(self):
        self.t0 = time.time()
        try:
            getattr(self, "get_" + self.outlet)(self.path)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def base(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def article(self, path, charset="utf-8"):
        lang, title, date, paras = ARTICLES[self.outlet][path]
        html = page(lang, NAMES[self.outlet], title, date, paras, charset).encode(charset)
        if self.outlet == "harbour" and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            # harbour compresses its articles for clients that accept it
            return self.send(200, gzip.compress(html), "text/html; charset=" + charset,
                             headers=[("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")])
        return self.send(200, html, "text/html; charset=" + charset)

    def get_wahat(self, path):
        b = self.base()
        if path == "/robots.txt":
            return self.send(200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.6\n\n"
                             "Sitemap: %s/sitemap-index.xml\n" % b, "text/plain", validators=True)
        if path == "/":
            return self.send(200, home("wahat", True), validators=True)
        if path == "/rss.xml":
            return self.send(200, rss("wahat", b, ["/news/1.html", "/news/2.html",
                                                    "/private/secret.html", "/moved", "/loop/a"]),
                             "application/rss+xml", validators=True)
        if path == "/sitemap-index.xml":
            return self.send(200, '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
                             'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
                             '%s/sitemap-news.xml</loc></sitemap><sitemap><loc>%s/sitemap-2025.xml.gz'
                             '</loc></sitemap></sitemapindex>\n' % (b, b),
                             "application/xml", validators=True)
        if path == "/sitemap-2025.xml.gz":  # a gzip file, not a Content-Encoding
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
                    '"http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>%s/news/2.html</loc>'
                    "<lastmod>%s</lastmod></url><url><loc>%s/news/4.html</loc><lastmod>%s</lastmod>"
                    "</url></urlset>\n" % (b, item_date("wahat", "/news/2.html"), b,
                                            item_date("wahat", "/news/4.html")))
            return self.send(200, gzip.compress(body.encode("utf-8"), mtime=0),
                             "application/x-gzip", validators=True)
        if path == "/sitemap-news.xml":
            p = "/news/3.html"
            _, title, _, _ = ARTICLES["wahat"][p]
            return self.send(200, '<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
                             'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                             'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                             '<url><loc>%s%s</loc><news:news><news:publication><news:name>%s'
                             '</news:name><news:language>ar</news:language></news:publication>'
                             '<news:publication_date>%s</news:publication_date><news:title>%s'
                             '</news:title></news:news></url></urlset>\n'
                             % (b, p, WAHAT, item_date("wahat", p), title),
                             "application/xml", validators=True)
        if path == "/moved":
            return self.send(301, "", headers=[("Location", "/news/3.html")])
        if path == "/loop/a":
            return self.send(302, "", headers=[("Location", "/loop/b")])
        if path == "/loop/b":
            return self.send(302, "", headers=[("Location", "/loop/a")])
        if path in ARTICLES["wahat"]:
            return self.article(path)
        return self.send(404, "not found\n", "text/plain")

    def get_harbour(self, path):
        b = self.base()
        if path == "/robots.txt":
            return self.send(200, "User-agent: *\nDisallow: /admin\n", "text/plain", validators=True)
        if path == "/":
            return self.send(200, home("harbour", False), validators=True)
        if path == "/feed":
            entries = []
            for p in ["/en/bridge.html", "/en/regatta.html", "/bomb.html", "/endless.html",
                      "/short.html"]:
                _, title, _, _ = ARTICLES["harbour"].get(p, ("en", "Special", "", []))
                d = item_date("harbour", p) if p in ARTICLES["harbour"] else "2025-11-20T00:00:00+00:00"
                entries.append('<entry><title>%s</title><link href="%s%s"/><id>%s%s</id>'
                               "<updated>%s</updated></entry>" % (title, b, p, b, p, d))
            return self.send(200, '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns='
                             '"http://www.w3.org/2005/Atom"><title>%s</title>%s</feed>\n'
                             % (HARBOUR, "".join(entries)), "application/atom+xml",
                             validators=True)
        if path == "/rss.xml":  # malformed: cut off inside its second item
            return self.send(200, '<?xml version="1.0"?><rss version="2.0"><channel><item>'
                             "<title>%s</title><link>%s/en/tram.html</link><pubDate>%s</pubDate>"
                             "</item><item><title>Broken &bogus; <b>unclosed"
                             % (ARTICLES["harbour"]["/en/tram.html"][1], b,
                                rfc822(item_date("harbour", "/en/tram.html"))),
                             "application/rss+xml", validators=True)
        if path == "/en/regatta.html" and ("harbour", path) not in SEEN:
            SEEN.add(("harbour", path))
            return self.send(429, "slow down\n", "text/plain", headers=[("Retry-After", "1")])
        if path == "/bomb.html":  # 64 MiB of spaces as a small gzip body
            z = zlib.compressobj(9, zlib.DEFLATED, 31)
            body = z.compress(b" " * (64 << 20)) + z.flush()
            return self.send(200, body, headers=[("Content-Encoding", "gzip")])
        if path == "/endless.html":
            self.log(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65536 + b"</p>"
            data = b"%x\r\n%s\r\n" % (len(chunk), chunk)
            for _ in range(100000):
                self.wfile.write(data)
            return
        if path == "/short.html":  # says 5000 bytes, sends 100 and closes
            self.log(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "5000")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"<html><body>" + b"y" * 88)
            self.close_connection = True
            return
        if path in ARTICLES["harbour"]:
            return self.article(path)
        return self.send(404, "not found\n", "text/plain")

    def get_sawt(self, path):
        b = self.base()
        if path == "/robots.txt":
            return self.send(404, "no robots here\n", "text/plain")
        if path == "/feed.xml":
            # in windows-1256, as its XML declaration and Content-Type say
            return self.send(200, rss("sawt", b, ["/akhbar/dam.html", "/akhbar/fish.html",
                                                   "/slow.html", "/huge.html"],
                                      encoding="windows-1256"),
                             "application/rss+xml; charset=windows-1256", validators=True)
        if path == "/slow.html":  # a byte a second
            self.log(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
            return
        if path == "/huge.html":  # 3 MiB, past a 2M cap
            return self.send(200, "<html><body>" + "<p>long</p>" * (3 << 18) + "</body></html>")
        if path == "/akhbar/fish.html":
            return self.article(path, "windows-1256")
        if path in ARTICLES["sawt"]:
            return self.article(path)
        return self.send(404, "not found\n", "text/plain")


    def get_down(self, path):
        if path == "/robots.txt":
            return self.send(503, "overloaded\n", "text/plain")
        return self.send(200, home("down", True))


class BenchHandler(Handler):
    """A plain outlet for the benchmark: no tricks, no validators."""
    articles = 0

    def do_GET(self):
        self.t0 = time.time()
        b, path = self.base(), self.path
        port = self.server.server_address[1]
        if path == "/robots.txt":
            return self.send(200, "User-agent: *\nAllow: /\n", "text/plain")
        if path == "/feed.xml":
            items = "".join("<item><title>Report %d of outlet %d</title><link>%s/a/%d.html</link>"
                            "<pubDate>%s</pubDate></item>"
                            % (i, port, b, i, rfc822("2025-11-%02dT%02d:00:00" % (1 + i % 28, i % 24)))
                            for i in range(self.articles))
            return self.send(200, '<?xml version="1.0"?><rss version="2.0"><channel><title>'
                             "Outlet %d</title>%s</channel></rss>" % (port, items),
                             "application/rss+xml")
        if path.startswith("/a/") and path.endswith(".html"):
            i = int(path[3:-5])
            paras = ["Outlet %d reports that the council of district %d met on day %d to "
                     "discuss item %d of its agenda, covering roads, water and schools." % (port, i % 97, i % 28, k)
                     for k in range(6)]
            return self.send(200, page("en", "Outlet %d" % port, "Report %d of outlet %d" % (i, port),
                                       "2025-11-%02dT%02d:00:00+00:00" % (1 + i % 28, i % 24), paras))
        return self.send(404, "not found\n", "text/plain")


def bench(hosts, articles):
    ports = []
    for _ in range(hosts):
        h = type("H_bench", (BenchHandler,), {"articles": articles})
        s = Server(("127.0.0.1", 0), h)
        threading.Thread(target=s.serve_forever, daemon=True).start()
        ports.append(str(s.server_address[1]))
    return ports


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global LOG
    args = sys.argv[1:]
    if args[0] == "--bench":
        LOG = open(args[3], "a", encoding="utf-8")
        ports, portfile, sep = bench(int(args[1]), int(args[2])), args[4], "\n"
    else:
        LOG = open(args[0], "a", encoding="utf-8")
        ports, portfile, sep = [], args[1], " "
        for name in ("wahat", "harbour", "sawt", "down"):
            h = type("H_" + name, (Handler,), {"outlet": name})
            s = Server(("127.0.0.1", 0), h)
            threading.Thread(target=s.serve_forever, daemon=True).start()
            ports.append("%s=%d" % (name, s.server_address[1]))
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(sep.join(ports) + "\n")
    os.rename(tmp, portfile)
    print(" ".join(ports), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
