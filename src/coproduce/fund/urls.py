from django.urls import path

from coproduce.fund import views

app_name = "fund"

P = "p/<slug:slug>/fund/"

urlpatterns = [
    path(P, views.ledger, name="ledger"),
    path(f"{P}contributions/new/", views.contribution_new, name="contribution-new"),
    path(
        f"{P}contributions/<int:contribution_id>/received/", views.contribution_received, name="contribution-received"
    ),
    path(f"{P}flexible/", views.flexible_money, name="flexible"),
    path(f"{P}flexible/new/", views.pot_new, name="pot-new"),
    path(f"{P}flexible/<int:pot_id>/edit/", views.pot_edit, name="pot-edit"),
    path(f"{P}flexible/<int:pot_id>/categories/new/", views.category_new, name="category-new"),
    path(f"{P}flexible/categories/<int:category_id>/", views.category_edit, name="category-edit"),
    path(f"{P}interests/", views.interests, name="interests"),
    path(f"{P}interests/<int:declaration_id>/withdraw/", views.interest_withdraw, name="interest-withdraw"),
    path(f"{P}awards/<int:award_id>/", views.award, name="award"),
    path(f"{P}awards/<int:award_id>/payments/", views.award_payment, name="award-payment"),
    path(f"{P}awards/<int:award_id>/spending/", views.award_spend, name="award-spend"),
    path(f"{P}360giving.json", views.grants_json, name="grants-json"),
    path(f"{P}rounds/", views.rounds, name="rounds"),
    path(f"{P}rounds/new/", views.round_new, name="round-new"),
    path(f"{P}rounds/import/", views.round_import, name="round-import"),
    path(f"{P}rounds/<int:round_id>/", views.round_detail, name="round"),
    path(f"{P}rounds/<int:round_id>/edit/", views.round_edit, name="round-edit"),
    path(f"{P}rounds/<int:round_id>/propose/", views.proposal_new, name="proposal-new"),
    path(f"{P}rounds/<int:round_id>/ballot/", views.ballot, name="ballot"),
    path(f"{P}rounds/<int:round_id>/ballot/record-with/", views.ballot_record_with, name="ballot-record-with"),
    path(f"{P}rounds/<int:round_id>/ballot/paper/", views.ballot_paper, name="ballot-paper"),
    path(f"{P}rounds/<int:round_id>/ballot/paper-form/", views.ballot_paper_form, name="ballot-paper-form"),
    path(f"{P}rounds/<int:round_id>/receipt/", views.receipt, name="receipt"),
    path(f"{P}rounds/<int:round_id>/results/", views.results, name="results"),
    path(f"{P}rounds/<int:round_id>/awards/", views.awards_make, name="awards-make"),
    path(f"{P}rounds/<int:round_id>/export.pb", views.round_export, name="round-export"),
    path(f"{P}proposals/<int:proposal_id>/", views.proposal, name="proposal"),
    path(f"{P}proposals/<int:proposal_id>/edit/", views.proposal_edit, name="proposal-edit"),
    path(f"{P}proposals/<int:proposal_id>/review/", views.proposal_review, name="proposal-review"),
    # --- open data: the fund's 360Giving file for anyone, once the partnership publishes open data
    path("open/<slug:slug>/360giving.json", views.open_grants, name="open-grants"),
]
