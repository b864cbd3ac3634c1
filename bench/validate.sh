#!/usr/bin/env bash
# The main job's feedback loop, side by side in one run (as root: the plain
# script's converge runs in a chroot, as the build's does):
#   - a cold Validate (--no-cache, fresh Terraform workspace) with the default
#     --parallel, and with --parallel=1;
#   - a warm Validate with nothing changed (every pass replayed);
#   - a Validate after one edit in one Terraform module (terraform/modules/vpc);
#   - the plain script: the same tool commands one after another (bench/lib.sh).
# The debootstrapped converge base stays cached in every variant (it is a
# download, not a check). Writes bench/results/validate.md; --update-readme
# also fills the README's block.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-1}"
[[ "$(id -u)" -eq 0 ]] || { echo "bench/validate.sh: needs root (the converge runs in a chroot)" >&2; exit 2; }
# shellcheck source=tests/terraform-mirror.sh
source tests/terraform-mirror.sh >/dev/null
# shellcheck source=bench/lib.sh
source bench/lib.sh

base="${XDG_CACHE_HOME:-$HOME/.cache}/platform-build/debootstrap-bookworm"
work="$(mktemp -d)"
edit_file=terraform/modules/vpc/main.tf
trap 'git checkout -q -- "$edit_file"; rm -rf --one-file-system "$work"' EXIT
export ANSIBLE_CONFIG="$root/ansible/ansible.cfg" ANSIBLE_CACHE_PLUGIN=memory

validate() { ./build.sh --target=Validate "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }; }
validate # compile the host, cache the converge base, fill the cache

cold="" serial="" warm="" edited="" plain=""
for _ in $(seq "$runs"); do
  rm -rf artifacts/terraform/workspace
  start=$(ms); validate --no-cache; cold+="$(($(ms) - start))"$'\n'
  rm -rf artifacts/terraform/workspace
  start=$(ms); validate --no-cache --parallel=1; serial+="$(($(ms) - start))"$'\n'
  start=$(ms); validate; warm+="$(($(ms) - start))"$'\n'
  printf '\n# bench: one edit\n' >>"$edit_file"
  start=$(ms); validate; edited+="$(($(ms) - start))"$'\n'
  reran="$(python3 -c 'import json, sys; print(sum(1 for r in json.load(open("artifacts/reports/checks.json"))["Results"] if (r.get("Cache") or "").startswith("ran: ") and sys.argv[1] in r["Cache"]))' "$edit_file")"
  git checkout -q -- "$edit_file"
  validate # back to the committed tree, cached
  start=$(ms); plain_terraform; plain_ansible; plain_kubernetes; plain+="$(($(ms) - start))"$'\n'
done

c=$(median <<<"${cold%$'\n'}")
s=$(median <<<"${serial%$'\n'}")
w=$(median <<<"${warm%$'\n'}")
e=$(median <<<"${edited%$'\n'}")
p=$(median <<<"${plain%$'\n'}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
lines=$(wc -l <"$work/last.log")

table="| Validate (median of $runs) | s | against the cold run |
|---|---|---|
| cold: \`--no-cache\`, fresh Terraform workspace, default \`--parallel\` ($(nproc)) | $(sec "$c") | 1.00 |
| cold, \`--parallel=1\` | $(sec "$s") | $(ratio "$s" "$c") |
| warm, nothing changed | $(sec "$w") | $(ratio "$w" "$c") |
| one edit in \`$edit_file\` ($reran checks ran again) | $(sec "$e") | $(ratio "$e" "$c") |
| plain script: the same tool commands one after another | $(sec "$p") | $(ratio "$p" "$c") |

Parallel against \`--parallel=1\`: **$(ratio "$c" "$s")x**; against the plain script: **$(ratio "$c" "$p")x**;
warm against cold: **$(ratio "$w" "$c")**. A warm run prints $lines lines.
The plain script runs the tools only: not the build's own checks (plans read
for the security rules, isolation and access matrices, admission simulation).

Where the plain script's time goes (ms per run):

| step | ms |
|---|---|
$(steps_table "$runs")

Measured $(date -u +%Y-%m-%d) on $(nproc) cores."

mkdir -p bench/results
printf '# Validate: cache, parallel, plain script\n\n%s\n' "$table" >bench/results/validate.md
echo "$table"
[[ "${1:-}" == "--update-readme" ]] && update_readme validate "$table"
exit 0
