variable "environment" {
  description = "The platform environment whose state bucket this is: dev or prod (one bucket and one key per environment)."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "region" {
  description = "AWS region of the state bucket (the same as the environment's)."
  type        = string
  default     = "eu-west-1"
}

variable "bucket_name" {
  description = "Name of the state bucket; terraform/environments/<env>/<env>.s3.tfbackend names the same bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)."
  }
}

variable "aws_account_id" {
  description = "The AWS account the bucket belongs to; the provider refuses any other (null: not checked)."
  type        = string
  default     = null

  validation {
    condition     = var.aws_account_id == null || can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

variable "tags" {
  description = "Tags for the bucket and the key, merged with Environment and Purpose."
  type        = map(string)
  default     = {}
}
