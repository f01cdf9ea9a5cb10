#!/bin/sh
# doc/examples/normalize.c, built against <khabar.h> alone, gives hamza
# variants of a name the same key and keeps the word as written beside it.
set -eu
prog="$(dirname "$KHABAR")/doc/examples/normalize"
out=$("$prog" أشتون آشتون)
first=$(printf '%s\n' "$out" | sed -n 1p | cut -f2)
second=$(printf '%s\n' "$out" | sed -n 2p | cut -f2)
[ "$first" = "$second" ] || { echo "keys differ: $out"; exit 1; }
[ "$(printf '%s\n' "$out" | sed -n 2p | cut -f1)" = "آشتون" ] || { echo "word not kept: $out"; exit 1; }
# Invalid UTF-8 is an error, not a key.
if "$prog" "$(printf 'a\377')" 2>/dev/null; then echo "invalid UTF-8 accepted"; exit 1; fi
echo ok
