from django.urls import path

from coproduce.reports.views import builder, open_data, outcomes  # noqa: F401

app_name = "reports"

P = "p/<slug:slug>/"
OPEN = "open/<slug:slug>/"

urlpatterns: list = [
    # --- open data: the open data page of a partnership (signed out) and the coordinators' setting
    # --- employability outcomes: recorded with the member, hers to see and to ask to correct
    path(P + "outcomes/", outcomes.outcomes, name="outcomes"),
    path(P + "outcomes/new/", outcomes.outcome_new, name="outcome-new"),
    path(P + "outcomes/priority-groups/", outcomes.priority_groups, name="outcome-priority-groups"),
    path(P + "outcomes/<int:outcome_id>/correction/", outcomes.correction_ask, name="outcome-correction-ask"),
    path(P + "outcomes/people/<int:membership_id>/", outcomes.person, name="outcome-person"),
    path(P + "outcomes/people/<int:membership_id>/new/", outcomes.person_new, name="outcome-person-new"),
    path(
        P + "outcomes/people/<int:membership_id>/priority-groups/",
        outcomes.person_groups,
        name="outcome-person-groups",
    ),
    path(P + "outcomes/corrections/<int:correction_id>/", outcomes.correction, name="outcome-correction"),
    # --- reports: the builder, saved definitions, a report's page (prints on A4) and its downloads
]
