variable "cluster_name" {
  description = "Name of the Kubernetes cluster; prefixes the security group names."
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

variable "vpc_id" {
  description = "ID of the VPC the security groups belong to."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC: the nodes may query the VPC's DNS resolver in it."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid CIDR block."
  }
}

variable "admin_api_cidrs" {
  description = "CIDRs (VPN, bastion) that may reach the Kubernetes API on the internal load balancer. Never the whole internet."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.admin_api_cidrs : can(cidrhost(cidr, 0)) && try(tonumber(split("/", cidr)[1]) >= 8, false)])
    error_message = "admin_api_cidrs must be valid CIDR blocks no broader than /8 (never 0.0.0.0/0 or ::/0): the API is for administrators only."
  }
}

variable "ssh_allowed_cidrs" {
  description = "CIDRs (VPN, bastion) that may SSH to the nodes. Empty: no SSH at all (use SSM Session Manager)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.ssh_allowed_cidrs : can(cidrhost(cidr, 0)) && try(tonumber(split("/", cidr)[1]) >= 8, false)])
    error_message = "ssh_allowed_cidrs must be valid CIDR blocks no broader than /8 (never 0.0.0.0/0 or ::/0): SSH is for administrator networks only."
  }
}

variable "ingress_allowed_cidrs" {
  description = "CIDRs that may reach the public ingress load balancer on 80 and 443 (e.g. [\"0.0.0.0/0\"] for a public site). Empty: nobody."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.ingress_allowed_cidrs : can(cidrhost(cidr, 0))])
    error_message = "ingress_allowed_cidrs must be valid CIDR blocks."
  }
}

variable "node_port_range" {
  description = "NodePort range of the cluster (kube-apiserver --service-node-port-range); only the ingress load balancer may reach it."
  type = object({
    from = number
    to   = number
  })
  default = { from = 30000, to = 32767 }

  validation {
    condition     = var.node_port_range.from >= 1024 && var.node_port_range.from <= var.node_port_range.to && var.node_port_range.to <= 65535
    error_message = "node_port_range must be an ordered range of unprivileged ports."
  }
}

variable "enable_hubble" {
  description = "Open Cilium's Hubble peer port (4244) between nodes, for Hubble Relay."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
