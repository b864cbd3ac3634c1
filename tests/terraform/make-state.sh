#!/usr/bin/env bash
# Makes the state a Terraform environment would have after an apply, without
# AWS: plans offline, turns the plan into a state (state-from-plan.py), and
# plans again against it until nothing changes. Used to prove a refactoring
# replaces nothing: make the state from the old code, plan the new code on it.
#
#   tests/terraform/make-state.sh TERRAFORM_DIR ENV OUT.json
#
# TERRAFORM_DIR is a copy of terraform/ (it is written to); needs
# TF_CLI_CONFIG_FILE with the provider mirror, as tests/run.sh sets.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$1 env=$2 out=$(realpath -m "$3")
port=${FAKE_EC2_PORT:-18765}
dir="$root/environments/$env"

python3 "$here/fake-ec2.py" "$port" & server=$!
trap 'kill $server 2>/dev/null || true' EXIT

cat > "$dir/zz_offline_override.tf" <<HCL
terraform {
  backend "local" {}
}
provider "aws" {
  access_key                  = "offline-plan-not-a-credential"
  secret_key                  = "offline-plan-not-a-credential"
  allowed_account_ids         = null
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 1
  endpoints {
    ec2 = "http://127.0.0.1:$port"
  }
}
HCL
cd "$dir"
rm -rf .terraform terraform.tfstate
terraform init -input=false >/dev/null
terraform providers schema -json > schema.json
for pass in $(seq 1 12); do
  terraform plan -input=false -refresh=false -lock=false -var-file=terraform.tfvars.example -out=proof.tfplan >/dev/null
  terraform show -json proof.tfplan > proof.json
  changes=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(c["change"]["actions"] not in (["no-op"], ["read"]) for c in d["resource_changes"]))' proof.json)
  echo "$env pass $pass: $changes changes" >&2
  if [ "$changes" = 0 ]; then
    cp terraform.tfstate "$out"
    exit 0
  fi
  prior=(); [ -f terraform.tfstate ] && prior=(terraform.tfstate)
  python3 "$here/state-from-plan.py" schema.json proof.json "${prior[@]}" > state.new
  mv state.new terraform.tfstate
done
echo "$env: the state did not settle in 12 passes" >&2
exit 1
