"""The reports app's forms, one module per part."""
