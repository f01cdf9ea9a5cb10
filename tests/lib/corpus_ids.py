"""khabar's id of each document of examples/truth.json (the reader's id rule).

A JSON Lines record keeps its "id"; a WARC record is named by its
WARC-Target-URI; a page file by its path from the folder holding the PATH it
was read through: "corpus/pages/x/y.txt" under PATH examples/corpus, "y.txt"
when the file itself is the PATH (under=None).
"""
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples")


def _warc_urls(rel):
    urls, rid, uri = {}, None, None
    with open(os.path.join(HERE, "corpus", rel), "rb") as f:
        data = f.read().decode("utf-8", "replace")
    for line in data.split("\n"):
        line = line.rstrip("\r")
        if line.startswith("WARC/"):
            rid = uri = None
        elif line.lower().startswith("warc-record-id:"):
            rid = line.split(":", 1)[1].strip().strip("<>")
        elif line.lower().startswith("warc-target-uri:"):
            uri = line.split(":", 1)[1].strip().strip("<>")
        if rid and uri:
            urls[rid] = uri
    return urls


def khabar_id(doc, under="corpus"):
    f = doc["file"]
    if f.endswith(".jsonl"):
        return doc["id"]
    if f.startswith("warc/"):
        return _warc_urls(f)[doc["id"]]
    return under + "/" + f if under else os.path.basename(f)
