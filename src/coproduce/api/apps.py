"""The public API at /api/v1/: the same services and access rules as the pages, for personal access tokens.

This app is the plumbing (tokens, authentication, problem details, cursor pagination, rate limits, the OpenAPI
description). Each capability keeps its own endpoints in its ``api_v1.py`` (a django-ninja Router) and
registers it with ``coproduce.api.framework.register_router`` in its AppConfig.ready; this app imports no
capability."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "coproduce.api"
    label = "api"
    verbose_name = "Public API"

    def ready(self) -> None:
        # --- permissions
        from coproduce.api import rules  # noqa: F401

        # --- the public API: the API's own endpoints (partnerships, me)
        from coproduce.api.api_v1 import r
        from coproduce.api.framework import register_router

        register_router("core", r)
