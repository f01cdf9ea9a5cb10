#!/usr/bin/env python3
"""Renders the sample corpus: every article of content.py (s*.py, one module per
story) through its outlet's page template, into examples/corpus/{pages,feeds,html,warc} and
warc-src, and writes examples/truth.json with the exact body lines.

    usage: python3 examples/make-corpus/render.py [EXAMPLES_DIR]
           python3 examples/make-warc.py          (then rebuild the WARC)
           python3 examples/check_truth.py        (and check the result)

Each outlet has its own boilerplate (menus, share and comment widgets, related
links that list the titles of the outlet's OTHER stories, footers) and its own
way of writing dates; the article text itself lives in the s*.py modules.
"""
import json, os, sys, datetime, html

TOP = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(TOP, 'corpus')  # the articles; truth.json and warc-src stay in TOP
sys.path.insert(0, os.path.dirname(__file__))
from content import ARTICLES, STORIES

EG = ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر']
LEV = ['كانون الثاني', 'شباط', 'آذار', 'نيسان', 'أيار', 'حزيران', 'تموز', 'آب', 'أيلول', 'تشرين الأول', 'تشرين الثاني', 'كانون الأول']
MAG = ['جانفي', 'فيفري', 'مارس', 'أفريل', 'ماي', 'جوان', 'جويلية', 'أوت', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر']
WD = ['الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت', 'الأحد']
EN_M = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
FR_M = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']
FR_WD = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']
HIJRI_BASE = datetime.date(2025, 6, 26)  # 1 Muharram 1447 (Umm al-Qura)


def indic(s):
    return s.translate(str.maketrans('0123456789.', '٠١٢٣٤٥٦٧٨٩٫'))


def d(a):
    """The publication date shown on the page (may differ from truth when the page hides it)."""
    return datetime.date.fromisoformat(a.get('shown_date') or a['date'])


def hijri(dt):
    n = (dt - HIJRI_BASE).days
    assert 0 <= n < 29
    return '%d محرم 1447' % (n + 1)


def related(a, n=3):
    """Titles of other stories' articles from the same outlet (what real related-link boxes show)."""
    same = [b for b in ARTICLES if b['outlet'] == a['outlet'] and b['story'] != a['story']]
    if len(same) < n:
        same += [b for b in ARTICLES if b['lang'] == a['lang'] and b['story'] != a['story'] and b not in same]
    k = sum(ord(c) for c in a['key'])
    out = []
    for i in range(len(same)):
        b = same[(k + i * 7) % len(same)]
        if b['title'] not in out:
            out.append(b['title'])
        if len(out) == n:
            break
    while len(out) < n:
        out.append('—')
    return out


def body_of(a):
    """The body as lines: dateline line (when on its own line) then paragraphs."""
    lines = []
    if a.get('dl_line'):
        lines.append(a['dl_line'])
    lines += a['paras']
    return lines


# ---------- crawled-text templates: each returns [(line, is_body)] ----------

def t_alofoq(a):
    L = []
    B = lambda s: L.append((s, True))
    N = lambda s='': L.append((s, False))
    for m in ['الرئيسية', 'أخبار محلية', 'عربي ودولي', 'اقتصاد وبورصة', 'رياضة', 'ثقافة وفنون', 'فيديو']:
        N(m)
    N(); N('صحيفة الأفق'); N()
    N(a['title']); N()
    N('كتب: ' + a.get('author', 'محرر الأفق')); N()
    dt = d(a)
    if a.get('numeric_date'):
        N('%02d/%02d/%d %s' % (dt.day, dt.month, dt.year, a.get('time', '10:15')))
    else:
        N('%s %d %s %d - %s' % (WD[dt.weekday()], dt.day, EG[dt.month - 1], dt.year, a.get('time', '10:15 ص')))
    N(); N(a['title']); N()
    N('صورة أرشيفية'); N()
    for p in body_of(a):
        B(p); N()
    N('شارك الخبر'); N('فيسبوك'); N('تويتر'); N('واتساب'); N('نسخ الرابط'); N()
    N('اقرأ أيضا'); N()
    for t in related(a):
        N(t)
    N(); N('أضف تعليقك'); N('الاسم'); N('البريد الإلكتروني'); N('التعليق'); N('إرسال'); N()
    N('اشترك في النشرة البريدية لصحيفة الأفق ليصلك كل جديد'); N()
    N('© 2025 صحيفة الأفق. جميع الحقوق محفوظة')
    N('من نحن | اتصل بنا | سياسة الخصوصية')
    return L


def t_annahar(a):
    L = []
    B = lambda s: L.append((s, True))
    N = lambda s='': L.append((s, False))
    N('شبكة النهار الإخبارية')
    if a.get('relative'):
        N('آخر تحديث: ' + a['relative'])
    else:
        dt = d(a)
        N('آخر تحديث: %d %s %d | %s' % (dt.day, LEV[dt.month - 1], dt.year, a.get('time', '14:05')))
    N('سياسة | اقتصاد | مجتمع | منوعات | فيديو | بودكاست')
    N(); N(); N()
    N(a['title']); N(a['title']); N()
    N(a.get('section', 'مجتمع'))
    if a.get('relative'):
        N('نُشر ' + a['relative'])
    N()
    # paragraphs one per line, no blank lines between them
    for p in body_of(a):
        B(p)
    N(); N(); N()
    N('الكلمات المفتاحية: ' + a.get('tags', 'أخبار'))
    N(); N('مواضيع ذات صلة:')
    for t in related(a):
        N(t)
    N(); N('تابعونا على: فيسبوك تويتر يوتيوب انستغرام'); N()
    N('جميع الحقوق محفوظة © شبكة النهار الإخبارية 2025')
    return L


def t_sabah(a):
    L = []
    B = lambda s: L.append((s, True))
    N = lambda s='': L.append((s, False))
    N('الصباح المغاربي'); N('الأولى'); N('وطني'); N('مغاربي'); N('دولي'); N('اقتصاد'); N('رياضة'); N()
    N(a['title']); N()
    dt = d(a)
    N('الصباح المغاربي  -'); N('%s %02d %s %d' % (WD[dt.weekday()], dt.day, MAG[dt.month - 1], dt.year)); N()
    N('آخر تحديث GMT ' + a.get('time', '09:12:44')); N()
    N(str(a.get('views', 214))); N()
    for p in body_of(a):
        B(p); N()
    N('sabah-maghribi'); N('sabah-maghribi'); N()
    N('الإسم *'); N(); N('البريد الألكتروني *'); N(); N('تعليق *'); N()
    N('شروط النشر: عدم الإساءة للكاتب أو للأشخاص أو للمقدسات، والابتعاد عن التحريض والشتائم.'); N()
    N('اُوافق على شروط الأستخدام'); N()
    N(a['title'] + ' ' + a['title']); N(); N()
    N('أخبار ذات صلة')
    for t in related(a):
        N(t)
    N()
    N('جميع الحقوق محفوظة لمؤسسة الصباح المغاربي للإعلام 2025 ©')
    N('الرباط - شارع الحسن الثاني، عمارة 12، الطابق الرابع')
    return L


def t_khaleej(a):
    L = []
    B = lambda s: L.append((s, True))
    N = lambda s='': L.append((s, False))
    N('الخليج اليوم'); N('الرئيسية   محليات   الخليج   اقتصاد   منوعات   رياضة'); N()
    dt = d(a)
    line = '%s %s %s %s' % (WD[dt.weekday()], indic(str(dt.day)), EG[dt.month - 1], indic(str(dt.year)))
    if a.get('hijri'):
        line = '%s %s هـ - %s %s %s م' % (WD[dt.weekday()], indic(hijri(dt)), indic(str(dt.day)), EG[dt.month - 1], indic(str(dt.year)))
    N(line); N()
    N('عاجل: ' + related(a, 1)[0]); N()
    N(a['title']); N()
    N('الخليج اليوم - ' + a.get('author', 'متابعات')); N()
    for p in body_of(a):
        B(p); N()
    N('إذا كنت تعتقد أن هذا الخبر يتضمن معلومات غير دقيقة أو لديك تفاصيل إضافية حول الموضوع، يمكنك إرسال تصحيح إلى فريق التحرير عبر نموذج التواصل.'); N()
    N('تابع آخر الأخبار عبر قناتنا على واتساب'); N()
    N('اقرأ أيضاً:')
    for t in related(a):
        N('- ' + t)
    N(); N('الأكثر قراءة'); N(); N(); N()
    N('© جميع الحقوق محفوظة لبوابة الخليج اليوم ٢٠٢٥')
    return L


def t_gulfledger(a):
    L = []
    B = lambda s: L.append((s, True))
    N = lambda s='': L.append((s, False))
    N('Gulf Ledger'); N('Home | Business | Region | World | Opinion | Sport | Podcasts'); N()
    N(a.get('section', 'Region')); N()
    N(a['title']); N()
    N('By ' + a.get('author', 'Staff Reporter'))
    dt = d(a)
    N('Published: %s %d, %d %s | Updated: %s' % (EN_M[dt.month - 1], dt.day, dt.year, a.get('time', '10:42 AM'), a.get('updated', '2 hours ago')))
    N(); N('Share: Facebook Twitter LinkedIn Email'); N()
    for p in body_of(a):
        B(p); N()
    if 'Agency' not in a.get('author', 'Staff Reporter'):
        N('%s writes about the region for Gulf Ledger. Follow our coverage on business, politics and culture across the Gulf and the wider Middle East.' % a.get('author', 'Staff Reporter'))
        N()
    N('Read more'); N()
    for t in related(a):
        N(t)
    N(); N('Sign up for the Ledger Morning Brief'); N('Email address'); N('Subscribe'); N()
    N('© 2025 Gulf Ledger Media. All rights reserved.')
    N('Privacy Policy | Terms of Use | Contact Us')
    return L


def t_coastal(a):
    L = []
    B = lambda s: L.append((s, True))
    N = lambda s='': L.append((s, False))
    N('THE COASTAL TIMES'); N('News  Business  Sport  Culture  Weather'); N(); N()
    N(a['title'])
    dt = d(a)
    N('%d %s %d' % (dt.day, EN_M[dt.month - 1][:3], dt.year) + ' · ' + a.get('readtime', '3 min read')); N()
    for p in body_of(a):
        B(p); N()
    N('Comments (0)'); N('Log in to comment'); N()
    N('More from The Coastal Times')
    for t in related(a):
        N(t)
    N(); N('Copyright © 2025 Coastal Times Ltd. All rights reserved.')
    return L


TXT = {'alofoq': t_alofoq, 'annahar': t_annahar, 'sabah': t_sabah, 'khaleej': t_khaleej,
       'gulfledger': t_gulfledger, 'coastal': t_coastal}

SITE = {'alofoq': 'صحيفة الأفق', 'annahar': 'شبكة النهار الإخبارية', 'sabah': 'الصباح المغاربي',
        'khaleej': 'الخليج اليوم', 'gulfledger': 'Gulf Ledger', 'coastal': 'The Coastal Times',
        'sharq': 'وكالة الشرق للأنباء', 'meridian': 'Meridian News Agency', 'echo': "L'Écho du Maghreb"}
HOST = {'alofoq': 'www.alofoq-news.example', 'annahar': 'annahar-net.example', 'sabah': 'sabah-maghribi.example',
        'khaleej': 'khaleej-today.example', 'gulfledger': 'www.gulfledger.example', 'coastal': 'coastaltimes.example',
        'sharq': 'wire.alsharq-agency.example', 'meridian': 'meridian-news.example', 'echo': 'echo-maghreb.example'}


# ---------- HTML ----------

def h_khaleej(a):
    e = html.escape
    dt = d(a)
    date_line = '%s %s %s %s' % (WD[dt.weekday()], indic(str(dt.day)), EG[dt.month - 1], indic(str(dt.year)))
    if a.get('hijri'):
        date_line = '%s %s هـ الموافق %s' % (WD[dt.weekday()], indic(hijri(dt)), date_line.split(' ', 1)[1])
    rel = ''.join('      <li><a href="/news/%d">%s</a></li>\n' % (4100 + i, e(t)) for i, t in enumerate(related(a, 4)))
    body = ''.join('        <p>%s</p>\n' % e(p) for p in body_of(a))
    return f'''<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
  <meta charset="utf-8">
  <title>{e(a['title'])} | الخليج اليوم</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="description" content="{e(a['paras'][0][:120])}">
  <meta property="og:title" content="{e(a['title'])}">
  <meta property="og:site_name" content="الخليج اليوم">
  <meta property="og:type" content="article">
  <meta property="og:url" content="{a['url']}">
  <meta property="article:published_time" content="{a['date']}T{a.get('iso_time', '07:30:00')}+04:00">
  <link rel="stylesheet" href="/static/css/main.min.css">
  <script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('js', new Date());</script>
</head>
<body class="article-page">
  <header class="site-header">
    <a class="logo" href="/">الخليج اليوم</a>
    <span class="today">{date_line}</span>
  </header>
  <nav class="main-nav">
    <ul><li><a href="/">الرئيسية</a></li><li><a href="/local">محليات</a></li><li><a href="/gulf">الخليج</a></li><li><a href="/economy">اقتصاد</a></li><li><a href="/sport">رياضة</a></li></ul>
  </nav>
  <div class="breaking">عاجل: {e(related(a, 1)[0])}</div>
  <main>
    <article class="news-article">
      <h1 class="headline">{e(a['title'])}</h1>
      <div class="byline">الخليج اليوم - {e(a.get('author', 'متابعات'))}</div>
      <time datetime="{a['date']}">{date_line}</time>
      <div class="article-body">
{body}      </div>
      <div class="share">مشاركة: <a href="#">فيسبوك</a> <a href="#">إكس</a> <a href="#">واتساب</a></div>
    </article>
    <aside class="related">
      <h3>اقرأ أيضاً</h3>
      <ul>
{rel}      </ul>
    </aside>
    <section class="comments">
      <h3>التعليقات</h3>
      <form action="/comments" method="post">
        <label>الاسم <input type="text" name="name"></label>
        <label>البريد الإلكتروني <input type="email" name="email"></label>
        <textarea name="comment" placeholder="اكتب تعليقك هنا"></textarea>
        <button type="submit">إرسال التعليق</button>
      </form>
    </section>
  </main>
  <footer class="site-footer">
    <p>© جميع الحقوق محفوظة لبوابة الخليج اليوم ٢٠٢٥</p>
    <p><a href="/about">من نحن</a> | <a href="/privacy">سياسة الخصوصية</a> | <a href="/contact">اتصل بنا</a></p>
  </footer>
  <script src="/static/js/app.min.js" defer></script>
</body>
</html>
'''


def h_gulfledger(a):
    e = html.escape
    dt = d(a)
    shown = '%s %d, %d' % (EN_M[dt.month - 1], dt.day, dt.year)
    rel = ''.join('        <li><a href="/article/%d">%s</a></li>\n' % (88200 + i, e(t)) for i, t in enumerate(related(a, 4)))
    if a.get('broken'):
        # unclosed <p> and <div>, as some CMS templates emit
        body = ''.join('        <p>%s\n' % e(p) for p in body_of(a))
        body += '        <div class="inline-ad">Advertisement\n'
    else:
        body = ''.join('        <p>%s</p>\n' % e(p) for p in body_of(a))
    return f'''<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(a['title'])} | Gulf Ledger</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="{e(a['title'])}">
<meta property="og:site_name" content="Gulf Ledger">
<meta property="og:type" content="article">
<meta property="og:url" content="{a['url']}">
<meta property="article:published_time" content="{a['date']}T{a.get('iso_time', '06:40:00')}Z">
<meta property="article:section" content="{e(a.get('section', 'Region'))}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":{json.dumps(a['title'])},"datePublished":"{a['date']}T{a.get('iso_time', '06:40:00')}Z"}}</script>
<script async src="https://ads.gulfledger.example/tag.js"></script>
</head>
<body>
<div id="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<header>
  <a href="/" class="brand">Gulf Ledger</a>
  <nav>
    <a href="/">Home</a> <a href="/business">Business</a> <a href="/region">Region</a> <a href="/world">World</a> <a href="/opinion">Opinion</a> <a href="/sport">Sport</a>
  </nav>
</header>
<div class="container">
  <main>
    <article>
      <span class="kicker">{e(a.get('section', 'Region'))}</span>
      <h1>{e(a['title'])}</h1>
      <p class="byline">By {e(a.get('author', 'Staff Reporter'))} · <time datetime="{a['date']}">{shown}</time></p>
      <div class="share">Share: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">LinkedIn</a></div>
      <div class="story-body">
{body}      </div>
    </article>
  </main>
  <aside class="sidebar">
    <h2>Read more</h2>
    <ul>
{rel}    </ul>
    <div class="newsletter">Sign up for the Ledger Morning Brief <form action="/subscribe"><input type="email" placeholder="Email address"><button>Subscribe</button></form></div>
  </aside>
</div>
<section id="comments">
  <h2>Comments</h2>
  <form action="/comment" method="post"><input name="name" placeholder="Name"><textarea name="text" placeholder="Join the discussion"></textarea><button>Post comment</button></form>
</section>
<footer>
  <p>© 2025 Gulf Ledger Media. All rights reserved.</p>
  <p><a href="/privacy">Privacy Policy</a> | <a href="/terms">Terms of Use</a> | <a href="/contact">Contact Us</a></p>
</footer>
<script>document.querySelectorAll('.share a').forEach(function(x){{x.rel='noopener';}});</script>
</body>
</html>
'''


def h_echo(a):
    e = html.escape
    dt = d(a)
    shown = '%s %d %s %d' % (FR_WD[dt.weekday()], dt.day, FR_M[dt.month - 1], dt.year)
    rel = ''.join('      <li><a href="/articles/%d">%s</a></li>\n' % (5300 + i, e(t)) for i, t in enumerate(a.get('rel_fr', [])))
    body = ''.join('      <p>%s</p>\n' % e(p) for p in body_of(a))
    return f'''<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{e(a['title'])} | L'Écho du Maghreb</title>
<meta property="og:title" content="{e(a['title'])}">
<meta property="og:site_name" content="L'Écho du Maghreb">
<meta property="article:published_time" content="{a['date']}T{a.get('iso_time', '16:20:00')}+01:00">
<script src="/js/tarteaucitron.js"></script>
</head>
<body>
<header><div class="logo">L'Écho du Maghreb</div><div class="date">{shown}</div></header>
<nav><a href="/">Accueil</a> · <a href="/maghreb">Maghreb</a> · <a href="/monde">Monde</a> · <a href="/economie">Économie</a> · <a href="/culture">Culture</a></nav>
<article>
  <h1>{e(a['title'])}</h1>
  <p class="auteur">Par {e(a.get('author', 'La rédaction'))} - publié le {shown}</p>
{body}</article>
<aside><h3>À lire aussi</h3><ul>
{rel}</ul></aside>
<form class="commentaires" method="post" action="/commentaires"><textarea name="c" placeholder="Votre commentaire"></textarea><button>Envoyer</button></form>
<footer>© 2025 L'Écho du Maghreb - Tous droits réservés. Reproduction interdite sans autorisation.</footer>
</body>
</html>
'''


HTML = {'khaleej': h_khaleej, 'gulfledger': h_gulfledger, 'echo': h_echo}


def main():
    keys = set()
    docs = []
    feeds = {}
    warc_manifest = []
    for a in ARTICLES:
        key = a['key']
        assert key not in keys, key
        keys.add(key)
        a.setdefault('url', 'https://%s/%s/%s' % (HOST[a['outlet']], (a.get('shown_date') or a['date']).replace('-', '/'), key))
        doc = {}
        fmt = a['fmt']
        if fmt == 'txt':
            lines = TXT[a['outlet']](a)
            rel = 'pages/%s/%s.txt' % (a['outlet'], key)
            os.makedirs(os.path.join(OUT, 'pages', a['outlet']), exist_ok=True)
            with open(os.path.join(OUT, rel), 'w', encoding='utf-8') as f:
                f.write('\n'.join(l for l, _ in lines) + '\n')
            doc['file'] = rel
            doc['body_lines'] = [i + 1 for i, (_, b) in enumerate(lines) if b]
        elif fmt in ('text', 'page'):
            rec = {'id': key, 'url': a['url'], 'source': SITE[a['outlet']],
                   'date': a.get('feed_date', a['date']), 'title': a['title']}
            if fmt == 'text':
                rec['text'] = '\n'.join(body_of(a))
            else:
                lines = TXT[a['outlet']](a)
                rec['page'] = '\n'.join(l for l, _ in lines)
                doc['body_lines'] = [i + 1 for i, (_, b) in enumerate(lines) if b]
            feeds.setdefault(a['feed'], []).append(rec)
            doc['file'] = 'feeds/%s.jsonl' % a['feed']
            doc['id'] = key
        elif fmt == 'html':
            rel = 'html/%s.html' % key
            os.makedirs(os.path.join(OUT, 'html'), exist_ok=True)
            with open(os.path.join(OUT, rel), 'w', encoding='utf-8') as f:
                f.write(HTML[a['outlet']](a))
            doc['file'] = rel
        elif fmt == 'warc':
            os.makedirs(os.path.join(TOP, 'warc-src'), exist_ok=True)
            with open(os.path.join(TOP, 'warc-src', key + '.html'), 'w', encoding='utf-8') as f:
                f.write(HTML[a['outlet']](a))
            warc_manifest.append((key, a['url'], a['warc_id'], a['date'] + 'T' + a.get('fetch_time', '18:00:00') + 'Z'))
            doc['file'] = 'warc/sample.warc'
            doc['id'] = a['warc_id']
        else:
            raise ValueError(fmt)
        doc['story'] = a['story']
        doc['copy_of'] = a.get('copy_of')
        doc['title'] = a['title']
        doc['body'] = body_of(a)
        doc['date'] = a['date'] if a.get('date_known', True) else None
        doc['source'] = a.get('source', SITE[a['outlet']])
        doc['dateline'] = a.get('dateline')
        doc['lang'] = a['lang']
        docs.append(doc)
    for name, recs in feeds.items():
        os.makedirs(os.path.join(OUT, 'feeds'), exist_ok=True)
        with open(os.path.join(OUT, 'feeds', name + '.jsonl'), 'w', encoding='utf-8') as f:
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + '\n')
    if warc_manifest:
        with open(os.path.join(TOP, 'warc-src', 'records.tsv'), 'w', encoding='utf-8') as f:
            f.write('# file\turi\twarc-record-id\twarc-date\n')
            for k, u, i, t in warc_manifest:
                f.write('%s.html\t%s\t%s\t%s\n' % (k, u, i, t))
    truth = {'stories': STORIES, 'documents': docs}
    with open(os.path.join(TOP, 'truth.json'), 'w', encoding='utf-8') as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
        f.write('\n')
    print(len(docs), 'documents')


if __name__ == '__main__':
    main()
