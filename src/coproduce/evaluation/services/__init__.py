"""Every write of evaluation, one module per entity; this module names what the rest of the code may call."""
