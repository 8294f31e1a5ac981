"""Every write of the api app."""
