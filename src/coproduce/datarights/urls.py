from django.urls import path

from coproduce.datarights import views

app_name = "datarights"

urlpatterns = [
    path("p/<slug:slug>/leave/", views.leave, name="leave"),
    path("p/<slug:slug>/people/<int:membership_id>/remove/", views.remove, name="remove"),
    path("p/<slug:slug>/erasure/", views.erasure, name="erasure"),
    path("p/<slug:slug>/erasure-requests/", views.erasures, name="erasures"),
    path("p/<slug:slug>/erasure-requests/<int:erasure_id>/", views.erasure_confirm, name="erasure-confirm"),
]
