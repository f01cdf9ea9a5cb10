/*
 * cli_util.c — errors, usage lines, output and progress for the CLI.
 */
#include "cli.h"

#include <stdarg.h>
#include <time.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("khabar: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_doc_repaired(const kh_doc *doc)
{
    if (!doc->repaired)
        return 0;
    cli_error("warning: %s: %llu invalid byte%s replaced by U+FFFD, the first at byte %llu",
              doc->file, (unsigned long long)doc->repaired, doc->repaired == 1 ? "" : "s",
              (unsigned long long)doc->repaired_at);
    return 1;
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("khabar: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\nTry 'khabar help %s'.\n", cmd->usage, cmd->name);
    return CLI_USAGE;
}

int cli_print_help(const cli_command *cmd)
{
    printf("usage: %s\n\n%s\n\n%s", cmd->usage, cmd->summary, cmd->help);
    return CLI_OK;
}

int cli_flush(kh_buf *buf)
{
    if (buf->len && fwrite(buf->data, 1, buf->len, stdout) != buf->len)
        return -1;
    kh_buf_clear(buf);
    return 0;
}

int cli_flush_chunk(kh_buf *buf)
{
    return buf->len >= CLI_OUT_CHUNK ? cli_flush(buf) : 0;
}

int cli_flush_end(kh_buf *buf)
{
    return cli_flush(buf) != 0 || fflush(stdout) != 0 ? -1 : 0;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, const char *what, uint64_t total)
{
    p->enabled = isatty(STDERR_FILENO);
    p->what = what;
    p->total = total;
    p->done = 0;
    p->started = cli_now();
    p->last_draw = 0;
    p->next_check = 256; /* not at the first item: its rate means nothing */
}

static void progress_draw(cli_progress *p, double now)
{
    double elapsed = now - p->started;
    double rate = elapsed > 0 ? (double)p->done / elapsed : 0;
    fprintf(stderr, "\r\033[K%llu %s, %.0f/s", (unsigned long long)p->done, p->what, rate);
    if (p->total && rate > 0 && p->done <= p->total) {
        double eta = (double)(p->total - p->done) / rate;
        fprintf(stderr, ", %.0f%%, ETA %.0fs", 100.0 * (double)p->done / (double)p->total, eta);
    }
    p->last_draw = now;
}

void cli_progress_tick(cli_progress *p, uint64_t done)
{
    p->done = done;
    /* the clock every 256 items at most, whatever steps done moves in */
    if (!p->enabled || done < p->next_check)
        return;
    p->next_check = done + 256;
    double now = cli_now();
    if (now - p->last_draw >= 0.25)
        progress_draw(p, now);
}

void cli_progress_end(cli_progress *p)
{
    if (!p->enabled || p->last_draw == 0)
        return;
    progress_draw(p, cli_now());
    fputc('\n', stderr);
}

int cli_stdin_is_input(void)
{
    return !isatty(STDIN_FILENO);
}
