from __future__ import annotations

from typing import Any

from coproduce.partnerships.navigation import nav_items
from tests.conftest import signed_in


def labels(membership: Any) -> dict[str, str]:
    return {item["key"]: str(item["label"]) for item in nav_items(membership)}


def test_each_capability_has_its_entry_in_order(member: Any) -> None:
    keys = [item["key"] for item in nav_items(member)]
    assert keys[0] == "home"
    assert {"voice", "support", "fund", "improvement", "conversations", "people", "organisations"} <= set(keys)
    assert keys.index("voice") < keys.index("support") < keys.index("people")
    slug = member.partnership.slug
    assert all(item["url"].startswith(f"/p/{slug}/") for item in nav_items(member))


def test_a_parent_finds_my_plan_and_staff_find_support(member: Any, worker: Any) -> None:
    assert labels(member)["support"] == "My plan"
    assert labels(worker)["support"] == "Support"


def test_invitations_and_the_audit_log_are_for_coordinators(member: Any, coordinator: Any) -> None:
    assert not {"invitations", "audit"} & set(labels(member))
    assert {"invitations", "audit"} <= set(labels(coordinator))


def test_outside_a_partnership_there_is_no_navigation() -> None:
    assert nav_items(None) == []


def test_the_page_marks_where_the_person_is(member: Any) -> None:
    page = signed_in(member.user).get(f"/p/{member.partnership.slug}/people/").content.decode()
    assert 'aria-current="page">People</a>' in page
    assert page.count(">My plan</a>") == 2  # the small-screen menu and the wide-screen bar


def test_the_navigation_is_worked_out_only_when_drawn_and_once(rf: Any, member: Any, monkeypatch: Any) -> None:
    from coproduce.partnerships import context_processors

    calls = []

    def counted(membership: Any) -> list[dict[str, Any]]:
        calls.append(membership)
        return nav_items(membership)

    monkeypatch.setattr(context_processors, "nav_items", counted)
    request = rf.get("/")
    request.membership = member
    context = context_processors.navigation_items(request)
    assert calls == []  # an htmx partial that draws no header costs nothing
    assert context["nav_items"]() == nav_items(member)
    assert context["nav_items"]() == nav_items(member)
    assert calls == [member]
