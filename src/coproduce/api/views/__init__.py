"""The token pages, one module per part."""
