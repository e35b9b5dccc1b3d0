# Shared by the run page tests: the common opening and headless Chromium.
#
# That is tests/lib/cli-test.sh, the stacks test programs, and Chromium
# with the flags that keep it off the network and out of the user's
# profile.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-test.sh"
need_tracker_and_python
PROGS=$BUILD/tests/stacks
DOM="$PY $here/dom.py"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "skip: no $CHROMIUM (scripts/install-deps.sh installs chromium)"; exit 77; }

# chromium_dom PAGE FRAGMENT OUT: the DOM after the page's script ran (to
# OUT), Chromium's log to OUT.log.  A fresh profile each time.
chromium_dom() {
	local profile
	profile=$(mktemp -d "$tmp/profile.XXXXXX")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 \
		--dump-dom "file://$1$2" >"$3" 2>"$3.log"
	rm -rf "$profile"
	[ -s "$3" ] || fail "chromium: no DOM for $(basename "$1")$2: $(tail -3 "$3.log")"
}

chromium_png() {
	local profile
	profile=$(mktemp -d "$tmp/profile.XXXXXX")
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 --hide-scrollbars \
		--window-size="$3" --screenshot="$4" "file://$1$2" >/dev/null 2>"$4.log"
	rm -rf "$profile"
	[ -s "$4" ] || fail "chromium: no screenshot of $(basename "$1")$2"
}

# no_script_errors LOG WHAT: the page logs nothing itself, so any console
# line (an uncaught exception, a failed parse) is an error.
no_script_errors() {
	if grep -q 'CONSOLE' "$1"; then
		fail "$2: script errors in Chromium's log:"
		grep 'CONSOLE' "$1" | head -5
	fi
	return 0
}
