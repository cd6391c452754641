from django.urls import URLPattern, URLResolver, path

from monev.workforce import views

app_name = "workforce"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.coverage, name="coverage"),
    path("impor/", views.upload, name="upload"),
]
