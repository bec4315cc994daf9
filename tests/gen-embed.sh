#!/bin/sh
# Writes a C file defining NAME (the bytes of FILE, NUL-terminated) and NAME_len.
# Used to compile config.ini in as the built-in defaults, so the two can never differ.
set -eu
name=$1
file=$2
printf '/* generated from %s by tests/gen-embed.sh: do not edit */\n' "$file"
printf 'const char %s[] = {\n' "$name"
od -An -v -tx1 "$file" | sed -e 's/ *$//' -e 's/^ *//' -e 's/ /, 0x/g' -e 's/^/0x/' -e 's/$/,/' | grep -v '^0x,$'
printf '0x00};\n'
printf 'const unsigned %s_len = sizeof %s - 1;\n' "$name" "$name"
