#!/bin/sh
# test_report.sh CHANFUZZ CASE -- the HTML report as a user gets it
# (harness/report/README.md, "HTML"): from `chanfuzz run
# timeout_unbuffered_result --html`, a catalogue scenario whose buggy
# variant leaks a blocked sender. One CTest test per CASE
# (tests/report/CMakeLists.txt):
#   page     the page as written: well-formed, no URL, the table row, the
#            sender's lane ending at its send, the channel only the leaked
#            goroutine holds; the same from `chanfuzz report` of the run's
#            JSON and of its output folder; a bad input is one line, exit 2
#   browser  the same checks on what headless Chromium made of it
#            (--dump-dom), and a --screenshot that is not blank; exit 77
#            (skipped) only when no Chromium is installed
set -eu
CHANFUZZ=$1
CASE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chanfuzz-report.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }
check() { python3 "$HERE/check_report.py" "$@" || fail "check_report.py $*"; }

status=0
"$CHANFUZZ" run timeout_unbuffered_result --html report.html --json >run.json 2>run.err || status=$?
[ "$status" -eq 0 ] || { cat run.err >&2; fail "chanfuzz run exited $status"; }

case $CASE in
page)
    check page report.html run.json
    "$CHANFUZZ" report run.json -o from-json.html 2>err.txt || fail "report run.json: $(cat err.txt)"
    check page from-json.html run.json
    "$CHANFUZZ" report chanfuzz-out -o from-dir.html 2>err.txt || fail "report chanfuzz-out: $(cat err.txt)"
    check page from-dir.html
    "$CHANFUZZ" replay chanfuzz-out/timeout_unbuffered_result/buggy/*.trace \
        --html from-replay.html >/dev/null 2>&1 && fail "replay of a finding exited 0"
    check page from-replay.html
    printf '{"format":"chanfuzz.finding/1"}\nnot json\n' >bad.json
    set +e
    "$CHANFUZZ" report bad.json -o bad.html 2>err.txt
    status=$?
    set -e
    [ "$status" -eq 2 ] || fail "report of a bad file exited $status, not 2"
    [ "$(wc -l <err.txt)" -eq 1 ] && grep -q 'bad.json:2:1: not a JSON object' err.txt ||
        { cat err.txt >&2; fail "no one-line error naming bad.json:2:1"; }
    ;;
browser)
    # CHANFUZZ_CHROMIUM names another browser binary (or, naming none,
    # shows the skip).
    BROWSER=
    for candidate in ${CHANFUZZ_CHROMIUM:-chromium chromium-browser google-chrome}; do
        if command -v "$candidate" >/dev/null 2>&1; then BROWSER=$(command -v "$candidate"); break; fi
    done
    if [ -z "$BROWSER" ]; then
        echo "SKIP [$CASE]: no Chromium installed (scripts/deps.sh installs Debian's chromium)"
        exit 77
    fi
    # Its own profile: parallel tests do not share one.
    run_browser() {
        timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars \
            --user-data-dir="$WORK/profile" --window-size=1280,1500 "$@" \
            "file://$WORK/report.html" 2>>browser.err
    }
    run_browser --dump-dom >dom.html || { cat browser.err >&2; fail "chromium --dump-dom failed"; }
    check dom dom.html run.json
    run_browser --screenshot="$WORK/shot.png" >/dev/null ||
        { cat browser.err >&2; fail "chromium --screenshot failed"; }
    [ -s shot.png ] || fail "no screenshot written"
    check png shot.png
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "PASS [$CASE]"
