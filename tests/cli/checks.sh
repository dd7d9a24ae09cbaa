# checks.sh -- what the command-line test scripts share (test_cli.sh,
# test_robust.sh, tests/faults/test_faults.sh): sourced after they set
# CASE and cd into their scratch folder.

fail() { echo "FAIL [$CASE]: $*" >&2; exit 1; }

# expect_status WANT CMD...: runs CMD, stdout to out.txt, stderr to err.txt.
expect_status() {
    want_status=$1; shift
    set +e
    "$@" >out.txt 2>err.txt
    got=$?
    set -e
    [ "$got" -eq "$want_status" ] || { cat out.txt err.txt >&2; fail "'$*' exited $got, not $want_status"; }
}

# usage_error NEEDLE CMD...: exit 2, exactly one line on stderr, naming NEEDLE.
usage_error() {
    needle=$1; shift
    expect_status 2 "$@"
    [ "$(wc -l <err.txt)" -eq 1 ] || { cat err.txt >&2; fail "'$*': not one line on stderr"; }
    grep -qF -- "$needle" err.txt || { cat err.txt >&2; fail "'$*': stderr does not name '$needle'"; }
}
