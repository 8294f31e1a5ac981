"""What operators ask a web server (core.operations) and what its logs say (core.logs): /healthz, /readyz,
/metrics, the request id carried from a request into the task it queued, JSON log lines, no personal data."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from coproduce.core import operations
from coproduce.core.logs import ContextFilter, JsonFormatter, log_context
from tests.accounts.test_sign_in import sign_in
from tests.core.workers import worker

OUR_TASKS = {"default": {"BACKEND": "coproduce.core.task_backend.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def fresh_migration_check() -> Iterator[None]:
    operations.migration_check.forget()
    yield
    operations.migration_check.forget()


class CapturedLines:
    """The lines the root logger's handler would write, formatted by the formatter given."""

    def __init__(self, formatter: logging.Formatter) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.addFilter(ContextFilter())
        self.handler.setFormatter(formatter)
        self.handler.setLevel(logging.DEBUG)

    def lines(self) -> list[str]:
        return [line for line in self.stream.getvalue().splitlines() if line]

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines()]


@pytest.fixture
def json_lines() -> Iterator[CapturedLines]:
    captured = CapturedLines(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(captured.handler)
    root.setLevel(logging.DEBUG)
    yield captured
    root.removeHandler(captured.handler)
    root.setLevel(level)


class TestHealth:
    def test_healthz_says_ok_without_a_query_a_session_or_a_host_check(self, db: None, settings: Any) -> None:
        settings.ALLOWED_HOSTS = ["coproduce.example"]
        settings.SECURE_SSL_REDIRECT = True
        with CaptureQueriesContext(connection) as queries:
            response = Client().get("/healthz", HTTP_HOST="10.0.0.5:8000")
        assert response.status_code == 200
        assert response.content == b"ok\n"
        assert response["Content-Type"].startswith("text/plain")
        assert len(queries) == 0
        assert "sessionid" not in response.cookies
        # Elsewhere the same request is refused (host) or redirected (HTTPS): the health check is before both.
        assert Client().get("/privacy/", HTTP_HOST="10.0.0.5:8000").status_code == 400

    def test_health_endpoints_take_no_post(self, db: None) -> None:
        assert Client().post("/healthz").status_code == 405
        assert Client().post("/readyz").status_code == 405


class TestReady:
    def test_ready_when_the_database_answers_and_migrations_are_applied(self, db: None) -> None:
        response = Client().get("/readyz")
        assert response.status_code == 200
        assert response.json() == {"status": "ready"}

    def test_not_ready_when_the_database_does_not_answer(self, db: None) -> None:
        with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("connection refused")):
            response = Client().get("/readyz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "reason": "the database does not answer"}
        assert Client().get("/readyz").status_code == 200  # and ready again once it answers

    def test_not_ready_with_unapplied_migrations(self, db: None) -> None:
        with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[1, 2]):
            response = Client().get("/readyz")
        assert response.status_code == 503
        assert response.json()["reason"] == "migrations not applied"
        assert response.json()["unapplied"] == 2

    def test_the_migration_check_is_remembered_for_its_seconds(self, db: None, settings: Any) -> None:
        settings.COPRODUCE_READY_MIGRATIONS_EVERY = 60
        plan = mock.MagicMock(return_value=[])
        with mock.patch("django.db.migrations.executor.MigrationExecutor.migration_plan", plan):
            for _ in range(3):
                assert Client().get("/readyz").status_code == 200
            assert plan.call_count == 1
            settings.COPRODUCE_READY_MIGRATIONS_EVERY = 0
            Client().get("/readyz")
            assert plan.call_count == 2


class TestRequestId:
    def test_a_well_formed_id_is_kept_and_echoed(self, db: None) -> None:
        response = Client().get("/privacy/", HTTP_X_REQUEST_ID="a1b2c3d4e5f60718")
        assert response["X-Request-ID"] == "a1b2c3d4e5f60718"

    @pytest.mark.parametrize("sent", ["", "short", "has space in it", "new\nline-injected-here", "x" * 129])
    def test_anything_else_gets_a_new_id(self, db: None, sent: str) -> None:
        response = Client().get("/privacy/", HTTP_X_REQUEST_ID=sent)
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
        assert response["X-Request-ID"] != sent

    def test_each_request_gets_its_own(self, db: None) -> None:
        assert Client().get("/privacy/")["X-Request-ID"] != Client().get("/privacy/")["X-Request-ID"]

    def test_the_id_goes_with_the_task_the_request_queued_into_the_workers_log(
        self, member: Any, settings: Any, json_lines: CapturedLines
    ) -> None:
        settings.TASKS = OUR_TASKS
        request_id = "req-0123456789abcdef"
        response = Client().post(
            reverse("account_reset_password"), {"email": member.user.email}, HTTP_X_REQUEST_ID=request_id
        )
        assert response.status_code == 302
        task = DBTaskResult.objects.get()
        assert task.args_kwargs["request_id"] == request_id
        assert task.task_result.args == task.args_kwargs["args"]  # the library reads its arguments as before

        assert request_id_var_is_empty()
        assert worker().run_next()
        during_task = [record for record in json_lines.records() if record["task_id"] == str(task.pk)]
        assert during_task, json_lines.lines()
        assert {record["request_id"] for record in during_task} == {request_id}
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    def test_a_task_queued_outside_a_request_is_stored_as_the_library_stores_it(self, db: None, settings: Any) -> None:
        from coproduce.core import outbox

        settings.TASKS = OUR_TASKS
        message = outbox.queue_email(kind="test", to=["sam@example.org"], subject="Hello", body="Hello")
        assert DBTaskResult.objects.get().args_kwargs == {"args": [message.pk], "kwargs": {}}


def request_id_var_is_empty() -> bool:
    from coproduce.core.logs import current_request_id

    return current_request_id() == ""


class TestLogLines:
    def test_one_json_object_per_line_with_the_agreed_fields(self, json_lines: CapturedLines) -> None:
        logger = logging.getLogger("coproduce.test")
        with log_context(request_id="req-abcdefgh", task_id="task-1"):
            logger.warning("Something happened %d times\nover two lines", 3)
        logger.info("Outside any request")
        lines = json_lines.lines()
        assert len(lines) == 2  # the newline in the message stays inside its JSON string
        first, second = (json.loads(line) for line in lines)
        assert set(first) >= {"time", "level", "logger", "message", "request_id", "task_id"}
        assert first["level"] == "WARNING"
        assert first["logger"] == "coproduce.test"
        assert first["message"] == "Something happened 3 times\nover two lines"
        assert (first["request_id"], first["task_id"]) == ("req-abcdefgh", "task-1")
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", first["time"])
        assert (second["request_id"], second["task_id"]) == ("", "")

    def test_a_traceback_is_kept_in_the_line(self, json_lines: CapturedLines) -> None:
        try:
            raise ValueError("broken")
        except ValueError:
            logging.getLogger("coproduce.test").exception("It failed")
        (record,) = json_lines.records()
        assert "ValueError: broken" in record["exc_info"]

    def test_email_addresses_are_taken_out_of_messages(self, json_lines: CapturedLines) -> None:
        logging.getLogger("coproduce.test").warning("No account for %s", "aisha.khan@example.org")
        (record,) = json_lines.records()
        assert "aisha.khan@example.org" not in record["message"]
        assert record["message"] == "No account for [email]"

    def test_a_message_whose_arguments_do_not_fit_is_left_to_logging_to_report(self) -> None:
        record = logging.LogRecord("coproduce.test", logging.WARNING, __file__, 1, "Two %s %s", ("only one",), None)
        assert ContextFilter().filter(record) is True  # no exception from the filter: the handler reports it
        assert (record.msg, record.args) == ("Two %s %s", ("only one",))

    def test_a_sign_in_attempt_logs_no_email(self, member: Any, json_lines: CapturedLines) -> None:
        client = Client()
        for attempt in range(10):  # the tenth locks the email out: axes and Django log warnings
            sign_in(client, member.user.email, f"wrong password {attempt}")
        sign_in(Client(), "someone.unknown@example.org", "wrong password")
        written = json_lines.stream.getvalue()
        assert json_lines.lines(), "the attempts logged nothing: the test would prove nothing"
        assert member.user.email not in written
        assert "someone.unknown@example.org" not in written
        assert "wrong password" not in written

    def test_json_in_production_and_text_in_the_demo_unless_chosen(self, monkeypatch: Any) -> None:
        from django.core.exceptions import ImproperlyConfigured

        from coproduce.settings import log_format

        monkeypatch.delenv("COPRODUCE_LOG_FORMAT", raising=False)
        assert (log_format(demo=False), log_format(demo=True)) == ("json", "text")
        monkeypatch.setenv("COPRODUCE_LOG_FORMAT", "text")
        assert log_format(demo=False) == "text"
        monkeypatch.setenv("COPRODUCE_LOG_FORMAT", "xml")
        with pytest.raises(ImproperlyConfigured):
            log_format(demo=False)

    def test_the_demo_writes_text_lines_with_both_ids(self, settings: Any) -> None:
        assert settings.COPRODUCE_LOG_FORMAT == "text"  # the tests run the demo's settings
        config = settings.LOGGING["formatters"]["coproduce"]
        formatter = logging.Formatter(config["format"])
        record = logging.LogRecord("coproduce.test", logging.INFO, __file__, 1, "Hello", None, None)
        with log_context(request_id="req-abcdefgh", task_id="task-1"):
            ContextFilter().filter(record)
        assert "request=req-abcdefgh task=task-1 Hello" in formatter.format(record)


TOKEN = "metrics-token-for-the-tests"


def scrape(**headers: Any) -> Any:
    return Client().get("/metrics", **headers)


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        found = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)", line)
        if not found or found.group(1) != name:
            continue
        given = dict(re.findall(r'(\w+)="([^"]*)"', found.group(2) or ""))
        if all(given.get(key) == value for key, value in labels.items()):
            return float(found.group(3))
    return 0.0


class TestMetrics:
    def test_off_by_default(self, db: None) -> None:
        assert scrape().status_code == 404
        assert scrape(HTTP_AUTHORIZATION="Bearer anything").status_code == 404

    def test_with_a_token_only_the_token_opens_it(self, db: None, settings: Any) -> None:
        settings.COPRODUCE_METRICS_TOKEN = TOKEN
        assert scrape().status_code == 403
        assert scrape(HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
        assert scrape(HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403
        response = scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain; version=")

    def test_with_allowed_addresses_only_those_peers(self, db: None, settings: Any) -> None:
        settings.COPRODUCE_METRICS_ALLOW = ["10.0.5.0/24", "::1"]
        assert scrape(REMOTE_ADDR="10.0.5.17").status_code == 200
        assert scrape(REMOTE_ADDR="::1").status_code == 200
        assert scrape(REMOTE_ADDR="10.0.6.1").status_code == 403
        # A forwarded address is not the peer: it cannot open the door.
        assert scrape(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.0.5.17").status_code == 403

    def test_requests_are_counted_and_timed_by_route_and_status(self, db: None, settings: Any) -> None:
        settings.COPRODUCE_METRICS_TOKEN = TOKEN
        auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
        before = scrape(**auth).content.decode()
        client = Client()  # made after the setting: its middleware chain counts
        for _ in range(3):
            assert client.get("/privacy/").status_code == 200
        assert client.get("/no-such-page/").status_code == 404
        after = scrape(**auth).content.decode()
        ok = {"method": "GET", "route": "core:privacy", "status": "200"}
        assert sample(after, "coproduce_http_requests_total", **ok) - sample(
            before, "coproduce_http_requests_total", **ok
        ) == pytest.approx(3)
        missing = {"method": "GET", "route": "unmatched", "status": "404"}
        assert sample(after, "coproduce_http_requests_total", **missing) - sample(
            before, "coproduce_http_requests_total", **missing
        ) == pytest.approx(1)
        timed = {"method": "GET", "route": "core:privacy"}
        assert sample(after, "coproduce_http_request_duration_seconds_count", **timed) - sample(
            before, "coproduce_http_request_duration_seconds_count", **timed
        ) == pytest.approx(3)
        assert sample(after, "coproduce_http_request_duration_seconds_bucket", le="+Inf", **timed) >= 3
        assert "/privacy/" not in after  # routes are names, never addresses

    def test_the_task_queue_is_read_when_scraped(self, db: None, settings: Any) -> None:
        from datetime import timedelta

        from django.utils import timezone

        from coproduce.core import outbox

        settings.COPRODUCE_METRICS_TOKEN = TOKEN
        settings.TASKS = OUR_TASKS
        auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
        empty = scrape(**auth).content.decode()
        assert sample(empty, "coproduce_task_queue_length") == 0
        assert sample(empty, "coproduce_task_queue_oldest_age_seconds") == 0
        for n in range(3):
            outbox.queue_email(kind="test", to=[f"person{n}@example.org"], subject="Hello", body="Hello")
        DBTaskResult.objects.filter(pk=DBTaskResult.objects.order_by("enqueued_at")[0].pk).update(
            enqueued_at=timezone.now() - timedelta(minutes=5)
        )
        later = DBTaskResult.objects.order_by("enqueued_at")[2]
        DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now() + timedelta(minutes=1))
        text = scrape(**auth).content.decode()
        assert sample(text, "coproduce_task_queue_length") == 2
        assert sample(text, "coproduce_task_retries_waiting") == 1
        assert 299 <= sample(text, "coproduce_task_queue_oldest_age_seconds") < 360

    def test_not_counted_when_off(self, db: None) -> None:
        with mock.patch.object(operations, "request_metrics") as metrics:
            Client().get("/privacy/")
        metrics.assert_not_called()
