from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.my_tasks, name="mine"),
    path("tasks/delegated/", views.delegated, name="delegated"),
    path("people/<int:person_id>/tasks/", views.person_tasks, name="person_tasks"),
    path("people/<int:person_id>/tasks/new/", views.new, name="new"),
    path("people/<int:person_id>/tasks/<int:task_id>/", views.detail, name="detail"),
    path("people/<int:person_id>/tasks/<int:task_id>/cancel/", views.cancel, name="cancel"),
]
