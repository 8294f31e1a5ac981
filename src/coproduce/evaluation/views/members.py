"""What parents say, from the member's side: the evaluation's home page (what each person may do here), the
answer form, "Not now" on an offer, her own answers and withdrawing one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.evaluation import selectors, services
from coproduce.evaluation.checks import text_flags
from coproduce.evaluation.forms.answers import AnswerForm
from coproduce.evaluation.instrument import SCALE_LABEL, STATEMENTS
from coproduce.evaluation.models import Answer
from coproduce.partnerships.access import acting_membership, may, partnership_slug, partnership_view
from coproduce.partnerships.models import Membership

NAV = "evaluation"


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    return cached_reverse(f"evaluation:{name}", kwargs={"slug": partnership_slug(request), **kwargs})


# --- the evaluation's home page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    url_name: str
    rule: str
    hint: str = ""


def _staff_links() -> tuple[Link, ...]:
    return (
        Link(_("Results"), "results", "evaluation.see_results", _("What parents said, by service and quarter.")),
        Link(_("Enter a paper form or a read-out answer"), "enter", "evaluation.enter"),
        Link(_("Print a paper form"), "paper", "evaluation.enter"),
        Link(
            _("Comments to check"),
            "moderation",
            "evaluation.manage",
            _("Free text waits here before a service reads it."),
        ),
        Link(_("Partnership health check"), "health", "evaluation.see_health"),
    )


def _links_for(request: HttpRequest, actor: Membership) -> list[dict[str, str]]:
    """The pages this person's role has, among those the site has: a part of evaluation not installed yet
    simply has no link."""
    shown = []
    for link in _staff_links():
        if not may(link.rule, actor, None):
            continue
        try:
            url = _url(request, link.url_name)
        except NoReverseMatch:
            continue
        shown.append({"text": link.text, "url": url, "hint": link.hint})
    return shown


def _optional_url(request: HttpRequest, name: str) -> str:
    try:
        return _url(request, name)
    except NoReverseMatch:
        return ""


def _published_responses(actor: Membership) -> Any:
    # "You said, they did": the services' published responses, from the parents' panel part (its selector
    # fills the include evaluation/_partials/responses.html); nothing while that part is not installed.
    published = getattr(selectors, "responses_published", None)
    return published(actor) if published is not None else None


@partnership_view("partnerships.view")
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """A hub: for a member, what she is asked about and what she can tell us; for staff, their pages; for
    everyone, what services said back."""
    actor = acting_membership(request)
    context: dict[str, Any] = {
        "nav_section": NAV,
        "is_member": actor.is_member,
        "links": _links_for(request, actor),
        "panel_url": _optional_url(request, "panel") if may("evaluation.join_panel", actor, None) else "",
        "responses": _published_responses(actor),
    }
    if actor.is_member:
        context["offers"] = list(selectors.offers_waiting(actor))
        context["used"] = list(selectors.subjects_used(actor))
    return render(request, "evaluation/members/index.html", context)


# --- answering -----------------------------------------------------------------------------------------


def _offer_id(request: HttpRequest) -> int | None:
    raw = request.GET.get("offer", "")
    return int(raw) if raw.isdigit() else None


def _thanks(subject: Any, flagged: bool) -> str:
    text = _(
        "Thank you for telling us about %(name)s. The service will not know it was you. You can see your answer, "
        "or withdraw it, under Your answers."
    ) % {"name": subject.name}
    if flagged:
        text += " " + _(
            "You wrote what looks like a phone number or an email address, so a coordinator will read it first "
            "and take out anything that could show it was you."
        )
    return text


def _cannot_answer(request: HttpRequest, subject: Any, message: str, *, reason: str) -> HttpResponse:
    return render(
        request,
        "evaluation/members/cannot_answer.html",
        {"nav_section": NAV, "subject": subject, "message": message, "reason": reason},
    )


NOT_USED = "not_used"
ALREADY = "already"


@partnership_view("evaluation.answer")
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, subject_id: int) -> HttpResponse:
    """The six statements, the two free-text questions and the coordinator's own; all optional but one."""
    actor = acting_membership(request)
    subject = selectors.subject_for(actor, subject_id)
    used = {s.pk: s for s in selectors.subjects_used(actor)}
    if subject.pk not in used:
        return _cannot_answer(request, subject, "", reason=NOT_USED)
    if request.method == "GET" and getattr(used[subject.pk], "answered_this_month", False):
        return _cannot_answer(request, subject, "", reason=ALREADY)
    form = AnswerForm(request.POST if request.method == "POST" else None, questions=selectors.live_questions(subject))
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_give(
                actor=actor,
                subject_id=subject.pk,
                scores=form.scores(),
                keep=form.cleaned_data["keep"],
                change=form.cleaned_data["change"],
                question_answers=form.question_answers(),
                offer_id=_offer_id(request),
            )
        except services.NotUsed as error:
            return _cannot_answer(request, subject, error.message, reason=NOT_USED)
        except services.AlreadyAnswered as error:
            # Sent twice, the back button, a second tab: the first answer stands and nothing is saved twice.
            return _cannot_answer(request, subject, error.message, reason=ALREADY)
        except ServiceError as error:
            error.add_to(form)
        else:
            flagged = any(text_flags(text) for text in form.free_texts())
            messages.success(request, _thanks(subject, flagged))
            return redirect(_url(request, "index"))
    return render(request, "evaluation/members/answer.html", {"nav_section": NAV, "subject": subject, "form": form})


BACK_TO = {"home": "partnerships:home", "index": "evaluation:index"}


@partnership_view("evaluation.answer")
@require_POST
def offer_dismiss(request: HttpRequest, offer_id: int) -> HttpResponse:
    """ "Not now": the offer goes away and she is not asked about that again."""
    actor = acting_membership(request)
    try:
        services.offer_dismiss(actor=actor, offer_id=offer_id)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("We won't ask about that again."))
    back = BACK_TO.get(request.POST.get("back", ""), BACK_TO["index"])
    return redirect(cached_reverse(back, kwargs={"slug": partnership_slug(request)}))


# --- her answers ---------------------------------------------------------------------------------------


def _answer_rows(answers: Any) -> list[dict[str, Any]]:
    """Each answer as she gave it: the statements she scored, in words, and what she wrote."""
    rows = []
    for given in answers:
        scores = [
            {"statement": s.text, "answer": SCALE_LABEL[score]}
            for s in STATEMENTS
            if (score := getattr(given, s.key)) is not None
        ]
        scores += [
            {"statement": qa.question.text, "answer": SCALE_LABEL[qa.score]}
            for qa in given.question_answers.all()
            if qa.score is not None
        ]
        remarks = [
            {"question": r.question.text if r.question_id else r.get_kind_display(), "text": r.text}
            for r in given.remarks.all()
        ]
        rows.append(
            {"answer": given, "scores": scores, "remarks": remarks, "read_out": given.mode == Answer.Mode.READ_OUT}
        )
    return rows


@partnership_view("evaluation.answer")
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    rows = _answer_rows(selectors.my_answers(actor))
    return render(request, "evaluation/members/mine.html", {"nav_section": NAV, "rows": rows})


@partnership_view("evaluation.answer")
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, answer_id: int) -> HttpResponse:
    """A confirmation page (no JavaScript needed) with one button; the answer is deleted."""
    actor = acting_membership(request)
    if request.method == "POST":
        try:
            services.answer_withdraw(actor=actor, answer_id=answer_id)
        except NotPermitted:
            # Withdrawn already (sent twice, or the back button): the same words whatever the number was.
            messages.info(request, _("That answer is not there any more: it may have been withdrawn already."))
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your answer is withdrawn. It is deleted and is not in any figure."))
        return redirect(_url(request, "mine"))
    given = selectors.my_answer(actor, answer_id)
    return render(request, "evaluation/members/withdraw.html", {"nav_section": NAV, "row": _answer_rows([given])[0]})
