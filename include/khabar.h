/*
 * khabar.h — the whole public contract of libkhabar.
 *
 * khabar turns raw crawled news pages into stories: clean articles, copies
 * grouped, same-event articles grouped, and one account per story. Anything
 * that is not declared in this file is not API and may change without notice.
 *
 * The header reads from simple to advanced:
 *   1. version, status codes, error text
 *   2. the context (allocator, limits, last error message)
 *   3. arenas and byte buffers (the memory every stage writes into)
 *   4. documents and readers (sources -> raw documents)
 *   5. the text layer (UTF-8, normalization, sentences, tokens, stems, language)
 *   6. later stages (clean, dedup, stories, accounts, store), each in its own
 *      section, then the pipeline that drives them as one chain.
 *
 * Conventions, for every function below unless its comment says otherwise:
 *   - functions that can fail return kh_status; KH_OK is 0;
 *   - on failure a constructor sets *out to NULL and frees its partial work;
 *   - destructors accept NULL;
 *   - pointer/length pairs are named text/text_len; text is UTF-8 and need
 *     not be NUL-terminated;
 *   - a kh_ctx is used by one thread at a time; use one context per thread.
 */
#ifndef KHABAR_H
#define KHABAR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#  define KH_API __attribute__((visibility("default")))
#else
#  define KH_API
#endif

/* ===================================================================== *
 *  1. Version, status codes, error text
 * ===================================================================== */

/* Bump MAJOR on incompatible API changes, MINOR on additions, PATCH on
 * fixes. The shared library's soname carries KH_ABI_VERSION, which changes
 * only when the binary interface breaks. */
#define KH_VERSION_MAJOR 0
#define KH_VERSION_MINOR 7
#define KH_VERSION_PATCH 0
#define KH_VERSION_NUMBER \
    (KH_VERSION_MAJOR * 10000 + KH_VERSION_MINOR * 100 + KH_VERSION_PATCH)
#define KH_VERSION_STRING "0.7.0"

/** @return KH_VERSION_NUMBER of the library actually linked. */
KH_API unsigned kh_version_number(void);
/** @return the library's version as static text, e.g. "0.7.0". */
KH_API const char *kh_version_string(void);

/* Status codes. Values are pinned forever: a retired code stays here as
 * KH_E_OBSOLETEnn so that numbers seen in logs keep their meaning. */
typedef enum kh_status {
    KH_OK = 0,
    KH_E_NOMEM = 1,     /* an allocation failed */
    KH_E_IO = 2,        /* a file could not be opened, read or written */
    KH_E_UTF8 = 3,      /* invalid UTF-8 */
    KH_E_NUL = 4,       /* a NUL byte inside text */
    KH_E_TOOBIG = 5,    /* a line, record or buffer passed its limit */
    KH_E_EMPTY = 6,     /* an empty file or record */
    KH_E_JSON = 7,      /* malformed or wrongly typed JSON */
    KH_E_WARC = 8,      /* malformed WARC record */
    KH_E_FORMAT = 9,    /* input in no format khabar reads */
    KH_E_ARG = 10,      /* a bad argument or option */
    KH_E_GZIP = 11,     /* corrupt or truncated gzip stream */
    KH_E_DB = 12,       /* the SQLite store reported an error */
    KH_E_INTERNAL = 13, /* a bug: an invariant did not hold */
    KH_E_STOPPED = 14,  /* a callback asked to stop */
    KH_E_LIMIT = 15,    /* a page passed a work limit (KH_LIMIT_HTML_*) */
    KH_E_DUPLICATE = 16, /* a record whose id was already read in this run */
    KH_STATUS_COUNT_ /* not a code: one past the last */
} kh_status;

/** @return static English text for code (never NULL, also for unknown codes). */
KH_API const char *kh_strerror(kh_status code);

/* ===================================================================== *
 *  2. The context
 * ===================================================================== */

/* The allocator, Lua style: one function does everything.
 *   ptr == NULL, new_size > 0  -> allocate new_size bytes
 *   ptr != NULL, new_size > 0  -> resize from old_size to new_size
 *   ptr != NULL, new_size == 0 -> free (return value ignored)
 * It returns NULL when it cannot allocate. old_size is always the size the
 * block was allocated with, so allocators that keep no headers work. It is
 * called from worker threads when a stage runs threaded, so it must be
 * thread-safe. */
typedef void *(*kh_alloc_fn)(void *opaque, void *ptr, size_t old_size,
                             size_t new_size);

typedef struct kh_allocator {
    kh_alloc_fn fn;
    void *opaque;
} kh_allocator;

/* Every buffer that grows is capped; a cap reached gives KH_E_TOOBIG with
 * the file and line, never an out-of-memory kill.
 *
 * The KH_LIMIT_HTML_* limits are the work budget of one HTML page: the
 * parser's cost grows with the square of the attributes on one element and
 * with depth times end tags, so a page past one of them is refused with
 * KH_E_LIMIT (naming the page, the count and the limit) before it is parsed
 * or as soon as the parser reaches it. The text of a page is bounded by
 * KH_LIMIT_DOCUMENT. Defaults leave real news pages far below them. */
typedef enum kh_limit {
    KH_LIMIT_LINE = 0,     /* bytes in one input line (default 16 MiB) */
    KH_LIMIT_DOCUMENT = 1, /* bytes in one document (default 64 MiB) */
    KH_LIMIT_HTML_ATTRS = 2,       /* attributes on one HTML element (default 512) */
    KH_LIMIT_HTML_ATTRS_TOTAL = 3, /* attributes in one HTML page (default 262144) */
    KH_LIMIT_HTML_ELEMENTS = 4,    /* start tags in one HTML page (default 262144) */
    KH_LIMIT_HTML_DEPTH = 5,       /* HTML elements open at once (default 512) */
    KH_LIMIT_COUNT_
} kh_limit;

/** Opaque: options, allocator, statistics, last error message. */
typedef struct kh_ctx kh_ctx;

/**
 * Creates a context.
 * @param out   receives the context, or NULL on failure.
 * @param alloc the allocator, copied; NULL means malloc/realloc/free.
 * @return KH_OK or KH_E_NOMEM.
 * The caller owns the context and frees it with kh_ctx_free().
 */
KH_API kh_status kh_ctx_create(kh_ctx **out, const kh_allocator *alloc);

/** Frees a context. Accepts NULL. */
KH_API void kh_ctx_free(kh_ctx *ctx);

/**
 * Reads or sets a limit, like sqlite3_limit().
 * @param value the new value, or 0 to leave it as it is.
 * @return the limit's value before the call, or 0 for an unknown limit.
 */
KH_API size_t kh_ctx_limit(kh_ctx *ctx, kh_limit which, size_t value);

/**
 * @return the message of the last error reported on ctx, with the file and
 * line or byte offset where there is one, e.g. "a.jsonl:12: ...". The text is
 * owned by ctx and valid until the next call that fails on it. Never NULL:
 * "" when there was no error. Accepts NULL (returns "out of memory").
 */
KH_API const char *kh_errmsg(const kh_ctx *ctx);

/**
 * Records an error on ctx, printf style, and returns code. For code built on
 * libkhabar (readers of its own, the CLI) that wants the same error channel.
 */
KH_API kh_status kh_ctx_error(kh_ctx *ctx, kh_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** Allocates through ctx's allocator. @return NULL on failure. */
KH_API void *kh_malloc(kh_ctx *ctx, size_t size);
/** Resizes a block from kh_malloc(). @return NULL on failure (block kept). */
KH_API void *kh_realloc(kh_ctx *ctx, void *ptr, size_t old_size, size_t new_size);
/** Frees a block of size bytes from kh_malloc(). Accepts NULL. */
KH_API void kh_free(kh_ctx *ctx, void *ptr, size_t size);

/* ===================================================================== *
 *  3. Arenas and buffers
 * ===================================================================== */

/**
 * A bump allocator for data that lives and dies together: one per document,
 * one per batch. Nothing allocated in it is freed alone; kh_arena_reset()
 * drops everything but keeps the largest block for reuse.
 */
typedef struct kh_arena kh_arena;

/** Creates an arena whose blocks come from ctx's allocator. */
KH_API kh_status kh_arena_create(kh_ctx *ctx, kh_arena **out);
/** Frees the arena and everything allocated in it. Accepts NULL. */
KH_API void kh_arena_free(kh_arena *arena);
/** Forgets every allocation; keeps the largest block. */
KH_API void kh_arena_reset(kh_arena *arena);
/** @return size bytes aligned for any type, or NULL when out of memory. */
KH_API void *kh_arena_alloc(kh_arena *arena, size_t size);
/** @return a NUL-terminated copy of text[0..text_len), or NULL. */
KH_API char *kh_arena_strndup(kh_arena *arena, const char *text, size_t text_len);
/** @return the bytes currently held from the allocator (for statistics). */
KH_API size_t kh_arena_footprint(const kh_arena *arena);

/**
 * A growable byte buffer with a cap, always NUL-terminated when non-empty.
 * Initialize with kh_buf_init(); the struct itself may live anywhere.
 */
typedef struct kh_buf {
    char *data;     /* NULL until the first append */
    size_t len;     /* bytes used, not counting the NUL */
    size_t cap;     /* bytes allocated */
    size_t max;     /* the cap: appends past it fail with KH_E_TOOBIG */
    kh_ctx *ctx;    /* where memory comes from */
} kh_buf;

/** Initializes an empty buffer; max 0 means SIZE_MAX/2. Allocates nothing. */
KH_API void kh_buf_init(kh_buf *buf, kh_ctx *ctx, size_t max);
/** Frees the buffer's memory and empties it. Accepts a zeroed buffer. */
KH_API void kh_buf_free(kh_buf *buf);
/** Empties the buffer, keeping its memory. */
KH_API void kh_buf_clear(kh_buf *buf);
/** Makes room for extra more bytes. @return KH_OK, KH_E_NOMEM or KH_E_TOOBIG. */
KH_API kh_status kh_buf_reserve(kh_buf *buf, size_t extra);
/** Appends bytes. */
KH_API kh_status kh_buf_append(kh_buf *buf, const void *bytes, size_t len);
/** Appends a NUL-terminated string. */
KH_API kh_status kh_buf_puts(kh_buf *buf, const char *s);
/** Appends printf-style text. */
KH_API kh_status kh_buf_printf(kh_buf *buf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Appends text as a JSON string literal, quotes included. text must be
 * valid UTF-8; it is written as is except for the escapes JSON requires. */
KH_API kh_status kh_buf_json_string(kh_buf *buf, const char *text, size_t text_len);

/* ===================================================================== *
 *  4. Documents and readers
 * ===================================================================== */

/**
 * Languages khabar detects: each has a stemmer (its own light stemmer for
 * Arabic, Snowball's for the others) and a stopword list. Codes are ISO
 * 639-1 ("no" is Norwegian Bokmål); unknown is "und". Values are pinned:
 * new languages are added before KH_LANG_COUNT_, never renumbered. A
 * language khabar cannot stem (Persian, Chinese, Hebrew, Polish...) is
 * KH_LANG_UNKNOWN.
 */
typedef enum kh_lang {
    KH_LANG_UNKNOWN = 0,
    KH_LANG_AR = 1,  /* Arabic */
    KH_LANG_EN = 2,  /* English */
    KH_LANG_FR = 3,  /* French */
    KH_LANG_DE = 4,  /* German */
    KH_LANG_ES = 5,  /* Spanish */
    KH_LANG_IT = 6,  /* Italian */
    KH_LANG_PT = 7,  /* Portuguese */
    KH_LANG_NL = 8,  /* Dutch */
    KH_LANG_CA = 9,  /* Catalan */
    KH_LANG_DA = 10, /* Danish */
    KH_LANG_EL = 11, /* Greek */
    KH_LANG_EU = 12, /* Basque */
    KH_LANG_FI = 13, /* Finnish */
    KH_LANG_GA = 14, /* Irish */
    KH_LANG_HI = 15, /* Hindi */
    KH_LANG_HU = 16, /* Hungarian */
    KH_LANG_HY = 17, /* Armenian */
    KH_LANG_ID = 18, /* Indonesian (and Malay) */
    KH_LANG_LT = 19, /* Lithuanian */
    KH_LANG_NE = 20, /* Nepali */
    KH_LANG_NO = 21, /* Norwegian (Bokmål) */
    KH_LANG_RO = 22, /* Romanian */
    KH_LANG_RU = 23, /* Russian */
    KH_LANG_SR = 24, /* Serbian, Cyrillic or Latin (and Croatian, Bosnian) */
    KH_LANG_SV = 25, /* Swedish */
    KH_LANG_TA = 26, /* Tamil */
    KH_LANG_TR = 27, /* Turkish */
    KH_LANG_YI = 28, /* Yiddish */
    KH_LANG_COUNT_
} kh_lang;

/** The container a document came in. */
typedef enum kh_format {
    KH_FORMAT_TEXT = 0,  /* a crawled-page text file, one block a line */
    KH_FORMAT_JSONL = 1, /* one JSON object a line */
    KH_FORMAT_HTML = 2,  /* an HTML file */
    KH_FORMAT_WARC = 3,  /* a WARC response record (HTML inside) */
    KH_FORMAT_WET = 4,   /* a WET conversion record (plain text inside) */
    KH_FORMAT_COUNT_
} kh_format;

/** What a document's content is. */
typedef enum kh_content {
    KH_CONTENT_TEXT = 0, /* an article body already clean, paragraphs by '\n' */
    KH_CONTENT_PAGE = 1, /* a crawled page's text, boilerplate included */
    KH_CONTENT_HTML = 2  /* HTML markup */
} kh_content;

/** @return "text", "jsonl", "html", "warc" or "wet". */
KH_API const char *kh_format_name(kh_format format);
/** @return "text", "page" or "html". */
KH_API const char *kh_content_name(kh_content kind);

/**
 * One input document. Every pointer in it points into arena, which the
 * document owns; kh_doc_free() frees both. Strings are NUL-terminated valid
 * UTF-8 without NUL bytes; optional ones are NULL when absent.
 */
typedef struct kh_doc {
    kh_arena *arena;
    const char *id;         /* unique in a run; see "Identity" below */
    const char *file;       /* the path it was read from; "-" for stdin */
    uint64_t line;          /* 1-based line where the record starts */
    uint64_t offset;        /* byte offset where the record starts */
    uint64_t seq;           /* 0-based position in the input stream */
    kh_format format;
    kh_content kind;
    const char *url;
    const char *source;     /* publisher, when the input says */
    const char *date;       /* as given by the input (not yet parsed) */
    const char *title;
    const char *content;    /* the text, markup or page */
    size_t content_len;
    size_t n_lines;         /* lines in content */
    size_t n_chars;         /* code points in content */
    kh_lang lang;           /* KH_LANG_UNKNOWN until a stage detects it */
    /* HTML only: bytes that were neither UTF-8 nor explained by a declared
     * charset (stray bytes, NULs), each replaced by U+FFFD in content; 0
     * for almost every page. repaired_at is the stream offset of the first
     * (decompressed bytes of the file), for a warning. */
    uint64_t repaired;
    uint64_t repaired_at;
} kh_doc;

/** Frees a document and its arena. Accepts NULL. */
KH_API void kh_doc_free(kh_doc *doc);

/** Opaque: a stream of documents from files, directories and stdin. */
typedef struct kh_reader kh_reader;

/*
 * What the readers make of each format (detected from content, never from
 * the name; gzip, by its magic bytes 1f 8b, is decompressed first, and
 * concatenated gzip members are read as one stream):
 *   - page text (anything else): the whole file is one document, kind PAGE;
 *     content is the file's bytes
 *     (a UTF-8 BOM left out, so offset is 3 then), lines as in the file.
 *   - HTML (first byte after BOM and white space is '<'): the same, kind HTML.
 *     Content must be UTF-8, except that HTML (a file, or a WARC response or
 *     resource payload) whose bytes are not valid UTF-8 and that declares a
 *     charset (HTTP Content-Type charset=, else <meta charset> or <meta
 *     http-equiv="Content-Type"> in its first 1024 bytes, else one before
 *     the <body>; iso-8859-1, latin1 and us-ascii read as windows-1252) is
 *     converted to UTF-8. Without a BOM only. An unknown charset is
 *     KH_E_FORMAT, bytes invalid in the declared one KH_E_UTF8. HTML (a
 *     file or a WARC payload) that is UTF-8 but for a few stray bytes or
 *     NULs (at most one byte in eight) is read with each replaced by
 *     U+FFFD and counted in kh_doc.repaired; more than that is KH_E_UTF8
 *     or KH_E_NUL, naming the first bad byte.
 *   - JSON Lines (first such byte is '{'): one object a line with optional
 *     strings "id" (not empty), "url", "source", "date", "title"
 *     (null counts as absent) and exactly one non-empty string of "text"
 *     (kind TEXT), "page" (kind PAGE) or "html" (kind HTML); other members
 *     are ignored, blank lines skipped. A file whose first line is a lone
 *     '{' is a pretty-printed JSON document, not JSON Lines: one KH_E_FORMAT
 *     error and the file is skipped.
 *   - WARC/WET (first bytes "WARC/"): "response" records of a successful
 *     (2xx) HTTP fetch whose payload is HTML (kind HTML, format WARC),
 *     "conversion" records (kind PAGE, format WET), "resource" records of
 *     type text/html or text/plain; other records (warcinfo, request,
 *     metadata, revisit, redirects, images, CSS, scripts, and any record
 *     about a metadata: or dns: URI, such as wget's log) are not fetched
 *     pages and are counted in kh_read_stats.skipped. url =
 *     WARC-Target-URI without the angle brackets WARC/1.0 allows, date =
 *     WARC-Date. A record whose Content-Length lies is one KH_E_WARC error;
 *     reading resumes at the next line that starts with "WARC/1.".
 *
 * Identity. A document's id names the article, not the record, so that the
 * same article read again (a re-crawl, a second mirror) gets the same id:
 *   1. the id the record gives (JSON Lines "id"), else
 *   2. its URL (JSON Lines "url", WARC-Target-URI), else
 *   3. its path from the folder that holds the PATH given: a file given by
 *      name is its file name ("page.html"), a file found under a directory
 *      PATH starts with that directory's name ("site/a/index.html" for PATH
 *      site or ./site; a PATH of "." or "/" adds no name), else
 *   4. that path, ':' and the record's line, for a record of a JSON Lines
 *      or WARC file that gives neither id nor URL ("feed.jsonl:7").
 * A WARC record's own WARC-Record-ID is never the id: it changes with every
 * crawl. Ids are unique within a reader: a record whose id was already
 * returned is skipped with KH_E_DUPLICATE (the message names the id and
 * the record's file and line), and counted
 * in kh_read_stats.duplicates (not in errors).
 * Offsets count bytes of the decompressed stream. Directories skip hidden
 * entries (names starting with '.') and entries that are not regular files
 * or directories.
 */

/**
 * Opens a reader over paths, read in the order given; a directory is walked
 * recursively in byte order of names; "-" is standard input.
 * The paths are copied.
 * @return KH_OK, KH_E_NOMEM or KH_E_ARG (no paths, or an empty one). Files
 * are opened lazily, so a missing file is reported by kh_reader_next().
 */
KH_API kh_status kh_reader_open(kh_ctx *ctx, const char *const *paths,
                                size_t n_paths, kh_reader **out);

/**
 * Opens a reader over one file held in memory, with the same detection as a
 * file on disk (gzip, WARC/WET, JSON Lines, HTML, page text).
 * @param name  what error messages and kh_doc.file call the data (copied);
 *              NULL means "-".
 * @param data  the bytes; NOT copied: they must stay valid and unchanged
 *              until kh_reader_free(). NULL is accepted when data_len is 0.
 * @return KH_OK or KH_E_NOMEM. An empty buffer is reported by
 *         kh_reader_next() as KH_E_EMPTY, like an empty file.
 */
KH_API kh_status kh_reader_open_buffer(kh_ctx *ctx, const char *name,
                                       const void *data, size_t data_len,
                                       kh_reader **out);

/**
 * Reads the next document.
 * @param out receives a document the caller owns (free with kh_doc_free()),
 *            or NULL at the end of the stream.
 * @return KH_OK, or an error about one record or file; kh_errmsg() then
 *         names the file and line or byte offset. After an error the reader
 *         has skipped the bad record (or the rest of an unreadable file) and
 *         the next call goes on with the next one: the caller chooses to
 *         skip or to stop. KH_E_DUPLICATE is a warning: the record was
 *         readable but its id was already returned. KH_E_NOMEM is the only error that leaves the reader
 *         unusable.
 */
KH_API kh_status kh_reader_next(kh_reader *reader, kh_doc **out);

/** Counts kept by a reader. */
typedef struct kh_read_stats {
    uint64_t files;    /* files opened */
    uint64_t docs;     /* documents returned */
    uint64_t errors;   /* records or files skipped with an error */
    uint64_t bytes;    /* bytes read from files (compressed size for .gz) */
    uint64_t skipped;  /* WARC records that hold no document (warcinfo,
                          request, metadata, non-text payloads): not errors */
    uint64_t duplicates; /* records skipped because their id was already
                            read (KH_E_DUPLICATE): not errors */
} kh_read_stats;

/** Copies the reader's counts so far into *stats. */
KH_API void kh_reader_stats(const kh_reader *reader, kh_read_stats *stats);

/** Closes files and frees the reader. Accepts NULL. */
KH_API void kh_reader_free(kh_reader *reader);

/* ===================================================================== *
 *  5. The text layer
 * ===================================================================== */

/**
 * Checks that text is valid UTF-8 (no overlongs, no surrogates, nothing past
 * U+10FFFF).
 * @param bad_offset receives the offset of the first bad byte (may be NULL).
 * @return KH_OK or KH_E_UTF8.
 */
KH_API kh_status kh_utf8_check(const char *text, size_t text_len, size_t *bad_offset);

/** @return the ISO 639-1 code of lang ("ar", "en", "tr"...), "und" for
 * KH_LANG_UNKNOWN and any value that is no language. Static. */
KH_API const char *kh_lang_code(kh_lang lang);
/** @return the language of a lowercase two-letter code as kh_lang_code()
 * writes it ("ar", "es", "sr"...), else KH_LANG_UNKNOWN. Accepts NULL. */
KH_API kh_lang kh_lang_from_code(const char *code);

/**
 * Detects the language of text (the first 64 KiB are read, once, in linear
 * time): by writing system first (Arabic, Latin, Cyrillic, Greek, Armenian,
 * Hebrew, Devanagari, Tamil), then, where a system has several languages,
 * by stopword profiles and the letters that mark a language (ñ, ı ğ, ș ț,
 * ß, ő, ы...). Languages khabar cannot stem are KH_LANG_UNKNOWN, never a
 * neighbour: Persian and Urdu, Hebrew, Polish, Czech, Ukrainian, Bulgarian,
 * Vietnamese, Chinese, Japanese, Korean, Thai... Croatian and Bosnian are
 * KH_LANG_SR, Malay KH_LANG_ID. Accepts NULL.
 * @return KH_LANG_UNKNOWN when the text is too short (under 10 letters),
 * mixes systems with none over half its letters, or matches no profile.
 */
KH_API kh_lang kh_lang_detect(const char *text, size_t text_len);

/**
 * Appends the NFKC form of text to out (utf8proc): the display form, with
 * presentation forms and compatibility characters folded.
 * @return KH_OK, KH_E_UTF8, KH_E_NOMEM or KH_E_TOOBIG; on failure out is
 * left as it was.
 */
KH_API kh_status kh_text_nfkc(kh_buf *out, const char *text, size_t text_len);

/**
 * Appends the matching key of text to out: NFKC; Latin case folded and
 * accents removed (é -> e); Arabic alef forms أ إ آ ٱ -> ا, ى -> ي, ة -> ه,
 * Persian/Urdu ک ی -> ك ي; tashkeel (U+064B-U+0652, U+0670) and tatweel
 * removed; ؤ and ئ kept; Arabic-Indic and Persian digits -> ASCII; bidi
 * controls and zero-width characters removed. Spaces and punctuation stay.
 * Displayed text is never replaced by its key: keys are for comparing.
 * @return KH_OK; KH_E_UTF8 for invalid input; KH_E_NOMEM or KH_E_TOOBIG
 * (out's cap). On failure out is left as it was.
 */
KH_API kh_status kh_text_normalize(kh_buf *out, const char *text, size_t text_len);

/**
 * Writes the matching key of text (as kh_text_normalize()) into the caller's
 * array out[0..out_cap), without allocating; for short strings such as one
 * word. The key is not NUL-terminated.
 * @param out_len receives the key's length (0 on failure).
 * @return KH_OK, KH_E_TOOBIG when the key does not fit, or KH_E_UTF8.
 */
KH_API kh_status kh_text_normalize_to(char *out, size_t out_cap, const char *text,
                                      size_t text_len, size_t *out_len);

/**
 * Calls fn once per sentence of text, in order, with byte offsets
 * [start, end) into text, trimmed of surrounding spaces. Sentences end at
 * . ! ? ؟ … and at line breaks; ، and ؛ do not end a sentence. A period after
 * a known abbreviation (Mr. Dr. U.S., Arabic single letters د. م. and
 * ق.م) or between digits does not end one; closing quotes and brackets stay
 * with their sentence. Any bytes are accepted (invalid UTF-8 included).
 * @return KH_OK, or KH_E_STOPPED when fn returned non-zero.
 */
typedef int (*kh_span_fn)(void *user, size_t start, size_t end);
KH_API kh_status kh_text_sentences(const char *text, size_t text_len,
                                   kh_span_fn fn, void *user);

/* Flags passed to a token callback. */
#define KH_TOKEN_NUMBER    0x01u /* the token is a number (ASCII digits) */
#define KH_TOKEN_STOPWORD  0x02u /* the token is a stopword of its language */
#define KH_TOKEN_COLOCATED 0x04u /* another form of the previous token, same position */

/**
 * Called once per token. token/token_len is the normalized (and, when asked,
 * stemmed) form, valid only during the call; [start, end) are byte offsets of
 * the word in the original text. Return non-zero to stop.
 */
typedef int (*kh_token_fn)(void *user, unsigned flags, const char *token,
                           size_t token_len, size_t start, size_t end);

/* Options for kh_tokenize(). */
#define KH_TOK_STEM          0x01u /* stem each token (Arabic light stemmer, Snowball for the rest) */
#define KH_TOK_SKIP_STOPWORDS 0x02u /* do not report stopwords */

/** Opaque: stemmers and scratch space. One per thread. */
typedef struct kh_tokenizer kh_tokenizer;

/**
 * Creates a tokenizer. It allocates nothing per token; stemmers (libstemmer,
 * which allocates with malloc) and a 256 KiB stem cache are created on first
 * use. Not thread-safe: one tokenizer per thread.
 * @return KH_OK or KH_E_NOMEM (then *out is NULL). Free with
 * kh_tokenizer_free().
 */
KH_API kh_status kh_tokenizer_create(kh_ctx *ctx, kh_tokenizer **out);
/** Frees a tokenizer. Accepts NULL. */
KH_API void kh_tokenizer_free(kh_tokenizer *tok);

/**
 * Splits text into words and reports each one's key. A word is a run of
 * letters, marks and digits; diacritics and tatweel never split a word.
 * lang chooses the stemmer and stopword list of the words in its own script;
 * of the others, Arabic words get the Arabic rules, Latin words the English
 * ones (a name in an Arabic or Russian text) and words of other scripts none.
 * KH_LANG_UNKNOWN gives every word its key only: no stemmer, no stopwords.
 * (KH_LANG_EN thus gives the rules per word by script, Arabic and English:
 * the store's index uses it.) A change between Arabic and Latin letters, or between digits
 * and Arabic letters (2015م), ends a word. Invalid UTF-8 bytes separate
 * words; runs longer than 256 bytes are not reported. Stopwords and numbers
 * are not stemmed.
 * @return KH_OK, KH_E_NOMEM, or KH_E_STOPPED when fn returned non-zero.
 */
KH_API kh_status kh_tokenize(kh_tokenizer *tok, kh_lang lang, const char *text,
                             size_t text_len, unsigned options, kh_token_fn fn,
                             void *user);

/**
 * Stems one normalized word (a key from kh_text_normalize()): a light Arabic
 * stemmer (prefixes و ال وال بال لل..., plural, dual, feminine and pronoun
 * suffixes, with minimum stem lengths) for KH_LANG_AR, Snowball for every
 * other language (the stem folded into a key), the word itself for
 * KH_LANG_UNKNOWN. kh_tokenize() stems better where keys fold letters a
 * stemmer reads (Turkish ı ş, Hungarian ő, Russian й): it stems the word
 * as written, lowercased.
 * @return a pointer to the stem and its length in *stem_len; valid until the
 * next call on tok. When a stemmer cannot be allocated, word itself.
 */
KH_API const char *kh_stem(kh_tokenizer *tok, kh_lang lang, const char *word,
                           size_t word_len, size_t *stem_len);

/** @return non-zero when the normalized word is a stopword of lang. */
KH_API int kh_is_stopword(kh_lang lang, const char *word, size_t word_len);

/* ===================================================================== *
 *  6. Later stages
 * ===================================================================== */

/* ===================================================================== *
 *  6a. Clean: the article inside a crawled page
 * ===================================================================== */

/*
 * A crawled page (text or HTML) is mostly noise: menus, lists of other
 * headlines, comment forms, share buttons, copyright footers, the title
 * repeated. The cleaner finds the article in it: its body paragraphs, title,
 * date, publisher and dateline. Documents whose kind is KH_CONTENT_TEXT are
 * already clean and pass through (title, date and source from the record,
 * one paragraph per non-empty line).
 */

/* Warnings on a cleaned article (bit flags in kh_article.warnings). A page
 * with a warning still gives an article, with an empty body, except
 * KH_CLEAN_W_UNKNOWN_LANG: any language gets its body, and the warning says
 * only that khabar has no stemmer for it (lang is KH_LANG_UNKNOWN: see
 * kh_lang_detect()). */
#define KH_CLEAN_W_EMPTY        0x01u /* the page has no text at all */
#define KH_CLEAN_W_NO_BODY      0x02u /* text, but nothing that reads as an article */
#define KH_CLEAN_W_ALL_LINKS    0x04u /* (HTML) nearly all text is inside links */
#define KH_CLEAN_W_UNKNOWN_LANG 0x08u /* the language is none khabar stems */

/** Room for an ISO date or date-time written by kh_date_parse(), NUL included. */
#define KH_DATE_ISO_MAX 20

/**
 * A cleaned article. Every pointer points into the arena of the document it
 * came from and lives as long as that document. Optional strings are NULL
 * when not found.
 */
typedef struct kh_article {
    const char *title;
    const char *date;            /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" */
    const char *source;          /* the publisher */
    const char *dateline;        /* the place (and agency or outlet) the body opens
                                  * with: "واشنطن ـ المغرب اليوم", "WASHINGTON (Reuters)" */
    const char *dateline_agency; /* the agency named in it, e.g. "رويترز", "AFP" */
    const char *url;
    kh_lang lang;
    const char *const *body;     /* paragraphs in order */
    size_t n_body;
    unsigned warnings;           /* KH_CLEAN_W_* */
    const char *date_source;     /* where the date came from: "record", "jsonld",
                                  * "meta", "time", "text" or "url"; NULL with no date */
    const char *author;          /* the byline's name (or <meta name="author">) */
} kh_article;

/** Opaque: the cleaner's options, scratch space and line-repetition table. */
typedef struct kh_cleaner kh_cleaner;

/**
 * Creates a cleaner. One per thread.
 * @param max_lines size of the repetition table in distinct line counts
 *        (12 bytes each, rounded up to a power of two); 0 picks 262144
 *        (3 MiB). Each line of a page takes one count for the corpus and
 *        one for its site. At 3/4 full, new lines are no longer counted, so
 *        memory stays bounded whatever the batch.
 * @return KH_OK or KH_E_NOMEM; the caller frees it with kh_cleaner_free().
 */
KH_API kh_status kh_cleaner_create(kh_ctx *ctx, size_t max_lines, kh_cleaner **out);

/** Frees a cleaner. Accepts NULL. */
KH_API void kh_cleaner_free(kh_cleaner *cleaner);

/**
 * Sets the date relative dates ("منذ ساعتين", "yesterday") are counted back
 * from: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM". NULL (the default) means relative
 * dates are ignored.
 * @return KH_OK, or KH_E_ARG for a malformed date (the old one is kept).
 */
KH_API kh_status kh_cleaner_set_fetch_date(kh_cleaner *cleaner, const char *iso);

/**
 * First pass over a batch (optional): counts each normalized line of doc
 * once, for its source and for the whole corpus, so that kh_clean_doc() can
 * tell lines that recur on many pages (menus, footers, slogans) from the
 * article. Memory is bounded by max_lines. Documents of kind
 * KH_CONTENT_TEXT are not counted. An HTML page observed is kept cut into
 * blocks (64 MB at most, by the hash of its bytes), so that kh_clean_doc()
 * of the same bytes does not parse it again.
 * @return KH_OK or KH_E_NOMEM.
 */
KH_API kh_status kh_cleaner_observe(kh_cleaner *cleaner, const kh_doc *doc);

/** Forgets every count made by kh_cleaner_observe(), and the pages it kept. */
KH_API void kh_cleaner_reset(kh_cleaner *cleaner);

/**
 * Cleans one document. Also sets doc->lang when it was unknown.
 * @param out receives the article, allocated in doc's arena (valid until
 *        kh_doc_free(doc)); NULL on failure.
 * @return KH_OK (also for empty pages: see warnings), KH_E_NOMEM,
 *         KH_E_UTF8 when the content is not valid UTF-8, or KH_E_LIMIT for
 *         an HTML page past one of the KH_LIMIT_HTML_* limits (the message
 *         names the record, what was counted, where, and the limit).
 */
KH_API kh_status kh_clean_doc(kh_cleaner *cleaner, kh_doc *doc, const kh_article **out);

/** @return static English text for one KH_CLEAN_W_* flag, e.g. "no body"; "" for others. */
KH_API const char *kh_clean_warning_text(unsigned flag);

/**
 * Finds the first date in text and writes it as ISO 8601 to out. Understands
 * ISO and numeric dates (2016-10-25, 25/10/2016, 25.10.2016), month names of
 * every system used in Arabic media (Egyptian/Gulf, Levantine/Iraqi,
 * Maghrebi, Moroccan), English and French names, Arabic-Indic digits, and
 * Hijri dates (converted with the tabular Islamic calendar, which may differ
 * from Umm al-Qura by a day or two). Relative dates ("منذ ساعتين", "أمس",
 * "2 hours ago", "il y a 3 jours") are understood only when ref_iso is given.
 * @param ref_iso the fetch date, "YYYY-MM-DD[THH:MM]", or NULL.
 * @param out receives "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]"; out_size must
 *        be at least KH_DATE_ISO_MAX.
 * @return KH_OK, KH_E_FORMAT when no date was found, KH_E_ARG for a NULL or
 *         short out.
 */
KH_API kh_status kh_date_parse(const char *text, size_t text_len, const char *ref_iso,
                               char *out, size_t out_size);

/* --------------------------------------------------------------------- *
 *  Dedup: exact and near-duplicate copies (MinHash-LSH, anti-chaining)
 * --------------------------------------------------------------------- */

/*
 * The same story republished by many outlets — another header, a dropped
 * last paragraph, أ for ا, a stray diacritic — is one group. Feed documents
 * with kh_dedup_add(), call kh_dedup_run() once, then read the groups.
 *
 * Similarity is the Jaccard index of the two documents' sets of word
 * shingles (word n-grams of the dedup key: Arabic letter variants, tashkeel,
 * tatweel, digits and case folded), estimated from MinHash signatures.
 * Every member of a group has similarity >= threshold with the group's
 * representative, its earliest document (by date, then input order), or is
 * "contained": most of its shingles (>= containment) are in a longer member
 * (a teaser, a trimmed copy), while a document that only shares the lead of
 * another over a body of its own (a follow-up) is no copy. Groups never
 * grow by transitivity. Bodies under min_words words take no part. Results
 * never depend on the thread count.
 */

/** Options of a deduper; fill with kh_dedup_options_init(). */
typedef struct kh_dedup_options {
    double threshold;      /* Jaccard for a near copy, (0,1]; default 0.8 */
    unsigned threads;      /* worker threads; 0 = the number of online cores */
    unsigned shingle;      /* words per shingle, 1..16; default 2 */
    unsigned num_perms;    /* signature slots, a power of two 16..1024; default 128 */
    unsigned band_rows;    /* slots per LSH band, 1..16; 0 = chosen from the
                              threshold (6 for 0.8: S-curve midpoint ~0.6) */
    unsigned max_bucket;   /* an LSH bucket larger than this pairs each member
                              only with its first max_bucket members; default 256 */
    unsigned min_words;    /* a body of fewer words of the dedup key is "no body":
                              never an exact, near or contained copy, its own
                              group; default 12 (a caption, a share bar, a "read
                              more" line: what is left of a page whose article
                              the cleaner did not find) */
    double containment;    /* a document of which at least this share of the
                              shingles is in a longer one (a teaser, a trimmed
                              copy) is a "contained" copy of it, [0,1]; 0 = off;
                              default 0.8. See kh_dedup_relation. */
} kh_dedup_options;

/** Fills opts with the defaults above. */
KH_API void kh_dedup_options_init(kh_dedup_options *opts);

/** Opaque: the documents' ids, dates, fingerprints and, after a run, groups. */
typedef struct kh_deduper kh_deduper;

/**
 * Creates a deduper.
 * @param opts options, copied; NULL means the defaults.
 * @return KH_OK, KH_E_NOMEM, or KH_E_ARG for an option out of range (the
 * message says which). The deduper uses ctx (which must outlive it) from the
 * calling thread and ctx's allocator from its worker threads.
 */
KH_API kh_status kh_dedup_create(kh_ctx *ctx, const kh_dedup_options *opts,
                                 kh_deduper **out);

/** Frees a deduper and everything it holds. Accepts NULL. */
KH_API void kh_dedup_free(kh_deduper *dd);

/**
 * Adds one document. Only its fingerprints, id and date are kept, never the
 * body, which may be freed when the call returns (bodies are hashed in
 * batches by the worker threads while the caller reads the next ones).
 * @param id   the document's id, copied; NULL or "" is KH_E_ARG.
 * @param date its date as text, "YYYY-MM-DD[ T]HH:MM[:SS]" read as far as it
 *             goes; NULL or unreadable sorts after every dated document.
 * @param text the body (UTF-8; invalid bytes are treated as separators); an
 *             empty or near-empty body (under min_words words) is allowed,
 *             counted as "no body" and never grouped with anything.
 * @return KH_OK, KH_E_ARG, KH_E_NOMEM, or KH_E_TOOBIG past 2^31-1 documents.
 * After kh_dedup_run() it returns KH_E_ARG.
 */
KH_API kh_status kh_dedup_add(kh_deduper *dd, const char *id, const char *date,
                              const char *text, size_t text_len);

/**
 * kh_dedup_add() with what provenance needs (see kh_dedup_original()).
 * @param source the outlet ("okaz", "spa", "Reuters"), or NULL: documents
 *               of one source string are one outlet; a source that is a wire
 *               agency's name (or starts with it: "spa.gov.sa") makes the
 *               document that agency's own copy.
 * @param credit a dateline or credit line naming the agency the text came
 *               from ("الرياض - واس", "رويترز", "AFP"), or NULL: then the
 *               dateline the body opens with is read ("الرياض - واس:",
 *               "WASHINGTON (Reuters) -", "(أ ف ب)").
 * Neither is kept as text: a hash of the source and the agency named.
 */
KH_API kh_status kh_dedup_add_from(kh_deduper *dd, const char *id, const char *date,
                                   const char *source, const char *credit,
                                   const char *text, size_t text_len);

/**
 * Adds a document read by kh_reader: its id, date, source, credit and body
 * (kh_dedup_add_from(); the credit is the cleaner's dateline agency or
 * dateline for a page, else the body's dateline). A text
 * document's body is its content; a page or HTML document's body is what
 * kh_clean_doc() finds in it (which adds the article to doc's arena and may
 * set doc->lang), paragraphs joined as kh_pipeline_body_join() joins them;
 * date and source are the cleaned ones, else the record's. Pages are
 * cleaned one at a time, without the repetition counts a whole run gives
 * (an outlet's footer may stay): kh_pipeline_dedup() observes the run's
 * pages first, and is what khabar dedup runs.
 * @return as kh_dedup_add(), or an error of kh_clean_doc().
 */
KH_API kh_status kh_dedup_add_doc(kh_deduper *dd, kh_doc *doc);

/**
 * Groups the documents added so far: exact copies by a 128-bit XXH3 of the
 * dedup key, near copies by MinHash-LSH, then verified pairs joined around
 * each group's earliest document. Call once.
 * @return KH_OK, KH_E_NOMEM, or KH_E_ARG when called twice.
 */
KH_API kh_status kh_dedup_run(kh_deduper *dd);

/** @return the number of documents added. */
KH_API size_t kh_dedup_count(const kh_deduper *dd);

/** @return the id of document i (in input order), owned by dd; NULL when
 * i is out of range. */
KH_API const char *kh_dedup_id(const kh_deduper *dd, size_t i);

/** @return the index of the representative (earliest document) of
 * document i's group, i itself when it has no copy; (size_t)-1 when i is out
 * of range or before kh_dedup_run(). */
KH_API size_t kh_dedup_group(const kh_deduper *dd, size_t i);

/** @return document i's similarity to the document it was verified against
 * (kh_dedup_copy_of()): the estimated Jaccard index for a near copy, the
 * share of its shingles found in the other for a contained one; 1 for an
 * exact copy and for a document that is no copy. */
KH_API double kh_dedup_similarity(const kh_deduper *dd, size_t i);

/** How a document is a copy. */
typedef enum kh_dedup_relation {
    KH_DEDUP_NONE = 0,      /* no copy: the group's original, or alone */
    KH_DEDUP_EXACT = 1,     /* the same dedup key (words, folded) */
    KH_DEDUP_NEAR = 2,      /* Jaccard >= threshold */
    KH_DEDUP_CONTAINED = 3, /* most of it inside the other: a teaser, a
                               trimmed or partial copy (see the options) */
    KH_DEDUP_NO_BODY = 4,   /* under min_words words: takes no part */
    KH_DEDUP_EXTENDED = 5   /* holds the other whole and adds to it (a later
                               outlet's framing of an earlier original);
                               similarity is the other's containment in it */
} kh_dedup_relation;

/** @return how document i was joined to its group (KH_DEDUP_NONE for the
 * group's original and for documents without copies; KH_DEDUP_NO_BODY). */
KH_API kh_dedup_relation kh_dedup_relation_of(const kh_deduper *dd, size_t i);

/** @return the document that i was verified to be a copy of: the group's
 * original, or a member of the group (a contained copy of a near copy, an
 * exact copy of a contained one); i itself when it is no copy; (size_t)-1
 * out of range or before kh_dedup_run(). Every chain of copy_of ends at the
 * group's original (kh_dedup_original()). */
KH_API size_t kh_dedup_copy_of(const kh_deduper *dd, size_t i);

/**
 * @return the original of document i's group, named by evidence in this
 * order: (a) the own copy of the wire agency that most members credit in a
 * dateline or credit line (when its own copy, a document whose source is
 * that agency, is in the group); (b) the earliest date with a time, where a
 * date without a time counts as the end of its day; (c) the most complete
 * text (most words); then input order. i itself when it has no copy;
 * (size_t)-1 out of range or before kh_dedup_run(). The group's id
 * (kh_dedup_group()) stays its representative, which may differ.
 */
KH_API size_t kh_dedup_original(const kh_deduper *dd, size_t i);

/** @return the wire agency of document i's group, by the name khabar uses
 * ("واس", "رويترز", "أ ف ب", "أ ب", "الأناضول", ...): the original's own
 * agency when the original is an agency's copy, else the agency most members
 * credit; NULL when none is known. Static; NULL before kh_dedup_run(). */
KH_API const char *kh_dedup_wire(const kh_deduper *dd, size_t i);

/** @return the number of distinct sources among the members of document i's
 * group (documents added without a source count for none); 0 before
 * kh_dedup_run(). */
KH_API size_t kh_dedup_outlets(const kh_deduper *dd, size_t i);

/** @return a static English name of a relation: "none", "exact", "near",
 * "contained", "no body", "extended". */
KH_API const char *kh_dedup_relation_name(kh_dedup_relation rel);

/** Figures about a run. */
typedef struct kh_dedup_stats {
    uint64_t docs;            /* documents added */
    uint64_t exact_dups;      /* documents that are exact copies of an earlier one */
    uint64_t groups;          /* groups of two or more documents */
    uint64_t grouped_docs;    /* documents in those groups */
    uint64_t largest_group;   /* size of the largest group */
    uint64_t candidates;      /* distinct candidate pairs from the LSH bands */
    uint64_t verified;        /* candidate pairs at or above the threshold */
    uint64_t refused;         /* verified pairs not joined (the anti-chaining rule) */
    uint64_t no_body;         /* documents under min_words words: each its own group */
    uint64_t near;            /* documents joined as near copies */
    uint64_t contained;       /* documents joined as contained copies */
    uint64_t bytes;           /* bytes of text hashed */
    uint64_t memory;          /* bytes held by the deduper now */
    double bytes_per_doc;     /* memory / docs */
} kh_dedup_stats;

/** Copies the figures into *stats (zeros before kh_dedup_run(), except docs,
 * bytes and memory). */
KH_API void kh_dedup_stats_get(const kh_deduper *dd, kh_dedup_stats *stats);

/**
 * Calls fn once per group of two or more documents, in order of their
 * representatives' input positions, with the members' indexes in input order
 * (members[0] need not be the representative: rep says which) and the
 * smallest similarity of a member to the representative. members is valid
 * during the call only.
 * @return KH_OK, KH_E_NOMEM, KH_E_ARG before kh_dedup_run(), or
 * KH_E_STOPPED when fn returned non-zero.
 */
typedef int (*kh_dedup_group_fn)(void *user, size_t rep, const size_t *members,
                                 size_t n_members, double min_similarity);
KH_API kh_status kh_dedup_groups(kh_deduper *dd, kh_dedup_group_fn fn, void *user);

/* --------------------------------------------------------------------- *
 *  Stories: online, time-aware grouping of articles about the same event
 * --------------------------------------------------------------------- */

/** Opaque: open stories, their inverted index, document frequencies. */
typedef struct kh_storyer kh_storyer;

/* Callback run just before a story closes (no article for a window, or
 * kh_story_flush()); the story's accessors work during the call. */
typedef void (*kh_story_close_fn)(void *user, const kh_storyer *st, uint64_t story);

/** Options of a storyer; fill with kh_story_options_init(), then change. */
typedef struct kh_story_options {
    int64_t window;          /* seconds a story stays open with no new article (72 h) */
    int64_t max_span;        /* seconds after its first article a story closes
                                whatever joins it; 0: no limit (7 days) */
    int64_t undated_step;    /* seconds each undated article moves the clock
                                while no article has had a date: the input
                                order as a last-resort time, so the stories
                                of an undated stream close; 0: they never do
                                (window / 4096: a story closes after 4096
                                undated articles with none for it) */
    double threshold;        /* score (cosine x time factor) to join a story (0.35) */
    size_t centroid_terms;   /* terms kept per story centroid, 16..1024 (96) */
    double title_boost;      /* added to a term's tf weight when it is in the title (2.0) */
    double name_boost;       /* factor for capitalized names and their pairs (1.5) */
    double number_weight;    /* factor for numbers, years, dates (0.3) */
    size_t df_capacity;      /* about the most terms whose document frequency is kept (256k) */
    int keep_closed;         /* 1: closed stories stay readable, compacted to ids,
                                dates and 16 terms; 0: released (bounded memory) */
    kh_story_close_fn on_close; /* may be NULL */
    void *on_close_user;
    int explain;             /* 1: kh_story_add() keeps why each article went
                                where it did, for kh_story_why_last() (0) */
} kh_story_options;

/** Sets the defaults above. */
KH_API void kh_story_options_init(kh_story_options *opt);

/* kh_story_article.dated for a time that is an estimate, not the article's
 * own date (kh_story_date_by_content): it places the article in the stream
 * like a date, but a story's first and last report own dates only. */
#define KH_STORY_TIME_ESTIMATED 2

/** One article handed to kh_story_add(); nothing in it is kept but id. */
typedef struct kh_story_article {
    const char *id;          /* NUL-terminated, required; copied */
    int dated;               /* 0: undated; it takes the time of the latest
                                dated article added before it.
                                KH_STORY_TIME_ESTIMATED: time is an estimate.
                                Any other value: time is its own date. */
    int64_t time;            /* seconds since 1970 UTC, when dated */
    kh_lang lang;            /* KH_LANG_UNKNOWN: detected from title and text */
    const char *title;       /* may be NULL */
    size_t title_len;
    const char *text;        /* the body; may be NULL */
    size_t text_len;
    const char *copy_of;     /* id of an article this one copies, or NULL: a
                                copy joins its original's story while that is open */
} kh_story_article;

/** What is known of one story. */
typedef struct kh_story_info {
    uint64_t id;             /* 1-based, in creation order */
    kh_lang lang;
    size_t n_articles;
    int dated;               /* 0 when no article of it had its own date */
    int64_t first, last;     /* earliest and latest own article date, when
                                dated; estimated times are not reported */
    int open;                /* 1 while articles can still join it */
} kh_story_info;

/**
 * Creates a storyer: the online clustering of a stream of articles into
 * stories. Each added article is compared (TF-IDF cosine) with the centroids
 * of open stories of its language found through an inverted index of their
 * top terms; the cosine is scaled by a time factor (1 at the time of the
 * story's latest article, 0.5 a window away); it joins the best story at or
 * above the threshold (ties go to the lower story id) or starts a new story.
 * A story's centroid is shaped by its first 8 articles; later ones join it
 * without moving it, which keeps a long story from drifting into a topic.
 * A story that gets no article for opt->window seconds closes, and so does
 * one opt->max_span seconds after its first article (checked every
 * window/16 of stream time; such a story is never a candidate).
 * Same input in the same order, same stories.
 * @param opt NULL means the defaults.
 * @return KH_OK, KH_E_NOMEM, or KH_E_ARG for an option out of range.
 * The caller frees the storyer with kh_storyer_free(); ctx must outlive it.
 */
KH_API kh_status kh_storyer_create(kh_ctx *ctx, const kh_story_options *opt,
                                   kh_storyer **out);

/** Frees the storyer and every story in it. Accepts NULL. */
KH_API void kh_storyer_free(kh_storyer *st);

/**
 * Adds one article. Articles are expected in time order; an earlier time is
 * accepted (its story's dates take it) but the clock never goes back.
 * @param story receives the id of the story it joined or started (may be NULL).
 * @return KH_OK, KH_E_ARG (no id), KH_E_NOMEM or KH_E_TOOBIG (a cap
 * reached); on failure the article is not in any story and the storyer stays
 * usable.
 */
KH_API kh_status kh_story_add(kh_storyer *st, const kh_story_article *article,
                              uint64_t *story);

/* kh_story_why_term.kind: what the term is besides a word. */
#define KH_STORY_TERM_NAME 1u   /* a name: capitalized, after a title, or a pair of them */
#define KH_STORY_TERM_NUMBER 2u /* a number, year or date */
#define KH_STORY_TERM_TITLE 4u  /* in the article's title */

/** One shared term and what it gave to a score. */
typedef struct kh_story_why_term {
    char text[48];           /* the term as compared (normalized, stemmed; a
                                pair of names joined by a space), NUL-terminated,
                                cut at a character boundary */
    double share;            /* its part of the cosine */
    unsigned kind;           /* KH_STORY_TERM_* bits */
} kh_story_why_term;

#define KH_STORY_WHY_TERMS 8

/** Why an article went where it did, or what two articles share. */
typedef struct kh_story_why {
    uint64_t story;          /* the story joined or started (0 from kh_story_similarity) */
    int started;             /* 1: no open story scored at the threshold */
    int copy;                /* 1: joined its original's story as a copy */
    uint64_t nearest;        /* when started: the best open story, 0 when none */
    double score;            /* the deciding score: cosine x time x event factor */
    double cosine;           /* TF-IDF cosine with the story's centroid */
    double time_factor;      /* 1 at the story's time, 0.5 a window away */
    double event_factor;     /* 1, or 0.6 for each disagreement: both lead with
                                key numbers and share none; both date what
                                they report and share no month */
    double name_share;       /* the part of the cosine that names give */
    double number_share;     /* ... and numbers */
    size_t n_terms;
    kh_story_why_term terms[KH_STORY_WHY_TERMS]; /* shared terms, largest share first */
} kh_story_why;

/**
 * Copies why the last kh_story_add() put its article where it did.
 * @return KH_OK, or KH_E_ARG when the storyer was made without
 * opt->explain or no article was added since.
 */
KH_API kh_status kh_story_why_last(const kh_storyer *st, kh_story_why *out);

/** @return "copy", "started" or "joined": the decision why records (static text). */
KH_API const char *kh_story_why_decision(const kh_story_why *why);

/**
 * Appends why as the JSON object `khabar stories` prints for each article
 * and the store keeps (articles.why):
 * {"id": ID, "decision": "started"|"joined"|"copy", "score": 0.5210,
 *  "cosine": 0.6012, "time_factor": 0.8667, "terms": [{"term": "...",
 *  "share": 0.1831, "kind": ["title", "name", "number"]}, ...]}.
 * A copy has id and decision only; a start has "nearest" (a story id, or
 * null) and its score, cosine and time_factor only with a nearest story;
 * "event_factor" follows time_factor only when it is in (0, 1) (the texts
 * disagree on key numbers or dates), so a why that found no such
 * disagreement reads as before. Numbers have 4 decimals.
 * @param id the article's id, NUL-terminated.
 * @return KH_OK, KH_E_ARG (a NULL argument), KH_E_NOMEM or KH_E_TOOBIG.
 */
KH_API kh_status kh_story_why_json(const kh_story_why *why, const char *id, kh_buf *out);

/**
 * Reads what kh_story_why_json() wrote back into *out (id is not kept;
 * name_share and number_share, which the JSON does not hold, are 0;
 * event_factor is 1 where the JSON has none), so
 * kh_story_why_json() writes the same text again.
 * @return KH_OK, KH_E_ARG (a NULL argument) or KH_E_JSON (not JSON, or not
 *         as kh_story_why_json() writes it: kh_errmsg() says what); *out
 *         is zeroed on failure.
 */
KH_API kh_status kh_story_why_parse(kh_ctx *ctx, const char *json, size_t json_len,
                                    kh_story_why *out);

/**
 * Scores article a against article b as if b alone were an open story: the
 * score kh_story_add() would compare with the threshold, with the document
 * frequencies the storyer has seen (neither article is counted). Two
 * articles in different languages score 0.
 * @param out receives the score and the shared terms; story is 0.
 * @return KH_OK, KH_E_ARG or KH_E_NOMEM.
 */
KH_API kh_status kh_story_similarity(kh_storyer *st, const kh_story_article *a,
                                     const kh_story_article *b, kh_story_why *out);

/**
 * Counts an article's terms in the document frequencies without grouping
 * it: a batch observed whole before its articles are added is scored with
 * the same idf whatever its order. Once any article is observed, added
 * articles are no longer counted.
 * @return KH_OK, KH_E_ARG or KH_E_NOMEM.
 */
KH_API kh_status kh_story_observe(kh_storyer *st, const kh_story_article *article);

/** Closes every open story (running on_close for each, in id order). */
KH_API void kh_story_flush(kh_storyer *st);

/** @return the number of stories created so far (the highest id). */
KH_API uint64_t kh_story_count(const kh_storyer *st);

/**
 * Describes story id.
 * @return KH_OK, or KH_E_ARG when there is no such story or it was closed
 * and released (keep_closed 0).
 */
KH_API kh_status kh_story_get(const kh_storyer *st, uint64_t id, kh_story_info *out);

/**
 * @return the id of the i-th article (0-based, in the order added) of story
 * id, or NULL when out of range. Owned by the storyer; valid until it is
 * freed or the story released.
 */
KH_API const char *kh_story_article_id(const kh_storyer *st, uint64_t id, size_t i);

/**
 * Exposes a story's centroid: term hashes (XXH3-64 of the stemmed key,
 * seeded by language) sorted ascending, with their weights.
 * @return the number of terms (0 for no such story); *terms and *weights
 * point into the storyer and stay valid until the next kh_story_add().
 */
KH_API size_t kh_story_centroid(const kh_storyer *st, uint64_t id,
                                const uint64_t **terms, const float **weights);

/**
 * @return the hash a term gets in centroids: XXH3-64 of token (a key from
 * kh_tokenize()) seeded by lang.
 */
KH_API uint64_t kh_story_term_hash(kh_lang lang, const char *token, size_t token_len);

/**
 * Parses a date: "YYYY-MM-DD", optionally followed by 'T' or ' ' and
 * "HH:MM[:SS[.fff]]" and "Z" or "+HH:MM"/"-HH:MM" (UTC when absent).
 * @return KH_OK with *time in seconds since 1970 UTC, or KH_E_ARG.
 */
KH_API kh_status kh_story_parse_date(const char *text, size_t text_len, int64_t *time);

/* The similarity floor callers pass to kh_story_date_by_content(). It is low
 * on purpose: the borrowed time only decides when an article is compared with
 * the open stories; joining one still takes the story threshold against its
 * centroid. Cosines here use document frequencies of the batch alone, so
 * reports of one event sit around 0.2-0.3 in a mixed batch. */
#define KH_STORY_UNDATED_MIN_SIMILARITY 0.1

/**
 * Gives undated articles a time read from their content: each article with
 * dated == 0 takes the time of the dated article of the same language it is
 * most similar to (TF-IDF cosine over stemmed title and body terms, document
 * frequencies from this batch), plus one second so that it follows that
 * article, when the similarity is at least min_similarity; dated then becomes
 * KH_STORY_TIME_ESTIMATED. Otherwise it stays undated. Only articles with
 * their own date lend theirs. Call it before sorting a batch
 * by time, so that where an undated article stands in the input does not
 * decide its story.
 * @param tok       a tokenizer for the calling thread.
 * @param n_dated   receives how many articles were given a time (may be NULL).
 * @return KH_OK, KH_E_NOMEM, KH_E_ARG or KH_E_TOOBIG (over 2^32 articles).
 * Only the dated and time fields of undated articles change.
 */
KH_API kh_status kh_story_date_by_content(kh_ctx *ctx, kh_tokenizer *tok,
                                          kh_story_article *articles, size_t n_articles,
                                          double min_similarity, size_t *n_dated);

/* --------------------------------------------------------------------- *
 *  Accounts: one account per story
 *
 *  What a reader wants from five reports of one event: what happened
 *  (headline, summary), who reported it and when (sources, first), who was
 *  named however each outlet spelled it (entities with variants), and where
 *  the outlets disagree (numbers given different values). An account is a
 *  pure function of the story's articles; it depends on no other stage.
 * --------------------------------------------------------------------- */

/** One article of a story, as the account reads it. Nothing is copied
 * until kh_account_build() runs; the account keeps its own copies. */
typedef struct kh_account_article {
    const char *id;              /* required, NUL-terminated */
    const char *source;          /* publisher, or NULL */
    const char *date;            /* ISO 8601 date ("2016-10-25..."), or NULL */
    const char *title;           /* or NULL */
    const char *const *body;     /* clean paragraphs, NUL-terminated UTF-8 */
    size_t n_body;
    kh_lang lang;                /* KH_LANG_UNKNOWN: words unstemmed (kh_tokenize) */
    const char *copy_of;         /* id of the original when a near copy, else NULL */
} kh_account_article;

/**
 * An external document frequency, for better term weights than the story
 * alone gives: returns how many documents of a reference corpus hold the
 * stemmed, normalized term, or a negative number when unknown.
 */
typedef double (*kh_df_fn)(void *user, const char *term, size_t term_len);

/** Options for kh_account_build(); start from kh_account_options_init(). */
typedef struct kh_account_options {
    size_t summary_min;   /* fewest summary sentences when the bodies have them (3) */
    size_t summary_max;   /* most summary sentences (6) */
    double mmr_lambda;    /* relevance against redundancy, 0..1 (0.7) */
    double max_jaccard;   /* no two summary sentences above this token Jaccard (0.5) */
    size_t min_entity_articles; /* a name must be in this many articles (2) */
    kh_df_fn df;          /* external document frequency, or NULL */
    void *df_user;
    double df_docs;       /* documents in the external corpus (df's N) */
} kh_account_options;

/** Fills opts with the defaults given in kh_account_options. */
KH_API void kh_account_options_init(kh_account_options *opts);

/** A summary sentence: text exactly as written in an article body. */
typedef struct kh_account_sentence {
    const char *text;
    size_t article;           /* index (input order) of the article it was taken from */
    size_t paragraph;         /* its paragraph in that body */
    size_t offset;            /* byte offset in that paragraph */
    const size_t *carriers;   /* articles holding it or a near copy (Jaccard >= 0.5), story order */
    size_t n_carriers;
    double relevance;         /* cosine to the story centroid */
} kh_account_sentence;

/** One reporter of the story. */
typedef struct kh_account_source {
    size_t article;           /* index in input order */
    const char *id;
    const char *source;       /* NULL when unknown */
    const char *date;         /* NULL when undated */
    const char *title;        /* NULL when untitled */
} kh_account_source;

/** What kind of name an entity is; KH_ENTITY_NAME when no cue said. */
typedef enum kh_entity_kind {
    KH_ENTITY_NAME = 0,
    KH_ENTITY_PERSON = 1,
    KH_ENTITY_PLACE = 2,
    KH_ENTITY_ORG = 3
} kh_entity_kind;

/** @return "name", "person", "place" or "org". */
KH_API const char *kh_entity_kind_name(kh_entity_kind kind);

/** A name the story's articles share, with each way it was written. */
typedef struct kh_account_entity {
    const char *name;              /* the most common written form */
    kh_entity_kind kind;
    const char *const *variants;   /* distinct written forms, most common first */
    size_t n_variants;
    const size_t *articles;        /* articles naming it, story order */
    size_t n_articles;
    size_t n_mentions;             /* occurrences in titles and bodies */
} kh_account_entity;

/** One value given for a disputed quantity, and who gave it. */
typedef struct kh_account_value {
    double value;
    const size_t *articles;        /* story order */
    size_t n_articles;
    const char *sentence;          /* where the first of them gives it, as written;
                                      NULL when read back from an older store */
} kh_account_value;

/** A quantity the sources give different values for. */
typedef struct kh_account_disagreement {
    const char *about;             /* the counted words as written, e.g. "وزير دفاع" */
    const kh_account_value *values; /* most supported first */
    size_t n_values;
} kh_account_disagreement;

/**
 * One account of one story. Every pointer points into memory the account
 * owns; all of it lives until kh_account_free(). Indexes name articles by
 * their position in the input array; "story order" is earliest date first,
 * undated last, then input order.
 */
/** Something said in a story, and who said it. */
typedef struct kh_account_quote {
    const char *speaker;      /* the story's name for the speaker, or the words the
                                 article gives (وزير الدفاع); never NULL */
    const char *text;         /* the words said: inside the quote marks, or what
                                 follows إن/أن/that in reported speech */
    const char *sentence;     /* the sentence that holds it, as written */
    int reported;             /* 0: quoted (direct); 1: reported speech */
    const size_t *carriers;   /* articles that carry it (story order) */
    size_t n_carriers;
} kh_account_quote;

/**
 * Who reported a story first, and on what evidence. Only originals compete:
 * an article that is a near copy of another article of the story (copy_of)
 * defers to it. A date without a time and a time of the same day cannot be
 * ordered, nor can two dates alone: such reports are tied ("same day").
 */
typedef struct kh_account_first {
    size_t source;            /* index into sources of the first report */
    const char *basis;        /* "time": the earliest timestamp, nothing tied;
                                 "date": the only report of the earliest day;
                                 "same_day": tied with the reports in tied */
    const size_t *tied;       /* indexes into sources, story order */
    size_t n_tied;
    size_t n_originals;       /* the reports that are no copy of another */
    size_t n_dated;           /* ... of them with a date */
} kh_account_first;

typedef struct kh_account {
    size_t n_articles;
    const char *const *ids;        /* article ids, input order */
    const char *headline;          /* the most central title, site name stripped; NULL if untitled */
    size_t headline_article;
    const kh_account_sentence *summary; /* story order */
    size_t n_summary;
    const kh_account_source *sources;   /* story order: dated first, earliest first */
    size_t n_sources;
    const char *date_first;        /* earliest and latest dates, NULL when undated */
    const char *date_last;
    const kh_account_entity *entities;  /* most widely named first */
    size_t n_entities;
    const kh_account_disagreement *disagreements;
    size_t n_disagreements;
    void *internal_;               /* the memory behind it all */
    /* the first report; NULL when none can be named: no original is dated,
     * or more than half of the originals are undated */
    const kh_account_first *first;
    const kh_account_quote *quotes;     /* most carried first */
    size_t n_quotes;
} kh_account;

/**
 * Builds the account of one story from its articles.
 * @param tok   a tokenizer (term weights and sentence comparison use its keys).
 * @param opts  NULL for the defaults.
 * @param out   receives the account, owned by the caller (kh_account_free()),
 *              or NULL on failure.
 * @return KH_OK, KH_E_NOMEM, KH_E_ARG (no articles, an article without id),
 *         or KH_E_TOOBIG (more than 65536 articles). Memory grows with the
 *         text of the articles; the names found are capped at 4096 forms and
 *         the numbers at 4096 mentions per story.
 */
KH_API kh_status kh_account_build(kh_ctx *ctx, kh_tokenizer *tok,
                                  const kh_account_article *articles, size_t n_articles,
                                  const kh_account_options *opts, kh_account **out);

/** Frees an account and everything it points to. Accepts NULL. */
KH_API void kh_account_free(kh_account *account);

/* Flags for kh_account_json(). */
#define KH_ACCOUNT_JSON_IN_STORY 0x01u /* inside a record that has its own
                                        * "first"/"last" dates: the time span
                                        * is left out */

/**
 * Appends the account's fields to out as JSON object members, without the
 * braces, so a caller can put them in its own record:
 *   "headline":..,"time":{"first":..,"last":..},"sources":[{"id","source","date","title"}],
 *   "first_source":null or {"id","source","date","basis","same_day":[..],
 *                   "originals":n,"dated":n},"summary":[{"text","ids":[..]}],
 *   "entities":[{"name","kind","variants":[..],"article_count":n,"mentions":n}],
 *   "disagreements":[{"about","values":[{"value","ids":[..]}]}],
 *   "quotes":[{"speaker","text","kind","sentence","ids":[..]}]
 * The keys are those of doc/formats.md (one meaning per key name: "first"
 * is a date, "articles" a list of ids, never a count).
 * @param flags 0 or KH_ACCOUNT_JSON_IN_STORY.
 * @return KH_OK, KH_E_NOMEM or KH_E_TOOBIG (out's cap; out is then as it was).
 */
KH_API kh_status kh_account_json(const kh_account *account, unsigned flags, kh_buf *out);

/**
 * Appends the account as Markdown: headline, time span, sources with the
 * first reporter marked, summary bullets with source marks, names with
 * their variants, disagreements.
 */
KH_API kh_status kh_account_markdown(const kh_account *account, kh_buf *out);

/**
 * @return non-zero when two written names are variants of one name by the
 * account's rules: same key after normalization and removal of the definite
 * article and attached particles; same form with spaces and hyphens removed
 * (لو دريان / لودريان); Arabic consonant skeletons (internal long vowels
 * and hamza seats dropped) equal or one letter substituted (هولاند / أولاند);
 * or, between Arabic and Latin script, the same consonant classes as
 * transliterations write them (فيصل المنصوري / Faisal Al-Mansouri).
 * Both strings are UTF-8; NULL gives 0.
 */
KH_API int kh_name_variants(const char *a, size_t a_len, const char *b, size_t b_len);

/**
 * @return 1 when kh_name_variants() holds, else how close the two names'
 * consonant classes are (as transliterations write them: 1 - edit
 * distance / the longer), in [0, 1). NULL gives 0.
 */
KH_API double kh_name_similarity(const char *a, size_t a_len, const char *b, size_t b_len);

/* --------------------------------------------------------------------- *
 *  Names in documents
 *
 *  The account's name finder on documents rather than on a story: names
 *  are proposed by the same cues (a title before a person, a speech verb
 *  before its speaker, a place or group word before its name, capitalized
 *  Latin runs), the proposals of all the documents of one call are grouped
 *  by the same spelling rules, and then every form of every group is found
 *  wherever it is written. So a name cued once in a batch is found in the
 *  batch's other documents too: the more documents one call sees, the more
 *  evidence each name has.
 * --------------------------------------------------------------------- */

/** One name in a document. */
typedef struct kh_name {
    size_t start, end;           /* Unicode code points, end exclusive */
    size_t byte_start, byte_end; /* the same span in bytes */
    kh_entity_kind kind;
    size_t group;                /* the same for the spellings of one name: 0, 1, ... in
                                    order of first mention in the call */
} kh_name;

/** A document for kh_names_find(); names and n_names are filled in. */
typedef struct kh_names_doc {
    const char *title;           /* or NULL */
    const char *text;            /* the body, paragraphs joined by "\n"; UTF-8 */
    size_t text_len;
    const kh_name *names;        /* in text order, in the call's arena */
    size_t n_names;
} kh_names_doc;

/** Opaque: place names known beforehand (a gazetteer), for kh_names_find(). */
typedef struct kh_places kh_places;

/** Where kh_places_load(NULL) reads: Unicode CLDR's Arabic locale, as
 * Debian's unicode-cldr-core installs it. */
#define KH_PLACES_DEFAULT "/usr/share/unicode/cldr/common/main/ar.xml"
/** What kh_places_load(NULL) reads besides, when it is there: the Arabic
 * names of CLDR's subdivisions (provinces, states, emirates). */
#define KH_SUBDIVISIONS_DEFAULT "/usr/share/unicode/cldr/common/subdivisions/ar.xml"

/**
 * Reads place names from a Unicode CLDR locale file (common/main/LANG.xml):
 * its territory names (countries, continents, regions: روسيا, أفريقيا) and
 * the exemplar cities of its time zones (بغداد, لندن), as places; the
 * United Nations and the European Union, as organizations. Any language's
 * file works (en.xml gives the English names), and so does a subdivisions
 * file (common/subdivisions/LANG.xml: provinces and states, as places,
 * each also without the word that opens its official name: منطقة مكة
 * المكرمة gives مكة المكرمة too).
 * @param path the file, or NULL for KH_PLACES_DEFAULT and, when it is
 *        installed, KH_SUBDIVISIONS_DEFAULT.
 * @return KH_OK, KH_E_IO (missing or unreadable: the message names the
 *         file), KH_E_FORMAT (not a CLDR locale file) or KH_E_NOMEM.
 */
KH_API kh_status kh_places_load(kh_ctx *ctx, const char *path, kh_places **out);

/** Frees what kh_places_load() made. Accepts NULL. */
KH_API void kh_places_free(kh_places *places);

/** @return how many names places holds (0 for NULL). */
KH_API size_t kh_places_count(const kh_places *places);

/**
 * Finds the names of each document; places (or NULL) are found wherever
 * they are written, as places, cue or no cue. Offsets count from the start of the
 * title when there is one, as if the document were its title, "\n", then
 * its text; from the start of text otherwise. A span covers whole words,
 * with the particles written onto them (بلبنان, وإسرائيل).
 * @param arena receives every kh_name.
 * @return KH_OK, KH_E_NOMEM or KH_E_ARG (a NULL text with text_len > 0).
 */
KH_API kh_status kh_names_find(kh_ctx *ctx, const kh_places *places, kh_names_doc *docs,
                               size_t n_docs, kh_arena *arena);

/* ===================================================================== *
 *  Links: one story across languages
 * ===================================================================== */

/*
 * Stories are grouped per language (their TF-IDF needs one vocabulary). A
 * linker then links finished stories of different languages that report
 * the same event, on evidence that needs no model, read from each story's
 * lead: names matched across scripts by their consonants (مرسى النخيل ~
 * Marsa al-Nakheel), numbers with their multipliers in either digit set
 * (1.2 مليار ~ $1.2bn ~ 1,2 milliard), days of months and weekdays. Two
 * stories within the window link when the idf-weighted evidence they share
 * reaches the threshold and holds at least two names, numbers or dates
 * (one place name is no event); each story keeps its best link in each
 * other language. Linked stories form a set, named by its smallest story
 * id. A linker is used by one thread.
 */
typedef struct kh_linker kh_linker;

/*
 * A bilingual lexicon for ordinary words (ميناء ~ port ~ port), read at run
 * time from Debian's FreeDict dictionaries (packages dict-freedict-ara-eng,
 * dict-freedict-eng-ara, dict-freedict-fra-eng; GPL data, never built in).
 * Given to a linker it adds weak evidence: ordinary words of two leads
 * whose English glosses meet add a little score, capped, and show as
 * "words" in why. It never links alone, and a word that is or matched a
 * name is never glossed (الرقة is Raqqa, not "tenderness"). Read-only once
 * loaded: linkers of several threads may share one.
 */
typedef struct kh_bilex kh_bilex;

/** Where Debian installs the dictionaries. */
#define KH_BILEX_DIR "/usr/share/dictd"

/**
 * Loads the lexicon from dir (NULL: KH_BILEX_DIR): freedict-ara-eng,
 * freedict-fra-eng and freedict-eng-ara, each as .index and .dict.dz.
 * Takes well under a second and about 10 MiB.
 * @return KH_OK; KH_E_IO when a file is missing (kh_errmsg() names it),
 *         KH_E_GZIP, KH_E_EMPTY, KH_E_NOMEM or KH_E_ARG. *out is NULL on
 *         failure; free with kh_bilex_free().
 */
KH_API kh_status kh_bilex_load(kh_ctx *ctx, const char *dir, kh_bilex **out);

/** Frees a lexicon. Accepts NULL. */
KH_API void kh_bilex_free(kh_bilex *lx);

/** @return the foreign words the lexicon glosses (0 for NULL). */
KH_API size_t kh_bilex_size(const kh_bilex *lx);

/** @return the CPU seconds kh_bilex_load() took (0 for NULL). */
KH_API double kh_bilex_load_seconds(const kh_bilex *lx);

/**
 * The English glosses of one Arabic or French word (UTF-8, word_len
 * bytes), as the linker keys them (folded, plural s dropped): at most max
 * into out, owned by lx.
 * @return how many; 0 for none, NULL or a text of more than one word.
 */
KH_API size_t kh_bilex_lookup(const kh_bilex *lx, const char *word, size_t word_len,
                              const char **out, size_t max);

/** The default link threshold: the idf-weighted evidence two stories share. */
#define KH_LINK_THRESHOLD 11.0

/** Options of a linker; fill with kh_link_options_init(), then change. */
typedef struct kh_link_options {
    double threshold;  /* evidence two stories need to link (KH_LINK_THRESHOLD) */
    int64_t window;    /* seconds between two stories' spans beyond which
                          they are not compared (72 h); undated stories are
                          compared with all */
    const kh_bilex *lexicon; /* or NULL: no "words" evidence; borrowed, must
                                outlive the linker */
} kh_link_options;

/** Fills opt with the defaults given in kh_link_options. */
KH_API void kh_link_options_init(kh_link_options *opt);

/** One finished story, as kh_link_add() reads it; nothing is kept but its
 * id, times, language and headline. */
typedef struct kh_link_story {
    uint64_t id;                /* unique among the stories added */
    kh_lang lang;
    int dated;                  /* first and last hold its own dates */
    int64_t first, last;        /* seconds since 1970 UTC */
    size_t n_articles;          /* picks the headline among a set's stories */
    const char *headline;       /* or NULL; copied */
    const char *const *texts;   /* its articles' titles and bodies, UTF-8, the
                                   lead first: title, body, title,
                                   body...; the first 8 texts are read, each
                                   to its first 2000 bytes */
    const size_t *text_lens;    /* their lengths in bytes (a text may then hold
                                   NULs, read as breaks), or NULL: strlen() */
    size_t n_texts;
} kh_link_story;

/**
 * Creates a linker.
 * @param opt options, copied; NULL means the defaults.
 * @return KH_OK, KH_E_NOMEM, or KH_E_ARG (a threshold or window not
 *         positive). The caller frees it with kh_linker_free(); ctx must
 *         outlive it.
 */
KH_API kh_status kh_linker_create(kh_ctx *ctx, const kh_link_options *opt, kh_linker **out);

/** Frees a linker and all it returned. Accepts NULL. */
KH_API void kh_linker_free(kh_linker *lk);

/**
 * Reads one story's evidence (about 1.5 KiB kept per story).
 * @return KH_OK, KH_E_NOMEM, or KH_E_ARG (NULL, or after kh_link_run()).
 */
KH_API kh_status kh_link_add(kh_linker *lk, const kh_link_story *story);

/**
 * Links the stories added: pairs of different languages that share
 * evidence, their sets and why. Runs once.
 * @return KH_OK, KH_E_NOMEM, or KH_E_ARG (it ran already).
 */
KH_API kh_status kh_link_run(kh_linker *lk);

/** Where a story stands after kh_link_run(); every pointer is owned by the
 * linker and lives until kh_linker_free(). */
typedef struct kh_link_info {
    uint64_t set;               /* the smallest story id of its linked set;
                                   0 when the story is linked to none */
    const uint64_t *stories;    /* the set's stories, ascending ids */
    const kh_lang *langs;       /* parallel to stories */
    size_t n_stories;
    double score;               /* the best link score inside the set */
    const char *const *names;   /* names the set's links share, as a
                                   Latin-script story writes them */
    size_t n_names;
    const char *const *numbers; /* numbers they share ("1200000000") */
    size_t n_numbers;
    const char *const *dates;   /* days they share ("--06-25") and weekdays */
    size_t n_dates;
    const char *const *words;   /* ordinary words whose glosses they share,
                                   in English ("port"): with a lexicon only */
    size_t n_words;
} kh_link_info;

/**
 * Describes the link of story id.
 * @return KH_OK (info->set 0: not linked), or KH_E_ARG (no such story, or
 *         kh_link_run() has not run).
 */
KH_API kh_status kh_link_get(const kh_linker *lk, uint64_t story, kh_link_info *out);

/**
 * @return the headline the set of story shows a reader of lang: that of
 * its largest story in lang, else of its largest story; the story's own
 * when it is linked to none; NULL when unknown. Owned by the linker.
 */
KH_API const char *kh_link_headline(const kh_linker *lk, uint64_t story, kh_lang lang);

/**
 * Appends story's link as JSON: null when it is linked to none, else
 * {"set": 3, "stories": [3, 7], "langs": ["ar", "en"], "headline": "...",
 *  "score": 9.1234, "why": {"names": [...], "numbers": [...], "dates": [...],
 *  "words": [...]}},
 * the headline chosen for a reader of lang (kh_link_headline()).
 * @return KH_OK, KH_E_NOMEM, or as kh_link_get().
 */
KH_API kh_status kh_link_json(const kh_linker *lk, uint64_t story, kh_lang reader, kh_buf *out);

/* ===================================================================== *
 *  The store: articles, groups and stories in SQLite
 * ===================================================================== */

/*
 * A kh_store is one SQLite connection to a khabar database file, opened in
 * WAL mode with foreign keys on and a busy timeout. The schema carries its
 * version in PRAGMA user_version; opening an older file applies the missing
 * migrations in order inside one transaction, and a file newer than this
 * library is refused. Articles are kept in their clean form, with the story
 * and copy group they belong to; each story keeps its account as JSON text.
 * Articles and titles are indexed for full-text search (SQLite FTS5) through
 * khabar's own tokenizer, so a search matches spelling variants
 * (أشتون finds آشتون) and stems.
 *
 * A store is used by one thread at a time; open one per thread (several
 * connections to one file work together through WAL and the busy timeout).
 * Strings passed to callbacks are valid only during the call.
 */
typedef struct kh_store kh_store;

/** The schema version this library writes (PRAGMA user_version). */
#define KH_STORE_SCHEMA_VERSION 6

/**
 * Opens (creating when needed) the database at path and brings its schema
 * up to KH_STORE_SCHEMA_VERSION. ":memory:" gives a private in-memory store.
 * @param ctx  allocator and error channel; must outlive the store.
 * @param out  receives the store (close with kh_store_close()), or NULL.
 * @return KH_OK, KH_E_NOMEM, KH_E_ARG (NULL path) or KH_E_DB (cannot open,
 *         not a database, schema newer than this library); kh_errmsg() says
 *         which.
 */
KH_API kh_status kh_store_open(kh_ctx *ctx, const char *path, kh_store **out);

/**
 * Opens an existing store for reading only: nothing is created, migrated or
 * written (a missing file is an error, not a new empty store).
 * @return as kh_store_open(); also KH_E_DB when the file's schema version is
 *         not KH_STORE_SCHEMA_VERSION.
 */
KH_API kh_status kh_store_open_readonly(kh_ctx *ctx, const char *path, kh_store **out);

/** Closes the connection (rolling back an open batch). Accepts NULL. */
KH_API void kh_store_close(kh_store *store);

/** @return the schema version of the open file (PRAGMA user_version), or -1
 * on a database error. */
KH_API int kh_store_schema_version(kh_store *store);

/**
 * Batches: begin opens one write transaction (BEGIN IMMEDIATE), commit makes
 * every change since begin durable at once, rollback forgets them all.
 * Changes made outside a batch are committed one statement at a time.
 * @return KH_OK or KH_E_DB (also KH_E_ARG: begin inside a batch, commit or
 *         rollback outside one).
 */
KH_API kh_status kh_store_begin(kh_store *store);
/** @see kh_store_begin() */
KH_API kh_status kh_store_commit(kh_store *store);
/** @see kh_store_begin() */
KH_API kh_status kh_store_rollback(kh_store *store);
/** @return non-zero while a batch is open. */
KH_API int kh_store_in_batch(const kh_store *store);

/**
 * Checks the file: PRAGMA integrity_check, foreign keys, and that the
 * full-text index matches the articles.
 * @return KH_OK, or KH_E_DB with what is wrong in kh_errmsg().
 */
KH_API kh_status kh_store_check(kh_store *store);

/** One article, as stored. Every string may be NULL except id. */
typedef struct kh_store_article {
    const char *id;       /* unique; the same id twice is the same article */
    const char *file;     /* where it was read from */
    const char *url;
    const char *source;   /* publisher */
    const char *date;     /* ISO 8601 when known, else as given */
    const char *title;
    const char *lang;     /* a kh_lang_code(): "ar", "en", "tr"..., "und" */
    const char *body;     /* clean text, paragraphs joined by '\n' */
    size_t body_len;
    uint64_t body_hash;   /* exact-copy hash; 0 on insert = XXH3-64 of body */
    int64_t group_id;     /* copy group; 0 = none */
    int64_t story_id;     /* story; 0 = none */
    int64_t added_at;     /* Unix seconds; 0 on insert = now */
    const char *why;      /* why it is in its story: kh_story_why_json()'s
                             object; NULL until it is grouped (and after a
                             new version, until it is grouped again) */
    /* What the cleaner found (kh_article), NULL when it found none: */
    const char *dateline;
    const char *dateline_agency;
    const char *author;
    const char *date_source;
    /* The copy relation (kh_pipeline_story), set when it is grouped: */
    const char *copy_of;       /* id of the article it copies; NULL: none */
    const char *copy_relation; /* kh_dedup_relation_name() of how; NULL: none */
    const char *wire;          /* the wire agency of its copy group; NULL: none */
} kh_store_article;

/**
 * Reports whether an article with this id is stored.
 * @param found receives 1 or 0.
 * @return KH_OK or KH_E_DB.
 */
KH_API kh_status kh_store_has_article(kh_store *store, const char *id, int *found);

/**
 * Inserts an article unless one with its id is already stored; an existing
 * article is left exactly as it was (idempotent ingest). The full-text index is updated in the same transaction.
 * @param is_new receives 1 when inserted, 0 when the id was there (may be NULL).
 * @return KH_OK, KH_E_ARG (NULL id), KH_E_UTF8 (a string or the body is not
 *         valid UTF-8, or the body holds a NUL byte) or KH_E_DB.
 */
KH_API kh_status kh_store_put_article(kh_store *store, const kh_store_article *article,
                                      int *is_new);

/** What kh_store_save_article() did. */
typedef enum kh_store_saved {
    KH_STORE_UNCHANGED = 0, /* stored already with this title and body: nothing written */
    KH_STORE_ADDED = 1,     /* a new article */
    KH_STORE_UPDATED = 2    /* a new version of a stored article: it replaced the old one */
} kh_store_saved;

/**
 * Stores an article, or a new version of the one stored under its id. When
 * the id is stored and its title or body differ, the stored row takes the
 * new file, source, date, title, lang, body and hash (and the URL, when the
 * new version has one), keeping its row, story, copy group and added_at
 * (its why, the old version's, is cleared until it is grouped again); the
 * full-text index follows. When they are the same, nothing is written.
 * @param saved    receives what was done.
 * @param story_id receives the stored article's story (0 when unfiled or
 *                 new), whose account an update makes stale (may be NULL).
 * @return as kh_store_put_article().
 */
KH_API kh_status kh_store_save_article(kh_store *store, const kh_store_article *article,
                                       kh_store_saved *saved, int64_t *story_id);

/**
 * Sets an article's story and copy group (0 clears either).
 * @return KH_OK, KH_E_ARG (no such article) or KH_E_DB.
 */
KH_API kh_status kh_store_set_article_story(kh_store *store, const char *id,
                                            int64_t story_id, int64_t group_id);

/**
 * Sets why an article is in its story (kh_story_why_json()'s text; NULL
 * clears it). The text is stored as given.
 * @return KH_OK, KH_E_ARG (no such article), KH_E_UTF8 or KH_E_DB.
 */
KH_API kh_status kh_store_set_article_why(kh_store *store, const char *id, const char *why);

/**
 * Sets an article's copy relation: the id of the article it copies and how
 * (a kh_dedup_relation_name()), and the wire agency of its copy group; NULL
 * clears each.
 * @return KH_OK, KH_E_ARG (no such article), KH_E_UTF8 or KH_E_DB.
 */
KH_API kh_status kh_store_set_article_copy(kh_store *store, const char *id, const char *copy_of,
                                           const char *relation, const char *wire);

/** One story, as stored. */
typedef struct kh_store_story {
    int64_t id;                /* 0 on upsert = a new story */
    const char *first;         /* date of its first article */
    const char *last;          /* date of its last article */
    const char *headline;
    const char *lang;
    const char *account_json;  /* the story's account, JSON text (may be NULL) */
    int64_t updated_at;        /* Unix seconds; 0 on upsert = now */
    int64_t independent_sources; /* distinct sources that copy no other
                                    article of the story (kh_pipeline_story) */
    const char *wire;          /* the wire most of its copies came from; NULL: none */
    int64_t wire_outlets;      /* distinct sources that ran that wire */
    int64_t n_articles;        /* filled when read; ignored on upsert */
    const char *sources;       /* filled when read: distinct sources, '\n'-separated */
    const char *langs;         /* filled when read: distinct languages, '\n'-separated */
} kh_store_story;

/**
 * Inserts a story (story->id == 0: a new id is chosen) or replaces the stored
 * one with the same id.
 * @param id_out receives the story's id (may be NULL).
 * @return KH_OK or KH_E_DB.
 */
KH_API kh_status kh_store_put_story(kh_store *store, const kh_store_story *story,
                                    int64_t *id_out);

/** Called once per story or article read; return non-zero to stop. */
typedef int (*kh_store_story_fn)(void *user, const kh_store_story *story);
typedef int (*kh_store_article_fn)(void *user, const kh_store_article *article);

/**
 * Lists stories newest first (by last date, then id), skipping offset and
 * giving at most limit.
 * @return KH_OK, KH_E_STOPPED when fn returned non-zero, or KH_E_DB.
 */
KH_API kh_status kh_store_list_stories(kh_store *store, size_t offset, size_t limit,
                                       kh_store_story_fn fn, void *user);

/** @return the number of stored stories, or -1 on a database error. */
KH_API int64_t kh_store_count_stories(kh_store *store);

/**
 * Sets the names a story's account lists (each name and its spellings),
 * replacing those it had: what kh_store_story_filter.name finds.
 * @return KH_OK, KH_E_UTF8 or KH_E_DB.
 */
KH_API kh_status kh_store_set_story_names(kh_store *store, int64_t story,
                                          const char *const *names, size_t n);

/**
 * *found = 1 when a story of another known language than lang (not "und")
 * has its last report on or after since and its first on or before until:
 * what kh_store_story_filter.not_lang with since and until would list,
 * answered from the stories_lang index without listing.
 * @return KH_OK, KH_E_ARG or KH_E_DB.
 */
KH_API kh_status kh_store_other_lang(kh_store *store, const char *lang, const char *since,
                                     const char *until, int *found);

/** Which stories a listing gives, and in what order. NULL fields filter
 * nothing. Dates compare as ISO text ("2015-08-02" or with a time). */
typedef struct kh_store_story_filter {
    const char *lang;        /* the story's language */
    const char *source;      /* an outlet among its articles */
    const char *since;       /* its last report on or after this day */
    const char *until;       /* its first report on or before this day */
    int64_t min_sources;     /* at least this many independent sources */
    int64_t new_days;        /* first reported within this many days of the
                                store's newest day (0: any) */
    const char *name;        /* its account names this (a name or one of its
                                spellings, as written) */
    int top;                 /* order by the day of its last report, then
                                most independent sources, then newest;
                                0: newest first, as kh_store_list_stories() */
    const char *q;           /* one of its articles has every word of q, matched
                                as kh_store_search() matches them (a q without
                                words passes no story) */
    const char *not_lang;    /* its language is another known one (a story
                                without one, or "und", passes not) */
} kh_store_story_filter;

/**
 * Lists the stories that pass filter (NULL: all), skipping offset and giving
 * at most limit; *total (may be NULL) receives how many pass in all.
 * @return KH_OK, KH_E_STOPPED when fn returned non-zero, or KH_E_DB.
 */
KH_API kh_status kh_store_list_stories_where(kh_store *store, const kh_store_story_filter *filter,
                                             size_t offset, size_t limit, kh_store_story_fn fn,
                                             void *user, int64_t *total);

/**
 * Reads one story, then its articles in date order (undated last).
 * @param found    receives 1, or 0 when there is no such story (fn and
 *                 article_fn are then not called).
 * @param article_fn may be NULL.
 * @return KH_OK, KH_E_STOPPED or KH_E_DB.
 */
KH_API kh_status kh_store_get_story(kh_store *store, int64_t id, int *found,
                                    kh_store_story_fn fn, kh_store_article_fn article_fn,
                                    void *user);

/**
 * Adds to a linker (kh_link_add()) every stored story that passes filter
 * (NULL: all), with its stored headline, dates, language and the lead of
 * its first two articles. A store keeps no links: who reads one links
 * what it reads (khabar stories --db, the web page's window of a story).
 * @return KH_OK, KH_E_NOMEM, KH_E_DB, or KH_E_ARG (NULL, or the linker ran).
 */
KH_API kh_status kh_link_add_stored(kh_linker *lk, kh_store *store,
                                    const kh_store_story_filter *filter);

/**
 * Calls fn for every stored article whose body_hash is body_hash, oldest
 * first: the exact copies of a body.
 * @return KH_OK, KH_E_STOPPED or KH_E_DB.
 */
KH_API kh_status kh_store_find_hash(kh_store *store, uint64_t body_hash,
                                    kh_store_article_fn fn, void *user);

/**
 * Calls fn for every stored article dated since or later (ISO dates compare
 * as text), oldest first, bodies included: what an incremental stage needs
 * to pick up where the last run left off. since NULL or "" gives every
 * dated article.
 * @return KH_OK, KH_E_STOPPED or KH_E_DB.
 */
KH_API kh_status kh_store_articles_since(kh_store *store, const char *since,
                                         kh_store_article_fn fn, void *user);

/**
 * Calls fn for every stored article not yet filed under a story, oldest
 * first, undated last, bodies included: the work an interrupted run left.
 * @return KH_OK, KH_E_STOPPED or KH_E_DB.
 */
KH_API kh_status kh_store_articles_unfiled(kh_store *store, kh_store_article_fn fn,
                                           void *user);

/**
 * Appends the latest article date stored to out (nothing when no article
 * is dated).
 * @return KH_OK, KH_E_NOMEM, KH_E_TOOBIG or KH_E_DB.
 */
KH_API kh_status kh_store_latest_date(kh_store *store, kh_buf *out);

/**
 * Reads a story's stored account JSON (kh_store_story.account_json, as
 * kh_account_json() writes it, with or without the braces' flags) back into
 * an account, so kh_account_json() and kh_account_markdown() give what they
 * gave when it was built. What the JSON does not keep is left empty: each
 * summary sentence's paragraph, offset and relevance, the headline's
 * article, and each entity's article list (articles is NULL; n_articles is
 * kept). ids are the article ids in the order met, sources first.
 * @param out receives the account (kh_account_free()), or NULL on failure.
 * @return KH_OK, KH_E_NOMEM, KH_E_ARG (NULL json) or KH_E_JSON (not JSON,
 *         or not as kh_account_json() writes it).
 */
KH_API kh_status kh_store_account_parse(kh_ctx *ctx, const char *json, size_t json_len,
                                        kh_account **out);

/** Reads one article by id. @param found receives 1 or 0. */
KH_API kh_status kh_store_get_article(kh_store *store, const char *id, int *found,
                                      kh_store_article_fn fn, void *user);

/**
 * Reads every stored article in the order it was first stored (its row),
 * bodies included: what kh_pipeline_ingest() replays.
 * @return KH_OK, KH_E_STOPPED or KH_E_DB.
 */
KH_API kh_status kh_store_articles_in_order(kh_store *store, kh_store_article_fn fn,
                                            void *user);

/**
 * Counts the articles that still wait for grouping: not filed under a
 * story, or filed without a copy group (a new version whose copies and
 * story are to be found again; see kh_pipeline_ingest()).
 * @return KH_OK or KH_E_DB.
 */
KH_API kh_status kh_store_count_unsettled(kh_store *store, int64_t *n);

/**
 * Reads PRAGMA data_version: a number that changes whenever another
 * connection commits to the file (this connection's own commits leave it
 * as it is), so a writer can tell whether what it read is still so.
 * @return KH_OK or KH_E_DB.
 */
KH_API kh_status kh_store_data_version(kh_store *store, int64_t *version);

/**
 * Removes a story that holds no article any more.
 * @return KH_OK, KH_E_ARG when articles are still filed under it, or KH_E_DB.
 */
KH_API kh_status kh_store_delete_story(kh_store *store, int64_t id);

/** How many of the newest matching articles kh_store_search() ranks. */
#define KH_STORE_SEARCH_DEPTH 1000

/** One full-text search result. */
typedef struct kh_store_hit {
    const kh_store_article *article; /* body is NULL: see snippet */
    const char *snippet;   /* a passage around the match; matched words are
                              between KH_STORE_MARK_OPEN and _CLOSE bytes */
    double rank;           /* BM25; lower is better */
} kh_store_hit;
#define KH_STORE_MARK_OPEN  '\x02'
#define KH_STORE_MARK_CLOSE '\x03'

typedef int (*kh_store_hit_fn)(void *user, const kh_store_hit *hit);

/**
 * Searches titles and bodies for every word of query (any order), each word
 * matched through khabar's tokenizer (normalized, stemmed). Query syntax is
 * not interpreted: quotes, stars and operators are plain text. Hits come
 * best first (BM25) from the KH_STORE_SEARCH_DEPTH most recently stored
 * articles that match, so a word found in most of a large store costs what
 * a rarer one does; offset + limit beyond that depth gives no more hits.
 * @return KH_OK (no words: no hits), KH_E_STOPPED or KH_E_DB.
 */
KH_API kh_status kh_store_search(kh_store *store, const char *query, size_t query_len,
                                 size_t offset, size_t limit, kh_store_hit_fn fn,
                                 void *user);

/* ===================================================================== *
 *  The pipeline: the one driver of clean -> copies -> dating -> ordering
 *  -> stories -> accounts
 * ===================================================================== */

/*
 * Every command that runs more than one stage runs it through a pipeline, so
 * each step is written once: documents are read by the caller (kh_reader)
 * and handed over one by one with kh_pipeline_add_doc(); pages and HTML are
 * observed as they come (kh_cleaner_observe(): an outlet's repeated menu or
 * footer is learned from all of the run's pages) and cleaned once all have
 * been seen (a text record is cleaned at once: its article is added to
 * doc's arena). Then one of four ends runs:
 *
 *   kh_pipeline_run()     stories: undated articles dated by content, all
 *                         put in time order, copies found, stories grouped
 *                         online, each story's account built as it closes;
 *   kh_pipeline_account() the whole run as one story: copies, one account;
 *   kh_pipeline_dedup()   the run's copies, in a deduper to read;
 *   kh_pipeline_ingest()  incremental, over a store: the run's articles are
 *                         stored, then the story stage is run again over the
 *                         stored articles and only what changed is written.
 *
 * One representation per datum: an article's body is its paragraphs joined
 * by '\n' (as the store keeps it); its date is the cleaned one, which is
 * the record's own when the record gives one, else the date the cleaner
 * found; its title and source likewise the cleaned ones, else the record's.
 *
 * Memory follows the open stories, not the length of the input: each
 * article's record waits in a spool with 32 bytes of it in memory; the
 * spool keeps its first 4 MiB in memory and the rest in an unlinked
 * temporary file (in $TMPDIR, else /tmp) made when it overflows. The one
 * step that reads every text at once is dating undated articles among
 * dated ones.
 *
 * Errors are returned, never printed: a document the pipeline cannot use is
 * reported through on_problem, and the run goes on unless it returns
 * non-zero. A pipeline is used by one thread; one end runs once.
 */
typedef struct kh_pipeline kh_pipeline;

/** A document the pipeline leaves out, as on_problem sees it. */
typedef struct kh_pipeline_problem {
    const char *stage;     /* "clean", or "store" (kh_pipeline_ingest()) */
    const char *id;        /* the document's id */
    const char *file;      /* where it was read */
    uint64_t line;         /* its record's line in file (JSON Lines, WARC) */
    kh_format format;
    kh_status status;      /* why: KH_E_UTF8, KH_E_LIMIT, ... (kh_errmsg()
                              of the pipeline's ctx has the message); KH_OK
                              for a page where no article was found */
    unsigned warnings;     /* with KH_OK: the cleaner's KH_CLEAN_W_* flags */
} kh_pipeline_problem;

/** Called for each document left out; return non-zero to stop the run
 * (which then returns KH_E_STOPPED). The problem is valid during the call. */
typedef int (*kh_pipeline_problem_fn)(void *user, const kh_pipeline_problem *problem);

/** One finished story, as on_story sees it; valid during the call only. */
typedef struct kh_pipeline_story {
    uint64_t id;                 /* kh_pipeline_run(): 1-based, in creation order */
    kh_lang lang;
    int dated;                   /* 0 when no article of it has its own date */
    int64_t first, last;         /* earliest and latest own dates, when dated */
    size_t n_articles;
    const char *const *ids;      /* its articles, in the order they joined */
    const kh_story_why *why;     /* why each joined, parallel to ids; NULL
                                    unless story.explain is set */
    const kh_account *account;   /* NULL with KH_PIPELINE_NO_ACCOUNTS */
    /* Provenance, as the copies step found it (kh_dedup over the article's
     * block, see kh_pipeline_run()); parallel to ids: */
    const char *const *copy_of;  /* the id of the article each was verified
                                    to copy (kh_dedup_copy_of(); it may be
                                    in another story), or NULL */
    const kh_dedup_relation *relation; /* how it copies it; KH_DEDUP_NONE
                                    when copy_of is NULL */
    size_t independent_sources;  /* distinct sources among its articles that
                                    copy no article of the story (articles
                                    without a source count for none) */
    const char *wire;            /* the wire agency (kh_dedup_wire()) most of
                                    its articles in a copy group came from;
                                    NULL when none is known */
    size_t wire_outlets;         /* distinct sources among its articles in a
                                    copy group of that wire; 0 without one */
} kh_pipeline_story;

/** Called once per story as it closes (not in id order: a short story may
 * close before an older long one); return non-zero to stop the run. */
typedef int (*kh_pipeline_story_fn)(void *user, const kh_pipeline_story *story);

/** Called now and then with the work done so far: phase "read", "store" or
 * "file", done items of total (0 when unknown). */
typedef void (*kh_pipeline_progress_fn)(void *user, const char *phase, uint64_t done,
                                        uint64_t total);

/* kh_pipeline_options.flags */
#define KH_PIPELINE_NO_ACCOUNTS 0x01u /* stories without their accounts */
#define KH_PIPELINE_SKIP_EMPTY  0x02u /* a page where no article was found is
                                         left out (and reported), not kept
                                         as an article without a body */
#define KH_PIPELINE_LINK        0x04u /* kh_pipeline_run() also links stories
                                         of different languages that report
                                         one event (kh_link_run(), default
                                         options and the options' lexicon)
                                         once all have closed: see
                                         kh_pipeline_linker() */

/** Options of a pipeline; fill with kh_pipeline_options_init(), then change. */
typedef struct kh_pipeline_options {
    kh_story_options story;      /* the story stage (on_close and keep_closed
                                    are the pipeline's own and ignored) */
    kh_dedup_options dedup;      /* the copies stage; its threads also
                                    observe and clean pages (the result is
                                    the same for any number) */
    unsigned flags;              /* KH_PIPELINE_* */
    size_t batch;                /* kh_pipeline_ingest(): articles stored per
                                    transaction (500) */
    kh_pipeline_story_fn on_story;
    void *on_story_user;
    kh_pipeline_problem_fn on_problem;   /* may be NULL: problems are counted */
    void *on_problem_user;
    kh_pipeline_progress_fn on_progress; /* may be NULL */
    void *on_progress_user;
    const kh_bilex *lexicon;     /* KH_PIPELINE_LINK: the linker's lexicon, or
                                    NULL (kh_link_options.lexicon) */
} kh_pipeline_options;

/** Sets the defaults: kh_story_options_init(), kh_dedup_options_init(),
 * no flags, batch 500, no callbacks. */
KH_API void kh_pipeline_options_init(kh_pipeline_options *opts);

/**
 * Creates a pipeline. Options are checked when an end runs (by the stage
 * they belong to).
 * @param opts options, copied; NULL means the defaults.
 * @return KH_OK or KH_E_NOMEM. The caller frees it with kh_pipeline_free();
 *         ctx must outlive it.
 */
KH_API kh_status kh_pipeline_create(kh_ctx *ctx, const kh_pipeline_options *opts,
                                    kh_pipeline **out);

/** Frees a pipeline and removes its temporary file, if it made one. Accepts NULL. */
KH_API void kh_pipeline_free(kh_pipeline *p);

/**
 * Adds one document, in input order (its position is its place among
 * articles of the same time). A page or HTML document is kept whole until
 * the end runs and observed (kh_cleaner_observe()) with the pages around it
 * on the worker threads; a clean text record is cleaned at once, with the
 * counts of every page before it. doc is not kept: free it when the call
 * returns.
 * @return KH_OK, KH_E_NOMEM, KH_E_IO (the temporary file; the message says
 *         why), KH_E_TOOBIG (more than 2^32-1 documents, or a record over
 *         4 GiB), or KH_E_ARG (NULL, or after an end ran).
 */
KH_API kh_status kh_pipeline_add_doc(kh_pipeline *p, kh_doc *doc);

/**
 * Runs the stories end: cleans the pages, dates undated articles by
 * content, orders everything by time, finds copies and groups stories,
 * calling on_story with each story (and its account) as it closes.
 * @return KH_OK, KH_E_STOPPED (a callback asked to stop), KH_E_NOMEM,
 *         KH_E_IO, or a stage's error; kh_errmsg() says what failed.
 */
KH_API kh_status kh_pipeline_run(kh_pipeline *p);

/**
 * Runs the account end: every article with a body is a report of one story;
 * copies are marked (the summary quotes originals) and the account built.
 * @param out receives the account (kh_account_free()), or NULL on failure.
 * @param n_articles receives the number of articles in it (may be NULL).
 * @return KH_OK, KH_E_EMPTY when no document gave an article, or as
 *         kh_pipeline_run().
 */
KH_API kh_status kh_pipeline_account(kh_pipeline *p, kh_account **out, size_t *n_articles);

/**
 * Runs the copies end: every article (pages cleaned, text records as they
 * are) is added to a deduper in input order with its id, date, source,
 * credit (the cleaner's dateline agency, else its dateline) and body, and
 * the deduper is run.
 * @param out receives the deduper, owned by the caller (kh_dedup_free()),
 *        or NULL on failure; document i is the i-th article kept.
 * @return as kh_pipeline_run(), or kh_dedup_create()'s KH_E_ARG.
 */
KH_API kh_status kh_pipeline_dedup(kh_pipeline *p, kh_deduper **out);

/*
 * Copies past one process. A run is cut into count shards: each shard
 * process reads the whole input, but cleans and fingerprints only its share
 * (documents index, index + count, ... in input order) and writes what the
 * grouping needs of them to a shard file; a merge reads the count files and
 * groups, with a result identical to kh_pipeline_dedup()'s on the same
 * input, whatever count is. The shard file format is in doc/formats.md.
 */

/**
 * Makes p a shard: of the documents added, only those at input positions
 * index, index + count, ... (counting every document added) are cleaned
 * and fingerprinted; every page is still observed, so that each article is
 * cleaned as the single process cleans it. Call before the first
 * kh_pipeline_add_doc(); only kh_pipeline_dedup_shard() may end p.
 * @return KH_OK, or KH_E_ARG (count 0 or over 65536, index >= count, or a
 *         document added already).
 */
KH_API kh_status kh_pipeline_shard(kh_pipeline *p, unsigned index, unsigned count);

/**
 * Runs the shard end: cleans and fingerprints p's share and writes the
 * shard file into dir (which must exist), named kh_dedup_shard_name(); the
 * file is written aside and renamed, so it is there whole or not at all.
 * With out non-NULL the file is not written: its bytes are appended to
 * *out instead (dir is then ignored and may be NULL).
 * @return KH_OK, KH_E_ARG (p is no shard), KH_E_IO, or as kh_pipeline_run().
 */
KH_API kh_status kh_pipeline_dedup_shard(kh_pipeline *p, const char *dir, kh_buf *out);

/**
 * The file name of shard index of count ("shard-00001-of-00004.khshard"),
 * written into name[0..name_cap).
 * @return KH_OK, KH_E_ARG (index out of count), or KH_E_TOOBIG (name_cap
 *         too small; 40 bytes always do).
 */
KH_API kh_status kh_dedup_shard_name(unsigned index, unsigned count, char *name,
                                     size_t name_cap);

/**
 * Merges a whole set of shard files, in memory: checks that they are one
 * set (each index of the count once, the same options, the same input),
 * puts their documents back in input order and runs the deduper on them.
 * @param names what each buffer is called in messages (its path).
 * @param threads the deduper's threads (0: the online cores); the result
 *        does not depend on it.
 * @param out receives the deduper, run (read it as kh_pipeline_dedup()'s),
 *        owned by the caller; NULL on failure.
 * @return KH_OK, KH_E_NOMEM, KH_E_EMPTY (no buffer), or KH_E_FORMAT: a
 *         truncated, foreign or mismatched file, kh_errmsg() naming it and
 *         the byte offset.
 */
KH_API kh_status kh_dedup_merge_buffers(kh_ctx *ctx, const char *const *names,
                                        const void *const *data, const size_t *lens,
                                        size_t n, unsigned threads, kh_deduper **out);

/**
 * kh_dedup_merge_buffers() over the files of dir named *.khshard (other
 * files are ignored; the files are mapped, not read into memory).
 * @return as kh_dedup_merge_buffers(), KH_E_IO (dir or a file cannot be
 *         read), or KH_E_EMPTY (no shard file in dir).
 */
KH_API kh_status kh_dedup_merge_dir(kh_ctx *ctx, const char *dir, unsigned threads,
                                    kh_deduper **out);

/**
 * Starts MPI (MPI_Init) and says which rank of how many this process is.
 * @return KH_OK, KH_E_ARG (this libkhabar was built without MPI: make
 *         MPI=1), or KH_E_INTERNAL (MPI_Init failed).
 */
KH_API kh_status kh_mpi_init(int *argc, char ***argv, unsigned *rank, unsigned *size);

/** Ends MPI (MPI_Finalize) if kh_mpi_init() started it; else does nothing. */
KH_API void kh_mpi_finalize(void);

/**
 * The MPI run of the copies end, on MPI_COMM_WORLD: p is the shard of this
 * rank (kh_pipeline_shard(p, rank, size) before its first document; every
 * rank adds the same documents); rank 0 receives the other ranks' shards,
 * in rounds of a bounded size, and merges them.
 * @param out on rank 0 the deduper, run (as kh_pipeline_dedup()'s); NULL on
 *        the other ranks.
 * @return KH_OK, KH_E_ARG (this libkhabar was built without MPI), or as
 *         kh_pipeline_dedup_shard() and kh_dedup_merge_buffers(); an error
 *         on any rank is an error on every rank.
 */
KH_API kh_status kh_pipeline_dedup_mpi(kh_pipeline *p, kh_deduper **out);

/** What kh_pipeline_ingest() did; every count is of committed work. */
typedef struct kh_pipeline_ingest_stats {
    uint64_t added;          /* new articles stored */
    uint64_t updated;        /* new versions of stored articles */
    uint64_t unchanged;      /* stored already as they are */
    uint64_t no_body;        /* pages where no article was found */
    uint64_t errors;         /* documents left out (on_problem saw them) */
    uint64_t failed;         /* articles not stored: the run failed first */
    uint64_t filed;          /* unfiled articles filed under a story */
    uint64_t copies;         /* of those, copies of another article */
    uint64_t stories_new;    /* stories created */
    uint64_t stories_updated; /* stored stories whose articles changed */
    uint64_t commits;        /* transactions committed */
    double store_seconds, file_seconds;
} kh_pipeline_ingest_stats;

/**
 * Runs the incremental end over a store. First the run's articles are
 * stored, batch articles per transaction (kh_store_save_article(): an id
 * already stored is the same article again; a changed title or body
 * replaces it, and its story's account is built again in the same
 * transaction). Then, when anything was added or changed or an article is
 * still unfiled, the story stage (dating, ordering, copies, stories) runs
 * again over every stored article in the order they were first stored, and
 * what differs from the store is written: articles that changed story or
 * copy group, stories that gained or lost articles (with their accounts
 * built again), stories left empty removed, and each article's why
 * (kh_store_article.why, with a start's nearest story named by its stored
 * id) where it changed, moved or not. So ingesting a stream in any number
 * of parts, in order, gives the stories and whys of ingesting it at once.
 *
 * Stories are written one at a time, each with its articles and account,
 * and the transaction commits about every second; stories that file no
 * unfiled article are written first, so a run killed at any point leaves
 * whole stories and, until the last commit, unfiled articles that make the
 * next run finish the work (a new version counts as unfiled until it is
 * grouped again: kh_store_count_unsettled()). Nothing added or changed and
 * nothing unsettled: nothing is written. Another writer committing between
 * two of this run's transactions (kh_store_data_version()) makes it group
 * the store again before it writes on. The cost is the story stage over the
 * whole store (memory as kh_pipeline_run()'s, plus about 60 bytes and the
 * id of each stored article).
 * @param stats receives the counts (may be NULL); filled also on failure.
 * @return KH_OK, KH_E_DB, or as kh_pipeline_run(); KH_E_ARG when an end
 *         already ran.
 */
KH_API kh_status kh_pipeline_ingest(kh_pipeline *p, kh_store *store,
                                    kh_pipeline_ingest_stats *stats);

/** Counts of a pipeline. */
typedef struct kh_pipeline_stats {
    uint64_t docs;           /* documents added */
    uint64_t articles;       /* articles that went on to the end */
    uint64_t skipped;        /* documents that could not be cleaned (on_problem saw them) */
    uint64_t no_body;        /* pages left out for want of an article
                                (KH_PIPELINE_SKIP_EMPTY; on_problem saw them) */
    uint64_t stories;        /* stories made by kh_pipeline_run() */
    uint64_t linked;         /* of those, stories linked across languages
                                (KH_PIPELINE_LINK) */
    double story_seconds;    /* CPU time of the story stage (dating,
                                ordering, copies, stories, accounts, links) */
    double link_seconds;     /* of which linking (KH_PIPELINE_LINK) */
} kh_pipeline_stats;

/**
 * @return the linker of a pipeline made with KH_PIPELINE_LINK, after
 * kh_pipeline_run() returned KH_OK: its stories are those on_story saw, by
 * the same ids; NULL otherwise. Owned by the pipeline.
 */
KH_API const kh_linker *kh_pipeline_linker(const kh_pipeline *p);

/** Copies the pipeline's counts into *stats. */
KH_API void kh_pipeline_stats_get(const kh_pipeline *p, kh_pipeline_stats *stats);

/**
 * Joins an article's paragraphs into the one body text khabar keeps:
 * paragraphs separated by '\n' (the store's shape). Appends to out.
 * @return KH_OK, KH_E_NOMEM or KH_E_TOOBIG.
 */
KH_API kh_status kh_pipeline_body_join(const char *const *paragraphs, size_t n, kh_buf *out);

/**
 * Cuts a body joined by kh_pipeline_body_join() back into paragraphs, in
 * place: each '\n' becomes a NUL and empty paragraphs are dropped.
 * @param paragraphs receives up to cap pointers into body.
 * @return the number of paragraphs (never more than cap).
 */
KH_API size_t kh_pipeline_body_split(char *body, const char **paragraphs, size_t cap);

/* ===================================================================== *
 *  The web page: a local HTTP server over a store (libmicrohttpd)
 * ===================================================================== */

/*
 * Pages: /            stories, newest first (?page=N)
 *        /story/ID    one story's account and its articles' text
 *        /search?q=   full-text search
 *        /api/stories, /api/story/ID   the same as JSON
 * Every string from crawled text is HTML-escaped; only http(s) URLs become
 * links. Each request borrows one of a small pool of store connections
 * (one per server thread), so no connection is used by two threads at once.
 *
 * Limits that keep the server answering whatever clients do:
 *  - a client must send its whole request within header_timeout seconds
 *    (default 10), however it trickles it, or its connection is closed;
 *  - past max_connections, or max_per_ip from one address, a new connection
 *    closes the one that has owed a request the longest (slow clients go
 *    first; a client busy with a request is never cut for a newcomer);
 *  - a request target over 8 KiB is answered 414, one with more than 64
 *    query arguments 400, headers past the connection's memory 431;
 *  - the Host header must name the listening address (with its port, if
 *    any), localhost when listening on loopback or on every address, or one
 *    of `hosts`; any other is answered 421, so that a web page cannot reach
 *    the server through DNS rebinding. An HTTP/1.1 request without Host is
 *    answered 400; HTTP/1.0 needs none.
 */
typedef struct kh_web kh_web;

typedef struct kh_web_options {
    const char *db_path;      /* the store to serve: an existing khabar store, opened read-only */
    const char *bind;         /* IPv4 address; NULL = "127.0.0.1" */
    unsigned port;            /* 0 = any free port (see kh_web_port()) */
    unsigned threads;         /* 0 = 4 */
    unsigned max_connections; /* 0 = 4096; either way at most what the open-file
                                 limit (RLIMIT_NOFILE) leaves room for */
    unsigned max_per_ip;      /* connections from one client address;
                                 0 = a quarter of max_connections, at least 16 */
    unsigned header_timeout;  /* seconds a client has to send a whole request,
                                 from connecting or from its previous answer; 0 = 10 */
    const char *const *hosts; /* names to answer to in the Host header besides the
                                 address, NULL-terminated (copied); NULL = none */
} kh_web_options;

/**
 * Starts serving in background threads.
 * @param ctx  allocator (must be thread-safe) and error channel; must outlive
 *             the server.
 * @param out  receives the server (stop with kh_web_stop()), or NULL.
 * @return KH_OK, KH_E_ARG (bad address or host name), KH_E_DB (store),
 *         KH_E_IO (cannot bind) or KH_E_NOMEM.
 */
KH_API kh_status kh_web_start(kh_ctx *ctx, const kh_web_options *options, kh_web **out);

/** @return the port the server listens on. */
KH_API unsigned kh_web_port(const kh_web *web);

/** Stops the server, waits for its threads and frees it. Accepts NULL. */
KH_API void kh_web_stop(kh_web *web);

/**
 * Renders the response for one GET request without any network: what the
 * server sends for path (e.g. "/story/3") and the raw value of the q or page
 * parameter (NULL when absent).
 * @param out          receives the body.
 * @param http_status  receives 200, 400, 404, 414 (q too long) or 500.
 * @param content_type receives static text.
 * @return KH_OK (also for 4xx pages), KH_E_NOMEM or KH_E_TOOBIG.
 */
KH_API kh_status kh_web_render(kh_store *store, const char *path, const char *query,
                               const char *page, kh_buf *out, int *http_status,
                               const char **content_type);

/** A GET request's arguments, each its raw (decoded) value or NULL when
 * absent: the search (q), the page and its size, and the story filters of
 * the index, /api/stories and the feeds (kh_store_story_filter). */
typedef struct kh_web_params {
    const char *q;
    const char *page;        /* 1.. */
    const char *per_page;    /* 1..100; the page's own size when absent */
    const char *lang;        /* a language code */
    const char *source;      /* an outlet's name */
    const char *since;       /* YYYY-MM-DD */
    const char *until;       /* YYYY-MM-DD */
    const char *min_sources; /* 0.. independent sources */
    const char *view;        /* "top" (the index's default) or "all" (the API's) */
    const char *ui;          /* the page's own words: "ar" or "en"; a story's page
                                speaks its story's language by default */
} kh_web_params;

/**
 * kh_web_render() with every argument the server reads; params NULL is
 * none. A bad argument is answered 400, for /api/ paths as JSON
 * {"error", "code"}.
 */
KH_API kh_status kh_web_render_params(kh_store *store, const char *path,
                                      const kh_web_params *params, kh_buf *out,
                                      int *http_status, const char **content_type);

/**
 * Appends text HTML-escaped: & < > " ' become entities, so the result is
 * safe inside element content and quoted attribute values.
 */
KH_API kh_status kh_web_escape(kh_buf *out, const char *text, size_t text_len);

/* ===================================================================== *
 *  The crawler: outlets' feeds and sitemaps -> pages -> the pipeline
 * ===================================================================== */

/*
 * kh_crawl_run() fetches news pages politely and hands the articles to the
 * pipeline. Seeds are outlet home pages, feed URLs or sitemap URLs (what a
 * fetched document is, is told by its content). A home page gives its feeds
 * (<link rel=alternate>, else the common paths /feed, /rss, /rss.xml,
 * /feed.xml and /atom.xml are tried), robots.txt its sitemaps, feeds and
 * sitemaps give article URLs with their titles and dates, which become the
 * article's title and date hints (kh_doc.title, kh_doc.date).
 *
 * Politeness: robots.txt is fetched first on every host (4xx: everything
 * allowed; 5xx or unreachable: nothing, until it is fetched again a minute
 * later); one connection per host; a delay between two requests to a host
 * (the larger of delay and the host's Crawl-delay, which is capped at 60
 * s); 429 and 503 back the host off for Retry-After (else twice the last
 * wait); a User-Agent "khabar/VERSION (+CONTACT)". Redirects are followed by
 * the crawler itself (at most max_redirects hops), so that a redirect's
 * target passes robots.txt and the host's delay like any URL.
 *
 * The frontier lives in a SQLite file (state_path): every URL (normalized,
 * so each is fetched once), its kind, status, ETag and Last-Modified, when
 * it is due, its attempts and last error. A killed crawl resumes where it
 * stopped; an article counts as done only once the batch that stored it has
 * committed, so a kill costs a re-fetch, never a lost or doubled article.
 * Each run (and each period of `every`) is a round: home pages, feeds and
 * sitemaps are fetched again with If-None-Match / If-Modified-Since (a 304
 * costs nothing further); an article is fetched again only when a feed or
 * sitemap gives it a newer date than the one it had.
 * Only the seeds given, and the feeds and sitemaps found from them, come
 * round again: a seed dropped from the list is an outlet no longer crawled
 * (given no seeds, the crawl resumes all it knows).
 *
 * Bad network input is an error about one URL, reported through on_problem
 * and counted, never a crash or a hang: every transfer has a connect and a
 * total timeout, a low-speed limit and a size cap on the decoded body (so a
 * gzip bomb stops at max_bytes). Only http and https are fetched.
 *
 * Memory: at most max_connections bodies of max_bytes at once, plus the
 * pipeline's (kh_pipeline_ingest()); hosts and the frontier's rows live in
 * the state file, not in memory, except one small record per host met.
 * Each batch runs the story stage over the whole store again, as
 * kh_pipeline_ingest() does, so a larger batch costs less per article.
 */

/** What a crawled URL is. */
typedef enum kh_crawl_kind {
    KH_CRAWL_SEED = 0,     /* given by the caller: a home page, feed or sitemap */
    KH_CRAWL_FEED = 1,     /* a feed found on a home page */
    KH_CRAWL_SITEMAP = 2,  /* a sitemap from robots.txt or a sitemap index */
    KH_CRAWL_PROBE = 3,    /* a common feed path tried on a home page without
                              feed links (its 404 is no error) */
    KH_CRAWL_ARTICLE = 4,  /* a feed item or sitemap URL */
    KH_CRAWL_ROBOTS = 5    /* a host's robots.txt */
} kh_crawl_kind;

/** @return "seed", "feed", "sitemap", "probe", "article" or "robots". */
KH_API const char *kh_crawl_kind_name(kh_crawl_kind kind);

/** A URL that failed, as on_problem sees it; valid during the call. */
typedef struct kh_crawl_problem {
    const char *url;
    kh_crawl_kind kind;
    kh_status status;      /* KH_E_IO (network, timeout, HTTP error),
                              KH_E_TOOBIG (past max_bytes), KH_E_LIMIT (too
                              many redirects), KH_E_FORMAT (a document that
                              gives nothing), or a pipeline stage's error */
    long http_status;      /* 0 when no response came */
    const char *message;   /* one line naming the URL and what went wrong */
    int will_retry;        /* 1 when the URL is tried again later */
} kh_crawl_problem;

/** Return non-zero to stop the crawl (kh_crawl_run() returns KH_E_STOPPED). */
typedef int (*kh_crawl_problem_fn)(void *user, const kh_crawl_problem *problem);

/** One response, as on_page sees it; valid during the call. */
typedef struct kh_crawl_page {
    const char *url;
    kh_crawl_kind kind;
    long http_status;      /* 200, 304, 404, ... */
    uint64_t bytes;        /* decoded body length */
    double seconds;        /* the transfer's time */
} kh_crawl_page;

typedef int (*kh_crawl_page_fn)(void *user, const kh_crawl_page *page);

/** Counts of a crawl (one kh_crawl_run(), every round). */
typedef struct kh_crawl_stats {
    uint64_t rounds;         /* rounds begun */
    uint64_t hosts;          /* hosts met */
    uint64_t queued;         /* URLs waiting now (due or not) */
    uint64_t requests;       /* HTTP requests sent (robots.txt included) */
    uint64_t fetched;        /* 2xx responses */
    uint64_t not_modified;   /* 304 responses */
    uint64_t articles;       /* articles fetched (2xx) */
    uint64_t links;          /* new URLs found in feeds, sitemaps, pages */
    uint64_t too_old;        /* article links dated before max_age, skipped */
    uint64_t disallowed;     /* URLs robots.txt kept the crawler from */
    uint64_t redirects;      /* redirects followed */
    uint64_t retries;        /* tries put off by 429/503 or a failure */
    uint64_t errors;         /* problems reported (on_problem) */
    uint64_t bytes;          /* decoded body bytes received */
    uint64_t warc_records;   /* responses written to WARC */
    uint64_t stored_added;   /* with a store: new articles stored */
    uint64_t stored_updated; /* new versions stored */
    uint64_t stored_unchanged;
    uint64_t no_body;        /* pages where no article was found */
    uint64_t batches;        /* kh_pipeline_ingest() runs */
    double seconds;          /* wall time so far */
} kh_crawl_stats;

/** Called about twice a second with the counts so far; return non-zero
 * to stop the crawl gracefully (pending articles are stored first). */
typedef int (*kh_crawl_progress_fn)(void *user, const kh_crawl_stats *stats);

/** Options of a crawl; fill with kh_crawl_options_init(), then change. */
typedef struct kh_crawl_options {
    const char *const *seeds;   /* URLs; may be none when the state file
                                   holds a crawl to resume */
    size_t n_seeds;
    const char *state_path;     /* the frontier (required) */
    const char *warc_dir;       /* write WARC/1.1 here; NULL: none */
    uint64_t warc_max_bytes;    /* start a new WARC file past this (1 GiB) */
    const char *contact;        /* a URL or address for the User-Agent,
                                   where a site's operator can reach the
                                   crawl's (NULL: "khabar/VERSION" alone) */
    double delay;               /* seconds between two requests to a host (5) */
    double every;               /* seconds between rounds; 0: one round (0) */
    unsigned rounds;            /* with every: stop after this many (0: never) */
    unsigned max_connections;   /* transfers at once over all hosts (32) */
    unsigned per_host;          /* transfers at once to one host (1) */
    uint64_t max_bytes;         /* decoded body cap per response (10 MiB) */
    double connect_timeout;     /* seconds (10) */
    double timeout;             /* seconds for a whole transfer (60) */
    long low_speed_bytes;       /* a transfer slower than this many bytes/s ... (100) */
    double low_speed_time;      /* ... for this many seconds is dropped (15) */
    unsigned max_redirects;     /* hops (5) */
    unsigned max_attempts;      /* tries of a URL that fails (3) */
    double max_wait;            /* one round: URLs put off further than this
                                   (back-off, robots retry) are left for the
                                   next run (30) */
    uint64_t max_urls;          /* frontier cap; new URLs past it are
                                   dropped (1,000,000) */
    uint64_t max_pages;         /* requests per round (0: no cap) */
    double max_age;             /* seconds: an article link dated earlier
                                   than this before now is not followed (a
                                   sitemap may list an outlet's whole
                                   archive); undated links are (0: any age) */
    size_t batch;               /* with a store: articles per ingest (100) */
    kh_pipeline_options pipeline; /* with a store: the pipeline's options
                                   (kh_pipeline_options_init(); its
                                   on_problem is the crawl's own) */
    kh_crawl_problem_fn on_problem; /* may be NULL: problems are counted */
    void *on_problem_user;
    kh_crawl_page_fn on_page;       /* may be NULL */
    void *on_page_user;
    kh_crawl_progress_fn on_progress; /* may be NULL */
    void *on_progress_user;
} kh_crawl_options;

/** Sets the defaults written beside each field above. */
KH_API void kh_crawl_options_init(kh_crawl_options *opts);

/**
 * Crawls: inserts the seeds into the frontier at opts->state_path (created
 * when missing), then runs rounds until one ends with nothing left to fetch
 * (every == 0), rounds are done, or a callback asks to stop. With a store,
 * fetched articles go through kh_pipeline_ingest() every batch articles and
 * at the end of each round, each as a document whose id and url are its
 * URL and whose title and date are the feed's or sitemap's (when it gives
 * them).
 * @param store  the store to fill, or NULL (then articles are only fetched,
 *               and written to WARC when warc_dir is set).
 * @param stats  receives the counts (may be NULL); filled also on failure.
 * @return KH_OK, KH_E_ARG (bad options, no seeds and nothing to resume),
 *         KH_E_STOPPED, KH_E_DB (the state file or the store), KH_E_IO
 *         (WARC), KH_E_NOMEM, or a pipeline error; kh_errmsg() says which.
 *         Problems with single URLs are not errors of the run.
 */
KH_API kh_status kh_crawl_run(kh_ctx *ctx, const kh_crawl_options *opts, kh_store *store,
                              kh_crawl_stats *stats);

#ifdef __cplusplus
}
#endif
#endif /* KHABAR_H */
