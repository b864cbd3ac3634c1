locals {
  name = "${var.cluster_name}-${var.environment}"

  nodes = {
    control_plane = aws_security_group.control_plane.id
    worker        = aws_security_group.worker.id
  }

  # What every node opens to every other node (kubeadm and Cilium requirements).
  node_ports = merge(
    {
      kubelet = { protocol = "tcp", from = 10250, to = 10250, why = "kubelet API (kube-apiserver logs/exec, metrics-server)" }
      vxlan   = { protocol = "udp", from = 8472, to = 8472, why = "Cilium VXLAN overlay between nodes" }
      health  = { protocol = "tcp", from = 4240, to = 4240, why = "Cilium node health checks" }
      icmp    = { protocol = "icmp", from = 8, to = 0, why = "ICMP echo for Cilium node health checks" }
    },
    var.enable_hubble ? { hubble = { protocol = "tcp", from = 4244, to = 4244, why = "Cilium Hubble peer service (Hubble Relay)" } } : {},
  )

  node_rules = merge([
    for target, target_id in local.nodes : merge([
      for source, source_id in local.nodes : {
        for name, rule in local.node_ports : "${target}-${name}-from-${source}" => merge(rule, {
          security_group_id = target_id
          source_id         = source_id
          description       = "${rule.why}, from ${replace(source, "_", "-")} nodes"
        })
      }
    ]...)
  ]...)

  # The API on the control plane: through the load balancer, and directly from
  # nodes (the kubernetes Service's endpoints are the control-plane node IPs).
  api_sources = {
    lb            = aws_security_group.api_lb.id
    control_plane = aws_security_group.control_plane.id
    worker        = aws_security_group.worker.id
  }
}

resource "aws_security_group" "control_plane" {
  name        = "${local.name}-control-plane"
  description = "Kubernetes control-plane nodes of ${local.name}"
  vpc_id      = var.vpc_id

  tags = merge({ Name = "${local.name}-control-plane", Role = "control-plane" }, var.tags)
}

resource "aws_security_group" "worker" {
  name        = "${local.name}-worker"
  description = "Kubernetes worker nodes of ${local.name}"
  vpc_id      = var.vpc_id

  tags = merge({ Name = "${local.name}-worker", Role = "worker" }, var.tags)
}

resource "aws_security_group" "api_lb" {
  name        = "${local.name}-api-lb"
  description = "Internal load balancer of the Kubernetes API of ${local.name}"
  vpc_id      = var.vpc_id

  tags = merge({ Name = "${local.name}-api-lb", Role = "api-lb" }, var.tags)
}

resource "aws_security_group" "ingress_lb" {
  name        = "${local.name}-ingress-lb"
  description = "Public load balancer in front of the ingress controller of ${local.name}"
  vpc_id      = var.vpc_id

  tags = merge({ Name = "${local.name}-ingress-lb", Role = "ingress-lb" }, var.tags)
}

# --- Between nodes -----------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "node" {
  for_each = local.node_rules

  security_group_id            = each.value.security_group_id
  referenced_security_group_id = each.value.source_id
  ip_protocol                  = each.value.protocol
  from_port                    = each.value.from
  to_port                      = each.value.to
  description                  = each.value.description

  tags = merge({ Name = each.key }, var.tags)
}

resource "aws_vpc_security_group_ingress_rule" "etcd" {
  security_group_id            = aws_security_group.control_plane.id
  referenced_security_group_id = aws_security_group.control_plane.id
  ip_protocol                  = "tcp"
  from_port                    = 2379
  to_port                      = 2380
  description                  = "etcd client and peer traffic, between control-plane nodes only"

  tags = merge({ Name = "control-plane-etcd" }, var.tags)
}

resource "aws_vpc_security_group_ingress_rule" "api" {
  for_each = local.api_sources

  security_group_id            = aws_security_group.control_plane.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 6443
  to_port                      = 6443
  description                  = "kube-apiserver, from ${replace(each.key, "_", "-")}${each.key == "lb" ? " (the API load balancer)" : " nodes"}"

  tags = merge({ Name = "control-plane-api-from-${each.key}" }, var.tags)
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  for_each = { for pair in setproduct(keys(local.nodes), var.ssh_allowed_cidrs) : "${pair[0]}-${pair[1]}" => { node = pair[0], cidr = pair[1] } }

  security_group_id = local.nodes[each.value.node]
  cidr_ipv4         = each.value.cidr
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  description       = "SSH for Ansible, from an administrator network"

  tags = merge({ Name = "${each.value.node}-ssh" }, var.tags)
}

resource "aws_vpc_security_group_ingress_rule" "node_ports" {
  security_group_id            = aws_security_group.worker.id
  referenced_security_group_id = aws_security_group.ingress_lb.id
  ip_protocol                  = "tcp"
  from_port                    = var.node_port_range.from
  to_port                      = var.node_port_range.to
  description                  = "NodePorts, from the ingress load balancer only"

  tags = merge({ Name = "worker-node-ports-from-ingress-lb" }, var.tags)
}

# Nodes reach each other on anything (pods on hostNetwork, the overlay), the
# API load balancer, the VPC's DNS resolver, and the internet on 80/443 only
# (packages, images, AWS APIs through the NAT gateways).
resource "aws_vpc_security_group_egress_rule" "node_to_node" {
  for_each = { for pair in setproduct(keys(local.nodes), keys(local.nodes)) : "${pair[0]}-to-${pair[1]}" => { from = pair[0], to = pair[1] } }

  security_group_id            = local.nodes[each.value.from]
  referenced_security_group_id = local.nodes[each.value.to]
  ip_protocol                  = "-1"
  description                  = "cluster traffic to ${replace(each.value.to, "_", "-")} nodes"

  tags = merge({ Name = each.key }, var.tags)
}

resource "aws_vpc_security_group_egress_rule" "node_to_api_lb" {
  for_each = local.nodes

  security_group_id            = each.value
  referenced_security_group_id = aws_security_group.api_lb.id
  ip_protocol                  = "tcp"
  from_port                    = 6443
  to_port                      = 6443
  description                  = "kube-apiserver through the API load balancer"

  tags = merge({ Name = "${each.key}-to-api-lb" }, var.tags)
}

resource "aws_vpc_security_group_egress_rule" "node_dns" {
  for_each = { for pair in setproduct(keys(local.nodes), ["udp", "tcp"]) : "${pair[0]}-dns-${pair[1]}" => { node = pair[0], protocol = pair[1] } }

  security_group_id = local.nodes[each.value.node]
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = each.value.protocol
  from_port         = 53
  to_port           = 53
  description       = "DNS to the VPC resolver"

  tags = merge({ Name = each.key }, var.tags)
}

resource "aws_vpc_security_group_egress_rule" "node_web" {
  for_each = { for pair in setproduct(keys(local.nodes), [80, 443]) : "${pair[0]}-web-${pair[1]}" => { node = pair[0], port = pair[1] } }

  security_group_id = local.nodes[each.value.node]
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  description       = "HTTP(S) to the internet via NAT: packages, container images, AWS APIs"

  tags = merge({ Name = each.key }, var.tags)
}

# --- API load balancer (internal) --------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "api_lb_from_nodes" {
  for_each = local.nodes

  security_group_id            = aws_security_group.api_lb.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 6443
  to_port                      = 6443
  description                  = "kube-apiserver, from ${replace(each.key, "_", "-")} nodes"

  tags = merge({ Name = "api-lb-from-${each.key}" }, var.tags)
}

resource "aws_vpc_security_group_ingress_rule" "api_lb_from_admins" {
  for_each = toset(var.admin_api_cidrs)

  security_group_id = aws_security_group.api_lb.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 6443
  to_port           = 6443
  description       = "kube-apiserver, from an administrator network"

  tags = merge({ Name = "api-lb-from-admins" }, var.tags)
}

resource "aws_vpc_security_group_egress_rule" "api_lb_to_control_plane" {
  security_group_id            = aws_security_group.api_lb.id
  referenced_security_group_id = aws_security_group.control_plane.id
  ip_protocol                  = "tcp"
  from_port                    = 6443
  to_port                      = 6443
  description                  = "kube-apiserver on the control-plane nodes (traffic and health checks)"

  tags = merge({ Name = "api-lb-to-control-plane" }, var.tags)
}

# --- Ingress load balancer (public) ------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "ingress_lb" {
  for_each = { for pair in setproduct(var.ingress_allowed_cidrs, [80, 443]) : "${pair[0]}-${pair[1]}" => { cidr = pair[0], port = pair[1] } }

  security_group_id = aws_security_group.ingress_lb.id
  cidr_ipv4         = each.value.cidr
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  description       = "HTTP(S) to the ingress controller, from ingress_allowed_cidrs"

  tags = merge({ Name = "ingress-lb-${each.value.port}" }, var.tags)
}

resource "aws_vpc_security_group_egress_rule" "ingress_lb_to_workers" {
  security_group_id            = aws_security_group.ingress_lb.id
  referenced_security_group_id = aws_security_group.worker.id
  ip_protocol                  = "tcp"
  from_port                    = var.node_port_range.from
  to_port                      = var.node_port_range.to
  description                  = "NodePorts of the ingress controller on the workers (traffic and health checks)"

  tags = merge({ Name = "ingress-lb-to-workers" }, var.tags)
}
