from django.urls import path  # noqa: F401

app_name = "api"

urlpatterns: list = [
    # --- the API itself at /api/v1/ (the NinjaAPI, with the capabilities' routers) and its OpenAPI description
    # --- the token pages: /p/<slug>/api-tokens/ (create, shown once; revoke; uses)
]
