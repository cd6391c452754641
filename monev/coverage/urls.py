from django.urls import URLPattern, URLResolver

app_name = "coverage"
urlpatterns: list[URLPattern | URLResolver] = []
