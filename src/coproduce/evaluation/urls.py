from django.urls import path

from coproduce.evaluation import views

app_name = "evaluation"

P = "p/<slug:slug>/evaluation/"

urlpatterns: list = [
    # members: answering, offers, my answers
    path(P, views.index, name="index"),
    path(P + "services/<int:subject_id>/answer/", views.answer, name="answer"),
    path(P + "offers/<int:offer_id>/dismiss/", views.offer_dismiss, name="offer-dismiss"),
    path(P + "mine/", views.mine, name="mine"),
    path(P + "mine/<int:answer_id>/withdraw/", views.withdraw, name="withdraw"),
    # results: overview, a service's results, the export, starting a test of change, questions, moderation
    # paper and assisted answers
    # the parents' panel and reviews
    # the partnership health check
]
