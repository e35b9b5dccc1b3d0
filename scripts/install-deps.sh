#!/bin/sh
# Install the Debian packages heaptag needs to build, test, benchmark and
# validate.  Idempotent: packages already installed are not fetched again,
# and apt-get update runs only when something is missing.  When not root it
# prints the exact command to run instead and exits 1.
set -eu

PACKAGES="gcc g++ make pkg-config libc6-dev libdw-dev \
libunwind-dev libcmocka-dev libssl-dev libjansson-dev zlib1g-dev \
libcurl4-openssl-dev libjemalloc2 \
valgrind heaptrack binutils \
clang libclang-rt-14-dev \
nginx python3 python3-httpbin python3-werkzeug curl openssl ca-certificates \
chromium \
git perl gawk sed grep findutils tar gzip xz-utils sqlite3 cmake bash procps time"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all $(echo $PACKAGES | wc -w) packages present"
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
