from django.urls import path

from coproduce.decisions import views

app_name = "decisions"

P = "p/<slug:slug>/decisions/"
D = f"{P}<int:decision_id>/"

urlpatterns = [
    path(P, views.decision_list, name="list"),
    path(f"{P}new/", views.decision_new, name="new"),
    path(f"{P}import/", views.import_ballots, name="import"),
    path(D, views.decision_page, name="decision"),
    path(f"{D}answer/", views.answer, name="answer"),
    path(f"{D}record-with/", views.record_with, name="record-with"),
    path(f"{D}paper/", views.paper, name="paper"),
    path(f"{D}paper-form/", views.paper_form, name="paper-form"),
    path(f"{D}amend/", views.amend, name="amend"),
    path(f"{D}close/", views.close, name="close"),
    path(f"{D}outcome/", views.outcome, name="outcome"),
    path(f"{D}results/", views.results, name="results"),
    path(f"{D}versions/", views.versions, name="versions"),
    path(f"{D}comment/", views.comment, name="comment"),
    path(f"{D}comments/<int:comment_id>/hide/", views.comment_hide, name="comment-hide"),
    path(f"{D}ballots.blt", views.export_blt, name="export-blt"),
    path(f"{D}ballots.soi", views.export_soi, name="export-soi"),
    # --- open data: closed decisions and their outcomes for anyone, once the partnership publishes open data
    path("open/<slug:slug>/decisions/", views.open_decisions_page, name="open-decisions"),
    path("open/<slug:slug>/decisions.csv", views.open_decisions_csv, name="open-decisions-csv"),
    path("open/<slug:slug>/decisions.json", views.open_decisions_json, name="open-decisions-json"),
]
