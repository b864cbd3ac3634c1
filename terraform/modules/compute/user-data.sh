#!/bin/bash
# Cloud-init user data of every node: just enough for Ansible to take over
# (python3, the SSM agent for access without SSH, a hostname and a marker).
# Kubernetes itself is installed by ansible/roles/k8s-prerequisites.
# Filled in by Terraform's templatefile(): the four values below.
set -euo pipefail
exec > >(tee -a /var/log/platform-user-data.log) 2>&1

# shellcheck disable=SC2154 # set by templatefile()
CLUSTER_NAME="${cluster_name}"
# shellcheck disable=SC2154
ENVIRONMENT="${environment}"
# shellcheck disable=SC2154
NODE_ROLE="${node_role}"
# shellcheck disable=SC2154
REGION="${region}"

imds() {
  local token
  token="$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')"
  curl -sS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3 4 5; do
  apt-get update -qq && break
  echo "apt-get update failed (attempt $attempt); retrying"
  sleep 10
done
apt-get install -y -qq --no-install-recommends python3 python3-apt ca-certificates curl gnupg

if ! systemctl list-unit-files amazon-ssm-agent.service >/dev/null 2>&1; then
  deb="$(mktemp --suffix=.deb)"
  curl -sSfL -o "$deb" "https://s3.$REGION.amazonaws.com/amazon-ssm-$REGION/latest/debian_amd64/amazon-ssm-agent.deb"
  dpkg -i "$deb"
  rm -f "$deb"
fi
systemctl enable --now amazon-ssm-agent

# Hostname = the EC2 private DNS name, as kubeadm and the kubelet expect.
hostnamectl set-hostname "$(imds local-hostname)"

install -d -m 0755 /etc/platform
cat >/etc/platform/node.json <<JSON
{"cluster": "$CLUSTER_NAME", "environment": "$ENVIRONMENT", "role": "$NODE_ROLE", "instance_id": "$(imds instance-id)"}
JSON
touch /etc/platform/user-data.done
echo "user data finished"
