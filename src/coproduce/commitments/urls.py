from django.urls import path

from coproduce.commitments import views

app_name = "commitments"

P = "p/<slug:slug>/commitments/"

urlpatterns = [
    path(P, views.board, name="board"),
    path(f"{P}<str:source>/<int:object_id>/review/", views.review, name="review"),
    # --- open data: the board for anyone, once the partnership publishes open data
    path("open/<slug:slug>/commitments/", views.open_board, name="open-board"),
    path("open/<slug:slug>/commitments.csv", views.open_board_csv, name="open-board-csv"),
    path("open/<slug:slug>/commitments.json", views.open_board_json, name="open-board-json"),
]
