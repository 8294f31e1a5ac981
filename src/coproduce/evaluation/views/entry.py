"""Paper and assisted answers: the printable form (one A4 page, large print) and a keyworker's page to enter
answers given on paper or read out. Keyworkers only (workers and coordinators: ``evaluation.enter``).

Entering is two steps on one address: choose the service and how the answers came (a GET form, so the address
keeps the choice), then the answers. After each save the page comes back with the same service and way, empty,
so a pile of paper forms is entered one after another."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduce.core.exceptions import ServiceError
from coproduce.core.reversing import cached_reverse
from coproduce.evaluation.forms.entry import EntryChoiceForm, EntryForm
from coproduce.evaluation.instrument import SCALE, STATEMENTS
from coproduce.evaluation.models import Answer
from coproduce.evaluation.selectors.answers import live_questions, subject_for, subjects_in
from coproduce.evaluation.selectors.entry import members_to_choose
from coproduce.evaluation.services.entry import answer_enter
from coproduce.partnerships.access import acting_membership, partnership_view

NAV = "evaluation"


def _no_store(response: HttpResponse) -> HttpResponse:
    # The entry page holds a parent's answers and, for read-out answers, the members' names.
    response["Cache-Control"] = "no-store"
    return response


@partnership_view("evaluation.enter")
def paper(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    return render(request, "evaluation/entry/paper.html", {"nav_section": NAV, "subjects": list(subjects_in(actor))})


@partnership_view("evaluation.enter")
def paper_form(request: HttpRequest, subject_id: int) -> HttpResponse:
    actor = acting_membership(request)
    subject = subject_for(actor, subject_id)
    return render(
        request,
        "evaluation/entry/paper_form.html",
        {
            "nav_section": NAV,
            "subject": subject,
            "questions": live_questions(subject),
            "statements": STATEMENTS,
            "scale": SCALE,
        },
    )


@partnership_view("evaluation.enter")
def enter(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    slug = actor.partnership.slug
    subjects = list(subjects_in(actor))
    posted = request.method == "POST"
    chosen = request.POST if posted else request.GET
    choice = EntryChoiceForm(chosen if "mode" in chosen or "subject" in chosen else None, subjects=subjects)
    context = {"nav_section": NAV, "choice": choice, "subjects": subjects}
    if not choice.is_bound or not choice.is_valid():
        context["form"] = choice  # the error summary lists the choice's errors
        return _no_store(render(request, "evaluation/entry/choose.html", context))
    subject = choice.cleaned_data["subject"]
    mode = choice.cleaned_data["mode"]
    members = list(members_to_choose(actor)) if mode == Answer.Mode.READ_OUT else []
    form = EntryForm(request.POST if posted else None, mode=mode, questions=live_questions(subject), members=members)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            answer = answer_enter(
                actor=actor,
                subject_id=subject.pk,
                mode=mode,
                scores=form.scores(),
                keep=data.get("keep", ""),
                change=data.get("change", ""),
                question_answers=form.question_answers(),
                paper_ref=data.get("paper_ref", ""),
                member_id=data.get("member"),
                member_agreed=bool(data.get("member_agreed")),
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            if mode == Answer.Mode.PAPER:
                done = _("Saved: form %(ref)s about %(service)s. Enter another.")
            else:
                done = _("Saved: her answers about %(service)s. Enter another.")
            messages.success(request, done % {"ref": answer.paper_ref, "service": subject.name})
            address = cached_reverse("evaluation:enter", kwargs={"slug": slug})
            return redirect(f"{address}?{urlencode({'subject': subject.pk, 'mode': mode})}")
    context.update({"form": form, "subject": subject, "mode": mode, "is_paper": mode == Answer.Mode.PAPER})
    return _no_store(render(request, "evaluation/entry/enter.html", context))
