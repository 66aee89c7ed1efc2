"""Gates on what ships: checkov on the synthesized stacks, pip-audit on the lock files."""
