"""The commitments board and one commitment's page (its review history, and the review form for staff)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coproduce.commitments import selectors, services
from coproduce.commitments.forms import BoardFilterForm, ReviewForm
from coproduce.commitments.open_data import CSV_COLUMNS
from coproduce.commitments.open_data import open_board as board_rows
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view
from coproduce.partnerships.open_data import published_partnership
from coproduce.partnerships.open_data_files import open_csv, open_json, open_page

NAV = "commitments"


@partnership_view("commitments.view")
def board(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    kinds = selectors.kinds()
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(kinds) else ""
    overdue = request.GET.get("overdue", "") in ("on", "true", "1")
    items = selectors.board_for(actor, kind=kind or None, overdue_only=overdue)
    return render(
        request,
        "commitments/board.html",
        {
            "nav_section": NAV,
            "items": items,
            "overdue_total": sum(1 for item in items if item.status == selectors.OVERDUE),
            "filter_form": BoardFilterForm(initial={"kind": kind, "overdue": overdue}, kinds=kinds),
            "filtered": bool(kind or overdue),
        },
    )


@partnership_view("commitments.view")
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, source: str, object_id: int) -> HttpResponse:
    actor = acting_membership(request)
    item = selectors.item_for(actor, source, object_id)
    may_review = may("commitments.review", actor)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_review:
            raise NotPermitted()
        if form.is_valid():
            try:
                services.review_record(actor=actor, source=source, object_id=object_id, **form.cleaned_data)
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, _("Your review is recorded."))
                return redirect(
                    reverse(
                        "commitments:review",
                        kwargs={"slug": partnership_slug(request), "source": source, "object_id": object_id},
                    )
                )
    return render(
        request,
        "commitments/review.html",
        {
            "nav_section": NAV,
            "item": item,
            "reviews": selectors.reviews_of(actor, item),
            "form": form,
            "may_review": may_review,
        },
    )


# --- open data: the board for anyone, read from ``open_data.open_board`` (signed out, GET only; 404 unless the
# partnership publishes open data)


@require_safe
def open_board(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    return open_page(request, "commitments/open/board.html", partnership, {"items": board_rows(partnership)})


@require_safe
def open_board_csv(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    return open_csv(partnership, "commitments", CSV_COLUMNS, [item.csv_row() for item in board_rows(partnership)])


@require_safe
def open_board_json(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = published_partnership(slug)
    return open_json(partnership, [item.as_json() for item in board_rows(partnership)])
