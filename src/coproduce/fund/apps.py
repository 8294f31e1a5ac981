"""The pooled fund: the ledger and budgeting rounds decided by the Method of Equal Shares."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "coproduce.fund"
    label = "fund"
    verbose_name = "Fund"

    def ready(self) -> None:
        from coproduce.fund import kept_counts

        kept_counts.register()  # the counts it keeps, for coproduce check-counts
        from coproduce.fund import commitments as fund_commitments
        from coproduce.partnerships.commitments import register_commitment_source

        register_commitment_source(fund_commitments.SOURCE)

        from coproduce.fund import audit_wording as fund_audit_wording
        from coproduce.partnerships.audit_wording import register_audit_wording

        register_audit_wording(sentences=fund_audit_wording.SENTENCES, namers=fund_audit_wording.NAMERS)

        from coproduce.notifications.api import DIGEST, NoticeKind, register_notice_kind

        register_notice_kind(
            NoticeKind("fund.proposal_reviewed", _("Staff reviewed a proposal you made"), delivery=DIGEST)
        )
        from coproduce.fund.services import ballot_confirm, ballots_pending_for
        from coproduce.partnerships.assisted import NOTICE_KIND, NOTICE_LABEL, AssistedKind, register_assisted_kind

        register_notice_kind(NoticeKind(NOTICE_KIND, NOTICE_LABEL))

        register_assisted_kind(
            AssistedKind(
                "fund.ballot", _("Votes in the fund"), pending=ballots_pending_for, confirm=ballot_confirm, order=30
            )
        )

        from coproduce.fund import retention

        retention.register()
        from coproduce.fund import home, rules  # noqa: F401  (registers the home section and the rules)
        from coproduce.fund.personal_data import EXPORT
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_personal_data

        register_personal_data(EXPORT)

        register_nav_item(NavItem("fund", _("Fund"), "fund:ledger", order=30))

        from coproduce.fund.departure import DEPARTURE
        from coproduce.partnerships.personal_data import register_departure

        register_departure(DEPARTURE)

        # --- open data: the fund's contributions and awards in the 360Giving standard
        from coproduce.fund import opendata
        from coproduce.partnerships.open_data import Distribution, OpenDataset, register_open_dataset

        register_open_dataset(
            OpenDataset(
                key="fund.grants",
                title=_("The pooled fund: contributions and awards"),
                description=_(
                    "What each partner organisation put into the pooled fund, and the projects the fund paid for, "
                    "in the 360Giving Data Standard. Payments to people are given only in monthly totals of at "
                    "least five payments; no one is named."
                ),
                order=10,
                distributions=(Distribution(_("360Giving JSON"), "fund:open-grants", "application/json"),),
                last_updated=opendata.last_updated,
                keywords=("grants", "participatory budgeting", "360Giving", "pooled fund"),
                conforms_to="https://standard.threesixtygiving.org/en/latest/",
            )
        )

        # --- report figures
        from coproduce.fund.reporting import SECTION as REPORT_SECTION
        from coproduce.partnerships.reporting import register_report_section

        register_report_section(REPORT_SECTION)

        # --- the public API
        from coproduce.api.framework import register_router
        from coproduce.fund.api_v1 import r as api_router

        register_router("fund", api_router)
