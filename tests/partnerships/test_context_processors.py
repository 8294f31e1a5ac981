from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from coproduce.partnerships import selectors
from coproduce.partnerships.context_processors import navigation
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory


def test_the_switcher_reads_the_partnerships_only_when_drawn_and_once(
    rf: Any, member: Any, django_assert_num_queries: Any
) -> None:
    other = MembershipFactory(user=member.user, partnership=PartnershipFactory(name="Aardvark Network"))
    MembershipFactory(partnership=PartnershipFactory(name="Not theirs"))
    request = rf.get("/")
    request.user = member.user
    request.membership = member
    request.partnership = member.partnership
    with django_assert_num_queries(0):  # an htmx partial that draws no header costs nothing
        context = navigation(request)
    with django_assert_num_queries(1):
        names = [p.name for p in context["nav_partnerships"]()]
        assert [p.name for p in context["nav_partnerships"]()] == names
    assert names == sorted([member.partnership.name, other.partnership.name])
    assert context["current_partnership"] == member.partnership
    assert context["current_membership"] == member


def test_a_visitor_has_no_partnerships_to_switch_between(rf: Any, db: Any, django_assert_num_queries: Any) -> None:
    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        context = navigation(request)
        assert context["nav_partnerships"]() == []
    assert context["current_partnership"] is None


def test_the_switchers_sql_gives_what_the_orm_gives(db: Any) -> None:
    """``switcher_partnerships`` is SQL written once (ADR 13); it must list what the ORM query it replaces
    lists, in the same order, with the same slug and name, for someone in several partnerships, in one and in
    none."""
    several = MembershipFactory(partnership=PartnershipFactory(name="Riverside", slug="riverside")).user
    MembershipFactory(user=several, partnership=PartnershipFactory(name="Aardvark Network", slug="aardvark"))
    MembershipFactory(user=several, partnership=PartnershipFactory(name="Zed Partnership", slug="zed"))
    one = MembershipFactory(partnership=PartnershipFactory(name="Middle", slug="middle")).user
    MembershipFactory(partnership=PartnershipFactory(name="Not theirs", slug="not-theirs"))
    nobody = UserFactory()
    for user in (several, one, nobody):
        expected = [(p.pk, p.slug, p.name) for p in selectors.partnerships_of(user).only("slug", "name")]
        got = [(p.pk, p.slug, p.name) for p in selectors.switcher_partnerships(user.pk)]
        assert got == expected
    assert [name for _pk, _slug, name in got] == []  # nobody
    assert [p.name for p in selectors.switcher_partnerships(several.pk)] == [
        "Aardvark Network",
        "Riverside",
        "Zed Partnership",
    ]
