"""Employability outcomes recorded with the member, and her priority family groups (voluntary)."""

__all__: list[str] = []
