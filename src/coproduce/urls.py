from django.urls import include, path

urlpatterns = [
    # First: the busiest addresses (a vote) are found without trying the other apps' patterns.
    path("p/<slug:slug>/conversations/", include("coproduce.conversations.urls")),
    path("", include("coproduce.core.urls")),
    path("", include("coproduce.partnerships.urls")),
    path("", include("coproduce.dataprotection.urls")),
    path("", include("coproduce.datarights.urls")),
    path("", include("coproduce.notifications.urls")),
    path("", include("coproduce.governance.urls")),
    path("", include("coproduce.voice.urls")),
    path("", include("coproduce.support.urls")),
    path("", include("coproduce.fund.urls")),
    path("", include("coproduce.improvement.urls")),
    path("", include("coproduce.decisions.urls")),
    path("", include("coproduce.commitments.urls")),
    path("", include("coproduce.learning.urls")),
    path("", include("coproduce.evaluation.urls")),
    path("", include("coproduce.reports.urls")),
    path("", include("coproduce.api.urls")),
    path("accounts/", include("coproduce.accounts.urls")),
    path("accounts/", include("allauth.urls")),
]

handler400 = "coproduce.core.errors.bad_request"
handler403 = "coproduce.core.errors.permission_denied"
handler404 = "coproduce.core.errors.page_not_found"
handler500 = "coproduce.core.errors.server_error"
