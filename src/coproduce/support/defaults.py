"""The partnership's starting outcome wheel, need tags and lawful bases, written for Coproduce.

The areas and the five stages of each ladder are our own wording (they are not taken from any published
outcome tool). A partnership can change them: they are rows, not code."""

from __future__ import annotations

from coproduce.partnerships.models import Partnership
from coproduce.support.models import Basis, LawfulBasis, NeedTag, OutcomeArea, Purpose

# The same five stages for every area by default: 1–2, 3–4, 5–6, 7–8, 9–10.
STAGES = [
    "Not on my radar yet",
    "Thinking about it",
    "Giving it a go",
    "Getting there",
    "Sorted for now",
]

AREAS = [
    ("confidence", "Confidence", "How sure do I feel about taking the next step?"),
    ("childcare", "Childcare", "Do I have childcare I trust, at the times I need it?"),
    ("money", "Money", "How well is money working for me and my family?"),
    ("skills", "Skills and learning", "Do I have the skills and learning for the work I want?"),
    ("health", "Health and wellbeing", "How are my health and wellbeing helping or holding me back?"),
    ("job-search", "Job search", "How well am I finding and applying for jobs that fit?"),
    ("work-experience", "Work experience", "Have I had recent experience of work, paid or unpaid?"),
    ("travel", "Travel", "Can I get to work, training and childcare in good time?"),
]

NEEDS = [
    ("childcare", "Childcare"),
    ("money", "Money and benefits"),
    ("skills", "Skills and courses"),
    ("health", "Health and wellbeing"),
    ("job-search", "Finding work"),
    ("confidence", "Confidence"),
    ("travel", "Travel"),
    ("housing", "Housing"),
]

BASES = {
    Purpose.PLAN: Basis.CONSENT,
    Purpose.SHARING: Basis.CONSENT,
    Purpose.REFERRAL: Basis.CONSENT,
    Purpose.REPORTING: Basis.LEGITIMATE_INTERESTS,
}


def ensure_defaults(partnership: Partnership) -> None:
    """Give the partnership the default wheel, need tags and lawful bases, unless it has its own already."""
    if not OutcomeArea.objects.filter(partnership=partnership).exists():
        OutcomeArea.objects.bulk_create(
            [
                OutcomeArea(partnership=partnership, key=key, name=name, question=question, stages=STAGES, order=i)
                for i, (key, name, question) in enumerate(AREAS)
            ],
            ignore_conflicts=True,
        )
    if not NeedTag.objects.filter(partnership=partnership).exists():
        NeedTag.objects.bulk_create(
            [NeedTag(partnership=partnership, key=key, name=name) for key, name in NEEDS], ignore_conflicts=True
        )
    for purpose, basis in BASES.items():
        LawfulBasis.objects.get_or_create(partnership=partnership, purpose=purpose, defaults={"basis": basis})
