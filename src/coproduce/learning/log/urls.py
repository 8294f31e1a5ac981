"""The learning log's addresses, in the ``learning`` namespace (``learning/urls.py`` adds them)."""

from django.urls import path

from coproduce.learning.log import views

P = "p/<slug:slug>/learning/log/"

urlpatterns = [
    path(P, views.log, name="log"),
    path(f"{P}new/", views.log_new, name="log-new"),
    path(f"{P}<int:entry_id>/", views.log_entry, name="log-entry"),
    path(f"{P}<int:entry_id>/edit/", views.log_edit, name="log-edit"),
    path(f"{P}<int:entry_id>/consent/", views.log_consent, name="log-consent"),
    path(f"{P}<int:entry_id>/case-study/", views.log_case_study, name="log-case-study"),
]
