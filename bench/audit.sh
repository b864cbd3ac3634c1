#!/usr/bin/env bash
# The Audit target at scale: the shipped catalog (2 organizations) and a synthetic
# one of 200 (tenants rendered with --target=Tenants first), each in a throwaway
# copy of the tracked repository, run side by side and interleaved:
#   ./build.sh --target=Audit --exclusive --no-cache
# Wall time and peak memory (max RSS) of the whole build process, median of RUNS
# (default 3), with the Audit row's own time and its rule and finding counts. At
# 200 organizations the capacity rules are meant to fail (the quotas outgrow the
# workers): the bench records those findings instead of failing on them.
# Writes bench/results/audit.md and, with --update-readme, README.md between the
# bench:audit markers.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-3}"
read -r -a sizes <<<"${SIZES:-2 200}"
# shellcheck source=bench/lib.sh
source bench/lib.sh
# shellcheck source=/dev/null
source tests/terraform-mirror.sh >/dev/null

./build.sh --tree >/dev/null # compile the host once
host="$root/artifacts/host/Build.dll"
work="$(mktemp -d /tmp/platform-bench-audit-XXXXXX)"
trap 'rm -rf "$work"' EXIT

for n in "${sizes[@]}"; do
  copy="$work/$n"
  mkdir -p "$copy"
  git ls-files -z | xargs -0 cp --parents -t "$copy"
  catalog="$copy/kubernetes/tenants/tenants.yaml"
  for i in $(seq -w 3 "$n"); do
    cat >>"$catalog" <<YAML
  - name: org-$i
    description: Synthetic organization $i
    groups: {admins: org-$i-admins, developers: org-$i-developers}
    sourceRepos:
      - https://github.com/org-$i/*
    environments:
      - {name: dev, size: small}
      - {name: prod, size: small}
YAML
  done
  (cd "$copy" && PLATFORM_ROOT="$copy" NO_COLOR=1 dotnet "$host" --target=Tenants >"$work/tenants-$n.log" 2>&1) || {
    tail -n 20 "$work/tenants-$n.log" >&2
    echo "bench/audit.sh: --target=Tenants failed with $n organizations" >&2
    exit 1
  }
done

# "seconds maxKB" of one Audit run in a copy; a failure other than audit findings fails the bench.
measure() {
  local n="$1" out="$work/time.txt"
  (cd "$work/$n" && PLATFORM_ROOT="$work/$n" NO_COLOR=1 /usr/bin/time -f '%e %M' -o "$out" \
    dotnet "$host" --target=Audit --exclusive --no-cache >"$work/audit-$n.log" 2>&1) || true
  if ! grep -q "rules, [0-9]* open findings" "$work/$n/artifacts/reports/checks.json"; then
    tail -n 30 "$work/audit-$n.log" >&2
    echo "bench/audit.sh: the Audit did not run its rules with $n organizations" >&2
    exit 1
  fi
  cp "$work/$n/artifacts/reports/checks.json" "$work/checks-$n.json"
  tail -n 1 "$out" # the last line: GNU time puts "Command exited with non-zero status" first
}

# Seconds with decimals (lib.sh's median is for whole milliseconds).
median_s() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A wall kb
for _ in $(seq "$runs"); do
  for n in "${sizes[@]}"; do
    read -r s k < <(measure "$n")
    wall[$n]+="$s"$'\n' kb[$n]+="$k"$'\n'
  done
done

rows=""
first_s=""
for n in "${sizes[@]}"; do
  s=$(median_s <<<"${wall[$n]%$'\n'}")
  k=$(median_s <<<"${kb[$n]%$'\n'}")
  [[ -z "$first_s" ]] && first_s="$s"
  row=$(python3 - "$work/checks-$n.json" <<'PY'
import json, re, sys
rows = json.load(open(sys.argv[1]))["Results"]
audit = next(r for r in rows if r["Task"] == "Audit")
h, m, s = audit["Duration"].split(":")
secs = int(h) * 3600 + int(m) * 60 + float(s)
rules = re.search(r"(\d+) rules, (\d+) open findings", audit["Detail"])
codes = sorted(set(re.findall(r"\b(?:High|Critical|Medium|Low) ([A-Z0-9.-]+) ", audit["Detail"])))
print(f'{secs:.1f} | {rules.group(1)} | {rules.group(2)} | {", ".join(codes) or "-"}')
PY
)
  ratio=$(awk -v a="$first_s" -v b="$s" 'BEGIN { printf "%.2fx", b / a }')
  rows+="| $n | $s | $ratio | $((k / 1024)) | $row |"$'\n'
done

table="| organizations | build s | vs ${sizes[0]} | peak MiB | Audit row s | rules | open findings | open rules |
|---|---|---|---|---|---|---|---|
${rows%$'\n'}

Median of $runs runs each, interleaved; wall time and peak RSS of the whole build process (start-up,
both offline plans and the renders included; the Audit row is the check's own time).
Measured $(date -u +%Y-%m-%d) on $(nproc) cores."

mkdir -p bench/results
printf '# The Audit at scale\n\n%s\n' "$table" >bench/results/audit.md
echo "$table"

if [[ "${1:-}" == "--update-readme" ]]; then
  update_readme audit "$table"
fi
