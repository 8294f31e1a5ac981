from django.urls import path

from coproduce.evaluation import views

app_name = "evaluation"

P = "p/<slug:slug>/evaluation/"

urlpatterns: list = [
    # members: answering, offers, my answers
    # results: overview, a service's results, the export, starting a test of change, questions, moderation
    # paper and assisted answers
    # the parents' panel and reviews
    path(f"{P}panel/", views.panel, name="panel"),
    path(f"{P}reviews/<int:review_id>/", views.review, name="review"),
    # the partnership health check
]
