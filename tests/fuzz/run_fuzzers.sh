#!/bin/sh
# Runs each libFuzzer target for a while, one after another, at low priority
# (the machine may be shared), and prints executions, coverage and crashes.
#   cmake --preset fuzz && cmake --build --preset fuzz -j2
#   sh tests/fuzz/run_fuzzers.sh build/fuzz 240 [target ...]
# The growing corpus lives in BUILD_DIR/fuzz-work/<target> (not in git);
# crash inputs land in BUILD_DIR/fuzz-work/artifacts/. Minimise a crash with
# `fuzz_<target> -minimize_crash=1 -runs=10000 <file>`, add it to
# tests/fuzz/corpus/<target>/ as crash_<what>, and fix the bug.
set -u
build=${1:?build dir}
seconds=${2:-240}
shift 2 || shift $#
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-$(sed -n '/^set(CASELOAD_FUZZ_TARGETS/,/^)/p' "$here/CMakeLists.txt" | sed '1d;$d')}
work="$build/fuzz-work"
mkdir -p "$work/artifacts" "$work/logs"
status=0
for t in $targets; do
  mkdir -p "$work/$t"
  max_len=8192
  [ "$t" = scheme_json ] && max_len=65536
  nice -n 19 "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len="$max_len" -timeout=20 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/$t-" \
    "$work/$t" "$here/corpus/$t" >"$work/logs/$t.log" 2>&1 || status=1
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/logs/$t.log")
  last=$(grep -E '^#[0-9]+' "$work/logs/$t.log" | tail -1 | sed 's/^\(#[0-9]*\)[^c]*\(cov: [0-9]*\) \(ft: [0-9]*\) \(corp: [^ ]*\).*/\1 \2 \3 \4/')
  crashes=$(ls "$work/artifacts" | grep -c "^$t-" || true)
  echo "$t: execs=${execs:-?} $last crashes=$crashes"
done
exit $status
