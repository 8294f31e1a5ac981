from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataProtectionConfig(AppConfig):
    name = "coproduce.dataprotection"
    label = "dataprotection"
    verbose_name = "Data protection"

    def ready(self) -> None:
        from coproduce.dataprotection import audit_wording as dataprotection_audit_wording
        from coproduce.partnerships.audit_wording import register_audit_wording

        register_audit_wording(sentences=dataprotection_audit_wording.SENTENCES)

        from datetime import time, timedelta

        from coproduce.core.scheduler import PeriodicJob, register_periodic

        register_periodic(
            PeriodicJob(
                "dataprotection.retention",
                every=timedelta(days=1),
                at=time(3, 0),
                task="coproduce.dataprotection.tasks.apply_retention",
                description="Deletes or anonymises, in every partnership, what has passed its retention period.",
            )
        )
        from coproduce.dataprotection import rules  # noqa: F401  (registers the rules)
        from coproduce.partnerships.settings_sections import SettingsSection, register_settings_section

        # Coordinators reach these from the partnership's settings page; everyone reads the agreement and the
        # privacy notice (linked from every page's footer).
        register_settings_section(
            SettingsSection(
                "data-protection",
                _("Data protection"),
                _("Who the data controllers are and how people reach the data protection contact."),
                "dataprotection:settings",
                order=40,
            )
        )
        register_settings_section(
            SettingsSection(
                "retention",
                _("How long data is kept"),
                _("The retention period for each kind of data, and what each retention run removed."),
                "dataprotection:retention",
                order=45,
            )
        )
        register_settings_section(
            SettingsSection(
                "data-sharing",
                _("Data sharing agreement"),
                _("Why the partners share personal data, what they share, on which lawful basis, and until when."),
                "dataprotection:agreement",
                order=50,
            )
        )
