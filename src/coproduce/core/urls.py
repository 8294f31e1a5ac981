from django.urls import path

from coproduce.core import views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("language/", views.language, name="language"),
]
