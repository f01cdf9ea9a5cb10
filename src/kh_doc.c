/*
 * kh_doc.c — the document record every stage reads and adds to.
 *
 * A document owns one arena; everything a stage adds to it (clean text,
 * tokens, fingerprints) is allocated there, so freeing a document is one
 * call whatever the stages did.
 */
#include "kh_internal.h"

const char *kh_format_name(kh_format format)
{
    static const char *const names[KH_FORMAT_COUNT_] = {
        [KH_FORMAT_TEXT] = "text", [KH_FORMAT_JSONL] = "jsonl",
        [KH_FORMAT_HTML] = "html", [KH_FORMAT_WARC] = "warc",
        [KH_FORMAT_WET] = "wet",
    };
    return (unsigned)format < KH_FORMAT_COUNT_ ? names[format] : "unknown";
}

const char *kh_content_name(kh_content kind)
{
    switch (kind) {
    case KH_CONTENT_TEXT: return "text";
    case KH_CONTENT_PAGE: return "page";
    case KH_CONTENT_HTML: return "html";
    }
    return "unknown";
}

void kh_doc_free(kh_doc *doc)
{
    if (doc)
        kh_arena_free(doc->arena); /* the doc itself lives in its arena */
}
