"""Learning together: events parents can come to (registration with what would help them come, waiting
lists, calendars, reminders, attendance, paid time and expenses) and the shared learning log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class LearningConfig(AppConfig):
    name = "coproduce.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        self._ready_calendars_and_pay()

    def _ready_calendars_and_pay(self) -> None:
        from coproduce.learning import pay_audit_wording, pay_rules  # noqa: F401  (registers the rules)
        from coproduce.learning.pay_data import DEPARTURE, EXPORT
        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.attention import AttentionItem, register_attention_item
        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.partnerships.personal_data import register_departure, register_personal_data

        register_audit_wording(sentences=pay_audit_wording.SENTENCES)
        from coproduce.partnerships.settings_sections import SettingsSection, register_settings_section

        register_settings_section(
            SettingsSection(
                "learning.pay",
                _("Paid time and expenses"),
                _("What parents are paid for co-design time, and which of their costs are covered."),
                "learning:pay-settings",
                order=70,
            )
        )
        register_notice_kind(
            NoticeKind("learning.claim_decided", _("Your claim for paid time or expenses was approved or refused"))
        )
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)

        def waiting(membership: object) -> int:
            from coproduce.learning.pay_selectors import waiting_claims_count

            return waiting_claims_count(membership)  # type: ignore[arg-type]

        register_attention_item(
            AttentionItem(
                "learning.claims",
                count=waiting,
                text=lambda n: (
                    ngettext(
                        "%(n)d claim for paid time or expenses to approve",
                        "%(n)d claims for paid time or expenses to approve",
                        n,
                    )
                    % {"n": n}
                ),
                url_name="learning:claims",
                order=60,
            )
        )
