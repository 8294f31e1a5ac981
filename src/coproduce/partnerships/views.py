from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships import selectors, services
from coproduce.partnerships.access import acting_membership, may, partnership_view
from coproduce.partnerships.assisted import assisted_confirm, assisted_pending
from coproduce.partnerships.audit_wording import audit_entries
from coproduce.partnerships.forms import (
    AcceptNewAccountForm,
    InvitationForm,
    OrganisationForm,
    PartnershipSettingsForm,
    RolesForm,
    TextsForm,
)
from coproduce.partnerships.home import home_sections
from coproduce.partnerships.models import Organisation
from coproduce.partnerships.roles import Role
from coproduce.partnerships.settings_sections import settings_sections
from coproduce.partnerships.tokens import invitation_from_token

PAGE_SIZE = 50


@partnership_view("partnerships.view")
def home(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    return render(
        request,
        "partnerships/home.html",
        {
            "nav_section": "home",
            "counts": selectors.partnership_counts(membership),
            "sections": home_sections(membership),
        },
    )


@partnership_view("partnerships.view_people")
def people(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    page = Paginator(selectors.people_visible_to(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    # The table's cells, worked out here once: each role's label is translated once per page, not once per row.
    labels = {role: str(role.label) for role in Role}
    rows = [
        {
            "pk": person.pk,
            "name": person.user.name,
            "is_you": person.user_id == actor.user_id,
            "roles": ", ".join(labels[role] for role in person.roles),
            "organisation": person.organisation.name if person.is_staff_role and person.organisation else "",
            "email": person.user.email if actor.is_coordinator else "",
        }
        for person in page
    ]
    return render(request, "partnerships/people.html", {"nav_section": "people", "page": page, "rows": rows})


@partnership_view("partnerships.view_organisations")
def organisations(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    orgs = selectors.organisations_visible_to(actor)
    return render(
        request,
        "partnerships/organisations.html",
        {
            "nav_section": "organisations",
            "organisations": orgs,
            "may_manage": may("partnerships.manage_organisations", actor),
        },
    )


def _organisation_form_values(form: OrganisationForm) -> dict[str, str]:
    return {field: form.cleaned_data[field] for field in ("name", "kind", "description", "website", "org_id")}


@partnership_view("partnerships.manage_organisations")
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=actor, **_organisation_form_values(form))
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, _("%(name)s added.") % {"name": organisation.name})
            return redirect("partnerships:organisations", slug=actor.partnership.slug)
    return render(
        request, "partnerships/organisation_form.html", {"nav_section": "organisations", "form": form, "target": None}
    )


@partnership_view("partnerships.manage_organisations")
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    target = selectors.organisation_in_partnership(actor, organisation_id)
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                services.organisation_update(actor=actor, organisation=target, **_organisation_form_values(form))
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("%(name)s saved.") % {"name": form.cleaned_data["name"]})
                return redirect("partnerships:organisations", slug=actor.partnership.slug)
    else:
        form = OrganisationForm(initial={field: getattr(target, field) for field in services.ORGANISATION_FIELDS})
    return render(
        request, "partnerships/organisation_form.html", {"nav_section": "organisations", "form": form, "target": target}
    )


@partnership_view("partnerships.manage_organisations")
@require_http_methods(["GET", "POST"])
def organisation_retire(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    target = selectors.organisation_in_partnership(actor, organisation_id)
    if target.is_retired:
        messages.info(request, _("%(name)s has already retired.") % {"name": target.name})
        return redirect("partnerships:organisations", slug=actor.partnership.slug)
    if request.method == "POST":
        services.organisation_retire(actor=actor, organisation=target)
        messages.success(request, _("%(name)s has retired from the partnership.") % {"name": target.name})
        return redirect("partnerships:organisations", slug=actor.partnership.slug)
    return render(
        request,
        "partnerships/organisation_retire.html",
        {"nav_section": "organisations", "target": target, "staff_count": selectors.staff_count_of(target)},
    )


@partnership_view("partnerships.manage_organisations")
@require_POST
def organisation_reinstate(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    target = selectors.organisation_in_partnership(actor, organisation_id)
    services.organisation_reinstate(actor=actor, organisation=target)
    messages.success(request, _("%(name)s is back in the partnership.") % {"name": target.name})
    return redirect("partnerships:organisations", slug=actor.partnership.slug)


@partnership_view("partnerships.manage_settings")
def settings_hub(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return render(
        request, "partnerships/settings.html", {"nav_section": "settings", "sections": settings_sections(actor)}
    )


@partnership_view("partnerships.manage_settings")
@require_http_methods(["GET", "POST"])
def settings_details(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    partnership = actor.partnership
    if request.method == "POST":
        form = PartnershipSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.partnership_settings_change(actor=actor, **form.cleaned_data)
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The partnership's details are saved."))
                return redirect("partnerships:settings", slug=partnership.slug)
    else:
        form = PartnershipSettingsForm(
            initial={field: getattr(partnership, field) for field in services.SETTINGS_FIELDS}
        )
    return render(request, "partnerships/settings_details.html", {"nav_section": "settings", "form": form})


@partnership_view("partnerships.manage_settings")
@require_http_methods(["GET", "POST"])
def settings_texts(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    partnership = actor.partnership
    if request.method == "POST":
        form = TextsForm(request.POST)
        if form.is_valid():
            allowed = form.cleaned_data["texts"] == "on"
            services.partnership_texts_set(actor=actor, allowed=allowed)
            if allowed:
                messages.success(request, _("Text messages are on for the partnership."))
            else:
                messages.success(request, _("Text messages are off: the partnership sends none."))
            return redirect("partnerships:settings", slug=partnership.slug)
    else:
        form = TextsForm(initial={"texts": "on" if partnership.texts_allowed else "off"})
    return render(request, "partnerships/settings_texts.html", {"nav_section": "settings", "form": form})


@partnership_view("partnerships.manage_roles")
@require_http_methods(["GET", "POST"])
def roles_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = acting_membership(request)
    target = selectors.membership_in_partnership(actor, membership_id)
    if target is None:
        raise Http404
    organisations = selectors.organisation_choices_for(actor, keep=target.organisation_id)
    if request.method == "POST":
        form = RolesForm(request.POST, organisations=organisations)
        if form.is_valid():
            try:
                services.membership_roles_change(
                    actor=actor,
                    membership=target,
                    roles=set(form.cleaned_data["roles"]),
                    organisation=form.cleaned_data["organisation"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Roles saved for %(name)s.") % {"name": target.user.name})
                return redirect("partnerships:people", slug=actor.partnership.slug)
    else:
        form = RolesForm(
            initial={"roles": [r.value for r in target.roles], "organisation": target.organisation_id},
            organisations=organisations,
        )
    return render(request, "partnerships/roles_edit.html", {"nav_section": "people", "form": form, "target": target})


@partnership_view("partnerships.invite")
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    organisations = selectors.organisation_choices_for(actor)
    # A partner lead (who is not also a coordinator) invites staff of their own organisation.
    own: Organisation | None = None if actor.is_coordinator else actor.organisation
    if request.method == "POST":
        form = InvitationForm(request.POST, organisations=organisations, own_organisation=own)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    actor=actor,
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    roles=set(form.cleaned_data["roles"]),
                    organisation=form.cleaned_data["organisation"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                if invitation.by_text:
                    made = _("Invitation to %(number)s made: the text message is on its way. It lasts 14 days.") % {
                        "number": invitation.sent_to
                    }
                else:
                    made = _("Invitation to %(email)s made: the email is on its way. The invitation lasts 14 days.") % {
                        "email": invitation.email
                    }
                messages.success(request, made)
                return redirect("partnerships:invitations", slug=actor.partnership.slug)
    else:
        form = InvitationForm(organisations=organisations, own_organisation=own)
    page = Paginator(selectors.invitations_visible_to(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/invitations.html",
        {"nav_section": "invitations", "form": form, "page": page, "own_organisation": own},
    )


@partnership_view("partnerships.invite")
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    invitation = selectors.invitation_in_partnership(actor, invitation_id)
    if invitation is None:
        raise Http404
    try:
        services.invitation_revoke(actor=actor, invitation=invitation)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.sent_to})
    return redirect("partnerships:invitations", slug=actor.partnership.slug)


@partnership_view("partnerships.invite")
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = acting_membership(request)
    invitation = selectors.invitation_in_partnership(actor, invitation_id)
    if invitation is None:
        raise Http404
    try:
        services.invitation_resend(actor=actor, invitation=invitation)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation to %(email)s is being sent again.") % {"email": invitation.email})
    return redirect("partnerships:invitations", slug=actor.partnership.slug)


@partnership_view("partnerships.view_audit")
def audit(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.audit_events_visible_to(acting_membership(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    membership = acting_membership(request)
    entries = audit_entries(page.object_list, partnership_id=membership.partnership_id)
    return render(request, "partnerships/audit.html", {"nav_section": "audit", "page": page, "entries": entries})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link: the token is the proof."""
    invitation = invitation_from_token(token)
    problem = services.invitation_problem(invitation)
    if invitation is None or problem:
        status = 404 if invitation is None else 410
        return render(request, "partnerships/invitation_problem.html", {"problem": problem}, status=status)
    user = request.user
    login_url = f"{reverse('account_login')}?next={request.path}"
    has_account = not user.is_authenticated and not invitation.by_text and _account_exists(invitation.email)
    form = (
        AcceptNewAccountForm(request.POST or None, by_text=invitation.by_text)
        if not user.is_authenticated and not has_account
        else None
    )
    error = None
    if request.method == "POST":
        if has_account:
            return redirect(login_url)
        membership = None
        try:
            if user.is_authenticated:
                membership = services.invitation_accept(user=user, invitation=invitation)
            elif form is not None and form.is_valid():
                membership = services.invitation_accept_new_account(
                    invitation=invitation,
                    display_name=form.cleaned_data["display_name"],
                    password=form.cleaned_data["password1"],
                    email=form.cleaned_data.get("email", ""),
                )
                login(request, membership.user, backend="coproduce.accounts.backends.AuthenticationBackend")
        except ServiceError as exc:
            if form is not None and exc.field:
                exc.add_to(form)
            else:
                error = exc.message
        if membership is not None:
            messages.success(request, _("Welcome to %(name)s.") % {"name": membership.partnership.name})
            return redirect("partnerships:home", slug=membership.partnership.slug)
    context = {
        "invitation": invitation,
        "form": form,
        "error": error,
        "has_account": has_account,
        "wrong_person": user.is_authenticated
        and not invitation.by_text
        and user.email.lower() != invitation.email.lower(),
        "login_url": login_url,
    }
    return render(request, "partnerships/invitation_accept.html", context)


def _account_exists(email: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email).exists()


@partnership_view("partnerships.assisted")
@require_http_methods(["GET", "POST"])
def assisted(request: HttpRequest) -> HttpResponse:
    """A member's page: what keyworkers recorded with her, to confirm or change, and her on/off switch."""
    membership = acting_membership(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("allow", "refuse"):
            services.assistance_set(actor=membership, allowed=action == "allow")
            if action == "allow":
                messages.success(request, _("Your keyworker can now record your views with you."))
            else:
                messages.success(request, _("Keyworkers can no longer record your views with you."))
        elif action == "confirm":
            try:
                item_id = int(request.POST.get("item_id", ""))
            except ValueError:
                raise Http404 from None
            assisted_confirm(member=membership, kind=request.POST.get("kind", ""), item_id=item_id)
            messages.success(request, _("Thank you: it is marked as right."))
        else:
            raise Http404
        return redirect("partnerships:assisted", slug=membership.partnership.slug)
    return render(
        request,
        "partnerships/assisted.html",
        {"nav_section": "assisted", "items": assisted_pending(membership), "allowed": membership.assistance_allowed},
    )
