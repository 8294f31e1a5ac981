"""core.once.Once: worked out at most once, only when asked for, and usable in a template."""

from __future__ import annotations

from django.template import Context, Template

from coproduce.core.once import Once


def test_it_runs_only_when_asked_and_only_once() -> None:
    calls: list[int] = []

    def make() -> int:
        calls.append(1)
        return 0  # a falsy value is remembered too

    value = Once(make)
    assert calls == []
    assert value() == 0 and value() == 0
    assert calls == [1]


def test_templates_call_it() -> None:
    calls: list[int] = []

    def three() -> int:
        calls.append(1)
        return 3

    value = Once(three)
    shown = Template("{% if n %}{{ n }} unread{% endif %}, {{ n }}").render(Context({"n": value}))
    assert shown == "3 unread, 3"
    assert calls == [1]
    assert Template("nothing").render(Context({"n": Once(lambda: calls.append(1))})) == "nothing"
    assert calls == [1]
