from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("", views.team, name="team"),
    path("training/", views.matrix, name="matrix"),
    path("me/", views.my_development, name="my_development"),
    path("supervision/group/", views.group_supervision, name="group_supervision"),
    path("courses/", views.courses, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:course_id>/", views.course_edit, name="course_edit"),
    path("training/import/", views.training_import_page, name="training_import"),
    path("staff/<int:staff_id>/", views.staff_record, name="staff"),
    path("staff/<int:staff_id>/line-manager/", views.line_manager, name="line_manager"),
    path("staff/<int:staff_id>/registrations/new/", views.registration_new, name="registration_new"),
    path(
        "staff/<int:staff_id>/registrations/<int:registration_id>/",
        views.registration_edit,
        name="registration_edit",
    ),
    path("staff/<int:staff_id>/dbs/new/", views.dbs_new, name="dbs_new"),
    path("staff/<int:staff_id>/approvals/new/", views.approval_new, name="approval_new"),
    path(
        "staff/<int:staff_id>/approvals/<int:approval_id>/hours/",
        views.approval_hours_new,
        name="approval_hours_new",
    ),
    path("staff/<int:staff_id>/training/new/", views.completion_new, name="completion_new"),
    path("staff/<int:staff_id>/supervision/new/", views.supervision_new, name="supervision_new"),
    path(
        "staff/<int:staff_id>/supervision/caseload/",
        views.caseload_supervision,
        name="caseload_supervision",
    ),
    path(
        "staff/<int:staff_id>/supervision/<int:supervision_id>/",
        views.supervision_detail,
        name="supervision",
    ),
    path("staff/<int:staff_id>/appraisals/new/", views.appraisal_new, name="appraisal_new"),
    path("staff/<int:staff_id>/appraisals/<int:appraisal_id>/", views.appraisal_detail, name="appraisal"),
    path("staff/<int:staff_id>/placements/new/", views.placement_new, name="placement_new"),
    path("staff/<int:staff_id>/placements/<int:placement_id>/", views.placement_detail, name="placement"),
]
