#!/bin/sh
# fake_libfuzzer.sh -- stands in for a libFuzzer target of the fault suite
# (installed as fuzz_<scenario>_<variant> links to this script), so that
# `chanfuzz fuzz`'s handling of libFuzzer's artifacts is tested in every
# build, libFuzzer or not. It keeps libFuzzer's contract as chanfuzz fuzz
# uses it: artifacts named crash-, timeout-, leak- and oom- under
# -artifact_prefix, "#N" progress lines, -merge=1 runs. Which artifact a
# target leaves is what a real run over that fault would leave. Every
# command line is appended to $FAKE_LIBFUZZER_ARGS.
set -eu
name=$(basename "$0")
echo "$name $*" >>"${FAKE_LIBFUZZER_ARGS:-/dev/null}"
prefix=
for arg in "$@"; do
    case $arg in
    -merge=1) exit 0 ;;
    -artifact_prefix=*) prefix=${arg#-artifact_prefix=} ;;
    esac
done
[ -n "$prefix" ] || { echo "$name: no -artifact_prefix" >&2; exit 2; }
artifact() { printf '\001\002\003\004' >"$prefix$1"; }
case $name in
fuzz_fault_null_write_buggy) artifact crash-0001 ;;
fuzz_fault_abort_buggy) artifact crash-0002 ;;
fuzz_fault_spin_buggy) artifact timeout-0003 ;;
fuzz_fault_memory_buggy) artifact oom-0004 ;;
fuzz_fault_control_buggy) artifact crash-0005 ;;
fuzz_fault_control_fixed) artifact leak-0006 ;;
esac
echo "#100	DONE   cov: 1 ft: 1 corp: 1/1b exec/s: 100 rss: 1Mb"
