# The environment outputs these as its own (terraform/environments/<env>/outputs.tf).

output "environment" {
  description = "Environment name."
  value       = var.environment
}

output "cluster_name" {
  description = "Name of the Kubernetes cluster."
  value       = var.cluster_name
}

output "region" {
  description = "AWS region."
  value       = var.region
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = module.vpc.vpc_cidr

  # Checked here because a variable's validation cannot compare it with the others.
  precondition {
    condition     = !local.overlaps.vpc_pods && !local.overlaps.vpc_services && !local.overlaps.pods_services
    error_message = "vpc_cidr, pod_cidr and service_cidr must not overlap (the pod and service networks are routed inside the cluster)."
  }
}

output "private_subnet_ids" {
  description = "Private subnets, one per zone."
  value       = module.vpc.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Public subnets, one per zone."
  value       = module.vpc.public_subnet_ids
}

output "pod_cidr" {
  description = "Pod network (kubeadm podSubnet, Cilium IPAM)."
  value       = var.pod_cidr
}

output "service_cidr" {
  description = "Service network (kubeadm serviceSubnet)."
  value       = var.service_cidr
}

output "control_plane_nodes" {
  description = "Control-plane nodes (name, instance ID, private IP, zone); the first initialises the cluster."
  value       = module.compute.control_plane_nodes
}

output "control_plane_private_ips" {
  description = "Private IPs of the control-plane nodes."
  value       = module.compute.control_plane_private_ips
}

output "worker_private_ips" {
  description = "Private IPs of the running workers (looked up by the Auto Scaling group's tag at apply)."
  value       = module.compute.worker_private_ips
}

output "worker_instance_ids" {
  description = "Instance IDs of the running workers."
  value       = module.compute.worker_instance_ids
}

output "worker_asg_name" {
  description = "Auto Scaling group of the workers."
  value       = module.compute.worker_asg_name
}

output "api_lb_dns_name" {
  description = "Internal API load balancer: kubeadm controlPlaneEndpoint and Cilium k8sServiceHost."
  value       = module.compute.api_lb_dns_name
}

output "api_endpoint" {
  description = "URL of the Kubernetes API."
  value       = module.compute.api_endpoint
}

output "ingress_lb_dns_name" {
  description = "Public ingress load balancer (point application DNS records here)."
  value       = module.compute.ingress_lb_dns_name
}

output "ssh_enabled" {
  description = "True when the nodes accept SSH (a key and ssh_allowed_cidrs); otherwise reach them through SSM Session Manager."
  value       = var.ssh_public_key != null && length(var.ssh_allowed_cidrs) > 0
}

output "ssh_user" {
  description = "Login user of the nodes."
  value       = module.compute.ssh_user
}

output "nat_public_ips" {
  description = "Egress IPs of the cluster."
  value       = module.vpc.nat_public_ips
}

output "etcd_backup_bucket" {
  description = "S3 bucket the control planes write etcd snapshots to (SSE-KMS, versioned, expiring)."
  value       = module.backup.bucket_name
}

output "etcd_backup_kms_key_arn" {
  description = "KMS key of the etcd snapshots: an upload that names an encryption names this key."
  value       = module.backup.kms_key_arn
}

output "etcd_backup_prefix" {
  description = "Key prefix of the etcd snapshots in the bucket (the control planes may write and read only under it)."
  value       = module.backup.snapshot_prefix
}

output "tags" {
  description = "Tags of every resource: the provider's default_tags in the environment."
  value       = local.tags
}
