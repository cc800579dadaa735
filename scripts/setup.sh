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
  iproute2 procps                         # ss / ps used by the test scripts
  # Services (runtime/): Boost 1.81 for Asio/Beast + Boost.JSON + Boost.URL (1.74, Debian's default,
  # has neither JSON nor URL). Versioned names only: libboost1.81-dev conflicts with libboost1.74-dev.
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libtomlplusplus-dev                     # service configuration files (TOML)
  prometheus-cpp-dev                      # /metrics (only the core library is linked)
  libsqlite3-dev sqlite3                  # durable state of every service
  libcli11-dev                            # the `setpay` command line
  freeradius-utils                        # radclient: RADIUS accounting into the gateway-proxy redirector (tests)
  curl                                    # the handsets' browser through the gateway-proxy (tests)
  chromium chromium-driver python3-selenium  # a real browser behind the gateway-proxy: headless, Selenium (tests)
  desktop-file-utils shared-mime-info     # desktop-file-validate, update-mime-database: deploy/desktop/ (tests)
  libspdlog-dev libfmt-dev                # service logs (runtime/log.cpp: one scrubbing sink for every line)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  # Boost 1.74's dev package (Debian's default) blocks 1.81's; say so instead of failing in apt.
  if [[ " ${missing[*]} " == *" libboost1.81-dev "* ]] &&
     dpkg-query -W -f='${Status}' libboost1.74-dev 2>/dev/null | grep -q "install ok installed"; then
    echo "setup: libboost1.74-dev is installed and conflicts with libboost1.81-dev, which setpay needs" >&2
    echo "setup: apt will replace it (1.74 runtime libraries stay); packages depending on it are listed below" >&2
    apt-cache rdepends --installed libboost1.74-dev 2>/dev/null | sed 's/^/setup:   /' >&2 || true
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build=${1:-$here/build}; shift || true
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
fi
cmake --build "$build" --parallel "$(nproc)"
