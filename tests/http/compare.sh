# hc-versus-curl comparison helpers (sourced after lib.sh).
#
# hc takes curl's options for what these tests use (-i, -I, -L, -d, -X,
# -H, -k, --cacert, --compressed) and prints what curl prints: the body,
# or with -i/-I the status line and headers as received, then the body.
# Every comparison runs curl once and hc once per mode in $MODES.

HC_TIMEOUT=20

# need_hc: skip unless build/<mode>/bin/hc exists for every mode asked for.
need_hc() {
    local m missing=""
    for m in $MODES; do
        [ -x "$BUILD/$m/bin/hc" ] || missing="$missing $m"
    done
    [ -z "$missing" ] || skip "hc not built for mode(s):$missing"
}

# How two outputs are compared:
#   body  byte for byte
#   head  with CRs removed and Date/Server-time lines dropped (nginx, httpbin)
#   echo  a JSON echo (hc-serve /echo, httpbin /anything) minus the headers
#         that legitimately differ between clients (User-Agent, Accept, ...)
#   fail  only that both failed (non-zero exit)
normalize() {
    case $1 in
    head) tr -d '\r' | grep -v -i '^date:' ;;
    echo) "$PY" -c '
import json, sys
d = json.load(sys.stdin)
keep = {"content-type", "content-length", "host", "x-test"}
h = d.get("headers")
if isinstance(h, list):
    h = [[k, v] for k, v in h if k.lower() in keep]
elif isinstance(h, dict):
    h = {k: v for k, v in h.items() if k.lower() in keep}
d["headers"] = h
print(json.dumps(d, sort_keys=True))' ;;
    *) cat ;;
    esac
}

# compare NAME KIND [args...]: same args to curl -s and to hc.
compare() {
    local name=$1 kind=$2
    shift 2
    curl -s "$@" >"$WORK/c.out" 2>"$WORK/c.err"
    local crc=$? m hrc
    for m in $MODES; do
        timeout "$HC_TIMEOUT" "$BUILD/$m/bin/hc" "$@" >"$WORK/h.out" 2>"$WORK/h.err"
        hrc=$?
        if [ "$kind" = fail ]; then
            if [ $crc -ne 0 ] && [ $hrc -ne 0 ] && [ $hrc -ne 124 ]; then
                pass "[$m] $name: both fail (curl $crc, hc $hrc: $(head -n 1 "$WORK/h.err"))"
            else
                fail "[$m] $name: curl exit $crc, hc exit $hrc (124 = hung)"
            fi
            continue
        fi
        if [ $crc -ne 0 ] || [ $hrc -ne 0 ]; then
            fail "[$m] $name: curl exit $crc, hc exit $hrc: $(head -n 1 "$WORK/h.err")"
            continue
        fi
        normalize "$kind" <"$WORK/c.out" >"$WORK/c.norm"
        normalize "$kind" <"$WORK/h.out" >"$WORK/h.norm"
        check_files "[$m] $name" "$WORK/c.norm" "$WORK/h.norm"
    done
}
