"""Every write of the reports app, one module per part."""
