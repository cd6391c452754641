from django.urls import path

from monev.indicators import views

app_name = "opendata"
urlpatterns = [
    path("", views.open_data, name="page"),
    path("cakupan.csv", views.open_data_csv, name="coverage_csv"),
]
