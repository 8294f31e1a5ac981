"""The token pages' forms."""
