"""Remembered URL reversal (core/reversing.py) and the ``{% url %}`` tag that uses it: the same answers as
Django's, worked out once per address."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Engine, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from coproduce.core import reversing
from coproduce.core.reversing import cached_reverse


@pytest.fixture(autouse=True)
def _forget() -> Any:
    reversing.clear()
    yield
    reversing.clear()
    set_script_prefix("/")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []

    def counting(viewname: str, *args: Any, **kwargs: Any) -> str:
        calls.append((viewname, args, kwargs))
        return reverse(viewname, *args, **kwargs)

    monkeypatch.setattr(reversing, "reverse", counting)
    return calls


CASES: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("core:accessibility", (), {}),
    ("partnerships:home", ("riverside",), {}),
    ("partnerships:home", (), {"slug": "other-place"}),
    ("voice:idea", ("riverside", 12), {}),
    ("voice:idea", (), {"slug": "riverside", "idea_id": 7}),
    ("account_login", (), {}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), CASES)
def test_the_same_address_as_django_reverse(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    expected = reverse(name, args=args or None, kwargs=kwargs or None)
    assert cached_reverse(name, args, kwargs) == expected
    assert cached_reverse(name, args, kwargs) == expected  # remembered


def test_an_address_is_worked_out_once(counted: list[tuple[Any, ...]]) -> None:
    for _ in range(3):
        assert cached_reverse("voice:idea", ["riverside", 12]) == "/p/riverside/ideas/12/"
    assert len(counted) == 1
    cached_reverse("voice:idea", ["riverside", 13])
    assert len(counted) == 2  # other arguments, another address


def test_an_argument_that_is_not_plain_is_reversed_every_time(counted: list[tuple[Any, ...]]) -> None:
    class Slug:
        def __str__(self) -> str:
            return "riverside"

    slug = Slug()
    assert cached_reverse("partnerships:home", [slug]) == "/p/riverside/"
    assert cached_reverse("partnerships:home", [slug]) == "/p/riverside/"
    assert len(counted) == 2


def test_a_failure_is_raised_and_not_remembered(counted: list[tuple[Any, ...]]) -> None:
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            cached_reverse("voice:idea", ["riverside", "not-a-number"])
    assert len(counted) == 2


def test_the_script_prefix_is_part_of_the_address() -> None:
    assert cached_reverse("core:accessibility") == "/accessibility/"
    set_script_prefix("/coproduce/")
    assert cached_reverse("core:accessibility") == "/coproduce/accessibility/"
    set_script_prefix("/")
    assert cached_reverse("core:accessibility") == "/accessibility/"


def test_a_new_urlconf_forgets_every_address(settings: Any, counted: list[tuple[Any, ...]]) -> None:
    cached_reverse("core:accessibility")
    settings.ROOT_URLCONF = "coproduce.urls"  # a change of the setting, even to the same value, clears
    cached_reverse("core:accessibility")
    assert len(counted) == 2


# --- The template tag ------------------------------------------------------------------------------------

SOURCE = (
    "{% url 'partnerships:home' slug %}|{% url 'voice:idea' slug=slug idea_id=n %}|"
    "{% url 'voice:idea' slug n as there %}[{{ there }}]|{% url 'voice:idea' slug 'x' as nowhere %}[{{ nowhere }}]"
)


def _render(engine: Engine, context: dict[str, Any]) -> str:
    return Template(SOURCE, engine=engine).render(Context(context))


def test_the_tag_draws_what_djangos_tag_draws(counted: list[tuple[Any, ...]]) -> None:
    django_engine = Engine()  # Django's builtins only
    ours = Engine(builtins=["coproduce.core.templatetags.cached_url"])
    context = {"slug": "riverside", "n": 4}
    expected = _render(django_engine, context)
    assert expected == "/p/riverside/|/p/riverside/ideas/4/|[/p/riverside/ideas/4/]|[]"
    assert _render(ours, context) == expected
    assert _render(ours, context) == expected
    # Three keys (the idea's address by arguments and by keywords are two) worked out once each, over two
    # renderings; the failing one ("x" is no idea number) is tried each time.
    assert len([c for c in counted if c[2].get("args") != ("riverside", "x")]) == 3
    assert len([c for c in counted if c[2].get("args") == ("riverside", "x")]) == 2


def test_the_tag_raises_as_djangos_does_without_as() -> None:
    ours = Engine(builtins=["coproduce.core.templatetags.cached_url"])
    with pytest.raises(NoReverseMatch):
        Template("{% url 'voice:idea' 'riverside' 'x' %}", engine=ours).render(Context({}))


def test_every_template_uses_it(client: Any) -> None:
    from django.template import engines

    engine = engines["django"].engine  # type: ignore[attr-defined]
    # The last builtin library that defines ``url`` is the one templates get.
    url_tags = [library.tags["url"] for library in engine.template_builtins if "url" in library.tags]
    assert url_tags[-1].__module__ == "coproduce.core.templatetags.cached_url"
