#!/usr/bin/env python3
"""Makes a Terraform state (format 4) from an offline plan's JSON, for proving
that a refactoring moves resources and replaces none.

A plan made without AWS leaves computed attributes unknown; this fills each
unknown top-level string with a fake value named after the resource, and keeps
what a prior state already said. Run it in a loop with `plan -refresh=false`
until the configuration plans no changes against its own state: that state is
what applying the configuration would have left, as far as Terraform's diff can
tell. Fakes only: no value here came from, or can reach, a real account.

usage: state-from-plan.py SCHEMA_JSON PLAN_JSON [PRIOR_STATE] > terraform.tfstate
(SCHEMA_JSON: terraform providers schema -json, for the attributes' types)
"""
import hashlib
import json
import sys


# The provider validates the shape of IDs it is given (lt-..., sg-...), so a
# fake ID carries its type's prefix and hex digits.
ID_PREFIXES = {
    "aws_launch_template": "lt-", "aws_instance": "i-", "aws_vpc": "vpc-", "aws_subnet": "subnet-",
    "aws_security_group": "sg-", "aws_internet_gateway": "igw-", "aws_nat_gateway": "nat-", "aws_eip": "eipalloc-",
    "aws_route_table": "rtb-", "aws_flow_log": "fl-", "aws_vpc_security_group_ingress_rule": "sgr-",
    "aws_vpc_security_group_egress_rule": "sgr-", "aws_network_acl": "acl-", "aws_vpc_endpoint": "vpce-",
    "aws_key_pair": "key-", "aws_default_security_group": "sg-", "aws_default_network_acl": "acl-",
    "aws_default_route_table": "rtb-",
}


def fake(address, name, kind=""):
    digest = hashlib.sha1(f"{address}/{name}".encode()).hexdigest()[:17]
    if name == "arn" or name.endswith("_arn"):
        return f"arn:aws:fake:eu-west-1:123456789012:{kind or 'resource'}/{digest}"
    if name == "id":
        return ID_PREFIXES.get(kind, "fake-") + digest
    return f"fake-{digest}"


def empty(address, name, kind, resource_type):
    if kind == "string":
        return fake(address, name, resource_type)
    if kind == "bool":
        return False
    if kind == "number":
        return 0
    if isinstance(kind, list) and kind[0] in ("list", "set"):
        return []
    if isinstance(kind, list) and kind[0] == "map":
        return {}
    return None


def filled(address, values, unknown, block, resource_type):
    out = dict(values)
    attributes = block.get("attributes", {})
    for name, flag in (unknown or {}).items():
        if flag is True and out.get(name) is None:
            if name in attributes:
                out[name] = empty(address, name, attributes[name].get("type"), resource_type)
            elif name in block.get("block_types", {}):
                out[name] = []
    return out


def configured(module, prefix=""):
    """Each resource's configuration expressions, by address without index."""
    for resource in module.get("resources", []):
        yield prefix + resource["address"], prefix, resource.get("expressions", {})
    for name, call in module.get("module_calls", {}).items():
        yield from configured(call["module"], f"{prefix}module.{name}.")


def resolve_blocks(attributes, expressions, prefix, state):
    """Nested block attributes left unknown that name one attribute of another
    resource take that resource's value from the state being made. The fixpoint
    loop does this for top-level attributes; the AWS provider calls EC2 while
    planning an instance whose launch_template version changes, so these must
    be right the first time."""
    for name, blocks in expressions.items():
        if not isinstance(blocks, list) or not isinstance(attributes.get(name), list):
            continue
        for block, values in zip(blocks, attributes[name]):
            for key, expression in block.items():
                references = expression.get("references", []) if isinstance(expression, dict) else []
                if values.get(key) is None and references and references[0].count(".") == 2:
                    target, attribute = prefix + references[0].rsplit(".", 1)[0], references[0].rsplit(".", 1)[1]
                    value = state.get(target, {}).get(attribute)
                    values[key] = str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def walk(module):
    for resource in module.get("resources", []):
        yield resource
    for child in module.get("child_modules", []):
        yield from walk(child)


def main():
    schemas = json.load(open(sys.argv[1]))["provider_schemas"]
    plan = json.load(open(sys.argv[2]))
    prior = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else None
    unknown = {c["address"]: (c["change"].get("after_unknown") or {}) for c in plan.get("resource_changes", [])}
    groups = {}
    for resource in walk(plan["planned_values"]["root_module"]):
        if resource["mode"] != "managed":
            continue
        address = resource["address"]
        module = address.rsplit("." + resource["type"] + "." + resource["name"], 1)[0] if address.count(".") > 1 else ""
        module = "" if module == address else module
        key = (module, resource["type"], resource["name"])
        group = groups.setdefault(key, {
            "module": module or None, "mode": "managed", "type": resource["type"], "name": resource["name"],
            "provider": f'provider["{resource["provider_name"]}"]', "each": None, "instances": [],
        })
        instance = {"schema_version": resource.get("schema_version", 0),
                    "attributes": filled(address, resource.get("values") or {}, unknown.get(address),
                                         schemas[resource["provider_name"]]["resource_schemas"][resource["type"]]["block"], resource["type"]),
                    "sensitive_attributes": []}
        if "index" in resource:
            instance["index_key"] = resource["index"]
            group["each"] = "map" if isinstance(resource["index"], str) else "list"
        group["instances"].append(instance)

    # An instance's user_data is stored hashed, and a plan from a made-up state
    # hashes it again every time; these instances take their user data from
    # the launch template, so the state holds none.
    for (module, kind, name), group in groups.items():
        if kind == "aws_instance":
            for instance in group["instances"]:
                instance["attributes"]["user_data"] = None

    by_address = {}
    for (module, kind, name), group in groups.items():
        if len(group["instances"]) == 1 and "index_key" not in group["instances"][0]:
            by_address[(module + "." if module else "") + f"{kind}.{name}"] = group["instances"][0]["attributes"]
    expressions = {address: (prefix, e) for address, prefix, e in configured(plan["configuration"]["root_module"])}
    for (module, kind, name), group in groups.items():
        prefix, expression = expressions.get((module + "." if module else "") + f"{kind}.{name}", ("", {}))
        for instance in group["instances"]:
            resolve_blocks(instance["attributes"], expression, prefix, by_address)

    resources = []
    for group in groups.values():
        if group["module"] is None:
            del group["module"]
        if group["each"] is None:
            del group["each"]
        resources.append(group)
    state = {"version": 4, "terraform_version": plan.get("terraform_version", "1.11.0"),
             "serial": (prior or {}).get("serial", 0) + 1, "lineage": (prior or {}).get("lineage", "00000000-0000-0000-0000-000000000000"),
             "outputs": {}, "resources": resources, "check_results": None}
    json.dump(state, sys.stdout, indent=1, sort_keys=True)


main()
