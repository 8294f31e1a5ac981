"""Tokens: made, stored hashed, scoped, ending, revoked; every use recorded and every refusal audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.api.models import AccessToken, TokenUse
from coproduce.api.selectors.tokens import digest_of
from coproduce.api.services.tokens import token_create, token_revoke
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.partnerships.models import Membership
from tests.api.conftest import ApiClient, make_token
from tests.factories import staff_membership

pytestmark = pytest.mark.django_db


def test_only_the_digest_of_a_token_is_kept(member: Membership) -> None:
    new = token_create(actor=member, name="My script", scope="read", days=30)
    token = AccessToken.objects.get()
    assert token.digest == digest_of(new.secret) != new.secret
    assert new.secret.startswith(token.prefix) and len(token.prefix) < len(new.secret) - 20
    stored = [str(value) for value in AccessToken.objects.values_list().get()]
    assert not any(new.secret in value for value in stored)
    event = AuditEvent.objects.get(action="api.token_created")
    assert new.secret not in str(event.detail) and event.target_id == str(token.pk)


def test_a_token_ends_after_the_days_asked_at_most_a_year(member: Membership) -> None:
    token = token_create(actor=member, name="A", scope="write", days=90).token
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    for days in (0, 366, -1):
        with pytest.raises(ServiceError) as refused:
            token_create(actor=member, name="A", scope="read", days=days)
        assert refused.value.field == "days"


def test_a_token_needs_a_name_and_a_known_scope(member: Membership) -> None:
    with pytest.raises(ServiceError) as no_name:
        token_create(actor=member, name="  ", scope="read", days=5)
    assert no_name.value.field == "name"
    with pytest.raises(ServiceError) as bad_scope:
        token_create(actor=member, name="A", scope="admin", days=5)
    assert bad_scope.value.field == "scope"


def test_observers_make_only_read_tokens(observer: Membership) -> None:
    assert token_create(actor=observer, name="Read", scope="read", days=5).token.scope == "read"
    with pytest.raises(ServiceError):
        token_create(actor=observer, name="Write", scope="write", days=5)


def test_only_the_holder_revokes_a_token(member: Membership, worker: Membership) -> None:
    token = token_create(actor=member, name="A", scope="read", days=5).token
    with pytest.raises(NotPermitted):
        token_revoke(actor=worker, token=token)
    token_revoke(actor=member, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api.token_revoked", target_id=str(token.pk)).exists()


def problem(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code and body["instance"] == response.wsgi_request.path
    return body


def refusals() -> list[dict[str, Any]]:
    return [event.detail for event in AuditEvent.objects.filter(action="api.token_refused").order_by("id")]


def test_a_revoked_token_is_refused_and_the_refusal_audited(member: Membership) -> None:
    secret = make_token(member)
    token = AccessToken.objects.get()
    token_revoke(actor=member, token=token)
    response = ApiClient(secret).get("/api/v1/me")
    assert response.status_code == 401
    assert "revoked" in problem(response)["detail"]
    event = AuditEvent.objects.get(action="api.token_refused")
    assert event.detail == {"reason": "revoked"} and event.target_id == str(token.pk)
    assert secret not in str(event.__dict__)


def test_an_expired_token_is_refused(member: Membership) -> None:
    secret = make_token(member)
    past = timezone.now() - timedelta(days=10)
    AccessToken.objects.update(created_at=past - timedelta(days=1), expires_at=past)
    response = ApiClient(secret).get("/api/v1/me")
    assert response.status_code == 401 and "expired" in problem(response)["detail"]
    assert refusals() == [{"reason": "expired"}]


def test_an_unknown_or_missing_token_is_refused(member: Membership) -> None:
    make_token(member)
    unknown = ApiClient("cpt_not-a-real-token").get("/api/v1/me")
    assert unknown.status_code == 401 and "not known" in problem(unknown)["detail"]
    missing = ApiClient().get("/api/v1/me")
    assert missing.status_code == 401 and problem(missing)["title"] == "Unauthorized"
    not_bearer = ApiClient().get("/api/v1/me", HTTP_AUTHORIZATION="Basic abc")
    assert not_bearer.status_code == 401
    assert refusals() == [{"reason": "unknown"}, {"reason": "unknown"}]  # no header at all is not audited


def test_a_token_reaches_only_its_own_partnership(member: Membership, outsider: Membership) -> None:
    client = ApiClient(make_token(member))
    own = client.get(f"/api/v1/partnerships/{member.partnership.slug}")
    assert own.status_code == 200
    assert own.json()["slug"] == member.partnership.slug and own.json()["roles"] == ["member"]
    other = client.get(f"/api/v1/partnerships/{outsider.partnership.slug}")
    missing = client.get("/api/v1/partnerships/no-such-place")
    assert other.status_code == missing.status_code == 404
    assert problem(other)["detail"] == problem(missing)["detail"]
    listed = client.get("/api/v1/partnerships").json()
    assert [item["slug"] for item in listed["items"]] == [member.partnership.slug] and listed["next"] is None


def test_a_person_who_left_is_refused_with_404(member: Membership) -> None:
    client = ApiClient(make_token(member))
    slug = member.partnership.slug
    Membership.objects.filter(pk=member.pk).delete()
    assert client.get(f"/api/v1/partnerships/{slug}").status_code == 404


def test_staff_without_two_factor_are_refused(partnership: Any) -> None:
    worker = staff_membership(partnership, role="worker", mfa=False)
    response = ApiClient(make_token(worker)).get(f"/api/v1/partnerships/{partnership.slug}")
    assert response.status_code == 403 and "two-factor" in problem(response)["detail"]


def test_me_says_who_the_token_speaks_for(coordinator: Membership) -> None:
    secret = make_token(coordinator, scope="read", name="Board report")
    body = ApiClient(secret).get("/api/v1/me").json()
    assert body["partnership"]["slug"] == coordinator.partnership.slug
    assert body["roles"] == ["coordinator"]
    assert body["token"]["name"] == "Board report" and body["token"]["scope"] == "read"
    assert secret.startswith(body["token"]["prefix"]) and secret != body["token"]["prefix"]


def test_every_use_is_recorded_with_its_status(member: Membership) -> None:
    client = ApiClient(make_token(member))
    client.get("/api/v1/me")
    client.get("/api/v1/partnerships/elsewhere")
    uses = list(TokenUse.objects.order_by("id").values_list("method", "path", "status"))
    assert uses == [("GET", "/api/v1/me", 200), ("GET", "/api/v1/partnerships/elsewhere", 404)]
    assert AccessToken.objects.get().last_used_at is not None
