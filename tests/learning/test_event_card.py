"""A card for a hub's noticeboard: the event's name, when and where, a QR code and the link to its page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.learning.models import Event
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def card_url(event: Event) -> str:
    return reverse("learning:event-card", kwargs={"slug": event.partnership.slug, "event_id": event.pk})


def test_an_organiser_prints_a_card_with_a_qr_code_and_the_events_address(worker: Any, event: Event) -> None:
    response = signed_in(worker.user).get(card_url(event))
    assert response.status_code == 200
    html = response.content.decode()
    event_address = reverse("learning:event", kwargs={"slug": event.partnership.slug, "event_id": event.pk})
    assert f"http://testserver{event_address}" in html
    assert '<svg class="cp-qr" aria-hidden="true"' in html
    assert event.title in html
    assert event.place in html


def test_the_event_page_links_to_the_card_for_organisers_only(worker: Any, member: Any, event: Event) -> None:
    event_address = reverse("learning:event", kwargs={"slug": event.partnership.slug, "event_id": event.pk})
    assert card_url(event) in signed_in(worker.user).get(event_address).content.decode()
    assert card_url(event) not in signed_in(member.user).get(event_address).content.decode()


def test_people_who_do_not_organise_it_get_404(member: Any, observer: Any, outsider: Any, event: Event) -> None:
    for person in (member, observer, outsider):
        assert signed_in(person.user).get(card_url(event)).status_code == 404


def test_a_cancelled_event_has_no_card(worker: Any, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(cancelled_at=timezone.now())
    response = signed_in(worker.user).get(card_url(event), follow=True)
    assert "This event is cancelled, so it has no card." in response.content.decode()
