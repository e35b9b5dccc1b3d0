#!/bin/sh
# Install the Debian packages heaptag needs to build, test, benchmark and validate.
#
# Idempotent: packages already installed are not fetched again, and apt-get update runs
# only when something is missing.  When not root it prints the exact command to run instead
# and exits 1.  With --quiet it prints nothing when everything is present (the Makefile's
# deps stamp runs it that way before the first build, so a fresh machine needs no step by
# hand).
set -eu
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1

PACKAGES="gcc g++ make pkg-config libc6-dev libdw-dev \
libunwind-dev libcmocka-dev libssl-dev libjansson-dev zlib1g-dev \
libcurl4-openssl-dev libjemalloc2 libgoogle-perftools4 \
valgrind heaptrack binutils \
clang libclang-rt-14-dev clang-format universal-ctags \
nginx python3 python3-httpbin python3-werkzeug curl openssl ca-certificates \
chromium \
git perl gawk sed grep findutils tar gzip xz-utils sqlite3 cmake bash procps time \
strace mawk \
python3.11-dbg libc6-dbg \
python3-dev gdb golang-go"

# One dpkg-query for all packages: the check is cheap when all are there.
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $PACKAGES 2>/dev/null |
            awk '$NF == "installed" { print $1 }' | sed 's/:.*//')
missing=""
for p in $PACKAGES; do
    case " $(echo $installed) " in
        *" $p "*) ;;
        *) missing="$missing $p" ;;
    esac
done

if [ -z "$missing" ]; then
    [ $quiet = 1 ] || echo "install-deps: all $(echo $PACKAGES | wc -w) packages present"
    exit 0
fi

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: not root; run as root:" >&2
    echo "  apt-get update && $cmd" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done"
