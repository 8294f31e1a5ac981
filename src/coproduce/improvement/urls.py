from django.urls import path

from coproduce.improvement import views

app_name = "improvement"

P = "p/<slug:slug>/improvement/"

urlpatterns = [
    path(P, views.board, name="board"),
    path(f"{P}tests/new/", views.test_new, name="test-new"),
    path(f"{P}tests/<int:test_id>/", views.test_page, name="test"),
    path(f"{P}tests/<int:test_id>/edit/", views.test_edit, name="test-edit"),
    path(f"{P}tests/<int:test_id>/stage/", views.test_stage, name="test-stage"),
    path(f"{P}tests/<int:test_id>/study/", views.study, name="study"),
    path(f"{P}tests/<int:test_id>/measures/new/", views.measure_new, name="measure-new"),
    path(f"{P}tests/<int:test_id>/check/", views.check, name="check"),
    path(f"{P}tests/<int:test_id>/decide/", views.decide, name="decide"),
    path(f"{P}tests/<int:test_id>/cosign/", views.cosign, name="cosign"),
    path(f"{P}measures/<int:measure_id>/observations/new/", views.observation_new, name="observation-new"),
    path(f"{P}measures/<int:measure_id>/import/", views.observation_import, name="observation-import"),
    path(f"{P}observations/<int:observation_id>/edit/", views.observation_edit, name="observation-edit"),
    path(f"{P}observations/<int:observation_id>/delete/", views.observation_delete, name="observation-delete"),
    path(f"{P}stopped/", views.register, name="register"),
    path(f"{P}stopped/new/", views.stopped_new, name="stopped-new"),
    path(f"{P}stopped/<int:entry_id>/", views.stopped, name="stopped"),
    path(f"{P}stopped/<int:entry_id>/agree/", views.stopped_agree, name="stopped-agree"),
    path(f"{P}settings/", views.settings_page, name="settings"),
]
