"""Personal access tokens and their uses."""

from django.db import models  # noqa: F401
