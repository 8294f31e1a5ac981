"""The site's URLs plus two faulty pages, for test_harness.py to show that the checks catch them."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def page_with_inline_handler(request: HttpRequest) -> HttpResponse:
    return HttpResponse('<!doctype html><title>Faulty</title><h1 onclick="go()">Faulty</h1>')


def page_that_fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("fails on purpose")


urlpatterns = [
    path("faulty/markup/", page_with_inline_handler),
    path("faulty/error/", page_that_fails),
    path("", include("coproduce.urls")),
]
