from django.urls import path

from coproduce.partnerships import card_views, my_data_views, views

app_name = "partnerships"

urlpatterns = [
    path("p/<slug:slug>/", views.home, name="home"),
    path("p/<slug:slug>/people/", views.people, name="people"),
    path("p/<slug:slug>/people/<int:membership_id>/roles/", views.roles_edit, name="roles-edit"),
    path("p/<slug:slug>/organisations/", views.organisations, name="organisations"),
    path("p/<slug:slug>/organisations/new/", views.organisation_new, name="organisation-new"),
    path("p/<slug:slug>/organisations/<int:organisation_id>/edit/", views.organisation_edit, name="organisation-edit"),
    path(
        "p/<slug:slug>/organisations/<int:organisation_id>/retire/",
        views.organisation_retire,
        name="organisation-retire",
    ),
    path(
        "p/<slug:slug>/organisations/<int:organisation_id>/reinstate/",
        views.organisation_reinstate,
        name="organisation-reinstate",
    ),
    path("p/<slug:slug>/settings/", views.settings_hub, name="settings"),
    path("p/<slug:slug>/settings/details/", views.settings_details, name="settings-details"),
    path("p/<slug:slug>/settings/texts/", views.settings_texts, name="settings-texts"),
    path("p/<slug:slug>/invitations/", views.invitations, name="invitations"),
    path("p/<slug:slug>/invitations/<int:invitation_id>/withdraw/", views.invitation_revoke, name="invitation-revoke"),
    path(
        "p/<slug:slug>/invitations/<int:invitation_id>/send-again/", views.invitation_resend, name="invitation-resend"
    ),
    path("p/<slug:slug>/invitations/<int:invitation_id>/card/", card_views.invitation_card, name="invitation-card"),
    path("p/<slug:slug>/audit/", views.audit, name="audit"),
    path("p/<slug:slug>/assisted/", views.assisted, name="assisted"),
    path("p/<slug:slug>/my-data/", my_data_views.my_data, name="my-data"),
    path("p/<slug:slug>/my-data/download.json", my_data_views.my_data_json, name="my-data-json"),
    path("p/<slug:slug>/my-data/download.zip", my_data_views.my_data_zip, name="my-data-zip"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("i/<str:code>/", card_views.invitation_short, name="invitation-short"),
]
