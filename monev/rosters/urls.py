from django.urls import path

from monev.rosters import views

app_name = "rosters"
urlpatterns = [
    path("", views.roster_list, name="roster_list"),
    path("templat.xlsx", views.template_download, name="template_download"),
    path("unggah/", views.upload_create, name="upload_create"),
    path("unggah/<int:upload_id>/", views.upload_detail, name="upload_detail"),
    path("unggah/<int:upload_id>/simpan/", views.upload_commit, name="upload_commit"),
    path(
        "unggah/<int:upload_id>/kesalahan.xlsx",
        views.upload_errors_download,
        name="upload_errors_download",
    ),
    path("versi/<int:version_id>/", views.version_detail, name="version_detail"),
]
