"""Every write for tests of change and the stop-doing register: keyword-only, the acting membership first,
permission checked, one transaction with the rows it changes locked, an audit event. Review reminders are
sent by the periodic job ``improvement.review_reminders`` (``review_reminders_send_due``). Bad input raises
``ServiceError`` naming the field, before anything is saved.

One module per thing (the settings, tests of change, measures and observations, members' checks, decisions,
the stop-doing register); what they share is in ``_common``. Callers import from here."""

from coproduce.improvement.services._common import settings_for
from coproduce.improvement.services.checks import check_record
from coproduce.improvement.services.configuration import settings_update
from coproduce.improvement.services.decisions import (
    REMINDER_TIME,
    decision_cosign,
    decision_record,
    review_reminder_send,
    review_reminders_due,
    review_reminders_send_due,
    stopped_reminder_send,
    stopped_reminders_due,
)
from coproduce.improvement.services.measures import (
    CSV_COLUMNS,
    CSV_MAX_BYTES,
    CSV_MAX_ROWS,
    CSV_OPTIONAL,
    MAX_VALUE,
    ObservationRows,
    measure_create,
    observation_delete,
    observation_record,
    observation_update,
    observations_import,
    parse_value,
    read_observations_csv,
    refuse_linked,
)
from coproduce.improvement.services.stopped import may_agree, stopped_agree, stopped_create
from coproduce.improvement.services.tests_of_change import (
    PLAN_FIELDS,
    TestFields,
    pdsa_create,
    pdsa_stage_set,
    pdsa_start_linked,
    pdsa_update,
    study_record,
)

__all__ = [
    "CSV_COLUMNS",
    "CSV_MAX_BYTES",
    "CSV_MAX_ROWS",
    "CSV_OPTIONAL",
    "MAX_VALUE",
    "PLAN_FIELDS",
    "REMINDER_TIME",
    "ObservationRows",
    "TestFields",
    "check_record",
    "decision_cosign",
    "decision_record",
    "may_agree",
    "measure_create",
    "observation_delete",
    "observation_record",
    "observation_update",
    "observations_import",
    "parse_value",
    "pdsa_create",
    "pdsa_stage_set",
    "pdsa_start_linked",
    "pdsa_update",
    "read_observations_csv",
    "refuse_linked",
    "review_reminder_send",
    "review_reminders_due",
    "review_reminders_send_due",
    "settings_for",
    "settings_update",
    "stopped_agree",
    "stopped_create",
    "stopped_reminder_send",
    "stopped_reminders_due",
    "study_record",
]
