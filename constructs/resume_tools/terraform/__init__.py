"""Terraform with the project's CLI config: the provider mirror, runs, one runner per stack."""
