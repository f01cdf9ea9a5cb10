/*
 * cli.h — what the khabar command's files share.
 *
 * The CLI only parses and prints: each subcommand turns argv into options,
 * calls libkhabar through <khabar.h>, and formats the results. Every
 * subcommand lives in its own cmd_<name>.c and is listed in khabar.c.
 */
#ifndef KH_CLI_H
#define KH_CLI_H

#include "khabar.h"

#include <stdint.h>
#include <stdio.h>

/* Exit statuses. */
#define CLI_OK 0
#define CLI_FAIL 1  /* the job failed (or --strict met bad input) */
#define CLI_USAGE 2 /* bad command line */

typedef struct cli_command {
    const char *name;
    const char *summary; /* one line for `khabar --help` */
    const char *usage;   /* "khabar NAME [OPTIONS] ..." */
    const char *help;    /* the options and what the output is */
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
} cli_command;

extern const cli_command cli_cmd_read;
extern const cli_command cli_cmd_tokens;
extern const cli_command cli_cmd_stories;
extern const cli_command cli_cmd_clean;
extern const cli_command cli_cmd_dedup;
extern const cli_command cli_cmd_account;
extern const cli_command cli_cmd_names;
extern const cli_command cli_cmd_ingest;
extern const cli_command cli_cmd_serve;
extern const cli_command cli_cmd_crawl;

/* doc/formats.md, the JSON keys of every output, as `khabar help formats`
 * prints it (compiled in by the Makefile). */
extern const char cli_formats_text[];

/* Prints "khabar: " + message to stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* For a document read with stray bytes replaced (kh_doc.repaired), prints
 * a warning naming its file, the count and the first byte's offset;
 * returns 1 then, 0 for every other document. */
int cli_doc_repaired(const kh_doc *doc);

/* Prints the usage line of cmd and a hint to stderr; returns CLI_USAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prints the full help of cmd to stdout; returns CLI_OK. */
int cli_print_help(const cli_command *cmd);

/* Writes buf to stdout and clears it; returns 0, or -1 on a write error. */
int cli_flush(kh_buf *buf);

/* Output is written in chunks of about this many bytes. */
#define CLI_OUT_CHUNK ((size_t)1 << 16)

/* Writes buf once it holds CLI_OUT_CHUNK bytes; 0, or -1 on a write error. */
int cli_flush_chunk(kh_buf *buf);

/* Writes what is left of buf and flushes stdout; 0, or -1 on a write error. */
int cli_flush_end(kh_buf *buf);

/*
 * Progress on stderr, only when stderr is a terminal: items done, rate and,
 * when the total is known, an ETA. Redrawn at most a few times a second.
 */
typedef struct cli_progress {
    int enabled;
    const char *what;       /* "documents", "articles" */
    uint64_t total;         /* 0 when unknown */
    uint64_t done;
    double started;         /* seconds */
    double last_draw;
    uint64_t next_check;    /* the clock is read again from this count on */
} cli_progress;

void cli_progress_start(cli_progress *p, const char *what, uint64_t total);
void cli_progress_tick(cli_progress *p, uint64_t done);
void cli_progress_end(cli_progress *p);

/* Whether a command given no PATH reads standard input: when it is a pipe or
 * a file, as filters do; at a terminal the command asks for a PATH instead. */
int cli_stdin_is_input(void);

/* Seconds from a monotonic clock. */
double cli_now(void);

#endif /* KH_CLI_H */
