from django.urls import path

from coproduce.evaluation import views

app_name = "evaluation"

P = "p/<slug:slug>/evaluation/"

urlpatterns: list = [
    # members: answering, offers, my answers
    # results: overview, a service's results, the export, starting a test of change, questions, moderation
    # paper and assisted answers
    path(f"{P}paper/", views.paper, name="paper"),
    path(f"{P}paper/<int:subject_id>/", views.paper_form, name="paper-form"),
    path(f"{P}enter/", views.enter, name="enter"),
    # the parents' panel and reviews
    # the partnership health check
]
