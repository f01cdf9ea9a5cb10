/*
 * cmd_tokens.c — `khabar tokens`: the keys the tokenizer gives each line,
 * a debugging aid for the text layer.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct tokens_out {
    kh_buf *buf;
    int first;
    kh_status rc;
} tokens_out;

static int on_token(void *user, unsigned flags, const char *token, size_t token_len,
                    size_t start, size_t end)
{
    (void)flags;
    (void)start;
    (void)end;
    tokens_out *t = user;
    if (!t->first && (t->rc = kh_buf_append(t->buf, " ", 1)) != KH_OK)
        return 1;
    t->first = 0;
    return (t->rc = kh_buf_append(t->buf, token, token_len)) != KH_OK;
}

/* Reads one line (without its '\n') into line, capped by the buffer's max.
 * @return 1 for a line, 0 at the end, -1 for a line over the cap (the rest
 * of it is skipped). */
static int read_line(FILE *f, kh_buf *line)
{
    kh_buf_clear(line);
    int c, got = 0, toobig = 0;
    while ((c = getc_unlocked(f)) != EOF) {
        got = 1;
        if (c == '\n')
            break;
        char ch = (char)c;
        if (!toobig && kh_buf_append(line, &ch, 1) != KH_OK)
            toobig = 1;
    }
    if (!got)
        return 0;
    return toobig ? -1 : 1;
}

static int run(int argc, char **argv);

const cli_command cli_cmd_tokens = {
    "tokens",
    "print the normalized (and stemmed) tokens of each line",
    "khabar tokens [--no-stem] [--lang CODE] [--max-line BYTES] [FILE|-]",
    "Prints one line per input line: the tokens' matching keys, stemmed unless\n"
    "--no-stem is given, separated by single spaces. Stopwords are kept.\n"
    "  --lang CODE     stemmer and stopwords: ar en fr de es it pt nl ca da el\n"
    "                  eu fi ga hi hu hy id lt ne no ro ru sr sv ta tr yi;\n"
    "                  by default the line's detected language, else each\n"
    "                  word's script decides (Arabic words the Arabic rules,\n"
    "                  Latin words the English ones, as the store's index)\n"
    "  --no-stem       print keys without stemming\n"
    "  --max-line N    longest line accepted, in bytes (default 16 MiB)\n"
    "A line with invalid UTF-8 or over the limit gives an error on stderr and an\n"
    "empty output line; the exit status is then 1.\n",
    run,
};

static int run(int argc, char **argv)
{
    const cli_command *cmd = &cli_cmd_tokens;
    kh_lang lang = KH_LANG_UNKNOWN;
    unsigned options = KH_TOK_STEM;
    const char *path = NULL;
    size_t max_line = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--no-stem") == 0) {
            options &= ~KH_TOK_STEM;
        } else if (strcmp(a, "--lang") == 0) {
            if (++i >= argc)
                return cli_usage_error(cmd, "--lang needs a value");
            lang = kh_lang_from_code(argv[i]);
            if (lang == KH_LANG_UNKNOWN)
                return cli_usage_error(cmd, "unknown language '%s'", argv[i]);
        } else if (strcmp(a, "--max-line") == 0) {
            if (++i >= argc)
                return cli_usage_error(cmd, "--max-line needs a value");
            char *end;
            errno = 0;
            unsigned long long v = strtoull(argv[i], &end, 10);
            if (errno || *end || v == 0)
                return cli_usage_error(cmd, "bad --max-line '%s'", argv[i]);
            max_line = (size_t)v;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error(cmd, "unknown option '%s'", a);
        } else if (!path) {
            path = a;
        } else {
            return cli_usage_error(cmd, "one input at most");
        }
    }
    if (!path)
        path = "-";
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error("%s: %s", path, strerror(errno));
        return CLI_FAIL;
    }
    kh_ctx *ctx = NULL;
    kh_tokenizer *tok = NULL;
    if (kh_ctx_create(&ctx, NULL) != KH_OK || kh_tokenizer_create(ctx, &tok) != KH_OK) {
        cli_error("out of memory");
        kh_ctx_free(ctx);
        if (f != stdin)
            fclose(f);
        return CLI_FAIL;
    }
    if (max_line)
        kh_ctx_limit(ctx, KH_LIMIT_LINE, max_line);
    max_line = kh_ctx_limit(ctx, KH_LIMIT_LINE, 0);
    kh_buf line, out;
    kh_buf_init(&line, ctx, max_line);
    kh_buf_init(&out, ctx, 0);
    int status = CLI_OK;
    unsigned long long lineno = 0;
    int r;
    while ((r = read_line(f, &line)) != 0) {
        lineno++;
        size_t bad;
        if (r < 0) {
            cli_error("%s:%llu: line longer than %zu bytes", path, lineno, max_line);
            status = CLI_FAIL;
        } else if (kh_utf8_check(line.data, line.len, &bad) != KH_OK) {
            cli_error("%s:%llu: invalid UTF-8 at byte %zu", path, lineno, bad);
            status = CLI_FAIL;
        } else {
            tokens_out t = { &out, 1, KH_OK };
            const char *text = line.data ? line.data : "";
            kh_lang line_lang = lang != KH_LANG_UNKNOWN ? lang : kh_lang_detect(text, line.len);
            if (line_lang == KH_LANG_UNKNOWN)
                line_lang = KH_LANG_EN; /* per word by script: the index's rules */
            kh_status rc = kh_tokenize(tok, line_lang, text, line.len, options, on_token, &t);
            if (rc != KH_OK) {
                cli_error("%s:%llu: %s", path, lineno,
                          kh_strerror(t.rc != KH_OK ? t.rc : rc));
                status = CLI_FAIL;
                break;
            }
        }
        if (kh_buf_append(&out, "\n", 1) != KH_OK || cli_flush(&out) != 0) {
            cli_error("cannot write output");
            status = CLI_FAIL;
            break;
        }
    }
    if (ferror(f)) {
        cli_error("%s: read error", path);
        status = CLI_FAIL;
    }
    if (f != stdin)
        fclose(f);
    if (fflush(stdout) != 0)
        status = CLI_FAIL;
    kh_buf_free(&line);
    kh_buf_free(&out);
    kh_tokenizer_free(tok);
    kh_ctx_free(ctx);
    return status;
}
