/* cmd_read.c — placeholder until the read command lands. */
#include "cli.h"

static int run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("read: not built yet");
    return CLI_FAIL;
}

const cli_command cli_cmd_read = {
    "read", "(not built yet)", "khabar read", "", run,
};
