#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks (idempotent: apt runs only when a package is
# missing) and builds setpay into build/ (or the folder given as $1, with extra CMake args after).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  g++ clang cmake ninja-build pkg-config git ca-certificates
  libssl-dev openssl                      # crypto, X.509, ASN.1 templates, SET OIDs
  libxml2-dev libxml2-utils               # XML vectors and envelopes; xmllint
  libgtest-dev libgmock-dev               # tests
  libclang-rt-14-dev                      # libFuzzer and sanitizer runtimes for clang
  pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools      # real PC/SC stack with the virtual reader
  vsmartcard-vpicc python3-virtualsmartcard python3-pycryptodome  # vicc: a card we did not write
  iproute2 procps                         # ss / pkill used by the test scripts
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build=${1:-$here/build}; shift || true
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
fi
cmake --build "$build" --parallel "$(nproc)"
