# Plan-time checks of the composition against a mocked AWS provider: the
# profile reaches the modules, null inputs take this module's defaults, the
# etcd snapshot bucket is the environment's own, and the checks an environment
# relies on still refuse bad input.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  # The provider checks ID and ARN shapes where other resources use them.
  mock_resource "aws_vpc" {
    defaults = {
      id = "vpc-0123456789abcdef0"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc-flow-logs/test"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/test"
    }
  }
  mock_resource "aws_security_group" {
    defaults = {
      id = "sg-0123456789abcdef0"
    }
  }
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
  environment        = "prod"
  region             = "eu-west-1"
  aws_account_id     = "123456789012"
  vpc_cidr           = "10.20.0.0/16"
  availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  ami_id             = "ami-0123456789abcdef0"
  pod_cidr           = null
  cluster_name       = null
  profile = {
    min_zones                   = 3
    control_plane_count         = 3
    single_nat_gateway          = false
    control_plane_instance_type = "m6i.large"
    worker_instance_type        = "m6i.xlarge"
    worker_group                = { min = 3, max = 6, desired = 3 }
    root_volume_gib             = 80
    flow_log_retention_days     = 90
  }
}

run "profile_reaches_the_modules" {
  command = plan

  assert {
    condition     = length(module.compute.control_plane_nodes) == 3
    error_message = "control_plane_count of the profile sets the control-plane nodes"
  }

  assert {
    condition     = output.tags["Environment"] == "prod" && output.tags["ManagedBy"] == "terraform" && output.tags["Cluster"] == "platform"
    error_message = "every resource is tagged with the environment, the cluster and ManagedBy"
  }

  assert {
    condition     = aws_ebs_encryption_by_default.this.enabled
    error_message = "new EBS volumes in the region are encrypted by default"
  }
}

run "null_takes_the_default" {
  command = plan

  assert {
    condition     = output.pod_cidr == "10.244.0.0/16" && output.cluster_name == "platform"
    error_message = "an environment passing null gets this module's default"
  }
}

run "overlapping_networks_are_refused" {
  command = plan

  variables {
    pod_cidr = "10.20.128.0/17"
  }

  expect_failures = [output.vpc_cidr]
}

run "too_few_zones_for_the_profile_are_refused" {
  command = plan

  variables {
    availability_zones = ["eu-west-1a", "eu-west-1b"]
  }

  expect_failures = [var.availability_zones]
}

run "etcd_backups_go_to_the_environments_bucket" {
  command = plan

  assert {
    condition     = output.etcd_backup_bucket == "platform-prod-etcd-backups-123456789012" && output.etcd_backup_prefix == "etcd/"
    error_message = "the backup module makes the environment's snapshot bucket, named by cluster, environment and account"
  }
}

run "dev_gets_its_own_backup_bucket" {
  command = plan

  variables {
    environment = "dev"
  }

  assert {
    condition     = output.etcd_backup_bucket == "platform-dev-etcd-backups-123456789012"
    error_message = "dev and prod never share a snapshot bucket"
  }
}
