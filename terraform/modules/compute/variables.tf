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
  description = "Environment name: dev or prod. Prod control-plane instances get termination protection."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "region" {
  description = "AWS region (user data downloads the SSM agent from the region's bucket)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "aws_partition" {
  description = "AWS partition of the managed policy ARNs (aws, aws-cn, aws-us-gov). An input so planning needs no AWS lookup."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.aws_partition)
    error_message = "aws_partition must be aws, aws-cn or aws-us-gov."
  }
}

variable "vpc_id" {
  description = "ID of the VPC (for the load balancer target groups)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets, one per availability zone: control-plane nodes are spread over them in order, workers use them all."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids must list at least 2 subnets (zones)."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets for the ingress load balancer."
  type        = list(string)
}

variable "control_plane_security_group_id" {
  description = "Security group of the control-plane nodes (from the security module)."
  type        = string
}

variable "worker_security_group_id" {
  description = "Security group of the worker nodes (from the security module)."
  type        = string
}

variable "api_lb_security_group_id" {
  description = "Security group of the internal API load balancer (from the security module)."
  type        = string
}

variable "ingress_lb_security_group_id" {
  description = "Security group of the public ingress load balancer (from the security module)."
  type        = string
}

variable "ami_id" {
  description = "AMI for every node (e.g. Debian 12 for amd64). An input so planning needs no AWS lookup; pin it per environment."
  type        = string

  validation {
    condition     = can(regex("^ami-[0-9a-f]{8}([0-9a-f]{9})?$", var.ami_id))
    error_message = "ami_id must look like ami-0123456789abcdef0."
  }
}

variable "ssh_user" {
  description = "Login user of the AMI, for Ansible (admin on Debian, ubuntu on Ubuntu)."
  type        = string
  default     = "admin"
}

variable "ssh_public_key" {
  description = "OpenSSH public key installed for ssh_user. Null: no key pair (reach the nodes through SSM Session Manager)."
  type        = string
  default     = null

  validation {
    condition     = var.ssh_public_key == null || can(regex("^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$", var.ssh_public_key))
    error_message = "ssh_public_key must be an OpenSSH public key line (ssh-ed25519 AAAA... comment), never a private key."
  }
}

variable "control_plane_count" {
  description = "Number of control-plane nodes: 1 (dev) or an odd number for an etcd quorum (3 in prod)."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 3, 5], var.control_plane_count)
    error_message = "control_plane_count must be 1, 3 or 5 (etcd needs an odd number of members)."
  }
}

variable "control_plane_instance_type" {
  description = "Instance type of the control-plane nodes (kubeadm needs 2 vCPU and 2 GiB at least)."
  type        = string
  default     = "t3.medium"
}

variable "worker_instance_type" {
  description = "Instance type of the worker nodes."
  type        = string
  default     = "t3.large"
}

variable "worker_group" {
  description = "Size of the worker Auto Scaling group."
  type = object({
    min     = number
    max     = number
    desired = number
  })
  default = { min = 2, max = 4, desired = 2 }

  validation {
    condition     = var.worker_group.min >= 1 && var.worker_group.min <= var.worker_group.desired && var.worker_group.desired <= var.worker_group.max
    error_message = "worker_group needs 1 <= min <= desired <= max."
  }
}

variable "worker_instance_refresh" {
  description = "Roll the workers onto a new launch template version automatically. Each new worker then needs Ansible (Task 2.8) to join the cluster."
  type        = bool
  default     = false
}

variable "root_volume" {
  description = "Root volume of every node: size in GiB and the device name of the AMI's root (/dev/xvda on Debian)."
  type = object({
    size_gib    = optional(number, 50)
    device_name = optional(string, "/dev/xvda")
  })
  default = {}

  validation {
    condition     = var.root_volume.size_gib >= 20
    error_message = "root_volume.size_gib must be at least 20 (images and etcd)."
  }
}

variable "ebs_kms_key_arn" {
  description = "KMS key for the root volumes; null uses the account's default EBS key. Volumes are always encrypted."
  type        = string
  default     = null
}

variable "create_ingress_lb" {
  description = "Create the public load balancer that forwards 80/443 to the ingress controller's NodePorts on the workers."
  type        = bool
  default     = true
}

variable "ingress_node_ports" {
  description = "NodePorts of the ingress controller's Service that the public load balancer forwards 80 and 443 to."
  type = object({
    http  = number
    https = number
  })
  default = { http = 30080, https = 30443 }

  validation {
    condition     = alltrue([for port in values(var.ingress_node_ports) : port >= 30000 && port <= 32767])
    error_message = "ingress_node_ports must be in the NodePort range 30000-32767."
  }
}

variable "extra_node_policy_arns" {
  description = "Extra IAM policies for the node roles (e.g. ECR read-only). Never an administrator policy."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.extra_node_policy_arns : can(regex("^arn:aws[a-z-]*:iam::", arn)) && !can(regex("(AdministratorAccess|PowerUserAccess|FullAccess)$", arn))])
    error_message = "extra_node_policy_arns must be IAM policy ARNs, and not AdministratorAccess, PowerUserAccess or any *FullAccess policy."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (Environment, Cluster and ManagedBy at least)."
  type        = map(string)
  default     = {}
}
