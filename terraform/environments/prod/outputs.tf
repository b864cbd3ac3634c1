# Read by the Ansible inventory (ansible/inventory/<env>/terraform-inventory.py)
# from terraform/outputs/<env>-terraform-outputs.json; modules/platform makes them.

output "environment" {
  description = "Environment name."
  value       = module.platform.environment
}

output "cluster_name" {
  description = "Name of the Kubernetes cluster."
  value       = module.platform.cluster_name
}

output "region" {
  description = "AWS region."
  value       = module.platform.region
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.platform.vpc_id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = module.platform.vpc_cidr
}

output "private_subnet_ids" {
  description = "Private subnets, one per zone."
  value       = module.platform.private_subnet_ids
}

output "public_subnet_ids" {
  description = "Public subnets, one per zone."
  value       = module.platform.public_subnet_ids
}

output "pod_cidr" {
  description = "Pod network (kubeadm podSubnet, Cilium IPAM)."
  value       = module.platform.pod_cidr
}

output "service_cidr" {
  description = "Service network (kubeadm serviceSubnet)."
  value       = module.platform.service_cidr
}

output "control_plane_nodes" {
  description = "Control-plane nodes (name, instance ID, private IP, zone); the first initialises the cluster."
  value       = module.platform.control_plane_nodes
}

output "control_plane_private_ips" {
  description = "Private IPs of the control-plane nodes."
  value       = module.platform.control_plane_private_ips
}

output "worker_private_ips" {
  description = "Private IPs of the running workers (looked up by the Auto Scaling group's tag at apply)."
  value       = module.platform.worker_private_ips
}

output "worker_instance_ids" {
  description = "Instance IDs of the running workers."
  value       = module.platform.worker_instance_ids
}

output "worker_asg_name" {
  description = "Auto Scaling group of the workers."
  value       = module.platform.worker_asg_name
}

output "api_lb_dns_name" {
  description = "Internal API load balancer: kubeadm controlPlaneEndpoint and Cilium k8sServiceHost."
  value       = module.platform.api_lb_dns_name
}

output "api_endpoint" {
  description = "URL of the Kubernetes API."
  value       = module.platform.api_endpoint
}

output "ingress_lb_dns_name" {
  description = "Public ingress load balancer (point application DNS records here)."
  value       = module.platform.ingress_lb_dns_name
}

output "ssh_enabled" {
  description = "True when the nodes accept SSH (a key and ssh_allowed_cidrs); otherwise reach them through SSM Session Manager."
  value       = module.platform.ssh_enabled
}

output "ssh_user" {
  description = "Login user of the nodes."
  value       = module.platform.ssh_user
}

output "nat_public_ips" {
  description = "Egress IPs of the cluster."
  value       = module.platform.nat_public_ips
}

output "etcd_backup_bucket" {
  description = "S3 bucket the control planes write etcd snapshots to (SSE-KMS, versioned, expiring)."
  value       = module.platform.etcd_backup_bucket
}

output "etcd_backup_kms_key_arn" {
  description = "KMS key of the etcd snapshots: an upload that names an encryption names this key."
  value       = module.platform.etcd_backup_kms_key_arn
}

output "etcd_backup_prefix" {
  description = "Key prefix of the etcd snapshots in the bucket (the control planes may write and read only under it)."
  value       = module.platform.etcd_backup_prefix
}
