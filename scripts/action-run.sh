#!/usr/bin/env bash
# The run step of the GitHub Action (action.yml): writes SARIF, prints
# annotations, and records the exit code as a step output.
set -uo pipefail

paths=${INPUT_PATHS:-.}
fail_on=${INPUT_FAIL_ON:-warning}
sarif=${INPUT_SARIF_FILE:-sessionlint.sarif}
args=()
if [ -n "${INPUT_CONFIG:-}" ]; then
  args+=(--config "$INPUT_CONFIG")
fi
if [ -n "${INPUT_BASELINE:-}" ]; then
  args+=(--baseline "$INPUT_BASELINE")
fi
read -r -a path_list <<< "$paths"

cd "${GITHUB_WORKSPACE:-.}" || exit 2

# SARIF for code scanning (the exit code of this run is the one that counts)
sessionlint check "${args[@]}" --fail-on "$fail_on" --format sarif --output "$sarif" "${path_list[@]}"
code=$?
# annotations on the pull request
if [ "$code" -ne 2 ]; then
  sessionlint check "${args[@]}" --fail-on never --format "${INPUT_FORMAT:-github}" "${path_list[@]}"
fi

echo "exit-code=$code" >> "${GITHUB_OUTPUT:-/dev/null}"
echo "sarif-file=$sarif" >> "${GITHUB_OUTPUT:-/dev/null}"
# a tool failure (2) fails the step at once; findings fail the last step
if [ "$code" -eq 2 ]; then
  exit 2
fi
exit 0
