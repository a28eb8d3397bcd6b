from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/new-password/", views.sign_in_new_password, name="sign_in_new_password"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-in/set-up-code/", views.sign_in_set_up, name="sign_in_set_up"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("account/password/", views.change_own_password, name="change_password"),
]
