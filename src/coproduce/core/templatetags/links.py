"""``{{ value|safe_href }}``: a link's target made from stored data, or "" when it may not be one.

Use it for every ``href`` that comes from data (a service's website, a response's link, a notice's page)::

    {% load links %}
    {% with href=service.url|safe_href %}{% if href %}<a href="{{ href }}">{{ service.url }}</a>{% endif %}{% endwith %}

The rule is :func:`coproduce.core.links.link_target`: pages of this site and http(s) web addresses only.
"""

from __future__ import annotations

from django import template

from coproduce.core.links import link_target

register = template.Library()


@register.filter
def safe_href(value: object) -> str:
    """``value`` if it may be a link's target (a path on this site or an http(s) address), else ""."""
    return link_target(value)
