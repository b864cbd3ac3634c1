locals { # what makes dev dev; the rest is modules/platform (README.md)
  environment = "dev"
  profile = {
    min_zones                   = 2
    control_plane_count         = 1
    single_nat_gateway          = true
    control_plane_instance_type = "t3.medium"
    worker_instance_type        = "t3.large"
    worker_group                = { min = 2, max = 3, desired = 2 }
    root_volume_gib             = 40
    flow_log_retention_days     = 14
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
