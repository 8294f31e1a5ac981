"""What the support pages share: the page context, the plan's address, recording a read, stale edits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from coproduce.core.exceptions import ServiceError
from coproduce.partnerships.access import acting_membership
from coproduce.support import services
from coproduce.support.models import Part, SupportPlan
from coproduce.support.selectors import PlanAccess

NAV = "support"


def plan_url(request: HttpRequest, plan: SupportPlan, anchor: str = "") -> str:
    url = reverse("support:plan", kwargs={"slug": acting_membership(request).partnership.slug, "plan_id": plan.pk})
    return f"{url}#{anchor}" if anchor else url


def record_read(request: HttpRequest, plan: SupportPlan, access: PlanAccess, page: str, parts: Any = None) -> None:
    if not access.is_owner:
        services.plan_read_record(
            reader=acting_membership(request),
            plan=plan,
            parts=parts if parts is not None else access.parts,
            page=page,
        )


def page_context(**kwargs: Any) -> dict[str, Any]:
    return {"nav_section": NAV, "parts": dict(Part.choices), **kwargs}


def refresh_version(form: Any, version: int) -> None:
    """After a stale edit: keep what the person typed, but let their next save build on the newer version."""
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data


def is_stale(error: ServiceError) -> bool:
    return error.code == "stale"
