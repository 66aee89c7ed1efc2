"""Build and deploy tooling that the nox sessions call: package, synth, Terraform, deploy."""
