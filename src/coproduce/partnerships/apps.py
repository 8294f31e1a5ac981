from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "coproduce.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from coproduce.partnerships import retention

        retention.register()
        from coproduce.partnerships.my_data import register_foundation_exports
        from coproduce.partnerships.navigation import NavItem, register_nav_item

        register_foundation_exports()

        from datetime import timedelta

        from coproduce.core.scheduler import PeriodicJob, register_periodic

        register_periodic(
            PeriodicJob(
                "partnerships.expired_my_data",
                every=timedelta(hours=1),
                task="coproduce.partnerships.tasks.purge_expired_my_data",
                description='Deletes the prepared "My data" downloads past their day.',
            )
        )

        from coproduce.partnerships.home import register_foundation_sections

        register_foundation_sections()
        register_nav_item(NavItem("home", _("Home"), "partnerships:home", order=0))
        register_nav_item(NavItem("people", _("People"), "partnerships:people", order=80))
        register_nav_item(NavItem("organisations", _("Partner organisations"), "partnerships:organisations", order=85))
        register_nav_item(
            NavItem("invitations", _("Invitations"), "partnerships:invitations", order=90, visible=_invites)
        )
        register_nav_item(
            NavItem("assisted", _("Recorded with you"), "partnerships:assisted", order=88, visible=_member)
        )
        register_nav_item(NavItem("audit", _("Audit log"), "partnerships:audit", order=95, visible=_coordinator))
        register_nav_item(NavItem("settings", _("Settings"), "partnerships:settings", order=97, visible=_coordinator))

        from coproduce.partnerships.settings_sections import SettingsSection, register_settings_section

        register_settings_section(
            SettingsSection(
                "details",
                _("Name, description and contact"),
                _("What the partnership is called, what it does, and how people reach it."),
                "partnerships:settings-details",
                order=10,
            )
        )
        register_settings_section(
            SettingsSection(
                "organisations",
                _("Partner organisations"),
                _("Add, change or retire the organisations in the partnership, with their registered numbers."),
                "partnerships:organisations",
                order=20,
            )
        )
        register_settings_section(
            SettingsSection(
                "invitations",
                _("Invitations"),
                _("Invite people to join, and see who has not yet accepted."),
                "partnerships:invitations",
                order=30,
            )
        )
        register_settings_section(
            SettingsSection(
                "texts",
                _("Text messages"),
                _("Turn text messages for the partnership on or off: invitations and urgent notices by text."),
                "partnerships:settings-texts",
                order=40,
            )
        )

        from coproduce.core.sms import register_blocker
        from coproduce.partnerships.services import texts_blocked

        register_blocker(texts_blocked)


def _coordinator(membership: object) -> bool:
    return bool(getattr(membership, "is_coordinator", False))


def _member(membership: object) -> bool:
    return bool(getattr(membership, "is_member", False))


def _invites(membership: object) -> bool:
    """Coordinators, and partner leads (who invite staff of their own organisation)."""
    return _coordinator(membership) or bool(getattr(membership, "is_partner_lead", False))
