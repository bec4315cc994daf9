#!/bin/sh
# `make check-fresh`: the README's promise tried on a fresh machine, as a newcomer would (issue 16).
# A minimal Debian 12 root (debootstrap --variant=minbase, from Debian's packages), this checkout's HEAD in
# /root/triage (git archive; /root mode 0700, as on Debian), /tmp as tmpfs and then /tmp on the root's disk;
# there it runs the commands of the README's "Set up" block, nothing else: whatever they need must be
# installed by the README's line or by the project's own files. Prints, per /tmp, the `make test` summary
# line and whether `make run` built and ran; the last line sums them (`N passed, N failed`).
# Not part of `make test`: it takes many minutes and needs Debian's package servers. Needs root.
#   FRESH_TMP="tmpfs disk"   which /tmp to try (default both)
#   FRESH_CACHE=DIR          where the pristine root and downloaded packages are kept between runs
#                            (default /var/cache/triage-fresh; `make clean` leaves it); FRESH_REBUILD=1 redoes it
# Each run happens in its own mount and PID namespaces (unshare): every process it starts ends with it, and
# every mount is undone on exit (trap), on failure or interrupt too. The host's packages are never touched,
# except installing debootstrap if it is missing.
set -eu
cd "$(dirname "$0")/.."
repo=$(pwd)

# ---- inside a private mount and PID namespace: one run with one kind of /tmp ----
if [ "${1:-}" = "--inside" ]; then
    kind=$2 work=$3 base=$4 archives=$5 log=$6
    root=$work/root
    mounted=""
    undo() { # unmount, innermost first; then nothing is left mounted under the root
        for m in $mounted; do umount -l "$m" 2>/dev/null || true; done
    }
    trap undo EXIT
    trap 'exit 130' INT TERM HUP
    mnt() { # mnt PATH mount-args...: mounts and remembers it (prepended: unmounted first)
        path=$1
        shift
        mount "$@" "$path"
        mounted="$path $mounted"
    }
    mkdir -p "$root"
    tar -xpf "$base" -C "$root"
    cp /etc/resolv.conf "$root/etc/resolv.conf" # name resolution for apt-get, as the installer writes it
    # the network's TLS trust: where it passes HTTPS through a proxy with its own authority (as here), a
    # machine on it is given that authority as it is given its name server; Node (npm) reads it from
    # NODE_EXTRA_CA_CERTS. Nothing the project needs comes from the host this way.
    ca=""
    for f in ${NODE_EXTRA_CA_CERTS:-} /etc/ssl/certs/ca-certificates.crt; do
        if [ -s "$f" ]; then
            mkdir -p "$root/etc/triage-fresh"
            cp "$f" "$root/etc/triage-fresh/network-ca.crt"
            ca=NODE_EXTRA_CA_CERTS=/etc/triage-fresh/network-ca.crt
            break
        fi
    done
    mnt "$root/proc" -t proc proc
    mnt "$root/sys" -t sysfs -o ro sysfs
    mnt "$root/dev" -t tmpfs -o mode=0755,nosuid tmpfs
    for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        n=${d%%:*} mm=${d#*:}
        mknod -m 0666 "$root/dev/$n" c "${mm%:*}" "${mm#*:}"
    done
    mkdir -p "$root/dev/pts" "$root/dev/shm"
    mnt "$root/dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts
    ln -s pts/ptmx "$root/dev/ptmx"
    ln -s /proc/self/fd "$root/dev/fd"
    ln -s /proc/self/fd/0 "$root/dev/stdin"
    ln -s /proc/self/fd/1 "$root/dev/stdout"
    ln -s /proc/self/fd/2 "$root/dev/stderr"
    mnt "$root/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev tmpfs
    mnt "$root/run" -t tmpfs -o mode=0755,nosuid,nodev tmpfs
    if [ "$kind" = tmpfs ]; then mnt "$root/tmp" -t tmpfs -o mode=1777,nosuid,nodev tmpfs; fi
    chmod 1777 "$root/tmp"
    # downloaded packages are kept between runs (apt-get still installs each one, from Debian's signed lists)
    mnt "$root/var/cache/apt/archives" --bind "$archives"
    # the repository as a newcomer gets it: the committed HEAD, in root's home, which only root may enter
    chmod 0700 "$root/root"
    mkdir -p "$root/root/triage"
    git -C "$repo" archive --format=tar HEAD | tar -xf - -C "$root/root/triage"
    # the README's "Set up" block, line by line, as written there
    sed -n '/^## Set up/,/^## /p' "$repo/README.md" | sed -n '/^```sh/,/^```/p' | sed '1d;$d' >"$root/root/setup.sh"
    echo "check-fresh: /tmp on $kind; the README's commands, in /root/triage:"
    sed 's/^/    /' "$root/root/setup.sh"
    set +e
    env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 $ca \
        chroot "$root" /bin/sh -c 'cd /root/triage && set -e && while IFS= read -r line; do
            cmd=${line%%#*}; [ -n "${cmd## }" ] || continue
            echo "+ $cmd"; /bin/sh -c "$cmd" </dev/null || { echo "check-fresh: FAILED: $cmd"; exit 1; }
        done </root/setup.sh' >"$log" 2>&1
    rc=$?
    set -e
    # keep the suites' logs next to the run's log
    rm -rf "$work/test-logs"
    cp -r "$root/root/triage/build/test-logs" "$work/test-logs" 2>/dev/null || true
    exit $rc
fi

# ---- on the host ----
[ "$(id -u)" -eq 0 ] || { echo "check-fresh: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || sh tests/deps.sh debootstrap
command -v unshare >/dev/null || { echo "check-fresh: unshare (util-linux) is missing" >&2; exit 2; }
cache=${FRESH_CACHE:-/var/cache/triage-fresh}
kinds=${FRESH_TMP:-tmpfs disk}
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$cache/debs" "$cache/archives/partial"
base=$cache/bookworm-minbase.tar
if [ ! -s "$base" ] || [ "${FRESH_REBUILD:-0}" = 1 ]; then
    echo "check-fresh: debootstrap --variant=minbase bookworm (once; kept in $base)"
    stage=$cache/stage
    rm -rf --one-file-system "$stage"
    debootstrap --variant=minbase --cache-dir="$cache/debs" bookworm "$stage" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
        { tail -n 20 "$cache/debootstrap.log" >&2; echo "check-fresh: debootstrap failed ($cache/debootstrap.log)" >&2; exit 1; }
    rm -f "$stage"/var/cache/apt/archives/*.deb
    tar -cpf "$base.part" -C "$stage" .
    mv "$base.part" "$base"
    rm -rf --one-file-system "$stage"
fi

total_pass=0 total_fail=0 summary=""
for kind in $kinds; do
    case $kind in tmpfs | disk) ;; *) echo "check-fresh: FRESH_TMP: tmpfs or disk, not $kind" >&2; exit 2 ;; esac
    work=$cache/run-$kind
    # a previous run's root goes first; never while anything is mounted under it (rm would reach the host)
    if grep -q " $work/" /proc/mounts; then echo "check-fresh: something is still mounted under $work" >&2; exit 1; fi
    rm -rf --one-file-system "$work"
    mkdir -p "$work"
    log=$work/run.log
    echo "check-fresh: /tmp on $kind, in $work/root (log: $log)"
    start=$(date +%s)
    set +e
    unshare --mount --propagation private --pid --fork sh "$repo/tests/check-fresh.sh" --inside \
        "$kind" "$work" "$base" "$cache/archives" "$log"
    rc=$?
    set -e
    secs=$(($(date +%s) - start))
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
    p=${p:-0} f=${f:-1}
    run_ok=no
    grep -q '^DEMO LOGIN:' "$log" && run_ok=yes
    [ "$run_ok" = yes ] || f=$((f + 1))
    [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
    total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
    grep -E '^[a-z-]+/[A-Za-z_]+ +[0-9]+ passed, [1-9][0-9]* failed$' "$log" | sed 's/^/    /' || true
    grep '^check-fresh: FAILED' "$log" || true
    this="check-fresh (/tmp on $kind, ${secs}s): make test: ${line:-no summary line}; make run: $run_ok"
    echo "$this"
    summary="$summary$this
"
done
printf '%s' "$summary"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
