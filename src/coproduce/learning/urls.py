from django.urls import URLPattern

from coproduce.learning.log.urls import urlpatterns as log_urlpatterns

app_name = "learning"

urlpatterns: list[URLPattern] = [*log_urlpatterns]
