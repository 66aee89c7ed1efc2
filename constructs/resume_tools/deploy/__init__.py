"""Shipping a stage: apply the stacks, publish the site, or plan what would change."""
