from django.urls import path

from coproduce.accounts import views

app_name = "accounts"

urlpatterns = [
    path("two-factor-required/", views.mfa_required, name="mfa-required"),
    path("mobile/", views.mobile, name="mobile"),
    path("mobile/confirm/", views.mobile_confirm, name="mobile-confirm"),
]
