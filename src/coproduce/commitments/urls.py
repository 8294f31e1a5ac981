from django.urls import path

from coproduce.commitments import views

app_name = "commitments"

P = "p/<slug:slug>/commitments/"

urlpatterns = [
    path(P, views.board, name="board"),
    path(f"{P}<str:source>/<int:object_id>/review/", views.review, name="review"),
]
