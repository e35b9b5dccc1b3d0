# Shared by the sampling tests: the common opening, go (golang-go) for
# reading pprof profiles, and a loopback hc-serve for the client scenes.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-test.sh"
need_tracker_and_python
LIB=$BUILD/lib/libheaptag.so
SYNTH=$BUILD/tests/sampling/synth
SCENE=$BUILD/validate/dict/hc-scene
export HOME=$tmp # go tool pprof keeps state under $HOME
need_go() { command -v go >/dev/null || { echo "skip: no go (golang-go)"; exit 77; }; }
# start_server: HCSERVE_PORT of a loopback hc-serve, stopped on exit.
start_server() {
	[ -x "$SCENE" ] || { echo "no $SCENE; run make first"; exit 1; }
	"$top/tests/fixtures/start-hc-serve.sh" "$tmp/hcs" >/dev/null || exit 1
	. "$tmp/hcs/env"
	trap '"$top/tests/fixtures/start-hc-serve.sh" --stop "$tmp/hcs" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
	URL=http://127.0.0.1:$HCSERVE_PORT/bytes/128
}
