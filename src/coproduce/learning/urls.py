from django.urls import path

from coproduce.learning import views
from coproduce.learning.views import calendars, log, pay

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
    path(f"{E}card/", views.event_card, name="event-card"),
    path(f"{E}register/", views.register, name="register"),
    path(f"{E}register/cancel/", views.registration_cancel, name="registration-cancel"),
    path(f"{E}needs/", views.needs, name="needs"),
    path(f"{E}attendance/", views.attendance, name="attendance"),
    # calendars
    path(f"{P}events/<int:event_id>/calendar.ics", calendars.event_ics, name="event-ics"),
    path(f"{P}calendar/", calendars.calendar, name="calendar"),
    path(f"{P}calendar/<str:token>.ics", calendars.feed, name="feed"),
    # paid time and expenses
    path(f"{P}pay/", pay.pay_settings, name="pay-settings"),
    path(f"{P}events/<int:event_id>/claim/", pay.claim_new, name="claim-new"),
    path(f"{P}claims/", pay.claims, name="claims"),
    path(f"{P}claims/<int:claim_id>/", pay.claim, name="claim"),
    path(f"{P}claims/<int:claim_id>/approve/", pay.claim_approve, name="claim-approve"),
    path(f"{P}claims/<int:claim_id>/refuse/", pay.claim_refuse, name="claim-refuse"),
    path(f"{P}my-payments/", pay.my_payments, name="my-payments"),
    # the learning log
    path(f"{P}log/", log.log, name="log"),
    path(f"{P}log/new/", log.log_new, name="log-new"),
    path(f"{P}log/<int:entry_id>/", log.log_entry, name="log-entry"),
    path(f"{P}log/<int:entry_id>/edit/", log.log_edit, name="log-edit"),
    path(f"{P}log/<int:entry_id>/consent/", log.log_consent, name="log-consent"),
    path(f"{P}log/<int:entry_id>/case-study/", log.log_case_study, name="log-case-study"),
]
