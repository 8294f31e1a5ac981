from django.urls import path

from coproduce.support import views
from coproduce.support.views import open_data

app_name = "support"

P = "p/<slug:slug>/support/"

urlpatterns = [
    path(P, views.home, name="home"),
    path(f"{P}start/", views.plan_start, name="plan-start"),
    path(f"{P}plans/<int:plan_id>/", views.plan, name="plan"),
    path(f"{P}plans/<int:plan_id>/print/", views.plan_print, name="plan-print"),
    path(f"{P}plans/<int:plan_id>/accept/", views.plan_accept, name="plan-accept"),
    path(f"{P}plans/<int:plan_id>/about/", views.about_edit, name="about-edit"),
    path(f"{P}plans/<int:plan_id>/goals/new/", views.goal_new, name="goal-new"),
    path(f"{P}goals/<int:goal_id>/", views.goal_edit, name="goal-edit"),
    path(f"{P}plans/<int:plan_id>/actions/new/", views.action_new, name="action-new"),
    path(f"{P}actions/<int:action_id>/", views.action_edit, name="action-edit"),
    path(f"{P}plans/<int:plan_id>/team/", views.team, name="team"),
    path(f"{P}plans/<int:plan_id>/sharing/", views.sharing, name="sharing"),
    path(f"{P}plans/<int:plan_id>/history/", views.history, name="history"),
    path(f"{P}plans/<int:plan_id>/who-has-looked/", views.reads, name="reads"),
    path(f"{P}plans/<int:plan_id>/check-ins/new/", views.checkin_new, name="checkin-new"),
    path(f"{P}check-ins/<int:checkin_id>/", views.checkin, name="checkin"),
    path(f"{P}plans/<int:plan_id>/progress/", views.progress, name="progress"),
    path(f"{P}plans/<int:plan_id>/referrals/new/", views.referral_new, name="referral-new"),
    path(f"{P}referrals/<int:referral_id>/", views.referral, name="referral"),
    path(f"{P}plans/<int:plan_id>/money/", views.plan_money, name="plan-money"),
    path(f"{P}money/<int:request_id>/", views.barrier, name="barrier"),
    path(f"{P}money/waiting/", views.barrier_queue, name="barrier-queue"),
    path(f"{P}money/achieved/", views.barrier_outcomes, name="barrier-outcomes"),
    path(f"{P}services/", views.directory, name="directory"),
    path(f"{P}services/new/", views.service_new, name="service-new"),
    path(f"{P}services/<int:service_id>/", views.service, name="service"),
    path(f"{P}services/<int:service_id>/edit/", views.service_edit, name="service-edit"),
    path(f"{P}services/open-referral.json", views.directory_export, name="directory-export"),
    path(f"{P}my-data/", views.my_data, name="my-data"),
    path(f"{P}my-data.json", views.my_data_json, name="my-data-json"),
    path(f"{P}figures/", views.figures, name="figures"),
    path(f"{P}settings/", views.settings, name="settings"),
    path(f"{P}settings/areas/new/", views.outcome_area_new, name="outcome-area-new"),
    path(f"{P}settings/areas/<int:area_id>/", views.outcome_area_edit, name="outcome-area-edit"),
    # --- open data: the directory as an Open Referral UK API, for anyone once the partnership publishes
    path("open/<slug:slug>/oruk/", open_data.oruk_root, name="oruk-root"),
    path("open/<slug:slug>/oruk/services", open_data.oruk_services, name="oruk-services"),
    path("open/<slug:slug>/oruk/services/<str:service_id>", open_data.oruk_service, name="oruk-service"),
]
