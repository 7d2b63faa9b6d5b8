#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 600), one after another,
# logging to fuzz/logs/<target>.log. Stable Rust: RUSTC_BOOTSTRAP=1, no sanitizer.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
secs="${1:-600}"
mkdir -p "$here/logs"
cd "$here"
for t in $(RUSTC_BOOTSTRAP=1 cargo fuzz list); do
  start=$(date +%s)
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" -s none -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    > "logs/$t.log" 2>&1
  rc=$?
  echo "$t: exit $rc after $(( $(date +%s) - start )) s" | tee -a logs/summary.txt
done
