locals {
  name = "${var.cluster_name}-${var.environment}"

  roles = {
    control_plane = "control-plane"
    worker        = "worker"
  }

  cluster_tag = { "kubernetes.io/cluster/${var.cluster_name}" = "owned" }

  node_tags = {
    for key, role in local.roles : key => merge(var.tags, local.cluster_tag, { Role = role })
  }

  # Hop limit 1: no pod needs the instance metadata service (Cilium's IPAM is
  # cluster-pool, there is no AWS cloud provider), and 1 keeps pods from
  # reaching the node role's credentials through it.
  metadata_hop_limit = 1

  user_data = {
    for key, role in local.roles : key => base64encode(templatefile("${path.module}/user-data.sh", {
      cluster_name = var.cluster_name
      environment  = var.environment
      node_role    = role
      region       = var.region
    }))
  }
}

# --- Identity ----------------------------------------------------------------

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# One role per node kind, with AWS's SSM policy (Session Manager access, no
# inbound SSH needed) and nothing else unless extra_node_policy_arns asks.
resource "aws_iam_role" "node" {
  for_each = local.roles

  name               = "${local.name}-${each.value}"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json

  tags = merge({ Name = "${local.name}-${each.value}" }, local.node_tags[each.key])
}

resource "aws_iam_role_policy_attachment" "ssm" {
  for_each = local.roles

  role       = aws_iam_role.node[each.key].name
  policy_arn = "arn:${var.aws_partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_role_policy_attachment" "extra" {
  for_each = { for pair in setproduct(keys(local.roles), var.extra_node_policy_arns) : "${pair[0]} ${pair[1]}" => { role = pair[0], arn = pair[1] } }

  role       = aws_iam_role.node[each.value.role].name
  policy_arn = each.value.arn
}

resource "aws_iam_instance_profile" "node" {
  for_each = local.roles

  name = "${local.name}-${each.value}"
  role = aws_iam_role.node[each.key].name

  tags = merge({ Name = "${local.name}-${each.value}" }, local.node_tags[each.key])
}

resource "aws_key_pair" "this" {
  count = var.ssh_public_key == null ? 0 : 1

  key_name   = local.name
  public_key = var.ssh_public_key

  tags = merge({ Name = local.name }, var.tags)
}

# --- Launch templates --------------------------------------------------------

# One template per node role. Control-plane nodes are aws_instances placed in
# a subnet each, so their security group is the template's; workers come from
# the Auto Scaling group and get theirs, with no public IP, on the interface.
locals {
  launch_templates = {
    control_plane = { description = "Control-plane nodes", instance_type = var.control_plane_instance_type, security_group_id = var.control_plane_security_group_id, on_interface = false }
    worker        = { description = "Worker nodes", instance_type = var.worker_instance_type, security_group_id = var.worker_security_group_id, on_interface = true }
  }
}

resource "aws_launch_template" "this" {
  for_each = local.launch_templates

  name                   = "${local.name}-${local.roles[each.key]}"
  description            = "${each.value.description} of ${local.name}"
  image_id               = var.ami_id
  instance_type          = each.value.instance_type
  key_name               = var.ssh_public_key == null ? null : aws_key_pair.this[0].key_name
  vpc_security_group_ids = each.value.on_interface ? null : [each.value.security_group_id]
  user_data              = local.user_data[each.key]
  ebs_optimized          = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.node[each.key].arn
  }

  dynamic "network_interfaces" {
    for_each = each.value.on_interface ? [each.value.security_group_id] : []
    content {
      associate_public_ip_address = false
      delete_on_termination       = true
      security_groups             = [network_interfaces.value]
    }
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = local.metadata_hop_limit
    instance_metadata_tags      = "disabled"
  }

  block_device_mappings {
    device_name = var.root_volume.device_name
    ebs {
      volume_size           = var.root_volume.size_gib
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.ebs_kms_key_arn
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  dynamic "tag_specifications" {
    for_each = ["instance", "volume"]
    content {
      resource_type = tag_specifications.value
      tags          = merge({ Name = "${local.name}-${local.roles[each.key]}" }, local.node_tags[each.key])
    }
  }

  tags = merge({ Name = "${local.name}-${local.roles[each.key]}" }, local.node_tags[each.key])
}

moved {
  from = aws_launch_template.control_plane
  to   = aws_launch_template.this["control_plane"]
}

moved {
  from = aws_launch_template.worker
  to   = aws_launch_template.this["worker"]
}

# --- Control plane -----------------------------------------------------------

resource "aws_instance" "control_plane" {
  count = var.control_plane_count

  # Spread over the zones in order: with 3 nodes and 3 zones, one per zone.
  subnet_id                   = var.private_subnet_ids[count.index % length(var.private_subnet_ids)]
  associate_public_ip_address = false
  disable_api_termination     = var.environment == "prod"

  launch_template {
    id      = aws_launch_template.this["control_plane"].id
    version = aws_launch_template.this["control_plane"].latest_version
  }

  tags = merge({ Name = "${local.name}-control-plane-${count.index + 1}" }, local.node_tags.control_plane)

  lifecycle {
    # A control-plane node is an etcd member: it is replaced on purpose
    # (terraform apply -replace=...), never as a side effect of a template edit.
    ignore_changes = [launch_template]
  }
}

# The API behind an internal NLB. Client IP preservation is off: with it on,
# a control-plane node reaching the API through the NLB can be routed to
# itself and the connection hangs (the NLB hairpin problem).
resource "aws_lb" "api" {
  name                             = "${local.name}-api"
  internal                         = true
  load_balancer_type               = "network"
  subnets                          = var.private_subnet_ids
  security_groups                  = [var.api_lb_security_group_id]
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = var.environment == "prod"

  tags = merge({ Name = "${local.name}-api", Role = "api-lb" }, var.tags)
}

resource "aws_lb_target_group" "api" {
  name               = "${local.name}-api"
  port               = 6443
  protocol           = "TCP"
  target_type        = "instance"
  vpc_id             = var.vpc_id
  preserve_client_ip = "false"

  health_check {
    protocol            = "TCP"
    port                = "traffic-port"
    interval            = 10
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }

  tags = merge({ Name = "${local.name}-api" }, var.tags)
}

resource "aws_lb_target_group_attachment" "api" {
  count = var.control_plane_count

  target_group_arn = aws_lb_target_group.api.arn
  target_id        = aws_instance.control_plane[count.index].id
  port             = 6443
}

resource "aws_lb_listener" "api" {
  load_balancer_arn = aws_lb.api.arn
  port              = 6443
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }

  tags = merge({ Name = "${local.name}-api" }, var.tags)
}

# --- Workers -----------------------------------------------------------------

resource "aws_autoscaling_group" "workers" {
  name                      = "${local.name}-workers"
  min_size                  = var.worker_group.min
  max_size                  = var.worker_group.max
  desired_capacity          = var.worker_group.desired
  vpc_zone_identifier       = var.private_subnet_ids
  health_check_type         = "EC2"
  wait_for_capacity_timeout = "10m"
  target_group_arns         = [for group in aws_lb_target_group.ingress : group.arn]

  launch_template {
    id      = aws_launch_template.this["worker"].id
    version = aws_launch_template.this["worker"].latest_version
  }

  # Off by default: a refreshed worker is not in the cluster until Ansible
  # joins it, so a rolling refresh is something to ask for, not a side effect.
  dynamic "instance_refresh" {
    for_each = var.worker_instance_refresh ? [1] : []
    content {
      strategy = "Rolling"
      preferences {
        min_healthy_percentage = 66
      }
    }
  }

  dynamic "tag" {
    for_each = merge({ Name = "${local.name}-worker" }, local.node_tags.worker)
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

# Workers come and go with the group: their addresses are looked up by the
# group's tag once the group exists (at apply, never at plan time).
data "aws_instances" "workers" {
  instance_tags = {
    "aws:autoscaling:groupName" = aws_autoscaling_group.workers.name
  }
  instance_state_names = ["running"]

  depends_on = [aws_autoscaling_group.workers]
}

# --- Ingress (public) --------------------------------------------------------

resource "aws_lb" "ingress" {
  count = var.create_ingress_lb ? 1 : 0

  name                             = "${local.name}-ing"
  internal                         = false
  load_balancer_type               = "network"
  subnets                          = var.public_subnet_ids
  security_groups                  = [var.ingress_lb_security_group_id]
  enable_cross_zone_load_balancing = true
  enable_deletion_protection       = var.environment == "prod"

  tags = merge({ Name = "${local.name}-ingress", Role = "ingress-lb" }, var.tags)
}

resource "aws_lb_target_group" "ingress" {
  for_each = var.create_ingress_lb ? var.ingress_node_ports : {}

  name        = "${local.name}-ing-${each.key}"
  port        = each.value
  protocol    = "TCP"
  target_type = "instance"
  vpc_id      = var.vpc_id

  health_check {
    protocol = "TCP"
    port     = "traffic-port"
  }

  tags = merge({ Name = "${local.name}-ingress-${each.key}" }, var.tags)
}

resource "aws_lb_listener" "ingress" {
  for_each = var.create_ingress_lb ? { http = 80, https = 443 } : {}

  load_balancer_arn = aws_lb.ingress[0].arn
  port              = each.value
  protocol          = "TCP" # TLS is terminated by the ingress controller

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ingress[each.key].arn
  }

  tags = merge({ Name = "${local.name}-ingress-${each.key}" }, var.tags)
}
