from django.urls import path

from coproduce.conversations import views

app_name = "conversations"

# Included under "p/<slug:slug>/conversations/" (coproduce/urls.py), first, so that a vote's address is found
# without trying every other app's patterns.
P = ""
C = "<int:conversation_id>/"

urlpatterns = [
    path(P, views.conversations, name="list"),
    path(f"{P}new/", views.conversation_new, name="new"),
    path(f"{P}import/", views.conversation_import, name="import"),
    path(C, views.conversation, name="detail"),
    path(f"{C}edit/", views.conversation_edit, name="edit"),
    path(f"{C}vote/", views.vote, name="vote"),
    path(f"{C}my-votes/", views.my_votes, name="my-votes"),
    path(f"{C}record-with/", views.record_with, name="record-with"),
    path(f"{C}statements/new/", views.statement_new, name="statement-new"),
    path(f"{C}statements/from-idea/", views.statement_from_idea, name="statement-from-idea"),
    path(f"{C}moderation/", views.moderation, name="moderation"),
    path(f"{C}statements/<int:statement_id>/moderate/", views.statement_moderate, name="statement-moderate"),
    path(f"{C}report/", views.report, name="report"),
    path(f"{C}export/", views.export, name="export"),
    path(f"{C}export/<slug:name>.csv", views.export_file, name="export-file"),
    path(f"{C}export/polis-export.zip", views.export_zip, name="export-zip"),
]
