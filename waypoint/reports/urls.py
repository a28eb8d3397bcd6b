from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("mhsds/", views.mhsds, name="mhsds"),
    path("mhsds/<int:job_id>/", views.mhsds_run, name="mhsds_run"),
    path("mhsds/<int:job_id>/<slug:table>.csv", views.mhsds_file, name="mhsds_file"),
    path("<slug:key>/", views.report, name="report"),
    path("<slug:key>/csv/", views.report_csv, name="report_csv"),
    path("<slug:key>/people/", views.report_people, name="report_people"),
]
