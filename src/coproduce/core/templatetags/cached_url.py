"""``{% url %}`` with remembered answers: the same syntax and output as Django's tag, through
``core.reversing.cached_reverse``. It is one of the template engine's builtins (settings.TEMPLATES), listed after
Django's own, so it takes the place of Django's ``url`` tag in every template without a ``{% load %}``."""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from coproduce.core.reversing import cached_reverse

register = template.Library()


class CachedURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {key: value.resolve(context) for key, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        # Django's tag passes the namespace of the current request as ``current_app``; it only matters for
        # an application included more than once under different instance namespaces, which Coproduce does not do.
        url = ""
        try:
            url = cached_reverse(view_name, args, kwargs)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser: Parser, token: Token) -> CachedURLNode:
    """Parsed exactly as Django's ``{% url %}``; rendered through the per-process memory of addresses."""
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
