from django.urls import path

from monev.targeting import views

app_name = "targeting"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("jalankan/", views.run_start, name="run_start"),
    path("<str:code>/", views.pemda_detail, name="pemda_detail"),
    path("<str:code>/sasaran.csv", views.export_list, name="export_list"),
    path("<str:code>/daftar-rentan.csv", views.export_roster, name="export_roster"),
    path("<str:code>/registrasi.csv", views.export_registration, name="export_registration"),
]
