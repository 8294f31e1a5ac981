"""factory_boy factories for the foundation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.partnerships.models import Invitation, Membership, Organisation, Partnership

PASSWORD = "a-long-test-password-42"


def _verify_email(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
    """After the password is set: save the person, with their email address verified."""
    if create:
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # A real first name with a number no other name or page text holds: a test that a name is *not* shown
    # must not be fooled by a short generated name inside other words ("Jo" in "Job fairs").
    display_name = factory.LazyAttributeSequence(lambda o, n: f"{o.first_name} {n + 1001}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    verified = factory.PostGeneration(_verify_email)

    class Params:
        first_name = factory.Faker("first_name")


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership

    slug = factory.Sequence(lambda n: f"partnership-{n}")
    name = factory.Sequence(lambda n: f"Partnership {n}")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.THIRD_SECTOR


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
    is_member = True


def add_totp(user: Any) -> str:
    """Give the person an authenticator app; returns its base32 secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def staff_membership(partnership: Partnership, *, role: str = "worker", mfa: bool = True, **kwargs: Any) -> Membership:
    organisation = kwargs.pop("organisation", None) or OrganisationFactory(partnership=partnership)
    # A staff role, and a member too when asked (``is_member=True``: someone who uses the services and works
    # for a partner).
    flags = {"is_member": kwargs.pop("is_member", False), f"is_{role}": True}
    membership = MembershipFactory(partnership=partnership, organisation=organisation, **flags, **kwargs)
    if mfa and not Authenticator.objects.filter(user=membership.user).exists():
        add_totp(membership.user)
    return membership


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    partnership = factory.SubFactory(PartnershipFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    nonce = factory.Faker("pystr", min_chars=32, max_chars=32)
    is_member = True
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
