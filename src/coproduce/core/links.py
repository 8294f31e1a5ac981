"""The one rule for links made from data (ASVS 1.2.2): what may stand in an ``href``.

A link goes to a page of this site (a path starting with a single ``/``) or to a web address starting with
``http://`` or ``https://`` that names a host. Nothing else: no other scheme (``javascript:``, ``data:``,
``vbscript:``), no protocol-relative ``//host`` or ``/\\host`` address (browsers follow them to another
site), and no spaces, control characters or backslashes (browsers drop or rewrite them inside addresses, so
what is checked would not be what is followed).

:func:`link_target` is the rule; the ``safe_href`` template filter (``{% load links %}``) applies it
wherever a template makes a link from stored data, and input checks (a response's link, a service's
website typed in or imported: :func:`validate_web_address`) use it too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEB_SCHEMES = ("https://", "http://")


def link_target(value: object, *, same_site: bool = True) -> str:
    """``value`` without surrounding spaces when it may be a link's target, else ``""``.

    Web addresses must start with ``http://`` or ``https://`` (any case) and name a host; with ``same_site``
    a path on this site ("/p/riverside/") is taken too.
    """
    text = str(value or "").strip()
    if not text or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in text):
        return ""
    if text.startswith("/"):
        return text if same_site and not text.startswith("//") else ""
    if not text.lower().startswith(WEB_SCHEMES):
        return ""
    rest = text.split("://", 1)[1]
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if not host or host.startswith("@") or rest.startswith("/"):
        return ""
    return text


def validate_web_address(value: str) -> None:
    """A Django validator: ``value`` (when not empty) must be an http(s) web address (see :func:`link_target`)."""
    if value and not link_target(value, same_site=False):
        raise ValidationError(_("Enter a web address starting https://"), code="invalid")
