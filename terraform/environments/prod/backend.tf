# Remote state in S3 with S3-native locking (Terraform >= 1.10; no DynamoDB
# table). The bucket, key and region come from <env>.s3.tfbackend:
#   terraform init -backend-config=ENV.s3.tfbackend
# The bucket must have versioning on (every state version is kept), default
# encryption, and all public access blocked.
terraform {
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
