#!/usr/bin/env bash
# The Terraform part of Validate (Tasks 1.1-1.5: fmt, init, validate, terraform
# test, offline plans of dev and prod and their checks) through the build,
# against the same Terraform commands run one after another by a plain script,
# side by side, cold (fresh copies, fresh init) and warm (the build's cached init).
# Writes bench/results/terraform.md with the medians, the ratio and the steps
# that dominate (timed in the plain script); --update-readme also fills README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-3}"
# shellcheck source=tests/terraform-mirror.sh
source tests/terraform-mirror.sh >/dev/null
# shellcheck source=bench/lib.sh
source bench/lib.sh
./build.sh --version >/dev/null # compile the host outside the timings


build() { ./build.sh --target=CreateDevelopmentEnvironment >/dev/null 2>&1 || true; }

build # warm the workspace once (and create the override file the plain script copies)
cold_build="" warm_build="" cold_plain=""
for _ in $(seq "$runs"); do
  rm -rf artifacts/terraform/workspace
  start=$(ms); build; cold_build+="$(($(ms) - start))"$'\n'
  start=$(ms); build; warm_build+="$(($(ms) - start))"$'\n'
  start=$(ms); plain_terraform; cold_plain+="$(($(ms) - start))"$'\n'
done

cb=$(median <<<"${cold_build%$'\n'}")
wb=$(median <<<"${warm_build%$'\n'}")
cp_=$(median <<<"${cold_plain%$'\n'}")
ratio=$(awk -v b="$cb" -v p="$cp_" 'BEGIN { printf "%.2f", b / p }')
steps="$(for name in "${!step_total[@]}"; do echo "${step_total[$name]} $name"; done | sort -rn |
  awk -v runs="$runs" '{ printf "| %s | %d |\n", $2, $1 / runs }')"

table="| run (median of $runs) | s |
|---|---|
| \`./build.sh --target=CreateDevelopmentEnvironment\`, cold (fresh workspace) | $(awk -v v="$cb" 'BEGIN { printf "%.1f", v / 1000 }') |
| the same, warm (init cached) | $(awk -v v="$wb" 'BEGIN { printf "%.1f", v / 1000 }') |
| plain script, same Terraform commands one after another, cold | $(awk -v v="$cp_" 'BEGIN { printf "%.1f", v / 1000 }') |

Build / plain script, both cold: **${ratio}x** (the build also reads both plans
for the security rules, the docs and the examples; it plans dev and prod side by side).

Where the plain script's time goes (ms per run):

| step | ms |
|---|---|
$steps

Measured $(date -u +%Y-%m-%d) on $(nproc) cores."

mkdir -p bench/results
printf '# Terraform part of Validate\n\n%s\n' "$table" >bench/results/terraform.md
echo "$table"

if [[ "${1:-}" == "--update-readme" ]]; then
  python3 - "$table" <<'PY'
import re, sys
text = open("README.md").read()
block = "<!-- bench:terraform -->\n" + sys.argv[1] + "\n<!-- /bench:terraform -->"
open("README.md", "w").write(re.sub(r"<!-- bench:terraform -->.*?<!-- /bench:terraform -->", lambda _: block, text, flags=re.S))
PY
fi
