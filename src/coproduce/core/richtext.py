"""User-written rich text: Markdown rendered by markdown-it-py (raw HTML off), then cleaned by nh3
with a short allow-list, so that no script, event handler, style or unsafe URL ever reaches a page."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


def _demote_headings(html: str) -> str:
    # A page has its own h1 and h2s; headings written by people start at h3.
    for level in (6, 5, 4, 3, 2, 1):
        target = min(level + 2, 4)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return html


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    # nh3 checks the scheme of absolute addresses; this also drops empty and relative ones ("", "#", "x"),
    # which would point back into the platform from text nobody reviewed. The link's words stay.
    if tag == "a" and attribute == "href" and not value.lower().startswith(tuple(f"{s}:" for s in ALLOWED_URL_SCHEMES)):
        return None
    return value


def render_markdown(text: str) -> str:
    """Safe HTML for ``text`` written in Markdown. The result may be marked safe in a template."""
    html = _demote_headings(_markdown.render(text or ""))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
        attribute_filter=_absolute_links_only,
    )
