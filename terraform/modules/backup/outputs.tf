output "bucket_name" {
  description = "Name of the etcd snapshot bucket."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the etcd snapshot bucket."
  value       = aws_s3_bucket.this.arn
}

output "kms_key_arn" {
  description = "ARN of the snapshots' KMS key: uploads that name an encryption must name this key (--sse aws:kms --sse-kms-key-id)."
  value       = aws_kms_key.this.arn
}

output "snapshot_prefix" {
  description = "Key prefix the control planes write snapshots under (ends in a slash)."
  value       = var.snapshot_prefix

  # The role's policy is what lets the control planes write: an output read by
  # Ansible must not promise a bucket they cannot use.
  depends_on = [aws_iam_role_policy.control_plane]
}
