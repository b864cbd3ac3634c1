variable "environment" {
  description = "Environment name: dev or prod (prod gets termination and deletion protection)."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "profile" {
  description = "What sets the environment apart: zones, node counts and types, NAT gateways, disk size, flow-log retention."
  type = object({
    min_zones                   = number
    control_plane_count         = number
    single_nat_gateway          = bool
    control_plane_instance_type = string
    worker_instance_type        = string
    worker_group                = object({ min = number, max = number, desired = number })
    root_volume_gib             = number
    flow_log_retention_days     = number
  })
}

variable "region" {
  description = "AWS region of the environment."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "aws_account_id" {
  description = "The AWS account this environment lives in: Terraform refuses to run against any other, and the flow logs' key and role name it."
  type        = string

  validation {
    condition     = can(regex("^\\d{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

variable "cluster_name" {
  description = "Name of the Kubernetes cluster, 3-16 characters (it prefixes AWS names limited to 32)."
  type        = string
  default     = "platform"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be 3-16 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC; must not overlap pod_cidr or service_cidr."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid CIDR block, e.g. 10.20.0.0/16."
  }
}

variable "availability_zones" {
  description = "Availability zones of the environment, at least 2 in dev and 3 in prod (one control-plane node per zone)."
  type        = list(string)

  validation {
    condition     = length(distinct(var.availability_zones)) >= var.profile.min_zones
    error_message = "availability_zones must list at least ${var.profile.min_zones} distinct zones in ${var.environment}."
  }
}

variable "pod_cidr" {
  description = "Pod network of the cluster (kubeadm podSubnet, Cilium IPAM); for the Ansible inventory."
  type        = string
  default     = "10.244.0.0/16"
  nullable    = false

  validation {
    condition     = can(cidrhost(var.pod_cidr, 0))
    error_message = "pod_cidr must be a valid CIDR block."
  }
}

variable "service_cidr" {
  description = "Service network of the cluster (kubeadm serviceSubnet); for the Ansible inventory."
  type        = string
  default     = "10.96.0.0/12"
  nullable    = false

  validation {
    condition     = can(cidrhost(var.service_cidr, 0))
    error_message = "service_cidr must be a valid CIDR block."
  }
}

variable "ami_id" {
  description = "AMI of every node (Debian 12 amd64 is what the Ansible roles are tested on)."
  type        = string
}

variable "ssh_user" {
  description = "Login user of the AMI (admin on Debian)."
  type        = string
  default     = "admin"
  nullable    = false

}

variable "ssh_public_key" {
  description = "OpenSSH public key for ssh_user; null for SSM-only access."
  type        = string
  default     = null
}

variable "ssh_allowed_cidrs" {
  description = "Administrator networks that may SSH to the nodes (never 0.0.0.0/0)."
  type        = list(string)
  default     = []
  nullable    = false

}

variable "admin_api_cidrs" {
  description = "Administrator networks that may reach the Kubernetes API load balancer (never 0.0.0.0/0)."
  type        = list(string)
  default     = []
  nullable    = false

}

variable "ingress_allowed_cidrs" {
  description = "Who may reach the public ingress load balancer on 80/443."
  type        = list(string)
  default     = []
  nullable    = false

}

variable "tags" {
  description = "Extra tags for every resource (Environment, Cluster, ManagedBy and Project are always set)."
  type        = map(string)
  default     = {}
  nullable    = false

}
