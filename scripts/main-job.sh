#!/usr/bin/env bash
# The main job: builds chanfuzz (release preset) and explores every demo
# pattern for a short default budget, then prints the findings table.
#   scripts/main-job.sh [--executions N] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target chanfuzz-demo >/dev/null
exec build/release/harness/chanfuzz-demo "$@"
