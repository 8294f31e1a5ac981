from django.urls import path

from coproduce.governance import views

app_name = "governance"

P = "p/<slug:slug>/agreement/"

urlpatterns = [
    path(P, views.agreement, name="agreement"),
    path(f"{P}terms/new/", views.terms_new, name="terms-new"),
    path(f"{P}terms/<int:number>/", views.terms_version, name="terms-version"),
    path(f"{P}groups/new/", views.group_new, name="group-new"),
    path(f"{P}groups/<int:group_id>/edit/", views.group_edit, name="group-edit"),
    path(f"{P}groups/<int:group_id>/seats/new/", views.seat_new, name="seat-new"),
    path(f"{P}seats/<int:seat_id>/", views.seat, name="seat"),
    path(f"{P}seats/<int:seat_id>/edit/", views.seat_edit, name="seat-edit"),
    path(f"{P}seats/<int:seat_id>/appoint/", views.seat_appoint, name="seat-appoint"),
    path(f"{P}seats/<int:seat_id>/remove/", views.seat_retire, name="seat-retire"),
    path(f"{P}holdings/<int:holding_id>/end/", views.holding_end, name="holding-end"),
    path(f"{P}rules/<slug:kind>/", views.rule_edit, name="rule-edit"),
    path(f"{P}interests/new/", views.interest_new, name="interest-new"),
    path(f"{P}interests/<int:interest_id>/edit/", views.interest_edit, name="interest-edit"),
]
