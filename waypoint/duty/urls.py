from django.urls import path

from . import views

app_name = "duty"
urlpatterns = [
    path("", views.board, name="board"),
    path("calls/new/", views.log_call, name="log_call"),
    path("calls/<int:enquiry_id>/", views.enquiry, name="enquiry"),
    path("calls/<int:enquiry_id>/close/", views.close, name="close"),
    path("handover/", views.handover, name="handover"),
    path("rota/", views.rota, name="rota"),
    path("rota/<str:day>/", views.rota_day, name="rota_day"),
]
