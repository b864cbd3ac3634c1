# Plan-time checks of the compute module against a mocked AWS provider.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}]}"
    }
  }
  # The provider checks ID and ARN shapes where other resources use them.
  mock_resource "aws_launch_template" {
    defaults = {
      id             = "lt-0123456789abcdef0"
      latest_version = 1
    }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = {
      arn = "arn:aws:iam::123456789012:instance-profile/test"
    }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn      = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/test/0123456789abcdef"
      dns_name = "test-api-0123456789abcdef.elb.eu-west-1.amazonaws.com"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/test/0123456789abcdef"
    }
  }
  mock_resource "aws_instance" {
    defaults = {
      id         = "i-0123456789abcdef0"
      private_ip = "10.20.16.10"
    }
  }
}

variables {
  cluster_name                    = "platform"
  environment                     = "prod"
  region                          = "eu-west-1"
  vpc_id                          = "vpc-0123456789abcdef0"
  private_subnet_ids              = ["subnet-0a", "subnet-0b", "subnet-0c"]
  public_subnet_ids               = ["subnet-1a", "subnet-1b", "subnet-1c"]
  control_plane_security_group_id = "sg-0000000000000000a"
  worker_security_group_id        = "sg-0000000000000000b"
  api_lb_security_group_id        = "sg-0000000000000000c"
  ingress_lb_security_group_id    = "sg-0000000000000000d"
  ami_id                          = "ami-0123456789abcdef0"
  control_plane_count             = 3
  tags                            = { Environment = "prod", Cluster = "platform", ManagedBy = "terraform" }
}

run "imdsv2_and_encrypted_volumes" {
  command = plan

  assert {
    condition = alltrue([
      for template in values(aws_launch_template.this) :
      template.metadata_options[0].http_tokens == "required" && template.metadata_options[0].http_put_response_hop_limit == 1
    ])
    error_message = "every launch template requires IMDSv2 with hop limit 1"
  }

  assert {
    condition = alltrue([
      for template in values(aws_launch_template.this) :
      template.block_device_mappings[0].ebs[0].encrypted == "true" && template.block_device_mappings[0].ebs[0].volume_type == "gp3" && template.block_device_mappings[0].ebs[0].delete_on_termination == "true"
    ])
    error_message = "root volumes are encrypted gp3, deleted with the instance"
  }

  assert {
    condition     = aws_launch_template.this["worker"].network_interfaces[0].associate_public_ip_address == "false" && alltrue([for node in aws_instance.control_plane : node.associate_public_ip_address == false])
    error_message = "no node gets a public IP"
  }
}

run "control_plane_spread_over_zones" {
  command = plan

  assert {
    condition     = length(aws_instance.control_plane) == 3 && length(distinct(aws_instance.control_plane[*].subnet_id)) == 3
    error_message = "three control-plane nodes, one per zone"
  }

  assert {
    condition     = alltrue([for node in aws_instance.control_plane : node.disable_api_termination])
    error_message = "prod control-plane nodes are protected from termination"
  }

  assert {
    condition     = aws_lb.api.internal && aws_lb_target_group.api.port == 6443 && aws_lb_target_group.api.preserve_client_ip == "false"
    error_message = "the API is on an internal NLB without client IP preservation (hairpin)"
  }

  assert {
    condition     = length(aws_lb_target_group_attachment.api) == 3
    error_message = "every control-plane node is behind the API load balancer"
  }
}

run "instances_properly_tagged" {
  command = plan

  assert {
    condition = alltrue([
      for node in aws_instance.control_plane :
      alltrue([for key in ["Name", "Environment", "Cluster", "Role", "ManagedBy"] : contains(keys(node.tags), key)]) && node.tags["Role"] == "control-plane"
    ])
    error_message = "control-plane instances carry Name, Environment, Cluster, Role and ManagedBy"
  }

  assert {
    condition = alltrue([
      for key in ["Name", "Environment", "Cluster", "Role", "ManagedBy"] :
      contains([for tag in aws_autoscaling_group.workers.tag : tag.key if tag.propagate_at_launch], key)
    ])
    error_message = "workers get Name, Environment, Cluster, Role and ManagedBy at launch"
  }

  assert {
    condition     = aws_launch_template.this["worker"].tag_specifications[0].tags["Role"] == "worker" && aws_launch_template.this["worker"].tag_specifications[1].resource_type == "volume"
    error_message = "worker instances and volumes are tagged by the template"
  }
}

run "least_privilege_iam" {
  command = plan

  assert {
    condition     = alltrue([for attachment in values(aws_iam_role_policy_attachment.ssm) : attachment.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"])
    error_message = "nodes get the SSM core policy"
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.extra) == 0
    error_message = "and nothing else by default"
  }
}

run "workers_roll_and_feed_the_ingress_lb" {
  command = plan

  assert {
    condition     = length(aws_autoscaling_group.workers.instance_refresh) == 0 && aws_autoscaling_group.workers.min_size == 2
    error_message = "workers are not replaced behind Ansible's back unless asked"
  }

  assert {
    condition     = aws_lb.api.name == "platform-prod-api" && aws_lb_target_group.ingress["https"].name == "platform-prod-ing-https"
    error_message = "load balancer and target group names are whole (no truncation)"
  }

  assert {
    condition     = aws_lb_target_group.ingress["https"].port == 30443 && length(aws_lb_listener.ingress) == 2
    error_message = "the ingress load balancer forwards 80 and 443 to the ingress controller's NodePorts"
  }
}

run "rolling_refresh_when_asked" {
  command = plan

  variables {
    worker_instance_refresh = true
  }

  assert {
    condition     = aws_autoscaling_group.workers.instance_refresh[0].strategy == "Rolling"
    error_message = "the worker group rolls onto a new template when asked"
  }
}

run "rejects_a_cluster_name_too_long_for_aws_names" {
  command = plan

  variables {
    cluster_name = "platform-staging-x"
  }

  expect_failures = [var.cluster_name]
}

run "rejects_a_full_access_policy" {
  command = plan

  variables {
    extra_node_policy_arns = ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"]
  }

  expect_failures = [var.extra_node_policy_arns]
}

run "no_key_pair_without_a_public_key" {
  command = plan

  assert {
    condition     = length(aws_key_pair.this) == 0
    error_message = "without ssh_public_key, access is through SSM only"
  }
}

run "dev_single_control_plane_without_ingress_lb" {
  command = plan

  variables {
    environment         = "dev"
    control_plane_count = 1
    create_ingress_lb   = false
    ssh_public_key      = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnlyForTests test@example"
  }

  assert {
    condition     = length(aws_instance.control_plane) == 1 && !aws_instance.control_plane[0].disable_api_termination
    error_message = "one unprotected control-plane node in dev"
  }

  assert {
    condition     = length(aws_lb.ingress) == 0 && length(aws_key_pair.this) == 1
    error_message = "no ingress load balancer; a key pair from the public key"
  }
}

run "rejects_an_even_control_plane" {
  command = plan

  variables {
    control_plane_count = 2
  }

  expect_failures = [var.control_plane_count]
}

run "rejects_a_private_key" {
  command = plan

  variables {
    ssh_public_key = "-----BEGIN OPENSSH PRIVATE KEY-----"
  }

  expect_failures = [var.ssh_public_key]
}

run "rejects_an_admin_policy" {
  command = plan

  variables {
    extra_node_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  }

  expect_failures = [var.extra_node_policy_arns]
}

run "rejects_a_bad_ami" {
  command = plan

  variables {
    ami_id = "debian-12"
  }

  expect_failures = [var.ami_id]
}
