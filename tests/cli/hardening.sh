#!/bin/sh
# The release binary keeps the hardening of shared/SECURITY.md (Makefile HARDEN / LDHARDEN), checked in
# the ELF file itself so that a flag cannot silently disappear: PIE (type DYN), RELRO (GNU_RELRO header),
# BIND_NOW (full RELRO), the stack protector (__stack_chk_fail imported), _FORTIFY_SOURCE (some *_chk
# function imported) and a non-executable stack (GNU_STACK without E). Then the same checks must fail on
# a small program built without those flags: a check that cannot fail proves nothing.
# -fstack-clash-protection leaves no trace in the ELF file that readelf can show; it is not checked here.
# Usage: tests/cli/hardening.sh ./triage   Last line: `N passed, N failed`.
set -u
. "$(dirname "$0")/../lib.sh"
T=${1:-./triage}
make_tmp harden
export LC_ALL=C

if ! command -v readelf >/dev/null 2>&1; then
    bad "readelf is missing (binutils; make deps installs it)"
    finish
fi

# Each check prints nothing and succeeds when the binary has the property.
is_pie() { readelf -hW "$1" | grep -q 'Type: *DYN'; }
has_relro() { readelf -lW "$1" | grep -q 'GNU_RELRO'; }
has_now() { readelf -dW "$1" | grep -q 'BIND_NOW\|FLAGS_1.*NOW'; }
has_canary() { readelf --dyn-syms -W "$1" | grep -q '__stack_chk_fail'; }
has_fortify() { readelf --dyn-syms -W "$1" | grep -q '__[a-z_]*_chk@'; }
has_nx_stack() { readelf -lW "$1" | grep 'GNU_STACK' | grep -qv 'RWE'; }
checks="is_pie:PIE has_relro:RELRO has_now:BIND_NOW has_canary:stack-protector has_fortify:FORTIFY_SOURCE has_nx_stack:NX-stack"

if [ ! -f "$T" ]; then
    bad "$T does not exist (make triage)"
else
    for c in $checks; do
        if ${c%%:*} "$T"; then ok "$T: ${c#*:}"; else bad "$T: ${c#*:} missing"; fi
    done
fi

# The negative control: built with every one of those protections turned off.
cat >"$tmp/plain.c" <<'C'
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
    char buf[64];
    snprintf(buf, sizeof buf, "%s", argc > 1 ? argv[1] : "x");
    return buf[0] == 'y';
}
C
if ! ${CC:-cc} -O2 -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=0 -fno-stack-protector -fno-pie -no-pie \
    -Wl,-z,norelro -Wl,-z,lazy -Wl,-z,execstack -o "$tmp/plain" "$tmp/plain.c" 2>"$tmp/cc.err"; then
    bad "the unhardened control program does not build"
    sed 's/^/     /' "$tmp/cc.err"
else
    for c in $checks; do
        if ${c%%:*} "$tmp/plain"; then bad "the ${c#*:} check passes a binary built without it"
        else ok "the ${c#*:} check fails a binary built without it"; fi
    done
fi

finish
