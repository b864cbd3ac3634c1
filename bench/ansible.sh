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

tasks=(InitializeAnsibleProject CreateDynamicInventory CreatePrerequisitesRole CreateControlPlaneRole CreateWorkerRole CreateCiliumRole CreateSetupPlaybook)
targets=()
for task in "${tasks[@]}"; do targets+=("--target=$task"); done
./build.sh "${targets[@]}" --exclusive >/dev/null 2>&1 || true # compile the host, cache the debootstrapped base

base="${XDG_CACHE_HOME:-$HOME/.cache}/platform-build/debootstrap-bookworm"
work="$(mktemp -d)"
trap 'rm -rf --one-file-system "$work"' EXIT
export ANSIBLE_CONFIG="$root/ansible/ansible.cfg" ANSIBLE_CACHE_PLUGIN=memory

ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
declare -A step_total=()
step() {
  local name="$1" start
  shift
  start=$(ms)
  "$@" >/dev/null 2>&1 || true
  step_total[$name]=$((${step_total[$name]:-0} + $(ms) - start))
}

prepare_root() {
  rm -rf --one-file-system "$work/root"
  cp -a "$base" "$work/root"
  printf '#!/bin/sh\nexit 101\n' >"$work/root/usr/sbin/policy-rc.d"
  chmod 755 "$work/root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$work/root/etc/resolv.conf"
  printf 'UUID=0a1b2c3d / ext4 defaults 0 1\n/swapfile none swap sw 0 0\n' >"$work/root/etc/fstab"
  echo "testroot ansible_host=$work/root ansible_connection=community.general.chroot" >"$work/inventory.ini"
}

plain() { # the commands the build runs for Tasks 2.1-2.7, one after another
  cd "$root/ansible"
  step config ansible-config dump --only-changed
  step yamllint yamllint --strict .
  for role in k8s-prerequisites k8s-control-plane k8s-worker cilium; do step ansible-lint ansible-lint --nocolor --profile=production --offline "roles/$role"; done
  for playbook in playbooks/*.yml; do step syntax ansible-playbook --syntax-check --inventory=localhost, "$playbook"; done
  for _ in 1 2 3; do step inventory env PLATFORM_TERRAFORM_OUTPUTS=inventory/fixtures/dev-terraform-outputs.json ansible-inventory --inventory=inventory/dev/terraform-inventory.py --list; done
  for case in missing malformed keys empty; do step bad-input env PLATFORM_TERRAFORM_OUTPUTS="$work/$case.json" python3 inventory/dev/terraform-inventory.py; done
  for template in k8s-control-plane/templates/kubeadm-config.yaml.j2 cilium/templates/cilium-values.yaml.j2; do
    role="${template%%/*}"
    step render ansible localhost --connection=local --inventory=localhost, --module-name=ansible.builtin.template \
      "--args=src=$root/ansible/roles/$template dest=$work/rendered mode=0600" "--extra-vars=@roles/$role/defaults/main.yml" \
      '--extra-vars={"cluster_name":"platform","api_lb_dns_name":"api.example","pod_cidr":"10.244.0.0/16","service_cidr":"10.96.0.0/12","ansible_host":"10.20.16.10","cilium_operator_replicas":2,"platform_environment":"dev"}'
  done
  step converge-copy prepare_root
  step converge-1 ansible-playbook --inventory="$work/inventory.ini" tests/converge.yml
  step converge-2 ansible-playbook --inventory="$work/inventory.ini" tests/converge.yml
  cd "$root"
}

build="" script="" first="" second=""
for _ in $(seq "$runs"); do
  start=$(ms); ./build.sh "${targets[@]}" --exclusive >/dev/null 2>&1 || true; build+="$(($(ms) - start))"$'\n'
  before1=${step_total[converge-1]:-0} before2=${step_total[converge-2]:-0}
  start=$(ms); plain; script+="$(($(ms) - start))"$'\n'
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
