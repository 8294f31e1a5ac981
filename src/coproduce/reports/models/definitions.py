"""Saved report definitions and their runs."""

__all__: list[str] = []
