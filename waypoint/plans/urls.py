from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("people/<int:person_id>/plans/", views.index, name="index"),
    path("people/<int:person_id>/plans/start/<str:kind>/", views.start, name="start"),
    path("people/<int:person_id>/plans/<int:plan_id>/", views.plan, name="plan"),
    path("people/<int:person_id>/plans/<int:plan_id>/new-revision/", views.new_revision, name="new_revision"),
    path("people/<int:person_id>/plan-revisions/<int:plan_revision_id>/", views.revision, name="revision"),
    path("people/<int:person_id>/plan-revisions/<int:plan_revision_id>/edit/", views.edit, name="edit"),
    path("people/<int:person_id>/plan-revisions/<int:plan_revision_id>/agree/", views.agree, name="agree"),
    path("people/<int:person_id>/plan-revisions/<int:plan_revision_id>/share/", views.share, name="share"),
    path("people/<int:person_id>/my-plan/", views.my_plan, name="my_plan"),
]
