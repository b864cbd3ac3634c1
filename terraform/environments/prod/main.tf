locals { # what makes prod prod; the rest is modules/platform (README.md)
  environment = "prod"
  profile = {
    min_zones                   = 3
    control_plane_count         = 3     # an etcd quorum, one member per zone
    single_nat_gateway          = false # a NAT gateway per zone survives a zone outage
    control_plane_instance_type = "m6i.large"
    worker_instance_type        = "m6i.2xlarge"
    worker_group                = { min = 3, max = 6, desired = 3 }
    root_volume_gib             = 80
    flow_log_retention_days     = 90
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.aws_account_id]
  default_tags { tags = module.platform.tags }
}

module "platform" {
  source                = "../../modules/platform"
  environment           = local.environment
  profile               = local.profile
  region                = var.region
  aws_account_id        = var.aws_account_id
  cluster_name          = var.cluster_name
  vpc_cidr              = var.vpc_cidr
  availability_zones    = var.availability_zones
  pod_cidr              = var.pod_cidr
  service_cidr          = var.service_cidr
  ami_id                = var.ami_id
  ssh_user              = var.ssh_user
  ssh_public_key        = var.ssh_public_key
  ssh_allowed_cidrs     = var.ssh_allowed_cidrs
  admin_api_cidrs       = var.admin_api_cidrs
  ingress_allowed_cidrs = var.ingress_allowed_cidrs
  tags                  = var.tags
}
