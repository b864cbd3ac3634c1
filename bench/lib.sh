# shellcheck shell=bash
# Shared by the bench scripts: timing helpers, and the plain scripts of the
# tool commands the build runs (what a team without the build would run by
# hand, one command after another). Source it from the repository root.

: "${root:?bench/lib.sh: source it from a script that sets root}"

ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
sec() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }'; }

declare -A step_total=()
step() { # step NAME command...: runs and adds its time to NAME (a failing command is timed too)
  local name="$1" start
  shift
  start=$(ms)
  "$@" >/dev/null 2>&1 || true
  step_total[$name]=$((${step_total[$name]:-0} + $(ms) - start))
}

steps_table() { # the steps by time, per run: steps_table RUNS
  for name in "${!step_total[@]}"; do echo "${step_total[$name]} $name"; done | sort -rn |
    awk -v runs="$1" '{ printf "| %s | %d |\n", $2, $1 / runs }'
}

update_readme() { # update_readme NAME TABLE: replaces the README block <!-- bench:NAME -->
  python3 - "$1" "$2" <<'PY'
import re, sys
name, table = sys.argv[1], sys.argv[2]
text = open("README.md").read()
block = f"<!-- bench:{name} -->\n{table}\n<!-- /bench:{name} -->"
if f"<!-- bench:{name} -->" not in text:
    sys.exit(f"README.md has no <!-- bench:{name} --> block")
open("README.md", "w").write(re.sub(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", lambda _: block, text, flags=re.S))
PY
}

# The Terraform commands of Tasks 1.1-1.5, in a fresh copy.
plain_terraform() { # the same Terraform commands, one after another, in a fresh copy
  local work
  work="$(mktemp -d)"
  cp -r terraform "$work/"
  step fmt terraform fmt -check -recursive "$work/terraform"
  for module in vpc compute security; do
    cd "$work/terraform/modules/$module" || return
    step init terraform init -backend=false -input=false
    step validate terraform validate
    step test terraform test
  done
  for env in dev prod; do
    cp "$root/artifacts/terraform/workspace/environments/$env/zz_offline_override.tf" "$work/terraform/environments/$env/"
    cd "$work/terraform/environments/$env" || return
    step init terraform init -input=false
    step validate terraform validate
    step plan terraform plan -input=false -lock=false -var-file=terraform.tfvars.example -out=plan.tfplan
    step show terraform show -json plan.tfplan
  done
  cd "$root" || return
  rm -rf "$work"
}


# The Ansible commands of Tasks 2.1-2.7 (as root: the converge runs in a chroot).
# Needs: work (a temporary folder), base (the debootstrapped root the build caches).
# Needs base (set by the caller): the debootstrapped root the build caches.
prepare_root() {
  : "${base:?set base to the debootstrapped root}"
  rm -rf --one-file-system "$work/root"
  cp -a "$base" "$work/root"
  printf '#!/bin/sh\nexit 101\n' >"$work/root/usr/sbin/policy-rc.d"
  chmod 755 "$work/root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$work/root/etc/resolv.conf"
  printf 'UUID=0a1b2c3d / ext4 defaults 0 1\n/swapfile none swap sw 0 0\n' >"$work/root/etc/fstab"
  echo "testroot ansible_host=$work/root ansible_connection=community.general.chroot" >"$work/inventory.ini"
}

plain_ansible() { # the commands the build runs for Tasks 2.1-2.7, one after another
  cd "$root/ansible" || return
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
  cd "$root" || return
}


# The Kubernetes commands of Phases 3 and 4: yamllint, every kustomization, the alert rules.
plain_kubernetes() {
  local work
  work="$(mktemp -d)"
  step yamllint-k8s yamllint --strict -c kubernetes/.yamllint kubernetes
  while IFS= read -r folder; do step kustomize kubectl kustomize "$folder"; done < <(find kubernetes -name kustomization.yaml -printf '%h\n' | sort)
  local rules
  for rules in sso-alerts sso-slo; do
    step promtool-rules sh -c "python3 -c 'import sys, yaml; print(yaml.safe_dump(yaml.safe_load(open(sys.argv[1]))[\"spec\"]))' kubernetes/monitoring/$rules.yaml >$work/$rules.rules.yaml && promtool check rules $work/$rules.rules.yaml"
  done
  rm -rf "$work"
}
