#!/usr/bin/env bash
# Start-up time of `--tree` (the whole task graph), measured side by side in one run:
#   ./build.sh --tree                          the way users run it (reuses the compiled host)
#   dotnet run --project build -- --tree       the usual way to run a Frosting build
#   dotnet artifacts/host/Build.dll --tree     the compiled host alone (the floor)
# Runs are interleaved so machine noise hits all three alike; medians and ratios
# are printed, written to bench/results/startup.md and, with --update-readme,
# into README.md between the bench:startup markers.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-15}"

./build.sh --tree >/dev/null                       # compile the host once
dotnet build build/Build.csproj -v quiet >/dev/null # and dotnet run's own build

ms() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

script="" run="" direct=""
for _ in $(seq "$runs"); do
  script+="$(ms ./build.sh --tree)"$'\n'
  run+="$(ms dotnet run --no-launch-profile --project build -- --tree)"$'\n'
  direct+="$(ms dotnet artifacts/host/Build.dll --tree)"$'\n'
done

s=$(median <<<"${script%$'\n'}")
r=$(median <<<"${run%$'\n'}")
d=$(median <<<"${direct%$'\n'}")
ratio=$(awk -v r="$r" -v s="$s" 'BEGIN { printf "%.1f", r / s }')
tasks=$(dotnet artifacts/host/Build.dll --description 2>/dev/null | grep -cE '^  [A-Z][A-Za-z0-9]+ ' || true)

table="| command (\`--tree\` of all $tasks tasks, median of $runs) | ms |
|---|---|
| \`./build.sh --tree\` (warm) | $s |
| \`dotnet run --project build -- --tree\` (warm) | $r |
| \`dotnet artifacts/host/Build.dll --tree\` (floor) | $d |

\`build.sh\` starts ${ratio}x faster than \`dotnet run\` (goal: a warm \`./build.sh --tree\` at 500 ms or less).
Measured $(date -u +%Y-%m-%d) on $(nproc) cores."

mkdir -p bench/results
printf '# Start-up\n\n%s\n' "$table" >bench/results/startup.md
echo "$table"

if [[ "${1:-}" == "--update-readme" ]]; then
  python3 - "$table" <<'PY'
import re, sys
text = open("README.md").read()
block = "<!-- bench:startup -->\n" + sys.argv[1] + "\n<!-- /bench:startup -->"
open("README.md", "w").write(re.sub(r"<!-- bench:startup -->.*?<!-- /bench:startup -->", lambda _: block, text, flags=re.S))
PY
fi
