#!/usr/bin/env bash
# Sourced by tests/run.sh and .ci/run: where no Terraform registry is reachable,
# point Terraform at a local filesystem mirror of the providers (if the machine
# has one) through a CLI config file. Leaves TF_CLI_CONFIG_FILE alone when set.
# Usage: source tests/terraform-mirror.sh

terraform_mirror_config() {
  # A CLI config that exists wins (some machines set TF_CLI_CONFIG_FILE to a file that is not there).
  [[ -n "${TF_CLI_CONFIG_FILE:-}" && -f "$TF_CLI_CONFIG_FILE" ]] && return 0
  local mirror="" candidate found
  for candidate in /opt/tf-plugins /usr/local/share/terraform/plugins /usr/share/terraform/plugins "$HOME/.terraform.d/plugins"; do
    if [[ -d "$candidate/registry.terraform.io" ]]; then
      mirror="$candidate"
      break
    fi
  done
  if [[ -z "$mirror" ]]; then
    found="$(find / -xdev -type f -name 'terraform-provider-aws_*' 2>/dev/null | head -n 1 || true)"
    [[ -n "$found" ]] && mirror="${found%%/registry.terraform.io/*}"
  fi
  [[ -n "$mirror" ]] || return 0
  local config
  config="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/artifacts/terraform-mirror.tfrc"
  mkdir -p "$(dirname "$config")"
  printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$mirror" >"$config"
  export TF_CLI_CONFIG_FILE="$config"
  echo "Terraform providers from the local mirror $mirror ($config)"
}

terraform_mirror_config
