from django.urls import path

from monev.registry import views

app_name = "registry"
urlpatterns = [path("", views.snapshot_list, name="snapshot_list")]
