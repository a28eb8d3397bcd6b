from django.urls import path

from . import views

app_name = "legal"
P = "people/<int:person_id>/legal/"
PERIOD = P + "periods/<int:mha_period_id>/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "periods/new/", views.new_period, name="new_period"),
    path(PERIOD, views.period, name="period"),
    path(PERIOD + "renew/", views.renew, name="renew"),
    path(PERIOD + "events/new/", views.new_event, name="new_event"),
    path(PERIOD + "end/", views.end, name="end"),
    path(PERIOD + "entered-in-error/", views.entered_in_error, name="entered_in_error"),
    path(PERIOD + "rights/", views.rights, name="rights"),
    path(P + "aftercare/new/", views.new_aftercare, name="new_aftercare"),
    path(P + "aftercare/<int:aftercare_id>/end/", views.end_aftercare, name="end_aftercare"),
    path(P + "amhp-requests/new/", views.new_request, name="new_request"),
    path(P + "liberty/new/", views.new_liberty, name="new_liberty"),
    path(P + "liberty/<int:liberty_id>/", views.liberty, name="liberty"),
    path(P + "liberty/<int:liberty_id>/extend/", views.extend_liberty, name="extend_liberty"),
    path("amhp/", views.amhp_board, name="amhp_board"),
    path("amhp/rota/", views.amhp_rota, name="amhp_rota"),
    path("amhp/requests/<int:amhp_request_id>/", views.amhp_request, name="amhp_request"),
    path("amhp/requests/<int:amhp_request_id>/assessment/", views.amhp_assessment, name="amhp_assessment"),
    path("amhp/requests/<int:amhp_request_id>/complete/", views.amhp_complete, name="amhp_complete"),
    path("amhp/requests/<int:amhp_request_id>/report/", views.amhp_report, name="amhp_report"),
    path("bia/", views.bia_list, name="bia_list"),
]
