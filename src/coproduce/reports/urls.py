from django.urls import path

from coproduce.reports.views import builder, open_data, outcomes  # noqa: F401

app_name = "reports"

P = "p/<slug:slug>/"
OPEN = "open/<slug:slug>/"

urlpatterns: list = [
    # --- open data: the open data page of a partnership (signed out) and the coordinators' setting
    path(OPEN, open_data.open_page, name="open"),
    path(f"{P}open-data/", open_data.open_settings, name="open-settings"),
    # --- employability outcomes: recorded with the member, hers to see and to ask to correct
    # --- reports: the builder, saved definitions, a report's page (prints on A4) and its downloads
]
