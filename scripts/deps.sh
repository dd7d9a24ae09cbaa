#!/usr/bin/env bash
# Installs what chanfuzz needs and a fresh machine of this kind lacks.
# Idempotent: does nothing when everything is there.
set -euo pipefail

missing=()
pkg-config --exists criterion 2>/dev/null || missing+=(libcriterion-dev)
pkg-config --exists libcjson 2>/dev/null || missing+=(libcjson-dev)
command -v cmake >/dev/null || missing+=(cmake)
command -v ninja >/dev/null || missing+=(ninja-build)
command -v clang >/dev/null || missing+=(clang)
command -v pkg-config >/dev/null || missing+=(pkg-config)
# For the tests: the AArch64 switch is checked under qemu-user.
command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
# The ClusterFuzzLite build zips seed corpora; its test unzips them.
command -v zip >/dev/null || missing+=(zip)
command -v unzip >/dev/null || missing+=(unzip)
# chanfuzz diff compares the model with Go (Debian's Go 1.19).
command -v go >/dev/null || missing+=(golang-go)
# chanfuzz go (gofront/): go/packages and go/ssa, and goleak for the real-Go
# side of the Go twins.
[ -d /usr/share/gocode/src/golang.org/x/tools/go/ssa ] || missing+=(golang-golang-x-tools-dev)
[ -d /usr/share/gocode/src/go.uber.org/goleak ] || missing+=(golang-uber-goleak-dev)
command -v python3 >/dev/null || missing+=(python3)
# bench/run.sh draws its plots with gnuplot (the no-X11 build); it and its
# test (bench/test_run_table.sh) read chanfuzz's JSON with jq.
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
command -v jq >/dev/null || missing+=(jq)
# The HTML report is checked in a real browser (tests/report/): Debian's
# headless Chromium.
command -v chromium >/dev/null || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "chanfuzz: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
