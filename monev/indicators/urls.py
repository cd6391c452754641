from django.urls import path

from monev.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.national, name="national"),
    path("kanwil/<str:code>/", views.kanwil, name="kanwil"),
    path("provinsi/<str:code>/", views.provinsi, name="provinsi"),
    path("pemda/<str:code>/", views.pemda, name="pemda"),
    path("ekspor/<str:level>/<str:fmt>/", views.export, name="export"),
    path("indikator/", views.definitions, name="definitions"),
]
