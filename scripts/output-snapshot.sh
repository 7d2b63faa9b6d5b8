#!/usr/bin/env bash
# Writes the JSON output of `check` and `sessions` on every fixture and on
# the shared corpora into OUT, one file per input, so that two builds can be
# compared with `diff -r`:
#   scripts/output-snapshot.sh target/release/sessionlint /tmp/before
set -uo pipefail
bin=${1:?usage: output-snapshot.sh BINARY OUT}
out=${2:?usage: output-snapshot.sh BINARY OUT}
cd "$(dirname "$0")/.."
mkdir -p "$out"
targets=(fixtures/*/ fixtures/reports/*/ examples/*/)
for d in ../shared/corpus ../shared/corpus-apps; do
  [ -d "$d" ] && targets+=("$d")
done
for t in "${targets[@]}"; do
  [ -d "$t" ] || continue
  name=$(echo "${t%/}" | tr '/.' '__')
  "$bin" check --format json "$t" >"$out/$name.check.json" 2>"$out/$name.check.err"
  echo "exit $?" >>"$out/$name.check.err"
  "$bin" sessions --format json "$t" >"$out/$name.sessions.json" 2>"$out/$name.sessions.err"
  echo "exit $?" >>"$out/$name.sessions.err"
done
echo "wrote $(ls "$out" | wc -l) files to $out"
