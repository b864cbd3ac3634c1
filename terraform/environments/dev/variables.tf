# The environment's inputs, passed to modules/platform as they are: their
# defaults and validation live there, once for every environment.

variable "region" {
  description = "AWS region of the environment."
  type        = string
}

variable "aws_account_id" {
  description = "The AWS account this environment lives in: Terraform refuses to run against any other, and the flow logs' key and role name it."
  type        = string
}

variable "cluster_name" {
  description = "Name of the Kubernetes cluster, 3-16 characters (it prefixes AWS names limited to 32)."
  type        = string
  default     = null
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC; must not overlap pod_cidr or service_cidr."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones of the environment, at least 2 in dev and 3 in prod (one control-plane node per zone)."
  type        = list(string)
}

variable "pod_cidr" {
  description = "Pod network of the cluster (kubeadm podSubnet, Cilium IPAM); for the Ansible inventory."
  type        = string
  default     = null
}

variable "service_cidr" {
  description = "Service network of the cluster (kubeadm serviceSubnet); for the Ansible inventory."
  type        = string
  default     = null
}

variable "ami_id" {
  description = "AMI of every node (Debian 12 amd64 is what the Ansible roles are tested on)."
  type        = string
}

variable "ssh_user" {
  description = "Login user of the AMI (admin on Debian)."
  type        = string
  default     = null
}

variable "ssh_public_key" {
  description = "OpenSSH public key for ssh_user; null for SSM-only access."
  type        = string
  default     = null
}

variable "ssh_allowed_cidrs" {
  description = "Administrator networks that may SSH to the nodes (never 0.0.0.0/0)."
  type        = list(string)
  default     = null
}

variable "admin_api_cidrs" {
  description = "Administrator networks that may reach the Kubernetes API load balancer (never 0.0.0.0/0)."
  type        = list(string)
  default     = null
}

variable "ingress_allowed_cidrs" {
  description = "Who may reach the public ingress load balancer on 80/443."
  type        = list(string)
  default     = null
}

variable "tags" {
  description = "Extra tags for every resource (Environment, Cluster, ManagedBy and Project are always set)."
  type        = map(string)
  default     = null
}
