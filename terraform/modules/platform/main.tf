# The platform of one environment: the vpc, security, compute and backup
# modules wired together. An environment (terraform/environments/<env>) is a provider, a
# backend, its profile and one call of this module.

locals {
  tags = merge(var.tags, {
    Environment = var.environment
    Cluster     = var.cluster_name
    ManagedBy   = "terraform"
    Project     = "platform"
  })
}


# Every new EBS volume in the region is encrypted, whatever created it (an AMI
# whose root is not the launch template's device name would otherwise escape).
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

module "vpc" {
  source = "../vpc"

  cluster_name            = var.cluster_name
  environment             = var.environment
  account_id              = var.aws_account_id
  region                  = var.region
  vpc_cidr                = var.vpc_cidr
  availability_zones      = var.availability_zones
  single_nat_gateway      = var.profile.single_nat_gateway
  flow_log_retention_days = var.profile.flow_log_retention_days
  tags                    = local.tags
}

module "security" {
  source = "../security"

  cluster_name          = var.cluster_name
  environment           = var.environment
  vpc_id                = module.vpc.vpc_id
  vpc_cidr              = module.vpc.vpc_cidr
  admin_api_cidrs       = var.admin_api_cidrs
  ssh_allowed_cidrs     = var.ssh_allowed_cidrs
  ingress_allowed_cidrs = var.ingress_allowed_cidrs
  tags                  = local.tags
}

module "compute" {
  source = "../compute"

  cluster_name                    = var.cluster_name
  environment                     = var.environment
  region                          = var.region
  vpc_id                          = module.vpc.vpc_id
  private_subnet_ids              = module.vpc.private_subnet_ids
  public_subnet_ids               = module.vpc.public_subnet_ids
  control_plane_security_group_id = module.security.control_plane_security_group_id
  worker_security_group_id        = module.security.worker_security_group_id
  api_lb_security_group_id        = module.security.api_lb_security_group_id
  ingress_lb_security_group_id    = module.security.ingress_lb_security_group_id
  ami_id                          = var.ami_id
  ssh_user                        = var.ssh_user
  ssh_public_key                  = var.ssh_public_key
  control_plane_count             = var.profile.control_plane_count
  control_plane_instance_type     = var.profile.control_plane_instance_type
  worker_instance_type            = var.profile.worker_instance_type
  worker_group                    = var.profile.worker_group
  root_volume                     = { size_gib = var.profile.root_volume_gib }
  tags                            = local.tags
}

# The bucket the control planes write their scheduled etcd snapshots to. Prod
# keeps every snapshot version under governance-mode Object Lock for a week
# (it cannot be turned off once applied); dev has none and may be destroyed.
module "backup" {
  source = "../backup"

  cluster_name     = var.cluster_name
  environment      = var.environment
  account_id       = var.aws_account_id
  region           = var.region
  node_role_name   = module.compute.node_role_names["control_plane"]
  object_lock_days = var.environment == "prod" ? 7 : null
  tags             = local.tags
}

# Overlap of the VPC, pod and service networks, from each CIDR's first
# address and size (Terraform has no CIDR-containment function).
locals {
  ranges = {
    for name, cidr in { vpc = var.vpc_cidr, pods = var.pod_cidr, services = var.service_cidr } : name => {
      start                 = try(sum([for index, octet in split(".", cidrhost(cidr, 0)) : tonumber(octet) * pow(256, 3 - index)]), 0)
      size                  = try(pow(2, 32 - tonumber(split("/", cidr)[1])), 0)
    }
  }
  overlaps = {
    for pair in [["vpc", "pods"], ["vpc", "services"], ["pods", "services"]] : "${pair[0]}_${pair[1]}" =>
    local.ranges[pair[0]].start < local.ranges[pair[1]].start + local.ranges[pair[1]].size &&
    local.ranges[pair[1]].start < local.ranges[pair[0]].start + local.ranges[pair[0]].size
  }
}
