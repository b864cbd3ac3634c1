output "bucket" {
  description = "The state bucket: the bucket of terraform/environments/<env>/<env>.s3.tfbackend."
  value       = aws_s3_bucket.state.id
}

output "kms_key_alias" {
  description = "The state's KMS key alias: the kms_key_id of <env>.s3.tfbackend."
  value       = aws_kms_alias.state.name
}
