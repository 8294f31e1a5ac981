from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "coproduce.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from coproduce.governance import audit_wording as governance_audit_wording
        from coproduce.partnerships.audit_wording import register_audit_wording

        register_audit_wording(sentences=governance_audit_wording.SENTENCES)

        from coproduce.governance.personal_data import register
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.settings_sections import SettingsSection, register_settings_section

        register_nav_item(NavItem("agreement", _("Partnership agreement"), "governance:agreement", order=78))
        register_settings_section(
            SettingsSection(
                "agreement",
                _("Partnership agreement"),
                _(
                    "The terms of reference, the steering group's seats, how each kind of decision is made, and "
                    "the register of interests."
                ),
                "governance:agreement",
                order=35,
            )
        )
        register()
