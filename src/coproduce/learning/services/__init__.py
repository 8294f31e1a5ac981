"""Every write in learning together (one module per entity; callers import the module they need)."""
