#!/usr/bin/env bash
# The whole test suite: installs what is missing, then builds and runs every
# test under the default preset (gcc, debug, invariant checks) and under the
# asan preset (clang, ASan+UBSan, LSan, checks).
#   scripts/test.sh [--slow] [PRESET...]     (default: default asan)
# --slow adds the tests labelled "slow" (the local ClusterFuzzLite build,
# a from-scratch build of every fuzz target: minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

skip_slow=(-LE slow)
if [ "${1:-}" = --slow ]; then skip_slow=(); shift; fi
presets=("$@")
if [ ${#presets[@]} -eq 0 ]; then presets=(default asan); fi
jobs=$(nproc)
for preset in "${presets[@]}"; do
    echo "== $preset: configure and build"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    echo "== $preset: test"
    ctest --preset "$preset" -j "$jobs" "${skip_slow[@]}"
done
