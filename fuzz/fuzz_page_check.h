/*
 * fuzz_page_check.h — what the web fuzz targets check of every HTML page
 * and Atom feed the renderer writes.
 *
 * A link is an href attribute of an <a> tag. Crawled and requested text can
 * contain "href=" as words (a search for it is echoed in the search box's
 * value), so only the attributes of tags are read: text cannot open a tag,
 * because the renderer escapes every '<', and an attribute value cannot end
 * one, because it escapes '>' and '"'.
 */
#ifndef KH_FUZZ_PAGE_CHECK_H
#define KH_FUZZ_PAGE_CHECK_H

#include <libxml/parser.h>
#include <string.h>
#include <strings.h>

/* Every link goes to a page of ours or to an http(s) URL. A scheme is
 * case-insensitive (RFC 3986), and the page links "httpS://" as it was
 * written. @return 1 when every link is one of those. */
static inline int fuzz_links_ok(const char *html)
{
    for (const char *tag = strstr(html, "<a "); tag; tag = strstr(tag + 3, "<a ")) {
        const char *end = strchr(tag, '>');
        if (!end)
            return 0; /* a tag the renderer never closed */
        for (const char *h = strstr(tag, " href=\""); h && h < end;
             h = strstr(h + 7, " href=\"")) {
            const char *v = h + 7;
            if (v[0] != '/' && strncasecmp(v, "http://", 7) != 0 &&
                strncasecmp(v, "https://", 8) != 0)
                return 0;
        }
    }
    return 1;
}

/* An Atom feed is well-formed XML (a feed reader rejects anything else:
 * crawled titles must not bring a control character or a stray '<').
 * @return 1 when libxml2 reads it without an error. */
static inline int fuzz_xml_ok(const char *xml, size_t len)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, "feed.xml", "utf-8",
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc)
        return 0;
    xmlFreeDoc(doc);
    return 1;
}

#endif /* KH_FUZZ_PAGE_CHECK_H */
