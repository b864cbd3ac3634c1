#!/usr/bin/env python3
"""Ansible dynamic inventory from the Terraform outputs of an environment.

The environment is the name of the folder this script is in (inventory/dev,
inventory/prod: the same script serves both). It reads
terraform/outputs/<env>-terraform-outputs.json, written by Task 1.6
(./build.sh --target=ApplyInfrastructure), or the file named by
PLATFORM_TERRAFORM_OUTPUTS. Groups: control_plane and workers, children of
k8s_cluster; every host's variables are in _meta.hostvars, and the
control_plane group's vars name the etcd snapshot bucket, its KMS key and
the key prefix the control planes write under.

Bad input is one line on stderr and exit code 1.
"""

import ipaddress
import json
import os
import re
import sys

REQUIRED = ["cluster_name", "environment", "region", "control_plane_nodes", "worker_private_ips",
            "worker_instance_ids", "api_lb_dns_name", "pod_cidr", "service_cidr", "ssh_user",
            "etcd_backup_bucket", "etcd_backup_kms_key_arn", "etcd_backup_prefix"]
ETCD_BACKUP = ["etcd_backup_bucket", "etcd_backup_kms_key_arn", "etcd_backup_prefix"]


class InventoryError(Exception):
    """Input the inventory cannot use; the message says what and how to fix it."""


def outputs_path(environment):
    override = os.environ.get("PLATFORM_TERRAFORM_OUTPUTS")
    if override:
        return override
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    return os.path.join(root, "terraform", "outputs", f"{environment}-terraform-outputs.json")


def load(path, environment):
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except FileNotFoundError:
        raise InventoryError(
            f"{path} not found: it is written by Task 1.6 (./build.sh --target=ApplyInfrastructure --env={environment})") from None
    except json.JSONDecodeError as error:
        raise InventoryError(f"{path}:{error.lineno}: not valid JSON ({error.msg}): write it again with terraform output -json") from None
    if not isinstance(raw, dict):
        raise InventoryError(f"{path}: expected the object terraform output -json writes")
    missing = [name for name in REQUIRED if not isinstance(raw.get(name), dict) or "value" not in raw[name]]
    if missing:
        raise InventoryError(f"{path}: missing outputs {', '.join(missing)}: apply the current terraform/environments/{environment} first")
    outputs = {name: value["value"] for name, value in raw.items() if isinstance(value, dict) and "value" in value}
    # One inventory serves one environment: another's outputs would drive another's hosts.
    if outputs["environment"] != environment:
        raise InventoryError(
            f"{path}: holds the outputs of {outputs['environment']!r}, not {environment!r}: this is the {environment} inventory; "
            f"unset PLATFORM_TERRAFORM_OUTPUTS or name {environment}'s outputs")
    check_types(outputs, path)
    return outputs


INSTANCE_ID = re.compile(r"^i-[0-9a-f]{8,17}$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-zA-Z-]+$")
PREFIX = re.compile(r"^([a-z0-9][a-z0-9._-]*/)+$")


def check_types(outputs, path):
    """The shapes the inventory relies on, so bad input is one line, never a traceback or a garbage host."""
    for name in ["cluster_name", "environment", "region"]:
        if not isinstance(outputs[name], str) or not outputs[name]:
            raise InventoryError(f"{path}: {name} must be a non-empty string")
    for name in ["control_plane_nodes", "worker_private_ips", "worker_instance_ids"]:
        if not isinstance(outputs[name], list):
            raise InventoryError(f"{path}: {name} must be a list, not {type(outputs[name]).__name__}")
    for index, ip in enumerate(outputs["worker_private_ips"]):
        if not isinstance(ip, str) or not valid_ip(ip):
            raise InventoryError(f"{path}: worker_private_ips[{index}] is {ip!r}, not an IPv4 address")
    for index, instance_id in enumerate(outputs["worker_instance_ids"]):
        if not isinstance(instance_id, str) or not INSTANCE_ID.match(instance_id):
            raise InventoryError(f"{path}: worker_instance_ids[{index}] is {instance_id!r}, not an EC2 instance id (i-...)")
    for index, node in enumerate(outputs["control_plane_nodes"]):
        if isinstance(node, dict) and "private_ip" in node and not (isinstance(node["private_ip"], str) and valid_ip(node["private_ip"])):
            raise InventoryError(f"{path}: control_plane_nodes[{index}].private_ip is {node['private_ip']!r}, not an IPv4 address")
    # Where the control planes upload etcd snapshots: a wrong one fails at 3 a.m., so refuse it here.
    for name, pattern, what in [("etcd_backup_bucket", BUCKET, "an S3 bucket name"),
                                ("etcd_backup_kms_key_arn", KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)"),
                                ("etcd_backup_prefix", PREFIX, "a key prefix ending in a slash (e.g. etcd/)")]:
        if not isinstance(outputs[name], str) or not pattern.match(outputs[name]):
            raise InventoryError(f"{path}: {name} is {outputs[name]!r}, not {what}")


def valid_ip(text):
    try:
        return isinstance(ipaddress.ip_address(text), ipaddress.IPv4Address)
    except ValueError:
        return False


def connection(outputs, instance_id, path):
    """SSH when the environment allows it, else SSM Session Manager (no inbound port).

    Ansible's SSM connection moves module files through an S3 bucket the nodes
    can read: PLATFORM_SSM_BUCKET names it (and needs boto3 and the
    session-manager-plugin on this machine).
    """
    if outputs.get("ssh_enabled", True):
        return {"ansible_user": outputs["ssh_user"]}
    bucket = os.environ.get("PLATFORM_SSM_BUCKET")
    if not bucket:
        raise InventoryError(
            f"{path}: ssh_enabled is false, so hosts are reached through SSM: set PLATFORM_SSM_BUCKET to the S3 bucket "
            "Ansible's SSM connection transfers files through (or set ssh_public_key and ssh_allowed_cidrs)")
    return {
        "ansible_connection": "community.aws.aws_ssm",
        "ansible_aws_ssm_instance_id": instance_id,
        "ansible_aws_ssm_region": outputs["region"],
        "ansible_aws_ssm_bucket_name": bucket,
    }


def inventory(outputs, path):
    control_plane = outputs["control_plane_nodes"]
    if not control_plane:
        raise InventoryError(f"{path}: control_plane_nodes is empty: the cluster needs at least one control-plane node")
    hostvars = {}
    for index, node in enumerate(control_plane):
        try:
            hostvars[node["name"]] = {
                "ansible_host": node["private_ip"],
                "node_role": "control-plane",
                "availability_zone": node["availability_zone"],
                "instance_id": node["instance_id"],
                "first_control_plane": index == 0,
                **connection(outputs, node["instance_id"], path),
            }
        except (KeyError, TypeError):
            raise InventoryError(f"{path}: control_plane_nodes[{index}] needs name, private_ip, availability_zone and instance_id") from None
    ips, ids = outputs["worker_private_ips"], outputs["worker_instance_ids"]
    if len(ips) != len(ids):
        raise InventoryError(f"{path}: worker_private_ips and worker_instance_ids differ in length: refresh the outputs (terraform apply -refresh-only)")
    workers = []
    for ip, instance_id in zip(ips, ids):
        name = f"{outputs['cluster_name']}-{outputs['environment']}-worker-{instance_id}"
        workers.append(name)
        hostvars[name] = {"ansible_host": ip, "node_role": "worker", "instance_id": instance_id, **connection(outputs, instance_id, path)}
    cluster = {key: outputs[key] for key in ["cluster_name", "region", "api_lb_dns_name", "pod_cidr", "service_cidr"]}
    cluster["platform_environment"] = outputs["environment"]  # "environment" is an Ansible keyword
    return {
        "_meta": {"hostvars": hostvars},
        "all": {"children": ["k8s_cluster"], "vars": cluster},
        "k8s_cluster": {"children": ["control_plane", "workers"]},
        "control_plane": {"hosts": [node["name"] for node in control_plane], "vars": {key: outputs[key] for key in ETCD_BACKUP}},
        "workers": {"hosts": workers},
    }


def main(argv):
    environment = os.path.basename(os.path.dirname(os.path.abspath(__file__)))
    if len(argv) > 1 and argv[1] == "--host":
        print("{}")  # every host's variables are in _meta.hostvars
        return 0
    path = outputs_path(environment)
    try:
        print(json.dumps(inventory(load(path, environment), path), indent=2, sort_keys=True))
    except InventoryError as error:
        print(f"terraform-inventory: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
