output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, in the order of availability_zones."
  value       = [for zone in var.availability_zones : aws_subnet.public[zone].id]
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, in the order of availability_zones."
  value       = [for zone in var.availability_zones : aws_subnet.private[zone].id]
}

output "private_subnets_by_zone" {
  description = "Private subnet ID per availability zone."
  value       = { for zone, subnet in aws_subnet.private : zone => subnet.id }
}

output "private_subnet_cidrs" {
  description = "CIDR blocks of the private subnets, in the order of availability_zones."
  value       = [for zone in var.availability_zones : aws_subnet.private[zone].cidr_block]
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways (the cluster's egress addresses, for allow-lists elsewhere)."
  value       = [for eip in aws_eip.nat : eip.public_ip]
}

output "flow_log_group_name" {
  description = "CloudWatch Logs group receiving the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}
