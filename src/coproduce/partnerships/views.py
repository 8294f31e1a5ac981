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
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.partnerships.forms import AcceptNewAccountForm, InvitationForm, RolesForm
from coproduce.partnerships.home import home_sections
from coproduce.partnerships.roles import Role
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
    orgs = selectors.organisations_visible_to(acting_membership(request))
    return render(request, "partnerships/organisations.html", {"nav_section": "organisations", "organisations": orgs})


@partnership_view("partnerships.manage_roles")
@require_http_methods(["GET", "POST"])
def roles_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = acting_membership(request)
    target = selectors.membership_in_partnership(actor, membership_id)
    if target is None:
        raise Http404
    organisations = selectors.organisation_choices_for(actor)
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
    if request.method == "POST":
        form = InvitationForm(request.POST, organisations=organisations)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    actor=actor,
                    email=form.cleaned_data["email"],
                    roles=set(form.cleaned_data["roles"]),
                    organisation=form.cleaned_data["organisation"],
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(
                    request,
                    _("Invitation to %(email)s made: the email is on its way. The invitation lasts 14 days.")
                    % {"email": invitation.email},
                )
                return redirect("partnerships:invitations", slug=actor.partnership.slug)
    else:
        form = InvitationForm(organisations=organisations)
    page = Paginator(selectors.invitations_visible_to(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/invitations.html", {"nav_section": "invitations", "form": form, "page": page})


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
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
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
    return render(request, "partnerships/audit.html", {"nav_section": "audit", "page": page})


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
    has_account = not user.is_authenticated and _account_exists(invitation.email)
    form = AcceptNewAccountForm(request.POST or None) if not user.is_authenticated and not has_account else None
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
        "wrong_person": user.is_authenticated and user.email.lower() != invitation.email.lower(),
        "login_url": login_url,
    }
    return render(request, "partnerships/invitation_accept.html", context)


def _account_exists(email: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email).exists()
