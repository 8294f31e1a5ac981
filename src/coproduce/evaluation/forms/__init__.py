"""The evaluation forms, one module per part."""

# --- results and moderation (the coordinators' questions, the text a service sees)
from coproduce.evaluation.forms.manage import QuestionForm, RemarkShowForm

__all__ = ["QuestionForm", "RemarkShowForm"]
