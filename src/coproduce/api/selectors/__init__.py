"""Every read of the api app."""
