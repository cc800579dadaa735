#!/usr/bin/env bash
# Every test: install, build (normal + ASan/UBSan), then run ctest for both builds inside a private
# pcscd with the vpcd virtual reader. Exits non-zero if anything fails.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=$(nproc)

"$here/scripts/setup.sh" "$here/build"
"$here/scripts/setup.sh" "$here/build-asan" -DSETPAY_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for b in build build-asan; do
  echo "== ctest ($b)"
  "$here/scripts/with-virtual-pcsc.sh" ctest --test-dir "$here/$b" --output-on-failure -j "$jobs" || status=1
done
exit $status
