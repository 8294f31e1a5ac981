"""Models of this capability (none yet)."""
