"""Opinion maps: conversations that show where members and staff agree."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "coproduce.conversations"
    label = "conversations"
    verbose_name = "Conversations"

    def ready(self) -> None:
        from coproduce.conversations import kept_counts

        kept_counts.register()  # the counts it keeps, for coproduce check-counts
        from coproduce.conversations import audit_wording as conversations_audit_wording
        from coproduce.partnerships.audit_wording import register_audit_wording

        register_audit_wording(sentences=conversations_audit_wording.SENTENCES)

        from django.utils.translation import gettext_lazy

        from coproduce.notifications.api import NoticeKind, register_notice_kind

        register_notice_kind(
            NoticeKind("conversations.statement_taken_out", gettext_lazy("A moderator took out a statement you wrote"))
        )

        # --- assisted participation: votes recorded with a member, on her page to confirm or change
        from coproduce.conversations import selectors as conversation_selectors
        from coproduce.conversations import services as conversation_services
        from coproduce.partnerships import assisted

        register_notice_kind(NoticeKind(assisted.NOTICE_KIND, assisted.NOTICE_LABEL))
        assisted.register_assisted_kind(
            assisted.AssistedKind(
                "conversations.votes",
                _("Conversation votes"),
                pending=conversation_selectors.assisted_votes_pending,
                confirm=conversation_services.votes_assisted_confirm,
                order=50,
            )
        )

        from coproduce.conversations import retention

        retention.register()
        from coproduce.conversations import home, rules  # noqa: F401  (registers the rules and the home section)
        from coproduce.conversations.personal_data import EXPORT
        from coproduce.partnerships.navigation import NavItem, register_nav_item
        from coproduce.partnerships.personal_data import register_personal_data

        register_personal_data(EXPORT)

        register_nav_item(NavItem("conversations", _("Conversations"), "conversations:list", order=50))

        from coproduce.conversations.departure import DEPARTURE
        from coproduce.partnerships.personal_data import register_departure

        register_departure(DEPARTURE)

        # --- report figures
        from coproduce.conversations.reporting import SECTION as REPORT_SECTION
        from coproduce.partnerships.reporting import register_report_section

        register_report_section(REPORT_SECTION)

        # --- the public API
        from coproduce.api.framework import register_router
        from coproduce.conversations.api_v1 import r as api_router

        register_router("conversations", api_router)
