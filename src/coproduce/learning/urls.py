from django.urls import path

from coproduce.learning import views

app_name = "learning"

P = "p/<slug:slug>/learning/"
E = f"{P}events/<int:event_id>/"

urlpatterns = [
    path(P, views.events, name="events"),
    path(f"{P}events/new/", views.event_new, name="event-new"),
    path(f"{P}series/new/", views.series_new, name="series-new"),
    path(f"{P}hours/", views.hours, name="hours"),
    path(E, views.event, name="event"),
    path(f"{E}edit/", views.event_edit, name="event-edit"),
    path(f"{E}cancel/", views.event_cancel, name="event-cancel"),
    path(f"{E}register/", views.register, name="register"),
    path(f"{E}register/cancel/", views.registration_cancel, name="registration-cancel"),
    path(f"{E}needs/", views.needs, name="needs"),
    path(f"{E}attendance/", views.attendance, name="attendance"),
]
