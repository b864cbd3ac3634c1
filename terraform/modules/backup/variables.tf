variable "cluster_name" {
  description = "Name of the Kubernetes cluster; the bucket, key and policy names start with <cluster_name>-<environment>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be 3-16 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: dev or prod. A prod bucket is never force-destroyed with its snapshots in it."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "account_id" {
  description = "The AWS account of the environment: it ends the bucket name (S3 names are global), administers the key and is the only caller the key accepts."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be 12 digits."
  }
}

variable "region" {
  description = "AWS region of the bucket: the key may be used only through S3 of this region (kms:ViaService)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-\\d$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "aws_partition" {
  description = "AWS partition of the ARNs (aws, aws-cn, aws-us-gov). An input so planning needs no AWS lookup."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.aws_partition)
    error_message = "aws_partition must be aws, aws-cn or aws-us-gov."
  }
}

variable "node_role_name" {
  description = "IAM role of the control-plane nodes (compute's node_role_names.control_plane): it may write and read snapshots under snapshot_prefix, and nothing else."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.node_role_name))
    error_message = "node_role_name must be an IAM role name (1-64 letters, digits and +=,.@_-), not an ARN."
  }
}

variable "snapshot_prefix" {
  description = "Key prefix of the snapshots, ending in a slash (e.g. etcd/): the control planes may write and read only under it, and the retention applies to it."
  type        = string
  default     = "etcd/"
  nullable    = false

  validation {
    condition     = can(regex("^([a-z0-9][a-z0-9._-]*/)+$", var.snapshot_prefix)) && length(var.snapshot_prefix) <= 64
    error_message = "snapshot_prefix must be lowercase path segments each ending in a slash, e.g. etcd/ (no leading slash, no wildcards, 64 characters at most)."
  }
}

variable "retention_days" {
  description = "Days a snapshot stays current before it expires (it is then kept noncurrent_retention_days more). At least 7: a week of snapshots to go back to."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = var.retention_days >= 7 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number of days, 7 or more."
  }
}

variable "noncurrent_retention_days" {
  description = "Days an overwritten or expired snapshot version is kept before it is deleted for good."
  type        = number
  default     = 7
  nullable    = false

  validation {
    condition     = var.noncurrent_retention_days >= 1 && floor(var.noncurrent_retention_days) == var.noncurrent_retention_days
    error_message = "noncurrent_retention_days must be a whole number of days, 1 or more."
  }
}

variable "object_lock_days" {
  description = "Object Lock in governance mode: every new snapshot version cannot be deleted or overwritten for this many days without s3:BypassGovernanceRetention. Null: no Object Lock. Once applied, Object Lock cannot be turned off on the bucket."
  type        = number
  default     = null

  validation {
    condition     = var.object_lock_days == null || try(var.object_lock_days >= 1 && floor(var.object_lock_days) == var.object_lock_days && var.object_lock_days <= var.retention_days, false)
    error_message = "object_lock_days must be null or a whole number of days from 1 to retention_days (a lock longer than the retention would keep every snapshot past its expiry)."
  }
}

variable "tags" {
  description = "Tags for every resource of the module (Environment, Cluster and ManagedBy at least)."
  type        = map(string)
  default     = {}
  nullable    = false
}
