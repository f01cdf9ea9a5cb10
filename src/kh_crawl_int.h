/*
 * kh_crawl_int.h — what the crawler's parts share: URLs (kh_url.c),
 * robots.txt (kh_robots.c), the links of feeds, sitemaps and home pages
 * (kh_feed.c) and the WARC/1.1 writer (kh_warc.c). kh_crawl.c drives them;
 * the tests and the fuzz targets call them directly. Internal: names start
 * with khc_. Every function is pure over its arguments (no network, no
 * globals); strings handed out are malloc'd and owned by the caller unless
 * the comment says they live in a parsed object.
 */
#ifndef KH_CRAWL_INT_H
#define KH_CRAWL_INT_H

#include "kh_internal.h"

/* ------------------------------------------------------------------ *
 *  URLs (kh_url.c, over liburiparser)
 * ------------------------------------------------------------------ */

/*
 * Resolves ref against base (base may be NULL when ref is absolute) and
 * normalizes the result, so that one page has one spelling in the
 * frontier: scheme and host lower-cased, a default port (:80, :443)
 * dropped, dot segments removed, an empty path written "/", the fragment
 * dropped, percent-encoding of unreserved characters decoded and hex
 * digits upper-cased, tracking parameters removed (utm_*, fbclid, gclid,
 * dclid, msclkid, mc_cid, mc_eid, _ga, igshid, yclid, ref_src), and an
 * empty query dropped. Leading and trailing white space of ref is
 * ignored. Only http and https URLs with a host are accepted. A non-ASCII
 * host label is written in punycode ("xn--"), trailing dots of the host
 * dropped; bytes a browser would escape (raw UTF-8, spaces) are escaped
 * first; links over 8 KiB are refused.
 * @param out receives the normalized absolute URL (malloc'd).
 * @return KH_OK, KH_E_ARG (not a URL, no host, or a scheme other than
 *         http(s); *out is NULL), KH_E_NOMEM.
 */
kh_status khc_url_normalize(const char *base, const char *ref, char **out);

/*
 * The host of a normalized URL, with ":port" when it has a non-default one,
 * copied into buf. @return the length, or 0 when url has no host or buf is
 * too small.
 */
size_t khc_url_host(const char *url, char *buf, size_t cap);

/* The path and query of a normalized URL ("/" at least): what robots.txt
 * rules match. A pointer into url. */
const char *khc_url_path(const char *url);

/* ------------------------------------------------------------------ *
 *  robots.txt (kh_robots.c, RFC 9309)
 * ------------------------------------------------------------------ */

typedef struct khc_robots khc_robots;

/*
 * Parses a robots.txt body for the crawler whose product token is agent
 * (e.g. "khabar"): the group whose User-agent matches agent (case-
 * insensitive, the longest matching token), else the "*" group; groups
 * with several User-agent lines and rules merged across groups of the same
 * agent as RFC 9309 says. Allow and Disallow paths with '*' and a final
 * '$'; the longest matching rule wins, Allow on a tie; an empty Disallow
 * allows all. Crawl-delay (seconds, fractions allowed) of the chosen
 * group; Sitemap lines of the whole file (absolute URLs). Bytes past the
 * first 512 KiB are ignored, as the RFC allows; a body that is not text
 * (NUL bytes, invalid UTF-8 lines) is read line by line, bad lines
 * skipped. Never fails on content. "/robots.txt" itself is always
 * allowed; Sitemap URLs are normalized and given once.
 * @return KH_OK or KH_E_NOMEM; *out freed with khc_robots_free().
 */
kh_status khc_robots_parse(const char *txt, size_t len, const char *agent,
                           khc_robots **out);

/* 1 when path (path and query, as khc_url_path() gives it) may be
 * fetched, 0 when a rule disallows it. NULL robots allows everything. */
int khc_robots_allowed(const khc_robots *robots, const char *path);

/* The chosen group's Crawl-delay in seconds, or a negative number when it
 * gives none. */
double khc_robots_crawl_delay(const khc_robots *robots);

/* The Sitemap URLs, in file order; *urls lives in robots. */
size_t khc_robots_sitemaps(const khc_robots *robots, const char *const **urls);

void khc_robots_free(khc_robots *robots);

/* ------------------------------------------------------------------ *
 *  Links of fetched documents (kh_feed.c, over libxml2)
 * ------------------------------------------------------------------ */

typedef enum khc_doc_kind {
    KHC_DOC_UNKNOWN = 0,    /* none of the below: no links */
    KHC_DOC_RSS,            /* RSS 0.9x / 2.0 */
    KHC_DOC_ATOM,           /* Atom 1.0 */
    KHC_DOC_RDF,            /* RSS 1.0 (RDF) */
    KHC_DOC_SITEMAP,        /* <urlset>, Google News sitemaps included */
    KHC_DOC_SITEMAP_INDEX,  /* <sitemapindex> */
    KHC_DOC_HTML            /* a web page: its feed links */
} khc_doc_kind;

typedef enum khc_link_kind {
    KHC_LINK_ARTICLE = 0,   /* a feed item or a sitemap <url> */
    KHC_LINK_FEED,          /* <link rel="alternate" type="application/
                               rss+xml|atom+xml|rdf+xml"> of a page */
    KHC_LINK_SITEMAP        /* a <sitemap> of a sitemap index */
} khc_link_kind;

/* One link; every pointer lives until the callback returns. */
typedef struct khc_link {
    khc_link_kind kind;
    const char *url;        /* normalized (khc_url_normalize against the
                               document's URL) */
    const char *title;      /* item title / news:title, entities decoded,
                               white space collapsed; NULL when none */
    const char *date;       /* the item's publication (else update) time as
                               ISO 8601: "YYYY-MM-DDTHH:MM:SS+hh:mm" (or
                               "Z") when the document gives a time,
                               "YYYY-MM-DD" when only a day; RFC 822 dates
                               of RSS converted; NULL when none or
                               unreadable. Sitemaps: news:publication_date,
                               else lastmod. */
    const char *language;   /* news:language, or the feed's <language> /
                               xml:lang; NULL when none */
} khc_link;

/* Return nonzero to stop: khc_links_parse() then returns KH_E_STOPPED. */
typedef int (*khc_link_fn)(void *user, const khc_link *link);

/*
 * Reads a fetched document and calls fn for each link it gives, in
 * document order, duplicates (after normalization) given once. The kind
 * is told by the content, not by the URL or Content-Type: the root
 * element of XML (rss, feed, rdf:RDF, urlset, sitemapindex; any
 * namespace prefix), else HTML when it looks like markup. content_type
 * (may be NULL) gives the charset when the document declares none. A
 * malformed document gives the links read before the damage (libxml2's
 * recover mode), never an error; links that do not normalize are
 * skipped. No network: external entities and DTDs are never loaded. A
 * time without a zone is taken as UTC. Hostile input costs linear time:
 * the body past 64 MiB, past a million tags or from the first tag with
 * over 1000 attributes on is treated as damage.
 * @param kind receives the kind (may be NULL).
 * @return KH_OK, KH_E_NOMEM, KH_E_STOPPED.
 */
kh_status khc_links_parse(const char *body, size_t len, const char *doc_url,
                          const char *content_type, khc_doc_kind *kind,
                          khc_link_fn fn, void *user);

/* ------------------------------------------------------------------ *
 *  WARC/1.1 out (kh_warc.c, zlib and OpenSSL's libcrypto for SHA-1)
 * ------------------------------------------------------------------ */

typedef struct khc_warc khc_warc;

/*
 * Opens a WARC writer that makes files DIR/PREFIX-YYYYMMDDHHMMSS-NNNNN.warc.gz
 * (NNNNN counts from 00000 per writer), each starting with a warcinfo
 * record (software, format, the crawler's user agent as
 * "http-header-user-agent"), and starts a new file before a record would
 * take the current one past max_bytes (0: no limit). Files are written
 * under a ".open" suffix and renamed when closed. DIR and its missing
 * parents are made, as `mkdir -p` does.
 * @return KH_OK, KH_E_IO (naming the path), KH_E_NOMEM, KH_E_ARG (no dir
 *         or prefix, or a prefix with a '/').
 */
kh_status khc_warc_open(kh_ctx *ctx, const char *dir, const char *prefix,
                        uint64_t max_bytes, const char *user_agent,
                        khc_warc **out);

/* One exchange: what was sent and what came back. */
typedef struct khc_exchange {
    const char *url;            /* the request's URL (WARC-Target-URI, no
                                   angle brackets) */
    int64_t fetched_unix;       /* WARC-Date, whole seconds */
    const char *ip;             /* WARC-IP-Address; may be NULL */
    const char *request;        /* the HTTP request head as sent, CRLFs
                                   included; may be NULL (no request record) */
    size_t request_len;
    const char *response_head;  /* status line and headers as received,
                                   ending with the blank line */
    size_t response_head_len;
    const char *payload;        /* the body after transfer and content
                                   decoding */
    size_t payload_len;
} khc_exchange;

/*
 * Writes a response record (and a request record concurrent to it when
 * the exchange has one), each its own gzip member: WARC-Record-ID
 * (urn:uuid), WARC-Date, WARC-Target-URI, WARC-IP-Address,
 * WARC-Concurrent-To, WARC-Block-Digest and WARC-Payload-Digest
 * ("sha1:" + base32), Content-Type "application/http; msgtype=response".
 * The payload is stored decoded, so Transfer-Encoding, Content-Encoding
 * and Content-Length headers of response_head are written renamed with an
 * "X-Crawler-" prefix and a Content-Length of the stored payload added,
 * as other archiving crawlers do. khabar's reader and standard WARC tools
 * read the result. Control bytes in header values are written %XX, so
 * that a URL cannot forge a field.
 * @return KH_OK, KH_E_IO, KH_E_NOMEM, KH_E_ARG (an exchange without URL).
 */
kh_status khc_warc_write(khc_warc *w, const khc_exchange *ex);

/* Closes the current file (renaming it from ".open") and frees w.
 * @return KH_OK or KH_E_IO; w is freed either way. NULL is a no-op. */
kh_status khc_warc_close(khc_warc *w);

#endif
