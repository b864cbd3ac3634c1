output "control_plane_security_group_id" {
  description = "Security group of the control-plane nodes."
  value       = aws_security_group.control_plane.id
}

output "worker_security_group_id" {
  description = "Security group of the worker nodes."
  value       = aws_security_group.worker.id
}

output "api_lb_security_group_id" {
  description = "Security group of the internal Kubernetes API load balancer."
  value       = aws_security_group.api_lb.id
}

output "ingress_lb_security_group_id" {
  description = "Security group of the public ingress load balancer."
  value       = aws_security_group.ingress_lb.id
}
