#!/bin/sh
# How many compose services of a tree sessionlint recognises (as an app, a
# datastore or a proxy), from `check --show-services`.
#   scripts/recognition.sh BIN DIR
# prints "recognised of total compose services (percent)" and, after it,
# the app profiles that recognised them, most first.
set -eu
bin=${1:?usage: scripts/recognition.sh BIN DIR}
dir=${2:?usage: scripts/recognition.sh BIN DIR}
out=$("$bin" check --no-config --show-services "$dir")
printf '%s\n' "$out" | awk '
  / compose service / { total++; if ($1 != "-") { known++; apps[$1]++ } }
  END {
    printf "%d of %d compose services recognised (%.1f%%)\n", known, total, total ? 100 * known / total : 0
    for (a in apps) printf "%6d %s\n", apps[a], a | "sort -rn"
  }'
