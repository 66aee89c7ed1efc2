"""Gates on what ships: checkov on the synthesized stacks, pip-audit and npm audit on locks."""
