variable "cluster_name" {
  description = "Name of the Kubernetes cluster; prefixes resource names and fills the kubernetes.io/cluster/<name> tags."
  type        = string

  validation {
    # 16 keeps every derived name within AWS limits (load balancers and target groups: 32).
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be 3-16 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: dev or prod."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC, /16 to /20 (the default public subnets are 8 bits longer, and AWS subnets are /28 at least). Must not overlap the cluster's pod and service CIDRs."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("^\\d+\\.\\d+\\.\\d+\\.\\d+/(1[6-9]|20)$", var.vpc_cidr))
    error_message = "vpc_cidr must be a valid IPv4 CIDR block with a prefix from /16 to /20, e.g. 10.20.0.0/16."
  }
}

variable "availability_zones" {
  description = "Availability zones to spread the subnets over (names, e.g. eu-west-1a). Given explicitly so planning needs no AWS lookup."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must list at least 2 distinct zones."
  }
}

variable "public_subnet_cidrs" {
  description = "Explicit public subnet CIDR per availability zone. Zones left out get cidrsubnet(vpc_cidr, 8, <zone index>)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for cidr in values(var.public_subnet_cidrs) : can(cidrhost(cidr, 0))])
    error_message = "public_subnet_cidrs values must be valid CIDR blocks."
  }
}

variable "private_subnet_cidrs" {
  description = "Explicit private subnet CIDR per availability zone. Zones left out get cidrsubnet(vpc_cidr, 4, <zone index> + 1)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for cidr in values(var.private_subnet_cidrs) : can(cidrhost(cidr, 0))])
    error_message = "private_subnet_cidrs values must be valid CIDR blocks."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper; dev) instead of one per zone (survives a zone outage; prod)."
  type        = bool
  default     = false
}

variable "flow_log_retention_days" {
  description = "Days to keep VPC flow logs in CloudWatch Logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "account_id" {
  description = "The AWS account the VPC lives in: the flow-log role trusts the service only on its behalf (aws:SourceAccount), and the flow-log key names it."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "region" {
  description = "The AWS region of the VPC (the flow-log key lets CloudWatch Logs of this region use it)."
  type        = string
}

variable "flow_log_kms_key_arn" {
  description = "KMS key ARN to encrypt the flow log group; null creates a key for it (rotated, usable by CloudWatch Logs for this log group only)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}

variable "vpc_tags" {
  description = "Extra tags for the VPC."
  type        = map(string)
  default     = {}
}

variable "public_subnet_tags" {
  description = "Extra tags for the public subnets."
  type        = map(string)
  default     = {}
}

variable "private_subnet_tags" {
  description = "Extra tags for the private subnets."
  type        = map(string)
  default     = {}
}
