output "control_plane_nodes" {
  description = "Control-plane nodes: name, instance ID, private IP and availability zone, in creation order (the first initialises the cluster)."
  value = [
    for index, node in aws_instance.control_plane : {
      name              = node.tags["Name"]
      instance_id       = node.id
      private_ip        = node.private_ip
      availability_zone = node.availability_zone
    }
  ]
}

output "control_plane_private_ips" {
  description = "Private IPs of the control-plane nodes."
  value       = aws_instance.control_plane[*].private_ip
}

output "worker_private_ips" {
  description = "Private IPs of the running workers, looked up by the Auto Scaling group's tag at apply time (refresh after scaling)."
  value       = data.aws_instances.workers.private_ips
}

output "worker_instance_ids" {
  description = "Instance IDs of the running workers."
  value       = data.aws_instances.workers.ids
}

output "worker_asg_name" {
  description = "Name of the workers' Auto Scaling group."
  value       = aws_autoscaling_group.workers.name
}

output "api_lb_dns_name" {
  description = "DNS name of the internal API load balancer: kubeadm's controlPlaneEndpoint and Cilium's k8sServiceHost."
  value       = aws_lb.api.dns_name
}

output "api_endpoint" {
  description = "URL of the Kubernetes API."
  value       = "https://${aws_lb.api.dns_name}:6443"
}

output "ingress_lb_dns_name" {
  description = "DNS name of the public ingress load balancer (null when create_ingress_lb is false)."
  value       = var.create_ingress_lb ? aws_lb.ingress[0].dns_name : null
}

output "ssh_user" {
  description = "Login user of the nodes, for Ansible."
  value       = var.ssh_user
}

output "key_name" {
  description = "Name of the EC2 key pair (null without ssh_public_key)."
  value       = var.ssh_public_key == null ? null : aws_key_pair.this[0].key_name
}

output "node_role_names" {
  description = "IAM role of each node kind (control_plane, worker)."
  value       = { for key, role in aws_iam_role.node : key => role.name }
}
