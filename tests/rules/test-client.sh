#!/bin/bash
# The client pack (profiler/rules/hc-client.rules) reproduces the client's own tagging.
#
# The client pack (profiler/rules/hc-client.rules) reproduces the client's
# own tagging: hc-load built with tagging (build/<mode>/bin/hc-load) and
# without it (-DHEAPTAG_DISABLE, build/rules-untagged/<mode>/bin/hc-load)
# under the pack make the same requests to hc-serve, and every type's
# figures — alloc calls, requested bytes, live and peak bytes, live blocks —
# must be equal, payload types included.  One connection (-c 1): the same
# requests in the same order, so even the peaks are deterministic.
. "$(dirname "$0")/lib.sh"
RULES=$PACKS/hc-client.rules
MODES=${MODES:-dict slots allslots}
"$top/tests/fixtures/start-hc-serve.sh" "$tmp/server" >/dev/null ||
	{ echo "cannot start hc-serve"; exit 1; }
trap '"$top/tests/fixtures/start-hc-serve.sh" --stop "$tmp/server" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
. "$tmp/server/env"
url=http://127.0.0.1:$HCSERVE_PORT/bytes/300

compare() { # compare NAME A.json B.json: every type's figures, line by line
	$PY - "$2" "$3" <<'PY' >"$tmp/cmp"
import json, sys
keys = ("alloc_calls", "bytes_requested", "live_bytes", "peak_live_bytes", "live_blocks")
def types(path):
    return {t["name"]: t for t in json.load(open(path))["types"]}
a, b = types(sys.argv[1]), types(sys.argv[2])
for name in sorted(set(a) | set(b)):
    ta, tb = a.get(name, {}), b.get(name, {})
    print(name, " ".join("%s=%s/%s" % (k, ta.get(k, 0), tb.get(k, 0)) for k in keys),
          "same" if all(ta.get(k, 0) == tb.get(k, 0) for k in keys) else "DIFFERENT")
PY
	cat "$tmp/cmp"
	grep -q DIFFERENT "$tmp/cmp" && fail "$1: per-type figures differ (tagged/rules)"
	grep -q '^Response.payload .*same' "$tmp/cmp" || fail "$1: no Response.payload type"
}

for m in $MODES; do
	tagged=$BUILD/$m/bin/hc-load untagged=$BUILD/rules-untagged/$m/bin/hc-load
	[ -x "$tagged" ] && [ -x "$untagged" ] || { fail "$m: hc-load builds missing"; continue; }
	run "$HT" run -q -o "$tmp/$m-tagged.json" -- "$tagged" -n 50 -c 1 --keep "$url"
	expect_rc 0 "$m: tagged hc-load"
	run "$HT" run -q --rules "$RULES" -o "$tmp/$m-rules.json" -- "$untagged" -n 50 -c 1 --keep "$url"
	expect_rc 0 "$m: untagged hc-load under the client pack"
	echo "== $m (tagged/rules)"
	compare "$m" "$tmp/$m-tagged.json" "$tmp/$m-rules.json"
done
finish
