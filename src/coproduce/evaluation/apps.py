"""Evaluation by the people served: short, safe feedback from parents on every service they used, results
that lead to change (the parents' panel, the services' responses, tests of change), paper and assisted
answers, and the partnership health check."""

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "coproduce.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        # --- the whole app: audit sentences, the home page and navigation, My data, leaving and erasure
        from coproduce.evaluation import rules  # noqa: F401  (registers them)

        # --- answers: offers, answering, withdrawing, the coordinators' questions, moderation

        # --- results: the measure improvement can follow, the export

        # --- paper and assisted answers

        # --- the parents' panel and the services' responses (and the commitments board)

        # --- the partnership health check
