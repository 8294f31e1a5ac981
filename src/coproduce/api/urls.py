from django.urls import include, path

from coproduce.api.framework import url_patterns
from coproduce.api.views import tokens

app_name = "api"

urlpatterns: list = [
    # --- the API itself at /api/v1/ (the NinjaAPI, with the capabilities' routers) and its OpenAPI description
    path("api/v1/", include((url_patterns(), "v1"))),
    # --- the token pages: /p/<slug>/api-tokens/ (create, shown once; revoke; uses)
    path("p/<slug:slug>/api-tokens/", tokens.tokens, name="tokens"),
    path("p/<slug:slug>/api-tokens/<int:token_id>/", tokens.token, name="token"),
    path("p/<slug:slug>/api-tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token-revoke"),
]
