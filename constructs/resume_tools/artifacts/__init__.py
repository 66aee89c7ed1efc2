"""Building what ships: the function zip, the synthesized stacks, and the shared preparation."""
