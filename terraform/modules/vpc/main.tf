locals {
  name = "${var.cluster_name}-${var.environment}"

  # Subnets are keyed by zone, so adding a zone never renumbers (and replaces) the others.
  zone_index = { for index, zone in var.availability_zones : zone => index }
  public_cidrs = {
    for zone, index in local.zone_index : zone => lookup(var.public_subnet_cidrs, zone, cidrsubnet(var.vpc_cidr, 8, index))
  }
  private_cidrs = {
    for zone, index in local.zone_index : zone => lookup(var.private_subnet_cidrs, zone, cidrsubnet(var.vpc_cidr, 4, index + 1))
  }

  # With a single NAT gateway it lives in the first zone; every private route table points at it.
  nat_zones = var.single_nat_gateway ? [var.availability_zones[0]] : var.availability_zones

  cluster_tag = { "kubernetes.io/cluster/${var.cluster_name}" = "shared" }
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge({ Name = local.name }, var.tags, local.cluster_tag, var.vpc_tags)
}

# Adopt the default security group and leave it without rules: nothing may use it by accident.
resource "aws_default_security_group" "this" {
  vpc_id  = aws_vpc.this.id
  ingress = []
  egress  = []

  tags = merge({ Name = "${local.name}-default-unused" }, var.tags)
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge({ Name = local.name }, var.tags)
}

resource "aws_subnet" "public" {
  for_each = local.public_cidrs

  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = each.value
  # Only load balancers live here; instances never get a public address.
  map_public_ip_on_launch = false

  tags = merge(
    { Name = "${local.name}-public-${each.key}", "kubernetes.io/role/elb" = "1" },
    var.tags,
    local.cluster_tag,
    var.public_subnet_tags,
  )
}

resource "aws_subnet" "private" {
  for_each = local.private_cidrs

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = each.value
  map_public_ip_on_launch = false

  tags = merge(
    { Name = "${local.name}-private-${each.key}", "kubernetes.io/role/internal-elb" = "1" },
    var.tags,
    local.cluster_tag,
    var.private_subnet_tags,
  )
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  tags = merge({ Name = "${local.name}-public" }, var.tags)
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  for_each = toset(local.nat_zones)

  domain = "vpc"

  tags = merge({ Name = "${local.name}-nat-${each.key}" }, var.tags)
}

resource "aws_nat_gateway" "this" {
  for_each = toset(local.nat_zones)

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id

  tags = merge({ Name = "${local.name}-nat-${each.key}" }, var.tags)

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "private" {
  for_each = aws_subnet.private

  vpc_id = aws_vpc.this.id

  tags = merge({ Name = "${local.name}-private-${each.key}" }, var.tags)
}

resource "aws_route" "private_nat" {
  for_each = aws_route_table.private

  route_table_id         = each.value.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[var.single_nat_gateway ? var.availability_zones[0] : each.key].id
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}

# Flow logs: every accepted and rejected connection, for incident review.
locals {
  flow_log_group = "/aws/vpc-flow-logs/${local.name}"
}

# The flow logs' own key, unless one is given: the account administers it, and
# CloudWatch Logs may use it for this log group only.
resource "aws_kms_key" "flow_logs" {
  count = var.flow_log_kms_key_arn == null ? 1 : 0

  description             = "VPC flow logs of ${local.name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${var.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncryptsTheFlowLogs"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = { ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:${var.region}:${var.account_id}:log-group:${local.flow_log_group}" } }
      },
    ]
  })

  tags = merge({ Name = "${local.name}-flow-logs" }, var.tags)
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = local.flow_log_group
  retention_in_days = var.flow_log_retention_days
  kms_key_id        = var.flow_log_kms_key_arn != null ? var.flow_log_kms_key_arn : aws_kms_key.flow_logs[0].arn

  tags = merge({ Name = "${local.name}-flow-logs" }, var.tags)
}

# The flow-log service assumes the role only on this account's behalf, for its flow logs.
data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:ec2:${var.region}:${var.account_id}:vpc-flow-log/*"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  name               = "${local.name}-vpc-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume.json

  tags = merge({ Name = "${local.name}-vpc-flow-logs" }, var.tags)
}

# Write access to this log group only.
data "aws_iam_policy_document" "flow_logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.flow_logs.arn}:*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  name   = "write-flow-logs"
  role   = aws_iam_role.flow_logs.id
  policy = data.aws_iam_policy_document.flow_logs.json
}

resource "aws_flow_log" "this" {
  vpc_id               = aws_vpc.this.id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn         = aws_iam_role.flow_logs.arn

  tags = merge({ Name = "${local.name}-flow-logs" }, var.tags)
}
