from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "coproduce.voice"
    label = "voice"
    verbose_name = "Voice"

    def ready(self) -> None:
        from coproduce.voice import kept_counts

        kept_counts.register()  # the counts it keeps, for coproduce check-counts
        from coproduce.partnerships.commitments import register_commitment_source
        from coproduce.voice import commitments as voice_commitments

        register_commitment_source(voice_commitments.SOURCE)

        from coproduce.partnerships.audit_wording import register_audit_wording
        from coproduce.voice import audit_wording as voice_audit_wording

        register_audit_wording(sentences=voice_audit_wording.SENTENCES)

        from coproduce.notifications.api import NoticeKind, register_notice_kind
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_departure, register_personal_data
        from coproduce.voice import home, retention  # noqa: F401  (home registers the home-page section)
        from coproduce.voice.departure import DEPARTURE
        from coproduce.voice.personal_data import EXPORT

        register_nav_item(NavItem("voice", _("Ideas"), "voice:ideas", order=10))
        register_personal_data(EXPORT)
        register_departure(DEPARTURE)
        retention.register()
        register_notice_kind(NoticeKind("voice.response", _("The partnership responded to an idea you follow")))
        register_notice_kind(NoticeKind("voice.comment", _("A new comment on an idea you follow")))
        register_notice_kind(NoticeKind("voice.moderation", _("A coordinator hid or restored what you wrote")))

        # --- assisted participation: ideas recorded with a member, on her page to confirm or change
        from coproduce.partnerships import assisted
        from coproduce.voice import selectors as voice_selectors
        from coproduce.voice import services as voice_services

        register_notice_kind(NoticeKind(assisted.NOTICE_KIND, assisted.NOTICE_LABEL))
        assisted.register_assisted_kind(
            assisted.AssistedKind(
                "voice.idea",
                _("Ideas"),
                pending=voice_selectors.assisted_ideas_pending,
                confirm=voice_services.idea_assisted_confirm,
                order=10,
            )
        )

        # --- open data
        from coproduce.partnerships.open_data import register_open_dataset
        from coproduce.voice import open_data

        register_open_dataset(open_data.DATASET)

        # --- report figures
        from coproduce.partnerships.reporting import register_report_section
        from coproduce.voice.reporting import SECTION as REPORT_SECTION

        register_report_section(REPORT_SECTION)

        # --- the public API
        from coproduce.api.framework import register_router
        from coproduce.voice.api_v1 import r as api_router

        register_router("voice", api_router)
