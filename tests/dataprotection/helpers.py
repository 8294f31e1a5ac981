from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from coproduce.dataprotection import services
from coproduce.dataprotection.models import SharingAgreement


def agreement_fields(**overrides: Any) -> dict[str, Any]:
    return {
        "purposes": "Joined-up employability support for single parents.",
        "data_items": ["account", "plan"],
        "data_items_other": "",
        "lawful_bases": ["e"],
        "lawful_basis_explanation": "",
        "special_category": False,
        "special_condition": "",
        "schedule_1_condition": "",
        "security": "Two-factor sign-in for staff.",
        "rights_contact": "Write to the data protection team.",
        "review_date": timezone.localdate() + timedelta(days=365),
        **overrides,
    }


def record_agreement(coordinator: Any, **overrides: Any) -> SharingAgreement:
    return services.agreement_record(actor=coordinator, **agreement_fields(**overrides))
