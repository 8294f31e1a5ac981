"""django-tasks-db's backend, with the id of the request that queued a task kept beside its arguments.

The row's ``args_kwargs`` is ``{"args": [...], "kwargs": {...}}``; a task queued while a request is answered
(or while another task runs) also gets ``"request_id"`` there, which django-tasks-db ignores and
``coproduce worker`` sets in its log context while the task runs (``core.background.Worker.run_task``).
Queued with no request about (a command, the scheduler), the row is exactly django-tasks-db's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django_tasks_db.backend import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.compat import normalize_json

from coproduce.core.logs import current_request_id

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult

REQUEST_ID_KEY = "request_id"


def request_id_of(row: DBTaskResult) -> str:
    """The id of the request that queued the task, or ""."""
    value = row.args_kwargs.get(REQUEST_ID_KEY, "") if isinstance(row.args_kwargs, dict) else ""
    return value if isinstance(value, str) else ""


class DatabaseBackend(LibraryDatabaseBackend):
    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> DBTaskResult:
        request_id = current_request_id()
        if not request_id:
            return super()._task_to_db_task(task, args, kwargs)
        # Imported here, as django-tasks-db does: the backend may be made before the apps are loaded.
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.create(
            id=self._get_id(),
            args_kwargs={**normalize_json({"args": args, "kwargs": kwargs}), REQUEST_ID_KEY: request_id},
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
