from django.urls import path

from coproduce.reports.views import builder, open_data, outcomes

app_name = "reports"

P = "p/<slug:slug>/"
OPEN = "open/<slug:slug>/"

urlpatterns: list = [
    # --- open data: the open data page of a partnership (signed out) and the coordinators' setting
    path(OPEN, open_data.open_page, name="open"),
    path(f"{P}open-data/", open_data.open_settings, name="open-settings"),
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
    path(f"{P}reports/", builder.index, name="index"),
    path(f"{P}reports/<int:run_id>/", builder.run, name="run"),
    # The CSV and its CSVW metadata side by side, so the metadata's relative "url" finds the CSV.
    path(f"{P}reports/report-<int:run_id>.csv", builder.run_csv, name="run-csv"),
    path(f"{P}reports/report-<int:run_id>.csv-metadata.json", builder.run_csvw, name="run-csvw"),
    path(f"{P}reports/report-<int:run_id>.ods", builder.run_ods, name="run-ods"),
    path(f"{P}reports/saved/<int:definition_id>/run/", builder.definition_run, name="definition-run"),
    path(f"{P}reports/saved/<int:definition_id>/delete/", builder.definition_delete, name="definition-delete"),
]
