# Where the control planes write their scheduled etcd snapshots: one bucket
# per environment, encrypted with its own key, private, TLS-only, versioned,
# expiring by itself; the control-plane role may put and get snapshots under
# the prefix and use the key through S3, nothing more (no delete).

locals {
  name = "${var.cluster_name}-${var.environment}"

  # S3 names are global: the account ID keeps two accounts' clusters apart.
  bucket_name = "${local.name}-etcd-backups-${var.account_id}"

  # Built from the name, so the policies are known at plan time and can be checked there.
  bucket_arn    = "arn:${var.aws_partition}:s3:::${local.bucket_name}"
  node_role_arn = "arn:${var.aws_partition}:iam::${var.account_id}:role/${var.node_role_name}"
  s3_service    = "s3.${var.region}.amazonaws.com"

  object_lock = var.object_lock_days != null
}

# --- Key ---------------------------------------------------------------------

# The snapshots' own key: the account administers it (and may grant it through
# IAM); the control-plane role may use it only through S3 in this region.
resource "aws_kms_key" "this" {
  description             = "etcd snapshots of ${local.name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${var.aws_partition}:iam::${var.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "ControlPlanesUseTheKeyThroughS3"
        Effect    = "Allow"
        Principal = { AWS = local.node_role_arn }
        Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:ViaService"    = local.s3_service
            "kms:CallerAccount" = var.account_id
          }
        }
      },
    ]
  })

  tags = merge({ Name = "${local.name}-etcd-backups" }, var.tags)
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.name}-etcd-backups"
  target_key_id = aws_kms_key.this.key_id
}

# --- Bucket ------------------------------------------------------------------

resource "aws_s3_bucket" "this" {
  bucket = local.bucket_name
  # dev may be destroyed with its snapshots; prod never (terraform destroy fails on a non-empty bucket).
  force_destroy = var.environment != "prod"

  tags = merge({ Name = local.bucket_name }, var.tags)
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# TLS only, and nothing stored under another encryption: an upload that names
# an encryption must name SSE-KMS with this key; one that names none gets the
# bucket default (this key). The IfExists forms keep multipart parts, which
# carry no encryption headers, working.
resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [local.bucket_arn, "${local.bucket_arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "DenyUploadsNotEncryptedWithKms"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:PutObject"
        Resource  = "${local.bucket_arn}/*"
        Condition = { StringNotEqualsIfExists = { "s3:x-amz-server-side-encryption" = "aws:kms" } }
      },
      {
        Sid       = "DenyUploadsUnderAnotherKey"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:PutObject"
        Resource  = "${local.bucket_arn}/*"
        Condition = { StringNotEqualsIfExists = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.this.arn } }
      },
      {
        # aws:kms without a key ID would mean the AWS managed aws/s3 key.
        Sid       = "DenyKmsUploadsWithoutThisKey"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:PutObject"
        Resource  = "${local.bucket_arn}/*"
        Condition = {
          StringEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" }
          Null         = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = "true" }
        }
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.this]
}

# Snapshots under the prefix expire after retention_days and are deleted for
# good noncurrent_retention_days later; abandoned multipart uploads go after a day.
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-snapshots"
    status = "Enabled"

    filter {
      prefix = var.snapshot_prefix
    }

    expiration {
      days = var.retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_retention_days
    }
  }

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Noncurrent-version rules need versioning first.
  depends_on = [aws_s3_bucket_versioning.this]
}

# Governance-mode Object Lock (prod): a snapshot version cannot be deleted or
# overwritten for object_lock_days, except by a principal with
# s3:BypassGovernanceRetention (the control planes have none). Uploads must then
# carry a checksum (Content-MD5 or x-amz-checksum-*; AWS CLI v2 sends one).
resource "aws_s3_bucket_object_lock_configuration" "this" {
  count = local.object_lock ? 1 : 0

  bucket              = aws_s3_bucket.this.id
  object_lock_enabled = "Enabled"

  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = var.object_lock_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

# --- Access of the control planes ----------------------------------------------

# Put and get snapshots under the prefix, list only the prefix, use the key
# only through S3: no delete, no other bucket, no other key.
data "aws_iam_policy_document" "control_plane" {
  statement {
    sid       = "WriteAndReadSnapshots"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${local.bucket_arn}/${var.snapshot_prefix}*"]
  }

  statement {
    sid       = "ListSnapshots"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.snapshot_prefix}*"]
    }
  }

  statement {
    sid       = "UseTheKeyThroughS3"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.s3_service]
    }
  }
}

resource "aws_iam_role_policy" "control_plane" {
  name   = "${local.name}-etcd-backups"
  role   = var.node_role_name
  policy = data.aws_iam_policy_document.control_plane.json
}
