#!/usr/bin/env bash
# Approves the pending kubelet serving certificate requests (serverTLSBootstrap)
# of this cluster's own nodes, and nothing else: the requester must be
# system:node:<an inventory host>, and every name in the request must be that
# node's own (its node name, its hostname, its address). A node asking for any
# other name - kubernetes.default.svc, another node's address - is refused.
# Arguments: one "name=address=hostname" per node. Prints "approved=N".
set -euo pipefail
export KUBECONFIG=/etc/kubernetes/admin.conf

declare -A address hostname
for node in "$@"; do
  IFS='=' read -r name ip host <<<"$node"
  address[$name]="$ip"
  hostname[$name]="$host"
done

approved=0
while read -r csr signer user conditions; do
  [[ "$signer" == "kubernetes.io/kubelet-serving" && -z "${conditions:-}" ]] || continue
  node="${user#system:node:}"
  if [[ "$user" != system:node:* || -z "${address[$node]:-}" ]]; then
    echo "not approving $csr: $user is not a node of this inventory" >&2
    continue
  fi
  sans="$(kubectl get csr "$csr" -o jsonpath='{.spec.request}' | base64 -d | openssl req -noout -text | grep -A1 'Subject Alternative Name' | tail -n 1)"
  own=true
  IFS=',' read -ra entries <<<"$sans"
  for entry in "${entries[@]}"; do
    entry="${entry// /}"
    case "$entry" in
      "DNS:$node" | "DNS:${hostname[$node]}" | "IPAddress:${address[$node]}") ;;
      *) own=false ;;
    esac
  done
  if [[ "$own" == true && ${#entries[@]} -gt 0 ]]; then
    kubectl certificate approve "$csr" >/dev/null
    approved=$((approved + 1))
  else
    echo "not approving $csr: it asks for '$sans', not only $node's own names" >&2
  fi
done < <(kubectl get csr -o jsonpath='{range .items[*]}{.metadata.name} {.spec.signerName} {.spec.username} {.status.conditions[*].type}{"\n"}{end}')
echo "approved=$approved"
