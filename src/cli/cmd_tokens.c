/* cmd_tokens.c — placeholder until the tokens command lands. */
#include "cli.h"

static int run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("tokens: not built yet");
    return CLI_FAIL;
}

const cli_command cli_cmd_tokens = {
    "tokens", "(not built yet)", "khabar tokens", "", run,
};
