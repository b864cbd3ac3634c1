#!/usr/bin/env bash
# Phase 2, measured side by side in one run:
#   - the converge of k8s-prerequisites into the test root: first and second run;
#   - the offline checks of Tasks 2.1-2.7 through the build, against the same
#     commands run one after another by a plain script (the build's overhead).
# Needs root (the converge is a chroot). Writes bench/results/ansible.md;
# --update-readme also fills README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-3}"
[[ "$(id -u)" -eq 0 ]] || { echo "bench/ansible.sh: needs root (the converge runs in a chroot)" >&2; exit 2; }

# shellcheck source=bench/lib.sh
source bench/lib.sh

tasks=(InitializeAnsibleProject CreateDynamicInventory CreatePrerequisitesRole CreateControlPlaneRole CreateWorkerRole CreateCiliumRole CreateSetupPlaybook)
targets=()
for task in "${tasks[@]}"; do targets+=("--target=$task"); done
./build.sh "${targets[@]}" --exclusive >/dev/null 2>&1 || true # compile the host, cache the debootstrapped base

base="${XDG_CACHE_HOME:-$HOME/.cache}/platform-build/debootstrap-bookworm"
work="$(mktemp -d)"
trap 'rm -rf --one-file-system "$work"' EXIT
export ANSIBLE_CONFIG="$root/ansible/ansible.cfg" ANSIBLE_CACHE_PLUGIN=memory

build="" script="" first="" second=""
for _ in $(seq "$runs"); do
  start=$(ms); ./build.sh "${targets[@]}" --exclusive >/dev/null 2>&1 || true; build+="$(($(ms) - start))"$'\n'
  before1=${step_total[converge-1]:-0} before2=${step_total[converge-2]:-0}
  start=$(ms); plain_ansible; script+="$(($(ms) - start))"$'\n'
  first+="$((step_total[converge-1] - before1))"$'\n'
  second+="$((step_total[converge-2] - before2))"$'\n'
done

b=$(median <<<"${build%$'\n'}")
s=$(median <<<"${script%$'\n'}")
c1=$(median <<<"${first%$'\n'}")
c2=$(median <<<"${second%$'\n'}")
sec() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }'; }
ratio=$(awk -v b="$b" -v s="$s" 'BEGIN { printf "%.2f", b / s }')
steps="$(for name in "${!step_total[@]}"; do echo "${step_total[$name]} $name"; done | sort -rn |
  awk -v runs="$runs" '{ printf "| %s | %d |\n", $2, $1 / runs }')"

table="| run (median of $runs) | s |
|---|---|
| converge of k8s-prerequisites into the test root, first run | $(sec "$c1") |
| the same, second run (must change nothing) | $(sec "$c2") |
| offline checks of Tasks 2.1-2.7 through the build (\`--exclusive\`) | $(sec "$b") |
| the same commands in a plain script | $(sec "$s") |

Build / plain script: **${ratio}x**. Where the plain script's time goes (ms per run):

| step | ms |
|---|---|
$steps

Measured $(date -u +%Y-%m-%d) on $(nproc) cores."

mkdir -p bench/results
printf '# Phase 2 (Ansible)\n\n%s\n' "$table" >bench/results/ansible.md
echo "$table"

if [[ "${1:-}" == "--update-readme" ]]; then
  python3 - "$table" <<'PY'
import re, sys
text = open("README.md").read()
block = "<!-- bench:ansible -->\n" + sys.argv[1] + "\n<!-- /bench:ansible -->"
open("README.md", "w").write(re.sub(r"<!-- bench:ansible -->.*?<!-- /bench:ansible -->", lambda _: block, text, flags=re.S))
PY
fi
