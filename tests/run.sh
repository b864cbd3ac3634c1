#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed, N skipped".
# (CI reads that line, not dotnet test's own summary.) Exit code 0 only when
# everything built and no test failed.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# No Terraform registry here: use the machine's provider mirror when there is one.
# shellcheck source=tests/terraform-mirror.sh
source "$root/tests/terraform-mirror.sh"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet test Platform.slnx --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  count() { sed -n "s/.* $1=\"\\([0-9]*\\)\".*/\\1/p" <<<"$counters"; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  # Skipped tests are in total but not executed (the TRX logger leaves notExecuted at 0).
  skipped=$((skipped + $(count total) - $(count executed)))
done

if [[ $files -eq 0 ]]; then
  echo "tests/run.sh: no test results were written (did the build fail? see above)"
  failed=$((failed + 1))
fi
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  echo "tests/run.sh: dotnet test exited with $status"
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
