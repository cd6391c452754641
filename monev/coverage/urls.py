from django.urls import path

from monev.coverage import views

app_name = "coverage"
urlpatterns = [
    path("", views.national, name="national"),
    path("kanwil/<str:code>/", views.kanwil_detail, name="kanwil_detail"),
    path("pemda/<str:code>/", views.pemda_detail, name="pemda_detail"),
    path("pemda/<str:code>/celah/", views.gap_list, name="gap_list"),
    path("pemda/<str:code>/registrasi/", views.registration_export, name="registration_export"),
    path("jalankan/", views.match_start, name="match_start"),
    path("tugas/<int:pk>/", views.job_status, name="job_status"),
]
