"""The demo's data protection: the council and the charity as joint controllers, a contact, an agreement and a
period for every kind; loading it twice adds nothing."""

from __future__ import annotations

import pytest

from coproduce.dataprotection import demo as dataprotection_demo
from coproduce.dataprotection.models import DataProtectionSettings, RetentionPeriod, SharingAgreement
from coproduce.partnerships import demo as partnership_demo
from coproduce.partnerships.demo import DEMO_SLUG, DemoContext
from coproduce.partnerships.personal_data import retention_kinds

pytestmark = pytest.mark.django_db


def load() -> DemoContext:
    ctx = DemoContext()
    partnership_demo.load(ctx)
    dataprotection_demo.load(ctx)
    return ctx


def test_the_demo_partnership_has_its_data_protection_and_loads_twice_the_same() -> None:
    ctx = load()
    partnership = ctx.partnerships[DEMO_SLUG]
    found = DataProtectionSettings.objects.get(partnership=partnership)
    assert found.arrangement == "joint"
    assert set(found.controllers.all()) == {ctx.organisations["council"], ctx.organisations["charity"]}
    assert found.contact_email and found.dpo_name
    periods = dict(RetentionPeriod.objects.filter(partnership=partnership).values_list("kind", "amount"))
    assert set(periods) == {kind.key for kind in retention_kinds()}
    assert all(periods.values())
    assert SharingAgreement.objects.filter(partnership=partnership).count() == 1
    load()
    assert RetentionPeriod.objects.count() == len(periods)
    assert SharingAgreement.objects.count() == 1
    assert DataProtectionSettings.objects.count() == 1
