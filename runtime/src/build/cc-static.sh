#!/bin/sh
# Compiles one C file into a static, stripped executable with the system gcc (no other dependencies),
# skipping the work when the output is newer than the source and this script.
# Usage: cc-static.sh SOURCE.c OUTPUT
set -eu
src=$1
out=$2
if [ -x "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$0" ]; then
  exit 0
fi
mkdir -p "$(dirname "$out")"
gcc -std=gnu11 -static -O2 -s -Wall -Wextra -Werror -o "$out.tmp" "$src"
chmod 0755 "$out.tmp"
mv -f "$out.tmp" "$out"
