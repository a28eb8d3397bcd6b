from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meetings, name="list"),
    path("meetings/plan/", views.plan, name="plan"),
    path("meetings/<int:meeting_id>/", views.detail, name="detail"),
    path("meetings/<int:meeting_id>/add-person/", views.add_person, name="add_person"),
    path("meetings/<int:meeting_id>/people/<int:person_id>/", views.discuss, name="discuss"),
    path("meetings/<int:meeting_id>/minutes/", views.minutes, name="minutes"),
]
