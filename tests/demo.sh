#!/bin/sh
# `make run`: the interactive front desk is not built yet, so this shows, honestly, what exists today:
# the command-line front end, on the shipped forms, rules and sample roster.
set -eu
cd "$(dirname "$0")/.."
./triage --help
echo
echo "== The program as it stands: no TUI yet. A worked example with the sample roster =="
echo "\$ ./triage score phq9 2 2 3 2 1 2 1 1 1"
./triage score phq9 2 2 3 2 1 2 1 1 1
echo "\$ ./triage score asq no yes no no no"
./triage score asq no yes no no no
echo "\$ ./triage assess assets/examples/orange.json"
./triage assess assets/examples/orange.json
echo
echo "Try: ./triage assess assets/examples/red.json, ./triage forms list, ./triage config check"
