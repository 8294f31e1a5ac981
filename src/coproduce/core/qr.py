"""QR codes for printed cards, drawn on the server as inline SVG markup.

Inline ``<svg>`` is part of the page, so the Content Security Policy's ``img-src`` does not apply and no
``data:`` address or script is needed; segno writes presentation attributes (``stroke``, ``transform``), never a
``style`` attribute, which the policy would refuse. The code only repeats the link printed beside it, so it is
hidden from screen readers (``aria-hidden``): the link in words is what they read."""

from __future__ import annotations

import io

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, css_class: str = "cp-qr") -> SafeString:
    """``url`` as a QR code (error correction M: a card pinned on a noticeboard gets scuffed), as SVG markup
    that scales to its box. ``url`` is one of our own addresses, built by ``reverse``: segno encodes it as data,
    and nothing of it is written into the markup as text."""
    code = segno.make(url, error="m", boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, scale=4, border=4, omitsize=True, svgclass=None)
    svg = out.getvalue().decode("ascii")
    svg = svg.replace("<svg ", f'<svg class="{css_class}" aria-hidden="true" focusable="false" ', 1)
    # segno's own markup: paths and numbers, no text of the input.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703
