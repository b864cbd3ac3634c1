# Where the resources went when the environment's wiring became
# modules/platform: a state made before that plans moves, never replacements
# (tests/Build.Tests/Terraform/CompositionTests.cs plans the proof).
moved {
  from = aws_ebs_encryption_by_default.this
  to   = module.platform.aws_ebs_encryption_by_default.this
}

moved {
  from = module.vpc
  to   = module.platform.module.vpc
}

moved {
  from = module.security
  to   = module.platform.module.security
}

moved {
  from = module.compute
  to   = module.platform.module.compute
}
