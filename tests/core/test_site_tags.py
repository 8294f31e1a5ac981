"""The footer's link to the source code (AGPL): shown when COPRODUCE_SOURCE_URL is set, absent otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

pytestmark = pytest.mark.django_db


def _footer(client: Client) -> str:
    caches["template_fragments"].clear()  # the footer is drawn once per language and kept
    html = client.get("/accessibility/").content.decode()
    return html[html.index('<footer class="ds_site-footer">') :]


def test_the_footer_links_to_the_source_when_its_address_is_set(client: Client, settings: Any) -> None:
    settings.COPRODUCE_SOURCE_URL = "https://code.example.org/riverside/coproduce?ref=v1&x=<y>"
    footer = _footer(client)
    assert '<a href="https://code.example.org/riverside/coproduce?ref=v1&amp;x=&lt;y&gt;">Source code</a>' in footer


def test_without_an_address_there_is_no_empty_link(client: Client, settings: Any) -> None:
    settings.COPRODUCE_SOURCE_URL = ""
    footer = _footer(client)
    assert "Source code" not in footer
    assert "Accessibility statement" in footer
