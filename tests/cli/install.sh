#!/bin/sh
# make install PREFIX=DIR: the binary, header, libraries and a khabar.pc
# that names DIR; a program built through pkg-config alone links and runs.
# Runs for the release build only (a sanitizer build's library needs the
# sanitizer runtime, which pkg-config does not name).
set -u
KHABAR=${KHABAR:-build/khabar}
build=$(dirname "$KHABAR")
[ "$build" = build ] || { echo "install.sh: release build only, skipped for $build"; exit 0; }
command -v pkg-config >/dev/null || { echo "install.sh: pkg-config missing, skipped"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

prefix="$tmp/prefix"
make -s --no-print-directory install PREFIX="$prefix" >"$tmp/make.log" 2>&1 ||
    { cat "$tmp/make.log"; echo "FAIL: make install"; exit 1; }
for f in bin/khabar include/khabar.h lib/libkhabar.a lib/libkhabar.so lib/pkgconfig/khabar.pc; do
    [ -e "$prefix/$f" ] || fail "$f not installed"
done
grep -qx "prefix=$prefix" "$prefix/lib/pkgconfig/khabar.pc" ||
    fail "khabar.pc names $(sed -n 's/^prefix=//p' "$prefix/lib/pkgconfig/khabar.pc"), not $prefix"

# The library example, built as a user would: only the installed tree.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cc -std=c11 -o "$tmp/normalize" doc/examples/normalize.c \
    $(pkg-config --cflags khabar) $(pkg-config --libs --static khabar) 2>"$tmp/cc.log" ||
    fail "example does not build through pkg-config: $(cat "$tmp/cc.log")"
if [ -x "$tmp/normalize" ]; then
    out=$(LD_LIBRARY_PATH="$prefix/lib" "$tmp/normalize" "أَحْمَد" 2>&1) || fail "example run: $out"
    [ "$out" = "$(printf 'أَحْمَد\tاحمد')" ] || fail "example output: $out"
fi
"$prefix/bin/khabar" --version >/dev/null 2>&1 || fail "installed khabar --version"
make -s --no-print-directory uninstall PREFIX="$prefix" >/dev/null 2>&1 || fail "make uninstall"
left=$(find "$prefix" -type f -o -type l)
[ -z "$left" ] || fail "uninstall left: $left"

[ "$fails" -eq 0 ] && echo "install.sh: all checks held"
[ "$fails" -eq 0 ]
