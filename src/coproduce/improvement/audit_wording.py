"""What improvement's audit events say in the audit log (``partnerships.audit_wording``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

SENTENCES = {
    "improvement.test_created": gettext_lazy("%(who)s planned the test of change “%(what)s”."),
    "improvement.test_changed": gettext_lazy("%(who)s changed the test of change “%(what)s”."),
    "improvement.test_stage_set": gettext_lazy("%(who)s moved the test of change “%(what)s” to its next stage."),
    "improvement.study_recorded": gettext_lazy("%(who)s wrote down what “%(what)s” showed."),
    "improvement.decision_recorded": gettext_lazy("%(who)s decided what happens with “%(what)s”."),
    "improvement.decision_cosigned": gettext_lazy("%(who)s agreed the decision on “%(what)s”."),
    "improvement.measure_created": gettext_lazy("%(who)s added the measure “%(what)s”."),
    "improvement.observation_recorded": gettext_lazy("%(who)s added a figure to “%(what)s”."),
    "improvement.observation_changed": gettext_lazy("%(who)s changed a figure of “%(what)s”."),
    "improvement.observation_deleted": gettext_lazy("%(who)s took a figure out of “%(what)s”."),
    "improvement.observations_imported": gettext_lazy("%(who)s imported figures for “%(what)s”."),
    "improvement.practice_entered": gettext_lazy("%(who)s suggested stopping “%(what)s”."),
    "improvement.practice_agreed": gettext_lazy("%(who)s agreed to stop “%(what)s”."),
    "improvement.practice_stopped": gettext_lazy("%(who)s recorded that “%(what)s” has stopped."),
    "improvement.settings_changed": gettext_lazy("%(who)s changed the settings for improving services."),
}
