"""Whether the remembering ``{% url %}`` (core/templatetags/cached_url.py) still pays for itself: renders the
same 200 address tags (100 distinct addresses) with Django's own tag and with the remembering one, checks that
both give the same text, and prints the best of seven runs per tag.

    COPRODUCE_DEMO=1 COPRODUCE_DATA_DIR=$(mktemp -d) uv run python benchmarks/url_tag.py
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")

import django

django.setup()

from django.template import Context, Engine, Template  # noqa: E402

TAGS = 200
BODY = "".join(
    "{% url 'voice:comment-edit' slug='demo' comment_id=" + str(i % 50) + " %}{% url 'partnerships:home' slug='demo' %}"
    for i in range(TAGS // 2)
)


def _per_tag_us(template: Template, renders: int = 50) -> float:
    best = float("inf")
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(renders):
            template.render(Context())
        best = min(best, (time.perf_counter() - start) / renders / TAGS * 1e6)
    return best


def main() -> None:
    django_tag = Engine().from_string(BODY)
    remembered = Engine(builtins=["coproduce.core.templatetags.cached_url"]).from_string(BODY)
    assert django_tag.render(Context()) == remembered.render(Context())
    print(f"Django's {{% url %}}: {_per_tag_us(django_tag):.1f} µs a tag; remembered: {_per_tag_us(remembered):.1f} µs")


if __name__ == "__main__":
    main()
