# Plan-time checks of the VPC module against a mocked AWS provider (no credentials, no network).

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc-flow-logs/test"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/test-vpc-flow-logs"
    }
  }
}

variables {
  cluster_name       = "platform"
  environment        = "dev"
  account_id         = "123456789012"
  region             = "eu-west-1"
  vpc_cidr           = "10.20.0.0/16"
  availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  tags               = { Project = "platform" }
}

run "subnets_per_zone" {
  command = plan

  assert {
    condition     = length(aws_subnet.public) == 3 && length(aws_subnet.private) == 3
    error_message = "one public and one private subnet per availability zone"
  }

  assert {
    condition     = aws_subnet.private["eu-west-1b"].availability_zone == "eu-west-1b" && aws_subnet.public["eu-west-1c"].availability_zone == "eu-west-1c"
    error_message = "each subnet sits in the zone it is keyed by"
  }

  assert {
    condition     = aws_subnet.public["eu-west-1a"].cidr_block == "10.20.0.0/24" && aws_subnet.private["eu-west-1a"].cidr_block == "10.20.16.0/20"
    error_message = "default subnet CIDRs are cidrsubnet(vpc, 8, i) and cidrsubnet(vpc, 4, i + 1)"
  }

  assert {
    condition     = alltrue([for subnet in values(aws_subnet.private) : !subnet.map_public_ip_on_launch]) && alltrue([for subnet in values(aws_subnet.public) : !subnet.map_public_ip_on_launch])
    error_message = "no subnet hands out public IPs"
  }

  assert {
    condition     = alltrue([for subnet in values(aws_subnet.private) : subnet.tags["kubernetes.io/role/internal-elb"] == "1" && subnet.tags["kubernetes.io/cluster/platform"] == "shared"])
    error_message = "private subnets carry the internal-elb role and cluster tags"
  }

  assert {
    condition     = alltrue([for subnet in values(aws_subnet.public) : subnet.tags["kubernetes.io/role/elb"] == "1"])
    error_message = "public subnets carry the elb role tag"
  }
}

run "explicit_subnet_mapping" {
  command = plan

  variables {
    private_subnet_cidrs = { "eu-west-1b" = "10.20.128.0/20" }
  }

  assert {
    condition     = aws_subnet.private["eu-west-1b"].cidr_block == "10.20.128.0/20" && aws_subnet.private["eu-west-1a"].cidr_block == "10.20.16.0/20"
    error_message = "an explicit CIDR wins for its zone; the other zones keep the computed one"
  }
}

run "nat_per_zone_by_default" {
  command = plan

  assert {
    condition     = length(aws_nat_gateway.this) == 3 && length(aws_eip.nat) == 3
    error_message = "one NAT gateway per zone"
  }

  assert {
    condition     = length(aws_route.private_nat) == 3
    error_message = "every private route table has a default route"
  }
}

run "single_nat_gateway" {
  command = plan

  variables {
    single_nat_gateway = true
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && contains(keys(aws_nat_gateway.this), "eu-west-1a")
    error_message = "one NAT gateway, in the first zone"
  }
}

run "guardrails" {
  command = plan

  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "the default security group has no rules"
  }

  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_cloudwatch_log_group.flow_logs.retention_in_days == 30
    error_message = "flow logs record all traffic and expire"
  }

  assert {
    condition     = aws_vpc.this.tags["Name"] == "platform-dev" && aws_vpc.this.tags["Project"] == "platform"
    error_message = "the VPC is named and carries the given tags"
  }
}

run "rejects_an_invalid_cidr" {
  command = plan

  variables {
    vpc_cidr = "10.20.0.0/33"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_a_vpc_too_small_for_its_subnets" {
  command = plan

  variables {
    vpc_cidr = "10.20.0.0/21"
  }

  expect_failures = [var.vpc_cidr]
}

run "rejects_a_single_zone" {
  command = plan

  variables {
    availability_zones = ["eu-west-1a"]
  }

  expect_failures = [var.availability_zones]
}

run "rejects_an_unknown_environment" {
  command = plan

  variables {
    environment = "staging"
  }

  expect_failures = [var.environment]
}

run "rejects_a_bad_cluster_name" {
  command = plan

  variables {
    cluster_name = "Platform_1"
  }

  expect_failures = [var.cluster_name]
}
