"""Decisions made together: proposals decided by consent, yes/no, scores, dots, a time poll or ranked choice
(one winner, or several seats by STV), with quorum and an optional double majority of members and staff,
amendments kept as versions, and outcomes with an owner, a due date and a review date."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "coproduce.decisions"
    label = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from coproduce.decisions import home, rules  # noqa: F401  (home registers the home-page section)
        from coproduce.partnerships.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("decisions", _("Decisions"), "decisions:list", order=42))
