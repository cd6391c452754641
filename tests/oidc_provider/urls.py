from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import include, path
from django.utils.html import escape


class LoginView(auth_views.LoginView):
    """The provider's login form, as bare HTML (no templates to ship)."""

    def render_to_response(self, context: dict, **kwargs: object) -> HttpResponse:
        request: HttpRequest = self.request
        return HttpResponse(
            '<form method="post">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
            f'<input type="hidden" name="next" value="{escape(context.get("next", ""))}">'
            '<input name="username"><input name="password" type="password">'
            f"<button>Masuk</button></form>{'gagal' if context['form'].errors else ''}"
        )


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
