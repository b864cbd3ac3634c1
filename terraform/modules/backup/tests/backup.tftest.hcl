# Plan-time checks of the backup module against a mocked AWS provider: the
# bucket is encrypted with its own rotated key, private, versioned, TLS-only
# and expiring; the control planes may put and get snapshots under the prefix
# and nothing else; bad retention is refused.

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    override_during = plan
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
  # Known at plan time, so the policies that name the key can be read there.
  mock_resource "aws_kms_key" {
    override_during = plan
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
      key_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    }
  }
}

variables {
  cluster_name   = "platform"
  environment    = "prod"
  account_id     = "123456789012"
  region         = "eu-west-1"
  node_role_name = "platform-prod-control-plane"
  tags           = { Environment = "prod", Cluster = "platform", ManagedBy = "terraform" }
}

run "bucket_is_private_encrypted_and_versioned" {
  command = plan

  assert {
    condition     = aws_s3_bucket.this.bucket == "platform-prod-etcd-backups-123456789012" && !aws_s3_bucket.this.force_destroy
    error_message = "the bucket is named by cluster, environment and account, and prod never force-destroys it"
  }

  assert {
    condition = alltrue([
      for rule in aws_s3_bucket_server_side_encryption_configuration.this.rule : rule.bucket_key_enabled && alltrue([
        for default in rule.apply_server_side_encryption_by_default : default.sse_algorithm == "aws:kms" && default.kms_master_key_id == aws_kms_key.this.arn
      ])
    ]) && length(aws_s3_bucket_server_side_encryption_configuration.this.rule) == 1
    error_message = "the bucket encrypts with SSE-KMS under its own key, with a bucket key"
  }

  assert {
    condition = (aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.block_public_policy
    && aws_s3_bucket_public_access_block.this.ignore_public_acls && aws_s3_bucket_public_access_block.this.restrict_public_buckets)
    error_message = "all four public access blocks are on"
  }

  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this.rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs are off: the bucket owner owns every object"
  }

  assert {
    condition     = one(aws_s3_bucket_versioning.this.versioning_configuration).status == "Enabled"
    error_message = "every snapshot version is kept until the lifecycle removes it"
  }

  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_kms_key.this.deletion_window_in_days >= 14 && aws_kms_alias.this.name == "alias/platform-prod-etcd-backups"
    error_message = "the key rotates, waits at least 14 days before deletion, and has an alias"
  }

  assert {
    condition     = alltrue([for key in ["Environment", "Cluster", "ManagedBy"] : contains(keys(aws_s3_bucket.this.tags), key) && contains(keys(aws_kms_key.this.tags), key)])
    error_message = "the bucket and the key carry the platform's tags"
  }
}

run "only_tls_and_only_this_key" {
  command = plan

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      statement.Effect == "Deny" && statement.Action == "s3:*" && try(statement.Condition.Bool["aws:SecureTransport"], "") == "false"
    ])
    error_message = "the bucket policy denies every request over plain HTTP"
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      statement.Effect == "Deny" && statement.Action == "s3:PutObject" && try(statement.Condition.StringNotEqualsIfExists["s3:x-amz-server-side-encryption-aws-kms-key-id"], "") == aws_kms_key.this.arn
    ])
    error_message = "the bucket policy denies uploads encrypted under any other key"
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      statement.Effect == "Deny" && statement.Action == "s3:PutObject" && try(statement.Condition.StringNotEqualsIfExists["s3:x-amz-server-side-encryption"], "") == "aws:kms"
    ])
    error_message = "the bucket policy denies uploads that ask for anything but SSE-KMS"
  }

  assert {
    condition     = alltrue([for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement : statement.Effect == "Deny"])
    error_message = "the bucket policy only denies: access is granted by IAM, never to anyone through the bucket"
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(aws_kms_key.this.policy).Statement :
      contains(["arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:role/platform-prod-control-plane"], statement.Principal.AWS)
    ])
    error_message = "only this account and its control-plane role are named in the key policy"
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_kms_key.this.policy).Statement :
      statement.Principal.AWS == "arn:aws:iam::123456789012:role/platform-prod-control-plane" && try(statement.Condition.StringEquals["kms:ViaService"], "") == "s3.eu-west-1.amazonaws.com"
    ])
    error_message = "the control-plane role may use the key only through S3 of the region"
  }
}

run "snapshots_expire" {
  command = plan

  assert {
    condition = anytrue([
      for rule in aws_s3_bucket_lifecycle_configuration.this.rule :
      rule.status == "Enabled" && try(one(rule.filter).prefix, "") == "etcd/" && try(one(rule.expiration).days, 0) == 30 && try(one(rule.noncurrent_version_expiration).noncurrent_days, 0) == 7
    ])
    error_message = "snapshots under the prefix expire after 30 days by default, noncurrent versions 7 days later"
  }

  assert {
    condition = alltrue([
      for rule in aws_s3_bucket_lifecycle_configuration.this.rule : alltrue([for expiration in rule.expiration : expiration.days == null || expiration.days >= 7])
    ])
    error_message = "no lifecycle rule expires snapshots in less than 7 days"
  }

  assert {
    condition = anytrue([
      for rule in aws_s3_bucket_lifecycle_configuration.this.rule :
      rule.id == "abort-incomplete-uploads" && rule.status == "Enabled" && try(one(rule.abort_incomplete_multipart_upload).days_after_initiation, 0) == 1
    ])
    error_message = "incomplete multipart uploads anywhere in the bucket are aborted after a day"
  }
}

run "retention_follows_the_variables" {
  command = plan

  variables {
    retention_days            = 14
    noncurrent_retention_days = 3
    snapshot_prefix           = "snapshots/etcd/"
  }

  assert {
    condition = anytrue([
      for rule in aws_s3_bucket_lifecycle_configuration.this.rule :
      try(one(rule.filter).prefix, "") == "snapshots/etcd/" && try(one(rule.expiration).days, 0) == 14 && try(one(rule.noncurrent_version_expiration).noncurrent_days, 0) == 3
    ])
    error_message = "retention_days, noncurrent_retention_days and snapshot_prefix reach the lifecycle rule"
  }
}

run "control_planes_put_and_get_under_the_prefix_only" {
  command = plan

  assert {
    condition     = aws_iam_role_policy.control_plane.role == "platform-prod-control-plane"
    error_message = "the policy is attached to the control-plane role"
  }

  assert {
    condition = alltrue(flatten([
      for statement in data.aws_iam_policy_document.control_plane.statement : [
        for action in statement.actions : !strcontains(action, "*") && contains(["s3:PutObject", "s3:GetObject", "s3:ListBucket", "kms:GenerateDataKey", "kms:Decrypt"], action)
      ]
    ]))
    error_message = "the control planes get exactly PutObject, GetObject, ListBucket and the key's GenerateDataKey/Decrypt: no wildcard, no delete"
  }

  assert {
    condition = alltrue(flatten([
      for statement in data.aws_iam_policy_document.control_plane.statement : [
        for resource in statement.resources : contains([
          "arn:aws:s3:::platform-prod-etcd-backups-123456789012/etcd/*",
          "arn:aws:s3:::platform-prod-etcd-backups-123456789012",
          aws_kms_key.this.arn,
        ], resource)
      ]
    ]))
    error_message = "the policy names only the snapshot prefix, the bucket (to list) and the key: no wildcard resource"
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.control_plane.statement :
      contains(statement.actions, "s3:ListBucket") && alltrue([for condition in statement.condition : condition.variable == "s3:prefix" && condition.values == tolist(["etcd/*"])]) && length(statement.condition) == 1
    ])
    error_message = "listing is limited to the snapshot prefix"
  }

  assert {
    condition = anytrue([
      for statement in data.aws_iam_policy_document.control_plane.statement :
      contains(statement.actions, "kms:Decrypt") && anytrue([for condition in statement.condition : condition.variable == "kms:ViaService" && condition.values == tolist(["s3.eu-west-1.amazonaws.com"])])
    ])
    error_message = "the key is usable only through S3 of the region"
  }
}

run "object_lock_is_governance_when_asked" {
  command = plan

  variables {
    object_lock_days = 7
  }

  assert {
    condition     = length(aws_s3_bucket_object_lock_configuration.this) == 1 && one(one(aws_s3_bucket_object_lock_configuration.this[0].rule).default_retention).mode == "GOVERNANCE" && one(one(aws_s3_bucket_object_lock_configuration.this[0].rule).default_retention).days == 7
    error_message = "object_lock_days turns on governance-mode Object Lock for that many days"
  }
}

run "dev_has_no_lock_and_may_be_destroyed" {
  command = plan

  variables {
    environment    = "dev"
    node_role_name = "platform-dev-control-plane"
  }

  assert {
    condition     = length(aws_s3_bucket_object_lock_configuration.this) == 0 && aws_s3_bucket.this.force_destroy
    error_message = "dev has no Object Lock by default and its bucket goes with terraform destroy"
  }
}

run "a_retention_shorter_than_a_week_is_refused" {
  command = plan

  variables {
    retention_days = 3
  }

  expect_failures = [var.retention_days]
}

run "a_lock_longer_than_the_retention_is_refused" {
  command = plan

  variables {
    object_lock_days = 31
  }

  expect_failures = [var.object_lock_days]
}

run "a_wildcard_prefix_is_refused" {
  command = plan

  variables {
    snapshot_prefix = "*"
  }

  expect_failures = [var.snapshot_prefix]
}

run "a_role_arn_instead_of_a_name_is_refused" {
  command = plan

  variables {
    node_role_name = "arn:aws:iam::123456789012:role/platform-prod-control-plane"
  }

  expect_failures = [var.node_role_name]
}
