from django.urls import path

from coproduce.dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path("p/<slug:slug>/data-protection/", views.settings_page, name="settings"),
    path("p/<slug:slug>/data-protection/retention/", views.retention, name="retention"),
    path("p/<slug:slug>/data-protection/retention/runs/", views.runs, name="runs"),
    path("p/<slug:slug>/data-protection/retention/dry-run/", views.dry_run, name="dry-run"),
    path("p/<slug:slug>/data-sharing/", views.agreement, name="agreement"),
    path("p/<slug:slug>/data-sharing/versions/<int:version>/", views.agreement, name="agreement-version"),
    path("p/<slug:slug>/data-sharing/change/", views.agreement_edit, name="agreement-edit"),
    path("p/<slug:slug>/privacy/", views.privacy, name="privacy"),
]
