from django.urls import path

from coproduce.voice import views

app_name = "voice"

P = "p/<slug:slug>/"

urlpatterns = [
    path(f"{P}ideas/", views.ideas, name="ideas"),
    path(f"{P}ideas/new/", views.idea_new, name="idea-new"),
    path(f"{P}ideas/record-with/", views.idea_record_with, name="idea-record-with"),
    path(f"{P}ideas/<int:idea_id>/", views.idea, name="idea"),
    path(f"{P}ideas/<int:idea_id>/edit/", views.idea_edit, name="idea-edit"),
    path(f"{P}ideas/<int:idea_id>/withdraw/", views.idea_withdraw, name="idea-withdraw"),
    path(f"{P}ideas/<int:idea_id>/support/", views.idea_support, name="idea-support"),
    path(f"{P}ideas/<int:idea_id>/follow/", views.idea_follow, name="idea-follow"),
    path(f"{P}ideas/<int:idea_id>/comments/", views.comment_create, name="comment-create"),
    path(f"{P}ideas/<int:idea_id>/flag/", views.idea_flag, name="idea-flag"),
    path(f"{P}ideas/<int:idea_id>/respond/", views.idea_respond, name="idea-respond"),
    path(f"{P}comments/<int:comment_id>/edit/", views.comment_edit, name="comment-edit"),
    path(f"{P}comments/<int:comment_id>/delete/", views.comment_delete, name="comment-delete"),
    path(f"{P}comments/<int:comment_id>/flag/", views.comment_flag, name="comment-flag"),
    path(f"{P}challenges/", views.challenges, name="challenges"),
    path(f"{P}challenges/new/", views.challenge_new, name="challenge-new"),
    path(f"{P}challenges/<int:challenge_id>/", views.challenge, name="challenge"),
    path(f"{P}challenges/<int:challenge_id>/edit/", views.challenge_edit, name="challenge-edit"),
    path(f"{P}moderation/", views.moderation, name="moderation"),
    path(f"{P}moderation/ideas/<int:idea_id>/", views.moderate_idea, name="moderate-idea"),
    path(f"{P}moderation/comments/<int:comment_id>/", views.moderate_comment, name="moderate-comment"),
    path(f"{P}moderation/flags/<int:flag_id>/dismiss/", views.flag_dismiss, name="flag-dismiss"),
    path(f"{P}house-rules/", views.house_rules, name="house-rules"),
    path(f"{P}you-said-we-did/", views.you_said_we_did, name="you-said-we-did"),
    path(f"{P}equal-voice/", views.equal_voice, name="equal-voice"),
    # --- open data: "you said, we did" for anyone, once the partnership publishes open data
    path("open/<slug:slug>/you-said-we-did/", views.open_responses, name="open-responses"),
    path("open/<slug:slug>/you-said-we-did.csv", views.open_responses_csv, name="open-responses-csv"),
    path("open/<slug:slug>/you-said-we-did.json", views.open_responses_json, name="open-responses-json"),
]
