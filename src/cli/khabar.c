/*
 * khabar.c — the command line: finds the subcommand and hands it argv.
 *
 *   khabar [--version] [--help] COMMAND [ARGS]
 *   khabar help COMMAND
 *   khabar help formats     the JSON keys of every output (doc/formats.md)
 *
 * Exit status: 0 success, 1 the job failed, 2 a bad command line.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* In pipeline order, as `khabar --help` lists them. */
static const cli_command *const commands[] = {
    &cli_cmd_crawl,
    &cli_cmd_read,
    &cli_cmd_tokens,
    &cli_cmd_clean,
    &cli_cmd_dedup,
    &cli_cmd_stories,
    &cli_cmd_account,
    &cli_cmd_names,
    &cli_cmd_ingest,
    &cli_cmd_serve,
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void print_main_help(FILE *out)
{
    fprintf(out,
            "usage: khabar [--version] [--help] COMMAND [ARGS]\n\n"
            "khabar turns crawled news pages into stories: clean articles, copies\n"
            "grouped, same-event articles grouped, one account per story.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out,
            "  %-9s %s\n\n"
            "Inputs (PATH): crawled-page text files, HTML, JSON Lines, WARC/WET\n"
            "(plain or .gz), directories (recursively), or - for standard input.\n"
            "Formats are detected from content. Run 'khabar help COMMAND' for more,\n"
            "'khabar help formats' for the keys of every JSON output.\n",
            "help", "describe a command");
}

/* Whether the option name[0..len) of cmd takes a value, as its help text
 * writes it: "  --window W   ..." (a value: one space, then a word) or
 * "  --stats      ..." (a flag). @return 1, 0, or -1 when help does not
 * list it (the command then reports it as unknown). */
static int option_takes_value(const cli_command *cmd, const char *name, size_t len)
{
    for (const char *p = cmd->help; p && (p = strstr(p, name)) != NULL; p += len) {
        int line_start = p >= cmd->help + 2 && p[-1] == ' ' && p[-2] == ' ';
        if (!line_start || (p[len] != ' ' && p[len] != '\n' && p[len] != '\0'))
            continue;
        return p[len] == ' ' && p[len + 1] != ' ' && p[len + 1] != '\n';
    }
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_main_help(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_main_help(stdout);
        return CLI_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("khabar %s\n", kh_version_string());
        return CLI_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_main_help(stdout);
            return CLI_OK;
        }
        if (strcmp(argv[2], "formats") == 0) {
            fputs(cli_formats_text, stdout);
            return fflush(stdout) == 0 && !ferror(stdout) ? CLI_OK : CLI_FAIL;
        }
        const cli_command *cmd = find_command(argv[2]);
        if (!cmd) {
            cli_error("no command '%s'; try 'khabar --help'", argv[2]);
            return CLI_USAGE;
        }
        return cli_print_help(cmd);
    }
    const cli_command *cmd = find_command(name);
    if (!cmd) {
        if (name[0] == '-')
            cli_error("unknown option '%s'", name);
        else
            cli_error("no command '%s'", name);
        fprintf(stderr, "usage: khabar [--version] [--help] COMMAND [ARGS]\n");
        return CLI_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cli_print_help(cmd);
    }
    /* --name=value becomes --name value, so that every command takes both
     * forms without parsing them itself. At most one extra word per
     * argument: argc * 2 + 1 slots are enough. */
    char **args = malloc(((size_t)argc * 2 + 1) * sizeof *args);
    if (!args) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    int n = 0, options = 1;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        char *eq = options && a[0] == '-' && a[1] == '-' ? strchr(a, '=') : NULL;
        if (options && strcmp(a, "--") == 0)
            options = 0;
        if (eq && i > 1) {
            *eq = '\0'; /* argv's strings are ours to change */
            int takes = option_takes_value(cmd, a, (size_t)(eq - a));
            if (takes == 0) {
                free(args);
                return cli_usage_error(cmd, "option %s takes no value", a);
            }
            if (takes == 1) {
                args[n++] = a;
                args[n++] = eq + 1;
                continue;
            }
            *eq = '=';
        }
        args[n++] = a;
    }
    args[n] = NULL;
    int status = cmd->run(n, args);
    free(args);
    return status;
}
