# Shared by the rule-pack tests: the common opening (tests/lib/cli-test.sh),
# the packs, and figures.py / site_functions.py (run by Debian's python3).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/cli-test.sh"
need_tracker_and_python
PACKS=$top/profiler/rules
FIG="$PY $here/figures.py"
SITES="$PY $here/site_functions.py"
