from django.urls import path

from coproduce.notifications import views

app_name = "notifications"

P = "p/<slug:slug>/notifications/"

urlpatterns = [
    path(P, views.inbox, name="inbox"),
    path(f"{P}<int:notice_id>/read/", views.mark_read, name="read"),
    path(f"{P}how-you-hear/", views.preferences, name="preferences"),
]
