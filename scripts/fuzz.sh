#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [TARGET…]: build the libFuzzer targets into build-fuzz (clang, ASan+UBSan,
# -DSETPAY_FUZZ=ON -DSETPAY_WERROR=ON), write seed corpora from vectors/messages, then run each target
# for SECONDS (default 60), one at a time, and report execs/s and any crash, leak or timeout.
# TARGET: a name like MessageWrapper or WakeUp (default: all). Not part of the test command.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
secs=${1:-60}
shift || true
build=$here/build-fuzz
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DSETPAY_FUZZ=ON -DSETPAY_WERROR=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$sanitize" >/dev/null
ninja -C "$build" -j2 fuzz_all

seeds=$build/fuzz-seeds
rm -rf "$seeds"
SETPAY_SOURCE_DIR=$here "$build/fuzz/setpay-fuzz-seeds" "$seeds"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in "$build"/fuzz/fuzz_*; do targets+=("$(basename "$f" | sed 's/^fuzz_//')"); done
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$build/fuzz-logs" "$build/fuzz-artifacts"
status=0
printf '%-16s %10s %10s %s\n' target execs execs/s result
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  mkdir -p "$corpus"
  log=$build/fuzz-logs/$t.log
  set +e
  "$build/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$t-" "$corpus" "$seeds/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  result=ok
  if [ $rc -ne 0 ]; then
    status=1
    result="FAILED rc=$rc: $(grep -m1 -oE 'ERROR: [A-Za-z]+Sanitizer: [a-z-]+|ERROR: libFuzzer: [a-z -]+|runtime error: .*|ALARM: .*' "$log" || echo see "$log")"
  fi
  printf '%-16s %10s %10s %s\n' "$t" "${execs:-?}" "${rate:-?}" "$result"
done
exit $status
