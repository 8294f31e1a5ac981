"""The pages: the board, a test's whole story with its run charts, the forms (posted as plain forms, without
JavaScript), bad input shown on the page (never a 500), and the stop-doing register with its search."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coproduce.improvement import services
from coproduce.improvement.models import Decision, Measure, Observation, StoppedPractice, TestOfChange
from tests.conftest import signed_in
from tests.improvement.conftest import fields, weekly

pytestmark = pytest.mark.django_db


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"improvement:{name}", kwargs={"slug": partnership.slug, **kwargs})


def _shifted(worker: Any, measure: Measure) -> None:
    """Ten weeks around 6, then seven weeks around 12: a shift up after the baseline of ten."""
    values = [6, 5, 7, 6, 5, 7, 6, 6, 5, 6, 12, 11, 13, 12, 12, 11, 13]
    Measure.objects.filter(pk=measure.pk).update(baseline_points=10)
    for day, value in zip(weekly(len(values)), values, strict=True):
        Observation.objects.create(measure=measure, observed_on=day, value=Decimal(value))


def test_the_board_shows_tests_by_stage_in_a_fixed_number_of_queries(
    partnership: Any, worker: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(member.user)
    board_url = url("board", partnership)
    client.get(board_url)  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(board_url)
    for i in range(12):
        test = services.pdsa_create(actor=worker, fields=fields(title=f"Test {i}"))
        services.measure_create(
            actor=worker, test=test, name=f"M{i}", kind="outcome", unit="x", better="higher", source="s"
        )
        if i % 3 == 0:
            services.pdsa_stage_set(actor=worker, test=test, stage="do")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(board_url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="cp-card"') == 12
    assert re.search(r'id="stage-do">Do <span class="cp-board__count">\(4\)', page)
    assert re.search(r'id="stage-plan">Plan <span class="cp-board__count">\(8\)', page)


def test_the_board_filters_by_owner_organisation_and_measure(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    mine = services.pdsa_create(actor=worker, fields=fields(title="Worker's test"))
    services.measure_create(actor=worker, test=mine, name="Waits", kind="outcome", unit="d", better="lower", source="s")
    services.pdsa_create(actor=member, fields=fields(title="Member's test"))
    services.pdsa_create(actor=coordinator, fields=fields(title="Coordinator's test"))
    client = signed_in(member.user)
    board_url = url("board", partnership)

    def titles(query: dict[str, Any]) -> set[str]:
        page = client.get(board_url, query).content.decode()
        return set(re.findall(r'<h3 class="cp-card__title"><a href="[^"]+">([^<]+)</a>', page.replace("&#x27;", "'")))

    assert titles({}) == {"Worker's test", "Member's test", "Coordinator's test"}
    assert titles({"owner": member.user_id}) == {"Member's test"}
    assert titles({"organisation": coordinator.organisation_id}) == {"Coordinator's test"}
    assert titles({"measure": "Waits"}) == {"Worker's test"}
    assert len(titles({"owner": "not-a-number", "measure": "<nope>"})) == 3  # odd values are ignored


def test_a_worker_sets_up_a_test_with_a_plain_form(partnership: Any, worker: Any, member: Any) -> None:
    client = signed_in(worker.user)
    today = timezone.localdate()
    data = {
        "title": "Evening drop-in",
        "aim_what": "More working parents get support.",
        "aim_how_much": "From 6 to 12",
        "aim_by_when": f"{today + timedelta(days=60):%d/%m/%Y}",
        "change_kind": "try",
        "change": "Open two evenings.",
        "predictions": "More come.",
        "starts_on": f"{today:%Y-%m-%d}",
        "ends_on": f"{today + timedelta(days=30):%Y-%m-%d}",
        "people": [member.pk],
    }
    response = client.post(url("test-new", partnership), data)
    test = TestOfChange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("test", partnership, test_id=test.pk)
    assert set(test.people.all()) == {worker, member}


def test_bad_dates_on_the_form_are_shown_and_nothing_is_saved(partnership: Any, worker: Any) -> None:
    client = signed_in(worker.user)
    today = timezone.localdate()
    response = client.post(
        url("test-new", partnership),
        {
            "title": "Evening drop-in",
            "aim_what": "x",
            "aim_how_much": "y",
            "aim_by_when": "31/02/2026",
            "change_kind": "try",
            "change": "z",
            "predictions": "p",
            "starts_on": f"{today:%Y-%m-%d}",
            "ends_on": f"{today - timedelta(days=3):%Y-%m-%d}",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "Enter a real date" in page
    assert not TestOfChange.objects.exists()
    response = client.post(
        url("test-new", partnership),
        {
            "title": "Evening drop-in",
            "aim_what": "x",
            "aim_how_much": "y",
            "aim_by_when": f"{today + timedelta(days=9):%Y-%m-%d}",
            "change_kind": "try",
            "change": "z",
            "predictions": "p",
            "starts_on": f"{today:%Y-%m-%d}",
            "ends_on": f"{today - timedelta(days=3):%Y-%m-%d}",
        },
    )
    assert "The end date must be on or after the start date." in response.content.decode()
    assert not TestOfChange.objects.exists()


def test_the_test_page_draws_the_chart_and_flags_the_shift(
    partnership: Any, worker: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    test = services.pdsa_create(actor=worker, fields=fields(), people=[member])
    measure = services.measure_create(
        actor=worker, test=test, name="Parents per week", kind="outcome", unit="parents", better="higher", source="s"
    )
    _shifted(worker, measure)
    for i in range(4):  # more measures must not mean more queries
        services.measure_create(
            actor=worker, test=test, name=f"Other {i}", kind="process", unit="x", better="lower", source="s"
        )
    client = signed_in(member.user)
    with django_assert_max_num_queries(20):
        response = client.get(url("test", partnership, test_id=test.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'role="img"' in page
    assert "A shift: 7 points in a row above the median" in page
    assert "(better)" in page
    assert page.count('fill="#d32205"') == 7  # seven shift squares
    assert "<caption>Parents per week (parents), by date</caption>" in page
    assert page.count("shift (better)") == 7  # in the data table
    assert " style=" not in page and "<script>" not in page


def test_the_chart_says_worse_when_the_measure_should_go_down(partnership: Any, worker: Any) -> None:
    test = services.pdsa_create(actor=worker, fields=fields())
    measure = services.measure_create(
        actor=worker, test=test, name="Waits", kind="outcome", unit="days", better="lower", source="s"
    )
    _shifted(worker, measure)
    page = signed_in(worker.user).get(url("test", partnership, test_id=test.pk)).content.decode()
    assert "above the median" in page and "(worse)" in page


def test_observations_are_recorded_and_bad_values_are_explained(
    partnership: Any, worker: Any, measure: Measure
) -> None:
    client = signed_in(worker.user)
    address = url("observation-new", partnership, measure_id=measure.pk)
    today = timezone.localdate()
    bad = {
        "twelve": "is not a number",
        "": "Enter a value.",
        "1e999999,200": "is not a number",  # the decimal module overflowed comparing it: a 500
        "9" * 20: "The value is too large.",
    }
    for value, message in bad.items():
        response = client.post(address, {"observed_on": f"{today:%Y-%m-%d}", "value": value})
        assert response.status_code == 200
        assert message in response.content.decode()
    response = client.post(address, {"observed_on": f"{today + timedelta(days=1):%Y-%m-%d}", "value": "3"})
    assert "in the future" in response.content.decode()
    assert not Observation.objects.exists()
    assert client.post(address, {"observed_on": f"{today:%Y-%m-%d}", "value": "3"}).status_code == 302
    response = client.post(address, {"observed_on": f"{today:%Y-%m-%d}", "value": "4"})
    assert response.status_code == 200
    assert "There is already an observation for" in response.content.decode()
    assert Observation.objects.get().value == Decimal("3")


def test_a_csv_upload_with_a_bad_line_says_which_and_why(partnership: Any, worker: Any, measure: Measure) -> None:
    client = signed_in(worker.user)
    address = url("observation-import", partnership, measure_id=measure.pk)
    days = weekly(2)
    upload = SimpleUploadedFile("obs.csv", f"date,value\n{days[0]},4\n{days[1]},four\n".encode(), "text/csv")
    response = client.post(address, {"file": upload})
    assert response.status_code == 200
    assert "Line 3: “four” is not a number" in response.content.decode()
    assert not Observation.objects.exists()
    upload = SimpleUploadedFile("obs.csv", f"date,value\n{days[0]},4\n{days[1]},5\n".encode(), "text/csv")
    assert client.post(address, {"file": upload}).status_code == 302
    assert Observation.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{0},4,"' + "x" * 200_000 + '"\n', "Line 2 cannot be read as CSV"),  # issue 16: it was a 500
        ('{0},4,"never closed\n{1},5,\n', "Line 2 cannot be read as CSV"),
        ('{0},4,"two\nlines"\n{1},five,\n', "Line 4: “five” is not a number"),  # the line, not the row
        ("{0},4,a\x00b\n", "Line 2: a NUL character"),
    ],
)
def test_a_csv_upload_the_reader_cannot_take_says_where(
    partnership: Any, worker: Any, measure: Measure, body: str, message: str
) -> None:
    days = weekly(2)
    content = ("date,value,note\n" + body.format(*days)).encode()
    response = signed_in(worker.user).post(
        url("observation-import", partnership, measure_id=measure.pk),
        {"file": SimpleUploadedFile("obs.csv", content, "text/csv")},
    )
    assert response.status_code == 200
    next_to_the_field = response.content.decode().split('id="id_file_error"', 1)[1].split("</p>", 1)[0]
    assert message in next_to_the_field
    assert not Observation.objects.exists()


def test_a_member_answers_the_check_on_a_phone_form(partnership: Any, member: Any, test_of_change: Any) -> None:
    client = signed_in(member.user)
    address = url("check", partnership, test_id=test_of_change.pk)
    page = client.get(address).content.decode()
    assert "Did this help you?" in page and 'type="radio"' in page
    response = client.post(address, {})
    assert response.status_code == 200 and "Choose yes, a bit or no." in response.content.decode()
    assert client.post(address, {"answer": "a_bit", "words": "Better than before"}).status_code == 302
    assert test_of_change.checks.get().answer == "a_bit"


def test_a_decision_without_reasons_is_refused_on_the_page(partnership: Any, worker: Any, test_of_change: Any) -> None:
    client = signed_in(worker.user)
    address = url("decide", partnership, test_id=test_of_change.pk)
    review = f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}"
    response = client.post(address, {"kind": "abandon", "reasons": "  ", "review_on": review})
    assert response.status_code == 200
    assert "Give the reasons for the decision." in response.content.decode()
    assert not Decision.objects.exists()
    response = client.post(address, {"kind": "abandon", "reasons": "Nobody came.", "review_on": review})
    assert response.status_code == 302
    entry = StoppedPractice.objects.get()
    register = client.get(url("register", partnership), {"q": "nobody"}).content.decode()
    assert entry.what in register


def test_a_member_cosigns_a_waiting_decision_from_the_test_page(
    partnership: Any, worker: Any, member: Any, coordinator: Any, test_of_change: Any
) -> None:
    services.settings_update(actor=coordinator, decisions_need_member=True, stop_rule="tell")
    services.decision_record(
        actor=worker,
        test=test_of_change,
        kind="adopt",
        reasons="It worked.",
        review_on=timezone.localdate() + timedelta(days=9),
    )
    client = signed_in(member.user)
    page = client.get(url("test", partnership, test_id=test_of_change.pk)).content.decode()
    assert "Waiting for a member to co-sign it" in page and "Co-sign this decision" in page
    assert client.post(url("cosign", partnership, test_id=test_of_change.pk)).status_code == 302
    assert Decision.objects.get().is_effective
    # a second press says why nothing happened instead of failing
    response = client.post(url("cosign", partnership, test_id=test_of_change.pk), follow=True)
    assert "already taken effect" in response.content.decode()


def test_the_register_is_searchable_and_shows_waiting_entries(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    services.stopped_create(actor=member, what="Paper sign-in sheets", why="Nobody reads them.")
    services.stopped_create(actor=member, what="Friday phone round", why="Parents are at work.", replaced_by="Texts")
    services.settings_update(actor=coordinator, decisions_need_member=False, stop_rule="agree")
    waiting = services.stopped_create(actor=worker, what="Home visits for forms", why="A phone call does.")
    client = signed_in(member.user)
    page = client.get(url("register", partnership), {"q": "TEXTS"}).content.decode()
    assert "Friday phone round" in page and "Paper sign-in sheets" not in page
    page = client.get(url("register", partnership)).content.decode()
    assert "Waiting for agreement" in page and "You can agree" in page
    assert client.post(url("stopped-agree", partnership, entry_id=waiting.pk)).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "stopped"


def test_a_test_of_another_partnership_is_missing(partnership: Any, outsider: Any, member: Any) -> None:
    theirs = services.pdsa_create(actor=outsider, fields=fields())
    client = signed_in(member.user)
    assert client.get(url("test", partnership, test_id=theirs.pk)).status_code == 404
    entry = services.stopped_create(actor=outsider, what="x", why="y")
    assert client.get(url("stopped", partnership, entry_id=entry.pk)).status_code == 404


def test_the_settings_page_sets_agree_first(partnership: Any, coordinator: Any) -> None:
    client = signed_in(coordinator.user)
    response = client.post(url("settings", partnership), {"stop_rule": "agree", "decisions_need_member": "on"})
    assert response.status_code == 302
    settings = services.settings_for(partnership.pk)
    assert settings.stop_rule == "agree" and settings.decisions_need_member


def test_the_demo_loads_twice_without_doubling_and_has_a_shift(db: Any) -> None:
    from coproduce.demo_data import load_demo
    from coproduce.improvement import charts

    load_demo()
    counts = (TestOfChange.objects.count(), Observation.objects.count(), StoppedPractice.objects.count())
    load_demo()
    assert (TestOfChange.objects.count(), Observation.objects.count(), StoppedPractice.objects.count()) == counts
    stages = dict(TestOfChange.objects.values_list("title", "stage"))
    assert stages["Evening drop-in at the hub"] == "do"
    assert Decision.objects.get(test__title="One shared starting form").kind == "adopt"
    assert StoppedPractice.objects.filter(test__title="Text reminders the day before appointments").exists()
    attendance = Measure.objects.get(name="Parents at the hub per week")
    series = [(o.observed_on, float(o.value)) for o in attendance.observations.order_by("observed_on")]
    reading = charts.build(attendance, series).reading
    assert reading is not None
    assert any(s.rule == "shift" for s in reading.signals)


def test_the_home_page_shows_running_tests_and_decisions_waiting_for_a_member(
    partnership: Any, worker: Any, member: Any, coordinator: Any
) -> None:
    running = services.pdsa_create(actor=worker, fields=fields(title="Evening drop-in"))
    services.pdsa_stage_set(actor=worker, test=running, stage="do")
    services.settings_update(actor=coordinator, decisions_need_member=True, stop_rule="tell")
    waiting = services.pdsa_create(actor=worker, fields=fields(title="Shared form"))
    services.decision_record(
        actor=worker, test=waiting, kind="adopt", reasons="Works.", review_on=timezone.localdate() + timedelta(days=5)
    )
    home = reverse("partnerships:home", kwargs={"slug": partnership.slug})
    page = signed_in(member.user).get(home).content.decode()
    assert "Being tested now:" in page and "Evening drop-in" in page
    assert "Decisions waiting for a member to co-sign:" in page and "Shared form" in page
    page = signed_in(worker.user).get(home).content.decode()
    assert "Evening drop-in" in page and "Decisions waiting for a member" not in page


def test_the_register_and_the_test_page_keep_their_query_counts_as_they_grow(
    partnership: Any, worker: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(member.user)
    services.stopped_create(actor=member, what="First", why="Because.")
    register_url = url("register", partnership)
    client.get(register_url)
    with django_assert_max_num_queries(50) as before:
        client.get(register_url)
    for i in range(15):
        services.stopped_create(actor=member if i % 2 else worker, what=f"Practice {i}", why="Because.")
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(register_url).content.decode().count("ds_search-result__title") == 16

    test = services.pdsa_create(actor=worker, fields=fields(), people=[member])
    first = services.measure_create(
        actor=worker, test=test, name="M0", kind="outcome", unit="x", better="higher", source="s"
    )
    _shifted(worker, first)
    test_url = url("test", partnership, test_id=test.pk)
    client.get(test_url)
    with django_assert_max_num_queries(50) as one_measure:
        client.get(test_url)
    for i in range(1, 5):
        measure = services.measure_create(
            actor=worker, test=test, name=f"M{i}", kind="process", unit="x", better="lower", source="s"
        )
        _shifted(worker, measure)
    with django_assert_max_num_queries(len(one_measure.captured_queries)):
        assert client.get(test_url).content.decode().count('<svg class="cp-chart__svg"') == 5
