terraform {
  # 1.10: S3 native state locking in the environments; tests use mock_provider (1.7+).
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70, < 6.0"
    }
  }
}
