from typing import Any

from django.http import Http404


class NotPermitted(Http404):
    """The acting person may not do or see this. It answers 404, the same as "missing", so that
    nobody can learn what exists outside their reach."""


class ServiceError(Exception):
    """A write was refused for a reason the person can act on. ``field`` names the form field to
    show it next to (None for the whole form)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def add_to(self, form: Any) -> None:
        """Show the message next to its field on ``form``, or at the top when the form has no such field."""
        form.add_error(self.field if self.field in form.fields else None, self.message)
