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
failed=()
for b in build build-asan; do
  echo "== ctest ($b)"
  if ! "$here/scripts/with-virtual-pcsc.sh" ctest --test-dir "$here/$b" --output-on-failure -j "$jobs"; then
    status=1
    failed+=("$b")
  fi
done
# CI shows only the end of this output: repeat which tests failed, and the end of each one's output, here.
for b in "${failed[@]}"; do
  log="$here/$b/Testing/Temporary/LastTestsFailed.log"
  echo "== FAILED in $b:"
  [[ -f "$log" ]] && cat "$log"
  while IFS=: read -r _ name; do
    [[ -n "$name" ]] || continue
    echo "---- $name (end of its output)"
    awk -v name="$name" 'index($0, " Test: ") && substr($0, index($0, " Test: ") + 7) == name { on = 1 }
                         on { print } on && /^Test time/ { exit }' \
      "$here/$b/Testing/Temporary/LastTest.log" | tail -40
  done < <([[ -f "$log" ]] && cat "$log")
done
exit $status
