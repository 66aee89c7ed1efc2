"""The tooling nox runs: build, synth, Terraform, deploy, the local cloud, checks, benchmarks.

Nothing here is synthesized or deployed. It may import the infrastructure package
(`resume`) and the function (`visitor_counter`); neither imports anything from here.
"""
