from django.urls import path

from coproduce.evaluation import views

app_name = "evaluation"

P = "p/<slug:slug>/evaluation/"

urlpatterns: list = [
    # members: answering, offers, my answers
    # results: overview, a service's results, the export, starting a test of change, questions, moderation
    # paper and assisted answers
    # the parents' panel and reviews
    # the partnership health check
    path(f"{P}health/", views.health, name="health"),
    path(f"{P}health/<int:check_id>/answer/", views.health_answer, name="health-answer"),
    path(f"{P}health/<int:check_id>/", views.health_results, name="health-results"),
]
