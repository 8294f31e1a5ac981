"""The staff's evaluation pages as every role: the quarter's results, a service's results with its run charts,
the export, starting a test of change, the coordinators' questions and the moderation of parents' comments.
The small-groups rule is checked on the rendered pages: no group of fewer than 5 answers appears anywhere."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.evaluation.instrument import STATEMENT_KEYS
from coproduce.evaluation.models import Answer, PanelMember, Question, Remark, Subject
from coproduce.partnerships.models import Membership, Partnership
from tests.conftest import signed_in
from tests.evaluation.results_support import (
    answers,
    months_back,
    quarter_code,
    release,
    subject,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

COUNT_CELL = re.compile(r'class="cp-number  cp-count">\s*(\d+)\s*<')


def url(membership: Membership, name: str, **kwargs: int) -> str:
    return reverse(f"evaluation:{name}", kwargs={"slug": membership.partnership.slug, **kwargs})


def counts_on(page: str) -> list[int]:
    return [int(n) for n in COUNT_CELL.findall(page)]


@pytest.fixture
def services(partnership: Partnership, worker: Membership) -> dict[str, Subject]:
    """Four services this quarter: two of the worker's organisation (7 and 6 answers), one of another (8), and
    one with 3 answers, merged into "Other services" with the smallest shown one so that it holds at least 5."""
    other = OrganisationFactory(partnership=partnership, name="Northside Trust")
    made = {
        "advice": subject(partnership, "Riverside money advice", worker.organisation_id),
        "drop_in": subject(partnership, "Riverside drop-in", worker.organisation_id),
        "north": subject(partnership, "Northside parenting group", other.pk),
        "tiny": subject(partnership, "Tiny pilot", other.pk),
    }
    answers(made["advice"], 7)
    answers(made["drop_in"], 6)
    answers(made["north"], 8, fitted=2)
    answers(made["tiny"], 3)
    return made


class TestResultsOverview:
    def test_the_coordinator_sees_every_shown_service_other_services_and_the_partnership(
        self, coordinator: Membership, services: dict[str, Subject]
    ) -> None:
        response = signed_in(coordinator.user).get(url(coordinator, "results"))
        page = response.content.decode()
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        assert "Riverside money advice" in page and "Northside parenting group" in page
        # 3 answers cannot stand alone, and "Other services" with only them would hold 3: the smallest shown
        # service (the drop-in, 6) joins them.
        assert "Tiny pilot" not in page and "Riverside drop-in" not in page
        assert "Other services" in page and "The whole partnership" in page
        assert "groups of at least 5 answers" in page
        assert sorted(counts_on(page)) == sorted([7, 8, 9, 24, 7, 8, 24])  # services, other, partnership,
        # two organisations (their shown services only), and how answers came (all online)

    def test_no_count_under_five_is_rendered_anywhere(
        self, coordinator: Membership, services: dict[str, Subject]
    ) -> None:
        page = signed_in(coordinator.user).get(url(coordinator, "results")).content.decode()
        counts = counts_on(page)
        assert counts and min(counts) >= 5
        # By subtraction: the partnership's total minus the services shown (Northside, Riverside money advice)
        # is "Other services", at least 5: it cannot reveal the 3 answers of the tiny pilot.
        northside, advice, other, whole = counts[:4]
        assert whole - northside - advice == other >= 5

    def test_staff_see_only_their_organisations_services_once_released(
        self, worker: Membership, partner_lead: Membership, services: dict[str, Subject]
    ) -> None:
        client = signed_in(worker.user)
        before = client.get(url(worker, "results")).content.decode()
        assert "Riverside money advice" not in before and "The parents' panel looks at each quarter" in before
        release(services["advice"])
        page = client.get(url(worker, "results")).content.decode()
        assert "Riverside money advice" in page and "Northside parenting group" not in page
        lead_page = signed_in(partner_lead.user).get(url(partner_lead, "results")).content.decode()
        assert "Riverside money advice" not in lead_page

    def test_a_panel_member_sees_results_and_other_members_do_not(
        self, member: Membership, observer: Membership, services: dict[str, Subject]
    ) -> None:
        assert signed_in(member.user).get(url(member, "results")).status_code == 404
        assert signed_in(observer.user).get(url(observer, "results")).status_code == 404
        PanelMember.objects.create(partnership=member.partnership, user=member.user)
        assert "Riverside money advice" in signed_in(member.user).get(url(member, "results")).content.decode()

    def test_another_partnership_gets_404(self, outsider: Membership, services: dict[str, Subject]) -> None:
        slug = services["advice"].partnership.slug
        client = signed_in(outsider.user)
        assert client.get(reverse("evaluation:results", kwargs={"slug": slug})).status_code == 404
        assert (
            client.get(
                reverse("evaluation:subject-results", kwargs={"slug": slug, "subject_id": services["advice"].pk})
            ).status_code
            == 404
        )

    def test_quarters_are_links_and_the_latest_is_the_default(
        self, coordinator: Membership, services: dict[str, Subject]
    ) -> None:
        earlier = months_back(3)
        answers(services["advice"], 5, period=earlier, listened=1)
        page = signed_in(coordinator.user).get(url(coordinator, "results")).content.decode()
        assert f'href="?quarter={quarter_code(earlier)}"' in page and 'aria-current="page"' in page
        old = signed_in(coordinator.user).get(url(coordinator, "results") + f"?quarter={quarter_code(earlier)}")
        assert old.status_code == 200 and counts_on(old.content.decode())[0] == 5

    def test_a_quarter_with_fewer_than_five_answers_shows_nothing(
        self, coordinator: Membership, partnership: Partnership
    ) -> None:
        answers(subject(partnership, "Quiet service"), 4)
        page = signed_in(coordinator.user).get(url(coordinator, "results")).content.decode()
        assert "Quiet service" not in page and counts_on(page) == []
        assert "not enough answers in this quarter" in page

    def test_the_number_of_queries_does_not_grow_with_the_services(
        self, coordinator: Membership, services: dict[str, Subject], partnership: Partnership
    ) -> None:
        client = signed_in(coordinator.user)
        client.get(url(coordinator, "results"))  # warm the session and caches
        with CaptureQueriesContext(connection) as few:
            client.get(url(coordinator, "results"))
        for n in range(5):
            answers(subject(partnership, f"Extra service {n}", coordinator.organisation_id), 5)
        with CaptureQueriesContext(connection) as many:
            page = client.get(url(coordinator, "results")).content.decode()
        assert "Extra service 4" in page
        assert len(many) == len(few)


class TestSubjectResults:
    def test_the_service_beside_the_partnership_with_a_run_chart_per_statement(
        self, coordinator: Membership, services: dict[str, Subject]
    ) -> None:
        north = services["north"]
        for back in range(3, 9):  # six months of earlier quarters, five answers each
            answers(north, 5, period=months_back(back), fitted=4 if back > 5 else 3)
        response = signed_in(coordinator.user).get(url(coordinator, "subject-results", subject_id=north.pk))
        assert response.status_code == 200
        page = response.content.decode().split("<main")[1].split("</main>")[0]
        assert page.count("<svg") == len(STATEMENT_KEYS) and page.count('role="img"') == len(STATEMENT_KEYS)
        assert "style=" not in page and "<script" not in page
        assert "the average of at least 5 answers" in page
        assert "8 answers this quarter" in page
        assert "The partnership" in page and "groups of at least 5 answers" in page
        # fitted my life: 2.0 this quarter for the service, beside the partnership's average
        assert ">2.0<" in page

    def test_a_low_statement_offers_a_test_of_change(
        self, coordinator: Membership, worker: Membership, services: dict[str, Subject]
    ) -> None:
        north = services["north"]
        page = signed_in(coordinator.user).get(url(coordinator, "subject-results", subject_id=north.pk))
        html = page.content.decode()
        assert html.count('name="statement"') == 1 and 'value="fitted"' in html
        advice = signed_in(coordinator.user).get(url(coordinator, "subject-results", subject_id=services["advice"].pk))
        assert 'name="statement"' not in advice.content.decode()

    def test_only_staff_of_the_services_organisation_see_it(
        self, worker: Membership, partner_lead: Membership, services: dict[str, Subject]
    ) -> None:
        advice = services["advice"]
        release(advice)
        assert signed_in(worker.user).get(url(worker, "subject-results", subject_id=advice.pk)).status_code == 200
        assert (
            signed_in(partner_lead.user).get(url(partner_lead, "subject-results", subject_id=advice.pk)).status_code
            == 404
        )
        north = services["north"]
        assert signed_in(worker.user).get(url(worker, "subject-results", subject_id=north.pk)).status_code == 404

    def test_only_checked_text_reaches_the_service_never_who_wrote_it(
        self, worker: Membership, services: dict[str, Subject]
    ) -> None:
        advice = services["advice"]
        release(advice)
        given = Answer.objects.filter(subject=advice)
        author = given[0].user
        Remark.objects.create(
            answer=given[0],
            kind=Remark.Kind.KEEP,
            text="Amy at the desk was lovely",
            status=Remark.Status.SHOWN,
            shown_text="The person at the desk was lovely",
        )
        Remark.objects.create(answer=given[1], kind=Remark.Kind.CHANGE, text="Longer opening hours please")
        page = signed_in(worker.user).get(url(worker, "subject-results", subject_id=advice.pk)).content.decode()
        assert "The person at the desk was lovely" in page
        assert "Amy" not in page and "Longer opening hours" not in page
        assert author is not None and author.email not in page

    def test_a_merged_service_shows_no_figure_of_its_own(
        self, coordinator: Membership, services: dict[str, Subject]
    ) -> None:
        page = signed_in(coordinator.user).get(url(coordinator, "subject-results", subject_id=services["tiny"].pk))
        html = page.content.decode()
        assert page.status_code == 200 and "counted in “Other services”" in html
        assert "3 answers" not in html


class TestStartTest:
    def test_it_starts_a_linked_test_and_goes_to_its_page(
        self, coordinator: Membership, services: dict[str, Subject], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from coproduce.evaluation.views.results import improvement_api
        from coproduce.improvement.api import TestRef

        calls: list[dict[str, Any]] = []

        def started(**kwargs: Any) -> TestRef:
            calls.append(kwargs)
            return TestRef(id=41, title=kwargs["title"], stage="Plan")

        monkeypatch.setattr(improvement_api, "test_start_linked", started, raising=False)
        north = services["north"]
        response = signed_in(coordinator.user).post(
            url(coordinator, "start-test", subject_id=north.pk), {"statement": "fitted"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "improvement:test", kwargs={"slug": coordinator.partnership.slug, "test_id": 41}
        )
        (call,) = calls
        assert call["source_key"] == "evaluation.statement" and call["ref"] == f"{north.pk}:fitted"
        assert call["actor"] == coordinator and call["organisation_id"] == north.organisation_id

    def test_staff_of_another_organisation_and_members_may_not(
        self,
        partner_lead: Membership,
        member: Membership,
        services: dict[str, Subject],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        from coproduce.evaluation.views.results import improvement_api

        monkeypatch.setattr(
            improvement_api, "test_start_linked", lambda **kw: pytest.fail("no test may start"), raising=False
        )
        advice = services["advice"]
        for who in (partner_lead, member):
            response = signed_in(who.user).post(url(who, "start-test", subject_id=advice.pk), {"statement": "fitted"})
            assert response.status_code == 404

    def test_an_unknown_statement_is_refused_plainly(
        self, coordinator: Membership, services: dict[str, Subject]
    ) -> None:
        north = services["north"]
        response = signed_in(coordinator.user).post(
            url(coordinator, "start-test", subject_id=north.pk), {"statement": "nonsense"}, follow=True
        )
        assert "Choose a statement" in response.content.decode()


class TestExport:
    def test_coordinators_download_the_overviews_rows(
        self, coordinator: Membership, services: dict[str, Subject]
    ) -> None:
        response = signed_in(coordinator.user).get(url(coordinator, "results-csv"))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        services_named = {row[1] for row in rows[1:]}
        assert services_named == {"Riverside money advice", "Northside parenting group", "Other services"}
        assert all(int(row[3]) >= 5 for row in rows[1:])

    def test_a_name_that_looks_like_a_formula_is_written_as_text(
        self, coordinator: Membership, partnership: Partnership
    ) -> None:
        answers(subject(partnership, '=HYPERLINK("http://example.com")'), 5)
        body = signed_in(coordinator.user).get(url(coordinator, "results-csv")).content.decode()
        assert "'=HYPERLINK" in body

    @pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
    def test_only_coordinators(self, role: str, request: pytest.FixtureRequest) -> None:
        who = request.getfixturevalue(role)
        assert signed_in(who.user).get(url(who, "results-csv")).status_code == 404


class TestQuestions:
    def test_a_coordinator_adds_a_question(self, coordinator: Membership, services: dict[str, Subject]) -> None:
        advice = services["advice"]
        client = signed_in(coordinator.user)
        assert client.get(url(coordinator, "questions", subject_id=advice.pk)).status_code == 200
        response = client.post(
            url(coordinator, "questions", subject_id=advice.pk),
            {"text": "Was the room easy to find?", "kind": "scale"},
        )
        assert response.status_code == 302
        assert Question.objects.get(subject=advice).text == "Was the room easy to find?"

    def test_a_worrying_question_is_kept_in_the_form_until_the_coordinator_confirms(
        self, coordinator: Membership, services: dict[str, Subject]
    ) -> None:
        advice = services["advice"]
        client = signed_in(coordinator.user)
        address = url(coordinator, "questions", subject_id=advice.pk)
        text = "What is your date of birth?"
        warned = client.post(address, {"text": text, "kind": "text"})
        page = warned.content.decode()
        assert warned.status_code == 200 and "Check this question before it is asked" in page
        assert 'value="What is your date of birth?"' in page and 'name="override_warning"' in page
        assert not Question.objects.exists()
        warnings = re.findall(r'name="warning" value="([^"]*)"', page)
        confirmed = client.post(address, {"text": text, "kind": "text", "override_warning": "on", "warning": warnings})
        assert confirmed.status_code == 302
        assert Question.objects.get().warning_overridden is True

    def test_retiring_a_question(self, coordinator: Membership, services: dict[str, Subject]) -> None:
        advice = services["advice"]
        question = Question.objects.create(subject=advice, text="Was it easy to find?", position=1)
        response = signed_in(coordinator.user).post(
            url(coordinator, "question-retire", question_id=question.pk), {"subject": advice.pk}
        )
        assert response["Location"] == url(coordinator, "questions", subject_id=advice.pk)
        question.refresh_from_db()
        assert question.retired_at is not None

    @pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
    def test_only_coordinators(self, role: str, request: pytest.FixtureRequest, services: dict[str, Subject]) -> None:
        who = request.getfixturevalue(role)
        advice = services["advice"]
        assert signed_in(who.user).get(url(who, "questions", subject_id=advice.pk)).status_code == 404
        response = signed_in(who.user).post(
            url(who, "questions", subject_id=advice.pk), {"text": "Anything?", "kind": "scale"}
        )
        assert response.status_code == 404 and not Question.objects.exists()


class TestModeration:
    @pytest.fixture
    def remarks(self, services: dict[str, Subject]) -> dict[str, Remark]:
        given = list(Answer.objects.filter(subject=services["advice"]).order_by("id"))
        return {
            "plain": Remark.objects.create(answer=given[0], kind=Remark.Kind.KEEP, text="Friendly and quick"),
            "phone": Remark.objects.create(
                answer=given[1], kind=Remark.Kind.CHANGE, text="Ring me on 07700 900123, Jo", flags="phone"
            ),
        }

    def test_the_queue_puts_flagged_comments_first_with_why(
        self, coordinator: Membership, remarks: dict[str, Remark]
    ) -> None:
        response = signed_in(coordinator.user).get(url(coordinator, "moderation"))
        page = response.content.decode()
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        assert page.index("Ring me on") < page.index("Friendly and quick")
        assert "It may contain a phone number" in page
        for remark in remarks.values():
            assert remark.answer.user is not None and remark.answer.user.email not in page

    def test_show_with_names_taken_out(self, coordinator: Membership, remarks: dict[str, Remark]) -> None:
        client = signed_in(coordinator.user)
        address = url(coordinator, "remark", remark_id=remarks["phone"].pk)
        form = client.get(address).content.decode()
        assert "Ring me on 07700 900123, Jo" in form  # prefilled, to edit
        response = client.post(address, {"action": "show", "shown_text": "Please call parents back"})
        assert response.status_code == 302 and response["Location"] == url(coordinator, "moderation")
        remarks["phone"].refresh_from_db()
        assert remarks["phone"].status == Remark.Status.SHOWN
        assert remarks["phone"].shown_text == "Please call parents back"

    def test_showing_needs_some_text_and_nothing_is_lost(
        self, coordinator: Membership, remarks: dict[str, Remark]
    ) -> None:
        address = url(coordinator, "remark", remark_id=remarks["plain"].pk)
        response = signed_in(coordinator.user).post(address, {"action": "show", "shown_text": ""})
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
        remarks["plain"].refresh_from_db()
        assert remarks["plain"].status == Remark.Status.WAITING

    def test_do_not_show(self, coordinator: Membership, remarks: dict[str, Remark]) -> None:
        address = url(coordinator, "remark", remark_id=remarks["plain"].pk)
        signed_in(coordinator.user).post(address, {"action": "hide"})
        remarks["plain"].refresh_from_db()
        assert remarks["plain"].status == Remark.Status.HIDDEN

    @pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer"])
    def test_only_coordinators(self, role: str, request: pytest.FixtureRequest, remarks: dict[str, Remark]) -> None:
        who = request.getfixturevalue(role)
        client = signed_in(who.user)
        assert client.get(url(who, "moderation")).status_code == 404
        address = url(who, "remark", remark_id=remarks["plain"].pk)
        assert client.post(address, {"action": "hide"}).status_code == 404
        remarks["plain"].refresh_from_db()
        assert remarks["plain"].status == Remark.Status.WAITING

    def test_the_coordinators_home_says_how_many_wait(
        self, coordinator: Membership, worker: Membership, remarks: dict[str, Remark]
    ) -> None:
        home = reverse("partnerships:home", kwargs={"slug": coordinator.partnership.slug})
        page = signed_in(coordinator.user).get(home).content.decode()
        assert "2 comments from parents to check" in page
        assert url(coordinator, "moderation") in page
        assert "comments from parents to check" not in signed_in(worker.user).get(home).content.decode()


class TestChartSummary:
    def test_a_shift_reaching_the_latest_month_is_said_in_one_sentence(self) -> None:
        from coproduce.core import charts
        from coproduce.evaluation.views.results import chart_headline

        months = [date(2025, month, 1) for month in range(1, 13)]
        values = [3.1, 3.0, 3.2, 3.1, 3.0, 4.5, 4.6, 4.7, 4.6, 4.8, 4.7, 4.9]
        chart = charts.build(list(zip(months, values, strict=True)), by_month=True)
        assert chart_headline(chart) == (
            "A shift downwards from January 2025 to June 2025. A shift upwards since July 2025."
        )
        falling = charts.build(list(zip(months, values[::-1], strict=True)), by_month=True)
        assert chart_headline(falling) == (
            "A shift upwards from January 2025 to June 2025. A shift downwards since July 2025."
        )

    def test_no_signal_and_too_few_months_are_said_plainly(self) -> None:
        from coproduce.core import charts
        from coproduce.evaluation.views.results import chart_headline

        flat = charts.build([(date(2026, m, 1), 4.0 + (m % 2) / 10) for m in range(1, 8)], by_month=True)
        assert chart_headline(flat).startswith("No shift or trend")
        one = charts.build([(date(2026, 1, 1), 4.0)], by_month=True)
        assert chart_headline(one).startswith("Not enough months yet")
