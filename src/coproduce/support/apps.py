from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "coproduce.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        from coproduce.support import retention

        retention.register()
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_personal_data
        from coproduce.support import home, rules  # noqa: F401  (registers the home section and the rules)
        from coproduce.support.selectors.personal_data import EXPORT

        register_personal_data(EXPORT)

        register_nav_item(NavItem("support", _nav_label, "support:home", order=20))

        from coproduce.partnerships.personal_data import register_departure
        from coproduce.support.departure import DEPARTURE

        register_departure(DEPARTURE)

        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.support import audit_wording

        register_audit_wording(sentences=audit_wording.SENTENCES, namers=audit_wording.NAMERS)

        from coproduce.notifications.api import DIGEST, NoticeKind, register_notice_kind

        for kind in (
            NoticeKind("support.checkin", _("A check-in to look over and agree"), delivery=DIGEST),
            NoticeKind("support.plan_offer", _("A support plan offered to you"), delivery=DIGEST),
            NoticeKind("support.team", _("Someone proposed for your team"), delivery=DIGEST),
            NoticeKind(
                "support.referral_new", _("A new referral to your organisation"), delivery=DIGEST, staff_only=True
            ),
            NoticeKind("support.referral_update", _("News of a referral you made or that is for you")),
            NoticeKind("support.keyworker_left", _("A keyworker has left")),
            NoticeKind("support.notice", _("Other news about support plans")),
            NoticeKind("support.barrier_to_agree", _("Money asked for you, to look at and agree")),
            NoticeKind("support.barrier_waiting", _("A request for money waiting for your approval"), staff_only=True),
            NoticeKind("support.barrier_decided", _("A request for money approved, refused or paid")),
        ):
            register_notice_kind(kind)

        # --- evaluation: the services parents used (partnerships.service_use)
        from coproduce.partnerships.service_use import register_service_use_source
        from coproduce.support.service_use import SOURCE

        register_service_use_source(SOURCE)

        # --- open data: the service directory as an Open Referral UK API
        from coproduce.partnerships.open_data import Distribution, OpenDataset, register_open_dataset
        from coproduce.support.selectors import open_directory_changed_at

        register_open_dataset(
            OpenDataset(
                key="support.directory",
                title=_("The directory of services"),
                description=_(
                    "The services the partner organisations offer families: what each is, who it is for, how to "
                    "get it, where and when, as an Open Referral UK API with pages and search, no key needed."
                ),
                order=20,
                distributions=(
                    Distribution(_("Open Referral UK API"), "support:oruk-services", "application/json", is_api=True),
                ),
                last_updated=open_directory_changed_at,
                keywords=("services", "directory", "Open Referral UK", "HSDS"),
                conforms_to="https://openreferraluk.org/",
            )
        )

        # --- report figures
        from coproduce.partnerships.reporting import register_report_section
        from coproduce.support.reporting import SECTION as REPORT_SECTION

        register_report_section(REPORT_SECTION)


def _nav_label(membership: Any) -> Any:
    # A parent finds "My plan"; staff (and a parent who is also staff) find their caseload under "Support".
    if membership.is_member and not membership.is_staff_role:
        return _("My plan")
    return _("Support")
