from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from monev.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("sso/masuk/", views.SsoStartView.as_view(), name="sso_login"),
    path("sso/kembali/", views.SsoCallbackView.as_view(), name="sso_callback"),
    path(
        "sandi/",
        views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path(
        "sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_change_done",
    ),
    path("token/", views.tokens, name="tokens"),
    path("otp/", views.otp_setup, name="otp_setup"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
]
