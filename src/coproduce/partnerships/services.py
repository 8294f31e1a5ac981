"""Every write to partnerships: keyword-only, the acting person first, permission checked, one
transaction, an audit event, background work enqueued on commit."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.audit import audit_record
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.links import validate_web_address
from coproduce.core.outbox import queue_composed
from coproduce.core.permissions import require_rule
from coproduce.partnerships.models import Invitation, Membership, MyDataExport, Organisation, Partnership
from coproduce.partnerships.orgid import OrgIdError, org_id_clean
from coproduce.partnerships.roles import ALL_ROLES, Role
from coproduce.partnerships.rules import needs_organisation

INVITATION_LIFETIME = timedelta(days=14)
# How long a prepared "My data" download is kept for its person (and how long one may wait to be built).
MY_DATA_KEPT = timedelta(hours=24)


def _clean_roles(membership: Membership, roles: set[str], organisation: Organisation | None) -> set[Role]:
    if not roles:
        raise ServiceError(_("Choose at least one role."), field="roles")
    unknown = set(roles) - {role.value for role in ALL_ROLES}
    if unknown:
        raise ServiceError(_("Choose roles from the list."), field="roles", code="unknown_role")
    if organisation is not None and organisation.partnership_id != membership.partnership_id:
        raise ServiceError(_("Choose an organisation from the list."), field="organisation")
    if needs_organisation(roles) and organisation is None:
        raise ServiceError(
            _("Workers, coordinators and partner leads belong to a partner organisation: choose one."),
            field="organisation",
            code="organisation_required",
        )
    return {Role(role) for role in roles}


def _refuse_retired(organisation: Organisation | None, roles: set[Role], *, keep: int | None = None) -> None:
    """Staff join no retired organisation, except ``keep``: the one the person already belongs to. Read
    afresh, under the partnership's lock (which retiring takes too)."""
    if organisation is None or organisation.pk == keep or not needs_organisation({r.value for r in roles}):
        return
    if Organisation.objects.filter(pk=organisation.pk, retired_at__isnull=False).exists():
        raise ServiceError(
            _("%(name)s has retired from the partnership: choose another organisation.") % {"name": organisation.name},
            field="organisation",
            code="organisation_retired",
        )


def partnership_lock(partnership_id: int) -> None:
    """Serialise changes to who is in a partnership and in which role (cheap at this scale, and it
    makes "at least one coordinator" and "one open invitation per address" hold under concurrency)."""
    Partnership.objects.select_for_update().filter(pk=partnership_id).values_list("pk", flat=True).first()


def _is_last_coordinator(membership: Membership) -> bool:
    return (
        membership.is_coordinator
        and not Membership.objects.filter(partnership_id=membership.partnership_id, is_coordinator=True)
        .exclude(pk=membership.pk)
        .exists()
    )


def invitation_create(
    *,
    actor: Membership,
    email: str = "",
    roles: set[str],
    organisation: Organisation | None,
    phone: str = "",
) -> Invitation:
    """Invite someone by email, or by text message to a mobile number (``phone``, then no email). A newer
    invitation to the same address replaces an open one; a number with an open invitation is refused (a
    text costs money, and the first one's link still works).

    Coordinators invite anyone; a partner lead invites staff of their own organisation only (as workers or
    partner leads), and never replaces an invitation they could not have sent."""
    require_rule("partnerships.invite", actor)
    if phone and email:
        raise ServiceError(
            _("Enter an email address or a mobile number, not both."), field="email", code="email_and_phone"
        )
    if phone:
        phone = _clean_phone(phone)
    else:
        email = _clean_email(email, field="email")
    clean_roles = _clean_roles(actor, roles, organisation)
    if not actor.is_coordinator:
        _partner_lead_may_invite(actor, clean_roles, organisation)
    if not needs_organisation({r.value for r in clean_roles}) and organisation is not None:
        # A member or observer does not belong to an organisation: ignore a stray choice.
        organisation = None
    in_partnership = Membership.objects.filter(partnership_id=actor.partnership_id)
    if (phone and in_partnership.filter(user__phone=phone).exists()) or (
        email and in_partnership.filter(user__email__iexact=email).exists()
    ):
        raise ServiceError(
            _("This person is already in the partnership. Change their roles from the people page instead."),
            field="phone" if phone else "email",
            code="already_member",
        )
    now = timezone.now()
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        _refuse_retired(organisation, clean_roles)
        still_open = Invitation.objects.filter(
            partnership_id=actor.partnership_id, accepted_at__isnull=True, revoked_at__isnull=True
        )
        if phone and still_open.filter(phone=phone, email="").exists():
            raise ServiceError(
                _(
                    "This number already has an open invitation: its link still works. Withdraw it first to send"
                    " a new one."
                ),
                field="phone",
                code="phone_invited",
            )
        open_ones = still_open.filter(email=email) if email else still_open.none()
        if not actor.is_coordinator and any(not _may_handle_invitation(actor, other) for other in open_ones):
            raise ServiceError(
                _("There is already an open invitation to this address. Ask a coordinator if it should change."),
                field="email",
                code="open_elsewhere",
            )
        open_ones.update(revoked_at=now)
        invitation = Invitation(
            partnership_id=actor.partnership_id,
            email=email,
            phone=phone,
            short_code=short_code_new() if phone else "",
            organisation=organisation,
            nonce=secrets.token_urlsafe(32),
            invited_by=actor.user,
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
        invitation.set_roles(clean_roles)
        invitation.save()
        audit_record(
            actor=actor.user,
            action="invitation.created",
            partnership_id=actor.partnership_id,
            target=invitation,
            target_label=invitation.sent_to,
            detail={
                "roles": sorted(r.value for r in clean_roles),
                "organisation": organisation.name if organisation else "",
                "channel": "text" if phone else "email",
            },
        )
        if phone:
            _invitation_text_queue(invitation, partnership_name=actor.partnership.name)
        else:
            _invitation_email_queue(invitation)
    return invitation


def _clean_phone(raw: str) -> str:
    from coproduce.core.sms import mobile_number

    try:
        return mobile_number(raw)
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages), field="phone", code="not_mobile") from None


def _invitation_text_queue(invitation: Invitation, *, partnership_name: str) -> None:
    """Queue the text with the invitation's short link (``/i/<code>/``): it is sent in the background
    (coproduce.core.sms), within the daily limits, and not at all while the partnership has texts off."""
    from coproduce.core.sms import send_text

    link = settings.COPRODUCE_SITE_URL.rstrip("/") + reverse(
        "partnerships:invitation-short", kwargs={"code": invitation.short_code}
    )
    body = _("%(name)s invites you to join them on Coproduce. Open this link within 14 days: %(link)s") % {
        "name": partnership_name,
        "link": link,
    }
    send_text(
        to=invitation.phone,
        body=body,
        kind="partnerships.invitation",
        reference=f"invitation:{invitation.pk}",
        partnership_id=invitation.partnership_id,
    )


PARTNER_LEAD_INVITES = {Role.WORKER, Role.PARTNER_LEAD}


def _partner_lead_may_invite(actor: Membership, roles: set[Role], organisation: Organisation | None) -> None:
    if not roles <= PARTNER_LEAD_INVITES:
        raise ServiceError(
            _("You can invite people as workers or partner leads of your own organisation."),
            field="roles",
            code="role_not_yours_to_give",
        )
    if organisation is None or organisation.pk != actor.organisation_id:
        raise ServiceError(
            _("You can invite staff of your own organisation only."), field="organisation", code="other_organisation"
        )


def _may_handle_invitation(actor: Membership, invitation: Invitation) -> bool:
    """Coordinators handle every invitation of their partnership; a partner lead those to their organisation
    whose roles they could give."""
    if invitation.partnership_id != actor.partnership_id:
        return False
    if actor.is_coordinator:
        return True
    return (
        actor.is_partner_lead
        and invitation.organisation_id is not None
        and invitation.organisation_id == actor.organisation_id
        and set(invitation.roles) <= PARTNER_LEAD_INVITES
    )


def _invitation_email_queue(invitation: Invitation) -> None:
    """Queue the email with the link (made when it is sent, so the link is never stored) and keep it on
    the invitation, whose page shows whether it went. Saved with the invitation: see core.outbox."""
    from coproduce.partnerships.tasks import invitation_email

    invitation.email_message = queue_composed(
        kind="partnerships.invitation", compose=invitation_email, invitation_id=invitation.pk
    )
    invitation.save(update_fields=["email_message"])


def invitation_resend(*, actor: Membership, invitation: Invitation) -> Invitation:
    """Send an open invitation's email again, with the same link (e.g. after it could not be sent). While
    one is still on its way, nothing more is sent: replaying the form changes nothing."""
    require_rule("partnerships.invite", actor)
    if not _may_handle_invitation(actor, invitation):
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked = (
            Invitation.objects.select_for_update(of=("self",)).select_related("email_message").get(pk=invitation.pk)
        )
        if locked.status != "open":
            raise ServiceError(
                {
                    "accepted": _("This invitation has already been accepted."),
                    "revoked": _("This invitation was withdrawn. Invite them again instead."),
                    "expired": _("This invitation has expired. Invite them again instead."),
                }[locked.status],
                code="invitation_closed",
            )
        if locked.by_text:
            raise ServiceError(
                _("An invitation by text message is not sent again: withdraw it and invite the number again."),
                code="by_text",
            )
        if locked.email_message is not None and locked.email_message.is_waiting:
            raise ServiceError(
                _("The email to %(email)s is already on its way.") % {"email": locked.email}, code="sending"
            )
        _invitation_email_queue(locked)
        audit_record(
            actor=actor.user,
            action="invitation.resent",
            partnership_id=actor.partnership_id,
            target=locked,
            target_label=locked.sent_to,
        )
    return locked


def invitation_revoke(*, actor: Membership, invitation: Invitation) -> Invitation:
    require_rule("partnerships.invite", actor)
    if not _may_handle_invitation(actor, invitation):
        raise NotPermitted()
    with transaction.atomic(durable=True):
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise ServiceError(_("This invitation has already been accepted, so it cannot be withdrawn."))
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor.user,
            action="invitation.revoked",
            partnership_id=actor.partnership_id,
            target=locked,
            target_label=locked.sent_to,
        )
    return locked


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why this invitation cannot be accepted now, in plain English, or None if it can."""
    if invitation is None:
        return _("This invitation link is not valid. Check you copied the whole link from the email.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used. If it was you, sign in.")
    if invitation.revoked_at is not None:
        return _("This invitation has been withdrawn. Ask the person who invited you for a new one.")
    if invitation.is_expired:
        return _(
            "This invitation has expired (invitations last 14 days). Ask the person who invited you for a new one."
        )
    return None


def _accept_locked(*, user: Any, invitation: Invitation) -> Membership:
    partnership_lock(invitation.partnership_id)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(locked)
    if problem:
        raise ServiceError(problem, code="invitation_unusable")
    membership = Membership.objects.select_for_update().filter(partnership_id=locked.partnership_id, user=user).first()
    if membership is None:
        membership = Membership(partnership_id=locked.partnership_id, user=user)
        membership.set_roles(set(locked.roles))
    else:
        membership.set_roles(set(membership.roles) | set(locked.roles))
    if locked.organisation_id and (membership.organisation_id is None or needs_organisation(set(locked.roles))):
        membership.organisation_id = locked.organisation_id
    membership.save()
    if locked.by_text:
        _phone_proven(user, locked.phone)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        action="invitation.accepted",
        partnership_id=locked.partnership_id,
        target=locked,
        target_label=locked.sent_to,
        detail={"roles": [r.value for r in locked.roles]},
    )
    return membership


def invitation_accept(*, user: Any, invitation: Invitation) -> Membership:
    """A signed-in person accepts an invitation sent to their own email address, or one sent by text
    message (opening the link proves the number: it becomes theirs, confirmed)."""
    if not invitation.by_text and user.email.lower() != invitation.email.lower():
        raise ServiceError(
            _("This invitation was sent to a different email address. Sign out, then open the link again."),
            code="wrong_person",
        )
    with transaction.atomic(durable=True):
        return _accept_locked(user=user, invitation=invitation)


def _phone_proven(user: Any, phone: str) -> None:
    """The person opened the link texted to ``phone``: it is their mobile number, confirmed. A number that
    is already another account's is refused (numbers are one account's each)."""
    if get_user_model().objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise ServiceError(
            _("This mobile number belongs to another account. Sign in to that account to accept the invitation."),
            code="phone_taken",
        )
    if user.phone != phone or not user.phone_verified:
        user.phone = phone
        user.phone_verified = True
        user.save(update_fields=["phone", "phone_verified"])


def invitation_accept_new_account(
    *,
    invitation: Invitation,
    display_name: str,
    password: str,
    email: str = "",
) -> Membership:
    """Someone without an account accepts: make their account and join. The email is proven by the link
    of an emailed invitation; an invitation by text asks for an email address too (every account has one,
    not yet confirmed) and proves the number instead."""
    display_name = " ".join((display_name or "").split())
    if not display_name:
        raise ServiceError(_("Enter the name you want other people to see."), field="display_name")
    if len(display_name) > 80:
        raise ServiceError(_("Your name must be 80 characters or fewer."), field="display_name")
    email = _clean_email(email, field="email") if invitation.by_text else invitation.email
    user_model = get_user_model()
    candidate = user_model(email=email, display_name=display_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages), field="password1") from None
    try:
        with transaction.atomic(durable=True):
            if user_model.objects.filter(email__iexact=email).exists():
                raise ServiceError(
                    _("There is already an account for this email address. Sign in to accept the invitation."),
                    field="email" if invitation.by_text else None,
                    code="account_exists",
                )
            user = user_model.objects.create_user(email=email, password=password, display_name=display_name)
            EmailAddress.objects.create(user=user, email=user.email, verified=not invitation.by_text, primary=True)
            membership = _accept_locked(user=user, invitation=invitation)
    except IntegrityError:
        # Two tabs submitting at once: the second finds the account made by the first.
        raise ServiceError(
            _("There is already an account for this email address. Sign in to accept the invitation."),
            code="account_exists",
        ) from None
    return membership


def membership_roles_change(
    *,
    actor: Membership,
    membership: Membership,
    roles: set[str],
    organisation: Organisation | None,
) -> Membership:
    require_rule("partnerships.manage_roles", actor)
    if membership.partnership_id != actor.partnership_id:
        raise NotPermitted()
    clean_roles = _clean_roles(actor, roles, organisation)
    with transaction.atomic(durable=True):
        # Two coordinators demoting each other at once must not leave the partnership with none.
        partnership_lock(actor.partnership_id)
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        _refuse_retired(organisation, clean_roles, keep=locked.organisation_id)
        before = sorted(r.value for r in locked.roles)
        if Role.COORDINATOR not in clean_roles and _is_last_coordinator(locked):
            raise ServiceError(
                _("The partnership needs at least one coordinator. Make someone else a coordinator first."),
                field="roles",
                code="last_coordinator",
            )
        locked.set_roles(clean_roles)
        # Only staff belong to an organisation.
        locked.organisation = organisation if needs_organisation({r.value for r in clean_roles}) else None
        locked.save()
        after = sorted(r.value for r in clean_roles)
        audit_record(
            actor=actor.user,
            action="membership.roles_changed",
            partnership_id=actor.partnership_id,
            target=locked,
            target_label=locked.user.name,
            detail={"before": before, "after": after, "organisation": organisation.name if organisation else ""},
        )
    return locked


# Setting up a partnership: the operator's command, then the coordinators' pages.

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 60
NAME_MAX = 200
OPERATOR = "coproduce partnership create"


def _clean_email(email: str, *, field: str, required: bool = True) -> str:
    email = (email or "").strip().lower()
    if not email and not required:
        return ""
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise ServiceError(
            _("Enter an email address in the right format, like name@example.com."), field=field
        ) from None
    return email


def _clean_name(name: str, *, field: str, empty: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(empty, field=field)
    if len(name) > NAME_MAX:
        raise ServiceError(_("The name must be %(n)d characters or fewer.") % {"n": NAME_MAX}, field=field)
    return name


def partnership_create(
    *,
    name: str,
    slug: str,
    coordinator_email: str,
    organisation_name: str,
    organisation_kind: str = Organisation.Kind.PUBLIC,
) -> tuple[Partnership, Invitation]:
    """An operator sets up a partnership (``coproduce partnership create``): the partnership, the organisation
    its first coordinator works for, and the invitation that makes them coordinator, with its email queued. No
    person acts: the audit events say it was the operator's command. All or nothing."""
    name = _clean_name(name, field="name", empty=_("Give the partnership a name."))
    slug = (slug or "").strip()
    if not SLUG_PATTERN.fullmatch(slug) or len(slug) > SLUG_MAX:
        raise ServiceError(
            _(
                "The web address name must be %(n)d characters or fewer: small letters, digits and single hyphens "
                "between them, e.g. riverside-parents."
            )
            % {"n": SLUG_MAX},
            field="slug",
            code="bad_slug",
        )
    email = _clean_email(coordinator_email, field="coordinator_email")
    organisation_name = _clean_name(
        organisation_name, field="organisation", empty=_("Give the coordinator's organisation a name.")
    )
    if organisation_kind not in Organisation.Kind.values:
        raise ServiceError(_("Choose the organisation's kind from the list."), field="organisation_kind")
    taken = ServiceError(
        _("The web address name %(slug)s is taken by another partnership: choose another.") % {"slug": slug},
        field="slug",
        code="slug_taken",
    )
    if Partnership.objects.filter(slug=slug).exists():
        raise taken
    now = timezone.now()
    try:
        with transaction.atomic(durable=True):
            partnership = Partnership.objects.create(slug=slug, name=name)
            organisation = Organisation.objects.create(
                partnership=partnership, name=organisation_name, kind=organisation_kind
            )
            invitation = Invitation(
                partnership=partnership,
                email=email,
                organisation=organisation,
                nonce=secrets.token_urlsafe(32),
                invited_by=None,
                created_at=now,
                expires_at=now + INVITATION_LIFETIME,
            )
            invitation.set_roles({Role.COORDINATOR})
            invitation.save()
            audit_record(
                actor=None,
                action="partnership.created",
                partnership_id=partnership.pk,
                target=partnership,
                target_label=name,
                detail={"by": OPERATOR, "slug": slug, "organisation": organisation_name},
            )
            audit_record(
                actor=None,
                action="invitation.created",
                partnership_id=partnership.pk,
                target=invitation,
                target_label=email,
                detail={"by": OPERATOR, "roles": [Role.COORDINATOR.value], "organisation": organisation_name},
            )
            _invitation_email_queue(invitation)
    except IntegrityError:
        # Made by someone else between the check and the insert.
        raise taken from None
    return partnership, invitation


SETTINGS_FIELDS = ("name", "description", "contact_email", "contact_phone", "contact_address", "website")
PHONE_PATTERN = re.compile(r"\+?[0-9 ()-]{7,30}")
AUDIT_VALUE_MAX = 200


def partnership_settings_change(
    *,
    actor: Membership,
    name: str,
    description: str,
    contact_email: str = "",
    contact_phone: str = "",
    contact_address: str = "",
    website: str = "",
) -> Partnership:
    """A coordinator changes the partnership's name, description and contact details (all but the name
    optional). The audit event lists what changed, with the values before and after."""
    require_rule("partnerships.manage_settings", actor)
    values = {
        "name": _clean_name(name, field="name", empty=_("Enter the partnership's name.")),
        "description": (description or "").strip(),
        "contact_email": _clean_email(contact_email, field="contact_email", required=False),
        "contact_phone": " ".join((contact_phone or "").split()),
        "contact_address": "\n".join(line.strip() for line in (contact_address or "").strip().splitlines()),
        "website": (website or "").strip(),
    }
    if values["contact_phone"] and (
        not PHONE_PATTERN.fullmatch(values["contact_phone"]) or sum(c.isdigit() for c in values["contact_phone"]) < 7
    ):
        raise ServiceError(_("Enter a phone number, like 0141 496 0000 or +44 141 496 0000."), field="contact_phone")
    if len(values["contact_address"]) > 500:
        raise ServiceError(_("The postal address must be 500 characters or fewer."), field="contact_address")
    if values["website"]:
        _check_website(values["website"])
    with transaction.atomic(durable=True):
        locked = Partnership.objects.select_for_update().get(pk=actor.partnership_id)
        _changes_save(actor=actor, locked=locked, values=values, action="partnership.settings_changed")
    return locked


def partnership_texts_set(*, actor: Membership, allowed: bool) -> Partnership:
    """A coordinator turns text messages for the partnership on or off (invitations by text, urgent
    notices); while off, nothing is texted for it, even what was already queued. Audited when it changes."""
    require_rule("partnerships.manage_settings", actor)
    with transaction.atomic(durable=True):
        locked = Partnership.objects.select_for_update().get(pk=actor.partnership_id)
        if locked.texts_allowed != allowed:
            locked.texts_allowed = allowed
            locked.save(update_fields=["texts_allowed"])
            audit_record(
                actor=actor.user,
                action="partnership.texts_on" if allowed else "partnership.texts_off",
                partnership_id=locked.pk,
                target=locked,
                target_label=locked.name,
            )
    return locked


def texts_blocked(*, to: str, partnership_id: int | None, kind: str) -> str:
    """The blocker partnerships registers with coproduce.core.sms: no texts for a partnership that turned
    them off. Texts for no partnership (sign-in codes) are not its to stop."""
    if partnership_id is not None and Partnership.objects.filter(pk=partnership_id, texts_allowed=False).exists():
        return "partnership_off"
    return ""


WEBSITE_MAX = 200


def _check_website(website: str) -> None:
    if len(website) > WEBSITE_MAX:
        raise ServiceError(
            _("The web address must be %(n)d characters or fewer.") % {"n": WEBSITE_MAX}, field="website"
        )
    try:
        validate_web_address(website)
    except ValidationError:
        raise ServiceError(_("Enter a web address starting https://"), field="website") from None


def _changes_save(
    *, actor: Membership, locked: Partnership | Organisation, values: dict[str, str], action: str
) -> None:
    """Save the fields of ``values`` that differ on the locked row, and audit them with their values before and
    after; nothing (no save, no event) when nothing changed."""
    changed = {
        field: {"before": _short(getattr(locked, field)), "after": _short(value)}
        for field, value in values.items()
        if getattr(locked, field) != value
    }
    if not changed:
        return
    for field in changed:
        setattr(locked, field, values[field])
    locked.save(update_fields=list(changed))
    audit_record(
        actor=actor.user,
        action=action,
        partnership_id=actor.partnership_id,
        target=locked,
        target_label=locked.name,
        detail={"changed": list(changed), "values": changed},
    )


def _short(value: str) -> str:
    return value if len(value) <= AUDIT_VALUE_MAX else value[: AUDIT_VALUE_MAX - 1] + "…"


ORGANISATION_FIELDS = ("name", "kind", "description", "website", "org_id")


def _organisation_values(*, name: str, kind: str, description: str, website: str, org_id: str) -> dict[str, str]:
    values = {
        "name": _clean_name(name, field="name", empty=_("Enter the organisation's name.")),
        "kind": kind,
        "description": (description or "").strip(),
        "website": (website or "").strip(),
    }
    if kind not in Organisation.Kind.values:
        raise ServiceError(_("Choose what kind of organisation it is."), field="kind")
    if values["website"]:
        _check_website(values["website"])
    try:
        values["org_id"] = org_id_clean(org_id)
    except OrgIdError as error:
        raise ServiceError(error.message, field="org_id", code="bad_org_id") from None
    return values


def _organisation_unique(partnership_id: int, values: dict[str, str], *, exclude: int | None = None) -> None:
    others = Organisation.objects.filter(partnership_id=partnership_id)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.filter(name__iexact=values["name"]).exists():
        raise ServiceError(
            _("There is already an organisation called %(name)s in the partnership.") % {"name": values["name"]},
            field="name",
            code="name_taken",
        )
    if values["org_id"]:
        same = others.filter(org_id=values["org_id"]).first()
        if same is not None:
            raise ServiceError(
                _("%(org_id)s is already the identifier of %(name)s.")
                % {"org_id": values["org_id"], "name": same.name},
                field="org_id",
                code="org_id_taken",
            )


def organisation_create(
    *, actor: Membership, name: str, kind: str, description: str = "", website: str = "", org_id: str = ""
) -> Organisation:
    """A coordinator adds a partner organisation."""
    require_rule("partnerships.manage_organisations", actor)
    values = _organisation_values(name=name, kind=kind, description=description, website=website, org_id=org_id)
    try:
        with transaction.atomic(durable=True):
            partnership_lock(actor.partnership_id)
            _organisation_unique(actor.partnership_id, values)
            organisation = Organisation.objects.create(partnership_id=actor.partnership_id, **values)
            audit_record(
                actor=actor.user,
                action="organisation.created",
                partnership_id=actor.partnership_id,
                target=organisation,
                target_label=organisation.name,
                detail={"kind": values["kind"], "org_id": values["org_id"]},
            )
    except IntegrityError:
        raise ServiceError(_("There is already an organisation with this name or identifier."), field="name") from None
    return organisation


def organisation_update(
    *,
    actor: Membership,
    organisation: Organisation,
    name: str,
    kind: str,
    description: str = "",
    website: str = "",
    org_id: str = "",
) -> Organisation:
    """A coordinator changes a partner organisation's details (a retired one too: its record stays right)."""
    require_rule("partnerships.manage_organisations", actor)
    if organisation.partnership_id != actor.partnership_id:
        raise NotPermitted()
    values = _organisation_values(name=name, kind=kind, description=description, website=website, org_id=org_id)
    try:
        with transaction.atomic(durable=True):
            partnership_lock(actor.partnership_id)
            locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
            _organisation_unique(actor.partnership_id, values, exclude=locked.pk)
            _changes_save(actor=actor, locked=locked, values=values, action="organisation.changed")
    except IntegrityError:
        raise ServiceError(_("There is already an organisation with this name or identifier."), field="name") from None
    return locked


def organisation_retire(*, actor: Membership, organisation: Organisation) -> Organisation:
    """A coordinator retires an organisation that has left the partnership. Nothing is deleted: its staff,
    services, contributions and history stay as they are, but it is offered for nothing new (invitations,
    roles). Open invitations to join it are withdrawn. Retiring it twice changes nothing."""
    require_rule("partnerships.manage_organisations", actor)
    if organisation.partnership_id != actor.partnership_id:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.retired_at is not None:
            return locked
        now = timezone.now()
        locked.retired_at = now
        locked.save(update_fields=["retired_at"])
        withdrawn = Invitation.objects.filter(
            organisation=locked, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        audit_record(
            actor=actor.user,
            action="organisation.retired",
            partnership_id=actor.partnership_id,
            target=locked,
            target_label=locked.name,
            detail={"invitations_withdrawn": withdrawn},
        )
    return locked


def organisation_reinstate(*, actor: Membership, organisation: Organisation) -> Organisation:
    """A coordinator brings a retired organisation back (retired by mistake, or rejoining)."""
    require_rule("partnerships.manage_organisations", actor)
    if organisation.partnership_id != actor.partnership_id:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        partnership_lock(actor.partnership_id)
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.retired_at is None:
            return locked
        locked.retired_at = None
        locked.save(update_fields=["retired_at"])
        audit_record(
            actor=actor.user,
            action="organisation.reinstated",
            partnership_id=actor.partnership_id,
            target=locked,
            target_label=locked.name,
        )
    return locked


__all__ = [
    "invitation_accept",
    "invitation_accept_new_account",
    "invitation_create",
    "invitation_problem",
    "invitation_resend",
    "invitation_revoke",
    "membership_roles_change",
    "organisation_create",
    "organisation_reinstate",
    "organisation_retire",
    "organisation_update",
    "partnership_create",
    "partnership_settings_change",
]


def my_data_export_record(*, actor: Membership, kind: str) -> None:
    """Record that the person downloaded all their data (``kind``: "json" or "zip")."""
    require_rule("partnerships.my_data", actor)
    with transaction.atomic(durable=True):
        audit_record(
            actor=actor.user,
            action="data.exported",
            partnership_id=actor.partnership_id,
            target=actor,
            detail={"format": kind},
        )


def my_data_export_request(*, actor: Membership) -> MyDataExport:
    """Ask for the person's "My data" download to be prepared in the background. Asking while one is being
    prepared returns that one; a new one replaces the person's earlier download. Downloads past their time
    are deleted on the way, everyone's."""
    require_rule("partnerships.my_data", actor)
    now = timezone.now()
    try:
        with transaction.atomic(durable=True):
            _my_data_exports_purge(now)
            waiting = MyDataExport.objects.filter(
                membership=actor, status__in=[MyDataExport.Status.WAITING, MyDataExport.Status.BUILDING]
            ).first()
            if waiting is not None:
                return waiting
            MyDataExport.objects.filter(membership=actor).delete()
            export = MyDataExport.objects.create(
                partnership_id=actor.partnership_id, membership=actor, expires_at=now + MY_DATA_KEPT
            )
            transaction.on_commit(lambda: _my_data_enqueue(export.pk))
    except IntegrityError as error:
        # Asked twice at once: the other request's download is the one being prepared (or, by now, ready).
        other = MyDataExport.objects.filter(membership=actor).defer("json_file", "zip_file").first()
        if other is None:
            raise ServiceError(_("Your data could not be prepared just now. Please try again."), code="busy") from error
        return other
    return export


def _my_data_exports_purge(now: datetime) -> int:
    deleted, _by_model = MyDataExport.objects.filter(expires_at__lte=now).delete()
    return deleted


def my_data_exports_purge() -> int:
    """Delete every prepared "My data" download past its time; returns how many. Run on every new request for
    one, and for a scheduled job to call (nothing else is needed: a download past its time is never served)."""
    with transaction.atomic(durable=True):
        return _my_data_exports_purge(timezone.now())


def _my_data_enqueue(export_id: int) -> None:
    from coproduce.partnerships.tasks import build_my_data

    build_my_data.enqueue(export_id)


def my_data_export_build(*, export_id: int) -> str:
    """Gather the person's data from every capability and write the two files (the background task's work).
    Safe to run again: a download already made is left as it is, one half made is made again. Returns its status."""
    from coproduce.partnerships.my_data import my_data_document, my_data_summary
    from coproduce.partnerships.my_data_files import my_data_json, my_data_zip

    export = MyDataExport.objects.defer("json_file", "zip_file").filter(pk=export_id).first()
    if export is None:
        return "gone"  # the person left, or asked again and this one was replaced
    if export.status in (MyDataExport.Status.READY, MyDataExport.Status.FAILED):
        return str(export.status)
    building = MyDataExport.objects.filter(pk=export_id)
    building.update(status=MyDataExport.Status.BUILDING, parts_done=0)

    def progress(done: int, total: int) -> None:
        building.update(parts_done=done, parts_total=total)

    document = my_data_document(export.membership, progress=progress)
    json_file, zip_file = my_data_json(document), my_data_zip(document)
    now = timezone.now()
    with transaction.atomic(durable=True):
        building.filter(status=MyDataExport.Status.BUILDING).update(
            status=MyDataExport.Status.READY,
            summary=my_data_summary(document),
            json_file=json_file,
            zip_file=zip_file,
            finished_at=now,
            expires_at=now + MY_DATA_KEPT,
        )
    return str(MyDataExport.Status.READY)


def my_data_export_failed(export_id: int) -> None:
    """The download could not be prepared, after every attempt: the page says so and offers to try again."""
    MyDataExport.objects.filter(pk=export_id).exclude(status=MyDataExport.Status.READY).update(
        status=MyDataExport.Status.FAILED, finished_at=timezone.now()
    )


# --- Invitation cards ------------------------------------------------------------------------------------------

# A card's short code: letters and digits nobody confuses when typing from paper (no 0/O, 1/I/L), ten of them:
# 31**10, about 8 x 10**14 codes, so guessing one that is open in the 14 days an invitation lasts is hopeless.
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 10


def short_code_new() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def invitation_card_code(*, actor: Membership, invitation: Invitation) -> str:
    """The short code printed on an open invitation's card (``/i/<code>/``), made the first time a card is
    printed and kept, so every copy of the card carries the same link. Whoever may handle the invitation
    may print it (coordinators; partner leads for their own organisation's staff). A closed invitation has
    no card: the message says why."""
    require_rule("partnerships.invite", actor)
    if not _may_handle_invitation(actor, invitation):
        raise NotPermitted()
    problem = invitation_problem(invitation)
    if problem:
        raise ServiceError(problem, code="invitation_closed")
    if invitation.short_code:
        return invitation.short_code
    with transaction.atomic(durable=True):
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.short_code:
            locked.short_code = short_code_new()
            locked.save(update_fields=["short_code"])
            audit_record(
                actor=actor.user,
                action="invitation.card_made",
                partnership_id=actor.partnership_id,
                target=locked,
                target_label=locked.sent_to,
            )
    invitation.short_code = locked.short_code
    return locked.short_code


def assistance_set(*, actor: Membership, allowed: bool) -> Membership:
    """A member turns keyworkers recording her views with her on or off (assisted participation,
    ``partnerships.assisted``). Off, every assisted entry for her is refused; what was recorded stays."""
    if not actor.is_member:
        raise NotPermitted()
    with transaction.atomic(durable=True):
        changed = (
            Membership.objects.filter(pk=actor.pk)
            .exclude(assistance_allowed=allowed)
            .update(assistance_allowed=allowed)
        )
        actor.assistance_allowed = allowed
        if changed:
            audit_record(
                actor=actor.user,
                action="membership.assistance_on" if allowed else "membership.assistance_off",
                partnership_id=actor.partnership_id,
                target=actor,
                target_label=actor.user.name,
            )
    return actor
