# Plan-time checks of the security groups against a mocked AWS provider.

mock_provider "aws" {}

variables {
  cluster_name = "platform"
  environment  = "prod"
  vpc_id       = "vpc-0123456789abcdef0"
  vpc_cidr     = "10.20.0.0/16"
}

run "only_what_kubeadm_and_cilium_need" {
  command = plan

  assert {
    condition     = sort(distinct([for rule in values(aws_vpc_security_group_ingress_rule.node) : "${rule.ip_protocol}/${rule.from_port}"])) == sort(["tcp/10250", "udp/8472", "tcp/4240", "icmp/8", "tcp/4244"])
    error_message = "between nodes: kubelet, VXLAN, Cilium health, ICMP echo and Hubble only"
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.node) == 20
    error_message = "5 ports x 2 target groups x 2 source groups"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.etcd.from_port == 2379 && aws_vpc_security_group_ingress_rule.etcd.to_port == 2380
    error_message = "etcd is 2379-2380"
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.ssh) == 0 && length(aws_vpc_security_group_ingress_rule.api_lb_from_admins) == 0 && length(aws_vpc_security_group_ingress_rule.ingress_lb) == 0
    error_message = "by default nothing outside the VPC gets in"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.node_ports.from_port == 30000 && aws_vpc_security_group_ingress_rule.node_ports.to_port == 32767
    error_message = "NodePorts are open to the ingress load balancer only"
  }

  assert {
    condition = alltrue(flatten([
      [for rule in values(aws_vpc_security_group_ingress_rule.node) : rule.description != ""],
      [for rule in values(aws_vpc_security_group_ingress_rule.api) : rule.description != ""],
      [for rule in values(aws_vpc_security_group_egress_rule.node_web) : rule.description != ""],
    ]))
    error_message = "every rule says why it exists"
  }

  assert {
    condition     = alltrue([for rule in values(aws_vpc_security_group_egress_rule.node_web) : contains([80, 443], rule.from_port) && rule.from_port == rule.to_port])
    error_message = "nodes reach the internet on 80 and 443 only"
  }
}

run "hubble_port_is_optional" {
  command = plan

  variables {
    enable_hubble = false
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.node) == 16
    error_message = "without Hubble, 4244 stays closed"
  }
}

run "explicit_outside_access" {
  command = plan

  variables {
    admin_api_cidrs       = ["192.0.2.0/24"]
    ssh_allowed_cidrs     = ["192.0.2.10/32"]
    ingress_allowed_cidrs = ["0.0.0.0/0"]
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.api_lb_from_admins["192.0.2.0/24"].from_port == 6443
    error_message = "administrators reach the API on the load balancer"
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.ssh) == 2
    error_message = "SSH from the allowed network to both node groups"
  }

  assert {
    condition     = toset([for rule in values(aws_vpc_security_group_ingress_rule.ingress_lb) : rule.from_port]) == toset([80, 443])
    error_message = "the public load balancer takes 80 and 443 only"
  }
}

run "rejects_ssh_from_anywhere" {
  command = plan

  variables {
    ssh_allowed_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.ssh_allowed_cidrs]
}

run "rejects_the_api_open_to_the_internet" {
  command = plan

  variables {
    admin_api_cidrs = ["::/0"]
  }

  expect_failures = [var.admin_api_cidrs]
}

run "rejects_half_the_internet_as_an_admin_network" {
  command = plan

  variables {
    ssh_allowed_cidrs = ["0.0.0.0/1", "128.0.0.0/1"]
  }

  expect_failures = [var.ssh_allowed_cidrs]
}

run "rejects_a_privileged_node_port_range" {
  command = plan

  variables {
    node_port_range = { from = 80, to = 32767 }
  }

  expect_failures = [var.node_port_range]
}
