from django.urls import path

from coproduce.learning.views import calendars, pay

app_name = "learning"

P = "p/<slug:slug>/learning/"

urlpatterns = [
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
]
