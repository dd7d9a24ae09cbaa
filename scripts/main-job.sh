#!/usr/bin/env bash
# The main job: builds chanfuzz and its libFuzzer targets (fuzz preset:
# clang, libFuzzer, ASan+UBSan, invariant checks), explores every scenario
# in the model for its default budget (`chanfuzz run all`), then fuzzes
# every scenario variant with libFuzzer for a short budget in all
# (`chanfuzz fuzz all`), and prints the findings tables.
#   scripts/main-job.sh [--time S]      (libFuzzer budget in all; default 60)
# Exit status: 0 when every buggy variant was found and every fixed one
# stayed clean in the model run, and the fuzz run found nothing unexpected.
set -euo pipefail
cd "$(dirname "$0")/.."
time=60
while [ $# -gt 0 ]; do
    case "$1" in
        --time) time=${2:?--time needs seconds}; shift 2 ;;
        *) echo "usage: scripts/main-job.sh [--time S]" >&2; exit 2 ;;
    esac
done
scripts/deps.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target chanfuzz fuzz-targets >/dev/null
chanfuzz=build/fuzz/harness/cli/chanfuzz
echo "== chanfuzz run all: the model, every scenario variant, its default budget"
status=0
"$chanfuzz" run all --out build/fuzz/main-job/run || status=1
echo
echo "== chanfuzz fuzz all --time $time: libFuzzer on every variant"
# On a copy of the seed corpus: a run must not change the clone's corpus/
# (`chanfuzz fuzz` merges new inputs and findings into what it is given).
work=build/fuzz/main-job
rm -rf "$work/corpus" "$work/regressions"
mkdir -p "$work/corpus" "$work/regressions"
cp -r corpus/fuzz_* "$work/corpus/"
"$chanfuzz" fuzz all --time "$time" --out "$work/fuzz" --corpus "$work/corpus" \
    --regressions "$work/regressions" || status=1
exit $status
