#!/bin/sh
# `make run`: builds a demo database (build/demo/, DEMO DATA ONLY, demo passphrases printed below),
# shows the command line on it, then opens the front desk on it when run in a terminal.
set -eu
cd "$(dirname "$0")/.."
./triage --help
echo
echo "== A worked example with the sample roster (the command line; the front desk opens below) =="
echo "\$ ./triage score phq9 2 2 3 2 1 2 1 1 1"
./triage score phq9 2 2 3 2 1 2 1 1 1
echo "\$ ./triage score asq no yes no no no"
./triage score asq no yes no no no
echo "\$ ./triage assess assets/examples/orange.json"
./triage assess assets/examples/orange.json
echo
demo=${TRIAGE_DEMO_DIR:-build/demo}
pass=demo-passphrase
if [ ! -f "$demo/triage.db" ]; then
    mkdir -p "$demo"
    # demo only: fast key derivation so the demo starts at once on old machines
    sed -e "s/^kdf_cost = moderate/kdf_cost = interactive/" -e "s/^demo = no/demo = yes/" -e "s#^forms_dir =\$#forms_dir = $(pwd)/forms#" \
        config.ini >"$demo/config.ini"
    T="./triage --config $demo/config.ini --db $demo/triage.db --passphrase-fd 3"
    printf '%s\n' "$pass" | $T --user demo init 3<&0 >/dev/null
    printf '%s\n%s\n' "$pass" "$pass" | $T --user demo user add desk --role reception 3<&0 >/dev/null
    printf '%s\n' "$pass" | $T --user demo roster import assets/counselors.sample.ini 3<&0 >/dev/null
    # three clients per level, so that the reports have groups above the k floor of 5
    for n in 1 2 3; do
        for f in red orange yellow green; do
            name="Demo Client $f"
            [ $n -gt 1 ] && name="Demo Client $f $n"
            sed "s/^{/{\"client\":{\"name\":\"$name\",\"phone\":\"555-01$n$(printf '%s' $f | wc -c)\"},/" \
                assets/examples/$f.json | { printf '%s\n' "$pass" >"$demo/.p"; $T --user desk intake new - 3<"$demo/.p"; } >/dev/null
        done
    done
    rm -f "$demo/.p"
fi
T="./triage --config $demo/config.ini --db $demo/triage.db --passphrase-fd 3"
echo "== DEMO DATA: a demo database in $demo (users: demo = supervisor, desk = reception; passphrase: $pass) =="
echo "\$ triage --user desk client find 'demo client red'"
printf '%s\n' "$pass" | $T --user desk client find 'demo client red' 3<&0
echo "\$ triage --user demo verify"
printf '%s\n' "$pass" | $T --user demo verify 3<&0
echo
echo "DEMO LOGIN: user desk (reception) or demo (supervisor), passphrase $pass"
if [ -t 0 ] && [ -t 1 ]; then
    echo "Opening the front desk on the demo database (q quits; ? shows the keys)..."
    sleep 2
    exec ./triage --config "$demo/config.ini" --db "$demo/triage.db" --user desk
fi
echo "(no terminal here: open the front desk with ./triage --config $demo/config.ini --db $demo/triage.db)"
