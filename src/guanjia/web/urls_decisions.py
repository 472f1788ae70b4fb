"""Pages of the decisions app; included by web/urls.py."""

from django.urls import URLPattern, URLResolver, path

from guanjia.web import views_decisions, views_decisions_more, views_decisions_organise

urlpatterns: list[URLPattern | URLResolver] = [
    # Owners' votes: for owners
    path("votes/", views_decisions.vote_list, name="decisions-votes"),
    path("votes/<int:pk>/", views_decisions.vote_detail, name="decisions-vote"),
    path("votes/<int:pk>/ballot/", views_decisions.vote_cast, name="decisions-vote-cast"),
    path("votes/<int:pk>/result/", views_decisions.vote_result, name="decisions-vote-result"),
    # Owners' votes: for those who run them
    path("votes/new/", views_decisions_organise.vote_new, name="decisions-vote-new"),
    path("votes/<int:pk>/act/", views_decisions_organise.vote_act, name="decisions-vote-act"),
    path("votes/<int:pk>/progress/", views_decisions_organise.vote_progress, name="decisions-vote-progress"),
    path("votes/<int:pk>/entry/", views_decisions_organise.ballot_entry, name="decisions-vote-entry"),
    path("votes/<int:pk>/candidates/", views_decisions_organise.candidates, name="decisions-vote-candidates"),
    # Consultations
    path("consultations/", views_decisions_more.consultation_list, name="decisions-consultations"),
    path("consultations/<int:pk>/", views_decisions_more.consultation_detail, name="decisions-consultation"),
    path(
        "consultations/<int:pk>/answer/",
        views_decisions_more.consultation_answer,
        name="decisions-consultation-answer",
    ),
    path(
        "consultations/<int:pk>/close/",
        views_decisions_more.consultation_close,
        name="decisions-consultation-close",
    ),
    # Committees and self-governance groups
    path("committees/", views_decisions_more.committee_list, name="decisions-committees"),
    path("committees/<int:pk>/terms/", views_decisions_more.term_start, name="decisions-term-start"),
    path("terms/<int:pk>/register/", views_decisions_more.term_register, name="decisions-term-register"),
    path("groups/", views_decisions_more.group_list, name="decisions-groups"),
    path("groups/<int:pk>/", views_decisions_more.group_detail, name="decisions-group"),
]
