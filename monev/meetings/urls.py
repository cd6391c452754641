from django.urls import path

from monev.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("baru/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/peserta/", views.attendee_add, name="attendee_add"),
    path("<int:pk>/temuan/", views.finding_save, name="finding_add"),
    path("<int:pk>/temuan/<int:finding_id>/", views.finding_save, name="finding_edit"),
    path("<int:pk>/temuan/segarkan/", views.finding_refresh, name="finding_refresh"),
    path("<int:pk>/tutup/", views.meeting_close, name="meeting_close"),
    path("<int:pk>/tindak-lanjut/", views.item_create, name="item_create"),
    path("<int:pk>/surat/", views.letter_create, name="letter_create"),
    path("tindak-lanjut/", views.item_list, name="item_list"),
    path("tindak-lanjut/<int:pk>/", views.item_detail, name="item_detail"),
    path("tindak-lanjut/<int:pk>/status/", views.item_status, name="item_status"),
    path("tindak-lanjut/<int:pk>/bukti/", views.item_evidence, name="item_evidence"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("surat/", views.letter_list, name="letter_list"),
    path("surat/<int:pk>/unduh/", views.letter_download, name="letter_download"),
    path("lewat-tenggat/", views.overdue_banner, name="overdue_banner"),
]
