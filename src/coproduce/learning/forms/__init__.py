"""Forms for learning together, explicit fields, one module per thing: ``events`` (events, series,
registration with what would help a person come, the attendance register, the learning-hours report),
``pay`` (rates and claims) and ``log`` (the learning log). Callers import from here."""

from coproduce.learning.forms.events import (
    AGES_RE,
    MAX_SERIES,
    AttendanceForm,
    CancelEventForm,
    EventForm,
    HoursForm,
    RegistrationForm,
    SeriesForm,
    event_initial,
    local_moment,
    needs_initial,
)
from coproduce.learning.forms.log import (
    FILTER_FIELD,
    MARKDOWN_HELP,
    ConsentForm,
    LogEntryForm,
    LogSearchForm,
    SearchInput,
)
from coproduce.learning.forms.pay import (
    ClaimForm,
    PaySettingsForm,
    PenceField,
    RefuseClaimForm,
)

__all__ = [
    "AGES_RE",
    "FILTER_FIELD",
    "MARKDOWN_HELP",
    "MAX_SERIES",
    "AttendanceForm",
    "CancelEventForm",
    "ClaimForm",
    "ConsentForm",
    "EventForm",
    "HoursForm",
    "LogEntryForm",
    "LogSearchForm",
    "PaySettingsForm",
    "PenceField",
    "RefuseClaimForm",
    "RegistrationForm",
    "SearchInput",
    "SeriesForm",
    "event_initial",
    "local_moment",
    "needs_initial",
]
