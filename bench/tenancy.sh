#!/usr/bin/env bash
# Scale of the tenancy checks: synthetic catalogs of 10, 50 and 200 organizations
# (two namespaces each), in a throwaway copy of the repository. For each size:
#   render   ./build.sh --target=Tenants (catalog -> namespaces, projects, policies)
#   checks   Tasks 4.1, 3.3 and 4.2 with --exclusive: kustomize render, strict parse,
#            catalog-current, project enforcement, the isolation matrix
# Wall time and peak memory (max RSS) per run, median of RUNS (default 3), the
# slowest rows of the checks, and growth per organization. Sizes are interleaved
# so machine noise hits all of them alike. Writes bench/results/tenancy.md and,
# with --update-readme, README.md between the bench:tenancy markers.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-3}"
read -r -a sizes <<<"${SIZES:-10 50 200}"

./build.sh --tree >/dev/null # compile the host once
host="$root/artifacts/host/Build.dll"
work="$(mktemp -d /tmp/platform-bench-tenancy-XXXXXX)"
trap 'rm -rf "$work"' EXIT

# One copy per size: the tracked kubernetes/ and specs/ trees and a catalog of N
# organizations (the real ones, whose files the tasks list, and N-2 synthetic ones).
for n in "${sizes[@]}"; do
  copy="$work/$n"
  mkdir -p "$copy"
  git ls-files -z kubernetes specs README.md | xargs -0 cp --parents -t "$copy"
  catalog="$copy/kubernetes/tenants/tenants.yaml"
  cp kubernetes/tenants/tenants.yaml "$catalog.new"
  for i in $(seq -w 3 "$n"); do
    size=$([[ $((10#$i % 3)) -eq 0 ]] && echo large || echo small)
    cat >>"$catalog.new" <<EOF
  - name: org-$i
    description: Synthetic organization $i
    groups: {admins: org-$i-admins, developers: org-$i-developers}
    sourceRepos:
      - https://github.com/org-$i/*
    environments:
      - {name: dev, size: small}
      - {name: prod, size: $size}
EOF
  done
  mv "$catalog.new" "$catalog"
done

# "seconds maxKB" of one build run in a copy; fails the bench if the build fails.
measure() {
  local copy="$1"
  shift
  local out="$work/time.txt"
  if ! (cd "$copy" && PLATFORM_ROOT="$copy" NO_COLOR=1 /usr/bin/time -f '%e %M' -o "$out" dotnet "$host" "$@" >"$work/build.log" 2>&1); then
    tail -n 30 "$work/build.log" >&2
    echo "bench/tenancy.sh: the build failed in $copy with $*" >&2
    exit 1
  fi
  cat "$out"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A render_s render_kb check_s check_kb
for _ in $(seq "$runs"); do
  for n in "${sizes[@]}"; do
    read -r s kb < <(measure "$work/$n" --target=Tenants)
    render_s[$n]+="$s"$'\n' render_kb[$n]+="$kb"$'\n'
    read -r s kb < <(measure "$work/$n" --target=CreateNamespaces --target=ConfigureArgoCdProjects --target=CreateNetworkPolicies --exclusive)
    check_s[$n]+="$s"$'\n' check_kb[$n]+="$kb"$'\n'
    cp "$work/$n/artifacts/reports/checks.json" "$work/checks-$n.json"
  done
done

rows=""
first_n="${sizes[0]}" first_s=""
for n in "${sizes[@]}"; do
  rs=$(median <<<"${render_s[$n]%$'\n'}")
  rk=$(median <<<"${render_kb[$n]%$'\n'}")
  cs=$(median <<<"${check_s[$n]%$'\n'}")
  ck=$(median <<<"${check_kb[$n]%$'\n'}")
  [[ -z "$first_s" ]] && first_s="$cs"
  grow=$(awk -v a="$first_s" -v b="$cs" -v m="$first_n" -v k="$n" 'BEGIN { printf "%.1fx time for %.0fx organizations", b / a, k / m }')
  # The slowest check rows of the last run (the isolation matrix is pairwise).
  slow=$(python3 - "$work/checks-$n.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["Results"]
def secs(d):
    h, m, s = d.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
rows = sorted(rows, key=lambda r: -secs(r["Duration"]))[:2]
print("; ".join(f'{r["Item"]} {secs(r["Duration"]):.2f} s' for r in rows))
PY
)
  failed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Failed"])' "$work/checks-$n.json")
  if [[ "$failed" != "0" ]]; then
    echo "bench/tenancy.sh: $failed checks failed with $n organizations (see $work)" >&2
    exit 1
  fi
  rows+="| $n | $((n * 2)) | $rs | $((rk / 1024)) | $cs | $((ck / 1024)) | $grow | $slow |"$'\n'
done

table="| organizations | namespaces | render s | render MiB | checks s | checks MiB | growth of checks | slowest rows |
|---|---|---|---|---|---|---|---|
${rows%$'\n'}

Median of $runs runs each; wall time and peak RSS of the whole build process (start-up included).
Goal: the checks of 200 organizations under 10 s. Measured $(date -u +%Y-%m-%d) on $(nproc) cores."

mkdir -p bench/results
printf '# Tenancy at scale\n\n%s\n' "$table" >bench/results/tenancy.md
echo "$table"

if [[ "${1:-}" == "--update-readme" ]]; then
  python3 - "$table" <<'PY'
import re, sys
text = open("README.md").read()
block = "<!-- bench:tenancy -->\n" + sys.argv[1] + "\n<!-- /bench:tenancy -->"
open("README.md", "w").write(re.sub(r"<!-- bench:tenancy -->.*?<!-- /bench:tenancy -->", lambda _: block, text, flags=re.S))
PY
fi
