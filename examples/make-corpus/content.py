# Articles of the sample corpus: every story's articles, outlet by outlet.
import importlib

ARTICLES = []
STORIES = []

IND = str.maketrans('0123456789.%', '٠١٢٣٤٥٦٧٨٩٫٪')


def indic(s):
    return s.translate(IND)


def edit(paras, subs=(), drop_last=False, digits=False):
    """A republished copy: the same paragraphs with small edits."""
    out = list(paras[:-1] if drop_last else paras)
    for i, p in enumerate(out):
        for old, new in subs:
            p = p.replace(old, new)
        if digits:
            p = indic(p)
        out[i] = p
    return out


def add(**kw):
    ARTICLES.append(kw)


for m in ['s1_port', 's2_flood', 's3_water', 's4_mosaic', 's5_rates', 's6_metro', 's7_single']:
    try:
        mod = importlib.import_module(m)
    except ModuleNotFoundError:
        continue
    mod.build(add, edit, indic, STORIES)

# fill each story's disagreements from the claims the articles make
for s in STORIES:
    for dis in s.get('disagreements', []):
        field = dis.pop('field')
        vals = {}
        for a in ARTICLES:
            if a['story'] == s['story'] and field in a.get('claims', {}):
                vals.setdefault(a['claims'][field], []).append(a.get('warc_id') or a['key'])
        dis['values'] = vals
