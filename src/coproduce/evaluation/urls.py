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
    path(f"{P}results/", views.results, name="results"),
    path(f"{P}results/<int:subject_id>/", views.subject_results, name="subject-results"),
    path(f"{P}results.csv", views.results_csv, name="results-csv"),
    path(f"{P}results/<int:subject_id>/test/", views.start_test, name="start-test"),
    path(f"{P}services/<int:subject_id>/questions/", views.questions, name="questions"),
    path(f"{P}questions/<int:question_id>/retire/", views.question_retire, name="question-retire"),
    path(f"{P}moderation/", views.moderation, name="moderation"),
    path(f"{P}moderation/<int:remark_id>/", views.remark, name="remark"),
    # paper and assisted answers
    path(f"{P}paper/", views.paper, name="paper"),
    path(f"{P}paper/<int:subject_id>/", views.paper_form, name="paper-form"),
    path(f"{P}enter/", views.enter, name="enter"),
    # the parents' panel and reviews
    path(f"{P}panel/", views.panel, name="panel"),
    path(f"{P}reviews/<int:review_id>/", views.review, name="review"),
    # the partnership health check
    path(f"{P}health/", views.health, name="health"),
    path(f"{P}health/<int:check_id>/answer/", views.health_answer, name="health-answer"),
    path(f"{P}health/<int:check_id>/", views.health_results, name="health-results"),
    # --- open data: the whole partnership's results for anyone, once the partnership publishes open data
    path("open/<slug:slug>/evaluation/", views.open_results_page, name="open-results"),
    path("open/<slug:slug>/evaluation.csv", views.open_results_csv, name="open-results-csv"),
    path("open/<slug:slug>/evaluation.json", views.open_results_json, name="open-results-json"),
]
