"""Who sees which part of a plan."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, partnership_view
from coproduce.support import selectors, services
from coproduce.support.forms import SharingForm
from coproduce.support.views._common import page_context, record_read


@partnership_view("support.take_part")
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = acting_membership(request)
    plan, access = selectors.plan_for(actor, plan_id, editing=True)
    organisations = list(selectors.organisations_of(actor))
    shares = selectors.shares_of(plan)
    live: dict[int, list[str]] = {}
    for share in shares:
        if share.withdrawn_at is None:
            live.setdefault(share.organisation_id, []).append(share.part)
    failed: SharingForm | None = None
    if request.method == "POST":
        form = SharingForm(request.POST, is_staff=not access.is_owner)
        if form.is_valid():
            organisation = next((o for o in organisations if o.pk == form.cleaned_data["organisation"]), None)
            if organisation is None:
                raise NotPermitted()
            try:
                services.sharing_set(
                    actor=actor,
                    plan=plan,
                    organisation=organisation,
                    parts=form.cleaned_data["parts"],
                    with_member=form.cleaned_data.get("with_member", False),
                )
            except ServiceError as error:
                error.add_to(form)
                failed = form
            else:
                messages.success(
                    request, _("Saved. %(org)s can now see only what you ticked.") % {"org": organisation.name}
                )
                return redirect("support:sharing", slug=actor.partnership.slug, plan_id=plan.pk)
        else:
            failed = form
    rows = []
    for org in organisations:
        if failed is not None and str(failed.data.get("organisation")) == str(org.pk):
            form = failed
        else:
            form = SharingForm(
                initial={"organisation": org.pk, "parts": live.get(org.pk, [])},
                is_staff=not access.is_owner,
                prefix=None,
            )
        rows.append({"organisation": org, "form": form, "live": live.get(org.pk, [])})
    bases = selectors.lawful_bases(actor)
    record_read(request, plan, access, "sharing", [])
    return render(
        request,
        "support/sharing.html",
        page_context(plan=plan, access=access, rows=rows, shares=shares, bases=bases, failed=failed),
    )
