from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("break-glass/", views.break_glass, name="break_glass"),
    path("privacy/break-glass/", views.break_glass_list, name="break_glass_list"),
    path("privacy/break-glass/<int:grant_id>/review/", views.break_glass_review, name="break_glass_review"),
]
