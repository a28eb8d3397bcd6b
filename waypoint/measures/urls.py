from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("people/<int:person_id>/measures/", views.list_view, name="list"),
    path("people/<int:person_id>/measures/new/<slug:code>/", views.new, name="new"),
    path("people/<int:person_id>/measures/<int:measure_id>/", views.detail, name="detail"),
    path("people/<int:person_id>/measures/history/<slug:code>/", views.history_view, name="history"),
    path("people/<int:person_id>/measures/since-last-review/", views.since_review, name="since_review"),
    path("people/<int:person_id>/measures/self/start/", views.self_start, name="self_start"),
    path(
        "people/<int:person_id>/measures/self/<int:self_completion_id>/resume/",
        views.self_resume,
        name="self_resume",
    ),
    # The device in the person's hands: no ids in these addresses, the session says which one.
    path("self-completion/", views.self_question, name="self_question"),
    path("self-completion/<int:number>/", views.self_question, name="self_question"),
    path("self-completion/finish/", views.self_finish, name="self_finish"),
    path("self-completion/thank-you/", views.self_done, name="self_done"),
    path("self-completion/hand-back/", views.self_hand_back, name="self_hand_back"),
    path("people/<int:person_id>/measures/dialog-plus/new/", views.dialog_plus_new, name="dialog_plus_new"),
    path(
        "people/<int:person_id>/measures/dialog-plus/<int:dialog_plus_id>/",
        views.dialog_plus,
        name="dialog_plus",
    ),
    path("measures/team/four-week-clock/", views.team_four_week, name="team_four_week"),
    path("measures/team/settings/", views.team_settings_view, name="team_settings"),
    path("measures/team/no-baseline/", views.team_no_baseline, name="team_no_baseline"),
]
